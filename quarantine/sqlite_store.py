"""SQLite quarantine store: the embedded default, one file under the data dir.

WAL journal with ``synchronous=FULL``: a commit is on disk before ``hold`` returns, so
a listener may acknowledge the sender right after. Content is kept in the same
database as its item (one transaction, no orphan files), written in blocks from spool
files, and checked against its SHA-256 on every read.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from filters.types import SEVERITIES, Hit, severity_rank
from quarantine.store import (
    STATUSES,
    Decision,
    HoldRequest,
    IntegrityError,
    ItemQuery,
    NotFound,
    QuarantineItem,
    StoreError,
    new_item_id,
)

BLOCK = 1 << 20

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
)

_SORTS = {"received", "size", "sender", "subject", "status", "id"}


def _hit_to_json(hit: Hit) -> dict[str, object]:
    return {
        "rule": hit.rule, "category": hit.category, "severity": hit.severity,
        "where": hit.where, "excerpt": hit.excerpt,
        "span": list(hit.span) if hit.span else None,
        "description": hit.description, "action": hit.action,
    }


def _hit_from_json(raw: dict) -> Hit:
    span = raw.get("span")
    return Hit(rule=raw["rule"], category=raw["category"], severity=raw["severity"],
               where=raw["where"], excerpt=raw["excerpt"],
               span=(span[0], span[1]) if span else None,
               description=raw.get("description", ""), action=raw.get("action"))


def _time(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="microseconds")


class SqliteStore:
    """QuarantineStore on one SQLite database file (thread-safe; one writer at a time)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None,
                                       timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA foreign_keys=ON")
        except sqlite3.Error as exc:
            raise StoreError(f"quarantine database {self.path}: cannot open it ({exc})") from None
        self._lock = threading.RLock()
        self.migrate()

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
        categories = "," + ",".join(dict.fromkeys(h.category for h in hits)) + ","
        top = max((severity_rank(h.severity) for h in hits), default=0)
        item_id = new_item_id()
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                while self._db.execute("SELECT 1 FROM items WHERE id = ?", (item_id,)).fetchone():
                    item_id = new_item_id()
                self._db.execute(
                    "INSERT INTO items (id, kind, status, received, sender, recipients, subject, "
                    "size, sha256, verdict, hits, categories, top_severity, client, meta) "
                    "VALUES (?, ?, 'pending', ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?)",
                    (item_id, request.kind, _time(request.received), request.sender,
                     json.dumps(list(request.recipients)), request.subject, size,
                     request.verdict.action, json.dumps([_hit_to_json(h) for h in hits]),
                     categories, top, request.client, json.dumps(dict(request.meta))),
                )
                self._db.execute(
                    "INSERT INTO contents (item_id, data) VALUES (?, zeroblob(?))", (item_id, size)
                )
                digest = self._write_content(item_id, content)
                self._db.execute("UPDATE items SET sha256 = ? WHERE id = ?", (digest, item_id))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return self.get(item_id)

    def _write_content(self, item_id: str, content: bytes | Path) -> str:
        digest = hashlib.sha256()
        rowid = self._db.execute("SELECT rowid FROM contents WHERE item_id = ?",
                                 (item_id,)).fetchone()[0]
        with self._db.blobopen("contents", "data", rowid) as blob:
            if isinstance(content, Path):
                with content.open("rb") as f:
                    for block in iter(lambda: f.read(BLOCK), b""):
                        digest.update(block)
                        blob.write(block)
            else:
                digest.update(content)
                blob.write(content)
        return digest.hexdigest()

    def record_decision(self, item_id: str, decision: Decision, new_status: str,
                        *, expect_status: Sequence[str]) -> QuarantineItem:
        """Append ``decision`` and set ``new_status``, only from one of ``expect_status``."""
        if new_status not in STATUSES:
            raise StoreError(f"unknown status {new_status!r}")
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                row = self._db.execute("SELECT status FROM items WHERE id = ?", (item_id,)).fetchone()
                if row is None:
                    raise NotFound(f"no quarantine item {item_id}")
                if row[0] not in expect_status:
                    raise StoreError(f"item {item_id} is {row[0]}, not {' or '.join(expect_status)}")
                seq = self._db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM decisions "
                                       "WHERE item_id = ?", (item_id,)).fetchone()[0]
                self._db.execute(
                    "INSERT INTO decisions (item_id, seq, action, officer, at, comment) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (item_id, seq, decision.action, decision.officer, _time(decision.at),
                     decision.comment),
                )
                self._db.execute("UPDATE items SET status = ? WHERE id = ?", (new_status, item_id))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return self.get(item_id)

    # -- reading ---------------------------------------------------------------------------

    def get(self, item_id: str) -> QuarantineItem:
        """One item with its decisions; raises NotFound."""
        with self._lock:
            row = self._db.execute(
                "SELECT id, kind, status, received, sender, recipients, subject, size, sha256, "
                "verdict, hits, client, meta FROM items WHERE id = ?", (item_id,)
            ).fetchone()
            if row is None:
                raise NotFound(f"no quarantine item {item_id}")
            decisions = self._db.execute(
                "SELECT action, officer, at, comment FROM decisions WHERE item_id = ? ORDER BY seq",
                (item_id,),
            ).fetchall()
        return self._item(row, decisions)

    @staticmethod
    def _item(row: tuple, decisions: list[tuple]) -> QuarantineItem:
        return QuarantineItem(
            id=row[0], kind=row[1], status=row[2], received=datetime.fromisoformat(row[3]),
            sender=row[4], recipients=tuple(json.loads(row[5])), subject=row[6], size=row[7],
            sha256=row[8], verdict=row[9],
            hits=tuple(_hit_from_json(h) for h in json.loads(row[10])),
            decisions=tuple(Decision(action=a, officer=o, at=datetime.fromisoformat(t), comment=c)
                            for a, o, t, c in decisions),
            client=row[11], meta=json.loads(row[12]),
        )

    def content(self, item_id: str) -> bytes:
        """The original bytes; IntegrityError when they no longer match their SHA-256."""
        with self._lock:
            row = self._db.execute(
                "SELECT c.data, i.sha256 FROM contents c JOIN items i ON i.id = c.item_id "
                "WHERE c.item_id = ?", (item_id,)
            ).fetchone()
        if row is None:
            raise NotFound(f"no content for quarantine item {item_id}")
        data, expected = bytes(row[0]), row[1]
        if hashlib.sha256(data).hexdigest() != expected:
            raise IntegrityError(
                f"content of quarantine item {item_id} does not match its SHA-256: it was "
                "altered or damaged on disk; restore the database from backup"
            )
        return data

    def list(self, query: ItemQuery) -> tuple[list[QuarantineItem], int]:
        """One page of items matching ``query``, and the total that match."""
        where, args = [], []
        if query.status:
            where.append("status = ?")
            args.append(query.status)
        if query.kind:
            where.append("kind = ?")
            args.append(query.kind)
        if query.category:
            where.append("categories LIKE ?")
            args.append(f"%,{query.category},%")
        if query.min_severity:
            where.append("top_severity >= ?")
            args.append(SEVERITIES.index(query.min_severity)
                        if query.min_severity in SEVERITIES else 0)
        if query.sender:
            where.append("sender LIKE ?")
            args.append(f"%{query.sender}%")
        if query.since:
            where.append("received >= ?")
            args.append(_time(query.since))
        if query.until:
            where.append("received < ?")
            args.append(_time(query.until))
        if query.search:
            where.append("(id LIKE ? OR sender LIKE ? OR recipients LIKE ? OR subject LIKE ?)")
            args.extend([f"%{query.search}%"] * 4)
        clause = (" WHERE " + " AND ".join(where)) if where else ""
        field = query.sort.lstrip("-")
        if field not in _SORTS:
            raise StoreError(f"cannot sort by {field!r}; use one of {', '.join(sorted(_SORTS))}")
        order = f" ORDER BY {field} {'DESC' if query.sort.startswith('-') else 'ASC'}, id"
        with self._lock:
            total = self._db.execute(f"SELECT COUNT(*) FROM items{clause}", args).fetchone()[0]
            ids = [r[0] for r in self._db.execute(
                f"SELECT id FROM items{clause}{order} LIMIT ? OFFSET ?",
                [*args, query.limit, query.offset]).fetchall()]
        return [self.get(i) for i in ids], total

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()
