"""The audit hash chain: what it covers and how verification names the first bad entry."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from quarantine.audit import GENESIS, AuditEntry, canonical, entry_hash, verify_chain

pytestmark = pytest.mark.clock  # dates matter: scripts/test.sh runs it a year ahead too


T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def chain(n: int) -> list[AuditEntry]:
    entries, prev = [], GENESIS
    for seq in range(1, n + 1):
        fields = dict(seq=seq, at=T0 + timedelta(minutes=seq), actor="olga", action="view",
                      item_id=f"Q-0000-000{seq}", comment=f"look {seq}", detail={"n": seq})
        digest = entry_hash(prev, **fields)
        entries.append(AuditEntry(**fields, prev_hash=prev, hash=digest))
        prev = digest
    return entries


def test_hash_is_sha256_over_previous_hash_and_canonical_json():
    text = canonical(1, T0, "olga", "release", "Q-1", "fine", {"b": 1, "a": "é"})
    assert text == ('{"action":"release","actor":"olga","at":"2026-11-23T09:00:00.000000+00:00",'
                    '"comment":"fine","detail":{"a":"é","b":1},"item":"Q-1","seq":1}')
    assert entry_hash(GENESIS, 1, T0, "olga", "release", "Q-1", "fine", {"a": "é", "b": 1}) == \
        hashlib.sha256((GENESIS + text).encode()).hexdigest()


def test_the_same_instant_in_another_zone_hashes_the_same():
    other = T0.astimezone(datetime.now().astimezone().tzinfo)
    assert entry_hash(GENESIS, 1, T0, "a", "b", "c", "", {}) == \
        entry_hash(GENESIS, 1, other, "a", "b", "c", "", {})


def test_an_intact_chain_verifies():
    entries = chain(5)
    result = verify_chain(entries, (5, entries[-1].hash))
    assert result.ok and result.entries == 5 and result.head_hash == entries[-1].hash


def test_an_edited_comment_is_found_at_its_entry():
    entries = chain(5)
    entries[2] = dataclasses.replace(entries[2], comment="nothing to see")
    result = verify_chain(entries)
    assert not result.ok and result.first_bad_seq == 3 and "edited" in result.problem


def test_an_edited_entry_with_a_recomputed_hash_breaks_the_next_link():
    entries = chain(5)
    forged = dataclasses.replace(entries[1], actor="mallory")
    forged = dataclasses.replace(forged, hash=entry_hash(
        forged.prev_hash, forged.seq, forged.at, forged.actor, forged.action, forged.item_id,
        forged.comment, forged.detail))
    entries[1] = forged
    result = verify_chain(entries)
    assert not result.ok and result.first_bad_seq == 3 and "does not link" in result.problem


def test_a_deleted_entry_is_found():
    entries = chain(5)
    del entries[1]
    result = verify_chain(entries)
    assert not result.ok and result.first_bad_seq == 2 and "missing" in result.problem


def test_a_cut_off_end_is_found_against_the_recorded_head():
    entries = chain(5)
    result = verify_chain(entries[:3], (5, entries[-1].hash))
    assert not result.ok and result.first_bad_seq == 4 and "end of the log" in result.problem


def test_an_empty_log_verifies():
    assert verify_chain([], (0, GENESIS)).ok


class ListStore:
    """The two store reads ChainWatch uses, over an in-memory list (counting what it reads)."""

    def __init__(self, entries: list[AuditEntry]) -> None:
        self.entries = entries
        self.read = 0

    def audit_entries(self, item_id=None, *, after_seq: int = 0):
        for entry in self.entries:
            if entry.seq > after_seq:
                self.read += 1
                yield entry

    def audit_head(self):
        return (self.entries[-1].seq, self.entries[-1].hash) if self.entries else (0, GENESIS)


def test_chain_watch_reads_only_new_entries_between_full_checks():
    from quarantine.audit import ChainWatch

    now = [0.0]
    entries = chain(6)
    store = ListStore(entries[:4])
    watch = ChainWatch(full_seconds=600, clock=lambda: now[0])
    assert watch.check(store)[0].ok and store.read == 4
    store.entries = list(entries)  # two appended
    result, _ = watch.check(store)
    assert result.ok and result.entries == 6 and store.read == 6  # only the two new ones
    store.entries[1] = dataclasses.replace(entries[1], comment="rewritten")
    assert watch.check(store)[0].ok  # an old entry is not reread until the next full check
    now[0] += 600
    result, _ = watch.check(store)
    assert not result.ok and result.first_bad_seq == 2
    assert not watch.check(store)[0].ok  # and from then on every check reads it all
    store.entries[1] = entries[1]
    assert watch.check(store, full=True)[0].ok
