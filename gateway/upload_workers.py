"""Worker processes that scan an upload's Parts with a hard time limit, awaited from the event loop.

The pipeline stops itself at ``limits.item_seconds``, but only between steps: one call
into a C library (PDFium, libmagic, a decompressor) cannot be interrupted from Python,
and a thread stuck there would pin the proxy for good. So uploads are scanned in forked
processes, one upload per process at a time, like ``filters.workers.ScanPool`` does for
batches; an upload whose scan overruns the hard limit has its process killed and
replaced, and the upload gets a ``limit.item_seconds`` hit (held, fail closed). A
process that dies gets an ``extract.crashed`` hit the same way.

A scanner process is forked directly (not through ``multiprocessing.Process``) and
closes every descriptor it inherited except stdio and its own pipe end: the listening
sockets, clients' connections, the quarantine store's database file and the other
scanners' pipes. A scanner holding a client connection would keep it from closing; one
holding a listening socket would keep the port queueing connections after its worker
has gone. ``multiprocessing.Process`` cannot be used for that: its sentinel is one of
the inherited descriptors, and once the child has closed it ``join(timeout)`` blocks.

Each scan is waited for in a small thread pool (one thread per process), so the loop
never blocks on a pipe.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection

from filters.pipeline import Pipeline, policy_hit
from filters.types import Hit, Part, ScanStats
from filters.workers import close_inherited_fds

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
            return  # the proxy closed its end, or died: nothing more will come
        if parts is None:
            return
        conn.send(scan_parts(pipeline, parts))


def _child_main(conn: Connection, pipeline: Pipeline) -> None:
    """The forked scanner process: drop every inherited descriptor, serve ``conn``, exit."""
    code = 1
    try:
        # Inherited objects (sockets, the store's connection) must never be finalised
        # here: their descriptors are closed below, and a late close() of the same
        # number would hit a file the scanner opened since.
        gc.freeze()
        with contextlib.suppress(ValueError):  # the parent's loop wrote signals to a pipe
            signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        close_inherited_fds([conn.fileno()])
        _worker_main(conn, pipeline)
        code = 0
    except BaseException:
        log.exception("upload scanner process failed")
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


class _Worker:
    """One forked scanner process and the proxy's end of its pipe."""

    def __init__(self, pipeline: Pipeline) -> None:
        # A forked child flushes the std streams it inherited when it exits: flush them
        # first, or output the parent had buffered would be printed twice.
        sys.stdout.flush()
        sys.stderr.flush()
        self.conn, child = _context.Pipe()
        pid = os.fork()
        if pid == 0:
            _child_main(child, pipeline)  # never returns
        child.close()
        self.pid = pid
        self.exitcode: int | None = None

    def is_alive(self) -> bool:
        """True while the process runs (reaps it once it has ended)."""
        if self.exitcode is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                self.exitcode = -1
                return False
            if pid:
                self.exitcode = os.waitstatus_to_exitcode(status)
        return self.exitcode is None

    def join(self, timeout: float) -> None:
        """Wait up to ``timeout`` seconds for the process to end."""
        deadline = time.monotonic() + timeout
        while self.is_alive() and time.monotonic() < deadline:
            time.sleep(0.005)

    def kill(self) -> None:
        """Kill the process, reap it and close the pipe."""
        if self.is_alive():
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        self.join(5)
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
        return [w.pid for w in self._workers]

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
                      self.hard_seconds, worker.pid)
            rule = "limit.item_seconds"
            reason = f"scanning did not finish within {self.hard_seconds:g} s and was stopped"
            limits: tuple[str, ...] = ("item_seconds",)
        except (EOFError, OSError):
            code = worker.exitcode if not worker.is_alive() else None
            log.error("upload scanner process %s died (exit %s)", worker.pid, code)
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
            worker.join(1)
            worker.kill()
