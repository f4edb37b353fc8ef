"""Score the machine-readable labels corpus: ``python tests/corpus_labels/score.py``."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from tests.corpus_containers.score import caught  # noqa: E402
from tests.corpus_labels.cases import generate  # noqa: E402
from tests.corpus_world.score import scan  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="keep the generated items here")
    parser.add_argument("--redline", default=str(Path(sys.executable).with_name("redline")),
                        help="redline command (an entry point runs the tree it was installed from)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.out or Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        records = generate(root)
        results = scan(root, args.redline)
    held, marked, false_holds, clean = 0, 0, 0, 0
    for record in records:
        result = results[record["file"]]
        ok = caught(record["expect"], result["verdict"], {h["category"] for h in result["hits"]})
        if record["expect"] == "none":
            clean += 1
            false_holds += not ok
        else:
            marked += 1
            held += ok
        if not ok:
            hits = ", ".join(f"{h['rule']}[{h['category']}]" for h in result["hits"]) or "no hits"
            print(f"MISS {record['name']:<48} {record['expect']:<14} -> {result['verdict']}: {hits}")
    print(f"held {held}/{marked}  false holds {false_holds}/{clean}")


if __name__ == "__main__":
    main()
