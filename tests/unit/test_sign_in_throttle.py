"""The store-shared sign-in throttle: what one source is, and counting by it."""

from __future__ import annotations

import pytest

from quarantine.sqlite_store import SqliteStore
from quarantine.throttle import SignInThrottle, throttle_address
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
        for i in range(3):  # each guess from a new address in the same /64
            assert throttle.retry_after("olga", f"2001:db8::{i + 1:x}") == 0
            throttle.failed("olga", f"2001:db8::{i + 1:x}")
        assert throttle.retry_after("olga", "2001:db8::99") > 0
        assert throttle.retry_after("olga", "2001:db8:0:1::1") == 0  # another /64: slowed only
        assert throttle.penalty("olga") > 0
        for name in ("ivan", "pavel"):
            throttle.failed(name, "2001:db8::abcd")
        assert throttle.retry_after("anyone", "2001:db8::1234") > 0  # the /64's own limit
    finally:
        users.close()
        store.close()
