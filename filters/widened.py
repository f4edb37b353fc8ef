"""A file widened to two bytes a byte (a NUL after or before each of its bytes), narrowed back.

What ``iconv -t UTF-16LE`` makes of Latin-1, or any file so padded: a zip or a Word file
widened this way compresses well (its NULs), so the judge of unreadable bytes lets it
through, yet no text run comes out of it, and no reader knows its type. The bytes at one
parity nearly all NUL and those at the other not say so; the other half is the file, read
again as a part of its own. Text so widened is UTF-16, read as such, and is left to it.
"""

from __future__ import annotations

from filters.dump_content import reads_as_text

SAMPLE_BYTES = 64 * 1024  # judged by its first bytes
MIN_BYTES = 256  # fewer say too little
MAX_BYTES = 64 * 1024 * 1024  # narrowed at most this much (half of it kept)
STRAY_SHARE = 64  # at most one byte in this many of the NUL half is not NUL


def _nul_half(sample: bytes) -> int | None:
    """0 or 1, the parity of ``sample`` whose bytes are nearly all NUL while the other
    half's are not; None when there is none."""
    for parity in (1, 0):
        padding, kept = sample[parity::2], sample[1 - parity::2]
        if (len(padding) - padding.count(0)) * STRAY_SHARE <= len(padding) and (
                len(kept) - kept.count(0)) * STRAY_SHARE > len(kept):
            return parity
    return None


def narrowed(sample: bytes) -> int | None:
    """The offset (0 or 1) of the file's own bytes when ``sample`` (a part's first
    SAMPLE_BYTES) is a file widened with NULs, other than text (UTF-16); else None."""
    sample = sample[:SAMPLE_BYTES]
    if len(sample) < MIN_BYTES:
        return None
    padding = _nul_half(sample)
    if padding is None:
        return None
    kept = 1 - padding
    return None if reads_as_text(sample[kept::2]) else kept
