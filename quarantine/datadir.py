"""The data directory as the commands meet it: created only by those that set up, checked by the rest.

A mistyped ``--data-dir`` given to a read command (``redline quarantine list``,
``audit verify``, ``user list``) must not quietly create an empty store and report an
empty queue or an intact log: only ``redline serve`` and the commands that set an
installation up (``user add``, ``ui``) create one. Both paths end in a one-line error
naming the directory, never an OSError traceback (a path under /proc, a file, no rights).
"""

from __future__ import annotations

from pathlib import Path

from filters.errors import ConfigError
from quarantine.config import SQLITE_FILE


class DataDirError(ConfigError):
    """The data directory is missing, not a directory, or cannot be made."""


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
