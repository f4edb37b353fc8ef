"""Score the containers corpus with ``redline scan --json``: ``python tests/corpus_containers/score.py``.

Marked items are caught when held with a hit of their category; ``held`` items when held
at all (read and found, or held as unreadable); clean twins when they pass.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from tests.corpus_containers.make import generate  # noqa: E402
from tests.corpus_world.score import scan  # noqa: E402


def caught(expect: str, verdict: str, categories: set[str]) -> bool:
    """Whether one scanned item meets its expected outcome."""
    held = verdict != "pass"
    if expect == "none":
        return not held
    if expect == "held":
        return held
    return held and expect in categories


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="keep the generated items here")
    parser.add_argument("--redline", default=str(Path(sys.executable).with_name("redline")))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.out or Path(tmp)
        records = generate(root)
        results = scan(root, args.redline)
    tally: dict[str, list[bool]] = defaultdict(list)
    for record in records:
        result = results[record["file"]]
        categories = {h["category"] for h in result["hits"]}
        ok = caught(record["expect"], result["verdict"], categories)
        tally[record["expect"]].append(ok)
        if not ok:
            hits = ", ".join(f"{h['rule']}[{h['category']}]" for h in result["hits"]) or "no hits"
            print(f"MISS {record['file']:<34} {record['expect']:<14} -> {result['verdict']}: {hits}")
    marked = [ok for key, oks in tally.items() if key != "none" for ok in oks]
    print(f"held {sum(marked)}/{len(marked)}  clean passed {sum(tally['none'])}/{len(tally['none'])}")
    for key, oks in sorted(tally.items()):
        print(f"  {key:<16} {sum(oks)}/{len(oks)}")


if __name__ == "__main__":
    main()
