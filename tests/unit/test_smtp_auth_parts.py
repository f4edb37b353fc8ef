"""SMTP AUTH pieces: SASL decoding, sender ownership, and the check cache and throttle."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

import pytest

from gateway.smtp.auth import SaslError, SmtpAuthenticator, decode_base64, decode_plain, sender_allowed
from quarantine.sqlite_store import SqliteStore
from quarantine.users import User, UserStore

PASSWORD = "correct horse battery"


def test_plain_message_is_split_and_checked():
    assert decode_plain(b"\0alice@example.org\0pass word") == ("alice@example.org", "pass word")
    assert decode_plain(b"alice\0alice\0pw") == ("alice", "pw")
    with pytest.raises(SaslError, match="authzid"):
        decode_plain(b"boss\0alice\0pw")
    with pytest.raises(SaslError, match="malformed"):
        decode_plain(b"alice\0pw")
    with pytest.raises(SaslError, match="not UTF-8"):
        decode_plain(b"\0alice\0\xff")
    assert decode_base64("=") == b""
    with pytest.raises(SaslError, match="base64"):
        decode_base64("a*b")


def test_sender_ownership_by_mode():
    user = User("alice@example.org", "sender", datetime.now(UTC))
    assert sender_allowed(user, "Alice@Example.org", "address") is None
    assert "may send as alice@example.org only" in sender_allowed(user, "bob@example.org",
                                                                   "address")
    assert sender_allowed(user, "bob@example.org", "domain") is None
    assert "may send as @example.org only" in sender_allowed(user, "bob@evil.example",
                                                              "domain")
    assert sender_allowed(user, "<>", "address") is None
    service = User("scanner01", "sender", datetime.now(UTC))
    assert "is not an address" in sender_allowed(service, "scanner@example.org", "address")
    assert sender_allowed(service, "scanner@example.org", "off") is None


class CountingUsers(UserStore):
    calls = 0

    def authenticate(self, *args, **kwargs):
        self.calls += 1
        return super().authenticate(*args, **kwargs)


@pytest.fixture
def users(tmp_path):
    store = SqliteStore(tmp_path / "q.sqlite")
    users = CountingUsers(store)
    users.add("alice@example.org", "sender", PASSWORD, actor="test")
    yield users
    users.close()
    store.close()


def test_a_success_is_cached_until_it_expires_and_a_wrong_password_never_is(users):
    now = [1000.0]
    auth = SmtpAuthenticator(users, max_failures=5, max_failures_per_address=20,
                             cache_seconds=300, clock=lambda: now[0])

    def check(password: str):
        return asyncio.run(auth.check("alice@example.org", password, "10.0.0.1")).user

    assert check(PASSWORD) is not None and users.calls == 1
    assert check(PASSWORD) is not None and users.calls == 1  # from the cache
    assert check(PASSWORD + "x") is None and users.calls == 2
    now[0] += 301
    assert check(PASSWORD) is not None and users.calls == 3  # expired: checked again


def test_a_cached_success_ends_when_the_account_is_disabled_or_its_password_changes(users):
    auth = SmtpAuthenticator(users, max_failures=50, max_failures_per_address=50,
                             cache_seconds=300)

    def check(password: str):
        return asyncio.run(auth.check("alice@example.org", password, "10.0.0.1")).user

    assert check(PASSWORD) is not None and check(PASSWORD) is not None and users.calls == 1
    users.set_disabled("alice@example.org", True, actor="test")
    assert check(PASSWORD) is None and users.calls == 2
    users.set_disabled("alice@example.org", False, actor="test")
    assert check(PASSWORD) is not None and users.calls == 3
    users.set_password("alice@example.org", "a new passphrase", actor="test")
    assert check(PASSWORD) is None and users.calls == 4
    assert check("a new passphrase") is not None


@pytest.mark.clock
def test_failures_refuse_a_name_and_an_address_there_and_only_slow_the_name_elsewhere(users):
    import time_machine

    from quarantine.throttle import PENALTY_SECONDS

    with time_machine.travel(datetime.now(UTC), tick=False) as traveller:
        auth = SmtpAuthenticator(users, max_failures=2, max_failures_per_address=3,
                                 cache_seconds=0)

        def check(name: str, password: str, client: str):
            return asyncio.run(auth.check(name, password, client))

        for _ in range(2):
            assert check(" ALICE@example.org", "guess", "10.0.0.9").user is None
        # The name is refused from the address that kept failing, without a check ...
        outcome = check("alice@example.org", PASSWORD, "10.0.0.9")
        assert outcome.user is None and outcome.retry_after > 0 and users.calls == 2
        # ... and only slowed from elsewhere: its owner still gets in.
        started = time.monotonic()  # not moved by time_machine; asyncio sleeps by it
        assert check("alice@example.org", PASSWORD, "10.0.0.1").user is not None
        assert time.monotonic() - started >= PENALTY_SECONDS * 0.9
        # Other names from the failing address count towards the address's limit.
        assert check("mallory", "guess", "10.0.0.9").user is None
        assert check("bob@example.org", "anything", "10.0.0.9").retry_after > 0
        traveller.shift(15 * 60 + 1)
        assert check("alice@example.org", PASSWORD, "10.0.0.9").user is not None


def test_at_most_two_password_checks_run_at_once(users):
    import threading
    import time

    running, peak, lock = [0], [0], threading.Lock()
    check = users.authenticate

    def slow(*args, **kwargs):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.05)
        try:
            return check(*args, **kwargs)
        finally:
            with lock:
                running[0] -= 1

    users.authenticate = slow
    auth = SmtpAuthenticator(users, max_failures=50, max_failures_per_address=50,
                             cache_seconds=0)

    async def storm():
        return await asyncio.gather(*(auth.check("alice@example.org", f"guess {i}", f"10.0.0.{i}")
                                      for i in range(6)))

    outcomes = asyncio.run(storm())
    assert all(o.user is None for o in outcomes) and peak[0] == 2
