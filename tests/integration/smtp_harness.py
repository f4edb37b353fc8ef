"""Real peers for the SMTP gateway tests: Redline in a thread, an aiosmtpd upstream, free ports."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from aiosmtpd.controller import Controller
from fixtures.ports import free_port

from filters.pipeline import Pipeline
from gateway.smtp.config import DkimConfig, OrgConfig, SmtpConfig, UpstreamConfig
from gateway.smtp.listener import SmtpGateway
from quarantine.sqlite_store import SqliteStore


def wait_for_port(port: int, seconds: float = 10.0) -> None:
    """Block until something accepts on 127.0.0.1:port (bounded)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as s:
            s.settimeout(0.5)
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {seconds} s")


@dataclass
class Received:
    """One message the upstream took."""

    sender: str
    recipients: list[str]
    content: bytes
    smtp_utf8: bool


@dataclass
class UpstreamHandler:
    """An upstream MTA: accepts everything except recipients starting with ``refuse``."""

    messages: list[Received] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("refuse"):
            return "550 5.1.1 <" + address + ">: no such user here (upstream)"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 recipient ok (upstream)"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos),
                                      envelope.original_content, envelope.smtp_utf8))
        return f"250 2.0.0 upstream-accepted-{len(self.messages)}"


class Upstream:
    """An aiosmtpd server on 127.0.0.1:port recording what it receives."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.handler = UpstreamHandler()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port,
                                     enable_SMTPUTF8=True, ready_timeout=5)

    @property
    def messages(self) -> list[Received]:
        return self.handler.messages

    def start(self) -> Upstream:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()


def running_upstream() -> Iterator[Upstream]:
    """A started Upstream for a fixture to yield; stopped afterwards unless a test did."""
    server = Upstream().start()
    try:
        yield server
    finally:
        if server.controller._thread is not None:  # a test may have stopped it already
            server.stop()


class RunningGateway:
    """Redline's SMTP gateway on its own event loop in a thread, on a free port."""

    def __init__(self, data_dir: Path, pipeline: Pipeline, *, upstream: str = "",
                 org_domains: tuple[str, ...] = (), dkim_dir: Path | None = None,
                 port: int | None = None, hold_notices: object = None, **smtp: object) -> None:
        self.port = port or free_port()
        self.data_dir = data_dir
        self.store = SqliteStore(data_dir / "quarantine.sqlite")
        smtp.setdefault("scan_workers", 1)
        smtp.setdefault("hostname", "redline.test")
        self.gateway = SmtpGateway(
            smtp=SmtpConfig(listen=f"127.0.0.1:{self.port}", **smtp),  # type: ignore[arg-type]
            upstream=UpstreamConfig(address=upstream, starttls="off", timeout=5),
            dkim=DkimConfig(key_dir=str(dkim_dir or data_dir / "dkim")),
            org=OrgConfig(domains=list(org_domains)),
            data_dir=data_dir, pipeline=pipeline, store=self.store,
            hold_notices=hold_notices,  # type: ignore[arg-type]
        )
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def start(self) -> RunningGateway:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self.gateway.start(), self.loop).result(10)
        return self

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self.gateway.stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.gateway.close()
        self.store.close()

    @property
    def outbox(self) -> list[Path]:
        return sorted((self.data_dir / "outbox" / "new").iterdir())


def strip_trace(content: bytes) -> bytes:
    """The message as the client sent it: drop the header lines Redline put on top."""
    lines = content.split(b"\r\n")
    added = (b"DKIM-Signature:", b"Received:", b"X-Redline-Verdict:", b"\t", b" ")
    i = 0
    while i < len(lines) and lines[i].startswith(added):
        i += 1
    return b"\r\n".join(lines[i:])


class CountingHandler(UpstreamHandler):
    """The test upstream, counting connections and RSET commands."""

    def __init__(self) -> None:
        super().__init__()
        self.connections = 0
        self.resets = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RSET(self, server, session, envelope):
        self.resets += 1
        return "250 OK"


def counting_upstream():
    """A started aiosmtpd upstream with a CountingHandler; yields (controller, handler)."""
    handler = CountingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), ready_timeout=5)
    controller.start()
    try:
        yield controller, handler
    finally:
        controller.stop()

