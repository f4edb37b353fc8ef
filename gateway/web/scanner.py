"""The upload inspector's scanner processes: ``filters.workers.ScanSlots``, awaited from the loop.

Each upload is one ``PartsItem`` scanned in a one-process ``ScanPool``, which holds the
hard time limit, kills and replaces a stuck or crashed scanner (the upload then gets a
``limit.item_seconds`` or ``extract.crashed`` hit: held, fail closed) and closes every
descriptor the scanner inherited from the proxy. An upload whose parts are mostly in
memory goes through the pipe while the loop waits; one with much in-memory data is
written to the pipe from a thread, so the loop never blocks on a full pipe.
"""

from __future__ import annotations

from collections.abc import Sequence

from filters.pipeline import Pipeline
from filters.types import Hit, Part, ScanStats
from filters.workers import PartsItem, ScanOutcome, ScanPool, ScanSlots

# In-memory bytes up to which an upload is handed to its scanner from the loop itself.
LOOP_BYTES = 256 * 1024


class UploadScanner:
    """``workers`` scanner processes; ``await scan(parts)`` borrows one for one upload."""

    def __init__(self, pipeline: Pipeline, workers: int, hard_seconds: float) -> None:
        self.pipeline = pipeline
        self.hard_seconds = hard_seconds
        self._slots = ScanSlots(pipeline, workers, hard_seconds=hard_seconds,
                                thread_name="redline-upload-wait")

    @property
    def pids(self) -> list[int]:
        """Process ids of the current scanner processes (tests and diagnostics)."""
        return self._slots.pids

    async def scan(self, parts: Sequence[Part]) -> tuple[list[Hit], ScanStats]:
        """Hits and statistics for ``parts``; a stuck or crashed scan yields a policy hit."""
        where = parts[0].origin if len(parts) == 1 else "upload:body"
        item = PartsItem(where, tuple(parts))
        if sum(len(p.data) for p in parts) <= LOOP_BYTES:
            outcome = await self._slots.scan(item)
        else:
            outcome = await self._slots.run(lambda pool: _scan_blocking(pool, item))
        assert outcome.verdict is not None  # only a file path can fail to open
        return list(outcome.verdict.hits), outcome.verdict.stats

    def close(self) -> None:
        """Stop the scanner processes."""
        self._slots.close()


def _scan_blocking(pool: ScanPool, item: PartsItem) -> ScanOutcome:
    (outcome,) = pool.scan_items([item])
    return outcome
