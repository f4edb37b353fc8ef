"""Scanning mail off the event loop: scanner processes used one message at a time."""

from __future__ import annotations

import asyncio
import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from filters.errors import RedlineError
from filters.pipeline import Pipeline
from filters.types import Part, Verdict
from filters.workers import PartsItem, ScanPool, ScanSlots, pipe_capacity

T = TypeVar("T")

# Mail up to this size may take the express scanner (kept for small mail while every
# other scanner reads something large).
EXPRESS_BYTES = 64 * 1024
# Mail held in memory goes to its scanner as bytes through the scanner's pipe, written
# from the loop, when the pipe takes it whole without waiting for the scanner to read
# (half of what it was measured to take; the pipe is empty when a scanner is idle). A
# larger mail is spooled in a thread and the scanner reads the file: a megabyte written
# into a pipe that held 64 KiB stalled every other session until the scanner had read it.
PIPE_MAIL_BYTES = 1 << 20


def mail_part(name: str, data: bytes) -> Part:
    """The root Part of a mail held in memory, ``name`` (its queue id's file name) being
    where a hit on the whole mail points.

    The Part has no file name: ``name`` is Redline's own, not the sender's, and a named
    part's name is read as a text part of its own (a marking in "SECRET_plan.docx"), one
    more run of every text engine and a YARA call per mail, since every queue id differs.
    """
    return Part(origin=name, data=data, declared_type="message/rfc822")


class ScanFailed(RedlineError):
    """The message could not be inspected now (scanner overran or failed): answer 4xx."""


class Scanner:
    """Scanner processes (one ``ScanPool`` each) used one message at a time from the loop.

    The pipeline stops itself at ``limits.item_seconds`` of CPU time, or at its wall-clock
    backstop (``Limits.item_wall_seconds``): a ``limit`` hit, held. A scanner still busy
    ``grace`` seconds after the backstop is stuck in C code: it is killed and the
    message held with ``limit.item_seconds``; one that dies holds it with
    ``extract.crashed``. Retrying such a message would only fail the same way, so
    neither is a 4xx. Only a scan that cannot happen at all (no scanner process, no
    spool space) is ScanFailed, answered 451.
    """

    def __init__(self, pipeline: Pipeline, workers: int, grace: float) -> None:
        hard_seconds = pipeline.limits.item_wall_seconds + grace
        # The longest a decision can wait for its scan (the pool answers by hard_seconds;
        # the margin covers killing and replacing a stuck scanner).
        self.wait_seconds = hard_seconds + 15
        # Forked now, before the loop's threads exist. One express slot keeps small mail
        # moving while every other slot reads a large one (a scanned PDF takes seconds).
        self._slots = ScanSlots(pipeline, workers or os.cpu_count() or 1,
                                hard_seconds=hard_seconds, express=1)
        self.pipe_bytes = min(PIPE_MAIL_BYTES, pipe_capacity() // 2)

    @staticmethod
    def _scan_blocking(pool: ScanPool, path: Path) -> Verdict:
        (outcome,) = list(pool.scan_files([str(path)]))
        if outcome.verdict is None:
            raise ScanFailed(f"the spooled message could not be read: {outcome.error}")
        return outcome.verdict

    async def scan(self, path: Path) -> Verdict:
        """The verdict on the spooled message at ``path``, waited for on the loop (no
        thread: only the path goes through the pipe); raises ScanFailed.

        A scanner that overruns or dies gives a held verdict, as in ``scan_message``.
        """
        try:
            outcome = await self._slots.scan(str(path))
        except OSError as exc:  # no scanner process could be started
            raise ScanFailed(f"no scanner process: {exc}") from None
        if outcome.verdict is None:
            raise ScanFailed(f"the spooled message could not be read: {outcome.error}")
        return outcome.verdict

    @staticmethod
    async def spool(prepare: Callable[[], T]) -> T:
        """``prepare()`` (the spool file work before a scan) in a thread; ScanFailed when
        the file cannot be written or read."""
        try:
            return await asyncio.to_thread(prepare)
        except OSError as exc:
            raise ScanFailed(f"the message could not be spooled: {exc}") from None

    async def scan_message(self, name: str, data: bytes) -> Verdict:
        """The verdict on a message held in memory (at most ``pipe_bytes``), scanned
        without a spool file or a thread.

        A scanner that overruns or dies gives a held verdict (limit.item_seconds,
        extract.crashed), as for any item: retrying such a message would only fail again.
        """
        part = mail_part(name, data)
        try:
            outcome = await self._slots.scan(PartsItem(name, (part,)),
                                             express=len(data) <= EXPRESS_BYTES)
        except OSError as exc:  # no scanner process could be started
            raise ScanFailed(f"no scanner process: {exc}") from None
        assert outcome.verdict is not None
        return outcome.verdict

    async def run(self, job: Callable[[Callable[[Path], Verdict]], T]) -> T:
        """``job(scan)`` in one scanning thread, where ``scan(path)`` is the blocking scan.

        The listener batches its own file work (spool write, header read, clean-up) into
        the same trip off the loop as the scan: for small mail each trip to a thread
        costs more than the work it carries.
        """
        try:
            return await self._slots.run(
                lambda pool: job(functools.partial(self._scan_blocking, pool)),
                timeout=self.wait_seconds)
        except TimeoutError:
            raise ScanFailed(f"scan did not finish within {self.wait_seconds:g} s") from None
        except OSError as exc:  # the job's own spool work failed
            raise ScanFailed(f"the message could not be spooled: {exc}") from None

    def close(self) -> None:
        """Stop the scanner processes."""
        self._slots.close()
