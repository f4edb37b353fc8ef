"""Documents and markings carried as base64, data: URLs or other encodings inside mail text
and upload fields, sent through the real listeners: each is decoded (bounded) and what it
holds is inspected as a child part, in mail bodies, JSON, forms and XML alike. Clean
counterparts (a JSON API call with a base64 avatar, a signed mail with a PGP signature,
a PEM certificate) still pass."""

from __future__ import annotations

import base64
import io
import json
import urllib.parse
from email.message import EmailMessage

import pytest
from fixtures.office import make_two_paragraph_docx
from integration.listeners_harness import Listeners, Outcome
from PIL import Image

BANNER = "TOP SECRET//NOFORN"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (96, 96), (240, 200, 40)).save(out, format="PNG")
    return out.getvalue()


MARKED_DOCX = base64.b64encode(make_two_paragraph_docx(BANNER)).decode()
CLEAN_DOCX = base64.b64encode(make_two_paragraph_docx("Minutes of the picnic committee")).decode()


@pytest.fixture(scope="module")
def gateway(tmp_path_factory):
    server = Listeners(tmp_path_factory.mktemp("encoded"))
    yield server
    server.close()


def _held_with(outcome: Outcome, category: str, where: str) -> bool:
    return outcome.held and any(h["category"] == category and where in h["where"]
                                for h in outcome.hits)


def _text_mail(body: str, subject: str = "notes") -> EmailMessage:
    message = EmailMessage()
    message["From"] = "alice@example.org"
    message["To"] = "bob@partner.test"
    message["Subject"] = subject
    message.set_content(body)
    return message


# -- JSON ---------------------------------------------------------------------------------


def test_json_value_holding_a_base64_docx_is_held_via_proxy_and_icap(gateway, tmp_path):
    body = json.dumps({"name": "report.docx", "file": MARKED_DOCX}).encode()
    path = tmp_path / "body.json"
    path.write_bytes(body)
    by_proxy = gateway.upload("-H", "Content-Type: application/json", "--data-binary", f"@{path}")
    assert _held_with(by_proxy, "classification", "#base64"), by_proxy.excerpts()
    by_icap = gateway.icap(body, "application/json")
    assert _held_with(by_icap, "classification", "#base64[1]/word/document.xml"), by_icap.excerpts()


def test_json_sent_as_text_plain_is_read_as_json(gateway, tmp_path):
    body = json.dumps({"attachment": {"data": MARKED_DOCX}}).encode()
    outcome = gateway.icap(body, "text/plain;charset=UTF-8")
    assert _held_with(outcome, "classification", "#base64"), outcome.excerpts()


def test_data_url_in_a_json_value_is_decoded(gateway):
    url = ("data:application/vnd.openxmlformats-officedocument.wordprocessingml.document;base64,"
           + MARKED_DOCX)
    outcome = gateway.icap(json.dumps({"blob": url}).encode(), "application/json")
    assert _held_with(outcome, "classification", "#data-url[1]"), outcome.excerpts()


def test_base64_of_a_short_marked_line_is_decoded(gateway):
    line = base64.b64encode(f"{BANNER} operation orders follow".encode()).decode()
    outcome = gateway.icap(json.dumps({"comment": line}).encode(), "application/json")
    assert _held_with(outcome, "classification", "#base64"), outcome.excerpts()


def test_json_api_call_with_a_base64_avatar_passes(gateway):
    avatar = "data:image/png;base64," + base64.b64encode(_png()).decode()
    body = json.dumps({"user": {"display_name": "Alice", "avatar": avatar,
                                "thumbnail": base64.b64encode(_png()).decode()}}).encode()
    assert not gateway.icap(body, "application/json").held
    assert not gateway.icap(json.dumps({"file": CLEAN_DOCX}).encode(), "application/json").held


# -- forms ----------------------------------------------------------------------------------


def test_form_field_sent_with_content_transfer_encoding_base64_is_decoded(gateway):
    short = base64.b64encode(b"SECRET//NOFORN").decode()  # too short to be taken as base64 alone
    outcome = gateway.upload("-F", f"note={short};headers=\"Content-Transfer-Encoding: base64\"")
    assert _held_with(outcome, "classification", "upload:form[note]"), outcome.excerpts()


def test_file_part_sent_as_base64_is_decoded(gateway, tmp_path):
    path = tmp_path / "brief.b64"
    path.write_text(MARKED_DOCX)
    outcome = gateway.upload(
        "-F", f"file=@{path};filename=brief.docx;type=application/octet-stream;"
              "headers=\"Content-Transfer-Encoding: base64\"")
    assert _held_with(outcome, "classification", "brief.docx/word/document.xml"), outcome.excerpts()


def test_multipart_mixed_inside_form_data_is_opened(gateway):
    inner = "inner-boundary-7f3a"
    mixed = (f"--{inner}\r\nContent-Disposition: file; filename=\"a.txt\"\r\n"
             "Content-Type: text/plain\r\n\r\nlunch menu\r\n"
             f"--{inner}\r\nContent-Disposition: file; filename=\"b.docx\"\r\n"
             "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
             f"{MARKED_DOCX}\r\n--{inner}--\r\n")
    outer = "outer-boundary-19c2"
    body = (f"--{outer}\r\nContent-Disposition: form-data; name=\"files\"\r\n"
            f"Content-Type: multipart/mixed; boundary={inner}\r\n\r\n{mixed}\r\n"
            f"--{outer}--\r\n").encode()
    outcome = gateway.icap(body, f"multipart/form-data; boundary={outer}")
    assert _held_with(outcome, "classification", "b.docx/word/document.xml"), outcome.excerpts()


@pytest.mark.parametrize("charset", ["utf-16", "UTF-16LE", "utf-16be"])
def test_urlencoded_form_in_utf16_is_read_in_its_charset(gateway, tmp_path, charset):
    codec = {"utf-16": "utf-16", "UTF-16LE": "utf-16-le", "utf-16be": "utf-16-be"}[charset]
    value = urllib.parse.quote_from_bytes(f"{BANNER} minutes".encode(codec))
    body = f"_charset_={charset}&subject={value}".encode()
    path = tmp_path / "form"
    path.write_bytes(body)
    outcome = gateway.upload("-H", "Content-Type: application/x-www-form-urlencoded",
                             "--data-binary", f"@{path}")
    assert _held_with(outcome, "classification", "upload:form[subject]"), outcome.excerpts()


def test_xml_element_holding_base64_is_decoded(gateway):
    body = (f"<?xml version=\"1.0\"?><Envelope><Body><Upload><Name>r.docx</Name>"
            f"<Content>{MARKED_DOCX}</Content></Upload></Body></Envelope>").encode()
    outcome = gateway.icap(body, "application/soap+xml")
    assert _held_with(outcome, "classification", "#base64"), outcome.excerpts()


def test_ordinary_form_passes(gateway):
    assert not gateway.upload("-F", "name=Alice", "-F", "comment=See you at 10:00 in room 4B").held


# -- mail -------------------------------------------------------------------------------------


def test_base64_docx_pasted_into_a_mail_body_is_held(gateway):
    wrapped = "\n".join(MARKED_DOCX[i:i + 76] for i in range(0, len(MARKED_DOCX), 76))
    outcome = gateway.mail(_text_mail(f"Here it is, decode it on your side:\n\n{wrapped}\n\nA."))
    assert _held_with(outcome, "classification", "#base64[1]/word/document.xml"), outcome.excerpts()


# Numbered lines of one letter, as Postfix's smtp-source sends (a quarter of a megabyte).
FILLER = "".join(f"{i % 10}" + "X" * 77 + "\n" for i in range(3_200))


def test_base64_docx_written_straight_after_filler_lines_is_held(gateway):
    # No blank line between: filler and value are one run of base64 characters.
    wrapped = "\n".join(MARKED_DOCX[i:i + 76] for i in range(0, len(MARKED_DOCX), 76))
    outcome = gateway.mail(_text_mail(f"{FILLER}{wrapped}\n"))
    assert _held_with(outcome, "classification", "#base64[1]/word/document.xml"), outcome.excerpts()


def test_a_marking_after_filler_lines_and_a_long_stretch_of_one_letter_is_held(gateway):
    outcome = gateway.mail(_text_mail(f"{FILLER}{'X' * 300_000}\n{BANNER}\nthe plan\n"))
    assert outcome.held and "classification" in {h["category"] for h in outcome.hits}, outcome.excerpts()
    assert not _held_with(outcome, "policy", "#base64"), outcome.excerpts()


def test_filler_lines_alone_pass(gateway):
    assert not gateway.mail(_text_mail(FILLER)).held


def test_data_url_in_a_mail_body_is_held(gateway):
    url = "data:text/plain;base64," + base64.b64encode(f"{BANNER}\nthe plan".encode()).decode()
    outcome = gateway.mail(_text_mail(f"open this in your browser: {url}"))
    assert _held_with(outcome, "classification", "#data-url[1]"), outcome.excerpts()


def test_mail_with_a_pgp_signature_and_a_certificate_passes(gateway):
    signature = base64.encodebytes(bytes(range(256)) * 2).decode()
    certificate = base64.encodebytes(bytes(reversed(range(256))) * 6).decode()
    body = ("Hi Bob, the meeting is at ten.\n\n-----BEGIN PGP SIGNATURE-----\n\n"
            f"{signature}-----END PGP SIGNATURE-----\n\nMy certificate:\n"
            f"-----BEGIN CERTIFICATE-----\n{certificate}-----END CERTIFICATE-----\n")
    outcome = gateway.mail(_text_mail(body, "meeting"))
    assert not outcome.held, outcome.excerpts()
