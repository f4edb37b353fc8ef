"""Personal-data engine: citizens' identifiers in bulk, validated, reported masked.

A text part is searched for Chinese resident identity numbers, Spanish DNI and NIE,
IBANs, payment card numbers and (beside a passport label) passport numbers. Every
candidate is validated (GB 11643 check digit, birth date and region code; DNI/NIE check
letter; ISO 13616 mod 97 with the country's length and layout; Luhn and a known issuer
range), so random digits do not count. A part is a hit when it carries at least the
configured number of distinct valid identifiers of one kind, or fewer when a label such
as 身份证号, DNI or "card number" stands in the same part (a table header, the cell, the
sentence). Mobile numbers and e-mail addresses are only counted into such a hit, never
a hit alone. Excerpts show identifiers masked (``110105********1234``), so the officer UI,
logs and ``redline scan`` never repeat what the engine protects.

Speed: a Hyperscan database finds the few places worth reading (structural shapes and
labels) in one pass; Python regular expressions and the validators then read only short
windows around those places.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import math
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

import hyperscan
from stdnum import luhn, numdb
from stdnum.cn import ric
from stdnum.es import ccc

from filters.compiled_cache import CompiledCache
from filters.config import option
from filters.errors import ConfigError
from filters.types import ACTIONS, SEVERITIES, Hit, Part

CATEGORY = "personal"
# Kinds that make a hit, and kinds that are only counted into one.
KINDS = ("cn_id", "es_id", "iban", "card", "passport")
COUNTED = ("mobile", "email")
NOUNS = {
    "cn_id": ("Chinese resident ID number", "Chinese resident ID numbers"),
    "es_id": ("Spanish DNI/NIE", "Spanish DNIs/NIEs"),
    "iban": ("IBAN", "IBANs"),
    "card": ("payment card number", "payment card numbers"),
    "passport": ("passport number", "passport numbers"),
    "mobile": ("mobile number", "mobile numbers"),
    "email": ("e-mail address", "e-mail addresses"),
}
DESCRIPTION = ("Many valid identifiers of people (ID, bank account, card or passport numbers) "
               "in one part: personal data the organisation must protect.")

# Chance that a candidate of this shape passes validation when its digits are random: a
# table of random numbers then yields about this share of "valid" ones, which is
# subtracted before the count is compared with the threshold.
CHANCE = {"cn_id": 1 / 11, "es_id": 1 / 23, "iban": 1 / 97, "card": 1 / 10, "passport": 0.0}

# Labels that put identifiers in context (matched case-insensitively, after NFKC).
LABELS: dict[str, tuple[str, ...]] = {
    "cn_id": ("身份证", "身份号码", "证件号", "公民身份", "居民身份", "id number", "id no",
              "id card", "resident id", "identity number", "identity card"),
    "es_id": ("dni", "nie", "nif", "d.n.i", "n.i.e", "documento de identidad",
              "documento nacional", "identity number", "id number"),
    "iban": ("iban", "cuenta bancaria", "número de cuenta", "numero de cuenta", "nº de cuenta",
             "bank account", "account number", "银行账号", "银行账户", "账号", "账户"),
    "card": ("card number", "card no", "credit card", "debit card", "cardholder", "card holder",
             "número de tarjeta", "numero de tarjeta", "nº tarjeta", "tarjeta", "tarjeta de crédito",
             "tarjeta de credito", "tarjeta de débito", "卡号", "银行卡", "信用卡", "借记卡"),
    "passport": ("passport", "pasaporte", "护照", "護照"),
}

# Distinct values kept per kind: past this many a part is plainly a register, so the rest
# is not validated one by one (the count reads "5000+") and time stays bounded.
MAX_DISTINCT = 5000
CONTACT_BYTES = 2 * 1024 * 1024  # mobile numbers and addresses are counted in this much
WINDOW = 72  # bytes read before the end of a structural match
LABEL_NEAR = 48  # a passport number counts this close after its label
EXAMPLES = 3  # masked examples in a hit's excerpt

# Countries of the IBAN registry (stdnum's copy of the SWIFT list).
_IBAN_COUNTRIES = tuple(sorted({entry[1] for entry in numdb.get("iban").prefixes
                                if len(entry[1]) == 2 and entry[3].get("bban")}))
# Precise forms read in the windows around a candidate.
_CN_ID = re.compile(rb"(?<![0-9])([1-8][0-9]{5})[ -]?([0-9]{8})[ -]?([0-9]{3}[0-9Xx])(?![0-9])")
_CARD = re.compile(rb"(?<![0-9])(?:[0-9]{13,19}|[0-9]{4}(?:([ -])[0-9]{4})(?:\1[0-9]{4})\1[0-9]{1,7}"
                   rb"|3[47][0-9]{2}([ -])[0-9]{6}\2[0-9]{5})(?![0-9])")
_IBAN = re.compile(rb"(?<![0-9A-Za-z])[A-Z]{2}[0-9]{2}(?: ?[0-9A-Z]{1,4}){3,9}")
_ES_ID = re.compile(rb"(?<![0-9A-Za-z])([XYZxyz]?)([0-9]{7,8})[ -]?([A-Za-z])(?![0-9A-Za-z])")
_PASSPORT = re.compile(rb"(?<![0-9A-Za-z])([A-Z]{1,3}[0-9]{6,8})(?![0-9A-Za-z])")
_PASSPORT_FIELD = re.compile(rb"(?m)(?:^|[\t,;|])[ \"']*([A-Z]{1,3}[0-9]{6,8})[ \"']*(?=$|[\t,;|\r])")
_MOBILE = re.compile(rb"(?<![0-9])(?:\+?86[ -]?)?(1[3-9][0-9])[ -]?([0-9]{4})[ -]?([0-9]{4})(?![0-9])")
# The lookbehind starts a match only where a local part starts (no quadratic retries).
_EMAIL = re.compile(rb"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}"
                    rb"(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}")
# Mainland mobile number segments (MIIT numbering plan): 13x, 14[5-9], 15[0-35-9],
# 16[2567], 17[0-8], 18x, 19[0-35-9].
_MOBILE_SEGMENTS = frozenset(
    [f"13{d}" for d in range(10)] + ["145", "146", "147", "148", "149"]
    + [f"15{d}" for d in "012356789"] + ["162", "165", "166", "167"]
    + [f"17{d}" for d in "012345678"] + [f"18{d}" for d in range(10)]
    + [f"19{d}" for d in "012356789"])

# Issuer ranges of the card schemes in use (IIN prefix ranges, lengths).
CARD_ISSUERS: tuple[tuple[int, int, int, frozenset[int]], ...] = (
    # (first prefix, last prefix, prefix digits, lengths)
    (4, 4, 1, frozenset({16, 19})),  # Visa
    (51, 55, 2, frozenset({16})),  # Mastercard
    (2221, 2720, 4, frozenset({16})),  # Mastercard 2-series
    (34, 34, 2, frozenset({15})), (37, 37, 2, frozenset({15})),  # American Express
    (300, 305, 3, frozenset({14, 16})), (36, 36, 2, frozenset({14, 16})),  # Diners Club
    (38, 39, 2, frozenset({14, 16})),
    (6011, 6011, 4, frozenset({16, 19})), (644, 649, 3, frozenset({16, 19})),  # Discover
    (65, 65, 2, frozenset({16, 19})),
    (3528, 3589, 4, frozenset({16, 17, 18, 19})),  # JCB
    (62, 62, 2, frozenset({16, 17, 18, 19})),  # UnionPay
)


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
    info = {key for _, props in numdb.get("cn/loc").info(code) for key in props}
    return "county" in info


def valid_card(number: str) -> bool:
    """A payment card number: a known issuer range and length, and the Luhn check digit."""
    return number.isdigit() and _issuer_known(number) and luhn.is_valid(number)


_IBAN_LENGTHS: dict[str, int] = {}


def iban_length(country: str) -> int:
    """The IBAN length of ``country`` (ISO 13616 registry), 0 when it has none."""
    if country not in _IBAN_LENGTHS:
        info = numdb.get("iban").info(country + "00")[0][1]
        layout = info.get("bban", "")
        _IBAN_LENGTHS[country] = (4 + sum(int(n) for n in re.findall(r"(\d+)!", layout))
                                  if layout else 0)
    return _IBAN_LENGTHS[country]


def valid_iban(number: str) -> bool:
    """An IBAN: the country's length and layout and the mod 97 check (ISO 13616).

    The same checks as stdnum's ``iban.is_valid`` with the registry looked up once per
    country; Spanish IBANs also need their CCC check digits.
    """
    number = number.upper()
    length, layout = _iban_layout(number[:2])
    if not length or len(number) != length or not layout.match(number[4:]):
        return False
    if int("".join(str(int(c, 36)) for c in number[4:] + number[:4])) % 97 != 1:
        return False
    return number[:2] != "ES" or ccc.is_valid(number[4:])


@functools.lru_cache(maxsize=256)
def _iban_layout(country: str) -> tuple[int, re.Pattern[str]]:
    """The IBAN length of ``country`` and a pattern for its BBAN (0 when it has none)."""
    if not country.isalpha():
        return 0, re.compile("")
    info = numdb.get("iban").info(country + "00")[0][1]
    layout = info.get("bban", "")
    if not layout:
        return 0, re.compile("")
    kinds = {"n": "[0-9]", "a": "[A-Z]", "c": "[A-Za-z0-9]"}
    parts = re.findall(r"(\d+)!([nac])", layout)
    pattern = "".join(f"{kinds[kind]}{{{count}}}" for count, kind in parts)
    return 4 + sum(int(count) for count, _ in parts), re.compile(pattern + "$")


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
    else:  # passport and anything else
        keep_head, keep_tail = 1, 2
    keep_tail = min(keep_tail, max(0, n - keep_head - 4))
    return value[:keep_head] + "*" * (n - keep_head - keep_tail) + value[n - keep_tail:]


# Defaults a privacy officer would start from: a register or customer list trips them,
# one person's details in a signature, an application or an invoice do not.
DEFAULT_THRESHOLDS = {"cn_id": 10, "es_id": 10, "iban": 10, "card": 5}
DEFAULT_LABELLED_THRESHOLDS = {"cn_id": 3, "es_id": 3, "iban": 4, "card": 2, "passport": 3}


@dataclass(frozen=True, slots=True)
class PersonalConfig:
    """When citizens' identifiers in one part make a hit (config section [personal])."""

    enabled: bool = option(True, "Look for citizens' identifiers (ID, DNI/NIE, IBAN, card, "
                           "passport numbers) in bulk.")
    action: str = option("quarantine", "What a personal-data hit leads to; policy.rule_actions "
                         "(\"personal.card\") still wins.", choices=ACTIONS)
    severity: str = option("high", "Severity of a personal-data hit.", choices=SEVERITIES)
    thresholds: dict[str, int] = option(
        DEFAULT_THRESHOLDS,
        "Distinct valid identifiers of one kind in one part that make a hit; kinds: cn_id, "
        "es_id, iban, card (passport numbers count only beside a label).",
    )
    labelled_thresholds: dict[str, int] = option(
        DEFAULT_LABELLED_THRESHOLDS,
        "The same when a label of the kind (身份证号, DNI, IBAN, \"card number\", passport …) "
        "stands in the part.",
    )
    extra_labels: dict[str, list[str]] = option(
        {}, "More labels per kind, e.g. { cn_id = [\"证件号码\"], card = [\"PAN\"] }.",
    )

    def __post_init__(self) -> None:
        for table, allowed in (("thresholds", KINDS[:-1]), ("labelled_thresholds", KINDS),
                               ("extra_labels", KINDS)):
            values: Mapping[str, object] = getattr(self, table)
            for kind, value in values.items():
                if kind not in allowed:
                    raise ConfigError(
                        f"config key personal.{table}.{kind}: unknown kind; use one of "
                        f"{', '.join(allowed)}")
                if table != "extra_labels" and (not isinstance(value, int) or value < 1):
                    raise ConfigError(
                        f"config key personal.{table}.{kind}: expected a count of at least 1, "
                        f"got {value!r}")
                if table == "extra_labels" and any(not str(v).strip() for v in value):  # type: ignore[attr-defined]
                    raise ConfigError(
                        f"config key personal.{table}.{kind}: a label must not be empty")

    def threshold(self, kind: str, labelled: bool) -> int | None:
        """How many identifiers of ``kind`` make a hit (None: the kind never does alone)."""
        # A table in the config file names only the kinds it changes.
        if labelled:
            return self.labelled_thresholds.get(kind, DEFAULT_LABELLED_THRESHOLDS.get(kind))
        return self.thresholds.get(kind, DEFAULT_THRESHOLDS.get(kind))


@dataclass(slots=True)
class Found:
    """What one part holds of one kind: distinct valid values and failed candidates."""

    valid: dict[str, None] = field(default_factory=dict)
    invalid: set[bytes] = field(default_factory=set)
    bulk_invalid: int = 0  # failed candidates counted in bulk (plain card numbers)
    extra_valid: int = 0  # valid ones counted in bulk beyond those kept

    @property
    def count(self) -> int:
        """Distinct valid values found."""
        return len(self.valid) + self.extra_valid

    def add(self, value: str, ok: bool, raw: bytes) -> None:
        if ok:
            if len(self.valid) < MAX_DISTINCT:
                self.valid.setdefault(value)
        elif len(self.invalid) < MAX_DISTINCT:
            self.invalid.add(raw)

    def merge(self, other: Found) -> None:
        """Add what ``other`` found (distinct values stay distinct)."""
        for value in other.valid:
            if len(self.valid) >= MAX_DISTINCT:
                break
            self.valid.setdefault(value)
        if len(self.invalid) < MAX_DISTINCT:
            self.invalid |= other.invalid
        self.bulk_invalid += other.bulk_invalid
        self.extra_valid += other.extra_valid

    def beyond_chance(self, chance: float) -> float:
        """Valid values beyond what random digits of the same shape would give.

        The failed candidates estimate how many random ones there are; about
        ``chance / (1 - chance)`` of that many pass by luck, plus two standard deviations.
        """
        failed = len(self.invalid) + self.bulk_invalid
        if not failed or chance <= 0:
            return float(self.count)
        lucky = failed * chance / (1 - chance)
        return self.count - lucky - 2 * math.sqrt(lucky)


@dataclass(slots=True)
class _ItemTotals:
    """What the parts of one item hold together."""

    found: dict[str, Found] = field(default_factory=lambda: {kind: Found() for kind in KINDS})
    labelled: dict[str, bool] = field(default_factory=lambda: dict.fromkeys(KINDS, False))
    hit: set[str] = field(default_factory=set)
    parts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))

    def add(self, found: Mapping[str, Found], labelled: Mapping[str, bool],
            hits: Iterable[str]) -> None:
        self.hit.update(hits)
        for kind in KINDS:
            self.parts[kind] += bool(found[kind].valid)
            self.labelled[kind] = self.labelled[kind] or labelled[kind]
            self.found[kind].merge(found[kind])


def _database(expressions: list[bytes], flags: list[int],
              cache: CompiledCache | None) -> hyperscan.Database:
    """The Hyperscan database of ``expressions``: from ``cache`` when it holds it, since
    compiling it costs a one-file scan a good part of its start."""
    key = hashlib.sha256(repr((hyperscan.__version__, os.uname().machine, expressions,
                               flags)).encode()).hexdigest()
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


class PersonalEngine:
    """Finds citizens' identifiers in text parts and reports bulk as ``personal`` hits."""

    def __init__(self, config: PersonalConfig | None = None,
                 today: Callable[[], datetime.date] | None = None,
                 cache: CompiledCache | None = None) -> None:
        self.config = config or PersonalConfig()
        self._today = today or datetime.date.today
        self._item: _ItemTotals | None = None
        self._labels = {kind: tuple(dict.fromkeys(
            [*LABELS.get(kind, ()), *(s.lower() for s in self.config.extra_labels.get(kind, ()))]))
            for kind in KINDS}
        expressions: list[bytes] = []
        flags: list[int] = []
        self._label_kind: list[str] = []
        for kind, labels in self._labels.items():
            for label in labels:
                self._label_kind.append(kind)
                expressions.append(_literal(label))
                flags.append(hyperscan.HS_FLAG_CASELESS)
        # IBANs start with a registry country code: a literal Hyperscan finds cheaply.
        self._iban_pattern = len(expressions)
        expressions.append(rb"(?:" + b"|".join(c.encode() for c in _IBAN_COUNTRIES)
                           + rb")[0-9]{2} ?[0-9A-Z]{4}")
        flags.append(0)
        # Hyperscan finds every label in one pass; the numbers are found by digit runs.
        self._database = _database(expressions, flags, cache)

    def scan(self, part: Part) -> Iterable[Hit]:
        """``personal`` hits in one text part (content parts are ignored)."""
        if not self.config.enabled or not part.text:
            return ()
        data = _fold(part.text).encode("utf-8", "surrogatepass")
        return list(self._scan(part, data))

    def _scan(self, part: Part, data: bytes) -> Iterator[Hit]:
        label_ends: dict[str, list[int]] = {kind: [] for kind in KINDS}
        label_kind = self._label_kind
        iban_pattern = self._iban_pattern
        iban_ends: list[int] = []

        def on_label(pattern: int, start: int, end: int, flags: int, context: object) -> None:
            if pattern == iban_pattern:
                iban_ends.append(end)
            else:
                label_ends[label_kind[pattern]].append(end)

        self._database.scan(data, match_event_handler=on_label)
        labelled = {kind: any(_word_at(data, end, self._labels[kind]) for end in label_ends[kind])
                    for kind in KINDS}
        found = {kind: Found() for kind in KINDS}
        today = self._today()
        candidates = find_candidates(data)
        candidates.windows["iban"] = iban_ends
        for kind, ends in candidates.windows.items():
            if ends:
                self._read_windows(kind, data, ends, found[kind], today)
        for value in candidates.cards:
            found["card"].add(value, True, b"")
        found["card"].extra_valid += candidates.more_cards
        found["card"].bulk_invalid += candidates.bad_cards
        if labelled["passport"]:
            self._read_passports(data, label_ends["passport"], found["passport"])
        hits = [kind for kind in KINDS if self._over(found[kind], labelled[kind], kind)]
        if self._item is not None:
            self._item.add(found, labelled, hits)
        if not hits:
            return
        counted = self._count_contacts(data)
        for kind in hits:
            yield self._hit(part.origin, kind, found[kind], labelled[kind], counted)

    def _over(self, found: Found, labelled: bool, kind: str) -> bool:
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
        return [self._hit(where, kind, item.found[kind], item.labelled[kind], {},
                          parts=item.parts[kind])
                for kind in KINDS
                if item.parts[kind] >= 2 and kind not in item.hit
                and self._over(item.found[kind], item.labelled[kind], kind)]

    def _read_windows(self, kind: str, data: bytes, kind_ends: list[int], found: Found,
                      today: datetime.date) -> None:
        """Validate the candidates of ``kind`` in the windows around its trigger ends."""
        seen: set[int] = set()
        pattern = {"cn_id": _CN_ID, "card": _CARD, "iban": _IBAN, "es_id": _ES_ID}[kind]
        for end in sorted(kind_ends):
            if len(found.valid) >= MAX_DISTINCT:
                break
            # The lookbehinds see before the window, so a window never starts mid-number.
            start = max(0, end - WINDOW)
            stop = min(len(data), end + (40 if kind == "iban" else 2))
            for match in pattern.finditer(data, start, stop):
                if match.start() in seen:
                    continue
                seen.add(match.start())
                self._check(kind, match, found, today)

    def _check(self, kind: str, match: re.Match[bytes], found: Found,
               today: datetime.date) -> None:
        raw = match.group(0)
        if kind == "cn_id":
            value = (match.group(1) + match.group(2) + match.group(3)).decode().upper()
            found.add(value, valid_cn_id(value, today), raw)
        elif kind == "card":
            value = re.sub(rb"[ -]", b"", raw).decode()
            if _issuer_known(value):
                found.add(value, luhn.is_valid(value), raw)
        elif kind == "iban":
            compact = raw.replace(b" ", b"").decode()
            length = iban_length(compact[:2])
            if length and len(compact) >= length:
                value = compact[:length]
                found.add(value, valid_iban(value), value.encode())
        elif kind == "es_id":
            prefix, digits, letter = (g.decode().upper() for g in match.groups())
            if (prefix and len(digits) == 7) or (not prefix and len(digits) == 8):
                value = prefix + digits + letter
                found.add(value, valid_es_id(value), raw)

    def _read_passports(self, data: bytes, label_ends: list[int], found: Found) -> None:
        """Passport numbers right after a passport label, or as whole fields of the part."""
        for end in label_ends:
            for match in _PASSPORT.finditer(data, end, min(len(data), end + LABEL_NEAR)):
                found.add(match.group(1).decode(), True, b"")
        for match in _PASSPORT_FIELD.finditer(data):
            found.add(match.group(1).decode(), True, b"")

    def _count_contacts(self, data: bytes) -> dict[str, int]:
        """Distinct mobile numbers and e-mail addresses (only read when a part already hits).

        They only add to a hit, so the first CONTACT_BYTES of the part are enough.
        """
        data = data[:CONTACT_BYTES]
        mobiles = {m.group(1) + m.group(2) + m.group(3) for m in _MOBILE.finditer(data)}
        emails = {m.group(0).lower() for m in _EMAIL.finditer(data)}
        return {"mobile": sum(1 for m in mobiles if valid_mobile(m.decode())),
                "email": len(emails)}

    def _hit(self, where: str, kind: str, found: Found, labelled: bool,
             counted: Mapping[str, int], parts: int = 0) -> Hit:
        count = found.count
        noun = NOUNS[kind][count != 1]
        shown = ", ".join(mask(kind, value) for value in list(found.valid)[:EXAMPLES])
        more = "+" if len(found.valid) >= MAX_DISTINCT and not found.extra_valid else ""
        head = f"{count}{more} {noun}"
        extras = [f"{n} {NOUNS[k][n != 1]}" for k, n in counted.items() if n]
        excerpt = (f"{head}{f' in {parts} parts' if parts else ''}"
                   f"{' beside a label' if labelled else ''}: {shown}"
                   + (", …" if count > EXAMPLES else "")
                   + (f"; also {', '.join(extras)}" if extras else ""))
        first = excerpt.index(": ") + 2
        span = (first, first + len(mask(kind, next(iter(found.valid)))))
        return Hit(rule=f"personal.{kind}", category=CATEGORY, severity=self.config.severity,
                   where=where, excerpt=excerpt, span=span, description=DESCRIPTION,
                   action=self.config.action)


@dataclass(slots=True)
class Candidates:
    """Where a part may hold identifiers: window ends per kind, and plain card numbers checked."""

    windows: dict[str, list[int]]
    cards: list[str]  # distinct valid plain card numbers (the first MAX_DISTINCT)
    bad_cards: int = 0  # plain card-shaped runs that fail Luhn
    more_cards: int = 0  # distinct valid ones beyond those listed


# Characters that render as nothing: an identifier split by them is still one.
_INVISIBLE = re.compile("[\u00ad\u034f\u061c\u180e\ufeff\u200b-\u200f\u202a-\u202e"
                        "\u2060-\u206f\ufe00-\ufe0f\U000e0000-\U000e007f]")


def _fold(text: str) -> str:
    """What the engine reads: NFKC (full-width digits and letters) without invisibles.

    The markings' normaliser also keeps a map back to the original offsets; the engine
    reports values, not offsets, so the cheaper fold is enough.
    """
    if text.isascii():
        return text
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))


# Every identifier the whole-array search looks for has four digits in a row (a run of
# seven, or a group of four or six before a separator): text without any needs none of it.
_FOUR_DIGITS = re.compile(rb"[0-9]{4}")


def find_candidates(data: bytes) -> Candidates:
    """Places in ``data`` worth validating (filters/engines/personal_search.py)."""
    if _FOUR_DIGITS.search(data) is None:
        return Candidates({"cn_id": [], "card": [], "iban": [], "es_id": []}, [])
    # NumPy is loaded with the first text that holds digits, not with the engine.
    from filters.engines.personal_search import find_candidates as search

    return search(data)


def _literal(label: str) -> bytes:
    """A Hyperscan pattern for ``label`` as a literal."""
    return b"".join(b"\\x%02x" % byte for byte in label.encode("utf-8"))


def _word_at(data: bytes, end: int, labels: tuple[str, ...]) -> bool:
    """True when a label ending at ``end`` is a word of its own (not inside another word)."""
    after = data[end:end + 1]
    if after.isalpha() and after.isascii():
        return False
    for label in labels:
        raw = label.encode("utf-8")
        start = end - len(raw)
        if start >= 0 and data[start:end].lower() == raw:
            before = data[start - 1:start] if start else b""
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
        "cn_id": lambda v: valid_cn_id(v, today), "card": valid_card, "iban": valid_iban,
        "es_id": valid_es_id, "mobile": valid_mobile}
    for kind, pattern in _TEXT_FORMS.items():
        for match in pattern.finditer(text):
            value = re.sub(r"[ -]", "", match.group(0)).upper()
            if kind == "iban":
                value = value[:iban_length(value[:2]) or len(value)]
            if not checks[kind](value):
                continue
            masked = iter(mask(kind, value))
            for index in range(match.start(), match.end()):
                if text[index] not in " -":
                    char = next(masked, None)
                    if char is None:
                        break
                    out[index] = char
    return "".join(out)


_TEXT_FORMS = {
    "cn_id": re.compile(r"(?<![0-9])[1-8][0-9]{5}[ -]?[0-9]{8}[ -]?[0-9]{3}[0-9Xx](?![0-9])"),
    "card": re.compile(r"(?<![0-9])(?:[0-9]{13,19}|[0-9]{4}(?:[ -][0-9]{4}){2}[ -][0-9]{1,7}"
                       r"|3[47][0-9]{2}[ -][0-9]{6}[ -][0-9]{5})(?![0-9])"),
    "iban": re.compile(r"(?<![0-9A-Za-z])[A-Z]{2}[0-9]{2}(?: ?[0-9A-Z]{4}){2,7}(?: ?[0-9A-Z]{1,4})?"),
    "es_id": re.compile(r"(?<![0-9A-Za-z])[XYZxyz]?[0-9]{7,8}-?[A-Za-z](?![0-9A-Za-z])"),
    "mobile": re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])"),
}
