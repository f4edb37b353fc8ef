"""Where a hit's highlight starts and ends in its excerpt, for people reading it.

A rule's span covers what the rule needed to see, which can stop inside a word:
``SECRET//N`` of ``SECRET//NOFORN`` (the caveat rule only needs the first letter after
the slashes). An officer reads markings, so the highlight is widened to the whole
token: letters and digits of alphabetic scripts, joined by the ``/`` of control
markings. Scripts written without spaces (Chinese, Japanese) are not widened: there a
neighbouring character is another word, not the rest of this one.
"""

from __future__ import annotations

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
