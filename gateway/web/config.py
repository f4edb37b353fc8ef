"""Config sections of the web side: [http] forward proxy, [icap] service and [signup] blocking."""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import secrets
from dataclasses import dataclass

from filters.config import option
from filters.errors import ConfigError
from gateway.address import parse_host_port

MiB = 1024 * 1024
PASSWORD_SCHEME = "pbkdf2_sha256"


def _check_networks(key: str, networks: list[str]) -> None:
    for i, net in enumerate(networks):
        try:
            ipaddress.ip_network(net, strict=False)
        except ValueError:
            raise ConfigError(
                f"config key {key}[{i}]: expected a network such as 10.0.0.0/8, got {net!r}"
            ) from None


def in_networks(address: str, networks: list[str]) -> bool:
    """True when the IP ``address`` lies in one of ``networks`` (CIDR strings)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip in ipaddress.ip_network(net, strict=False) for net in networks)


def hash_password(password: str, *, iterations: int = 200_000) -> str:
    """A stored form of ``password`` for ``http.users``: pbkdf2_sha256$ITER$SALT$HASH."""
    salt = secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    return "$".join([PASSWORD_SCHEME, str(iterations), base64.b64encode(salt).decode(),
                     base64.b64encode(digest).decode()])


def check_password(stored: str, password: str) -> bool:
    """True when ``password`` matches ``stored`` (a hash_password value); constant-time."""
    try:
        scheme, iterations, salt, digest = stored.split("$")
        if scheme != PASSWORD_SCHEME:
            return False
        got = hashlib.pbkdf2_hmac("sha256", password.encode(), base64.b64decode(salt),
                                  int(iterations))
        return hmac.compare_digest(got, base64.b64decode(digest))
    except (ValueError, TypeError):
        return False


def host_matches(host: str, patterns: list[str]) -> bool:
    """True when ``host`` is one of ``patterns`` or a subdomain of one (any case)."""
    host = host.strip().rstrip(".").lower()
    for pattern in patterns:
        pattern = pattern.strip().rstrip(".").lower().removeprefix("*.")
        if pattern and (host == pattern or host.endswith("." + pattern)):
            return True
    return False


@dataclass(frozen=True, slots=True)
class HttpConfig:
    """The explicit forward proxy browsers send uploads through (section [http])."""

    listen: str = option("127.0.0.1:3128", "HOST:PORT the forward proxy binds; \"off\" disables it.")
    client_networks: list[str] = option(
        ["127.0.0.1/32", "::1/128"],
        "Client networks (CIDR) allowed to use the proxy; every other client gets 403 "
        "(never an open proxy).",
    )
    auth: str = option(
        "address", "Who the user is: address (the client IP), basic (Proxy-Authorization "
        "checked against http.users; 407 without it) or trusted-basic (the Basic user name "
        "taken as given, for a front proxy that already authenticated it).",
        choices=("address", "basic", "trusted-basic"),
    )
    users: dict[str, str] = option(
        {}, "User name = password hash for auth = \"basic\" (`redline http passwd NAME` "
        "prints one; format pbkdf2_sha256$ITERATIONS$SALT$HASH).",
    )
    auth_max_failures: int = option(
        5, "auth = basic: failed sign-ins for one user name from one client address within 15 "
        "minutes before that name gets 429 from that address until the window passes; from "
        "other addresses its attempts take turns (one check per 1.5 s), never locked. "
        "Attempts in flight count. Counted in the "
        "quarantine database, shared by every worker and node.", minimum=1,
    )
    auth_max_failures_per_address: int = option(
        20, "auth = basic: failed sign-ins from one client address, for any names, within 15 "
        "minutes before that address gets 429 for every name until the window passes.",
        minimum=1,
    )
    connect_policy: str = option(
        "deny-list", "Which hosts CONNECT (HTTPS) may reach at all: allow-all, deny-list (all "
        "but connect_hosts) or allow-list (only connect_hosts). What reaches a host is "
        "intercepted and inspected (ca_cert), spliced for tls_bypass hosts, and otherwise "
        "handled by uninspected_connect.",
        choices=("allow-all", "deny-list", "allow-list"),
    )
    connect_hosts: list[str] = option(
        [], "Hosts (and their subdomains) that connect_policy lists.",
    )
    connect_ports: list[int] = option([443], "Ports CONNECT may reach (others get 403).")
    ca_cert: str = option(
        "", "Interception CA certificate (PEM) the proxy signs its per-host certificates with; "
        "empty: DATA_DIR/tls/interception-ca.crt when `redline tls ca init` made one. Name the "
        "organisation's own (subordinate) CA here, with ca_key.",
    )
    ca_key: str = option(
        "", "The interception CA's private key (unencrypted PEM, mode 0600); empty: beside "
        "the default ca_cert (DATA_DIR/tls/interception-ca.key).",
    )
    upstream_ca_file: str = option(
        "", "Extra trust anchors (PEM bundle) for origin servers, beside the system store: "
        "internal CAs. Origins are always verified (certificate chain, expiry, host name).",
    )
    tls_bypass: list[str] = option(
        [], "Hosts (and their subdomains) whose HTTPS is spliced, not intercepted: banking, "
        "health, certificate-pinned applications. Their content is not inspected; each "
        "tunnel is logged and counted (redline_http_connects_total{outcome=\"bypassed\"}).",
    )
    uninspected_connect: str = option(
        "refuse", "A CONNECT Redline cannot inspect (no interception CA, or the first bytes "
        "are not a TLS ClientHello, such as SSH over 443): refuse (403, or the connection "
        "closed) or tunnel (passed on uninspected, logged and counted).",
        choices=("refuse", "tunnel"),
    )
    websockets: str = option(
        "refuse", "A WebSocket upgrade (plain or inside an intercepted tunnel): refuse (a 403 "
        "page; what a WebSocket carries cannot be inspected) or pass (the handshake request "
        "is inspected like any request, then the connection is passed on uninspected, "
        "logged and counted).",
        choices=("refuse", "pass"),
    )
    internal_destinations: list[str] = option(
        [], "Loopback, private and link-local destinations (CIDRs such as 10.0.0.0/8, or host "
        "names) the proxy may reach; none by default, so the proxy cannot be turned against "
        "the internal network (SSRF). Checked on every resolved address.",
    )
    tls_handshake_timeout: float = option(
        10.0, "Seconds a client may take for its TLS handshake inside a CONNECT tunnel.",
        minimum=0.1,
    )
    max_body_bytes: int = option(
        2048 * MiB, "Largest request body accepted; bigger ones get 413.", minimum=1,
    )
    piece_services: list[str] = option(
        ["googleapis.com", "sharepoint.com", "onedrive.com", "1drv.com",
         "graph.microsoft.com"],
        "Hosts (and their subdomains) whose Content-Range upload sessions Redline answers "
        "for: it keeps every piece before the last and answers as the service would (a "
        "Google resumable session when the URL carries upload_id, a Microsoft Graph upload "
        "session on Microsoft's hosts, or as named: \"host=google\", \"host=graph\"); the "
        "file goes on whole once judged clean. tus is answered for on any host. Elsewhere, "
        "and for protocols Redline cannot answer (Box), each piece is judged alone and one "
        "that cannot be read alone is held.",
    )
    piece_max_uploads: int = option(
        1000, "Uploads in pieces (Content-Range, tus) a node assembles at once; a new one "
        "past this is refused until others finish or expire.", minimum=1,
    )
    piece_max_spool_bytes: int = option(
        20 * 1024 * MiB, "Bytes the uploads in pieces a node keeps may take on disk together "
        "(DATA_DIR/spool/pieces); a piece past this is refused until others finish or "
        "expire. One upload is bounded by max_body_bytes.", minimum=1,
    )
    piece_idle_seconds: float = option(
        86400.0, "An upload in pieces with no new piece for this long is forgotten and its "
        "spool file removed; a last piece after that is held (earlier pieces unseen).",
        minimum=1,
    )
    max_header_bytes: int = option(
        64 * 1024, "Longest request head (request line and headers); longer gets 431.",
        minimum=1024,
    )
    max_concurrent_requests: int = option(
        256, "Requests handled at once; more are answered 503 with Retry-After.", minimum=1,
    )
    max_upstream_connections: int = option(
        256, "Open connections to origin servers, kept alive for reuse.", minimum=1,
    )
    header_timeout: float = option(
        30.0, "Seconds a client may take to send a request head.", minimum=0.1,
    )
    idle_timeout: float = option(
        60.0, "Seconds a kept-alive client connection may wait for its next request.",
        minimum=0.1,
    )
    body_timeout: float = option(
        60.0, "Seconds the client may send no body bytes during an upload.", minimum=0.1,
    )
    connect_timeout: float = option(15.0, "Seconds to connect to an origin server.", minimum=0.1)
    upstream_timeout: float = option(
        120.0, "Seconds an origin server may send nothing while answering.", minimum=0.1,
    )
    tunnel_idle_timeout: float = option(
        300.0, "A CONNECT tunnel with no traffic either way is closed after this long.",
        minimum=0.1,
    )
    scan_workers: int = option(
        0, "Scanner processes inspecting uploads, one upload each at a time (0: one per CPU "
        "core). Shared by the proxy and the ICAP service of one serve process.", minimum=0,
    )
    scan_grace_seconds: float = option(
        10.0, "Seconds beyond the item's wall-clock backstop (limits.item_seconds x "
        "limits.wall_factor) an upload's scan may run before its scanner process is killed "
        "and the upload held (a scan stuck in a C library).", minimum=0.1,
    )

    def __post_init__(self) -> None:
        if self.listen != "off":
            parse_host_port("http.listen", self.listen)
        _check_networks("http.client_networks", self.client_networks)
        if self.auth == "basic" and not self.users:
            raise ConfigError("config key http.users: auth = \"basic\" needs at least one user "
                              "(`redline http passwd NAME` prints a hash)")
        for name, stored in self.users.items():
            if not stored.startswith(PASSWORD_SCHEME + "$") or stored.count("$") != 3:
                raise ConfigError(f"config key http.users.{name}: expected a password hash from "
                                  f"`redline http passwd {name}`, not a plain password")
        for i, port in enumerate(self.connect_ports):
            if not 0 < port < 65536:
                raise ConfigError(f"config key http.connect_ports[{i}]: expected 1-65535, got {port}")
        if bool(self.ca_cert) != bool(self.ca_key):
            missing = "http.ca_key" if self.ca_cert else "http.ca_cert"
            raise ConfigError(f"config key {missing}: ca_cert and ca_key name the organisation's "
                              "CA together; set both, or neither to use `redline tls ca init`'s")
        for i, host in enumerate(self.tls_bypass):
            if not host.strip().strip(".*") or any(c in host for c in " /:@"):
                raise ConfigError(f"config key http.tls_bypass[{i}]: expected a host name such as "
                                  f"bank.example, got {host!r}")
        for i, host in enumerate(self.piece_services):
            name, eq, named = host.partition("=")
            if not name.strip().strip(".*") or any(c in name for c in " /:@") or \
                    (eq and named.strip().lower() not in ("google", "graph")):
                raise ConfigError(f"config key http.piece_services[{i}]: expected a host name "
                                  f"such as googleapis.com, or host=google or host=graph, "
                                  f"got {host!r}")
        for i, entry in enumerate(self.internal_destinations):
            if not entry.strip() or any(c in entry for c in " @"):
                raise ConfigError(f"config key http.internal_destinations[{i}]: expected a CIDR "
                                  f"such as 10.0.0.0/8 or a host name, got {entry!r}")
            if "/" in entry or entry.replace(".", "").isdigit() or ":" in entry:
                try:
                    ipaddress.ip_network(entry, strict=False)
                except ValueError:
                    raise ConfigError(f"config key http.internal_destinations[{i}]: expected a "
                                      f"CIDR such as 10.0.0.0/8, got {entry!r}") from None


@dataclass(frozen=True, slots=True)
class IcapConfig:
    """The ICAP service (RFC 3507) Squid hands requests to for REQMOD (section [icap])."""

    listen: str = option("127.0.0.1:1344", "HOST:PORT the ICAP service binds; \"off\" disables it.")
    client_networks: list[str] = option(
        ["127.0.0.1/32", "::1/128"], "Networks of the proxies (Squid) allowed to use the service.",
    )
    service: str = option("reqmod", "Service name in the ICAP URI (icap://HOST:PORT/reqmod).")
    preview_bytes: int = option(
        4096, "Preview size advertised in OPTIONS (RFC 3507 4.5).", minimum=0,
    )
    options_ttl: int = option(300, "Seconds a proxy may cache the OPTIONS answer.", minimum=1)
    max_connections: int = option(
        200, "Concurrent ICAP connections (advertised as Max-Connections); more are refused.",
        minimum=1,
    )
    username_base64: bool = option(
        False, "X-Authenticated-User arrives base64-encoded (Squid's icap_client_username_encode on).",
    )
    idle_timeout: float = option(
        120.0, "Seconds a kept-alive ICAP connection may wait for its next request.", minimum=0.1,
    )
    read_timeout: float = option(
        60.0, "Seconds the proxy may send nothing in the middle of a request.", minimum=0.1,
    )

    def __post_init__(self) -> None:
        if self.listen != "off":
            parse_host_port("icap.listen", self.listen)
        _check_networks("icap.client_networks", self.client_networks)
        if not self.service or "/" in self.service:
            raise ConfigError(f"config key icap.service: expected a name such as reqmod, "
                              f"got {self.service!r}")


@dataclass(frozen=True, slots=True)
class SignupConfig:
    """Blocking work addresses on external sign-up forms (section [signup]).

    The organisation's domains are [org] domains; a sign-up hit is a ``signup`` hit,
    whose action is policy.category_actions.signup (reject by default).
    """

    enabled: bool = option(True, "Look for work addresses in sign-up requests.")
    allowed_services: list[str] = option(
        [], "Sanctioned external services (hosts and their subdomains) where sign-ups are fine.",
    )
    context_words: list[str] = option(
        [], "Extra words that mark a sign-up (in URL paths, field names and JSON keys), "
        "beside the built-in signup/register/subscribe/create-account family.",
    )
    inbound_verification: bool = option(
        False, "The SMTP listener also carries inbound mail: check mail from outside the "
        "organisation to work addresses for account-verification requests (a sign-up that got "
        "past the proxy) and act on the signup hit like any other (policy.category_actions."
        "signup: reject answers the sending service 550, quarantine holds the mail).",
    )
