"""The machine-readable labels corpus: a label a labelling product or standard writes into a
mail's header or a document's metadata is held at its level, and the same label at a level the
organisation does not hold (UNCLASSIFIED, OFFICIAL, Private) passes.

The items (cases.py) go through one ``redline scan --json`` run; README.md gives the score
before and after the misses were fixed. The header forms also travel through the real SMTP
listener (tests/integration/test_machine_labels.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.corpus_containers.score import caught
from tests.corpus_labels.cases import CASES, generate

REPO = Path(__file__).resolve().parents[2]

# Items Redline still misses, by name, each with why.
KNOWN_MISSES: dict[str, str] = {}


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[dict, dict]]:
    """Every item's record and its ``redline scan --json`` result, by name."""
    root = tmp_path_factory.mktemp("labels")
    records = generate(root)
    # python -m gateway.cli from the repository: this tree's code, not an entry point's.
    run = subprocess.run(
        [sys.executable, "-m", "gateway.cli", "scan", "--json", "--jobs", "2", str(root)],
        capture_output=True, text=True, check=False, timeout=600, cwd=REPO,
    )
    assert run.returncode in (0, 1), run.stderr[-2000:]
    results = {Path(r["path"]).name: r for r in map(json.loads, filter(str.strip, run.stdout.splitlines()))}
    return {rec["name"]: (rec, results.get(rec["file"], {})) for rec in records}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(
            c.name,
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN_MISSES[c.name])]
            if c.name in KNOWN_MISSES else [],
        )
        for c in CASES
    ],
)
def test_item_meets_its_expected_outcome(scanned: dict[str, tuple[dict, dict]], name: str) -> None:
    record, result = scanned[name]
    assert result, f"{record['file']} was not scanned"
    hits = [(h["rule"], h["category"], h["where"], h["excerpt"]) for h in result["hits"]]
    assert caught(record["expect"], result["verdict"], {h["category"] for h in result["hits"]}), (
        f"{name}: expected {record['expect']}, got {result['verdict']} {hits}")
