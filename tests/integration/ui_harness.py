"""Officer UI test harness: the real app on a real socket, seeded items, a signed-in client."""

from __future__ import annotations

import asyncio
import re
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import aiohttp
from fixtures.quarantine import free_port

from filters.types import Hit, Verdict
from quarantine.service import QuarantineService
from quarantine.store import HoldRequest
from quarantine.ui.app import create_app
from quarantine.ui.cli import run_ui
from quarantine.ui.config import UiConfig
from quarantine.users import UserStore

PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class Ui:
    """A running officer UI: its base URL, store, service and user store."""

    url: str
    store: object
    service: QuarantineService
    users: UserStore


@contextmanager
def running_ui(store, *, config: UiConfig | None = None, clock=None) -> Iterator[Ui]:
    """Serve the officer UI over ``store`` on 127.0.0.1 in a background thread."""
    config = config or UiConfig(secure_cookies=False)
    service = QuarantineService(store, clock=clock) if clock else QuarantineService(store)
    users = UserStore(store)
    port = free_port()
    ready, failed = threading.Event(), []
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()

    async def main() -> None:
        app = create_app(store, service, config, users=users)
        task = asyncio.create_task(run_ui(app, "127.0.0.1", port, stop))
        while not task.done():
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.close()
                break
            except OSError:
                await asyncio.sleep(0.02)
        ready.set()
        await task

    def thread_main() -> None:
        try:
            loop.run_until_complete(main())
        except BaseException as exc:  # surfaced to the test below
            failed.append(exc)
            ready.set()

    thread = threading.Thread(target=thread_main, daemon=True)
    thread.start()
    assert ready.wait(10), "the officer UI did not start within 10 s"
    assert not failed, f"the officer UI failed to start: {failed}"
    try:
        yield Ui(f"http://127.0.0.1:{port}", store, service, users)
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(10)
        loop.close()
        users.close()


def add_user(ui: Ui, name: str, role: str) -> None:
    """Create an account with the harness password."""
    ui.users.add(name, role, PASSWORD)


def hold(store, *, sender: str, subject: str, hits: list[Hit], recipients=("bob@example.com",),
         received: datetime | None = None, kind: str = "mail", body: str = "",
         meta: dict[str, str] | None = None) -> str:
    """Hold a real RFC 5322 message with the given hits; its id."""
    text = body or "Please see the attached plans.\r\n"
    content = (f"From: {sender}\r\nTo: {', '.join(recipients)}\r\nSubject: {subject}\r\n"
               f"Message-ID: <{secrets.token_hex(8)}@example.org>\r\n"
               "Content-Type: text/plain; charset=utf-8\r\n\r\n" + text).encode()
    item = store.hold(HoldRequest(kind=kind, sender=sender, recipients=tuple(recipients),
                                  subject=subject, verdict=Verdict("quarantine", tuple(hits)),
                                  content=content, received=received or datetime.now(UTC),
                                  client="10.1.2.3", meta=meta or {}))
    return item.id


def hit(excerpt: str, word: str, *, severity="high", category="classification",
        where="mail/body[1]", rule="classification.en.banner", description="") -> Hit:
    """A hit whose span covers ``word`` inside ``excerpt``."""
    start = excerpt.index(word)
    return Hit(rule=rule, category=category, severity=severity, where=where, excerpt=excerpt,
               span=(start, start + len(word)), description=description)


def seed(store) -> dict[str, str]:
    """A realistic small queue; ids by a short name."""
    now = datetime.now(UTC)
    return {
        "plans": hold(store, sender="alice@example.org", subject="Q3 procurement plans",
                      recipients=("partner@contractor.example",),
                      received=now - timedelta(hours=5, minutes=12),
                      body="SECRET//NOFORN procurement plans attached.\r\n",
                      hits=[hit("SECRET//NOFORN procurement plans attached.", "SECRET//NOFORN",
                                description="English classification banner with caveat"),
                            hit("classified SECRET annex B", "SECRET",
                                where="mail/attachment[1]:plans.zip/annex-b.docx/word/footer1.xml",
                                description="English classification banner")]),
        "draft": hold(store, sender="carlos@example.org", subject="Presupuesto 2027 (borrador)",
                      recipients=("auditor@external.example", "maria@external.example"),
                      received=now - timedelta(hours=2),
                      hits=[hit("Documento BORRADOR – no distribuir", "BORRADOR", severity="medium",
                                category="draft", rule="draft.es.label",
                                where="mail/attachment[1]:presupuesto.docx/word/document.xml",
                                description="Spanish draft label")]),
        "zh": hold(store, sender="wang@example.org", subject="会议纪要",
                   recipients=("li@partner.example",), received=now - timedelta(minutes=40),
                   hits=[hit("本文件 机密★5年 请勿外传", "机密★5年", severity="critical",
                             rule="classification.zh.period",
                             where="mail/attachment[1]:纪要.pdf",
                             description="Chinese classification with protection period")]),
        "bomb": hold(store, sender="dev@example.org", subject="build artefacts",
                     recipients=("ci@vendor.example",), received=now - timedelta(minutes=3),
                     hits=[hit("expansion ratio 1:4000 exceeds limit 1:100", "1:4000",
                               severity="high", category="policy", rule="policy.expansion",
                               where="mail/attachment[1]:artefacts.zip",
                               description="Archive expands beyond the ratio limit")]),
    }


async def sign_in(session: aiohttp.ClientSession, url: str, name: str,
                  password: str = PASSWORD) -> aiohttp.ClientResponse:
    """Sign in through the real form (login CSRF cookie and token); the final response."""
    async with session.get(f"{url}/login") as page:
        token = CSRF.search(await page.text()).group(1)
    async with session.post(f"{url}/login", data={"name": name, "password": password,
                                                  "csrf": token}) as response:
        await response.read()
        return response


async def csrf_of(session: aiohttp.ClientSession, url: str, path: str = "/queue") -> str:
    """The CSRF token on a signed-in page."""
    async with session.get(url + path) as page:
        return CSRF.search(await page.text()).group(1)


def client() -> aiohttp.ClientSession:
    """A client that keeps cookies for 127.0.0.1 and gives up after 10 s."""
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True),
                                 timeout=aiohttp.ClientTimeout(total=10))
