"""The quarantine store contract, run against every backend (the shared suite).

Each test runs on SQLite (a file in tmp_path) and on the real PostgreSQL server (a fresh
schema of database ``test``, dropped afterwards).
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta

import pytest
from fixtures.quarantine import BACKENDS, backend_for

from filters.types import Hit, Verdict
from quarantine.audit import verify_chain
from quarantine.store import (
    MONITORED,
    Decision,
    HoldRequest,
    IntegrityError,
    ItemQuery,
    NotFound,
    StoreError,
)

pytestmark = pytest.mark.clock  # dates matter: scripts/test.sh runs it a year ahead too


T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture(params=BACKENDS)
def db(request, tmp_path):
    """The backend under test, empty."""
    yield from backend_for(request, tmp_path)


@pytest.fixture
def store(db):
    opened = db.open()
    yield opened
    opened.close()


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


def test_items_survive_reopening(db):
    first = db.open()
    item = hold(first)
    first.close()
    again = db.open()
    assert again.get(item.id).subject == "Budget"
    assert again.schema_version() >= 1
    again.close()


def test_tampered_content_is_detected(db, store):
    item = hold(store)
    db.execute("UPDATE contents SET data = ? WHERE item_id = ?", (b"edited", item.id))
    with pytest.raises(IntegrityError, match="does not open with its key: it was altered"):
        store.content(item.id)


def test_a_newer_schema_is_refused(db):
    db.open().close()
    if db.name == "sqlite":
        db.execute("PRAGMA user_version = 99")
    else:
        db.execute("INSERT INTO schema_version (version) VALUES (99)")
    with pytest.raises(StoreError, match="newer than this Redline"):
        db.open()


def test_release_queues_delivery_in_the_same_transaction(store):
    item = hold(store)
    assert store.outbox_state(item.id) is None
    store.record_decision(item.id, Decision("release", "olga", T0), "released",
                          expect_status=["pending"], enqueue_delivery=True)
    assert store.outbox_state(item.id)["state"] == "queued"


def test_a_refused_decision_queues_nothing(store):
    item = hold(store)
    store.record_decision(item.id, Decision("reject", "olga", T0), "rejected",
                          expect_status=["pending"])
    with pytest.raises(StoreError):
        store.record_decision(item.id, Decision("release", "pavel", T0), "released",
                              expect_status=["pending"], enqueue_delivery=True)
    assert store.outbox_state(item.id) is None


def test_claims_are_leased_and_expired_leases_taken_over(store):
    item = hold(store)
    store.record_decision(item.id, Decision("release", "olga", T0), "released",
                          expect_status=["pending"], enqueue_delivery=True)
    first = store.claim_delivery("node-a", T0, lease_seconds=60)
    assert first.item_id == item.id and first.attempts == 1 and not first.taken_over
    assert store.get(item.id).status == "delivering"
    assert store.claim_delivery("node-b", T0 + timedelta(seconds=30), 60) is None
    second = store.claim_delivery("node-b", T0 + timedelta(seconds=61), 60)
    assert second.item_id == item.id and second.attempts == 2 and second.taken_over
    # The stale owner may not push the row back to the queue while node-b sends it.
    assert not store.finish_delivery(item.id, "node-a", T0, replies={}, remaining=("bob@example.com",),
                                     final_status=None, next_attempt=T0)
    assert store.finish_delivery(item.id, "node-b", T0 + timedelta(seconds=62),
                                 replies={"bob@example.com": (250, "ok")}, remaining=(),
                                 final_status="delivered", next_attempt=None)
    # Recording twice is harmless: the second finds it done.
    assert not store.finish_delivery(item.id, "node-a", T0 + timedelta(seconds=63),
                                     replies={"bob@example.com": (250, "ok")}, remaining=(),
                                     final_status="delivered", next_attempt=None)
    assert store.get(item.id).status == "delivered"
    assert store.claim_delivery("node-c", T0 + timedelta(days=1), 60) is None
    actions = [e.action for e in store.audit_entries(item.id)]
    assert actions == ["hold", "release", "lease-expired", "deliver"]


def test_a_deferral_requeues_for_later(store):
    item = hold(store)
    store.record_decision(item.id, Decision("release", "olga", T0), "released",
                          expect_status=["pending"], enqueue_delivery=True)
    store.claim_delivery("node-a", T0, 60)
    later = T0 + timedelta(minutes=5)
    assert store.finish_delivery(item.id, "node-a", T0, replies={"bob@example.com": (451, "busy")},
                                 remaining=("bob@example.com",), final_status=None,
                                 next_attempt=later)
    assert store.claim_delivery("node-a", T0 + timedelta(minutes=1), 60) is None
    again = store.claim_delivery("node-a", later, 60)
    assert again.attempts == 2 and again.replies == {"bob@example.com": (451, "busy")}


def test_upload_allowance_is_for_that_user_digest_and_site_until_it_ends(store):
    item = hold(store, kind="upload", sender="carol", content=b"draft budget")
    (site,) = item.recipients
    until = T0 + timedelta(minutes=30)
    store.record_decision(item.id, Decision("release", "olga", T0), "released",
                          expect_status=["pending"], allow_upload_until=until)
    assert store.upload_allowed("carol", item.sha256, site, T0 + timedelta(minutes=29))
    assert not store.upload_allowed("carol", item.sha256, site, until)
    assert not store.upload_allowed("dave", item.sha256, site, T0)
    assert not store.upload_allowed("carol", "0" * 64, site, T0)
    # Released to the site the officer saw, not to any other host.
    assert not store.upload_allowed("carol", item.sha256, "paste.example.net", T0)


def test_purge_deletes_decided_items_but_not_queued_deliveries(store):
    rejected = hold(store, subject="old rejected")
    queued = hold(store, subject="old released")
    pending = hold(store, subject="still pending")
    store.record_decision(rejected.id, Decision("reject", "olga", T0), "rejected",
                          expect_status=["pending"])
    store.record_decision(queued.id, Decision("release", "olga", T0), "released",
                          expect_status=["pending"], enqueue_delivery=True)
    cutoff = T0 + timedelta(days=1)
    assert store.purgeable_before(cutoff) == [rejected.id]
    assert store.purge(rejected.id, "system", cutoff, cutoff)
    with pytest.raises(NotFound):
        store.get(rejected.id)
    assert not store.purge(pending.id, "system", cutoff, cutoff)
    assert store.get(queued.id).status == "released"
    assert [e.action for e in store.audit_entries(rejected.id)][-1] == "purge"


def test_every_change_is_in_one_intact_audit_chain(store):
    item = hold(store)
    store.audit(T0, "olga", "view", item.id)
    store.record_decision(item.id, Decision("reject", "olga", T0, "not to leave"), "rejected",
                          expect_status=["pending"])
    entries = list(store.audit_entries())
    assert [(e.seq, e.action, e.actor) for e in entries] == [
        (1, "hold", "system"), (2, "view", "olga"), (3, "reject", "olga")]
    assert entries[2].comment == "not to leave"
    result = verify_chain(entries, store.audit_head())
    assert result.ok and result.entries == 3 and store.audit_head() == (3, entries[-1].hash)


def test_audit_reads_page_newest_first_and_resume_after_a_seq(store):
    first, second = hold(store), hold(store)
    store.audit(T0, "olga", "view", first.id)
    page, total = store.audit_page(None, 2, 0)
    assert total == 3 and [(e.seq, e.action) for e in page] == [(3, "view"), (2, "hold")]
    page, total = store.audit_page(None, 2, 2)
    assert total == 3 and [e.seq for e in page] == [1]
    page, total = store.audit_page(first.id, 10, 0)
    assert total == 2 and [e.action for e in page] == ["view", "hold"]
    assert [e.seq for e in store.audit_entries(after_seq=1)] == [2, 3]
    assert [e.item_id for e in store.audit_entries(second.id, after_seq=1)] == [second.id]


def test_a_retried_message_finds_its_pending_item_and_is_not_held_twice(store, tmp_path):
    from quarantine.store import hold_once

    def request(content, recipients=("bob@example.com",), sender="alice@example.org"):
        hit = Hit(rule="classification.en.banner", category="classification", severity="high",
                  where="mail/body[1]", excerpt="SECRET", span=(0, 6), description="banner")
        return HoldRequest(kind="mail", sender=sender, recipients=recipients, subject="Budget",
                           verdict=Verdict("quarantine", (hit,)), content=content, received=T0)

    message = b"Message-ID: <1@example.org>\r\n\r\nSECRET\r\n"
    first, again = hold_once(store, request(message))
    assert not again
    spooled = tmp_path / "retry.eml"
    spooled.write_bytes(message)
    assert hold_once(store, request(spooled)) == (first, True)  # same bytes from a spool file
    # Another message, other recipients or another sender is a new item.
    assert not hold_once(store, request(message.replace(b"<1@", b"<2@")))[1]
    assert not hold_once(store, request(message, recipients=("carol@example.com",)))[1]
    assert not hold_once(store, request(message, sender="mallory@example.org"))[1]
    # Once decided, the same bytes again are a new item for the officers.
    store.record_decision(first.id, Decision("reject", "olga", T0, "no"), "rejected",
                          expect_status=["pending"])
    assert not hold_once(store, request(message))[1]


def test_a_retried_monitored_message_finds_its_record_and_never_a_held_one(store):
    from quarantine.store import hold_once

    hit = Hit(rule="draft.en.banner", category="draft", severity="medium",
              where="mail/body[1]", excerpt="DRAFT", span=(0, 5))
    message = b"Message-ID: <7@example.org>\r\n\r\nDRAFT\r\n"

    def request(status: str) -> HoldRequest:
        verdict = Verdict("monitor" if status == "monitored" else "quarantine", (hit,))
        return HoldRequest(kind="mail", sender="alice@example.org",
                           recipients=("bob@example.com",), subject="Minutes", verdict=verdict,
                           content=message, received=T0, status=status,
                           keep_content=status != "monitored")

    first, again = hold_once(store, request("monitored"))
    assert not again and first.status == "monitored"
    assert hold_once(store, request("monitored")) == (first, True)
    assert len(store.list(ItemQuery(status="monitored"))[0]) == 1
    # The same bytes held under an enforcing policy are a pending item of their own, and a
    # retry of that finds the pending one, not the monitored record.
    held, again = hold_once(store, request("pending"))
    assert not again and held.id != first.id and held.status == "pending"
    assert hold_once(store, request("pending")) == (held, True)


def monitored(store, *, keep_content: bool, content=b"From: a\r\n\r\nDRAFT\r\n", received=T0):
    hit = Hit(rule="draft.en.banner", category="draft", severity="medium",
              where="mail/body[1]", excerpt="DRAFT", span=(0, 5))
    return store.hold(HoldRequest(
        kind="mail", sender="alice@example.org", recipients=("bob@example.com",),
        subject="Minutes", verdict=Verdict("monitor", (hit,)), content=content,
        received=received, status="monitored", keep_content=keep_content,
        meta={"enforced": "quarantine"}))


def test_a_monitored_item_keeps_metadata_and_hits_and_content_only_if_asked(store, tmp_path):
    bare = monitored(store, keep_content=False)
    assert bare.status == "monitored" and bare.verdict == "monitor"
    assert bare.size == 18 and bare.sha256 == hashlib.sha256(b"From: a\r\n\r\nDRAFT\r\n").hexdigest()
    assert store.get(bare.id).hits[0].excerpt == "DRAFT"
    with pytest.raises(NotFound):
        store.content(bare.id)
    spool = tmp_path / "kept.eml"
    spool.write_bytes(b"DRAFT\r\n" * 1000)
    kept = monitored(store, keep_content=True, content=spool)
    assert store.content(kept.id) == spool.read_bytes()
    assert {i.id for i in store.list(ItemQuery(status="monitored"))[0]} == {kept.id, bare.id}
    assert store.list(ItemQuery(status="pending"))[1] == 0
    assert [e.action for e in store.audit_entries(bare.id)] == ["monitor"]
    # A monitored item is never a pending duplicate (a retried held mail is one), only a
    # monitored one.
    assert store.same_message("mail", "alice@example.org", ["bob@example.com"],
                              bare.sha256) is None
    assert store.same_message("mail", "alice@example.org", ["bob@example.com"], bare.sha256,
                              "monitored") in (bare.id, kept.id)


def test_monitored_items_have_their_own_retention(store):
    old = monitored(store, keep_content=True, received=T0)
    new = monitored(store, keep_content=False, received=T0 + timedelta(days=20))
    decided = hold(store, received=T0)
    store.record_decision(decided.id, Decision("reject", "olga", T0), "rejected",
                          expect_status=["pending"])
    cutoff = T0 + timedelta(days=10)
    assert store.purgeable_before(cutoff, statuses=MONITORED) == [old.id]
    assert store.purgeable_before(cutoff) == [decided.id]  # decided retention is apart
    assert not store.purge(new.id, "system", cutoff, cutoff, statuses=MONITORED)
    assert not store.purge(old.id, "system", cutoff, cutoff)  # not with the decided cutoff
    assert store.purge(old.id, "system", cutoff, cutoff, statuses=MONITORED)
    with pytest.raises(NotFound):
        store.get(old.id)
    assert store.get(new.id).status == "monitored"
