"""Apple iWork documents (Pages 5+, Numbers 3+, Keynote 6+): a zip whose ``.iwa`` members
hold the document as snappy-compressed protobuf archives.

Every member is read as a zip member would be (the preview picture goes to OCR, the
plists are XML); each ``.iwa`` is decompressed and every string field of its protobuf
messages becomes a line of text, so the text of paragraphs, cells, slides, notes and
comments is read without the (private) message schemas. An ``.iwa`` that does not
decode is held as unparseable: snappy-compressed bytes read as text say nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

import cramjam

from filters import protobuf_wire
from filters.errors import LimitReached, UnparseableContent
from filters.extract import zip as zip_extract
from filters.limits import Budget
from filters.protobuf_wire import read_varint
from filters.types import Defect, Part

MAX_DEPTH = 24  # protobuf nesting followed before the rest of a message is skipped
MAX_STRINGS = 200_000  # string fields read per .iwa
# Characters of a string field besides the printable ones: line and paragraph breaks,
# tabs, and the object replacement character iWork puts where an attachment sits.
_TEXT_CONTROLS = frozenset("\t\n\r\u2028\u2029\ufffc")


def extract(part: Part, budget: Budget) -> Iterator[Part | Defect]:
    """The package's members, with each ``.iwa`` archive replaced by its text."""
    for child in zip_extract.extract(part, budget):
        if isinstance(child, Part) and not child.is_text and child.name.endswith(".iwa"):
            data = child.data if child.path is None else child.path.read_bytes()
            try:
                stream = iwa_stream(data, budget)
            except UnparseableContent as exc:
                yield Defect("extract.unparseable", "high", str(exc), where=child.origin)
                continue
            lines = list(protobuf_strings(stream, budget))
            if lines:
                yield budget.child(part, child.origin.removeprefix(part.origin + "/"),
                                   text="\n".join(lines), role="body")
        else:
            yield child


def iwa_stream(data: bytes, budget: Budget) -> bytes:
    """The decompressed bytes of an ``.iwa`` file: chunks of a 0 byte, a 24-bit
    little-endian length and that many bytes of raw snappy data."""
    out = bytearray()
    pos = 0
    while pos < len(data):
        budget.check_time()
        if data[pos] != 0 or pos + 4 > len(data):
            raise UnparseableContent(f"iWork archive chunk at byte {pos} has no valid header")
        length = int.from_bytes(data[pos + 1:pos + 4], "little")
        end = pos + 4 + length
        if end > len(data):
            raise UnparseableContent("iWork archive is cut short inside a chunk")
        out += snappy_decompress(data[pos + 4:end], budget)
        pos = end
    return bytes(out)


def snappy_decompress(data: bytes, budget: Budget) -> bytes:
    """Raw snappy data (no framing) decompressed, its declared size checked and counted
    before any byte is written."""
    try:
        size, _ = read_varint(data, 0)
    except ValueError as exc:
        raise UnparseableContent("snappy data has no length") from exc
    if size > budget.limits.max_part_bytes:
        raise LimitReached("max_part_bytes",
                           f"iWork archive chunk declares {size} bytes, more than "
                           f"{budget.limits.max_part_bytes}")
    budget.take(size)
    try:
        out = bytes(cramjam.snappy.decompress_raw(data))
    except cramjam.DecompressionError as exc:
        raise UnparseableContent(f"iWork archive chunk is not snappy data: {exc}") from exc
    if len(out) != size:
        raise UnparseableContent(f"snappy data gives {len(out)} bytes, not the {size} declared")
    return out


def _as_text(value: bytes) -> str | None:
    """The string a length-delimited field holds, or None when it is not text."""
    try:
        text = value.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if all(c.isprintable() or c in _TEXT_CONTROLS for c in text):
        return text
    return None


def protobuf_strings(stream: bytes, budget: Budget) -> Iterator[str]:
    """Every string field of the messages in an IWA stream, in order.

    The stream is a series of (varint length, ArchiveInfo, payloads); a payload that
    does not parse as the series expects is walked from where the series broke off, so
    no message is skipped for a layout this reader does not know."""
    for found, text in enumerate(_series(stream, budget), 1):
        if found > MAX_STRINGS:
            budget.note_limit("max_text_chars")
            return
        yield text


def _payload_lengths(info: bytes) -> list[int] | None:
    """The payload lengths an ArchiveInfo lists (MessageInfo, field 2, its field 3)."""
    lengths: list[int] = []
    try:
        for number, wire, value in protobuf_wire.fields(info):
            if wire not in (protobuf_wire.VARINT, protobuf_wire.LENGTH_DELIMITED):
                return None
            if number == 2 and wire == protobuf_wire.LENGTH_DELIMITED:
                lengths.extend(_field3(value))  # type: ignore[arg-type]
    except ValueError:
        return None
    return lengths


def _field3(message: bytes) -> list[int]:
    """The varint values of field 3 of a MessageInfo; ValueError on any other kind of field."""
    out = []
    for number, wire, value in protobuf_wire.fields(message):
        if wire not in (protobuf_wire.VARINT, protobuf_wire.LENGTH_DELIMITED):
            raise ValueError("unexpected field in a MessageInfo")
        if number == 3 and wire == protobuf_wire.VARINT:
            out.append(value)
    return out


def _series(stream: bytes, budget: Budget) -> Iterator[str]:
    pos = 0
    while pos < len(stream):
        budget.check_time()
        try:
            size, start = read_varint(stream, pos)
        except ValueError:
            break
        lengths = _payload_lengths(stream[start:start + size])
        if lengths is None or start + size + sum(lengths) > len(stream):
            break
        pos = start + size
        for length in lengths:
            yield from _strings(stream[pos:pos + length], 0, budget)
            pos += length
    if pos < len(stream):
        yield from _strings(stream[pos:], 0, budget)


def _strings(data: bytes, depth: int, budget: Budget) -> Iterator[str]:
    """String fields of ``data`` read as concatenated protobuf fields, nested ones too.

    Bytes that stop parsing as fields end the walk at that level; a length-delimited
    field that is not text is walked as a nested message."""
    try:
        for steps, (_number, wire, value) in enumerate(protobuf_wire.fields(data), 1):
            if steps % 4096 == 0:
                budget.check_time()
            if wire != protobuf_wire.LENGTH_DELIMITED or not value:
                continue
            text = _as_text(value)  # type: ignore[arg-type]
            if text is not None:
                if text.strip():
                    yield text
            elif depth < MAX_DEPTH:
                yield from _strings(value, depth + 1, budget)  # type: ignore[arg-type]
    except ValueError:
        return
