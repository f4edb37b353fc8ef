"""``redline tls``: a self-signed STARTTLS certificate for a lab, and the HTTPS interception CA.

``redline tls ca init`` makes the interception CA under DATA_DIR/tls/ (the key 0600,
never printed or logged); ``redline tls ca export`` prints its certificate (PEM, or DER
with ``--der``) for browsers and device management to trust.
"""

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

    from filters.errors import RedlineError
    from gateway.config import existing_data_dir, load_config

    try:
        base = (None if args.cert and args.key else
                existing_data_dir(load_config(args.config), args) / "tls")
    except RedlineError as exc:
        print(f"redline tls selfsigned: {exc}", file=sys.stderr)
        return 2
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


def _http_and_data_dir(args: argparse.Namespace):
    from gateway.config import existing_data_dir, load_config

    config = load_config(args.config)
    return config.section("http"), existing_data_dir(config, args)


def _ca_init(args: argparse.Namespace) -> int:
    from filters.errors import RedlineError
    from gateway.web.interception import create_ca, default_ca_paths, fingerprint

    try:
        http, data_dir = _http_and_data_dir(args)
    except RedlineError as exc:
        print(f"redline tls ca init: {exc}", file=sys.stderr)
        return 2
    if http.ca_cert:
        print(f"redline tls ca init: the config names the organisation's CA (http.ca_cert = "
              f"{http.ca_cert}); nothing to create", file=sys.stderr)
        return 2
    cert_path, key_path = default_ca_paths(data_dir)
    try:
        cert = create_ca(cert_path, key_path, common_name=args.common_name,
                         organisation=args.organisation, days=args.days)
    except OSError as exc:
        print(f"redline tls ca init: {exc}", file=sys.stderr)
        return 2
    print(f"interception CA created: {cert_path} (key {key_path}, mode 0600)\n"
          f"SHA-256 fingerprint {fingerprint(cert)}\n"
          "Distribute the certificate to the clients (`redline tls ca export`; see "
          "docs/operations.md, \"Trusting the interception CA\"), then restart `redline serve`.")
    return 0


def _ca_export(args: argparse.Namespace) -> int:
    from cryptography.hazmat.primitives import serialization

    from filters.errors import RedlineError
    from gateway.web.interception import ca_paths, load_ca

    try:
        http, data_dir = _http_and_data_dir(args)
        cert_path, key_path = ca_paths(http, data_dir)
        cert, _key = load_ca(cert_path, key_path)
    except RedlineError as exc:
        print(f"redline tls ca export: {exc}", file=sys.stderr)
        return 2
    encoding = serialization.Encoding.DER if args.der else serialization.Encoding.PEM
    data = cert.public_bytes(encoding)
    if args.out:
        Path(args.out).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register ``redline tls selfsigned`` and ``redline tls ca init|export``."""
    tls = sub.add_parser("tls", help="TLS helpers")
    tls_sub = tls.add_subparsers(dest="tls_command", required=True)
    ca = tls_sub.add_parser("ca", help="the HTTPS interception CA")
    ca_sub = ca.add_subparsers(dest="ca_command", required=True)
    init = ca_sub.add_parser("init", help="create the interception CA under DATA_DIR/tls/")
    init.add_argument("--common-name", default="Redline interception CA",
                      help="the CA's name as users' certificate dialogs show it")
    init.add_argument("--organisation", default="", help="organisation name in the CA subject")
    init.add_argument("--days", type=int, default=3650, help="validity in days (default 3650)")
    export = ca_sub.add_parser("export", help="print the interception CA certificate")
    export.add_argument("--der", action="store_true",
                        help="DER (binary, .cer/.crt for Windows and MDM) instead of PEM")
    export.add_argument("--out", help="write to this file instead of standard output")
    for command, func in ((init, _ca_init), (export, _ca_export)):
        command.add_argument("--config", help="TOML config file (for data_dir and [http])")
        command.add_argument("--data-dir", help="data directory")
        command.set_defaults(func=func)
    selfsigned = tls_sub.add_parser("selfsigned", help="write a self-signed certificate and key")
    selfsigned.add_argument("--hostname", help="name in the certificate (default: this host's FQDN)")
    selfsigned.add_argument("--days", type=int, default=365)
    selfsigned.add_argument("--cert", help="certificate file (default: DATA_DIR/tls/cert.pem)")
    selfsigned.add_argument("--key", help="key file (default: DATA_DIR/tls/key.pem)")
    selfsigned.add_argument("--config", help="TOML config file (for data_dir)")
    selfsigned.add_argument("--data-dir", help="data directory")
    selfsigned.set_defaults(func=_selfsigned)
