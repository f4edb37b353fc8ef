"""Archives appended to another file: after a picture, a PDF, a text, a program (self-extracting).

A file is typed by its first bytes, and a zip is found by its last ones (the end of
central directory record): a PNG or JPEG with a zip after its end shows a picture and
unzips as an archive, and a self-extracting archive is a program with a zip after it.
The extractor of the first type never reads the zip, so its members are read here, as
members of the part (``origin/#zip/member``). Only an archive that zipfile opens and
that does not start at the part's first byte counts: a zip read as a zip already, and a
stray ``PK\\x05\\x06`` in picture data, add nothing.

A 7z or RAR self-extracting program is a Windows program (PE) with the archive after the
program's image (the end of its last section): 7z and RAR archives start with a
signature, so it is looked for from there on. A 7z archive counts when its start header's
CRC-32 is right; it is read with the 7z extractor (``origin/#7z/member``). RAR is never
opened: a program carrying one is held.
"""

from __future__ import annotations

import dataclasses
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from typing import BinaryIO

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
# read here (a text's extractor reads the zip's bytes as garbled text, not its members).
# Containers (mail, TNEF, archives ...) are left alone, as their last member may be a zip
# that their own extractor reads already.
HOSTS = {None, "image", "pdf", "postscript", "text", "html", "rtf"}


def carries_zip(part: Part) -> bool:
    """True when a zip that does not start at byte 0 ends ``part`` (cheap: its tail only)."""
    return zip_start(part) is not None


def zip_start(part: Part) -> int | None:
    """Where the zip appended to ``part`` starts (see ``carries_zip``), or None."""
    if part.is_text or part.size < END_RECORD_SIZE or module_for(part.detected_type) not in HOSTS:
        return None
    if part.head(2) == b"PK":
        return None
    if not _ends_with_end_record(part):
        return None
    try:
        with part.open() as stream, zipfile.ZipFile(stream) as archive:
            # zipfile adds the bytes before the archive to each member's offset.
            return min((info.header_offset for info in archive.infolist()), default=None)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return None


SEVEN_ZIP = b"7z\xbc\xaf\x27\x1c"
SEVEN_ZIP_HEADER = 32  # signature, version, CRC-32, then next header offset, size, CRC-32
RAR = (b"Rar!\x1a\x07\x00", b"Rar!\x1a\x07\x01\x00")  # RAR 1.5-4, RAR 5
PROGRAM_HEAD = 64 * 1024  # a PE's headers and section table lie in its first bytes
_SECTION = 40
_SEARCH_BLOCK = 1 << 20


def program_end(head: bytes) -> int | None:
    """Where a Windows program's (PE) image ends in its file: the end of its last
    section's raw data, or of its headers; None when ``head`` is not a PE's."""
    if head[:2] != b"MZ" or len(head) < 64:
        return None
    (pe,) = struct.unpack_from("<I", head, 0x3C)
    if head[pe : pe + 4] != b"PE\0\0" or len(head) < pe + 24:
        return None
    sections, optional = struct.unpack_from("<H12xH", head, pe + 6)
    table = pe + 24 + optional
    end = table + sections * _SECTION
    for index in range(sections):
        at = table + index * _SECTION
        if len(head) < at + _SECTION:
            return None  # a section table beyond the head: not a program worth trusting
        size, offset = struct.unpack_from("<II", head, at + 16)
        end = max(end, offset + size)
    return end


def _occurrences(stream: BinaryIO, needle: bytes, start: int) -> Iterator[int]:
    """Offsets of ``needle`` in ``stream`` from ``start`` on."""
    position = start
    tail = b""
    while True:
        stream.seek(position)
        block = stream.read(_SEARCH_BLOCK)
        if not block:
            return
        data = tail + block
        base = position - len(tail)
        found = data.find(needle)
        while found >= 0:
            yield base + found
            found = data.find(needle, found + 1)
        tail = data[-(len(needle) - 1) :]
        position += len(block)


def _seven_zip_end(stream: BinaryIO, offset: int) -> int | None:
    """The end of the 7z archive whose signature is at ``offset``, None when its start
    header's CRC-32 is wrong (the signature's bytes by chance)."""
    stream.seek(offset)
    header = stream.read(SEVEN_ZIP_HEADER)
    if len(header) < SEVEN_ZIP_HEADER or zlib.crc32(header[12:]) != struct.unpack_from("<I", header, 8)[0]:
        return None
    next_offset, next_size = struct.unpack_from("<QQ", header, 12)
    return offset + SEVEN_ZIP_HEADER + next_offset + next_size


def program_archive(part: Part) -> tuple[str, int, int] | None:
    """``("7z" or "rar", start, end)`` of the archive after the program ``part`` is (a
    self-extracting archive), or None. The first 7z with a right start header, or RAR
    signature, after the program's image counts."""
    if part.is_text or module_for(part.detected_type) is not None:
        return None
    end = program_end(part.head(PROGRAM_HEAD))
    if end is None or end >= part.size:
        return None
    with part.open() as stream:
        for offset in _occurrences(stream, SEVEN_ZIP, end):
            archive_end = _seven_zip_end(stream, offset)
            if archive_end is not None:
                found: tuple[str, int, int] | None = ("7z", offset, min(archive_end, part.size))
                break
        else:
            found = None
        for signature in RAR:
            for offset in _occurrences(stream, signature, end):
                if found is None or offset < found[1]:
                    found = ("rar", offset, part.size)
                break
    return found


class Appended:
    """The archive appended to one part, looked for once: ``read_span`` (the part's bytes
    that need no string search) and ``extract`` (its members) both ask, and for a program
    the answer is a search of the whole file."""

    def __init__(self, part: Part) -> None:
        self.part = part
        self._found: tuple[str, int, int] | None = None
        self._searched = False

    def found(self) -> tuple[str, int, int] | None:
        """``("zip", start, end)`` for a zip after a document or picture (``carries_zip``),
        ``("7z" or "rar", start, end)`` after a program (``program_archive``), or None."""
        if not self._searched:
            part = self.part
            start = zip_start(part)
            self._found = ("zip", start, part.size) if start is not None else program_archive(part)
            self._searched = True
        return self._found

    def read_span(self) -> tuple[int, int] | None:
        """The bytes of the part that an archive read here covers (its members are read,
        so they need not be searched as the part's own bytes), or None."""
        found = self.found()
        if found is None or found[0] == "rar":
            return None
        return found[1], found[2]

    def extract(self, budget: Budget) -> Iterator[Part | Defect]:
        """The members of the zip appended to the part (see ``carries_zip``), or of the 7z
        after the program it is (see ``program_archive``); a RAR after a program is held."""
        found = self.found()
        if found is None:
            return
        part = self.part
        kind, start, end = found
        if kind == "zip":
            yield from zip_extractor.extract(
                dataclasses.replace(part, origin=part.child_origin(LABEL)), budget)
            return
        if kind == "rar":
            yield Defect("extract.uninspectable", "high",
                         "a RAR archive follows this program (a self-extracting archive); Redline "
                         "does not open RAR, so what it holds was not inspected", where=part.origin)
            return
        from filters.extract import sevenzip  # py7zr: only for a part that carries a 7z

        with part.open() as stream, io.BufferedReader(_Window(stream, start, end)) as window:
            yield from sevenzip.extract_stream(
                dataclasses.replace(part, origin=part.child_origin("#7z")), budget, window)


class _Window(io.RawIOBase):
    """The bytes ``start``..``end`` of ``stream`` as a file of their own."""

    def __init__(self, stream: BinaryIO, start: int, end: int) -> None:
        super().__init__()
        self._stream, self._start, self._end, self._position = stream, start, end, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._end - self._start}[whence]
        self._position = max(0, base + offset)
        return self._position

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        wanted = min(len(buffer), self._end - self._start - self._position)
        if wanted <= 0:
            return 0
        self._stream.seek(self._start + self._position)
        data = self._stream.read(wanted)
        buffer[: len(data)] = data
        self._position += len(data)
        return len(data)


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
