"""Write the held-out corpus's items into a folder: ``python tests/corpus_heldout/make.py DIR``.

Mails and text files are written as the world corpus writes them; docx files add tables,
runs of alternating formatting, text boxes and first-page headers; PDFs draw the header and
footer in the page's top and bottom bands.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from email.message import EmailMessage
from pathlib import Path

import docx
import openpyxl
import openpyxl.comments
import pptx
from docx.oxml import parse_xml
from docx.shared import Inches, RGBColor
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

HERE = Path(__file__).resolve().parent
if __package__ in (None, ""):
    sys.path.insert(0, str(HERE.parents[1]))

from tests.corpus_heldout.cases import Case, Item  # noqa: E402
from tests.corpus_heldout.round10 import CASES  # noqa: E402
from tests.corpus_world import make as world  # noqa: E402
from tests.corpus_world.cases import Item as WorldItem  # noqa: E402
from tests.fixtures.office import CT_OFFICE, patch_zip  # noqa: E402

RUN = "¦"
CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
LATIN_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
LATIN_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# Word's own watermark: a WordArt shape in the header (Design > Watermark).
WATERMARK = ('<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
             'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">'
             '<w:rPr><w:noProof/></w:rPr><w:pict><v:shapetype id="_x0000_t136" coordsize="21600,21600" '
             'o:spt="136" adj="10800" path="m@7,l@8,m@5,21600l@6,21600e"><v:path textpathok="t" '
             'o:connecttype="custom"/><v:textpath on="t" fitshape="t"/></v:shapetype>'
             '<v:shape id="PowerPlusWaterMarkObject357831064" o:spid="_x0000_s2049" type="#_x0000_t136" '
             'style="position:absolute;margin-left:0;margin-top:0;width:412.4pt;height:247.45pt;rotation:315;'
             'z-index:-251657216;mso-position-horizontal:center;mso-position-horizontal-relative:margin;'
             'mso-position-vertical:center;mso-position-vertical-relative:margin" o:allowincell="f" '
             'fillcolor="silver" stroked="f"><v:fill opacity=".5"/><v:textpath style="font-family:&quot;'
             'Calibri&quot;;font-size:1pt" string="{}"/><w10:wrap xmlns:w10="urn:schemas-microsoft-com:'
             'office:word" anchorx="margin" anchory="margin"/></v:shape></w:pict></w:r>')
FOOTNOTES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             f'<w:footnotes xmlns:w="{W_NS}"><w:footnote w:type="separator" w:id="-1"><w:p><w:r>'
             '<w:separator/></w:r></w:p></w:footnote><w:footnote w:type="continuationSeparator" w:id="0">'
             '<w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote><w:footnote w:id="1"><w:p>'
             '<w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr><w:r><w:rPr><w:vertAlign w:val="superscript"/>'
             '</w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {}</w:t></w:r></w:p>'
             '</w:footnote></w:footnotes>')
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
    if item.watermark:
        section.header.paragraphs[0]._p.append(parse_xml(WATERMARK.format(item.watermark)))
    if item.header_box:
        # A labelling add-in's stamp: a text box anchored in the page header.
        section.header.paragraphs[0].add_run()._r.append(parse_xml(TEXT_BOX.format(item.header_box)))
    for name, value in item.core:
        setattr(document.core_properties, name, value)
    if item.box:
        run = document.add_paragraph().add_run()
        run._r.append(parse_xml(TEXT_BOX.format(item.box)))
    if item.alt:
        picture = document.add_paragraph().add_run().add_picture(io.BytesIO(_png("", 240, 80)),
                                                                  width=Inches(1.6))
        picture._inline.docPr.set("descr", item.alt)
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
    paragraphs = document.paragraphs
    if item.tracked:
        # Track Changes on: Word wraps the typed run in w:ins with its author and date.
        paragraphs[0]._p.append(parse_xml(
            f'<w:ins xmlns:w="{W_NS}" w:id="101" w:author="R. Ortiz" w:date="2025-06-03T09:12:00Z">'
            f'<w:r><w:t xml:space="preserve"> {item.tracked}</w:t></w:r></w:ins>'))
    if item.comment:
        document.add_comment(paragraphs[0].runs, text=item.comment, author="R. Ortiz", initials="RO")
    if item.footnote:
        paragraphs[0]._p.append(parse_xml(
            f'<w:r xmlns:w="{W_NS}"><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
            '<w:footnoteReference w:id="1"/></w:r>'))
    if item.section2:
        second = document.add_section()
        second.header.is_linked_to_previous = False
        second.header.paragraphs[0].text = item.section2
        document.add_paragraph("Annex B\n" + item.body.split("\n")[-1])
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    if item.footnote:
        data = patch_zip(data, {
            "word/footnotes.xml": FOOTNOTES.format(item.footnote).encode(),
            "word/_rels/document.xml.rels": lambda b: b.replace(
                b"</Relationships>", f'<Relationship Id="rIdFootnotes" Type="{REL_NS}/footnotes" '
                'Target="footnotes.xml"/></Relationships>'.encode()),
            "[Content_Types].xml": lambda b: b.replace(
                b"</Types>", b'<Override PartName="/word/footnotes.xml" ContentType="'
                + (CT_OFFICE + "wordprocessingml.footnotes+xml").encode() + b'"/></Types>'),
        })
    if item.props and (item.comment or item.core or item.section2):
        return _with_custom(data, item.props)
    if item.props:
        return world.render(WorldItem("docx", body=item.body, header=item.header, footer=item.footer,
                                      props=item.props))
    return data


def _with_custom(data: bytes, props: tuple[tuple[str, str], ...]) -> bytes:
    """An OOXML package with docProps/custom.xml added as Office adds it (part, type, relationship)."""
    return patch_zip(data, {
        "docProps/custom.xml": world._custom_xml(props),
        "[Content_Types].xml": lambda b: b.replace(
            b"</Types>", b'<Override PartName="/docProps/custom.xml" ContentType="'
            + (CT_OFFICE + "custom-properties+xml").encode() + b'"/></Types>'),
        "_rels/.rels": lambda b: b.replace(
            b"</Relationships>", f'<Relationship Id="rIdCustom" Type="{REL_NS}/custom-properties" '
            'Target="docProps/custom.xml"/></Relationships>'.encode()),
    })


def _xlsx(item: Item) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = item.sheet or "Sheet1"
    for line in item.body.split("\n"):
        sheet.append(line.split("\t"))
    if item.cell_note:
        sheet["A1"].comment = openpyxl.comments.Comment(item.cell_note, "R. Ortiz")
    for text, part in ((item.header, sheet.oddHeader.center), (item.footer, sheet.oddFooter.center)):
        if text:
            # Excel writes the formatting as codes before the text: &"Arial,Bold"&14&KFF0000
            part.text, part.font, part.size, part.color = text, "Arial,Bold", 14, "FF0000"
    buffer = io.BytesIO()
    book.save(buffer)
    return _with_custom(buffer.getvalue(), item.props) if item.props else buffer.getvalue()


def _pptx(item: Item) -> bytes:
    deck = pptx.Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    title, *rest = item.body.split("\n")
    slide.shapes.title.text = title
    slide.placeholders[1].text = "\n".join(rest)
    if item.box:
        box = slide.shapes.add_textbox(pptx.util.Inches(6.5), pptx.util.Inches(0.2), pptx.util.Inches(3),
                                       pptx.util.Inches(0.6))
        box.text_frame.text = item.box
    if item.notes:
        slide.notes_slide.notes_text_frame.text = item.notes
    if item.master:
        # A text box on the slide master: every slide shows it, no slide holds it.
        box = slide.shapes.add_textbox(pptx.util.Inches(0.3), pptx.util.Inches(7.0), pptx.util.Inches(4),
                                       pptx.util.Inches(0.4))
        box.text_frame.text = item.master
        element = box._element
        element.getparent().remove(element)
        element.nvSpPr.cNvPr.id = 9001
        deck.slide_master.shapes._spTree.append(element)
    buffer = io.BytesIO()
    deck.save(buffer)
    return _with_custom(buffer.getvalue(), item.props) if item.props else buffer.getvalue()


def _png(textual: str, width: int = 900, height: int = 260) -> bytes:
    """A stamp as a picture: red capitals on white (a scan or a screenshot of one)."""
    image = Image.new("RGB", (width, height), "white")
    if textual:
        cjk = any(ord(c) > 0x2E80 for c in textual)
        font = ImageFont.truetype(str(CJK_FONT if cjk else LATIN_BOLD), 96)
        draw = ImageDraw.Draw(image)
        draw.rectangle((10, 10, width - 10, height - 10), outline=(200, 0, 0), width=8)
        draw.text((width / 2, height / 2), textual, fill=(200, 0, 0), font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _zip(item: Item) -> bytes:
    inner = item.inner
    assert inner is not None
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(inner.name or "report" + SUFFIX[inner.kind], render(inner))
    return buffer.getvalue()


def _font(textual: str) -> str:
    cjk = any(ord(c) > 0x2E80 for c in textual)
    name = "cjk" if cjk else "latin"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(CJK_FONT if cjk else LATIN_FONT)))
    return name


RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
LTR_RUN = re.compile(r"[0-9A-Za-z][0-9A-Za-z.,:/%-]*")


def _drawn(line: str) -> str:
    """A line as PDF writers lay out its glyphs: right-to-left script in visual order (last
    letter drawn first, at the left), digits and Latin words inside it left to right."""
    if not RTL.search(line):
        return line
    return LTR_RUN.sub(lambda m: m.group()[::-1], line[::-1])


def _pdf(item: Item) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    font = _font(item.header + item.body + item.footer)
    if item.header:
        page.setFillColorRGB(0.8, 0, 0)
        page.setFont(font, 12)
        page.drawCentredString(width / 2, height - 30, _drawn(item.header))
    if item.footer:
        page.setFillColorRGB(0.8, 0, 0)
        page.setFont(font, 12)
        page.drawCentredString(width / 2, 24, _drawn(item.footer))
    if item.watermark:
        # A stamp across the page: large, light, turned 45 degrees (Acrobat's Add Watermark).
        page.saveState()
        page.setFillColorRGB(0.85, 0.85, 0.85)
        page.setFont(font, 60)
        page.translate(width / 2, height / 2)
        page.rotate(45)
        page.drawCentredString(0, 0, item.watermark)
        page.restoreState()
    page.setFillColorRGB(0, 0, 0)
    page.setFont(font, 11)
    y = height - 110
    for line in item.body.split("\n"):
        if line.startswith("⟪") and line.endswith("⟫"):
            # Glyphs placed one by one, last letter first: the page reads left to right,
            # the content stream right to left.
            word = line[1:-1]
            x = [60 + page.stringWidth(word[:i], font, 11) for i in range(len(word))]
            for i in reversed(range(len(word))):
                page.drawString(x[i], y, word[i])
        else:
            page.drawString(60, y, _drawn(line))
        y -= 16
    if item.core:
        for name, value in item.core:
            getattr(page, "set" + name.capitalize())(value)
    if item.annot:
        # Acrobat's Comment > Add text box: a FreeText annotation whose text is /Contents.
        page.freeTextAnnotation(item.annot, "/Helv 12 Tf 0.8 0 0 rg",
                                Rect=(360, height - 80, 560, height - 50))
    page.showPage()
    page.save()
    data = buffer.getvalue()
    if item.props or item.xmp:
        data = _pdf_update(data, dict(item.props), item.xmp)
    return data


def _pdf_string(value: str) -> bytes:
    if value.isascii():
        return b"(" + value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode() + b")"
    return b"<FEFF" + value.encode("utf-16-be").hex().upper().encode() + b">"


XMP = ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n<x:xmpmeta xmlns:x="adobe:ns:meta/">'
       '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" '
       'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" '
       'xmlns:pdfx="http://ns.adobe.com/pdfx/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">{}'
       '</rdf:Description></rdf:RDF></x:xmpmeta>\n<?xpacket end="w"?>')


def _pdf_update(data: bytes, info: dict[str, str], xmp: str) -> bytes:
    """An incremental update, as Acrobat and labelling add-ins save one: a new Info
    dictionary with custom keys and an XMP metadata stream hung on the catalogue."""
    tail = data[data.rfind(b"trailer"):]
    size = int(re.search(rb"/Size (\d+)", tail).group(1))
    root = int(re.search(rb"/Root (\d+) 0 R", tail).group(1))
    previous = int(re.search(rb"startxref\s+(\d+)", data[-64:]).group(1))
    catalog = re.search(rb"\n%d 0 obj\s*(<<.*?>>)\s*endobj" % root, data, re.S).group(1)
    objects: dict[int, bytes] = {}
    entries = b"".join(b"/" + key.encode() + b" " + _pdf_string(value) + b"\n" for key, value in info.items())
    info_number = size
    objects[info_number] = b"<<\n/Producer (Microsoft: Print To PDF)\n" + entries + b">>"
    if xmp:
        packet = XMP.format(xmp).encode("utf-8")
        objects[size + 1] = (b"<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n" % len(packet)
                             + packet + b"\nendstream")
        objects[root] = catalog[:-2] + b" /Metadata %d 0 R >>" % (size + 1)
    out = bytearray(data if data.endswith(b"\n") else data + b"\n")
    offsets = {}
    for number, body in objects.items():
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 1\n0000000000 65535 f \n"
    for number in sorted(offsets):
        out += b"%d 1\n%010d 00000 n \n" % (number, offsets[number])
    out += (b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n"
            % (max(objects) + 1, root, info_number, previous, xref))
    return bytes(out)


def _html_mail(item: Item) -> bytes:
    message = EmailMessage()
    message["From"] = "Alex Writer <alex.writer@example.org>"
    message["To"] = "team@example.net"
    message["Subject"] = item.subject
    message["Date"] = "Tue, 03 Jun 2025 09:12:44 +0000"
    message.set_content("<html><body>" + item.body + "</body></html>", subtype="html")
    return bytes(message)


SUFFIX = {"mail": ".eml", "html": ".eml", "text": ".txt", "docx": ".docx", "pdf": ".pdf",
          "eml": ".eml", "xlsx": ".xlsx", "pptx": ".pptx", "zip": ".zip", "png": ".png", "rtf": ".rtf",
          "odt": ".odt"}
ODF_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
          'xmlns:dc="http://purl.org/dc/elements/1.1/" '
          'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.3"')


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _odt(item: Item) -> bytes:
    """A LibreOffice Writer file: body paragraphs in content.xml, the page header and footer on
    the master page in styles.xml, title/subject/keywords and custom fields in meta.xml."""
    body = "".join(f'<text:p text:style-name="Standard">{_xml(line)}</text:p>'
                   for line in item.body.split("\n"))
    content = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {ODF_NS}><office:body>'
               f'<office:text>{body}</office:text></office:body></office:document-content>')
    header = f"<style:header><text:p>{_xml(item.header)}</text:p></style:header>" if item.header else ""
    footer = f"<style:footer><text:p>{_xml(item.footer)}</text:p></style:footer>" if item.footer else ""
    styles = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-styles {ODF_NS}>'
              '<office:automatic-styles><style:page-layout style:name="pm1"/></office:automatic-styles>'
              '<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1">'
              f'{header}{footer}</style:master-page></office:master-styles></office:document-styles>')
    fields = {"title": "dc:title", "subject": "dc:subject", "keywords": "meta:keyword"}
    meta = "".join(f"<{fields[k]}>{_xml(v)}</{fields[k]}>" for k, v in item.core)
    meta += "".join(f'<meta:user-defined meta:name="{_xml(k)}">{_xml(v)}</meta:user-defined>'
                    for k, v in item.props)
    meta_xml = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta {ODF_NS}><office:meta>'
                f'<meta:generator>LibreOffice/24.2.7.2$Linux_X86_64</meta:generator>{meta}</office:meta>'
                '</office:document-meta>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest xmlns:manifest='
                '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type='
                '"application/vnd.oasis.opendocument.text"/>'
                + "".join(f'<manifest:file-entry manifest:full-path="{p}" manifest:media-type="text/xml"/>'
                          for p in ("content.xml", "styles.xml", "meta.xml"))
                + "</manifest:manifest>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        for name, part in (("content.xml", content), ("styles.xml", styles), ("meta.xml", meta_xml),
                           ("META-INF/manifest.xml", manifest)):
            archive.writestr(name, part)
    return buffer.getvalue()


def _rtf_text(text: str) -> str:
    """Text as RTF writes it: control characters escaped, non-ASCII as \\uN? (signed 16-bit)."""
    out = []
    for char in text:
        if char in "\\{}":
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\par\n")
        elif ord(char) < 128:
            out.append(char)
        else:
            data = char.encode("utf-16-le")
            for start in range(0, len(data), 2):  # one \\u per UTF-16 unit, as Word writes it
                value = int.from_bytes(data[start:start + 2], "little", signed=True)
                out.append(f"\\u{value}?")
    return "".join(out)


def _rtf(item: Item) -> bytes:
    """A Word-style RTF: font table, a centred bold header group, then the body paragraphs."""
    header = (r"{\header\pard\qc\b " + _rtf_text(item.header) + r"\b0\par}") if item.header else ""
    return (r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss Calibri;}}" + header
            + r"\pard\f0\fs22 " + _rtf_text(item.body) + r"\par}").encode("ascii")


def render(item: Item) -> bytes:
    """The bytes of one item."""
    if item.kind == "eml":
        return item.raw
    if item.kind == "rtf":
        return _rtf(item)
    if item.kind == "odt":
        return _odt(item)
    if item.kind == "xlsx":
        return _xlsx(item)
    if item.kind == "pptx":
        return _pptx(item)
    if item.kind == "zip":
        return _zip(item)
    if item.kind == "png":
        return _png(item.body)
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
