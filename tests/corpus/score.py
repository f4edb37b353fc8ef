"""Scores the real pipeline on a generated corpus: recall per category, false alarms, every miss.

Usage: ``python -m tests.corpus.score DIR [--jobs N] [--json FILE]`` (DIR holds labels.json and
the items written by ``tests.corpus.generate``). Exit status 0 when the targets are met, 1 when
not, 2 when the corpus cannot be read.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

CATEGORIES: tuple[str, ...] = ("classification", "draft")
RECALL_TARGET = 0.99
FP_TARGET = 0.005

_pipeline = None  # one per worker process: rules are compiled once, not per item


def _init_worker() -> None:
    global _pipeline
    from filters.build import build_pipeline

    _pipeline = build_pipeline()


def _scan(path: str) -> dict[str, object]:
    """Scan one item with this process's pipeline; the verdict as plain data."""
    assert _pipeline is not None
    verdict = _pipeline.scan_file(Path(path))
    return {"verdict": verdict.action, "hits": [h.as_dict() for h in verdict.hits],
            "seconds": verdict.stats.seconds}


@dataclass
class Result:
    """One item's label and what the pipeline decided about it."""

    label: dict[str, object]
    verdict: str
    hits: list[dict[str, object]]
    seconds: float

    @property
    def expected(self) -> set[str]:
        return set(self.label["categories"])  # type: ignore[arg-type]

    @property
    def found(self) -> set[str]:
        """Categories with at least one hit (held items only: a pass catches nothing)."""
        if self.verdict == "pass":
            return set()
        return {str(h["category"]) for h in self.hits}

    @property
    def missed(self) -> set[str]:
        return self.expected - self.found

    @property
    def false_alarm(self) -> bool:
        return self.label["kind"] == "negative" and self.verdict != "pass"


@dataclass
class Report:
    """Scores over a corpus, and the items behind each miss and false alarm."""

    results: list[Result]
    seconds: float = 0.0
    recall: dict[str, float] = field(default_factory=dict)
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)
    fp_rate: float = 0.0
    negatives: int = 0

    def __post_init__(self) -> None:
        for category in CATEGORIES:
            relevant = [r for r in self.results if category in r.expected]
            caught = sum(category in r.found for r in relevant)
            self.counts[category] = (caught, len(relevant))
            self.recall[category] = caught / len(relevant) if relevant else 1.0
        self.negatives = sum(r.label["kind"] == "negative" for r in self.results)
        self.fp_rate = len(self.false_alarms) / self.negatives if self.negatives else 0.0

    @property
    def misses(self) -> list[Result]:
        return [r for r in self.results if r.missed]

    @property
    def false_alarms(self) -> list[Result]:
        return [r for r in self.results if r.false_alarm]

    @property
    def ok(self) -> bool:
        """True when every category's recall and the false-positive rate meet the targets."""
        return all(v >= RECALL_TARGET for v in self.recall.values()) and self.fp_rate <= FP_TARGET

    def table(self) -> str:
        """The score table: recall per category, false-positive rate, targets."""
        lines = [f"{'measure':<28}{'value':>8}{'count':>12}{'target':>10}  status"]
        for category in CATEGORIES:
            caught, total = self.counts[category]
            value = self.recall[category]
            lines.append(f"{'recall ' + category:<28}{value:>8.3f}{f'{caught}/{total}':>12}"
                         f"{'>= ' + str(RECALL_TARGET):>10}  {'ok' if value >= RECALL_TARGET else 'FAIL'}")
        fa = len(self.false_alarms)
        lines.append(f"{'false-positive rate':<28}{self.fp_rate:>8.3f}{f'{fa}/{self.negatives}':>12}"
                     f"{'<= ' + str(FP_TARGET):>10}  {'ok' if self.fp_rate <= FP_TARGET else 'FAIL'}")
        return "\n".join(lines)

    def breakdown(self) -> str:
        """Positives caught per format, location and evasion; negatives passed per format."""
        out = []
        for key in ("format", "location", "evasion", "lang"):
            tally: dict[str, Counter[str]] = {}
            for r in self.results:
                value = str(r.label.get(key) or "-")
                kind = str(r.label["kind"])
                good = not r.missed if kind == "positive" else not r.false_alarm
                tally.setdefault(value, Counter())[kind] += 1
                tally[value][kind + "_ok"] += good
            cells = [f"{value}: pos {t['positive_ok']}/{t['positive']}, "
                     f"neg {t['negative_ok']}/{t['negative']}" for value, t in sorted(tally.items())]
            out.append(f"by {key}:\n  " + "\n  ".join(cells))
        return "\n".join(out)

    def details(self) -> str:
        """Every miss and every false alarm, with description and hits."""
        out = [f"MISSES ({len(self.misses)}):"]
        for r in self.misses:
            out.append(_describe(r, f"missed {', '.join(sorted(r.missed))}"))
        out.append(f"FALSE ALARMS ({len(self.false_alarms)}):")
        for r in self.false_alarms:
            out.append(_describe(r, f"verdict {r.verdict}"))
        return "\n".join(out)


def _describe(r: Result, what: str) -> str:
    label = r.label
    head = (f"- {label['name']} [{label['format']}/{label['location']}"
            f"{'/' + str(label['evasion']) if label.get('evasion') else ''}] {what}: "
            f"{label['description']}")
    hits = [f"    hit {h['rule']} ({h['category']}, {h['severity']}) at {h['where']}: "
            f"{str(h['excerpt'])[:160]!r}" for h in r.hits]
    return "\n".join([head, *(hits or ["    no hits"])])


def load_labels(corpus_dir: Path) -> list[dict[str, object]]:
    """The manifest entries of a generated corpus."""
    manifest = json.loads((corpus_dir / "labels.json").read_text(encoding="utf-8"))
    return list(manifest["items"])


def score(corpus_dir: Path, jobs: int | None = None, names: Iterable[str] | None = None) -> Report:
    """Scan every item of the corpus in ``corpus_dir`` with the real pipeline and score it."""
    labels = load_labels(corpus_dir)
    if names is not None:
        wanted = set(names)
        labels = [label for label in labels if label["name"] in wanted]
    jobs = jobs or min(len(labels), os.cpu_count() or 1) or 1
    paths = [str(corpus_dir / str(label["name"])) for label in labels]
    started = time.perf_counter()
    if jobs == 1:
        _init_worker()
        scanned = [_scan(p) for p in paths]
    else:
        with ProcessPoolExecutor(jobs, initializer=_init_worker) as pool:
            scanned = list(pool.map(_scan, paths, chunksize=8))
    results = [Result(label, str(s["verdict"]), list(s["hits"]), float(s["seconds"]))  # type: ignore[arg-type]
               for label, s in zip(labels, scanned, strict=True)]
    return Report(results, seconds=time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    """Command line: score a generated corpus and print the table, misses and false alarms."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus_dir", type=Path, nargs="?", default=Path("var/corpus"),
                        help="directory written by tests.corpus.generate (default var/corpus)")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    parser.add_argument("--json", type=Path, default=None, help="also write every result to this file")
    parser.add_argument("--item", action="append", default=None, help="score only this item (repeatable)")
    args = parser.parse_args(argv)
    try:
        report = score(args.corpus_dir, args.jobs, args.item)
    except (OSError, ValueError, KeyError) as exc:
        print(f"cannot read the corpus in {args.corpus_dir}: {exc}", file=sys.stderr)
        return 2
    print(report.table())
    print()
    print(report.breakdown())
    print()
    print(report.details())
    slowest = max(report.results, key=lambda r: r.seconds)
    print(f"\n{len(report.results)} items scanned in {report.seconds:.1f} s "
          f"(slowest {slowest.label['name']} {slowest.seconds * 1000:.0f} ms)")
    if args.json:
        args.json.write_text(json.dumps(
            [{**r.label, "verdict": r.verdict, "hits": r.hits} for r in report.results],
            ensure_ascii=False, indent=1), encoding="utf-8")
    print("targets met" if report.ok else "targets NOT met")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
