"""Outbound mail shaped as real clients and programs emit it, a marked and a clean variant
of each shape: Outlook (TNEF, RTF, a forwarded .msg), Apple Mail, Thunderbird, Gmail web,
phones, list software, calendar invitations, scan-to-mail printers, S/MIME and PGP/MIME,
and SMTPUTF8 mail. Built byte by byte from the published descriptions of those formats
(MS-OXTNEF, MS-OXMSG, RFC 2045-2047, 2231, 3156, 3676, 5545, 6531, 8551) and the headers
those programs write, not from Redline's rules: the markings are what a real document of
the kind carries (a banner, a footer, a draft watermark, a subject prefix).

``CASES`` lists them with the verdict expected: ``held`` for every marked variant and for
encrypted mail (which Redline cannot read and its docs say it holds), ``passed`` for clean
ones. ``python -m tests.corpus_clients.cases DIR`` writes them as .eml files.
"""

from __future__ import annotations

import base64
import io
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

CRLF = "\r\n"


def b64(data: bytes, width: int = 76) -> str:
    """Base64 in lines of ``width`` characters (76 per RFC 2045; phones and scripts vary)."""
    text = base64.b64encode(data).decode("ascii")
    return CRLF.join(text[i:i + width] for i in range(0, len(text), width))


def eml(headers: list[str], body: str) -> bytes:
    """Headers and body joined with CRLF, as a client hands them to its submission server."""
    return (CRLF.join(headers) + CRLF + CRLF + body + CRLF).encode("utf-8", "surrogateescape")


def attach(ctype: str, disposition: str, data: bytes, *, width: int = 76) -> list[str]:
    """A base64 leaf: its headers, a blank line, the encoded lines."""
    return [f"Content-Type: {ctype}", f"Content-Disposition: {disposition}",
            "Content-Transfer-Encoding: base64", "", b64(data, width)]


def multipart(boundary: str, parts: list[list[str]], preamble: str = "") -> str:
    """A multipart body: each part's lines between boundary lines."""
    out = [preamble] if preamble else []
    for part in parts:
        out += [f"--{boundary}", *part]
    out.append(f"--{boundary}--")
    return CRLF.join(out)


def text_leaf(text: str, ctype: str = "text/plain; charset=utf-8", cte: str = "7bit") -> list[str]:
    return [f"Content-Type: {ctype}", f"Content-Transfer-Encoding: {cte}", "", text]


# -- documents the mails carry ----------------------------------------------------------------


def docx(paragraphs: list[str], *, header: str = "", footer: str = "") -> bytes:
    """A Word document (python-docx) with a page header and footer as Word writes them."""
    import docx as python_docx

    document = python_docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if header:
        document.sections[0].header.paragraphs[0].text = header
    if footer:
        document.sections[0].footer.paragraphs[0].text = footer
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def text_pdf(lines: list[str], *, top: str = "", bottom: str = "") -> bytes:
    """A one-page PDF with a text layer (reportlab), a line at the page's top and bottom."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    width, height = A4
    if top:
        c.setFont("Helvetica-Bold", 11)
        c.drawCentredString(width / 2, height - 36, top)
    if bottom:
        c.setFont("Helvetica-Bold", 11)
        c.drawCentredString(width / 2, 30, bottom)
    c.setFont("Helvetica", 11)
    y = height - 100
    for line in lines:
        c.drawString(72, y, line)
        y -= 16
    c.showPage()
    c.save()
    return out.getvalue()


MEMO = ["Project Kestrel: supplier shortlist", "",
        "The evaluation panel met on 2 December and scored the four bids.",
        "Northwind Freight ranked first on price and second on delivery.",
        "The panel recommends opening negotiations with the two leading bidders."]


def page_image(lines: list[str], banner: str):
    """A printed A4 page at 150 dpi as a scanner or a phone camera sees it."""
    from tests.fixtures import images

    return images.text_page(lines[2:], banner=banner, title=lines[0])


# -- Outlook ------------------------------------------------------------------------------------


def outlook_headers(subject: str, ctype: str, extra: tuple[str, ...] = ()) -> list[str]:
    return ["From: Alice Moreno <alice@example.org>", "To: Bob Chen <bob@partner.test>",
            f"Subject: {subject}", "Thread-Topic: " + subject,
            "Thread-Index: AdrHc2VhbGljZW1vcmVubzEyMzQ1Njc4OTA=",
            "Date: Thu, 3 Dec 2026 09:14:22 +0000",
            "Message-ID: <DB9PR08MB6523A1B2C3D4E5F6@DB9PR08MB6523.eurprd08.prod.outlook.com>",
            "Accept-Language: en-GB, en-US", "Content-Language: en-GB",
            "X-MS-Has-Attach: yes", "X-MS-TNEF-Correlator: <DB9PR08MB6523A1B2@eurprd08>",
            *extra, "MIME-Version: 1.0", f"Content-Type: {ctype}"]


def _tnef_mail(subject: str, tnef: bytes, text: str) -> bytes:
    boundary = "_000_DB9PR08MB6523A1B2C3D4E5F6DB9PR08MB6523eurp_"
    body = multipart(boundary, [
        text_leaf(text, "text/plain; charset=\"us-ascii\"", "quoted-printable"),
        attach("application/ms-tnef; name=\"winmail.dat\"", "attachment; filename=\"winmail.dat\"",
               tnef)])
    return eml(outlook_headers(subject, f"multipart/mixed;{CRLF}\tboundary=\"{boundary}\""), body)


def outlook_tnef_attachment(marked: bool) -> bytes:
    """Outlook in Rich Text mode to an external address: the Word file travels inside
    winmail.dat (attAttachData), not as a MIME part of its own."""
    from tests.fixtures import tnef

    doc = docx(MEMO[2:], header="Kestrel evaluation",
               footer="COMMERCIAL IN CONFIDENCE" if marked else "Procurement team - page 1")
    stream = tnef.winmail(subject="Shortlist", body="Shortlist attached.",
                          attachments=[("Kestrel shortlist.docx", doc)])
    return _tnef_mail("Shortlist", stream, "Shortlist attached.")


def outlook_tnef_rtf_body(marked: bool) -> bytes:
    """Outlook's Rich Text body: compressed RTF (PR_RTF_COMPRESSED) inside winmail.dat;
    the plain-text part beside it is Outlook's short rendering, without the banner line."""
    from tests.fixtures import tnef

    banner = r"{\b SECRET - UK EYES ONLY}\par " if marked else r"{\b Kestrel evaluation}\par "
    rtf = (r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss Calibri;}}\viewkind4\uc1\pard\f0\fs22 "
           + banner + r"\par ".join(MEMO[2:]) + r"\par }")
    stream = tnef.winmail(subject="Kestrel", rtf=rtf)
    return _tnef_mail("Kestrel", stream, "See below.")


def outlook_rtf_attachment(marked: bool) -> bytes:
    """A Word .rtf attached by Outlook, labelled application/msword as Windows maps .rtf."""
    head = r"{\header\pard\qc\b DRAFT - NOT FOR CIRCULATION\par}" if marked else ""
    rtf = (r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\froman Times New Roman;}}" + head
           + r"\pard\f0\fs24 " + r"\par ".join(MEMO) + r"\par}").encode("cp1252")
    boundary = "_004_AM0PR04MB4195C8D1E2F3A4B5AM0PR04MB4195eurp_"
    body = multipart(boundary, [
        text_leaf("Hi Bob,=0D=0A=0D=0AComments welcome by Friday.=0D=0A=0D=0AAlice",
                  "text/plain; charset=\"us-ascii\"", "quoted-printable"),
        attach("application/msword; name=\"Kestrel note.rtf\"",
               "attachment; filename=\"Kestrel note.rtf\"; size=" + str(len(rtf)), rtf)])
    return eml(outlook_headers("Kestrel note", f"multipart/mixed;{CRLF}\tboundary=\"{boundary}\""), body)


def outlook_msg_forward(marked: bool) -> bytes:
    """Outlook's "Forward as Attachment": the item goes as an .msg (application/vnd.ms-outlook),
    a compound file whose body and own attachment must both be read."""
    from tests.fixtures import legacy

    inner_doc = docx(MEMO[2:], footer="Internal only" if not marked else "Company Confidential")
    item = legacy.outlook_msg(subject="FW: Kestrel bids", body="Bob, the bids summary is attached.",
                              attachments=[("Kestrel bids.docx", inner_doc)])
    boundary = "_002_VI1PR08MB5325F1E2D3C4B5A6VI1PR08MB5325eurp_"
    body = multipart(boundary, [
        text_leaf("Forwarding as discussed.", "text/plain; charset=\"us-ascii\"", "quoted-printable"),
        attach("application/vnd.ms-outlook; name=\"FW Kestrel bids.msg\"",
               "attachment; filename=\"FW Kestrel bids.msg\"", item)])
    return eml(outlook_headers("FW: Kestrel bids", f"multipart/mixed;{CRLF}\tboundary=\"{boundary}\""), body)


# -- Apple Mail ---------------------------------------------------------------------------------


def apple_headers(subject: str, ctype: str) -> list[str]:
    return ["From: Alice Moreno <alice@example.org>", f"Content-Type: {ctype}",
            "Mime-Version: 1.0 (Mac OS X Mail 16.0 \\(3774.600.62\\))", f"Subject: {subject}",
            "Message-Id: <5F3A1C2E-9B7D-4E61-A0C4-2D8E7F1B3A90@example.org>",
            "Date: Thu, 3 Dec 2026 10:02:11 +0100", "To: Bob Chen <bob@partner.test>",
            "X-Mailer: Apple Mail (2.3774.600.62)"]


def apple_inline_between_text(marked: bool) -> bytes:
    """Apple Mail puts a dropped-in PDF inline where it was placed: text, the PDF, more text,
    all in multipart/mixed."""
    pdf = text_pdf(MEMO, top="CONFIDENTIAL" if marked else "", bottom="Page 1 of 1")
    boundary = "Apple-Mail=_7C9E2B1A-3D4F-4A5B-8C6D-1E2F3A4B5C6D"
    body = multipart(boundary, [
        text_leaf("Hi Bob,\r\n\r\nHere is the summary:\r\n", "text/plain;\r\n\tcharset=us-ascii"),
        ["Content-Disposition: inline;", "\tfilename=Kestrel.pdf",
         "Content-Type: application/pdf;", "\tx-unix-mode=0644;", "\tname=\"Kestrel.pdf\"",
         "Content-Transfer-Encoding: base64", "", b64(pdf)],
        text_leaf("\r\nSpeak tomorrow,\r\nAlice\r\n", "text/plain;\r\n\tcharset=us-ascii")])
    return eml(apple_headers("Kestrel summary", f"multipart/mixed;{CRLF}\tboundary=\"{boundary}\""), body)


def apple_rfc2231_utf8_name(marked: bool) -> bytes:
    """A long non-ASCII file name in RFC 2231 continuations with UTF-8 percent-escapes,
    as Apple Mail folds it; the marking is in the document's header."""
    name = "Übersicht Lieferanten – Kestrel Ausschreibung 2027.docx"
    doc = docx(MEMO[2:], header="VERTRAULICH" if marked else "Einkauf")
    escaped = "".join(c if c.isascii() and c.isalnum() else "".join(f"%{b:02X}" for b in c.encode())
                      for c in name)
    pieces = [escaped[i:i + 40] for i in range(0, len(escaped), 40)]
    last = len(pieces) - 1
    params = [f"\tfilename*{i}*={'utf-8' + chr(39) * 2 if i == 0 else ''}{p}" + (";" if i < last else "")
              for i, p in enumerate(pieces)]
    boundary = "Apple-Mail=_0A1B2C3D-4E5F-6071-8293-A4B5C6D7E8F9"
    body = multipart(boundary, [
        text_leaf("Anbei die Übersicht.\r\n", "text/plain;\r\n\tcharset=utf-8", "8bit"),
        ["Content-Disposition: attachment;", *params,
         "Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document;",
         "\tx-unix-mode=0644;", "\tname*0*=utf-8''" + pieces[0] + ";",
         *[f"\tname*{i}*={p}" + (";" if i < len(pieces) - 1 else "") for i, p in enumerate(pieces) if i],
         "Content-Transfer-Encoding: base64", "", b64(doc)]])
    return eml(apple_headers("Übersicht", f"multipart/mixed;{CRLF}\tboundary=\"{boundary}\""), body)


def apple_octet_unix_mode(marked: bool) -> bytes:
    """A Markdown file with no registered type: application/octet-stream with x-unix-mode."""
    notes = ("# Kestrel bid notes\n\n" + ("**Status: DRAFT - do not forward**\n\n" if marked else "")
             + "\n".join(f"- {line}" for line in MEMO[2:]) + "\n").encode()
    boundary = "Apple-Mail=_11223344-5566-7788-99AA-BBCCDDEEFF00"
    body = multipart(boundary, [
        text_leaf("Notes attached.\r\n", "text/plain;\r\n\tcharset=us-ascii"),
        ["Content-Disposition: attachment;", "\tfilename=bid-notes.md",
         "Content-Type: application/octet-stream;", "\tx-unix-mode=0644;", "\tname=\"bid-notes.md\"",
         "Content-Transfer-Encoding: 7bit", "", notes.decode().replace("\n", CRLF)]])
    return eml(apple_headers("bid notes", f"multipart/mixed;{CRLF}\tboundary=\"{boundary}\""), body)


# -- Thunderbird --------------------------------------------------------------------------------


def tb_headers(subject: str, ctype: str) -> list[str]:
    return ["Message-ID: <4e1f2a3b-5c6d-7e8f-9a0b-1c2d3e4f5a6b@example.org>",
            "Date: Thu, 3 Dec 2026 11:20:05 +0000", "MIME-Version: 1.0",
            "User-Agent: Mozilla Thunderbird", "Content-Language: en-GB",
            "To: Bob Chen <bob@partner.test>", "From: Alice Moreno <alice@example.org>",
            f"Subject: {subject}", f"Content-Type: {ctype}"]


def thunderbird_flowed(marked: bool) -> bytes:
    """A format=flowed reply (RFC 3676): the quoted original keeps its "> " prefix and its
    soft line breaks (a space before the line end); the original's banner line is quoted."""
    quoted = (["> OFFICIAL-SENSITIVE", ">"] if marked else []) + [
        "> The panel met on 2 December and scored the four bids; Northwind ",
        "> Freight ranked first on price and second on delivery. The panel ",
        "> recommends opening negotiations with the two leading bidders."]
    body = CRLF.join(["Thanks Carol, agreed. I will draft the letters.", "",
                      "On 02/12/2026 16:00, Carol Diaz wrote:", *quoted, "", "-- ", "Alice"])
    headers = tb_headers("Re: panel scores", "text/plain; charset=UTF-8; format=flowed")
    return eml([*headers, "Content-Transfer-Encoding: 7bit"], body)


def thunderbird_forward_inline(marked: bool) -> bytes:
    """Thunderbird's "Forward Inline" of a message with an attachment keeps the original as
    message/rfc822, disposition inline; the marking is in the inner PDF."""
    pdf = text_pdf(MEMO, top="RESTRICTED" if marked else "", bottom="Kestrel")
    inner_boundary = "------------A1B2C3D4E5F6A7B8C9D0E1F2"
    inner = eml(["Message-ID: <9f8e7d6c@partner.test>", "Date: Wed, 2 Dec 2026 16:00:00 +0000",
                 "MIME-Version: 1.0", "From: Carol Diaz <carol@example.org>",
                 "To: Alice Moreno <alice@example.org>", "Subject: panel scores",
                 f"Content-Type: multipart/mixed; boundary=\"{inner_boundary}\""],
                multipart(inner_boundary, [
                    text_leaf("Scores attached.", "text/plain; charset=UTF-8; format=flowed"),
                    attach("application/pdf; name=\"scores.pdf\"", "attachment; filename=\"scores.pdf\"",
                           pdf)], "This is a multi-part message in MIME format.")).decode()
    boundary = "------------0F1E2D3C4B5A69788796A5B4"
    body = multipart(boundary, [
        text_leaf("See Carol's message below.", "text/plain; charset=UTF-8; format=flowed"),
        ["Content-Type: message/rfc822; name=\"panel scores.eml\"",
         "Content-Disposition: inline; filename=\"panel scores.eml\"", "", inner]],
        "This is a multi-part message in MIME format.")
    return eml(tb_headers("Fwd: panel scores", f"multipart/mixed; boundary=\"{boundary}\""), body)


# -- Gmail web --------------------------------------------------------------------------------


def gmail_headers(subject: str, ctype: str) -> list[str]:
    return ["MIME-Version: 1.0", "Date: Thu, 3 Dec 2026 12:40:31 +0000",
            "Message-ID: <CAF1x2y3z4A5b6C7d8E9f0G1h2I3j4K5l6M7n8O9p0Q@mail.gmail.com>",
            f"Subject: {subject}", "From: Alice Moreno <alice@example.org>",
            "To: Bob Chen <bob@partner.test>", f"Content-Type: {ctype}"]


def gmail_alternative_encoded_name(marked: bool) -> bytes:
    """Gmail: multipart/alternative (text and HTML) inside multipart/mixed, the attachment's
    non-ASCII file name as an RFC 2047 encoded-word inside the quoted parameter."""
    name = "Évaluation fournisseurs.pdf"
    word = "=?UTF-8?B?" + base64.b64encode(name.encode()).decode() + "?="
    pdf = text_pdf(MEMO, top="", bottom="DIFFUSION RESTREINTE" if marked else "Service achats")
    outer, alt = "000000000000a1b2c3060d9f1e2a", "000000000000a1b2bf060d9f1e28"
    alternative = multipart(alt, [
        text_leaf("Bonjour Bob,\r\n\r\nCi-joint l'évaluation.\r\n", "text/plain; charset=\"UTF-8\"",
                  "quoted-printable"),
        text_leaf("<div dir=\"ltr\">Bonjour Bob,<div><br></div><div>Ci-joint l'évaluation.</div></div>",
                  "text/html; charset=\"UTF-8\"", "quoted-printable")])
    body = multipart(outer, [
        [f"Content-Type: multipart/alternative; boundary=\"{alt}\"", "", alternative],
        [f"Content-Type: application/pdf; name=\"{word}\"",
         f"Content-Disposition: attachment; filename=\"{word}\"", "Content-Transfer-Encoding: base64",
         "Content-ID: <f_lq1w2e3r0>", "X-Attachment-Id: f_lq1w2e3r0", "", b64(pdf)]])
    return eml(gmail_headers("Évaluation", f"multipart/mixed; boundary=\"{outer}\""), body)


def gmail_drive_link(marked: bool) -> bytes:
    """A Google Drive share from Gmail: no attachment, the document's title and a link in
    the HTML chip and the plain text."""
    title = "Kestrel award recommendation - CONFIDENTIAL" if marked else "Kestrel award recommendation"
    url = "https://docs.google.com/document/d/1aB2cD3eF4gH5iJ6kL7mN8oP9qR0sT1uV2wX3yZ4/edit?usp=drive_web"
    alt = "000000000000c4d5e6060d9f2b3c"
    body = multipart(alt, [
        text_leaf(f"Here is the document:\r\n\r\n{title}\r\n<{url}>\r\n", "text/plain; charset=\"UTF-8\""),
        text_leaf(f"<div dir=\"ltr\">Here is the document:<div><br></div><div><a href=\"{url}\" "
                  "class=\"gmail-chip\" style=\"display:inline-block\"><img src=\"https://ssl.gstatic.com/"
                  f"docs/doclist/images/icon_11_document_list.png\"><span>{title}</span></a></div></div>",
                  "text/html; charset=\"UTF-8\"")])
    return eml(gmail_headers("Kestrel award", f"multipart/alternative; boundary=\"{alt}\""), body)


# -- phones -----------------------------------------------------------------------------------


def _photo_page(marked: bool) -> object:
    return page_image(MEMO, "SECRET" if marked else "")


def ios_heic_photo(marked: bool) -> bytes:
    """iPhone Mail sending a photo of a printed page straight from Photos: image/heic."""
    import pillow_heif
    from PIL import Image

    from tests.fixtures import images

    pillow_heif.register_heif_opener()
    jpeg = images.photographed(_photo_page(marked))
    out = io.BytesIO()
    Image.open(io.BytesIO(jpeg)).save(out, "HEIF", quality=70)
    boundary = "Apple-Mail-8E7D6C5B-4A39-2817-0605-F4E3D2C1B0A9"
    body = multipart(boundary, [
        text_leaf("\r\n", "text/plain;\r\n\tcharset=us-ascii"),
        ["Content-Type: image/heic;", "\tname=IMG_4821.HEIC", "Content-Disposition: attachment;",
         "\tfilename=IMG_4821.HEIC", "Content-Transfer-Encoding: base64", "", b64(out.getvalue())],
        text_leaf("\r\nSent from my iPhone", "text/plain;\r\n\tcharset=us-ascii")])
    headers = ["Content-Type: multipart/mixed; boundary=" + boundary, "Content-Transfer-Encoding: 7bit",
               "From: Alice Moreno <alice@example.org>", "Mime-Version: 1.0 (1.0)",
               "Date: Thu, 3 Dec 2026 13:05:44 +0000", "Subject: page", "Message-Id: <A1B2@example.org>",
               "To: Bob Chen <bob@partner.test>", "X-Mailer: iPhone Mail (21G93)"]
    return eml(headers, body)


def android_jpeg_odd_lines(marked: bool) -> bytes:
    """An Android mail app's JPEG of a printed page, base64 wrapped at 64 characters (as
    some Android stacks do) instead of 76."""
    from tests.fixtures import images

    jpeg = images.photographed(_photo_page(marked), seed=4, angle=-2.0)
    boundary = "--_com.android.email_2387461239874612"
    body = multipart(boundary, [
        [*text_leaf("", "text/plain; charset=utf-8", "base64")[:3], b64(b"Photo of the summary page\r\n")],
        attach("image/jpeg; name=\"20261203_130912.jpg\"",
               "attachment; filename=\"20261203_130912.jpg\"; size=" + str(len(jpeg)), jpeg, width=64)])
    headers = ["MIME-Version: 1.0", "Subject: summary page", "From: alice@example.org",
               "To: bob@partner.test", "Date: Thu, 3 Dec 2026 13:09:12 +0000",
               "Message-ID: <o1p2q3r4s5t6.6.1701608952@email.android.com>",
               f"Content-Type: multipart/mixed; boundary=\"{boundary}\""]
    return eml(headers, body)


def android_docx_ragged_lines(marked: bool) -> bytes:
    """Base64 in lines of uneven lengths (a script re-wrapping at its own buffer size)."""
    doc = docx(MEMO[2:], footer="PROPRIETARY AND CONFIDENTIAL" if marked else "Procurement")
    text = base64.b64encode(doc).decode()
    rng = random.Random(7)
    lines, i = [], 0
    while i < len(text):
        step = rng.choice([4, 60, 72, 76, 100, 128])
        lines.append(text[i:i + step])
        i += step
    boundary = "==boundary-7f3e1d=="
    body = multipart(boundary, [
        text_leaf("Attached."),
        ["Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document; "
         "name=\"bids.docx\"", "Content-Disposition: attachment; filename=\"bids.docx\"",
         "Content-Transfer-Encoding: base64", "", CRLF.join(lines)]])
    headers = ["MIME-Version: 1.0", "Subject: bids", "From: alice@example.org", "To: bob@partner.test",
               f"Content-Type: multipart/mixed; boundary=\"{boundary}\""]
    return eml(headers, body)


# -- list software ------------------------------------------------------------------------------


def mailman_footer(marked: bool) -> bytes:
    """Mailman 3 turning a plain post into multipart/mixed with its footer as a part of its
    own; the marking is the poster's, at the top of the original text."""
    original = (("OFFICIAL-SENSITIVE\r\n\r\n" if marked else "")
                + "The panel scores are below.\r\n\r\n" + CRLF.join(MEMO[2:]) + "\r\n")
    footer = ("_______________________________________________\r\n"
              "kestrel-panel mailing list -- kestrel-panel@lists.example.org\r\n"
              "To unsubscribe send an email to kestrel-panel-leave@lists.example.org\r\n")
    boundary = "===============4837562198374652193=="
    body = multipart(boundary, [text_leaf(original, "text/plain; charset=\"us-ascii\""),
                                ["Content-Type: text/plain; charset=\"us-ascii\"", "MIME-Version: 1.0",
                                 "Content-Transfer-Encoding: 7bit", "Content-Disposition: inline", "",
                                 footer]])
    headers = ["From: Alice Moreno <alice@example.org>", "To: kestrel-panel@lists.example.org",
               "Subject: [kestrel-panel] scores", "List-Id: <kestrel-panel.lists.example.org>",
               "List-Unsubscribe: <mailto:kestrel-panel-leave@lists.example.org>",
               "List-Post: <mailto:kestrel-panel@lists.example.org>", "Precedence: list",
               "MIME-Version: 1.0", f"Content-Type: multipart/mixed; boundary=\"{boundary}\""]
    return eml(headers, body)


def listserv_footer_plain(marked: bool) -> bytes:
    """A list server appending its footer to a single text/plain part (quoted-printable)."""
    text = ("Draft for comment - not for onward distribution\r\n\r\n" if marked else "") + \
        "Minutes of the panel meeting:\r\n" + CRLF.join(MEMO[2:]) + \
        "\r\n\r\n########################################################################\r\n" \
        "To unsubscribe from the PANEL-L list, click the following link:\r\n" \
        "https://lists.example.org/cgi-bin/wa?SUBED1=PANEL-L&A=1\r\n"
    headers = ["From: Alice Moreno <alice@example.org>", "To: PANEL-L@lists.example.org",
               "Subject: minutes", "Sender: Panel list <PANEL-L@lists.example.org>",
               "MIME-Version: 1.0", "Content-Type: text/plain; charset=\"us-ascii\"",
               "Content-Transfer-Encoding: 7bit"]
    return eml(headers, text)


# -- calendar --------------------------------------------------------------------------------


def ical_fold(line: str) -> str:
    raw = line.encode()
    out = [raw[:75]]
    raw = raw[75:]
    while raw:
        out.append(raw[:74])
        raw = raw[74:]
    return "\r\n ".join(p.decode("utf-8", "ignore") for p in out)


def invite_attach(marked: bool) -> bytes:
    """An invitation (METHOD:REQUEST) with the briefing pack inline in the event:
    ATTACH;ENCODING=BASE64;VALUE=BINARY (RFC 5545 3.8.1.1) and a DESCRIPTION."""
    pack = docx(MEMO[2:], header="SECRET" if marked else "Panel briefing")
    lines = ["BEGIN:VCALENDAR", "PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN",
             "VERSION:2.0", "METHOD:REQUEST", "BEGIN:VEVENT",
             "ORGANIZER;CN=Alice Moreno:mailto:alice@example.org",
             "ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=TRUE;CN=Bob Chen:mailto:bob@partner.test",
             "DESCRIPTION;LANGUAGE=en-GB:Briefing before the award decision. The pack is attached.\\n",
             "UID:040000008200E00074C5B7101A82E0080000000010D2A3B4C5D6E701000000000000000",
             "SUMMARY;LANGUAGE=en-GB:Kestrel briefing", "DTSTART:20261208T100000Z",
             "DTEND:20261208T110000Z", "DTSTAMP:20261203T090000Z", "SEQUENCE:0",
             "ATTACH;ENCODING=BASE64;VALUE=BINARY;FMTTYPE=application/vnd.openxmlformats-officedoc"
             "ument.wordprocessingml.document;X-FILENAME=briefing.docx:"
             + base64.b64encode(pack).decode(),
             "END:VEVENT", "END:VCALENDAR"]
    ics = CRLF.join(ical_fold(line) for line in lines)
    alt = "_000_AM6PR04MB5927A0B1C2D3E4F5AM6PR04MB5927eurp_"
    body = multipart(alt, [
        text_leaf("Briefing before the award decision. The pack is attached.",
                  "text/plain; charset=\"us-ascii\"", "quoted-printable"),
        ["Content-Type: text/calendar; charset=\"utf-8\"; method=REQUEST",
         "Content-Transfer-Encoding: base64", "", b64(ics.encode())]])
    return eml(outlook_headers("Kestrel briefing", f"multipart/alternative;{CRLF}\tboundary=\"{alt}\""),
               body)


# -- scan to mail ---------------------------------------------------------------------------


def _scan_mail(headers: list[str], name: str, ctype: str, data: bytes, text: str) -> bytes:
    boundary = "=_Part_scan_20261203141500"
    leaf = attach(f"{ctype}; name=\"{name}\"", f"attachment; filename=\"{name}\"", data)
    body = multipart(boundary, [text_leaf(text, "text/plain; charset=US-ASCII"), leaf])
    return eml([*headers, f"Content-Type: multipart/mixed; boundary=\"{boundary}\""], body)


def ricoh_scan_pdf(marked: bool) -> bytes:
    """A Ricoh MFP's Scan to Email: one image-only PDF page, no text layer."""
    from tests.fixtures import images

    page = images.scanned(page_image(MEMO, "CONFIDENTIAL" if marked else ""))
    pdf = images.image_pdf([page])
    headers = ["From: scanner@example.org", "To: bob@partner.test", "Subject: Scan Data from MP C3004",
               "Date: Thu, 3 Dec 2026 14:15:00 +0000", "MIME-Version: 1.0",
               "X-Mailer: RICOH MP C3004 (1.12)", "Message-ID: <20261203141500.00000042@scanner>"]
    return _scan_mail(headers, "20261203141500.pdf", "application/pdf", pdf,
                      "Scan Data from MP C3004\r\nDevice Name: MP C3004\r\nFile Format: PDF\r\n")


def canon_scan_pdf(marked: bool) -> bytes:
    """A Canon imageRUNNER ADVANCE's Send to E-mail, scanned in colour: image-only PDF."""
    from tests.fixtures import images

    page = images.scanned(page_image(MEMO, "DRAFT" if marked else ""), seed=3).convert("RGB")
    pdf = images.image_pdf([page])
    headers = ["From: iR-ADV C5535 <canon-mfp@example.org>", "To: bob@partner.test",
               "Subject: Attached Image", "Date: Thu, 3 Dec 2026 14:20:00 +0000", "MIME-Version: 1.0",
               "X-Mailer: Canon imageRUNNER ADVANCE C5535"]
    return _scan_mail(headers, "Scan_0001.pdf", "application/pdf", pdf, "Attached Image\r\n")


def xerox_scan_tiff(marked: bool) -> bytes:
    """A Xerox WorkCentre's Email of a page as a single-page TIFF (CCITT G4, 1 bit)."""
    from tests.fixtures import images

    page = images.scanned(page_image(MEMO, "COMPANY CONFIDENTIAL" if marked else ""), seed=5)
    bilevel = page.point(lambda v: 255 if v > 150 else 0).convert("1")
    tiff = images.encode(bilevel, "TIFF", compression="group4", dpi=(150, 150))
    headers = ["From: WorkCentre 7855 <xerox@example.org>", "To: bob@partner.test",
               "Subject: Scan from a Xerox WorkCentre", "Date: Thu, 3 Dec 2026 14:25:00 +0000",
               "MIME-Version: 1.0", "X-Mailer: Xerox WorkCentre 7855"]
    return _scan_mail(headers, "img-203142500-0001.tif", "image/tiff", tiff,
                      "Please open the attached document. It was scanned and sent to you using a Xerox "
                      "multifunction printer.\r\n")


# -- S/MIME and PGP/MIME ----------------------------------------------------------------------


def smime_signed(marked: bool) -> bytes:
    """Outlook's S/MIME signed mail: multipart/signed with a detached pkcs7 signature over a
    multipart/mixed carrying a Word document. Signing hides nothing: the content is read."""
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.serialization import pkcs7

    from tests.fixtures import smime

    doc = docx(MEMO[2:], footer="OFFICIAL-SENSITIVE COMMERCIAL" if marked else "Procurement")
    boundary = "_005_inner_signed_mixed_"
    entity = eml([f"Content-Type: multipart/mixed; boundary=\"{boundary}\""], multipart(boundary, [
        text_leaf("Signed copy of the bids summary attached.", "text/plain; charset=\"us-ascii\""),
        attach("application/vnd.openxmlformats-officedocument.wordprocessingml.document; "
               "name=\"bids.docx\"", "attachment; filename=\"bids.docx\"", doc)]))
    cert, key = smime.identity()
    signature = pkcs7.PKCS7SignatureBuilder().set_data(entity).add_signer(cert, key, hashes.SHA256()) \
        .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature])
    outer = "----=_NextPart_000_0012_01DB4A2B.3C4D5E60"
    body = CRLF.join(["This is a multipart message in MIME format.", "", f"--{outer}",
                      entity.decode().removesuffix(CRLF), f"--{outer}",
                      "Content-Type: application/pkcs7-signature; name=\"smime.p7s\"",
                      "Content-Transfer-Encoding: base64",
                      "Content-Disposition: attachment; filename=\"smime.p7s\"", "", b64(signature),
                      f"--{outer}--"])
    headers = outlook_headers("bids summary (signed)", f"multipart/signed;{CRLF}\tprotocol="
                              f"\"application/x-pkcs7-signature\";{CRLF}\tmicalg=sha-256;{CRLF}"
                              f"\tboundary=\"{outer}\"")
    return eml(headers, body)


def smime_encrypted(marked: bool) -> bytes:
    """S/MIME enveloped-data (smime.p7m): nothing inside can be read, marked or not."""
    from tests.fixtures import smime

    inner = smime.entity(("SECRET\r\n" if marked else "") + "\r\n".join(MEMO))
    der = smime.enveloped(inner)
    headers = outlook_headers("Kestrel (encrypted)", "application/pkcs7-mime; smime-type=enveloped-data;"
                              f"{CRLF}\tname=\"smime.p7m\"")
    headers += ["Content-Disposition: attachment; filename=\"smime.p7m\"",
                "Content-Transfer-Encoding: base64"]
    return eml(headers, b64(der))


def _crc24(data: bytes) -> int:
    crc = 0xB704CE
    for byte in data:
        crc ^= byte << 16
        for _ in range(8):
            crc <<= 1
            if crc & 0x1000000:
                crc ^= 0x1864CFB
    return crc & 0xFFFFFF


def _pgp_packet(tag: int, body: bytes) -> bytes:
    """A new-format OpenPGP packet (RFC 4880 4.2) with a five-octet length."""
    return bytes([0xC0 | tag, 0xFF]) + len(body).to_bytes(4, "big") + body


def pgp_mime_encrypted(marked: bool) -> bytes:
    """PGP/MIME (RFC 3156): multipart/encrypted, a version part and an armoured message of a
    public-key session key packet and a symmetrically encrypted integrity-protected packet."""
    rng = random.Random(11 if marked else 12)
    pkesk = _pgp_packet(1, bytes([3]) + rng.randbytes(8) + bytes([1]) + (2048).to_bytes(2, "big")
                        + rng.randbytes(256))
    seipd = _pgp_packet(18, bytes([1]) + rng.randbytes(900 if marked else 700))
    data = pkesk + seipd
    crc = base64.b64encode(_crc24(data).to_bytes(3, "big")).decode()
    armour = CRLF.join(["-----BEGIN PGP MESSAGE-----", "", b64(data, 64), "=" + crc,
                        "-----END PGP MESSAGE-----"])
    boundary = "------------enigE1F2A3B4C5D6E7F8A9B0C1D2"
    body = multipart(boundary, [
        ["Content-Type: application/pgp-encrypted", "Content-Description: PGP/MIME version identification",
         "", "Version: 1"],
        ["Content-Type: application/octet-stream; name=\"encrypted.asc\"",
         "Content-Description: OpenPGP encrypted message",
         "Content-Disposition: inline; filename=\"encrypted.asc\"", "", armour]],
        "This is an OpenPGP/MIME encrypted message (RFC 4880 and 3156)")
    return eml(tb_headers("...", f"multipart/encrypted;{CRLF} protocol=\"application/pgp-encrypted\";"
                                 f"{CRLF} boundary=\"{boundary}\""), body)


# -- internationalised mail ---------------------------------------------------------------------


def smtputf8_headers(marked: bool) -> bytes:
    """RFC 6532 mail sent with SMTPUTF8: raw UTF-8 in addresses and the subject, an 8bit
    body; the marking is the subject's prefix and the body's first line."""
    subject = "Kestrel: Zusammenfassung"
    first = "STRENG VERTRAULICH\r\n\r\n" if marked else ""
    headers = ["From: Jürgen Weiß <jürgen.weiß@example.org>", "To: Zoë Ångström <zoë@partner.test>",
               f"Subject: {'Streng vertraulich: ' if marked else ''}{subject}", "MIME-Version: 1.0",
               "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit"]
    return eml(headers, first + "Grüße aus München. Die Bewertung der Angebote liegt vor; "
                        "Northwind Freight liegt beim Preis vorn.\r\n")


SMTPUTF8_ENVELOPE = ("jürgen.weiß@example.org", ["zoë@partner.test"])


@dataclass(frozen=True)
class Case:
    """One shape of mail from one client, its marked or clean variant, and the verdict."""

    name: str
    client: str
    make: Callable[[bool], bytes]
    expected: dict[str, str]  # variant -> "held" | "passed"
    smtputf8: bool = False

    def build(self, variant: str) -> bytes:
        return self.make(variant == "marked")


HELD_PASSED = {"marked": "held", "clean": "passed"}
ALWAYS_HELD = {"marked": "held", "clean": "held"}

CASES = [
    Case("outlook-tnef-attachment", "Outlook", outlook_tnef_attachment, HELD_PASSED),
    Case("outlook-tnef-rtf-body", "Outlook", outlook_tnef_rtf_body, HELD_PASSED),
    Case("outlook-rtf-as-msword", "Outlook", outlook_rtf_attachment, HELD_PASSED),
    Case("outlook-forward-msg", "Outlook", outlook_msg_forward, HELD_PASSED),
    Case("apple-inline-pdf-between-text", "Apple Mail", apple_inline_between_text, HELD_PASSED),
    Case("apple-rfc2231-utf8-name", "Apple Mail", apple_rfc2231_utf8_name, HELD_PASSED),
    Case("apple-octet-stream-unix-mode", "Apple Mail", apple_octet_unix_mode, HELD_PASSED),
    Case("thunderbird-flowed", "Thunderbird", thunderbird_flowed, HELD_PASSED),
    Case("thunderbird-forward-inline", "Thunderbird", thunderbird_forward_inline, HELD_PASSED),
    Case("gmail-alternative-encoded-name", "Gmail", gmail_alternative_encoded_name, HELD_PASSED),
    Case("gmail-drive-link", "Gmail", gmail_drive_link, HELD_PASSED),
    Case("ios-heic-photo", "iPhone Mail", ios_heic_photo, HELD_PASSED),
    Case("android-jpeg-64-lines", "Android", android_jpeg_odd_lines, HELD_PASSED),
    Case("ragged-base64-docx", "script", android_docx_ragged_lines, HELD_PASSED),
    Case("mailman-footer-part", "Mailman 3", mailman_footer, HELD_PASSED),
    Case("listserv-footer-plain", "LISTSERV", listserv_footer_plain, HELD_PASSED),
    Case("invite-attach-base64", "Outlook", invite_attach, HELD_PASSED),
    Case("ricoh-scan-pdf", "Ricoh MFP", ricoh_scan_pdf, HELD_PASSED),
    Case("canon-scan-pdf", "Canon MFP", canon_scan_pdf, HELD_PASSED),
    Case("xerox-scan-tiff", "Xerox MFP", xerox_scan_tiff, HELD_PASSED),
    Case("smime-signed-mixed", "Outlook", smime_signed, HELD_PASSED),
    Case("smime-encrypted", "Outlook", smime_encrypted, ALWAYS_HELD),
    Case("pgp-mime-encrypted", "Thunderbird", pgp_mime_encrypted, ALWAYS_HELD),
    Case("smtputf8-8bit", "any (RFC 6531)", smtputf8_headers, HELD_PASSED, smtputf8=True),
]


def main(argv: list[str]) -> int:
    """Write every variant as NAME.VARIANT.eml into the folder given."""
    folder = Path(argv[1] if len(argv) > 1 else "client-mail")
    folder.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        for variant in case.expected:
            (folder / f"{case.name}.{variant}.eml").write_bytes(case.build(variant))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
