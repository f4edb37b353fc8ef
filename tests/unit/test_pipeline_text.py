"""The pipeline walks a plain-text item and decodes its charset."""

import pytest

from filters.limits import Limits


def test_plain_text_is_decoded_with_its_origin(walk):
    walked = walk(b"Plain words\nand a second line\n", name="note.txt")
    assert walked.texts[0].origin == "note.txt"
    assert walked.texts[0].text.startswith("Plain words")
    assert walked.content[0].detected_type == "text/plain"


def test_gb18030_text_is_detected_and_decoded(walk):
    text = "关于年度预算的通知。机密★5年。请各部门认真阅读并按时反馈意见，谢谢配合。" * 4
    walked = walk(text.encode("gb18030"), name="notice.txt")
    assert "机密★5年" in walked.all_text()


def test_part_count_limit_gives_policy_hit(walk):
    walked = walk(b"text", name="a.txt", limits=Limits(max_parts=1))
    assert "limit.max_parts" in walked.policy_rules()
    assert walked.verdict.action == "quarantine"


def test_seven_bit_charsets_follow_their_label(walk):
    from filters.extract import text as text_extractor
    from filters.limits import Budget, Limits
    from filters.types import Part

    part = Part(origin="n.txt", data="机密★5年".encode("hz"), charset="hz-gb-2312")
    [child] = list(text_extractor.extract(part, Budget(Limits())))
    assert child.text == "机密★5年"


def test_large_text_is_scanned_in_line_aligned_pieces(tmp_path):
    from pathlib import Path

    from filters.build import build_pipeline
    from filters.extract import text as text_extractor
    from filters.limits import Budget, Limits
    from filters.types import Part

    line = "ordinary line of a long log file with nothing to see\n"
    body = line * (text_extractor.STREAM_BYTES // len(line) + 1000) + "TOP SECRET//NOFORN\n" + line * 10
    path = Path(tmp_path) / "big.log"
    path.write_text(body, encoding="utf-8")
    pieces = list(text_extractor.extract(Part(origin="big.log", path=path), Budget(Limits())))
    assert len(pieces) >= 2
    assert all(p.text.endswith("\n") for p in pieces)
    assert "".join(p.text for p in pieces) == body
    verdict = build_pipeline().scan_file(path)
    assert next(h.excerpt for h in verdict.hits if h.category == "classification") == "TOP SECRET//NOFORN"


@pytest.fixture(scope="module")
def pipeline():
    from filters.build import build_pipeline

    return build_pipeline()


def _classification(verdict) -> list:
    return [h for h in verdict.hits if h.category == "classification"]


def test_a_short_gb18030_notice_is_read_though_the_guess_calls_it_korean(pipeline):
    # Two lines give the charset guess too little to go on; the GB18030 reading is
    # scanned beside it.
    verdict = pipeline.scan_bytes("机密★5年\n计划\n".encode("gb18030"), origin="notice.txt")
    assert verdict.action == "quarantine"
    assert any(h.excerpt and "机密" in h.excerpt for h in _classification(verdict))


def test_a_short_big5_notice_is_read(pipeline):
    verdict = pipeline.scan_bytes("機密\n計畫書\n".encode("big5"), origin="notice.txt")
    assert verdict.action == "quarantine"
    assert _classification(verdict)


def test_big5_mail_labelled_gb2312_is_read_in_both(pipeline):
    # Cross-strait mail: a client labels Big5 text GB2312, which GB18030 also decodes (as
    # nonsense), so the label alone would hide the marking.
    body = "極機密\n專案進度報告，請於週五前回覆。\n".encode("big5")
    mail = (b"From: a@example.org\r\nTo: b@example.net\r\nSubject: report\r\n"
            b"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=gb2312\r\n"
            b"Content-Transfer-Encoding: 8bit\r\n\r\n" + body.replace(b"\n", b"\r\n"))
    verdict = pipeline.scan_bytes(mail, origin="mail.eml")
    assert verdict.action == "quarantine"
    assert _classification(verdict)


def test_an_ascii_marking_in_latin_1_text_is_one_hit_not_one_per_reading(pipeline):
    text = "CONFIDENCIAL\nInformación sobre la reunión del comité de dirección.\nAñadir más.\n"
    verdict = pipeline.scan_bytes(text.encode("cp1252"), origin="acta.txt")
    hits = _classification(verdict)
    assert len(hits) == 1, hits


def test_utf8_text_has_one_reading(walk):
    walked = walk("机密★5年\n计划\n".encode(), name="notice.txt")
    assert [p.origin for p in walked.texts] == ["notice.txt"]


def test_a_csv_cell_that_is_only_a_marking_reads_as_a_spreadsheet_cell(pipeline):
    # A register of documents exported from a spreadsheet, Excel's semicolon dialect.
    data = ('Title;Owner;Classification\r\n"Depot plan; phase 2";J. Smith;Confidential\r\n'
            'Canteen menu;K. Lee;\r\n').encode("cp1252")
    verdict = pipeline.scan_bytes(data, origin="register.csv", name="register.csv")
    assert verdict.action == "quarantine"
    assert [h.excerpt for h in _classification(verdict)]


def test_csv_prose_about_secrets_is_no_marking(pipeline):
    data = (b"date,note\n2026-03-01,\"The secret to good bread, she said, is time\"\n"
            b"2026-03-02,confidential helpline opened\n")
    verdict = pipeline.scan_bytes(data, origin="notes.csv", name="notes.csv")
    assert not _classification(verdict)


def test_table_text_keeps_quoted_cells_whole():
    from filters.extract.text import table_text

    assert table_text('a,b\n"x, y","multi\nline"\n') == "a\tb\nx, y\tmulti line\n"
    assert table_text("just one sentence of prose.") is None


def test_json_that_escapes_chinese_is_read_by_its_values(pipeline):
    # Python's json.dumps and Jackson write every non-ASCII character as a \u escape.
    import json

    document = {"doc": {"title": "秘密★5年", "sections": [["正文", "项目进度"]]}, "n": 1}
    data = json.dumps(document).encode()
    assert b"\\u79d8" in data
    verdict = pipeline.scan_bytes(data, origin="export.json", name="export.json")
    assert verdict.action == "quarantine"
    assert any(h.excerpt and "秘密" in h.excerpt for h in _classification(verdict))


def test_json_without_escapes_has_no_second_reading():
    from filters.extract.text import json_escaped_values

    assert json_escaped_values('{"title": "秘密★5年"}') is None
    assert json_escaped_values('{"a": "\\u00e9t\\u00e9", "b": ["x", {"\\u4e2d": 1}]}') == "été\n中\n"
    assert json_escaped_values('not json \\u4e2d') is None


def test_a_typed_part_keeps_every_other_field():
    # The walk sets a content part's detected type with a positional constructor call:
    # it must give what dataclasses.replace gives, whatever fields Part gains.
    import dataclasses
    from pathlib import Path

    from filters.pipeline import _typed
    from filters.types import Part

    values = {"origin": "mail/body[1]", "data": b"bytes", "path": Path("/spool/1"), "text": "text",
              "role": "cell", "name": "a.txt", "declared_type": "text/plain", "charset": "utf-8",
              "detected_type": "", "depth": 3, "meta": {"key": "value"}}
    assert [f.name for f in dataclasses.fields(Part)] == list(values)
    part = Part(**values)
    assert _typed(part, "text/csv") == dataclasses.replace(part, detected_type="text/csv")
