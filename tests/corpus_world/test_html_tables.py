"""Tables in HTML mail, as Outlook, Gmail and web forms write them: a row reads as one line,
its cells parted by tabs, as Word's, RTF's and PDF tables do, so a column headed 'Draft' is
a word of its row and no banner, while a marking in a table is still held: a banner row
spanning the table, a 'Classification | SECRET' row, the whole mail inside the one-cell
layout table mail clients wrap it in, and what someone hiding a marking in cells writes.

Written from what the programs emit (Outlook's Word HTML with its MsoNormal paragraphs and
MsoTableGrid tables, Gmail's div-per-line bodies, newsletter layout with spacer cells) and
from public descriptions of the world (a bar's price list, a ship's particulars, a
Kubernetes runbook naming Secret objects), not from Redline's rules.
"""

from __future__ import annotations

import io
from email.message import EmailMessage

import docx
import pytest

from filters.build import build_pipeline
from filters.pipeline import Pipeline
from filters.types import Part
from tests.corpus_world.score import described

OPENING = "<p>Hi all,</p><p>please see below.</p>"
CLOSING = "<p>Thanks,</p><p>Sam</p>"


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return build_pipeline()


def _mail(html: str) -> Part:
    message = EmailMessage()
    message["From"] = "Sam Taylor <sam.taylor@example.org>"
    message["To"] = "team@example.net"
    message["Subject"] = "Update"
    message["Date"] = "Tue, 04 Mar 2025 09:12:44 +0000"
    message["Message-ID"] = "<html-tables.0001@example.org>"
    message.set_content(f"<html><body>{html}</body></html>", subtype="html")
    return Part(origin="mail", data=bytes(message), declared_type="message/rfc822")


def _table(*rows: tuple[str, ...], head: tuple[str, ...] = ()) -> str:
    """A data table as a web form or a mail editor writes it, between ordinary prose."""
    header = "<tr>" + "".join(f"<th>{c}</th>" for c in head) + "</tr>" if head else ""
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'{OPENING}<table border="1" cellpadding="4">{header}{body}</table>{CLOSING}'


def _outlook(*rows: tuple[str, ...]) -> str:
    """A table as Outlook (Word HTML) writes it: a paragraph in every cell."""
    cell = ('<td width="200" valign="top" style="border:solid windowtext 1.0pt;padding:0cm 5.4pt">'
            '<p class="MsoNormal"><span lang="EN-GB">{}<o:p></o:p></span></p></td>')
    body = "".join("<tr>" + "".join(cell.format(c) for c in row) + "</tr>" for row in rows)
    return (f'<div class="WordSection1"><p class="MsoNormal">Hi all,<o:p></o:p></p>'
            f'<table class="MsoTableGrid" border="1" cellspacing="0" cellpadding="0">{body}</table>'
            f'<p class="MsoNormal">Thanks,<o:p></o:p></p><p class="MsoNormal">Sam<o:p></o:p></p></div>')


def _layout(first_line: str) -> str:
    """The whole mail in a one-cell layout table, as mail clients and templates wrap it."""
    return ('<table width="100%" cellpadding="0" cellspacing="0"><tr><td>'
            f'<div><p>{first_line}</p><p>Hi all,</p><p>the plan for next week is attached.</p>'
            '<p>Thanks,</p><p>Sam</p></div></td></tr></table>')


def _newsletter(first_line: str) -> str:
    """A centred column between spacer cells, as newsletter templates lay a mail out."""
    return ('<table width="100%"><tr><td width="20">&nbsp;</td>'
            f'<td><p>{first_line}</p><p>Hi all,</p><p>the plan is attached.</p></td>'
            '<td width="20">&nbsp;</td></tr></table>')


def _docx(*rows: tuple[str, ...]) -> Part:
    document = docx.Document()
    document.add_paragraph("Objects to rotate in the cluster:")
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for cells, row in zip(table.rows, rows, strict=True):
        for cell, text in zip(cells.cells, row, strict=True):
            cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return Part(origin="runbook.docx", data=buffer.getvalue(), name="runbook.docx")


RUNBOOK = (("Name", "Type", "Rotation"), ("db-password", "Secret", "90 days"),
           ("app-config", "ConfigMap", "on release"))

HELD = {
    "banner row spanning a data table": (
        _mail, (f'{OPENING}<table><tr><th colspan="2">SECRET//NOFORN</th></tr>'
                f"<tr><td>Convoy</td><td>14 March</td></tr></table>{CLOSING}",), "classification"),
    "label row, Classification | SECRET": (
        _mail, (_table(("Reference", "2026-0413"), ("Classification", "SECRET"), ("Date", "14 March")),),
        "classification"),
    "label row in Outlook's table, Classification | Secret": (
        _mail, (_outlook(("Reference", "2026-0413"), ("Classification", "Secret")),), "classification"),
    "label row, Status | Draft": (
        _mail, (_table(("Document", "Budget 2026"), ("Status", "Draft")),), "draft"),
    "label row, Russian Гриф": (
        _mail, (_table(("Гриф", "Для служебного пользования"), ("Дата", "14.03.2026")),), "classification"),
    "whole mail in a one-cell layout table": (_mail, (_layout("SECRET"),), "classification"),
    "layout table, a stamp in any case": (_mail, (_layout("Confidential"),), "classification"),
    "newsletter column between spacer cells": (_mail, (_newsletter("CONFIDENTIAL"),), "classification"),
    "newsletter column, a draft stamp": (_mail, (_newsletter("DRAFT"),), "draft"),
    # Someone hiding a marking in a table.
    "SECRET alone in a one-cell table mid-mail": (
        _mail, (f"{OPENING}<table><tr><td>SECRET</td></tr></table><p>The plan is attached.</p>{CLOSING}",),
        "classification"),
    "TOP and SECRET in two cells": (
        _mail, (f"{OPENING}<table><tr><td>TOP</td><td>SECRET</td></tr></table>{CLOSING}",), "classification"),
    "TOP and SECRET in two rows": (
        _mail, (f"{OPENING}<table><tr><td>TOP</td></tr><tr><td>SECRET</td></tr></table>{CLOSING}",),
        "classification"),
    "SECRET one letter to a cell along a row": (
        _mail, (f"{OPENING}<table><tr>{''.join(f'<td>{c}</td>' for c in 'SECRET')}</tr></table>{CLOSING}",),
        "classification"),
    "SECRET one letter to a row down a column": (
        _mail, (f"{OPENING}<table>{''.join(f'<tr><td>{c}</td></tr>' for c in 'SECRET')}</table>{CLOSING}",),
        "classification"),
    "banner in a header cell": (
        _mail, (_table(("Convoy", "14 March"), head=("TOP SECRET",)),), "classification"),
    "banner in the first header cell of several": (
        _mail, (_table(("Convoy", "14 March"), head=("SECRET", "Route")),), "classification"),
    "level in a middle cell of a row": (
        _mail, (_table(("Convoy plan", "SECRET", "14 March")),), "classification"),
}

PASSES = {
    "a bar's price list with a Draft column": (
        _mail, (_table(("Harbour Pale", "£4.80", "£4.20"), ("Midnight Stout", "£5.10", "£4.60"),
                       head=("Beer", "Draft", "Bottle")),)),
    "a ship's particulars": (
        _mail, (_table(("LOA", "229.0 m"), ("Beam", "32.26 m"), ("Draft", "14.2 m"),
                       ("Air draft", "45.1 m")),)),
    "a team roster's draft column": (
        _mail, (_table(("J. Smith", "QB", "2024 R1"), ("M. Diaz", "WR", "2022 R3"),
                       head=("Player", "Position", "Draft")),)),
    "ways to pay, a bank draft": (
        _mail, (_table(("Bank transfer", "free"), ("Bank draft", "£10"), head=("Payment method", "Fee")),)),
    "Outlook's price list with a Draft column": (
        _mail, (_outlook(("Beer", "Draft", "Bottle"), ("Harbour Pale", "£4.80", "£4.20")),)),
    "a Kubernetes runbook naming a Secret, in HTML": (_mail, (_table(*RUNBOOK[1:], head=RUNBOOK[0]),)),
    "a Kubernetes runbook naming a Secret, in Outlook's table": (_mail, (_outlook(*RUNBOOK),)),
    "a Kubernetes runbook naming a Secret, in a docx": (_docx, RUNBOOK),
}


@pytest.mark.parametrize("name", list(HELD))
def test_marking_in_a_table_is_held(pipeline: Pipeline, name: str) -> None:
    make, args, category = HELD[name]
    verdict = pipeline.scan(make(*args))
    assert not verdict.passed and any(h.category == category for h in verdict.hits), described(verdict)


@pytest.mark.parametrize("name", list(PASSES))
def test_ordinary_table_passes(pipeline: Pipeline, name: str) -> None:
    make, args = PASSES[name]
    verdict = pipeline.scan(make(*args))
    assert verdict.passed, described(verdict)
