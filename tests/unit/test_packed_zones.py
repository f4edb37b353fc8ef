"""moment-timezone's packed zone strings are taken from the judge of encoded text when they
are what the format says (filters/packed_zones.py); anything else in their shape is not."""

from __future__ import annotations

import base64
import random

import pytest
from fixtures.time_zones import base60, packed_data, zone

from filters import embedded, packed_zones


def _unread(text: str) -> int:
    spans: list[tuple[int, int]] = []
    list(embedded.payloads(text, spans))
    return embedded.unread_encoded(text, spans)


@pytest.mark.parametrize("minutes", [0, 59, 60, 342_720, -27_000_000, 1_000_000])
def test_numbers_read_back_as_written(minutes):
    assert packed_zones.number(base60(minutes)) == minutes


def test_a_fraction_of_a_minute_is_read():
    assert packed_zones.number("-2ldXH.Q") == -(((2 * 60 + 21) * 60 + 13) * 60 + 59) * 60 - 43 - 52 / 60


def test_a_packed_data_file_is_taken_from_the_judge():
    text = packed_data()
    assert embedded.unread_encoded(text) >= embedded.UNREAD_HOLD_CHARS  # judged alone: encoded
    assert len(packed_zones.zone_spans(packed_zones.shaped(text))) == 240
    assert _unread(text) == 0


def test_the_same_zones_in_a_script_are_taken_too():
    script = ("!function(e){e.tz.load(" + packed_data(seed=9) + ")}(moment);\n"
              "moment.tz.setDefault('Europe/City_003');\n")
    assert _unread(script) == 0


RNG = random.Random(4)
GOOD = zone("Europe/City_001", RNG)
NAME, ABBRS, OFFSETS, INDICES, UNTILS, POPULATION = GOOD.split("|")
TOKENS = UNTILS.split(" ")
BASE64 = base64.b64encode(random.Random(1).randbytes(3 * len(TOKENS))).decode()


def _with(**fields: str) -> str:
    values = dict(name=NAME, abbrs=ABBRS, offsets=OFFSETS, indices=INDICES, untils=UNTILS,
                  population=POPULATION) | fields
    return '"' + "|".join(values.values()) + '"'


NOT_ZONES = {
    "an abbreviation fewer than offsets": _with(abbrs=ABBRS.rsplit(" ", 1)[0]),
    "an index naming no offset": _with(indices=INDICES[:-1] + "3"),
    "an until too many": _with(untils=UNTILS + " 1zc0"),
    "an offset over a day": _with(offsets=OFFSETS + " -" + base60(25 * 60), abbrs=ABBRS + " XXT"),
    "time running backwards": _with(untils=" ".join([*TOKENS[:3], "-" + TOKENS[3], *TOKENS[4:]])),
    "time past the year 2500": _with(untils=" ".join([*TOKENS[:-1], "zzzzz"])),
    "base64 in groups of four": _with(untils=" ".join(BASE64[i:i + 4] for i in range(0, 4 * len(TOKENS), 4))),
    "hex byte pairs": _with(untils=" ".join(f"{b:02x}" for b in random.Random(2).randbytes(len(TOKENS)))),
}


def test_a_zone_as_the_format_says_is_taken():
    assert packed_zones.zone_spans(packed_zones.shaped(('"x" | ' * 20) + _with())) != []


@pytest.mark.parametrize("kind", list(NOT_ZONES))
def test_a_string_that_does_not_hold_together_is_not_taken(kind):
    text = ('"x" | ' * 20) + NOT_ZONES[kind]
    assert packed_zones.zone_spans(packed_zones.shaped(text)) == []


def test_hex_written_as_untils_is_read_and_real_untils_are_not():
    data = b"PK\x03\x04" + bytes(range(60))
    hexed = data.hex()
    fake = zone("Europe/City_002", RNG, untils=[hexed[i:i + 4] for i in range(0, len(hexed), 4)])
    text = ('"x" | ' * 20) + '"' + fake + '" "' + GOOD + '"'
    assert packed_zones.hex_written(packed_zones.shaped(text)) == data
    assert packed_zones.hex_written(packed_zones.shaped(packed_data())) == b""
