"""Score the placements corpus with ``redline scan --json``: ``python tests/corpus_placements/score.py``."""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from tests.corpus_containers.score import caught  # noqa: E402
from tests.corpus_placements.make import generate  # noqa: E402
from tests.corpus_world.score import scan  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="keep the generated items here")
    parser.add_argument("--redline", default=str(Path(sys.executable).with_name("redline")),
                        help="redline command (an entry point runs the tree it was installed from)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.out or Path(tmp)
        records = generate(root)
        results = scan(root, args.redline)
    tally: dict[str, list[bool]] = defaultdict(list)
    for record in records:
        if record.get("made") is False:
            print(f"NOT MADE {record['file']}")
            continue
        result = results[record["file"]]
        ok = caught(record["expect"], result["verdict"], {h["category"] for h in result["hits"]})
        tally[record["expect"]].append(ok)
        if not ok:
            hits = ", ".join(f"{h['rule']}[{h['category']}]" for h in result["hits"]) or "no hits"
            print(f"MISS {record['name']:<44} {record['expect']:<14} -> {result['verdict']}: {hits}")
    marked = [ok for key, oks in tally.items() if key != "none" for ok in oks]
    print(f"held {sum(marked)}/{len(marked)}  clean passed {sum(tally['none'])}/{len(tally['none'])}")


if __name__ == "__main__":
    main()
