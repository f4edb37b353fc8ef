"""PPMd zip members (method 98): what 7-Zip and WinZip write for text with ``-mm=PPMd``.

The zip APPNOTE (section 5.10) stores PPMd variant I, revision 1 (PPMd8), after a 2-byte
little-endian header: bits 0-3 the model order minus 1, bits 4-11 the model's memory in
MB minus 1, bits 12-15 the restore method (0 restart, 1 cut off). Python's zipfile has no
decoder; ``pyppmd`` (the one py7zr uses for 7z's PPMd) decodes PPMd8. Its output is asked
for OUT bytes at a time from input fed in SLICE-byte pieces, so the caller's budget stops
a bomb between them. The stream may end with an end mark or simply at the member's size.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from typing import BinaryIO

import pyppmd

READ = 64 * 1024
SLICE = 4096  # compressed bytes per decoder call
OUT = 64 * 1024  # decompressed bytes per decoder call at most
# The range decoder may read a few bytes past the stream's end before it has given the
# last symbols (7-Zip pads with zeros too); more than this and the stream is cut short.
PADDING = 8
_MIN_ORDER = 2
_RESTORE_METHODS = (pyppmd.PPMD8_RESTORE_METHOD_RESTART, pyppmd.PPMD8_RESTORE_METHOD_CUT_OFF)


def parameters(header: bytes) -> tuple[int, int, int]:
    """(order, memory in bytes, restore method) of the 2-byte header; ValueError when it
    names what PPMd8 does not have."""
    if len(header) < 2:
        raise EOFError("the PPMd member is cut short before its header")
    (word,) = struct.unpack("<H", header[:2])
    order = (word & 0x0F) + 1
    memory = (((word >> 4) & 0xFF) + 1) << 20
    restore = word >> 12
    if order < _MIN_ORDER or restore not in _RESTORE_METHODS:
        raise ValueError(f"bad PPMd parameters (order {order}, restore method {restore})")
    return order, memory, restore


def decompress(source: BinaryIO, compressed_size: int, size: int, crc: int) -> Iterator[bytes]:
    """The ``size`` decompressed bytes of the ``compressed_size``-byte PPMd member data
    (header included) ``source`` holds.

    Raises EOFError when the stream ends before ``size`` bytes, ValueError when its data
    or header is not PPMd8 or its CRC-32 is not ``crc``.
    """
    order, memory, restore = parameters(source.read(2))
    decoder = pyppmd.Ppmd8Decoder(order, memory, restore)
    remaining = compressed_size - 2
    produced = 0
    check = 0

    def take(data: bytes) -> bytes:
        nonlocal produced, check
        out = decoder.decode(data, min(OUT, size - produced))
        produced += len(out)
        check = zlib.crc32(out, check)
        return out

    while remaining > 0 and produced < size and not decoder.eof:
        block = source.read(min(READ, remaining))
        if not block:
            break
        remaining -= len(block)
        for start in range(0, len(block), SLICE):
            out = take(block[start : start + SLICE])
            if out:
                yield out
            # What the decoder holds back is given with the next calls (empty input).
            while produced < size and not decoder.eof and not decoder.needs_input:
                out = take(b"")
                if not out:
                    break
                yield out
            if produced >= size or decoder.eof:
                break
    padding = 0
    while produced < size and not decoder.eof and padding <= PADDING:
        if decoder.needs_input:
            padding += 1
            out = take(b"\0")
        else:
            out = take(b"")
            padding += not out
        if out:
            yield out
    if produced < size:
        raise EOFError("the PPMd stream is cut short")
    if check != crc:
        raise ValueError(f"bad CRC-32 (0x{check:08x}, expected 0x{crc:08x})")
