"""Text that reads as encoded data no decoder took is found (filters.embedded.unread_encoded),
and streams hidden after the first bytes of an inert type are found (filters.appended)."""

from __future__ import annotations

import base64
import binascii
import gzip
import hashlib
import json
import random
import uuid

import pytest
from fixtures.locales import HEADER, ctype_class, i18n_ctype

from filters import appended, embedded
from filters.build import build_pipeline
from filters.types import Part

# Bytes that do not compress, as a document's deflated members do.
DOCUMENT = random.Random(7).randbytes(12_000)


def _wrap(text: str, width: int) -> str:
    return "\n".join(text[i:i + width] for i in range(0, len(text), width))


ENCODED = {
    "base85": _wrap(base64.b85encode(DOCUMENT).decode(), 76),
    # Between <~ ~> it is decoded (filters/framed_encodings.py); without them it is not.
    "ascii85": base64.a85encode(DOCUMENT, wrapcol=76).decode(),
    # Hex pairs in one case are a hex dump, decoded (test_embedded_runs.py); in both
    # cases they are no dump any tool writes, and are left to the judge.
    "hex pairs in both cases": _wrap(" ".join(f"{b:02x}" if i % 2 else f"{b:02X}"
                                              for i, b in enumerate(DOCUMENT)), 48),
    "0x list": _wrap(", ".join(f"0x{b:02x}" for b in DOCUMENT), 96),
    "C escapes": _wrap("".join(f"\\x{b:02x}" for b in DOCUMENT), 80),
    "quoted-printable": binascii.b2a_qp(DOCUMENT, istext=False).decode("latin-1"),
    "uuencode lines": "\n".join(binascii.b2a_uu(DOCUMENT[i:i + 45]).decode().rstrip("\n")
                                for i in range(0, len(DOCUMENT), 45)),
    "base64 three a line": _wrap(base64.b64encode(DOCUMENT).decode(), 3),
    "base64 spaced by four": " ".join(_wrap(base64.b64encode(DOCUMENT).decode(), 4).split("\n")),
}

ORDINARY = {
    "prose": "The committee met on Monday and agreed the budget for the picnic. " * 200,
    "events with UUIDs": json.dumps([{"event_id": str(uuid.UUID(int=7919 * i + 1)), "ts": 1733470000 + i,
                                      "type": "click"} for i in range(200)]),
    "digests": "\n".join(hashlib.sha1(str(i).encode()).hexdigest() for i in range(400)),
    "log with digests": "\n".join(f"12:00:{i % 60:02d} got {hashlib.sha256(str(i).encode()).hexdigest()} ok"
                                  for i in range(200)),
    "IPv6 addresses": "\n".join(":".join(f"{(i * 40503 + j * 7919) % 65536:x}" for j in range(8))
                                for i in range(400)),
    "numbers": "\n".join(",".join(str((i * 7919 + j) % 99991) for j in range(8)) for i in range(400)),
    "style sheet colours": "\n".join(f".c{i} {{ color: #{(i * 2654435761) % (1 << 24):06x}; }}"
                                     for i in range(500)),
}


# Tables of code points and Unicode names, as locale, charset and font data are written.
NAMES = ("WHITE STAR", "BLACK CIRCLE", "BULLSEYE", "REFERENCE MARK")
ORDINARY.update({
    "font coverage (U+0102 uni0102 1.14)": "\n".join(f"U+{i:04x} uni{i:04X}              1.{i % 40}"
                                                      for i in range(0x100, 0x700)),
    "glibc transliteration": "\n".join(f"<U{0x2460 + i:04X}> \"<U0028><U{0x31 + i % 9:04X}><U0029>\""
                                        for i in range(400)),
    "charmap with names": "\n".join(f"<U{0x100 + i:04X}>     /xa{i // 94 + 1:x}/x{0xa1 + i % 94:02x}     "
                                     f"{NAMES[i % 4]}" for i in range(400)),
    "Python codec table": "\n".join(f"    '\\x{i % 256:02x}'     #  0x{i % 256:04x} -> {NAMES[i % 4]}"
                                     for i in range(300)),
    "escaped strings": ", ".join(f"0x{0x1f00 + i:04x}:'\\u{0x3b1 + i % 24:04x}\\u0342'" for i in range(400)),
})
# Scripts of thousands of letters in a table's order (a Korean locale's hanja in reading
# order, a charset's Hangul syllables): their code points spread over many blocks of 256.
HANJA = random.Random(5).sample(range(0x4E00, 0xA000), 600)
ORDINARY.update({
    "hanja in reading order (ko_KR collation)": "\n".join(f"<U{v:04X}>" for v in HANJA),
    # glibc's CP949 charmap: each hanja's code point, its bytes as /x escapes, <CJK>.
    "a CJK charmap with its byte column": "\n".join(
        f"<U{v:04X}>     /x{0xca + i // 94:02x}/x{0xa1 + i % 94:02x}     <CJK>" for i, v in enumerate(HANJA)),
    # Perl's unicore/To/Uc.pl: each character's UTF-8 bytes as escapes, its mapping.
    "Perl's case-mapping table": "\n".join(
        "\"" + "".join(f"\\x{b:02X}" for b in chr(0x1E00 + i).encode())
        + f"\" => \"\\x{{{0x1E00 + i - 1:04X}}}\","
        f"  #  => {0x1E00 + i - 1:04X}" for i in range(1, 400, 2)),
    "Hangul syllables of a charmap": "\n".join(f"<U{0xAC00 + 23 * i:04X}>     <HANGUL>" for i in range(500)),
})

# A type column of a few recurring names (numpy's validation sets, the words decoded
# apart), identifiers joined in CamelCase (X11's error database).
CAMEL = [f"{a}{b}{c}" for a in ("XF86Vid", "GLX", "Xag", "Sync") for b in ("Get", "Set", "Query")
         for c in ("ModeLine", "Gamma", "ViewPort", "Context", "Drawable")]
ORDINARY.update({
    "a type column of two names": "\n".join(f"np.float{32 if i < 200 else 64},,,{1 + i % 4}"
                                            for i in range(400)),
    "CamelCase identifiers": "\n".join(f"XRequest.{name[:8]}.{i}: {name}"
                                       for i, name in enumerate(CAMEL * 5)),
})
# Many different mixed names in such a column, or in CamelCase dress, are still data.
ENCODED.update({
    "base85 as a type column": "\n".join(f"np.{base64.b85encode(DOCUMENT).decode()[i:i + 12]},,,4"
                                         for i in range(0, 8000, 12)),
    "base85 behind CamelCase names": "\n".join(
        f"XRequest.XF86Vid{base64.b85encode(DOCUMENT).decode()[i:i + 16]}" for i in range(0, 8000, 16)),
    "hex letters as recurring names": "\n".join(" ".join(f"{b:02x}g" for b in DOCUMENT[i:i + 16])
                                                for i in range(0, 3000, 16)),
})

# A file's bytes dressed as such a table: the code points jump across the whole range, or
# (one byte a code point) a quarter of them are control characters.
PAIRS = [DOCUMENT[i:i + 2].hex().upper() for i in range(0, 6000, 2)]
ENCODED.update({
    "bytes as U+ code points and glyph names": "\n".join(f"U+{p} uni{p} 1.14" for p in PAIRS),
    "bytes as glibc code points": "\n".join("".join(f"<U00{b:02X}>" for b in DOCUMENT[i:i + 8])
                                             for i in range(0, 4000, 8)),
    "bytes as a C table of 16-bit words": "\n".join(", ".join(f"0x{p}" for p in PAIRS[i:i + 8])
                                                     for i in range(0, len(PAIRS), 8)),
    # Groups of capitals, each one different: not the recurring words of a names table.
    "base32 in groups of five": _wrap(" ".join(_wrap(base64.b32encode(DOCUMENT).decode(), 5).split()),
                                      72),
    "bytes as escapes": "\n".join("".join(f"\\u{p}" for p in PAIRS[i:i + 8])
                                   for i in range(0, len(PAIRS), 8)),
})

# glibc's character classes past the BMP (i18n_ctype): runs of small scripts in the order
# of their code points, 64 of which spread over more than 16 blocks of 256. A file's bytes
# dressed as such a class: 16-bit words as code points (in no order), or each byte as the
# gap to the next code point of a rising list (spread over many more blocks).
ORDINARY["glibc character classes past the BMP"] = i18n_ctype()
_gaps = [0x10000 + sum(1 + 2 * b for b in DOCUMENT[:n + 1]) for n in range(3000)]
ENCODED.update({
    "16-bit words as a character class": HEADER + ctype_class(
        "upper", [(0x10000 + int.from_bytes(DOCUMENT[i:i + 2], "big"),) * 2 for i in range(0, 6000, 2)]),
    "bytes as the gaps of a rising class": HEADER + ctype_class("upper", [(v, v) for v in _gaps]),
})


def _unread(text: str) -> int:
    spans: list[tuple[int, int]] = []
    list(embedded.payloads(text, spans))
    return embedded.unread_encoded(text, spans)


@pytest.mark.parametrize("kind", list(ENCODED))
def test_a_document_in_an_encoding_no_decoder_reads_is_found(kind):
    assert _unread(ENCODED[kind]) >= embedded.UNREAD_HOLD_CHARS


def test_framed_ascii85_is_decoded_so_nothing_is_left_unread():
    text = base64.a85encode(DOCUMENT, adobe=True, wrapcol=76).decode()
    assert [data for _, data, _ in embedded.payloads(text)] == [DOCUMENT]
    assert _unread(text) == 0


def test_a_hex_dump_is_decoded_so_nothing_is_left_unread():
    text = _wrap(DOCUMENT.hex(" "), 48)
    assert [data for _, data, _ in embedded.payloads(text)] == [DOCUMENT]
    assert _unread(text) == 0


@pytest.mark.parametrize("kind", list(ORDINARY))
def test_ordinary_text_with_codes_and_figures_is_not(kind):
    assert _unread(ORDINARY[kind]) == 0


def test_decoded_base64_is_not_counted_again():
    text = "Attached:\n" + _wrap(base64.b64encode(DOCUMENT).decode(), 76)
    assert embedded.unread_encoded(text) > 0  # judged alone, it reads as encoded
    assert _unread(text) == 0  # but the base64 decoder took it


def test_a_short_encoded_line_is_left_alone():
    assert _unread(DOCUMENT[:600].hex(" ")) == 0


LINE = b"TOP SECRET//NOFORN\nOperation orders follow."
FONT_HEAD = b"\x00\x01\x00\x00\x00\x0b\x00\x80\x00\x03\x00\x30OS/2" + bytes(range(200))


@pytest.mark.parametrize("stream", [gzip.compress(LINE), b"%PDF-1.7\n",
                                    b"Rar!\x1a\x07\x01\x00" + DOCUMENT[:64]])
def test_a_stream_after_an_inert_types_first_bytes_is_found(stream):
    at = appended.hidden_stream(Part(origin="f", data=FONT_HEAD + stream))
    assert at == len(FONT_HEAD)


def test_random_bytes_and_a_fake_gzip_signature_are_not_a_stream():
    noise = random.Random(3).randbytes(200_000)
    assert appended.hidden_stream(Part(origin="f", data=FONT_HEAD + noise)) == 0
    assert appended.hidden_stream(Part(origin="f", data=FONT_HEAD + b"\x1f\x8b\x08" + noise)) == 0


def test_text_written_as_code_points_is_decoded_and_read():
    text = "TOP SECRET//NOFORN\nOperation orders follow for the second quarter. " * 20
    written = "\n".join("".join(f"<U{ord(c):04X}>" for c in text[i:i + 12]) for i in range(0, len(text), 12))
    decoded = [data for label, data, _ in embedded.payloads(written) if label.startswith("#codepoints")]
    assert decoded and b"TOP SECRET//NOFORN\nOperation orders" in decoded[0]
    assert _unread(written) == 0


def test_a_chinese_memo_written_as_code_points_is_decoded_and_held():
    # Ideographs spread over the whole CJK block: decoded as the characters they name and
    # read like the same memo written in UTF-8, its marking found.
    memo = ("机密★5年\n关于调整华东区域供应商结算价格的通知\n各分公司：经研究决定，自下月起执行新的结算标准，"
            "请严格控制知悉范围，不得外传。\n") * 12
    written = "\n".join("".join(f"<U{ord(c):04X}>" for c in memo[i:i + 10]) for i in range(0, len(memo), 10))
    decoded = [data for label, data, _ in embedded.payloads(written) if label.startswith("#codepoints")]
    assert decoded and "机密★5年\n关于调整".encode() in decoded[0]
    assert _unread(written) == 0
    verdict = build_pipeline().scan_bytes(written.encode(), origin="collate.txt")
    assert any(hit.category == "classification" for hit in verdict.hits)


def test_a_memo_and_a_document_written_as_charmap_escapes_are_decoded_and_held():
    pipeline = build_pipeline()
    memo = "CONFIDENTIAL\nBoard memo: we will buy Harbour Bakery for 4.1 million in June.\n" * 40
    written = "\n".join("".join(f"/x{b:02x}" for b in memo.encode()[i:i + 16])
                        for i in range(0, len(memo.encode()), 16))
    decoded = [data for label, data, _ in embedded.payloads(written) if label.startswith("#byte-escapes")]
    assert decoded and decoded[0] == memo.encode()
    verdict = pipeline.scan_bytes(written.encode(), origin="CP949")
    assert any(hit.category == "classification" for hit in verdict.hits)
    # Random bytes (an encrypted file) so written: decoded, and held as unreadable.
    noise = "\n".join("".join(f"/x{b:02x}" for b in DOCUMENT[i:i + 16]) for i in range(0, 8000, 16))
    verdict = pipeline.scan_bytes(noise.encode(), origin="CP949")
    assert not verdict.passed and all(hit.category == "policy" for hit in verdict.hits)


def test_a_memo_written_as_c_escapes_is_decoded_and_held():
    memo = "SECRET//NOFORN\nSubject: the convoy leaves the northern depot at 0400 on 3 June.\n" * 40
    written = "\n".join('"' + "".join(f"\\x{b:02x}" for b in memo.encode()[i:i + 16]) + '"'
                        for i in range(0, len(memo.encode()), 16))
    assert _unread(written) == 0
    verdict = build_pipeline().scan_bytes(written.encode(), origin="strings.c")
    assert any(hit.category == "classification" for hit in verdict.hits)


def test_a_marking_written_as_code_points_in_a_character_class_is_held():
    marking = "".join(f"<U{ord(c):04X}>" for c in "TOP SECRET//NOFORN")
    text = i18n_ctype().replace("upper /\n", f"upper /\n   {marking};/\n", 1)
    verdict = build_pipeline().scan_bytes(text.encode(), origin="i18n_ctype")
    assert any(hit.category == "classification" for hit in verdict.hits)
    assert all(hit.category != "policy" for hit in verdict.hits)
