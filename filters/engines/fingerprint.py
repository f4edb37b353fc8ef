"""Text engine: passages of rejected and registered documents, found by their fingerprints.

Each text part is cut into shingles (filters/shingles.py), and every shingle's hash is
looked up in the index of registered documents' fingerprints (not only the ones winnowing
keeps here, so a registered fingerprint is found wherever its five words stand). A
document matches when the item holds a passage of it at least ``min_run_words`` long
(three or more of its fingerprints, each within WINDOW shingles of the next, as they
stand in any copy; a few shared phrases far apart never add up to one) and in all at
least ``min_passage_words`` words of it, or ``min_share`` of the document. Boilerplate
never counts: fingerprints held by ``boilerplate_documents`` registered documents or more,
and any shingle of the configured templates and disclaimers.

Parts of one item are added up (``begin_item``/``end_item``): a document printed to a
PDF of twenty pages is one match with its share, named once. The process that owns the
source (``FingerprintSource``; a gateway worker) calls ``refresh`` every
``refresh_seconds``: only the changes after the index's watermark are read, and kept in a
journal that the scanning pool hands to its forked scanners (``sync_since``/``apply_sync``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from filters.fingerprint_config import FingerprintConfig
from filters.fingerprint_index import Changes, FingerprintIndex, FingerprintSource
from filters.shingles import WINDOW, Shingled, clean_passage, passages, shingle, shingle_set
from filters.types import Hit, Part

log = logging.getLogger("redline.filters")
MIN_RUN_FINGERPRINTS = 3  # fingerprints in a row that make a passage
# Roles whose text is a document's own words: what is registered and what is compared
# (a file name or a property value never holds a passage).
TEXT_ROLES = frozenset({"body", "title", "header", "footer", "cell", "note", "comment",
                        "revision", "subject"})
EXCERPT_CHARS = 600
REACH = 4 * WINDOW  # shingles around a kept fingerprint found, all looked up


@dataclass(slots=True)
class _Found:
    """One registered document's passages found in one item so far."""

    hashes: set[int] = field(default_factory=set)
    words: float = 0.0
    passage: str = ""  # the longest passage (original text)
    passage_words: float = 0.0
    where: str = ""


@dataclass(frozen=True, slots=True)
class Match:
    """A registered document found in a text: its id, share and the passages (spans)."""

    document: int
    share: float
    words: float
    passages: tuple[tuple[int, int, float], ...]  # (start, end, words) in the original
    hashes: frozenset[int]  # the document's fingerprints inside the passages


class FingerprintEngine:
    """Finds passages of registered documents in text parts."""

    def __init__(self, config: FingerprintConfig | None = None, *,
                 index: FingerprintIndex | None = None,
                 source: FingerprintSource | None = None,
                 boilerplate: Iterable[str] = (),
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.config = config or FingerprintConfig()
        self.index = index if index is not None else FingerprintIndex()
        self.source = source
        self.boilerplate = shingle_set(list(boilerplate))
        self._clock = clock
        self._refreshed = -float("inf")
        self._found: dict[int, _Found] = {}
        self.journal: list[Changes] = []  # changes applied by refresh, in order

    # -- the index -------------------------------------------------------------------

    def refresh(self, *, force: bool = False) -> None:
        """Read the source's changes after the index's watermark (at most every
        ``refresh_seconds`` unless ``force``). A source that fails keeps the index as is."""
        if self.source is None:
            return
        now = self._clock()
        if not force and now - self._refreshed < self.config.refresh_seconds:
            return
        self._refreshed = now
        try:
            changes = self.source.changes(self.index.watermark)
        except Exception as exc:  # the store is down: scan with what is known, say so
            log.warning("fingerprint index not refreshed (%s); scanning with %d documents",
                        exc, len(self.index))
            return
        self.take(changes)

    def take(self, changes: Changes) -> None:
        """Apply changes read from the source and keep them for the scanners."""
        if changes.added or changes.removed:
            self.index.apply(changes)
            self.journal.append(changes)
            log.info("fingerprint index: %d added, %d removed, %d documents, watermark %d",
                     len(changes.added), len(changes.removed), len(self.index),
                     self.index.watermark)
        else:
            self.index.watermark = max(self.index.watermark, changes.watermark)

    def sync_mark(self) -> int:
        """How many changes this process has applied through ``refresh``."""
        return len(self.journal)

    def sync_since(self, mark: int) -> list[Changes]:
        """The changes applied after ``mark`` (for a scanner forked at that mark)."""
        return self.journal[mark:]

    def apply_sync(self, changes: list[Changes]) -> None:
        """Apply changes another process read from the source (in a scanner process)."""
        for change in changes:
            self.index.apply(change)

    # -- matching --------------------------------------------------------------------

    def _shared(self, shingled: Shingled, *, count_left_out: bool = False
                ) -> tuple[np.ndarray, np.ndarray, int]:
        """(shingle position, document) pairs of every registered fingerprint among the
        text's shingles, boilerplate left out, sorted by document then position; and (when
        asked) how many distinct shared fingerprints were boilerplate.

        Two steps keep this cheap: the fingerprints winnowing keeps in this text (one
        shingle in twelve) are looked up first; every shingle is looked up only within
        REACH shingles of one found. A copied passage of 28 words or more shares one kept
        fingerprint at least, so no passage is missed."""
        none = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32), 0)
        found, _ = self.index.lookup(shingled.hashes, 1 << 30)
        if not len(found):
            return none
        every = shingled.every
        centers = shingled.positions[found]
        edges = np.zeros(len(every) + 1, dtype=np.int64)
        np.add.at(edges, np.maximum(centers - REACH, 0), 1)
        np.add.at(edges, np.minimum(centers + REACH + 1, len(every)), -1)
        near = np.flatnonzero(np.cumsum(edges[:-1]) > 0)
        which, docs = self.index.lookup(every[near], self.config.boilerplate_documents)
        which = near[which]
        if len(self.boilerplate) and len(which):
            keep = ~np.isin(every[which], self.boilerplate)
            which, docs = which[keep], docs[keep]
        left_out = 0
        if count_left_out:
            everything, _ = self.index.lookup(every[near], 1 << 30)
            left_out = len(np.unique(every[near[everything]])) - len(np.unique(every[which]))
        order = np.lexsort((which, docs))
        return which[order], docs[order], left_out

    def _passages(self, shingled: Shingled, positions: np.ndarray) -> list[np.ndarray]:
        """The runs of matched shingle positions that make passages."""
        out = []
        for run in passages(positions):
            if (len(np.unique(shingled.every[run])) >= MIN_RUN_FINGERPRINTS
                    and shingled.span_words(int(run[0]), int(run[-1]))
                    >= self.config.min_run_words):
                out.append(run)
        return out

    def matches(self, text: str | Shingled) -> list[Match]:
        """The registered documents found in ``text``, whether or not they make a hit."""
        shingled = shingle(text) if isinstance(text, str) else text
        if not len(shingled.every) or not len(self.index):
            return []
        which, docs, _ = self._shared(shingled)
        if not len(which):
            return []
        bounds = np.flatnonzero(np.diff(docs)) + 1
        found: list[Match] = []
        for positions, doc in zip(np.split(which, bounds), docs[np.r_[0, bounds]], strict=True):
            info = self.index.documents.get(int(doc))
            if info is None or len(positions) < MIN_RUN_FINGERPRINTS:
                continue
            runs = self._passages(shingled, np.unique(positions))
            if not runs:
                continue
            spans = []
            for run in runs:
                start, end = shingled.passage(int(run[0]), int(run[-1]))
                spans.append((start, end, shingled.span_words(int(run[0]), int(run[-1]))))
            hashes = frozenset(int(h) for h in np.unique(shingled.every[np.concatenate(runs)]))
            found.append(Match(int(doc), min(len(hashes) / max(info.count, 1), 1.0),
                               sum(p[2] for p in spans), tuple(spans), hashes))
        return found

    def explain(self, text: str) -> list[str]:
        """Why each registered document sharing fingerprints with ``text`` matches or not,
        one sentence each (``redline rules test``)."""
        shingled = shingle(text)
        if not len(shingled.every) or not len(self.index):
            return []
        which, docs, left_out = self._shared(shingled, count_left_out=True)
        out = []
        if left_out:
            out.append(f"{left_out} shared fingerprints left out as boilerplate (in "
                       f"{self.config.boilerplate_documents}+ registered documents, or in the "
                       "configured templates and disclaimers)")
        counted = {m.document: m for m in self.matches(shingled)}
        for doc in np.unique(docs):
            info = self.index.documents.get(int(doc))
            if info is None:
                continue
            positions = np.unique(which[docs == doc])
            longest = max(passages(positions),
                          key=lambda r: shingled.span_words(int(r[0]), int(r[-1])))
            words = shingled.span_words(int(longest[0]), int(longest[-1]))
            shared = len(np.unique(shingled.every[positions]))
            match = counted.get(int(doc))
            if match is None:
                verdict = (f"no passage counts: one needs {MIN_RUN_FINGERPRINTS} fingerprints "
                           f"close together over {self.config.min_run_words} words")
            elif (match.words >= self.config.min_passage_words
                  or match.share >= self.config.min_share):
                verdict = "a match"
            else:
                verdict = (f"passages of {round(match.words)} words, under min_passage_words "
                           f"({self.config.min_passage_words}) and min_share "
                           f"({self.config.min_share:.0%}) for this part alone")
            out.append(f"{info.describe()}: {shared} fingerprints shared "
                       f"({shared / max(info.count, 1):.0%} of it), longest passage "
                       f"{round(words)} words ({len(np.unique(shingled.every[longest]))} "
                       f"fingerprints): {verdict}")
        return out

    def scan(self, part: Part) -> Iterable[Hit]:
        """Nothing per part: passages are added up over the item and named at its end."""
        if (not part.text or part.role not in TEXT_ROLES or not len(self.index)
                # Shorter than the shortest passage that counts (a word takes two
                # characters with its blank, a Chinese character counts half a word).
                or len(part.text) < 2 * self.config.min_run_words):
            return ()
        shingled = shingle(part.text)
        for match in self.matches(shingled):
            found = self._found.setdefault(match.document, _Found())
            found.words += match.words
            start, end, words = max(match.passages, key=lambda p: p[2])
            if words > found.passage_words:
                found.passage = part.text[start:end]
                found.passage_words = words
                found.where = part.origin
            found.hashes.update(match.hashes)
        return ()

    def begin_item(self) -> None:
        """A new item: forget the last one's passages."""
        self._found = {}

    def end_item(self, where: str) -> list[Hit]:
        """One hit per registered document the item holds enough of."""
        hits = []
        for doc_id, found in sorted(self._found.items(), key=lambda kv: -kv[1].words):
            info = self.index.documents.get(doc_id)
            if info is None:
                continue
            share = min(len(found.hashes) / max(info.count, 1), 1.0)
            if found.words < self.config.min_passage_words and share < self.config.min_share:
                continue
            percent = max(1, round(share * 100))
            excerpt = clean_passage(found.passage, EXCERPT_CHARS)
            hits.append(Hit(
                rule=f"fingerprint.{info.kind}", category="fingerprint",
                severity=self.config.severity, where=found.where or where, excerpt=excerpt,
                span=(0, len(excerpt)),
                description=(f"matches {percent} % of {info.describe()}: "
                             f"{round(found.words)} words in passages taken from it"),
            ))
        self._found = {}
        return hits
