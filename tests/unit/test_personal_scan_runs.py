"""The personal-data scanner's run finding (64 bytes at a time, from a bit per byte)
against the byte-by-byte walk it replaced, on seeded generated text.

``_walk`` is that walk as it was (filters/engines/personal_scan.py before the run finding
moved to bit words), kept here as the reference: both must give identical records,
compiled and interpreted, including where a part's records fill up and the scan resumes.
"""

from __future__ import annotations

import datetime
import random

import numpy as np
import pytest

from filters.engines import personal_scan as ps
from tests.fixtures import personal as data

TODAY = datetime.date.today()


def _walk(a: np.ndarray, begin: int, records: np.ndarray, issuers: np.ndarray,
          counties: np.ndarray, ibans: np.ndarray, today: int, digits: np.ndarray,
          groups: np.ndarray, state: list[int]) -> tuple[int, int]:
    """The old scanner, byte by byte (interpreted here): candidate records of ``a`` from
    ``begin`` into ``records``; how many, and where it stopped (earlier than ``len(a)``
    when ``records`` is nearly full). ``state`` carries the chain being read to the
    walk that resumes there."""
    n = len(a)
    room = len(records) - 4  # one run writes at most three records
    count = 0
    group_count, chain_start, chain_digits, continues_at = state
    i = begin
    while i < n:
        c = a[i]
        if c < 48 or c > 57:
            i += 1
            continue
        start = i
        if count >= room:
            state[:] = [group_count, chain_start, chain_digits, continues_at]
            return count, start
        i += 1
        while i < n and 48 <= a[i] <= 57:
            i += 1
        end = i
        length = end - start
        # -- a digit run on its own ----------------------------------------------------
        if length >= 7:
            # The shape is checked on the bytes before any digit is copied: most long
            # runs in business files are neither dated nor in an issuer's range.
            if (length == 18 or (length == 17 and ps._check_x(a, end, n))) \
                    and ps._dated(a, start + 6):
                ps._gather(a, start, start + 17, digits)
                check = 10 if length == 17 else a[start + 17] - 48
                candidate, ok, key = ps._cn_id(digits, check, counties, today)
                if candidate:
                    ps._add(records, count, ps.CN_ID, ok, key, start, end + 18 - length)
                    count += 1
            if 13 <= length <= 19:
                candidate, ok, key = ps._card(a, start, length, 48, issuers)
                if candidate:
                    ps._add(records, count, ps.CARD, ok, key, start, end)
                    count += 1
            elif length <= 8:
                # DNI: 8 digits; NIE: X/Y/Z and 7; an optional space or hyphen, the letter.
                prefix = 0
                if start >= 1:
                    before = a[start - 1]
                    if before == 88 or before == 89 or before == 90 or before == 120 \
                            or before == 121 or before == 122:
                        prefix = (before & 0xDF) - 87  # X 1, Y 2, Z 3
                        if start >= 2 and ps._alnum(a[start - 2]):
                            prefix = -1
                    elif ps._alnum(before):
                        prefix = -1
                at = end
                if at < n and (a[at] == 32 or a[at] == 45):
                    at += 1
                if ((prefix == 0 and length == 8) or (prefix > 0 and length == 7)) and at < n \
                        and ps._letter(a[at]) and (at + 1 >= n or not ps._alnum(a[at + 1])):
                    number = 0
                    for index in range(start, end):
                        number = number * 10 + a[index] - 48
                    if prefix > 0:
                        number += (prefix - 1) * 10_000_000
                    letter = a[at] & 0xDF
                    key = (prefix * 100_000_000 + number) * 32 + letter - 64
                    ps._add(records, count, ps.ES_ID, ps._DNI_LETTERS[number % 23] == letter,
                                   key, start - (1 if prefix > 0 else 0), at + 1)
                    count += 1
        # -- an ps.IBAN: country letters and check digits, read over single spaces ------------
        if length >= 2 and start >= 2 and 65 <= a[start - 2] <= 90 and 65 <= a[start - 1] <= 90 \
                and (start == 2 or not ps._alnum(a[start - 3])):
            country = (a[start - 2] - 65) * 26 + a[start - 1] - 65
            iban_length = ibans[country, 0]
            if iban_length:
                remainder = 0
                key = 0
                laid_out = True
                read = 4
                at = start + 2
                last = at
                spaced = False
                while read < iban_length and at < n:
                    c = a[at]
                    kind = ibans[country, read - 3]
                    if 48 <= c <= 57:
                        remainder = (remainder * 10 + c - 48) % 97
                        laid_out = laid_out and kind != 2
                        digits[read - 4] = c - 48
                    elif 65 <= c <= 90:
                        remainder = (remainder * 100 + c - 55) % 97
                        laid_out = laid_out and kind != 1
                    elif c == 32 and not spaced:
                        spaced = True
                        at += 1
                        continue
                    else:
                        break
                    key = (key * 37 + c) % ps.CARD_KEY_MODULUS
                    spaced = False
                    read += 1
                    at += 1
                    last = at
                if read == iban_length:
                    # ISO 13616: the BBAN, then the country code and check digits, mod 97.
                    for index in range(start - 2, start + 2):
                        c = a[index]
                        key = (key * 37 + c) % ps.CARD_KEY_MODULUS
                        if c >= 65:
                            remainder = (remainder * 100 + c - 55) % 97
                        else:
                            remainder = (remainder * 10 + c - 48) % 97
                    ok = remainder == 1 and laid_out
                    if ok and country == ps.SPAIN:
                        ok = ps._ccc_ok(digits)
                    ps._add(records, count, ps.IBAN, ok, key, start - 2, last)
                    count += 1
        # -- chains of digit groups joined by single spaces or hyphens -----------------------
        if continues_at == start:
            if group_count < len(groups):
                groups[group_count] = length
            group_count += 1
            chain_digits += length
        else:
            chain_start = start
            groups[0] = length
            group_count = 1
            chain_digits = length
        if end + 1 < n and (a[end] == 32 or a[end] == 45) and 48 <= a[end + 1] <= 57:
            continues_at = end + 1
            continue
        continues_at = -1
        if 2 <= group_count <= len(groups) and chain_digits <= 19:
            shape = ps._chain_shape(groups, group_count, chain_digits)
            if shape >= 0:
                ps._gather(a, chain_start, end, digits)
                x_at = end + 1 if end + 1 < n and (a[end] == 32 or a[end] == 45) else end
                if shape in (ps.CN_ID, ps.SINGLES) and (
                        chain_digits == 18 or (chain_digits == 17 and ps._check_x(a, x_at, n))):
                    check = 10 if chain_digits == 17 else digits[17]
                    candidate, ok, key = ps._cn_id(digits, check, counties, today)
                    if candidate:
                        ps._add(records, count, ps.CN_ID, ok, key, chain_start,
                                       end if chain_digits == 18 else x_at + 1)
                        count += 1
                if shape in (ps.CARD, ps.SINGLES) and 13 <= chain_digits <= 19:
                    candidate, ok, key = ps._card(digits, 0, chain_digits, 0, issuers)
                    if candidate:
                        ps._add(records, count, ps.CARD, ok, key, chain_start, end)
                        count += 1
    return count, n


def _reference(text: bytes) -> np.ndarray:
    """Records of ``text`` by the old walk, in the same growing buffer ``ps.scan`` uses."""
    issuers, counties, ibans = ps.tables()
    day = ps.today_number(TODAY)
    records = np.empty((max(256, len(text) // 64), 5), dtype=np.int64)
    filled = position = 0
    groups, state = [0] * 24, [0, 0, 0, -1]
    while True:
        count, position = _walk(text, position, records[filled:], issuers, counties, ibans,
                                day, [0] * 40, groups, state)
        filled += count
        if position >= len(text):
            return records[:filled]
        grown = np.empty((len(records) * 2, 5), dtype=np.int64)
        grown[:filled] = records[:filled]
        records = grown


SEPARATORS = [" ", "-", ", ", ";", "\t", "\n", "  ", " - ", "/", ".", ":", "|", "—", "号"]


def _piece(rng: random.Random) -> str:
    """One generated token: identifiers in every layout the scanner joins, near misses,
    and the numbers business text is full of."""
    kind = rng.randrange(16)
    if kind == 0:  # card numbers in groups (4-4-4-4 and shorter last groups), or plain
        card = data.card_number(rng)
        return rng.choice([card, data.grouped(card), data.grouped(card, "-")])
    if kind == 1:  # resident IDs: plain, 6-8-4, one digit at a time, X check character
        ident = data.cn_id(rng, TODAY)
        if rng.random() < 0.4:
            ident = ident[:17] + rng.choice("Xx")
        layout = rng.randrange(3)
        if layout == 1:
            sep = rng.choice(" -")
            return f"{ident[:6]}{sep}{ident[6:14]}{sep}{ident[14:]}"
        return rng.choice(" -").join(ident) if layout == 2 else ident
    if kind == 2:  # IBANs with letters in the BBAN, grouped in fours or not
        iban = rng.choice([data.es_iban(rng), data.foreign_iban(rng), "GB82WEST12345698765432",
                           "NL91ABNA0417164300", "FR1420041010050500013M02606"])
        return data.grouped(iban) if rng.random() < 0.5 else iban
    if kind == 3:  # DNI and NIE, with and without a space or hyphen before the letter
        number = data.nie_number(rng) if rng.random() < 0.5 else data.dni_number(rng)
        if rng.random() < 0.3:
            number = number[:-1] + rng.choice(" -") + number[-1]
        return number.lower() if rng.random() < 0.2 else number
    if kind == 4:  # Amex 4-6-5 and Diners 4-6-4 layouts
        number = data.random_digits(rng, rng.choice([14, 15]))
        return f"{number[:4]} {number[4:10]} {number[10:]}"
    if kind == 5:  # digit groups of any width, joined by single spaces or hyphens
        return rng.choice(" -").join(data.random_digits(rng, rng.randint(1, 8))
                                     for _ in range(rng.randint(2, 7)))
    if kind == 6:  # long runs, across words of 64 bytes
        return data.random_digits(rng, rng.randint(19, 150))
    if kind == 7:  # capitals before digits (IBAN-like openings that are not IBANs)
        return rng.choice(["ES", "GB", "DE", "XX", "QQ", "ESX", "es"]) + data.random_digits(
            rng, rng.randint(1, 30))
    if kind == 8:
        return data.timestamp_digits(rng)
    if kind == 9:
        return rng.choice(["张伟", "Dirección", "Calle Mayor 5", "ext. 12", "N.º"])
    if kind == 10:  # X, Y, Z before digits inside words
        return rng.choice(["AX", "x", "Y", "zz", "BY"]) + data.random_digits(rng, 7) + \
            rng.choice(["A", "-b", " C", "", "1", "Zq"])
    return data.random_digits(rng, rng.randint(1, 20))


def _text(rng: random.Random) -> bytes:
    pieces = []
    for _ in range(rng.randint(0, 120)):
        pieces.append(_piece(rng))
        pieces.append(rng.choice(SEPARATORS))
    text = "".join(pieces).encode()
    if rng.random() < 0.3:  # an exact multiple of the word size: a run may end at the end
        text = text[: len(text) // 64 * 64]
    return text


@pytest.mark.parametrize("compiled", [True, False])
def test_run_finding_gives_the_records_of_the_byte_walk(compiled):
    rng = random.Random(2207)
    kinds = set()
    for _ in range(300):
        text = _text(rng)
        expected = _reference(text)
        found = ps.scan(text, TODAY, compiled=compiled)
        assert found.tolist() == expected.tolist(), text
        kinds.update(int(k) for k in expected[expected[:, ps.OK] == 1, ps.KIND])
    # The inputs hold valid identifiers of every kind (else the comparison proves little).
    assert kinds == {ps.CN_ID, ps.CARD, ps.ES_ID, ps.IBAN}


def test_run_finding_resumes_where_the_records_filled_up():
    rng = random.Random(2208)
    # Dense candidates: more records than the first buffer (one per 64 bytes) holds.
    text = ", ".join(data.card_number(rng) if i % 3 else data.grouped(data.card_number(rng))
                     for i in range(3000)).encode()
    expected = _reference(text)
    assert len(expected) > len(text) // 64
    for compiled in (True, False):
        found = ps.scan(text, TODAY, compiled=compiled)
        assert found.tolist() == expected.tolist()


def test_digit_words_mark_exactly_the_digits():
    rng = random.Random(2209)
    for size in (0, 1, 7, 63, 64, 65, 127, 128, 1000):
        # Every byte value, and the bytes around the digits most of all.
        text = bytes(rng.choice([rng.randrange(256), rng.randrange(40, 66)]) for _ in range(size))
        words = np.full(size // 64 + 1, 0xFFFF_FFFF_FFFF_FFFF, dtype=np.uint64)
        with np.errstate(over="ignore"):  # the interpreter warns where the compiler wraps
            ps._fill_words(np.frombuffer(text, dtype=np.uint8), words)
        bits = [(int(words[i // 64]) >> (i % 64)) & 1 for i in range(len(words) * 64)]
        assert bits[:size] == [1 if 48 <= b <= 57 else 0 for b in text]
        assert not any(bits[size:])


def _passport_text(rng: random.Random) -> bytes:
    """Passport numbers and near misses (four capitals, lower case or a digit before,
    five or nine digits, a letter after) between separators, at the very start and end."""
    pieces = []
    for _ in range(rng.randint(0, 60)):
        letters = "".join(rng.choice("ABEGXYZ") for _ in range(rng.randint(1, 4)))
        number = data.random_digits(rng, rng.randint(5, 9))
        before = rng.choice(["", "", "a", "9", "\"", "é", "ES", "x "])
        after = rng.choice(["", "", "A", "b", "0", "\"", "-", "号"])
        pieces.append(before + letters + number + after)
        pieces.append(rng.choice(SEPARATORS))
    return "".join(pieces).encode()


@pytest.mark.parametrize("compiled", [True, False])
def test_passport_shapes_are_the_words_the_passport_expression_matches(compiled):
    # The engine looks for passport labels only where the scanner counted a word of this
    # shape: every word the engine's passport expressions could read must be counted.
    from filters.engines.personal import _PASSPORT

    rng = random.Random(2210)
    for _ in range(300):
        text = _passport_text(rng)
        records, shapes = ps.scan_counted(text, TODAY, compiled=compiled)
        assert shapes == len(_PASSPORT.findall(text)), text
        assert records.tolist() == _reference(text).tolist(), text


def _mobile_text(rng: random.Random) -> bytes:
    """Mobile numbers in every layout the mobile expression reads (86 before them, a
    space or hyphen between the parts), columns of them joined by single spaces, and
    near misses: 10 and 12 digits, other cuts, 1 and 2 before the segment digit, 87."""
    pieces = []
    for _ in range(rng.randint(0, 60)):
        number = rng.choice(["1", "1", "1", "8"]) + data.random_digits(rng, rng.choice(
            [10, 10, 10, 9, 11, 12]))
        if rng.random() < 0.3:
            number = rng.choice(["86", "+86", "87", "6", "0"]) + rng.choice(["", " ", "-", "  "]) \
                + number
        cuts = sorted(rng.sample(range(1, len(number)), rng.randint(0, 3)))
        if rng.random() < 0.6:  # the layouts people write: 3-4-4, 3-8, 7-4
            cuts = rng.choice([[3, 7], [3], [7], [2, 5, 9], [2], []])
        cuts = [c for c in cuts if c < len(number) and number[c - 1].isdigit()]
        for cut in reversed(cuts):
            number = number[:cut] + rng.choice(" -") + number[cut:]
        pieces.append(number)
        pieces.append(rng.choice([*SEPARATORS, " ", " ", "-"]))
    return "".join(pieces).encode()


@pytest.mark.parametrize("compiled", [True, False])
def test_mobile_numbers_are_the_ones_the_mobile_expression_finds(compiled):
    # The engine counts the compiled scanner's mobile numbers into a hit where it counted
    # the expression's matches before: the same numbers, at the same places, in order.
    from filters.engines.personal import _MOBILE

    rng = random.Random(2211)
    found_any = 0
    for _ in range(400):
        text = _mobile_text(rng)
        mobiles = ps.mobile_numbers(text, compiled=compiled)
        expected = [(int(m.group(1) + m.group(2) + m.group(3)), m.start(1), m.end())
                    for m in _MOBILE.finditer(text)]
        assert [(key, start, end) for _, _, key, start, end in mobiles.tolist()] == expected, text
        found_any += len(expected)
    assert found_any > 1000
