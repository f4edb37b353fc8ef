"""The file-type engine holds documents disguised by their name, and only notes other mismatches."""

import io

import docx

from filters.build import build_pipeline
from filters.types import Part

PIPELINE = build_pipeline()


def docx_bytes(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def scan(data: bytes, name: str):
    return PIPELINE.scan(Part(origin=name, data=data, name=name))


def test_docx_renamed_jpg_is_held_as_disguised():
    verdict = scan(docx_bytes("quarterly numbers"), "holiday.jpg")
    rules = {h.rule: h for h in verdict.hits}
    assert "filetype.disguised" in rules
    assert "wordprocessingml" in rules["filetype.disguised"].excerpt
    assert verdict.action == "quarantine"


def test_matching_name_gives_no_filetype_hit():
    verdict = scan(docx_bytes("quarterly numbers"), "numbers.docx")
    assert not [h for h in verdict.hits if h.rule.startswith("filetype.")]


def test_png_named_jpg_is_only_reported():
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(out, "PNG")
    verdict = scan(out.getvalue(), "photo.jpg")
    assert [h.rule for h in verdict.hits] == ["filetype.mismatch"]
    assert verdict.action == "pass"
