"""A headless Chromium signs in, filters, opens an item, releases it; the upstream gets it once.

Debian's chromium driven by Playwright (its own browser download cannot work here).
With REDLINE_SCREENSHOTS=DIR the test also writes the queue and item pages at desktop and
phone width into DIR (``docs/`` holds the committed ones):

    REDLINE_SCREENSHOTS=docs .venv/bin/python -m pytest tests/integration/test_ui_browser.py
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from conftest import require_peer
from fixtures.quarantine import SmtpDeliverer, upstream
from ui_harness import PASSWORD, add_user, running_ui, seed

from quarantine.outbox import OutboxWorker
from quarantine.sqlite_store import SqliteStore

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}


def _browser_missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return "Debian's chromium is not installed: apt-get install chromium (scripts/setup.sh --test)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright is not installed: pip install -e '.[test]'"
    return None


@pytest.fixture
def browser(tmp_path):
    require_peer(_browser_missing())
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        # Playwright gives each launch a fresh temporary profile of its own.
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def _shoot(page, name: str, tmp_path: Path) -> None:
    target = Path(os.environ.get("REDLINE_SCREENSHOTS") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target / f"ui-{name}.png"), full_page=True)


def test_officer_releases_in_browser_and_upstream_receives_once(browser, tmp_path):
    store = SqliteStore(tmp_path / "quarantine.sqlite")
    stop = threading.Event()
    try:
        with running_ui(store) as ui, upstream() as (handler, port):
            add_user(ui, "olga", "officer")
            ids = seed(store)
            worker = OutboxWorker(store, SmtpDeliverer("127.0.0.1", port), worker_id="test",
                                  retry_seconds=0.1)
            thread = threading.Thread(target=worker.run, args=(stop, 0.05), daemon=True)
            thread.start()

            context = browser.new_context(viewport=DESKTOP)
            context.set_default_timeout(5000)
            page = context.new_page()
            page.goto(f"{ui.url}/queue")
            assert page.url.startswith(f"{ui.url}/login")  # not signed in yet
            page.fill("input[name=name]", "olga")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{ui.url}/queue")
            assert page.locator("table.queue tbody tr").count() == 4
            _shoot(page, "queue-desktop", tmp_path)

            page.fill("input[name=sender]", "alice")
            page.click("form.filters button[type=submit]")
            page.wait_for_url("**sender=alice**")
            rows = page.locator("table.queue tbody tr")
            assert rows.count() == 1
            rows.first.locator("td.subject a").click()
            page.wait_for_url(f"{ui.url}/items/{ids['plans']}")
            marks = page.locator(".excerpt mark").all_inner_texts()
            assert marks == ["SECRET//NOFORN", "SECRET"]
            assert "annex-b.docx" in page.locator(".tree").inner_text()
            _shoot(page, "item-desktop", tmp_path)

            phone = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True,
                                        has_touch=True, storage_state=context.storage_state())
            phone_page = phone.new_page()
            phone_page.goto(f"{ui.url}/queue")
            _shoot(phone_page, "queue-phone", tmp_path)
            phone_page.goto(f"{ui.url}/items/{ids['plans']}")
            _shoot(phone_page, "item-phone", tmp_path)
            # Nothing wider than the phone's screen: no sideways scrolling.
            assert phone_page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
            phone.close()

            page.fill("textarea[name=comment]", "cleared by legal")
            # A classified item: the browser will not submit until what leaves is confirmed.
            confirm = page.locator("label.confirm")
            assert "partner@contractor.example" in confirm.inner_text()
            page.click("button.release")
            assert store.get(ids["plans"]).status == "pending"
            page.check("input[name=confirm]")
            page.click("button.release")
            page.wait_for_selector(".flash-ok")
            assert "queued for delivery" in page.locator(".flash-ok").inner_text()
            deadline = time.monotonic() + 8
            while store.get(ids["plans"]).status != "delivered" and time.monotonic() < deadline:
                time.sleep(0.05)
            page.reload()
            assert page.locator(".heading .status").inner_text() == "delivered"
            assert "cleared by legal" in page.locator(".history").inner_text()
            context.close()
            stop.set()
            thread.join(5)
            assert len(handler.messages) == 1
            received = handler.messages[0]
            assert received.recipients == ["partner@contractor.example"]
            assert received.data == store.content(ids["plans"])
    finally:
        stop.set()
        store.close()


def test_browser_sees_no_csp_violations(browser, tmp_path):
    store = SqliteStore(tmp_path / "quarantine.sqlite")
    try:
        with running_ui(store) as ui:
            add_user(ui, "olga", "officer")
            ids = seed(store)
            page = browser.new_page()
            errors: list[str] = []
            page.on("console", lambda message: errors.append(message.text)
                    if message.type == "error" else None)
            page.goto(f"{ui.url}/login")
            page.fill("input[name=name]", "olga")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{ui.url}/queue")
            page.goto(f"{ui.url}/items/{ids['zh']}")
            # The stylesheet applied (so CSP allowed it): the header is dark.
            colour = page.evaluate("getComputedStyle(document.querySelector('.top')).backgroundColor")
            assert colour == "rgb(23, 33, 46)"
            assert not errors, errors
    finally:
        store.close()


def _signed_in(browser, ui, name: str, password: str = PASSWORD):
    context = browser.new_context(viewport=DESKTOP)
    context.set_default_timeout(5000)
    page = context.new_page()
    page.goto(f"{ui.url}/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{ui.url}/queue")
    return page


def test_a_second_admin_confirms_an_account_change_in_the_browser(browser, tmp_path):
    from datetime import UTC, datetime, timedelta

    from quarantine.ui.app import format_time

    store = SqliteStore(tmp_path / "quarantine.sqlite")
    try:
        with running_ui(store) as ui:
            import time_machine

            # Two admins whose accounts count already (set up longer ago than the delay).
            with time_machine.travel(datetime.now(UTC) - timedelta(days=2), tick=False):
                ui.users.add("ada", "admin", PASSWORD, actor="setup")
                ui.users.add("bruno", "admin", PASSWORD, actor="setup")
            ada = _signed_in(browser, ui, "ada")
            for name, role in (("olga", "officer"), ("sock", "admin")):
                ada.goto(f"{ui.url}/users")
                ada.fill("form[action='/users'] input[name=name]", name)
                ada.select_option("form[action='/users'] select[name=role]", role)
                ada.fill("form[action='/users'] input[name=password]", PASSWORD)
                ada.click("form[action='/users'] button[type=submit]")
                ada.wait_for_selector(".flash-ok")
            ada.click("text=Account changes to confirm (1)")
            ada.wait_for_url(f"{ui.url}/users/changes")
            (row,) = ada.locator("table.changes tbody tr").all()
            olga = ui.users.get("olga")
            expected = ["olga (officer)", "created the account", "ada",
                        format_time(olga.changed_at), format_time(olga.changed_at + timedelta(
                            hours=24)), "you made this change: another admin confirms it"]
            assert [c.strip() for c in row.locator("td").all_inner_texts()] == expected
            # The admin who made the change cannot confirm it, even by posting the form
            # themselves with a valid CSRF token.
            def confirm_by_hand(page) -> str:
                """Post the confirm form with the page's own CSRF token; the answer page."""
                csrf = page.locator("input[name=csrf]").first.get_attribute("value")
                return page.request.post(f"{ui.url}/users/olga/confirm", form={
                    "csrf": csrf, "change": olga.change_id}).text()

            assert "a second, different admin must confirm it" in confirm_by_hand(ada)
            assert not ui.users.get("olga").confirmed_by
            # Nor with the second admin account she just made (she knows its password).
            sock = _signed_in(browser, ui, "sock")
            sock.goto(f"{ui.url}/users/changes")
            assert "was itself set up by ada" in sock.locator(".flash-info").inner_text()
            assert sock.locator("button.confirm-change").count() == 0
            assert "was itself set up by ada" in confirm_by_hand(sock)
            assert not ui.users.get("olga").confirmed_by

            bruno = _signed_in(browser, ui, "bruno")
            bruno.goto(f"{ui.url}/users/changes")
            _shoot(bruno, "account-changes-desktop", tmp_path)
            # Without the session's CSRF token the form is refused.
            assert bruno.request.post(f"{ui.url}/users/olga/confirm", form={
                "change": olga.change_id}).status == 403
            # Ada sets a new password (she knows it) while bruno looks at the creation:
            # his click must not vouch for a change he was not shown.
            ui.users.set_password("olga", "another long passphrase", actor="ada")
            bruno.click("button.confirm-change")
            bruno.wait_for_selector(".flash-error")
            assert "changed again since" in bruno.locator(".flash-error").inner_text()
            assert not ui.users.get("olga").confirmed_by
            assert "set its password" in bruno.locator("table.changes").inner_text()
            bruno.click("button.confirm-change")
            bruno.wait_for_selector(".flash-ok")
            assert "confirmed" in bruno.locator(".flash-ok").inner_text()
            assert "No account change awaits confirmation" in bruno.content()
            assert ui.users.get("olga").confirmed_by == "bruno"
            (entry,) = [e for e in store.audit_entries("user:olga")
                        if e.action == "user-confirm"]
            assert entry.actor == "bruno"

            officer = _signed_in(browser, ui, "olga", "another long passphrase")
            assert officer.goto(f"{ui.url}/users/changes").status == 403
            for page in (ada, sock, bruno, officer):
                page.context.close()
    finally:
        store.close()
