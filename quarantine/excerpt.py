"""Where a hit's highlight starts and ends in its excerpt, for people reading it.

A rule's span covers what the rule needed to see, which can stop inside a word:
``SECRET//N`` of ``SECRET//NOFORN`` (the caveat rule only needs the first letter after
the slashes). An officer reads markings, so the highlight is widened to the whole
token: letters and digits of alphabetic scripts, joined by the ``/`` of control
markings. Scripts written without spaces (Chinese, Japanese) are not widened: there a
neighbouring character is another word, not the rest of this one.

Text a reader never sees is shown for what it is: Unicode tag characters (U+E0020-
U+E007E) spell ASCII invisibly, and the rules read them as the letters they spell, so an
excerpt of them would look blank; ``shown`` writes each run as its letters between ⟦ ⟧.
"""

from __future__ import annotations

import re
import unicodedata

# How far a highlight may grow on each side: excerpts are short, markings shorter.
MAX_GROWTH = 64


def _in_token(char: str) -> bool:
    if char == "/":
        return True
    if not char.isalnum():
        return False
    return unicodedata.east_asian_width(char) not in ("W", "F")


def whole_marking(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` clamped to ``text`` and widened to whole tokens at both ends."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    if start == end:
        return start, end
    limit = max(0, start - MAX_GROWTH)
    while start > limit and _in_token(text[start - 1]) and _in_token(text[start]):
        start -= 1
    limit = min(len(text), end + MAX_GROWTH)
    while end < limit and _in_token(text[end]) and _in_token(text[end - 1]):
        end += 1
    # A trailing or leading slash is punctuation around the marking, not part of it.
    while end - start > 1 and text[end - 1] == "/":
        end -= 1
    while end - start > 1 and text[start] == "/":
        start += 1
    return start, end


_TAG_RUN = re.compile("[\U000e0009\U000e000a\U000e000d\U000e0020-\U000e007e]+")
HIDDEN_OPEN, HIDDEN_CLOSE = "⟦", "⟧"  # around letters written in invisible tag characters


def _spelled(run: re.Match[str]) -> str:
    letters = "".join(chr(ord(char) - 0xE0000) for char in run.group())
    return HIDDEN_OPEN + " ".join(letters.split("\n")).replace("\r", " ").replace("\t", " ") + HIDDEN_CLOSE


def shown(text: str) -> str:
    """``text`` as an officer should read it: each run of tag characters (invisible ASCII)
    written as the letters it spells between ⟦ ⟧, so a hidden marking is not blank."""
    return text if text.isascii() else _TAG_RUN.sub(_spelled, text)
