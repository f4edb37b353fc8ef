"""What a worker process serves: each kind of listener, where it listens and how it is built.

The supervisor (``gateway/supervisor.py``) binds one socket per configured listener and
forks workers; each worker builds the listeners below from a ``WorkerContext`` and serves
them on those sockets. Adding a listener: write a class with ``async start(sock)``,
``async drain(seconds)`` and ``close()`` (a ``Service``), and add a ``ListenerKind`` to
``LISTENERS``.
"""

from __future__ import annotations

import dataclasses
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from gateway.address import parse_host_port


class Service(Protocol):
    """One listener inside a worker process, serving a socket the supervisor bound."""

    async def start(self, sock: socket.socket) -> Any:
        """Start accepting on ``sock``."""

    async def drain(self, seconds: float) -> None:
        """Stop accepting; let open sessions finish for up to ``seconds``; close the rest."""

    def close(self) -> None:
        """Release what the listener holds (processes, connections) after the loop ends."""


@dataclass
class WorkerContext:
    """What a worker process builds its listeners from (after the fork).

    The store and the upload inspector are built on first use, so a worker opens only
    what its listeners need, and the proxy works with SMTP off.
    """

    config: Any  # gateway.config.Config
    pipeline: Any  # filters.pipeline.Pipeline, compiled once in the supervisor
    data_dir: Path
    workers: int
    rule_count: int = 0
    embedded_defaults: bool = False  # no --config: the demo defaults (loopback lab)
    store: Any = None  # the quarantine store, opened in the worker
    inspector: Any = None  # gateway.web.uploads.UploadInspector, shared by the proxy and ICAP
    smtp: Any = None  # gateway.smtp.listener.SmtpGateway, shared by the SMTP and submissions ports

    def open_store(self) -> Any:
        """The worker's quarantine store (opened once, shared by its listeners)."""
        if self.store is None:
            from quarantine.config import open_store

            self.store = open_store(self.config.section("quarantine"), self.data_dir)
        return self.store

    def upload_inspector(self) -> Any:
        """The worker's upload inspector (built once, shared by the proxy and ICAP)."""
        if self.inspector is None:
            from gateway.web.uploads import build_inspector

            self.inspector = build_inspector(self.config, self.pipeline, self.open_store(),
                                             self.data_dir)
        return self.inspector

    def smtp_gateway(self) -> Any:
        """The worker's SMTP gateway (built once, for the SMTP and the submissions port)."""
        if self.smtp is None:
            from gateway.smtp.listener import SmtpGateway, hold_notices_for, inbound_signup_detector

            config = self.config
            smtp = config.section("smtp")
            if not smtp.scan_workers:
                # The cores are shared by all workers: each gets its share of scanners.
                cores = os.cpu_count() or 1
                smtp = dataclasses.replace(smtp, scan_workers=max(1, cores // self.workers))
            self.smtp = SmtpGateway(
                smtp=smtp, upstream=config.section("upstream"), dkim=config.section("dkim"),
                org=config.section("org"), data_dir=self.data_dir, pipeline=self.pipeline,
                store=self.open_store(), inbound_signup=inbound_signup_detector(config),
                hold_notices=hold_notices_for(config.section("quarantine"),
                                              config.section("org").domains))
        return self.smtp

    def close(self) -> None:
        """Release the shared parts after every listener has closed."""
        if self.inspector is not None:
            self.inspector.close()
        if self.store is not None:
            self.store.close()


@dataclass(frozen=True)
class ListenerKind:
    """A kind of listener: where it listens (from the config) and how a worker builds it."""

    name: str
    title: str
    address: Callable[[Any], str]  # config -> "HOST:PORT" or "off"
    build: Callable[[WorkerContext], Service]


def _build_smtp(context: WorkerContext) -> Service:
    return context.smtp_gateway()


class SubmissionsListener:
    """The submissions port (SMTP over implicit TLS) of the worker's SMTP gateway."""

    def __init__(self, gateway: Any) -> None:
        self.gateway = gateway

    async def start(self, sock: socket.socket) -> Any:
        """Start accepting TLS connections on ``sock``."""
        return await self.gateway.start(sock, implicit_tls=True)

    async def drain(self, seconds: float) -> None:
        """Drain the gateway (both of its ports; a second call finds nothing left)."""
        await self.gateway.drain(seconds)

    def close(self) -> None:
        """Close the gateway (idempotent: the SMTP listener may close it too)."""
        self.gateway.close()


def _build_smtps(context: WorkerContext) -> Service:
    return SubmissionsListener(context.smtp_gateway())


class AppListener:
    """An aiohttp application (officer UI, metrics) served on the shared socket."""

    def __init__(self, app: Any, drain_seconds: float) -> None:
        self.app = app
        self.drain_seconds = drain_seconds
        self.runner: Any = None

    async def start(self, sock: socket.socket) -> None:
        """Serve the app on ``sock``."""
        from aiohttp import web

        # No access log: request lines name items and users, and scrapes would flood it.
        self.runner = web.AppRunner(self.app, access_log=None,
                                    shutdown_timeout=self.drain_seconds)
        await self.runner.setup()
        await web.SockSite(self.runner, sock, backlog=511).start()

    async def drain(self, seconds: float) -> None:
        """Stop accepting; requests in progress get up to serve.drain_seconds to finish."""
        if self.runner is not None:
            await self.runner.cleanup()

    def close(self) -> None:
        """Nothing left to release (cleanup() closed the app)."""


def ui_config_for(config: Any, embedded_defaults: bool) -> Any:
    """The [ui] section as served: Secure cookies, except for the embedded demo on loopback.

    Browsers drop Secure cookies set over plain http://, so the embedded default (no
    config file, UI on 127.0.0.1) could not sign anyone in. A config file's value is
    always kept: a TLS proxy in front of a loopback UI must keep Secure cookies.
    """
    ui = config.section("ui")
    if embedded_defaults and ui.secure_cookies and ui.listen != "off" and is_loopback(ui.listen):
        return dataclasses.replace(ui, secure_cookies=False)
    return ui


def is_loopback(address: str) -> bool:
    """True when HOST:PORT names a loopback host."""
    import ipaddress

    host = parse_host_port("listen", address)[0]
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _build_ui(context: WorkerContext) -> Service:
    from gateway.ops import metrics
    from quarantine.service import QuarantineService
    from quarantine.ui.app import create_app
    from quarantine.users import UserStore

    store = context.open_store()
    users = UserStore(store)
    service = QuarantineService(store, context.config.section("quarantine"), metrics=metrics,
                                accounts=users, org_domains=context.config.section("org").domains)
    ui = ui_config_for(context.config, context.embedded_defaults)
    return AppListener(create_app(store, service, ui, users=users), _drain_seconds(context))


def readiness_checks(context: WorkerContext) -> dict[str, Any]:
    """The /readyz checks of a worker: rules loaded, store reachable, upstream (or outbox)."""
    from gateway.ops import health

    checks: dict[str, Any] = {"rules": lambda: context.rule_count > 0,
                              "store": health.store_check(context.open_store())}
    upstream = context.config.section("upstream")
    if upstream.address:
        host, port = parse_host_port("upstream.address", upstream.address, default_port=25)
        checks["upstream"] = health.tcp_check(host, port, upstream.timeout)
    elif context.config.section("smtp").listen != "off":
        checks["outbox"] = health.path_check(context.data_dir / "outbox")
    return checks


def _build_metrics(context: WorkerContext) -> Service:
    from gateway.ops.health import create_metrics_app

    section = context.config.section("metrics")
    # OCR on or off is a fact about what this node inspects, not a failing dependency:
    # /readyz reports it beside the checks (off is a choice, or logged at start).
    info = {"ocr": context.pipeline.ocr_status.as_dict()}
    return AppListener(create_metrics_app(readiness_checks(context),
                                          check_timeout=section.readiness_timeout, info=info),
                       _drain_seconds(context))


def _drain_seconds(context: WorkerContext) -> float:
    return context.config.section("serve").drain_seconds


def _build_http(context: WorkerContext) -> Service:
    from gateway.ops import metrics
    from gateway.web.interception import build_interceptor
    from gateway.web.proxy import HttpProxy

    http = context.config.section("http")
    interceptor = build_interceptor(http, context.data_dir, on_sign=metrics.tls_leaf_signed)
    # The proxy is itself a Service: start(sock), drain(seconds), close().
    return HttpProxy(http, context.upload_inspector(), interceptor)


def _build_icap(context: WorkerContext) -> Service:
    from gateway.web.icap import IcapService, istag_for

    # The ISTag follows the rules and settings, so a reload's new workers announce a new
    # one and Squid drops what it cached under the old rules.
    return IcapService(context.config.section("icap"), context.upload_inspector(),
                       istag_for(context.config))


def _listen(name: str) -> Callable[[Any], str]:
    return lambda config: config.section(name).listen


LISTENERS: list[ListenerKind] = [
    ListenerKind("smtp", "SMTP listener", _listen("smtp"), _build_smtp),
    ListenerKind("smtps", "SMTP over TLS (submissions)", _listen("smtps"), _build_smtps),
    ListenerKind("http", "HTTP proxy", _listen("http"), _build_http),
    ListenerKind("icap", "ICAP service", _listen("icap"), _build_icap),
    ListenerKind("ui", "officer UI", _listen("ui"), _build_ui),
    ListenerKind("metrics", "metrics endpoint", _listen("metrics"), _build_metrics),
]
