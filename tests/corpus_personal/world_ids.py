"""Identifiers of a second held-out round, generated from their published rules.

Written before reading Redline's personal-data engine, from the public descriptions of
each format (the issuing body's rule, as python-stdnum and the standards it cites give
it): IBAN layouts of the SWIFT registry (ISO 13616, mod 97) with the Norwegian account's
mod 11; payment cards of more networks (Luhn over the issuer ranges); ICAO 9303
machine-readable passport lines (7-3-1 check digits); the UK NHS number (mod 11), the
Canadian SIN (Luhn), the Italian codice fiscale (odd/even table), the French NIR (97 -
n mod 97), the Dutch BSN (11-test), the Brazilian CPF (two mod-11 digits), the Indian
Aadhaar (Verhoeff), the Singapore NRIC (weights 2 7 6 5 4 3 2 and the letter table),
the Korean resident registration number, the Swedish personnummer (Luhn), the Polish
PESEL, the Australian TFN; and, for hard negatives, the numbers that carry check digits
of their own (ISBN, ISSN, EAN, UPS 1Z, SSCC, GS1 shipping numbers, IMEI, ISIN, LEI).
"""

from __future__ import annotations

import datetime
import random
import string

DIGITS = string.digits
UPPER = string.ascii_uppercase


def digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(DIGITS) for _ in range(n))


def luhn_digit(body: str) -> str:
    """The Luhn check digit to append to ``body``."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def luhn_ok(number: str) -> bool:
    return luhn_digit(number[:-1]) == number[-1]


# --- IBAN ----------------------------------------------------------------------------------

# BBAN layouts from the SWIFT IBAN registry: n digit, a capital letter, c letter or digit
# (digits here), as (count, class) runs. Countries without a national check in the BBAN
# that python-stdnum verifies, except Norway (its mod 11, computed below).
IBAN_LAYOUT: dict[str, str] = {
    "PL": "8n16n",
    "SE": "3n16n1n",
    "CH": "5n12c",
    "NO": "4n6n1n",
    "DK": "4n9n1n",
    "SA": "2n18c",
    "AE": "3n16n",
    "BR": "8n5n10n1a1c",
    "TR": "5n1n16c",
    "LU": "3n13c",
    "MT": "4a5n18c",
    "GR": "3n4n16c",
    "RO": "4a16c",
    "IE": "4a6n8n",
    "LT": "5n11n",
    "LV": "4a13c",
    "BG": "4a4n2n8c",
    "CY": "3n5n16c",
    "QA": "4a21c",
    "KW": "4a22c",
    "IL": "3n3n13n",
    "UA": "6n19c",
    "HR": "7n10n",
    "AT": "5n11n",
    "LI": "5n12c",
}


def _bban(rng: random.Random, layout: str) -> str:
    out, count = [], ""
    for ch in layout:
        if ch.isdigit():
            count += ch
            continue
        out.append("".join(rng.choice(UPPER if ch == "a" else DIGITS) for _ in range(int(count))))
        count = ""
    return "".join(out)


def _iban_check(country: str, bban: str) -> str:
    moved = bban + country + "00"
    number = int("".join(str(int(c, 36)) for c in moved))
    return f"{98 - number % 97:02d}"


def _no_account(rng: random.Random) -> str:
    while True:
        body = digits(rng, 10)
        s = sum(int(d) * w for d, w in zip(body, (5, 4, 3, 2, 7, 6, 5, 4, 3, 2), strict=True))
        check = (11 - s % 11) % 11
        if check != 10:
            return body + str(check)


def iban(rng: random.Random, country: str) -> str:
    """A valid IBAN of ``country``, unspaced."""
    bban = _no_account(rng) if country == "NO" else _bban(rng, IBAN_LAYOUT[country])
    return country + _iban_check(country, bban) + bban


def spaced(number: str, size: int = 4) -> str:
    return " ".join(number[i : i + size] for i in range(0, len(number), size))


# --- payment cards ---------------------------------------------------------------------------

# (prefixes, length) per network, from the networks' published BIN ranges.
CARD_NETWORKS: dict[str, tuple[tuple[str, ...], int]] = {
    "visa": (("4",), 16),
    "visa19": (("4",), 19),
    "mastercard": (("51", "52", "53", "54", "55"), 16),
    "mastercard2": (("2221", "2300", "2500", "2720"), 16),
    "amex": (("34", "37"), 15),
    "discover": (("6011", "644", "645", "649", "65"), 16),
    "jcb": (("3528", "3540", "3589"), 16),
    "diners": (("36", "300", "305"), 14),
    "unionpay": (("62",), 16),
    "maestro": (("6759", "5018", "5020", "6304"), 16),
    "mir": (("2200", "2201", "2202", "2204"), 16),
    "rupay": (("6521", "6522", "508"), 16),
    "troy": (("9792",), 16),
    "elo": (("636368", "504175", "650031"), 16),
}


def card(rng: random.Random, network: str) -> str:
    prefixes, length = CARD_NETWORKS[network]
    body = rng.choice(prefixes)
    body += digits(rng, length - 1 - len(body))
    return body + luhn_digit(body)


def card_groups(number: str) -> str:
    if len(number) == 15:
        return f"{number[:4]} {number[4:10]} {number[10:]}"
    if len(number) == 14:
        return f"{number[:4]} {number[4:10]} {number[10:]}"
    return spaced(number)


def masked_card(rng: random.Random) -> str:
    """A card as receipts and settlement reports print it: first six, last four."""
    number = card(rng, rng.choice(["visa", "mastercard", "amex"]))
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


# --- ICAO 9303 machine-readable zone --------------------------------------------------------


def mrz_digit(field: str) -> str:
    """ICAO 9303 check digit: weights 7 3 1, digits as themselves, A=10 … Z=35, < = 0."""
    total = 0
    for i, ch in enumerate(field):
        value = 0 if ch == "<" else int(ch, 36)
        total += value * (7, 3, 1)[i % 3]
    return str(total % 10)


def mrz_td3(
    rng: random.Random, surname: str, given: str, nationality: str, today: datetime.date
) -> tuple[str, str]:
    """Both 44-character lines of a passport's machine-readable zone."""
    line1 = f"P<{nationality}{surname.upper()}<<{given.upper().replace(' ', '<')}"
    line1 = (line1 + "<" * 44)[:44]
    number = rng.choice(UPPER) + rng.choice(UPPER) + digits(rng, 7)
    born = birth_date(rng, today)
    expires = today + datetime.timedelta(days=rng.randint(100, 3000))
    dob = f"{born:%y%m%d}"
    exp = f"{expires:%y%m%d}"
    personal = "<" * 14
    part = number + mrz_digit(number) + nationality + dob + mrz_digit(dob) + rng.choice("MF")
    part += exp + mrz_digit(exp) + personal + "0"
    composite = number + mrz_digit(number) + dob + mrz_digit(dob) + exp + mrz_digit(exp) + personal + "0"
    line2 = part + mrz_digit(composite)
    assert len(line2) == 44, line2
    return line1, line2


# --- people ----------------------------------------------------------------------------------


def birth_date(rng: random.Random, today: datetime.date) -> datetime.date:
    return today - datetime.timedelta(days=rng.randint(18 * 365, 80 * 365))


FIRST = [
    "James",
    "Mary",
    "Olivia",
    "Liam",
    "Noah",
    "Emma",
    "Sophie",
    "Lucas",
    "Marco",
    "Giulia",
    "Pierre",
    "Camille",
    "Jan",
    "Anna",
    "Sanne",
    "Daan",
    "João",
    "Ana",
    "Priya",
    "Rahul",
    "Wei",
    "Min-jun",
    "Ji-woo",
    "Erik",
    "Astrid",
    "Piotr",
    "Kasia",
    "Jack",
    "Chloe",
    "Mohammed",
]
LAST = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Rossi",
    "Bianchi",
    "Martin",
    "Bernard",
    "de Vries",
    "Jansen",
    "Silva",
    "Santos",
    "Sharma",
    "Patel",
    "Tan",
    "Lim",
    "Kim",
    "Lee",
    "Andersson",
    "Nowak",
    "Kowalski",
    "Wilson",
    "O'Brien",
    "Dubois",
    "Müller",
    "Schmidt",
    "Costa",
    "Singh",
]


def person(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST), rng.choice(LAST)


def email(first: str, last: str, domain: str = "example.com") -> str:
    local = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
    return local.encode("ascii", "ignore").decode() + "@" + domain


# --- national, tax and health numbers --------------------------------------------------------


def nhs(rng: random.Random) -> str:
    """UK NHS number: nine digits, weights 10…2, check 11 - sum mod 11 (11 -> 0, 10 never)."""
    while True:
        body = digits(rng, 9)
        check = 11 - sum(int(d) * w for d, w in zip(body, range(10, 1, -1), strict=True)) % 11
        if check == 11:
            check = 0
        if check != 10:
            return body + str(check)


def nhs_spaced(number: str) -> str:
    return f"{number[:3]} {number[3:6]} {number[6:]}"


def ca_sin(rng: random.Random) -> str:
    """Canadian SIN: nine digits, Luhn; first digit 1-7 or 9 (temporary residents)."""
    body = rng.choice("1234567") + digits(rng, 7)
    return body + luhn_digit(body)


_CF_ODD = dict(
    zip(
        DIGITS + UPPER,
        [
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
        ],
        strict=True,
    )
)
_CF_EVEN = {c: (int(c) if c.isdigit() else ord(c) - 65) for c in DIGITS + UPPER}
_CF_MONTH = "ABCDEHLMPRST"


def _cf_letters(name: str, surname: bool) -> str:
    name = "".join(c for c in name.upper() if c in UPPER)
    cons = [c for c in name if c not in "AEIOU"]
    vows = [c for c in name if c in "AEIOU"]
    if not surname and len(cons) > 3:
        cons = [cons[0], cons[2], cons[3]]
    return ("".join(cons + vows) + "XXX")[:3]


def it_cf(rng: random.Random, first: str, last: str, today: datetime.date) -> str:
    """Italian codice fiscale: surname, name, year, month letter, day (+40 for women),
    a municipality code, and the check letter of the odd/even tables."""
    born = birth_date(rng, today)
    day = born.day + (40 if rng.random() < 0.5 else 0)
    town = rng.choice(["H501", "F205", "L219", "A662", "D612", "G273", "F839", "C351"])
    body = _cf_letters(last, True) + _cf_letters(first, False) + f"{born:%y}" + _CF_MONTH[born.month - 1]
    body += f"{day:02d}" + town
    total = sum(_CF_ODD[c] if i % 2 == 0 else _CF_EVEN[c] for i, c in enumerate(body))
    return body + UPPER[total % 26]


def fr_nir(rng: random.Random, today: datetime.date) -> str:
    """French NIR: sex, year, month, department, commune, order, key = 97 - n mod 97."""
    born = birth_date(rng, today)
    body = rng.choice("12") + f"{born:%y%m}" + f"{rng.randint(1, 95):02d}" + f"{rng.randint(1, 990):03d}"
    body += f"{rng.randint(1, 999):03d}"
    return body + f"{97 - int(body) % 97:02d}"


def fr_nir_spaced(number: str) -> str:
    n = number
    return f"{n[0]} {n[1:3]} {n[3:5]} {n[5:7]} {n[7:10]} {n[10:13]} {n[13:]}"


def nl_bsn(rng: random.Random) -> str:
    """Dutch BSN: nine digits, weights 9…2 and -1, sum divisible by 11."""
    while True:
        body = rng.choice("1234567") + digits(rng, 7)
        s = sum(int(d) * w for d, w in zip(body, range(9, 1, -1), strict=True))
        check = s % 11
        if check < 10:
            return body + str(check)


def br_cpf(rng: random.Random) -> str:
    """Brazilian CPF: nine digits and two mod-11 check digits."""
    body = digits(rng, 9)
    for _ in range(2):
        s = sum(int(d) * w for d, w in zip(body, range(len(body) + 1, 1, -1), strict=True))
        body += str((s * 10) % 11 % 10)
    return body


def br_cpf_dotted(number: str) -> str:
    return f"{number[:3]}.{number[3:6]}.{number[6:9]}-{number[9:]}"


_VERHOEFF_D = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
]
_VERHOEFF_P = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
]
_VERHOEFF_INV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9]


def verhoeff_digit(body: str) -> str:
    c = 0
    for i, ch in enumerate(reversed(body)):
        c = _VERHOEFF_D[c][_VERHOEFF_P[(i + 1) % 8][int(ch)]]
    return str(_VERHOEFF_INV[c])


def aadhaar(rng: random.Random) -> str:
    """Indian Aadhaar: 12 digits, the first 2-9, Verhoeff check digit, not a palindrome."""
    while True:
        body = rng.choice("23456789") + digits(rng, 10)
        number = body + verhoeff_digit(body)
        if number != number[::-1]:
            return number


def aadhaar_spaced(number: str) -> str:
    return spaced(number)


def sg_nric(rng: random.Random) -> str:
    """Singapore NRIC/FIN: S/T (citizens), F/G (foreigners), 7 digits, a check letter."""
    prefix = rng.choice("STFG")
    body = digits(rng, 7)
    s = sum(int(d) * w for d, w in zip(body, (2, 7, 6, 5, 4, 3, 2), strict=True))
    if prefix in "TG":
        s += 4
    table = "JZIHGFEDCBA" if prefix in "ST" else "XWUTRQPNMLK"
    return prefix + body + table[s % 11]


def kr_rrn(rng: random.Random, today: datetime.date) -> str:
    """Korean RRN: YYMMDD-GNNNNNC, weights 2…9 2…5, check (11 - s mod 11) mod 10."""
    born = birth_date(rng, today)
    gender = rng.choice("12") if born.year < 2000 else rng.choice("34")
    # The two digits after the gender are the place of registration, 00-96.
    body = f"{born:%y%m%d}" + gender + f"{rng.randint(0, 96):02d}" + digits(rng, 3)
    s = sum(int(d) * w for d, w in zip(body, (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5), strict=True))
    number = body + str((11 - s % 11) % 10)
    return number[:6] + "-" + number[6:]


def se_pnr(rng: random.Random, today: datetime.date) -> str:
    """Swedish personnummer YYMMDD-NNNC: Luhn over the ten digits."""
    born = birth_date(rng, today)
    body = f"{born:%y%m%d}" + digits(rng, 3)
    return body[:6] + "-" + body[6:] + luhn_digit(body)


def pl_pesel(rng: random.Random, today: datetime.date) -> str:
    """Polish PESEL: YYMMDD (month +20 after 2000), serial, weights 1 3 7 9 …."""
    born = birth_date(rng, today)
    month = born.month + (20 if born.year >= 2000 else 0)
    body = f"{born:%y}{month:02d}{born:%d}" + digits(rng, 4)
    s = sum(int(d) * w for d, w in zip(body, (1, 3, 7, 9, 1, 3, 7, 9, 1, 3), strict=True))
    return body + str((10 - s % 10) % 10)


def au_tfn(rng: random.Random) -> str:
    """Australian TFN: nine digits, weights 1 4 3 7 5 8 6 9 10, sum divisible by 11."""
    while True:
        number = digits(rng, 9)
        s = sum(int(d) * w for d, w in zip(number, (1, 4, 3, 7, 5, 8, 6, 9, 10), strict=True))
        if s % 11 == 0 and number[0] != "0":
            return number


def us_ssn(rng: random.Random) -> str:
    area = rng.choice([n for n in range(1, 900) if n != 666])
    return f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


def uk_phone(rng: random.Random) -> str:
    return f"07{rng.randint(100, 999)} {rng.randint(100000, 999999)}"


def us_phone(rng: random.Random) -> str:
    return f"({rng.randint(201, 989)}) {rng.randint(200, 999)}-{rng.randint(0, 9999):04d}"


# --- numbers with check digits of their own (hard negatives) ---------------------------------


def ean13(rng: random.Random, prefix: str = "") -> str:
    body = prefix + digits(rng, 12 - len(prefix))
    s = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - s % 10) % 10)


def isbn13(rng: random.Random) -> str:
    return ean13(rng, rng.choice(["978", "979"]))


def issn(rng: random.Random) -> str:
    body = digits(rng, 7)
    s = sum(int(d) * w for d, w in zip(body, range(8, 1, -1), strict=True))
    check = (11 - s % 11) % 11
    return f"{body[:4]}-{body[4:]}{'X' if check == 10 else check}"


def gtin14(rng: random.Random) -> str:
    body = digits(rng, 13)
    s = sum(int(d) * (1 if i % 2 else 3) for i, d in enumerate(body))
    return body + str((10 - s % 10) % 10)


def sscc(rng: random.Random) -> str:
    """GS1 SSCC: extension digit, company prefix, serial: 17 digits and the GS1 mod 10."""
    body = digits(rng, 17)
    s = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(body))
    return body + str((10 - s % 10) % 10)


def imei(rng: random.Random) -> str:
    body = rng.choice(["35", "86", "01"]) + digits(rng, 12)
    return body + luhn_digit(body)


def ups(rng: random.Random) -> str:
    return "1Z" + "".join(rng.choice(UPPER + DIGITS) for _ in range(6)) + digits(rng, 10)


def isin(rng: random.Random) -> str:
    body = rng.choice(["US", "GB", "DE", "FR"]) + digits(rng, 9)
    expanded = "".join(str(int(c, 36)) for c in body)
    return body + luhn_digit(expanded)


def guid(rng: random.Random) -> str:
    h = "".join(rng.choice("0123456789abcdef") for _ in range(32))
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{h[16:20]}-{h[20:]}"
