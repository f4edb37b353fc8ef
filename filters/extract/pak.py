"""Chromium resource bundles (.pak, versions 4 and 5): every resource, read.

A bundle is a header, a table of (resource id, offset) entries whose last entry marks
the end of the data, an alias table (version 5), then the resources back to back, as
Chromium's tools/grit/pak_util.py and ui/base/resource/data_pack.cc lay them out. Each
resource is a file in its own right (PNG icons, gzip or brotli-compressed HTML and
JavaScript) or a string (the locale bundles' translated strings). Files are child parts,
typed and opened like any other: a brotli resource loses Chromium's 8-byte header
(0x1E 0x9B and its decoded size) first. Strings are read as text, one resource a line
after its id (``1234 = Top secret``: a program's labels, as gettext catalogs are read);
a resource of several lines on lines of its own, so a memo stored as a resource is read
where its marking stands. Every byte belongs to a resource: the table must end
where the file ends, and offsets must not go back.
"""

from __future__ import annotations

import itertools
import struct
from collections.abc import Iterator

from filters.errors import UnparseableContent
from filters.limits import Budget
from filters.types import Defect, Part

MAX_RESOURCES = 65_535  # ids are 16-bit
BROTLI_MAGIC = b"\x1e\x9b"
BROTLI_HEADER = 8  # the magic and a 48-bit decoded size
# Leading bytes of resources that are files (typed by the pipeline); the rest are strings.
_FILE_SIGNATURES = (b"\x89PNG", b"\x1f\x8b", BROTLI_MAGIC, b"GIF8", b"\xff\xd8\xff", b"RIFF",
                    b"\x00asm", b"wOF2", b"wOFF", b"PK\x03\x04", b"%PDF")
_ENCODINGS = {0: "latin-1", 1: "utf-8", 2: "utf-16-le"}  # BINARY, UTF8, UTF16
ENTRIES_PER_TIME_CHECK = 1024


def _layout(head: bytes) -> tuple[int, int, int, int] | None:
    """(version, encoding, resources, start of the entry table) of a bundle's header."""
    if len(head) < 12:
        return None
    version = struct.unpack_from("<I", head)[0]
    if version == 5:
        encoding = head[4]
        if head[5:8] != b"\0\0\0":
            return None
        count = struct.unpack_from("<H", head, 8)[0]
        return version, encoding, count, 12
    if version == 4:
        count, encoding = struct.unpack_from("<IB", head, 4)
        return version, encoding, count, 9
    return None


def _aliases(head: bytes, version: int) -> int:
    return struct.unpack_from("<H", head, 10)[0] if version == 5 else 0


def looks_like_pak(head: bytes, size: int) -> bool:
    """Whether ``head`` (the first bytes of a part of ``size`` bytes) opens a resource
    bundle: a known version and encoding, resources whose data starts right after the
    tables, and the offsets ``head`` holds in order and within the part."""
    layout = _layout(head)
    if layout is None:
        return False
    version, encoding, count, table = layout
    if encoding not in _ENCODINGS or not 0 < count <= MAX_RESOURCES:
        return False
    data_start = table + 6 * (count + 1) + 4 * _aliases(head, version)
    shown = min(count + 1, (len(head) - table) // 6)
    if shown < 1:
        return False
    offsets = [struct.unpack_from("<I", head, table + 6 * i + 2)[0] for i in range(shown)]
    return (offsets[0] == data_start and offsets[-1] <= size
            and all(a <= b for a, b in itertools.pairwise(offsets)))


def extract(part: Part, budget: Budget) -> Iterator[Part | Defect]:
    """Each file resource as a child part; the string resources as one text part."""
    data = budget.read_part(part)
    layout = _layout(data)
    if layout is None or not looks_like_pak(data, len(data)):
        raise UnparseableContent("not a resource bundle: its header or table does not hold")
    _, encoding, count, table = layout
    entries = [struct.unpack_from("<HI", data, table + 6 * i) for i in range(count + 1)]
    if entries[-1][1] != len(data):
        raise UnparseableContent(
            f"resource bundle's table ends at {entries[-1][1]}, the file at {len(data)}")
    lines: list[str] = []
    for index, ((resource, start), (_, end)) in enumerate(itertools.pairwise(entries)):
        if index % ENTRIES_PER_TIME_CHECK == 0:
            budget.check_time()
        if end < start:
            raise UnparseableContent(f"resource {resource}'s offsets go back ({start} to {end})")
        body = data[start:end]
        if not body:
            continue
        text = None if body.startswith(_FILE_SIGNATURES) else _text(body, encoding)
        if text is None:
            if body.startswith(BROTLI_MAGIC):
                yield budget.child(part, f"#resource[{resource}]", data=body[BROTLI_HEADER:],
                                   declared_type="application/x-brotli")
            else:
                yield budget.child(part, f"#resource[{resource}]", data=body)
            continue
        # One line a resource, after its id, as a catalog of labels is read ("Top secret",
        # a dialog's choice, stands in a table); a text of several lines on its own lines.
        lines.append(text.strip("\n") if "\n" in text.strip() else f"{resource} = {text.strip()}")
    text = "\n".join(line for line in lines if line)
    if text:
        yield budget.child(part, "#strings", text=text, role="body")


def _text(body: bytes, encoding: int) -> str | None:
    """``body`` as text in the bundle's encoding, or None when it is no text (control
    bytes other than line ends and tabs, or bytes the encoding does not decode)."""
    try:
        text = body.decode(_ENCODINGS.get(encoding, "utf-8") if encoding else "utf-8")
    except UnicodeDecodeError:
        return None
    if any(ord(c) < 0x20 and c not in "\t\n\r" for c in text):
        return None
    return text
