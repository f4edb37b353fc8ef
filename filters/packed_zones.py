"""Time-zone tables in moment-timezone's packed form, taken from the judge of encoded text.

moment-timezone (https://momentjs.com/timezone/docs/#/data-formats/packed-format/) ships
the IANA time-zone database as one string a zone, ``name|abbreviations|offsets|indices|
untils|population`` (2019c adds the countries): offsets from UTC and the minutes between
transitions written as numbers in base 60 (digits ``0-9a-zA-X``, a leading ``-``, a
``.`` before a fraction), indices one base-60 digit each. Its web bundles and data files
hold hundreds of them, whose numbers ("1qM0 WM0 11A0") read as mixed tokens to the judge
in filters/embedded.py, which held every copy.

A zone string is taken from the judge only when it is what the format says: as many
abbreviations as offsets, every index naming one of them, one until fewer than the
indices, offsets within a day of UTC, transitions that follow each other between the
years 1800 and 2500. Base64, base32 or base85 put there is no such string (``+/=``,
``Y`` and ``Z`` are no base-60 digits; long groups overrun the years), nor are hex byte
pairs ("3f 0x4b", what the judge reads as a hex dump), and they are judged as before; hex
in wider groups of one width is read, and decoded when its bytes are text or a file. The
text itself, names and all, is read by the text rules like any other.
"""

from __future__ import annotations

import re

from filters.normalise import count_char

MIN_PIPES = 16  # four a zone: a text with fewer holds no table worth looking for
MAX_OFFSET = 24 * 60  # minutes from UTC
# Transitions in minutes from 1970: the database starts in the 1830s (local mean time)
# and moment's data runs no later than 2500.
EARLIEST, LATEST = -170 * 525_960, 530 * 525_960
HEX_PAIR_SHARE = 0.5  # of a zone's untils: at or above it they are hex bytes, not times
_NUMBER = r"-?[0-9a-zA-X]*(?:\.[0-9a-zA-X]+)?"
_ZONE = re.compile(
    r'"(?P<name>[A-Za-z][A-Za-z0-9_+\-/]*)'
    r"\|(?P<abbrs>[A-Za-z0-9+\-]+(?: [A-Za-z0-9+\-]+)*)"
    rf"\|(?P<offsets>{_NUMBER}(?: {_NUMBER})*)"
    r"\|(?P<indices>[0-9a-zA-X]+)"
    rf"\|(?P<untils>(?:{_NUMBER}(?: {_NUMBER})*)?)"
    # Later releases add the population (maybe empty) and, in 2019c, the countries.
    r"(?:\|(?P<population>[0-9]*(?:e[0-9]+)?)(?:\|(?P<countries>(?:[A-Z]{2}(?: [A-Z]{2})*)?))?)?"
    r'"')
_HEX_PAIR = re.compile(r"(?:0x)?[0-9A-Fa-f]{2}")
_HEX_GROUP = re.compile(r"[0-9A-Fa-f]+")


def base60(digit: str) -> int:
    """The value of one base-60 digit as moment-timezone writes it (0-9, a-z, A-X)."""
    code = ord(digit)
    return code - 87 if code > 96 else code - 29 if code > 64 else code - 48


def number(written: str) -> float:
    """The value of a base-60 number as moment-timezone writes it ("-2ldXH.Q")."""
    whole, _, fraction = written.lstrip("-").partition(".")
    value = 0.0
    for digit in whole:
        value = value * 60 + base60(digit)
    scale = 1 / 60
    for digit in fraction:
        value += base60(digit) * scale
        scale /= 60
    return -value if written.startswith("-") else value


def _holds_together(match: re.Match[str]) -> bool:
    abbrs = match["abbrs"].split(" ")
    offsets = match["offsets"].split(" ")
    untils = match["untils"].split(" ") if match["untils"] else []
    indices = match["indices"]
    if (len(abbrs) != len(offsets) or len(untils) != len(indices) - 1
            or any(not value.strip("-") for value in offsets + untils)
            or any(base60(digit) >= len(offsets) for digit in indices)
            or any(abs(number(value)) > MAX_OFFSET for value in offsets)):
        return False
    if untils and sum(1 for value in untils if _HEX_PAIR.fullmatch(value)) >= HEX_PAIR_SHARE * len(untils):
        return False
    at = 0.0
    for position, value in enumerate(untils):
        step = number(value)
        if position and step <= 0:
            return False  # after the first (a time), each until is the minutes since the last
        at += step
        if not EARLIEST <= at <= LATEST:
            return False
    return True


def shaped(text: str) -> list[re.Match[str]]:
    """The strings in ``text`` shaped like packed zones, whether or not they hold together."""
    if count_char(text, "|") < MIN_PIPES:
        return []
    return list(_ZONE.finditer(text))


def zone_spans(candidates: list[re.Match[str]]) -> list[tuple[int, int]]:
    """The spans of those of ``candidates`` (``shaped``) that are what the format says."""
    return [match.span() for match in candidates if _holds_together(match)]


def hex_written(found: list[re.Match[str]]) -> bytes:
    """The bytes that the untils of ``found`` (``shaped``) write when read as hex: of each string whose
    untils are all hex groups of one even width (what a dump prints, "504b 0304"), in
    order. Real untils mix widths ("1a00 1fA0 Wo0"), so this is nearly always empty; a
    caller decodes it only when it says what it is (filters/dump_content.py)."""
    out = bytearray()
    for match in found:
        untils = match["untils"].split(" ") if match["untils"] else []
        widths = {len(value) for value in untils}
        if len(widths) == 1 and not widths.pop() % 2 and all(_HEX_GROUP.fullmatch(v) for v in untils):
            out += bytes.fromhex("".join(untils))
    return bytes(out)
