"""Hex dumps whose shape ordinary text shares (spaced pairs of mostly digits, lines the
length of a digest, indented lines) are decoded when their bytes are text or a file,
and left alone when they decode to noise (figures, digests, code points)."""

from __future__ import annotations

import hashlib
import subprocess

import pytest

from filters import dump_content, embedded

MEMO = ("TOP SECRET//NOFORN\nOperation orders for the second quarter follow. The convoy leaves "
        "the northern depot at dawn on the third day; escorts join at the river crossing.\n"
        * 3).encode()


def _hexdumps(text: str) -> list[bytes]:
    return [data for label, data, _ in embedded.payloads(text) if label.startswith("#hexdump")]


def _run(*command: str, data: bytes = MEMO) -> str:
    return subprocess.run(command, input=data, capture_output=True, check=True).stdout.decode()


def _groups(data: bytes, width: int, per_line: int = 16, indent: str = "", upper: bool = False) -> str:
    digits = data.hex().upper() if upper else data.hex()
    groups = [digits[i:i + width] for i in range(0, len(digits), width)]
    return "\n".join(indent + " ".join(groups[i:i + per_line]) for i in range(0, len(groups), per_line))


@pytest.mark.parametrize("dump", [
    pytest.param(lambda: _groups(MEMO, 2), id="pairs"),
    pytest.param(lambda: _groups(MEMO, 2, upper=True), id="pairs in capitals"),
    pytest.param(lambda: MEMO.hex(" "), id="pairs on one line"),
    pytest.param(lambda: _groups(MEMO, 2, indent="  "), id="pairs indented"),
    pytest.param(lambda: _run("od", "-An", "-tx1"), id="od -An -tx1"),
    pytest.param(lambda: _run("xxd", "-p", "-c", "16"), id="xxd -p -c 16 (MD5 length)"),
    pytest.param(lambda: _run("xxd", "-p", "-c", "20"), id="xxd -p -c 20 (SHA-1 length)"),
    pytest.param(lambda: _run("xxd", "-p", "-c", "32"), id="xxd -p -c 32 (SHA-256 length)"),
    pytest.param(lambda: _run("xxd", "-p", "-c", "64"), id="xxd -p -c 64 (SHA-512 length)"),
    pytest.param(lambda: "\n".join("    " + line for line in _run("xxd", "-p").splitlines()),
                 id="xxd -p indented"),
    pytest.param(lambda: "\n".join("\t" + line for line in _run("xxd", "-p", "-c", "32").splitlines()),
                 id="xxd -p -c 32 indented by a tab"),
])
def test_a_dump_of_ascii_text_is_decoded_whatever_its_shape(dump):
    assert _hexdumps(f"Here it is:\n\n{dump()}\n\nregards") == [MEMO]


def test_a_file_in_lines_the_length_of_a_digest_is_decoded():
    data = b"PK\x03\x04" + hashlib.sha512(b"x").digest() * 8
    assert _hexdumps(_run("xxd", "-p", "-c", "32", data=data)) == [data]


def test_figures_digests_and_code_points_that_decode_to_noise_are_no_dump():
    digests = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(200)]
    ordinary = [
        "\n".join("    " + d for d in digests),  # an indented list of digests
        "\n".join("\t" + d[:32] for d in digests),  # MD5s in a table
        "\n".join(" ".join(f"{(i * 31 + j * 17) % 100:02d}" for j in range(16)) for i in range(60)),
        "\n".join(" ".join(f"{1000 + (i * 37 + j * 11) % 9000}" for j in range(8)) for i in range(200)),
        "\n".join(" ".join(f"{2000 + (i + j) % 30}" for j in range(12)) for i in range(60)),  # years
        "\n".join(" ".join(f"{(i * 7 + j) % 60:02d}" for j in range(20)) for i in range(40)),
        "\n".join(" ".join(f"{0x4E00 + (i * 2654435761 + j) % 0x51A0:04X}" for j in range(8))
                  for i in range(100)),
    ]
    for text in ordinary:
        assert _hexdumps(text) == [], text[:80]


def test_text_and_noise_are_told_apart_by_their_bytes():
    assert dump_content.says_what_it_is(MEMO)
    assert dump_content.says_what_it_is("Привет, это служебная записка.".encode() * 4)
    assert not dump_content.says_what_it_is(bytes.fromhex("".join(f"{i % 100:02d}" for i in range(400))))
    assert not dump_content.says_what_it_is(hashlib.sha256(b"a").digest() * 8)
    assert not dump_content.says_what_it_is(b"\x20\x26\x20\x25 " * 40)  # years 2026 2025 read as bytes
