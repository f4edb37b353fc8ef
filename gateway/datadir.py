"""The data directory stays private: 0700 directories and 0600 files, whatever the umask.

Held content, the outbox Maildir, spool files and keys live under it. ``redline`` sets
the process umask to 077 before any command runs (so every file it creates is private),
and ``redline serve`` calls ``secure_data_dir`` at start to close what an older Redline
or a copy with the wrong umask left open, saying so in the log.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

from filters.errors import ConfigError

log = logging.getLogger("redline.datadir")

PRIVATE_UMASK = 0o077
# How many paths the start-up log line names; the count says the rest.
NAMED = 5


def private_umask() -> None:
    """Every file and directory this process (and its children) creates: owner only."""
    os.umask(PRIVATE_UMASK)


def secure_data_dir(data_dir: str | Path) -> int:
    """Create ``data_dir`` 0700 and take group and other permissions off everything under
    it (without following symlinks); how many paths were changed. ConfigError when it
    cannot be used as a directory."""
    root = Path(data_dir)
    try:
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not root.is_dir():
            raise NotADirectoryError(20, "not a directory")
    except OSError as exc:
        raise ConfigError(f"data_dir {root}: cannot use it as the data directory "
                          f"({exc.strerror or exc}); give a directory Redline's user may "
                          "create and write (--data-dir or data_dir in the config)") from None
    changed: list[str] = []
    failed: list[str] = []
    # The directory itself even when data_dir is a symlink to it (a common layout).
    _tighten(root.resolve(), changed, failed)
    for top, dirs, files in os.walk(root, onerror=lambda exc: failed.append(str(exc.filename))):
        for name in (*dirs, *files):
            _tighten(Path(top) / name, changed, failed)
    if changed:
        log.warning("data dir %s: %d files or directories were open to other users; made them "
                    "owner-only (%s%s)", root, len(changed), ", ".join(changed[:NAMED]),
                    ", ..." if len(changed) > NAMED else "")
    if failed:
        log.warning("data dir %s: cannot make %d paths owner-only (%s): check their owner",
                    root, len(failed), ", ".join(failed[:NAMED]))
    return len(changed)


def _tighten(path: Path, changed: list[str], failed: list[str]) -> None:
    try:
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode) or not info.st_mode & 0o077:
            return
        os.chmod(path, stat.S_IMODE(info.st_mode) & 0o700)
        changed.append(str(path))
    except FileNotFoundError:
        return  # gone meanwhile (a spool file, a delivered outbox mail)
    except OSError:
        failed.append(str(path))
