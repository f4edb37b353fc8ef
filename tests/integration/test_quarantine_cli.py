"""``redline quarantine ...`` as officers and scripts run it: a real subprocess on a real store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import on_test_clock, require_peer
from fixtures.quarantine import PG_DSN, backend, held_mail, postgres_missing

pytestmark = pytest.mark.clock  # dates matter: scripts/test.sh runs it a year ahead too


ROOT = Path(__file__).resolve().parents[2]


def redline(*args: str, stdin: bytes | None = None, env: dict | None = None
            ) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "REDLINE_TOKEN"}
    return subprocess.run(on_test_clock([sys.executable, "-m", "gateway.cli", *args]),
                          capture_output=True, timeout=30, cwd=ROOT, input=stdin,
                          env={**environment, **(env or {})})


PASSWORD = "correct horse battery"


def add_account(data_dir, name: str, role: str = "officer", *extra: str) -> None:
    done = redline("user", "add", name, "--role", role, "--password-stdin", *extra,
                   "--data-dir", str(data_dir), stdin=PASSWORD.encode() + b"\n")
    assert done.returncode == 0, done.stderr


def as_officer(name: str, *args: str, password: str = PASSWORD) -> dict:
    """Arguments and stdin for a command acting as ``name`` with its password."""
    return {"args": ("--as", name, "--password-stdin", *args),
            "stdin": password.encode() + b"\n"}


def decide(verb: str, item_id: str, data_dir, name: str, *extra: str,
           password: str = PASSWORD, confirm: bool = True) -> subprocess.CompletedProcess:
    """``redline quarantine VERB`` as ``name``; a release comes with a comment and the
    confirmation a classified item asks for, unless the test gives its own."""
    if verb == "release" and confirm:
        extra = (*extra, "--confirm", item_id)
        if "--comment" not in extra:
            extra = (*extra, "--comment", "cleared by the owner")
    who = as_officer(name, *extra, password=password)
    return redline("quarantine", verb, item_id, *who["args"], "--data-dir", str(data_dir),
                   stdin=who["stdin"])


def add_accounts(data_dir, *names: str, role: str = "officer", confirm_by: str = "",
                 settled: bool = False) -> None:
    """Accounts made in-process (faster than a command each), confirmed by a second admin,
    or ``settled``: set up two days ago, so they count under four-eyes by the delay."""
    import time_machine

    from quarantine.users import UserStore

    store = backend_open(data_dir)
    users = UserStore(store)
    try:
        for name in names:
            if settled:
                with time_machine.travel(datetime.now(UTC) - timedelta(days=2), tick=False):
                    users.add(name, role, PASSWORD, actor="root")
            else:
                users.add(name, role, PASSWORD, actor="root")
            if confirm_by:
                users.confirm(name, actor=confirm_by, delay=timedelta(hours=24),
                              change=users.get(name).change_id)
    finally:
        users.close()
        store.close()


def change_id(data_dir, name: str) -> str:
    """The id of ``name``'s pending account change, as `redline user list --json` shows it."""
    done = redline("user", "list", "--json", "--data-dir", str(data_dir))
    assert done.returncode == 0, done.stderr
    return next(u["change_id"] for u in json.loads(done.stdout) if u["name"] == name)


@pytest.fixture
def data_dir(tmp_path):
    now = datetime.now(UTC)
    with backend("sqlite", tmp_path) as db:
        store = db.open()
        held_mail(store, subject="Quarterly numbers", severity="high",
                  received=now - timedelta(days=2, hours=1))
        held_mail(store, subject="Launch plan", severity="critical",
                  sender="pavel@example.org", received=now - timedelta(days=2))
        store.close()
        # Officers confirmed by a second admin, whose own account counts already (set up
        # longer ago than account_change_delay_hours), so that they count under four-eyes.
        add_accounts(tmp_path, "adam", role="admin", settled=True)
        add_accounts(tmp_path, "olga", "ivan", "pavel", confirm_by="adam")
        yield tmp_path


def backend_open(data_dir):
    from quarantine.sqlite_store import SqliteStore

    return SqliteStore(data_dir / "quarantine.sqlite")


def listing(data_dir, *extra) -> list[dict]:
    done = redline("quarantine", "list", "--data-dir", str(data_dir), "--json", *extra)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_list_json_prints_an_array_of_items_with_the_stable_fields(data_dir):
    items = listing(data_dir)
    assert [i["subject"] for i in items] == ["Launch plan", "Quarterly numbers"]
    for item in items:
        assert {"id", "kind", "status", "received", "sender", "recipients", "subject", "size",
                "hits"} <= set(item)
    assert items[0]["hits"][0]["severity"] == "critical"
    assert items[0]["recipients"] == ["bob@example.com"]
    assert listing(data_dir, "--min-severity", "critical")[0]["subject"] == "Launch plan"
    assert listing(data_dir, "--status", "released") == []


def test_release_with_as_and_comment_is_recorded_and_audited(data_dir):
    item = listing(data_dir, "--search", "Quarterly")[0]
    done = decide("release", item["id"], data_dir, "olga", "--comment", "ok by legal")
    assert done.returncode == 0, done.stderr
    assert b"released; it is queued for delivery" in done.stdout
    shown = redline("quarantine", "show", item["id"], "--data-dir", str(data_dir), "--json")
    detail = json.loads(shown.stdout)
    assert detail["status"] == "released" and detail["delivery"]["state"] == "queued"
    assert detail["decisions"][0] == {**detail["decisions"][0], "action": "release",
                                      "officer": "olga", "comment": "ok by legal"}
    audit = json.loads(redline("audit", "list", "--item", item["id"], "--data-dir", str(data_dir),
                               "--json").stdout)
    assert [(e["actor"], e["action"], e["comment"]) for e in audit][-1] == (
        "olga", "release", "ok by legal")


def test_releasing_a_classified_item_takes_a_comment_and_a_confirmation_of_what_leaves(data_dir):
    item = listing(data_dir, "--search", "Quarterly")[0]
    bare = decide("release", item["id"], data_dir, "olga", confirm=False)
    assert bare.returncode == 1 and b"a comment is required" in bare.stderr
    unconfirmed = decide("release", item["id"], data_dir, "olga", "--comment", "ok", confirm=False)
    assert unconfirmed.returncode == 1
    # The refusal names what would leave: sender, recipients, subject, where it is marked.
    for words in (b"alice@example.org", b"bob@example.com", b"Quarterly numbers", b"--confirm"):
        assert words in unconfirmed.stderr
    wrong = decide("release", item["id"], data_dir, "olga", "--comment", "ok", "--confirm",
                   "Q-0000-0000", confirm=False)
    assert wrong.returncode == 1
    assert listing(data_dir, "--search", "Quarterly")[0]["status"] == "pending"
    assert decide("release", item["id"], data_dir, "olga").returncode == 0


def test_under_four_eyes_the_first_release_asks_for_a_second_officer(data_dir):
    item = listing(data_dir, "--search", "Launch")[0]
    first = decide("release", item["id"], data_dir, "olga", "--json")
    answer = json.loads(first.stdout)
    assert first.returncode == 0
    assert answer["needs_second_officer"] is True and answer["status"] == "pending"
    assert "second officer" in answer["message"]
    again = decide("release", item["id"], data_dir, "olga")
    assert again.returncode == 1 and b"already approved" in again.stderr
    # The same name written differently is the same officer.
    spaced = decide("release", item["id"], data_dir, " OLGA ")
    assert spaced.returncode == 1 and b"already approved" in spaced.stderr
    second = decide("release", item["id"], data_dir, "ivan", "--json")
    assert json.loads(second.stdout)["status"] == "released"


def test_an_officer_cannot_decide_on_their_own_mail(data_dir):
    item = listing(data_dir, "--search", "Launch")[0]
    done = decide("reject", item["id"], data_dir, "pavel")
    assert done.returncode == 1 and b"nobody decides on their own item" in done.stderr
    assert listing(data_dir, "--search", "Launch")[0]["status"] == "pending"


@pytest.mark.parametrize(("how", "why"), [
    ((), b"say who acts"),
    (("--as", "nobodyhere", "--password-stdin"), b"wrong name or password"),
    (("--as", "olga", "--password-stdin"), b"wrong name or password"),  # stdin: a wrong one
    (("--as", "olga"), b"no terminal to ask for the password"),  # piped, no --password-stdin
    (("--as", "adam", "--password-stdin"), b"may not do this"),  # an admin never decides
])
def test_the_command_line_decides_only_as_a_proven_officer(data_dir, how, why):
    item = listing(data_dir, "--search", "Quarterly")[0]
    password = PASSWORD if "adam" in how else "not the password"
    done = redline("quarantine", "reject", item["id"], *how, "--data-dir", str(data_dir),
                   stdin=password.encode() + b"\n")
    assert done.returncode == 1 and why in done.stderr, done.stderr
    assert b"Traceback" not in done.stderr
    assert listing(data_dir, "--search", "Quarterly")[0]["status"] == "pending"


def test_an_api_token_in_the_environment_acts_as_its_account(data_dir):
    token = redline("user", "token", "ivan", "--data-dir", str(data_dir)).stdout.decode().strip()
    item = listing(data_dir, "--search", "Quarterly")[0]
    done = redline("quarantine", "reject", item["id"], "--data-dir", str(data_dir),
                   env={"REDLINE_TOKEN": token})
    assert done.returncode == 0, done.stderr
    assert listing(data_dir, "--status", "rejected")[0]["decisions"][0]["officer"] == "ivan"
    forged = redline("quarantine", "release", listing(data_dir, "--search", "Launch")[0]["id"],
                     "--data-dir", str(data_dir), env={"REDLINE_TOKEN": "rl_forged"})
    assert forged.returncode == 1 and b"not a valid API token" in forged.stderr


def test_one_admin_cannot_set_up_two_officers_and_release_alone(data_dir):
    # Two officers set up by the same person (here: whoever runs 'redline user add') do not
    # count under four-eyes until the delay has passed or a second admin confirms them.
    add_accounts(data_dir, "mallory1", "mallory2")
    item = listing(data_dir, "--search", "Launch")[0]
    first = decide("release", item["id"], data_dir, "mallory1")
    assert first.returncode == 1 and b"under four-eyes it counts from" in first.stderr
    assert b"redline user confirm mallory1" in first.stderr
    # Below the four-eyes severity one officer suffices, and the delay does not apply.
    quarterly = listing(data_dir, "--search", "Quarterly")[0]
    assert decide("release", quarterly["id"], data_dir, "mallory1").returncode == 0
    # Nor can an admin account the same person just set up (they know its password):
    # it vouches for nobody until it counts itself.
    add_accounts(data_dir, "eve", role="admin")
    who = as_officer("eve")
    refused = redline("user", "confirm", "mallory1", *who["args"], "--data-dir", str(data_dir),
                      stdin=who["stdin"])
    assert refused.returncode != 0 and b"was itself set up by root" in refused.stderr
    assert decide("release", item["id"], data_dir, "mallory1").returncode == 1
    # The admin who made a change cannot confirm it; another admin can.
    add_accounts(data_dir, "bea", role="admin", settled=True)
    who = as_officer("bea")
    confirmed = redline("user", "confirm", "mallory1", *who["args"], "--data-dir", str(data_dir),
                        "--change", change_id(data_dir, "mallory1"), stdin=who["stdin"])
    assert confirmed.returncode == 0, confirmed.stderr
    assert decide("release", item["id"], data_dir, "mallory1").returncode == 0
    assert json.loads(decide("release", item["id"], data_dir, "ivan", "--json").stdout)[
        "status"] == "released"
    audit = json.loads(redline("audit", "list", "--data-dir", str(data_dir), "--json").stdout)
    assert ("bea", "user-confirm", "user:mallory1") in [
        (e["actor"], e["action"], e["item"]) for e in audit]


def test_user_confirm_on_the_command_line_confirms_only_the_change_it_showed(data_dir):
    """Admin cleo sets a new password on nora's account (so she knows it) while admin bea,
    on the command line, is about to vouch for the account's creation she checked."""
    import re

    from quarantine.users import UserStore

    add_accounts(data_dir, "bea", "cleo", role="admin", settled=True)
    add_accounts(data_dir, "nora")
    who = as_officer("bea")

    def confirm(*extra: str) -> subprocess.CompletedProcess:
        return redline("user", "confirm", "nora", *who["args"], *extra, "--data-dir",
                       str(data_dir), stdin=who["stdin"])

    def confirmed_by() -> str:
        return next(u["confirmed_by"] for u in json.loads(redline(
            "user", "list", "--json", "--data-dir", str(data_dir)).stdout) if u["name"] == "nora")

    # Without naming a change nothing is confirmed: the command shows it and its id.
    shown = confirm()
    assert shown.returncode == 1, shown.stdout
    for words in (b"account nora (officer)", b"root created the account", b"--change ch-"):
        assert words in shown.stderr, shown.stderr
    creation = re.search(rb"ch-[0-9a-f]{12}", shown.stderr).group().decode()
    assert confirmed_by() == ""
    store = backend_open(data_dir)
    users = UserStore(store)
    try:
        users.set_password("nora", "cleo knows this one now", actor="cleo")
    finally:
        users.close()
        store.close()
    stale = confirm("--change", creation)
    assert stale.returncode == 1 and b"changed again since (by cleo" in stale.stderr
    assert confirmed_by() == ""
    assert confirm("--change", "ch-000000000000").returncode == 1
    shown = confirm()
    assert b"cleo set its password" in shown.stderr, shown.stderr
    current = re.search(rb"ch-[0-9a-f]{12}", shown.stderr).group().decode()
    assert current != creation
    done = confirm("--change", current)
    assert done.returncode == 0, done.stderr
    assert f"change {current} by cleo confirmed by bea".encode() in done.stdout
    assert confirmed_by() == "bea"
    audit = json.loads(redline("audit", "list", "--data-dir", str(data_dir), "--json").stdout)
    (entry,) = [e for e in audit if e["action"] == "user-confirm" and e["item"] == "user:nora"]
    assert entry["actor"] == "bea"


def test_an_officer_cannot_release_mail_sent_from_one_of_their_own_addresses(data_dir, tmp_path):
    add_account(data_dir, "olivia", "officer", "--address", "o.marsh@example.org")
    who = as_officer("adam")
    assert redline("user", "confirm", "olivia", *who["args"], "--data-dir", str(data_dir),
                   "--change", change_id(data_dir, "olivia"), stdin=who["stdin"]).returncode == 0
    store = backend_open(data_dir)
    try:
        # A bounce address as envelope sender, the person in From with a +tag and other case.
        held_mail(store, sender="bounces-123@lists.example.org", subject="Own mail",
                  body=b"From: Olivia Marsh <O.Marsh+travel@Example.org>\r\nSubject: Own mail"
                       b"\r\n\r\nSECRET plans\r\n")
    finally:
        store.close()
    item = listing(data_dir, "--search", "Own mail")[0]
    done = decide("release", item["id"], data_dir, "olivia")
    assert done.returncode == 1 and b"nobody decides on their own item" in done.stderr
    assert decide("release", item["id"], data_dir, "ivan").returncode == 0


def test_show_content_writes_the_original_and_audits_the_view(data_dir):
    item = listing(data_dir, "--search", "Quarterly")[0]
    who = as_officer("olga")
    done = redline("quarantine", "show", item["id"], "--content", *who["args"],
                   "--data-dir", str(data_dir), stdin=who["stdin"])
    assert done.returncode == 0 and b"SECRET plans" in done.stdout
    audit = json.loads(redline("audit", "list", "--item", item["id"], "--data-dir", str(data_dir),
                               "--json").stdout)
    assert (audit[-1]["actor"], audit[-1]["action"]) == ("olga", "view")


def test_an_unknown_item_is_an_error_that_says_so(data_dir):
    done = redline("quarantine", "release", "Q-0000-0000", "--data-dir", str(data_dir))
    assert done.returncode == 2 and b"no quarantine item Q-0000-0000" in done.stderr


def test_purge_applies_retention_from_the_config_file(data_dir, tmp_path):
    config = tmp_path / "redline.toml"
    config.write_text(f'data_dir = "{data_dir}"\n[quarantine]\npending_expiry_hours = 1\n')
    done = redline("quarantine", "purge", "--config", str(config), "--json")
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["expired"]) == 2  # held two days ago, far over an hour
    assert {i["status"] for i in listing(data_dir)} == {"expired"}


def test_the_store_comes_from_the_config_file_on_postgresql(tmp_path):
    require_peer(postgres_missing())
    with backend("postgres", tmp_path) as db:
        store = db.open()
        item = held_mail(store, received=datetime.now(UTC) - timedelta(minutes=5))
        store.close()
        config = tmp_path / "redline.toml"
        config.write_text(f'[quarantine]\nbackend = "postgres"\npostgres_dsn = "{PG_DSN}"\n'
                          f'postgres_schema = "{db.schema}"\n'
                          f'content_key_file = "{db.key_file}"\n')
        done = redline("quarantine", "list", "--config", str(config), "--json")
        assert done.returncode == 0, done.stderr
        assert [i["id"] for i in json.loads(done.stdout)] == [item.id]


def test_mark_and_monitor_report_from_the_command_line(data_dir):
    from filters.types import Hit, Verdict
    from quarantine.store import HoldRequest

    store = backend_open(data_dir)
    try:
        hit = Hit(rule="draft.en.banner", category="draft", severity="medium",
                  where="mail/body[1]", excerpt="DRAFT", span=(0, 5))
        item = store.hold(HoldRequest(
            kind="mail", sender="alice@example.org", recipients=("bob@example.com",),
            subject="Minutes", verdict=Verdict("monitor", (hit,)), content=b"DRAFT\r\n",
            received=datetime.now(UTC), status="monitored", keep_content=False))
    finally:
        store.close()
    assert [i["id"] for i in listing(data_dir, "--status", "monitored")] == [item.id]
    refused = redline("quarantine", "list", "--status", "held", "--data-dir", str(data_dir))
    assert refused.returncode == 2 and b"monitored" in refused.stderr  # the choices named
    marked = decide("mark", item.id, data_dir, "olga", "--would", "release", "--json")
    assert marked.returncode == 0, marked.stderr
    assert json.loads(marked.stdout)["mark"] == "would-release"
    done = redline("quarantine", "monitor-report", "--data-dir", str(data_dir), "--json")
    report = json.loads(done.stdout)
    assert report["rules"]["draft.en.banner"]["false_positive_share"] == 1.0
    text = redline("quarantine", "monitor-report", "--data-dir", str(data_dir))
    assert b"false positives 100%" in text.stdout
