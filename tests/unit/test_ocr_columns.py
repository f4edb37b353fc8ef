"""Scanned tables and forms keep their cells apart, and a pale watermark slanted behind a
page with a bold heading is read.

OCR gives a table row as one line; a marking alone in its cell must not read as part of a
sentence ("Classification CONFIDENCIAL"), while ordinary cells that happen to start with
a marking word ("Confidential client list not included") still pass. The pages are those
LibreOffice and Chromium wrote (tests/fixtures/real), rasterised as a scanner or a PDF
printer's image-only copy would give them.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import require_peer

from filters.ocr import _line_text
from filters.ocr_columns import aligned_cuts, column_cuts
from filters.types import Part, Verdict
from tests.fixtures import images as pictures


@pytest.fixture(autouse=True)
def _fonts():
    require_peer(pictures.fonts_missing())


@pytest.fixture(scope="module")
def pipeline():
    return pictures.ocr_pipeline()


def scan_png(pipeline, name: str, dpi: int) -> Verdict:
    page = pictures.scanned(pictures.rasterise(pictures.REAL / f"{name}.pdf", dpi=dpi))
    return pipeline.scan(Part(origin="scan.png", data=pictures.encode(page, "PNG"), name="scan.png"))


def classification(verdict: Verdict) -> list[str]:
    return [h.excerpt for h in verdict.hits if h.category == "classification"]


# -- the words of a line and the gaps between them --------------------------------------


def test_word_spaces_are_spaces_and_a_gap_as_wide_as_the_text_is_tall_is_a_break():
    # 17 px tall words 7 px apart, then a 289 px jump to the next cell (LibreOffice table, 150 dpi).
    boxes = [(125, 116, 119, 17), (251, 117, 26, 17), (285, 122, 53, 12), (627, 121, 173, 17)]
    cuts, rules = column_cuts(boxes, ["Clasificación", "del", "anexo", "CONFIDENCIAL"])
    assert cuts == [False, False, False, True] and not any(rules)


def test_chinese_characters_without_spaces_are_not_parted_but_cells_are():
    # 张伟 | 财务部 | 内部资料 as Calc prints it: 8-11 px between characters, 70-94 between cells.
    boxes = [(125, 27, 19, 20), (155, 27, 10, 20), (259, 28, 39, 20), (306, 28, 14, 21),
             (392, 29, 18, 20), (417, 29, 27, 20), (443, 25, 31, 34)]
    cuts, _ = column_cuts(boxes, ["张", "伟", "财务", "部", "内", "部", "资料"])
    assert cuts == [False, False, True, False, True, False, False]


def ruled_line(rule_height: int) -> np.ndarray:
    """A 100 x 300 px strip of paper with an upright stroke at x=150 from row 50 - h/2."""
    pixels = np.full((100, 300), 240, dtype=np.uint8)
    top = 50 - rule_height // 2
    pixels[top:top + rule_height, 150:152] = 90
    return pixels


def test_a_narrow_gap_crossed_by_a_table_rule_is_a_break_and_one_crossed_by_a_letter_is_not():
    # Words 20 px tall (rows 40-60) with 16 px between them: a word space's width or so.
    boxes = [(40, 40, 102, 20), (158, 40, 100, 20)]
    assert column_cuts(boxes, ["Classification", "CONFIDENTIAL"], ruled_line(60))[0] == [False, True]
    # An l or a bracket between them reaches little beyond the line's words.
    assert column_cuts(boxes, ["Classification", "CONFIDENTIAL"], ruled_line(24))[0] == [False, False]
    assert column_cuts(boxes, ["Classification", "CONFIDENTIAL"], ruled_line(0))[0] == [False, False]


def test_grain_on_a_photographed_page_is_no_rule():
    rng = np.random.default_rng(3)
    pixels = np.clip(rng.normal(230, 9, (100, 300)), 0, 255).astype(np.uint8)
    boxes = [(40, 40, 102, 20), (158, 40, 100, 20)]
    assert column_cuts(boxes, ["Secret", "Santa"], pixels)[0] == [False, False]


def test_a_rule_read_as_a_tall_bar_is_a_break_not_a_word():
    boxes = [(40, 40, 102, 20), (150, 20, 2, 60), (158, 40, 100, 20)]
    cuts, rules = column_cuts(boxes, ["Classification", "|", "CONFIDENTIAL"])
    assert rules == [False, True, False] and cuts[2]
    # An I read as | at the height of the words is a word (a letter), not a rule.
    assert column_cuts([(40, 40, 10, 20), (58, 40, 60, 20)], ["|", "have"])[1] == [False, False]


def test_a_break_is_a_tab_and_survives_an_unsure_word_dropped_at_it():
    words = [("Classification", 96.0), ("~", 20.0), ("CONFIDENTIAL", 95.0)]
    assert _line_text(words, 50, [False, True, False]) == "Classification\tCONFIDENTIAL"
    assert _line_text(words, 50, [False, False, True]) == "Classification\tCONFIDENTIAL"
    assert _line_text(words, 50) == "Classification CONFIDENTIAL"
    # Chinese characters lose Tesseract's spaces, not the break between cells.
    chinese = [("财务", 95.0), ("部", 96.0), ("内", 96.0), ("部", 96.0), ("资料", 78.0)]
    assert _line_text(chinese, 50, [False, False, True, False, False]) == "财务部\t内部资料"


# A form as a borderless table (label | value), read from a 150 dpi copy of a scanned
# page Chromium printed: the widest label's row leaves 17 px before its value, the other
# rows 90 px or more.
FORM = [
    [(186, 695, 77, 18), (413, 697, 13, 22), (436, 697, 99, 18)],  # Author | J. Whitfield
    [(187, 737, 148, 19), (347, 738, 50, 18), (414, 739, 45, 18), (468, 739, 89, 18)],
    [(187, 780, 65, 22), (416, 781, 25, 17)],  # Pages | 12
    [(183, 816, 134, 32), (416, 822, 63, 18), (490, 823, 105, 18)],  # Distribution | Board members
    [(187, 859, 136, 31), (415, 864, 85, 18)],  # Department | Finance
]
FORM_WORDS = [["Author", "J.", "Whitfield"], ["Classification", "level", "TOP", "SECRET"],
              ["Pages", "12"], ["Distribution", "Board", "members"], ["Department", "Finance"]]


def form_cuts(lines):
    return aligned_cuts(lines, [column_cuts(boxes, words)[0]
                                for boxes, words in zip(lines, FORM_WORDS, strict=True)])


def test_a_borderless_tables_narrow_gap_is_a_break_where_its_column_starts_in_other_rows():
    cuts = form_cuts(FORM)
    assert cuts[1] == [False, False, True, False]  # Classification level | TOP SECRET
    assert cuts[0] == [False, True, False] and cuts[3] == [False, True, False]


def test_one_row_aligned_by_chance_or_rows_far_off_start_no_column():
    # With only one other row starting the column, a word there is no cell.
    assert form_cuts([FORM[0], FORM[1], [], [], []])[1] == [False, False, False, False]
    # Prose far below the form: the rows are no neighbours of its words.
    far = [[(x, y + 400, w, h) for x, y, w, h in line] if i == 1 else line
           for i, line in enumerate(FORM)]
    assert form_cuts(far)[1] == [False, False, False, False]
    # A word that starts off the column by more than a glyph's side bearing.
    off = [line if i != 1 else [*line[:2], (404, 739, 45, 18), (458, 739, 89, 18)]
           for i, line in enumerate(FORM)]
    assert form_cuts(off)[1] == [False, False, False, False]


def test_a_row_parted_by_tesseract_into_two_lines_starts_a_column():
    # Author and J. Whitfield read as two lines level with each other.
    lines = [FORM[0][:1], FORM[0][1:], *FORM[1:]]
    words = [["Author"], ["J.", "Whitfield"], *FORM_WORDS[1:]]
    cuts = aligned_cuts(lines, [column_cuts(b, w)[0] for b, w in zip(lines, words, strict=True)])
    assert cuts[2] == [False, False, True, False]


# -- scanned pages of real documents -----------------------------------------------------


@pytest.mark.parametrize("dpi", [150, 300])
@pytest.mark.parametrize("name, level", [
    ("w-table-es", "CONFIDENCIAL"),  # LibreOffice Writer: a label cell, then the level
    ("c-table-zh", "内部资料"),  # LibreOffice Calc: 张伟 | 财务部 | 内部资料
    ("h-table-es", "CONFIDENCIAL"),  # Chromium: 1 px border, 4 px padding
])
def test_a_marking_in_its_own_table_cell_of_a_scan_is_held(pipeline, name, level, dpi):
    verdict = scan_png(pipeline, name, dpi)
    assert verdict.action == "quarantine"
    assert any(level in excerpt for excerpt in classification(verdict)), verdict.hits


@pytest.mark.parametrize("dpi", [150, 300])
@pytest.mark.parametrize("name", ["h-table-clean", "c-clean"])
def test_a_scanned_table_of_ordinary_cells_passes(pipeline, name, dpi):
    # Confidential client list not included, Secret Santa on 18 December, Top Secret
    # Recipe burger, Draft beer, a disclaimer cell.
    verdict = scan_png(pipeline, name, dpi)
    assert verdict.action == "pass", [(h.rule, h.excerpt) for h in verdict.hits]


@pytest.mark.parametrize("dpi, scanner", [(150, False), (150, True), (200, True), (300, True)])
def test_a_pale_slanted_watermark_under_a_bold_heading_is_read(pipeline, dpi, scanner):
    # Chromium's page rasterised as an image-only PDF, as a PDF printer's or a scanner's
    # copy of it. The bold heading, level, outweighed the watermark's slant; at 200 dpi a
    # scanner's grain pitted the pale strokes (#ddd) into pieces.
    page = pictures.rasterise(pictures.REAL / "h-watermark-en.pdf", dpi=dpi)
    if scanner:
        page = pictures.scanned(page)
    data = pictures.image_pdf([page], dpi=dpi)
    verdict = pipeline.scan(Part(origin="review.pdf", data=data, name="review.pdf"))
    assert verdict.action == "quarantine"
    assert any("SECRET" in excerpt for excerpt in classification(verdict)), verdict.hits


# -- borderless tables, as reportlab lays them out -----------------------------------------


def borderless_table_page(rows: list[tuple[str, str]], padding: float) -> bytes:
    """A one-page PDF (reportlab): a heading, a paragraph, a table of ``rows`` without
    rules whose cells have ``padding`` points each side (a browser's default table has
    about 1.5), and a paragraph under it."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    styles = getSampleStyleSheet()
    out = io.BytesIO()
    table = Table(rows, hAlign="LEFT")
    table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), padding),
                               ("RIGHTPADDING", (0, 0), (-1, -1), padding),
                               ("FONTSIZE", (0, 0), (-1, -1), 11)]))
    SimpleDocTemplate(out, pagesize=A4).build([
        Paragraph("Shipment review - northern depot", styles["Heading1"]),
        Paragraph("The figures below were agreed at Tuesday's meeting; the secretary will "
                  "circulate the minutes by Friday.", styles["BodyText"]),
        table,
        Paragraph("Please confirm the invoice number before payment. The secret to a good "
                  "sourdough is patience.", styles["BodyText"]),
    ])
    return out.getvalue()


def scan_pdf(pipeline, pdf: bytes, dpi: int, seed: int) -> Verdict:
    page = pictures.scanned(pictures.rasterise(pdf, dpi=dpi), seed=seed)
    data = pictures.image_pdf([page], dpi=dpi)
    return pipeline.scan(Part(origin="scan.pdf", data=data, name="scan.pdf"))


FORM_ROWS = [("Document no.", "ACM-2026-0413"), ("Author", "J. Whitfield"),
             ("Security classification", "CONFIDENTIAL"), ("Date", "14 March 2026"),
             ("Distribution", "Board members")]
ORDINARY_ROWS = [("Secret Santa", "18 December"), ("Draft beer", "4.50"),
                 ("Top Secret Recipe burger", "12.90"), ("Speech, first draft", "sent to Anna"),
                 ("Confidential helpline", "0800 123 456")]


@pytest.mark.parametrize("dpi, seed", [(200, 1), (300, 2)])
def test_a_marking_in_a_borderless_tables_narrow_cell_is_held(pipeline, dpi, seed):
    # 1.5 pt each side: 3 pt between the widest label and its value, under a word space
    # of 11 pt type; the other rows' values start in the same column.
    verdict = scan_pdf(pipeline, borderless_table_page(FORM_ROWS, 1.5), dpi, seed)
    assert verdict.action == "quarantine"
    assert any("CONFIDENTIAL" in excerpt for excerpt in classification(verdict)), verdict.hits


@pytest.mark.parametrize("dpi, seed", [(200, 1), (300, 2)])
def test_a_borderless_table_of_ordinary_cells_passes(pipeline, dpi, seed):
    verdict = scan_pdf(pipeline, borderless_table_page(ORDINARY_ROWS, 1.5), dpi, seed)
    assert verdict.action == "pass", [(h.rule, h.excerpt) for h in verdict.hits]
