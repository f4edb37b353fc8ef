"""The upstream relay: SMTP client transactions to the organisation's MTA over reused connections.

Everything here blocks (smtplib); the SMTP listener calls it through ``asyncio.to_thread``
and the quarantine outbox calls ``Relay.deliver`` from its worker threads. Commands are
written as bytes so that addresses (SMTPUTF8) and bodies (8BITMIME) pass byte for byte;
message bodies are streamed from spool files with dot-stuffing (RFC 5321 4.5.2), never
read whole.

Each transaction is counted once in the metrics (``observe_relay``): by the upstream's
final reply class, or by why no reply came (connection, timeout, tls).
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from filters.errors import RedlineError
from gateway import metrics
from gateway.smtp_config import UpstreamConfig, parse_host_port
from quarantine.delivery import DeliveryDeferred, DeliveryResult

log = logging.getLogger("redline.relay")
BLOCK = 1 << 20
Reply = tuple[int, str]


class UpstreamUnavailable(RedlineError):
    """The upstream cannot be reached or dropped the connection: a temporary failure."""

    def __init__(self, message: str, reason: str = "connection") -> None:
        super().__init__(message)
        self.reason = reason  # metrics label: connection, timeout or tls


def failure_reason(exc: BaseException) -> str:
    """Why no reply came, as a metrics label."""
    if isinstance(exc, ssl.SSLError):
        return "tls"
    if isinstance(exc, TimeoutError):
        return "timeout"
    return "connection"


def format_reply(code: int, text: str) -> str:
    """An SMTP reply (multi-line when ``text`` has several lines) to pass on verbatim."""
    lines = text.splitlines() or [""]
    return "\r\n".join(f"{code}{'-' if i < len(lines) - 1 else ' '}{line}"
                       for i, line in enumerate(lines))


def _stuffed(blocks: Iterable[bytes]) -> Iterable[bytes]:
    """Dot-stuff a CRLF message given in blocks (a line starting with "." gets another)."""
    previous = b"\n"  # the message starts at a line start
    for block in blocks:
        if not block:
            continue
        yield (previous + block).replace(b"\n.", b"\n..")[1:]
        previous = block[-1:]
    if previous != b"\n":
        yield b"\r\n"


def file_blocks(body: Path | bytes) -> Iterable[bytes]:
    """The bytes of a spool file (read in blocks) or of an in-memory body."""
    if isinstance(body, bytes):
        yield body
        return
    with body.open("rb") as f:
        yield from iter(lambda: f.read(BLOCK), b"")


class _Connection:
    """One SMTP client connection to the upstream with what it advertised."""

    def __init__(self, smtp: smtplib.SMTP) -> None:
        self.smtp = smtp
        self.last_used = time.monotonic()

    def command(self, line: bytes) -> Reply:
        """Send one command line and read its reply."""
        self.smtp.send(line + b"\r\n")
        code, text = self.smtp.getreply()
        return code, text.decode("utf-8", "replace")

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.smtp.close()


class RelayPool:
    """Connections to the upstream, kept open between messages and reused."""

    def __init__(self, config: UpstreamConfig, hostname: str) -> None:
        self.config = config
        self.host, self.port = parse_host_port("upstream.address", config.address, default_port=25)
        self.helo = config.helo_name or hostname
        self._idle: list[_Connection] = []
        self._lock = threading.Lock()

    def _tls_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=self.config.ca_file or None)
        if not self.config.tls_verify:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        return context

    def connect(self) -> _Connection:
        """A new connection: greeting, EHLO, STARTTLS as configured."""
        where = f"{self.host}:{self.port}"
        try:
            smtp = smtplib.SMTP(self.host, self.port, local_hostname=self.helo,
                                timeout=self.config.timeout)
        except (OSError, smtplib.SMTPException) as exc:
            raise UpstreamUnavailable(f"upstream {where}: cannot connect ({exc})",
                                      failure_reason(exc)) from None
        sock = smtp.sock
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            # The message goes out in blocks and then the final ".\r\n" on its own; with
            # Nagle on, that small last segment waits for the upstream's delayed ACK
            # (40 ms on Linux) on every message.
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            smtp.ehlo()
            if self.config.starttls != "off" and smtp.has_extn("starttls"):
                smtp.starttls(context=self._tls_context())
                smtp.ehlo()
                metrics.tls_used("upstream")
            elif self.config.starttls == "require":
                smtp.close()
                raise UpstreamUnavailable(
                    f"upstream {where} does not offer STARTTLS and upstream.starttls = \"require\"",
                    "tls")
        except (OSError, smtplib.SMTPException) as exc:
            smtp.close()
            raise UpstreamUnavailable(f"upstream {where}: session setup failed ({exc})",
                                      failure_reason(exc)) from None
        return _Connection(smtp)

    def acquire(self) -> tuple[_Connection, bool]:
        """An idle connection (reused: True) or a new one (False)."""
        now = time.monotonic()
        with self._lock:
            while self._idle:
                conn = self._idle.pop()
                if now - conn.last_used < self.config.idle_seconds:
                    return conn, True
                conn.close()
        return self.connect(), False

    def release(self, conn: _Connection) -> None:
        """Return a connection that is between transactions (after RSET or a finished DATA)."""
        conn.last_used = time.monotonic()
        with self._lock:
            if len(self._idle) < self.config.max_idle_connections:
                self._idle.append(conn)
                return
        conn.close()

    def close(self) -> None:
        """Close every idle connection."""
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            with contextlib.suppress(Exception):
                conn.command(b"QUIT")
            conn.close()


class Transaction:
    """One mail transaction with the upstream (MAIL, RCPT..., DATA), blocking."""

    def __init__(self, pool: RelayPool, sender: str, *, smtputf8: bool = False,
                 eight_bit: bool = False) -> None:
        self.pool = pool
        self.sender = sender
        self.smtputf8 = smtputf8
        self.eight_bit = eight_bit
        self.conn: _Connection | None = None
        self.started = time.monotonic()
        self.observed = False

    def observe(self, result: int | str) -> None:
        """Count the transaction in the metrics, once: its final reply or why none came."""
        if not self.observed:
            self.observed = True
            metrics.observe_relay(result, time.monotonic() - self.started)

    def _unavailable(self, message: str, exc: BaseException | None = None) -> UpstreamUnavailable:
        error = UpstreamUnavailable(message, failure_reason(exc) if exc else "connection")
        self.observe(error.reason)
        return error

    def _call(self, fn: Callable[[], Reply]) -> Reply:
        try:
            return fn()
        except (OSError, smtplib.SMTPException) as exc:
            self.abort()
            raise self._unavailable(
                f"upstream {self.pool.host}:{self.pool.port}: connection lost ({exc})", exc) from None

    def _mail_line(self, conn: _Connection) -> bytes:
        options = b""
        if self.eight_bit and conn.smtp.has_extn("8bitmime"):
            options += b" BODY=8BITMIME"
        if self.smtputf8 and conn.smtp.has_extn("smtputf8"):
            options += b" SMTPUTF8"
        return b"MAIL FROM:<" + self.sender.encode("utf-8", "surrogateescape") + b">" + options

    def begin(self) -> Reply:
        """Open (or reuse) a connection and send MAIL FROM; the upstream's reply."""
        self.started = time.monotonic()
        try:
            conn, reused = self.pool.acquire()
        except UpstreamUnavailable as exc:
            self.observe(exc.reason)
            raise
        try:
            reply = conn.command(self._mail_line(conn))
        except (OSError, smtplib.SMTPException) as exc:
            if not reused:
                conn.close()
                raise self._unavailable(
                    f"upstream {self.pool.host}:{self.pool.port}: connection lost at MAIL", exc
                ) from None
            conn.close()  # an idle connection the upstream closed meanwhile: one fresh try
            try:
                conn = self.pool.connect()
            except UpstreamUnavailable as error:
                self.observe(error.reason)
                raise
            try:
                reply = conn.command(self._mail_line(conn))
            except (OSError, smtplib.SMTPException) as exc:
                conn.close()
                raise self._unavailable(
                    f"upstream {self.pool.host}:{self.pool.port}: connection lost at MAIL ({exc})",
                    exc) from None
        if reply[0] == 421:
            conn.close()
            self.observe(421)
            raise UpstreamUnavailable(f"upstream {self.pool.host}:{self.pool.port}: {reply[1]}")
        self.conn = conn
        if reply[0] >= 400:
            self.observe(reply[0])
            self.finish()
        return reply

    def rcpt(self, address: str) -> Reply:
        """RCPT TO for one recipient; the upstream's own reply."""
        conn = self.conn
        if conn is None:
            raise UpstreamUnavailable("no upstream transaction open")
        line = b"RCPT TO:<" + address.encode("utf-8", "surrogateescape") + b">"
        return self._call(lambda: conn.command(line))

    def data(self, head: bytes, body: Path | bytes) -> Reply:
        """Send ``head`` + ``body`` as the message; the upstream's reply to the final dot."""
        conn = self.conn
        if conn is None:
            raise UpstreamUnavailable("no upstream transaction open")
        sent = False

        def send() -> Reply:
            nonlocal sent
            code, text = conn.command(b"DATA")
            if code != 354:
                return code, text
            for block in _stuffed([head, *file_blocks(body)]):
                conn.smtp.send(block)
            conn.smtp.send(b".\r\n")
            sent = True
            code, raw = conn.smtp.getreply()
            return code, raw.decode("utf-8", "replace")

        reply = self._call(send)
        self.observe(reply[0])
        if not sent:
            self.finish()  # DATA itself refused: MAIL and RCPT still stand, reset them
            return reply
        # The reply to the final dot ends the transaction whatever it says (RFC 5321
        # 4.1.1.4): the next MAIL may follow at once, no RSET round trip needed.
        self.conn = None
        if reply[0] == 421:
            conn.close()  # the upstream is closing the connection
        else:
            self.pool.release(conn)
        return reply

    def finish(self) -> None:
        """End an unfinished transaction: RSET, and give the connection back for reuse."""
        conn, self.conn = self.conn, None
        if conn is None:
            return
        try:
            code, _ = conn.command(b"RSET")
        except (OSError, smtplib.SMTPException):
            conn.close()
            return
        if code == 250:
            self.pool.release(conn)
        else:
            conn.close()

    def abort(self) -> None:
        """Drop the connection (the client went away or the upstream failed)."""
        conn, self.conn = self.conn, None
        if conn is not None:
            conn.close()


class Relay:
    """The blocking ``Deliverer`` for the quarantine outbox: relays a whole message, DKIM-signed."""

    def __init__(self, pool: RelayPool, sign: Callable[[bytes], bytes] | None = None) -> None:
        self.pool = pool
        self.sign = sign

    def deliver(self, sender: str, recipients: Sequence[str], message: bytes) -> DeliveryResult:
        """Send ``message``; raise DeliveryDeferred when the upstream took nothing now."""
        smtputf8 = any(not a.isascii() for a in (sender, *recipients))
        txn = Transaction(self.pool, sender, smtputf8=smtputf8, eight_bit=not message.isascii())
        try:
            code, text = txn.begin()
            if code >= 400:
                if code >= 500:
                    return DeliveryResult(refused={r: (code, text) for r in recipients})
                raise DeliveryDeferred(f"upstream deferred the sender: {code} {text}")
            accepted, refused, deferred = {}, {}, {}
            for rcpt in recipients:
                reply = txn.rcpt(rcpt)
                bucket = accepted if reply[0] < 400 else refused if reply[0] >= 500 else deferred
                bucket[rcpt] = reply
            if not accepted:
                txn.observe(next(iter({**deferred, **refused}.values()))[0])
                txn.finish()
                if deferred:
                    raise DeliveryDeferred(f"upstream deferred every recipient: {deferred}")
                return DeliveryResult(refused=refused)
            head = self.sign(message) if self.sign else b""
            reply = txn.data(head, message)
        except UpstreamUnavailable as exc:
            raise DeliveryDeferred(str(exc)) from None
        finally:
            txn.abort()
        if reply[0] >= 500:
            refused.update(dict.fromkeys(accepted, reply))
            accepted = {}
        elif reply[0] >= 400:
            if not refused:
                raise DeliveryDeferred(f"upstream deferred the message: {reply[0]} {reply[1]}")
            deferred.update(dict.fromkeys(accepted, reply))
            accepted = {}
        else:
            accepted = dict.fromkeys(accepted, reply)
        return DeliveryResult(accepted=accepted, refused=refused, deferred=deferred)
