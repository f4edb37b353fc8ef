"""Monitor mode through ``redline serve`` with a real upstream: a marked mail is delivered
and recorded as a monitored item; switching the policy to enforce with SIGHUP holds the same
mail; both configurations are in the audit log with the config file's hash; officers mark
monitored items; a category set to monitor leaves the others enforced."""

from __future__ import annotations

import hashlib
import json
import signal
import smtplib
import urllib.request
from pathlib import Path

import pytest
from integration.serve_harness import Origin, ServeProcess, codeword, post_form
from integration.smtp_harness import Upstream, free_port

from quarantine.sqlite_store import SqliteStore
from quarantine.store import ItemQuery, NotFound

PASSWORD = "correct horse battery staple 7"


class Serve(ServeProcess):
    """``redline serve`` with SMTP and metrics, one worker, a config file we rewrite."""

    def __init__(self, tmp: Path, *, upstream: int, policy: str) -> None:
        self.port = free_port()
        self.http_port = free_port()
        self.metrics_port = free_port()
        self.rules = tmp / "site-rules.toml"
        self.rules.write_text(codeword("BLUEFIN"), encoding="utf-8")
        self.config = tmp / "redline.toml"
        self.write_policy(policy)
        super().__init__(tmp / "data", [
            "--config", str(self.config), "--smtp", f"127.0.0.1:{self.port}",
            "--upstream", f"127.0.0.1:{upstream}", "--workers", "1",
            "--http", f"127.0.0.1:{self.http_port}", "--icap", "off", "--ui", "off",
            "--metrics", f"127.0.0.1:{self.metrics_port}"], ready_seconds=60)

    def write_policy(self, policy: str) -> None:
        self.config.write_text(f'[rules]\nextra = ["{self.rules}"]\n[policy]\n{policy}\n'
                               '[http]\ninternal_destinations = ["127.0.0.0/8"]\n',
                               encoding="utf-8")

    def reload(self) -> None:
        mark = len(self.lines)
        self.signal(signal.SIGHUP)
        self.wait_for(r"reload: generation \d+ serving", 60, after=mark)

    def metric(self, name: str, **labels: str) -> float:
        text = urllib.request.urlopen(
            f"http://127.0.0.1:{self.metrics_port}/metrics", timeout=10).read().decode()
        total = 0.0
        for line in text.splitlines():
            if not line.startswith(name + "{"):
                continue
            if all(f'{k}="{v}"' in line for k, v in labels.items()):
                total += float(line.rsplit(" ", 1)[1])
        return total


def mail(subject: str, body: str) -> bytes:
    return (f"From: alice@example.org\r\nTo: bob@example.com\r\nSubject: {subject}\r\n"
            f"Message-ID: <{subject.replace(' ', '-')}@example.org>\r\n\r\n{body}\r\n").encode()


def send(port: int, message: bytes) -> tuple[int, str]:
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        smtp.ehlo("client.test")
        smtp.mail("alice@example.org")
        smtp.rcpt("bob@example.com")
        code, text = smtp.data(message)
    return code, text.decode()


def items(data: Path, **query: object) -> list:
    store = SqliteStore(data / "quarantine.sqlite")
    try:
        return list(store.list(ItemQuery(**query))[0])
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

    def start(policy: str) -> Serve:
        process = Serve(tmp_path, upstream=upstream.port, policy=policy)
        running.append(process)
        return process

    yield start
    for process in running:
        process.stop()


def test_monitor_delivers_and_records_then_sighup_to_enforce_holds_and_both_are_audited(
        serve, upstream):
    gateway = serve('mode = "monitor"')
    marked = mail("status", "Project BLUEFIN is on track")
    code, text = send(gateway.port, marked)
    assert code == 250 and "held" not in text, text
    assert len(upstream.messages) == 1 and b"BLUEFIN" in upstream.messages[0].content
    # The header that travels with the mail does not tell its recipients it was flagged.
    assert b"X-Redline-Verdict: pass" in upstream.messages[0].content
    (item,) = items(gateway.data, status="monitored")
    assert item.verdict == "monitor" and item.meta["enforced"] == "quarantine"
    assert [h.rule for h in item.hits] == ["org.codeword.bluefin"]
    assert items(gateway.data, status="pending") == []
    listed = json.loads(gateway.redline("quarantine", "list", "--status", "monitored", "--json"))
    assert [i["id"] for i in listed] == [item.id]
    # Content is not kept by default: metadata and hits only.
    store = SqliteStore(gateway.data / "quarantine.sqlite")
    try:
        with pytest.raises(NotFound):
            store.content(item.id)
    finally:
        store.close()
    assert gateway.metric("redline_items_total", verdict="monitor") == 1
    # A clean mail is not recorded.
    assert send(gateway.port, mail("lunch", "Lunch at noon?"))[0] == 250
    assert len(items(gateway.data)) == 1

    monitor_hash = hashlib.sha256(gateway.config.read_bytes()).hexdigest()
    gateway.write_policy('mode = "enforce"')
    enforce_hash = hashlib.sha256(gateway.config.read_bytes()).hexdigest()
    gateway.reload()
    code, text = send(gateway.port, marked)
    assert code == 250 and "held for review as Q-" in text, text
    assert len(upstream.messages) == 2  # the monitored one and the clean one; not this
    (held,) = items(gateway.data, status="pending")
    assert held.id != item.id and held.verdict == "quarantine"

    audit = json.loads(gateway.redline("audit", "list", "--json"))
    configs = [e for e in audit if e["action"] == "config"]
    assert [(e["detail"]["event"], e["detail"]["mode"], e["detail"]["sha256"])
            for e in configs] == [("start", "monitor", monitor_hash),
                                  ("reload", "enforce", enforce_hash)]
    assert configs[1]["detail"]["changed"] == {"mode": ["monitor", "enforce"]}
    assert configs[1]["detail"]["file"] == str(gateway.config.resolve())
    assert [e["action"] for e in audit if e["item"] == item.id] == ["monitor"]
    assert "audit log intact" in gateway.redline("audit", "verify")


def test_officer_marks_a_monitored_item_without_delivering_anything(serve, upstream):
    gateway = serve('mode = "monitor"')
    assert send(gateway.port, mail("status", "Project BLUEFIN is on track"))[0] == 250
    (item,) = items(gateway.data, status="monitored")
    gateway.redline("user", "add", "olivia", "--role", "officer", "--password-stdin",
                    stdin=PASSWORD + "\n")
    out = gateway.redline("quarantine", "mark", item.id, "--would", "release", "--as", "olivia",
                          "--password-stdin", "--comment", "project name, not a leak",
                          "--json", stdin=PASSWORD + "\n")
    assert json.loads(out)["mark"] == "would-release"
    (marked,) = items(gateway.data, status="monitored")
    assert [(d.action, d.officer, d.comment) for d in marked.decisions] == [
        ("would-release", "olivia", "project name, not a leak")]
    audit = json.loads(gateway.redline("audit", "list", "--item", item.id, "--json"))
    assert [e["action"] for e in audit] == ["monitor", "would-release"]
    assert len(upstream.messages) == 1  # the mark sent nothing
    # A monitored item is no pending item: releasing it is refused, it stays monitored.
    import subprocess

    from integration.serve_harness import REDLINE
    refused = subprocess.run(
        [str(REDLINE), "quarantine", "release", item.id, "--as", "olivia", "--password-stdin",
         "--data-dir", str(gateway.data)], input=PASSWORD + "\n", capture_output=True,
        text=True, timeout=30)
    assert refused.returncode != 0 and "monitored, not pending" in refused.stderr
    assert len(upstream.messages) == 1
    # The sender retries the same message (its reply was lost): it is delivered again, as
    # a retry of a passing mail is, but recorded once, as a retried held mail is held once.
    mark = len(gateway.lines)
    assert send(gateway.port, mail("status", "Project BLUEFIN is on track"))[0] == 250
    gateway.wait_for(rf"already recorded as {item.id} \(a retry\)", 30, after=mark)
    assert len(upstream.messages) == 2
    (again,) = items(gateway.data, status="monitored")
    assert again.id == item.id and [d.action for d in again.decisions] == ["would-release"]
    # The same words in another message (its own Message-ID) are a new monitored item.
    assert send(gateway.port, mail("status again", "Project BLUEFIN is on track"))[0] == 250
    assert len(items(gateway.data, status="monitored")) == 2


def test_category_set_to_monitor_keeps_other_categories_enforced_and_content_if_asked(
        serve, upstream):
    gateway = serve('category_actions = { signup = "reject", codeword = "monitor" }\n'
                    'monitor_keep_content = true')
    codeword_mail = mail("status", "Project BLUEFIN is on track")
    assert send(gateway.port, codeword_mail)[0] == 250
    classified = mail("plan", "TOP SECRET//NOFORN\r\n\r\nThe plan.\r\n\r\nTOP SECRET//NOFORN")
    code, text = send(gateway.port, classified)
    assert code == 250 and "held for review" in text, text
    assert [m.content.count(b"BLUEFIN") for m in upstream.messages] == [1]
    (monitored,) = items(gateway.data, status="monitored")
    (held,) = items(gateway.data, status="pending")
    assert held.categories == ("classification",)
    store = SqliteStore(gateway.data / "quarantine.sqlite")
    try:
        assert store.content(monitored.id) == codeword_mail
    finally:
        store.close()


def upload(proxy_port: int, origin_port: int, body: bytes) -> int:
    """POST a form through the forward proxy; the status the client gets."""
    return post_form(proxy_port, f"http://127.0.0.1:{origin_port}/upload", body)


def test_a_monitored_upload_reaches_the_origin_and_is_recorded(serve):
    gateway = serve('mode = "monitor"')
    origin = Origin()
    try:
        assert upload(gateway.http_port, origin.port, b"note=Project+BLUEFIN+update") == 200
        assert upload(gateway.http_port, origin.port, b"note=see+you+at+noon") == 200
        assert origin.bodies == [b"note=Project+BLUEFIN+update", b"note=see+you+at+noon"]
    finally:
        origin.stop()
    (item,) = items(gateway.data, status="monitored")
    assert item.kind == "upload" and item.meta["enforced"] == "quarantine"
    assert [h.rule for h in item.hits] == ["org.codeword.bluefin"]
    assert gateway.metric("redline_items_total", kind="upload", verdict="monitor") == 1
