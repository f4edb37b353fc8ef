"""LZ4 frames (.lz4): the decompressed stream is one child part."""

from __future__ import annotations

from collections.abc import Iterator

import lz4.frame

from filters.extract.compressed import decompressed_child, stream_chunks, strip_suffix
from filters.limits import Budget
from filters.types import Defect, Part

SUFFIXES = {".lz4": "", ".tlz4": ".tar"}


def extract(part: Part, budget: Budget) -> Iterator[Part | Defect]:
    """The decompressed content of an LZ4 frame part as one child content part."""
    with part.open() as raw, lz4.frame.LZ4FrameFile(raw, mode="rb") as stream:
        yield from decompressed_child(part, budget, "lz4", strip_suffix(part.name, SUFFIXES),
                                      stream_chunks(stream), errors=(RuntimeError, OSError))
