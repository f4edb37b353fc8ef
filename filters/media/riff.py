"""RIFF (WAV, AVI, RF64) and IFF (AIFF): chunks of sound and picture, every other chunk loose."""

from __future__ import annotations

import struct

from filters.media.walk import MAX_DEPTH, NotMedia, Walk, label

# Chunks that hold the sound or picture itself, or the headers that describe it.
_RIFF_MEDIA = {b"data", b"fmt ", b"ds64", b"fact", b"movi", b"idx1", b"hdrl", b"avih", b"strl", b"strh",
               b"strf", b"strd", b"indx", b"ix00", b"ix01", b"odml", b"dmlh", b"SSND", b"COMM",
               b"FVER", b"MARK", b"INST", b"cue ", b"smpl", b"PEAK", b"LIST"}


# LIST chunks whose sub-chunks are walked (the others, such as INFO, are loose as a whole).
_RIFF_LISTS = {b"hdrl", b"strl", b"odml"}


def _chunks(walk: Walk, start: int, end: int, big: bool, depth: int, data_size: int = -1) -> None:
    """Walk the chunks from ``start`` to ``end`` (padded to even lengths, RIFF/IFF);
    ``data_size`` is an RF64 file's ``data`` chunk size (its ds64 chunk)."""
    data, position = walk.data, start
    while position + 8 <= end:
        chunk_id = data[position:position + 4]
        size = struct.unpack(">I" if big else "<I", data[position + 4:position + 8])[0]
        if chunk_id == b"data" and size == 0xFFFFFFFF and data_size >= 0:
            size = data_size
        body, chunk_end = position + 8, min(position + 8 + size, end)
        if chunk_id == b"LIST":
            list_type = data[body:body + 4]
            if list_type in _RIFF_LISTS and depth < MAX_DEPTH:
                _chunks(walk, body + 4, chunk_end, big, depth + 1)
            elif list_type != b"movi":  # movi: the frames themselves
                walk.add(body, chunk_end, "#chunk/LIST-" + label(list_type))
        elif chunk_id not in _RIFF_MEDIA:
            walk.add(body, chunk_end, "#chunk/" + label(chunk_id))
        position = chunk_end + (size & 1)
    walk.add(position, end, "#after-chunks")


def walk_riff(walk: Walk, head: bytes) -> bool:
    """RIFF (WAV, AVI, and the AVIX chunks after a large AVI), IFF (AIFF, AIFF-C), and
    RF64/BW64 (EBU Tech 3306: 64-bit sizes in a ds64 chunk)."""
    if head[:4] in (b"RF64", b"BW64"):
        if head[8:16] != b"WAVEds64":
            raise NotMedia
        riff_size, data_size = struct.unpack("<QQ", head[20:36])
        end = min(8 + riff_size, len(walk.data))
        _chunks(walk, 12, end, False, 0, data_size)
        walk.add(end, len(walk.data), "#after-riff")
        return True
    if head[:4] not in (b"RIFF", b"RIFX", b"FORM"):
        return False
    data, position = walk.data, 0
    while position + 12 <= len(data) and data[position:position + 4] == head[:4]:
        big = head[:4] != b"RIFF"
        size = struct.unpack(">I" if big else "<I", data[position + 4:position + 8])[0]
        end = min(position + 8 + size, len(data))
        if size < 4 or data[position + 8:position + 12] not in (b"WAVE", b"AVI ", b"AVIX", b"AIFF",
                                                                  b"AIFC"):
            raise NotMedia
        _chunks(walk, position + 12, end, big, 0)
        position = end + (size & 1)
    walk.add(position, len(data), "#after-riff")
    return True


