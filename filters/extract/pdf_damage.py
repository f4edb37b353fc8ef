"""Finds damage in a PDF that PDFium reads around silently.

PDFium is forgiving: it rebuilds a broken cross-reference table and draws a page whose
content stream fails to inflate as if the stream were empty. A flipped bit in a marked
PDF then yields a document with no marking and no error, and it would pass. So before
trusting what PDFium reads, check the file's own structure: every Flate stream must
inflate to its end, and ``startxref`` must point at a cross-reference section. What
this finds becomes a ``policy`` hit; what PDFium still reads is scanned all the same.
"""

from __future__ import annotations

import binascii
import mmap
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

# A stream's dictionary ends right before the ``stream`` keyword; the filter name is in it.
STREAM = re.compile(rb"stream\r?\n")
END = b"endstream"
FILTER = re.compile(rb"/Filter\s*(?:\[([^\]]*)\]|(/[A-Za-z0-9]+))")
FILTER_NAME = re.compile(rb"/([A-Za-z0-9]+)")
# Filter chains that end in Flate and that this module can undo before it (ReportLab
# writes ASCII85 then Flate); image codecs (DCT, JBIG2, CCITT) are PDFium's business.
TEXT_FILTERS = {b"ASCII85Decode": "a85", b"A85": "a85", b"ASCIIHexDecode": "hex",
                b"AHx": "hex", b"FlateDecode": "flate", b"Fl": "flate"}
DICT_LOOKBACK = 2048  # bytes before ``stream`` searched for its dictionary's /Filter
STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF", re.S)
XREF_AT = re.compile(rb"\s*(?:xref\b|\d+\s+\d+\s+obj\b)")
XREF_SECTION = re.compile(rb"\s*xref\s+")
XREF_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])")
SUBSECTION = re.compile(rb"(\d+) (\d+)\s+")
MAX_XREF_ENTRIES = 100000
# Inflating is only to prove a stream whole: output is thrown away in slices, and the
# check stops after this much output in all (a bomb costs time, never memory).
SLICE = 1 << 20
MAX_OUTPUT = 512 << 20
MAX_STREAMS = 20000


def _inflates(data: bytes | memoryview, budget: list[int]) -> tuple[str | None, bytes]:
    """(None, its first slice of output) when ``data`` is one whole zlib stream, else
    (what is wrong with it, b"")."""
    engine = zlib.decompressobj()
    try:
        first = chunk = engine.decompress(data, SLICE)
        while True:
            budget[0] -= len(chunk)
            if budget[0] <= 0:
                return None, first  # not proven damaged; the pipeline's own limits apply
            if not engine.unconsumed_tail:
                break
            chunk = engine.decompress(engine.unconsumed_tail, SLICE)
    except zlib.error as exc:
        return f"a compressed stream is corrupt ({exc})", b""
    if not engine.eof:
        return "a compressed stream is cut short", b""
    return None, first


def _xref_damage(view: bytes | mmap.mmap) -> str | None:
    tail = view[max(0, len(view) - 4096):]
    found = list(STARTXREF.finditer(tail))
    if not found:
        return "the file is truncated (no startxref and %%EOF at its end)"
    offset = int(found[-1].group(1))
    if offset >= len(view) or not XREF_AT.match(view[offset:offset + 64]):
        return "its cross-reference table is not where the file says (rebuilt by guessing)"
    return _table_damage(view, offset)


def _table_damage(view: bytes | mmap.mmap, offset: int) -> str | None:
    """A classic xref table whose entries do not point at their objects (xref streams,
    compressed in PDF 1.5+, are checked by inflating them instead)."""
    head = XREF_SECTION.match(view[offset:offset + 64])
    if head is None:
        return None
    position, checked = offset + head.end(), 0
    while checked < MAX_XREF_ENTRIES:
        sub = SUBSECTION.match(view[position:position + 48])
        if sub is None:
            return None
        first, count = int(sub.group(1)), int(sub.group(2))
        position += sub.end()
        for number in range(first, first + count):
            entry = XREF_ENTRY.match(view[position:position + 20])
            if entry is None:
                return "its cross-reference table is damaged (rebuilt by guessing)"
            position += 20
            checked += 1
            if entry.group(3) != b"n":
                continue
            at = int(entry.group(1))
            target = re.match(rb"\s*(\d+)\s+\d+\s+obj\b", view[at:at + 40])
            if target is None or int(target.group(1)) != number:
                return f"its cross-reference table points object {number} at the wrong place"
            if checked >= MAX_XREF_ENTRIES:
                return None
    return None


def a85decode(text: bytes) -> bytes:
    """``base64.a85decode`` of ``text`` (no whitespace, no ``~>``), a whole array at a time.

    ReportLab writes every page's content as ASCII85, and the standard library decodes
    it in a Python loop over 5-byte groups: for a text PDF that was most of the time
    spent reading it. ValueError for a byte outside the alphabet, a ``z`` inside a group
    or a group over 2**32, as the standard library says.
    """
    import numpy as np  # with the first ASCII85 stream: most PDFs have none

    if b"z" in text:
        groups = text.split(b"z")
        if any(len(group) % 5 for group in groups[:-1]):
            raise ValueError("z inside Ascii85 5-tuple")
        text = b"!!!!!".join(groups)
    digits = np.frombuffer(text, dtype=np.uint8)
    if len(digits) and (digits.min() < 33 or digits.max() > 117):
        raise ValueError("Non-Ascii85 digit found")
    padding = -len(digits) % 5
    if padding:
        digits = np.concatenate((digits, np.full(padding, 117, dtype=np.uint8)))
    groups_of_five = (digits - 33).astype(np.uint64).reshape(-1, 5)
    values = groups_of_five[:, 0]
    for column in range(1, 5):
        values = values * 85 + groups_of_five[:, column]
    if len(values) and values.max() > 0xFFFFFFFF:
        raise ValueError("Ascii85 overflow")
    out = values.astype(">u4").tobytes()
    return out[:len(out) - padding]


def _decode(body: bytes, steps: list[str], budget: list[int]) -> tuple[str | None, bytes]:
    """Undo ``steps`` on ``body``: (what is wrong, or None; the start of the output)."""
    for step in steps:
        if step == "a85":
            text = re.sub(rb"\s", b"", body)
            end = text.find(b"~>")
            if end < 0:
                return "an ASCII85 stream is cut short", b""
            try:
                body = a85decode(text[:end])
            except ValueError as exc:
                return f"an ASCII85 stream is corrupt ({exc})", b""
        elif step == "hex":
            text = re.sub(rb"\s", b"", body).split(b">")[0]
            try:
                body = binascii.unhexlify(text + b"0" * (len(text) % 2))
            except binascii.Error as exc:
                return f"a hex stream is corrupt ({exc})", b""
        else:
            problem, start = _inflates(body, budget)
            if problem:
                return problem, b""
            body = start
    return None, body


@dataclass(frozen=True, slots=True)
class Integrity:
    """What the file's own structure says: damage PDFium hides, and whether its content
    streams draw text at all (so that a page read as empty is suspicious)."""

    damage: str | None
    draws_text: bool


TEXT_SHOWN = re.compile(rb"\bBT\b.*?(?:\)|>|\])\s*(?:Tj|TJ|'|\")", re.S)


def inspect(source: bytes | Path) -> Integrity:
    """Check the PDF ``source`` (bytes or a file) for damage PDFium would read around."""
    if isinstance(source, Path):
        if source.stat().st_size == 0:
            return Integrity("the file is empty", False)
        with source.open("rb") as handle, mmap.mmap(handle.fileno(), 0,
                                                     access=mmap.ACCESS_READ) as view:
            return _inspect(view)
    return _inspect(source)


def _inspect(view: bytes | mmap.mmap) -> Integrity:
    problem = _xref_damage(view)
    if problem:
        return Integrity(problem, False)
    if re.search(rb"/Encrypt\b", view[max(0, len(view) - 65536):]) or (
            re.search(rb"/Encrypt\b", view[:65536])):
        # Encrypted streams decode only after decryption, which PDFium does.
        return Integrity(None, False)
    budget = [MAX_OUTPUT]
    position, streams, draws_text = 0, 0, False
    while streams < MAX_STREAMS and budget[0] > 0:
        found = STREAM.search(view, position)
        if found is None:
            break
        start = found.end()
        end = view.find(END, start)
        if end < 0:
            return Integrity("a stream has no end (the file is cut short)", draws_text)
        position = end + len(END)
        head = view[max(0, found.start() - DICT_LOOKBACK):found.start()]
        # The stream's own dictionary: from its object's "obj" keyword on.
        dictionary = head[head.rfind(b"obj") + 3:] if b"obj" in head else b""
        named = FILTER.search(dictionary)
        if named is None:
            continue
        names = FILTER_NAME.findall(named.group(1) or named.group(2))
        steps = [TEXT_FILTERS.get(n) for n in names]
        if not steps or None in steps or steps[-1] != "flate":
            continue
        streams += 1
        # zlib stops at its own end; the line break before "endstream" is left over.
        problem, start_of_output = _decode(view[start:end], steps, budget)  # type: ignore[arg-type]
        if problem:
            return Integrity(problem, draws_text)
        draws_text = draws_text or bool(TEXT_SHOWN.search(start_of_output))
    return Integrity(None, draws_text)
