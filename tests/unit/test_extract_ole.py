"""The OLE2 extractor: legacy .doc/.xls/.ppt text, properties, encryption, embedded objects."""

from __future__ import annotations

import struct
from pathlib import Path

import olefile
import pytest
from conftest import require_peer

from filters.errors import EncryptedContent, UnparseableContent
from filters.extract import ole
from filters.limits import Budget, Limits
from filters.types import Defect, Part
from tests.fixtures import legacy


def run(data: bytes | Path) -> list[Part | Defect]:
    budget = Budget(Limits())
    part = (Part(origin="doc", path=data) if isinstance(data, Path)
            else Part(origin="doc", data=data))
    try:
        return list(ole.extract(part, budget))
    finally:
        budget.close()


def texts(children: list[Part | Defect]) -> dict[str, Part]:
    return {c.origin: c for c in children if isinstance(c, Part) and c.is_text}


@pytest.fixture(scope="session")
def office(tmp_path_factory) -> dict[str, Path]:
    missing = legacy.libreoffice_missing()
    require_peer(missing)
    return legacy.legacy_documents(tmp_path_factory.mktemp("legacy"))


def test_doc_body_comes_from_the_piece_table(office):
    body = texts(run(office["memo.doc"]))["doc/WordDocument"]
    assert body.role == "body"
    lines = body.text.splitlines()
    assert lines[0] == "Body paragraph one about logistics."
    assert "关于年度预算的通知（征求意见稿）机密★5年" in lines
    assert "cell left\tcell right" in body.text


def test_doc_headers_and_footers_are_header_parts(office):
    headers = texts(run(office["memo.doc"]))["doc/WordDocument#headers"]
    assert headers.role == "header"
    assert "SECRET//NOFORN header banner" in headers.text
    assert "Footer: CONFIDENTIAL" in headers.text
    assert "logistics" not in headers.text


def test_doc_summary_properties(office):
    parts = texts(run(office["memo.doc"]))
    keywords = parts["doc/#summary.keywords"]
    assert (keywords.role, keywords.name) == ("property", "keywords")
    assert "DRAFT" in keywords.text
    assert parts["doc/#summary.title"].text == "Budget memo"


def test_xls_sheet_names_and_cells(office):
    parts = texts(run(office["book.xls"]))
    name = parts["doc/Workbook/sheet[1]#name"]
    assert (name.text, name.role) == ("Budget DRAFT", "sheet")
    cells = parts["doc/Workbook/sheet[1]"]
    assert cells.role == "cell"
    assert cells.text.splitlines() == ["Item", "SECRETO total"]
    assert parts["doc/Workbook/sheet[2]#name"].text == "机密"
    assert parts["doc/Workbook/sheet[2]"].text == "中文单元格"


def test_xls_page_header_is_read_from_biff_records(office):
    header = texts(run(office["book.xls"]))["doc/Workbook/sheet[1]#header"]
    assert (header.text, header.role) == ("Header RESERVADO", "header")


def test_ppt_slide_text_and_notes(office):
    parts = texts(run(office["deck.ppt"]))
    body = parts["doc/PowerPoint Document"].text.splitlines()
    assert "Slide title TOP SECRET" in body
    assert "Bullet body 讨论稿" in body
    notes = parts["doc/PowerPoint Document#notes"]
    assert notes.role == "note"
    assert "Speaker notes: BORRADOR" in notes.text
    assert "Speaker notes: BORRADOR" not in parts["doc/PowerPoint Document"].text
    assert parts["doc/#summary.title"].text == "Deck title"


def test_password_protected_doc_is_encrypted(office):
    with pytest.raises(EncryptedContent, match="Word document is password-protected"):
        run(office["locked.doc"])


def test_password_protected_xls_is_encrypted(office):
    with pytest.raises(EncryptedContent, match="Excel workbook is password-protected"):
        run(office["locked.xls"])


def test_encrypted_ooxml_package_is_held(walk):
    walked = walk(legacy.encrypted_docx(), name="locked.docx")
    assert walked.policy_rules() == ["extract.encrypted"]
    assert walked.verdict.action == "quarantine"


def test_encrypted_ppt_marker_stream_is_encrypted():
    with pytest.raises(EncryptedContent, match="PowerPoint"):
        run(legacy.ppt_encrypted_marker())


def test_legacy_documents_walk_through_the_pipeline(walk, office):
    ole_types = {"application/msword", "application/vnd.ms-excel",
                 "application/vnd.ms-powerpoint", "application/x-ole-storage",
                 "application/CDFV2"}
    walked = walk(office["memo.doc"], name="memo.doc")
    assert walked.content[0].detected_type in ole_types
    assert "SECRET//NOFORN header banner" in walked.text_at("memo.doc/WordDocument#headers")
    assert walked.policy_rules() == []
    walked = walk(office["book.xls"], name="book.xls")
    assert walked.text_at("book.xls/Workbook/sheet[1]#name") == "Budget DRAFT"
    walked = walk(office["deck.ppt"], name="deck.ppt")
    assert "Slide title TOP SECRET" in walked.text_at("deck.ppt/PowerPoint Document")
    assert walked.policy_rules() == []


def test_packaged_object_is_unwrapped_from_ole10native():
    children = run(legacy.compound_with_package("plan.txt", b"Embedded TOP SECRET plan\n"))
    content = [c for c in children if isinstance(c, Part) and not c.is_text]
    assert [(c.origin, c.name, c.data) for c in content] == [
        ("doc/ObjectPool/_1234/\x01Ole10Native:plan.txt", "plan.txt",
         b"Embedded TOP SECRET plan\n")]


def test_broken_piece_table_falls_back_to_string_scan_with_defect(office):
    data = bytearray(office["memo.doc"].read_bytes())
    with olefile.OleFileIO(bytes(data)) as f:
        word = f.openstream("WordDocument").read()
    # Point fcClx far outside the table stream: the CLX can no longer be found.
    offset = bytes(data).index(word[:512])
    clx = offset + 154 + 8 * 33
    data[clx : clx + 4] = (0x7FFFFFF0).to_bytes(4, "little")
    children = run(bytes(data))
    defects = [c for c in children if isinstance(c, Defect)]
    assert [(d.rule, d.severity) for d in defects] == [("extract.doc_structure", "low")]
    assert "Body paragraph one about logistics." in texts(children)["doc/WordDocument"].text


def test_garbage_is_unparseable():
    with pytest.raises(UnparseableContent, match="compound"):
        run(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)


def test_streams_of_an_unknown_compound_file_are_read_and_held_when_opaque(tmp_path):
    import os

    from filters.build import build_pipeline
    from tests.fixtures.real_formats.samples import write_compound_file

    pipeline = build_pipeline()
    marked, clean, opaque = tmp_path / "plan.vsd", tmp_path / "office.vsd", tmp_path / "blob.pub"
    text = "Network plan TOP SECRET//NOFORN".encode("utf-16-le")
    write_compound_file(marked, {"VisioDocument": bytes(40) + text + bytes(40)})
    write_compound_file(clean, {"VisioDocument": bytes(40) + "Office plan".encode("utf-16-le")})
    write_compound_file(opaque, {"Contents": os.urandom(3000)})
    verdict = pipeline.scan_file(marked, origin="plan.vsd")
    assert ("classification", "plan.vsd/VisioDocument") in {
        (h.category, h.where) for h in verdict.hits}
    assert pipeline.scan_file(clean, origin="office.vsd").action == "pass"
    held = pipeline.scan_file(opaque, origin="blob.pub")
    assert held.action != "pass"
    assert any(h.where == "blob.pub/Contents" and h.category == "policy" for h in held.hits)


def _biff(rtype: int, body: bytes = b"") -> bytes:
    return rtype.to_bytes(2, "little") + len(body).to_bytes(2, "little") + body


def _bof(kind: int) -> bytes:
    # BOF: BIFF8 version, then the substream's type (0x0005 globals, 0x0010 sheet, 0x0020 chart).
    return _biff(0x0809, (0x0600).to_bytes(2, "little") + kind.to_bytes(2, "little") + bytes(12))


def _header(text: str) -> bytes:
    return _biff(0x0014, len(text).to_bytes(2, "little") + b"\x00" + text.encode("latin-1"))


def test_xls_chart_texts_belong_to_their_sheet_and_keep_later_sheets_numbered():
    """A chart on sheet 1 is a BOF..EOF substream inside the sheet's: its SeriesText (title,
    axis title) is sheet 1's, and sheet 2's header stays sheet 2's."""
    title = "SECRET".encode("utf-16-le")
    stream = (_bof(0x0005) + _biff(0x000A)
              + _bof(0x0010) + _bof(0x0020)
              + _biff(0x100D, b"\x00\x00" + bytes([6, 1]) + title) + _biff(0x000A)
              + _header("Sheet one") + _biff(0x000A)
              + _bof(0x0010) + _header("Sheet two") + _biff(0x000A))
    budget = Budget(Limits())
    try:
        found = ole._biff_sheet_texts(stream, budget)
    finally:
        budget.close()
    assert found == [(1, "chart", "SECRET"), (1, "header", "Sheet one"), (2, "header", "Sheet two")]


# -- a shared workbook's Revision Log stream ----------------------------------------------


def _change_record(flags: int) -> bytes:
    # RRDChgCell (MS-XLS 2.4.218) as Calc writes it: RrdHead (cbMemory, revid, revt, flags)
    # and the change's own fields, which the count does not read.
    body = struct.pack("<IIHH", 62, 1, 8, flags) + bytes(24)
    return struct.pack("<HH", 0x013B, len(body)) + body


def _revision_log(*flags: int) -> bytes:
    head = struct.pack("<HH", 0x0138, 12) + bytes(12)  # RRDHead: not a change
    return head + b"".join(_change_record(f) for f in flags) + struct.pack("<HH", 0x000A, 0)


def test_revision_log_counts_changes_neither_accepted_nor_undone():
    assert ole._pending_revisions(_revision_log(0, 0)) == 2
    assert ole._pending_revisions(_revision_log(1, 2, 0)) == 1  # accepted, undone, pending
    assert ole._pending_revisions(b"\x3b\x01\x40\x00") == 0  # cut off: nothing counted


def _with_revision_log(book: Path, log: bytes) -> bytes:
    source = olefile.OleFileIO(str(book))
    streams = {"/".join(path): source.openstream(path).read() for path in source.listdir()}
    source.close()
    return legacy.compound_file({**streams, "Revision Log": log})


def test_xls_with_a_pending_change_has_a_tracked_change_state(office):
    parts = texts(run(_with_revision_log(office["book.xls"], _revision_log(0))))
    assert parts["doc/#state"].text == "1 change"
    assert parts["doc/#state"].name == "redline:tracked_changes"


def test_xls_whose_changes_are_accepted_has_no_state(office):
    parts = texts(run(_with_revision_log(office["book.xls"], _revision_log(1))))
    assert "doc/#state" not in parts
