"""Released mail leaves like passing mail: through the relay, DKIM-signed, exactly once."""

from __future__ import annotations

import smtplib
import time
from datetime import UTC, datetime

import dkim
from integration.smtp_harness import RunningGateway, Upstream

from filters.build import build_pipeline
from filters.types import Hit, Verdict
from gateway.background import Background
from gateway.smtp.config import UpstreamConfig
from gateway.smtp.dkim import DkimSigner, generate_key
from gateway.smtp.relay import RelayPool
from quarantine.config import QuarantineConfig
from quarantine.service import QuarantineService
from quarantine.sqlite_store import SqliteStore
from quarantine.store import HoldRequest, ItemQuery

MESSAGE = (b"From: alice@example.org\r\nTo: bob@example.com\r\nSubject: Plan\r\n"
           b"Message-ID: <plan-1@example.org>\r\n\r\nSECRET\r\nplan\r\n")


def held(store) -> str:
    hit = Hit("classification.en.banner", "classification", "high", "mail/body[1]", "SECRET")
    item = store.hold(HoldRequest(kind="mail", sender="alice@example.org",
                                  recipients=("bob@example.com",), subject="Plan",
                                  verdict=Verdict("quarantine", (hit,)), content=MESSAGE,
                                  received=datetime.now(UTC)))
    return item.id


def wait_for(predicate, seconds=10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_released_mail_is_relayed_dkim_signed_once(tmp_path):
    upstream = Upstream().start()
    keys = tmp_path / "keys"
    _, txt = generate_key(keys, "example.org", "rel1", "ed25519")
    store = SqliteStore(tmp_path / "q.sqlite")
    config = QuarantineConfig(four_eyes_severity="off")
    pool = RelayPool(UpstreamConfig(address=f"127.0.0.1:{upstream.port}"), "redline.test")
    background = Background(store=store, quarantine_config=config, upstream_pool=pool,
                            signer=DkimSigner.from_dir(keys), data_dir=tmp_path)
    background.start()
    try:
        item_id = held(store)
        QuarantineService(store, config).release(item_id, "olga", "cleared by the owner",
                                                 confirmation=item_id)
        assert wait_for(lambda: store.get(item_id).status == "delivered")
        time.sleep(0.3)  # a second delivery would show up here
        (got,) = upstream.messages
        assert got.recipients == ["bob@example.com"]
        assert b"X-Redline-Verdict: released\r\n" in got.content
        assert got.content.endswith(MESSAGE)
        records = {b"rel1._domainkey.example.org.": txt.encode()}
        assert dkim.DKIM(got.content).verify(dnsfunc=lambda name, timeout=5: records.get(name))
    finally:
        background.stop()
        pool.close()
        store.close()
        upstream.stop()


def test_without_upstream_released_mail_lands_in_the_maildir(tmp_path):
    store = SqliteStore(tmp_path / "q.sqlite")
    config = QuarantineConfig(four_eyes_severity="off")
    background = Background(store=store, quarantine_config=config, upstream_pool=None,
                            signer=DkimSigner.from_dir(tmp_path / "none"), data_dir=tmp_path)
    background.start()
    try:
        item_id = held(store)
        QuarantineService(store, config).release(item_id, "olga", "cleared",
                                                 confirmation=item_id)
        assert wait_for(lambda: store.get(item_id).status == "delivered")
        [path] = list((tmp_path / "outbox" / "new").iterdir())
        assert path.read_bytes().endswith(MESSAGE)
    finally:
        background.stop()
        store.close()


def test_a_notice_is_signed_but_gets_no_released_verdict(tmp_path):
    from gateway.background import release_signer

    keys = tmp_path / "keys"
    generate_key(keys, "example.org", "n1", "ed25519")
    sign = release_signer(DkimSigner.from_dir(keys))
    notice = (b"From: postmaster@example.org\r\nTo: alice@example.org\r\n"
              b"X-Redline-Notice: rejected Q-AAAA-BBBB\r\nSubject: Not delivered\r\n\r\nbody\r\n")
    head = sign(notice)
    assert b"DKIM-Signature:" in head and b"X-Redline-Verdict" not in head
    assert sign(MESSAGE).endswith(b"X-Redline-Verdict: released\r\n")


def test_a_mail_posing_as_a_notice_is_released_with_its_verdict(tmp_path):
    # A sender writes X-Redline-Notice into a marked mail so that, once released, it
    # would pass for one of Redline's notices and leave with no "released" verdict.
    upstream = Upstream().start()
    gateway = RunningGateway(tmp_path, build_pipeline(),
                             upstream=f"127.0.0.1:{upstream.port}").start()
    config = QuarantineConfig(four_eyes_severity="off")
    pool = RelayPool(UpstreamConfig(address=f"127.0.0.1:{upstream.port}"), "redline.test")
    background = Background(store=gateway.store, quarantine_config=config, upstream_pool=pool,
                            signer=DkimSigner.from_dir(tmp_path / "none"), data_dir=tmp_path)
    background.start()
    try:
        with smtplib.SMTP("127.0.0.1", gateway.port, timeout=10) as smtp:
            smtp.sendmail("alice@example.org", ["bob@example.com"], MESSAGE.replace(
                b"Subject: Plan\r\n", b"X-Redline-Notice: rejected Q-AAAA-BBBB\r\n"
                b"x-redline-whatever: 1\r\nSubject: Plan\r\n"))
        (item,), _ = gateway.store.list(ItemQuery())
        assert b"X-Redline-Notice" not in gateway.store.content(item.id)
        QuarantineService(gateway.store, config).release(item.id, "olga", "cleared",
                                                         confirmation=item.id)
        assert wait_for(lambda: gateway.store.get(item.id).status == "delivered")
        (got,) = upstream.messages
        assert b"X-Redline-Verdict: released\r\n" in got.content
        assert b"X-Redline-Notice" not in got.content
        assert b"x-redline-whatever" not in got.content
        assert got.content.endswith(MESSAGE)
    finally:
        background.stop()
        pool.close()
        gateway.stop()
        upstream.stop()
