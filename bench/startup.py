"""``redline scan`` start-up: one small mail, this tree beside another revision, in one run.

    .venv/bin/python bench/startup.py [--baseline REF] [--runs 15]

Two inputs: a three-line mail (start-up alone) and the first mail of bench/scan_folder.py's
folder (30 KB of plain text, the row that benchmark calls "one small mail"). Each run is a
fresh ``redline scan FILE`` process with its tree's code first on the path and its own
compiled-rules cache (a private XDG_CACHE_HOME per tree, filled by a warm-up run: trees
whose code differs would evict each other's files from a shared one); the trees take
turns, their order swapped every run. The table gives the median and least CPU seconds
(user and system, the scanner process included) and wall seconds of --runs runs, and the
ratio of the medians; the target is 0.25 s. Both trees' ``--json`` verdicts are checked
to be the same first. No rspamd is needed (bench/scan_folder.sh times the folder).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from checkouts import baseline_tree  # noqa: E402
from scan_folder import SHARES, make_mail  # noqa: E402

TARGET = 0.25
THREE_LINES = b"From: a@example.org\nTo: b@example.com\nSubject: hi\n\nhello\n"


def folder_first_mail(count: int = 261, seed: int = 2026) -> bytes:
    """The first mail bench/scan_folder.py writes into its folder of ``count`` mails."""
    rng = random.Random(seed)
    kinds = [kind for kind, share in SHARES for _ in range(share)]
    rng.shuffle(kinds)
    marked = set(rng.sample(range(count), max(1, round(count / 100))))
    return make_mail(rng, 0, kinds[0], 0 in marked)


def run(tree: Path, cache: Path, args: list[str]) -> tuple[float, float, str]:
    """(CPU seconds, wall seconds, stdout) of ``redline scan ARGS`` with ``tree``'s code."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache),
           "PYTHONPATH": os.pathsep.join([str(tree), *filter(None, [os.environ.get("PYTHONPATH")])])}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "gateway.cli", "scan", *args],
                          capture_output=True, text=True, cwd=tree, env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"bench/startup.py: redline scan in {tree} failed: {done.stderr[-400:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, done.stdout


def _verdicts(stdout: str) -> list[dict[str, object]]:
    records = [json.loads(line) for line in stdout.splitlines()]
    for record in records:
        record.pop("path", None)
        for timing in ("seconds", "ocr_seconds"):
            record.get("stats", {}).pop(timing, None)
    return records


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", metavar="REF", help="also time this git revision (or tree folder)")
    parser.add_argument("--runs", type=int, default=15, help="runs per tree and input (median reported)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="redline-bench-startup-") as tmp:
        trees = {"this tree": ROOT}
        if args.baseline:
            label = Path(args.baseline).name if Path(args.baseline).is_dir() else args.baseline[:9]
            trees[label] = baseline_tree(args.baseline, Path(tmp) / "baseline")
        caches = {side: Path(tmp) / f"cache-{index}" for index, side in enumerate(trees)}
        inputs = {"three-line mail": Path(tmp) / "three-lines.eml",
                  "folder's first mail": Path(tmp) / "first.eml"}
        inputs["three-line mail"].write_bytes(THREE_LINES)
        inputs["folder's first mail"].write_bytes(folder_first_mail())
        for side, tree in trees.items():
            subprocess.run([sys.executable, "-m", "compileall", "-q", *(str(tree / d) for d in
                            ("filters", "gateway", "quarantine"))], check=True, capture_output=True)
            run(tree, caches[side], [str(p) for p in inputs.values()])  # fills its cache
        verdicts = {side: _verdicts(run(tree, caches[side], ["--json", *map(str, inputs.values())])[2])
                    for side, tree in trees.items()}
        if len(trees) > 1:
            same = len({json.dumps(v, sort_keys=True) for v in verdicts.values()}) == 1
            print(f"--json verdicts, this tree and {args.baseline}: {'identical' if same else 'DIFFERENT'}")
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
        header = (f"{'input':<22}{'tree':<11}{'CPU med':>8}{'CPU min':>8}{'wall med':>9}{'wall min':>9}"
                  f"{'CPU ratio':>10}")
        print(header)
        print("-" * len(header))
        for name, path in inputs.items():
            cpu: dict[str, list[float]] = {side: [] for side in trees}
            wall: dict[str, list[float]] = {side: [] for side in trees}
            order = list(trees.items())
            for index in range(args.runs):
                for side, tree in order if index % 2 == 0 else order[::-1]:
                    used, took, _ = run(tree, caches[side], [str(path)])
                    cpu[side].append(used)
                    wall[side].append(took)
            first = statistics.median(cpu["this tree"])
            for side in trees:
                median = statistics.median(cpu[side])
                ratio = "" if side == "this tree" else f"{first / median:.2f}"
                label = name if side == "this tree" else ""
                print(f"{label:<22}{side:<11}{median:>8.3f}{min(cpu[side]):>8.3f}"
                      f"{statistics.median(wall[side]):>9.3f}{min(wall[side]):>9.3f}{ratio:>10}")
        print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(f"seconds; medians of {args.runs} runs per tree, the trees alternating; CPU ratio = this "
              f"tree's median over the baseline's; target {TARGET} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
