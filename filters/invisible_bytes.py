"""Bytes written as invisible characters: variation selectors after a visible one.

Unicode's 256 variation selectors (VS1-VS16 at U+FE00-U+FE0F, VS17-VS256 at U+E0100-
U+E01EF) render as nothing, and any number may follow a character: one selector per byte
after an emoji carries a whole text through a chat, a mail or a form unseen ("emoji
smuggling"), and any decoder reads it back (byte 0-15 as VS1-VS16, 16-255 as VS17-VS256).
Ordinary text uses a selector singly, after the character it varies (an emoji's U+FE0F, a
CJK ideograph's variant); a run of MIN_RUN or more is data, read back as bytes and
inspected like any decoded value (typed and opened again).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

MIN_RUN = 8  # selectors in a row; ordinary text has one after a character
# In UTF-8: EF B8 80-8F (U+FE00-U+FE0F), F3 A0 84-87 xx (U+E0100-U+E01EF).
_SELECTOR = rb"(?:\xef\xb8[\x80-\x8f]|\xf3\xa0[\x84-\x87][\x80-\xbf])"
_RUN = re.compile(_SELECTOR + b"{%d,}" % MIN_RUN)
_LOW = re.compile(rb"\xef\xb8[\x80-\x8f]")


def _byte(char: str) -> int:
    code = ord(char)
    return code - 0xFE00 if code < 0xFE10 else code - 0xE0100 + 16


def runs(text: str, encoded: bytes) -> Iterator[tuple[tuple[int, int], bytes]]:
    """((start, end) in ``text``, bytes) of each run of MIN_RUN or more variation selectors;
    ``encoded`` is ``text`` in UTF-8.

    Only bytes 16-255 (VS17-VS256, led by F3) make text or a file's start, so a run is
    looked for where an F3 byte is (memchr: a text with none costs a search at memory
    speed), from the selectors just before it."""
    at = encoded.find(b"\xf3")
    while at >= 0:
        start = at
        while start >= 3 and _LOW.match(encoded, start - 3):
            start -= 3  # VS1-VS16 (bytes 0-15) before the first high selector
        match = _RUN.match(encoded, start)
        if match is None:
            at = encoded.find(b"\xf3", at + 1)
            continue
        begin = len(encoded[:match.start()].decode("utf-8", "surrogatepass"))
        run = match.group().decode("utf-8", "surrogatepass")
        yield (begin, begin + len(run)), bytes(_byte(char) for char in run)
        at = encoded.find(b"\xf3", match.end())
