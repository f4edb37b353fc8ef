"""Damaged copies of marked documents are held (a hit or a policy hit), never passed.

Bit flips and truncations are seeded, so every run tries the same variants. PDFium reads
around much damage silently; filters/extract/pdf_damage.py checks the file's own
structure so that such a copy is reported (extract.damaged).
"""

from __future__ import annotations

import io
import random
import subprocess
import sys
from pathlib import Path

import pytest

from filters.build import build_pipeline
from filters.extract.pdf_damage import a85decode, inspect
from filters.types import Part

MARKING = "TOP SECRET//NOFORN"
PROSE = "The plan for the northern depot is as follows. " * 3


def marked_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pageCompression=1)
    page.drawString(72, 800, MARKING)
    page.drawString(72, 700, PROSE)
    page.showPage()
    page.save()
    return buffer.getvalue()


def marked_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(MARKING)
    for _ in range(10):
        document.add_paragraph(PROSE)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def marked_xlsx() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"] = MARKING
    book.active["A2"] = "Depot plan"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def variants(data: bytes, seed: int, count: int = 40) -> list[bytes]:
    """``count`` damaged copies: three flipped bits each, every fourth one truncated."""
    rnd = random.Random(seed)
    out = []
    for number in range(count):
        copy = bytearray(data)
        if number % 4 == 3:
            copy = copy[:rnd.randrange(len(copy) // 4, len(copy))]
        else:
            for _ in range(3):
                at = rnd.randrange(len(copy))
                copy[at] ^= 1 << rnd.randrange(8)
        out.append(bytes(copy))
    return out


@pytest.fixture(scope="module")
def pipeline():
    return build_pipeline()


@pytest.mark.parametrize(("name", "make"), [("plan.pdf", marked_pdf), ("plan.docx", marked_docx),
                                            ("plan.xlsx", marked_xlsx)])
def test_damaged_copies_of_a_marked_document_are_never_passed(pipeline, name, make):
    original = make()
    assert pipeline.scan(Part(origin=name, data=original, name=name)).action != "pass"
    passed = []
    for number, copy in enumerate(variants(original, seed=len(name))):
        verdict = pipeline.scan(Part(origin=name, data=copy, name=name))
        if verdict.action == "pass":
            passed.append(number)
    # A flip can land where it changes nothing a reader sees (an ID, a date): then the
    # marking is still read and held. What may not happen is a silent pass of many.
    assert len(passed) <= 2, f"damaged copies passed silently: {passed}"


def test_a_corrupt_content_stream_is_reported_even_where_pdfium_reads_on(pipeline):
    original = marked_pdf()
    start = original.index(b"stream\n") + len(b"stream\n")
    copy = bytearray(original)
    copy[start + 20] ^= 0x55  # inside the compressed page content
    verdict = pipeline.scan(Part(origin="plan.pdf", data=bytes(copy), name="plan.pdf"))
    rules = [h.rule for h in verdict.hits]
    assert "extract.damaged" in rules and verdict.action != "pass"


def test_ascii85_decodes_as_the_standard_library_does_whole_or_damaged():
    # The damage check's own decoder (a whole array at a time) must agree with
    # base64.a85decode on every stream: whole ones, zero groups ("z"), a last short
    # group, and streams with a byte dropped, changed or cut off.
    import base64

    rng = random.Random(85)
    for _ in range(2000):
        data = bytes(rng.choice((0, rng.getrandbits(8))) for _ in range(rng.randint(0, 60)))
        text = bytearray(base64.a85encode(data))
        damage = rng.random()
        if damage < 0.25 and text:
            del text[rng.randrange(len(text))]
        elif damage < 0.5 and text:
            text[rng.randrange(len(text))] = rng.choice(b"!uz~yvx\x7f\x00 ")
        elif damage < 0.75:
            text = text[:rng.randint(0, len(text))]
        text = bytes(b for b in text if b not in b" ~")
        try:
            expected: bytes | None = base64.a85decode(text)
        except ValueError:
            expected = None
        try:
            got: bytes | None = a85decode(text)
        except ValueError:
            got = None
        assert got == expected, text


def test_a_moved_cross_reference_entry_is_reported():
    original = marked_pdf()
    table = original.index(b"xref\n")
    entry = original.index(b" 00000 n", table) - 1  # last digit of the first entry
    copy = bytearray(original)
    copy[entry] = ord("0") + (copy[entry] - ord("0") + 3) % 10
    assert "wrong place" in (inspect(bytes(copy)).damage or "")


def test_whole_pdfs_from_real_programs_are_not_called_damaged():
    # LibreOffice's PDFs among the fixtures, and every PDF installed on this machine
    # (Debian documentation, files that Python packages ship).
    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "real"
    found = subprocess.run(["find", "/usr", sys.prefix, "-name", "*.pdf"], capture_output=True,
                           text=True, timeout=120).stdout.split()
    paths = sorted(fixtures.glob("*.pdf")) + [Path(p) for p in found]
    assert len(paths) >= 20
    damaged = [str(path) for path in paths if inspect(path).damage]
    assert not damaged
