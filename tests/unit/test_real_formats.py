"""Formats real programs write beyond the common office set: each marked sample is held
with the hit in the part the marking sits in, and each clean one passes.

The files are committed under tests/fixtures/real_formats/ (its README says which program or
specification wrote each one; make.sh regenerates the LibreOffice exports). The tests
read them through the real pipeline and need no office program.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from filters.build import build_pipeline
from filters.types import Verdict

FORMATS = Path(__file__).resolve().parents[1] / "fixtures" / "real_formats"

# A low-severity note that never holds an item alone.
ALLOWED_POLICY = {"filetype.mismatch"}

# file -> the (category, where below the file) hits it must have; "" is the file itself.
EXPECTED: dict[str, tuple[tuple[str, str], ...]] = {
    # EPUB (LibreOffice Writer): a zip of XHTML pages, typed application/epub+zip.
    "w-table-es.epub": (("classification", "OEBPS/sections/section0001.xhtml"),),
    "w-frame-en.epub": (("draft", "OEBPS/sections/section0001.xhtml"),),
    # Word 2003 XML and UOF text (LibreOffice Writer): one XML file whose paragraphs
    # hold runs with nothing between them; CONFI+bold DENCIAL must read as one word.
    "w-table-es-word2003.xml": (("classification", ""),),
    "w-table-es.uot": (("classification", ""),),
    # Calc's HTML export writes a cell comment as a <comment> element inside the cell.
    "c-comment-en.html": (("classification", ""),),
    # The rest of what LibreOffice writes, already read before these tests: templates,
    # macro-enabled and slide-show variants, flat ODF, legacy templates, PDF/A, tagged
    # and hybrid PDF, XHTML, plain text, Excel 2003 XML, UOF spreadsheets, DIF, SYLK.
    "w-table-es.docm": (("classification", "word/document.xml"),),
    "w-table-es.dotx": (("classification", "word/document.xml"),),
    "w-table-es.dot": (("classification", "WordDocument"),),
    "w-table-es.ott": (("classification", "content.xml"),),
    "w-table-es.odm": (("classification", "content.xml"),),
    "w-table-es.fodt": (("classification", ""),),
    # Flat ODF is read like the package: tracked changes are draft state.
    "w-tracked-en.fodt": (("draft", "#state"),),
    "w-table-es.xhtml": (("classification", ""),),
    "w-table-es.txt": (("classification", ""),),
    "w-frame-en-pdfa.pdf": (("draft", "page[1]"),),
    "w-frame-en-pdftagged.pdf": (("draft", "page[1]"),),
    # A hybrid PDF carries its ODF source in the trailer: read as #additional[1].
    "w-frame-en-pdfhybrid.pdf": (("draft", "page[1]"), ("draft", "#additional[1]/content.xml")),
    # The page shows the result of tracked changes; the source still holds them.
    "w-tracked-en-pdfhybrid.pdf": (("draft", "#additional[1]/#state"),),
    "c-cell-en.xlsm": (("classification", "xl/sharedStrings.xml"),),
    "c-cell-en.xltx": (("classification", "xl/sharedStrings.xml"),),
    "c-cell-en.xlt": (("classification", "Workbook/sheet[1]"),),
    "c-cell-en.ots": (("classification", "content.xml"),),
    "c-cell-en.fods": (("classification", ""),),
    "c-cell-en.xhtml": (("classification", ""),),
    "c-cell-en-excel2003.xml": (("classification", ""),),
    "c-cell-en.uos": (("classification", ""),),
    "c-cell-en.csv": (("classification", ""),),
    "c-cell-en.dif": (("classification", ""),),
    "c-cell-en.slk": (("classification", ""),),
    "p-textbox-es.pptm": (("classification", "ppt/slides/slide1.xml"),),
    "p-textbox-es.potx": (("classification", "ppt/slides/slide1.xml"),),
    "p-textbox-es.ppsx": (("classification", "ppt/slides/slide1.xml"),),
    "p-textbox-es.otp": (("classification", "content.xml"),),
    "p-textbox-es.odg": (("classification", "content.xml"),),
    "p-textbox-es.xhtml": (("classification", ""),),
    # Ghostscript's PDF of a PostScript print: a text layer of glyph numbers, so the
    # page is read by OCR.
    "w-header-en-gsps.pdf": (("classification", "page[1]#ocr"),),
    # Written by samples.py from the formats' specifications.
    # XPS and OpenXPS: page text is the UnicodeString attribute of Glyphs elements, one
    # element per run; a page's runs are put back into lines.
    "x-banner-en.xps": (("classification", "Documents/1/Pages/1.fpage"),),
    "x-banner-en.oxps": (("classification", "Documents/1/Pages/1.fpage"),),
    "x-table-es.xps": (("classification", "Documents/1/Pages/1.fpage"),),
    # HWPX: runs of a paragraph in Contents/section0.xml, and the preview text.
    "k-level-ko.hwpx": (("classification", "Contents/section0.xml"),
                        ("classification", "Preview/PrvText.txt")),
    # HWP 5.0: a compound file, sections deflated, text in PARA_TEXT records.
    "k-level-ko.hwp": (("classification", "BodyText/Section0"),
                       ("classification", "PrvText")),
    # Excel binary workbook: BIFF12 records in an OOXML package.
    "b-cell-en.xlsb": (("classification", "xl/sharedStrings.bin"),),
    "b-header-en.xlsb": (("classification", "xl/worksheets/sheet1.bin#header"),),
    # PostScript as a text formatter writes it: literal strings shown.
    "s-banner-en.ps": (("classification", ""),),
    # MHTML as Chromium saves a page; a mail saved as .eml inside a zip.
    "m-banner-en.mhtml": (("classification", "body[1]"),),
    "e-level-zh.zip": (("classification", "saved mail.eml/body[1]"),),
    # iWork: text in snappy-compressed protobuf archives (Index/Document.iwa).
    "i-level-es.pages": (("classification", "Index/Document.iwa"),),
    "i-level-es.numbers": (("classification", "Index/Document.iwa"),),
    "i-level-es.key": (("classification", "Index/Document.iwa"),),
}

CLEAN = (
    "w-clean-en.epub", "w-clean-zh.epub",
    "w-clean-en-word2003.xml", "w-clean-zh.uot",
    "c-clean.html", "w-clean-en-gsps.pdf",
    "w-clean-en.docm", "w-clean-en.dotx", "w-clean-en.dot", "w-clean-en.ott", "w-clean-en.odm",
    "w-clean-en.fodt", "w-clean-en.xhtml", "w-clean-en.txt", "w-clean-en-pdfa.pdf",
    "w-clean-en-pdftagged.pdf", "w-clean-en-pdfhybrid.pdf",
    "c-clean.xlsm", "c-clean.xltx", "c-clean.xlt", "c-clean.ots", "c-clean.fods",
    "c-clean.xhtml", "c-clean-excel2003.xml", "c-clean.uos", "c-clean.csv", "c-clean.dif",
    "c-clean.slk",
    "p-clean.pptm", "p-clean.potx", "p-clean.ppsx", "p-clean.otp", "p-clean.odg",
    "p-clean.xhtml",
    "x-clean-en.xps", "x-clean-en.oxps", "k-clean-ko.hwpx", "k-clean-ko.hwp",
    "b-clean-en.xlsb", "m-clean-en.mhtml", "s-clean-en.ps",
    "e-clean-zh.zip", "i-clean-es.pages", "i-clean-es.numbers", "i-clean-es.key",
)


@pytest.fixture(scope="module")
def pipeline():
    return build_pipeline()


def _found(verdict: Verdict) -> set[tuple[str, str]]:
    return {(h.category, h.where) for h in verdict.hits if h.category != "policy"}


def _unexpected_policy(verdict: Verdict) -> list[str]:
    return [f"{h.rule}: {h.excerpt}" for h in verdict.hits
            if h.category == "policy" and h.rule not in ALLOWED_POLICY]


def test_every_committed_sample_is_tested_and_listed_in_the_readme():
    on_disk = {p.name for p in FORMATS.iterdir()
               if p.is_file() and p.suffix not in (".sh", ".md", ".py")}
    assert sorted(on_disk - set(EXPECTED) - set(CLEAN)) == []
    assert sorted((set(EXPECTED) | set(CLEAN)) - on_disk) == []
    readme = (FORMATS / "README.md").read_text(encoding="utf-8")
    # Listed by full name, or by stem in a row that names its formats.
    assert [name for name in sorted(on_disk) if f"`{name}`" not in readme
            and f"`{name.split('.', 1)[0]}`" not in readme] == []


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_marked_sample_is_held_with_the_hit_in_its_part(pipeline, name):
    verdict = pipeline.scan_file(FORMATS / name, origin=name)
    assert not _unexpected_policy(verdict)
    assert verdict.action != "pass", f"{name} passed"
    found = _found(verdict)
    for category, where in EXPECTED[name]:
        full = f"{name}/{where}" if where else name
        assert (category, full) in found, f"no {category} hit in {full}; hits: {sorted(found)}"


@pytest.mark.parametrize("name", CLEAN)
def test_clean_sample_passes(pipeline, name):
    verdict = pipeline.scan_file(FORMATS / name, origin=name)
    assert not _unexpected_policy(verdict)
    assert verdict.action == "pass", f"{name} was held: {sorted(_found(verdict))}"
    assert not _found(verdict)
