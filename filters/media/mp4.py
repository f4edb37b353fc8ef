"""ISO base media files (MP4, MOV, 3GP, M4A): boxes walked, each ``mdat`` held against the
sample tables and track fragments."""

from __future__ import annotations

import struct
from collections.abc import Iterator

from filters.media.walk import MAX_DEPTH, Buffer, NotMedia, Walk, label

# Boxes that hold samples or describe them (ISO/IEC 14496-12, QuickTime); boxes of other
# types (free, skip, wide, uuid, udta and unknown ones) are loose.
_BOX_MEDIA = {b"ftyp", b"styp", b"mdat", b"moof", b"mfra", b"sidx", b"ssix", b"prft", b"emsg",
              b"pdin", b"mvhd", b"iods", b"mvex", b"tkhd", b"tref", b"edts", b"mdia", b"trak",
              b"moov", b"meco", b"load", b"tapt", b"clip", b"matt", b"txas"}


_BOX_WALKED = {b"moov", b"trak", b"udta", b"meta", b"ilst"}


def _boxes(walk: Walk, start: int, end: int, parent: bytes, depth: int) -> None:
    """Walk the boxes from ``start`` to ``end``."""
    data, position = walk.data, start
    while position < end:
        if end - position < 8:
            if data[position:end].strip(b"\0"):
                raise NotMedia
            return  # a 32-bit zero terminator, as QuickTime writes in user data
        size, kind = struct.unpack(">I4s", data[position:position + 8])
        header = 8
        if size == 1:
            size, header = struct.unpack(">Q", data[position + 8:position + 16])[0], 16
        elif size == 0:
            size = end - position  # "to the end of the file"
        if size < header or (position + size > end and kind != b"mdat"):
            if depth:
                raise NotMedia
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
            walk.add(body, box_end, "#box/" + label(kind))
        position = box_end


def _ilst_item(walk: Walk, start: int, end: int, kind: bytes) -> None:
    """An iTunes metadata item: the values of its ``data`` boxes are loose (a cover
    picture is then read as a picture, a title as text)."""
    data, position = walk.data, start
    while position + 8 <= end:
        size, box = struct.unpack(">I4s", data[position:position + 8])
        if size < 8 or position + size > end:
            raise NotMedia
        if box == b"data":
            walk.add(position + 16, position + size, "#ilst/" + label(kind))
        elif box not in (b"mean", b"name"):
            walk.add(position + 8, position + size, "#ilst/" + label(kind))
        position += size
    walk.add(position, end, "#ilst/" + label(kind))


def walk_mp4(walk: Walk, head: bytes) -> bool:
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


def _unused_media_data(walk: Walk) -> None:
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


