"""LibreOffice's compressed object streams ("SVRLE2"): the drawing a gallery theme keeps.

A gallery theme's .sdv file is a compound file whose streams (dd2000, dd2001 …) each
hold one object: the tag ``SVRLE2``, the size of the content (32-bit, little-endian),
the size of what follows, then a zlib stream of the content (a flat OpenDocument drawing,
in LibreOffice 7). The content is one child part, typed and opened like any other. The
sizes must agree with the stream: bytes after the zlib stream or a content of another
size are held, never skipped.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator

from filters.errors import UnparseableContent
from filters.extract.compressed import decompressed_child
from filters.limits import CHUNK, Budget
from filters.types import Defect, Part

TAG = b"SVRLE2"
HEADER = 14  # the tag, the content's size, the packed size


def looks_like_starview(head: bytes) -> bool:
    """Whether ``head`` opens such a stream: the tag, then a zlib header after the sizes."""
    return (head.startswith(TAG) and len(head) > HEADER + 1
            and (head[HEADER] & 0x0F) == 8 and (head[HEADER] << 8 | head[HEADER + 1]) % 31 == 0)


def extract(part: Part, budget: Budget) -> Iterator[Part | Defect]:
    """The inflated content as one child part."""
    data = budget.read_part(part)
    if not looks_like_starview(data):
        raise UnparseableContent("not a LibreOffice compressed object stream")
    size, packed = struct.unpack_from("<II", data, len(TAG))
    if packed != len(data) - HEADER:
        raise UnparseableContent(
            f"object stream says {packed} packed bytes follow its header, {len(data) - HEADER} do")
    def chunks() -> Iterator[bytes]:
        inflater = zlib.decompressobj()
        made = 0
        packed_data = data[HEADER:]
        while packed_data and not inflater.eof:
            out = inflater.decompress(packed_data, CHUNK)
            packed_data = inflater.unconsumed_tail
            made += len(out)
            if out:
                yield out
            elif not packed_data:
                break
        if not inflater.eof:
            raise EOFError("object stream ends before its zlib end mark")
        if inflater.unused_data or made != size:
            raise UnparseableContent(
                f"object stream inflates to {made} bytes (declared {size}) with "
                f"{len(inflater.unused_data)} bytes after its end")

    yield from decompressed_child(part, budget, "starview", "", chunks(), errors=(zlib.error,))
