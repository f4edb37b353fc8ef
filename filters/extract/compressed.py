"""Single-stream compression (gzip, bzip2, xz/lzma): the decompressed stream is one child.

The other single-stream formats (zstd, lz4, brotli, zlib) have a module each and share
``decompressed_child`` and ``inner_name`` from here.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import posixpath
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from filters.errors import UnparseableContent
from filters.extract.zip import member_part
from filters.limits import CHUNK, Budget
from filters.types import Defect, Part

# gzip header (RFC 1952 section 2.3): flags and the optional fields before FNAME.
_GZIP_FEXTRA = 0x04
_GZIP_FNAME = 0x08
_GZIP_NAME_MAX = 1024

# Decompression errors: damaged data (BadGzipFile and bz2's "Invalid data stream" are
# OSErrors), broken deflate or lzma blocks. EOFError (cut short) is handled apart.
_DATA_ERRORS = (OSError, zlib.error, lzma.LZMAError)


@dataclass(frozen=True, slots=True)
class _Format:
    label: str
    opener: Callable[[BinaryIO], io.BufferedIOBase]
    # Suffix of the compressed file -> suffix of what is inside.
    suffixes: dict[str, str]


def _gzip(raw: BinaryIO) -> io.BufferedIOBase:
    return gzip.GzipFile(fileobj=raw, mode="rb")


def _bzip2(raw: BinaryIO) -> io.BufferedIOBase:
    return bz2.BZ2File(raw, mode="rb")


def _xz(raw: BinaryIO) -> io.BufferedIOBase:
    # FORMAT_AUTO also reads the legacy .lzma ("LZMA alone") format.
    return lzma.LZMAFile(raw, mode="rb")


_FORMATS = {
    "application/gzip": _Format("gzip", _gzip,
                                {".gz": "", ".tgz": ".tar", ".svgz": ".svg", ".z": ""}),
    "application/x-bzip2": _Format("bzip2", _bzip2, {".bz2": "", ".tbz2": ".tar", ".tbz": ".tar"}),
    "application/x-xz": _Format("xz", _xz, {".xz": "", ".txz": ".tar", ".lzma": ""}),
}
_FORMATS["application/x-gzip"] = _FORMATS["application/gzip"]


def _sniff(head: bytes) -> _Format:
    """The format by its magic bytes, for a part that was not typed by the pipeline."""
    for magic, mime in ((b"\x1f\x8b", "application/gzip"), (b"BZh", "application/x-bzip2"),
                        (b"\xfd7zXZ\0", "application/x-xz"), (b"\x5d\0\0", "application/x-xz")):
        if head.startswith(magic):
            return _FORMATS[mime]
    raise UnparseableContent("not a gzip, bzip2 or xz stream")


def _gzip_fname(head: bytes) -> str:
    """The original file name stored in a gzip header (FNAME), or ''."""
    if len(head) < 10 or head[:2] != b"\x1f\x8b" or not head[3] & _GZIP_FNAME:
        return ""
    pos = 10
    if head[3] & _GZIP_FEXTRA:
        if len(head) < pos + 2:
            return ""
        pos += 2 + int.from_bytes(head[pos : pos + 2], "little")
    end = head.find(b"\0", pos, pos + _GZIP_NAME_MAX)
    if end < 0:
        return ""
    # RFC 1952 says ISO 8859-1, but tools store the name in the local encoding.
    raw = head[pos:end]
    try:
        name = raw.decode("utf-8")
    except UnicodeDecodeError:
        name = raw.decode("latin-1")
    return posixpath.basename(name.replace("\\", "/"))


def inner_name(part: Part, fmt: _Format) -> str:
    """The name of the decompressed content, from the header or the outer file name."""
    if fmt.label == "gzip":
        stored = _gzip_fname(part.head(_GZIP_NAME_MAX + 64))
        if stored:
            return stored
    return strip_suffix(part.name, fmt.suffixes)


def strip_suffix(name: str, suffixes: dict[str, str]) -> str:
    """The inner file name of a compressed file called ``name`` ("log.tar.zst" -> "log.tar")."""
    name = posixpath.basename(name.replace("\\", "/"))
    stem, dot, suffix = name.rpartition(".")
    if dot and stem and f".{suffix.lower()}" in suffixes:
        return stem + suffixes[f".{suffix.lower()}"]
    return "data"


def extract(part: Part, budget: Budget) -> Iterator[Part | Defect]:
    """The decompressed content of ``part`` as one child content part."""
    fmt = _FORMATS.get(part.detected_type) or _sniff(part.head(8))
    name = inner_name(part, fmt)
    with part.open() as raw, fmt.opener(raw) as stream:
        yield from decompressed_child(part, budget, fmt.label, name, stream_chunks(stream))


def stream_chunks(stream: io.BufferedIOBase) -> Iterator[bytes]:
    """A buffered decompressing stream's bytes in chunks; raises EOFError when cut short."""
    while True:
        # read1: a buffered read() of a stream that is cut short raises and loses what
        # it had decompressed; read1 returns it first, the next call raises.
        chunk = stream.read1(CHUNK)
        if not chunk:
            return
        yield chunk


def decompressed_child(part: Part, budget: Budget, label: str, name: str,
                       chunks: Iterator[bytes],
                       errors: tuple[type[BaseException], ...] = _DATA_ERRORS,
                       ) -> Iterator[Part | Defect]:
    """The child of a single-stream compressed part, read from ``chunks`` under the limits.

    ``chunks`` raises EOFError when the stream is cut short and one of ``errors`` when
    the data is damaged. A cut stream still yields what came before the cut (a marking
    there must not pass) beside an ``extract.unparseable`` defect.
    """
    cut: list[str] = []

    def guarded() -> Iterator[bytes]:
        try:
            yield from chunks
        except EOFError as exc:
            cut.append(str(exc) or "end of data")

    try:
        data, spool = budget.collect(guarded(), compressed_size=part.size,
                                     what=f"{label} stream")
    except errors as exc:
        raise UnparseableContent(f"{label} data is damaged: {exc}") from exc
    if not cut:
        yield member_part(part, budget, name, data, spool)
        return
    if not data and spool is None:
        raise UnparseableContent(f"{label} stream is cut short before any data: {cut[0]}")
    yield Defect("extract.unparseable", "high",
                 f"{label} stream is truncated (cut short before its end); only the "
                 "part before the cut was inspected", where=part.origin)
    yield member_part(part, budget, name, data, spool)
