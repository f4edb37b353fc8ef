"""Sign-in throttling that slows guessing without locking the real person out.

Failures are counted in the quarantine database, so every worker process and every node
sees the same counts (an attacker gets no fresh allowance per worker). What is refused
for a while is a *name from one address* that kept failing, and an *address* that kept
failing for any names (an IPv6 address counts with its /64, which one host can roam).
A name under attack from many addresses is not locked: that would let anyone lock an
officer out by typing wrong passwords for their name. Instead each attempt for it is
slowed by a short delay, which costs a guesser far more than the person who types the
right password once.

The officer UI's sign-in, the SMTP listener's AUTH and the proxy's Basic authentication
all go through ``attempt``: the same rows, the same order (refuse, slow, check, record),
so a guesser gains nothing by switching between them or between workers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

# Delay before checking a password for a name that failed too often from elsewhere.
PENALTY_SECONDS = 1.5
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


async def attempt(throttle: SignInThrottle, name: str, address: str,
                  check: Callable[[], Awaitable[Any]],
                  accept: Callable[[Any], bool] = lambda user: True) -> Attempt:
    """Refuse, slow, check and record one sign-in of ``name`` from ``address``.

    ``check()`` verifies the password (the account, or None); ``accept(user)`` says
    whether a right password on that account counts as a success here (SMTP AUTH takes
    sender accounts only). A refused or failed attempt is recorded for every worker.
    """
    wait = await asyncio.to_thread(throttle.retry_after, name, address)
    if wait > 0:
        return Attempt(retry_after=wait)
    penalty = await asyncio.to_thread(throttle.penalty, name)
    if penalty:
        await asyncio.sleep(penalty)
    user = await check()
    if user is None or not accept(user):
        await asyncio.to_thread(throttle.failed, name, address)
        return Attempt(checked=user)
    await asyncio.to_thread(throttle.succeeded, name, address)
    return Attempt(user=user, checked=user)


class SignInThrottle:
    """Failed sign-ins per (name, address) and per address, over a sliding window."""

    def __init__(self, users, max_per_user: int, max_per_address: int,
                 window_seconds: float) -> None:
        self.users = users  # quarantine.users.UserStore: its connection and time format
        self.max_per_user = max_per_user
        self.max_per_address = max_per_address
        self.window = timedelta(seconds=window_seconds)

    def _now(self) -> datetime:
        return self.users.now()

    def _count(self, condition: str, args: tuple, cutoff: datetime) -> tuple[int, datetime | None]:
        rows = self.users._run(f"SELECT COUNT(*), MIN(at) FROM (SELECT at FROM sign_in_failures "
                               f"WHERE {condition} AND at > ? ORDER BY at DESC LIMIT ?) AS recent",
                               (*args, self.users._time(cutoff), max(self.max_per_user,
                                                                     self.max_per_address)))
        count, oldest = rows[0]
        return int(count), self.users._read_time(oldest) if oldest else None

    def retry_after(self, name: str, address: str) -> float:
        """Seconds until ``name`` from ``address`` may try again (0: now)."""
        name, address = throttle_name(name), throttle_address(address)
        now = self._now()
        cutoff = now - self.window
        wait = 0.0
        for condition, args, limit in (("name = ? AND address = ?", (name, address),
                                        self.max_per_user),
                                       ("address = ?", (address,), self.max_per_address)):
            count, oldest = self._count(condition, args, cutoff)
            if count >= limit and oldest is not None:
                wait = max(wait, (oldest + self.window - now).total_seconds())
        return max(wait, 0.0)

    def penalty(self, name: str) -> float:
        """Seconds to wait before checking a password for ``name`` (0 when not attacked)."""
        name = throttle_name(name)
        count, _ = self._count("name = ?", (name,), self._now() - self.window)
        return PENALTY_SECONDS if count >= self.max_per_user else 0.0

    def failed(self, name: str, address: str) -> None:
        """Record one failed sign-in (and forget failures older than the window)."""
        name, address = throttle_name(name), throttle_address(address)
        now = self._now()
        with self.users._transaction():
            self.users._run("DELETE FROM sign_in_failures WHERE at <= ?",
                            (self.users._time(now - self.window),))
            self.users._run("INSERT INTO sign_in_failures (name, address, at) VALUES (?, ?, ?)",
                            (name, address, self.users._time(now)))

    def succeeded(self, name: str, address: str) -> None:
        """Forget this name's failures from this address once it signed in."""
        name, address = throttle_name(name), throttle_address(address)
        # Read first: mail clients sign in on every connection, and a DELETE that finds
        # nothing would still take SQLite's write lock each time.
        if self.users._run("SELECT 1 FROM sign_in_failures WHERE name = ? AND address = ? "
                           "LIMIT 1", (name, address)):
            self.users._run("DELETE FROM sign_in_failures WHERE name = ? AND address = ?",
                            (name, address))
