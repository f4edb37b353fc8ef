"""The store-shared sign-in throttle: what one source is, and counting by it."""

from __future__ import annotations

import itertools

import pytest

from quarantine.sqlite_store import SqliteStore
from quarantine.throttle import (
    MAX_QUEUE_SECONDS,
    PENALTY_SECONDS,
    SignInThrottle,
    throttle_address,
)
from quarantine.users import UserStore


@pytest.mark.parametrize(("address", "counted_as"), [
    ("192.0.2.7", "192.0.2.7"),
    ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
    ("2001:DB8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
    ("::ffff:192.0.2.7", "192.0.2.7"),  # an IPv4 client on a dual-stack socket
    ("fe80::1%eth0", "fe80::/64"),
    ("cli", "cli"),
])
def test_an_ipv6_source_is_its_64_and_ipv4_is_itself(address, counted_as):
    assert throttle_address(address) == counted_as


def test_a_guesser_roaming_its_ipv6_64_gets_no_fresh_allowance(tmp_path):
    store = SqliteStore(tmp_path / "q.sqlite")
    users = UserStore(store)
    try:
        throttle = SignInThrottle(users, max_per_user=3, max_per_address=5, window_seconds=900)

        def fail(name: str, address: str) -> None:
            reservation = throttle.reserve(name, address)
            assert reservation.retry_after == 0
            throttle.failed(name, address, reservation)

        for i in range(3):  # each guess from a new address in the same /64
            fail("olga", f"2001:db8::{i + 1:x}")
        assert throttle.retry_after("olga", "2001:db8::99") > 0
        assert throttle.retry_after("olga", "2001:db8:0:1::1") == 0  # another /64: slowed only
        assert throttle.reserve("olga", "2001:db8:0:1::1").delay > 0
        for name in ("ivan", "pavel"):
            fail(name, "2001:db8::abcd")
        assert throttle.retry_after("anyone", "2001:db8::1234") > 0  # the /64's own limit
    finally:
        users.close()
        store.close()


def test_attempts_in_flight_count_before_their_passwords_are_checked(tmp_path):
    """Reservations taken before any password was checked (parallel attempts) already use
    up the allowance; a right password gives its reservation back."""
    store = SqliteStore(tmp_path / "q.sqlite")
    users = UserStore(store)
    try:
        throttle = SignInThrottle(users, max_per_user=3, max_per_address=10, window_seconds=900)
        held = [throttle.reserve("olga", "192.0.2.7") for _ in range(5)]
        assert [r.retry_after == 0 for r in held] == [True, True, True, False, False]
        first = throttle.reserve("ivan", "192.0.2.7")
        throttle.succeeded("ivan", "192.0.2.7")  # a right password gives its place back
        assert first.retry_after == 0 and throttle.retry_after("ivan", "192.0.2.7") == 0
        # A name under attack: its attempts from anywhere take turns, and no more than
        # MAX_QUEUE_SECONDS of turns are handed out at once.
        turns = [throttle.reserve("olga", f"198.51.100.{i}") for i in range(1, 21)]
        granted = [t for t in turns if t.retry_after == 0]
        assert len(granted) == int(MAX_QUEUE_SECONDS // PENALTY_SECONDS)
        # The turns are the rows' times, one PENALTY_SECONDS apart, for every worker to see.
        turns_at = sorted(users._read_time(at) for (at,) in users._run(
            "SELECT at FROM sign_in_failures WHERE address LIKE ?", ("198.51.100.%",)))
        assert len(turns_at) == len(granted)
        assert all((later - earlier).total_seconds() >= PENALTY_SECONDS
                   for earlier, later in itertools.pairwise(turns_at))
        assert all(t.retry_after > 0 for t in turns[len(granted):])
    finally:
        users.close()
        store.close()


def test_a_lock_out_is_audited_once_without_the_password_or_a_stray_name(tmp_path):
    store = SqliteStore(tmp_path / "q.sqlite")
    users = UserStore(store)
    try:
        users.add("olga", "officer", "correct horse battery", actor="root")
        throttle = SignInThrottle(users, max_per_user=2, max_per_address=3,
                                  window_seconds=900, via="smtp")
        for name in ("Olga", "olga", "hunter2-typed-as-a-name"):
            reservation = throttle.reserve(name, "192.0.2.7")
            throttle.failed(name, "192.0.2.7", reservation)
        entries = [e for e in store.audit_entries() if e.action == "sign-in-throttled"]
        assert [(e.actor, e.item_id) for e in entries] == [("olga", "user:olga"), ("-", "")]
        assert entries[0].detail["via"] == "smtp" and entries[0].detail["client"] == "192.0.2.7"
        assert "hunter2" not in repr([e.detail for e in entries])
    finally:
        users.close()
        store.close()
