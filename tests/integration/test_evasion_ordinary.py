"""A marked or encrypted document dressed as one of the ordinary files Redline lets pass
(bench/ordinary_files.py): the dress must not carry it out. Each attempt goes through the
real listeners (a mail over SMTP, an upload through the HTTP proxy with curl) and must be
held; the ordinary shape itself passes.

An armour label with no base64 after it names the format (shared-mime-info's mime.cache
keeps "-----BEGIN PGP MESSAGE-----" among its magic strings): an armoured message is
still held as encrypted, with a line of text or another label between its label and its
base64. A binary table of magic strings that libmagic calls SVG (shared-mime-info's
mime/magic) is read as binary, not parsed as XML: a marked SVG behind such a header is
held for its marking. A table whose type column repeats a few names ("np.float32",
numpy's validation sets) is not encoded data for that; base85 or base32 in the columns
is. "Secret-key encryption" in a feature list is cryptography, and a level beside it is
still a marking. A font's name table is read as text and its tables of numbers (outlines,
hinting programs) by every rule but the personal-data ones: a marking or a staff list
of Social Security numbers in its name table, a table of its own or as text in a hinting
program is held; the ordinary font passes. A forwarded body half decoded (QP escapes on a
line with umlauts) is read, not failed: it passes, and a marking in its escapes is held.
An HTML mail with Word's manual line break written as "&#11;" is read, not failed: it
passes, and a marking beside such a break is held. A mail whose charset is written RFC
2231's way ("charset*=utf-8''utf-8") over an 8-bit body, and one whose attachment's
"filename*=" holds raw 8-bit characters, are read, not failed: they pass, and a marking
in either is held. A file name in raw UTF-8, or raw in the charset the mail's body
declares (GBK), keeps its characters: a marking in it is held.
An Impress deck passes; the same deck with a comment on a slide (which Impress saves in
LibreOffice's own namespace, not ODF's) is held as a draft under review, as a commented
Writer document or PowerPoint deck is. A workbook whose recorded changes are still pending
(Calc's change list in an .ods, a shared workbook's revision log in an .xlsx) is held as a
draft, as a Word document with tracked changes is; with its changes accepted it passes.
"""

from __future__ import annotations

import base64
import random
import subprocess
from email.message import EmailMessage
from pathlib import Path

import pytest
from fixtures.fonts import dejavu, ssn_roster, ssn_text
from fixtures.locales import HEADER, ctype_class, i18n_ctype
from fixtures.office import (
    make_odp,
    make_ods,
    make_small_xlsx,
    make_two_paragraph_docx,
    patch_zip,
    with_impress_comment,
    with_revision_log,
    with_sheet_change,
)
from fixtures.validation_sets import validation_set, words_in_rows
from integration.listeners_harness import Listeners, Outcome
from integration.test_evasion import _text_mail

MARKED = make_two_paragraph_docx("TOP SECRET//NOFORN")


@pytest.fixture(scope="module")
def gateway(tmp_path_factory):
    server = Listeners(tmp_path_factory.mktemp("ordinary"))
    yield server
    server.close()


def _held_for_marking(outcome: Outcome) -> bool:
    return outcome.held and any(hit["category"] == "classification" for hit in outcome.hits)


def _encrypted(outcome: Outcome) -> bool:
    return outcome.held and any(hit["rule"] == "extract.encrypted" for hit in outcome.hits)


def _upload(gateway: Listeners, data: bytes, name: str, media_type: str, tmp_path: Path) -> Outcome:
    path = tmp_path / name
    path.write_bytes(data)
    return gateway.upload("-F", f"file=@{path};type={media_type}")


# -- armour labels: a message is a label with base64 after it ---------------------------------

LABELS = (b"-----BEGIN PGP MESSAGE-----", b"-----BEGIN PGP PUBLIC KEY BLOCK-----",
          b"-----BEGIN PGP PRIVATE KEY BLOCK-----", b"-----BEGIN PGP SIGNATURE-----")


def _magic_strings(extra: bytes = b"") -> bytes:
    """A binary index of MIME types and their magic strings, as shared-mime-info's
    mime.cache keeps them: a header of offsets, then NUL-terminated strings, 4-aligned."""
    rng = random.Random(5)
    strings = [b"application/pgp-encrypted", *LABELS, b"application/pgp-keys",
               b"application/pgp-signature", b"image/png", b"\x89PNG", b"application/pdf",
               b"%PDF-", b"text/x-python", b"#!/usr/bin/python", extra]
    body = bytearray(b"\x00\x01\x00\x02" + b"".join(rng.getrandbits(16).to_bytes(4, "big")
                                                      for _ in range(12)))
    for string in strings * 8:
        body += string + b"\x00" * (4 - len(string) % 4)
    return bytes(body)


@pytest.fixture(scope="module")
def pgp_message(tmp_path_factory) -> str:
    if subprocess.run(["gpg", "--version"], capture_output=True).returncode != 0:
        pytest.skip("gpg not installed (apt-get install gnupg)")
    home = tmp_path_factory.mktemp("gnupg")
    try:
        return subprocess.run(
            ["gpg", "--batch", "--homedir", str(home), "--passphrase", "x", "--symmetric",
             "--armor", "--pinentry-mode", "loopback", "-o", "-"],
            input=b"the figures\n", capture_output=True, check=True).stdout.decode()
    finally:
        subprocess.run(["gpgconf", "--homedir", str(home), "--kill", "gpg-agent"], capture_output=True)


def test_index_of_armour_labels_passes(gateway, tmp_path):
    outcome = _upload(gateway, _magic_strings(), "mime.cache", "application/octet-stream", tmp_path)
    assert not outcome.held, outcome.excerpts()


def _after_label(message: str, line: str) -> str:
    return message.replace("-----\n\n", f"-----\n{line}\n\n", 1)


ARMOUR_DRESS = {
    "a line of text after the label": lambda m: _after_label(m, "see below"),
    "another label after the label": lambda m: _after_label(m, LABELS[3].decode()),
    "cut off, text after the label": lambda m: _after_label(m, "see below").split("-----END")[0],
}


@pytest.mark.parametrize("kind", list(ARMOUR_DRESS))
def test_armoured_message_behind_text_or_a_label_is_held_as_encrypted(gateway, pgp_message, kind, tmp_path):
    text = "Hi,\n\n" + ARMOUR_DRESS[kind](pgp_message) + "\nAna\n"
    by_mail = gateway.mail(_text_mail(text))
    by_proxy = _upload(gateway, text.encode(), "notes.txt", "text/plain", tmp_path)
    assert _encrypted(by_mail), by_mail.excerpts()
    assert _encrypted(by_proxy), by_proxy.excerpts()


def test_marked_document_among_armour_labels_is_held_for_its_marking(gateway, tmp_path):
    encoded = base64.encodebytes(MARKED)  # base64 in lines, as armour writes it
    data = _magic_strings(b"\n" + LABELS[0] + b"\n" + encoded)
    outcome = _upload(gateway, data, "mime.cache", "application/octet-stream", tmp_path)
    assert _held_for_marking(outcome), outcome.excerpts()


# -- a binary table of magic strings that libmagic calls SVG ----------------------------------

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40">'
       '<text x="4" y="20">{}</text></svg>')


def _magic_table(tail: bytes = b"") -> bytes:
    """shared-mime-info's mime/magic: a header, then "[priority:type]" and "offset=" rules
    whose values are two-byte lengths and the bytes to match."""
    rules = [(50, "image/svg+xml", b"<svg"), (80, "application/pdf", b"%PDF-"),
             (50, "image/png", b"\x89PNG\r\n\x1a\n"), (40, "text/html", b"<html")]
    out = bytearray(b"MIME-Magic\x00\n")
    for priority, name, value in rules * 4:
        out += f"[{priority}:{name}]\n>0=".encode() + len(value).to_bytes(2, "big") + value + b"\n"
    return bytes(out) + tail


def test_magic_table_passes(gateway, tmp_path):
    outcome = _upload(gateway, _magic_table(), "magic", "application/octet-stream", tmp_path)
    assert not outcome.held, outcome.excerpts()


@pytest.mark.parametrize("marking", ["TOP SECRET//NOFORN", "&#84;OP &#83;ECRET//NOFORN"])
def test_marked_svg_behind_a_magic_table_header_is_held_for_its_marking(gateway, marking, tmp_path):
    data = _magic_table(SVG.format(marking).encode())
    for media_type in ("application/octet-stream", "image/svg+xml"):
        outcome = _upload(gateway, data, "drawing.svg", media_type, tmp_path)
        assert _held_for_marking(outcome), outcome.excerpts()


# -- numpy's validation sets: a type column of a few recurring names --------------------------

def _validation_set(rows: int, seed: int = 11) -> str:
    rng = random.Random(seed)
    lines = ["dtype,input,output,ulperrortol", "## +ve denormals ##"]
    for n in range(rows):
        kind = "np.float32" if n < rows // 2 else "np.float64"
        width = 8 if kind == "np.float32" else 16
        lines.append(f"{kind},0x{rng.getrandbits(width * 4):0{width}x},"
                     f"0x{rng.getrandbits(width * 4):0{width}x},{1 + n % 4}")
        if n % 40 == 39:
            lines.append("## near 1.0f ##")
    return "\n".join(lines) + "\n"


def test_validation_set_passes(gateway, tmp_path):
    table = _validation_set(400)
    by_mail = gateway.mail(_text_mail(table))
    by_proxy = _upload(gateway, table.encode(), "umath-validation-set-log.csv", "text/csv", tmp_path)
    assert not by_mail.held, by_mail.excerpts()
    assert not by_proxy.held, by_proxy.excerpts()


def _in_columns(encoded: str, width: int) -> str:
    """``encoded`` cut into the input and output columns of a validation set's rows."""
    cells = [encoded[i:i + width] for i in range(0, len(encoded), width)]
    rows = [f"np.float32,{a},{b},4" for a, b in zip(cells[::2], cells[1::2], strict=False)]
    return "dtype,input,output,ulperrortol\n" + "\n".join(rows) + "\n"


VALIDATION_DRESS = {
    "base85 in the columns": lambda: _in_columns(base64.b85encode(MARKED).decode(), 10),
    "base32 in the columns": lambda: _in_columns(base64.b32encode(MARKED).decode().rstrip("="), 8),
    "base85 as the type names": lambda: "\n".join(
        f"np.{chunk},0x3f800000,0x00000000,4" for chunk in
        (base64.b85encode(MARKED).decode()[i:i + 12] for i in range(0, len(base64.b85encode(MARKED)), 12))),
}


@pytest.mark.parametrize("kind", list(VALIDATION_DRESS))
def test_document_encoded_in_a_validation_set_is_held(gateway, kind, tmp_path):
    table = VALIDATION_DRESS[kind]()
    by_mail = gateway.mail(_text_mail(table))
    by_proxy = _upload(gateway, table.encode(), "umath-validation-set-log.csv", "text/csv", tmp_path)
    assert by_mail.held, by_mail.excerpts()
    assert by_proxy.held, by_proxy.excerpts()


# -- a library's feature list: secret-key cryptography ----------------------------------------

FEATURES = ("Features\n--------\n\n* Digital signatures\n* Secret-key encryption\n"
            "* Public-key encryption\n* Hashing and message authentication\n")


def test_feature_list_naming_secret_key_encryption_passes(gateway):
    outcome = gateway.mail(_text_mail(FEATURES))
    assert not outcome.held, outcome.excerpts()


@pytest.mark.parametrize("text", [
    FEATURES.replace("* Secret-key encryption", "SECRET\n* Secret-key encryption"),
    FEATURES.replace("* Secret-key encryption", "* Secret-key encryption SECRET//NOFORN"),
    FEATURES.replace("* Secret-key encryption", "SECRET - key personnel"),
])
def test_level_beside_secret_key_encryption_is_held(gateway, text):
    outcome = gateway.mail(_text_mail(text))
    assert _held_for_marking(outcome), outcome.excerpts()


# -- a forwarded body half decoded: QP escapes beside the characters QP would have escaped ----


def _half_decoded(text: str) -> str:
    escaped = "".join(f"={byte:02X}" for byte in text.encode())
    return f"Grüße aus Köln, anbei die Notiz von gestern: {escaped} — schöne Grüße, Jörg\n"


def test_half_decoded_forward_passes(gateway):
    outcome = gateway.mail(_text_mail(_half_decoded("Mittagessen am Freitag um zwölf")))
    assert not outcome.held, outcome.excerpts()


def test_marking_in_a_half_decoded_forward_is_held_for_its_marking(gateway):
    outcome = gateway.mail(_text_mail(_half_decoded("\nGEHEIM\nAmtlich geheim gehalten.\n")))
    assert _held_for_marking(outcome), outcome.excerpts()


# -- Word's manual line break in an HTML mail: "&#11;" ------------------------------------


def _word_html_mail(line: str) -> bytes:
    html = ("<html><body><div class=WordSection1><p class=MsoNormal>Hallo Jörg,&#11;"
            f"{line}&#11;Viele Grüße, Anna</p></div></body></html>")
    return ("From: alice@example.org\r\nTo: bob@partner.test\r\nSubject: notes\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n"
            "Content-Transfer-Encoding: 8bit\r\n\r\n" + html + "\r\n").encode()


def test_html_mail_with_words_manual_line_break_passes(gateway):
    outcome = gateway.mail(_word_html_mail("anbei die Agenda für Freitag."))
    assert not outcome.held, outcome.excerpts()


def test_marking_beside_words_manual_line_break_is_held_for_its_marking(gateway):
    outcome = gateway.mail(_word_html_mail("TOP SECRET//NOFORN"))
    assert _held_for_marking(outcome), outcome.excerpts()


# -- odd RFC 2231 parameters: a charset written "charset*=", a raw 8-bit "filename*=" ------


def _rfc2231_charset_mail(body: str) -> bytes:
    return ("From: alice@example.org\r\nTo: bob@partner.test\r\nSubject: notes\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset*=utf-8''utf-8\r\n"
            f"Content-Transfer-Encoding: 8bit\r\n\r\nGrüße aus Köln,\r\n{body}\r\n").encode()


def _raw_filename_mail(content: str) -> bytes:
    return ("From: alice@example.org\r\nTo: bob@partner.test\r\nSubject: notes\r\n"
            "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\nAnbei die Notiz.\r\n--XX\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "Content-Disposition: attachment; filename*=utf-8''Notiz_Köln.txt\r\n\r\n"
            f"{content}\r\n--XX--\r\n").encode()


def test_charset_written_the_rfc2231_way_passes(gateway):
    outcome = gateway.mail(_rfc2231_charset_mail("die Agenda für Freitag folgt."))
    assert not outcome.held, outcome.excerpts()


def test_marking_under_a_charset_written_the_rfc2231_way_is_held_for_its_marking(gateway):
    outcome = gateway.mail(_rfc2231_charset_mail("TOP SECRET//NOFORN"))
    assert _held_for_marking(outcome), outcome.excerpts()


def test_attachment_with_raw_8bit_rfc2231_file_name_passes(gateway):
    outcome = gateway.mail(_raw_filename_mail("Mittagessen am Freitag um zwölf."))
    assert not outcome.held, outcome.excerpts()


def test_marking_in_an_attachment_with_raw_8bit_rfc2231_file_name_is_held(gateway):
    outcome = gateway.mail(_raw_filename_mail("TOP SECRET//NOFORN"))
    assert _held_for_marking(outcome), outcome.excerpts()


def _raw_utf8_name_mail(name: str) -> bytes:
    # A quoted file name in raw UTF-8 (RFC 6532), as phone and webmail clients write it.
    return ("From: alice@example.org\r\nTo: bob@partner.test\r\nSubject: notes\r\n"
            "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n请查收附件。\r\n--XX\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            f'Content-Disposition: attachment; filename="{name}"\r\n\r\n'
            "周五中午十二点聚餐。\r\n--XX--\r\n").encode()


def test_attachment_with_a_raw_utf8_file_name_passes(gateway):
    outcome = gateway.mail(_raw_utf8_name_mail("会议纪要.txt"))
    assert not outcome.held, outcome.excerpts()


def test_marking_in_a_raw_utf8_file_name_is_held_for_its_marking(gateway):
    # Each raw byte of the name used to be read as U+FFFD, so the marking was lost.
    outcome = gateway.mail(_raw_utf8_name_mail("机密-会议纪要.txt"))
    assert _held_for_marking(outcome), outcome.excerpts()


def _gbk_mail(name: str) -> bytes:
    # Subject and file name in raw GBK, which only the body declares (a client set to a
    # Chinese locale); a guess from a few bytes read such a name as Korean.
    return (b"From: alice@example.org\r\nTo: bob@partner.test\r\nSubject: "
            + "会议通知".encode("gbk") + b"\r\nMIME-Version: 1.0\r\n"
            b"Content-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\n"
            b"Content-Type: text/plain; charset=gb2312\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            + "请查收附件。".encode("gbk") + b"\r\n--XX\r\n"
            b"Content-Type: application/octet-stream\r\n"
            b'Content-Disposition: attachment; filename="' + name.encode("gbk") + b'"\r\n\r\n'
            + "周五中午十二点聚餐。".encode("gbk") + b"\r\n--XX--\r\n")


def test_attachment_with_a_raw_gbk_file_name_passes(gateway):
    outcome = gateway.mail(_gbk_mail("会议纪要.txt"))
    assert not outcome.held, outcome.excerpts()


def test_marking_in_a_raw_gbk_file_name_is_held_for_its_marking(gateway):
    outcome = gateway.mail(_gbk_mail("机密文件.txt"))
    assert _held_for_marking(outcome), outcome.excerpts()


# -- an Impress deck with a slide comment (officeooo:annotation) --------------------------------

QUARTERLY_DECK = make_odp("Quarterly review", "Revenue rose 4.2% in the third quarter.",
                          "Thank the warehouse team.")


def _deck_mail(deck: bytes) -> EmailMessage:
    message = _text_mail("The slides for Thursday, as agreed.", "slides")
    message.add_attachment(deck, maintype="application",
                           subtype="vnd.oasis.opendocument.presentation", filename="review.odp")
    return message


def test_impress_deck_passes(gateway):
    outcome = gateway.mail(_deck_mail(QUARTERLY_DECK))
    assert not outcome.held, outcome.excerpts()


def test_impress_deck_with_a_slide_comment_is_held_as_a_draft(gateway):
    outcome = gateway.mail(_deck_mail(with_impress_comment(QUARTERLY_DECK)))
    assert outcome.held and "draft.comments" in outcome.rules(), outcome.excerpts()


# -- a workbook with recorded changes (Calc's change list, an xlsx revision log) ---------------

STOCK_XLSX = make_small_xlsx("Pallets in stock")
# make_ods's workbook with its markings swapped for ordinary words.
BUDGET_ODS = patch_zip(make_ods(), {
    "content.xml": lambda xml: xml.replace(b"TOP SECRET", b"North").replace(
        "Annex 机密".encode(), b"Annex"),
    "styles.xml": lambda xml: xml.replace("DIFUSIÓN LIMITADA".encode(), b"Page 1")})


def _workbook_mails(accepted: bool) -> list[EmailMessage]:
    out = []
    state = "accepted" if accepted else "pending"
    for data, name in ((with_revision_log(STOCK_XLSX, accepted=accepted), "stock.xlsx"),
                       (with_sheet_change(BUDGET_ODS, state=state), "budget.ods")):
        message = _text_mail("The stock list for Thursday.", "stock")
        message.add_attachment(data, maintype="application", subtype="octet-stream",
                               filename=name)
        out.append(message)
    return out


def test_workbook_with_its_recorded_changes_accepted_passes(gateway):
    for message in _workbook_mails(accepted=True):
        outcome = gateway.mail(message)
        assert not outcome.held, outcome.excerpts()


def test_workbook_with_a_pending_recorded_change_is_held_as_a_draft(gateway):
    for message in _workbook_mails(accepted=False):
        outcome = gateway.mail(message)
        assert outcome.held and "draft.tracked_changes" in outcome.rules(), outcome.excerpts()


# -- LibreOffice's own templates: an OpenOffice.org 1 manifest, styles without content --------

OOO1_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE manifest:manifest PUBLIC '
    '"-//OpenOffice.org//DTD Manifest 1.0//EN" "Manifest.dtd">\n<manifest:manifest>\n'
    ' <manifest:file-entry manifest:media-type="application/vnd.oasis.opendocument.text-template"'
    ' manifest:full-path="/"/>\n{}</manifest:manifest>\n')
ENTRY = ' <manifest:file-entry manifest:media-type="text/xml" manifest:full-path="{}"/>\n'
ENCRYPTED_ENTRY = (
    ' <manifest:file-entry manifest:media-type="text/xml" manifest:full-path="content.xml"'
    ' manifest:size="1200"><manifest:encryption-data manifest:checksum-type="SHA1/1K"'
    ' manifest:checksum="AAAA"><manifest:algorithm manifest:algorithm-name="Blowfish CFB"'
    ' manifest:initialisation-vector="AAAA"/></manifest:encryption-data></manifest:file-entry>\n')


def _template(header: str, with_content: bool, manifest_entries: str | None = None) -> bytes:
    """An .ott as LibreOffice ships its wizard and style templates: a DTD manifest with no
    namespace declaration, styles.xml with a master page, content.xml or not."""
    import io
    import zipfile

    from fixtures.office import _master_page, _odf_bytes
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    _master_page(document, header, "page")
    document.text.addElement(P(text="Dear reader,"))
    source = zipfile.ZipFile(io.BytesIO(_odf_bytes(document)))
    names = ["styles.xml", "meta.xml"] + (["content.xml"] if with_content else [])
    if manifest_entries is None:
        manifest_entries = "".join(ENTRY.format(name) for name in names)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.text-template",
                         compress_type=zipfile.ZIP_STORED)
        package.writestr("META-INF/manifest.xml", OOO1_MANIFEST.format(manifest_entries))
        for name in names:
            package.writestr(name, source.read(name), compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


TEMPLATE = "application/vnd.oasis.opendocument.text-template"


@pytest.mark.parametrize("with_content", [True, False], ids=["wizard template", "styles only"])
def test_libreoffice_template_passes(gateway, with_content, tmp_path):
    data = _template("Company letterhead", with_content)
    outcome = _upload(gateway, data, "letter.ott", TEMPLATE, tmp_path)
    assert not outcome.held, outcome.excerpts()


@pytest.mark.parametrize("with_content", [True, False], ids=["wizard template", "styles only"])
def test_marked_template_is_held_for_its_marking(gateway, with_content, tmp_path):
    data = _template("TOP SECRET//NOFORN", with_content)
    outcome = _upload(gateway, data, "letter.ott", TEMPLATE, tmp_path)
    assert _held_for_marking(outcome), outcome.excerpts()


def test_template_whose_undeclared_manifest_lists_encrypted_content_is_held_as_encrypted(gateway, tmp_path):
    data = _template("page header", True, manifest_entries=ENCRYPTED_ENTRY)
    outcome = _upload(gateway, data, "letter.ott", TEMPLATE, tmp_path)
    assert _encrypted(outcome), outcome.excerpts()


# -- X11's error database: CamelCase identifiers are words joined -----------------------------

def _error_database(names: list[str]) -> str:
    """XErrorDB's lines: "XRequest.<extension>.<n>: <request name>" and error names."""
    return "".join(f"XRequest.{name[:8]}.{n}: {name}\nXProtoError.{name}: Bad{name}\n"
                   for n, name in enumerate(names))


CAMEL = [f"{a}{b}{c}" for a in ("XF86Vid", "GLX", "Xag", "XPrint", "Sync")
         for b in ("Get", "Set", "Query", "Create", "Destroy", "Change")
         for c in ("ModeLine", "Gamma", "ViewPort", "Context", "Drawable", "Version", "Attributes")]


def test_error_database_of_camel_case_names_passes(gateway, tmp_path):
    text = _error_database(CAMEL)
    by_mail = gateway.mail(_text_mail(text))
    by_proxy = _upload(gateway, text.encode(), "XErrorDB", "application/octet-stream", tmp_path)
    assert not by_mail.held, by_mail.excerpts()
    assert not by_proxy.held, by_proxy.excerpts()


@pytest.mark.parametrize("encode", [base64.b85encode, base64.a85encode], ids=["base85", "ascii85"])
def test_document_encoded_as_error_names_is_held(gateway, encode, tmp_path):
    encoded = encode(MARKED).decode()
    names = [f"XF86Vid{encoded[i:i + 16]}" for i in range(0, len(encoded), 16)]
    text = _error_database(names)
    by_mail = gateway.mail(_text_mail(text))
    by_proxy = _upload(gateway, text.encode(), "XErrorDB", "application/octet-stream", tmp_path)
    assert by_mail.held, by_mail.excerpts()
    assert by_proxy.held, by_proxy.excerpts()


# -- fonts: the name table is text, the number tables' digits are no identifiers --------------


def _font_mail(font: bytes) -> EmailMessage:
    message = _text_mail("The font for the brochure, as agreed.", "font")
    message.add_attachment(font, maintype="font", subtype="ttf", filename="DejaVuSans-Oblique.ttf")
    return message


def _us_ssn(outcome: Outcome) -> bool:
    return outcome.held and "personal.us_ssn" in outcome.rules()


def test_an_ordinary_font_whose_hinting_reads_as_digits_passes(gateway):
    assert not gateway.mail(_font_mail(dejavu())).held


def test_a_marking_in_a_fonts_name_table_is_held(gateway):
    font = dejavu(names={10: "TOP SECRET//NOFORN\nOperation plan, annex B: order of battle."})
    assert _held_for_marking(gateway.mail(_font_mail(font)))


def test_social_security_numbers_in_a_fonts_licence_are_held(gateway):
    assert _us_ssn(gateway.mail(_font_mail(dejavu(names={13: ssn_text()}))))


def test_social_security_numbers_as_a_fonts_hinting_program_are_held(gateway):
    # A table that holds numbers in an ordinary font, filled with a staff list's lines.
    font = dejavu(tables={"fpgm": ssn_text().encode()})
    assert _us_ssn(gateway.mail(_font_mail(font)))


def test_social_security_numbers_in_a_table_of_its_own_are_held(gateway, tmp_path):
    font = dejavu(tables={"Zdat": ssn_text().encode("utf-16-be")})
    assert _us_ssn(gateway.mail(_font_mail(font)))
    assert _us_ssn(_upload(gateway, font, "DejaVuSans-Oblique.ttf", "font/ttf", tmp_path))


def test_a_short_marking_in_a_fonts_hinting_program_is_held(gateway, tmp_path):
    font = dejavu(tables={"prep": b"\xb0\x01TOP SECRET//NOFORN\x00\x4b\xb0"})
    assert _held_for_marking(gateway.mail(_font_mail(font)))
    assert _held_for_marking(_upload(gateway, font, "DejaVuSans-Oblique.ttf", "font/ttf", tmp_path))


@pytest.mark.xfail(reason="runs shorter than a line of text in a font's number tables are not "
                   "read by the personal-data rules: each number alone between binary bytes is "
                   "read as the digits of a hinting program", strict=True)
def test_social_security_numbers_one_per_binary_run_in_a_hinting_program_are_held(gateway):
    raw = b"".join(b"\x00\xb0" + ssn.encode() for _, ssn in ssn_roster())
    font = dejavu(names={10: "Employee SSN list"}, tables={"fpgm": raw})
    assert _us_ssn(gateway.mail(_font_mail(font)))


# -- glibc's character classes past the BMP (i18n_ctype): code points in rising order ---------

def _ctype_outcomes(gateway: Listeners, text: str, tmp_path: Path) -> tuple[Outcome, Outcome]:
    return (gateway.mail(_text_mail(text)),
            _upload(gateway, text.encode(), "i18n_ctype", "application/octet-stream", tmp_path))


def test_character_classes_of_the_supplementary_planes_pass(gateway, tmp_path):
    for outcome in _ctype_outcomes(gateway, i18n_ctype(), tmp_path):
        assert not outcome.held, outcome.excerpts()


def test_marked_document_as_code_points_of_a_character_class_is_held(gateway, tmp_path):
    # The document's bytes two at a time as supplementary code points: in no order.
    words = [int.from_bytes(MARKED[i:i + 2], "big") for i in range(0, len(MARKED) - 1, 2)]
    text = HEADER + ctype_class("upper", [(0x10000 + w, 0x10000 + w) for w in words])
    for outcome in _ctype_outcomes(gateway, text, tmp_path):
        assert outcome.held, outcome.excerpts()


def test_marking_as_code_points_in_a_character_class_is_held_for_it(gateway, tmp_path):
    marking = "".join(f"<U{ord(c):04X}>" for c in "TOP SECRET//NOFORN")
    text = i18n_ctype().replace("upper /\n", f"upper /\n   {marking};/\n", 1)
    for outcome in _ctype_outcomes(gateway, text, tmp_path):
        assert _held_for_marking(outcome), outcome.excerpts()


# -- numpy's validation sets over 16 KiB decoded: float bit patterns are figures -------------

NOISE = random.Random(23).randbytes(40_000)  # a deflated or encrypted document's bytes


def _validation_outcomes(gateway: Listeners, text: str, tmp_path: Path) -> tuple[Outcome, Outcome]:
    return (gateway.mail(_text_mail(text)),
            _upload(gateway, text.encode(), "umath-validation-set-arccos.csv", "text/csv", tmp_path))


def test_validation_set_of_a_functions_values_passes(gateway, tmp_path):
    for outcome in _validation_outcomes(gateway, validation_set(), tmp_path):
        assert not outcome.held, outcome.excerpts()


@pytest.mark.parametrize("inputs", [False, True], ids=["every column", "output column"])
def test_file_bytes_as_the_words_of_a_validation_set_are_held(gateway, inputs, tmp_path):
    text = words_in_rows(NOISE[:20_000] if inputs else NOISE, inputs=inputs)
    for outcome in _validation_outcomes(gateway, text, tmp_path):
        assert outcome.held, outcome.excerpts()


def test_marked_document_as_the_words_of_a_validation_set_is_held_for_its_marking(gateway, tmp_path):
    for outcome in _validation_outcomes(gateway, words_in_rows(MARKED), tmp_path):
        assert _held_for_marking(outcome), outcome.excerpts()
