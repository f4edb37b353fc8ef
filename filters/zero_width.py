"""Text written as zero-width characters: bits or digits as invisible format characters.

Zero-width steganography tools (Steganographr, the "unicode steganography" web pages,
zero-width libraries in JavaScript and Python) write a message as digits, one invisible
character per digit: binary with U+200B for 0 and U+200C for 1, eight or sixteen to a
character (its UTF-16 code unit), or with a third character (U+200D, U+2060) between
characters whose bits are not padded; base 4 or 5 with four or five invisibles. A reader
shows nothing, and the text rules, which drop such characters, see nothing either.

Ordinary text uses these characters one at a time (a joiner inside an emoji sequence or a
Persian word, a soft hyphen inside a word, a byte-order mark at a start), never MIN_RUN in
a row. A run that long, of two to six distinct characters, is read under the schemes such
tools use (each digit assignment, 7, 8 or 16 digits to a unit or units between separators),
and a reading is kept only when it says what it is (dump_content: text, or a file that
starts with its signature); else the run is left alone. Encrypted output (StegCloak's
default) reads as nothing and is not held.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator

from filters.dump_content import says_what_it_is

MIN_RUN = 16  # invisible characters in a row: two bytes' bits; ordinary text has one
MAX_SYMBOLS = 6  # distinct characters in a run read as digits (base 2-5 and a separator)
SAMPLE_UNITS = 96  # characters or bytes judged before a whole run is decoded
MAX_SEPARATED_DIGITS = 21  # a code point's bits, the widest unit between two separators
# Format characters that render as nothing (zero-width space and joiners, marks and
# embeddings of direction, word joiner and invisible operators, the byte-order mark),
# and others that render as nothing in a line: soft hyphen, combining grapheme joiner,
# Mongolian free variation selectors and vowel separator.
INVISIBLE = "\u00ad\u034f\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
# Their first bytes in UTF-8 (C2 AD, CD 8F, E1 A0 8x, E2 80 xx and E2 81 xx, EF BB BF).
_LEADS = (0xE2, 0xEF, 0xC2, 0xCD, 0xE1)
# The first character a set of its own: the search then skips, in C, every position
# that cannot start a run (a plain text of a megabyte costs about a millisecond).
_RUN = re.compile(f"[{INVISIBLE}][{INVISIBLE}]{{{MIN_RUN - 1},}}")


def _orders(symbols: list[str]) -> Iterator[tuple[str, ...]]:
    """Digit assignments to try, code-point order first (how the tools list their
    characters), then its reverse, then every other order for up to four symbols."""
    yield tuple(symbols)
    yield tuple(reversed(symbols))
    if len(symbols) <= 4:
        for order in itertools.permutations(symbols):
            if list(order) not in (symbols, symbols[::-1]):
                yield order


def _width(base: int, bits: int) -> int:
    """Digits of ``base`` needed for a unit of ``bits`` bits."""
    width = 1
    while base ** width < 1 << bits:
        width += 1
    return width


def _units(run: str, order: tuple[str, ...], width: int, limit: int | None) -> list[int]:
    digits = {symbol: value for value, symbol in enumerate(order)}
    base = len(order)
    stop = len(run) - len(run) % width
    if limit is not None:
        stop = min(stop, limit * width)
    values = []
    for at in range(0, stop, width):
        value = 0
        for char in run[at:at + width]:
            value = value * base + digits[char]
        values.append(value)
    return values


def _as_data(values: list[int], bits: int) -> bytes | None:
    """The bytes (8 or 7 bits a unit) or UTF-8 of the UTF-16 code units ``values`` write."""
    if bits == 16:
        if any(v > 0xFFFF for v in values):
            return None  # base 3 or 5 digits reach past a code unit
        raw = b"".join(v.to_bytes(2, "big") for v in values)
        return raw.decode("utf-16-be", "replace").encode("utf-8")
    if any(v > 255 for v in values):
        return None
    return bytes(values)


def _fixed(run: str, symbols: list[str]) -> Iterator[tuple[tuple[str, ...], int, bool]]:
    """(digit order, bits a unit, low bit first) of each fixed-width reading to try."""
    for order in _orders(symbols):
        for bits in (8, 16, 7):
            if bits == 7 and len(symbols) != 2:
                continue
            yield order, bits, False
        if len(symbols) == 2:
            yield order, 8, True  # some write a byte's bits low first


def _decode_fixed(run: str, order: tuple[str, ...], bits: int, low_first: bool,
                  limit: int | None) -> bytes | None:
    width = _width(len(order), bits)
    if len(run) < 2 * width:
        return None
    if low_first:
        run = "".join(run[at:at + width][::-1] for at in range(0, len(run) - width + 1, width))
    return _as_data(_units(run, order, width, limit), bits)


def _decode_separated(run: str, separator: str, order: tuple[str, ...],
                      limit: int | None) -> bytes | None:
    """Units between ``separator`` characters, each a number in base len(order), read as
    code points (bytes when all are below 256, as a byte's bits unpadded are)."""
    groups = [group for group in run.split(separator) if group]
    if limit is not None:
        groups = groups[:limit]
    if len(groups) < 2 or any(len(group) > MAX_SEPARATED_DIGITS for group in groups):
        return None
    digits = {symbol: value for value, symbol in enumerate(order)}
    values = []
    for group in groups:
        value = 0
        for char in group:
            value = value * len(order) + digits[char]
        values.append(value)
    if all(v < 256 for v in values):
        return bytes(values)
    if any(v > 0x10FFFF or 0xD800 <= v < 0xE000 for v in values):
        return None
    return "".join(map(chr, values)).encode("utf-8")


def _readings(run: str, symbols: list[str]
              ) -> Iterator[tuple[bytes | None, Callable[[], bytes | None]]]:
    """(sample decoded, how to decode the whole) of each scheme, most likely first."""
    for order, bits, low_first in _fixed(run, symbols):
        yield (_decode_fixed(run, order, bits, low_first, SAMPLE_UNITS),
               lambda o=order, b=bits, f=low_first: _decode_fixed(run, o, b, f, None))
    if len(symbols) >= 3:
        for separator in symbols:
            rest = [symbol for symbol in symbols if symbol != separator]
            for order in _orders(rest):
                yield (_decode_separated(run, separator, order, SAMPLE_UNITS),
                       lambda s=separator, o=order: _decode_separated(run, s, o, None))


def decode(run: str) -> bytes | None:
    """The text or file a run of invisible characters writes, or None when no scheme reads
    it as one."""
    counts: dict[str, int] = {}
    for char in run:
        counts[char] = counts.get(char, 0) + 1
    # A character found once, at the run's start or end, marks it (a terminator).
    for edge in (run[0], run[-1]):
        if counts.get(edge) == 1 and len(counts) > 2:
            run = run.strip(edge)
            del counts[edge]
    symbols = sorted(counts)
    if not 2 <= len(symbols) <= MAX_SYMBOLS:
        return None
    for sample, whole in _readings(run, symbols):
        if sample and says_what_it_is(sample):
            data = whole()
            if data:
                return data
    return None


def _may_hold_run(encoded: bytes) -> bool:
    """False when ``encoded`` (UTF-8) holds no MIN_RUN characters whose first bytes could
    be invisible ones within 3 bytes each: NumPy arithmetic on a long text, a few
    passes at memory speed (the expression costs 3-8 ms a megabyte of Persian or
    accented text, whose every character it tries)."""
    import numpy as np  # here, not at the top: a one-file scan of short mail never needs it

    codes = np.frombuffer(encoded, dtype=np.uint8)
    leads = codes == _LEADS[0]
    for lead in _LEADS[1:]:
        leads |= codes == lead
    where = np.flatnonzero(leads)
    reach = MIN_RUN - 1
    return where.size > reach and bool((where[reach:] - where[:-reach] <= 3 * reach).any())


def runs(text: str, encoded: bytes, vectors: bool = False
         ) -> Iterator[tuple[tuple[int, int], bytes]]:
    """((start, end) in ``text``, decoded bytes) of each run of MIN_RUN or more invisible
    characters that reads as text or a file; ``encoded`` is ``text`` in UTF-8, first
    tested by NumPy when ``vectors`` (a long text)."""
    if vectors and not _may_hold_run(encoded):
        return
    for match in _RUN.finditer(text):
        data = decode(match.group())
        if data is not None:
            yield match.span(), data
