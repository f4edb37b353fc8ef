"""The quarantine store contract, run against every backend (the shared suite)."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from filters.types import Hit, Verdict
from quarantine.sqlite_store import SqliteStore
from quarantine.store import (
    Decision,
    HoldRequest,
    IntegrityError,
    ItemQuery,
    NotFound,
    StoreError,
)

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite"])
def store(request, tmp_path):
    backend = SqliteStore(tmp_path / "quarantine.sqlite")
    yield backend
    backend.close()


def hold(store, *, subject="Budget", sender="alice@example.org", category="classification",
         severity="high", content=b"From: a\r\n\r\nSECRET\r\n", received=T0, kind="mail"):
    hit = Hit(rule="classification.en.banner", category=category, severity=severity,
              where="mail/body[1]", excerpt="SECRET", span=(0, 6), description="banner")
    return store.hold(HoldRequest(
        kind=kind, sender=sender, recipients=("bob@example.com",), subject=subject,
        verdict=Verdict("quarantine", (hit,)), content=content, received=received,
        client="127.0.0.1", meta={"helo": "mx.example.org"},
    ))


def test_hold_returns_a_pending_item_with_a_quotable_id(store):
    item = hold(store)
    assert re.fullmatch(r"Q-[0-9A-Z]{4}-[0-9A-Z]{4}", item.id)
    assert item.status == "pending"
    assert item.hits[0].span == (0, 6) and item.hits[0].excerpt == "SECRET"
    assert item.size == len(b"From: a\r\n\r\nSECRET\r\n")
    assert store.get(item.id) == item
    assert item.as_dict()["recipients"] == ["bob@example.com"]


def test_content_round_trips_and_is_checked_against_its_digest(store):
    item = hold(store)
    assert store.content(item.id) == b"From: a\r\n\r\nSECRET\r\n"


def test_spooled_content_is_stored_whole(store, tmp_path):
    spool = tmp_path / "big.eml"
    spool.write_bytes(b"x" * (3 * 1024 * 1024 + 7))
    item = hold(store, content=spool)
    assert item.size == spool.stat().st_size
    assert store.content(item.id) == spool.read_bytes()


def test_unknown_item_is_not_found(store):
    with pytest.raises(NotFound):
        store.get("Q-0000-0000")


def test_decision_moves_status_once(store):
    item = hold(store)
    decided = store.record_decision(item.id, Decision("release", "olga", T0, "ok to send"),
                                    "released", expect_status=["pending"])
    assert decided.status == "released"
    assert decided.decisions[0].officer == "olga" and decided.decisions[0].comment == "ok to send"
    with pytest.raises(StoreError, match="is released, not pending"):
        store.record_decision(item.id, Decision("reject", "pavel", T0), "rejected",
                              expect_status=["pending"])


def test_list_filters_sorts_pages_and_counts(store):
    for i in range(7):
        hold(store, subject=f"item {i}", received=T0 + timedelta(minutes=i),
             category="draft" if i % 2 else "classification",
             severity="medium" if i % 2 else "high", sender=f"user{i}@example.org")
    items, total = store.list(ItemQuery(limit=3))
    assert total == 7 and [i.subject for i in items] == ["item 6", "item 5", "item 4"]
    items, total = store.list(ItemQuery(category="draft"))
    assert total == 3 and all("draft" in i.categories for i in items)
    items, total = store.list(ItemQuery(min_severity="high"))
    assert total == 4
    items, total = store.list(ItemQuery(search="user3@"))
    assert [i.subject for i in items] == ["item 3"]
    items, total = store.list(ItemQuery(since=T0 + timedelta(minutes=5), sort="received"))
    assert [i.subject for i in items] == ["item 5", "item 6"]
    _, total = store.list(ItemQuery(status="released"))
    assert total == 0
    with pytest.raises(StoreError, match="cannot sort"):
        store.list(ItemQuery(sort="password"))


def test_items_survive_reopening(tmp_path):
    path = tmp_path / "q.sqlite"
    first = SqliteStore(path)
    item = hold(first)
    first.close()
    again = SqliteStore(path)
    assert again.get(item.id).subject == "Budget"
    assert again.schema_version() >= 1
    again.close()


def test_tampered_content_is_detected(tmp_path):
    path = tmp_path / "q.sqlite"
    store = SqliteStore(path)
    item = hold(store)
    store.close()
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE contents SET data = ? WHERE item_id = ?", (b"edited", item.id))
    store = SqliteStore(path)
    with pytest.raises(IntegrityError, match="does not match its SHA-256"):
        store.content(item.id)
    store.close()


def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "q.sqlite"
    SqliteStore(path).close()
    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA user_version = 99")
    with pytest.raises(StoreError, match="newer than this Redline"):
        SqliteStore(path)
