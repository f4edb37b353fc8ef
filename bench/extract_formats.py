"""CPU seconds each extractor spends on the documents of the scan_folder mix, per format.

    .venv/bin/python bench/extract_formats.py [--runs 5] [--mails 261] [--baseline REF]

Generates the folder of bench/scan_folder.py (same seed), takes out its PDF, xlsx and docx
attachments, and times each format's extractor over them in a process of its own (CPU
seconds, the fastest of three passes after a warm one; no OCR, so that the figure is the
extractor's). With ``--baseline REF`` the extractors of git revision REF (or a tree
folder, see bench/checkouts.py) run in the same rounds, alternating with this tree's, and
the table gives their ratio. Medians of --runs rounds; load averages before and after.
"""

from __future__ import annotations

import argparse
import email
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

FORMATS = {  # name: (content type fragment, extractor module)
    "pdf": ("application/pdf", "pdf"),
    "xlsx": ("spreadsheetml", "ooxml"),
    "docx": ("wordprocessingml", "ooxml"),
}


def _child(module_name: str, folder: str) -> None:
    """(In the timed process.) Print the CPU seconds of the fastest of three passes."""
    import importlib

    from filters.limits import Budget, Limits
    from filters.types import Part

    module = importlib.import_module(f"filters.extract.{module_name}")
    datas = [path.read_bytes() for path in sorted(Path(folder).iterdir())]

    def one_pass() -> float:
        started = time.process_time()
        for data in datas:
            budget = Budget(Limits())
            for _ in module.extract(Part(origin="item", data=data), budget):
                pass
            budget.close()
        return time.process_time() - started

    one_pass()
    print(min(one_pass() for _ in range(3)))


def _attachments(mails: list[Path], out: Path) -> dict[str, int]:
    counts = {}
    for name in FORMATS:
        (out / name).mkdir(parents=True)
        counts[name] = 0
    for path in mails:
        for entity in email.message_from_bytes(path.read_bytes()).walk():
            for name, (fragment, _) in FORMATS.items():
                if fragment in entity.get_content_type():
                    counts[name] += 1
                    (out / name / f"{path.stem}-{counts[name]}").write_bytes(
                        entity.get_payload(decode=True))
    return counts


def _time(tree: Path, module_name: str, folder: Path) -> float:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tree), *filter(None, [
        os.environ.get("PYTHONPATH")])]))
    done = subprocess.run([sys.executable, str(BENCH / "extract_formats.py"), "--child",
                           module_name, str(folder)], env=env, cwd=tree, check=True,
                          capture_output=True, text=True)
    return float(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="rounds (median reported)")
    parser.add_argument("--mails", type=int, default=261, help="mails in the folder")
    parser.add_argument("--baseline", metavar="REF", help="also time git revision REF's extractors")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return 0
    from checkouts import baseline_tree
    from scan_folder import build_folder

    with tempfile.TemporaryDirectory(prefix="redline-bench-formats-") as tmp:
        counts = _attachments(build_folder(Path(tmp) / "mails", args.mails), Path(tmp) / "files")
        trees = {"this tree": ROOT}
        if args.baseline:
            label = args.baseline if len(args.baseline) <= 11 else Path(args.baseline).name[:11]
            trees[label] = baseline_tree(args.baseline, Path(tmp) / "baseline")
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
        header = f"{'format':<8}{'files':>6}  {'tree':<11}{'CPU s':>8}{'ratio':>8}"
        print(header)
        print("-" * len(header))
        for name, (_, module_name) in FORMATS.items():
            seconds: dict[str, list[float]] = {side: [] for side in trees}
            for run in range(args.runs):
                order = list(trees.items())
                for side, tree in order if run % 2 == 0 else order[::-1]:
                    seconds[side].append(_time(tree, module_name, Path(tmp) / "files" / name))
            first = statistics.median(seconds["this tree"])
            for side in trees:
                median = statistics.median(seconds[side])
                ratio = f"{median / first:.2f}" if side != "this tree" else ""
                print(f"{name if side == 'this tree' else '':<8}"
                      f"{counts[name] if side == 'this tree' else '':>6}  {side:<11}"
                      f"{median:>8.3f}{ratio:>8}")
        print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(f"medians of {args.runs} rounds, the trees alternating; each the fastest of 3 "
              "passes; ratio = the baseline's CPU over this tree's (above 1: this tree is faster)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
