"""iWork packages: IWA archives decompressed (snappy) and their protobuf strings read."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest

from filters.errors import UnparseableContent
from filters.extract import iwork
from filters.limits import Budget, Limits
from filters.types import Defect, Part
from tests.fixtures.real_formats.samples import _field, _iwa, snappy_compress


def _budget() -> Budget:
    return Budget(Limits())


def test_snappy_round_trip_with_overlapping_and_far_copies():
    data = b"ab" * 300 + bytes(range(256)) * 3 + b"SECRET plan, SECRET again" * 5
    compressed = snappy_compress(data)
    assert len(compressed) < len(data)  # copies were used
    assert iwork.snappy_decompress(compressed, _budget()) == data


def test_long_literals_take_their_length_from_the_following_bytes():
    data = bytes(range(200))
    # Varint size 200, then a literal tag 60 << 2: one byte follows holding length - 1.
    raw = b"\xc8\x01" + bytes([60 << 2, 199]) + data
    assert iwork.snappy_decompress(raw, _budget()) == data


def test_a_marking_written_as_a_copy_is_read_whole():
    # The second "CONFIDENTIAL" is a back-reference in the compressed bytes, so no
    # text run of the .iwa file holds it; the decompressed protobuf string does.
    texts = ["Stock report CONFIDENTIAL", "Annex CONFIDENTIAL"]
    storages = [(10 + n, 2001, _field(1, 0) + _field(3, t.encode())) for n, t in enumerate(texts)]
    data = _iwa(storages)
    assert b"Annex CONFIDENTIAL" not in data
    stream = iwork.iwa_stream(data, _budget())
    assert list(iwork.protobuf_strings(stream, _budget())) == texts


def test_damaged_iwa_is_unparseable():
    with pytest.raises(UnparseableContent):
        iwork.iwa_stream(b"\x00" + struct.pack("<I", 50)[:3] + b"\x10\x04ab", _budget())
    with pytest.raises(UnparseableContent):
        iwork.iwa_stream(b"\x07garbage", _budget())


def test_package_with_a_damaged_archive_reports_it():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("Index/Document.iwa", b"\x00\x05\x00\x00\x10\xff\xff\xff\xff")
    part = Part(origin="doc.pages", data=out.getvalue(), name="doc.pages",
                detected_type="application/vnd.apple.pages")
    budget = _budget()
    found = list(iwork.extract(part, budget))
    budget.close()
    assert [d.rule for d in found if isinstance(d, Defect)] == ["extract.unparseable"]
