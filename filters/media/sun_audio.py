"""Sun audio (.au): the header's data size against the file."""

from __future__ import annotations

import struct

from filters.media.walk import NotMedia, Walk


def walk_sun_audio(walk: Walk, head: bytes) -> bool:
    """Sun/NeXT audio (.au, .snd): a header with the sound's offset and size; the
    annotation after the header is loose."""
    if head[:4] != b".snd" or len(head) < 24:
        return False
    offset, size = struct.unpack(">II", head[4:12])
    data = walk.data
    if offset < 24 or offset > len(data):
        raise NotMedia
    walk.add(24, offset, "#annotation")
    if size != 0xFFFFFFFF:  # "unknown size": the sound runs to the end
        walk.add(min(offset + size, len(data)), len(data), "#after-sound")
    return True
