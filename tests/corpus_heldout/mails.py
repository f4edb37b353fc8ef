"""Mails of the held-out corpus's third round, built byte by byte as clients send them.

Legacy charsets in quoted-printable, base64 and 8bit bodies (KOI8-R, Windows-1251,
ISO-8859-7, Windows-1255, ISO-8859-8 in visual order, Windows-1256, EUC-KR, Shift_JIS,
ISO-2022-JP, GB2312, HZ, Big5, TIS-620, Windows-1258 with combining tone marks,
ISO-8859-2, ISO-8859-9, UTF-16), RFC 2047 subjects split into several encoded words
(between letters and inside a character's bytes), RFC 2231 file names, Outlook's Word
HTML, Gmail's div/br HTML, Apple Mail's HTML, Thunderbird's format=flowed and uuencoded
text, with the header blocks of tests/fixtures/client_mail.py.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import quopri

from tests.fixtures.client_mail import (
    CRLF,
    WORD_HEAD,
    apple_headers,
    b64,
    gmail_headers,
    lines,
    outlook_headers,
    rfc2231,
)


def _qp(data: bytes) -> str:
    return quopri.encodestring(data.replace(b"\r\n", b"\n")).decode("ascii").replace("\n", CRLF)


def _body(text: str, charset: str, cte: str) -> str:
    data = text.replace("\n", CRLF).encode(charset)
    if cte == "base64":
        return b64(data)
    if cte == "quoted-printable":
        return _qp(data)
    return data.decode("latin-1")  # 8bit: the bytes as they are, written back as latin-1


def _bytes(headers: list[str], body: str) -> bytes:
    return (CRLF.join(headers) + CRLF + CRLF + body).encode("latin-1")


def words(text: str, charset: str = "utf-8", cuts: tuple[int, ...] = (), mode: str = "B") -> str:
    """``text`` as RFC 2047 encoded words, cut at the given *byte* offsets (a cut may fall
    inside a character, as some clients do) and folded one word per line."""
    data = text.encode(charset)
    bounds = [0, *cuts, len(data)]
    pieces = []
    for start, end in itertools.pairwise(bounds):
        chunk = data[start:end]
        if mode == "B":
            pieces.append(f"=?{charset}?B?{base64.b64encode(chunk).decode()}?=")
        else:
            encoded = "".join(chr(b) if (48 <= b < 127 and chr(b) not in "=?_") else
                              "_" if b == 32 else f"={b:02X}" for b in chunk)
            pieces.append(f"=?{charset}?Q?{encoded}?=")
    return (CRLF + " ").join(pieces)


def thunderbird_headers(subject: str, ctype: str, cte: str) -> list[str]:
    return ["Message-ID: <5c1e2d3f-6a7b-4c8d-9e0f-1a2b3c4d5e6f@mail.example.cz>",
            "Date: Tue, 3 Jun 2025 08:12:40 +0200", "MIME-Version: 1.0",
            "User-Agent: Mozilla Thunderbird", f"Subject: {subject}", "Content-Language: cs",
            "To: Jana Novakova <jana.novakova@example.cz>", "From: Petr Svoboda <svoboda@example.cz>",
            f"Content-Type: {ctype}", f"Content-Transfer-Encoding: {cte}"]


def plain(subject: str, text: str, charset: str = "utf-8", cte: str = "quoted-printable",
          client: str = "outlook", flowed: bool = False) -> bytes:
    """A one-part text/plain mail as ``client`` writes it; ``subject`` is used as given
    (already encoded when not ASCII)."""
    ctype = f"text/plain; charset=\"{charset}\"" + ("; format=flowed" if flowed else "")
    if client == "thunderbird":
        headers = thunderbird_headers(subject, ctype, cte)
    elif client == "gmail":
        headers = [*gmail_headers(subject, ctype), f"Content-Transfer-Encoding: {cte}"]
    elif client == "apple":
        headers = [h for h in apple_headers(subject, ctype) if not h.startswith("Content-Transfer")]
        headers.append(f"Content-Transfer-Encoding: {cte}")
    else:
        headers = outlook_headers(subject, ctype, extra=(f"Content-Transfer-Encoding: {cte}",))
    return _bytes(headers, _body(text, charset, cte))


def flowed(subject: str, paragraphs: list[str], width: int = 40) -> bytes:
    """Thunderbird format=flowed: each paragraph wrapped at ``width`` with a trailing space
    on every soft-broken line (RFC 3676)."""
    out = []
    for paragraph in paragraphs:
        line = ""
        for word in paragraph.split(" "):
            if line and len(line) + len(word) + 1 > width:
                out.append(line + " ")
                line = word
            else:
                line = f"{line} {word}" if line else word
        out.append(line)
    text = CRLF.join(out) + CRLF
    return _bytes(thunderbird_headers(subject, "text/plain; charset=UTF-8; format=flowed", "8bit"),
                  text.encode("utf-8").decode("latin-1"))


def outlook_html(subject: str, paragraphs: list[str], plain_text: str | None = None) -> bytes:
    """Outlook's Word HTML (MsoNormal paragraphs, o:p, conditional comments) in
    multipart/alternative; the text part is ``plain_text`` (Outlook writes the same text;
    an add-in or a reply chain may leave it shorter)."""
    html = (WORD_HEAD.replace("us-ascii", "utf-8")
            + "".join(f"<p class=\"MsoNormal\">{p}<o:p></o:p></p>" for p in paragraphs)
            + "</div></body></html>")
    boundary = "_000_AM0PR07MB4531C2D3E4F5A6B7AM0PR07MB4531eurp_"
    body = lines(
        f"--{boundary}", "Content-Type: text/plain; charset=\"utf-8\"",
        "Content-Transfer-Encoding: base64", "",
        b64((plain_text if plain_text is not None else "").encode("utf-8")), "",
        f"--{boundary}", "Content-Type: text/html; charset=\"utf-8\"",
        "Content-Transfer-Encoding: quoted-printable", "", _qp(html.encode("utf-8")), "",
        f"--{boundary}--")
    return _bytes(outlook_headers(subject, f"multipart/alternative;{CRLF}\tboundary=\"{boundary}\""), body)


def html_only(subject: str, html: str, client: str = "gmail") -> bytes:
    """A single text/html part (webmail and mobile clients that send no text part)."""
    ctype = "text/html; charset=\"UTF-8\""
    headers = gmail_headers(subject, ctype) if client == "gmail" else \
        [h for h in apple_headers(subject, ctype) if not h.startswith("Content-Transfer")]
    return _bytes([*headers, "Content-Transfer-Encoding: quoted-printable"], _qp(html.encode("utf-8")))


def attachment(subject: str, text: str, disposition: str, content: bytes,
               ctype: str = "application/octet-stream") -> bytes:
    """Outlook multipart/mixed: a short text part and one base64 attachment whose
    Content-Disposition parameters are ``disposition`` (RFC 2231 or RFC 2047 forms)."""
    boundary = "_004_DB9PR01MB8312B7C8D9E0F1A2DB9PR01MB8312eurprd_"
    body = lines(
        f"--{boundary}", "Content-Type: text/plain; charset=\"us-ascii\"",
        "Content-Transfer-Encoding: 7bit", "", text, "",
        f"--{boundary}", f"Content-Type: {ctype}", f"Content-Disposition: attachment;{CRLF}\t{disposition}",
        "Content-Transfer-Encoding: base64", "", b64(content), "", f"--{boundary}--")
    headers = outlook_headers(subject, f"multipart/mixed;{CRLF}\tboundary=\"{boundary}\"")
    return _bytes([h if not h.startswith("X-MS-Has-Attach") else "X-MS-Has-Attach: yes" for h in headers],
                  body)


def filename_2231(name: str) -> str:
    return rfc2231("filename", name, chunk=24)


def uuencoded(subject: str, note: str, name: str, content: str) -> bytes:
    """Plain text with a uuencoded file inside it, as Unix mail and old clients sent files."""
    data = content.replace("\n", "\r\n").encode("utf-8")
    rows = [binascii.b2a_uu(data[i:i + 45]).decode("ascii").rstrip("\n") for i in range(0, len(data), 45)]
    text = lines(note, "", f"begin 644 {name}", *rows, "`", "end")
    headers = ["From: ops@hq.example.org", "To: field@example.net", f"Subject: {subject}",
               "Date: Tue, 3 Jun 2025 08:12:40 +0000", "Message-ID: <uu.0003@hq.example.org>",
               "X-Mailer: mailx 12.5"]
    return _bytes(headers, text)
