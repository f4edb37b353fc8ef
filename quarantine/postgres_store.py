"""PostgreSQL quarantine store: one database shared by several gateway nodes.

Same interface and behaviour as the SQLite store (the shared suite runs against both).
Row locks do the coordinating: deciders lock the item row (``FOR UPDATE``), outbox
workers claim rows with ``FOR UPDATE SKIP LOCKED``, and audit appends lock the one
``audit_head`` row, always as the last statement of a transaction so that lock order
is the same everywhere. Content is ``bytea``, sealed (quarantine/sealing.py) and streamed
in with COPY so that a large item never sits whole in this process's memory, with the
SHA-256 of its plaintext, checked on every read.
Schema migrations are versioned in ``schema_version`` and run under an advisory lock,
so nodes starting together migrate once.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict
from psycopg_pool import ConnectionPool, PoolClosed, PoolTimeout

from quarantine import store_sql as q
from quarantine.audit import GENESIS
from quarantine.fingerprints import FingerprintRecords
from quarantine.notice import Notice
from quarantine.outbox import OutboxEntry, outcome_action
from quarantine.sealing import KeySource, file_pieces
from quarantine.store import (
    PURGEABLE,
    STATUSES,
    Decision,
    HoldRequest,
    NotFound,
    QuarantineItem,
    StoreError,
    hold_action,
    new_item_id,
)

log = logging.getLogger("redline.quarantine.store")

# A node's clock further off than this from the database's is worth an operator's look.
CLOCK_SKEW_WARN_SECONDS = 30.0
# How often ``now()`` measures the offset again (clocks drift; NTP steps them).
CLOCK_SKEW_REFRESH_SECONDS = 60.0

# Versioned schema: each entry upgrades from the previous version; never edit one.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE items (
        id text PRIMARY KEY,
        kind text NOT NULL,
        status text NOT NULL,
        received timestamptz NOT NULL,
        sender text NOT NULL,
        recipients jsonb NOT NULL,
        subject text NOT NULL,
        size bigint NOT NULL,
        sha256 text NOT NULL,
        verdict text NOT NULL,
        hits jsonb NOT NULL,
        categories text NOT NULL,
        top_severity integer NOT NULL,
        client text NOT NULL,
        meta jsonb NOT NULL,
        status_changed timestamptz
    );
    CREATE INDEX items_status_received ON items (status, received);
    CREATE INDEX items_received ON items (received);
    CREATE TABLE contents (
        item_id text PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
        data bytea NOT NULL
    );
    CREATE TABLE decisions (
        item_id text NOT NULL REFERENCES items (id) ON DELETE CASCADE,
        seq integer NOT NULL,
        action text NOT NULL,
        officer text NOT NULL,
        at timestamptz NOT NULL,
        comment text NOT NULL,
        PRIMARY KEY (item_id, seq)
    );
    CREATE TABLE outbox (
        item_id text PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
        state text NOT NULL,
        sender text NOT NULL,
        recipients jsonb NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        created timestamptz NOT NULL,
        next_attempt timestamptz NOT NULL,
        lease_owner text NOT NULL DEFAULT '',
        lease_until timestamptz,
        replies jsonb NOT NULL DEFAULT '{}',
        error text NOT NULL DEFAULT ''
    );
    CREATE INDEX outbox_due ON outbox (state, next_attempt);
    CREATE TABLE allowances (
        user_name text NOT NULL,
        sha256 text NOT NULL,
        until timestamptz NOT NULL,
        item_id text NOT NULL,
        PRIMARY KEY (user_name, sha256, item_id)
    );
    CREATE TABLE audit (
        seq bigint PRIMARY KEY,
        at timestamptz NOT NULL,
        actor text NOT NULL,
        action text NOT NULL,
        item_id text NOT NULL,
        comment text NOT NULL,
        detail text NOT NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL
    );
    CREATE TABLE audit_head (
        one integer PRIMARY KEY CHECK (one = 1),
        seq bigint NOT NULL,
        hash text NOT NULL
    );
    INSERT INTO audit_head (one, seq, hash) VALUES (1, 0, repeat('0', 64));
    """,
    # 2: officer UI accounts (argon2id hashes), API tokens and sessions (SHA-256 digests).
    """
    CREATE TABLE users (
        name text PRIMARY KEY,
        role text NOT NULL,
        password_hash text NOT NULL,
        created timestamptz NOT NULL,
        disabled boolean NOT NULL DEFAULT false
    );
    CREATE TABLE api_tokens (
        token_hash text PRIMARY KEY,
        user_name text NOT NULL REFERENCES users (name) ON DELETE CASCADE,
        created timestamptz NOT NULL
    );
    CREATE TABLE ui_sessions (
        session_hash text PRIMARY KEY,
        user_name text NOT NULL REFERENCES users (name) ON DELETE CASCADE,
        csrf text NOT NULL,
        created timestamptz NOT NULL,
        expires timestamptz NOT NULL
    );
    CREATE INDEX ui_sessions_expires ON ui_sessions (expires);
    """,
    # 3: reject notices ride the delivery outbox: kind 'notice' rows carry their own
    # rendered message (the held content is never what they send).
    """
    ALTER TABLE outbox ADD COLUMN kind text NOT NULL DEFAULT 'release',
        ADD COLUMN message bytea;
    """,    # 4: a mail a sender retries (same bytes, sender and recipients) is found pending by
    # its digest instead of being held twice.
    """
    CREATE INDEX items_sha256 ON items (sha256);
    """,
    # Officers' own addresses, and who last set an account up (separation of duties).
    """
    ALTER TABLE users ADD COLUMN addresses text NOT NULL DEFAULT '',
        ADD COLUMN changed_at timestamptz,
        ADD COLUMN changed_by text NOT NULL DEFAULT '',
        ADD COLUMN confirmed_by text NOT NULL DEFAULT '';
    """,
    # Failed sign-ins, shared by every worker and node (quarantine/throttle.py).
    """
    CREATE TABLE sign_in_failures (
        name text NOT NULL,
        address text NOT NULL,
        at timestamptz NOT NULL
    );
    CREATE INDEX sign_in_failures_pair ON sign_in_failures (name, address, at);
    CREATE INDEX sign_in_failures_address ON sign_in_failures (address, at);
    CREATE INDEX sign_in_failures_at ON sign_in_failures (at);
    """,
    # Content and hits sealed at rest (quarantine/sealing.py). key_id NULL: an item
    # stored before, readable as it is until `redline keys reencrypt` seals it.
    """
    ALTER TABLE items ADD COLUMN key_id text, ADD COLUMN sealed_hits bytea;
    CREATE INDEX items_key_id ON items (key_id);
    CREATE TABLE content_keys (
        key_id text PRIMARY KEY,
        check_value text NOT NULL,
        added timestamptz NOT NULL,
        retired timestamptz
    );
    """,
    # Registered documents' fingerprints (quarantine/fingerprints.py) and the change log
    # scanners read incrementally.
    """
    CREATE TABLE fingerprint_documents (
        id bigserial PRIMARY KEY,
        source text NOT NULL,
        kind text NOT NULL,
        item_id text,
        sha256 text NOT NULL,
        registered timestamptz NOT NULL,
        registered_by text NOT NULL,
        words double precision NOT NULL,
        fingerprint_count integer NOT NULL,
        note text NOT NULL DEFAULT '',
        fingerprints bytea NOT NULL
    );
    CREATE INDEX fingerprint_documents_item ON fingerprint_documents (item_id);
    CREATE INDEX fingerprint_documents_sha256 ON fingerprint_documents (sha256);
    CREATE TABLE fingerprint_changes (
        seq bigserial PRIMARY KEY,
        document_id bigint NOT NULL,
        change text NOT NULL
    );
    """,
    # Subjects (an upload's URL) sealed too, found by the blind index of their words
    # (quarantine/sealing.py). NULL: stored before, readable until `keys reencrypt`.
    """
    ALTER TABLE items ADD COLUMN sealed_subject bytea, ADD COLUMN subject_index text;
    """,
)


# Nodes starting at once: the first migrates and registers its content keys, the others
# wait and then find it done (or find that their keys differ).
MIGRATE_LOCK = "SELECT pg_advisory_xact_lock(hashtext('redline.migrate.' || current_schema()))"


def _same(value: object) -> object:
    return value


# psycopg passes datetimes and reads timestamptz and jsonb as Python values; ILIKE because
# SQLite's LIKE is case-insensitive for ASCII, and both backends agree.
DIALECT = q.Dialect(mark="%s", like="ILIKE", recipients_text="recipients::text", time=_same,
                    read_time=_same, read_json=_same, time_text=datetime.isoformat)


def append_audit(db: psycopg.Connection, at: datetime, actor: str, action: str, item_id: str,
                 comment: str, detail: Mapping[str, object]) -> None:
    """Append one entry to the hash chain (inside the caller's transaction, as its last step).

    The head row lock serialises appenders across nodes; the account store
    (quarantine/users.py) appends through here on its own connection.
    """
    seq, prev = db.execute("SELECT seq, hash FROM audit_head WHERE one = 1 FOR UPDATE").fetchone()
    seq += 1
    statement, args, digest = q.audit_insert(seq, prev, at, actor, action, item_id, comment,
                                             detail, DIALECT)
    db.execute(statement, args)
    db.execute("UPDATE audit_head SET seq = %s, hash = %s WHERE one = 1", (seq, digest))


def redacted(dsn: str) -> str:
    """``dsn`` without its password, fit for an error message or a log line."""
    try:
        parts = conninfo_to_dict(dsn)
    except psycopg.ProgrammingError:
        return "the configured DSN"
    parts.pop("password", None)
    return " ".join(f"{k}={v}" for k, v in parts.items())


class PostgresStore(q.SharedReads, FingerprintRecords):
    """QuarantineStore on PostgreSQL (thread-safe: a small pool of checked connections)."""

    _dialect = DIALECT
    _row_lock = " FOR UPDATE OF i"
    _keys_lock = MIGRATE_LOCK
    # Change numbers must commit in the order they are drawn, or a scanner that has read
    # up to 12 would never see an 11 committed just after: writers take turns.
    _change_lock = "LOCK TABLE fingerprint_changes IN EXCLUSIVE MODE"
    _audit_append = staticmethod(append_audit)

    def __init__(self, dsn: str, *, keys: KeySource, schema: str | None = None,
                 pool_size: int = 4, wait_seconds: float = 5.0) -> None:
        """Connect (creating ``schema`` if given) and migrate; content keys from ``keys``,
        which every node sharing the database must have alike."""
        self.dsn = dsn
        self.key_source = keys
        self.schema = schema
        self.wait_seconds = wait_seconds
        if schema:
            try:
                with psycopg.connect(dsn, autocommit=True, connect_timeout=10) as db:
                    db.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(
                        sql.Identifier(schema)))
            except psycopg.Error as exc:
                raise StoreError(f"quarantine database (PostgreSQL, quarantine.postgres_dsn): "
                                 f"cannot connect or prepare it: {str(exc).strip()}") from None
        # A pool, not one connection: after a restart or failover of the database the pool
        # checks each connection before lending it and opens new ones with backoff, so the
        # store heals by itself within seconds of the server's return.
        self._pool = ConnectionPool(
            dsn, min_size=1, max_size=max(pool_size, 1), open=False, name="redline-quarantine",
            kwargs={"autocommit": True, "connect_timeout": 5}, configure=self._configure,
            check=ConnectionPool.check_connection,
            # The pool's backoff doubles without a ceiling, so a long outage would leave
            # minutes between attempts. Give each attempt up after a few seconds instead:
            # the next request for a connection starts a fresh one, at most about 2 s apart.
            reconnect_timeout=3.0)
        try:
            self._pool.open(wait=True, timeout=15)
        except PoolTimeout:
            self._pool.close()
            raise StoreError("quarantine database (PostgreSQL, quarantine.postgres_dsn): cannot "
                             f"connect to {redacted(dsn)} within 15 s; check that the server is "
                             "up and the DSN is right") from None
        self.clock_skew_seconds = 0.0
        self._skew_measured = float("-inf")
        self.now()
        if abs(self.clock_skew_seconds) > CLOCK_SKEW_WARN_SECONDS:
            log.warning("this node's clock is %+.0f s off the quarantine database's; Redline "
                        "keeps time by the database's clock, but keep the nodes in time sync "
                        "(NTP)", self.clock_skew_seconds)
        try:
            self.migrate()
            self.reload_keys()
        except BaseException:
            self._pool.close()
            raise

    def _configure(self, db: psycopg.Connection) -> None:
        if self.schema:
            db.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(self.schema)))

    @property
    def available(self) -> bool:
        """False while the database cannot be reached (for /readyz and the metrics)."""
        try:
            with self._reading() as db:
                db.execute("SELECT 1")
            return True
        except StoreError:
            return False

    def now(self) -> datetime:
        """The current time on the database server's clock, shared by every node.

        Several nodes write and compare times in one store (leases, retries, expiry); if
        each used its own clock, a node running minutes ahead would take over a lease that
        another node still holds and send the mail twice. So every node keeps time by the
        database's clock: this node's clock corrected by the offset measured (again every
        minute) with one round trip.
        """
        if time.monotonic() - self._skew_measured >= CLOCK_SKEW_REFRESH_SECONDS:
            try:
                with self._reading() as db:
                    before = datetime.now(UTC)
                    (server,) = db.execute("SELECT clock_timestamp()").fetchone()
                    after = datetime.now(UTC)
                self.clock_skew_seconds = ((before + (after - before) / 2) - server
                                           ).total_seconds()
                self._skew_measured = time.monotonic()
            except StoreError:
                pass  # keep the last offset: telling time must not fail with the database
        return datetime.now(UTC) - timedelta(seconds=self.clock_skew_seconds)

    @contextmanager
    def _reading(self) -> Iterator[psycopg.Connection]:
        """A connection from the pool; a database that cannot be reached is a StoreError."""
        try:
            with self._pool.connection(timeout=self.wait_seconds) as db:
                yield db
        except (psycopg.OperationalError, psycopg.InterfaceError, PoolTimeout,
                PoolClosed) as exc:
            raise StoreError(f"quarantine database (PostgreSQL) unavailable: "
                             f"{str(exc).strip() or type(exc).__name__}; check that the server "
                             "is up") from None

    @contextmanager
    def _transaction(self) -> Iterator[psycopg.Connection]:
        """A connection in one transaction, committed on success; errors as in ``_reading``."""
        with self._reading() as db, db.transaction():
            yield db

    # -- schema ----------------------------------------------------------------------

    def schema_version(self) -> int:
        """The schema version the database is at (0 before the first migration)."""
        with self._reading() as db:
            exists = db.execute("SELECT to_regclass('schema_version')").fetchone()[0]
            if exists is None:
                return 0
            return db.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version"
                              ).fetchone()[0]

    def migrate(self) -> None:
        """Apply every migration newer than the database, each in its own transaction."""
        with self._transaction() as db:
            # Nodes starting at once: the first migrates, the others wait and find it done.
            db.execute(MIGRATE_LOCK)
            db.execute("CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, "
                       "applied timestamptz NOT NULL DEFAULT now())")
        current = self.schema_version()
        if current > len(MIGRATIONS):
            raise StoreError(
                f"quarantine database (PostgreSQL) has schema version {current}, newer than this "
                f"Redline ({len(MIGRATIONS)}): upgrade Redline or use another database"
            )
        for version in range(current + 1, len(MIGRATIONS) + 1):
            with self._transaction() as db:
                db.execute(MIGRATE_LOCK)
                done = db.execute("SELECT 1 FROM schema_version WHERE version = %s",
                                  (version,)).fetchone()
                if done:
                    continue
                db.execute(MIGRATIONS[version - 1])
                db.execute("INSERT INTO schema_version (version) VALUES (%s)", (version,))

    # -- writing -------------------------------------------------------------------------

    def _append_audit(self, db: psycopg.Connection, at: datetime, actor: str, action: str,
                      item_id: str, comment: str, detail: Mapping[str, object]) -> None:
        append_audit(db, at, actor, action, item_id, comment, detail)

    def hold(self, request: HoldRequest) -> QuarantineItem:
        """Store the item and its sealed content in one committed transaction; return it."""
        content = request.content
        size = content.stat().st_size if isinstance(content, Path) else len(content)
        hits = request.verdict.hits
        categories, top = q.hit_summary(hits)
        received = request.received if request.received.tzinfo else request.received.replace(
            tzinfo=UTC)
        keyring = self.keyring
        with self._transaction() as db:
            while True:
                item_id = new_item_id()
                shown, sealed = q.hits_columns(item_id, hits, keyring)
                subject, sealed_subject, subject_index = q.subject_columns(
                    item_id, request.subject, keyring)
                row = db.execute(
                    "INSERT INTO items (id, kind, status, received, sender, recipients, subject, "
                    "size, sha256, verdict, hits, categories, top_severity, client, meta, "
                    "key_id, sealed_hits, sealed_subject, subject_index) VALUES (%s, %s, %s, "
                    "%s, %s, %s, %s, %s, '', %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
                    "ON CONFLICT (id) DO NOTHING RETURNING id",
                    (item_id, request.kind, request.status, received, request.sender,
                     json.dumps(list(request.recipients)), subject, size,
                     request.verdict.action, shown, categories, top, request.client,
                     json.dumps(dict(request.meta)), keyring.current, sealed, sealed_subject,
                     subject_index),
                ).fetchone()
                if row:
                    break
            digest = hashlib.sha256()
            read = 0

            def plaintext() -> Iterator[bytes]:
                nonlocal read
                for piece in (file_pieces(content) if isinstance(content, Path)
                              else (bytes(content),)):
                    digest.update(piece)
                    read += len(piece)
                    yield piece

            if request.keep_content:
                # COPY in text format, the bytea in hex: the sealed blob goes to the server
                # piece by piece instead of as one parameter built whole in memory.
                with db.cursor().copy("COPY contents (item_id, data) FROM STDIN") as copy:
                    copy.write(f"{item_id}\t\\\\x".encode())
                    for sealed_piece in keyring.seal_chunks(item_id, "content", plaintext()):
                        copy.write(sealed_piece.hex().encode())
                    copy.write(b"\n")
            else:
                for _piece in plaintext():  # size and SHA-256 only (monitor_keep_content off)
                    pass
            if read != size:
                raise StoreError(f"content of quarantine item {item_id} changed size while it "
                                 f"was stored ({size} bytes, then {read}); nothing was stored")
            db.execute("UPDATE items SET sha256 = %s WHERE id = %s", (digest.hexdigest(), item_id))
            self._append_audit(db, received, "system", hold_action(request), item_id, "",
                               {"kind": request.kind, "size": size, "sha256": digest.hexdigest(),
                                "client": request.client,
                                **({} if request.keep_content else {"content": "not kept"})})
        return self.get(item_id)

    def record_decision(self, item_id: str, decision: Decision, new_status: str,
                        *, expect_status: Sequence[str], enqueue_delivery: bool = False,
                        allow_upload_until: datetime | None = None,
                        detail: Mapping[str, object] | None = None,
                        notice: Notice | None = None) -> QuarantineItem:
        """Append ``decision`` and set ``new_status``, only from one of ``expect_status``.

        In the same transaction: the audit entry, a delivery outbox row when
        ``enqueue_delivery`` (or a notice row carrying ``notice``), and an upload allowance
        valid until ``allow_upload_until``.
        """
        if enqueue_delivery and notice is not None:
            raise StoreError("an item has one outbox row: a delivery or a notice, not both")
        if new_status not in STATUSES:
            raise StoreError(f"unknown status {new_status!r}")
        with self._transaction() as db:
            row = db.execute("SELECT status, sender, recipients, sha256 FROM items WHERE id = %s "
                             "FOR UPDATE", (item_id,)).fetchone()
            if row is None:
                raise NotFound(f"no quarantine item {item_id}")
            if row[0] not in expect_status:
                raise StoreError(f"item {item_id} is {row[0]}, not {' or '.join(expect_status)}")
            seq = db.execute(DIALECT.sql(q.NEXT_DECISION_SEQ), (item_id,)).fetchone()[0]
            at = decision.at
            db.execute(DIALECT.sql(q.INSERT_DECISION), (item_id, seq, decision.action,
                                                        decision.officer, at, decision.comment))
            db.execute(DIALECT.sql(q.SET_STATUS), (new_status, at, item_id))
            if enqueue_delivery:
                db.execute(DIALECT.sql(q.QUEUE_DELIVERY),
                           (item_id, row[1], json.dumps(row[2]), at, at))
            if notice is not None:
                db.execute(DIALECT.sql(q.QUEUE_NOTICE), (item_id, notice.sender,
                                                         json.dumps([notice.recipient]),
                                                         notice.message, at, at))
            if allow_upload_until is not None:
                db.execute("INSERT INTO allowances (user_name, sha256, until, item_id) "
                           "VALUES (%s, %s, %s, %s) ON CONFLICT (user_name, sha256, item_id) "
                           "DO UPDATE SET until = excluded.until",
                           (row[1], row[3], allow_upload_until, item_id))
            self._append_audit(db, decision.at, decision.officer, decision.action, item_id,
                               decision.comment, {"status": new_status, **(detail or {})})
        return self.get(item_id)

    def audit(self, at: datetime, actor: str, action: str, item_id: str, comment: str = "",
              detail: Mapping[str, object] | None = None) -> None:
        """Append one audit entry on its own (a view or a download of content)."""
        with self._transaction() as db:
            self._append_audit(db, at, actor, action, item_id, comment, detail or {})

    # -- delivery outbox ---------------------------------------------------------------

    def claim_delivery(self, worker: str, now: datetime,
                       lease_seconds: float) -> OutboxEntry | None:
        """Lease the oldest due outbox row to ``worker`` (or take over an expired lease)."""
        until = now + timedelta(seconds=lease_seconds)
        with self._transaction() as db:
            # SKIP LOCKED: another node's claim in progress is passed over, not waited on.
            row = db.execute(DIALECT.sql(q.CLAIM_DUE) + " FOR UPDATE SKIP LOCKED",
                             (now, now)).fetchone()
            if row is None:
                return None
            entry = q.outbox_entry(row, worker, until, DIALECT)
            db.execute(DIALECT.sql(q.CLAIM_ROW), (worker, until, entry.item_id))
            db.execute(DIALECT.sql(q.MARK_DELIVERING), (now, entry.item_id))
            if entry.taken_over:
                self._append_audit(db, now, worker, "lease-expired", entry.item_id, "",
                                   {"previous_owner": row[7], "attempt": row[4]})
        return entry

    def finish_delivery(self, item_id: str, worker: str, now: datetime, *,
                        replies: Mapping[str, tuple[int, str]], remaining: tuple[str, ...],
                        final_status: str | None, next_attempt: datetime | None,
                        error: str = "") -> bool:
        """Record an attempt's replies and outcome; False when it was no longer ours to record.

        A final outcome is recorded while the row is claimed by anyone (the upstream has
        answered; that must not be lost), a deferral only by the lease owner.
        """
        with self._transaction() as db:
            row = db.execute(f"SELECT {q.OUTCOME_COLUMNS} FROM outbox WHERE item_id = %s "
                             "FOR UPDATE", (item_id,)).fetchone()
            if row is None or row[0] != "claimed" or (final_status is None and row[1] != worker):
                return False
            merged, detail = q.attempt_outcome(row[2], row[3], replies)
            if final_status is None:
                db.execute(DIALECT.sql(q.DEFER_ROW), (json.dumps(list(remaining)), merged,
                                                      next_attempt or now, error, item_id))
                self._append_audit(db, now, worker, outcome_action(row[4], None), item_id, "", detail)
            else:
                db.execute(DIALECT.sql(q.FINISH_ROW),
                           ("done" if final_status == "delivered" else "failed",
                            json.dumps(list(remaining)), merged, error, item_id))
                db.execute(DIALECT.sql(q.FINISH_ITEM), (final_status, now, item_id))
                self._append_audit(db, now, worker, outcome_action(row[4], final_status), item_id,
                                   error, detail)
        return True

    def outbox_state(self, item_id: str) -> dict[str, object] | None:
        """The outbox row of an item (state, attempts, replies, error), or None."""
        with self._reading() as db:
            row = db.execute(DIALECT.sql(q.OUTBOX_STATE), (item_id,)).fetchone()
        return None if row is None else q.outbox_state(row, DIALECT)

    # -- uploads and retention ---------------------------------------------------------

    def upload_allowed(self, user: str, sha256: str, site: str, now: datetime) -> bool:
        """True when a released upload lets ``user`` send content with this SHA-256 to
        ``site`` now: the officer released it to the item's recipient, not to any host."""
        with self._reading() as db:
            row = db.execute(
                "SELECT 1 FROM allowances a JOIN items i ON i.id = a.item_id "
                "WHERE a.user_name = %s AND a.sha256 = %s AND a.until > %s "
                "AND i.recipients @> %s::jsonb LIMIT 1",
                (user, sha256, now, json.dumps([site]))).fetchone()
        return row is not None

    def pending_before(self, cutoff: datetime, limit: int = 1000) -> list[str]:
        """Ids of pending items received before ``cutoff`` (oldest first)."""
        with self._reading() as db:
            rows = db.execute("SELECT id FROM items WHERE status = 'pending' AND "
                                    "received < %s ORDER BY received LIMIT %s",
                                    (cutoff, limit)).fetchall()
        return [r[0] for r in rows]

    def purgeable_before(self, cutoff: datetime, limit: int = 1000,
                         statuses: Sequence[str] = PURGEABLE) -> list[str]:
        """Ids of decided items whose status last changed before ``cutoff``."""
        condition, args = q.purgeable_where(cutoff, DIALECT, statuses)
        with self._reading() as db:
            rows = db.execute(f"SELECT id FROM items WHERE {condition} "
                                    "ORDER BY received LIMIT %s", (*args, limit)).fetchall()
        return [r[0] for r in rows]

    def purge(self, item_id: str, actor: str, now: datetime, cutoff: datetime,
              statuses: Sequence[str] = PURGEABLE) -> bool:
        """Delete a decided (or monitored) item and its content (audited); False when no
        longer purgeable."""
        condition, args = q.purgeable_where(cutoff, DIALECT, statuses)
        with self._transaction() as db:
            row = db.execute(f"SELECT status, size, sha256 FROM items WHERE id = %s AND "
                             f"{condition} FOR UPDATE", (item_id, *args)).fetchone()
            if row is None:
                return False
            db.execute("DELETE FROM allowances WHERE item_id = %s", (item_id,))
            db.execute("DELETE FROM items WHERE id = %s", (item_id,))
            self._append_audit(db, now, actor, "purge", item_id, "",
                               {"status": row[0], "size": row[1], "sha256": row[2]})
        return True

    # -- reading ---------------------------------------------------------------------------

    def audit_head(self) -> tuple[int, str]:
        """(seq, hash) of the last entry as recorded on append; (0, GENESIS) when empty."""
        with self._reading() as db:
            row = db.execute("SELECT seq, hash FROM audit_head WHERE one = 1").fetchone()
        return (row[0], row[1]) if row else (0, GENESIS)

    def compact(self) -> str:
        """Rewrite the item tables so that no old row version keeps plaintext a
        re-encryption replaced (VACUUM FULL); what was done, for the operator."""
        with self._reading() as db:
            db.execute("VACUUM FULL items, contents")
        return ("rewrote the items and contents tables (VACUUM FULL); the server's WAL "
                "archive and older backups still hold what was there before")

    def close(self) -> None:
        """Close the pool's connections."""
        self._pool.close()
