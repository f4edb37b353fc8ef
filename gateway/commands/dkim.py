"""``redline dkim keygen``: write a DKIM signing key and print the DNS record to publish."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from filters.errors import ConfigError


def _keygen(args: argparse.Namespace) -> int:
    from gateway.config import existing_data_dir, load_config
    from gateway.smtp.dkim import DkimError, generate_key, txt_record

    try:
        if args.key_dir:
            key_dir = Path(args.key_dir)
        else:
            config = load_config(args.config)
            # DATA_DIR/dkim unless dkim.key_dir names the place; the data dir must exist
            # already, so a typo is refused rather than hide the new key.
            key_dir = Path(config.section("dkim").key_dir or
                           existing_data_dir(config, args) / "dkim")
        path, value = generate_key(key_dir, args.domain, args.selector, args.algorithm, args.bits)
    except (DkimError, ConfigError) as exc:
        print(f"redline dkim keygen: {exc}", file=sys.stderr)
        return 2
    print(f"# private key written to {path}; publish this record in DNS:")
    print(txt_record(args.domain, args.selector, value))
    return 0


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register ``redline dkim keygen``."""
    dkim_parser = sub.add_parser("dkim", help="DKIM key management")
    dkim_sub = dkim_parser.add_subparsers(dest="dkim_command", required=True)
    keygen = dkim_sub.add_parser("keygen", help="write a signing key and print its DNS TXT record")
    keygen.add_argument("domain", help="the signing domain (d=)")
    keygen.add_argument("selector", help="the selector (s=)")
    keygen.add_argument("--algorithm", choices=("rsa", "ed25519"), default="rsa")
    keygen.add_argument("--bits", type=int, default=2048, help="RSA key size (default 2048)")
    keygen.add_argument("--key-dir", help="write here instead of the configured dkim.key_dir")
    keygen.add_argument("--config", help="TOML config file (for dkim.key_dir and data_dir)")
    keygen.add_argument("--data-dir", help="data directory (keys go to DATA_DIR/dkim)")
    keygen.set_defaults(func=_keygen)
