"""Text drawn as filled outlines in a PDF (Fontwork, WordArt, "convert text to outlines",
printing with text as curves) is rendered and read by OCR; a chart's paths beside a text
layer are not."""

from __future__ import annotations

import io

import pytest
from conftest import require_peer

from filters.build import FiltersConfig, build_pipeline
from filters.types import Part
from tests.fixtures import images as pictures


@pytest.fixture(autouse=True)
def _fonts():
    require_peer(pictures.fonts_missing())


@pytest.fixture(scope="module")
def pipeline():
    return pictures.ocr_pipeline()


def _outlined(page, word: str, x: float, y: float, size: float, angle: float = 0.0) -> None:  # type: ignore[no-untyped-def]
    """Draw ``word`` on a reportlab canvas as one filled path of its glyph outlines (no
    text object), as a "convert text to outlines" tool leaves it."""
    from matplotlib.path import Path as MplPath
    from matplotlib.textpath import TextPath

    glyphs = TextPath((0, 0), word, size=size)
    path = page.beginPath()
    current = (0.0, 0.0)
    codes = glyphs.codes if glyphs.codes is not None else [MplPath.LINETO] * len(glyphs.vertices)
    vertices = [tuple(v) for v in glyphs.vertices]
    index = 0
    while index < len(vertices):
        code = codes[index]
        if code == MplPath.MOVETO:
            current = vertices[index]
            path.moveTo(*current)
            index += 1
        elif code == MplPath.LINETO:
            current = vertices[index]
            path.lineTo(*current)
            index += 1
        elif code == MplPath.CURVE3:  # quadratic: as the cubic it equals
            (cx, cy), end = vertices[index], vertices[index + 1]
            c1 = (current[0] + 2 / 3 * (cx - current[0]), current[1] + 2 / 3 * (cy - current[1]))
            c2 = (end[0] + 2 / 3 * (cx - end[0]), end[1] + 2 / 3 * (cy - end[1]))
            path.curveTo(*c1, *c2, *end)
            current = end
            index += 2
        elif code == MplPath.CURVE4:
            path.curveTo(*vertices[index], *vertices[index + 1], *vertices[index + 2])
            current = vertices[index + 2]
            index += 3
        else:  # CLOSEPOLY
            path.close()
            index += 1
    page.saveState()
    page.translate(x, y)
    page.rotate(angle)
    page.drawPath(path, fill=1, stroke=0, fillMode=0)
    page.restoreState()


def _pdf(draw) -> bytes:  # type: ignore[no-untyped-def]
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    draw(page)
    page.save()
    return out.getvalue()


BODY = ("The northern depot reported stock levels for the third quarter.",
        "Deliveries to the coastal sites resumed after the storm.")


def _body(page) -> None:  # type: ignore[no-untyped-def]
    page.setFont("Helvetica", 11)
    for row, line in enumerate(BODY):
        page.drawString(72, 770 - 16 * row, line)


def _walked(data: bytes, name: str) -> tuple[list[str], object]:
    """Origins of the text parts the pipeline scanned, and its verdict."""
    walked: list[str] = []

    class Recorder:
        def scan(self, part):  # type: ignore[no-untyped-def]
            walked.append(part.origin)
            return ()

    recording = build_pipeline(FiltersConfig.from_mapping({"limits": {
        "part_seconds": 120.0, "item_seconds": 300.0, "ocr_item_seconds": 240.0,
        "ocr_page_seconds": 120.0}}))
    recording.text_engines = (*recording.text_engines, Recorder())
    verdict = recording.scan(Part(origin=name, data=data, name=name))
    return walked, verdict


@pytest.mark.parametrize("angle", [0.0, 35.0])
def test_secret_drawn_as_filled_curves_on_a_page_of_text_is_held(pipeline, angle):
    def draw(page):  # type: ignore[no-untyped-def]
        _body(page)
        page.setFillGray(0.1 if not angle else 0.6)  # a pale diagonal watermark too
        _outlined(page, "SECRET", 150, 400, 60, angle)

    data = _pdf(draw)
    verdict = pipeline.scan(Part(origin="memo.pdf", data=data, name="memo.pdf"))
    found = {h.where for h in verdict.hits if h.category == "classification"}
    assert found == {"memo.pdf/page[1]/outlines#ocr"}, verdict.hits


def test_the_same_page_with_a_harmless_word_in_outlines_passes(pipeline):
    def draw(page):  # type: ignore[no-untyped-def]
        _body(page)
        _outlined(page, "Harbour", 150, 400, 60)

    data = _pdf(draw)
    walked, verdict = _walked(data, "memo.pdf")
    assert verdict.action == "pass", verdict.hits
    assert "memo.pdf/page[1]/outlines#ocr" in walked  # it was read, and found harmless


def test_a_bar_chart_of_paths_beside_a_text_layer_is_not_read_by_ocr():
    def draw(page):  # type: ignore[no-untyped-def]
        _body(page)
        page.setFont("Helvetica", 9)
        for bar, height in enumerate((120, 200, 90, 260, 180, 140, 220, 60)):
            page.setFillGray(0.2 + bar * 0.08)
            page.rect(90 + bar * 50, 300, 36, height, fill=1, stroke=0)
            page.drawString(90 + bar * 50, 288, f"Q{bar % 4 + 1} {2024 + bar // 4}")
        page.setStrokeGray(0)
        for tick in range(6):  # axis and grid rules
            page.line(80, 300 + tick * 50, 500, 300 + tick * 50)
        # a pie beside it: wedges are filled curves too, but few segments each
        for start in range(0, 360, 45):
            page.setFillGray(start / 400)
            page.wedge(380, 620, 500, 740, start, 45, fill=1, stroke=0)

    walked, verdict = _walked(_pdf(draw), "chart.pdf")
    assert verdict.action == "pass", verdict.hits
    assert [o for o in walked if o.startswith("chart.pdf/page[1]")]  # its text was scanned
    assert not [o for o in walked if "#ocr" in o], walked


def _body_page(page) -> None:  # type: ignore[no-untyped-def]
    """A full page of body text (a memo), as the page a watermark is laid over."""
    page.setFont("Helvetica", 11)
    lines = [pictures.BODY_EN[i:i + 90] for i in range(0, len(pictures.BODY_EN), 90)]
    for row in range(48):
        page.drawString(60, 790 - 15 * row, lines[row % len(lines)])


@pytest.mark.parametrize(("word", "grey", "angle"), [
    ("SECRET", 0.75, 40.0), ("CONFIDENTIAL", 0.8, 35.0), ("SECRET", 0.1, 0.0)])
def test_outlines_laid_over_a_page_of_body_text_are_read_and_held(pipeline, word, grey, angle):
    # A Fontwork watermark or a banner converted to curves over the memo's text: the text
    # in their box is the body's, not theirs, so it does not account for them.
    def draw(page):  # type: ignore[no-untyped-def]
        _body_page(page)
        page.setFillGray(grey)
        _outlined(page, word, 110, 300, 80 if len(word) < 8 else 56, angle)

    verdict = pipeline.scan(Part(origin="memo.pdf", data=_pdf(draw), name="memo.pdf"))
    found = {h.where for h in verdict.hits if h.category == "classification"}
    assert "memo.pdf/page[1]/outlines#ocr" in found, verdict.hits


def test_the_page_of_body_text_with_a_harmless_word_in_outlines_over_it_passes():
    def draw(page):  # type: ignore[no-untyped-def]
        _body_page(page)
        page.setFillGray(0.75)
        _outlined(page, "Harbour", 110, 300, 80, 40.0)

    walked, verdict = _walked(_pdf(draw), "memo.pdf")
    assert verdict.action == "pass", verdict.hits
    assert "memo.pdf/page[1]/outlines#ocr" in walked


def test_an_area_chart_of_smooth_filled_curves_among_its_labels_is_not_read_by_ocr():
    # Each series one filled curve of many segments, the labels and the memo's text around
    # them: glyph-like by their segments, but one contour each, not letters.
    import math

    def draw(page):  # type: ignore[no-untyped-def]
        _body_page(page)
        page.setFont("Helvetica", 8)
        for series in range(4):
            page.setFillGray(0.3 + 0.15 * series)
            path = page.beginPath()
            path.moveTo(90, 300)
            for step in range(41):
                x = 90 + step * 10
                path.lineTo(x, 320 + 40 * series + 30 * math.sin(step / 4 + series))
            path.lineTo(490, 300)
            path.close()
            page.drawPath(path, fill=1, stroke=0)
            page.drawString(500, 320 + 40 * series, f"Series {series + 1}: depot stock")

    walked, verdict = _walked(_pdf(draw), "chart.pdf")
    assert verdict.action == "pass", verdict.hits
    assert not [o for o in walked if "#ocr" in o], walked
