"""The SMTP listener: receives outbound mail, has the pipeline inspect it, then relays, holds or refuses.

Protocol work is aiosmtpd's, except DATA: ``RedlineSMTP`` reads message data in large
chunks straight into a spool file (bounded memory), undoes dot-stuffing, and refuses
bare CR / bare LF line endings so that nothing we relay can be read differently by the
upstream (SMTP smuggling). ``MailHandler`` turns an envelope into a pipeline call and
an action. The sender gets 250 only after the upstream took the message, the Maildir
outbox synced it, or the quarantine store committed it; every failure on the way is a
4xx so the sending MTA keeps the message and retries.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.errors
import email.header
import email.parser
import email.policy
import email.utils
import functools
import ipaddress
import logging
import os
import re
import socket
import sqlite3
import ssl
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

from aiosmtpd.smtp import SMTP, Envelope, Session

from filters.engines.signup import MAX_MAIL_TEXT, VERIFICATION_RULE, SignupDetector
from filters.errors import ConfigError, RedlineError
from filters.pipeline import Pipeline
from filters.types import Part, ScanStats, Verdict
from filters.workers import PartsItem, ScanPool, ScanSlots
from gateway import metrics
from gateway.dkim import DkimSigner
from gateway.logging_setup import log_decision
from gateway.maildir import MaildirOutbox
from gateway.relay import AsyncRelayPool, AsyncTransaction, UpstreamUnavailable, format_reply
from gateway.smtp_auth import (
    MECHANISMS,
    SaslError,
    SmtpAuthenticator,
    decode_base64,
    decode_plain,
    decode_text,
    sender_allowed,
)
from gateway.smtp_config import DkimConfig, OrgConfig, SmtpConfig, UpstreamConfig, parse_host_port
from quarantine.notice import HoldNotices, Notice, default_from, header_section
from quarantine.store import HoldRequest, QuarantineItem, QuarantineStore, StoreError, hold_once
from quarantine.users import User, UserStore

log = logging.getLogger("redline.smtp")

FLUSH_BYTES = 1 << 20
HEADER_PEEK = 64 * 1024
T = TypeVar("T")
_HOOK_PREFIXES = ("smtp_", "auth_", "handle_")
# "<dot-atom@dot-atom>" then parameters (RFC 5321 4.1.2), UTF-8 as RFC 6531 allows: what
# aiosmtpd's parser accepts and returns unchanged (a unit test compares the two).
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-\u0080-\U0010ffff]+"
_PLAIN_PATH = re.compile(rf"[ \t]*<({_ATOM}(?:\.{_ATOM})*@{_ATOM}(?:\.{_ATOM})*)>[ \t]*(.*)\Z",
                         re.DOTALL)


class ScanFailed(RedlineError):
    """The message could not be inspected now (scanner overran or failed): answer 4xx."""


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


# -- DATA parsing -----------------------------------------------------------------------


END_OF_DATA = b"\r\n.\r\n"
READ_BYTES = 256 * 1024


class DataChunker:
    """Cuts the client's byte stream during DATA into chunks for ``DataReader.feed``.

    Chunks are as large as what has arrived, and none splits the end-of-data mark: the
    last four bytes are held back until more data shows whether they start it. (Reading
    up to each ".\r\n" instead made every line that ends a sentence a chunk of its own.)
    """

    def __init__(self) -> None:
        self._held = b""
        self._context = b"\r\n"  # what was handed out last: the DATA line's CRLF at first

    def push(self, data: bytes) -> tuple[bytes, bool, bytes]:
        """The next chunk, whether it ends the data, and bytes after the end (commands)."""
        window = self._held + data if self._held else data
        mark = len(END_OF_DATA)
        # A mark that starts in what was handed out comes first; else look in the window.
        found = (self._context + window[:mark - 1]).find(END_OF_DATA)
        end = found + mark - len(self._context) if found >= 0 else -1
        if end < 0 and (found := window.find(END_OF_DATA)) >= 0:
            end = found + mark
        if end >= 0:
            self._held = b""
            return window[:end], True, window[end:]
        keep = min(len(END_OF_DATA) - 1, len(window))
        chunk, self._held = window[:len(window) - keep], window[len(window) - keep:]
        if chunk:
            self._context = (self._context + chunk)[-(len(END_OF_DATA) - 1):]
        return chunk, False, b""


class DataReader:
    """Parses SMTP message data fed in chunks: end of data, dot-stuffing, line endings, limits.

    Only ``<CRLF>.<CRLF>`` ends the data (RFC 5321 4.1.1.4). A bare LF or bare CR is
    recorded as a problem but reading goes on to the real end of data, so no byte of
    the client's stream is ever taken for a command (``<LF>.<LF>`` smuggling) and the
    whole message is refused.
    """

    def __init__(self, *, max_bytes: int, max_line: int) -> None:
        self.max_bytes = max_bytes
        self.max_line = max_line
        self.size = 0  # message bytes after removing dot-stuffing
        self.problem: str | None = None  # the 5xx reply, once something is wrong
        self._previous = b"\r\n"  # the DATA command's CRLF precedes the first line
        self._column = 0  # octets of the current, unfinished line

    def feed(self, chunk: bytes) -> tuple[bytes, bool]:
        """The message bytes in ``chunk`` and whether ``chunk`` ended the data.

        Chunks must come as ``DataChunker`` cuts them: the terminator is never split
        and can only be at a chunk's end.
        """
        before = self._previous[-1:]
        # Only the ends are joined: a chunk may be a quarter of a megabyte.
        end = (self._previous[-2:] + chunk[-5:]).endswith(b"\r\n.\r\n")
        body = chunk[:-3] if end else chunk
        self._previous = (self._previous + chunk[-2:])[-2:]
        if self.problem is None:
            self._check_line_endings(before, body)
        # RFC 5321 4.5.2: drop the first "." of every line (it was doubled by the client).
        out = body.replace(b"\n.", b"\n")
        if before == b"\n" and out[:1] == b".":
            out = out[1:]
        if self.problem is None:
            self._check_lines(out)
        self.size += len(out)
        if self.problem is None and self.size > self.max_bytes:
            self.problem = f"552 5.3.4 message larger than the limit of {self.max_bytes} bytes"
        return (b"" if self.problem else out), end

    def _check_line_endings(self, before: bytes, body: bytes) -> None:
        # ``before`` is the previous chunk's last byte: a CR there pairs with an LF here.
        split_pair = before == b"\r" and body[:1] == b"\n"
        pairs = body.count(b"\r\n") + split_pair
        if body.count(b"\n") != pairs:
            self.problem = ("550 5.5.2 message refused: bare LF in the data; lines must end "
                            "in CRLF (RFC 5321 2.3.8)")
            return
        # A CR at the very end may be completed by the next chunk's LF.
        last = body[-1:] or before
        carriage = body.count(b"\r") + (before == b"\r") - (last == b"\r")
        if carriage != pairs:
            self.problem = ("550 5.5.2 message refused: bare CR in the data; lines must end "
                            "in CRLF (RFC 5321 2.3.8)")

    def _check_lines(self, out: bytes) -> None:
        limit = self.max_line - 1  # octets of a line before its LF, the CR included
        last_lf = out.rfind(b"\n")
        if last_lf < 0:
            self._column += len(out)
            longest = self._column
        elif self._column + len(out) <= limit:
            longest = 0  # no line here can be longer than the whole chunk
            self._column = len(out) - last_lf - 1
        else:
            pieces = out.split(b"\n")
            longest = max(self._column + len(pieces[0]), *(len(p) for p in pieces[1:]))
            self._column = len(pieces[-1])
        if longest > limit:
            self.problem = (f"500 5.5.2 line longer than {self.max_line} octets in the data "
                            "(RFC 5321 4.5.3.1.6)")


# -- scanning off the event loop ---------------------------------------------------------


class Scanner:
    """Scanner processes (one ``ScanPool`` each) used one message at a time from the loop.

    The pipeline stops itself at ``limits.item_seconds`` (a ``limit`` hit: held). A
    scanner still busy ``grace`` seconds later is stuck in C code: it is killed and the
    message held with ``limit.item_seconds``; one that dies holds it with
    ``extract.crashed``. Retrying such a message would only fail the same way, so
    neither is a 4xx. Only a scan that cannot happen at all (no scanner process, no
    spool space) is ScanFailed, answered 451.
    """

    def __init__(self, pipeline: Pipeline, workers: int, grace: float) -> None:
        hard_seconds = pipeline.limits.item_seconds + grace
        # The longest a decision can wait for its scan (the pool answers by hard_seconds;
        # the margin covers killing and replacing a stuck scanner).
        self.wait_seconds = hard_seconds + 15
        # Forked now, before the loop's threads exist.
        self._slots = ScanSlots(pipeline, workers or os.cpu_count() or 1,
                                hard_seconds=hard_seconds)

    @staticmethod
    def _scan_blocking(pool: ScanPool, path: Path) -> Verdict:
        (outcome,) = list(pool.scan_files([str(path)]))
        if outcome.verdict is None:
            raise ScanFailed(f"the spooled message could not be read: {outcome.error}")
        return outcome.verdict

    async def scan(self, path: Path) -> Verdict:
        """The verdict on the spooled message at ``path``; raises ScanFailed."""
        return await self.run(lambda scan: scan(path))

    async def scan_message(self, name: str, data: bytes) -> Verdict:
        """The verdict on a message held in memory, scanned without a spool file or a thread.

        A scanner that overruns or dies gives a held verdict (limit.item_seconds,
        extract.crashed), as for any item: retrying such a message would only fail again.
        """
        part = Part(origin=name, data=data, name=name, declared_type="message/rfc822")
        try:
            outcome = await self._slots.scan(PartsItem(name, (part,)))
        except OSError as exc:  # no scanner process could be started
            raise ScanFailed(f"no scanner process: {exc}") from None
        assert outcome.verdict is not None
        return outcome.verdict

    async def run(self, job: Callable[[Callable[[Path], Verdict]], T]) -> T:
        """``job(scan)`` in one scanning thread, where ``scan(path)`` is the blocking scan.

        The listener batches its own file work (spool write, header read, clean-up) into
        the same trip off the loop as the scan: for small mail each trip to a thread
        costs more than the work it carries.
        """
        running = self._slots.run(lambda pool: job(functools.partial(self._scan_blocking, pool)))
        try:
            return await asyncio.wait_for(running, self.wait_seconds)
        except TimeoutError:
            raise ScanFailed(f"scan did not finish within {self.wait_seconds:g} s") from None
        except OSError as exc:  # the job's own spool work failed
            raise ScanFailed(f"the message could not be spooled: {exc}") from None

    def close(self) -> None:
        """Stop the scanner processes."""
        self._slots.close()


# -- the SMTP protocol -------------------------------------------------------------------


class RedlineSession(Session):
    """aiosmtpd's session plus the open upstream transaction and the AUTH account, if any."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__(loop)
        self.transaction: AsyncTransaction | None = None
        self.account: User | None = None  # set by a successful AUTH
        self.auth_failures = 0
        # XFORWARD attributes (NAME, ADDR, HELO ...) for the current transaction: who the
        # MTA in front of Redline received the message from.
        self.forwarded: dict[str, str] = {}

    @property
    def origin_ip(self) -> str:
        """The original client's address when a trusted MTA forwarded it, else the peer's."""
        return self.forwarded.get("ADDR") or _client_ip(self)

    @property
    def origin_helo(self) -> str:
        """The original client's HELO name when forwarded, else this session's."""
        return self.forwarded.get("HELO") or self.host_name or ""


class RedlineSMTP(SMTP):
    """aiosmtpd's SMTP with a session cap, a DATA timeout and chunked, spooled DATA."""

    # aiosmtpd sizes its stream buffer by this; DATA is read in chunks of up to this size.
    # Command lines keep their own 512-octet limit (command_size_limit).
    line_length_limit = 64 * 1024

    def __init__(self, handler: MailHandler, gateway: SmtpGateway, *, implicit_tls: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(handler, **kwargs)
        self.gateway = gateway
        self.implicit_tls = implicit_tls  # the connection is TLS from its first byte (RFC 8314)
        self._continued: list[bytes] = []

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        if self.implicit_tls and self._original_transport is None:
            # aiosmtpd knows only STARTTLS: record the TLS session the way it does, so
            # that AUTH is offered and the trace says ESMTPS.
            self.session.ssl = {"ssl_object": transport.get_extra_info("ssl_object"),
                                "cipher": transport.get_extra_info("cipher")}
            metrics.tls_used("smtp")

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
        await super().push(line)

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
        return _hook_names(self)

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

    def connection_lost(self, error: Exception | None) -> None:
        session = self.session
        if isinstance(session, RedlineSession) and session.transaction is not None:
            session.transaction.abort()
            session.transaction = None
        super().connection_lost(error)

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
                self._set_post_data_state()
                await self.push(reader.problem)
                return
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

    async def _receive(self, reader: DataReader, message: Message) -> bool:
        """Read the data into ``message``; False when the connection ended first.

        A message that ends before FLUSH_BYTES stays in memory (``message.data``): it is
        written to its spool file later, in the same trip off the loop as its scan.
        Larger ones go to the spool file as they arrive, so memory stays bounded.
        """
        spool = message.spool
        smtp = self.gateway.smtp
        out: BinaryIO | None = None
        pending: list[bytes] = []
        pending_bytes = 0
        chunker = DataChunker()
        stream = self.commands
        try:
            while self.transport is not None:
                self._reset_timeout(smtp.data_timeout)
                received = await stream.read(READ_BYTES)
                if not received:
                    return False  # the client closed the connection mid-DATA
                chunk, _, after = chunker.push(received)
                stream.unread(after)  # pipelined commands after the message
                data, end = reader.feed(chunk)
                if data:
                    pending.append(data)
                    pending_bytes += len(data)
                if end and out is None:
                    message.data = b"".join(pending)
                    return True
                if pending_bytes >= FLUSH_BYTES or end:
                    message.on_disk = True
                    out = await asyncio.to_thread(_write_spool, out, spool, b"".join(pending), end)
                    pending, pending_bytes = [], 0
                if end:
                    return True
            return False
        finally:
            if out is not None:
                await asyncio.to_thread(out.close)

    def _peer_ip(self) -> str:
        peer = self.session.peer if self.session else None
        return str(peer[0]) if isinstance(peer, tuple) else str(peer)


def _hook_names(obj: object) -> list[str]:
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


# -- the decisions ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HeaderInfo:
    """What the handler reads from the message header: subject and From domain."""

    subject: str
    from_domain: str


_VERDICT_HEADER = re.compile(rb"^X-Redline-Verdict:[^\n]*\n(?:[ \t][^\n]*\n)*", re.IGNORECASE | re.MULTILINE)


def strip_verdict_headers(path: Path) -> bool:
    """Remove X-Redline-Verdict headers a sender put in the message; True if any were.

    Downstream filters trust that header; a forged "pass" must not reach them. The file is
    rewritten only when such a header is present.
    """
    with path.open("rb") as f:
        head = f.read(HEADER_PEEK)
        end = head.find(b"\r\n\r\n")
        block = head[: end + 2] if end >= 0 else head
        if not _VERDICT_HEADER.search(block):
            return False
        cleaned = _VERDICT_HEADER.sub(b"", block)
        tmp = path.with_suffix(".clean")
        with tmp.open("wb") as out:
            out.write(cleaned)
            out.write(head[len(block):])
            for chunk in iter(lambda: f.read(1 << 20), b""):
                out.write(chunk)
    tmp.replace(path)
    return True


def strip_verdict_headers_in(message: bytes) -> bytes:
    """``message`` without the X-Redline-Verdict headers a sender put in it."""
    end = message.find(b"\r\n\r\n", 0, HEADER_PEEK)
    split = end + 2 if end >= 0 else min(len(message), HEADER_PEEK)
    block = message[:split]
    if not _VERDICT_HEADER.search(block):
        return message
    return _VERDICT_HEADER.sub(b"", block) + message[split:]


_TAG = re.compile(r"<[^>]{0,2000}>")
MAX_TEXT_PARTS = 20


def mail_text(message: bytes) -> str:
    """The decoded text of the first text parts of ``message`` (HTML tags dropped), bounded."""
    parsed = email.parser.BytesParser(policy=email.policy.default).parsebytes(message)
    texts: list[str] = []
    for count, part in enumerate(parsed.walk()):
        if count >= MAX_TEXT_PARTS * 2:
            break
        if part.get_content_maintype() != "text" or part.is_attachment():
            continue
        try:
            text = part.get_content()
        except (LookupError, ValueError, AssertionError, email.errors.MessageError):
            continue  # an unknown charset or broken encoding: no phrase to find there
        texts.append(_TAG.sub(" ", text) if part.get_content_subtype() == "html" else text)
        if len(texts) >= MAX_TEXT_PARTS:
            break
    return "\n".join(texts)[:MAX_MAIL_TEXT]


class Message:
    """One received message: its spool file and, while it fits in memory, its bytes."""

    __slots__ = ("data", "id", "on_disk", "spool")

    def __init__(self, spool: Path) -> None:
        self.spool = spool
        self.id = spool.stem  # the queue id in Received headers and logs
        self.data: bytes | None = None  # the whole message, when it stayed in memory
        self.on_disk = False  # the spool file may exist (and must be removed)

    @property
    def body(self) -> Path | bytes:
        """The message for relaying: its bytes when in memory, else its spool file."""
        return self.data if self.data is not None else self.spool

    def clean_in_memory(self) -> HeaderInfo:
        """Strip forged verdict headers from the in-memory bytes; read the header (no I/O)."""
        assert self.data is not None
        self.data = strip_verdict_headers_in(self.data)
        return header_info(self.data)

    def prepare(self) -> HeaderInfo:
        """Strip forged verdict headers, make sure the spool file is complete, read the
        header (blocking: run off the loop)."""
        if self.data is None:
            strip_verdict_headers(self.spool)
            return read_header_info(self.spool)
        info = self.clean_in_memory()
        self.on_disk = True
        self.spool.write_bytes(self.data)
        return info

    def prepare_and_scan(self, scan: Callable[[Path], Verdict]) -> tuple[HeaderInfo, Verdict]:
        """``prepare``, scan the spool file, and drop it at once when it is no longer needed
        (a passing message that is relayed from memory): one trip off the loop for all."""
        info = self.prepare()
        verdict = scan(self.spool)
        if verdict.action == "pass" and self.data is not None:
            self.remove()
        return info, verdict

    def readable_text(self) -> str:
        """The text of the message's text/plain and text/html parts, from its first
        MAX_MAIL_TEXT bytes (blocking: for the inbound sign-up check)."""
        if self.data is not None:
            head = self.data[:MAX_MAIL_TEXT]
        else:
            with self.spool.open("rb") as f:
                head = f.read(MAX_MAIL_TEXT)
        return mail_text(head)

    def remove(self) -> None:
        """Delete the spool file and its cleaning copy, if any (blocking)."""
        self.on_disk = False
        for path in (self.spool, self.spool.with_suffix(".clean")):
            path.unlink(missing_ok=True)


def _read_head(path: Path) -> bytes:
    with path.open("rb") as f:
        return f.read(HEADER_PEEK)


def read_header_info(path: Path) -> HeaderInfo:
    """Subject and From domain from the first 64 KiB of a spooled message."""
    with path.open("rb") as f:
        return header_info(f.read(HEADER_PEEK))


def header_info(head: bytes) -> HeaderInfo:
    """Subject and From domain from the start of a message."""
    head = head[:HEADER_PEEK].split(b"\r\n\r\n", 1)[0]
    message = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(head)
    subject = ""
    raw_subject = message.get("Subject")
    if raw_subject is not None:
        try:
            subject = str(email.header.make_header(email.header.decode_header(str(raw_subject))))
        except (email.errors.HeaderParseError, UnicodeError, LookupError, ValueError):
            subject = str(raw_subject)
    addresses = email.utils.getaddresses([str(v) for v in message.get_all("From", [])])
    domain = next((a.rpartition("@")[2] for _, a in addresses if "@" in a), "")
    return HeaderInfo(" ".join(subject.split())[:998], domain.strip().lower())


def _client_ip(session: Session) -> str:
    peer = session.peer
    return str(peer[0]) if isinstance(peer, tuple) else str(peer or "")


class MailHandler:
    """aiosmtpd handler: relay policy at MAIL/RCPT, upstream RCPT checks, the DATA decision."""

    def __init__(self, gateway: SmtpGateway) -> None:
        self.gateway = gateway

    def __dir__(self) -> list[str]:
        return _hook_names(self)

    def trusted(self, session: Session) -> bool:
        """True when the client's own address is in smtp.trusted_networks."""
        try:
            ip = ipaddress.ip_address(_client_ip(session).split("%")[0])
        except ValueError:
            return False
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        return any(ip in net for net in self.gateway.trusted_networks)

    def _may_relay(self, session: RedlineSession) -> bool:
        if session.account is not None:
            return True
        return self.gateway.smtp.auth != "require" and self.trusted(session)

    def _refusal(self, session: RedlineSession) -> str:
        smtp = self.gateway.smtp
        if smtp.auth == "require":
            return "530 5.7.0 authentication required: AUTH first (smtp.auth = require)"
        if smtp.auth == "offer":
            return (f"530 5.7.0 authentication required: client {_client_ip(session)} is not in "
                    "smtp.trusted_networks; AUTH first")
        return (f"550 5.7.1 relaying denied: client {_client_ip(session)} is not in "
                "smtp.trusted_networks")

    async def handle_MAIL(self, server: SMTP, session: RedlineSession, envelope: Envelope,
                          address: str, mail_options: list[str]) -> str:
        """Refuse clients that may not relay and senders an account does not own."""
        if not self._may_relay(session):
            log.warning("smtp relay refused client=%s at MAIL", _client_ip(session))
            metrics.smtp_session_refused(
                "untrusted_network" if self.gateway.smtp.auth == "off" else "auth_required")
            return self._refusal(session)
        if session.account is not None:
            refusal = sender_allowed(session.account, address, self.gateway.smtp.auth_sender_match)
            if refusal is not None:
                log.warning("smtp sender refused client=%s: not owned by the AUTH account",
                            _client_ip(session))
                return refusal
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 2.1.0 OK"

    async def handle_RCPT(self, server: SMTP, session: RedlineSession, envelope: Envelope,
                          address: str, rcpt_options: list[str]) -> str:
        """Check a recipient with the upstream (its own reply is passed on)."""
        if not self._may_relay(session):
            return self._refusal(session)
        if len(envelope.rcpt_tos) >= self.gateway.smtp.max_recipients:
            metrics.smtp_session_refused("recipients")
            return f"452 4.5.3 too many recipients (at most {self.gateway.smtp.max_recipients})"
        pool = self.gateway.relay_pool
        if pool is None:
            envelope.rcpt_tos.append(address)
            return "250 2.1.5 OK"
        try:
            if session.transaction is None:
                transaction = AsyncTransaction(
                    pool, envelope.mail_from or "", smtputf8=envelope.smtp_utf8,
                    eight_bit="BODY=8BITMIME" in envelope.mail_options)
                session.transaction = transaction  # aborted by connection_lost from here on
                code, text = await transaction.begin(first_rcpt=address)
                if code >= 400:
                    session.transaction = None
                    return format_reply(code, text)
            code, text = await session.transaction.rcpt(address)
        except UpstreamUnavailable as exc:
            log.warning("smtp upstream unavailable at RCPT: %s", exc)
            session.transaction = None
            return "451 4.4.1 upstream relay unavailable; try again later"
        if code < 300:
            envelope.rcpt_tos.append(address)
        return format_reply(code, text)

    async def handle_EHLO(self, server: SMTP, session: Session, envelope: Envelope,
                          hostname: str, responses: list[str]) -> list[str]:
        """aiosmtpd's EHLO reply plus PIPELINING (RFC 2920), which the listener enforces,
        and AUTH only where it is configured and, unless allowed in plain text, after TLS."""
        session.host_name = hostname
        extensions = [r for r in responses[:-1] if not r.startswith("250-AUTH")]
        extensions.append("250-PIPELINING")
        if self.gateway.smtp.xforward and self.trusted(session):
            extensions.append("250-XFORWARD " + " ".join(XFORWARD_ATTRIBUTES))
        if self.gateway.authenticator is not None and (
                session.ssl is not None or self.gateway.smtp.auth_allow_plaintext):
            extensions.append("250-AUTH " + " ".join(MECHANISMS))
        return [*extensions, responses[-1]]

    async def handle_AUTH(self, server: RedlineSMTP, session: RedlineSession,
                          envelope: Envelope, args: list[str]) -> str | None:
        """AUTH PLAIN or LOGIN, checked against the sender accounts; the reply (None when
        aiosmtpd already answered a cancelled exchange)."""
        authenticator = self.gateway.authenticator
        if authenticator is None:
            return "502 5.5.1 AUTH is not enabled here (smtp.auth = off)"
        if envelope.mail_from is not None:
            return "503 5.5.1 AUTH is not allowed during a mail transaction (RFC 4954 4)"
        mechanism = args[0].upper()
        if mechanism not in MECHANISMS:
            return f"504 5.5.4 unrecognised authentication type; use {' or '.join(MECHANISMS)}"
        try:
            credentials = await self._credentials(server, mechanism, args[1:])
        except SaslError as exc:
            return str(exc)
        if credentials is None:
            return None  # the client cancelled with "*", or sent bad base64: answered 501
        name, password = credentials
        client = _client_ip(session)
        outcome = await authenticator.check(name, password, client)
        if outcome.retry_after > 0:
            metrics.smtp_auth("throttled")
            log.warning("smtp auth throttled client=%s", client)
            minutes = max(1, round(outcome.retry_after / 60))
            return (f"454 4.7.0 too many failed authentications for this name or from this "
                    f"address; try again in {minutes} minute(s)")
        if outcome.user is None:
            metrics.smtp_auth("failure")
            session.auth_failures += 1
            log.warning("smtp auth failed client=%s%s", client,
                        f" ({outcome.reason})" if outcome.reason else "")
            if session.auth_failures >= 3:
                raise SessionRefused("421 4.7.0 too many failed authentications in this "
                                     "session; closing the connection", "auth_failed")
            return "535 5.7.8 authentication credentials invalid"
        metrics.smtp_auth("success")
        session.account = outcome.user
        session.authenticated = True
        session.auth_data = outcome.user.name
        log.info("smtp auth client=%s account=%s", client, outcome.user.name)
        return "235 2.7.0 authentication successful"

    @staticmethod
    async def _credentials(server: RedlineSMTP, mechanism: str,
                           initial: list[str]) -> tuple[str, str] | None:
        """Name and password by ``mechanism``, asking for what the client did not send."""
        async def ask(prompt: str) -> bytes | None:
            reply = await server.challenge_auth(prompt)
            return reply if isinstance(reply, bytes) else None

        if mechanism == "PLAIN":
            message = decode_base64(initial[0]) if initial else await ask("")
            return None if message is None else decode_plain(message)
        name = decode_base64(initial[0]) if initial else await ask("Username:")
        if name is None:
            return None
        password = await ask("Password:")
        if password is None:
            return None
        return decode_text(name, "user name"), decode_text(password, "password")

    def handle_STARTTLS(self, server: SMTP, session: Session, envelope: Envelope) -> bool:
        """Count the TLS session (aiosmtpd calls this once the handshake is done)."""
        metrics.tls_used("smtp")
        return True

    async def handle_RSET(self, server: SMTP, session: RedlineSession, envelope: Envelope) -> str:
        """End the upstream transaction too."""
        await self._end_transaction(session)
        return "250 2.0.0 OK"

    async def _end_transaction(self, session: RedlineSession) -> None:
        transaction, session.transaction = session.transaction, None
        if transaction is not None:
            await transaction.finish()

    async def handle_DATA(self, server: SMTP, session: RedlineSession, envelope: Envelope) -> str:
        """Inspect the spooled message and relay, hold or refuse it; the reply to the sender."""
        try:
            return await self._decide(server, session, envelope)
        finally:
            transaction, session.transaction = session.transaction, None
            if transaction is not None:
                transaction.abort()

    async def _decide(self, server: SMTP, session: RedlineSession, envelope: Envelope) -> str:
        gateway = self.gateway
        started = time.monotonic()
        message: Message = envelope.message  # type: ignore[attr-defined]
        queue_id = message.id
        recipients = list(envelope.rcpt_tos)
        internal = [r for r in recipients if gateway.org.is_internal(r)]
        external = [r for r in recipients if not gateway.org.is_internal(r)]
        direction = "mixed" if internal and external else "internal" if internal else "outbound"
        verdict: Verdict | None = None
        timings: dict[str, float] = {}
        inbound = self._inbound(envelope, internal)
        text = ""
        if external or gateway.org.inspect_internal:
            def job(scan: Callable[[Path], Verdict]) -> tuple[HeaderInfo, Verdict, str]:
                info, verdict = message.prepare_and_scan(scan)
                return info, verdict, message.readable_text() if inbound else ""

            try:
                if message.data is not None and not inbound:
                    # Small mail: header work here, bytes straight to a scanner process.
                    info = message.clean_in_memory()
                    verdict = await gateway.scanner.scan_message(f"{queue_id}.eml", message.data)
                else:
                    info, verdict, text = await gateway.scanner.run(job)
            except ScanFailed as exc:
                metrics.scan_error("mail", direction)
                log.warning("smtp scan failed queue=%s client=%s: %s; answered 451", queue_id,
                            _client_ip(session), exc)
                return "451 4.3.0 message could not be inspected now; try again later"
            timings["scan"] = time.monotonic() - started
            metrics.observe_scan("mail", direction, verdict)
        elif inbound:
            try:
                info, text = await asyncio.to_thread(
                    lambda: (message.clean_in_memory() if message.data is not None
                             else message.prepare(), message.readable_text()))
            except OSError as exc:
                log.warning("smtp spool failed queue=%s: %s; answered 451", queue_id, exc)
                return "451 4.3.0 message could not be inspected now; try again later"
        elif message.data is not None:
            info = message.clean_in_memory()
        else:
            info = await asyncio.to_thread(message.prepare)
        if inbound:
            verdict = self._check_inbound(envelope, internal, info, text, verdict, message)
        signup_net = inbound and verdict is not None and any(
            h.rule == VERIFICATION_RULE for h in verdict.hits)
        action = verdict.action if verdict else "pass"
        if action == "pass":
            label = "pass" if verdict else "not-inspected (internal recipients only)"
            step = time.monotonic()
            reply = await self._relay(server, session, envelope, recipients, label, info,
                                      reuse_transaction=True)
            timings["relay"] = time.monotonic() - step
            self._log(queue_id, verdict, timings, started, reply)
            return reply
        await self._end_transaction(session)
        assert verdict is not None
        if internal and external and not gateway.org.inspect_internal and not signup_net:
            # Mixed: the organisation's own recipients get it, the copy that leaves is held.
            held = await self._hold(session, envelope, verdict, external, info, queue_id, timings)
            if isinstance(held, str):
                return held
            item, again = held
            step = time.monotonic()
            reply = await self._relay(server, session, envelope, internal,
                                      f"{action} (internal copy; external copy held as {item.id})",
                                      info, reuse_transaction=False)
            timings["relay"] = time.monotonic() - step
            self._log(item.id, verdict, timings, started, reply)
            if not reply.startswith("2"):
                return reply
            if not again:
                await self._notify_hold(item, message)
            return (f"250 2.0.0 delivered to the internal recipients; the external copy is held "
                    f"for review as {item.id}")
        if action == "reject":
            reply = f"550 5.7.1 refused by data-loss policy ({', '.join(_categories(verdict))})"
            self._log(queue_id, verdict, timings, started, reply)
            return reply
        held = await self._hold(session, envelope, verdict, recipients, info, queue_id,
                                 timings)
        if isinstance(held, str):
            return held
        item, again = held
        reply = f"250 2.0.0 held for review as {item.id}"
        self._log(item.id, verdict, timings, started, reply)
        if not again:
            await self._notify_hold(item, message)
        return reply

    async def _notify_hold(self, item: QuarantineItem, message: Message) -> None:
        """Start sending the sender a hold notice (quarantine.notify_sender_on_hold).

        The sender's reply does not wait for it: it goes out on its own task, through the
        upstream like passing mail (or into the Maildir outbox), from the null sender.
        """
        notices = self.gateway.hold_notices
        if notices is None:
            return
        if message.data is not None:
            headers = header_section(message.data[:HEADER_PEEK])
        else:
            try:
                headers = header_section(await asyncio.to_thread(_read_head, message.spool))
            except OSError:
                headers = None  # the loop checks then rest on the envelope sender alone
        notice = notices.for_item(item_id=item.id, sender=item.sender, recipients=item.recipients,
                                  subject=item.subject, received=item.received,
                                  categories=item.categories, headers=headers)
        if notice is None:
            log.info("smtp hold notice for %s: none (loop rules)", item.id)
            return
        task = asyncio.get_running_loop().create_task(self._send_notice(notice, item.id))
        self.gateway.notice_tasks.add(task)
        task.add_done_callback(self.gateway.notice_tasks.discard)

    async def _send_notice(self, notice: Notice, item_id: str) -> None:
        gateway = self.gateway
        domain = gateway.hold_notices.from_address.rpartition("@")[2].lower()  # type: ignore[union-attr]
        head = b""
        try:
            if gateway.signer.keys_for(domain):
                head = await asyncio.to_thread(gateway.dkim_sign, b"", notice.message, domain)
            if gateway.relay_pool is None:
                await asyncio.to_thread(gateway.outbox.deliver, notice.sender, [notice.recipient],
                                        head, notice.message)
                reply = "queued in the local outbox"
            else:
                transaction = AsyncTransaction(gateway.relay_pool, notice.sender,
                                               eight_bit=not notice.message.isascii())
                (code, text), refused = await transaction.open([notice.recipient])
                if refused is not None:
                    await transaction.finish()
                elif code < 400:
                    code, text = await transaction.data(head, notice.message)
                reply = f"{code} {text.splitlines()[0] if text else ''}"
        except (UpstreamUnavailable, OSError) as exc:
            log.warning("smtp hold notice for %s not sent: %s", item_id, exc)
            return
        log.info("smtp hold notice for %s: %s", item_id, reply[:80])

    def _inbound(self, envelope: Envelope, internal: list[str]) -> bool:
        """True when the inbound sign-up net applies: mail from outside to work addresses."""
        sender = envelope.mail_from or ""
        return (self.gateway.inbound_signup is not None and bool(internal) and "@" in sender
                and not self.gateway.org.is_internal(sender))

    def _check_inbound(self, envelope: Envelope, internal: list[str], info: HeaderInfo,
                       text: str, verdict: Verdict | None, message: Message) -> Verdict | None:
        """``verdict`` with the inbound sign-up net's hits added and the action re-decided."""
        detector = self.gateway.inbound_signup
        assert detector is not None
        # The From domain is the service the person signed up with (and what
        # signup.allowed_services names); the envelope sender is often its mail provider.
        sender = f"@{info.from_domain}" if info.from_domain else envelope.mail_from or ""
        hits = detector.scan_verification_mail(sender, internal, info.subject, text)
        if not hits:
            return verdict
        metrics.signup_blocked()
        found = (*(verdict.hits if verdict else ()), *hits)
        stats = verdict.stats if verdict else ScanStats(bytes=envelope.size)  # type: ignore[attr-defined]
        return Verdict(self.gateway.pipeline.policy.decide(found), found, stats)

    async def _hold(self, session: RedlineSession, envelope: Envelope, verdict: Verdict,
                    recipients: list[str], info: HeaderInfo, queue_id: str,
                    timings: dict[str, float]) -> tuple[QuarantineItem, bool] | str:
        """Store the message durably (once: a retry finds the pending item); the item and
        whether it was already there, or the 451 reply when the store failed."""
        request = HoldRequest(
            kind="mail", sender=envelope.mail_from or "", recipients=tuple(recipients),
            subject=info.subject, verdict=verdict,
            content=envelope.message.body,  # type: ignore[attr-defined]
            received=datetime.now(UTC), client=session.origin_ip,
            meta={"queue_id": queue_id, "helo": session.origin_helo,
                  **({"auth": session.account.name} if session.account else {}),
                  **({"relayed_by": _client_ip(session)} if session.forwarded else {}),
                  **({"client_name": session.forwarded["NAME"]}
                     if "NAME" in session.forwarded else {})},
        )
        step = time.monotonic()
        try:
            item, again = await asyncio.to_thread(hold_once, self.gateway.store, request)
        except (StoreError, OSError, sqlite3.Error) as exc:
            log.error("smtp hold failed queue=%s client=%s: %s; answered 451", queue_id,
                      _client_ip(session), exc)
            return "451 4.3.0 quarantine store unavailable; try again later"
        timings["hold"] = time.monotonic() - step
        if again:
            log.info("smtp hold queue=%s: the same message is already pending as %s (a retry); "
                     "not held twice", queue_id, item.id)
        return item, again

    async def _relay(self, server: SMTP, session: RedlineSession, envelope: Envelope,
                     recipients: list[str], label: str, info: HeaderInfo, *,
                     reuse_transaction: bool) -> str:
        """Deliver to the upstream (or the Maildir outbox); the reply for the sender."""
        gateway = self.gateway
        message: Message = envelope.message  # type: ignore[attr-defined]
        sender = envelope.mail_from or ""
        domain = info.from_domain or sender.rpartition("@")[2].lower()
        head = gateway.trace_head(message, session, envelope, label)
        if domain and gateway.signer.keys_for(domain):
            # Signing reads the whole message and costs CPU: off the loop.
            head = await asyncio.to_thread(gateway.dkim_sign, head, message.body, domain)
        if gateway.relay_pool is None:
            try:
                path = await asyncio.to_thread(gateway.outbox.deliver, sender, recipients, head,
                                               message.body)
            except OSError as exc:
                log.error("smtp outbox write failed: %s", exc)
                return "451 4.3.0 local outbox unavailable; try again later"
            return f"250 2.0.0 queued in the local outbox as {path.name}"
        try:
            transaction = session.transaction if reuse_transaction else None
            if transaction is None:
                await self._end_transaction(session)
                transaction = AsyncTransaction(
                    gateway.relay_pool, sender, smtputf8=envelope.smtp_utf8,
                    eight_bit="BODY=8BITMIME" in envelope.mail_options)
                session.transaction = transaction
                (code, text), refused = await transaction.open(recipients)
                if refused is not None:
                    # Accepted at RCPT a moment ago: treat a change of mind as temporary.
                    return f"451 4.4.3 upstream now refuses {refused}: {code} {text}"[:500]
                if code >= 400:
                    return format_reply(code, text)
            code, text = await transaction.data(head, message.body)
        except UpstreamUnavailable as exc:
            log.warning("smtp upstream unavailable at DATA: %s", exc)
            return "451 4.4.1 upstream relay unavailable; try again later"
        return format_reply(code, text)

    def _log(self, item_id: str, verdict: Verdict | None, timings: dict[str, float],
             started: float, reply: str) -> None:
        # One line per decision; never content, subjects, excerpts or addresses.
        if verdict is None:
            log.info("smtp decision id=%s verdict=not-inspected (internal recipients only) "
                     "reply=%s", item_id, reply[:3])
            return
        log_decision("mail", item_id, verdict, {**timings, "total": time.monotonic() - started})


def _categories(verdict: Verdict) -> list[str]:
    return list(dict.fromkeys(h.category for h in verdict.hits)) or ["policy"]


# -- the gateway -------------------------------------------------------------------------


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


def hold_notices_for(quarantine: Any) -> HoldNotices | None:
    """The hold-notice writer from the [quarantine] section, or None unless it is enabled."""
    if not quarantine.notify_sender_on_hold:
        return None
    return HoldNotices(from_address=quarantine.notice_from or default_from(),
                       subject_template=quarantine.hold_notice_subject)


def spool_dir_of(data_dir: Path, pid: int) -> Path:
    """Where the process ``pid`` spools incoming messages (removed when that process dies)."""
    return Path(data_dir) / "spool" / "smtp" / str(pid)


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
            cache_seconds=smtp.auth_cache_seconds)
        self.hold_notices = hold_notices  # quarantine.notify_sender_on_hold
        self.notice_tasks: set[asyncio.Task[None]] = set()
        self.handler = MailHandler(self)  # stateless beyond the gateway: one for all sessions

    def new_message(self) -> Message:
        """A fresh message whose spool file (named by its queue id) is not yet created."""
        return Message(self.spool_dir / f"{uuid.uuid4().hex[:16].upper()}.eml")

    def trace_head(self, message: Message, session: Session, envelope: Envelope,
                   label: str) -> bytes:
        """The Received and X-Redline-Verdict header lines to put before ``message``."""
        # RFC 3848: S for TLS, A for an authenticated client.
        protocol = (("UTF8SMTP" if envelope.smtp_utf8 else "ESMTP") + ("S" if session.ssl else "")
                    + ("A" if getattr(session, "account", None) is not None else ""))
        when = email.utils.format_datetime(datetime.now().astimezone())
        received = (
            f"Received: from {session.host_name or 'unknown'} ([{_client_ip(session)}])\r\n"
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
