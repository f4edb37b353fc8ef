"""The ``redline`` command line: every subcommand is registered here.

``redline serve`` is gateway/supervisor.py; ``scan``, ``rules``, ``dkim``, ``tls``,
``http`` and ``config`` are in gateway/commands/; ``quarantine``, ``audit``, ``user``, ``ui``,
``keys`` and ``fingerprints`` belong to the quarantine (quarantine/cli.py, quarantine/ui/cli.py,
quarantine/keys_cli.py, quarantine/fingerprints_cli.py), which gets what it needs from the
gateway (the config loader, the metrics) passed in from here.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from quarantine.metrics import QuarantineMetrics


def _metrics_of_running_gateway(config: Any, data_dir: str) -> QuarantineMetrics:
    """Where a ``redline quarantine`` command counts its decisions: the metrics of the
    ``redline serve`` running on this data dir, when there is one.

    When the gateway's shared metrics directory exists, this process writes its counters
    there too (without wiping it), so /metrics counts decisions made from the command line.
    """
    import contextlib
    import os
    from pathlib import Path

    from filters.errors import RedlineError
    from gateway.ops import metrics
    from gateway.ops.config import MULTIPROC_ENV, prepare_multiprocess_dir

    configured = config.section("metrics").multiprocess_dir
    path = Path(os.environ.get(MULTIPROC_ENV) or configured or Path(data_dir) / "metrics")
    if path.is_dir() and "prometheus_client.values" not in sys.modules:
        with contextlib.suppress(RedlineError):
            prepare_multiprocess_dir(str(path), data_dir, wipe=False)
    return metrics


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every ``redline`` subcommand."""
    # Imported here, not at the top: `redline --help` and a bad flag stay quick.
    from gateway import supervisor
    from gateway.commands import config, dkim, http, replay, rules, scan, tls
    from gateway.config import load_config
    from quarantine import cli as quarantine_cli
    from quarantine import fingerprints_cli, keys_cli
    from quarantine.ui import cli as ui_cli

    parser = argparse.ArgumentParser(prog="redline", description="Outbound DLP gateway.")
    sub = parser.add_subparsers(dest="command", required=True)
    supervisor.add_parser(sub)
    dkim.add_parser(sub)
    tls.add_parser(sub)
    http.add_parser(sub)
    config.add_parser(sub)
    scan.add_parser(sub)
    rules.add_parser(sub)
    replay.add_parser(sub)
    # The quarantine's own commands get the config loader and the metrics from here:
    # quarantine/ never imports gateway/.
    quarantine_cli.add_parser(sub, load_config=load_config,
                              metrics_for=_metrics_of_running_gateway)
    ui_cli.add_parser(sub, load_config=load_config)
    keys_cli.add_parser(sub, load_config=load_config)
    fingerprints_cli.add_parser(sub, load_config=load_config)
    return parser


def _leaf_parser(parser: argparse.ArgumentParser, args: argparse.Namespace) -> argparse.ArgumentParser:
    """The parser of the subcommand that was named (``redline quarantine list``), so that its
    errors show its own usage rather than the top level's."""
    while True:
        chosen = None
        for action in parser._actions:  # argparse keeps subparsers there, with no public accessor
            if isinstance(action, argparse._SubParsersAction):
                chosen = action.choices.get(getattr(args, action.dest, None) or "")
        if chosen is None:
            return parser
        parser = chosen


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``redline`` console script."""
    from gateway.datadir import private_umask

    # First: whatever a command writes (store, keys, outbox, spool) is owner-only.
    private_umask()
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        _leaf_parser(parser, args).error(f"unrecognized arguments: {' '.join(unknown)}")
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        # Commands that must finish what they started handle it themselves; elsewhere a
        # Ctrl-C is an answer, not a crash.
        print("\nredline: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
