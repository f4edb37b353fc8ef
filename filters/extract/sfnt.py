"""A TrueType/OpenType font (sfnt) read as its text, not as the numbers of its tables.

A font is inert (it carries no document), but it is still searched for text runs, and
its outlines, metrics and hinting programs are bytes that read as runs of digits
("476767632"): the personal-data rules took them for identifiers. The table directory
(OpenType spec, "Organization of an OpenType Font") says which bytes are which:

- the ``name`` table's strings (family, copyright, licence, description) are decoded
  (UTF-16BE for Unicode and Windows records, Mac Roman for Macintosh ones) and read by
  every rule;
- the runs of the tables that hold numbers (outlines, metrics, hinting programs, layout)
  are read by every rule but the personal-data ones, except runs long enough to be text
  (``TEXT_RUN_CHARS``), which every rule reads;
- every other byte (the ``name`` table's own bytes, ``post``, ``SVG ``, ``meta``, any
  other or unknown table, gaps between tables, bytes after the last) is searched for
  runs by every rule, as before.

A font whose directory does not hold together is searched like any inert part.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable, Iterator

from filters.extract import strings
from filters.limits import Budget
from filters.types import NUMBER_RUNS_KEY, Defect, Part

# Types libmagic gives TrueType and OpenType fonts.
FONT_TYPES = frozenset({"font/sfnt", "font/ttf", "font/otf", "application/font-sfnt",
                        "application/x-font-ttf", "application/vnd.ms-opentype"})
# A run this long in a number table is text someone put there, read by every rule.
TEXT_RUN_CHARS = 24
MAX_FONT_BYTES = 32 * 1024 * 1024
_VERSIONS = {b"\x00\x01\x00\x00", b"OTTO", b"true", b"typ1"}
# Tables of numbers: outlines, metrics, hinting programs, layout, variations, colours.
NUMBER_TABLES = frozenset({
    b"glyf", b"loca", b"CFF ", b"CFF2", b"hmtx", b"vmtx", b"hhea", b"vhea", b"head",
    b"maxp", b"OS/2", b"cmap", b"kern", b"GPOS", b"GSUB", b"GDEF", b"BASE", b"JSTF",
    b"MATH", b"fpgm", b"prep", b"cvt ", b"gasp", b"hdmx", b"LTSH", b"VDMX", b"PCLT",
    b"VORG", b"fvar", b"gvar", b"avar", b"cvar", b"HVAR", b"VVAR", b"MVAR", b"STAT",
    b"COLR", b"CPAL", b"EBLC", b"EBSC", b"CBLC",
})


def tables(data: bytes) -> dict[bytes, tuple[int, int]] | None:
    """Tag -> (offset, length) from an sfnt's table directory; None when it is no sfnt
    or a table lies outside the file."""
    if len(data) < 12 or data[:4] not in _VERSIONS:
        return None
    (count,) = struct.unpack_from(">H", data, 4)
    if count == 0 or 12 + 16 * count > len(data):
        return None
    found: dict[bytes, tuple[int, int]] = {}
    for n in range(count):
        tag, _checksum, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * n)
        if offset + length > len(data) or tag in found:
            return None
        found[tag] = (offset, length)
    return found


def name_strings(table: bytes) -> list[str]:
    """The strings of a ``name`` table (formats 0 and 1, language tags included)."""
    if len(table) < 6:
        return []
    version, count, storage = struct.unpack_from(">HHH", table, 0)
    records = []  # (platform, offset, length)
    end = 6 + 12 * count
    if end > len(table):
        return []
    for n in range(count):
        platform, _encoding, _language, _name, length, offset = struct.unpack_from(
            ">HHHHHH", table, 6 + 12 * n)
        records.append((platform, offset, length))
    if version == 1 and end + 2 <= len(table):
        (tags,) = struct.unpack_from(">H", table, end)
        for n in range(tags):
            if end + 2 + 4 * n + 4 > len(table):
                break
            length, offset = struct.unpack_from(">HH", table, end + 2 + 4 * n)
            records.append((0, offset, length))
    out = []
    for platform, offset, length in records:
        raw = table[storage + offset:storage + offset + length]
        codec = "mac_roman" if platform == 1 else "utf-16-be" if platform in (0, 3) else "latin-1"
        out.append(raw.decode(codec, "replace"))
    return out


def _text_children(part: Part, budget: Budget, runs: Iterable[str],
                   meta: dict[str, str]) -> Iterator[Part]:
    pieces: list[str] = []
    size = 0
    for run in runs:
        pieces.append(run)
        size += len(run) + 1
        if size >= strings.TEXT_PIECE:
            budget.check_time()
            yield budget.child(part, "", text="\n".join(pieces), role="body", meta=meta)
            pieces, size = [], 0
    if pieces:
        yield budget.child(part, "", text="\n".join(pieces), role="body", meta=meta)


def extract(part: Part, budget: Budget, *, min_chars: int = 4,
            otherwise: Callable[[Part, Budget], Iterable[Part | Defect]]
            ) -> Iterator[Part | Defect]:
    """The text of a font part; ``otherwise`` (the inert search for text runs) reads a
    part whose table directory does not hold together or that is too large."""
    directory = tables(part.head(MAX_FONT_BYTES)) if part.size <= MAX_FONT_BYTES else None
    if directory is None:
        yield from otherwise(part, budget)
        return
    data = part.read()
    rest = bytearray(data)
    numbers: list[str] = []
    for tag, (offset, length) in directory.items():
        if tag in NUMBER_TABLES:
            numbers.extend(strings.text_runs(data[offset:offset + length], min_chars))
            rest[offset:offset + length] = bytes(length)
    if b"name" in directory:
        offset, length = directory[b"name"]
        text = "\n".join(name_strings(data[offset:offset + length]))
        if text.strip():
            yield budget.child(part, "#name", text=text, role="body")
    runs = {strings.TEXT_RUNS_KEY: "1"}
    yield from _text_children(part, budget, strings.text_runs(bytes(rest), min_chars), runs)
    yield from _text_children(
        part, budget, (run for run in numbers if len(run) >= TEXT_RUN_CHARS), runs)
    yield from _text_children(
        part, budget, (run for run in numbers if len(run) < TEXT_RUN_CHARS),
        {**runs, NUMBER_RUNS_KEY: "1"})
