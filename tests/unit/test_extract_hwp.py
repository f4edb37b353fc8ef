"""HWP 5.0: section records read with control codes removed; protected documents held."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from filters.errors import EncryptedContent, UnparseableContent
from filters.extract import hwp
from filters.limits import Budget, Limits
from filters.types import Part
from tests.fixtures.real_formats.samples import write_hwp


def _texts(path: Path) -> dict[str, str]:
    budget = Budget(Limits())
    part = Part(origin="doc.hwp", path=path, name="doc.hwp", detected_type="application/x-hwp")
    try:
        return {p.origin: p.text for p in hwp.extract(part, budget)
                if isinstance(p, Part) and p.is_text}
    finally:
        budget.close()


def test_controls_inside_a_paragraph_do_not_split_its_words():
    # An extended control (11: a table or drawing anchor) is 8 units: the code, 6 units
    # of data, the code again; a tab (9) is an inline control read as a space.
    units = ([ord(c) for c in "대외"] + [11, 0x6c74, 0x2062, 0, 0, 0, 0, 11]
             + [ord("비"), 9, 0x6c74, 0, 0, 0, 0, 0, 9] + [ord(c) for c in "문서"] + [13])
    assert hwp.para_text(struct.pack(f"<{len(units)}H", *units)) == "대외비 문서"


def test_sections_and_preview_are_read(tmp_path):
    path = tmp_path / "doc.hwp"
    write_hwp(path, [["보고서"], ["대외", "비"]])
    texts = _texts(path)
    assert texts["doc.hwp/BodyText/Section0"] == "보고서\n대외비"
    assert "대외비" in texts["doc.hwp/PrvText"]


def test_uncompressed_sections_are_read(tmp_path):
    path = tmp_path / "doc.hwp"
    write_hwp(path, [["SECRET"]], flags=0)
    assert _texts(path)["doc.hwp/BodyText/Section0"] == "SECRET"


@pytest.mark.parametrize("flags", [0x1 | 0x2, 0x1 | 0x4])
def test_password_and_distribution_documents_are_encrypted(tmp_path, flags):
    path = tmp_path / "doc.hwp"
    write_hwp(path, [["보고서"]], flags=flags)
    with pytest.raises(EncryptedContent):
        _texts(path)


def test_a_record_running_past_its_section_is_unparseable():
    record = struct.pack("<I", hwp.TAG_PARA_TEXT | 40 << 20) + "짧음".encode("utf-16-le")
    with pytest.raises(UnparseableContent):
        list(hwp.section_paragraphs(record, Budget(Limits())))
