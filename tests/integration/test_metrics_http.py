"""The metrics listener on a real socket: /metrics shows values move, /healthz, /readyz 200 and 503."""

from __future__ import annotations

import asyncio
import json
import socket

import aiohttp
from fixtures.ports import free_port

from filters.build import build_pipeline
from gateway.ops import metrics
from gateway.ops.health import create_metrics_app, start_metrics_listener, tcp_check

SECRET_MAIL = (
    b"From: alice@example.org\r\nTo: bob@outside.test\r\nSubject: plans\r\n"
    b"MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nTOP SECRET//NOFORN\r\nDetails.\r\n"
)


def scraped(text: str, series: str) -> float:
    """The value of one exact series line in an exposition text (0 when absent)."""
    for line in text.splitlines():
        if line.startswith(series + " "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


async def _serve(checks, scenario):
    port = free_port()
    runner = await start_metrics_listener(create_metrics_app(checks, check_timeout=1.0),
                                          "127.0.0.1", port)
    try:
        timeout = aiohttp.ClientTimeout(total=5)
        async with aiohttp.ClientSession(f"http://127.0.0.1:{port}", timeout=timeout) as client:
            return await scenario(client)
    finally:
        await runner.cleanup()


def test_scrape_shows_a_scanned_mail_move_the_counters():
    verdict = build_pipeline().scan_bytes(SECRET_MAIL, origin="mail", declared_type="message/rfc822")
    held = 'redline_items_total{direction="outbound",kind="mail",verdict="quarantine"}'

    async def scenario(client):
        async with client.get("/metrics") as response:
            assert response.status == 200
            assert response.headers["Content-Type"].startswith("text/plain")
            before = await response.text()
        metrics.observe_scan("mail", "outbound", verdict)
        metrics.observe_relay(250, 0.05)
        async with client.get("/metrics") as response:
            after = await response.text()
        return before, after

    before, after = asyncio.run(_serve({}, scenario))
    assert scraped(after, held) == scraped(before, held) + 1
    relayed = 'redline_relay_attempts_total{result="2xx"}'
    assert scraped(after, relayed) == scraped(before, relayed) + 1
    assert "redline_build_info{" in after
    assert "alice@example.org" not in after and "plans" not in after
    # Series of bounded label sets exist from the start, at 0: "none yet" is not "no data".
    for series in ('redline_items_total{direction="outbound",kind="upload",verdict="error"}',
                   'redline_smtp_auth_total{result="throttled"}',
                   'redline_smtp_sessions_refused_total{reason="smuggling"}',
                   'redline_relay_attempts_total{result="timeout"}'):
        assert any(line.startswith(series + " ") for line in before.splitlines()), series


def test_healthz_is_alive_and_readyz_ready_when_every_check_passes():
    async def store_ok() -> bool:
        return True

    async def scenario(client):
        async with client.get("/healthz") as health, client.get("/readyz") as ready:
            return health.status, await ready.json(), ready.status

    status, body, ready = asyncio.run(_serve({"rules": lambda: True, "store": store_ok}, scenario))
    assert status == 200
    assert ready == 200 and body["status"] == "ready" and body["failing"] == {}


def test_readyz_503_names_the_failing_checks():
    closed = free_port()  # nothing listens here: the upstream is down

    def store_down() -> bool:
        raise ConnectionError("database at 127.0.0.1:5 refused the connection")

    async def hangs() -> bool:
        await asyncio.sleep(30)
        return True

    checks = {
        "rules": lambda: True,
        "store": store_down,
        "upstream": tcp_check("127.0.0.1", closed, timeout=1.0),
        "slow": hangs,
    }

    async def scenario(client):
        async with client.get("/readyz") as response:
            return response.status, json.loads(await response.text())

    status, body = asyncio.run(_serve(checks, scenario))
    assert status == 503
    assert body["status"] == "not ready"
    assert set(body["failing"]) == {"store", "upstream", "slow"}
    assert body["checks"]["rules"] == "ok"
    assert "refused" in body["failing"]["store"]
    assert "within 1 s" in body["failing"]["slow"]


def test_upstream_check_passes_against_a_listening_socket():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    host, port = listener.getsockname()
    try:
        async def scenario(client):
            async with client.get("/readyz") as response:
                return response.status
        assert asyncio.run(_serve({"upstream": tcp_check(host, port)}, scenario)) == 200
    finally:
        listener.close()
