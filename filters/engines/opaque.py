"""Opaque-content engine: encrypted or incompressible content that no extractor can open.

Encrypted mail and files (PGP, S/MIME, OpenSSL, age) cannot be inspected, and neither
can a blob of unknown type whose bytes look random — the usual shape of an encrypted
container. Both are held (fail closed) rather than waved through as "binary".
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable

from filters import embedded
from filters.types import Hit, Part

SAMPLE = 64 * 1024
MIN_OPAQUE_BYTES = 1024  # below this a random-looking blob is too small to carry a document
INCOMPRESSIBLE = 0.98  # zlib output / input at or above this: random-looking bytes

_ENCRYPTED_TYPES = {
    "application/pgp-encrypted", "application/pkcs7-mime", "application/x-pkcs7-mime",
    "application/pkcs7-encrypted", "multipart/encrypted", *embedded.ARMOURED_TYPES.values(),
}
_PKCS7_TYPES = {"application/pkcs7-mime", "application/x-pkcs7-mime", "application/pkcs7-encrypted"}
# Leading bytes of encryption formats libmagic reports as plain octet-stream.
_SIGNATURES = (
    (b"Salted__", "an OpenSSL-encrypted file"),
    (b"age-encryption.org/v1", "an age-encrypted file"),
    (b"-----BEGIN AGE ENCRYPTED FILE-----", "an age-encrypted file"),
    (b"-----BEGIN PGP MESSAGE-----", "a PGP-encrypted message"),
)
# OpenPGP packet tags that start an encrypted message: public-key (1) or symmetric-key
# (3) session key, old or new packet format.
_OPENPGP_FIRST = {0x84, 0x85, 0x86, 0x87, 0x8C, 0x8D, 0x8E, 0x8F, 0xC1, 0xC3}


def _hit(part: Part, rule: str, reason: str, severity: str = "high") -> Hit:
    description = ("Encrypted content cannot be inspected." if rule == "extract.encrypted" else
                   "Content of unknown type that looks random, as encrypted data does; "
                   "it cannot be inspected.")
    return Hit(rule=rule, category="policy", severity=severity, where=part.origin,
               excerpt=reason, description=description)


class OpaqueEngine:
    """Flags encrypted content and random-looking blobs of unknown type."""

    def scan(self, part: Part) -> Iterable[Hit]:
        """A policy hit when ``part`` is encrypted or opaque."""
        if part.is_text:
            return ()
        declared = part.declared_type.lower()
        detected = part.detected_type
        if detected in _ENCRYPTED_TYPES or declared in _ENCRYPTED_TYPES:
            if detected in _PKCS7_TYPES or declared in _PKCS7_TYPES:
                # Decided by the contentType in the bytes, never by the sender's smime-type:
                # signed and compressed data are opened by filters/extract/smime.py, all
                # else is held.
                from filters.extract import smime  # asn1crypto: loaded when CMS is met

                cms_kind = smime.content_type(part.head(smime.HEAD_BYTES))
                if cms_kind in smime.OPENED:
                    return ()
                if cms_kind is not None:
                    return [_hit(part, "extract.encrypted", smime.unopenable_reason(part, cms_kind))]
            kind = detected if detected in _ENCRYPTED_TYPES else declared
            return [_hit(part, "extract.encrypted", f"{part.name or 'part'} is encrypted ({kind})")]
        if detected != "application/octet-stream" or embedded.small_embedded(part) or embedded.figures(part):
            return ()  # a short decoded base64 value (key, signature, token) is not a document
        head = part.head(SAMPLE)
        for signature, what in _SIGNATURES:
            if head.startswith(signature):
                return [_hit(part, "extract.encrypted", f"{part.name or 'part'} is {what}")]
        if len(head) < MIN_OPAQUE_BYTES:
            return ()
        ratio = len(zlib.compress(head, 1)) / len(head)
        if ratio >= INCOMPRESSIBLE:
            what = "an OpenPGP message" if head[0] in _OPENPGP_FIRST else "data of unknown type"
            return [_hit(part, "filetype.opaque", f"{part.name or 'part'} is {what} that looks "
                         "random (encrypted or compressed), so its content cannot be inspected",
                         severity="medium")]
        return ()
