"""Private keys that are published: test keys printed in RFCs and the example keys that
software distributions ship in their documentation; and the certificates of this machine's
trust stores (``published_certificate``).

Such a key protects nothing (anyone can read it in the RFC or the package), so sending one
is no leak; every other private key is one. A key is recognised only by a digest of the
key itself, so no unpublished key, whatever the text around it says ("example", "test", a
documentation folder), can pass as published. The list is ``published_keys.tsv`` beside
this module, one key a line with where it is published:

- ``spki HEX``: SHA-256 of the key's public half (DER SubjectPublicKeyInfo), the digest
  RFC 9500 users and lists of known-compromised keys publish; one line covers the key in
  every encoding (PKCS #1, SEC 1, PKCS #8);
- ``pem HEX``: SHA-256 of the decoded body of an encrypted PEM block, whose public half
  cannot be read without its passphrase.

Hits of a YARA rule whose meta says ``published_keys = true`` on a part whose every PEM
private key is in the list are reported, not held (``PartKeys.hit``, which reads the part
once however many such rules matched it).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import replace
from functools import cache
from pathlib import Path

from filters.types import Hit, Part

TABLE = Path(__file__).with_name("published_keys.tsv")
# A PEM private key block: its BEGIN line, optional RFC 1421 headers (an encrypted legacy
# key's Proc-Type and DEK-Info), the base64 body, its END line. Quoted or indented copies
# (a key inside a Perl heredoc or a string) are read line by line alike.
_BLOCK = re.compile(r"-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY)-----(.*?)-----END \1-----", re.DOTALL)
_BEGIN = re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----")
_HEADER = re.compile(r"^[A-Za-z-]+:.*$", re.MULTILINE)
_NOT_BASE64 = re.compile(r"[^A-Za-z0-9+/=]")


@cache
def published() -> frozenset[str]:
    """The published keys' digests, as ``spki HEX`` and ``pem HEX``."""
    out = set()
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, digest = line.split("\t")[:2]
            out.add(f"{kind.strip()} {digest.strip().lower()}")
    return frozenset(out)


def fingerprint(block: str) -> str | None:
    """``spki HEX`` of a PEM private key that opens without a passphrase, ``pem HEX`` of
    one that does not (its decoded body), None when the block is not a key at all."""
    match = _BLOCK.search(block)
    if match is None:
        return None
    kind, body = match.groups()
    # Imported here: only a part holding a key block needs it (27 ms of every start).
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization

    try:
        key = serialization.load_pem_private_key(
            f"-----BEGIN {kind}-----\n{body.strip()}\n-----END {kind}-----\n".encode(), None
        )
    except TypeError:  # encrypted: a passphrase is needed to read the public half
        pass
    except (ValueError, UnsupportedAlgorithm):
        return None
    else:
        spki = key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return f"spki {hashlib.sha256(spki).hexdigest()}"
    data = _NOT_BASE64.sub("", _HEADER.sub("", body))
    try:
        return f"pem {hashlib.sha256(base64.b64decode(data, validate=True)).hexdigest()}"
    except (binascii.Error, ValueError):
        return None


def only_published_keys(text: str) -> bool:
    """Whether ``text`` holds at least one PEM private key and every one is published.

    A BEGIN line without its block (cut short, garbled) counts as unpublished.
    """
    blocks = list(_BLOCK.finditer(text))
    if not blocks or len(blocks) != len(_BEGIN.findall(text)):
        return False
    known = published()
    return all(fingerprint(block.group(0)) in known for block in blocks)


READ_LIMIT = 1 << 20  # a key file is a few KiB; a larger part's keys are judged unpublished


class PartKeys:
    """Whether one part's keys are all published, worked out on the first ask: an engine
    asks once for each key rule that matched the part, so it keeps one of these per part
    it scans (nothing outlives the scan, nothing is shared between threads)."""

    def __init__(self, part: Part) -> None:
        self.part = part
        self._answer: bool | None = None

    def all_published(self) -> bool:
        """``part_keys_published(part)``, computed once."""
        if self._answer is None:
            self._answer = part_keys_published(self.part)
        return self._answer

    def hit(self, hit: Hit, published_keys: bool) -> Hit:
        """``hit`` of a rule on the part, as reported when the rule's meta says
        ``published_keys`` and every key in the part is published; else ``hit`` itself."""
        return as_published(hit) if published_keys and self.all_published() else hit


def part_keys_published(part: Part) -> bool:
    """Whether ``part`` holds PEM private keys and every one is published: its text, or
    for a content part its bytes read as Latin-1 (False above ``READ_LIMIT`` bytes)."""
    if part.text is not None:
        return only_published_keys(part.text)
    return part.size <= READ_LIMIT and only_published_keys(part.head(READ_LIMIT).decode("latin-1"))


def as_published(hit: Hit) -> Hit:
    """``hit`` reported, not held: the key it found is published, so no secret leaves."""
    return replace(
        hit,
        rule=f"{hit.rule}.published",
        severity="info",
        action=None,
        description="A private key that is published (an RFC's test key or a "
        "software distribution's example key, filters/published_keys.tsv): "
        "no secret, reported only.",
    )


# -- certificates of the trust stores -----------------------------------------------------
#
# A certificate bundle (ca-certificates.crt, certifi's cacert.pem) or a root copied out of
# one is public: every byte of it is in the operating system's or Python's trust store.
# A certificate is recognised only by the SHA-256 of its DER bytes, so no certificate made
# by someone else (a key or an extension chosen to carry a document) passes as published.

_CERTIFICATE = re.compile(r"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", re.DOTALL)


def _store_files() -> list[Path]:
    import ssl  # only where a certificate is met: importing it cost every start 3-4 ms

    paths = ssl.get_default_verify_paths()
    files = [Path(f) for f in (paths.cafile, paths.openssl_cafile) if f]
    from importlib.util import find_spec

    if find_spec("certifi") is not None:  # Python's own store, when installed
        import certifi

        files.append(Path(certifi.where()))
    return files


@cache
def published_certificates() -> frozenset[bytes]:
    """SHA-256 digests of the DER bytes of every certificate in this machine's trust stores
    (the system bundle OpenSSL reads, and certifi's when installed)."""
    out = set()
    for path in dict.fromkeys(p.resolve() for p in _store_files() if p.is_file()):
        text = path.read_text(encoding="ascii", errors="replace")
        for match in _CERTIFICATE.finditer(text):
            try:
                der = base64.b64decode(re.sub(r"\s+", "", match.group(1)), validate=True)
            except (binascii.Error, ValueError):
                continue
            out.add(hashlib.sha256(der).digest())
    return frozenset(out)


def published_certificate(der: bytes) -> bool:
    """Whether ``der`` is a certificate of this machine's trust stores."""
    return hashlib.sha256(der).digest() in published_certificates()
