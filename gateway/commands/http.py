"""``redline http passwd NAME``: a password hash line for the forward proxy's [http.users]."""

from __future__ import annotations

import argparse
import getpass
import sys

from gateway.web.config import hash_password


def _passwd(args: argparse.Namespace) -> int:
    password = getpass.getpass(f"password for {args.name}: ") if sys.stdin.isatty() else (
        sys.stdin.readline().rstrip("\n"))
    if not password:
        print("redline http passwd: empty password", file=sys.stderr)
        return 2
    print(f'{args.name} = "{hash_password(password)}"')
    return 0


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register ``redline http passwd NAME`` (a password hash line for [http] users)."""
    parser = sub.add_parser("http", help="forward proxy helpers")
    http_sub = parser.add_subparsers(dest="http_command", required=True)
    passwd = http_sub.add_parser("passwd", help="print an [http] users line for NAME "
                                                "(password from the terminal or stdin)")
    passwd.add_argument("name")
    passwd.set_defaults(func=_passwd)
