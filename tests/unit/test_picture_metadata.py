"""The text a picture carries beside its pixels (PNG text chunks, EXIF, XMP, comments, the
ICC profile, TIFF tags) is read, with OCR on or off; a picture without any gives none."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from filters.types import NUMBER_RUNS_KEY
from tests.fixtures.picture_metadata import PLACES, png_with_text

LINE = "Harbour survey, plate 4 of 9"


@pytest.mark.parametrize("place", list(PLACES))
def test_text_in_a_pictures_metadata_is_read(walk, place):
    name, data = PLACES[place](LINE)
    walked = walk(data, name=name)
    texts = [p for p in walked.texts if "#metadata" in p.origin]
    assert any(LINE in (p.text or "").replace("\x00", "") for p in texts), [p.text for p in texts]


def test_runs_of_binary_metadata_are_kept_from_the_personal_rules_only(walk):
    walked = walk(PLACES["jpeg exif description"](LINE)[1], name="photo.jpg")
    runs = [p for p in walked.texts if p.origin.endswith("#metadata-runs")]
    assert runs and all(p.meta.get(NUMBER_RUNS_KEY) for p in runs)
    assert not any(p.meta.get(NUMBER_RUNS_KEY) for p in walked.texts
                   if p.origin.endswith("#metadata"))


def test_a_plain_picture_has_no_metadata_text(walk):
    out = io.BytesIO()
    Image.new("RGB", (48, 48), (10, 120, 200)).save(out, "PNG")
    assert not [p for p in walk(out.getvalue(), name="plain.png").texts if "#metadata" in p.origin]


def test_a_compressed_text_chunk_is_inflated_to_a_bound():
    from filters.extract import picture_metadata

    bomb = png_with_text("x", "zTXt")
    big = zlib.compress(b"a" * (8 * picture_metadata.MAX_TEXT_BYTES))
    payload = b"Comment\0\0" + big
    chunk = struct.pack(">I", len(payload)) + b"zTXt" + payload + b"\0\0\0\0"
    at = bomb.index(b"IEND") - 4  # after the image data, where Pillow's own guard does not look
    with Image.open(io.BytesIO(bomb[:at] + chunk + bomb[at:])) as image:
        text, _ = picture_metadata.texts(image, io.BytesIO(bomb[:at] + chunk + bomb[at:]))
    assert max(len(t) for t in text) <= picture_metadata.MAX_TEXT_BYTES + 16
