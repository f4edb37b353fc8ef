"""SQL and row mapping shared by the SQLite and PostgreSQL quarantine stores.

Pure functions and statements only: each backend keeps its own connection, transactions
and locking (``BEGIN IMMEDIATE`` on SQLite, row locks on PostgreSQL) and passes its
``Dialect`` for what differs between the two: the parameter mark, how times and JSON are
stored, and how a case-insensitive match is written. Statements here are written with
``?`` marks; ``Dialect.sql`` puts them in the backend's style.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from filters.types import SEVERITIES, Hit, severity_rank
from quarantine.audit import AuditEntry, entry_hash
from quarantine.outbox import OutboxEntry
from quarantine.store import (
    PURGEABLE,
    Decision,
    IntegrityError,
    ItemQuery,
    NotFound,
    QuarantineItem,
    StoreError,
    hit_from_json,
    hit_to_json,
)

if TYPE_CHECKING:
    from quarantine.sealing import Keyring, KeySource

SORTS = frozenset({"received", "size", "sender", "subject", "status", "id"})


@dataclass(frozen=True, slots=True)
class Dialect:
    """What one backend's SQL and stored values look like where the two differ."""

    mark: str  # parameter placeholder: "?" (sqlite3) or "%s" (psycopg)
    like: str  # case-insensitive match (SQLite's LIKE already is, for ASCII)
    recipients_text: str  # the recipients column as text to search in
    time: Callable[[datetime], Any]  # a time as a query parameter
    read_time: Callable[[Any], datetime]  # a stored time back
    read_json: Callable[[Any], Any]  # a stored JSON column back (jsonb arrives decoded)
    time_text: Callable[[Any], str]  # a stored time as text, for display

    def sql(self, statement: str) -> str:
        """``statement``, written with ``?`` marks, in this backend's parameter style."""
        return statement if self.mark == "?" else statement.replace("?", self.mark)


# -- items ---------------------------------------------------------------------------

ITEM_COLUMNS = ("id, kind, status, received, sender, recipients, subject, size, sha256, "
                "verdict, hits, client, meta, key_id, sealed_hits, sealed_subject")
DECISION_COLUMNS = "action, officer, at, comment"


def hit_summary(hits: Sequence[Hit]) -> tuple[str, int]:
    """The ``categories`` (",a,b,", for LIKE) and ``top_severity`` columns of an item."""
    categories = "," + ",".join(dict.fromkeys(h.category for h in hits)) + ","
    top = max((severity_rank(h.severity) for h in hits), default=0)
    return categories, top


def hits_columns(item_id: str, hits: Sequence[Hit], keyring: Keyring) -> tuple[str, bytes]:
    """(``hits`` column, ``sealed_hits`` column) of an item sealed with ``keyring``'s current key.

    The whole hits are sealed; the readable column keeps what lists and filters need
    (rule id, category, severity, action) and leaves out what shows the content: the
    excerpt, its span, where it was found (which may be an attachment's name) and the
    rule's description (which often quotes the marking it finds).
    """
    full = json.dumps([hit_to_json(h) for h in hits])
    shown = json.dumps([{**hit_to_json(h), "where": "", "excerpt": "", "span": None,
                         "description": ""} for h in hits])
    return shown, keyring.seal(item_id, "hits", full.encode())


def subject_columns(item_id: str, subject: str, keyring: Keyring) -> tuple[str, bytes, str]:
    """(``subject``, ``sealed_subject``, ``subject_index`` columns) of an item sealed with
    ``keyring``'s current key: the readable column stays empty, the subject (an upload's
    URL, query string and all) is sealed, and the index holds keyed digests of its words
    (" d1 d2 … ", so that a word is found with LIKE '% d %')."""
    tokens = keyring.index_tokens(keyring.current, subject)
    return "", keyring.seal(item_id, "subject", subject.encode("utf-8", "surrogatepass")), \
        " " + " ".join(tokens) + " "


def item_from_row(row: Sequence[Any], decisions: Sequence[Sequence[Any]],
                  dialect: Dialect, keys: Callable[[str], Keyring] | None = None) -> QuarantineItem:
    """A QuarantineItem from a row of ``ITEM_COLUMNS`` and its ``DECISION_COLUMNS`` rows;
    ``keys(key_id)`` gives the keyring that opens sealed hits (rows from before sealing
    have none)."""
    hits = dialect.read_json(row[10])
    if row[13] is not None and row[14] is not None:
        if keys is None:
            raise StoreError(f"quarantine item {row[0]} is sealed and no content key was given")
        hits = json.loads(keys(row[13]).open(row[13], row[0], "hits", bytes(row[14])))
    subject = row[6]
    if row[13] is not None and row[15] is not None:
        assert keys is not None
        subject = keys(row[13]).open(row[13], row[0], "subject", bytes(row[15])).decode(
            "utf-8", "surrogatepass")
    return QuarantineItem(
        id=row[0], kind=row[1], status=row[2],
        received=dialect.read_time(row[3]).astimezone(UTC), sender=row[4],
        recipients=tuple(dialect.read_json(row[5])), subject=subject, size=row[7],
        sha256=row[8], verdict=row[9],
        hits=tuple(hit_from_json(h) for h in hits),
        decisions=tuple(Decision(action=a, officer=o, at=dialect.read_time(t).astimezone(UTC),
                                 comment=c) for a, o, t, c in decisions),
        client=row[11], meta=dialect.read_json(row[12]),
    )


def item_where(query: ItemQuery, dialect: Dialect,
               subject_tokens: Mapping[str, Sequence[str]] | None = None
               ) -> tuple[str, list[Any]]:
    """The WHERE clause (empty when nothing filters) and its arguments for ``query``.

    ``subject_tokens`` maps each content key id to the index digests of the search's
    words under it: a sealed subject matches when it has every word of the search.
    """
    like, where, args = dialect.like, [], []
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
        where.append(f"sender {like} ?")
        args.append(f"%{query.sender}%")
    if query.since:
        where.append("received >= ?")
        args.append(dialect.time(query.since))
    if query.until:
        where.append("received < ?")
        args.append(dialect.time(query.until))
    if query.search:
        # Items stored before subjects were sealed still match by their readable subject.
        found = [f"id {like} ?", f"sender {like} ?", f"{dialect.recipients_text} {like} ?",
                 f"subject {like} ?"]
        args.extend([f"%{query.search}%"] * 4)
        for key_id, tokens in (subject_tokens or {}).items():
            if tokens:
                found.append("(key_id = ? AND " + " AND ".join(
                    ["subject_index LIKE ?"] * len(tokens)) + ")")
                args.extend([key_id, *(f"% {t} %" for t in tokens)])
        where.append("(" + " OR ".join(found) + ")")
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    return dialect.sql(clause), args


def item_order(query: ItemQuery) -> str:
    """The ORDER BY of ``query`` (whitelisted field, ties broken by id); StoreError if unknown."""
    field = query.sort.lstrip("-")
    if field not in SORTS:
        raise StoreError(f"cannot sort by {field!r}; use one of {', '.join(sorted(SORTS))}")
    return f" ORDER BY {field} {'DESC' if query.sort.startswith('-') else 'ASC'}, id"


def list_statements(query: ItemQuery, dialect: Dialect,
                    subject_tokens: Mapping[str, Sequence[str]] | None = None
                    ) -> tuple[str, str, list[Any]]:
    """(count statement, page-of-ids statement, filter arguments) for ``ItemQuery``.

    The page statement takes the filter arguments followed by the limit and offset.
    """
    clause, args = item_where(query, dialect, subject_tokens)
    order = item_order(query)
    return (f"SELECT COUNT(*) FROM items{clause}",
            dialect.sql(f"SELECT id FROM items{clause}{order} LIMIT ? OFFSET ?"), args)


def purgeable_where(cutoff: datetime, dialect: Dialect,
                    statuses: Sequence[str] = PURGEABLE) -> tuple[str, list[Any]]:
    """Condition and arguments: in one of ``statuses`` (decided, by default) since before
    ``cutoff`` and with no delivery to come."""
    marks = ", ".join(["?"] * len(statuses))
    return (dialect.sql(f"status IN ({marks}) AND COALESCE(status_changed, received) < ? "
                        "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.item_id = items.id "
                        "AND o.state IN ('queued', 'claimed'))"),
            [*statuses, dialect.time(cutoff)])


# -- decisions -----------------------------------------------------------------------

INSERT_DECISION = ("INSERT INTO decisions (item_id, seq, action, officer, at, comment) "
                   "VALUES (?, ?, ?, ?, ?, ?)")
NEXT_DECISION_SEQ = "SELECT COALESCE(MAX(seq), 0) + 1 FROM decisions WHERE item_id = ?"
SET_STATUS = "UPDATE items SET status = ?, status_changed = ? WHERE id = ?"
QUEUE_DELIVERY = ("INSERT INTO outbox (item_id, state, sender, recipients, created, "
                  "next_attempt) VALUES (?, 'queued', ?, ?, ?, ?)")
QUEUE_NOTICE = ("INSERT INTO outbox (item_id, state, kind, sender, recipients, message, "
                "created, next_attempt) VALUES (?, 'queued', 'notice', ?, ?, ?, ?, ?)")

# -- delivery outbox -------------------------------------------------------------------

CLAIM_DUE = ("SELECT item_id, state, sender, recipients, attempts, created, replies, "
             "lease_owner, kind, message FROM outbox WHERE (state = 'queued' AND "
             "next_attempt <= ?) OR (state = 'claimed' AND lease_until < ?) "
             "ORDER BY next_attempt LIMIT 1")
CLAIM_ROW = ("UPDATE outbox SET state = 'claimed', lease_owner = ?, lease_until = ?, "
             "attempts = attempts + 1 WHERE item_id = ?")
MARK_DELIVERING = ("UPDATE items SET status = 'delivering', status_changed = ? "
                   "WHERE id = ? AND status = 'released'")
OUTCOME_COLUMNS = "state, lease_owner, replies, attempts, kind"
DEFER_ROW = ("UPDATE outbox SET state = 'queued', lease_owner = '', lease_until = NULL, "
             "recipients = ?, replies = ?, next_attempt = ?, error = ? WHERE item_id = ?")
FINISH_ROW = ("UPDATE outbox SET state = ?, lease_until = NULL, recipients = ?, replies = ?, "
              "error = ? WHERE item_id = ?")
FINISH_ITEM = ("UPDATE items SET status = ?, status_changed = ? WHERE id = ? "
               "AND status IN ('released', 'delivering')")
OUTBOX_STATE = ("SELECT state, attempts, replies, error, lease_owner, next_attempt, kind "
                "FROM outbox WHERE item_id = ?")


def outbox_entry(row: Sequence[Any], worker: str, until: datetime,
                 dialect: Dialect) -> OutboxEntry:
    """The OutboxEntry for a ``CLAIM_DUE`` row now leased to ``worker`` until ``until``."""
    (item_id, state, sender, recipients, attempts, created, replies, _previous, kind,
     message) = row
    return OutboxEntry(
        item_id=item_id, sender=sender, recipients=tuple(dialect.read_json(recipients)),
        attempts=attempts + 1, created=dialect.read_time(created), lease_owner=worker,
        lease_until=until,
        replies={k: (v[0], v[1]) for k, v in dialect.read_json(replies).items()},
        taken_over=state == "claimed", kind=kind, message=bytes(message) if message else None,
    )


def attempt_outcome(stored_replies: Mapping[str, Any], attempt: int,
                    replies: Mapping[str, tuple[int, str]]) -> tuple[str, dict[str, object]]:
    """(replies column merged with this attempt's as JSON, audit detail of the attempt)."""
    merged = {**stored_replies, **{k: list(v) for k, v in replies.items()}}
    detail = {"attempt": attempt, "replies": {k: v[0] for k, v in replies.items()}}
    return json.dumps(merged), detail


def outbox_state(row: Sequence[Any], dialect: Dialect) -> dict[str, object]:
    """The ``outbox_state`` dict from an ``OUTBOX_STATE`` row."""
    return {"state": row[0], "attempts": row[1], "replies": dialect.read_json(row[2]),
            "error": row[3], "lease_owner": row[4], "next_attempt": dialect.time_text(row[5]),
            "kind": row[6]}


# -- audit log -----------------------------------------------------------------------

AUDIT_COLUMNS = "seq, at, actor, action, item_id, comment, detail, prev_hash, hash"


def audit_insert(seq: int, prev: str, at: datetime, actor: str, action: str, item_id: str,
                 comment: str, detail: Mapping[str, object],
                 dialect: Dialect) -> tuple[str, tuple[Any, ...], str]:
    """(statement, arguments, hash) that append chain entry ``seq`` after hash ``prev``."""
    digest = entry_hash(prev, seq, at, actor, action, item_id, comment, detail)
    statement = dialect.sql(f"INSERT INTO audit ({AUDIT_COLUMNS}) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
    return (statement, (seq, dialect.time(at), actor, action, item_id, comment,
                        json.dumps(dict(detail)), prev, digest), digest)


def audit_query(item_id: str | None, dialect: Dialect,
                after_seq: int = 0) -> tuple[str, tuple[Any, ...]]:
    """The statement and arguments listing audit entries in order (all, or one item's),
    from entry ``after_seq`` + 1 on."""
    if item_id:
        return (dialect.sql(f"SELECT {AUDIT_COLUMNS} FROM audit WHERE item_id = ? AND seq > ? "
                            "ORDER BY seq"), (item_id, after_seq))
    return dialect.sql(f"SELECT {AUDIT_COLUMNS} FROM audit WHERE seq > ? ORDER BY seq"), (after_seq,)


def audit_page_queries(item_id: str | None, limit: int, offset: int,
                       dialect: Dialect) -> tuple[tuple[str, tuple[Any, ...]], tuple[str, tuple[Any, ...]]]:
    """(page, count) statements: one page of audit entries newest first, and how many match."""
    where, args = ("WHERE item_id = ?", (item_id,)) if item_id else ("", ())
    page = dialect.sql(f"SELECT {AUDIT_COLUMNS} FROM audit {where} ORDER BY seq DESC "
                       "LIMIT ? OFFSET ?")
    return (page, (*args, limit, offset)), (dialect.sql(f"SELECT COUNT(*) FROM audit {where}"), args)


SAME_MESSAGE = ("SELECT id, recipients FROM items WHERE sha256 = ? AND kind = ? AND sender = ? "
                "AND status = ? ORDER BY received LIMIT 20")


# -- content keys ----------------------------------------------------------------------

KEYS_REGISTERED = "SELECT key_id, check_value, retired FROM content_keys"
REGISTER_KEY = "INSERT INTO content_keys (key_id, check_value, added) VALUES (?, ?, ?)"
UNRETIRE_KEY = "UPDATE content_keys SET retired = NULL WHERE key_id = ?"
RETIRE_KEY = "UPDATE content_keys SET retired = ? WHERE key_id = ? AND retired IS NULL"
KEY_USE = "SELECT key_id, COUNT(*) FROM items GROUP BY key_id"
KEY_IN_USE = "SELECT 1 FROM items WHERE key_id = ? LIMIT 1"
NOT_SEALED_WITH = ("SELECT id FROM items WHERE (key_id IS NULL OR key_id <> ? OR "
                   "sealed_subject IS NULL) AND id > ? ORDER BY id LIMIT ?")
# Items whose content was not kept (monitored ones) have hits and a subject to seal too.
RESEAL_READ = ("SELECT i.key_id, i.hits, i.sealed_hits, i.sha256, c.data, i.subject, "
               "i.sealed_subject FROM items i LEFT JOIN contents c ON c.item_id = i.id "
               "WHERE i.id = ?")
RESEAL_ITEM = ("UPDATE items SET key_id = ?, hits = ?, sealed_hits = ?, subject = ?, "
               "sealed_subject = ?, subject_index = ? WHERE id = ?")
RESEAL_CONTENT = "UPDATE contents SET data = ? WHERE item_id = ?"


class SharedReads:
    """Reads alike on both backends (items, content, the audit log, content keys): a store
    class sets ``_dialect`` and has ``_reading()``, a context that lends a connection (with
    ``execute``) and turns the backend's connection failures into StoreError, and
    ``_transaction()``, the same in one write transaction that serialises writers."""

    _dialect: Dialect
    _reading: Callable[[], AbstractContextManager[Any]]
    _transaction: Callable[[], AbstractContextManager[Any]]
    _row_lock: str = ""  # appended to a SELECT that reads a row it then rewrites
    _keys_lock: str = ""  # a statement serialising key registration between nodes
    key_source: KeySource
    keyring: Keyring
    now: Callable[[], datetime]

    # -- content keys -------------------------------------------------------------------

    def _load_keys(self, db: Any) -> Keyring:
        """Read the key source and check it against the keys this database registered
        (registering new ones); call inside a write transaction, so that nodes starting
        together register one after the other."""
        from quarantine.sealing import check_registered

        rows = db.execute(KEYS_REGISTERED).fetchall()
        keyring = self.key_source.read(row[0] for row in rows)
        active = {key_id: check for key_id, check, retired in rows if retired is None}
        retired = {key_id: check for key_id, check, when in rows if when is not None}
        for key_id in check_registered(keyring, active):
            if key_id in retired:
                # A retired key back in the source is used again only when it seals new
                # content (it is the last line), and only if it is the same key.
                if key_id == keyring.current:
                    check_registered(keyring, {key_id: retired[key_id]})
                    db.execute(self._dialect.sql(UNRETIRE_KEY), (key_id,))
                continue
            db.execute(self._dialect.sql(REGISTER_KEY),
                       (key_id, keyring.check_value(key_id), self._dialect.time(self.now())))
        return keyring

    def reload_keys(self) -> Keyring:
        """Read the key source again (after a rotation); the keyring now in use."""
        with self._transaction() as db:
            if self._keys_lock:
                db.execute(self._keys_lock)
            self.keyring = self._load_keys(db)
        return self.keyring

    def _keys_for(self, key_id: str) -> Keyring:
        """The keyring, read again first when it lacks ``key_id`` (rotated by another
        process since this one started)."""
        if key_id not in self.keyring.keys:
            with suppress(StoreError):  # the open that follows names the missing key
                self.reload_keys()
        return self.keyring

    def key_use(self) -> dict[str | None, int]:
        """How many items each key id seals (None: items stored before sealing)."""
        with self._reading() as db:
            return {key_id: int(count) for key_id, count in db.execute(KEY_USE).fetchall()}

    def unsealed_items(self) -> int:
        """How many items were stored before sealing and are not sealed yet."""
        with self._reading() as db:
            return int(db.execute("SELECT COUNT(*) FROM items WHERE key_id IS NULL"
                                  ).fetchone()[0])

    def readable_subjects(self) -> int:
        """How many sealed items keep a readable subject (stored before subjects were
        sealed): `redline keys reencrypt` seals those too."""
        with self._reading() as db:
            return int(db.execute("SELECT COUNT(*) FROM items WHERE key_id IS NOT NULL AND "
                                  "sealed_subject IS NULL").fetchone()[0])

    def registered_keys(self) -> list[tuple[str, bool]]:
        """(key id, retired) of every key this database registered."""
        with self._reading() as db:
            return [(key_id, retired is not None)
                    for key_id, _check, retired in db.execute(KEYS_REGISTERED).fetchall()]

    def retire_key(self, key_id: str) -> None:
        """Mark ``key_id`` retired: no node needs it any more (StoreError while it seals
        an item, or seals new content)."""
        with self._transaction() as db:
            if key_id == self.keyring.current:
                raise StoreError(f"content key {key_id} seals new content; rotate to a new key "
                                 "first (`redline keys rotate`)")
            if db.execute(self._dialect.sql(KEY_IN_USE), (key_id,)).fetchone():
                raise StoreError(f"content key {key_id} still seals items; run `redline keys "
                                 "reencrypt` first")
            done = db.execute(self._dialect.sql(RETIRE_KEY), (self._dialect.time(self.now()),
                                                              key_id))
            if done.rowcount == 0:
                raise StoreError(f"no active content key {key_id} in this database; "
                                 "`redline keys status` lists them")

    def not_sealed_with_current(self, after: str = "", limit: int = 100) -> list[str]:
        """Ids (in order, after ``after``) of items not sealed with the current key."""
        with self._reading() as db:
            rows = db.execute(self._dialect.sql(NOT_SEALED_WITH),
                              (self.keyring.current, after, limit)).fetchall()
        return [row[0] for row in rows]

    def reseal(self, item_id: str) -> bool:
        """Seal one item's content, hits and subject again with the current key (also an
        item from before sealing, or from before subjects were sealed); False when it
        already is, or is gone. The content is checked against its SHA-256 first: damaged
        content is never sealed as if it were whole."""
        with self._reading() as db:
            row = db.execute(self._dialect.sql(
                "SELECT key_id, sealed_subject IS NOT NULL FROM items WHERE id = ?"),
                (item_id,)).fetchone()
        if row is None or (row[0] == self.keyring.current and row[1]):
            return False
        if row[0] is not None:
            self._keys_for(row[0])  # outside the write transaction: it may read keys again
        with self._transaction() as db:
            row = db.execute(self._dialect.sql(RESEAL_READ + self._row_lock),
                             (item_id,)).fetchone()
            if row is None or (row[0] == self.keyring.current and row[6] is not None):
                return False
            key_id, hits, sealed_hits, expected, data, subject, sealed_subject = row
            data = None if data is None else bytes(data)
            keyring = self.keyring
            if key_id is not None:
                hits = json.loads(keyring.open(key_id, item_id, "hits", bytes(sealed_hits)))
                if data is not None:
                    data = keyring.open(key_id, item_id, "content", data)
                if sealed_subject is not None:
                    subject = keyring.open(key_id, item_id, "subject",
                                           bytes(sealed_subject)).decode("utf-8",
                                                                         "surrogatepass")
            else:
                hits = self._dialect.read_json(hits)
            if data is not None:
                _check_digest(item_id, data, expected)
            shown, sealed = hits_columns(item_id, [hit_from_json(h) for h in hits], keyring)
            db.execute(self._dialect.sql(RESEAL_ITEM),
                       (keyring.current, shown, sealed,
                        *subject_columns(item_id, subject, keyring), item_id))
            if data is not None:
                db.execute(self._dialect.sql(RESEAL_CONTENT),
                           (keyring.seal(item_id, "content", data), item_id))
        return True

    # -- items --------------------------------------------------------------------------

    def get(self, item_id: str) -> QuarantineItem:
        """One item with its decisions; raises NotFound."""
        with self._reading() as db:
            row = db.execute(self._dialect.sql(f"SELECT {ITEM_COLUMNS} FROM items "
                                                     "WHERE id = ?"), (item_id,)).fetchone()
            if row is None:
                raise NotFound(f"no quarantine item {item_id}")
            decisions = db.execute(self._dialect.sql(
                f"SELECT {DECISION_COLUMNS} FROM decisions WHERE item_id = ? ORDER BY seq"),
                (item_id,)).fetchall()
        return item_from_row(row, decisions, self._dialect, self._keys_for)

    def content(self, item_id: str) -> bytes:
        """The original bytes (opened when sealed); IntegrityError when they do not open or
        no longer match their SHA-256."""
        with self._reading() as db:
            row = db.execute(self._dialect.sql(
                "SELECT c.data, i.sha256, i.key_id FROM contents c JOIN items i "
                "ON i.id = c.item_id WHERE c.item_id = ?"), (item_id,)).fetchone()
        if row is None:
            raise NotFound(f"no content for quarantine item {item_id}")
        data, expected, key_id = bytes(row[0]), row[1], row[2]
        if key_id is not None:
            data = self._keys_for(key_id).open(key_id, item_id, "content", data)
        _check_digest(item_id, data, expected)
        return data

    def list(self, query: ItemQuery) -> tuple[list[QuarantineItem], int]:
        """One page of items matching ``query``, and the total that match.

        Sealed subjects are searched through their blind index (whole words) and, for a
        sort by subject, opened and sorted here: SQL sees no subject to order by.
        """
        tokens = ({key_id: self.keyring.index_tokens(key_id, query.search)
                   for key_id in self.keyring.keys} if query.search else None)
        count, page, args = list_statements(query, self._dialect, tokens)
        by_subject = query.sort.lstrip("-") == "subject"
        with self._reading() as db:
            total = db.execute(count, args).fetchone()[0]
            if by_subject:
                rows = db.execute(count.replace(
                    "SELECT COUNT(*) FROM items",
                    "SELECT id, key_id, subject, sealed_subject FROM items", 1), args).fetchall()
            else:
                ids = [r[0] for r in db.execute(page, [*args, query.limit,
                                                             query.offset]).fetchall()]
        if by_subject:  # opened outside the read: opening may read the key source again
            ids = self._page_by_subject(rows, query)
        return [self.get(i) for i in ids], total

    def _page_by_subject(self, rows: Sequence[Sequence[Any]], query: ItemQuery) -> list[str]:
        """The ids of ``query``'s page of ``rows`` (id, key_id, subject, sealed_subject of
        every match) in subject order."""
        subjects = []
        for item_id, key_id, subject, sealed in rows:
            if key_id is not None and sealed is not None:
                subject = self._keys_for(key_id).open(key_id, item_id, "subject",
                                                      bytes(sealed)).decode("utf-8",
                                                                            "surrogatepass")
            subjects.append((subject.casefold(), item_id))
        subjects.sort(reverse=query.sort.startswith("-"))
        return [item_id for _, item_id in subjects[query.offset:query.offset + query.limit]]

    def same_message(self, kind: str, sender: str, recipients: Sequence[str], sha256: str,
                     status: str = "pending") -> str | None:
        """The id of an item in ``status`` with these bytes, sender and recipients, or None."""
        with self._reading() as db:
            rows = db.execute(self._dialect.sql(SAME_MESSAGE),
                              (sha256, kind, sender, status)).fetchall()
        wanted = list(recipients)
        for item_id, stored in rows:
            if self._dialect.read_json(stored) == wanted:
                return str(item_id)
        return None

    def audit_entries(self, item_id: str | None = None, *,
                      after_seq: int = 0) -> Iterator[AuditEntry]:
        """Audit entries in order (all, or those about one item), after entry ``after_seq``."""
        statement, args = audit_query(item_id, self._dialect, after_seq)
        with self._reading() as db:
            rows = db.execute(statement, args).fetchall()
        for row in rows:
            yield audit_entry(row, self._dialect)

    def audit_page(self, item_id: str | None, limit: int,
                   offset: int) -> tuple[list[AuditEntry], int]:
        """One page of audit entries, newest first (all, or one item's), and how many match."""
        (page, page_args), (count, count_args) = audit_page_queries(item_id, limit, offset,
                                                                    self._dialect)
        with self._reading() as db:
            rows = db.execute(page, page_args).fetchall()
            total = db.execute(count, count_args).fetchone()[0]
        return [audit_entry(row, self._dialect) for row in rows], int(total)


def _check_digest(item_id: str, data: bytes, expected: str) -> None:
    if hashlib.sha256(data).hexdigest() != expected:
        raise IntegrityError(
            f"content of quarantine item {item_id} does not match its SHA-256: it was "
            "altered or damaged in the database; restore it from backup")


def audit_entry(row: Sequence[Any], dialect: Dialect) -> AuditEntry:
    """An AuditEntry from a row of ``AUDIT_COLUMNS``."""
    seq, at, actor, action, item, comment, detail, prev, digest = row
    return AuditEntry(seq=seq, at=dialect.read_time(at), actor=actor, action=action, item_id=item,
                      comment=comment, detail=json.loads(detail), prev_hash=prev, hash=digest)
