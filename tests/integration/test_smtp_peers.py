"""The SMTP gateway with outside peers: swaks as client, Postfix's smtp-sink as upstream, and
``redline serve`` started as a real process on its embedded defaults."""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import require_peer
from integration.smtp_harness import RunningGateway, Upstream, free_port, wait_for_port

from filters.build import build_pipeline
from quarantine.sqlite_store import SqliteStore

REDLINE = Path(sys.executable).with_name("redline")


def need_swaks() -> str:
    require_peer(None if shutil.which("swaks") else
                 "swaks is not installed (Debian: apt-get install swaks)")
    return shutil.which("swaks") or "swaks"


def need_smtp_sink() -> str:
    sink = shutil.which("smtp-sink") or "/usr/sbin/smtp-sink"
    require_peer(None if os.path.exists(sink) else
                 "smtp-sink is not installed (Debian: apt-get install postfix; see NOTES.md)")
    return sink


def swaks(port: int, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [need_swaks(), "--server", f"127.0.0.1:{port}", "--from", "alice@example.org",
         "--to", "bob@example.com", "--timeout", "8", *args],
        capture_output=True, text=True, timeout=20)


def marked_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("SECRET//NOFORN")
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture(scope="module")
def pipeline():
    return build_pipeline()


def test_swaks_through_redline_reaches_the_upstream(tmp_path, pipeline):
    upstream = Upstream().start()
    gateway = RunningGateway(tmp_path, pipeline, upstream=f"127.0.0.1:{upstream.port}").start()
    try:
        result = swaks(gateway.port, "--header", "Subject: swaks test", "--body", "plain words")
    finally:
        gateway.stop()
        upstream.stop()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "<-  250 2.0.0 upstream-accepted-1" in result.stdout  # the upstream's own reply
    (got,) = upstream.messages
    assert b"Subject: swaks test" in got.content and b"X-Redline-Verdict: pass" in got.content


def test_swaks_pipelining_through_redline(tmp_path, pipeline):
    upstream = Upstream().start()
    gateway = RunningGateway(tmp_path, pipeline, upstream=f"127.0.0.1:{upstream.port}").start()
    try:
        result = swaks(gateway.port, "--pipeline", "--to", "bob@example.com,refuse@example.com",
                       "--header", "Subject: pipelined", "--body", "plain words")
    finally:
        gateway.stop()
        upstream.stop()
    assert result.returncode in (0, 25), result.stdout + result.stderr  # 25: one RCPT refused
    assert "PIPELINING" in result.stdout
    assert "improper pipelining" not in result.stdout
    (got,) = upstream.messages
    assert got.recipients == ["bob@example.com"]
    assert b"Subject: pipelined" in got.content


def test_postfix_smtp_sink_as_upstream(tmp_path, pipeline):
    sink = need_smtp_sink()
    port = free_port()
    process = subprocess.Popen([sink, "-u", "nobody", f"127.0.0.1:{port}", "10"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_port(port)
        gateway = RunningGateway(tmp_path, pipeline, upstream=f"127.0.0.1:{port}").start()
        try:
            result = swaks(gateway.port, "--body", "to the sink")
        finally:
            gateway.stop()
    finally:
        process.terminate()
        process.wait(5)
    assert result.returncode == 0, result.stdout + result.stderr
    # smtp-sink's own replies ("Ok"; Redline's own say "OK" or name the outbox) reach swaks.
    lines = result.stdout.splitlines()
    assert "<-  250 2.1.5 Ok" in lines and "<-  250 2.0.0 Ok" in lines, result.stdout


def test_redline_serve_without_config_delivers_to_maildir_and_holds_marked_mail(tmp_path):
    port = free_port()
    data = tmp_path / "var" / "redline"
    # Every listener of the embedded default starts; free ports keep parallel runs apart.
    others = {flag: f"127.0.0.1:{free_port()}" for flag in ("http", "icap", "ui", "metrics")}
    process = subprocess.Popen(
        [str(REDLINE), "serve", "--smtp", f"127.0.0.1:{port}",
         *(arg for flag, address in others.items() for arg in (f"--{flag}", address))],
        cwd=tmp_path,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for_port(port, 60)  # start-up took over 15 s on a loaded 2-core machine
        plain = swaks(port, "--body", "see you at lunch")
        marked = swaks(port, "--body", "notes attached", "--attach",
                       str(marked_docx(tmp_path / "notes.docx")))
        assert plain.returncode == 0 and "queued in the local outbox" in plain.stdout, plain.stdout
        (delivered,) = (data / "outbox" / "new").iterdir()
        assert b"see you at lunch" in delivered.read_bytes()
        assert marked.returncode == 0, marked.stdout
        held = [line for line in marked.stdout.splitlines() if "held for review as Q-" in line]
        assert held, marked.stdout
        item_id = held[0].rsplit(" ", 1)[1]
        store = SqliteStore(data / "quarantine.sqlite")
        try:
            item = store.get(item_id)
            assert "classification" in item.categories and item.recipients == ("bob@example.com",)
        finally:
            store.close()
        # An officer releases it with the CLI; the running node delivers it, once.
        account = subprocess.run(
            [str(REDLINE), "user", "add", "olga", "--role", "officer", "--password-stdin"],
            cwd=tmp_path, capture_output=True, text=True, timeout=30,
            input="correct horse battery\n")
        assert account.returncode == 0, account.stderr
        release = subprocess.run(
            [str(REDLINE), "quarantine", "release", item_id, "--as", "olga", "--password-stdin",
             "--comment", "ok", "--confirm", item_id],
            cwd=tmp_path, capture_output=True, text=True, timeout=30,
            input="correct horse battery\n")
        assert release.returncode == 0, release.stdout + release.stderr
        deadline = time.monotonic() + 15
        while len(list((data / "outbox" / "new").iterdir())) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.5)  # one more outbox poll: a second delivery would show up now
        outbox = sorted((data / "outbox" / "new").iterdir(), key=lambda p: p.stat().st_mtime)
        assert len(outbox) == 2
        assert b"X-Redline-Verdict: released" in outbox[1].read_bytes()
        # The command-line decision is counted in the running gateway's metrics.
        import urllib.request

        with urllib.request.urlopen(f"http://{others['metrics']}/metrics", timeout=10) as page:
            exposition = page.read().decode()
        assert 'redline_quarantine_decisions_total{action="release"} 1.0' in exposition
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            _, stderr = process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            _, stderr = process.communicate()
    assert process.returncode == 0, stderr
    # The operator is told where passing mail goes and where each listener is.
    assert "NO UPSTREAM CONFIGURED" in stderr
    for title, flag in (("HTTP proxy", "http"), ("ICAP service", "icap"), ("officer UI", "ui"),
                        ("metrics endpoint", "metrics")):
        assert f"{title} on {others[flag]}" in stderr
    # Logs carry decisions, never content or subjects.
    assert "SECRET" not in stderr and "lunch" not in stderr


def test_redline_serve_rejects_a_bad_flag_value_naming_it(tmp_path):
    result = subprocess.run([str(REDLINE), "serve", "--smtp", "2525"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=20)
    assert result.returncode == 2
    assert "--smtp: expected HOST:PORT" in result.stderr
    result = subprocess.run([str(REDLINE), "serve", "--smtps", f"127.0.0.1:{free_port()}"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=20)
    assert result.returncode == 2
    assert "smtps.listen: SMTP over TLS needs smtp.tls_cert" in result.stderr


def test_redline_dkim_keygen_prints_the_dns_record(tmp_path):
    result = subprocess.run([str(REDLINE), "dkim", "keygen", "example.org", "s2024",
                             "--algorithm", "ed25519", "--data-dir", str(tmp_path)],
                            capture_output=True, text=True, timeout=20)
    assert result.returncode == 0, result.stderr
    assert 's2024._domainkey.example.org. IN TXT ( "v=DKIM1; k=ed25519; p=' in result.stdout
    assert (tmp_path / "dkim" / "example.org" / "s2024.ed25519").exists()


def test_redline_tls_selfsigned_gives_a_certificate_starttls_uses(tmp_path, pipeline):
    import smtplib
    import ssl

    result = subprocess.run([str(REDLINE), "tls", "selfsigned", "--hostname", "redline.test",
                             "--data-dir", str(tmp_path)], capture_output=True, text=True, timeout=20)
    assert result.returncode == 0, result.stderr
    cert, key = tmp_path / "tls" / "cert.pem", tmp_path / "tls" / "key.pem"
    gateway = RunningGateway(tmp_path, pipeline, tls_cert=str(cert), tls_key=str(key),
                             require_tls=True).start()
    try:
        with smtplib.SMTP("127.0.0.1", gateway.port, timeout=8) as smtp:
            smtp.ehlo("client.test")
            assert smtp.mail("alice@example.org")[0] == 530  # STARTTLS first
            context = ssl.create_default_context(cafile=str(cert))
            context.check_hostname = False
            smtp.starttls(context=context)
            smtp.ehlo("client.test")
            smtp.mail("alice@example.org")
            smtp.rcpt("bob@example.com")
            assert smtp.data(b"Subject: tls\r\n\r\nover tls\r\n")[0] == 250
        (path,) = gateway.outbox
        assert b"with ESMTPS" in path.read_bytes()
    finally:
        gateway.stop()



def test_redline_serve_submissions_port_takes_swaks_over_implicit_tls_with_auth(tmp_path):
    from integration.serve_harness import ServeProcess

    from gateway.commands.tls import write_selfsigned

    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    write_selfsigned(cert, key, "redline.test")
    config = tmp_path / "redline.toml"
    # Nobody is trusted: only AUTH lets a client relay.
    config.write_text(f'[smtp]\ntrusted_networks = []\nauth = "offer"\ntls_cert = "{cert}"\n'
                      f'tls_key = "{key}"\n', encoding="utf-8")
    smtp, smtps = free_port(), free_port()
    serve = ServeProcess(tmp_path / "data", [
        "--config", str(config), "--smtp", f"127.0.0.1:{smtp}", "--smtps", f"127.0.0.1:{smtps}",
        *(arg for flag in ("http", "icap", "ui", "metrics") for arg in (f"--{flag}", "off"))])
    try:
        assert f"SMTP over TLS (submissions) on 127.0.0.1:{smtps}" in serve.log
        serve.redline("user", "add", "alice@example.org", "--role", "sender", "--password-stdin",
                      stdin="correct horse battery\n")
        result = subprocess.run(
            [need_swaks(), "--server", f"127.0.0.1:{smtps}", "--tls-on-connect",
             "--auth", "PLAIN", "--auth-user", "alice@example.org",
             "--auth-password", "correct horse battery", "--from", "alice@example.org",
             "--to", "bob@example.com", "--header", "Subject: over 465", "--timeout", "10"],
            capture_output=True, text=True, timeout=30)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "STARTTLS" not in result.stdout  # TLS from the first byte: nothing to start
        (delivered,) = (tmp_path / "data" / "outbox" / "new").iterdir()
        assert b"with ESMTPSA" in delivered.read_bytes()
        # The plain port still asks for AUTH, which it offers only after STARTTLS.
        plain = swaks(smtp, "--header", "Subject: plain")
        assert plain.returncode != 0 and "530 5.7.0 authentication required" in plain.stdout
    finally:
        assert serve.stop() == 0, serve.log
