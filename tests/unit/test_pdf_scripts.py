"""The JavaScript a PDF runs is read as text: a /JS string (literal with its escapes, or
hexadecimal), a /JS stream (Flate), a /JS inside a compressed object stream; a form's
number formatting script passes."""

from __future__ import annotations

import zlib

import pytest

from filters.extract import pdf_scripts
from tests.fixtures.pdf_file import pdf_file


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of ``objects`` (numbered from 1, the first the catalog) with its xref table."""
    return pdf_file(objects, header=b"%PDF-1.5\n")


PAGES = [b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
         b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"]
CATALOG = b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>"


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    packed = zlib.compress(data)
    return (b"<< /Length %d /Filter /FlateDecode %s>>\nstream\n" % (len(packed), extra)
            + packed + b"\nendstream")


SCRIPT = b'app.alert("Board (draft)\nA");'
CASES = {
    "literal string with escapes": [
        CATALOG, *PAGES, b"<< /S /JavaScript /JS (app.alert\\(\"Board \\(draft\\)\\n\\101\"\\);) >>"],
    "hexadecimal string": [CATALOG, *PAGES, b"<< /S /JavaScript /JS <" + SCRIPT.hex().encode() + b"> >>"],
    "stream": [CATALOG, *PAGES, b"<< /S /JavaScript /JS 5 0 R >>",
               _stream(b'app.alert("Board (draft)\nA");')],
    "object stream": [CATALOG, *PAGES,
                      _stream(b'4 0 << /S /JavaScript /JS (app.alert\\("Board \\(draft\\)\\nA"\\);) >>',
                              b"/Type /ObjStm /N 1 /First 4 ")],
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_text_of_a_pdfs_javascript_is_read(case):
    assert pdf_scripts.scripts(_pdf(CASES[case])) == ['app.alert("Board (draft)\nA");']


def test_a_utf16_script_is_decoded():
    script = "\ufeffapp.alert('机密');".encode("utf-16-be")
    assert pdf_scripts.scripts(_pdf([CATALOG, *PAGES, b"<< /S /JavaScript /JS <"
                                     + script.hex().encode() + b"> >>"])) == ["app.alert('机密');"]


def test_a_pdf_without_scripts_has_none_and_a_broken_stream_gives_none():
    assert pdf_scripts.scripts(_pdf([CATALOG.replace(b" /OpenAction 4 0 R", b""), *PAGES])) == []
    broken = _pdf([CATALOG, *PAGES, b"<< /S /JavaScript /JS 5 0 R >>",
                   b"<< /Length 9 /Filter /FlateDecode >>\nstream\nnot zlib!\nendstream"])
    assert pdf_scripts.scripts(broken) == []


def test_the_script_is_a_text_part_of_the_pdf(walk):
    document = _pdf([CATALOG, *PAGES, b"<< /S /JavaScript /JS 5 0 R >>",
                     _stream(b'AFNumber_Format(2, 0, 0, 0, "", true); // total of the claim')])
    assert walk(document, name="form.pdf").text_at("form.pdf/#javascript").startswith("AFNumber_Format")
