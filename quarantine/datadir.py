"""The data directory as the commands meet it: created only by those that set up, checked by the rest.

A mistyped ``--data-dir`` given to a read command (``redline quarantine list``,
``audit verify``, ``user list``, ``keys``) must not quietly create an empty store and
report an empty queue or an intact log: only ``redline serve`` and the commands that set
an installation up (``user add``, ``ui``) create one. The commands that put a key under
the data directory (``tls ca init``, ``tls selfsigned``, ``dkim keygen``) may run before
the first start, so they need the directory, not yet a store; they never create it, so a
typo cannot leave a CA or a signing key where no gateway looks. Every path ends in a
one-line error naming the directory, never an OSError traceback (a path under /proc, a
file, no rights).
"""

from __future__ import annotations

from pathlib import Path

from filters.errors import ConfigError
from quarantine.config import SQLITE_FILE


class DataDirError(ConfigError):
    """The data directory is missing, not a directory, or cannot be made."""


def data_dir_source(data_dir_flag: str | None, config_path: str | None) -> str:
    """Where the data directory came from, for messages: the flag, the config, the default."""
    if data_dir_flag:
        return "--data-dir"
    return f"data_dir in {config_path}" if config_path else "the default data_dir"


def create_data_dir(data_dir: str | Path, *, flag: str = "--data-dir") -> Path:
    """Make the data directory (closed to other users) if it is missing; the path.

    ``flag`` names where the path came from in the message (``--data-dir``, or the
    config's ``data_dir``).
    """
    path = Path(data_dir)
    if path.exists() and not path.is_dir():
        raise DataDirError(f"data directory {path} ({flag}) is a file, not a directory; "
                           "give a directory (it is created if missing)")
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise DataDirError(f"cannot create the data directory {path} ({flag}): "
                           f"{exc.strerror or exc}; give a directory the gateway user may "
                           "create and write") from None
    return path


def existing_store_dir(data_dir: str | Path, *, flag: str = "--data-dir") -> Path:
    """The data directory of an installation that exists (its SQLite store is there).

    Read and decision commands call this instead of creating anything, so a typo says so.
    """
    path = Path(data_dir)
    if not path.exists():
        raise DataDirError(f"no data directory {path} ({flag}): check the path; "
                           "`redline serve` (or `redline user add`) creates one")
    if not path.is_dir():
        raise DataDirError(f"data directory {path} ({flag}) is a file, not a directory")
    if not (path / SQLITE_FILE).is_file():
        raise DataDirError(f"no quarantine store in {path} ({flag}; {SQLITE_FILE} is missing): "
                           "check the path; `redline serve` creates the store on its first start")
    return path


def existing_data_dir(data_dir: str | Path, *, flag: str = "--data-dir") -> Path:
    """The data directory, which must exist already (it may not hold a store yet).

    For the commands that write keys into it before the first start: they never make it,
    so a mistyped path is an error naming it rather than a key nobody will use.
    """
    path = Path(data_dir)
    if not path.exists():
        raise DataDirError(f"no data directory {path} ({flag}): check the path; `redline "
                           "user add` or `redline serve` creates it (or make it yourself, "
                           "owner-only: install -d -m 0700 DIR)")
    if not path.is_dir():
        raise DataDirError(f"data directory {path} ({flag}) is a file, not a directory")
    return path
