"""Score the personal-data corpus: ``python tests/corpus_personal/score.py [--world|--third] [--json FILE]``.

Writes the items into a temporary folder (or ``--out DIR``), scans each with the default
pipeline and prints, per identifier kind, how many lists were held with a personal hit,
the false positives among the single and hard-negative items, and every miss.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from filters.build import build_pipeline
from tests.corpus_personal.make import generate
from tests.corpus_personal.third_cases import THIRD_CASES
from tests.corpus_personal.world_cases import WORLD_CASES


def outcome(verdict) -> str:
    """``personal`` when the item is held with a personal hit, ``held`` for another hold, else ``none``."""
    if verdict.passed:
        return "none"
    return "personal" if any(h.category == "personal" for h in verdict.hits) else "held"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="keep the generated items here")
    parser.add_argument("--json", type=Path, help="write each item's outcome here")
    rounds = parser.add_mutually_exclusive_group()
    rounds.add_argument("--world", action="store_true", help="score the second round (world_cases.py)")
    rounds.add_argument("--third", action="store_true", help="score the third round (third_cases.py)")
    args = parser.parse_args()
    pipeline = build_pipeline()
    tally: dict[str, list[bool]] = defaultdict(list)
    results, misses = {}, []
    with tempfile.TemporaryDirectory() as tmp:
        root = args.out or Path(tmp)
        for record in generate(root, WORLD_CASES if args.world else THIRD_CASES if args.third else None):
            path = root / record["file"]
            verdict = pipeline.scan_file(path, origin=path.name)
            got = outcome(verdict)
            ok = got == record["expect"]
            tally[record["kind"]].append(ok)
            results[record["file"]] = got
            if not ok:
                rules = ", ".join(sorted({h.rule for h in verdict.hits})) or "no hits"
                misses.append(f"{record['file']:<36} {record['expect']:<9} -> {got}: {rules}")
    for kind, oks in sorted(tally.items()):
        print(f"{kind:<10} {sum(oks)}/{len(oks)}")
    held = sum(ok for kind, oks in tally.items() if kind not in ("negative", "single") for ok in oks)
    lists = sum(len(oks) for kind, oks in tally.items() if kind not in ("negative", "single"))
    wrong = sum(not ok for kind in ("negative", "single") for ok in tally[kind])
    clean = sum(len(tally[kind]) for kind in ("negative", "single"))
    print(f"lists held {held}/{lists}; false positives {wrong}/{clean}")
    print("\n".join(misses))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
