"""The text a picture carries beside its pixels: PNG text chunks, EXIF, XMP, comments, ICC.

A picture is read by OCR, which sees what the pixels show; what the file says of itself is
text too, and any editor or ``exiftool`` writes a memo there: a PNG ``tEXt``, ``zTXt`` or
``iTXt`` chunk (compressed ones inflated, before or after the image data), a JPEG comment
and every JPEG application segment (EXIF, XMP, the ICC profile, Photoshop's IPTC
captions, a vendor's own), WebP and HEIC EXIF and XMP, GIF comments, TIFF tags. Values
that are text are read as text by every rule; binary blocks (EXIF, ICC, maker notes) are
read as their text runs, as a file of unknown type is, without the personal-data rules
(a camera's serial numbers and counters are no identifiers).
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from PIL import Image

from filters.extract import strings
from filters.limits import Budget
from filters.types import NUMBER_RUNS_KEY, Part

MAX_CHUNKS = 4096  # PNG chunks walked per picture: every loop over a file's structure is bounded
MAX_TEXT_BYTES = 1 << 20  # a compressed text chunk is inflated to this much at most
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_TEXT = (b"tEXt", b"zTXt", b"iTXt")
_TEXT_TAGS = (270, 271, 272, 305, 315, 33432)  # TIFF description, make, model, software, artist, copyright


def _inflated(data: bytes) -> bytes:
    """``data`` inflated to MAX_TEXT_BYTES at most; what comes of a broken stream."""
    inflater = zlib.decompressobj()
    try:
        return inflater.decompress(data, MAX_TEXT_BYTES)
    except zlib.error:
        return b""


def _png_text(stream: BinaryIO) -> Iterator[str]:
    """The keyword and text of every text chunk of a PNG, wherever it stands."""
    stream.seek(0)
    if stream.read(8) != _PNG_SIGNATURE:
        return
    for _ in range(MAX_CHUNKS):
        head = stream.read(8)
        if len(head) < 8:
            return
        length, kind = struct.unpack(">I4s", head)
        if kind not in _PNG_TEXT:
            if kind == b"IEND":
                return
            stream.seek(length + 4, 1)  # the data and its CRC
            continue
        body = stream.read(min(length, MAX_TEXT_BYTES))
        stream.seek(length - len(body) + 4, 1)
        keyword, _, rest = body.partition(b"\0")
        if kind == b"tEXt":
            text = rest
        elif kind == b"zTXt":
            text = _inflated(rest[1:])
        else:  # iTXt: compression flag, method, language tag, translated keyword, text
            flag, rest = rest[:1], rest[2:]
            _language, _, rest = rest.partition(b"\0")
            translated, _, text = rest.partition(b"\0")
            text = translated + b"\n" + (_inflated(text) if flag == b"\1" else text)
        codec = "utf-8" if kind == b"iTXt" else "latin-1"
        yield keyword.decode("latin-1") + "\n" + text.decode(codec, "replace")


def _may_have_text(stream: BinaryIO) -> bool:
    """False when a PNG in memory holds no text chunk's type anywhere (found at memory
    speed, in the bytes BytesIO shares with the part); its chunks are then not walked one
    by one. A file on disk is walked."""
    if not isinstance(stream, io.BytesIO):
        return True
    data = stream.getvalue()
    return any(kind in data for kind in _PNG_TEXT)


def _values(value: object) -> Iterator[str | bytes]:
    """The strings and byte blocks in one metadata value (a dict or tuple walked)."""
    if isinstance(value, str | bytes):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _values(item)
    elif isinstance(value, tuple | list):
        for item in value[:64]:
            if isinstance(item, str | bytes):
                yield item


def texts(image: Image.Image, stream: BinaryIO) -> tuple[list[str], list[bytes]]:
    """The text values of ``image``'s metadata, and its binary blocks to search for runs."""
    text: list[str] = []
    blocks: list[bytes] = []
    if image.format == "PNG" and _may_have_text(stream):
        text.extend(_png_text(stream))
    for key, value in image.info.items():
        if image.format == "PNG" and isinstance(value, str):
            continue  # a text chunk, read above (also those after the image data)
        for item in _values(value):
            if isinstance(item, str):
                text.append(f"{key}\n{item}")
            elif item:
                blocks.append(item)
    # Every JPEG application segment: EXIF, XMP, ICC, IPTC, and any vendor's own.
    blocks.extend(data for _marker, data in getattr(image, "applist", ()))
    tags = getattr(image, "tag_v2", None)
    if tags is not None:  # TIFF: the text tags of the first page, other tags as blocks
        for tag, value in list(tags.items())[:MAX_CHUNKS]:
            for item in _values(value):
                if isinstance(item, str) or tag in _TEXT_TAGS:
                    text.append(item if isinstance(item, str) else item.decode("latin-1"))
                elif len(item) >= 4:
                    blocks.append(item)
    return text, blocks


def extract(part: Part, budget: Budget, image: Image.Image, stream: BinaryIO,
            min_chars: int = 4) -> Iterator[Part]:
    """The ``#metadata`` text part of ``image`` (text values, then the runs of its binary
    blocks under ``NUMBER_RUNS_KEY``) when it carries any."""
    text, blocks = texts(image, stream)
    if text:
        yield budget.child(part, "#metadata", text="\n".join(text), role="property")
    runs = [run for block in blocks for run in strings.text_runs(block, min_chars)]
    if runs:
        yield budget.child(part, "#metadata-runs", text="\n".join(runs), role="body",
                           meta={strings.TEXT_RUNS_KEY: "1", NUMBER_RUNS_KEY: "1"})
