"""Shapes real clients give a file in, sent through the real listeners (curl through the HTTP
proxy, a raw ICAP client, smtplib to the SMTP listener):

- an upload whose file is one form field, percent-encoded: ``curl --data-urlencode
  name@file`` writes it so, and a server's form parser hands the application the bytes;
- a file posted with `curl --data-binary @file` and no type: curl declares it
  application/x-www-form-urlencoded, and a server that ignores the type stores the file;
- a file as a JavaScript "binary string" (FileReader.readAsBinaryString, ``atob``): one
  character per byte, sent in JSON (JSON.stringify) or in a form (encodeURIComponent);
- a file as a part of a multipart body other than a form: Google Drive's multipart upload
  (multipart/related: JSON metadata, then the file's raw bytes, as the Google API client
  libraries send it), SOAP with an MTOM/XOP attachment, a Google or OData batch
  (multipart/mixed of application/http requests); and a form field with no file name
  (`curl -F "file=<bids.pdf"`);
- styled text (text/enriched, RFC 1896) with an empty command inside a word;
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

from tests.corpus_clients.cases import text_pdf
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


LINES = ["Project Kestrel: supplier shortlist", BODY,
         "The panel recommends opening negotiations with the two leading bidders."]
PDF = {True: text_pdf(LINES, top="SECRET//NOFORN"), False: text_pdf(LINES, top="Kestrel evaluation")}


def _multipart(boundary: str, parts: list[tuple[list[str], bytes]]) -> bytes:
    out = b""
    for headers, data in parts:
        out += f"--{boundary}\r\n".encode() + "".join(h + "\r\n" for h in headers).encode() + b"\r\n"
        out += data + b"\r\n"
    return out + f"--{boundary}--\r\n".encode()


def _drive(pdf: bytes) -> tuple[str, bytes]:
    """Drive v3 ``uploadType=multipart``: metadata, then the media part's raw bytes."""
    metadata = json.dumps({"name": "bids.pdf", "mimeType": "application/pdf"}).encode()
    return "multipart/related; boundary=foo_bar_baz", _multipart("foo_bar_baz", [
        (["Content-Type: application/json; charset=UTF-8"], metadata),
        (["Content-Type: application/pdf", "MIME-Version: 1.0", "Content-Transfer-Encoding: binary"], pdf)])


def _mtom(pdf: bytes) -> tuple[str, bytes]:
    """A SOAP request with its file as an XOP attachment (W3C XOP, MTOM)."""
    envelope = (b'<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body>'
                b'<Upload><Name>bids.pdf</Name><Data><xop:Include xmlns:xop="http://www.w3.org/2004/08/'
                b'xop/include" href="cid:file1@example.net"/></Data></Upload></soap:Body></soap:Envelope>')
    return ('multipart/related; type="application/xop+xml"; start="<root@example.net>"; '
            'start-info="application/soap+xml"; boundary="uuid:0ca0e16e-feb1-426c-97d8-c4508ada5e82"',
            _multipart("uuid:0ca0e16e-feb1-426c-97d8-c4508ada5e82", [
                (['Content-Type: application/xop+xml; charset=UTF-8; type="application/soap+xml"',
                  "Content-Transfer-Encoding: binary", "Content-ID: <root@example.net>"], envelope),
                (["Content-Type: application/octet-stream", "Content-Transfer-Encoding: binary",
                  "Content-ID: <file1@example.net>"], pdf)]))


def _batch(pdf: bytes) -> tuple[str, bytes]:
    """A Google batch request: each item an HTTP request as an application/http part."""
    request = (b"POST /upload/drive/v3/files?uploadType=media HTTP/1.1\r\n"
               b"Content-Type: application/pdf\r\n\r\n" + pdf)
    return "multipart/mixed; boundary=batch_foobarbaz", _multipart("batch_foobarbaz", [
        (["Content-Type: application/http", "Content-ID: <item1:12930812@barnyard.example.com>"], request)])


MULTIPART_UPLOADS = {"drive multipart/related": _drive, "mtom": _mtom, "batch": _batch}


@pytest.mark.parametrize("shape", list(MULTIPART_UPLOADS))
def test_file_in_a_multipart_body_that_is_no_form_is_held_for_its_marking(gateway, tmp_path, shape):
    ctype, body = MULTIPART_UPLOADS[shape](PDF[True])
    outcome = gateway.upload("-H", f"Content-Type: {ctype}", "--data-binary", _posted(tmp_path, body))
    assert _held_for_marking(outcome), outcome.hits


@pytest.mark.parametrize("shape", list(MULTIPART_UPLOADS))
def test_clean_file_in_a_multipart_body_that_is_no_form_passes_unchanged(gateway, tmp_path, shape):
    ctype, body = MULTIPART_UPLOADS[shape](PDF[False])
    before = len(gateway.origin.bodies)
    assert not gateway.upload("-H", f"Content-Type: {ctype}", "--data-binary", _posted(tmp_path, body)).held
    assert gateway.origin.bodies[before:] == [body]


def test_drive_multipart_upload_through_icap_is_held_for_its_marking(gateway):
    ctype, body = _drive(PDF[True])
    assert _held_for_marking(gateway.icap(body, ctype, path="/upload/drive/v3/files?uploadType=multipart"))
    ctype, body = _drive(PDF[False])
    assert not gateway.icap(body, ctype, path="/upload/drive/v3/files?uploadType=multipart").held


@pytest.mark.parametrize("marked", [True, False])
def test_file_as_a_form_field_with_no_file_name_is_read_as_the_file(gateway, tmp_path, marked):
    path = tmp_path / "bids.pdf"
    path.write_bytes(PDF[marked])
    outcome = gateway.upload("-F", "title=Bids", "-F", f"file=<{path}")
    assert _held_for_marking(outcome) if marked else not outcome.held, outcome.hits


RAW_FILES = {"docx": lambda marked: DOCX[marked], "pdf": lambda marked: PDF[marked]}


@pytest.mark.parametrize("gzipped", [False, True])
@pytest.mark.parametrize("kind", list(RAW_FILES))
def test_file_posted_with_curls_default_form_type_is_held_for_its_marking(gateway, tmp_path, kind, gzipped):
    import gzip

    data = RAW_FILES[kind](True)
    coding = ["-H", "Content-Encoding: gzip"] if gzipped else []
    outcome = gateway.upload(*coding, "--data-binary",
                             _posted(tmp_path, gzip.compress(data) if gzipped else data))
    assert _held_for_marking(outcome), outcome.hits
    assert all(hit["where"].startswith("upload:body/") for hit in outcome.hits), outcome.hits


@pytest.mark.parametrize("kind", list(RAW_FILES))
def test_clean_file_posted_with_curls_default_form_type_passes_unchanged(gateway, tmp_path, kind):
    data = RAW_FILES[kind](False)
    before = len(gateway.origin.bodies)
    outcome = gateway.upload("--data-binary", _posted(tmp_path, data))
    assert not outcome.held, outcome.hits
    assert gateway.origin.bodies[before:] == [data]


def test_form_typed_as_is_with_raw_utf8_is_still_read_as_a_form(gateway):
    # curl -d sends what it is given: UTF-8 letters unencoded, as many scripts do.
    assert not gateway.upload("-d", "name=José Müller&comment=¿Qué tal? Ça va, à demain").held
    outcome = gateway.upload("-d", "subject=SECRET//NOFORN – minutes&name=José")
    assert _held_for_marking(outcome)
    assert any(hit["where"] == "upload:form[subject]" for hit in outcome.hits), outcome.hits


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


def _enriched_mail(marked: bool) -> bytes:
    """Apple Mail's and Eudora's styled text (RFC 1896), an empty command inside a word."""
    first = "SE<bold></bold>CRET//NO<italic></italic>FORN" if marked else "Kest<bold></bold>rel bids"
    return ("From: Alice Moreno <alice@example.org>\r\nTo: bob@partner.test\r\nSubject: memo\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/enriched; charset=us-ascii\r\n"
            "Content-Transfer-Encoding: 7bit\r\n\r\n"
            f"<center><bold>{first}</bold></center>\r\n\r\n{BODY}\r\n").encode()


def test_enriched_text_mail_is_read_as_shown_and_held_for_its_marking(gateway):
    outcome = gateway.mail(_enriched_mail(marked=True))
    assert _held_for_marking(outcome), outcome.hits


def test_clean_enriched_text_mail_passes(gateway):
    assert not gateway.mail(_enriched_mail(marked=False)).held
