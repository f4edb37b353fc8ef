"""Documents made by real software (LibreOffice, Chromium) are caught where they carry a
marking, with the hit naming the part it sits in, and their clean counterparts pass.

The files are committed under tests/fixtures/real/ (made by its make.sh; its README
lists each one). The tests read them through the real pipeline and need neither program.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from filters.build import build_pipeline
from filters.types import Part, Verdict

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"

# A .doc or .ppt written by LibreOffice has no class id that libmagic knows, so it is
# typed as a generic compound file: a low-severity note that never holds an item alone.
ALLOWED_POLICY = {"filetype.mismatch"}

# Expected hits per file: (category, where below the file). "" is the file itself (the
# body of an RTF, for one). A file that is not listed anywhere here must pass.
Expected = tuple[tuple[str, str], ...]


def _writer(docx: str, doc: str, rtf: str, odt: str, pdf: str | None,
            category: str) -> dict[str, Expected]:
    """The same marking in each Writer export, with the part it lands in per format."""
    out = {"docx": docx, "doc": doc, "rtf": rtf, "odt": odt, "pdf": pdf}
    return {ext: ((category, where),) for ext, where in out.items() if where is not None}


def _by_format(name: str, table: dict[str, Expected]) -> dict[str, Expected]:
    return {f"{name}.{ext}": hits for ext, hits in table.items()}


COMMENTS_STATE = ("draft", "#state")  # redline:comments / redline:tracked_changes

EXPECTED: dict[str, Expected] = {
    # -- Writer: .fodt sources -> docx, doc, rtf, odt, pdf
    **_by_format("w-header-en", _writer(
        "word/header1.xml", "WordDocument#headers", "#header", "styles.xml#header",
        "page[1]#header", "classification")),
    # A .doc keeps headers and footers in one "header document" story.
    **_by_format("w-footer-zh", _writer(
        "word/footer1.xml", "WordDocument#headers", "#footer", "styles.xml#footer",
        "page[1]#footer", "classification")),
    **_by_format("w-header-zh", _writer(
        "word/header1.xml", "WordDocument#headers", "#header", "styles.xml#header",
        "page[1]#header", "classification")),
    **_by_format("w-frame-en", _writer(
        "word/document.xml", "WordDocument#textboxes", "", "content.xml", "page[1]",
        "draft")),
    **_by_format("w-table-es", _writer(
        "word/document.xml", "WordDocument", "", "content.xml", "page[1]",
        "classification")),
    **_by_format("w-table-zh", _writer(
        "word/document.xml", "WordDocument", "", "content.xml", "page[1]",
        "classification")),
    **_by_format("w-footnote-zh", _writer(
        "word/footnotes.xml", "WordDocument#footnotes", "#notes", "content.xml#notes",
        "page[1]", "draft")),
    # The PDF draws the Fontwork as one pale, turned path of outlines: rendered and read.
    **_by_format("w-watermark-en", _writer(
        "word/header1.xml", "WordDocument#header-drawings", "#header", "styles.xml#header",
        "page[1]/outlines#ocr", "draft")),
    **{name: (*hits, COMMENTS_STATE) if not name.endswith(".pdf") else hits
       for name, hits in _by_format("w-comment-en", _writer(
           "word/comments.xml", "WordDocument#comments", "#comments", "content.xml#comments",
           "page[1]#annotations", "classification")).items()},
    **{f"w-tracked-en.{ext}": (COMMENTS_STATE,) for ext in ("docx", "doc", "rtf", "odt")},
    **{f"w-title-en.{ext}": (("classification", title),) for ext, title in (
        ("docx", "docProps/core.xml#title"), ("doc", "#summary.title"), ("rtf", "info#title"),
        ("odt", "meta.xml#title"), ("pdf", "#info.Title"))},
    **{f"w-properties-es.{ext}": (("classification", subject), ("draft", title))
       for ext, subject, title in (
           ("docx", "docProps/core.xml#subject", "docProps/core.xml#title"),
           ("doc", "#summary.subject", "#summary.title"),
           ("rtf", "info#subject", "info#title"),
           ("odt", "meta.xml#subject", "meta.xml#title"),
           ("pdf", "#info.Subject", "#info.Title"))},
    # -- Calc: .fods sources -> xlsx, xls, ods, pdf
    **_by_format("c-cell-en", {
        "xlsx": (("classification", "xl/sharedStrings.xml"),),
        "xls": (("classification", "Workbook/sheet[1]"),),
        "ods": (("classification", "content.xml"),),
        "pdf": (("classification", "page[1]"),)}),
    **_by_format("c-cell-zh", {
        "xlsx": (("draft", "xl/sharedStrings.xml"),),
        "xls": (("draft", "Workbook/sheet[1]"),),
        "ods": (("draft", "content.xml"),),
        "pdf": (("draft", "page[1]"),)}),
    **_by_format("c-table-zh", {
        "xlsx": (("classification", "xl/sharedStrings.xml"),),
        "xls": (("classification", "Workbook/sheet[1]"),),
        "ods": (("classification", "content.xml"),),
        "pdf": (("classification", "page[1]"),)}),
    **_by_format("c-header-en", {
        "xlsx": (("classification", "xl/worksheets/sheet1.xml#header"),),
        "xls": (("classification", "Workbook/sheet[1]#header"),),
        "ods": (("classification", "styles.xml#header"),),
        "pdf": (("classification", "page[1]#header"),)}),
    **_by_format("c-footer-zh", {
        "xlsx": (("classification", "xl/worksheets/sheet1.xml#footer"),),
        "xls": (("classification", "Workbook/sheet[1]#footer"),),
        "ods": (("classification", "styles.xml#footer"),),
        "pdf": (("classification", "page[1]#footer"),)}),
    # Calc prints no comments: its PDF carries no marking and passes. A Calc comment is a
    # cell note, a lasting annotation, in every format it saves (xlsx writes it as an
    # Excel note): no workbook is a draft for it.
    **_by_format("c-comment-en", {
        "xlsx": (("classification", "xl/comments1.xml"),),
        "xls": (("classification", "Workbook/sheet[1]#comments"),),
        "ods": (("classification", "content.xml#comments"),)}),
    # -- Impress: .fodp sources -> pptx, ppt (gzip-compressed), odp, pdf (notes pages after
    # the slides)
    **_by_format("p-footer-en", {
        "pptx": (("classification", "ppt/slides/slide1.xml#footer"),),
        "ppt": (("classification", "PowerPoint Document#footers"),),
        "odp": (("classification", "content.xml#footer"),),
        "pdf": (("classification", "page[1]#footer"),)}),
    **{name: hits for stem in ("p-notes-en", "p-notes-zh") for name, hits in _by_format(stem, {
        "pptx": (("draft", "ppt/notesSlides/notesSlide1.xml"),),
        "ppt": (("draft", "PowerPoint Document#notes"),),
        "odp": (("draft", "content.xml#notes"),),
        "pdf": (("draft", "page[2]"),)}).items()},
    **_by_format("p-textbox-es", {
        "pptx": (("classification", "ppt/slides/slide1.xml"),),
        "ppt": (("classification", "PowerPoint Document"),),
        "odp": (("classification", "content.xml"),),
        "pdf": (("classification", "page[1]"),)}),
    **_by_format("p-wordart-en", {
        "pptx": (("draft", "ppt/slides/slide1.xml"),),
        "ppt": (("draft", "PowerPoint Document"),),
        "odp": (("draft", "content.xml"),)}),
    # -- Chromium: HTML sources printed to PDF; the HTML sources themselves
    "h-banner-en.pdf": (("classification", "page[1]#header"),
                        ("classification", "page[1]#footer")),
    "h-banner-zh.pdf": (("classification", "page[1]#header"),),
    "src/h-banner-en.html": (("classification", "#css-content"),),
    "src/h-banner-zh.html": (("classification", ""),),
    # a bordered table whose row "Clasificación | CONFIDENCIAL" keeps the level in its own cell
    "h-table-es.pdf": (("classification", "page[1]"),),
    "src/h-table-es.html": (("classification", ""),),
    # a #ddd TOP SECRET turned -35 degrees behind the body (CSS transform)
    "h-watermark-en.pdf": (("classification", "page[1]"), ("classification", "page[1]#rotated")),
    "src/h-watermark-en.html": (("classification", ""),),
}

# LibreOffice 7.4 exported this Fontwork shape as an empty filled box: the PDF carries no
# DRAFT at all, neither as text nor as outlines (rendered, the page shows none), so there
# is nothing to read. Kept to show it; the test fails loudly if it is ever caught.
KNOWN_MISSES = {
    "p-wordart-en.pdf": "the Fontwork shape is exported as an empty box: no DRAFT in the PDF",
}

DOCUMENT_SUFFIXES = {".docx", ".doc", ".rtf", ".odt", ".pdf", ".xlsx", ".xls", ".ods",
                     ".pptx", ".gz", ".odp"}
FILES = sorted([p.relative_to(REAL).as_posix() for p in REAL.iterdir()
                if p.suffix in DOCUMENT_SUFFIXES]
               + [f"src/{p.name}" for p in (REAL / "src").glob("h-*.html")])
MARKED = sorted(set(EXPECTED) | set(KNOWN_MISSES))
CLEAN = [name for name in FILES if name.removesuffix(".gz") not in MARKED]


@pytest.fixture(scope="module")
def pipeline():
    return build_pipeline()


def scan(pipeline, name: str) -> tuple[str, Verdict]:
    """(file name as scanned, verdict); a .ppt.gz is inflated and scanned as the .ppt."""
    path = REAL / name
    if path.suffix == ".gz":
        inner = path.name.removesuffix(".gz")
        data = gzip.decompress(path.read_bytes())
        return inner, pipeline.scan(Part(origin=inner, data=data, name=inner))
    return path.name, pipeline.scan_file(path, origin=path.name)


def _found(verdict: Verdict) -> set[tuple[str, str]]:
    return {(h.category, h.where) for h in verdict.hits if h.category != "policy"}


def _unexpected_policy(verdict: Verdict) -> list[str]:
    return [f"{h.rule}: {h.excerpt}" for h in verdict.hits
            if h.category == "policy" and h.rule not in ALLOWED_POLICY]


def test_every_committed_document_is_listed_in_the_readme():
    readme = (REAL / "README.md").read_text(encoding="utf-8")
    stems = {Path(name).name.split(".", 1)[0] for name in FILES}
    missing = sorted(stem for stem in stems if f"`{stem}`" not in readme)
    assert not missing, f"add these to the table in tests/fixtures/real/README.md: {missing}"


def test_every_expected_file_is_committed():
    on_disk = {name.removesuffix(".gz") for name in FILES}
    assert sorted(set(MARKED) - on_disk) == []


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_marked_document_is_held_with_the_hit_in_its_part(pipeline, name):
    committed = name if (REAL / name).exists() else name + ".gz"
    scanned, verdict = scan(pipeline, committed)
    assert not _unexpected_policy(verdict)
    assert verdict.action != "pass", f"{name} passed; hits: {_found(verdict)}"
    found = _found(verdict)
    for category, where in EXPECTED[name]:
        full = f"{scanned}/{where}" if where else scanned
        assert (category, full) in found, f"no {category} hit in {full}; hits: {sorted(found)}"
    assert {c for c, _ in found} == {c for c, _ in EXPECTED[name]}


@pytest.mark.parametrize("name", CLEAN)
def test_clean_document_passes(pipeline, name):
    _, verdict = scan(pipeline, name)
    assert not _unexpected_policy(verdict)
    assert verdict.action == "pass", f"{name} was held: {sorted(_found(verdict))}"
    assert not _found(verdict)


@pytest.mark.parametrize("name", sorted(KNOWN_MISSES))
def test_fontwork_left_out_of_a_pdf_is_a_known_miss(pipeline, name):
    _, verdict = scan(pipeline, name)
    if verdict.action != "pass":
        pytest.fail(f"{name} is caught now ({sorted(_found(verdict))}): move it to EXPECTED")
    pytest.xfail(KNOWN_MISSES[name])
