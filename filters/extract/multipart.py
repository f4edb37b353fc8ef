"""A multipart mail's MIME tree read by finding its boundary lines, not by walking its lines.

``email.feedparser`` hands every line of a mail to Python: a 2 MB base64 PDF is some
27,000 lines, each popped from a queue, matched against every enclosing boundary and
appended to a list. Here one regular expression search per multipart level finds its
boundary lines, and a leaf's body is one slice of the text. The Message tree is the one
the feed parser builds from the same bytes (headers, payloads, preamble, epilogue, default
types); what this reading does not reproduce exactly returns None and the caller uses the
feed parser: bare CR line ends, message/* and multipart/digest parts, and every shape the
feed parser would note a defect on (no boundary, no closing boundary, a header block not
ended by a blank line, an mbox "From " line, doubled boundary lines).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from email._policybase import Compat32, Policy  # as mail.py: not email.policy
from email.message import Message

# The feed parser's header line (email.feedparser.headerRE).
_HEADER_LINE = re.compile(r"From |[\041-\071\073-\176]*:|[\t ]")
_LONE_CR = re.compile(rb"\r(?!\n)")  # one pass (counting CR and CR LF took two, the second slow)
_IDENTITY_CTES = ("7bit", "8bit", "binary")
MAX_NESTING = 64  # deeper nesting goes to the feed parser, which reports it


class ContentType:
    """An entity's Content-Type read once, answering as ``email.message.Message`` does.

    Each get_param or get_content_charset of a Message parses the header
    again (about 5 µs a call; a mail leaf asked for its charset, name and format).
    """

    __slots__ = ("_params", "maintype", "type")

    def __init__(self, entity: Message) -> None:
        self.type: str = entity.get_content_type()
        self.maintype: str = self.type.split("/")[0]
        self._params: list[tuple[str, str | tuple[str, str, str]]] | None = params_as_sent(
            entity, "content-type")

    def param(self, name: str, failobj: object = None) -> object:
        """``Message.get_param(name, failobj)``: the first such parameter, unquoted."""
        if self._params is None:
            return failobj
        name = name.lower()
        return next((value for key, value in self._params if key.lower() == name), failobj)

    def charset(self) -> str | None:
        """``Message.get_content_charset()``: the charset parameter in lower case, or None."""
        charset: object = self.param("charset", _MISSING)
        if charset is _MISSING:
            return None
        if isinstance(charset, tuple):  # RFC 2231: decoded, and it must be ASCII
            try:
                charset = str(charset[2].encode("raw-unicode-escape"), charset[0] or "us-ascii")
            except (LookupError, UnicodeError):
                charset = charset[2]
        return charset.lower() if charset.isascii() else None


_MISSING = object()


class _HeadersAsSent(Compat32):
    """Header values as stored: raw 8-bit bytes stay surrogate escapes."""

    def header_fetch_parse(self, name: str, value: str) -> str:
        return value


_AS_SENT = _HeadersAsSent()


def params_as_sent(entity: Message, header: str
                   ) -> list[tuple[str, str | tuple[str, str, str]]] | None:
    """``entity.get_params(header=header)`` with raw 8-bit bytes in the values kept as
    surrogate escapes.

    A client that writes a file name in UTF-8 or GB 2312 without encoding it (quoted, or
    after ``filename*=utf-8''``) leaves 8-bit bytes in the header; the stdlib reads such a
    header through ``email.header``, which turns every one of them into U+FFFD, and a name
    like 机密.docx would reach the engines as six replacement characters. The caller
    decodes the escapes with the charset it settles on.
    """
    header = header.lower()
    values = [value for key, value in entity.raw_items() if key.lower() == header]
    if not values or values[0].isascii():
        return entity.get_params(header=header)
    probe = Message(policy=_AS_SENT)
    probe[header] = values[0]
    return probe.get_params(header=header)


class _NotCovered(Exception):
    """This mail has a shape the feed parser must read (see the module docstring)."""


def parse(data: bytes, policy: Policy) -> Message | None:
    """The Message tree of the multipart mail ``data``, or None when it is not multipart
    or has a shape the feed parser must read."""
    # The feed parser ends a line at LF, CR LF or a lone CR; with no lone CR a line ends
    # at each LF, which is what the boundary search below assumes.
    if _LONE_CR.search(data):
        return None
    text = data.decode("ascii", "surrogateescape")  # as BytesFeedParser decodes it
    try:
        message, body = _entity(text, 0, len(text), policy)
        if message.get_content_maintype() != "multipart":
            return None
        _multipart(message, text, body, len(text), policy, 0)
    except _NotCovered:
        return None
    return message


def _entity(text: str, start: int, end: int, policy: Policy) -> tuple[Message, int]:
    """A Message with the header block at ``text[start:end]``, and where its body starts."""
    message = Message(policy=policy)
    field: list[str] = []
    position = start
    while True:
        if position >= end:
            raise _NotCovered  # no blank line after the header block
        newline = text.find("\n", position, end)
        line_end = end if newline < 0 else newline + 1
        line = text[position:line_end]
        if not _HEADER_LINE.match(line):
            if line not in ("\n", "\r\n"):
                raise _NotCovered  # body text right after the header block
            break
        if line[0] in " \t":
            if not field:
                raise _NotCovered  # the first header line is a continuation
            field.append(line)
        else:
            if line.startswith(("From ", ":")):
                raise _NotCovered  # mbox envelope line, or a header with no name
            if field:
                message.set_raw(*policy.header_source_parse(field))
            field = [line]
        position = line_end
    if field:
        message.set_raw(*policy.header_source_parse(field))
    return message, line_end


def _multipart(message: Message, text: str, start: int, end: int, policy: Policy,
               depth: int) -> None:
    """Attach the parts of the multipart ``message`` whose body is ``text[start:end]``."""
    if depth > MAX_NESTING or message.get_content_type() == "multipart/digest":
        raise _NotCovered
    boundary = message.get_boundary()
    if boundary is None or "\n" in boundary or "\r" in boundary:
        raise _NotCovered
    if str(message.get("content-transfer-encoding", "8bit")).lower() not in _IDENTITY_CTES:
        raise _NotCovered
    lines = _boundary_lines(text, start, end, boundary)
    if not lines or lines[0][2]:
        raise _NotCovered  # no opening boundary
    if lines[0][0] > start:
        # RFC 2046: the line end before a boundary belongs to the boundary.
        message.preamble = _without_line_end(text[start:lines[0][0]])
    for index, (_line_start, after, closing) in enumerate(lines):
        if closing:  # the rest is the epilogue
            message.epilogue = text[after:end]
            return
        if index + 1 == len(lines):
            raise _NotCovered  # no closing boundary
        until = lines[index + 1][0]
        if until == after:
            raise _NotCovered  # two boundary lines in a row
        child, body = _entity(text, after, until, policy)
        message.attach(child)
        maintype = child.get_content_maintype()
        if maintype == "message":
            raise _NotCovered
        if maintype == "multipart":
            _multipart(child, text, body, until, policy, depth + 1)
            epilogue = child.epilogue
            child.epilogue = None if epilogue == "" else _without_line_end(epilogue)
        else:
            # One slice, without the line end: a 10 MB body is not copied twice.
            child.set_payload(text[body:_line_end_before(text, body, until)])
    raise _NotCovered  # not reached: the last boundary line either closes or raises


def _boundary_lines(text: str, start: int, end: int, boundary: str) -> list[tuple[int, int, bool]]:
    """(line start, next line's start, closing?) of each boundary line in ``text[start:end]``.

    The feed parser's boundary line: "--" boundary, "--" when closing, blanks, line end.
    Found with str.find (a regular expression anchored at line starts tried every
    position, and compiling one per boundary cost more than the search).
    """
    marker = "--" + boundary
    found = []
    for line_start in _line_starts(text, start, end, marker):
        position = line_start + len(marker)
        closing = text.startswith("--", position, end)
        if closing:
            position += 2
        while position < end and text[position] in " \t":
            position += 1
        if position < end and text[position] == "\r":
            position += 1
        if position == end:
            found.append((line_start, end, closing))
        elif text[position] == "\n":
            found.append((line_start, position + 1, closing))
    return found


def _line_starts(text: str, start: int, end: int, marker: str) -> Iterator[int]:
    """Where the lines of ``text[start:end]`` that begin with ``marker`` begin."""
    if text.startswith(marker, start, end):
        yield start
    needle = "\n" + marker
    hit = text.find(needle, start, end)
    while hit >= 0:
        yield hit + 1
        hit = text.find(needle, hit + 1, end)


def _line_end_before(text: str, start: int, end: int) -> int:
    """Where ``text[start:end]`` ends without its last line end (as ``_without_line_end``)."""
    if end - start >= 2 and text.startswith("\r\n", end - 2):
        return end - 2
    return end - 1 if end > start and text[end - 1] == "\n" else end


def _without_line_end(text: str) -> str:
    """``text`` without its last line end (the feed parser's NLCRE_eol; no lone CR here)."""
    if text.endswith("\r\n"):
        return text[:-2]
    return text[:-1] if text.endswith("\n") else text
