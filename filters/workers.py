"""Scanning in worker processes with a hard time limit and crash containment.

The pipeline's own limits are checked between steps, but a single call into a C
library (PDFium, libmagic, a decompressor) cannot be interrupted from Python, and a
bug in one can crash the process. Each worker scans one item at a time; a worker that
overruns the hard limit is killed, a worker that dies is replaced, and in both cases the
item gets a ``policy`` hit and is held — the batch goes on.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path

from filters.pipeline import Pipeline, policy_hit
from filters.types import ScanStats, Verdict

log = logging.getLogger("redline.filters")
_context = multiprocessing.get_context("fork")


@dataclass(frozen=True, slots=True)
class ScanOutcome:
    """One item's result: a Verdict, or an error saying why the path could not be read."""

    path: str
    verdict: Verdict | None
    error: str | None = None


def _worker_main(conn: Connection, pipeline: Pipeline) -> None:
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        index, path = task
        try:
            with open(path, "rb"):
                pass  # report permission problems as errors, not as findings
            outcome = ScanOutcome(path, pipeline.scan_file(Path(path)))
        except OSError as exc:
            outcome = ScanOutcome(path, None, exc.strerror or str(exc))
        conn.send((index, outcome))


class _Worker:
    def __init__(self, pipeline: Pipeline) -> None:
        # A forked child flushes the std streams it inherited when it exits: flush them
        # first, or output the parent had buffered would be printed twice.
        sys.stdout.flush()
        sys.stderr.flush()
        self.conn, child = _context.Pipe()
        self.process = _context.Process(target=_worker_main, args=(child, pipeline), daemon=True)
        self.process.start()
        child.close()
        self.task: tuple[int, str] | None = None
        self.deadline = 0.0

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class ScanPool:
    """A fixed number of worker processes scanning files, with a hard limit per item."""

    def __init__(self, pipeline: Pipeline, jobs: int, *, hard_seconds: float | None = None) -> None:
        self.pipeline = pipeline
        self.jobs = max(1, jobs)
        # Past the pipeline's own item limit plus grace, the worker is stuck in C code.
        self.hard_seconds = hard_seconds or pipeline.limits.item_seconds * 1.5 + 5
        self._workers: list[_Worker] = []

    def __enter__(self) -> ScanPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop every worker."""
        for worker in self._workers:
            with contextlib.suppress(OSError):
                worker.conn.send(None)
            worker.process.join(1)
            worker.kill()
        self._workers.clear()

    def _held(self, path: str, rule: str, reason: str) -> Verdict:
        hits = (policy_hit(rule, "high", Path(path).name, reason),)
        try:
            size = os.path.getsize(path)
        except OSError:
            size = 0
        return Verdict(self.pipeline.policy.decide(hits), hits, ScanStats(bytes=size))

    def scan_files(self, paths: Iterable[str]) -> Iterator[ScanOutcome]:
        """Scan each path; outcomes come back in the order of ``paths``."""
        todo = iter(enumerate(paths))
        while len(self._workers) < self.jobs:
            self._workers.append(_Worker(self.pipeline))
        done: dict[int, ScanOutcome] = {}
        next_out = 0
        exhausted = False
        busy = 0
        while True:
            for worker in self._workers:
                if worker.task is None and not exhausted:
                    task = next(todo, None)
                    if task is None:
                        exhausted = True
                        break
                    worker.task = task
                    worker.deadline = time.monotonic() + self.hard_seconds
                    worker.conn.send(task)
                    busy += 1
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1
            if busy == 0 and exhausted:
                return
            timeout = max(0.0, min(w.deadline for w in self._workers if w.task) - time.monotonic())
            ready = wait([w.conn for w in self._workers if w.task], timeout)
            for i, worker in enumerate(self._workers):
                if worker.task is None:
                    continue
                index, path = worker.task
                if worker.conn in ready:
                    try:
                        got_index, outcome = worker.conn.recv()
                        assert got_index == index
                    except (EOFError, OSError):
                        code = worker.process.exitcode if not worker.process.is_alive() else None
                        log.error("scan worker died on %s (exit %s)", path, code)
                        outcome = ScanOutcome(path, self._held(
                            path, "extract.crashed",
                            f"the scanner process died while reading this item (exit {code})"))
                        worker.kill()
                        self._workers[i] = worker = _Worker(self.pipeline)
                elif time.monotonic() >= worker.deadline:
                    log.error("scan worker overran %.0f s on %s; killed", self.hard_seconds, path)
                    outcome = ScanOutcome(path, self._held(
                        path, "limit.item_seconds",
                        f"scanning did not finish within {self.hard_seconds:g} s and was stopped"))
                    worker.kill()
                    self._workers[i] = worker = _Worker(self.pipeline)
                else:
                    continue
                worker.task = None
                busy -= 1
                done[index] = outcome
