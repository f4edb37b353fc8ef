"""Office documents as LibreOffice writes them, many variants, for a differential look at
what Redline holds: ``python bench/office_variants.py OUT_DIR [--count N] [--seed S]``.

Each variant is a flat ODF source (text, spreadsheet or presentation) with page headers and
footers, ordinary business prose (words near markings: a secretary, a confidentiality
disclaimer, draft beer, a restaurant's "secret recipe"), sometimes a tracked change, a
comment or an embedded picture, and in half of them a marking in a header, footer or first
line. ``soffice --headless --convert-to`` turns every source into the formats LibreOffice
saves (docx, odt, rtf, doc, pdf; xlsx, ods, xls, pdf; pptx, odp, pdf). ``labels.json``
records for each file what Redline should do: pass, held for a marking, held as a draft
(tracked changes or comments). Nothing here is taken from Redline's rules.
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import random
import subprocess
from pathlib import Path
from xml.sax.saxutils import escape

NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:officeooo="http://openoffice.org/2009/office"'
)

# Ordinary business prose, with words a keyword filter would trip on in their ordinary sense.
PROSE = [
    "Please find attached the minutes of Tuesday's meeting.",
    "The secretary will circulate the agenda by Friday.",
    "Our company secretary has signed the annual return.",
    "Happy hour on Thursday: draft beer is half price until seven.",
    "The NFL draft starts next week, so the office pool is open.",
    "Try our Top Secret Recipe burger, the chef's own sauce since 1987.",
    "The secret to a good sourdough is patience.",
    "Secret Santa gifts should stay under twenty euros.",
    "I have attached the first draft of my speech for the retirement party.",
    "Call the confidential helpline if you need advice.",
    "La secretaría del departamento cerrará a las tres.",
    "El borrador del menú de Navidad está en la cocina.",
    "成功的秘密在于坚持。",
    "请将草稿箱中的邮件删除。",
    "Die Sekretärin ist ab Montag wieder im Büro.",
    "Revenue rose 4.2% to EUR 18.3 million in the third quarter.",
    "Delivery of 240 pallets is booked for 14 March, dock 3.",
    "The board approved the budget for the new warehouse.",
    "Please confirm the invoice number 2026-0413 before payment.",
    "We kept the design of the secret garden for the hotel courtyard.",
]

DISCLAIMERS = [
    "Confidentiality notice: This e-mail and any attachments are confidential and may be "
    "privileged. If you are not the intended recipient, please notify the sender and delete it.",
    "CONFIDENTIALITY NOTICE: The information in this document is intended only for the "
    "addressee and may contain confidential information.",
    "Aviso de confidencialidad: este mensaje y sus anexos son confidenciales.",
]

HEADERS = [
    "Acme Logistics Ltd",
    "Quarterly report Q3 2026",
    "Meeting minutes",
    "Restaurant Bella Vista - Menu",
    "Project Falcon - status",
    "Acme Ltd | Finance",
]
FOOTERS = [
    "Page 1",
    "Acme Logistics Ltd, 12 Harbour Road, Leeds",
    "www.acme.example",
    "Printed 2026-03-14",
    "Registered in England No. 0123456",
]

MARKINGS = [
    "SECRET",
    "SECRET//NOFORN",
    "TOP SECRET",
    "CONFIDENTIAL",
    "机密★5年",
    "CONFIDENCIAL",
    "BORRADOR",
    "DRAFT",
    "秘密",
    "RESERVADO",
]
PLACES = ["header", "footer", "first line"]


def png(rng: random.Random) -> bytes:
    """A small picture: coloured blocks, as a logo or chart might be."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (120, 60), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x, y = rng.randrange(100), rng.randrange(40)
        draw.rectangle((x, y, x + 20, y + 20), fill=tuple(rng.randrange(256) for _ in range(3)))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def paragraphs(rng: random.Random) -> list[str]:
    out = rng.sample(PROSE, rng.randint(3, 7))
    if rng.random() < 0.5:
        out.append(rng.choice(DISCLAIMERS))
    return out


def _p(text: str) -> str:
    return f"<text:p>{escape(text)}</text:p>"


def _change_info() -> str:
    return (
        "<office:change-info><dc:creator>Ann Lee</dc:creator>"
        "<dc:date>2026-03-01T10:00:00</dc:date></office:change-info>"
    )


def _annotation(text: str) -> str:
    return (
        f"<office:annotation><dc:creator>Ann Lee</dc:creator><dc:date>2026-03-01T10:00:00"
        f"</dc:date><text:p>{escape(text)}</text:p></office:annotation>"
    )


def _frame(picture: bytes, name: str) -> str:
    data = base64.b64encode(picture).decode()
    return (
        f'<draw:frame draw:name="{name}" text:anchor-type="as-char" svg:width="3cm" '
        f'svg:height="1.5cm"><draw:image><office:binary-data>{data}</office:binary-data>'
        f"</draw:image></draw:frame>"
    )


def _master(header: str, footer: str, layout: str = "pm1") -> str:
    return (
        f'<office:master-styles><style:master-page style:name="Standard" '
        f'style:page-layout-name="{layout}"><style:header>{_p(header)}</style:header>'
        f"<style:footer>{_p(footer)}</style:footer></style:master-page></office:master-styles>"
    )


LAYOUT = (
    '<office:automatic-styles><style:page-layout style:name="pm1">'
    '<style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm"/>'
    "<style:header-style/><style:footer-style/></style:page-layout></office:automatic-styles>"
)


def text_document(rng: random.Random, spec: dict) -> str:
    body = [_p(spec["first"])] if spec["first"] else []
    texts = spec["paragraphs"]
    changes = ""
    if spec["tracked"]:
        changes = (
            '<text:tracked-changes><text:changed-region text:id="ct1"><text:insertion>'
            f"{_change_info()}</text:insertion></text:changed-region></text:tracked-changes>"
        )
    for i, text in enumerate(texts):
        inner = escape(text)
        if spec["tracked"] and i == 1:
            inner += (
                ' <text:change-start text:change-id="ct1"/>Figures updated by Ann.'
                '<text:change-end text:change-id="ct1"/>'
            )
        if spec["comment"] and i == 0:
            inner = _annotation("Can we check this with finance?") + inner
        if spec["picture"] and i == 2:
            inner += _frame(png(rng), "Logo")
        body.append(f"<text:p>{inner}</text:p>")
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document {NS} office:version="1.3" '
        'office:mimetype="application/vnd.oasis.opendocument.text">'
        f"<office:meta><dc:title>{escape(spec['title'])}</dc:title></office:meta>"
        f"{LAYOUT}{_master(spec['header'], spec['footer'])}"
        f"<office:body><office:text>{changes}{''.join(body)}</office:text></office:body>"
        "</office:document>"
    )


def _sheet_change() -> str:
    """One recorded cell change (Edit > Track Changes > Record in Calc), still pending."""
    return (
        '<table:tracked-changes><table:cell-content-change table:id="ct1">'
        '<table:cell-address table:column="1" table:row="1" table:table="0"/>'
        f"{_change_info()}<table:previous><table:change-track-table-cell "
        'office:value-type="float" office:value="5"><text:p>5</text:p>'
        "</table:change-track-table-cell></table:previous></table:cell-content-change>"
        "</table:tracked-changes>"
    )


def spreadsheet(rng: random.Random, spec: dict) -> str:
    rows = []
    if spec["first"]:
        rows.append(
            f'<table:table-row><table:table-cell office:value-type="string">'
            f"{_p(spec['first'])}</table:table-cell></table:table-row>"
        )
    rows.append(
        '<table:table-row><table:table-cell office:value-type="string">'
        + _p("Item")
        + '</table:table-cell><table:table-cell office:value-type="string">'
        + _p("Amount")
        + "</table:table-cell></table:table-row>"
    )
    for i, text in enumerate(spec["paragraphs"]):
        note = _annotation("Please check") if spec["comment"] and i == 0 else ""
        value = rng.randint(10, 99999)
        rows.append(
            f'<table:table-row><table:table-cell office:value-type="string">{note}'
            f'{_p(text)}</table:table-cell><table:table-cell office:value-type="float" '
            f'office:value="{value}">{_p(str(value))}</table:table-cell></table:table-row>'
        )
    master = (
        f'<office:master-styles><style:master-page style:name="Default" '
        f'style:page-layout-name="pm1"><style:header>{_p(spec["header"])}</style:header>'
        f"<style:footer>{_p(spec['footer'])}</style:footer></style:master-page>"
        "</office:master-styles>"
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document {NS} office:version="1.3" '
        'office:mimetype="application/vnd.oasis.opendocument.spreadsheet">'
        f"<office:meta><dc:title>{escape(spec['title'])}</dc:title></office:meta>"
        f"{LAYOUT}{master}<office:body><office:spreadsheet>{_sheet_change() if spec['tracked'] else ''}"
        f'<table:table table:name="{escape(spec["sheet"])}">'
        '<table:table-column table:number-columns-repeated="2"/>'
        f"{''.join(rows)}</table:table></office:spreadsheet></office:body></office:document>"
    )


def presentation(rng: random.Random, spec: dict) -> str:
    slides = []
    texts = ([spec["first"]] if spec["first"] else []) + spec["paragraphs"]
    for i in range(0, len(texts), 2):
        boxes = "".join(
            f'<draw:frame svg:width="20cm" svg:height="3cm" svg:x="2cm" svg:y="{2 + 4 * j}cm">'
            f"<draw:text-box>{_p(t)}</draw:text-box></draw:frame>"
            for j, t in enumerate(texts[i : i + 2])
        )
        if spec["picture"] and i == 0:
            boxes += (
                f'<draw:frame svg:width="3cm" svg:height="1.5cm" svg:x="20cm" svg:y="1cm">'
                f"<draw:image><office:binary-data>{base64.b64encode(png(rng)).decode()}"
                "</office:binary-data></draw:image></draw:frame>"
            )
        note = (
            '<officeooo:annotation svg:x="1cm" svg:y="1cm" svg:width="1cm" svg:height="1cm">'
            "<dc:creator>Ann Lee</dc:creator><dc:date>2026-03-01T10:00:00</dc:date>"
            f"{_p('Tighten this slide')}</officeooo:annotation>"
            if spec["comment"] and i == 0
            else ""
        )
        slides.append(
            f'<draw:page draw:name="Slide{i // 2 + 1}" draw:style-name="dp1" '
            'draw:master-page-name="Default" presentation:use-footer-name="ftr1">'
            f"{boxes}{note}</draw:page>"
        )
    # Impress keeps a footer's text in a declaration the slides name; the master's footer
    # frame shows it (ODF 1.2, 16.32 presentation:footer-decl).
    slides.insert(
        0,
        f'<presentation:footer-decl presentation:name="ftr1">{escape(spec["footer"])}'
        "</presentation:footer-decl>",
    )
    master = (
        '<office:master-styles><style:master-page style:name="Default" '
        'style:page-layout-name="pm1">'
        '<draw:frame presentation:class="footer" svg:width="10cm" svg:height="1cm" '
        'svg:x="1cm" svg:y="19cm"><draw:text-box><text:p><presentation:footer/></text:p>'
        "</draw:text-box></draw:frame></style:master-page></office:master-styles>"
    )
    layout = (
        '<office:automatic-styles><style:page-layout style:name="pm1">'
        '<style:page-layout-properties fo:page-width="28cm" fo:page-height="21cm"/>'
        '</style:page-layout><style:style style:family="drawing-page" style:name="dp1">'
        '<style:drawing-page-properties presentation:display-footer="true"/></style:style>'
        "</office:automatic-styles>"
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document {NS} office:version="1.3" '
        'office:mimetype="application/vnd.oasis.opendocument.presentation">'
        f"<office:meta><dc:title>{escape(spec['title'])}</dc:title></office:meta>"
        f"{layout}{master}<office:body><office:presentation>{''.join(slides)}"
        "</office:presentation></office:body></office:document>"
    )


KINDS = {
    "text": (".fodt", text_document, ["docx", "odt", "rtf", "doc", "pdf"]),
    "sheet": (".fods", spreadsheet, ["xlsx", "ods", "xls", "pdf"]),
    "slides": (".fodp", presentation, ["pptx", "odp", "pdf"]),
}


def variant(rng: random.Random, index: int) -> tuple[str, dict]:
    kind = ("text", "sheet", "slides")[index % 3]
    marked = rng.random() < 0.5
    spec = {
        "title": rng.choice(["Minutes", "Q3 report", "Menu", "Status", "Budget 2027"]),
        "header": rng.choice(HEADERS),
        "footer": rng.choice(FOOTERS),
        "sheet": rng.choice(["Sheet1", "Budget", "Menu", "Q3"]),
        "first": "",
        "paragraphs": paragraphs(rng),
        "tracked": kind in ("text", "sheet") and rng.random() < 0.2,
        "comment": rng.random() < 0.15,
        "picture": rng.random() < 0.4,
        "marking": "",
        "place": "",
    }
    if rng.random() < 0.3:
        spec["footer"] = rng.choice(DISCLAIMERS)[:90]
    if marked:
        marking, place = rng.choice(MARKINGS), rng.choice(PLACES)
        if kind == "slides" and place == "header":
            place = "footer"
        spec["marking"], spec["place"] = marking, place
        if place == "first line":
            spec["first"] = marking
        else:
            spec[place] = marking
    return kind, spec


def expected(spec: dict, kind: str) -> str:
    if spec["marking"]:
        return "marking"
    if spec["tracked"] or (spec["comment"] and kind != "sheet"):
        return "draft"
    return "pass"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=90)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    source = args.out / "source"
    source.mkdir(parents=True, exist_ok=True)
    labels = {}
    by_kind: dict[str, list[Path]] = {k: [] for k in KINDS}
    for index in range(args.count):
        kind, spec = variant(rng, index)
        suffix, make, _ = KINDS[kind]
        path = source / f"v{index:04d}{suffix}"
        path.write_text(make(rng, spec), encoding="utf-8")
        by_kind[kind].append(path)
        labels[path.stem] = {"kind": kind, "expected": expected(spec, kind), **spec}
    (args.out / "labels.json").write_text(json.dumps(labels, ensure_ascii=False, indent=1))
    for kind, paths in by_kind.items():
        for target in KINDS[kind][2]:
            folder = args.out / target
            folder.mkdir(exist_ok=True)
            subprocess.run(
                ["soffice", "--headless", "--convert-to", target, "--outdir", str(folder), *map(str, paths)],
                check=False,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=1800,
            )
            print(kind, target, len(list(folder.iterdir())), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
