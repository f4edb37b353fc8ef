"""Numbers in spreadsheet cells read as identifier digits (filters/extract/cells.py), and
the workbooks whose numeric cells now reach the personal-data engine."""

from __future__ import annotations

import datetime
import io
import random

import pytest

from filters.build import build_pipeline
from filters.extract.cells import integer_digits
from tests.fixtures import personal as data

TODAY = datetime.date.today()


@pytest.mark.parametrize(("value", "digits"), [
    ("4111111111111111", "4111111111111111"),
    ("13800138000.0", "13800138000"),
    ("1.10105194912311E+17", "110105194912311000"),  # what Excel shows: lost digits are 0
    ("1234567", "1234567"),
    (4111111111111.0, "4111111111111"),
    ("123456", ""),  # six digits: no identifier is that short
    ("3.14", ""), ("1234567.5", ""), ("-0.000001", ""),
    ("1E+300", ""), ("NaN", ""), ("Infinity", ""), ("", ""), ("12 345 678", ""),
    (float("nan"), ""), (float("inf"), ""), (2.5e7 + 0.5, ""), (True, ""), (None, ""),
])
def test_only_whole_numbers_of_identifier_size_are_read(value, digits):
    assert integer_digits(value) == digits


def _workbook(rows: list[list[object]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _personal(verdict) -> set[str]:
    return {h.rule for h in verdict.hits if h.category == "personal"}


def test_card_and_id_numbers_stored_as_numbers_in_xlsx_are_found():
    rng = random.Random(301)
    cards = [int(data.card_number(rng, "visa")) for _ in range(8)]
    people = data.chinese_people(rng, 12, TODAY)
    book = _workbook([["Cliente", "Importe", "Ref"]]
                     + [[f"c{i}", 12.5 * i, card] for i, card in enumerate(cards)]
                     + [[p.name, 3, int(p.id_number)] for p in people if p.id_number[-1] != "X"])
    verdict = build_pipeline().scan_bytes(book, origin="book.xlsx")
    assert {"personal.card"} <= _personal(verdict)
    shown = " ".join(h.excerpt for h in verdict.hits)
    assert all(str(card) not in shown for card in cards)


def test_a_sheet_of_measurements_adds_no_text_and_random_long_numbers_pass():
    rng = random.Random(302)
    rows = [[rng.random() * 1000, rng.randint(0, 99999), int(data.random_digits(rng, 16)),
             int(data.random_digits(rng, 18))] for _ in range(3000)]
    verdict = build_pipeline().scan_bytes(_workbook(rows), origin="figures.xlsx")
    assert _personal(verdict) == set()
    assert verdict.action == "pass"


def test_ids_excel_wrote_in_scientific_notation_cannot_be_validated_and_pass_quietly():
    # A double keeps about 16 significant digits: an 18-digit ID stored as a number has
    # lost its last ones (Excel shows 1.10105E+17); what is left fails the check digit.
    people = data.chinese_people(random.Random(304), 20, TODAY)
    rows = [[float(p.id_number.replace("X", "0"))] for p in people]
    verdict = build_pipeline().scan_bytes(_workbook(rows), origin="sci.xlsx")
    assert _personal(verdict) == set()
    assert verdict.action == "pass"


def test_numbers_in_ods_cells_are_read_in_full_when_shown_shortened():
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    rng = random.Random(303)
    document = OpenDocumentSpreadsheet()
    table = Table(name="Tarjetas")
    for _ in range(6):
        card = data.card_number(rng, "mastercard")
        row = TableRow()
        cell = TableCell(valuetype="float", value=card)
        cell.addElement(P(text=f"{int(card[:2]) / 10:.5f}E+15"))  # as a narrow column shows it
        row.addElement(cell)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    out = io.BytesIO()
    document.write(out)
    verdict = build_pipeline().scan_bytes(out.getvalue(), origin="tarjetas.ods")
    assert _personal(verdict) == {"personal.card"}


def test_a_header_label_in_shared_strings_labels_the_numbers_in_the_sheet():
    rng = random.Random(305)
    cards = [int(data.card_number(rng, "visa")) for _ in range(3)]
    labelled = build_pipeline().scan_bytes(
        _workbook([["Cliente", "Card number"]] + [[f"c{i}", c] for i, c in enumerate(cards)]),
        origin="mail/attachment[1]:pagos.xlsx")
    (hit,) = [h for h in labelled.hits if h.category == "personal"]
    assert hit.rule == "personal.card" and hit.where.endswith("pagos.xlsx/xl/worksheets/sheet1.xml")
    assert hit.excerpt.startswith("3 payment card numbers beside a label")
    # Three card numbers under a header that names nothing stay below the threshold of five.
    plain = build_pipeline().scan_bytes(
        _workbook([["Cliente", "Ref"]] + [[f"c{i}", c] for i, c in enumerate(cards)]),
        origin="mail/attachment[1]:pagos.xlsx")
    assert _personal(plain) == set()


def test_a_label_in_another_workbook_of_the_same_mail_does_not_count():
    import email.message

    rng = random.Random(306)
    cards = [int(data.card_number(rng, "visa")) for _ in range(3)]
    message = email.message.EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@example.org", "b@x.test", "books"
    message.set_content("two books")
    for name, rows in (("labels.xlsx", [["Card number", "Nombre"]]),
                       ("refs.xlsx", [["Ref"]] + [[c] for c in cards])):
        message.add_attachment(_workbook(rows), maintype="application",
                               subtype="octet-stream", filename=name)
    verdict = build_pipeline().scan_bytes(message.as_bytes(), origin="mail",
                                          declared_type="message/rfc822")
    assert _personal(verdict) == set()
