"""SMTP AUTH for the listener: PLAIN and LOGIN (RFC 4954) against Redline's sender accounts.

Accounts live with the officers' in the quarantine database (role ``sender``), so every
node of a cluster on PostgreSQL knows the same senders and ``redline user`` manages
them. A password check is argon2id (tens of milliseconds of CPU); mail clients
authenticate on every connection, so a success is remembered for a while under a keyed
hash of name and password, in memory, never on disk. A remembered success still reads
the account (one indexed row): a disabled account or a changed password counts at once.
Failures are rows in the quarantine database, through the same throttle as the officer
UI's sign-in (quarantine/throttle.py), so every worker and node counts them together: a
name that kept failing from one address, or an address that kept failing for any names,
gets 454 there without a check; the same name from elsewhere is slowed, not refused, so
a guesser cannot lock the real sender out. A remembered success takes no place in the
throttle (the password is known right), and one client's parallel connections with the
same credentials share one check.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import hmac
import logging
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from gateway.single_flight import SingleFlight
from quarantine.throttle import SignInThrottle, attempt, throttle_address
from quarantine.users import User, UserStore

log = logging.getLogger("redline.smtp")

MECHANISMS = ("PLAIN", "LOGIN")
WINDOW_SECONDS = 15 * 60
MAX_CACHED = 10_000
MAX_CONCURRENT_CHECKS = 2  # argon2id checks at once per worker


class SaslError(ValueError):
    """A client's SASL message could not be decoded (answered 501)."""


def decode_base64(text: str) -> bytes:
    """A SASL response as RFC 4954 encodes it ("=" is the empty response)."""
    if text == "=":
        return b""
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise SaslError("501 5.5.2 cannot decode the base64 in the AUTH response") from None


def decode_plain(message: bytes) -> tuple[str, str]:
    """Name and password from a PLAIN message (RFC 4616: authzid NUL authcid NUL passwd).

    Acting for another identity (an authzid other than the authcid) is not supported.
    """
    fields = message.split(b"\0")
    if len(fields) != 3:
        raise SaslError("501 5.5.2 malformed PLAIN response: expected authzid NUL name NUL "
                        "password (RFC 4616)")
    try:
        authzid, name, password = (f.decode("utf-8") for f in fields)
    except UnicodeDecodeError:
        raise SaslError("501 5.5.2 PLAIN response is not UTF-8 (RFC 4616)") from None
    if authzid and authzid != name:
        raise SaslError("535 5.7.8 acting for another identity (authzid) is not allowed")
    return name, password


def decode_text(message: bytes, what: str) -> str:
    """A LOGIN user name or password as text."""
    try:
        return message.decode("utf-8")
    except UnicodeDecodeError:
        raise SaslError(f"501 5.5.2 the {what} is not UTF-8") from None


@dataclass(frozen=True, slots=True)
class AuthOutcome:
    """The result of one AUTH attempt: the account, or why not, and how long to wait."""

    user: User | None
    retry_after: float = 0.0  # > 0: throttled, the password was not checked
    reason: str = ""  # for the log: why a known-good password still failed


class SmtpAuthenticator:
    """Checks SMTP AUTH credentials against the sender accounts, throttled and cached."""

    def __init__(self, users: UserStore, *, max_failures: int, max_failures_per_address: int,
                 cache_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.users = users
        self.throttle = SignInThrottle(users, max_failures, max_failures_per_address,
                                       WINDOW_SECONDS, via="smtp")
        self.cache_seconds = cache_seconds
        self.clock = clock
        self._key = secrets.token_bytes(32)  # per process: the cache means nothing elsewhere
        # Each argon2id check takes 64 MiB and a core for tens of milliseconds: a storm of
        # AUTH attempts waits its turn instead of exhausting the worker's memory.
        self._checks = asyncio.Semaphore(MAX_CONCURRENT_CHECKS)
        # keyed hash of name and password -> (expiry, stamp of the password it matched)
        self._verified: OrderedDict[bytes, tuple[float, str]] = OrderedDict()
        # (keyed hash, source address) -> the check of them under way
        self._in_flight: SingleFlight[tuple[bytes, str], AuthOutcome] = SingleFlight()

    def _cache_key(self, name: str, password: str) -> bytes:
        return hmac.new(self._key, f"{name}\0{password}".encode("utf-8", "surrogatepass"),
                        hashlib.sha256).digest()

    async def check(self, name: str, password: str, client: str) -> AuthOutcome:
        """The outcome of ``name``/``password`` from ``client`` (the argon2 check off the loop).

        The same name and password from the same address while a check of them is under
        way wait for its outcome: a mail client opening several connections at once uses
        one place in the throttle (which counts attempts in flight), not one each.
        """
        key = (self._cache_key(name.strip().casefold(), password), throttle_address(client))
        return await self._in_flight.run(key, lambda: self._check(name, password, client))

    async def _check(self, name: str, password: str, client: str) -> AuthOutcome:
        remembered = await self._remembered(name, password)
        if remembered is not None:
            # The password was proven right a moment ago: nothing is guessed here, so no
            # place in the throttle is taken; only a refusal in force still applies.
            wait = await asyncio.to_thread(self.throttle.retry_after, name, client)
            return AuthOutcome(None, retry_after=wait) if wait > 0 else AuthOutcome(remembered)
        outcome = await attempt(self.throttle, name, client,
                                lambda: self._verify(name, password, client),
                                accept=lambda user: user.can("send"))
        if outcome.retry_after > 0:
            return AuthOutcome(None, retry_after=outcome.retry_after)
        if outcome.user is None and outcome.checked is not None:
            # A right password on an officer's account: refuse without telling which part.
            return AuthOutcome(None, reason=f"account role {outcome.checked.role} may not "
                                            "send mail")
        return AuthOutcome(outcome.user)

    async def _remembered(self, name: str, password: str) -> User | None:
        """The sender account when this name and password were checked recently and the
        account and its password are unchanged since (one indexed read), else None."""
        cache_key = self._cache_key(name.strip().casefold(), password)
        cached = self._verified.get(cache_key)
        if cached is None:
            return None
        if cached[0] <= self.clock():
            self._verified.pop(cache_key, None)
            return None
        current = await asyncio.to_thread(self.users.password_stamp, name)
        if current is not None and current[1] == cached[1] and current[0].can("send"):
            self._verified.move_to_end(cache_key)
            return current[0]
        self._verified.pop(cache_key, None)
        return None

    async def _verify(self, name: str, password: str, client: str) -> User | None:
        """The account ``password`` opens, checked with argon2id (and remembered)."""
        now = self.clock()
        cache_key = self._cache_key(name.strip().casefold(), password)
        async with self._checks:
            stamp, user = await asyncio.to_thread(self._authenticate, name, password, client)
        if user is not None and user.can("send") and self.cache_seconds > 0 and stamp:
            self._verified[cache_key] = (now + self.cache_seconds, stamp)
            self._verified.move_to_end(cache_key)
            while len(self._verified) > MAX_CACHED:
                self._verified.popitem(last=False)
        return user

    def _authenticate(self, name: str, password: str, client: str) -> tuple[str | None, User | None]:
        # The stamp is read first: if the password changes in between, the cached stamp is
        # the old one and the next use checks again.
        before = self.users.password_stamp(name)
        user = self.users.authenticate(name, password, client=client, via="smtp")
        return (before[1] if before else None), user

    def close(self) -> None:
        """Close the account database connection."""
        self.users.close()


def sender_allowed(user: User, sender: str, mode: str) -> str | None:
    """None when ``user`` may use ``sender`` as MAIL FROM under ``mode``, else the 553 reply."""
    if mode == "off" or sender in ("", "<>"):  # the null sender names nobody
        return None
    account = user.name.casefold()
    if "@" not in account:
        return (f"553 5.7.1 sender <{sender}> refused: account {user.name} is not an address; "
                "name sender accounts by their address or set smtp.auth_sender_match = off")
    given = sender.casefold()
    if mode == "address" and given == account:
        return None
    if mode == "domain" and given.rpartition("@")[2] == account.rpartition("@")[2]:
        return None
    allowed = account if mode == "address" else "@" + account.rpartition("@")[2]
    return (f"553 5.7.1 sender <{sender}> refused: account {user.name} may send as {allowed} "
            "only (smtp.auth_sender_match)")


async def read_credentials(server: Any, mechanism: str,
                           initial: list[str]) -> tuple[str, str] | None:
    """Name and password by ``mechanism``, asking for what the client did not send."""
    async def ask(prompt: str) -> bytes | None:
        reply = await server.challenge_auth(prompt)
        return reply if isinstance(reply, bytes) else None

    if mechanism == "PLAIN":
        message = decode_base64(initial[0]) if initial else await ask("")
        return None if message is None else decode_plain(message)
    name = decode_base64(initial[0]) if initial else await ask("Username:")
    if name is None:
        return None
    password = await ask("Password:")
    if password is None:
        return None
    return decode_text(name, "user name"), decode_text(password, "password")
