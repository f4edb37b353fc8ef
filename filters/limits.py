"""Scan limits (config section [limits]) and the per-scan Budget that enforces them.

Every loop over attacker-controlled structure draws on the Budget: each part counts,
each expanded byte counts, time is checked between steps, and a decompressed stream is
read in bounded chunks (never trusting sizes declared in archive headers).

Time limits count CPU seconds of the scanning thread: what the content costs, which
other processes' load on the machine does not change. Each also has a wall-clock
backstop, ``wall_factor`` times as long, so a scan stalled without using CPU still ends.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, NamedTuple

from filters.config import option
from filters.errors import LimitReached
from filters.types import Part

if TYPE_CHECKING:
    from filters.ocr import OcrReader

MiB = 1024 * 1024
CHUNK = 1 * MiB
# Each time limit's wall-clock backstop, in times its CPU seconds ([limits] wall_factor).
DEFAULT_WALL_FACTOR = 4.0


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on one scan; reaching any of them is a ``policy`` hit, never a silent pass."""

    max_depth: int = option(10, "Deepest nesting of containers (mail in zip in docx …).", minimum=1)
    max_parts: int = option(10000, "Most parts (files, MIME parts, text pieces) in one item.", minimum=1)
    max_expanded_bytes: int = option(
        512 * MiB,
        "Most bytes produced in one item by decoding, decompression and text extraction.",
        minimum=1,
    )
    max_part_bytes: int = option(
        256 * MiB, "Largest single decoded or decompressed part.", minimum=1
    )
    max_ratio: float = option(
        200.0, "Largest decompressed/compressed ratio for a member above ratio_floor_bytes.",
        minimum=1.0,
    )
    ratio_floor_bytes: int = option(
        4 * MiB, "Members smaller than this when decompressed are exempt from max_ratio.",
        minimum=0,
    )
    part_seconds: float = option(
        20.0, "Most CPU seconds spent extracting one part.", minimum=0.01)
    item_seconds: float = option(60.0, "Most CPU seconds spent on one whole item.", minimum=0.01)
    max_text_chars: int = option(
        64 * MiB, "Most characters of extracted text scanned from one part.", minimum=1
    )
    max_image_pixels: int = option(
        64_000_000, "Largest picture (width x height) decoded for OCR; a larger one, or a "
        "decompression bomb claiming to be, is held.", minimum=1,
    )
    ocr_pages: int = option(
        100, "Most pictures, picture frames and PDF pages read by OCR in one item (a slide "
        "deck of photos has dozens).", minimum=0,
    )
    ocr_page_seconds: float = option(
        10.0, "Most CPU seconds of OCR on one picture or PDF page.", minimum=0.01,
    )
    ocr_item_seconds: float = option(
        40.0, "Most CPU seconds of OCR on one item (within part_seconds and item_seconds).",
        minimum=0.01,
    )
    wall_factor: float = option(
        DEFAULT_WALL_FACTOR, "Wall-clock backstop of every time limit above: it also ends after this many "
        "times its seconds of elapsed time (a scan stalled without using CPU, or one given "
        "under 1/wall_factor of a core by a loaded machine). 1 gives limits in wall seconds.",
        minimum=1.0,
    )
    spool_bytes: int = option(
        8 * MiB, "Decoded parts larger than this are spooled to disk, not kept in memory.",
        minimum=0,
    )


    @property
    def item_wall_seconds(self) -> float:
        """The item's wall-clock backstop: past it (plus a grace) a scanner is stuck."""
        return self.item_seconds * self.wall_factor


class Spent(NamedTuple):
    """Seconds on both clocks: CPU of the scanning thread, and wall."""

    cpu: float
    wall: float


@dataclass(frozen=True, slots=True)
class Clocks:
    """The clocks a time limit reads. ``cpu`` is the scanning thread's own CPU time:
    Tesseract, PDFium, yara and the decompressors run in the calling thread (OCR with
    one OpenMP thread, filters.ocr), so the process's other threads are not counted.

    One thread's CPU clock never runs faster than the wall clock: ``Deadline`` relies on
    it to read the wall clock (vDSO, no system call) before the CPU clock (a system call),
    so ``cpu`` must never gain more on a reading than ``wall`` does."""

    cpu: Callable[[], float] = time.thread_time
    wall: Callable[[], float] = time.monotonic

    def now(self) -> Spent:
        """Both clocks' readings now."""
        return Spent(self.cpu(), self.wall())

    def since(self, start: Spent) -> Spent:
        """Seconds on each clock since ``start`` (a ``now()``)."""
        return Spent(self.cpu() - start.cpu, self.wall() - start.wall)


THREAD_CLOCKS = Clocks()
NOTHING_SPENT = Spent(0.0, 0.0)


class Deadline:
    """A limit of CPU seconds with a wall-clock backstop, read from ``clocks``.

    ``extra_cpu`` callables add CPU seconds spent for this scan in helper threads (the
    7z worker). ``within`` makes this deadline never later than another on either clock.

    Without helpers, the CPU used since a reading can be no more than the wall time
    elapsed since it, so ``expired_on`` reads the CPU clock only once the wall clock is
    past ``cpu_due``: a reading plus the CPU seconds then left.
    """

    __slots__ = ("clocks", "cpu_due", "cpu_end", "cpu_seconds", "extra_cpu", "share", "start",
                 "stopped", "wall_end", "wall_seconds")

    def __init__(self, cpu_seconds: float, wall_seconds: float, clocks: Clocks = THREAD_CLOCKS,
                 *, within: Deadline | None = None,
                 extra_cpu: list[Callable[[], float]] | None = None,
                 share: float = 1.0) -> None:
        self.clocks = clocks
        self.share = share  # share of a core assumed until this deadline has measured its own
        self.cpu_seconds = cpu_seconds
        self.wall_seconds = wall_seconds
        self.extra_cpu = extra_cpu if extra_cpu is not None else []
        wall = clocks.wall()  # before the CPU clock, so that cpu_due is never late
        self.start = Spent(self.cpu(), wall)
        self.cpu_end = self.start.cpu + cpu_seconds
        self.wall_end = self.start.wall + wall_seconds
        if within is not None:
            self.cpu_end = min(self.cpu_end, within.cpu_end)
            self.wall_end = min(self.wall_end, within.wall_end)
        # The wall reading before which this thread cannot have used up its CPU seconds.
        self.cpu_due = wall + self.cpu_end - self.start.cpu
        self.stopped = False  # set when a call was cut short: reported as expired

    def cpu(self) -> float:
        """CPU seconds counted against this deadline's clock (helpers' included)."""
        if not self.extra_cpu:
            return self.clocks.cpu()
        return self.clocks.cpu() + sum(f() for f in self.extra_cpu)

    def used(self) -> Spent:
        """Seconds used on each clock since the deadline was set."""
        return Spent(self.cpu() - self.start.cpu, self.clocks.wall() - self.start.wall)

    def extend(self, spent: Spent) -> None:
        """Move both ends later by ``spent`` (time that was not this content's)."""
        self.cpu_end += spent.cpu
        self.cpu_due += spent.cpu
        self.wall_end += spent.wall
        self.start = Spent(self.start.cpu + spent.cpu, self.start.wall + spent.wall)

    def expired_on(self) -> str | None:
        """"CPU" or "wall" when that clock passed its end, else None ("CPU" once stopped)."""
        wall = self.clocks.wall()
        if wall >= self.cpu_due or self.extra_cpu:
            # A helper thread's CPU adds to this thread's: wall time does not bound it.
            cpu = self.cpu()
            if cpu >= self.cpu_end:
                return "CPU"
            self.cpu_due = wall + self.cpu_end - cpu
        if wall >= self.wall_end:
            return "wall"
        return "CPU" if self.stopped else None

    def expired(self) -> bool:
        """Whether either clock passed its end, or the deadline was stopped."""
        return self.expired_on() is not None

    def left(self) -> Spent:
        """Seconds left on each clock (negative once past)."""
        return Spent(self.cpu_end - self.cpu(), self.wall_end - self.clocks.wall())

    def wait_seconds(self) -> float:
        """Wall seconds a blocking call may be given before a limit could be reached.

        A thread gets at most one core, so CPU left is a lower bound on the wall time
        in which it can be spent; the caller checks again when the call returns.
        """
        cpu_left, wall_left = self.left()
        return min(cpu_left, wall_left)

    def left_ms(self) -> int:
        """Milliseconds of wall time for one blocking call that cannot be interrupted by
        CPU time (Tesseract's Recognize takes a wall timeout): the CPU left at the share
        of a core this thread got so far, never past the backstop. A call cut at it while
        CPU is still left is repeated (``expired()`` tells whether a limit was reached)."""
        cpu_left, wall_left = self.left()
        if self.stopped or cpu_left <= 0 or wall_left <= 0:
            return 0
        share = max(self.measured_share(), 1e-3)
        return max(1, round(min(cpu_left / share, wall_left) * 1000))

    def measured_share(self) -> float:
        """The share of a core this thread got since the deadline was set (CPU over wall
        seconds, at most 1); ``share`` until enough time passed to measure it."""
        used = self.used()
        if used.wall < SHARE_MEASURE_SECONDS:
            return self.share
        return min(1.0, max(used.cpu, 0.0) / used.wall)


# Below this many wall seconds of a deadline's life its share of a core is not measured.
SHARE_MEASURE_SECONDS = 0.05


class Budget:
    """The running account of one scan against its Limits; also owns its spool files."""

    def __init__(self, limits: Limits, spool_root: Path | None = None, *,
                 ocr: OcrReader | None = None, clocks: Clocks = THREAD_CLOCKS) -> None:
        self.limits = limits
        self.ocr = ocr  # the OCR engine extractors read pictures with (None: OCR off)
        self.clocks = clocks
        self.ocr_pages = 0
        self.ocr_seconds = 0.0  # CPU seconds of OCR in this item
        self.photo_word_checks = 0  # photographs of this item looked over for words
        self.ocr_cached = 0  # of ocr_pages, pictures whose text this process had read before
        # Text of the small pictures read in this item, by a digest of their pixels: a
        # logo on every part of a thread is read once (filters.ocr.read_for_item).
        self.ocr_texts: dict[bytes, str] = {}
        self.started = clocks.wall()
        self._helpers: list[Callable[[], float]] = []
        self.item_deadline = Deadline(limits.item_seconds, limits.item_wall_seconds, clocks,
                                      extra_cpu=self._helpers)
        self.parts = 0
        self.expanded = 0
        self.max_depth = 0
        self.limits_reached: list[str] = []
        self._part_deadlines: list[Deadline] = []
        self._notes: list[str] = []
        self._spool_root = spool_root
        self._spool_dir: Path | None = None
        self._spool_count = 0

    # -- counting ----------------------------------------------------------------

    def count_part(self, part: Part) -> None:
        """Account for one more part; raises a fatal LimitReached past max_parts."""
        self.parts += 1
        self.max_depth = max(self.max_depth, part.depth)
        if self.parts > self.limits.max_parts:
            raise LimitReached(
                "max_parts", f"more than {self.limits.max_parts} parts in one item", fatal=True
            )

    def take(self, n: int) -> None:
        """Account for ``n`` more expanded bytes; fatal LimitReached past the total."""
        self.expanded += n
        if self.expanded > self.limits.max_expanded_bytes:
            raise LimitReached(
                "max_expanded_bytes",
                f"more than {self.limits.max_expanded_bytes} bytes expanded from one item",
                fatal=True,
            )

    def check_time(self) -> None:
        """Raise LimitReached when the item's or the current part's time is up (its CPU
        seconds, or its wall-clock backstop)."""
        clock = self.item_deadline.expired_on()
        if clock is not None:
            raise LimitReached("item_seconds", self.took("scan", clock, self.limits.item_seconds),
                               fatal=True)
        if self._part_deadlines:
            clock = self._part_deadlines[-1].expired_on()
            if clock is not None:
                raise LimitReached("part_seconds",
                                   self.took("extraction", clock, self.limits.part_seconds))

    def took(self, what: str, clock: str, seconds: float) -> str:
        """The reason a limit of ``seconds`` CPU seconds gives once ``clock`` passed it."""
        if clock == "wall":
            factor = self.limits.wall_factor
            return (f"{what} took longer than {seconds * factor:g} s of wall-clock time "
                    f"({factor:g} x its {seconds:g} CPU seconds)")
        return f"{what} took more than {seconds:g} CPU seconds"

    @contextlib.contextmanager
    def part_timer(self) -> Iterator[None]:
        """Within this block check_time() also enforces the per-part time limit."""
        limits = self.limits
        self._part_deadlines.append(Deadline(
            limits.part_seconds, limits.part_seconds * limits.wall_factor, self.clocks,
            within=self._part_deadlines[-1] if self._part_deadlines else self.item_deadline,
            extra_cpu=self._helpers))
        try:
            yield
        finally:
            self._part_deadlines.pop()

    def count_helper(self, cpu: Callable[[], float]) -> None:
        """Count ``cpu()`` (CPU seconds of a helper thread working for this scan, such as
        the 7z worker) against the item's and the open parts' time limits."""
        self._helpers.append(cpu)

    def extend_deadlines(self, spent: Spent) -> None:
        """Move the item's and the open parts' deadlines later by ``spent`` (time spent on
        something that is not this item's content, such as loading an engine)."""
        if spent.cpu > 0 or spent.wall > 0:
            for deadline in (self.item_deadline, *self._part_deadlines):
                deadline.extend(Spent(max(spent.cpu, 0.0), max(spent.wall, 0.0)))

    def nearest(self) -> Deadline:
        """The deadline that ends first on each clock: the open part's, within the item's."""
        return self._part_deadlines[-1] if self._part_deadlines else self.item_deadline

    def left(self) -> Spent:
        """CPU and wall seconds left before the nearest deadline."""
        return self.nearest().left()

    def remaining_seconds(self) -> float:
        """Wall seconds a wait may last before a limit could be reached (never below a
        small positive floor); check_time() tells whether one was."""
        return max(0.05, self.nearest().wait_seconds())

    # -- building children ---------------------------------------------------------

    def child(
        self,
        parent: Part,
        label: str,
        *,
        data: bytes = b"",
        path: Path | None = None,
        text: str | None = None,
        role: str = "body",
        name: str = "",
        declared_type: str = "",
        charset: str = "",
        meta: Mapping[str, str] | None = None,
    ) -> Part:
        """A child Part of ``parent`` one level deeper, with its origin path.

        Text is capped at ``max_text_chars`` (the cut is recorded as a limit hit by the
        pipeline through ``limits_reached``) and counted against the expanded bytes.
        """
        if text is not None:
            if len(text) > self.limits.max_text_chars:
                text = text[: self.limits.max_text_chars]
                self.note_limit("max_text_chars")
            self.take(len(text))
        return Part(
            origin=parent.child_origin(label),
            data=data,
            path=path,
            text=text,
            role=role,
            name=name,
            declared_type=declared_type,
            charset=charset,
            depth=parent.depth + 1,
            meta=dict(meta or {}),
        )

    def note_limit(self, limit: str) -> None:
        """Record that a non-fatal limit truncated something (reported by the pipeline)."""
        self.limits_reached.append(limit)
        self._notes.append(limit)

    def drain_notes(self) -> list[str]:
        """Limits noted since the last call, for the pipeline to report as hits."""
        notes, self._notes = self._notes, []
        return notes

    # -- bounded reading -------------------------------------------------------------

    def collect(
        self,
        source: BinaryIO | Iterable[bytes],
        *,
        compressed_size: int | None = None,
        what: str = "part",
    ) -> tuple[bytes, Path | None]:
        """Read a (decompressing) stream under the limits; return (data, spool path).

        Small results come back as bytes; past ``spool_bytes`` the data goes to a spool
        file and ``(b"", path)`` is returned. Raises LimitReached on the part size, the
        expansion ratio (when ``compressed_size`` is known), the total or the time.
        """
        limits = self.limits
        chunks: list[bytes] = []
        size = 0
        spool: BinaryIO | None = None
        spool_path: Path | None = None
        iterator: Iterable[bytes]
        if hasattr(source, "read"):
            reader = source.read  # type: ignore[union-attr]
            iterator = iter(lambda: reader(CHUNK), b"")
        else:
            iterator = source  # type: ignore[assignment]
        try:
            for chunk in iterator:
                if not chunk:
                    continue
                size += len(chunk)
                self.take(len(chunk))
                if size > limits.max_part_bytes:
                    raise LimitReached(
                        "max_part_bytes", f"{what} expands beyond {limits.max_part_bytes} bytes"
                    )
                if (
                    compressed_size is not None
                    and size > limits.ratio_floor_bytes
                    and size > limits.max_ratio * max(compressed_size, 1)
                ):
                    raise LimitReached(
                        "max_ratio",
                        f"{what} expands more than {limits.max_ratio:g}x "
                        f"({compressed_size} compressed bytes gave over {size}): likely a bomb",
                    )
                self.check_time()
                if spool is None and size > limits.spool_bytes:
                    spool_path = self.spool_path()
                    spool = spool_path.open("wb")
                    for c in chunks:
                        spool.write(c)
                    chunks.clear()
                if spool is not None:
                    spool.write(chunk)
                else:
                    chunks.append(chunk)
        finally:
            if spool is not None:
                spool.close()
        if spool_path is not None:
            return b"", spool_path
        return b"".join(chunks), None

    def read_part(self, part: Part, *, limit: int | None = None) -> bytes:
        """All bytes of ``part`` into memory, refusing parts larger than ``limit``."""
        limit = self.limits.max_part_bytes if limit is None else limit
        if part.size > limit:
            raise LimitReached(
                "max_part_bytes", f"part of {part.size} bytes is larger than {limit} bytes"
            )
        return part.read()

    # -- spool files ---------------------------------------------------------------

    def spool_path(self) -> Path:
        """A fresh file name in this scan's spool directory (removed by ``close``)."""
        if self._spool_dir is None:
            self._spool_dir = Path(tempfile.mkdtemp(prefix="redline-scan-", dir=self._spool_root))
        self._spool_count += 1
        return self._spool_dir / f"part-{self._spool_count:05d}"

    def close(self) -> None:
        """Remove the spool files of this scan."""
        if self._spool_dir is not None:
            shutil.rmtree(self._spool_dir, ignore_errors=True)
            self._spool_dir = None

    def elapsed(self) -> float:
        """Wall seconds since the scan started."""
        return self.clocks.wall() - self.started
