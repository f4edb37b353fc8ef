"""The walk's shared parts: the loose stretches one walk gathers, what a layout is, and the limits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

MIN_FRAMES = 4  # a raw stream shorter than this many frames (0.1 s of sound) is no sound
MIN_FRAMED = 0.9  # share of a raw stream (between its tags) its frames must cover
MAX_LOOSE = 256  # more loose stretches than this: the structure does not run through the part
MIN_LOOSE = 8  # bytes; a raw deflate stream of a short word is longer
MAX_DEPTH = 8  # boxes / elements nested deeper than this are not walked
Loose = tuple[int, int, str]  # start, end, label of a stretch the structure leaves over


class Buffer(Protocol):
    """Bytes or an mmap of a spool file: what the walks read."""

    def __len__(self) -> int: ...
    def __getitem__(self, index: slice, /) -> bytes: ...
    def find(self, sub: bytes, start: int = ..., end: int = ..., /) -> int: ...


@dataclass(frozen=True, slots=True)
class Layout:
    """The structure walked through a sound or video part."""

    form: str  # what was walked: "mpeg-audio", "adts", "latm", "riff", "mp4" ...
    loose: tuple[Loose, ...]  # stretches the structure leaves over, judged as unknown bytes
    # False when frames were found but cover less than MIN_FRAMED of the stream: the part
    # is then judged as unknown bytes as a whole, and each loose stretch on its own too
    # (a short stretch of packed bytes is lost among a short sound's compressible frames).
    inert: bool = True


class Walk:
    """Loose stretches gathered while walking one part."""

    def __init__(self, data: Buffer) -> None:
        self.data = data
        self.loose: list[Loose] = []

    def add(self, start: int, end: int, label: str) -> None:
        """A loose stretch; too many: no structure. One shorter than MIN_LOOSE is left
        to the text-run search of the whole part: it can hold no packed document."""
        if end - start >= MIN_LOOSE:
            self.loose.append((start, end, label))
            if len(self.loose) > MAX_LOOSE:
                raise NotMedia


class NotMedia(Exception):
    """The walk found bytes its structure does not explain."""


class PartlyFramed(NotMedia):
    """Frames run through part of a raw stream only: ``loose`` are the stretches between."""

    def __init__(self, loose: list[Loose]) -> None:
        super().__init__()
        self.loose = loose


def label(raw: bytes) -> str:
    return "".join(chr(b) if 0x20 < b < 0x7F and chr(b).isalnum() else "_" for b in raw)
