"""BinHex 4.0 (application/mac-binhex40, RFC 1741): classic Mac OS attachments, both forks.

Eudora and the old Mac mailers sent files this way. The 6-bit text is mapped onto the
base64 alphabet and decoded by binascii, the 0x90 run-length coding is undone under the
part size limit, and the data fork (and a resource fork, when there is one) become
content parts named after the Mac file.
"""

from __future__ import annotations

import binascii
from collections.abc import Iterator

from filters.errors import LimitReached, UnparseableContent
from filters.limits import Budget
from filters.types import Defect, Part

BANNER = b"(This file must be converted with BinHex"
ALPHABET = b"!\"#$%&'()*+,-012345689@ABCDEFGHIJKLMNPQRSTUVXYZ[`abcdefhijklmpqr"
_TO_BASE64 = bytes.maketrans(
    ALPHABET, b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
_RUN = 0x90  # run-length marker: 0x90 n repeats the previous byte n-1 more times; 0x90 0 is 0x90
_HEADER_FIXED = 1 + 4 + 4 + 2 + 4 + 4  # version, type, creator, flags, data and resource lengths


def extract(part: Part, budget: Budget) -> Iterator[Part | Defect]:
    """The data fork and any resource fork of a BinHex 4.0 file."""
    stream = _expand(_decode(budget.read_part(part)), budget)
    name_length = stream[0] if stream else 0
    fixed = 1 + name_length + _HEADER_FIXED
    if len(stream) < fixed + 2:
        raise UnparseableContent("BinHex header is cut off; the file was not inspected")
    name = stream[1:1 + name_length].decode("mac_roman")
    position = 1 + name_length + 1 + 4 + 4 + 2
    data_length = int.from_bytes(stream[position:position + 4], "big")
    resource_length = int.from_bytes(stream[position + 4:position + 8], "big")
    if binascii.crc_hqx(stream[:fixed], 0) != int.from_bytes(stream[fixed:fixed + 2], "big"):
        yield Defect("binhex.crc", "low", "BinHex header checksum is wrong; the file was read anyway")
    position = fixed + 2
    label = "".join(c for c in name.replace("/", ":") if c.isprintable()) or "data fork"
    for fork, length, suffix in ((label, data_length, ""), (label, resource_length, "#resource")):
        if suffix and not length:
            break
        content = stream[position:position + length]
        checksum = stream[position + length:position + length + 2]
        position += length + 2
        if len(content) < length or len(checksum) < 2:
            yield Defect("binhex.truncated", "medium",
                         f"BinHex {'resource' if suffix else 'data'} fork is cut off: "
                         "content may be missing", part.child_origin(fork + suffix))
        elif binascii.crc_hqx(content, 0) != int.from_bytes(checksum, "big"):
            yield Defect("binhex.crc", "low", "BinHex fork checksum is wrong; it was read anyway",
                         part.child_origin(fork + suffix))
        data, path = budget.collect((content,), what=fork + suffix)
        yield budget.child(part, fork + suffix, data=data, path=path,
                           name=name if not suffix else f"{name}.rsrc")


def _decode(text: bytes) -> bytes:
    """The bytes between the ':' markers, decoded from BinHex's 6-bit alphabet."""
    banner = text.find(BANNER)
    start = text.find(b":", banner + len(BANNER) if banner >= 0 else 0)
    if start < 0:
        raise UnparseableContent("no BinHex data (no ':' start marker); not inspected")
    end = text.find(b":", start + 1)
    if end < 0:
        raise UnparseableContent("BinHex data has no closing ':': it was cut off; not inspected")
    encoded = b"".join(text[start + 1:end].split())
    if encoded.translate(None, ALPHABET):
        raise UnparseableContent("BinHex data holds characters outside its alphabet; not inspected")
    encoded = encoded.translate(_TO_BASE64)
    if len(encoded) % 4 == 1:
        encoded = encoded[:-1]  # the last character's bits do not make a whole byte
    return binascii.a2b_base64(encoded + b"=" * (-len(encoded) % 4))


def _expand(data: bytes, budget: Budget) -> bytes:
    """Undo the 0x90 run-length coding, never past the part size limit (a run bomb)."""
    if _RUN not in data:
        return data
    limit = budget.limits.max_part_bytes
    out = bytearray()
    position = 0
    while True:
        marker = data.find(_RUN, position)
        if marker < 0 or marker + 1 >= len(data):
            out += data[position:]
            break
        out += data[position:marker]
        count = data[marker + 1]
        position = marker + 2
        if count == 0:
            out.append(_RUN)
        elif out:
            out += out[-1:] * (count - 1)
        if len(out) > limit:
            raise LimitReached("max_part_bytes", f"BinHex data expands beyond {limit} bytes")
        if len(out) & 0xFFFF < 256:
            budget.check_time()
    return bytes(out)
