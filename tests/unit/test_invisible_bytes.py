"""Bytes written as variation selectors are read back; ordinary selectors are not runs."""

from filters import invisible_bytes
from filters.normalise import utf8


def _smuggled(data: bytes) -> str:
    return "".join(chr(0xFE00 + b) if b < 16 else chr(0xE0100 + b - 16) for b in data)


def test_every_byte_value_is_read_back():
    data = bytes(range(256))
    text = "look \U0001F600" + _smuggled(data) + " ok"
    [(span, decoded)] = invisible_bytes.runs(text, utf8(text))
    assert decoded == data
    assert text[span[0] - 1] == "\U0001F600" and text[span[1]:] == " ok"


def test_emoji_and_ideograph_variants_are_no_run():
    # U+FE0F after emoji, a text-style selector, ideographic variation sequences (VS17+).
    text = ("I \u2764\ufe0f it \u263a\ufe0f \u2603\ufe0e " + "\u845b\U000e0100\u8fbb\U000e0101"
            + "\U0001F44D\ufe0f" * 20)
    assert list(invisible_bytes.runs(text, utf8(text))) == []


def test_two_runs_in_one_text_are_read_apart():
    text = "a\U0001F600" + _smuggled(b"first memo") + " b \u263a" + _smuggled(b"second memo")
    assert [data for _, data in invisible_bytes.runs(text, utf8(text))] == [b"first memo", b"second memo"]
