"""Wrappers a user would put a marked memo or document in, tried against the real listeners
(a mail over SMTP with smtplib, an upload through the HTTP proxy with curl): text an RTF
reader skips (the \\*\\generator line, an unknown \\*\\destination, a picture's alt text),
UTF-32 without a byte-order mark, a mail body whose Content-Transfer-Encoding says
base64 while it is text, and the binary-to-text encodings that frame themselves
(uuencode, xxencode, yEnc, ascii85 between <~ ~>) used on a memo shorter than the judge of
encoded text reads. Each marked one is held for its marking; each clean twin passes.
What still passes is kept as strict xfails, so a change that closes one is noticed."""

from __future__ import annotations

import base64
import binascii
import quopri
import struct
import subprocess

import pytest
from fixtures.office import make_two_paragraph_docx
from integration.listeners_harness import Listeners, Outcome
from integration.test_evasion_text import (
    CLEAN,
    MEMO,
    _held_for_marking,
    _send_both,
    _send_file,
    _text_mail,
)

from filters import embedded


@pytest.fixture(scope="module")
def gateway(tmp_path_factory):
    server = Listeners(tmp_path_factory.mktemp("evasion-wrappers"))
    yield server
    server.close()


def _send_named(gateway: Listeners, data: bytes, name: str, kind: str, tmp_path
                ) -> tuple[Outcome, Outcome]:
    """``data`` attached to a mail as ``name``, and uploaded through the proxy."""
    message = _text_mail("the file is attached")
    maintype, subtype = kind.split("/")
    message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    path = tmp_path / name
    path.write_bytes(data)
    return gateway.mail(message), gateway.upload("-F", f"file=@{path};type={kind}")


# -- RTF text a reader does not show ---------------------------------------------------------

ORDINARY = {"generator": "Microsoft Word 16.0.17029;", "unknown destination": "review pending",
            "picture alt text": "A photograph of the river crossing"}


def _rtf(values: dict[str, str]) -> bytes:
    """An RTF as word processors write it, with ``values`` where a reader skips text."""
    return "".join([
        r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss Arial;}}",
        r"{\colortbl;\red0\green0\blue0;}{\stylesheet{\s0 Normal;}}",
        r"{\*\generator " + values["generator"] + "}",
        r"{\*\xmlcomment " + values["unknown destination"] + "}",
        r"{\shp{\*\shpinst{\sp{\sn wzDescription}{\sv " + values["picture alt text"]
        + r"}}{\sp{\sn fillColor}{\sv 255}}}}",
        r"\pard\plain\f0 Minutes of the planning meeting.\par}",
    ]).encode()


@pytest.mark.parametrize("place", list(ORDINARY))
def test_marking_where_an_rtf_reader_skips_it_is_held(gateway, place, tmp_path):
    data = _rtf({**ORDINARY, place: "TOP SECRET//NOFORN"})
    for outcome in _send_named(gateway, data, "minutes.rtf", "application/rtf", tmp_path):
        assert _held_for_marking(outcome), outcome.excerpts()


def test_rtf_with_a_generator_fonts_styles_and_alt_text_passes(gateway, tmp_path):
    for outcome in _send_named(gateway, _rtf(ORDINARY), "minutes.rtf", "application/rtf", tmp_path):
        assert not outcome.held, outcome.excerpts()


# -- UTF-32 without a byte-order mark ---------------------------------------------------------

@pytest.mark.parametrize("codec", ["utf-32-le", "utf-32-be"])
def test_marked_memo_in_utf32_without_a_bom_is_held_for_its_marking(gateway, codec, tmp_path):
    for outcome in _send_file(gateway, (MEMO + "机密★5年\n").encode(codec), tmp_path):
        assert _held_for_marking(outcome), outcome.excerpts()


@pytest.mark.parametrize("codec", ["utf-32-le", "utf-32-be"])
def test_clean_memo_in_utf32_without_a_bom_passes(gateway, codec, tmp_path):
    for outcome in _send_file(gateway, CLEAN.encode(codec), tmp_path):
        assert not outcome.held, outcome.excerpts()


# -- binary-to-text encodings with a frame -----------------------------------------------------

def _uuencode(data: bytes, alphabet: str = "") -> str:
    lines = [binascii.b2a_uu(data[i:i + 45]).decode().rstrip("\n") for i in range(0, len(data), 45)]
    if alphabet == "xx":  # xxencode: the same code in "+-0-9A-Za-z"
        xx = "+-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
        lines = ["".join(xx[(ord(c) - 32) & 63] for c in line) for line in lines]
        return "begin 644 memo.txt\n" + "\n".join(lines) + "\n+\nend\n"
    return "begin 644 memo.txt\n" + "\n".join(lines) + "\n`\nend\n"


def _yenc(data: bytes) -> str:
    """yEnc as a newsreader writes it; bytes past 0x7f are escaped here so the mail is ASCII."""
    out, line = [], ""
    for byte in data:
        code = (byte + 42) % 256
        line += (f"={chr((code + 64) % 256)}" if code in (0, 10, 13, 61) or code > 0x7E
                 else chr(code))
        if len(line) >= 128:
            out.append(line)
            line = ""
    out.append(line)
    return f"=ybegin line=128 size={len(data)} name=memo.txt\n" + "\n".join(out) + \
        f"\n=yend size={len(data)}\n"


ENCODERS = {
    "uuencode": lambda data: _uuencode(data),
    "xxencode": lambda data: _uuencode(data, "xx"),
    "yEnc": _yenc,
    "ascii85 between <~ ~>": lambda data: base64.a85encode(data, adobe=True, wrapcol=76).decode(),
}


@pytest.mark.parametrize("kind", list(ENCODERS))
def test_short_framed_encoding_of_a_marked_memo_is_held_for_its_marking(gateway, kind, tmp_path):
    text = "The memo follows.\n\n" + ENCODERS[kind](MEMO.encode()) + "\nRegards\n"
    for outcome in _send_both(gateway, text, tmp_path):
        assert _held_for_marking(outcome), outcome.excerpts()


@pytest.mark.parametrize("kind", list(ENCODERS))
def test_short_framed_encoding_of_a_clean_memo_passes(gateway, kind, tmp_path):
    text = "The memo follows.\n\n" + ENCODERS[kind](CLEAN.encode()) + "\nRegards\n"
    by_mail, by_proxy = _send_both(gateway, text, tmp_path)
    assert not by_proxy.held, by_proxy.excerpts()
    if kind == "xxencode":
        # A mail body's reader of inline uuencoded files stops at the first line that is no
        # uuencode and holds the file as cut off: it fails closed, and nothing is marked.
        assert by_mail.rules() <= {"mail.truncated", "filetype.mismatch"}, by_mail.excerpts()
    else:
        assert not by_mail.held, by_mail.excerpts()


def test_uuencoded_marked_document_is_held_for_its_marking(gateway, tmp_path):
    text = _uuencode(make_two_paragraph_docx("TOP SECRET//NOFORN")).replace("memo.txt", "notes.docx")
    by_mail, _ = _send_both(gateway, text, tmp_path)
    assert _held_for_marking(by_mail), by_mail.excerpts()


# -- a transfer encoding that lies -------------------------------------------------------------

def _declared_base64(body: str) -> bytes:
    """A mail whose header says base64 while the body is text as typed (or as QP)."""
    return ("From: alice@example.org\r\nTo: bob@partner.test\r\nSubject: notes\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\n" + body.replace("\n", "\r\n")).encode()


LIES = {
    "text as typed": lambda text: text,
    "quoted-printable": lambda text: quopri.encodestring(text.encode()).decode(),
}


@pytest.mark.parametrize("kind", list(LIES))
def test_text_under_a_base64_header_is_read_as_sent_and_held(gateway, kind):
    outcome = gateway.mail(_declared_base64(LIES[kind](MEMO)))
    assert _held_for_marking(outcome), outcome.excerpts()
    assert any("#as-sent" in hit["where"] for hit in outcome.hits)


@pytest.mark.parametrize("kind", list(LIES))
def test_clean_text_under_a_base64_header_is_not_held_for_a_marking(gateway, kind):
    # Held or not as before: by mail.truncated when the letters it holds, read as base64,
    # stop in the middle of a group.
    outcome = gateway.mail(_declared_base64(LIES[kind](CLEAN)))
    assert not any(hit["category"] == "classification" for hit in outcome.hits), outcome.excerpts()


def test_clean_memo_in_true_base64_passes(gateway):
    lines = base64.encodebytes((CLEAN * 3).encode()).decode()
    assert not gateway.mail(_declared_base64(lines)).held


# -- a file widened with NULs, base32 in either alphabet, hex in groups of any width ------------

DOCX = make_two_paragraph_docx("TOP SECRET//NOFORN")
CLEAN_DOCX = make_two_paragraph_docx("Picnic committee minutes")


def _grouped_hex(data: bytes, width: int) -> str:
    """``data`` in hex, in groups of ``width`` digits, ten to a line."""
    line = 10 * width
    return "\n".join(" ".join(data.hex()[i + j:i + j + width] for j in range(0, line, width))
                     for i in range(0, len(data) * 2, line))


def _wrapped(text: str, width: int = 76) -> str:
    return "\n".join(text[i:i + width] for i in range(0, len(text), width))


def _pcap(payload: bytes) -> bytes:
    """A capture of one TCP connection carrying ``payload`` (as tcpdump -w writes it)."""
    records = b""
    for offset in range(0, len(payload), 1400):
        segment = payload[offset:offset + 1400]
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40 + len(segment), 1, 0, 64, 6, 0,
                         bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
        tcp = struct.pack("!HHIIBBHHH", 40000, 80, 1000 + offset, 0, 0x50, 0x18, 65535, 0, 0)
        frame = b"\x02" * 6 + b"\x04" * 6 + b"\x08\x00" + ip + tcp + segment
        records += struct.pack("<IIII", 1700000000, offset, len(frame), len(frame)) + frame
    return struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1) + records


def _pcapng(classic: bytes) -> bytes:
    """The packets of the classic capture ``classic`` in pcapng's blocks (as Wireshark
    writes them): a section header, an Ethernet interface, an enhanced packet block each."""
    out = struct.pack("<IIIHHq", 0x0A0D0D0A, 28, 0x1A2B3C4D, 1, 0, -1) + struct.pack("<I", 28)
    out += struct.pack("<IIHHI", 1, 20, 1, 0, 65535) + struct.pack("<I", 20)
    at = 24
    while at < len(classic):
        length = struct.unpack_from("<I", classic, at + 8)[0]
        frame = classic[at + 16:at + 16 + length]
        at += 16 + length
        padded = frame + b"\0" * (-len(frame) % 4)
        size = 32 + len(padded)
        out += struct.pack("<IIIIIII", 6, size, 0, 0, 0, length, length) + padded
        out += struct.pack("<I", size)
    return out


READ_WRAPPERS = {
    # Compressed bytes with a NUL after each: zlib shrinks them (0.6), so not opaque.
    "docx with a NUL after each byte": lambda data: ("notes.bin", b"".join(bytes([b, 0]) for b in data)),
    "docx with a NUL before each byte": lambda data: ("notes.bin", b"".join(bytes([0, b]) for b in data)),
    "docx with three NULs after each byte": lambda data: (
        "notes.bin", b"".join(bytes([b, 0, 0, 0]) for b in data)),
    # base32 in the extended-hex alphabet is base64 to the decoders.
    "base32hex of a docx": lambda data: ("notes.txt", base64.b32hexencode(data)),
    "base32hex of a docx in small letters, lines of 76": lambda data: (
        "notes.txt", _wrapped(base64.b32hexencode(data).decode().lower()).encode()),
    "base32 of a docx, lines of 76": lambda data: (
        "notes.txt", _wrapped(base64.b32encode(data).decode()).encode()),
    "hex of a docx in groups of 6": lambda data: ("notes.txt", _grouped_hex(data, 6).encode()),
    "hex of a docx in capitals in groups of 10": lambda data: (
        "notes.txt", _grouped_hex(data, 10).upper().encode()),
    "a docx inside a packet capture": lambda data: (
        "capture.pcap", _pcap(b"POST /upload HTTP/1.1\r\n\r\n" + data)),
    "a docx inside a pcapng capture": lambda data: (
        "capture.bin", _pcapng(_pcap(b"POST /upload HTTP/1.1\r\n\r\n" + data))),
}


def _attached(gateway: Listeners, name: str, data: bytes) -> Outcome:
    message = _text_mail("the file is attached")
    message.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    return gateway.mail(message)


@pytest.mark.parametrize("kind", list(READ_WRAPPERS))
def test_marked_document_in_a_wrapper_is_held_for_its_marking(gateway, kind):
    outcome = _attached(gateway, *READ_WRAPPERS[kind](DOCX))
    assert _held_for_marking(outcome), outcome.excerpts()


@pytest.mark.parametrize("kind", list(READ_WRAPPERS))
def test_clean_document_in_a_wrapper_passes(gateway, kind):
    outcome = _attached(gateway, *READ_WRAPPERS[kind](CLEAN_DOCX))
    assert not outcome.held, outcome.excerpts()


def test_lists_of_colours_and_ids_in_hex_groups_pass(gateway):
    colours = "\n".join(" ".join(f"{(i * 7919 + j * 104729) % 0xFFFFFF:06x}" for j in range(10))
                        for i in range(60))
    ids = "\n".join(" ".join(f"{(i * 2654435761 + j * 40503) % (1 << 48):012x}" for j in range(6))
                    for i in range(60))
    for text in (colours, ids):
        assert not gateway.mail(_text_mail(text)).held


def test_utf16_text_without_a_bom_is_read_once_not_narrowed(gateway):
    outcome = _attached(gateway, "notes.bin", MEMO.encode("utf-16-le") * 4)
    assert _held_for_marking(outcome), outcome.excerpts()
    assert not any("#narrowed" in hit["where"] for hit in outcome.hits)


# -- still passing ------------------------------------------------------------------------------

def _od(data: bytes, kind: str) -> str:
    return subprocess.run(["od", "-An", "-v", kind], input=data, capture_output=True,
                          check=True).stdout.decode()


def _a_to_p(data: bytes) -> str:
    """Hex written with the letters a-p (as Chrome writes extension ids)."""
    return "".join(chr(0x61 + (b >> 4)) + chr(0x61 + (b & 15)) for b in data)


WORD_WRITERS = {
    "od -An -tu2 of a docx": lambda data: _od(data, "-tu2"),
    "od -An -to2 of a docx": lambda data: _od(data, "-to2"),
}


@pytest.mark.parametrize("kind", list(WORD_WRITERS))
def test_marked_document_as_words_is_held_for_its_marking(gateway, kind):
    outcome = _attached(gateway, "notes.txt", WORD_WRITERS[kind](DOCX).encode())
    assert _held_for_marking(outcome), outcome.excerpts()


@pytest.mark.parametrize("kind", list(WORD_WRITERS))
def test_clean_document_as_words_is_read_and_passes(gateway, kind):
    written = WORD_WRITERS[kind](CLEAN_DOCX)
    assert not _attached(gateway, "notes.txt", written.encode()).held
    # Passed for what it says, not left unread: the list is read back to the document.
    (read,) = [data for label, data, _ in embedded.payloads(written) if label.startswith("#numbers")]
    assert read.rstrip(b"\0") == CLEAN_DOCX.rstrip(b"\0")


STILL_PASSING = {
    "hex of a docx in the letters a-p": lambda: ("notes.txt", "\n".join(
        _a_to_p(DOCX[i:i + 40]) for i in range(0, len(DOCX), 40)).encode()),
}


@pytest.mark.parametrize("kind", list(STILL_PASSING))
@pytest.mark.xfail(strict=True, reason="still passes; see docs/coverage.md")
def test_marked_document_in_a_wrapper_redline_does_not_read(gateway, kind):
    assert _attached(gateway, *STILL_PASSING[kind]()).held
