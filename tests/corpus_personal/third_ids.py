"""Identifiers of a third held-out round, generated from their published rules.

Written before reading Redline's personal-data engine's table, from each issuer's public
description (as python-stdnum and the rules it cites give it): the US ITIN (9, group
50-65, 70-88, 90-92, 94-99) and EIN (campus prefixes); the Portuguese NIF (mod 11, weights
9..2); the Belgian national number (97 - n mod 97, a 2 before births from 2000); the German
Steuer-ID (one digit twice or thrice among the first ten, ISO 7064 MOD 11,10); the Danish
CPR (a date and a serial, no check since 2007); the Norwegian fødselsnummer (two mod-11
digits); the Finnish HETU (mod 31 letter, century sign); the Czech and Slovak rodné číslo
(ten digits divisible by 11, women's month + 50); the Romanian CNP (weights 279146358279);
the Japanese My Number (mod 11 over weights 2-7); the Chilean RUT (mod 11, K); the South
African ID (Luhn, citizenship digit); the Turkish TC Kimlik (two sums mod 10); the Israeli
ID (Luhn over nine digits). For hard negatives: numbers that look alike but are not
anyone's (EINs of firms, 18-digit ids failing GB 11643, epoch milliseconds, GTINs).
"""

from __future__ import annotations

import datetime
import random

from tests.corpus_personal.world_ids import birth_date, digits, luhn_digit


def _born(rng: random.Random, today: datetime.date) -> datetime.date:
    return birth_date(rng, today)


# --- United States -------------------------------------------------------------------------

ITIN_GROUPS = [*range(50, 66), *range(70, 89), *range(90, 93), *range(94, 100)]
EIN_PREFIXES = [
    *range(1, 7),
    *range(10, 17),
    *range(20, 28),
    *range(30, 49),
    *range(50, 69),
    *range(71, 78),
    *range(80, 89),
    *range(90, 96),
    98,
    99,
]


def us_itin(rng: random.Random) -> str:
    return f"9{rng.randint(0, 99):02d}-{rng.choice(ITIN_GROUPS)}-{rng.randint(0, 9999):04d}"


def us_ein(rng: random.Random) -> str:
    return f"{rng.choice(EIN_PREFIXES):02d}-{rng.randint(0, 9_999_999):07d}"


# --- Europe --------------------------------------------------------------------------------


def pt_nif(rng: random.Random, first: str = "123") -> str:
    """A person's NIF starts 1, 2 or 3; mod 11 over weights 9..2."""
    body = rng.choice(first) + digits(rng, 7)
    check = 11 - sum(int(d) * w for d, w in zip(body, range(9, 1, -1), strict=True)) % 11
    return body + str(0 if check >= 10 else check)


def be_nn(rng: random.Random, today: datetime.date) -> str:
    """YY.MM.DD-SSS.CC: CC = 97 - (YYMMDDSSS mod 97), with a 2 in front for births from 2000."""
    born = _born(rng, today)
    body = f"{born:%y%m%d}{rng.randint(1, 997):03d}"
    base = int(("2" if born.year >= 2000 else "") + body)
    check = 97 - base % 97
    return f"{body[:2]}.{body[2:4]}.{body[4:6]}-{body[6:9]}.{check:02d}"


def _mod11_10(body: str) -> str:
    """ISO 7064 MOD 11,10 check digit."""
    product = 10
    for ch in body:
        total = (int(ch) + product) % 10 or 10
        product = (total * 2) % 11
    return str((11 - product) % 10)


def de_idnr(rng: random.Random) -> str:
    """Eleven digits, no leading 0; among the first ten one digit twice, eight once, one missing."""
    while True:
        pool = rng.sample("0123456789", 9)
        body = [*pool, rng.choice(pool)]
        rng.shuffle(body)
        text = "".join(body)
        if text[0] != "0":
            return text + _mod11_10(text)


def dk_cpr(rng: random.Random, today: datetime.date) -> str:
    born = _born(rng, today)
    # The seventh digit with the year gives the century (4-9 serve births from 2000 on).
    seventh = rng.choice("0123") if born.year < 2000 else rng.choice("4")
    return f"{born:%d%m%y}-{seventh}{rng.randint(0, 999):03d}"


def no_fnr(rng: random.Random, today: datetime.date) -> str:
    """DDMMYY, individual number (500-999 for births from 2000), two mod-11 digits."""
    while True:
        born = _born(rng, today)
        ind = rng.randint(0, 499) if born.year < 2000 else rng.randint(500, 999)
        body = f"{born:%d%m%y}{ind:03d}"
        k1 = 11 - sum(int(d) * w for d, w in zip(body, (3, 7, 6, 1, 8, 9, 4, 5, 2), strict=True)) % 11
        k1 = 0 if k1 == 11 else k1
        if k1 == 10:
            continue
        body += str(k1)
        k2 = 11 - sum(int(d) * w for d, w in zip(body, (5, 4, 3, 2, 7, 6, 5, 4, 3, 2), strict=True)) % 11
        k2 = 0 if k2 == 11 else k2
        if k2 != 10:
            return body + str(k2)


def fi_hetu(rng: random.Random, today: datetime.date) -> str:
    born = _born(rng, today)
    sign = "-" if born.year < 2000 else "A"
    serial = rng.randint(2, 899)
    check = "0123456789ABCDEFHJKLMNPRSTUVWXY"[int(f"{born:%d%m%y}{serial:03d}") % 31]
    return f"{born:%d%m%y}{sign}{serial:03d}{check}"


def cz_rc(rng: random.Random, today: datetime.date) -> str:
    """YYMMDD/SSSC for births after 1954: the ten digits are divisible by 11."""
    while True:
        born = _born(rng, today)
        month = born.month + (50 if rng.random() < 0.5 else 0)
        body = f"{born:%y}{month:02d}{born:%d}{rng.randint(0, 999):03d}"
        check = int(body) % 11
        if check != 10:
            return f"{body[:6]}/{body[6:]}{check}"


def ro_cnp(rng: random.Random, today: datetime.date) -> str:
    """S YYMMDD JJ NNN C: sex and century, birth date, county (01-46, 51, 52), serial, check."""
    born = _born(rng, today)
    sex = rng.choice("12") if born.year < 2000 else rng.choice("56")
    county = rng.choice([*range(1, 47), 51, 52])
    body = f"{sex}{born:%y%m%d}{county:02d}{rng.randint(1, 999):03d}"
    check = sum(int(d) * int(w) for d, w in zip(body, "279146358279", strict=True)) % 11
    return body + ("1" if check == 10 else str(check))


def tr_tckn(rng: random.Random) -> str:
    body = str(rng.randint(1, 9)) + digits(rng, 8)
    odd = sum(int(d) for d in body[0::2])
    even = sum(int(d) for d in body[1::2])
    body += str((odd * 7 - even) % 10)
    return body + str(sum(int(d) for d in body) % 10)


# --- Elsewhere -------------------------------------------------------------------------------


def jp_my_number(rng: random.Random) -> str:
    """Twelve digits; the last is 11 - (sum mod 11) over weights 2..7, 2..6 from the right (0 for <= 1)."""
    body = digits(rng, 11)
    weights = [n + 1 if n <= 6 else n - 5 for n in range(1, 12)]
    total = sum(int(d) * w for d, w in zip(reversed(body), weights, strict=True)) % 11
    return body + str(0 if total <= 1 else 11 - total)


def jp_my_number_spaced(number: str) -> str:
    return f"{number[:4]} {number[4:8]} {number[8:]}"


def cl_rut(rng: random.Random) -> str:
    """12.345.678-5: mod 11 over weights 2..7 from the right, 10 is K and 11 is 0."""
    body = str(rng.randint(5_000_000, 26_000_000))
    total = sum(int(d) * (2 + i % 6) for i, d in enumerate(reversed(body)))
    check = 11 - total % 11
    mark = {10: "K", 11: "0"}.get(check, str(check))
    return f"{int(body):,}".replace(",", ".") + "-" + mark


def za_id(rng: random.Random, today: datetime.date) -> str:
    """YYMMDD SSSS C A Z: birth date, gender serial, citizenship (0/1), 8, Luhn digit."""
    born = _born(rng, today)
    body = f"{born:%y%m%d}{rng.randint(0, 9999):04d}{rng.choice('01')}8"
    return body + luhn_digit(body)


def il_id(rng: random.Random) -> str:
    """Nine digits whose Luhn sum is 0 mod 10 (the Population Registry's check)."""
    body = digits(rng, 8)
    return body + luhn_digit(body)


def cn_18_failing(rng: random.Random, good: str) -> str:
    """18 digits of an identity number's shape whose GB 11643 check character is wrong."""
    wrong = [c for c in "0123456789" if c != good[-1]]
    return good[:17] + rng.choice(wrong)


def epoch_ms(rng: random.Random) -> str:
    return str(rng.randint(1_700_000_000_000, 1_800_000_000_000))


def gtin13(rng: random.Random, prefix: str = "40") -> str:
    body = prefix + digits(rng, 12 - len(prefix))
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)
