"""HWP 5.0 documents (Hancom Hangul, the Korean word processor): a compound file whose
BodyText/Section streams hold the text as PARA_TEXT records, deflated when the
FileHeader says so.

Every PARA_TEXT record of every section is read, whatever it belongs to (body, table
cells, headers and footers, text boxes, footnotes: they are all paragraph lists inside
the section), with the in-line control codes taken out. The preview text (PrvText), the
summary properties and embedded objects are read too. A document saved for
distribution (its sections encrypted under ViewText/) or with a password is held.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterator

import olefile

from filters.errors import EncryptedContent, LimitReached, UnparseableContent
from filters.extract import ole
from filters.extract.zlib import inflate_chunks
from filters.limits import Budget
from filters.types import Defect, Part

SIGNATURE = b"HWP Document File"
_FLAG_COMPRESSED = 0x1
_FLAG_PASSWORD = 0x2
_FLAG_DISTRIBUTION = 0x4
TAG_PARA_TEXT = 0x43  # HWPTAG_BEGIN (0x10) + 51
MAX_SECTIONS = 4096
# Control characters that take 8 UTF-16 code units (the code, 6 units of data, the code
# again): inline and extended controls. The others (line break 10, paragraph end 13,
# hyphen 24, non-breaking and fixed-width spaces 30, 31) are one unit.
_WIDE_CONTROLS = frozenset({1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 14, 15, 16, 17, 18, 19, 20,
                            21, 22, 23})
_ONE_UNIT = {10: "\n", 13: "\n", 24: "-", 30: " ", 31: " "}


def extract(part: Part, budget: Budget) -> Iterator[Part | Defect]:
    """Section text, preview text, summary properties and embedded objects."""
    with part.open() as source:
        document = ole._open_ole(source)
        try:
            yield from _hwp(part, budget, document)
        except ole.CORRUPT as exc:
            raise UnparseableContent(f"HWP document is damaged: {exc}") from exc
        finally:
            document.close()


def _hwp(part: Part, budget: Budget, document: olefile.OleFileIO) -> Iterator[Part | Defect]:
    if not document.exists("FileHeader"):
        raise UnparseableContent("HWP document has no FileHeader stream")
    header = ole._stream(document, ["FileHeader"], budget)
    if not header.startswith(SIGNATURE) or len(header) < 40:
        raise UnparseableContent("HWP FileHeader does not carry the HWP signature")
    (flags,) = struct.unpack_from("<I", header, 36)
    if flags & _FLAG_PASSWORD:
        raise EncryptedContent("HWP document is password-protected")
    if flags & _FLAG_DISTRIBUTION or document.exists("ViewText"):
        raise EncryptedContent("HWP document is saved for distribution (its text is encrypted)")
    sections = sorted((path for path in document.listdir(streams=True, storages=False)
                       if len(path) == 2 and path[0] == "BodyText"
                       and path[1].startswith("Section")),
                      key=lambda path: int(path[1][7:]) if path[1][7:].isdigit() else 0)
    if not sections:
        raise UnparseableContent("HWP document has no BodyText sections")
    if len(sections) > MAX_SECTIONS:
        raise LimitReached("max_parts", f"HWP document has more than {MAX_SECTIONS} sections")
    for path in sections:
        budget.check_time()
        raw = ole._stream(document, path, budget)
        data = _inflate(raw, budget, "/".join(path)) if flags & _FLAG_COMPRESSED else raw
        text = "\n".join(section_paragraphs(data, budget))
        if text.strip():
            yield budget.child(part, "/".join(path), text=text, role="body")
    if document.exists("PrvText"):
        preview = ole._stream(document, ["PrvText"], budget).decode("utf-16-le", "replace")
        if preview.strip():
            yield budget.child(part, "PrvText", text=preview, role="body")
    yield from ole._summary(part, budget, document, [])
    yield from ole._embedded(part, budget, document, [], [0])


def _inflate(raw: bytes, budget: Budget, what: str) -> bytes:
    """A section's raw deflate stream, bounded by the part and expansion limits."""
    try:
        data, spool = budget.collect(inflate_chunks(io.BytesIO(raw), -15),
                                     compressed_size=len(raw), what=f"HWP {what}")
    except EOFError as exc:
        raise UnparseableContent(f"HWP {what} is cut short (its deflate stream does not end)") from exc
    return spool.read_bytes() if spool is not None else data


def section_paragraphs(data: bytes, budget: Budget) -> Iterator[str]:
    """The text of each PARA_TEXT record in a decompressed section stream."""
    pos = 0
    end = len(data)
    count = 0
    while pos + 4 <= end:
        (word,) = struct.unpack_from("<I", data, pos)
        pos += 4
        tag, size = word & 0x3FF, word >> 20
        if size == 0xFFF:
            if pos + 4 > end:
                raise UnparseableContent("HWP record is cut short")
            (size,) = struct.unpack_from("<I", data, pos)
            pos += 4
        if pos + size > end:
            raise UnparseableContent("HWP record runs past the end of its section")
        if tag == TAG_PARA_TEXT:
            count += 1
            if count % 1024 == 0:
                budget.check_time()
            yield para_text(data[pos:pos + size])
        pos += size


def para_text(record: bytes) -> str:
    """A PARA_TEXT record's characters with control codes removed or made spaces."""
    units = struct.unpack(f"<{len(record) // 2}H", record[:len(record) & ~1])
    out: list[str] = []
    i = 0
    while i < len(units):
        unit = units[i]
        if unit >= 32:
            out.append(chr(unit))
            i += 1
        elif unit in _WIDE_CONTROLS:
            out.append(" " if unit == 9 else "")  # 9 is a tab
            i += 8
        else:
            out.append(_ONE_UNIT.get(unit, ""))
            i += 1
    # Surrogate pairs come through as two units: join them back.
    return "".join(out).encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace").strip()
