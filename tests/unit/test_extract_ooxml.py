"""The OOXML extractor reads docx, xlsx and pptx text by role, properties, state and embeddings."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from filters.errors import EncryptedContent, UnparseableContent
from filters.extract import ooxml
from filters.limits import Budget, Limits
from filters.types import Part
from tests.fixtures.office import (
    CT_OFFICE,
    W_NS,
    make_docx,
    make_large_docx,
    make_pptx,
    make_small_xlsx,
    make_xlsx,
    patch_zip,
    with_revision_log,
)


@pytest.fixture(scope="module")
def docx_bytes() -> bytes:
    return make_docx()


@pytest.fixture(scope="module")
def docx_walk(docx_bytes):
    from tests.conftest import walk_item
    return walk_item(docx_bytes, name="plan.docx")


def _by_origin(walked, suffix):
    found = [p for p in walked.texts if p.origin.endswith(suffix)]
    assert found, f"no text part ends with {suffix!r}; have {walked.origins()}"
    return found


def _extract(data: bytes, limits: Limits | None = None) -> list:
    return list(ooxml.extract(Part(origin="doc", data=data), Budget(limits or Limits())))


# -- docx ---------------------------------------------------------------------------------


def test_docx_body_joins_runs_so_a_split_word_reads_whole(docx_walk):
    body = docx_walk.text_at("plan.docx/word/document.xml")
    assert "SECRET annex follows" in body
    assert "Quarterly plan for the northern region.\n" in body
    assert "Cell one" in body and "Cell four" in body
    assert _by_origin(docx_walk, "word/document.xml")[0].role == "body"


def test_docx_body_has_insertions_but_not_deletions(docx_walk):
    body = docx_walk.text_at("plan.docx/word/document.xml")
    assert "Budget line added by review" in body
    assert "removed figure" not in body
    insertions = _by_origin(docx_walk, "word/document.xml#insertions")[0]
    deletions = _by_origin(docx_walk, "word/document.xml#deletions")[0]
    assert (insertions.role, insertions.text) == ("revision", "added by review")
    assert (deletions.role, deletions.text) == ("revision", "removed figure")


def test_docx_header_keeps_vml_watermark_and_footer_has_its_role(docx_walk):
    header = _by_origin(docx_walk, "word/header1.xml")[0]
    assert header.role == "header"
    assert "机密★5年" in header.text
    assert "DRAFT" in header.text.splitlines()
    footer = _by_origin(docx_walk, "word/footer1.xml")[0]
    assert (footer.role, footer.text) == ("footer", "Footer: BORRADOR")


def test_docx_footnote_and_comment_roles(docx_walk):
    note = _by_origin(docx_walk, "word/footnotes.xml")[0]
    assert note.role == "note" and "征求意见稿" in note.text
    comment = _by_origin(docx_walk, "word/comments.xml")[0]
    assert comment.role == "comment" and "Please check before release" in comment.text


def test_docx_core_and_custom_properties(docx_walk):
    status = _by_origin(docx_walk, "docProps/core.xml#contentStatus")[0]
    assert (status.role, status.name, status.text) == ("property", "contentStatus", "Draft")
    title = _by_origin(docx_walk, "docProps/core.xml#title")[0]
    assert title.text == "Northern plan"
    custom = _by_origin(docx_walk, "docProps/custom.xml#Classification")[0]
    assert (custom.role, custom.name, custom.text) == ("property", "Classification",
                                                       "SECRET//NOFORN")


def test_docx_state_reports_tracked_changes_and_comments(docx_walk):
    state = {p.name: p.text for p in docx_walk.texts if p.origin == "plan.docx/#state"}
    assert state == {"redline:tracked_changes": "1 insertion, 1 deletion",
                     "redline:comments": "1 comment"}
    assert all(p.role == "property" for p in docx_walk.texts if p.origin.endswith("#state"))


def test_docx_embedded_xlsx_is_typed_and_extracted(docx_walk):
    origin = "plan.docx/word/embeddings/Microsoft_Excel_Worksheet.xlsx"
    embedded = [p for p in docx_walk.content if p.origin == origin]
    assert embedded and embedded[0].detected_type.endswith("spreadsheetml.sheet")
    assert embedded[0].name == "Microsoft_Excel_Worksheet.xlsx"
    assert "CONFIDENCIAL" in docx_walk.text_at(origin + "/xl/worksheets/sheet1.xml")


def test_docx_passes_clean_with_no_policy_hits(docx_walk):
    assert docx_walk.policy_rules() == []
    # Formatting parts (styles, theme, settings) are not turned into text.
    assert not any("styles.xml" in o or "theme" in o for o in docx_walk.origins())


def test_docx_without_revisions_or_comments_has_no_state():
    import docx
    document = docx.Document()
    document.add_paragraph("Final text")
    out = io.BytesIO()
    document.save(out)
    parts = _extract(out.getvalue())
    assert not [p for p in parts if p.origin.endswith("#state")]
    assert [p.text for p in parts if p.origin == "doc/word/document.xml"] == ["Final text"]


def test_moved_text_counts_as_deletion_and_insertion():
    moved = (
        '<w:p><w:moveFrom w:id="1" w:author="a"><w:r><w:t>old place</w:t></w:r></w:moveFrom>'
        '<w:moveTo w:id="2" w:author="a"><w:r><w:t>new place</w:t></w:r></w:moveTo>'
        '<w:r><w:tab/><w:t>tabbed</w:t><w:br/><w:t>broken</w:t></w:r></w:p>'
    )
    data = patch_zip(make_docx(), {"word/document.xml": _body(moved)})
    texts = {p.origin: p.text for p in _extract(data)}
    assert texts["doc/word/document.xml"] == "new place\ttabbed\nbroken"
    assert texts["doc/word/document.xml#deletions"] == "old place"
    assert texts["doc/word/document.xml#insertions"] == "new place"


def test_content_controls_hyperlinks_and_simple_fields_are_body_text():
    markup = (
        '<w:sdt><w:sdtContent><w:p><w:r><w:t>CONTROL</w:t></w:r></w:p></w:sdtContent></w:sdt>'
        '<w:p><w:hyperlink r:id="x" xmlns:r="urn:r"><w:r><w:t>LINK</w:t></w:r></w:hyperlink>'
        '<w:fldSimple w:instr="TITLE"><w:r><w:t>FIELD</w:t></w:r></w:fldSimple>'
        '<w:r><w:instrText>HIDDEN_INSTRUCTION</w:instrText></w:r></w:p>'
    )
    data = patch_zip(make_docx(), {"word/document.xml": _body(markup)})
    body = next(p.text for p in _extract(data) if p.origin == "doc/word/document.xml")
    assert body == "CONTROL\nLINKFIELD"


def _body(paragraphs: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body>'
            f"{paragraphs}</w:body></w:document>").encode()


def test_macro_enabled_docm_yields_vba_project_as_content(walk):
    def macro_type(content: bytes) -> bytes:
        return content.replace(
            b"wordprocessingml.document.main+xml",
            b"application/vnd.ms-word.document.macroEnabled.main+xml"[
                len(b"application/vnd.openxmlformats-officedocument."):])
    data = patch_zip(make_docx(), {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0fake-vba",
                                   "[Content_Types].xml": macro_type})
    walked = walk(data, name="m.docm")
    assert "m.docm/word/vbaProject.bin" in walked.origins()
    assert "SECRET annex" in walked.text_at("m.docm/word/document.xml")


# -- failures and limits ------------------------------------------------------------------


def test_truncated_docx_is_unparseable(walk, docx_bytes):
    walked = walk(docx_bytes[: len(docx_bytes) // 2], name="cut.docx")
    assert walked.verdict.action != "pass"
    assert "extract.unparseable" in walked.policy_rules()
    with pytest.raises(UnparseableContent, match="zip"):
        _extract(docx_bytes[: len(docx_bytes) // 2])


def test_malformed_document_xml_is_held_but_other_parts_still_scanned(walk, docx_bytes):
    broken = patch_zip(docx_bytes, {"word/document.xml": _body("<w:p><w:r><w:t>SEEN</w:t></w:r>"
                                                                "</w:p><w:p><w:r>")[:-40]})
    walked = walk(broken, name="broken.docx")
    assert "extract.unparseable" in walked.policy_rules()
    excerpt = next(h.excerpt for h in walked.verdict.hits if h.rule == "extract.unparseable")
    assert "word/document.xml" in excerpt
    assert "SEEN" in walked.text_at("broken.docx/word/document.xml")
    assert "Footer: BORRADOR" in walked.text_at("broken.docx/word/footer1.xml")


def test_package_without_main_part_is_unparseable():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("docProps/core.xml", "<coreProperties/>")
    with pytest.raises(UnparseableContent, match="no main document part"):
        _extract(out.getvalue())


def test_compression_bomb_member_is_a_limit_hit(walk, docx_bytes):
    bomb = _body("<w:p><w:r><w:t>" + "A" * 3_000_000 + "</w:t></w:r></w:p>")
    data = patch_zip(docx_bytes, {"word/document.xml": bomb})
    walked = walk(data, name="bomb.docx", limits=Limits(max_ratio=20, ratio_floor_bytes=100_000))
    assert "limit.max_ratio" in walked.policy_rules()
    assert walked.verdict.action != "pass"


def test_external_and_nested_entities_are_not_expanded(docx_bytes):
    evil = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">'
        '<!ENTITY a "AAAAAAAAAA"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>start&x;&b;end</w:t></w:r></w:p>'
        "</w:body></w:document>"
    ).encode()
    data = patch_zip(docx_bytes, {"word/document.xml": evil})
    body = next(p.text for p in _extract(data) if p.origin == "doc/word/document.xml")
    assert "root:" not in body
    assert "AAAAAAAAAA" not in body


def test_encrypted_member_in_package_is_reported(docx_bytes):
    raw = bytearray(docx_bytes)
    archive = zipfile.ZipFile(io.BytesIO(docx_bytes))
    info = archive.getinfo("word/footer1.xml")
    # Set the "encrypted" flag bit in the local and central headers of one member.
    raw[info.header_offset + 6] |= 1
    for offset in _central_entries(raw):
        name_len = int.from_bytes(raw[offset + 28:offset + 30], "little")
        if raw[offset + 46:offset + 46 + name_len] == b"word/footer1.xml":
            raw[offset + 8] |= 1
    with pytest.raises(EncryptedContent, match=r"footer1\.xml"):
        _extract(bytes(raw))


def _central_entries(raw: bytearray) -> list[int]:
    offsets, start = [], 0
    while (found := raw.find(b"PK\x01\x02", start)) >= 0:
        offsets.append(found)
        start = found + 4
    return offsets


# -- xlsx -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def xlsx_walk():
    from tests.conftest import walk_item
    return walk_item(make_xlsx(), name="book.xlsx")


def test_xlsx_cells_shared_strings_and_formula_results(xlsx_walk):
    cells = _by_origin(xlsx_walk, "xl/worksheets/sheet1.xml")[0]
    assert cells.role == "cell"
    assert cells.text.splitlines()[-1].split("\t") == ["SECRET", "BORRADOR"]
    assert "BORRADOR" in cells.text
    assert "Allocation USO INTERNO" in cells.text
    shared = _by_origin(xlsx_walk, "xl/sharedStrings.xml")[0]
    assert shared.role == "cell"
    assert shared.text.splitlines() == ["Shared DIFUSIÓN LIMITADA", "BORRADOR"]


def test_xlsx_sheet_names_header_footer_and_comment(xlsx_walk):
    sheets = _by_origin(xlsx_walk, "book.xlsx/xl/workbook.xml#sheets")[0]
    assert (sheets.role, sheets.text.splitlines()) == ("sheet", ["Budget", "机密 annex"])
    header = _by_origin(xlsx_walk, "xl/worksheets/sheet1.xml#header")[0]
    assert (header.role, header.text) == ("header", "CONFIDENTIAL")
    footer = _by_origin(xlsx_walk, "xl/worksheets/sheet1.xml#footer")[0]
    assert footer.role == "footer" and "Working draft" in footer.text and "&" not in footer.text
    comment = _by_origin(xlsx_walk, "xl/comments/comment1.xml")[0]
    assert (comment.role, comment.text) == ("comment", "Numbers not final")
    marking = _by_origin(xlsx_walk, "docProps/custom.xml#Marking")[0]
    assert (marking.name, marking.text) == ("Marking", "OFFICIAL-SENSITIVE")


def _noted_xlsx(note: str) -> bytes:
    import openpyxl
    from openpyxl.comments import Comment
    book = openpyxl.Workbook()
    book.active["A1"] = "Units"
    book.active["A1"].comment = Comment(note, "R. Ortiz")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


THREADED = (b"<ThreadedComments xmlns='http://schemas.microsoft.com/office/spreadsheetml/2018/"
            b"threadedcomments'><threadedComment ref='A1' dT='2026-03-01T10:00:00.00' "
            b"personId='{1A2B}' id='{3C4D}'><text>Is this final?</text></threadedComment>"
            b"</ThreadedComments>")


def _state(data: bytes) -> dict[str, str]:
    return {p.name: p.text for p in _extract(data) if p.origin == "doc/#state"}


def test_xlsx_cell_note_is_read_but_is_not_a_review_comment():
    # A legacy note (xl/comments1.xml) is a lasting annotation: its text is scanned, the
    # workbook is not a draft for it.
    parts = _extract(_noted_xlsx("Order by Friday, please."))
    assert [p.role for p in parts if p.origin == "doc/xl/comments/comment1.xml"] == ["comment"]
    assert _state(_noted_xlsx("Order by Friday, please.")) == {}


def test_xlsx_threaded_comment_and_its_legacy_stand_in_are_review_comments():
    threaded = patch_zip(_noted_xlsx("Order by Friday, please."),
                         {"xl/threadedComments/threadedComment1.xml": THREADED})
    assert _state(threaded) == {"redline:comments": "1 comment"}
    # What Excel writes for older readers when the threadedComments part is gone.
    stand_in = ("[Threaded comment]\n\nYour version of Excel allows you to read this threaded "
                "comment; however, any edits to it will get removed if the file is opened in a "
                "newer version of Excel.\n\nComment:\n    Is this final?")
    assert _state(_noted_xlsx(stand_in)) == {"redline:comments": "1 comment"}


def _sheet_package(sheet_data: str, shared: str) -> bytes:
    s_ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types xmlns='http://schemas.openxmlformats.org/"
                         "package/2006/content-types'/>")
        archive.writestr("xl/workbook.xml", f"<workbook xmlns='{s_ns}'><sheets/></workbook>")
        archive.writestr("xl/worksheets/sheet1.xml",
                         f"<worksheet xmlns='{s_ns}'><sheetData>{sheet_data}</sheetData></worksheet>")
        archive.writestr("xl/sharedStrings.xml", f"<sst xmlns='{s_ns}'>{shared}</sst>")
    return out.getvalue()


def test_xlsx_cells_of_every_shape_read_alike_plain_or_rich():
    # Plain strings and lone numbers are read straight from their element; runs, phonetic
    # (furigana) runs, formulas before a value and odd nesting take the general path, and
    # both must give the same text.
    data = _sheet_package(
        "<row><c t='inlineStr'><is><t>plain SECRET</t></is></c>"
        "<c t='inlineStr'><is><r><t>SEC</t></r><r><t>RET</t></r><rPh><t>ruby</t></rPh></is></c>"
        "<c t='inlineStr'><is><t/></is></c><c t='n'><v>4111111111111111</v></c>"
        "<c><f>A1*2</f><v>13800138000</v></c><c t='n'><v>12</v></c>"
        "<c t='str'><f>A1</f><v>formula DRAFT</v></c><c t='s'><v>0</v></c></row>"
        "<row><c t='inlineStr'><is><t>outer<t>inner</t></t></is></c>"
        "<c t='inlineStr'><foo><is><t>odd</t></is></foo></c></row>",
        "<si><t>shared plain</t></si><si><r><t>sha</t></r><r><t>red</t></r>"
        "<rPh><t>ruby</t></rPh></si><si><t/></si>")
    texts = {p.origin: p.text for p in _extract(data) if isinstance(p, Part) and p.text}
    assert texts["doc/xl/worksheets/sheet1.xml"] == (
        "plain SECRET\tSECRET\t4111111111111111\t13800138000\tformula DRAFT\n"
        "outerinner\todd")
    assert texts["doc/xl/sharedStrings.xml"] == "shared plain\nshared"


def test_xlsx_cells_outside_rows_are_read_too():
    # Cells are read row by row; a cell outside any row (invalid, but a crafted file can
    # hold one) is read all the same, whether the rows before it were freed already
    # (more than 256 rows) or not.
    rows = [f"<row><c t='inlineStr'><is><t>line {n}</t></is></c></row>" for n in range(300)]
    stray = "<c t='inlineStr'><is><t>stray {}</t></is></c>"
    data = _sheet_package(stray.format("first") + "".join(rows[:100]) + stray.format("early")
                          + "".join(rows[100:]) + stray.format("last"), "<si><t>x</t></si>")
    text = next(p.text for p in _extract(data)
                if isinstance(p, Part) and p.origin == "doc/xl/worksheets/sheet1.xml")
    lines = text.splitlines()
    assert [f"line {n}" for n in range(300)] == [line for line in lines if line.startswith("line")]
    assert {"stray first", "stray early", "stray last"} <= set(lines)


def test_header_footer_codes_are_stripped():
    assert ooxml.strip_header_codes('&L&"Arial,Bold"&12SEC&KFF0000RET&RPage &P && more') == \
        "SECRET\nPage  & more"


# -- pptx -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pptx_walk():
    from tests.conftest import walk_item
    return walk_item(make_pptx(), name="deck.pptx")


def test_pptx_titles_body_table_and_notes(pptx_walk):
    title = _by_origin(pptx_walk, "deck.pptx/ppt/slides/slide1.xml#title")[0]
    assert (title.role, title.text) == ("title", "Discussion draft")
    body = _by_origin(pptx_walk, "deck.pptx/ppt/slides/slide2.xml")[0]
    assert body.role == "body"
    assert "First finding\nSecond finding" in body.text
    assert "Table cell RESERVADO" in body.text
    notes = _by_origin(pptx_walk, "ppt/notesSlides/notesSlide1.xml")[0]
    assert (notes.role, notes.text) == ("note", "Speaker says: pre-decisional")


def test_pptx_master_footer_has_footer_role(pptx_walk):
    footer = _by_origin(pptx_walk, "ppt/slideMasters/slideMaster1.xml#footer")[0]
    assert footer.role == "footer" and "TOP SECRET//SI" in footer.text
    assert pptx_walk.policy_rules() == []


def test_pptx_master_text_box_is_read_as_a_page_header_and_a_slide_box_as_body():
    """A text box on the slide master stands on every slide, as a page header on every page."""
    import pptx
    from pptx.util import Inches

    from tests.conftest import walk_item
    deck = pptx.Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    slide.shapes.title.text = "Roadmap"
    slide.shapes.add_textbox(Inches(1), Inches(2), Inches(4), Inches(1)).text_frame.text = "Milestones"
    # python-pptx adds text boxes to slides only: move one onto the master.
    stamp = slide.shapes.add_textbox(Inches(0), Inches(7), Inches(3), Inches(0.4))
    stamp.text_frame.text = "Acme Confidential"
    element = stamp._element
    element.getparent().remove(element)
    element.nvSpPr.cNvPr.id = 9001
    deck.slide_master.shapes._spTree.append(element)
    out = io.BytesIO()
    deck.save(out)
    walked = walk_item(out.getvalue(), name="deck.pptx")
    master = [p for p in walked.texts if "slideMasters/slideMaster1.xml" in p.origin
              and "Acme Confidential" in p.text]
    assert [p.role for p in master] == ["header"]
    box = [p for p in walked.texts if "ppt/slides/slide1.xml" in p.origin and "Milestones" in p.text]
    assert [p.role for p in box] == ["body"]


# -- size (how fast: bench/extract_speed.py) -------------------------------------------------


def test_one_megabyte_docx_is_read_whole():
    data = make_large_docx()
    assert len(data) >= 1_000_000
    parts = _extract(data)
    assert sum(len(p.text or "") for p in parts) > 1_000_000


def test_content_types_decide_over_paths():
    assert ooxml.kind_of("word/innocent.xml",
                         CT_OFFICE + "wordprocessingml.document.main+xml") == ("word", "body")
    assert ooxml.kind_of("word/footer7.xml", "application/xml") == ("word", "footer")


def test_drawingml_text_box_in_header_is_header_text(docx_bytes):
    wps = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
    header = (
        f'<w:hdr xmlns:w="{W_NS}" xmlns:wps="{wps}"><w:p><w:r><w:drawing><wps:wsp><wps:txbx>'
        "<w:txbxContent><w:p><w:r><w:t>CONFIDEN</w:t></w:r><w:r><w:t>TIAL</w:t></w:r></w:p>"
        "</w:txbxContent></wps:txbx></wps:wsp></w:drawing></w:r></w:p></w:hdr>"
    ).encode()
    data = patch_zip(docx_bytes, {"word/header1.xml": header})
    texts = {p.origin: p for p in _extract(data)}
    assert texts["doc/word/header1.xml"].text == "CONFIDENTIAL"
    assert texts["doc/word/header1.xml"].role == "header"


def test_members_spooled_to_disk_are_parsed_the_same(docx_bytes):
    spooled = _extract(docx_bytes, Limits(spool_bytes=256))
    in_memory = _extract(docx_bytes)
    assert [(p.origin, p.text) for p in spooled if p.text] == \
        [(p.origin, p.text) for p in in_memory if p.text]


# -- docx run formatting: what the page shows ---------------------------------------------


def _docx_with_runs(*runs: tuple[str, dict]) -> bytes:
    """A docx whose one paragraph holds ``runs`` of (text, python-docx font settings)."""
    import docx

    document = docx.Document()
    paragraph = document.add_paragraph()
    for text, font in runs:
        run = paragraph.add_run(text)
        for name, value in font.items():
            setattr(run.font, name, value)
    document.add_paragraph("The figures for the quarter follow.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _texts(data: bytes) -> dict[str, Part]:
    return {p.origin: p for p in _extract(data) if isinstance(p, Part) and p.is_text}


def test_docx_hidden_run_inside_a_word_is_read_apart_from_the_shown_word():
    # The page shows SECRET; the file holds SE, a hidden 'xq', CRET.
    texts = _texts(_docx_with_runs(("SE", {}), ("xq", {"hidden": True}), ("CRET", {})))
    assert texts["doc/word/document.xml"].text.startswith("SECRET\n")
    hidden = texts["doc/word/document.xml#hidden"]
    assert hidden.text == "xq" and hidden.role == "body"


def test_docx_hidden_marking_is_still_read():
    texts = _texts(_docx_with_runs(("Minutes ", {}), ("TOP SECRET", {"hidden": True})))
    assert "TOP SECRET" not in texts["doc/word/document.xml"].text
    assert texts["doc/word/document.xml#hidden"].text == "TOP SECRET"


def test_docx_capitals_formatting_is_applied_to_the_text():
    texts = _texts(_docx_with_runs(("secret", {"all_caps": True}), (" annex ", {}),
                                   ("draft", {"small_caps": True})))
    assert texts["doc/word/document.xml"].text.startswith("SECRET annex DRAFT\n")


def test_docx_formatting_switched_off_changes_nothing():
    texts = _texts(_docx_with_runs(("secret", {"all_caps": False}),
                                   (" plans", {"hidden": False})))
    assert texts["doc/word/document.xml"].text.startswith("secret plans\n")
    assert "doc/word/document.xml#hidden" not in texts


def test_docx_styles_that_hide_or_capitalise_are_applied():
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document()
    stamp = document.styles.add_style("Stamp", WD_STYLE_TYPE.PARAGRAPH)
    stamp.font.all_caps = True
    banner = document.styles.add_style("Banner", WD_STYLE_TYPE.PARAGRAPH)
    banner.base_style = stamp  # capitals inherited through w:basedOn
    ghost = document.styles.add_style("Ghost", WD_STYLE_TYPE.CHARACTER)
    ghost.font.hidden = True
    document.add_paragraph("secret", style="Banner")
    split = document.add_paragraph()
    split.add_run("SE")
    split.add_run("xq", style="Ghost")
    split.add_run("CRET annex")
    shown = document.add_paragraph("draft", style="Stamp").runs[0]
    shown.font.all_caps = False  # a run's own setting wins over its paragraph's style
    out = io.BytesIO()
    document.save(out)
    texts = _texts(out.getvalue())
    assert texts["doc/word/document.xml"].text == "SECRET\nSECRET annex\ndraft"
    assert texts["doc/word/document.xml#hidden"].text == "xq"


def test_docx_style_effects_are_kept_per_styles_content_never_per_name():
    # Documents of one template share the worked-out styles; a document whose styles.xml
    # differs in one flag (a hiding style) after a benign one of the same template, and
    # the benign one after it, are each read with their own styles.
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    def made(hidden: bool) -> bytes:
        document = docx.Document()
        ghost = document.styles.add_style("Ghost", WD_STYLE_TYPE.CHARACTER)
        ghost.font.hidden = hidden
        paragraph = document.add_paragraph()
        paragraph.add_run("SE")
        paragraph.add_run("xq", style="Ghost")
        paragraph.add_run("CRET")
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()

    benign, hiding = made(False), made(True)
    for data, body in ((benign, "SExqCRET"), (hiding, "SECRET"), (benign, "SExqCRET"),
                       (hiding, "SECRET")):
        assert _texts(data)["doc/word/document.xml"].text == body


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(buffer, "PNG")
    return buffer.getvalue()


def test_docx_picture_alt_text_is_a_line_of_the_body():
    import docx

    document = docx.Document()
    document.add_paragraph("Project proposal")
    picture = document.add_paragraph().add_run().add_picture(io.BytesIO(_png()))
    picture._inline.docPr.set("descr", "Stamp: 机密★5年")
    picture._inline.docPr.set("title", "Stamp")
    buffer = io.BytesIO()
    document.save(buffer)
    body = _texts(buffer.getvalue())["doc/word/document.xml"].text
    assert "Project proposal\nStamp\nStamp: 机密★5年" in body
    assert "Picture" not in body  # the shape's name is not its description


def test_pptx_picture_alt_text_is_body_text():
    import pptx

    deck = pptx.Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    picture = slide.shapes.add_picture(io.BytesIO(_png()), 0, 0)
    picture._element.nvPicPr.cNvPr.set("descr", "CONFIDENTIAL stamp")
    buffer = io.BytesIO()
    deck.save(buffer)
    texts = _texts(buffer.getvalue())
    assert texts["doc/ppt/slides/slide1.xml"].text == "CONFIDENTIAL stamp"


def test_xlsx_revision_log_change_is_a_tracked_change():
    # A shared workbook's history (xl/revisions/), as Calc writes a recorded change.
    from tests.conftest import walk_item

    walked = walk_item(with_revision_log(make_small_xlsx("Pallets")), name="stock.xlsx")
    state = {p.name: p.text for p in walked.texts if p.origin == "stock.xlsx/#state"}
    assert state == {"redline:tracked_changes": "1 change"}
    old = _by_origin(walked, "revisionLog1.xml#deletions")
    assert [(p.role, p.text) for p in old] == [("revision", "5")]
    assert walked.policy_rules() == []


def test_xlsx_revision_log_of_accepted_changes_is_no_tracked_change():
    from tests.conftest import walk_item

    walked = walk_item(with_revision_log(make_small_xlsx("Pallets"), accepted=True),
                       name="stock.xlsx")
    assert not [p for p in walked.texts if p.origin == "stock.xlsx/#state"]


# -- cells that give no text are cut out before parsing -----------------------------------

# A sheet as Excel writes one (attributes r, s, t in that order): shared strings' indexes,
# short numbers with and without formulas (a shared formula too), a phone number and an
# ID in scientific notation stored as numbers, a boolean, an error, a formula's string.
EXCEL_ROWS = (
    '<row r="1" spans="1:6"><c r="A1" s="1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
    '<c r="C1" s="2"><v>1250.75</v></c><c r="D1"><f>C1*2</f><v>2501.5</v></c>'
    '<c r="E1" s="3"><f t="shared" ref="E1:E2" si="0">D1+1</f><v>2502.5</v></c>'
    '<c r="F1" t="b"><v>1</v></c></row>'
    '<row r="2"><c r="A2" t="n"><v>13800138000</v></c><c r="B2" s="4"><v>1.10105194912311E+17</v></c>'
    '<c r="C2" t="e"><v>#DIV/0!</v></c><c r="D2" t="str"><f>A1</f><v>SECRET draft</v></c>'
    '<c r="E2" s="3"><f t="shared" si="0"/><v>7</v></c>'
    '<c r="F2" t="inlineStr"><is><t>Ref 42</t></is></c></row>'
    '<row r="3"><c r="A3" s="1"><v>  12 </v></c><c r="B3"><v>1.5e7</v></c><c r="C3"><v>123456</v></c></row>')


def _openpyxl_book() -> bytes:
    import datetime

    import openpyxl
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Item", "Amount", "Phone", "When", "Paid", "Total"])
    for n in range(40):
        sheet.append([f"line {n}", n * 17, 4111111111111111 if n == 7 else 120 + n,
                      datetime.date(2026, 1, 1 + n % 28), n % 2 == 0, f"=B{n + 2}*2"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _read_both(data: bytes, monkeypatch) -> tuple[list, list]:
    """What extract gives for ``data`` (texts, then the problem raised, if any) with
    silent cells cut out, and read as stored."""
    def read() -> list:
        found: list = []
        try:
            found.extend((p.origin, p.text) if isinstance(p, Part) else p.reason
                         for p in ooxml.extract(Part(origin="doc", data=data), Budget(Limits())))
        except UnparseableContent as exc:
            found.append(str(exc))
        return found

    lean = read()
    with monkeypatch.context() as patched:
        patched.setattr(ooxml, "_SILENT_CELL", re.compile(b"(?!)"))
        return lean, read()


def test_xlsx_cells_cut_before_parsing_change_no_text(monkeypatch):
    excel = _sheet_package(EXCEL_ROWS, "<si><t>Region</t></si><si><t>TOP SECRET</t></si>")
    for data in (excel, _openpyxl_book()):
        sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
        assert ooxml._SILENT_CELL.search(sheet)  # the cut is taken
        lean, whole = _read_both(data, monkeypatch)
        assert lean == whole
    sheet_text = dict(p for p in _read_both(excel, monkeypatch)[0] if isinstance(p, tuple))
    assert sheet_text["doc/xl/worksheets/sheet1.xml"] == (
        "13800138000\t110105194912311000\tSECRET draft\tRef 42\n15000000")


def test_xlsx_malformed_sheet_is_reported_where_it_breaks_after_silent_cells(monkeypatch):
    broken = _sheet_package(EXCEL_ROWS + '<row r="4"><c r="A4" t="inlineStr"><is><t>CONF'
                            'IDENTIAL</t></is></c><c r="B4"><v>1</v></row>', "<si><t>x</t></si>")
    lean, whole = _read_both(broken, monkeypatch)
    assert lean == whole
    # Named where the stored bytes break, not where the shortened ones would.
    assert "not well-formed XML: Opening and ending tag mismatch: c line 1 and row, line 1, " \
        "column 833" in lean[-1]
