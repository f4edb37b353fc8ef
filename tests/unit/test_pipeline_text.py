"""The pipeline walks a plain-text item and decodes its charset."""

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
