"""The placements corpus's second round: where real programs put a marking, and every round together.

Written before Redline's extractors were read, from public descriptions of what the programs
emit (ISO 32000-1 for PDF, ECMA-376 for Office Open XML, the programs' own documentation):

- PDF: Acrobat's rubber stamps, the standard ones (ISO 32000-1 table 181: Confidential,
  TopSecret, NotForPublicRelease, Draft, ForComment; Acrobat's "Standard Business" set:
  SBConfidential, SBDraft …) whose name alone says the marking, with no appearance and no
  contents, and a custom stamp whose appearance stream alone draws the words; a watermark
  annotation (/Watermark with /FixedPrint) and Acrobat's Add Watermark (a form XObject inside
  an /Artifact /Watermark marked-content sequence, in an optional-content group that is on);
  a free-text annotation; a file attachment annotation; a custom key in the Info dictionary;
  text converted to outlines (glyph paths, no text object, no image); text in a CID font
  (Identity-H) whose embedded subset has no cmap and no /ToUnicode; a scanned page with an
  OCR engine's invisible text layer (render mode 3);
- Word: Purview's content marking, a text box in the header (MSIPCMContentMarking);
  SharePoint's document-library column kept in a custom XML part (customXml/itemN.xml);
  a document variable (w:docVar, what DOCVARIABLE fields show); an imported HTML chunk
  (w:altChunk, what the Open XML SDK and report generators write); LibreOffice's TSCP
  classification (urn:bails:… custom properties);
- Excel: Purview's footer marking (&"Calibri"&10&K000000 … &1#_x000D_); a text box shape
  in a drawing;
- PowerPoint: a hidden slide (show="0"), a slide's footer placeholder, a picture's alt text,
  a chart title;
- LibreOffice's conversions of those into ODF and the legacy binary formats, and of Titus's
  custom properties into .odt, .doc and .rtf (File > Properties > Custom Properties).

Each marked place has a clean twin: the same place with ordinary words (a stamp named
Approved, a label named General Business).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable

from tests.corpus_placements import cases as first
from tests.corpus_placements.cases import (
    CLEAN,
    CT,
    DRAFT,
    MARK,
    NS_WORD,
    RT,
    Case,
    _add_override,
    _add_rel,
    _docx_base,
    _in_body,
    _patch,
    _png,
    _pptx,
    _rels,
    _widen_ns,
    _xlsx,
    with_custom_props,
)
from tests.fixtures.pdf_file import pdf_file

# --- hand-written PDF ------------------------------------------------------------------------

BODY = (
    b"BT /F1 12 Tf 72 760 Td (Q3 supplier review) Tj 0 -20 Td (The figures were discussed on Tuesday.) Tj ET"
)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _hand_pdf(
    content: bytes = BODY,
    objects: list[bytes] | None = None,
    page: bytes = b"",
    resources: bytes = b"/Font << /F1 5 0 R >>",
    catalog: bytes = b"",
    trailer: bytes = b"",
) -> bytes:
    """A one-page PDF written by hand: catalog 1, pages 2, page 3, content 4, Helvetica 5,
    ``objects`` from 6 on; ``page`` adds entries to the page dictionary."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << "
        + resources
        + b" >> "
        + page
        + b" >>",
        _stream(content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        *(objects or []),
    ]
    return pdf_file(objs, trailer=trailer)


def _words_form(text: str, size: int = 36, bbox: bytes = b"[0 0 400 120]", extra: bytes = b"") -> bytes:
    """A form XObject drawing ``text`` in Helvetica (an annotation's appearance or a watermark)."""
    ops = b"q 0.8 0 0 RG 0.8 0 0 rg BT /F1 %d Tf 10 40 Td (%s) Tj ET Q" % (size, text.encode("latin-1"))
    return _stream(
        ops,
        b"/Type /XObject /Subtype /Form /BBox " + bbox + b" /Resources << /Font << /F1 5 0 R >> >> " + extra,
    )


def pdf_stamp_name(name: str) -> bytes:
    """A rubber stamp (/Stamp) with a standard /Name only: no /AP, no /Contents (the viewer draws it)."""
    annot = b"<< /Type /Annot /Subtype /Stamp /Rect [320 600 540 660] /F 4 /Name /" + name.encode() + b" >>"
    return _hand_pdf(objects=[annot], page=b"/Annots [6 0 R]")


def pdf_custom_stamp(text: str) -> bytes:
    """An Acrobat custom stamp: a private /Name and an appearance stream that alone draws the words."""
    annot = (
        b"<< /Type /Annot /Subtype /Stamp /Rect [200 560 600 680] /F 4 /Name /#23DxhX7VtTf8WSHXBsC "
        b"/AP << /N 7 0 R >> >>"
    )
    return _hand_pdf(objects=[annot, _words_form(text)], page=b"/Annots [6 0 R]")


def pdf_watermark_annotation(text: str) -> bytes:
    """A watermark annotation (/Watermark, PDF 1.6) printed at a fixed place, its words in /AP only."""
    annot = (
        b"<< /Type /Annot /Subtype /Watermark /Rect [100 300 500 420] /F 4 /AP << /N 7 0 R >> "
        b"/FixedPrint << /Type /FixedPrint /Matrix [1 0 0 1 0 0] /H 0 /V 0 >> >>"
    )
    return _hand_pdf(objects=[annot, _words_form(text, 48)], page=b"/Annots [6 0 R]")


def pdf_acrobat_watermark(text: str) -> bytes:
    """Acrobat's Add Watermark: a form XObject drawn inside /Artifact /Watermark marked content,
    in an optional-content group named Watermark that is on, the words turned 45 degrees."""
    ops = BODY + (
        b"\n/OC /MC0 BDC /Artifact << /Subtype /Watermark /Type /Pagination >> BDC "
        b"q 0.70711 0.70711 -0.70711 0.70711 250 250 cm /Fm0 Do Q EMC EMC"
    )
    form = _words_form(
        text,
        60,
        b"[0 0 500 120]",
        b"/PieceInfo << /ADBE_CompoundType << /DocSettings 8 0 R /LastModified (D:20261130100000Z) "
        b"/Private /Watermark >> >> /OC 6 0 R ",
    )
    ocg = b"<< /Type /OCG /Name (Watermark) /Usage << /PageElement << /Subtype /W >> >> >>"
    settings = b"<< /Version 1 /TextString (" + text.encode("latin-1") + b") >>"
    return _hand_pdf(
        ops,
        [ocg, form, settings],
        resources=b"/Font << /F1 5 0 R >> /XObject << /Fm0 7 0 R >> /Properties << /MC0 6 0 R >>",
        catalog=b"/OCProperties << /OCGs [6 0 R] /D << /ON [6 0 R] /Order [6 0 R] >> >>",
    )


def pdf_free_text(text: str) -> bytes:
    """A free-text (typewriter) annotation: /Contents, /DA and the appearance Acrobat writes."""
    annot = (
        b"<< /Type /Annot /Subtype /FreeText /Rect [72 600 400 640] /F 4 /Contents ("
        + text.encode("latin-1")
        + b") /DA (0 g /Helv 14 Tf) /AP << /N 7 0 R >> >>"
    )
    return _hand_pdf(objects=[annot, _words_form(text, 14)], page=b"/Annots [6 0 R]")


def pdf_file_attachment(text: str) -> bytes:
    """A file attachment annotation (a paperclip on the page) carrying a text file."""
    note = f"{text}\nNotes from the Q3 supplier review.\n".encode("latin-1")
    annot = (
        b"<< /Type /Annot /Subtype /FileAttachment /Rect [72 600 92 624] /F 4 /Name /PushPin "
        b"/Contents (notes.txt) /FS 7 0 R >>"
    )
    spec = b"<< /Type /Filespec /F (notes.txt) /UF (notes.txt) /EF << /F 8 0 R >> >>"
    embedded = _stream(
        note, b"/Type /EmbeddedFile /Subtype /text#2Fplain /Params << /Size %d >> " % len(note)
    )
    return _hand_pdf(objects=[annot, spec, embedded], page=b"/Annots [6 0 R]")


def pdf_info_key(text: str) -> bytes:
    """A custom key of the document information dictionary (Acrobat's File > Properties > Custom)."""
    info = b"<< /Title (Q3 supplier review) /Producer (Acrobat PDFMaker 23 for Word) /Classification (" + (
        text.encode("latin-1") + b") >>"
    )
    return _hand_pdf(objects=[info], trailer=b"/Info 6 0 R ")


def _glyph_paths(text: str, x: float, y: float, size: float) -> bytes:
    """``text`` as filled glyph outlines from DejaVu Sans Bold (what "create outlines" leaves)."""
    from fontTools.pens.basePen import BasePen
    from fontTools.ttLib import TTFont

    font = TTFont("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
    glyphs = font.getGlyphSet()
    cmap = font.getBestCmap()
    scale = size / font["head"].unitsPerEm
    ops: list[str] = []

    class Pen(BasePen):
        def __init__(self, dx: float) -> None:
            super().__init__(glyphs)
            self.dx = dx

        def _pt(self, p: tuple[float, float]) -> str:
            return f"{x + (self.dx + p[0]) * scale:.2f} {y + p[1] * scale:.2f}"

        def _moveTo(self, p):
            ops.append(self._pt(p) + " m")

        def _lineTo(self, p):
            ops.append(self._pt(p) + " l")

        def _curveToOne(self, p1, p2, p3):
            ops.append(f"{self._pt(p1)} {self._pt(p2)} {self._pt(p3)} c")

        def _qCurveToOne(self, p1, p2):
            p0 = self._getCurrentPoint()
            c1 = (p0[0] + 2 / 3 * (p1[0] - p0[0]), p0[1] + 2 / 3 * (p1[1] - p0[1]))
            c2 = (p2[0] + 2 / 3 * (p1[0] - p2[0]), p2[1] + 2 / 3 * (p1[1] - p2[1]))
            self._curveToOne(c1, c2, p2)

        def _closePath(self):
            ops.append("h")

    advance = 0.0
    for ch in text:
        name = cmap[ord(ch)]
        glyphs[name].draw(Pen(advance))
        advance += font["hmtx"][name][0]
    return ("0 g\n" + "\n".join(ops) + "\nf").encode()


def pdf_outlines(text: str) -> bytes:
    """The marking converted to outlines (vector paths only) above ordinary outlined body text."""
    ops = _glyph_paths("Q3 supplier review", 72, 740, 16) + b"\n" + _glyph_paths(text, 72, 640, 40)
    return _hand_pdf(ops, resources=b"")


def pdf_cid_no_tounicode(text: str) -> bytes:
    """Text in a Type0/CIDFontType2 font (Identity-H, glyph ids) whose embedded subset keeps no
    cmap and no glyph names, and no /ToUnicode: what some print drivers emit."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    source = TTFont("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    cmap = source.getBestCmap()
    lines = ["Q3 supplier review", text, "The figures were discussed on Tuesday."]
    options = subset.Options()
    options.retain_gids = True
    options.glyph_names = False
    options.notdef_outline = True
    sub = subset.Subsetter(options)
    sub.populate(unicodes=sorted({ord(ch) for line in lines for ch in line}))
    sub.subset(source)
    del source["cmap"]
    order = TTFont("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").getGlyphOrder()
    gid = {ch: order.index(cmap[ord(ch)]) for line in lines for ch in line}
    buffer = io.BytesIO()
    source.save(buffer)
    program = buffer.getvalue()
    units = source["head"].unitsPerEm
    widths = " ".join(
        f"{gid[ch]} [{round(source['hmtx'][order[gid[ch]]][0] * 1000 / units)}]" for ch in sorted(set(gid))
    ).encode()
    shown = []
    for line, size, y in zip(lines, (12, 28, 12), (760, 700, 660), strict=True):
        codes = "".join(f"{gid[ch]:04X}" for ch in line)
        shown.append(f"BT /C1 {size} Tf 72 {y} Td <{codes}> Tj ET")
    content = "\n".join(shown).encode()
    type0 = (
        b"<< /Type /Font /Subtype /Type0 /BaseFont /AAAAAB+DejaVuSans /Encoding /Identity-H "
        b"/DescendantFonts [7 0 R] >>"
    )
    cid = (
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /AAAAAB+DejaVuSans "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 8 0 R "
        b"/CIDToGIDMap /Identity /DW 1000 /W [" + widths + b"] >>"
    )
    descriptor = (
        b"<< /Type /FontDescriptor /FontName /AAAAAB+DejaVuSans /Flags 32 /FontBBox [-1021 -463 1793 1232] "
        b"/ItalicAngle 0 /Ascent 928 /Descent -236 /CapHeight 729 /StemV 80 /FontFile2 9 0 R >>"
    )
    return _hand_pdf(
        content,
        [type0, cid, descriptor, _stream(program, b"/Length1 %d " % len(program))],
        resources=b"/Font << /C1 6 0 R >>",
    )


def _scan(lines: list[tuple[str, int, int]]) -> bytes:
    """A grey page at 100 dpi with ``lines`` (text, x, y from the top, in pixels) drawn on it, as JPEG."""
    from PIL import Image, ImageDraw, ImageFont

    page = Image.new("L", (850, 1100), 235)
    draw = ImageDraw.Draw(page)
    for text, x, y in lines:
        size = 60 if y < 150 else 22
        font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", size)
        draw.text((x, y), text, fill=30, font=font)
    out = io.BytesIO()
    page.save(out, "JPEG", quality=80)
    return out.getvalue()


def pdf_ocr_layer(text: str) -> bytes:
    """A scanned page (one JPEG) under an OCR engine's invisible text layer (3 Tr), as
    Tesseract's and ocrmypdf's PDF output lays it: the words where the picture shows them."""
    picture = _scan(
        [(text, 100, 60), ("Q3 supplier review", 100, 250), ("The figures were discussed.", 100, 290)]
    )
    ops = (
        b"q 612 0 0 792 0 0 cm /Im1 Do Q\n"
        b"BT 3 Tr /F1 43 Tf 72 735 Td (" + text.encode("latin-1") + b") Tj ET\n"
        b"BT 3 Tr /F1 16 Tf 72 600 Td (Q3 supplier review) Tj 0 -29 Td (The figures were discussed.) Tj ET"
    )
    image = _stream(
        picture,
        b"/Type /XObject /Subtype /Image /Width 850 /Height 1100 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /DCTDecode ",
    )
    return _hand_pdf(ops, [image], resources=b"/Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >>")


# --- Word ------------------------------------------------------------------------------------


def docx_header_text_box(text: str) -> bytes:
    """Purview's content marking: a text box shape named MSIPCMContentMarking in the default header."""
    box = (
        '<w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr><w:r><mc:AlternateContent>'
        '<mc:Choice Requires="wps"><w:drawing>'
        '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="251659264" '
        'behindDoc="0" locked="0" layoutInCell="0" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="page"><wp:align>center</wp:align></wp:positionH>'
        '<wp:positionV relativeFrom="page"><wp:align>top</wp:align></wp:positionV>'
        '<wp:extent cx="7772400" cy="273050"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
        '<wp:docPr id="1" name="MSIPCM5f1c9c1e0e8a4c3f9d7b6a5e" '
        'descr="{&quot;HashCode&quot;:-1264680268,&quot;Placement&quot;:&quot;Header&quot;,'
        '&quot;Top&quot;:0.0,&quot;Left&quot;:0.0,&quot;Width&quot;:612.0,&quot;Height&quot;:21.5}"/>'
        "<wp:cNvGraphicFramePr/><a:graphic>"
        '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/>'
        '<a:ext cx="7772400" cy="273050"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        "<a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>"
        f'<wps:txbx><w:txbxContent><w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr>'
        f'<w:rFonts w:ascii="Calibri" w:hAnsi="Calibri"/><w:color w:val="000000"/><w:sz w:val="20"/></w:rPr>'
        f"<w:t>{text}</w:t></w:r></w:p></w:txbxContent></wps:txbx>"
        '<wps:bodyPr rot="0" spcFirstLastPara="0" vertOverflow="overflow" horzOverflow="overflow" '
        'vert="horz" wrap="square" lIns="254000" tIns="0" rIns="91440" bIns="0" anchor="t"/></wps:wsp>'
        "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        '<mc:Fallback><w:pict><v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" '
        'path="m,l,21600r21600,l21600,xe"/><v:shape id="MSIPCM5f1c9c1e0e8a4c3f9d7b6a5e" '
        'o:spid="_x0000_s1025" type="#_x0000_t202" style="position:absolute;margin-left:0;margin-top:0;'
        "width:612pt;height:21.5pt;z-index:251659264;mso-position-horizontal:center;"
        "mso-position-horizontal-relative:page;mso-position-vertical:top;"
        'mso-position-vertical-relative:page" '
        'o:allowincell="f" filled="f" stroked="f"><v:textbox inset="20pt,0,,0"><w:txbxContent>'
        f'<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>'
        "</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"
    )

    def body(xml: str) -> str:
        xml = _widen_ns(xml)
        return re.sub(
            r"(<w:sectPr[^>]*>)", r'\1<w:headerReference w:type="default" r:id="rIdH9"/>', xml, count=1
        )

    return _patch(
        _docx_base(),
        {
            "word/document.xml": body,
            "word/_rels/document.xml.rels": lambda x: _add_rel(x, "rIdH9", f"{RT}/header", "header9.xml"),
            "[Content_Types].xml": lambda x: _add_override(
                x, "/word/header9.xml", f"{CT}.wordprocessingml.header+xml"
            ),
            "word/header9.xml": (
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:hdr {NS_WORD}>{box}</w:hdr>'
            ),
        },
    )


def docx_sharepoint_column(text: str) -> bytes:
    """A SharePoint library's Classification column, which Office keeps in a custom XML part
    (customXml/itemN.xml)."""
    item = (
        '<?xml version="1.0" encoding="utf-8"?><p:properties '
        'xmlns:p="http://schemas.microsoft.com/office/2006/metadata/properties" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xmlns:pc="http://schemas.microsoft.com/office/infopath/2007/PartnerControls"><documentManagement>'
        f'<Classification xmlns="8d3c2b1a-4e5f-4a6b-9c7d-0e1f2a3b4c5d">{text}</Classification>'
        '<TaxCatchAll xmlns="0f1e2d3c-4b5a-4968-8776-655443322110"/>'
        "</documentManagement></p:properties>"
    )
    props = (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        '<ds:datastoreItem ds:itemID="{6A8C3E21-9F4B-4D7A-8E2C-1B5D9F0A3C47}" '
        'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"><ds:schemaRefs>'
        '<ds:schemaRef ds:uri="http://schemas.microsoft.com/office/2006/metadata/properties"/>'
        "</ds:schemaRefs></ds:datastoreItem>"
    )
    return _patch(
        _docx_base(),
        {
            "customXml/item2.xml": item,
            "customXml/itemProps2.xml": props,
            "customXml/_rels/item2.xml.rels": _rels(("rId1", f"{RT}/customXmlProps", "itemProps2.xml")),
            "word/_rels/document.xml.rels": lambda x: _add_rel(
                x, "rIdX2", f"{RT}/customXml", "../customXml/item2.xml"
            ),
            "[Content_Types].xml": lambda x: _add_override(
                x, "/customXml/itemProps2.xml", f"{CT}.customXmlProperties+xml"
            ),
        },
    )


def docx_document_variable(text: str) -> bytes:
    """A document variable (w:docVars in settings.xml), what a DOCVARIABLE field shows."""

    def settings(xml: str) -> str:
        var = f'<w:docVars><w:docVar w:name="Classification" w:val="{text}"/></w:docVars>'
        if "<w:rsids>" in xml:
            return xml.replace("<w:rsids>", var + "<w:rsids>", 1)
        return xml.replace("</w:settings>", var + "</w:settings>")

    return _patch(_docx_base(), {"word/settings.xml": settings})


def docx_alt_chunk(text: str) -> bytes:
    """An imported HTML chunk (w:altChunk, word/afchunk.htm) that Word merges when it opens the file."""
    html = (
        '<html><head><meta charset="utf-8"><title>Appendix</title></head><body>'
        f"<p>{text}</p><p>Appendix: supplier scores for the quarter.</p></body></html>"
    )
    return _in_body(
        '<w:altChunk r:id="rIdAc1"/>',
        rels=[("rIdAc1", f"{RT}/aFChunk", "afchunk.htm")],
        parts={"word/afchunk.htm": html},
        overrides=[("/word/afchunk.htm", "text/html")],
    )


def tscp_props(category: str) -> list[tuple[str, str]]:
    """LibreOffice's TSCP classification (Classification toolbar, BAF policy): urn:bails:… properties."""
    key = "urn:bails:IntellectualProperty:"
    return [
        (key + "PolicyAuthority:Name", "TSCP Example Policy Authority"),
        (key + "Policy:Name", "TSCP Example Policy"),
        (key + "BusinessAuthorization:Identifier", "urn:example:tscp:1"),
        (
            key + "BusinessAuthorizationCategory:Identifier",
            "urn:example:tscp:1:" + category.lower().replace(" ", "-"),
        ),
        (key + "BusinessAuthorizationCategory:Name", category),
        (key + "Authorization:StartValidity", "None"),
        (key + "Authorization:StopValidity", "None"),
        (key + "Marking:document-header", category),
    ]


# --- Excel -----------------------------------------------------------------------------------


def xlsx_purview_footer(text: str) -> bytes:
    """Purview's footer marking in Excel: font codes, the text, then &1# and an escaped CR."""
    footer = f'&amp;L&amp;"Calibri"&amp;10&amp;K000000{text}&amp;1#_x000D_'

    def sheet(xml: str) -> str:
        return xml.replace(
            "</worksheet>", f"<headerFooter><oddFooter>{footer}</oddFooter></headerFooter></worksheet>"
        )

    return _patch(_xlsx(lambda wb: None), {"xl/worksheets/sheet1.xml": sheet})


def xlsx_text_box(text: str) -> bytes:
    """A text box shape (xdr:sp with txBody) in the sheet's drawing (Insert > Text Box)."""
    x = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    drawing = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<xdr:wsDr xmlns:xdr="{x}" xmlns:a="{a}"><xdr:twoCellAnchor editAs="oneCell">'
        "<xdr:from><xdr:col>3</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>1</xdr:row><xdr:rowOff>0</xdr:rowOff>"
        "</xdr:from><xdr:to><xdr:col>6</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>4</xdr:row>"
        '<xdr:rowOff>0</xdr:rowOff></xdr:to><xdr:sp macro="" textlink=""><xdr:nvSpPr>'
        '<xdr:cNvPr id="2" name="TextBox 1"/><xdr:cNvSpPr txBox="1"/></xdr:nvSpPr><xdr:spPr>'
        '<a:xfrm><a:off x="1828800" y="190500"/><a:ext cx="1828800" cy="571500"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr><xdr:txBody>'
        '<a:bodyPr vertOverflow="clip" horzOverflow="clip" wrap="square" rtlCol="0" anchor="t"/><a:lstStyle/>'
        f'<a:p><a:r><a:rPr lang="en-GB" sz="1400" b="1"/><a:t>{text}</a:t></a:r></a:p></xdr:txBody></xdr:sp>'
        "<xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>"
    )

    def sheet(xml: str) -> str:
        xml = (
            xml.replace("<worksheet ", f'<worksheet xmlns:r="{first.R}" ', 1)
            if "xmlns:r=" not in xml
            else xml
        )
        return xml.replace("</worksheet>", '<drawing r:id="rIdDr1"/></worksheet>')

    return _patch(
        _xlsx(lambda wb: None),
        {
            "xl/worksheets/sheet1.xml": sheet,
            "xl/worksheets/_rels/sheet1.xml.rels": _rels(
                ("rIdDr1", f"{RT}/drawing", "../drawings/drawing1.xml")
            ),
            "xl/drawings/drawing1.xml": drawing,
            "[Content_Types].xml": lambda t: _add_override(
                t, "/xl/drawings/drawing1.xml", f"{CT}.drawing+xml"
            ),
        },
    )


# --- PowerPoint ------------------------------------------------------------------------------


def pptx_hidden_slide(text: str) -> bytes:
    """A second slide, hidden from the slide show (p:sld show="0"), holding the marking."""

    def setup(prs):
        slide = prs.slides.add_slide(prs.slide_layouts[1])
        slide.shapes.title.text = "Backup"
        slide.placeholders[1].text = text
        slide._element.set("show", "0")

    return _pptx(setup)


def pptx_footer(text: str) -> bytes:
    """The slide's footer placeholder (Insert > Header & Footer writes it on each slide)."""
    from pptx.util import Inches

    def setup(prs):
        slide = prs.slides[0]
        box = slide.shapes.add_textbox(Inches(3.1), Inches(6.95), Inches(3.8), Inches(0.4))
        box.text_frame.text = text
        nv = box._element.nvSpPr
        nv.cNvPr.set("name", "Footer Placeholder 3")
        nv.cNvSpPr.attrib.pop("txBox", None)
        from lxml import etree

        ph = etree.SubElement(nv.nvPr, "{http://schemas.openxmlformats.org/presentationml/2006/main}ph")
        ph.set("type", "ftr")
        ph.set("sz", "quarter")
        ph.set("idx", "11")

    return _pptx(setup)


def pptx_alt_text(text: str) -> bytes:
    """A picture whose alt text (p:cNvPr descr) is the marking."""
    from pptx.util import Inches

    def setup(prs):
        picture = prs.slides[0].shapes.add_picture(io.BytesIO(_png()), Inches(7), Inches(0.3), Inches(2))
        picture._element.nvPicPr.cNvPr.set("descr", text)

    return _pptx(setup)


def pptx_chart_title(text: str) -> bytes:
    """A chart on a slide whose title is the marking (the chart part of the pptx)."""
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.util import Inches

    def setup(prs):
        data = CategoryChartData()
        data.categories = ["Q1", "Q2", "Q3"]
        data.add_series("Units", (4, 7, 5))
        frame = prs.slides[0].shapes.add_chart(
            XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(5), Inches(2), Inches(4), Inches(3), data
        )
        chart = frame.chart
        chart.has_title = True
        chart.chart_title.text_frame.text = text

    return _pptx(setup)


# --- the cases -------------------------------------------------------------------------------

PLACES: list[tuple[str, Callable[[str], bytes], str]] = [
    ("pdf custom stamp", pdf_custom_stamp, "pdf"),
    ("pdf watermark annotation", pdf_watermark_annotation, "pdf"),
    ("pdf acrobat watermark", pdf_acrobat_watermark, "pdf"),
    ("pdf free text", pdf_free_text, "pdf"),
    ("pdf file attachment", pdf_file_attachment, "pdf"),
    ("pdf info key", pdf_info_key, "pdf"),
    ("pdf outlines", pdf_outlines, "pdf"),
    ("pdf cid font without tounicode", pdf_cid_no_tounicode, "pdf"),
    ("pdf ocr text layer", pdf_ocr_layer, "pdf"),
    ("docx header text box", docx_header_text_box, "docx"),
    ("docx sharepoint column", docx_sharepoint_column, "docx"),
    ("docx document variable", docx_document_variable, "docx"),
    ("docx alt chunk", docx_alt_chunk, "docx"),
    ("xlsx purview footer", xlsx_purview_footer, "xlsx"),
    ("xlsx text box", xlsx_text_box, "xlsx"),
    ("pptx hidden slide", pptx_hidden_slide, "pptx"),
    ("pptx footer", pptx_footer, "pptx"),
    ("pptx alt text", pptx_alt_text, "pptx"),
    ("pptx chart title", pptx_chart_title, "pptx"),
]

# Places where a draft status is also tried.
VARIANTS = {
    "pdf custom stamp",
    "pdf acrobat watermark",
    "pdf outlines",
    "docx header text box",
    "pptx footer",
}

# Acrobat's stamps by name: ISO 32000-1 table 181's and Acrobat's Standard Business set (SB…).
STAMPS: list[tuple[str, str]] = [
    ("Confidential", "classification"),
    ("TopSecret", "classification"),
    ("NotForPublicRelease", "classification"),
    ("SBConfidential", "classification"),
    ("SBNotForPublicRelease", "classification"),
    ("Draft", "draft"),
    ("ForComment", "draft"),
    ("SBDraft", "draft"),
    ("SBForComment", "draft"),
    ("SBPreliminaryResults", "draft"),
    ("Approved", "none"),
    ("Final", "none"),
    ("ForPublicRelease", "none"),
    ("SBApproved", "none"),
    ("SBCompleted", "none"),
    ("SBForPublicRelease", "none"),
]

# Custom-property label schemes: (name, builder of the package, marked props, clean props).
LABELS: list[tuple[str, Callable[[], bytes], list[tuple[str, str]], list[tuple[str, str]]]] = [
    ("docx tscp label", _docx_base, tscp_props("Confidential"), tscp_props("General Business")),
]


def _cases() -> list[Case]:
    cases: list[Case] = []
    for name, build, ext in PLACES:
        slug = name.replace(" ", "-")
        cases.append(Case(f"{name} marked", "classification", f"{slug}.{ext}", lambda b=build: b(MARK)))
        cases.append(Case(f"{name} clean", "none", f"{slug}-clean.{ext}", lambda b=build: b(CLEAN)))
        if name in VARIANTS:
            cases.append(Case(f"{name} draft", "draft", f"{slug}-status.{ext}", lambda b=build: b(DRAFT)))
    # Files named by number: a stamp's name in the file name would be read as one.
    for number, (stamp, expect) in enumerate(STAMPS, 1):
        cases.append(
            Case(f"pdf stamp {stamp}", expect, f"stamp-{number}.pdf", lambda s=stamp: pdf_stamp_name(s))
        )
    for name, base, marked, clean in LABELS:
        slug = name.replace(" ", "-")
        cases.append(
            Case(
                f"{name} marked",
                "classification",
                f"{slug}.docx",
                lambda b=base, p=marked: with_custom_props(b(), p),
            )
        )
        cases.append(
            Case(
                f"{name} clean",
                "none",
                f"{slug}-clean.docx",
                lambda b=base, p=clean: with_custom_props(b(), p),
            )
        )
    return cases


ROUND2 = _cases()
CASES = first.CASES + ROUND2

CONVERTED: dict[str, list[str]] = {
    **first.CONVERTED,
    "docx header text box": ["odt", "rtf", "doc"],
    "docx titus": ["odt", "rtf", "doc"],
    "docx tscp label": ["odt", "doc"],
    "xlsx purview footer": ["ods", "xls"],
    "xlsx text box": ["ods", "xls"],
    "pptx hidden slide": ["odp", "ppt"],
    "pptx footer": ["odp", "ppt"],
    "pptx chart title": ["odp", "ppt"],
}
