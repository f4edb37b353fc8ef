"""Machine-readable zones (ICAO 9303 TD1, TD2, TD3) counted as passport numbers without a label.

Zones are built here with the round's own check-digit code (tests/corpus_personal/
world_ids.py, written from ICAO 9303 part 3), not the engine's.
"""

from __future__ import annotations

import datetime
import random
import string

import pytest

from filters.engines.personal import PersonalEngine
from filters.engines.personal_formats import MRZ_LAYOUTS, mrz_check_digit, read_mrz, valid_mrz
from filters.types import Part
from tests.corpus_personal import world_ids as w

TODAY = datetime.date(2026, 3, 1)
NATIONS = ["GBR", "DEU", "FRA", "ITA", "NLD", "USA", "CAN", "IND", "BRA", "ESP"]
# ICAO 9303's specimens of Utopia (parts 4, 5 and 6).
SPECIMENS = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10",
    "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<",
    "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6",
)


@pytest.fixture(scope="module")
def engine() -> PersonalEngine:
    return PersonalEngine(today=lambda: TODAY)


def rules(engine: PersonalEngine, text: str) -> set[str]:
    return {h.rule for h in engine.scan(Part(origin="test", text=text, role="body"))}


def td3(rng: random.Random) -> str:
    first, last = w.person(rng)
    name = "".join(c for c in last.upper() if c.isascii() and c.isalpha())
    return "\n".join(w.mrz_td3(rng, name, first.upper().split()[0], rng.choice(NATIONS), TODAY))


def _dates(rng: random.Random) -> tuple[str, str]:
    born = w.birth_date(rng, TODAY)
    return f"{born:%y%m%d}", f"{TODAY + datetime.timedelta(days=rng.randint(100, 3000)):%y%m%d}"


def td1(rng: random.Random) -> str:
    number = "".join(rng.choices(string.ascii_uppercase + string.digits, k=9))
    nation = rng.choice(NATIONS)
    born, expires = _dates(rng)
    line1 = f"I<{nation}{number}{w.mrz_digit(number)}" + "<" * 15
    line2 = f"{born}{w.mrz_digit(born)}{rng.choice('MF')}{expires}{w.mrz_digit(expires)}{nation}" + "<" * 11
    line2 += w.mrz_digit(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
    return "\n".join((line1, line2, "DOE<<JANE<<<<<<<<<<<<<<<<<<<<<"))


def td2(rng: random.Random) -> str:
    number = "".join(rng.choices(string.ascii_uppercase + string.digits, k=9))
    nation = rng.choice(NATIONS)
    born, expires = _dates(rng)
    line2 = f"{number}{w.mrz_digit(number)}{nation}{born}{w.mrz_digit(born)}F{expires}{w.mrz_digit(expires)}"
    line2 += "<" * 7
    line2 += w.mrz_digit(line2[0:10] + line2[13:20] + line2[21:35])
    return f"I<{nation}DOE<<JANE".ljust(36, "<") + "\n" + line2


def test_check_digits_follow_icao_9303_worked_example():
    assert mrz_check_digit("L898902C3") == "6"
    assert mrz_check_digit("740812") == "2"
    assert mrz_check_digit("120415") == "9"


@pytest.mark.parametrize("make", [td3, td1, td2], ids=["TD3", "TD1", "TD2"])
def test_a_manifest_of_zones_is_held_without_a_passport_label(engine, make):
    rng = random.Random(3)
    zones = [make(rng) for _ in range(4)]
    assert len(read_mrz("\n".join(zones).encode())[0]) == 4
    # The engine reads only where Hyperscan finds a zone's shape: the same numbers.
    assert engine._read_zones("\n".join(zones).encode()) == read_mrz("\n".join(zones).encode())[0]
    hits = list(engine.scan(Part(origin="test", text="Guests checked in today\n" + "\n\n".join(zones))))
    assert [h.rule for h in hits] == ["personal.passport"]
    assert "4 passport numbers" in hits[0].excerpt
    assert not any(zone.split("\n")[0][5:14] in hits[0].excerpt for zone in zones)  # masked


def test_one_travellers_zone_passes(engine):
    rng = random.Random(5)
    text = "Dear visa office,\nthe OCR of my passport page:\n" + td3(rng) + "\nRegards"
    assert len(read_mrz(text.encode())[0]) == 1
    assert rules(engine, text) == set()


def test_a_broken_check_digit_is_no_zone(engine):
    rng = random.Random(7)
    broken = []
    # The document number's, the birth date's, the expiry's and the composite check digit.
    for place in (9, 19, 27, 43):
        for _ in range(3):
            line1, line2 = td3(rng).split("\n")
            wrong = str((int(line2[place]) + rng.randint(1, 9)) % 10)
            broken.append(line1 + "\n" + line2[:place] + wrong + line2[place + 1 :])
    assert read_mrz("\n".join(broken).encode()) == ([], 0)
    assert rules(engine, "\n".join(broken)) == set()


def test_published_specimens_count_as_no_one(engine):
    rng = random.Random(9)
    layouts = {layout.name: layout for layout in MRZ_LAYOUTS}
    assert valid_mrz(layouts["TD3"], SPECIMENS[0].split("\n")[1]) == "L898902C3"
    docs = "\n\n".join(("MRZ parser test vectors (ICAO 9303):", *SPECIMENS, *SPECIMENS[:1]))
    assert read_mrz(docs.encode()) == ([], 4)
    assert rules(engine, docs) == set()
    # Two real zones beside the specimens stay below the threshold of three.
    assert rules(engine, docs + "\n" + td3(rng) + "\n" + td1(rng)) == set()


def test_random_lines_of_capitals_and_fillers_are_no_zones(engine):
    rng = random.Random(11)
    alphabet = string.ascii_uppercase + "<" * 10 + string.digits
    lines = ["P<" + "".join(rng.choices(alphabet, k=42)) for _ in range(2000)]
    lines += ["".join(rng.choices(string.ascii_uppercase + "<", k=44)) for _ in range(2000)]
    # Lines of a zone's shape, their digits random: four or five check digits must hold.
    digits = lambda k: "".join(rng.choices(string.digits, k=k))  # noqa: E731
    lines += [
        "".join(rng.choices(string.ascii_uppercase + string.digits, k=9)) + digits(1) + "GBR"
        + digits(7) + "M" + digits(7) + "<" * 14 + digits(2)
        for _ in range(2000)
    ]
    text = "\n".join(lines)
    assert read_mrz(text.encode()) == ([], 0)
    assert engine._read_zones(text.encode()) == []
    assert rules(engine, text) == set()


def test_zones_and_labelled_numbers_count_together(engine):
    rng = random.Random(13)
    text = "Passport numbers: E12345678, G87654321\n" + td3(rng)
    assert rules(engine, text) == {"personal.passport"}
