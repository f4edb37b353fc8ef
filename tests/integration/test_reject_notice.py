"""A rejected mail's sender gets one notice through the delivery outbox, never its content.

Real parts: both store backends, aiosmtpd upstreams on 127.0.0.1, the OutboxWorker with
an smtplib Deliverer, and the gateway's own relay with DKIM for the signed path.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.policy import SMTP

import dkim
import pytest
from fixtures.quarantine import (
    BACKENDS,
    T0,
    Clock,
    SmtpDeliverer,
    backend_for,
    free_port,
    held_mail,
    upstream,
)
from integration.smtp_harness import Upstream

from quarantine.config import QuarantineConfig
from quarantine.outbox import OutboxWorker
from quarantine.service import QuarantineService
from quarantine.ui.model import bulk_decide

pytestmark = pytest.mark.clock  # dates matter: scripts/test.sh runs it a year ahead too


FROM = "postmaster@gateway.example.org"




@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    for chosen in backend_for(request, tmp_path):
        opened = chosen.open()
        yield opened
        opened.close()


def service(store, clock=None, **options):
    options.setdefault("notice_from", FROM)
    config = QuarantineConfig(four_eyes_severity="off", **options)
    return QuarantineService(store, config, clock=clock or Clock(T0 + timedelta(hours=1)))


def worker_for(svc, deliverer, **options):
    """An OutboxWorker on the same clock as ``svc``: one clock for everything a test drives."""
    return OutboxWorker(svc.store, deliverer, clock=svc.clock, **options)


def real_now() -> datetime:
    return datetime.now(UTC)


def parse(data: bytes):
    return message_from_bytes(data, policy=SMTP)


def test_an_officer_reject_sends_the_sender_one_notice_without_content(store):
    item = held_mail(store, sender="alice@example.org",
                     recipients=("bob@example.com", "eve@example.net"), subject="Budget 2027")
    svc = service(store)
    outcome = svc.reject(item.id, "olga", "classified annex, ask the owner")
    assert "sender will be notified" in outcome.message
    with upstream() as (handler, port):
        worker = worker_for(svc, SmtpDeliverer("127.0.0.1", port), worker_id="w1")
        assert worker.drain() == 1
        assert worker.drain() == 0  # exactly once
    (got,) = handler.messages
    assert got.sender == "<>" and got.recipients == ["alice@example.org"]  # MAIL FROM:<>
    notice = parse(got.data)
    assert notice["To"] == "alice@example.org"
    assert notice["From"].addresses[0].addr_spec == FROM
    assert notice["Subject"] == "Not delivered: Budget 2027"
    assert notice["Auto-Submitted"] == "auto-replied"
    assert notice["In-Reply-To"].startswith("<") and notice["In-Reply-To"].endswith("@example.org>")
    body = notice.get_content()
    for field in (item.id, "Budget 2027", "bob@example.com, eve@example.net", "classification",
                  "classified annex, ask the owner", "2026-11-23 09:00:00 UTC",
                  "2026-11-23 10:00:00 UTC", "an officer rejected it"):
        assert field in body, field
    # Neither the excerpt nor any of the held mail is in the notice.
    assert b"SECRET" not in got.data and b"plans" not in got.data
    assert store.get(item.id).status == "rejected"  # the notice leaves the status alone
    assert store.outbox_state(item.id)["state"] == "done"
    actions = [(e.action, e.detail.get("notice")) for e in store.audit_entries(item.id)]
    assert actions == [("hold", None), ("reject", "queued"), ("notice-sent", None)]


def test_a_bulk_reject_notifies_each_sender_once(store):
    first = held_mail(store, sender="alice@example.org")
    second = held_mail(store, sender="carol@example.org")
    svc = service(store)
    result = bulk_decide(svc, [first.id, second.id, first.id], "reject", "olga", "bulk clean-up")
    assert sorted(result.done) == sorted([first.id, second.id])
    with upstream() as (handler, port):
        assert worker_for(svc, SmtpDeliverer("127.0.0.1", port)).drain() == 2
    assert sorted(m.recipients[0] for m in handler.messages) == ["alice@example.org",
                                                                  "carol@example.org"]
    assert all(b"bulk clean-up" in m.data for m in handler.messages)


def test_expiry_rejects_and_notifies_the_sender(store):
    item = held_mail(store, sender="dan@example.org", subject="Q3 draft")
    clock = Clock(T0 + timedelta(hours=30))
    svc = service(store, clock, pending_expiry_hours=24)
    assert svc.expire() == [item.id]
    with upstream() as (handler, port):
        assert OutboxWorker(store, SmtpDeliverer("127.0.0.1", port), clock=clock).drain() == 1
    (got,) = handler.messages
    assert got.recipients == ["dan@example.org"]
    body = parse(got.data).get_content()
    assert item.id in body and "Q3 draft" in body
    assert "nobody decided on it within 24 hours" in body
    assert store.get(item.id).status == "expired"


@pytest.mark.parametrize(("sender", "body", "why"), [
    ("", None, "null sender"),
    ("MAILER-DAEMON@example.org", None, "mail system address"),
    ("postmaster@example.org", None, "mail system address"),
    ("alice@example.org", b"From: alice@example.org\r\nAuto-Submitted: auto-replied\r\n"
     b"Subject: Out of office\r\n\r\nSECRET\r\n", "Auto-Submitted"),
    ("alice@example.org", b"From: alice@example.org\r\nList-Id: <staff.example.org>\r\n"
     b"Subject: digest\r\n\r\nSECRET\r\n", "List-Id"),
])
def test_no_notice_where_it_could_loop(store, sender, body, why):
    item = held_mail(store, sender=sender, body=body)
    svc = service(store)
    outcome = svc.reject(item.id, "olga", "no")
    assert outcome.message == f"{item.id} rejected"
    assert store.outbox_state(item.id) is None
    with upstream() as (handler, port):
        assert worker_for(svc, SmtpDeliverer("127.0.0.1", port)).drain() == 0
    assert handler.messages == []
    reject = [e for e in store.audit_entries(item.id) if e.action == "reject"]
    assert why in reject[0].detail["notice"]


def test_an_upload_reject_sends_nothing_and_says_why(store):
    item = held_mail(store, sender="carol", kind="upload")
    service(store).reject(item.id, "olga")
    assert store.outbox_state(item.id) is None
    (reject,) = [e for e in store.audit_entries(item.id) if e.action == "reject"]
    assert reject.detail["notice"] == "none: an upload has no address to notify"


def test_notices_off_queues_nothing(store):
    item = held_mail(store)
    service(store, notify_sender_on_reject=False).reject(item.id, "olga")
    assert store.outbox_state(item.id) is None


def test_the_notice_survives_an_upstream_outage_and_is_sent_once(store):
    # The retry waits in real time, so the item, the service and the worker all use it.
    item = held_mail(store, received=real_now())
    svc = service(store, real_now)
    svc.reject(item.id, "olga", "no")
    port = free_port()
    worker = worker_for(svc, SmtpDeliverer("127.0.0.1", port, timeout=2), retry_seconds=0.05)
    assert worker.run_once()  # nobody listens: deferred, kept
    state = store.outbox_state(item.id)
    assert state["state"] == "queued" and state["attempts"] == 1
    up = Upstream(port).start()
    try:
        deadline = time.monotonic() + 5
        while store.outbox_state(item.id)["state"] != "done" and time.monotonic() < deadline:
            worker.run_once() or time.sleep(0.02)
        assert worker.drain() == 0
    finally:
        up.stop()
    assert [m.recipients for m in up.messages] == [["alice@example.org"]]
    actions = [e.action for e in store.audit_entries(item.id)]
    assert actions == ["hold", "reject", "notice-deferred", "notice-sent"]


def test_a_queued_notice_keeps_its_item_from_purge_until_sent(store):
    item = held_mail(store)
    clock = Clock(T0 + timedelta(hours=1))
    svc = service(store, clock, purge_after_days=1)
    svc.reject(item.id, "olga")
    clock.now += timedelta(days=2)
    assert svc.purge() == []  # the notice is still queued
    with upstream() as (_, port):
        assert worker_for(svc, SmtpDeliverer("127.0.0.1", port)).drain() == 1
    assert svc.purge() == [item.id]


def test_the_notice_is_relayed_and_dkim_signed_like_released_mail(tmp_path):
    from gateway.background import release_signer
    from gateway.smtp.config import UpstreamConfig
    from gateway.smtp.dkim import DkimSigner, generate_key
    from gateway.smtp.relay import Relay, RelayPool
    from quarantine.sqlite_store import SqliteStore

    keys = tmp_path / "keys"
    _, txt = generate_key(keys, "example.org", "rel1", "ed25519")
    store = SqliteStore(tmp_path / "q.sqlite")
    up = Upstream().start()
    pool = RelayPool(UpstreamConfig(address=f"127.0.0.1:{up.port}"), "redline.test")
    try:
        item = held_mail(store)
        svc = service(store, notice_from="postmaster@example.org")
        svc.reject(item.id, "olga", "no")
        relay = Relay(pool, release_signer(DkimSigner.from_dir(keys)))
        assert worker_for(svc, relay).drain() == 1
        (got,) = up.messages
        assert got.sender == "<>" and got.recipients == ["alice@example.org"]
        records = {b"rel1._domainkey.example.org.": txt.encode()}
        assert dkim.DKIM(got.content).verify(dnsfunc=lambda name, timeout=5: records.get(name))
        assert b"SECRET" not in got.content
    finally:
        pool.close()
        store.close()
        up.stop()


def test_a_reject_in_the_officer_ui_shows_the_sender_notice_and_its_state(tmp_path):
    import asyncio

    from ui_harness import add_user, client, csrf_of, hit, hold, running_ui, sign_in

    from quarantine.sqlite_store import SqliteStore

    store = SqliteStore(tmp_path / "q.sqlite")
    try:
        with running_ui(store) as ui, upstream() as (handler, port):
            add_user(ui, "olga", "officer")
            item_id = hold(store, sender="alice@example.org", subject="Plans",
                           hits=[hit("SECRET plans attached", "SECRET")])

            async def decide_and_read() -> list[str]:
                pages = []
                async with client() as s:
                    await sign_in(s, ui.url, "olga")
                    token = await csrf_of(s, ui.url)
                    async with s.post(f"{ui.url}/items/{item_id}/decide",
                                      data={"action": "reject", "csrf": token,
                                            "comment": "not for outside"}) as response:
                        assert response.status == 200
                    async with s.get(f"{ui.url}/items/{item_id}") as page:
                        pages.append(await page.text())
                    await asyncio.to_thread(
                        OutboxWorker(store, SmtpDeliverer("127.0.0.1", port)).drain)
                    async with s.get(f"{ui.url}/items/{item_id}") as page:
                        pages.append(await page.text())
                return pages

            queued, sent = asyncio.run(decide_and_read())
        assert "Sender notice" in queued and ">queued<" in queued
        assert "Sender notice" in sent and ">sent<" in sent
        (got,) = handler.messages
        assert got.recipients == ["alice@example.org"] and b"not for outside" in got.data
        assert b"SECRET" not in got.data
    finally:
        store.close()
