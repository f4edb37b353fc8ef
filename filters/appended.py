"""Zip archives appended to another file: after a picture, a PDF, a program (self-extracting).

A file is typed by its first bytes, and a zip is found by its last ones (the end of
central directory record): a PNG or JPEG with a zip after its end shows a picture and
unzips as an archive, and a self-extracting archive is a program with a zip after it.
The extractor of the first type never reads the zip, so its members are read here, as
members of the part (``origin/#zip/member``). Only an archive that zipfile opens and
that does not start at the part's first byte counts: a zip read as a zip already, and a
stray ``PK\\x05\\x06`` in picture data, add nothing.
"""

from __future__ import annotations

import dataclasses
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator

from filters.extract import module_for
from filters.extract import zip as zip_extractor
from filters.limits import Budget
from filters.types import Defect, Part

END_RECORD = b"PK\x05\x06"
END_RECORD_SIZE = 22
TAIL_BYTES = END_RECORD_SIZE + 0xFFFF  # the end record, then a comment of at most 64 KiB
LABEL = "#zip"
HIDDEN_LABEL = "#hidden"


def _ends_with_end_record(part: Part) -> bool:
    """Whether an end of central directory record is in the last TAIL_BYTES of ``part``."""
    if part.path is None:
        return part.data.find(END_RECORD, max(0, len(part.data) - TAIL_BYTES)) >= 0  # no copy
    with part.open() as stream:
        stream.seek(max(0, part.size - TAIL_BYTES))
        return END_RECORD in stream.read(TAIL_BYTES)


# Parts whose extractor reads one document and stops at its end: a zip after them is
# read here. Containers (mail, TNEF, archives ...) are left alone, as their last member
# may be a zip that their own extractor reads already; so is text, where zip bytes
# after it would be read as garbled text.
HOSTS = {None, "image", "pdf", "postscript"}


def carries_zip(part: Part) -> bool:
    """True when a zip that does not start at byte 0 ends ``part`` (cheap: its tail only)."""
    if part.is_text or part.size < END_RECORD_SIZE or module_for(part.detected_type) not in HOSTS:
        return False
    if part.head(2) == b"PK":
        return False
    if not _ends_with_end_record(part):
        return False
    try:
        with part.open() as stream, zipfile.ZipFile(stream) as archive:
            return bool(archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return False


def extract(part: Part, budget: Budget) -> Iterator[Part | Defect]:
    """The members of the zip appended to ``part``, if one is (see ``carries_zip``)."""
    if not carries_zip(part):
        return
    yield from zip_extractor.extract(dataclasses.replace(part, origin=part.child_origin(LABEL)), budget)


# Compressed streams and archives whose first bytes say what they are firmly enough to be
# looked for inside another file. A weak signature (gzip's three bytes) is confirmed by
# decoding a little of what follows it.
_HIDDEN = (b"\x1f\x8b\x08", b"\x28\xb5\x2f\xfd", b"\xfd7zXZ\x00", b"7z\xbc\xaf\x27\x1c",
           b"Rar!\x1a\x07", b"PK\x03\x04", b"%PDF-")
_STRONG = {b"\xfd7zXZ\x00", b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07", b"%PDF-"}
_BZIP2 = re.compile(rb"BZh[1-9]1AY&SY")
HIDDEN_SEARCH_BYTES = 32 * 1024 * 1024
_PROBE = 64 * 1024


def _decodes(signature: bytes, tail: bytes) -> bool:
    """Whether ``tail`` (starting with ``signature``) decodes as that stream for a while."""
    try:
        if signature == b"\x1f\x8b\x08":
            # A short stream ends with its checksum checked; a longer one decodes a while.
            stream = zlib.decompressobj(31)
            return len(stream.decompress(tail[:_PROBE], 4096)) >= 64 or stream.eof
        if signature == b"\x28\xb5\x2f\xfd":
            import zstandard

            return len(zstandard.ZstdDecompressor().decompressobj().decompress(tail[:_PROBE])) >= 64
        if signature == b"PK\x03\x04":
            name_length, extra_length = struct.unpack("<HH", tail[26:30])
            return 0 < name_length < 1024 and len(tail) >= 30 + name_length + extra_length
    except Exception:  # any error decoding means no such stream starts here
        return False
    return signature in _STRONG


def hidden_stream(part: Part) -> int:
    """Where a compressed stream, an archive or a PDF starts after byte 0 of ``part`` (0: none).

    A type known to carry no text (a font, sound, video) is trusted by its first bytes;
    one that carries such a stream after them is hiding something: the stream is read
    (``carved``) and the part is judged like bytes of unknown type.
    """
    if part.is_text or part.size < 16:
        return 0
    with part.open() as stream:
        data = stream.read(HIDDEN_SEARCH_BYTES)
    found = [at for at in (_first(data, signature) for signature in _HIDDEN) if at]
    bzip2 = _BZIP2.search(data, 1)
    if bzip2:
        found.append(bzip2.start())
    return min(found, default=0)


def _first(data: bytes, signature: bytes) -> int:
    at = data.find(signature, 1)
    while at > 0:
        if _decodes(signature, data[at:at + _PROBE]):
            return at
        at = data.find(signature, at + 1)
    return 0


def carved(part: Part, at: int, budget: Budget) -> Iterator[Part]:
    """The bytes of ``part`` from offset ``at`` (a stream ``hidden_stream`` found) as a child."""
    if at <= 0:
        return
    with part.open() as stream:
        stream.seek(at)
        data = stream.read(HIDDEN_SEARCH_BYTES)
    budget.take(len(data))
    yield budget.child(part, HIDDEN_LABEL, data=data)
