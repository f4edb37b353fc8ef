"""Write the held-out corpus's items into a folder: ``python tests/corpus_heldout/make.py DIR``.

Mails and text files are written as the world corpus writes them; docx files add tables,
runs of alternating formatting, text boxes and first-page headers; PDFs draw the header and
footer in the page's top and bottom bands.
"""

from __future__ import annotations

import io
import re
import sys
from email.message import EmailMessage
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.shared import RGBColor
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

HERE = Path(__file__).resolve().parent
if __package__ in (None, ""):
    sys.path.insert(0, str(HERE.parents[1]))

from tests.corpus_heldout.cases import CASES, Case, Item  # noqa: E402
from tests.corpus_world import make as world  # noqa: E402
from tests.corpus_world.cases import Item as WorldItem  # noqa: E402

RUN = "¦"
CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
LATIN_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
TEXT_BOX = ('<w:pict xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
            'xmlns:v="urn:schemas-microsoft-com:vml"><v:shape id="Stamp" type="#_x0000_t202" '
            'style="position:absolute;margin-left:360pt;margin-top:0;width:110pt;height:36pt">'
            '<v:textbox><w:txbxContent><w:p><w:r><w:rPr><w:b/><w:color w:val="C00000"/></w:rPr>'
            '<w:t>{}</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict>')


def _paragraph(document: docx.document.Document, line: str) -> None:
    paragraph = document.add_paragraph()
    for number, piece in enumerate(re.split(r"¦|(⟦[^⟧]*⟧|⟨[^⟩]*⟩)", line)):
        if not piece:
            continue
        run = paragraph.add_run(piece.strip("⟦⟧⟨⟩"))
        if piece.startswith("⟦"):
            run.font.hidden = True  # w:vanish: in the file, not on the page
        elif piece.startswith("⟨"):
            run.font.all_caps = True  # w:caps: stored in lower case, shown in capitals
        elif number % 2:
            # Alternate formatting as an editor does when part of a word is re-styled.
            run.bold = True
            run.font.color.rgb = RGBColor(0x20, 0x20, 0x20)


def _docx(item: Item) -> bytes:
    document = docx.Document()
    section = document.sections[0]
    if item.first_page:
        section.different_first_page_header_footer = True
        section.first_page_header.paragraphs[0].text = item.header
    elif item.header:
        section.header.paragraphs[0].text = item.header
    if item.footer:
        section.footer.paragraphs[0].text = item.footer
    if item.box:
        run = document.add_paragraph().add_run()
        run._r.append(parse_xml(TEXT_BOX.format(item.box)))
    rows: list[list[str]] = []
    for line in [*item.body.split("\n"), ""]:
        if "\t" in line:
            rows.append(line.split("\t"))
            continue
        if rows:
            table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for cells, row in zip(rows, table.rows, strict=True):
                for value, cell in zip(cells, row.cells, strict=False):
                    cell.text = value
            rows = []
        if line:
            _paragraph(document, line)
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    if item.props:
        return world.render(WorldItem("docx", body=item.body, header=item.header, footer=item.footer,
                                      props=item.props))
    return data


def _font(textual: str) -> str:
    cjk = any(ord(c) > 0x2E80 for c in textual)
    name = "cjk" if cjk else "latin"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(CJK_FONT if cjk else LATIN_FONT)))
    return name


def _pdf(item: Item) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    font = _font(item.header + item.body + item.footer)
    if item.header:
        page.setFillColorRGB(0.8, 0, 0)
        page.setFont(font, 12)
        page.drawCentredString(width / 2, height - 30, item.header)
    if item.footer:
        page.setFillColorRGB(0.8, 0, 0)
        page.setFont(font, 12)
        page.drawCentredString(width / 2, 24, item.footer)
    page.setFillColorRGB(0, 0, 0)
    page.setFont(font, 11)
    y = height - 110
    for line in item.body.split("\n"):
        page.drawString(60, y, line)
        y -= 16
    page.showPage()
    page.save()
    return buffer.getvalue()


def _html_mail(item: Item) -> bytes:
    message = EmailMessage()
    message["From"] = "Alex Writer <alex.writer@example.org>"
    message["To"] = "team@example.net"
    message["Subject"] = item.subject
    message["Date"] = "Tue, 03 Jun 2025 09:12:44 +0000"
    message.set_content("<html><body>" + item.body + "</body></html>", subtype="html")
    return bytes(message)


SUFFIX = {"mail": ".eml", "html": ".eml", "text": ".txt", "docx": ".docx", "pdf": ".pdf"}


def render(item: Item) -> bytes:
    """The bytes of one item."""
    if item.kind == "docx":
        return _docx(item)
    if item.kind == "pdf":
        return _pdf(item)
    if item.kind == "html":
        return _html_mail(item)
    return world.render(WorldItem(item.kind, body=item.body, subject=item.subject,
                                  headers=item.headers))


def file_name(index: int, case: Case) -> str:
    if case.item.name:
        return f"{index:03d}-{case.item.name}"
    return f"item-{index:03d}{SUFFIX[case.item.kind]}"


def generate(root: Path) -> list[dict]:
    """Write every case under ``root``; one record (file, system, expect, kind) per case."""
    return world.write_cases(root, CASES, file_name, render)


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "heldout-corpus")
    print(f"{len(generate(target))} items written to {target}")
