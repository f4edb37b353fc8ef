"""Redline heals by itself when its PostgreSQL store goes away and comes back.

Real parts: a private PostgreSQL server (Debian's postgresql package: initdb and pg_ctl
in a temporary directory, on a free loopback port), a real ``redline serve`` process on
it, smtplib sending a stream of marked and clean mail, and an aiosmtpd upstream.
"""

from __future__ import annotations

import os
import shutil
import smtplib
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from conftest import require_peer
from serve_harness import ServeProcess
from smtp_harness import Upstream, free_port

from quarantine.config import KEY_FILE, QuarantineConfig
from quarantine.postgres_store import PostgresStore
from quarantine.sealing import KeySource
from quarantine.service import QuarantineService
from quarantine.store import ItemQuery


def postgres_bin() -> Path | None:
    """The newest PostgreSQL server binaries of Debian's postgresql package, if any."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
                   key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    return found[-1].parent if found else None


@dataclass
class PrivatePostgres:
    """A PostgreSQL server of our own, so the test can stop and start it."""

    bin: Path
    root: Path
    port: int

    @property
    def dsn(self) -> str:
        return f"host=127.0.0.1 port={self.port} dbname=postgres user=postgres connect_timeout=3"

    def _run(self, *args: str) -> None:
        # PostgreSQL refuses to run as root: as root, run it as the postgres account.
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *args], check=True, capture_output=True, timeout=60)

    def init(self) -> None:
        self._run(str(self.bin / "initdb"), "-D", str(self.root / "data"), "-A", "trust",
                  "-U", "postgres", "--no-sync")

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c max_connections=40")
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.root / "data"), "-o", options,
                  "-l", str(self.root / "server.log"), "-w", "-t", "30", "start")

    def stop(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.root / "data"), "-m", "fast",
                  "-w", "-t", "30", "stop")

    def kill_backends(self) -> int:
        import psycopg

        with psycopg.connect(self.dsn, autocommit=True) as db:
            return len(db.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                  "WHERE pid <> pg_backend_pid() AND backend_type = "
                                  "'client backend'").fetchall())


@contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    binaries = postgres_bin()
    require_peer(None if binaries else
                 "PostgreSQL server binaries are missing: apt-get install postgresql")
    # Not under pytest's tmp_path: that is closed to the postgres account.
    root = Path(tempfile.mkdtemp(prefix="redline-pg-"))
    root.chmod(0o755)
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    server = PrivatePostgres(binaries, root, free_port())
    try:
        server.init()
        server.start()
        yield server
    finally:
        with suppress(subprocess.CalledProcessError):  # already stopped
            server.stop()
        shutil.rmtree(root, ignore_errors=True)


@dataclass
class Sent:
    token: str
    marked: bool
    at: float
    code: int


def send(port: int, marked: bool) -> Sent:
    token = uuid.uuid4().hex[:12]
    message = EmailMessage()
    message["From"] = "alice@example.org"
    message["To"] = "bob@partner.example"
    message["Subject"] = f"report {token}"
    message.set_content(("TOP SECRET//NOFORN\n\nthe plan " if marked else "lunch at noon ") + token)
    started = time.monotonic()
    try:
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
            client.send_message(message)
        code = 250
    except smtplib.SMTPResponseException as exc:
        code = exc.smtp_code
    except smtplib.SMTPRecipientsRefused as exc:
        code = next(iter(exc.recipients.values()))[0]
    return Sent(token, marked, started, code)


def scrape(port: int, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=15) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def store_up(port: int) -> float:
    _, text = scrape(port, "/metrics")
    (value,) = [line.split()[-1] for line in text.splitlines()
                if line.startswith("redline_quarantine_store_up")]
    return float(value)


def readyz(port: int) -> int:
    return scrape(port, "/readyz")[0]


def test_the_gateway_holds_again_within_seconds_of_the_database_coming_back(tmp_path):
    with private_postgres() as pg:
        config = tmp_path / "redline.toml"
        config.write_text(f'[quarantine]\nbackend = "postgres"\npostgres_dsn = "{pg.dsn}"\n'
                          '[metrics]\nquarantine_poll_seconds = 1\n')
        upstream = Upstream().start()
        smtp, metrics = free_port(), free_port()
        serve = ServeProcess(tmp_path / "data", [
            "--config", str(config), "--smtp", f"127.0.0.1:{smtp}",
            "--upstream", f"127.0.0.1:{upstream.port}", "--http", "off", "--icap", "off",
            "--ui", "off", "--metrics", f"127.0.0.1:{metrics}", "--workers", "1"])
        sent: list[Sent] = []
        stop = threading.Event()

        def stream() -> None:
            number = 0
            while not stop.is_set() and number < 2000:
                sent.append(send(smtp, marked=number % 2 == 0))
                number += 1
                time.sleep(0.05)

        try:
            sender = threading.Thread(target=stream, daemon=True)
            sender.start()
            time.sleep(2)
            # A release recorded just before the outage is delivered once, after it.
            store = PostgresStore(pg.dsn, keys=KeySource(file=tmp_path / "data" / KEY_FILE))
            try:
                held = [s for s in sent if s.marked and s.code == 250]
                assert held, [s.code for s in sent]
                items, _ = store.list(ItemQuery(status="pending", limit=1000))
                (released,) = [i for i in items if held[0].token in i.subject]
                # TOP SECRET is critical: four-eyes is another test's subject, not this one's.
                QuarantineService(store, QuarantineConfig(four_eyes_severity="off")).release(
                    released.id, "olga", "fine", confirmation=released.id)
            finally:
                store.close()
            assert store_up(metrics) == 1
            pg.stop()
            down = time.monotonic()
            time.sleep(8)
            # While it is down, the metric and /readyz say so (within a poll and a wait).
            assert store_up(metrics) == 0
            assert readyz(metrics) == 503
            time.sleep(max(0.0, 10 - (time.monotonic() - down)))
            pg.start()
            back = time.monotonic()
            time.sleep(8)
            assert store_up(metrics) == 1 and readyz(metrics) == 200
            assert pg.kill_backends() >= 1  # the gateway's pooled connections
            killed = time.monotonic()
            time.sleep(8)
        finally:
            stop.set()
            sender.join(60)
            serve.stop()
            upstream.stop()

        codes = {s.code for s in sent}
        assert codes <= {250, 451}, sorted(codes)  # a store failure is a 451, never a 421
        assert any(s.code == 451 for s in sent if down < s.at < back)

        def first_hold_after(moment: float) -> float:
            return min(s.at for s in sent if s.marked and s.code == 250 and s.at > moment)

        assert first_hold_after(back) - back < 5, "not holding again 5 s after the database's return"
        assert first_hold_after(killed) - killed < 5, "not holding again after its backends were killed"
        # No 250 without storing: every marked mail answered 250 is in the store.
        store = PostgresStore(pg.dsn, keys=KeySource(file=tmp_path / "data" / KEY_FILE))
        try:
            items, _ = store.list(ItemQuery(limit=5000))
            stored = {i.subject.split()[-1] for i in items}
            accepted = [s.token for s in sent if s.marked and s.code == 250]
            assert set(accepted) <= stored
            assert store.get(released.id).status == "delivered"
        finally:
            store.close()
        # Clean mail went on to the upstream throughout; the release arrived exactly once.
        relayed = [m for m in upstream.messages if held[0].token.encode() in m.content]
        assert len(relayed) == 1
        clean = [s.token for s in sent if not s.marked and s.code == 250]
        arrived = b"\n".join(m.content for m in upstream.messages)
        assert clean and all(token.encode() in arrived for token in clean)
        assert "Traceback" not in serve.log
