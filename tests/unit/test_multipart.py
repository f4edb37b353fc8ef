"""Cutting multipart bodies into part files, fed whole or in blocks as they arrive."""

from __future__ import annotations

import pytest

from gateway.web.multipart import MAX_PARTS, MultipartSplitter, split_multipart_file

BOUNDARY = b"----form7MA4YWxk"


def body(*parts: tuple[bytes, bytes], close: bool = True) -> bytes:
    """A multipart/form-data body of (header block, data) parts, with a preamble."""
    out = b"preamble to ignore\r\n"
    for headers, data in parts:
        out += b"--" + BOUNDARY + b"\r\n" + headers + b"\r\n\r\n" + data + b"\r\n"
    return out + (b"--" + BOUNDARY + b"--\r\nepilogue" if close else b"")


def cut(data: bytes, block: int, workdir) -> tuple[list[tuple[bytes, bytes]], str]:
    splitter = MultipartSplitter(BOUNDARY, workdir)
    for at in range(0, len(data), block):
        splitter.feed(data[at:at + block])
    parts, error = splitter.finish()
    return [(headers, path.read_bytes()) for headers, path in parts], error


def expected(*parts: tuple[bytes, bytes]) -> list[tuple[bytes, bytes]]:
    """Parts as cut: each header block keeps the CRLF that ends its last line."""
    return [(headers + b"\r\n", data) for headers, data in parts]


FILE = (b'Content-Disposition: form-data; name="file"; filename="a.bin"\r\n'
        b"Content-Type: application/octet-stream",
        # data that looks like the start of a delimiter, and CRLFs, must pass intact
        b"\r\n--" + BOUNDARY[:-1] + b"x\r\n" + bytes(range(256)) * 50 + b"\r\n-")
FIELD = (b'Content-Disposition: form-data; name="note"', b"see attached")


@pytest.mark.parametrize("block", [1, 7, 64, 1000, 1 << 20])
def test_blocks_of_any_size_cut_the_same_parts_as_the_whole_body(tmp_path, block):
    parts, error = cut(body(FIELD, FILE), block, tmp_path)
    assert error == ""
    assert parts == expected(FIELD, FILE)


def test_a_spooled_body_is_cut_the_same_way(tmp_path):
    spooled = tmp_path / "body"
    spooled.write_bytes(body(FIELD, FILE))
    work = tmp_path / "work"
    work.mkdir()
    assert [(h, p.read_bytes()) for h, p in split_multipart_file(spooled, BOUNDARY, work)] \
        == expected(FIELD, FILE)


@pytest.mark.parametrize("data,reason,complete", [
    (b"no delimiter at all", "no multipart delimiter found", 0),
    (body(FIELD, close=False), "ends without its closing delimiter", 0),
    (body(FIELD, close=False) + b"--" + BOUNDARY + b"\r\nContent-Dispo",
     "ends inside part headers", 1),
    (body(FIELD, close=False) + b"--" + BOUNDARY, "ends after a delimiter", 1),
    (b"--" + BOUNDARY + b"\r\n" + b"X-Long: " + b"a" * 40000, "headers too long", 0),
])
def test_a_broken_body_is_reported_with_the_parts_cut_before_it(tmp_path, data, reason,
                                                                complete):
    parts, error = cut(data, 4096, tmp_path)
    assert reason in error
    assert parts == expected(*[FIELD] * complete)


def test_the_number_of_parts_is_bounded_and_the_rest_ignored(tmp_path):
    many = body(*[FIELD] * (MAX_PARTS + 5))
    splitter = MultipartSplitter(BOUNDARY, tmp_path)
    splitter.feed(many)
    parts, error = splitter.finish()
    assert error == f"more than {MAX_PARTS} multipart parts"
    assert len(parts) == MAX_PARTS


def test_a_body_cut_short_leaves_no_part_file_open(tmp_path):
    splitter = MultipartSplitter(BOUNDARY, tmp_path)
    splitter.feed(body(FILE, close=False)[:-300])
    assert splitter._out is not None  # the file part is being written
    splitter.close()
    assert splitter._out is None
    _, error = splitter.finish()
    assert "without its closing delimiter" in error
