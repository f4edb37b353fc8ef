"""The SMTP wire protocol: aiosmtpd's state machine, held to RFC 5321 and made to stream DATA.

``RedlineSMTP`` speaks SMTP and decides nothing about a mail: it caps sessions, enforces
CRLF command lines and RFC 2920 pipelining (``CommandStream``), takes XFORWARD from the
MTA in front, and reads DATA in large chunks (``gateway/smtp/data.py``) into memory or a
spool file, then asks the handler (``gateway/smtp/handler.py``) for the reply. A client
that breaks the protocol gets one reply and the connection closes (``SessionRefused``).
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import re
import weakref
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple

import aiosmtpd.smtp as aiosmtpd_smtp
from aiosmtpd.smtp import SMTP, Session

from filters.errors import RedlineError
from gateway.ops import metrics
from gateway.smtp.data import DataChunker, DataReader
from gateway.smtp.message import Message
from gateway.smtp.session import RedlineSession

if TYPE_CHECKING:
    from gateway.smtp.handler import MailHandler
    from gateway.smtp.listener import SmtpGateway


log = logging.getLogger("redline.smtp")

FLUSH_BYTES = 1 << 20
_HOOK_PREFIXES = ("smtp_", "auth_", "handle_")
# "<dot-atom@dot-atom>" then parameters (RFC 5321 4.1.2), UTF-8 as RFC 6531 allows: what
# aiosmtpd's parser accepts and returns unchanged (a unit test compares the two).
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-\u0080-\U0010ffff]+"
_PLAIN_PATH = re.compile(rf"[ \t]*<({_ATOM}(?:\.{_ATOM})*@{_ATOM}(?:\.{_ATOM})*)>[ \t]*(.*)\Z",
                         re.DOTALL)


_aiosmtpd_sanitized_log = aiosmtpd_smtp.sanitized_log
_LOG_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}


def _sanitized_log(func: Any, msg: Any, *args: Any, **kwargs: Any) -> None:
    """aiosmtpd's sanitized_log, asking the logger first whether it writes the level.

    aiosmtpd masks AUTH lines in every command line it logs at DEBUG and INFO before the
    logger decides; Redline keeps mail.log at WARNING, so for each command that was
    work for nothing (two calls a command).
    """
    logger = getattr(func, "__self__", None)
    level = _LOG_LEVELS.get(getattr(func, "__name__", ""))
    if level is not None and isinstance(logger, logging.Logger) and not logger.isEnabledFor(level):
        return
    _aiosmtpd_sanitized_log(func, msg, *args, **kwargs)


aiosmtpd_smtp.sanitized_log = _sanitized_log


class SessionRefused(RedlineError):
    """The client broke the protocol in a way that ends the session: reply, then close."""

    def __init__(self, reply: str, reason: str) -> None:
        super().__init__(reply)
        self.reply = reply
        self.reason = reason  # the metrics label (REFUSAL_REASONS)


# -- command lines ---------------------------------------------------------------------

# RFC 2920 3.1: a command that changes the session's state or waits on the server must be
# the last of a pipelined group; a client that sends more behind it did not wait for the
# reply, so what it sent next may be read in a state it did not expect.
GROUP_LAST = frozenset({b"EHLO", b"HELO", b"STARTTLS", b"NOOP", b"VRFY", b"EXPN", b"DATA",
                        b"QUIT"})


class CommandStream(asyncio.StreamReader):
    """The client's byte stream as aiosmtpd reads commands from it, held to RFC 5321.

    A command line must end in CRLF with no other CR or LF in it: Redline refuses what a
    different reading of line endings would split differently (the command-level half
    of SMTP smuggling). It also notes commands that arrive behind a command that must
    end a pipelined group (``pipelined_after``).
    """

    pipelined_after: bytes | None = None  # the group-ending command more data came behind
    _session_closing = False

    async def readuntil(self, separator: bytes = b"\n") -> bytes:
        if self._session_closing:
            await asyncio.Event().wait()  # the session is ending: read nothing more
        line = await super().readuntil(separator)
        if separator != b"\n":
            return line
        if not line.endswith(b"\r\n") or b"\r" in line[:-2]:
            bare = "CR" if b"\r" in line[:-2] else "LF"
            raise SessionRefused(
                f"500 5.5.2 command line refused: bare {bare}; SMTP lines end in CRLF "
                "(RFC 5321 2.3.8); closing the connection", "smuggling")
        if self._buffer and self.pipelined_after is None:
            command = line[:9].split(None, 1)[0].upper() if line.strip() else b""
            if command in GROUP_LAST:
                self.pipelined_after = command
        return line

    def close_session(self) -> None:
        """Ignore everything the client sends from now on (the connection is closing)."""
        self._session_closing = True
        self._buffer.clear()

    def has_buffered(self) -> bool:
        """True when the client sent bytes that have not been read yet."""
        return bool(self._buffer)

    def unread(self, data: bytes) -> None:
        """Put ``data`` back in front of the stream (commands that followed a message)."""
        if data:
            self._buffer[0:0] = data

    def take_buffered(self) -> bytes:
        """What the client sent that has not been read yet, taken out of the stream."""
        data = bytes(self._buffer)
        self._buffer.clear()
        self._maybe_resume_transport()
        return data


class RedlineSMTP(SMTP):
    """aiosmtpd's SMTP with a session cap, a DATA timeout and chunked, spooled DATA."""

    # aiosmtpd sizes its stream buffer by this; DATA is read in chunks of up to this size.
    # Command lines keep their own 512-octet limit (command_size_limit).
    line_length_limit = 64 * 1024

    def __init__(self, handler: MailHandler, gateway: SmtpGateway, *, implicit_tls: bool = False,
                 **kwargs: Any) -> None:
        tables = _HOOK_TABLES.get((type(self), type(handler)))
        if tables is None or kwargs.keys() != _FAST_INIT_KEYWORDS or not kwargs["hostname"]:
            super().__init__(handler, **kwargs)
            if aiosmtpd_smtp.__version__ in _FAST_INIT_VERSIONS:
                _HOOK_TABLES[(type(self), type(handler))] = _hook_tables(self, handler)
        else:
            self._init_from_tables(handler, tables, **kwargs)
        self.gateway = gateway
        self.implicit_tls = implicit_tls  # the connection is TLS from its first byte (RFC 8314)
        self._deadline = 0.0  # when the session timer ends it (see _reset_timeout)
        self._continued: list[bytes] = []
        self._data_sink: _DataSink | None = None  # while a message's data is read

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        if self.implicit_tls and self._original_transport is None:
            # aiosmtpd knows only STARTTLS: record the TLS session the way it does, so
            # that AUTH is offered and the trace says ESMTPS.
            self.session.ssl = {"ssl_object": transport.get_extra_info("ssl_object"),
                                "cipher": transport.get_extra_info("cipher")}
            metrics.tls_used("smtp")

    def _init_from_tables(self, handler: MailHandler, tables: _HookTables, *, hostname: str,
                          data_size_limit: int, enable_SMTPUTF8: bool, ident: str,
                          tls_context: Any, require_starttls: bool, auth_require_tls: bool,
                          timeout: float) -> None:
        """What aiosmtpd's ``SMTP.__init__`` sets for the arguments the listener passes,
        with the command and hook tables built from names found once per class.

        aiosmtpd looks its methods and the handler's hooks up with ``inspect.getmembers``
        and ``inspect.signature`` on every connection: two thirds of setting up a session,
        which Postfix opens for every message it hands over. A unit test compares the
        result with aiosmtpd's own constructor attribute by attribute.
        """
        self.__ident__ = ident
        # The listener builds its protocols inside the running loop, which is what
        # aiosmtpd's make_loop finds too, after resetting the warning filters to ask.
        try:
            self.loop = asyncio.get_running_loop()
        except RuntimeError:
            self.loop = aiosmtpd_smtp.make_loop()
        asyncio.StreamReaderProtocol.__init__(
            self, asyncio.StreamReader(loop=self.loop, limit=self.line_length_limit),
            client_connected_cb=self._cb_client_connected, loop=self.loop)
        self.event_handler = handler
        self.data_size_limit = data_size_limit
        self.enable_SMTPUTF8 = enable_SMTPUTF8
        self._decode_data = False
        self.command_size_limits.clear()
        self.hostname = hostname
        self.tls_context = tls_context
        self.require_starttls = tls_context and require_starttls
        self._timeout_duration = timeout
        self._timeout_handle = None
        self._tls_handshake_okay = True
        self._tls_protocol = None
        self._original_transport = None
        self.session = None
        self.envelope = None
        self.transport = None
        self._handler_coroutine = None
        self._auth_require_tls = auth_require_tls
        self._proxy_timeout = None
        self._authenticator = None
        self._auth_callback = aiosmtpd_smtp.login_always_fail
        self._auth_required = False
        self._auth_methods = _BoundAuth(self, handler, tables.auth)
        # The handler's bound hooks are the same for every session it serves: one table.
        hooks = _HANDLER_HOOKS.get(handler)
        if hooks is None:
            hooks = {name: getattr(handler, attr) for name, attr in tables.hooks}
            _HANDLER_HOOKS[handler] = hooks
        self._handle_hooks = hooks
        self._ehlo_hook_ver = tables.ehlo_version
        self._smtp_methods = _BoundCommands(self, tables.commands)
        self._enforce_call_limit = False

    async def push(self, status: str | bytes) -> None:
        """Send a reply line; the lines of a multi-line reply (EHLO) go out in one write.

        aiosmtpd pushes each line of a multi-line reply on its own, and on loopback each
        write is a system call that wakes the client: for EHLO that was most of a small
        mail's sends.
        """
        line = status if isinstance(status, bytes) else status.encode(
            "utf-8" if self.enable_SMTPUTF8 else "ascii")
        if line[3:4] == b"-":
            self._continued.append(line)
            return
        if self._continued:
            line = b"\r\n".join((*self._continued, line))
            self._continued.clear()
        # What aiosmtpd's push does, without its frame and its debug line per reply.
        writer = self._writer
        writer.write(line + b"\r\n")
        if aiosmtpd_smtp.log.isEnabledFor(logging.DEBUG):
            aiosmtpd_smtp.log.debug("%r << %r", self.session and self.session.peer, line)
        transport = writer.transport
        # A reply the kernel took whole leaves nothing to wait for; drain (three
        # coroutine frames) only when bytes wait or the connection is going (it raises).
        if transport.get_write_buffer_size() or transport.is_closing():
            await writer.drain()

    def _create_session(self) -> Session:
        return RedlineSession(self.loop)

    def _cb_client_connected(self, reader: asyncio.StreamReader,
                             writer: asyncio.StreamWriter) -> None:
        # aiosmtpd builds a plain StreamReader; ours adds the line-ending and pipelining
        # checks to the same object (same layout, so only the class changes).
        reader.__class__ = CommandStream
        super()._cb_client_connected(reader, writer)

    @property
    def commands(self) -> CommandStream:
        """The client's stream (a CommandStream once connected)."""
        return self._reader  # type: ignore[return-value]

    async def handle_exception(self, error: Exception) -> str:
        """End the session after a reply: the refusal's, or 421 for an internal error.

        An unexpected error is Redline's fault, not the sender's: 421 makes the sending MTA
        keep the message and retry (aiosmtpd's own answer, a 500 quoting the exception,
        would bounce it and show internals), and closing stops whatever the client sends
        next, message data included, from being read as commands.
        """
        if isinstance(error, SessionRefused):
            self._end_session(error)
            return error.reply
        log.error("smtp internal error client=%s: %r; answered 421 and closed", self._peer_ip(),
                  error, exc_info=error)
        refusal = SessionRefused("421 4.3.0 internal error in Redline; try again later",
                                 "protocol")
        self._end_session(refusal)
        return refusal.reply

    def _end_session(self, refusal: SessionRefused) -> None:
        """Log and count ``refusal``, read nothing more, close once the reply is out."""
        log.warning("smtp session refused client=%s: %s", self._peer_ip(), refusal.reply[4:])
        metrics.smtp_session_refused(refusal.reason)
        self.commands.close_session()
        if self.transport is not None:
            # After the caller's push of the reply: close() flushes what was written.
            self.loop.call_soon(lambda t=self.transport: t.close())

    async def _refuse(self, refusal: SessionRefused) -> None:
        self._end_session(refusal)
        await self.push(refusal.reply)

    async def _end_upstream_transaction(self) -> None:
        """Reset the upstream transaction opened at RCPT for a message that is not sent:
        the next message's MAIL and RCPTs must not join its sender and recipients."""
        session = self.session
        if isinstance(session, RedlineSession) and session.transaction is not None:
            transaction, session.transaction = session.transaction, None
            await transaction.finish()

    def _set_post_data_state(self) -> None:
        super()._set_post_data_state()
        if isinstance(self.session, RedlineSession):
            self.session.forwarded = {}  # XFORWARD describes one transaction

    async def smtp_XFORWARD(self, arg: str) -> None:
        """Postfix's XFORWARD: the original client of the message that follows.

        Taken only from trusted networks (the MTA Redline sits behind) and only between
        transactions; it changes what the quarantine records, never who may relay.
        """
        session = self.session
        assert isinstance(session, RedlineSession)
        if not (self.gateway.smtp.xforward and self.gateway.handler.trusted(session)):
            await self.push("550 5.7.0 XFORWARD is accepted from smtp.trusted_networks only")
            return
        if self.envelope is not None and self.envelope.mail_from is not None:
            await self.push("503 5.5.1 XFORWARD is not allowed within a mail transaction")
            return
        try:
            session.forwarded.update(parse_xforward(arg or ""))
        except ValueError as exc:
            await self.push(f"501 5.5.4 {exc}")
            return
        await self.push("250 2.0.0 Ok")

    async def smtp_AUTH(self, arg: str) -> None:
        """aiosmtpd's AUTH, with the mechanism name matched case-insensitively (RFC 4954 4)."""
        if arg:
            mechanism, _, rest = arg.partition(" ")
            arg = f"{mechanism.upper()} {rest}".rstrip()
        await super().smtp_AUTH(arg)

    async def smtp_STARTTLS(self, arg: str) -> None:
        """STARTTLS, refused when the client sent more before the handshake.

        Bytes sent in the clear behind STARTTLS would otherwise wait in the buffer and be
        taken as commands of the encrypted session (CVE-2011-0411).
        """
        if self.commands.has_buffered():
            await self._refuse(SessionRefused(
                "554 5.5.0 improper pipelining: data sent after STARTTLS before the TLS "
                "handshake; closing the connection", "pipelining"))
            return
        await super().smtp_STARTTLS(arg)

    def __dir__(self) -> list[str]:
        return hook_names(self)

    def _getaddr(self, arg: str) -> tuple[str | None, str | None]:
        # The plain "<local@domain>" of almost every MAIL and RCPT, parsed without the
        # RFC 5322 header parser (which aiosmtpd runs, with a class defined per call);
        # anything else (quoted local parts, routes, comments) goes the full way.
        match = _PLAIN_PATH.match(arg)
        if match is None or match.group(2).startswith("("):
            return super()._getaddr(arg)
        address = match.group(1)
        if self.local_part_limit and len(address.rpartition("@")[0]) > self.local_part_limit:
            return None, None
        return address, match.group(2)

    async def _handle_client(self) -> None:
        gateway = self.gateway
        if gateway.sessions >= gateway.smtp.max_sessions:
            log.warning("smtp session refused: %d sessions open (smtp.max_sessions)",
                        gateway.sessions)
            metrics.smtp_session_refused("max_sessions")
            await self.push("421 4.7.0 too many connections; try again later")
            if self.transport is not None:
                self.transport.close()
            return
        gateway.sessions += 1
        gateway.protocols.add(self)
        metrics.smtp_session_opened()
        try:
            await super()._handle_client()
        finally:
            gateway.sessions -= 1
            gateway.protocols.discard(self)
            metrics.smtp_session_closed()

    def _reset_timeout(self, duration: float | None = None) -> None:
        """aiosmtpd's session timer, pushed back by moving its deadline.

        aiosmtpd cancels its timer and starts a new one for every command (and every
        chunk of DATA); here the timer stays and, when it goes off early, waits for the
        rest of the latest deadline. Only a deadline earlier than the timer's needs a new
        one.
        """
        deadline = self.loop.time() + (duration or self._timeout_duration)
        self._deadline = deadline
        handle = self._timeout_handle
        if handle is not None and not handle.cancelled() and handle.when() <= deadline:
            return
        if handle is not None:
            handle.cancel()
        self._timeout_handle = self.loop.call_at(deadline, self._timer_fired)

    def _timer_fired(self) -> None:
        if self.loop.time() < self._deadline:
            self._timeout_handle = self.loop.call_at(self._deadline, self._timer_fired)
            return
        self._timeout_cb()

    async def smtp_DATA(self, arg: str) -> None:
        """DATA read in chunks into a spool file; then the handler decides the reply."""
        if await self.check_helo_needed():
            return
        if await self.check_auth_needed("DATA"):
            return
        assert self.envelope is not None
        if not self.envelope.rcpt_tos:
            await self.push("503 5.5.1 need RCPT command first")
            return
        if arg:
            await self.push("501 5.5.4 syntax: DATA")
            return
        commands = self.commands
        if commands.pipelined_after is not None or commands.has_buffered():
            after = (commands.pipelined_after or b"DATA").decode()
            await self._refuse(SessionRefused(
                f"554 5.5.0 improper pipelining: commands or data sent after {after} "
                "without waiting for its reply (RFC 2920 3.1); closing the connection",
                "pipelining"))
            return
        smtp = self.gateway.smtp
        message = self.gateway.new_message()  # its spool file is created with the first write
        try:
            await self.push("354 End data with <CR><LF>.<CR><LF>")
            reader = DataReader(max_bytes=smtp.max_message_bytes, max_line=smtp.max_line_length)
            if not await self._receive(reader, message):
                return
            if reader.problem:
                log.warning("smtp data refused client=%s reason=%s", self._peer_ip(),
                            reader.problem[:3] + " " + reader.problem.split(":")[0][10:])
                metrics.smtp_session_refused(_refusal_reason(reader.problem))
                await self._end_upstream_transaction()
                self._set_post_data_state()
                await self.push(reader.problem)
                return
            message.dot_free = reader.dot_free
            self.envelope.message = message  # type: ignore[attr-defined]
            self.envelope.size = reader.size  # type: ignore[attr-defined]
            # Scanning and relaying may take longer than the idle timeout allows.
            self._reset_timeout(self.gateway.decision_seconds)
            status = await self._call_handler_hook("DATA")
            self._set_post_data_state()
            await self.push(status)
            self._reset_timeout()
        finally:
            if message.on_disk:
                try:
                    asyncio.get_running_loop().run_in_executor(None, message.remove)
                except RuntimeError:  # the loop is gone (shutdown): clean up here
                    message.remove()

    def data_received(self, data: bytes) -> None:
        """Bytes from the client: message data straight to the DATA reader while a
        message is being read, else to the command stream."""
        sink = self._data_sink
        if sink is None:
            super().data_received(data)
            return
        self._reset_timeout(self.gateway.smtp.data_timeout)
        if sink.feed(data):  # the end of the data: what follows are commands again
            self._data_sink = None
            if sink.after:
                self.commands.feed_data(sink.after)
        elif sink.pending_bytes >= FLUSH_BYTES and not sink.paused and self.transport is not None:
            # Read no more until _receive has written this to the spool file: in one turn
            # of its loop the transport may otherwise deliver megabytes more first.
            self.transport.pause_reading()
            sink.paused = True

    def eof_received(self) -> bool | None:
        sink, self._data_sink = self._data_sink, None
        if sink is not None:
            sink.close()
        return super().eof_received()

    async def _receive(self, reader: DataReader, message: Message) -> bool:
        """Read the data into ``message``; False when the connection ended first.

        While a message is read, ``data_received`` hands each piece that arrives to
        the chunker and the reader in the transport's own callback (``_DataSink``): no
        copy into the command stream's buffer and out again, no wake-up of this
        coroutine per piece (at a megabyte a mail, a tenth of a worker's CPU).

        A message that ends before FLUSH_BYTES stays in memory (``message.data``): it is
        written to its spool file later, in the same trip off the loop as its scan.
        Larger ones go to the spool file as they arrive (reading paused meanwhile), so
        memory stays bounded.
        """
        transport = self.transport
        if transport is None:
            return False
        self._reset_timeout(self.gateway.smtp.data_timeout)
        sink = _DataSink(DataChunker(), reader, asyncio.get_running_loop())
        stream = self.commands
        if stream.has_buffered():  # sent before the 354: read as message data too
            early = stream.take_buffered()
            if sink.feed(early):
                stream.unread(sink.after)
        if not sink.ended:
            self._data_sink = sink
        spool = message.spool
        out: BinaryIO | None = None
        try:
            while True:
                if sink.closed:
                    return False  # the client closed the connection mid-DATA
                if sink.ended and out is None:
                    message.data = b"".join(sink.pending)
                    return True
                if sink.pending_bytes >= FLUSH_BYTES or sink.ended:
                    message.on_disk = True
                    pending, sink.pending, sink.pending_bytes = sink.pending, [], 0
                    out = await asyncio.to_thread(_write_spool, out, spool, b"".join(pending),
                                                  sink.ended)
                    if sink.ended:
                        return True
                    if sink.paused and not transport.is_closing():
                        transport.resume_reading()
                    sink.paused = False
                    continue
                await sink.wait()
        finally:
            self._data_sink = None
            if sink.paused and not transport.is_closing():
                transport.resume_reading()
            if out is not None:
                await asyncio.to_thread(out.close)

    def connection_lost(self, error: Exception | None) -> None:
        sink, self._data_sink = self._data_sink, None
        if sink is not None:
            sink.close()
        session = self.session
        if isinstance(session, RedlineSession) and session.transaction is not None:
            session.transaction.abort()
            session.transaction = None
        super().connection_lost(error)

    def _peer_ip(self) -> str:
        peer = self.session.peer if self.session else None
        return str(peer[0]) if isinstance(peer, tuple) else str(peer)


class _DataSink:
    """A message's data as the transport delivers it: chunked and read (dot-stuffing,
    line endings, limits) in ``feed``, kept in ``pending`` until the listener takes it."""

    __slots__ = ("after", "chunker", "closed", "ended", "loop", "paused", "pending",
                 "pending_bytes", "reader", "waiter")

    def __init__(self, chunker: DataChunker, reader: DataReader,
                 loop: asyncio.AbstractEventLoop) -> None:
        self.chunker = chunker
        self.reader = reader
        self.loop = loop
        self.pending: list[bytes] = []  # message bytes not yet taken
        self.pending_bytes = 0
        self.ended = False  # the end of the data was read
        self.closed = False  # the client went away first
        self.after = b""  # bytes after the end of the data: commands
        self.paused = False  # the transport's reading is paused until pending is written
        self.waiter: asyncio.Future[None] | None = None

    def feed(self, data: bytes) -> bool:
        """Read ``data``; True once it held the end of the data (``after`` has the rest)."""
        chunk, _, after = self.chunker.push(data)
        out, end = self.reader.feed(chunk, self.chunker.dots)
        if out:
            self.pending.append(out)
            self.pending_bytes += len(out)
        if end:
            self.ended = True
            self.after = after
        if end or self.pending_bytes >= FLUSH_BYTES:
            self._wake()
        return end

    def close(self) -> None:
        """The connection ended (or the client half-closed it) before the data did."""
        self.closed = True
        self._wake()

    def _wake(self) -> None:
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def wait(self) -> None:
        """Until ``feed`` or ``close`` has news (the end, a full buffer, the end of the
        connection); the session timer bounds the wait by closing the connection."""
        self.waiter = self.loop.create_future()
        try:
            await self.waiter
        finally:
            self.waiter = None


class _BoundCommands(Mapping[str, Any]):
    """aiosmtpd's command table (command -> bound method) with each method bound when
    looked up: a session uses five or six of its twenty commands, and binding all of
    them was a tenth of setting a session up."""

    __slots__ = ("_names", "_protocol")

    def __init__(self, protocol: SMTP, commands: tuple[tuple[str, str], ...]) -> None:
        self._protocol = protocol
        self._names = dict(commands)

    def __getitem__(self, command: str) -> Any:
        return getattr(self._protocol, self._names[command])

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


class _BoundAuth(Mapping[str, Any]):
    """aiosmtpd's AUTH mechanism table (name -> _AuthMechAttr) bound when looked up: only
    a session that authenticates needs it, and building it was a tenth of a session's
    set-up."""

    __slots__ = ("_entries", "_handler", "_protocol")

    def __init__(self, protocol: SMTP, handler: object,
                 entries: tuple[tuple[str, str, bool], ...]) -> None:
        self._protocol = protocol
        self._handler = handler
        self._entries = entries

    def __getitem__(self, mechanism: str) -> Any:
        for name, attr, builtin in self._entries:
            if name == mechanism:
                owner = self._protocol if builtin else self._handler
                return aiosmtpd_smtp._AuthMechAttr(getattr(owner, attr), builtin)
        raise KeyError(mechanism)

    def __contains__(self, mechanism: object) -> bool:
        return any(name == mechanism for name, _, _ in self._entries)

    def __iter__(self) -> Iterator[str]:
        return (name for name, _, _ in self._entries)

    def __len__(self) -> int:
        return len(self._entries)


# Each handler's bound hooks, shared by the sessions it serves (aiosmtpd only reads them).
_HANDLER_HOOKS: weakref.WeakKeyDictionary[object, dict[str, Any]] = weakref.WeakKeyDictionary()


class _HookTables(NamedTuple):
    """The names behind aiosmtpd's per-connection tables, found once per protocol and
    handler class: (mechanism, method, on the protocol) for AUTH, (hook, method) for the
    handler's hooks and (command, method) for the protocol's commands."""

    auth: tuple[tuple[str, str, bool], ...]
    hooks: tuple[tuple[str, str], ...]
    commands: tuple[tuple[str, str], ...]
    ehlo_version: str | None


# aiosmtpd versions whose SMTP.__init__ _init_from_tables was checked against (the unit test
# compares them); with any other version every connection runs aiosmtpd's own constructor.
_FAST_INIT_VERSIONS = frozenset({"1.4.4", "1.4.5", "1.4.6"})
_FAST_INIT_KEYWORDS = frozenset({"hostname", "data_size_limit", "enable_SMTPUTF8", "ident",
                                 "tls_context", "require_starttls", "auth_require_tls",
                                 "timeout"})
_HOOK_TABLES: dict[tuple[type, type], _HookTables] = {}


def _hook_tables(protocol: SMTP, handler: object) -> _HookTables:
    """The names behind the tables aiosmtpd's constructor just built on ``protocol``."""
    return _HookTables(
        auth=tuple((name, attr.method.__name__, attr.is_builtin)
                   for name, attr in protocol._auth_methods.items()),
        hooks=tuple((name, hook.__name__) for name, hook in protocol._handle_hooks.items()),
        commands=tuple((name, method.__name__) for name, method in protocol._smtp_methods.items()),
        ehlo_version=protocol._ehlo_hook_ver)


def hook_names(obj: object) -> list[str]:
    """The smtp_/auth_/handle_ attribute names of ``obj``'s class, computed once per class.

    aiosmtpd's __init__ looks up its command methods and the handler's hooks with dir()
    and inspect.getmembers on every connection (a fifth of a 10 KB mail's CPU); those
    prefixes are all it looks for, so the protocol and the handler list only those names.
    """
    cls = type(obj)
    names = cls.__dict__.get("_hook_names")
    if names is None:
        names = [n for n in object.__dir__(obj) if n.startswith(_HOOK_PREFIXES)]
        cls._hook_names = names  # type: ignore[attr-defined]
    return list(names)


def _refusal_reason(problem: str) -> str:
    """The metrics label of a refused DATA (a DataReader problem)."""
    if problem.startswith("552"):
        return "message_size"
    if "bare" in problem:
        return "smuggling"
    return "line_length"


def _write_spool(out: BinaryIO | None, spool: Path, data: bytes, close: bool) -> BinaryIO | None:
    """Append ``data`` to the spool file (creating it first); None once it is closed."""
    if out is None:
        out = spool.open("wb")
    out.write(data)
    if close:
        out.close()
        return None
    return out


XFORWARD_ATTRIBUTES = ("NAME", "ADDR", "PORT", "PROTO", "HELO", "IDENT", "SOURCE")
_XTEXT = re.compile(r"\+([0-9A-Fa-f]{2})")


def parse_xforward(arg: str) -> dict[str, str]:
    """The attributes of an XFORWARD command (xtext-decoded); ValueError when malformed.

    Postfix sends "[UNAVAILABLE]" or "[TEMPUNAVAIL]" for what it does not know: such
    attributes are left out, and an IPv6 ADDR loses its "IPV6:" prefix.
    """
    attributes: dict[str, str] = {}
    for item in arg.split():
        name, sep, value = item.partition("=")
        name = name.upper()
        if not sep or name not in XFORWARD_ATTRIBUTES:
            raise ValueError(f"bad XFORWARD attribute {item[:40]!r}; known: "
                             + " ".join(XFORWARD_ATTRIBUTES))
        value = _XTEXT.sub(lambda m: chr(int(m.group(1), 16)), value)[:255]
        if value in ("[UNAVAILABLE]", "[TEMPUNAVAIL]"):
            continue
        if name == "ADDR":
            value = value.removeprefix("IPV6:").removeprefix("ipv6:")
            try:
                ipaddress.ip_address(value)
            except ValueError:
                raise ValueError(f"XFORWARD ADDR {value[:60]!r} is not an IP address") from None
        attributes[name] = value
    return attributes
