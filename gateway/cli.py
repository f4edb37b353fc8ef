"""The ``redline`` command line."""

from __future__ import annotations

import argparse
import sys


def _config_example(args: argparse.Namespace) -> int:
    from gateway.config import example_config

    print(example_config(), end="")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every ``redline`` subcommand."""
    parser = argparse.ArgumentParser(prog="redline", description="Outbound DLP gateway.")
    sub = parser.add_subparsers(dest="command", required=True)
    from gateway import dkim, http_proxy, serve, tls

    serve.add_parser(sub)
    dkim.add_parser(sub)
    tls.add_parser(sub)
    http_proxy.add_parser(sub)
    config = sub.add_parser("config", help="configuration helpers")
    config_sub = config.add_subparsers(dest="config_command", required=True)
    config_sub.add_parser("example", help="print every config key with its default").set_defaults(
        func=_config_example
    )
    from gateway import rules_command, scan_command

    scan_command.add_parser(sub)
    rules_command.add_parser(sub)
    from quarantine import cli as quarantine_cli

    quarantine_cli.add_parser(sub)
    from quarantine.ui import cli as ui_cli

    ui_cli.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``redline`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
