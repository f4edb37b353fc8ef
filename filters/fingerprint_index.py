"""The in-memory index of registered documents' fingerprints, updated change by change.

Fingerprints sit in sorted numpy segments (a 32-bit fingerprint and a 32-bit document
number: 8 bytes each), so 10 000 documents of 20 pages take tens of megabytes and a
lookup is a binary search per fingerprint. Additions arrive as small new segments and
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
        self.watermark = 0

    def __len__(self) -> int:
        return len(self.documents)

    @property
    def fingerprints(self) -> int:
        """Fingerprints held in the arrays (removed documents' ones until the next merge)."""
        return sum(len(hashes) for hashes, _ in self._segments)

    @property
    def nbytes(self) -> int:
        """Bytes the fingerprint arrays take."""
        return sum(h.nbytes + d.nbytes for h, d in self._segments)

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
            distinct = np.unique(np.asarray(doc.hashes, dtype=np.uint32))
            self.documents[doc.id] = DocumentInfo(doc.source, doc.kind, doc.registered,
                                                  len(distinct), doc.words)
            hashes.append(distinct)
            owners.append(np.full(len(distinct), doc.id, dtype=np.int32))
        if not hashes:
            return
        merged = np.concatenate(hashes)
        order = np.argsort(merged, kind="stable")
        self._segments.append((merged[order], np.concatenate(owners)[order]))
        if len(self._segments) > MAX_SEGMENTS:
            self.compact()

    def remove(self, ids: Iterable[int]) -> None:
        """Forget the documents ``ids`` (unknown ids are ignored)."""
        for doc_id in ids:
            if self.documents.pop(doc_id, None) is not None:
                self._dropped.add(doc_id)

    def compact(self) -> None:
        """Merge every segment into one, dropping removed documents' fingerprints."""
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

    def lookup(self, query: np.ndarray, max_documents: int) -> tuple[np.ndarray, np.ndarray]:
        """Pairs (index into ``query``, document id) for every query fingerprint found.

        A fingerprint held by ``max_documents`` or more documents is boilerplate (a
        disclaimer, a template's headings) and found in none.
        """
        none = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32))
        if not self._segments or not len(query):
            return none
        query = np.asarray(query, dtype=np.uint32)
        ranges = []
        frequency = np.zeros(len(query), dtype=np.int64)
        for hashes, owners in self._segments:
            low = np.searchsorted(hashes, query, side="left")
            high = np.searchsorted(hashes, query, side="right")
            ranges.append((low, high, owners))
            frequency += high - low
        common = frequency >= max_documents
        found_query: list[np.ndarray] = []
        found_docs: list[np.ndarray] = []
        for low, high, owners in ranges:
            counts = np.where(common, 0, high - low)
            total = int(counts.sum())
            if not total:
                continue
            which = np.repeat(np.arange(len(query)), counts)
            first = np.repeat(low - (np.cumsum(counts) - counts), counts)
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
