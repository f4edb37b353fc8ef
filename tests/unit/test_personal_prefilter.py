"""The personal-data engine's first look: a part with nothing an identifier could stand
on is never handed to the scanner (which loads NumPy and its tables in each process).

The look must never hide a candidate: wherever the scanner records one, it answers yes.
"""

from __future__ import annotations

import datetime
import random
import subprocess
import sys
import textwrap

from filters.engines import personal_scan
from filters.engines.personal import MAY_HOLD, PersonalEngine, _literal_database, _matches
from filters.types import Part
from tests.fixtures import personal as data

TODAY = datetime.date.today()
SEPARATORS = (" ", "-", "  ", "/", ".", "\n", "", "X", "x")


def _fragment(rng: random.Random) -> str:
    """A real identifier of any kind, or a digit run, cut, regrouped or mistyped."""
    kind = rng.randrange(7)
    if kind == 0:
        value = rng.choice((data.cn_id(rng, TODAY), data.bad_cn_id(rng, TODAY)))
    elif kind == 1:
        value = data.card_number(rng)
    elif kind == 2:
        value = rng.choice((data.dni_number(rng), data.nie_number(rng)))
    elif kind == 3:
        value = rng.choice((data.es_iban(rng), data.foreign_iban(rng)))
    elif kind == 4:  # a digit run (an order number, a MIME boundary), maybe a letter after
        value = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 25)))
        value += rng.choice(("", "", "A", "z", " Q", "-T", "X"))
    elif kind == 5:  # a resident ID's shape with any birth date around the years read
        value = (f"{rng.randrange(10**6):06d}{rng.randint(1885, 2105)}{rng.randint(0, 13):02d}"
                 f"{rng.randint(0, 32):02d}{rng.randrange(1000):03d}{rng.choice('0123456789Xx')}")
    else:
        value = rng.choice(("ES", "DE", "GB", "FR", "NL", "Q", "FY", "id", "身份证"))
    if rng.random() < 0.5:  # cut
        start = rng.randrange(len(value))
        value = value[start:start + rng.randint(1, len(value))]
    if rng.random() < 0.5:  # regrouped: a separator every few characters
        step = rng.randint(1, 6)
        separator = rng.choice(SEPARATORS)
        value = separator.join(value[i:i + step] for i in range(0, len(value), step))
    if rng.random() < 0.3 and value:  # mistyped
        at = rng.randrange(len(value))
        value = value[:at] + rng.choice("0123456789 -AZx") + value[at + 1:]
    return value


def _random_text(rng: random.Random) -> bytes:
    pieces = [_fragment(rng) for _ in range(rng.randint(1, 4))]
    return "".join(rng.choice(SEPARATORS) + piece for piece in pieces).encode()


def test_no_candidate_is_ever_recorded_where_the_first_look_sees_none():
    database = _literal_database(list(MAY_HOLD), None, caseless=False)
    rng = random.Random(2026)
    recorded = unseen = 0
    for _ in range(20_000):
        text = _random_text(rng)
        records = personal_scan.scan(text, TODAY)
        seen = _matches(database, text)
        if len(records):
            recorded += 1
            assert seen, text
        unseen += not seen
    # Both answers came often: candidates of every shape, and near misses.
    assert recorded > 5_000 and unseen > 2_000, (recorded, unseen)


def test_every_kind_of_identifier_is_seen_by_the_first_look():
    database = _literal_database(list(MAY_HOLD), None, caseless=False)
    rng = random.Random(7)
    card = data.card_number(rng)
    values = [data.cn_id(rng, TODAY), card, data.grouped(card), data.grouped(card, "-"),
              data.dni_number(rng), data.nie_number(rng), data.es_iban(rng),
              data.foreign_iban(rng), "ES91 2100 0418 4502 0005 1332",
              "1 1 0 1 0 5 1 9 4 9 1 2 3 1 0 0 2 X", "110105 19491231 002X"]
    for value in values:
        text = f"mit freundlichen Grüßen {value} und so weiter".encode()
        assert len(personal_scan.scan(text, TODAY)), value
        assert _matches(database, text), value
    for clean in ("Meeting at 10:30 on 2026-12-05, room 4.12, ext. 4471",
                  "Q3 figures: revenue up 12 % on 1,234,567 units", "ISO 9001, Q3 and 2026",
                  "Message-ID: <0.7528511070a7@example.org>",
                  'multipart/mixed; boundary="===============1322679017866208575=="',
                  "Order 1000234567, tracking 00340434161094042557"):
        assert not _matches(database, clean.encode()), clean


def test_a_part_the_first_look_passes_gives_the_same_hits_as_a_full_scan():
    engine = PersonalEngine()
    rng = random.Random(3)
    register = "\n".join(f"{data.cn_id(rng, TODAY)}, 张三" for _ in range(12))
    labelled = "Passport numbers: passport X1234567 passport Y7654321 passport Z2345678"
    for text in (register, labelled, "Nothing to see in this plain note.", "passport photo"):
        engine.begin_item()
        found = [h.excerpt for h in engine.scan(Part(origin="mail/body", text=text))]
        found += [h.excerpt for h in engine.end_item("mail")]
        if text in (register, labelled):
            assert found, text
        else:
            assert found == [], text


def test_a_one_file_scan_of_plain_text_loads_neither_numpy_nor_stdnum(tmp_path):
    mail = tmp_path / "note.eml"
    mail.write_bytes(b"From: a@example.org\r\nTo: b@example.com\r\nSubject: Lunch\r\n\r\n"
                     b"See you at 12:30 on 5 December, table 14. Call 555-0100.\r\n")
    digits = tmp_path / "register.txt"
    digits.write_text("\n".join(f"{n:018d}" for n in range(110105194912310020, 110105194912310040)))
    code = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from filters.build import build_pipeline
        pipeline = build_pipeline(lazy=True)
        assert pipeline.scan_file(Path({str(mail)!r})).passed
        print("numpy" in sys.modules, "stdnum" in sys.modules)
        pipeline.scan_file(Path({str(digits)!r}))
        print("numpy" in sys.modules)
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.split() == ["False", "False", "True"]
