"""A compressed stream without its header (raw deflate, raw LZMA2, raw LZMA) is undone
when it decodes from its first byte to its end into text or a known file; random bytes,
a stream cut short and a stream that decodes to noise are not."""

from __future__ import annotations

import lzma
import random
import zlib

import pytest

from filters import headerless

MEMO = b"Minutes of the harbour board.\n\nThe dredging contract goes to tender in May.\n"
WRITERS = {
    "raw-deflate": lambda data: zlib.compress(data)[2:-4],  # PHP gzdeflate, .NET DeflateStream
    "raw-lzma2": lambda data: lzma.compress(data, format=lzma.FORMAT_RAW,
                                            filters=[{"id": lzma.FILTER_LZMA2}]),
    "raw-lzma": lambda data: lzma.compress(data, format=lzma.FORMAT_RAW,
                                           filters=[{"id": lzma.FILTER_LZMA1}]),
}


@pytest.mark.parametrize("name", list(WRITERS))
def test_a_headerless_stream_of_text_is_undone(name):
    assert headerless.decoded(WRITERS[name](MEMO)) == (name, MEMO)


def test_a_headerless_stream_of_a_zip_is_undone():
    data = b"PK\x03\x04" + bytes(random.Random(1).randrange(256) for _ in range(300))
    assert headerless.decoded(WRITERS["raw-deflate"](data)) == ("raw-deflate", data)


@pytest.mark.parametrize("prefix", [b"", b"\x56\xe0", b"\xff\xfb\x90\x64",
                                    bytes(range(14))], ids=["none", "latm", "mpeg-audio", "14"])
def test_a_deflate_stream_a_few_bytes_in_is_undone(prefix):
    # A zlib stream (its two header bytes, then deflate) behind a frame header or sync word.
    assert headerless.decoded(prefix + zlib.compress(MEMO, 9)) == ("raw-deflate", MEMO)


def test_a_deflate_stream_further_in_is_not():
    assert headerless.decoded(bytes(range(headerless.MAX_PREFIX + 1)) + WRITERS["raw-deflate"](MEMO)) is None


def test_random_bytes_a_cut_stream_and_a_stream_of_noise_are_not():
    rng = random.Random(7)
    assert not any(headerless.decoded(bytes(rng.randrange(256) for _ in range(rng.randrange(8, 400))))
                   for _ in range(1000))
    assert headerless.decoded(WRITERS["raw-deflate"](MEMO * 4)[:-6]) is None
    noise = bytes(rng.randrange(256) for _ in range(200))
    assert headerless.decoded(WRITERS["raw-deflate"](noise)) is None


def test_a_short_raw_deflate_attachment_is_read_as_its_text(walk):
    walked = walk(WRITERS["raw-deflate"](MEMO), name="notes.bin")
    assert "dredging contract" in walked.text_at("#raw-deflate")
