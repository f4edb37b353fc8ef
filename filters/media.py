"""Sound and video parts: whether their own structure runs through them, and what it leaves over.

libmagic types a sound by a few bytes (two bytes of LATM sync, a four-byte MPEG audio
frame header), so a type of ``audio/*`` or ``video/*`` says nothing of the bytes after
them. A part of such a type is inert only when its structure is walked from its first
byte to its last: the frames of a raw MPEG audio, ADTS or LATM stream chain through it
(each frame header gives the frame's length), or a container's boxes, chunks, pages,
elements or objects do (ISO BMFF as MP4/MOV/3GP/M4A, RIFF as WAV/AVI, IFF as AIFF, Ogg
with each page's CRC checked, FLAC, Matroska/WebM, ASF, MPEG transport and program
streams, Flash video, Sun audio, AMR).

What the structure holds as sound or picture (frames, ``mdat``, ``data``, ``movi``,
clusters, pages) is inert; every other stretch it leaves over is *loose*: tag frames
that carry objects (ID3 ``APIC``, ``GEOB``, ``PRIV`` and unknown frames, the picture in
a FLAC or MP4 tag), padding, boxes and chunks of other or unknown types, attachments,
and bytes after the structure's end. The pipeline reads each loose stretch as a child
part of its own, judged as bytes of unknown type are. A part none of these walks
accounts for is not taken for sound or video at all.

An MP4's ``mdat`` is held against its sample tables and track fragments: where no
sample lies is loose. Not walked: what is inside frames and samples (that needs a
decoder), FLAC's frames between its first and its last, an Ogg stream's packets.
"""

from __future__ import annotations

import mmap
import struct
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

from filters.limits import Budget
from filters.types import Defect, Part

MIN_FRAMES = 4  # a raw stream shorter than this many frames (0.1 s of sound) is no sound
MIN_FRAMED = 0.9  # share of a raw stream (between its tags) its frames must cover
MAX_LOOSE = 256  # more loose stretches than this: the structure does not run through the part
MIN_LOOSE = 8  # bytes; a raw deflate stream of a short word is longer
MAX_DEPTH = 8  # boxes / elements nested deeper than this are not walked
Loose = tuple[int, int, str]  # start, end, label of a stretch the structure leaves over


class Buffer(Protocol):
    """Bytes or an mmap of a spool file: what the walks read."""

    def __len__(self) -> int: ...
    def __getitem__(self, index: slice, /) -> bytes: ...
    def find(self, sub: bytes, start: int = ..., end: int = ..., /) -> int: ...


@dataclass(frozen=True, slots=True)
class Layout:
    """The structure walked through a sound or video part."""

    form: str  # what was walked: "mpeg-audio", "adts", "latm", "riff", "mp4" ...
    loose: tuple[Loose, ...]  # stretches the structure leaves over, judged as unknown bytes
    # False when frames were found but cover less than MIN_FRAMED of the stream: the part
    # is then judged as unknown bytes as a whole, and each loose stretch on its own too
    # (a short stretch of packed bytes is lost among a short sound's compressible frames).
    inert: bool = True


class _Walk:
    """Loose stretches gathered while walking one part."""

    def __init__(self, data: Buffer) -> None:
        self.data = data
        self.loose: list[Loose] = []

    def add(self, start: int, end: int, label: str) -> None:
        """A loose stretch; too many: no structure. One shorter than MIN_LOOSE is left
        to the text-run search of the whole part: it can hold no packed document."""
        if end - start >= MIN_LOOSE:
            self.loose.append((start, end, label))
            if len(self.loose) > MAX_LOOSE:
                raise _NotMedia


class _NotMedia(Exception):
    """The walk found bytes its structure does not explain."""


class _PartlyFramed(_NotMedia):
    """Frames run through part of a raw stream only: ``loose`` are the stretches between."""

    def __init__(self, loose: list[Loose]) -> None:
        super().__init__()
        self.loose = loose


@contextmanager
def _mapped(part: Part) -> Iterator[Buffer]:
    if part.path is None:
        yield part.data
        return
    with part.path.open("rb") as stream:
        if part.size == 0:
            yield b""
            return
        with mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            yield mapped


def layout(part: Part) -> Layout | None:
    """The structure running through sound or video ``part``, or None when none does."""
    with _mapped(part) as data:
        head = bytes(data[:64])
        for form, walk in _WALKS:
            walker = _Walk(data)
            try:
                if walk(walker, head):
                    return Layout(form, tuple(walker.loose))
            except _PartlyFramed as partly:
                return Layout(form, tuple(partly.loose), inert=False)
            except (_NotMedia, struct.error, IndexError, ValueError):
                continue
    return None


# -- raw streams: MPEG audio, ADTS, LATM ---------------------------------------------

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


def _mpeg_frame(data: Buffer, at: int) -> int:
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


def _adts_frame(data: Buffer, at: int) -> int:
    """Length of the ADTS frame (ISO/IEC 13818-7) at ``at``, 0 when none is."""
    header = data[at:at + 7]
    if len(header) < 7 or header[0] != 0xFF or header[1] & 0xF6 != 0xF0 or (header[2] >> 2) & 15 > 12:
        return 0
    length = ((header[3] & 3) << 11) | (header[4] << 3) | (header[5] >> 5)
    return length if length >= 7 + (0 if header[1] & 1 else 2) else 0


def _latm_frame(data: Buffer, at: int) -> int:
    """Length of the LOAS AudioSyncStream frame (ISO/IEC 14496-3 1.7.2) at ``at``, or 0."""
    header = data[at:at + 3]
    if len(header) < 3 or header[0] != 0x56 or header[1] & 0xE0 != 0xE0:
        return 0
    length = ((header[1] & 0x1F) << 8) | header[2]
    return 3 + length if length else 0


def _syncsafe(raw: bytes) -> int:
    return (raw[0] << 21) | (raw[1] << 14) | (raw[2] << 7) | raw[3]


def _id3v2_end(walk: _Walk, at: int) -> int:
    """Where an ID3v2 tag at ``at`` ends (``at`` when there is none); its frames that
    carry objects rather than text are loose."""
    data = walk.data
    header = data[at:at + 10]
    if header[:3] != b"ID3" or len(header) < 10 or header[3] not in (2, 3, 4):
        return at
    version, flags, size = header[3], header[5], _syncsafe(header[6:10])
    end = at + 10 + size + (10 if version == 4 and flags & 0x10 else 0)
    if end > len(data):
        raise _NotMedia
    body = data[at + 10:at + 10 + size]
    if flags & 0x80 and version < 4:
        body = body.replace(b"\xff\x00", b"\xff")  # tag-wide unsynchronisation (v2.3)
    _id3v2_frames(walk, bytes(body), version, at + 10, flags & 0x40 != 0)
    return end


_ID3_TEXT = (b"T", b"W", b"COMM", b"USLT", b"COM", b"ULT")  # frames of text: searched as text runs


def _id3v2_frames(walk: _Walk, body: bytes, version: int, base: int, extended: bool) -> None:
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
            raise _NotMedia  # not a frame: the tag's own structure breaks here
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


def _trailer_start(walk: _Walk, end: int) -> int:
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
                raise _NotMedia
            _ape_items(walk, start + (32 if flags & 0x80000000 else 0), end - 32)
            end = start
        else:
            break
    return end


def _ape_items(walk: _Walk, start: int, end: int) -> None:
    """Binary APEv2 items (cover art, attached files) are loose; text items are searched."""
    body, position = bytes(walk.data[start:end]), 0
    while position + 8 < len(body):
        size, flags = struct.unpack("<II", body[position:position + 8])
        key_end = body.find(b"\0", position + 8)
        if key_end < 0 or key_end + 1 + size > len(body):
            raise _NotMedia
        value = key_end + 1
        if (flags >> 1) & 3 == 1:  # binary: a file name, NUL, then the file (cover art)
            name_end = body.find(b"\0", value, value + size)
            walk.add(start + (name_end + 1 if name_end >= 0 else value), start + value + size,
                     "#ape")
        position = value + size


def _raw_stream(frame_length: Callable[[Buffer, int], int], sync: bytes) -> Callable[[_Walk, bytes], bool]:
    """A walk of frames that give their own length, between an ID3v2 tag at the start
    and tags at the end; frames must chain through MIN_FRAMED of the stream."""

    def walk(walk: _Walk, head: bytes) -> bool:
        data = walk.data
        start = _id3v2_end(walk, 0)
        end = _trailer_start(walk, len(data))
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
            raise _NotMedia
        if framed < MIN_FRAMED * (end - start):
            raise _PartlyFramed(walk.loose)
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


# -- chunked containers: RIFF (WAV, AVI), IFF (AIFF) -----------------------------------

# Chunks that hold the sound or picture itself, or the headers that describe it.
_RIFF_MEDIA = {b"data", b"fmt ", b"ds64", b"fact", b"movi", b"idx1", b"hdrl", b"avih", b"strl", b"strh",
               b"strf", b"strd", b"indx", b"ix00", b"ix01", b"odml", b"dmlh", b"SSND", b"COMM",
               b"FVER", b"MARK", b"INST", b"cue ", b"smpl", b"PEAK", b"LIST"}
# LIST chunks whose sub-chunks are walked (the others, such as INFO, are loose as a whole).
_RIFF_LISTS = {b"hdrl", b"strl", b"odml"}


def _chunks(walk: _Walk, start: int, end: int, big: bool, depth: int, data_size: int = -1) -> None:
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
                walk.add(body, chunk_end, "#chunk/LIST-" + _label(list_type))
        elif chunk_id not in _RIFF_MEDIA:
            walk.add(body, chunk_end, "#chunk/" + _label(chunk_id))
        position = chunk_end + (size & 1)
    walk.add(position, end, "#after-chunks")


def _label(raw: bytes) -> str:
    return "".join(chr(b) if 0x20 < b < 0x7F and chr(b).isalnum() else "_" for b in raw)


def _riff(walk: _Walk, head: bytes) -> bool:
    """RIFF (WAV, AVI, and the AVIX chunks after a large AVI), IFF (AIFF, AIFF-C), and
    RF64/BW64 (EBU Tech 3306: 64-bit sizes in a ds64 chunk)."""
    if head[:4] in (b"RF64", b"BW64"):
        if head[8:16] != b"WAVEds64":
            raise _NotMedia
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
            raise _NotMedia
        _chunks(walk, position + 12, end, big, 0)
        position = end + (size & 1)
    walk.add(position, len(data), "#after-riff")
    return True


# -- ISO base media (MP4, MOV, M4A, 3GP) -----------------------------------------------

# Boxes that hold samples or describe them (ISO/IEC 14496-12, QuickTime); boxes of other
# types (free, skip, wide, uuid, udta and unknown ones) are loose.
_BOX_MEDIA = {b"ftyp", b"styp", b"mdat", b"moof", b"mfra", b"sidx", b"ssix", b"prft", b"emsg",
              b"pdin", b"mvhd", b"iods", b"mvex", b"tkhd", b"tref", b"edts", b"mdia", b"trak",
              b"moov", b"meco", b"load", b"tapt", b"clip", b"matt", b"txas"}
_BOX_WALKED = {b"moov", b"trak", b"udta", b"meta", b"ilst"}


def _boxes(walk: _Walk, start: int, end: int, parent: bytes, depth: int) -> None:
    """Walk the boxes from ``start`` to ``end``."""
    data, position = walk.data, start
    while position < end:
        if end - position < 8:
            if data[position:end].strip(b"\0"):
                raise _NotMedia
            return  # a 32-bit zero terminator, as QuickTime writes in user data
        size, kind = struct.unpack(">I4s", data[position:position + 8])
        header = 8
        if size == 1:
            size, header = struct.unpack(">Q", data[position + 8:position + 16])[0], 16
        elif size == 0:
            size = end - position  # "to the end of the file"
        if size < header or (position + size > end and kind != b"mdat"):
            if depth:
                raise _NotMedia
            walk.add(position, end, "#after-boxes")  # no box: the rest is loose
            return
        body, box_end = position + header, min(position + size, end)
        if parent == b"ilst":
            _ilst_item(walk, body, box_end, kind)
        elif kind in _BOX_WALKED and depth < MAX_DEPTH:
            if kind == b"meta" and data[body:body + 4] == b"\0\0\0\0":
                body += 4  # ISO meta is a full box (version, flags); QuickTime's is not
            _boxes(walk, body, box_end, kind, depth + 1)
        elif kind not in _BOX_MEDIA and not (parent == b"meta" and kind in (b"hdlr", b"keys")):
            walk.add(body, box_end, "#box/" + _label(kind))
        position = box_end


def _ilst_item(walk: _Walk, start: int, end: int, kind: bytes) -> None:
    """An iTunes metadata item: the values of its ``data`` boxes are loose (a cover
    picture is then read as a picture, a title as text)."""
    data, position = walk.data, start
    while position + 8 <= end:
        size, box = struct.unpack(">I4s", data[position:position + 8])
        if size < 8 or position + size > end:
            raise _NotMedia
        if box == b"data":
            walk.add(position + 16, position + size, "#ilst/" + _label(kind))
        elif box not in (b"mean", b"name"):
            walk.add(position + 8, position + size, "#ilst/" + _label(kind))
        position += size
    walk.add(position, end, "#ilst/" + _label(kind))


def _mp4(walk: _Walk, head: bytes) -> bool:
    if head[4:8] not in (b"ftyp", b"moov", b"mdat", b"free", b"wide", b"skip", b"pnot"):
        return False
    _boxes(walk, 0, len(walk.data), b"", 0)
    _unused_media_data(walk)
    return True


def _children(data: Buffer, start: int, end: int) -> Iterator[tuple[bytes, int, int, int]]:
    """(type, box start, body start, box end) of each box from ``start`` to ``end``."""
    position = start
    while position + 8 <= end:
        size, kind = struct.unpack(">I4s", data[position:position + 8])
        header = 8
        if size == 1:
            size, header = struct.unpack(">Q", data[position + 8:position + 16])[0], 16
        elif size == 0:
            size = end - position
        if size < header:
            return
        yield kind, position, position + header, min(position + size, end)
        position += size


def _find(data: Buffer, start: int, end: int, path: tuple[bytes, ...]) -> Iterator[tuple[int, int]]:
    """(body start, end) of every box down ``path`` from the boxes between ``start`` and ``end``."""
    for kind, _, body, box_end in _children(data, start, end):
        if kind == path[0]:
            if len(path) == 1:
                yield body, box_end
            else:
                yield from _find(data, body, box_end, path[1:])


def _sample_table_chunks(data: Buffer, start: int, end: int) -> Iterator[tuple[int, int]]:
    """(offset, size) of each chunk of samples one ``stbl`` box places in the file
    (ISO/IEC 14496-12 8.7: stco/co64 offsets, stsc samples per chunk, stsz sizes)."""
    boxes = {kind: (body, box_end) for kind, _, body, box_end in _children(data, start, end)}
    if b"stco" in boxes or b"co64" in boxes:
        wide = b"co64" in boxes
        body, _ = boxes[b"co64" if wide else b"stco"]
        (count,) = struct.unpack(">I", data[body + 4:body + 8])
        offsets = struct.unpack(f">{count}{'Q' if wide else 'I'}",
                                data[body + 8:body + 8 + count * (8 if wide else 4)])
    else:
        return
    body, _ = boxes[b"stsc"]
    (runs,) = struct.unpack(">I", data[body + 4:body + 8])
    table = struct.unpack(f">{runs * 3}I", data[body + 8:body + 8 + runs * 12])
    body, _ = boxes[b"stsz"]
    size, count = struct.unpack(">II", data[body + 4:body + 12])
    sizes = struct.unpack(f">{count}I", data[body + 12:body + 12 + count * 4]) if size == 0 else None
    sample = 0
    for run in range(runs):
        first, per_chunk = table[run * 3], table[run * 3 + 1]
        last = table[(run + 1) * 3] if run + 1 < runs else len(offsets) + 1
        for chunk in range(first, min(last, len(offsets) + 1)):
            length = (sum(sizes[sample:sample + per_chunk]) if sizes is not None
                      else size * per_chunk)
            sample += per_chunk
            yield offsets[chunk - 1], length


def _fragment_runs(data: Buffer, moof: int, start: int, end: int) -> Iterator[tuple[int, int]]:
    """(offset, size) of each run of samples one ``moof`` box places (ISO/IEC 14496-12 8.8)."""
    for traf, traf_end in _find(data, start, end, (b"traf",)):
        boxes = list(_children(data, traf, traf_end))
        tfhd = next(body for kind, _, body, _ in boxes if kind == b"tfhd")
        flags = int.from_bytes(data[tfhd + 1:tfhd + 4], "big")
        at, base, default_size = tfhd + 8, moof, 0
        if flags & 0x01:
            (base,) = struct.unpack(">Q", data[at:at + 8])
            at += 8
        at += 4 * bool(flags & 0x02) + 4 * bool(flags & 0x08)
        if flags & 0x10:
            (default_size,) = struct.unpack(">I", data[at:at + 4])
        position = base
        for kind, _, body, _ in boxes:
            if kind != b"trun":
                continue
            run_flags = int.from_bytes(data[body + 1:body + 4], "big")
            (count,) = struct.unpack(">I", data[body + 4:body + 8])
            at = body + 8
            if run_flags & 0x01:
                position = base + struct.unpack(">i", data[at:at + 4])[0]
                at += 4
            at += 4 * bool(run_flags & 0x04)
            fields = [bit for bit in (0x100, 0x200, 0x400, 0x800) if run_flags & bit]
            if 0x200 in fields:
                values = struct.unpack(f">{count * len(fields)}I",
                                       data[at:at + 4 * count * len(fields)])
                length = sum(values[fields.index(0x200)::len(fields)])
            else:
                length = default_size * count
            yield position, length
            position += length


def _unused_media_data(walk: _Walk) -> None:
    """The stretches of each ``mdat`` box no sample table or track fragment places a
    sample in are loose: a box of packed bytes named ``mdat`` holds no sound."""
    data = walk.data
    top = list(_children(data, 0, len(data)))
    media_data = [(body, box_end) for kind, _, body, box_end in top if kind == b"mdat"]
    if not media_data:
        return
    try:
        used = [chunk for body, box_end in _find(data, 0, len(data),
                                                 (b"moov", b"trak", b"mdia", b"minf", b"stbl"))
                for chunk in _sample_table_chunks(data, body, box_end)]
        used += [run for kind, start, body, box_end in top if kind == b"moof"
                 for run in _fragment_runs(data, start, body, box_end)]
    except (struct.error, KeyError, StopIteration, IndexError):
        return  # sample tables not read: the media data is taken as it is
    used.sort()
    for body, box_end in media_data:
        position = body
        for offset, length in used:
            if offset + length <= position or offset >= box_end:
                continue
            walk.add(position, offset, "#box/mdat-unused")
            position = max(position, offset + length)
        walk.add(position, box_end, "#box/mdat-unused")


# -- Ogg, FLAC ------------------------------------------------------------------------

_REVERSED = bytes(int(f"{b:08b}"[::-1], 2) for b in range(256))


def _ogg_crc(page: bytes) -> int:
    """Ogg's CRC-32 (polynomial 0x04C11DB7, not reflected, start 0, RFC 3533 6), computed
    by zlib's reflected CRC-32 over the page's bytes with their bits reversed."""
    raw = zlib.crc32(page.translate(_REVERSED), 0xFFFFFFFF) ^ 0xFFFFFFFF
    return int(f"{raw:032b}"[::-1], 2)


def _ogg(walk: _Walk, head: bytes) -> bool:
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
        raise _NotMedia
    walk.add(position, len(data), "#after-pages")
    return True


def _flac(walk: _Walk, head: bytes) -> bool:
    """FLAC's metadata blocks chain to its first frame (RFC 9639 8); a picture's bytes,
    padding, application data and comments are loose."""
    data, position = walk.data, _id3v2_end(walk, 0)
    if data[position:position + 4] != b"fLaC":
        return False
    position += 4
    last = False
    while not last:
        header = data[position:position + 4]
        if len(header) < 4:
            raise _NotMedia
        last, kind, size = header[0] & 0x80 != 0, header[0] & 0x7F, int.from_bytes(header[1:4], "big")
        body, end = position + 4, position + 4 + size
        if kind == 127 or end > len(data):
            raise _NotMedia
        if kind == 6:  # PICTURE: type, MIME, description, four numbers, then the picture
            at = body + 8 + struct.unpack(">I", data[body + 4:body + 8])[0]
            at += 4 + struct.unpack(">I", data[at:at + 4])[0] + 16
            walk.add(at + 4, end, "#flac/picture")
        elif kind not in (0, 3, 5):  # STREAMINFO, SEEKTABLE, CUESHEET describe the sound
            walk.add(body, end, f"#flac/block-{kind}")
        position = end
    frame = data[position:position + 2]
    if len(data) > position and (len(frame) < 2 or frame[0] != 0xFF or frame[1] & 0xFE != 0xF8):
        raise _NotMedia  # the frames start right after the last metadata block
    end = _trailer_start(walk, len(data))  # taggers append ID3v1 or APEv2 to FLAC too
    if end > position:
        frames_end = _flac_frames_end(data, position, end)
        if frames_end is None:
            raise _NotMedia  # no frame ends anywhere near the end
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


# -- Matroska / WebM (EBML), ASF, MPEG transport stream, AMR ----------------------------

_EBML_UNKNOWN = -1
# Segment children that hold or describe the sound and pictures (Matroska spec).
_SEGMENT_MEDIA = {0x114D9B74, 0x1549A966, 0x1654AE6B, 0x1F43B675, 0x1C53BB6B, 0x1043A770, 0xBF}
_SEGMENT_CHILDREN = _SEGMENT_MEDIA | {0x1941A469, 0x1254C367, 0xEC}
_ATTACHMENTS, _ATTACHED_FILE, _FILE_DATA = 0x1941A469, 0x61A7, 0x465C


def _vint(data: Buffer, at: int, marker: bool) -> tuple[int, int]:
    """An EBML variable-length integer at ``at``: (value, length); an ID keeps its marker."""
    first = data[at]
    length = 9 - first.bit_length()
    if length > 8:
        raise _NotMedia
    raw = int.from_bytes(data[at:at + length], "big")
    if marker:
        return raw, length
    value = raw & ((1 << (7 * length)) - 1)
    return (_EBML_UNKNOWN if value == (1 << (7 * length)) - 1 else value), length


def _element(data: Buffer, at: int) -> tuple[int, int, int]:
    """(id, start of its body, size or _EBML_UNKNOWN) of the element at ``at``."""
    element_id, id_length = _vint(data, at, True)
    size, size_length = _vint(data, at + id_length, False)
    return element_id, at + id_length + size_length, size


def _ebml(walk: _Walk, head: bytes) -> bool:
    if head[:4] != b"\x1a\x45\xdf\xa3":
        return False
    data = walk.data
    element_id, body, size = _element(data, 0)
    position = body + size
    element_id, body, size = _element(data, position)
    if element_id != 0x18538067:  # Segment
        raise _NotMedia
    end = len(data) if size == _EBML_UNKNOWN else min(body + size, len(data))
    position = body
    while position < end:
        element_id, body, size = _element(data, position)
        if element_id not in _SEGMENT_CHILDREN:
            raise _NotMedia
        if size == _EBML_UNKNOWN:
            if element_id != 0x1F43B675:
                raise _NotMedia
            position = _unknown_cluster_end(data, body, end)  # a live recording's cluster
            continue
        element_end = min(body + size, end)
        if element_id == _ATTACHMENTS:
            _attachments(walk, body, element_end)
        elif element_id not in _SEGMENT_MEDIA:
            walk.add(body, element_end, f"#ebml/{element_id:X}")
        position = element_end
    walk.add(end, len(data), "#after-segment")
    return True


def _unknown_cluster_end(data: Buffer, at: int, end: int) -> int:
    """Where a Cluster of unknown size ends: at the next top-level element or ``end``."""
    while at < end:
        element_id, body, size = _element(data, at)
        if element_id in _SEGMENT_CHILDREN:
            return at
        if size == _EBML_UNKNOWN:
            raise _NotMedia
        at = body + size
    return min(at, end)


def _attachments(walk: _Walk, start: int, end: int) -> None:
    """Each attached file's bytes are loose (a font or a cover picture, read as its type)."""
    data, position = walk.data, start
    while position < end:
        element_id, body, size = _element(data, position)
        if size == _EBML_UNKNOWN or element_id not in (_ATTACHED_FILE, 0xBF, 0xEC):
            raise _NotMedia
        if element_id != _ATTACHED_FILE:  # a CRC-32 of the element, or Void
            if element_id == 0xEC:
                walk.add(body, body + size, "#ebml/EC")
            position = body + size
            continue
        inner = body
        while inner < body + size:
            child, child_body, child_size = _element(data, inner)
            if child_size == _EBML_UNKNOWN:
                raise _NotMedia
            if child == _FILE_DATA:
                walk.add(child_body, child_body + child_size, "#attachment")
            inner = child_body + child_size
        position = body + size


_ASF_HEADER = bytes.fromhex("3026b2758e66cf11a6d900aa0062ce6c")
_ASF_TOP = {_ASF_HEADER, bytes.fromhex("3626b2758e66cf11a6d900aa0062ce6c"),  # Data
            bytes.fromhex("90080033b1e5cf1189f400a0c90349cb"),  # Simple Index
            bytes.fromhex("d329e2d6da35d111903400a0c90349be"),  # Index
            bytes.fromhex("f803b1fead12644c840f2a1d2f7ad48c"),  # Media Object Index
            bytes.fromhex("d03fb73c4a0c0348953dedf7b6228f0c")}  # Timecode Index


def _asf(walk: _Walk, head: bytes) -> bool:
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


def _transport_stream(walk: _Walk, head: bytes) -> bool:
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


def _program_stream(walk: _Walk, head: bytes) -> bool:
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


def _flv(walk: _Walk, head: bytes) -> bool:
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


def _sun_audio(walk: _Walk, head: bytes) -> bool:
    """Sun/NeXT audio (.au, .snd): a header with the sound's offset and size; the
    annotation after the header is loose."""
    if head[:4] != b".snd" or len(head) < 24:
        return False
    offset, size = struct.unpack(">II", head[4:12])
    data = walk.data
    if offset < 24 or offset > len(data):
        raise _NotMedia
    walk.add(24, offset, "#annotation")
    if size != 0xFFFFFFFF:  # "unknown size": the sound runs to the end
        walk.add(min(offset + size, len(data)), len(data), "#after-sound")
    return True


_AMR_SIZES = {b"#!AMR\n": (12, 13, 15, 17, 19, 20, 26, 31, 5),
              b"#!AMR-WB\n": (17, 23, 32, 36, 40, 46, 50, 58, 60, 5)}


def _amr(walk: _Walk, head: bytes) -> bool:
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


_WALKS: tuple[tuple[str, Callable[[_Walk, bytes], bool]], ...] = (
    ("riff", _riff), ("mp4", _mp4), ("ogg", _ogg), ("flac", _flac), ("matroska", _ebml),
    ("asf", _asf), ("amr", _amr), ("mpeg-ts", _transport_stream), ("mpeg-ps", _program_stream),
    ("flv", _flv), ("sun-audio", _sun_audio),
    ("mpeg-audio", _raw_stream(_mpeg_frame, b"\xff")), ("adts", _raw_stream(_adts_frame, b"\xff")),
    ("latm", _raw_stream(_latm_frame, b"\x56")),
)


TYPES = ("audio/", "video/")
LOOSE_BYTES = 32 * 1024 * 1024  # most loose bytes read from one part


def loose_parts(part: Part, found: Layout | None, budget: Budget) -> Iterator[Part | Defect]:
    """The stretches of ``part`` its structure leaves over, each a child part to be judged
    as bytes of unknown type are; a Defect when they are more than LOOSE_BYTES."""
    if found is None:
        return
    if sum(end - start for start, end, _ in found.loose) > LOOSE_BYTES:
        yield Defect("extract.uninspectable", "high",
                     f"{part.detected_type} holds more than {LOOSE_BYTES} bytes outside its "
                     "sound and pictures, more than Redline reads", where=part.origin)
        return
    with part.open() as stream:
        for start, end, label in found.loose:
            stream.seek(start)
            data = stream.read(end - start)
            budget.take(len(data))
            yield budget.child(part, f"{label}@{start}", data=data)
