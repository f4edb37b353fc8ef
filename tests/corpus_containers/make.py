"""Write the containers corpus into a folder: ``python tests/corpus_containers/make.py DIR``."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if __package__ in (None, ""):
    sys.path.insert(0, str(HERE.parents[1]))

from tests.corpus_containers.cases import CASES, Case  # noqa: E402


def file_name(index: int, case: Case) -> str:
    """The item's file name: its number, then the name it travels under."""
    return f"{index:03d}-{case.file}"


def generate(root: Path) -> list[dict]:
    """Write every case under ``root``; one record (file, name, expect) per case."""
    root.mkdir(parents=True, exist_ok=True)
    records = []
    for index, case in enumerate(CASES):
        name = file_name(index, case)
        (root / name).write_bytes(case.build())
        records.append({"file": name, "name": case.name, "expect": case.expect})
    return records


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "containers-corpus")
    print(f"{len(generate(target))} items written to {target}")
