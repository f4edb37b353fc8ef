"""Raw zlib streams (RFC 1950, as libmagic types them; also .zz and .deflate files)."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import BinaryIO

from filters.extract.compressed import decompressed_child, strip_suffix
from filters.limits import CHUNK, Budget
from filters.types import Defect, Part

SUFFIXES = {".zz": "", ".zlib": "", ".deflate": ""}
FEED = 64 * 1024


def inflate_chunks(raw: BinaryIO, wbits: int = zlib.MAX_WBITS) -> Iterator[bytes]:
    """Inflate ``raw`` with output bounded per step; EOFError when the stream is cut short.

    ``wbits`` as for ``zlib.decompressobj``: 15 for zlib, -15 for bare deflate.
    """
    obj = zlib.decompressobj(wbits)
    while not obj.eof:
        data = raw.read(FEED)
        ended = not data
        # max_length bounds each step's output (64 KiB of deflate can hold 64 MiB); what
        # a step holds back waits in unconsumed_tail, or inside zlib at the end of input.
        while True:
            out = obj.decompress(data, CHUNK)
            if out:
                yield out
            data = obj.unconsumed_tail
            if obj.eof or (not data and not out):
                break
        if ended and not obj.eof:
            raise EOFError("zlib stream ends before its end mark")

def extract(part: Part, budget: Budget) -> Iterator[Part | Defect]:
    """The inflated content of a zlib part as one child content part."""
    with part.open() as raw:
        yield from decompressed_child(part, budget, "zlib", strip_suffix(part.name, SUFFIXES),
                                      inflate_chunks(raw), errors=(zlib.error,))
