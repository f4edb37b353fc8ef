"""Scanner CPU per kind of mail over bench/mix.sh's mix, OCR on and off, and where it goes.

    .venv/bin/python bench/mix_profile.py [--runs 3] [--messages 400] [--seed 21]
                                          [--baseline REF] [--cprofile FILE]

Scans every mail of the mix (bench/mix_corpus.py, the same seed and count as bench/mix.sh)
with the pipeline ``redline serve`` builds, one process per tree and OCR setting, and
prints CPU milliseconds per mail by kind: the median of --runs passes after a warm one.
``--baseline REF`` runs git revision REF (or a tree folder, see bench/checkouts.py) in the
same rounds, alternating with this tree. ``--cprofile FILE`` writes a cProfile (CPU clock)
of one pass of this tree with OCR on, and prints its 25 most costly functions.
The relay, the SMTP session and the copy to a scanner are not in these figures.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))


def _child(folder: str, ocr: bool, runs: int, profile: str) -> None:
    """(In the timed process.) Print {kind: [CPU seconds of each pass]} as JSON."""
    from filters.build import build_pipeline
    from filters.types import Part
    from gateway.config import load_config

    with tempfile.NamedTemporaryFile("w", suffix=".toml") as settings:
        settings.write("" if ocr else "[ocr]\nenabled = false\n")
        settings.flush()
        pipeline = build_pipeline(load_config(Path(settings.name)).filters, lazy=False)
    mails = []
    for path in sorted(Path(folder).glob("*.eml")):
        kind = re.sub(r"^\d+-", "", path.stem).removesuffix("-marked")
        mails.append((kind, path.name, path.read_bytes()))

    def one_pass() -> dict[str, float]:
        spent: dict[str, float] = {}
        for kind, name, data in mails:
            started = time.process_time()
            pipeline.scan(Part(origin=name, data=data, name=name, declared_type="message/rfc822"))
            spent[kind] = spent.get(kind, 0.0) + time.process_time() - started
        return spent

    gc.freeze()  # as a scanner process does after its fork (filters/workers.py)
    one_pass()  # engines loaded, caches warm, as in a scanner that has served a while
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile(time.process_time)
        profiler.runcall(one_pass)
        profiler.dump_stats(profile)
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
    passes = [one_pass() for _ in range(runs)]
    counts: dict[str, int] = {}
    for kind, _name, _data in mails:
        counts[kind] = counts.get(kind, 0) + 1
    print(json.dumps({"counts": counts, "passes": passes}))


def _run(tree: Path, folder: Path, ocr: bool, runs: int, profile: str = "") -> dict:
    env = dict(os.environ, PYTHONPATH=str(tree))
    done = subprocess.run(
        [sys.executable, str(BENCH / "mix_profile.py"), "--child", str(folder),
         "--ocr", "on" if ocr else "off", "--runs", str(runs), "--cprofile", profile],
        capture_output=True, text=True, env=env, cwd=tree)
    if done.returncode != 0:
        raise SystemExit(f"bench: scanning with {tree} failed:\n{done.stderr[-2000:]}")
    if profile:
        print(re.sub(r"(?m)^Explicitly closing.*\n", "", done.stderr), file=sys.stderr)
    return json.loads(done.stdout.splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed passes per tree and setting")
    parser.add_argument("--messages", type=int, default=400, help="mails in the mix")
    parser.add_argument("--seed", type=int, default=21, help="seed of the mix")
    parser.add_argument("--baseline", default="", help="git revision or tree folder to compare")
    parser.add_argument("--cprofile", default="", help="write a cProfile of this tree here")
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    parser.add_argument("--ocr", default="on", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.ocr == "on", args.runs, args.cprofile)
        return 0

    from checkouts import baseline_tree
    from mix_corpus import generate

    folder = ROOT / "bench" / "out" / f"mix-{args.seed}-{args.messages}"
    generate(folder, args.messages, args.seed)
    with tempfile.TemporaryDirectory(prefix="redline-mix-profile-") as tmp:
        trees = {"this tree": ROOT}
        if args.baseline:
            trees = {"baseline": baseline_tree(args.baseline, Path(tmp) / "baseline"), **trees}
        load = os.getloadavg()[0]
        if args.cprofile:
            _run(ROOT, folder, True, 0, str(Path(args.cprofile).resolve()))
        results = {(name, ocr): _run(tree, folder, ocr, args.runs)
                   for ocr in (True, False) for name, tree in trees.items()}
        load_end = os.getloadavg()[0]
    counts = next(iter(results.values()))["counts"]
    kinds = sorted(counts, key=lambda k: -statistics.median(
        p[k] for p in results[("this tree", True)]["passes"]))
    columns = list(results)
    print(f"\nScanner CPU ms per mail over the mix ({sum(counts.values())} mails, seed "
          f"{args.seed}), median of {args.runs} passes; load average {load:.1f} at start, "
          f"{load_end:.1f} at the end\n")
    print("| kind (mails) | " + " | ".join(f"{n}, OCR {'on' if o else 'off'}" for n, o in columns)
          + (" | this / baseline, OCR on | OCR off |" if args.baseline else " |"))
    print("|---|" + "---|" * (len(columns) + (2 if args.baseline else 0)))

    def per_mail(column: tuple[str, bool], kind: str | None) -> float:
        passes = results[column]["passes"]
        if kind is None:
            return statistics.median(sum(p.values()) for p in passes) * 1000 / sum(counts.values())
        return statistics.median(p[kind] for p in passes) * 1000 / counts[kind]

    for kind in [*kinds, None]:
        label = f"{kind} ({counts[kind]})" if kind else f"all ({sum(counts.values())})"
        cells = [f"{per_mail(c, kind):.1f}" for c in columns]
        if args.baseline:
            cells += [f"{per_mail(('this tree', o), kind) / per_mail(('baseline', o), kind):.2f}x"
                      for o in (True, False)]
        print(f"| {label} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
