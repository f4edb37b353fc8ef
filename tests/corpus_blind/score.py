"""Score Redline on the blind corpus: ``python tests/corpus_blind/score.py [--json]``.

Recall per expected category and per marking system, the false-positive rate on the hard
negatives, and every miss. An item expecting ``classification`` or ``draft`` counts as
caught when it is held (not passed) with a hit of that category; a ``report`` item when
it has a classification hit of any severity; a ``none`` item is a false positive when it
is held. Items labelled Public/General yet marked inside also need a ``label.mismatch``
hit.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))

from make import generate  # noqa: E402

from filters.build import build_pipeline  # noqa: E402
from filters.pipeline import Pipeline  # noqa: E402
from filters.types import Verdict  # noqa: E402

MARKED = ("classification", "draft")


@dataclass(frozen=True)
class Outcome:
    record: dict
    verdict: Verdict

    @property
    def categories(self) -> set[str]:
        return {h.category for h in self.verdict.hits}

    @property
    def caught(self) -> bool:
        expect = self.record["expect"]
        if expect == "report":
            return "classification" in self.categories
        if expect == "none":
            return self.verdict.passed
        ok = not self.verdict.passed and expect in self.categories
        if self.record.get("mismatch"):
            ok = ok and any(h.rule == "label.mismatch" for h in self.verdict.hits)
        return ok

    def describe(self) -> str:
        r = self.record
        hits = ", ".join(f"{h.rule}[{h.category}/{h.severity}]@{h.where}" for h in self.verdict.hits)
        return (f"{r['id']} {r['system']:<16} {r['position']:<16} {r['expect']:<14} "
                f"{r['form'][:48]!r} {r['name']} -> {self.verdict.action}: {hits or 'no hits'}")


def scan_corpus(pipeline: Pipeline | None = None, out: Path | None = None) -> list[Outcome]:
    """Generate the corpus (into ``out`` or a temporary folder) and scan every item."""
    pipeline = pipeline or build_pipeline()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(out or tmp)
        records = generate(root)
        return [Outcome(r, pipeline.scan_file(root / "items" / r["file"],
                                              origin=Path(r["file"]).name))
                for r in records]


def summarise(outcomes: list[Outcome]) -> dict:
    """Recall per expected category and per system; false-positive rate; the misses."""
    by_expect: dict[str, list[bool]] = defaultdict(list)
    by_system: dict[str, list[bool]] = defaultdict(list)
    for o in outcomes:
        by_expect[o.record["expect"]].append(o.caught)
        by_system[o.record["system"]].append(o.caught)
    negatives = by_expect.get("none", [])
    return {
        "items": len(outcomes),
        "recall": {k: round(sum(v) / len(v), 4) for k, v in sorted(by_expect.items())
                   if k != "none"},
        "caught": {k: f"{sum(v)}/{len(v)}" for k, v in sorted(by_expect.items()) if k != "none"},
        "false_positive_rate": round(1 - sum(negatives) / len(negatives), 4) if negatives else 0.0,
        "false_positives": f"{len(negatives) - sum(negatives)}/{len(negatives)}",
        "by_system": {k: f"{sum(v)}/{len(v)}" for k, v in sorted(by_system.items())},
        "mismatch": f"{sum(o.caught for o in outcomes if o.record.get('mismatch'))}/"
                    f"{sum(1 for o in outcomes if o.record.get('mismatch'))}",
        "misses": [o.describe() for o in outcomes if not o.caught],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--out", default="", help="keep the generated corpus here")
    args = parser.parse_args(argv)
    summary = summarise(scan_corpus(out=Path(args.out) if args.out else None))
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=1))
        return 0
    for line in summary.pop("misses"):
        print("MISS", line)
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
