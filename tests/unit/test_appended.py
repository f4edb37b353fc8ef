"""A zip appended after another file's end (a picture, a program) is read as the part's members."""

from __future__ import annotations

import io
import zipfile

import pytest
from PIL import Image

from filters import appended
from filters.build import build_pipeline
from filters.types import Part

MARKED = "SECRET\n\nQ3 supplier review\n"


@pytest.fixture(scope="module")
def pipeline():
    return build_pipeline()


def _zip(text: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("notes.txt", text)
    return out.getvalue()


def _picture(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (48, 48), "white").save(out, fmt)
    return out.getvalue()


PROGRAM = b"MZ" + bytes(58) + (64).to_bytes(4, "little") + b"PE\0\0" + bytes(400)  # a self-extractor's stub


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("cat.png", _picture("PNG")),
        ("cat.jpg", _picture("JPEG")),
        ("setup.exe", PROGRAM),
    ],
)
def test_marked_zip_after_a_file_is_read(pipeline, name, head):
    verdict = pipeline.scan(Part(origin=name, data=head + _zip(MARKED * 3), name=name))
    assert [(h.category, h.where) for h in verdict.hits if h.category != "policy"] == [
        ("classification", f"{name}/#zip/notes.txt")
    ]


def test_clean_zip_after_a_picture_passes_and_a_plain_picture_adds_nothing(pipeline):
    assert pipeline.scan(
        Part(origin="c.png", data=_picture("PNG") + _zip("Lunch at noon.\n"), name="c.png")
    ).passed
    plain = Part(origin="p.png", data=_picture("PNG") + b"PK\x05\x06" + bytes(30), name="p.png")
    assert not appended.carries_zip(plain)  # a stray end record that zipfile does not open
    assert pipeline.scan(plain).passed


def test_a_zip_is_not_read_twice():
    data = _zip(MARKED)
    assert not appended.carries_zip(Part(origin="a.zip", data=data))
    assert appended.carries_zip(Part(origin="b.bin", data=b"prefix" + data))


def test_spooled_part_is_read_from_its_tail(tmp_path):
    path = tmp_path / "big.png"
    path.write_bytes(_picture("PNG") + bytes(200_000) + _zip(MARKED))
    assert appended.carries_zip(Part(origin="big.png", path=path))
