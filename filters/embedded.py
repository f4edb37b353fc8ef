"""Files and text carried inside text: base64 values, data: URLs, long hex strings, hex dumps.

A JSON API call with ``{"file": "<base64 of a .docx>"}``, a ``data:…;base64,`` string
pasted into a mail, a form field sent with ``Content-Transfer-Encoding: base64``: the
text rules see only an opaque string, so the pipeline decodes such values from every
text part (mail bodies, upload fields, JSON, XML, document text alike) and inspects
what they hold as child parts. The search is bounded: values shorter than
MIN_BASE64_CHARS are left alone, at most MAX_PAYLOADS per text part are decoded, and
every decoded byte counts against the scan's expansion budget.

Short decoded values of no known type (keys, signatures, tokens, hashes) are searched
for text but never held as uninspectable; only a value of at least HOLD_BYTES that
still cannot be read is held, like an attachment would be.
"""

from __future__ import annotations

import base64
import binascii
import collections
import itertools
import json
import re
import sys
import zlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import unquote_to_bytes

from filters import (
    framed_encodings,
    invisible_bytes,
    number_lists,
    packed_zones,
    published_keys,
    unframed_encodings,
    zero_width,
)
from filters.dump_content import says_what_it_is
from filters.limits import Budget
from filters.normalise import count_char, utf8
from filters.normalise import digit_offsets as _digit_offsets
from filters.types import Part

if TYPE_CHECKING:
    import numpy as np

MIN_BASE64_CHARS = 40  # about 30 bytes: a short sentence; shorter runs are ordinary tokens
MIN_HEX_CHARS = 160  # longer than a SHA-512 digest (128)
MAX_PAYLOADS = 64
HOLD_BYTES = 16 * 1024
META_KEY = "embedded"
TEXT = "text"  # declared type of a payload that is text already

_B64 = r"A-Za-z0-9+/_\-"
# A run of base64 characters of at least MIN_BASE64_CHARS, and whole following lines of
# base64 (mail and PEM wrap at 64 or 76 characters). The lookahead keeps ordinary words
# from being matched one by one.
# Up to 6 "=" end a value: base32 pads its last group of 8 so.
_BASE64_RUN = re.compile(
    rf"(?<![{_B64}=])(?=[{_B64}]{{{MIN_BASE64_CHARS}}})[{_B64}]+={{0,6}}"
    rf"(?:\r?\n[ \t]*[{_B64}]+={{0,6}}(?=[ \t]*\r?\n|[ \t]*$|[\"'<,;)\]}}]))*")
_HEX_RUN = re.compile(rf"(?<![0-9A-Za-z])(?=[0-9a-fA-F]{{{MIN_HEX_CHARS}}})[0-9a-fA-F]+(?![0-9A-Za-z])")
# Quoted-printable nobody declared (RFC 2045 6.7): bytes written as "=4B" escapes, lines
# ended by a soft break ("=" then the line end). A run of MIN_QP_ESCAPES escapes in a row is
# read back: QP escapes only what is not printable ASCII, so such a run is text in another
# script (=E6=9C=BA=E5=AF=86) or bytes escaped on purpose to be unreadable.
MIN_QP_ESCAPES = 6
QP_JOIN = 200
_QP_RUN = re.compile(rf"(?:=[0-9A-Fa-f]{{2}}(?:=\r?\n)?){{{MIN_QP_ESCAPES},}}")
# ASCII armour of an encrypted message (OpenPGP, RFC 4880 6.2, also split in parts; age):
# its label says what the base64 holds, so a message pasted into a mail is held as
# encrypted however short it is. A clear-signed text (BEGIN PGP SIGNED MESSAGE) is text.
_ARMOUR = re.compile(r"-----BEGIN (?P<label>PGP MESSAGE(?:, PART \d+(?:/\d+)?)?|AGE ENCRYPTED FILE)-----")
ARMOURED_TYPES = {"PGP": "application/pgp-encrypted", "AGE": "application/x-age-encrypted"}
# A label is a message when base64 stands between it and its end line, or, with no end
# line (a message cut off), the next label or the end of the text. A label with no base64
# after it names the format: shared-mime-info's mime.cache keeps "-----BEGIN PGP
# MESSAGE-----" as a magic string, followed by other labels and binary. The text after
# such a label is left to the searches below like any other.
_ARMOUR_LINE = re.compile(r"^[ \t]*[A-Za-z0-9+/]{4,}={0,2}[ \t]*\r?$", re.MULTILINE)
# A PEM certificate whose body is base64 lines and nothing else: one of the trust stores'
# (``published_keys.published_certificate``) is public and left out of every search; any
# other is left to the base64 search below, as before.
_CERTIFICATE = re.compile(
    r"-----BEGIN CERTIFICATE-----(?P<body>[A-Za-z0-9+/=\s]*?)-----END CERTIFICATE-----")
_DATA_URL = re.compile(
    r"data:(?P<type>[\w.+-]+/[\w.+-]+)?(?P<params>(?:;[\w.+-]+=[^;,\s\"'<>]*)*)"
    r"(?P<b64>;base64)?,(?P<data>[A-Za-z0-9+/=_%.!~*'()\-]*)", re.IGNORECASE)


def _armoured(body: str) -> bytes:
    """The bytes an armour's body encodes: its header lines and checksum line left out."""
    lines = [line.strip() for line in body.strip().splitlines()]
    if any(":" in line for line in lines):  # header lines, then a blank line (RFC 4880 6.2)
        while lines and lines[0]:
            lines.pop(0)
    encoded = "".join(line for line in lines if not line.startswith("="))
    return _base64(encoded) or body.encode("ascii", "replace")


def _armours(text: str) -> Iterator[tuple[tuple[int, int], str, str]]:
    """(span, label, body) of each armoured message in ``text`` (see _ARMOUR_LINE)."""
    at = 0
    unended: set[str] = set()  # labels with no end line further on: not searched again
    while (match := _ARMOUR.search(text, at)) is not None:
        label = match.group("label")
        end_line = f"-----END {label}-----"
        end = -1 if label in unended else text.find(end_line, match.end())
        if end < 0:
            unended.add(label)
        if end >= 0:
            body, at = text[match.end():end], end + len(end_line)
        else:
            following = text.find("-----BEGIN ", match.end())
            at = len(text) if following < 0 else following
            body = text[match.end():at]
        if _ARMOUR_LINE.search(body):
            yield (match.start(), at), label, body


def _published_certificate(body: str) -> bool:
    """Whether a PEM certificate's ``body`` is exactly the base64 of a certificate of the
    trust stores: any other character or a different encoding of the bytes is not."""
    der = _base64(body)
    return bool(der) and (
        binascii.b2a_base64(der, newline=False).decode("ascii") == re.sub(r"\s+", "", body)
        and published_keys.published_certificate(der))


def _base64(text: str) -> bytes | None:
    # Blanks and anything beyond printable ASCII dropped, as a2b_base64 drops any other
    # character outside its alphabet: it refuses a str with non-ASCII in it (a data URL's
    # "%C3%BC", a cut-off armour running into "Grüße"), which failed the whole part.
    clean = re.sub(r"[^!-~]+", "", text).replace("-", "+").replace("_", "/").rstrip("=")
    clean = clean.split("=", 1)[0]
    if len(clean) % 4 == 1:
        clean = clean[:-1]  # a cut-off final character carries no whole byte
    try:
        return binascii.a2b_base64(clean + "=" * (-len(clean) % 4))
    except binascii.Error:
        return None


# Base32 (RFC 4648: A-Z and 2-7) and base32hex (0-9 and A-V) are base64 characters too: a
# run of capitals and digits only (or small letters and digits) is also read as either,
# and taken as such when the bytes say what they are (base64 of a file or of text is
# never in one case).
_UPPER_AND_DIGITS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_BASE32_ALPHABETS = (("base32", frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), base64.b32decode),
                     ("base32hex", frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUV"), base64.b32hexdecode))
BASE32_SAMPLE_CHARS = 8 * 200  # 1,000 bytes judged before the whole value is decoded


def _base32_whole(clean: str, decode: Callable[[str], bytes]) -> bytes | None:
    cut = len(clean) - len(clean) % 8
    rest = clean[cut:]
    # A final group of 1, 3 or 6 characters carries no whole last byte: dropped.
    rest = rest[:max(n for n in (0, 2, 4, 5, 7) if n <= len(rest))]
    try:
        return decode(clean[:cut] + rest + "=" * (-len(rest) % 8))
    except (binascii.Error, ValueError):
        return None


def _base32(value: str) -> tuple[str, bytes] | None:
    """(alphabet name, bytes) of ``value`` read as base32 or base32hex when it is written
    in capitals and digits only and the bytes say what they are (a file's signature, or
    text); else None."""
    head = value[:BASE32_SAMPLE_CHARS * 2].encode("ascii", "replace")
    if head.upper().translate(None, _UPPER_AND_DIGITS + b"= \t\r\n"):
        return None  # told from base64 on its first characters, at memory speed
    clean = re.sub(r"\s+", "", value).rstrip("=")
    if clean.islower():  # written in small letters (as onion addresses are): the same code
        clean = clean.upper()
    if clean.encode("ascii", "replace").translate(None, _UPPER_AND_DIGITS):
        return None
    used = set(clean[:BASE32_SAMPLE_CHARS])
    for name, alphabet, decode in _BASE32_ALPHABETS:
        if used <= alphabet:
            head = _base32_whole(clean[:BASE32_SAMPLE_CHARS], decode)
            if head and says_what_it_is(head) and (whole := _base32_whole(clean, decode)):
                return name, whole
    return None


# At least one character in this many of an encoded value is a digit (one in six is usual).
DIGIT_SHARE = 20
# Two digits of an encoded value are never further apart than this: a value of L >= 38
# characters (MIN_BASE64_CHARS less two "=") holds k >= max(2, L / DIGIT_SHARE) digits,
# so two of them are at most (L - 1) / (k - 1) < MIN_BASE64_CHARS apart.
DIGIT_GAP = MIN_BASE64_CHARS - 1


def _digits_close(encoded: bytes) -> bool:
    """True when two ASCII digits of ``encoded`` are at most DIGIT_GAP bytes apart.

    Every value ``_looks_encoded`` accepts has such a pair (its characters are ASCII, so
    bytes count as characters): a text without one holds no base64 value, however long
    its runs of base64 characters are (numbered lines of one letter, long identifiers),
    and is settled at memory speed instead of by the run expression, line by line.
    """
    # NumPy here, not at the top: a one-file scan of plain mail has no such run and
    # would pay its import (about 0.1 s of CPU) at every start.
    import numpy as np

    where = _digit_offsets(encoded)
    return where.size >= 2 and int(np.diff(where).min()) <= DIGIT_GAP


def _digit_mask(codes: np.ndarray) -> np.ndarray:
    """Where ``codes`` (bytes as a NumPy uint8 array) holds an ASCII digit: one subtraction
    that wraps below "0" and one comparison, a tenth of a table translation's time (the
    comparison written over the difference: one new array, not two)."""
    import numpy as np

    mask = codes - 0x30
    return np.less(mask, 10, out=mask.view(np.bool_))


def _may_hold_hex_run(encoded: bytes) -> bool:
    """False when ``encoded`` holds no run of MIN_HEX_CHARS hex digits: then no block of
    MIN_HEX_CHARS // 2 bytes, aligned to the start, is hex digits throughout (any run that
    long holds a whole such block). NumPy arithmetic, no table translation."""
    import numpy as np

    block = MIN_HEX_CHARS // 2
    whole = len(encoded) // block * block
    if not whole:
        return False
    # Every fourth of a block's bytes first: a run that long holds four consecutive of
    # them (a tenth of the work; lines of letters after a line number have none).
    step = MIN_HEX_CHARS // 4
    samples = np.frombuffer(encoded, dtype=np.uint8)[::step] | 0x20
    hex_samples = ((samples - 0x61) < 6) | ((samples - 0x30) < 10)  # the case bit: digits stay
    if not bool((hex_samples[:-3] & hex_samples[1:-2] & hex_samples[2:-1] & hex_samples[3:]).any()):
        return False
    codes = np.frombuffer(encoded, dtype=np.uint8, count=whole)
    # "a"-"f" and "A"-"F": the case bit set, then a wrapping subtraction, written in place.
    letters = codes | 0x20
    np.subtract(letters, 0x61, out=letters)
    hexes = np.less(letters, 6, out=letters.view(np.bool_))
    np.logical_or(hexes, _digit_mask(codes), out=hexes)
    return bool(hexes.reshape(-1, block).all(axis=1).any())


def _looks_encoded(run: str) -> bool:
    """True when ``run`` reads like base64 rather than a long identifier or a path.

    In base64 every character is about equally likely: digits are about one in six and
    "/", "+", "-" or "_" about one in thirty. A patch name (``01-fix-parsing-of-…``) or a
    path (``doc/contributing/…``) has separators every few characters; a long word or
    CamelCase name has no digits.
    """
    body = run.rstrip("=").encode("ascii", "replace")  # a run is base64 characters only
    # Counted at memory speed: a run can be a megabyte (a pasted file, a line of filler);
    # the digits first, as they settle most runs that are not base64.
    digits = len(body) - len(body.translate(None, b"0123456789"))
    if digits * DIGIT_SHARE < len(body):
        return False
    separators = sum(body.count(c) for c in (b"/", b"+", b"-", b"_"))
    return separators * 12 <= len(body) and body != body.lower()


# Base64 characters to "a", everything else to a blank (and hex digits to "h"): a run of
# MIN_BASE64_CHARS "a"s is then found at memory speed, before any regular expression runs
# (most text has none). Each search below runs only where its own run or mark is present:
# tried at every character of a megabyte, the data: URL and hex expressions cost ten times
# what finding that there is nothing for them takes.
_RUN_TABLE = bytes(0x61 if b < 128 and (chr(b).isalnum() or chr(b) in "+/_-") else 0x20
                   for b in range(256))
_RUN_NEEDLE = b"a" * MIN_BASE64_CHARS
_HEX_TABLE = bytes(0x68 if b < 128 and chr(b) in "0123456789abcdefABCDEF" else 0x20
                   for b in range(256))
_HEX_NEEDLE = b"h" * MIN_HEX_CHARS
_LONG_RUN_NEEDLE = b"a" * MIN_HEX_CHARS


# Texts from this size on are first tested by NumPy arithmetic (``_searches``); a shorter
# one is translated at once, as NumPy's set-up (and import) costs more than it saves.
_VECTOR_BYTES = 16 * 1024


# A stretch of one character this long is filler (a line of "X"s, of "="s), never part of
# an encoded value: base64 of a file repeats a character this often only where the file
# has a run of zeros, and such a value looks encoded as a whole.
FILLER_CHARS = 16
_FILLER = re.compile(rf"(.)\1{{{FILLER_CHARS - 1},}}")


def _between_filler(run: str) -> Iterator[str]:
    """The values between the filler of a run that does not look encoded as a whole.

    Base64 written straight after lines of one repeated character (or after a long
    stretch of one on the same line) joins them in one run, and the filler dilutes the
    counts that tell base64 from words: the pieces between filler stretches are judged
    on their own. At memory speed first: with the run's most common character taken
    out, a piece can look encoded only if an upper-case letter is left, and none is in
    a body of one letter and line numbers.
    """
    if len(run) < MIN_BASE64_CHARS + FILLER_CHARS:
        return
    probes = run[:: max(1, len(run) // 32)]  # filler fills most of such a run
    common = max(set(probes), key=probes.count).encode("ascii", "replace")
    rest = run.encode("ascii", "replace").translate(None, common)
    if rest == rest.lower():
        return
    group: list[str] = []
    for line in run.split("\n"):
        pieces = _FILLER.sub("\x00", line).split("\x00")  # a run holds no NUL
        if len(pieces) == 1:
            group.append(line)
            continue
        group.append(pieces[0])
        yield from _long_enough(["\n".join(group), *pieces[1:-1]])
        group = [pieces[-1]]
    yield from _long_enough(["\n".join(group)])


def _long_enough(values: list[str]) -> Iterator[str]:
    for value in values:
        value = value.strip()
        if len(value) >= MIN_BASE64_CHARS:
            yield value


class _Searches(NamedTuple):
    """Which searches can find anything in a text."""

    armour: bool
    data_urls: bool
    base64: bool
    hex: bool
    framed: bool  # a frame of uuencode, yEnc or ascii85 may start (framed_encodings)


def _vectors(length: int) -> bool:
    """Whether a text of ``length`` bytes is tested by NumPy arithmetic: when NumPy is
    loaded already (it is then faster from _VECTOR_BYTES on), or the text is long enough
    to repay its import (about 0.1 s of CPU, which a one-mail redline scan would pay for
    a 20 KB mail). Either way the answers are the same."""
    return length >= NUMPY_CHARS or (length >= _VECTOR_BYTES and "numpy" in sys.modules)


def _holds(encoded: bytes, needle: bytes, anchor: int, fold: bool = False) -> bool:
    """``needle in encoded`` (``fold``: ``needle in encoded.lower()``, ``needle`` in lower
    case) for a long text: from each place of the needle's byte at ``anchor`` (a rare
    one), the other bytes compared by NumPy. A search for the whole needle, or the copy
    lower() makes, took 0.3 ms a megabyte; this takes a third of that."""
    import numpy as np  # as in _digits_close

    codes = np.frombuffer(encoded, dtype=np.uint8)
    at = np.flatnonzero(codes == needle[anchor])
    if at.size * 16 > codes.size:  # a common byte after all: the plain search is quicker
        return needle in (encoded.lower() if fold else encoded)
    at = at[(at >= anchor) & (at <= codes.size - len(needle) + anchor)]
    for offset, byte in enumerate(needle):
        if offset == anchor or not at.size:
            continue
        found = codes[at + (offset - anchor)]
        # The case bit: an ASCII letter either way (bytes.lower() changes nothing else).
        at = at[(found | 0x20 == byte) if fold and byte in _LOWER_LETTERS else found == byte]
    return bool(at.size)


_LOWER_LETTERS = frozenset(range(0x61, 0x7B))


def _searches(text: str) -> _Searches:
    encoded = utf8(text)
    vectors = _vectors(len(encoded))
    # "data:" in any case: the data: URL expression ignores case. A hex run is a run of
    # base64 characters too, so it is looked for only where one is.
    data_urls = b":" in encoded and (  # memchr, then a count or one copy
        _holds(encoded, b"data:", 4, fold=True) if vectors else b"data:" in encoded.lower())
    # memchr for a "-" first: the search for the whole mark took 0.27 ms a megabyte.
    armour = b"-" in encoded and (_holds(encoded, b"-----BEGIN ", 5) if vectors
                                  else b"-----BEGIN " in encoded)
    # Framed encodings' openings, each found from a rare byte (memchr, or NumPy from the
    # "g" of "begin "): their three searches for whole openings took 1.7 ms a megabyte.
    framed = ((b"~" in encoded and b"<~" in encoded)
              or (b"=" in encoded and b"=ybegin" in encoded)
              or (_holds(encoded, b"begin ", 2) if vectors else b"begin " in encoded))
    close: bool | None = None  # two digits close together (``_digits_close``), once known
    if vectors:
        # A base64 value needs two digits close together, a hex run a block of hex
        # digits: both told by NumPy arithmetic, and most long text (prose, lines of one
        # letter) has neither, so it is never translated to runs at all (a megabyte's
        # translation took longer than both tests).
        close = _digits_close(encoded)
        if not close and not _may_hold_hex_run(encoded):
            return _Searches(armour, data_urls, False, False, framed)
    runs = encoded.translate(_RUN_TABLE)
    run = runs.find(_RUN_NEEDLE) >= 0
    # A hex run is a run of base64 characters at least MIN_HEX_CHARS long: without one
    # (lines of ordinary width) the hex table is not applied at all.
    hex_run = (run and runs.find(_LONG_RUN_NEEDLE) >= 0
               and encoded.translate(_HEX_TABLE).find(_HEX_NEEDLE) >= 0)
    base64 = run and (close if close is not None else _digits_close(encoded))
    return _Searches(armour, data_urls, base64, hex_run, framed)


# Characters written as code points: glibc's <U20AC>, Unicode's U+20AC, escapes (\u20ac),
# glyph names (uni20AC) and C tables (0x20ac). Code-point tables (locale and charset
# data, font coverage lists, codec sources) are thousands of them, which read as mixed
# tokens to the judge below. They are decoded into text, whose markings are searched,
# by groups of CODEPOINT_GROUP that stand for characters: within a few blocks of 256 (a
# script or two, a table's rows) and few control characters. Bytes of a file dressed as
# code points spread over the whole range, or hold a control character in four as
# U+0000-U+00FF, and are left to the judge below.
# Without a look-behind the expression is tried only where a mark starts (4x faster).
_CODEPOINT = re.compile(r"(?:<U|U\+|\\[uU]|uni|0x)([0-9A-Fa-f]{4,8})(?![0-9A-Za-z])")
_CODEPOINT_MARKS = ("<U", "U+", "\\u", "\\U", "uni", "0x")
# The marks by first byte: the bytes each later character may be ("\\u" and "\\U" share one).
_CODEPOINT_FOLLOWS = ((ord("<"), ((ord("U"),),)), (ord("U"), ((ord("+"),),)),
                      (ord("\\"), ((ord("u"), ord("U")),)),
                      (ord("u"), ((ord("n"),), (ord("i"),))), (ord("0"), ((ord("x"),),)))
CODEPOINT_GROUP = 64
CODEPOINT_DENSITY = 256  # searched with a mark per this many characters (DejaVu: 126)
CODEPOINT_PAGES = 16  # at most this many blocks of 256 in a group
# A group whose code points rise all the way (a character class of glibc's i18n_ctype:
# "<U00011600>..<U0001163E>;<U00011640>;…", ranges of astral scripts in order) may spread
# over twice as many blocks. Rising values say less than values in any order do: 64
# rising ones in 32 blocks can be chosen about 2^805 ways, 64 in any order in 16 blocks
# 2^917, so no more is let through than the test above lets through already.
CODEPOINT_RISING_PAGES = 2 * CODEPOINT_PAGES
CODEPOINT_CONTROLS = 8  # at most this many control characters in a group
_CONTROLS = frozenset(range(0x20)) - {0x09, 0x0A, 0x0D} | frozenset(range(0x7F, 0xA0))


# Scripts of thousands of letters, each read as one block of 256 by the test above: a
# table of hanja in reading order (a Korean charmap, a locale's collation) spreads over
# 82 blocks of CJK ideographs, and a charset's table of Hangul syllables over 44. Values
# dressed as such letters decode into ideographs or syllables, which Redline reads as it
# reads the same text written as UTF-8: no more is let through than plain text lets.
_LARGE_SCRIPTS = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xAC00, 0xD7A3), (0xF900, 0xFAFF),
                  (0x20000, 0x3134F))


def _page(value: int) -> int:
    """The block of 256 ``value`` stands in, a large script's (_LARGE_SCRIPTS) as one."""
    for index, (low, high) in enumerate(_LARGE_SCRIPTS):
        if low <= value <= high:
            return -1 - index
    return value >> 8


def _codepoint_marks(text: str) -> int:
    """How many code-point marks (_CODEPOINT_MARKS) ``text`` holds."""
    return _count_marks(text, _CODEPOINT_MARKS, _CODEPOINT_FOLLOWS)


def _count_marks(text: str, marks: tuple[str, ...],
                 follows: tuple[tuple[int, tuple[tuple[int, ...], ...]], ...]) -> int:
    """``sum(map(text.count, marks))`` for ASCII ``marks`` that never overlap themselves;
    ``follows`` gives them by first byte, with the bytes each later character may be.

    str.count of a needle of two or three characters ran at 3 ms a megabyte (18 ms for
    the six code-point marks of a 1 MB mail, more than the rest of its scan): a long text
    is counted by NumPy instead, from the offsets of each mark's first character in its
    UTF-8 (ASCII bytes in UTF-8 are ASCII characters, so the counts are str.count's).
    """
    if not _vectors(len(text)):
        return sum(map(text.count, marks))
    import numpy as np  # as in _digits_close

    encoded = utf8(text)
    codes = np.frombuffer(encoded, dtype=np.uint8)
    total = 0
    for first, later in follows:
        if bytes((first,)) not in encoded:  # memchr: no array made for an absent byte
            continue
        at = np.flatnonzero(codes[:codes.size - len(later)] == first)
        if not at.size:
            continue
        hit = _among(codes[at + 1], later[0])
        for offset, wanted in enumerate(later[1:], 2):
            hit &= _among(codes[at + offset], wanted)
        total += int(np.count_nonzero(hit))
    return total


def _among(codes: np.ndarray, wanted: tuple[int, ...]) -> np.ndarray:
    """``np.isin(codes, wanted)`` for one or two bytes: a comparison each, a fifth of
    isin's time (which sorts)."""
    hit = codes == wanted[0]
    for byte in wanted[1:]:
        hit |= codes == byte
    return hit


def _codepoint_marks_at_most(text: str) -> int:
    """At least as many as ``_codepoint_marks(text)``: each mark holds one of '<', '+',
    a backslash or 'x' once, or is "uni". A count of one character is a third of one of
    two (8 us for 10 KB), and prose has few of these four: each is counted only when
    memchr finds one (``count_char``)."""
    return (count_char(text, "<") + count_char(text, "+") + count_char(text, "\\")
            + count_char(text, "x") + (text.count("uni") if "u" in text else 0))


_UNI = (("uni",), ((ord("u"), ((ord("n"),), (ord("i"),))),))


def _codepoint_marks_bound(text: str) -> int:
    """At least as many as ``_codepoint_marks(text)`` for a long text, as
    ``_codepoint_marks_at_most`` bounds it, each sign counted by NumPy: the counts of
    each mark's first byte (a "0" in every figure, a "u" in every tenth word) took a
    megabyte of prose or of a table 1-2 ms, and most such text has few of the four."""
    return (count_char(text, "<") + count_char(text, "+") + count_char(text, "\\")
            + count_char(text, "x") + _count_marks(text, *_UNI))


def _codepoints(text: str, spans: list[tuple[int, int]]) -> str:
    """The text that the groups of code points in ``text`` which stand for characters
    write ('' if none); ``spans`` gets the stretch of each code point decoded."""
    # Counted first, at memory speed: a table has a mark every few characters, prose and
    # program source far fewer ("unit", "0x1f"), and are not searched. A text NumPy does
    # not count is bounded first: the six exact counts took 47 us of a 10 KB mail.
    if len(text) < UNREAD_HOLD_CHARS or (
            not _vectors(len(text)) and _codepoint_marks_at_most(text) * CODEPOINT_DENSITY < len(text)):
        return ""
    if _vectors(len(text)) and _codepoint_marks_bound(text) * CODEPOINT_DENSITY < len(text):
        return ""
    if _codepoint_marks(text) * CODEPOINT_DENSITY < len(text):
        return ""
    found = [(m.span(), value) for m in _CODEPOINT.finditer(text)
             if (value := int(m.group(1), 16)) <= 0x10FFFF
             # "uni" and "0x" start a token ("community0x1234" is no code point).
             and not (m.group()[0] in "u0" and m.start() and text[m.start() - 1].isalnum())]
    out = []
    for at in range(0, len(found), CODEPOINT_GROUP):
        group = found[at:at + CODEPOINT_GROUP]
        values = [v for _, v in group]
        pages = len({_page(v) for v in values})
        if (len(group) < CODEPOINT_GROUP // 4 or pages > CODEPOINT_RISING_PAGES
                or (pages > CODEPOINT_PAGES and not _rising(values))
                or sum(v in _CONTROLS for v in values) > CODEPOINT_CONTROLS):
            continue
        spans.extend(span for span, _ in group)
        out.append("".join("\ufffd" if 0xD800 <= v <= 0xDFFF else chr(v) for v in values))
    return "".join(out)


def _rising(values: list[int]) -> bool:
    """Whether each of ``values`` is above the one before it."""
    return all(a < b for a, b in itertools.pairwise(values))


# Bytes written as glibc's charmap escapes (its <escape_char> is "/": "/xd0/xa1"), the
# byte column of a charset's table beside each character's code point, or as C, Perl
# and Python escapes ("\\xE1\\xBA\\x98": a character's UTF-8 in Perl's case tables).
# A table has one every few characters; their bytes, joined in the order written, are
# decoded and typed like any embedded value: a charset's table is its byte sequences in
# order (highly regular, as text), and a file so written is opened or judged as that file.
_SLASH_ESCAPES = re.compile(r"(?:[/\\]x[0-9a-fA-F]{2})+(?![0-9a-fA-F])")
SLASH_ESCAPE_DENSITY = 64  # searched in a text with a "/x" per this many characters
SLASH_ESCAPE_STEPS = 0.1  # steps of a charset's table pack to 0.01-0.06; random runs to 0.25 and more


def _slash_escapes(text: str, spans: list[tuple[int, int]]) -> bytes:
    """The bytes the "/xNN" escapes of ``text`` write (b'' if it has too few); ``spans``
    gets the stretch of each run decoded."""
    # Each escape holds an "x": a text with few of them (prose, lines of capitals) is
    # settled by one count at memory speed (the two counts of a two-character needle
    # took 1.5 ms a megabyte).
    if len(text) < UNREAD_HOLD_CHARS or count_char(text, "x") * SLASH_ESCAPE_DENSITY < len(text) or (
            text.count("/x") + text.count("\\x")) * SLASH_ESCAPE_DENSITY < len(text):
        return b""
    runs = [(match.span(), bytes.fromhex(match.group().replace("/x", "").replace("\\x", "")))
            for match in _SLASH_ESCAPES.finditer(text)]
    out = b"".join(run for _, run in runs)
    # Taken from the judge only when what they write is text, a file's start, or a table
    # of byte sequences in order (a charset's: the steps from each sequence to the next,
    # mostly 1, pack to almost nothing). Anything else so written, random bytes or data
    # hidden in the steps, is left to the judge: a small decoded value is not judged itself.
    if not out or not (_file_starts(bytearray(out[:LOW_FIRST_REACH])) or _plain_text(out)
                       or _ordered_runs([run for _, run in runs])):
        return b""
    spans.extend(span for span, _ in runs)
    return out


def _plain_text(data: bytes) -> bool:
    """Whether ``data`` is UTF-8 text without control characters but line ends and tabs."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any(ord(c) < 0x20 and c not in "\t\n\r" for c in text)


def _ordered_runs(runs: list[bytes]) -> bool:
    """Whether ``runs``, read as big-endian numbers, step from one to the next in steps
    that zlib packs to SLASH_ESCAPE_STEPS of their size or less (a table in order)."""
    numbers = [int.from_bytes(run[:8], "big") for run in runs]
    steps = b"".join(((b - a) & 0xFFFFFFFFFFFFFFFF).to_bytes(8, "big")
                     for a, b in itertools.pairwise(numbers))
    return len(steps) >= 64 and len(zlib.compress(steps, 1)) <= SLASH_ESCAPE_STEPS * len(steps)


# -- hex dumps ----------------------------------------------------------------------------
#
# What xxd, xxd -p, hexdump (-C), od -x / -tx1 and hand-made "hex in groups" print: lines
# of hex groups of one width (2, 4 or 8 digits, or one continuous run a line), maybe after
# an offset column (hex or octal, with or without a colon) and before an ASCII column
# (between "|" or after two spaces). A dump is decoded into its bytes and inspected like
# any embedded value. The offsets, when present, must advance by the bytes of each line:
# that tells an offset column from a first group, and a dump from a table of figures.

DUMP_WIDTHS = (2, 4, 8)
# Groups of another even width (6, 10, 12, ... up to MAX_GROUP_CHARS digits) are no dump
# a tool writes, but hex all the same: read when the bytes say what they are (lists of
# colours or ids of 6 or 12 digits decode to noise and stay text).
MAX_GROUP_CHARS = 16
OTHER_WIDTHS = tuple(w for w in range(6, MAX_GROUP_CHARS + 1, 2) if w not in DUMP_WIDTHS)
# A continuous line of one of these lengths is a digest (MD5, SHA-1, SHA-224, SHA-256,
# SHA-384, SHA-512): lists of them are hashes, not a dump.
DIGEST_CHARS = frozenset((32, 40, 56, 64, 96, 128))
MIN_DUMP_LINE_CHARS = 32  # a continuous dump line (xxd -p: 60)
MIN_OFFSET_DIGITS = 4  # xxd writes 8, od 7, od -Ax 6
DUMP_LETTERED = 4  # at least one group in this many has a letter (random bytes: 3 in 5)
_HEX_CHARS = frozenset("0123456789abcdefABCDEF")
_TOKEN = re.compile(r"\S+")
# Where a dump may start, on the translation by _DUMP_TABLE: hex digits to "h", blanks
# to " ", line ends to "n", everything else to "x". Text without one of these has no dump
# and is not read line by line (a digest in a log line is no continuous dump line: those
# start a line).
_DUMP_TABLE = bytes(0x68 if b < 128 and chr(b) in "0123456789abcdefABCDEF"
                    else 0x20 if b in (0x20, 0x09) else 0x6E if b in (0x0A, 0x0D) else 0x78
                    for b in range(256))
# Groups of 8 ("hhhhhhhh hhhhhhhh") need no needle of their own: they hold the last one.
_DUMP_NEEDLES = (b"hh hh hh hh hh hh", b"hhhh hhhh hhhh hhhh",
                 b"n" + b"h" * MIN_DUMP_LINE_CHARS,
                 b"hhhhhh hhhhhh")  # two groups of any of OTHER_WIDTHS (and wider) hold it
# A continuous dump line indented (pasted into a mail as a quote or a code block): the
# expression runs only where a blank is followed by such a run (a digest in a log line).
_INDENTED_NEEDLE = b" " + b"h" * MIN_DUMP_LINE_CHARS
_INDENTED_RUN = re.compile(b"n +h{%d}" % MIN_DUMP_LINE_CHARS)


def _is_hex(token: str) -> bool:
    return bool(token) and set(token) <= _HEX_CHARS


class _DumpLine(NamedTuple):
    start: int  # where the line starts in the text
    end: int
    tokens: list[str]  # the hex tokens: an offset maybe, then the groups
    colon: bool  # the first token is an offset written with a colon (xxd)
    ascii: bool  # an ASCII column follows
    repeat: bool  # a "*" line: the line above repeats up to the next offset


def _dump_line(line: str, start: int) -> _DumpLine | None:
    """The hex tokens of one line of a dump, or None when the line is not one."""
    stripped = line.strip()
    if stripped == "*":
        return _DumpLine(start, start + len(line), [], False, False, True)
    # hexdump -C's ASCII column, "  |...|" (a "|" inside xxd's column is a byte).
    bar = line.find("  |")
    if bar >= 0 and not line.rstrip().endswith("|"):
        bar = -1
    body = line if bar < 0 else line[:bar]
    # Tokens are taken one by one: a line of prose is told from a dump by its first word
    # or two, and a text with a table of figures in it has every line looked at.
    found = _TOKEN.finditer(body)
    first = next(found, None)
    if first is None:
        return None
    first_token = first.group()
    colon = first_token.endswith(":") and _is_hex(first_token[:-1])
    tokens: list[str] = [first_token[:-1]] if colon else []
    ascii = bar >= 0
    end = first.end()
    for match in found if colon else itertools.chain((first,), found):
        at, token = match.start(), match.group()
        gap = at - end
        if bar < 0 and gap >= 2 and len(tokens) >= 2:
            ascii = True  # xxd's ASCII column: two blanks after the groups
            break
        if not _is_hex(token) or gap > 2:  # hexdump -C: two blanks after 8 bytes
            return None
        tokens.append(token)
        end = at + len(token)
    if not tokens:
        return None
    return _DumpLine(start, start + len(line), tokens, colon, ascii, False)


def _dump_bytes(block: list[_DumpLine]) -> bytes | None:
    """The bytes a block of dump lines writes, or None when the block is not a dump."""
    lines = [line for line in block if not line.repeat]
    colon = all(line.colon for line in lines)
    for base in (16, 8) if not colon else (16,):
        data = _offset_dump(block, base)
        if data is not None:
            return data
        if colon:
            return None
    if any(line.colon or line.repeat for line in block):
        return None
    groups = [token for line in lines for token in line.tokens]
    if all(len(line.tokens) == 1 for line in lines):  # continuous: xxd -p
        if any(line.ascii for line in lines):
            return None
        widths = {len(token) for token in groups[:-1]}
        width = widths.pop() if len(widths) == 1 else len(groups[-1]) if not widths else 0
        if width < MIN_DUMP_LINE_CHARS or width % 2:
            return None
        data = _hex_groups(groups, width)
        # Lines the length of a digest are a list of hashes unless their bytes are text
        # or a file (xxd -p -c 32 writes lines of 64 digits).
        return data if width not in DIGEST_CHARS or (data and says_what_it_is(data)) else None
    width = collections.Counter(len(token) for token in groups).most_common(1)[0][0]
    if width in OTHER_WIDTHS:
        data = _hex_groups(groups, width, lines)
        return data if data and says_what_it_is(data) else None
    return _hex_groups(groups, width, lines) if width in DUMP_WIDTHS else None


def _hex_groups(groups: list[str], width: int, lines: list[_DumpLine] | None = None,
                little_endian: bool = False, offsets: bool = False) -> bytes | None:
    """The bytes of ``groups`` of ``width`` digits (the last of a line may be shorter), or
    None when they are not a dump: groups of other widths, letters of both cases, or,
    without an offset column to vouch for them, too few groups with a letter (a table of
    figures; a dump of plain text is mostly digits too, but comes with its offsets)."""
    if lines is not None:
        for line in lines:
            if any(len(token) != width for token in line.tokens[:-1]) or (
                    len(line.tokens[-1]) > width or len(line.tokens[-1]) % 2):
                return None
    joined = "".join(groups)
    if len(joined) < MIN_HEX_CHARS or len(joined) % 2:
        return None
    if joined != joined.lower() and joined != joined.upper():
        return None
    lettered = sum(1 for token in groups if not token.isdigit())
    if not offsets and (lettered * DUMP_LETTERED < len(groups) or _code_points(groups, width)):
        # Figures, or a dump of ASCII text (its bytes are mostly written in digits):
        # the bytes tell.
        return data if says_what_it_is(data := bytes.fromhex(joined)) else None
    if little_endian:
        return b"".join(bytes.fromhex(token)[::-1] for token in groups)
    return bytes.fromhex(joined)


def _code_points(groups: list[str], width: int) -> bool:
    """True when groups of 4 or 8 digits read as code points (a table of CJK characters,
    ``963F 5475``) rather than bytes: in a dump every byte of a group spreads alike, while
    a code point's high byte keeps to a few values (4E-9F) and its low byte does not."""
    if width < 4:
        return False
    spread = [len({token[i] for token in groups if len(token) == width})
              for i in range(0, width, 2)]
    return min(spread) * 2 < max(spread)


def _offset_dump(block: list[_DumpLine], base: int) -> bytes | None:
    """The bytes of ``block`` read with an offset column in ``base``, or None when the
    offsets do not advance by each line's bytes."""
    rows: list[tuple[int, list[str]]] = []
    for line in block:
        if line.repeat:
            rows.append((-1, []))
            continue
        if len(line.tokens[0]) < MIN_OFFSET_DIGITS:
            return None
        try:
            rows.append((int(line.tokens[0], base), line.tokens[1:]))
        except ValueError:
            return None
    counted = [row for row in rows if row[0] >= 0]
    if len(counted) < 2:
        return None
    groups = [token for _, tokens in counted for token in tokens]
    if not groups:
        return None
    width = collections.Counter(len(token) for token in groups).most_common(1)[0][0]
    if width not in DUMP_WIDTHS:
        return None
    # od -x and hexdump without -C write 16-bit words, low byte first; xxd's colon
    # marks its groups of 4 as bytes in order.
    little_endian = width == 4 and not block[0].colon
    out = bytearray()
    at = counted[0][0]
    previous = b""
    for index, (offset, tokens) in enumerate(rows):
        if offset < 0:
            continue
        if index and rows[index - 1][0] < 0:  # after "*": the line above, repeated
            if not previous or (offset - at) % len(previous) or offset < at:
                return None
            out += previous * ((offset - at) // len(previous))
            at = offset
        if not tokens and index == len(rows) - 1 and little_endian and offset == at - 1:
            # od -x's last word of a file of odd length is padded; its final offset
            # tells the length.
            del out[-1]
            at = offset
        if offset != at:
            return None
        if not tokens:
            continue
        if any(len(token) != width for token in tokens[:-1]) or (
                len(tokens[-1]) > width or len(tokens[-1]) % 2):
            return None
        previous = b"".join(bytes.fromhex(t)[::-1] if little_endian else bytes.fromhex(t)
                            for t in tokens)
        out += previous
        at += len("".join(tokens)) // 2
    return _hex_groups(groups, width, None, little_endian, offsets=True) and bytes(out)


def _may_hold_dump(encoded: bytes) -> bool:
    """False when ``encoded`` (long: NumPy is loaded) holds none of _DUMP_NEEDLES, told
    without translating it (the translation and search took 1.4 ms of a 1 MB mail).

    Every grouped needle holds a blank (memchr); without one, only a line start (or the
    start) followed by MIN_DUMP_LINE_CHARS hex digits can be, followed from each line
    start digit by digit while any are left (lines of letters end after one or two).
    """
    import numpy as np  # as in _digits_close

    codes = np.frombuffer(encoded, dtype=np.uint8)
    if b" " in encoded or b"\t" in encoded:
        return _blank_hex_run(codes)
    # Such a line holds four consecutive of every eighth byte, all hex digits (with the
    # case bit set: a superset): tested first, on an eighth of the bytes.
    samples = codes[::MIN_DUMP_LINE_CHARS // 4] | 0x20
    hex_samples = ((samples - 0x61) < 6) | ((samples - 0x30) < 10)
    if not bool((hex_samples[:-3] & hex_samples[1:-2] & hex_samples[2:-1] & hex_samples[3:]).any()):
        return False
    starts = np.flatnonzero((codes == 0x0A) | (codes == 0x0D)) + 1
    starts = np.concatenate((np.zeros(1, dtype=starts.dtype), starts))
    hex_digit = np.frombuffer(_DUMP_TABLE, dtype=np.uint8) == ord("h")
    for step in range(MIN_DUMP_LINE_CHARS):
        starts = starts[starts + step < codes.size]
        starts = starts[hex_digit[codes[starts + step]]]
        if not starts.size:
            return False
    return True


# Every needle is hex digits and blanks only, DUMP_HEX_BLANKS of them or more (the
# shortest, "hhhhhh hhhhhh"; a run of MIN_DUMP_LINE_CHARS digits is longer).
DUMP_HEX_BLANKS = min(len(needle) for needle in _DUMP_NEEDLES if b"n" not in needle)


def _blank_hex_run(codes: np.ndarray) -> bool:
    """Whether ``codes`` (a text's bytes as a NumPy uint8 array) holds DUMP_HEX_BLANKS
    hex digits and blanks in a row, which every needle of _DUMP_NEEDLES is (and an
    indented dump line holds): prose, which has blanks, rarely does. Told by NumPy
    arithmetic, runs doubled by shifted ANDs, where translating the text and searching
    it for each needle took 2.5 ms a megabyte."""
    import numpy as np  # as in _digits_close

    letters = codes | 0x20
    np.subtract(letters, 0x61, out=letters)
    run = np.less(letters, 6, out=letters.view(np.bool_))  # a-f and A-F (the case bit)
    run |= _digit_mask(codes)
    run |= codes == 0x20
    run |= codes == 0x09
    length = 1
    while length < DUMP_HEX_BLANKS and run.size:
        step = min(length, DUMP_HEX_BLANKS - length)
        run = run[:-step] & run[step:]  # True where ``length + step`` such bytes start
        length += step
    return bool(run.any())


def _hex_dumps(text: str) -> Iterator[tuple[tuple[int, int], bytes]]:
    """((start, end), bytes) of each hex dump in ``text``."""
    encoded = utf8(text)
    # An indented dump line holds a blank, so _may_hold_dump lets it through.
    if _vectors(len(encoded)) and not _may_hold_dump(encoded):
        return
    shapes = b"n" + encoded.translate(_DUMP_TABLE)
    # Every needle holds two hex digits in a row: one search settles text without
    # (lines of capitals led by a digit), where each needle took a search of its own.
    if b"hh" not in shapes:
        return
    if not any(needle in shapes for needle in _DUMP_NEEDLES) and not (
            _INDENTED_NEEDLE in shapes and _INDENTED_RUN.search(shapes)):
        return
    block: list[_DumpLine] = []
    at = 0
    for line in text.splitlines(keepends=True):
        parsed = _dump_line(line.rstrip("\r\n"), at)
        at += len(line)
        if parsed is not None:
            block.append(parsed)
            continue
        yield from _dump_block(block)
        block = []
    yield from _dump_block(block)


def _dump_block(block: list[_DumpLine]) -> Iterator[tuple[tuple[int, int], bytes]]:
    if sum(len(token) for line in block for token in line.tokens) < MIN_HEX_CHARS:
        return
    data = _dump_bytes(block)
    if data:
        yield (block[0].start, block[-1].end), data


# -- tables of hex words ------------------------------------------------------------------
#
# Test vectors, random-number streams and float bit patterns are written as tables of
# 32- or 64-bit words (``0, 0xe6a27ee11200aa24``; ``np.float32,0xbddd7f50,0x3fd6eec2,3``).
# Their words are the bytes they stand for: each block of lines with the same number of
# words is decoded, row by row, each word zero-padded to its column's width (8 or 16
# digits) and written high byte first, and all blocks of a text make one value inspected
# like any embedded one (a clean table of random words is under HOLD_BYTES and passes,
# a document is opened and read, unreadable bytes are held from 16 KiB on). Only the
# words themselves are taken from the judge of encoded text; what stands beside them on
# a line is judged as before. Words of 2 or 4 digits are bytes and code points: the
# code-point decoder and the judge deal with those.
# The look-behind after the "0": the search then starts from the literal (4x faster).
_HEX_WORD = re.compile(r"0(?<![0-9A-Za-z]0)[xX]([0-9a-fA-F]{1,16})(?![0-9A-Za-z.])")
HEX_WORD_DENSITY = 64  # searched in a text with a "0x" per this many characters
_HEX_WORD_MARKS = ("0x", "0X")
_HEX_WORD_FOLLOWS = ((ord("0"), ((ord("x"), ord("X")),)),)
MIN_WORD_DIGITS = 5  # a column whose widest word has fewer digits is not of words
# Leading bytes of files that a table written low byte first would show (ZIP, OLE, PDF,
# gzip, 7z, RAR, PNG, RTF) within its first LOW_FIRST_REACH bytes: such a table is read
# that way round.
LOW_FIRST_REACH = 64
_LOW_FIRST_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF", b"\x1f\x8b", b"7z\xbc\xaf",
                    b"Rar!", b"\x89PNG", b"{\\rtf")


def _hex_words(text: str, spans: list[tuple[int, int]]) -> tuple[bytes, bool]:
    """The bytes the tables of hex words in ``text`` write (b'' if none), and whether
    they are figures (see FIGURES_PACK); ``spans`` gets the stretch of each word decoded."""
    # Each mark holds an "x" or an "X", and starts with a "0": those counts first (memchr,
    # or NumPy), which settle prose, a table of figures and lines of capitals (X's, a
    # digit a line) without finding each "0" and what follows it. The "0" first: most
    # text has fewer of them than of x (lines of capital X's have one a line at most).
    if (len(text) < UNREAD_HOLD_CHARS
            or count_char(text, "0") * HEX_WORD_DENSITY < len(text)
            or (count_char(text, "x") + count_char(text, "X")) * HEX_WORD_DENSITY < len(text)
            or _count_marks(text, _HEX_WORD_MARKS, _HEX_WORD_FOLLOWS) * HEX_WORD_DENSITY < len(text)):
        return b"", False
    # Each word's line number, counted as the search goes (one pass, however long a line).
    rows: list[tuple[int, list[re.Match[str]]]] = []
    line = at = 0
    for match in _HEX_WORD.finditer(text):
        line += text.count("\n", at, match.start())
        at = match.start()
        if not rows or rows[-1][0] != line:
            rows.append((line, []))
        rows[-1][1].append(match)
    # A block goes on while each line has as many words and follows the line before.
    blocks: list[list[list[re.Match[str]]]] = []
    for index, (line, row) in enumerate(rows):
        if blocks and len(row) == len(blocks[-1][-1]) and rows[index - 1][0] == line - 1:
            blocks[-1].append(row)
        else:
            blocks.append([row])
    high = bytearray()
    low = bytearray()
    taken: list[tuple[int, int]] = []
    planes: list[bytes] = []  # each block's columns laid out byte by byte (_planes)
    for block in blocks:
        widths = [max(len(row[c].group(1)) for row in block) for c in range(len(block[0]))]
        if len(block) < 2 or min(widths) < MIN_WORD_DIGITS:
            continue
        widths = [8 if w <= 8 else 16 for w in widths]
        start = len(high)
        for row in block:
            for column, match in enumerate(row):
                word = bytes.fromhex(match.group(1).zfill(widths[column]))
                high += word
                low += word[::-1]
                taken.append(match.span())
        planes.extend(_planes(high[start:], widths))
    if len(high) * 2 < MIN_HEX_CHARS:
        return b"", False
    spans.extend(taken)
    if _file_starts(low) and not _file_starts(high):
        return bytes(low), False
    # Text and files say what they are, and are read as such, not as figures.
    return bytes(high), not _file_starts(high) and not says_what_it_is(bytes(high)) and _figures(planes)


def _planes(rows: bytearray, widths: list[int]) -> Iterator[bytes]:
    """``rows`` of words of ``widths`` hex digits, column by column, each laid out byte
    plane by byte plane: the words' first bytes, then their second bytes, and so on."""
    sizes = [w // 2 for w in widths]
    stride = sum(sizes)
    offset = 0
    for size in sizes:
        yield b"".join(rows[offset + byte::stride] for byte in range(size))
        offset += size


def _figures(planes: list[bytes]) -> bool:
    """Whether ``planes`` (see _planes) pack to FIGURES_PACK or less, each of
    FIGURES_BYTES or more alone and all together."""
    def packs(data: bytes) -> bool:
        return len(zlib.compress(data, 1)) <= FIGURES_PACK * len(data)

    return (all(packs(piece) for piece in planes if len(piece) >= FIGURES_BYTES)
            and packs(b"".join(planes)))


# Figures: the words of numbers of a few magnitudes (float bit patterns of a test set:
# np.float64,0xbfe24c075f64980e) keep their high bytes to a few values, and their low
# bytes are noise. zlib finds the repeats only when each byte of a word is laid beside
# the same byte of the others (the "shuffle" of numeric array compressors): so laid out,
# numpy's validation sets pack to 0.52-0.72, a file's random or compressed bytes to 1.0.
# A table that packs so is figures: its bytes are searched for text and typed like any
# decoded value, but not held as unreadable, as the same numbers written in decimal pass
# (a writer who keeps a file's bytes in the low bytes of words of one magnitude is not
# caught, as with a file written as decimal figures).
# Each column of each block is judged alone (when it has FIGURES_BYTES or more), and all
# together: a file's bytes put in a column beside figures, or in many short blocks, are
# still judged as bytes.
FIGURES_PACK = 0.9
FIGURES_BYTES = 512
FIGURES = "figures"  # META_KEY of such a value


def figures(part: Part) -> bool:
    """True for a decoded table of hex words that reads as figures (see FIGURES_PACK)."""
    return part.meta.get(META_KEY) == FIGURES


def _file_starts(data: bytearray) -> bool:
    # Near the start: a table may begin with a word of its own (a seed) before the file.
    return any(magic in data[:LOW_FIRST_REACH] for magic in _LOW_FIRST_MAGIC)


# -- source maps ---------------------------------------------------------------------------
#
# A JavaScript source map (version 3) writes where each piece of generated code came from
# as base64 VLQ numbers in its "mappings": segments of 1, 4 or 5 numbers split by "," and
# ";", which read as mixed tokens to the judge below. A map whose every segment decodes to
# a position inside it (a source of "sources", a name of "names", lines and columns not
# below 0, a line of the source's "sourcesContent" when given) is a map, and its mappings
# are taken from the judge; everything else in the file is judged as before. A document's
# base64 put there has no such segments (and is decoded as base64 anyway).
_OBJECT_START = re.compile(r"\s*\{")  # what text.lstrip().startswith("{") tells
_MAPPINGS = re.compile(r'"mappings"\s*:\s*"([A-Za-z0-9+/,;]*)"')
_VLQ = {c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}


def _vlq(segment: str) -> list[int] | None:
    """The numbers of one base64 VLQ segment, or None when it ends inside a number."""
    values: list[int] = []
    value = shift = 0
    for char in segment:
        digit = _VLQ[char]
        value += (digit & 31) << shift
        if digit & 32:
            shift += 5
            continue
        values.append(-(value >> 1) if value & 1 else value >> 1)
        value = shift = 0
    return values if not shift else None


def _source_map(text: str) -> tuple[int, int] | None:
    """The span of the mappings of a version 3 source map that ``text`` is, when every
    segment of them is a position inside the map; else None."""
    # The opening brace first: one character to look at, where the search for the key
    # reads the whole text (0.3 ms a megabyte).
    if _OBJECT_START.match(text) is None or '"mappings"' not in text:
        return None
    try:
        document = json.loads(text)
    except ValueError:
        return None
    if not isinstance(document, dict) or document.get("version") != 3:
        return None
    mappings, sources, names = (document.get(k) for k in ("mappings", "sources", "names"))
    contents = document.get("sourcesContent") or []
    if not isinstance(mappings, str) or not isinstance(sources, list) or not isinstance(names or [], list):
        return None
    names = names or []
    lines = [c.count("\n") + 1 if isinstance(c, str) else None for c in contents]
    found = [m for m in _MAPPINGS.finditer(text) if m.group(1) == mappings]
    if len(found) != 1 or not mappings:
        return None
    source = line = column = name = 0
    for generated in mappings.split(";"):
        generated_column = 0
        for segment in generated.split(","):
            if not segment:
                continue
            values = _vlq(segment)
            if values is None or len(values) not in (1, 4, 5):
                return None
            generated_column += values[0]
            if generated_column < 0:
                return None
            if len(values) == 1:
                continue
            source += values[1]
            line += values[2]
            column += values[3]
            if not 0 <= source < len(sources) or line < 0 or column < 0:
                return None
            if source < len(lines) and lines[source] is not None and line >= lines[source]:
                return None
            if len(values) == 5:
                name += values[4]
                if not 0 <= name < len(names):
                    return None
    return found[0].span(1)


def _qp_blocks(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each block of lines holding runs of QP escapes: runs whose lines are
    within QP_JOIN characters of each other make one block, read back whole (the plain
    characters QP leaves between its escapes included)."""
    block: list[int] | None = None
    for match in _QP_RUN.finditer(text):
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.end())
        end = len(text) if end < 0 else end
        if block is not None and start - block[1] <= QP_JOIN:
            block[1] = max(block[1], end)
            continue
        if block is not None:
            yield block[0], block[1]
        block = [start, end]
    if block is not None:
        yield block[0], block[1]


# A found value: (span of text decoded or None, kind (the label's name), bytes, declared type).
_Found = tuple[tuple[int, int] | None, str, bytes, str]


class _Reading:
    """What the readers of one text share: the text, which searches can find anything
    (``_searches``, and whether the text is long or has non-ASCII characters: the gates
    of _READERS), the stretches decoded so far (``spans``, the caller's list), those a
    later search must not start in (``taken``), the time-zone tables (``zones``) and how
    many values were yielded (``count``)."""

    __slots__ = ("count", "searches", "shaped", "spans", "taken", "text", "zone_set", "zones")

    def __init__(self, text: str, spans: list[tuple[int, int]]) -> None:
        self.text = text
        self.searches = _searches(text)
        self.spans = spans
        self.taken: list[tuple[int, int]] = []
        self.count = 0
        # Time-zone tables are taken from the judge, and their index strings ("01212121…")
        # are no base64 to decode; hex in them is still decoded below.
        self.shaped = packed_zones.shaped(text)
        self.zones = packed_zones.zone_spans(self.shaped)
        self.zone_set = set(self.zones)
        spans.extend(self.zones)

    def gates(self) -> tuple[bool, ...]:
        """Whether each of _GATES is open for this text."""
        text = self.text
        return (len(text) >= UNREAD_HOLD_CHARS,  # hex words, byte escapes, code points
                len(text) >= SIZED_CHARS,  # base85 runs, hex dumps, lists of numbers
                not text.isascii(), bool(self.shaped), _git_patch(text),
                count_char(text, "=") >= MIN_QP_ESCAPES,
                _OBJECT_START.match(text) is not None,  # a source map is a JSON object
                *self.searches)

    def overlaps_read(self, span: tuple[int, int]) -> bool:
        """Whether ``span`` overlaps a stretch decoded already (zone tables aside)."""
        return any(start < span[1] and span[0] < end for start, end in self.spans
                   if (start, end) not in self.zone_set)


def _git_patch(text: str) -> bool:
    """Whether ``text`` holds "GIT binary patch": from each "G" (memchr first: lines of
    capitals but that letter have none) by NumPy in a long text, as the whole phrase's
    search took 0.2 ms a megabyte."""
    if "G" not in text:
        return False
    encoded = utf8(text) if len(text) >= _VECTOR_BYTES else b""  # a short one: as it is
    if not _vectors(len(encoded)):
        return "GIT binary patch" in text
    return _holds(encoded, b"GIT binary patch", 0)


def _zone_hex(reading: _Reading) -> Iterator[_Found]:
    # A document's hex written as the untils ("504b 0304 …"): decoded when it says so.
    if says_what_it_is(written := packed_zones.hex_written(reading.shaped)):
        yield None, "zone-hex", written, ""


def _armour_values(reading: _Reading) -> Iterator[_Found]:
    for span, label, body in _armours(reading.text):
        yield span, "armour", _armoured(body), ARMOURED_TYPES[label[:3]]


def _framed_values(reading: _Reading) -> Iterator[_Found]:
    # uuencode, yEnc, ascii85 between <~ ~>: their frames say what they are.
    for span, kind, decoded in framed_encodings.blocks(reading.text):
        yield span, kind, decoded, ""


def _variation_selectors(reading: _Reading) -> Iterator[_Found]:
    # Bytes as variation selectors after a visible character: unseen by a reader.
    text = reading.text
    for span, decoded in invisible_bytes.runs(text, utf8(text)):
        yield span, "variation-selectors", decoded, ""


def _zero_width(reading: _Reading) -> Iterator[_Found]:
    # Bits or digits as zero-width characters, as steganography tools write them.
    text = reading.text
    encoded = utf8(text)
    for span, decoded in zero_width.runs(text, encoded, _vectors(len(encoded))):
        yield span, "zero-width", decoded, ""


def _certificates(reading: _Reading) -> Iterator[_Found]:
    # A published certificate is left out of every search and yields nothing: not counted
    # against MAX_PAYLOADS, as a bundle holds a hundred and more.
    for match in _CERTIFICATE.finditer(reading.text):
        if _published_certificate(match.group("body")):
            reading.taken.append(match.span())
            reading.spans.append(match.span())
    yield from ()


def _data_urls(reading: _Reading) -> Iterator[_Found]:
    for match in _DATA_URL.finditer(reading.text):
        raw = unquote_to_bytes(match.group("data"))
        reading.taken.append(match.span())  # taken whether or not it decodes
        if match.group("b64"):
            decoded = _base64(raw.decode("ascii", "replace"))
            declared = (match.group("type") or "text/plain").lower()
        else:
            # Percent-encoded data ends at the first space or quote in running text, so
            # it may be cut: it is read as text, never parsed as its declared type.
            decoded, declared = raw, TEXT
        if decoded:
            yield match.span(), "data-url", decoded, declared


def _base_runs(reading: _Reading) -> Iterator[_Found]:
    """Runs of base64 characters: base58, base32 or base64 by what they hold."""
    skipped = reading.taken + reading.zones  # nothing below adds to either
    for match in _BASE64_RUN.finditer(reading.text):
        if any(start <= match.start() < end for start, end in skipped):
            continue
        run = match.group()
        if (base58 := unframed_encodings.base58(run)) is not None:
            # Only base58's characters, and its bytes say what they are: never base64's
            # noise (a run of base64 avoids the six characters base58 lacks once in 50).
            yield match.span(), "base58", base58, ""
            continue
        if base32 := _base32(run):
            # Whole: base32 of a file's zeros is filler ("AAAA…"), and small letters are
            # no base64 to _looks_encoded.
            yield match.span(), base32[0], base32[1], ""
            continue
        for value in (run,) if _looks_encoded(run) else _between_filler(run):
            if not _looks_encoded(value):
                continue
            decoded = _base64(value)
            if decoded and len(decoded) >= MIN_BASE64_CHARS * 3 // 4 - 2:
                yield match.span(), "base64", decoded, ""


def _git_binary(reading: _Reading) -> Iterator[_Found]:
    # A file added by a patch: the zlib stream of its bytes, opened like any.
    for span, decoded in unframed_encodings.git_binary_patches(reading.text):
        yield span, "git-binary", decoded, ""


def _unframed(reading: _Reading) -> Iterator[_Found]:
    # base85 with no <~ ~> (ascii85, Z85, RFC 1924) whose bytes say what they are.
    text = reading.text
    encoded = utf8(text)
    # Without a character only base85 writes runs() finds nothing: told first, as lines
    # of base64's characters (smtp-source's digit and capitals) are runs to may_hold_runs.
    if (unframed_encodings.holds_base85_only(encoded)
            and unframed_encodings.may_hold_runs(encoded, _vectors(len(encoded)))):
        for span, kind, decoded in unframed_encodings.runs(text, encoded,
                                                           reading.taken + reading.spans):
            yield span, kind, decoded, ""


def _dumps(reading: _Reading) -> Iterator[_Found]:
    for span, decoded in _hex_dumps(reading.text):
        yield span, "hexdump", decoded, ""


def _number_lists(reading: _Reading) -> Iterator[_Found]:
    text = reading.text
    encoded = utf8(text)
    offsets = _digit_offsets(encoded) if _vectors(len(encoded)) else None
    for span, decoded in number_lists.byte_lists(text, encoded, offsets):
        yield span, "numbers", decoded, ""


def _words(reading: _Reading) -> Iterator[_Found]:
    if reading.count < MAX_PAYLOADS:
        words, numbers = _hex_words(reading.text, reading.spans)
        if words:
            yield None, FIGURES if numbers else "hexwords", words, ""


def _hex_runs(reading: _Reading) -> Iterator[_Found]:
    for match in _HEX_RUN.finditer(reading.text):
        run = match.group()
        if len(run) % 2 == 0 and not any(start <= match.start() < end for start, end in reading.taken):
            yield match.span(), "hex", bytes.fromhex(run), ""


def _quoted_printable(reading: _Reading) -> Iterator[_Found]:
    # No span: the judge of encoded text still reads the stretch, so a document written
    # all in QP is held as before when what comes back is no text.
    # QP escapes beside characters QP would have escaped ("Grüße =53=45…", a forwarded
    # body half decoded) are read from the stretch's UTF-8: a2b_qp refuses a str with
    # anything but ASCII, which failed the whole part and held an ordinary mail.
    text = reading.text
    for start, end in _qp_blocks(text):
        yield None, "qp", binascii.a2b_qp(text[start:end].encode("utf-8")), ""


def _source_map_mappings(reading: _Reading) -> Iterator[_Found]:
    # A source map's mappings are no encoded value: taken from the judge, nothing read.
    if (mapped := _source_map(reading.text)) is not None:
        reading.spans.append(mapped)
    yield from ()


def _escaped_bytes(reading: _Reading) -> Iterator[_Found]:
    if reading.count < MAX_PAYLOADS and (written := _slash_escapes(reading.text, reading.spans)):
        yield None, "byte-escapes", written, ""


def _code_point_text(reading: _Reading) -> Iterator[_Found]:
    if decoded := _codepoints(reading.text, reading.spans):
        yield None, "codepoints", decoded.encode("utf-8"), TEXT


# When a reader stops the search at MAX_PAYLOADS values: after a value that reaches it,
# before a value once it is reached, or never (the reader bounds itself, or comes last).
_AFTER, _BEFORE, _NEVER = "after", "before", "never"


class _Reader(NamedTuple):
    """One search of payloads(): what it yields, and how the values are kept."""

    read: Callable[[_Reading], Iterator[_Found]]
    takes: bool  # a later base64, hex or unframed search does not start in its values
    stop: str  # when it stops the search at MAX_PAYLOADS (_AFTER, _BEFORE, _NEVER)
    # A value overlapping a stretch decoded already is skipped (a hex dump that is
    # base64 of a file's zeros, "AAAA"; numbers read as a hex dump already).
    skips_read: bool = False
    # What must hold for the reader to find anything (one of _GATES), else "": a reader
    # whose gate is shut is left out (see _readers_for).
    when: str = ""


# In the order they search: a reader skips what earlier ones decoded.
_READERS = (
    _Reader(_zone_hex, False, _AFTER, when="shaped"),
    _Reader(_armour_values, True, _AFTER, when="armour"),
    _Reader(_framed_values, True, _AFTER, when="framed"),
    _Reader(_variation_selectors, True, _AFTER, when="wide"),
    _Reader(_zero_width, True, _AFTER, when="wide"),
    _Reader(_certificates, False, _AFTER, when="armour"),
    # Takes every data: URL itself, decoded or not.
    _Reader(_data_urls, False, _AFTER, when="data_urls"),
    _Reader(_base_runs, False, _AFTER, when="base64"),
    _Reader(_git_binary, True, _AFTER, when="patch"),
    _Reader(_unframed, True, _AFTER, when="sized"),
    _Reader(_dumps, True, _AFTER, skips_read=True, when="sized"),
    _Reader(_number_lists, False, _BEFORE, skips_read=True, when="sized"),
    _Reader(_words, False, _NEVER, when="long"),
    _Reader(_hex_runs, False, _AFTER, when="hex"),
    _Reader(_quoted_printable, False, _BEFORE, when="qp"),
    _Reader(_source_map_mappings, False, _NEVER, when="object"),
    _Reader(_escaped_bytes, False, _NEVER, when="long"),
    _Reader(_code_point_text, False, _NEVER, when="long"),
)
# The gates of _READERS (_Reading.gates): the text is long, is as long as the shortest
# base85 run, hex dump or list of numbers (a mail's short header fields are none), has
# non-ASCII characters, holds time-zone tables, a git binary patch, QP escapes enough,
# starts a JSON object; then which of _searches' searches can find anything.
_GATES = ("long", "sized", "wide", "shaped", "patch", "qp", "object", *_Searches._fields)
# Characters of the shortest value _unframed, _dumps or _number_lists can yield, each in
# ASCII characters: a run of base85, a dump's hex digits, a list's digits.
SIZED_CHARS = min(unframed_encodings.MIN_CHARS, MIN_HEX_CHARS, number_lists.MIN_LIST_BYTES)
_CHOSEN: dict[tuple[bool, ...], tuple[_Reader, ...]] = {}


def _readers_for(gates: tuple[bool, ...]) -> tuple[_Reader, ...]:
    """The readers whose gates are open (``gates``: a bool for each of _GATES), in order.

    Worked out once for each of the few combinations: most texts are short prose, whose
    gates are all shut, and a test (or a generator made) for each reader that finds
    nothing cost a sixth of such a text's search.
    """
    chosen = _CHOSEN.get(gates)
    if chosen is None:
        open_gates = {name for name, value in zip(_GATES, gates, strict=True) if value}
        chosen = _CHOSEN[gates] = tuple(reader for reader in _READERS
                                        if not reader.when or reader.when in open_gates)
    return chosen


def payloads(text: str, spans: list[tuple[int, int]] | None = None
             ) -> Iterator[tuple[str, bytes, str]]:
    """(label, decoded bytes, declared type) of each encoded value in ``text``.

    ``spans``, when given, gets the (start, end) of each stretch of text decoded.
    """
    reading = _Reading(text, [] if spans is None else spans)
    for read, takes, stop, skips_read, _when in _readers_for(reading.gates()):
        for span, kind, decoded, declared in read(reading):
            if stop == _BEFORE and reading.count >= MAX_PAYLOADS:
                return
            if span is not None:
                if skips_read and reading.overlaps_read(span):
                    continue
                if takes:
                    reading.taken.append(span)
                reading.spans.append(span)
            reading.count += 1
            yield f"#{kind}[{reading.count}]", decoded, declared
            if stop == _AFTER and reading.count >= MAX_PAYLOADS:
                return


def children(part: Part, budget: Budget, spans: list[tuple[int, int]] | None = None
             ) -> Iterator[Part]:
    """Child content parts for the encoded values in text part ``part``.

    ``spans``, when given, gets the stretches of the text that were decoded.
    """
    text = part.text or ""
    if len(text) < MIN_BASE64_CHARS // 2:
        return
    for label, data, declared in payloads(text, spans):
        if declared == TEXT:
            yield budget.child(part, label, text=data.decode("utf-8", "replace"), role=part.role)
            continue
        budget.take(len(data))
        yield budget.child(part, label, data=data, declared_type=declared,
                           meta={META_KEY: label.split("[")[0].lstrip("#")})


def small_embedded(part: Part) -> bool:
    """True for a decoded value too small to be held when it cannot be read."""
    return bool(part.meta.get(META_KEY)) and part.size < HOLD_BYTES


# -- encoded text no decoder read ---------------------------------------------------------
#
# The decoders above read base64, hex runs and dumps, data: URLs and armour. A document can be put
# into text in endless other ways (base85, ascii85, base32, uuencode, hex pairs, "0x.."
# lists, quoted-printable nobody declared, base64 cut into short lines or spaced groups),
# and a decoder per encoding is always one behind. What they share is that the text is
# not words: so a long stretch of text that reads as encoded data, which no decoder took,
# is held as uninspectable, as bytes that zlib cannot shrink are.

UNREAD_WINDOW = 2048  # characters judged together
UNREAD_MIN_ALNUM = 512  # a window with fewer letters and digits says too little
UNREAD_HOLD_CHARS = 4096  # encoded characters in a text before it is held (about 3 KB)
NUMPY_CHARS = 256 * 1024  # see _vectors
MIXED_SHARE = 0.4  # tokens mixing digits, letters and case ("UEs", "4b", "D2lZ")
HEX_SHARE = 0.6  # above it the text is hex: judged by its byte-sized tokens instead
BYTE_TOKEN_SHARE = 0.6  # letters and digits in two-digit hex tokens ("4b", "0x4b", "\\x4b")
QP_SHARE = 0.3  # characters in "=4B" escapes
DIGIT_FLOOR = 0.04  # prose has fewer digits than this; every encoding above has more
# Words of four letters or more ("color", "https", "source") hold at most this share of an
# encoded window's letters and digits: IDs in URLs, colours in a style sheet stand among
# words, a document's encoding does not.
WORD_SHARE = 0.15

# Whole tokens (runs of letters and digits) of a shape, found by one scan each.
_ALONE = (rb"(?<![A-Za-z0-9])", rb"(?![A-Za-z0-9])")
_WORD_SHAPED = re.compile(_ALONE[0] + rb"(?:[a-z]+|[A-Z][a-z]*|[A-Z]+|[0-9]+)" + _ALONE[1])
_WORD = re.compile(_ALONE[0] + rb"(?:[A-Z]?[a-z]{3,}|[a-z]{4,})" + _ALONE[1])
# Words in capitals (the Unicode names of a charset table: LATIN SMALL LETTER) count as
# words where they recur in the window: base32 cut into groups (KRUGS 4ZAMF) also makes
# tokens of capitals, each one different.
_CAPITALS = re.compile(_ALONE[0] + rb"[A-Z]{4,}" + _ALONE[1])
# Names that mix digits and letters and recur through a window, few of them (a table's
# type column: "np.float32", "np.float64") are names too. A window's mixed tokens drawn
# from at most FEW_NAMES values carry at most 3 bits each, less than a code of words
# (which the judge lets pass anyway) does; an encoding's tokens are many and differ.
_TOKEN_SHAPED = re.compile(_ALONE[0] + rb"[A-Za-z0-9]+" + _ALONE[1])
FEW_NAMES = 8
# Identifiers joined in CamelCase ("XF86VidModeGetGammaRamp", "GLXBadContext": X11's error
# database) mix case, but their humps are words: a capital and two lower-case letters or
# more. Base64 and base85 have such humps by chance too, about a quarter of their letters
# and digits at most (measured over random and text bytes), far from what it takes to
# bring their mixed share under MIXED_SHARE.
_HUMP = re.compile(rb"[A-Z][a-z]{2,}|(?<![a-z])[a-z]{3,}")
# The names of a registry whose keys are in order (see _ordered_keys) are a catalogue's
# model numbers (the PCI id list's "PDC20579", "PDC40779", "QL41132HQRJ", "QL41232HQCU":
# a product line's prefix, its series, a few suffixes): they mix digits and letters in
# many values, but repeat one another. Joined, such a window's mixed tokens pack (zlib)
# to 0.16-0.37 of their size. Encoded data does not: base85, ascii85, base32 in groups,
# uuencode and base64 in short pieces of random bytes pack to 0.64-0.74, of English text
# to 0.46-0.65, and prose itself, in pieces of the same size, to 0.46-0.49 (measured).
# Names that pack tighter than prose carry less than words do, and words pass. Only a
# registry's window is asked: bytes dressed as code points ("<U0050>", "U+504B uni504B")
# repeat their dress, not their values, and pack well too.
NAME_PACK = 0.4
_HEX_TOKEN = re.compile(_ALONE[0] + rb"[0-9A-Fa-f]+" + _ALONE[1])
_BYTE_TOKEN = re.compile(_ALONE[0] + rb"(?:0[xX]|x)?[0-9A-Fa-f]{2}" + _ALONE[1])
_QP_ESCAPE = re.compile(rb"=[0-9A-F]{2}")
# Each byte to its class: d(igit), l(ower), u(pper), blank for the rest. A token that
# mixes classes shows a change of class inside it (a Capitalized word only "ul" at its
# start), counted at memory speed before any token is read.
_CLASS_TABLE = bytes(0x64 if 0x30 <= b <= 0x39 else 0x6C if 0x61 <= b <= 0x7A
                     else 0x75 if 0x41 <= b <= 0x5A else 0x20 for b in range(256))
_MIXED_MARKS = (b"dl", b"ld", b"du", b"ud", b"lu", b"uul")
MARK_FLOOR = 0.03  # class changes per byte below which a window is words or numbers


# A registry keyed by hex identifiers (pci.ids' vendor and device ids, the IEEE's MAC
# prefixes): each line opens with its key, one token or several ("102b 1040"), or a list
# of them ("0000C9,000A33-000A34"), and the lines come in the order of their keys. Such
# ids mix digits and letters as encoded data does; their order is what data has not.
_KEY_LINE = re.compile(rb"^([ \t]*)((?:[0-9A-Fa-f]+[ ,-])*[0-9A-Fa-f]+)(?=\s)", re.MULTILINE)
_KEY_SPLIT = re.compile(rb"[,-]")
MIN_KEYED_LINES = 8  # fewer keyed lines in a window say nothing of their order
KEY_ORDER_SHARE = 0.9  # of a window's keyed lines at least this many follow their order


def _ordered_keys(window: bytes) -> int:
    """Letters and digits of ``window`` in ordered hex keys, not already word-shaped: 0
    unless nearly every keyed line's key is above the one before it at its indent (a line
    less indented starts the order again). A key's tokens count up to the first that
    rises; those after it are free to take any value and are left as they are, and so are
    the items of a list after one out of order."""
    last: dict[int, tuple[int, ...]] = {}
    lines = ordered = credit = 0
    for match in _KEY_LINE.finditer(window):
        indent = len(match.group(1))
        items = _KEY_SPLIT.split(match.group(2))
        key_tokens = items[0].split(b" ")
        key = tuple(int(t, 16) for t in key_tokens)
        for deeper in [i for i in last if i > indent]:
            del last[deeper]
        before = last.get(indent)
        last[indent] = key
        if before is None or len(before) != len(key):
            continue
        lines += 1
        if key <= before:
            continue
        ordered += 1
        rises = next(i for i, (a, b) in enumerate(zip(key, before, strict=True)) if a != b)
        counted = key_tokens[:rises + 1]
        previous = key[0]
        for item in items[1:]:
            value = int(item, 16)
            if value <= previous:
                break
            counted.append(item)
            previous = value
        credit += sum(len(t) for t in counted if not _WORD_SHAPED.fullmatch(t))
    if lines < MIN_KEYED_LINES or ordered < KEY_ORDER_SHARE * lines:
        return 0
    return credit


def _length(pattern: re.Pattern[bytes], window: bytes) -> int:
    return sum(map(len, pattern.findall(window)))


def _encoded_window(window: bytes) -> bool:
    """True when ``window``, whose digits and changes of class are enough (``_candidates``),
    reads as encoded data rather than words, numbers or names."""
    if window.count(b"=") * 3 >= QP_SHARE * len(window) and (
            len(_QP_ESCAPE.findall(window)) * 3 >= QP_SHARE * len(window)):
        return True
    alnum = len(window) - window.translate(_CLASS_TABLE).count(b" ")
    if alnum < UNREAD_MIN_ALNUM:
        return False
    words = _length(_WORD, window)
    if words < WORD_SHARE * alnum:
        capitals = collections.Counter(_CAPITALS.findall(window))
        words += sum(len(word) * n for word, n in capitals.items() if n > 1)
    if words >= WORD_SHARE * alnum:
        return False
    if _length(_HEX_TOKEN, window) >= HEX_SHARE * alnum:
        # Hex identifiers (hashes, UUIDs, addresses) are long tokens or groups of four:
        # only a text of byte-sized tokens with letters among them is a hex dump.
        pairs = _BYTE_TOKEN.findall(window)
        lettered = sum(1 for t in pairs if not t[-2:].isdigit())
        return sum(map(len, pairs)) >= BYTE_TOKEN_SHARE * alnum and lettered * 4 >= len(pairs)
    mixed = alnum - _length(_WORD_SHAPED, window)
    if mixed < MIXED_SHARE * alnum:
        return False
    keys = _ordered_keys(window)
    return (mixed - keys >= MIXED_SHARE * alnum
            and mixed - _recurring_names(window) >= MIXED_SHARE * alnum
            and mixed - _humps(window) >= MIXED_SHARE * alnum
            and not (keys and _names_repeat(window)))


def _names_repeat(window: bytes) -> bool:
    """Whether ``window``'s mixed tokens, joined, pack to NAME_PACK of their size or less
    (see NAME_PACK): asked of a registry's window only (its keys in order)."""
    joined = b" ".join(token for token in _TOKEN_SHAPED.findall(window)
                       if not _WORD_SHAPED.fullmatch(token))
    return len(zlib.compress(joined, 9)) <= NAME_PACK * len(joined)


def _humps(window: bytes) -> int:
    """Letters of ``window``'s mixed tokens in word-like humps (see _HUMP)."""
    return sum(len(hump) for token in _TOKEN_SHAPED.findall(window)
               if not _WORD_SHAPED.fullmatch(token) for hump in _HUMP.findall(token))


def _recurring_names(window: bytes) -> int:
    """Letters and digits of ``window`` in mixed tokens that recur, when the window's mixed
    tokens take at most FEW_NAMES values (see FEW_NAMES); else 0."""
    names = collections.Counter(token for token in _TOKEN_SHAPED.findall(window)
                                if not _WORD_SHAPED.fullmatch(token))
    if len(names) > FEW_NAMES:
        return 0
    return sum(len(name) * n for name, n in names.items() if n > 1)


def _candidates(encoded: bytes) -> Iterator[int]:
    """Starts of the windows of ``encoded`` with enough digits, letters and changes of
    class (or ``=``, for quoted-printable) to be worth reading token by token. Digits
    and letters are counted for all windows at once, at memory speed: prose has too few
    digits, a table of numbers no letters, and neither is looked at again."""
    if not _vectors(len(encoded)):
        yield from _candidates_counted(encoded)
        return
    import numpy as np  # as in _digits_close: only texts this long pay its import

    # Digits and letters counted from the bytes themselves (NumPy arithmetic); only the
    # windows kept are translated to classes: translating a megabyte took longer than
    # all the counting.
    codes = np.frombuffer(encoded, dtype=np.uint8)
    starts = np.arange(0, len(encoded), UNREAD_WINDOW)
    sizes = np.diff(np.append(starts, len(encoded)))
    # Each window's digits from their offsets (most often counted already, for the base64
    # test): a count over the offsets, not a sum over every byte.
    digits = np.bincount(_digit_offsets(encoded) // UNREAD_WINDOW, minlength=starts.size)
    wanted = digits >= DIGIT_FLOOR * sizes
    if not wanted.any():
        return
    # Every change of class has a letter on one side: a mixed token has letters. ASCII
    # letters: "A"-"Z" folded onto "a"-"z" by the case bit; the rest wraps or lands above.
    letters = ((codes | 0x20) - 0x61) < 26
    wanted &= np.add.reduceat(letters, starts, dtype=np.int32) * 2 >= MARK_FLOOR * sizes
    if np.count_nonzero(wanted) >= MIXED_VECTOR_WINDOWS:
        # Many windows to look at (a table of codes, names and figures): their changes of
        # class counted for all at once, as _mixed counts them one by one (24 us a window,
        # 12 ms for a 1 MB table).
        wanted &= _mixed_windows(encoded, codes, starts)
        yield from starts[wanted].tolist()
        return
    for start in starts[wanted].tolist():
        window = encoded[start:start + UNREAD_WINDOW].translate(_CLASS_TABLE)
        if _mixed(encoded, start, window):
            yield start


MIXED_VECTOR_WINDOWS = 32
MIXED_BLOCK_WINDOWS = 32


def _mixed_windows(encoded: bytes, codes: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """``_mixed`` of every window (``starts``) of ``encoded`` (``codes``: its bytes as a
    NumPy uint8 array), as one boolean array.

    The whole windows are counted as rows of a grid, MIXED_BLOCK_WINDOWS rows at a time:
    a mark never spans two rows, and each block's arrays (64 KB) are taken from and
    given back to the heap, where arrays of a megabyte are mapped afresh each time (their
    page faults took longer than the arithmetic).
    """
    import numpy as np  # as in _digits_close

    mixed = np.zeros(starts.size, dtype=np.bool_)
    whole = codes.size // UNREAD_WINDOW
    grid = codes[:whole * UNREAD_WINDOW].reshape(whole, UNREAD_WINDOW)
    for row in range(0, whole, MIXED_BLOCK_WINDOWS):
        block = grid[row:row + MIXED_BLOCK_WINDOWS]
        digits = _digit_mask(block)
        letters = ((block | 0x20) - 0x61) < 26  # as in _candidates
        upper = letters & (block < 0x61)
        lower = letters ^ upper
        # Each of _MIXED_MARKS where it starts: a digit then a letter or the other way
        # round (dl, du, ld, ud), lower then upper case (lu), which exclude each other;
        # then uul. Summed as bytes into 16 bits (a row is 2048): a third of a count's time.
        pairs = digits[:, :-1] & letters[:, 1:]
        pairs |= letters[:, :-1] & digits[:, 1:]
        pairs |= lower[:, :-1] & upper[:, 1:]
        triples = upper[:, :-2] & upper[:, 1:-1]
        triples &= lower[:, 2:]
        marks = (np.add.reduce(pairs.view(np.uint8), axis=1, dtype=np.uint16)
                 + np.add.reduce(triples.view(np.uint8), axis=1, dtype=np.uint16))
        equals = np.add.reduce((block == 0x3D).view(np.uint8), axis=1, dtype=np.uint16)
        mixed[row:row + block.shape[0]] = ((marks >= MARK_FLOOR * UNREAD_WINDOW)
                                           | (equals * 3 >= QP_SHARE * UNREAD_WINDOW))
    if whole < starts.size:  # the last, shorter window
        start = whole * UNREAD_WINDOW
        mixed[whole] = _mixed(encoded, start, encoded[start:].translate(_CLASS_TABLE))
    return mixed


def _mixed(encoded: bytes, start: int, window: bytes) -> bool:
    """Whether the window of ``encoded`` at ``start`` (``window``: its classes) changes
    class often enough, or holds enough ``=``, to be read token by token."""
    marks = sum(window.count(mark) for mark in _MIXED_MARKS)
    return (marks >= MARK_FLOOR * len(window)
            or encoded.count(b"=", start, start + UNREAD_WINDOW) * 3 >= QP_SHARE * len(window))


def _candidates_counted(encoded: bytes) -> Iterator[int]:
    """``_candidates`` of a text shorter than NUMPY_CHARS: the same counts by bytes.count,
    without NumPy, whose import (about 0.1 s of CPU) a one-mail scan would pay for them."""
    classes = encoded.translate(_CLASS_TABLE)
    length = len(encoded)
    for start in range(0, length, UNREAD_WINDOW):
        end = min(start + UNREAD_WINDOW, length)
        size = end - start
        if classes.count(b"d", start, end) < DIGIT_FLOOR * size:
            continue
        # Every change of class has a letter on one side: a mixed token has letters.
        if (classes.count(b"l", start, end) + classes.count(b"u", start, end)) * 2 < MARK_FLOOR * size:
            continue
        if _mixed(encoded, start, classes[start:end]):
            yield start


def unread_encoded(text: str, spans: list[tuple[int, int]] = ()) -> int:
    """0, or at least UNREAD_HOLD_CHARS: bytes of ``text`` found to read as encoded data
    which no decoder took (``spans`` are the stretches the decoders read). The search
    stops once that many are found, so a megabyte of base85 costs no more than a few."""
    if len(text) < UNREAD_HOLD_CHARS:
        return 0
    if spans:
        pieces, at = [], 0
        for start, end in sorted(spans):
            if start > at:
                pieces.append(text[at:start])
            at = max(at, end)
        pieces.append(text[at:])
        text = " ".join(pieces)
    encoded = utf8(text)
    found = 0
    for start in _candidates(encoded):
        window = encoded[start:start + UNREAD_WINDOW]
        if _encoded_window(window):
            found += len(window)
            if found >= UNREAD_HOLD_CHARS:
                return found
    return 0
