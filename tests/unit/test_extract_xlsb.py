"""Excel binary workbooks: the BIFF12 records that carry text, and damaged ones."""

from __future__ import annotations

import struct

import pytest

from filters.errors import UnparseableContent
from filters.extract import xlsb
from filters.limits import Budget, Limits
from tests.fixtures.real_formats.samples import _brt, _wide


def test_two_byte_record_types_and_long_sizes_are_read():
    long_text = "CONFIDENTIAL " * 20  # a record over 127 bytes: two size bytes
    data = _brt(479, struct.pack("<H", 0) + _wide("&L" + long_text) + _wide("&RSECRET")
                + b"\xff\xff\xff\xff" * 4)
    out = xlsb.read("worksheet", data, Budget(Limits()))
    assert out == {"header": [long_text.strip()], "footer": ["SECRET"]}


def test_inline_cell_strings_and_formula_results_are_read():
    cell = struct.pack("<II", 2, 0)
    data = (_brt(6, cell + _wide("TOP SECRET")) + _brt(2, cell + struct.pack("<d", 1.5))
            + _brt(8, cell + _wide("DRAFT") + struct.pack("<HI", 0, 0)))
    assert xlsb.read("worksheet", data, Budget(Limits())) == {"body": ["TOP SECRET", "DRAFT"]}


@pytest.mark.parametrize("data", [
    b"\x13\x40\x00",  # a record longer than the part
    _brt(19, b"\x00" + struct.pack("<I", 50) + "ab".encode("utf-16-le")),  # string too long
])
def test_damaged_records_are_unparseable(data):
    with pytest.raises(UnparseableContent):
        xlsb.read("shared_strings", data, Budget(Limits()))


def _workbook_with_notes(path, notes: list[str]) -> None:
    """A real-format .xlsb (samples.write_xlsb) with a comments part holding ``notes``."""
    import zipfile

    from tests.fixtures.real_formats.samples import write_xlsb

    write_xlsb(path, ["Item", "Cost"], "Budget")
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/comments1.bin" '
        b'ContentType="application/vnd.ms-excel.comments"/></Types>')
    # BrtCommentText: a rich-text flag byte, then the note's text.
    members["xl/comments1.bin"] = b"".join(_brt(637, b"\x00" + _wide(note)) for note in notes)
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


@pytest.mark.parametrize(("notes", "draft"), [
    (["unit: kEUR"], False),  # a note is an annotation, as in .xlsx, .xls and .ods
    (["[Threaded comment]\nYour version of Excel allows you to read this threaded comment",
      "unit: kEUR"], True),  # Excel's stand-in for a threaded comment is review state
])
def test_xlsb_cell_notes_are_read_and_only_a_threaded_standin_makes_a_draft(tmp_path, notes, draft):
    from filters.build import build_pipeline

    path = tmp_path / "book.xlsb"
    _workbook_with_notes(path, notes)
    verdict = build_pipeline().scan_file(path, origin="book.xlsb")
    assert ("draft.comments" in {h.rule for h in verdict.hits}) is draft
    _workbook_with_notes(path, ["TOP SECRET"])
    held = build_pipeline().scan_file(path, origin="book.xlsb")
    assert ("classification", "book.xlsb/xl/comments1.bin") in {(h.category, h.where) for h in held.hits}
