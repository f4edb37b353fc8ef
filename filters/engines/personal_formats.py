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

Argentine DNI and Colombian cédula numbers are not read: they have no check digit, and a
part that names them writes amounts with the same thousands dots.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
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
)
KINDS = tuple(dict.fromkeys(f.kind for f in FORMATS))

# Labels that make a part's formats be read, per kind (matched case-insensitively after
# NFKC, as words of their own). cn_id15 and es_id use the engine's labels of cn_id and es_id.
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
