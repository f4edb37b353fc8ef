"""DATA parsing: only CRLF.CRLF ends the data, dots are unstuffed, bare CR/LF and limits refused."""

from __future__ import annotations

import random
import re

import pytest

from gateway.smtp import DataReader


def chunks(stream: bytes, rng: random.Random) -> list[bytes]:
    """Split ``stream`` as the listener reads it: each ".\\r\\n" ends a chunk, other cuts random."""
    out = []
    for piece in re.split(rb"(?<=\.\r\n)", stream):
        while len(piece) > 1:
            cut = rng.randrange(1, len(piece))
            if piece.endswith(b".\r\n") and cut > len(piece) - 3:
                break  # never inside the separator (readuntil keeps it whole)
            out.append(piece[:cut])
            piece = piece[cut:]
        if piece:
            out.append(piece)
    return out


def read(stream: bytes, *, seed: int = 0, max_bytes: int = 1 << 20,
         max_line: int = 1000) -> tuple[bytes, DataReader, int]:
    """Feed ``stream``; the message, the reader and how many bytes were consumed."""
    reader = DataReader(max_bytes=max_bytes, max_line=max_line)
    message, used = b"", 0
    for chunk in chunks(stream, random.Random(seed)):
        data, end = reader.feed(chunk)
        message += data
        used += len(chunk)
        if end:
            return message, reader, used
    raise AssertionError("no end of data")


@pytest.mark.parametrize("seed", range(20))
def test_dot_stuffing_is_undone_at_any_chunking(seed):
    stream = b".leading\r\n..two\r\nmid.dle\r\n\r\n..\r\nend.\r\n.\r\nNEXT COMMAND\r\n"
    message, reader, used = read(stream, seed=seed)
    assert message == b"leading\r\n.two\r\nmid.dle\r\n\r\n.\r\nend.\r\n"
    assert reader.problem is None and used == len(stream) - len(b"NEXT COMMAND\r\n")
    assert reader.size == len(message)


def test_empty_message():
    assert read(b".\r\n")[0] == b""


@pytest.mark.parametrize("trick", [b"\n.\n", b"\r\n.\n", b"\n.\r\n", b"\r.\r", b"\r.\r\n"])
@pytest.mark.parametrize("seed", range(5))
def test_smuggling_sequences_do_not_end_the_data_and_are_refused(trick, seed):
    stream = b"Subject: x\r\n\r\nhi" + trick + b"MAIL FROM:<evil@x>\r\n.\r\n"
    _, reader, used = read(stream, seed=seed)
    assert used == len(stream)  # read to the real end, not the fake one
    assert reader.problem and reader.problem.startswith("550 5.5.2")


def test_cr_completed_by_next_chunk_is_not_bare():
    reader = DataReader(max_bytes=100, max_line=100)
    assert reader.feed(b"abc\r") == (b"abc\r", False)
    assert reader.feed(b"\n.\r\n") == (b"\n", True)
    assert reader.problem is None


def test_size_limit_counts_unstuffed_bytes():
    _, reader, _ = read(b"x" * 50 + b"\r\n" + b".\r\n", max_bytes=51)
    assert reader.problem.startswith("552 5.3.4")
    message, reader, _ = read(b"x" * 49 + b"\r\n" + b".\r\n", max_bytes=51)
    assert reader.problem is None and len(message) == 51


@pytest.mark.parametrize("seed", range(5))
def test_line_limit_is_rfc_5321_including_crlf(seed):
    ok = b"y" * 998 + b"\r\n"
    message, reader, _ = read(b"a\r\n" + ok + b"." + ok + b".\r\n", seed=seed)
    assert reader.problem is None and message == b"a\r\n" + ok + ok
    _, reader, _ = read(b"a\r\n" + b"y" * 999 + b"\r\n.\r\n", seed=seed)
    assert reader.problem.startswith("500 5.5.2")
