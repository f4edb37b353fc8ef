"""Ogg: pages chained, each page's CRC checked."""

from __future__ import annotations

import struct
import zlib

from filters.media.walk import NotMedia, Walk

_REVERSED = bytes(int(f"{b:08b}"[::-1], 2) for b in range(256))


def _ogg_crc(page: bytes) -> int:
    """Ogg's CRC-32 (polynomial 0x04C11DB7, not reflected, start 0, RFC 3533 6), computed
    by zlib's reflected CRC-32 over the page's bytes with their bits reversed."""
    raw = zlib.crc32(page.translate(_REVERSED), 0xFFFFFFFF) ^ 0xFFFFFFFF
    return int(f"{raw:032b}"[::-1], 2)


def walk_ogg(walk: Walk, head: bytes) -> bool:
    """Ogg pages chain from the first byte, each with its CRC right."""
    if head[:5] != b"OggS\0":
        return False
    data, position = walk.data, 0
    while position + 27 <= len(data) and data[position:position + 5] == b"OggS\0":
        segments = data[position + 26]
        table = data[position + 27:position + 27 + segments]
        end = position + 27 + segments + sum(table)
        if end > len(data):
            break  # a page cut short: the rest is loose
        page = bytearray(data[position:end])
        stored = struct.unpack("<I", page[22:26])[0]
        page[22:26] = b"\0\0\0\0"
        if _ogg_crc(bytes(page)) != stored:
            break
        position = end
    if position == 0:
        raise NotMedia
    walk.add(position, len(data), "#after-pages")
    return True
