"""The metrics listener: an aiohttp app serving /metrics, /healthz (alive) and /readyz (ready for traffic).

``redline serve`` builds it with ``create_metrics_app(checks)`` and runs it on
``metrics.listen`` (default 127.0.0.1:9325). ``checks`` maps a name ("rules", "store",
"upstream") to a callable answering True when that dependency is usable; a plain
function runs in a thread (it may block on a database), a coroutine function runs on
the loop. /readyz answers 503 with a JSON body naming every check that failed, so a
load balancer or Kubernetes stops sending traffic to a node that would only answer 451.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiohttp import web

from gateway.ops import metrics

log = logging.getLogger("redline.health")

Check = Callable[[], bool | Awaitable[bool]]

CHECKS_KEY = web.AppKey("redline_checks", dict)
TIMEOUT_KEY = web.AppKey("redline_check_timeout", float)
INFO_KEY = web.AppKey("redline_ready_info", dict)


def render_metrics() -> tuple[bytes, str]:
    """The exposition text of every metric (summed over worker processes) and its content type.

    Blocking: in multiprocess mode it reads every worker's files.
    """
    from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest

    if metrics.multiprocess_enabled():
        from prometheus_client import multiprocess

        # A fresh registry per scrape, holding only the collector over the shared files
        # (the client's documented multiprocess recipe; the default registry would
        # report this process alone, and twice).
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


async def _metrics(request: web.Request) -> web.Response:
    body, content_type = await asyncio.to_thread(render_metrics)
    response = web.Response(body=body)
    response.headers["Content-Type"] = content_type
    return response


async def _healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "alive"})


async def _run_check(check: Check, timeout: float) -> str | None:
    """None when the check passes, else a short reason (never a stack trace)."""
    try:
        if inspect.iscoroutinefunction(check):
            result = await asyncio.wait_for(check(), timeout)
        else:
            result = await asyncio.wait_for(asyncio.to_thread(check), timeout)
            if inspect.isawaitable(result):
                result = await asyncio.wait_for(result, timeout)
    except TimeoutError:
        return f"no answer within {timeout:g} s"
    except Exception as exc:  # a failing dependency is an answer, not a crash of /readyz
        return f"{type(exc).__name__}: {exc}"[:200]
    return None if result else "not ready"


async def _readyz(request: web.Request) -> web.Response:
    checks: dict[str, Check] = request.app[CHECKS_KEY]
    timeout = request.app[TIMEOUT_KEY]
    names = list(checks)
    reasons = await asyncio.gather(*(_run_check(checks[n], timeout) for n in names))
    failing = {name: reason for name, reason in zip(names, reasons, strict=True) if reason}
    body = {
        "status": "not ready" if failing else "ready",
        "checks": {name: ("ok" if name not in failing else "failed") for name in names},
        "failing": failing,
        **request.app[INFO_KEY],
    }
    if failing:
        log.warning("not ready: %s", ", ".join(sorted(failing)))
    return web.json_response(body, status=503 if failing else 200)


def create_metrics_app(checks: Mapping[str, Check] | None = None, *,
                       check_timeout: float = 2.0,
                       info: Mapping[str, Any] | None = None) -> web.Application:
    """The metrics listener's app: /metrics, /healthz and /readyz with the given readiness
    checks; ``info`` is added to the /readyz body as it is (what the node can inspect)."""
    metrics.build_info()
    app = web.Application()
    app[CHECKS_KEY] = dict(checks or {})
    app[INFO_KEY] = dict(info or {})
    app[TIMEOUT_KEY] = float(check_timeout)
    app.router.add_get("/metrics", _metrics)
    app.router.add_get("/healthz", _healthz)
    app.router.add_get("/readyz", _readyz)
    return app


async def start_metrics_listener(app: web.Application, host: str, port: int) -> web.AppRunner:
    """Serve ``app`` on HOST:PORT; ``await runner.cleanup()`` stops it."""
    runner = web.AppRunner(app, access_log=None)  # scrapes every 15 s would flood the log
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner


# -- ready-made checks the listeners can pass -------------------------------------------


def tcp_check(host: str, port: int, timeout: float = 2.0) -> Check:
    """A check that passes when a TCP connection to HOST:PORT opens (the upstream relay)."""

    async def check() -> bool:
        _, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
        writer.close()
        with contextlib.suppress(OSError):  # the peer may close first; we only wanted the connect
            await writer.wait_closed()
        return True

    return check


def path_check(path: str | Path) -> Check:
    """A check that passes when ``path`` is a writable directory (data dir, spool, Maildir outbox)."""

    def check() -> bool:
        probe = Path(path)
        if not probe.is_dir():
            raise OSError(f"{probe} is not a directory")
        test = probe / ".redline-ready"
        test.write_bytes(b"")
        test.unlink()
        return True

    return check


def store_check(store) -> Check:
    """A check that passes when the quarantine store answers a one-row query (blocking: runs in a thread)."""
    from quarantine.store import ItemQuery

    def check() -> bool:
        store.list(ItemQuery(status="pending", limit=1))
        return True

    return check


def quarantine_backlog(store, now: datetime | None = None) -> tuple[int, float]:
    """(pending count, age in seconds of the oldest pending item) for ``metrics.quarantine_state``.

    Blocking (one store query): the background task runs it with asyncio.to_thread every
    metrics.quarantine_poll_seconds.
    """
    from quarantine.store import ItemQuery

    now = now or datetime.now(UTC)
    oldest, pending = store.list(ItemQuery(status="pending", sort="received", limit=1))
    if not oldest:
        return pending, 0.0
    return pending, max(0.0, (now - oldest[0].received).total_seconds())
