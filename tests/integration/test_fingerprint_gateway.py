"""Fingerprints through a real ``redline serve``: an officer rejects a marked report, and the
same report without its banner (as docx, as a PDF printed by LibreOffice, as paragraphs
pasted into a plain body) is held naming the rejected item; a mail with the same disclaimer
and a different report on the same topic pass. Registrations reach every worker, and every
node of one PostgreSQL store, without a restart."""

from __future__ import annotations

import json
import re
import shutil
import smtplib
import subprocess
import time
import urllib.parse
from email.message import EmailMessage
from pathlib import Path

import pytest
from conftest import require_peer
from fixtures.quarantine import PG_DSN, backend, postgres_missing
from integration.serve_harness import REDLINE, Origin, ServeProcess, post_form
from integration.smtp_harness import Upstream, free_port

from tests.fixtures.reports import (
    DISCLAIMER,
    FLOOD_PLAN,
    FLOOD_REVIEW,
    body,
    report_docx,
    rewrap,
)

PASSWORD = "correct horse battery staple 7"
BANNER = "SECRET"


def redline(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([str(REDLINE), *args], input=stdin, capture_output=True, text=True,
                          timeout=120)


def write_config(path: Path, extra: str = "") -> Path:
    disclaimer = DISCLAIMER.replace('"', '\\"')
    path.write_text(f'[rules]\ndisclaimers = ["{disclaimer}"]\n'
                    "[fingerprints]\nrefresh_seconds = 0.5\n" + extra, encoding="utf-8")
    return path


class Gateway(ServeProcess):
    """``redline serve`` with SMTP into a real upstream, UI and HTTP off."""

    def __init__(self, data: Path, config: Path, upstream: int, *, workers: int = 1,
                 proxy: bool = False) -> None:
        self.port = free_port()
        self.http_port = free_port()
        self.config = config
        super().__init__(data, [
            "--config", str(config), "--smtp", f"127.0.0.1:{self.port}",
            "--upstream", f"127.0.0.1:{upstream}", "--workers", str(workers),
            "--http", f"127.0.0.1:{self.http_port}" if proxy else "off", "--icap", "off",
            "--ui", "off", "--metrics", "off"], ready_seconds=90)

    def upload(self, origin: int, form: dict[str, str]) -> int:
        """POST a form through the forward proxy; the status the client gets."""
        return post_form(self.http_port, f"http://127.0.0.1:{origin}/post",
                         urllib.parse.urlencode(form).encode(), timeout=60)

    def send(self, message: EmailMessage) -> str:
        """The reply text to DATA: ``held for review as Q-…`` or a plain acceptance."""
        with smtplib.SMTP("127.0.0.1", self.port, timeout=60) as smtp:
            smtp.ehlo("client.test")
            smtp.mail("anna@example.org")
            smtp.rcpt("tom@partner.example")
            code, text = smtp.data(message.as_bytes(policy=message.policy.clone(linesep="\r\n")))
        assert code == 250, text
        return text.decode()

    def cli(self, *args: str, stdin: str = "") -> str:
        result = redline(*args, "--config", str(self.config), "--data-dir", str(self.data),
                         stdin=stdin)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout


def held_id(reply: str) -> str:
    found = re.search(r"held for review as (Q-[0-9A-Z]{4}-[0-9A-Z]{4})", reply)
    assert found, f"not held: {reply}"
    return found.group(1)


def message(subject: str, text: str, attachment: tuple[str, bytes, str] | None = None
            ) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = "Anna Berg <anna@example.org>"
    mail["To"] = "tom@partner.example"
    mail["Subject"] = subject
    mail.set_content(text)
    if attachment:
        name, data, kind = attachment
        maintype, subtype = kind.split("/")
        mail.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return mail


def footer(text: str) -> str:
    return f"{text}\n\nAnna Berg\nOperations\n\n{DISCLAIMER}\n"


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def fingerprint_hits(gateway: Gateway, item_id: str) -> list[dict]:
    shown = json.loads(gateway.cli("quarantine", "show", item_id, "--json"))
    return [h for h in shown["hits"] if h["category"] == "fingerprint"]


def wait_registered(gateway: Gateway, item_id: str, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        records = json.loads(gateway.cli("fingerprints", "list", "--json"))
        if any(r["item_id"] == item_id and r["kind"] == "rejected" for r in records):
            return
        time.sleep(0.2)
    raise AssertionError(f"{item_id} was not registered within {seconds} s:\n{gateway.log}")


def print_to_pdf(docx: Path, out: Path) -> Path:
    """The docx printed to PDF by LibreOffice, as a sender re-saving it would."""
    if shutil.which("soffice") is None:
        pytest.fail("LibreOffice is missing: apt-get install -y libreoffice-writer-nogui")
    profile = (out / "lo-profile").resolve().as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), str(docx)],
                   capture_output=True, timeout=180, check=True)
    pdf = out / (docx.stem + ".pdf")
    assert pdf.exists()
    return pdf


@pytest.fixture
def upstream():
    server = Upstream().start()
    yield server
    server.stop()


def add_officer(data: Path, config: Path) -> None:
    made = redline("user", "add", "olga", "--role", "officer", "--password-stdin",
                   "--config", str(config), "--data-dir", str(data), stdin=PASSWORD + "\n")
    assert made.returncode == 0, made.stderr


def test_a_rejected_report_sent_again_without_its_banner_is_held_naming_the_rejected_item(
        tmp_path, upstream):
    config = write_config(tmp_path / "redline.toml")
    data = tmp_path / "data"
    add_officer(data, config)
    gateway = Gateway(data, config, upstream.port)
    try:
        marked = report_docx(FLOOD_REVIEW, BANNER)
        first = held_id(gateway.send(message("flood review", footer("Tom, the review."),
                                             ("flood-review.docx", marked, DOCX))))
        gateway.cli("quarantine", "reject", first, "--as", "olga", "--password-stdin",
                    "--comment", "classified report to a partner", stdin=PASSWORD + "\n")
        wait_registered(gateway, first)
        time.sleep(1.0)  # two refresh periods of the scanners

        # 1. The same report with its banner removed, as a docx.
        plain = report_docx(FLOOD_REVIEW)
        reply = gateway.send(message("flood review v2", footer("Tom, as discussed."),
                                     ("flood-review.docx", plain, DOCX)))
        resent = held_id(reply)
        [hit] = fingerprint_hits(gateway, resent)
        assert hit["rule"] == "fingerprint.rejected"
        assert re.match(rf"matches (\d+) % of {first}, rejected \d{{4}}-\d\d-\d\d",
                        hit["description"]), hit["description"]
        assert int(hit["description"].split()[1]) >= 70  # the mail text around it is not resent
        assert "flood-review.docx" in hit["where"]

        # 2. Printed to PDF by LibreOffice.
        plain_path = tmp_path / "flood-review.docx"
        plain_path.write_bytes(plain)
        pdf = print_to_pdf(plain_path, tmp_path).read_bytes()
        as_pdf = held_id(gateway.send(message("review pdf", footer("PDF attached."),
                                              ("flood-review.pdf", pdf, "application/pdf"))))
        [hit] = fingerprint_hits(gateway, as_pdf)
        assert first in hit["description"] and ".pdf" in hit["where"]

        # 3. Three paragraphs pasted into a plain body, lines wrapped again.
        pasted = rewrap(body(FLOOD_REVIEW[2:5]))
        in_body = held_id(gateway.send(message("notes", footer("Tom, notes:\n\n" + pasted))))
        [hit] = fingerprint_hits(gateway, in_body)
        assert first in hit["description"]

        # Hard negatives: the same disclaimer in an unrelated mail, and a different report
        # on the same topic, leave.
        delivered = len(upstream.messages)
        lunch = gateway.send(message("lunch", footer("Lunch on Thursday at the usual place?")))
        assert "held" not in lunch
        other = gateway.send(message("plan", footer("The plan, for comments."),
                                     ("flood-plan.docx", report_docx(FLOOD_PLAN), DOCX)))
        assert "held" not in other
        assert len(upstream.messages) == delivered + 2
    finally:
        gateway.stop()


def test_two_workers_pick_up_a_registration_without_a_restart(tmp_path, upstream):
    config = write_config(tmp_path / "redline.toml",
                          '[http]\ninternal_destinations = ["127.0.0.0/8"]\n')
    data = tmp_path / "data"
    add_officer(data, config)
    gateway = Gateway(data, config, upstream.port, workers=2, proxy=True)
    origin = Origin()
    try:
        report = tmp_path / "flood-review.docx"
        report.write_bytes(report_docx(FLOOD_REVIEW, BANNER))
        # Before: the paragraphs leave (nothing is registered, nothing is marked).
        pasted = rewrap(body(FLOOD_REVIEW[1:4]))
        assert "held" not in gateway.send(message("before", footer(pasted)))
        form = {"to": "tom@partner.example", "body": pasted}
        assert gateway.upload(origin.port, form) == 200  # a webmail form, before
        gateway.cli("fingerprints", "add", str(report), "--label", "Final reports",
                    "--as", "olga", "--password-stdin", stdin=PASSWORD + "\n")
        time.sleep(1.0)
        workers: set[str] = set()
        for attempt in range(30):
            mark = len(gateway.lines)
            held = held_id(gateway.send(message(f"after {attempt}", footer(pasted))))
            line = gateway.wait_for(rf"\[(\d+)\].*{held}", 10, after=mark)
            workers.add(line.group(1))
            if len(workers) == 2:
                break
        assert len(workers) == 2, "every mail went to one worker"
        [hit] = fingerprint_hits(gateway, held)
        assert "Final reports (flood-review.docx), registered" in hit["description"]
        assert hit["rule"] == "fingerprint.registered"
        # The same paragraphs typed into a web form are held at the proxy too.
        assert gateway.upload(origin.port, form) == 403
        assert len(origin.bodies) == 1
    finally:
        origin.stop()
        gateway.stop()


def test_a_rejection_on_one_node_makes_the_other_node_hold_the_resend(tmp_path, upstream):
    require_peer(postgres_missing())
    with backend("postgres", tmp_path) as db:
        shared = (f'[quarantine]\nbackend = "postgres"\npostgres_dsn = "{PG_DSN}"\n'
                  f'postgres_schema = "{db.schema}"\ncontent_key_file = "{db.key_file}"\n')
        db.key_file.parent.mkdir(parents=True, exist_ok=True)
        config = write_config(tmp_path / "redline.toml", shared)
        add_officer(tmp_path / "a", config)
        node_a = Gateway(tmp_path / "a", config, upstream.port)
        try:
            node_b = Gateway(tmp_path / "b", config, upstream.port)
            try:
                marked = report_docx(FLOOD_REVIEW, BANNER)
                first = held_id(node_a.send(message("review", footer("Tom, the review."),
                                                    ("review.docx", marked, DOCX))))
                node_a.cli("quarantine", "reject", first, "--as", "olga", "--password-stdin",
                           stdin=PASSWORD + "\n")
                wait_registered(node_a, first)
                time.sleep(1.0)
                pasted = rewrap(body(FLOOD_REVIEW[3:6]))
                on_b = held_id(node_b.send(message("notes", footer(pasted))))
                [hit] = fingerprint_hits(node_b, on_b)
                assert first in hit["description"]
                node_b.wait_for(r"fingerprint index: 1 added", 5)
            finally:
                node_b.stop()
        finally:
            node_a.stop()
