"""The RTF extractor decodes code pages and \\u escapes and keeps each group's role."""

from __future__ import annotations

import pytest

from filters.errors import UnparseableContent
from filters.extract import rtf
from filters.limits import Budget, Limits
from filters.types import Part
from tests.conftest import walk_item
from tests.fixtures.office import make_rtf, rtf_hex, rtf_unicode


@pytest.fixture(scope="module")
def rtf_walk():
    return walk_item(make_rtf(), name="plan.rtf")


def _texts(data: bytes) -> dict[str, str]:
    parts = rtf.extract(Part(origin="d", data=data), Budget(Limits()))
    return {p.origin: p.text for p in parts if p.text is not None}


def _one(walked, origin):
    found = [p for p in walked.texts if p.origin == origin]
    assert len(found) == 1, f"want one part {origin!r}; have {walked.origins()}"
    return found[0]


def test_body_joins_split_word_and_decodes_cp936_and_unicode(rtf_walk):
    body = _one(rtf_walk, "plan.rtf")
    assert body.role == "body"
    assert "Body SECRET plan\n" in body.text
    assert "机密★5年 and 征求意见稿 end" in body.text
    assert "Emoji \U0001F512 lock\ttabbed\nnext" in body.text


def test_header_footer_and_watermark(rtf_walk):
    header = _one(rtf_walk, "plan.rtf/#header")
    assert header.role == "header"
    assert header.text.splitlines() == ["Header 机密★5年", "DRAFT"]
    footer = _one(rtf_walk, "plan.rtf/#footer")
    assert (footer.role, footer.text) == ("footer", "Footer BORRADOR")


def test_comment_note_and_revisions(rtf_walk):
    assert (_one(rtf_walk, "plan.rtf/#comments").role,
            _one(rtf_walk, "plan.rtf/#comments").text) == ("comment", "Fix this")
    assert _one(rtf_walk, "plan.rtf/#notes").text == "Note text"
    assert _one(rtf_walk, "plan.rtf/#notes").role == "note"
    body = _one(rtf_walk, "plan.rtf").text
    assert "new words" in body and "old words" not in body
    assert _one(rtf_walk, "plan.rtf/#deletions").text == "old words"
    assert _one(rtf_walk, "plan.rtf/#insertions").role == "revision"
    state = {p.name: p.text for p in rtf_walk.texts if p.origin == "plan.rtf/#state"}
    assert state == {"redline:tracked_changes": "1 insertion, 1 deletion",
                     "redline:comments": "1 comment"}


def test_skipped_groups_and_text_boxes(rtf_walk):
    body = _one(rtf_walk, "plan.rtf").text
    assert "box text" in body and "embedded result" in body
    for hidden in ("SimSun", "89504e47", "hidden junk", "Rev", "255", "fillColor"):
        assert hidden not in body


def test_info_and_user_properties(rtf_walk):
    title = _one(rtf_walk, "plan.rtf/info#title")
    assert (title.role, title.name, title.text) == ("property", "title", "Plan 草稿")
    assert _one(rtf_walk, "plan.rtf/info#company").text == "ACME"
    custom = _one(rtf_walk, "plan.rtf/userprops#Classification")
    assert (custom.name, custom.text) == ("Classification", "SECRETO")
    assert not [p for p in rtf_walk.texts if p.origin.endswith("#creatim")]


def test_embedded_object_is_unwrapped_and_extracted(rtf_walk):
    embedded = [p for p in rtf_walk.content if p.origin == "plan.rtf/object[1]"]
    assert embedded and embedded[0].detected_type.endswith("spreadsheetml.sheet")
    assert embedded[0].name == "Excel.Sheet.12"
    assert "TOP SECRET" in rtf_walk.text_at("plan.rtf/object[1]/xl/worksheets/sheet1.xml")
    assert rtf_walk.policy_rules() == []


def test_packaged_file_is_unwrapped_and_read(rtf_walk):
    packaged = [p for p in rtf_walk.content if p.origin == "plan.rtf/object[2]"]
    assert packaged and packaged[0].name == "minutes.docx"
    assert packaged[0].detected_type.endswith("wordprocessingml.document")
    assert "SECRET annex" in rtf_walk.text_at("plan.rtf/object[2]/word/document.xml")


def test_font_charset_decides_over_ansi_code_page():
    data = (r"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0\fcharset0 Arial;}{\f1\fcharset134 SimSun;}}"
            r"\f0 caf\'e9 \f1 " + rtf_hex("秘密") + "}").encode()
    assert _texts(data)["d"] == "café 秘密"


def test_uc0_and_uc2_fallback_skipping():
    data = (br"{\rtf1\ansi{\uc0\u31192\u23494 }{\uc2\u26426\'bb\'fa\u23494 xx done}}")
    assert _texts(data)["d"] == "秘密机密 done"


def test_bin_data_is_skipped_not_read_as_text():
    data = b"{\\rtf1 before {\\pict\\bin8 SECRET!!}after}"
    assert _texts(data)["d"] == "before after"


def test_deep_nesting_is_unparseable():
    data = b"{\\rtf1 " + b"{" * (rtf.MAX_GROUP_DEPTH + 5) + b"x"
    with pytest.raises(UnparseableContent, match="nested"):
        _texts(data)


def test_not_rtf_is_unparseable():
    with pytest.raises(UnparseableContent):
        _texts(b"plain words")


def test_one_megabyte_rtf_is_read_whole():
    # How fast: bench/extract_speed.py.
    paragraph = (r"\pard\plain\f1 Ordinary {\b paragraph} text with \i some\i0  formatting "
                 + rtf_unicode("中文") + r"\par" + "\n")
    data = ("{\\rtf1\\ansi " + paragraph * (1_000_000 // len(paragraph)) + "}").encode()
    text = _texts(data)["d"]
    assert text.count("Ordinary paragraph text with some formatting 中文") > 10_000


def test_hidden_letters_inside_a_word_are_read_apart():
    # Word writes hidden text as {\v …}: the page shows SECRET.
    texts = _texts(rb"{\rtf1\ansi\pard SE{\v xq}CRET plan\par\pard Figures\v  gone\v0  back\par}")
    assert texts["d"] == "SECRET plan\nFigures back"
    assert texts["d/#hidden"] == "xq gone"


def test_capitals_formatting_is_applied_and_plain_ends_it():
    texts = _texts(rb"{\rtf1\ansi\pard{\caps secret} annex {\scaps draft}\caps  copy\plain  "
                   rb"tail\par}")
    assert texts["d"] == "SECRET annex DRAFT COPY tail"
    assert "d/#hidden" not in texts
