"""The placements corpus: a marking in one out-of-the-way place of a real office document.

Each builder takes the text to place and writes the document the way its producer does:
python-docx, openpyxl, python-pptx and ReportLab make the document, and the part the
marking lives in is written as ECMA-376 (Office Open XML) or ISO 32000-1 (PDF) says Word,
Excel, PowerPoint or a PDF writer writes it. Written before Redline's extractors were read.
Every marked case has a clean twin: the same place with ordinary words (an MSIP label named
"General"). LibreOffice-made twins (ODT, RTF, .doc) are converted from the docx cases by
``soffice --headless`` in the test module.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from tests.fixtures.pdf_file import pdf_file

MARK = "SECRET"
DRAFT = "DRAFT"
ZH = "机密"
CLEAN = "Lunch is at noon"

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
BODY_TEXT = ["Q3 supplier review", "The figures were discussed at Tuesday's meeting."]


@dataclass(frozen=True)
class Case:
    """One item: a name, its expected outcome, the file name it travels under and its bytes."""

    name: str
    expect: str
    file: str
    build: Callable[[], bytes]


# --- package surgery -------------------------------------------------------------------------


def _patch(data: bytes, edits: dict[str, Callable[[str], str] | str]) -> bytes:
    """Rewrite a package: each edit replaces a part's text (callable) or adds a new part (str)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        names = src.namelist()
        for name in names:
            body = src.read(name)
            edit = edits.get(name)
            if callable(edit):
                body = edit(body.decode("utf-8")).encode("utf-8")
            dst.writestr(name, body)
        for name, edit in edits.items():
            if name not in names:
                assert isinstance(edit, str), name
                dst.writestr(name, edit.encode("utf-8"))
    return out.getvalue()


def _add_rel(rels: str, rid: str, rtype: str, target: str, external: bool = False) -> str:
    mode = ' TargetMode="External"' if external else ""
    return rels.replace(
        "</Relationships>",
        f'<Relationship Id="{rid}" Type="{rtype}" Target="{target}"{mode}/></Relationships>',
    )


def _add_override(types: str, part: str, content_type: str) -> str:
    return types.replace("</Types>", f'<Override PartName="{part}" ContentType="{content_type}"/></Types>')


def _rels(*rels: tuple[str, str, str]) -> str:
    body = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{g}"/>' for i, t, g in rels)
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    return f'{head}<Relationships xmlns="{PKG_REL}">{body}</Relationships>'


# --- Word ------------------------------------------------------------------------------------

NS_WORD = (
    f'xmlns:w="{W}" xmlns:r="{R}" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
    'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
    'xmlns:dgm="http://schemas.openxmlformats.org/drawingml/2006/diagram" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:w10="urn:schemas-microsoft-com:office:word"'
)
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument"


def _docx_base(paragraphs: list[str] | None = None) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs or BODY_TEXT:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _in_body(
    xml_fragment: str,
    rels: list[tuple[str, str, str]] | None = None,
    parts: dict[str, str] | None = None,
    overrides: list[tuple[str, str]] | None = None,
    base: bytes | None = None,
) -> bytes:
    """A docx whose body gets ``xml_fragment`` (paragraph-level XML) before its sectPr."""

    def body(xml: str) -> str:
        xml = _widen_ns(xml)
        return xml.replace("<w:sectPr", xml_fragment + "<w:sectPr", 1)

    def doc_rels(xml: str) -> str:
        for rid, rtype, target in rels or []:
            xml = _add_rel(xml, rid, rtype, target)
        return xml

    def types(xml: str) -> str:
        for part, ctype in overrides or []:
            xml = _add_override(xml, part, ctype)
        if 'Extension="png"' not in xml:
            xml = xml.replace("<Override", '<Default Extension="png" ContentType="image/png"/><Override', 1)
        return xml

    edits: dict[str, Callable[[str], str] | str] = {
        "word/document.xml": body,
        "word/_rels/document.xml.rels": doc_rels,
        "[Content_Types].xml": types,
    }
    edits.update(parts or {})
    return _patch(base or _docx_base(), edits)


def _widen_ns(xml: str) -> str:
    """Declare every namespace the fragments use on the document element (Word declares them all)."""
    head = re.search(r"<w:document[^>]*>", xml)
    assert head
    tag = head.group(0)
    extra = " ".join(d for d in NS_WORD.split(" ") if d.split("=")[0] not in tag)
    return xml.replace(tag, tag[:-1] + " " + extra + ">", 1)


def _run(text: str, props: str = "") -> str:
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>'


def _p(text: str, props: str = "") -> str:
    return f"<w:p>{_run(text, props)}</w:p>"


def docx_text_box(text: str) -> bytes:
    """A DrawingML text box (wps:txbx) with its VML fallback, as Word 2010+ writes it."""
    frag = (
        '<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        '<wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" relativeHeight="1" '
        'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
        '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        '<wp:extent cx="1828800" cy="457200"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
        '<wp:docPr id="1" name="Text Box 1"/><wp:cNvGraphicFramePr/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/>'
        '<a:ext cx="1828800" cy="457200"/>'
        '</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr>'
        f"<wps:txbx><w:txbxContent>{_p(text)}</w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp>"
        "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict>"
        '<v:shape id="Text Box 1" type="#_x0000_t202" style="width:144pt;height:36pt">'
        f"<v:textbox><w:txbxContent>{_p(text)}</w:txbxContent></v:textbox></v:shape>"
        "</w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"
    )
    return _in_body(frag)


def docx_vml_text_box(text: str) -> bytes:
    """A legacy VML text box only (w:pict/v:textbox), as Word 2003 and converters write."""
    frag = (
        '<w:p><w:r><w:pict><v:shape id="_x0000_s1026" type="#_x0000_t202" style="width:144pt;height:36pt">'
        f"<v:textbox><w:txbxContent>{_p(text)}</w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>"
    )
    return _in_body(frag)


def _notes_part(kind: str, text: str) -> str:
    tag = kind[:-1]  # footnote / endnote
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:{kind} {NS_WORD}>'
        f'<w:{tag} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{tag}>'
        f'<w:{tag} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r>'
        f'</w:p></w:{tag}>'
        f'<w:{tag} w:id="1"><w:p><w:r><w:{tag}Ref/></w:r>{_run(" " + text)}</w:p></w:{tag}></w:{kind}>'
    )


def docx_footnote(text: str, kind: str = "footnotes") -> bytes:
    """A footnote (or endnote) part with its reference in the body."""
    tag = kind[:-1]
    ref = f'<w:p>{_run("See the note.")}<w:r><w:{tag}Reference w:id="1"/></w:r></w:p>'
    return _in_body(
        ref,
        rels=[("rIdN1", f"{RT}/{kind}", f"{kind}.xml")],
        parts={f"word/{kind}.xml": _notes_part(kind, text)},
        overrides=[(f"/word/{kind}.xml", f"{CT}.wordprocessingml.{kind}+xml")],
    )


def docx_comment(text: str) -> bytes:
    """A comment anchored on a body word (word/comments.xml)."""
    frag = (
        '<w:p><w:commentRangeStart w:id="0"/>' + _run("Figures") + '<w:commentRangeEnd w:id="0"/>'
        '<w:r><w:commentReference w:id="0"/></w:r></w:p>'
    )
    part = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:comments {NS_WORD}>'
        f'<w:comment w:id="0" w:author="A. Reviewer" w:date="2026-11-30T10:00:00Z" w:initials="AR">'
        f"{_p(text)}</w:comment></w:comments>"
    )
    return _in_body(
        frag,
        rels=[("rIdC1", f"{RT}/comments", "comments.xml")],
        parts={"word/comments.xml": part},
        overrides=[("/word/comments.xml", f"{CT}.wordprocessingml.comments+xml")],
    )


def _header_part(inner: str, root: str = "hdr") -> str:
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:{root} {NS_WORD}>{inner}</w:{root}>'


def docx_header(text: str, which: str) -> bytes:
    """A header used only on the first page (w:titlePg) or on even pages (w:evenAndOddHeaders)."""
    base = _docx_base()

    def body(xml: str) -> str:
        xml = _widen_ns(xml)
        sect = f'<w:headerReference w:type="{which}" r:id="rIdH9"/>'
        if which == "first":
            sect += "<w:titlePg/>"
        xml = re.sub(r"(<w:sectPr[^>]*>)", r"\1" + sect.replace("\\", "\\\\"), xml, count=1)
        # titlePg must follow pgSz etc. in schema order; Word accepts it before them too.
        return xml

    def settings(xml: str) -> str:
        if which == "even":
            return re.sub(r"(<w:settings[^>]*>)", r"\1<w:evenAndOddHeaders/>", xml, count=1)
        return xml

    return _patch(
        base,
        {
            "word/document.xml": body,
            "word/settings.xml": settings,
            "word/_rels/document.xml.rels": lambda x: _add_rel(x, "rIdH9", f"{RT}/header", "header9.xml"),
            "[Content_Types].xml": lambda x: _add_override(
                x, "/word/header9.xml", f"{CT}.wordprocessingml.header+xml"
            ),
            "word/header9.xml": _header_part(_p(text)),
        },
    )


def docx_watermark(text: str) -> bytes:
    """A watermark as Word's Design > Watermark writes it: a VML WordArt textpath string in the header."""
    shape = (
        '<w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr><w:r><w:pict>'
        '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
        'path="m@7,l@8,m@5,21600l@6,21600e"><v:path textpathok="t" o:connecttype="custom"/>'
        '<v:textpath on="t" fitshape="t"/></v:shapetype>'
        '<v:shape id="PowerPlusWaterMarkObject1" o:spid="_x0000_s2049" type="#_x0000_t136" '
        'style="position:absolute;margin-left:0;margin-top:0;width:412.4pt;height:247.4pt;rotation:315;'
        "z-index:-251657216;mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
        'mso-position-vertical:center;mso-position-vertical-relative:margin" o:allowincell="f" '
        'fillcolor="silver" stroked="f"><v:fill opacity=".5"/>'
        f'<v:textpath style="font-family:&quot;Calibri&quot;;font-size:1pt" string="{text}"/>'
        '<w10:wrap anchorx="margin" anchory="margin"/></v:shape></w:pict></w:r></w:p>'
    )
    base = _docx_base()

    def body(xml: str) -> str:
        xml = _widen_ns(xml)
        return re.sub(
            r"(<w:sectPr[^>]*>)", r'\1<w:headerReference w:type="default" r:id="rIdH9"/>', xml, count=1
        )

    return _patch(
        base,
        {
            "word/document.xml": body,
            "word/_rels/document.xml.rels": lambda x: _add_rel(x, "rIdH9", f"{RT}/header", "header9.xml"),
            "[Content_Types].xml": lambda x: _add_override(
                x, "/word/header9.xml", f"{CT}.wordprocessingml.header+xml"
            ),
            "word/header9.xml": _header_part(shape),
        },
    )


def docx_field_result(text: str) -> bytes:
    """A complex field (DOCPROPERTY) whose cached result is the marking."""
    frag = (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> DOCPROPERTY  Classification  \\* MERGEFORMAT '
        '</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + _run(text)
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    return _in_body(frag)


def docx_simple_field(text: str) -> bytes:
    """A simple field (w:fldSimple) whose cached result is the marking."""
    return _in_body(
        f'<w:p><w:fldSimple w:instr=" DOCPROPERTY Classification ">{_run(text)}</w:fldSimple></w:p>'
    )


def docx_hidden(text: str) -> bytes:
    """Hidden text (w:vanish) in a body paragraph."""
    return _in_body(_p(text, "<w:vanish/>"))


def docx_sdt(text: str) -> bytes:
    """A content control (w:sdt) whose content is the marking."""
    frag = (
        '<w:sdt><w:sdtPr><w:alias w:val="Classification"/><w:tag w:val="Classification"/>'
        '<w:id w:val="-1"/><w:dropDownList><w:listItem w:displayText="Pick" w:value="Pick"/></w:dropDownList>'
        f"</w:sdtPr><w:sdtContent>{_p(text)}</w:sdtContent></w:sdt>"
    )
    return _in_body(frag)


def docx_sdt_placeholder(text: str) -> bytes:
    """A content control showing its placeholder: the text lives in the glossary document's docPart."""
    frag = (
        '<w:sdt><w:sdtPr><w:id w:val="7"/><w:placeholder><w:docPart w:val="ABC123"/></w:placeholder>'
        '<w:showingPlcHdr/><w:text/></w:sdtPr><w:sdtContent><w:p><w:r><w:rPr>'
        '<w:rStyle w:val="PlaceholderText"/>'
        "</w:rPr><w:t>Click here.</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    )
    glossary = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:glossaryDocument {NS_WORD}>'
        '<w:docParts><w:docPart><w:docPartPr><w:name w:val="ABC123"/><w:category><w:name w:val="General"/>'
        '<w:gallery w:val="placeholder"/></w:category><w:guid w:val="{ABC123}"/></w:docPartPr>'
        f"<w:docPartBody>{_p(text)}</w:docPartBody></w:docPart></w:docParts></w:glossaryDocument>"
    )
    return _in_body(
        frag,
        rels=[
            (
                "rIdG1",
                "http://schemas.openxmlformats.org/officeDocument/2006/relationships/glossaryDocument",
                "glossary/document.xml",
            )
        ],
        parts={"word/glossary/document.xml": glossary},
        overrides=[("/word/glossary/document.xml", f"{CT}.wordprocessingml.document.glossary+xml")],
    )


def _png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"\x00\xff\xff\xff" * 1
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def docx_alt_text(text: str) -> bytes:
    """A picture whose alt text (wp:docPr descr and title) is the marking."""
    import docx

    document = docx.Document()
    for line in BODY_TEXT:
        document.add_paragraph(line)
    document.add_picture(io.BytesIO(_png()))
    out = io.BytesIO()
    document.save(out)
    return _patch(
        out.getvalue(),
        {
            "word/document.xml": lambda x: re.sub(
                r'(<wp:docPr id="\d+" name="[^"]*")', rf'\1 descr="{text}" title="{text}"', x, count=1
            ),
        },
    )


def _chart_xml(title: str, axis: str = "Quarter") -> str:
    def rich(text: str) -> str:
        return f"<c:tx><c:rich><a:bodyPr/><a:p><a:r><a:t>{text}</a:t></a:r></a:p></c:rich></c:tx>"

    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        f'xmlns:r="{R}"><c:chart><c:title>{rich(title)}<c:overlay val="0"/></c:title>'
        '<c:plotArea><c:barChart><c:barDir val="col"/><c:grouping val="clustered"/>'
        '<c:ser><c:idx val="0"/><c:order val="0"/><c:val><c:numRef><c:f>Sheet1!$B$2:$B$3</c:f>'
        '<c:numCache><c:formatCode>General</c:formatCode><c:ptCount val="2"/><c:pt idx="0"><c:v>4</c:v>'
        '</c:pt>'
        '<c:pt idx="1"><c:v>7</c:v></c:pt></c:numCache></c:numRef></c:val></c:ser>'
        '<c:axId val="1"/><c:axId val="2"/></c:barChart>'
        '<c:catAx><c:axId val="1"/><c:scaling/><c:delete val="0"/><c:axPos val="b"/>'
        f'<c:title>{rich(axis)}</c:title>'
        '<c:crossAx val="2"/></c:catAx><c:valAx><c:axId val="2"/><c:scaling/><c:delete val="0"/>'
        '<c:axPos val="l"/><c:crossAx val="1"/></c:valAx></c:plotArea></c:chart></c:chartSpace>'
    )


def docx_chart(title: str, axis: str = "Quarter") -> bytes:
    """An inline chart (word/charts/chart1.xml) whose title or axis label is the marking."""
    frag = (
        '<w:p><w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
        '<wp:extent cx="4572000" cy="2743200"/><wp:docPr id="5" name="Chart 1"/>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
        '<c:chart r:id="rIdCh1"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>'
    )
    return _in_body(
        frag,
        rels=[("rIdCh1", f"{RT}/chart", "charts/chart1.xml")],
        parts={"word/charts/chart1.xml": _chart_xml(title, axis)},
        overrides=[("/word/charts/chart1.xml", f"{CT}.drawingml.chart+xml")],
    )


def docx_smartart(text: str) -> bytes:
    """A SmartArt graphic: its text lives in word/diagrams/data1.xml (and the cached drawing)."""
    dgm = "http://schemas.openxmlformats.org/drawingml/2006/diagram"
    data = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<dgm:dataModel xmlns:dgm="{dgm}" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<dgm:ptLst><dgm:pt modelId="{0}" type="doc"><dgm:prSet/><dgm:spPr/></dgm:pt>'
        '<dgm:pt modelId="{1}"><dgm:prSet phldrT="[Text]"/><dgm:spPr/>'
        f'<dgm:t><a:bodyPr/><a:lstStyle/><a:p><a:r><a:rPr lang="en-GB"/><a:t>{text}</a:t></a:r></a:p>'
        '</dgm:t></dgm:pt>'
        '</dgm:ptLst><dgm:cxnLst><dgm:cxn modelId="{2}" srcId="{0}" destId="{1}" srcOrd="0" destOrd="0"/>'
        "</dgm:cxnLst><dgm:bg/><dgm:whole/></dgm:dataModel>"
    )
    frag = (
        '<w:p><w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
        '<wp:extent cx="5486400" cy="3200400"/><wp:docPr id="6" name="Diagram 1"/>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/diagram">'
        f'<dgm:relIds xmlns:dgm="{dgm}" r:dm="rIdD1" r:lo="rIdD2" r:qs="rIdD3" r:cs="rIdD4"/>'
        "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
    )
    empty = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<dgm:{0} xmlns:dgm="' + dgm + '"/>'
    return _in_body(
        frag,
        rels=[
            ("rIdD1", f"{RT}/diagramData", "diagrams/data1.xml"),
            ("rIdD2", f"{RT}/diagramLayout", "diagrams/layout1.xml"),
            ("rIdD3", f"{RT}/diagramQuickStyle", "diagrams/quickStyle1.xml"),
            ("rIdD4", f"{RT}/diagramColors", "diagrams/colors1.xml"),
        ],
        parts={
            "word/diagrams/data1.xml": data,
            "word/diagrams/layout1.xml": empty.format("layoutDef"),
            "word/diagrams/quickStyle1.xml": empty.format("styleDef"),
            "word/diagrams/colors1.xml": empty.format("colorsDef"),
        },
        overrides=[
            ("/word/diagrams/data1.xml", f"{CT}.drawingml.diagramData+xml"),
            ("/word/diagrams/layout1.xml", f"{CT}.drawingml.diagramLayout+xml"),
            ("/word/diagrams/quickStyle1.xml", f"{CT}.drawingml.diagramStyle+xml"),
            ("/word/diagrams/colors1.xml", f"{CT}.drawingml.diagramColors+xml"),
        ],
    )


# --- labels in custom properties -------------------------------------------------------------

LABEL_GUID = "f42aa342-8706-4288-bd11-ebb85995028c"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"


def _custom_props(props: list[tuple[str, str]]) -> str:
    items = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{i + 2}" name="{name}">'
        f"<vt:lpwstr>{value}</vt:lpwstr></property>"
        for i, (name, value) in enumerate(props)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        f'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">{items}'
        '</Properties>'
    )


def msip_props(label: str) -> list[tuple[str, str]]:
    """The MSIP_Label_* properties Office writes when a sensitivity label is applied."""
    key = f"MSIP_Label_{LABEL_GUID}_"
    return [
        (key + "Enabled", "true"),
        (key + "SetDate", "2026-11-30T10:00:00Z"),
        (key + "Method", "Privileged"),
        (key + "Name", label),
        (key + "SiteId", TENANT),
        (key + "ActionId", "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"),
        (key + "ContentBits", "0"),
    ]


def _label_info(label_guid: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8" standalone="yes"?>\n'
        '<clbl:labelList xmlns:clbl="http://schemas.microsoft.com/office/2020/mipLabelMetadata">'
        f'<clbl:label id="{{{label_guid}}}" enabled="1" method="Privileged" siteId="{{{TENANT}}}" '
        'contentBits="0" removed="0"/></clbl:labelList>'
    )


def with_custom_props(base: bytes, props: list[tuple[str, str]], label_info: bool = False) -> bytes:
    """Add docProps/custom.xml (and docMetadata/LabelInfo.xml) to any OOXML package."""
    edits: dict[str, Callable[[str], str] | str] = {
        "docProps/custom.xml": _custom_props(props),
        "_rels/.rels": lambda x: _add_rel(x, "rIdCu", f"{RT}/custom-properties", "docProps/custom.xml"),
        "[Content_Types].xml": lambda x: _add_override(
            x, "/docProps/custom.xml", f"{CT}.custom-properties+xml"
        ),
    }
    if label_info:
        edits["docMetadata/LabelInfo.xml"] = _label_info(LABEL_GUID)
        edits["_rels/.rels"] = lambda x: _add_rel(
            _add_rel(x, "rIdCu", f"{RT}/custom-properties", "docProps/custom.xml"),
            "rIdLi",
            "http://schemas.microsoft.com/office/2020/02/relationships/classificationlabels",
            "docMetadata/LabelInfo.xml",
        )
        edits["[Content_Types].xml"] = lambda x: _add_override(
            _add_override(x, "/docProps/custom.xml", f"{CT}.custom-properties+xml"),
            "/docMetadata/LabelInfo.xml",
            "application/vnd.ms-office.classificationlabels+xml",
        )
    return _patch(base, edits)


def titus_props(value: str) -> list[tuple[str, str]]:
    """Titus Classification's custom properties (TitusGUID plus the field it sets)."""
    return [("TitusGUID", "3b5a4c1e-6a8f-4f4e-9a2b-0d1c2e3f4a5b"), ("Classification", value)]


def boldon_props(value: str) -> list[tuple[str, str]]:
    """Boldon James Classifier's properties: the label's summary in bjDocumentSecurityLabel."""
    return [
        ("docIndexRef", "a1b2c3d4-e5f6-7a8b-9c0d-e1f2a3b4c5d6"),
        ("bjDocumentSecurityLabel", value),
        ("bjSaver", "kY7eQ1u9yC3x"),
    ]


# --- Excel -----------------------------------------------------------------------------------


def _xlsx(setup: Callable[[object], None]) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Summary"
    sheet["A1"] = "Quarter"
    sheet["B1"] = "Units"
    sheet["A2"] = "Q3"
    sheet["B2"] = 4
    setup(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_header(text: str) -> bytes:
    """A page header's centre section with font codes: &C&"Arial,Bold"TEXT (openpyxl writes the codes)."""

    def setup(wb):
        wb.active.oddHeader.center.text = text
        wb.active.oddHeader.center.font = "Arial,Bold"

    return _xlsx(setup)


def xlsx_footer(text: str) -> bytes:
    def setup(wb):
        wb.active.oddFooter.left.text = text

    return _xlsx(setup)


def xlsx_sheet_name(text: str) -> bytes:
    return _xlsx(lambda wb: wb.create_sheet(text))


def xlsx_hidden_sheet(text: str, state: str) -> bytes:
    def setup(wb):
        sheet = wb.create_sheet("Data")
        sheet["A1"] = text
        sheet.sheet_state = state

    return _xlsx(setup)


def xlsx_defined_name(text: str) -> bytes:
    """A workbook-level name holding a text constant: Banner = "TEXT"."""
    from openpyxl.workbook.defined_name import DefinedName

    def setup(wb):
        wb.defined_names["Banner"] = DefinedName("Banner", attr_text=f'"{text}"')

    return _xlsx(setup)


def xlsx_validation(text: str) -> bytes:
    """A data-validation input prompt (title and message) on a cell."""
    from openpyxl.worksheet.datavalidation import DataValidation

    def setup(wb):
        dv = DataValidation(type="whole", showInputMessage=True, promptTitle=text, prompt=text)
        dv.add("B2")
        wb.active.add_data_validation(dv)

    return _xlsx(setup)


def xlsx_comment(text: str) -> bytes:
    from openpyxl.comments import Comment

    def setup(wb):
        wb.active["B2"].comment = Comment(text, "A. Reviewer")

    return _xlsx(setup)


def xlsx_chart(text: str, axis: str = "Quarter") -> bytes:
    from openpyxl.chart import BarChart, Reference

    def setup(wb):
        chart = BarChart()
        chart.title = text
        chart.x_axis.title = axis
        chart.add_data(Reference(wb.active, min_col=2, min_row=1, max_row=2), titles_from_data=True)
        wb.active.add_chart(chart, "D2")

    return _xlsx(setup)


def xlsx_inline_string(text: str) -> bytes:
    """A cell with an inline string (t="inlineStr"), as streaming writers emit instead of sharedStrings."""
    base = _xlsx(lambda wb: None)
    return _patch(
        base,
        {
            "xl/worksheets/sheet1.xml": lambda x: x.replace(
                "</sheetData>",
                f'<row r="9"><c r="A9" t="inlineStr"><is><t>{text}</t></is></c></row></sheetData>',
            ),
        },
    )


def xlsx_pivot_cache(text: str) -> bytes:
    """A pivot cache whose shared items hold the marking (the source rows were deleted since)."""
    base = _xlsx(lambda wb: None)
    cache = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<pivotCacheDefinition xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'xmlns:r="{R}" r:id="rIdRec" refreshOnLoad="1" recordCount="1">'
        '<cacheSource type="worksheet"><worksheetSource ref="A1:B2" sheet="Summary"/></cacheSource>'
        '<cacheFields count="2"><cacheField name="Quarter" numFmtId="0"><sharedItems count="1">'
        f'<s v="{text}"/></sharedItems></cacheField><cacheField name="Units" numFmtId="0">'
        '<sharedItems containsSemiMixedTypes="0" containsString="0" containsNumber="1" containsInteger="1" '
        'minValue="4" maxValue="4"/></cacheField></cacheFields></pivotCacheDefinition>'
    )
    records = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<pivotCacheRecords xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1">'
        '<r><x v="0"/><n v="4"/></r></pivotCacheRecords>'
    )
    return _patch(
        base,
        {
            "xl/workbook.xml": lambda x: (
                x.replace(
                    "</workbook>",
                    f'<pivotCaches><pivotCache xmlns:r="{R}" cacheId="1" r:id="rIdPc"/></pivotCaches>'
                    '</workbook>',
                )
                if "<calcPr" not in x
                else x.replace(
                    "<calcPr",
                    f'<pivotCaches><pivotCache xmlns:r="{R}" cacheId="1" r:id="rIdPc"/></pivotCaches><calcPr',
                )
            ),
            "xl/_rels/workbook.xml.rels": lambda x: _add_rel(
                x, "rIdPc", f"{RT}/pivotCacheDefinition", "pivotCache/pivotCacheDefinition1.xml"
            ),
            "xl/pivotCache/pivotCacheDefinition1.xml": cache,
            "xl/pivotCache/pivotCacheRecords1.xml": records,
            "xl/pivotCache/_rels/pivotCacheDefinition1.xml.rels": _rels(
                ("rIdRec", f"{RT}/pivotCacheRecords", "pivotCacheRecords1.xml")
            ),
            "[Content_Types].xml": lambda x: _add_override(
                _add_override(
                    x,
                    "/xl/pivotCache/pivotCacheDefinition1.xml",
                    f"{CT}.spreadsheetml.pivotCacheDefinition+xml",
                ),
                "/xl/pivotCache/pivotCacheRecords1.xml",
                f"{CT}.spreadsheetml.pivotCacheRecords+xml",
            ),
        },
    )


# --- PowerPoint ------------------------------------------------------------------------------


def _pptx(setup: Callable[[object], None]) -> bytes:
    import pptx

    prs = pptx.Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    slide.shapes.title.text = "Q3 supplier review"
    slide.placeholders[1].text = "The figures were discussed at Tuesday's meeting."
    setup(prs)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def pptx_notes(text: str) -> bytes:
    def setup(prs):
        prs.slides[0].notes_slide.notes_text_frame.text = text

    return _pptx(setup)


def _move_textbox(prs, target, text: str) -> None:
    """Make a text box on a scratch slide and move its element into a master's or layout's shape tree."""
    import copy

    from pptx.util import Inches

    slide = prs.slides[0]
    box = slide.shapes.add_textbox(Inches(0.3), Inches(7.0), Inches(3), Inches(0.4))
    box.text_frame.text = text
    target.shapes._spTree.append(copy.deepcopy(box._element))
    box._element.getparent().remove(box._element)


def pptx_master(text: str) -> bytes:
    return _pptx(lambda prs: _move_textbox(prs, prs.slide_master, text))


def pptx_layout(text: str) -> bytes:
    return _pptx(lambda prs: _move_textbox(prs, prs.slide_layouts[1], text))


def pptx_section(text: str) -> bytes:
    """Sections (p14:sectionLst in presentation.xml's extLst), as PowerPoint 2010+ writes them."""
    base = _pptx(lambda prs: None)

    def presentation(xml: str) -> str:
        ids = re.findall(r'<p:sldId id="(\d+)"', xml)
        ext = (
            '<p:extLst><p:ext uri="{521415D9-36F7-43E2-AB2F-B90AF26B5E84}">'
            '<p14:sectionLst xmlns:p14="http://schemas.microsoft.com/office/powerpoint/2010/main">'
            f'<p14:section name="{text}" id="{{5E1B7A6C-1D2E-4F3A-8B9C-0D1E2F3A4B5C}}"><p14:sldIdLst>'
            + "".join(f'<p14:sldId id="{i}"/>' for i in ids)
            + "</p14:sldIdLst></p14:section></p14:sectionLst></p:ext></p:extLst>"
        )
        if "<p:extLst>" in xml:
            return xml.replace(
                "<p:extLst>", ext[: -len("</p:extLst>")].replace("<p:extLst>", "<p:extLst>", 1), 1
            )
        return xml.replace("</p:presentation>", ext + "</p:presentation>")

    return _patch(base, {"ppt/presentation.xml": presentation})


def pptx_handout_master(text: str) -> bytes:
    """A handout master (ppt/handoutMasters/handoutMaster1.xml) with a text box."""
    base = _pptx(lambda prs: None)
    p = "http://schemas.openxmlformats.org/presentationml/2006/main"
    master = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<p:handoutMaster xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="{R}" '
        f'xmlns:p="{p}"><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/>'
        '</p:nvGrpSpPr><p:grpSpPr/><p:sp><p:nvSpPr><p:cNvPr id="2" name="Header Placeholder 1"/>'
        '<p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr><p:ph type="hdr" sz="quarter"/></p:nvPr>'
        '</p:nvSpPr>'
        "<p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/>"
        f'<a:p><a:r><a:rPr lang="en-GB"/><a:t>{text}</a:t></a:r></a:p>'
        "</p:txBody></p:sp></p:spTree></p:cSld>"
        '<p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" accent2="accent2" '
        'accent3="accent3" '
        'accent4="accent4" accent5="accent5" accent6="accent6" hlink="hlink" folHlink="folHlink"/>'
        '</p:handoutMaster>'
    )

    def presentation(xml: str) -> str:
        return (
            re.sub(
                r"(</p:notesMasterIdLst>|</p:sldMasterIdLst>)",
                r'\1<p:handoutMasterIdLst><p:handoutMasterId r:id="rIdHm"/></p:handoutMasterIdLst>',
                xml,
                count=1,
            )
            if "notesMasterIdLst" not in xml
            else xml.replace(
                "</p:notesMasterIdLst>",
                '</p:notesMasterIdLst><p:handoutMasterIdLst><p:handoutMasterId r:id="rIdHm"/>'
                '</p:handoutMasterIdLst>',
            )
        )

    return _patch(
        base,
        {
            "ppt/presentation.xml": presentation,
            "ppt/_rels/presentation.xml.rels": lambda x: _add_rel(
                x, "rIdHm", f"{RT}/handoutMaster", "handoutMasters/handoutMaster1.xml"
            ),
            "ppt/handoutMasters/handoutMaster1.xml": master,
            "ppt/handoutMasters/_rels/handoutMaster1.xml.rels": _rels(
                ("rId1", f"{RT}/theme", "../theme/theme1.xml")
            ),
            "[Content_Types].xml": lambda x: _add_override(
                x, "/ppt/handoutMasters/handoutMaster1.xml", f"{CT}.presentationml.handoutMaster+xml"
            ),
        },
    )


# --- PDF -------------------------------------------------------------------------------------


def _pdf(draw: Callable[[object], None]) -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out)
    c.setTitle("Q3 supplier review")
    c.drawString(72, 760, "Q3 supplier review")
    c.drawString(72, 740, "The figures were discussed at Tuesday's meeting.")
    draw(c)
    c.showPage()
    c.save()
    return out.getvalue()


def pdf_annotation(text: str) -> bytes:
    """A sticky-note (/Text) annotation whose /Contents is the marking."""
    return _pdf(lambda c: c.textAnnotation(text, Rect=(72, 600, 200, 650), relative=0))


def pdf_form_field(text: str) -> bytes:
    """An AcroForm text field whose value is the marking."""
    return _pdf(
        lambda c: c.acroForm.textfield(
            name="classification", value=text, x=72, y=600, width=200, height=20, tooltip="Classification"
        )
    )


def pdf_outline(text: str) -> bytes:
    """A bookmark (outline entry) titled with the marking."""

    def draw(c):
        c.bookmarkPage("p1")
        c.addOutlineEntry(text, "p1", level=0)
        c.showOutline()

    return _pdf(draw)


def _pdf_hand(
    page_content: bytes,
    extra_catalog: str = "",
    objects: list[bytes] | None = None,
    resources: str = "/Font << /F1 5 0 R >>",
) -> bytes:
    """A small PDF written by hand (objects 1-5 fixed; extra objects numbered from 6) with an xref table."""
    objs = [
        f"<< /Type /Catalog /Pages 2 0 R {extra_catalog} >>".encode(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        + f"/Resources << {resources} >> >>".encode(),
        b"<< /Length %d >>\nstream\n" % len(page_content) + page_content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ] + (objects or [])
    return pdf_file(objs)


BODY_OPS = (
    b"BT /F1 12 Tf 72 760 Td (Q3 supplier review) Tj 0 -20 Td (The figures were discussed on Tuesday.) Tj ET"
)


def pdf_xmp(text: str) -> bytes:
    """XMP metadata (the catalog's /Metadata stream) with dc:subject and a classification property."""
    xmp = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:pdfx="http://ns.adobe.com/pdfx/1.3/">'
        f"<dc:subject><rdf:Bag><rdf:li>{text}</rdf:li></rdf:Bag></dc:subject>"
        f"<pdfx:Classification>{text}</pdfx:Classification>"
        '</rdf:Description></rdf:RDF></x:xmpmeta>\n<?xpacket end="w"?>'
    ).encode()
    meta = b"<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n" % len(xmp) + xmp + b"\nendstream"
    return _pdf_hand(BODY_OPS, "/Metadata 6 0 R", [meta])


def pdf_hidden_layer(text: str) -> bytes:
    """Text in an optional-content group that is off by default (a hidden layer)."""
    ops = BODY_OPS + b"\n/OC /L1 BDC BT /F1 12 Tf 72 700 Td (" + text.encode("latin-1") + b") Tj ET EMC"
    ocg = b"<< /Type /OCG /Name (Classification) >>"
    return _pdf_hand(
        ops,
        "/OCProperties << /OCGs [6 0 R] /D << /Order [6 0 R] /OFF [6 0 R] >> >>",
        [ocg],
        resources="/Font << /F1 5 0 R >> /Properties << /L1 6 0 R >>",
    )


def pdf_type3(text: str) -> bytes:
    """Text shown in a Type3 font whose glyphs are drawn boxes; a /ToUnicode map gives the letters."""
    letters = sorted(set(text))
    codes = {ch: 0x41 + i for i, ch in enumerate(letters)}
    procs = b"".join(b"/g%d 7 0 R " % codes[ch] for ch in letters)
    diffs = b" ".join(b"%d /g%d" % (codes[ch], codes[ch]) for ch in letters)
    first, last = min(codes.values()), max(codes.values())
    widths = b" ".join(b"600" for _ in range(first, last + 1))
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /T3 def "
        "1 begincodespacerange <00> <FF> endcodespacerange "
        f"{len(letters)} beginbfchar "
        + " ".join(f"<{codes[ch]:02X}> <{ord(ch):04X}>" for ch in letters)
        + " endbfchar endcmap CMapName currentdict /CMap defineresource pop end end"
    ).encode()
    font = (
        b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 600 700] /FontMatrix [0.001 0 0 0.001 0 0] "
        b"/CharProcs << " + procs + b">> /Encoding << /Type /Encoding /Differences [" + diffs + b"] >> "
        b"/FirstChar %d /LastChar %d /Widths [" % (first, last) + widths + b"] /ToUnicode 8 0 R >>"
    )
    glyph = b"600 0 0 0 600 700 d1 50 0 500 700 re f"
    glyph_obj = b"<< /Length %d >>\nstream\n" % len(glyph) + glyph + b"\nendstream"
    cmap_obj = b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream"
    shown = bytes(codes[ch] for ch in text)
    ops = BODY_OPS + b"\nBT /T3 24 Tf 72 700 Td <" + shown.hex().encode() + b"> Tj ET"
    return _pdf_hand(ops, "", [font, glyph_obj, cmap_obj], resources="/Font << /F1 5 0 R /T3 6 0 R >>")


# --- the cases -------------------------------------------------------------------------------

# (name, builder, file suffix); each gets a marked case and a clean twin.
PLACES: list[tuple[str, Callable[[str], bytes], str]] = [
    ("docx text box", docx_text_box, "docx"),
    ("docx vml text box", docx_vml_text_box, "docx"),
    ("docx footnote", docx_footnote, "docx"),
    ("docx endnote", lambda t: docx_footnote(t, "endnotes"), "docx"),
    ("docx comment", docx_comment, "docx"),
    ("docx first-page header", lambda t: docx_header(t, "first"), "docx"),
    ("docx even-page header", lambda t: docx_header(t, "even"), "docx"),
    ("docx watermark", docx_watermark, "docx"),
    ("docx field result", docx_field_result, "docx"),
    ("docx simple field", docx_simple_field, "docx"),
    ("docx hidden text", docx_hidden, "docx"),
    ("docx content control", docx_sdt, "docx"),
    ("docx placeholder text", docx_sdt_placeholder, "docx"),
    ("docx alt text", docx_alt_text, "docx"),
    ("docx chart title", docx_chart, "docx"),
    ("docx chart axis", lambda t: docx_chart("Units by quarter", t), "docx"),
    ("docx smartart", docx_smartart, "docx"),
    ("xlsx header", xlsx_header, "xlsx"),
    ("xlsx footer", xlsx_footer, "xlsx"),
    ("xlsx sheet name", xlsx_sheet_name, "xlsx"),
    ("xlsx hidden sheet", lambda t: xlsx_hidden_sheet(t, "hidden"), "xlsx"),
    ("xlsx very hidden sheet", lambda t: xlsx_hidden_sheet(t, "veryHidden"), "xlsx"),
    ("xlsx defined name", xlsx_defined_name, "xlsx"),
    ("xlsx validation prompt", xlsx_validation, "xlsx"),
    ("xlsx cell comment", xlsx_comment, "xlsx"),
    ("xlsx chart title", xlsx_chart, "xlsx"),
    ("xlsx chart axis", lambda t: xlsx_chart("Units by quarter", t), "xlsx"),
    ("xlsx inline string", xlsx_inline_string, "xlsx"),
    ("xlsx pivot cache", xlsx_pivot_cache, "xlsx"),
    ("pptx notes", pptx_notes, "pptx"),
    ("pptx slide master", pptx_master, "pptx"),
    ("pptx slide layout", pptx_layout, "pptx"),
    ("pptx handout master", pptx_handout_master, "pptx"),
    ("pptx section name", pptx_section, "pptx"),
    ("pdf annotation", pdf_annotation, "pdf"),
    ("pdf form field", pdf_form_field, "pdf"),
    ("pdf xmp", pdf_xmp, "pdf"),
    ("pdf bookmark", pdf_outline, "pdf"),
    ("pdf hidden layer", pdf_hidden_layer, "pdf"),
    ("pdf type3 font", pdf_type3, "pdf"),
]

# Label properties: (name, builder of the package, marked props, clean props).
LABELS: list[tuple[str, Callable[[], bytes], list[tuple[str, str]], list[tuple[str, str]], bool]] = [
    ("docx msip label", _docx_base, msip_props("Highly Confidential"), msip_props("General"), True),
    (
        "xlsx msip label",
        lambda: _xlsx(lambda wb: None),
        msip_props("Confidential"),
        msip_props("Public"),
        True,
    ),
    (
        "pptx msip label",
        lambda: _pptx(lambda prs: None),
        msip_props("Highly Confidential"),
        msip_props("General"),
        False,
    ),
    ("docx titus", _docx_base, titus_props("SECRET"), titus_props("UNCLASSIFIED"), False),
    ("docx boldon james", _docx_base, boldon_props("SECRET"), boldon_props("NOT PROTECTIVELY MARKED"), False),
]

# Places where a draft status and a Chinese marking are also tried (the commonest hiding spots).
VARIANTS = {"docx text box", "docx footnote", "docx watermark", "xlsx header", "pptx notes", "pdf annotation"}


def _cases() -> list[Case]:
    cases: list[Case] = []
    for name, build, ext in PLACES:
        slug = name.replace(" ", "-")
        cases.append(Case(f"{name} marked", "classification", f"{slug}.{ext}", lambda b=build: b(MARK)))
        # Word reads a document carrying review comments as a draft, and so does Redline.
        clean = "draft" if name == "docx comment" else "none"
        cases.append(Case(f"{name} clean", clean, f"{slug}-clean.{ext}", lambda b=build: b(CLEAN)))
        if name in VARIANTS:
            # Named -status: a file name with "draft" in it is held for its name alone.
            cases.append(Case(f"{name} draft", "draft", f"{slug}-status.{ext}", lambda b=build: b(DRAFT)))
            cases.append(Case(f"{name} zh", "classification", f"{slug}-zh.{ext}", lambda b=build: b(ZH)))
    for name, base, marked, clean, info in LABELS:
        slug = name.replace(" ", "-")
        ext = name.split()[0]
        cases.append(
            Case(
                f"{name} marked",
                "classification",
                f"{slug}.{ext}",
                lambda b=base, p=marked, i=info: with_custom_props(b(), p, i),
            )
        )
        cases.append(
            Case(
                f"{name} clean",
                "none",
                f"{slug}-clean.{ext}",
                lambda b=base, p=clean, i=info: with_custom_props(b(), p, i),
            )
        )
    return cases


CASES = _cases()

# Places LibreOffice converts (soffice --headless --convert-to) into its own and legacy formats,
# marked and clean alike; each converted file keeps its source's expected outcome.
CONVERTED: dict[str, list[str]] = {
    "docx text box": ["odt", "rtf", "doc"],
    "docx footnote": ["odt", "rtf", "doc"],
    "docx first-page header": ["odt", "rtf", "doc"],
    "docx watermark": ["odt", "rtf", "doc"],
    "docx hidden text": ["odt", "rtf", "doc"],
    "docx chart title": ["odt", "doc"],
    "docx chart axis": ["odt", "doc"],
    # Not .doc: LibreOffice's Word 97 export writes no alt text for a picture (neither
    # inline nor anchored: the marking is nowhere in the file), so no reader could hold it.
    "docx alt text": ["odt"],
    "xlsx header": ["ods", "xls"],
    "xlsx very hidden sheet": ["ods", "xls"],
    "xlsx cell comment": ["ods", "xls"],
    "xlsx chart title": ["ods", "xls"],
    "xlsx chart axis": ["ods", "xls"],
    "pptx notes": ["odp", "ppt"],
    "pptx slide master": ["odp", "ppt"],
}
