"""``redline scan PATH...``: inspect mails and files from the command line.

Exit status follows clamscan: 0 every item passed, 1 at least one was held or rejected, 2
an error (unreadable path, bad config or rules) occurred. A monitored item (policy mode or
action ``monitor``) leaves like a passing one: its verdict is ``pass`` with
``"monitored": true``, so the JSON keeps to the verdicts DESIGN names (pass, quarantine,
reject) and the exit status agrees with them.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, TypeVar

if TYPE_CHECKING:
    from filters.types import Hit, Verdict

T = TypeVar("T")

PROGRESS_MIN_ITEMS = 10  # below this a progress bar is more noise than help


def iter_paths(paths: list[str]) -> Iterator[tuple[str, str | None]]:
    """Every file under ``paths`` (folders recursively, sorted) with an error if unusable."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    yield str(Path(root) / name), None
        elif path.is_file():
            yield raw, None
        elif path.exists():
            yield raw, "not a regular file or folder"
        else:
            yield raw, "no such file or folder"


def _highlight(hit: Hit, tty: bool) -> str:
    if hit.span is None:
        return hit.excerpt
    start, end = hit.span
    on, off = ("\033[1;31m", "\033[0m") if tty else ("«", "»")
    return hit.excerpt[:start] + on + hit.excerpt[start:end] + off + hit.excerpt[end:]


def _print_human(path: str, verdict: Verdict, out: TextIO, tty: bool, quiet: bool) -> None:
    if quiet and verdict.passed:
        return
    # A monitored item leaves: it is a pass, marked as one the policy watches.
    label = "PASS (monitored)" if verdict.action == "monitor" else verdict.action.upper()
    print(f"{path}: {label}", file=out)
    for hit in verdict.hits:
        print(f"  {hit.severity:<8} {hit.rule} [{hit.category}]", file=out)
        print(f"           at {hit.where}", file=out)
        if hit.excerpt:
            print(f"           {_highlight(hit, tty)}", file=out)


class _Progress:
    """A one-line progress bar on a terminal's stderr for long batches."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.enabled = total >= PROGRESS_MIN_ITEMS and sys.stderr.isatty()
        self.started = time.monotonic()
        self.done = 0

    def step(self) -> None:
        self.done += 1
        if not self.enabled:
            return
        width = 30
        filled = width * self.done // self.total
        rate = self.done / max(time.monotonic() - self.started, 1e-6)
        sys.stderr.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} items, {rate:.1f}/s "
        )
        sys.stderr.flush()

    def counted(self, finished: Iterable[T]) -> Iterator[T]:
        """``finished``, a step for each as it is done (before they are put in path order)."""
        for item in finished:
            self.step()
            yield item

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 70 + "\r")


def default_jobs() -> int:
    """Scanner processes when --jobs is left out: one per core this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


def largest_first(paths: list[str]) -> list[int]:
    """The indexes of ``paths`` in the order they are dealt to scanners: largest file
    first (ties in path order). A scanner that takes a large file last keeps the batch
    waiting while the others idle; small files last even out the end."""

    def size(index: int) -> int:
        try:
            return os.stat(paths[index]).st_size
        except OSError:
            return 0  # the scanner reports the problem

    sizes = [size(i) for i in range(len(paths))]
    return sorted(range(len(paths)), key=lambda i: -sizes[i])


# Bytes that show an item may hold a picture OCR reads: a mail's picture, PDF or office
# attachment (by its content type), a raw PDF or office file with pictures, a PNG or JPEG.
PICTURE_SIGNS = (b"image/", b"application/pdf", b"officedocument", b"opendocument",
                 b"%PDF-", b"/media/", b"\x89PNG", b"\xff\xd8\xff")
SNIFF_BYTES = 64 << 20  # at most this much of a batch is looked through


def likely_pictures(paths: list[str], wanted: int) -> bool:
    """Whether at least ``wanted`` of ``paths`` show a sign of holding a picture
    (PICTURE_SIGNS), looking through at most SNIFF_BYTES.

    Only a cost decision (``redline scan --jobs N``: load Tesseract once before the
    scanners fork, or let each that meets a picture load its own); no verdict depends on it.
    """
    found = seen = 0
    for path in paths:
        if found >= wanted or seen >= SNIFF_BYTES:
            break
        try:
            with open(path, "rb") as f:
                data = f.read(SNIFF_BYTES - seen)
        except OSError:
            continue
        seen += len(data)
        if any(sign in data for sign in PICTURE_SIGNS):
            found += 1
    return found >= wanted


def in_path_order(dealt: list[int], finished: Iterable[tuple[int, T]]) -> Iterator[T]:
    """The outcomes of ``finished`` (``(position in dealt, outcome)``, as each is done)
    in path order (``dealt[position]`` is the path's index), each as soon as every path
    before it is done."""
    waiting: dict[int, T] = {}
    next_out = 0
    for position, outcome in finished:
        waiting[dealt[position]] = outcome
        while next_out in waiting:
            yield waiting.pop(next_out)
            next_out += 1


def run(args: argparse.Namespace) -> int:
    """Scan every path; print results; return the clamscan-style exit status."""
    # Start-up makes many lasting objects and little garbage: collections would only
    # walk them. Loaded modules and rules are frozen afterwards, so collections in the
    # scanners forked from here neither walk nor copy them.
    gc.disable()
    try:
        # Imported here, not at the top: ``redline --help`` and other commands need none.
        import json

        from filters.build import build_pipeline, load_for_scanners
        from filters.errors import RedlineError
        from filters.workers import ScanPool
        from gateway.config import load_config

        try:
            config = load_config(args.config)
        except RedlineError as exc:
            print(f"redline scan: {exc}", file=sys.stderr)
            return 2
        items = list(iter_paths(args.paths))
        todo = [p for p, err in items if err is None]
        errors = 0
        for path, err in items:
            if err is not None:
                print(f"redline scan: {path}: {err}", file=sys.stderr)
                errors += 1
        jobs = args.jobs if args.jobs else default_jobs()
        jobs = max(1, min(jobs, len(todo) or 1))
        try:
            pipeline = build_pipeline(config.filters, lazy=True)
            if jobs > 1 and len(todo) > jobs:
                load_for_scanners(pipeline)  # once here, not once in each scanner
                # Tesseract's handles (0.4 s of CPU) likewise, when more than one scanner
                # is likely to read a picture: loaded for none, they cost this process alone.
                if pipeline.ocr is not None and likely_pictures(todo, 2):
                    pipeline.ocr.load_for_forks()
        except RedlineError as exc:
            print(f"redline scan: {exc}", file=sys.stderr)
            return 2
        gc.freeze()
    finally:
        gc.enable()
    counts = {"pass": 0, "monitor": 0, "quarantine": 0, "reject": 0}
    tty = sys.stdout.isatty()
    out = sys.stdout
    progress = _Progress(len(todo))
    dealt = largest_first(todo) if jobs > 1 else list(range(len(todo)))
    try:
        with ScanPool(pipeline, jobs) as pool:
            finished = pool.scan_items_as_done([todo[i] for i in dealt])
            for outcome in in_path_order(dealt, progress.counted(finished)):
                if outcome.verdict is None:
                    print(f"redline scan: {outcome.path}: {outcome.error}", file=sys.stderr)
                    errors += 1
                    continue
                counts[outcome.verdict.action] += 1
                if args.json:
                    record = {"path": outcome.path, **outcome.verdict.as_dict()}
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
                else:
                    _print_human(outcome.path, outcome.verdict, out, tty, args.quiet)
    except RedlineError as exc:
        print(f"redline scan: {exc}", file=sys.stderr)
        return 2
    finally:
        progress.close()
    out.flush()
    if not args.json and not args.quiet:
        monitored = f" ({counts['monitor']} of them monitored)" if counts["monitor"] else ""
        print(
            f"\n{len(todo)} scanned: {counts['pass'] + counts['monitor']} pass{monitored}, "
            f"{counts['quarantine']} quarantine, "
            f"{counts['reject']} reject, {errors} errors",
            file=sys.stderr,
        )
    if errors:
        return 2
    return 0 if counts["quarantine"] == counts["reject"] == 0 else 1


def _jobs(text: str) -> int:
    """--jobs: a whole number of worker processes, at least one (leave it out for one per core)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of processes, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(
            f"needs at least 1 process, got {value} (leave --jobs out for one per core)"
        )
    return value


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register ``redline scan`` on the CLI's subparsers."""
    parser = sub.add_parser(
        "scan",
        help="inspect mails (.eml) and files; exit 0 pass, 1 held or rejected, 2 error",
        description="Inspect each PATH (a mail, any file, or a folder scanned recursively).",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument(
        "--jobs", type=_jobs, default=0, help="worker processes, 1 or more (default: one per core)"
    )
    parser.add_argument("--config", help="TOML config file (limits, policy, rules)")
    parser.add_argument("--quiet", action="store_true", help="print only items that hit")
    parser.set_defaults(func=run)
