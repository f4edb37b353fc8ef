"""``redline serve --workers 2`` as a real process tree: shared sockets, a worker killed
mid-DATA, SIGHUP reloads (good and broken rules) and a SIGTERM drain, with smtplib clients
and an aiosmtpd upstream."""

from __future__ import annotations

import json
import os
import re
import signal
import smtplib
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from integration.serve_harness import ServeProcess, codeword, server_pid_of
from integration.smtp_harness import Upstream, free_port

from quarantine.sqlite_store import SqliteStore
from quarantine.store import ItemQuery


class Serve(ServeProcess):
    """``redline serve`` with SMTP only, its log collected line by line."""

    def __init__(self, tmp: Path, *, upstream: int, workers: int = 2, drain: float = 10.0,
                 rules: str = "") -> None:
        self.port = free_port()
        self.rules = tmp / "site-rules.toml"
        self.rules.write_text(rules or codeword("BLUEFIN"), encoding="utf-8")
        config = tmp / "redline.toml"
        config.write_text(f'[rules]\nextra = ["{self.rules}"]\n[serve]\ndrain_seconds = {drain}\n',
                          encoding="utf-8")
        super().__init__(tmp / "data", [
            "--config", str(config), "--smtp", f"127.0.0.1:{self.port}",
            "--upstream", f"127.0.0.1:{upstream}", "--workers", str(workers),
            "--http", "off", "--icap", "off", "--ui", "off", "--metrics", "off"])


def mail(subject: str, body: str) -> bytes:
    return (f"From: alice@example.org\r\nTo: bob@example.com\r\nSubject: {subject}\r\n"
            f"Message-ID: <{subject.replace(' ', '-')}@example.org>\r\n\r\n{body}\r\n").encode()


def send(port: int, message: bytes) -> tuple[int, str]:
    """One whole session: the reply to the end of DATA."""
    with smtplib.SMTP("127.0.0.1", port, timeout=8) as smtp:
        smtp.ehlo("client.test")
        smtp.mail("alice@example.org")
        smtp.rcpt("bob@example.com")
        code, text = smtp.data(message)
    return code, text.decode()


def open_transaction(port: int) -> smtplib.SMTP:
    """A session that has said MAIL and RCPT and waits before DATA."""
    smtp = smtplib.SMTP("127.0.0.1", port, timeout=8)
    smtp.ehlo("client.test")
    assert smtp.mail("alice@example.org")[0] == 250
    assert smtp.rcpt("bob@example.com")[0] == 250
    return smtp


def held_items(data: Path) -> list:
    store = SqliteStore(data / "quarantine.sqlite")
    try:
        items, _ = store.list(ItemQuery())
        return items
    finally:
        store.close()


@pytest.fixture
def upstream():
    server = Upstream().start()
    yield server
    server.stop()


@pytest.fixture
def serve(tmp_path, upstream):
    running: list[Serve] = []

    def start(**kwargs) -> Serve:
        process = Serve(tmp_path, upstream=upstream.port, **kwargs)
        running.append(process)
        return process

    yield start
    for process in running:
        process.stop()


def test_two_workers_share_the_socket_and_serve_concurrent_sessions(serve, upstream):
    gateway = serve()
    assert len(gateway.workers()) == 2

    def one(i: int) -> int:
        return send(gateway.port, mail(f"hello {i}", "plain words\r\n" * 200))[0]

    with ThreadPoolExecutor(16) as pool:
        codes = list(pool.map(one, range(64)))
    assert codes == [250] * 64
    assert sorted(m.content.split(b"Subject: hello ")[1].split(b"\r\n")[0] for m in upstream.messages) \
        == sorted(str(i).encode() for i in range(64))
    deciders = {int(p) for p in re.findall(r"redline\.decision\[(\d+)\] decision", gateway.log)}
    assert deciders == gateway.workers(), "both workers must have taken sessions"


def test_kill_9_of_a_worker_mid_data_loses_nothing_and_a_retry_succeeds(serve, upstream):
    gateway = serve()
    workers = gateway.workers()
    message = mail("big report", "figures for the board\r\n" * 20000)  # ~440 KB
    client = socket.create_connection(("127.0.0.1", gateway.port), timeout=8)
    stream = client.makefile("rb")

    def reply() -> bytes:
        line = stream.readline()
        while line[3:4] == b"-":
            line = stream.readline()
        return line

    assert reply().startswith(b"220")
    for command, expected in ((b"EHLO client.test", b"250"), (b"MAIL FROM:<alice@example.org>", b"250"),
                              (b"RCPT TO:<bob@example.com>", b"250"), (b"DATA", b"354")):
        client.sendall(command + b"\r\n")
        assert reply().startswith(expected)
    client.sendall(message[: len(message) // 2])
    victim = server_pid_of(client, workers)
    scanners = [int(p) for p in Path(f"/proc/{victim}/task/{victim}/children").read_text().split()]
    assert scanners
    os.kill(victim, signal.SIGKILL)
    gateway.wait_for(rf"worker \d+ pid={victim} died \(signal 9\)")
    # The client finishes its data; it must not be told 250 for it.
    answer = b""
    try:
        client.sendall(message[len(message) // 2:] + b".\r\n")
        answer = reply()
    except OSError:
        pass
    client.close()
    assert not answer.startswith(b"2"), answer
    # The sender retries, as an MTA does after a lost connection, and it goes through.
    assert send(gateway.port, message)[0] == 250
    assert len(upstream.messages) == 1  # the retry only: nothing half-written was relayed
    assert held_items(gateway.data) == []
    assert not (gateway.data / "spool" / "smtp" / str(victim)).exists()
    # The supervisor replaced the worker.
    gateway.wait_for(rf"worker \d+ started pid=(?!{victim})\d+ generation=1")
    deadline = time.monotonic() + 10
    while len(gateway.workers()) != 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(gateway.workers()) == 2 and victim not in gateway.workers()
    # The dead worker's scanner processes went with it (no orphans).
    while any(Path(f"/proc/{p}").exists() for p in scanners) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [p for p in scanners if Path(f"/proc/{p}").exists()]


def test_sighup_with_a_new_rule_catches_the_new_marking_without_dropping_a_session(serve, upstream):
    gateway = serve()
    before = gateway.workers()
    assert send(gateway.port, mail("status", "Project OSPREY is on track"))[0] == 250
    waiting = open_transaction(gateway.port)
    gateway.rules.write_text(codeword("BLUEFIN") + codeword("OSPREY"),
                             encoding="utf-8")
    mark = len(gateway.lines)
    gateway.signal(signal.SIGHUP)
    # New workers load the rules and fork their scanners: over 10 s on a loaded machine.
    gateway.wait_for(r"reload: generation 2 serving", 60, after=mark)
    # The session opened before the reload finishes on its (draining) worker.
    code, _ = waiting.data(mail("before reload", "plain words"))
    assert code == 250
    waiting.quit()
    code, text = send(gateway.port, mail("status again", "Project OSPREY is on track"))
    assert code == 250 and "held for review as Q-" in text, text
    # Relayed: the OSPREY mail from before the reload and the plain one; not the held one.
    assert [m.content.count(b"OSPREY") for m in upstream.messages] == [1, 0]
    status = json.loads((gateway.data / "run" / "reload.json").read_text())
    assert status["ok"] is True and status["generation"] == 2
    for pid in before:  # every previous worker drains and exits; the new ones serve
        gateway.wait_for(rf"worker \d+ pid={pid} ended \(exit 0\)", after=mark)
    assert len(gateway.workers()) == 2 and not before & gateway.workers()


def test_sighup_with_a_broken_rule_file_keeps_the_old_rules_and_says_so(serve, upstream):
    gateway = serve()
    before = gateway.workers()
    gateway.rules.write_text('[[rule]]\nid = "org.broken"\npattern = "(unclosed"\n', encoding="utf-8")
    mark = len(gateway.lines)
    gateway.signal(signal.SIGHUP)
    failed = gateway.wait_for(r"ERROR redline\.serve\[\d+\] reload FAILED: .*previous config and rules",
                              after=mark)
    assert "site-rules.toml" in failed.string  # the message names the broken file
    code, text = send(gateway.port, mail("status", "Project BLUEFIN is on track"))
    assert code == 250 and "held for review as Q-" in text, text  # the old rule still applies
    assert gateway.workers() == before
    status = json.loads((gateway.data / "run" / "reload.json").read_text())
    assert status["ok"] is False and "site-rules.toml" in status["error"]
    assert abs(status["time"] - time.time()) < 30


def test_sigterm_lets_an_open_session_finish_then_exits_0(serve, upstream):
    gateway = serve()
    waiting = open_transaction(gateway.port)
    mark = len(gateway.lines)
    gateway.signal(signal.SIGTERM)
    gateway.wait_for(r"worker draining", after=mark)
    # The port stops taking new sessions while the open one finishes (the log line comes
    # just before the listeners close, so allow a moment for that).
    deadline = time.monotonic() + 5
    while True:
        try:
            send(gateway.port, mail("too late", "plain words"))
        except OSError:
            break
        assert time.monotonic() < deadline, "new sessions still accepted while draining"
        time.sleep(0.05)
    code, text = waiting.data(mail("during drain", "plain words"))
    assert code == 250, text
    waiting.quit()
    assert gateway.process.wait(15) == 0
    # A "too late" mail sent in the moment before the listeners closed may have gone
    # through; the drained session's mail arrives once.
    assert sum(m.content.count(b"during drain") for m in upstream.messages) == 1
