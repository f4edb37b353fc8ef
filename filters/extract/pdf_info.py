"""A PDF's information dictionary read from its bytes: the keys a writer adds of its own.

PDFium answers for one named key at a time (FPDF_GetMetaText) and cannot list them, so
pdf.py reads the six standard keys; a writer's own keys are lost that way, and Word's
PDF export writes a document's custom properties there (``/Classification (SECRET)``).
Here the trailer's last ``/Info N G R`` is followed to its object's dictionary, as stored
(an Info dictionary inside a compressed object stream is not reached), and every string
value of a key besides the standard ones and the dates is read as the standard ones are
(``#info.Key``, a property named by its key).
"""

from __future__ import annotations

import codecs
import mmap
import re

from filters.limits import Budget
from filters.types import Part

STANDARD_KEYS = frozenset((b"Title", b"Author", b"Subject", b"Keywords", b"Creator",
                           b"Producer", b"CreationDate", b"ModDate", b"Trapped"))
MAX_DICTIONARY_BYTES = 64 * 1024
MAX_KEYS = 64
TAIL_BYTES = 64 * 1024  # the trailer (or cross-reference stream) is near the end
_INFO_REF = re.compile(rb"/Info\s*(\d{1,10})\s+(\d{1,5})\s+R")
# A name, then a literal string (one level of balanced parentheses inside) or a hex one.
_KEY_STRING = re.compile(rb"/([^\s/<>\[\]()%{}]+)\s*"
                         rb"(\((?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*\)|<[0-9A-Fa-f\s]*>)", re.DOTALL)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|\r\n|[\s\S])")


def _literal(body: bytes) -> bytes:
    def one(match: re.Match[bytes]) -> bytes:
        code = match.group(1)
        if code[:1].isdigit():
            return bytes((int(code, 8) & 0xFF,))
        if code in (b"\r\n", b"\n", b"\r"):
            return b""  # a line continued
        return _ESCAPES.get(code, code)
    return _ESCAPE.sub(one, body)


def _text(raw: bytes) -> str:
    if raw.startswith(b"("):
        value = _literal(raw[1:-1])
    else:
        digits = re.sub(rb"\s", b"", raw[1:-1])
        value = bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode())
    if value.startswith(codecs.BOM_UTF16_BE):
        return value[2:].decode("utf-16-be", "replace")
    if value.startswith(codecs.BOM_UTF8):
        return value[3:].decode("utf-8", "replace")
    return value.decode("latin-1")  # PDFDocEncoding agrees on letters and digits


def _info_reference(whole: bytes | mmap.mmap) -> re.Match[bytes] | None:
    """The trailer's ``/Info N G R``: the last in the file's last TAIL_BYTES (the trailer
    or cross-reference stream), else the last in its first (a linearized file's)."""
    size = len(whole)
    for low, high in ((max(0, size - TAIL_BYTES), size), (0, min(size, TAIL_BYTES))):
        at = whole.rfind(b"/Info", low, high)
        while at >= 0:
            match = _INFO_REF.match(whole, at)
            if match is not None:
                return match
            at = whole.rfind(b"/Info", low, at)
    return None


def _definition(whole: bytes | mmap.mmap, number: bytes, generation: bytes) -> int:
    """Where the dictionary of object ``number generation`` starts (after ``<<``), at its
    last definition (the one in force after incremental updates); -1 when none."""
    plain = number + b" " + generation + b" obj"  # as writers write it: rfind, no re
    at = whole.rfind(plain)
    while at > 0 and whole[at - 1:at].isdigit():
        at = whole.rfind(plain, 0, at)
    if at >= 0:
        opening = re.compile(rb"\s*<<").match(whole, at + len(plain))
        return opening.end() if opening else -1
    found = None
    for match in re.compile(number + rb"\s+" + generation + rb"\s+obj\s*<<").finditer(whole):
        if not match.start() or not whole[match.start() - 1:match.start()].isdigit():
            found = match
    return found.end() if found else -1


def own_keys(whole: bytes | mmap.mmap) -> list[tuple[str, str]]:
    """(key, value) for each string value of a non-standard key of the Info dictionary."""
    reference = _info_reference(whole)
    if reference is None:
        return []
    start = _definition(whole, reference.group(1), reference.group(2))
    if start < 0:
        return []
    body = bytes(whole[start:start + MAX_DICTIONARY_BYTES])
    end = body.find(b"endobj")
    body = body[:end] if end >= 0 else body
    lines = []
    for match in _KEY_STRING.finditer(body):
        key = match.group(1)
        if key in STANDARD_KEYS:
            continue
        value = " ".join(_text(match.group(2)).split())
        if value and len(lines) < MAX_KEYS:
            lines.append((key.decode("latin-1"), value))
    return lines


def info_parts(part: Part, budget: Budget, whole: bytes | mmap.mmap, encrypted: bool) -> list[Part]:
    """The writer's own Info keys as a property part (none for an encrypted file, whose
    strings are ciphertext here; PDFium read its standard keys decrypted)."""
    if encrypted or not whole:
        return []
    keys = own_keys(whole)
    budget.check_time()
    return [budget.child(part, f"#info.{key}", text=value, role="property", name=key)
            for key, value in keys]
