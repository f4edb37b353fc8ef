"""Look-alike digits in marking words (C0NFIDENTIAL) and marking words hyphenated across
a line end (CONFI-/DENTIAL) are read as the words; codes, part numbers and ordinary
hyphens are not changed.

The evasions are written from the public leetspeak tables (0 for O, 1 for I or L, 3 for
E, 4 and @ for A, 5 and $ for S, 7 for T, 8 for B, | for I); the hard negatives are
product names, part numbers, standards and serials as they are printed.
"""

import random

import pytest

from filters.engines.markings import MarkingEngine
from filters.normalise import _classed_runs, _short_runs, fold_marking_evasions, normalise
from filters.types import Part
from filters.vocabulary import marking_words
from tests.fixtures.shipped_rules import shipped_rules

ENGINE = MarkingEngine(shipped_rules())
WORDS = marking_words(["TOP SECRET", "CONFIDENTIAL", "RESTRICTED", "GEHEIM"])


def folded(text: str) -> str:
    return fold_marking_evasions(normalise(text), WORDS).text


def categories(text: str) -> set[str]:
    return {hit.category for hit in ENGINE.scan(Part(origin="t", text=text, role="body"))}


@pytest.mark.parametrize(("written", "read"), [
    ("C0NFIDENTIAL", "CONFIDENTIAL"),
    ("C0NF1DENT1AL", "CONFIDENTIAL"),
    ("C0NF1D3NT14L", "CONFIDENTIAL"),
    ("CONFIDENTI@L", "CONFIDENTIAL"),
    ("CONF|DENTIAL", "CONFIDENTIAL"),
    ("CONFIDENTIA1", "CONFIDENTIAL"),  # 1 for L
    ("5ECRET", "SECRET"),
    ("$ECRET", "SECRET"),
    ("S3CR37", "SECRET"),
    ("T0P SECRET", "TOP SECRET"),
    ("T0P 5ECRET", "TOP SECRET"),
    ("RESTR1CTED", "RESTRICTED"),
    ("R3STR1CT3D", "RESTRICTED"),
    ("GEHE1M", "GEHEIM"),
    ("Classification: C0NFIDENTIAL", "Classification: CONFIDENTIAL"),
    ("5ECRET_plan.docx", "SECRET_plan.docx"),
])
def test_lookalike_digits_in_a_marking_word_are_read_as_letters(written, read):
    assert folded(written) == read


@pytest.mark.parametrize("text", [
    "A320", "B737 MAX", "COVID19", "H5N1", "4G LTE", "5G", "IPv4", "ISO27001", "ISO 9001",
    "3D", "MP3", "S3 bucket", "EC2", "W3C", "L1 cache", "A4 paper", "F1", "B2B", "T1000",
    "SN 7B3E5A0", "DEADBEEF", "0xC0FFEE", "R2D2", "MI5", "PS5", "E85", "M1 chip", "5ECRETS",
    "SECRET7", "c0nfidential", "h4x0r l33t", "C0nfidential", "RS-232", "J0HN@EXAMPLE.COM",
    "| 5 | 3 |", "US$5", "50% OFF",
])
def test_codes_and_part_numbers_stay_as_written(text):
    assert folded(text) == text


def test_offsets_still_map_to_the_original():
    original = "Note: C\u200b0NFIDENTIAL here"
    norm = fold_marking_evasions(normalise(original), WORDS)
    start = norm.text.index("CONFIDENTIAL")
    span = norm.original_span(start, start + len("CONFIDENTIAL"))
    assert original[span[0]:span[1]] == "C\u200b0NFIDENTIAL"


@pytest.mark.parametrize(("written", "read"), [
    ("Classification: CONFI-\nDENTIAL", "Classification: CONFIDENTIAL"),
    ("[RESTRIC-\r\nTED]", "[RESTRICTED]"),
    ("Level: confi-  \n  dential", "Level: confidential"),
])
def test_a_marking_word_hyphenated_at_a_line_end_is_rejoined(written, read):
    assert folded(written) == read


@pytest.mark.parametrize("text", [
    "a well-\nknown service", "self-\nservice", "non-\nconfidential data", "TOP-\nSECRET",
    "pre-\nCONFIDENTIAL", "CONFI-\nDENTIALITY", "CONFI-\n\nDENTIAL", "CONFI- DENTIAL",
])
def test_other_hyphens_at_line_ends_stay(text):
    assert folded(text) == text


def test_rejoined_offsets_cover_the_line_break():
    original = "Classification: CONFI-\nDENTIAL"
    norm = fold_marking_evasions(normalise(original), WORDS)
    start = norm.text.index("CONFIDENTIAL")
    span = norm.original_span(start, start + len("CONFIDENTIAL"))
    assert original[span[0]:span[1]] == "CONFI-\nDENTIAL"


@pytest.mark.parametrize("text", [
    "C0NFIDENTIAL\n\nThe figures are attached.",
    "5ECRET//NOFORN\n\nThe figures are attached.",
    "T0P SECRET\n\nThe figures are attached.",
    "Classification: RESTR1CTED\nThe figures are attached.",
    "Classification: CONFI-\nDENTIAL\nThe figures are attached.",
    "The figures are attached.\n\n[C0NF1DENT1AL]",
    "VS-VERTRAUL1CH\n\nDie Zahlen sind beigefügt.",
])
def test_the_evasions_are_held_as_classification(text):
    assert "classification" in categories(text)


@pytest.mark.parametrize("text", [
    "The A320 and the B737 share the gate; H5N1 and COVID19 notes are in ISO27001 form.\n",
    "Order 4G LTE modems, MP3 players and 3D printers; IPv4 only.\nPart T0P-5EC-3T8 ships Monday.",
    "Serials: 5EC8E7A1, 7E57C0DE, C0FFEE15.\nKeep the S3 bucket private.",
    "The word is confi-\ndential in the old report, as we wrote in the minutes.",
])
def test_codes_and_prose_are_not_held(text):
    assert not categories(text) & {"classification", "draft"}


FILLER_LINE = "7XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\n"


@pytest.mark.parametrize("lines", [3, 12, 40, 80, 400])  # each side: 0.4-59 KB in all
@pytest.mark.parametrize(("written", "read"), [
    ("C0NFIDENTIAL", "CONFIDENTIAL"),
    ("|C0NFIDENTIAL|", "|CONFIDENTIAL|"),
    ("|C0NFIDENTIAL" + "|" * 30, "|CONFIDENTIAL" + "|" * 30),  # a long run: pipes trimmed
    ("T0P 5ECRET", "TOP SECRET"),
    ("A320 H5N1 ISO27001", "A320 H5N1 ISO27001"),
    ("5ECRETS", "5ECRETS"),
])
def test_a_large_text_is_folded_as_a_short_one(written, read, lines):
    # Past a few kilobytes only the runs that can hold a word are read (filler lines of a
    # digit and capitals, as smtp-source writes them, hold a hint on every line).
    filler = FILLER_LINE * lines
    assert folded(filler + written + "\n" + filler) == filler + read + "\n" + filler
    assert folded(written) == read


PROSE_LINE = "Revenue rose 4.5% to 1,380 units in 2025; see the table on page 17 for more.\n"


@pytest.mark.parametrize("lines", [3, 12, 30, 60, 120])
@pytest.mark.parametrize(("written", "read"), [
    ("C0NFIDENTIAL", "CONFIDENTIAL"),  # the only look-alike beside a capital
    ("CONFI-\nDENTIAL", "CONFIDENTIAL"),  # no look-alike beside a capital: the hyphen is read
    ("Q4 2025", "Q4 2025"),
])
def test_a_marking_among_figures_is_folded_as_alone(written, read, lines):
    # Prose with figures, short or long enough to be searched in its foldable runs only:
    # the one word with a look-alike beside a capital is found wherever it stands.
    filler = PROSE_LINE * lines
    assert folded(filler + written + "\n" + filler) == filler + read + "\n" + filler


@pytest.mark.parametrize("run", ["C0NFIDENTIAL", "|C0NFIDENTIAL|"])
def test_a_large_text_without_any_blank_is_folded_as_a_short_one(run):
    # One run of token characters, 20 KB long: it once made the run search index an
    # empty array, and the part was held as an extractor failure instead of being read.
    copies = 3 * (20_000 // (3 * len(run)) + 1)
    assert folded(run * copies) == folded(run * 3) * (copies // 3)


@pytest.mark.parametrize("seed", range(6))
def test_runs_bounded_around_hints_are_the_runs_every_character_is_classed_for(seed):
    # A long ASCII text without a pipe has its foldable runs bounded from the characters
    # around each hint alone; what it finds is what classing every character finds, with
    # runs at the text's ends, hints of a few characters' run and hints of too long a one.
    rng = random.Random(seed)
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ abc\n\t.-" * 6  # look-alikes a few in a hundred
    alphabet = letters + "0134578$@269"
    compared = 0
    for size in (1, 40, 300, 12_000):
        for _ in range(60):
            text = "".join(rng.choice(alphabet) for _ in range(size))
            if rng.random() < 0.3:
                text = FILLER_LINE * 20 + text
            for shortest in (1, 3, 6):
                bounded = _short_runs(text, shortest)
                if bounded is not None:
                    assert bounded == _classed_runs(text, shortest), (text, shortest)
                    compared += bool(bounded)
    assert compared > 20
    long_runs = FILLER_LINE * 200  # every hint in a run of 78 characters: none to fold
    assert _short_runs(long_runs, 3) == _classed_runs(long_runs, 3) == []


# Figures in scientific notation as programs and tables print them, and the hex code points
# of a case-mapping table (Unicode's UnicodeData.txt and the tables made from it write
# U+01E5 as "1E5"): a number, never the abbreviation LES.
@pytest.mark.parametrize("text", [
    "Reynolds number\n1E5\n",
    "Samples per run\t[1E5]\n",
    "1E5\t\t1E4\n1E7\t\t1E6\n1E9\t\t1E8\n",
    "Classification: 1E5\n",
])
def test_figures_in_scientific_notation_are_not_a_marking(text):
    assert "classification" not in categories(text)


@pytest.mark.parametrize("text", ["L3S\n\nThe figures are attached.", "Classification: LE$\n",
                                  "[1ES] Staffing plan", "Classification: FOU0\n"])
def test_lookalike_abbreviations_are_still_read(text):
    assert "classification" in categories(text)


# A token mostly of digits and signs is a code, or a few bytes of a binary file's text runs
# (FFmpeg's 440 Hz test MP3 has the run " 1E$" on a line of its own), not a word written
# with a look-alike or two.
@pytest.mark.parametrize("text", [" 1E$\n", "Classification: 1E$\n", "Item\t0U0\t\n", "[5B|]\n"])
def test_tokens_mostly_of_lookalikes_are_no_marking(text):
    assert "classification" not in categories(text)
