"""The machine-readable labels corpus: classification labels that labelling products and
standards write into mail headers and document metadata, each with a clean twin.

Written from the public descriptions of each format before Redline's label reading was read:
RFC 2156 (the X.400 ``Sensitivity`` field), RFC 7444 (``SIO-Label``, an ESS security label of
RFC 2634 or a STANAG 4774 XML label), the Australian PSPF email protective marking standard
(``X-Protective-Marking: VER=2018.4, NS=gov.au, SEC=...`` and the ``[SEC=...]`` subject), New
Zealand's ``X-Security-Classification``, the UK's ``[OFFICIAL-SENSITIVE]`` subject tag,
Microsoft Purview's ``msip_labels`` header, Titus's ``x-titus-metadata-40`` (base64 JSON) and
``x-tituslabs-classifications-30`` headers; in documents STANAG 4774/4778 labels (a docx
custom XML part, a label file beside a document), the PSPF ``PM_`` custom properties of
government protective-marking add-ins, Boldon James's ``sisl`` custom XML part, ODF
``meta:user-defined``, PDF XMP in a label namespace and a file's extended attributes as GNU
tar keeps them (``SCHILY.xattr.*``).

A marked item carries a level the organisation holds (SECRET, PROTECTED, OFFICIAL:Sensitive,
RESTRICTED, Company-Confidential); its clean twin the same label at a level that does not
hold (UNCLASSIFIED, OFFICIAL, Private, Personal).
"""

from __future__ import annotations

import base64
import io
import json
import tarfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from tests.corpus_placements.cases import (
    BODY_OPS,
    CT,
    RT,
    _add_override,
    _add_rel,
    _docx_base,
    _patch,
    _pdf_hand,
    with_custom_props,
)


@dataclass(frozen=True)
class Case:
    """One item: a name, its expected outcome (``classification`` or ``none``), file name, bytes."""

    name: str
    expect: str
    file: str
    build: Callable[[], bytes]
    header: bool = False  # a mail whose label is in its header: also sent through the SMTP listener


# --- mail ------------------------------------------------------------------------------------

BODY = "Hi Bob,\r\n\r\nthe figures for Tuesday are below. Revenue rose 4% on the quarter.\r\n\r\nAlice\r\n"


def _mail(headers: list[str], subject: str = "Q3 figures for Tuesday") -> bytes:
    """A plain-text mail as Outlook or a gateway sends it, with the label fields given."""
    lines = [
        "From: Alice Archer <alice@example.org>",
        "To: Bob Baker <bob@partner.test>",
        f"Subject: {subject}",
        "Date: Mon, 07 Dec 2026 09:12:33 +0000",
        "Message-ID: <20261207091233.4711@example.org>",
        "MIME-Version: 1.0",
        *headers,
        'Content-Type: text/plain; charset="utf-8"',
        "Content-Transfer-Encoding: 7bit",
    ]
    return ("\r\n".join(lines) + "\r\n\r\n" + BODY).encode()


def _der_len(n: int) -> bytes:
    return bytes([n]) if n < 0x80 else bytes([0x81, n])


def _oid(dotted: str) -> bytes:
    arcs = [int(a) for a in dotted.split(".")]
    body = bytearray([40 * arcs[0] + arcs[1]])
    for arc in arcs[2:]:
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.append(0x80 | (arc & 0x7F))
            arc >>= 7
        body += bytes(reversed(chunk))
    return b"\x06" + _der_len(len(body)) + bytes(body)


def ess_label(classification: int, policy: str = "1.3.26.1.3.1") -> str:
    """An RFC 2634 ESSSecurityLabel (SET {policy OID, classification INTEGER}) in base64 DER.

    Classifications are RFC 2634's: unclassified(1), restricted(2), confidential(3),
    secret(4), top-secret(5). 1.3.26.1.3.1 is the NATO security policy.
    """
    body = _oid(policy) + b"\x02\x01" + bytes([classification])
    return base64.b64encode(b"\x31" + _der_len(len(body)) + body).decode()


SLAB = "urn:nato:stanag:4774:confidentialitymetadatalabel:1:0"


def stanag_4774(level: str, policy: str = "NATO") -> str:
    """A STANAG 4774 originator confidentiality label as ADatP-4774 writes it."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<slab:originatorConfidentialityLabel xmlns:slab="{SLAB}">\n'
        "  <slab:ConfidentialityInformation>\n"
        f'    <slab:PolicyIdentifier URI="{SLAB}:policy:{policy}">{policy}</slab:PolicyIdentifier>\n'
        f"    <slab:Classification>{level}</slab:Classification>\n"
        '    <slab:Category TagName="Releasable to" Type="PERMISSIVE" '
        f'URI="{SLAB}:policy:{policy}:category:rel">\n'
        "      <slab:GenericValue>NATO</slab:GenericValue>\n"
        "    </slab:Category>\n"
        "  </slab:ConfidentialityInformation>\n"
        "  <slab:CreationDateTime>2026-11-30T10:00:00Z</slab:CreationDateTime>\n"
        "</slab:originatorConfidentialityLabel>\n"
    )


def sio_label(marking: str | None, classification: int, kind: str = ":ess") -> str:
    """An RFC 7444 SIO-Label field: display marking and colours, then the encoded label."""
    parts = []
    if marking is not None:
        parts.append(f'marking="{marking}"; fgcolor=black; bgcolor=red;')
    if kind == ":ess":
        parts.append(f'type=":ess"; label="{ess_label(classification)}"')
    else:
        level = {1: "UNCLASSIFIED", 4: "SECRET"}[classification]
        encoded = base64.b64encode(stanag_4774(level).encode()).decode()
        # Folded: SMTP refuses lines over 1,000 octets (RFC 5321 4.5.3.1.6).
        folded = "\r\n ".join(encoded[i:i + 72] for i in range(0, len(encoded), 72))
        parts.append(f'type=":xml"; label="{folded}"')
    return "SIO-Label: " + "\r\n ".join(parts)


MSIP_GUID = "8c1d4e6f-2a3b-4c5d-9e8f-7a6b5c4d3e2f"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"


def msip_header(name: str) -> str:
    """Purview's msip_labels field (Outlook writes one per labelled mail)."""
    key = f"MSIP_Label_{MSIP_GUID}_"
    fields = [
        f"{key}Enabled=true", f"{key}SetDate=2026-12-07T09:10:11Z", f"{key}Method=Privileged",
        f"{key}Name={name}", f"{key}SiteId={TENANT}", f"{key}ActionId=5d2c1b0a-9f8e-4d7c-a6b5-4c3d2e1f0a9b",
        f"{key}ContentBits=0",
    ]
    return "msip_labels: " + ";\r\n ".join(fields) + ";"


def titus_metadata(value: str) -> str:
    """Titus Message Classification's x-titus-metadata-40: base64 of the label's JSON."""
    doc = {
        "CategoryLabels": "",
        "Metadata": {
            "ns": "http://www.titus.com/ns/Example Org",
            "id": "3b5a4c1e-6a8f-4f4e-9a2b-0d1c2e3f4a5b",
            "props": [{"n": "Classification", "vals": [{"value": value}]}],
        },
        "SubjectLabels": [],
        "TMCVersion": "18.8.1929.167",
        "TrustedLabelHash": "mEJ0M6mmCaqA0Zv7i4F5d2Hd4pE+7DAqM3oiyM7Q2v4eKJm4oQKfGZt5nF5MhVnV",
    }
    encoded = base64.b64encode(json.dumps(doc, separators=(",", ":")).encode()).decode()
    return "x-titus-metadata-40: " + encoded


def _pm(sec: str, extra: str = "") -> str:
    return f"X-Protective-Marking: VER=2018.4, NS=gov.au, SEC={sec}{extra},\r\n ORIGIN=alice@example.org"


MAIL_PAIRS: list[tuple[str, Callable[[str], bytes], str, str]] = [
    # (name, build(level), marked level, clean level)
    ("rfc2156 sensitivity", lambda v: _mail([f"Sensitivity: {v}"]), "Company-Confidential", "Private"),
    ("rfc2156 sensitivity personal", lambda v: _mail([f"Sensitivity: {v}"]),
     "Company-Confidential", "Personal"),
    ("rfc7444 sio-label ess with marking", lambda v: _mail([sio_label(v, 4 if v == "SECRET" else 1)]),
     "SECRET", "UNCLASSIFIED"),
    ("rfc7444 sio-label ess only", lambda v: _mail([sio_label(None, int(v))]), "4", "1"),
    ("rfc7444 sio-label stanag 4774 xml", lambda v: _mail([sio_label(None, int(v), ":xml")]), "4", "1"),
    ("pspf x-protective-marking", lambda v: _mail([_pm(v, ", ACCESS=Legal-Privilege")]),
     "OFFICIAL:Sensitive", "OFFICIAL"),
    ("pspf x-protective-marking protected", lambda v: _mail([_pm(v, ", CAVEAT=SH:CABINET")]),
     "PROTECTED", "UNOFFICIAL"),
    ("pspf subject", lambda v: _mail([_pm(v)], subject=f"Q3 figures for Tuesday [SEC={v}]"),
     "PROTECTED", "OFFICIAL"),
    ("pspf subject only", lambda v: _mail([], subject=f"Q3 figures for Tuesday [SEC={v}]"),
     "OFFICIAL:Sensitive", "OFFICIAL"),
    ("nz x-security-classification", lambda v: _mail([f"X-Security-Classification: {v}"]),
     "RESTRICTED", "UNCLASSIFIED"),
    ("x-classification", lambda v: _mail([f"X-Classification: {v}"]), "SECRET", "UNCLASSIFIED"),
    ("uk subject tag", lambda v: _mail([], subject=f"[{v}] Q3 figures for Tuesday"),
     "OFFICIAL-SENSITIVE", "OFFICIAL"),
    ("purview msip_labels", lambda v: _mail([msip_header(v)]), "Secret", "Official"),
    ("titus x-titus-metadata-40", lambda v: _mail([titus_metadata(v)]), "SECRET", "UNCLASSIFIED"),
    ("titus x-tituslabs-classifications-30",
     lambda v: _mail([f"x-tituslabs-classifications-30: TLPropertyRoot=Titus;Classification={v};"]),
     "SECRET", "UNCLASSIFIED"),
]


# --- documents -------------------------------------------------------------------------------


def _docx_custom_xml(item_xml: str) -> bytes:
    """A docx with a custom XML part tied to the document (item2: python-docx's template has item1)."""
    props = (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        '<ds:datastoreItem ds:itemID="{6E2C4A1B-0D3F-4B5A-8C7D-9E1F2A3B4C5D}" '
        'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml">'
        "<ds:schemaRefs/></ds:datastoreItem>"
    )
    item_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{RT}/customXmlProps" Target="itemProps2.xml"/></Relationships>'
    )
    return _patch(_docx_base(), {
        "customXml/item2.xml": item_xml,
        "customXml/itemProps2.xml": props,
        "customXml/_rels/item2.xml.rels": item_rels,
        "word/_rels/document.xml.rels": lambda x: _add_rel(
            x, "rIdCx2", f"{RT}/customXml", "../customXml/item2.xml"),
        "[Content_Types].xml": lambda x: _add_override(
            x, "/customXml/itemProps2.xml", f"{CT}.customXmlProperties+xml"),
    })


def stanag_4778_binding(level: str) -> str:
    """A STANAG 4778 metadata binding container naming a data object and binding a 4774 label to it."""
    label = stanag_4774(level).split("\n", 1)[1]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<mb:MetadataBindingContainer xmlns:mb="urn:nato:stanag:4778:bindinginformation:1:0">\n'
        " <mb:MetadataBinding>\n"
        "  <mb:Metadata>\n" + label + "  </mb:Metadata>\n"
        '  <mb:DataReference URI="q3-review.pdf"/>\n'
        " </mb:MetadataBinding>\n"
        "</mb:MetadataBindingContainer>\n"
    )


def pspf_props(level: str) -> list[tuple[str, str]]:
    """The PM_ custom properties an Australian government protective-marking add-in writes."""
    return [
        ("PM_Namespace", "gov.au"),
        ("PM_Version", "2018.4"),
        ("PM_Originating_FileId", "A1B2C3D4E5F6A7B8C9D0E1F2A3B4C5D6"),
        ("PM_ProtectiveMarkingValue_Header", level),
        ("PM_ProtectiveMarkingValue_Footer", level),
        ("PM_SecurityClassification", level.split(":")[0].replace("OFFICIAL", "OFFICIAL")),
        ("PM_Qualifier", "Sensitive" if ":" in level else ""),
        ("PM_Display", level),
        ("PMUuid", "ABBFF3DA-6C7B-4C2D-9F1E-0A1B2C3D4E5F"),
        ("PM_Hash_Version", "2018.0"),
    ]


def boldon_sisl(value_uid: str, summary: str) -> bytes:
    """Boldon James Classifier: a sisl custom XML part (label by uid) and its summary property."""
    sisl = (
        '<?xml version="1.0" encoding="us-ascii"?>\n'
        '<sisl xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xmlns:xsd="http://www.w3.org/2001/XMLSchema" sislVersion="0" '
        'policy="9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d" '
        'origin="userSelected" xmlns="http://www.boldonjames.com/2008/01/sie/internal/label">'
        f'<element uid="{value_uid}" value="" /></sisl>'
    )
    doc = _docx_custom_xml(sisl)
    return with_custom_props(doc, [
        ("docIndexRef", "a1b2c3d4-e5f6-7a8b-9c0d-e1f2a3b4c5d6"),
        ("bjSaver", "kY7eQ1u9yC3xHk1yHEd8YlV0bqeaCh3B"),
        ("bjDocumentLabelXML", "&lt;?xml version=\"1.0\" encoding=\"us-ascii\"?&gt;"
         "&lt;sisl sislVersion=\"0\" "
         "policy=\"9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d\" origin=\"userSelected\"&gt;&lt;element uid=\""
         + value_uid + "\" value=\"\" /&gt;&lt;/sisl&gt;"),
        ("bjDocumentSecurityLabel", summary),
    ])


def odt_user_defined(level: str) -> bytes:
    """An ODF text whose meta.xml has meta:user-defined Classification (File > Properties > Custom)."""
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    meta_ns = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<office:document-content xmlns:office="{office}" xmlns:text="{text}" office:version="1.3">'
        "<office:body><office:text><text:p>Q3 supplier review</text:p>"
        "<text:p>The figures were discussed at Tuesday's meeting.</text:p></office:text></office:body>"
        "</office:document-content>"
    )
    meta = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<office:document-meta xmlns:office="{office}" xmlns:meta="{meta_ns}" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3"><office:meta>'
        "<meta:generator>LibreOffice/24.2.7.2$Linux_X86_64 LibreOffice_project/420$Build-2</meta:generator>"
        "<dc:title>Q3 supplier review</dc:title>"
        f'<meta:user-defined meta:name="Classification">{level}</meta:user-defined>'
        '<meta:user-defined meta:name="Releasability">GBR, USA</meta:user-defined>'
        "</office:meta></office:document-meta>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.3"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        z.writestr("meta.xml", meta, zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def pdf_xmp_label(level: str) -> bytes:
    """A PDF whose XMP carries a label in a labelling product's own namespace, and Purview's label keys."""
    xmp = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:seclabel="http://ns.example.org/security-label/1.0/">'
        "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">Q3 supplier review</rdf:li></rdf:Alt></dc:title>"
        f"<seclabel:ClassificationLevel>{level}</seclabel:ClassificationLevel>"
        "<seclabel:PolicyIdentifier>NATO</seclabel:PolicyIdentifier>"
        '</rdf:Description></rdf:RDF></x:xmpmeta>\n<?xpacket end="w"?>'
    ).encode()
    meta = b"<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n" % len(xmp) + xmp + b"\nendstream"
    return _pdf_hand(BODY_OPS, "/Metadata 6 0 R", [meta])


def pdf_msip_info(level: str) -> bytes:
    """A PDF saved from a labelled Office file: the label's keys in the document information dictionary."""
    key = f"MSIP_Label_{MSIP_GUID}_"
    info = (f"<< /Title (Q3 supplier review) /{key}Enabled (true) /{key}Name ({level}) "
            f"/{key}SiteId ({TENANT}) /{key}Method (Privileged) >>").encode()
    data = _pdf_hand(BODY_OPS, "", [info])
    return data.replace(b"/Root 1 0 R >>", b"/Root 1 0 R /Info 6 0 R >>")


def tar_xattr(level: str) -> bytes:
    """GNU tar --xattrs: a file whose user.classification extended attribute carries the label."""
    body = b"Q3 supplier review\nThe figures were discussed at Tuesday's meeting.\n"
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        info = tarfile.TarInfo("q3-review.txt")
        info.size = len(body)
        info.mtime = 1796000000
        info.pax_headers = {"SCHILY.xattr.user.classification": level,
                            "SCHILY.xattr.user.xdg.origin.url": "https://intranet.example.org/q3"}
        tar.addfile(info, io.BytesIO(body))
    return out.getvalue()


DOC_PAIRS: list[tuple[str, str, Callable[[str], bytes], str, str]] = [
    # (name, extension, build(level), marked level, clean level)
    ("docx stanag 4774 custom xml", "docx", lambda v: _docx_custom_xml(stanag_4774(v)),
     "SECRET", "UNCLASSIFIED"),
    ("stanag 4774 label beside a file", "xml", lambda v: stanag_4774(v).encode(), "SECRET", "UNCLASSIFIED"),
    ("stanag 4778 binding beside a file", "xml", lambda v: stanag_4778_binding(v).encode(),
     "SECRET", "UNCLASSIFIED"),
    ("docx pspf custom properties", "docx", lambda v: with_custom_props(_docx_base(), pspf_props(v)),
     "PROTECTED", "OFFICIAL"),
    ("docx pspf custom properties sensitive", "docx",
     lambda v: with_custom_props(_docx_base(), pspf_props(v)),
     "OFFICIAL:Sensitive", "OFFICIAL"),
    ("docx titus classification unclassified twin", "docx",
     lambda v: with_custom_props(_docx_base(), [("TitusGUID", "3b5a4c1e-6a8f-4f4e-9a2b-0d1c2e3f4a5b"),
                                                ("Classification", v)]), "SECRET", "UNCLASSIFIED"),
    ("docx boldon james sisl", "docx",
     lambda v: boldon_sisl("id_classification_" + v.lower().replace(" ", ""), v),
     "SECRET", "UNCLASSIFIED"),
    ("odt user-defined classification", "odt", odt_user_defined, "SECRET", "UNCLASSIFIED"),
    ("pdf xmp label namespace", "pdf", pdf_xmp_label, "SECRET", "UNCLASSIFIED"),
    ("pdf msip info keys", "pdf", pdf_msip_info, "Secret", "Official"),
    ("tar xattr user.classification", "tar", tar_xattr, "SECRET", "UNCLASSIFIED"),
]


def _bind(build: Callable[[str], bytes], level: str) -> Callable[[], bytes]:
    return lambda: build(level)


CASES: list[Case] = []
for _name, _build, _marked, _clean in MAIL_PAIRS:
    _slug = _name.replace(" ", "-").replace(":", "")
    CASES.append(Case(f"{_name} marked", "classification", f"{_slug}-marked.eml",
                      _bind(_build, _marked), True))
    CASES.append(Case(f"{_name} clean", "none", f"{_slug}-clean.eml", _bind(_build, _clean), True))
for _name, _ext, _build, _marked, _clean in DOC_PAIRS:
    _slug = _name.replace(" ", "-")
    CASES.append(Case(f"{_name} marked", "classification", f"{_slug}-marked.{_ext}", _bind(_build, _marked)))
    CASES.append(Case(f"{_name} clean", "none", f"{_slug}-clean.{_ext}", _bind(_build, _clean)))


def generate(root) -> list[dict]:
    """Write every item under ``root``; one record per item."""
    records = []
    for case in CASES:
        (root / case.file).write_bytes(case.build())
        records.append({"name": case.name, "expect": case.expect, "file": case.file})
    return records
