"""The ``redline`` command line."""

from __future__ import annotations

import argparse
import sys


def _serve(args: argparse.Namespace) -> int:
    print(
        "redline serve: the SMTP listener, HTTP proxy, ICAP service, officer UI and metrics\n"
        "endpoint are not built yet. Nothing is listening. What works today is the\n"
        "inspection engine: try `redline scan PATH...` on mails (.eml) and files.",
        file=sys.stderr,
    )
    return 2


def _config_example(args: argparse.Namespace) -> int:
    from gateway.config import example_config

    print(example_config(), end="")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every ``redline`` subcommand."""
    parser = argparse.ArgumentParser(prog="redline", description="Outbound DLP gateway.")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="start the configured listeners")
    serve.add_argument("--config", help="TOML config file")
    serve.set_defaults(func=_serve)
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
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``redline`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
