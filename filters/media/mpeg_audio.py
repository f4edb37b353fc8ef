"""Raw MPEG audio, ADTS and LATM streams: frames that give their own length, chained through the stream."""

from __future__ import annotations

from collections.abc import Callable

from filters.media.tags import id3v2_end, trailer_start
from filters.media.walk import MIN_FRAMED, MIN_FRAMES, Buffer, NotMedia, PartlyFramed, Walk

# Bitrates (kbit/s) by (MPEG-1?, layer) and index 1..14 (ISO/IEC 11172-3, 13818-3).
_BITRATES = {
    (True, 1): (32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (True, 2): (32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (True, 3): (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (False, 1): (32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
    (False, 2): (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
    (False, 3): (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}


_SAMPLE_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


def mpeg_frame(data: Buffer, at: int) -> int:
    """Length of the MPEG audio frame whose header is at ``at``, 0 when none is."""
    header = data[at:at + 4]
    if len(header) < 4 or header[0] != 0xFF or header[1] & 0xE0 != 0xE0:
        return 0
    version, layer = (header[1] >> 3) & 3, 4 - ((header[1] >> 1) & 3)
    bitrate_index, rate_index, padding = header[2] >> 4, (header[2] >> 2) & 3, (header[2] >> 1) & 1
    if version == 1 or layer == 4 or bitrate_index in (0, 15) or rate_index == 3:
        return 0  # reserved values; a free-format stream (index 0) is not walked
    bitrate = _BITRATES[(version == 3, layer)][bitrate_index - 1] * 1000
    rate = _SAMPLE_RATES[version][rate_index]
    if layer == 1:
        return (12 * bitrate // rate + padding) * 4
    per_frame = 72 if layer == 3 and version != 3 else 144
    return per_frame * bitrate // rate + padding


def adts_frame(data: Buffer, at: int) -> int:
    """Length of the ADTS frame (ISO/IEC 13818-7) at ``at``, 0 when none is."""
    header = data[at:at + 7]
    if len(header) < 7 or header[0] != 0xFF or header[1] & 0xF6 != 0xF0 or (header[2] >> 2) & 15 > 12:
        return 0
    length = ((header[3] & 3) << 11) | (header[4] << 3) | (header[5] >> 5)
    return length if length >= 7 + (0 if header[1] & 1 else 2) else 0


def latm_frame(data: Buffer, at: int) -> int:
    """Length of the LOAS AudioSyncStream frame (ISO/IEC 14496-3 1.7.2) at ``at``, or 0."""
    header = data[at:at + 3]
    if len(header) < 3 or header[0] != 0x56 or header[1] & 0xE0 != 0xE0:
        return 0
    length = ((header[1] & 0x1F) << 8) | header[2]
    return 3 + length if length else 0


def raw_stream(frame_length: Callable[[Buffer, int], int], sync: bytes) -> Callable[[Walk, bytes], bool]:
    """A walk of frames that give their own length, between an ID3v2 tag at the start
    and tags at the end; frames must chain through MIN_FRAMED of the stream."""

    def walk(walk: Walk, head: bytes) -> bool:
        data = walk.data
        start = id3v2_end(walk, 0)
        end = trailer_start(walk, len(data))
        if start == 0 and not frame_length(data, 0):
            return False
        position, frames, framed = start, 0, 0
        while position < end:
            length = frame_length(data, position)
            if length and position + length <= end:
                frames += 1
                framed += length
                position += length
            elif length and frames >= MIN_FRAMES:
                # The last frame cut short, as a stream cut at any byte ends: what it
                # could hold is no more than any frame's payload can.
                framed += end - position
                position = end
            else:
                found = _resync(data, position + 1, end, frame_length, sync)
                walk.add(position, found, "#unframed")
                position = found
        if frames < MIN_FRAMES:
            raise NotMedia
        if framed < MIN_FRAMED * (end - start):
            raise PartlyFramed(walk.loose)
        return True

    return walk


def _resync(data: Buffer, at: int, end: int, frame_length: Callable[[Buffer, int], int],
            sync: bytes) -> int:
    """The next offset from ``at`` where three frames chain, or ``end``."""
    while at < end:
        at = data.find(sync, at, end)
        if at < 0:
            return end
        position = at
        for _ in range(3):
            length = frame_length(data, position)
            if not length:
                break
            position += length
        else:
            if position <= end:
                return at
        at += 1
    return end


