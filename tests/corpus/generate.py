"""Generates the labelled detection corpus: realistic items with and without markings, plus labels.json.

Usage: ``python -m tests.corpus.generate OUT_DIR`` (reproducible: fixed seed, fixed dates).
The labels are written from the marking specification (issue 3), never from the rules.
"""

from __future__ import annotations

import argparse
import base64
import io
import itertools
import json
import random
import re
import sys
import tarfile
import time
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr
from html import escape
from pathlib import Path

SEED = 20260403
FIXED_DATE = (2026, 4, 1, 9, 30, 0)
CJK_FONT_FILE = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
CJK_FONT = "WenQuanYiZenHei"

# Every format and evasion the issue asks for; test_corpus checks that each occurs.
FORMATS: tuple[str, ...] = (
    "eml", "docx", "xlsx", "pptx", "odt", "pdf", "rtf", "txt", "zip", "tar.gz", "nested-zip",
)
EVASIONS: tuple[str, ...] = (
    "zero-width", "invisible", "soft-hyphen", "full-width", "letter-spacing",
    "homoglyph-cyrillic", "homoglyph-greek", "html-markup", "mixed-case", "split-runs",
)
CATEGORIES: tuple[str, ...] = ("classification", "draft")

# -- ordinary content (must never trigger on its own) -----------------------------------------

FILLER = {
    "en": [
        "The regional logistics team met on Tuesday to review delivery schedules for the spring quarter.",
        "Warehouse capacity in the northern depot reached 82 percent, up from 74 percent last year.",
        "Fuel costs rose by 6 percent; the committee agreed to revisit the vehicle leasing contract in May.",
        "Training sessions for the new ticketing system will run every Thursday afternoon in room 4.12.",
        "The supplier confirmed that the replacement parts will arrive before the end of the month.",
        "Attendance at the customer workshops has been steady, with an average of 34 participants.",
        "Next steps: finalise the route plan, confirm staffing for the night shift and update the risk "
        "register.",
        "The audit of the vehicle fleet found three trucks overdue for inspection; all three are booked in.",
        "Rail freight volumes recovered in March after the January storms disrupted two main lines.",
        "The working group recommends a single procurement framework for spare parts across all depots.",
    ],
    "zh": [
        "各部门要结合本单位实际，认真做好年度预算执行情况的梳理工作。",
        "会议听取了物流保障中心关于春季运输计划的汇报，并对下一阶段工作进行了部署。",
        "请各单位于五月十日前将统计报表报送办公室，逾期未报的将予以通报。",
        "本季度设备维护费用同比下降百分之六，主要得益于集中采购和规范管理。",
        "培训工作安排在每周四下午，地点为四楼会议室，请相关人员准时参加。",
        "下一步，要进一步完善工作机制，加强部门之间的协调配合，确保各项任务按期完成。",
        "北方仓库的库容利用率达到百分之八十二，比去年同期提高八个百分点。",
        "供应商已确认备件将于月底前到货，届时由后勤处统一验收。",
    ],
    "es": [
        "El equipo de logística se reunió el martes para revisar los calendarios de entrega del trimestre.",
        "La capacidad del almacén norte alcanzó el 82 por ciento, frente al 74 por ciento del año pasado.",
        "Adjunto el acta de la reunión de planificación y la tabla de presupuesto actualizada.",
        "Las sesiones de formación sobre el nuevo sistema se celebrarán los jueves por la tarde "
        "en la sala 4.",
        "El proveedor confirmó que las piezas de repuesto llegarán antes de fin de mes.",
        "Próximos pasos: cerrar el plan de rutas, confirmar el personal del turno de noche y actualizar el "
        "registro de riesgos.",
        "La auditoría de la flota detectó tres camiones con la inspección vencida; ya tienen cita en taller.",
        "El volumen de carga ferroviaria se recuperó en marzo tras los temporales de enero.",
    ],
}

TITLES = {
    "en": ["Regional logistics plan 2026", "Quarterly supply review", "Fleet replacement programme",
           "Northern depot capacity study", "Route planning for the spring quarter",
           "Maintenance contract options", "Staffing plan for the night shift"],
    "zh": ["关于2026年度预算调整的通知", "关于加强物流保障工作的意见", "春季运输计划安排",
           "关于开展设备维护检查的通知", "北方仓库扩建方案", "关于规范车辆管理的若干规定"],
    "es": ["Plan logístico regional 2026", "Revisión trimestral de suministros",
           "Programa de renovación de la flota", "Estudio de capacidad del almacén norte",
           "Plan de movilidad 2026", "Opciones del contrato de mantenimiento"],
}

ORG_HEADER = {"en": "Regional Logistics Office", "zh": "物流保障中心", "es": "Oficina Regional de Logística"}
ORG_FOOTER = {"en": "Page 1 of 2", "zh": "第 1 页 共 2 页", "es": "Página 1 de 2"}

SIGNATURE = {
    "en": "Kind regards,\nAlex Morgan\nPlanning Unit, Regional Logistics Office\n+44 20 7946 0321",
    "zh": "此致\n敬礼\n王立新\n物流保障中心 计划处\n电话：010-6552 3187",
    "es": "Un saludo,\nLucía Fernández\nUnidad de Planificación, Oficina Regional de Logística\n"
          "Tel. +34 915 550 123",
}
GREETING = {"en": "Hello team,", "zh": "各位同事：", "es": "Hola a todos:"}

# Confidentiality disclaimers appended to every mail: not markings (issue 3 negatives).
DISCLAIMERS = {
    "en": [
        "CONFIDENTIALITY NOTICE: This e-mail message, including any attachments, is for the sole use of "
        "the intended recipient(s) and may contain confidential and privileged information. Any "
        "unauthorized review, use, disclosure or distribution is prohibited. If you are not the intended "
        "recipient, please contact the sender by reply e-mail and destroy all copies of the original "
        "message.",
        "CONFIDENTIAL: The information contained in this email and any attachments is confidential and "
        "may be legally privileged. It is intended solely for the addressee. If you have received this "
        "email in error, please notify the sender immediately and delete it from your system.",
        "This email and any files transmitted with it are confidential and intended solely for the use of "
        "the individual or entity to whom they are addressed. If you have received this email in error "
        "please notify the system manager. Please note that any views or opinions presented in this email "
        "are solely those of the author.",
        "Disclaimer: This message is intended only for the person or entity to which it is addressed and "
        "may contain information that is privileged, confidential or otherwise protected from disclosure. "
        "Dissemination, distribution or copying of this message by anyone other than the intended "
        "recipient is strictly prohibited.",
        "IMPORTANT: The contents of this email and any attachments are confidential. They are intended "
        "for the named recipient(s) only. If you have received this email by mistake, please notify the "
        "sender immediately and do not disclose the contents to anyone or make copies thereof.",
        "Confidential - This communication may contain privileged or other confidential information. If "
        "you are not the intended recipient, or believe that you have received this communication in "
        "error, please do not print, copy, retransmit, disseminate, or otherwise use the information.",
        "This e-mail and any attachment are intended only for the addressee and may contain information "
        "that is confidential. The Ministry accepts no liability for any damage caused by any virus "
        "transmitted by this email. Communications with the Ministry may be monitored or recorded for "
        "lawful purposes.",
    ],
    "es": [
        "AVISO DE CONFIDENCIALIDAD: Este mensaje y sus archivos adjuntos van dirigidos exclusivamente a "
        "su destinatario y pueden contener información confidencial sometida a secreto profesional. Si "
        "usted no es el destinatario indicado, queda notificado de que la lectura, utilización, "
        "divulgación y/o copia sin autorización está prohibida. Si ha recibido este mensaje por error, le "
        "rogamos que nos lo comunique inmediatamente por esta misma vía y proceda a su destrucción.",
        "CONFIDENCIALIDAD: La información contenida en este correo electrónico es confidencial y está "
        "dirigida únicamente a su destinatario. Si usted lo ha recibido por error, le rogamos que lo "
        "elimine y avise al remitente. Gracias.",
        "Este correo electrónico y, en su caso, cualquier fichero anexo al mismo, contiene información de "
        "carácter confidencial exclusivamente dirigida a su destinatario o destinatarios. Queda prohibida "
        "su divulgación, copia o distribución a terceros sin la previa autorización escrita de la "
        "Secretaría General.",
        "AVISO LEGAL: La información contenida en este mensaje es reservada y confidencial, y está "
        "destinada únicamente al uso de la persona o entidad a la que va dirigida. Si usted no es el "
        "destinatario, se le notifica que cualquier distribución o copia de la misma está prohibida.",
        "Protección de datos: de conformidad con el Reglamento (UE) 2016/679, le informamos de que sus "
        "datos se tratan con la finalidad de gestionar la relación con usted. Este mensaje es "
        "confidencial; si no es usted el destinatario, bórrelo y avísenos.",
    ],
    "zh": [
        "保密声明：本邮件及其附件可能包含保密信息，仅限于发送给上面地址中列出的个人或机构。禁止任何其他人以任何"
        "形式使用（包括但不限于全部或部分地泄露、复制或散发）本邮件中的信息。如果您错收了本邮件，请您立即电话或"
        "邮件通知发件人并删除本邮件。",
        "【保密提示】此邮件及附件所含信息均属机密，仅供指定收件人使用。若您并非指定收件人，请勿阅读、复制或转发，"
        "并请立即通知发件人后删除。",
        "免责声明：本邮件所载信息仅供收件人参考，不构成任何投资建议。本公司对因使用本邮件内容而产生的任何损失不"
        "承担责任。邮件内容如涉及商业秘密，请注意保密。",
        "本邮件含有保密内容，仅供指定收件人使用，未经许可不得转发。如误收，请删除并告知发件人。谢谢！",
        "保密声明 Confidentiality Notice：本邮件（包括附件）仅供指定收件人使用，"
        "可能包含保密或受法律保护的信息。"
        "This e-mail may contain confidential information; if you are not the addressee, please delete it.",
    ],
}


# -- evasions -----------------------------------------------------------------------------------

_CYRILLIC = str.maketrans("AEOPCTHKMXBaeopcx", "АЕОРСТНКМХВаеорсх")
_GREEK = str.maketrans("AEOPTKNIBHXZMY", "ΑΕΟΡΤΚΝΙΒΗΧΖΜΥ")


def _between_letters(text: str, joiners: Iterable[str]) -> str:
    """Insert ``joiners`` (cycled) between adjacent letters of each word, not at spaces."""
    cycle = itertools.cycle(joiners)
    out = []
    for i, ch in enumerate(text):
        out.append(ch)
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if ch.isalnum() and nxt.isalnum():
            out.append(next(cycle))
    return "".join(out)


def _homoglyphs(text: str, table: dict[int, int]) -> str:
    """Swap every other letter that has a look-alike (as an evader does, keeping it readable)."""
    out, swap = [], True
    for ch in text:
        if ord(ch) in table:
            out.append(chr(table[ord(ch)]) if swap else ch)
            swap = not swap
        else:
            out.append(ch)
    return "".join(out)


def _mixed_case(text: str) -> str:
    flip = itertools.cycle((str.upper, str.lower))
    return "".join(next(flip)(ch) if ch.isalpha() else ch for ch in text)


def _spaced(text: str) -> str:
    """Letter spacing: 'S E C R E T', '机 密 ★ 5 年'; words stay apart by three blanks."""
    return "   ".join(" ".join(word) for word in text.split())


def _full_width(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ("\u3000" if ch == " " else ch)
                   for ch in text)


def evade(text: str, evasion: str) -> str:
    """``text`` as an evader would write it (evasions that live in markup are done by renderers)."""
    if evasion == "zero-width":
        return _between_letters(text, ("\u200b", "\u200c", "\u200d"))
    if evasion == "invisible":
        return _between_letters(text, ("\u2060", "\ufeff", "\u2063", "\u180e"))
    if evasion == "soft-hyphen":
        return _between_letters(text, ("\u00ad",))
    if evasion == "full-width":
        return _full_width(text)
    if evasion == "letter-spacing":
        return _spaced(text)
    if evasion == "homoglyph-cyrillic":
        return _homoglyphs(text, _CYRILLIC)
    if evasion == "homoglyph-greek":
        return _homoglyphs(text, _GREEK)
    if evasion == "mixed-case":
        return _mixed_case(text)
    return text


def html_split(text: str) -> str:
    """The marking cut by inline markup in the middle of words (a visible, whole word to a reader)."""
    tags = itertools.cycle(("<b>{}</b>", '<span style="color:#900">{}</span>', "{}<!-- x -->",
                            "<font face=Arial>{}</font>"))
    pieces, out = [], []
    for word in text.split(" "):
        if len(word) >= 2:
            cut = max(1, len(word) // 2)
            pieces = [escape(word[:cut]), next(tags).format(escape(word[cut:]))]
            out.append("".join(pieces))
        else:
            out.append(escape(word))
    return " ".join(out)


def run_split(text: str) -> list[str]:
    """The marking cut into Word runs at arbitrary points, as editing history leaves it."""
    n = len(text)
    cuts = sorted({max(1, n // 3), max(1, (2 * n) // 3)})
    return [text[a:b] for a, b in zip([0, *cuts], [*cuts, n], strict=True) if text[a:b]]


# -- the document model every renderer reads -----------------------------------------------------


@dataclass
class Doc:
    """One document's content, placed where a renderer puts it (body, header, properties...)."""

    lang: str
    title: str
    paras: list[str]
    header: str = ""
    footer: str = ""
    top: list[str] = field(default_factory=list)  # lines above the title (banners, 密级 lines)
    bottom: list[str] = field(default_factory=list)  # lines after the body (closing banner)
    props: dict[str, str] = field(default_factory=dict)  # title/subject/keywords/category/content_status
    custom: dict[str, str] = field(default_factory=dict)
    watermark: str = ""
    runs: list[str] = field(default_factory=list)  # one paragraph written as separate runs
    tracked: bool = False
    comment: str = ""
    notes: str = ""
    sheet: str = ""


def base_doc(lang: str, rng: random.Random, *, n: int = 4, title: str | None = None) -> Doc:
    """A neutral document in ``lang``: title, ``n`` filler paragraphs, organisation header/footer."""
    return Doc(lang=lang, title=title or rng.choice(TITLES[lang]),
               paras=rng.sample(FILLER[lang], n), header=ORG_HEADER[lang], footer=ORG_FOOTER[lang],
               props={"title": "", "subject": "", "keywords": "", "category": "", "content_status": ""})


_TIMESTAMP = re.compile(rb"20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z?")


def _fixed_dates(name: str, content: bytes) -> bytes:
    """Libraries stamp 'now' into XML parts (modified, comment dates); pin them for reproducibility."""
    if not name.endswith(".xml"):
        return content
    return _TIMESTAMP.sub(b"2026-03-30T09:00:00Z", content)


def _stable_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed member and XML dates so the same corpus comes out byte for byte."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_DATE)
            fixed.compress_type = info.compress_type
            fixed.external_attr = info.external_attr
            target.writestr(fixed, _fixed_dates(info.filename, source.read(info)))
    return out.getvalue()


def _patch_zip(data: bytes, changes: dict[str, Callable[[bytes], bytes] | bytes]) -> bytes:
    """A copy of zip ``data`` with members changed (function of old bytes) or added (bytes)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            change = changes.get(info.filename)
            if change is not None:
                content = change(content) if callable(change) else change
            target.writestr(zipfile.ZipInfo(info.filename, date_time=FIXED_DATE),
                            _fixed_dates(info.filename, content), compress_type=zipfile.ZIP_DEFLATED)
        for name, change in changes.items():
            if name not in source.namelist():
                assert isinstance(change, bytes), name
                target.writestr(zipfile.ZipInfo(name, date_time=FIXED_DATE), change,
                                compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _insert_before(marker: str, new: str) -> Callable[[bytes], bytes]:
    def apply(content: bytes) -> bytes:
        text = content.decode("utf-8")
        assert marker in text, f"{marker!r} not found while patching"
        return text.replace(marker, new + marker, 1).encode("utf-8")
    return apply


# -- docx ---------------------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _vml_watermark(text: str) -> str:
    # Word's own "DRAFT" watermark: a VML WordArt shape in the header part.
    return (
        '<w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr><w:r><w:pict xmlns:v="urn:schemas-microsoft-com:vml">'
        '<v:shape id="PowerPlusWaterMarkObject357831064" o:spid="_x0000_s2049" type="#_x0000_t136" '
        'xmlns:o="urn:schemas-microsoft-com:office:office" '
        'style="position:absolute;margin-left:0;margin-top:0;width:527.85pt;height:131.95pt;rotation:315;'
        'z-index:-251655168;mso-position-horizontal:center;mso-position-vertical:center" '
        'fillcolor="silver" stroked="f"><v:fill opacity=".5"/>'
        f'<v:textpath style="font-family:&quot;Calibri&quot;;font-size:1pt" string="{escape(text)}"/>'
        '</v:shape></w:pict></w:r></w:p>'
    )


def _tracked_paragraph(lang: str) -> str:
    inserted, deleted = {
        "en": ("an additional depot in the east", "two temporary sites"),
        "zh": ("东部新增一个仓库", "两个临时场地"),
        "es": ("un depósito adicional en el este", "dos emplazamientos temporales"),
    }[lang]
    lead = {"en": "The plan provides for ", "zh": "方案拟建设", "es": "El plan prevé "}[lang]
    return (
        f'<w:p><w:r><w:t xml:space="preserve">{escape(lead)}</w:t></w:r>'
        '<w:ins w:id="901" w:author="M. Ortega" w:date="2026-03-30T10:12:00Z">'
        f'<w:r><w:t>{escape(inserted)}</w:t></w:r></w:ins>'
        '<w:del w:id="902" w:author="M. Ortega" w:date="2026-03-30T10:13:00Z">'
        f'<w:r><w:delText>{escape(deleted)}</w:delText></w:r></w:del>'
        '<w:r><w:t>.</w:t></w:r></w:p>'
    )


def _custom_props(values: dict[str, str]) -> bytes:
    props = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{i}" name="{escape(k)}">'
        f"<vt:lpwstr>{escape(v)}</vt:lpwstr></property>"
        for i, (k, v) in enumerate(values.items(), start=2)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"{props}</Properties>"
    ).encode()


def _set_props(core, props: dict[str, str]) -> None:
    for key, value in props.items():
        if value:
            setattr(core, key, value)


def docx_bytes(doc: Doc) -> bytes:
    """A Word document: python-docx for the text, XML patches for watermark and tracked changes."""
    import datetime

    import docx
    from docx.shared import Pt

    document = docx.Document()
    for line in doc.top:
        para = document.add_paragraph()
        para.add_run(line).bold = True
    if doc.runs:
        para = document.add_paragraph()
        for i, piece in enumerate(doc.runs):
            run = para.add_run(piece)
            # Different formatting per run is what makes Word keep the pieces apart.
            run.bold = i % 2 == 0
            run.font.size = Pt(12 + i)
    document.add_heading(doc.title, level=1)
    paragraphs = [document.add_paragraph(text) for text in doc.paras]
    for line in doc.bottom:
        document.add_paragraph().add_run(line).bold = True
    if doc.comment:
        document.add_comment(paragraphs[0].runs[0], text=doc.comment, author="R. Chen", initials="RC")
    section = document.sections[0]
    if doc.header or doc.watermark:
        section.header.paragraphs[0].text = doc.header
    if doc.footer:
        section.footer.paragraphs[0].text = doc.footer
    core = document.core_properties
    core.author = {"en": "A. Morgan", "zh": "王立新", "es": "L. Fernández"}[doc.lang]
    core.created = core.modified = datetime.datetime(2026, 3, 30, 9, 0, 0)
    core.revision = 3
    _set_props(core, doc.props)
    out = io.BytesIO()
    document.save(out)
    data = out.getvalue()
    changes: dict[str, Callable[[bytes], bytes] | bytes] = {}
    if doc.watermark:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        header = next(n for n in names if n.startswith("word/header"))
        changes[header] = _insert_before("</w:hdr>", _vml_watermark(doc.watermark))
    if doc.tracked:
        changes["word/document.xml"] = _insert_before("<w:sectPr", _tracked_paragraph(doc.lang))
    if doc.custom:
        changes["docProps/custom.xml"] = _custom_props(doc.custom)
        changes["[Content_Types].xml"] = _insert_before(
            "</Types>", '<Override PartName="/docProps/custom.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.custom-properties+xml"/>')
        changes["_rels/.rels"] = _insert_before(
            "</Relationships>", '<Relationship Id="rIdCustom1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/custom-properties" Target="docProps/custom.xml"/>')
    return _patch_zip(data, changes) if changes else _stable_zip(data)


# -- xlsx ---------------------------------------------------------------------------------------

_SHEET_ROWS = {
    "en": (["Item", "Q1", "Q2", "Q3", "Owner"],
           [["Fuel", 41200, 43950, 42100, "Fleet"], ["Spare parts", 18300, 17600, 19020, "Workshop"],
            ["Leasing", 66000, 66000, 66000, "Finance"], ["Training", 5400, 3900, 4700, "HR"]]),
    "zh": (["项目", "一季度", "二季度", "三季度", "负责部门"],
           [["燃油", 41200, 43950, 42100, "车队"], ["备件", 18300, 17600, 19020, "维修车间"],
            ["租赁", 66000, 66000, 66000, "财务处"], ["培训", 5400, 3900, 4700, "人事处"]]),
    "es": (["Partida", "T1", "T2", "T3", "Responsable"],
           [["Combustible", 41200, 43950, 42100, "Flota"], ["Repuestos", 18300, 17600, 19020, "Taller"],
            ["Arrendamiento", 66000, 66000, 66000, "Finanzas"], ["Formación", 5400, 3900, 4700, "RR. HH."]]),
}
_SHEET_NAMES = {"en": ("Budget", "Notes"), "zh": ("预算", "说明"), "es": ("Presupuesto", "Notas")}


def xlsx_bytes(doc: Doc) -> bytes:
    """A workbook: banner/title row, a budget table, a notes sheet, print header/footer, properties."""
    import datetime

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = doc.sheet or _SHEET_NAMES[doc.lang][0]
    row = 1
    for line in doc.top:
        sheet.cell(row=row, column=1, value=line)
        row += 1
    sheet.cell(row=row, column=1, value=doc.title)
    row += 2
    header, rows = _SHEET_ROWS[doc.lang]
    for r, values in enumerate([header, *rows], start=row):
        for c, value in enumerate(values, start=1):
            sheet.cell(row=r, column=c, value=value)
    row += len(rows) + 2
    for line in doc.bottom:
        sheet.cell(row=row, column=1, value=line)
        row += 1
    if doc.comment:
        from openpyxl.comments import Comment

        # A review comment, as Excel 365 writes one: a threaded comment, and a legacy note
        # holding its stand-in for older readers (a bare note is an annotation, no review).
        sheet.cell(row=row - len(rows) - 1, column=2).comment = Comment(
            _THREADED_STANDIN + doc.comment, "tc={00000000-0001}")
    if doc.header:
        sheet.oddHeader.center.text = doc.header
    if doc.footer:
        sheet.oddFooter.center.text = doc.footer
    notes = workbook.create_sheet(_SHEET_NAMES[doc.lang][1])
    for r, text in enumerate(doc.paras, start=1):
        notes.cell(row=r, column=1, value=text)
    props = workbook.properties
    props.creator = "Planning Unit"
    props.created = props.modified = datetime.datetime(2026, 3, 30, 9, 0, 0)
    mapping = {"title": "title", "subject": "subject", "keywords": "keywords", "category": "category",
               "content_status": "contentStatus"}
    for key, value in doc.props.items():
        if value:
            setattr(props, mapping[key], value)
    out = io.BytesIO()
    workbook.save(out)
    if doc.comment:
        return _threaded(out.getvalue(), f"B{row - len(rows) - 1}", doc.comment)
    return _stable_zip(out.getvalue())


_THREADED_STANDIN = ("[Threaded comment]\n\nYour version of Excel allows you to read this threaded "
                     "comment; however, any edits to it will get removed if the file is opened in a "
                     "newer version of Excel. Learn more: https://go.microsoft.com/fwlink/?linkid=870924"
                     "\n\nComment:\n    ")
_XL_2018 = "http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"
_XL_REL = "http://schemas.microsoft.com/office/2017/10/relationships"


def _threaded(data: bytes, ref: str, text: str) -> bytes:
    """The workbook ``data`` with a threaded comment on ``ref`` of the first sheet, and its author."""
    comment = (f'<?xml version="1.0" encoding="UTF-8"?><ThreadedComments xmlns="{_XL_2018}">'
               f'<threadedComment ref="{ref}" dT="2026-03-30T09:00:00.00" personId="{{7A1B}}" '
               f'id="{{00000000-0001}}"><text>{escape(text)}</text></threadedComment></ThreadedComments>')
    persons = (f'<?xml version="1.0" encoding="UTF-8"?><personList xmlns="{_XL_2018}">'
               '<person displayName="R. Chen" id="{7A1B}" userId="R. Chen" providerId="None"/>'
               '</personList>')
    types = ('<Override PartName="/xl/threadedComments/threadedComment1.xml" ContentType='
             '"application/vnd.ms-excel.threadedcomments+xml"/><Override PartName='
             '"/xl/persons/person.xml" ContentType="application/vnd.ms-excel.person+xml"/>')
    return _patch_zip(data, {
        "xl/threadedComments/threadedComment1.xml": comment.encode(),
        "xl/persons/person.xml": persons.encode(),
        "[Content_Types].xml": _insert_before("</Types>", types),
        "xl/worksheets/_rels/sheet1.xml.rels": _insert_before("</Relationships>", (
            f'<Relationship Type="{_XL_REL}/threadedComment" '
            'Target="/xl/threadedComments/threadedComment1.xml" Id="threaded"/>')),
        "xl/_rels/workbook.xml.rels": _insert_before("</Relationships>", (
            f'<Relationship Type="{_XL_REL}/person" Target="/xl/persons/person.xml" Id="persons"/>')),
    })


# -- pptx ---------------------------------------------------------------------------------------


def pptx_bytes(doc: Doc) -> bytes:
    """A deck: title slide, a bullet slide with the body, a banner text box and speaker notes."""
    import datetime

    import pptx
    from pptx.util import Inches, Pt

    deck = pptx.Presentation()
    first = deck.slides.add_slide(deck.slide_layouts[0])
    first.shapes.title.text = doc.title
    first.placeholders[1].text = {"en": "Planning Unit, April 2026", "zh": "计划处　2026年4月",
                                  "es": "Unidad de Planificación, abril de 2026"}[doc.lang]
    second = deck.slides.add_slide(deck.slide_layouts[1])
    second.shapes.title.text = {"en": "Key points", "zh": "主要内容", "es": "Puntos clave"}[doc.lang]
    body = second.placeholders[1].text_frame
    body.text = doc.paras[0]
    for text in doc.paras[1:]:
        body.add_paragraph().text = text
    for slide in (first, second):
        for i, line in enumerate(doc.top):
            box = slide.shapes.add_textbox(Inches(3), Inches(0.1 + 0.3 * i), Inches(4), Inches(0.4))
            box.text_frame.text = line
            box.text_frame.paragraphs[0].runs[0].font.size = Pt(14)
        for line in doc.bottom:
            box = slide.shapes.add_textbox(Inches(3), Inches(7.0), Inches(4), Inches(0.4))
            box.text_frame.text = line
    if doc.footer:
        box = second.shapes.add_textbox(Inches(0.3), Inches(7.1), Inches(3), Inches(0.3))
        box.text_frame.text = doc.footer
    if doc.notes:
        second.notes_slide.notes_text_frame.text = doc.notes
    core = deck.core_properties
    core.author = "Planning Unit"
    core.created = core.modified = datetime.datetime(2026, 3, 30, 9, 0, 0)
    core.revision = 2
    _set_props(core, doc.props)
    out = io.BytesIO()
    deck.save(out)
    return _stable_zip(out.getvalue())


# -- odt ----------------------------------------------------------------------------------------


def odt_bytes(doc: Doc) -> bytes:
    """An OpenDocument text: master-page header/footer, heading, paragraphs, meta and user fields."""
    from odf import dc, meta
    from odf.opendocument import OpenDocumentText
    from odf.style import Footer, Header, MasterPage, PageLayout
    from odf.text import H, P

    document = OpenDocumentText()
    layout = PageLayout(name="Layout1")
    document.automaticstyles.addElement(layout)
    master = MasterPage(name="Standard", pagelayoutname=layout)
    if doc.header:
        top = Header()
        top.addElement(P(text=doc.header))
        master.addElement(top)
    if doc.footer:
        bottom = Footer()
        bottom.addElement(P(text=doc.footer))
        master.addElement(bottom)
    document.masterstyles.addElement(master)
    for line in doc.top:
        document.text.addElement(P(text=line))
    document.text.addElement(H(outlinelevel=1, text=doc.title))
    for i, text in enumerate(doc.paras):
        para = P(text=text)
        if doc.comment and i == 0:
            from odf.office import Annotation

            note = Annotation()
            note.addElement(dc.Creator(text="R. Chen"))
            note.addElement(dc.Date(text="2026-03-30T10:00:00"))
            note.addElement(P(text=doc.comment))
            para.addElement(note)
        document.text.addElement(para)
    for line in doc.bottom:
        document.text.addElement(P(text=line))
    if doc.props.get("title"):
        document.meta.addElement(dc.Title(text=doc.props["title"]))
    if doc.props.get("subject"):
        document.meta.addElement(dc.Subject(text=doc.props["subject"]))
    for word in filter(None, (w.strip() for w in doc.props.get("keywords", "").split(","))):
        document.meta.addElement(meta.Keyword(text=word))
    for name, value in doc.custom.items():
        document.meta.addElement(meta.UserDefined(name=name, valuetype="string", text=value))
    document.meta.addElement(dc.Date(text="2026-03-30T09:00:00"))
    out = io.BytesIO()
    document.write(out)
    return _stable_zip(out.getvalue())


# -- pdf ----------------------------------------------------------------------------------------


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if any("\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" for ch in text):
        lines, line = [], ""
        for ch in text:  # CJK wraps between any two characters
            if stringWidth(line + ch, font, size) > width:
                lines.append(line)
                line = ""
            line += ch
        return [*lines, line] if line else lines
    return simpleSplit(text, font, size, width)


def pdf_bytes(doc: Doc) -> bytes:
    """A PDF page: banner header/footer bands, title, wrapped body, optional watermark, info dict."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(CJK_FONT, str(CJK_FONT_FILE), subfontIndex=0))
    # WenQuanYi covers Latin too, so every non-English PDF (and any evasion character) is drawn with it.
    plain = doc.lang == "en" and all(ord(ch) < 0x100 for ch in
                                     "".join([doc.title, doc.header, doc.footer, doc.watermark,
                                              *doc.top, *doc.paras, *doc.bottom]))
    regular, bold = ("Helvetica", "Helvetica-Bold") if plain else (CJK_FONT, CJK_FONT)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    width, height = A4
    if doc.props.get("title"):
        c.setTitle(doc.props["title"])
    if doc.props.get("subject"):
        c.setSubject(doc.props["subject"])
    if doc.props.get("keywords"):
        c.setKeywords(doc.props["keywords"])
    c.setAuthor("Planning Unit")
    c.setCreator("Writer")
    if doc.watermark:
        c.saveState()
        c.setFillGray(0.85)
        c.setFont(bold, 90)
        c.translate(width / 2, height / 2)
        c.rotate(45)
        c.drawCentredString(0, 0, doc.watermark)
        c.restoreState()
    c.setFont(bold, 11)
    if doc.header:
        c.drawCentredString(width / 2, height - 30, doc.header)
    if doc.footer:
        c.drawCentredString(width / 2, 22, doc.footer)
    y = height - 80
    for line in doc.top:
        c.drawString(72, y, line)
        y -= 18
    c.setFont(bold, 15)
    c.drawString(72, y - 10, doc.title)
    y -= 44
    c.setFont(regular, 11)
    for text in doc.paras:
        for line in _wrap(text, regular, 11, width - 144):
            c.drawString(72, y, line)
            y -= 15
        y -= 8
    c.setFont(bold, 11)
    for line in doc.bottom:
        c.drawString(72, y, line)
        y -= 18
    c.showPage()
    c.save()
    return buf.getvalue()


# -- rtf and text -------------------------------------------------------------------------------


def _rtf_escape(text: str) -> str:
    out = []
    for ch in text:
        code = ord(ch)
        if ch in "\\{}":
            out.append("\\" + ch)
        elif code < 0x80:
            out.append(ch)
        else:
            for unit in ch.encode("utf-16-le").hex(" ", 2).split():
                value = int.from_bytes(bytes.fromhex(unit), "little")
                out.append(f"\\u{value - 65536 if value > 32767 else value}?")
    return "".join(out)


def rtf_bytes(doc: Doc) -> bytes:
    """An RTF document as Word writes it: info group, header/footer groups, \\u escapes."""
    e = _rtf_escape
    info = "".join(f"{{\\{key} {e(doc.props[name])}}}" for name, key in
                   (("title", "title"), ("subject", "subject"), ("keywords", "keywords"),
                    ("category", "category")) if doc.props.get(name))
    lines = [
        "{\\rtf1\\ansi\\ansicpg1252\\deff0\\uc1",
        "{\\fonttbl{\\f0\\froman\\fcharset0 Times New Roman;}{\\f1\\fnil\\fcharset134 SimSun;}}",
        f"{{\\info{info}{{\\author Planning Unit}}}}",
        "\\paperw11906\\paperh16838\\margl1440\\margr1440",
    ]
    if doc.header:
        lines.append(f"{{\\header \\pard\\qc\\b {e(doc.header)}\\b0\\par}}")
    if doc.footer:
        lines.append(f"{{\\footer \\pard\\qc {e(doc.footer)}\\par}}")
    for line in doc.top:
        lines.append(f"\\pard\\b {e(line)}\\b0\\par")
    lines.append(f"\\pard\\qc\\b\\fs32 {e(doc.title)}\\b0\\fs24\\par")
    for text in doc.paras:
        lines.append(f"\\pard\\ql {e(text)}\\par")
    for line in doc.bottom:
        lines.append(f"\\pard\\b {e(line)}\\b0\\par")
    lines.append("}")
    return "\n".join(lines).encode("ascii")


def txt_bytes(doc: Doc, encoding: str = "utf-8") -> bytes:
    """Plain text as people save notes: banner lines, title, paragraphs."""
    lines = [*doc.top, doc.title, "", *(p + "\n" for p in doc.paras), *doc.bottom]
    return "\n".join(lines).encode(encoding)


def html_page(doc: Doc, *, top_html: list[str] | None = None) -> bytes:
    """A standalone HTML page (top lines may already be HTML, e.g. a marking cut by tags)."""
    top = top_html if top_html is not None else [escape(t) for t in doc.top]
    body = "".join(f'<p style="text-align:center"><b>{t}</b></p>' for t in top)
    body += f"<h1>{escape(doc.title)}</h1>" + "".join(f"<p>{escape(p)}</p>" for p in doc.paras)
    return (f'<!DOCTYPE html><html lang="{doc.lang}"><head><meta charset="utf-8"><title>'
            f"{escape(doc.title)}</title></head><body>{body}</body></html>").encode()


RENDER: dict[str, Callable[[Doc], bytes]] = {
    "docx": docx_bytes, "xlsx": xlsx_bytes, "pptx": pptx_bytes, "odt": odt_bytes, "pdf": pdf_bytes,
    "rtf": rtf_bytes, "txt": txt_bytes,
}
MIME = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text", "pdf": "application/pdf",
    "rtf": "application/rtf", "txt": "text/plain", "zip": "application/zip", "html": "text/html",
}


# -- mail ---------------------------------------------------------------------------------------

PEOPLE = {
    "en": (("Alex Morgan", "alex.morgan@logistics.example.gov"),
           ("Sam Patel", "s.patel@partner.example.com")),
    "zh": (("王立新", "wang.lixin@wuliu.example.cn"), ("李静", "lijing@partner.example.com.cn")),
    "es": (("Lucía Fernández", "lfernandez@logistica.example.es"), ("Jorge Ruiz", "jruiz@socio.example.es")),
}
BODY_CHARSET = {"en": "us-ascii", "zh": "gb18030", "es": "iso-8859-1"}
SUBJECT_CHARSET = {"en": "us-ascii", "zh": "gb2312", "es": "iso-8859-1"}


def _encodable(text: str, charset: str) -> bool:
    try:
        text.encode(charset)
    except UnicodeEncodeError:
        return False
    return True


def _text_part(text: str, subtype: str, charset: str) -> MIMEText:
    # Fall back to UTF-8 when an evasion character has no place in the legacy charset.
    return MIMEText(text, subtype, charset if _encodable(text, charset) else "utf-8")


def encoded_words(text: str, charset: str) -> str:
    """RFC 2047 B-encoded words labelled as mailers label them (Python's Header writes
    'eucgb2312_cn' for GB2312, a name no real mailer uses)."""
    words, chunk = [], ""
    for ch in text:
        # 75 characters per encoded word (RFC 2047 section 2): stay well under it.
        if len(base64.b64encode((chunk + ch).encode(charset))) > 40:
            words.append(chunk)
            chunk = ""
        chunk += ch
    words.append(chunk)
    return "\r\n ".join(f"=?{charset}?B?{base64.b64encode(w.encode(charset)).decode()}?=" for w in words)


@dataclass
class Mail:
    """One message: subject, plain body (and optional HTML alternative), attachments."""

    lang: str
    subject: str
    body: str
    html: str = ""
    attachments: list[tuple[str, bytes, str]] = field(default_factory=list)
    number: int = 0


def mail_body(lang: str, rng: random.Random, *, top: Iterable[str] = (), middle: Iterable[str] = (),
              bottom: Iterable[str] = (), disclaimer: bool = True, n: int = 2) -> str:
    """A realistic mail text: banner lines, greeting, paragraphs, signature, disclaimer."""
    parts = [*top, GREETING[lang], *rng.sample(FILLER[lang], n), *middle, SIGNATURE[lang], *bottom]
    if disclaimer:
        parts += ["--", rng.choice(DISCLAIMERS[lang])]
    return "\n\n".join(parts) + "\n"


def eml_bytes(mail: Mail) -> bytes:
    """An RFC 5322 message: legacy charsets per language, RFC 2047 subject, RFC 2231 file names."""
    sender, recipient = PEOPLE[mail.lang]
    plain = _text_part(mail.body, "plain", BODY_CHARSET[mail.lang])
    if mail.html and not mail.body:
        body = _text_part(mail.html, "html", "utf-8")
    elif mail.html:
        body = MIMEMultipart("alternative", boundary=f"=_alt_{mail.number:04d}")
        body.attach(plain)
        body.attach(_text_part(mail.html, "html", "utf-8"))
    else:
        body = plain
    if mail.attachments:
        message = MIMEMultipart("mixed", boundary=f"=_mixed_{mail.number:04d}")
        message.attach(body)
        for name, data, ctype in mail.attachments:
            maintype, subtype = ctype.split("/")
            if maintype == "text":
                attachment = MIMEText(data.decode("utf-8"), subtype, "utf-8")
            else:
                attachment = MIMEApplication(data, subtype)
            filename = ("utf-8", "", name) if not name.isascii() else name
            attachment.add_header("Content-Disposition", "attachment", filename=filename)
            message.attach(attachment)
    else:
        message = body
    charset = SUBJECT_CHARSET[mail.lang]
    if not _encodable(mail.subject, charset):
        charset = "utf-8"
    message["Subject"] = mail.subject if mail.subject.isascii() else encoded_words(mail.subject, charset)
    message["From"] = formataddr((str(Header(sender[0], "utf-8")) if not sender[0].isascii()
                                  else sender[0], sender[1]))
    message["To"] = recipient[1]
    message["Date"] = "Wed, 01 Apr 2026 09:30:00 +0000"
    message["Message-ID"] = f"<corpus-{mail.number:04d}@logistics.example.gov>"
    return message.as_bytes()


# -- archives -----------------------------------------------------------------------------------


def zip_bytes(members: list[tuple[str, bytes]]) -> bytes:
    """A zip as desktop tools write it (UTF-8 names flagged, deflated)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(zipfile.ZipInfo(name, date_time=FIXED_DATE), data,
                             compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def targz_bytes(members: list[tuple[str, bytes]]) -> bytes:
    """A gzip-compressed POSIX tar with fixed dates and owners."""
    import gzip

    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), 1775035800, 0o644
            info.uname = info.gname = "planning"
            archive.addfile(info, io.BytesIO(data))
    return gzip.compress(raw.getvalue(), mtime=0)


# -- the corpus --------------------------------------------------------------------------------


@dataclass
class Item:
    """One labelled item: what it is, where its marking sits, and what the gateway must do."""

    name: str
    categories: list[str]
    kind: str
    format: str
    location: str
    evasion: str | None
    lang: str
    description: str
    data: bytes = b""

    def label(self) -> dict[str, object]:
        """The manifest entry (labels.json) for this item."""
        return {"name": self.name, "categories": self.categories, "kind": self.kind,
                "format": self.format, "location": self.location, "evasion": self.evasion,
                "lang": self.lang, "description": self.description}


EXT = {"eml": "eml", "docx": "docx", "xlsx": "xlsx", "pptx": "pptx", "odt": "odt", "pdf": "pdf",
       "rtf": "rtf", "txt": "txt", "zip": "zip", "tar.gz": "tar.gz", "nested-zip": "zip", "html": "html"}

# Where a placement puts the text, as the manifest names it.
LOCATION = {"header": "header", "footer": "footer", "banner": "body", "top": "body", "portion": "body",
            "runs": "body", "title": "title", "watermark": "watermark", "tracked": "revision",
            "comment": "comment", "cell": "cell", "sheet": "sheet", "slide": "slide", "notes": "notes",
            "subject": "subject", "body": "body", "html": "body", "filename": "filename",
            "attachment": "attachment", "archive": "archive", "prose": "body", "block": "body",
            "retitle": "title"}

TOPIC = {"en": "convoy schedule for April", "zh": "关于四月份运输计划的通知",
         "es": "calendario de convoyes de abril"}


def location_name(loc: str) -> str:
    """The manifest location of a placement (``property:keywords`` -> ``property``)."""
    return "property" if loc.startswith(("property:", "custom:")) else LOCATION[loc]


def place(doc: Doc, loc: str, text: str) -> Doc:
    """``doc`` with ``text`` put at placement ``loc`` (see LOCATION)."""
    if loc == "header":
        doc.header = text
    elif loc == "footer":
        doc.footer = text
    elif loc == "banner":
        doc.top, doc.bottom = [text], [text]
    elif loc in ("top", "cell", "slide"):
        doc.top = [text]
    elif loc == "title":
        doc.title += text
        doc.props["title"] = doc.title
    elif loc == "portion":
        doc.paras = [f"{text} {p}" for p in doc.paras[:2]] + [f"(U) {p}" for p in doc.paras[2:]]
    elif loc.startswith("property:"):
        doc.props[loc.split(":", 1)[1]] = text
    elif loc.startswith("custom:"):
        doc.custom[loc.split(":", 1)[1]] = text
    elif loc == "watermark":
        doc.watermark = text
    elif loc == "tracked":
        doc.tracked = True
    elif loc == "comment":
        doc.comment = text
    elif loc == "runs":
        doc.runs = run_split(text)
    elif loc == "sheet":
        doc.sheet = text
    elif loc == "notes":
        doc.notes = f"{text}\n{FILLER[doc.lang][0]}"
    elif loc == "prose":
        doc.paras.insert(1, text)
    elif loc == "block":
        doc.top = text.split("\n")
    elif loc == "retitle":
        doc.title = text
    else:
        raise ValueError(f"unknown placement {loc!r}")
    return doc


class Corpus:
    """Collects items in a fixed order with a seeded random source."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.items: list[Item] = []

    def add(self, *, fmt: str, kind: str, categories: Iterable[str], location: str, lang: str,
            description: str, data: bytes, evasion: str | None = None) -> Item:
        """Register one item; its file name says nothing about its content."""
        number = len(self.items) + 1
        item = Item(name=f"{kind[0]}{number:03d}.{EXT[fmt]}", categories=sorted(set(categories)),
                    kind=kind, format=fmt, location=location, evasion=evasion, lang=lang,
                    description=description, data=data)
        self.items.append(item)
        return item

    # -- building blocks -------------------------------------------------------------------

    def document(self, fmt: str, lang: str, loc: str | None = None, text: str = "",
                 doc: Doc | None = None) -> bytes:
        """A document of ``fmt`` in ``lang`` with ``text`` placed at ``loc`` (or none)."""
        doc = doc or base_doc(lang, self.rng)
        if loc:
            place(doc, loc, text)
        return RENDER[fmt](doc)

    def mail(self, lang: str, *, subject: str | None = None, top: Iterable[str] = (),
             bottom: Iterable[str] = (), middle: Iterable[str] = (), html: str = "",
             attachments: Iterable[tuple[str, bytes, str]] = (), body: str | None = None,
             disclaimer: bool = True) -> bytes:
        """A message with ordinary content around whatever the caller places."""
        if body is None:
            body = mail_body(lang, self.rng, top=top, bottom=bottom, middle=middle, disclaimer=disclaimer)
        mail = Mail(lang=lang, subject=subject or self.rng.choice(TITLES[lang]), body=body, html=html,
                    attachments=list(attachments), number=len(self.items) + 1)
        return eml_bytes(mail)

    def html_mail_body(self, lang: str, top_html: str, disclaimer: bool = True) -> str:
        """An HTML-only mail body as webmail writes it, the first line given as HTML."""
        paras = "".join(f"<p>{escape(p)}</p>" for p in self.rng.sample(FILLER[lang], 2))
        sig = "<br>".join(escape(s) for s in SIGNATURE[lang].split("\n"))
        foot = (f'<p style="font-size:8pt;color:#777">{escape(self.rng.choice(DISCLAIMERS[lang]))}</p>'
                if disclaimer else "")
        return (f'<html><body><div style="font-family:Calibri"><p style="text-align:center;color:red">'
                f"{top_html}</p><p>{escape(GREETING[lang])}</p>{paras}<p>{sig}</p>{foot}</div>"
                "</body></html>")

    def container(self, fmt: str, members: list[tuple[str, bytes]]) -> bytes:
        """A zip, a tar.gz, or a zip inside a zip, holding ``members`` beside an ordinary file."""
        extra = ("README.txt", b"Files for the planning meeting on 14 April.\n")
        if fmt == "zip":
            return zip_bytes([*members, extra])
        if fmt == "tar.gz":
            return targz_bytes([*members, extra])
        inner = zip_bytes([*members, extra])
        return zip_bytes([("annexes/annexes-2026.zip", inner),
                          ("cover-letter.txt", b"Please find the annexes in the inner archive.\n")])


# -- positives ---------------------------------------------------------------------------------

CLS, DRF = ("classification",), ("draft",)

# (format, placement, language, marking text, categories, note for the description)
POSITIVES: list[tuple[str, str, str, str, tuple[str, ...]]] = [
    # English classification banners with caveats and dissemination controls
    ("docx", "header", "en", "TOP SECRET//NOFORN", CLS),
    ("pdf", "header", "en", "TOP SECRET//NOFORN", CLS),
    ("eml", "subject", "en", "TOP SECRET//NOFORN", CLS),
    ("docx", "footer", "en", "SECRET//REL TO USA, FVEY", CLS),
    ("eml", "body", "en", "SECRET//REL TO USA, FVEY", CLS),
    ("pptx", "slide", "en", "SECRET//REL TO USA, FVEY", CLS),
    ("odt", "header", "en", "TOP SECRET//SI//NOFORN", CLS),
    ("txt", "banner", "en", "TOP SECRET//SI//NOFORN", CLS),
    ("xlsx", "cell", "en", "SECRET", CLS),
    ("rtf", "header", "en", "SECRET", CLS),
    ("pdf", "footer", "en", "SECRET", CLS),
    ("docx", "banner", "en", "CONFIDENTIAL", CLS),
    ("xlsx", "header", "en", "CONFIDENTIAL", CLS),
    ("pdf", "banner", "en", "CONFIDENTIAL//REL TO USA, GBR", CLS),
    ("docx", "custom:Classification", "en", "SECRET//NOFORN", CLS),
    ("docx", "header", "en", "CUI", CLS),
    ("pdf", "footer", "en", "CUI//SP-PRVCY", CLS),
    ("eml", "body", "en", "CUI", CLS),
    ("docx", "footer", "en", "UNCLASSIFIED//FOR OFFICIAL USE ONLY", CLS),
    ("eml", "subject", "en", "FOUO", CLS),
    ("xlsx", "footer", "en", "FOUO", CLS),
    ("eml", "body", "en", "Classification: OFFICIAL-SENSITIVE", CLS),
    ("docx", "header", "en", "OFFICIAL-SENSITIVE", CLS),
    ("pptx", "slide", "en", "OFFICIAL-SENSITIVE", CLS),
    ("odt", "footer", "en", "SECRET//REL TO USA, AUS, CAN, GBR, NZL", CLS),
    ("rtf", "banner", "en", "TOP SECRET", CLS),
    ("xlsx", "property:keywords", "en", "SECRET", CLS),
    ("pptx", "notes", "en", "SECRET//NOFORN", CLS),
    # portion marks at paragraph starts
    ("docx", "portion", "en", "(S)", CLS),
    ("docx", "portion", "en", "(TS//SI)", CLS),
    ("pdf", "portion", "en", "(C)", CLS),
    ("txt", "portion", "en", "(S//NF)", CLS),
    ("eml", "portion", "en", "(TS)", CLS),
    ("rtf", "portion", "en", "(S//REL TO USA, FVEY)", CLS),
    ("odt", "portion", "en", "(CUI)", CLS),
    ("pptx", "portion", "en", "(S)", CLS),
    # Chinese: 密级 and 保密期限, 内部
    ("docx", "top", "zh", "机密★5年", CLS),
    ("docx", "header", "zh", "绝密★长期", CLS),
    ("pdf", "top", "zh", "秘密★1年", CLS),
    ("pdf", "header", "zh", "机密", CLS),
    ("eml", "subject", "zh", "机密★10年", CLS),
    ("eml", "body", "zh", "绝密", CLS),
    ("odt", "top", "zh", "秘密", CLS),
    ("xlsx", "cell", "zh", "机密★5年", CLS),
    ("xlsx", "sheet", "zh", "机密", CLS),
    ("pptx", "slide", "zh", "绝密★长期", CLS),
    ("rtf", "top", "zh", "机密★5年", CLS),
    ("txt", "top", "zh", "秘密★6个月", CLS),
    ("docx", "footer", "zh", "内部资料", CLS),
    ("docx", "top", "zh", "内部文件 注意保存", CLS),
    ("pdf", "top", "zh", "内部资料 注意保存", CLS),
    ("eml", "body", "zh", "内部", CLS),
    ("odt", "header", "zh", "内部", CLS),
    ("xlsx", "header", "zh", "内部资料", CLS),
    ("docx", "custom:密级", "zh", "机密", CLS),
    ("pptx", "notes", "zh", "秘密★1年", CLS),
    # Spanish
    ("docx", "header", "es", "SECRETO", CLS),
    ("pdf", "banner", "es", "SECRETO", CLS),
    ("eml", "subject", "es", "CONFIDENCIAL", CLS),
    ("docx", "footer", "es", "CONFIDENCIAL", CLS),
    ("xlsx", "cell", "es", "CONFIDENCIAL", CLS),
    ("odt", "header", "es", "RESERVADO", CLS),
    ("eml", "body", "es", "Clasificación: RESERVADO", CLS),
    ("pptx", "slide", "es", "RESERVADO", CLS),
    ("docx", "header", "es", "USO INTERNO", CLS),
    ("rtf", "footer", "es", "USO INTERNO", CLS),
    ("xlsx", "footer", "es", "USO INTERNO", CLS),
    ("pdf", "header", "es", "DIFUSIÓN LIMITADA", CLS),
    ("docx", "banner", "es", "DIFUSIÓN LIMITADA", CLS),
    ("txt", "banner", "es", "SECRETO", CLS),
    ("docx", "custom:Clasificación", "es", "CONFIDENCIAL", CLS),
    # English draft status
    ("docx", "watermark", "en", "DRAFT", DRF),
    ("pdf", "watermark", "en", "DRAFT", DRF),
    ("docx", "header", "en", "DRAFT — NOT FOR DISTRIBUTION", DRF),
    ("eml", "subject", "en", "[DRAFT]", DRF),
    ("eml", "body", "en", "DRAFT — NOT FOR DISTRIBUTION", DRF),
    ("pdf", "header", "en", "DISCUSSION DRAFT", DRF),
    ("docx", "banner", "en", "WORKING DRAFT", DRF),
    ("pptx", "slide", "en", "PRE-DECISIONAL DRAFT", DRF),
    ("odt", "title", "en", " — draft v0.3", DRF),
    ("docx", "title", "en", " (draft v0.3)", DRF),
    ("xlsx", "cell", "en", "DRAFT", DRF),
    ("xlsx", "sheet", "en", "DRAFT v0.3", DRF),
    ("rtf", "header", "en", "DRAFT", DRF),
    ("txt", "banner", "en", "DRAFT — NOT FOR DISTRIBUTION", DRF),
    ("pptx", "notes", "en", "DRAFT - figures to be confirmed by Finance.", DRF),
    ("odt", "header", "en", "WORKING DRAFT - FOR COMMENT", DRF),
    ("docx", "property:content_status", "en", "Draft", DRF),
    ("docx", "property:keywords", "en", "draft, logistics, 2026", DRF),
    ("docx", "property:category", "en", "Draft", DRF),
    ("xlsx", "property:content_status", "en", "Draft", DRF),
    ("pptx", "property:content_status", "en", "Draft", DRF),
    ("pdf", "property:keywords", "en", "DRAFT, logistics", DRF),
    ("docx", "tracked", "en", "", DRF),
    ("docx", "comment", "en", "Please check these figures before we circulate the paper.", DRF),
    ("pdf", "footer", "en", "PRE-DECISIONAL DRAFT - DELIBERATIVE", DRF),
    # Chinese draft status, mostly as a title suffix in full-width brackets
    ("docx", "title", "zh", "（征求意见稿）", DRF),
    ("pdf", "title", "zh", "（讨论稿）", DRF),
    ("odt", "title", "zh", "（送审稿）", DRF),
    ("eml", "subject", "zh", "（审议稿）", DRF),
    ("txt", "title", "zh", "（修改稿）", DRF),
    ("rtf", "title", "zh", "（初稿）", DRF),
    ("pptx", "title", "zh", "（草稿）", DRF),
    ("docx", "header", "zh", "征求意见稿", DRF),
    ("pdf", "watermark", "zh", "草稿", DRF),
    ("xlsx", "sheet", "zh", "征求意见稿", DRF),
    ("eml", "title", "zh", "（征求意见稿）", DRF),
    ("docx", "property:content_status", "zh", "草稿", DRF),
    ("docx", "tracked", "zh", "", DRF),
    ("docx", "comment", "zh", "此处数据请财务处再核对一下。", DRF),
    ("docx", "footer", "zh", "讨论稿", DRF),
    ("xlsx", "title", "zh", "（初稿）", DRF),
    # Spanish draft status
    ("docx", "watermark", "es", "BORRADOR", DRF),
    ("docx", "header", "es", "BORRADOR", DRF),
    ("pdf", "header", "es", "BORRADOR - NO DISTRIBUIR", DRF),
    ("eml", "subject", "es", "BORRADOR", DRF),
    ("eml", "body", "es", "BORRADOR", DRF),
    ("odt", "title", "es", " (borrador)", DRF),
    ("xlsx", "cell", "es", "VERSIÓN PRELIMINAR", DRF),
    ("pptx", "slide", "es", "Versión preliminar", DRF),
    ("rtf", "header", "es", "VERSIÓN PRELIMINAR - SUJETA A REVISIÓN", DRF),
    ("docx", "property:content_status", "es", "Borrador", DRF),
    ("docx", "tracked", "es", "", DRF),
    ("docx", "comment", "es", "Revisar las cifras con Finanzas antes de enviarlo.", DRF),
    ("txt", "title", "es", " (versión preliminar)", DRF),
    ("pdf", "title", "es", " - Borrador", DRF),
    # more realistic shapes: 公文 header blocks, version footers, review comments in other formats
    ("docx", "block", "zh", "000128\n机密★5年\n特急", CLS),
    ("pdf", "block", "zh", "000045\n绝密★长期\n特急", CLS),
    ("pdf", "top", "en", "SECRET//NOFORN", CLS),
    ("docx", "header", "en", "PRE-DECISIONAL // DELIBERATIVE", DRF),
    ("pptx", "title", "en", " - draft for discussion", DRF),
    ("docx", "footer", "en", "Version 0.3 (draft) - 30 March 2026", DRF),
    ("docx", "footer", "es", "Versión preliminar - 30/03/2026", DRF),
    ("pdf", "watermark", "es", "BORRADOR", DRF),
    ("xlsx", "comment", "en", "Are these Q3 numbers final? Please confirm with Finance.", DRF),
    ("odt", "comment", "es", "Falta confirmar estas cifras con Finanzas.", DRF),
    ("odt", "comment", "zh", "这一段请再斟酌一下。", DRF),
    ("pptx", "retitle", "en", "(S//NF) Convoy schedule for April", CLS),
    ("docx", "retitle", "es", "RESERVADO - Plan de despliegue de la flota", CLS),
]

# Subjects as people write them (replies, forwards, tags): (language, subject, categories)
SUBJECTS: list[tuple[str, str, tuple[str, ...]]] = [
    ("en", "RE: FW: (S//NF) convoy schedule for April", CLS),
    ("en", "[OFFICIAL-SENSITIVE] Staffing plan for the night shift", CLS),
    ("zh", "【内部资料】春季运输计划安排", CLS),
    ("es", "RV: BORRADOR plan de movilidad 2026", DRF),
    ("en", "Draft for comment: regional logistics plan v0.3", DRF),
    ("es", "RE: [RESERVADO] Informe sobre la flota", CLS),
]

# Markings in file names (attachment names and archive member names); the content is ordinary.
FILENAMES: list[tuple[str, str, str, tuple[str, ...]]] = [
    ("eml", "en", "Annex B - SECRET NOFORN.pdf", CLS),
    ("zip", "en", "TOP_SECRET_convoy_annex.docx", CLS),
    ("eml", "zh", "机密-人事调整方案.docx", CLS),
    ("eml", "es", "RESERVADO - Informe flota 2026.pdf", CLS),
    ("eml", "en", "Strategy paper DRAFT v0.3.docx", DRF),
    ("eml", "zh", "2026年度预算调整方案（征求意见稿）.docx", DRF),
    ("zip", "zh", "北方仓库扩建方案（讨论稿）.pdf", DRF),
    ("eml", "es", "Plan de despliegue - BORRADOR.docx", DRF),
    ("tar.gz", "en", "budget-2026_FOUO.xlsx", CLS),
]

# Marked documents inside containers: (container, inner format, placement, language, text, categories)
CONTAINED: list[tuple[str, str, str, str, str, tuple[str, ...]]] = [
    ("eml", "docx", "header", "en", "SECRET//NOFORN", CLS),
    ("eml", "pdf", "header", "zh", "秘密★1年", CLS),
    ("eml", "docx", "header", "es", "DIFUSIÓN LIMITADA", CLS),
    ("eml", "pdf", "header", "en", "DRAFT", DRF),
    ("eml", "xlsx", "sheet", "zh", "讨论稿", DRF),
    ("zip", "docx", "header", "en", "SECRET//NOFORN", CLS),
    ("zip", "docx", "top", "zh", "机密★5年", CLS),
    ("zip", "odt", "header", "es", "SECRETO", CLS),
    ("zip", "docx", "watermark", "en", "DRAFT", DRF),
    ("zip", "pdf", "header", "es", "BORRADOR", DRF),
    ("tar.gz", "pdf", "header", "en", "TOP SECRET//NOFORN", CLS),
    ("tar.gz", "txt", "top", "zh", "绝密", CLS),
    ("tar.gz", "docx", "title", "zh", "（送审稿）", DRF),
    ("tar.gz", "pptx", "slide", "es", "CONFIDENCIAL", CLS),
    ("nested-zip", "docx", "footer", "en", "CONFIDENTIAL", CLS),
    ("nested-zip", "docx", "property:content_status", "en", "Draft", DRF),
    ("nested-zip", "pdf", "top", "zh", "内部资料", CLS),
    ("nested-zip", "xlsx", "cell", "es", "BORRADOR", DRF),
]

# Evasions: (format, placement, language, marking, categories, evasion)
EVADED: list[tuple[str, str, str, str, tuple[str, ...], str]] = [
    ("eml", "subject", "en", "TOP SECRET//NOFORN", CLS, "zero-width"),
    ("docx", "footer", "es", "CONFIDENCIAL", CLS, "zero-width"),
    ("xlsx", "cell", "zh", "机密★5年", CLS, "zero-width"),
    ("eml", "body", "en", "DRAFT — NOT FOR DISTRIBUTION", DRF, "zero-width"),
    ("pptx", "title", "zh", "（征求意见稿）", DRF, "zero-width"),
    ("txt", "banner", "en", "SECRET", CLS, "invisible"),
    ("docx", "header", "en", "DRAFT", DRF, "invisible"),
    ("eml", "subject", "zh", "绝密★长期", CLS, "invisible"),
    ("odt", "header", "es", "BORRADOR", DRF, "invisible"),
    ("eml", "body", "en", "CONFIDENTIAL", CLS, "soft-hyphen"),
    ("docx", "header", "es", "SECRETO", CLS, "soft-hyphen"),
    ("rtf", "header", "en", "DRAFT", DRF, "soft-hyphen"),
    ("pptx", "slide", "es", "RESERVADO", CLS, "soft-hyphen"),
    ("eml", "subject", "en", "SECRET", CLS, "full-width"),
    ("pdf", "header", "en", "TOP SECRET", CLS, "full-width"),
    ("docx", "top", "zh", "机密★5年", CLS, "full-width"),
    ("xlsx", "cell", "en", "DRAFT", DRF, "full-width"),
    ("txt", "banner", "es", "BORRADOR", DRF, "full-width"),
    ("docx", "header", "en", "SECRET", CLS, "letter-spacing"),
    ("docx", "footer", "zh", "机密★5年", CLS, "letter-spacing"),
    ("pdf", "top", "zh", "绝密", CLS, "letter-spacing"),
    ("eml", "body", "en", "DRAFT", DRF, "letter-spacing"),
    ("odt", "header", "es", "CONFIDENCIAL", CLS, "letter-spacing"),
    ("eml", "subject", "en", "SECRET", CLS, "homoglyph-cyrillic"),
    ("docx", "header", "en", "DRAFT", DRF, "homoglyph-cyrillic"),
    ("xlsx", "cell", "es", "CONFIDENCIAL", CLS, "homoglyph-cyrillic"),
    ("pdf", "header", "en", "TOP SECRET//NOFORN", CLS, "homoglyph-cyrillic"),
    ("docx", "footer", "en", "TOP SECRET", CLS, "homoglyph-greek"),
    ("eml", "body", "es", "SECRETO", CLS, "homoglyph-greek"),
    ("pptx", "slide", "en", "DRAFT", DRF, "homoglyph-greek"),
    ("txt", "banner", "en", "CONFIDENTIAL", CLS, "homoglyph-greek"),
    ("eml", "html", "en", "SECRET//NOFORN", CLS, "html-markup"),
    ("eml", "html", "en", "DRAFT — NOT FOR DISTRIBUTION", DRF, "html-markup"),
    ("eml", "html", "zh", "机密★5年", CLS, "html-markup"),
    ("eml", "html", "es", "CONFIDENCIAL", CLS, "html-markup"),
    ("zip", "html", "es", "BORRADOR", DRF, "html-markup"),
    ("eml", "subject", "en", "Secret//NoForn", CLS, "mixed-case"),
    ("docx", "header", "en", "Top Secret", CLS, "mixed-case"),
    ("eml", "body", "es", "BORRADOR", DRF, "mixed-case"),
    ("pdf", "header", "en", "DRAFT", DRF, "mixed-case"),
    ("xlsx", "cell", "en", "CONFIDENTIAL", CLS, "mixed-case"),
    ("docx", "runs", "en", "TOP SECRET//NOFORN", CLS, "split-runs"),
    ("docx", "runs", "en", "DRAFT", DRF, "split-runs"),
    ("docx", "runs", "zh", "机密★5年", CLS, "split-runs"),
    ("docx", "runs", "es", "BORRADOR", DRF, "split-runs"),
    ("docx", "runs", "zh", "关于2026年度预算调整的通知（征求意见稿）", DRF, "split-runs"),
]

# Items carrying both a classification marking and a draft status.
BOTH: list[tuple[str, str, list[tuple[str, str]]]] = [
    ("docx", "en", [("header", "SECRET//NOFORN"), ("watermark", "DRAFT")]),
    ("pdf", "zh", [("top", "机密★5年"), ("title", "（征求意见稿）")]),
    ("odt", "es", [("header", "CONFIDENCIAL"), ("title", " (borrador)")]),
]


def _subject_with(lang: str, marking: str, rng: random.Random) -> str:
    """A subject line carrying ``marking`` the way senders put it there."""
    topic = TOPIC[lang]
    if lang == "zh":
        return f"{topic}{marking}" if marking.startswith("（") else f"【{marking}】{topic}"
    if marking.startswith("["):
        return f"{marking} {topic}"
    return rng.choice((f"{marking} - {topic}", f"[{marking}] {topic}", f"{marking}: {topic}"))


def add_mail_positive(c: Corpus, loc: str, lang: str, text: str, cats: tuple[str, ...],
                      evasion: str | None, desc: str) -> None:
    """A mail with ``text`` in its subject, body banner, portion marks, title line or HTML."""
    rng = c.rng
    if loc == "subject":
        data = c.mail(lang, subject=_subject_with(lang, text, rng))
    elif loc == "body":
        data = c.mail(lang, top=[text], bottom=[text] if lang != "zh" else [])
    elif loc == "portion":
        paras = [f"{text} {p}" for p in rng.sample(FILLER[lang], 2)]
        data = c.mail(lang, middle=paras)
    elif loc == "title":
        data = c.mail(lang, top=[rng.choice(TITLES[lang]) + text])
    elif loc == "html":
        shown = html_split(text) if evasion == "html-markup" else escape(text)
        data = c.mail(lang, body="", html=c.html_mail_body(lang, shown))
    else:
        raise ValueError(loc)
    c.add(fmt="eml", kind="positive", categories=cats, location=location_name(loc), lang=lang,
          evasion=evasion, description=desc, data=data)


def add_positives(c: Corpus) -> None:
    """Every marking kind in several formats and locations, then the evasions."""
    for fmt, loc, lang, text, cats in POSITIVES:
        desc = f"{'/'.join(cats)} marking {text!r} in the {loc} of a {lang} {fmt}".replace("''", "-")
        if fmt == "eml":
            add_mail_positive(c, loc, lang, text, cats, None, desc)
            continue
        c.add(fmt=fmt, kind="positive", categories=cats, location=location_name(loc), lang=lang,
              description=desc, data=c.document(fmt, lang, loc, text))
    for lang, subject, cats in SUBJECTS:
        c.add(fmt="eml", kind="positive", categories=cats, location="subject", lang=lang,
              description=f"{'/'.join(cats)} marking in the subject {subject!r}",
              data=c.mail(lang, subject=subject))
    for fmt, lang, name, cats in FILENAMES:
        inner_fmt = name.rsplit(".", 1)[1]
        clean = c.document(inner_fmt, lang)
        desc = f"{'/'.join(cats)} marking only in the file name {name!r} ({fmt})"
        if fmt == "eml":
            data = c.mail(lang, attachments=[(name, clean, MIME[inner_fmt])])
        else:
            data = c.container(fmt, [(name, clean)])
        c.add(fmt=fmt, kind="positive", categories=cats, location="filename", lang=lang,
              description=desc, data=data)
    for fmt, inner_fmt, loc, lang, text, cats in CONTAINED:
        inner = c.document(inner_fmt, lang, loc, text)
        member = f"{rng_name(c, lang)}.{inner_fmt}"
        desc = (f"{'/'.join(cats)} marking {text!r} in the {loc} of a {lang} {inner_fmt} "
                f"inside a {fmt}")
        if fmt == "eml":
            data = c.mail(lang, attachments=[(member, inner, MIME[inner_fmt])])
            location = "attachment"
        else:
            data = c.container(fmt, [(member, inner)])
            location = "archive"
        c.add(fmt=fmt, kind="positive", categories=cats, location=location, lang=lang,
              description=desc, data=data)
    for fmt, loc, lang, text, cats, evasion in EVADED:
        shown = text if evasion in ("html-markup", "split-runs") else evade(text, evasion)
        desc = f"{'/'.join(cats)} marking {text!r} in the {loc} of a {lang} {fmt}, evasion {evasion}"
        if fmt == "eml":
            add_mail_positive(c, loc, lang, shown, cats, evasion, desc)
            continue
        if loc == "html":  # an HTML page inside a zip, the marking cut by tags
            doc = base_doc(lang, c.rng)
            page = html_page(doc, top_html=[html_split(text)])
            data = c.container(fmt, [(f"{rng_name(c, lang)}.html", page)])
            c.add(fmt=fmt, kind="positive", categories=cats, location="archive", lang=lang,
                  evasion=evasion, description=desc, data=data)
            continue
        c.add(fmt=fmt, kind="positive", categories=cats, location=location_name(loc), lang=lang,
              evasion=evasion, description=desc, data=c.document(fmt, lang, loc, shown))
    for fmt, lang, placements in BOTH:
        doc = base_doc(lang, c.rng)
        for loc, text in placements:
            place(doc, loc, text)
        desc = f"classification and draft in one {lang} {fmt}: " + ", ".join(
            f"{t.strip()!r} in {loc}" for loc, t in placements)
        c.add(fmt=fmt, kind="positive", categories=CATEGORIES, location=location_name(placements[0][0]),
              lang=lang, description=desc, data=RENDER[fmt](doc))


MEMBER_NAMES = {"en": ["annex-b", "route-plan", "depot-study", "fleet-review"],
                "zh": ["附件1", "运输计划", "仓库方案", "车辆管理"],
                "es": ["anexo-b", "plan-rutas", "estudio-almacen", "revision-flota"]}


def rng_name(c: Corpus, lang: str) -> str:
    """An ordinary member or attachment name in ``lang``."""
    return c.rng.choice(MEMBER_NAMES[lang])


# -- negatives ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Theme:
    """Ordinary text that uses a trigger word in running prose (a hard negative)."""

    lang: str
    key: str
    subject: str
    title: str
    sentences: tuple[str, ...]


THEMES: list[Theme] = [
    Theme("en", "bread", "Saturday baking class", "Baking class notes", (
        "The secret to good bread is time: let the dough rest overnight in the fridge and bake it hot.",
        "My grandmother kept her sourdough starter a secret for years, but she finally shared it with us.",
    )),
    Theme("en", "victoria", "New shops on the high street", "High street update", (
        "Victoria's Secret has opened a new store on the high street, next to the bakery.",
        "The council expects the new shops to bring about 40 jobs to the town centre.",
    )),
    Theme("en", "beer", "Friday: draft beer after the review", "Team social", (
        "Join us on Friday for draft beer and pizza after the quarterly review.",
        "The pub has twelve beers on draft and a quiz starts at eight.",
    )),
    Theme("en", "nfl", "Office pool for the NFL draft", "NFL draft pool", (
        "The Jets traded up in the NFL draft to pick a quarterback in the first round.",
        "Our office draft pool closes on Thursday; entries cost five dollars and go to charity.",
    )),
    Theme("en", "overdraft", "Changes to your overdraft", "Your account terms", (
        "Your arranged overdraft limit will rise to 1,500 pounds from 1 May.",
        "Overdraft interest is charged at 39.9% EAR; you can reduce or remove your overdraft in the app.",
    )),
    Theme("en", "conscription", "Reading for the history seminar", "The draft in the twentieth century", (
        "In 1940 the United States introduced its first peacetime draft.",
        "Many students avoided the draft during the Vietnam War by enrolling in college, and the draft "
        "ended in 1973.",
    )),
    Theme("en", "drafting", "CAD drawings for the new depot", "Depot drawings", (
        "Our drafting team produced the CAD drawings for the new depot last week.",
        "The draftsman will update the floor plans once the structural engineer signs off the loads.",
    )),
    Theme("en", "law", "Background on the transport act", "Transport act background", (
        "The draft law was adopted last year and entered into force in January.",
        "Parliament amended two articles on vehicle emissions before the final vote.",
    )),
    Theme("en", "reply", "Re: supplier invoice", "Supplier invoice", (
        "I have drafted a reply to the supplier about the late invoice; it goes out tomorrow.",
        "They were drafted in at short notice to cover the night shift, and did a great job.",
    )),
    Theme("en", "parking", "Car park works next week", "Facilities notice", (
        "Please note restricted parking in the north car park during resurfacing works next week.",
        "Access to the loading bay is restricted to deliveries between 7 and 9 in the morning.",
    )),
    Theme("en", "nosecret", "Ticketing system results", "Ticketing system review", (
        "It is no secret that the old ticketing system was slow; the new one cut waiting times by half.",
        "The secret of the project's success was early testing with the people who use it every day.",
    )),
    Theme("en", "secretary", "Visit of the Secretary of State", "Ministerial visit", (
        "The Secretary of State visited the depot on Monday and met the night shift.",
        "The Secretariat will circulate the minutes and the list of follow-up actions by Friday.",
    )),
    Theme("en", "helpline", "Employee assistance programme", "Wellbeing at work", (
        "The employee helpline is free and confidential, and it is open around the clock.",
        "Counsellors treat every call in confidence; your manager is not told that you called.",
    )),
    Theme("en", "launch", "Product launch on Friday", "Launch plan", (
        "The new flavour is still top secret until the launch on Friday, but it involves chocolate.",
        "Samples will be handed out at the station from 8 a.m. while stocks last.",
    )),
    Theme("en", "santa", "Office party and Secret Santa", "December events", (
        "Our office Secret Santa is back: add your name to the list by Friday; the budget is ten pounds.",
        "The party starts at six in the canteen, and partners are welcome.",
    )),
    Theme("en", "writing", "Writing workshop", "Writing workshop", (
        "Most novelists throw away their first draft and rewrite the opening chapter many times.",
        "The workshop covers plot, dialogue and how to take feedback from readers.",
    )),
    Theme("en", "archives", "Archive open day", "Archive open day", (
        "The National Archives released declassified files about the 1962 harbour strike last month.",
        "Visitors can see the original telegrams and photographs in the reading room.",
    )),
    Theme("en", "official", "Opening of the depot", "Depot opening", (
        "The official opening of the new depot is on 12 May at 11 o'clock.",
        "Sensitive equipment in the workshop will be covered during the visit to keep it clean.",
    )),
    Theme("zh", "success", "读书会：成功的秘密", "读书会心得", (
        "成功的秘密在于坚持，每天进步一点点，时间会给出答案。",
        "作者认为，很多人失败不是因为能力不足，而是因为过早放弃。",
    )),
    Theme("zh", "novel", "小说连载第十二章", "第十二章　雨夜", (
        "她把这个秘密藏在心里整整十年，直到那个雨夜才告诉他。",
        "窗外的雨越下越大，他沉默了很久，终于开口说话。",
    )),
    Theme("zh", "cc", "机密计算技术交流会通知", "机密计算技术简介", (
        "机密计算是一种在可信执行环境中保护使用中数据的技术，主流云厂商均已推出机密计算实例。",
        "与传统加密相比，机密计算可以在数据处理过程中防止宿主机管理员读取内存。",
    )),
    Theme("zh", "cia", "信息安全培训课件", "信息安全基础", (
        "信息安全的三要素是机密性、完整性和可用性，三者缺一不可。",
        "本次培训将结合案例讲解口令管理和钓鱼邮件识别。",
    )),
    Theme("zh", "internal", "内部控制评价工作安排", "内部控制评价报告", (
        "内部控制评价报告显示，公司内部控制整体有效，未发现重大缺陷。",
        "公司内部培训将于下周开始，欢迎新员工报名参加。",
    )),
    Theme("zh", "scratch", "期末考试注意事项", "考试须知", (
        "考试时请自备草稿纸和黑色签字笔，草稿纸不得带出考场。",
        "考生须提前二十分钟进入考场，迟到三十分钟不得入场。",
    )),
    Theme("zh", "consult", "公开征求意见公告", "关于公开征求城市道路管理办法修订意见的公告", (
        "为提高立法质量，现面向社会公开征求意见，公众可通过电子邮件提出意见和建议。",
        "意见反馈截止时间为2026年5月31日。",
    )),
    Theme("zh", "tradesecret", "合同审查意见", "合同审查意见", (
        "根据《反不正当竞争法》，经营者不得侵犯他人的商业秘密。",
        "合同第八条对商业秘密的范围约定不清，建议进一步明确。",
    )),
    Theme("zh", "secretariat", "年会筹备工作通知", "年会筹备工作安排", (
        "会议由秘书处负责组织，请各小组于周五前报送参会名单。",
        "仓库内部装修工程已经完成，下周起恢复正常收发货。",
    )),
    Theme("zh", "revise", "方案修改意见", "关于车辆管理办法的修改意见", (
        "请根据会议意见对方案进行修改后再报送，修改内容请用不同颜色标出。",
        "讨论会上大家各抒己见，最终形成了三点共识。",
    )),
    Theme("es", "secretaria", "Convocatoria de la Secretaría General", "Convocatoria del comité", (
        "La Secretaría General convoca la reunión del comité de seguimiento el próximo lunes a las diez.",
        "La secretaría técnica enviará el orden del día y la documentación con antelación.",
    )),
    Theme("es", "paella", "Receta para la comida del equipo", "La paella de los viernes", (
        "El secreto de la paella está en el sofrito y en no remover el arroz una vez que empieza a hervir.",
        "Mi abuela decía que el otro secreto es dejarla reposar cinco minutos tapada con un paño.",
    )),
    Theme("es", "ley", "Resumen de prensa del jueves", "Resumen de prensa", (
        "El Congreso debatió ayer el borrador de la ley de movilidad sostenible, que se votará en junio.",
        "Los grupos parlamentarios presentaron 140 enmiendas al borrador del Gobierno.",
    )),
    Theme("es", "mesa", "Confirmación de su reserva", "Comida de equipo", (
        "Le confirmamos su reserva: mesa para doce personas a las 14:00 en el salón reservado del "
        "primer piso.",
        "El aparcamiento reservado para clientes está en la calle de atrás.",
    )),
    Theme("es", "prospecto", "Prospecto del botiquín", "Prospecto: ibuprofeno 400 mg", (
        "Para uso interno (vía oral). No confundir con los productos de uso externo del botiquín.",
        "Mantener fuera del alcance de los niños y no tomar más de tres comprimidos al día.",
    )),
    Theme("es", "limitada", "Nueva edición del catálogo", "Catálogo 2026", (
        "Logística Norte, Sociedad Limitada, presenta una edición limitada de 500 ejemplares del catálogo.",
        "La difusión del programa cultural se hará por radio y en las redes del ayuntamiento.",
    )),
    Theme("es", "torneo", "Torneo de fútbol de empresas", "Torneo de empresas", (
        "La fase preliminar del torneo empieza el sábado y la final se jugará en junio.",
        "Nuestro equipo quedó primero de grupo en la ronda preliminar del año pasado.",
    )),
    Theme("es", "banco", "Nota sobre fiscalidad", "Nota de fiscalidad", (
        "El fin del secreto bancario en Europa ha cambiado la forma de declarar las cuentas "
        "en el extranjero.",
        "La asesoría revisará las declaraciones del personal desplazado antes de julio.",
    )),
]

# Negatives placed by structure: (format, placement, language, text, description)
STRUCTURED_NEGATIVES: list[tuple[str, str, str, str, str]] = [
    ("docx", "footer", "en", "(C) 2026 Example Corp. All rights reserved.", "copyright line in a footer"),
    ("pdf", "footer", "en", "(C) 2026 Example Corp. All rights reserved.", "copyright line in a PDF footer"),
    ("pptx", "footer", "en", "(c) 2026 Example Corp.", "copyright line on a slide"),
    ("odt", "footer", "es", "(C) 2026 Logística Norte, S.L. Todos los derechos reservados.",
     "Spanish copyright line in a footer"),
    ("docx", "header", "en", "Classification: Public", "a 'Classification: Public' header"),
    ("pdf", "banner", "en", "UNCLASSIFIED", "UNCLASSIFIED banners"),
    ("docx", "portion", "en", "(U)", "paragraphs with (U) portion marks"),
    ("txt", "portion", "en", "(U)", "plain text with (U) portion marks"),
    ("docx", "property:content_status", "en", "Final", "contentStatus Final"),
    ("xlsx", "property:content_status", "en", "Final", "workbook with contentStatus Final"),
    ("pptx", "property:content_status", "en", "Approved", "deck with contentStatus Approved"),
    ("docx", "property:keywords", "en", "logistics; budget; 2026", "ordinary keywords"),
    ("docx", "property:category", "en", "Report", "category Report"),
    ("docx", "title", "zh", "（试行）", "Chinese title suffix （试行） (trial rules, final text)"),
    ("pdf", "title", "zh", "（2026年修订）", "Chinese title suffix （2026年修订）"),
    ("odt", "title", "es", " (versión final)", "Spanish title '(versión final)'"),
    ("docx", "title", "en", " - final v1.0", "English title with 'final v1.0'"),
    ("xlsx", "sheet", "en", "Final figures", "sheet named 'Final figures'"),
    ("docx", "header", "zh", "物流保障中心办公室", "Chinese office name in the header"),
    ("rtf", "header", "es", "Secretaría General Técnica", "Secretaría in an RTF header"),
    ("docx", "custom:Classification", "en", "Public", "custom property Classification=Public"),
    ("docx", "custom:DocumentType", "en", "Minutes", "custom property DocumentType=Minutes"),
    ("pptx", "notes", "en", "Remind everyone that the survey is anonymous and confidential.",
     "'confidential' in speaker notes prose"),
    ("xlsx", "cell", "zh", "机密计算实例采购预算", "机密计算 in a spreadsheet cell"),
    ("xlsx", "cell", "es", "Aparcamiento reservado: plazas 1 a 12", "'reservado' in a cell"),
    ("docx", "retitle", "zh", "内部控制评价手册", "title starting with 内部 (internal control handbook)"),
    ("pdf", "header", "zh", "内部审计部", "department name 内部审计部 in the header"),
    ("docx", "header", "es", "Secretaría de Estado de Transportes", "Secretaría in a letterhead"),
    ("docx", "footer", "es", "© 2026 Logística Norte. Reservados todos los derechos.",
     "'Reservados todos los derechos' in a footer"),
    ("pptx", "retitle", "en", "Draft Beer Festival 2026", "slide title 'Draft Beer Festival'"),
    ("xlsx", "retitle", "en", "NFL Draft 2026: first-round results", "sheet title 'NFL Draft 2026'"),
    ("docx", "retitle", "en", "The Secret Garden - book club notes", "title 'The Secret Garden'"),
    ("pdf", "retitle", "zh", "《秘密花园》读书会", "title 《秘密花园》 (a novel)"),
    ("odt", "retitle", "en", "Overdraft charges explained", "title about overdraft charges"),
    ("docx", "retitle", "es", "El secreto de la paella valenciana", "title 'El secreto de la paella'"),
]

# Disclaimers whose heading stands on its own line above the text, as many mail systems add them.
HEADED_DISCLAIMERS: list[tuple[str, str]] = [
    ("en", "CONFIDENTIALITY NOTICE\nThe information in this e-mail is intended only for the person to whom "
           "it is addressed. If you received it in error, please tell the sender and delete it."),
    ("es", "AVISO DE CONFIDENCIALIDAD\nLa información de este correo está dirigida únicamente a su "
           "destinatario. Si lo ha recibido por error, comuníquelo al remitente y elimínelo."),
    ("zh", "保密声明\n本邮件仅供指定收件人阅读。如您误收本邮件，请通知发件人并立即删除。"),
    ("en", "CONFIDENTIAL:\nThis message and its attachments are for the addressee only and may be "
           "privileged. Do not forward without permission."),
]

LETTERED = {
    "en": ["The Supplier shall:", "(a) deliver the spare parts to the northern depot;",
           "(b) provide a written delivery note; and", "(c) replace any damaged part within ten days.",
           "(A) Fuel costs are recharged monthly.", "(B) Leasing costs are recharged quarterly.",
           "(C) Training costs are charged once a year."],
    "es": ["El proveedor deberá:", "(a) entregar los repuestos en el almacén norte;",
           "(b) aportar un albarán de entrega; y", "(c) sustituir cualquier pieza dañada en diez días."],
}

NEGATIVE_FILENAMES: list[tuple[str, str, str]] = [
    ("eml", "en", "Craft and draft beer menu.pdf"),
    ("eml", "en", "overdraft-terms-2026.pdf"),
    ("zip", "en", "NFL-draft-2026-results.xlsx"),
    ("eml", "es", "Secretaria_General_convocatoria.pdf"),
    ("eml", "zh", "成功的秘密-读书笔记.docx"),
    ("zip", "zh", "草稿纸采购清单.xlsx"),
    ("eml", "en", "Copyright (C) 2026 Example Corp - brochure.pdf"),
]

# Characters that occur in ordinary text and must not, by themselves, make a marking.
ORDINARY_ODDITIES: list[tuple[str, str, str]] = [
    ("zh", "２０２６年第一季度运输量同比增长１２％，各项指标完成良好。",
     "full-width digits in Chinese prose"),
    ("en", "The logis\u00adtics and main\u00adte\u00adnance teams share one office.",
     "soft hyphens in prose"),
    ("en", "Thanks for the help 👩\u200d💻 and see you at the review.", "zero-width joiner in an emoji"),
    ("en", "Секретариат конференции ждёт ваши тезисы до 1 мая. "
     "(The conference secretariat awaits abstracts.)",
     "Russian text with 'секрет' inside a word"),
    ("en", "S a l e   n o w   o n: 20% off draught beer on Fridays.", "letter-spaced promotion"),
]


NEGATIVE_FORMATS = ("eml", "docx", "pdf", "eml-html", "xlsx", "pptx", "odt", "rtf", "txt", "zip",
                    "tar.gz", "eml-attach", "nested-zip")


def _theme_doc(theme: Theme, rng: random.Random) -> Doc:
    doc = base_doc(theme.lang, rng, n=2, title=theme.title)
    doc.paras = [doc.paras[0], *theme.sentences, doc.paras[1]]
    return doc


def add_theme(c: Corpus, theme: Theme, fmt: str) -> None:
    """One rendering of a hard-negative theme in ``fmt``."""
    rng, lang = c.rng, theme.lang
    desc = f"{theme.key}: trigger words in running prose ({lang}, {fmt})"
    location = "body"
    if fmt == "eml":
        data = c.mail(lang, subject=theme.subject, middle=theme.sentences)
    elif fmt == "eml-html":
        body = mail_body(lang, rng, middle=theme.sentences)
        html = "".join(f"<p>{escape(p)}</p>" for p in body.split("\n\n"))
        data = c.mail(lang, subject=theme.subject, body=body, html=f"<html><body>{html}</body></html>")
        fmt = "eml"
    elif fmt == "eml-attach":
        data = c.mail(lang, subject=theme.subject, attachments=[
            (f"{rng_name(c, lang)}.docx", docx_bytes(_theme_doc(theme, rng)), MIME["docx"])])
        fmt, location = "eml", "attachment"
    elif fmt in ("zip", "tar.gz", "nested-zip"):
        data = c.container(fmt, [(f"{rng_name(c, lang)}.pdf", pdf_bytes(_theme_doc(theme, rng)))])
        location = "archive"
    else:
        doc = _theme_doc(theme, rng)
        if fmt == "pptx":
            doc.notes = theme.sentences[0]
        data = RENDER[fmt](doc)
    c.add(fmt=fmt, kind="negative", categories=(), location=location, lang=lang, description=desc,
          data=data)


def add_negatives(c: Corpus) -> None:
    """Hard negatives: prose, disclaimers, copyright lines, lettered lists, ordinary metadata."""
    rotation = itertools.cycle(NEGATIVE_FORMATS)
    for theme in THEMES:
        for _ in range(4):
            add_theme(c, theme, next(rotation))
    for lang, texts in DISCLAIMERS.items():
        for i, text in enumerate(texts):
            desc = f"{lang} confidentiality disclaimer #{i + 1} at the foot of a mail"
            if i % 2:
                body = mail_body(lang, c.rng, disclaimer=False) + "\n" + text + "\n"
                data = c.mail(lang, body=body)
            else:
                html = c.html_mail_body(lang, escape(c.rng.choice(TITLES[lang])), disclaimer=False)
                html = html.replace("</div>", f'<p style="font-size:8pt">{escape(text)}</p></div>')
                data = c.mail(lang, body="", html=html)
            c.add(fmt="eml", kind="negative", categories=(), location="body", lang=lang,
                  description=desc, data=data)
    for lang, text in HEADED_DISCLAIMERS:
        body = mail_body(lang, c.rng, disclaimer=False) + "\n" + text + "\n"
        c.add(fmt="eml", kind="negative", categories=(), location="body", lang=lang,
              description=f"{lang} disclaimer with its heading on a line of its own",
              data=c.mail(lang, body=body))
    for fmt, loc, lang, text, what in STRUCTURED_NEGATIVES:
        doc = base_doc(lang, c.rng)
        if fmt == "pptx" and loc == "footer":
            doc.footer = text
        else:
            place(doc, loc, text)
        c.add(fmt=fmt, kind="negative", categories=(), location=location_name(loc), lang=lang,
              description=what, data=RENDER[fmt](doc))
    for fmt in ("docx", "rtf", "txt", "eml"):
        doc = base_doc("en", c.rng, n=2)
        doc.paras = [doc.paras[0], *LETTERED["en"], doc.paras[1]]
        desc = "lettered lists (a) (b) (c) and (A) (B) (C)"
        data = c.mail("en", middle=LETTERED["en"]) if fmt == "eml" else RENDER[fmt](doc)
        c.add(fmt=fmt, kind="negative", categories=(), location="body", lang="en", description=desc,
              data=data)
    doc = base_doc("es", c.rng, n=2)
    doc.paras = [doc.paras[0], *LETTERED["es"], doc.paras[1]]
    c.add(fmt="odt", kind="negative", categories=(), location="body", lang="es",
          description="Spanish lettered list (a) (b) (c)", data=odt_bytes(doc))
    for fmt, lang, name in NEGATIVE_FILENAMES:
        inner_fmt = name.rsplit(".", 1)[1]
        clean = c.document(inner_fmt, lang)
        data = (c.mail(lang, attachments=[(name, clean, MIME[inner_fmt])]) if fmt == "eml"
                else c.container(fmt, [(name, clean)]))
        c.add(fmt=fmt, kind="negative", categories=(), location="filename", lang=lang,
              description=f"ordinary file name {name!r}", data=data)
    for i, (lang, text, what) in enumerate(ORDINARY_ODDITIES):
        fmt = ("docx", "eml", "txt", "pdf", "xlsx")[i % 5]
        data = (c.mail(lang, middle=[text]) if fmt == "eml"
                else c.document(fmt, lang, "prose", text))
        c.add(fmt=fmt, kind="negative", categories=(), location="body", lang=lang, description=what,
              data=data)
    # Chinese mail in GB18030 and Spanish mail in ISO-8859-1 with nothing but ordinary content.
    for lang in ("zh", "es", "en"):
        for _ in range(3):
            c.add(fmt="eml", kind="negative", categories=(), location="body", lang=lang,
                  description=f"ordinary {lang} mail with a disclaimer", data=c.mail(lang))


# -- mail as real clients build it -------------------------------------------------------------


def add_client_mail(c: Corpus) -> None:
    """Messages built the way Outlook, Gmail, Apple Mail, Thunderbird, calendar and old
    clients build them (tests/fixtures/client_mail.py): each with its marking, then the
    same message with ordinary text instead, and the ordinary ones. Added after every
    other item so the names of the others do not change."""
    from tests.fixtures.client_mail import CASES

    for case in CASES:
        what = f"{case.client}: {(case.build.__doc__ or case.name).splitlines()[0]}"
        positive = case.verdict != "pass"
        c.add(fmt="eml", kind="positive" if positive else "negative",
              categories=(case.category,) if positive else (), location=case.location,
              lang=case.lang, description=what, data=case.build())
        if case.clean is not None:
            c.add(fmt="eml", kind="negative", categories=(), location=case.location, lang=case.lang,
                  description=f"{what} (the same message with ordinary text instead)",
                  data=case.twin())


# -- output ------------------------------------------------------------------------------------


def build(seed: int = SEED) -> list[Item]:
    """Every corpus item, in a fixed order."""
    corpus = Corpus(seed)
    add_positives(corpus)
    add_negatives(corpus)
    add_client_mail(corpus)
    return corpus.items


def write(out_dir: Path, seed: int = SEED) -> list[Item]:
    """Generate the corpus into ``out_dir`` (files plus labels.json); returns the items."""
    out_dir.mkdir(parents=True, exist_ok=True)
    items = build(seed)
    for item in items:
        (out_dir / item.name).write_bytes(item.data)
    manifest = {"seed": seed, "items": [item.label() for item in items]}
    (out_dir / "labels.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1),
                                         encoding="utf-8")
    return items


def main(argv: list[str] | None = None) -> int:
    """Command line: generate the corpus into a directory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, help="directory to write the items and labels.json into")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    items = write(args.out_dir, args.seed)
    positives = sum(item.kind == "positive" for item in items)
    print(f"{len(items)} items ({positives} positive, {len(items) - positives} negative) "
          f"in {time.perf_counter() - started:.1f} s -> {args.out_dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
