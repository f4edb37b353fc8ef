"""The SMTP listener: everything it needs, built from the config; started, drained and stopped.

``SmtpGateway`` holds the parts a session uses (trusted networks, scanner processes, the
upstream relay pool or the Maildir outbox, the DKIM signer, the quarantine store, the
sender accounts) and serves the protocol (``gateway/smtp/protocol.py``) with one handler
(``gateway/smtp/handler.py``) on the sockets the supervisor bound.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import functools
import ipaddress
import logging
import os
import socket
import ssl
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from aiosmtpd.smtp import Envelope, Session

from filters.engines.signup import SignupDetector
from filters.errors import ConfigError
from filters.pipeline import Pipeline
from gateway.address import parse_host_port
from gateway.smtp.auth import SmtpAuthenticator
from gateway.smtp.config import DkimConfig, OrgConfig, SmtpConfig, UpstreamConfig
from gateway.smtp.dkim import DkimSigner
from gateway.smtp.handler import MailHandler
from gateway.smtp.maildir import MaildirOutbox
from gateway.smtp.message import Message
from gateway.smtp.protocol import RedlineSMTP
from gateway.smtp.relay import AsyncRelayPool
from gateway.smtp.scanner import Scanner
from gateway.smtp.session import client_ip
from quarantine.notice import HoldNotices, default_from
from quarantine.store import QuarantineStore
from quarantine.users import UserStore

log = logging.getLogger("redline.smtp")


def smtp_hostname(smtp: SmtpConfig) -> str:
    """The name in the greeting, in Received headers and (by default) in EHLO upstream."""
    return smtp.hostname or socket.getfqdn()


def make_signer(dkim: DkimConfig, data_dir: Path) -> DkimSigner:
    """The DKIM signer for passing and released mail (no keys when signing is disabled)."""
    if not dkim.enabled:
        return DkimSigner({})
    return DkimSigner.from_dir(Path(dkim.key_dir or Path(data_dir) / "dkim"))


def inbound_signup_detector(config: Any) -> SignupDetector | None:
    """The detector for the inbound sign-up net, or None unless [signup] enables it.

    ``config`` is the whole Config; ``SmtpGateway(..., inbound_signup=...)`` takes the result.
    """
    signup = config.section("signup")
    if not (signup.enabled and signup.inbound_verification):
        return None
    domains = config.section("org").domains
    if not domains:
        raise ConfigError("config key signup.inbound_verification: needs org.domains (the work "
                          "addresses to protect)")
    return SignupDetector(domains, allowed_services=signup.allowed_services,
                          context_words=signup.context_words)


def hold_notices_for(quarantine: Any, org_domains: Sequence[str] = ()) -> HoldNotices | None:
    """The hold-notice writer from the [quarantine] section (senders outside ``org_domains``
    get none), or None unless it is enabled."""
    if not quarantine.notify_sender_on_hold:
        return None
    return HoldNotices(from_address=quarantine.notice_from or default_from(),
                       subject_template=quarantine.hold_notice_subject,
                       org_domains=tuple(org_domains))


def spool_dir_of(data_dir: Path, pid: int) -> Path:
    """Where the process ``pid`` spools incoming messages (removed when that process dies)."""
    return Path(data_dir) / "spool" / "smtp" / str(pid)


@functools.lru_cache(maxsize=1)
def _date_of(second: int) -> str:
    return email.utils.format_datetime(datetime.fromtimestamp(second).astimezone())


def _received_date() -> str:
    """Now as an RFC 5322 date (whole seconds, local zone): formatted once a second."""
    return _date_of(int(time.time()))


class SmtpGateway:
    """Everything the SMTP listener needs, built from the config; serve() starts it."""

    def __init__(self, *, smtp: SmtpConfig, upstream: UpstreamConfig, dkim: DkimConfig,
                 org: OrgConfig, data_dir: Path, pipeline: Pipeline,
                 store: QuarantineStore, inbound_signup: SignupDetector | None = None,
                 hold_notices: HoldNotices | None = None) -> None:
        self.smtp = smtp
        self.pipeline = pipeline
        # The inbound sign-up net ([signup] inbound_verification; see inbound_signup_detector).
        self.inbound_signup = inbound_signup
        self.upstream = upstream
        self.org = org
        self.data_dir = Path(data_dir)
        self.hostname = smtp_hostname(smtp)
        self.trusted_networks = [ipaddress.ip_network(n, strict=False)
                                 for n in smtp.trusted_networks]
        self.sessions = 0
        self.protocols: set[RedlineSMTP] = set()
        # One spool directory per process: when a worker dies, what it was receiving is
        # removed with its directory, never mistaken for a message.
        self.spool_dir = spool_dir_of(self.data_dir, os.getpid())
        self.spool_dir.mkdir(parents=True, exist_ok=True)
        self.store = store
        self.signer = make_signer(dkim, self.data_dir)
        self.relay_pool = AsyncRelayPool(upstream, self.hostname) if upstream.address else None
        self.outbox = MaildirOutbox(self.data_dir / "outbox")
        self.scanner = Scanner(pipeline, smtp.scan_workers, smtp.scan_grace_seconds)
        upstream_seconds = upstream.timeout * 4 if upstream.address else 0
        self.decision_seconds = self.scanner.wait_seconds + upstream_seconds + 30
        self.tls_context = None
        if smtp.tls_cert:
            self.tls_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            self.tls_context.load_cert_chain(smtp.tls_cert, smtp.tls_key)
        self.servers: list[asyncio.Server] = []
        self.draining = False
        self.closed = False
        self.authenticator = None if smtp.auth == "off" else SmtpAuthenticator(
            UserStore(store), max_failures=smtp.auth_max_failures,
            max_failures_per_address=smtp.auth_max_failures_per_address,
            cache_seconds=smtp.auth_cache_seconds)
        self.hold_notices = hold_notices  # quarantine.notify_sender_on_hold
        self.notice_tasks: set[asyncio.Task[None]] = set()
        self.handler = MailHandler(self)  # stateless beyond the gateway: one for all sessions

    def new_message(self) -> Message:
        """A fresh message whose spool file (named by its queue id) is not yet created."""
        # 64 random bits as 16 hex digits (a UUID object per mail cost more than the bits).
        return Message(self.spool_dir / f"{os.urandom(8).hex().upper()}.eml")

    def trace_head(self, message: Message, session: Session, envelope: Envelope,
                   label: str) -> bytes:
        """The Received and X-Redline-Verdict header lines to put before ``message``."""
        # RFC 3848: S for TLS, A for an authenticated client.
        protocol = (("UTF8SMTP" if envelope.smtp_utf8 else "ESMTP") + ("S" if session.ssl else "")
                    + ("A" if getattr(session, "account", None) is not None else ""))
        when = _received_date()
        received = (
            f"Received: from {session.host_name or 'unknown'} ([{client_ip(session)}])\r\n"
            f"\tby {self.hostname} (Redline) with {protocol} id {message.id};\r\n"
            f"\t{when}\r\n"
        )
        return (received + f"X-Redline-Verdict: {label}\r\n").encode("utf-8", "surrogateescape")

    def dkim_sign(self, head: bytes, body: Path | bytes, domain: str) -> bytes:
        """``head`` preceded by the DKIM-Signature of ``head`` + ``body`` (blocking)."""
        data = body if isinstance(body, bytes) else body.read_bytes()
        return self.signer.sign(head + data, domain) + head

    def protocol_factory(self, implicit_tls: bool = False) -> RedlineSMTP:
        """One protocol object per connection (``implicit_tls``: on the submissions port)."""
        return RedlineSMTP(
            self.handler, self,
            implicit_tls=implicit_tls,
            data_size_limit=self.smtp.max_message_bytes,
            enable_SMTPUTF8=True,
            hostname=self.hostname,
            ident="Redline ESMTP",
            tls_context=None if implicit_tls else self.tls_context,
            require_starttls=self.smtp.require_tls and not implicit_tls,
            auth_require_tls=not (self.smtp.auth_allow_plaintext or implicit_tls),
            timeout=self.smtp.idle_timeout,
        )

    async def start(self, sock: socket.socket | None = None, *,
                    implicit_tls: bool = False) -> asyncio.Server:
        """Start accepting on ``sock`` (bound by the supervisor), else bind smtp.listen.

        ``implicit_tls``: the socket is the submissions port (RFC 8314, usually 465), where
        TLS starts with the connection, with smtp.tls_cert.
        """
        loop = asyncio.get_running_loop()
        factory = functools.partial(self.protocol_factory, implicit_tls)
        tls: dict[str, Any] = {}
        if implicit_tls:
            if self.tls_context is None:
                raise ConfigError("config key smtps.listen: SMTP over TLS needs smtp.tls_cert "
                                  "and smtp.tls_key (`redline tls selfsigned` makes a pair)")
            tls = {"ssl": self.tls_context, "ssl_handshake_timeout": self.smtp.idle_timeout}
        if sock is not None:
            # asyncio calls listen(backlog) again on the shared socket: keep it deep.
            server = await loop.create_server(factory, sock=sock, backlog=511, **tls)
        else:
            host, port = parse_host_port("smtp.listen", self.smtp.listen)
            server = await loop.create_server(factory, host=host, port=port, reuse_address=True)
        self.servers.append(server)
        return server

    async def drain(self, seconds: float) -> None:
        """Stop accepting, let open sessions finish for up to ``seconds``, then stop().

        Other workers keep the shared listening socket open, so new connections go
        there; sessions still open at the deadline get 421 (RFC 5321 3.8) and retry.
        """
        self.draining = True
        for server in self.servers:
            server.close()
        deadline = asyncio.get_running_loop().time() + seconds
        while self.protocols and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.05)
        if self.protocols:
            log.warning("smtp drain: %d sessions still open after %.0f s; closing them with 421",
                        len(self.protocols), seconds)
        await self.stop()

    async def stop(self) -> None:
        """Stop accepting, close open sessions (their senders retry) and the listener."""
        for server in self.servers:
            server.close()
        tasks = []
        for protocol in list(self.protocols):
            if protocol.transport is not None:
                with contextlib.suppress(Exception):
                    protocol._writer.write(b"421 4.3.2 Redline is shutting down; try again later\r\n")
                protocol.transport.close()
            if protocol._handler_coroutine is not None:
                tasks.append(protocol._handler_coroutine)
        if tasks:
            await asyncio.wait(tasks, timeout=5)
        if self.notice_tasks:  # hold notices on their way out get a moment to finish
            await asyncio.wait(list(self.notice_tasks), timeout=5)
        for server in self.servers:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(server.wait_closed(), 5)

    def close(self) -> None:
        """Stop scanner processes and upstream connections (the caller closes the store).

        Idempotent: the SMTP and the submissions listener share one gateway."""
        if self.closed:
            return
        self.closed = True
        self.scanner.close()
        if self.relay_pool is not None:
            self.relay_pool.close()
        if self.authenticator is not None:
            self.authenticator.close()
