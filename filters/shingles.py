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
import zlib
from dataclasses import dataclass

import numpy as np

from filters.normalise import despace, normalise

SHINGLE = 5  # tokens per shingle
WINDOW = 24  # shingles per winnowing window
# One token per ideograph or kana; words elsewhere (Hangul writes spaces between words).
_IDEOGRAPHIC = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(f"[{_IDEOGRAPHIC}]|[^\\W_{_IDEOGRAPHIC}]+")
# A Chinese character carries about half a word: thresholds are counted in words, a
# character of Chinese or Japanese weighs 0.5.
CHARACTER_WEIGHT = 0.5
# Odd 64-bit multipliers, one per shingle position, and a final mix: fixed, so every
# process and every node computes the same fingerprint for the same text.
_MULTIPLIERS = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                         0xD6E8FEB86659FD93, 0xFF51AFD7ED558CCD], dtype=np.uint64)
_MIX = np.uint64(0xC4CEB9FE1A85EC53)


@dataclass(frozen=True, slots=True)
class Shingled:
    """The fingerprints of one text, in text order, and the way back to its passages.

    ``hashes[i]`` is the fingerprint of the shingle starting at token ``positions[i]``;
    ``starts``/``ends`` are each token's span in the original text; ``weight[t]`` is the
    weight in words of the tokens before token ``t``.
    """

    hashes: np.ndarray  # uint32
    positions: np.ndarray  # int64 token index of each fingerprint
    starts: np.ndarray  # int64 original offset of each token
    ends: np.ndarray  # int64 original end offset of each token
    weight: np.ndarray  # float64 cumulative weight, len(tokens) + 1
    text: str  # the original text

    @property
    def words(self) -> float:
        """The text's length in words (a Chinese character counts 0.5)."""
        return float(self.weight[-1])

    def unique(self) -> np.ndarray:
        """The distinct fingerprints, sorted (what a registered document is stored as)."""
        return np.unique(self.hashes)

    def span_words(self, first: int, last: int) -> float:
        """Words covered from fingerprint ``first`` to fingerprint ``last`` (inclusive)."""
        end = min(int(self.positions[last]) + SHINGLE, len(self.weight) - 1)
        return float(self.weight[end] - self.weight[int(self.positions[first])])

    def passage(self, first: int, last: int) -> tuple[int, int]:
        """The original text span from fingerprint ``first`` to ``last`` (inclusive)."""
        end_token = min(int(self.positions[last]) + SHINGLE, len(self.starts)) - 1
        return int(self.starts[int(self.positions[first])]), int(self.ends[end_token])


def tokens(text: str) -> tuple[list[str], list[tuple[int, int]], list[float]]:
    """Case-folded tokens of normalised ``text``, their spans in ``text`` and their weights."""
    norm = normalise(text)
    spaced, index = despace(norm.text)
    words: list[str] = []
    spans: list[tuple[int, int]] = []
    weights: list[float] = []
    mapped = norm.offsets is not None or len(index) != len(norm.text)
    for match in _TOKEN.finditer(spaced):
        start, end = match.span()
        word = match.group()
        words.append(word.casefold())
        weights.append(CHARACTER_WEIGHT if end - start == 1 and _is_ideographic(word) else 1.0)
        if mapped:
            spans.append(norm.original_span(index[start], index[end - 1] + 1))
        else:
            spans.append((start, end))
    return words, spans, weights


def _is_ideographic(ch: str) -> bool:
    code = ord(ch)
    return 0x3040 <= code <= 0x30FF or 0x3400 <= code <= 0x4DBF or 0x4E00 <= code <= 0x9FFF \
        or 0xF900 <= code <= 0xFAFF


def shingle(text: str) -> Shingled:
    """The winnowed fingerprints of ``text`` (none when it has fewer than SHINGLE tokens)."""
    words, spans, weights = tokens(text)
    count = len(words)
    starts = np.fromiter((s for s, _ in spans), dtype=np.int64, count=count)
    ends = np.fromiter((e for _, e in spans), dtype=np.int64, count=count)
    weight = np.zeros(count + 1, dtype=np.float64)
    if count:
        np.cumsum(np.asarray(weights, dtype=np.float64), out=weight[1:])
    if count < SHINGLE:
        empty = np.zeros(0, dtype=np.uint32)
        return Shingled(empty, np.zeros(0, dtype=np.int64), starts, ends, weight, text)
    token_hashes = np.fromiter((zlib.crc32(w.encode("utf-8")) for w in words),
                               dtype=np.uint64, count=count)
    shingles = count - SHINGLE + 1
    combined = np.zeros(shingles, dtype=np.uint64)
    for j in range(SHINGLE):
        combined += token_hashes[j:j + shingles] * _MULTIPLIERS[j]
    combined ^= combined >> np.uint64(31)
    combined *= _MIX
    combined ^= combined >> np.uint64(29)
    hashes = (combined >> np.uint64(32)).astype(np.uint32)
    if shingles <= WINDOW:
        chosen = np.array([int(np.argmin(hashes))], dtype=np.int64)
    else:
        windows = np.lib.stride_tricks.sliding_window_view(hashes, WINDOW)
        chosen = np.unique(windows.argmin(axis=1) + np.arange(len(windows)))
    return Shingled(hashes[chosen], chosen.astype(np.int64), starts, ends, weight, text)


def fingerprint_set(texts: list[str]) -> np.ndarray:
    """The distinct fingerprints of several texts together, sorted (uint32)."""
    return document_fingerprints(texts)[0]


def document_fingerprints(texts: list[str]) -> tuple[np.ndarray, float]:
    """The distinct fingerprints of a document's texts (sorted uint32) and its words."""
    shingled = [shingle(text) for text in texts if text.strip()]
    found = [s.hashes for s in shingled if len(s.hashes)]
    words = sum(s.words for s in shingled)
    if not found:
        return np.zeros(0, dtype=np.uint32), words
    return np.unique(np.concatenate(found)), words


_BLANKS = re.compile(r"\s+")


def clean_passage(text: str, limit: int = 600) -> str:
    """A passage for an excerpt: blanks folded to one space, cut at ``limit`` characters."""
    text = _BLANKS.sub(" ", text).strip()
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def shared_passages(text: str, hashes: np.ndarray, min_fingerprints: int = 2
                    ) -> list[tuple[int, int]]:
    """Spans of ``text`` where at least ``min_fingerprints`` fingerprints in a row are among
    ``hashes`` (where a known passage sits in a longer text)."""
    shingled = shingle(text)
    if not len(shingled.hashes) or not len(hashes):
        return []
    inside = np.flatnonzero(np.isin(shingled.hashes, hashes))
    if not len(inside):
        return []
    runs = np.split(inside, np.flatnonzero(np.diff(inside) != 1) + 1)
    return [shingled.passage(int(run[0]), int(run[-1])) for run in runs
            if len(run) >= min_fingerprints]
