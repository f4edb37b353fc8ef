"""A compressed stream without its header: raw deflate, raw LZMA2 or LZMA, undone.

``zlib.compress(data)[2:-4]``, PHP's ``gzdeflate``, .NET's ``DeflateStream``, a zip member
cut out of its archive, ``xz --format=raw``: no signature says what the bytes are. Longer
than the judge of unreadable bytes reads (256 bytes), such a stream is held as compressed
content; a memo of a few lines packs into fewer, compresses no further, and yields no text
run, so it passed. A file of unknown type that decodes as one of these streams from its
first byte to its last (a few stray bytes after the end allowed), into text or a file
with its signature, is read as what it decodes to; random bytes rarely decode at all, and
never to text.
"""

from __future__ import annotations

import lzma
import zlib

from filters.dump_content import says_what_it_is

SAMPLE_BYTES = 64 * 1024  # a stream is judged by what its first bytes decode to
MAX_OUTPUT = 64 * 1024 * 1024  # decoded at most this much
MAX_TRAILING = 8  # bytes after the stream's end (a checksum, padding)
MAX_PREFIX = 16  # bytes before a deflate stream's start (a zlib header, a frame header)
_RAW_LZMA = (("raw-lzma2", [{"id": lzma.FILTER_LZMA2}]), ("raw-lzma", [{"id": lzma.FILTER_LZMA1}]))


def _inflated(data: bytes, limit: int) -> bytes | None:
    inflater = zlib.decompressobj(-15)
    try:
        out = inflater.decompress(data, limit)
    except zlib.error:
        return None
    if not inflater.eof or len(inflater.unused_data) > MAX_TRAILING:
        return None
    return out


def _unpacked(data: bytes, filters: list[dict], limit: int) -> bytes | None:
    decoder = lzma.LZMADecompressor(lzma.FORMAT_RAW, filters=filters)
    try:
        out = decoder.decompress(data, limit)
    except lzma.LZMAError:
        return None
    # LZMA1 has no end marker of its own when its size is known elsewhere: all bytes used.
    if len(decoder.unused_data) > MAX_TRAILING or (not decoder.eof and not decoder.needs_input):
        return None
    return out


def decoded(data: bytes) -> tuple[str, bytes] | None:
    """The name and bytes of the headerless stream ``data`` is (the whole of a part of
    unknown type, at most MAX_OUTPUT decoded), when it decodes to text or a known file.

    A deflate stream may start a few bytes in (at most MAX_PREFIX): a zlib header, or the
    two to four bytes of a sync word or frame header that make libmagic name the part a
    sound (filters/media/), before it."""
    if len(data) < 8:
        return None
    deflate = [("raw-deflate", lambda limit, at=at: _inflated(data[at:], limit))
               for at in range(min(MAX_PREFIX, len(data) - 8) + 1)]
    for name, decode in (*deflate, *((name, lambda limit, f=filters: _unpacked(data, f, limit))
                                     for name, filters in _RAW_LZMA)):
        head = decode(SAMPLE_BYTES)
        if head and says_what_it_is(head):
            whole = decode(MAX_OUTPUT) if len(head) >= SAMPLE_BYTES else head
            if whole:
                return name, whole
    return None
