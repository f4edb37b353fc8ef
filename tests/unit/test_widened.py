"""filters.widened: which files are a file widened with NULs."""

import random

from filters import widened

DATA = random.Random(7).randbytes(4096)


def test_a_nul_after_or_before_each_byte_gives_the_offset_of_the_files_own_bytes():
    assert widened.narrowed(b"".join(bytes([b, 0]) for b in DATA)) == 0
    assert widened.narrowed(b"".join(bytes([0, b]) for b in DATA)) == 1


def test_a_few_stray_bytes_among_the_nuls_are_tolerated_many_are_not():
    wide = bytearray(b"".join(bytes([b, 0]) for b in DATA))
    for at in range(1, len(wide), 200):
        wide[at] = 0x41
    assert widened.narrowed(bytes(wide)) == 0
    for at in range(1, len(wide), 20):
        wide[at] = 0x41
    assert widened.narrowed(bytes(wide)) is None


def test_utf16_text_zeros_random_bytes_and_short_files_are_not_narrowed():
    assert widened.narrowed(("Minutes of the meeting. " * 40).encode("utf-16-le")) is None
    assert widened.narrowed(bytes(8192)) is None
    assert widened.narrowed(DATA) is None
    assert widened.narrowed(b"".join(bytes([b, 0]) for b in DATA[:100])) is None
