"""A word drawn in a PDF font that gives no Unicode (no /ToUnicode, no known encoding: a
Type3 font of made-up glyph names, a symbolic TrueType subset, an Identity-H CID font
without a cmap) reads as its character codes, 6(&5(7 for SECRET: its page is read by OCR
beside the text layer. Ordinary fonts (the standard 14, an embedded TrueType with
/ToUnicode) cost no OCR."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from conftest import require_peer

from filters.build import FiltersConfig, build_pipeline
from filters.extract.pdf import unmapped_word
from filters.types import Part
from tests.fixtures import images as pictures
from tests.fixtures import unmapped_fonts

KINDS = sorted(unmapped_fonts.BUILDERS)


@pytest.fixture(autouse=True)
def _fonts():
    require_peer(pictures.fonts_missing())


def _walked(data: bytes, name: str = "memo.pdf") -> tuple[list[str], object]:
    """Origins of the text parts an OCR pipeline scanned, and its verdict."""
    walked: list[str] = []

    class Recorder:
        def scan(self, part):  # type: ignore[no-untyped-def]
            walked.append(part.origin)
            return ()

    recording = pictures.ocr_pipeline()
    recording.text_engines = (*recording.text_engines, Recorder())
    verdict = recording.scan(Part(origin=name, data=data, name=name))
    return walked, verdict


def _page_flagged(data: bytes) -> bool:
    doc = pdfium.PdfDocument(data)
    try:
        page = doc[0]
        textpage = pdfium_c.FPDFText_LoadPage(page.raw)
        try:
            return unmapped_word(textpage)
        finally:
            pdfium_c.FPDFText_ClosePage(textpage)
            page.close()
    finally:
        doc.close()


@pytest.mark.parametrize("kind", KINDS)
def test_the_text_layer_reads_as_shifted_glyph_codes(kind):
    # The premise: PDFium's text of the word is its codes, plausible characters.
    doc = pdfium.PdfDocument(unmapped_fonts.BUILDERS[kind]("SECRET"))
    try:
        text = doc[0].get_textpage().get_text_range()
    finally:
        doc.close()
    assert "6(&5(7" in text and "SECRET" not in text
    assert "northern depot" in text


@pytest.mark.parametrize("kind", KINDS)
def test_secret_in_a_font_without_unicode_on_a_page_of_text_is_held(kind):
    walked, verdict = _walked(unmapped_fonts.BUILDERS[kind]("SECRET"))
    found = {h.where for h in verdict.hits if h.category == "classification"}
    assert found == {"memo.pdf/page[1]#ocr"}, verdict.hits
    assert "memo.pdf/page[1]" in walked  # the text layer is read beside the OCR text


@pytest.mark.parametrize("kind", KINDS)
def test_a_harmless_word_in_the_same_font_passes(kind):
    walked, verdict = _walked(unmapped_fonts.BUILDERS[kind]("Harbour"))
    assert verdict.action == "pass", verdict.hits
    assert "memo.pdf/page[1]#ocr" in walked  # it was read, and found harmless


def test_with_ocr_off_the_page_is_held_as_unread():
    off = build_pipeline(FiltersConfig.from_mapping({"ocr": {"enabled": False}}))
    verdict = off.scan(Part(origin="memo.pdf", data=unmapped_fonts.type3("Harbour"), name="memo.pdf"))
    found = [h for h in verdict.hits if h.rule == "ocr.off"]
    assert [h.where for h in found] == ["memo.pdf/page[1]"], verdict.hits
    assert verdict.action == "quarantine"


def _reportlab(draw) -> bytes:  # type: ignore[no-untyped-def]
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    draw(page)
    page.save()
    return out.getvalue()


def test_ordinary_fonts_cost_no_ocr():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("DejaVuSans", unmapped_fonts.SANS))

    def draw(page):  # type: ignore[no-untyped-def]
        # Helvetica and Symbol: standard fonts, no /ToUnicode, known encodings.
        page.setFont("Helvetica", 11)
        page.drawString(72, 770, "The northern depot reported stock levels.")
        page.setFont("Symbol", 14)
        page.drawString(72, 740, "abgd")
        # An embedded TrueType subset, with the /ToUnicode map ReportLab writes.
        page.setFont("DejaVuSans", 30)
        page.drawString(72, 600, "Harbour lights")

    data = _reportlab(draw)
    assert not _page_flagged(data)
    walked, verdict = _walked(data)
    assert verdict.action == "pass", verdict.hits
    assert not [o for o in walked if "#ocr" in o], walked


def test_a_run_of_unmapped_characters_is_found_at_any_offset(monkeypatch):
    # Only every UNMAPPED_STRIDE-th character is asked first: a run as long as
    # UNMAPPED_RUN must be found wherever it starts and however long the page is.
    from filters.extract import pdf

    for count in range(1, 14):
        for start in range(count):
            for length in range(1, count - start + 1):
                pattern = [start <= i < start + length for i in range(count)]
                monkeypatch.setattr(pdf.pdfium_c, "FPDFText_CountChars", lambda _, n=count: n)
                monkeypatch.setattr(pdf, "_unmapped_char", lambda _, i, p=pattern: int(p[i]))
                assert unmapped_word(None) == (length >= pdf.UNMAPPED_RUN), (count, start, length)
    # Two short runs with one mapped character between are not a word.
    pattern = [False, True, True, True, False, True, True, True, False]
    monkeypatch.setattr(pdf.pdfium_c, "FPDFText_CountChars", lambda _: len(pattern))
    monkeypatch.setattr(pdf, "_unmapped_char", lambda _, i: int(pattern[i]))
    assert not unmapped_word(None)


@pytest.mark.parametrize("kind", KINDS)
def test_a_stray_glyph_or_two_is_not_a_word(kind):
    # A bullet or a symbol from a font without a mapping costs no OCR; a word does.
    assert not _page_flagged(unmapped_fonts.BUILDERS[kind]("Har"))
    assert _page_flagged(unmapped_fonts.BUILDERS[kind]("Harb"))
