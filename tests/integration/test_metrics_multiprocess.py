"""Several worker processes: each records into the shared directory and /metrics shows the sum."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

from fixtures.ports import free_port
from prometheus_client import multiprocess

ROOT = Path(__file__).resolve().parents[2]

RECORDER = textwrap.dedent("""
    import sys
    from filters.build import build_pipeline
    from gateway.ops import metrics

    mail = (b"From: a@example.org\\r\\nTo: b@outside.test\\r\\nSubject: x\\r\\n"
            b"MIME-Version: 1.0\\r\\nContent-Type: text/plain\\r\\n\\r\\nSECRET//NOFORN\\r\\n")
    verdict = build_pipeline().scan_bytes(mail, origin="mail", declared_type="message/rfc822")
    assert verdict.action == "quarantine", verdict
    for _ in range(int(sys.argv[1])):
        metrics.observe_scan("mail", "outbound", verdict)
    metrics.smtp_session_opened()
    metrics.rules_loaded(int(sys.argv[2]), ok=True)
    print("recorded", flush=True)
""")

SERVER = textwrap.dedent("""
    import asyncio, sys
    from gateway.ops.health import create_metrics_app, start_metrics_listener

    async def main():
        await start_metrics_listener(create_metrics_app({}), "127.0.0.1", int(sys.argv[1]))
        print("listening", flush=True)
        await asyncio.Event().wait()

    asyncio.run(main())
""")


def scrape(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        return response.read().decode()


def series(text: str, name: str) -> float | None:
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.rsplit(" ", 1)[1])
    return None


def test_two_worker_processes_are_summed_and_a_dead_worker_leaves_the_live_gauges(tmp_path):
    shared = tmp_path / "metrics"
    shared.mkdir()
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(shared), "PYTHONPATH": str(ROOT)}
    workers = [subprocess.Popen([sys.executable, "-c", RECORDER, str(n), str(rules)], env=env,
                                stdout=subprocess.PIPE, text=True)
               for n, rules in ((3, 40), (4, 41))]
    for worker in workers:
        out, _ = worker.communicate(timeout=30)
        assert worker.returncode == 0 and "recorded" in out
    port = free_port()
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(port)], env=env,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None and server.stdout.readline().strip() == "listening"
        text = scrape(port)
        held = 'redline_items_total{direction="outbound",kind="mail",verdict="quarantine"}'
        assert series(text, held) == 7.0  # 3 + 4 from two processes
        assert series(text, 'redline_scan_duration_seconds_count{kind="mail"}') == 7.0
        assert series(text, "redline_smtp_sessions_open") == 2.0  # livesum over both
        assert series(text, "redline_rules_loaded") == 41.0  # livemax (unset processes show 0)
        # The supervisor reports a worker gone: its live gauges leave, its counts stay.
        multiprocess.mark_process_dead(workers[1].pid, str(shared))
        deadline = time.monotonic() + 5
        text = scrape(port)
        while series(text, "redline_smtp_sessions_open") != 1.0 and time.monotonic() < deadline:
            time.sleep(0.05)
            text = scrape(port)
        assert series(text, "redline_smtp_sessions_open") == 1.0
        assert series(text, "redline_rules_loaded") == 40.0
        assert series(text, held) == 7.0
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_prepare_multiprocess_dir_wipes_stale_files_and_sets_the_environment(tmp_path):
    code = textwrap.dedent("""
        import os, sys
        from gateway.ops.config import prepare_multiprocess_dir
        path = prepare_multiprocess_dir("", sys.argv[1])
        from gateway.ops import metrics
        metrics.smtp_session_opened()
        print(path, os.environ["PROMETHEUS_MULTIPROC_DIR"], sorted(p.name for p in path.iterdir()))
    """)
    stale = tmp_path / "metrics" / "counter_999999.db"
    stale.parent.mkdir()
    stale.write_bytes(b"old run")
    env = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
    env["PYTHONPATH"] = str(ROOT)
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], env=env, timeout=30,
                         capture_output=True, text=True, check=True).stdout
    path, environment, files = out.split(" ", 2)
    assert path == environment == str(tmp_path / "metrics")
    assert "counter_999999.db" not in files and "counter_" in files
