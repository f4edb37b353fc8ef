"""7z archives via py7zr, streamed member by member so no member is ever held whole.

py7zr pushes decompressed bytes into writer objects (its ``WriterFactory`` API) while
the pipeline pulls children from this generator. A worker thread runs py7zr and hands
each chunk over a small bounded queue; this side reads the chunks through
``budget.collect``, so size, ratio, total and time limits apply as bytes arrive, and a
limit or a closed generator cancels the worker at its next write.
"""

from __future__ import annotations

import lzma
import queue
import threading
import time
import zlib
from collections.abc import Iterator
from typing import BinaryIO

import py7zr
from py7zr.exceptions import ArchiveError, PasswordRequired
from py7zr.io import Py7zIO, WriterFactory

from filters.errors import EncryptedContent, LimitReached, UnparseableContent
from filters.extract.zip import member_part
from filters.limits import Budget
from filters.types import Defect, Part

# Chunks in flight between py7zr and the scan: bounds memory to a few write blocks.
_QUEUE_CHUNKS = 8
# How long the worker may take to notice a cancel before it is left to finish alone.
_JOIN_SECONDS = 2.0

# What py7zr and its codecs raise on damaged archives: its own ArchiveError family
# (Bad7zFile, CrcError, DecompressionError, UnsupportedCompressionMethodError) and the
# codec or stream errors it lets through when headers or data are cut short.
_ARCHIVE_ERRORS = (ArchiveError, lzma.LZMAError, zlib.error, EOFError, OSError, ValueError)


class _Cancelled(Exception):
    """Raised inside the worker when the scan no longer wants its bytes."""


class _Feed:
    """The bounded hand-over from the py7zr worker thread to the scanning generator."""

    def __init__(self) -> None:
        self.queue: queue.Queue[tuple[str, object]] = queue.Queue(maxsize=_QUEUE_CHUNKS)
        self.cancelled = threading.Event()
        self.cpu = 0.0  # the worker's CPU seconds so far: counted against the scan's limits

    def put(self, kind: str, value: object) -> None:
        """Worker side: hand over one event, giving up as soon as the scan cancels."""
        self.cpu = time.thread_time()
        while not self.cancelled.is_set():
            try:
                self.queue.put((kind, value), timeout=0.05)
                return
            except queue.Full:
                continue
        raise _Cancelled

    def get(self, budget: Budget) -> tuple[str, object]:
        """Scan side: the next event, while keeping to the scan's time limits."""
        while True:
            try:
                return self.queue.get(timeout=budget.remaining_seconds())
            except queue.Empty:
                budget.check_time()


class _Sink(Py7zIO):
    """One member's output: forwards each written block to the feed."""

    def __init__(self, feed: _Feed) -> None:
        self.feed = feed
        self.written = 0

    def write(self, s: bytes | bytearray) -> int:
        self.feed.put("data", bytes(s))
        self.written += len(s)
        return len(s)

    def read(self, size: int | None = None) -> bytes:
        return b""

    def seek(self, offset: int, whence: int = 0) -> int:
        return 0

    def flush(self) -> None:
        return None

    def size(self) -> int:
        return self.written

    def close(self) -> None:
        # py7zr calls close() only after the member decompressed without error.
        self.feed.put("end", None)


class _Factory(WriterFactory):
    def __init__(self, feed: _Feed) -> None:
        self.feed = feed

    def create(self, filename: str) -> Py7zIO:
        self.feed.put("start", filename)
        return _Sink(self.feed)


def _work(archive: py7zr.SevenZipFile, feed: _Feed) -> None:
    """Worker thread body: extract everything into the feed, then report how it ended."""
    try:
        archive.extractall(factory=_Factory(feed))
        feed.put("done", None)
    except _Cancelled:
        return
    except BaseException as exc:  # handed to the scan thread, which classifies it
        try:
            feed.put("error", exc)
        except _Cancelled:
            return


def _refuse_declared(archive: py7zr.SevenZipFile, part: Part, budget: Budget) -> None:
    """Refuse early what the header already admits is too big (it may still lie lower)."""
    limits = budget.limits
    total = 0
    for info in archive.files:
        declared = info.uncompressed or 0
        if declared > limits.max_part_bytes:
            raise LimitReached("max_part_bytes",
                               f"7z member {info.filename} declares {declared} bytes, more than "
                               f"the limit of {limits.max_part_bytes}")
        total += declared
    if total > limits.max_expanded_bytes - budget.expanded:
        raise LimitReached("max_expanded_bytes",
                           f"7z archive declares {total} bytes of content, more than the "
                           f"{limits.max_expanded_bytes} bytes allowed for one item")
    if total > limits.ratio_floor_bytes and total > limits.max_ratio * max(part.size, 1):
        raise LimitReached("max_ratio",
                           f"7z archive of {part.size} bytes declares {total} bytes of content: "
                           f"more than {limits.max_ratio:g}x, likely a bomb")


def _member_chunks(feed: _Feed, budget: Budget) -> Iterator[bytes]:
    """The bytes of the current member, up to its end; a worker error is re-raised here."""
    while True:
        kind, value = feed.get(budget)
        if kind == "data":
            yield value  # type: ignore[misc]
        elif kind == "end":
            return
        elif kind == "error":
            raise value  # type: ignore[misc]
        else:
            raise UnparseableContent(f"7z extraction ended inside a member ({kind})")


def _stream(part: Part, budget: Budget, archive: py7zr.SevenZipFile) -> Iterator[Part | Defect]:
    feed = _Feed()
    # The decompression runs in the worker, whose CPU the scanning thread's clock misses.
    budget.count_helper(lambda: feed.cpu)
    worker = threading.Thread(target=_work, args=(archive, feed), name="redline-7z",
                              daemon=True)
    worker.start()
    try:
        while True:
            kind, value = feed.get(budget)
            if kind == "done":
                return
            if kind == "error":
                raise value  # type: ignore[misc]
            path = str(value)
            # Members are compressed together ("solid"), so the whole archive's size is
            # the only compressed size that cannot be faked per member.
            data, spool = budget.collect(_member_chunks(feed, budget), compressed_size=part.size,
                                         what=f"7z member {path}")
            yield member_part(part, budget, path, data, spool)
    finally:
        feed.cancelled.set()
        worker.join(_JOIN_SECONDS)


def extract(part: Part, budget: Budget) -> Iterator[Part | Defect]:
    """Each file in the 7z archive as a content part, decompressed under the limits."""
    with part.open() as stream:
        yield from _extract(part, budget, stream)


def extract_stream(part: Part, budget: Budget, stream: BinaryIO) -> Iterator[Part | Defect]:
    """As ``extract``, for the 7z archive ``stream`` holds (``part`` names its members)."""
    return _extract(part, budget, stream)


def _extract(part: Part, budget: Budget, stream: BinaryIO) -> Iterator[Part | Defect]:
    try:
        archive = py7zr.SevenZipFile(stream, mode="r")
    except PasswordRequired as exc:
        raise EncryptedContent(
            "7z archive is password-protected (even its file list is encrypted) and "
            "cannot be inspected") from exc
    except _ARCHIVE_ERRORS as exc:
        raise UnparseableContent(f"7z archive is damaged and cannot be opened: {exc}") from exc
    with archive:
        if archive.needs_password():
            raise EncryptedContent("7z archive is password-protected and cannot be inspected")
        _refuse_declared(archive, part, budget)
        try:
            yield from _stream(part, budget, archive)
        except PasswordRequired as exc:
            raise EncryptedContent(
                "7z archive is password-protected and cannot be inspected") from exc
        except _ARCHIVE_ERRORS as exc:
            raise UnparseableContent(f"7z archive is damaged: {exc}") from exc
