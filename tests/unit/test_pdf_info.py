"""A PDF's information dictionary keys of the writer's own are read (Word's PDF export
writes a document's custom properties there), as literal or hex (UTF-16) strings."""

from __future__ import annotations

from filters.build import build_pipeline
from tests.fixtures.pdf_file import pdf_file


def _pdf(info: bytes, body: str = "Quarterly figures follow.") -> bytes:
    """A one-page PDF whose Info dictionary is ``info``, with a correct cross-reference table."""
    stream = f"BT /F1 12 Tf 72 720 Td ({body}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        info,
    ]
    return pdf_file(objects, header=b"%PDF-1.4\n", trailer=b"/Info 6 0 R ")


WORD_LIKE = (b"<< /Title (Convoy schedule) /Author (J. Smith) /Creator (Microsoft\\256 Word)"
             b" /CreationDate (D:20240101120000+01'00') /Classification (%s)"
             b" /Company <FEFF00410063006D0065> >>")


def test_marking_in_a_custom_info_key_is_held_and_a_clean_one_passes():
    pipeline = build_pipeline()
    marked = pipeline.scan_bytes(_pdf(WORD_LIKE % b"TOP SECRET//NOFORN"), origin="plan.pdf")
    assert any(h.category == "classification" and h.where == "plan.pdf/#info.Classification"
               for h in marked.hits), marked.hits
    clean = pipeline.scan_bytes(_pdf(WORD_LIKE % b"Public"), origin="plan.pdf")
    assert clean.action == "pass", clean.hits


def _packed_pdf(info: bytes, body: str = "Quarterly figures follow.") -> bytes:
    """The same PDF as a PDF 1.5 writer with object streams on stores it (ISO 32000-1,
    7.5.7 and 7.5.8): the catalog, pages, page, font and Info dictionary packed in one
    Flate-compressed object stream (7), the page's content stream on its own (4), and a
    cross-reference stream (8) whose dictionary is the trailer."""
    import struct
    import zlib

    content = f"BT /F1 12 Tf 72 720 Td ({body}) Tj ET".encode()
    packed = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
           b" /Resources << /Font << /F1 5 0 R >> >> >>",
        5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        6: info,
    }
    header, objects = [], b""
    for number, body_bytes in packed.items():
        header.append(b"%d %d" % (number, len(objects)))
        objects += body_bytes + b"\n"
    head = b" ".join(header) + b"\n"
    squeezed = zlib.compress(head + objects)
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = {4: len(out)}
    out += b"4 0 obj\n<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream\nendobj\n"
    offsets[7] = len(out)
    out += (b"7 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
            % (len(packed), len(head), len(squeezed)) + squeezed + b"\nendstream\nendobj\n")
    offsets[8] = len(out)
    rows = [struct.pack(">BIH", 0, 0, 65535)]
    index = {number: position for position, number in enumerate(packed)}
    for number in range(1, 9):
        if number in index:
            rows.append(struct.pack(">BIH", 2, 7, index[number]))
        else:
            rows.append(struct.pack(">BIH", 1, offsets[number], 0))
    table = b"".join(rows)
    out += (b"8 0 obj\n<< /Type /XRef /Size 9 /W [1 4 2] /Root 1 0 R /Info 6 0 R /Length %d >>\n"
            b"stream\n" % len(table) + table + b"\nendstream\nendobj\n")
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[8]
    return bytes(out)


def test_a_custom_info_key_in_an_object_stream_is_held_and_a_clean_one_passes():
    pipeline = build_pipeline()
    packed = _packed_pdf(WORD_LIKE % b"SECRET")
    assert b"Classification" not in packed  # only inside the compressed stream
    marked = pipeline.scan_bytes(packed, origin="plan.pdf")
    assert any(h.category == "classification" and h.where == "plan.pdf/#info.Classification"
               for h in marked.hits), marked.hits
    clean = pipeline.scan_bytes(_packed_pdf(WORD_LIKE % b"Public"), origin="plan.pdf")
    assert clean.action == "pass", clean.hits
    # The document itself opened as the writer stored it: its body and standard keys.
    walked = {h.where for h in pipeline.scan_bytes(
        _packed_pdf(WORD_LIKE % b"Public", body="SECRET"), origin="plan.pdf").hits}
    assert "plan.pdf/page[1]" in walked, walked


def test_object_streams_give_each_object_by_its_number():
    from filters.extract.pdf_scripts import compressed_object

    packed = _packed_pdf(WORD_LIKE % b"Public")
    assert compressed_object(packed, 6).strip() == (WORD_LIKE % b"Public")
    assert compressed_object(packed, 5).strip() == b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    assert compressed_object(packed, 4) is None  # a stream object is stored on its own
    assert compressed_object(packed, 60) is None
