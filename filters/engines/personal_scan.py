"""One compiled pass over a text's bytes that finds and validates identifier candidates.

Numeric text (a CSV export) holds millions of numbers; touching each one in Python costs
more than the rest of the scan. This module reads the bytes once in code compiled by
Numba (no Python object per number) and returns one record per candidate: its kind,
whether it validates, a key that tells distinct values apart, and where it stands.

What is a candidate:

- a run of digits, alone: 13–19 digits in a card issuer's range (card); 18 digits, or 17
  and ``X``, with a plausible birth date (Chinese resident ID); 8 digits, or X/Y/Z and 7,
  before a letter (Spanish DNI/NIE);
- a *chain* of digit groups joined by single spaces or hyphens, when the whole chain has
  the layout of a real identifier: cards ``4-4-4-4`` (up to 19 digits), Amex ``4-6-5``,
  Diners ``4-6-4``, resident IDs ``6-8-4``, or one digit at a time (``1 1 0 1 0 5 …``,
  an evasion). A chain that goes on (more table columns than the layout has) is not
  joined, so space-aligned table columns do not run together into numbers;
- two capital letters of an IBAN country and two digits: the IBAN is read over single
  spaces to the country's length.

Digit runs are found 64 bytes at a time: a bit per byte (set for a digit, by NumPy) is
compared with the bit before it, and only where they differ does the loop stop, so the
bytes between runs cost nothing and no branch waits on a byte. Each run is then read by
``_run``, which makes all the decisions above.

The functions are plain Python, compiled by Numba (``nogil``, cached on disk) the first
time a part of ``COMPILED_FROM`` bytes or more arrives, or when the engine is loaded for
a server: a ``redline scan`` of a few small files never imports Numba, and runs the very
same ``_run`` in the interpreter (its runs found by a regular expression).

Validation here is the arithmetic part (Luhn and issuer table, GB 11643 check digit, real
and past birth date and county register, DNI/NIE letter, IBAN mod 97); the engine adds the
IBAN layout and the Spanish CCC for the few IBANs that pass mod 97.
"""

from __future__ import annotations

import datetime
import functools
import logging
import math
import re
import secrets
import threading
import types
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
from stdnum import numdb

from filters.engines.personal import (
    _MOBILE_SEGMENTS,
    CARD_ISSUERS,
    PUBLISHED_TEST_CARDS,
    iban_countries,
    iban_layout,
)

log = logging.getLogger("redline.filters")

CN_ID, CARD, ES_ID, IBAN = 0, 1, 2, 3
MOBILE = 4  # records of mobile_numbers: the key is the 11 digits, OK is 1
SINGLES = 9  # a chain laid out one digit at a time
CARD_KEY_MODULUS = 100_000_000_000_000_003  # keys of 19-digit cards and IBANs: modulo this
SPAIN = (ord("E") - 65) * 26 + ord("S") - 65
COMPILED_FROM = 64 * 1024  # parts from this size on are read by the compiled scanner
# Record columns.
KIND, OK, KEY, START, END = range(5)
# What a scan carries from run to run (one int64 array): the chain of digit groups being
# read (groups, start, digits, where it continues), passport-shaped words counted; for
# mobile numbers, the chain's first run a number may still start on (-1: none) and its
# last four runs (start, length) in a ring.
CHAIN_STATE = 14
_NEXT_MOBILE, _RING = 5, 6


def _issuer_table() -> np.ndarray:
    """Known issuer ranges as one table: four-digit prefix -> a bit per card length, 13
    (bit 0) to 19 (bit 6). Ten kilobytes stay in the first-level cache, where a flag per
    prefix and length (200 KB) missed it on every random number."""
    table = np.zeros(10000, dtype=np.uint8)
    for low, high, width, lengths in CARD_ISSUERS:
        bits = sum(1 << (n - 13) for n in lengths)
        table[low * 10 ** (4 - width) : (high + 1) * 10 ** (4 - width)] |= bits
    return table


def _county_table() -> np.ndarray:
    """Every county code the national register (GB/T 2260, stdnum's copy) has listed."""
    table = np.zeros(1_000_000, dtype=np.bool_)

    def walk(entries: list, prefix: str) -> None:  # type: ignore[type-arg]
        for width, low, high, props, children in entries:
            for value in range(int(low), int(high) + 1):
                code = prefix + str(value).zfill(width)
                if "county" in props and len(code) == 6:
                    table[int(code)] = True
                walk(children, code)

    walk(numdb.get("cn/loc").prefixes, "")
    return table


def _iban_table() -> np.ndarray:
    """Per country code ((first letter - A) * 26 + second - A): the IBAN length in column 0
    (0: no IBAN) and the class of each BBAN character after it (1 digit, 2 capital letter,
    3 either), from the registry's layout (``4!n4!n2!n10!n`` for Spain)."""
    table = np.zeros((26 * 26, 40), dtype=np.int64)
    classes = {"n": 1, "a": 2, "c": 3}
    for country in iban_countries():
        row = table[(ord(country[0]) - 65) * 26 + ord(country[1]) - 65]
        row[0] = iban_layout(country)[0]
        info = numdb.get("iban").info(country + "00")[0][1]
        position = 1
        for count, kind in re.findall(r"(\d+)!([nac])", info.get("bban", "")):
            row[position : position + int(count)] = classes[kind]
            position += int(count)
    return table


@functools.lru_cache(maxsize=1)
def tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The issuer, county and IBAN tables (built once per process)."""
    return _issuer_table(), _county_table(), _iban_table()


_CN_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
_DNI_LETTERS = np.frombuffer(b"TRWAGMYFPDXBNJZSQVHLCKE", dtype=np.uint8).copy()
_LUHN_DOUBLED = np.array([0, 2, 4, 6, 8, 1, 3, 5, 7, 9], dtype=np.int64)
_CCC_WEIGHTS = np.array([1, 2, 4, 8, 5, 10, 9, 7, 3, 6], dtype=np.int64)  # 2^i mod 11
_MONTH_DAYS = np.array([0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def _alnum(c: int) -> bool:
    return 48 <= c <= 57 or 65 <= c <= 90 or 97 <= c <= 122


def _letter(c: int) -> bool:
    return 65 <= c <= 90 or 97 <= c <= 122


def _add(records: np.ndarray, count: int, kind: int, ok: bool, key: int, start: int, end: int) -> None:
    records[count, 0] = kind
    records[count, 1] = 1 if ok else 0
    records[count, 2] = key
    records[count, 3] = start
    records[count, 4] = end


def _card(digits: np.ndarray, at: int, length: int, zero: int, issuers: np.ndarray) -> tuple[bool, bool, int]:
    """(candidate, valid, key) for the ``length`` digits from ``at`` as a card number.

    ``digits`` holds digit values less ``zero``: the text's bytes (48) for a plain run,
    read in place, or the gathered digits (0) of a run of groups.
    """
    prefix = (
        (digits[at] - zero) * 1000
        + (digits[at + 1] - zero) * 100
        + (digits[at + 2] - zero) * 10
        + digits[at + 3]
        - zero
    )
    if not (issuers[prefix] >> (length - 13)) & 1:
        return False, False, 0
    total = 0
    key = 0
    for index in range(length):
        d = digits[at + index] - zero
        if index == 18:  # 19 digits do not fit in 64 bits (one division, not one a digit)
            key %= CARD_KEY_MODULUS
        key = key * 10 + d
        # Every second digit from the right is doubled, the check digit first not.
        total += _LUHN_DOUBLED[d] if (length - index) % 2 == 0 else d
    return True, total % 10 == 0, key


def _cn_id(digits: np.ndarray, check: int, counties: np.ndarray, today: int) -> tuple[bool, bool, int]:
    """(candidate, valid, key) for 17 digits and a check value (X = 10) as a resident ID."""
    year = digits[6] * 1000 + digits[7] * 100 + digits[8] * 10 + digits[9]
    month = digits[10] * 10 + digits[11]
    day = digits[12] * 10 + digits[13]
    # A shape with no date in its place is not a candidate at all (order numbers, logs).
    if year < 1890 or year > 2100 or month < 1 or month > 12 or day < 1 or day > 31:
        return False, False, 0
    total = 0
    key = 0
    for index in range(17):
        total += digits[index] * _CN_WEIGHTS[index]
        key = key * 10 + digits[index]
    key = key * 11 + check
    if (12 - total % 11) % 11 != check:
        return True, False, key
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    if day > _MONTH_DAYS[month] or (month == 2 and day == 29 and not leap):
        return True, False, key
    if year * 10000 + month * 100 + day > today:
        return True, False, key
    region = (
        ((digits[0] * 10 + digits[1]) * 10 + digits[2]) * 1000 + digits[3] * 100 + digits[4] * 10 + digits[5]
    )
    return True, counties[region], key


def _dated(a: np.ndarray, at: int) -> bool:
    """Eight digit bytes from ``at`` that read as a plausible date yyyymmdd (a birth date)."""
    year = (a[at] - 48) * 1000 + (a[at + 1] - 48) * 100 + (a[at + 2] - 48) * 10 + a[at + 3] - 48
    month = (a[at + 4] - 48) * 10 + a[at + 5] - 48
    day = (a[at + 6] - 48) * 10 + a[at + 7] - 48
    return 1890 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31


def _gather(a: np.ndarray, start: int, end: int, digits: np.ndarray) -> int:
    """The digits of a[start:end] (separators skipped) into ``digits``; how many."""
    count = 0
    for index in range(start, end):
        c = a[index]
        if 48 <= c <= 57:
            if count < len(digits):
                digits[count] = c - 48
            count += 1
    return count


def _check_x(a: np.ndarray, at: int, n: int) -> bool:
    """An ``X`` check character at ``at`` that ends the number."""
    return at < n and (a[at] == 88 or a[at] == 120) and (at + 1 >= n or not _alnum(a[at + 1]))


def _ccc_ok(digits: np.ndarray) -> bool:
    """The two check digits of a Spanish account (CCC) in a Spanish IBAN's 20 BBAN digits:
    weights 2^i mod 11 over 00+bank+branch and over the account, 0 and 1 kept as they are."""
    first = 0
    for index in range(8):  # "00" + bank + branch: the zeros weigh nothing
        first += digits[index] * _CCC_WEIGHTS[index + 2]
    second = 0
    for index in range(10):
        second += digits[10 + index] * _CCC_WEIGHTS[index]
    first %= 11
    second %= 11
    first = first if first < 2 else 11 - first
    second = second if second < 2 else 11 - second
    return digits[8] == first and digits[9] == second


def _chain_shape(groups: np.ndarray, count: int, total: int) -> int:
    """The kind a chain of digit groups is laid out as (-1: none).

    CARD for card layouts, CN_ID for resident-ID layouts, SINGLES for one digit at a
    time (either kind, by the number of digits).
    """
    singles = True
    for index in range(count):
        if groups[index] != 1:
            singles = False
            break
    if singles:
        return SINGLES
    if count == 3 and groups[0] == 6 and groups[1] == 8 and (groups[2] == 4 or groups[2] == 3):
        return CN_ID
    if count == 3 and groups[0] == 4 and groups[1] == 6 and (groups[2] == 5 or groups[2] == 4):
        return CARD  # American Express 4-6-5, Diners 4-6-4
    if count >= 4 and 13 <= total <= 19:
        for index in range(count - 1):
            if groups[index] != 4:
                return -1
        last = groups[count - 1]
        if (count == 4 and 1 <= last <= 7) or (count == 5 and 1 <= last <= 4):
            return CARD
    return -1


def _run(
    a: np.ndarray,
    n: int,
    start: int,
    end: int,
    records: np.ndarray,
    count: int,
    chain: np.ndarray,
    issuers: np.ndarray,
    counties: np.ndarray,
    ibans: np.ndarray,
    today: int,
    digits: np.ndarray,
    groups: np.ndarray,
) -> int:
    """The candidate records of the digit run ``a[start:end]``, written from ``count``;
    returns the new count. ``chain`` carries the chain of digit groups the run may
    continue from run to run (``CHAIN_STATE``)."""
    length = end - start
    # A run that joins the next one into a chain (a single space or hyphen, a digit).
    joined = end + 1 < n and (a[end] == 32 or a[end] == 45) and 48 <= a[end + 1] <= 57
    # Most runs are short and stand alone (quantities, amounts, times): too short to be
    # an identifier, not in a chain, no IBAN's letters before them. They cost nothing more.
    if (
        length < 7
        and not joined
        and chain[3] != start
        and (start < 1 or a[start - 1] < 65 or a[start - 1] > 90)
    ):
        return count
    # -- a passport number's shape: 1-3 capitals and 6-8 digits, a word of its own -------
    # (only counted: the engine looks for passport labels where one stands).
    if 6 <= length <= 8 and start >= 1 and 65 <= a[start - 1] <= 90 and (end >= n or not _alnum(a[end])):
        letters = 1
        while letters < 4 and start - letters >= 1 and 65 <= a[start - letters - 1] <= 90:
            letters += 1
        if letters <= 3 and (start - letters == 0 or not _alnum(a[start - letters - 1])):
            chain[4] += 1
    # -- a digit run on its own ----------------------------------------------------
    if length >= 7:
        # The shape is checked on the bytes before any digit is copied: most long
        # runs in business files are neither dated nor in an issuer's range.
        if (length == 18 or (length == 17 and _check_x(a, end, n))) and _dated(a, start + 6):
            _gather(a, start, start + 17, digits)
            check = 10 if length == 17 else a[start + 17] - 48
            candidate, ok, key = _cn_id(digits, check, counties, today)
            if candidate:
                _add(records, count, CN_ID, ok, key, start, end + 18 - length)
                count += 1
        if 13 <= length <= 19:
            candidate, ok, key = _card(a, start, length, 48, issuers)
            if candidate:
                _add(records, count, CARD, ok, key, start, end)
                count += 1
        elif length <= 8:
            # DNI: 8 digits; NIE: X/Y/Z and 7; an optional space or hyphen, the letter.
            prefix = 0
            if start >= 1:
                before = a[start - 1]
                if (
                    before == 88
                    or before == 89
                    or before == 90
                    or before == 120
                    or before == 121
                    or before == 122
                ):
                    prefix = (before & 0xDF) - 87  # X 1, Y 2, Z 3
                    if start >= 2 and _alnum(a[start - 2]):
                        prefix = -1
                elif _alnum(before):
                    prefix = -1
            at = end
            if at < n and (a[at] == 32 or a[at] == 45):
                at += 1
            if (
                ((prefix == 0 and length == 8) or (prefix > 0 and length == 7))
                and at < n
                and _letter(a[at])
                and (at + 1 >= n or not _alnum(a[at + 1]))
            ):
                number = 0
                for index in range(start, end):
                    number = number * 10 + a[index] - 48
                if prefix > 0:
                    number += (prefix - 1) * 10_000_000
                letter = a[at] & 0xDF
                key = (prefix * 100_000_000 + number) * 32 + letter - 64
                _add(
                    records,
                    count,
                    ES_ID,
                    _DNI_LETTERS[number % 23] == letter,
                    key,
                    start - (1 if prefix > 0 else 0),
                    at + 1,
                )
                count += 1
    # -- an IBAN: country letters and check digits, read over single spaces ------------
    if (
        length >= 2
        and start >= 2
        and 65 <= a[start - 2] <= 90
        and 65 <= a[start - 1] <= 90
        and (start == 2 or not _alnum(a[start - 3]))
    ):
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
                key = (key * 37 + c) % CARD_KEY_MODULUS
                spaced = False
                read += 1
                at += 1
                last = at
            if read == iban_length:
                # ISO 13616: the BBAN, then the country code and check digits, mod 97.
                for index in range(start - 2, start + 2):
                    c = a[index]
                    key = (key * 37 + c) % CARD_KEY_MODULUS
                    remainder = (remainder * 100 + c - 55 if c >= 65 else remainder * 10 + c - 48) % 97
                ok = remainder == 1 and laid_out
                if ok and country == SPAIN:
                    ok = _ccc_ok(digits)
                _add(records, count, IBAN, ok, key, start - 2, last)
                count += 1
    # -- chains of digit groups joined by single spaces or hyphens -----------------------
    if chain[3] != start and not joined:  # in no chain
        return count
    if chain[3] == start:
        if chain[0] < len(groups):
            groups[chain[0]] = length
        chain[0] += 1
        chain[2] += length
    else:
        chain[1] = start
        groups[0] = length
        chain[0] = 1
        chain[2] = length
    if joined:
        chain[3] = end + 1
        return count
    chain[3] = -1
    group_count = chain[0]
    chain_digits = chain[2]
    chain_start = chain[1]
    # Every layout joins 13 digits at least (a date and time, a phone number: fewer).
    if 2 <= group_count <= len(groups) and 13 <= chain_digits <= 19:
        shape = _chain_shape(groups, group_count, chain_digits)
        if shape >= 0:
            _gather(a, chain_start, end, digits)
            x_at = end + 1 if end + 1 < n and (a[end] == 32 or a[end] == 45) else end
            if shape in (CN_ID, SINGLES) and (
                chain_digits == 18 or (chain_digits == 17 and _check_x(a, x_at, n))
            ):
                check = 10 if chain_digits == 17 else digits[17]
                candidate, ok, key = _cn_id(digits, check, counties, today)
                if candidate:
                    _add(records, count, CN_ID, ok, key, chain_start, end if chain_digits == 18 else x_at + 1)
                    count += 1
            if shape in (CARD, SINGLES) and 13 <= chain_digits <= 19:
                candidate, ok, key = _card(digits, 0, chain_digits, 0, issuers)
                if candidate:
                    _add(records, count, CARD, ok, key, chain_start, end)
                    count += 1
    return count


def _opens_mobile(a: np.ndarray, start: int, length: int) -> bool:
    """A run a mobile number may start on: 1 and 3, 7 or 11 digits, or 8 and 2, 5, 9 or
    13 (86 where the expression allows a separator or its end). Without a branch on the
    digit: a date's month and day start with 1 as often as not."""
    first = a[start]
    lengths = (0x888 if first == 49 else 0) | (0x2224 if first == 56 else 0)
    return length < 14 and (lengths >> length) & 1 == 1


def _mobile_from(a: np.ndarray, chain: np.ndarray, first: int, last: int, ended: bool) -> tuple[int, int]:
    """Whether a mobile number (``personal._MOBILE``) starts at run ``first`` of the chain,
    given its runs up to ``last``: (run it ends with, where its 11 digits start) for a
    match, (-1, 0) for none, (-2, 0) when the runs after ``last`` decide.

    The expression reads ``86`` (optional), then 3, 4 and 4 digits, a space or hyphen
    allowed between the parts and nowhere else, no digit before or after: in runs, the
    digits counted from the first run's start reach 11 (13 after 86) exactly at a run's
    end, and every run before ends where a separator may stand.
    """
    slot = _RING + 2 * (first & 3)
    start = chain[slot]
    if chain[slot + 1] < 2:
        return -1, 0
    if a[start] == 49:  # 1: no prefix, cuts after 3 and 7 digits
        total, cut_a, cut_b, cut_c = 11, 3, 7, 7
    elif a[start] == 56 and a[start + 1] == 54:  # 86: cuts after 2, 5 and 9
        total, cut_a, cut_b, cut_c = 13, 2, 5, 9
    else:
        return -1, 0
    read = 0
    for run in range(first, last + 1):
        read += chain[_RING + 2 * (run & 3) + 1]
        if read == total:
            # The digits after any 86: a 1 and 3-9 (a segment of the numbering plan).
            at = start
            if total == 13:
                at = start + 2 if chain[slot + 1] > 2 else chain[_RING + 2 * ((first + 1) & 3)]
            if a[at] != 49 or a[at + 1] < 51:
                return -1, 0
            return run, at
        if read != cut_a and read != cut_b and read != cut_c:
            return -1, 0
    return (-1 if ended else -2), 0


def _mobiles(
    a: np.ndarray, chain: np.ndarray, last: int, ended: bool, records: np.ndarray, count: int
) -> int:
    """Records of the mobile numbers the chain's runs up to ``last`` decide, as
    ``re.finditer`` finds them: leftmost first, none overlapping (``ended``: no run
    follows ``last``)."""
    first = chain[_NEXT_MOBILE]
    while first <= last:
        run, at = _mobile_from(a, chain, first, last, ended)
        if run == -2:
            break
        if run == -1:
            first += 1
            # The next run a number may open on (the ring holds those after ``first``).
            while first <= last and not _opens_mobile(
                a, chain[_RING + 2 * (first & 3)], chain[_RING + 2 * (first & 3) + 1]
            ):
                first += 1
            continue
        slot = _RING + 2 * (run & 3)
        end = chain[slot] + chain[slot + 1]
        key = 0
        for index in range(at, end):
            c = a[index]
            if 48 <= c <= 57:
                key = key * 10 + c - 48
        _add(records, count, MOBILE, True, key, at, end)
        count += 1
        first = run + 1
        while first <= last and not _opens_mobile(
            a, chain[_RING + 2 * (first & 3)], chain[_RING + 2 * (first & 3) + 1]
        ):
            first += 1
    chain[_NEXT_MOBILE] = first if first <= last and not ended else -1
    return count


def _mobile_run(
    a: np.ndarray, n: int, start: int, end: int, records: np.ndarray, count: int, chain: np.ndarray
) -> int:
    """The mobile-number records the digit run ``a[start:end]`` decides (``_run`` for
    ``_scan_mobiles``), written from ``count``; returns the new count."""
    length = end - start
    joined = end + 1 < n and (a[end] == 32 or a[end] == 45) and 48 <= a[end + 1] <= 57
    if chain[3] == start:
        chain[0] += 1
    else:
        chain[0] = 1
        chain[_NEXT_MOBILE] = -1
    chain[3] = end + 1 if joined else -1
    # Runs are kept from one a number may start on (dates, amounts: two comparisons).
    if chain[_NEXT_MOBILE] >= 0 or _opens_mobile(a, start, length):
        last = chain[0] - 1
        if chain[_NEXT_MOBILE] < 0:
            chain[_NEXT_MOBILE] = last
        chain[_RING + 2 * (last & 3)] = start
        chain[_RING + 2 * (last & 3) + 1] = length
        count = _mobiles(a, chain, last, not joined, records, count)
    return count


def _scan_mobiles(a: np.ndarray, words: np.ndarray, records: np.ndarray, chain: np.ndarray) -> int:
    """Records of the mobile numbers in ``a`` (``records`` has a row per 11 bytes): the
    runs found as ``_scan`` finds them. How many."""
    _fill_words(a, words)
    n = len(a)
    count = 0
    chain[0] = 0
    chain[3] = -1
    chain[_NEXT_MOBILE] = -1
    carry = np.uint64(0)
    start = -1
    for index in range(len(words)):
        word = words[index]
        before = (word << np.uint64(1)) | carry
        carry = word >> np.uint64(63)
        starts = word & ~before
        ends = ~word & before
        base = index << 6
        while ends:
            if start < 0:
                start = base + np.int64(_trailing_zeros(starts))
                starts &= starts - np.uint64(1)
            count = _mobile_run(a, n, start, base + np.int64(_trailing_zeros(ends)), records, count, chain)
            ends &= ends - np.uint64(1)
            start = -1
        if starts:
            start = base + np.int64(_trailing_zeros(starts))
    return count


def _trailing_zeros(word: int) -> int:
    """Zero bits below the lowest set bit of ``word`` (compiled: one instruction)."""
    return (word & -word).bit_length() - 1


def _scan(
    a: np.ndarray,
    words: np.ndarray,
    begin: int,
    records: np.ndarray,
    issuers: np.ndarray,
    counties: np.ndarray,
    ibans: np.ndarray,
    today: int,
    digits: np.ndarray,
    groups: np.ndarray,
    chain: np.ndarray,
) -> tuple[int, int]:
    """Candidate records (kind, ok, key, start, end) of ``a`` from ``begin`` into ``records``.

    ``words`` holds one bit per byte of ``a``, set for a digit (``_fill_words`` fills
    it when ``begin`` is 0): the runs are found 64 bytes at a time where a bit differs
    from the one before it, so the bytes between runs cost nothing and no branch
    depends on a byte.

    Returns how many records were written and where the scan stopped: ``len(a)``, or
    the start of a run when ``records`` is nearly full (the caller goes on from there).
    ``begin`` is 0 or such a run start. Arrays are never reassigned inside the loop:
    Numba would count references on every pass.
    """
    n = len(a)
    if begin == 0:
        _fill_words(a, words)
    room = len(records) - 4  # one run writes at most three records
    count = 0
    if begin == 0:  # a resumed scan goes on with the chain it was reading
        chain[0] = 0
        chain[1] = 0
        chain[2] = 0
        chain[3] = -1
    index = begin >> 6
    carry = words[index - 1] >> np.uint64(63) if index > 0 else np.uint64(0)
    # Edges below ``begin`` in its word are not read again.
    below = ~((np.uint64(1) << np.uint64(begin & 63)) - np.uint64(1))
    start = -1  # where the run being read started (-1: between runs)
    while index < len(words):
        word = words[index]
        before = (word << np.uint64(1)) | carry  # each byte's left neighbour is a digit
        carry = word >> np.uint64(63)
        starts = word & ~before & below
        ends = ~word & before & below
        below = ~np.uint64(0)
        base = index << 6
        # Starts and ends alternate: each end closes the run of the start before it, so
        # a run costs one pass of this loop and no branch asks which edge comes next.
        while ends:
            if start < 0:
                start = base + np.int64(_trailing_zeros(starts))
                starts &= starts - np.uint64(1)
                if count >= room:
                    return count, start
            # The run ends (the words go on past ``a`` with a clear bit).
            count = _run(
                a,
                n,
                start,
                base + np.int64(_trailing_zeros(ends)),
                records,
                count,
                chain,
                issuers,
                counties,
                ibans,
                today,
                digits,
                groups,
            )
            ends &= ends - np.uint64(1)
            start = -1
        if starts:  # a run that goes on into the next word
            start = base + np.int64(_trailing_zeros(starts))
            if count >= room:
                return count, start
        index += 1
    return count, n


_DIGIT_RUN = re.compile(rb"[0-9]+")


def _scan_interpreted(
    a: bytes,
    begin: int,
    records: np.ndarray,
    issuers: np.ndarray,
    counties: np.ndarray,
    ibans: np.ndarray,
    today: int,
    digits: list[int],
    groups: list[int],
    chain: list[int],
) -> tuple[int, int]:
    """``_scan`` for the interpreter: the same records, its runs found by a regular
    expression (a small part does not pay for Numba's start)."""
    n = len(a)
    room = len(records) - 4
    count = 0
    if begin == 0:
        chain[:4] = [0, 0, 0, -1]
    for match in _DIGIT_RUN.finditer(a, begin):
        start, end = match.span()
        if count >= room:
            return count, start
        count = _run(a, n, start, end, records, count, chain, issuers, counties, ibans, today, digits, groups)
    return count, n


def _fill_words(a: np.ndarray, words: np.ndarray) -> None:
    """One bit per byte of ``a`` into ``words``, set for a digit, 64 to a word (lowest
    bit first), then clear bits to the end of ``words`` (which has one word more than
    ``a`` fills, so every run ends inside the words). Compiled, the inner loop is
    vectorised: four times NumPy's speed at this, with no array in between."""
    full = len(a) // 64
    for index in range(full):
        base = index * 64
        word = np.uint64(0)
        for k in range(64):
            # Bytes below "0" wrap around to large values: one comparison tells a digit.
            word |= np.uint64(np.uint8(a[base + k] - np.uint8(48)) < np.uint8(10)) << np.uint64(k)
        words[index] = word
    word = np.uint64(0)
    for at in range(full * 64, len(a)):
        word |= np.uint64(np.uint8(a[at] - np.uint8(48)) < np.uint8(10)) << np.uint64(at - full * 64)
    words[full] = word


# The functions Numba compiles; helpers are inlined into _scan.
_HELPERS = (
    "_alnum",
    "_letter",
    "_add",
    "_card",
    "_cn_id",
    "_dated",
    "_gather",
    "_check_x",
    "_ccc_ok",
    "_chain_shape",
    "_opens_mobile",
    "_mobile_from",
    "_mobiles",
    "_run",
    "_mobile_run",
    "_fill_words",
)
_compiled: list[tuple[Callable[..., tuple[int, int]], Callable[..., int]]] = []
_compiling = threading.Lock()


def _compile(
    njit: Callable[..., Callable[..., object]], cache: bool
) -> tuple[Callable[..., tuple[int, int]], Callable[..., int]]:
    """_scan and _scan_mobiles compiled, with copies of the helpers compiled and inlined
    into them; the module's own functions stay plain Python for the interpreted path."""
    from numba.cpython.unsafe.numbers import trailing_zeros

    space = dict(globals())
    space["_trailing_zeros"] = trailing_zeros
    for name in _HELPERS:
        plain = types.FunctionType(globals()[name].__code__, space, name)
        space[name] = njit(nogil=True, cache=cache, inline="always")(plain)
    # No reference counting (``_nrt=False``): the scanner allocates nothing, and Numba
    # would otherwise count a reference to each array the inlined run body reads, twice
    # per digit run (a CSV of numbers scanned five times slower).
    return tuple(  # type: ignore[return-value]
        njit(nogil=True, cache=cache, _nrt=False)(types.FunctionType(f.__code__, space, f.__name__))
        for f in (_scan, _scan_mobiles)
    )


def compile_scanner() -> Callable[..., tuple[int, int]]:
    """The compiled scanner (Numba, cached on disk: compiled once per machine, loaded once
    per process)."""
    with _compiling:
        if not _compiled:
            from numba import njit

            try:
                _compiled.append(_compile(njit, cache=True))
            except RuntimeError as exc:
                # No folder Numba may write its cache to (a read-only install, no home):
                # compiled in memory for this process, and said so.
                log.warning(
                    "personal-data scanner compiled without a disk cache (%s); "
                    "set NUMBA_CACHE_DIR to a writable folder to keep it",
                    exc,
                )
                _compiled.append(_compile(njit, cache=False))
    return _compiled[0][0]


def scan(data: bytes, today: datetime.date, compiled: bool | None = None) -> np.ndarray:
    """Records (kind, ok, key, start, end) of the identifier candidates in ``data``.

    ``compiled`` chooses the compiled or interpreted scanner (None: by size, as above).
    """
    return scan_counted(data, today, compiled)[0]


def scan_counted(data: bytes, today: datetime.date, compiled: bool | None = None) -> tuple[np.ndarray, int]:
    """``scan``'s records, and how many words in ``data`` have a passport number's shape
    (1-3 capitals and 6-8 digits)."""
    issuers, counties, ibans = tables()
    day = today.year * 10000 + today.month * 100 + today.day
    if compiled is None:
        compiled = bool(_compiled) or len(data) >= COMPILED_FROM
    # Room for a record every 64 bytes: a block of random numbers has one every 100 or so
    # (pages never written to are never touched), so the buffer rarely grows.
    records = np.empty((max(256, len(data) // 64), 5), dtype=np.int64)
    filled = 0
    position = 0
    if compiled:
        run = compile_scanner()
        a = np.frombuffer(data, dtype=np.uint8)
        words = np.empty(len(data) // 64 + 1, dtype=np.uint64)
        digits = np.zeros(40, dtype=np.int64)
        groups = np.zeros(24, dtype=np.int64)
        chain = np.zeros(CHAIN_STATE, dtype=np.int64)
    else:
        chain = [0] * CHAIN_STATE
    while True:
        if compiled:
            count, position = run(
                a, words, position, records[filled:], issuers, counties, ibans, day, digits, groups, chain
            )
        else:  # the same code in the interpreter: bytes and lists index fastest there
            count, position = _scan_interpreted(
                data, position, records[filled:], issuers, counties, ibans, day, [0] * 40, [0] * 24, chain
            )
        filled += count
        if position >= len(data):
            return records[:filled], int(chain[4])
        grown = np.empty((len(records) * 2, 5), dtype=np.int64)
        grown[:filled] = records[:filled]
        records = grown


def mobile_numbers(data: bytes, compiled: bool = True) -> np.ndarray:
    """Records (MOBILE, 1, number, start, end) of the mainland mobile numbers in ``data``
    where the engine's expression (``personal._MOBILE``) finds them, in order: 11 digits
    from 1 and 3-9, 86 before them or not, a space or hyphen between the 3-4-4 parts,
    no digit around. Compiled, a register's 2 MB are read in a millisecond or two; the
    expression took 60 ms.
    """
    records = np.empty((len(data) // 11 + 2, 5), dtype=np.int64)  # 11 digits a number
    if compiled:
        compile_scanner()
        count = _compiled[0][1](
            np.frombuffer(data, dtype=np.uint8),
            np.empty(len(data) // 64 + 1, dtype=np.uint64),
            records,
            np.zeros(CHAIN_STATE, dtype=np.int64),
        )
    else:  # the same code in the interpreter, its runs found by a regular expression
        count = 0
        chain = [0] * CHAIN_STATE
        chain[3] = chain[_NEXT_MOBILE] = -1
        for match in _DIGIT_RUN.finditer(data):
            start, end = match.span()
            count = _mobile_run(data, len(data), start, end, records, count, chain)
    return records[:count]


@functools.lru_cache(maxsize=1)
def mobile_segments() -> np.ndarray:
    """The first three digits of mainland mobile numbers in allocated segments -> True."""
    table = np.zeros(1000, dtype=np.bool_)
    table[[int(segment) for segment in _MOBILE_SEGMENTS]] = True
    return table


def count_mobiles(data: bytes) -> int:
    """Distinct mobile numbers in allocated segments in ``data`` (compiled)."""
    numbers = np.unique(mobile_numbers(data)[:, KEY])
    return int(np.count_nonzero(mobile_segments()[numbers // 100_000_000]))


def today_number(today: datetime.date) -> int:
    """``today`` as the number yyyymmdd the scanner compares birth dates with."""
    return today.year * 10000 + today.month * 100 + today.day


# -- counting what was found --------------------------------------------------------------

EXAMPLES = 3  # valid values kept as text for a hit's excerpt
_NO_KEYS = np.empty(0, dtype=np.int64)
# Distinct values are counted in a sketch of this many slots (linear counting): a value's
# key marks one slot, and the share of marked slots gives the number of distinct values,
# within 0.2 % at a million (below EXACT_UP_TO the keys themselves are counted). Parts and items
# merge by marking what either marked, so counting costs the same for a register of a
# million as for ten, and repeats never count twice.
SKETCH_SLOTS = 1 << 20
_SCRAMBLE = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: the top bits pick the slot
# A salt drawn per process: nobody can choose values that share a slot (and count once).
_SALT = np.uint64(secrets.randbits(64))


def _distinct(marks: np.ndarray | None) -> int:
    """The number of distinct values that marked ``marks``."""
    if marks is None:
        return 0
    marked = int(np.count_nonzero(marks))
    if marked >= SKETCH_SLOTS:
        return SKETCH_SLOTS * 20
    return round(-SKETCH_SLOTS * math.log1p(-marked / SKETCH_SLOTS))


def _mark(marks: np.ndarray | None, keys: np.ndarray) -> np.ndarray | None:
    """``marks`` with the slots of ``keys`` marked (allocated on the first key)."""
    if not len(keys):
        return marks
    if marks is None:
        marks = np.zeros(SKETCH_SLOTS, dtype=np.uint8)
    slots = ((keys.astype(np.uint64) ^ _SALT) * _SCRAMBLE) >> np.uint64(64 - SKETCH_SLOTS.bit_length() + 1)
    marks[slots] = 1
    return marks


EXACT_UP_TO = 8192  # distinct keys are counted exactly up to this many, then by the sketch


def _union(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """The distinct keys of both arrays, sorted (``np.union1d``, whose hash table costs
    NumPy 2 about six times this sort on the few thousand keys of a part)."""
    keys = np.concatenate((first, second))
    keys.sort()
    if len(keys) < 2:
        return keys
    keep = np.empty(len(keys), dtype=np.bool_)
    keep[0] = True
    np.not_equal(keys[1:], keys[:-1], out=keep[1:])
    return keys[keep]


@dataclass(slots=True)
class Distinct:
    """Distinct keys: kept exactly while they are few (what a hit shows is then exact),
    then marked in the sketch, which counts beyond that (and then holds every key)."""

    exact: np.ndarray | None = field(default_factory=lambda: _NO_KEYS)  # None: too many
    marks: np.ndarray | None = None  # made when ``exact`` gives up (a megabyte each)
    count: int = 0

    def add(self, keys: np.ndarray) -> None:
        """Count ``keys`` in."""
        if not len(keys):
            return
        if self.exact is None:
            self.marks = _mark(self.marks, keys)
        elif len(self.exact) + len(keys) <= 4 * EXACT_UP_TO:
            merged = _union(self.exact, keys)
            if len(merged) <= EXACT_UP_TO:
                self.exact = merged
                self.count = len(merged)
                return
            self.marks = _mark(self.marks, merged)
            self.exact = None
        else:  # many keys (a block of random numbers) go to the sketch without a sort
            self.marks = _mark(_mark(self.marks, self.exact), keys)
            self.exact = None
        self.count = _distinct(self.marks)

    def merge(self, other: Distinct) -> None:
        """Count in what ``other`` counted."""
        if other.exact is not None:
            self.add(other.exact)
            return
        assert other.marks is not None
        if self.marks is None:
            self.marks = _mark(other.marks.copy(), self.exact)  # type: ignore[arg-type]
        else:  # in place: the marks are this object's own (a copy or _mark's array)
            np.bitwise_or(self.marks, other.marks, out=self.marks)
        self.exact = None
        self.count = _distinct(self.marks)


@dataclass(slots=True)
class Found:
    """What one part (or item) holds of one kind: distinct valid values, failed candidates.

    Values are told apart by integer keys (the scanner's, or a hash for the kinds read in
    Python); the first few valid values are kept as text for the excerpt.
    """

    valid: Distinct = field(default_factory=Distinct)
    invalid: Distinct = field(default_factory=Distinct)
    examples: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        """Distinct valid values."""
        return self.valid.count

    @property
    def failed(self) -> int:
        """Distinct failed candidates."""
        return self.invalid.count

    def add(self, valid: np.ndarray, invalid: np.ndarray, examples: Iterable[str]) -> None:
        """Add keys of valid and failed candidates, and valid values in reading order."""
        self.valid.add(valid)
        self.invalid.add(invalid)
        self._examples(examples)

    def _examples(self, examples: Iterable[str]) -> None:
        for value in examples:
            if len(self.examples) >= EXAMPLES:
                break
            if value not in self.examples:
                self.examples.append(value)

    def add_values(self, values: Iterable[str], failed: Iterable[str] = ()) -> None:
        """Add valid values, and failed candidates, read in Python (personal_formats.py,
        passport numbers)."""
        values = list(dict.fromkeys(values))
        failed_keys = np.array([_key(v) for v in dict.fromkeys(failed)], dtype=np.int64)
        self.add(
            np.array([_key(v) for v in values], dtype=np.int64),
            failed_keys if len(failed_keys) else _NO_KEYS,
            values,
        )

    def add_keys(self, keys: np.ndarray, examples: Iterable[str]) -> None:
        """Add keys of valid values found by a compiled pass (mobile numbers)."""
        self.add(keys, _NO_KEYS, examples)

    def merge(self, other: Found) -> None:
        """Add what ``other`` found (distinct values stay distinct)."""
        self.valid.merge(other.valid)
        self.invalid.merge(other.invalid)
        self._examples(other.examples)

    def beyond_chance(self, chance: float) -> float:
        """Valid values beyond what random digits of the same shape would give.

        The distinct failed candidates estimate how many random ones there are; about
        ``chance / (1 - chance)`` of that many pass by luck, plus two standard deviations.
        (Repeating one failed number does not buy cover: only distinct ones count.)
        """
        if not self.failed or chance <= 0:
            return float(self.count)
        lucky = self.failed * chance / (1 - chance)
        return self.count - lucky - 2 * math.sqrt(lucky)


def _key(value: str) -> int:
    """An integer key for a value read in Python (IBAN, passport)."""
    return hash(value) & 0x7FFF_FFFF_FFFF_FFFF


@functools.cache
def _test_card_keys() -> np.ndarray:
    """The scanner's keys of the published test cards (a card's key is its number)."""
    # As _card makes them: a 19th digit is added after reducing the first 18.
    keys = [
        int(n) if len(n) < 19 else int(n[:18]) % CARD_KEY_MODULUS * 10 + int(n[18])
        for n in PUBLISHED_TEST_CARDS
    ]
    return np.array(sorted(keys), dtype=np.int64)


def read(data: bytes, today: datetime.date) -> tuple[dict[str, Found], int]:
    """What ``data`` holds of resident IDs, cards, DNI/NIE and IBANs, and how many words
    have a passport number's shape."""
    records, passport_shapes = scan_counted(data, today)
    found = {kind: Found() for kind in ("cn_id", "card", "es_id", "iban")}
    if not len(records):
        return found, passport_shapes
    # Columns, not rows: a block of random numbers has tens of thousands of records, and
    # copying each kind's whole rows cost more than sorting out the keys.
    kinds = records[:, KIND]
    valid = records[:, OK] == 1
    keys = records[:, KEY]
    present = np.bincount(kinds, minlength=4)
    for code, kind in enumerate(found):
        if not present[code]:
            continue
        mine = kinds == code
        good = np.flatnonzero(mine & valid)
        if code == CARD and len(good):  # published test cards count for nothing
            good = good[~np.isin(keys[good], _test_card_keys())]
        shown = good[: EXAMPLES * 4]
        examples = [
            data[start:end].replace(b" ", b"").replace(b"-", b"").decode("ascii").upper()
            for start, end in records[shown, START : END + 1].tolist()
        ]
        found[kind].add(keys[good], keys[mine & ~valid], examples)
    return found, passport_shapes
