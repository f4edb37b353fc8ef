"""Brotli streams (.br): the decompressed stream is one child part.

Brotli has no magic number, so libmagic calls it ``data``: filters/detect.py tries
``looks_like_brotli`` on such parts and types the ones that decode application/x-brotli.
"""

from __future__ import annotations

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

    A part that fits in the head must decode completely, to its last byte (or still be
    producing output past TRIAL_OUTPUT); a larger one must decode its first TRIAL_BYTES
    without error and give output. Random or text bytes
    almost never do either (a cut brotli file is then held as opaque data instead).
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
    if total <= TRIAL_BYTES and decompressor.can_accept_more_data():
        return decompressor.is_finished()
    return True  # a larger part, or a stream still producing past TRIAL_OUTPUT: no error so far


def extract(part: Part, budget: Budget) -> Iterator[Part | Defect]:
    """The decompressed content of a brotli part as one child content part."""
    with part.open() as raw:
        yield from decompressed_child(part, budget, "brotli", strip_suffix(part.name, SUFFIXES),
                                      _chunks(raw), errors=(brotli.error,))
