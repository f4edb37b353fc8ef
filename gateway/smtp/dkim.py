"""DKIM signing of outbound mail with per-domain keys (rsa-sha256 and ed25519-sha256, dkimpy).

Keys live in one directory as ``DOMAIN/SELECTOR.rsa.pem`` (PKCS#1 PEM) or
``DOMAIN/SELECTOR.ed25519`` (base64 of the 32-byte seed, as dkimpy expects);
``redline dkim keygen DOMAIN SELECTOR`` writes one and prints its DNS TXT record. A
domain with both kinds is signed twice (RFC 8463 recommends dual signatures).
"""

from __future__ import annotations

import base64
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import dkim

from filters.errors import RedlineError

log = logging.getLogger("redline.dkim")

_SUFFIXES = {".rsa.pem": "rsa", ".ed25519": "ed25519"}
_ALGORITHMS = {"rsa": b"rsa-sha256", "ed25519": b"ed25519-sha256"}


class DkimError(RedlineError):
    """A key cannot be read or a message cannot be signed."""


@dataclass(frozen=True, slots=True)
class DkimKey:
    """One signing key: the d= domain, the s= selector, the algorithm and the private key."""

    domain: str
    selector: str
    algorithm: str  # "rsa" | "ed25519"
    private: bytes


def key_path(key_dir: Path, domain: str, selector: str, algorithm: str) -> Path:
    """Where the key for (domain, selector, algorithm) lives under ``key_dir``."""
    suffix = ".rsa.pem" if algorithm == "rsa" else ".ed25519"
    return Path(key_dir) / domain.lower() / f"{selector}{suffix}"


def load_keys(key_dir: Path) -> dict[str, list[DkimKey]]:
    """Every key under ``key_dir`` by lower-case domain (an absent directory has none)."""
    keys: dict[str, list[DkimKey]] = {}
    key_dir = Path(key_dir)
    if not key_dir.is_dir():
        return keys
    for domain_dir in sorted(p for p in key_dir.iterdir() if p.is_dir()):
        for path in sorted(domain_dir.iterdir()):
            for suffix, algorithm in _SUFFIXES.items():
                if path.name.endswith(suffix):
                    selector = path.name[: -len(suffix)]
                    try:
                        private = path.read_bytes()
                    except OSError as exc:
                        raise DkimError(f"DKIM key {path}: cannot read it ({exc.strerror}); "
                                        "check its owner and mode") from None
                    keys.setdefault(domain_dir.name.lower(), []).append(
                        DkimKey(domain_dir.name.lower(), selector, algorithm, private.strip()))
    return keys


class DkimSigner:
    """Signs messages for the domains it has keys for; a message of another domain is unsigned."""

    def __init__(self, keys: dict[str, list[DkimKey]]) -> None:
        self.keys = keys
        # Fail at start, not on the first mail, when a key file is damaged.
        for domain_keys in keys.values():
            for key in domain_keys:
                self._sign_one(b"From: a@" + key.domain.encode() + b"\r\n\r\nx\r\n", key)

    @classmethod
    def from_dir(cls, key_dir: Path) -> DkimSigner:
        """A signer with every key under ``key_dir``."""
        return cls(load_keys(key_dir))

    def keys_for(self, domain: str) -> list[DkimKey]:
        """Keys for ``domain``, else for its nearest parent domain (DMARC relaxed alignment)."""
        labels = domain.lower().rstrip(".").split(".")
        for i in range(len(labels) - 1):
            found = self.keys.get(".".join(labels[i:]))
            if found:
                return found
        return []

    def _sign_one(self, message: bytes, key: DkimKey) -> bytes:
        try:
            return dkim.sign(message, key.selector.encode(), key.domain.encode(), key.private,
                             signature_algorithm=_ALGORITHMS[key.algorithm], linesep=b"\r\n")
        except dkim.DKIMException as exc:
            raise DkimError(f"DKIM key {key.selector} for {key.domain} ({key.algorithm}): "
                            f"cannot sign ({exc}); regenerate it with `redline dkim keygen`") from None

    def sign(self, message: bytes, domain: str) -> bytes:
        """The DKIM-Signature header lines to put on top of ``message`` (empty: no key)."""
        return b"".join(self._sign_one(message, key) for key in self.keys_for(domain))


def generate_key(key_dir: Path, domain: str, selector: str, algorithm: str = "rsa",
                 bits: int = 2048) -> tuple[Path, str]:
    """Write a new private key (mode 0600) and return its path and DNS TXT record value."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

    path = key_path(key_dir, domain, selector, algorithm)
    if path.exists():
        raise DkimError(f"{path} exists; pick another selector (keys are never overwritten)")
    if algorithm == "rsa":
        private = rsa.generate_private_key(public_exponent=65537, key_size=bits)
        data = private.private_bytes(serialization.Encoding.PEM,
                                     serialization.PrivateFormat.TraditionalOpenSSL,
                                     serialization.NoEncryption())
        public = private.public_key().public_bytes(serialization.Encoding.DER,
                                                   serialization.PublicFormat.SubjectPublicKeyInfo)
    elif algorithm == "ed25519":
        private = ed25519.Ed25519PrivateKey.generate()
        data = base64.b64encode(private.private_bytes_raw()) + b"\n"
        public = private.public_key().public_bytes_raw()
    else:
        raise DkimError(f"unknown DKIM algorithm {algorithm!r}; use rsa or ed25519")
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    return path, f"v=DKIM1; k={algorithm}; p={base64.b64encode(public).decode()}"


def txt_record(domain: str, selector: str, value: str) -> str:
    """A zone-file line publishing ``value``, split into strings of at most 255 characters."""
    chunks = " ".join(f'"{value[i:i + 255]}"' for i in range(0, len(value), 255))
    return f"{selector}._domainkey.{domain}. IN TXT ( {chunks} )"
