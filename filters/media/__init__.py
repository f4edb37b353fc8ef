"""Sound and video parts: whether their own structure runs through them, and what it leaves over.

libmagic types a sound by a few bytes (two bytes of LATM sync, a four-byte MPEG audio
frame header), so a type of ``audio/*`` or ``video/*`` says nothing of the bytes after
them. A part of such a type is inert only when its structure is walked from its first
byte to its last: the frames of a raw MPEG audio, ADTS or LATM stream chain through it
(each frame header gives the frame's length), or a container's boxes, chunks, pages,
elements or objects do (ISO BMFF as MP4/MOV/3GP/M4A, RIFF as WAV/AVI, IFF as AIFF, Ogg
with each page's CRC checked, FLAC, Matroska/WebM, ASF, MPEG transport and program
streams, Flash video, Sun audio, AMR).

What the structure holds as sound or picture (frames, ``mdat``, ``data``, ``movi``,
clusters, pages) is inert; every other stretch it leaves over is *loose*: tag frames
that carry objects (ID3 ``APIC``, ``GEOB``, ``PRIV`` and unknown frames, the picture in
a FLAC or MP4 tag), padding, boxes and chunks of other or unknown types, attachments,
and bytes after the structure's end. The pipeline reads each loose stretch as a child
part of its own, judged as bytes of unknown type are. A part none of these walks
accounts for is not taken for sound or video at all.

An MP4's ``mdat`` is held against its sample tables and track fragments: where no
sample lies is loose. Not walked: what is inside frames and samples (that needs a
decoder), FLAC's frames between its first and its last, an Ogg stream's packets.
"""

from __future__ import annotations

import functools
import mmap
import struct
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from filters.limits import Budget
from filters.media.walk import Buffer, Layout, NotMedia, PartlyFramed, Walk
from filters.types import Defect, Part


@contextmanager
def _mapped(part: Part) -> Iterator[Buffer]:
    if part.path is None:
        yield part.data
        return
    with part.path.open("rb") as stream:
        if part.size == 0:
            yield b""
            return
        with mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            yield mapped


def layout(part: Part) -> Layout | None:
    """The structure running through sound or video ``part``, or None when none does."""
    with _mapped(part) as data:
        head = bytes(data[:64])
        for form, walk in _walks():
            walker = Walk(data)
            try:
                if walk(walker, head):
                    return Layout(form, tuple(walker.loose))
            except PartlyFramed as partly:
                return Layout(form, tuple(partly.loose), inert=False)
            except (NotMedia, struct.error, IndexError, ValueError):
                continue
    return None


@functools.cache
def _walks() -> tuple[tuple[str, Callable[[Walk, bytes], bool]], ...]:
    """Each form's walk, in the order they are tried. Imported on the first sound or video
    part: the eleven walkers' modules cost every process that never meets one (a
    one-file redline scan) 3 ms."""
    from filters.media.amr import walk_amr
    from filters.media.asf import walk_asf
    from filters.media.flac import walk_flac
    from filters.media.flv import walk_flv
    from filters.media.matroska import walk_matroska
    from filters.media.mp4 import walk_mp4
    from filters.media.mpeg_audio import adts_frame, latm_frame, mpeg_frame, raw_stream
    from filters.media.mpeg_system import walk_program_stream, walk_transport_stream
    from filters.media.ogg import walk_ogg
    from filters.media.riff import walk_riff
    from filters.media.sun_audio import walk_sun_audio

    return (
        ("riff", walk_riff), ("mp4", walk_mp4), ("ogg", walk_ogg), ("flac", walk_flac),
        ("matroska", walk_matroska), ("asf", walk_asf), ("amr", walk_amr),
        ("mpeg-ts", walk_transport_stream), ("mpeg-ps", walk_program_stream),
        ("flv", walk_flv), ("sun-audio", walk_sun_audio),
        ("mpeg-audio", raw_stream(mpeg_frame, b"\xff")), ("adts", raw_stream(adts_frame, b"\xff")),
        ("latm", raw_stream(latm_frame, b"\x56")),
    )


TYPES = ("audio/", "video/")
LOOSE_BYTES = 32 * 1024 * 1024  # most loose bytes read from one part


def loose_parts(part: Part, found: Layout | None, budget: Budget) -> Iterator[Part | Defect]:
    """The stretches of ``part`` its structure leaves over, each a child part to be judged
    as bytes of unknown type are; a Defect when they are more than LOOSE_BYTES."""
    if found is None:
        return
    if sum(end - start for start, end, _ in found.loose) > LOOSE_BYTES:
        yield Defect("extract.uninspectable", "high",
                     f"{part.detected_type} holds more than {LOOSE_BYTES} bytes outside its "
                     "sound and pictures, more than Redline reads", where=part.origin)
        return
    with part.open() as stream:
        for start, end, label in found.loose:
            stream.seek(start)
            data = stream.read(end - start)
            budget.take(len(data))
            yield budget.child(part, f"{label}@{start}", data=data)
