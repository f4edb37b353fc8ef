"""Excel binary workbooks (.xlsb, MS-XLSB): the BIFF12 parts of an OOXML package.

An .xlsb is an OOXML package whose workbook, sheets, shared strings and comments are
binary record streams instead of XML. filters.extract.ooxml reads the package and hands
each of these parts here by its content type; this module turns the records that carry
text into lines: shared strings, inline cell strings and formula string results, sheet
headers and footers, sheet names and comments.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

from filters.errors import UnparseableContent
from filters.limits import Budget

# Content type (lower case, as ooxml keeps them) -> (handler, role), like ooxml's table.
PARTS: dict[str, tuple[str, str]] = {
    "application/vnd.ms-excel.sheet.binary.macroenabled.main": ("workbook", "sheet"),
    "application/vnd.ms-excel.worksheet": ("worksheet", "cell"),
    "application/vnd.ms-excel.sharedstrings": ("shared_strings", "cell"),
    "application/vnd.ms-excel.comments": ("comments", "comment"),
}

BRT_CELL_ST = 6  # a cell holding its own string
BRT_FMLA_STRING = 8  # a formula whose cached value is a string
BRT_SST_ITEM = 19
BRT_BUNDLE_SH = 156  # a sheet of the workbook: state, tab id, relationship id, name
BRT_HEADER_FOOTER = 479
BRT_COMMENT_TEXT = 637
_CELL = 8  # column and style of a cell record, before its value
_NULL = 0xFFFFFFFF


def records(data: bytes, budget: Budget) -> Iterator[tuple[int, bytes]]:
    """(type, payload) of each BIFF12 record: type and size in 7-bit groups."""
    pos = 0
    end = len(data)
    count = 0
    while pos < end:
        kind, pos = _seven_bit(data, pos, 2, "type")
        size, pos = _seven_bit(data, pos, 4, "size")
        if pos + size > end:
            raise UnparseableContent(f"BIFF12 record {kind} runs past the end of its part")
        count += 1
        if not count & 4095:
            budget.check_time()
        yield kind, data[pos:pos + size]
        pos += size


def _seven_bit(data: bytes, pos: int, most: int, what: str) -> tuple[int, int]:
    """A record header number in 7-bit groups (at most ``most`` bytes) and where it ends."""
    value = 0
    for shift in range(0, 7 * most, 7):
        if pos >= len(data):
            raise UnparseableContent(f"BIFF12 record {what} is cut short")
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            break
    return value, pos


def wide_string(payload: bytes, pos: int) -> tuple[str, int]:
    """An XLWideString (32-bit count of UTF-16 units) at ``pos``; "" for a null one."""
    if pos + 4 > len(payload):
        raise UnparseableContent("BIFF12 string is cut short")
    (count,) = struct.unpack_from("<I", payload, pos)
    pos += 4
    if count == _NULL:
        return "", pos
    end = pos + 2 * count
    if end > len(payload):
        raise UnparseableContent("BIFF12 string runs past its record")
    return payload[pos:end].decode("utf-16-le", "replace"), end


def read(handler: str, data: bytes, budget: Budget) -> dict[str, list[str]]:
    """Lines of text by key ("body", "sheets", "header", "footer") of one binary part."""
    out: dict[str, list[str]] = {}

    def add(key: str, text: str) -> None:
        if text.strip():
            out.setdefault(key, []).append(text)

    try:
        for kind, payload in records(data, budget):
            if handler == "shared_strings" and kind == BRT_SST_ITEM:
                add("body", wide_string(payload, 1)[0])  # after the rich/phonetic flags
            elif handler == "worksheet" and kind in (BRT_CELL_ST, BRT_FMLA_STRING):
                add("body", wide_string(payload, _CELL)[0])
            elif handler == "worksheet" and kind == BRT_HEADER_FOOTER:
                pos = 2  # flags
                for index in range(6):  # odd, even and first-page header and footer
                    text, pos = wide_string(payload, pos)
                    add("header" if index % 2 == 0 else "footer", _strip_codes(text))
            elif handler == "workbook" and kind == BRT_BUNDLE_SH:
                _, pos = wide_string(payload, 8)  # relationship id
                add("sheets", wide_string(payload, pos)[0])
            elif handler == "comments" and kind == BRT_COMMENT_TEXT:
                add("body", wide_string(payload, 1)[0])
    except struct.error as exc:
        raise UnparseableContent(f"BIFF12 record is malformed: {exc}") from exc
    return out


def _strip_codes(text: str) -> str:
    # Imported here: ooxml imports this module for its PARTS table.
    from filters.extract.ooxml import strip_header_codes

    return strip_header_codes(text)
