"""Zstandard (.zst, .tar.zst): the decompressed stream, all frames, is one child part."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

import zstandard

from filters.extract.compressed import decompressed_child, strip_suffix
from filters.limits import Budget
from filters.types import Defect, Part

SUFFIXES = {".zst": "", ".zstd": "", ".tzst": ".tar"}
# Input is fed in small pieces: one zstd RLE block turns 4 bytes into 128 KiB, so a
# piece bounds what one call can produce (at most a few tens of MiB) before the Budget
# sees it.
FEED = 1024


def _chunks(raw: BinaryIO) -> Iterator[bytes]:
    # zstandard's stream_reader ends quietly on a truncated frame; decompressobj tells
    # (eof stays False), so a cut archive is reported instead of passing half-read.
    decompressor = zstandard.ZstdDecompressor()
    obj = decompressor.decompressobj()
    started = False
    while piece := raw.read(FEED):
        while piece:
            if obj.eof:
                # Frames in a row (zstd -c a b > ab.zst) decode as one stream.
                obj = decompressor.decompressobj()
            started = True
            out = obj.decompress(piece)
            if out:
                yield out
            piece = obj.unused_data if obj.eof else b""
    if started and not obj.eof:
        raise EOFError("zstd frame ends before its end mark")

def extract(part: Part, budget: Budget) -> Iterator[Part | Defect]:
    """The decompressed content of a zstd part as one child content part."""
    with part.open() as raw:
        yield from decompressed_child(part, budget, "zstd", strip_suffix(part.name, SUFFIXES),
                                      _chunks(raw), errors=(zstandard.ZstdError,))
