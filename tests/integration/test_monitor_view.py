"""The officer UI's Monitor view over real monitored items.

In headless Chromium against ``redline serve`` in monitor mode with a real upstream: mails
sent over SMTP are delivered and appear on /monitor per category and rule with today's
bar, the items link to their pages, an officer's would-release / would-reject marks made
on those pages come back as marks and as the false-positive share, and nothing is fetched
from anywhere but the gateway. Over the store and the service (items received on several
days): the view, the API and ``redline quarantine monitor-report`` give the same counts,
because they read the same report.
"""

from __future__ import annotations

import asyncio
import json
import smtplib
import subprocess
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest
from integration.serve_harness import REDLINE, ServeProcess, codeword
from integration.smtp_harness import Upstream, free_port
from test_ui_browser import _shoot, browser  # noqa: F401  (the Chromium fixture)
from ui_harness import PASSWORD, add_user, client, hit, running_ui, sign_in

from filters.types import Verdict
from quarantine.sqlite_store import SqliteStore
from quarantine.store import HoldRequest

HOSTILE = '<img src=x onerror="document.title=1">'


def mail(subject: str, body: str) -> bytes:
    return (f"From: alice@example.org\r\nTo: bob@example.com\r\nSubject: {subject}\r\n"
            f"Message-ID: <{abs(hash(subject))}@example.org>\r\n\r\n{body}\r\n").encode()


def send(port: int, message: bytes) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        smtp.sendmail("alice@example.org", ["bob@example.com"], message)


@pytest.fixture
def gateway(tmp_path):
    upstream = Upstream().start()
    rules = tmp_path / "site-rules.toml"
    rules.write_text(codeword("BLUEFIN"), encoding="utf-8")
    config = tmp_path / "redline.toml"
    config.write_text(f'[rules]\nextra = ["{rules}"]\n[policy]\nmode = "monitor"\n'
                      '[ui]\nsecure_cookies = false\n', encoding="utf-8")
    smtp_port, ui_port = free_port(), free_port()
    process = ServeProcess(tmp_path / "data", [
        "--config", str(config), "--smtp", f"127.0.0.1:{smtp_port}",
        "--upstream", f"127.0.0.1:{upstream.port}", "--workers", "1", "--http", "off",
        "--icap", "off", "--ui", f"127.0.0.1:{ui_port}", "--metrics", "off"],
        ready_seconds=90)
    process.smtp_port, process.ui = smtp_port, f"http://127.0.0.1:{ui_port}"
    process.upstream = upstream
    try:
        yield process
    finally:
        process.stop()
        upstream.stop()


def row(page, table: str, key: str) -> dict[str, str]:
    """The cells of one row of the per-category or per-rule table, by class."""
    cells = page.locator(f"#per-{table} tr[data-key='{key}']")
    return {name: cells.locator(f"td.{name}").inner_text().strip()
            for name in ("items", "marked", "would-release", "would-reject", "share")}


def test_monitor_view_in_chromium_over_mail_monitored_by_redline_serve(gateway, browser,  # noqa: F811
                                                                     tmp_path):
    for n in range(3):
        send(gateway.smtp_port, mail(f"status {n}", "Project BLUEFIN is on track"))
    send(gateway.smtp_port, mail("plan", "TOP SECRET//NOFORN\r\n\r\nThe plan.\r\n\r\n"
                                         "TOP SECRET//NOFORN"))
    send(gateway.smtp_port, mail(HOSTILE, "DRAFT\r\n\r\nMinutes of the board"))
    send(gateway.smtp_port, mail("lunch", "Lunch at noon?"))
    # Monitor mode: every one of them was delivered, none held.
    assert len(gateway.upstream.messages) == 6
    gateway.redline("user", "add", "olivia", "--role", "officer", "--password-stdin",
                    stdin=PASSWORD + "\n")
    gateway.redline("user", "add", "audrey", "--role", "auditor", "--password-stdin",
                    stdin=PASSWORD + "\n")

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15000)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text))
    page.on("request", lambda request: None if request.url.startswith(gateway.ui)
            else problems.append(f"request to {request.url}"))
    page.goto(f"{gateway.ui}/monitor")
    page.fill("input[name=name]", "olivia")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{gateway.ui}/monitor")
    assert page.locator("nav a[aria-current=page]").inner_text() == "Monitor"
    assert page.locator("#monitored-total").inner_text() == "5"
    today = datetime.now(UTC).date().isoformat()
    bars = page.locator("#daily-chart rect")
    assert bars.count() == 30  # one per day of the default window
    assert bars.last.get_attribute("data-day") == today
    assert bars.last.get_attribute("data-count") == "5"
    assert float(bars.last.get_attribute("height")) == pytest.approx(120)
    assert float(bars.first.get_attribute("height")) == 0
    assert row(page, "category", "codeword")["items"] == "3"
    assert row(page, "category", "classification")["items"] == "1"
    assert row(page, "category", "draft")["items"] == "1"
    assert row(page, "rule", "org.codeword.bluefin")["share"] == "not marked yet"
    spark = page.locator("#per-category tr[data-key='codeword'] svg.spark rect")
    assert spark.last.get_attribute("data-count") == "3"
    # The hostile subject is text, not markup.
    assert page.get_by_text(HOSTILE).count() == 1 and page.title() != "1"

    # Two code-word items marked on their own pages, reached from the view's links.
    items = page.locator("#monitored-items tbody tr")
    assert items.count() == 5
    codeword_ids = [items.nth(i).get_attribute("data-id") for i in range(5)
                    if "codeword" in items.nth(i).locator("td").nth(3).inner_text()]
    assert len(codeword_ids) == 3
    for item_id, button in zip(codeword_ids[:2], ("Would release", "Would reject"),
                               strict=True):
        page.goto(f"{gateway.ui}/monitor")
        page.click(f"#monitored-items tr[data-id='{item_id}'] td.subject a")
        page.wait_for_url(f"{gateway.ui}/items/{item_id}")
        page.fill("textarea[name=comment]", "a project name" if "release" in button
                  else "the real plan")
        page.get_by_role("button", name=button).click()
        page.wait_for_url(f"{gateway.ui}/items/{item_id}")
        assert f"{item_id} marked {button.lower()}" in page.locator(".flash").inner_text()

    page.goto(f"{gateway.ui}/monitor?days=7")
    assert page.locator("#daily-chart rect").count() == 7
    assert row(page, "category", "codeword") == {
        "items": "3", "marked": "2", "would-release": "1", "would-reject": "1",
        "share": "50% of 2 marked"}
    assert row(page, "rule", "org.codeword.bluefin")["share"] == "50% of 2 marked"
    assert row(page, "category", "classification")["share"] == "not marked yet"
    marks = page.locator(f"#monitored-items tr[data-id='{codeword_ids[0]}'] td.marks")
    assert marks.inner_text().strip() == "olivia: would release"
    _shoot(page, "monitor-desktop", tmp_path)  # REDLINE_SCREENSHOTS=docs keeps it
    # A bad window is said, and the default shown.
    page.goto(f"{gateway.ui}/monitor?days=365")
    assert "days: expected one of 7, 30, 90" in page.locator(".flash-error").inner_text()
    assert page.locator("#daily-chart rect").count() == 30
    assert problems == []

    # An auditor reads the view; a mark needs an officer.
    auditor = browser.new_context().new_page()
    auditor.goto(f"{gateway.ui}/login?next=/monitor")
    auditor.fill("input[name=name]", "audrey")
    auditor.fill("input[name=password]", PASSWORD)
    auditor.click("button[type=submit]")
    auditor.wait_for_url(f"{gateway.ui}/monitor")
    assert auditor.locator("#monitored-total").inner_text() == "5"
    auditor.click(f"#monitored-items tr[data-id='{codeword_ids[2]}'] td.subject a")
    assert "can read but not mark" in auditor.content()
    assert auditor.get_by_role("button", name="Would release").count() == 0
    context.close()


def monitored(store, *, subject: str, category: str, rule: str, received: datetime) -> str:
    excerpt = f"{subject} text"
    item = store.hold(HoldRequest(
        kind="mail", sender="alice@example.org", recipients=("bob@example.com",),
        subject=subject, verdict=Verdict("monitor", (hit(excerpt, subject, category=category,
                                                         rule=rule, severity="medium"),)),
        content=f"Subject: {subject}\r\n\r\n{excerpt}\r\n".encode(), received=received,
        status="monitored", keep_content=False, meta={"enforced": "quarantine"}))
    return item.id


async def fetch_view(ui, token: str) -> tuple[str, dict, int, str]:
    """The /monitor page signed in, the API's report with a token, and a bad window."""
    async with client() as session:
        await sign_in(session, ui.url, "olga")
        async with session.get(f"{ui.url}/monitor?days=7") as response:
            assert response.status == 200
            html = await response.text()
        async with session.get(f"{ui.url}/api/v1/monitor?days=7") as response:
            assert response.status == 401  # the API takes tokens, not cookies
    async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {token}"}) as api:
        async with api.get(f"{ui.url}/api/v1/monitor?days=7") as response:
            assert response.status == 200, await response.text()
            report = await response.json()
        async with api.get(f"{ui.url}/api/v1/monitor?days=abc") as response:
            return html, report, response.status, (await response.json())["error"]


def test_view_api_and_cli_report_agree_over_several_days(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    store = SqliteStore(data / "quarantine.sqlite")
    now = datetime.now(UTC)
    days_ago = {"today-a": 0, "today-b": 0, "yesterday": 1, "three": 3, "six": 6, "old": 12}
    ids = {name: monitored(store, subject=name, category="draft" if n % 2 else "codeword",
                           rule="draft.en.banner" if n % 2 else "org.codeword.x",
                           received=now - timedelta(days=ago))
           for n, (name, ago) in enumerate(days_ago.items())}
    try:
        with running_ui(store) as ui:
            add_user(ui, "olga", "officer")
            add_user(ui, "oscar", "officer")
            ui.service.mark(ids["today-a"], "olga", "release", "")
            ui.service.mark(ids["today-a"], "oscar", "reject", "")  # any release counts
            ui.service.mark(ids["three"], "olga", "reject", "")
            ui.service.mark(ids["yesterday"], "olga", "reject", "")
            ui.service.mark(ids["yesterday"], "olga", "release", "changed my mind")
            html, report, bad_status, bad_error = asyncio.run(
                fetch_view(ui, ui.users.new_token("olga")))
    finally:
        store.close()
    assert bad_status == 400 and "days: expected one of 7, 30, 90" in bad_error
    # Seven days up to today: the item of 12 days ago is outside.
    assert report["items"] == 5 and len(report["daily"]["days"]) == 7
    assert report["daily"]["days"][-1] == now.date().isoformat()
    assert report["daily"]["items"] == [1, 0, 0, 1, 0, 1, 2]
    assert report["daily"]["categories"]["codeword"] == [1, 0, 0, 0, 0, 1, 1]
    assert report["daily"]["rules"]["draft.en.banner"] == [0, 0, 0, 1, 0, 0, 1]
    # Any officer who would release makes a false positive; each officer's latest mark
    # counts (olga changed hers on "yesterday" to release).
    assert report["categories"]["codeword"] == {
        "items": 3, "marked": 2, "would_release": 2, "would_reject": 0,
        "false_positive_share": 1.0}
    assert report["rules"]["draft.en.banner"] == {
        "items": 2, "marked": 1, "would_release": 0, "would_reject": 1,
        "false_positive_share": 0.0}
    assert [i["id"] for i in report["recent_items"]][:2] in (
        [ids["today-a"], ids["today-b"]], [ids["today-b"], ids["today-a"]])
    recent = {i["id"]: i["marks"] for i in report["recent_items"]}
    assert recent[ids["today-a"]] == {"olga": "would-release", "oscar": "would-reject"}
    # The page shows the same numbers.
    assert 'data-key="draft"' in html and html.count('class="fp-share">100%<') == 2
    assert html.count('class="fp-share">0%<') == 2
    assert html.count('<rect x=') == 7 + 7 * (2 + 2)  # the day chart, a sparkline per row
    # The CLI reads the same report.
    since = report["since"]
    cli = subprocess.run([str(REDLINE), "quarantine", "monitor-report", "--since", since,
                          "--json", "--data-dir", str(data)], capture_output=True, text=True,
                         timeout=60)
    assert cli.returncode == 0, cli.stderr
    printed = json.loads(cli.stdout)
    for key in ("items", "rules", "categories"):
        assert printed[key] == report[key]
    assert printed["daily"]["days"][0] == report["daily"]["days"][0]
