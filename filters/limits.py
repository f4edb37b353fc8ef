"""Scan limits (config section [limits]) and the per-scan Budget that enforces them.

Every loop over attacker-controlled structure draws on the Budget: each part counts,
each expanded byte counts, time is checked between steps, and a decompressed stream is
read in bounded chunks (never trusting sizes declared in archive headers).
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from filters.config import option
from filters.errors import LimitReached
from filters.types import Part

if TYPE_CHECKING:
    from filters.ocr import OcrReader

MiB = 1024 * 1024
CHUNK = 1 * MiB


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
    part_seconds: float = option(20.0, "Most seconds spent extracting one part.", minimum=0.01)
    item_seconds: float = option(60.0, "Most seconds spent on one whole item.", minimum=0.01)
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
        10.0, "Most seconds of OCR on one picture or PDF page.", minimum=0.01,
    )
    ocr_item_seconds: float = option(
        40.0, "Most seconds of OCR on one item (within part_seconds and item_seconds).",
        minimum=0.01,
    )
    spool_bytes: int = option(
        8 * MiB, "Decoded parts larger than this are spooled to disk, not kept in memory.",
        minimum=0,
    )


class Budget:
    """The running account of one scan against its Limits; also owns its spool files."""

    def __init__(self, limits: Limits, spool_root: Path | None = None, *,
                 ocr: OcrReader | None = None) -> None:
        self.limits = limits
        self.ocr = ocr  # the OCR engine extractors read pictures with (None: OCR off)
        self.ocr_pages = 0
        self.ocr_seconds = 0.0
        self.photo_word_checks = 0  # photographs of this item looked over for words
        self.started = time.monotonic()
        self.item_deadline = self.started + limits.item_seconds
        self.parts = 0
        self.expanded = 0
        self.max_depth = 0
        self.limits_reached: list[str] = []
        self._part_deadlines: list[float] = []
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
        """Raise LimitReached when the item's or the current part's time is up."""
        now = time.monotonic()
        if now > self.item_deadline:
            raise LimitReached(
                "item_seconds", f"scan took longer than {self.limits.item_seconds:g} s", fatal=True
            )
        if self._part_deadlines and now > self._part_deadlines[-1]:
            raise LimitReached(
                "part_seconds", f"extraction took longer than {self.limits.part_seconds:g} s"
            )

    @contextlib.contextmanager
    def part_timer(self) -> Iterator[None]:
        """Within this block check_time() also enforces the per-part time limit."""
        deadline = time.monotonic() + self.limits.part_seconds
        if self._part_deadlines:
            deadline = min(deadline, self._part_deadlines[-1])
        self._part_deadlines.append(deadline)
        try:
            yield
        finally:
            self._part_deadlines.pop()

    def extend_deadlines(self, seconds: float) -> None:
        """Move the item's and the open parts' deadlines ``seconds`` later (time spent on
        something that is not this item's content, such as loading an engine)."""
        if seconds > 0:
            self.item_deadline += seconds
            self._part_deadlines = [d + seconds for d in self._part_deadlines]

    def remaining_seconds(self) -> float:
        """Seconds left before the nearest deadline (never below a small positive floor)."""
        deadline = min([self.item_deadline, *self._part_deadlines])
        return max(0.05, deadline - time.monotonic())

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
        """Seconds since the scan started."""
        return time.monotonic() - self.started
