"""gettext .mo catalogs (filters/extract/gettext.py): a program's labels pass, a memo put
in a message or a translation, or appended after the strings, is held."""

from __future__ import annotations

import gettext
import io
import struct

import pytest

from filters.build import build_pipeline
from filters.pipeline import Pipeline

HEADER = "Project-Id-Version: printer-dialog 1.5\nLanguage: pt_BR\nContent-Type: text/plain; charset=UTF-8\n"
# What a printing dialog translates: the banner pages CUPS offers and print qualities.
DIALOG = {
    "none": "nenhum", "Classified": "Classificado", "Confidential": "Confidencial",
    "Secret": "Secreto", "Standard": "Padrão", "Top secret": "Ultra secreto",
    "Unclassified": "Não classificado", "Draft": "Rascunho", "Normal": "Normal",
    "High": "Alta", "Starting banner:": "Banner inicial:", "Print a test page": "Imprimir página de teste",
}
MEMO = ("TOP SECRET//NOFORN\nSubject: convoy movements for the second quarter\n"
        "The convoy leaves the northern depot at 0400 on 3 June.\nTOP SECRET//NOFORN")


def catalog(entries: dict[str, str], order: str = "<", appended: bytes = b"") -> bytes:
    """A GNU .mo file as msgfmt writes it: header, two tables, the strings NUL-ended."""
    entries = {"": HEADER, **entries}
    keys = sorted(entries)
    originals = [k.encode() for k in keys]
    translations = [entries[k].encode() for k in keys]
    count = len(keys)
    start = 28 + 16 * count
    blob, key_table, value_table = b"", [], []
    for table, strings in ((key_table, originals), (value_table, translations)):
        for raw in strings:
            table.append((len(raw), start + len(blob)))
            blob += raw + b"\0"
    magic = 0x950412DE
    out = struct.pack(order + "7I", magic, 0, count, 28, 28 + 8 * count, 0, 0)
    out += b"".join(struct.pack(order + "2I", *pair) for pair in key_table + value_table)
    return out + blob + appended


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return build_pipeline()


def test_the_writer_makes_catalogs_pythons_gettext_reads():
    translations = gettext.GNUTranslations(io.BytesIO(catalog(DIALOG)))
    assert translations.gettext("Top secret") == "Ultra secreto"


@pytest.mark.parametrize("order", ["<", ">"])
def test_a_printing_dialogs_banner_names_and_print_qualities_pass(pipeline, order):
    verdict = pipeline.scan_bytes(catalog(DIALOG, order), origin="system-config-printer.mo")
    assert verdict.passed, verdict.hits


def test_a_memo_in_a_translation_is_held(pipeline):
    verdict = pipeline.scan_bytes(catalog({**DIALOG, "About this program": MEMO}), origin="app.mo")
    assert not verdict.passed
    assert any(h.category == "classification" and "#catalog" in h.where for h in verdict.hits)


def test_a_memo_as_a_message_is_held(pipeline):
    verdict = pipeline.scan_bytes(catalog({**DIALOG, MEMO: "Memorando"}), origin="app.mo")
    assert any(h.category == "classification" for h in verdict.hits)


def test_a_memo_appended_after_the_strings_is_held(pipeline):
    memo = ("CONFIDENTIAL\nBoard memo: we will buy Harbour Bakery for 4.1 million.\n" * 3).encode()
    verdict = pipeline.scan_bytes(catalog(DIALOG, appended=memo), origin="app.mo")
    assert any(h.category == "classification" and "#unlisted" in h.where for h in verdict.hits)


def test_a_catalog_whose_table_runs_past_its_end_is_held(pipeline):
    data = catalog(DIALOG)
    broken = data[:12] + struct.pack("<I", len(data) - 8) + data[16:]
    verdict = pipeline.scan_bytes(broken, origin="app.mo")
    assert not verdict.passed
    assert any(h.category == "policy" for h in verdict.hits)
