"""What a new administrator runs into, through the real ``redline`` command and ``redline serve``.

Each test is a mistake someone makes in their first hour (a second start, a typo in a
path, a pipe instead of a terminal) and the one-line answer they should get instead of
a traceback, a wiped counter or an empty store that looks like a healthy one.
"""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import smtplib
import subprocess
import time
import urllib.request
from email.message import EmailMessage
from pathlib import Path

import pytest
from integration.serve_harness import REDLINE, ServeProcess
from integration.smtp_harness import free_port


def redline(*args: str, stdin: str | None = "", cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(REDLINE), *args], input=stdin, capture_output=True, text=True,
                          timeout=60, cwd=cwd)


def one_line_error(result: subprocess.CompletedProcess) -> str:
    """The error a command printed, asserting it is one line and no traceback."""
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


# -- a second gateway, and reloads, leave the running gateway's counters alone ----------

def _metric(port: int, name: str) -> float:
    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10).read().decode()
    found = re.search(rf"^{re.escape(name)} ([0-9.e+]+)$", text, re.M)
    assert found, f"{name} not in /metrics"
    return float(found.group(1))


def _send(port: int) -> None:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@example.org", "b@partner.test", "lunch"
    message.set_content("see you at noon")
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        client.send_message(message)


def test_a_second_serve_on_the_same_data_dir_is_refused_and_the_counters_survive_it_and_sighup(
        tmp_path):
    smtp, metrics = free_port(), free_port()
    args = ["--smtp", f"127.0.0.1:{smtp}", "--metrics", f"127.0.0.1:{metrics}", "--http", "off",
            "--icap", "off", "--ui", "off", "--workers", "1"]
    data = tmp_path / "data"
    first = ServeProcess(data, args, ready_seconds=None)
    try:
        first.wait_for("redline: ready", 90)
        _send(smtp)
        sessions = 'redline_smtp_sessions_total'
        assert _metric(metrics, sessions) == 1.0
        files = sorted(p.name for p in (data / "metrics").glob("*.db"))

        # Same command again (a unit started twice, a typo in a test run): it must fail
        # without touching the first gateway's metric files.
        second = redline("serve", "--data-dir", str(data), *args)
        assert second.returncode == 2
        assert "another redline serve" in second.stderr and str(first.process.pid) in second.stderr
        assert "Traceback" not in second.stderr
        assert set(files) <= {p.name for p in (data / "metrics").glob("*.db")}
        assert _metric(metrics, sessions) == 1.0

        # A reload replaces every worker; what they counted stays counted.
        mark = len(first.lines)
        first.signal(signal.SIGHUP)
        first.wait_for(r"generation \d+ serving", 60, after=mark)
        assert _metric(metrics, sessions) == 1.0
        _send(smtp)
        assert _metric(metrics, sessions) == 2.0
    finally:
        assert first.stop() == 0
    # The lock goes with the gateway: the next start on the data dir works.
    again = ServeProcess(data, args, ready_seconds=None)
    try:
        again.wait_for("redline: ready", 90)
    finally:
        assert again.stop() == 0


# -- the data directory: created only by set-up commands, one-line errors --------------

@pytest.mark.parametrize("command", [
    ["quarantine", "list"], ["quarantine", "list", "--json"], ["audit", "verify"],
    ["audit", "list"], ["user", "list"], ["quarantine", "purge"],
    ["quarantine", "show", "Q-0000-0000"], ["user", "password", "olga"],
    ["keys", "status"], ["keys", "rotate"], ["keys", "reencrypt"], ["keys", "retire", "ck-1"],
    ["tls", "ca", "init"], ["tls", "selfsigned", "--hostname", "gw.test"],
    ["dkim", "keygen", "example.org", "s2026"],
])
def test_a_mistyped_data_dir_is_an_error_and_creates_nothing(tmp_path, command):
    typo = tmp_path / "var" / "redlien"
    result = redline(*command, "--data-dir", str(typo))
    assert result.returncode == 2
    line = one_line_error(result)
    assert str(typo) in line and "no data directory" in line
    assert not typo.exists() and not (tmp_path / "var").exists()
    assert "intact" not in result.stdout


def test_an_empty_directory_is_no_store_for_a_read_command(tmp_path):
    result = redline("audit", "verify", "--data-dir", str(tmp_path))
    assert result.returncode == 2
    assert "no quarantine store" in one_line_error(result)
    assert not (tmp_path / "quarantine.sqlite").exists()


def test_an_existing_store_still_reads_and_user_add_sets_one_up(tmp_path):
    data = tmp_path / "fresh"
    added = redline("user", "add", "olga", "--role", "officer", "--password-stdin",
                    "--data-dir", str(data), stdin="correct horse battery staple\n")
    assert added.returncode == 0, added.stderr
    assert redline("audit", "verify", "--data-dir", str(data)).returncode == 0
    listed = redline("user", "list", "--data-dir", str(data))
    assert listed.returncode == 0 and "olga" in listed.stdout


@pytest.mark.parametrize("command", [
    ["quarantine", "list"], ["audit", "verify"], ["user", "list"],
    ["user", "add", "olga", "--role", "officer", "--password-stdin"],
    ["keys", "status"], ["tls", "ca", "init"], ["dkim", "keygen", "example.org", "s2026"],
])
def test_a_data_dir_that_is_a_file_or_under_proc_is_a_one_line_error(tmp_path, command):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a directory")
    for data_dir, words in ((a_file, "is a file"), (Path("/proc/redline-data"), "data directory")):
        result = redline(*command, "--data-dir", str(data_dir), stdin="pw-long-enough-1\n")
        assert result.returncode == 2, result.stderr
        line = one_line_error(result)
        assert str(data_dir) in line and words in line
    assert a_file.read_text() == "not a directory"


def test_serve_with_a_data_dir_that_is_a_file_blames_the_data_dir(tmp_path):
    a_file = tmp_path / "data"
    a_file.write_text("x")
    for data_dir in (a_file, Path("/proc/redline-data")):
        result = redline("serve", "--data-dir", str(data_dir), "--smtp", "off", "--http", "off",
                         "--icap", "off", "--ui", "off", "--metrics", "off")
        assert result.returncode == 2
        line = one_line_error(result)
        assert str(data_dir) in line and "data directory" in line
        assert "multiprocess_dir" not in line


# -- passwords: a pipe without --password-stdin, Ctrl-C at the prompt -------------------

@pytest.mark.parametrize("command", [
    ["user", "add", "olga", "--role", "officer"], ["user", "password", "olga"],
])
def test_a_piped_password_without_password_stdin_says_to_use_it(tmp_path, command):
    data = tmp_path / "data"
    assert redline("user", "add", "olga", "--role", "officer", "--password-stdin",
                   "--data-dir", str(data), stdin="first-password-1\n").returncode == 0
    result = redline(*command, "--data-dir", str(data), stdin="second-password-2\n")
    assert result.returncode == 1
    assert "--password-stdin" in one_line_error(result)


def _at_a_terminal(args: list[str], answer: bytes | None) -> tuple[int, str]:
    """Run ``redline ARGS`` on a pseudo-terminal; at the first prompt type ``answer`` or,
    when None, press Ctrl-C. The exit status and everything written to the terminal."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: stdin, stdout and stderr are the terminal
        os.execv(str(REDLINE), [str(REDLINE), *args])
    output = b""
    deadline = time.monotonic() + 60
    prompted = False
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
        if not prompted and b"Password" in output:
            prompted = True
            os.write(fd, answer if answer is not None else b"\x03")
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), output.decode(errors="replace")


def test_ctrl_c_at_the_password_prompt_is_a_one_line_refusal(tmp_path):
    data = tmp_path / "data"
    code, output = _at_a_terminal(["user", "add", "olga", "--role", "officer",
                                   "--data-dir", str(data)], None)
    assert "Traceback" not in output and "KeyboardInterrupt" not in output
    assert code == 1, output
    assert "no password given" in output


# -- arguments refused with the subcommand's own usage --------------------------------

def test_bad_arguments_are_refused_by_the_subcommand_that_owns_them(tmp_path):
    status = redline("quarantine", "list", "--status", "bogus", "--data-dir", str(tmp_path))
    assert status.returncode == 2
    assert "usage: redline quarantine list" in status.stderr
    assert "invalid choice: 'bogus'" in status.stderr and "pending" in status.stderr

    jobs = redline("scan", "--jobs", "0", str(tmp_path))
    assert jobs.returncode == 2
    assert "usage: redline scan" in jobs.stderr and "--jobs" in jobs.stderr

    unknown = redline("quarantine", "list", "--bogus-flag")
    assert unknown.returncode == 2
    assert "usage: redline quarantine list" in unknown.stderr
    assert "unrecognized arguments: --bogus-flag" in unknown.stderr

    limit = redline("quarantine", "list", "--limit", "0")
    assert limit.returncode == 2 and "usage: redline quarantine list" in limit.stderr


# -- redline config check, redline rules test FOLDER -----------------------------------

def test_config_check_names_the_bad_key_and_passes_a_good_file(tmp_path):
    good = tmp_path / "good.toml"
    good.write_text('data_dir = "/var/lib/redline"\n[smtp]\nlisten = "127.0.0.1:2525"\n'
                    '[org]\ndomains = ["example.org"]\n', encoding="utf-8")
    result = redline("config", "check", "--config", str(good))
    assert result.returncode == 0, result.stderr
    assert "OK" in result.stdout and "/var/lib/redline" in result.stdout
    assert not Path("/var/lib/redline").exists() or Path("/var/lib/redline").is_dir()

    for text, key in (('[smtp]\nlisten = "2525"\n', "smtp.listen"),
                      ('[smtp]\nlistne = "127.0.0.1:2525"\n', "smtp.listne"),
                      ('[quarantine]\nbackend = "postgres"\n', "quarantine.postgres_dsn"),
                      ('[smtps]\nlisten = "127.0.0.1:4465"\n', "smtps.listen"),
                      ('[smpt]\nlisten = "127.0.0.1:2525"\n', "smpt")):
        bad = tmp_path / "bad.toml"
        bad.write_text(text, encoding="utf-8")
        result = redline("config", "check", "--config", str(bad))
        assert result.returncode == 2, text
        assert f"config key {key}" in one_line_error(result)

    broken_rules = tmp_path / "broken.yar"
    broken_rules.write_text("rule broken { strings: $a = \"x\" condition: $b }\n", encoding="utf-8")
    bad = tmp_path / "bad-rules.toml"
    bad.write_text(f'[rules]\nextra = ["{broken_rules}"]\n', encoding="utf-8")
    result = redline("config", "check", "--config", str(bad))
    assert result.returncode == 2
    assert "broken.yar" in result.stderr and "does not compile" in one_line_error(result)

    missing = redline("config", "check", "--config", str(tmp_path / "nothere.toml"))
    assert missing.returncode == 2 and "no such file" in one_line_error(missing)


def test_rules_test_explains_every_file_of_a_folder(tmp_path):
    folder = tmp_path / "samples"
    (folder / "inner").mkdir(parents=True)
    (folder / "memo.txt").write_text("SECRET//NOFORN\n\nThe plan for Tuesday.\n", encoding="utf-8")
    (folder / "inner" / "lunch.txt").write_text("Lunch at noon on Tuesday?\n", encoding="utf-8")
    result = redline("rules", "test", str(folder))
    assert result.returncode == 1, result.stderr  # one file hit
    assert f"{folder / 'memo.txt'}: QUARANTINE" in result.stdout
    assert f"{folder / 'inner' / 'lunch.txt'}: PASS" in result.stdout
    assert "HIT   classification" in result.stdout

    (folder / "memo.txt").unlink()
    assert redline("rules", "test", str(folder)).returncode == 0

    empty = tmp_path / "empty"
    empty.mkdir()
    result = redline("rules", "test", str(empty))
    assert result.returncode == 2 and "holds no files" in one_line_error(result)
    result = redline("rules", "test", str(tmp_path / "nothere"))
    assert result.returncode == 2 and "no such file or folder" in one_line_error(result)
