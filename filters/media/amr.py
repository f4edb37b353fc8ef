"""AMR and AMR-WB: frames of the sizes their mode gives."""

from __future__ import annotations

from filters.media.walk import Walk

_AMR_SIZES = {b"#!AMR\n": (12, 13, 15, 17, 19, 20, 26, 31, 5),
              b"#!AMR-WB\n": (17, 23, 32, 36, 40, 46, 50, 58, 60, 5)}


def walk_amr(walk: Walk, head: bytes) -> bool:
    """AMR and AMR-WB storage (RFC 4867 5): each frame's first byte gives its size."""
    magic = next((m for m in _AMR_SIZES if head.startswith(m)), None)
    if magic is None:
        return False
    data, position, sizes = walk.data, len(magic), _AMR_SIZES[magic]
    while position < len(data):
        kind = (data[position] >> 3) & 15
        if kind < len(sizes):
            position += 1 + sizes[kind]
        elif kind in (14, 15):  # speech lost, no data
            position += 1
        else:
            break
    walk.add(min(position, len(data)), len(data), "#after-frames")
    return True
