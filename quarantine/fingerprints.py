"""Registered documents' fingerprints in the quarantine store, shared by every node.

Two tables: ``fingerprint_documents`` (one row per registered document: where it came
from and its fingerprints, packed as 32-bit integers) and ``fingerprint_changes`` (an
ever-growing change number per addition or removal). A scanner keeps the number it has
read up to and asks only for the changes after it, so a node picks up a registration
within seconds without reading the whole set again.

A rejected item that is not registered (a sign-up, an item with no text) gets a row of
kind ``skipped`` with the reason and no change: it is not looked at again.

Fingerprints cannot rebuild the text they came from: 32 bits of a hash of every fifth
or so run of five words are kept, not the words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from filters.engines.fingerprint import FingerprintConfig
from filters.fingerprint_index import Changes, RegisteredDocument
from filters.fingerprint_texts import item_text
from filters.limits import Limits
from quarantine.store import StoreError, sha256_file

KINDS = ("rejected", "registered", "skipped")
CHANGE_BATCH = 500  # documents read per refresh; the next refresh reads on
MIN_FINGERPRINTS = 3  # fewer cannot make a match (filters/engines/fingerprint.py)


class DuplicateDocument(StoreError):
    """The same content is registered already."""


@dataclass(frozen=True, slots=True)
class FingerprintRecord:
    """One registered (or skipped) document as ``redline fingerprints list`` shows it."""

    id: int
    source: str
    kind: str
    item_id: str
    sha256: str
    registered: datetime
    registered_by: str
    words: float
    count: int
    note: str

    def as_dict(self) -> dict[str, object]:
        """The JSON form of ``redline fingerprints list --json``."""
        return {"id": self.id, "source": self.source, "kind": self.kind,
                "item_id": self.item_id or None, "sha256": self.sha256,
                "registered": self.registered.isoformat(), "registered_by": self.registered_by,
                "words": round(self.words), "fingerprints": self.count, "note": self.note}


def pack(hashes: np.ndarray) -> bytes:
    """Fingerprints as stored: little-endian 32-bit integers."""
    return np.asarray(hashes, dtype="<u4").tobytes()


def unpack(data: bytes) -> np.ndarray:
    """Stored fingerprints back (uint32)."""
    return np.frombuffer(bytes(data), dtype="<u4").astype(np.uint32)


_COLUMNS = "id, source, kind, item_id, sha256, registered, registered_by, words, fingerprint_count, note"


class FingerprintRecords:
    """Fingerprint storage for a store class with ``_reading``, ``_transaction``,
    ``_dialect`` and ``_audit_append`` (its backend's ``append_audit(db, ...)``);
    ``_change_lock`` is a statement that makes change numbers commit in order
    (PostgreSQL), empty where one writer at a time is the rule anyway (SQLite)."""

    _dialect: Any
    _reading: Callable[[], AbstractContextManager[Any]]
    _transaction: Callable[[], AbstractContextManager[Any]]
    _audit_append: Callable[..., None]
    _change_lock: str = ""

    def _append_audit_to(self, db: Any, at: datetime, actor: str, action: str, item_id: str,
                         comment: str, detail: dict[str, object]) -> None:
        self._audit_append(db, at, actor, action, item_id, comment, detail)

    def _record(self, row: Sequence[Any]) -> FingerprintRecord:
        return FingerprintRecord(int(row[0]), row[1], row[2], row[3] or "", row[4],
                                 self._dialect.read_time(row[5]), row[6], float(row[7]),
                                 int(row[8]), row[9])

    def register_fingerprints(self, *, source: str, kind: str, item_id: str, sha256: str,
                              hashes: np.ndarray, words: float, actor: str, now: datetime,
                              note: str = "") -> FingerprintRecord:
        """Store a document's fingerprints (one transaction, audited) and log the change.

        Raises DuplicateDocument when the same content (SHA-256) is registered already.
        """
        if kind not in KINDS:
            raise StoreError(f"fingerprint kind {kind!r}: use one of {', '.join(KINDS)}")
        sql = self._dialect.sql
        with self._transaction() as db:
            if self._change_lock:
                db.execute(self._change_lock)
            row = db.execute(sql(f"SELECT {_COLUMNS} FROM fingerprint_documents "
                                 "WHERE sha256 = ? AND kind <> 'skipped'"), (sha256,)).fetchone()
            if row is not None and kind != "skipped":
                known = self._record(row)
                raise DuplicateDocument(
                    f"the same content is registered already as #{known.id} ({known.source}, "
                    f"{known.kind} {known.registered:%Y-%m-%d}); nothing was added")
            count = len(hashes)
            row = db.execute(sql(
                "INSERT INTO fingerprint_documents (source, kind, item_id, sha256, registered, "
                "registered_by, words, fingerprint_count, note, fingerprints) "
                f"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING {_COLUMNS}"),
                (source, kind, item_id or None, sha256, self._dialect.time(now), actor,
                 float(words), count, note, pack(hashes))).fetchone()
            record = self._record(row)
            if kind != "skipped":
                db.execute(sql("INSERT INTO fingerprint_changes (document_id, change) "
                               "VALUES (?, 'add')"), (record.id,))
            action = "fingerprints-skip" if kind == "skipped" else "fingerprints-add"
            self._append_audit_to(db, now, actor, action, item_id or "",
                                  note or source, {"document": record.id, "source": source,
                                                   "kind": kind, "sha256": sha256,
                                                   "fingerprints": count})
        return record

    def remove_fingerprints(self, document_id: int, *, actor: str, now: datetime,
                            comment: str = "") -> FingerprintRecord:
        """Delete a registered document's fingerprints (audited); scanners drop it too."""
        sql = self._dialect.sql
        with self._transaction() as db:
            if self._change_lock:
                db.execute(self._change_lock)
            row = db.execute(sql(f"SELECT {_COLUMNS} FROM fingerprint_documents WHERE id = ?"),
                             (document_id,)).fetchone()
            if row is None:
                raise StoreError(f"no registered document #{document_id}; see "
                                 "'redline fingerprints list'")
            record = self._record(row)
            db.execute(sql("DELETE FROM fingerprint_documents WHERE id = ?"), (document_id,))
            if record.kind != "skipped":
                db.execute(sql("INSERT INTO fingerprint_changes (document_id, change) "
                               "VALUES (?, 'remove')"), (document_id,))
            self._append_audit_to(db, now, actor, "fingerprints-remove", record.item_id,
                                  comment or record.source,
                                  {"document": record.id, "source": record.source,
                                   "kind": record.kind})
        return record

    def fingerprint_records(self, kind: str | None = None) -> list[FingerprintRecord]:
        """Every registered (and skipped) document, oldest first."""
        sql = self._dialect.sql
        with self._reading() as db:
            if kind:
                rows = db.execute(sql(f"SELECT {_COLUMNS} FROM fingerprint_documents "
                                      "WHERE kind = ? ORDER BY id"), (kind,)).fetchall()
            else:
                rows = db.execute(f"SELECT {_COLUMNS} FROM fingerprint_documents ORDER BY id"
                                  ).fetchall()
        return [self._record(row) for row in rows]

    def fingerprint_changes(self, after: int, limit: int = CHANGE_BATCH) -> Changes:
        """The additions and removals with a change number above ``after`` (at most
        ``limit`` of them; the watermark says how far they go)."""
        sql = self._dialect.sql
        with self._reading() as db:
            changes = db.execute(sql("SELECT seq, document_id, change FROM fingerprint_changes "
                                     "WHERE seq > ? ORDER BY seq LIMIT ?"),
                                 (after, limit)).fetchall()
            if not changes:
                return Changes((), (), after)
            wanted = sorted({int(doc) for _, doc, change in changes if change == "add"})
            rows = []
            if wanted:
                marks = ", ".join(["?"] * len(wanted))
                rows = db.execute(sql(
                    "SELECT id, source, kind, registered, fingerprints, words FROM "
                    f"fingerprint_documents WHERE id IN ({marks})"), wanted).fetchall()
        # Replay in order: an addition removed later in the same batch is not added.
        present = {int(row[0]): row for row in rows}
        added: dict[int, RegisteredDocument] = {}
        removed: list[int] = []
        for _, doc, change in changes:
            doc = int(doc)
            if change == "remove":
                added.pop(doc, None)
                removed.append(doc)
            elif doc in present:
                row = present[doc]
                added[doc] = RegisteredDocument(
                    doc, row[1], row[2], f"{self._dialect.read_time(row[3]):%Y-%m-%d}",
                    unpack(row[4]), float(row[5]))
        return Changes(tuple(added.values()), tuple(removed), int(changes[-1][0]))

    def rejected_unregistered(self, limit: int = 50) -> list[str]:
        """Rejected items that have no fingerprint row yet (neither registered nor skipped)."""
        with self._reading() as db:
            rows = db.execute(self._dialect.sql(
                "SELECT i.id FROM items i WHERE i.status = 'rejected' AND NOT EXISTS "
                "(SELECT 1 FROM fingerprint_documents f WHERE f.item_id = i.id) "
                "ORDER BY i.received LIMIT ?"), (limit,)).fetchall()
        return [row[0] for row in rows]

    def fingerprints_of_purged(self, limit: int = 100) -> list[int]:
        """Documents registered from items that no longer exist (purged by retention)."""
        with self._reading() as db:
            rows = db.execute(self._dialect.sql(
                "SELECT f.id FROM fingerprint_documents f WHERE f.item_id IS NOT NULL AND "
                "NOT EXISTS (SELECT 1 FROM items i WHERE i.id = f.item_id) ORDER BY f.id "
                "LIMIT ?"), (limit,)).fetchall()
        return [int(row[0]) for row in rows]


# -- registering -------------------------------------------------------------------------


class RegistrationRefused(StoreError):
    """A file or item cannot be registered (empty, encrypted, too large, no text)."""


@dataclass(frozen=True, slots=True)
class Prepared:
    """A document read and fingerprinted, ready to be stored."""

    source: str
    sha256: str
    hashes: np.ndarray
    words: float
    note: str


def prepare_file(path: Path, label: str, config: FingerprintConfig,
                 limits: Limits | None = None) -> Prepared:
    """Read and fingerprint one file for ``redline fingerprints add``; RegistrationRefused
    says what is wrong with it (and that nothing was registered)."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise RegistrationRefused(f"{path}: not a file; give document files")
        with path.open("rb"):
            pass
    except OSError as exc:
        raise RegistrationRefused(f"{path}: cannot read it ({exc.strerror})") from None
    if size == 0:
        raise RegistrationRefused(f"{path}: the file is empty; there is nothing to register")
    if size > config.max_file_bytes:
        raise RegistrationRefused(
            f"{path}: {size / 2**20:.0f} MiB is larger than fingerprints.max_file_bytes "
            f"({config.max_file_bytes / 2**20:.0f} MiB); register its parts, or raise the limit")
    text = item_text(path, name=path.name, limits=limits)
    if text.unread:
        raise RegistrationRefused(
            f"{path}: part of it cannot be read ({text.unread[0]}); register a readable "
            "(decrypted, undamaged) copy")
    if len(text.hashes) < MIN_FINGERPRINTS:
        raise RegistrationRefused(
            f"{path}: holds too little text to recognise ({round(text.words)} words); "
            "nothing to register")
    return Prepared(f"{label} ({path.name})", sha256_file(path), text.hashes, text.words,
                    path.name)


def register_files(store: Any, paths: Sequence[Path], label: str, actor: str,
                   config: FingerprintConfig, now: datetime,
                   limits: Limits | None = None) -> list[FingerprintRecord]:
    """Register every file, or none: each is read and checked (and compared with what is
    registered) before the first is stored. Raises RegistrationRefused listing every
    problem."""
    if not label.strip():
        raise RegistrationRefused("--label: give a name for these documents (e.g. "
                                  "'Final reports 2026')")
    problems: list[str] = []
    prepared: list[Prepared] = []
    known = {r.sha256: r for r in store.fingerprint_records() if r.kind != "skipped"}
    seen: dict[str, Path] = {}
    for path in paths:
        try:
            document = prepare_file(Path(path), label.strip(), config, limits)
        except RegistrationRefused as exc:
            problems.append(str(exc))
            continue
        if document.sha256 in known:
            record = known[document.sha256]
            problems.append(f"{path}: the same content is registered already as #{record.id} "
                            f"({record.source})")
        elif document.sha256 in seen:
            problems.append(f"{path}: the same content as {seen[document.sha256]}, given twice")
        else:
            seen[document.sha256] = Path(path)
            prepared.append(document)
    if problems:
        raise RegistrationRefused("; ".join(problems) + "; nothing was registered")
    return [store.register_fingerprints(source=d.source, kind="registered", item_id="",
                                        sha256=d.sha256, hashes=d.hashes, words=d.words,
                                        actor=actor, now=now, note=d.note) for d in prepared]


def register_rejected(store: Any, item_id: str, config: FingerprintConfig, now: datetime,
                      limits: Limits | None = None) -> FingerprintRecord:
    """Register a rejected item's text (or record why it is skipped); the actor is
    ``system``."""
    item = store.get(item_id)
    counted = {h.category for h in item.hits if h.category != "policy"}
    reason = ""
    hashes, words = np.zeros(0, dtype=np.uint32), 0.0
    if not config.register_rejected:
        reason = "fingerprints.register_rejected is off"
    elif counted and counted <= set(config.unregistered_categories):
        reason = f"only {', '.join(sorted(counted))} hits (fingerprints.unregistered_categories)"
    else:
        content = store.content(item_id)
        declared = "message/rfc822" if item.kind == "mail" else ""
        text = item_text(content, name="mail" if item.kind == "mail" else "upload",
                         declared_type=declared, limits=limits)
        hashes, words = text.hashes, text.words
        if len(hashes) < MIN_FINGERPRINTS:
            reason = f"too little text to recognise ({round(words)} words)"
    if reason:
        return store.register_fingerprints(
            source=item_id, kind="skipped", item_id=item_id, sha256=item.sha256,
            hashes=np.zeros(0, dtype=np.uint32), words=words, actor="system", now=now,
            note=f"not registered: {reason}")
    try:
        return store.register_fingerprints(
            source=item_id, kind="rejected", item_id=item_id, sha256=item.sha256,
            hashes=hashes, words=words, actor="system", now=now)
    except DuplicateDocument as exc:
        return store.register_fingerprints(
            source=item_id, kind="skipped", item_id=item_id, sha256=item.sha256,
            hashes=np.zeros(0, dtype=np.uint32), words=words, actor="system", now=now,
            note=f"not registered: {exc}"[:500])


def follow_rejections(store: Any, config: FingerprintConfig, now: datetime,
                      limits: Limits | None = None) -> tuple[int, int]:
    """One round of the background work: register newly rejected items, and drop the
    fingerprints of purged items unless ``keep_after_purge``. Returns (registered, dropped)."""
    registered = 0
    for item_id in store.rejected_unregistered():
        record = register_rejected(store, item_id, config, now, limits)
        registered += record.kind == "rejected"
    dropped = 0
    if not config.keep_after_purge:
        for document_id in store.fingerprints_of_purged():
            store.remove_fingerprints(document_id, actor="system", now=now,
                                      comment="its item was purged by retention")
            dropped += 1
    return registered, dropped
