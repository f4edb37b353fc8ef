"""A TrueType font read through its table directory: the name table as text, the runs of
its tables of numbers out of the personal-data rules' reach, every other byte as before."""

from __future__ import annotations

import struct

import pytest

from filters.extract import sfnt
from filters.types import NUMBER_RUNS_KEY, Part
from tests.fixtures.fonts import dejavu, ssn_text


@pytest.fixture(scope="module")
def pipeline():
    from filters.build import build_pipeline

    return build_pipeline()


def _rules(verdict) -> set[str]:
    return {hit.rule for hit in verdict.hits}


def test_the_directory_and_name_table_of_a_real_font_are_read():
    data = dejavu()
    directory = sfnt.tables(data)
    assert directory is not None and {b"name", b"glyf", b"fpgm"} <= set(directory)
    offset, length = directory[b"name"]
    assert "DejaVu Sans" in sfnt.name_strings(data[offset:offset + length])


def test_a_directory_that_points_outside_the_file_is_no_font():
    head = b"\x00\x01\x00\x00" + struct.pack(">HHHH", 1, 16, 0, 0)
    assert sfnt.tables(head + struct.pack(">4sIII", b"name", 0, 28, 4096) + b"\0" * 8) is None
    assert sfnt.tables(b"\x00\x01\x00\x00\x00\x0b\x00\x80\x00\x03\x00\x30OS/2") is None


def test_mac_and_windows_names_are_decoded():
    strings = [("Caf\u00e9".encode("mac_roman"), 1), ("Caf\u00e9".encode("utf-16-be"), 3)]
    records, storage = b"", b""
    for raw, platform in strings:
        records += struct.pack(">HHHHHH", platform, 0, 0, 1, len(raw), len(storage))
        storage += raw
    table = struct.pack(">HHH", 0, len(strings), 6 + len(records)) + records + storage
    assert sfnt.name_strings(table) == ["Caf\u00e9", "Caf\u00e9"]


def test_the_runs_of_number_tables_are_kept_from_the_personal_rules_only(walk):
    walked = walk(dejavu(), name="DejaVuSans-Oblique.ttf")
    number_parts = [p for p in walked.texts if p.meta.get(NUMBER_RUNS_KEY)]
    assert number_parts and all(len(run) < sfnt.TEXT_RUN_CHARS
                                for p in number_parts for run in p.text.split("\n"))
    assert any("DejaVu" in (p.text or "") for p in walked.texts if p.origin.endswith("#name"))


def test_an_ordinary_font_passes_and_its_name_table_is_still_read(pipeline):
    assert pipeline.scan_bytes(dejavu(), origin="f.ttf", name="f.ttf").action == "pass"
    held = pipeline.scan_bytes(dejavu(names={13: ssn_text()}), origin="f.ttf", name="f.ttf")
    assert held.action == "quarantine" and "personal.us_ssn" in _rules(held)


def test_a_staff_list_written_into_a_number_table_is_read_by_every_rule(pipeline):
    held = pipeline.scan_bytes(dejavu(tables={"glyf": ssn_text().encode()}), origin="f.ttf",
                               name="f.ttf")
    assert "personal.us_ssn" in _rules(held)


def test_a_damaged_directory_is_searched_like_any_inert_part(pipeline):
    data = bytearray(dejavu(names={10: "TOP SECRET//NOFORN"}))
    data[12 + 8:12 + 12] = b"\xff\xff\xff\xff"  # the first table's offset beyond the file
    assert sfnt.tables(bytes(data)) is None
    verdict = pipeline.scan_bytes(bytes(data), origin="f.ttf", name="f.ttf")
    assert any(hit.category == "classification" for hit in verdict.hits)


def test_a_part_of_number_runs_is_not_read_by_the_personal_engine(pipeline):
    text = ssn_text()
    engine = next(e for e in pipeline.text_engines if type(e).__name__ == "PersonalEngine")
    assert list(engine.scan(Part(origin="t", text=text)))
    assert not list(engine.scan(Part(origin="t", text=text, meta={NUMBER_RUNS_KEY: "1"})))
