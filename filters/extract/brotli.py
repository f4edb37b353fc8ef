"""Brotli streams (.br): the decompressed stream is one child part.

Brotli has no magic number, so libmagic calls it ``data``: filters/detect.py tries
``looks_like_brotli`` on such parts and types the ones that decode application/x-brotli.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import BinaryIO

import brotli

from filters.extract.compressed import decompressed_child, strip_suffix
from filters.limits import CHUNK, Budget
from filters.types import Defect, Part

SUFFIXES = {".br": "", ".brotli": "", ".tbr": ".tar"}
FEED = 64 * 1024
# A trial decodes this much of the head; random bytes fail well before it.
TRIAL_BYTES = 64 * 1024
TRIAL_OUTPUT = 1024 * 1024


def _chunks(raw: BinaryIO) -> Iterator[bytes]:
    decompressor = brotli.Decompressor()
    while piece := raw.read(FEED):
        if decompressor.is_finished():
            raise brotli.error("data after the end of the brotli stream")
        out = decompressor.process(piece, output_buffer_limit=CHUNK)
        while True:
            if out:
                yield out
            if decompressor.can_accept_more_data():
                break
            # output_buffer_limit holds the rest back until asked with empty input.
            out = decompressor.process(b"", output_buffer_limit=CHUNK)
    if not decompressor.is_finished():
        raise EOFError("brotli stream ends before its last block")


def looks_like_brotli(head: bytes, total: int) -> bool:
    """True when ``head`` (the first bytes of a part of ``total`` bytes) decodes as brotli.

    The head must decode without error and give output. Random bytes sometimes decode a
    little before failing, so a stream that has not ended by the end of the head counts
    only when what it gave so far looks like content (it compresses), as a cut stream
    of real content does.
    """
    if len(head) < 16:
        return False
    decompressor = brotli.Decompressor()
    try:
        out = decompressor.process(head[:TRIAL_BYTES], output_buffer_limit=TRIAL_OUTPUT)
    except brotli.error:
        return False
    if not out:
        return False
    if decompressor.is_finished() or (total > TRIAL_BYTES and not decompressor.can_accept_more_data()):
        return True
    sample = out[:65536]
    return len(sample) >= 256 and len(zlib.compress(sample, 1)) < 0.9 * len(sample)


def extract(part: Part, budget: Budget) -> Iterator[Part | Defect]:
    """The decompressed content of a brotli part as one child content part."""
    with part.open() as raw:
        yield from decompressed_child(part, budget, "brotli", strip_suffix(part.name, SUFFIXES),
                                      _chunks(raw), errors=(brotli.error,))
