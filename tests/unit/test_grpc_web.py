"""grpc-web frames and protobuf messages read without a schema (pure functions)."""

from __future__ import annotations

import base64
import gzip
import struct

import pytest

from gateway.web.grpc_web import messages, values


def varint(n: int) -> bytes:
    out = bytearray()
    while True:
        out.append((n & 0x7F) | (0x80 if n > 0x7F else 0))
        n >>= 7
        if not n:
            return bytes(out)


def field(number: int, payload: bytes) -> bytes:
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def frame(message: bytes, flag: int = 0) -> bytes:
    return bytes([flag]) + struct.pack(">I", len(message)) + message


PDF = b"%PDF-1.4\n\x00\x01\x02binary"
MESSAGE = (varint(1 << 3) + varint(300)  # a number: nothing to read
           + field(2, "机密\n行动计划".encode()) + field(3, field(1, b"nested text") + field(2, PDF)))


def test_a_message_gives_its_text_nested_text_and_bytes():
    found = list(values(MESSAGE))
    assert [(v.path, v.text) for v in found if v.text] == [("2", "机密\n行动计划"),
                                                          ("3.1", "nested text")]
    assert [(v.path, v.data) for v in found if v.data] == [("3.2", PDF)]


def test_binary_and_text_frames_and_trailers():
    body = frame(MESSAGE) + frame(field(1, b"second")) + frame(b"grpc-status: 0\r\n", 0x80)
    assert messages(body, "application/grpc-web+proto") == [MESSAGE, field(1, b"second")]
    # grpc-web-text may arrive as several padded base64 chunks.
    text = base64.b64encode(frame(MESSAGE)) + b"\r\n" + base64.b64encode(frame(field(1, b"x")))
    assert messages(text, "application/grpc-web-text") == [MESSAGE, field(1, b"x")]


def test_a_compressed_frame_is_decompressed_with_the_grpc_encoding():
    body = frame(gzip.compress(MESSAGE), flag=1)
    assert messages(body, "application/grpc-web", "gzip") == [MESSAGE]
    with pytest.raises(ValueError, match="snappy"):
        messages(body, "application/grpc-web", "snappy")


@pytest.mark.parametrize("body,error", [
    (frame(MESSAGE)[:-3], "claims"), (b"\x00\x00", "cut short")])
def test_broken_frames_say_what_is_wrong(body, error):
    with pytest.raises(ValueError, match=error):
        messages(body, "application/grpc-web")


def test_what_is_not_protobuf_is_refused():
    with pytest.raises(ValueError):
        list(values(b"\x07not protobuf"))
