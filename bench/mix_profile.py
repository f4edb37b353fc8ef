"""Scanner CPU per kind of mail over bench/mix.sh's mix, OCR on and off, and where it goes.

    .venv/bin/python bench/mix_profile.py [--runs 3] [--messages 400] [--seed 21]
                                          [--baseline REF] [--cprofile FILE]
                                          [--kinds plain,reply,html] [--ocr on|off|both]

Scans every mail of the mix (bench/mix_corpus.py, the same seed and count as bench/mix.sh)
with the pipeline ``redline serve`` builds, one process per tree and OCR setting, and
prints CPU milliseconds per mail by kind: the median of --runs passes after a warm one.
``--baseline REF`` runs git revision REF (or a tree folder, see bench/checkouts.py) beside
this tree: both processes stay up and take turns pass by pass (which goes first
alternates), so a change in the machine's load falls on both; the ratio is the median of
the paired passes' ratios. ``--kinds`` scans only mails of those kinds, ``--ocr`` one
setting only. ``--cprofile FILE`` writes a cProfile (CPU clock) of one pass of this tree
with the first --ocr setting (on for "both"), and prints its 25 most costly functions.
With --baseline, each tree's verdicts of its warm pass (action; every hit's rule, place,
excerpt and span) are compared mail by mail and any difference is printed: a speed change
must not change what is found.
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


# Marks the child's answers on its stdout (anything else there is not ours).
_ANSWER = "@mix_profile "


def _child(folder: str, ocr: bool, profile: str, kinds: set[str]) -> None:
    """(In the timed process.) Print the count of mails by kind and the warm pass's
    verdicts, then one pass's {kind: CPU seconds} for each line read on stdin, each as JSON."""
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
        if not kinds or kind in kinds:
            mails.append((kind, path.name, path.read_bytes()))

    def one_pass(verdicts: dict | None = None) -> dict[str, float]:
        spent: dict[str, float] = {}
        # Each pass is mail the scanner has not seen: its cache of picture texts
        # (filters.ocr.TextCache) is emptied, or every picture after the warm pass would be
        # a text read before.
        texts = getattr(pipeline.ocr, "texts", None)
        if texts is not None:
            texts.clear()
        for kind, name, data in mails:
            started = time.process_time()
            verdict = pipeline.scan(Part(origin=name, data=data, name=name,
                                         declared_type="message/rfc822"))
            spent[kind] = spent.get(kind, 0.0) + time.process_time() - started
            if verdicts is not None:
                verdicts[name] = [verdict.action, sorted(
                    [h.rule, h.where, h.excerpt, list(h.span or ())] for h in verdict.hits)]
        return spent

    gc.freeze()  # as a scanner process does after its fork (filters/workers.py)
    verdicts: dict[str, list] = {}
    one_pass(verdicts)  # engines loaded, caches warm, as in a scanner that has served a while
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile(time.process_time)
        profiler.runcall(one_pass)
        profiler.dump_stats(profile)
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
    counts: dict[str, int] = {}
    for kind, _name, _data in mails:
        counts[kind] = counts.get(kind, 0) + 1
    print(_ANSWER + json.dumps({"counts": counts, "verdicts": verdicts}), flush=True)
    for _line in sys.stdin:
        print(_ANSWER + json.dumps(one_pass()), flush=True)


class _Scanner:
    """One timed process scanning the mix with ``tree``'s code, a pass when asked."""

    def __init__(self, tree: Path, folder: Path, ocr: bool, kinds: str, profile: str = "") -> None:
        self.tree = tree
        self.process = subprocess.Popen(
            [sys.executable, str(BENCH / "mix_profile.py"), "--child", str(folder),
             "--ocr", "on" if ocr else "off", "--cprofile", profile, "--kinds", kinds],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=dict(os.environ, PYTHONPATH=str(tree)), cwd=tree)
        first = self._answer()
        self.counts: dict[str, int] = first["counts"]
        self.verdicts: dict[str, list] = first["verdicts"]

    def _answer(self) -> dict:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith(_ANSWER):
                return json.loads(line[len(_ANSWER):])
        _, err = self.process.communicate()
        raise SystemExit(f"bench: scanning with {self.tree} failed:\n{err[-2000:]}")

    def one_pass(self) -> dict[str, float]:
        """CPU seconds by kind of one more pass over the mix."""
        assert self.process.stdin is not None
        self.process.stdin.write("pass\n")
        self.process.stdin.flush()
        return self._answer()

    def close(self) -> str:
        """End the process; its stderr."""
        _, err = self.process.communicate("")
        return err


def _passes(trees: dict[str, Path], folder: Path, ocr: bool, runs: int,
            kinds: str) -> dict[str, dict]:
    """{tree name: {"counts", "passes"}}, the trees' processes taking turns pass by pass."""
    scanners = {name: _Scanner(tree, folder, ocr, kinds) for name, tree in trees.items()}
    passes: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    try:
        for number in range(runs):
            order = list(scanners.items())
            for name, scanner in order[::-1] if number % 2 else order:
                passes[name].append(scanner.one_pass())
    finally:
        for scanner in scanners.values():
            scanner.close()
    return {name: {"counts": scanners[name].counts, "verdicts": scanners[name].verdicts,
                   "passes": passes[name]} for name in trees}


def _compare_verdicts(results: dict, settings: tuple[bool, ...]) -> None:
    """Print, per OCR setting, whether both trees found the same in every mail."""
    for ocr in settings:
        ours = results[("this tree", ocr)]["verdicts"]
        theirs = results[("baseline", ocr)]["verdicts"]
        differ = sorted(name for name in ours.keys() | theirs.keys()
                        if ours.get(name) != theirs.get(name))
        setting = f"OCR {'on' if ocr else 'off'}"
        if not differ:
            held = sum(v[0] != "pass" for v in ours.values())
            print(f"\nVerdicts, {setting}: identical in all {len(ours)} mails "
                  f"({held} not passed; every hit's rule, place, excerpt and span the same)")
            continue
        print(f"\nVerdicts, {setting}: {len(differ)} of {len(ours)} mails DIFFER")
        for name in differ[:20]:
            print(f"  {name}\n    this tree: {ours.get(name)}\n    baseline:  {theirs.get(name)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed passes per tree and setting")
    parser.add_argument("--messages", type=int, default=400, help="mails in the mix")
    parser.add_argument("--seed", type=int, default=21, help="seed of the mix")
    parser.add_argument("--baseline", default="", help="git revision or tree folder to compare")
    parser.add_argument("--cprofile", default="", help="write a cProfile of this tree here")
    parser.add_argument("--kinds", default="",
                        help="comma-separated kinds of mail to scan (default: every kind)")
    parser.add_argument("--ocr", default="both", choices=("on", "off", "both"),
                        help="OCR settings to measure")
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.ocr != "off", args.cprofile,
               {k for k in args.kinds.split(",") if k})
        return 0
    settings = {"on": (True,), "off": (False,), "both": (True, False)}[args.ocr]

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
            profiled = _Scanner(ROOT, folder, settings[0], args.kinds,
                                str(Path(args.cprofile).resolve()))
            print(re.sub(r"(?m)^Explicitly closing.*\n", "", profiled.close()), file=sys.stderr)
        results = {(name, ocr): found
                   for ocr in settings
                   for name, found in _passes(trees, folder, ocr, args.runs, args.kinds).items()}
        load_end = os.getloadavg()[0]
    counts = next(iter(results.values()))["counts"]
    kinds = sorted(counts, key=lambda k: -statistics.median(
        p[k] for p in results[("this tree", settings[0])]["passes"]))
    columns = list(results)
    print(f"\nScanner CPU ms per mail over the mix ({sum(counts.values())} mails, seed "
          f"{args.seed}), median of {args.runs} passes; load average {load:.1f} at start, "
          f"{load_end:.1f} at the end\n")
    print("| kind (mails) | " + " | ".join(f"{n}, OCR {'on' if o else 'off'}" for n, o in columns)
          + "".join(f" | this / baseline, OCR {'on' if o else 'off'}" for o in settings
                    if args.baseline) + " |")
    print("|---|" + "---|" * (len(columns) + (len(settings) if args.baseline else 0)))

    def spent(column: tuple[str, bool], kind: str | None) -> list[float]:
        """CPU ms per mail of each pass."""
        if kind is None:
            return [sum(p.values()) * 1000 / sum(counts.values())
                    for p in results[column]["passes"]]
        return [p[kind] * 1000 / counts[kind] for p in results[column]["passes"]]

    for kind in [*kinds, None]:
        label = f"{kind} ({counts[kind]})" if kind else f"all ({sum(counts.values())})"
        cells = [f"{statistics.median(spent(c, kind)):.1f}" for c in columns]
        if args.baseline:
            # Paired passes ran one after the other: their ratio carries less of the load.
            for o in settings:
                pairs = zip(spent(("this tree", o), kind), spent(("baseline", o), kind),
                            strict=True)
                cells.append(f"{statistics.median(t / b for t, b in pairs):.2f}x")
        print(f"| {label} | " + " | ".join(cells) + " |")
    if args.baseline:
        _compare_verdicts(results, settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
