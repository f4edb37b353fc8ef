"""DATA parsing: only CRLF.CRLF ends the data, dots are unstuffed, bare CR/LF and limits refused."""

from __future__ import annotations

import random

import pytest

from gateway.smtp.data import DataChunker, DataReader


def cuts(stream: bytes, rng: random.Random) -> list[bytes]:
    """``stream`` cut at random places, as TCP may deliver it."""
    out = []
    while stream:
        cut = rng.randrange(1, min(len(stream), 12) + 1)
        out.append(stream[:cut])
        stream = stream[cut:]
    return out


def read(
    stream: bytes, *, seed: int = 0, max_bytes: int = 1 << 20, max_line: int = 1000
) -> tuple[bytes, DataReader, int]:
    """Feed ``stream`` cut at random through the chunker; the message, the reader and how
    many bytes of the stream the data took (the rest is handed back as commands)."""
    reader = DataReader(max_bytes=max_bytes, max_line=max_line)
    chunker = DataChunker()
    message, pushed = b"", 0
    for piece in cuts(stream, random.Random(seed)):
        pushed += len(piece)
        chunk, chunk_end, after = chunker.push(piece)
        data, end = reader.feed(chunk)
        assert end == chunk_end
        message += data
        if end:
            return message, reader, pushed - len(after)
    raise AssertionError("no end of data")


def test_chunks_are_as_large_as_what_arrived_even_with_a_period_at_every_line_end():
    body = b"A sentence that ends here.\r\n" * 2000
    chunk, end, after = DataChunker().push(body + b".\r\nQUIT\r\n")
    assert end and after == b"QUIT\r\n" and chunk == body + b".\r\n"
    chunker = DataChunker()
    first, end, _ = chunker.push(body)
    assert not end and first == body[:-2]  # the CRLF waits: it may start the end
    assert chunker.push(b".\r")[0] == b""  # CRLF "." CR: still the end's beginning
    second, end, after = chunker.push(b"\nQUIT\r\n")
    assert end and second == b"\r\n.\r\n" and after == b"QUIT\r\n"


def test_a_chunk_ending_where_no_end_can_begin_is_handed_out_whole():
    chunker = DataChunker()
    body = b"A line\r\nand half a line"
    chunk, end, _ = chunker.push(body)
    assert not end and chunk is body  # no copy
    assert chunker.push(b"\r\n.")[0] == b""
    assert chunker.push(b"x\r\n") == (b"\r\n.x", False, b"")  # "." then not CR: no end


@pytest.mark.parametrize("seed", range(20))
def test_dot_stuffing_is_undone_at_any_chunking(seed):
    stream = b".leading\r\n..two\r\nmid.dle\r\n\r\n..\r\nend.\r\n.\r\nNEXT COMMAND\r\n.\r\n"
    message, reader, used = read(stream, seed=seed)
    assert message == b"leading\r\n.two\r\nmid.dle\r\n\r\n.\r\nend.\r\n"
    assert reader.problem is None and used == len(stream) - len(b"NEXT COMMAND\r\n.\r\n")
    assert reader.size == len(message)


@pytest.mark.parametrize("seed", range(20))
def test_dot_free_says_whether_any_line_of_the_message_begins_with_a_dot(seed):
    # The relay sends a dot-free message as it is: it must be its own stuffed form.
    rng = random.Random(seed)
    kinds = [b"plain", b"mid.dle", b"end.", b""] + ([b"..", b".x"] if seed % 2 else [])
    lines = [rng.choice(kinds) for _ in range(30)]
    stream = b"\r\n".join(lines) + b"\r\n.\r\n"
    message, reader, _ = read(stream, seed=seed)
    assert reader.dot_free == (message + b".\r\n" == stream) == (seed % 2 == 0)
    if reader.dot_free:
        assert all(line[:1] != b"." for line in message.split(b"\r\n"))


@pytest.mark.parametrize("seed", range(5))
def test_empty_message_and_an_empty_line_before_the_end(seed):
    assert read(b".\r\nQUIT\r\n", seed=seed)[0] == b""
    message, _, used = read(b"\r\n.\r\nQUIT\r\n", seed=seed)
    assert message == b"\r\n" and used == 5


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


@pytest.mark.parametrize("seed", range(30))
def test_chunker_and_reader_agree_with_a_whole_stream_reading_at_any_cuts(seed):
    rng = random.Random(seed)
    lines = [
        rng.choice([b"", b".", b"..", b"a.", b".a", b"text.", b"x" * rng.randrange(1, 300)])
        for _ in range(rng.randrange(0, 60))
    ]
    body = b"".join(line + b"\r\n" for line in lines)
    stuffed = b"".join((b"." + line if line.startswith(b".") else line) + b"\r\n" for line in lines)
    stream = stuffed + b".\r\nMAIL FROM:<next@example.org>\r\n"
    message, reader, used = read(stream, seed=seed)
    assert reader.problem is None
    assert message == body
    assert used == len(stuffed) + 3


@pytest.mark.parametrize("seed", range(40))
def test_line_limit_in_large_chunks_agrees_with_the_longest_line(seed):
    # Chunks of many lines (as a 256 KiB read brings): refused exactly when the longest
    # line, CRLF included, is over the limit, wherever it stands and however it is cut.
    rng = random.Random(seed)
    max_line = rng.choice([20, 100, 1000])
    lengths = [
        rng.choice([0, 1, rng.randrange(max_line - 3), max_line - 2, max_line - 2])
        for _ in range(rng.randrange(1, 400))
    ]
    if seed % 2:
        lengths[rng.randrange(len(lengths))] = max_line - 1  # one octet too long with its CRLF
    body = b"".join(b"y" * n + b"\r\n" for n in lengths)
    reader = DataReader(max_bytes=1 << 24, max_line=max_line)
    chunker = DataChunker()
    stream = body + b".\r\n"
    pos = 0
    while pos < len(stream):
        size = rng.choice([1, 7, max_line // 2, max_line * 3, 1 << 16])
        chunk, _, _ = chunker.push(stream[pos : pos + size])
        reader.feed(chunk)
        pos += size
    too_long = max(lengths) + 2 > max_line
    assert (reader.problem is not None) == too_long, (max(lengths), max_line)
    assert reader.problem is None or reader.problem.startswith("500 5.5.2")


@pytest.mark.parametrize("seed", range(10))
def test_the_end_of_data_is_found_where_a_byte_search_finds_it(seed):
    # Large windows with dots, CRs and LFs in every arrangement, the mark at the edges too.
    from gateway.smtp.data import END_OF_DATA, find_end_of_data

    rng = random.Random(seed)
    for _ in range(20):
        size = rng.choice([10, 5_000, 70_000, 140_000])
        window = bytearray(
            rng.choice(b"ab.\r\n") if rng.random() < 0.2 else rng.choice(b"xyz") for _ in range(size)
        )
        window = bytes(window).replace(END_OF_DATA, b"\r\n..\r\n")
        for at in (None, 0, size - 5, rng.randrange(size - 5)):
            probe = window if at is None else window[:at] + END_OF_DATA + window[at + 5 :]
            assert find_end_of_data(probe) == probe.find(END_OF_DATA), (seed, size, at)


@pytest.mark.parametrize("seed", range(8))
def test_large_chunks_read_with_the_chunkers_dots_as_without(seed):
    # The reader takes the offsets of the dots the chunker found in a large window: the
    # message, the end and any refusal must be those found by looking again.
    rng = random.Random(seed)
    odd = [b"plain text", b".dot", b"..two", b"end.", b""] + ([b"a\rb", b"c\nd"] if seed % 2 else [])
    lines = [rng.choice(odd) if rng.random() < 0.3 else b"x" * rng.randrange(1, 90)
             for _ in range(20_000)]
    stream = b"\r\n".join(lines) + b"\r\n.\r\nQUIT\r\n"
    results = []
    for use_dots in (True, False):
        reader = DataReader(max_bytes=1 << 24, max_line=1000)
        chunker = DataChunker()
        pieces, rest, message = random.Random(seed), stream, b""
        while rest:
            cut = pieces.randrange(1, 300_000)
            chunk, chunk_end, after = chunker.push(rest[:cut])
            assert not chunk_end or chunk.endswith(b"\r\n.\r\n")
            rest = rest[cut:]
            assert chunker.dots is None or len(chunk) < 64 * 1024 or chunker.dots.size
            data, end = reader.feed(chunk, chunker.dots if use_dots else None)
            message += data
            if end:
                results.append((message, reader.problem, reader.dot_free, after + rest))
                break
    assert results[0] == results[1]
    assert results[0][3] == b"QUIT\r\n" and (results[0][1] is None) == (seed % 2 == 0)
