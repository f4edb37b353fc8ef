"""Winnowed shingle fingerprints of text, over the same normalisation the rules read.

Text is normalised as for marking rules (look-alikes folded, invisible characters and
letter spacing undone), case-folded and cut into tokens: a word in scripts that write
spaces, one character in Chinese and Japanese. Every run of ``SHINGLE`` tokens is hashed,
and winnowing (Schleimer, Wilkerson and Aiken, SIGMOD 2003) keeps the smallest hash of
every ``WINDOW`` consecutive shingles: two texts that share a run of at least
``SHINGLE + WINDOW - 1`` tokens always share a fingerprint, and a text of N tokens keeps
about 2N / (WINDOW + 1) of them.

A fingerprint is 32 bits of a hash: it cannot be turned back into the words it came from.
"""

from __future__ import annotations

import re

import numpy as np

from filters.fingerprint_index import distinct
from filters.normalise import NormalisedText, despace, normalise

SHINGLE = 5  # tokens per shingle
WINDOW = 24  # shingles per winnowing window
SEGMENT = 1 << 20  # characters shingled at a time (bounds the arrays of a long text)
# A Chinese character carries about half a word: thresholds are counted in words, a
# character of Chinese or Japanese weighs 0.5.
CHARACTER_WEIGHT = 0.5
# One token per ideograph or kana; words elsewhere (Hangul writes spaces between words).
_IDEOGRAPHIC_RANGES = ((0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
_SEPARATOR = re.compile(r"[\W_]")  # what is not part of a word (one character each)
# Fixed constants (every process and every node computes the same fingerprint for the
# same text): an odd base for the hash of a token's code points (odd, so it has an
# inverse modulo 2**64 and a token hashes the same wherever it stands), one odd
# multiplier per shingle position, and a final mix.
_BASE = 0x100000001B3
_BASE_INVERSE = pow(_BASE, -1, 1 << 64)
_MULTIPLIERS = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                         0xD6E8FEB86659FD93, 0xFF51AFD7ED558CCD], dtype=np.uint64)
_MIX = np.uint64(0xC4CEB9FE1A85EC53)
# ASCII: which bytes are word characters, and each byte lower-cased.
_ASCII_WORD = np.array([chr(c).isalnum() for c in range(256)], dtype=bool)
_ASCII_WORD[128:] = False
_ASCII_LOWER = np.array([ord(chr(c).lower()) if c < 128 else c for c in range(256)],
                        dtype=np.uint64)


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """_BASE**i and its inverse for i < n (modulo 2**64)."""
    base = np.full(n, _BASE, dtype=np.uint64)
    base[0] = 1
    inverse = np.full(n, _BASE_INVERSE, dtype=np.uint64)
    inverse[0] = 1
    return np.cumprod(base), np.cumprod(inverse)


_POWERS = _powers(SEGMENT + 1)


class Shingled:
    """The fingerprints of one text, in text order, and the way back to its passages.

    ``hashes[i]`` is the fingerprint of the shingle starting at token ``positions[i]``
    (what a registered document keeps); ``every[t]`` is the hash of every shingle, the
    one starting at token ``t`` (what a scanned text is looked up by, so that a
    registered fingerprint is found wherever its shingle stands, whatever was chosen
    around it); ``starts``/``ends`` are each token's span in the normalised text,
    ``weight[t]`` the words before token ``t`` (a Chinese character counts 0.5).
    """

    __slots__ = ("ends", "every", "hashes", "norm", "positions", "starts", "text", "weight")

    def __init__(self, text: str, norm: NormalisedText, starts: np.ndarray, ends: np.ndarray,
                 weight: np.ndarray, every: np.ndarray, hashes: np.ndarray,
                 positions: np.ndarray) -> None:
        self.text = text  # the original text
        self.norm = norm
        self.starts = starts
        self.ends = ends
        self.weight = weight
        self.every = every  # uint32, one per shingle
        self.hashes = hashes  # uint32
        self.positions = positions  # int64 token index of each fingerprint

    @property
    def words(self) -> float:
        """The text's length in words (a Chinese character counts 0.5)."""
        return float(self.weight[-1])

    def unique(self) -> np.ndarray:
        """The distinct fingerprints, sorted (what a registered document is stored as)."""
        return distinct(self.hashes)

    def span_words(self, first: int, last: int) -> float:
        """Words covered from the shingle at token ``first`` to the one at ``last``."""
        end = min(last + SHINGLE, len(self.weight) - 1)
        return float(self.weight[end] - self.weight[first])

    def passage(self, first: int, last: int) -> tuple[int, int]:
        """The original text span from the shingle at token ``first`` to the one at
        ``last`` (inclusive)."""
        end_token = min(last + SHINGLE, len(self.starts)) - 1
        start, end = int(self.starts[first]), int(self.ends[end_token])
        return self.norm.original_span(start, end)

    def token_starts(self) -> np.ndarray:
        """Each token's start in the original text."""
        offsets = self.norm.offsets
        if offsets is None:
            return self.starts
        return np.asarray(offsets, dtype=np.int64)[self.starts]


def _token_spans(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Code points (case-folded), token starts and ends, and which tokens are one
    ideograph, of ``text``. Only the code points inside tokens are ever read."""
    if text.isascii():
        raw = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
        # A token starts where a word character follows a separator and ends where a
        # separator follows one: the steps of the padded word mask.
        steps = np.diff(np.concatenate(([0], _ASCII_WORD[raw].view(np.int8), [0])))
        starts = np.flatnonzero(steps == 1)
        ends = np.flatnonzero(steps == -1)
        return _ASCII_LOWER[raw], starts, ends, np.zeros(len(starts), dtype=bool)
    folded = text.casefold()
    if len(folded) != len(text):  # "ß" -> "ss": one folded character per character
        folded = "".join(c.casefold()[:1] or c for c in text)
    separated = _SEPARATOR.sub("\0", folded)
    codes = np.frombuffer(separated.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    inside = codes != 0
    ideograph = np.zeros(len(codes), dtype=bool)
    for low, high in _IDEOGRAPHIC_RANGES:
        ideograph |= (codes >= low) & (codes <= high)
    before = np.concatenate(([False], inside[:-1]))
    after = np.concatenate((inside[1:], [False]))
    ideograph_before = np.concatenate(([False], ideograph[:-1]))
    ideograph_after = np.concatenate((ideograph[1:], [False]))
    starts = np.flatnonzero(inside & (~before | ideograph | ideograph_before))
    ends = np.flatnonzero(inside & (~after | ideograph | ideograph_after)) + 1
    return codes, starts, ends, ideograph[starts]


def _letter_spaced(starts: np.ndarray, ends: np.ndarray, ideograph: np.ndarray) -> bool:
    """True when three or more one-letter tokens stand a few blanks apart (``S E C R E T``)."""
    single = ((ends - starts) == 1) & ~ideograph
    if len(single) < 3:
        return False
    close = np.concatenate(((starts[1:] - ends[:-1]) <= 3, [False]))
    run = single[:-2] & single[1:-1] & single[2:] & close[:-2] & close[1:-1]
    return bool(run.any())


def _segment_hashes(codes: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """One 64-bit hash per token: its code points as a polynomial in _BASE, the same
    wherever the token stands (uint64 arithmetic wraps modulo 2**64)."""
    powers, inverse = _POWERS
    if len(codes) > len(powers) - 1:
        powers, inverse = _powers(len(codes) + 1)
    total = np.concatenate((np.zeros(1, dtype=np.uint64),
                            np.cumsum(codes * powers[:len(codes)], dtype=np.uint64)))
    return (total[ends] - total[starts]) * inverse[starts]


def _winnow(token_hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every shingle's hash, the fingerprints kept and the token index of each."""
    count = len(token_hashes)
    if count < SHINGLE:
        empty = np.zeros(0, dtype=np.uint32)
        return empty, empty, np.zeros(0, dtype=np.int64)
    shingles = count - SHINGLE + 1
    combined = np.zeros(shingles, dtype=np.uint64)
    for j in range(SHINGLE):
        combined += token_hashes[j:j + shingles] * _MULTIPLIERS[j]
    combined ^= combined >> np.uint64(31)
    combined *= _MIX
    combined ^= combined >> np.uint64(29)
    hashes = (combined >> np.uint64(32)).astype(np.uint32)
    if shingles <= WINDOW:
        chosen = np.flatnonzero(hashes == hashes.min())
    else:
        # A shingle is kept when it is the smallest of some window it lies in (every one
        # when several tie): the windows' minima, then for each shingle the largest
        # minimum of the windows around it; each in a few passes (van Herk/Gil-Werman).
        minima = _sliding(hashes, WINDOW, np.minimum, np.iinfo(np.uint32).max)
        edge = np.zeros(WINDOW - 1, dtype=np.uint32)
        around = _sliding(np.concatenate((edge, minima, edge)), WINDOW, np.maximum, 0)
        chosen = np.flatnonzero(hashes == around)
    return hashes, hashes[chosen], chosen.astype(np.int64)


def _sliding(values: np.ndarray, width: int, best: np.ufunc, pad: int) -> np.ndarray:
    """``best`` (np.minimum or np.maximum) of every ``width`` consecutive values."""
    count = len(values)
    blocks = np.concatenate((values, np.full((-count) % width, pad, dtype=values.dtype)))
    blocks = blocks.reshape(-1, width)
    prefix = best.accumulate(blocks, axis=1).ravel()
    suffix = best.accumulate(blocks[:, ::-1], axis=1)[:, ::-1].ravel()
    return best(suffix[:count - width + 1], prefix[width - 1:count])


def _tokens(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Token hashes, starts and ends in ``text`` and the ideograph flags, a segment of
    SEGMENT characters at a time (cut at a blank)."""
    parts = []
    offset = 0
    while offset < len(text):
        stop = len(text) if len(text) - offset <= SEGMENT else \
            max(text.rfind(" ", offset, offset + SEGMENT), offset + SEGMENT // 2)
        piece = text[offset:stop]
        codes, starts, ends, ideograph = _token_spans(piece)
        parts.append((_segment_hashes(codes, starts, ends), starts + offset, ends + offset,
                      ideograph))
        offset = stop
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return np.zeros(0, dtype=np.uint64), empty, empty, np.zeros(0, dtype=bool)
    return tuple(np.concatenate(column) for column in zip(*parts, strict=True))  # type: ignore[return-value]


def shingle(text: str) -> Shingled:
    """The winnowed fingerprints of ``text`` (none when it has fewer than SHINGLE tokens)."""
    norm = normalise(text)
    token_hashes, starts, ends, ideograph = _tokens(norm.text)
    if _letter_spaced(starts, ends, ideograph):
        spaced, index = despace(norm.text)
        if len(index) != len(norm.text):
            token_hashes, starts, ends, ideograph = _tokens(spaced)
            mapped = np.asarray(index, dtype=np.int64)
            starts, ends = mapped[starts], mapped[ends - 1] + 1
    if ideograph.any():
        weight = np.zeros(len(starts) + 1, dtype=np.float64)
        np.cumsum(np.where(ideograph, CHARACTER_WEIGHT, 1.0), out=weight[1:])
    else:
        weight = np.arange(len(starts) + 1, dtype=np.float64)
    every, hashes, positions = _winnow(token_hashes)
    return Shingled(text, norm, starts, ends, weight, every, hashes, positions)


def document_fingerprints(texts: list[str]) -> tuple[np.ndarray, float]:
    """The distinct fingerprints of a document's texts (sorted uint32) and its words."""
    shingled = [shingle(text) for text in texts if text.strip()]
    found = [s.hashes for s in shingled if len(s.hashes)]
    words = sum(s.words for s in shingled)
    if not found:
        return np.zeros(0, dtype=np.uint32), words
    return distinct(np.concatenate(found)), words


_BLANKS = re.compile(r"\s+")


def clean_passage(text: str, limit: int = 600) -> str:
    """A passage for an excerpt: blanks folded to one space, cut at ``limit`` characters."""
    text = _BLANKS.sub(" ", text).strip()
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def shingle_set(texts: list[str]) -> np.ndarray:
    """Every shingle hash of several texts, distinct and sorted (boilerplate is excluded
    wherever any of its shingles is a registered fingerprint)."""
    found = [shingle(text).every for text in texts if text.strip()]
    found = [f for f in found if len(f)]
    return distinct(np.concatenate(found)) if found else np.zeros(0, dtype=np.uint32)


def passages(positions: np.ndarray, gap: int = WINDOW) -> list[np.ndarray]:
    """Sorted shingle positions cut where two are more than ``gap`` tokens apart.

    In a copy of a registered text, its fingerprints stand at most WINDOW shingles apart
    (winnowing keeps one in every window), so a longer gap ends a passage."""
    if not len(positions):
        return []
    return np.split(positions, np.flatnonzero(np.diff(positions) > gap) + 1)


def shared_passages(text: str, hashes: np.ndarray, min_fingerprints: int = 2
                    ) -> list[tuple[int, int]]:
    """Spans of ``text`` where shingles among ``hashes`` stand close together (at least
    ``min_fingerprints`` of them): where a known passage sits in a longer text."""
    shingled = shingle(text)
    if not len(shingled.every) or not len(hashes):
        return []
    inside = np.flatnonzero(np.isin(shingled.every, hashes))
    return [shingled.passage(int(run[0]), int(run[-1])) for run in passages(inside)
            if len(run) >= min_fingerprints]
