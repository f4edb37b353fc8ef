"""``redline replay``: a candidate config replayed over the quarantine store, a Maildir, an
mbox and a folder gives the diff that scanning each item with each config gives; a candidate
that does not load is refused before anything is read."""

from __future__ import annotations

import json
import mailbox
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from integration.serve_harness import REDLINE, codeword

from filters.types import Hit, Verdict
from quarantine.sqlite_store import SqliteStore
from quarantine.store import HoldRequest


def mail(subject: str, body: str) -> bytes:
    return (f"From: alice@example.org\r\nTo: bob@example.com\r\nSubject: {subject}\r\n"
            f"Message-ID: <{subject.replace(' ', '-')}@example.org>\r\n\r\n{body}\r\n").encode()


CLASSIFIED = mail("plan", "TOP SECRET//NOFORN\r\n\r\nThe plan.\r\n\r\nTOP SECRET//NOFORN")
CODEWORD = mail("status", "Project BLUEFIN is on track")
CLEAN = mail("lunch", "Lunch at noon?")


def replay(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(REDLINE), "replay", "--jobs", "2", *args], capture_output=True,
                          text=True, timeout=300)


def scan(config: Path | None, path: Path) -> dict:
    extra = ["--config", str(config)] if config else []
    out = subprocess.run([str(REDLINE), "scan", "--json", *extra, str(path)],
                         capture_output=True, text=True, timeout=300)
    return json.loads(out.stdout.splitlines()[0])


@pytest.fixture
def candidate(tmp_path) -> Path:
    rules = tmp_path / "site-rules.toml"
    rules.write_text(codeword("BLUEFIN"), encoding="utf-8")
    config = tmp_path / "candidate.toml"
    config.write_text(f'[rules]\nextra = ["{rules}"]\n[policy]\ncategory_actions = '
                      '{ signup = "reject", classification = "reject" }\n', encoding="utf-8")
    return config


def test_replay_of_a_maildir_an_mbox_and_a_folder_matches_two_scans(tmp_path, candidate):
    maildir = mailbox.Maildir(tmp_path / "Sent", create=True)
    for message in (CLASSIFIED, CODEWORD, CLEAN):
        maildir.add(message)
    box = mailbox.mbox(tmp_path / "archive.mbox")
    box.add(CODEWORD)
    box.add(CLEAN)
    box.flush()
    box.close()
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "note.txt").write_text("Project BLUEFIN notes\n", encoding="utf-8")
    result = replay("--config", str(candidate), "--json", str(tmp_path / "Sent"),
                    str(tmp_path / "archive.mbox"), str(folder))
    assert result.returncode == 1, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    records, summary = lines[:-1], lines[-1]["summary"]
    assert len(records) == 6 and summary["items"] == 6
    # Each Maildir item's before/after is what `redline scan` says with each config.
    for record in records:
        if record["source"] != str(tmp_path / "Sent"):
            continue
        path = tmp_path / "Sent" / record["id"].split("/", 1)[1]
        before, after = scan(None, path), scan(candidate, path)
        assert record["before"]["verdict"] == action(before)
        assert record["after"]["verdict"] == action(after)
        assert set(record["after"]["rules"]) == {h["rule"] for h in after["hits"]}
    changes = sorted(r["change"] for r in records)
    assert changes == ["changed action", "newly held", "newly held", "newly held",
                       "unchanged", "unchanged"]
    assert len(summary["rules"]["org.codeword.bluefin"]["added"]) == 3
    assert summary["changes"] == {"changed action": 1, "newly held": 3, "unchanged": 2}
    # The table for people says the same.
    table = replay("--config", str(candidate), str(tmp_path / "archive.mbox"))
    assert "archive.mbox#1" in table.stdout and "newly held" in table.stdout
    assert "2 item(s) replayed: 1 newly held, 1 unchanged" in table.stdout


def test_replay_of_the_store_compares_with_what_happened_and_is_audited(tmp_path, candidate):
    data = tmp_path / "data"
    store = SqliteStore(data / "quarantine.sqlite")
    hit = Hit(rule="classification.en.banner", category="classification", severity="high",
              where="mail/body[1]", excerpt="TOP SECRET//NOFORN", span=(0, 10))
    try:
        held = store.hold(HoldRequest(
            kind="mail", sender="alice@example.org", recipients=("bob@example.com",),
            subject="plan", verdict=Verdict("quarantine", (hit,)), content=CLASSIFIED,
            received=datetime.now(UTC)))
        bare = store.hold(HoldRequest(
            kind="mail", sender="alice@example.org", recipients=("bob@example.com",),
            subject="status", verdict=Verdict("monitor", ()), content=CODEWORD,
            received=datetime.now(UTC), status="monitored", keep_content=False))
    finally:
        store.close()
    result = replay("--config", str(candidate), "--data-dir", str(data), "--json", "quarantine")
    # The monitored item without content cannot be replayed: said, and exit 2.
    assert result.returncode == 2 and f"{bare.id}: content not kept" in result.stderr
    (record, summary) = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["id"] == held.id and record["change"] == "changed action"
    assert summary["summary"]["changes"] == {"changed action": 1}
    assert record["before"]["verdict"] == "quarantine" and record["after"]["verdict"] == "reject"
    audit = subprocess.run([str(REDLINE), "audit", "list", "--json", "--data-dir", str(data)],
                           capture_output=True, text=True, timeout=60)
    (entry,) = [e for e in json.loads(audit.stdout) if e["action"] == "replay"]
    assert entry["detail"]["items"] == 1 and entry["detail"]["skipped"] == 1


def test_a_candidate_that_does_not_load_is_refused_before_anything_is_read(tmp_path):
    maildir = mailbox.Maildir(tmp_path / "Sent", create=True)
    maildir.add(CLEAN)
    bad_toml = tmp_path / "bad.toml"
    bad_toml.write_text('[policy]\nmode = "monitor\n', encoding="utf-8")
    result = replay("--config", str(bad_toml), str(tmp_path / "Sent"))
    assert result.returncode == 2 and result.stdout == ""
    assert str(bad_toml) in result.stderr and "line 2" in result.stderr
    assert "nothing was replayed" in result.stderr
    bad_key = tmp_path / "bad-key.toml"
    bad_key.write_text('[policy]\nmode = "audit"\n', encoding="utf-8")
    result = replay("--config", str(bad_key), str(tmp_path / "Sent"))
    assert result.returncode == 2 and "policy.mode" in result.stderr
    rules = tmp_path / "broken-rules.toml"
    rules.write_text('[[rule]]\nid = "org.broken"\ncategory = "codeword"\nseverity = "high"\n'
                     'description = "d"\ntriggers = ["x"]\npattern = "(unclosed"\n',
                     encoding="utf-8")
    broken = tmp_path / "broken.toml"
    broken.write_text(f'[rules]\nextra = ["{rules}"]\n', encoding="utf-8")
    result = replay("--config", str(broken), str(tmp_path / "Sent"))
    assert result.returncode == 2 and result.stdout == ""
    assert str(rules) in result.stderr and "org.broken" in result.stderr


def action(scanned: dict) -> str:
    """The action a `redline scan --json` line stands for (a monitored pass is monitor)."""
    return "monitor" if scanned["monitored"] else scanned["verdict"]


def test_scan_keeps_to_the_stable_verdicts_and_marks_a_monitored_pass(tmp_path):
    """DESIGN's `redline scan --json` names pass, quarantine and reject: a monitored item
    leaves, so it is a pass with "monitored": true, and the exit status agrees (0)."""
    config = tmp_path / "monitor.toml"
    config.write_text('[policy]\nmode = "monitor"\n', encoding="utf-8")
    path = tmp_path / "plan.eml"
    path.write_bytes(CLASSIFIED)
    result = subprocess.run([str(REDLINE), "scan", "--config", str(config), str(path)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and f"{path}: PASS (monitored)" in result.stdout
    assert "1 pass (1 of them monitored), 0 quarantine" in result.stderr
    monitored = scan(config, path)
    assert monitored["verdict"] == "pass" and monitored["monitored"] is True
    assert {h["category"] for h in monitored["hits"]} == {"classification"}
    # Enforcing, the same mail is held and not monitored; a clean one is a plain pass.
    held = scan(None, path)
    assert held["verdict"] == "quarantine" and held["monitored"] is False
    clean = tmp_path / "lunch.eml"
    clean.write_bytes(CLEAN)
    assert scan(config, clean) | {"stats": None} == {
        "path": str(clean), "verdict": "pass", "monitored": False, "hits": [], "stats": None}
    # Only one category watched: a monitored draft beside a marking is still held, exit 1.
    draft_only = tmp_path / "draft-monitor.toml"
    draft_only.write_text('[policy]\ncategory_actions = { draft = "monitor" }\n',
                          encoding="utf-8")
    both = tmp_path / "both.eml"
    both.write_bytes(mail("both", "DRAFT\r\n\r\nTOP SECRET//NOFORN\r\n\r\nTOP SECRET//NOFORN"))
    out = subprocess.run([str(REDLINE), "scan", "--json", "--config", str(draft_only),
                          str(both), str(path)], capture_output=True, text=True, timeout=300)
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert out.returncode == 1 and {line["verdict"] for line in lines} == {"quarantine"}
    assert not any(line["monitored"] for line in lines)


def test_a_policy_only_candidate_is_replayed_in_one_scan_and_matches_two_scans(tmp_path):
    maildir = mailbox.Maildir(tmp_path / "Sent", create=True)
    for message in (CLASSIFIED, CLEAN, mail("minutes", "DRAFT\r\n\r\nMinutes of the board")):
        maildir.add(message)
    candidate = tmp_path / "monitor.toml"
    candidate.write_text('[policy]\nmode = "monitor"\n', encoding="utf-8")
    result = replay("--config", str(candidate), "--json", str(tmp_path / "Sent"))
    assert result.returncode == 1, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()][:-1]
    assert len(records) == 3
    for record in records:
        path = tmp_path / "Sent" / record["id"].split("/", 1)[1]
        before, after = scan(None, path), scan(candidate, path)
        assert (record["before"]["verdict"], record["after"]["verdict"]) == (
            action(before), action(after))
        expected = ("newly passed" if before["verdict"] in ("quarantine", "reject")
                    else "unchanged")
        assert record["change"] == expected
    assert sorted(r["change"] for r in records).count("newly passed") >= 1


def test_a_rules_candidate_is_replayed_in_one_walk_and_matches_two_scans(tmp_path):
    """Rules and min_severity change: each file is walked once with both configs' engines;
    the random blob the two would read differently is scanned again alone. Every verdict
    and rule set is what a scan with each config gives."""
    import random

    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "note.txt").write_text("Project BLUEFIN notes\n", encoding="utf-8")
    (folder / "plan.eml").write_bytes(CLASSIFIED)
    (folder / "lunch.eml").write_bytes(CLEAN)
    (folder / "backup.bin").write_bytes(random.Random(7).randbytes(64 * 1024))
    rules = tmp_path / "site-rules.toml"
    rules.write_text(codeword("BLUEFIN"), encoding="utf-8")
    candidate = tmp_path / "candidate.toml"
    candidate.write_text(f'[rules]\nextra = ["{rules}"]\n[policy]\nmin_severity = "high"\n',
                         encoding="utf-8")
    result = replay("--config", str(candidate), "--json", str(folder))
    assert result.returncode == 1, result.stderr
    records = {Path(r["id"]).name: r for r in
               (json.loads(line) for line in result.stdout.splitlines()[:-1])}
    assert set(records) == {"note.txt", "plan.eml", "lunch.eml", "backup.bin"}
    for name, record in records.items():
        before, after = scan(None, folder / name), scan(candidate, folder / name)
        assert record["before"]["verdict"] == action(before), name
        assert record["after"]["verdict"] == action(after), name
    # Held either way, but for another reason: the opaque hit (medium) no longer counts,
    # so the candidate reads the blob's text runs and holds it as uninspectable.
    assert records["backup.bin"]["after"]["rules"] != records["backup.bin"]["before"]["rules"]
    assert records["note.txt"]["change"] == "newly held"
    assert records["plan.eml"]["change"] == "unchanged"
