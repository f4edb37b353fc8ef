"""One received message (in memory or in its spool file) and what is read from its header.

Subject and From domain for the decision and the quarantine, forged X-Redline-* headers
(Verdict, Notice) removed before anything downstream can trust them, and the readable text for the
inbound sign-up check.
"""

from __future__ import annotations

import email.errors
import email.header
import email.parser
import email.policy
import email.utils
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from filters.engines.signup import MAX_MAIL_TEXT
from filters.types import Verdict

HEADER_PEEK = 64 * 1024


@dataclass(frozen=True, slots=True)
class HeaderInfo:
    """What the handler reads from the message header: subject and From domain."""

    subject: str
    from_domain: str


# Every X-Redline-* field is Redline's own (Verdict on what it relays, Notice on its
# notices): one a sender wrote is forged. A released mail carrying X-Redline-Notice was
# taken for a notice and left without its "released" verdict.
_REDLINE_HEADER = re.compile(rb"^X-Redline-[!-9;-~]*:", re.IGNORECASE)


def _header_lines(lines):
    """(keep, line) for each line of a header block up to and including its blank line.

    A folded continuation belongs to the field before it, so a forged field is dropped
    with all its lines. ``lines`` yields byte lines ending in LF (the last may not).
    """
    dropping = False
    for line in lines:
        if line in (b"\r\n", b"\n"):
            yield True, line
            return
        if line[:1] in (b" ", b"\t"):
            yield not dropping, line
            continue
        dropping = _REDLINE_HEADER.match(line) is not None
        yield not dropping, line


def strip_verdict_headers(path: Path) -> bool:
    """Remove X-Redline-* headers a sender put in the message; True if any were.

    Downstream filters trust X-Redline-Verdict, and the release path X-Redline-Notice; a
    forged "pass" or notice must not reach them, wherever it
    stands in the header block (after 64 KiB of other headers too). The file is read line
    by line and rewritten only when such a header is present.
    """
    with path.open("rb") as f:
        if not any(not keep for keep, _ in _header_lines(f)):
            return False
        f.seek(0)
        tmp = path.with_suffix(".clean")
        with tmp.open("wb") as out:
            for keep, line in _header_lines(f):
                if keep:
                    out.write(line)
            for chunk in iter(lambda: f.read(1 << 20), b""):
                out.write(chunk)
    tmp.replace(path)
    return True


def strip_verdict_headers_in(message: bytes) -> bytes:
    """``message`` without the X-Redline-* headers a sender put in it."""
    lines = io.BytesIO(message)
    kept = [line for keep, line in _header_lines(lines) if keep]
    if lines.tell() == sum(len(line) for line in kept):
        return message
    return b"".join(kept) + message[lines.tell():]


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

    __slots__ = ("data", "dot_free", "id", "on_disk", "spool")

    def __init__(self, spool: Path) -> None:
        self.spool = spool
        self.id = spool.stem  # the queue id in Received headers and logs
        self.data: bytes | None = None  # the whole message, when it stayed in memory
        self.on_disk = False  # the spool file may exist (and must be removed)
        # No line begins with "." (so none needs dot-stuffing on the way out); removing
        # forged header lines keeps it so.
        self.dot_free = False

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


def read_head(path: Path) -> bytes:
    """The first 64 KiB of a spooled message (its header, for the hold notice)."""
    with path.open("rb") as f:
        return f.read(HEADER_PEEK)


def read_header_info(path: Path) -> HeaderInfo:
    """Subject and From domain from the first 64 KiB of a spooled message."""
    with path.open("rb") as f:
        return header_info(f.read(HEADER_PEEK))


# A header field line, and the From values the fast path reads: one address, bare or in
# angle brackets after a plain display name (no comments, quotes, groups or lists).
_FIELD = re.compile(rb"[\x21-\x39\x3b-\x7e]+:")
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_PLAIN_ADDRESS = rf"({_ATEXT}(?:\.{_ATEXT})*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)"
_SIMPLE_FROM = re.compile(
    rf"[ \t]*(?:[A-Za-z0-9 \t.'-]*<{_PLAIN_ADDRESS}>|{_PLAIN_ADDRESS})[ \t]*\Z")


def _plain_header_info(head: bytes) -> HeaderInfo | None:
    """``header_info`` for the common header: ASCII, a Subject without encoded words,
    From a plain address; None for anything else (the full parser reads it).

    The email package's parser was a fifth of a small mail's CPU in the listener
    (tests/unit/test_smtp_fastpaths.py checks the two agree).
    """
    if not head.isascii():
        return None
    fields: list[tuple[bytes, list[bytes]]] = []
    for line in head.split(b"\r\n"):
        if line[:1] in (b" ", b"\t"):
            if not fields:
                return None  # a continuation before any field: the parser's business
            fields[-1][1].append(line)
            continue
        field = _FIELD.match(line)
        if field is None:
            return None
        fields.append((line[:field.end() - 1].lower(), [line[field.end():]]))
    subject = ""
    raw = next((b"\r\n".join(lines) for name, lines in fields if name == b"subject"), None)
    if raw is not None:
        if b"=?" in raw:
            return None
        subject = " ".join(raw.decode("ascii").split())[:998]
    domain = ""
    sender = next((b"\r\n".join(lines) for name, lines in fields if name == b"from"), None)
    if sender is not None:
        match = _SIMPLE_FROM.match(sender.decode("ascii"))
        if match is None:
            return None
        domain = (match.group(1) or match.group(2)).rpartition("@")[2].strip().lower()
    return HeaderInfo(subject, domain)


def header_info(head: bytes) -> HeaderInfo:
    """Subject and From domain from the start of a message."""
    head = head[:HEADER_PEEK].split(b"\r\n\r\n", 1)[0]
    plain = _plain_header_info(head)
    return plain if plain is not None else _parsed_header_info(head)


def _parsed_header_info(head: bytes) -> HeaderInfo:
    """``header_info`` by the email package's parser (any header)."""
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
