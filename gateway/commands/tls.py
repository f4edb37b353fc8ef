"""``redline tls selfsigned``: a self-signed certificate and key for STARTTLS in a lab."""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from pathlib import Path


def write_selfsigned(cert_path: Path, key_path: Path, hostname: str, days: int = 365) -> None:
    """Write a self-signed certificate for ``hostname`` and its private key (mode 0600)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hostname)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(hostname)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    for path in (cert_path, key_path):
        if path.exists():
            raise FileExistsError(f"{path} exists; remove it first (never overwritten)")
    key_path.parent.mkdir(parents=True, exist_ok=True)
    cert_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def _selfsigned(args: argparse.Namespace) -> int:
    import socket

    from gateway.config import load_config, resolve_data_dir

    base = Path(resolve_data_dir(load_config(args.config), args.data_dir)) / "tls"
    cert = Path(args.cert) if args.cert else base / "cert.pem"
    key = Path(args.key) if args.key else base / "key.pem"
    try:
        write_selfsigned(cert, key, args.hostname or socket.getfqdn(), args.days)
    except OSError as exc:
        print(f"redline tls selfsigned: {exc}", file=sys.stderr)
        return 2
    print(f"# certificate {cert}, key {key}; in the config:\n[smtp]\n"
          f'tls_cert = "{cert}"\ntls_key = "{key}"')
    return 0


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register ``redline tls selfsigned``."""
    tls = sub.add_parser("tls", help="TLS helpers")
    tls_sub = tls.add_subparsers(dest="tls_command", required=True)
    selfsigned = tls_sub.add_parser("selfsigned", help="write a self-signed certificate and key")
    selfsigned.add_argument("--hostname", help="name in the certificate (default: this host's FQDN)")
    selfsigned.add_argument("--days", type=int, default=365)
    selfsigned.add_argument("--cert", help="certificate file (default: DATA_DIR/tls/cert.pem)")
    selfsigned.add_argument("--key", help="key file (default: DATA_DIR/tls/key.pem)")
    selfsigned.add_argument("--config", help="TOML config file (for data_dir)")
    selfsigned.add_argument("--data-dir", help="data directory")
    selfsigned.set_defaults(func=_selfsigned)
