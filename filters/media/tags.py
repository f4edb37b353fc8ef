"""Tags around raw sound: ID3v2 at the start (its frames that carry objects are loose),
ID3v1, Lyrics3 and APEv2 at the end."""

from __future__ import annotations

import struct

from filters.media.walk import NotMedia, Walk


def _syncsafe(raw: bytes) -> int:
    return (raw[0] << 21) | (raw[1] << 14) | (raw[2] << 7) | raw[3]


def id3v2_end(walk: Walk, at: int) -> int:
    """Where an ID3v2 tag at ``at`` ends (``at`` when there is none); its frames that
    carry objects rather than text are loose."""
    data = walk.data
    header = data[at:at + 10]
    if header[:3] != b"ID3" or len(header) < 10 or header[3] not in (2, 3, 4):
        return at
    version, flags, size = header[3], header[5], _syncsafe(header[6:10])
    end = at + 10 + size + (10 if version == 4 and flags & 0x10 else 0)
    if end > len(data):
        raise NotMedia
    body = data[at + 10:at + 10 + size]
    if flags & 0x80 and version < 4:
        body = body.replace(b"\xff\x00", b"\xff")  # tag-wide unsynchronisation (v2.3)
    _id3v2_frames(walk, bytes(body), version, at + 10, flags & 0x40 != 0)
    return end


_ID3_TEXT = (b"T", b"W", b"COMM", b"USLT", b"COM", b"ULT")  # frames of text: searched as text runs


def _id3v2_frames(walk: Walk, body: bytes, version: int, base: int, extended: bool) -> None:
    """Loose stretches for the frames of an ID3v2 tag body (ID3v2.2, 2.3, 2.4 frame layouts)."""
    position = 0
    if extended and version >= 3:
        raw = body[:4]
        position = _syncsafe(raw) if version == 4 else 4 + struct.unpack(">I", raw)[0]
    id_length, header_length = (3, 6) if version == 2 else (4, 10)
    while position + header_length <= len(body):
        frame_id = body[position:position + id_length]
        if frame_id.strip(b"\0") == b"":
            if body[position:].strip(b"\0"):
                walk.add(base + position, base + len(body), "#id3/padding")
            return
        if version == 2:
            size = int.from_bytes(body[position + 3:position + 6], "big")
        elif version == 3:
            size = struct.unpack(">I", body[position + 4:position + 8])[0]
        else:
            size = _syncsafe(body[position + 4:position + 8])
        start, end = position + header_length, position + header_length + size
        if not frame_id.isalnum() or end > len(body):
            raise NotMedia  # not a frame: the tag's own structure breaks here
        if not frame_id.startswith(_ID3_TEXT):
            start += _id3_object_at(body[start:end], frame_id)
            walk.add(base + start, base + end, "#id3/" + frame_id.decode("ascii"))
        position = end


def _terminated(data: bytes, at: int, encoding: int) -> int:
    """The offset after a string in ``encoding`` (ID3 text encoding byte) that starts at ``at``."""
    if encoding in (1, 2):  # UTF-16: a two-byte NUL on an even offset from the start
        end = at
        while end + 1 < len(data) and data[end:end + 2] != b"\0\0":
            end += 2
        return min(end + 2, len(data))
    end = data.find(b"\0", at)
    return len(data) if end < 0 else end + 1


def _id3_object_at(frame: bytes, frame_id: bytes) -> int:
    """Where the object of an ID3 frame starts after its descriptive fields: a picture's
    bytes (APIC, PIC), an encapsulated object's (GEOB), private data (PRIV)."""
    if not frame:
        return 0
    if frame_id == b"APIC":  # encoding, MIME\0, picture type, description
        return _terminated(frame, _terminated(frame, 1, 0) + 1, frame[0])
    if frame_id == b"PIC":  # encoding, 3-byte format, picture type, description
        return _terminated(frame, 5, frame[0])
    if frame_id in (b"GEOB", b"GEO"):  # encoding, MIME\0, file name, description
        return _terminated(frame, _terminated(frame, _terminated(frame, 1, 0), frame[0]), frame[0])
    if frame_id == b"PRIV":  # owner identifier\0
        return _terminated(frame, 0, 0)
    return 0


def trailer_start(walk: Walk, end: int) -> int:
    """Where the tags after a raw stream's last frame start (ID3v1, Lyrics3v2, APEv2)."""
    data = walk.data
    for _ in range(3):
        if end >= 128 and data[end - 128:end - 125] == b"TAG":
            end -= 128
        elif end >= 15 and data[end - 9:end] == b"LYRICS200" and data[end - 15:end - 9].isdigit():
            end -= 15 + int(data[end - 15:end - 9])
        elif end >= 32 and data[end - 32:end - 24] == b"APETAGEX":
            size, _count, flags = struct.unpack("<III", data[end - 20:end - 8])
            start = end - size - (32 if flags & 0x80000000 else 0)
            if start < 0:
                raise NotMedia
            _ape_items(walk, start + (32 if flags & 0x80000000 else 0), end - 32)
            end = start
        else:
            break
    return end


def _ape_items(walk: Walk, start: int, end: int) -> None:
    """Binary APEv2 items (cover art, attached files) are loose; text items are searched."""
    body, position = bytes(walk.data[start:end]), 0
    while position + 8 < len(body):
        size, flags = struct.unpack("<II", body[position:position + 8])
        key_end = body.find(b"\0", position + 8)
        if key_end < 0 or key_end + 1 + size > len(body):
            raise NotMedia
        value = key_end + 1
        if (flags >> 1) & 3 == 1:  # binary: a file name, NUL, then the file (cover art)
            name_end = body.find(b"\0", value, value + size)
            walk.add(start + (name_end + 1 if name_end >= 0 else value), start + value + size,
                     "#ape")
        position = value + size
