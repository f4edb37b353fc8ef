"""Officer accounts, API tokens and UI sessions, kept in the quarantine database.

Passwords are argon2id hashes (argon2-cffi's defaults: 64 MiB, 3 passes); API tokens and
session ids are stored only as SHA-256 digests, so a copy of the database does not log
anyone in. The tables come from the stores' own schema migrations; this module opens its
own connection to the same database (SQLite file or PostgreSQL schema), so a gateway
node's item store and its user store never wait on each other's lock.

Account changes (add, password, disable, enable, token creation and revocation) and every
sign-in attempt are appended to the audit hash chain in the same transaction, under item
id ``user:NAME``. All calls block: the web UI runs them with ``asyncio.to_thread``.
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import re
import secrets
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from filters.errors import RedlineError

ROLES = ("officer", "auditor", "admin", "sender")
# What each role may do: auditors read, officers read and decide, admins manage accounts
# and read the audit log. Admins do not decide: account power and release power stay apart.
# Senders only authenticate to the SMTP listener (SMTP AUTH); they never see the quarantine.
PERMISSIONS: dict[str, frozenset[str]] = {
    "auditor": frozenset({"read", "audit"}),
    "officer": frozenset({"read", "decide"}),
    "admin": frozenset({"read", "audit", "admin"}),
    "sender": frozenset({"send"}),
}
NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._@-]{0,63}")
MIN_PASSWORD = 10
TOKEN_PREFIX = "rl_"
USER_ITEM = "user:"  # audit entries about an account carry item id "user:NAME"
USER_COLUMNS = ("name, role, created, disabled, addresses, changed_at, changed_by, "
                "confirmed_by")
USER_COLUMNS_U = ", ".join("u." + c.strip() for c in USER_COLUMNS.split(","))

_hasher = PasswordHasher()  # argon2id
# Verified against when the user does not exist, so a wrong name costs as long as a
# wrong password and response times do not tell which names exist.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


class UserError(RedlineError):
    """A user operation was refused (bad name, role or password; unknown or existing user)."""


@dataclass(frozen=True, slots=True)
class User:
    """An account that may sign in to the officer UI or call the JSON API."""

    name: str
    role: str
    created: datetime
    disabled: bool = False
    # The officer's own mail addresses: an item any of them sent is not theirs to decide.
    addresses: tuple[str, ...] = ()
    # The last change someone else made that lets them act as this account (created it,
    # set its password, issued it a token), and the second admin who confirmed it.
    changed_at: datetime | None = None
    changed_by: str = ""
    confirmed_by: str = ""

    def can(self, permission: str) -> bool:
        """True when this user's role grants ``permission`` (read, decide, audit, admin)."""
        return not self.disabled and permission in PERMISSIONS.get(self.role, frozenset())

    def four_eyes_refusal(self, now: datetime, delay: timedelta) -> str | None:
        """Why this account may not yet be one of the two officers of a four-eyes release.

        Whoever created the account, set its password or issued it a token can act as
        it; an admin who did that for two officers would be both pairs of eyes. So such an
        account counts only once ``delay`` has passed since the change (time for the
        audit log and its alert to be seen) or a second admin has confirmed it.
        """
        if self.changed_at is None or self.confirmed_by or now >= self.changed_at + delay:
            return None
        ready = self.changed_at + delay
        return (f"account {self.name} was set up by {self.changed_by or 'someone else'} at "
                f"{self.changed_at:%Y-%m-%d %H:%M} UTC; under four-eyes it counts from "
                f"{ready:%Y-%m-%d %H:%M} UTC, or once a second admin confirms it "
                f"('redline user confirm {self.name} --as ADMIN')")

    @property
    def change_id(self) -> str:
        """The identity of this account's last change by someone else ("" when none).

        What a confirming admin was shown is named by this id (the UI's form, the
        command line's ``--change``): a digest of who changed which account when, so any
        later change, by the same admin or another, has a different id.
        """
        if self.changed_at is None:
            return ""
        stamp = self.changed_at.astimezone(UTC).isoformat(timespec="microseconds")
        return "ch-" + hashlib.sha256(f"{self.name}\0{stamp}\0{self.changed_by}".encode()
                                      ).hexdigest()[:12]

    def as_dict(self) -> dict[str, object]:
        """The JSON form (the JSON API's user list)."""
        return {"name": self.name, "role": self.role, "created": self.created.isoformat(),
                "disabled": self.disabled, "addresses": list(self.addresses),
                "changed_at": self.changed_at.isoformat() if self.changed_at else None,
                "changed_by": self.changed_by, "confirmed_by": self.confirmed_by,
                "change_id": self.change_id}


# What the last change by someone else to an account was, as its audit entry names it.
CHANGE_ACTIONS = {"user-add": "created the account", "user-password": "set its password",
                  "token-create": "issued it an API token"}


@dataclass(frozen=True, slots=True)
class AccountChange:
    """A change to a deciding account that awaits a second admin, as it is shown to one."""

    user: User
    what: str  # "created the account", "set its password", ...
    effective: datetime  # when it counts under four-eyes without a confirmation

    @property
    def id(self) -> str:
        """What a confirmation names (``User.change_id``)."""
        return self.user.change_id

    def describe(self) -> str:
        """One line for the command line: the account, who did what, when it counts."""
        user = self.user
        return (f"account {user.name} ({user.role}): {user.changed_by or 'someone'} "
                f"{self.what} at {user.changed_at:%Y-%m-%d %H:%M:%S} UTC; without a "
                f"confirmation it counts under four-eyes from "
                f"{self.effective:%Y-%m-%d %H:%M} UTC (change {self.id})")


@dataclass(frozen=True, slots=True)
class Session:
    """A signed-in browser: whose it is, its CSRF token and when it ends."""

    user: User
    csrf: str
    expires: datetime


def confirmer_refusal(admin: User, now: datetime, delay: timedelta) -> str | None:
    """Why ``admin`` may not yet confirm someone else's account change, or None.

    Whoever set up the admin account (created it, set its password, issued it a token)
    can act as it, so it vouches for nobody until it counts itself: ``delay`` after that
    change, or once another admin has confirmed it.
    """
    if admin.changed_at is None or admin.confirmed_by or now >= admin.changed_at + delay:
        return None
    ready = admin.changed_at + delay
    by = admin.changed_by or "someone else"
    return (f"your account {admin.name} was itself set up by {by} at "
            f"{admin.changed_at:%Y-%m-%d %H:%M} UTC, so it confirms account changes only from "
            f"{ready:%Y-%m-%d %H:%M} UTC, or once another admin confirms it")


def normalise_name(name: str) -> str:
    """A user name as stored (lower case); UserError when it is not a valid name."""
    value = name.strip().casefold()
    if not NAME_PATTERN.fullmatch(value):
        raise UserError(f"user name {name!r}: use 1-64 letters, digits, '.', '_', '@' or '-', "
                        "starting with a letter or digit")
    return value


def normalise_actor(actor: str | None) -> str:
    """Who makes a change, as recorded: an account name, or the OS user on the host."""
    raw = actor if actor is not None else default_actor()
    try:
        return normalise_name(raw)
    except UserError:
        return raw.strip().casefold() or "system"


def normalise_address(address: str) -> str:
    """A mail address as compared for "is this the officer's own": the address inside any
    display name or comment, lower case, without a +tag on its local part."""
    _, spec = parseaddr(address.strip())
    spec = (spec or address).strip().strip("<>").casefold()
    local, at, domain = spec.rpartition("@")
    if not at:
        return spec
    return f"{local.split('+', 1)[0].strip(chr(34))}@{domain}"


def normalise_addresses(addresses: Sequence[str]) -> list[str]:
    """``addresses`` normalised, without duplicates; UserError for one that is no address."""
    out: list[str] = []
    for raw in addresses:
        for piece in raw.split(","):
            if not piece.strip():
                continue
            value = normalise_address(piece)
            if not re.fullmatch(r"[^@\s,]+@[^@\s,]+\.[^@\s,]+", value):
                raise UserError(f"{piece.strip()!r} is no mail address: give addresses like "
                                "olga@example.org")
            if value not in out:
                out.append(value)
    return out


def check_password(password: str) -> None:
    """UserError when ``password`` is too weak to set."""
    if len(password) < MIN_PASSWORD:
        raise UserError(f"password too short: use at least {MIN_PASSWORD} characters "
                        "(a passphrase of several words is best)")


def default_actor() -> str:
    """Who changes accounts when no officer is named: the operating-system user on the host."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no passwd entry (a container's arbitrary uid)
        return "system"


def digest(secret: str) -> str:
    """The SHA-256 (hex) under which a token or session id is stored."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _sqlite_time(value: datetime) -> str:
    # The item store's fixed-width UTC text form, so that text order is time order.
    return value.astimezone(UTC).isoformat(timespec="microseconds")


class UserStore:
    """Users, API tokens and sessions in the quarantine database of ``store``."""

    def __init__(self, store: Any) -> None:
        self._lock = threading.RLock()
        self._store = store
        if hasattr(store, "dsn"):  # PostgresStore: connections lent by its pool
            from quarantine.postgres_store import append_audit

            self._pg = True
            self._append_audit = append_audit
            self._db: Any = None  # the connection of the transaction in progress
        else:  # SqliteStore
            import sqlite3

            from quarantine.sqlite_store import append_audit

            self._pg = False
            self._append_audit = append_audit
            self._db = sqlite3.connect(store.path, check_same_thread=False, isolation_level=None,
                                       timeout=30)
            self._db.execute("PRAGMA foreign_keys=ON")

    # -- plumbing ----------------------------------------------------------------------

    def _sql(self, statement: str) -> str:
        return statement.replace("?", "%s") if self._pg else statement

    def now(self) -> datetime:
        """The store's time (the database's clock, which every node keeps)."""
        now = getattr(self._store, "now", None)
        return now() if now else datetime.now(UTC)

    def _time(self, value: datetime) -> object:
        return value if self._pg else _sqlite_time(value)

    @staticmethod
    def _read_time(value: object) -> datetime:
        if isinstance(value, datetime):
            return value.astimezone(UTC)
        return datetime.fromisoformat(str(value))

    def _run(self, statement: str, args: tuple = ()) -> list[tuple]:
        with self._lock:
            if self._pg and self._db is None:  # outside a transaction: borrow a connection
                with self._store._reading() as db:
                    cur = db.execute(self._sql(statement), args)
                    return cur.fetchall() if cur.description else []
            try:
                cur = self._db.execute(self._sql(statement), args)
                return cur.fetchall() if cur.description else []
            except Exception as exc:
                raise self._unavailable(exc) from exc

    def _unavailable(self, exc: Exception) -> Exception:
        # Connection failures surface as the store's own error, whichever backend.
        import sqlite3

        if isinstance(exc, sqlite3.Error):
            return self._store._error(exc)
        return exc

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        with self._lock:
            if self._pg:
                with self._store._transaction() as db:
                    self._db = db
                    try:
                        yield
                    finally:
                        self._db = None
                return
            try:
                self._db.execute("BEGIN IMMEDIATE")
            except Exception as exc:
                raise self._unavailable(exc) from exc
            try:
                yield
                self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise

    def _audit(self, actor: str | None, action: str, name: str, **detail: object) -> None:
        # Inside the caller's transaction and as its last statement (PostgreSQL's lock
        # order), so an account change and its audit entry commit together or not at all.
        self._append_audit(self._db, self.now(), actor or default_actor(), action,
                           f"{USER_ITEM}{name}" if name else "", "", detail)

    def _user(self, row: tuple) -> User:
        name, role, created, disabled, addresses, changed_at, changed_by, confirmed_by = row
        return User(name=name, role=role, created=self._read_time(created),
                    disabled=bool(disabled),
                    addresses=tuple(a for a in (addresses or "").split(",") if a),
                    changed_at=self._read_time(changed_at) if changed_at else None,
                    changed_by=changed_by or "", confirmed_by=confirmed_by or "")

    # -- accounts ----------------------------------------------------------------------

    def add(self, name: str, role: str, password: str, *, actor: str | None = None,
            addresses: Sequence[str] = ()) -> User:
        """Create an account (audited as ``actor``); UserError when taken or invalid.

        ``addresses`` are the person's own mail addresses (officers: never theirs to decide).
        """
        name = normalise_name(name)
        if role not in ROLES:
            raise UserError(f"role {role!r}: use one of {', '.join(ROLES)}")
        check_password(password)
        own = ",".join(normalise_addresses(addresses))
        password_hash = _hasher.hash(password)
        now = self.now()
        by = normalise_actor(actor)
        with self._transaction():
            if self._run("SELECT 1 FROM users WHERE name = ?", (name,)):
                raise UserError(f"user {name} already exists; set a new password with "
                                f"'redline user password {name}' instead")
            self._run("INSERT INTO users (name, role, password_hash, created, disabled, "
                      "addresses, changed_at, changed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                      (name, role, password_hash, self._time(now), False if self._pg else 0,
                       own, self._time(now), by))
            self._audit(by, "user-add", name, role=role, **({"addresses": own} if own else {}))
        return self._require(name)

    def _mark_changed(self, name: str, actor: str) -> None:
        # Someone other than the person can now act as the account (see four_eyes_refusal).
        if actor != name:
            self._run("UPDATE users SET changed_at = ?, changed_by = ?, confirmed_by = '' "
                      "WHERE name = ?", (self._time(self.now()), actor, name))

    def confirm(self, name: str, *, actor: str, delay: timedelta, change: str) -> User:
        """A second admin confirms an account change, so it counts under four-eyes at once.

        The confirming admin's own account must count already (``confirmer_refusal``):
        otherwise one admin would create a second admin account and confirm their own
        officers with it. ``change`` is the id of the change the admin was shown
        (``User.change_id``; the UI's form and the command line's ``--change`` carry it):
        if the account changed again since, say a new password by the same admin, the
        confirmation is refused rather than vouching for a change nobody looked at. Every
        caller names the change, so none can confirm one unseen.
        """
        user, admin = self.confirmable(name, actor=actor, delay=delay)
        stale = UserError(f"account {user.name} changed again since (by {user.changed_by} at "
                          f"{user.changed_at:%Y-%m-%d %H:%M:%S} UTC, change "
                          f"{user.change_id}): look at the change again before you confirm it")
        if not change.strip():
            raise UserError(f"say which change of account {user.name} you confirm (its id, "
                            "shown with it); nothing was confirmed")
        if not hmac.compare_digest(change.strip(), user.change_id):
            raise stale
        with self._transaction():
            # Conditional on the very change checked above: a change made meanwhile by
            # another node or worker is not confirmed unseen.
            if not self._run("UPDATE users SET confirmed_by = ? WHERE name = ? AND "
                             "confirmed_by = '' AND changed_at = ? AND changed_by = ? "
                             "RETURNING name", (admin.name, user.name,
                                                self._time(user.changed_at), user.changed_by)):
                raise stale
            self._audit(admin.name, "user-confirm", user.name, changed_by=user.changed_by,
                        changed_at=user.changed_at.isoformat(), change=user.change_id)
        return self._require(name)

    def confirmable(self, name: str, *, actor: str, delay: timedelta) -> tuple[User, User]:
        """The account and the admin, when ``actor`` may confirm ``name``'s pending change;
        UserError saying why not (checked before the change is shown, and again by
        ``confirm``)."""
        user = self._require(name)
        admin = self.get(actor)
        if admin is None or not admin.can("admin"):
            raise UserError(f"{actor!r} is not an admin account: only an admin confirms an "
                            "account change")
        if user.changed_at is None or user.confirmed_by:
            raise UserError(f"account {user.name} has no unconfirmed change")
        if admin.name in (user.changed_by, user.name):
            raise UserError(f"{admin.name} made this change (or is the account); a second, "
                            "different admin must confirm it")
        refusal = confirmer_refusal(admin, self.now(), delay)
        if refusal:
            raise UserError(refusal)
        return user, admin

    def pending_change(self, user: User, delay: timedelta) -> AccountChange:
        """How ``user``'s last change by someone else is shown to a confirming admin: what
        it was (from the audit log) and when it counts anyway."""
        what = "changed it"
        if user.changed_at is not None:
            for entry in self._store.audit_entries(f"{USER_ITEM}{user.name}"):
                if entry.action in CHANGE_ACTIONS and entry.actor == user.changed_by:
                    what = CHANGE_ACTIONS[entry.action]
        return AccountChange(user=user, what=what,
                             effective=(user.changed_at or user.created) + delay)

    def unconfirmed_changes(self, delay: timedelta) -> list[User]:
        """Deciding accounts whose last change by someone else does not count under
        four-eyes yet: not confirmed by a second admin, and ``delay`` not yet passed."""
        now = self.now()
        return [u for u in self.list() if u.can("decide") and u.changed_at is not None
                and not u.confirmed_by and now < u.changed_at + delay]

    def set_addresses(self, name: str, addresses: Sequence[str], *,
                      actor: str | None = None) -> User:
        """Replace the person's own mail addresses (audited)."""
        user = self._require(name)
        own = ",".join(normalise_addresses(addresses))
        with self._transaction():
            self._run("UPDATE users SET addresses = ? WHERE name = ?", (own, user.name))
            self._audit(normalise_actor(actor), "user-addresses", user.name, addresses=own)
        return self._require(name)

    def get(self, name: str) -> User | None:
        """The account called ``name``, or None."""
        try:
            name = normalise_name(name)
        except UserError:
            return None
        rows = self._run(f"SELECT {USER_COLUMNS} FROM users WHERE name = ?", (name,))
        return self._user(rows[0]) if rows else None

    def password_stamp(self, name: str) -> tuple[User, str] | None:
        """The account and a stamp of its current password (a digest of the stored hash),
        or None: lets a cache of checked passwords notice a change without re-hashing."""
        try:
            name = normalise_name(name)
        except UserError:
            return None
        rows = self._run(f"SELECT {USER_COLUMNS}, password_hash FROM users WHERE name = ?",
                         (name,))
        return (self._user(rows[0][:-1]), digest(rows[0][-1])) if rows else None

    def list(self) -> list[User]:
        """Every account, by name."""
        return [self._user(r) for r in
                self._run(f"SELECT {USER_COLUMNS} FROM users ORDER BY name")]

    def set_password(self, name: str, password: str, *, actor: str | None = None) -> None:
        """Replace a user's password (their sessions end; audited as ``actor``)."""
        check_password(password)
        user = self._require(name)
        by = normalise_actor(actor)
        with self._transaction():
            self._run("UPDATE users SET password_hash = ? WHERE name = ?",
                      (_hasher.hash(password), user.name))
            self._run("DELETE FROM ui_sessions WHERE user_name = ?", (user.name,))
            self._mark_changed(user.name, by)
            self._audit(by, "user-password", user.name)

    def set_disabled(self, name: str, disabled: bool, *, actor: str | None = None) -> User:
        """Disable (or enable again) an account; disabling ends its sessions and tokens."""
        user = self._require(name)
        with self._transaction():
            self._run("UPDATE users SET disabled = ? WHERE name = ?",
                      (disabled if self._pg else int(disabled), user.name))
            if disabled:
                self._run("DELETE FROM ui_sessions WHERE user_name = ?", (user.name,))
                self._run("DELETE FROM api_tokens WHERE user_name = ?", (user.name,))
            self._audit(actor, "user-disable" if disabled else "user-enable", user.name)
        return self._require(name)

    def _require(self, name: str) -> User:
        user = self.get(name)
        if user is None:
            raise UserError(f"no user {name!r}; create one with 'redline user add NAME --role ROLE'")
        return user

    def authenticate(self, name: str, password: str, *, client: str = "",
                     via: str = "ui") -> User | None:
        """The user when ``password`` is theirs and the account is enabled, else None.

        Attempts are audited (sign-in, sign-in-failed with the reason, ``client`` and
        ``via``); a name that is no account is not recorded, since people type passwords
        into it. Successful SMTP AUTH (``via="smtp"``) is only logged by the listener: mail
        clients authenticate on every connection and would flood the audit log.
        """
        try:
            key = normalise_name(name)
        except UserError:
            key = ""
        rows = self._run(f"SELECT {USER_COLUMNS}, password_hash FROM users WHERE name = ?",
                         (key,)) if key else []
        stored = rows[0][-1] if rows else _DUMMY_HASH
        try:
            _hasher.verify(stored, password)
            reason = "account disabled" if rows and rows[0][3] else ""
        except (VerificationError, InvalidHashError):
            reason = "wrong password"
        if not rows:
            self.sign_in_failed("", "unknown user", client=client, via=via)
            return None
        if reason:
            self.sign_in_failed(key, reason, client=client, via=via)
            return None
        with self._transaction():
            if _hasher.check_needs_rehash(stored):  # cost parameters were raised since
                self._run("UPDATE users SET password_hash = ? WHERE name = ?",
                          (_hasher.hash(password), key))
            if via != "smtp":
                self._audit(key, "sign-in", key, client=client, via=via)
        return self._user(rows[0][:-1])

    def sign_in_failed(self, account: str, reason: str, *, client: str, via: str) -> None:
        """Audit one failed sign-in to ``account`` ("" when the name typed is no account:
        it is not recorded, since people type passwords into it). Never the password.

        Also for sign-ins whose accounts live elsewhere (the proxy's ``http.users``).
        """
        with self._transaction():
            self._audit(account or "-", "sign-in-failed", account, reason=reason,
                        client=client, via=via)

    # -- API tokens --------------------------------------------------------------------

    def new_token(self, name: str, *, actor: str | None = None) -> str:
        """A new API token for ``name`` (shown once; only its digest is stored; audited)."""
        user = self._require(name)
        if user.disabled:
            raise UserError(f"user {user.name} is disabled; enable the account first")
        if not user.can("read"):
            raise UserError(f"user {user.name} has role {user.role}, which cannot use the JSON "
                            "API; API tokens are for officers, auditors and admins")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        by = normalise_actor(actor)
        with self._transaction():
            self._run("INSERT INTO api_tokens (token_hash, user_name, created) VALUES (?, ?, ?)",
                      (digest(token), user.name, self._time(self.now())))
            self._mark_changed(user.name, by)
            # The digest's first characters tell tokens apart without being usable.
            self._audit(by, "token-create", user.name, token_digest=digest(token)[:12])
        return token

    def user_for_token(self, token: str) -> User | None:
        """The enabled user a token belongs to, or None."""
        rows = self._run(f"SELECT {USER_COLUMNS_U} FROM api_tokens t "
                         "JOIN users u ON u.name = t.user_name WHERE t.token_hash = ?",
                         (digest(token),))
        user = self._user(rows[0]) if rows else None
        return user if user and not user.disabled else None

    def revoke_tokens(self, name: str, *, actor: str | None = None) -> int:
        """Delete every API token of ``name`` (audited); how many there were."""
        user = self._require(name)
        with self._transaction():
            count = self._run("SELECT COUNT(*) FROM api_tokens WHERE user_name = ?",
                              (user.name,))[0][0]
            self._run("DELETE FROM api_tokens WHERE user_name = ?", (user.name,))
            self._audit(actor, "token-revoke", user.name, count=count)
        return count

    # -- sessions ----------------------------------------------------------------------

    def start_session(self, user: User, lifetime: timedelta) -> tuple[str, Session]:
        """A new session for ``user``: its id (for the cookie only) and the session."""
        session_id = secrets.token_urlsafe(32)
        now = self.now()
        session = Session(user, secrets.token_urlsafe(32), now + lifetime)
        with self._transaction():
            self._run("DELETE FROM ui_sessions WHERE expires < ?", (self._time(now),))
            self._run("INSERT INTO ui_sessions (session_hash, user_name, csrf, created, expires) "
                      "VALUES (?, ?, ?, ?, ?)",
                      (digest(session_id), user.name, session.csrf, self._time(now),
                       self._time(session.expires)))
        return session_id, session

    def session(self, session_id: str) -> Session | None:
        """The live session with this id (its user enabled), or None."""
        rows = self._run(
            f"SELECT {USER_COLUMNS_U}, s.csrf, s.expires FROM ui_sessions s "
            "JOIN users u ON u.name = s.user_name WHERE s.session_hash = ? AND s.expires > ?",
            (digest(session_id), self._time(self.now())))
        if not rows or rows[0][3]:  # disabled
            return None
        return Session(self._user(rows[0][:-2]), rows[0][-2], self._read_time(rows[0][-1]))

    def end_session(self, session_id: str) -> None:
        """Sign a session out."""
        self._run("DELETE FROM ui_sessions WHERE session_hash = ?", (digest(session_id),))

    def close(self) -> None:
        """Close this store's own connection (PostgreSQL's belong to the store's pool)."""
        with self._lock:
            if not self._pg:
                self._db.close()
