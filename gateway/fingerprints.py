"""Feeds registered documents from the quarantine store into the fingerprint engine.

The supervisor loads the whole index once before it forks workers (the arrays are then
shared, copy-on-write, by every worker and scanner process). Each worker then reads only
the changes after its watermark, every ``[fingerprints] refresh_seconds``, on its own
connection, and its scanning pools hand them to their scanner processes with the next
item (filters/workers.py). Scanners never open the store: an SQLite database a process
had open before a fork cannot be opened again safely in the child.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from pathlib import Path
from typing import Any

from filters.build import fingerprint_engine
from filters.errors import RedlineError
from filters.fingerprint_index import Changes
from filters.pipeline import Pipeline

log = logging.getLogger("redline.fingerprints")


class StoreFingerprintSource:
    """A FingerprintSource reading the quarantine store's change log."""

    def __init__(self, quarantine_config: Any, data_dir: str | Path) -> None:
        self.quarantine_config = quarantine_config
        self.data_dir = Path(data_dir)
        self._store: Any = None
        self._pid = 0

    def _opened(self) -> Any:
        if self._store is None or self._pid != os.getpid():
            from quarantine.config import open_store

            # A store inherited from the parent process is left alone: its connection
            # belongs to the parent (and a scanner has closed its descriptors).
            self._store = open_store(self.quarantine_config, self.data_dir)
            self._pid = os.getpid()
        return self._store

    def changes(self, after: int) -> Changes:
        """Additions and removals after ``after``, read from the store."""
        return self._opened().fingerprint_changes(after)

    def close(self) -> None:
        """Close this process's store connection (the next read opens a new one)."""
        if self._store is not None and self._pid == os.getpid():
            self._store.close()
        self._store = None


def attach_store(pipeline: Pipeline, quarantine_config: Any, data_dir: str | Path, *,
                 load: bool = True) -> StoreFingerprintSource | None:
    """Give the pipeline's fingerprint engine the store as its source; with ``load``, read
    every registered document now (and close the connection: forked processes open their
    own). None when fingerprints are off."""
    engine = fingerprint_engine(pipeline)
    if engine is None:
        return None
    source = StoreFingerprintSource(quarantine_config, data_dir)
    engine.source = source
    if load:
        try:
            while True:  # the change log is read in batches
                before = engine.index.watermark
                engine.refresh(force=True)
                if engine.index.watermark == before:
                    break
            engine.index.compact()
        except RedlineError as exc:
            log.warning("registered documents not loaded (%s); scanners read them when the "
                        "store is back", exc)
        finally:
            source.close()
        log.info("fingerprint index: %d registered documents, %d fingerprints, %.1f MiB",
                 len(engine.index), engine.index.fingerprints, engine.index.nbytes / 2**20)
    return source


async def follow_registrations(pipeline: Pipeline, stop: asyncio.Event) -> None:
    """In a worker: read new and removed registrations every ``refresh_seconds`` until
    ``stop`` (the read in a thread, the index changed on the loop's own thread)."""
    engine = fingerprint_engine(pipeline)
    if engine is None or engine.source is None:
        return
    source = engine.source
    while not stop.is_set():
        try:
            changes = await asyncio.to_thread(source.changes, engine.index.watermark)
        except Exception as exc:  # the store is down: keep scanning with what is known
            log.warning("fingerprint index not refreshed (%s); scanning with %d documents",
                        exc, len(engine.index))
        else:
            engine.take(changes)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), engine.config.refresh_seconds)
