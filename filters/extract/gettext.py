"""GNU gettext message catalogs (.mo): every message and its translation, read as text.

A catalog is a header, two tables of (length, offset) pairs and the strings they point
to (GNU gettext manual, "The Format of GNU MO Files"). Each entry is one line,
``original = translation``: a program's labels ("Top secret", "Draft", the banner
names and print qualities a printing dialog offers) are words in a table of labels,
not a document's marking. A string of several lines (a memo put in a translation) is
written out on lines of its own under its original, as a document's lines are read,
so its marking stands where a marking stands. Bytes the tables do not account for (a
file appended after the strings) are a child part, typed and opened like any other.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterator

from filters.errors import UnparseableContent
from filters.limits import Budget
from filters.types import Defect, Part

MAGIC_LE = b"\xde\x12\x04\x95"
MAGIC_BE = b"\x95\x04\x12\xde"
HEADER_BYTES = 28
MAX_ENTRIES = 200_000
ENTRIES_PER_TIME_CHECK = 4096
_CHARSET = re.compile(rb"charset=([A-Za-z0-9._:-]+)")


def is_catalog(head: bytes) -> bool:
    """Whether ``head`` starts with a .mo catalog's magic number, in either byte order."""
    return head[:4] in (MAGIC_LE, MAGIC_BE)


def _table(data: bytes, order: str, offset: int, count: int) -> list[tuple[int, int]]:
    """The (offset, end) of each of ``count`` strings listed at ``offset``."""
    if offset + 8 * count > len(data):
        raise UnparseableContent(f"catalog's string table at {offset} runs past the file's end")
    spans = []
    for length, at in struct.iter_unpack(order + "II", data[offset:offset + 8 * count]):
        if at + length > len(data):
            raise UnparseableContent(f"catalog string at {at} ({length} bytes) runs past the file's end")
        spans.append((at, at + length))
    return spans


def _decode(raw: bytes, charset: str) -> str:
    try:
        return raw.decode(charset)
    except (LookupError, UnicodeDecodeError):
        return raw.decode("utf-8", "replace")


def _readable(raw: str) -> str:
    # msgctxt is joined to msgid by EOT, plural forms by NUL.
    return raw.replace("\x04", " | ").replace("\x00", " | ")


def extract(part: Part, budget: Budget) -> Iterator[Part | Defect]:
    """The catalog's entries as one text part; bytes outside its tables as a child."""
    data = budget.read_part(part)
    if len(data) < HEADER_BYTES or not is_catalog(data):
        raise UnparseableContent("not a gettext catalog: no magic number")
    order = "<" if data[:4] == MAGIC_LE else ">"
    revision, count, originals, translations, hash_size, hash_offset = struct.unpack(
        order + "6I", data[4:HEADER_BYTES])
    if revision >> 16 > 1:
        raise UnparseableContent(f"catalog revision {revision >> 16} is not one Redline reads")
    if count > MAX_ENTRIES:
        raise UnparseableContent(f"catalog lists {count} entries, more than {MAX_ENTRIES}")
    keys = _table(data, order, originals, count)
    values = _table(data, order, translations, count)
    covered = [(0, HEADER_BYTES), (originals, originals + 8 * count),
               (translations, translations + 8 * count)]
    if hash_size:
        if hash_offset + 4 * hash_size > len(data):
            raise UnparseableContent("catalog's hash table runs past the file's end")
        covered.append((hash_offset, hash_offset + 4 * hash_size))
    charset = "utf-8"
    for key, value in zip(keys, values, strict=True):
        if key[0] == key[1] and (found := _CHARSET.search(data, value[0], value[1])):
            charset = found.group(1).decode("ascii")  # the header entry (msgid "") names it
            break
    lines: list[str] = []
    for index, (key, value) in enumerate(zip(keys, values, strict=True)):
        if index % ENTRIES_PER_TIME_CHECK == 0:
            budget.check_time()
        covered += (key, value)
        original = _readable(_decode(data[key[0]:key[1]], charset))
        translation = _readable(_decode(data[value[0]:value[1]], charset))
        if "\n" in original.strip() or "\n" in translation.strip() or not original:
            # A text of several lines (or the header's fields) is read as a document's lines.
            lines += (original, translation)
        else:
            lines.append(f"{original.strip()} = {translation.strip()}")
    text = "\n".join(line for line in lines if line)
    if text.strip():
        yield budget.child(part, "#catalog", text=text, role="body")
    yield from _unlisted(part, budget, data, covered)


def _unlisted(part: Part, budget: Budget, data: bytes, covered: list[tuple[int, int]]) -> Iterator[Part]:
    """Each stretch of ``data`` no table or string accounts for, but NUL padding, as a child."""
    at, found = 0, 0
    for start, end in [*sorted(covered), (len(data), len(data))]:
        if start > at:
            stretch = data[at:start]
            if stretch.strip(b"\x00"):
                found += 1
                yield budget.child(part, f"#unlisted[{found}]", data=stretch)
        at = max(at, end)
