"""Debian's Prometheus scrapes a real ``redline serve --workers 2`` that carries real traffic; every
Grafana dashboard query and every alert expression (or, for alerts that are empty when healthy,
its sub-expressions) returns data through the HTTP API, and test copies of the alerts with
lowered thresholds fire (relay failures, quarantine backlog, outbox stuck, scan latency).

``LiveStack`` is also what ``scripts/plot_metrics.py --live`` runs to draw docs/metrics-overview.png.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import smtplib
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from email.message import EmailMessage
from pathlib import Path

import pytest
import yaml
from conftest import require_peer
from integration.serve_harness import Origin, ServeProcess, codeword, post_form
from integration.smtp_harness import Upstream, free_port, wait_for_port

REPO = Path(__file__).resolve().parents[2]
DASHBOARD = REPO / "deploy" / "grafana" / "redline-dashboard.json"
ALERTS = REPO / "deploy" / "prometheus" / "alerts.yml"
LISTENERS = ("smtp", "http", "icap", "ui", "metrics")
SCRAPE = "250ms"  # short, so that rates over a few seconds of traffic have several samples

# Alerts that are empty on a healthy gateway are checked through the sub-expressions they
# are built from: each must return data, so the alert CAN fire. A new alert in alerts.yml
# fails test_every_alert_is_probed until it is listed here.
ALERT_PROBES = {
    "RedlineInstanceDown": ['up{job="redline"}'],
    "RedlineNoRulesLoaded": ["max by (instance) (redline_rules_loaded)"],
    "RedlineQuarantineBacklogOld": ["max(redline_quarantine_oldest_pending_age_seconds)"],
    "RedlineRelayFailureRate": [
        'sum(rate(redline_relay_attempts_total{result!="2xx"}[10m]))',
        "sum(rate(redline_relay_attempts_total[10m]))"],
    "RedlineRulesReloadFailed": ["max by (instance) (redline_rules_last_reload_failed)"],
    "RedlineScanLatencyHigh": [
        "histogram_quantile(0.95, sum by (le, kind) (rate(redline_scan_duration_seconds_bucket[10m])))"],
    # verdict="error" exists only after a scan failed (4xx to the sender): the family must.
    "RedlineScanErrors": ["sum(rate(redline_items_total[10m]))"],
    "RedlineOutboxStuck": ["max(redline_outbox_depth)",
                           "sum(increase(redline_outbox_retries_total[30m]))"],
    "RedlineSmtpAuthFailures": ['sum(rate(redline_smtp_auth_total{result!="success"}[10m]))'],
    "RedlineQuarantineStoreDown": ["min by (instance) (redline_quarantine_store_up)"],
}
# Test copies that must FIRE on a short run: alert -> (threshold text, lowered). "for" is
# dropped so that they fire at the first evaluation that sees the condition.
LOWERED = {
    # rate() over [10m] divides by the whole window: a few seconds of outage stay below
    # the 0.01/s floor meant to ignore an idle gateway's odd failure.
    "RedlineRelayFailureRate": ("> 0.01", "> 0"),
    "RedlineQuarantineBacklogOld": ("> 4 * 3600", "> 1"),
    "RedlineOutboxStuck": ("> 10", "> 0"),
    "RedlineScanLatencyHigh": ("> 10", "> 0"),
}

SENDER_ACCOUNT, SENDER_PASSWORD = "mailer@example.org", "correct horse battery staple"


def dashboard_queries() -> list[tuple[str, str]]:
    """(panel title, expression) of every query in the Grafana dashboard."""
    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    return [(panel["title"], target["expr"]) for panel in dashboard["panels"]
            for target in panel.get("targets", [])]


def alert_rules() -> list[dict]:
    """Every alerting rule in deploy/prometheus/alerts.yml."""
    groups = yaml.safe_load(ALERTS.read_text(encoding="utf-8"))["groups"]
    return [rule for group in groups for rule in group["rules"] if "alert" in rule]


def lowered_rules(path: Path) -> Path:
    """alerts.yml as shipped, plus a group of lowered copies (LOWERED) that fire on a short run."""
    groups = yaml.safe_load(ALERTS.read_text(encoding="utf-8"))["groups"]
    lowered = []
    for rule in alert_rules():
        if rule["alert"] not in LOWERED:
            continue
        copy = dict(rule, alert=rule["alert"] + "Lowered")
        copy.pop("for", None)
        old, new = LOWERED[rule["alert"]]
        assert rule["expr"].count(old) == 1, f"{rule['alert']}: {old!r} not once in its expr"
        copy["expr"] = rule["expr"].replace(old, new)
        lowered.append(copy)
    groups.append({"name": "redline-lowered", "rules": lowered})
    path.write_text(yaml.safe_dump({"groups": groups}, sort_keys=False), encoding="utf-8")
    return path


def prometheus_missing() -> str | None:
    if shutil.which("prometheus") is None:
        return "Debian's prometheus is not installed (apt-get install prometheus)"
    return None


class Prometheus:
    """Debian's Prometheus with a private config and TSDB, on a loopback port, scraping one target."""

    def __init__(self, tmp: Path, target: str, rules: Path, interval: str = SCRAPE) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = tmp / "prometheus.yml"
        config.write_text(yaml.safe_dump({
            "global": {"scrape_interval": interval, "evaluation_interval": interval,
                       "scrape_timeout": interval},
            "rule_files": [str(rules)],
            "scrape_configs": [{"job_name": "redline", "metrics_path": "/metrics",
                                "static_configs": [{"targets": [target]}]}],
        }), encoding="utf-8")
        self.log = tmp / "prometheus.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                ["prometheus", f"--config.file={config}", f"--storage.tsdb.path={tmp / 'tsdb'}",
                 f"--web.listen-address=127.0.0.1:{self.port}", "--log.level=warn"],
                stdout=log, stderr=subprocess.STDOUT, cwd=tmp)

    def wait_ready(self, seconds: float = 15.0) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            with contextlib.suppress(OSError), \
                    urllib.request.urlopen(self.url + "/-/ready", timeout=1) as response:
                if response.status == 200:
                    return
            time.sleep(0.05)
        raise AssertionError(f"prometheus not ready after {seconds} s:\n{self.log.read_text()}")

    def api(self, path: str, **params: str) -> object:
        """The ``data`` of a /api/v1 answer; an error answer raises with Prometheus's message."""
        query = urllib.parse.urlencode(params)
        try:
            with urllib.request.urlopen(f"{self.url}/api/v1/{path}?{query}", timeout=5) as response:
                body = json.load(response)
        except urllib.error.HTTPError as exc:
            body = json.load(exc)
        if body.get("status") != "success":
            raise AssertionError(f"prometheus {path} {params}: {body.get('error')}")
        return body["data"]

    def query(self, expr: str) -> list[dict]:
        """The instant vector (or scalar as a one-element list) ``expr`` evaluates to now."""
        data = self.api("query", query=expr)
        if data["resultType"] in ("scalar", "string"):
            return [{"metric": {}, "value": data["result"]}]
        return data["result"]

    def query_range(self, expr: str, start: float, end: float, step: float) -> list[dict]:
        """The matrix of ``expr`` from start to end (Unix seconds)."""
        return self.api("query_range", query=expr, start=f"{start:.3f}", end=f"{end:.3f}",
                        step=f"{step:g}")["result"]

    def eventually(self, expr: str, seconds: float = 10.0, *, where=lambda result: bool(result)) -> list:
        """Poll ``expr`` until ``where(result)`` holds (bounded); the result."""
        deadline = time.monotonic() + seconds
        while True:
            result = self.query(expr)
            if where(result):
                return result
            if time.monotonic() > deadline:
                raise AssertionError(f"{expr} still {result} after {seconds} s")
            time.sleep(0.1)

    def alert_states(self) -> dict[str, tuple[str, str]]:
        """alert name -> (state, lastError or health) from /api/v1/rules."""
        out = {}
        for group in self.api("rules", type="alert")["groups"]:
            for rule in group["rules"]:
                out[rule["name"]] = (rule["state"], rule.get("lastError") or rule["health"])
        return out

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


class Gateway(ServeProcess):
    """``redline serve --workers 2`` with every listener, STARTTLS and a fast outbox retry."""

    def __init__(self, tmp: Path, upstream_port: int, metrics_port: int) -> None:
        from gateway.commands.tls import write_selfsigned

        self.ports = {name: free_port() for name in LISTENERS}
        self.ports["metrics"] = metrics_port
        rules = tmp / "site-rules.toml"
        rules.write_text(codeword("BLUEFIN"), encoding="utf-8")
        cert, key = tmp / "tls" / "cert.pem", tmp / "tls" / "key.pem"
        write_selfsigned(cert, key, "redline.test", days=1)
        config = tmp / "redline.toml"
        config.write_text(
            f'[rules]\nextra = ["{rules}"]\n'
            '[policy]\ncategory_actions = { signup = "reject", codeword = "reject" }\n'
            '[smtp]\nhostname = "redline.test"\nmax_recipients = 3\nauth = "offer"\n'
            f'tls_cert = "{cert}"\ntls_key = "{key}"\n'
            '[upstream]\ntimeout = 5\n'
            # Released mail deferred by the outage is retried within a second or two.
            '[quarantine]\nfour_eyes_severity = "off"\ndelivery_retry_seconds = 0.3\n'
            '[metrics]\nquarantine_poll_seconds = 1.0\n'
            '[serve]\ndrain_seconds = 2.0\n'
            '[http]\ninternal_destinations = ["127.0.0.0/8"]\n', encoding="utf-8")
        flags = [arg for name, port in self.ports.items() for arg in (f"--{name}", f"127.0.0.1:{port}")]
        super().__init__(tmp / "data", [
            "--config", str(config), "--upstream", f"127.0.0.1:{upstream_port}",
            "--org-domain", "example.org", "--workers", "2", *flags], ready_seconds=None)

    def wait_ready(self, seconds: float = 60.0) -> None:
        # Bounded, but long enough for two workers and their scanners to load rules on a
        # loaded 2-core machine (20 s was missed once at load 15).
        self.wait_for("redline: ready", seconds)

    def url(self, listener: str, path: str) -> str:
        return f"http://127.0.0.1:{self.ports[listener]}{path}"


def mail(subject: str, body: str, attachment: tuple[str, bytes] | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "alice@example.org"
    message["To"] = "bob@partner.test"
    message["Subject"] = subject
    message.set_content(body)
    if attachment:
        message.add_attachment(attachment[1], maintype="application", subtype="zip",
                               filename=attachment[0])
    return message


def send(port: int, message: EmailMessage, *, starttls: bool = False) -> tuple[int, str]:
    """One transaction through smtplib (STARTTLS when asked); the reply to the final dot."""
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.ehlo()
        if starttls:
            client.starttls(context=ssl._create_unverified_context())  # a self-signed lab cert
            client.ehlo()
        code, text = client.mail("alice@example.org")
        if code >= 400:
            return code, text.decode()
        code, text = client.rcpt("bob@partner.test")
        if code >= 400:
            return code, text.decode()
        data = message.as_bytes().replace(b"\n", b"\r\n")
        code, text = client.data(data)
        return code, text.decode()


def authenticate(port: int, password: str) -> int:
    """AUTH after STARTTLS as the sender account; the reply code (235, 535 or 454)."""
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.ehlo()
        client.starttls(context=ssl._create_unverified_context())  # a self-signed lab cert
        client.ehlo()
        try:
            return client.login(SENDER_ACCOUNT, password)[0]
        except smtplib.SMTPAuthenticationError as exc:
            return exc.smtp_code


def too_many_recipients(port: int) -> int:
    """RCPT beyond smtp.max_recipients (3): the code of the fourth RCPT."""
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.ehlo()
        client.mail("alice@example.org")
        codes = [client.rcpt(f"r{i}@partner.test")[0] for i in range(4)]
        client.rset()
        return codes[-1]


def ratio_bomb() -> bytes:
    """A zip whose 8 MiB member (above limits.ratio_floor_bytes) compresses ~1000:1."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.txt", b"\0" * (8 << 20))
    return buffer.getvalue()


def encrypted_zip() -> bytes:
    """A password-protected zip (uninspectable: held, counted as an extraction error)."""
    import pyzipper

    buffer = io.BytesIO()
    with pyzipper.AESZipFile(buffer, "w", compression=pyzipper.ZIP_DEFLATED,
                             encryption=pyzipper.WZ_AES) as archive:
        archive.setpassword(b"hunter2")
        archive.writestr("plans.txt", b"meeting at noon")
    return buffer.getvalue()


def upload(proxy_port: int, origin_port: int, path: str, body: bytes) -> int:
    """POST a form through the forward proxy; the status the client gets."""
    return post_form(proxy_port, f"http://127.0.0.1:{origin_port}{path}", body, timeout=10)


def post(url: str, token: str, document: object) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=json.dumps(document).encode(), headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc)


class LiveStack:
    """An aiosmtpd upstream, an HTTP origin, ``redline serve --workers 2`` and Prometheus on it."""

    def __init__(self, tmp: Path, scrape: str = SCRAPE) -> None:
        self.started = time.time()
        self.upstream = Upstream().start()
        self.gateway_port = free_port()
        # Prometheus first: it scrapes a new target only after its 5 s discovery throttle
        # (fixed in 2.42), so the gateway's start and a first round of traffic overlap it.
        self.prometheus = Prometheus(tmp, f"127.0.0.1:{self.gateway_port}",
                                     lowered_rules(tmp / "alerts.yml"), scrape)
        self.origin = Origin()
        self.gateway = Gateway(tmp, self.upstream.port, self.gateway_port)
        self.held: list[str] = []
        self.released: list[str] = []
        self.token = ""
        self.sender_created = False

    def __enter__(self) -> LiveStack:
        try:
            self.gateway.wait_ready()
            self.prometheus.wait_ready()
        except BaseException:
            # __exit__ is not called when __enter__ raises: stop what was started, or a
            # gateway that is slow to start outlives the test with its scanners.
            self.__exit__(*sys.exc_info())
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.prometheus.stop()
        code = self.gateway.stop()
        with contextlib.suppress(Exception):
            self.upstream.stop()
        self.origin.stop()
        assert code == 0 or exc[0] is not None, "\n".join(self.gateway.lines)

    def officer(self) -> str:
        """An officer's API token (created once)."""
        if not self.token:
            self.gateway.redline("user", "add", "olga", "--role", "officer", "--password-stdin",
                                 stdin="correct horse battery staple\n")
            self.token = self.gateway.redline("user", "token", "olga").strip()
        return self.token

    def sender_account(self) -> None:
        """The SMTP AUTH account (created once)."""
        if not self.sender_created:
            self.gateway.redline("user", "add", SENDER_ACCOUNT, "--role", "sender",
                                 "--password-stdin", stdin=SENDER_PASSWORD + "\n")
            self.sender_created = True

    def release_next(self) -> str:
        """Release the oldest held mail not yet released, through the officer JSON API; its id."""
        item_id = next(i for i in self.held if i not in self.released)
        status, body = post(self.gateway.url("ui", f"/api/v1/items/{item_id}/release"),
                            self.officer(), {"comment": "cleared", "confirm": item_id})
        assert status == 200 and body["status"] == "released", body
        self.released.append(item_id)
        return item_id

    def officer_pass(self, share: float) -> int:
        """An officer decides the oldest ``share`` of the pending items (at least one, at most a
        page): releases mails, rejects uploads. How many were decided."""
        request = urllib.request.Request(
            self.gateway.url("ui", "/api/v1/items?status=pending&sort=received"),
            headers={"Authorization": f"Bearer {self.officer()}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            page = json.load(response)
        items = page["items"][:max(1, round(page["total"] * share))]
        for item in items:
            action = "release" if item["kind"] == "mail" else "reject"
            status, body = post(self.gateway.url("ui", f"/api/v1/items/{item['id']}/{action}"),
                                self.officer(), {"comment": "reviewed", "confirm": item["id"]})
            assert status == 200, body
            self.released.append(item["id"])
        return len(items)

    def delivered(self, count: int, seconds: float = 5.0) -> None:
        """Wait (bounded) until the upstream holds ``count`` messages."""
        deadline = time.monotonic() + seconds
        while len(self.upstream.messages) < count:
            assert time.monotonic() < deadline, f"{len(self.upstream.messages)} of {count} arrived"
            time.sleep(0.02)

    def traffic_round(self, n: int = 0) -> dict[str, int]:
        """Every kind of mail, a refused RCPT, every kind of upload, one release delivered."""
        before = len(self.upstream.messages)
        codes = {name: code for name, (code, _) in self.mail_round(n).items()}
        codes["rcpt_over_limit"] = too_many_recipients(self.gateway.ports["smtp"])
        self.sender_account()
        codes["auth_ok"] = authenticate(self.gateway.ports["smtp"], SENDER_PASSWORD)
        codes["auth_wrong"] = authenticate(self.gateway.ports["smtp"], "a wrong guess")
        codes.update(zip(("upload_clean", "upload_marked", "upload_signup"), self.upload_round(),
                         strict=True))
        self.release_next()
        self.delivered(before + 2)  # the clean mail and the released one
        return codes

    def mail_round(self, n: int = 0) -> dict[str, tuple[int, str]]:
        """One of each kind of mail: clean over STARTTLS, marked (held), code word (refused),
        an encrypted zip and a compression-ratio bomb (held, fail closed)."""
        smtp = self.gateway.ports["smtp"]
        replies = {
            "clean": send(smtp, mail(f"lunch {n}", "see you at noon"), starttls=True),
            "marked": send(smtp, mail(f"notes {n}", "SECRET//NOFORN\nthe plan")),
            "codeword": send(smtp, mail(f"status {n}", "project BLUEFIN is late")),
            "encrypted": send(smtp, mail(f"files {n}", "attached", ("files.zip", encrypted_zip()))),
            "bomb": send(smtp, mail(f"zeros {n}", "attached", ("zeros.zip", ratio_bomb()))),
        }
        for name in ("marked", "encrypted", "bomb"):
            self.note_held(replies[name][1])
        return replies

    def note_held(self, reply: str) -> None:
        """Remember the quarantine id a "held for review as Q-..." reply names."""
        found = re.search(r"Q-[0-9A-Z-]+", reply)
        if found:
            self.held.append(found.group(0))

    def upload_round(self) -> list[int]:
        """A clean form, a marked one and a sign-up with a work address through the proxy."""
        proxy, origin = self.gateway.ports["http"], self.origin.port
        return [upload(proxy, origin, "/notes", b"note=see+you+at+noon"),
                upload(proxy, origin, "/notes", b"note=SECRET%2F%2FNOFORN+plan"),
                upload(proxy, origin, "/users", b"user%5Bemail%5D=alice%40example.org&"
                       b"user%5Bpassword%5D=hunter2&user%5Bpassword_confirmation%5D=hunter2")]

    def outage(self) -> None:
        """Stop the upstream (connections refused from now on)."""
        self.upstream.stop()

    def recover(self) -> None:
        """Start an upstream on the same port again."""
        self.upstream = Upstream(self.upstream.port).start()
        wait_for_port(self.upstream.port)


# -- the tests --------------------------------------------------------------------------------


def test_every_alert_is_probed():
    assert {rule["alert"] for rule in alert_rules()} == set(ALERT_PROBES)


def finite(result: list[dict]) -> bool:
    """True when some sample of a query result is a number (not NaN: a rate over no increase)."""
    return any(sample["value"][1] not in ("NaN", "+Inf", "-Inf") for sample in result)


EXPECTED_ROUND = {"clean": 250, "marked": 250, "codeword": 550, "encrypted": 250, "bomb": 250,
                  "rcpt_over_limit": 452, "auth_ok": 235, "auth_wrong": 535,
                  "upload_clean": 200, "upload_marked": 403, "upload_signup": 403}


def test_every_dashboard_query_and_alert_returns_data_from_a_live_gateway(tmp_path):
    require_peer(prometheus_missing())
    with LiveStack(tmp_path) as stack:
        prometheus = stack.prometheus
        # Round 1 creates every series; round 2, after Prometheus has them, makes rate() rise.
        assert stack.traffic_round(1) == EXPECTED_ROUND
        prometheus.eventually('redline_quarantine_decisions_total{action="release"}', 8)
        assert stack.traffic_round(2) == EXPECTED_ROUND
        assert stack.origin.bodies == [b"note=see+you+at+noon"] * 2

        # The upstream goes away: a release waits in the outbox and is retried, new mail is
        # deferred (451) at RCPT; each is a "connection" relay failure.
        stack.outage()
        stack.release_next()
        assert send(stack.gateway.ports["smtp"], mail("lunch", "noon"))[0] == 451
        prometheus.eventually('redline_relay_attempts_total{result="connection"}', 3)
        assert send(stack.gateway.ports["smtp"], mail("lunch", "noon"))[0] == 451

        # The lowered copies fire: relay failures, backlog, outbox stuck, scan latency.
        must_fire = {name + "Lowered" for name in LOWERED}
        deadline = time.monotonic() + 5
        while True:
            states = prometheus.alert_states()
            if all(states[name][0] == "firing" for name in must_fire):
                break
            assert time.monotonic() < deadline, f"not all fire: {states}"
            time.sleep(0.1)
        # Every shipped alert evaluates without error (most wait out their "for").
        assert all(health == "ok" for _, health in states.values()), states

        for title, expr in dashboard_queries():
            assert finite(prometheus.eventually(expr, 2, where=finite)), \
                f"dashboard panel {title!r}: {expr} returns no data"
        for alert, probes in ALERT_PROBES.items():
            for expr in probes:
                assert finite(prometheus.eventually(expr, 2, where=finite)), \
                    f"{alert}: {expr} returns no data"

        # The values behind them are the traffic's.
        def one(expr: str) -> float:
            return float(prometheus.query(expr)[0]["value"][1])

        assert one('sum(redline_items_total{kind="mail",verdict="reject"})') == 2
        assert one('sum(redline_items_total{kind="upload",verdict="quarantine"})') == 2
        assert one("sum(redline_signups_blocked_total)") == 2
        assert one('sum(redline_tls_sessions_total{listener="smtp"})') == 6  # mail and AUTH
        assert one('sum(redline_smtp_auth_total{result="success"})') == 2
        # smtplib tries PLAIN, then LOGIN, with a wrong password: two failures a round.
        assert one('sum(redline_smtp_auth_total{result="failure"})') == 4
        assert one('sum(redline_smtp_sessions_refused_total{reason="recipients"})') == 2
        assert one('sum(redline_relay_attempts_total{result="2xx"})') == 4
        assert one('sum(redline_relay_attempts_total{result="connection"})') >= 2
        assert one('sum(redline_quarantine_decisions_total{action="release"})') == 3
        assert one("sum(redline_limits_reached_total)") >= 2
        assert one("sum(redline_extraction_errors_total)") >= 2
        assert one("max(redline_outbox_depth)") == 1
        assert one("sum(redline_outbox_retries_total)") >= 1
        assert one('up{job="redline"}') == 1


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_every_log_line_names_its_process(fmt):
    """redline serve's processes share one stderr: text lines say logger[pid], JSON lines "pid"."""
    import logging

    from fixtures.root_logging import root_logging_restored

    from filters.types import ScanStats, Verdict
    from gateway.ops.config import LoggingConfig
    from gateway.ops.logs import log_decision, setup_logging

    stream = io.StringIO()
    with root_logging_restored():
        setup_logging(LoggingConfig(format=fmt, level="INFO"), stream=stream)
        logging.getLogger("redline.test").info("listening on %s", "127.0.0.1:2525")
        log_decision("mail", "Q-TEST-0001", Verdict("pass", (), ScanStats()), {"scan": 0.001})
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2, lines
    pid = os.getpid()
    if fmt == "json":
        assert [json.loads(line)["pid"] for line in lines] == [pid, pid]
    else:
        assert f"INFO redline.test[{pid}] listening on 127.0.0.1:2525" in lines[0]
        assert f"INFO redline.decision[{pid}] decision " in lines[1]
