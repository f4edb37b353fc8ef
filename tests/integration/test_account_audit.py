"""Account changes and sign-ins land in the audit hash chain, on both store backends."""

from __future__ import annotations

import asyncio
import getpass

import pytest
from conftest import require_peer
from fixtures.quarantine import BACKENDS, backend, held_mail, postgres_missing

from quarantine.audit import verify_chain
from quarantine.sqlite_store import SqliteStore
from quarantine.users import UserError, UserStore

pytestmark = pytest.mark.clock  # dates matter: scripts/test.sh runs it a year ahead too


PASSWORD = "correct horse battery"


@pytest.fixture(params=BACKENDS)
def stores(request, tmp_path):
    if request.param == "postgres":
        require_peer(postgres_missing())
    with backend(request.param, tmp_path) as b:
        store = b.open()
        users = UserStore(store)
        try:
            yield store, users, b
        finally:
            users.close()
            store.close()


def trail(store, name):
    return [(e.actor, e.action, e.detail) for e in store.audit_entries(f"user:{name}")]


def test_every_account_change_is_audited_with_its_actor(stores):
    store, users, _ = stores
    users.add("olga", "officer", PASSWORD, actor="root")
    users.set_password("olga", PASSWORD + " 2", actor="root")
    users.set_disabled("olga", True, actor="admin2")
    users.set_disabled("olga", False, actor="admin2")
    token = users.new_token("olga", actor="root")
    assert users.revoke_tokens("olga", actor="root") == 1
    users.add("ivan", "auditor", PASSWORD)  # no actor: the operating-system user
    entries = trail(store, "olga")
    assert [(a, act) for a, act, _ in entries] == [
        ("root", "user-add"), ("root", "user-password"), ("admin2", "user-disable"),
        ("admin2", "user-enable"), ("root", "token-create"), ("root", "token-revoke")]
    assert entries[0][2] == {"role": "officer"}
    assert entries[5][2] == {"count": 1}
    raw = repr(list(store.audit_entries()))
    # Neither a password nor a usable token is ever in the log.
    assert PASSWORD not in raw and token not in raw
    assert trail(store, "ivan")[0][:2] == (getpass.getuser(), "user-add")
    assert verify_chain(store.audit_entries(), store.audit_head()).ok


def test_sign_ins_are_audited_success_and_failure_without_the_typed_name(stores):
    store, users, _ = stores
    users.add("olga", "officer", PASSWORD, actor="root")
    assert users.authenticate("olga", PASSWORD, client="10.0.0.7") is not None
    assert users.authenticate("olga", "wrong password!", client="10.0.0.8") is None
    users.set_disabled("olga", True, actor="root")
    assert users.authenticate("olga", PASSWORD, client="10.0.0.9") is None
    assert users.authenticate("hunter2-typed-as-name", PASSWORD, client="10.0.0.10") is None
    signins = [(a, act, d) for a, act, d in trail(store, "olga") if act.startswith("sign-in")]
    assert signins == [
        ("olga", "sign-in", {"client": "10.0.0.7", "via": "ui"}),
        ("olga", "sign-in-failed", {"reason": "wrong password", "client": "10.0.0.8",
                                    "via": "ui"}),
        ("olga", "sign-in-failed", {"reason": "account disabled", "client": "10.0.0.9",
                                    "via": "ui"})]
    (unknown,) = [e for e in store.audit_entries() if e.detail.get("reason") == "unknown user"]
    assert unknown.item_id == "" and unknown.detail["client"] == "10.0.0.10"
    assert "hunter2" not in repr(list(store.audit_entries()))
    assert verify_chain(store.audit_entries(), store.audit_head()).ok


def test_smtp_sign_ins_audit_failures_only(stores):
    store, users, _ = stores
    users.add("mail@example.org", "sender", PASSWORD, actor="root")
    assert users.authenticate("mail@example.org", PASSWORD, client="10.0.0.7", via="smtp")
    assert users.authenticate("mail@example.org", "wrong!", client="10.0.0.8", via="smtp") is None
    signins = [(act, d) for _, act, d in trail(store, "mail@example.org")
               if act.startswith("sign-in")]
    assert signins == [("sign-in-failed", {"reason": "wrong password", "client": "10.0.0.8",
                                           "via": "smtp"})]


def test_account_and_item_entries_share_one_unbroken_chain(stores):
    store, users, b = stores
    held_mail(store)
    users.add("olga", "officer", PASSWORD, actor="root")
    held_mail(store)
    users.authenticate("olga", PASSWORD)
    actions = [e.action for e in store.audit_entries()]
    assert actions == ["hold", "user-add", "hold", "sign-in"]
    assert [e.seq for e in store.audit_entries()] == [1, 2, 3, 4]
    assert verify_chain(store.audit_entries(), store.audit_head()).ok
    # Editing an account entry is detected like editing any other.
    b.execute("UPDATE audit SET actor = ? WHERE action = ?", ("nobody", "user-add"))
    assert not verify_chain(store.audit_entries(), store.audit_head()).ok


def test_a_failed_change_leaves_no_audit_entry(stores):
    store, users, _ = stores
    users.add("olga", "officer", PASSWORD, actor="root")
    with pytest.raises(UserError, match="already exists"):
        users.add("olga", "auditor", PASSWORD, actor="root")
    assert [act for _, act, _ in trail(store, "olga")] == ["user-add"]


def test_the_officer_ui_audits_sign_in_and_an_admin_adding_a_user(tmp_path):
    from ui_harness import add_user, client, csrf_of, running_ui, sign_in

    store = SqliteStore(tmp_path / "q.sqlite")
    try:
        with running_ui(store) as ui:
            add_user(ui, "root", "admin")

            async def body():
                async with client() as s:
                    assert (await sign_in(s, ui.url, "root", "not the password")).status == 401
                    assert (await sign_in(s, ui.url, "root")).status == 200
                    token = await csrf_of(s, ui.url, "/users")
                    async with s.post(f"{ui.url}/users", data={
                            "name": "petra", "role": "officer", "password": PASSWORD,
                            "csrf": token}) as response:
                        assert response.status == 200
                    async with s.get(f"{ui.url}/audit?item=user:petra") as page:
                        return await page.text()

            page = asyncio.run(body())
        root = [(e.action, e.detail.get("client")) for e in store.audit_entries("user:root")]
        assert root[1:] == [("sign-in-failed", "127.0.0.1"), ("sign-in", "127.0.0.1")]
        assert trail(store, "petra") == [("root", "user-add", {"role": "officer"})]
        assert "user-add" in page
    finally:
        store.close()
