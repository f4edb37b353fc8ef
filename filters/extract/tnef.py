"""Outlook TNEF (winmail.dat, application/ms-tnef): subject, bodies and attachments inside.

Outlook wraps a message's rich body and attachments in a TNEF stream (MS-OXTNEF) when
it sends "Rich Text" mail; a marking in a document attached that way must not pass.
tnefparse decodes the attributes; the stream's framing (lengths and checksums) is
checked here first, because tnefparse only logs damage and silently shortens a cut-off
attribute.
"""

from __future__ import annotations

import contextlib
import logging
import struct
import threading
from collections.abc import Iterator

from tnefparse import mapi as tnef_mapi
from tnefparse import tnef as tnef_module
from tnefparse.tnef import TNEF

from filters.errors import UnparseableContent
from filters.limits import Budget
from filters.types import Defect, Part

SIGNATURE = b"\x78\x9f\x3e\x22"  # 0x223E9F78, little-endian (MS-OXTNEF section 2.1.3.1)
LEVELS = (TNEF.LVL_MESSAGE, TNEF.LVL_ATTACHMENT)
ATTRIBUTE_OVERHEAD = 11  # level (1), id (4), length (4) and checksum (2) around the data
MAX_ATTRIBUTES = 100_000
MAX_ATTACHMENTS = 10_000
MIN_PROPERTY_BYTES = 8  # a MAPI property's type and id (4) and its smallest value (4)

# What damaged TNEF makes tnefparse raise (struct.error: reads past the end; an
# attachment attribute before any attAttachRendData leaves its local unbound).
CORRUPT = (ValueError, struct.error, IndexError, KeyError, LookupError, TypeError,
           UnboundLocalError, AttributeError, OverflowError, UnicodeDecodeError)

_decode_mapi = tnef_mapi.decode_mapi


def _bounded_decode_mapi(data: bytes, codepage: str = "cp1252",
                         starting_offset: int | None = None) -> object:
    """tnefparse's decode_mapi, refusing a property count the block cannot hold.

    decode_mapi loops ``count`` times even after the data has run out (logging each
    turn), so a 20-byte attribute claiming 0xFFFFFFFF properties would hold a scanner
    for hours. Every property takes at least MIN_PROPERTY_BYTES.
    """
    offset = starting_offset or 0
    (count,) = struct.unpack_from("<I", data, offset)
    if count * MIN_PROPERTY_BYTES > len(data) - offset - 4:
        raise ValueError(f"a MAPI property block claims {count} properties in "
                         f"{len(data) - offset} bytes")
    return _decode_mapi(data, codepage, starting_offset)


# tnefparse calls decode_mapi by the name it imported, for message, attachment and
# recipient properties and for embedded messages; all go through the bound above.
tnef_module.decode_mapi = _bounded_decode_mapi


class _Problems(logging.Handler):
    """Collects what tnefparse logs about damage while this thread decodes one stream."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.messages.append(record.getMessage())


_logger = logging.getLogger("tnefparse")
# Damage is reported as a hit on the part; the log stays one line per decision.
_logger.propagate = False
_logger.setLevel(logging.WARNING)


@contextlib.contextmanager
def _collect_problems() -> Iterator[_Problems]:
    problems = _Problems()
    _logger.addHandler(problems)
    try:
        yield problems
    finally:
        _logger.removeHandler(problems)


def _framing(data: bytes, budget: Budget) -> tuple[int, list[tuple[str, str]]]:
    """The end of the intact attributes, and what is wrong with the framing (severity, why).

    Each attribute is level, id, length, data and a checksum (the data's bytes summed
    modulo 65536, MS-OXTNEF section 2.1.3.2); the length is checked against the bytes
    that are really there, never trusted.
    """
    problems: list[tuple[str, str]] = []
    pos = 6
    number = 0
    while pos < len(data):
        number += 1
        if number > MAX_ATTRIBUTES:
            problems.append(("high", f"more than {MAX_ATTRIBUTES} attributes; the rest was not read"))
            break
        if number % 1000 == 0:
            budget.check_time()
        if pos + ATTRIBUTE_OVERHEAD > len(data):
            # Too few to hold any attribute, so nothing is hidden in them; writers leave
            # such stray bytes at the end (tnefparse ships a sample).
            stray = len(data) - pos
            problems.append(("low", f"{stray} stray bytes after the last attribute were ignored"))
            break
        level, attribute_id, length = struct.unpack_from("<BII", data, pos)
        end = pos + ATTRIBUTE_OVERHEAD + length
        if level not in LEVELS:
            problems.append(("high", f"attribute {number} has level {level}, which TNEF does "
                             "not define: the stream is damaged from there on"))
            break
        if end > len(data):
            problems.append(("high", f"attribute {number} (0x{attribute_id:08x}) declares "
                             f"{length} bytes but only {len(data) - pos - ATTRIBUTE_OVERHEAD} "
                             "remain: the stream is cut short"))
            break
        body = data[pos + 9 : end - 2]
        (checksum,) = struct.unpack_from("<H", data, end - 2)
        if sum(body) & 0xFFFF != checksum:
            problems.append(("high", f"attribute {number} (0x{attribute_id:08x}) fails its "
                             "checksum: its data is damaged"))
        pos = end
    return pos, problems


def _text(value: object, codepage: str) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, bytes):
        value = value.decode(codepage or "cp1252", "replace")
    return str(value or "").replace("\x00", "").strip()


def _safe_name(name: str) -> str:
    return name.replace("/", "_").replace("\\", "_").replace("\x00", "").strip()


def _collected(part: Part, budget: Budget, label: str, data: bytes, **fields: str) -> Part:
    collected, spool = budget.collect((data,), what=part.child_origin(label))
    return budget.child(part, label, data=collected, path=spool, **fields)


def _message_parts(part: Part, budget: Budget, stream: TNEF) -> Iterator[Part]:
    """Subject and the plain, HTML and RTF bodies, in that order."""
    codepage = stream.codepage or "cp1252"
    for attribute in stream.msgprops:
        if attribute.name == TNEF.ATTSUBJECT:
            subject = _text(attribute.data, codepage)
            if subject:
                yield budget.child(part, "header:Subject", text=subject, role="subject",
                                   name="Subject")
    body = stream.body
    if isinstance(body, list):
        body = body[0] if body else None
    if isinstance(body, str) and body.strip("\x00 \r\n"):
        yield budget.child(part, "body[1]", text=body.replace("\x00", ""), role="body")
    elif isinstance(body, bytes) and body.strip(b"\x00 \r\n"):
        yield _collected(part, budget, "body[1]", body.rstrip(b"\x00"),
                         declared_type="text/plain", charset=codepage)
    html = stream.htmlbody
    if isinstance(html, list):
        html = html[0] if html else None
    if isinstance(html, str):
        html = html.encode("utf-8")
    if html:
        yield _collected(part, budget, "body[2]", html, declared_type="text/html")
    rtf = stream.rtfbody  # tnefparse decompresses PR_RTF_COMPRESSED (compressed_rtf)
    if rtf:
        yield _collected(part, budget, "body[3]", rtf, declared_type="text/rtf")


def _attachment_parts(part: Part, budget: Budget, stream: TNEF) -> Iterator[Part]:
    for number, attachment in enumerate(stream.attachments, 1):
        if number > MAX_ATTACHMENTS:
            budget.note_limit("max_parts")
            return
        budget.check_time()
        data = attachment.data
        if not isinstance(data, bytes) or not data:
            continue
        name = _safe_name(_text(attachment.long_filename(), stream.codepage or "cp1252"))
        label = f"attachment[{number}]:{name}" if name else f"attachment[{number}]"
        # An attached message (MAPI_ATTACH_DATA_OBJ) is itself a TNEF stream: the pipeline
        # types it by its signature and this extractor reads it in turn, depth-limited.
        yield _collected(part, budget, label, data, name=name)


def extract(part: Part, budget: Budget) -> Iterator[Part | Defect]:
    """Subject, bodies and attachments of a TNEF stream (winmail.dat)."""
    data = budget.read_part(part)
    if not data.startswith(SIGNATURE):
        raise UnparseableContent("not a TNEF stream: the signature 0x223E9F78 is missing")
    end, problems = _framing(data, budget)
    if end <= 6:
        raise UnparseableContent(f"TNEF stream holds no readable attribute: {problems[0][1]}"
                                 if problems else "TNEF stream holds no attribute")
    with _collect_problems() as logged:
        try:
            stream = TNEF(data[:end], do_checksum=False)
            children = [*_message_parts(part, budget, stream),
                        *_attachment_parts(part, budget, stream)]
        except CORRUPT as exc:
            raise UnparseableContent(f"TNEF stream is damaged: {type(exc).__name__}: {exc}") from exc
    for severity, problem in [*problems, *(("high", message) for message in logged.messages)]:
        yield Defect("extract.unparseable", severity,
                     f"TNEF stream (winmail.dat) is damaged: {problem}; what could be read "
                     "was inspected", where=part.origin)
    # What could be read is still inspected: a marking there must not pass.
    yield from children
