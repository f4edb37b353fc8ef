"""How a user, or an insider with one account, would get a marked document past Redline,
tried against the real listeners (SMTP with smtplib and raw sockets, the HTTP proxy with
curl and raw sockets, ICAP): text encodings of a document in a mail body or an upload
field, MIME and HTTP framing tricks, a document split over several items, a file that
lies about its type. Each attempt that carries a marking must be held (or refused); the
clean counterparts must pass. docs/coverage.md lists the outcomes."""

from __future__ import annotations

import base64
import binascii
import codecs
import gzip
import hashlib
import io
import json
import smtplib
import socket
import uuid
import zipfile
from collections.abc import Callable
from email.message import EmailMessage

import pytest
from fixtures.office import make_two_paragraph_docx
from integration.listeners_harness import Listeners, Outcome

BANNER = "TOP SECRET//NOFORN"
LINE = f"{BANNER}\nOperation orders for the second quarter follow."


MARKED = make_two_paragraph_docx(BANNER)
CLEAN = make_two_paragraph_docx("Minutes of the picnic committee")


@pytest.fixture(scope="module")
def gateway(tmp_path_factory):
    server = Listeners(tmp_path_factory.mktemp("evasion"))
    yield server
    server.close()


def _mail(gateway: Listeners, data: EmailMessage | bytes) -> str:
    """held, passed or refused (the SMTP listener answered the data with an error)."""
    try:
        outcome = gateway.mail(data)
    except smtplib.SMTPException:
        return "refused"
    return "held" if outcome.held else "passed"


def _verdict(outcome: Outcome) -> str:
    return "held" if outcome.held else "passed"


def _text_mail(body: str, subject: str = "notes") -> EmailMessage:
    message = EmailMessage()
    message["From"] = "alice@example.org"
    message["To"] = "bob@partner.test"
    message["Subject"] = subject
    message.set_content(body)
    return message


def _raw(content_type: str, body: str, extra: str = "") -> bytes:
    return ("From: alice@example.org\r\nTo: bob@partner.test\r\nSubject: notes\r\n"
            f"MIME-Version: 1.0\r\nContent-Type: {content_type}\r\n{extra}\r\n{body}").encode()


def _wrap(text: str, width: int) -> str:
    return "\n".join(text[i:i + width] for i in range(0, len(text), width))


def _uuencode(data: bytes, name: str) -> str:
    lines = [f"begin 644 {name}"]
    lines += [binascii.b2a_uu(data[i:i + 45]).decode().rstrip("\n") for i in range(0, len(data), 45)]
    return "\n".join([*lines, "`", "end"])


# -- text encodings of a document in a mail body ---------------------------------------------
def _xxd(data: bytes) -> str:
    """What ``xxd`` prints: offset and colon, groups of 4 digits, the ASCII column."""
    lines = []
    for at in range(0, len(data), 16):
        row = data[at:at + 16]
        groups = " ".join(row[i:i + 2].hex() for i in range(0, len(row), 2))
        text = "".join(chr(b) if 32 <= b < 127 else "." for b in row)
        lines.append(f"{at:08x}: {groups:<39}  {text}")
    return "\n".join(lines) + "\n"


def _xxd_plain(data: bytes) -> str:
    """``xxd -p``: 60 digits a line."""
    return _wrap(data.hex(), 60) + "\n"


def _od_x(data: bytes) -> str:
    """``od -x``: octal offsets, 16-bit words written low byte last (little-endian)."""
    padded = data + b"\0" * (len(data) % 2)
    lines = []
    for at in range(0, len(data), 16):
        words = [padded[i:i + 2][::-1].hex() for i in range(at, min(at + 16, len(padded)), 2)]
        lines.append(f"{at:07o} " + " ".join(words))
    return "\n".join([*lines, f"{len(data):07o}"]) + "\n"


def _grouped(width: int, upper: bool) -> Callable[[bytes], str]:
    """Hex in groups of ``width`` digits, 16 groups a line, in capitals or not."""
    def dump(data: bytes) -> str:
        digits = data.hex().upper() if upper else data.hex()
        groups = [digits[i:i + width] for i in range(0, len(digits), width)]
        return "\n".join(" ".join(groups[i:i + 16]) for i in range(0, len(groups), 16))
    return dump



ENCODINGS = {
    "base32": lambda d: _wrap(base64.b32encode(d).decode(), 76),
    "base85": lambda d: _wrap(base64.b85encode(d).decode(), 76),
    "ascii85": lambda d: base64.a85encode(d, adobe=True, wrapcol=76).decode(),
    "hex pairs spaced": lambda d: _wrap(d.hex(" "), 48),
    "hex with 0x": lambda d: _wrap(", ".join(f"0x{b:02x}" for b in d), 96),
    "uuencode in text": lambda d: "Here it is:\n\n" + _uuencode(d, "plan.docx") + "\n\nregards",
    "quoted-printable undeclared": lambda d: binascii.b2a_qp(d, istext=False).decode("latin-1"),
    "base64 three per line": lambda d: _wrap(base64.b64encode(d).decode(), 3),
    "base64 spaced by four": lambda d: " ".join(_wrap(base64.b64encode(d).decode(), 4).split("\n")),
}


@pytest.mark.parametrize("kind", list(ENCODINGS))
def test_document_encoded_in_a_mail_body_is_held(gateway, kind):
    assert _mail(gateway, _text_mail(ENCODINGS[kind](MARKED))) == "held"


@pytest.mark.parametrize("kind", list(ENCODINGS))
def test_document_encoded_in_an_upload_field_is_held(gateway, kind):
    body = json.dumps({"comment": ENCODINGS[kind](MARKED)}).encode()
    assert _verdict(gateway.icap(body, "application/json")) == "held"


# -- hex dumps of a document: decoded, so the document itself is read -------------------------

HEX_DUMPS = {
    "xxd": _xxd,
    "xxd -p": _xxd_plain,
    "od -x": _od_x,
    "groups of 4, capitals": _grouped(4, True),
    "groups of 4": _grouped(4, False),
    "groups of 8, capitals": _grouped(8, True),
}


@pytest.mark.parametrize("kind", list(HEX_DUMPS))
def test_hex_dump_of_a_marked_document_is_held_for_its_marking(gateway, kind, tmp_path):
    # Held for the banner inside the decoded document, not merely as unreadable text.
    dump = HEX_DUMPS[kind](MARKED)
    by_mail = gateway.mail(_text_mail(dump))
    assert by_mail.held and any(hit["category"] == "classification" for hit in by_mail.hits), \
        by_mail.excerpts()
    assert "extract.uninspectable" not in by_mail.rules()
    path = tmp_path / "dump.txt"
    path.write_text(dump, encoding="ascii")
    by_proxy = gateway.upload("-F", f"file=@{path};type=text/plain")
    assert by_proxy.held and any(hit["category"] == "classification" for hit in by_proxy.hits), \
        by_proxy.excerpts()


@pytest.mark.parametrize("kind", list(HEX_DUMPS))
def test_hex_dump_of_a_clean_document_passes(gateway, kind, tmp_path):
    # The dump is decoded into the document, which is opened and read: nothing is left
    # that reads as encoded data, so a clean document passes.
    dump = HEX_DUMPS[kind](CLEAN)
    assert _mail(gateway, _text_mail(dump)) == "passed"
    path = tmp_path / "dump.txt"
    path.write_text(dump, encoding="ascii")
    assert _verdict(gateway.upload("-F", f"file=@{path};type=text/plain")) == "passed"


ORDINARY = {
    "prose with figures": "\n".join(
        f"Item {i}: the committee met on 2026-03-{i % 28 + 1:02d} at 10:{i % 60:02d} in room "
        f"{100 + i} and agreed the budget of {1000 * i} euros for the picnic." for i in range(120)),
    "events with UUIDs": json.dumps([{"event_id": str(uuid.UUID(int=7919 * i + 1)), "ts": 1733470000 + i,
                                      "type": "click", "user": str(uuid.UUID(int=104729 * i))}
                                     for i in range(150)]),
    "log with digests": "\n".join(f"2026-01-01 12:00:{i % 60:02d} fetched "
                                   f"{hashlib.sha256(str(i).encode()).hexdigest()} ok" for i in range(150)),
    "style sheet colours": "\n".join(f".c{i} {{ color: #{(i * 2654435761) % (1 << 24):06x}; "
                                      f"background: #{(i * 40503) % (1 << 24):06x}; }}" for i in range(300)),
    "table of numbers": "\n".join(",".join(str((i * 7919 + j * 104729) % 99991) for j in range(8))
                                   for i in range(300)),
    "links with tracking ids": "\n".join(
        f"https://shop.example.com/p/{i}?utm_source=news&gclid="
        + base64.urlsafe_b64encode(hashlib.sha256(str(i).encode()).digest()[:30]).decode()
        for i in range(120)),
}


@pytest.mark.parametrize("kind", list(ORDINARY))
def test_ordinary_text_with_codes_and_figures_passes(gateway, kind):
    assert _mail(gateway, _text_mail(ORDINARY[kind])) == "passed"
    body = json.dumps({"comment": ORDINARY[kind]}).encode()
    assert _verdict(gateway.icap(body, "application/json")) == "passed"


def _every_byte_escaped(text: str) -> str:
    """Quoted-printable that escapes every byte, not only the unprintable ones (RFC 2045)."""
    return _wrap("".join(f"={b:02X}" for b in text.encode()), 75).replace("\n", "=\n")


def test_marked_line_in_undeclared_quoted_printable_is_held(gateway):
    assert _mail(gateway, _text_mail(_every_byte_escaped(LINE))) == "held"


def test_clean_line_in_undeclared_quoted_printable_passes(gateway):
    clean = "Minutes of the picnic committee\nSandwich orders for the second quarter follow."
    assert _mail(gateway, _text_mail(_every_byte_escaped(clean))) == "passed"


@pytest.mark.parametrize("transform", ["rot13", "reversed"])
def test_marked_text_in_rot13_or_backwards_is_held(gateway, transform):
    # More shapes, and clean counterparts: tests/integration/test_evasion_text.py.
    text = codecs.encode(LINE, "rot13") if transform == "rot13" else LINE[::-1]
    assert _mail(gateway, _text_mail(text)) == "held"


def _shifted_mail(text: str) -> bytes:
    """``text`` with each letter shifted by one (a Caesar shift, ROT1) under a made-up charset."""
    shifted = "".join(chr(ord(c) + 1) if c.isalpha() else c for c in text)
    return _raw("text/plain; charset=x-private", shifted.replace("\n", "\r\n"),
                "Content-Transfer-Encoding: 7bit\r\n")


def test_marked_text_under_a_private_substitution(gateway):
    assert _mail(gateway, _shifted_mail(LINE)) == "held"


def test_clean_text_under_a_private_substitution_passes(gateway):
    assert _mail(gateway, _shifted_mail("Minutes of the picnic committee\nSandwich orders "
                                        "for the second quarter follow.")) == "passed"


# -- a document split over several items ----------------------------------------------------


def test_each_half_of_a_base64_document_sent_in_two_mails_is_held(gateway):
    encoded = base64.b64encode(MARKED).decode()
    half = (len(encoded) // 8) * 4
    first, second = _wrap(encoded[:half], 76), _wrap(encoded[half:], 76)
    assert _mail(gateway, _text_mail(first, "part 1")) == "held"
    assert _mail(gateway, _text_mail(second, "part 2")) == "held"


def test_base64_document_split_over_json_values_is_held(gateway):
    encoded = base64.b64encode(MARKED).decode()
    chunks = [encoded[i:i + 1024] for i in range(0, len(encoded), 1024)]
    body = json.dumps({"upload": {"parts": [[chunk] for chunk in chunks]}}).encode()
    assert _verdict(gateway.icap(body, "application/json")) == "held"
    # Without the first chunk (the zip's header), no value looks like a document.
    body = json.dumps({"parts": chunks[1:]}).encode()
    assert _verdict(gateway.icap(body, "application/json")) == "held"


def test_base64_document_split_over_form_fields_is_held(gateway):
    encoded = base64.b64encode(MARKED).decode()
    args = []
    for n, i in enumerate(range(0, len(encoded), 900)):
        args += ["-F", f"p{n}={encoded[i:i + 900]}"]
    assert _verdict(gateway.upload(*args)) == "held"


@pytest.mark.xfail(strict=True, reason="encoded text is held from about 4,000 characters on: a "
                   "document in base85 pieces of 3,000 characters, one per mail, passes piece by piece")
def test_base85_document_in_pieces_under_the_judged_size(gateway):
    encoded = base64.b85encode(MARKED).decode()
    assert _mail(gateway, _text_mail(_wrap(encoded[3000:6000], 76), "piece 2")) == "held"


@pytest.mark.xfail(strict=True, reason="a marking cut between two items is in neither; Redline "
                   "does not join items (only message/partial and upload sessions it knows)")
def test_marking_cut_between_two_mails(gateway):
    assert _mail(gateway, _text_mail("The banner reads TOP SE", "one")) == "held"


# -- MIME framing ------------------------------------------------------------------------------

QP_DOCX = binascii.b2a_qp(MARKED, istext=False).decode("latin-1")
B64_DOCX = _wrap(base64.b64encode(MARKED).decode(), 76)
ATTACH = ("Content-Type: application/octet-stream; name=plan.docx\r\n"
          "Content-Disposition: attachment; filename=plan.docx\r\n"
          "Content-Transfer-Encoding: quoted-printable\r\n\r\n" + QP_DOCX)

MIME_TRICKS = {
    "two boundary parameters": _raw(
        'multipart/mixed; boundary="decoy"; boundary="real"',
        f"--real\r\nContent-Type: text/plain\r\n\r\nhello\r\n--real\r\n{ATTACH}\r\n--real--\r\n"),
    "rfc2231 filename continuation": _raw(
        "multipart/mixed; boundary=b1",
        "--b1\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b1\r\n"
        "Content-Type: application/octet-stream\r\n"
        "Content-Disposition: attachment; filename*0=\"pl\"; filename*1=\"an.docx\"\r\n"
        f"Content-Transfer-Encoding: quoted-printable\r\n\r\n{QP_DOCX}\r\n--b1--\r\n"),
    "message/external-body with a body": _raw(
        "multipart/mixed; boundary=b1",
        "--b1\r\nContent-Type: text/plain\r\n\r\nsee the link\r\n--b1\r\n"
        "Content-Type: message/external-body; access-type=URL; URL=\"http://files.test/p\"\r\n\r\n"
        "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
        f"{QP_DOCX}\r\n--b1--\r\n"),
    "message/rfc822 inside multipart/alternative": _raw(
        "multipart/alternative; boundary=alt",
        "--alt\r\nContent-Type: text/plain\r\n\r\nhello\r\n--alt\r\nContent-Type: message/rfc822\r\n\r\n"
        "Subject: inner\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=in\r\n\r\n"
        f"--in\r\n{ATTACH}\r\n--in--\r\n\r\n--alt--\r\n"),
    "body after the closing boundary": _raw(
        "multipart/mixed; boundary=b1",
        "--b1\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b1--\r\n"
        f"--b1\r\n{ATTACH}\r\n--b1--\r\n"),
    "part with no headers": _raw(
        "multipart/mixed; boundary=b1",
        f"--b1\r\n\r\nhello\r\n--b1\r\n\r\n{LINE}\r\n--b1--\r\n"),
    "boundary lines with trailing blanks": _raw(
        "multipart/mixed; boundary=b1",
        f"--b1   \r\nContent-Type: text/plain\r\n\r\nhello\r\n--b1 \t\r\n{ATTACH}\r\n--b1--  \r\n"),
    "multipart with no boundary": _raw(
        "multipart/mixed",
        f"--b1\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b1\r\n{ATTACH}\r\n--b1--\r\n"),
    "message/partial": _raw(
        'message/partial; id="x1@example.org"; number=1; total=2',
        "Subject: plan\r\nMIME-Version: 1.0\r\nContent-Type: application/octet-stream\r\n"
        f"Content-Transfer-Encoding: quoted-printable\r\n\r\n{QP_DOCX[: len(QP_DOCX) // 2]}"),
    "unknown transfer encoding": _raw(
        "application/octet-stream; name=plan.bin", base64.b32encode(MARKED).decode(),
        "Content-Transfer-Encoding: x-base32\r\n"),
    "text/plain declared, a base64 docx inside": _raw(
        "text/plain; charset=us-ascii", B64_DOCX, "Content-Transfer-Encoding: base64\r\n"),
    "utf-7 charset": _raw(
        "text/plain; charset=utf-7", LINE.encode("utf-7").decode().replace("\n", "\r\n"),
        "Content-Transfer-Encoding: 7bit\r\n"),
    "8bit docx bytes in a part": (
        _raw("multipart/mixed; boundary=b1",
             "--b1\r\nContent-Type: application/octet-stream; name=plan.docx\r\n"
             "Content-Transfer-Encoding: binary\r\n\r\n").decode().encode()
        + MARKED + b"\r\n--b1--\r\n"),
}


@pytest.mark.parametrize("trick", list(MIME_TRICKS))
def test_mime_trick_is_held(gateway, trick):
    assert _mail(gateway, MIME_TRICKS[trick]) in ("held", "refused")


def test_clean_mail_with_a_qp_document_passes(gateway):
    clean_attach = ATTACH.replace(QP_DOCX, binascii.b2a_qp(CLEAN, istext=False).decode("latin-1"))
    data = _raw("multipart/mixed; boundary=b1",
                f"--b1\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b1\r\n{clean_attach}\r\n--b1--\r\n")
    assert _mail(gateway, data) == "passed"


def _smtp_dialogue(gateway: Listeners, lines: list[bytes]) -> list[bytes]:
    replies = []
    with socket.create_connection(("127.0.0.1", gateway.ports["smtp"]), timeout=30) as sock:
        reader = sock.makefile("rb")

        def reply() -> bytes:
            out = b""
            while True:
                line = reader.readline()
                out += line
                if len(line) < 4 or line[3:4] != b"-":
                    return out

        reply()
        for line in lines:
            sock.sendall(line)
            replies.append(reply())
    return replies


def test_bdat_and_binarymime_are_not_a_way_round(gateway):
    tag = uuid.uuid4().hex[:12]
    message = (f"From: alice@example.org\r\nTo: bob@partner.test\r\nSubject: bdat {tag}\r\n"
               f"MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n{LINE}\r\n").encode()
    replies = _smtp_dialogue(gateway, [
        b"EHLO client.example.org\r\n", b"MAIL FROM:<alice@example.org> BODY=BINARYMIME\r\n",
        b"RCPT TO:<bob@partner.test>\r\n", f"BDAT {len(message)} LAST\r\n".encode() + message,
        b"QUIT\r\n"])
    ehlo = replies[0].upper()
    if b"CHUNKING" in ehlo:
        assert gateway.held_item(tag) is not None, replies
    else:
        assert not replies[3].startswith(b"250"), replies
        assert not any(tag.encode() in m.content for m in gateway.upstream.messages)


# -- HTTP framing ---------------------------------------------------------------------------


def _proxy_raw(gateway: Listeners, data: bytes, *, wait_continue: bytes = b"") -> bytes:
    """Send ``data`` to the proxy in one write; all it answers until it closes."""
    with socket.create_connection(("127.0.0.1", gateway.ports["http"]), timeout=30) as sock:
        sock.sendall(data)
        if wait_continue:
            sock.settimeout(5)
            try:
                first = sock.recv(65536)
            except TimeoutError:
                first = b""
            sock.settimeout(30)
            sock.sendall(wait_continue)
        else:
            first = b""
        out = first
        while True:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            out += chunk
    return out


def _origin_saw(gateway: Listeners, needle: bytes) -> bool:
    return any(needle in body for body in gateway.origin.bodies)


def _request(gateway: Listeners, body: bytes, headers: str, method: str = "POST") -> bytes:
    return (f"{method} http://127.0.0.1:{gateway.origin.port}/upload HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{gateway.origin.port}\r\n{headers}\r\n").encode() + body


def _statuses(reply: bytes) -> list[str]:
    return [line.split(b" ")[1].decode() for line in reply.split(b"\r\n")
            if line.startswith(b"HTTP/1.1 ")]


def test_chunked_upload_with_trailers_is_held(gateway):
    tag = uuid.uuid4().hex.encode()
    text = LINE.encode() + b" " + tag
    body = b"".join(b"%x\r\n%s\r\n" % (len(text[i:i + 7]), text[i:i + 7]) for i in range(0, len(text), 7))
    body += b"0\r\nX-Note: " + BANNER.encode() + b"\r\nX-Sum: 1\r\n\r\n"
    reply = _proxy_raw(gateway, _request(gateway, body, "Content-Type: text/plain\r\n"
                                         "Transfer-Encoding: chunked\r\nTrailer: X-Note, X-Sum\r\n"
                                         "Connection: close\r\n"))
    assert _statuses(reply)[:1] == ["403"], reply[:300]
    assert not _origin_saw(gateway, tag)


def test_pipelined_second_request_is_inspected(gateway):
    tag = uuid.uuid4().hex.encode()
    clean = b"lunch on friday"
    marked = LINE.encode() + b" " + tag
    data = (_request(gateway, clean, f"Content-Type: text/plain\r\nContent-Length: {len(clean)}\r\n")
            + _request(gateway, marked, "Content-Type: text/plain\r\n"
                       f"Content-Length: {len(marked)}\r\nConnection: close\r\n"))
    reply = _proxy_raw(gateway, data)
    assert not _origin_saw(gateway, tag), reply[:600]


def test_content_length_and_chunked_together_do_not_smuggle(gateway):
    tag = uuid.uuid4().hex.encode()
    marked = LINE.encode() + b" " + tag
    smuggled = _request(gateway, marked, f"Content-Type: text/plain\r\nContent-Length: {len(marked)}\r\n"
                        "Connection: close\r\n")
    body = b"0\r\n\r\n" + smuggled
    data = _request(gateway, body, "Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n"
                    f"Content-Length: {len(body)}\r\n")
    reply = _proxy_raw(gateway, data)
    assert not _origin_saw(gateway, tag), reply[:600]


def test_expect_continue_body_is_inspected(gateway):
    tag = uuid.uuid4().hex.encode()
    marked = LINE.encode() + b" " + tag
    head = _request(gateway, b"", f"Content-Type: text/plain\r\nContent-Length: {len(marked)}\r\n"
                    "Expect: 100-continue\r\nConnection: close\r\n")
    reply = _proxy_raw(gateway, head, wait_continue=marked)
    assert not _origin_saw(gateway, tag), reply[:600]
    assert "403" in _statuses(reply), reply[:600]


def test_websocket_upgrade_through_the_proxy_is_refused(gateway):
    head = (f"GET http://127.0.0.1:{gateway.origin.port}/ws HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{gateway.origin.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").encode()
    reply = _proxy_raw(gateway, head)
    assert _statuses(reply) and _statuses(reply)[0] != "101", reply[:300]


def test_stacked_and_unknown_content_codings_are_held(gateway):
    twice = gzip.compress(gzip.compress(LINE.encode()))
    assert _verdict(gateway.icap(twice, "text/plain", headers="Content-Encoding: gzip, gzip\r\n")) == "held"
    odd = base64.b32encode(LINE.encode())
    assert _verdict(gateway.icap(odd, "text/plain", headers="Content-Encoding: x-private\r\n")) == "held"


@pytest.mark.parametrize("coding", ["deflate", "br", "zstd"])
def test_document_under_a_content_coding_is_held(gateway, coding):
    import zlib

    import brotli
    import zstandard

    pack = {"deflate": zlib.compress, "br": brotli.compress,
            "zstd": zstandard.ZstdCompressor().compress}[coding]
    body = json.dumps({"file": base64.b64encode(MARKED).decode()}).encode()
    headers = f"Content-Encoding: {coding}\r\n"
    assert _verdict(gateway.icap(pack(body), "application/json", headers=headers)) == "held"
    clean = json.dumps({"file": base64.b64encode(CLEAN).decode()}).encode()
    assert _verdict(gateway.icap(pack(clean), "application/json", headers=headers)) == "passed"


def test_multipart_with_two_boundary_parameters_is_held(gateway):
    body = (b"--real\r\nContent-Disposition: form-data; name=\"f\"; filename=\"plan.docx\"\r\n"
            b"Content-Type: application/octet-stream\r\n\r\n" + MARKED + b"\r\n--real--\r\n")
    outcome = gateway.icap(body, "multipart/form-data; boundary=decoy; boundary=real")
    assert _verdict(outcome) == "held"
    outcome = gateway.icap(body, "multipart/form-data; boundary=real; boundary=decoy")
    assert _verdict(outcome) == "held"


def test_put_of_raw_document_bytes_is_held(gateway, tmp_path):
    path = tmp_path / "x.bin"
    path.write_bytes(MARKED)
    assert _verdict(gateway.upload("-T", str(path), "-H", "Content-Type: application/octet-stream")) == "held"


def test_urlencoded_document_text_is_held(gateway):
    assert _verdict(gateway.upload("--data-urlencode", f"body={LINE}")) == "held"


def test_base64_document_in_nested_json_arrays_is_held(gateway):
    body = json.dumps({"a": [[[{"b": [base64.b64encode(MARKED).decode()]}]]]}).encode()
    assert _verdict(gateway.icap(body, "application/json")) == "held"


# -- files that lie about their type ------------------------------------------------------

TTF_HEAD = b"\x00\x01\x00\x00\x00\x0b\x00\x80\x00\x03\x00\x30OS/2"
PREFIXED = {
    "JPEG magic before a docx": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + MARKED,
    "PNG signature before a docx": b"\x89PNG\r\n\x1a\n" + MARKED,
    "font header before a docx": TTF_HEAD + MARKED,
    "font header before gzip text": TTF_HEAD + gzip.compress(LINE.encode() * 3),
    "WAVE header before a docx": b"RIFF\x24\x08\x00\x00WAVEfmt " + MARKED,
    "ID3 tag before gzip text": b"ID3\x04\x00\x00\x00\x00\x00\x00" + gzip.compress(LINE.encode() * 3),
    "MP4 box before a docx": b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + MARKED,
}


@pytest.mark.parametrize("kind", list(PREFIXED))
def test_file_with_a_lying_magic_number_is_held(gateway, kind):
    data = PREFIXED[kind]
    message = _text_mail("the photo", "photo")
    message.add_attachment(data, maintype="image", subtype="jpeg", filename="holiday.jpg")
    assert _mail(gateway, message) == "held"
    body = (b"--b1\r\nContent-Disposition: form-data; name=\"f\"; filename=\"holiday.jpg\"\r\n"
            b"Content-Type: image/jpeg\r\n\r\n" + data + b"\r\n--b1--\r\n")
    assert _verdict(gateway.icap(body, "multipart/form-data; boundary=b1")) == "held"


def _docx_with(part: str, xml: str) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(CLEAN))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr(part, xml)
    return out.getvalue()


CUSTOM_PROPS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"'
                ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
                '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Classification">'
                f'<vt:lpwstr>{BANNER}</vt:lpwstr></property></Properties>')
CUSTOM_XML = ('<?xml version="1.0" encoding="UTF-8"?><label xmlns="urn:example:labels">'
              f'<level>{BANNER}</level></label>')


@pytest.mark.parametrize("part,xml", [("docProps/custom.xml", CUSTOM_PROPS),
                                      ("customXml/item1.xml", CUSTOM_XML)])
def test_marking_only_in_a_custom_part_of_an_office_file_is_held(gateway, part, xml):
    message = _text_mail("the plan", "plan")
    message.add_attachment(_docx_with(part, xml), maintype="application", subtype="octet-stream",
                           filename="plan.docx")
    assert _mail(gateway, message) == "held"
