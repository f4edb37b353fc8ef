"""Text normalisation for marking detection, with a map back to the original offsets.

One step undoes the usual evasions before any rule looks at text: text behind a
right-to-left override (U+202E) put back in the order a reader sees it, compatibility
forms (full-width letters, ligatures) by NFKC, invisible characters (zero-width, soft
hyphen, bidi controls, variation selectors, tag characters) and control characters (a
NUL inside a word) removed, look-alikes folded by the table generated from Unicode's
confusables and character properties (filters/normalise_table.tsv: Cherokee, Greek and
Cyrillic look-alikes, small capitals, regional indicators and other letter-like symbols,
blank look-alikes such as the Braille blank folded to a space, overlay strokes removed),
decorating combining marks on Latin letters dropped, the traditional forms of the
characters in Chinese markings folded to simplified ones, and the quote markers of
quoted mail (``> > ``) removed from line starts. Letter spacing (``S E C R E T``, ``机 密 ★ 5 年``) is undone
by ``despace`` on the short windows the rules look at. Every output character knows the
index of the original character it came from, so excerpts show the real text.
"""

from __future__ import annotations

import functools
import re
import sys
import threading
import unicodedata
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Characters that render as nothing, or nothing visible between letters.
_INVISIBLE_RANGES = (
    (0x00AD, 0x00AD),  # soft hyphen
    (0x034F, 0x034F),  # combining grapheme joiner
    (0x061C, 0x061C),  # Arabic letter mark
    (0x115F, 0x1160),  # Hangul fillers
    (0x17B4, 0x17B5),  # Khmer inherent vowels
    (0x180B, 0x180F),  # Mongolian free variation selectors and vowel separator
    (0x200B, 0x200F),  # zero-width space, joiners, LRM/RLM
    (0x202A, 0x202E),  # bidi embeddings and overrides
    (0x2060, 0x206F),  # word joiner, invisible operators, bidi isolates
    (0x3164, 0x3164),  # Hangul filler
    (0xFE00, 0xFE0F),  # variation selectors
    (0xFEFF, 0xFEFF),  # zero-width no-break space / BOM
    (0xFFA0, 0xFFA0),  # half-width Hangul filler
    (0xFFF9, 0xFFFB),  # interlinear annotation controls
    (0x1D173, 0x1D17A),  # musical formatting controls
    # Tag characters but those that spell ASCII (U+E0020-U+E007E, and those of tab and
    # line ends): fold_char reads these as the letters they spell rather than dropping
    # them, since a line of them after a visible word is a memo to whoever decodes it.
    (0xE0000, 0xE0008),
    (0xE000B, 0xE000C),
    (0xE000E, 0xE001F),
    (0xE007F, 0xE007F),
    (0xE0100, 0xE01EF),  # variation selectors supplement
)

# Punctuation the rule patterns are written with: dashes, asterisks and the stars of
# Chinese markings fold to one form each, so patterns stay simple. (Look-alike letters
# come from the generated table below, not from a list kept by hand.)
_CONFUSABLES = {
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-", "﹣": "-",
    "＊": "*", "☆": "★", "✩": "★", "✪": "★", "✫": "★", "✬": "★", "✭": "★", "✮": "★",
    "✯": "★", "⭐": "★", "🟊": "★",
}


def _load_table() -> dict[str, str]:
    """filters/normalise_table.tsv: look-alike folding generated from Unicode's data
    (scripts/make_normalise_table.py)."""
    table: dict[str, str] = {}
    path = Path(__file__).with_name("normalise_table.tsv")
    for line in path.read_text(encoding="ascii").splitlines():
        if not line or line.startswith("#"):
            continue
        code, replacement, _why = line.split("\t")
        table[chr(int(code, 16))] = "".join(chr(int(c, 16)) for c in replacement.split())
    return table


_TABLE = _load_table()

# Traditional forms of the characters that Chinese markings are written with (Big5 mail
# from Taiwan and Hong Kong writes 機密★5年, 絕密, 徵求意見稿, 內部資料): folded to the simplified
# forms the rules use. One character each, so offsets stay one to one.
_TRADITIONAL = {
    "絕": "绝", "機": "机", "級": "级", "內": "内", "資": "资", "徵": "征", "見": "见",
    "討": "讨", "論": "论", "審": "审", "議": "议", "擬": "拟", "報": "报", "訂": "订",
    "長": "长", "個": "个", "傳": "传", "參": "参", "項": "项", "請": "请",
    # Taiwan's standard form of 秘 (祕密, 祕書): the same character to a reader.
    "祕": "秘",
}
_CONFUSABLES.update(_TRADITIONAL)


def _class_without(ranges: tuple[tuple[int, int], ...], excluded: set[int]) -> str:
    """A regex character class body for ``ranges`` minus the code points in ``excluded``."""
    out = []
    for low, high in ranges:
        start = low
        for code in [*sorted(c for c in excluded if low <= c <= high), high + 1]:
            if code > start:
                out.append(f"{re.escape(chr(start))}-{re.escape(chr(code - 1))}")
            start = code + 1
    return "".join(out)


# Characters whose NFKC form is themselves and that are not confusables or invisible:
# ASCII, Latin-1 letters, CJK ideographs (but the traditional forms above), kana and
# common CJK punctuation. Runs of these are copied without per-character work.
_SAFE_RUN = re.compile("[" + _class_without(
    ((0x09, 0x0D), (0x20, 0x7E), (0xC0, 0xFF), (0x3001, 0x303F), (0x3040, 0x30FF),
     (0x3400, 0x4DBF), (0x4E00, 0x9FFF)), {ord(c) for c in _TRADITIONAL}) + "]+")
# Control characters that never belong inside text (a NUL between letters, or the NULs of
# UTF-16 read one byte at a time); tab and line ends stay.
_KEPT_CONTROLS = frozenset("\t\n\r\x0b\x0c\x85")
# Right-to-left override up to its end (PDF, the isolate end PDI, or the line's end): a
# reader sees the characters in between in reverse order.
_OVERRIDE = re.compile("\u202e([^\u202c\u2069\n]*)")

# Quoted mail: the "> " markers clients put before each line of the message replied to
# (RFC 3676 4.5 in format=flowed, by convention elsewhere). Without them a quoted banner
# line ("> SECRET//NOFORN", "> > DRAFT") is a banner line again.
_QUOTE_MARKERS = re.compile(r"[ \t]*>(?:[ \t]*>)*[ \t]?")
# The same after a line end: a search from its first character, which re finds in C (a
# pattern opening with ^ in MULTILINE mode is tried at every position, 0.5 ms a reply).
_QUOTE_MARKERS_AFTER_LINE_END = re.compile("\n" + _QUOTE_MARKERS.pattern)


def _build_invisible() -> frozenset[int]:
    out: set[int] = set()
    for low, high in _INVISIBLE_RANGES:
        out.update(range(low, high + 1))
    return frozenset(out)


_INVISIBLE = _build_invisible()
_TAG_BASE, _TAG_SPACE, _TAG_TILDE = 0xE0000, 0xE0020, 0xE007E  # tag characters for ASCII 0x20-0x7E
_TAG_LINE_ENDS = frozenset((0xE0009, 0xE000A, 0xE000D))  # and for tab and line ends


@functools.lru_cache(maxsize=1 << 16)
def fold_char(ch: str) -> str:
    """The normalised form of one character ('' when it is invisible)."""
    code = ord(ch)
    if code in _INVISIBLE:
        return ""
    if _TAG_SPACE <= code <= _TAG_TILDE or code in _TAG_LINE_ENDS:
        return chr(code - _TAG_BASE)
    folded = _CONFUSABLES.get(ch)
    if folded is not None:
        return folded
    folded = _TABLE.get(ch)
    if folded is not None:
        return folded
    form = unicodedata.normalize("NFKC", ch)
    if form != ch:
        # A compatibility form may itself be a look-alike (e.g. full-width Cyrillic).
        return "".join(_CONFUSABLES.get(c) or _TABLE.get(c, c) for c in form
                       if ord(c) not in _INVISIBLE)
    category = unicodedata.category(ch)
    if category == "Cf":
        return ""  # any other format control is invisible too
    if category == "Cc" and ch not in _KEPT_CONTROLS:
        return ""
    return ch


@dataclass(frozen=True, slots=True)
class NormalisedText:
    """Normalised text and, for each of its characters, the original offset.

    ``offsets`` has ``len(text) + 1`` entries; the last is the original length, so a
    span (start, end) in ``text`` maps to ``offsets[start]:offsets[end]`` in the original.
    ``offsets`` is None when the text was unchanged (the map is the identity).
    Offsets rise monotonically except inside a right-to-left override, whose characters
    are put in reading order.
    """

    text: str
    offsets: array | None
    original: str

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span in the original text that produced ``text[start:end]``."""
        if self.offsets is None:
            return start, end
        if end <= start:
            return self.offsets[start], self.offsets[start]
        first, last = self.offsets[start], self.offsets[end - 1]
        if last < first:  # reversed by an override: the span runs the other way
            return last, first + 1
        # The end maps to just after the original of the last normalised character.
        stop = self.offsets[end] if self.offsets[end] > last else last + 1
        return first, stop


def normalise(text: str) -> NormalisedText:
    """NFKC, invisible removal, confusable folding and quote-marker removal of ``text``,
    with an offset map."""
    if "\u202e" in text:
        return _reading_order(text)
    quoted = _quote_markers(text) if ">" in text else []
    # NUL is the control character that hides inside words (and UTF-16 read a byte at a
    # time); memchr finds it at memory speed, so all-ASCII text keeps its fast path.
    if not quoted and text.isascii() and "\x00" not in text:
        return NormalisedText(text, None, text)
    folded = _one_for_one(text)  # once: a quoted reply has a span per line
    spans = _unquoted(len(text), quoted)
    if quoted and _SPECIAL not in folded:
        # Every character folds to one: the text between the quote markers is cut from
        # the folded text, and its offsets counted at once.
        return NormalisedText("".join([folded[begin:stop] for begin, stop in spans]),
                              _spans_map(spans, len(text)), text)
    pieces: list[str] = []
    offsets = array("l")
    changed = bool(quoted)
    for begin, stop in spans:
        changed |= _fold_span(text, folded, begin, stop, pieces, offsets)
    if not changed:
        return NormalisedText(text, None, text)
    offsets.append(len(text))
    return NormalisedText("".join(pieces), offsets, text)


_LONG_RUN = 256  # a run of characters copied as they are that numpy counts faster


def _extend_range(offsets: array, start: int, end: int) -> None:
    """Append ``start .. end - 1`` to ``offsets``: counted by numpy for a long run (a
    4 MB Chinese text's map is built at memory speed, not one Python int at a time)."""
    if end - start < _LONG_RUN:
        offsets.extend(range(start, end))
        return
    import numpy  # only texts with long runs to map need it

    offsets.frombytes(numpy.arange(start, end, dtype=f"=i{offsets.itemsize}").tobytes())


def _quote_markers(text: str) -> list[tuple[int, int]]:
    """The spans of the quote markers at the start of ``text``'s lines."""
    first = _QUOTE_MARKERS.match(text)
    spans = [first.span()] if first is not None else []
    spans += [(found.start() + 1, found.end())
              for found in _QUOTE_MARKERS_AFTER_LINE_END.finditer(text)]
    return spans


def _spans_map(spans: list[tuple[int, int]], length: int) -> array:
    """The offset map of the characters of ``spans`` (in order, not overlapping) taken
    from a text of ``length``: their indices, then ``length``."""
    offsets = array("l")
    if length < _LONG_RUN or "numpy" not in sys.modules:
        # A one-mail redline scan does not import NumPy for this (about 0.1 s of CPU).
        for begin, stop in spans:
            _extend_range(offsets, begin, stop)
    else:
        import numpy  # a reply quoting its history: a span per line, counted at once

        kept = numpy.zeros(length, dtype=bool)
        for begin, stop in spans:
            kept[begin:stop] = True
        offsets.frombytes(numpy.flatnonzero(kept).astype(f"=i{offsets.itemsize}").tobytes())
    offsets.append(length)
    return offsets


def _reading_order(text: str) -> NormalisedText:
    """Normalise ``text`` after putting each right-to-left override in reading order.

    "\u202eTERCES POT" displays as "TOP SECRET": the characters between the override and
    its end are reversed, and the offset map follows them back.
    """
    import numpy  # index arithmetic over the whole text (a binary's strings hold overrides)

    index = f"=i{array('l').itemsize}"
    order = numpy.arange(len(text), dtype=index)
    for match in _OVERRIDE.finditer(text):
        start, end = match.span(1)
        order[start:end] = order[start:end][::-1].copy()
    codes = numpy.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    visual = codes[order].tobytes().decode("utf-32-le", "surrogatepass")
    inner = normalise(visual.replace("\u202e", "\u200b"))
    if inner.offsets is not None:
        order = order[numpy.frombuffer(inner.offsets, dtype=index)[:-1]]
    offsets = array("l", order.tobytes())
    offsets.append(len(text))
    return NormalisedText(inner.text, offsets, text)


# What a character that does not fold to exactly one other (an invisible one, a ligature,
# a combining mark) stands for in a span translated one for one.
_SPECIAL = "\uffff"
_ONE_FOR_ONE_MAX = 1 << 16  # entries kept: text using every code point cannot grow it further


class _OneForOne(dict):
    """``str.translate`` table of each character's fold, filled as characters are met:
    the fold when it is one character (and not a combining mark), else ``_SPECIAL``."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        # A run of safe characters is copied as it is (a few, such as ×, fold elsewhere).
        folded = ch if _SAFE_RUN.match(ch) else fold_char(ch)
        one = len(folded) == 1 and (folded.isascii() or unicodedata.category(folded) != "Mn")
        value = folded if one and folded != _SPECIAL else _SPECIAL
        if len(self) < _ONE_FOR_ONE_MAX:
            self[code] = value
        return value


_ONE_FOR_ONE = _OneForOne()

# The characters _ONE_FOR_ONE maps to themselves: the safe ones but the traditional
# forms and combining marks (U+302A-U+302D, U+3099, U+309A, which it maps to _SPECIAL).
_SELF_RANGES = ((0x09, 0x0D), (0x20, 0x7E), (0xC0, 0xFF), (0x3001, 0x303F), (0x3040, 0x30FF),
                (0x3400, 0x4DBF), (0x4E00, 0x9FFF))


@functools.cache
def _folds_to_itself() -> Any:
    """For each code point of the BMP, whether _ONE_FOR_ONE maps it to itself (a NumPy
    array; built with the first long text beyond ASCII)."""
    import numpy

    table = numpy.zeros(0x10000, dtype=bool)
    for low, high in _SELF_RANGES:
        table[low:high + 1] = True
    for ch in _TRADITIONAL:
        table[ord(ch)] = False
    for code in range(0x3001, 0x3100):
        if unicodedata.category(chr(code)) == "Mn":
            table[code] = False
    return table


def _one_for_one(text: str) -> str:
    """``text.translate(_ONE_FOR_ONE)``: each character's fold when it is one character,
    else ``_SPECIAL``.

    str.translate looks every character of a text beyond ASCII up in the table, about
    0.15-0.3 us each (a millisecond or more for a 6 KB Spanish or Chinese mail); here
    NumPy finds the characters that do not fold to themselves (a comma in full width, an
    accented capital), and each distinct one is looked up once.
    """
    if text.isascii() or len(text) < _LONG_RUN or "numpy" not in sys.modules:
        # ASCII: C's own fast path. A one-mail redline scan does not import NumPy for
        # this (about 0.1 s of CPU); a scanner has it loaded.
        return text.translate(_ONE_FOR_ONE)
    import numpy

    codes = numpy.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    other = numpy.flatnonzero(~_folds_to_itself()[numpy.minimum(codes, 0xFFFF)]
                              | (codes > 0xFFFF))
    if not other.size:
        return text
    found, where = numpy.unique(codes[other], return_inverse=True)
    folded = numpy.array([ord(chr(code).translate(_ONE_FOR_ONE)) for code in found.tolist()],
                         dtype="<u4")
    out = codes.copy()
    out[other] = folded[where]
    return out.tobytes().decode("utf-32-le", "surrogatepass")


def _fold_span(text: str, folded_text: str, begin: int, stop: int, pieces: list[str],
               offsets: array) -> bool:
    """Fold ``text[begin:stop]`` onto ``pieces``/``offsets``; whether anything changed.
    ``folded_text`` is ``_one_for_one(text)``.

    The span is translated in one call (C speed; text pulled out of a binary file is
    mostly short runs of odd characters, half a million Python steps a megabyte before).
    Only the lines holding a character that does not fold one for one take the walk by
    runs, which composes and drops combining marks.
    """
    folded = folded_text[begin:stop]  # one character for each: the offsets stay aligned
    if _SPECIAL not in folded:
        pieces.append(folded)
        _extend_range(offsets, begin, stop)
        return folded != text[begin:stop]
    changed = False
    pos = begin
    at = folded.find(_SPECIAL)
    while at >= 0:
        where = begin + at
        line_start = text.rfind("\n", pos, where) + 1 or pos
        line_end = text.find("\n", where, stop)
        line_end = stop if line_end < 0 else line_end + 1
        if line_start > pos:
            pieces.append(folded[pos - begin:line_start - begin])
            _extend_range(offsets, pos, line_start)
            changed |= folded[pos - begin:line_start - begin] != text[pos:line_start]
        changed |= _fold_runs(text, line_start, line_end, pieces, offsets)
        pos = line_end
        at = folded.find(_SPECIAL, pos - begin)
    if pos < stop:
        pieces.append(folded[pos - begin:])
        _extend_range(offsets, pos, stop)
        changed |= folded[pos - begin:] != text[pos:stop]
    return changed


def _fold_runs(text: str, begin: int, stop: int, pieces: list[str], offsets: array) -> bool:
    """Fold ``text[begin:stop]`` run by run: runs of safe characters copied, the rest
    folded character by character."""
    changed = False
    pos = begin
    for match in _SAFE_RUN.finditer(text, begin, stop):
        start, end = match.span()
        if start > pos:
            changed |= _fold_segment(text, pos, start, pieces, offsets)
        pieces.append(match.group())
        _extend_range(offsets, start, end)
        pos = end
    if pos < stop:
        changed |= _fold_segment(text, pos, stop, pieces, offsets)
    return changed


def _unquoted(length: int, quoted: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans of a text of ``length`` between the quote-marker spans."""
    spans = []
    pos = 0
    for start, end in quoted:
        if start > pos:
            spans.append((pos, start))
        pos = end
    if pos < length:
        spans.append((pos, length))
    return spans


def _fold_segment(text: str, start: int, end: int, pieces: list[str], offsets: array) -> bool:
    segment = text[start:end]
    folded_all = "".join(map(fold_char, segment))
    if len(folded_all) == len(segment) and not any(
            unicodedata.category(c) == "Mn" for c in set(folded_all) if not c.isascii()):
        # One character for one (Cyrillic or Greek prose): no per-character bookkeeping.
        pieces.append(folded_all)
        _extend_range(offsets, start, end)
        return folded_all != segment
    changed = False
    decorated = False  # a mark on the current Latin letter was dropped: drop the rest too
    for index in range(start, end):
        ch = text[index]
        folded = fold_char(ch)
        if folded and pieces and not folded.isascii() and unicodedata.category(folded[0]) == "Mn":
            # A combining mark after a letter: composed when Unicode has the letter with
            # it (O + ◌́ = Ó), dropped as decoration on a Latin letter otherwise
            # ("S̈ECRET", stacked marks) so the letters still read as the word; a mark
            # that decorates a letter of the word decorates its other letters too
            # ("S̈ËC̈R̈ËT̈", where Ë alone would compose).
            previous = pieces[-1][-1]
            composed = unicodedata.normalize("NFC", previous + folded[0])
            latin = previous.isascii() and previous.isalpha()
            if decorated or (latin and _decorates_word(text, index, folded[0])):
                folded = ""
                decorated = True
            elif len(composed) == 1:
                pieces[-1] = pieces[-1][:-1] + composed
                folded = folded[1:]
                changed = True
            elif latin:
                folded = ""
                decorated = True
        elif folded:
            decorated = False
        if folded != ch:
            changed = True
        if folded:
            pieces.append(folded)
            offsets.extend([index] * len(folded))
    return changed


def _decorates_word(text: str, at: int, mark: str) -> bool:
    """Whether ``mark`` (at ``at``) also stands, in the same word, on a Latin letter that
    Unicode has no composed form of: then it is decoration, not an accent."""
    def in_word(i: int) -> bool:
        return text[i].isalpha() or unicodedata.category(text[i]) == "Mn"

    low, high = at, at + 1
    while low > 0 and at - low < 40 and in_word(low - 1):
        low -= 1
    while high < len(text) and high - at < 40 and in_word(high):
        high += 1
    return any(text[i] == mark and i != at and text[i - 1].isascii() and text[i - 1].isalpha()
               and len(unicodedata.normalize("NFC", text[i - 1] + mark)) > 1
               for i in range(low + 1, high))


# A run of at least three single characters separated by blanks: "S E C R E T".
_SPACED_RUN = re.compile(r"(?<!\S)(?:\S[ \t\u3000]{1,3}){2,}\S(?!\S)")
# What people join single letters with to space a word out: "S.E.C.R.E.T", "D-R-A-F-T",
# "S•E•C•R•E•T", "S/E/C/R/E/T". The marking rules' triggers look for each (rules.py).
LETTER_SEPARATORS = ".-_·•*/"
_SEP = re.escape(LETTER_SEPARATORS)
# A run of at least four single letters joined by one of them. Three-letter
# abbreviations ("U.S.A.", "c/o") stay as written.
_SEPARATED_RUN = re.compile(rf"(?<![\w{_SEP}])(?:[^\W\d_][{_SEP}]){{3,}}[^\W\d_](?!\w)")
# A word written downwards, one letter per line (a vertical banner, or the letters in
# the cells of one table row read as lines): at least four lines of one letter each.
VERTICAL_RUN = re.compile(r"(?<![^\n])(?:[^\W\d_][ \t]*\r?\n){3,}[^\W\d_](?![^\r\n])")
_VERTICAL_HINT = re.compile(r"(?<![^\n])[^\W\d_][ \t]*\r?\n[^\W\d_][ \t]*\r?\n")
# A word of two or three letters joined the same way just before such a run ("T.O.P.
# S.E.C.R.E.T."): part of the same spaced-out phrase, so joined too (alone it stays).
_SHORT_BEFORE = re.compile(rf"(?<![\w{_SEP}])(?:[^\W\d_][{_SEP}]){{1,2}}[^\W\d_][{_SEP}]?[ \t]{{1,3}}\Z")
# Cheap tests that a window may hold such runs, each a search from a rare first
# character (re skips to it in C) rather than the runs' lookbehinds tried at every
# position. Each is implied by its run: a separated run holds a separator, a letter and
# a separator ("S.E.C.R.E.T" holds ".E."); a spaced run ends in a blank, a character,
# blanks and a last character that nothing follows ("S E C R E T" ends in " E T").
_SEPARATED_HINT = re.compile(rf"[{_SEP}][^\W\d_][{_SEP}]")
_SPACED_HINT = re.compile(r"[ \t\u3000]\S[ \t\u3000]{1,3}\S(?!\S)")
_BLANKS = re.compile(r"[ \t\u3000]+")
# Chinese puts no blanks between words, so a blank beside a CJK character (or the ★ of
# a marking, or a digit of its period) carries no meaning: "机 密 ★ 5 年" is 机密★5年.
# A tab is not such a blank: extractors put one between the cells of a table row, and
# "文件名称<tab>机密" is a label cell and a marking cell, not one word.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3001-\u303f\uff01-\uff60★"
# A middle dot between two characters spaces them out as a blank does ("机·密"); between
# words it parts names ("列夫·托尔斯泰") and stays, as a blank between words does.
CJK_DOTS = "·・‧"


# These three are compiled on first use, by a text that is not ASCII: classes of wide
# ranges take re's compiler 2-4 ms each, which every start paid, ASCII mail or not.
@functools.cache
def _cjk_gap() -> re.Pattern[str]:
    return re.compile(f"(?<=[{_CJK}])(?:[ \u3000]{{1,3}}|[{CJK_DOTS}])(?=[{_CJK}0-9])"
                      f"|(?<=[{_CJK}0-9])(?:[ \u3000]{{1,3}}|[{CJK_DOTS}])(?=[{_CJK}])")


# A gap needs a CJK character beside it: a window without one (Spanish, Russian) has none.
@functools.cache
def _cjk_char() -> re.Pattern[str]:
    return re.compile(f"[{_CJK}]")


@functools.cache
def _ideograph() -> re.Pattern[str]:
    return re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _ideograph_run(text: str, at: int, step: int) -> int:
    """How many ideographs in a row from ``at`` in direction ``step`` (at most 2 counted)."""
    count = 0
    ideograph = _ideograph()
    while 0 <= at < len(text) and count < 2 and ideograph.match(text[at]):
        count += 1
        at += step
    return count


def _short_run_before(text: str, start: int) -> int | None:
    """Where a short separated word just before a long separated run at ``start`` begins."""
    for begin in range(max(0, start - 10), start - 2):
        if _SHORT_BEFORE.match(text, begin, start):
            return begin
    return None


def spaced_line(text: str, start: int, end: int) -> bool:
    """Whether despace may change the line text[start:end] (``end`` at a line break or
    the text's end): letters spaced out or joined by separators, or a CJK character (a
    blank beside one may go). False: despace(text[start:end]) is that line unchanged."""
    return (
        _SEPARATED_HINT.search(text, start, end) is not None
        or _SPACED_HINT.search(text, start, end) is not None
        or (not text.isascii() and _cjk_char().search(text, start, end) is not None)
    )


def despace(text: str) -> tuple[str, Sequence[int]]:
    """Undo letter spacing in a short window of text; return it and an index map.

    ``S E C R E T``, ``S.E.C.R.E.T`` and a word written one letter per line become
    ``SECRET`` (a wider gap between two spaced words stays one space: ``T O P  S E C R E T``
    → ``TOP SECRET``), and blanks beside CJK
    characters are dropped (``机 密★5年`` → ``机密★5年``) unless they part two words
    (``机密 工作通知`` keeps its blank). The map gives, for each
    output character, its index in ``text``.
    """
    separated = _SEPARATED_HINT.search(text) is not None
    vertical = "\n" in text and _VERTICAL_HINT.search(text) is not None
    if not separated and not vertical and _SPACED_HINT.search(text) is None and (
            text.isascii() or _cjk_char().search(text) is None):
        # Nothing to undo, in most windows: the map is the identity (a range, not a list
        # of 800 ints built per window).
        return text, range(len(text))
    drop = bytearray(len(text))
    for match in VERTICAL_RUN.finditer(text) if vertical else ():
        for i in range(*match.span()):
            if text[i] in " \t\r\n":
                drop[i] = 1
    for match in _SEPARATED_RUN.finditer(text) if separated else ():
        for i in range(*match.span()):
            if text[i] in LETTER_SEPARATORS:
                drop[i] = 1
        if (before := _short_run_before(text, match.start())) is not None:
            for i in range(before, match.start()):
                if text[i] in LETTER_SEPARATORS:
                    drop[i] = 1
    if (" " not in text and "\t" not in text and "\u3000" not in text and not vertical
            and (text.isascii() or not any(dot in text for dot in CJK_DOTS))):
        if not any(drop):
            return text, range(len(text))
        index = [i for i in range(len(text)) if not drop[i]]
        return "".join(text[i] for i in index), index
    for match in _SPACED_RUN.finditer(text):
        start, end = match.span()
        for i in range(start, end):
            if text[i] in " \t\u3000":
                drop[i] = 1
        gaps = [len(gap) for gap in _BLANKS.findall(text, start, end)]
        narrowest = min(gaps)
        for gap in _BLANKS.finditer(text, start, end):
            # A gap wider than the run's letter gap parts two spaced words: one blank is
            # kept ("T O P  S E C R E T" -> "TOP SECRET"); letters spaced by two blanks
            # throughout are one word ("S  E  C  R  E  T").
            if len(gap.group()) > narrowest:
                drop[gap.start()] = 0
    for match in () if text.isascii() else _cjk_gap().finditer(text):
        start, end = match.span()
        if _ideograph_run(text, start - 1, -1) > 1 and _ideograph_run(text, end, 1) > 1:
            # Two words, not spaced letters: "机密 工作通知" is a level and a title, and
            # the blank is what tells them apart.
            continue
        for i in range(start, end):
            drop[i] = 1
    if 1 not in drop:  # a scan at memory speed: most text has no spaced letters
        return text, range(len(text))
    index = [i for i, dropped in enumerate(drop) if not dropped]
    return "".join(text[i] for i in index), index


def collapse_blanks(text: str) -> str:
    """Runs of blanks to one space (used when comparing configured phrases)."""
    return _BLANKS.sub(" ", text).strip()


_LAST_ENCODED = threading.local()
SHARED_ENCODING_CHARS = 16 * 1024 * 1024  # texts up to this size share their encoding


def utf8(text: str) -> bytes:
    """``text`` in UTF-8 (lone surrogates kept), shared by the engines that read one part.

    Several text engines read the same large text as bytes (YARA, the personal-data
    scanner); the last encoding is kept per thread, so a 4 MB block is encoded once.
    """
    last = getattr(_LAST_ENCODED, "pair", None)
    if last is not None and last[0] is text:
        return last[1]
    encoded = text.encode("utf-8", "surrogatepass")
    _LAST_ENCODED.pair = (text, encoded) if len(text) <= SHARED_ENCODING_CHARS else None
    return encoded


COUNT_VECTOR_CHARS = 64 * 1024  # a text this long, NumPy loaded, is counted by NumPy


def count_char(text: str, char: str) -> int:
    """``text.count(char)`` for one ASCII ``char``, at memory speed.

    Most text lacks any given sign, and ``in`` (memchr) says so for a tenth of a count's
    time; a long text with some is counted by NumPy over its UTF-8 (``utf8``: the
    encoding the engines share; ASCII bytes in UTF-8 are ASCII characters), a fifth of
    str.count's time (0.27 ms a megabyte).
    """
    if char not in text:
        return 0
    if len(text) < COUNT_VECTOR_CHARS or "numpy" not in sys.modules:
        return text.count(char)
    import numpy as np

    return int(np.count_nonzero(np.frombuffer(utf8(text), dtype=np.uint8) == ord(char)))


_LAST_DIGITS = threading.local()


def digit_offsets(encoded: bytes) -> Any:
    """Offsets of the ASCII digits of ``encoded`` (a NumPy array). The last text's are kept
    per thread while they are few (an eighth of its bytes or fewer), as ``utf8`` keeps its
    encoding: the look-alike fold, the base64 test and the unread-encoded judge all read
    a long text's digits. An equal text encoded again since (``utf8`` keeps one) finds
    them too: comparing the bytes costs a tenth of finding the digits."""
    last = getattr(_LAST_DIGITS, "pair", None)
    if last is not None and (last[0] is encoded or last[0] == encoded):
        return last[1]
    import numpy as np  # here: a one-file scan of short mail never needs it

    codes = np.frombuffer(encoded, dtype=np.uint8)
    # One subtraction that wraps below "0" and one comparison, a tenth of a table
    # translation's time (the comparison written over the difference: one new array).
    mask = codes - 0x30
    where = np.flatnonzero(np.less(mask, 10, out=mask.view(np.bool_)))
    _LAST_DIGITS.pair = (encoded, where) if where.size * 8 <= len(encoded) else None
    return where


_INVISIBLE_CHARS = re.compile("[" + "".join(
    f"{chr(low)}-{chr(high)}" for low, high in _INVISIBLE_RANGES) + "]")


def fold_utf8(text: str) -> bytes:
    """``text`` after NFKC (full-width digits and letters) without invisible characters,
    in UTF-8: what engines that report values rather than offsets read."""
    if not text.isascii():
        text = _INVISIBLE_CHARS.sub("", unicodedata.normalize("NFKC", text))
    return utf8(text)


# Digits and signs typed for the letters they look like (leetspeak: C0NFIDENTIAL, 5ECRET,
# RESTR1CTED, $ECRET, CONFIDENTI@L). One character for one, so offsets stay as they are.
LOOKALIKE_DIGITS: dict[str, str] = {
    "0": "O", "1": "IL", "3": "E", "4": "A", "5": "S", "7": "T", "8": "B",
    "$": "S", "@": "A", "|": "IL",
}
# A look-alike beside an upper-case letter; a search from the look-alike (a rarer first
# character than a letter) rather than from every letter.
_LOOKALIKE_HINT = re.compile(r"[013-578$@|](?:(?<=[A-Z].)|(?=[A-Z]))")
_TOKEN_RUN = re.compile(r"[A-Za-z0-9$@|]*")  # what a token is made of
_FOLDABLE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ") | frozenset(LOOKALIKE_DIGITS)
_MAX_TOKEN = 32  # longer runs are codes and hashes, not words
_MAX_AMBIGUOUS = 4  # 1 and | read as I or L: at most 2**4 spellings tried
# Digits about one E are a figure in scientific notation (1E5 is 100000), or a hex number
# in a code-point table (U+01E5), never a word: "1E5" is no LES.
_EXPONENT = re.compile(r"[0-9]+E[0-9]+")
# A word broken across a line end with a hyphen (soft wrap): CONFI-\nDENTIAL.
_HYPHEN_BREAK = re.compile(r"-[ \t]*\r?\n[ \t]*")
_WORD_BEFORE = re.compile(r"[^\W\d_]+\Z")
_WORD_AFTER = re.compile(r"[^\W\d_]+(?![\w-])")


def fold_marking_evasions(norm: NormalisedText, words: frozenset[str]) -> NormalisedText:
    """``norm`` with two evasions of marking words undone, where the result is one of
    ``words`` (upper case: the words the marking rules are written with).

    - Look-alike digits in an upper-case token (``C0NFIDENTIAL``, ``5ECRET``, ``T0P``,
      ``RESTR1CTED``): a token of upper-case letters and the digits and signs of
      ``LOOKALIKE_DIGITS`` only, folded when a reading of it is one of ``words``. Any other
      token stays as written: product codes and part numbers (``A320``, ``H5N1``,
      ``ISO27001``, ``MP3``) read as no word, and a token with a lower-case letter
      (``IPv4``) or another digit (``COVID19``) is not looked at.
    - A word hyphenated across a line end (``CONFI-`` / ``DENTIAL``): rejoined when the
      joined word is one of ``words``; other hyphens at line ends stay.

    Ordinary text is returned as it is (the same object).
    """
    text = norm.text
    folds: list[tuple[int, str]] = []
    if any(c in text for c in "013578$@|4"):
        last = -1
        reverse = ""  # the text backwards, for the walk to a token's start (made once)
        size = len(text)
        shortest = _shortest(words)
        spans = (((0, size),) if size < _RUN_FILTER_CHARS
                 else _foldable_runs(text, shortest))
        for span in spans:
            for hint in _LOOKALIKE_HINT.finditer(text, *span):
                at = hint.start()
                if at < last:
                    continue
                # The token around the hint, at most _MAX_TOKEN characters before it
                # and _MAX_TOKEN + 1 in all: each walk one bounded match (a walk
                # character by character in Python was most of a megabyte's scan where
                # every line holds a hint, such as "Q4" in prose).
                if not reverse:
                    reverse = text[::-1]
                lo = at - (_TOKEN_RUN.match(reverse, size - at, size - at + _MAX_TOKEN).end()
                           - (size - at))
                hi = _TOKEN_RUN.match(text, hint.end(), lo + _MAX_TOKEN + 1).end()
                last = hi
                if hi - lo < shortest or (hi - lo > _MAX_TOKEN and text[lo] != "|"
                                          and text[hi - 1] != "|"):
                    continue  # no word that short, or too long with no pipe to trim
                # A pipe at a token's edge is a table rule or a separator, not a letter.
                while lo < hi and text[lo] == "|":
                    lo += 1
                while hi > lo and text[hi - 1] == "|":
                    hi -= 1
                if (reading := _lookalike_reading(text[lo:hi], words)) is not None:
                    folds.append((lo, reading))
    joins: list[tuple[int, int]] = []
    if "-" in text:
        for brk in _HYPHEN_BREAK.finditer(text):
            before = _WORD_BEFORE.search(text, max(0, brk.start() - 40), brk.start())
            after = _WORD_AFTER.match(text, brk.end())
            if before is None or after is None:
                continue
            if before.start() > 0 and (text[before.start() - 1].isalnum()
                                       or text[before.start() - 1] in "-_"):
                continue  # the part before is not a whole word (40 letters, a compound)
            if (before.group() + after.group()).upper() in words:
                joins.append(brk.span())
    if not folds and not joins:
        return norm
    chars = list(text)
    for at, reading in folds:
        chars[at:at + len(reading)] = reading
    offsets = norm.offsets
    if not joins:
        return NormalisedText("".join(chars), offsets, norm.original)
    keep = bytearray(b"\x01") * len(text)
    for start, end in joins:
        keep[start:end] = bytes(end - start)
    out = array("l", (offsets[i] if offsets is not None else i for i in range(len(text)) if keep[i]))
    out.append(len(norm.original))
    return NormalisedText("".join(c for c, k in zip(chars, keep, strict=True) if k), out, norm.original)


# Texts from this size on are searched for hints only inside the token runs that can
# hold a folded word (``_foldable_runs``); a shorter text is read whole, as NumPy's
# set-up costs more than a short text's hints. The regular expression's own scan costs
# about 10 us a kilobyte, hints or not: at 10 KB the runs' search took 70 us where it
# took 175 (a digit leading each line of capitals, as smtp-source writes) or 107 (prose
# with figures), and as long in prose with a hint on most lines.
_RUN_FILTER_CHARS = 8 * 1024
# Each ASCII character's class for ``_foldable_runs``: "U" an upper-case letter, "d" a
# look-alike (_LOOKALIKE_HINT's set) but the pipe, "p" the pipe, "a" another token
# character (_TOKEN_RUN), a blank anything else ("d" and "p" sort after the others).
_CLASS = bytes(
    ord("U" if "A" <= c <= "Z" else "p" if c == "|" else "d" if c in "0134578$@"
        else "a" if c.isascii() and (c.isalnum() or c in "$@|") else " ")
    for c in map(chr, range(256)))


def _foldable_runs(text: str, shortest: int) -> list[tuple[int, int]]:
    """The spans of the token runs of ``text`` in which a look-alike can be folded: runs
    that hold a hint, are no shorter than ``shortest`` and either fit _MAX_TOKEN or
    hold a pipe. Found at memory speed, for texts where the search from every hint in
    Python costs milliseconds a megabyte (a digit starting each line of capitals), and
    the regular expression's own scan for hints about as much.

    A hint's token never reaches past its own run, so leaving out the other runs
    leaves every fold as it was: in a run longer than _MAX_TOKEN every window around a
    hint is _MAX_TOKEN + 1 characters, read only when a pipe stands at its edge.
    """
    if text.isascii() and "|" not in text and (spans := _short_runs(text, shortest)) is not None:
        return spans
    return _classed_runs(text, shortest)


def _classed_runs(text: str, shortest: int) -> list[tuple[int, int]]:
    """``_foldable_runs`` from every character's class (``_CLASS``): any text."""
    # One byte per character (anything beyond ASCII is "?", a blank): the encoding
    # YARA reads too, for ASCII text.
    raw = utf8(text) if text.isascii() else text.encode("ascii", "replace")
    classes = raw.translate(_CLASS)
    # Here, not at the top: redline scan of short texts starts faster. A text this long
    # has had it imported by the embedded-value search already.
    import numpy as np

    # The hints from the look-alikes (few in most text) and their neighbours: four
    # searches of the classes for a look-alike beside a capital took three times as long
    # over a megabyte of prose that has none.
    kinds = np.frombuffer(classes, dtype=np.uint8)
    looks = np.flatnonzero(kinds >= ord("d"))  # "d" and "p"
    last = len(kinds) - 1
    hints = looks[((looks > 0) & (kinds[np.maximum(looks - 1, 0)] == ord("U")))
                  | ((looks < last) & (kinds[np.minimum(looks + 1, last)] == ord("U")))]
    if not hints.size:
        return []  # most text
    # The run around each hint: from after the last blank before it to the next one.
    breaks = np.flatnonzero(kinds == ord(" "))
    if breaks.size:
        after = np.searchsorted(breaks, hints)
        starts = np.where(after > 0, breaks[np.maximum(after - 1, 0)] + 1, 0)
        ends = np.where(after < breaks.size, breaks[np.minimum(after, breaks.size - 1)], len(text))
    else:  # no blank at all: the whole text is one run (indexing no breaks would fail)
        starts = np.zeros_like(hints)
        ends = np.full_like(hints, len(text))
    lengths = ends - starts
    keep = lengths >= shortest
    if b"p" not in classes:
        keep &= lengths <= _MAX_TOKEN
    spans: list[tuple[int, int]] = []
    for start, end in zip(starts[keep].tolist(), ends[keep].tolist(), strict=True):
        if spans and spans[-1][0] == start:
            continue  # another hint of the same run
        if end - start <= _MAX_TOKEN or b"p" in classes[start:end]:
            spans.append((start, end))
    return spans


# The look-alikes but the pipe (_LOOKALIKE_HINT's set): digits by the digits' offsets,
# the signs by a search each.
_LOOKALIKE_SIGNS = (ord("$"), ord("@"))
_DIGITS = b"0123456789"


def _short_runs(text: str, shortest: int) -> list[tuple[int, int]] | None:
    """``_foldable_runs`` of an ASCII ``text`` with no pipe: the runs of _MAX_TOKEN
    characters or fewer around a hint, found without classing every character of the
    text; None where hints are so many that classing every character costs less.

    The hints come from the text's digits (``digit_offsets``, which the embedded-value
    search reads too) and a search for each sign; each hint's run is then bounded by
    the _MAX_TOKEN characters on either side of it alone: a run with no blank among them
    is longer than any word. Over lines of capitals each led by a digit (what smtp-source
    sends) the translation of the whole text to classes and the two searches of those
    classes were most of the marking engine's own time.
    """
    import numpy as np  # as in _foldable_runs

    raw = utf8(text)
    # Dense digits (a table of figures, base64) put hints every few characters: told
    # from 16 stretches of a kilobyte across the text first (whole lines, which a stride
    # through a text of lines of one length would not read), so such a text's digits are
    # not found for nothing here (the embedded-value search keeps them only when few).
    # A text of 16 KB or less is read whole below, which a sample of it would near be.
    if len(raw) > 16 * 1024:
        sample = b"".join([raw[at:at + 1024] for at in range(0, len(raw), len(raw) // 16 + 1)])
        if (len(sample) - len(sample.translate(None, _DIGITS))) * 16 > len(sample):
            return None
    codes = np.frombuffer(raw, dtype=np.uint8)
    digits = digit_offsets(raw)
    if digits.size * 16 > codes.size:
        return None
    table = _byte_classes()
    # (take, not [] indexing: NumPy's fancy indexing costs several times as long)
    looks = digits[table.take(codes.take(digits)) == _LOOK]  # not 2, 6 or 9
    signs = [np.flatnonzero(codes == sign) for sign in _LOOKALIKE_SIGNS if sign in raw]
    if signs:
        looks = np.sort(np.concatenate([looks, *signs]))
    if not looks.size:
        return []
    last = codes.size - 1
    # A capital before or after each look-alike (both read at once; at the text's ends
    # the clipped index reads the look-alike itself, no capital).
    upper = table.take(codes.take(looks[:, None] + _NEIGHBOURS, mode="clip")) == _UPPER
    hints = looks[upper[:, 0] | upper[:, 1]]
    if not hints.size:
        return []  # most text
    if hints.size * _MAX_TOKEN > codes.size // 2:
        return None  # a hint every few characters (base64, a table of codes)
    # Every _MAX_TOKEN characters of the text as a row of a view (no copy); blanks past
    # the text's ends only when a hint is that close to one.
    if hints[0] < _MAX_TOKEN or hints[-1] > last - _MAX_TOKEN:
        pad = np.full(_MAX_TOKEN, ord(" "), dtype=np.uint8)
        codes = np.concatenate((pad, codes, pad))
        at = hints + _MAX_TOKEN
    else:
        at = hints
    windows = np.ndarray((codes.size - _MAX_TOKEN + 1, _MAX_TOKEN), dtype=np.uint8,
                         buffer=codes, strides=(1, 1))
    blanks = _blank_table()
    # The first blank after each hint; with none, its run is too long to fold. Runs that
    # long are dropped here, before the characters before their hints are read (each line
    # of smtp-source's mail is one). A row's blanks are looked for eight bytes at a time.
    blank = blanks.take(windows[at + 1])
    found = _any_byte(blank)
    hints, at = hints[found], at[found]
    if not hints.size:
        return []
    ends = hints + 1 + blank[found].argmax(axis=1)
    # The last blank before each (the window read backwards), likewise.
    blank = blanks.take(windows[at - _MAX_TOKEN])
    found = _any_byte(blank)
    starts = hints[found] - blank[found][:, ::-1].argmax(axis=1)
    lengths = ends[found] - starts
    keep = (lengths >= shortest) & (lengths <= _MAX_TOKEN)
    spans: list[tuple[int, int]] = []
    for start, end in zip(starts[keep].tolist(), (starts + lengths)[keep].tolist(), strict=True):
        if not spans or spans[-1][0] != start:  # else another hint of the same run
            spans.append((start, end))
    return spans


# Byte classes for ``_short_runs``: a character of no token (the pipe is a blank there:
# it reads only texts without one), another token character, a capital, a look-alike.
_BLANK, _TOKEN, _UPPER, _LOOK = 0, 1, 2, 3
_NEIGHBOURS = (-1, 1)  # a look-alike's offsets of the characters beside it


@functools.cache
def _byte_classes() -> Any:
    """Each byte's class for ``_short_runs`` (_BLANK, _TOKEN, _UPPER, _LOOK), a NumPy table."""
    import numpy as np

    table = np.zeros(256, dtype=np.uint8)
    for code in range(128):
        c = chr(code)
        if c in "0134578$@":
            table[code] = _LOOK
        elif "A" <= c <= "Z":
            table[code] = _UPPER
        elif c.isalnum():
            table[code] = _TOKEN
    return table


@functools.cache
def _blank_table() -> Any:
    """1 for each byte of _BLANK class, else 0 (a NumPy table)."""
    return (_byte_classes() == _BLANK).astype("uint8")


def _any_byte(rows: Any) -> Any:
    """Whether each row of ``rows`` (a C-contiguous NumPy array of 0 and 1 bytes, rows of
    a multiple of 8 bytes) holds a 1: its words ORed, where ``any(axis=1)`` over rows
    this short costs ten times as long."""
    import numpy as np

    words = rows.view(np.uint64)
    found = words[:, 0].copy()
    for column in range(1, words.shape[1]):
        found |= words[:, column]
    return found != 0


@functools.lru_cache(maxsize=8)
def _shortest(words: frozenset[str]) -> int:
    """The length of the shortest of ``words`` (thousands of them: counted once a set)."""
    return min(map(len, words), default=0)


def _lookalike_reading(token: str, words: frozenset[str]) -> str | None:
    """The word of ``words`` that ``token`` spells with look-alike digits, if any."""
    if not token or len(token) > _MAX_TOKEN or not set(token) <= _FOLDABLE:
        return None
    if token.isalpha() or not any(c.isalpha() for c in token) or _EXPONENT.fullmatch(token):
        return None  # no look-alike, no letter to read it beside, or a figure
    if 2 * sum(c.isalpha() for c in token) < len(token):
        # Mostly digits and signs: a code or a few bytes of a binary file's text runs
        # (an MP3's "1E$"), not a word written with a look-alike or two.
        return None
    choices = [LOOKALIKE_DIGITS.get(c, c) for c in token]
    if sum(len(c) > 1 for c in choices) > _MAX_AMBIGUOUS:
        choices = [c[0] for c in choices]
    readings = [""]
    for options in choices:
        readings = [r + o for r in readings for o in options]
    return next((r for r in readings if r in words), None)
