"""Matroska and WebM: EBML elements walked, attachments loose."""

from __future__ import annotations

from filters.media.walk import Buffer, NotMedia, Walk

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
        raise NotMedia
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


def walk_matroska(walk: Walk, head: bytes) -> bool:
    if head[:4] != b"\x1a\x45\xdf\xa3":
        return False
    data = walk.data
    element_id, body, size = _element(data, 0)
    position = body + size
    element_id, body, size = _element(data, position)
    if element_id != 0x18538067:  # Segment
        raise NotMedia
    end = len(data) if size == _EBML_UNKNOWN else min(body + size, len(data))
    position = body
    while position < end:
        element_id, body, size = _element(data, position)
        if element_id not in _SEGMENT_CHILDREN:
            raise NotMedia
        if size == _EBML_UNKNOWN:
            if element_id != 0x1F43B675:
                raise NotMedia
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
            raise NotMedia
        at = body + size
    return min(at, end)


def _attachments(walk: Walk, start: int, end: int) -> None:
    """Each attached file's bytes are loose (a font or a cover picture, read as its type)."""
    data, position = walk.data, start
    while position < end:
        element_id, body, size = _element(data, position)
        if size == _EBML_UNKNOWN or element_id not in (_ATTACHED_FILE, 0xBF, 0xEC):
            raise NotMedia
        if element_id != _ATTACHED_FILE:  # a CRC-32 of the element, or Void
            if element_id == 0xEC:
                walk.add(body, body + size, "#ebml/EC")
            position = body + size
            continue
        inner = body
        while inner < body + size:
            child, child_body, child_size = _element(data, inner)
            if child_size == _EBML_UNKNOWN:
                raise NotMedia
            if child == _FILE_DATA:
                walk.add(child_body, child_body + child_size, "#attachment")
            inner = child_body + child_size
        position = body + size
