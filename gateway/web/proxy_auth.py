"""Who is using the forward proxy: the client address, or Proxy-Authorization Basic.

With ``[http] auth = "basic"`` the password is checked against ``http.users`` (PBKDF2,
off the event loop) and a success is remembered in memory. A failure is in the audit
log (``sign-in-failed``, ``via`` ``proxy``) like a failed UI sign-in. Failures go through the same
store-shared sign-in throttle as the officer UI and SMTP AUTH (quarantine/throttle.py):
a name that kept failing from one address, or an address that kept failing for any
names, is refused there for a while (429); the same name from elsewhere is only slowed,
so an insider guessing a colleague's proxy password (to send uploads in their name)
gets a few tries per window, on every worker and node together, and cannot lock the
colleague out.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
from collections import OrderedDict
from typing import Any

from gateway.single_flight import SingleFlight
from gateway.web.config import HttpConfig, check_password
from quarantine.throttle import SignInThrottle, attempt, throttle_address

WINDOW_SECONDS = 15 * 60
MAX_CACHED = 1024


class SignInThrottled(Exception):
    """Too many failed proxy sign-ins for this name or from this address."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"retry after {retry_after:.0f} s")
        self.retry_after = retry_after


class ProxyAuthenticator:
    """The user of a proxy request, by ``http.auth``; Basic checks throttled in the store."""

    def __init__(self, config: HttpConfig, store: Any = None) -> None:
        self.config = config
        self._cache: OrderedDict[str, str] = OrderedDict()
        self._in_flight: SingleFlight[tuple[str, str], str | None] = SingleFlight()
        self._users = None
        self.throttle: SignInThrottle | None = None
        if config.auth == "basic" and store is not None:
            from quarantine.users import UserStore

            self._users = UserStore(store)  # its own connection for the failure rows
            self.throttle = SignInThrottle(self._users, config.auth_max_failures,
                                           config.auth_max_failures_per_address,
                                           WINDOW_SECONDS, via="proxy",
                                           account_name=self._account_name)

    def _account_name(self, typed: str) -> str | None:
        return typed if typed in self.config.users else None

    async def _audit_failure(self, user: str, reason: str, client: str) -> None:
        # Audited like a failed UI sign-in or SMTP AUTH; a name that is no proxy user is
        # left out, since people type passwords into it.
        if self._users is not None:
            await asyncio.to_thread(self._users.sign_in_failed,
                                    user if reason != "unknown user" else "", reason,
                                    client=client, via="proxy")

    async def identify(self, authorization: str, client: str) -> str | None:
        """The user name, or None when authentication is required and failed;
        SignInThrottled when this name or address is refused for now."""
        if self.config.auth == "address":
            return client
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "basic":
            return None
        cached = self._cache.get(authorization)
        if cached is not None:
            self._cache.move_to_end(authorization)
            return cached
        # A browser sends the same credentials on several connections at once: from one
        # address they share one check (and one place in the throttle, which counts
        # attempts in flight) instead of using up the name's allowance together.
        key = (authorization, throttle_address(client))
        return await self._in_flight.run(key, lambda: self._identify(authorization, token, client))

    async def _identify(self, authorization: str, token: str, client: str) -> str | None:
        try:
            user, sep, password = base64.b64decode(token.strip(), validate=True).decode(
                "utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        if not sep or not user:
            return None
        if self.config.auth == "basic":
            async def check() -> str | None:
                stored = self.config.users.get(user)
                if stored is None:
                    await self._audit_failure(user, "unknown user", client)
                    return None
                # PBKDF2 is deliberately slow: keep it off the loop.
                if not await asyncio.to_thread(check_password, stored, password):
                    await self._audit_failure(user, "wrong password", client)
                    return None
                return user

            if self.throttle is None:  # no store (a test of the proxy alone)
                accepted = await check()
            else:
                outcome = await attempt(self.throttle, user, client, check)
                if outcome.retry_after > 0:
                    raise SignInThrottled(outcome.retry_after)
                accepted = outcome.user
            if accepted is None:
                return None
        self._cache[authorization] = user
        while len(self._cache) > MAX_CACHED:
            self._cache.popitem(last=False)
        return user

    def close(self) -> None:
        """Close the failure rows' database connection (safe twice)."""
        if self._users is not None:
            self._users.close()
            self._users = None
