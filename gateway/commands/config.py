"""``redline config example|check``: every key with its default, and a config checked before use."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from filters.errors import RedlineError


def example(args: argparse.Namespace) -> int:
    """Print the example config: every key, its default and its meaning."""
    from gateway.config import example_config

    print(example_config(), end="")
    return 0


def check(args: argparse.Namespace) -> int:
    """Validate a config file as ``redline serve`` would at start, without starting anything.

    Exit 0 (with a summary) when it is usable, 2 with the offending key named when not.
    """
    from filters.build import build_pipeline
    from filters.rules import load_rules
    from gateway.config import load_config

    where = args.config or "the embedded defaults"
    try:
        if args.config and not Path(args.config).is_file():
            raise RedlineError(f"config file {args.config}: no such file")
        config = load_config(args.config)
        rules = load_rules(config.filters.rules.rule_paths(), custom=config.filters.rules.custom)
        build_pipeline(config.filters, rules=rules)
        if config.section("smtps").listen != "off" and not config.section("smtp").tls_cert:
            raise RedlineError("config key smtps.listen: SMTP over TLS needs smtp.tls_cert and "
                               "smtp.tls_key (`redline tls selfsigned` makes a pair)")
    except RedlineError as exc:
        print(f"redline config check: {exc}", file=sys.stderr)
        return 2
    listeners = [f"{name} {config.section(name).listen}" for name in
                 ("smtp", "smtps", "http", "icap", "ui", "metrics")
                 if config.section(name).listen != "off"]
    print(f"{where}: OK; data_dir {config.general.data_dir}; {rules.count} rules; "
          f"listeners: {', '.join(listeners) or 'none'}")
    return 0


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register ``redline config example`` and ``redline config check``."""
    parser = sub.add_parser("config", help="configuration helpers")
    verbs = parser.add_subparsers(dest="config_command", required=True)
    verbs.add_parser("example", help="print every config key with its default").set_defaults(
        func=example)
    p_check = verbs.add_parser(
        "check", help="validate a config file and its rules as `redline serve` would; "
                      "exit 0 when usable, 2 naming the bad key")
    p_check.add_argument("--config", help="TOML config file (default: the embedded defaults)")
    p_check.set_defaults(func=check)
