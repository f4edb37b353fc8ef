"""The upload inspector's scanner processes: ``filters.workers.ScanPool``, awaited from the event loop.

Each upload is one ``PartsItem`` handed to a one-process ``ScanPool``, which holds the
hard time limit, kills and replaces a stuck or crashed scanner (the upload then gets a
``limit.item_seconds`` or ``extract.crashed`` hit: held, fail closed) and closes every
descriptor the scanner inherited from the proxy. Each scan is waited for in a small
thread pool (one thread per process), so the loop never blocks on a pipe.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from filters.pipeline import Pipeline
from filters.types import Hit, Part, ScanStats
from filters.workers import PartsItem, ScanPool


class UploadScanner:
    """``workers`` scanner processes; ``await scan(parts)`` borrows one for one upload."""

    def __init__(self, pipeline: Pipeline, workers: int, hard_seconds: float) -> None:
        self.pipeline = pipeline
        self.hard_seconds = hard_seconds
        self._pools = [ScanPool(pipeline, 1, hard_seconds=hard_seconds)
                       for _ in range(max(1, workers))]
        for pool in self._pools:
            pool.start()  # forked now, while the process is small and has no threads yet
        self._executor = ThreadPoolExecutor(len(self._pools),
                                            thread_name_prefix="redline-upload-wait")
        self._free: asyncio.Queue[ScanPool] | None = None

    @property
    def pids(self) -> list[int]:
        """Process ids of the current scanner processes (tests and diagnostics)."""
        return [pid for pool in self._pools for pid in pool.pids]

    @staticmethod
    def _run(pool: ScanPool, parts: Sequence[Part]) -> tuple[list[Hit], ScanStats]:
        """Blocking: scan ``parts`` as one item in ``pool``, up to its hard limit."""
        where = parts[0].origin if len(parts) == 1 else "upload:body"
        (outcome,) = pool.scan_items([PartsItem(where, tuple(parts))])
        assert outcome.verdict is not None  # only a file path can fail to open
        return list(outcome.verdict.hits), outcome.verdict.stats

    async def scan(self, parts: Sequence[Part]) -> tuple[list[Hit], ScanStats]:
        """Hits and statistics for ``parts``; a stuck or crashed scan yields a policy hit."""
        if self._free is None:
            self._free = asyncio.Queue()
            for pool in self._pools:
                self._free.put_nowait(pool)
        free = self._free
        pool = await free.get()
        future = asyncio.get_running_loop().run_in_executor(self._executor, self._run, pool,
                                                            parts)
        # The pool is free again only when the blocking call returns, even if this
        # request was cancelled meanwhile (client gone): the thread still owns the pipe.
        future.add_done_callback(lambda _: free.put_nowait(pool))
        return await asyncio.shield(future)

    def close(self) -> None:
        """Stop the scanner processes."""
        self._executor.shutdown(wait=False, cancel_futures=True)
        for pool in self._pools:
            pool.close()
