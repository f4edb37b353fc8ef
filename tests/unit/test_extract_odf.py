"""The ODF extractor reads odt, ods and odp text by role, master pages, metadata and changes."""

from __future__ import annotations

import io
import zipfile

import pytest

from filters.errors import EncryptedContent, UnparseableContent
from filters.extract import odf
from filters.limits import Budget, Limits
from filters.types import Part
from tests.conftest import walk_item
from tests.fixtures.office import (
    make_encrypted_odt,
    make_odp,
    make_ods,
    make_odt,
    patch_zip,
    with_impress_comment,
    with_sheet_change,
)


@pytest.fixture(scope="module")
def odt_walk():
    return walk_item(make_odt(), name="plan.odt")


def _part(walked, suffix):
    found = [p for p in walked.texts if p.origin.endswith(suffix)]
    assert len(found) == 1, f"want one text part ending {suffix!r}; have {walked.origins()}"
    return found[0]


def _extract(data: bytes) -> list:
    return list(odf.extract(Part(origin="doc", data=data), Budget(Limits())))


def test_odt_body_joins_spans_and_renders_spaces_tabs_breaks(odt_walk):
    body = _part(odt_walk, "plan.odt/content.xml")
    assert body.role == "body"
    assert "SECRET annex   wide\ttabbed\nnext line" in body.text
    assert body.text.startswith("Plan\n")
    assert "Cell A\nCell B" in body.text


def test_odt_note_and_comment_leave_the_body(odt_walk):
    body = _part(odt_walk, "plan.odt/content.xml").text
    assert "Body with note continues" in body
    assert "征求意见稿" not in body and "Needs another look" not in body
    note = _part(odt_walk, "content.xml#notes")
    assert (note.role, note.text) == ("note", "Footnote 征求意见稿")
    comment = _part(odt_walk, "content.xml#comments")
    assert (comment.role, comment.text) == ("comment", "Needs another look")


def test_odt_tracked_changes_and_state(odt_walk):
    body = _part(odt_walk, "plan.odt/content.xml").text
    assert "Kept inserted words" in body and "removed sentence" not in body
    deletions = _part(odt_walk, "content.xml#deletions")
    insertions = _part(odt_walk, "content.xml#insertions")
    assert (deletions.role, deletions.text) == ("revision", "removed sentence")
    assert (insertions.role, insertions.text) == ("revision", "inserted words")
    state = {p.name: p.text for p in odt_walk.texts if p.origin == "plan.odt/#state"}
    assert state == {"redline:tracked_changes": "1 insertion, 1 deletion",
                     "redline:comments": "1 comment"}


def test_odt_master_page_header_and_footer(odt_walk):
    assert _part(odt_walk, "styles.xml#header").role == "header"
    assert _part(odt_walk, "styles.xml#header").text == "Header CONFIDENCIAL"
    footer = _part(odt_walk, "styles.xml#footer")
    assert (footer.role, footer.text) == ("footer", "Footer 草稿")


def test_odt_metadata_with_user_defined_property(odt_walk):
    custom = _part(odt_walk, "meta.xml#Classification")
    assert (custom.role, custom.name, custom.text) == ("property", "Classification", "SECRETO")
    assert _part(odt_walk, "meta.xml#title").text == "Annual plan"
    assert _part(odt_walk, "meta.xml#keyword").text == "budget\nnorth"
    # A text document's table name is not a sheet name.
    assert not [p for p in odt_walk.texts if p.role == "sheet"]
    assert odt_walk.policy_rules() == []


def test_ods_cells_sheet_names_and_footer():
    walked = walk_item(make_ods(), name="book.ods")
    cells = _part(walked, "book.ods/content.xml")
    assert cells.role == "cell" and "TOP SECRET" in cells.text.splitlines()
    sheets = _part(walked, "content.xml#sheets")
    assert (sheets.role, sheets.text) == ("sheet", "Budget\nAnnex 机密")
    assert _part(walked, "styles.xml#footer").text == "DIFUSIÓN LIMITADA"


def test_odp_title_body_and_notes():
    walked = walk_item(make_odp(), name="deck.odp")
    title = _part(walked, "content.xml#title")
    assert (title.role, title.text) == ("title", "Working draft")
    assert _part(walked, "deck.odp/content.xml").text == "Slide body RESERVADO"
    notes = _part(walked, "content.xml#notes")
    assert (notes.role, notes.text) == ("note", "Speaker note pre-decisional")


def test_odp_slide_comment_is_a_review_comment():
    # Impress keeps a slide's comment in LibreOffice's namespace, not ODF's office:annotation.
    walked = walk_item(with_impress_comment(make_odp()), name="deck.odp")
    comment = _part(walked, "content.xml#comments")
    assert (comment.role, comment.text) == ("comment", "Tighten this slide")
    assert _part(walked, "deck.odp/content.xml").text == "Slide body RESERVADO"
    state = {p.name: p.text for p in walked.texts if p.origin == "deck.odp/#state"}
    assert state == {"redline:comments": "1 comment"}
    assert walked.policy_rules() == []


def test_ods_pending_cell_change_is_a_tracked_change():
    # Calc records a change in table:tracked-changes; the cell's old value is no cell text.
    walked = walk_item(with_sheet_change(make_ods()), name="budget.ods")
    state = {p.name: p.text for p in walked.texts if p.origin == "budget.ods/#state"}
    assert state == {"redline:tracked_changes": "1 change"}
    assert _part(walked, "content.xml#deletions").text == "5"
    assert walked.policy_rules() == []


@pytest.mark.parametrize("state", ["accepted", "rejected"])
def test_ods_settled_cell_change_is_no_tracked_change(state):
    walked = walk_item(with_sheet_change(make_ods(), state=state), name="budget.ods")
    assert not [p for p in walked.texts if p.origin == "budget.ods/#state"]


def test_encrypted_odf_is_held_as_encrypted():
    walked = walk_item(make_encrypted_odt(), name="locked.odt")
    assert walked.policy_rules() == ["extract.encrypted"]
    assert walked.verdict.action != "pass"
    with pytest.raises(EncryptedContent, match=r"content\.xml"):
        _extract(make_encrypted_odt())


def test_malformed_content_is_unparseable_but_styles_still_scanned():
    broken = patch_zip(make_odt(), {"content.xml": b"<office:document-content><oops>"})
    walked = walk_item(broken, name="broken.odt")
    assert "extract.unparseable" in walked.policy_rules()
    assert "Footer 草稿" in walked.text_at("broken.odt/styles.xml#footer")


def test_package_without_content_is_unparseable():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("meta.xml", "<x/>")
    with pytest.raises(UnparseableContent, match=r"content\.xml"):
        _extract(out.getvalue())


def test_repeated_space_count_is_capped():
    content = (
        b'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        b' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
        b'<text:p>a<text:s text:c="999999999"/>b</text:p></office:text></office:body>'
        b"</office:document-content>"
    )
    parts = _extract(patch_zip(make_odt(), {"content.xml": content}))
    body = next(p.text for p in parts if p.origin == "doc/content.xml")
    assert body == "a" + " " * odf._MAX_SPACES + "b"


def test_embedded_object_document_is_read():
    content = zipfile.ZipFile(io.BytesIO(make_odt())).read("content.xml")
    data = patch_zip(make_odt(), {"Object 1/content.xml": content,
                                  "Object 2": b"\xd0\xcf\x11\xe0 ole object"})
    walked = walk_item(data, name="outer.odt")
    assert "SECRET annex" in walked.text_at("outer.odt/Object 1/content.xml")
    assert "outer.odt/Object 2" in walked.origins()


def _odt_with_spans(*spans: tuple[str, dict]) -> bytes:
    """An odt whose one paragraph holds ``spans`` of (text, text-properties of its style),
    as LibreOffice writes direct formatting: automatic styles T1, T2 …"""
    from odf.opendocument import OpenDocumentText
    from odf.style import Style, TextProperties
    from odf.text import P, Span

    document = OpenDocumentText()
    paragraph = P()
    for index, (text, properties) in enumerate(spans, 1):
        if properties:
            style = Style(name=f"T{index}", family="text")
            style.addElement(TextProperties(**properties))
            document.automaticstyles.addElement(style)
            paragraph.addElement(Span(stylename=style, text=text))
        else:
            paragraph.addText(text)
    document.text.addElement(paragraph)
    document.text.addElement(P(text="The figures for the quarter follow."))
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def _texts(data: bytes) -> dict[str, str]:
    return {p.origin: p.text for p in _extract(data) if isinstance(p, Part) and p.is_text}


def test_odt_hidden_letters_inside_a_word_are_read_apart():
    texts = _texts(_odt_with_spans(("SE", {}), ("xq", {"display": "none"}), ("CRET", {})))
    assert texts["doc/content.xml"].startswith("SECRET\n")
    assert texts["doc/content.xml#hidden"] == "xq"


def test_odt_capitals_formatting_is_applied():
    texts = _texts(_odt_with_spans(("secret", {"texttransform": "uppercase"}), (" annex ", {}),
                                   ("draft", {"fontvariant": "small-caps"})))
    assert texts["doc/content.xml"].startswith("SECRET annex DRAFT\n")
    assert "doc/content.xml#hidden" not in texts


def test_odt_conditionally_hidden_text_is_read_from_its_attribute():
    from odf.opendocument import OpenDocumentText
    from odf.text import HiddenText, P

    document = OpenDocumentText()
    paragraph = P(text="Minutes ")
    paragraph.addElement(HiddenText(condition="ooow:1", stringvalue="TOP SECRET",
                                    ishidden="true"))
    document.text.addElement(paragraph)
    out = io.BytesIO()
    document.write(out)
    texts = _texts(out.getvalue())
    assert texts["doc/content.xml"] == "Minutes"
    assert texts["doc/content.xml#hidden"] == "TOP SECRET"


def test_flat_odf_is_typed_by_its_root_and_read_like_the_package():
    from filters.detect import detect_type
    from filters.extract import flat_odf

    doc = (b'<?xml version="1.0" encoding="UTF-8"?><office:document '
           b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           b'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
           b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
           b'xmlns:dc="http://purl.org/dc/elements/1.1/" '
           b'office:mimetype="application/vnd.oasis.opendocument.text">'
           b"<office:meta><dc:title>Plan</dc:title></office:meta>"
           b'<office:master-styles><style:master-page style:name="Standard"><style:header>'
           b"<text:p>SECRET</text:p></style:header></style:master-page></office:master-styles>"
           b"<office:body><office:text><text:p>Body <text:span>text</text:span></text:p>"
           b"</office:text></office:body></office:document>")
    part = Part(origin="doc.fodt", data=doc)
    assert detect_type(part) == "application/vnd.oasis.opendocument.text-flat-xml"
    budget = Budget(Limits())
    texts = {p.origin: p.text for p in flat_odf.extract(part, budget) if isinstance(p, Part)}
    budget.close()
    assert texts == {"doc.fodt/#meta.title": "Plan", "doc.fodt": "Body text",
                     "doc.fodt/#styles#header": "SECRET"}
