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


# Which module registers each subcommand. ``redline scan FILE`` imports only the scan
# command's module: the others pull in the web stack, the store and the UI, which would
# cost a one-file scan most of its start-up.
COMMANDS: dict[str, str] = {
    "serve": "gateway.supervisor",
    "dkim": "gateway.commands.dkim",
    "tls": "gateway.commands.tls",
    "http": "gateway.commands.http",
    "config": "gateway.commands.config",
    "scan": "gateway.commands.scan",
    "rules": "gateway.commands.rules",
    "replay": "gateway.commands.replay",
    "quarantine": "quarantine.cli",
    "audit": "quarantine.cli",
    "user": "quarantine.ui.cli",
    "ui": "quarantine.ui.cli",
    "keys": "quarantine.keys_cli",
    "fingerprints": "quarantine.fingerprints_cli",
}


def _register(sub: argparse._SubParsersAction, module_name: str) -> None:
    """Let one command module add its subcommand(s) to ``sub``."""
    import importlib

    module = importlib.import_module(module_name)
    if module_name.startswith("quarantine."):
        # The quarantine's own commands get the config loader and the metrics from here:
        # quarantine/ never imports gateway/.
        from gateway.config import load_config

        extra: dict[str, Any] = {"load_config": load_config}
        if module_name == "quarantine.cli":
            extra["metrics_for"] = _metrics_of_running_gateway
        module.add_parser(sub, **extra)
    else:
        module.add_parser(sub)


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The argument parser for the subcommand named in ``argv``, or for every subcommand
    (``redline --help``, a mistyped command)."""
    parser = argparse.ArgumentParser(prog="redline", description="Outbound DLP gateway.")
    sub = parser.add_subparsers(dest="command", required=True)
    named = next((a for a in (sys.argv[1:] if argv is None else argv) if not a.startswith("-")), None)
    if named in COMMANDS:
        _register(sub, COMMANDS[named])
    else:
        for module_name in dict.fromkeys(COMMANDS.values()):
            _register(sub, module_name)
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
    parser = build_parser(argv)
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
