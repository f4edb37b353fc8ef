"""Excel binary workbooks: the BIFF12 records that carry text, and damaged ones."""

from __future__ import annotations

import struct

import pytest

from filters.errors import UnparseableContent
from filters.extract import xlsb
from filters.limits import Budget, Limits
from tests.fixtures.real_formats.samples import _brt, _wide


def test_two_byte_record_types_and_long_sizes_are_read():
    long_text = "CONFIDENTIAL " * 20  # a record over 127 bytes: two size bytes
    data = _brt(479, struct.pack("<H", 0) + _wide("&L" + long_text) + _wide("&RSECRET")
                + b"\xff\xff\xff\xff" * 4)
    out = xlsb.read("worksheet", data, Budget(Limits()))
    assert out == {"header": [long_text.strip()], "footer": ["SECRET"]}


def test_inline_cell_strings_and_formula_results_are_read():
    cell = struct.pack("<II", 2, 0)
    data = (_brt(6, cell + _wide("TOP SECRET")) + _brt(2, cell + struct.pack("<d", 1.5))
            + _brt(8, cell + _wide("DRAFT") + struct.pack("<HI", 0, 0)))
    assert xlsb.read("worksheet", data, Budget(Limits())) == {"body": ["TOP SECRET", "DRAFT"]}


@pytest.mark.parametrize("data", [
    b"\x13\x40\x00",  # a record longer than the part
    _brt(19, b"\x00" + struct.pack("<I", 50) + "ab".encode("utf-16-le")),  # string too long
])
def test_damaged_records_are_unparseable(data):
    with pytest.raises(UnparseableContent):
        xlsb.read("shared_strings", data, Budget(Limits()))
