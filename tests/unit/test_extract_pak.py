"""Chromium resource bundles (filters/extract/pak.py): icons, compressed pages and strings
are read, so a bundle passes, and a memo stored as any resource is held."""

from __future__ import annotations

import gzip
import io
import random
import struct

import brotli
import pytest
from PIL import Image

from filters.build import build_pipeline
from filters.detect import detect_type
from filters.pipeline import Pipeline
from filters.types import Part

MEMO = ("TOP SECRET//NOFORN\nSubject: convoy movements for the second quarter\n"
        "The convoy leaves the northern depot at 0400 on 3 June.\nTOP SECRET//NOFORN\n")


def _icon(seed: int) -> bytes:
    picture = Image.new("RGBA", (12, 12), (seed * 40 % 256, 90, 200, 255))
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def _page(words: random.Random) -> str:
    vocabulary = ("settings", "profile", "sync", "history", "download", "extension", "privacy",
                  "search", "engine", "startup", "appearance", "theme", "font", "zoom", "language")
    return "<!doctype html><html><body>" + "".join(
        f"<div class='row'><span>{' '.join(words.choices(vocabulary, k=6))}</span></div>\n"
        for _ in range(400)) + "</body></html>"


def bundle(resources: dict[int, bytes], version: int = 5, cut: int = 0) -> bytes:
    """A .pak as Chromium's tools/grit/pak_util.py writes it (UTF-8 strings, no aliases)."""
    ids = sorted(resources)
    if version == 5:
        header = struct.pack("<IBxxxHH", 5, 1, len(ids), 0)
    else:
        header = struct.pack("<IIB", 4, len(ids), 1)
    offset = len(header) + 6 * (len(ids) + 1)
    table, body = b"", b""
    for resource in ids:
        table += struct.pack("<HI", resource, offset + len(body))
        body += resources[resource]
    table += struct.pack("<HI", 0, offset + len(body) - cut)
    return header + table + body


def ordinary() -> dict[int, bytes]:
    words = random.Random(4)
    page = _page(words).encode()
    script = ("function open(){ return chrome.send('openSettings'); }\n" * 200).encode()
    return {
        100: _icon(1), 101: _icon(2), 102: _icon(3),
        200: gzip.compress(page),
        201: b"\x1e\x9b" + len(script).to_bytes(6, "little") + brotli.compress(script),
        300: b"Save draft", 301: b"Confidential mode", 302: b"Top secret",
        303: "Einstellungen öffnen".encode(),
    }


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return build_pipeline()


@pytest.mark.parametrize("version", [4, 5])
def test_a_bundle_is_typed_by_its_table(version):
    assert detect_type(Part(origin="p", data=bundle(ordinary(), version))) == "application/x-chromium-pak"


@pytest.mark.parametrize("version", [4, 5])
def test_a_bundle_of_icons_pages_and_strings_passes(pipeline, version):
    verdict = pipeline.scan_bytes(bundle(ordinary(), version), origin="chrome_100_percent.pak")
    assert verdict.passed, verdict.hits


@pytest.mark.parametrize("packing", ["string", "gzip", "brotli"])
def test_a_memo_stored_as_a_resource_is_held(pipeline, packing):
    raw = MEMO.encode()
    stored = {"string": raw, "gzip": gzip.compress(raw),
              "brotli": b"\x1e\x9b" + len(raw).to_bytes(6, "little") + brotli.compress(raw)}[packing]
    verdict = pipeline.scan_bytes(bundle({**ordinary(), 400: stored}), origin="resources.pak")
    assert any(h.category == "classification" for h in verdict.hits), verdict.hits


def test_bytes_after_the_tables_last_offset_are_held(pipeline):
    # The table says the bundle ends before the memo: the bytes no resource owns.
    data = bundle({**ordinary(), 400: MEMO.encode()}, cut=len(MEMO))
    verdict = pipeline.scan_bytes(data, origin="resources.pak")
    assert not verdict.passed
