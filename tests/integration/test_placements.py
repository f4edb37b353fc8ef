"""Markings in out-of-the-way places of real office documents (tests/corpus_placements),
sent through the real listeners: an SMTP attachment and an upload through the HTTP proxy.
A marked document is held for its classification; its clean twin (the same place with
ordinary words) passes."""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from corpus_placements import cases, round2
from integration.listeners_harness import Listeners

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

PLACES = {
    "xlsx validation prompt": (cases.xlsx_validation, "xlsx",
                               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "xlsx defined name": (cases.xlsx_defined_name, "xlsx",
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx section name": (cases.pptx_section, "pptx",
                          "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    "pdf xmp": (cases.pdf_xmp, "pdf", "application/pdf"),
    "xlsx purview footer": (round2.xlsx_purview_footer, "xlsx", XLSX),
    "docx document variable": (round2.docx_document_variable, "docx", DOCX),
    "pdf custom stamp": (round2.pdf_custom_stamp, "pdf", "application/pdf"),
    "pdf watermark annotation": (round2.pdf_watermark_annotation, "pdf", "application/pdf"),
    "pdf info key": (round2.pdf_info_key, "pdf", "application/pdf"),
}

# Acrobat's stamps by their standard names alone (no appearance, no note): marked, the clean
# stamp beside it, and the category the marked one is held for.
STAMPS = {
    "TopSecret": ("Approved", "classification"),
    "SBConfidential": ("SBApproved", "classification"),
    "SBDraft": ("SBFinal", "draft"),
    "ForComment": ("ForPublicRelease", "draft"),
}


@pytest.fixture(scope="module")
def gateway(tmp_path_factory):
    server = Listeners(tmp_path_factory.mktemp("placements"))
    yield server
    server.close()


def _mail(data: bytes, name: str, content_type: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "alice@example.org"
    message["To"] = "bob@partner.test"
    message["Subject"] = "figures for Tuesday"
    message.set_content("The file is attached.")
    maintype, subtype = content_type.split("/")
    message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message


@pytest.mark.parametrize("place", list(PLACES))
def test_marking_in_an_out_of_the_way_place_is_held(gateway, place, tmp_path):
    build, ext, content_type = PLACES[place]
    data = build(cases.MARK)
    by_mail = gateway.mail(_mail(data, f"review.{ext}", content_type))
    assert by_mail.held and any(h["category"] == "classification" for h in by_mail.hits), by_mail.excerpts()
    path = tmp_path / f"review.{ext}"
    path.write_bytes(data)
    by_proxy = gateway.upload("-F", f"file=@{path};type={content_type}")
    assert by_proxy.held and any(h["category"] == "classification" for h in by_proxy.hits), \
        by_proxy.excerpts()


@pytest.mark.parametrize("place", list(PLACES))
def test_ordinary_words_in_the_same_place_pass(gateway, place, tmp_path):
    build, ext, content_type = PLACES[place]
    data = build(cases.CLEAN)
    assert not gateway.mail(_mail(data, f"review.{ext}", content_type)).held
    path = tmp_path / f"review.{ext}"
    path.write_bytes(data)
    assert not gateway.upload("-F", f"file=@{path};type={content_type}").held


@pytest.mark.parametrize("stamp", list(STAMPS))
def test_a_standard_stamp_is_held_by_its_name_and_an_ordinary_stamp_passes(gateway, stamp, tmp_path):
    clean, category = STAMPS[stamp]
    for name, held in ((stamp, True), (clean, False)):
        data = round2.pdf_stamp_name(name)
        by_mail = gateway.mail(_mail(data, "review.pdf", "application/pdf"))
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(data)
        by_proxy = gateway.upload("-F", f"file=@{path};type=application/pdf")
        for outcome in (by_mail, by_proxy):
            assert outcome.held == held, (name, outcome.excerpts())
            if held:
                assert any(h["category"] == category for h in outcome.hits), outcome.excerpts()
