"""Headless Chromium signs up on a real HTTPS page through Redline: built in, and Squid ssl-bump + ICAP.

The browser trusts the interception CA the way a managed Linux desktop does: in its NSS
database (``certutil`` from libnss3-tools), in a fresh HOME. It submits a real HTML
sign-up form and a JavaScript ``fetch()`` JSON sign-up; a work address gets Redline's
page, a personal one reaches the origin.
"""
# ruff: noqa: F811 (the fixtures imported from other test modules are test parameters here)

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from aiohttp import web
from test_http_proxy import LoopThread, Origin, Redline, pipeline  # noqa: F401
from test_https_interception import interceptor, pki  # noqa: F401
from test_squid_ssl_bump import bump, icap  # noqa: F401
from test_ui_browser import CHROMIUM, FLAGS, _browser_missing

from tests.conftest import require_peer

CERTUTIL = shutil.which("certutil")

SIGNUP_FORM = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Create your account</title></head>
<body><h1>Create your free account</h1>
<form method="post" action="/users/sign_up">
  <label>Full name <input name="user[name]" autocomplete="name"></label>
  <label>Work email <input type="email" name="user[email]" autocomplete="email"></label>
  <label>Password <input type="password" name="user[password]" autocomplete="new-password"></label>
  <label><input type="checkbox" name="user[terms]" value="1" checked> I accept the terms</label>
  <button type="submit" id="create">Create account</button>
</form></body></html>"""


class SignupSite(Origin):
    """An HTTPS origin with a sign-up page (GET) and the usual recording handler (POST)."""

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if request.method == "GET" and request.path == "/join":
            return web.Response(text=SIGNUP_FORM, content_type="text/html")
        return await super().handle(request)


@pytest.fixture
def site(pki):
    base, origin_ca, _, _ = pki
    loop = LoopThread()
    server = SignupSite(loop, ssl_context=origin_ca.server_context(base, ["localhost"]),
                        host="localhost").start()
    yield server
    server.stop()
    loop.close()


def nss_home(tmp_path: Path, ca: Path) -> Path:
    """A HOME whose NSS database trusts ``ca`` for websites (what Chromium on Linux reads)."""
    require_peer(None if CERTUTIL else
                 "certutil is not installed: apt-get install libnss3-tools (scripts/setup.sh --test)")
    home = tmp_path / "home"
    db = home / ".pki" / "nssdb"
    db.mkdir(parents=True)
    subprocess.run([CERTUTIL, "-N", "-d", f"sql:{db}", "--empty-password"], check=True,
                   capture_output=True, timeout=30)
    subprocess.run([CERTUTIL, "-A", "-d", f"sql:{db}", "-t", "C,,", "-n", "interception-ca",
                    "-i", str(ca)], check=True, capture_output=True, timeout=30)
    return home


@pytest.fixture(params=["built-in", "squid-ssl-bump"])
def shape(request, tmp_path, pipeline, pki, site):
    """(proxy URL, CA the browser must trust, the store holding decisions) for each shape."""
    if request.param == "built-in":
        running = Redline(tmp_path, pipeline, interceptor=interceptor(pki),
                          connect_ports=[site.port]).start()
        yield running.url, pki[2], running.store
        running.stop()
    else:
        squid = request.getfixturevalue("bump")
        yield squid.url, squid.ca, request.getfixturevalue("icap").store


@pytest.fixture
def page(shape, tmp_path):
    require_peer(_browser_missing())
    from playwright.sync_api import sync_playwright

    proxy, ca, _ = shape
    home = nss_home(tmp_path, ca)
    with sync_playwright() as p:
        # <-loopback>: Chromium sends even localhost through the proxy.
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True, env={"HOME": str(home)},
            args=[*FLAGS, f"--proxy-server={proxy}", "--proxy-bypass-list=<-loopback>"])
        try:
            context = browser.new_context(locale="en-GB")
            context.set_default_timeout(15000)
            yield context.new_page()
        finally:
            browser.close()


def posts(site) -> list:
    return [s for s in site.seen if s.method == "POST"]


def submit(page, site, name: str, email: str) -> int:
    page.goto(site.url("/join"))
    assert page.title() == "Create your account"  # the real page, over TLS the browser trusts
    page.fill("input[name='user[name]']", name)
    page.fill("input[name='user[email]']", email)
    page.fill("input[name='user[password]']", "correct horse battery")
    with page.expect_navigation() as navigation:
        page.click("#create")
    return navigation.value.status


def test_html_signup_with_a_work_address_gets_the_block_page(page, site):
    status = submit(page, site, "Alice Example", "alice@example.org")
    assert status == 403
    assert "Sign-up with a work address blocked" in page.content()
    assert posts(site) == []  # the form page (and favicon) only, never the POST


def test_html_signup_with_a_personal_address_passes(page, site):
    status = submit(page, site, "Alice Example", "alice.example@gmail.com")
    assert status == 200
    posted = posts(site)
    assert len(posted) == 1 and b"gmail.com" in posted[0].body


def test_fetch_json_signup_with_a_work_address_is_blocked(page, site):
    page.goto(site.url("/join"))
    status = page.evaluate("""async () => {
        const answer = await fetch('/api/v1/accounts', {method: 'POST',
            headers: {'Content-Type': 'application/json'},
            body: JSON.stringify({account: {email: 'carol@hr.example.org', password: 'pw12345!',
                                            plan: 'free'}})});
        return answer.status;
    }""")
    assert status == 403
    assert posts(site) == []
    personal = page.evaluate("""async () => (await fetch('/api/v1/accounts', {method: 'POST',
        headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({account: {email: 'carol@proton.me', password: 'pw12345!'}})})).status""")
    assert personal == 200
