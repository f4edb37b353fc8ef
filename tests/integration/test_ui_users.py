"""Officer accounts on both store backends: argon2id hashes, tokens and sessions as digests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from conftest import require_peer
from fixtures.quarantine import BACKENDS, backend, postgres_missing

from quarantine.users import UserError, UserStore, digest

pytestmark = pytest.mark.clock  # dates matter: scripts/test.sh runs it a year ahead too


PASSWORD = "correct horse battery"


@pytest.fixture(params=BACKENDS)
def users(request, tmp_path):
    if request.param == "postgres":
        require_peer(postgres_missing())
    with backend(request.param, tmp_path) as b:
        store = b.open()
        user_store = UserStore(store)
        try:
            yield user_store, b
        finally:
            user_store.close()
            store.close()


def test_password_is_stored_as_argon2id_and_checked(users):
    user_store, b = users
    user_store.add("Olga", "officer", PASSWORD)
    (stored,) = b.execute("SELECT password_hash FROM users WHERE name = ?", ("olga",))[0]
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert user_store.authenticate("OLGA", PASSWORD).role == "officer"
    assert user_store.authenticate("olga", PASSWORD + "x") is None
    assert user_store.authenticate("nobody", PASSWORD) is None


def test_add_refuses_duplicates_bad_roles_and_short_passwords(users):
    user_store, _ = users
    user_store.add("olga", "officer", PASSWORD)
    with pytest.raises(UserError, match="already exists"):
        user_store.add("olga", "auditor", PASSWORD)
    with pytest.raises(UserError, match="role"):
        user_store.add("ivan", "root", PASSWORD)
    with pytest.raises(UserError, match="too short"):
        user_store.add("ivan", "officer", "short")
    with pytest.raises(UserError, match="user name"):
        user_store.add("<script>", "officer", PASSWORD)


def test_tokens_and_sessions_are_stored_as_digests_and_end_when_disabled(users):
    user_store, b = users
    user = user_store.add("olga", "officer", PASSWORD)
    token = user_store.new_token("olga")
    session_id, session = user_store.start_session(user, timedelta(minutes=5))
    assert b.execute("SELECT token_hash FROM api_tokens")[0][0] == digest(token)
    assert b.execute("SELECT session_hash FROM ui_sessions")[0][0] == digest(session_id)
    assert user_store.user_for_token(token).name == "olga"
    assert user_store.session(session_id).csrf == session.csrf
    assert user_store.user_for_token(token + "x") is None
    user_store.set_disabled("olga", True)
    assert user_store.session(session_id) is None
    assert user_store.user_for_token(token) is None
    assert user_store.authenticate("olga", PASSWORD) is None


def test_expired_session_is_refused(users):
    user_store, _ = users
    user = user_store.add("olga", "officer", PASSWORD)
    session_id, _ = user_store.start_session(user, timedelta(seconds=-1))
    assert user_store.session(session_id) is None


def test_a_confirmation_covers_only_the_change_that_was_shown(users):
    import time_machine

    users, _ = users
    day = timedelta(hours=24)
    with time_machine.travel(datetime.now(UTC) - timedelta(days=2), tick=False):
        users.add("ada", "admin", PASSWORD, actor="setup")  # long enough ago to count
        users.add("bruno", "admin", PASSWORD, actor="setup")
    users.add("olga", "officer", PASSWORD, actor="ada")
    shown = users.get("olga").change_id
    assert [u.name for u in users.unconfirmed_changes(timedelta(hours=24))] == ["olga"]
    assert users.unconfirmed_changes(timedelta(0)) == []  # the delay has passed: it counts
    with pytest.raises(UserError, match="different admin must confirm"):
        users.confirm("olga", actor="ada", delay=day, change=shown)
    users.new_token("olga", actor="ada")  # a newer change, by the same admin
    with pytest.raises(UserError, match="changed again since"):
        users.confirm("olga", actor="bruno", delay=day, change=shown)
    assert not users.get("olga").confirmed_by
    user = users.confirm("olga", actor="bruno", delay=day, change=users.get("olga").change_id)
    assert user.confirmed_by == "bruno" and users.unconfirmed_changes(timedelta(hours=24)) == []
    with pytest.raises(UserError, match="no unconfirmed change"):
        users.confirm("olga", actor="bruno", delay=day, change=shown)


def test_an_admin_account_set_up_by_the_changer_cannot_be_the_second_admin(users):
    """One person with one admin account creates a second admin account (and so knows its
    password) and tries to confirm their own officer with it."""
    users, _ = users
    day = timedelta(hours=24)
    users.add("ada", "admin", PASSWORD, actor="setup")
    users.add("olga", "officer", PASSWORD, actor="ada")
    users.add("sock", "admin", PASSWORD, actor="ada")
    with pytest.raises(UserError, match="was itself set up by ada"):
        users.confirm("olga", actor="sock", delay=day, change=users.get("olga").change_id)
    users.add("carl", "admin", PASSWORD, actor="setup")
    with pytest.raises(UserError, match="was itself set up by setup"):
        # carl is as new: no one vouches yet
        users.confirm("sock", actor="carl", delay=day, change=users.get("sock").change_id)
    assert not users.get("olga").confirmed_by and not users.get("sock").confirmed_by
    # Once the delay has passed (and the audit log was there to be read), it counts.
    assert users.confirm("olga", actor="sock", delay=timedelta(0),
                         change=users.get("olga").change_id).confirmed_by == "sock"
