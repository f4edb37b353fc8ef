"""The personal-data engine's search for candidates: whole-array operations over a text.

Numeric text (a CSV export) holds millions of numbers, and touching each in Python would
cost more than the rest of the scan; NumPy finds the places worth validating, and
filters/engines/personal.py validates them. Kept apart so that text without digits
(and a one-file ``redline scan`` start) never loads NumPy.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np

from filters.engines.personal import CARD_ISSUERS, MAX_DISTINCT, Candidates

_SEPARATORS = np.zeros(256, dtype=np.bool_)
_SEPARATORS[[ord(" "), ord("-")]] = True
_LETTERS = np.zeros(256, dtype=np.bool_)
_LETTERS[ord("A"):ord("Z") + 1] = True
_LETTERS[ord("a"):ord("z") + 1] = True
_NIE_PREFIX = np.zeros(256, dtype=np.bool_)
_NIE_PREFIX[[ord(c) for c in "XYZxyz"]] = True
_CHECK_X = np.zeros(256, dtype=np.bool_)
_CHECK_X[[ord("X"), ord("x")]] = True
MAX_PLAIN_CARDS = 200_000  # plain card-shaped runs checked per part; the rest still counts


def _digits(a: np.ndarray, starts: np.ndarray, length: int) -> np.ndarray:
    """The ``length`` digits from each start, as a (length × runs) array of 0-9."""
    # Position by position: one flat gather each is far cheaper than a 2-D gather.
    out = np.empty((length, len(starts)), dtype=np.int16)
    for position in range(length):
        out[position] = a[starts + position]
    out -= 48
    return out


def _luhn_ok(digits: np.ndarray) -> np.ndarray:
    """Luhn check of each column of digits (the last row is the check digit)."""
    doubled = digits[-2::-2] * 2
    doubled -= 9 * (doubled > 9)
    return (digits[-1::-2].sum(axis=0) + doubled.sum(axis=0)) % 10 == 0


def _issuer_rows(digits: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Rows whose first four digits and length fall in a known issuer range."""
    prefix = digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3]
    return _ISSUER_TABLE[prefix.astype(np.intp) * 20 + lengths]


_POWERS = np.array([10 ** k for k in range(18, -1, -1)], dtype=np.uint64)
# Known issuer ranges as one table: (four-digit prefix) * 20 + length -> True.
_ISSUER_TABLE = np.zeros(10000 * 20, dtype=np.bool_)
for _low, _high, _width, _lengths in CARD_ISSUERS:
    for _prefix in range(_low * 10 ** (4 - _width), (_high + 1) * 10 ** (4 - _width)):
        _ISSUER_TABLE[[_prefix * 20 + n for n in _lengths]] = True


_LOCAL = threading.local()
SCRATCH_KEPT = 16 * 1024 * 1024  # bytes of text whose work arrays are kept between parts


def _scratch(size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Work arrays for ``size`` bytes (uint8, and three bool ones with 8 to spare)."""
    held = getattr(_LOCAL, "arrays", None)
    if held is None or len(held[0]) < size:
        capacity = max(size, 1 << 20)
        held = (np.empty(capacity, np.uint8), np.empty(capacity + 8, np.bool_),
                np.empty(capacity + 8, np.bool_), np.empty(capacity + 8, np.bool_))
        if capacity <= SCRATCH_KEPT:  # a rare huge part does not stay in memory
            _LOCAL.arrays = held
    return held[0][:size], held[1][:size + 8], held[2][:size + 8], held[3][:size + 8]


def find_candidates(data: bytes) -> Candidates:
    """Places in ``data`` worth validating, found with whole-array operations.

    Numeric text (a CSV export) holds millions of numbers, and touching each in Python
    would cost more than the rest of the scan. Only two things are looked for over the
    whole text: runs of at least seven digits (every plain identifier has them) and a
    space or hyphen between two digits (numbers written in groups); the few hundred
    thousand places found are then sorted by length and shape, plain card-length runs
    are checked here in bulk, and Python code reads the rest.
    """
    windows: dict[str, list[int]] = {"cn_id": [], "card": [], "iban": [], "es_id": []}
    cards: list[str] = []
    bad_cards = more_cards = 0
    if len(data) < 7:
        return Candidates(windows, cards)
    a = np.frombuffer(data, dtype=np.uint8)
    size = len(a)
    # Scratch arrays are reused between parts: fresh ones of this size cost page faults.
    shifted, digit, seven, joins = _scratch(size)
    np.subtract(a, 48, out=shifted)  # bytes below "0" wrap round to large values
    np.less(shifted, 10, out=digit[:size])
    digit[size:] = False
    # seven[i]: the bytes i … i+6 are all digits.
    np.logical_and(digit[:size], digit[1:size + 1], out=seven[:size])
    for offset in range(2, 7):
        np.logical_and(seven[:size], digit[offset:size + offset], out=seven[:size])
    seven[size:] = False
    np.not_equal(seven[1:size + 1], seven[:size], out=joins[:size])
    edges = np.flatnonzero(joins[:size]) + 1
    if seven[0]:
        edges = np.concatenate(([0], edges))
    starts, ends = edges[0::2], edges[1::2] + 6  # a run of seven or more digits
    lengths = ends - starts

    def byte_at(positions: np.ndarray) -> np.ndarray:
        inside = (positions >= 0) & (positions < size)
        return np.where(inside, a[np.clip(positions, 0, size - 1)], 0)

    if len(starts):
        _plain_candidates(a, starts, ends, lengths, byte_at, windows)
        card_runs = np.flatnonzero((lengths >= 14) & (lengths <= 19))[:MAX_PLAIN_CARDS]
        if len(card_runs):
            card_lengths = lengths[card_runs]
            issuer = _issuer_rows(_digits(a, starts[card_runs], 4), card_lengths)
            for length in np.unique(card_lengths[issuer]).tolist():
                d = _digits(a, starts[card_runs[issuer & (card_lengths == length)]], length)
                ok = _luhn_ok(d)
                bad_cards += int(len(ok) - ok.sum())
                # Distinct valid numbers as integers (19 digits fit in 64 bits).
                values = np.unique(_POWERS[-length:] @ d[:, ok].astype(np.uint64))
                room = max(0, MAX_DISTINCT - len(cards))
                cards += [str(value).zfill(length) for value in values[:room].tolist()]
                more_cards += max(0, len(values) - room)

    # Numbers in groups: a space or hyphen with a digit on each side, and the next such
    # separator where a card (4-4-4-x, Amex 4-6-5) or a resident ID (6-8-4) has it.
    np.equal(a, ord(" "), out=joins[:size])
    np.equal(a, ord("-"), out=seven[:size])  # the runs are read; its array is free again
    np.logical_or(joins[:size], seven[:size], out=joins[:size])
    np.logical_and(joins[1:size - 1], digit[:size - 2], out=joins[1:size - 1])
    np.logical_and(joins[1:size - 1], digit[2:size], out=joins[1:size - 1])
    joins[0] = joins[size - 1] = False
    joins[size:] = False
    separators = np.flatnonzero(joins[:size])
    if len(separators):
        def shaped(at: np.ndarray, groups: tuple[int, ...]) -> np.ndarray:
            """Separators at ``at`` that end a first group of groups[0] digits and start
            groups of groups[1:] digits, each followed by a joining separator but the last."""
            # The separators where the next ones must be come first: they rule out
            # nearly every place, so the digit checks run on few.
            position = 0
            for group in groups[1:]:
                position += group + 1
                at = at[joins[np.minimum(at + position, size + 7)]]
            first = groups[0]
            ok = (at - first - 1 < 0) | ~digit[np.maximum(at - first - 1, 0)]
            for back in range(2, first + 1):
                ok &= (at - back >= 0) & digit[np.maximum(at - back, 0)]
            position = 0
            for group in groups[1:]:
                for step in range(1, group + 1):
                    ok &= digit[np.minimum(at + position + step, size + 7)]
                position += group + 1
            return at[ok]

        four = shaped(separators, (4, 4, 4))
        amex = shaped(separators, (4, 6))
        resident = shaped(separators, (6, 8))
        # The window of a candidate ends just past its last possible digit.
        windows["card"] += np.minimum(four + 18, size).tolist()
        windows["card"] += np.minimum(amex + 13, size).tolist()
        windows["cn_id"] += np.minimum(resident + 14, size).tolist()
    return Candidates(windows, cards, bad_cards, more_cards)


def _plain_candidates(a: np.ndarray, starts: np.ndarray, ends: np.ndarray,
                      lengths: np.ndarray, byte_at: Callable[[np.ndarray], np.ndarray],
                      windows: dict[str, list[int]]) -> None:
    """Resident IDs and DNI/NIE among the runs of seven or more digits."""
    # Resident IDs: 18 digits, or 17 and X, with a date in the right place.
    seventeen = np.flatnonzero(lengths == 17)
    plain_id = np.concatenate((np.flatnonzero(lengths == 18),
                               seventeen[_CHECK_X[byte_at(ends[seventeen])]]))
    if len(plain_id):
        d = _digits(a, starts[plain_id] + 6, 8)  # the birth date, yyyymmdd
        year = d[0] * 1000 + d[1] * 100 + d[2] * 10 + d[3]
        month = d[4] * 10 + d[5]
        day = d[6] * 10 + d[7]
        dated = (year >= 1890) & (year <= 2100) & (month >= 1) & (month <= 12) \
            & (day >= 1) & (day <= 31)
        windows["cn_id"] += (ends[plain_id[dated]] + 1).tolist()
    # DNI (8 digits and a letter) and NIE (X/Y/Z, 7 digits, letter), maybe a hyphen.
    es_runs = np.flatnonzero(lengths <= 8)
    if len(es_runs):
        after = byte_at(ends[es_runs])
        letter = _LETTERS[after] | ((after == ord("-")) & _LETTERS[byte_at(ends[es_runs] + 1)])
        es = letter & ((lengths[es_runs] == 8) | _NIE_PREFIX[byte_at(starts[es_runs] - 1)])
        windows["es_id"] += (ends[es_runs[es]] + 2).tolist()
