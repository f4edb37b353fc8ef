"""Deflate64 ("enhanced deflate", zip method 9): what Windows Explorer writes for large members.

Python's zipfile cannot decompress it; ``inflate64`` (the decoder py7zr uses for the same
method in 7z) can. Its decoder has no output bound, so input is fed in small slices: a
Deflate64 match reaches 65,538 bytes, so a slice of SLICE bytes expands to a few MB at
most, and the caller's budget stops a bomb between slices.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import BinaryIO

import inflate64

READ = 64 * 1024
SLICE = 256  # compressed bytes per decoder call: at most about 7 MB out


def inflate(source: BinaryIO, compressed_size: int, crc: int) -> Iterator[bytes]:
    """The decompressed bytes of the ``compressed_size``-byte Deflate64 stream ``source`` holds.

    Raises EOFError when the stream ends before its last block, ValueError when its data
    is not Deflate64 or its CRC-32 is not ``crc``.
    """
    inflater = inflate64.Inflater()
    remaining = compressed_size
    check = 0
    while remaining > 0 and not inflater.eof:
        block = source.read(min(READ, remaining))
        if not block:
            break
        remaining -= len(block)
        for start in range(0, len(block), SLICE):
            out = inflater.inflate(block[start : start + SLICE])
            if out:
                check = zlib.crc32(out, check)
                yield out
            if inflater.eof:
                break
    if not inflater.eof:
        raise EOFError("the Deflate64 stream is cut short")
    if check != crc:
        raise ValueError(f"bad CRC-32 (0x{check:08x}, expected 0x{crc:08x})")
