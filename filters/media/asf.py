"""ASF (WMA, WMV): top-level objects walked."""

from __future__ import annotations

import struct

from filters.media.walk import Walk

_ASF_HEADER = bytes.fromhex("3026b2758e66cf11a6d900aa0062ce6c")
_ASF_TOP = {_ASF_HEADER, bytes.fromhex("3626b2758e66cf11a6d900aa0062ce6c"),  # Data
            bytes.fromhex("90080033b1e5cf1189f400a0c90349cb"),  # Simple Index
            bytes.fromhex("d329e2d6da35d111903400a0c90349be"),  # Index
            bytes.fromhex("f803b1fead12644c840f2a1d2f7ad48c"),  # Media Object Index
            bytes.fromhex("d03fb73c4a0c0348953dedf7b6228f0c")}  # Timecode Index


def walk_asf(walk: Walk, head: bytes) -> bool:
    """ASF (WMA, WMV): top-level objects (GUID, 64-bit size) chain to the end."""
    if head[:16] != _ASF_HEADER:
        return False
    data, position = walk.data, 0
    while position + 24 <= len(data):
        guid = data[position:position + 16]
        size = struct.unpack("<Q", data[position + 16:position + 24])[0]
        if size < 24 or guid not in _ASF_TOP:
            break  # not an object the specification puts at the top: the rest is loose
        position += size
    walk.add(position, len(data), "#after-objects")
    return True
