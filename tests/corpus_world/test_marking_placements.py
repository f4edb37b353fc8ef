"""Markings as organisations write them, in the places bench/markings.py found missed: at the
end of a mail subject, in a table row after a cell holding the field's label, with German
umlauts spelt out, a bilingual level with its second form in brackets or after a dash,
national caveats alone (UK EYES ONLY), and a few levels and draft titles of public registers.
Each is held; the same words in an ordinary sentence, subject or table row pass.

Written from public descriptions (UK GSC e-mail guidance, the German VSA, the Russian ДСП
regulation and "Особая папка", Finland's TL IV, NATO/PfP releasability, Romania's "ciornă",
China's 修订草案 titles), not from Redline's rules.

Then the next round: US portion marks in a document with no banner (ISOO's marking booklet
shows every paragraph marked, most of them '(U)'), Microsoft Purview's visual marking text
('Classified as Microsoft Confidential'), the Commission's SENSITIVE marking, the EU and
NATO levels in Italian and NATO's French, the Russian 'Гриф «Секретно»' with its value in
guillemets and no colon, Korea's 초안(검토용) and a bilingual 대외비 (Confidential), the
Permissible Actions Protocol's PAP:RED beside TLP, restricted in Arabic and Hebrew, and the
trade filings' BUSINESS CONFIDENTIAL. The same words as an Italian, Russian, Korean, Arabic
or Hebrew office writes them every day, report-card keys, size charts and lettered lists
pass.
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


# A portion-marked page with no banner (as ISOO's marking booklet shows a page): every
# paragraph opens with its mark, most of them '(U)'.
PORTIONED = ("(U) Please find attached the notes of Tuesday's planning meeting.\n\n"
             "{mark} The convoy leaves the northern depot at 0400 on 14 March.\n\n"
             "(U) Delivery of 240 pallets is booked for the following week.")


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
    "portion marks, one (S) among (U) paragraphs": (_text, (PORTIONED.format(mark="(S)"),), "classification"),
    "portion marks, one (C) among (U) paragraphs, docx": (
        _docx, ("", None, PORTIONED.format(mark="(C)")), "classification"),
    "portion marks, (S) beside (TS//SI), mail": (
        _mail, ("Convoy timings", "(TS//SI) The source reported movement near the border on 12 March.\n\n"
                "(S) The convoy leaves the northern depot at 0400 on 14 March."), "classification"),
    "Purview marking, first line of a mail": (
        _mail, ("Quarterly figures", "Classified as Microsoft Confidential\n\n" + PROSE), "classification"),
    "Purview marking, docx header": (_docx, ("Classified as Contoso Highly Confidential",), "classification"),
    "banner, COMMISSION SENSITIVE": (_banner, ("COMMISSION SENSITIVE",), "classification"),
    "docx header, SENSITIVE: SPECIAL HANDLING": (_docx, ("SENSITIVE: SPECIAL HANDLING",), "classification"),
    "banner, RISERVATO UE/EU RESTRICTED": (_banner, ("RISERVATO UE/EU RESTRICTED",), "classification"),
    "docx header, NATO RISERVATO": (_docx, ("NATO RISERVATO",), "classification"),
    "banner, NATO bilingual": (_banner, ("NATO RESTRICTED / NATO DIFFUSION RESTREINTE",), "classification"),
    "banner, Гриф in guillemets": (_banner, ("Гриф «Секретно»",), "classification"),
    "table row, Гриф in guillemets": (_docx, ("", ("Гриф", "«Секретно»")), "classification"),
    "banner, 초안(검토용)": (_banner, ("초안(검토용)",), "draft"),
    "banner, 대외비 (Confidential)": (_banner, ("대외비 (Confidential)",), "classification"),
    "subject, PAP:RED beside TLP": (_mail, ("[TLP:AMBER][PAP:RED] Indicators for incident 2026-031",),
                                    "classification"),
    "banner, PAP:RED": (_banner, ("PAP:RED",), "classification"),
    "docx header, Arabic محظور": (_docx, ("محظور",), "classification"),
    "docx header, Hebrew מוגבל": (_docx, ("מוגבל",), "classification"),
    "banner, سري - خاص": (_banner, ("سري - خاص",), "classification"),
    "docx header, BUSINESS CONFIDENTIAL": (_docx, ("BUSINESS CONFIDENTIAL",), "classification"),
    "table row, Brazilian grade with its law": (
        _docx, ("", ("Classificação", "RESERVADO – Lei nº 12.527/2011")), "classification"),
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
    "report card key": (_text, ("Grading key\n(S) Satisfactory\n(N) Needs improvement\n(U) Unsatisfactory\n\n"
                                "(U) Unsatisfactory marks are discussed with the parents in person.",)),
    "size chart": (_text, ("(S) Small fits chest 86-91 cm\n(M) Medium fits chest 96-101 cm\n"
                           "(L) Large fits chest 106-111 cm",)),
    "lettered list": (_text, ("(A) Opening of the meeting and adoption of the agenda\n"
                              "(B) Minutes of the previous meeting\n(C) Budget for the new warehouse\n"
                              "(D) Any other business",)),
    "copyright line beside a list": (_text, (PROSE + "\n(C) 2025 Example Ltd. All rights reserved.",)),
    "prose, classified as confidential": (
        _text, (PROSE + "\nFiles classified as confidential must stay on the team share.",)),
    "prose, commission sensitive to price": (
        _text, (PROSE + "\nThe new bonus plan makes the sales commission sensitive to price changes.",)),
    "subject, commission sensitive": (_mail, ("Commission sensitive to price - Q3 review",)),
    "prose, riservato al cliente": (
        _text, ("In allegato il documento riservato al cliente.\nIl parcheggio è riservato ai cittadini UE.\n"
                "Tutti i diritti riservati.",)),
    "table row, a seat reserved for EU citizens": (_docx, ("", ("Posti", "Riservato UE"))),
    "prose, Гриф «Секретно» lifted": (_text, (PROSE + "\nГриф «Секретно» снят с документа в 1992 году.",)),
    "prose, 초안(검토용) guidance": (_text, (PROSE + "\n초안(검토용) 작성 요령을 안내합니다.",)),
    "prose, smoking forbidden": (_text, (PROSE + "\nالتدخين محظور في جميع المكاتب.",)),
    "table row, limited availability in Hebrew": (_docx, ("", ("זמינות", "מוגבל"))),
    "prose, limited seats in Hebrew": (_text, (PROSE + "\nמספר המקומות מוגבל, נא להירשם מראש.",)),
    "prose, the PAP levels": (
        _text, (PROSE + "\nPAP defines four levels: PAP:RED, PAP:AMBER, PAP:GREEN and PAP:CLEAR.",)),
    "table row, the access to information law": (
        _docx, ("", ("Fundamento legal", "Lei nº 12.527/2011, art. 8º"))),
    "prose, business confidential information": (
        _text, (PROSE + "\nBusiness confidential information is kept in the locked cabinet.",)),
}


@pytest.mark.parametrize("name", list(HELD))
def test_marking_in_its_place_is_held(pipeline: Pipeline, name: str) -> None:
    make, args, category = HELD[name]
    verdict = pipeline.scan(make(*args))
    assert not verdict.passed and any(h.category == category for h in verdict.hits), described(verdict)


@pytest.mark.parametrize("name", list(PASSES))
def test_same_words_in_ordinary_writing_pass(pipeline: Pipeline, name: str) -> None:
    make, args = PASSES[name]
    verdict = pipeline.scan(make(*args))
    assert verdict.passed, described(verdict)
