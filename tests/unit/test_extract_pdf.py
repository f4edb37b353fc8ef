"""The PDF extractor: page text and bands, metadata, annotations, attachments, failures."""

from __future__ import annotations

import threading

import pytest
from conftest import require_peer

from filters.errors import EncryptedContent, LimitReached, UnparseableContent
from filters.extract import pdf
from filters.limits import Budget, Limits
from filters.types import Defect, Part
from tests.fixtures import pdf as fixtures


def run(data: bytes, limits: Limits | None = None) -> list[Part | Defect]:
    budget = Budget(limits or Limits())
    try:
        return list(pdf.extract(Part(origin="doc.pdf", data=data), budget))
    finally:
        budget.close()


def texts(children: list[Part | Defect]) -> dict[str, Part]:
    return {c.origin: c for c in children if isinstance(c, Part) and c.is_text}


@pytest.fixture(scope="module")
def marked() -> bytes:
    missing = fixtures.cjk_font_missing()
    require_peer(missing)
    return fixtures.marked_pdf()


def test_banner_at_top_of_page_is_a_header_part(marked):
    parts = texts(run(marked))
    header = parts["doc.pdf/page[1]#header"]
    assert header.role == "header"
    assert header.text == "TOP SECRET//NOFORN"
    assert parts["doc.pdf/page[1]#footer"].text == "Page 1 of 3"
    assert parts["doc.pdf/page[1]#footer"].role == "footer"


def test_page_body_holds_all_page_text_in_order(marked):
    body = texts(run(marked))["doc.pdf/page[2]"]
    assert body.role == "body"
    assert body.text.splitlines() == [
        "UNCLASSIFIED", "Distribution limited - page 2",
        "Second page: budget lines and ordinary words.",
    ]


def test_middle_of_page_text_is_not_in_the_bands(marked):
    parts = texts(run(marked))
    assert "convoy" not in parts["doc.pdf/page[1]#header"].text
    assert "convoy" not in parts["doc.pdf/page[1]#footer"].text


def test_chinese_page_text_is_extracted(marked):
    body = texts(run(marked))["doc.pdf/page[3]"].text
    assert "征求意见稿" in body
    assert "机密★5年" in body


def test_metadata_becomes_property_parts(marked):
    parts = texts(run(marked))
    keywords = parts["doc.pdf/#info.Keywords"]
    assert keywords.role == "property"
    assert keywords.name == "Keywords"
    assert keywords.text == "DRAFT, logistics, review"
    assert parts["doc.pdf/#info.Title"].text == "Quarterly logistics review"


def test_annotations_contents_and_stamp_names_are_comments():
    parts = texts(run(fixtures.annotated_pdf_with_attachment()))
    notes = parts["doc.pdf/page[1]#annotations"]
    assert notes.role == "comment"
    lines = notes.text.splitlines()
    assert "Reviewer: still a working draft" in lines
    assert "CONFIDENTIAL - do not forward" in lines
    assert "Stamp: Draft" in lines


def test_standard_stamp_name_object_is_read():
    notes = texts(run(fixtures.stamped_pdf("Confidential")))["doc.pdf/page[1]#annotations"]
    assert notes.text == "Stamp: Confidential"


def test_embedded_file_becomes_content_part():
    payload = b"Annex text: SECRET plans\n"
    children = run(fixtures.annotated_pdf_with_attachment("annex.txt", payload))
    content = [c for c in children if isinstance(c, Part) and not c.is_text]
    assert [(c.origin, c.name, c.data) for c in content] == [
        ("doc.pdf/attachment[1]:annex.txt", "annex.txt", payload)
    ]
    assert content[0].depth == 1


def test_embedded_file_is_walked_by_the_pipeline(walk):
    data = fixtures.annotated_pdf_with_attachment("annex.txt", b"Annex: TOP SECRET plans\n")
    walked = walk(data, name="cover.pdf")
    assert walked.content[0].detected_type == "application/pdf"
    assert "TOP SECRET plans" in walked.text_at("cover.pdf/attachment[1]:annex.txt")
    assert walked.policy_rules() == []


def test_password_protected_pdf_is_encrypted_content():
    with pytest.raises(EncryptedContent, match="password-protected"):
        run(fixtures.encrypted_pdf("s3cret"))


def test_password_protected_pdf_is_held(walk):
    walked = walk(fixtures.encrypted_pdf("s3cret"), name="locked.pdf")
    assert walked.policy_rules() == ["extract.encrypted"]
    assert walked.verdict.action == "quarantine"


def test_owner_password_only_pdf_is_extracted_with_low_defect():
    children = run(fixtures.encrypted_pdf(""))
    defects = [c for c in children if isinstance(c, Defect)]
    assert [(d.rule, d.severity) for d in defects] == [("extract.pdf_permissions", "low")]
    assert "Protected body text, CONFIDENTIAL." in texts(children)["doc.pdf/page[1]"].text


def test_truncated_pdf_is_unparseable():
    with pytest.raises(UnparseableContent, match=r"PDF cannot be opened: .*format"):
        run(fixtures.truncated_pdf())


def test_truncated_pdf_is_held(walk):
    walked = walk(fixtures.truncated_pdf(), name="cut.pdf")
    assert walked.policy_rules() == ["extract.unparseable"]
    assert walked.verdict.action == "quarantine"


def test_page_count_is_bounded_by_max_parts():
    data = fixtures.large_pdf(pages=6, lines_per_page=2)
    with pytest.raises(LimitReached) as caught:
        run(data, Limits(max_parts=4))
    assert caught.value.limit == "max_parts"


def test_spooled_pdf_is_read_from_its_file(tmp_path):
    path = tmp_path / "spooled.pdf"
    path.write_bytes(fixtures.plain_pdf(["Spooled page says RESERVADO."]))
    budget = Budget(Limits())
    children = list(pdf.extract(Part(origin="s.pdf", path=path), budget))
    assert texts(children)["s.pdf/page[1]"].text == "Spooled page says RESERVADO."


def test_threads_extract_concurrently_without_crashing(marked):
    results: list[str] = []

    def work() -> None:
        for _ in range(5):
            results.append(texts(run(marked))["doc.pdf/page[1]#header"].text)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["TOP SECRET//NOFORN"] * 20


def test_five_megabyte_pdf_gives_every_page_text():
    # How fast: bench/extract_speed.py.
    data = fixtures.large_pdf(pages=400, lines_per_page=60)
    assert len(data) > 4_000_000
    children = run(data)
    assert len(texts(children)) >= 400 * 2


def _reportlab_pdf(draw) -> bytes:  # type: ignore[no-untyped-def]
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    draw(page)
    page.save()
    return out.getvalue()


def test_a_diagonal_watermark_is_a_line_of_its_own():
    # Word and PDF tools draw a watermark as rotated text; PDFium's page text runs it
    # into the line beside it, where it no longer stands alone.
    def draw(page):  # type: ignore[no-untyped-def]
        page.drawString(72, 700, "Plan for the depot")
        page.saveState()
        page.translate(300, 400)
        page.rotate(45)
        page.setFont("Helvetica", 60)
        page.drawString(0, 0, "Confidential")
        page.restoreState()

    parts = texts(run(_reportlab_pdf(draw)))
    rotated = parts["doc.pdf/page[1]#rotated"]
    assert rotated.text == "Confidential"
    assert rotated.role == "header"


def test_a_page_turned_by_its_content_is_not_a_watermark():
    # Every line turned by 90°: a landscape page drawn sideways, not a margin marking.
    def draw(page):  # type: ignore[no-untyped-def]
        page.rotate(90)
        for row in range(12):
            page.drawString(72, -100 - 20 * row, f"Line {row} of an ordinary landscape table")

    assert "doc.pdf/page[1]#rotated" not in texts(run(_reportlab_pdf(draw)))


def test_form_field_values_are_read_as_cells():
    def draw(page):  # type: ignore[no-untyped-def]
        page.drawString(72, 700, "Request form")
        page.acroForm.textfield(name="classification", value="SECRET", x=72, y=600,
                                width=200, height=20)

    data = _reportlab_pdf(draw)
    parts = texts(run(data))
    assert parts["doc.pdf/page[1]#fields"].text == "SECRET"
    assert parts["doc.pdf/page[1]#fields"].role == "cell"


@pytest.mark.parametrize(("picture", "max_objects", "expected"), [
    (None, pdf.MAX_PAGE_OBJECTS, False),  # text alone: no picture walk needed
    ("page", pdf.MAX_PAGE_OBJECTS, True),
    ("form", pdf.MAX_PAGE_OBJECTS, True),  # a picture inside a form XObject
    ("page", 10, True),  # the picture after more objects than the walk looks at
    (None, 10, False),
])
def test_the_object_walk_tells_whether_a_page_may_hold_pictures(monkeypatch, picture, max_objects,
                                                                expected):
    # The walk that finds turned text also decides whether the page's pictures are looked
    # at (for OCR): a picture it misses would be a scan read as an empty page.
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    logo = ImageReader(Image.new("RGB", (40, 40), (200, 0, 0)))

    def draw(page):  # type: ignore[no-untyped-def]
        for row in range(30):
            page.drawString(72, 780 - 20 * row, f"Line {row} of the report")
        if picture == "page":
            page.drawImage(logo, 72, 72, width=100, height=100)
        elif picture == "form":
            page.beginForm("logo")
            page.drawImage(logo, 72, 72, width=100, height=100)
            page.endForm()
            page.doForm("logo")

    monkeypatch.setattr(pdf, "MAX_PAGE_OBJECTS", max_objects)
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    doc = pdfium.PdfDocument(_reportlab_pdf(draw))
    page = doc[0]
    textpage = pdfium_c.FPDFText_LoadPage(page.raw)
    try:
        lines, may_hold, _ = pdf._rotated_texts(page, textpage)
    finally:
        pdfium_c.FPDFText_ClosePage(textpage)
        page.close()
        doc.close()
    assert (lines, may_hold) == ([], expected)


def test_a_text_layer_of_glyph_numbers_is_unreadable():
    from filters.extract.pdf import unreadable_text

    assert unreadable_text("\x01\x04\x05\x06\x07\x08\x06\x01\t\t\n\x0b\x08 \x0c\r\x04")
    assert unreadable_text("\ue001\ue002\ue003 ab")
    assert not unreadable_text("TOP SECRET//NOFORN\nPage 1")
    assert not unreadable_text("")
