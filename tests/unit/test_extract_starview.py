"""LibreOffice's compressed object streams (filters/extract/starview.py), as a gallery
theme's .sdv keeps its drawings: read, so a gallery passes and a memo in one is held."""

from __future__ import annotations

import struct
import zlib

import pytest

from filters.build import build_pipeline
from filters.detect import detect_type
from filters.pipeline import Pipeline
from filters.types import Part

DRAWING = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.graphics">
<office:body><office:drawing><draw:page draw:name="page1">
<draw:custom-shape draw:name="Router"><text:p>{text}</text:p></draw:custom-shape>
</draw:page></office:drawing></office:body></office:document>
"""
MEMO = "TOP SECRET//NOFORN</text:p><text:p>Convoy leaves the northern depot at 0400 on 3 June."


def stream(content: str, trailing: bytes = b"", size_delta: int = 0) -> bytes:
    raw = content.encode()
    packed = zlib.compress(raw) + trailing
    return b"SVRLE2" + struct.pack("<II", len(raw) + size_delta, len(packed)) + packed


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return build_pipeline()


def test_a_gallery_object_is_typed_and_its_drawing_passes(pipeline):
    data = stream(DRAWING.format(text="Router"))
    assert detect_type(Part(origin="dd2004", data=data)) == "application/x-starview-compressed"
    verdict = pipeline.scan_bytes(data, origin="network.sdv/dd2004")
    assert verdict.passed, verdict.hits


def test_a_memo_in_a_gallery_drawing_is_held(pipeline):
    verdict = pipeline.scan_bytes(stream(DRAWING.format(text=MEMO)), origin="network.sdv/dd2004")
    assert any(h.category == "classification" for h in verdict.hits), verdict.hits


@pytest.mark.parametrize(("trailing", "size_delta"), [(b"CONFIDENTIAL memo hidden here", 0), (b"", 7)])
def test_bytes_after_the_zlib_stream_or_a_wrong_size_are_held(pipeline, trailing, size_delta):
    data = stream(DRAWING.format(text="Router"), trailing, size_delta)
    verdict = pipeline.scan_bytes(data, origin="network.sdv/dd2004")
    assert not verdict.passed
