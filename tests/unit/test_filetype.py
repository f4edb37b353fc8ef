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


def test_the_extension_table_is_pythons_own_without_the_machines_files():
    # Read from mimetypes' defaults, not by MimeTypes() (which reads /etc/mime.types
    # into the global table first): the same table either way.
    import mimetypes

    from filters.engines.filetype import _python_types

    assert _python_types() == mimetypes.MimeTypes().types_map[True]


# -- pages typed without libmagic ------------------------------------------------------

PAGE = (b"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Minutes</title></head>\n"
        b"<body><p>Dear team, the minutes are below.</p></body></html>\n")
OUTLOOK = (b"<html xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:o=\"urn:schemas-microsoft-com:"
           b"office:office\"><head><meta http-equiv=\"Content-Type\" content=\"text/html; "
           b"charset=utf-8\"></head><body lang=\"EN-GB\"><div class=\"WordSection1\"><p "
           b"class=\"MsoNormal\">Hello, see you at ten.</p></div></body></html>")


def libmagic_answer(part: Part, monkeypatch) -> str:
    """What detect_type says when every head goes to libmagic."""
    from filters import detect

    with monkeypatch.context() as patch:
        patch.setattr(detect, "plainly_html", lambda head, declared, name: False)
        return detect.detect_type(part)


def html_parts(data: bytes) -> list[Part]:
    return [Part(origin="body", data=data, declared_type="text/html"),
            Part(origin="page.html", data=data, name="page.html"),
            Part(origin="page.htm", data=data, name="Page.HTM", declared_type="application/octet-stream")]


def test_plain_pages_are_typed_html_as_libmagic_types_them(monkeypatch):
    from filters.detect import HEAD_BYTES, detect_type, plainly_html

    commented = b"  <!-- saved from url=(0014)about:internet -->\r\n" + PAGE
    long_page = PAGE.replace(b"</body>", b"x" * 9000 + b"\x00\x01</body>")  # binary past the head
    for data in (PAGE, OUTLOOK, commented, long_page):
        for part in html_parts(data):
            assert plainly_html(part.head(HEAD_BYTES), part.declared_type, part.name)
            assert detect_type(part) == libmagic_answer(part, monkeypatch) == "text/html"
    # Neither declared nor named HTML: libmagic decides.
    assert not plainly_html(PAGE, "text/plain", "notes.txt")


def test_html_prefix_before_an_archive_document_or_program_goes_to_libmagic(monkeypatch):
    import zipfile

    from filters.detect import HEAD_BYTES, detect_type, plainly_html

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("annex.txt", "TOP SECRET annex")
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
    pdf = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    for payload in (out.getvalue(), docx_bytes("TOP SECRET"), exe, pdf):
        for prefix in (b"<html>\n", PAGE):
            for part in html_parts(prefix + payload):
                assert not plainly_html(part.head(HEAD_BYTES), part.declared_type, part.name)
                assert detect_type(part) == libmagic_answer(part, monkeypatch)


def test_a_marked_docx_behind_an_html_prefix_is_not_passed():
    data = b"<!DOCTYPE html>\n<html><body><p>Agenda</p></body></html>\n" + docx_bytes("TOP SECRET")
    for part in html_parts(data):
        verdict = PIPELINE.scan(part)
        assert verdict.action != "pass", verdict.hits


def test_a_page_with_control_characters_in_its_head_goes_to_libmagic(monkeypatch):
    from filters.detect import HEAD_BYTES, detect_type, plainly_html

    for control in (b"\x00", b"\x01", b"\x08", b"\x7f"):
        data = PAGE.replace(b"Dear", b"De" + control + b"ar")
        for part in html_parts(data):
            assert not plainly_html(part.head(HEAD_BYTES), part.declared_type, part.name)
            assert detect_type(part) == libmagic_answer(part, monkeypatch)


def test_pages_libmagic_would_name_otherwise_go_to_it(monkeypatch):
    """An all-printable old tar header, a PDF, script or a CSV-like first line in the head."""
    from filters.detect import HEAD_BYTES, detect_type, plainly_html

    header = bytearray(b"<html><body>".ljust(100, b"x") + b"0000644 0001750 0001750 00000000012 "
                       b"14530000000 ").ljust(148, b" ") + b" " * 8
    header = header.ljust(512, b"a")
    header[148:156] = b"%06o  " % sum(header)
    tar = bytes(header) + b"<p>hello</p>\n" * 40
    script = b"<html><head><script>module.exports = {a: 1};</script></head><body></body></html>\n"
    csv = b"<html><body>a,b\n<p>c,d</p>\n<p>e,f</p>\n<p>g,h</p>\n"
    pdf_inside = b"<html>\n" + b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
    for data in (tar, script, csv, pdf_inside):
        for part in html_parts(data):
            assert not plainly_html(part.head(HEAD_BYTES), part.declared_type, part.name)
            assert detect_type(part) == libmagic_answer(part, monkeypatch)
    assert detect_type(html_parts(tar)[0]) == "application/x-tar"
    assert detect_type(html_parts(pdf_inside)[0]) == "application/pdf"
    assert detect_type(html_parts(csv)[0]) == "text/csv"
    # Commas on lines of unequal counts are no CSV to libmagic either.
    prose = b"<html><body><p>Dear Ann, dear Bob,</p>\n<p>the minutes, as agreed.</p>\n</body></html>\n"
    assert plainly_html(prose, "text/html", "")
    assert detect_type(html_parts(prose)[0]) == libmagic_answer(html_parts(prose)[0], monkeypatch)
