"""Markings written in ROT13 or backwards are read back by the marking rules; ordinary text
with the transformed trigger words in it is not held."""

from __future__ import annotations

import pytest

from filters.build import build_pipeline
from filters.engines.substitution import ROTATIONS_EDGE, TRANSFORMS, reverse_lines, rot13, rotate

LINE = "TOP SECRET//NOFORN\nOperation orders for the second quarter follow."


@pytest.fixture(scope="module")
def pipeline():
    return build_pipeline(lazy=True)


def _scan(pipeline, text: str):
    return pipeline.scan_bytes(text.encode(), origin="body.txt")


@pytest.mark.parametrize(("text", "where"), [
    (rot13(LINE), "body.txt/#rot13"),
    (LINE[::-1], "body.txt/#reversed"),  # the whole text backwards
    (reverse_lines(LINE), "body.txt/#reversed"),  # `rev`: each line backwards
    (rot13(LINE)[::-1], "body.txt/#reversed-rot13"),
    ("Notes for Monday\n\n" + rot13("CONFIDENTIAL") + "\nThe budget follows.", "body.txt/#rot13"),
    # Letters rotated by another amount: ROT1 (``UPQ TFDSFU``), ROT25, and backwards too.
    (rotate(LINE, 1), "body.txt/#rot1"),
    (rotate(LINE, 25), "body.txt/#rot25"),
    (rotate(LINE, 3)[::-1], "body.txt/#reversed-rot3"),
])
def test_a_marking_in_rot13_or_backwards_is_held_where_it_was_read_back(pipeline, text, where):
    verdict = _scan(pipeline, text)
    assert verdict.action != "pass"
    assert {hit.where for hit in verdict.hits if hit.category == "classification"} == {where}


@pytest.mark.parametrize("text", [
    rot13("The secret to good bread is time.\nThis e-mail is confidential."),
    ("The secret to good bread is time. " * 3)[::-1],
    "STRAW\nwarts on the toad\nTERRA firma\nThe TERCES of Nivek are a band.",
    "Notes: FRPERG is our project code; TERCES and YNVGARQVSABP are test hosts.",
    # The trigger words rotated, as a word puzzle or a code name might have them.
    rotate("The secret to good bread is time.\nThis e-mail is confidential.", 1),
    "Puzzle answers: TFDSFU, VHFUHW, DPOGJEFOUJBM (shift each letter back).",
])
def test_ordinary_text_with_transformed_trigger_words_passes(pipeline, text):
    assert _scan(pipeline, text).action == "pass"


def test_each_transformation_is_read_back():
    for hide, read_back in TRANSFORMS.values():
        assert hide(LINE) != LINE
        assert read_back(hide(LINE)) == LINE


def test_a_plain_marking_is_found_once_not_again_under_a_transformation(pipeline):
    verdict = _scan(pipeline, LINE)
    assert verdict.action != "pass"
    assert {hit.where for hit in verdict.hits} == {"body.txt"}


# A long text: ROT13 and backwards are looked for throughout, the other rotations where a
# text's markings stand (its first and last ROTATIONS_EDGE characters).
FILLER = "Operation orders for the second quarter follow in the annex. " * 4000  # ~250 KB


@pytest.mark.parametrize(("text", "where"), [
    (rotate(LINE + "\n" + FILLER + "\n" + LINE, 7), "body.txt/#rot7"),  # rotated whole
    (FILLER + "\n" + rotate(LINE, 7), "body.txt/#rot7"),  # a banner at its foot
    (FILLER[:120_000] + "\n" + rot13(LINE) + "\n" + FILLER, "body.txt/#rot13"),
    (FILLER[:120_000] + "\n" + reverse_lines(LINE) + "\n" + FILLER, "body.txt/#reversed"),
])
def test_a_rotated_marking_in_a_long_text_is_read_back(pipeline, text, where):
    assert len(text) > 2 * ROTATIONS_EDGE
    verdict = _scan(pipeline, text)
    assert where in {hit.where for hit in verdict.hits if hit.category == "classification"}


@pytest.mark.parametrize(("text", "one_letter"), [
    ("1" + "X" * 77 + "\r\n2" + "X" * 77 + "\r\n", True),  # smtp-source's lines
    ("xXxX 12,5 %\n" * 40, True),  # one letter in either case
    ("2024-12-07;1450,00;EUR 3\n", False),  # two letters: E, U (and R)
    ("Годовой отчёт за 2026 год\n" * 30, True),  # no Latin letter at all
    ("", True),
    ("=" * 300 + "\nab", False),  # the second letter after the first bytes
    ("X" * 300 + "Y", False),
    ("X" * 300 + "é" * 5, True),  # a letter of another alphabet is no form's
])
def test_one_letter_at_most(text, one_letter):
    from filters.engines.substitution import _one_letter_at_most

    assert _one_letter_at_most(text.encode()) is one_letter


def test_a_text_of_one_letter_is_passed_by_as_the_pre_search_would(pipeline):
    # The databases find nothing where _one_letter_at_most lets a text pass unread.
    substitution = next(e for e in pipeline.text_engines if hasattr(e, "transforms"))
    substitution.load()
    assert substitution._two_letters
    for text in ("1" + "X" * 77 + "\r\n" * 200, "Z" * 5000, "0123 4567\n" * 100,
                 "Годовой отчёт за 2026 год\n" * 30, "s" * 70_000 + "\n" + "S" * 70_000):
        found = set()
        data = text.encode()
        for database in (substitution._named, substitution._others):
            database.scan(data, match_event_handler=lambda pattern, *_, seen=found: seen.add(pattern))
        assert not found
        assert substitution.transforms(text) == []
