"""The audit log's hash chain: how entries are hashed, and how the chain is verified.

Every entry is hashed as SHA-256 over the previous entry's hash followed by the
canonical JSON of the entry (sorted keys, no spaces, UTF-8), and entries carry gap-free
sequence numbers. Editing an entry breaks its own hash; deleting one leaves a gap or
breaks the next entry's link; the store also keeps the head (last seq and hash) so that
cutting entries off the end is detected. The stores append entries inside the same
transaction as the change they record.

Entries name who, what, which item, when and the officer's comment; never content,
subjects or excerpts.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64

# What an entry's action says happened.
ACTIONS = (
    "hold", "view", "download", "release", "approve", "reject", "expire", "purge",
    "deliver", "delivery-deferred", "delivery-failed", "lease-expired",
    "monitor", "would-release", "would-reject", "config", "replay",
)


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One line of the audit log as stored: its place in the chain and its hash."""

    seq: int
    at: datetime
    actor: str
    action: str
    item_id: str
    comment: str = ""
    detail: Mapping[str, object] = field(default_factory=dict)
    prev_hash: str = GENESIS
    hash: str = ""

    def as_dict(self) -> dict[str, object]:
        """The JSON form (``redline audit list``, the JSON API)."""
        return {
            "seq": self.seq, "at": self.at.isoformat(), "actor": self.actor,
            "action": self.action, "item": self.item_id, "comment": self.comment,
            "detail": dict(self.detail), "prev_hash": self.prev_hash, "hash": self.hash,
        }


def audit_time(value: datetime) -> str:
    """The one text form of a time inside a hashed entry (UTC, microseconds)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def canonical(seq: int, at: datetime, actor: str, action: str, item_id: str, comment: str,
              detail: Mapping[str, object]) -> str:
    """The canonical JSON of an entry's fields (what the hash covers besides the link)."""
    return json.dumps(
        {"seq": seq, "at": audit_time(at), "actor": actor, "action": action, "item": item_id,
         "comment": comment, "detail": dict(detail)},
        sort_keys=True, separators=(",", ":"), ensure_ascii=False,
    )


def entry_hash(prev_hash: str, seq: int, at: datetime, actor: str, action: str, item_id: str,
               comment: str, detail: Mapping[str, object]) -> str:
    """SHA-256 (hex) over the previous hash and the entry's canonical JSON."""
    text = prev_hash + canonical(seq, at, actor, action, item_id, comment, detail)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class VerifyResult:
    """The outcome of checking the chain: ok, or the first bad entry and why."""

    ok: bool
    entries: int
    head_hash: str
    first_bad_seq: int | None = None
    problem: str = ""


def verify_chain(entries: Iterable[AuditEntry], head: tuple[int, str] | None = None, *,
                 start: tuple[int, str] = (0, GENESIS)) -> VerifyResult:
    """Check entries (in seq order) link and hash correctly and end at the recorded head.

    ``head`` is the (seq, hash) of the last entry as the store recorded it on append.
    ``start`` is a (seq, hash) already verified: ``entries`` then begin after it.
    """
    prev_hash, expected_seq, count = start[1], start[0] + 1, start[0]
    for entry in entries:
        if entry.seq != expected_seq:
            return VerifyResult(False, count, prev_hash, expected_seq,
                                f"entry {expected_seq} is missing (next present is {entry.seq}): "
                                "deleted from the log")
        if entry.prev_hash != prev_hash:
            return VerifyResult(False, count, prev_hash, entry.seq,
                                f"entry {entry.seq} does not link to entry {entry.seq - 1}: "
                                "an entry before it was deleted or replaced")
        recomputed = entry_hash(prev_hash, entry.seq, entry.at, entry.actor, entry.action,
                                entry.item_id, entry.comment, entry.detail)
        if recomputed != entry.hash:
            return VerifyResult(False, count, prev_hash, entry.seq,
                                f"entry {entry.seq} was edited: its content no longer matches "
                                "its hash")
        prev_hash, expected_seq, count = entry.hash, expected_seq + 1, count + 1
    if head is not None and head[0] > 0 and (head[0] != count or head[1] != prev_hash):
        if head[0] > count:
            return VerifyResult(False, count, prev_hash, count + 1,
                                f"entries {count + 1} to {head[0]} are missing: the end of the "
                                "log was deleted")
        return VerifyResult(False, count, prev_hash, head[0],
                            "the recorded head does not match the last entry: the log was "
                            "rewritten")
    return VerifyResult(True, count, prev_hash)


class ChainWatch:
    """Verifies the chain for a long-running reader (the officer UI) without rereading it all.

    Entries already verified are remembered as a (seq, hash) checkpoint; a check reads only
    what was appended since. Every ``full_seconds`` (and after any failure) the whole
    chain is verified again, so an edit to an old entry is still found.
    """

    def __init__(self, full_seconds: float = 600.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.full_seconds = full_seconds
        self.clock = clock
        self._checkpoint: tuple[int, str] = (0, GENESIS)
        self._full_at: float | None = None
        self._lock = threading.Lock()

    def check(self, store: Any, *, full: bool = False) -> tuple[VerifyResult, float]:
        """The chain's status and the clock time of the last full verification (``full``:
        verify all of it now)."""
        with self._lock:
            now = self.clock()
            full = full or self._full_at is None or now - self._full_at >= self.full_seconds
            start = (0, GENESIS) if full else self._checkpoint
            result = verify_chain(store.audit_entries(after_seq=start[0]), store.audit_head(),
                                  start=start)
            if result.ok:
                self._checkpoint = (result.entries, result.head_hash)
                if full:
                    self._full_at = now
            else:
                self._full_at = None  # look at everything again next time
            return result, self._full_at if self._full_at is not None else now
