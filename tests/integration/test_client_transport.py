"""Shapes real clients give a file in, sent through the real listeners (curl through the HTTP
proxy, a raw ICAP client, smtplib to the SMTP listener):

- an upload whose file is one form field, percent-encoded: ``curl --data-urlencode
  name@file`` writes it so, and a server's form parser hands the application the bytes;
- a file as a JavaScript "binary string" (FileReader.readAsBinaryString, ``atob``): one
  character per byte, sent in JSON (JSON.stringify) or in a form (encodeURIComponent);
- compressed S/MIME (``application/pkcs7-mime; smime-type=compressed-data``, smime.p7z,
  RFC 3274), a zlib stream of the MIME entity, as S/MIME libraries and AS2 software write it.

Each marked file is held for its marking; each clean twin passes, and the mail is relayed
byte for byte as the client sent it."""

from __future__ import annotations

import json
import re
import smtplib
import urllib.parse
import uuid

import pytest
from fixtures.tnef import docx_with_footer
from integration.listeners_harness import Listeners, Outcome
from integration.smtp_harness import strip_trace

from tests.fixtures import smime

BODY = "The evaluation panel met on 2 December and scored the four bids."
DOCX = {True: docx_with_footer(BODY, "TOP SECRET//NOFORN"),
        False: docx_with_footer(BODY, "Procurement team - page 1")}


@pytest.fixture(scope="module")
def gateway(tmp_path_factory):
    server = Listeners(tmp_path_factory.mktemp("client-transport"))
    yield server
    server.close()


def _held_for_marking(outcome: Outcome) -> bool:
    return outcome.held and any(hit["category"] == "classification" for hit in outcome.hits)


def _binary_string(data: bytes) -> str:
    """What FileReader.readAsBinaryString gives a script: one character per byte."""
    return data.decode("latin-1")


def _posted(tmp_path, data: bytes) -> str:
    path = tmp_path / f"body-{uuid.uuid4().hex[:8]}"
    path.write_bytes(data)
    return f"@{path}"


# -- uploads ------------------------------------------------------------------------------------

def _curl_data_urlencode(gateway: Listeners, tmp_path, marked: bool) -> Outcome:
    path = tmp_path / "bids.docx"
    path.write_bytes(DOCX[marked])
    return gateway.upload("--data-urlencode", "title=Bids summary", "--data-urlencode", f"file@{path}")


def _binary_string_bodies(data: bytes) -> dict[str, tuple[str, bytes]]:
    text = _binary_string(data)
    return {
        # JSON.stringify escapes the control characters and sends the rest as UTF-8.
        "json": ("application/json", json.dumps({"name": "bids.docx", "data": text},
                                                ensure_ascii=False).encode("utf-8")),
        "json (ASCII escapes)": ("application/json",
                                 json.dumps({"name": "bids.docx", "data": text}).encode()),
        # encodeURIComponent percent-encodes the UTF-8 of each character.
        "form": ("application/x-www-form-urlencoded",
                 b"name=bids.docx&data=" + urllib.parse.quote(text, safe="").encode()),
    }


def test_file_sent_with_curl_data_urlencode_is_held_for_its_marking(gateway, tmp_path):
    outcome = _curl_data_urlencode(gateway, tmp_path, marked=True)
    assert _held_for_marking(outcome), outcome.hits
    assert any(hit["where"].startswith("upload:form[file]:bytes/word/") for hit in outcome.hits)


def test_clean_file_sent_with_curl_data_urlencode_passes_unchanged(gateway, tmp_path):
    before = len(gateway.origin.bodies)
    assert not _curl_data_urlencode(gateway, tmp_path, marked=False).held
    sent = gateway.origin.bodies[before:]
    assert sent and urllib.parse.parse_qs(sent[-1].decode(), encoding="latin-1")["file"] == [
        _binary_string(DOCX[False])]


@pytest.mark.parametrize("shape", list(_binary_string_bodies(b"")))
def test_file_as_a_binary_string_is_held_for_its_marking(gateway, tmp_path, shape):
    ctype, body = _binary_string_bodies(DOCX[True])[shape]
    outcome = gateway.upload("-H", f"Content-Type: {ctype}", "--data-binary", _posted(tmp_path, body))
    assert _held_for_marking(outcome), outcome.hits


@pytest.mark.parametrize("shape", list(_binary_string_bodies(b"")))
def test_clean_file_as_a_binary_string_passes(gateway, tmp_path, shape):
    ctype, body = _binary_string_bodies(DOCX[False])[shape]
    before = len(gateway.origin.bodies)
    assert not gateway.upload("-H", f"Content-Type: {ctype}", "--data-binary", _posted(tmp_path, body)).held
    assert gateway.origin.bodies[before:] == [body]


def test_file_as_a_binary_string_through_icap_is_held_for_its_marking(gateway):
    ctype, body = _binary_string_bodies(DOCX[True])["json"]
    assert _held_for_marking(gateway.icap(body, ctype))


def test_clean_file_as_a_binary_string_through_icap_passes(gateway):
    ctype, body = _binary_string_bodies(DOCX[False])["json"]
    assert not gateway.icap(body, ctype).held


@pytest.mark.parametrize(("ctype", "body"), [
    # An old site's form in windows-1252 with no _charset_: bytes that are no UTF-8.
    ("application/x-www-form-urlencoded", b"comment=Caf%E9+cr%E8me+br%FBl%E9e+for+the+team+lunch%3F"),
    ("application/json", json.dumps({"comment": "Café crème brûlée – ¿para el almuerzo?"}).encode()),
    ("application/json", json.dumps({"token": "ab\u0001cd", "emoji": "🙂"}).encode()),
])
def test_ordinary_accented_and_legacy_text_fields_pass(gateway, tmp_path, ctype, body):
    assert not gateway.upload("-H", f"Content-Type: {ctype}", "--data-binary", _posted(tmp_path, body)).held


# -- mail -----------------------------------------------------------------------------------------

def _compressed_mail(marked: bool) -> bytes:
    """Outlook-like headers over smime.p7z: CompressedData of a multipart/mixed with a docx."""
    import base64

    boundary = "----=_Part_inner_7f3a"
    entity = (f'Content-Type: multipart/mixed; boundary="{boundary}"\r\n\r\n--{boundary}\r\n'
              "Content-Type: text/plain; charset=us-ascii\r\n\r\nBids summary attached.\r\n"
              f"--{boundary}\r\nContent-Type: application/vnd.openxmlformats-officedocument."
              'wordprocessingml.document; name="bids.docx"\r\n'
              'Content-Disposition: attachment; filename="bids.docx"\r\n'
              "Content-Transfer-Encoding: base64\r\n\r\n").encode()
    entity += base64.encodebytes(DOCX[marked]).replace(b"\n", b"\r\n") + f"--{boundary}--\r\n".encode()
    der = smime.compressed(entity)
    return (b"From: Alice Moreno <alice@example.org>\r\nTo: Bob Chen <bob@partner.test>\r\n"
            b"Subject: Bids summary (compressed)\r\nMIME-Version: 1.0\r\n"
            b'Content-Type: application/pkcs7-mime; smime-type=compressed-data; name="smime.p7z"\r\n'
            b'Content-Disposition: attachment; filename="smime.p7z"\r\n'
            b"Content-Transfer-Encoding: base64\r\n\r\n"
            + base64.encodebytes(der).replace(b"\n", b"\r\n"))


def test_compressed_smime_mail_is_held_for_the_marking_inside(gateway):
    outcome = gateway.mail(_compressed_mail(marked=True))
    assert _held_for_marking(outcome), outcome.hits
    assert "extract.encrypted" not in outcome.rules()
    assert any("smime.p7z/smime-content/attachment[2]:bids.docx/word/footer" in hit["where"]
               for hit in outcome.hits)


def test_clean_compressed_smime_mail_is_relayed_byte_for_byte(gateway):
    tag = uuid.uuid4().hex[:12]
    data = _compressed_mail(marked=False).replace(b"(compressed)", f"(compressed) [{tag}]".encode())
    before = len(gateway.upstream.messages)
    with smtplib.SMTP("127.0.0.1", gateway.ports["smtp"], timeout=30) as client:
        client.sendmail("alice@example.org", ["bob@partner.test"], data)
    delivered = [m for m in gateway.upstream.messages[before:] if tag.encode() in m.content]
    assert len(delivered) == 1 and gateway.held_item(tag) is None
    assert re.sub(rb"\r\n$", b"", strip_trace(delivered[0].content)) == re.sub(rb"\r\n$", b"", data)
