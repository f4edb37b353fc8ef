"""FLAC: metadata blocks walked (pictures and padding loose), the last frame found by its CRCs."""

from __future__ import annotations

import struct
from collections.abc import Iterator

from filters.media.tags import id3v2_end, trailer_start
from filters.media.walk import Buffer, NotMedia, Walk


def walk_flac(walk: Walk, head: bytes) -> bool:
    """FLAC's metadata blocks chain to its first frame (RFC 9639 8); a picture's bytes,
    padding, application data and comments are loose."""
    data, position = walk.data, id3v2_end(walk, 0)
    if data[position:position + 4] != b"fLaC":
        return False
    position += 4
    last = False
    while not last:
        header = data[position:position + 4]
        if len(header) < 4:
            raise NotMedia
        last, kind, size = header[0] & 0x80 != 0, header[0] & 0x7F, int.from_bytes(header[1:4], "big")
        body, end = position + 4, position + 4 + size
        if kind == 127 or end > len(data):
            raise NotMedia
        if kind == 6:  # PICTURE: type, MIME, description, four numbers, then the picture
            at = body + 8 + struct.unpack(">I", data[body + 4:body + 8])[0]
            at += 4 + struct.unpack(">I", data[at:at + 4])[0] + 16
            walk.add(at + 4, end, "#flac/picture")
        elif kind not in (0, 3, 5):  # STREAMINFO, SEEKTABLE, CUESHEET describe the sound
            walk.add(body, end, f"#flac/block-{kind}")
        position = end
    frame = data[position:position + 2]
    if len(data) > position and (len(frame) < 2 or frame[0] != 0xFF or frame[1] & 0xFE != 0xF8):
        raise NotMedia  # the frames start right after the last metadata block
    end = trailer_start(walk, len(data))  # taggers append ID3v1 or APEv2 to FLAC too
    if end > position:
        frames_end = _flac_frames_end(data, position, end)
        if frames_end is None:
            raise NotMedia  # no frame ends anywhere near the end
        walk.add(frames_end, end, "#after-frames")
    return True


def _crc_table(polynomial: int, width: int) -> list[int]:
    top, mask = 1 << (width - 1), (1 << width) - 1
    table = []
    for byte in range(256):
        crc = byte << (width - 8)
        for _ in range(8):
            crc = ((crc << 1) ^ polynomial if crc & top else crc << 1) & mask
        table.append(crc)
    return table


_CRC8, _CRC16 = _crc_table(0x07, 8), _crc_table(0x8005, 16)  # FLAC's frame CRCs (RFC 9639 9.1)
FLAC_LAST_FRAME = 1 << 20  # a FLAC frame is looked for this far before the end (16 MiB at most)


def _crc8(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc = _CRC8[crc ^ byte]
    return crc


def _crc16(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc = ((crc << 8) & 0xFFFF) ^ _CRC16[(crc >> 8) ^ byte]
    return crc


def _flac_header_length(frame: bytes) -> int:
    """Length of the FLAC frame header at the start of ``frame`` with its CRC-8 right, or 0."""
    if len(frame) < 6 or frame[0] != 0xFF or frame[1] & 0xFE != 0xF8 or frame[3] & 1:
        return 0
    coded = frame[4]
    at = 5 + (0 if coded < 0x80 else max(0, 8 - (coded ^ 0xFF).bit_length() - 1))
    at += {6: 1, 7: 2}.get(frame[2] >> 4, 0) + {12: 1, 13: 2, 14: 2}.get(frame[2] & 15, 0)
    if at >= len(frame) or frame[2] >> 4 == 0 or frame[2] & 15 == 15:
        return 0
    return at + 1 if _crc8(frame[:at]) == frame[at] else 0


def _flac_frames_end(data: Buffer, first: int, end: int) -> int | None:
    """Where the last FLAC frame ends: ``end`` when a frame (header CRC-8 and frame
    CRC-16 right) ends there, else the first offset after the last frame header where
    the frame's CRC-16 is right; None when no frame is found in the last bytes."""
    start = max(first, end - FLAC_LAST_FRAME)
    tail = bytes(data[start:end])
    candidates = sorted((at for sync in (b"\xff\xf8", b"\xff\xf9")
                         for at in _all(tail, sync)), reverse=True)
    headers = [at for at in candidates if _flac_header_length(tail[at:at + 16])][:4]
    # A sync code inside a frame's data may pass the header's CRC-8 by chance (1 in 256):
    # the frames before it are tried too, a few of them.
    for at in headers:
        if len(tail) - at >= 4 and _crc16(tail[at:-2]) == int.from_bytes(tail[-2:], "big"):
            return end
    if not headers:
        return None
    # Bytes after the last frame: it ends where its CRC-16 first comes out right.
    at = headers[0]
    crc = 0
    for offset in range(at, len(tail) - 2):
        crc = ((crc << 8) & 0xFFFF) ^ _CRC16[(crc >> 8) ^ tail[offset]]
        if offset - at > 4 and crc == int.from_bytes(tail[offset + 1:offset + 3], "big"):
            return start + offset + 3
    return None


def _all(data: bytes, needle: bytes) -> Iterator[int]:
    at = data.find(needle)
    while at >= 0:
        yield at
        at = data.find(needle, at + 1)


