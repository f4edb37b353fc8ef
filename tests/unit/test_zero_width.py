"""Text written as zero-width characters (bits or base-4/5 digits) is read back; ordinary
text that uses such characters one at a time (emoji sequences, Persian, Hindi, soft
hyphens) holds no run."""

from __future__ import annotations

import random

import pytest

from filters import embedded, zero_width
from filters.normalise import utf8

MEMO = "TOP SECRET//NOFORN: the convoy leaves the northern depot at dawn."


def _digits(value: int, base: int, width: int) -> list[int]:
    out = []
    for _ in range(width):
        value, digit = divmod(value, base)
        out.append(digit)
    return out[::-1]


def _write(units: list[int], alphabet: str, width: int) -> str:
    return "".join(alphabet[d] for unit in units for d in _digits(unit, len(alphabet), width))


# What public tools write (their READMEs and sources describe these schemes).
SCHEMES = {
    # 8 bits a byte, U+200B for 0 and U+200C for 1.
    "binary bytes": _write(list(MEMO.encode()), "\u200b\u200c", 8),
    # 16 bits a UTF-16 code unit, then a U+200D terminator (JavaScript charCodeAt tools).
    "binary code units, terminated": _write([ord(c) for c in MEMO], "\u200b\u200c", 16) + "\u200d",
    # A character's bits unpadded, characters apart by a word joiner (Steganographr).
    "binary between word joiners": "\u2060".join(
        "".join("\u200b\u200c"[int(b)] for b in format(ord(c), "b")) for c in MEMO),
    # Base 4 over U+200C U+200D U+202C U+FEFF, 8 digits a code unit (the 330k web page).
    "base 4 code units": _write([ord(c) for c in MEMO], "\u200c\u200d\u202c\ufeff", 8),
    # Base 5, 4 digits a byte.
    "base 5 bytes": _write(list(MEMO.encode()), "\u200b\u200c\u200d\u2060\ufeff", 4),
    # U+200B for 1 and U+FEFF for 0, a byte's bits low first.
    "binary low bit first": "".join("\ufeff\u200b"[int(b)] for byte in MEMO.encode()
                                    for b in format(byte, "08b")[::-1]),
}


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_memo_as_zero_width_characters_is_read_back(scheme):
    text = "Thanks for lunch!" + SCHEMES[scheme] + " See you."
    [(span, data)] = list(zero_width.runs(text, utf8(text)))
    assert data.decode() == MEMO
    assert text[:span[0]] == "Thanks for lunch!" and text[span[1]:] == " See you."


def test_a_long_text_is_found_by_the_vector_test_too():
    text = "ordinary words " * 5000 + SCHEMES["binary bytes"] + " more words" * 5000
    assert [data for _, data in zero_width.runs(text, utf8(text), vectors=True)] == [MEMO.encode()]


def test_the_decoded_memo_is_an_embedded_payload():
    text = "Thanks!" + SCHEMES["base 4 code units"]
    assert [(label, data) for label, data, _ in embedded.payloads(text)] == [
        ("#zero-width[1]", MEMO.encode())]


def test_random_invisible_characters_are_no_text():
    rng = random.Random(7)
    noise = "".join(rng.choice("\u200b\u200c\u200d\ufeff") for _ in range(2000))
    assert list(zero_width.runs(noise, utf8(noise))) == []


ORDINARY = {
    # Persian: the zero-width non-joiner inside words (می‌خواهم, کتاب‌ها).
    "persian": "می\u200cخواهم این کتاب\u200cها را به کتابخانه\u200cی دانشگاه برگردانم.",
    # Hindi and Malayalam: joiners that pick a conjunct's or chillu's shape.
    "hindi": "क्\u200dष, क्\u200cष और स्\u200dत्री; മലയാളം ന്\u200d",
    # Emoji: family and profession sequences joined by U+200D, with U+FE0F.
    "emoji": "\U0001F468\u200d\U0001F469\u200d\U0001F467\u200d\U0001F466 \U0001F469\u200d\U0001F4BB "
             "\U0001F3F3\ufe0f\u200d\U0001F308 \u2764\ufe0f\u200d\U0001F525",
    # Soft hyphens in a long German word, a BOM at the start, bidi marks around a name.
    "marks": "\ufeffDonau\u00addampf\u00adschiff\u00adfahrts\u00adgesell\u00adschaft "
             "\u200fשלום\u200e and \u202bعربي\u202c \u2066x\u2069",
}


@pytest.mark.parametrize("kind", list(ORDINARY))
def test_ordinary_text_using_invisible_characters_singly_holds_no_run(kind):
    text = (ORDINARY[kind] + "\n") * 2000
    assert list(zero_width.runs(text, utf8(text))) == []
    assert list(zero_width.runs(text, utf8(text), vectors=True)) == []
