"""The quarantine store interface: what listeners hold through and officers decide on.

Listeners call ``hold`` and act on its return only: when it returns, the item and its
verdict are durable (committed and synced), so a listener may then acknowledge the
sender. Everything else (listing, deciding, the delivery outbox, the audit log) is for
the quarantine service, the officer UI, the JSON API and the CLI.

Backends: ``quarantine.sqlite_store.SqliteStore`` (embedded default) and a PostgreSQL
store for several gateway nodes; both pass one shared test suite.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from filters.errors import RedlineError
from filters.types import Hit, Verdict

if TYPE_CHECKING:
    from quarantine.audit import AuditEntry
    from quarantine.notice import Notice
    from quarantine.outbox import OutboxEntry

KINDS = ("mail", "upload")
# pending → released | rejected | expired; a released mail then goes
# delivering → delivered | failed (the delivery outbox drives that part).
# monitored: delivered already (policy monitor); officers' marks change no status.
STATUSES = ("pending", "released", "rejected", "expired", "delivering", "delivered", "failed",
            "monitored")
DECISIONS = ("release", "reject", "expire", "purge", "approve", "would-release", "would-reject")
# Decided items that retention may delete (a mail still being delivered is not one).
PURGEABLE = ("released", "rejected", "expired", "delivered", "failed")
# Monitored items have their own retention (quarantine.monitored_purge_after_days).
MONITORED = ("monitored",)

# Crockford base32 without I, L, O, U: readable aloud and over the phone.
_ID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


class StoreError(RedlineError):
    """The store cannot do what was asked (unreachable, corrupt, or a conflicting state)."""


class IntegrityError(StoreError):
    """Stored content no longer matches its SHA-256: it was altered or damaged."""


class NotFound(StoreError):
    """No quarantine item has that id."""


def new_item_id() -> str:
    """A short, human-quotable id such as ``Q-7K3Q-9XW2``."""
    raw = "".join(secrets.choice(_ID_ALPHABET) for _ in range(8))
    return f"Q-{raw[:4]}-{raw[4:]}"


def hit_to_json(hit: Hit) -> dict[str, object]:
    """A hit as stored (JSON), with span, description and action."""
    return {
        "rule": hit.rule, "category": hit.category, "severity": hit.severity,
        "where": hit.where, "excerpt": hit.excerpt,
        "span": list(hit.span) if hit.span else None,
        "description": hit.description, "action": hit.action,
    }


def hit_from_json(raw: Mapping[str, object]) -> Hit:
    """A hit from its stored JSON."""
    span = raw.get("span")
    return Hit(rule=str(raw["rule"]), category=str(raw["category"]),
               severity=str(raw["severity"]), where=str(raw["where"]),
               excerpt=str(raw["excerpt"]),
               span=(span[0], span[1]) if isinstance(span, (list, tuple)) else None,
               description=str(raw.get("description") or ""),
               action=raw.get("action"))  # type: ignore[arg-type]


def sha256_file(path: Path) -> str:
    """The hex SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def content_sha256(content: bytes | Path) -> str:
    """The hex SHA-256 of content in memory or in a spool file."""
    return sha256_file(content) if isinstance(content, Path) else hashlib.sha256(content).hexdigest()


def hold_action(request: HoldRequest) -> str:
    """The audit action recording a new item: ``hold``, or ``monitor`` for a monitored one."""
    return "monitor" if request.status == "monitored" else "hold"


@dataclass(frozen=True, slots=True)
class HoldRequest:
    """What a listener hands over to hold an item.

    ``content`` is the original bytes exactly as received (the whole RFC 5322 message for
    mail; for an upload the request body, or the one uploaded file that carried every
    finding, so that a browser's retry with a new multipart boundary still matches its
    release), in memory or in a spool file.
    """

    kind: str
    sender: str
    recipients: tuple[str, ...]
    subject: str
    verdict: Verdict
    content: bytes | Path
    received: datetime
    client: str = ""
    meta: Mapping[str, str] = field(default_factory=dict)
    # "pending" (held for a decision) or "monitored" (delivered, recorded for review).
    status: str = "pending"
    # False: only the size and SHA-256 of the content are kept (policy.monitor_keep_content).
    keep_content: bool = True

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {self.kind!r}")
        if self.status not in ("pending", "monitored"):
            raise ValueError(f"status must be pending or monitored, got {self.status!r}")
        if not self.keep_content and self.status != "monitored":
            raise ValueError("only a monitored item may be stored without its content")


@dataclass(frozen=True, slots=True)
class Decision:
    """One officer decision (or automatic one, by ``system``) on an item."""

    action: str
    officer: str
    at: datetime
    comment: str = ""


@dataclass(frozen=True, slots=True)
class QuarantineItem:
    """A held item as the store keeps it."""

    id: str
    kind: str
    status: str
    received: datetime
    sender: str
    recipients: tuple[str, ...]
    subject: str
    size: int
    sha256: str
    verdict: str
    hits: tuple[Hit, ...]
    decisions: tuple[Decision, ...] = ()
    client: str = ""
    meta: Mapping[str, str] = field(default_factory=dict)

    @property
    def categories(self) -> tuple[str, ...]:
        """The distinct hit categories, in first-seen order."""
        return tuple(dict.fromkeys(h.category for h in self.hits))

    @property
    def top_severity(self) -> str:
        """The highest severity among the hits (``info`` when there are none)."""
        from filters.types import SEVERITIES, severity_rank

        return SEVERITIES[max((severity_rank(h.severity) for h in self.hits), default=0)]

    def as_dict(self) -> dict[str, object]:
        """The JSON form (``redline quarantine list --json``, the JSON API)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "status": self.status,
            "received": self.received.isoformat(),
            "sender": self.sender,
            "recipients": list(self.recipients),
            "subject": self.subject,
            "size": self.size,
            "sha256": self.sha256,
            "verdict": self.verdict,
            "hits": [h.as_dict() for h in self.hits],
            "decisions": [
                {"action": d.action, "officer": d.officer, "at": d.at.isoformat(),
                 "comment": d.comment}
                for d in self.decisions
            ],
            "client": self.client,
            "meta": dict(self.meta),
        }


@dataclass(frozen=True, slots=True)
class ItemQuery:
    """Filters, sort and paging for listing items; None means no filter."""

    status: str | None = None
    kind: str | None = None
    category: str | None = None
    min_severity: str | None = None
    sender: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    search: str | None = None  # substring of sender, recipients, subject or id
    sort: str = "-received"  # a field name, "-" for descending: received, size, sender, subject
    limit: int = 50
    offset: int = 0


class QuarantineStore(Protocol):
    """The store every backend implements (blocking calls: run them off the event loop)."""

    def hold(self, request: HoldRequest) -> QuarantineItem:
        """Store an item durably (committed and synced) and return it with its new id."""
        ...

    def same_message(self, kind: str, sender: str, recipients: Sequence[str], sha256: str,
                     status: str = "pending") -> str | None:
        """The id of an item in ``status`` (pending or monitored) with these bytes (SHA-256),
        sender and recipients, or None: the same message retried (a mail's bytes include
        its Message-ID and Date)."""
        ...

    def get(self, item_id: str) -> QuarantineItem:
        """One item; raises NotFound."""
        ...

    def content(self, item_id: str) -> bytes:
        """The original bytes, checked against their SHA-256; raises IntegrityError."""
        ...

    def list(self, query: ItemQuery) -> tuple[Sequence[QuarantineItem], int]:
        """Items matching ``query`` (one page) and how many match in all."""
        ...

    def record_decision(self, item_id: str, decision: Decision, new_status: str,
                        *, expect_status: Sequence[str], enqueue_delivery: bool = False,
                        allow_upload_until: datetime | None = None,
                        detail: Mapping[str, object] | None = None,
                        notice: Notice | None = None) -> QuarantineItem:
        """Append a decision and move the item to ``new_status`` atomically.

        Refuses (StoreError) unless the item's current status is one of
        ``expect_status``, so two officers deciding at once cannot both win. In the same
        transaction: the audit entry, a delivery outbox row (``enqueue_delivery``) or a
        reject notice outbox row (``notice``, kind ``notice``, sent with its own message),
        and an upload allowance valid until ``allow_upload_until``.
        """
        ...

    def audit(self, at: datetime, actor: str, action: str, item_id: str, comment: str = "",
              detail: Mapping[str, object] | None = None) -> None:
        """Append one audit entry on its own (a view or a download of content)."""
        ...

    def audit_entries(self, item_id: str | None = None, *,
                      after_seq: int = 0) -> Iterator[AuditEntry]:
        """Audit entries in order (all, or those about one item), after entry ``after_seq``."""
        ...

    def audit_page(self, item_id: str | None, limit: int,
                   offset: int) -> tuple[list[AuditEntry], int]:
        """One page of audit entries, newest first (all, or one item's), and how many match."""
        ...

    def audit_head(self) -> tuple[int, str]:
        """(seq, hash) of the last entry as recorded on append."""
        ...

    def claim_delivery(self, worker: str, now: datetime,
                       lease_seconds: float) -> OutboxEntry | None:
        """Lease the oldest due outbox row to ``worker`` (or take over an expired lease)."""
        ...

    def finish_delivery(self, item_id: str, worker: str, now: datetime, *,
                        replies: Mapping[str, tuple[int, str]], remaining: tuple[str, ...],
                        final_status: str | None, next_attempt: datetime | None,
                        error: str = "") -> bool:
        """Record a delivery attempt's replies and outcome; False when no longer ours."""
        ...

    def outbox_state(self, item_id: str) -> dict[str, object] | None:
        """The outbox row of an item (state, attempts, replies), or None."""
        ...

    def upload_allowed(self, user: str, sha256: str, site: str, now: datetime) -> bool:
        """True when a released upload lets ``user`` send content with this SHA-256 to
        ``site`` (the host the officer saw as its recipient) now."""
        ...

    def pending_before(self, cutoff: datetime, limit: int = 1000) -> list[str]:
        """Ids of pending items received before ``cutoff`` (oldest first)."""
        ...

    def purgeable_before(self, cutoff: datetime, limit: int = 1000,
                         statuses: Sequence[str] = PURGEABLE) -> list[str]:
        """Ids of items in one of ``statuses`` (decided ones by default) whose status last
        changed before ``cutoff``."""
        ...

    def purge(self, item_id: str, actor: str, now: datetime, cutoff: datetime,
              statuses: Sequence[str] = PURGEABLE) -> bool:
        """Delete a decided (or monitored) item and its content (audited); False when no
        longer purgeable."""
        ...

    def now(self) -> datetime:
        """The time every node sharing this store keeps (the database server's clock)."""
        ...

    def close(self) -> None:
        """Release connections and files."""
        ...


def hold_once(store: QuarantineStore, request: HoldRequest) -> tuple[QuarantineItem, bool]:
    """Hold ``request`` unless the same message is already there in the same status
    (pending, or monitored); (item, True if it was).

    A sending MTA retries a message whose reply it did not get (a connection cut after the
    hold committed, a 4xx for the internal copy of a mixed mail): the retry finds the
    pending item instead of giving the officers a second one. A monitored mail retried
    after its relay finds its record the same way, so the Monitor view and the report
    count it once. Blocking: run off the loop.
    """
    digest = content_sha256(request.content)
    existing = store.same_message(request.kind, request.sender, request.recipients, digest,
                                  request.status)
    if existing is not None:
        return store.get(existing), True
    return store.hold(request), False
