"""``redline fingerprints add|list|remove`` as an officer uses it: proven account, all or
nothing, clear messages for an empty, encrypted, duplicate or oversized file, audited."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from integration.serve_harness import REDLINE

from tests.fixtures.legacy import encrypted_docx
from tests.fixtures.reports import FLOOD_PLAN, FLOOD_REVIEW, PORT_REPORT_ZH, report_docx

PASSWORD = "correct horse battery staple 7"


def redline(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([str(REDLINE), *args], input=stdin, capture_output=True, text=True,
                          timeout=120)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    for name, role in (("olga", "officer"), ("ada", "auditor")):
        made = redline("user", "add", name, "--role", role, "--password-stdin",
                       "--data-dir", str(data), stdin=PASSWORD + "\n")
        assert made.returncode == 0, made.stderr
    return data


def add(data: Path, *files: Path, who: str = "olga", label: str = "Final reports"):
    return redline("fingerprints", "add", *map(str, files), "--label", label, "--as", who,
                   "--password-stdin", "--data-dir", str(data), stdin=PASSWORD + "\n")


def listed(data: Path) -> list[dict]:
    result = redline("fingerprints", "list", "--json", "--data-dir", str(data))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_folder_of_reports_is_registered_listed_and_removed_by_a_proven_officer(
        data, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "flood-review.docx").write_bytes(report_docx(FLOOD_REVIEW, "SECRET"))
    (folder / "flood-plan.docx").write_bytes(report_docx(FLOOD_PLAN))
    (folder / "port.txt").write_text("\n\n".join(PORT_REPORT_ZH), encoding="utf-8")
    result = add(data, folder)
    assert result.returncode == 0, result.stderr
    assert "registered 3 document(s)" in result.stdout
    records = listed(data)
    assert sorted(r["source"] for r in records) == [
        "Final reports (flood-plan.docx)", "Final reports (flood-review.docx)",
        "Final reports (port.txt)"]
    assert all(r["registered_by"] == "olga" and r["fingerprints"] >= 3 for r in records)
    first = records[0]["id"]
    removed = redline("fingerprints", "remove", str(first), "--comment", "superseded",
                      "--as", "olga", "--password-stdin", "--data-dir", str(data),
                      stdin=PASSWORD + "\n")
    assert removed.returncode == 0, removed.stderr
    assert [r["id"] for r in listed(data)] == [r["id"] for r in records[1:]]
    audit = redline("audit", "list", "--json", "--data-dir", str(data))
    actions = [(e["actor"], e["action"]) for e in json.loads(audit.stdout)]
    assert actions.count(("olga", "fingerprints-add")) == 3
    assert ("olga", "fingerprints-remove") in actions


def test_who_registers_must_be_proven_and_may_decide(data, tmp_path):
    report = tmp_path / "review.docx"
    report.write_bytes(report_docx(FLOOD_REVIEW))
    anonymous = redline("fingerprints", "add", str(report), "--label", "x",
                        "--data-dir", str(data))
    assert anonymous.returncode == 1 and "say who acts" in anonymous.stderr
    wrong = redline("fingerprints", "add", str(report), "--label", "x", "--as", "olga",
                    "--password-stdin", "--data-dir", str(data), stdin="guess\n")
    assert wrong.returncode == 1 and "wrong name or password" in wrong.stderr
    auditor = add(data, report, who="ada")
    assert auditor.returncode == 1 and "may not do this" in auditor.stderr
    assert listed(data) == []


def test_bad_files_are_named_and_nothing_is_half_registered(data, tmp_path):
    good = tmp_path / "review.docx"
    good.write_bytes(report_docx(FLOOD_REVIEW))
    empty = tmp_path / "empty.docx"
    empty.write_bytes(b"")
    locked = tmp_path / "locked.docx"
    locked.write_bytes(encrypted_docx())
    twice = tmp_path / "review-copy.docx"
    twice.write_bytes(good.read_bytes())
    result = add(data, good, empty, locked, twice)
    assert result.returncode == 2
    message = result.stderr
    assert "empty.docx: the file is empty" in message
    assert "locked.docx: part of it cannot be read (extract.encrypted" in message
    assert "register a readable (decrypted, undamaged) copy" in message
    assert "review-copy.docx: the same content as" in message
    assert "nothing was registered" in message
    assert listed(data) == []
    assert add(data, good).returncode == 0
    again = add(data, good)
    assert again.returncode == 2 and "registered already as #" in again.stderr
    assert len(listed(data)) == 1


def test_a_file_larger_than_the_limit_is_refused_without_reading_it(data, tmp_path):
    big = tmp_path / "huge.pdf"
    with big.open("wb") as f:
        f.truncate(500 * 2**20)  # 500 MiB, sparse
    config = tmp_path / "redline.toml"
    config.write_text(f'data_dir = "{data}"\n', encoding="utf-8")
    result = redline("fingerprints", "add", str(big), "--label", "x", "--as", "olga",
                     "--password-stdin", "--config", str(config), stdin=PASSWORD + "\n")
    assert result.returncode == 2
    assert "huge.pdf: 500 MiB is larger than fingerprints.max_file_bytes (100 MiB)" in result.stderr
    missing = add(data, tmp_path / "nowhere.docx")
    assert missing.returncode == 2 and "no such file or folder" in missing.stderr


def test_rules_test_explains_fingerprint_matches_and_near_misses(data, tmp_path):
    from tests.fixtures.reports import body, rewrap

    report = tmp_path / "flood-review.docx"
    report.write_bytes(report_docx(FLOOD_REVIEW, "SECRET"))
    assert add(data, report).returncode == 0
    pasted = tmp_path / "notes.txt"
    pasted.write_text("Tom,\n\n" + rewrap(body(FLOOD_REVIEW[2:4])), encoding="utf-8")
    quoted = tmp_path / "quote.txt"
    words = FLOOD_REVIEW[2].split()
    quoted.write_text("As the review said: " + " ".join(words[:29]) + ". We agree.\n",
                      encoding="utf-8")
    result = redline("rules", "test", str(tmp_path / "notes.txt"), "--data-dir", str(data))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "(1 registered documents compared by fingerprint)" in result.stdout
    assert "HIT   fingerprint.registered (fingerprint/high)" in result.stdout
    assert "matches " in result.stdout and "of Final reports (flood-review.docx)" in result.stdout
    assert ": a match" in result.stdout
    near = redline("rules", "test", str(quoted), "--data-dir", str(data))
    assert near.returncode == 0, near.stdout + near.stderr
    assert "FP    at quote.txt" in near.stdout
    assert "no passage counts: one needs 3 fingerprints close together over 30 words" \
        in near.stdout
    nowhere = redline("rules", "test", str(quoted), "--data-dir", str(tmp_path / "none"))
    assert "no quarantine store at" in nowhere.stdout
