"""SQLite quarantine store: the embedded default, one file under the data dir.

WAL journal with ``synchronous=FULL``: a commit is on disk before ``hold`` returns, so
a listener may acknowledge the sender right after. Content is kept in the same
database as its item (one transaction, no orphan files), sealed and written in blocks
from spool files (quarantine/sealing.py), and checked against its SHA-256 on every read.
The file and its -wal and -shm are 0600 in a 0700 directory; ``secure_delete`` zeroes
what a purge or a re-encryption frees, so no old plaintext lingers in free pages.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from quarantine import store_sql as q
from quarantine.audit import GENESIS
from quarantine.fingerprints import FingerprintRecords
from quarantine.notice import Notice
from quarantine.outbox import OutboxEntry, outcome_action
from quarantine.sealing import Keyring, KeySource, file_pieces, sealed_size
from quarantine.store import (
    PURGEABLE,
    STATUSES,
    Decision,
    HoldRequest,
    NotFound,
    QuarantineItem,
    StoreError,
    content_sha256,
    hold_action,
    new_item_id,
)

log = logging.getLogger("redline.quarantine.store")

# Versioned schema: each entry upgrades from the previous version; never edit one.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE items (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        received TEXT NOT NULL,
        sender TEXT NOT NULL,
        recipients TEXT NOT NULL,
        subject TEXT NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        verdict TEXT NOT NULL,
        hits TEXT NOT NULL,
        categories TEXT NOT NULL,
        top_severity INTEGER NOT NULL,
        client TEXT NOT NULL,
        meta TEXT NOT NULL
    );
    CREATE INDEX items_status_received ON items (status, received);
    CREATE INDEX items_received ON items (received);
    CREATE TABLE contents (
        item_id TEXT PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
        data BLOB NOT NULL
    );
    CREATE TABLE decisions (
        item_id TEXT NOT NULL REFERENCES items (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        action TEXT NOT NULL,
        officer TEXT NOT NULL,
        at TEXT NOT NULL,
        comment TEXT NOT NULL,
        PRIMARY KEY (item_id, seq)
    );
    """,
    # 2: delivery outbox, upload allowances, the hash-chained audit log, and when an
    # item's status last changed (retention counts from it).
    """
    ALTER TABLE items ADD COLUMN status_changed TEXT;
    CREATE TABLE outbox (
        item_id TEXT PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
        state TEXT NOT NULL,
        sender TEXT NOT NULL,
        recipients TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        created TEXT NOT NULL,
        next_attempt TEXT NOT NULL,
        lease_owner TEXT NOT NULL DEFAULT '',
        lease_until TEXT,
        replies TEXT NOT NULL DEFAULT '{}',
        error TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX outbox_due ON outbox (state, next_attempt);
    CREATE TABLE allowances (
        user TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        until TEXT NOT NULL,
        item_id TEXT NOT NULL,
        PRIMARY KEY (user, sha256, item_id)
    );
    CREATE TABLE audit (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        item_id TEXT NOT NULL,
        comment TEXT NOT NULL,
        detail TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    );
    CREATE TABLE audit_head (
        one INTEGER PRIMARY KEY CHECK (one = 1),
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL
    );
    """,
    # 3: officer UI accounts (argon2id hashes), API tokens and sessions (SHA-256 digests).
    """
    CREATE TABLE users (
        name TEXT PRIMARY KEY,
        role TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        created TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE api_tokens (
        token_hash TEXT PRIMARY KEY,
        user_name TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
        created TEXT NOT NULL
    );
    CREATE TABLE ui_sessions (
        session_hash TEXT PRIMARY KEY,
        user_name TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
        csrf TEXT NOT NULL,
        created TEXT NOT NULL,
        expires TEXT NOT NULL
    );
    CREATE INDEX ui_sessions_expires ON ui_sessions (expires);
    """,
    # 4: reject notices ride the delivery outbox: kind 'notice' rows carry their own
    # rendered message (the held content is never what they send).
    """
    ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'release';
    ALTER TABLE outbox ADD COLUMN message BLOB;
    """,    # 5: a mail a sender retries (same bytes, sender and recipients) is found pending by
    # its digest instead of being held twice.
    """
    CREATE INDEX items_sha256 ON items (sha256);
    """,
    # Officers' own addresses, and who last set an account up (separation of duties).
    """
    ALTER TABLE users ADD COLUMN addresses TEXT NOT NULL DEFAULT '';
    ALTER TABLE users ADD COLUMN changed_at TEXT;
    ALTER TABLE users ADD COLUMN changed_by TEXT NOT NULL DEFAULT '';
    ALTER TABLE users ADD COLUMN confirmed_by TEXT NOT NULL DEFAULT '';
    """,
    # Failed sign-ins, shared by every worker and node (quarantine/throttle.py).
    """
    CREATE TABLE sign_in_failures (
        name TEXT NOT NULL,
        address TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE INDEX sign_in_failures_pair ON sign_in_failures (name, address, at);
    CREATE INDEX sign_in_failures_address ON sign_in_failures (address, at);
    CREATE INDEX sign_in_failures_at ON sign_in_failures (at);
    """,
    # Content and hits sealed at rest (quarantine/sealing.py). key_id NULL: an item
    # stored before, readable as it is until `redline keys reencrypt` seals it.
    """
    ALTER TABLE items ADD COLUMN key_id TEXT;
    ALTER TABLE items ADD COLUMN sealed_hits BLOB;
    CREATE INDEX items_key_id ON items (key_id);
    CREATE TABLE content_keys (
        key_id TEXT PRIMARY KEY,
        check_value TEXT NOT NULL,
        added TEXT NOT NULL,
        retired TEXT
    );
    """,
    # Registered documents' fingerprints (quarantine/fingerprints.py) and the change log
    # scanners read incrementally.
    """
    CREATE TABLE fingerprint_documents (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        source TEXT NOT NULL,
        kind TEXT NOT NULL,
        item_id TEXT,
        sha256 TEXT NOT NULL,
        registered TEXT NOT NULL,
        registered_by TEXT NOT NULL,
        words REAL NOT NULL,
        fingerprint_count INTEGER NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        fingerprints BLOB NOT NULL
    );
    CREATE INDEX fingerprint_documents_item ON fingerprint_documents (item_id);
    CREATE INDEX fingerprint_documents_sha256 ON fingerprint_documents (sha256);
    CREATE TABLE fingerprint_changes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        document_id INTEGER NOT NULL,
        change TEXT NOT NULL
    );
    """,
    # Subjects (an upload's URL) sealed too, found by the blind index of their words
    # (quarantine/sealing.py). NULL: stored before, readable until `keys reencrypt`.
    """
    ALTER TABLE items ADD COLUMN sealed_subject BLOB;
    ALTER TABLE items ADD COLUMN subject_index TEXT;
    """,
)


def _time(value: datetime) -> str:
    # One fixed-width UTC text form, so that text order is time order in queries.
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="microseconds")


# Times are that text form, JSON columns are text; LIKE is case-insensitive for ASCII.
DIALECT = q.Dialect(mark="?", like="LIKE", recipients_text="recipients", time=_time,
                    read_time=datetime.fromisoformat, read_json=json.loads, time_text=str)


def append_audit(db: sqlite3.Connection, at: datetime, actor: str, action: str, item_id: str,
                 comment: str, detail: Mapping[str, object]) -> None:
    """Append one entry to the hash chain on ``db`` (inside the caller's write transaction).

    BEGIN IMMEDIATE holds the database's one write lock, so the chain cannot fork; the
    account store (quarantine/users.py) appends through here on its own connection.
    """
    row = db.execute("SELECT seq, hash FROM audit_head").fetchone()
    seq, prev = (row[0] + 1, row[1]) if row else (1, GENESIS)
    statement, args, digest = q.audit_insert(seq, prev, at, actor, action, item_id, comment,
                                             detail, DIALECT)
    db.execute(statement, args)
    db.execute("INSERT INTO audit_head (one, seq, hash) VALUES (1, ?, ?) "
               "ON CONFLICT (one) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
               (seq, digest))


class SqliteStore(q.SharedReads, FingerprintRecords):
    """QuarantineStore on one SQLite database file (thread-safe; one writer at a time)."""

    _dialect = DIALECT
    _audit_append = staticmethod(append_audit)

    def __init__(self, path: Path, keys: KeySource | None = None) -> None:
        """Open (creating and migrating) the database at ``path``; content keys from
        ``keys``, by default the key file ``keys/content.key`` beside the database."""
        self.path = Path(path)
        self.key_source = keys or KeySource(file=self.path.parent / "keys" / "content.key")
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            # Created 0600 before SQLite opens it: SQLite gives -wal and -shm the mode of
            # the database file, whatever the umask.
            os.close(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600))
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None,
                                       timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.execute("PRAGMA secure_delete=ON")
        except sqlite3.Error as exc:
            raise StoreError(f"quarantine database {self.path}: cannot open it ({exc})") from None
        except OSError as exc:
            raise StoreError(f"quarantine database {self.path}: cannot create it "
                             f"({exc.strerror}); check the data dir") from None
        self._private_files()
        self._lock = threading.RLock()
        self.migrate()
        self.reload_keys()

    def _private_files(self) -> None:
        """The database, its -wal and -shm: 0600 (an older Redline left them 0644)."""
        for path in (self.path, self.path.with_name(self.path.name + "-wal"),
                     self.path.with_name(self.path.name + "-shm")):
            try:
                mode = path.stat().st_mode & 0o777
                if mode & 0o077:
                    os.chmod(path, 0o600)
                    log.warning("%s was readable by other users (mode %o); set it to 600",
                                path, mode)
            except FileNotFoundError:
                continue
            except OSError as exc:
                log.warning("cannot make %s private: %s", path, exc.strerror)

    # -- schema ----------------------------------------------------------------------

    def schema_version(self) -> int:
        """The schema version the database is at."""
        return self._db.execute("PRAGMA user_version").fetchone()[0]

    def migrate(self) -> None:
        """Apply every migration newer than the database, each in its own transaction."""
        with self._lock:
            current = self.schema_version()
            if current > len(MIGRATIONS):
                raise StoreError(
                    f"quarantine database {self.path} has schema version {current}, newer than "
                    f"this Redline ({len(MIGRATIONS)}): upgrade Redline or use another data dir"
                )
            for version in range(current + 1, len(MIGRATIONS) + 1):
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    for statement in MIGRATIONS[version - 1].split(";"):
                        if statement.strip():
                            self._db.execute(statement)
                    self._db.execute(f"PRAGMA user_version = {version}")
                    self._db.execute("COMMIT")
                except sqlite3.Error:
                    self._db.execute("ROLLBACK")
                    raise

    # -- writing -------------------------------------------------------------------------

    def hold(self, request: HoldRequest) -> QuarantineItem:
        """Store the item and its content in one synced transaction; return it."""
        content = request.content
        size = content.stat().st_size if isinstance(content, Path) else len(content)
        hits = request.verdict.hits
        categories, top = q.hit_summary(hits)
        item_id = new_item_id()
        keyring = self.keyring
        with self._transaction():
            while self._db.execute("SELECT 1 FROM items WHERE id = ?", (item_id,)).fetchone():
                item_id = new_item_id()
            shown, sealed = q.hits_columns(item_id, hits, keyring)
            subject, sealed_subject, subject_index = q.subject_columns(
                item_id, request.subject, keyring)
            self._db.execute(
                "INSERT INTO items (id, kind, status, received, sender, recipients, subject, "
                "size, sha256, verdict, hits, categories, top_severity, client, meta, key_id, "
                "sealed_hits, sealed_subject, subject_index) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                "'', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (item_id, request.kind, request.status, _time(request.received), request.sender,
                 json.dumps(list(request.recipients)), subject, size,
                 request.verdict.action, shown, categories, top, request.client,
                 json.dumps(dict(request.meta)), keyring.current, sealed, sealed_subject,
                 subject_index),
            )
            if request.keep_content:
                self._db.execute("INSERT INTO contents (item_id, data) VALUES (?, zeroblob(?))",
                                 (item_id, sealed_size(size)))
                digest = self._write_content(item_id, content, size, keyring)
            else:
                digest = content_sha256(content)
            self._db.execute("UPDATE items SET sha256 = ? WHERE id = ?", (digest, item_id))
            self._append_audit(request.received, "system", hold_action(request), item_id, "",
                               {"kind": request.kind, "size": size, "sha256": digest,
                                "client": request.client,
                                **({} if request.keep_content else {"content": "not kept"})})
        return self.get(item_id)

    def _write_content(self, item_id: str, content: bytes | Path, size: int,
                       keyring: Keyring) -> str:
        """Seal ``content`` into the item's zeroblob piece by piece (memory stays bounded
        for a large spool file); the SHA-256 of the plaintext."""
        digest = hashlib.sha256()
        read = 0

        def plaintext() -> Iterator[bytes]:
            nonlocal read
            for piece in (file_pieces(content) if isinstance(content, Path) else (content,)):
                digest.update(piece)
                read += len(piece)
                yield piece

        rowid = self._db.execute("SELECT rowid FROM contents WHERE item_id = ?",
                                 (item_id,)).fetchone()[0]
        with self._db.blobopen("contents", "data", rowid) as blob:
            for sealed in keyring.seal_chunks(item_id, "content", plaintext()):
                if blob.tell() + len(sealed) > len(blob):
                    break
                blob.write(sealed)
            if read != size or blob.tell() != len(blob):
                raise StoreError(f"content of quarantine item {item_id} changed size while it "
                                 f"was stored ({size} bytes, then {read}); nothing was stored")
        return digest.hexdigest()

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """The connection, one user at a time; SQLite's own errors become StoreError."""
        with self._lock:
            try:
                yield self._db
            except sqlite3.Error as exc:
                raise self._error(exc) from exc

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        # BEGIN IMMEDIATE takes the write lock up front, so two processes on one file
        # serialise here instead of failing on upgrade from a read lock.
        with self._reading():
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
                self._db.execute("COMMIT")
            except BaseException:
                # SQLite rolls back by itself on some errors (a full disk, I/O errors); a
                # second ROLLBACK would fail and hide the real cause from the operator.
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise

    def _error(self, exc: sqlite3.Error) -> StoreError:
        """A StoreError that names the database, the real cause and what to do."""
        text = str(exc)
        advice = "check the file and its directory"
        if "full" in text or "disk I/O" in text:
            usage = shutil.disk_usage(self.path.parent)
            advice = (f"the disk holding {self.path.parent} has {usage.free // 2**20} MiB free: "
                      "free space there")
        elif "locked" in text or "busy" in text:
            advice = "another process holds it locked for too long; check for a stuck process"
        return StoreError(f"quarantine database {self.path}: {text}; {advice}")

    def _append_audit(self, at: datetime, actor: str, action: str, item_id: str, comment: str,
                      detail: Mapping[str, object]) -> None:
        append_audit(self._db, at, actor, action, item_id, comment, detail)

    def record_decision(self, item_id: str, decision: Decision, new_status: str,
                        *, expect_status: Sequence[str], enqueue_delivery: bool = False,
                        allow_upload_until: datetime | None = None,
                        detail: Mapping[str, object] | None = None,
                        notice: Notice | None = None) -> QuarantineItem:
        """Append ``decision`` and set ``new_status``, only from one of ``expect_status``.

        In the same transaction: the audit entry, a delivery outbox row when
        ``enqueue_delivery`` (or a notice row carrying ``notice``), and an upload allowance
        (the item's user and SHA-256) valid until ``allow_upload_until``.
        """
        if enqueue_delivery and notice is not None:
            raise StoreError("an item has one outbox row: a delivery or a notice, not both")
        if new_status not in STATUSES:
            raise StoreError(f"unknown status {new_status!r}")
        with self._transaction():
            row = self._db.execute("SELECT status, sender, recipients, sha256 FROM items "
                                   "WHERE id = ?", (item_id,)).fetchone()
            if row is None:
                raise NotFound(f"no quarantine item {item_id}")
            if row[0] not in expect_status:
                raise StoreError(f"item {item_id} is {row[0]}, not {' or '.join(expect_status)}")
            seq = self._db.execute(q.NEXT_DECISION_SEQ, (item_id,)).fetchone()[0]
            at = _time(decision.at)
            self._db.execute(q.INSERT_DECISION, (item_id, seq, decision.action,
                                                 decision.officer, at, decision.comment))
            self._db.execute(q.SET_STATUS, (new_status, at, item_id))
            if enqueue_delivery:
                # recipients: the item's column as stored, already JSON text
                self._db.execute(q.QUEUE_DELIVERY, (item_id, row[1], row[2], at, at))
            if notice is not None:
                self._db.execute(q.QUEUE_NOTICE, (item_id, notice.sender,
                                                  json.dumps([notice.recipient]),
                                                  notice.message, at, at))
            if allow_upload_until is not None:
                self._db.execute(
                    "INSERT OR REPLACE INTO allowances (user, sha256, until, item_id) "
                    "VALUES (?, ?, ?, ?)", (row[1], row[3], _time(allow_upload_until), item_id))
            self._append_audit(decision.at, decision.officer, decision.action, item_id,
                               decision.comment, {"status": new_status, **(detail or {})})
        return self.get(item_id)

    def audit(self, at: datetime, actor: str, action: str, item_id: str, comment: str = "",
              detail: Mapping[str, object] | None = None) -> None:
        """Append one audit entry on its own (a view or a download of content)."""
        with self._transaction():
            self._append_audit(at, actor, action, item_id, comment, detail or {})

    # -- delivery outbox ---------------------------------------------------------------

    def claim_delivery(self, worker: str, now: datetime,
                       lease_seconds: float) -> OutboxEntry | None:
        """Lease the oldest due outbox row to ``worker`` (or take over an expired lease)."""
        until = now + timedelta(seconds=lease_seconds)
        with self._transaction():
            row = self._db.execute(q.CLAIM_DUE, (_time(now), _time(now))).fetchone()
            if row is None:
                return None
            entry = q.outbox_entry(row, worker, until, DIALECT)
            self._db.execute(q.CLAIM_ROW, (worker, _time(until), entry.item_id))
            self._db.execute(q.MARK_DELIVERING, (_time(now), entry.item_id))
            if entry.taken_over:
                self._append_audit(now, worker, "lease-expired", entry.item_id, "",
                                   {"previous_owner": row[7], "attempt": row[4]})
        return entry

    def finish_delivery(self, item_id: str, worker: str, now: datetime, *,
                        replies: Mapping[str, tuple[int, str]], remaining: tuple[str, ...],
                        final_status: str | None, next_attempt: datetime | None,
                        error: str = "") -> bool:
        """Record an attempt's replies and outcome; False when it was no longer ours to record.

        A final outcome is recorded while the row is claimed by anyone (the upstream has
        answered; that must not be lost), a deferral only by the lease owner (another
        worker may be sending right now).
        """
        with self._transaction():
            row = self._db.execute(f"SELECT {q.OUTCOME_COLUMNS} FROM outbox WHERE item_id = ?",
                                   (item_id,)).fetchone()
            if row is None or row[0] != "claimed" or (final_status is None and row[1] != worker):
                return False
            merged, detail = q.attempt_outcome(json.loads(row[2]), row[3], replies)
            if final_status is None:
                self._db.execute(q.DEFER_ROW, (json.dumps(list(remaining)), merged,
                                               _time(next_attempt or now), error, item_id))
                self._append_audit(now, worker, outcome_action(row[4], None), item_id, "", detail)
            else:
                self._db.execute(q.FINISH_ROW, ("done" if final_status == "delivered" else "failed",
                                                json.dumps(list(remaining)), merged, error,
                                                item_id))
                self._db.execute(q.FINISH_ITEM, (final_status, _time(now), item_id))
                self._append_audit(now, worker, outcome_action(row[4], final_status), item_id, error,
                                   detail)
        return True

    def outbox_state(self, item_id: str) -> dict[str, object] | None:
        """The outbox row of an item (state, attempts, replies, error), or None."""
        with self._reading() as db:
            row = db.execute(q.OUTBOX_STATE, (item_id,)).fetchone()
        return None if row is None else q.outbox_state(row, DIALECT)

    # -- uploads and retention ---------------------------------------------------------

    def upload_allowed(self, user: str, sha256: str, site: str, now: datetime) -> bool:
        """True when a released upload lets ``user`` send content with this SHA-256 to
        ``site`` now: the officer released it to the item's recipient, not to any host."""
        with self._reading() as db:
            row = db.execute(
                "SELECT 1 FROM allowances a JOIN items i ON i.id = a.item_id "
                "WHERE a.user = ? AND a.sha256 = ? AND a.until > ? AND EXISTS "
                "(SELECT 1 FROM json_each(i.recipients) WHERE value = ?) LIMIT 1",
                (user, sha256, _time(now), site)).fetchone()
        return row is not None

    def pending_before(self, cutoff: datetime, limit: int = 1000) -> list[str]:
        """Ids of pending items received before ``cutoff`` (oldest first)."""
        with self._reading() as db:
            rows = db.execute("SELECT id FROM items WHERE status = 'pending' AND received < ? "
                                    "ORDER BY received LIMIT ?", (_time(cutoff), limit)).fetchall()
        return [r[0] for r in rows]

    def purgeable_before(self, cutoff: datetime, limit: int = 1000,
                         statuses: Sequence[str] = PURGEABLE) -> list[str]:
        """Ids of decided items whose status last changed before ``cutoff``.

        A released mail whose delivery is still queued or under way is never purgeable.
        """
        condition, args = q.purgeable_where(cutoff, DIALECT, statuses)
        with self._reading() as db:
            rows = db.execute(f"SELECT id FROM items WHERE {condition} "
                                    "ORDER BY received LIMIT ?", (*args, limit)).fetchall()
        return [r[0] for r in rows]

    def purge(self, item_id: str, actor: str, now: datetime, cutoff: datetime,
              statuses: Sequence[str] = PURGEABLE) -> bool:
        """Delete a decided (or monitored) item and its content (audited); False when no
        longer purgeable."""
        condition, args = q.purgeable_where(cutoff, DIALECT, statuses)
        with self._transaction():
            row = self._db.execute(f"SELECT status, size, sha256 FROM items WHERE id = ? AND "
                                   f"{condition}", (item_id, *args)).fetchone()
            if row is None:
                return False
            self._db.execute("DELETE FROM allowances WHERE item_id = ?", (item_id,))
            self._db.execute("DELETE FROM items WHERE id = ?", (item_id,))
            self._append_audit(now, actor, "purge", item_id, "",
                               {"status": row[0], "size": row[1], "sha256": row[2]})
        return True

    # -- audit log ---------------------------------------------------------------------

    def audit_head(self) -> tuple[int, str]:
        """(seq, hash) of the last entry as recorded on append; (0, GENESIS) when empty."""
        with self._reading() as db:
            row = db.execute("SELECT seq, hash FROM audit_head").fetchone()
        return (row[0], row[1]) if row else (0, GENESIS)

    def compact(self) -> str:
        """Rewrite the database so that no page freed by a re-encryption keeps old
        plaintext (VACUUM, then an empty WAL); what was done, for the operator."""
        with self._reading() as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            db.execute("VACUUM")
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return f"rewrote {self.path} (VACUUM) and emptied its write-ahead log"

    # -- reading ---------------------------------------------------------------------------

    def now(self) -> datetime:
        """The current time: one node owns an SQLite store, so its own clock."""
        return datetime.now(UTC)

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()
