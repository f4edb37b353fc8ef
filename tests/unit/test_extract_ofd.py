"""OFD (GB/T 33190-2016) packages: detected, laid out in lines, and scanned like a PDF."""

from __future__ import annotations

import io
import zipfile

import pytest

from filters.detect import detect_type
from filters.types import Part
from tests.fixtures.ofd import BODY, Line, OfdPage, make_ofd, notice_page


@pytest.fixture(scope="module")
def pipeline():
    from filters.build import build_pipeline

    return build_pipeline()


def classification(verdict) -> list:
    return [h for h in verdict.hits if h.category == "classification"]


def test_an_ofd_package_is_detected_by_its_entry_file():
    assert detect_type(Part(origin="a.ofd", data=make_ofd([notice_page()]))) == "application/ofd"


def test_a_marking_drawn_one_character_at_a_time_is_read_as_its_line(walk, pipeline):
    data = make_ofd([notice_page("机密★5年")])
    walked = walk(data, name="notice.ofd")
    assert "机密★5年" in walked.all_text().splitlines()
    verdict = pipeline.scan_bytes(data, origin="notice.ofd", name="notice.ofd")
    assert verdict.action == "quarantine"
    assert [h.excerpt for h in classification(verdict)]


def test_the_same_notice_without_a_marking_passes(pipeline):
    data = make_ofd([notice_page()])
    verdict = pipeline.scan_bytes(data, origin="notice.ofd", name="notice.ofd")
    assert verdict.action == "pass", verdict.hits


def test_words_of_separate_runs_on_one_line_are_spaced_and_cells_tabbed(walk):
    page = OfdPage([Line("Classification:", 26, 40, per_char=False),
                    Line("SECRET", 26 + 4.2 * 16, 40, per_char=False),
                    Line("项目", 26, 60, per_char=False), Line("机密", 150, 60, per_char=False)])
    lines = walk(make_ofd([page]), name="a.ofd").all_text().splitlines()
    assert "Classification: SECRET" in lines
    assert "项目\t机密" in lines


def test_custom_data_naming_the_level_is_read(pipeline):
    data = make_ofd([notice_page()], custom={"密级": "秘密", "保密期限": "5年"})
    assert classification(pipeline.scan_bytes(data, origin="n.ofd", name="n.ofd"))


def test_a_watermark_annotation_is_read(pipeline):
    page = notice_page()
    page.watermark = "内部资料 注意保存"
    verdict = pipeline.scan_bytes(make_ofd([page]), origin="n.ofd", name="n.ofd")
    assert classification(verdict)


def test_a_template_page_marking_counts_on_every_page(pipeline):
    data = make_ofd([notice_page(), notice_page()], template=[Line("秘密", 180, 15)])
    assert classification(pipeline.scan_bytes(data, origin="n.ofd", name="n.ofd"))


def test_prose_about_secrets_in_the_body_is_no_marking(pipeline):
    page = OfdPage([Line(text, 26, 60 + 10 * i) for i, text in
                    enumerate([*BODY, "成功的秘密在于坚持，机密计算是一种技术。"])])
    verdict = pipeline.scan_bytes(make_ofd([page]), origin="n.ofd", name="n.ofd")
    assert not classification(verdict)


def test_a_picture_in_the_package_is_a_part_of_its_own(walk):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
    walked = walk(make_ofd([notice_page()], picture=buffer.getvalue()), name="n.ofd")
    assert any(p.origin.endswith("Res/image_1.png") for p in walked.content)


def test_a_package_with_a_broken_page_is_held(walk):
    data = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(make_ofd([notice_page("机密★5年")]))) as source, \
            zipfile.ZipFile(data, "w") as out:
        for info in source.infolist():
            body = source.read(info)
            if info.filename.endswith("Page_0/Content.xml"):
                body = body[: len(body) // 2]  # cut off mid-page
            out.writestr(info, body)
    walked = walk(data.getvalue(), name="n.ofd")
    assert "extract.unparseable" in walked.policy_rules()
    assert walked.verdict.action == "quarantine"
