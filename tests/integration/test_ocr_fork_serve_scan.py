"""OCR in scanner processes forked after Tesseract was loaded (OcrReader.load_for_forks).

`redline serve` loads the handles in its supervisor and `redline scan --jobs N` in its
parent before the scanners fork; these tests read marked pictures in those scanners for
real, also in scanners started again after one was killed.
"""

from __future__ import annotations

import json
import os
import signal
import smtplib
import subprocess
import sys
import time
from email.message import EmailMessage
from pathlib import Path

import pytest
from conftest import require_peer
from integration.serve_harness import ServeProcess
from integration.smtp_harness import free_port, running_upstream

from filters.workers import ScanPool
from tests.fixtures import images as pictures

REDLINE = Path(sys.executable).with_name("redline")
# Generous time limits: these tests check what OCR finds, not how fast it reads.
LIMITS = ('[limits]\npart_seconds = 120.0\nitem_seconds = 300.0\n'
          'ocr_page_seconds = 120.0\nocr_item_seconds = 240.0\n')
DOCX = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")


@pytest.fixture(autouse=True)
def _fonts():
    require_peer(pictures.fonts_missing())


@pytest.fixture(scope="module")
def upstream():
    yield from running_upstream()


def mail(subject: str, *, banner: str) -> EmailMessage:
    """A mail whose only marking (if any) is the banner of a page pictured in a .docx."""
    message = EmailMessage()
    message["From"] = "alice@example.org"
    message["To"] = "bob@partner.test"
    message["Subject"] = subject
    message.set_content("Please see the attachment.")
    page = pictures.scanned(pictures.text_page([pictures.BODY_EN], banner=banner))
    message.add_attachment(pictures.docx_with_picture(pictures.encode(page, "PNG")),
                           maintype=DOCX[0], subtype=DOCX[1], filename="visit.docx")
    return message


def ocr_classification(hits: list[dict]) -> list[dict]:
    return [h for h in hits if h["category"] == "classification" and h["where"].endswith("#ocr")]


def scanners(serve: ServeProcess) -> set[int]:
    """Pids of the scanner processes: children of the workers."""
    found: set[int] = set()
    for worker in serve.workers():
        found |= {int(c) for c in
                  Path(f"/proc/{worker}/task/{worker}/children").read_text().split()}
    return found


def deliver(port: int, message: EmailMessage) -> tuple[int, str]:
    data = message.as_bytes().replace(b"\n", b"\r\n")
    with smtplib.SMTP("127.0.0.1", port, timeout=120) as client:
        client.ehlo()
        client.mail("alice@example.org")
        client.rcpt("bob@partner.test")
        code, text = client.data(data)
        return code, text.decode()


def held_hits(serve: ServeProcess, reply: str) -> list[dict]:
    assert "held for review as Q-" in reply, reply
    item_id = reply.split("held for review as ")[1].split()[0].rstrip(".;,)")
    items = json.loads(serve.redline("quarantine", "list", "--json"))
    return next(item for item in items if item["id"] == item_id)["hits"]


def test_serve_scanners_read_pictures_with_the_supervisors_handles_also_after_a_crash(
        tmp_path, upstream):
    ports = {name: free_port() for name in ("smtp", "http", "metrics")}
    config = tmp_path / "redline.toml"
    config.write_text('[quarantine]\nfour_eyes_severity = "off"\n' + LIMITS, encoding="utf-8")
    serve = ServeProcess(tmp_path / "data", [
        "--config", str(config), "--upstream", f"127.0.0.1:{upstream.port}", "--workers", "2",
        "--icap", "off", "--ui", "off",
        *(arg for name, port in ports.items() for arg in (f"--{name}", f"127.0.0.1:{port}"))],
        ready_seconds=60)
    try:
        smtp = ports["smtp"]
        code, reply = deliver(smtp, mail("Site visit", banner="SECRET"))
        assert code == 250 and ocr_classification(held_hits(serve, reply)), reply
        code, reply = deliver(smtp, mail("Site visit, clean", banner=""))
        assert code == 250 and "held" not in reply, reply
        # Every scanner dies idle (killed); a worker finds out when it hands the dead one
        # a mail and forks a replacement, which reads that mail, holds the supervisor's
        # handles and reads pictures with them.
        first = scanners(serve)
        assert first
        for pid in first:
            os.kill(pid, signal.SIGKILL)
        for n in range(len(first)):
            plain = mail(f"Plain {n}", banner="")
            plain.clear_content()
            plain.set_content("Lunch at noon?")
            assert deliver(smtp, plain)[0] == 250
        for n in range(2 * len(first)):  # every replacement gets pictures to read
            code, reply = deliver(smtp, mail(f"Site visit {n}", banner="SECRET"))
            assert code == 250 and ocr_classification(held_hits(serve, reply)), reply
        assert scanners(serve) - first  # replacements (the killed idle ones wait as zombies)
        code, reply = deliver(smtp, mail("Site visit, clean again", banner=""))
        assert code == 250 and "held" not in reply, reply
    finally:
        assert serve.stop() == 0, serve.log


def test_scan_jobs_2_reads_pictures_in_both_scanners(tmp_path):
    config = tmp_path / "redline.toml"
    config.write_text(LIMITS, encoding="utf-8")
    folder = tmp_path / "mails"
    folder.mkdir()
    for n in range(4):  # largest first: both scanners get a marked and a clean mail
        for banner in ("SECRET", ""):
            name = f"{'marked' if banner else 'clean'}-{n}.eml"
            (folder / name).write_bytes(mail(f"Visit {n}", banner=banner).as_bytes())
    out = subprocess.run([str(REDLINE), "scan", "--jobs", "2", "--json", "--config", str(config),
                          str(folder)], capture_output=True, text=True, timeout=600)
    assert out.returncode == 1, out.stderr
    records = {Path(r["path"]).name: r for r in map(json.loads, out.stdout.splitlines())}
    assert len(records) == 8
    for name, record in records.items():
        if name.startswith("marked"):
            assert record["verdict"] != "pass" and ocr_classification(record["hits"]), record
        else:
            assert record["verdict"] == "pass", record


def test_a_scan_pool_restarted_after_a_crash_reads_with_the_parents_handles():
    pipeline = pictures.ocr_pipeline()
    pipeline.ocr.load_for_forks(latin=True)
    marked = mail("Visit", banner="SECRET").as_bytes()
    with ScanPool(pipeline, 2) as pool:
        first = pool.pids
        for pid in first:
            os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(
                Path(f"/proc/{pid}").exists() and "Z" not in
                Path(f"/proc/{pid}/stat").read_text().split()[2] for pid in first):
            time.sleep(0.02)
        path = Path(os.environ.get("TMPDIR", "/tmp")) / f"ocrfork-{os.getpid()}.eml"
        path.write_bytes(b"Subject: lunch\r\n\r\nLunch at noon?\r\n")
        try:
            # Handed to a dead scanner, an item is held as a crash and the scanner replaced.
            list(pool.scan_files([str(path)] * len(first)))
            path.write_bytes(marked)
            outcomes = list(pool.scan_files([str(path)] * 4))
        finally:
            path.unlink()
        assert not set(pool.pids) & set(first)
    for outcome in outcomes:
        assert outcome.verdict is not None, outcome.error
        hits = [h for h in outcome.verdict.hits
                if h.category == "classification" and h.where.endswith("#ocr")]
        assert outcome.verdict.action != "pass" and hits, outcome.verdict
