"""Config sections of the SMTP gateway: [smtp] listener, [upstream] relay, [dkim] and [org]."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from filters.config import option
from filters.errors import ConfigError
from gateway.address import parse_host_port
from quarantine.notice import outside

MiB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    """The SMTP listener every outbound mail passes through (section [smtp])."""

    listen: str = option("127.0.0.1:2525", "HOST:PORT the SMTP listener binds; \"off\" disables it.")
    hostname: str = option("", "Name in the greeting and Received headers (empty: this host's FQDN).")
    trusted_networks: list[str] = option(
        ["127.0.0.1/32", "::1/128"],
        "Client networks (CIDR) allowed to relay through Redline; every other client gets "
        "550 5.7.1 (never an open relay).",
    )
    max_message_bytes: int = option(
        50 * MiB, "Largest message accepted (advertised as SIZE); bigger ones get 552.", minimum=1024,
    )
    max_recipients: int = option(
        100, "Most recipients in one transaction; more get 452 (RFC 5321 4.5.3.1.8).", minimum=1,
    )
    max_line_length: int = option(
        1000, "Longest line of message data in octets with CRLF (RFC 5321 4.5.3.1.6); "
        "longer lines get 500.", minimum=100,
    )
    max_sessions: int = option(
        200, "Most concurrent SMTP sessions; more are answered 421 and closed.", minimum=1,
    )
    idle_timeout: float = option(
        300.0, "Seconds a session may wait for the client's next command (RFC 5321 4.5.3.2.7).",
        minimum=0.1,
    )
    data_timeout: float = option(
        180.0, "Seconds the client may send nothing during DATA (RFC 5321 4.5.3.2.5).",
        minimum=0.1,
    )
    scan_workers: int = option(
        0, "Scanner processes (0: one per CPU core). Each scans one message at a time.",
        minimum=0,
    )
    scan_grace_seconds: float = option(
        10.0, "Wait beyond the item's wall-clock backstop (limits.item_seconds x "
        "limits.wall_factor) before a scanner is taken as stuck: it is killed and the "
        "message held (limit.item_seconds).",
        minimum=0.1,
    )
    tls_cert: str = option("", "PEM certificate for STARTTLS (`redline tls selfsigned` makes one).")
    tls_key: str = option("", "PEM private key for tls_cert.")
    require_tls: bool = option(False, "Refuse mail from clients that did not STARTTLS first.")
    xforward: bool = option(
        True, "Accept XFORWARD (Postfix's content-filter extension, smtp_send_xforward_command) "
        "from trusted_networks: held mail then records the original client's address and "
        "HELO rather than the MTA's. It never changes who may relay.",
    )
    auth: str = option(
        "off", "SMTP AUTH (PLAIN, LOGIN) against accounts of role sender (`redline user add "
        "NAME --role sender`): off; offer (authenticated clients may relay from any address, "
        "trusted_networks still relay without it); require (every client must authenticate).",
        choices=("off", "offer", "require"),
    )
    auth_allow_plaintext: bool = option(
        False, "Offer AUTH before STARTTLS too (passwords in the clear: for a lab on loopback "
        "only). Otherwise AUTH needs tls_cert and is offered after STARTTLS.",
    )
    auth_sender_match: str = option(
        "address", "What an authenticated client may use as MAIL FROM: address (its account "
        "name, which is then an address), domain (any address in its domain) or off.",
        choices=("address", "domain", "off"),
    )
    auth_cache_seconds: float = option(
        300.0, "A successful password check is remembered this long (in memory, per worker) so "
        "that clients authenticating on every connection do not pay for argon2id each time "
        "(disabling an account or changing its password still counts at once); 0 checks every "
        "time.", minimum=0.0,
    )
    auth_max_failures: int = option(
        5, "Failed AUTH attempts for one account name from one client address within 15 "
        "minutes before that name gets 454 from that address until the window passes; from "
        "other addresses its attempts take turns (one check per 1.5 s), never locked, so its "
        "owner still gets in. Attempts in flight count. Counted in the quarantine "
        "database, shared with the officer UI's sign-in and by every worker and node.",
        minimum=1,
    )
    auth_max_failures_per_address: int = option(
        20, "Failed AUTH attempts from one client address, for any names, within 15 minutes "
        "before that address gets 454 for every name until the window passes.", minimum=1,
    )

    def __post_init__(self) -> None:
        if self.listen != "off":
            parse_host_port("smtp.listen", self.listen)
        for i, net in enumerate(self.trusted_networks):
            try:
                ipaddress.ip_network(net, strict=False)
            except ValueError:
                raise ConfigError(
                    f"config key smtp.trusted_networks[{i}]: expected a network such as "
                    f"10.0.0.0/8, got {net!r}"
                ) from None
        if bool(self.tls_cert) != bool(self.tls_key):
            raise ConfigError("config key smtp.tls_key: tls_cert and tls_key must be given together")
        if self.require_tls and not self.tls_cert:
            raise ConfigError("config key smtp.require_tls: needs smtp.tls_cert and smtp.tls_key")
        if self.auth != "off" and not self.tls_cert and not self.auth_allow_plaintext:
            raise ConfigError("config key smtp.auth: AUTH sends passwords, so it needs "
                              "smtp.tls_cert and smtp.tls_key (`redline tls selfsigned` makes a "
                              "pair); for a loopback lab set smtp.auth_allow_plaintext = true")


@dataclass(frozen=True, slots=True)
class SmtpsConfig:
    """SMTP over implicit TLS for mail clients (section [smtps]; RFC 8314 "submissions").

    The same listener as [smtp] (its trusted_networks, AUTH, limits and certificate)
    on a second port where TLS starts with the connection, as mail clients expect on 465.
    """

    listen: str = option(
        "off", "HOST:PORT of SMTP over TLS (usually port 465); needs smtp.tls_cert. \"off\" "
        "disables it.",
    )

    def __post_init__(self) -> None:
        if self.listen != "off":
            parse_host_port("smtps.listen", self.listen)


@dataclass(frozen=True, slots=True)
class UpstreamConfig:
    """The MTA that passing mail is relayed to (section [upstream])."""

    address: str = option(
        "", "HOST:PORT of the relay/MX that passing mail goes to; empty: no upstream, "
        "mail is delivered into a Maildir outbox under data_dir (demo only).",
    )
    starttls: str = option(
        "opportunistic", "STARTTLS to the upstream: off, opportunistic (when offered) or require.",
        choices=("off", "opportunistic", "require"),
    )
    tls_verify: bool = option(True, "Verify the upstream's certificate and name when using TLS.")
    ca_file: str = option("", "CA bundle (PEM) for verifying the upstream (empty: system CAs).")
    helo_name: str = option("", "Name Redline gives in EHLO to the upstream (empty: smtp.hostname).")
    timeout: float = option(60.0, "Seconds to wait for any upstream reply.", minimum=0.1)
    max_idle_connections: int = option(
        8, "Open connections kept for reuse between messages.", minimum=0,
    )
    idle_seconds: float = option(
        30.0, "An unused upstream connection is closed after this long.", minimum=0.1,
    )

    def __post_init__(self) -> None:
        if self.address:
            parse_host_port("upstream.address", self.address, default_port=25)


@dataclass(frozen=True, slots=True)
class DkimConfig:
    """DKIM signing of relayed mail (section [dkim])."""

    enabled: bool = option(True, "Sign passing mail for every sender domain that has a key.")
    key_dir: str = option(
        "", "Where keys live as DOMAIN/SELECTOR.rsa.pem or DOMAIN/SELECTOR.ed25519 "
        "(`redline dkim keygen` writes them); empty: data_dir/dkim.",
    )


@dataclass(frozen=True, slots=True)
class OrgConfig:
    """The organisation's own domains: mail to them is internal (section [org])."""

    domains: list[str] = option(
        [], "The organisation's mail domains; their subdomains are internal too.",
    )
    inspect_internal: bool = option(
        False, "Also inspect mail whose recipients are all internal (default: only mail that leaves).",
    )

    def is_internal(self, address: str) -> bool:
        """True when ``address`` is in one of the org domains or their subdomains.

        An address that routes itself onward is not: the percent hack
        (``eve%example.net@example.org``), a UUCP bang path (``example.net!eve@...``) or a
        quoted local part holding an address. The next MTA may honour them (Postfix's
        allow_percent_hack and swap_bangpath are on by default) and send the mail out.
        """
        return bool(self.domains) and not outside(address, self.domains)
