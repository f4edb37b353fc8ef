"""The upstream relay: SMTP client transactions to the organisation's MTA over reused connections.

One SMTP client, on asyncio (``AsyncRelayPool``, ``AsyncTransaction``): the SMTP listener
drives it from its event loop, and the quarantine outbox, which delivers from a worker
thread, uses its blocking face (``RelayPool``, ``Transaction``, ``Relay.deliver``), which
runs the same coroutines on a private event loop in a thread of the pool's own. Commands
are written as bytes so that addresses (SMTPUTF8) and bodies (8BITMIME) pass byte for
byte; message bodies are streamed from spool files with dot-stuffing (RFC 5321 4.5.2),
never read whole.

Each transaction is counted once in the metrics (``observe_relay``): by the upstream's
final reply class, or by why no reply came (connection, timeout, tls).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
import threading
import time
from collections.abc import Callable, Coroutine, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from filters.errors import RedlineError
from gateway.address import parse_host_port
from gateway.ops import metrics
from gateway.smtp.config import UpstreamConfig
from gateway.smtp.data import stuff_dots
from quarantine.delivery import DeliveryDeferred, DeliveryResult

log = logging.getLogger("redline.relay")
BLOCK = 1 << 20
Reply = tuple[int, str]
T = TypeVar("T")


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
    """Dot-stuff a CRLF message given in blocks (a line starting with "." gets another).

    The whole-message form, no longer on the wire: tests/unit/test_smtp_fastpaths.py
    checks ``_Stuffer`` against it.
    """
    previous = b"\n"  # the message starts at a line start
    for block in blocks:
        if not block:
            continue
        yield (previous + block).replace(b"\n.", b"\n..")[1:]
        previous = block[-1:]
    if previous != b"\n":
        yield b"\r\n"


class _Stuffer:
    """Incremental dot-stuffing (RFC 5321 4.5.2) of a CRLF message fed in blocks."""

    def __init__(self) -> None:
        self.previous = b"\n"  # the message starts at a line start

    def feed(self, block: bytes, *, dot_free: bool = False) -> bytes:
        """The stuffed form of the next ``block``; ``dot_free``: no line of it begins
        with "." (it is its own stuffed form: no search)."""
        if not block:
            return b""
        out = block if dot_free else stuff_dots(block, at_line_start=self.previous == b"\n")
        self.previous = block[-1:]
        return out

    def end(self) -> bytes:
        """What must precede the final dot: a CRLF unless the message ended with one."""
        return b"" if self.previous == b"\n" else b"\r\n"




def upstream_tls_context(config: UpstreamConfig) -> ssl.SSLContext:
    """The client TLS context for STARTTLS to the upstream (upstream.ca_file, tls_verify)."""
    context = ssl.create_default_context(cafile=config.ca_file or None)
    if not config.tls_verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context



# -- the SMTP client -----------------------------------------------------------------------
#
# asyncio, because the listener relays from its event loop: a thread hop per SMTP command
# cost more CPU than the command itself (10 KB mail at 16 sessions spent a quarter of its
# time handing work to threads). Connections are reused without RSET after a finished DATA,
# and each transaction is observed once in the metrics.

MAX_REPLY_LINES = 100  # a reply longer than this is a broken or hostile upstream


class UpstreamProtocolError(OSError):
    """The upstream sent something that is not an SMTP reply."""


class AsyncConnection:
    """One upstream connection driven from the event loop, with the extensions it offered.

    Every wait on the upstream (a reply, a full send buffer) ends ``timeout`` seconds
    after it began: a watchdog timer per connection aborts the connection then, and the
    wait raises TimeoutError. A wait only moves the watchdog's deadline; the timer itself
    is set again only when it goes off before a later deadline. (``asyncio.timeout``
    around each wait started and cancelled a timer for every reply: a tenth of the
    relay's CPU for a small mail.)
    """

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                 timeout: float) -> None:
        self.reader = reader
        self.writer = writer
        self.timeout = timeout
        self.extensions: set[str] = set()
        self.last_used = time.monotonic()
        self._loop = asyncio.get_running_loop()
        self._deadline = 0.0  # when the wait under way must end; 0.0: none under way
        self._watchdog: asyncio.TimerHandle | None = None
        self.timed_out = False

    def has_extn(self, name: str) -> bool:
        """True when the upstream advertised the EHLO keyword ``name``."""
        return name.lower() in self.extensions

    def _begin_wait(self) -> None:
        """Start bounding a wait by ``timeout`` seconds from now."""
        self._deadline = deadline = self._loop.time() + self.timeout
        if self._watchdog is None:
            self._watchdog = self._loop.call_at(deadline, self._watch)

    def _end_wait(self) -> None:
        self._deadline = 0.0

    def _watch(self) -> None:
        self._watchdog = None
        deadline = self._deadline
        if not deadline:
            return  # no wait under way: the next one sets the timer again
        if self._loop.time() < deadline:
            self._watchdog = self._loop.call_at(deadline, self._watch)
            return
        self.timed_out = True
        self.writer.transport.abort()  # the wait ends with the connection

    def _failed(self, exc: BaseException) -> BaseException:
        """What a wait that ended with ``exc`` raises: TimeoutError once the watchdog
        aborted the connection."""
        return TimeoutError(f"no answer from the upstream within {self.timeout:g} s") \
            if self.timed_out else exc

    async def drain(self) -> None:
        """Wait until the written data is with the kernel (bounded like a reply)."""
        writer = self.writer
        if not writer.transport.get_write_buffer_size():
            return  # nothing waits in the transport: drain would return at once
        self._begin_wait()
        try:
            await writer.drain()
        except (OSError, asyncio.IncompleteReadError) as exc:
            raise self._failed(exc) from None
        finally:
            self._end_wait()

    async def read_reply(self) -> Reply:
        """One (possibly multi-line) reply: its code and its text lines joined by newlines."""
        self._begin_wait()
        try:
            return await self._reply()
        except OSError as exc:
            raise self._failed(exc) from None
        finally:
            self._end_wait()

    async def read_replies(self, count: int) -> list[Reply]:
        """The replies to ``count`` commands sent in one write (RFC 2920), in their order,
        read under one bound; fewer when one is a 421 (the upstream closes the connection,
        the rest will not come)."""
        replies: list[Reply] = []
        self._begin_wait()
        try:
            while len(replies) < count:
                replies.append(reply := await self._reply())
                if reply[0] == 421:
                    break
        except OSError as exc:
            raise self._failed(exc) from None
        finally:
            self._end_wait()
        return replies

    async def _reply(self) -> Reply:
        lines: list[str] = []
        for _ in range(MAX_REPLY_LINES):
            raw = await self.reader.readline()
            if not raw.endswith(b"\n"):
                raise self._failed(ConnectionResetError("the upstream closed the connection"))
            line = raw.rstrip(b"\r\n")
            code = line[:3]
            if len(line) < 3 or not code.isdigit() or line[3:4] not in (b"", b" ", b"-"):
                raise UpstreamProtocolError(f"not an SMTP reply: {line[:40]!r}")
            lines.append(line[4:].decode("utf-8", "replace"))
            if line[3:4] != b"-":
                return int(code), "\n".join(lines)
        raise UpstreamProtocolError(f"reply longer than {MAX_REPLY_LINES} lines")

    async def command(self, line: bytes) -> Reply:
        """Send one command line and read its reply."""
        self.writer.write(line + b"\r\n")
        return await self.read_reply()

    async def send_body(self, head: bytes, body: Path | bytes, *, dot_free: bool = False) -> None:
        """Write ``head`` + ``body`` dot-stuffed and the final dot; files are read off the loop.

        ``dot_free``: no line of ``body`` begins with "." (the listener saw none in DATA),
        so the body goes as it is, unsearched.
        """
        writer = self.writer
        stuffer = _Stuffer()
        if isinstance(body, bytes):
            # One write, one system call: a small mail is sent whole.
            writer.writelines((stuffer.feed(head), stuffer.feed(body, dot_free=dot_free),
                               stuffer.end() + b".\r\n"))
            await self.drain()
            return
        writer.write(stuffer.feed(head))
        with body.open("rb") as f:
            while block := await asyncio.to_thread(f.read, BLOCK):
                writer.write(stuffer.feed(block, dot_free=dot_free))
                await self.drain()  # bounded memory: one block in flight
        writer.write(stuffer.end() + b".\r\n")
        await self.drain()

    async def send_chunk(self, head: bytes, body: Path | bytes) -> None:
        """Write ``BDAT <size> LAST`` and ``head`` + ``body`` as they are (RFC 3030: no dot
        to stuff, no 354 to wait for)."""
        writer = self.writer
        size = len(head) + (len(body) if isinstance(body, bytes) else body.stat().st_size)
        command = b"BDAT %d LAST\r\n" % size
        if isinstance(body, bytes):
            writer.writelines((command, head, body))
        else:
            writer.writelines((command, head))
            sent = 0
            with body.open("rb") as f:
                while sent < size - len(head) and (block := await asyncio.to_thread(f.read, BLOCK)):
                    block = block[:size - len(head) - sent]  # exactly the size announced
                    sent += len(block)
                    writer.write(block)
                    await self.drain()
            if sent != size - len(head):
                raise OSError(f"spool file {body.name} shrank while it was being relayed")
        await self.drain()

    def close(self) -> None:
        """Drop the connection (no QUIT)."""
        if self._watchdog is not None:
            self._watchdog.cancel()
            self._watchdog = None
        with contextlib.suppress(Exception):
            self.writer.close()


class AsyncRelayPool:
    """Upstream connections for one event loop, kept open between messages and reused."""

    def __init__(self, config: UpstreamConfig, hostname: str) -> None:
        self.config = config
        self.host, self.port = parse_host_port("upstream.address", config.address, default_port=25)
        self.helo = config.helo_name or hostname
        self._idle: list[AsyncConnection] = []

    def _where(self) -> str:
        return f"{self.host}:{self.port}"

    async def connect(self) -> AsyncConnection:
        """A new connection: greeting, EHLO, STARTTLS as configured."""
        # asyncio turns Nagle off on TCP transports, so the final dot is not held back
        # for the upstream's delayed ACK.
        try:
            async with asyncio.timeout(self.config.timeout):
                reader, writer = await asyncio.open_connection(self.host, self.port)
        except (OSError, TimeoutError) as exc:
            raise UpstreamUnavailable(f"upstream {self._where()}: cannot connect ({exc!r})",
                                      failure_reason(exc)) from None
        conn = AsyncConnection(reader, writer, self.config.timeout)
        try:
            await self._setup(conn)
        except (OSError, TimeoutError, ssl.SSLError) as exc:
            conn.close()
            raise UpstreamUnavailable(f"upstream {self._where()}: session setup failed ({exc!r})",
                                      failure_reason(exc)) from None
        except BaseException:
            conn.close()
            raise
        return conn

    async def _setup(self, conn: AsyncConnection) -> None:
        """Greeting, EHLO and STARTTLS on a fresh connection."""
        code, text = await conn.read_reply()
        if code != 220:
            raise UpstreamProtocolError(f"greeting {code} {text.splitlines()[0] if text else ''}")
        await self._ehlo(conn)
        if self.config.starttls != "off" and conn.has_extn("starttls"):
            code, text = await conn.command(b"STARTTLS")
            if code != 220:
                raise UpstreamProtocolError(f"STARTTLS refused: {code} {text}")
            async with asyncio.timeout(self.config.timeout):
                await conn.writer.start_tls(upstream_tls_context(self.config),
                                            server_hostname=self.host)
            await self._ehlo(conn)  # RFC 3207 4.2: forget what was said before TLS
            metrics.tls_used("upstream")
        elif self.config.starttls == "require":
            raise UpstreamUnavailable(
                f"upstream {self._where()} does not offer STARTTLS and "
                "upstream.starttls = \"require\"", "tls")

    async def _ehlo(self, conn: AsyncConnection) -> None:
        code, text = await conn.command(b"EHLO " + self.helo.encode())
        if code == 250:
            conn.extensions = {line.split(" ", 1)[0].lower() for line in text.splitlines()[1:]}
            return
        code, text = await conn.command(b"HELO " + self.helo.encode())
        if code != 250:
            raise UpstreamProtocolError(f"EHLO and HELO refused: {code} {text}")
        conn.extensions = set()

    async def acquire(self) -> tuple[AsyncConnection, bool]:
        """An idle connection (reused: True) or a new one (False)."""
        now = time.monotonic()
        while self._idle:
            conn = self._idle.pop()
            if now - conn.last_used < self.config.idle_seconds and not conn.reader.at_eof():
                return conn, True
            conn.close()
        return await self.connect(), False

    def release(self, conn: AsyncConnection) -> None:
        """Return a connection that is between transactions (after RSET or a finished DATA)."""
        conn.last_used = time.monotonic()
        if len(self._idle) < self.config.max_idle_connections:
            self._idle.append(conn)
        else:
            conn.close()

    def close(self) -> None:
        """Close every idle connection (QUIT is sent without waiting for its reply)."""
        idle, self._idle = self._idle, []
        for conn in idle:
            with contextlib.suppress(Exception):
                conn.writer.write(b"QUIT\r\n")
            conn.close()


_FAILURES = (OSError, TimeoutError, asyncio.IncompleteReadError, ssl.SSLError)


class AsyncTransaction:
    """One mail transaction with the upstream (MAIL, RCPT..., DATA) on the event loop.

    The upstream's own replies come back, a lost connection raises
    ``UpstreamUnavailable``, ``finish`` resets and returns the connection, ``abort``
    (synchronous, usable from ``connection_lost``) drops it.
    """

    def __init__(self, pool: AsyncRelayPool, sender: str, *, smtputf8: bool = False,
                 eight_bit: bool = False) -> None:
        self.pool = pool
        self.sender = sender
        self.smtputf8 = smtputf8
        self.eight_bit = eight_bit
        self.conn: AsyncConnection | None = None
        self.started = time.monotonic()
        self.observed = False
        # The replies to RCPTs sent in one write with MAIL (PIPELINING), in order, for
        # rcpt() to give; and the reply to a DATA sent in that write, for data().
        self._pipelined: list[tuple[str, Reply]] = []
        self._data_reply: Reply | None = None

    def observe(self, result: int | str) -> None:
        """Count the transaction in the metrics, once: its final reply or why none came."""
        if not self.observed:
            self.observed = True
            metrics.observe_relay(result, time.monotonic() - self.started)

    def _unavailable(self, message: str, exc: BaseException | None = None) -> UpstreamUnavailable:
        error = UpstreamUnavailable(message, failure_reason(exc) if exc else "connection")
        self.observe(error.reason)
        return error

    def _lost(self, exc: BaseException, at: str) -> UpstreamUnavailable:
        self.abort()
        return self._unavailable(
            f"upstream {self.pool.host}:{self.pool.port}: connection lost at {at} ({exc!r})", exc)

    def _mail_line(self, conn: AsyncConnection) -> bytes:
        options = b""
        if self.eight_bit and conn.has_extn("8bitmime"):
            options += b" BODY=8BITMIME"
        if self.smtputf8 and conn.has_extn("smtputf8"):
            options += b" SMTPUTF8"
        return b"MAIL FROM:<" + self.sender.encode("utf-8", "surrogateescape") + b">" + options

    @staticmethod
    def _rcpt_line(address: str) -> bytes:
        return b"RCPT TO:<" + address.encode("utf-8", "surrogateescape") + b">"

    async def _mail(self, conn: AsyncConnection, recipients: Sequence[str], data: bool) -> Reply:
        self._pipelined, self._data_reply = [], None
        try:
            if not recipients or not conn.has_extn("pipelining"):
                return await conn.command(self._mail_line(conn))
            # RFC 2920: MAIL, the RCPTs and DATA may go in one write; one round trip, one
            # system call. (BDAT, when offered, carries the message in data() instead.)
            data = data and not conn.has_extn("chunking")
            lines = [self._mail_line(conn), *map(self._rcpt_line, recipients)]
            if data:
                lines.append(b"DATA")
            lines.append(b"")
            conn.writer.write(b"\r\n".join(lines))
            replies = await conn.read_replies(len(lines) - 1)
            self._pipelined = list(zip(recipients, replies[1:], strict=False))
            if data and len(replies) == len(lines) - 1:
                self._data_reply = replies[-1]
            return replies[0]
        except BaseException:
            self._pipelined, self._data_reply = [], None
            conn.close()  # lost, or cancelled mid-command: its state is unknown either way
            raise

    async def begin(self, first_rcpt: str | None = None, *,
                    recipients: Sequence[str] | None = None, data: bool = False) -> Reply:
        """Open (or reuse) a connection and send MAIL FROM; the upstream's reply.

        With an upstream that offers PIPELINING, RCPT for ``first_rcpt`` (or for each of
        ``recipients``) goes in the same write, and DATA too with ``data``: ``rcpt`` then
        returns each recipient's own reply from that write, and ``data`` the reply to
        DATA (sending the message only after a 354).
        """
        self.started = time.monotonic()
        group = recipients if recipients is not None else \
            [first_rcpt] if first_rcpt is not None else []
        try:
            conn, reused = await self.pool.acquire()
        except UpstreamUnavailable as exc:
            self.observe(exc.reason)
            raise
        try:
            reply = await self._mail(conn, group, data)
        except _FAILURES as exc:
            if not reused:
                raise self._unavailable(
                    f"upstream {self.pool.host}:{self.pool.port}: connection lost at MAIL "
                    f"({exc!r})", exc) from None
            # An idle connection the upstream closed meanwhile: one fresh try.
            try:
                conn = await self.pool.connect()
            except UpstreamUnavailable as error:
                self.observe(error.reason)
                raise
            try:
                reply = await self._mail(conn, group, data)
            except _FAILURES as exc2:
                raise self._unavailable(
                    f"upstream {self.pool.host}:{self.pool.port}: connection lost at MAIL "
                    f"({exc2!r})", exc2) from None
        if reply[0] == 421:
            conn.close()
            self.observe(421)
            raise UpstreamUnavailable(f"upstream {self.pool.host}:{self.pool.port}: {reply[1]}")
        self.conn = conn
        if reply[0] >= 400:
            self._pipelined = []
            self.observe(reply[0])
            await self.finish()
        return reply

    async def open(self, recipients: Sequence[str]) -> tuple[Reply, str | None]:
        """MAIL FROM, then RCPT TO for each recipient (the first pipelined with MAIL when
        the upstream allows): the last success, or the first refusal and the recipient it
        refused (None when MAIL itself was refused, which already reset the transaction).

        With PIPELINING, MAIL, every RCPT and DATA go in one write and their replies are
        read together; after a refused recipient the DATA the upstream may have accepted
        (354) is not answered with a message: the connection is dropped, so nothing is
        delivered to the others either, as when the RCPTs went one at a time."""
        reply = await self.begin(recipients=recipients, data=True)
        if reply[0] >= 400:
            return reply, None
        for address in recipients:
            reply = await self.rcpt(address)
            if reply[0] >= 300:
                if self._data_reply is not None and self._data_reply[0] == 354:
                    self.abort()
                self._pipelined, self._data_reply = [], None
                return reply, address
        return reply, None

    async def rcpt(self, address: str) -> Reply:
        """RCPT TO for one recipient; the upstream's own reply."""
        conn = self.conn
        if conn is None:
            raise UpstreamUnavailable("no upstream transaction open")
        if self._pipelined:
            sent, reply = self._pipelined.pop(0)
            if sent == address:
                return reply
            self._pipelined = []  # asked in another order: each from here on by itself
        try:
            return await conn.command(self._rcpt_line(address))
        except _FAILURES as exc:
            raise self._lost(exc, "RCPT") from None
        except BaseException:
            self.abort()
            raise

    def lost(self) -> bool:
        """True when the upstream has closed this transaction's connection (it timed out
        the idle session while the message was being scanned): nothing was sent on it
        since, so the message can go on a new transaction without being delivered twice."""
        conn = self.conn
        return conn is not None and (conn.reader.at_eof() or conn.writer.is_closing())

    async def data(self, head: bytes, body: Path | bytes, *, dot_free: bool = False) -> Reply:
        """Send ``head`` + ``body`` as the message (BDAT when the upstream offers CHUNKING,
        else DATA); the upstream's final reply. ``dot_free``: no line of ``body`` begins
        with "." (DATA then sends it without searching it for dots to stuff)."""
        conn = self.conn
        if conn is None:
            raise UpstreamUnavailable("no upstream transaction open")
        try:
            if conn.has_extn("chunking"):
                # One write and one reply instead of DATA, 354, the body and its reply.
                await conn.send_chunk(head, body)
                reply = await conn.read_reply()
            else:
                pipelined, self._data_reply = self._data_reply, None
                code, text = pipelined or await conn.command(b"DATA")
                if code != 354:
                    self.observe(code)
                    await self.finish()  # DATA refused: MAIL and RCPT still stand, reset them
                    return code, text
                await conn.send_body(head, body, dot_free=dot_free)
                reply = await conn.read_reply()
        except _FAILURES as exc:
            raise self._lost(exc, "DATA") from None
        except BaseException:
            self.abort()
            raise
        self.observe(reply[0])
        if conn.has_extn("chunking") and reply[0] >= 400 and reply[0] != 421:
            await self.finish()  # RFC 3030 2: after a failed BDAT the client resets
            return reply
        # The reply to the final dot ends the transaction whatever it says (RFC 5321
        # 4.1.1.4): the next MAIL may follow at once, no RSET round trip needed.
        self.conn = None
        if reply[0] == 421:
            conn.close()  # the upstream is closing the connection
        else:
            self.pool.release(conn)
        return reply

    async def finish(self) -> None:
        """End an unfinished transaction: RSET, and give the connection back for reuse."""
        conn, self.conn = self.conn, None
        if conn is None:
            return
        self._pipelined, data_reply, self._data_reply = [], self._data_reply, None
        if data_reply is not None and data_reply[0] == 354:
            conn.close()  # the upstream reads a message now: RSET would be its first line
            return
        try:
            code, _ = await conn.command(b"RSET")
        except _FAILURES:
            conn.close()
            return
        except BaseException:
            conn.close()
            raise
        if code == 250:
            self.pool.release(conn)
        else:
            conn.close()

    def abort(self) -> None:
        """Drop the connection (the client went away or the upstream failed)."""
        conn, self.conn = self.conn, None
        self._pipelined, self._data_reply = [], None
        if conn is not None:
            conn.close()


# -- the blocking face, used by the quarantine outbox from its worker thread --------------
#
# The outbox is blocking code in a thread. Rather than a second SMTP client, it runs the
# asyncio one on an event loop of its own: the loop lives in a daemon thread for as long
# as the pool, so that connections outlast each call and are reused between messages.

class RelayPool:
    """Upstream connections for blocking callers: an ``AsyncRelayPool`` on a private loop.

    Thread-safe: every call is handed to the loop's thread and waited for, and the
    connections are touched only there.
    """

    def __init__(self, config: UpstreamConfig, hostname: str) -> None:
        self.config = config
        self.async_pool = AsyncRelayPool(config, hostname)
        self.host, self.port = self.async_pool.host, self.async_pool.port
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def _running_loop(self) -> asyncio.AbstractEventLoop:
        # Started on first use, so that a pool built before a fork or never used costs
        # no thread.
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                thread = threading.Thread(target=_run_loop, args=(loop,), name="redline-relay",
                                          daemon=True)
                thread.start()
                self._loop, self._thread = loop, thread
            return self._loop

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run ``coroutine`` on the pool's event loop and wait for its result (or exception)."""
        # No deadline here: every network step inside is bounded by upstream.timeout.
        return asyncio.run_coroutine_threadsafe(coroutine, self._running_loop()).result()

    def close(self, timeout: float = 5.0) -> None:
        """Close every idle connection (QUIT) and stop the pool's event loop."""
        with self._lock:
            loop, thread, self._loop, self._thread = self._loop, self._thread, None, None
        if loop is None or thread is None:
            return
        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(self._close_idle(), loop).result(timeout)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout)

    async def _close_idle(self) -> None:
        idle = list(self.async_pool._idle)
        self.async_pool.close()
        # Let QUIT and the TLS close_notify go out before the loop stops.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(1.0):
                await asyncio.gather(*(conn.writer.wait_closed() for conn in idle),
                                     return_exceptions=True)


def _run_loop(loop: asyncio.AbstractEventLoop) -> None:
    """The body of a ``RelayPool``'s thread: run its loop until stopped, then tidy up."""
    asyncio.set_event_loop(loop)
    try:
        loop.run_forever()
    finally:
        # A call still waiting (the pool closed mid-transaction) ends with CancelledError.
        pending = asyncio.all_tasks(loop)
        for task in pending:
            task.cancel()
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.run_until_complete(loop.shutdown_default_executor())  # send_body's file reads
        loop.close()


class Transaction:
    """One blocking mail transaction: an ``AsyncTransaction`` run on the pool's event loop.

    The same contract: the upstream's own replies come back, a lost connection raises
    ``UpstreamUnavailable``, ``finish`` resets and returns the connection, ``abort`` drops it.
    """

    def __init__(self, pool: RelayPool, sender: str, *, smtputf8: bool = False,
                 eight_bit: bool = False) -> None:
        self.pool = pool
        self.transaction = AsyncTransaction(pool.async_pool, sender, smtputf8=smtputf8,
                                            eight_bit=eight_bit)

    def observe(self, result: int | str) -> None:
        """Count the transaction in the metrics, once: its final reply or why none came."""
        self.transaction.observe(result)

    def begin(self, first_rcpt: str | None = None, *, recipients: Sequence[str] | None = None,
              data: bool = False) -> Reply:
        """Open (or reuse) a connection and send MAIL FROM (with RCPT for ``first_rcpt`` or
        each of ``recipients``, and DATA with ``data``, in the same write when the upstream
        allows); the upstream's reply to MAIL."""
        return self.pool.run(self.transaction.begin(first_rcpt, recipients=recipients,
                                                    data=data))

    def rcpt(self, address: str) -> Reply:
        """RCPT TO for one recipient; the upstream's own reply."""
        return self.pool.run(self.transaction.rcpt(address))

    def data(self, head: bytes, body: Path | bytes) -> Reply:
        """Send ``head`` + ``body`` as the message; the upstream's reply to the final dot."""
        return self.pool.run(self.transaction.data(head, body))

    def finish(self) -> None:
        """End an unfinished transaction: RSET, and give the connection back for reuse."""
        self.pool.run(self.transaction.finish())

    def abort(self) -> None:
        """Drop the connection (the upstream failed or the caller gives up)."""
        if self.transaction.conn is not None:  # nothing open: spare the thread round trip
            self.pool.run(self._abort())

    async def _abort(self) -> None:
        self.transaction.abort()  # transports are closed on their own loop's thread


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
            # With PIPELINING: MAIL, every RCPT and DATA in one write, one round trip; the
            # DATA is answered 354 only when some recipient was accepted.
            code, text = txn.begin(recipients=recipients, data=True)
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
