"""A PDF's XMP packet gives its words, not its ids, dates or MIME types."""

from __future__ import annotations

from filters.extract.pdf import _xmp_values

PACKET = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    b'xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
    b'xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/" pdf:Keywords="board; Q3" '
    b'xmp:CreateDate="2026-11-30T10:00:00Z">'
    b"<dc:format>application/pdf</dc:format><xmpMM:DocumentID>uuid:1b2c</xmpMM:DocumentID>"
    b'<xmpMM:History><rdf:Seq><rdf:li xmlns:stEvt="http://ns.adobe.com/xap/1.0/sType/ResourceEvent#" '
    b'stEvt:action="saved" stEvt:instanceID="xmp.iid:7f3a"/></rdf:Seq></xmpMM:History>'
    b"<dc:title><rdf:Alt><rdf:li>Supplier review</rdf:li></rdf:Alt></dc:title>"
    b"</rdf:Description></rdf:RDF></x:xmpmeta>"
)


def test_xmp_values_are_the_words_only() -> None:
    assert _xmp_values(PACKET) == ["board; Q3", "Supplier review"]


def test_sensitivity_label_properties_are_left_to_the_label_engine() -> None:
    # Purview writes _Method = "Privileged" for a label chosen by hand: no legal privilege.
    packet = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description rdf:about="" xmlns:pdfx="http://ns.adobe.com/pdfx/1.3/" '
        b'pdfx:MSIP_Label_0b1c2d3e-1111-2222-3333-444455556666_Method="Privileged">'
        b"<pdfx:MSIP_Label_0b1c2d3e-1111-2222-3333-444455556666_Name>Public</pdfx:MSIP_Label_0b1c2d3e-1111-2222-3333-444455556666_Name>"
        b"<pdfx:Department>Legal</pdfx:Department>"
        b"</rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    assert _xmp_values(packet) == ["Legal"]
