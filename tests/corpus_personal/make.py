"""Write the personal-data corpus's items into a folder: ``python tests/corpus_personal/make.py DIR``.

Each item is written as its sender's software writes it: CSV in the export's encoding
and delimiter (with a BOM where Excel writes UTF-8), xlsx by openpyxl (text cells, or
whole numbers stored as numbers), docx by python-docx with Word tables, PDF by
ReportLab with an embedded CJK font, and mails as RFC 5322 messages (plain text, or
HTML with the rows in a table).
"""

from __future__ import annotations

import csv
import html
import io
import sys
from email.message import EmailMessage
from pathlib import Path

import docx
import openpyxl
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

HERE = Path(__file__).resolve().parent
if __package__ in (None, ""):
    sys.path.insert(0, str(HERE.parents[1]))

from tests.corpus_personal.cases import CASES, Case, Item  # noqa: E402

CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
# For lines with letters the CJK font lacks (č, ř, ş, ł …): a writer embeds a font that has them.
LATIN_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
SUFFIX = {
    "csv": "csv",
    "xlsx": "xlsx",
    "docx": "docx",
    "pdf": "pdf",
    "txt": "txt",
    "eml": "eml",
    "html": "eml",
}


def _rows(item: Item) -> list[list[str]]:
    return [line.split("\t") for line in item.lines]


def _csv(item: Item) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=item.delimiter, lineterminator="\r\n")
    writer.writerows(_rows(item))
    bom = "\ufeff" if item.encoding == "utf-8" else ""
    return (bom + out.getvalue()).encode(item.encoding)


def _xlsx(item: Item) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in _rows(item):
        sheet.append([int(v) if item.numeric and v.isdigit() and len(v) >= 7 else v for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _docx(item: Item) -> bytes:
    document = docx.Document()
    table_rows: list[list[str]] = []
    for line in [*item.lines, ""]:
        if "\t" in line:
            table_rows.append(line.split("\t"))
            continue
        if table_rows:
            table = document.add_table(rows=len(table_rows), cols=len(table_rows[0]))
            for cells, row in zip(table_rows, table.rows, strict=True):
                for value, cell in zip(cells, row.cells, strict=False):
                    cell.text = value
            table_rows = []
        if line:
            document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _pdf(item: Item) -> bytes:
    if "CorpusCJK" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("CorpusCJK", str(CJK_FONT)))
        pdfmetrics.registerFont(TTFont("CorpusLatin", str(LATIN_FONT)))
    cjk = pdfmetrics.getFont("CorpusCJK").face.charToGlyph
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    y = 800.0
    for line in item.lines:
        if y < 60:
            page.showPage()
            y = 800.0
        page.setFont("CorpusCJK" if all(ord(c) in cjk for c in line if c != "\t") else "CorpusLatin", 9)
        # Columns of a form: each cell at its own x, as a PDF table is drawn.
        for column, cell in enumerate(line.split("\t")):
            page.drawString(40 + column * (520 / max(1, line.count("\t") + 1)), y, cell)
        y -= 14
    page.save()
    return out.getvalue()


def _mail(item: Item, name: str) -> bytes:
    message = EmailMessage()
    message["From"] = "Sender <sender@example.com>"
    message["To"] = "Recipient <recipient@example.net>"
    message["Subject"] = item.subject or name
    message["Message-ID"] = f"<{name}@example.com>"
    if item.fmt == "eml":
        message.set_content("\n".join(line.replace("\t", "  ") for line in item.lines))
        return message.as_bytes()
    parts, rows = [], []
    for line in [*item.lines, ""]:
        if "\t" in line:
            tag = "th" if not rows else "td"
            rows.append(
                "<tr>" + "".join(f"<{tag}>{html.escape(c)}</{tag}>" for c in line.split("\t")) + "</tr>"
            )
            continue
        if rows:
            parts.append('<table border="1" cellpadding="4">' + "".join(rows) + "</table>")
            rows = []
        if line:
            parts.append(f"<p>{html.escape(line)}</p>")
    message.set_content("\n".join(item.lines))
    message.add_alternative("<html><body>" + "\n".join(parts) + "</body></html>", subtype="html")
    return message.as_bytes()


def render(case: Case) -> bytes:
    """The bytes of ``case``'s item as its sender's software writes them."""
    item = case.item
    if item.fmt in ("eml", "html"):
        return _mail(item, case.name)
    if item.fmt == "txt":
        return "\n".join(item.lines).encode(item.encoding)
    return {"csv": _csv, "xlsx": _xlsx, "docx": _docx, "pdf": _pdf}[item.fmt](item)


def file_name(case: Case) -> str:
    return f"{case.name}.{SUFFIX[case.item.fmt]}"


def generate(root: Path, cases: list[Case] | None = None) -> list[dict]:
    """Write every case (of ``cases``, by default the first round's) into ``root``; one record
    (file, expect, kind) per case."""
    root.mkdir(parents=True, exist_ok=True)
    records = []
    for case in CASES if cases is None else cases:
        (root / file_name(case)).write_bytes(render(case))
        records.append({"file": file_name(case), "expect": case.expect, "kind": case.kind})
    return records


if __name__ == "__main__":
    generate(Path(sys.argv[1]))
