"""zstd, lz4, brotli, zlib, cpio, ar, rpm and .deb: opened under the limits, cut or damaged
streams reported, bombs stopped; the libraries and tools that write them make the fixtures."""

from __future__ import annotations

import os

import pytest

from filters.build import build_pipeline
from filters.limits import Limits
from filters.types import Verdict
from tests.fixtures import formats

MARKED = b"TOP SECRET//NOFORN\nThe plan for next year.\n"


@pytest.fixture(scope="module")
def pipeline():
    return build_pipeline()


def scan(pipeline, data: bytes, name: str) -> Verdict:
    return pipeline.scan_bytes(data, origin=name, name=name)


def where(verdict: Verdict, category: str) -> set[str]:
    return {h.where for h in verdict.hits if h.category == category}


@pytest.mark.parametrize(("name", "make", "inner"), [
    ("a.txt.zst", lambda d: formats.zstd_bytes(d), "a.txt.zst/a.txt"),
    ("a.txt.lz4", lambda d: formats.lz4_bytes(d), "a.txt.lz4/a.txt"),
    ("a.txt.br", lambda d: formats.brotli_bytes(d), "a.txt.br/a.txt"),
    ("a.zz", lambda d: formats.zlib_bytes(d), "a.zz/a"),
    ("a.cpio", lambda d: formats.cpio_bytes({"m.txt": d}), "a.cpio/m.txt"),
    ("a.a", lambda d: formats.ar_bytes({"m.txt": d}), "a.a/m.txt"),
    ("a.rpm", lambda d: formats.rpm_bytes({"m.txt": d}), "a.rpm/m.txt"),
    ("a.deb", lambda d: formats.deb_bytes({"m.txt": d}),
     "a.deb/data.tar.xz/data.tar/./usr/share/doc/example/m.txt"),
])
def test_marking_inside_is_found_in_the_member(pipeline, name, make, inner):
    verdict = scan(pipeline, make(MARKED), name)
    assert verdict.action == "quarantine"
    assert inner in where(verdict, "classification"), verdict.hits
    assert verdict.stats.coverage.get("opened", 0) >= 2


def test_frames_in_a_row_are_all_read(pipeline):
    data = formats.zstd_bytes(b"harmless first frame\n") + formats.zstd_bytes(MARKED)
    assert scan(pipeline, data, "two.zst").action == "quarantine"


@pytest.mark.parametrize("make", [formats.zstd_bytes, formats.lz4_bytes, formats.brotli_bytes,
                                  formats.zlib_bytes])
def test_cut_stream_is_held_and_what_came_before_the_cut_is_read(pipeline, make):
    data = make(MARKED + os.urandom(20000).hex().encode())
    verdict = scan(pipeline, data[: len(data) * 2 // 3], "cut.bin")
    rules = {h.rule for h in verdict.hits}
    if make is formats.brotli_bytes:
        # Brotli has no magic number: a cut stream is not recognised, and is held as the
        # random-looking data it is.
        assert rules & {"extract.unparseable", "filetype.opaque"}, verdict.hits
    else:
        assert "extract.unparseable" in rules, verdict.hits
    assert verdict.action == "quarantine"


@pytest.mark.parametrize("make", [formats.zstd_bytes, formats.lz4_bytes, formats.brotli_bytes,
                                  formats.zlib_bytes])
def test_bomb_stops_at_the_ratio_limit(make):
    pipeline = build_pipeline()
    pipeline.limits = Limits(ratio_floor_bytes=1024 * 1024, max_ratio=50)
    verdict = scan(pipeline, make(bytes(64 * 1024 * 1024)), "zeros.bin")
    assert "limit.max_ratio" in {h.rule for h in verdict.hits}
    assert verdict.stats.expanded_bytes < 80 * 1024 * 1024


def test_damaged_cpio_is_held_as_unparseable(pipeline):
    data = formats.cpio_bytes({"a.txt": b"x" * 5000, "b.txt": MARKED})
    verdict = scan(pipeline, data[:2000] + os.urandom(2000), "bad.cpio")
    assert verdict.action == "quarantine"
    assert {h.rule for h in verdict.hits} & {"extract.unparseable", "extract.failed"}


def test_clean_log_archive_passes(pipeline):
    data = formats.zstd_bytes(formats.tar_bytes({"api.log": formats.service_log()}))
    verdict = scan(pipeline, data, "logs.tar.zst")
    assert verdict.action == "pass", verdict.hits
    assert verdict.stats.coverage == {"opened": 3}
