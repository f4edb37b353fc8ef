"""Worker processes that scan an upload's Parts with a hard time limit, awaited from the event loop.

The pipeline stops itself at ``limits.item_seconds``, but only between steps: one call
into a C library (PDFium, libmagic, a decompressor) cannot be interrupted from Python,
and a thread stuck there would pin the proxy for good. So uploads are scanned in forked
processes, one upload per process at a time, like ``filters.workers.ScanPool`` does for
batches; an upload whose scan overruns the hard limit has its process killed and
replaced, and the upload gets a ``limit.item_seconds`` hit (held, fail closed). A
process that dies gets an ``extract.crashed`` hit the same way.

Each scan is waited for in a small thread pool (one thread per process), so the loop
never blocks on a pipe.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection

from filters.pipeline import Pipeline, policy_hit
from filters.types import Hit, Part, ScanStats

log = logging.getLogger("redline.uploads")
_context = multiprocessing.get_context("fork")


def scan_parts(pipeline: Pipeline, parts: Sequence[Part]) -> tuple[list[Hit], ScanStats]:
    """Scan each Part and add up the hits and statistics (runs in a worker process)."""
    hits: list[Hit] = []
    total = ScanStats()
    limits: list[str] = []
    types: dict[str, int] = {}
    for part in parts:
        verdict = pipeline.scan(part)
        hits += verdict.hits
        s = verdict.stats
        limits += s.limits_reached
        for name, count in s.types.items():
            types[name] = types.get(name, 0) + count
        total = ScanStats(bytes=total.bytes + s.bytes,
                          expanded_bytes=total.expanded_bytes + s.expanded_bytes,
                          parts=total.parts + s.parts, max_depth=max(total.max_depth, s.max_depth),
                          limits_reached=tuple(dict.fromkeys(limits)), types=types)
    return hits, total


def _worker_main(conn: Connection, pipeline: Pipeline) -> None:
    while True:
        try:
            parts = conn.recv()
        except (EOFError, OSError):
            return
        if parts is None:
            return
        conn.send(scan_parts(pipeline, parts))


class _Worker:
    def __init__(self, pipeline: Pipeline) -> None:
        # A forked child flushes the std streams it inherited when it exits: flush them
        # first, or output the parent had buffered would be printed twice.
        sys.stdout.flush()
        sys.stderr.flush()
        self.conn, child = _context.Pipe()
        self.process = _context.Process(target=_worker_main, args=(child, pipeline), daemon=True,
                                        name="redline-upload-scan")
        self.process.start()
        child.close()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class UploadScanner:
    """``workers`` scanner processes; ``await scan(parts)`` borrows one for one upload."""

    def __init__(self, pipeline: Pipeline, workers: int, hard_seconds: float) -> None:
        self.pipeline = pipeline
        self.hard_seconds = hard_seconds
        # Forked now, while the process is small and (ideally) has no other threads yet.
        self._workers = [_Worker(pipeline) for _ in range(max(1, workers))]
        self._executor = ThreadPoolExecutor(len(self._workers),
                                            thread_name_prefix="redline-upload-wait")
        self._free: asyncio.Queue[int] | None = None

    @property
    def pids(self) -> list[int]:
        """Process ids of the current scanner processes (tests and diagnostics)."""
        return [w.process.pid for w in self._workers if w.process.pid is not None]

    def _run(self, slot: int, parts: Sequence[Part]) -> tuple[list[Hit], ScanStats]:
        """Blocking: hand ``parts`` to the worker in ``slot`` and wait up to the hard limit."""
        worker = self._workers[slot]
        started = time.monotonic()
        size = sum(p.size for p in parts)
        try:
            worker.conn.send(list(parts))
            if worker.conn.poll(self.hard_seconds):
                return worker.conn.recv()
            log.error("upload scan overran %.3g s; scanner process %s killed",
                      self.hard_seconds, worker.process.pid)
            rule = "limit.item_seconds"
            reason = f"scanning did not finish within {self.hard_seconds:g} s and was stopped"
            limits: tuple[str, ...] = ("item_seconds",)
        except (EOFError, OSError):
            code = worker.process.exitcode if not worker.process.is_alive() else None
            log.error("upload scanner process %s died (exit %s)", worker.process.pid, code)
            rule = "extract.crashed"
            reason = f"the scanner process died while reading this upload (exit {code})"
            limits = ()
        worker.kill()
        self._workers[slot] = _Worker(self.pipeline)
        where = parts[0].origin if len(parts) == 1 else "upload:body"
        stats = ScanStats(bytes=size, seconds=time.monotonic() - started, limits_reached=limits)
        return [policy_hit(rule, "high", where, reason)], stats

    async def scan(self, parts: Sequence[Part]) -> tuple[list[Hit], ScanStats]:
        """Hits and statistics for ``parts``; a stuck or crashed scan yields a policy hit."""
        if self._free is None:
            self._free = asyncio.Queue()
            for slot in range(len(self._workers)):
                self._free.put_nowait(slot)
        free = self._free
        slot = await free.get()
        future = asyncio.get_running_loop().run_in_executor(self._executor, self._run, slot,
                                                            parts)
        # The slot is free again only when the blocking call returns, even if this
        # request was cancelled meanwhile (client gone): the thread still owns the pipe.
        future.add_done_callback(lambda _: free.put_nowait(slot))
        return await asyncio.shield(future)

    def close(self) -> None:
        """Stop the scanner processes."""
        self._executor.shutdown(wait=False, cancel_futures=True)
        for worker in self._workers:
            with contextlib.suppress(OSError):
                worker.conn.send(None)
        for worker in self._workers:
            worker.process.join(1)
            worker.kill()
