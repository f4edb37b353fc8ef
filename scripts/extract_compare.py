"""Does this tree extract the same as another revision? Every part of every item, compared.

    .venv/bin/python scripts/extract_compare.py --baseline REF PATH...

Scans each file under PATH (folders recursively) with this tree and with git revision REF
(or a folder holding such a tree, as bench/checkouts.py takes it), each in its own process,
and records for each item every text part the rules read (origin, role, text), every
content part (origin, detected type, size) and the verdict with its hits. Prints the
items whose records differ, with the first difference, and exits 1 when any does. A
change meant to make extraction faster, not different, must print "identical".
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _records(paths: list[str]) -> None:
    """(In the child process.) One JSON line per item: its parts and verdict."""
    from filters.build import build_pipeline
    from filters.pipeline import file_part
    from gateway.commands.scan import iter_paths
    from gateway.config import load_config

    seen: list[list[object]] = []

    class Recorder:
        """An engine that finds nothing and notes every part it is shown."""

        def __init__(self, kind: str) -> None:
            self.kind = kind

        def scan(self, part):  # type: ignore[no-untyped-def]
            if self.kind == "text":
                seen.append(["text", part.origin, part.role, part.text])
            else:
                seen.append(["content", part.origin, part.detected_type, part.size])
            return ()

    pipeline = build_pipeline(load_config(None).filters, lazy=False)
    pipeline.text_engines = (*pipeline.text_engines, Recorder("text"))
    pipeline.content_engines = (*pipeline.content_engines, Recorder("content"))
    for path, error in iter_paths(paths):
        seen.clear()
        if error is not None:
            continue
        verdict = pipeline.scan(file_part(Path(path)))
        hits = sorted([h.rule, h.where, h.excerpt] for h in verdict.hits)
        print(json.dumps({"path": path, "action": verdict.action, "hits": hits, "parts": seen},
                         ensure_ascii=False), flush=True)


def _run(tree: Path, paths: list[str], out: Path) -> dict[str, dict[str, object]]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tree), str(ROOT / "scripts")]))
    with out.open("w") as handle:
        subprocess.run([sys.executable, "-c", "import extract_compare, sys; "
                        "extract_compare._records(sys.argv[1:])", *paths],
                       stdout=handle, env=env, check=True, cwd=tree)
    records = {}
    for line in out.read_text().splitlines():
        record = json.loads(line)
        records[record["path"]] = record
    return records


def _first_difference(before: dict[str, object], after: dict[str, object]) -> str:
    if before["action"] != after["action"] or before["hits"] != after["hits"]:
        return f"verdict {before['action']} {before['hits']} -> {after['action']} {after['hits']}"
    old, new = before["parts"], after["parts"]
    assert isinstance(old, list) and isinstance(new, list)
    for index, (a, b) in enumerate(zip(old, new, strict=False)):
        if a != b:
            return f"part {index}: {json.dumps(a, ensure_ascii=False)[:300]} -> " \
                   f"{json.dumps(b, ensure_ascii=False)[:300]}"
    return f"{len(old)} parts -> {len(new)} parts"


def main() -> int:
    from checkouts import baseline_tree

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", metavar="PATH")
    parser.add_argument("--baseline", required=True, metavar="REF",
                        help="git revision (or tree folder) to compare with")
    args = parser.parse_args()
    paths = [str(Path(p).resolve()) for p in args.paths]
    with tempfile.TemporaryDirectory(prefix="redline-extract-compare-") as tmp:
        base = baseline_tree(args.baseline, Path(tmp) / "baseline")
        before = _run(base, paths, Path(tmp) / "before.jsonl")
        after = _run(ROOT, paths, Path(tmp) / "after.jsonl")
    differ = 0
    for path in sorted(set(before) | set(after)):
        if path not in before or path not in after:
            print(f"{path}: scanned by one tree only")
            differ += 1
        elif before[path] != after[path]:
            print(f"{path}: {_first_difference(before[path], after[path])}")
            differ += 1
    digest = hashlib.sha256(json.dumps(after, sort_keys=True).encode()).hexdigest()[:16]
    parts = sum(len(r["parts"]) for r in after.values())  # type: ignore[arg-type]
    print(f"{len(after)} items, {parts} parts: "
          f"{'identical' if not differ else f'{differ} DIFFERENT'} to {args.baseline} "
          f"(digest {digest})")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "bench"))
    sys.exit(main())
