"""Write the placements corpus into a folder: ``python tests/corpus_placements/make.py DIR``.

The cases' own files, then LibreOffice's conversions of some of them (``soffice --headless
--convert-to``), each converted file named after its source with the new suffix.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
if __package__ in (None, ""):
    sys.path.insert(0, str(HERE.parents[1]))

from tests.corpus_placements.round2 import CASES, CONVERTED  # noqa: E402


def soffice() -> str | None:
    """LibreOffice's command, if this machine has it."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(sources: list[Path], suffix: str, out: Path) -> None:
    """Convert ``sources`` to ``suffix`` with headless LibreOffice, in a profile of its own
    (a shared profile's lock makes a concurrent soffice exit without converting)."""
    command = soffice()
    if not command or not sources:
        return
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                command,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                suffix,
                "--outdir",
                str(out),
                *map(str, sources),
            ],
            capture_output=True,
            timeout=300,
            check=False,
        )


def generate(root: Path, converted: bool = True) -> list[dict]:
    """Write every case (and LibreOffice's conversions) under ``root``; one record per item."""
    root.mkdir(parents=True, exist_ok=True)
    records = []
    by_suffix: dict[str, list[tuple[Path, dict]]] = defaultdict(list)
    for index, case in enumerate(CASES):
        name = f"{index:03d}-{case.file}"
        (root / name).write_bytes(case.build())
        record = {"file": name, "name": case.name, "expect": case.expect}
        records.append(record)
        place = case.name.rsplit(" ", 1)[0]
        if converted and case.name.endswith((" marked", " clean")):
            for suffix in CONVERTED.get(place, []):
                by_suffix[suffix].append((root / name, record))
    for suffix, items in by_suffix.items():
        convert([path for path, _ in items], suffix, root)
        for path, record in items:
            target = path.with_suffix("." + suffix)
            records.append(
                {
                    "file": target.name,
                    "name": f"{record['name']} via LibreOffice {suffix}",
                    "expect": record["expect"],
                    "made": target.exists(),
                }
            )
    return records


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "placements-corpus")
    print(f"{len(generate(target))} items written to {target}")
