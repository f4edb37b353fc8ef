"""Registered documents' fingerprints in both store backends: registered once, read change
by change after a watermark, removed, rejected items followed, purged items forgotten."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
import test_store
from fixtures.quarantine import held_mail

from filters.engines.fingerprint import FingerprintConfig, FingerprintEngine
from filters.types import Part
from quarantine.audit import verify_chain
from quarantine.fingerprints import (
    DuplicateDocument,
    RegistrationRefused,
    follow_rejections,
    register_files,
)
from quarantine.service import QuarantineService
from tests.fixtures.reports import FLOOD_REVIEW, body, rewrap

pytestmark = pytest.mark.clock

# Both backends, as the shared store suite opens them.
db, store = test_store.db, test_store.store

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def register(store, sha: str, hashes=(1, 2, 3, 4), source="plans"):
    return store.register_fingerprints(
        source=source, kind="registered", item_id="", sha256=sha,
        hashes=np.array(hashes, dtype=np.uint32), words=120.0, actor="olga", now=T0)


def test_changes_after_a_watermark_hold_only_what_is_new(store):
    first = register(store, "a" * 64, (5, 1, 9))
    changes = store.fingerprint_changes(0)
    assert [d.id for d in changes.added] == [first.id]
    assert changes.added[0].hashes.tolist() == [5, 1, 9]
    assert changes.added[0].describe() == "plans, registered 2026-12-01"
    mark = changes.watermark
    assert store.fingerprint_changes(mark).added == ()
    second = register(store, "b" * 64, source="budget")
    store.remove_fingerprints(first.id, actor="olga", now=T0)
    later = store.fingerprint_changes(mark)
    assert [d.id for d in later.added] == [second.id]
    assert later.removed == (first.id,)
    assert [r.id for r in store.fingerprint_records()] == [second.id]


def test_an_addition_removed_in_the_same_batch_is_not_handed_out(store):
    doc = register(store, "c" * 64)
    store.remove_fingerprints(doc.id, actor="olga", now=T0)
    changes = store.fingerprint_changes(0)
    assert changes.added == () and changes.removed == (doc.id,)


def test_the_same_content_is_registered_once(store):
    register(store, "d" * 64)
    with pytest.raises(DuplicateDocument, match="registered already as #"):
        register(store, "d" * 64, source="again")
    assert len(store.fingerprint_records()) == 1


def test_registration_and_removal_are_audited_in_the_chain(store):
    doc = register(store, "e" * 64)
    store.remove_fingerprints(doc.id, actor="pete", now=T0, comment="wrong file")
    actions = [(e.actor, e.action) for e in store.audit_entries()]
    assert ("olga", "fingerprints-add") in actions and ("pete", "fingerprints-remove") in actions
    assert verify_chain(store.audit_entries(), store.audit_head()).ok


def test_a_rejected_item_is_registered_and_its_resend_without_the_banner_is_found(store):
    message = ("From: anna@example.org\r\nTo: tom@example.net\r\nSubject: review\r\n\r\n"
               "SECRET\r\n\r\n" + body(FLOOD_REVIEW).replace("\n", "\r\n") + "\r\n").encode()
    item = held_mail(store, body=message, received=T0)
    QuarantineService(store).reject(item.id, "olga", "marked report")
    assert store.rejected_unregistered() == [item.id]
    assert follow_rejections(store, FingerprintConfig(), T0) == (1, 0)
    assert store.rejected_unregistered() == []
    engine = FingerprintEngine(source=_Source(store))
    engine.refresh()
    engine.begin_item()
    engine.scan(Part(origin="mail/body", text=rewrap(body(FLOOD_REVIEW[2:4]))))
    [hit] = engine.end_item("mail")
    assert f"of {item.id}, rejected 2026-12-01" in hit.description


def test_a_rejected_sign_up_is_skipped_and_not_looked_at_again(store):
    from filters.types import Hit, Verdict
    from quarantine.store import HoldRequest

    hit = Hit(rule="signup.form", category="signup", severity="high", where="upload",
              excerpt="email=x")
    item = store.hold(HoldRequest(kind="upload", sender="ann", recipients=("saas.example",),
                                  subject="POST /signup", verdict=Verdict("reject", (hit,)),
                                  content=b"email=ann%40example.org", received=T0))
    QuarantineService(store).reject(item.id, "olga")
    assert follow_rejections(store, FingerprintConfig(), T0) == (0, 0)
    [record] = store.fingerprint_records()
    assert record.kind == "skipped" and "signup" in record.note
    assert store.rejected_unregistered() == []
    assert store.fingerprint_changes(0).added == ()


def test_purged_items_lose_their_fingerprints_unless_kept(db, store):
    message = ("From: a@example.org\r\nTo: b@example.net\r\nSubject: r\r\n\r\n"
               + body(FLOOD_REVIEW) + "\r\n").encode()
    item = held_mail(store, body=message, received=T0)
    QuarantineService(store).reject(item.id, "olga")
    follow_rejections(store, FingerprintConfig(), T0)
    db.execute("DELETE FROM outbox")  # the notice to the sender has gone out
    later = T0 + timedelta(days=400)
    assert store.purge(item.id, "system", later, later)
    assert follow_rejections(store, FingerprintConfig(keep_after_purge=True), later) == (0, 0)
    assert len(store.fingerprint_records()) == 1
    assert follow_rejections(store, FingerprintConfig(), later) == (0, 1)
    assert store.fingerprint_records() == []
    assert store.fingerprint_changes(0).removed != ()


def test_files_are_registered_all_or_none_with_every_problem_named(store, tmp_path):
    good = tmp_path / "review.txt"
    good.write_text(body(FLOOD_REVIEW), encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    copy = tmp_path / "copy.txt"
    copy.write_bytes(good.read_bytes())
    with pytest.raises(RegistrationRefused) as refused:
        register_files(store, [good, empty, copy], "Reviews", "olga", FingerprintConfig(), T0)
    message = str(refused.value)
    assert "empty.txt: the file is empty" in message
    assert "copy.txt: the same content as" in message
    assert message.endswith("nothing was registered")
    assert store.fingerprint_records() == []
    [record] = register_files(store, [good], "Reviews", "olga", FingerprintConfig(), T0)
    assert record.source == "Reviews (review.txt)" and record.count > 10
    with pytest.raises(RegistrationRefused, match="registered already as #"):
        register_files(store, [copy], "Reviews", "olga", FingerprintConfig(), T0)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(store, tmp_path):
    big = tmp_path / "big.bin"
    with big.open("wb") as f:
        f.truncate(3 * 2**20)
    with pytest.raises(RegistrationRefused, match=r"3 MiB is larger than fingerprints\.max_file"):
        register_files(store, [big], "x", "olga", FingerprintConfig(max_file_bytes=2**20), T0)


class _Source:
    def __init__(self, store) -> None:
        self.store = store

    def changes(self, after: int):
        return self.store.fingerprint_changes(after)
