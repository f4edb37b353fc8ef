"""Tampering with the stored audit log (UPDATE or DELETE of a row) is detected.

Runs on both backends, through ``redline audit verify`` as a real subprocess for SQLite
and through the store for PostgreSQL (the CLI path is the same code).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures.quarantine import BACKENDS, backend, backend_for, held_mail

from quarantine.audit import verify_chain
from quarantine.service import QuarantineService

pytestmark = pytest.mark.clock  # dates matter: scripts/test.sh runs it a year ahead too


ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=BACKENDS)
def db(request, tmp_path):
    for chosen in backend_for(request, tmp_path):
        store = chosen.open()
        svc = QuarantineService(store)
        for n in range(3):
            item = held_mail(store, subject=f"item {n}")
            svc.content(item.id, "olga")
            svc.reject(item.id, "olga", f"reason {n}")
        store.close()
        yield chosen


def verify(db):
    store = db.open()
    try:
        return verify_chain(store.audit_entries(), store.audit_head())
    finally:
        store.close()


def test_an_untouched_log_verifies(db):
    result = verify(db)
    assert result.ok and result.entries == 9


def test_an_updated_comment_is_detected(db):
    db.execute("UPDATE audit SET comment = 'approved by the board' WHERE seq = 6")
    result = verify(db)
    assert not result.ok and result.first_bad_seq == 6


def test_a_deleted_row_is_detected(db):
    db.execute("DELETE FROM audit WHERE seq = 4")
    result = verify(db)
    assert not result.ok and result.first_bad_seq == 4 and "missing" in result.problem


def test_a_deleted_last_row_is_detected(db):
    db.execute("DELETE FROM audit WHERE seq = 9")
    result = verify(db)
    assert not result.ok and result.first_bad_seq == 9


def test_redline_audit_verify_exits_1_and_names_the_entry(tmp_path):
    with backend("sqlite", tmp_path) as db:
        store = db.open()
        item = held_mail(store)
        QuarantineService(store).reject(item.id, "olga", "classified")
        store.close()
        command = [sys.executable, "-m", "gateway.cli", "audit", "verify",
                   "--data-dir", str(tmp_path), "--json"]
        ok = subprocess.run(command, capture_output=True, text=True, timeout=30, cwd=ROOT)
        assert ok.returncode == 0 and json.loads(ok.stdout)["ok"] is True, ok.stderr
        db.execute("UPDATE audit SET actor = 'mallory' WHERE seq = 2")
        bad = subprocess.run(command, capture_output=True, text=True, timeout=30, cwd=ROOT)
        assert bad.returncode == 1
        assert json.loads(bad.stdout)["first_bad_seq"] == 2
        human = subprocess.run(command[:-1], capture_output=True, text=True, timeout=30,
                               cwd=ROOT)
        assert human.returncode == 1 and "TAMPERED at entry 2" in human.stdout
