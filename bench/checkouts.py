"""Another revision of Redline to run beside this tree in one benchmark run (``--baseline``)."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def baseline_tree(ref: str, target: Path) -> Path:
    """The folder ``ref`` as it is, or the tree of git revision ``ref`` written to ``target``."""
    if Path(ref).is_dir():
        return Path(ref).resolve()
    target.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], capture_output=True)
    if archive.returncode != 0:
        raise SystemExit(f"bench: --baseline {ref}: {archive.stderr.decode().strip()}")
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return target
