"""Guessing a password with many sign-ins at once gets no more checks than one at a time.

Real officer UIs (two, standing for two workers) on a real store, SQLite and PostgreSQL,
and real HTTP clients bound to loopback addresses of their own. What is counted is what
the store recorded: each password checked and found wrong is a ``sign-in-failed`` audit
entry, and each attempt a row of ``sign_in_failures``.
"""

from __future__ import annotations

import asyncio
import itertools

import aiohttp
import pytest
from fixtures.quarantine import BACKENDS, backend_for
from ui_harness import PASSWORD, add_user, running_ui, sign_in

from quarantine.throttle import MAX_QUEUE_SECONDS, PENALTY_SECONDS
from quarantine.ui.config import UiConfig

pytestmark = pytest.mark.clock  # dates matter: scripts/test.sh runs it a year ahead too

CONFIG = UiConfig(secure_cookies=False, login_max_failures=3,
                  login_max_failures_per_address=10, login_window_minutes=15)
GUESSES = 20


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    for db in backend_for(request, tmp_path):
        store = db.open()
        yield store
        store.close()


def from_address(address: str) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(local_addr=(address, 0)),
                                 cookie_jar=aiohttp.CookieJar(unsafe=True),
                                 timeout=aiohttp.ClientTimeout(total=60))


async def guess(url: str, address: str, name: str, password: str) -> int:
    async with from_address(address) as session:
        return (await sign_in(session, url, name, password)).status


def checked(store, name: str, *, client_prefix: str = "") -> int:
    """How many passwords for ``name`` were checked and found wrong (the audit log's count)."""
    return sum(1 for e in store.audit_entries(f"user:{name}")
               if e.action == "sign-in-failed" and str(e.detail.get("client", "")).startswith(
                   client_prefix))


def test_twenty_parallel_guesses_from_one_address_get_the_allowance_and_no_more(store):
    """An insider opens twenty connections at once to guess a colleague's password; the
    attempts in flight count against each other, on both workers."""
    with running_ui(store, config=CONFIG) as first, running_ui(store, config=CONFIG) as second:
        add_user(first, "olga", "officer")

        async def body() -> list[int]:
            return await asyncio.gather(*(
                guess((first, second)[i % 2].url, "127.0.0.2", "olga", f"guess {i}")
                for i in range(GUESSES)))

        statuses = asyncio.run(body())
        assert sorted(statuses) == [401] * 3 + [429] * (GUESSES - 3), statuses
        assert checked(store, "olga") == CONFIG.login_max_failures
        # Its owner, elsewhere, still gets in.
        assert asyncio.run(guess(second.url, "127.0.0.3", "olga", PASSWORD)) == 200


def test_parallel_guesses_from_many_addresses_take_turns_for_an_attacked_name(store):
    """Twenty addresses guess at once for a name that already failed too often: its
    password is checked once per PENALTY_SECONDS (turns kept in the store), and only as
    many turns as fit in MAX_QUEUE_SECONDS are handed out; the owner is never locked out."""
    with running_ui(store, config=CONFIG) as first, running_ui(store, config=CONFIG) as second:
        add_user(first, "olga", "officer")
        for i in range(CONFIG.login_max_failures):  # the name is under attack from elsewhere
            assert asyncio.run(guess(first.url, "127.0.0.2", "olga", f"first {i}")) == 401

        async def body() -> list[int]:
            return await asyncio.gather(*(
                guess((first, second)[i % 2].url, f"127.0.1.{i + 1}", "olga", f"guess {i}")
                for i in range(GUESSES)))

        statuses = asyncio.run(body())
        storm = checked(store, "olga", client_prefix="127.0.1.")
        assert statuses.count(401) == storm and statuses.count(429) == GUESSES - storm
        # Twenty arriving together get MAX_QUEUE_SECONDS' worth of turns (a loaded machine
        # spreading their arrival over some seconds adds one per PENALTY_SECONDS of it).
        assert storm < GUESSES / 2, (storm, MAX_QUEUE_SECONDS / PENALTY_SECONDS)
        # The turns are the attempts' rows: one check per PENALTY_SECONDS, however many came.
        users = first.users
        turns = sorted(users._read_time(at) for (at,) in users._run(
            "SELECT at FROM sign_in_failures WHERE address LIKE ?", ("127.0.1.%",)))
        assert len(turns) == storm >= 1
        assert all((later - earlier).total_seconds() >= PENALTY_SECONDS
                   for earlier, later in itertools.pairwise(turns))
        assert asyncio.run(guess(second.url, "127.0.0.3", "olga", PASSWORD)) == 200
