"""TNEF (winmail.dat): attachments, bodies and subject inside are inspected; damage is held.

The TNEF streams are written by tests/fixtures/tnef.py (MS-OXTNEF) and read back with
tnefparse first, so the writer is checked against an independent reader.
"""

from __future__ import annotations

import struct

import pytest
from tnefparse.tnef import TNEF

from filters.build import build_pipeline
from filters.detect import detect_type
from filters.extract import tnef
from filters.limits import Budget, Limits
from filters.types import Part, Verdict
from tests.fixtures import tnef as fixtures

PIPELINE = build_pipeline()
RTF = r"{\rtf1\ansi\deff0 Rich body: TOP SECRET//NOFORN\par}"


def scan(data: bytes, name: str = "mail.eml", declared: str = "message/rfc822") -> Verdict:
    return PIPELINE.scan(Part(origin=name, data=data, name=name, declared_type=declared))


def extract(data: bytes) -> list:
    budget = Budget(Limits())
    try:
        return list(tnef.extract(Part(origin="winmail.dat", data=data, name="winmail.dat"), budget))
    finally:
        budget.close()


@pytest.fixture(scope="module")
def secret_docx() -> bytes:
    return fixtures.docx_with_footer("Plan for the quarter.", "SECRET")


def test_fixture_writer_output_reads_back_with_tnefparse(secret_docx):
    stream = TNEF(fixtures.winmail(subject="Plan", body="Body", rtf=RTF,
                                   attachments=[("plan.docx", secret_docx)]))
    [attachment] = stream.attachments
    assert (attachment.long_filename(), attachment.data) == ("plan.docx", secret_docx)
    assert stream.body == b"Body"
    assert stream.rtfbody.rstrip(b"\x00") == RTF.encode()
    assert all(obj.good_checksum for obj in stream.objects)


def test_libmagic_types_winmail_dat_as_tnef():
    assert detect_type(Part(origin="w", data=fixtures.winmail(body="x"))) == "application/vnd.ms-tnef"


def test_docx_with_secret_footer_inside_winmail_dat_is_held_with_its_place(secret_docx):
    mail = fixtures.mail_with_winmail(fixtures.winmail(attachments=[("plan.docx", secret_docx)]))
    verdict = scan(mail)
    assert verdict.action == "quarantine"
    places = {hit.where for hit in verdict.hits if hit.category == "classification"}
    assert places == {"mail.eml/attachment[2]:winmail.dat/attachment[1]:plan.docx/word/footer1.xml"}
    assert not [hit for hit in verdict.hits if hit.category == "policy"]


def test_clean_winmail_dat_passes_with_no_hits():
    clean = fixtures.docx_with_footer("Lunch menu for Tuesday.", "Page 1")
    tnef_bytes = fixtures.winmail(subject="Lunch", body="See the menu.",
                                  rtf=r"{\rtf1\ansi See the menu.\par}",
                                  attachments=[("menu.docx", clean), ("notes.txt", b"Soup.\n")])
    verdict = scan(fixtures.mail_with_winmail(tnef_bytes))
    assert (verdict.action, verdict.hits) == ("pass", ())


def test_subject_bodies_and_attachments_are_children_in_order():
    children = extract(fixtures.winmail(subject="Quarterly plan", body="Plain body",
                                        rtf=RTF, attachments=[("notes.txt", b"Annex")]))
    assert [child.origin for child in children] == [
        "winmail.dat/header:Subject", "winmail.dat/body[1]", "winmail.dat/body[3]",
        "winmail.dat/attachment[1]:notes.txt"]
    subject, body, rtf, attachment = children
    assert (subject.text, subject.role) == ("Quarterly plan", "subject")
    assert (body.data, body.declared_type) == (b"Plain body", "text/plain")
    assert rtf.declared_type == "text/rtf" and rtf.data.startswith(b"{\\rtf1")
    assert (attachment.name, attachment.data) == ("notes.txt", b"Annex")


def test_marking_in_the_compressed_rtf_body_is_found():
    verdict = scan(fixtures.winmail(rtf=RTF), name="winmail.dat", declared="application/ms-tnef")
    assert {hit.where for hit in verdict.hits if hit.category == "classification"} == {
        "winmail.dat/body[3]"}


def test_truncated_winmail_dat_is_held_with_a_clear_reason(secret_docx):
    whole = fixtures.winmail(subject="Plan", attachments=[("plan.docx", secret_docx)])
    cut = whole[: len(whole) - 5000]
    verdict = scan(fixtures.mail_with_winmail(cut))
    assert verdict.action == "quarantine"
    [hit] = [hit for hit in verdict.hits if hit.rule == "extract.unparseable"]
    assert hit.where == "mail.eml/attachment[2]:winmail.dat"
    assert "cut short" in hit.excerpt and hit.severity == "high"


def test_bad_checksum_is_held_but_the_content_is_still_inspected():
    stream = bytearray(fixtures.winmail(attachments=[("notes.txt", b"SECRET//NOFORN annex")]))
    stream[stream.index(b"annex")] ^= 0x20
    verdict = scan(bytes(stream), name="winmail.dat", declared="application/ms-tnef")
    assert "extract.unparseable" in [hit.rule for hit in verdict.hits]
    assert any("checksum" in hit.excerpt for hit in verdict.hits)
    assert any(hit.category == "classification" for hit in verdict.hits)


@pytest.mark.parametrize("data", [
    b"\x78\x9f\x3e\x22\x00\x00",  # signature and key, no attribute
    b"\x78\x9f\x3e\x22\x00\x00\x07\x01\x02",  # cut inside the first attribute header
])
def test_tnef_with_no_readable_attribute_is_unparseable(data):
    verdict = scan(data, name="winmail.dat", declared="application/ms-tnef")
    assert verdict.action == "quarantine"
    assert [hit.rule for hit in verdict.hits] == ["extract.unparseable"]


def test_huge_mapi_property_count_is_refused_at_once():
    # decode_mapi would otherwise loop 4 billion times over a 4-byte block.
    bomb = struct.pack("<I", 0xFFFFFFFF)
    stream = (struct.pack("<IH", fixtures.SIGNATURE, 0)
              + fixtures.attribute(fixtures.LEVEL_MESSAGE, fixtures.ATT_MAPI_PROPS, bomb))
    verdict = scan(stream, name="winmail.dat", declared="application/ms-tnef")
    assert verdict.action == "quarantine"
    assert any("claims 4294967295 properties" in hit.excerpt for hit in verdict.hits)


def test_stray_bytes_after_the_last_attribute_are_reported_low():
    verdict = scan(fixtures.winmail(body="Hello") + b"\x00", name="winmail.dat",
                   declared="application/ms-tnef")
    assert verdict.action == "pass"
    assert [(hit.rule, hit.severity) for hit in verdict.hits] == [("extract.unparseable", "low")]
