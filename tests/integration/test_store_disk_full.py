"""A full disk under the SQLite store is reported as what it is, and nothing is half-stored.

Real parts: a 1 MiB tmpfs mounted for the test (root, as in CI) holding a real SQLite store.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import pytest
from conftest import require_peer
from fixtures.quarantine import held_mail

from quarantine.sqlite_store import SqliteStore
from quarantine.store import ItemQuery, StoreError


@pytest.fixture
def small_disk():
    require_peer(None if os.geteuid() == 0 else "mounting a small tmpfs needs root")
    mount_point = Path(tempfile.mkdtemp(prefix="redline-full-"))
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount_point)],
                   check=True, timeout=30)
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False, timeout=30)
        mount_point.rmdir()


def test_a_full_disk_names_the_disk_and_keeps_the_store_whole(small_disk):
    store = SqliteStore(small_disk / "quarantine.sqlite")
    try:
        stored = 0
        with pytest.raises(StoreError) as failure:
            for number in range(200):
                held_mail(store, subject=f"mail {number}",
                          body=b"Subject: x\r\n\r\nSECRET " + os.urandom(40_000).hex().encode())
                stored += 1
        message = str(failure.value)
        assert str(small_disk) in message and "MiB free" in message, message
        assert "cannot rollback" not in message
        # What was stored before the disk filled up is all there and intact.
        items, total = store.list(ItemQuery(limit=500))
        assert total == stored > 0
        assert all(store.content(i.id) for i in items)
    finally:
        store.close()
