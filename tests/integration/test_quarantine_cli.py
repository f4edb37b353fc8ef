"""``redline quarantine ...`` as officers and scripts run it: a real subprocess on a real store."""

from __future__ import annotations

import getpass
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import require_peer
from fixtures.quarantine import PG_DSN, backend, held_mail, postgres_missing

pytestmark = pytest.mark.clock  # dates matter: scripts/test.sh runs it a year ahead too


ROOT = Path(__file__).resolve().parents[2]


def redline(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gateway.cli", *args], capture_output=True,
                          timeout=30, cwd=ROOT, input=stdin)


@pytest.fixture
def data_dir(tmp_path):
    with backend("sqlite", tmp_path) as db:
        store = db.open()
        held_mail(store, subject="Quarterly numbers", severity="high",
                  received=datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
        held_mail(store, subject="Launch plan", severity="critical",
                  sender="pavel@example.org", received=datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
        store.close()
        yield tmp_path


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
    done = redline("quarantine", "release", item["id"], "--as", "olga", "--comment", "ok by legal",
                   "--data-dir", str(data_dir))
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


def test_under_four_eyes_the_first_release_asks_for_a_second_officer(data_dir):
    item = listing(data_dir, "--search", "Launch")[0]
    first = redline("quarantine", "release", item["id"], "--as", "olga", "--json",
                    "--data-dir", str(data_dir))
    answer = json.loads(first.stdout)
    assert first.returncode == 0
    assert answer["needs_second_officer"] is True and answer["status"] == "pending"
    assert "second officer" in answer["message"]
    again = redline("quarantine", "release", item["id"], "--as", "olga", "--data-dir", str(data_dir))
    assert again.returncode == 1 and b"already approved" in again.stderr
    second = redline("quarantine", "release", item["id"], "--as", "ivan", "--json",
                     "--data-dir", str(data_dir))
    assert json.loads(second.stdout)["status"] == "released"


def test_an_officer_cannot_decide_on_their_own_mail(data_dir):
    item = listing(data_dir, "--search", "Launch")[0]
    done = redline("quarantine", "reject", item["id"], "--as", "pavel", "--data-dir", str(data_dir))
    assert done.returncode == 1 and b"nobody decides on their own item" in done.stderr
    assert listing(data_dir, "--search", "Launch")[0]["status"] == "pending"


def test_the_default_officer_is_the_operating_system_user(data_dir):
    item = listing(data_dir, "--search", "Quarterly")[0]
    done = redline("quarantine", "reject", item["id"], "--data-dir", str(data_dir))
    assert done.returncode == 0, done.stderr
    assert listing(data_dir, "--status", "rejected")[0]["decisions"][0]["officer"] == getpass.getuser()


def test_show_content_writes_the_original_and_audits_the_view(data_dir):
    item = listing(data_dir, "--search", "Quarterly")[0]
    done = redline("quarantine", "show", item["id"], "--content", "--as", "olga",
                   "--data-dir", str(data_dir))
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
    assert len(json.loads(done.stdout)["expired"]) == 2  # held in 2026-11, far over an hour
    assert {i["status"] for i in listing(data_dir)} == {"expired"}


def test_the_store_comes_from_the_config_file_on_postgresql(tmp_path):
    require_peer(postgres_missing())
    with backend("postgres", tmp_path) as db:
        store = db.open()
        item = held_mail(store, received=datetime.now(UTC) - timedelta(minutes=5))
        store.close()
        config = tmp_path / "redline.toml"
        config.write_text(f'[quarantine]\nbackend = "postgres"\npostgres_dsn = "{PG_DSN}"\n'
                          f'postgres_schema = "{db.schema}"\n')
        done = redline("quarantine", "list", "--config", str(config), "--json")
        assert done.returncode == 0, done.stderr
        assert [i["id"] for i in json.loads(done.stdout)] == [item.id]
