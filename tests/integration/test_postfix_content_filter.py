"""Redline behind a real Postfix, wired with the shipped deploy/postfix snippets.

swaks → Postfix (content_filter) → Redline → Postfix re-injection listener → upstream MTA.
What the snippets promise is checked on the real queue: passing mail is delivered once,
held mail is done for Postfix (not retried), rejected mail bounces to its sender, and
while Redline is down mail waits in Postfix's queue and goes out when it is back.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
import tomllib
from pathlib import Path

import pytest
from conftest import require_peer
from integration.postfix_harness import PrivatePostfix, snippet_settings
from integration.serve_harness import codeword
from integration.smtp_harness import RunningGateway, Upstream, free_port

from filters.build import FiltersConfig, build_pipeline
from quarantine.notice import HoldNotices
from quarantine.store import ItemQuery

NOTICES = HoldNotices(from_address="dlp@example.org")


def need_postfix() -> None:
    require_peer(None if shutil.which("postfix") or os.path.exists("/usr/sbin/postfix") else
                 "Postfix is not installed (Debian: apt-get install postfix; scripts/setup.sh "
                 "--test does it)")
    require_peer(None if os.geteuid() == 0 else "starting Postfix needs root")
    require_peer(None if shutil.which("swaks") else "swaks is not installed")


@pytest.fixture(scope="module")
def wired():
    """Postfix with the snippets, Redline between its two halves, an upstream after both."""
    need_postfix()
    # Postfix's own user must reach its data directory: pytest's temporary tree is 0700.
    workdir = Path(tempfile.mkdtemp(prefix="redline-postfix-"))
    upstream = Upstream().start()
    redline_port, reinject_port = free_port(), free_port()
    main, _ = snippet_settings("main.cf.snippet", {"]:2525": f"]:{redline_port}"})
    _, master = snippet_settings("master.cf.snippet", {"127.0.0.1:10026": f"127.0.0.1:{reinject_port}"})
    postfix = PrivatePostfix(workdir, f"[127.0.0.1]:{upstream.port}", settings=main,
                             master_entries=master)
    rule = tomllib.loads(codeword("FORBIDDEN-CODEWORD"))["rule"][0]
    pipeline = build_pipeline(FiltersConfig.from_mapping({
        "policy": {"category_actions": {"codeword": "reject"}}, "rules": {"custom": [rule]}}))
    # Postfix's content_filter names Redline's port, so Redline takes that one.
    gateway = RunningGateway(workdir / "redline", pipeline, upstream=f"127.0.0.1:{reinject_port}",
                             port=redline_port, hold_notices=NOTICES).start()
    state = {"postfix": postfix, "gateway": gateway, "upstream": upstream,
             "pipeline": pipeline, "workdir": workdir, "redline_port": redline_port,
             "reinject_port": reinject_port}
    yield state
    state["gateway"].stop()
    postfix.stop()
    upstream.stop()
    shutil.rmtree(workdir, ignore_errors=True)


def swaks(port: int, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["swaks", "--server", f"127.0.0.1:{port}", "--from", "alice@example.org",
         "--timeout", "15", *args], capture_output=True, text=True, timeout=60)


def wait_for(condition, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def messages_with(upstream: Upstream, marker: bytes) -> list:
    return [m for m in upstream.messages if marker in m.content]


def test_passing_mail_goes_through_redline_once_and_is_delivered(wired):
    postfix, upstream = wired["postfix"], wired["upstream"]
    result = swaks(postfix.port, "--to", "bob@partner.example", "--header",
                   "Subject: lunch-marker-1", "--body", "Lunch at noon?")
    assert result.returncode == 0, result.stdout + result.stderr
    assert wait_for(lambda: messages_with(upstream, b"lunch-marker-1")), postfix.log()[-3000:]
    (got,) = messages_with(upstream, b"lunch-marker-1")
    assert got.content.count(b"X-Redline-Verdict: pass") == 1  # inspected once, no loop
    assert got.recipients == ["bob@partner.example"]
    assert postfix.drain(30)


def test_held_mail_is_done_for_postfix_and_kept_in_quarantine(wired):
    postfix, upstream, gateway = wired["postfix"], wired["upstream"], wired["gateway"]
    # From another loopback address, so the laptop and Postfix can be told apart.
    result = swaks(postfix.port, "--to", "bob@partner.example", "--header",
                   "Subject: plan-marker-2", "--body", "SECRET//NOFORN\n\nthe plan",
                   "--local-interface", "127.0.0.2", "--ehlo", "laptop.example")
    assert result.returncode == 0, result.stdout + result.stderr
    assert wait_for(lambda: gateway.store.list(ItemQuery(search="plan-marker-2"))[1] == 1)
    assert postfix.drain(30), "Postfix must not retry a held message"
    assert not [m for m in messages_with(upstream, b"plan-marker-2") if m.sender not in ("", "<>")]
    # Postfix passed the original client on with XFORWARD (smtp_send_xforward_command).
    (item,), _ = gateway.store.list(ItemQuery(search="plan-marker-2"))
    assert item.client == "127.0.0.2" and item.meta["helo"] == "laptop.example"
    assert item.meta["relayed_by"] == "127.0.0.1"
    # The sender, whose client only ever spoke to Postfix, is told through Postfix.
    assert wait_for(lambda: [m for m in upstream.messages if m.sender in ("", "<>")
                             and f"X-Redline-Notice: held {item.id}".encode() in m.content])
    (notice,) = [m for m in upstream.messages if f"held {item.id}".encode() in m.content]
    assert notice.recipients == ["alice@example.org"] and b"NOFORN" not in notice.content


def test_rejected_mail_bounces_to_its_sender(wired, tmp_path):
    postfix, upstream = wired["postfix"], wired["upstream"]
    result = swaks(postfix.port, "--to", "bob@partner.example", "--header",
                   "Subject: reject-marker-3", "--body", "contains FORBIDDEN-CODEWORD")
    assert result.returncode == 0, result.stdout + result.stderr  # Postfix took it first
    # Redline's 550 makes Postfix bounce: the notice goes to the sender, without the
    # message reaching bob.
    assert wait_for(lambda: any(m.sender in ("", "<>") and b"reject-marker-3" in m.content
                                for m in upstream.messages)), postfix.log()[-3000:]
    assert not [m for m in messages_with(upstream, b"reject-marker-3") if m.sender not in ("", "<>")]
    assert "bounced" in postfix.delivery_statuses()


def test_mail_waits_in_postfix_while_redline_is_down(wired):
    postfix, upstream = wired["postfix"], wired["upstream"]
    wired["gateway"].stop()
    # Postfix offers CHUNKING: Redline handed the passing mail back with BDAT on a reused
    # connection, which Postfix logs when Redline closes it.
    try:
        assert wait_for(lambda: re.search(r"disconnect from \S+ ehlo=1 mail=\d+ rcpt=\d+ bdat=\d+ ",
                                          postfix.log()), 10), postfix.log()[-2000:]
        result = swaks(postfix.port, "--to", "bob@partner.example", "--header",
                       "Subject: outage-marker-4", "--body", "sent during an outage")
        assert result.returncode == 0, result.stdout + result.stderr
        assert wait_for(lambda: "deferred" in postfix.delivery_statuses(), 30)
        assert postfix.queued() >= 1 and not messages_with(upstream, b"outage-marker-4")
    finally:
        wired["gateway"] = RunningGateway(
            wired["workdir"] / "redline-again", wired["pipeline"],
            upstream=f"127.0.0.1:{wired['reinject_port']}", port=wired["redline_port"],
            hold_notices=NOTICES).start()
    subprocess.run(["postqueue", "-c", str(postfix.dir), "-f"], capture_output=True, timeout=30)
    assert wait_for(lambda: messages_with(upstream, b"outage-marker-4"), 60), postfix.log()[-3000:]
    assert postfix.drain(30)
