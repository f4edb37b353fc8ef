"""Config sections of the operations features: [metrics] (listener, multiprocess dir) and [logging]."""

from __future__ import annotations

import fcntl
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from filters.config import option
from filters.errors import ConfigError
from gateway.address import parse_host_port

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


@dataclass(frozen=True, slots=True)
class MetricsConfig:
    """The Prometheus metrics and health listener (section [metrics])."""

    listen: str = option(
        "127.0.0.1:9325", "HOST:PORT serving /metrics, /healthz and /readyz; \"off\" disables it. "
        "Keep it on loopback or a management network: it is not authenticated.",
    )
    multiprocess_dir: str = option(
        "", "Where worker processes share their metric files (wiped at start); empty: "
        "data_dir/metrics. The PROMETHEUS_MULTIPROC_DIR environment variable, when set, wins.",
    )
    readiness_timeout: float = option(
        2.0, "Seconds each /readyz check (rules, store, upstream) may take before it counts as failed.",
        minimum=0.1, maximum=30,
    )
    quarantine_poll_seconds: float = option(
        15.0, "How often the pending count and oldest pending age are read from the store.",
        minimum=1,
    )

    def __post_init__(self) -> None:
        if self.listen != "off":
            parse_host_port("metrics.listen", self.listen)


@dataclass(frozen=True, slots=True)
class LoggingConfig:
    """What the gateway logs and in which form (section [logging])."""

    format: str = option(
        "text", "text (human-readable) or json (one JSON object per line, for log shippers).",
        choices=("text", "json"),
    )
    level: str = option(
        "INFO", "Lowest level written: DEBUG, INFO, WARNING or ERROR.",
        choices=("DEBUG", "INFO", "WARNING", "ERROR"),
    )
    decisions: bool = option(
        True, "Write one line per mail/upload decision (id, verdict, rules, timings; never content).",
    )


# The lock file of the `redline serve` that owns a metrics directory; its fd stays open
# (and locked) for the life of the process and its forked children.
LOCK_FILE = "serve.lock"
_held_locks: dict[Path, int] = {}


def _own_metrics_dir(path: Path) -> None:
    """Take the directory for this process, or refuse while another gateway has it.

    Wiping is only safe for the directory's owner: a second ``redline serve`` (a typo, a
    test start, a unit started twice) would otherwise zero the running gateway's counters
    before it failed to bind its ports.
    """
    if path in _held_locks:
        return
    fd = os.open(path / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        owner = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
        os.close(fd)
        raise ConfigError(
            f"another redline serve (pid {owner}) is running with the metrics directory {path}; "
            "nothing was changed. Stop it first, or give this one its own --data-dir "
            "(or metrics.multiprocess_dir)"
        ) from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    _held_locks[path] = fd


def prepare_multiprocess_dir(configured: str, data_dir: str | Path, *, wipe: bool = True) -> Path:
    """Point prometheus-client at a shared metrics directory; call once in the parent process.

    ``redline serve`` calls this before anything imports prometheus_client (the client
    picks single- or multi-process storage when it is first imported) and before it
    starts worker processes, which inherit the environment variable. With ``wipe``, the
    directory is locked for this process (a second gateway on it is refused) and stale
    files of an earlier run are removed so counters start from zero, as the client requires.
    """
    path = Path(os.environ.get(MULTIPROC_ENV) or configured or Path(data_dir) / "metrics")
    values = sys.modules.get("prometheus_client.values")
    if values is not None and os.environ.get(MULTIPROC_ENV) != str(path):
        raise ConfigError(
            "metrics: prometheus_client was imported before the multiprocess directory was set; "
            "call prepare_multiprocess_dir() first thing in `redline serve`"
        )
    try:
        path.mkdir(parents=True, exist_ok=True)
        if wipe:
            _own_metrics_dir(path)
            for stale in path.glob("*.db"):
                stale.unlink()
    except OSError as exc:
        raise ConfigError(
            f"config key metrics.multiprocess_dir: cannot use {path} ({exc.strerror}); "
            "make it writable by the gateway user"
        ) from None
    os.environ[MULTIPROC_ENV] = str(path)
    logging.getLogger("redline.metrics").debug("metrics multiprocess dir %s", path)
    return path
