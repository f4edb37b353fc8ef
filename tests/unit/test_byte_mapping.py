"""Text under a one-byte key (XOR, shift) is read back; other bytes are left alone."""

from __future__ import annotations

import hashlib
import random

import pytest

from filters import byte_mapping
from filters.build import build_pipeline

MEMO = ("TOP SECRET//NOFORN\n\nOperation orders for the second quarter follow. The convoy "
        "leaves the northern depot at dawn on the third day.\n" * 20).encode()


def _mapped(data: bytes, table: list[int]) -> bytes:
    return bytes(table[value] for value in data)


@pytest.mark.parametrize("table", [
    pytest.param([value ^ 0x5A for value in range(256)], id="xor 0x5a"),
    pytest.param([value ^ 0xA7 for value in range(256)], id="xor 0xa7"),
    pytest.param([(value + 77) % 256 for value in range(256)], id="shift 77"),
])
def test_text_under_a_one_byte_key_is_read_back(table):
    data = _mapped(MEMO, table)
    found = byte_mapping.key_for(data)
    assert found is not None and data.translate(found[1]) == MEMO


def test_text_binary_data_and_utf16_are_not_read_back():
    rng = random.Random(1)
    ordinary = [
        MEMO,  # text as it is
        MEMO.decode().encode("utf-16-le"),  # its NULs are the commonest byte
        bytes(rng.randrange(256) for _ in range(4096)),  # random: too many byte values
        b"".join(hashlib.sha256(str(i).encode()).digest() for i in range(200)),
        bytes(rng.randrange(40) for _ in range(4096)),  # small integers: no text under any key
        bytes(4096),
        _mapped(MEMO, random.Random(5).sample(range(256), 256)),  # a shuffled table is not undone
    ]
    for data in ordinary:
        assert byte_mapping.key_for(data) is None, data[:20]


def test_a_marked_text_under_xor_is_held_and_a_clean_one_passes():
    pipeline = build_pipeline(lazy=True)
    table = [value ^ 0x5A for value in range(256)]
    marked = pipeline.scan_bytes(_mapped(MEMO, table), origin="notes.bin")
    assert marked.action != "pass"
    assert {hit.where for hit in marked.hits if hit.category == "classification"} == {"notes.bin/#xor"}
    clean = _mapped(MEMO.replace(b"TOP SECRET//NOFORN", b"Picnic minutes    "), table)
    assert pipeline.scan_bytes(clean, origin="notes.bin").action == "pass"
