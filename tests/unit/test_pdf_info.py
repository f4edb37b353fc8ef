"""A PDF's information dictionary keys of the writer's own are read (Word's PDF export
writes a document's custom properties there), as literal or hex (UTF-16) strings."""

from __future__ import annotations

from filters.build import build_pipeline


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
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body_bytes in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body_bytes + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += (b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objects) + 1, xref))
    return bytes(out)


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
