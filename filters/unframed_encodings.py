"""Binary-to-text encodings with no frame, read back when what they write says what it is:
base58 (Bitcoin's and Flickr's alphabets), base85 without ``<~ ~>`` (Adobe's ascii85 and
btoa, ZeroMQ's Z85, RFC 1924 as git and Python's b85encode write it), and git's binary
patches (``GIT binary patch`` / ``literal N``: base85 lines of a zlib stream).

Nothing marks where such a value starts, and the characters of base85 are those of URLs,
paths and code, those of base58 those of tokens and addresses: so a run is decoded only
from MIN_CHARS on, and kept only when its bytes are text or start with a file's signature
(dump_content.says_what_it_is). A Bitcoin address or an IPFS identifier (shorter, and
bytes of a hash), a random token, a URL or a line of minified code read under a base85
alphabet give noise and are left as they were. A git binary patch is decoded to its zlib
stream, which the pipeline opens under the limits like any other.
"""

from __future__ import annotations

import base64
import functools
import re
from collections.abc import Iterator

from filters.dump_content import FILE_SIGNATURES, says_what_it_is

MIN_CHARS = 40  # as for base64 (filters/embedded.py): about 30 bytes, a short sentence
MAX_BASE58_CHARS = 64 * 1024  # a big number's conversion grows faster than its length
MAX_RUNS = 256  # candidate runs tried in one text; the rest are left to the judge
SAMPLE_CHARS = 5 * 64  # 256 bytes judged before a whole run is decoded
QUICK_CHARS = 50  # 40 bytes judged first: noise fails on them

BASE58_ALPHABETS = (
    ("base58", "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"),  # Bitcoin, IPFS
    ("base58", "123456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"),  # Flickr
)
_BASE58_CHARS = frozenset(BASE58_ALPHABETS[0][1])
_B85 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~"
_Z85 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#"
_Z85_TO_B85 = str.maketrans(_Z85, _B85)  # the same arithmetic, other digits
_ASCII85_CHARS = frozenset(chr(c) for c in range(0x21, 0x76)) | {"z", "y"}
_B85_CHARS = frozenset(_B85)
_Z85_CHARS = frozenset(_Z85)
_BASE64_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-")

# Printable ASCII but the blank to "a", the rest to a blank: a run of MIN_CHARS is then
# found by one search at memory speed, never by an expression tried at every word.
_RUN_TABLE = bytes(0x61 if 0x21 <= b <= 0x7E else 0x20 for b in range(256))
_RUN_NEEDLE = b"a" * MIN_CHARS
# Quotes and brackets round a value, and a separator after it (see base85).
_LEADING = "\"'`([{=:"
LEAD_CHARS = 24
_CLOSING = "\"'`)]},;"
_FOLLOWING_LINE = re.compile(r"\r?\n[ \t]*([!-~]+)")

# git's binary diff (diff.c, emit_binary_diff_body): a "literal" or "delta" header with
# the size, then lines of a length character (A-Z: 1-26 bytes, a-z: 27-52) and base85.
_GIT_PATCH = re.compile(
    r"GIT binary patch\r?\n(literal|delta) (\d+)\r?\n"
    r"((?:[A-Za-z][0-9A-Za-z!#$%&()*+\-;<=>?@^_`{|}~]{5,}\r?\n?)+)")


def _base58_number(digits: list[int], base: int = 58) -> int:
    """The number ``digits`` write, most significant first, halved recursively so the
    big multiplications are few (a loop digit by digit is quadratic)."""
    if len(digits) <= 64:
        value = 0
        for digit in digits:
            value = value * base + digit
        return value
    middle = len(digits) // 2
    low = digits[middle:]
    return _base58_number(digits[:middle], base) * base ** len(low) + _base58_number(low, base)


def _base58_decode(value: str, alphabet: str) -> bytes:
    table = {char: index for index, char in enumerate(alphabet)}
    digits = [table[char] for char in value]
    zeros = len(value) - len(value.lstrip(alphabet[0]))  # each leading "1" is a zero byte
    number = _base58_number(digits)
    return b"\x00" * zeros + number.to_bytes((number.bit_length() + 7) // 8, "big")


def base58(value: str) -> bytes | None:
    """The bytes ``value`` (a run of base64 characters, maybe wrapped) writes in base58
    when it uses only base58's characters and they say what they are; else None."""
    clean = re.sub(r"\s+", "", value)
    if not MIN_CHARS <= len(clean) <= MAX_BASE58_CHARS or not _BASE58_CHARS.issuperset(clean):
        return None
    for _, alphabet in BASE58_ALPHABETS:
        decoded = _base58_decode(clean, alphabet)
        if says_what_it_is(decoded):
            return decoded
    return None


def _ascii85(run: str) -> bytes | None:
    try:
        return base64.a85decode(run, foldspaces="y" in run)
    except ValueError:
        return None


def _b85(run: str) -> bytes | None:
    try:
        return base64.b85decode(run)
    except ValueError:
        return None


def _z85(run: str) -> bytes | None:
    return _b85(run.translate(_Z85_TO_B85))


_BASE85 = (("ascii85", _ASCII85_CHARS, _ascii85), ("z85", _Z85_CHARS, _z85),
           ("base85", _B85_CHARS, _b85))


def base85(run: str) -> tuple[str, bytes] | None:
    """(alphabet name, bytes) of ``run`` (no blanks) read as base85 in the first alphabet
    whose bytes say what they are; None for any other run (a URL, a path, code).

    A value in quotes or brackets (a JSON string, a call's argument, ``key=VALUE``) is one
    run with them, as ascii85 has their characters too: the run is also read from after
    each such character near its start and without up to three closing ones. A wrong cut
    at the start shifts the groups into noise; one at the end changes a last byte at most."""
    trail = min(len(run) - len(run.rstrip(_CLOSING)), 3)
    # The whole run first, then from after each opening character or "=" or ":" near the
    # start (``decode(``, ``key=``, ``"note":"``), nearest first: a cut by five characters
    # also decodes, short of the value's first bytes.
    cuts = [at + 1 for at, char in enumerate(run[:LEAD_CHARS]) if char in _LEADING]
    for cut in (0, *cuts):
        body = run[cut:]
        # The alphabet told by the first characters (a character outside it further on
        # fails the whole decode): a run can be a line of a megabyte.
        used = set(body[:SAMPLE_CHARS])
        if len(body) < MIN_CHARS or used <= _BASE64_CHARS:
            continue  # base64's characters only: base64 or base58, read there
        for name, alphabet, decode in _BASE85:
            # Noise is told by its first bytes (ascii85's decoder is Python: a line of
            # code is not decoded whole), text and a file's start by all of them.
            if not used <= alphabet or not _may_say(_first_bytes(body, name)):
                continue
            if not _says(decode(body[:QUICK_CHARS])):
                continue
            if not _says(decode(body[:SAMPLE_CHARS])):
                continue
            for end_cut in range(trail, -1, -1):
                if whole := decode(body[:len(body) - end_cut]):
                    return name, whole
    return None


_DIGITS = {"ascii85": {chr(33 + value): value for value in range(85)},
           "z85": {char: value for value, char in enumerate(_Z85)},
           "base85": {char: value for value, char in enumerate(_B85)}}
_FIRST_BYTES = 8  # two groups, by integer arithmetic: the decoders are Python code


def _first_bytes(body: str, name: str) -> bytes | None:
    """The first 8 bytes ``body`` writes in alphabet ``name`` (None where ascii85 writes
    a group short, ``z`` or ``y``, or a group overflows: the whole decoder judges it)."""
    digits = _DIGITS[name]
    out = bytearray()
    for at in (0, 5):
        value = 0
        for char in body[at:at + 5]:
            digit = digits.get(char)
            if digit is None:
                return None
            value = value * 85 + digit
        if value >> 32:
            return b""  # no decoder accepts it
        out += value.to_bytes(4, "big")
    return bytes(out)


def _may_say(head: bytes | None) -> bool:
    """Whether 8 bytes may start text or a file: a prefix of a known signature, or UTF-8
    (maybe cut at the end) that is printable. Nine in ten thousand random heads are."""
    if head is None:
        return True
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        text = head[:error.start].decode("utf-8") if error.start >= len(head) - 3 else "\x00"
    if text.isprintable() or all(char.isprintable() or char in "\t\n\r" for char in text):
        return True
    return any(signature.startswith(head[:len(signature)]) for signature in FILE_SIGNATURES)


def _says(data: bytes | None) -> bool:
    return data is not None and says_what_it_is(data)


def _lines_after(text: str, end: int, width: int) -> int:
    """Where a run of ``width`` characters ending at ``end`` ends once an encoder's wrapped
    lines after it are taken in: lines of the same width, then the first word of a
    shorter last line (which may have text after it)."""
    after = _full_lines(width).match(text, end).end()
    if after == end:
        return end
    line = _FOLLOWING_LINE.match(text, after)
    return after if line is None else line.end()


@functools.lru_cache(maxsize=128)
def _full_lines(width: int) -> re.Pattern[str]:
    """Lines of exactly ``width`` printable characters, one match for all of them (a
    match a line was most of a megabyte's scan of one letter in 76-character lines)."""
    return re.compile(rf"(?:\r?\n[ \t]*[!-~]{{{width}}}(?![!-~]))*")


def may_hold_runs(encoded: bytes, vectors: bool) -> bool:
    """False when ``encoded`` (UTF-8) holds no MIN_CHARS printable ASCII characters in a
    row: by NumPy arithmetic when ``vectors`` (a long text), else by one translation."""
    if not vectors:
        return encoded.translate(_RUN_TABLE).find(_RUN_NEEDLE) >= 0
    import numpy as np  # as in filters/embedded.py: not for a one-file scan of short mail

    codes = np.frombuffer(encoded, dtype=np.uint8)
    blank = codes - 0x21  # blanks and controls wrap past 0x5D, as does all but ASCII
    where = np.flatnonzero(np.greater(blank, 0x5D, out=blank.view(np.bool_)))
    if where.size == 0:
        return len(encoded) >= MIN_CHARS
    bounds = np.concatenate(([-1], where, [len(encoded)]))
    return bool((np.diff(bounds) > MIN_CHARS).any())


def runs(text: str, encoded: bytes, skip: list[tuple[int, int]]
         ) -> Iterator[tuple[tuple[int, int], str, bytes]]:
    """((start, end), alphabet name, bytes) of each base85 run in ``text`` that says what
    it is; runs that start inside a ``skip`` span (decoded already) are passed over."""
    if not holds_base85_only(encoded):
        return  # no character base64 lacks: every run is left by _base64_head
    marks = encoded.translate(_RUN_TABLE)
    ascii_text = len(encoded) == len(text)
    at, tried, consumed = marks.find(_RUN_NEEDLE), 0, 0
    counted_bytes = counted_chars = 0
    while at >= 0 and tried < MAX_RUNS:
        start = marks.rfind(b" ", 0, at) + 1
        end = marks.find(b" ", at)
        end = len(marks) if end < 0 else end
        at = marks.find(_RUN_NEEDLE, end)
        tried += 1
        if not ascii_text:
            # Byte offsets to characters: a run is ASCII, what precedes it may not be. Runs
            # come in order, so only the bytes since the last one are decoded.
            length = end - start
            counted_chars += len(encoded[counted_bytes:start].decode("utf-8", "replace"))
            counted_bytes = start
            start = counted_chars
            end = start + length
        if start < consumed or any(low <= start < high for low, high in skip):
            continue  # a wrapped line of a run read already, or a value decoded already
        consumed = end = _lines_after(text, end, end - start)
        if _base64_head(text, start, end):
            continue  # base85 reads none of it (a line of one letter a megabyte long)
        run = re.sub(r"\s+", "", text[start:end])
        if (found := base85(run)) is not None:
            yield (start, end), found[0], found[1]


# Every byte but the printable ASCII characters base64 lacks (deleted, what is left are
# characters only base85 writes).
_NOT_BASE85_ONLY = bytes(code for code in range(256)
                         if not 0x21 <= code <= 0x7E or chr(code) in _BASE64_CHARS)
_HEAD_CHARS = LEAD_CHARS + SAMPLE_CHARS  # what base85() judges a run's alphabet by
_FIRST_BYTES = 4096  # the stretch holds_base85_only reads first


def holds_base85_only(encoded: bytes) -> bool:
    """Whether ``encoded`` holds a printable ASCII character base64 lacks (without one,
    ``runs`` finds nothing). Read from the first few kilobytes first: most text has one
    there (a full stop, a comma), and the whole text's translation took 0.375 ms a
    megabyte."""
    return (bool(encoded[:_FIRST_BYTES].translate(None, _NOT_BASE85_ONLY))
            or (len(encoded) > _FIRST_BYTES and bool(encoded.translate(None, _NOT_BASE85_ONLY))))


def _base64_head(text: str, start: int, end: int) -> bool:
    """Whether the run ``text[start:end]`` (blanks left out) opens with _HEAD_CHARS of
    base64's characters: base85() then reads no cut of it, so it need not be joined."""
    head = re.sub(r"\s+", "", text[start:min(end, start + 2 * _HEAD_CHARS)])
    if len(head) < _HEAD_CHARS and start + 2 * _HEAD_CHARS < end:
        return False  # mostly blanks in the window: judge the joined run
    return set(head[:_HEAD_CHARS]) <= _BASE64_CHARS


def git_binary_patches(text: str) -> Iterator[tuple[tuple[int, int], bytes]]:
    """((start, end), zlib stream) of each ``literal`` block of a git binary patch: the
    new file, deflated. A ``delta`` block (instructions against the old file) is left."""
    for match in _GIT_PATCH.finditer(text):
        if match.group(1) != "literal":
            continue
        data = bytearray()
        for line in match.group(3).split("\n"):
            line = line.rstrip("\r")
            if not line:
                continue
            size = ord(line[0]) - (ord("A") - 1 if line[0] <= "Z" else ord("a") - 27)
            decoded = _b85(line[1:])
            if decoded is None or len(decoded) < size:
                break
            data += decoded[:size]
        if data:
            yield match.span(), bytes(data)

