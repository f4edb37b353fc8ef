"""grpc-web and protobuf request bodies: frames unpacked, messages read without a schema.

A grpc-web body (``application/grpc-web``, ``+proto``) is a series of frames: one flag
byte (0x00 a message, 0x01 the same compressed with the ``grpc-encoding``, 0x80 trailers)
and a four-byte big-endian length. ``application/grpc-web-text`` is the same bytes in
base64, possibly as several padded chunks one after another (PROTOCOL-WEB.md). A plain
``application/x-protobuf`` body is one message.

With no schema, a message is read by its wire format: each length-delimited field is
text when it is UTF-8 text, else a nested message when it parses as one, else bytes
(a file inside a message) for the pipeline to type and extract. Numbers carry nothing
to inspect and are skipped. Anything that does not parse is left to the caller, who
inspects the body as bytes.
"""

from __future__ import annotations

import base64
import gzip
import re
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from filters.protobuf_wire import length_delimited

GRPC_WEB_MEDIA = frozenset({"application/grpc-web", "application/grpc-web+proto"})
GRPC_WEB_TEXT_MEDIA = frozenset({"application/grpc-web-text", "application/grpc-web-text+proto"})
PROTOBUF_MEDIA = frozenset({"application/x-protobuf", "application/protobuf",
                            "application/vnd.google.protobuf", "application/x-google-protobuf"})
MAX_DEPTH = 16
MAX_VALUES = 10_000
MAX_MESSAGE_BYTES = 64 * 1024 * 1024
_BASE64_CHUNK = re.compile(rb"[A-Za-z0-9+/]+={0,2}")


@dataclass(frozen=True, slots=True)
class Value:
    """One length-delimited value: its field path (``2.1``), and its text or its bytes."""

    path: str
    text: str | None = None
    data: bytes | None = None


def is_grpc_media(media: str) -> bool:
    """Whether ``media`` (lower-case, no parameters) is read by this module."""
    return media in GRPC_WEB_MEDIA or media in GRPC_WEB_TEXT_MEDIA or media in PROTOBUF_MEDIA


def messages(body: bytes, media: str, encoding: str = "") -> list[bytes]:
    """The messages of a grpc-web or protobuf body; ValueError says what is wrong.

    ``encoding``: the ``grpc-encoding`` request header (gzip, deflate) for compressed frames.
    """
    if media in PROTOBUF_MEDIA:
        return [body]
    if media in GRPC_WEB_TEXT_MEDIA:
        body = b"".join(base64.b64decode(chunk + b"=" * (-len(chunk) % 4))
                        for chunk in _BASE64_CHUNK.findall(b"".join(body.split())))
    out: list[bytes] = []
    offset = 0
    while offset < len(body):
        if len(body) - offset < 5:
            raise ValueError(f"grpc-web frame header cut short at byte {offset}")
        flag = body[offset]
        (length,) = struct.unpack_from(">I", body, offset + 1)
        start, offset = offset + 5, offset + 5 + length
        if offset > len(body):
            raise ValueError(f"grpc-web frame at byte {start - 5} claims {length} bytes; "
                             f"{len(body) - start} follow")
        if flag & 0x80:
            continue  # trailers (a response's; a client does not send them)
        message = body[start:offset]
        if flag & 0x01:
            message = _decompress(message, encoding)
        out.append(message)
    return out


def _decompress(message: bytes, encoding: str) -> bytes:
    encoding = encoding.strip().lower()
    try:
        if encoding == "gzip":
            return gzip.decompress(message)[:MAX_MESSAGE_BYTES]
        if encoding == "deflate":
            return zlib.decompressobj().decompress(message, MAX_MESSAGE_BYTES)
    except (OSError, zlib.error, EOFError) as exc:
        raise ValueError(f"grpc-web frame does not decompress as {encoding}: {exc}") from None
    raise ValueError(f"grpc-web frame compressed with {encoding or 'no named'} grpc-encoding, "
                     "which Redline cannot decode")


def values(message: bytes, prefix: str = "") -> Iterator[Value]:
    """The text and bytes values of a protobuf ``message`` read without its schema.

    Raises ValueError when ``message`` is not in protobuf wire format at all.
    """
    fields = length_delimited(message)
    if fields is None:
        raise ValueError("not a protobuf message")
    count = 0
    stack = [(prefix, fields, 0)]
    while stack and count < MAX_VALUES:
        path, fields, depth = stack.pop()
        pending = []
        for number, payload in fields:
            count += 1
            here = f"{path}.{number}" if path else str(number)
            text = _text(payload)
            if text is not None:
                yield Value(here, text=text)
                continue
            nested = length_delimited(payload) if depth < MAX_DEPTH else None
            if nested:
                pending.append((here, nested, depth + 1))
            elif payload:
                yield Value(here, data=payload)
        stack.extend(reversed(pending))


def _text(payload: bytes) -> str | None:
    """``payload`` as text when it is UTF-8 with no control characters but line breaks."""
    if not payload:
        return None
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if any(ch < " " and ch not in "\t\r\n" for ch in text) or "\x7f" in text:
        return None
    return text
