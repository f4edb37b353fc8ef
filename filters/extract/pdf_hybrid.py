"""The source document of a hybrid PDF: LibreOffice's "Hybrid PDF (embed ODF file)" keeps
the whole ODF document in the trailer (``/AdditionalStreams [/mime N 0 R]``), where
PDFium, which reads pages and attachments, never looks.

That document can hold what the pages do not show (comments not exported, tracked
changes, hidden text), so it is read as a child part of its own.
"""

from __future__ import annotations

import io
import re
import zlib

from filters.errors import UnparseableContent
from filters.extract.zlib import inflate_chunks
from filters.limits import Budget
from filters.types import Part

TAIL_BYTES = 64 * 1024  # the trailer is at the end; only its last stretch is searched
MAX_STREAMS = 16
_ADDITIONAL = re.compile(rb"/AdditionalStreams\s*\[([^\]]{0,4096})\]")
_ENTRY = re.compile(rb"/([^\s/\[\]()<>]+)\s+(\d+)\s+(\d+)\s+R")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_LENGTH = re.compile(rb"/Length\s+(\d+)(?:\s+(\d+)\s+R)?")


def has_additional_streams(tail: bytes) -> bool:
    """True when the last bytes of a PDF name additional streams in its trailer."""
    return b"/AdditionalStreams" in tail


def additional_streams(part: Part, budget: Budget, data: bytes) -> list[Part]:
    """Each stream the trailer lists, as a content part typed by the name it is given."""
    # The last trailer wins (incremental updates append new ones).
    found = list(_ADDITIONAL.finditer(data, max(0, len(data) - TAIL_BYTES)))
    if not found:
        return []
    match = found[-1]
    children: list[Part] = []
    for index, entry in enumerate(_ENTRY.finditer(match.group(1)), 1):
        if index > MAX_STREAMS:
            break
        budget.check_time()
        mime = _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), entry.group(1))
        body = _stream(data, int(entry.group(2)), int(entry.group(3)), budget)
        children.append(budget.child(part, f"#additional[{index}]", data=body,
                                     declared_type=mime.decode("latin-1")))
    return children


def _object_start(data: bytes, number: int, generation: int) -> int:
    """Where the last definition of object ``number generation`` starts its dictionary."""
    found = -1
    for found_match in re.finditer(rb"(?<![0-9])%d\s+%d\s+obj\b" % (number, generation), data):
        found = found_match.end()
    if found < 0:
        raise UnparseableContent(f"hybrid PDF names object {number} {generation}, which it lacks")
    return found


def _stream(data: bytes, number: int, generation: int, budget: Budget) -> bytes:
    start = _object_start(data, number, generation)
    keyword = data.find(b"stream", start)
    if keyword < 0:
        raise UnparseableContent(f"hybrid PDF object {number} holds no stream")
    header = data[start:keyword]
    length_match = _LENGTH.search(header)
    if length_match is None:
        raise UnparseableContent(f"hybrid PDF stream {number} has no /Length")
    length = int(length_match.group(1))
    if length_match.group(2) is not None:  # an indirect length: "5 0 R"
        at = _object_start(data, length, int(length_match.group(2)))
        value = re.match(rb"\s*(\d+)", data[at:at + 64])
        if value is None:
            raise UnparseableContent(f"hybrid PDF stream {number} has no readable length")
        length = int(value.group(1))
    begin = keyword + len(b"stream")
    begin += 2 if data[begin:begin + 2] == b"\r\n" else 1
    raw = data[begin:begin + length]
    if len(raw) < length:
        raise UnparseableContent(f"hybrid PDF stream {number} is cut short")
    if b"/FlateDecode" not in header:
        budget.take(len(raw))
        return raw
    try:
        body, spool = budget.collect(inflate_chunks(io.BytesIO(raw)), compressed_size=len(raw),
                                     what=f"hybrid PDF stream {number}")
    except (zlib.error, EOFError) as exc:
        raise UnparseableContent(f"hybrid PDF stream {number} does not inflate: {exc}") from exc
    return spool.read_bytes() if spool is not None else body
