"""A zip appended after another file's end (a picture, a program) is read as the part's members."""

from __future__ import annotations

import io
import random
import zipfile

import pytest
from PIL import Image

from filters import appended
from filters.build import build_pipeline
from filters.types import Part
from tests.corpus_containers import formats

MARKED = "SECRET\n\nQ3 supplier review\n"


@pytest.fixture(scope="module")
def pipeline():
    return build_pipeline()


def _zip(text: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("notes.txt", text)
    return out.getvalue()


def _picture(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (48, 48), "white").save(out, fmt)
    return out.getvalue()


PROGRAM = b"MZ" + bytes(58) + (64).to_bytes(4, "little") + b"PE\0\0" + bytes(400)  # a self-extractor's stub


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("cat.png", _picture("PNG")),
        ("cat.jpg", _picture("JPEG")),
        ("setup.exe", PROGRAM),
    ],
)
def test_marked_zip_after_a_file_is_read(pipeline, name, head):
    verdict = pipeline.scan(Part(origin=name, data=head + _zip(MARKED * 3), name=name))
    assert [(h.category, h.where) for h in verdict.hits if h.category != "policy"] == [
        ("classification", f"{name}/#zip/notes.txt")
    ]


def test_clean_zip_after_a_picture_passes_and_a_plain_picture_adds_nothing(pipeline):
    assert pipeline.scan(
        Part(origin="c.png", data=_picture("PNG") + _zip("Lunch at noon.\n"), name="c.png")
    ).passed
    plain = Part(origin="p.png", data=_picture("PNG") + b"PK\x05\x06" + bytes(30), name="p.png")
    assert not appended.carries_zip(plain)  # a stray end record that zipfile does not open
    assert pipeline.scan(plain).passed


def test_a_zip_is_not_read_twice():
    data = _zip(MARKED)
    assert not appended.carries_zip(Part(origin="a.zip", data=data))
    assert appended.carries_zip(Part(origin="b.bin", data=b"prefix" + data))


def test_spooled_part_is_read_from_its_tail(tmp_path):
    path = tmp_path / "big.png"
    path.write_bytes(_picture("PNG") + bytes(200_000) + _zip(MARKED))
    assert appended.carries_zip(Part(origin="big.png", path=path))


def _seven_zip(text: str) -> bytes:
    import py7zr

    out = io.BytesIO()
    with py7zr.SevenZipFile(out, "w") as archive:
        archive.writestr(text.encode(), "notes.txt")
    return out.getvalue()


# A Windows program with one section (Microsoft's PE format), as a self-extractor's stub.
WINDOWS_PROGRAM = formats.pe_program()


def test_the_end_of_a_windows_program_is_its_last_section():
    assert appended.program_end(WINDOWS_PROGRAM) == len(WINDOWS_PROGRAM)
    assert appended.program_end(PROGRAM) == 64 + 24  # no sections: the end of its COFF header
    assert appended.program_end(b"MZ" + bytes(100)) is None
    assert appended.program_end(_picture("PNG")) is None


@pytest.mark.parametrize("stub", [WINDOWS_PROGRAM, PROGRAM], ids=["one section", "headers only"])
def test_a_7z_self_extracting_program_is_read_and_a_clean_one_passes(pipeline, stub):
    verdict = pipeline.scan(Part(origin="setup.exe", data=stub + _seven_zip(MARKED * 3), name="setup.exe"))
    assert [(h.category, h.where) for h in verdict.hits if h.category != "policy"] == [
        ("classification", "setup.exe/#7z/notes.txt")
    ]
    assert pipeline.scan(
        Part(origin="c.exe", data=stub + _seven_zip("Lunch at noon.\n" * 40), name="c.exe")).passed


def test_a_7z_signature_without_its_start_header_is_not_an_archive():
    data = WINDOWS_PROGRAM + b"7z\xbc\xaf\x27\x1c" + bytes(40)
    assert appended.program_archive(Part(origin="a.exe", data=data)) is None
    archive = _seven_zip(MARKED)
    # A 7z inside the program's own image (a resource) is the program's, not appended.
    inside = WINDOWS_PROGRAM[:0x200] + archive + WINDOWS_PROGRAM[0x200 + len(archive):]
    assert appended.program_archive(Part(origin="b.exe", data=inside)) is None


def test_a_cut_short_7z_after_a_program_is_held(pipeline):
    archive = _seven_zip(MARKED * 50)
    data = WINDOWS_PROGRAM + archive[: len(archive) - 30]
    verdict = pipeline.scan(Part(origin="s.exe", data=data, name="s.exe"))
    assert not verdict.passed
    assert "extract.unparseable" in {h.rule for h in verdict.hits}


def test_a_rar_self_extracting_program_is_held_unread(pipeline):
    import gzip

    rar = formats.rar5_stored("notes.txt.gz", gzip.compress(b"Lunch at noon.\n", mtime=0))
    verdict = pipeline.scan(Part(origin="r.exe", data=WINDOWS_PROGRAM + rar, name="r.exe"))
    assert not verdict.passed
    assert "extract.uninspectable" in {h.rule for h in verdict.hits}
    # Its bytes are still searched for text (only an archive read as members is skipped).
    assert appended.Appended(Part(origin="r.exe", data=WINDOWS_PROGRAM + rar)).read_span() is None


def test_a_zip_after_a_text_longer_than_its_typed_head_is_read(pipeline):
    text = b"Minutes of the facilities meeting: rooms and parking.\n" * 400
    verdict = pipeline.scan(Part(origin="m.txt", data=text + _zip(MARKED), name="m.txt"))
    assert [(h.category, h.where) for h in verdict.hits if h.category != "policy"] == [
        ("classification", "m.txt/#zip/notes.txt")
    ]
    assert pipeline.scan(Part(origin="c.txt", data=text + _zip("Lunch at noon.\n"), name="c.txt")).passed


def test_the_bytes_of_an_archive_read_as_members_are_not_searched_again():
    """A program's own bytes are still searched for text; the 7z after it is read as its
    members, so its compressed bytes do not count as unreadable."""
    from filters.extract import strings
    from filters.limits import Budget, Limits

    filler = random.Random(7).randbytes(60_000)  # compressed members look like this
    data = WINDOWS_PROGRAM + b"SECRET plans inside the program\0" + filler
    span = (len(WINDOWS_PROGRAM) + 32, len(data))
    budget = Budget(Limits())
    part = Part(origin="p.exe", data=data, detected_type="application/vnd.microsoft.portable-executable")
    try:
        out = list(strings.extract(part, budget, skip=span))
        unskipped = list(strings.extract(part, budget))
    finally:
        budget.close()
    assert any("SECRET plans" in p.text for p in out if isinstance(p, Part))
    assert not [d for d in out if not isinstance(d, Part)]
    assert [d.rule for d in unskipped if not isinstance(d, Part)] == ["extract.uninspectable"]
