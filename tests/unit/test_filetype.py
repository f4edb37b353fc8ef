"""The file-type engine holds documents disguised by their name, and only notes other mismatches."""

import io

import docx

from filters.build import build_pipeline
from filters.types import Part

PIPELINE = build_pipeline()


def docx_bytes(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def scan(data: bytes, name: str):
    return PIPELINE.scan(Part(origin=name, data=data, name=name))


def test_docx_renamed_jpg_is_held_as_disguised():
    verdict = scan(docx_bytes("quarterly numbers"), "holiday.jpg")
    rules = {h.rule: h for h in verdict.hits}
    assert "filetype.disguised" in rules
    assert "wordprocessingml" in rules["filetype.disguised"].excerpt
    assert verdict.action == "quarantine"


def test_matching_name_gives_no_filetype_hit():
    verdict = scan(docx_bytes("quarterly numbers"), "numbers.docx")
    assert not [h for h in verdict.hits if h.rule.startswith("filetype.")]


def test_png_named_jpg_is_only_reported():
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(out, "PNG")
    verdict = scan(out.getvalue(), "photo.jpg")
    assert [h.rule for h in verdict.hits] == ["filetype.mismatch"]
    assert verdict.action == "pass"


def test_xml_without_a_declaration_is_typed_xml_by_its_namespace():
    from filters.detect import detect_type

    page = b'<FixedPage xmlns="http://schemas.microsoft.com/xps/2005/06" Width="816"/>'
    assert detect_type(Part(origin="1.fpage", data=page)) == "text/xml"
    prefixed = b'<w:document xmlns:w="urn:x"><w:body/></w:document>'
    assert detect_type(Part(origin="d", data=prefixed)) == "text/xml"
    # A note that only mentions a tag is still plain text.
    note = b"<b> means bold, see the xmlns=... attribute in chapter 2\n"
    assert detect_type(Part(origin="n", data=note)) == "text/plain"


def test_names_within_one_family_are_no_mismatch():
    # LibreOffice's .docm without macros is built (and typed) like a .docx; an EPUB page
    # named .xhtml is typed text/xml. A .docx named .xml is still noted.
    docm = scan(docx_bytes("Quarterly figures"), "report.docm")
    assert [h.rule for h in docm.hits] == []
    page = scan(b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml">'
                b"<body><p>Hello</p></body></html>", "page.xhtml")
    assert [h.rule for h in page.hits if h.rule.startswith("filetype")] == []
    renamed = scan(docx_bytes("Quarterly figures"), "report.xml")
    assert [h.rule for h in renamed.hits] == ["filetype.mismatch"]


SCRIPT = b"#!/usr/bin/env bash\n# Build the report.\nset -eu\nfor f in *.txt; do\n  wc -l \"$f\"\ndone\n"


def test_a_script_named_for_its_language_gives_no_filetype_hit():
    for name in ("build.sh", "build.csh", "build.tcl", "notes.tex", "data.json"):
        verdict = scan(SCRIPT, name)
        assert not [h for h in verdict.hits if h.rule.startswith("filetype.")], name


def test_the_machines_mime_types_do_not_change_an_items_answer():
    # mimetypes reads the machine's tables on its first guess anywhere in the process
    # (zip and S/MIME extraction guess); a later item must be judged as an earlier one.
    import mimetypes

    before = [scan(docx_bytes("x"), name).hits for name in ("a.txt", "a.sh", "a.docx")]
    mimetypes.add_type("application/x-redline-test", ".txt")
    mimetypes.add_type("image/png", ".docx")
    try:
        after = [scan(docx_bytes("x"), name).hits for name in ("a.txt", "a.sh", "a.docx")]
    finally:
        mimetypes.init()
    assert [[h.rule for h in hits] for hits in after] == [[h.rule for h in hits] for hits in before]
    assert "filetype.disguised" in [h.rule for h in after[0]]
