"""The in-memory index of registered documents' fingerprints, updated change by change.

Fingerprints sit in sorted numpy segments (a 32-bit fingerprint and a 32-bit document
number: 8 bytes each), so 10 000 documents of 20 pages take tens of megabytes; a bit
filter of 8 MiB answers most lookups (fingerprints no document has), a binary search
the rest. Additions arrive as small new segments and
are merged into the main one now and then; removals are forgotten at once and dropped
from the arrays at the next merge.

Where the documents come from is not this module's business: a ``FingerprintSource``
(the gateway reads the quarantine store) hands over the changes after a watermark.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

log = logging.getLogger("redline.filters")
MAX_SEGMENTS = 8  # additions kept apart before they are merged into the main segment
# A bit per value of a fingerprint's top 26 bits (8 MiB): most looked-up fingerprints
# are in no registered document, and one bit says so without a binary search (with
# 10 000 documents of 20 pages, 11 % of the bits are set).
FILTER_BITS = 26


def distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted (by sorting: numpy's hashing unique is far slower on
    millions of integers)."""
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


def distinct_inverse(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values, sorted, and for each value its index among them."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    new = np.concatenate(([True], ordered[1:] != ordered[:-1])) if len(ordered) else \
        np.zeros(0, dtype=bool)
    inverse = np.empty(len(values), dtype=np.int64)
    inverse[order] = np.cumsum(new) - 1
    return ordered[new], inverse


@dataclass(frozen=True, slots=True)
class RegisteredDocument:
    """One registered document: where it came from and its distinct fingerprints.

    ``source`` is a quarantine item id (``Q-7X9B-Y3W4``) or the label given when it was
    registered; ``kind`` is ``rejected`` (an item an officer rejected) or ``registered``
    (``redline fingerprints add``); ``registered`` is the day, ``YYYY-MM-DD``.
    """

    id: int
    source: str
    kind: str
    registered: str
    hashes: np.ndarray  # sorted distinct uint32
    words: float = 0.0  # the document's length in words

    def describe(self) -> str:
        """``Q-7X9B-Y3W4, rejected 2026-12-01`` or ``annual-plan.docx, registered …``."""
        return f"{self.source}, {self.kind} {self.registered}"


@dataclass(frozen=True, slots=True)
class Changes:
    """What changed after a watermark: documents added, document ids removed, new watermark."""

    added: Sequence[RegisteredDocument]
    removed: Sequence[int]
    watermark: int


class FingerprintSource(Protocol):
    """Where registered documents come from (the gateway reads the quarantine store)."""

    def changes(self, after: int) -> Changes:
        """Every addition and removal with a change number above ``after``."""
        ...


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """What the index keeps of a document besides its fingerprints."""

    source: str
    kind: str
    registered: str
    count: int  # distinct fingerprints
    words: float

    def describe(self) -> str:
        """``Q-7X9B-Y3W4, rejected 2026-12-01``."""
        return f"{self.source}, {self.kind} {self.registered}"


class FingerprintIndex:
    """Registered documents' fingerprints, looked up by fingerprint."""

    def __init__(self) -> None:
        self.documents: dict[int, DocumentInfo] = {}
        self._segments: list[tuple[np.ndarray, np.ndarray]] = []
        self._dropped: set[int] = set()  # removed, still in the arrays until the next merge
        self._filter = np.zeros(1 << (FILTER_BITS - 3), dtype=np.uint8)
        self.watermark = 0

    def __len__(self) -> int:
        return len(self.documents)

    @property
    def fingerprints(self) -> int:
        """Fingerprints held in the arrays (removed documents' ones until the next merge)."""
        return sum(len(hashes) for hashes, _ in self._segments)

    @property
    def nbytes(self) -> int:
        """Bytes the fingerprint arrays and the filter take."""
        return sum(h.nbytes + d.nbytes for h, d in self._segments) + self._filter.nbytes

    def _mark(self, hashes: np.ndarray) -> None:
        top = distinct(hashes >> np.uint32(32 - FILTER_BITS))
        if not len(top):
            return
        # Sorted and distinct: the bits of one byte sit together and add up to their OR.
        byte = top >> np.uint32(3)
        bits = np.left_shift(1, (top & np.uint32(7)).astype(np.uint8)).astype(np.uint8)
        first = np.flatnonzero(np.concatenate(([True], byte[1:] != byte[:-1])))
        self._filter[byte[first]] |= np.add.reduceat(bits, first).astype(np.uint8)

    def _maybe(self, hashes: np.ndarray) -> np.ndarray:
        """False where no registered document can hold the fingerprint."""
        top = hashes >> np.uint32(32 - FILTER_BITS)
        return ((self._filter[top >> np.uint32(3)] >> (top & np.uint32(7)).astype(np.uint8))
                & np.uint8(1)).astype(bool)

    def apply(self, changes: Changes) -> None:
        """Add and remove documents as ``changes`` says and move the watermark."""
        self.remove(changes.removed)
        self.add(changes.added)
        self.watermark = max(self.watermark, changes.watermark)

    def add(self, documents: Iterable[RegisteredDocument]) -> None:
        """Index ``documents`` (a document already indexed is replaced)."""
        hashes: list[np.ndarray] = []
        owners: list[np.ndarray] = []
        for doc in documents:
            if doc.id in self.documents:
                self.remove([doc.id])
            self._dropped.discard(doc.id)
            unique = distinct(np.asarray(doc.hashes, dtype=np.uint32))
            self.documents[doc.id] = DocumentInfo(doc.source, doc.kind, doc.registered,
                                                  len(unique), doc.words)
            hashes.append(unique)
            owners.append(np.full(len(unique), doc.id, dtype=np.int32))
        if not hashes:
            return
        merged = np.concatenate(hashes)
        order = np.argsort(merged, kind="stable")
        self._segments.append((merged[order], np.concatenate(owners)[order]))
        self._mark(merged)
        if len(self._segments) > MAX_SEGMENTS:
            self.compact(whole=False)

    def remove(self, ids: Iterable[int]) -> None:
        """Forget the documents ``ids`` (unknown ids are ignored)."""
        for doc_id in ids:
            if self.documents.pop(doc_id, None) is not None:
                self._dropped.add(doc_id)

    def compact(self, *, whole: bool = True) -> None:
        """Merge every segment into one, dropping removed documents' fingerprints.

        ``whole=False`` (as additions pile up) merges only the segments added after the
        first: the first, loaded before the gateway forked, stays shared copy-on-write by
        every worker and scanner process instead of being copied into each of them.
        """
        if not whole:
            if len(self._segments) > 2:
                base, *added = self._segments
                hashes = np.concatenate([h for h, _ in added])
                owners = np.concatenate([d for _, d in added])
                if self._dropped:  # still filtered at lookup: the first segment keeps them
                    keep = ~np.isin(owners, np.fromiter(self._dropped, dtype=np.int32))
                    hashes, owners = hashes[keep], owners[keep]
                order = np.argsort(hashes, kind="stable")
                self._segments = [base, (hashes[order], owners[order])]
            return
        if not self._segments:
            return
        hashes = np.concatenate([h for h, _ in self._segments])
        owners = np.concatenate([d for _, d in self._segments])
        if self._dropped:
            keep = ~np.isin(owners, np.fromiter(self._dropped, dtype=np.int32))
            hashes, owners = hashes[keep], owners[keep]
            self._dropped.clear()
        order = np.argsort(hashes, kind="stable")
        self._segments = [(hashes[order], owners[order])] if len(hashes) else []
        self._filter[:] = 0  # removed documents' bits go
        self._mark(hashes)

    def lookup(self, query: np.ndarray, max_documents: int) -> tuple[np.ndarray, np.ndarray]:
        """Pairs (index into ``query``, document id) for every query fingerprint found.

        A fingerprint held by ``max_documents`` or more documents is boilerplate (a
        disclaimer, a template's headings) and found in none.
        """
        none = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32))
        if not self._segments or not len(query):
            return none
        query = np.asarray(query, dtype=np.uint32)
        # Most looked-up values are in no document: the filter drops them first. The rest
        # are searched distinct and in order (numpy's binary search starts each key where
        # the last one ended, so sorted keys stay in cache).
        candidates = np.flatnonzero(self._maybe(query))
        if not len(candidates):
            return none
        values, back = distinct_inverse(query[candidates])
        ranges = []
        frequency = np.zeros(len(values), dtype=np.int64)
        for hashes, owners in self._segments:
            low = np.searchsorted(hashes, values, side="left")
            found = np.flatnonzero(hashes[np.minimum(low, len(hashes) - 1)] == values)
            high = low.copy()
            high[found] = np.searchsorted(hashes, values[found], side="right")
            ranges.append((low, high, owners))
            frequency += high - low
        common = frequency >= max_documents
        found_query: list[np.ndarray] = []
        found_docs: list[np.ndarray] = []
        for low, high, owners in ranges:
            counts = np.where(common, 0, high - low)[back]
            total = int(counts.sum())
            if not total:
                continue
            which = np.repeat(candidates, counts)
            first = np.repeat(low[back] - (np.cumsum(counts) - counts), counts)
            found_query.append(which)
            found_docs.append(owners[first + np.arange(total)])
        if not found_query:
            return none
        which = np.concatenate(found_query)
        docs = np.concatenate(found_docs)
        if self._dropped:
            live = ~np.isin(docs, np.fromiter(self._dropped, dtype=np.int32))
            which, docs = which[live], docs[live]
        return which, docs
