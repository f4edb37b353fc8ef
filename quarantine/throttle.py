"""Sign-in throttling that slows guessing without locking the real person out.

Failures are counted in the quarantine database, so every worker process and every node
sees the same counts (an attacker gets no fresh allowance per worker). What is refused
for a while is a *name from one address* that kept failing, and an *address* that kept
failing for any names (an IPv6 address counts with its /64, which one host can roam).
A name under attack from many addresses is not locked: that would let anyone lock an
officer out by typing wrong passwords for their name. Instead its attempts take turns,
one password check per ``PENALTY_SECONDS`` on every worker and node together, which costs
a guesser far more than the person who types the right password once.

An attempt is counted (a row) *before* its password is checked and stays counted unless
the password proves right, so a guesser who opens many connections at once gets no more
checks than one who tries in a row: the attempts in flight count against each other.

The officer UI's sign-in, the SMTP listener's AUTH and the proxy's Basic authentication
all go through ``attempt``: the same rows, the same order (count, wait its turn, check,
settle), so a guesser gains nothing by switching between them or between workers. The
failure that reaches a limit is audited (``sign-in-throttled``, with its path).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

# The time between two password checks for a name that failed too often from elsewhere.
PENALTY_SECONDS = 1.5
# How long an attempt for such a name waits for its turn at most; with more attempts
# queued for the name it is refused for now (and not counted): a guesser cannot pile up
# parallel attempts, and whoever waits is told to try again in a moment, never locked.
MAX_QUEUE_SECONDS = 6.0
# Names are counted as typed (folded): a guesser's long junk names stay bounded rows.
MAX_NAME = 100


def throttle_name(name: str) -> str:
    """The form a typed sign-in name is counted under (``" Olga"`` is ``olga``)."""
    return name.strip().casefold()[:MAX_NAME]


def throttle_address(address: str) -> str:
    """The source a failure is counted against: an IPv4 address, or an IPv6 address's /64.

    One IPv6 host is usually given a whole /64 and picks addresses in it freely, so
    counting single IPv6 addresses would give a guesser a fresh allowance per address.
    """
    import ipaddress

    try:
        ip = ipaddress.ip_address(address.strip().split("%", 1)[0])
    except ValueError:
        return address.strip()[:MAX_NAME]  # "cli", "unknown": counted as given
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


@dataclass(frozen=True, slots=True)
class Attempt:
    """One throttled sign-in: the account when it was accepted, or how long to wait."""

    user: Any = None  # quarantine.users.User when accepted
    retry_after: float = 0.0  # > 0: refused without checking the password
    checked: Any = None  # the account the password matched, even when not accepted


@dataclass(frozen=True, slots=True)
class Reservation:
    """An attempt's place, counted before its password is checked (or why it has none)."""

    retry_after: float = 0.0  # > 0: refused now; nothing was counted
    delay: float = 0.0  # seconds until this attempt's turn (its name is under attack)
    name_count: int = 0  # its place among this name's attempts from this address
    address_count: int = 0  # its place among this address's attempts for any names


async def attempt(throttle: SignInThrottle, name: str, address: str,
                  check: Callable[[], Awaitable[Any]],
                  accept: Callable[[Any], bool] = lambda user: True) -> Attempt:
    """Count, wait for its turn, check and settle one sign-in of ``name`` from ``address``.

    ``check()`` verifies the password (the account, or None); ``accept(user)`` says
    whether a right password on that account counts as a success here (SMTP AUTH takes
    sender accounts only). The attempt counts as a failure from before its password is
    checked until it proves right, so attempts sent in parallel count each other: twenty
    at once from one address get the same number of checks as twenty in a row.
    """
    reservation = await asyncio.to_thread(throttle.reserve, name, address)
    if reservation.retry_after > 0:
        return Attempt(retry_after=reservation.retry_after)
    if reservation.delay > 0:
        await asyncio.sleep(reservation.delay)
    user = await check()
    if user is None or not accept(user):
        await asyncio.to_thread(throttle.failed, name, address, reservation)
        return Attempt(checked=user)
    await asyncio.to_thread(throttle.succeeded, name, address)
    return Attempt(user=user, checked=user)


class SignInThrottle:
    """Sign-in attempts per (name, address) and per address, over a sliding window.

    ``via`` names the path in the audit log (``ui``, ``smtp``, ``proxy``);
    ``account_name(typed)`` gives the account a typed name is, or None, so that a lock-out
    entry never records a name that is no account (people type passwords into it).
    """

    def __init__(self, users, max_per_user: int, max_per_address: int,
                 window_seconds: float, *, via: str = "ui",
                 account_name: Callable[[str], str | None] | None = None) -> None:
        self.users = users  # quarantine.users.UserStore: its connection and time format
        self.max_per_user = max_per_user
        self.max_per_address = max_per_address
        self.window = timedelta(seconds=window_seconds)
        self.via = via
        self.account_name = account_name or self._store_account

    def _store_account(self, typed: str) -> str | None:
        user = self.users.get(typed)
        return user.name if user is not None else None

    def _now(self) -> datetime:
        return self.users.now()

    def _count(self, condition: str, args: tuple, cutoff: datetime) -> tuple[int, datetime | None]:
        rows = self.users._run(f"SELECT COUNT(*), MIN(at) FROM (SELECT at FROM sign_in_failures "
                               f"WHERE {condition} AND at > ? ORDER BY at DESC LIMIT ?) AS recent",
                               (*args, self.users._time(cutoff), max(self.max_per_user,
                                                                     self.max_per_address)))
        count, oldest = rows[0]
        return int(count), self.users._read_time(oldest) if oldest else None

    def _limits(self, name: str, address: str, now: datetime) -> tuple[float, int, int]:
        """Seconds until ``name`` may try from ``address`` (0: now), and the two counts."""
        cutoff = now - self.window
        wait = 0.0
        counts = []
        for condition, args, limit in (("name = ? AND address = ?", (name, address),
                                        self.max_per_user),
                                       ("address = ?", (address,), self.max_per_address)):
            count, oldest = self._count(condition, args, cutoff)
            counts.append(count)
            if count >= limit and oldest is not None:
                wait = max(wait, (oldest + self.window - now).total_seconds())
        return max(wait, 0.0), counts[0], counts[1]

    def retry_after(self, name: str, address: str) -> float:
        """Seconds until ``name`` from ``address`` may try again (0: now)."""
        return self._limits(throttle_name(name), throttle_address(address), self._now())[0]

    def reserve(self, name: str, address: str) -> Reservation:
        """Count one attempt before its password is checked, or refuse it.

        Refused: the name from this address, or this address, failed too often (attempts
        in flight count). A name that failed too often from anywhere is slowed instead:
        each attempt gets a turn ``PENALTY_SECONDS`` after the name's previous one, on
        every worker and node (the turn is the row's time), and one whose turn is more
        than ``MAX_QUEUE_SECONDS`` away is refused for now without being counted.
        """
        name, address = throttle_name(name), throttle_address(address)
        users = self.users
        now = self._now()
        with users._transaction():
            if users._pg:  # SQLite's BEGIN IMMEDIATE already makes this one at a time
                users._run("SELECT pg_advisory_xact_lock(hashtext('redline.sign_in.' || "
                           "current_schema()))")
            users._run("DELETE FROM sign_in_failures WHERE at <= ?",
                       (users._time(now - self.window),))
            wait, name_count, address_count = self._limits(name, address, now)
            if wait > 0:
                return Reservation(retry_after=wait)
            attacked, last = users._run(
                "SELECT COUNT(*), MAX(at) FROM (SELECT at FROM sign_in_failures WHERE name = ? "
                "AND at > ? ORDER BY at DESC LIMIT ?) AS recent",
                (name, users._time(now - self.window), self.max_per_user))[0]
            turn = now
            if int(attacked) >= self.max_per_user:
                turn = max(now, users._read_time(last)) + timedelta(seconds=PENALTY_SECONDS)
                if (turn - now).total_seconds() > MAX_QUEUE_SECONDS:
                    return Reservation(retry_after=(turn - now).total_seconds()
                                       - MAX_QUEUE_SECONDS)
            users._run("INSERT INTO sign_in_failures (name, address, at) VALUES (?, ?, ?)",
                       (name, address, users._time(turn)))
        return Reservation(delay=(turn - now).total_seconds(), name_count=name_count + 1,
                           address_count=address_count + 1)

    def failed(self, name: str, address: str, reservation: Reservation) -> None:
        """Settle a failed attempt: its reservation already counts it; the failure that
        reaches a limit is audited as a lock-out (never with the password)."""
        scopes = []
        if reservation.name_count >= self.max_per_user:
            scopes.append("name from this address")
        if reservation.address_count >= self.max_per_address:
            scopes.append("this address for any names")
        if not scopes:
            return
        account = self.account_name(name) if "name from this address" in scopes else None
        minutes = round(self.window.total_seconds() / 60)
        with self.users._transaction():
            self.users._audit(account or "-", "sign-in-throttled", account or "",
                              reason=f"too many failed sign-ins ({' and '.join(scopes)}) in "
                                     f"{minutes} min", client=throttle_address(address),
                              via=self.via)

    def succeeded(self, name: str, address: str) -> None:
        """Forget this name's attempts from this address (its reservation too)."""
        name, address = throttle_name(name), throttle_address(address)
        self.users._run("DELETE FROM sign_in_failures WHERE name = ? AND address = ?",
                        (name, address))
