"""Bytes written as a list of numbers: decimal, octal or 0x-hex figures, or escapes.

What ``list(data)`` prints in Python (``[80, 75, 3, 4, …]``), a JavaScript
``Uint8Array`` literal, a C array (``{80, 75, 3, 4}``, ``{0x50, 0x4b, 0x03}``), ``od -An
-tu1`` and ``od -An -to1`` (``120 113 003 004``), and a C or Python string of escapes
(``"\\120\\113\\003"``, ``"\\x50\\x4b"``): a file or a text put into a text in a form no
other decoder reads. Ordinary text has such lists too (a CSV of figures, measurements,
a list of ports), so a list is read back only where its bytes say what they are
(``dump_content.says_what_it_is``: a file's signature or text), as a hex dump of an
ordinary shape is; a table of figures decodes to noise and stays text.

Cost: a list holds a number every 32 characters or less, of three digits at most,
between separators, and no letters but hex digits; counted window by window at memory
speed (``_windows_counted``, or by NumPy on a long text), prose has letters and a table
of figures too many numbers of four digits or joined by ".", ":", "-" or "/", and neither
is searched. Where the search runs, a list is
judged by its first SAMPLE_BYTES numbers, and a table of figures is passed over to where
its characters end.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from filters.dump_content import SAMPLE_BYTES, says_what_it_is

if TYPE_CHECKING:
    import numpy as np

MIN_LIST_BYTES = 80  # as many bytes as the shortest hex run read (160 digits)
# Where a list may stand is told window by window, at memory speed: a list starts a
# number every 32 characters or less (the sparsest written is a JSON array pretty-printed,
# one number a line: 17 characters at depth 3 by 4), so a window inside one, or the
# larger part of a list of MIN_LIST_BYTES numbers across two, starts MIN_STARTS numbers,
# and holds no letters but hex digits and x (the words around it are in the windows on
# either side, searched with it). Prose has letters; a table of figures starts as many
# numbers, but its figures run to four digits or more, or stand against other characters
# (12.5, 10:30, 2024-05-01): more than one such join in four starts, and the window is
# no list.
WINDOW_BITS = 8
WINDOW = 1 << WINDOW_BITS  # 256
MIN_STARTS = WINDOW // 32
MAX_LETTERS = WINDOW // 32  # letters other than a-f and x: a word or two
# Each byte to its class: d(igit), s(eparator), m(inus), b(ackslash), x, h (a hex letter,
# which may stand against digits: 0x4b), l (another letter), o(ther).
_CLASSES = bytes(0x64 if chr(b).isdigit() and b < 128 else 0x73 if chr(b) in " \t\r\n,"
                 else 0x6D if b == 0x2D else 0x62 if b == 0x5C else 0x78 if chr(b) in "xX"
                 else 0x68 if chr(b) in "abcdefABCDEF" else 0x6C if b < 128 and chr(b).isalpha()
                 else 0x6F for b in range(256))
# A figure, an octal escape, 0x, a \x escape. The x of 0x and \x starts a number only
# before a hex digit ("0x4b"): a digit before a capital X ("0XXX…", as smtp-source
# starts its lines) starts none.
_STARTS = (b"sd", b"bd", b"dxd", b"dxh", b"bxd", b"bxh")
_JOINED = (b"dddd", b"do", b"od", b"dm", b"md")  # "m" is "o" to a list of bytes
# A list of words (16 or 32 bits, od -tu2, -td2, -tu4, -to2) has figures of up to ten
# digits, and a sign: its numbers start after a separator or a minus, and join other
# characters only where a figure does (a "-" after a digit, "12.5", "10:30", "1/2").
_WORD_STARTS = (b"sd", b"md", b"dxd", b"dxh")
_WORD_JOINED = (b"do", b"od", b"dm")

_DEC = r"[0-9]{1,3}"
_HEX = r"0[xX][0-9a-fA-F]{1,2}"
_ESC = r"\\(?:[0-7]{1,3}|x[0-9a-fA-F]{2})"
_NUMBER = rf"(?:{_HEX}|{_DEC})"
# Between two numbers: a comma, blanks, a line end; a line of `od` may start with its
# offset column (6 to 8 digits: octal, decimal or hex), which is no byte, and a line of
# "*" stands for lines that repeat the one above (od without -v).
_SEP = (r"(?:[ \t]*,[ \t]*(?:\r?\n[ \t]*)?|[ \t]*\r?\n(?:[ \t]*\*[ \t]*\r?\n)?"
        r"(?:[0-9a-fA-F]{6,8}[ \t]+)?[ \t]*|[ \t]+)")
# After od's last line: "*" maybe, and the offset that ends the file.
_OD_END = r"(?:[ \t]*\r?\n(?:[ \t]*\*[ \t]*\r?\n)?[0-9a-fA-F]{6,8}(?![\w.]))?"
# Between two pieces of a string of escapes: the end of one literal and the start of the
# next, adjacent ("…" "…"), added ("…" + "…"), maybe on the next line.
_JOIN = r"""["'][ \t]*\+?[ \t]*(?:\\?\r?\n[ \t]*\+?[ \t]*)?[bB]?["']"""
_LIST = re.compile(  # searched in the text's UTF-8: the offsets of the windows
    rf"(?<![\w.\\])(?:{_NUMBER}(?:{_SEP}{_NUMBER})+(?![\w.]){_OD_END}|{_ESC}(?:(?:{_JOIN})?{_ESC})+(?![\w.]))"
    .encode())
# The first numbers of a list, as many as are judged (at least MIN_LIST_BYTES), and the
# characters a list is written in (a superset), passed over once its head is judged.
_HEAD = re.compile(
    rf"(?<![\w.\\])(?:{_NUMBER}(?:{_SEP}{_NUMBER}){{{MIN_LIST_BYTES - 1},{SAMPLE_BYTES - 1}}}"
    rf"|{_ESC}(?:(?:{_JOIN})?{_ESC}){{{MIN_LIST_BYTES - 1},{SAMPLE_BYTES - 1}}})".encode())
_REST = re.compile(rb"""[0-9a-fA-FxX\\,\s"'+]*""")
# A figure stands alone: an offset column (``0000020``, ``00001a0``) is no byte.
_ITEM = re.compile(r"0[xX]([0-9a-fA-F]+)|\\x([0-9a-fA-F]{2})|\\([0-7]{1,3})|(?<![\w\\])([0-9]{1,3})(?!\w)")
_FIGURE = re.compile(r"(?<![\w\\])[0-9]+(?!\w)")
_OCTAL_DIGITS = frozenset("01234567")
MAX_REPEATS = 1 << 16  # lines a "*" of od stands for, at most (1 MiB)
_DIGITS = b"0123456789"

# Words: figures of up to ten digits (4294967295), signed or not, or 0x-hex of up to
# eight; at least MIN_LIST_BYTES bytes' worth of 32-bit words, judged by SAMPLE_BYTES'.
_WORD = r"(?:0[xX][0-9a-fA-F]{1,8}|-?[0-9]{1,11})"
MIN_WORDS = MIN_LIST_BYTES // 4
_WORD_HEAD = re.compile(rf"(?<![\w.\\-]){_WORD}(?:{_SEP}{_WORD}){{{MIN_WORDS - 1},{SAMPLE_BYTES // 2 - 1}}}"
                        .encode())
_WORD_LIST = re.compile(rf"(?<![\w.\\-]){_WORD}(?:{_SEP}{_WORD})+(?![\w.])".encode())
_WORD_REST = re.compile(rb"[0-9a-fA-FxX,\s*-]*")
_WORD_ITEM = re.compile(r"0[xX]([0-9a-fA-F]+)|(?<![\w\\])(-?[0-9]+)(?!\w)")
_SWAPPED_CASE = re.compile(rb"[a-z][A-Z]")
# (bytes a word, the least and greatest value written): unsigned or signed.
_WIDTHS = ((2, -(1 << 15), (1 << 16) - 1), (4, -(1 << 31), (1 << 32) - 1))


def _values(items: list[tuple[str, str, str, str]], octal: bool) -> bytes | None:
    """The bytes ``items`` (``_ITEM`` groups) write, plain figures read in octal when
    ``octal``; None when one is no byte (over 255, or an 8 or 9 read as octal)."""
    out = bytearray()
    for hex_number, hex_escape, octal_escape, figure in items:
        if hex_number or hex_escape:
            value = int(hex_number or hex_escape, 16)
        elif octal_escape:
            value = int(octal_escape, 8)
        elif octal:
            if "8" in figure or "9" in figure:
                return None
            value = int(figure, 8)
        else:
            value = int(figure)
        if value > 255:
            return None
        out.append(value)
    return bytes(out)


def _all_values(written: str, items: list[tuple[str, str, str, str]], octal: bool) -> bytes | None:
    """``_values`` of every item of ``written``, whose first ``items`` were read: a list
    of plain figures (most of them) by ``bytes(map(int, …))`` at a third of the time."""
    if not any(hex_number or hex_escape or octal_escape for hex_number, hex_escape, octal_escape, _ in items):
        figures = _FIGURE.findall(written)
        if all(len(figure) <= 3 for figure in figures):  # no offset column
            try:
                return bytes([int(figure, 8) for figure in figures] if octal else map(int, figures))
            except ValueError:  # over 255, or an 8 or 9 read as octal
                return None
    return _values(_ITEM.findall(written), octal)


def _repeated(written: str) -> str:
    """``written`` (od output) with each "*" line replaced by the lines it stands for:
    as many as the next offset tells when there is an offset column, else one (od -An
    does not say how many)."""
    rows: list[tuple[str | None, list[str]] | None] = []
    for line in written.splitlines():
        tokens = line.split()
        if tokens == ["*"]:
            rows.append(None)
        elif tokens:
            offset = tokens[0] if len(tokens[0]) >= 6 else None
            rows.append((offset, tokens[1:] if offset else tokens))
    # The base of the offsets: the one in which two lines in a row (the first offset is
    # before the list's start) advance by the first one's numbers.
    pair = next(((a, b) for a, b in itertools.pairwise(rows) if a and b and a[0] and b[0]), None)
    base = next((base for base in (8, 10, 16) if pair
                 and _offset(pair[1][0], base) - _offset(pair[0][0], base) == len(pair[0][1])), 0)
    out: list[str] = []
    for index, row in enumerate(rows):
        if row is not None:
            out.extend(row[1])
            continue
        above, below = rows[index - 1] if index else None, rows[index + 1] if index + 1 < len(rows) else None
        if above is None:
            continue
        times = 1
        if base and below is not None and above[0] and below[0] and above[1]:
            gap = _offset(below[0], base) - _offset(above[0], base) - len(above[1])
            times = max(0, gap) // len(above[1])
        out.extend(above[1] * min(times, MAX_REPEATS))
    return " ".join(out)


def _offset(token: str | None, base: int) -> int:
    try:
        return int(token or "", base)
    except ValueError:
        return -1


def decode(written: str) -> bytes | None:
    """The bytes the list ``written`` writes when they say what they are (a file's
    signature, or text), else None. Plain figures are read in decimal, and in octal when
    all are octal digits (``od -to1``); zero-padded ones (``003``) in octal first."""
    if "*" in written:
        written = _repeated(written)
    # Judged by its first bytes, read in full only when they say what they are.
    items = [match.groups() for match in itertools.islice(_ITEM.finditer(written), SAMPLE_BYTES)]
    if len(items) < MIN_LIST_BYTES:
        return None
    figures = [item[3] for item in items if item[3]]
    readings = [False]
    if figures and all(set(f) <= _OCTAL_DIGITS for f in figures):
        padded = all(len(f) == 3 for f in figures)
        readings = [True, False] if padded else [False, True]
    for octal in readings:
        sample = _values(items, octal)
        if sample is not None and says_what_it_is(sample):
            return _all_values(written, items, octal)
    return None


def _word_values(items: list[tuple[str, str]], octal: bool) -> list[int] | None:
    """The numbers ``items`` (``_WORD_ITEM`` groups) write, plain figures read in octal
    when ``octal``; None when a figure has an 8 or 9 read as octal."""
    try:
        return [int(hex_number, 16) if hex_number else int(figure, 8 if octal else 10)
                for hex_number, figure in items]
    except ValueError:
        return None


def _as_words(values: list[int], size: int, order: str) -> bytes:
    """``values`` (each fits ``size`` bytes, signed or not) as words of ``size`` bytes."""
    import numpy as np  # a list of words is long: converted at memory speed

    mask = (1 << (8 * size)) - 1
    array = np.array([value & mask for value in values], dtype=np.uint64)
    return array.astype(f"{'<' if order == 'little' else '>'}u{size}").tobytes()


def decode_words(written: str) -> bytes | None:
    """The bytes the list of 16- or 32-bit words ``written`` writes (od -tu2, -td2,
    -tu4, -to2: little-endian, or big-endian) when they say what they are, else None.
    A list whose numbers all fit a byte is no list of words (``decode`` reads it)."""
    if "*" in written:  # od without -v: a line that repeats the one above
        lines = written.splitlines()
        written = "\n".join(lines[index - 1] if line.strip() == "*" and index else line
                            for index, line in enumerate(lines))
    items = _WORD_ITEM.findall(written)
    figures = [figure.lstrip("-") for _, figure in itertools.islice(items, SAMPLE_BYTES // 2) if figure]
    readings = [False]
    if figures and all(set(f) <= _OCTAL_DIGITS for f in figures):
        # od -to2 pads its figures to six digits, -to4 to eleven: octal first then.
        readings = [True, False] if len({len(f) for f in figures}) == 1 else [False, True]
    for octal in readings:
        sample = _word_values(items[:SAMPLE_BYTES // 2], octal)
        if sample is None or (min(sample) >= 0 and max(sample) <= 255):
            continue
        low, high = min(sample), max(sample)
        for size, least, greatest in _WIDTHS:
            if low < least or high > greatest or len(items) * size < MIN_LIST_BYTES:
                continue
            head = sample[:SAMPLE_BYTES // size]
            heads = {order: _as_words(head, size, order) for order in ("little", "big")}
            orders = [order for order, data in heads.items() if says_what_it_is(data)]
            if not orders:
                continue
            # Text read in the wrong order is text too, each pair of letters swapped
            # ("pOeration"): the order with fewer capitals after a small letter.
            order = min(orders, key=lambda order: len(_SWAPPED_CASE.findall(heads[order])))
            values = _word_values(items, octal)
            if values is None or min(values) < least or max(values) > greatest:
                return None
            return _as_words(values, size, order)
    return None


def _widen(encoded: bytes, windows: Iterable[int]) -> list[tuple[int, int]]:
    """(start, end) of each run of consecutive ``windows`` (their starts, in order), one
    window added on either side (a list's ends may stand in windows of few numbers)."""
    stretches: list[tuple[int, int]] = []
    for start in windows:
        low, high = max(0, start - WINDOW), min(len(encoded), start + 2 * WINDOW)
        if stretches and low <= stretches[-1][1]:
            stretches[-1] = (stretches[-1][0], high)
        else:
            stretches.append((low, high))
    return stretches


def _listed(starts: int, joined: int, letters: int) -> bool:
    """Whether a window starting ``starts`` numbers, ``joined`` of its digits against
    other digits or characters, holding ``letters`` (but hex digits and x), may hold a
    list."""
    return starts >= MIN_STARTS and joined * 4 <= starts and letters <= MAX_LETTERS


def _words_listed(starts: int, joined: int, letters: int, long_figures: int) -> bool:
    """Whether a window may hold a list of words: as ``_listed``, figures of any length
    counting as no join, and one of four digits or more at least (a window of shorter
    figures is a list of bytes' or none)."""
    return long_figures > 0 and starts >= MIN_STARTS and joined * 4 <= starts and letters <= MAX_LETTERS


def _windows_counted(encoded: bytes) -> tuple[list[int], list[int]]:
    """Starts of the windows of ``encoded`` that may hold a list of bytes, and of those
    that may hold a list of words, counted by bytes.count on the text translated to
    classes (a short text: no NumPy). A mark of three classes (``dxh``) is counted where
    it starts, in the window or up to the window's last byte."""
    classes = encoded.translate(_CLASSES)
    count = classes.count
    found: list[int] = []
    words: list[int] = []
    for start in range(0, len(classes), WINDOW):
        end = start + WINDOW
        # Each start ("sd", "bd", "dxh", "bxh"; "md" of a word) ends in a digit or a
        # backslash, or is an x after a digit or a backslash: a window has at most
        # 2 d + b of them. Most text stops at this bound.
        digits = count(b"d", start, end)
        backslashes = count(b"b", start, end)
        if 2 * digits + backslashes < MIN_STARTS:
            continue
        # Closer: those ending in a digit or a backslash, and the 0x before a hex digit
        # (smtp-source's lines, a digit and 77 capitals, stop here).
        hex_after_digit = count(b"dxd", start, end + 1) + count(b"dxh", start, end + 1)
        if digits + backslashes + hex_after_digit < MIN_STARTS:
            continue
        window = classes[start:end]
        marks = window.count
        letters = marks(b"l")
        if letters > MAX_LETTERS:
            continue
        # The marks of _STARTS, _JOINED, _WORD_STARTS and _WORD_JOINED written out: a
        # sum over a generator per list cost more than the counts of a 256-byte window.
        long_figures = marks(b"dddd")
        figure_starts = marks(b"sd")
        joined_after = marks(b"do")
        joined_before = marks(b"od")
        minus_after = marks(b"dm")
        minus_before = marks(b"md")
        escape_starts = (marks(b"bd") + count(b"bxd", start, end + 1)
                         + count(b"bxh", start, end + 1)) if backslashes else 0
        if _listed(figure_starts + escape_starts + hex_after_digit,
                   long_figures + joined_after + joined_before + minus_after + minus_before,
                   letters):
            found.append(start)
        if long_figures and _words_listed(figure_starts + minus_before + hex_after_digit,
                                          joined_after + joined_before + minus_after,
                                          letters, long_figures):
            words.append(start)
    return found, words


def _windows_vectored(encoded: bytes, digits: np.ndarray) -> tuple[list[int], list[int]]:
    """``_windows_counted`` by NumPy arithmetic on the bytes: a number starts where a
    digit follows no digit, a join is the fourth digit of a run or a character that joins
    figures (``.``, ``:``, ``-``, ``/``; for words, a ``-`` only after a digit). Only the
    windows with digits enough (``digits``, their offsets, were counted already) are
    read: prose has few such, and stops there."""
    import numpy as np  # only long texts, which have loaded it already, come here

    candidates = np.flatnonzero(np.bincount(digits >> WINDOW_BITS) >= MIN_STARTS)
    if not candidates.size:
        return [], []
    codes = np.frombuffer(encoded, dtype=np.uint8)
    # Blanks before the text (a digit run's start and its fourth digit look up to
    # CONTEXT bytes back) and after it (whole windows, the last one filled out).
    padded = np.concatenate((np.full(CONTEXT, 0x20, dtype=np.uint8), codes,
                             np.full(-codes.size % WINDOW, 0x20, dtype=np.uint8)))
    # Window i with the CONTEXT bytes before it, as a view: row i starts at byte i * WINDOW.
    rows = np.lib.stride_tricks.as_strided(
        padded, shape=((padded.size - CONTEXT) // WINDOW, WINDOW + CONTEXT), strides=(WINDOW, 1),
        writeable=False)
    found: list[int] = []
    words: list[int] = []
    # BLOCK_WINDOWS at a time: the temporaries stay in cache (a megabyte's took page faults).
    for at in range(0, candidates.size, BLOCK_WINDOWS):
        chosen = candidates[at:at + BLOCK_WINDOWS]
        block = rows[chosen]
        # Letters g-w, y, z in either case (the case bit set: "@" and "[" fall outside),
        # counted first: prose and reports stop here, before the other counts.
        folded = block[:, CONTEXT:] | 0x20
        letters = ((folded - 0x67) < 17) | ((folded - 0x79) < 2)
        few_letters = np.count_nonzero(letters, axis=1) <= MAX_LETTERS
        if not few_letters.any():
            continue
        chosen, block = chosen[few_letters], block[few_letters]
        digit = (block - 0x30) < 10
        starts = digit[:, CONTEXT:] & ~digit[:, CONTEXT - 1:-1]
        window = block[:, CONTEXT:]
        figure_joins = ((window - 0x2E) < 2) | (window == 0x3A)  # ".", "/" are 0x2E, 0x2F
        minus = window == 0x2D
        # A run of four digits or more counts once, as its first "dddd" does in bytes.count
        # (od's offset column, seven digits a line, stays under a quarter of its numbers):
        # a fourth digit whose byte before is no fourth digit.
        four = digit[:, 3:] & digit[:, 2:-1] & digit[:, 1:-2] & digit[:, :-3]
        fourth = four[:, 1:] & ~four[:, :-1]
        starts_in = np.count_nonzero(starts, axis=1)
        joins_in = np.count_nonzero(figure_joins | minus | fourth, axis=1)
        found.extend((chosen[(starts_in >= MIN_STARTS) & (joins_in * 4 <= starts_in)] * WINDOW).tolist())
        # Words: a sign is no join, a "-" after a digit is; one long figure at least.
        long_in = np.count_nonzero(fourth, axis=1)
        word_joins_in = np.count_nonzero(figure_joins | (minus & digit[:, CONTEXT - 1:-1]), axis=1)
        words.extend((chosen[(long_in > 0) & (starts_in >= MIN_STARTS)
                             & (word_joins_in * 4 <= starts_in)] * WINDOW).tolist())
    return found, words


CONTEXT = 4  # bytes before a window that its counts depend on
BLOCK_WINDOWS = 256  # 64 KB of text a block


def byte_lists(text: str, encoded: bytes, digit_offsets: np.ndarray | None = None
               ) -> Iterator[tuple[tuple[int, int], bytes]]:
    """((start, end), bytes) of each list of numbers in ``text`` whose bytes say what
    they are. ``encoded`` is the text's UTF-8; ``digit_offsets``, when given (long
    texts), the offsets of its ASCII digits."""
    if digit_offsets is None:
        if len(encoded) - len(encoded.translate(None, _DIGITS)) < MIN_LIST_BYTES:
            return
        windows, word_windows = _windows_counted(encoded)
    else:
        if digit_offsets.size < MIN_LIST_BYTES:
            return
        windows, word_windows = _windows_vectored(encoded, digit_offsets)
    ascii = len(encoded) == len(text)  # byte offsets are then character offsets
    taken: list[tuple[int, int]] = []
    for start, end in _widen(encoded, windows):
        at = start
        while head := _HEAD.search(encoded, at, end):
            # Judged by its head: a table of figures is passed over to where its
            # characters end, at the speed of one character class.
            if decode(head.group().decode("ascii")) is None:
                at = _REST.match(encoded, head.end()).end()
                continue
            whole = _LIST.match(encoded, head.start())
            at = whole.end() if whole else head.end()
            data = decode(whole.group().decode("ascii")) if whole else None
            if data is None:
                continue
            taken.append(whole.span())
            yield _characters(text, encoded, whole.span(), ascii), data
    for start, end in _widen(encoded, word_windows):
        at = start
        while head := _WORD_HEAD.search(encoded, at, end):
            # As a list of bytes: judged by its head, a table passed over.
            if any(low < head.end() and head.start() < high for low, high in taken) \
                    or decode_words(head.group().decode("ascii")) is None:
                at = _WORD_REST.match(encoded, head.end()).end()
                continue
            whole = _WORD_LIST.match(encoded, head.start())
            at = whole.end() if whole else head.end()
            data = decode_words(whole.group().decode("ascii")) if whole else None
            if data is None:
                continue
            yield _characters(text, encoded, whole.span(), ascii), data


def _characters(text: str, encoded: bytes, span: tuple[int, int], ascii: bool) -> tuple[int, int]:
    """``span`` (offsets in ``encoded``, the UTF-8 of ``text``) in characters."""
    if ascii:  # byte offsets are then character offsets
        return span
    # At most a few lists a text: each counted once.
    return (len(encoded[:span[0]].decode("utf-8", "replace")),
            len(encoded[:span[1]].decode("utf-8", "replace")))
