"""Personal-data engine: citizens' identifiers in bulk, validated, reported masked.

A text part is searched for Chinese resident identity numbers, Spanish DNI and NIE,
IBANs, payment card numbers and, beside a label of their kind, passport numbers and the
identifiers of personal_formats.py (national, tax and health numbers of Hong Kong,
Taiwan, Mexico, Argentina, the US, the UK, Canada, Italy, France, the Netherlands, Brazil,
India, Singapore, Korea, Sweden, Poland and Australia; mainland mobile numbers in bulk), and
the machine-readable zones of passports and ID cards (ICAO 9303), label or not. Every
candidate is validated (GB 11643 check digit, birth date and region code; DNI/NIE check
letter; ISO 13616 mod 97 with the country's length and layout; Luhn and a known issuer
range), so random digits do not count. A part is a hit when it carries at least the
configured number of distinct valid identifiers of one kind, or fewer when a label such
as 身份证号, DNI or "card number" stands in the same part (a table header, the cell, the
sentence). Mobile numbers and e-mail addresses are only counted into such a hit, never
a hit alone. Excerpts show identifiers masked (``110105********1234``), so the officer UI,
logs and ``redline scan`` never repeat what the engine protects.

Speed: candidates are found and validated in one compiled pass over the part's bytes
(``filters/engines/personal_scan.py``); labels are looked for (by Hyperscan) only in a part
that holds more valid identifiers than chance explains, so a CSV of random numbers costs
one pass.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime
import functools
import hashlib
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import hyperscan

from filters.compiled_cache import CompiledCache, LazyPattern
from filters.config import option
from filters.engines import personal_formats
from filters.errors import ConfigError
from filters.normalise import _INVISIBLE_RANGES, fold_utf8, utf8
from filters.types import ACTIONS, NUMBER_RUNS_KEY, SEVERITIES, Hit, Part

if TYPE_CHECKING:
    from types import ModuleType

    from filters.engines.personal_scan import Found

CATEGORY = "personal"
# Kinds that make a hit (the kinds read only beside a label, personal_formats.py, and
# passport numbers last), and kinds that are only counted into one.
FORMAT_KINDS = tuple(personal_formats.NOUNS)
KINDS = ("cn_id", "es_id", "iban", "card", *FORMAT_KINDS, "passport")
COUNTED = ("mobile", "email")
NOUNS = {
    "cn_id": ("Chinese resident ID number", "Chinese resident ID numbers"),
    "es_id": ("Spanish DNI/NIE", "Spanish DNIs/NIEs"),
    "iban": ("IBAN", "IBANs"),
    "card": ("payment card number", "payment card numbers"),
    **personal_formats.NOUNS,
    "passport": ("passport number", "passport numbers"),
    "mobile": ("mobile number", "mobile numbers"),
    "email": ("e-mail address", "e-mail addresses"),
}
DESCRIPTION = (
    "Many valid identifiers of people (ID, bank account, card or passport numbers) "
    "in one part: personal data the organisation must protect."
)

# Chance that a candidate of this shape passes validation when its digits are random: a
# table of random numbers then yields about this share of "valid" ones, which is
# subtracted before the count is compared with the threshold.
CHANCE = {
    "cn_id": 1 / 11,
    "es_id": 1 / 23,
    "iban": 1 / 97,
    "card": 1 / 10,
    "passport": 0.0,
    **{kind: personal_formats.CHANCE[kind] for kind in FORMAT_KINDS},
}

# Labels that put identifiers in context (matched case-insensitively, after NFKC).
LABELS: dict[str, tuple[str, ...]] = {
    "cn_id": (
        "身份证",
        "身份号码",
        "证件号",
        "公民身份",
        "居民身份",
        "id number",
        "id no",
        "id card",
        "resident id",
        "identity number",
        "identity card",
    ),
    "es_id": (
        "dni",
        "nie",
        "nif",
        "d.n.i",
        "n.i.e",
        "documento de identidad",
        "documento nacional",
        "identity number",
        "id number",
    ),
    "iban": (
        "iban",
        "cuenta bancaria",
        "número de cuenta",
        "numero de cuenta",
        "nº de cuenta",
        "bank account",
        "account number",
        "银行账号",
        "银行账户",
        "账号",
        "账户",
    ),
    "card": (
        "card number",
        "card no",
        "credit card",
        "debit card",
        "cardholder",
        "card holder",
        "número de tarjeta",
        "numero de tarjeta",
        "nº tarjeta",
        "tarjeta",
        "tarjeta de crédito",
        "tarjeta de credito",
        "tarjeta de débito",
        "卡号",
        "银行卡",
        "信用卡",
        "借记卡",
    ),
    **personal_formats.LABELS,
    "passport": ("passport", "pasaporte", "护照", "護照"),
}
LABELS["cn_id15"] = LABELS["cn_id"]  # the numbers issued before 1999 stand under the same headers

CONTACT_BYTES = 2 * 1024 * 1024  # mobile numbers and addresses are counted in this much
LABEL_NEAR = 48  # a passport number counts this close after its label
# Record kinds of the compiled scanner (personal_scan.CN_ID …), in that order.
_SCANNED = ("cn_id", "card", "es_id", "iban")
_PASSPORT = LazyPattern(rb"(?<![0-9A-Za-z])([A-Z]{1,3}[0-9]{6,8})(?![0-9A-Za-z])")
_PASSPORT_FIELD = LazyPattern(rb"(?m)(?:^|[\t,;|])[ \"']*([A-Z]{1,3}[0-9]{6,8})[ \"']*(?=$|[\t,;|\r])")
_MOBILE = LazyPattern(rb"(?<![0-9])(?:\+?86[ -]?)?(1[3-9][0-9])[ -]?([0-9]{4})[ -]?([0-9]{4})(?![0-9])")
# The lookbehind starts a match only where a local part starts (no quadratic retries).
_EMAIL = LazyPattern(
    rb"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}"
    rb"(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}"
)
# Mainland mobile number segments (MIIT numbering plan): 13x, 14[5-9], 15[0-35-9],
# 16[2567], 17[0-8], 18x, 19[0-35-9].
_MOBILE_SEGMENTS = frozenset(
    [f"13{d}" for d in range(10)]
    + ["145", "146", "147", "148", "149"]
    + [f"15{d}" for d in "012356789"]
    + ["162", "165", "166", "167"]
    + [f"17{d}" for d in "012345678"]
    + [f"18{d}" for d in range(10)]
    + [f"19{d}" for d in "012356789"]
)

# Issuer ranges of the card schemes in use: (first prefix, last prefix, prefix digits, lengths).
CARD_ISSUERS: tuple[tuple[int, int, int, frozenset[int]], ...] = (
    (4, 4, 1, frozenset({16, 19})),  # Visa
    (51, 55, 2, frozenset({16})),  # Mastercard
    (2221, 2720, 4, frozenset({16})),  # Mastercard 2-series
    (34, 34, 2, frozenset({15})),
    (37, 37, 2, frozenset({15})),  # American Express
    (300, 305, 3, frozenset({14, 16})),
    (36, 36, 2, frozenset({14, 16})),  # Diners Club
    (38, 39, 2, frozenset({14, 16})),
    (6011, 6011, 4, frozenset({16, 19})),
    (644, 649, 3, frozenset({16, 19})),  # Discover
    (65, 65, 2, frozenset({16, 19})),
    (3528, 3589, 4, frozenset({16, 17, 18, 19})),  # JCB
    (62, 62, 2, frozenset({16, 17, 18, 19})),  # UnionPay
    # Maestro's own ranges (not its whole 5x/6x space: order and account numbers live there).
    (5018, 5018, 4, frozenset({16, 17, 18, 19})),
    (5020, 5020, 4, frozenset({16, 17, 18, 19})),
    (5038, 5038, 4, frozenset({16, 17, 18, 19})),
    (5893, 5893, 4, frozenset({16, 17, 18, 19})),
    (6304, 6304, 4, frozenset({16, 17, 18, 19})),
    (6759, 6759, 4, frozenset({16, 17, 18, 19})),  # Maestro, Maestro UK
    (6761, 6763, 4, frozenset({16, 17, 18, 19})),
    (2200, 2204, 4, frozenset({16, 17, 18, 19})),  # Mir
    (508, 508, 3, frozenset({16})),  # RuPay (its 60, 65, 81 and 82 are shared or unconfirmed)
    (9792, 9792, 4, frozenset({16})),  # Troy
    (5041, 5041, 4, frozenset({16})),  # Elo (504175, 509xxx, 636368 …; its 4xxx and 65xx are Visa's
    (509, 509, 3, frozenset({16})),  # and Discover's rows above)
    (6362, 6363, 4, frozenset({16})),
)

# Card numbers the payment processors and schemes publish for testing an integration
# (Stripe, Adyen, Braintree, PayPal, Authorize.net, Worldpay): valid by issuer range and
# Luhn, issued to no one, printed in every integration guide. A list of them is not
# cardholder data, so they count neither as valid cards nor as failed candidates; a fixed
# public list opens no evasion (no real card can be written as one of them).
PUBLISHED_TEST_CARDS = frozenset(
    {
        # Visa
        "4111111111111111",
        "4012888888881881",
        "4242424242424242",
        "4000056655665556",
        "4000000000000002",
        "4000000000009995",
        "4000000000000069",
        "4000000000000127",
        "4000000000000119",
        "4000000000000077",
        "4000000000003220",
        "4000002500003155",
        "4000000000003063",
        "4000002760003184",
        "4000000000000341",
        "4000000000000101",
        "4111111145551142",
        "4988438843884305",
        "4917610000000000",
        "4444333322221111",
        "4005519200000004",
        "4009348888881881",
        "4012000033330026",
        "4012000077777777",
        "4217651111111119",
        "4500600000000061",
        "4000000000000010",
        "4000000000000028",
        # Mastercard, 2-series included
        "5555555555554444",
        "5105105105105100",
        "5200828282828210",
        "2223003122003222",
        "5555341244441115",
        "2222400070000005",
        "5454545454545454",
        "5431111111111111",
        "5424000000000015",
        "2223000048400011",
        "5500000000000004",
        "5100000000000008",
        "6304000000000000",  # Braintree's Maestro
        # American Express, Diners Club, Discover, JCB, UnionPay
        "378282246310005",
        "371449635398431",
        "378734493671000",
        "370000000000002",
        "340000000000009",
        "30569309025904",
        "38520000023237",
        "36227206271667",
        "3056930009020004",
        "36006666333344",
        "6011111111111117",
        "6011000990139424",
        "6011981111111113",
        "6011000000000004",
        "6011601160116611",
        "3530111333300000",
        "3566002020360505",
        "3566111111111113",
        "3569990010095841",
        "6200000000000005",
        "6205500000000000004",
    }
)


def _may_hold() -> tuple[bytes, ...]:
    """Expressions that together match wherever the scanner (personal_scan._scan) records
    a candidate, and in little else: a part none of them matches holds no candidate, so it
    is not handed to the scanner, which brings NumPy and its tables (a tenth of a second
    in each process) and reads every byte in Python below COMPILED_FROM. Mail headers
    (Message-ID, MIME boundaries) are full of long digit runs that are none of these.

    Each is a loose form of one way a candidate is written (tests/unit/
    test_personal_prefilter.py checks that none is ever missed).
    """
    edge = rb"(?:^|[^0-9])"
    end = rb"(?:[^0-9]|$)"
    # A card: 13 to 19 digits alone, starting with a known issuer's prefix for the length.
    cards = []
    for low, high, width, lengths in CARD_ISSUERS:
        prefixes = b"|".join(str(p).encode() for p in range(low, high + 1))
        for length in sorted(lengths):
            cards.append(edge + b"(?:" + prefixes + b")[0-9]{%d}" % (length - width) + end)
    # Groups of digits joined by single spaces or hyphens, 13 digits or more, the first
    # group at most 12 long (a chain the scanner joins has groups of eight at most).
    chains = (
        b"|".join(rb"[0-9]{%d}[ -][0-9](?:[ -]?[0-9]){%d}" % (first, 12 - first) for first in range(1, 12))
        + rb"|[0-9]{12}[ -][0-9]"
    )
    return (
        # A DNI (8 digits) or NIE (X/Y/Z and 7) and its letter.
        edge + rb"[0-9]{7,8}[ -]?[A-Za-z]",
        # A resident ID: 18 digits, or 17 and X, with a birth year 1800-2199 in place.
        edge + rb"[0-9]{6}(?:1[89]|2[01])[0-9]{2}[01][0-9][0-3][0-9][0-9]{3}[0-9Xx]",
        # An IBAN: a country's two capital letters and the check digits, starting a word.
        rb"(?:^|[^0-9A-Za-z])[A-Z]{2}[0-9]{2}",
        *cards,
        chains,
    )


MAY_HOLD = _may_hold()
_MAY_HOLD = LazyPattern(b"|".join(MAY_HOLD))  # the same, for short texts (excerpts)

# python-stdnum is imported where it is used, and the expressions below are compiled on
# first use: with its registries it cost a one-file redline scan a tenth of its start,
# and most parts never get to a check, a label or an excerpt.


def iban_countries() -> tuple[str, ...]:
    """Countries of the IBAN registry (stdnum's copy of the SWIFT list)."""
    from stdnum import numdb

    return tuple(
        sorted(
            {entry[1] for entry in numdb.get("iban").prefixes if len(entry[1]) == 2 and entry[3].get("bban")}
        )
    )


@functools.lru_cache(maxsize=256)
def iban_layout(country: str) -> tuple[int, re.Pattern[str]]:
    """The IBAN length of ``country`` and a pattern for its BBAN (0 when it has none)."""
    if len(country) != 2 or not country.isalpha() or not country.isascii():
        return 0, re.compile("")
    from stdnum import numdb

    info = numdb.get("iban").info(country.upper() + "00")[0][1]
    layout = info.get("bban", "")
    if not layout:
        return 0, re.compile("")
    kinds = {"n": "[0-9]", "a": "[A-Z]", "c": "[A-Za-z0-9]"}
    parts = re.findall(r"(\d+)!([nac])", layout)
    pattern = "".join(f"{kinds[kind]}{{{count}}}" for count, kind in parts)
    return 4 + sum(int(count) for count, _ in parts), re.compile(pattern + "$")


def _scanner() -> ModuleType:
    """filters/engines/personal_scan.py, imported on first use: it brings NumPy (and,
    for large parts, Numba), which a short ``redline scan`` need not load."""
    from filters.engines import personal_scan

    return personal_scan


def _issuer_known(number: str) -> bool:
    length = len(number)
    for low, high, digits, lengths in CARD_ISSUERS:
        if length in lengths and low <= int(number[:digits]) <= high:
            return True
    return False


def valid_cn_id(number: str, today: datetime.date | None = None) -> bool:
    """A GB 11643 resident ID: 18 characters, check digit, a past birth date, a known region.

    The region is any county code the national register has ever listed: people born
    before their district got its present code carry that code all the same.
    """
    number = number.upper()
    if len(number) != 18 or not number[:17].isdigit():
        return False
    from stdnum.cn import ric

    if number[-1] != ric.calc_check_digit(number):
        return False
    try:
        born = ric.get_birth_date(number)
    except ValueError:  # stdnum's InvalidComponent: no such date
        return False
    if not datetime.date(1890, 1, 1) <= born <= (today or datetime.date.today()):
        return False
    return _known_region(number[:6])


@functools.lru_cache(maxsize=4096)
def _known_region(code: str) -> bool:
    from stdnum import numdb

    info = {key for _, props in numdb.get("cn/loc").info(code) for key in props}
    return "county" in info


def valid_card(number: str) -> bool:
    """A payment card number: a known issuer range and length, and the Luhn check digit."""
    from stdnum import luhn

    return number.isdigit() and _issuer_known(number) and luhn.is_valid(number)


def iban_length(country: str) -> int:
    """The IBAN length of ``country`` (ISO 13616 registry), 0 when it has none."""
    return iban_layout(country)[0]


def valid_iban(number: str) -> bool:
    """An IBAN: the country's length and layout and the mod 97 check (ISO 13616).

    The same checks as stdnum's ``iban.is_valid`` with the registry looked up once per
    country; Spanish IBANs also need their CCC check digits.
    """
    number = number.upper()
    length, layout = iban_layout(number[:2])
    if not length or len(number) != length or not layout.match(number[4:]):
        return False
    if int("".join(str(int(c, 36)) for c in number[4:] + number[:4])) % 97 != 1:
        return False
    from stdnum.es import ccc

    return number[:2] != "ES" or ccc.is_valid(number[4:])


def valid_es_id(number: str) -> bool:
    """A Spanish DNI (8 digits and letter) or NIE (X/Y/Z, 7 digits and letter).

    The check letter is the number mod 23 in the Ministry of the Interior's table; a
    NIE's X, Y, Z stand for 0, 1, 2 (the rule stdnum's es.dni and es.nie implement).
    """
    number = number.upper()
    if len(number) != 9:
        return False
    digits = number[:8]
    if number[0] in "XYZ":
        digits = str("XYZ".index(number[0])) + number[1:8]
    return digits.isdigit() and _DNI_LETTERS[int(digits) % 23] == number[8]


_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def valid_mobile(number: str) -> bool:
    """A mainland China mobile number (11 digits in an allocated segment)."""
    return len(number) == 11 and number.isdigit() and number[:3] in _MOBILE_SEGMENTS


def mask(kind: str, value: str) -> str:
    """``value`` with the characters that identify a person replaced by ``*``.

    What stays is what a human needs to tell records apart without being able to use
    them: region code and last four of an ID (``110105********1234``), issuer prefix and
    last four of a card (PCI DSS), country, check digits and last four of an IBAN.
    """
    n = len(value)
    if kind == "cn_id" or kind == "card":
        keep_head, keep_tail = 6, 4
    elif kind == "iban":
        keep_head, keep_tail = 4, 4
    elif kind == "es_id":
        keep_head, keep_tail = (1 if value[:1].isalpha() else 0), 4  # last 3 digits, letter
    elif kind == "mobile":
        keep_head, keep_tail = 3, 4
    elif kind == "email":
        local, _, domain = value.partition("@")
        return local[:1] + "*" * (len(local) - 1) + "@" + domain
    elif kind in personal_formats.MASK_KEEP:
        keep_head, keep_tail = personal_formats.MASK_KEEP[kind]
    else:  # passport and anything else
        keep_head, keep_tail = 1, 2
    keep_tail = min(keep_tail, max(0, n - keep_head - 4))
    return value[:keep_head] + "*" * (n - keep_head - keep_tail) + value[n - keep_tail :]


# Defaults a privacy officer would start from: a register or customer list trips them,
# one person's details in a signature, an application or an invoice do not.
DEFAULT_THRESHOLDS = {"cn_id": 10, "es_id": 10, "iban": 10, "card": 5}
DEFAULT_LABELLED_THRESHOLDS = {
    "cn_id": 3,
    "es_id": 3,
    "iban": 4,
    "card": 2,
    "passport": 3,
    **personal_formats.LABELLED_THRESHOLDS,
}


@dataclass(frozen=True, slots=True)
class PersonalConfig:
    """When citizens' identifiers in one part make a hit (config section [personal])."""

    enabled: bool = option(
        True, "Look for citizens' identifiers (ID, DNI/NIE, IBAN, card, passport numbers) in bulk."
    )
    action: str = option(
        "quarantine",
        'What a personal-data hit leads to; policy.rule_actions ("personal.card") still wins.',
        choices=ACTIONS,
    )
    severity: str = option("high", "Severity of a personal-data hit.", choices=SEVERITIES)
    thresholds: dict[str, int] = option(
        DEFAULT_THRESHOLDS,
        "Distinct valid identifiers of one kind in one part that make a hit; kinds: cn_id, "
        "es_id, iban, card (passport numbers and the kinds of personal_formats.py count only "
        "beside a label).",
    )
    labelled_thresholds: dict[str, int] = option(
        DEFAULT_LABELLED_THRESHOLDS,
        'The same when a label of the kind (身份证号, DNI, IBAN, "card number", passport …) '
        "stands in the part.",
    )
    extra_labels: dict[str, list[str]] = option(
        {},
        'More labels per kind, e.g. { cn_id = ["证件号码"], card = ["PAN"] }.',
    )

    def __post_init__(self) -> None:
        # The kinds read only beside a label have no threshold without one.
        for table, allowed in (
            ("thresholds", tuple(DEFAULT_THRESHOLDS)),
            ("labelled_thresholds", KINDS),
            ("extra_labels", KINDS),
        ):
            values: Mapping[str, object] = getattr(self, table)
            for kind, value in values.items():
                if kind not in allowed:
                    raise ConfigError(
                        f"config key personal.{table}.{kind}: unknown kind; use one of {', '.join(allowed)}"
                    )
                if table != "extra_labels" and (not isinstance(value, int) or value < 1):
                    raise ConfigError(
                        f"config key personal.{table}.{kind}: expected a count of at least 1, got {value!r}"
                    )
                if table == "extra_labels" and any(not str(v).strip() for v in value):  # type: ignore[attr-defined]
                    raise ConfigError(f"config key personal.{table}.{kind}: a label must not be empty")

    def threshold(self, kind: str, labelled: bool) -> int | None:
        """How many identifiers of ``kind`` make a hit (None: the kind never does alone)."""
        # A table in the config file names only the kinds it changes.
        if labelled:
            return self.labelled_thresholds.get(kind, DEFAULT_LABELLED_THRESHOLDS.get(kind))
        return self.thresholds.get(kind, DEFAULT_THRESHOLDS.get(kind))


class _Nothing:
    """What a part without a single candidate holds of a kind: an empty Found, said
    without importing the scanner."""

    __slots__ = ()
    count = 0
    failed = 0
    examples: tuple[str, ...] = ()

    @staticmethod
    def beyond_chance(chance: float) -> float:
        """Nothing found: nothing beyond chance (as an empty Found answers)."""
        return 0.0


NOTHING = _Nothing()


@dataclass(slots=True)
class _ItemTotals:
    """What the parts of one item hold together."""

    # Created with the first part that holds candidates of the kind (merging nothing
    # changes nothing, and an item of plain text need not load the scanner).
    found: dict[str, Found] = field(default_factory=dict)
    labelled: dict[str, bool] = field(default_factory=lambda: dict.fromkeys(KINDS, False))
    hit: set[str] = field(default_factory=set)
    parts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))

    # Labels per Office document, and its members that hold identifiers but no hit.
    documents: dict[str, dict[str, bool]] = field(default_factory=dict)
    members: list[tuple[str, str, Mapping[str, Found | _Nothing], Mapping[str, bool]]] = field(
        default_factory=list
    )

    def add_member(
        self,
        document: str,
        origin: str,
        found: Mapping[str, Found | _Nothing],
        labelled: Mapping[str, bool],
        hits: Iterable[str],
    ) -> None:
        known = self.documents.setdefault(document, dict.fromkeys(KINDS, False))
        for kind in KINDS:
            known[kind] = known[kind] or labelled[kind]
        if any(found[kind].count and kind not in hits for kind in KINDS):
            self.members.append((document, origin, found, labelled))

    def add(
        self, found: Mapping[str, Found | _Nothing], labelled: Mapping[str, bool], hits: Iterable[str]
    ) -> None:
        self.hit.update(hits)
        for kind in KINDS:
            part = found[kind]
            self.parts[kind] += bool(part.count)
            self.labelled[kind] = self.labelled[kind] or labelled[kind]
            if not isinstance(part, _Nothing):
                if kind not in self.found:
                    self.found[kind] = _scanner().Found()
                self.found[kind].merge(part)


# The members of an Office Open XML document: mail/attachment[1]:book.xlsx/xl/…
_DOCUMENT_MEMBER = re.compile(r"^(.+?)/(?:xl|word|ppt)/")


def _document_of(origin: str) -> str:
    """The origin of the Office document ``origin`` is a member of, or ""."""
    match = _DOCUMENT_MEMBER.match(origin)
    return match.group(1) if match else ""


# A key of a JSON object in the text: "cardNumber": …
_JSON_KEY = LazyPattern(rb'"([^"\\\x00-\x1f]{1,60})"[ \t\r\n]*:')
# A field of an upload, named in its origin: upload:json[customers[3].idCard].
_FIELD_ORIGIN = LazyPattern(r"^upload:(?:json|form)\[(.*)\]$", re.DOTALL)
_CAMEL = LazyPattern(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_KEY_SEPARATORS = LazyPattern(r"[\W_]+")


def key_words(name: str) -> str:
    """A field or key name as lower-case words: ``idCard`` and ``id_card`` read ``id card``."""
    return " ".join(_KEY_SEPARATORS.split(_CAMEL.sub(" ", name))).lower().strip()


class PersonalEngine:
    """Finds citizens' identifiers in text parts and reports bulk as ``personal`` hits."""

    def __init__(
        self,
        config: PersonalConfig | None = None,
        today: Callable[[], datetime.date] | None = None,
        cache: CompiledCache | None = None,
        load_now: bool = True,
    ) -> None:
        self.config = config or PersonalConfig()
        self._today = today or datetime.date.today
        self._item: _ItemTotals | None = None
        self._labels = {
            kind: tuple(
                dict.fromkeys(
                    [*LABELS.get(kind, ()), *(s.lower() for s in self.config.extra_labels.get(kind, ()))]
                )
            )
            for kind in KINDS
        }
        expressions: list[bytes] = []
        self._label_kind: list[str] = []
        for kind, labels in self._labels.items():
            for label in labels:
                self._label_kind.append(kind)
                expressions.append(_literal(label))
        # Every label is looked for only in a part that holds identifiers beyond chance;
        # passport labels always (a passport number counts only beside one).
        # Each database is made (or read from the cache) when a text first needs it: a
        # plain mail needs the first look alone, and reading all 45 took every one-file
        # scan 10 ms. ``load`` makes them all (a server; scanners about to fork).
        self._database = _LazyDatabase(lambda: _literal_database(
            expressions, cache, each=[_case(label) for labels in self._labels.values() for label in labels]
        ))
        self._passport_database = _LazyDatabase(lambda: _literal_database(
            [_literal(label) for label in self._labels["passport"]], cache
        ))
        # The labels of the kinds whose written forms are read only beside one.
        self._format_label_kind = [kind for kind in personal_formats.KINDS for _ in self._labels[kind]]
        self._format_database = _LazyDatabase(lambda: _literal_database(
            [_literal(label) for kind in personal_formats.KINDS for label in self._labels[kind]],
            cache,
            each=[_case(label) for kind in personal_formats.KINDS for label in self._labels[kind]],
        ))
        # Where their written forms may start, read only in a part with such a label.
        # One database a form, so a part is read for the forms of its labels only (a
        # roster's 身份证号 header costs the 15-digit form's pass, not every form's).
        # Mobile numbers are read by the compiled scanner instead.
        shape_flags = hyperscan.HS_FLAG_SOM_LEFTMOST | hyperscan.HS_FLAG_MULTILINE
        self._format_shapes = [
            (
                index,
                fmt.kind,
                _LazyDatabase(lambda shape=fmt.shape: _literal_database(
                    [shape.encode("ascii")], cache, caseless=False, flags=shape_flags)),
            )
            for index, fmt in enumerate(personal_formats.FORMATS)
            if fmt.kind != "cn_mobile"
        ]
        self._may_hold = _LazyDatabase(lambda: _literal_database(list(MAY_HOLD), cache, caseless=False))
        # Where the checked line of a machine-readable zone may end (read where "<<" stands).
        self._zone_mark = _LazyDatabase(lambda: _literal_database([_literal("<<")], cache, caseless=False))
        self._zone_shapes = _LazyDatabase(lambda: _literal_database(
            [layout.shape for layout in personal_formats.MRZ_LAYOUTS], cache, caseless=False
        ))
        # The three looks above in one Hyperscan pass, for a part under SCAN_WITHOUT_LOOK
        # (a mail's headers and text bodies): three passes cost about 2.4 us of a
        # header's 5.5. A MAY_HOLD expression answers once (only whether one matches).
        format_labels = [_literal(label) for kind in personal_formats.KINDS for label in self._labels[kind]]
        passport_labels = [_literal(label) for label in self._labels["passport"]]
        self._look_formats = len(MAY_HOLD)  # ids from here on are format labels
        self._look_passports = self._look_formats + len(format_labels)  # then passport labels
        self._look = _LazyDatabase(lambda: _literal_database(
            [*MAY_HOLD, *format_labels, *passport_labels], cache,
            each=[hyperscan.HS_FLAG_SINGLEMATCH] * len(MAY_HOLD)
            + [_case(label) for kind in personal_formats.KINDS for label in self._labels[kind]]
            + [_case(label) for label in self._labels["passport"]],
        ))
        # The invisible characters fold_utf8 removes, as UTF-8: most texts have none, and
        # Hyperscan tells so at memory speed where the expression that removes them
        # took 26 ms for 4 MB of Chinese text.
        self._invisible = _LazyDatabase(lambda: _literal_database(
            [_literal(chr(code)) for low, high in _INVISIBLE_RANGES for code in range(low, high + 1)],
            cache,
            caseless=False,
        ))
        # Labels as whole words of a key or field name ("card number" in cardNumber).
        self._key_labels = {
            kind: LazyPattern(
                r"(?<![a-z0-9])(?:"
                + "|".join(re.escape(key_words(label) or label) for label in labels)
                + r")(?![a-z0-9])"
            )
            for kind, labels in self._labels.items()
        }
        if load_now:
            self.load()

    def load_databases(self) -> None:
        """Make (or read from the cache) every Hyperscan database now, not when a text
        first needs it."""
        for database in (self._database, self._passport_database, self._format_database,
                         self._may_hold, self._zone_mark, self._zone_shapes, self._look,
                         self._invisible, *(shapes for _, _, shapes in self._format_shapes)):
            database.loaded()

    def load(self, *, compiled: bool = True) -> None:
        """Load now what the first scans would: in a process that forks scanners, before
        it forks them, so that each inherits it. Without ``compiled``, the compiled
        scanner is left to the first text long enough to need it (Numba alone costs
        about 0.45 s of CPU to load; shorter texts are read by the same code interpreted).
        """
        self.load_databases()
        # The tables are built and the compiled scanner loaded (or compiled, on a
        # machine with no cache yet) now, not inside the first item's time limit.
        if compiled:
            _scanner().compile_scanner()
        _scanner().tables()
        if compiled:
            # Numba loads the machine code on the first call: made here, it is inherited
            # by every scanner process forked from this one instead of costing each
            # (and each replacement) a quarter second on its first item.
            _scanner().scan(b"0", datetime.date.today())
            _scanner().mobile_numbers(b"0")
        # So are the expressions compiled on first use, for the same reason.
        for pattern in (
            *self._key_labels.values(),
            *_TEXT_FORMS.values(),
            _MAY_HOLD,
            _PASSPORT,
            _PASSPORT_FIELD,
            _MOBILE,
            _EMAIL,
            _JSON_KEY,
            _FIELD_ORIGIN,
            _CAMEL,
            _KEY_SEPARATORS,
        ):
            pattern.compiled()

    def scan(self, part: Part) -> Iterable[Hit]:
        """``personal`` hits in one text part (content parts and a binary format's runs of
        numbers, ``NUMBER_RUNS_KEY``, are ignored)."""
        if not self.config.enabled or not part.text or part.meta.get(NUMBER_RUNS_KEY):
            return ()
        return list(self._scan(part, self._folded(part.text)))

    def screen(self, parts: Sequence[Part]) -> set[int] | None:
        """The indexes of ``parts`` (a mail's header fields) that ``scan`` may find or count
        something in: the others hold no candidate, no label and no zone, so ``scan``
        would return at its first look. One first look reads them all, joined by line
        breaks; a match is charged to the field its last byte stands in (or ends, for an
        expression that ends a field: the line break stands where the field's end did)."""
        needed: set[int] = set()
        if not self.config.enabled:
            return needed
        joined: list[bytes] = []
        starts: list[int] = []
        indexes: list[int] = []
        length = 0
        for index, part in enumerate(parts):
            if not part.text or part.meta.get(NUMBER_RUNS_KEY):
                continue  # not read at all
            data = self._folded(part.text)
            if (len(data) >= SCAN_WITHOUT_LOOK or b"<<" in data or part.origin.startswith("upload:")
                    or (self._item is not None and _document_of(part.origin))):
                needed.add(index)
                continue
            starts.append(length)
            indexes.append(index)
            joined.append(data)
            length += len(data) + 1
        if not joined:
            return needed
        data = b"\n".join(joined)
        if len(data) >= SCAN_WITHOUT_LOOK:
            return None
        formats = self._look_formats
        begin = 0
        while begin < len(data):
            # A MAY_HOLD expression reports its first match only: the look goes on after
            # the field it stood in, until none is left.
            ended: list[tuple[int, int]] = []

            def on_match(pattern: int, start: int, end: int, flags: int, context: object) -> None:
                ended.append((pattern, end))  # noqa: B023 (called within this pass)

            self._look.scan(data[begin:], match_event_handler=on_match)
            after = len(data)
            for pattern, end in ended:
                field = bisect.bisect_right(starts, begin + end - 1) - 1
                needed.add(indexes[field])
                if pattern < formats:
                    after = min(after, starts[field + 1] if field + 1 < len(starts) else len(data))
            begin = after
        return needed

    def _folded(self, text: str) -> bytes:
        """``fold_utf8(text)``: NFKC without invisible characters, in UTF-8."""
        if text.isascii():
            return utf8(text)
        # NFKC returns the very string when it is already normal (so the UTF-8 is the
        # one the other text engines share); only invisible characters need a new text.
        data = utf8(unicodedata.normalize("NFKC", text))
        return fold_utf8(text) if _matches(self._invisible, data) else data

    def _scan(self, part: Part, data: bytes) -> Iterator[Hit]:
        found: dict[str, Found | _Nothing]
        look = self._first_look(data) if len(data) < SCAN_WITHOUT_LOOK else None
        upload = part.origin.startswith("upload:")
        # Machine-readable zones carry their own check digits and count as passport
        # numbers with no label (read only where a "<<" stands).
        zones = self._read_zones(data)
        if (look is not None and not any(look) and not upload and not zones
                and not (self._item is not None and _document_of(part.origin))):
            # No candidate, no label, not an upload's field nor a document's member (most
            # parts: a header, a line of prose): what follows would find nothing and add
            # nothing to the item.
            return
        passport_shapes = True  # unknown: a part the scanner does not read
        if (look[0] if look is not None
                else _scanner_compiled() or _matches(self._may_hold, data)):
            scanner = _scanner()
            found = {kind: scanner.Found() for kind in KINDS}
            scanned, shapes = scanner.read(data, self._today())
            found.update(scanned)
            passport_shapes = shapes > 0
        else:
            found = dict.fromkeys(KINDS, NOTHING)
        format_kinds = self._format_kinds(part, data, None if look is None else look[1])
        if format_kinds:
            self._read_formats(data, format_kinds, found)
        # A passport number counts only beside its label, so the labels are looked for
        # where the scanner saw a word of a passport number's shape (or did not read the
        # part); the other labels only matter where identifiers stand beyond chance.
        passport_ends = (
            (self._label_ends(self._passport_database, data, self._labels["passport"])
             if look is None else look[2])
            if passport_shapes
            else []
        )
        labelled = dict.fromkeys(KINDS, False)
        # No candidate of any kind (most parts: a header, a line of prose) is beyond
        # chance, reaches no threshold (each is 1 or more) and adds nothing to the item.
        nothing = all(value is NOTHING for value in found.values())
        beyond = not nothing and any(
            found[kind].beyond_chance(CHANCE[kind]) > 0 for kind in KINDS[:-1])
        # A member of an Office document labels its siblings (a workbook's header row
        # sits in its shared strings, the numbers in its sheets), so its labels are read.
        document = _document_of(part.origin) if self._item is not None else ""
        field_names = (
            self._field_names(part, data)
            if beyond or passport_ends or part.origin.startswith("upload:")
            else ""
        )
        if beyond or document:
            labelled = self._labelled(data, field_names)
        for kind in format_kinds:
            labelled[kind] = True
        labelled["passport"] = bool(passport_ends) or bool(
            field_names and self._key_labels["passport"].search(field_names)
        )
        if labelled["passport"]:
            values = self._read_passports(data, passport_ends)
            if values:
                if found["passport"] is NOTHING:
                    found["passport"] = _scanner().Found()
                found["passport"].add_values(values)
        if zones:
            # A zone is its own passport label: its check digits say what it is.
            labelled["passport"] = True
            if found["passport"] is NOTHING:
                found["passport"] = _scanner().Found()
            found["passport"].add_values(zones)
        empty = nothing and found["passport"] is NOTHING
        hits = [] if empty else [kind for kind in KINDS
                                 if self._over(found[kind], labelled[kind], kind)]
        if self._item is not None:
            if not empty or any(labelled.values()):
                self._item.add(found, labelled, hits)
            if document:
                self._item.add_member(document, part.origin, found, labelled, hits)
        if not hits:
            return
        counted = self._count_contacts(data)
        for kind in hits:
            yield self._hit(part.origin, kind, found[kind], labelled[kind], counted)

    def _read_zones(self, data: bytes) -> list[str]:
        """Document numbers of the valid machine-readable zones in ``data`` (specimens left
        out): Hyperscan finds where a zone's checked line may end, Python reads only there
        (the layouts' expressions over a whole part took 110 ms for 4 MB of C++)."""
        # Every zone has "<<" between surname and given names. memchr finds whether a "<"
        # stands at memory speed, and Hyperscan whether a "<<" does, stopping at the
        # first (bytes' own search for "<<" took 10 ms for 4 MB of CSV).
        if b"<" not in data or not _matches(self._zone_mark, data):
            return []
        ends: list[tuple[int, int]] = []

        def on_shape(pattern: int, start: int, end: int, flags: int, context: object) -> None:
            ends.append((pattern, end))

        self._zone_shapes.scan(data, match_event_handler=on_shape)
        return personal_formats.read_mrz(data, ends)[0] if ends else []

    def _first_look(self, data: bytes) -> tuple[bool, set[str], list[int]]:
        """One pass of the three first looks at ``data``: whether a MAY_HOLD expression
        matches, the kinds of personal_formats.py whose label stands in it as a word,
        and where passport labels end in it as words (``_label_ends``)."""
        may_hold = False
        kinds: set[str] = set()
        ends: list[int] = []
        label_kind, labels = self._format_label_kind, self._labels
        formats, passports = self._look_formats, self._look_passports

        def on_match(pattern: int, start: int, end: int, flags: int, context: object) -> None:
            nonlocal may_hold
            if pattern >= passports:
                ends.append(end)
            elif pattern >= formats:
                kind = label_kind[pattern - formats]
                if kind not in kinds and _word_at(data, end, labels[kind]):
                    kinds.add(kind)
            else:
                may_hold = True

        self._look.scan(data, match_event_handler=on_match)
        passport = labels["passport"]
        return may_hold, kinds, [end for end in ends if _word_at(data, end, passport)]

    def _format_kinds(self, part: Part, data: bytes, labelled: set[str] | None = None) -> set[str]:
        """The kinds of personal_formats.py whose label stands in ``data`` as a word, or
        in the name of the upload field ``part`` is. ``labelled``: the first of these,
        found already (``_first_look``)."""
        kinds: set[str] = set()
        label_kind, labels = self._format_label_kind, self._labels

        def on_label(pattern: int, start: int, end: int, flags: int, context: object) -> None:
            kind = label_kind[pattern]
            if kind not in kinds and _word_at(data, end, labels[kind]):
                kinds.add(kind)

        if labelled is None:
            self._format_database.scan(data, match_event_handler=on_label)
        else:
            kinds.update(labelled)
        field_origin = _FIELD_ORIGIN.match(part.origin) if part.origin.startswith("upload:") else None
        if field_origin:
            words = key_words(field_origin.group(1))
            kinds.update(kind for kind in personal_formats.KINDS if self._key_labels[kind].search(words))
        return kinds

    def _read_formats(self, data: bytes, kinds: set[str], found: dict[str, Found | _Nothing]) -> None:
        """Add the values of the written forms of ``kinds`` (personal_formats.py) to ``found``."""
        if "cn_mobile" in kinds:
            # The compiled pass finds exactly the numbers the form's expression finds.
            kinds = kinds - {"cn_mobile"}
            scanner = _scanner()
            records = scanner.mobile_numbers(
                data, compiled=_scanner_compiled() or len(data) >= scanner.COMPILED_FROM
            )
            keys = records[:, scanner.KEY]
            keys = keys[scanner.mobile_segments()[keys // 100_000_000]]
            if len(keys):
                found["cn_mobile"] = scanner.Found()
                found["cn_mobile"].add_keys(keys, [str(k) for k in keys[:20].tolist()])
        if not kinds:
            return
        starts: list[tuple[int, int]] = []
        for index, kind, database in self._format_shapes:
            if kind in kinds:
                database.scan(
                    data,
                    match_event_handler=lambda _p, start, _e, _f, _c, index=index: starts.append(
                        (index, start)
                    ),
                )
        read = personal_formats.read(data, starts, self._today())
        for kind, (values, failed) in read.items():
            if not values and not failed:
                continue
            if found[kind] is NOTHING:
                found[kind] = _scanner().Found()
            found[kind].add_values(values, failed)  # type: ignore[union-attr]

    @staticmethod
    def _label_ends(database: _LazyDatabase, data: bytes, labels: tuple[str, ...]) -> list[int]:
        """Where labels of ``database`` end in ``data`` as words of their own."""
        ends: list[int] = []

        def on_label(pattern: int, start: int, end: int, flags: int, context: object) -> None:
            ends.append(end)

        database.scan(data, match_event_handler=on_label)
        return [end for end in ends if _word_at(data, end, labels)]

    def _labelled(self, data: bytes, field_names: str) -> dict[str, bool]:
        """Which kinds have a label in ``data`` or in its field and key names."""
        label_ends: dict[str, list[int]] = {kind: [] for kind in KINDS}
        label_kind = self._label_kind

        def on_label(pattern: int, start: int, end: int, flags: int, context: object) -> None:
            label_ends[label_kind[pattern]].append(end)

        self._database.scan(data, match_event_handler=on_label)
        return {
            kind: any(_word_at(data, end, self._labels[kind]) for end in label_ends[kind])
            or bool(field_names and self._key_labels[kind].search(field_names))
            for kind in KINDS
        }

    @staticmethod
    def _field_names(part: Part, data: bytes) -> str:
        """The names a part's values stand under, as words: the upload field's key path,
        the field names of a joined upload part, and the keys of JSON text."""
        names = []
        field_origin = _FIELD_ORIGIN.match(part.origin)
        if field_origin:
            names.append(field_origin.group(1))
        names.append(part.meta.get("field_names", ""))
        # A JSON key ends in a quote: memchr finds there is none in a CSV at memory speed,
        # where the two-byte searches read 4 MB in 3 ms each.
        if b'"' in data and (b'":' in data or b'" :' in data):
            names += {
                m.group(1).decode("utf-8", "replace") for m in _JSON_KEY.finditer(data, 0, CONTACT_BYTES)
            }
        return " | ".join(key_words(name) for name in names if name)

    def _over(self, found: Found | _Nothing, labelled: bool, kind: str) -> bool:
        limit = self.config.threshold(kind, labelled)
        return limit is not None and found.beyond_chance(CHANCE[kind]) >= limit

    # -- one item made of many parts ---------------------------------------------------------

    def begin_item(self) -> None:
        """Start adding up the parts of one item (a mail, an upload's JSON fields)."""
        self._item = _ItemTotals()

    def end_item(self, where: str) -> list[Hit]:
        """Hits for what the item's parts hold together, where no single part was a hit.

        Forty attachments of nine ID numbers each, or a JSON body with one customer per
        field, hold as much as one register does.
        """
        item, self._item = self._item, None
        if item is None:
            return []
        hits = []
        # A document member that holds identifiers and no label, where a sibling has one.
        for document, origin, found, labelled in item.members:
            for kind in KINDS:
                if (
                    found[kind].count
                    and not labelled[kind]
                    and item.documents[document][kind]
                    and kind not in item.hit
                    and self._over(found[kind], True, kind)
                ):
                    item.hit.add(kind)
                    hits.append(self._hit(origin, kind, found[kind], True, {}))
        return hits + [
            self._hit(where, kind, item.found[kind], item.labelled[kind], {}, parts=item.parts[kind])
            for kind in KINDS
            if item.parts[kind] >= 2
            and kind not in item.hit
            and self._over(item.found[kind], item.labelled[kind], kind)
        ]

    @staticmethod
    def _read_passports(data: bytes, label_ends: list[int]) -> list[str]:
        """Passport numbers right after a passport label, or as whole fields of the part."""
        values: dict[str, None] = {}
        for end in label_ends:
            for match in _PASSPORT.finditer(data, end, min(len(data), end + LABEL_NEAR)):
                values.setdefault(match.group(1).decode())
        for match in _PASSPORT_FIELD.finditer(data):
            values.setdefault(match.group(1).decode())
        return list(values)

    def _count_contacts(self, data: bytes) -> dict[str, int]:
        """Distinct mobile numbers and e-mail addresses (only read when a part already hits).

        They only add to a hit, so the first CONTACT_BYTES of the part are enough.
        """
        data = data[:CONTACT_BYTES]
        if _scanner_compiled():  # the same numbers as the expression, read by the scanner
            mobiles = _scanner().count_mobiles(data)
        else:
            found = {m.group(1) + m.group(2) + m.group(3) for m in _MOBILE.finditer(data)}
            mobiles = sum(1 for m in found if valid_mobile(m.decode()))
        # Every address has an @ (memchr finds it, or that there is none, at memory speed).
        emails = {m.group(0).lower() for m in _EMAIL.finditer(data)} if b"@" in data else ()
        return {"mobile": mobiles, "email": len(emails)}

    def _hit(
        self, where: str, kind: str, found: Found, labelled: bool, counted: Mapping[str, int], parts: int = 0
    ) -> Hit:
        count = found.count
        noun = NOUNS[kind][count != 1]
        shown = ", ".join(mask(kind, value) for value in found.examples)
        extras = [f"{n} {NOUNS[k][n != 1]}" for k, n in counted.items() if n]
        excerpt = (
            f"{count} {noun}{f' in {parts} parts' if parts else ''}"
            f"{' beside a label' if labelled else ''}: {shown}"
            + (", …" if count > len(found.examples) else "")
            + (f"; also {', '.join(extras)}" if extras else "")
        )
        first = excerpt.index(": ") + 2
        shown_first = mask(kind, found.examples[0]) if found.examples else ""
        span = (first, first + len(shown_first))
        return Hit(
            rule=f"personal.{kind}",
            category=CATEGORY,
            severity=self.config.severity,
            where=where,
            excerpt=excerpt,
            span=span,
            description=DESCRIPTION,
            action=self.config.action,
        )


class _LazyDatabase:
    """A Hyperscan database made by ``make`` (``_literal_database``) on its first scan."""

    __slots__ = ("_database", "_make")

    def __init__(self, make: Callable[[], hyperscan.Database]) -> None:
        self._make = make
        self._database: hyperscan.Database | None = None

    def loaded(self) -> hyperscan.Database:
        """The database (made now if this is its first use)."""
        if self._database is None:
            # Two scanner threads may both make it: the same database, one kept.
            self._database = self._make()
        return self._database

    def scan(self, data: bytes, **kwargs: object) -> object:
        """As ``hyperscan.Database.scan``."""
        return self.loaded().scan(data, **kwargs)


def _literal_database(
    expressions: list[bytes], cache: CompiledCache | None, *, caseless: bool = True, flags: int = 0,
    each: list[int] | None = None,
) -> hyperscan.Database:
    """The Hyperscan database of ``expressions`` (caseless literals unless ``caseless`` is
    False; ``flags`` added to each, or ``each`` given the flags of each): from ``cache``
    when it holds it, since compiling it costs a one-file scan a good part of its start."""
    flags = each if each is not None else (
        [(hyperscan.HS_FLAG_CASELESS if caseless else 0) | flags] * len(expressions))
    key = hashlib.sha256(
        repr((hyperscan.__version__, os.uname().machine, expressions, flags)).encode()
    ).hexdigest()
    stored = cache.get("personal", key) if cache is not None else None
    if cache is not None and stored is not None:
        try:
            database = hyperscan.loadb(stored, hyperscan.HS_MODE_BLOCK)
            database.scratch = hyperscan.Scratch(database)
            return database
        except hyperscan.error as exc:  # another CPU's or version's form
            cache.unusable(cache.path("personal", key), f"{type(exc).__name__}: {exc}")
    database = hyperscan.Database()
    database.compile(expressions=expressions, ids=list(range(len(expressions))), flags=flags)
    if cache is not None:
        cache.put("personal", key, hyperscan.dumpb(database))
    return database


# Once the compiled scanner is loaded, a part this large goes to it without the first
# look: Hyperscan reads a whole block before the first match stops it (7 ms for 4 MB of
# CSV, where the scan itself takes 3).
SCAN_WITHOUT_LOOK = 64 * 1024


def _scanner_compiled() -> bool:
    """True when this process has loaded the compiled scanner (a server, or a scan that
    met a large part), known without importing it."""
    scanner = sys.modules.get("filters.engines.personal_scan")
    return bool(scanner is not None and scanner._compiled)


def _matches(database: _LazyDatabase, data: bytes) -> bool:
    """True when any expression of ``database`` matches somewhere in ``data``."""
    found = False

    def on_match(pattern: int, start: int, end: int, flags: int, context: object) -> bool:
        nonlocal found
        found = True
        return True  # the first match answers: stop the scan

    with contextlib.suppress(hyperscan.ScanTerminated):
        database.scan(data, match_event_handler=on_match)
    return found


def _literal(label: str) -> bytes:
    """A Hyperscan pattern for ``label`` as a literal."""
    return b"".join(b"\\x%02x" % byte for byte in label.encode("utf-8"))


def _case(label: str) -> int:
    """Hyperscan's flags for ``label``: caseless, but a label written with capitals (``SIN``,
    not the Spanish word *sin*, "without") is matched only as written."""
    return 0 if label != label.lower() else hyperscan.HS_FLAG_CASELESS


def _word_at(data: bytes, end: int, labels: tuple[str, ...]) -> bool:
    """True when a label ending at ``end`` is a word of its own (not inside another word);
    a label written with capitals only as written."""
    after = data[end : end + 1]
    if after.isalpha() and after.isascii():
        return False
    for label in labels:
        raw = label.encode("utf-8")
        start = end - len(raw)
        if start >= 0 and (data[start:end] if label != label.lower() else data[start:end].lower()) == raw:
            before = data[start - 1 : start] if start else b""
            if not raw[:1].isalpha() or not raw.isascii():
                return True
            if not (before.isalpha() and before.isascii()):
                return True
    return False


def mask_identifiers(text: str, today: datetime.date | None = None) -> str:
    """``text`` with every valid identifier in it masked, keeping its length (for excerpts)."""
    if not any(ch.isdigit() for ch in text):
        return text
    out = list(text)
    today = today or datetime.date.today()
    checks: dict[str, Callable[[str], bool]] = {
        "cn_id": lambda v: valid_cn_id(v, today),
        "card": valid_card,
        "iban": valid_iban,
        "es_id": valid_es_id,
        "mobile": valid_mobile,
    }
    for kind, pattern in _TEXT_FORMS.items():
        for match in pattern.finditer(text):
            value = re.sub(r"[ -]", "", match.group(0)).upper()
            if kind == "iban":
                value = value[: iban_length(value[:2]) or len(value)]
            if not checks[kind](value):
                continue
            masked = iter(mask(kind, value))
            for index in range(match.start(), match.end()):
                if text[index] not in " -":
                    char = next(masked, None)
                    if char is None:
                        break
                    out[index] = char
    # The forms read beside a label (personal_formats.py), wherever they stand.
    for fmt in personal_formats.FORMATS:
        for match in personal_formats.compiled(fmt).finditer(text):
            value = fmt.value(match)
            if not fmt.valid(value, today):
                continue
            # A value padded with zeros (a dotted DNI, an Israeli ID of eight digits) is
            # longer than what is written: its mask is laid from the written digits on.
            written = sum(ch.isalnum() for ch in text[match.start(1) : match.end()])
            masked = iter(mask(fmt.kind, value)[max(0, len(value) - written) :])
            for index in range(match.start(1), match.end()):
                if text[index].isalnum():
                    out[index] = next(masked, out[index])
    # Then every identifier the engine itself would count, in every layout it joins
    # (one digit at a time, 4-6-4 …): what is detected is also what is masked.
    data = text.encode("utf-8", "surrogatepass")
    if not _MAY_HOLD.search(data):
        return "".join(out)
    char_at = (
        range(len(text) + 1)
        if text.isascii()
        else [i for i, ch in enumerate(text) for _ in ch.encode("utf-8", "surrogatepass")] + [len(text)]
    )
    for code, ok, _, start, end in _scanner().scan(data, today).tolist():
        if not ok:
            continue
        first, stop = char_at[start], char_at[end]
        masked = iter(mask(_SCANNED[code], re.sub(r"[ -]", "", text[first:stop]).upper()))
        for index in range(first, stop):
            if text[index] not in " -":
                out[index] = next(masked, out[index])
    return "".join(out)


_TEXT_FORMS = {
    "cn_id": LazyPattern(r"(?<![0-9])[1-8][0-9]{5}[ -]?[0-9]{8}[ -]?[0-9]{3}[0-9Xx](?![0-9])"),
    "card": LazyPattern(
        r"(?<![0-9])(?:[0-9]{13,19}|[0-9]{4}(?:[ -][0-9]{4}){2}[ -][0-9]{1,7}"
        r"|3[47][0-9]{2}[ -][0-9]{6}[ -][0-9]{5})(?![0-9])"
    ),
    "iban": LazyPattern(r"(?<![0-9A-Za-z])[A-Z]{2}[0-9]{2}(?: ?[0-9A-Z]{4}){2,7}(?: ?[0-9A-Z]{1,4})?"),
    "es_id": LazyPattern(r"(?<![0-9A-Za-z])[XYZxyz]?[0-9]{7,8}-?[A-Za-z](?![0-9A-Za-z])"),
    "mobile": LazyPattern(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])"),
}
