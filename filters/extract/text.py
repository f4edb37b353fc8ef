"""Plain text: decode with the declared charset, a BOM, or charset-normalizer's guess."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
import re
import sys
from collections.abc import Iterator

from filters import byte_mapping
from filters.limits import Budget
from filters.types import Defect, Part

# Past this many bytes the charset guess looks at a sample only; decoding stays complete.
GUESS_SAMPLE = 256 * 1024
# Text larger than this is decoded and scanned in pieces of about STREAM_BLOCK bytes.
STREAM_BYTES = 8 * 1024 * 1024
NUMPY_TABLE_CHARS = 256 * 1024  # a table this long pays for NumPy's import
STREAM_BLOCK = 4 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


# Legacy encodings of the Chinese that Redline's vocabulary reads. A short text gives the
# charset guess too little to go on (a GB18030 line reads as Korean, a Big5 one as
# UTF-16), and Big5 mail is routinely labelled GB2312: text that is not UTF-8 is also read
# in each of these that decodes it without error.
ALTERNATE_ENCODINGS = ("gb18030", "big5hkscs")
# Above this size the guess has enough text to be right.
ALTERNATE_MAX_BYTES = 1024 * 1024

_SINGLE_BYTE = {"cp1252", "iso8859-1", "latin-1", "iso8859-15", "cp1250", "cp1251",
                "iso8859-2", "koi8-r", "mac-roman", "utf-8"}


# Encodings whose text is all ASCII bytes: the label, not the bytes, says how to read them.
_SEVEN_BIT = {"iso2022_jp", "iso2022_jp_1", "iso2022_jp_2", "iso2022_jp_2004", "iso2022_jp_3",
              "iso2022_jp_ext", "iso2022_kr", "utf-7", "hz"}


def codec_name(label: str) -> str | None:
    """The Python codec for a charset label as mail and web pages write it, or None.

    Python's own names first; then the WHATWG Encoding Standard's labels (webencodings),
    which are what browsers and mail clients emit and Python lacks in part: Thai
    Outlook's "windows-874", "x-gbk", "gb_2312-80", "x-sjis", "x-mac-roman".
    """
    if not label:
        return None
    try:
        return codecs.lookup(label).name
    except (LookupError, ValueError):
        pass
    import webencodings  # rare labels only

    encoding = webencodings.lookup(label)
    if encoding is None:
        return None
    try:  # x-user-defined is webencodings' own codec, unknown to codecs: no reading
        return codecs.lookup(encoding.codec_info.name).name
    except LookupError:
        return None


def _widen(encoding: str) -> str:
    """Use the superset codec: mail labelled GB2312 routinely carries GBK/GB18030 text."""
    return {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs",
            "ascii": "utf-8", "iso8859-1": "cp1252", "latin-1": "cp1252",
            "shift_jis": "cp932", "euc_kr": "cp949"}.get(encoding, encoding)


def decode_text(data: bytes, declared_charset: str = "") -> tuple[str, str, bool]:
    """Decode bytes to text; returns (text, encoding used, whether decoding was lossy)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, "replace"), encoding, False
    declared = codec_name(declared_charset) if declared_charset else None
    if data.isascii() and declared not in _SEVEN_BIT:
        return data.decode("ascii"), "ascii", False
    candidates = [_widen(declared)] if declared else []
    # Any 8-bit charset decodes anything, so a mislabelled UTF-8 body would turn into
    # mojibake and hide its words: valid UTF-8 wins over a single-byte label.
    if not candidates or candidates[0] in _SINGLE_BYTE:
        candidates.insert(0, "utf-8")
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding, False
        except UnicodeDecodeError:
            continue
    import charset_normalizer  # a guess is rare (most text is UTF-8 or labelled): load it then

    sample = data[:GUESS_SAMPLE]
    best = charset_normalizer.from_bytes(sample).best()
    if best is None:
        # Marking symbols (★, ■) read as noise to the default chaos threshold.
        best = charset_normalizer.from_bytes(sample, threshold=0.5).best()
    if best is not None:
        encoding = _widen(best.encoding)
        try:
            return data.decode(encoding), encoding, False
        except UnicodeDecodeError:
            return data.decode(encoding, "replace"), encoding, True
    return data.decode("utf-8", "replace"), "utf-8", True


def alternate_readings(data: bytes, encoding: str, lossy: bool) -> Iterator[tuple[str, str]]:
    """(encoding, text) for each other plausible reading of ``data``, read as ``encoding``.

    Valid UTF-8 (and text with a BOM) has one reading. Otherwise only the lines that read
    differently are kept (the others are left blank, so line positions hold): an ASCII
    marking is then found once, in the first reading.
    """
    if len(data) > ALTERNATE_MAX_BYTES or data.isascii():
        return
    if (encoding in ("utf-8", "utf-8-sig") and not lossy) or any(data.startswith(b) for b, _ in _BOMS):
        return
    used = codec_name(encoding)
    raw_lines = data.split(b"\n")
    first_lines = data.decode(encoding, "replace").split("\n")
    if len(first_lines) != len(raw_lines):  # a wide encoding (UTF-16): nothing lines up
        first_lines = [None] * len(raw_lines)
    for candidate in ALTERNATE_ENCODINGS:
        if codec_name(candidate) == used:
            continue
        try:
            lines = data.decode(candidate).split("\n")
        except UnicodeDecodeError:
            continue
        if len(lines) != len(raw_lines):
            continue
        kept = [line if line != first else "" for line, first in zip(lines, first_lines, strict=True)]
        if any(kept):
            yield candidate, "\n".join(kept)


_TABLE_SUFFIXES = (".csv", ".tsv", ".tab")


def _is_table(part: Part) -> bool:
    return (part.detected_type == "text/csv" or part.declared_type.lower() == "text/csv"
            or part.name.lower().endswith(_TABLE_SUFFIXES))


TABLE_DELIMITERS = ",;\t|"


class _QuickSniffer(csv.Sniffer):
    """``csv.Sniffer``'s answers, sooner (its guesses took 9 ms of a 16 KB sample).

    Its quote guess runs four regular expressions that each need a quote character: a
    sample with neither " nor ' has no quoted field, which one search tells. Its
    delimiter guess counts each of 127 ASCII characters in every line, but with
    ``delimiters`` given it can only answer one of those: they alone are counted (the
    others never enter its candidates, so its answer is the same)."""

    def _guess_quote_and_delimiter(self, data: str, delimiters: str | None) -> tuple:
        if '"' not in data and "'" not in data:
            return ("", False, None, 0)
        return super()._guess_quote_and_delimiter(data, delimiters)

    def _guess_delimiter(self, data: str, delimiters: str | None) -> tuple:
        # csv.Sniffer._guess_delimiter (CPython 3.11) but for the characters counted.
        lines = list(filter(None, data.split("\n")))
        chars = [chr(c) for c in range(127)]
        if delimiters is not None:
            chars = [c for c in chars if c in delimiters]
        chunk = min(10, len(lines))
        iteration = 0
        frequencies: dict[str, dict[int, int]] = {}
        modes: dict[str, tuple[int, int]] = {}
        delims: dict[str, tuple[int, int]] = {}
        start, end = 0, chunk
        while start < len(lines):
            iteration += 1
            for line in lines[start:end]:
                for char in chars:
                    meta = frequencies.get(char, {})
                    freq = line.count(char)
                    meta[freq] = meta.get(freq, 0) + 1
                    frequencies[char] = meta
            for char, meta in frequencies.items():
                items = list(meta.items())
                if len(items) == 1 and items[0][0] == 0:
                    continue
                if len(items) > 1:
                    mode = max(items, key=lambda x: x[1])
                    items.remove(mode)
                    modes[char] = (mode[0], mode[1] - sum(item[1] for item in items))
                else:
                    modes[char] = items[0]
            total = float(min(chunk * iteration, len(lines)))
            consistency = 1.0
            while len(delims) == 0 and consistency >= 0.9:
                for k, v in modes.items():
                    if (v[0] > 0 and v[1] > 0 and v[1] / total >= consistency
                            and (delimiters is None or k in delimiters)):
                        delims[k] = v
                consistency -= 0.01
            if len(delims) == 1:
                delim = next(iter(delims))
                return delim, lines[0].count(delim) == lines[0].count(f"{delim} ")
            start = end
            end += chunk
        if not delims:
            return "", 0
        if len(delims) > 1:
            for d in self.preferred:
                if d in delims:
                    return d, lines[0].count(d) == lines[0].count(f"{d} ")
        delim = max((v, k) for k, v in delims.items())[1]
        return delim, lines[0].count(delim) == lines[0].count(f"{delim} ")


def table_text(text: str) -> str | None:
    """A delimited table (CSV, semicolon or tab separated) as rows of tab-separated cells,
    the shape spreadsheet rows have, so a cell that is only a marking reads as a cell;
    None when the text does not parse as one."""
    sample = text[:16384]
    try:
        dialect = _QuickSniffer().sniff(sample, delimiters=TABLE_DELIMITERS)
    except csv.Error:
        return None
    # NumPy tells plain cells (``_plain_cells``) once loaded, or for a table that repays
    # its import (0.1 s); otherwise every cell is folded.
    vectors = "numpy" in sys.modules or len(text) >= NUMPY_TABLE_CHARS
    unquoted = _unquoted_table(text, dialect, vectors)
    if unquoted is not None:
        return unquoted
    pieces = []
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        # A block of rows at a time: most cells hold no blank that needs folding, which
        # one look over the block's joined text tells (cell by cell, the folding took 25 ms
        # of a 1 MB table; the look 1 ms); a block that may is folded cell by cell.
        while rows := list(itertools.islice(reader, TABLE_BLOCK_ROWS)):
            joined = "\n".join(["\t".join(row) for row in rows])
            if not (vectors and _plain_cells(joined, rows)):
                joined = "\n".join(["\t".join([" ".join(cell.split()) for cell in row])
                                    for row in rows])
            pieces.append(joined)
    except csv.Error:
        return None
    return "\n".join(pieces) + "\n"


TABLE_BLOCK_ROWS = 4096


def _unquoted_table(text: str, dialect: type[csv.Dialect], vectors: bool) -> str | None:
    """What ``table_text`` makes of ``text`` when no character in it asks the reader
    for more than a split at line ends and delimiters (no quote, escape, CR but in CRLF,
    or NUL) and every cell is plain (``_plain_text_cells``); None when unsure: the reader
    then reads it. Its rows are then its lines and its cells their pieces, so the
    delimiters turned to tabs are the answer (the reader took 9 ms of a 750 KB table)."""
    delimiter = dialect.delimiter
    if (dialect.skipinitialspace or dialect.quotechar in text or "\0" in text
            or (dialect.escapechar is not None and dialect.escapechar in text)
            or (delimiter != "\t" and "\t" in text)):
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            return None
    body = text[:-1] if text.endswith("\n") else text
    joined = body.replace(delimiter, "\t") if delimiter != "\t" else body
    if not _plain_text_cells(joined, vectors):
        return None
    return joined + "\n"


# Every character str.split() splits at, but for the blank, tab and line end: a cell
# holding one (a no-break space, a form feed) is folded cell by cell.
# No character above U+3000 (the ideographic space) is a space: looking no further keeps
# the module's import at a millisecond, not the 58 ms the whole of Unicode took.
LAST_SPACE = 0x3000
_OTHER_SPACES = tuple(c for c in map(chr, range(LAST_SPACE + 1))
                      if c.isspace() and c not in " \t\n")
_ASCII_OTHER_SPACES = tuple(c for c in _OTHER_SPACES if c.isascii())


def _plain_text_cells(joined: str, vectors: bool) -> bool:
    """Whether every cell of ``joined`` (cells between tabs and line ends) is what
    " ".join(cell.split()) makes of it, and no line is longer than the CSV reader takes
    in a cell (a longer cell makes it fail). ``vectors``: by NumPy (long texts). False
    when unsure."""
    if any(c in joined for c in (_ASCII_OTHER_SPACES if joined.isascii() else _OTHER_SPACES)):
        return False
    limit = csv.field_size_limit()
    if not vectors:
        return not (joined.startswith(" ") or joined.endswith(" ")
                    or any(pair in joined for pair in _UNPLAIN_PAIRS)
                    or max(map(len, joined.split("\n"))) > limit)
    import numpy as np

    codes = np.frombuffer(joined.encode("utf-8", "surrogatepass"), dtype=np.uint8)
    if not codes.size:
        return True
    # In bytes, which a line's characters never outnumber.
    ends = np.flatnonzero(codes == 0x0A)
    if int(np.diff(ends, prepend=-1, append=codes.size).max()) - 1 > limit:
        return False
    # Each blank (few in a table) must stand between two characters other than blanks,
    # tabs and line ends.
    blanks = np.flatnonzero(codes == 0x20)
    if not blanks.size:
        return True
    if blanks[0] == 0 or blanks[-1] == codes.size - 1:
        return False
    beside = np.concatenate((codes[blanks - 1], codes[blanks + 1]))
    return not bool(((beside == 0x20) | (beside == 0x09) | (beside == 0x0A)).any())


# A blank beside another, or at a cell's edge: a cell that folding would change.
_UNPLAIN_PAIRS = ("  ", " \t", "\t ", " \n", "\n ")


def _plain_cells(joined: str, rows: list[list[str]]) -> bool:
    """Whether each cell of ``rows`` (``joined``: the cells joined by tabs, the rows by
    line ends) is what " ".join(cell.split()) makes of it: no blank at either end or
    beside another, no tab, line end or other space inside. False when unsure."""
    if any(c in joined for c in (_ASCII_OTHER_SPACES if joined.isascii() else _OTHER_SPACES)):
        return False
    import numpy as np

    codes = np.frombuffer(joined.encode("utf-8", "surrogatepass"), dtype=np.uint8)
    tabs = codes == 0x09
    ends = codes == 0x0A
    cells = sum(map(len, rows))
    # A tab or line end inside a cell would be one more than the joins made.
    if (int(np.count_nonzero(tabs)) != cells - (len(rows) - rows.count([]))
            or int(np.count_nonzero(ends)) != len(rows) - 1):
        return False
    blanks = codes == 0x20
    if codes.size and (blanks[0] or blanks[-1]):
        return False
    edges = tabs | ends | blanks  # where a cell ends, or another blank
    return not bool((blanks[1:] & edges[:-1]).any() or (blanks[:-1] & edges[1:]).any())


# JSON documents up to this size are also read value by value when they escape characters.
JSON_MAX_CHARS = 16 * 1024 * 1024


_JSON_START = re.compile(r"\s*[\[{]")


def json_escaped_values(text: str) -> str | None:
    """The string values (and keys) of a JSON document that hold characters it wrote as
    \\u escapes, one per line; None when there are none or the text is not JSON.

    Serialisers escape every non-ASCII character by default (Python's json, Jackson's
    ESCAPE_NON_ASCII), so 机密 arrives as \\u673a\\u5bc6 and the raw text never shows it.
    """
    # The opening bracket first: it is one character to look at, where the search for
    # an escape reads the whole text (a megabyte of mail body) and lstrip copies it.
    if _JSON_START.match(text) is None or len(text) > JSON_MAX_CHARS or "\\u" not in text:
        return None
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        return None
    values: list[str] = []
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, str) and not node.isascii():
            values.append(node)
    values.reverse()  # document order, roughly: the stack reads from the end
    return "\n".join(values) + "\n" if values else None


def extract(part: Part, budget: Budget) -> Iterator[Part | Defect]:
    """The decoded text of ``part`` (in line-aligned pieces when it is large)."""
    if part.size > STREAM_BYTES:
        yield from _extract_streaming(part, budget)
        return
    data = budget.read_part(part)
    text, encoding, lossy = decode_text(data, part.charset)
    if "\r" in text and "\n" not in text:
        # Classic Mac OS text (BinHex data forks, old Mac Office exports) ends lines with
        # a bare CR; the rules read line by line at LF.
        text = text.replace("\r", "\n")
    if lossy:
        yield Defect("extract.charset", "low",
                     f"text is not valid {encoding}; undecodable bytes were replaced")
    table = table_text(text) if _is_table(part) else None
    if table is not None:
        # A table's rows, cell by cell (as a spreadsheet's): its values stand alone.
        yield budget.child(part, "", text=table, role="cell", charset=encoding)
    else:
        yield budget.child(part, "", text=text, role=part.role or "body", charset=encoding)
    values = json_escaped_values(text)
    if values is not None:
        yield budget.child(part, "#json", text=values, role=part.role or "body", charset=encoding)
    for other, alternate in alternate_readings(data, encoding, lossy):
        yield budget.child(part, f"#{other}", text=alternate, role=part.role or "body",
                           charset=other)
    if encoding not in ("ascii", "utf-8", "utf-8-sig") or lossy:
        # 8-bit text whose commonest byte is no space: maybe a text under a one-byte key
        # (XOR or shift with the high bit set reads as some 8-bit charset).
        key = byte_mapping.key_for(data[:byte_mapping.SAMPLE_BYTES])
        if key is not None:
            name, table = key
            yield budget.child(part, f"#{name}", text=data[:byte_mapping.READ_BACK_BYTES].translate(
                table).decode("utf-8", "replace"), role=part.role or "body")


def _extract_streaming(part: Part, budget: Budget) -> Iterator[Part | Defect]:
    """Decode a large text part piece by piece, so it is never in memory whole.

    The charset is chosen from the first block; each piece ends at a line break so a
    marking line is never cut in two.
    """
    with part.open() as stream:
        first = stream.read(STREAM_BLOCK)
        _, encoding, _ = decode_text(first[:GUESS_SAMPLE], part.charset)
        if encoding == "ascii":
            encoding = "utf-8"  # the sample was ASCII; later bytes may not be
        decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        carry = ""
        block = first
        lossy = False
        while block:
            budget.check_time()
            text = carry + decoder.decode(block)
            lossy = lossy or "\ufffd" in text
            cut = text.rfind("\n") + 1
            if cut == 0 and len(text) < STREAM_BLOCK:
                carry = text  # no line break yet: keep reading
            else:
                cut = cut or len(text)
                yield budget.child(part, "", text=text[:cut], role=part.role or "body",
                                   charset=encoding)
                carry = text[cut:]
            block = stream.read(STREAM_BLOCK)
        rest = carry + decoder.decode(b"", final=True)
        if rest:
            yield budget.child(part, "", text=rest, role=part.role or "body", charset=encoding)
    if lossy or "\ufffd" in rest:
        yield Defect("extract.charset", "low",
                     f"text is not valid {encoding}; undecodable bytes were replaced")
