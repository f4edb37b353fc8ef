"""Identifiers of people who do not exist, built here from each format's public description.

Written for this corpus from the published rules, not from Redline's engine or from
tests/fixtures/personal.py: GB 11643 (ISO 7064 MOD 11-2, ``X`` for 10) and the 15-digit
numbers issued before 1999; the Hong Kong Immigration Department's HKID check digit (mod
11 over letter values A=10…Z=35, a blank for one-letter prefixes); Taiwan's National ID
(a letter for the place of registration, weights 1 9 8 7 6 5 4 3 2 1 1, mod 10); Spain's
DNI/NIE letter (mod 23 over ``TRWAGMYFPDXBNJZSQVHLCKE``) and CIF control (Orden
EHA/451/2008); Mexico's CURP (RENAPO: weights 18…2 over
``0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ``) and RFC (SAT: mod 11 over
``0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ``); Argentina's CUIL (AFIP: weights 5 4 3 2 7 6
5 4 3 2, mod 11); ISO 13616 IBAN (mod 97) with the national checks of Spain (CCC) and
France (clé RIB); Luhn over the card schemes' published issuer ranges; the Social
Security Administration's SSN rules (no area 000, 666 or 9xx, no group 00, no serial
0000); HMRC's National Insurance number prefixes; the GB 32100 unified social credit code
of Chinese companies; GS1's EAN-13 and ISBN-13; 3GPP's IMEI (Luhn over 14 digits).
"""

from __future__ import annotations

import datetime
import random
import string

# County codes (GB/T 2260) of districts people are registered in.
CN_COUNTIES = (
    "110101",
    "110102",
    "110106",
    "120103",
    "130102",
    "310101",
    "310110",
    "320106",
    "330102",
    "340104",
    "350102",
    "360102",
    "370102",
    "410105",
    "420102",
    "430104",
    "440103",
    "440104",
    "440304",
    "450103",
    "500106",
    "510107",
    "520102",
    "530102",
    "610104",
    "620102",
    "650102",
)
CN_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢唐韩冯邓曹彭萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈"
CN_GIVEN = "子涵欣怡梓轩浩宇思远雨桐嘉怡俊杰晓东文博佳琪志明海燕丽娟建华淑珍国庆春梅秋菊振宇雪松一鸣"
CN_MOBILE_PREFIXES = (
    "130",
    "131",
    "132",
    "133",
    "134",
    "135",
    "136",
    "137",
    "138",
    "139",
    "145",
    "147",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "166",
    "170",
    "171",
    "173",
    "175",
    "176",
    "177",
    "178",
    "180",
    "181",
    "182",
    "183",
    "184",
    "185",
    "186",
    "187",
    "188",
    "189",
    "191",
    "193",
    "195",
    "196",
    "198",
    "199",
)
ES_SURNAMES = (
    "Castillo",
    "Ortega",
    "Rubio",
    "Molina",
    "Delgado",
    "Morales",
    "Ortiz",
    "Marín",
    "Iglesias",
    "Núñez",
    "Medina",
    "Garrido",
    "Cortés",
    "Castro",
    "Santos",
    "Lozano",
    "Guerrero",
    "Cano",
    "Prieto",
    "Méndez",
    "Cruz",
    "Calvo",
    "Gallego",
    "Vidal",
)
ES_GIVEN = (
    "Alejandro",
    "Pablo",
    "Sergio",
    "Jorge",
    "Adrián",
    "Álvaro",
    "Raúl",
    "Iván",
    "Elena",
    "Sara",
    "Paula",
    "Raquel",
    "Rosa",
    "Beatriz",
    "Nuria",
    "Silvia",
    "Irene",
)
EN_SURNAMES = (
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
)
EN_GIVEN = (
    "Oliver",
    "Harry",
    "Jack",
    "George",
    "Noah",
    "Amelia",
    "Olivia",
    "Isla",
    "Emily",
    "Ava",
    "Sophie",
    "Grace",
    "Mia",
    "Ethan",
    "Liam",
    "Chloe",
)
TW_SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝郭洪邱曾廖賴徐周葉蘇莊呂江何蕭羅高"
HK_NAMES = (
    "CHAN Tai Man",
    "WONG Siu Ming",
    "LEE Ka Yan",
    "CHEUNG Wing Sze",
    "LAU Chi Keung",
    "NG Mei Ling",
    "HO Kwok Wai",
    "LEUNG Hoi Yan",
    "YEUNG Chun Hei",
    "TSANG Ka Wing",
    "CHOW Man Kit",
    "LAM Pui Shan",
    "KWOK Tsz Ching",
    "LO Wai Lun",
    "TAM Hiu Tung",
)


def person_cn(rng: random.Random) -> str:
    """A Chinese name of two or three characters."""
    return rng.choice(CN_SURNAMES) + "".join(rng.choice(CN_GIVEN) for _ in range(rng.randint(1, 2)))


def person_es(rng: random.Random) -> str:
    return f"{rng.choice(ES_GIVEN)} {rng.choice(ES_SURNAMES)} {rng.choice(ES_SURNAMES)}"


def person_en(rng: random.Random) -> str:
    return f"{rng.choice(EN_GIVEN)} {rng.choice(EN_SURNAMES)}"


def birth_date(rng: random.Random, today: datetime.date, low: int = 19, high: int = 70) -> datetime.date:
    return today - datetime.timedelta(days=rng.randint(low * 365, high * 365))


# --- China -------------------------------------------------------------------------------

GB11643_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))  # 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2


def gb11643_check(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, GB11643_WEIGHTS, strict=True))
    return "10X98765432"[total % 11]


def cn_id(rng: random.Random, today: datetime.date, born: datetime.date | None = None) -> str:
    """An 18-character resident identity number (GB 11643-1999)."""
    born = born or birth_date(rng, today)
    body = f"{rng.choice(CN_COUNTIES)}{born:%Y%m%d}{rng.randint(0, 999):03d}"
    return body + gb11643_check(body)


def cn_id_x(rng: random.Random, today: datetime.date) -> str:
    """A resident identity number whose check character is X."""
    while True:
        number = cn_id(rng, today)
        if number.endswith("X"):
            return number


def cn_id_bad(rng: random.Random, today: datetime.date) -> str:
    """18 characters of the right shape whose check character is wrong (a typing error)."""
    number = cn_id(rng, today)
    wrong = [c for c in "0123456789X" if c != number[-1]]
    return number[:17] + rng.choice(wrong)


def cn_id15(rng: random.Random) -> str:
    """A 15-digit number issued before 1999: county, YYMMDD of a birth in 19xx, sequence."""
    born = datetime.date(rng.randint(1940, 1984), rng.randint(1, 12), rng.randint(1, 28))
    return f"{rng.choice(CN_COUNTIES)}{born:%y%m%d}{rng.randint(1, 999):03d}"


def cn_mobile(rng: random.Random) -> str:
    return rng.choice(CN_MOBILE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}"


USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))


def cn_uscc(rng: random.Random) -> str:
    """A company's unified social credit code (GB 32100-2015): registrar, type, region, org code."""
    org = "".join(rng.choice("0123456789") for _ in range(8))
    org += str(
        (11 - sum(int(d) * w for d, w in zip(org, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11) % 11
    ).replace("10", "X")
    body = "91" + rng.choice(CN_COUNTIES) + org
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(body, USCC_WEIGHTS, strict=True))
    return body + USCC_CHARS[(31 - total % 31) % 31]


# --- Hong Kong, Taiwan -------------------------------------------------------------------


def hkid(rng: random.Random) -> tuple[str, str]:
    """A Hong Kong identity card number as (prefix and six digits, check character)."""
    prefix = rng.choice(string.ascii_uppercase)
    if rng.random() < 0.15:
        prefix = rng.choice("WXZ") + prefix
    digits = f"{rng.randint(0, 999_999):06d}"
    values = ([36] if len(prefix) == 1 else []) + [ord(c) - 55 for c in prefix] + [int(d) for d in digits]
    total = sum(v * w for v, w in zip(values, range(9, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return prefix + digits, "A" if check == 10 else str(check)


TW_LETTERS = {c: v for v, c in enumerate("ABCDEFGHJKLMNPQRSTUVXYWZIO", start=10)}


def tw_id(rng: random.Random) -> str:
    """A Taiwan National ID number: place letter, 1 (male) or 2 (female), 7 digits, check digit."""
    letter = rng.choice("ABCDEFGHJKMNPQTUVWXZ")
    body = rng.choice("12") + f"{rng.randint(0, 9_999_999):07d}"
    code = TW_LETTERS[letter]
    total = code // 10 + (code % 10) * 9 + sum(int(d) * w for d, w in zip(body, range(8, 0, -1), strict=True))
    return letter + body + str((10 - total % 10) % 10)


# --- Spain ---------------------------------------------------------------------------------

DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def dni(rng: random.Random) -> str:
    number = rng.randint(1_000_000, 79_999_999)
    return f"{number:08d}{DNI_LETTERS[number % 23]}"


def nie(rng: random.Random) -> str:
    first = rng.choice("XYZ")
    number = rng.randint(0, 9_999_999)
    return f"{first}{number:07d}{DNI_LETTERS[int(str('XYZ'.index(first)) + f'{number:07d}') % 23]}"


def cif(rng: random.Random) -> str:
    """A company's CIF: entity letter, province and serial (7 digits), control digit or letter."""
    letter = rng.choice("ABBBBBEFGHJUV")  # mostly sociedades limitadas (B)
    digits = f"{rng.choice((8, 28, 46, 41, 48)):02d}{rng.randint(0, 99_999):05d}"
    odd = sum(sum(divmod(int(d) * 2, 10)) for d in digits[0::2])
    total = odd + sum(int(d) for d in digits[1::2])
    control = (10 - total % 10) % 10
    return letter + digits + ("JABCDEFGHI"[control] if letter in "PQRSNW" else str(control))


# --- Mexico, Argentina, Colombia ---------------------------------------------------------

CURP_CHARS = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ"
CURP_STATES = (
    "AS",
    "BC",
    "CH",
    "CL",
    "DF",
    "GR",
    "GT",
    "JC",
    "MC",
    "MN",
    "NL",
    "OC",
    "PL",
    "QT",
    "SL",
    "SP",
    "VZ",
    "YN",
)
MX_NAMES = (
    ("GARCIA", "LOPEZ", "JUAN"),
    ("HERNANDEZ", "MARTINEZ", "MARIA"),
    ("GONZALEZ", "PEREZ", "LUIS"),
    ("RODRIGUEZ", "SANCHEZ", "ANA"),
    ("RAMIREZ", "TORRES", "CARLOS"),
    ("FLORES", "RIVERA", "GABRIELA"),
    ("MORALES", "JIMENEZ", "PEDRO"),
    ("VAZQUEZ", "REYES", "SOFIA"),
    ("CRUZ", "MENDOZA", "DIEGO"),
    ("ORTIZ", "GUTIERREZ", "LAURA"),
)


def _inner_consonant(word: str) -> str:
    return next((c for c in word[1:] if c not in "AEIOU"), "X")


def curp(rng: random.Random, today: datetime.date) -> tuple[str, str]:
    """A CURP and the person's name: initials, birth date, sex, state, inner consonants, check."""
    last1, last2, given = rng.choice(MX_NAMES)
    born = birth_date(rng, today, 19, 60)
    first_vowel = next(c for c in last1[1:] if c in "AEIOU")
    body = (
        last1[0]
        + first_vowel
        + last2[0]
        + given[0]
        + f"{born:%y%m%d}"
        + rng.choice("HM")
        + rng.choice(CURP_STATES)
        + _inner_consonant(last1)
        + _inner_consonant(last2)
        + _inner_consonant(given)
        + (str(rng.randint(0, 9)) if born.year < 2000 else rng.choice("ABC"))
    )
    total = sum(CURP_CHARS.index(c) * (18 - i) for i, c in enumerate(body))
    return body + str((10 - total % 10) % 10), f"{given.title()} {last1.title()} {last2.title()}"


RFC_CHARS = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ"


def rfc_from_curp(rng: random.Random, curp_number: str) -> str:
    """A person's RFC: the CURP's first ten characters, a two-character homoclave, check."""
    body = curp_number[:10] + rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ123456789") + rng.choice("123456789A")
    total = sum(RFC_CHARS.index(c) * (13 - i) for i, c in enumerate(body))
    return body + RFC_CHARS[(11 - total % 11) % 11]


def cuil(rng: random.Random) -> str:
    """An Argentine CUIL as printed: 20/27-DNI-check (numbers whose check would be 10 skipped)."""
    while True:
        body = rng.choice(("20", "27", "23")) + f"{rng.randint(10_000_000, 45_999_999)}"
        total = sum(int(d) * w for d, w in zip(body, (5, 4, 3, 2, 7, 6, 5, 4, 3, 2), strict=True))
        check = (11 - total % 11) % 11
        if check < 10:
            return f"{body[:2]}-{body[2:]}-{check}"


def dotted(number: int) -> str:
    """Thousands separated by dots as Argentina and Colombia print them: 30.123.456."""
    return f"{number:,}".replace(",", ".")


# --- IBAN, cards ----------------------------------------------------------------------------


def _iban(country: str, bban: str) -> str:
    moved = bban + country + "00"
    numeric = "".join(str(int(c, 36)) for c in moved)
    return f"{country}{98 - int(numeric) % 97:02d}{bban}"


def _ccc_digit(digits: str) -> str:
    weights = (1, 2, 4, 8, 5, 10, 9, 7, 3, 6)
    value = 11 - sum(int(d) * w for d, w in zip(digits.rjust(10, "0"), weights, strict=True)) % 11
    return str({11: 0, 10: 1}.get(value, value))


def iban(rng: random.Random, country: str) -> str:
    """A valid IBAN of ``country`` (ES, DE, FR, GB, IT, NL, BE, PT, AT, IE)."""

    def digits(n: int) -> str:
        return "".join(rng.choice("0123456789") for _ in range(n))

    if country == "ES":
        bank, branch, account = rng.choice(("2100", "0049", "0182", "0075", "2085")), digits(4), digits(10)
        return _iban("ES", bank + branch + _ccc_digit("00" + bank + branch) + _ccc_digit(account) + account)
    if country == "FR":
        bank, branch, account = rng.choice(("30004", "30003", "20041", "10278")), digits(5), digits(11)
        key = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97
        return _iban("FR", f"{bank}{branch}{account}{key:02d}")
    if country == "BE":
        first = rng.choice(("001", "068", "310", "363", "731")) + digits(7)
        return _iban("BE", f"{first}{int(first) % 97 or 97:02d}")
    if country == "PT":
        first = "0035" + digits(15)
        return _iban("PT", f"{first}{98 - int(first) * 100 % 97:02d}")
    layouts = {
        "DE": lambda: rng.choice(("10070000", "37040044", "50010517", "20041133")) + digits(10),
        "GB": lambda: rng.choice(("NWBK", "BARC", "MIDL", "LOYD")) + digits(14),
        "IT": lambda: (
            rng.choice("ABCDEFGHIJKLMNOPRSTUVWXYZ")
            + rng.choice(("03069", "02008", "05034"))
            + digits(5)
            + digits(12)
        ),
        "NL": lambda: rng.choice(("ABNA", "INGB", "RABO")) + digits(10),
        "AT": lambda: rng.choice(("12000", "20111", "32000")) + digits(11),
        "IE": lambda: rng.choice(("AIBK", "BOFI")) + digits(6) + digits(8),
    }
    return _iban(country, layouts[country]())


def spaced(number: str, size: int = 4, sep: str = " ") -> str:
    return sep.join(number[i : i + size] for i in range(0, len(number), size))


def luhn_complete(body: str) -> str:
    total = 0
    for i, d in enumerate(reversed(body)):
        n = int(d) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return body + str((10 - total % 10) % 10)


CARD_RANGES = {
    "visa": (("4",), 16),
    "mastercard": (("51", "52", "53", "54", "55"), 16),
    "mastercard2": (("2221", "2300", "2410", "2567", "2720"), 16),
    "amex": (("34", "37"), 15),
    "unionpay": (("622126", "6228", "6217", "6259"), 16),
    "unionpay19": (("6217", "6228"), 19),
    "discover": (("6011", "644", "65"), 16),
    "jcb": (("3528", "3589"), 16),
}


def card(rng: random.Random, scheme: str) -> str:
    prefixes, length = CARD_RANGES[scheme]
    body = rng.choice(prefixes)
    body += "".join(rng.choice("0123456789") for _ in range(length - 1 - len(body)))
    return luhn_complete(body)


def card_grouped(number: str, sep: str = " ") -> str:
    """A card number as printed on the card: 4-6-5 for 15 digits, groups of four otherwise."""
    if len(number) == 15:
        return sep.join((number[:4], number[4:10], number[10:]))
    return spaced(number, 4, sep)


# Test numbers the payment processors publish for integration testing (Stripe, Adyen,
# Braintree, PayPal sandbox documentation): valid by Luhn, issued to no one.
PUBLISHED_TEST_CARDS = (
    "4242424242424242",
    "4000056655665556",
    "5555555555554444",
    "2223003122003222",
    "5200828282828210",
    "5105105105105100",
    "378282246310005",
    "371449635398431",
    "6011111111111117",
    "6011000990139424",
    "3056930009020004",
    "36227206271667",
    "3566002020360505",
    "6200000000000005",
    "4111111111111111",
    "4012888888881881",
    "4000000000000002",
    "4000000000009995",
    "4000000000000069",
    "4000000000000127",
)


# --- United States, United Kingdom -------------------------------------------------------


def ssn(rng: random.Random) -> str:
    while True:
        area = rng.randint(1, 899)
        if area != 666:
            return f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


NINO_FIRST = "ABCEGHJKLMNOPRSTWXYZ"
NINO_SECOND = "ABCEGHJKLMNPRSTWXYZ"
NINO_NOT = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}


def nino(rng: random.Random) -> str:
    """A National Insurance number as HMRC prints it: two letters, three pairs of digits, A-D."""
    while (prefix := rng.choice(NINO_FIRST) + rng.choice(NINO_SECOND)) in NINO_NOT:
        pass
    pairs = " ".join(f"{rng.randint(0, 99):02d}" for _ in range(3))
    return f"{prefix} {pairs} {rng.choice('ABCD')}"


# --- Hard negatives -----------------------------------------------------------------------


def ean13(body12: str) -> str:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body12))
    return body12 + str((10 - total % 10) % 10)


def isbn13(rng: random.Random) -> str:
    return ean13(rng.choice(("978", "979")) + "".join(rng.choice("0123456789") for _ in range(9)))


def issn(rng: random.Random) -> str:
    body = f"{rng.randint(0, 9_999_999):07d}"
    check = (11 - sum(int(d) * w for d, w in zip(body, range(8, 1, -1), strict=True)) % 11) % 11
    return f"{body[:4]}-{body[4:]}{'X' if check == 10 else check}"


def imei(rng: random.Random) -> str:
    """A device's IMEI: type allocation code, serial, Luhn digit."""
    tac = rng.choice(("35332510", "35875011", "86769204", "86434704", "35391110"))
    return luhn_complete(tac + f"{rng.randint(0, 999_999):06d}")


def digits(rng: random.Random, n: int, first: str = "123456789") -> str:
    return rng.choice(first) + "".join(rng.choice("0123456789") for _ in range(n - 1))
