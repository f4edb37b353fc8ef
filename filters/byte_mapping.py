"""Text under a one-byte key (every byte XORed with, or shifted by, one value), read back.

Such a file has a text's shape: few distinct byte values, and bytes that compress as
well as the text's, so the judge of unreadable bytes (filters/extract/strings.py) lets
it through, yet no text run comes out of it. In text the commonest byte is the space;
the one key that maps this file's commonest byte to a space either reads the file back
as text, or the file is something else. A shuffled table of 256 values is not undone.
"""

from __future__ import annotations

from filters.dump_content import reads_as_text

SAMPLE_BYTES = 64 * 1024  # judged by its first bytes
READ_BACK_BYTES = 1024 * 1024  # read back at most this much (a marking sits at the top)
MIN_BYTES = 256  # fewer say too little
MAX_DISTINCT = 100  # byte values in a text of one script (letters, digits, signs, blanks)
SPACE = 0x20


def _tables(commonest: int) -> dict[str, bytes]:
    """The translation tables that map ``commonest`` to a space: XOR and shift."""
    key = commonest ^ SPACE
    shift = (commonest - SPACE) % 256
    return {"xor": bytes(value ^ key for value in range(256)),
            "shift": bytes((value - shift) % 256 for value in range(256))}


def key_for(sample: bytes) -> tuple[str, bytes] | None:
    """("xor" or "shift", its translation table) when ``sample`` (a part's first
    SAMPLE_BYTES) is text under a one-byte key; None when it is text already or not such a
    text."""
    sample = sample[:SAMPLE_BYTES]
    if len(sample) < MIN_BYTES:
        return None
    distinct = set(sample)
    if len(distinct) > MAX_DISTINCT:
        return None
    commonest = max(distinct, key=sample.count)
    if commonest in (SPACE, 0):
        # Text as it is (its runs are read); binary data or UTF-16, whose NULs a key
        # would turn into spaces between letters of swapped case ('S E C R E T').
        return None
    for name, table in _tables(commonest).items():
        if reads_as_text(sample.translate(table)):
            return name, table
    return None
