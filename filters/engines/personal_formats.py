"""Identifiers read beside their label: each format's written form, check and labels as data.

The compiled scanner (personal_scan.py) reads the numbers that are common enough to be
looked for in every part. The formats here are read only in a part where a label of
their kind stands (a table header ``CURP``, ``SSN``, ``HKID``, 身分證字號 …), found by one
Hyperscan pass of the labels, so a part without one costs that pass and nothing more.
Each format is a written form (a regular expression whose groups joined make the
value), a validator of the value by its published rule, the kind it counts for and the
share of random candidates that would pass (for the chance rule of personal.py):

- Hong Kong identity card (Immigration Department): one or two letters, six digits,
  check character in brackets; mod 11 over letter values A=10…Z=35, a blank (36) before
  a one-letter prefix, 10 written ``A``;
- Taiwan national identification number: a letter for the place of registration,
  1 or 2, seven digits and a check digit; the letter's two-digit code and the digits
  weighted 1 9 8 7 6 5 4 3 2 1 1 sum to a multiple of 10;
- Mexico's CURP (RENAPO): name initials, birth date, sex, state, inner consonants,
  homoclave and a check digit (weights 18…2 over ``0-9 A-N Ñ O-Z``, mod 10); RFC of a
  person (SAT): four letters, birth date, homoclave and a check character (weights
  13…2 over ``0-9 A-N & O-Z blank Ñ``, mod 11);
- Argentina's CUIL of a person (AFIP): 20, 23, 24 or 27, the DNI and a check digit
  (weights 5 4 3 2 7 6 5 4 3 2, mod 11); companies' CUIT (30, 33, 34) are not people's;
- US Social Security number (SSA): no area 000, 666 or 900-999, no group 00, no serial
  0000, and not the numbers the SSA lists as used in advertising;
- UK National Insurance number (HMRC): two prefix letters (not D F I Q U V, the second
  not O, not BG GB KN NK NT TN ZZ), six digits and A-D;
- Chinese resident ID numbers of 15 digits (issued before 1999, no check digit): a county
  of the register and a real birth date in the 1900s (``cn_id15``);
- a Spanish DNI written with thousands dots (12.345.678-Z); it counts as ``es_id``;
- mainland Chinese mobile numbers (MIIT's allocated segments) beside a mobile or phone
  label: a customer or member list; one number in a signature is far below the count.

- national, tax and health numbers of more countries, each by its issuer's published
  check: the UK NHS number (mod 11, weights 10…2), the Canadian SIN (Luhn), the Italian
  codice fiscale (CIN letter of the odd/even tables, omocodia letters read), the French
  NIR (key 97 - n mod 97, Corsica's 2A/2B), the Dutch BSN (11-test), the Brazilian CPF
  (two mod-11 digits), the Indian Aadhaar (Verhoeff), the Singapore NRIC/FIN (weights
  2 7 6 5 4 3 2 and the letter tables), the Korean resident registration number (a birth
  date and the mod-11 digit), the Swedish personnummer (a birth or coordination date and
  Luhn), the Polish PESEL (a birth date, weights 1 3 7 9) and the Australian TFN (weights
  1 4 3 7 5 8 6 9 10, mod 11).

- and more: the US ITIN (the IRS's groups; no check digit), the Portuguese NIF of a person
  (mod 11), the Belgian national and BIS number (97 - n mod 97), the German Steuer-ID (one
  digit repeated, ISO 7064 MOD 11,10), the Danish CPR number (a date; no check digit since
  2007), the Norwegian fødselsnummer (two mod-11 digits), the Finnish henkilötunnus (mod
  31), the Czech and Slovak rodné číslo (divisible by 11), the Romanian CNP (weights
  279146358279), the Japanese My Number (mod 11), the Chilean RUT of a person (mod 11, K),
  the South African ID (Luhn), the Turkish T.C. Kimlik number and the Israeli ID (Luhn).

Argentine DNI and Colombian cédula numbers are not read: they have no check digit, and a
part that names them writes amounts with the same thousands dots.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

# The first letter (place of registration) of a Taiwan ID and its two-digit code.
TW_LETTER_CODES = {letter: code for code, letter in enumerate("ABCDEFGHJKLMNPQRSTUVXYWZIO", start=10)}
TW_WEIGHTS = (1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1)
CURP_ALPHABET = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ"
RFC_ALPHABET = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ"
CUIL_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
CUIL_PEOPLE = ("20", "23", "24", "27")
# SSA: never issued, and the numbers it names as shown in advertising (the wallet card).
SSN_NOT_ISSUED = frozenset({"078051120", "219099999", "123456789"})
NINO_NOT_PREFIXES = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})
# Mexico's state codes in a CURP (and NE, born abroad).
CURP_STATES = frozenset(
    "AS BC BS CC CL CM CS CH DF DG GT GR HG JC MC MN MS NT NL OC PL "
    "QT QR SP SL SR TC TS TL VZ YN ZS NE".split()
)


def valid_hk_id(value: str, today: datetime.date | None = None) -> bool:
    """A Hong Kong identity card number: prefix letters, six digits, check (``A`` for 10)."""
    prefix, digits, check = value[:-7], value[-7:-1], value[-1]
    if not (1 <= len(prefix) <= 2 and prefix.isalpha() and digits.isdigit()):
        return False
    values = ([36] if len(prefix) == 1 else []) + [ord(c) - 55 for c in prefix] + [int(d) for d in digits]
    remainder = (11 - sum(v * w for v, w in zip(values, range(9, 1, -1), strict=True)) % 11) % 11
    return check == ("A" if remainder == 10 else str(remainder))


def valid_tw_id(value: str, today: datetime.date | None = None) -> bool:
    """A Taiwan national ID: place letter, 1 or 2, eight digits summing with weights to 0 mod 10."""
    code = TW_LETTER_CODES.get(value[:1])
    if code is None or len(value) != 10 or not value[1:].isdigit() or value[1] not in "12":
        return False
    numbers = [code // 10, code % 10, *(int(d) for d in value[1:])]
    return sum(n * w for n, w in zip(numbers, TW_WEIGHTS, strict=True)) % 10 == 0


def _born(yymmdd: str, today: datetime.date | None, century: int | None = None) -> datetime.date | None:
    """The birth date written as YYMMDD, or None when it is no date or not yet past.

    Without ``century`` (CURP, RFC) a year up to this year's is in the 2000s."""
    today = today or datetime.date.today()
    try:
        year = int(yymmdd[:2])
        if century is None:
            century = 2000 if year <= today.year % 100 else 1900
        born = datetime.date(century + year, int(yymmdd[2:4]), int(yymmdd[4:6]))
    except ValueError:
        return None
    return born if born <= today else None


def valid_curp(value: str, today: datetime.date | None = None) -> bool:
    """A CURP: 18 characters, a real birth date, sex, state, and the RENAPO check digit."""
    if (
        len(value) != 18
        or not value[:4].isalpha()
        or _born(value[4:10], today) is None
        or value[10] not in "HMX"
        or value[11:13] not in CURP_STATES
        or not value[17].isdigit()
    ):
        return False
    if any(c not in CURP_ALPHABET for c in value):
        return False
    total = sum(CURP_ALPHABET.index(c) * (18 - i) for i, c in enumerate(value[:17]))
    return (10 - total % 10) % 10 == int(value[17])


def valid_rfc(value: str, today: datetime.date | None = None) -> bool:
    """A person's RFC: four letters, a real birth date, homoclave and the SAT check character."""
    if len(value) != 13 or _born(value[4:10], today) is None or any(c not in RFC_ALPHABET for c in value):
        return False
    total = sum(RFC_ALPHABET.index(c) * (13 - i) for i, c in enumerate(value[:12]))
    return RFC_ALPHABET[(11 - total % 11) % 11] == value[12]


def valid_cuil(value: str, today: datetime.date | None = None) -> bool:
    """A person's CUIL: 20/23/24/27, eight DNI digits, the AFIP mod 11 check digit."""
    if len(value) != 11 or not value.isdigit() or value[:2] not in CUIL_PEOPLE:
        return False
    check = (11 - sum(int(d) * w for d, w in zip(value, CUIL_WEIGHTS, strict=False)) % 11) % 11
    return check < 10 and check == int(value[10])


def valid_ssn(value: str, today: datetime.date | None = None) -> bool:
    """A US Social Security number as the SSA issues them (no check digit exists)."""
    return (
        len(value) == 9
        and value.isdigit()
        and value[:3] not in ("000", "666")
        and value[0] != "9"
        and value[3:5] != "00"
        and value[5:] != "0000"
        and value not in SSN_NOT_ISSUED
    )


def valid_nino(value: str, today: datetime.date | None = None) -> bool:
    """A UK National Insurance number: HMRC's prefix letters, six digits, suffix A-D."""
    return (
        len(value) == 9
        and value[:2] not in NINO_NOT_PREFIXES
        and value[0] not in "DFIQUV"
        and value[1] not in "DFIOQUV"
        and value[:2].isalpha()
        and value[2:8].isdigit()
        and value[8] in "ABCD"
    )


def valid_cn_id15(value: str, today: datetime.date | None = None) -> bool:
    """A 15-digit resident ID: a county of the register and a real birth date in the 1900s."""
    from filters.engines.personal import _known_region

    if len(value) != 15 or not value.isdigit():
        return False
    return _born(value[6:12], today, 1900) is not None and _known_region(value[:6])


def valid_cn_mobile(value: str, today: datetime.date | None = None) -> bool:
    """A mainland mobile number in an allocated segment (the engine's own rule)."""
    from filters.engines.personal import valid_mobile

    return valid_mobile(value[-11:])


def valid_es_dotted(value: str, today: datetime.date | None = None) -> bool:
    """A DNI written with dots, its digits padded to eight: the mod 23 letter."""
    from filters.engines.personal import valid_es_id

    return valid_es_id(value)


def _luhn(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _weighted(digits: str, weights: Iterable[int]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False))


def _date(year: int, month: int, day: int, today: datetime.date | None) -> bool:
    """True when year-month-day is a real date, not in the future."""
    try:
        return datetime.date(year, month, day) <= (today or datetime.date.today())
    except ValueError:
        return False


def valid_nhs(value: str, today: datetime.date | None = None) -> bool:
    """A UK NHS number: ten digits, weights 10…2 and the mod 11 check (10 is never issued)."""
    if len(value) != 10 or not value.isdigit() or len(set(value)) == 1:
        return False
    check = (11 - _weighted(value, range(10, 1, -1)) % 11) % 11
    return check != 10 and check == int(value[9])


def valid_ca_sin(value: str, today: datetime.date | None = None) -> bool:
    """A Canadian Social Insurance number: nine digits, not starting 0 or 8, Luhn."""
    return len(value) == 9 and value.isdigit() and value[0] not in "08" and _luhn(value)


# The codice fiscale's check letter: values of characters in odd (1st, 3rd …) and even places.
_CF_ODD = dict(
    zip(
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        (
            1,
            0,
            5,
            7,
            9,
            13,
            15,
            17,
            19,
            21,
            1,
            0,
            5,
            7,
            9,
            13,
            15,
            17,
            19,
            21,
            2,
            4,
            18,
            20,
            11,
            3,
            6,
            8,
            12,
            14,
            16,
            10,
            22,
            25,
            24,
            23,
        ),
        strict=True,
    )
)
_CF_MONTHS = "ABCDEHLMPRST"
_CF_OMOCODE = str.maketrans("LMNPQRSTUV", "0123456789")  # digits replaced when codes collide


def valid_it_cf(value: str, today: datetime.date | None = None) -> bool:
    """An Italian codice fiscale: a month letter, a day (+40 for women) and the check letter."""
    if len(value) != 16 or not value[:6].isalpha() or value[8] not in _CF_MONTHS:
        return False
    day = value[9:11].translate(_CF_OMOCODE)
    if not day.isdigit() or not (1 <= int(day) <= 31 or 41 <= int(day) <= 71):
        return False
    total = sum(
        _CF_ODD[c] if i % 2 == 0 else (int(c) if c.isdigit() else ord(c) - 65)
        for i, c in enumerate(value[:15])
    )
    return chr(65 + total % 26) == value[15]


def valid_fr_nir(value: str, today: datetime.date | None = None) -> bool:
    """A French NIR: sex, year, month, place, order, and the key 97 - n mod 97 (2A/2B: Corsica)."""
    if len(value) != 15 or value[0] not in "12378":
        return False
    body = value[:13].replace("2A", "19", 1) if value[5:7] == "2A" else value[:13]
    if value[5:7] == "2B":
        body = value[:5] + "18" + value[7:13]
    if not body.isdigit() or not value[13:].isdigit():
        return False
    month = int(value[3:5])
    if not (1 <= month <= 12 or 20 <= month <= 42 or 50 <= month <= 99):
        return False
    return 97 - int(body) % 97 == int(value[13:])


def valid_nl_bsn(value: str, today: datetime.date | None = None) -> bool:
    """A Dutch BSN: nine digits, weights 9…2 and -1, a multiple of 11 (the 11-test)."""
    if len(value) != 9 or not value.isdigit() or value.startswith("00"):
        return False
    return (_weighted(value[:8], range(9, 1, -1)) - int(value[8])) % 11 == 0


def valid_br_cpf(value: str, today: datetime.date | None = None) -> bool:
    """A Brazilian CPF: nine digits and two mod-11 check digits; not one digit repeated."""
    if len(value) != 11 or not value.isdigit() or len(set(value)) == 1:
        return False
    return all(_weighted(value[:n], range(n + 1, 1, -1)) * 10 % 11 % 10 == int(value[n]) for n in (9, 10))


_VERHOEFF_D = (
    "0123456789",
    "1234067895",
    "2340178956",
    "3401289567",
    "4012395678",
    "5987604321",
    "6598710432",
    "7659821043",
    "8765932104",
    "9876543210",
)
_VERHOEFF_P = (
    "0123456789",
    "1576283094",
    "5803796142",
    "8916043527",
    "9453126870",
    "4286573901",
    "2793806415",
    "7046913258",
)


def valid_aadhaar(value: str, today: datetime.date | None = None) -> bool:
    """An Indian Aadhaar number: twelve digits, the first 2-9, the Verhoeff check; UIDAI
    issues no palindromes."""
    if len(value) != 12 or not value.isdigit() or value[0] in "01" or value == value[::-1]:
        return False
    check = 0
    for i, ch in enumerate(reversed(value)):
        check = int(_VERHOEFF_D[check][int(_VERHOEFF_P[i % 8][int(ch)])])
    return check == 0


def valid_sg_nric(value: str, today: datetime.date | None = None) -> bool:
    """A Singapore NRIC (S, T) or FIN (F, G): seven digits and the check letter."""
    if len(value) != 9 or value[0] not in "STFG" or not value[1:8].isdigit():
        return False
    total = _weighted(value[1:8], (2, 7, 6, 5, 4, 3, 2)) + (4 if value[0] in "TG" else 0)
    return ("JZIHGFEDCBA" if value[0] in "ST" else "XWUTRQPNMLK")[total % 11] == value[8]


def valid_kr_rrn(value: str, today: datetime.date | None = None) -> bool:
    """A Korean resident registration number: a past birth date, the century and sex digit,
    a place code up to 96, and the mod-11 check digit."""
    if len(value) != 13 or not value.isdigit() or int(value[7:9]) > 96:
        return False
    century = {
        "1": 1900,
        "2": 1900,
        "3": 2000,
        "4": 2000,
        "5": 1900,
        "6": 1900,
        "7": 2000,
        "8": 2000,
        "9": 1800,
        "0": 1800,
    }[value[6]]
    if not _date(century + int(value[:2]), int(value[2:4]), int(value[4:6]), today):
        return False
    return (11 - _weighted(value[:12], (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)) % 11) % 10 == int(value[12])


def valid_se_pnr(value: str, today: datetime.date | None = None) -> bool:
    """A Swedish personnummer (or coordination number, day + 60): a birth date and Luhn over
    the last ten digits."""
    if len(value) not in (10, 12) or not value.isdigit():
        return False
    short = value[-10:]
    day = int(short[4:6])
    day = day - 60 if day > 60 else day
    today = today or datetime.date.today()
    if len(value) == 12:
        year = int(value[:4])
    else:
        year = 2000 + int(short[:2])
        if year > today.year:
            year -= 100
    return _date(year, int(short[2:4]), day, today) and _luhn(short)


def valid_pl_pesel(value: str, today: datetime.date | None = None) -> bool:
    """A Polish PESEL: a birth date (the century in the month: +80 1800s, +20 2000s) and the
    check digit of weights 1 3 7 9."""
    if len(value) != 11 or not value.isdigit():
        return False
    offset = (int(value[2:4]) - 1) // 20 * 20  # the month's 20s tell the century
    century = {0: 1900, 20: 2000, 80: 1800}.get(offset)
    month = int(value[2:4]) - offset
    if (
        century is None
        or not 1 <= month <= 12
        or not _date(century + int(value[:2]), month, int(value[4:6]), today)
    ):
        return False
    return (10 - _weighted(value[:10], (1, 3, 7, 9) * 3) % 10) % 10 == int(value[10])


def valid_au_tfn(value: str, today: datetime.date | None = None) -> bool:
    """An Australian tax file number: nine digits, weights 1 4 3 7 5 8 6 9 10, mod 11."""
    return (
        len(value) == 9
        and value.isdigit()
        and value[0] != "0"
        and _weighted(value, (1, 4, 3, 7, 5, 8, 6, 9, 10)) % 11 == 0
    )


def _past_yymmdd(yymmdd: str, today: datetime.date | None) -> bool:
    """True when YYMMDD is a real, past date in the 1900s or the 2000s."""
    year, month, day = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6])
    return _date(1900 + year, month, day, today) or _date(2000 + year, month, day, today)


# The group (fourth and fifth digits) of an ITIN, as the IRS issues them.
ITIN_GROUPS = frozenset({*range(50, 66), *range(70, 89), *range(90, 93), *range(94, 100)})


def valid_us_itin(value: str, today: datetime.date | None = None) -> bool:
    """A US ITIN (IRS): nine digits, the first 9, the group 50-65, 70-88, 90-92 or 94-99 (no check digit)."""
    return len(value) == 9 and value.isdigit() and value[0] == "9" and int(value[3:5]) in ITIN_GROUPS


def valid_pt_nif(value: str, today: datetime.date | None = None) -> bool:
    """A Portuguese NIF of a person (first digit 1, 2 or 3; 45 a non-resident): mod 11 over weights 9…2."""
    if len(value) != 9 or not value.isdigit() or not (value[0] in "123" or value[:2] == "45"):
        return False
    check = 11 - _weighted(value[:8], range(9, 1, -1)) % 11
    return (0 if check >= 10 else check) == int(value[8])


def valid_be_nn(value: str, today: datetime.date | None = None) -> bool:
    """A Belgian national number (or BIS number of a non-resident, month + 20 or + 40):
    YYMMDD (month 0 or day 0 when unknown), a serial and 97 - n mod 97 over the first nine
    digits, with a 2 in front for births from 2000."""
    if len(value) != 11 or not value.isdigit() or value[6:9] in ("000", "999"):
        return False
    month, day = int(value[2:4]) % 20 if int(value[2:4]) > 12 else int(value[2:4]), int(value[4:6])
    check = int(value[9:])
    for century, prefix in ((1900, ""), (2000, "2")):
        if 97 - int(prefix + value[:9]) % 97 != check:
            continue
        if month == 0 or day == 0:  # a birth date not known to the register
            return month <= 12 and day <= 31
        return _date(century + int(value[:2]), month, day, today)
    return False


def _iso7064_11_10(body: str) -> str:
    product = 10
    for ch in body:
        product = ((int(ch) + product) % 10 or 10) * 2 % 11
    return str((11 - product) % 10)


def valid_de_idnr(value: str, today: datetime.date | None = None) -> bool:
    """A German Steuer-ID: eleven digits, not starting 0; among the first ten one digit
    stands twice or three times (not three in a row) and the others at most once;
    ISO 7064 MOD 11,10 check digit."""
    if len(value) != 11 or not value.isdigit() or value[0] == "0":
        return False
    counts = sorted((value[:10].count(d) for d in set(value[:10])), reverse=True)
    if counts[0] not in (2, 3) or any(c != 1 for c in counts[1:]):
        return False
    if counts[0] == 3 and any(value[i] == value[i + 1] == value[i + 2] for i in range(8)):
        return False
    return _iso7064_11_10(value[:10]) == value[10]


def valid_dk_cpr(value: str, today: datetime.date | None = None) -> bool:
    """A Danish CPR number: DDMMYY and four digits whose first, with the year, gives the
    century (no check digit since 2007): a real, past birth date."""
    if len(value) != 10 or not value.isdigit():
        return False
    year, seventh = int(value[4:6]), int(value[6])
    if seventh <= 3:
        century = 1900
    elif seventh in (4, 9):
        century = 2000 if year <= 36 else 1900
    else:
        century = 2000 if year <= 57 else 1800
    return _date(century + year, int(value[2:4]), int(value[:2]), today)


def valid_no_fnr(value: str, today: datetime.date | None = None) -> bool:
    """A Norwegian fødselsnummer, D-number (day + 40) or H-number (month + 40): a birth date
    and two mod-11 check digits."""
    if len(value) != 11 or not value.isdigit():
        return False
    day, month = int(value[:2]), int(value[2:4])
    day = day - 40 if day > 40 else day
    month = month - 40 if month > 40 else month
    if not _past_yymmdd(f"{value[4:6]}{month:02d}{day:02d}", today):
        return False
    k1 = 11 - _weighted(value[:9], (3, 7, 6, 1, 8, 9, 4, 5, 2)) % 11
    k2 = 11 - _weighted(value[:10], (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)) % 11
    return k1 % 11 == int(value[9]) and k2 % 11 == int(value[10])


HETU_CENTURY = {"+": 1800, **dict.fromkeys("-YXWVU", 1900), **dict.fromkeys("ABCDEF", 2000)}
HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"


def valid_fi_hetu(value: str, today: datetime.date | None = None) -> bool:
    """A Finnish henkilötunnus: DDMMYY, the century sign, a serial of 002-899 and the mod 31
    check character."""
    century = HETU_CENTURY.get(value[6:7])
    if len(value) != 11 or century is None or not (value[:6] + value[7:10]).isdigit():
        return False
    if not 2 <= int(value[7:10]) <= 899 or not _date(
        century + int(value[4:6]), int(value[2:4]), int(value[:2]), today
    ):
        return False
    return HETU_CHECK[int(value[:6] + value[7:10]) % 31] == value[10]


def valid_cz_rc(value: str, today: datetime.date | None = None) -> bool:
    """A Czech or Slovak rodné číslo of ten digits (births from 1954): YYMMDD with the month
    + 50 for women (+ 20 or + 70 since 2004), a serial, the whole divisible by 11 (or a
    last 0 where the first nine leave 10)."""
    if len(value) != 10 or not value.isdigit():
        return False
    month = int(value[2:4]) % 50
    month = month - 20 if month > 20 else month
    if not _past_yymmdd(f"{value[:2]}{month:02d}{value[4:6]}", today):
        return False
    return int(value) % 11 == 0 or (int(value[:9]) % 11 == 10 and value[9] == "0")


RO_CNP_WEIGHTS = (2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9)
RO_CNP_CENTURY = {"1": 1900, "2": 1900, "3": 1800, "4": 1800, "5": 2000, "6": 2000, "7": None, "8": None}


def valid_ro_cnp(value: str, today: datetime.date | None = None) -> bool:
    """A Romanian CNP: sex and century, a birth date, a county (01-46, 51, 52), a serial and
    the check digit of weights 2 7 9 1 4 6 3 5 8 2 7 9 (mod 11, 10 written 1)."""
    if len(value) != 13 or not value.isdigit() or value[0] not in RO_CNP_CENTURY:
        return False
    county = int(value[7:9])
    if not (1 <= county <= 46 or county in (51, 52)):
        return False
    century = RO_CNP_CENTURY[value[0]]
    born = value[1:7]
    if not (
        _past_yymmdd(born, today)
        if century is None
        else _date(century + int(born[:2]), int(born[2:4]), int(born[4:]), today)
    ):
        return False
    check = _weighted(value[:12], RO_CNP_WEIGHTS) % 11
    return (1 if check == 10 else check) == int(value[12])


def valid_jp_my_number(value: str, today: datetime.date | None = None) -> bool:
    """A Japanese My Number (個人番号): eleven digits and 11 - (sum mod 11) over weights
    6 5 4 3 2 7 6 5 4 3 2 (0 for a remainder of 0 or 1)."""
    if len(value) != 12 or not value.isdigit() or len(set(value)) == 1:
        return False
    remainder = _weighted(value[:11], (6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)) % 11
    return (0 if remainder <= 1 else 11 - remainder) == int(value[11])


def valid_cl_rut(value: str, today: datetime.date | None = None) -> bool:
    """A Chilean RUT/RUN of a person (below 50,000,000; firms' are above): mod 11 over
    weights 2…7 from the right, 10 written K and 11 written 0."""
    body, check = value[:-1], value[-1:]
    if not 7 <= len(body) <= 8 or not body.isdigit() or not 1_000_000 <= int(body) < 50_000_000:
        return False
    remainder = 11 - sum(int(d) * (2 + i % 6) for i, d in enumerate(reversed(body))) % 11
    return {10: "K", 11: "0"}.get(remainder, str(remainder)) == check


def valid_za_id(value: str, today: datetime.date | None = None) -> bool:
    """A South African identity number: a real, past YYMMDD, a serial, citizenship 0, 1 or 2,
    and the Luhn digit."""
    return (
        len(value) == 13
        and value.isdigit()
        and value[10] in "012"
        and _past_yymmdd(value[:6], today)
        and _luhn(value)
    )


def valid_tr_tckn(value: str, today: datetime.date | None = None) -> bool:
    """A Turkish T.C. Kimlik number: eleven digits, not starting 0; the tenth is the odd
    places' sum times 7 less the even places' (mod 10), the eleventh the sum of the first ten (mod 10)."""
    if len(value) != 11 or not value.isdigit() or value[0] == "0":
        return False
    digits = [int(d) for d in value]
    tenth = (sum(digits[0:9:2]) * 7 - sum(digits[1:8:2])) % 10
    return tenth == digits[9] and sum(digits[:10]) % 10 == digits[10]


def valid_il_id(value: str, today: datetime.date | None = None) -> bool:
    """An Israeli identity number (Teudat Zehut): nine digits (leading zeros written or
    not) whose Luhn sum is 0 mod 10."""
    return len(value) == 9 and value.isdigit() and int(value) > 0 and _luhn(value)


@dataclass(frozen=True, slots=True)
class Format:
    """One written form of an identifier kind, read where a label of ``kind`` stands."""

    kind: str
    # Where a candidate may start, for Hyperscan (no lookaround; a leading edge character
    # is allowed): it finds the few places the written form is then tried at.
    shape: str
    written: str  # a regular expression; its groups joined (upper-cased) are the value
    valid: Callable[[str, datetime.date | None], bool]
    chance: float  # share of random candidates of this form that pass ``valid``
    pad: int = 0  # left-pad the value with zeros to this length (a dotted DNI of 7 digits)

    def value(self, match: re.Match[bytes] | re.Match[str]) -> str:
        """The value ``match`` stands for, as the validator reads it."""
        groups = [g if isinstance(g, str) else g.decode("ascii") for g in match.groups() if g]
        groups = [g for g in groups if g not in " -"]
        if self.pad:
            groups = ["".join(groups[:-1]).rjust(self.pad, "0"), groups[-1]]
        return "".join(groups).upper()


_EDGE, _END = r"(?<![0-9A-Za-z])", r"(?![0-9A-Za-z])"
_AFTER = r"(?:^|[^0-9A-Za-z])"  # the same edge for Hyperscan: the start may be the character before
_AFTER_DIGIT = r"(?:^|[^0-9])"
_NOT_AFTER_GROUP = r"(?<![0-9])(?<![0-9][ -])"  # not the tail of a run of digit groups
_NOT_BEFORE_GROUP = r"(?![0-9])(?![ -][0-9])"
_CN_ID15 = (  # a province's code, four digits, the year, month, day, three digits
    r"(?:1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5])[0-9]{6}"
    r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}"
)
FORMATS: tuple[Format, ...] = (
    Format(
        "hk_id",
        _AFTER + r"[A-Z]{1,2}[0-9]{6} ?\(?[0-9A]",
        _EDGE + r"([A-Z]{1,2}[0-9]{6}) ?(?:\(([0-9A])\)|([0-9A]))" + _END,
        valid_hk_id,
        1 / 11,
    ),
    Format(
        "tw_id", _AFTER + r"[A-Z][12][0-9]{8}", _EDGE + r"([A-Z][12][0-9]{8})" + _END, valid_tw_id, 1 / 10
    ),
    Format(
        "mx_curp",
        _AFTER + r"[A-Z][AEIOUX][A-Z]{2}[0-9]{6}[HMX]",
        _EDGE + r"([A-Z][AEIOUX][A-Z]{2}[0-9]{6}[HMX][A-Z]{5}[0-9A-Z][0-9])" + _END,
        valid_curp,
        1 / 10,
    ),
    Format(
        "mx_rfc",
        _AFTER + r"[A-Z&]{4}[ -]?[0-9]{6}",
        _EDGE + r"([A-Z&]{4})[ -]?([0-9]{6})[ -]?([A-Z0-9]{2}[0-9A])" + _END,
        valid_rfc,
        1 / 11,
    ),
    Format(
        "ar_cuil",
        _AFTER_DIGIT + r"2[0347][ -]?[0-9]{2}\.?[0-9]{3}\.?[0-9]{3}[ -]?[0-9]",
        r"(?<![0-9])(2[0347])[ -]?([0-9]{2})\.?([0-9]{3})\.?([0-9]{3})[ -]?([0-9])(?![0-9])",
        valid_cuil,
        1 / 11,
    ),
    Format(
        "us_ssn",
        r"(?:^|[^0-9-])[0-9]{3}[- ][0-9]{2}[- ][0-9]{4}",
        r"(?<![0-9-])([0-9]{3})([- ])([0-9]{2})\2([0-9]{4})(?![0-9-])",
        valid_ssn,
        0.0,
    ),
    # Nine digits in a row only as a whole field of a table (an export without dashes).
    Format(
        "us_ssn",
        r"(?:^|[\t,;|])[ \"']*[0-9]{9}[ \"']*(?:$|[\t,;|\r])",
        r"(?m)(?:^|(?<=[\t,;|]))[ \"']*([0-9]{9})[ \"']*(?=$|[\t,;|\r])",
        valid_ssn,
        0.0,
    ),
    Format(
        "uk_nino",
        _AFTER + r"[A-Z]{2} ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-D]",
        _EDGE + r"([A-Z]{2}) ?([0-9]{2}) ?([0-9]{2}) ?([0-9]{2}) ?([A-D])" + _END,
        valid_nino,
        0.0,
    ),
    # A province's code, four digits, the year, a month and a day, three digits: about
    # one random number of that shape in 45 has a county code of the register in place.
    Format(
        "cn_id15",
        _AFTER_DIGIT + _CN_ID15 + r"(?:[^0-9Xx]|$)",
        r"(?<![0-9])(" + _CN_ID15 + r")(?![0-9Xx])",
        valid_cn_id15,
        1 / 45,
    ),
    Format(
        "cn_mobile",
        _AFTER_DIGIT + r"(?:\+?86[ -]?)?1[3-9][0-9][ -]?[0-9]{4}[ -]?[0-9]{4}",
        r"(?<![0-9])(?:\+?86[ -]?)?(1[3-9][0-9])[ -]?([0-9]{4})[ -]?([0-9]{4})(?![0-9])",
        valid_cn_mobile,
        0.0,
    ),
    Format(
        "es_id",
        r"(?:^|[^0-9A-Za-z.])[0-9]{1,2}\.[0-9]{3}\.[0-9]{3}[ -]?[A-Za-z]",
        r"(?<![0-9A-Za-z.])([0-9]{1,2})\.([0-9]{3})\.([0-9]{3})[ -]?([A-Za-z])" + _END,
        valid_es_dotted,
        1 / 23,
        pad=8,
    ),
    # Numbers in groups are not read out of a longer run of groups (a column of 4-4-4-4
    # references is not an Aadhaar number and a tail).
    Format(
        "nhs",
        _AFTER_DIGIT + r"[0-9]{3}[ -]?[0-9]{3}[ -]?[0-9]{4}",
        _NOT_AFTER_GROUP + r"([0-9]{3})[ -]?([0-9]{3})[ -]?([0-9]{4})" + _NOT_BEFORE_GROUP,
        valid_nhs,
        1 / 11,
    ),
    Format(
        "ca_sin",
        _AFTER_DIGIT + r"[1-79][0-9]{2}[ -]?[0-9]{3}[ -]?[0-9]{3}",
        _NOT_AFTER_GROUP + r"([0-9]{3})[ -]?([0-9]{3})[ -]?([0-9]{3})" + _NOT_BEFORE_GROUP,
        valid_ca_sin,
        1 / 10,
    ),
    Format(
        "it_cf",
        _AFTER + r"[A-Za-z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRSTabcdehlmprst]",
        _EDGE
        + r"([A-Za-z]{6}[0-9LMNPQRSTUV]{2}[A-Za-z][0-9LMNPQRSTUV]{2}[A-Za-z][0-9LMNPQRSTUV]{3}[A-Za-z])"
        + _END,
        valid_it_cf,
        1 / 26,
    ),
    Format(
        "fr_nir",
        _AFTER_DIGIT + r"[12378] ?[0-9]{2} ?[0-9]{2} ?(?:[0-9]{2}|2[AB])",
        r"(?<![0-9])([12378]) ?([0-9]{2}) ?([0-9]{2}) ?([0-9]{2}|2[AB]) ?([0-9]{3}) ?([0-9]{3}) ?([0-9]{2})"
        r"(?![0-9])",
        valid_fr_nir,
        1 / 97,
    ),
    Format(
        "nl_bsn",
        _AFTER_DIGIT + r"[0-9]{4}\.?[0-9]{2}\.?[0-9]{3}",
        r"(?<![0-9.])([0-9]{4})\.?([0-9]{2})\.?([0-9]{3})(?![0-9]|\.[0-9])",
        valid_nl_bsn,
        1 / 11,
    ),
    Format(
        "br_cpf",
        _AFTER_DIGIT + r"[0-9]{3}\.?[0-9]{3}\.?[0-9]{3}[-.]?[0-9]{2}",
        r"(?<![0-9.])([0-9]{3})\.?([0-9]{3})\.?([0-9]{3})[-.]?([0-9]{2})(?![0-9]|\.[0-9])",
        valid_br_cpf,
        1 / 90,
    ),
    Format(
        "in_aadhaar",
        _AFTER_DIGIT + r"[2-9][0-9]{3}[ -]?[0-9]{4}[ -]?[0-9]{4}",
        _NOT_AFTER_GROUP + r"([2-9][0-9]{3})[ -]?([0-9]{4})[ -]?([0-9]{4})" + _NOT_BEFORE_GROUP,
        valid_aadhaar,
        1 / 10,
    ),
    Format(
        "sg_nric",
        _AFTER + r"[STFGstfg][0-9]{7}[A-Za-z]",
        _EDGE + r"([STFGstfg][0-9]{7}[A-Za-z])" + _END,
        valid_sg_nric,
        1 / 11,
    ),
    Format(
        "kr_rrn",
        _AFTER_DIGIT + r"[0-9]{2}[01][0-9][0-3][0-9] ?-? ?[0-9]{7}",
        r"(?<![0-9])([0-9]{6}) ?-? ?([0-9]{7})(?![0-9])",
        valid_kr_rrn,
        1 / 10,
    ),
    Format(
        "se_pnr",
        _AFTER_DIGIT + r"(?:19|20)?[0-9]{2}[01][0-9][0-9]{2}[-+]?[0-9]{4}",
        r"(?<![0-9])((?:19|20)?[0-9]{6})[-+]?([0-9]{4})(?![0-9])",
        valid_se_pnr,
        1 / 10,
    ),
    Format(
        "pl_pesel",
        _AFTER_DIGIT + r"[0-9]{2}[0-389][0-9][0-3][0-9]{6}",
        r"(?<![0-9])([0-9]{11})(?![0-9])",
        valid_pl_pesel,
        1 / 10,
    ),
    Format(
        "au_tfn",
        _AFTER_DIGIT + r"[1-9][0-9]{2}[ -]?[0-9]{3}[ -]?[0-9]{3}",
        _NOT_AFTER_GROUP + r"([1-9][0-9]{2})[ -]?([0-9]{3})[ -]?([0-9]{3})" + _NOT_BEFORE_GROUP,
        valid_au_tfn,
        1 / 11,
    ),
    Format(
        "us_itin",
        r"(?:^|[^0-9-])9[0-9]{2}[- ][5-9][0-9][- ][0-9]{4}",
        r"(?<![0-9-])(9[0-9]{2})([- ])([0-9]{2})\2([0-9]{4})(?![0-9-])",
        valid_us_itin,
        0.0,
    ),
    Format(
        "us_itin",
        r"(?:^|[\t,;|])[ \"']*9[0-9]{8}[ \"']*(?:$|[\t,;|\r])",
        r"(?m)(?:^|(?<=[\t,;|]))[ \"']*(9[0-9]{8})[ \"']*(?=$|[\t,;|\r])",
        valid_us_itin,
        0.0,
    ),
    Format(
        "pt_nif",
        _AFTER_DIGIT + r"(?:[123][0-9]{2}|45[0-9])[ -]?[0-9]{3}[ -]?[0-9]{3}",
        # Not inside a parcel's or order's code (RR175996733CN); PT before it is the VAT form.
        r"(?:(?<![0-9A-Za-z])|(?<=PT))(?<![0-9][ -])([123][0-9]{2}|45[0-9])[ -]?([0-9]{3})[ -]?([0-9]{3})"
        + _NOT_BEFORE_GROUP
        + r"(?![A-Za-z])",
        valid_pt_nif,
        1 / 11,
    ),
    Format(
        "be_nn",
        _AFTER_DIGIT + r"[0-9]{2}\.?[0-9]{2}\.?[0-9]{2}[ .-]?[0-9]{3}[ .-]?[0-9]{2}",
        r"(?<![0-9.])([0-9]{2})\.?([0-9]{2})\.?([0-9]{2})[ .-]?([0-9]{3})[ .-]?([0-9]{2})(?![0-9]|\.[0-9])",
        valid_be_nn,
        2 / 97,
    ),
    Format(
        "de_idnr",
        _AFTER_DIGIT + r"[1-9][0-9] ?[0-9]{3} ?[0-9]{3} ?[0-9]{3}",
        _NOT_AFTER_GROUP + r"([1-9][0-9]) ?([0-9]{3}) ?([0-9]{3}) ?([0-9]{3})" + _NOT_BEFORE_GROUP,
        valid_de_idnr,
        1 / 100,
    ),
    # No check digit: a real date is all; about half the candidates of this shape have one.
    Format(
        "dk_cpr",
        _AFTER_DIGIT + r"[0-3][0-9][01][0-9]{3}-?[0-9]{4}",
        r"(?<![0-9])([0-3][0-9][01][0-9]{3})-?([0-9]{4})(?![0-9])",
        valid_dk_cpr,
        1 / 2,
    ),
    Format(
        "no_fnr",
        _AFTER_DIGIT + r"[0-7][0-9][0-5][0-9]{3} ?[0-9]{5}",
        r"(?<![0-9])([0-7][0-9][0-5][0-9]{3}) ?([0-9]{5})(?![0-9])",
        valid_no_fnr,
        1 / 100,
    ),
    Format(
        "fi_hetu",
        _AFTER_DIGIT + r"[0-3][0-9][01][0-9]{3}[-+A-FU-Ya-fu-y][0-9]{3}[0-9A-Ya-y]",
        r"(?<![0-9])([0-3][0-9][01][0-9]{3}[-+A-FU-Ya-fu-y][0-9]{3}[0-9A-Ya-y])" + _END,
        valid_fi_hetu,
        1 / 31,
    ),
    Format(
        "cz_rc",
        _AFTER_DIGIT + r"[0-9]{2}[0-35-8][0-9][0-3][0-9] ?/? ?[0-9]{4}",
        r"(?<![0-9])([0-9]{6}) ?/? ?([0-9]{4})(?![0-9])",
        valid_cz_rc,
        1 / 11,
    ),
    Format(
        "ro_cnp",
        _AFTER_DIGIT + r"[1-8][0-9]{2}[01][0-9][0-3][0-9]{7}",
        r"(?<![0-9])([1-8][0-9]{12})(?![0-9])",
        valid_ro_cnp,
        1 / 11,
    ),
    Format(
        "jp_my_number",
        _AFTER_DIGIT + r"[0-9]{4}[ -]?[0-9]{4}[ -]?[0-9]{4}",
        _NOT_AFTER_GROUP + r"([0-9]{4})[ -]?([0-9]{4})[ -]?([0-9]{4})" + _NOT_BEFORE_GROUP,
        valid_jp_my_number,
        1 / 10,
    ),
    Format(
        "cl_rut",
        _AFTER_DIGIT + r"[0-9]{1,2}\.?[0-9]{3}\.?[0-9]{3}-?[0-9Kk]",
        r"(?<![0-9.])([0-9]{1,2})\.?([0-9]{3})\.?([0-9]{3})-?([0-9Kk])(?![0-9A-Za-z]|\.[0-9])",
        valid_cl_rut,
        1 / 11,
    ),
    Format(
        "za_id",
        _AFTER_DIGIT + r"[0-9]{2}[01][0-9][0-3][0-9] ?[0-9]{4} ?[0-9]{3}",
        r"(?<![0-9])([0-9]{6}) ?([0-9]{4}) ?([0-9]{3})(?![0-9])",
        valid_za_id,
        1 / 10,
    ),
    Format(
        "tr_tckn",
        _AFTER_DIGIT + r"[1-9][0-9]{10}",
        r"(?<![0-9])([1-9][0-9]{10})(?![0-9])",
        valid_tr_tckn,
        1 / 100,
    ),
    # Leading zeros are often left out: seven or eight digits and the check, padded to nine.
    Format(
        "il_id",
        _AFTER_DIGIT + r"[0-9]{7,8}-?[0-9]",
        _EDGE + r"([0-9]{7,8})-?([0-9])" + _END,
        valid_il_id,
        1 / 10,
        pad=8,
    ),
)
KINDS = tuple(dict.fromkeys(f.kind for f in FORMATS))

# Labels that make a part's formats be read, per kind (matched case-insensitively after
# NFKC, as words of their own; one written with capitals only as written, as ``SIN``).
# cn_id15 and es_id use the engine's labels of cn_id and es_id.
LABELS: dict[str, tuple[str, ...]] = {
    "hk_id": (
        "hkid",
        "hkic",
        "hk id",
        "hong kong identity",
        "hong kong id",
        "香港身份證",
        "香港身份证",
        "身份證號碼",
        "身份證號",
        "身份證",
    ),
    "tw_id": ("身分證字號", "身分證號", "身分證", "國民身分證", "身分證統一編號", "national id no"),
    "mx_curp": ("curp", "clave única de registro de población", "clave unica de registro de poblacion"),
    "mx_rfc": ("rfc", "registro federal de contribuyentes"),
    "ar_cuil": ("cuil", "cuit", "c.u.i.l", "c.u.i.t"),
    "us_ssn": ("ssn", "social security", "soc. sec.", "soc sec", "ss#", "ss #"),
    "uk_nino": ("national insurance", "ni number", "ni no", "nino", "n.i. number", "n.i. no"),
    "cn_mobile": (
        "手机",
        "手机号",
        "手机号码",
        "移动电话",
        "联系电话",
        "手機",
        "mobile",
        "mobile phone",
        "cell phone",
    ),
    "nhs": ("nhs number", "nhs no", "nhs", "nhs#"),
    "ca_sin": (
        "SIN",  # as written: "sin" is Spanish for "without"
        "s.i.n",
        "social insurance number",
        "social insurance no",
        "numéro d'assurance sociale",
    ),
    "it_cf": ("codice fiscale", "cod. fiscale", "cod. fisc", "c.f.", "codicefiscale"),
    "fr_nir": (
        "sécurité sociale",
        "securite sociale",
        "numéro de sécu",
        "n° sécu",
        "nir",
        "n° insee",
        "numéro insee",
    ),
    "nl_bsn": ("bsn", "burgerservicenummer", "sofinummer", "sofi-nummer"),
    "br_cpf": ("cpf", "c.p.f", "cadastro de pessoas físicas", "cadastro de pessoa física"),
    "in_aadhaar": ("aadhaar", "aadhar", "आधार"),
    "sg_nric": ("nric", "nric/fin", "fin no", "fin number"),
    "kr_rrn": ("주민등록번호", "주민번호", "resident registration number", "rrn"),
    "se_pnr": ("personnummer", "personnr", "pers.nr", "samordningsnummer"),
    "pl_pesel": ("pesel",),
    "au_tfn": ("tfn", "tax file number", "tax file no"),
    "us_itin": ("itin", "individual taxpayer identification number", "individual taxpayer id"),
    "pt_nif": (
        "nif",
        "número de contribuinte",
        "numero de contribuinte",
        "n.º de contribuinte",
        "nº contribuinte",
        "contribuinte",
        "número de identificação fiscal",
    ),
    "be_nn": (
        "rijksregisternummer",
        "rijksregister",
        "numéro de registre national",
        "numero de registre national",
        "registre national",
        "n° national",
        "insz",
        "niss",
        "national number",
        "nationaal nummer",
    ),
    "de_idnr": (
        "steuer-id",
        "steuerid",
        "steuer-idnr",
        "steuer-identifikationsnummer",
        "steueridentifikationsnummer",
        "steuerliche identifikationsnummer",
        "identifikationsnummer",
        "idnr",
    ),
    "dk_cpr": ("cpr", "cpr-nr", "cpr-nummer", "cpr nr"),
    "no_fnr": ("fødselsnummer", "fodselsnummer", "fødselsnr", "fnr", "d-nummer", "personnummer"),
    "fi_hetu": ("henkilötunnus", "henkilotunnus", "hetu", "sotu", "sosiaaliturvatunnus", "personbeteckning"),
    "cz_rc": ("rodné číslo", "rodne cislo", "rodné č", "r.č", "birth number"),
    "ro_cnp": ("cnp", "cod numeric personal", "codul numeric personal"),
    "jp_my_number": ("マイナンバー", "個人番号", "my number", "mynumber"),
    "cl_rut": ("rut", "r.u.t", "rol único tributario", "rol unico tributario", "rol único nacional"),
    "za_id": (
        "id number",
        "id no",
        "identity number",
        "sa id",
        "rsa id",
        "south african id",
        "id-nommer",
        "identiteitsnommer",
    ),
    "tr_tckn": (
        "tc kimlik",
        "t.c. kimlik",
        "kimlik no",
        "kimlik numarası",
        "tckn",
        "tc no",
        "t.c. no",
        "tcno",
    ),
    "il_id": ("מספר זהות", "תעודת זהות", "ת.ז", 'ת"ז', "teudat zehut", "israeli id"),
}
NOUNS = {
    "hk_id": ("Hong Kong identity card number", "Hong Kong identity card numbers"),
    "tw_id": ("Taiwan national ID number", "Taiwan national ID numbers"),
    "mx_curp": ("Mexican CURP", "Mexican CURPs"),
    "mx_rfc": ("Mexican RFC", "Mexican RFCs"),
    "ar_cuil": ("Argentine CUIL", "Argentine CUILs"),
    "us_ssn": ("US Social Security number", "US Social Security numbers"),
    "uk_nino": ("UK National Insurance number", "UK National Insurance numbers"),
    "cn_mobile": ("Chinese mobile number", "Chinese mobile numbers"),
    "cn_id15": ("Chinese resident ID number of 15 digits", "Chinese resident ID numbers of 15 digits"),
    "nhs": ("UK NHS number", "UK NHS numbers"),
    "ca_sin": ("Canadian Social Insurance number", "Canadian Social Insurance numbers"),
    "it_cf": ("Italian codice fiscale", "Italian codici fiscali"),
    "fr_nir": ("French social security number (NIR)", "French social security numbers (NIR)"),
    "nl_bsn": ("Dutch BSN", "Dutch BSNs"),
    "br_cpf": ("Brazilian CPF", "Brazilian CPFs"),
    "in_aadhaar": ("Indian Aadhaar number", "Indian Aadhaar numbers"),
    "sg_nric": ("Singapore NRIC/FIN", "Singapore NRICs/FINs"),
    "kr_rrn": ("Korean resident registration number", "Korean resident registration numbers"),
    "se_pnr": ("Swedish personnummer", "Swedish personnummer"),
    "pl_pesel": ("Polish PESEL", "Polish PESELs"),
    "au_tfn": ("Australian tax file number", "Australian tax file numbers"),
    "us_itin": ("US ITIN", "US ITINs"),
    "pt_nif": ("Portuguese NIF", "Portuguese NIFs"),
    "be_nn": ("Belgian national number", "Belgian national numbers"),
    "de_idnr": ("German tax ID (Steuer-ID)", "German tax IDs (Steuer-ID)"),
    "dk_cpr": ("Danish CPR number", "Danish CPR numbers"),
    "no_fnr": ("Norwegian fødselsnummer", "Norwegian fødselsnummer"),
    "fi_hetu": ("Finnish henkilötunnus", "Finnish henkilötunnus"),
    "cz_rc": ("Czech/Slovak rodné číslo", "Czech/Slovak rodná čísla"),
    "ro_cnp": ("Romanian CNP", "Romanian CNPs"),
    "jp_my_number": ("Japanese My Number", "Japanese My Numbers"),
    "cl_rut": ("Chilean RUT", "Chilean RUTs"),
    "za_id": ("South African ID number", "South African ID numbers"),
    "tr_tckn": ("Turkish T.C. Kimlik number", "Turkish T.C. Kimlik numbers"),
    "il_id": ("Israeli ID number", "Israeli ID numbers"),
}
# What a masked value keeps: (leading, trailing) characters.
MASK_KEEP = {
    "hk_id": (1, 1),
    "tw_id": (1, 3),
    "mx_curp": (4, 0),
    "mx_rfc": (4, 0),
    "ar_cuil": (2, 1),
    "us_ssn": (0, 4),
    "uk_nino": (2, 1),
    "cn_mobile": (3, 4),
    "cn_id15": (6, 3),
    "nhs": (0, 4),
    "ca_sin": (0, 3),
    "it_cf": (0, 1),
    "fr_nir": (1, 2),
    "nl_bsn": (0, 3),
    "br_cpf": (0, 2),
    "in_aadhaar": (0, 4),
    "sg_nric": (1, 1),
    "kr_rrn": (0, 0),
    "se_pnr": (0, 0),
    "pl_pesel": (0, 0),
    "au_tfn": (0, 3),
    "us_itin": (0, 4),
    "pt_nif": (0, 3),
    "be_nn": (0, 2),
    "de_idnr": (0, 3),
    "dk_cpr": (0, 0),
    "no_fnr": (0, 0),
    "fi_hetu": (0, 1),
    "cz_rc": (0, 0),
    "ro_cnp": (0, 0),
    "jp_my_number": (0, 4),
    "cl_rut": (0, 1),
    "za_id": (0, 0),
    "tr_tckn": (0, 2),
    "il_id": (0, 3),
}
CHANCE = {kind: max(f.chance for f in FORMATS if f.kind == kind) for kind in KINDS}
# A list of people: three identifiers beside their label (as for resident IDs); mobile
# numbers are less sensitive and stand in directories and rosters, so fifty.
LABELLED_THRESHOLDS = {**dict.fromkeys(NOUNS, 3), "cn_mobile": 50}

_COMPILED: dict[str | bytes, re.Pattern[Any]] = {}


def compiled(fmt: Format, data: bool = False) -> re.Pattern[Any]:
    """``fmt``'s written form compiled on first use, for text (or for UTF-8 ``data``)."""
    written: str | bytes = fmt.written.encode("ascii") if data else fmt.written
    pattern = _COMPILED.get(written)
    if pattern is None:
        pattern = _COMPILED[written] = re.compile(written)
    return pattern


def read(
    data: bytes, starts: Iterable[tuple[int, int]], today: datetime.date | None = None
) -> dict[str, tuple[list[str], list[str]]]:
    """Per kind, the distinct valid values (in reading order) and the distinct failed
    candidates of the written forms at ``starts``: (index in FORMATS, where its shape
    starts), as Hyperscan reports the shapes in ``data``."""
    out: dict[str, tuple[list[str], list[str]]] = {}
    seen: set[tuple[str, str]] = set()
    for index, start in sorted(starts, key=lambda s: s[1]):
        fmt = FORMATS[index]
        pattern = compiled(fmt, data=True)
        # The shape may start on the edge character before the candidate.
        match = pattern.match(data, start) or pattern.match(data, start + 1)
        if match is None:
            continue
        value = fmt.value(match)
        if (fmt.kind, value) in seen:
            continue
        seen.add((fmt.kind, value))
        valid, failed = out.setdefault(fmt.kind, ([], []))
        if fmt.valid(value, today):
            valid.append(value)
        elif fmt.chance:
            failed.append(value)
    return out


# --- machine-readable zones (ICAO 9303) -------------------------------------------------------
#
# The lines printed at the foot of a passport page (TD3: two lines of 44 characters), an
# ID card's back (TD1: three of 30) or a visa or older card (TD2: two of 36) carry their
# own check digits: document number, birth date, expiry and a composite over them (TD3
# also the optional data). A line that passes all of them is a document's zone, label
# or not, so these count as passport numbers wherever they stand (personal.py treats a
# zone as its own passport label). Every zone has ``<<`` between surname and given names,
# so a part without ``<<`` is not read at all.


@dataclass(frozen=True, slots=True)
class MrzLayout:
    """One ICAO 9303 layout: the lines that carry check digits (joined, without the line
    break) and where each field and its check digit stand in them."""

    name: str
    written: bytes  # groups joined make the checked lines
    number: tuple[int, int]  # the document number; its check digit follows
    nationality: tuple[int, int]
    born: tuple[int, int]  # YYMMDD; its check digit follows
    expires: tuple[int, int]  # YYMMDD; its check digit follows
    optional: tuple[int, int] | None  # checked optional data (TD3 only); its check digit follows
    composite: tuple[tuple[int, int], ...]  # the fields the last check digit covers
    issuer: tuple[int, int] | None = None  # the issuing state, where the checked lines hold it
    # The last checked line's shape for Hyperscan (no edges, no groups), and how far
    # before the end of that shape ``written`` may start.
    shape: bytes = b""
    reach: int = 0


_MRZ_EDGE = rb"(?<![A-Z0-9<])"
_MRZ_END = rb"(?![A-Z0-9<])"
# Line 2 of TD3 and TD2: number, check, nationality, birth date and check, sex, expiry
# and check, optional data, checks.
_MRZ_LINE2 = rb"[A-Z0-9<]{9}[0-9][A-Z<]{3}[0-9]{7}[MFX<][0-9]{7}"
_MRZ_TD1_LINE2 = rb"[0-9]{7}[MFX<][0-9]{7}[A-Z<]{3}[A-Z0-9<]{11}[0-9]"
MRZ_LAYOUTS: tuple[MrzLayout, ...] = (
    MrzLayout(
        "TD3",
        _MRZ_EDGE + b"(" + _MRZ_LINE2 + rb"[A-Z0-9<]{14}[0-9<][0-9])" + _MRZ_END,
        number=(0, 9), nationality=(10, 13), born=(13, 19), expires=(21, 27), optional=(28, 42),
        composite=((0, 10), (13, 20), (21, 43)),
        shape=_MRZ_LINE2 + rb"[A-Z0-9<]{14}[0-9<][0-9]", reach=44,
    ),
    MrzLayout(
        "TD2",
        _MRZ_EDGE + b"(" + _MRZ_LINE2 + rb"[A-Z0-9<]{7}[0-9])" + _MRZ_END,
        number=(0, 9), nationality=(10, 13), born=(13, 19), expires=(21, 27), optional=None,
        composite=((0, 10), (13, 20), (21, 35)),
        shape=_MRZ_LINE2 + rb"[A-Z0-9<]{7}[0-9]", reach=36,
    ),
    MrzLayout(
        "TD1",
        _MRZ_EDGE + rb"([A-Z][A-Z0-9<][A-Z<]{3}[A-Z0-9<]{25})[ \t]{0,8}\r?\n[ \t]{0,8}"
        rb"(" + _MRZ_TD1_LINE2 + b")" + _MRZ_END,
        number=(5, 14), nationality=(45, 48), born=(30, 36), expires=(38, 44), optional=None,
        composite=((5, 30), (30, 37), (38, 45), (48, 59)), issuer=(2, 5),
        shape=_MRZ_TD1_LINE2, reach=78,
    ),
)
# Published specimens, printed in ICAO 9303 and on issuers' specimen documents: Utopia
# (UTO) is ICAO's fictional state (ERIKSSON, ANNA MARIA: L898902C3, D23145890); Germany's
# Mustermann passport and identity card (C01X00T47, T22000129, L01X00T47) and the Dutch
# specimen (SPECI2014). Like published test cards they belong to no one: a developer's
# notes quoting them are no list of travellers, and no real document can be written as one.
MRZ_SPECIMEN_STATES = frozenset({"UTO"})
MRZ_SPECIMEN_NUMBERS = frozenset(
    {"L898902C3", "D23145890", "C01X00T47", "T22000129", "L01X00T47", "SPECI2014"}
)
_MRZ_COMPILED: list[re.Pattern[bytes]] = []


def mrz_check_digit(field: str) -> str:
    """ICAO 9303 check digit: weights 7 3 1 repeated, digits as themselves, A=10 … Z=35, < = 0."""
    total = 0
    for i, ch in enumerate(field):
        total += (0 if ch == "<" else int(ch, 36)) * (7, 3, 1)[i % 3]
    return str(total % 10)


def _mrz_checked(field: str, check: str) -> bool:
    # Optional data all fillers may carry a filler as its check digit.
    return check == mrz_check_digit(field) or (check == "<" and set(field) == {"<"})


def _mrz_date(yymmdd: str) -> bool:
    return 1 <= int(yymmdd[2:4]) <= 12 and 1 <= int(yymmdd[4:6]) <= 31


def valid_mrz(layout: MrzLayout, lines: str) -> str | None:
    """The document number of ``lines`` (the checked lines of ``layout`` joined) when every
    check digit holds and the dates are dates, else None."""
    start, end = layout.number
    number, check = lines[start:end], lines[end]
    if check == "<" and layout.name == "TD1" and number[-1] != "<":
        # A number longer than nine characters goes on in the optional data, its check
        # digit last before the fillers (ICAO 9303 part 5, note j).
        more = lines[end + 1 : 30].split("<", 1)[0]
        if len(more) < 2:
            return None
        number, check = number + more[:-1], more[-1]
    if check != mrz_check_digit(number):
        return None
    for start, end in (layout.born, layout.expires):
        if lines[end] != mrz_check_digit(lines[start:end]) or not _mrz_date(lines[start:end]):
            return None
    if layout.optional and not _mrz_checked(lines[slice(*layout.optional)], lines[layout.optional[1]]):
        return None
    composite = "".join(lines[start:end] for start, end in layout.composite)
    if lines[layout.composite[-1][1]] != mrz_check_digit(composite):
        return None
    return number.replace("<", "")


def _mrz_matches(
    data: bytes, ends: Iterable[tuple[int, int]] | None
) -> Iterator[tuple[MrzLayout, re.Match[bytes]]]:
    if not _MRZ_COMPILED:
        _MRZ_COMPILED.extend(re.compile(layout.written) for layout in MRZ_LAYOUTS)
    if ends is None:
        for layout, pattern in zip(MRZ_LAYOUTS, _MRZ_COMPILED, strict=True):
            for match in pattern.finditer(data):
                yield layout, match
        return
    seen: set[tuple[int, int]] = set()
    for index, end in sorted(ends, key=lambda e: e[1]):
        layout = MRZ_LAYOUTS[index]
        # The window reaches one byte past the shape, for the edge after it.
        match = _MRZ_COMPILED[index].search(data, max(0, end - layout.reach), end + 1)
        if match is not None and (index, match.start()) not in seen:
            seen.add((index, match.start()))
            yield layout, match


def read_mrz(data: bytes, ends: Iterable[tuple[int, int]] | None = None) -> tuple[list[str], int]:
    """The distinct document numbers of the valid machine-readable zones in ``data`` (in
    reading order), and how many valid zones were published specimens (not counted).

    ``ends``: (index in MRZ_LAYOUTS, where its ``shape`` ends), as Hyperscan reports the
    shapes; without them the layouts' expressions read the whole of ``data`` (short texts).
    """
    if ends is None and b"<<" not in data:  # every zone has one between surname and given names
        return [], 0
    values: dict[str, None] = {}
    specimens = 0
    for layout, match in _mrz_matches(data, ends):
        lines = b"".join(match.groups()).decode("ascii")
        number = valid_mrz(layout, lines)
        if number is None:
            continue
        states = {lines[slice(*layout.nationality)]}
        if layout.issuer:
            states.add(lines[slice(*layout.issuer)])
        if number in MRZ_SPECIMEN_NUMBERS or states & MRZ_SPECIMEN_STATES:
            specimens += 1
            continue
        values.setdefault(number)
    return list(values), specimens
