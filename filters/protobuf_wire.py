"""The protobuf wire format read without a schema: varints and (number, wire type, value) fields.

Shared by the readers of formats that carry protobuf messages whose schemas are private or
unknown (Apple iWork archives, grpc-web uploads). Groups (wire types 3 and 4) are
deprecated and none of those formats uses them, so they end a message as malformed.
"""

from __future__ import annotations

from collections.abc import Iterator

VARINT, FIXED64, LENGTH_DELIMITED, FIXED32 = 0, 1, 2, 5


def read_varint(data: bytes, pos: int) -> tuple[int, int]:
    """The varint at ``data[pos:]`` and the position after it; ValueError when it runs past
    the data or beyond 64 bits."""
    value = shift = 0
    end = len(data)
    while True:
        if pos >= end or shift > 63:
            raise ValueError("varint runs past the data")
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7


def fields(data: bytes) -> Iterator[tuple[int, int, int | bytes]]:
    """Each field of the message ``data`` as (field number, wire type, value), in order.

    The value is an int for varints and fixed-width fields and the payload bytes for a
    length-delimited field. Raises ValueError where ``data`` stops being a well-formed
    message (field number 0, a group or unknown wire type, a field running past the end);
    the fields before that point have been yielded, so a lenient reader keeps them.
    """
    pos = 0
    end = len(data)
    while pos < end:
        key, pos = read_varint(data, pos)
        number, wire = key >> 3, key & 7
        if number == 0:
            raise ValueError("field number 0")
        if wire == VARINT:
            value, pos = read_varint(data, pos)
            yield number, wire, value
        elif wire == LENGTH_DELIMITED:
            length, pos = read_varint(data, pos)
            if pos + length > end:
                raise ValueError("a length-delimited field runs past the message")
            yield number, wire, data[pos:pos + length]
            pos += length
        elif wire in (FIXED64, FIXED32):
            width = 8 if wire == FIXED64 else 4
            if pos + width > end:
                raise ValueError("a fixed-width field runs past the message")
            yield number, wire, int.from_bytes(data[pos:pos + width], "little")
            pos += width
        else:
            raise ValueError(f"wire type {wire} (groups are not read)")


def length_delimited(data: bytes) -> list[tuple[int, bytes]] | None:
    """The length-delimited fields of ``data`` as (number, payload), or None when ``data``
    is not one whole well-formed message."""
    try:
        return [(number, value) for number, wire, value in fields(data)
                if wire == LENGTH_DELIMITED]  # type: ignore[misc]
    except ValueError:
        return None
