"""MPEG-2 transport streams (188-byte packets) and program streams (pack headers)."""

from __future__ import annotations

import struct

from filters.media.walk import Walk


def walk_transport_stream(walk: Walk, head: bytes) -> bool:
    """MPEG-2 transport stream: 188-byte packets (192 with a time code) each opening with 0x47."""
    data = walk.data
    for stride, offset in ((188, 0), (192, 4)):
        if len(data) >= 3 * stride and all(data[offset + k * stride] == 0x47 for k in range(3)):
            position = offset
            while position < len(data) and data[position] == 0x47:
                position += stride
            walk.add(min(position - offset, len(data)), len(data), "#after-packets")
            return True
    return False


def walk_program_stream(walk: Walk, head: bytes) -> bool:
    """MPEG program stream (ISO/IEC 13818-1 2.5, 11172-1): packs and packets, each with its
    length, up to the end code."""
    if head[:4] != b"\0\0\1\xba":
        return False
    data, position = walk.data, 0
    while position + 6 <= len(data) and data[position:position + 3] == b"\0\0\1":
        code = data[position + 3]
        if code == 0xBA:
            marker = data[position + 4]
            if marker & 0xC0 == 0x40:  # MPEG-2 pack header, then its stuffing
                position += 14 + (data[position + 13] & 7)
            elif marker & 0xF0 == 0x20:  # MPEG-1
                position += 12
            else:
                break
        elif code == 0xB9:  # program end
            position += 4
        elif code >= 0xBB:
            position += 6 + struct.unpack(">H", data[position + 4:position + 6])[0]
        else:
            break
    walk.add(min(position, len(data)), len(data), "#after-packs")
    return True
