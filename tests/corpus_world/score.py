"""Score the world corpus with ``redline scan --json``: ``python tests/corpus_world/score.py``.

Generates the items into a temporary folder (or ``--out DIR``), runs the ``redline``
command on it and prints recall per expected category, the false positives among the
hard negatives, and every miss. An item expecting ``classification`` or ``draft`` is
caught when it is held with a hit of that category; ``report`` when it has any
classification hit; a ``none`` item is a false positive when it is held.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from tests.corpus_world.make import generate  # noqa: E402


def caught(expect: str, verdict: str, hits: list[dict]) -> bool:
    """Whether one scanned item meets its label."""
    categories = {h["category"] for h in hits}
    held = verdict != "pass"
    if expect == "none":
        return not held
    if expect == "report":
        return "classification" in categories
    return held and expect in categories



def described(verdict: Any) -> str:
    """A pipeline verdict's hits in one line (rule, severity, excerpt), for an assertion's message."""
    return "; ".join(f"{h.rule}[{h.severity}] {h.excerpt!r}" for h in verdict.hits) or "no hits"

def assert_meets_label(pipeline: Any, path: Path, expect: str) -> None:
    """Scan ``path`` with ``pipeline``; fail, naming every hit, unless it meets ``expect``."""
    verdict = pipeline.scan_file(path, origin=path.name)
    described = "; ".join(f"{h.rule}[{h.severity}] {h.excerpt!r}" for h in verdict.hits) or "no hits"
    hits = [{"category": h.category} for h in verdict.hits]
    assert caught(expect, "pass" if verdict.passed else "held", hits), described


def scan(root: Path, redline: str) -> dict[str, dict]:
    """``redline scan --json`` over ``root``: its result per file name."""
    run = subprocess.run([redline, "scan", "--json", "--jobs", "1", str(root)],
                         capture_output=True, text=True, check=False)
    if run.returncode not in (0, 1):
        raise SystemExit(f"redline scan failed ({run.returncode}): {run.stderr[-2000:]}")
    results = {}
    for line in run.stdout.splitlines():
        if line.strip():
            result = json.loads(line)
            results[Path(result["path"]).name] = result
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="keep the generated items here")
    parser.add_argument("--redline", default=str(Path(sys.executable).with_name("redline")))
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.out or Path(tmp)
        records = generate(root)
        results = scan(root, args.redline)
    tally: dict[str, list[bool]] = defaultdict(list)
    misses = []
    for record in records:
        result = results[record["file"]]
        ok = caught(record["expect"], result["verdict"], result["hits"])
        tally[record["expect"]].append(ok)
        if not ok:
            hits = ", ".join(f"{h['rule']}[{h['severity']}]" for h in result["hits"]) or "no hits"
            misses.append(f"{record['file']:<28} {record['expect']:<14} -> {result['verdict']}: {hits}")
    summary = {
        "items": len(records),
        "recall": {k: f"{sum(v)}/{len(v)}" for k, v in sorted(tally.items()) if k != "none"},
        "false_positives": f"{len(tally['none']) - sum(tally['none'])}/{len(tally['none'])}",
        "misses": misses,
    }
    if args.json:
        print(json.dumps(summary, indent=2, ensure_ascii=False))
        return
    for key, value in summary["recall"].items():
        print(f"{key:<16} {value}")
    print(f"{'false positives':<16} {summary['false_positives']}")
    print("\n".join(summary["misses"]))


if __name__ == "__main__":
    main()
