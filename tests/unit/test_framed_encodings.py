"""Framed binary-to-text encodings are read back whatever their length; text that only
looks like a frame is not."""

from __future__ import annotations

import base64
import binascii

from filters import framed_encodings

DATA = "机密 memo, line one\nline two\n".encode() + bytes(range(256))


def _uu(data: bytes) -> str:
    lines = [binascii.b2a_uu(data[i:i + 45]).decode() for i in range(0, len(data), 45)]
    return "begin 644 memo.bin\n" + "".join(lines) + "`\nend\n"


def test_each_framed_encoding_reads_back_its_bytes():
    xx = "+-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    xx_text = "".join(xx[(ord(c) - 32) & 63] if c != "\n" else c for c in _uu(DATA).split("\n", 1)[1]
                      .replace("`\nend\n", ""))
    yenc = "".join(chr((b + 42) % 256) if (b + 42) % 256 not in (0, 10, 13, 61)
                   else "=" + chr(((b + 42) % 256 + 64) % 256) for b in DATA)
    texts = {
        "uuencode": "Attached:\n" + _uu(DATA) + "Thanks\n",
        "xxencode": "begin 644 memo.bin\n" + xx_text + "+\nend\n",
        "yenc": f"=ybegin line=128 size={len(DATA)} name=memo.bin\n{yenc}\n=yend size={len(DATA)}\n",
        "ascii85": "See " + base64.a85encode(DATA, adobe=True).decode() + " above",
    }
    for kind, text in texts.items():
        found = list(framed_encodings.blocks(text))
        assert [(k, data) for _, k, data in found] == [(kind, DATA)], kind
        start, end = found[0][0]
        assert text[start:end].strip().endswith(("end", "~>", f"size={len(DATA)}")), kind


def test_text_that_only_looks_like_a_frame_gives_nothing():
    texts = [
        "We begin 644 days of work today.\nThe end\n",  # not at a line's start
        "begin 644 plan\nThis is no uuencode at all, just words.\nend\n",
        "An arrow <~ and a wave ~> in a chat.",
        "=ybegin\n",  # no fields, no body
    ]
    for text in texts:
        assert list(framed_encodings.blocks(text)) == [], text


def test_many_begin_lines_without_an_end_are_searched_once():
    # Each begin line searched to the text's end would be quadratic: with 50,000 of them,
    # minutes. The frames are walked once.
    text = "begin 644 x\nMM\n" * 50_000
    assert list(framed_encodings.blocks(text)) == []
    text = "=ybegin line=128 size=1 name=x\n" * 50_000
    assert len(list(framed_encodings.blocks(text))) <= framed_encodings.MAX_BLOCKS


def test_begin_line_followed_by_text_beyond_ascii_is_no_uuencode():
    # a2b_uu refuses a str with non-ASCII in it: such a line failed the whole part.
    text = "begin 644 Notiz.txt\nMGrüße aus Köln, die Notiz folgt morgen früh per Post, Jörg\nend\n"
    assert list(framed_encodings.blocks(text)) == []
