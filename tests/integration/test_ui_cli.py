"""``redline user`` and ``redline ui`` as a user runs them: real processes, a real socket."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from fixtures.quarantine import free_port

REDLINE = [sys.executable, "-m", "gateway.cli"]
ROOT = Path(__file__).resolve().parents[2]


def redline(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([*REDLINE, *args], input=stdin, capture_output=True, text=True,
                          timeout=30, cwd=ROOT)


def test_user_add_token_and_ui_serves_the_api(tmp_path):
    data = str(tmp_path / "data")
    added = redline("user", "add", "Olga", "--role", "officer", "--password-stdin",
                    "--data-dir", data, stdin="correct horse battery\n")
    assert added.returncode == 0, added.stderr
    assert "user olga added as officer" in added.stdout
    again = redline("user", "add", "olga", "--role", "officer", "--password-stdin",
                    "--data-dir", data, stdin="correct horse battery\n")
    assert again.returncode == 1 and "already exists" in again.stderr
    weak = redline("user", "add", "ivan", "--role", "officer", "--password-stdin",
                   "--data-dir", data, stdin="short\n")
    assert weak.returncode == 1 and "too short" in weak.stderr
    token = redline("user", "token", "olga", "--data-dir", data).stdout.strip()
    assert token.startswith("rl_")

    port = free_port()
    server = subprocess.Popen([*REDLINE, "ui", "--data-dir", data, "--listen", f"127.0.0.1:{port}"],
                              cwd=ROOT, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        deadline = time.monotonic() + 8
        body = None
        while body is None and time.monotonic() < deadline:
            request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/items?status=all",
                                             headers={"Authorization": f"Bearer {token}"})
            try:
                with urllib.request.urlopen(request, timeout=2) as response:
                    body = json.load(response)
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        assert body == {**body, "items": [], "total": 0}
        request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/items",
                                         headers={"Authorization": "Bearer rl_wrong"})
        try:
            urllib.request.urlopen(request, timeout=2)
            raise AssertionError("an unknown token was accepted")
        except urllib.error.HTTPError as exc:
            assert exc.code == 401
    finally:
        server.send_signal(signal.SIGTERM)
        _, stderr = server.communicate(timeout=10)
    assert server.returncode == 0, stderr
    assert "secure_cookies is true" in stderr  # plain HTTP with Secure cookies is called out
