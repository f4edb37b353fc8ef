"""Generate the blind corpus: ``python tests/corpus_blind/make.py`` (needs LibreOffice).

Every item is made by code from the cases in cases.py, seeded, so a rerun gives the same
items (office files differ only in their zip and creation timestamps). Word, Excel and
PowerPoint files come from python-docx, openpyxl and python-pptx; .doc, .odt and .pdf
files are those documents converted by LibreOffice (``soffice --headless --convert-to``);
mails are built as Outlook, Thunderbird and Chinese clients write them (RFC 2047 subjects
in UTF-8, GB2312, GBK, GB18030 and Big5; RFC 2231 and RFC 2047 attachment names; the
``Sensitivity:`` and ``msip_labels:`` headers). Sensitivity labels are written the way
Microsoft 365 writes them: ``MSIP_Label_<GUID>_*`` custom properties in docProps/custom.xml
(and docMetadata/LabelInfo.xml), the same names in a PDF's XMP packet and Info dictionary.

Output: office/<id>/<file> (the LibreOffice-made items, committed so the tests need no
LibreOffice) and labels.json (one record per item: file, system, expect, position, form,
label, mismatch). The tests call ``generate()`` to write the whole corpus into a temporary
folder.
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import random
import shutil
import subprocess
import sys
import tempfile
import uuid
import zipfile
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape

import docx
import openpyxl
import pptx
from docx.oxml import parse_xml
from pptx.util import Inches, Pt

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cases import CASES, MISMATCH

SEED = 20260417
HERE = Path(__file__).resolve().parent

FILLER = {
    "en": ["The quarterly figures are attached for your review.",
           "The committee will meet on Thursday at 10:00 in room 4.",
           "Travel costs fell by 4 % against the same period last year.",
           "Please send your comments on the schedule by Friday.",
           "The supplier confirmed delivery of the remaining units in May.",
           "Attendance at the training sessions rose to 87 %."],
    "es": ["Se adjuntan las cifras del trimestre para su revisión.",
           "La comisión se reunirá el jueves a las 10:00 en la sala 4.",
           "Los gastos de viaje bajaron un 4 % respecto al mismo periodo.",
           "Rogamos envíen sus comentarios sobre el calendario antes del viernes.",
           "El proveedor confirmó la entrega de las unidades restantes en mayo."],
    "zh": ["现将本季度数据报送，请审阅。", "委员会定于周四上午十点在四号会议室开会。",
           "差旅费用同比下降百分之四。", "请于周五前反馈对日程安排的意见。",
           "供应商确认剩余设备将于五月交付。"],
    "zh-tw": ["檢送本季數據，請查照。", "委員會訂於週四上午十時於第四會議室開會。",
              "差旅費用較去年同期下降百分之四。", "請於週五前回覆對時程的意見。"],
}
NEUTRAL = {"docx": ["minutes.docx", "report.docx", "notes.docx", "memo.docx", "letter.docx"],
           "xlsx": ["figures.xlsx", "budget.xlsx", "inventory.xlsx", "schedule.xlsx"],
           "pptx": ["briefing.pptx", "overview.pptx", "update.pptx"],
           "eml": ["message.eml"], "pdf": ["report.pdf", "notice.pdf", "paper.pdf"],
           "doc": ["memo.doc", "report.doc"], "odt": ["notes.odt", "report.odt"]}
CHARSETS = {"en": ["us-ascii", "utf-8"], "es": ["iso-8859-1", "windows-1252", "utf-8"],
            "zh": ["utf-8", "gb2312", "gbk", "gb18030"], "zh-tw": ["big5", "utf-8"]}
SENDERS = {"en": "Alex Morgan <alex.morgan@example.org>",
           "es": "Lucía Martín <lucia.martin@example.es>",
           "zh": "=?utf-8?b?5byg5Lyf?= <zhang.wei@example.cn>",
           "zh-tw": "=?utf-8?b?5p6X5b+X5piO?= <lin@example.tw>"}
NEUTRAL_SUBJECT = {"en": "Weekly update", "es": "Actualización semanal", "zh": "本周工作安排",
                   "zh-tw": "本週工作安排"}


# ----------------------------------------------------------------------------- helpers
def one_line(text: str) -> str:
    return " ".join(text.split("\n"))


def filler(rng: random.Random, lang: str, n: int = 3) -> list[str]:
    pool = FILLER.get(lang, FILLER["en"])
    return rng.sample(pool, min(n, len(pool)))


def pick_charset(rng: random.Random, lang: str, text: str) -> str:
    options = CHARSETS.get(lang, ["utf-8"])[:]
    rng.shuffle(options)
    for cs in options:
        try:
            text.encode(cs)
            return cs
        except UnicodeEncodeError:
            continue
    return "utf-8"


def encoded_word(text: str, charset: str, rng: random.Random) -> str:
    """An RFC 2047 encoded word with the charset name real clients write."""
    raw = text.encode(charset)
    if charset in ("us-ascii",):
        return text
    if charset in ("iso-8859-1", "windows-1252") and rng.random() < 0.6:
        q = "".join(chr(b) if (48 <= b < 127 and chr(b) not in "=?_") or (chr(b).isalpha() and b < 127)
                    else "_" if b == 32 else f"={b:02X}" for b in raw)
        return f"=?{charset}?Q?{q}?="
    return f"=?{charset}?B?{base64.b64encode(raw).decode()}?="


def guid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def msip_props(rng: random.Random, name: str) -> dict[str, str]:
    g = guid(rng)
    return {f"MSIP_Label_{g}_Enabled": "true",
            f"MSIP_Label_{g}_SetDate": "2026-03-02T09:14:07Z",
            f"MSIP_Label_{g}_Method": rng.choice(["Standard", "Privileged"]),
            f"MSIP_Label_{g}_Name": name,
            f"MSIP_Label_{g}_SiteId": guid(rng),
            f"MSIP_Label_{g}_ActionId": guid(rng),
            f"MSIP_Label_{g}_ContentBits": str(rng.choice([0, 1, 2, 3]))}


def custom_xml(props: dict[str, str]) -> bytes:
    items = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{i}" '
        f'name="{escape(k)}"><vt:lpwstr>{escape(v)}</vt:lpwstr></property>'
        for i, (k, v) in enumerate(props.items(), start=2))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
            'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
            f'2006/docPropsVTypes">{items}</Properties>').encode()


def label_info_xml(props: dict[str, str]) -> bytes:
    g = next(k for k in props if k.endswith("_Name"))[len("MSIP_Label_"):-len("_Name")]
    site = next(v for k, v in props.items() if k.endswith("_SiteId"))
    return ('<?xml version="1.0" encoding="utf-8" standalone="yes"?>'
            '<clbl:labelList xmlns:clbl="http://schemas.microsoft.com/office/2020/mipLabelMetadata">'
            f'<clbl:label id="{{{g}}}" enabled="1" method="Standard" siteId="{{{site}}}" '
            'removed="0" /></clbl:labelList>').encode()


def add_labels(data: bytes, props: dict[str, str], with_label_info: bool) -> bytes:
    """Add docProps/custom.xml (and docMetadata/LabelInfo.xml) as Office writes them."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                extra = ('<Override PartName="/docProps/custom.xml" ContentType="application/'
                         'vnd.openxmlformats-officedocument.custom-properties+xml"/>')
                if with_label_info:
                    extra += ('<Override PartName="/docMetadata/LabelInfo.xml" ContentType='
                              '"application/vnd.ms-office.classificationlabels+xml"/>')
                if b"/docProps/custom.xml" in body:
                    extra = extra.split("/>", 1)[1]
                body = body.replace(b"</Types>", extra.encode() + b"</Types>")
            elif info.filename == "_rels/.rels":
                extra = ('<Relationship Id="rIdC1" Type="http://schemas.openxmlformats.org/'
                         'officeDocument/2006/relationships/custom-properties" '
                         'Target="docProps/custom.xml"/>')
                if with_label_info:
                    extra += ('<Relationship Id="rIdL1" Type="http://schemas.microsoft.com/office/'
                              '2020/02/relationships/classificationlabels" '
                              'Target="docMetadata/LabelInfo.xml"/>')
                body = body.replace(b"</Relationships>", extra.encode() + b"</Relationships>")
            elif info.filename == "docProps/custom.xml":
                continue
            dst.writestr(info.filename, body)
        dst.writestr("docProps/custom.xml", custom_xml(props))
        if with_label_info:
            dst.writestr("docMetadata/LabelInfo.xml", label_info_xml(props))
    return out.getvalue()


# ----------------------------------------------------------------------------- Word
WATERMARK = (
    '<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">'
    '<w:pPr><w:pStyle w:val="Header"/></w:pPr><w:r><w:pict>'
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
    'path="m@7,l@8,m@5,21600l@6,21600e"><v:path textpathok="t" o:connecttype="custom"/>'
    '<v:textpath on="t" fitshape="t"/></v:shapetype>'
    '<v:shape id="PowerPlusWaterMarkObject{n}" o:spid="_x0000_s2049" type="#_x0000_t136" '
    'style="position:absolute;margin-left:0;margin-top:0;width:527.85pt;height:131.95pt;'
    'rotation:315;z-index:-251657216;mso-position-horizontal:center;'
    'mso-position-horizontal-relative:margin;mso-position-vertical:center;'
    'mso-position-vertical-relative:margin" o:allowincell="f" fillcolor="silver" stroked="f">'
    '<v:fill opacity=".5"/><v:textpath style="font-family:&quot;Calibri&quot;;font-size:1pt" '
    'string="{text}"/><w10:wrap xmlns:w10="urn:schemas-microsoft-com:office:word" '
    'anchorx="margin" anchory="margin"/></v:shape></w:pict></w:r></w:p>')


def make_docx(rng: random.Random, lang: str, *, first: str = "", last: str = "",
              para: str = "", header: str = "", footer: str = "", watermark: str = "",
              cell: str = "", title: str = "", labels: dict[str, str] | None = None) -> bytes:
    document = docx.Document()
    section = document.sections[0]
    if header:
        lines = header.split("\n")
        section.header.paragraphs[0].text = lines[0]
        for line in lines[1:]:
            section.header.add_paragraph(line)
    if footer:
        lines = footer.split("\n")
        section.footer.paragraphs[0].text = lines[0]
        for line in lines[1:]:
            section.footer.add_paragraph(line)
    if watermark:
        hdr = section.header._element
        hdr.append(parse_xml(WATERMARK.format(n=rng.randint(1000, 9999),
                                              text=escape(one_line(watermark), {'"': "&quot;"}))))
    for line in first.split("\n") if first else []:
        document.add_paragraph(line)
    body = filler(rng, lang)
    if para:
        body.insert(1, f"{body[0]} {para}" if lang not in ("zh", "zh-tw") else body[0] + para)
    for text in body:
        document.add_paragraph(text)
    if cell:
        table = document.add_table(rows=3, cols=2)
        table.style = "Table Grid"
        table.cell(0, 0).text = cell
        rows = {"en": (("Reference", "QR-2026-14"), ("Date", "3 March 2026")),
                "es": (("Referencia", "QR-2026-14"), ("Fecha", "3 de marzo de 2026")),
                "zh": (("编号", "QR-2026-14"), ("日期", "2026年3月3日")),
                "zh-tw": (("編號", "QR-2026-14"), ("日期", "2026年3月3日"))}[lang]
        for i, (a, b) in enumerate(rows, start=1):
            table.cell(i, 0).text, table.cell(i, 1).text = a, b
    for line in last.split("\n") if last else []:
        document.add_paragraph(line)
    props = document.core_properties
    props.title = one_line(title) if title else ""
    props.author = "A. Morgan"
    props.created = props.modified = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    out = io.BytesIO()
    document.save(out)
    data = out.getvalue()
    if labels:
        data = add_labels(data, labels, with_label_info=rng.random() < 0.5)
    return data


# ----------------------------------------------------------------------------- Excel
def make_xlsx(rng: random.Random, lang: str, *, cell: str = "", header: str = "",
              footer: str = "", title: str = "", labels: dict[str, str] | None = None) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = {"en": "Data", "es": "Datos", "zh": "数据", "zh-tw": "資料"}[lang]
    row = 1
    if cell:
        ws.cell(row=1, column=1, value=cell)
        row = 3
    heads = {"en": ("Item", "Q1", "Q2"), "es": ("Partida", "T1", "T2"),
             "zh": ("项目", "一季度", "二季度"), "zh-tw": ("項目", "第一季", "第二季")}[lang]
    for col, value in enumerate(heads, start=1):
        ws.cell(row=row, column=col, value=value)
    for r in range(row + 1, row + 6):
        ws.cell(row=r, column=1, value=f"{heads[0]} {r - row}")
        ws.cell(row=r, column=2, value=rng.randint(100, 9999))
        ws.cell(row=r, column=3, value=rng.randint(100, 9999))
    if header:
        ws.oddHeader.center.text = one_line(header)
    if footer:
        ws.oddFooter.center.text = one_line(footer)
    if title:
        wb.properties.title = one_line(title)
    wb.properties.creator = "A. Morgan"
    wb.properties.created = wb.properties.modified = datetime(2026, 3, 2, 9, 0)
    out = io.BytesIO()
    wb.save(out)
    data = out.getvalue()
    if labels:
        data = add_labels(data, labels, with_label_info=rng.random() < 0.5)
    return data


# ----------------------------------------------------------------------------- PowerPoint
def make_pptx(rng: random.Random, lang: str, *, master: str = "", footer: str = "",
              slide_title: str = "", title: str = "", labels: dict[str, str] | None = None) -> bytes:
    prs = pptx.Presentation()
    if footer:
        from pptx.enum.shapes import PP_PLACEHOLDER
        for ph in prs.slide_master.placeholders:
            if ph.placeholder_format.type == PP_PLACEHOLDER.FOOTER:
                ph.text = one_line(footer)
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    slide.shapes.title.text = slide_title or {"en": "Quarterly update", "es": "Situación trimestral",
                                              "zh": "季度工作汇报", "zh-tw": "季度工作報告"}[lang]
    slide.placeholders[1].text = "\n".join(filler(rng, lang, 2))
    if master:
        # python-pptx draws text boxes on slides only: make one there and move it to the
        # master, where PowerPoint keeps a stamp that shows on every slide.
        box = slide.shapes.add_textbox(Inches(0.3), Inches(0.1), Inches(6), Inches(0.4))
        box.text_frame.text = one_line(master)
        box.text_frame.paragraphs[0].runs[0].font.size = Pt(12)
        box._element.nvSpPr.cNvPr.id = 99
        prs.slide_master.shapes._spTree.append(box._element)
    if footer:
        box = slide.shapes.add_textbox(Inches(0.5), Inches(7.0), Inches(5), Inches(0.3))
        box.text_frame.text = one_line(footer)
    if title:
        prs.core_properties.title = one_line(title)
    prs.core_properties.author = "A. Morgan"
    out = io.BytesIO()
    prs.save(out)
    data = out.getvalue()
    if labels:
        data = add_labels(data, labels, with_label_info=rng.random() < 0.5)
    return data


# ----------------------------------------------------------------------------- PDF with labels
def make_labelled_pdf(rng: random.Random, lines: list[str], props: dict[str, str]) -> bytes:
    """A one-page PDF with the label in XMP (and, half the time, in the Info dictionary)."""
    def pdf_str(s: str) -> str:
        return "(" + s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"
    text_ops = ["BT", "/F1 11 Tf", "72 760 Td", "14 TL"]
    for line in lines:
        text_ops.append(f"{pdf_str(line.encode('latin-1', 'replace').decode('latin-1'))} Tj T*")
    text_ops.append("ET")
    content = "\n".join(text_ops).encode("latin-1")
    xmp_props = "".join(f"<pdfx:{k}>{escape(v)}</pdfx:{k}>" for k, v in props.items())
    xmp = ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
           '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
           'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
           '<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">'
           '<pdf:Producer>Microsoft® Word for Microsoft 365</pdf:Producer></rdf:Description>'
           '<rdf:Description rdf:about="" xmlns:pdfx="http://ns.adobe.com/pdfx/1.3/">'
           f'{xmp_props}</rdf:Description></rdf:RDF></x:xmpmeta>'
           '<?xpacket end="w"?>').encode()
    info_extra = ""
    if rng.random() < 0.5:
        info_extra = "".join(f"/{k} {pdf_str(v)}" for k, v in props.items()
                             if all(ord(c) < 128 for c in v))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /Metadata 6 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n" % len(xmp) + xmp
        + b"\nendstream",
        f"<< /Producer (Microsoft\\256 Word for Microsoft 365) {info_extra} >>".encode("latin-1"),
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, obj in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R /Info 7 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, xref))
    return out.getvalue()


# ----------------------------------------------------------------------------- mail
def make_mail(rng: random.Random, lang: str, *, subject: str = "", first: str = "",
              last: str = "", body_para: str = "", html: bool = False,
              sensitivity: str = "", msip: dict[str, str] | None = None,
              attachment: tuple[str, bytes, str] | None = None) -> bytes:
    subject = subject or NEUTRAL_SUBJECT[lang]
    lines = filler(rng, lang)
    if body_para:
        lines.insert(1, body_para)
    if first:
        lines = [*first.split("\n"), "", *lines]
    if last:
        lines = [*lines, "", "--", *last.split("\n")]
    body = "\n".join(lines) + "\n"
    charset = pick_charset(rng, lang, subject + body)
    head = [f"From: {SENDERS[lang]}", "To: partner@example.net",
            f"Subject: {encoded_word(subject, charset, rng) if not subject.isascii() else subject}",
            f"Date: {format_datetime(datetime(2026, 3, 2, 9, rng.randint(0, 59), tzinfo=UTC))}",
            f"Message-ID: <{guid(rng)}@example.org>", "MIME-Version: 1.0"]
    if sensitivity:
        head.append(f"Sensitivity: {sensitivity}")
    if msip:
        head.append("msip_labels: " + ";\r\n ".join(f"{k}={v}" for k, v in msip.items()) + ";")
    if html:
        paras = "".join(f"<p>{escape(x)}</p>" for x in lines if x)
        body_bytes = (f"<html><head><meta charset=\"{charset}\"></head><body>{paras}</body></html>"
                      ).encode(charset)
        ctype = f'text/html; charset="{charset}"'
    else:
        body_bytes = body.encode(charset)
        ctype = f'text/plain; charset="{charset}"'
    text_part = [f"Content-Type: {ctype}", "Content-Transfer-Encoding: base64", "",
                 base64.encodebytes(body_bytes).decode()]
    if attachment is None:
        return ("\r\n".join(head + text_part)).replace("\r\n", "\n").replace("\n", "\r\n").encode()
    name, data, how = attachment
    boundary = f"----=_Part_{rng.randint(10**8, 10**9)}"
    mime = {".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }[Path(name).suffix]
    if how == "2231":
        disp = f"attachment;\r\n filename*=UTF-8''{quote(name, safe='')}"
        ctype_att = f"{mime};\r\n name*=UTF-8''{quote(name, safe='')}"
    else:  # 2047 inside a quoted parameter, as Outlook and many webmail clients write it
        cs = "big5" if lang == "zh-tw" else ("gb18030" if lang == "zh" and rng.random() < 0.5
                                             else "utf-8")
        word = f"=?{cs}?B?{base64.b64encode(name.encode(cs)).decode()}?="
        disp = f'attachment; filename="{word}"'
        ctype_att = f'{mime}; name="{word}"'
    parts = [*head, f'Content-Type: multipart/mixed; boundary="{boundary}"', "",
             f"--{boundary}", *text_part,
             f"--{boundary}", f"Content-Type: {ctype_att}", f"Content-Disposition: {disp}",
             "Content-Transfer-Encoding: base64", "", base64.encodebytes(data).decode(),
             f"--{boundary}--", ""]
    return "\r\n".join(parts).replace("\r\n", "\n").replace("\n", "\r\n").encode()


# ----------------------------------------------------------------------------- placements
def place(rng: random.Random, position: str, form: str, lang: str, name: str,
          label: str = "") -> tuple[str, bytes | None, str | None]:
    """(file name, bytes) of one item, or (file name, docx bytes, target) for LibreOffice."""
    kind, _, where = position.partition(".")
    neutral = {k: rng.choice(v) for k, v in NEUTRAL.items()}
    if kind == "docx":
        if where == "msip":
            return neutral["docx"], make_docx(rng, lang, first=form if label else "",
                                              labels=msip_props(rng, label or form)), None
        kw = {"header": "header", "footer": "footer", "first": "first", "last": "last",
              "para": "para", "cell": "cell", "title": "title", "watermark": "watermark"}[where]
        return neutral["docx"], make_docx(rng, lang, **{kw: form}), None
    if kind in ("doc", "pdf", "odt"):
        if where == "xmp":
            props = msip_props(rng, label or form)
            lines = ([form] if label else []) + filler(rng, "en")
            return neutral["pdf"], make_labelled_pdf(rng, lines, props), None
        kw = {"header": "header", "footer": "footer", "first": "first", "body": "para"}[where]
        return neutral[kind], make_docx(rng, lang, **{kw: form}), kind
    if kind == "xlsx":
        if where == "msip":
            return neutral["xlsx"], make_xlsx(rng, lang, cell=form if label else "",
                                              labels=msip_props(rng, label or form)), None
        return neutral["xlsx"], make_xlsx(rng, lang, **{where: form}), None
    if kind == "pptx":
        if where == "msip":
            return neutral["pptx"], make_pptx(rng, lang, master=form if label else "",
                                              labels=msip_props(rng, label or form)), None
        kw = {"master": "master", "footer": "footer", "title": "slide_title", "prop": "title"}[where]
        return neutral["pptx"], make_pptx(rng, lang, **{kw: form}), None
    if kind == "mail":
        if where == "subject":
            return "message.eml", make_mail(rng, lang, subject=one_line(form)), None
        if where == "sensitivity":
            return "message.eml", make_mail(rng, lang, sensitivity=form), None
        if where == "msip":
            return "message.eml", make_mail(rng, lang, first=form if label else "",
                                            msip=msip_props(rng, label or form)), None
        html = where.startswith("html.")
        where = where.removeprefix("html.")
        kw = {"first": "first", "last": "last", "body": "body_para"}[where]
        return "message.eml", make_mail(rng, lang, html=html, **{kw: form}), None
    if kind == "name":
        suffix = Path(name).suffix
        maker = {".docx": make_docx, ".xlsx": make_xlsx, ".pptx": make_pptx}[suffix]
        data = maker(rng, lang)
        if where == "plain":
            return name, data, None
        return "message.eml", make_mail(rng, lang, attachment=(name, data, where)), None
    raise ValueError(f"unknown position {position}")


def plan(rng: random.Random) -> list[dict]:
    """Every item: each form of a case placed at two of its positions, cycling through all."""
    items: list[dict] = []
    for case in CASES:
        positions = list(case.positions)
        rng.shuffle(positions)
        # Hard negatives go to three places each: the false-positive rate needs volume.
        per_form = 1 if case.name else (3 if case.expect == "none" else 2)
        if case.name:
            picks = [[p] for p in positions]
            forms = [""] * len(picks)
        else:
            cycle = iter(positions * (per_form * len(case.forms) // max(len(positions), 1) + 2))
            picks = [[next(cycle) for _ in range(min(per_form, len(positions)))] for _ in case.forms]
            forms = list(case.forms)
        for form, where in zip(forms, picks, strict=False):
            for position in where:
                items.append({"system": case.system, "expect": case.expect, "form": form,
                              "position": position, "lang": case.lang, "name": case.name,
                              "label": "", "mismatch": False})
    for label, marking, position in MISMATCH:
        lang = "zh" if not marking.isascii() and "RESERVADO" not in marking else (
            "es" if marking == "RESERVADO" else "en")
        items.append({"system": "mismatch", "expect": "classification", "form": marking,
                      "position": position, "lang": lang, "name": "", "label": label,
                      "mismatch": True})
    return items


def convert(jobs: list[tuple[Path, Path, str]], workdir: Path) -> None:
    """Convert each (source .docx, destination, target format) with one soffice per format."""
    for target in sorted({t for _, _, t in jobs}):
        batch = [(s, d) for s, d, t in jobs if t == target]
        outdir = workdir / f"out-{target}"
        outdir.mkdir(exist_ok=True)
        profile = workdir / "profile"
        for start in range(0, len(batch), 40):
            chunk = batch[start:start + 40]
            subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                            "--convert-to", target, "--outdir", str(outdir),
                            *[str(s) for s, _ in chunk]],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           timeout=900)
        for source, dest in batch:
            made = outdir / (source.stem + "." + target)
            if not made.exists():
                raise SystemExit(f"LibreOffice did not convert {source.name} to {target}")
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(made, dest)


def generate(out: Path, office: Path = HERE / "office", *, run_soffice: bool = False) -> list[dict]:
    """Write every item under out/items and return the records.

    Items LibreOffice makes (.doc, .odt, .pdf) are converted when ``run_soffice`` is set and
    kept under ``office`` (committed, so the tests need no LibreOffice); otherwise they are
    copied from there.
    """
    items_dir = out / "items"
    if items_dir.exists():
        shutil.rmtree(items_dir)
    items_dir.mkdir(parents=True)
    rng = random.Random(SEED)
    records = []
    jobs: list[tuple[Path, Path, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for n, item in enumerate(plan(rng), start=1):
            ident = f"b{n:04d}"
            name, data, target = place(rng, item["position"], item["form"], item["lang"],
                                       item["name"], item["label"])
            dest = items_dir / ident / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            records.append({"id": ident, "file": f"{ident}/{name}", **item})
            if target is None:
                dest.write_bytes(data)
                continue
            kept = office / ident / name
            if run_soffice:
                source = work / f"{ident}.docx"
                source.write_bytes(data)
                jobs.append((source, kept, target))
            elif not kept.exists():
                raise FileNotFoundError(f"{kept} is missing: run tests/corpus_blind/make.py "
                                        "(needs LibreOffice) to convert the office items")
        if run_soffice:
            if office.exists():
                shutil.rmtree(office)
            convert(jobs, work)
    for record in records:
        kept = office / record["file"]
        if kept.exists():
            shutil.copyfile(kept, items_dir / record["file"])
    return records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="", help="also write the whole corpus here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(args.out or tmp)
        records = generate(out, run_soffice=True)
    (HERE / "labels.json").write_text(json.dumps(records, ensure_ascii=False, indent=1) + "\n",
                                      encoding="utf-8")
    counts: dict[str, int] = {}
    for r in records:
        counts[r["expect"]] = counts.get(r["expect"], 0) + 1
    print(f"{len(records)} items: {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
