"""The PDF extractor: page text and bands, metadata, annotations, attachments, failures."""

from __future__ import annotations

import threading

import pytest
from conftest import require_peer

from filters.errors import EncryptedContent, LimitReached, UnparseableContent
from filters.extract import pdf
from filters.limits import Budget, Limits
from filters.types import Defect, Part
from tests.corpus_placements import round2
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


@pytest.mark.parametrize(("name", "shown"), [
    ("TopSecret", "TOP SECRET"), ("NotForPublicRelease", "NOT FOR PUBLIC RELEASE"),
    ("SBConfidential", "CONFIDENTIAL"), ("SBDraft", "DRAFT"), ("Approved", "APPROVED")])
def test_standard_stamp_shows_its_name_in_capitals_as_a_header_line(name, shown):
    stamps = texts(run(fixtures.stamped_pdf(name)))["doc.pdf/page[1]#stamps"]
    assert (stamps.role, stamps.text) == ("header", shown)


@pytest.mark.parametrize("name", ["#23DxhX7VtTf8W", "Comment_1", "Stempel\u00e4"])
def test_a_custom_stamp_id_shows_no_words(name):
    assert pdf.stamp_words(name) == ""


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


@pytest.mark.parametrize("ruled", [True, False])
def test_a_ruled_table_border_between_close_cells_is_a_column_break(ruled):
    # Chromium prints a bordered HTML table with its cells' padding: 8 pt between the
    # cells of a row, less than the text is tall, so the gap alone reads as a word space.
    def draw(page):  # type: ignore[no-untyped-def]
        page.setFont("Helvetica", 11)
        second = 72 + page.stringWidth("Classification", "Helvetica", 11) + 7
        page.drawString(72, 700, "Item")
        page.drawString(second, 700, "Amount")
        page.drawString(72, 680, "Classification")
        page.drawString(second, 680, "CONFIDENTIAL")
        if ruled:
            page.setLineWidth(0.75)
            for x in (68, second - 3.5, second + 90):
                page.line(x, 674, x, 714)

    body = texts(run(_reportlab_pdf(draw)))["doc.pdf/page[1]"].text
    if ruled:
        assert "Classification\tCONFIDENTIAL" in body, body
    else:
        assert "Classification CONFIDENTIAL" in body, body


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


# -- placed pictures: decoded from their stream only where the page shows them as stored ---

def _photo_jpeg(size: tuple[int, int] = (600, 300), grey: bool = False) -> bytes:
    """A JPEG with an uneven left half and a dark square at its top left, so a turn,
    a mirror or a cut shows in its pixels."""
    import io

    from PIL import Image, ImageDraw

    picture = Image.new("RGB", size, (235, 235, 230))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((10, 10, 60, 60), fill=(20, 20, 90))
    for x in range(0, size[0] // 2, 12):
        draw.line((x, 0, x + 40, size[1]), fill=(120, 30, 30), width=3)
    out = io.BytesIO()
    (picture.convert("L") if grey else picture).save(out, "JPEG", quality=90)
    return out.getvalue()


def _placed(draw_picture) -> tuple[object, object, object]:  # type: ignore[no-untyped-def]
    """(document, page, its one picture object) of a page of text on which
    ``draw_picture(canvas, reader)`` places _photo_jpeg()."""
    import io

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c
    from reportlab.lib.utils import ImageReader

    reader = ImageReader(io.BytesIO(_photo_jpeg()))

    def draw(page):  # type: ignore[no-untyped-def]
        for row in range(10):
            page.drawString(72, 780 - 15 * row, f"Line {row} of the site report")
        draw_picture(page, reader)

    doc = pdfium.PdfDocument(_reportlab_pdf(draw))
    page = doc[0]
    (obj,) = page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=4)
    return doc, page, obj


def _upright(page, reader):  # type: ignore[no-untyped-def]
    page.drawImage(reader, 72, 300, width=400, height=200)


def _turned(page, reader):  # type: ignore[no-untyped-def]
    page.saveState()
    page.translate(300, 300)
    page.rotate(90)
    page.drawImage(reader, 0, 0, width=400, height=200)
    page.restoreState()


def _mirrored(page, reader):  # type: ignore[no-untyped-def]
    page.saveState()
    page.translate(472, 300)
    page.scale(-1, 1)
    page.drawImage(reader, 0, 0, width=400, height=200)
    page.restoreState()


def _stretched(page, reader):  # type: ignore[no-untyped-def]
    page.drawImage(reader, 72, 300, width=400, height=400)  # a 2:1 picture drawn square


def _cut(page, reader):  # type: ignore[no-untyped-def]
    page.saveState()
    clip = page.beginPath()
    clip.rect(100, 350, 150, 100)
    page.clipPath(clip, stroke=0, fill=0)
    page.drawImage(reader, 72, 300, width=400, height=200)
    page.restoreState()


def _framed(page, reader):  # type: ignore[no-untyped-def]
    page.saveState()  # a clip round the whole picture (as word processors write) cuts nothing
    clip = page.beginPath()
    clip.rect(60, 290, 430, 220)
    page.clipPath(clip, stroke=0, fill=0)
    page.drawImage(reader, 72, 300, width=400, height=200)
    page.restoreState()


def _in_form(page, reader):  # type: ignore[no-untyped-def]
    page.beginForm("photo")
    page.drawImage(reader, 72, 300, width=400, height=200)
    page.endForm()
    page.doForm("photo")


def _faded(page, reader):  # type: ignore[no-untyped-def]
    page.saveState()
    page.setFillAlpha(0.5)
    page.drawImage(reader, 72, 300, width=400, height=200)
    page.restoreState()


@pytest.mark.parametrize(("placement", "stored"), [
    (_upright, True), (_framed, True),
    # Drawn, as before: what the page shows differs from the stream's pixels.
    (_turned, False), (_mirrored, False), (_stretched, False), (_cut, False), (_in_form, False),
    (_faded, False),
])
def test_a_placed_jpeg_is_decoded_from_its_stream_only_when_the_page_shows_it_as_stored(
        placement, stored):
    doc, page, obj = _placed(placement)
    try:
        width, height = obj.get_px_size()
        assert pdf._drawn_as_stored(obj, width, height) is stored
    finally:
        page.close()
        doc.close()


@pytest.mark.parametrize("grey", [False, True])
def test_a_jpeg_decoded_from_its_stream_has_the_pixels_drawing_it_gives(grey):
    # The stream's pixels against PDFium drawing the picture at its own size.
    import io

    import numpy as np
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c
    from reportlab.lib.utils import ImageReader

    reader = ImageReader(io.BytesIO(_photo_jpeg(grey=grey)))
    data = _reportlab_pdf(lambda page: _upright(page, reader))
    doc = pdfium.PdfDocument(data)
    page = doc[0]
    try:
        (obj,) = page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,))
        budget = Budget(Limits())
        [(_, picture, _)], _ = pdf._picture_bitmaps(Part(origin="doc.pdf", data=b""), budget, 1,
                                                 [obj], set(), data)
        budget.close()
        bitmap = obj.get_bitmap(render=True)
        drawn = bitmap.to_pil().convert(picture.mode)
        bitmap.close()
        assert picture.mode == ("L" if grey else "RGB")
        assert picture.size == drawn.size == (600, 300)
        difference = np.abs(np.asarray(picture, dtype=int) - np.asarray(drawn, dtype=int))
        assert difference.mean() < 2
    finally:
        page.close()
        doc.close()


def test_a_jpeg_logo_on_every_page_is_decoded_once():
    import io

    from reportlab.lib.utils import ImageReader

    reader = ImageReader(io.BytesIO(_photo_jpeg()))

    def draw(page):  # type: ignore[no-untyped-def]
        for number in range(3):
            page.drawString(72, 780, f"Page {number + 1} of the site report")
            _upright(page, reader)
            page.showPage()

    import pypdfium2 as pdfium

    data = _reportlab_pdf(draw)
    doc = pdfium.PdfDocument(data)
    seen: set[bytes] = set()
    budget = Budget(Limits())
    read = []
    try:
        for index in range(3):
            page = doc[index]
            objects = pdf._pictures(page, True)[1]
            read += pdf._picture_bitmaps(Part(origin="doc.pdf", data=b""), budget, index + 1,
                                         objects, seen, data)[0]
            page.close()
    finally:
        budget.close()
        doc.close()
    assert [label for label, _, _ in read] == ["page[1]/image[1]#ocr"]


def test_picture_cover_with_ocr_off_is_the_share_the_picture_walk_finds():
    """OCR off reads only the pictures' cover (a scan is then noted as unread): the raw
    walk must find the share ``_pictures`` finds, pictures inside form objects too."""
    import io

    import pypdfium2
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    picture = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(picture, "PNG")
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(600, 800), invariant=1)
    c.drawString(72, 720, "Quarterly figures")
    c.drawImage(ImageReader(io.BytesIO(picture.getvalue())), 50, 50, width=200, height=150)
    c.beginForm("stamp")
    c.drawImage(ImageReader(io.BytesIO(picture.getvalue())), 0, 0, width=100, height=100)
    c.endForm()
    c.doForm("stamp")
    c.showPage()
    c.drawString(72, 720, "No pictures here")
    c.showPage()
    c.save()
    doc = pypdfium2.PdfDocument(out.getvalue())
    try:
        covers = []
        for index in range(len(doc)):
            page = doc[index]
            try:
                covers.append(pdf._picture_cover(page, True))
                assert covers[-1] == pdf._pictures(page, True)[0]
            finally:
                page.close()
    finally:
        doc.close()
    assert covers[0] == pytest.approx((200 * 150 + 100 * 100) / (600 * 800))
    assert covers[1] == 0.0


@pytest.mark.parametrize("build", [round2.pdf_custom_stamp, round2.pdf_watermark_annotation])
def test_words_only_an_annotations_appearance_draws_are_read_as_a_header_line(build):
    marked = texts(run(build("TOP SECRET")))
    assert (marked["doc.pdf/page[1]#stamps"].role, marked["doc.pdf/page[1]#stamps"].text) == (
        "header", "TOP SECRET")
    assert marked["doc.pdf/page[1]"].text == "Q3 supplier review\nThe figures were discussed on Tuesday."


def test_a_custom_info_key_is_read_as_a_property_named_after_it():
    parts = texts(run(round2.pdf_info_key("SECRET")))
    custom = parts["doc.pdf/#info.Classification"]
    assert (custom.role, custom.name, custom.text) == ("property", "Classification", "SECRET")
    assert parts["doc.pdf/#info.Title"].text == "Q3 supplier review"


def test_a_pdf_without_custom_info_keys_gains_no_property(marked):
    keys = {p.name for p in run(marked) if isinstance(p, Part) and p.origin.startswith("doc.pdf/#info.")}
    assert keys <= set(pdf.INFO_KEYS)
