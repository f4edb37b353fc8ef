"""``redline serve --workers 2`` with every listener: SMTP, officer UI, HTTP proxy, ICAP and
metrics, driven by real clients (smtplib, http.client, raw ICAP) against an aiosmtpd upstream
and an HTTP origin; then /metrics, /healthz and /readyz read over HTTP."""

from __future__ import annotations

import json
import os
import re
import signal
import smtplib
import socket
import time
import urllib.error
import urllib.request
from email.message import EmailMessage
from pathlib import Path

import pytest
from integration.serve_harness import Origin, ServeProcess, codeword, post_form
from integration.smtp_harness import free_port, running_upstream

LISTENERS = ("smtp", "http", "icap", "ui", "metrics")

class Gateway(ServeProcess):
    """``redline serve`` with every listener on a free port, its log collected line by line."""

    def __init__(self, tmp: Path, upstream_port: int, *, rules: str) -> None:
        self.ports = {name: free_port() for name in LISTENERS}
        self.rules = tmp / "site-rules.toml"
        self.rules.write_text(rules, encoding="utf-8")
        self.config = tmp / "redline.toml"
        self.config.write_text(
            f'[rules]\nextra = ["{self.rules}"]\n'
            '[policy]\ncategory_actions = { signup = "reject", codeword = "reject" }\n'
            '[quarantine]\nfour_eyes_severity = "off"\n'
            '[metrics]\nquarantine_poll_seconds = 1.0\n'
            '[serve]\ndrain_seconds = 2.0\n'
            '[http]\ninternal_destinations = ["127.0.0.0/8"]\n', encoding="utf-8")
        flags = [arg for name, port in self.ports.items() for arg in (f"--{name}", f"127.0.0.1:{port}")]
        super().__init__(tmp / "data", [
            "--config", str(self.config), "--upstream", f"127.0.0.1:{upstream_port}",
            "--workers", "2", *flags])

    def url(self, listener: str, path: str) -> str:
        return f"http://127.0.0.1:{self.ports[listener]}{path}"


def mail(subject: str, body: str) -> bytes:
    message = EmailMessage()
    message["From"] = "alice@example.org"
    message["To"] = "bob@partner.test"
    message["Subject"] = subject
    message.set_content(body)
    return message.as_bytes().replace(b"\n", b"\r\n")


def send_reply(port: int, data: bytes) -> tuple[int, str]:
    """MAIL, RCPT, DATA by hand: the reply to the final dot, whatever it is."""
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.ehlo()
        client.mail("alice@example.org")
        client.rcpt("bob@partner.test")
        code, text = client.data(data)
        return code, text.decode()


def upload(proxy_port: int, origin_port: int, body: bytes) -> int:
    """POST a form through the forward proxy; the status the client gets."""
    return post_form(proxy_port, f"http://127.0.0.1:{origin_port}/upload", body, timeout=10)


def icap_istag(port: int) -> str:
    """The ISTag the ICAP service announces in its OPTIONS reply."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(f"OPTIONS icap://127.0.0.1:{port}/reqmod ICAP/1.0\r\nHost: 127.0.0.1\r\n"
                     "Encapsulated: null-body=0\r\n\r\n".encode())
        reply = b""
        while b"\r\n\r\n" not in reply:
            chunk = sock.recv(4096)
            if not chunk:
                break
            reply += chunk
    assert reply.startswith(b"ICAP/1.0 200"), reply
    return re.search(rb"(?im)^ISTag:\s*(\S+)", reply).group(1).decode()


def scrape(gateway: Gateway) -> str:
    with urllib.request.urlopen(gateway.url("metrics", "/metrics"), timeout=5) as response:
        return response.read().decode()


def value(text: str, name: str, **labels: str) -> float | None:
    """One series' value in exposition text (labels must match exactly), or None."""
    for line in text.splitlines():
        if line.startswith("#") or " " not in line:
            continue
        series, _, number = line.rpartition(" ")
        found_name, _, rest = series.partition("{")
        if found_name != name:
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', rest))
        if found == labels:
            return float(number)
    return None


def get(url: str, headers: dict[str, str] | None = None, data: bytes | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def children(pid: int) -> list[int]:
    return [int(c) for task in Path(f"/proc/{pid}/task").iterdir()
            for c in (task / "children").read_text().split()]


def listening_inodes() -> set[str]:
    """socket:[inode] of every listening TCP socket on this machine."""
    out = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A":  # TCP_LISTEN
                out.add(f"socket:[{fields[9]}]")
    return out


def held_sockets(pid: int) -> set[str]:
    out = set()
    for entry in Path(f"/proc/{pid}/fd").iterdir():
        try:
            out.add(os.readlink(entry))
        except OSError:
            continue
    return {target for target in out if target.startswith("socket:")}


def wait_until(predicate, seconds: float, message: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError(message)


@pytest.fixture
def upstream():
    yield from running_upstream()


@pytest.fixture
def origin():
    server = Origin()
    yield server
    server.stop()


def test_traffic_on_every_listener_moves_the_metrics_and_readiness_follows_the_upstream(
        tmp_path, upstream, origin):
    gateway = Gateway(tmp_path, upstream.port, rules=codeword("BLUEFIN"))
    try:
        smtp = gateway.ports["smtp"]
        # Mail: one clean, two marked (held), one carrying the code word (refused by policy).
        assert send_reply(smtp, mail("lunch", "see you at noon"))[0] == 250
        held = [send_reply(smtp, mail(f"notes {i}", "SECRET//NOFORN\nthe plan")) for i in (1, 2)]
        assert all(code == 250 and "held for review as Q-" in text for code, text in held), held
        refused = send_reply(smtp, mail("status", "project BLUEFIN is late"))
        assert refused[0] == 550, refused
        assert len(upstream.messages) == 1
        first_id = re.search(r"Q-[0-9A-Z-]+", held[0][1]).group(0)

        # An officer releases one held mail through the UI's JSON API; it arrives once.
        gateway.redline("user", "add", "olga", "--role", "officer", "--password-stdin",
                        stdin="correct horse battery staple\n")
        token = gateway.redline("user", "token", "olga").strip()
        status, body = get(gateway.url("ui", f"/api/v1/items/{first_id}/release"),
                           {"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
                           json.dumps({"comment": "cleared", "confirm": first_id}).encode())
        assert status == 200 and json.loads(body)["status"] == "released", body
        wait_until(lambda: len(upstream.messages) == 2, 8, "the released mail never arrived")
        assert b"X-Redline-Verdict: released" in upstream.messages[1].content

        # Uploads through the forward proxy: a clean form reaches the origin, a marked one not.
        proxy = gateway.ports["http"]
        assert upload(proxy, origin.port, b"note=see+you+at+noon") == 200
        assert upload(proxy, origin.port, b"note=SECRET%2F%2FNOFORN+plan") == 403
        assert origin.bodies == [b"note=see+you+at+noon"]
        assert icap_istag(gateway.ports["icap"])

        # The background polls the store every second: one mail and one upload pending.
        wait_until(lambda: value(scrape(gateway), "redline_quarantine_pending") == 2, 5,
                   "redline_quarantine_pending never reached 2")
        text = scrape(gateway)
        mail_items = {verdict: value(text, "redline_items_total", kind="mail",
                                     direction="outbound", verdict=verdict)
                      for verdict in ("pass", "quarantine", "reject")}
        assert mail_items == {"pass": 1, "quarantine": 2, "reject": 1}, mail_items
        assert value(text, "redline_items_total", kind="upload", direction="outbound",
                     verdict="quarantine") == 1
        assert value(text, "redline_rule_hits_total", rule="org.codeword.bluefin",
                     category="other") == 1
        assert value(text, "redline_relay_attempts_total", result="2xx") == 2  # clean + released
        assert value(text, "redline_quarantine_decisions_total", action="release") == 1
        assert value(text, "redline_smtp_sessions_total") == 4
        assert value(text, "redline_smtp_sessions_open") == 0
        assert value(text, "redline_outbox_depth") == 0
        assert value(text, "redline_rules_loaded") >= 20
        assert value(text, "redline_rules_last_reload_failed") == 0

        # The scanner processes under each worker hold none of the listening sockets.
        listening = listening_inodes()
        workers = children(gateway.process.pid)
        scanners = [pid for worker in workers for pid in children(worker)]
        assert scanners, "every worker runs scanner processes"
        assert all(held_sockets(w) & listening for w in workers if w in
                   {int(p) for p in re.findall(r"worker \d+ started pid=(\d+)", gateway.log)})
        for pid in scanners:
            assert not held_sockets(pid) & listening, f"scanner {pid} holds a listening socket"

        # Health and readiness; readiness follows the upstream relay.
        assert get(gateway.url("metrics", "/healthz"))[0] == 200
        status, body = get(gateway.url("metrics", "/readyz"))
        assert status == 200, body
        assert json.loads(body)["checks"] == {"rules": "ok", "store": "ok", "upstream": "ok"}
        upstream.stop()
        status, body = get(gateway.url("metrics", "/readyz"))
        assert status == 503 and list(json.loads(body)["failing"]) == ["upstream"], body
        # The decision lines name ids and rules, never content.
        assert re.search(r"redline\.decision\[\d+\] decision .*id=Q-", gateway.log)
        assert "NOFORN" not in gateway.log and "noon" not in gateway.log
    finally:
        assert gateway.stop() == 0, gateway.log


def test_sighup_reaches_the_upload_inspector_and_the_icap_istag(tmp_path, upstream, origin):
    gateway = Gateway(tmp_path, upstream.port, rules=codeword("BLUEFIN"))
    try:
        proxy, icap = gateway.ports["http"], gateway.ports["icap"]
        before = icap_istag(icap)
        assert upload(proxy, origin.port, b"note=project+MARLIN+update") == 200
        gateway.rules.write_text(codeword("BLUEFIN") + codeword("MARLIN"), encoding="utf-8")
        mark = len(gateway.lines)
        gateway.process.send_signal(signal.SIGHUP)
        gateway.wait_for(r"reload: generation 2 serving", 15, after=mark)
        # Every worker now runs the new rules: the proxy refuses the new code word.
        assert [upload(proxy, origin.port, b"note=project+MARLIN+update") for _ in range(4)] \
            == [403] * 4
        assert icap_istag(icap) != before
        assert value(scrape(gateway), "redline_rules_reloads_total", result="ok") == 2

        # A rule file that no longer compiles: old rules stay, the failed gauge says so.
        gateway.rules.write_text("[[rule]]\nid = 'broken'\n", encoding="utf-8")
        mark = len(gateway.lines)
        gateway.process.send_signal(signal.SIGHUP)
        gateway.wait_for(r"reload FAILED", 10, after=mark)
        text = scrape(gateway)
        assert value(text, "redline_rules_last_reload_failed") == 1
        assert value(text, "redline_rules_reloads_total", result="failed") == 1
        assert upload(proxy, origin.port, b"note=project+MARLIN+update") == 403
    finally:
        assert gateway.stop() == 0, gateway.log
