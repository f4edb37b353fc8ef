"""Flash video: tags chained by their back pointers."""

from __future__ import annotations

import struct

from filters.media.walk import Walk


def walk_flv(walk: Walk, head: bytes) -> bool:
    """Flash video: a header, then tags (audio, video, script data), each followed by its
    own size (Adobe's FLV specification, E.4)."""
    if head[:3] != b"FLV" or len(head) < 9:
        return False
    data = walk.data
    position = struct.unpack(">I", head[5:9])[0] + 4  # the header, then PreviousTagSize0
    while position + 11 <= len(data) and data[position] & 0x1F in (8, 9, 18):
        size = int.from_bytes(data[position + 1:position + 4], "big")
        end = position + 11 + size
        if end + 4 > len(data) or struct.unpack(">I", data[end:end + 4])[0] != 11 + size:
            break
        position = end + 4
    walk.add(min(position, len(data)), len(data), "#after-tags")
    return True
