"""The JavaScript a PDF runs (an OpenAction, a page's or a field's action, a document
script), read as text.

A PDF shows text through JavaScript as readily as through a page: ``app.alert("…")`` when
it opens, a field filled by a script. PDFium runs none of it and its text API returns no
script but the document-level ones, so the scripts are found in the file itself: every
``/JS`` entry (ISO 32000-1, 12.6.4.16), a literal or hexadecimal string or a reference to
a stream (Flate, ASCIIHex or ASCII85, as writers put long scripts), also inside
compressed object streams (``/Type /ObjStm``, where PDF 1.5 writers put every action
dictionary). Each script is read as text by every rule (``…/form.pdf/#javascript``): a
form's number formatting is code with no marking and passes.
"""

from __future__ import annotations

import binascii
import mmap
import re
import zlib
from collections.abc import Iterator

from filters.extract.pdf_damage import a85decode
from filters.limits import Budget
from filters.types import Part

MAX_SCRIPTS = 256  # /JS entries read per document
MAX_OBJECT_STREAMS = 1024  # object streams inflated per document to look for /JS in them
MAX_OUTPUT = 16 << 20  # bytes inflated in all (scripts and object streams)
_JS = re.compile(rb"/JS\s*(?:(\()|<([0-9A-Fa-f\s]*)>|(\d+)\s+(\d+)\s+R\b)")
_OBJECT_STREAM = re.compile(rb"/Type\s*/ObjStm\b")
_FILTER = re.compile(rb"/Filter\s*(?:\[([^\]]*)\]|(/[A-Za-z0-9]+))")
_NAME = re.compile(rb"/([A-Za-z0-9]+)")
_STREAM = re.compile(rb"stream\r?\n")
_ESCAPES = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f"}
DICT_LOOKBACK = 2048


def _literal(view: bytes | mmap.mmap, start: int, limit: int = 1 << 20) -> bytes:
    """The PDF literal string whose ``(`` is just before ``start``, escapes undone."""
    out = bytearray()
    depth, index, end = 1, start, min(len(view), start + limit)
    while index < end:
        byte = view[index]
        index += 1
        if byte == 0x5C:  # backslash
            if index >= end:
                break
            nxt = view[index]
            index += 1
            if 0x30 <= nxt <= 0x37:  # up to three octal digits
                digits = bytes([nxt])
                while len(digits) < 3 and index < end and 0x30 <= view[index] <= 0x37:
                    digits += bytes([view[index]])
                    index += 1
                out.append(int(digits, 8) & 0xFF)
            elif nxt in (0x0A, 0x0D):  # a line continued
                if nxt == 0x0D and index < end and view[index] == 0x0A:
                    index += 1
            else:
                out += _ESCAPES.get(nxt, bytes([nxt]))
            continue
        if byte == 0x28:
            depth += 1
        elif byte == 0x29:
            depth -= 1
            if depth == 0:
                break
        out.append(byte)
    return bytes(out)


def _text(raw: bytes) -> str:
    """A PDF text string: UTF-16 after its byte-order mark, UTF-8 after its own, else
    PDFDocEncoding (read as Latin-1, which it matches in its letters)."""
    if raw[:2] == b"\xfe\xff":
        return raw[2:].decode("utf-16-be", "replace")
    if raw[:3] == b"\xef\xbb\xbf":
        return raw[3:].decode("utf-8", "replace")
    return raw.decode("latin-1")


def _decoded(body: bytes, dictionary: bytes, budget: list[int]) -> bytes | None:
    """A stream's bytes with its filters undone (Flate, ASCIIHex, ASCII85); None for a
    filter this module does not undo."""
    named = _FILTER.search(dictionary)
    names = _NAME.findall(named.group(1) or named.group(2)) if named else []
    for name in names:
        if name in (b"FlateDecode", b"Fl"):
            inflater = zlib.decompressobj()
            try:
                body = inflater.decompress(body, max(budget[0], 1))
            except zlib.error:
                return None
        elif name in (b"ASCIIHexDecode", b"AHx"):
            digits = re.sub(rb"[^0-9A-Fa-f]", b"", body.split(b">", 1)[0])
            body = binascii.unhexlify(digits + b"0" * (len(digits) % 2))
        elif name in (b"ASCII85Decode", b"A85"):
            try:
                body = a85decode(body)
            except ValueError:
                return None
        else:
            return None
        budget[0] -= len(body)
    return body


_OBJECT = re.compile(rb"(?<!\d)(\d+)\s+(\d+)\s+obj\b")


def _stream(view: bytes | mmap.mmap, number: bytes, generation: bytes,
            budget: list[int], index: dict[tuple[int, int], int]) -> bytes | None:
    """The decoded stream (or string) of object ``number generation``, found by its
    ``obj`` keyword (the last definition: an incremental update's); ``index`` maps each
    object to the end of its keyword, filled in one pass over the file when first asked."""
    if not index:
        for found in _OBJECT.finditer(view):
            index[int(found.group(1)), int(found.group(2))] = found.end()
        index[-1, -1] = 0  # filled, even when the file has no object
    at = index.get((int(number), int(generation)))
    if at is None:
        return None
    opened = _STREAM.search(view, at, at + DICT_LOOKBACK)
    if opened is None:  # a string object: its literal string
        head = bytes(view[at:at + DICT_LOOKBACK])
        start = head.find(b"(")
        return _literal(view, at + start + 1) if 0 <= start < head.find(b"endobj") else None
    end = view.find(b"endstream", opened.end())
    if end < 0:
        return None
    return _decoded(bytes(view[opened.end():end]), bytes(view[at:opened.start()]), budget)


def _scripts_in(view: bytes | mmap.mmap, source: bytes | mmap.mmap, budget: list[int],
                out: list[str], index: dict[tuple[int, int], int]) -> None:
    """The /JS values found in ``view`` (the file or an inflated object stream) into
    ``out``; references are looked up in ``source``, the file."""
    for found in _JS.finditer(view):
        if len(out) >= MAX_SCRIPTS or budget[0] <= 0:
            return
        literal, hexadecimal, number, generation = found.groups()
        if literal:
            raw: bytes | None = _literal(view, found.end())
        elif hexadecimal is not None:
            digits = re.sub(rb"\s", b"", hexadecimal)
            raw = binascii.unhexlify(digits + b"0" * (len(digits) % 2))
        else:
            raw = _stream(source, number, generation, budget, index)
        if raw and raw.strip():
            out.append(_text(raw))


def scripts(view: bytes | mmap.mmap) -> list[str]:
    """The text of every script the PDF ``view`` carries under a /JS key."""
    budget = [MAX_OUTPUT]
    out: list[str] = []
    index: dict[tuple[int, int], int] = {}
    if view.find(b"/JS") >= 0:
        _scripts_in(view, view, budget, out, index)
    for _, inflated in object_streams(view, budget):
        if len(out) >= MAX_SCRIPTS:
            break
        if b"/JS" in inflated:
            _scripts_in(inflated, view, budget, out, index)
    return out


def object_streams(view: bytes | mmap.mmap, budget: list[int]) -> Iterator[tuple[bytes, bytes]]:
    """Each object stream (``/Type /ObjStm``) of the PDF ``view``, as its dictionary and
    its decoded bytes: at most MAX_OBJECT_STREAMS, while ``budget[0]`` (bytes still to
    decode) lasts."""
    if view.find(b"/ObjStm") < 0:
        return
    streams = 0
    for found in _OBJECT_STREAM.finditer(view):
        if streams >= MAX_OBJECT_STREAMS or budget[0] <= 0:
            return
        streams += 1
        head_start = max(0, found.start() - DICT_LOOKBACK)
        start = bytes(view[head_start:found.start()]).rfind(b"obj")
        opened = _STREAM.search(view, found.end(), found.end() + DICT_LOOKBACK)
        if start < 0 or opened is None:
            continue
        end = view.find(b"endstream", opened.end())
        if end < 0:
            continue
        dictionary = bytes(view[head_start + start:opened.start()])
        inflated = _decoded(bytes(view[opened.end():end]), dictionary, budget)
        if inflated:
            yield dictionary, inflated


_FIRST = re.compile(rb"/First\s+(\d{1,10})")
_COUNT = re.compile(rb"/N\s+(\d{1,7})")


def compressed_object(view: bytes | mmap.mmap, number: int) -> bytes | None:
    """The bytes of object ``number`` as stored in an object stream of the PDF ``view``
    (ISO 32000-1, 7.5.7: /N pairs of object number and offset from /First, then the
    objects one after another), the last stream's where several hold it (an incremental
    update's); None when no object stream holds it."""
    budget = [MAX_OUTPUT]
    found: bytes | None = None
    for dictionary, inflated in object_streams(view, budget):
        first, count = _FIRST.search(dictionary), _COUNT.search(dictionary)
        if first is None or count is None:
            continue
        start = int(first.group(1))
        pairs = inflated[:start].split()[: 2 * int(count.group(1))]
        offsets = [(int(pairs[i]), int(pairs[i + 1])) for i in range(0, len(pairs) - 1, 2)
                   if pairs[i].isdigit() and pairs[i + 1].isdigit()]
        for position, (held, offset) in enumerate(offsets):
            if held != number:
                continue
            # It ends where the next object begins (objects are stored in offset order).
            after = [o for _, o in offsets[position + 1:] if o > offset]
            found = inflated[start + offset: start + min(after) if after else len(inflated)]
    return found


def extract(part: Part, budget: Budget, view: bytes | mmap.mmap) -> Iterator[Part]:
    """The ``#javascript`` text part of the PDF ``part``, whose bytes are ``view``."""
    found = scripts(view)
    budget.check_time()
    if found:
        yield budget.child(part, "#javascript", text="\n".join(found), role="body")
