"""Officer decisions through the quarantine service, on both store backends.

Four-eyes, nobody deciding on their own item, audited views, upload allowances, expiry
and purge: the rules the CLI, the UI and the JSON API all go through.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from fixtures.quarantine import BACKENDS, T0, Clock, backend_for, held_mail

from quarantine.audit import verify_chain
from quarantine.config import QuarantineConfig
from quarantine.service import ConfirmationNeeded, DecisionRefused, QuarantineService

pytestmark = pytest.mark.clock  # dates matter: scripts/test.sh runs it a year ahead too


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    for chosen in backend_for(request, tmp_path):
        opened = chosen.open()
        yield opened
        opened.close()


def service(store, clock=None, **options):
    return QuarantineService(store, QuarantineConfig(**options), clock=clock or Clock(T0))


def test_release_of_a_mail_queues_it_for_delivery(store):
    item = held_mail(store, severity="high")
    outcome = service(store).release(item.id, "olga", "customer asked", confirmation=item.id)
    assert outcome.done and outcome.item.status == "released"
    assert store.outbox_state(item.id)["state"] == "queued"
    assert outcome.item.decisions[-1].comment == "customer asked"


def test_four_eyes_needs_two_different_officers(store):
    item = held_mail(store, severity="critical")
    svc = service(store, four_eyes_severity="critical")
    first = svc.release(item.id, "olga", "looks fine", confirmation=item.id)
    assert not first.done and first.item.status == "pending"
    assert "second officer" in first.message
    assert store.outbox_state(item.id) is None
    with pytest.raises(DecisionRefused, match="already approved"):
        svc.release(item.id, "OLGA", "ok", confirmation=item.id)
    second = svc.release(item.id, "pavel", "agreed", confirmation=item.id)
    assert second.done and second.item.status == "released"
    assert [d.action for d in second.item.decisions] == ["approve", "release"]
    assert store.outbox_state(item.id)["state"] == "queued"


def test_below_the_four_eyes_severity_one_officer_releases(store):
    item = held_mail(store, severity="high")
    svc = service(store, four_eyes_severity="critical")
    assert svc.release(item.id, "olga", "ok", confirmation=item.id).done


def test_nobody_decides_on_their_own_item(store):
    item = held_mail(store, sender="Olga.Ivanova@example.org")
    svc = service(store, four_eyes_severity="off")
    for officer in ("olga.ivanova", "olga.ivanova@example.org"):
        with pytest.raises(DecisionRefused, match="nobody decides on their own item"):
            svc.release(item.id, officer, "ok", confirmation=item.id)
        with pytest.raises(DecisionRefused, match="nobody decides on their own item"):
            svc.reject(item.id, officer)
    with pytest.raises(DecisionRefused, match="reserved for automatic decisions"):
        svc.release(item.id, "system", "ok", confirmation=item.id)
    assert store.get(item.id).status == "pending" and not store.get(item.id).decisions


def test_a_decided_item_cannot_be_decided_again(store):
    item = held_mail(store)
    svc = service(store)
    svc.reject(item.id, "olga", "classified")
    with pytest.raises(DecisionRefused, match="it is rejected, not pending"):
        svc.release(item.id, "pavel", "ok", confirmation=item.id)


def test_viewing_and_downloading_content_is_audited(store):
    item = held_mail(store)
    svc = service(store)
    assert b"SECRET plans" in svc.content(item.id, "olga")
    svc.content(item.id, "pavel", download=True)
    audit = [(e.actor, e.action) for e in store.audit_entries(item.id)]
    assert audit == [("system", "hold"), ("olga", "view"), ("pavel", "download")]


def test_a_released_upload_lets_the_same_user_send_the_same_content_for_a_while(store):
    item = held_mail(store, kind="upload", sender="carol", recipients=("files.partner.example",),
                     body=b"draft budget v3")
    clock = Clock(T0)
    svc = service(store, clock, upload_release_minutes=30)
    assert not svc.upload_allowed("carol", item.sha256, "files.partner.example")
    outcome = svc.release(item.id, "olga", "ok", confirmation=item.id)
    assert "carol may send the same content for 30 minutes" in outcome.message
    assert store.outbox_state(item.id) is None  # uploads are not mailed
    clock.now = T0 + timedelta(minutes=29)
    assert svc.upload_allowed("carol", item.sha256, "files.partner.example")
    assert not svc.upload_allowed("dave", item.sha256, "files.partner.example")
    assert not svc.upload_allowed("carol", item.sha256, "paste.example.net")
    clock.now = T0 + timedelta(minutes=31)
    assert not svc.upload_allowed("carol", item.sha256, "files.partner.example")


def test_pending_items_expire_as_rejected_and_it_is_audited(store):
    old = held_mail(store, received=T0)
    fresh = held_mail(store, received=T0 + timedelta(hours=20))
    clock = Clock(T0 + timedelta(hours=25))
    assert service(store, clock, pending_expiry_hours=24).expire() == [old.id]
    expired = store.get(old.id)
    assert expired.status == "expired" and expired.decisions[-1].officer == "system"
    assert store.get(fresh.id).status == "pending"
    assert store.outbox_state(old.id)["kind"] == "notice"  # to the sender; the mail never goes
    entry = list(store.audit_entries(old.id))[-1]
    assert (entry.actor, entry.action) == ("system", "expire")


def test_expiry_may_release_but_never_what_four_eyes_guards_nor_a_marking(store):
    low = held_mail(store, severity="medium", category="draft")
    critical = held_mail(store, severity="critical", category="draft")
    # A classification marking: nobody confirmed what leaves, so time does not release it.
    marked = held_mail(store, severity="medium")
    clock = Clock(T0 + timedelta(hours=2))
    svc = service(store, clock, pending_expiry_hours=1, expiry_action="release",
                  four_eyes_severity="critical")
    assert sorted(svc.expire()) == sorted([low.id, critical.id, marked.id])
    assert store.get(low.id).status == "released"
    assert store.outbox_state(low.id)["state"] == "queued"
    assert store.get(critical.id).status == "expired"
    assert store.get(marked.id).status == "expired"


def test_every_release_of_a_marking_needs_a_comment_and_the_confirmation(store):
    """The service enforces it, so no caller (UI, API, CLI, bulk, a script) can skip it."""
    item = held_mail(store, subject="Budget 2027")
    svc = service(store, four_eyes_severity="off")
    for comment, confirmation, why in (("", item.id, "comment is required"),
                                       ("cleared", "", "without confirming what leaves"),
                                       ("cleared", "yes", "without confirming what leaves"),
                                       ("cleared", item.id.lower(), "confirming what leaves")):
        with pytest.raises(ConfirmationNeeded, match=why) as refused:
            svc.release(item.id, "olga", comment, confirmation=confirmation)
        assert "comment" in why or "Budget 2027" in str(refused.value)  # names what leaves
    assert store.get(item.id).status == "pending" and not store.get(item.id).decisions
    # The officer is checked before the item is described: an own item names nothing.
    own = held_mail(store, sender="olga@example.org", subject="Secret subject")
    with pytest.raises(DecisionRefused, match="their own item") as refused:
        svc.release(own.id, "olga")
    assert "Secret subject" not in str(refused.value)
    assert svc.release(item.id, "olga", "cleared", confirmation=f" {item.id} ").done
    # Without a marking, no confirmation is asked for.
    draft = held_mail(store, category="draft")
    assert svc.release(draft.id, "olga").done


def test_decided_items_are_purged_after_the_retention_and_it_is_audited(store):
    rejected = held_mail(store)
    kept = held_mail(store)
    clock = Clock(T0)
    # No sender notices here: a queued notice holds its item back from purge until sent.
    svc = service(store, clock, purge_after_days=30, notify_sender_on_reject=False)
    svc.reject(rejected.id, "olga")
    clock.now = T0 + timedelta(days=29)
    assert svc.purge() == []
    svc.reject(kept.id, "olga")
    clock.now = T0 + timedelta(days=31)
    assert svc.purge() == [rejected.id]
    assert store.get(kept.id).status == "rejected"
    entry = list(store.audit_entries(rejected.id))[-1]
    assert (entry.actor, entry.action, entry.detail["status"]) == ("system", "purge", "rejected")
    assert verify_chain(store.audit_entries(), store.audit_head()).ok


def monitored_mail(store, *, sender="alice@example.org", received=T0):
    """Record a delivered mail the policy monitors (content not kept); return the item."""
    from filters.types import Hit, Verdict
    from quarantine.store import HoldRequest

    hit = Hit(rule="draft.en.banner", category="draft", severity="medium",
              where="mail/body[1]", excerpt="DRAFT", span=(0, 5))
    return store.hold(HoldRequest(
        kind="mail", sender=sender, recipients=("bob@example.com",), subject="Minutes",
        verdict=Verdict("monitor", (hit,)), content=b"From: a\r\n\r\nDRAFT\r\n",
        received=received, status="monitored", keep_content=False))


def test_marks_on_a_monitored_item_are_audited_and_change_nothing_else(store):
    item = monitored_mail(store)
    svc = service(store)
    marked = svc.mark(item.id, "olga", "release", "minutes template, not a draft")
    marked = svc.mark(item.id, "pavel", "reject")
    assert marked.status == "monitored"
    assert [(d.action, d.officer) for d in marked.decisions] == [
        ("would-release", "olga"), ("would-reject", "pavel")]
    assert store.outbox_state(item.id) is None  # nothing to deliver, nothing queued
    assert [e.action for e in store.audit_entries(item.id)] == [
        "monitor", "would-release", "would-reject"]
    with pytest.raises(DecisionRefused, match="monitored, not pending"):
        svc.release(item.id, "olga", "ok", confirmation=item.id)
    with pytest.raises(DecisionRefused, match="monitored, not pending"):
        svc.reject(item.id, "olga")
    with pytest.raises(DecisionRefused, match="nobody decides on their own item"):
        svc.mark(item.id, "alice", "release")
    with pytest.raises(DecisionRefused, match="expected release or reject"):
        svc.mark(item.id, "olga", "approve")
    held = held_mail(store)
    with pytest.raises(DecisionRefused, match="pending, not monitored"):
        svc.mark(held.id, "olga", "reject")
    assert verify_chain(store.audit_entries(), store.audit_head()).ok


def test_monitored_items_are_purged_on_their_own_retention(store):
    clock = Clock(T0)
    old = monitored_mail(store, received=T0)
    recent = monitored_mail(store, received=T0 + timedelta(days=9))
    svc = service(store, clock, monitored_purge_after_days=7, purge_after_days=90)
    clock.now = T0 + timedelta(days=10)
    assert svc.purge() == [old.id]
    assert store.get(recent.id).status == "monitored"
    clock.now = T0 + timedelta(days=17)
    assert svc.purge() == [recent.id]


def test_monitor_report_counts_rules_categories_marks_and_false_positive_share(store):
    from quarantine.monitor import monitor_report

    svc = service(store)
    first, second, third = (monitored_mail(store) for _ in range(3))
    held_mail(store)  # a pending item is not in the report
    svc.mark(first.id, "olga", "release", "template")
    svc.mark(second.id, "olga", "release")
    svc.mark(second.id, "olga", "reject")  # the officer's later mark supersedes
    report = monitor_report(store)
    assert report["items"] == 3
    row = report["rules"]["draft.en.banner"]
    assert row == {"items": 3, "marked": 2, "would_release": 1, "would_reject": 1,
                   "false_positive_share": 0.5}
    assert report["categories"]["draft"]["items"] == 3
    assert third.id  # unmarked: counted in items only
    assert monitor_report(store, since=T0 + timedelta(days=1))["items"] == 0
