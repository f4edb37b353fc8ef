"""S/MIME and CMS (PKCS #7): the content signed or compressed inside is one child part.

Outlook and other clients send signed mail as ``application/pkcs7-mime;
smime-type=signed-data`` (``smime.p7m``): a CMS ContentInfo holding SignedData whose
encapsulated content is the real MIME entity (RFC 8551 section 3.5.2). Only signing
wraps it; the content is there to read. So does compression (``smime-type=
compressed-data``, ``smime.p7z``, RFC 3274: CompressedData, the entity as a zlib
stream), inflated under the limits. Enveloped (encrypted) and authenticated-enveloped
data cannot be opened, and neither can bytes that do not parse: those are held as
``extract.encrypted`` (fail closed), here and by the opaque engine.
"""

from __future__ import annotations

import binascii
import io
import mimetypes
import posixpath
import re
import zlib
from collections.abc import Iterator
from pathlib import Path

from asn1crypto import cms, core, pem

from filters.errors import EncryptedContent, UnparseableContent
from filters.limits import Budget
from filters.types import Defect, Part

# What filters.detect reports: RFC 8551 section 3.2 names a detached signature
# application/pkcs7-signature and every other CMS object application/pkcs7-mime.
CMS_TYPE = "application/pkcs7-mime"
SIGNATURE_TYPE = "application/pkcs7-signature"
SIGNED = "signed_data"
COMPRESSED = "compressed_data"
OPENED = frozenset({SIGNED, COMPRESSED})  # the kinds whose content Redline reads
HEAD_BYTES = 512  # enough for a PEM line and the base64 of the ContentInfo's first bytes
CONTENT_LABEL = "smime-content"

# Armour labels of CMS / PKCS #7 in PEM (RFC 7468 section 9 and what OpenSSL writes).
_PEM_LABELS = (b"PKCS7", b"CMS", b"PKCS #7 SIGNED DATA")
_BASE64_RUN = re.compile(rb"[A-Za-z0-9+/\s]{24,600}")
# A MIME entity starts with a header field (RFC 8551 section 3.1: the signed content is
# one); a signed file such as a CAdES ``contract.pdf.p7m`` starts with the file itself.
_MIME_ENTITY = re.compile(
    rb"\s*(?:content-[a-z-]+|mime-version|from|to|subject|date|received|message-id)[ \t]*:",
    re.IGNORECASE,
)
_WORDS = {
    "data": "data",
    "signed_data": "signed data",
    "enveloped_data": "enveloped data, encrypted for its recipients",
    "signed_and_enveloped_data": "signed and enveloped data, encrypted for its recipients",
    "digested_data": "digested data",
    "encrypted_data": "encrypted data",
    "authenticated_data": "authenticated data",
    "compressed_data": "compressed data",
    "authenticated_enveloped_data": "authenticated-enveloped data, encrypted for its recipients",
}


def _base64_head(text: bytes) -> bytes:
    """The bytes decoded from the leading base64 run of ``text`` (b'' when there is none)."""
    run = _BASE64_RUN.match(text)
    if run is None:
        return b""
    clean = run.group().translate(None, b" \t\r\n")
    try:
        return binascii.a2b_base64(clean[: len(clean) // 4 * 4])
    except binascii.Error:
        return b""


def _der_head(head: bytes) -> bytes:
    """The leading DER/BER bytes of ``head``: as they are, or decoded from PEM or base64."""
    if head[:1] == b"\x30":
        return head
    text = head.lstrip()
    if text.startswith(b"-----BEGIN "):
        line, _, rest = text.partition(b"\n")
        if line.strip()[len(b"-----BEGIN "):-len(b"-----")] not in _PEM_LABELS:
            return b""
        return _base64_head(rest)
    # Bare base64 of a SEQUENCE with a long or indefinite length starts "MI".
    if text.startswith(b"MI"):
        return _base64_head(text)
    return b""


def content_type(head: bytes) -> str | None:
    """The CMS contentType at the start of ``head`` ('signed_data' …), or None if not CMS.

    Reads only ContentInfo ::= SEQUENCE { contentType OBJECT IDENTIFIER, … } (RFC 5652
    section 3), so it works on the first bytes of a large part, in DER, BER (indefinite
    length, as streaming signers write it), PEM or bare base64.
    """
    der = _der_head(head)
    if len(der) < 4 or der[0] != 0x30:
        return None
    first = der[1]
    if first == 0x80 or first < 0x80:  # indefinite (BER) or short-form length
        pos = 2
    elif first <= 0x84:
        pos = 2 + (first - 0x80)
    else:
        return None
    if der[pos : pos + 1] != b"\x06" or pos + 2 > len(der):
        return None
    length = der[pos + 1]
    end = pos + 2 + length
    if length >= 0x80 or end > len(der):
        return None
    try:
        dotted = core.ObjectIdentifier.load(der[pos:end]).dotted
    except ValueError:
        return None
    name = cms.ContentType.map(dotted)
    return name if name in _WORDS else None


def _header(der: bytes, pos: int) -> tuple[int, int | None, int] | None:
    """(tag, length or None when indefinite, offset of the contents) of the TLV at ``pos``."""
    if pos + 2 > len(der) or der[pos] & 0x1F == 0x1F:  # no high tag numbers in CMS here
        return None
    first = der[pos + 1]
    if first < 0x80:
        return der[pos], first, pos + 2
    if first == 0x80:
        return der[pos], None, pos + 2
    count = first - 0x80
    if count > 4 or pos + 2 + count > len(der):
        return None
    return der[pos], int.from_bytes(der[pos + 2 : pos + 2 + count], "big"), pos + 2 + count


# ContentInfo SEQUENCE, contentType OID, [0] EXPLICIT, SignedData SEQUENCE, version
# INTEGER, digestAlgorithms SET, encapContentInfo SEQUENCE (RFC 5652 sections 3 and 5.1),
# and whether the walk enters the element (True) or steps over it.
_TO_ENCAPSULATED = ((0x30, True), (0x06, False), (0xA0, True), (0x30, True), (0x02, False),
                    (0x31, False), (0x30, True))


def _is_detached(der: bytes) -> bool:
    """True when signed data at the start of ``der`` has no eContent (a detached signature)."""
    pos, encapsulated = 0, (0, None)
    for tag, enter in _TO_ENCAPSULATED:
        header = _header(der, pos)
        if header is None or header[0] != tag:
            return False
        _tag, length, start = header
        if enter:
            pos, encapsulated = start, (start, length)
        elif length is None:
            return False
        else:
            pos = start + length
    oid = _header(der, pos)
    if oid is None or oid[0] != 0x06 or oid[1] is None:
        return False
    after = oid[2] + oid[1]
    start, length = encapsulated
    if length is None:
        return der[after : after + 2] == b"\0\0"  # end-of-contents right after eContentType
    return after == start + length


def detected_type(head: bytes) -> str | None:
    """The MIME type of CMS content at the start of ``head``, or None when it is not CMS."""
    kind = content_type(head)
    if kind is None:
        return None
    if kind == SIGNED and _is_detached(_der_head(head)):
        return SIGNATURE_TYPE
    return CMS_TYPE


def unopenable_reason(part: Part, kind: str) -> str:
    """Why a CMS part of contentType ``kind`` is held (shared with the opaque engine)."""
    return (f"{part.name or 'part'} is S/MIME {_WORDS.get(kind, kind)}, "
            "so its content cannot be inspected")


def _der(data: bytes) -> bytes:
    """The part's bytes as DER/BER, undoing PEM armour or bare base64."""
    text = data.lstrip()
    if text.startswith(b"-----BEGIN "):
        return pem.unarmor(text)[2]
    if text.startswith(b"MI"):
        return binascii.a2b_base64(text.translate(None, b" \t\r\n"))
    return data


def _inner_name(part: Part) -> str:
    """The signed file's name: ``contract.pdf.p7m`` holds ``contract.pdf``."""
    name = posixpath.basename(part.name.replace("\\", "/"))
    stem, dot, suffix = name.rpartition(".")
    if dot and stem and suffix.lower() in ("p7m", "p7s") and stem.lower() != "smime":
        return stem
    return ""


def extract(part: Part, budget: Budget) -> Iterator[Part | Defect]:
    """The encapsulated content of opaque-signed or compressed data as one child part."""
    kind = content_type(part.head(HEAD_BYTES))
    if kind not in OPENED:
        # The opaque engine holds the same part with the same words (the hits merge).
        raise EncryptedContent(unopenable_reason(part, kind or "data that does not parse"))
    data = budget.read_part(part)
    budget.check_time()
    words = "signed" if kind == SIGNED else "compressed"
    try:
        wrapped = cms.ContentInfo.load(_der(data))["content"]
        encapsulated = wrapped["encap_content_info"]
        inner_kind = encapsulated["content_type"].native
        content = encapsulated["content"].native
        algorithm = wrapped["compression_algorithm"]["algorithm"].dotted if kind == COMPRESSED else ""
    except (ValueError, TypeError, KeyError, binascii.Error) as exc:
        raise EncryptedContent(
            f"{part.name or 'part'} claims to be S/MIME {words} data but does not parse "
            f"({exc}); it may be encrypted, so it is held") from exc
    if content is None:
        if kind == COMPRESSED:
            raise EncryptedContent(f"{part.name or 'part'} is S/MIME compressed data with no "
                                   "content inside, so what it compressed cannot be inspected")
        return  # a detached signature: the signed content travels beside it
    if inner_kind != "data" or not isinstance(content, bytes):
        # CMS lets signed data wrap another CMS structure (RFC 5652 section 5.2), such as
        # enveloped data when a client encrypts and then signs.
        raise EncryptedContent(unopenable_reason(part, str(inner_kind)) + f" (inside {words} data)")
    if kind == COMPRESSED:
        if algorithm != ZLIB:
            raise UnparseableContent(f"{part.name or 'part'} is S/MIME compressed data in an "
                                     f"algorithm Redline does not read ({algorithm})")
        content, spool = _inflated(part, content, budget)
    else:
        content, spool = budget.collect((content,), what=f"{part.name or 'S/MIME'} signed content")
    head = content[:256] if spool is None else _file_head(spool)
    is_mime = _MIME_ENTITY.match(head) is not None
    name = "" if is_mime else _inner_name(part)
    declared = "message/rfc822" if is_mime else (mimetypes.guess_type(name)[0] or "")
    yield budget.child(part, CONTENT_LABEL, data=content, path=spool, name=name,
                       declared_type=declared)


# RFC 3274 section 2: id-alg-zlibCompress, the one algorithm S/MIME defines.
ZLIB = "1.2.840.113549.1.9.16.3.8"


def _inflated(part: Part, packed: bytes, budget: Budget) -> tuple[bytes, Path | None]:
    """The zlib stream of CompressedData inflated under the size, ratio and time limits."""
    from filters.extract.zlib import inflate_chunks

    try:
        return budget.collect(inflate_chunks(io.BytesIO(packed)), compressed_size=len(packed),
                              what=f"{part.name or 'S/MIME'} compressed content")
    except (zlib.error, EOFError) as exc:
        raise UnparseableContent(
            f"{part.name or 'part'} is S/MIME compressed data whose zlib stream is damaged "
            f"({exc})") from exc


def _file_head(path: Path) -> bytes:
    with path.open("rb") as f:
        return f.read(256)
