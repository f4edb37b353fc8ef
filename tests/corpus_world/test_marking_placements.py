"""Markings as organisations write them, in the places bench/markings.py found missed: at the
end of a mail subject, in a table row after a cell holding the field's label, with German
umlauts spelt out, a bilingual level with its second form in brackets or after a dash,
national caveats alone (UK EYES ONLY), and a few levels and draft titles of public registers.
Each is held; the same words in an ordinary sentence, subject or table row pass.

Written from public descriptions (UK GSC e-mail guidance, the German VSA, the Russian ДСП
regulation and "Особая папка", Finland's TL IV, NATO/PfP releasability, Romania's "ciornă",
China's 修订草案 titles), not from Redline's rules.
"""

from __future__ import annotations

import io
from email.message import EmailMessage

import docx
import pytest

from filters.build import build_pipeline
from filters.pipeline import Pipeline
from filters.types import Part, Verdict

PROSE = "Please find attached the notes of Tuesday's meeting.\nDelivery is booked for 14 March."


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return build_pipeline()


def _mail(subject: str, body: str = PROSE) -> Part:
    message = EmailMessage()
    message["From"] = "Alex Writer <alex.writer@example.org>"
    message["To"] = "team@example.net"
    message["Subject"] = subject
    message["Date"] = "Tue, 04 Mar 2025 09:12:44 +0000"
    message["Message-ID"] = "<placements.0001@example.org>"
    message.set_content(body)
    return Part(origin="mail", data=bytes(message), declared_type="message/rfc822")


def _docx(header: str = "", row: tuple[str, str] | None = None, body: str = PROSE) -> Part:
    document = docx.Document()
    if header:
        document.sections[0].header.paragraphs[0].text = header
    if row:
        table = document.add_table(rows=3, cols=2)
        rows = [("Ref.", "2026-0413"), row, ("Date", "2026-03-14")]
        for cells, (a, b) in zip(table.rows, rows, strict=True):
            cells.cells[0].text, cells.cells[1].text = a, b
    for line in body.split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return Part(origin="report.docx", data=buffer.getvalue(), name="report.docx")


def _text(body: str) -> Part:
    return Part(origin="note.txt", data=body.encode(), name="note.txt", declared_type="text/plain")


def _banner(mark: str) -> Part:
    return _text(f"{mark}\n\n{PROSE}\n\n{mark}\n")


HELD = {
    "subject end, UK GSC": (_mail, ("Quarterly figures - OFFICIAL-SENSITIVE",), "classification"),
    "subject end after a bar, CAPCO": (_mail, ("Staffing plan | SECRET//NOFORN",), "classification"),
    "subject end, German VS-NfD": (_mail, ("Lagebericht - VS-NfD",), "classification"),
    "subject end, several words in any case": (_mail, ("Convoy timings - Top Secret",), "classification"),
    "table row, Russian Гриф": (_docx, ("", ("Гриф", "Для служебного пользования")), "classification"),
    "table row, German Einstufung": (
        _docx, ("", ("Einstufung", "Nur für den Dienstgebrauch")), "classification"),
    "table row, Dutch Rubricering": (_docx, ("", ("Rubricering", "Dep. Vertrouwelijk")), "classification"),
    "table row, bilingual after a dash": (
        _docx, ("", ("Einstufung", "Verschlusssache – Nur für den Dienstgebrauch")), "classification"),
    "banner, umlaut spelt out": (_banner, ("VS-NUR FUER DEN DIENSTGEBRAUCH",), "classification"),
    "banner, Austrian level spelt out": (_banner, ("EINGESCHRAENKT",), "classification"),
    "docx header, UK EYES ONLY alone": (_docx, ("UK EYES ONLY",), "classification"),
    "subject, UK RESTRICTED in brackets": (_mail, ("[UK RESTRICTED] Visit programme",), "classification"),
    "docx header, NATO/PfP": (_docx, ("NATO/PfP CONFIDENTIAL",), "classification"),
    "banner, Особая папка": (_banner, ("Совершенно секретно (Особая папка)",), "classification"),
    "banner, Finnish TL IV": (_banner, ("TL IV",), "classification"),
    "banner, CONFIDENTIEL PERSONNEL": (_banner, ("CONFIDENTIEL PERSONNEL",), "classification"),
    "banner, bilingual in brackets": (_banner, ("CONFIDENTIEL (CONFIDENTIAL)",), "classification"),
    "banner, Turkish TİCARİ SIR": (_banner, ("TİCARİ SIR",), "classification"),
    "banner, 修订草案": (_banner, ("修订草案",), "draft"),
    "banner, Romanian CIORNĂ": (_banner, ("CIORNĂ",), "draft"),
    "docx header, Schema di decreto": (_docx, ("Schema di decreto legislativo",), "draft"),
}

PASSES = {
    "subject end, a burger's name": (_mail, ("Team lunch - Top Secret Recipe burger",)),
    "subject end, a novel's title": (_mail, ("Book club - The Confidential Agent",)),
    "subject end, a sentence": (_mail, ("Quarterly figures - official sensitive data guidance",)),
    "subject end, Secret Santa": (_mail, ("Christmas party - Secret Santa",)),
    "table row, a public level": (_docx, ("", ("Einstufung", "Öffentlich"))),
    "table row, no label before the word": (_docx, ("", ("Hinweis", "Bitte vertraulich behandeln"))),
    "table row, a status": (_docx, ("", ("Status", "Approved"))),
    "prose, umlauts spelt out": (_text, ("Viele Gruesse aus Muenchen, das Fuehrungsteam.\n" + PROSE,)),
    "prose, eyes only": (_text, (PROSE + "\nThe report was for UK eyes only, the minister said.",)),
    "prose, personnel": (_text, (PROSE + "\nCe dossier du personnel reste confidentiel, dit-elle.",)),
    "prose, schema di decreto": (_text, (PROSE + "\nLo schema di decreto è stato approvato ieri.",)),
    "prose, 修订草案 in a sentence": (_text, (PROSE + "\n委员会审议了条例修订草案的说明。",)),
}


def _described(verdict: Verdict) -> str:
    return "; ".join(f"{h.rule}[{h.severity}] {h.excerpt!r}" for h in verdict.hits) or "no hits"


@pytest.mark.parametrize("name", list(HELD))
def test_marking_in_its_place_is_held(pipeline: Pipeline, name: str) -> None:
    make, args, category = HELD[name]
    verdict = pipeline.scan(make(*args))
    assert not verdict.passed and any(h.category == category for h in verdict.hits), _described(verdict)


@pytest.mark.parametrize("name", list(PASSES))
def test_same_words_in_ordinary_writing_pass(pipeline: Pipeline, name: str) -> None:
    make, args = PASSES[name]
    verdict = pipeline.scan(make(*args))
    assert verdict.passed, _described(verdict)
