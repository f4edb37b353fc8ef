"""Normalisation undoes evasions and keeps a map back to the original text."""

import pytest

from filters.normalise import despace, normalise


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("ＳＥＣＲＥＴ", "SECRET"),  # full-width forms
        ("SE\u200bCR\u200dET", "SECRET"),  # zero-width space and joiner
        ("SE\u00adCRET", "SECRET"),  # soft hyphen
        ("S\u2060E\ufeffCRET", "SECRET"),  # word joiner, BOM
        ("\u202eSECRET\u202c", "SECRET"),  # bidi override
        ("SЕCRЕT", "SECRET"),  # Cyrillic Е
        ("ΤΟΡ SΕCRΕΤ", "TOP SECRET"),  # Greek capitals
        ("机密★5年", "机密★5年"),  # CJK untouched
        ("机密☆５年", "机密★5年"),  # white star and full-width digit
        ("（征求意见稿）", "(征求意见稿)"),  # full-width parentheses
        ("DIFUSIÓN", "DIFUSIÓN"),  # precomposed Latin-1 stays
    ],
)
def test_normalise_folds_evasions(original, expected):
    assert normalise(original).text == expected


def test_offsets_map_spans_back_to_original_text():
    original = "Note: S\u200bE\u200bC\u200bR\u200bE\u200bT here"
    norm = normalise(original)
    start = norm.text.index("SECRET")
    o_start, o_end = norm.original_span(start, start + len("SECRET"))
    assert original[o_start:o_end] == "S\u200bE\u200bC\u200bR\u200bE\u200bT"


def test_offsets_for_expanding_compatibility_forms():
    original = "ﬁle SECRET"  # the ligature ﬁ becomes two characters
    norm = normalise(original)
    assert norm.text == "file SECRET"
    start = norm.text.index("SECRET")
    assert original[slice(*norm.original_span(start, start + 6))] == "SECRET"


def test_ascii_text_is_not_copied():
    norm = normalise("plain ascii")
    assert norm.offsets is None and norm.text == "plain ascii"


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        ("S E C R E T", "SECRET"),
        ("the S E C R E T plan", "the SECRET plan"),
        ("T O P  S E C R E T", "TOP SECRET"),
        ("机 密 ★ 5 年", "机密★5年"),
        ("草 稿", "草稿"),
        ("a normal sentence", "a normal sentence"),
        ("I am a b", "I am a b"),  # two ASCII singles are not a spaced word
    ],
)
def test_despace_joins_letter_spaced_words(window, expected):
    joined, index = despace(window)
    assert joined == expected
    assert len(index) == len(joined)
    assert all(window[i] == ch for i, ch in zip(index, joined, strict=True) if ch != " ")
