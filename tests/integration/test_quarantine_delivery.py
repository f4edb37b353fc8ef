"""Released mail reaches a real SMTP upstream exactly once, through the delivery outbox.

A real aiosmtpd server is the upstream; workers run in this process and, for the
multi-node and crash cases, as separate OS processes (tests/fixtures/outbox_worker.py).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import on_test_clock, require_peer
from fixtures.quarantine import (
    BACKENDS,
    SmtpDeliverer,
    backend,
    backend_for,
    free_port,
    held_mail,
    postgres_missing,
    upstream,
)

from quarantine.config import QuarantineConfig
from quarantine.outbox import OutboxWorker
from quarantine.service import QuarantineService

pytestmark = pytest.mark.clock  # dates matter: scripts/test.sh runs it a year ahead too


WORKER = Path(__file__).resolve().parents[1] / "fixtures" / "outbox_worker.py"


@pytest.fixture(params=BACKENDS)
def db(request, tmp_path):
    yield from backend_for(request, tmp_path)


@pytest.fixture
def store(db):
    opened = db.open()
    yield opened
    opened.close()


def release_all(store, items):
    svc = QuarantineService(store, QuarantineConfig(four_eyes_severity="off"))
    for item in items:
        svc.release(item.id, "olga", "fine", confirmation=item.id)


def test_a_released_mail_reaches_the_upstream_once_unchanged(store):
    item = held_mail(store, recipients=("bob@example.com", "eve@example.net"))
    original = store.content(item.id)
    release_all(store, [item])
    with upstream() as (handler, port):
        worker = OutboxWorker(store, SmtpDeliverer("127.0.0.1", port), worker_id="w1")
        assert worker.drain() == 1
        assert worker.drain() == 0
    assert len(handler.messages) == 1
    got = handler.messages[0]
    assert got.sender == "alice@example.org"
    assert got.recipients == ["bob@example.com", "eve@example.net"]
    assert got.data.replace(b"\r\n", b"\n") == original.replace(b"\r\n", b"\n")
    assert store.get(item.id).status == "delivered"
    state = store.outbox_state(item.id)
    assert state["state"] == "done" and state["replies"]["bob@example.com"][0] == 250
    deliver = [e for e in store.audit_entries(item.id) if e.action == "deliver"]
    assert len(deliver) == 1 and deliver[0].detail["replies"] == {
        "bob@example.com": 250, "eve@example.net": 250}


def test_a_pending_or_rejected_mail_is_never_sent(store):
    pending = held_mail(store)
    rejected = held_mail(store)
    QuarantineService(store).reject(rejected.id, "olga")
    with upstream() as (handler, port):
        assert OutboxWorker(store, SmtpDeliverer("127.0.0.1", port)).drain() == 1
    # Only the reject notice to the sender leaves, never the held mail or its recipients.
    (notice,) = handler.messages
    assert notice.recipients == ["alice@example.org"]
    assert b"SECRET plans" not in notice.data
    assert store.get(pending.id).status == "pending"


def test_a_deferring_upstream_gets_the_mail_on_a_later_attempt(store):
    item = held_mail(store)
    release_all(store, [item])
    with upstream() as (handler, port):
        handler.defer = 1
        worker = OutboxWorker(store, SmtpDeliverer("127.0.0.1", port), retry_seconds=0.05)
        assert worker.run_once()
        assert store.get(item.id).status == "delivering" and handler.messages == []
        assert store.outbox_state(item.id)["state"] == "queued"
        deadline = time.monotonic() + 5
        while store.get(item.id).status != "delivered" and time.monotonic() < deadline:
            worker.run_once() or time.sleep(0.02)
    assert len(handler.messages) == 1
    actions = [e.action for e in store.audit_entries(item.id)]
    assert actions == ["hold", "release", "delivery-deferred", "deliver"]


def test_an_unreachable_upstream_keeps_the_mail_queued(store):
    item = held_mail(store)
    release_all(store, [item])
    worker = OutboxWorker(store, SmtpDeliverer("127.0.0.1", free_port(), timeout=2))
    assert worker.run_once()
    state = store.outbox_state(item.id)
    assert state["state"] == "queued" and state["attempts"] == 1
    assert store.get(item.id).status == "delivering"


def test_a_mail_deferred_past_the_give_up_time_fails(store):
    item = held_mail(store)
    release_all(store, [item])  # released at the real current time
    worker = OutboxWorker(store, SmtpDeliverer("127.0.0.1", free_port(), timeout=2),
                          give_up_hours=0.001, clock=lambda: datetime.now(UTC).replace(year=2100))
    assert worker.run_once()
    assert store.get(item.id).status == "failed"
    assert store.outbox_state(item.id)["state"] == "failed"


def test_a_notice_gives_up_counting_from_when_it_was_queued_not_when_the_mail_was_held(store):
    # Held ten days ago, rejected now: the first deferral of the notice is not a give-up.
    item = held_mail(store, received=datetime.now(UTC) - timedelta(days=10))
    QuarantineService(store, QuarantineConfig(four_eyes_severity="off")).reject(item.id, "olga")
    worker = OutboxWorker(store, SmtpDeliverer("127.0.0.1", free_port(), timeout=2),
                          give_up_hours=96)
    assert worker.run_once()
    state = store.outbox_state(item.id)
    assert state["state"] == "queued" and state["attempts"] == 1


def run_worker(db, port, name, *extra, clock_offset_seconds: int = 0):
    # faketime runs the worker with its whole process clock shifted by a constant, like a
    # node whose clock is off; under the clock guard (tests/conftest.py) the worker moves
    # along with this process.
    # Its own process group: faketime runs the worker as its child, so killing the pid
    # alone would leave the worker running (kill_worker).
    return subprocess.Popen(
        on_test_clock([sys.executable, str(WORKER), *db.store_args(), "--upstream", str(port),
                       "--worker", name, *extra], clock_offset_seconds),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def kill_worker(process: subprocess.Popen) -> None:
    """SIGKILL a worker started by run_worker. Under faketime the worker is the wrapper's
    child: it is killed, and the wrapper then exits by itself, removing the semaphore it
    named after its pid (a SIGKILLed wrapper leaves it, and a later wrapper given the same
    pid refuses to start). The process group is the fallback."""
    import psutil

    try:
        children = psutil.Process(process.pid).children(recursive=True)
    except psutil.Error:
        children = []
    if children:  # faketime's wrapper: kill the worker; the wrapper exits and cleans up
        for child in children:
            with contextlib.suppress(psutil.Error):
                child.kill()
        try:
            process.wait(timeout=5)
            return
        except subprocess.TimeoutExpired:
            pass
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=5)


def test_nodes_whose_clocks_are_minutes_off_deliver_each_mail_once_and_on_time(tmp_path):
    require_peer(postgres_missing())
    require_peer(None if shutil.which("faketime") else
                 "faketime is not installed: apt-get install faketime")
    with backend("postgres", tmp_path) as db:
        store = db.open()
        first, second = held_mail(store), held_mail(store)
        release_all(store, [first])
        marker = tmp_path / "claimed"
        with upstream() as (handler, port):
            # A node 5 minutes behind claims the mail with a 60 s lease and is slow to send.
            behind = run_worker(db, port, "behind", "--lease", "60", "--hang-after-claim",
                                str(marker), clock_offset_seconds=-300)
            deadline = time.monotonic() + 15
            while not marker.exists() and time.monotonic() < deadline:
                time.sleep(0.02)
            assert marker.exists(), behind.stderr.read() if behind.poll() is not None else "no claim"
            # A node 5 minutes ahead must leave that lease alone: no second copy.
            ahead = run_worker(db, port, "ahead", "--lease", "60", "--until-idle", "1",
                               clock_offset_seconds=300)
            out, err = ahead.communicate(timeout=30)
            assert ahead.returncode == 0, err
            assert out.strip() == "0" and handler.messages == []
            kill_worker(behind)
            # A mail released on time is sent at once by a node 5 minutes behind.
            release_all(store, [second])
            late = run_worker(db, port, "behind-2", "--until-idle", "1", clock_offset_seconds=-300)
            out, err = late.communicate(timeout=30)
            assert late.returncode == 0, err
            assert out.strip() == "1"
        assert [m.recipients for m in handler.messages] == [["bob@example.com"]]
        assert store.get(second.id).status == "delivered"
        assert store.get(first.id).status == "delivering"  # still leased to the slow node
        store.close()


def test_two_worker_processes_on_one_postgresql_deliver_each_of_50_mails_once(tmp_path):
    require_peer(postgres_missing())
    with backend("postgres", tmp_path) as db:
        store = db.open()
        items = [held_mail(store, subject=f"mail {i}", recipients=(f"r{i}@example.com",))
                 for i in range(50)]
        release_all(store, items)
        go = tmp_path / "go"
        with upstream() as (handler, port):
            workers = [run_worker(db, port, f"node-{n}", "--until-idle", "0.5",
                                  "--ready", str(tmp_path / f"ready-{n}"), "--go", str(go))
                       for n in "ab"]
            deadline = time.monotonic() + 10
            while (not all((tmp_path / f"ready-{n}").exists() for n in "ab")
                   and time.monotonic() < deadline):
                time.sleep(0.01)
            go.write_text("go")  # both compete from the same moment
            counts = []
            for proc in workers:
                out, err = proc.communicate(timeout=30)
                assert proc.returncode == 0, err
                counts.append(int(out.strip()))
        received = Counter(m.recipients[0] for m in handler.messages)
        assert len(handler.messages) == 50
        assert set(received.values()) == {1}
        assert sum(counts) == 50 and all(c > 0 for c in counts), counts
        assert {store.get(i.id).status for i in items} == {"delivered"}
        owners = {store.outbox_state(i.id)["lease_owner"] for i in items}
        assert owners == {"node-a", "node-b"}
        store.close()


def test_a_worker_killed_after_claiming_leaves_the_mail_for_a_restart_to_deliver_once(db, tmp_path):
    store = db.open()
    item = held_mail(store)
    release_all(store, [item])
    marker = tmp_path / "claimed"
    with upstream() as (handler, port):
        doomed = run_worker(db, port, "node-a", "--lease", "1", "--hang-after-claim", str(marker))
        deadline = time.monotonic() + 10
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert marker.exists(), doomed.stderr.read() if doomed.poll() is not None else "no claim"
        kill_worker(doomed)
        assert store.get(item.id).status == "delivering" and handler.messages == []
        # The restarted worker waits out the dead one's lease, then takes the mail over.
        restarted = run_worker(db, port, "node-a2", "--lease", "1", "--until-idle", "2")
        _, err = restarted.communicate(timeout=30)
        assert restarted.returncode == 0, err
    assert len(handler.messages) == 1
    assert store.get(item.id).status == "delivered"
    actions = [e.action for e in store.audit_entries(item.id)]
    assert actions == ["hold", "release", "lease-expired", "deliver"]
    store.close()
