"""Text runs from a part of a type Redline does not open, in every encoding the rules know.

Like strings(1), but for UTF-8, UTF-16 (little- and big-endian, either byte alignment),
GB18030 and Big5 double-byte text and Windows-1252: a marking inside a SQLite database,
after a binary prefix, behind a leading NUL byte or in UTF-16 without a byte-order mark
is read as text. The search is bounded (``[coverage] strings_bytes``).

What cannot be read this way is judged by how it compresses: a stretch of bytes that
zlib cannot shrink is compressed or encrypted content in a format Redline does not
open, and a part of unknown type that holds one is held (``extract.uninspectable``).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator

from filters import byte_mapping, headerless, widened
from filters.dump_content import reads_as_text
from filters.limits import Budget
from filters.types import Defect, Part

BLOCK = 1024 * 1024  # searched a block at a time, with the time checked between blocks
OVERLAP = 256  # bytes each block repeats from the one before, so a run across the cut is whole
TEXT_PIECE = 1024 * 1024  # characters of runs per text child
OPACITY_BLOCK = 16 * 1024
OPAQUE_RATIO = 0.95  # zlib output/input at or above this: compressed or encrypted bytes
MIN_OPAQUE_BYTES = 256  # shorter stretches say too little to judge
# Marks the text children made of runs: judged by how their bytes compress, not as text.
TEXT_RUNS_KEY = "text_runs"

_UTF8 = (rb"(?:[\t\n\r\x20-\x7e]|[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|"
         rb"[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]|"
         rb"\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2})")
# Characters a run of UTF-16 text is made of: ASCII, Latin, Greek, Cyrillic, punctuation
# and symbols (★), CJK symbols, kana and ideographs, full-width forms, and the other
# scripts the marking rules are written in: Armenian, Hebrew, Arabic, Devanagari, Thai,
# Georgian and Hangul (jamo and syllables).
_WIDE_CLASS = ("[\t\n\r\x20-\x7e\xa0-\u024f\u0370-\u04ff\u0530-\u06ff\u0900-\u097f"
               "\u0e00-\u0e7f\u10a0-\u11ff\u2000-\u27ff\u3000-\u30ff\u3130-\u318f"
               "\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef]")
_DBCS = rb"(?:[\t\n\r\x20-\x7e]|[\x81-\xfe][\x40-\x7e\x80-\xfe])"
_LATIN = rb"[\t\n\r\x20-\x7e\xa0-\xff]"
# In compressed or encrypted stretches only longer ASCII runs, plain or UTF-16, are taken:
# cheap to find, and what a marking appended to a picture or archive looks like.
OPAQUE_MIN_CHARS = 8
# C0 controls a reader does not see, put between letters to cut a text's runs
# ("TOP SEC\x05RET"). NUL is not among them: UTF-16 and binary formats are full of it.
_UNSEEN_CONTROLS = bytes(b for b in range(1, 32) if b not in b"\t\n\v\f\r") + b"\x7f"
_LINE_BREAKS = bytes.maketrans(b"\v\f", b"\n\n")  # a page or line break ends a line
CONTROLS_READ_BYTES = 1024 * 1024  # read without controls at most this much
_OPAQUE_RUNS = re.compile(rb"[\t\n\r\x20-\x7e]{%d,}|(?:[\t\n\r\x20-\x7e]\x00){%d,}"
                          % (OPAQUE_MIN_CHARS, OPAQUE_MIN_CHARS))


class _Patterns:
    def __init__(self, min_chars: int) -> None:
        self.utf8 = re.compile(_UTF8 + rb"{%d,}" % min_chars)
        self.wide = re.compile(_WIDE_CLASS + f"{{{min_chars},}}")
        self.dbcs = re.compile(_DBCS + rb"{%d,}" % min_chars)
        self.latin = re.compile(_LATIN + rb"{%d,}" % min_chars)


_cache: dict[int, _Patterns] = {}


def _patterns(min_chars: int) -> _Patterns:
    if min_chars not in _cache:
        _cache[min_chars] = _Patterns(min_chars)
    return _cache[min_chars]


def text_runs(data: bytes, min_chars: int = 4) -> Iterator[str]:
    """Text runs of at least ``min_chars`` characters in ``data``, encoding by encoding."""
    p = _patterns(min_chars)
    masked = bytearray(data)
    for match in p.utf8.finditer(data):
        yield match.group().decode("utf-8", "replace")
        # What is read as UTF-8 is not read again as UTF-16 or GB18030 (English text
        # read as UTF-16 is a run of ideographs). A letter beside a NUL may be the first
        # or last of a UTF-16 run ("helloT\0O\0P\0"), so it stays for that reading.
        start, end = match.start(), match.end()
        if end < len(data) and data[end] == 0:
            end -= 1
        if start > 0 and data[start - 1] == 0:
            start += 1
        if end > start:
            masked[start:end] = bytes(end - start)
    for match in p.latin.finditer(data):
        run = match.group()
        if run.isascii():
            continue
        try:
            run.decode("utf-8")
        except UnicodeDecodeError:
            yield run.decode("cp1252", "replace")
    rest = bytes(masked)
    for match in p.dbcs.finditer(rest):
        run = match.group()
        if run.isascii():
            continue
        yield run.decode("gb18030", "replace")
        try:
            big5 = run.decode("big5hkscs")
        except UnicodeDecodeError:
            continue
        yield big5
    for codec in ("utf-16-le", "utf-16-be"):
        for align in (0, 1):
            chunk = rest[align:]
            chunk = chunk[: len(chunk) & ~1]
            yield from p.wide.findall(chunk.decode(codec, "replace"))


def without_controls(data: bytes) -> bytes | None:
    """``data`` with its unseen control characters removed, when it has some and is text
    without them; None otherwise (binary data, or text with none to remove)."""
    if b"\0" in data:
        return None
    text = data.translate(_LINE_BREAKS, _UNSEEN_CONTROLS)
    if len(text) == len(data) or not reads_as_text(text):
        return None
    return text


def utf32_text(data: bytes) -> str | None:
    """``data`` read as UTF-32 without a byte-order mark, when that reads as text; else None.

    Each character is four bytes, two or three of them NUL, so no run of UTF-8 or UTF-16
    text is found in it, yet an editor that is told the encoding shows it whole.
    """
    data = data[:len(data) // 4 * 4]
    if len(data) < 16:
        return None
    for codec, zeros in (("utf-32-le", data[2:4]), ("utf-32-be", data[0:2])):
        if zeros != b"\0\0":
            continue
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:  # a code point past U+10FFFF or a surrogate: not UTF-32
            continue
        if reads_as_text(text.encode("utf-8")):
            return text
    return None


def readable_segments(data: bytes) -> tuple[list[tuple[bool, bytes]], int]:
    """``data`` cut into (opaque, bytes) segments, and how many bytes are opaque.

    ``data`` is judged in blocks of OPACITY_BLOCK bytes: a block zlib cannot shrink is
    compressed or encrypted content, where a full multi-encoding search would only find
    noise (and take long); neighbouring blocks of one kind are joined.
    """
    segments: list[tuple[bool, bytes]] = []
    opaque = 0
    for start in range(0, len(data), OPACITY_BLOCK):
        block = data[start:start + OPACITY_BLOCK]
        dense = (len(block) >= MIN_OPAQUE_BYTES
                 and len(zlib.compress(block, 1)) >= OPAQUE_RATIO * len(block))
        if dense:
            opaque += len(block)
        if segments and segments[-1][0] == dense:
            segments[-1] = (dense, segments[-1][1] + block)
        else:
            segments.append((dense, block))
    return segments, opaque


def _opaque_runs(data: bytes) -> Iterator[str]:
    for match in _OPAQUE_RUNS.finditer(data):
        run = match.group()
        yield run.decode("utf-16-le") if run[1:2] == b"\0" else run.decode("ascii")


def extract(part: Part, budget: Budget, *, hold: bool = True, max_bytes: int = 32 * 1024 * 1024,
            min_chars: int = 4, archive: bool = False,
            skip: tuple[int, int] | None = None) -> Iterator[Part | Defect]:
    """Text runs of ``part`` as text children; a Defect when ``hold`` and it is not readable.

    ``hold`` is False for inert and accepted types: they are searched, never held.
    ``archive`` says the part is an archive or compression format Redline does not open:
    held whatever its bytes look like, since its members were not read. ``skip``: the
    bytes (start, end) of an archive appended to the part whose members are read
    (filters.appended), neither searched nor counted.
    """
    kind = part.detected_type or "unknown type"
    pieces: list[str] = []
    size = 0
    opaque = 0
    searched = 0
    skipped = 0
    with part.open() as stream:
        tail = b""
        while searched < max_bytes:
            budget.check_time()
            wanted = min(BLOCK, max_bytes - searched)
            if skip is not None:
                position = stream.tell()
                if skip[0] <= position < skip[1]:
                    stream.seek(skip[1])
                    skipped = skip[1] - skip[0]
                    tail = b""  # no run joins the bytes before the archive and after it
                    continue
                if position < skip[0]:
                    wanted = min(wanted, skip[0] - position)
            block = stream.read(wanted)
            if not block:
                break
            segments, block_opaque = readable_segments(tail + block)
            opaque += block_opaque
            searched += len(block)
            for dense, segment in segments:
                runs = _opaque_runs(segment) if dense else text_runs(segment, min_chars)
                for run in runs:
                    pieces.append(run)
                    size += len(run) + 1
                    if size >= TEXT_PIECE:
                        yield budget.child(part, "", text="\n".join(pieces), role="body",
                                          meta={TEXT_RUNS_KEY: "1"})
                        pieces, size = [], 0
            tail = block[-OVERLAP:]
    if pieces:
        yield budget.child(part, "", text="\n".join(pieces), role="body",
                                          meta={TEXT_RUNS_KEY: "1"})
    if not hold:
        return
    if not opaque and (kept := widened.narrowed(part.head(widened.SAMPLE_BYTES))) is not None:
        # A file with a NUL after (or before) each byte: its own bytes, typed and read
        # again; what is past MAX_BYTES is cut off, and the child says so when read.
        data = part.head(widened.MAX_BYTES)[kept::2]
        budget.take(len(data))
        yield budget.child(part, "#narrowed", data=data)
    elif not opaque and (key := byte_mapping.key_for(part.head(byte_mapping.SAMPLE_BYTES))):
        # A text under a one-byte key (XOR, shift) compresses like text but yields no run.
        name, table = key
        text = part.head(byte_mapping.READ_BACK_BYTES).translate(table).decode("utf-8", "replace")
        yield budget.child(part, f"#{name}", text=text, role="body")
    elif not opaque and (text := without_controls(part.head(CONTROLS_READ_BYTES))):
        # Text with control characters between its letters is taken for binary data, and
        # its runs are cut at each control: read whole, as a viewer shows it.
        yield budget.child(part, "#without-controls", text=text.decode("utf-8", "replace"),
                           role="body")
    elif not opaque and (wide := utf32_text(part.head(CONTROLS_READ_BYTES))):
        yield budget.child(part, "#utf-32", text=wide, role="body")
    elif not opaque and part.size <= headerless.SAMPLE_BYTES and (
            found := headerless.decoded(part.head(headerless.SAMPLE_BYTES))):
        # A short raw deflate or LZMA stream: too short to be judged unreadable, no run.
        name, data = found
        budget.take(len(data))
        yield budget.child(part, f"#{name}", data=data)
    if part.size - skipped > searched:
        yield Defect("extract.uninspectable", "high",
                     f"{kind} is not a format Redline opens and is larger than the "
                     f"{max_bytes} bytes searched for text; the rest was not inspected",
                     where=part.origin)
    elif opaque:
        yield Defect("extract.uninspectable", "high",
                     f"{kind} is not a format Redline opens, and {opaque} of its {searched} "
                     "bytes are compressed or encoded content that cannot be read as text",
                     where=part.origin)
    elif archive:
        yield Defect("extract.uninspectable", "high",
                     f"{kind} is an archive or compression format Redline does not open, so "
                     "what it holds was not inspected", where=part.origin)
