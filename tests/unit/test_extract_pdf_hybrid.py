"""Hybrid PDF: the streams the trailer's /AdditionalStreams names are read as parts."""

from __future__ import annotations

import zlib

import pytest

from filters.errors import UnparseableContent
from filters.extract import pdf_hybrid
from filters.limits import Budget, Limits
from filters.types import Part


def _pdf(body: bytes, *, filtered: bool = False, indirect: bool = False) -> bytes:
    stream = zlib.compress(body) if filtered else body
    length = b"5 0 R" if indirect else str(len(stream)).encode()
    extra = b" /Filter /FlateDecode" if filtered else b""
    return (b"%PDF-1.6\n1 0 obj\n<</Type/Catalog>>\nendobj\n4 0 obj\n<</Length " + length
            + extra + b">>\nstream\n" + stream + b"\nendstream\nendobj\n5 0 obj\n"
            + str(len(stream)).encode() + b"\nendobj\ntrailer\n<</Root 1 0 R\n"
            b"/AdditionalStreams [/application#2Fvnd#2Eoasis#2Eopendocument#2Etext 4 0 R\n]\n"
            b">>\n%%EOF\n")


@pytest.mark.parametrize(("filtered", "indirect"), [(False, True), (True, False)])
def test_the_named_stream_is_a_child_part_with_its_type(filtered, indirect):
    data = _pdf(b"PK\x03\x04 the ODF document", filtered=filtered, indirect=indirect)
    part = Part(origin="doc.pdf", data=data)
    [child] = pdf_hybrid.additional_streams(part, Budget(Limits()), data)
    assert child.origin == "doc.pdf/#additional[1]"
    assert child.declared_type == "application/vnd.oasis.opendocument.text"
    assert child.data == b"PK\x03\x04 the ODF document"


def test_a_named_object_that_is_missing_is_unparseable():
    data = _pdf(b"x").replace(b"4 0 obj", b"9 0 obj")
    with pytest.raises(UnparseableContent):
        pdf_hybrid.additional_streams(Part(origin="d.pdf", data=data), Budget(Limits()), data)


def test_a_pdf_without_additional_streams_gives_nothing():
    data = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<</Root 1 0 R>>\n%%EOF\n"
    assert pdf_hybrid.additional_streams(Part(origin="d.pdf", data=data), Budget(Limits()),
                                         data) == []
