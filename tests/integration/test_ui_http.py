"""The officer UI and JSON API over a real socket with a real HTTP client: who may do what."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from ui_harness import (
    CSRF,
    PASSWORD,
    add_user,
    client,
    csrf_of,
    hit,
    hold,
    running_ui,
    seed,
    sign_in,
)

from quarantine.sqlite_store import SqliteStore
from quarantine.ui.config import UiConfig

pytestmark = pytest.mark.clock  # dates matter: scripts/test.sh runs it a year ahead too


CSP_DIRECTIVES = {"default-src 'none'", "style-src 'self'", "img-src 'self'",
                  "form-action 'self'", "frame-ancestors 'none'"}


@pytest.fixture
def store(tmp_path):
    store = SqliteStore(tmp_path / "quarantine.sqlite")
    yield store
    store.close()


@pytest.fixture
def ui(store):
    with running_ui(store) as ui:
        add_user(ui, "olga", "officer")
        add_user(ui, "petra", "officer")
        add_user(ui, "audrey", "auditor")
        add_user(ui, "root", "admin")
        ui.ids = seed(store)
        yield ui


def run(coro):
    return asyncio.run(coro)


def test_bad_password_gives_401_and_no_session(ui):
    async def body():
        async with client() as s:
            response = await sign_in(s, ui.url, "olga", PASSWORD + "!")
            assert response.status == 401
            assert "Wrong user name or password" in await response.text()
            async with s.get(f"{ui.url}/queue", allow_redirects=False) as page:
                assert page.status == 303
                assert page.headers["Location"].startswith("/login?next=")
            response = await sign_in(s, ui.url, "nobody", PASSWORD)
            assert response.status == 401

    run(body())


def test_sender_account_cannot_sign_in_to_the_ui_or_get_a_token(ui):
    from quarantine.users import UserError

    add_user(ui, "mail@example.org", "sender")

    async def body():
        async with client() as s:
            response = await sign_in(s, ui.url, "mail@example.org")
            assert response.status == 403
            assert "may send mail through Redline but not sign in here" in await response.text()
            async with s.get(f"{ui.url}/queue", allow_redirects=False) as page:
                assert page.status == 303  # no session was started

    run(body())
    with pytest.raises(UserError, match="cannot use the JSON API"):
        ui.users.new_token("mail@example.org")


def test_post_without_or_with_wrong_csrf_token_is_refused(ui):
    item_id = ui.ids["plans"]

    async def body():
        async with client() as s:
            assert (await sign_in(s, ui.url, "olga")).status == 200
            target = f"{ui.url}/items/{item_id}/decide"
            for form in ({"action": "release"}, {"action": "release", "csrf": "forged"}):
                async with s.post(target, data=form, allow_redirects=False) as response:
                    assert response.status == 403
                    assert "CSRF" in await response.text()
            assert ui.store.get(item_id).status == "pending"
            token = await csrf_of(s, ui.url)
            # A classified item also needs the confirmation of what leaves (the tick box).
            async with s.post(target, data={"action": "release", "csrf": token,
                                            "comment": "cleared"}) as refused:
                assert "without confirming what leaves" in await refused.text()
            assert ui.store.get(item_id).status == "pending"
            async with s.post(target, data={"action": "release", "csrf": token,
                                            "comment": "cleared", "confirm": item_id},
                              allow_redirects=False) as ok:
                assert ok.status == 303
            assert ui.store.get(item_id).status == "released"

    run(body())


def test_login_form_needs_its_csrf_cookie(ui):
    async def body():
        async with client() as s:
            async with s.post(f"{ui.url}/login", data={"name": "olga", "password": PASSWORD,
                                                        "csrf": "guess"}) as response:
                assert response.status == 403
            assert not [c for c in s.cookie_jar if c.key == "redline_session"]

    run(body())


def test_auditor_cannot_release_403_in_ui_and_api(ui):
    item_id = ui.ids["plans"]
    token = ui.users.new_token("audrey")

    async def body():
        async with client() as s:
            await sign_in(s, ui.url, "audrey")
            csrf = await csrf_of(s, ui.url)
            async with s.post(f"{ui.url}/items/{item_id}/decide",
                              data={"action": "release", "csrf": csrf}) as response:
                assert response.status == 403
                assert "role auditor may not release or reject items" in await response.text()
            async with s.get(f"{ui.url}/items/{item_id}") as page:  # reading is allowed
                assert page.status == 200
                assert "can read but not decide" in await page.text()
            async with s.get(f"{ui.url}/users") as page:
                assert page.status == 403
        async with client() as s, s.post(f"{ui.url}/api/v1/items/{item_id}/release", json={},
                          headers={"Authorization": f"Bearer {token}"}) as response:
            assert response.status == 403
            assert "may not release" in (await response.json())["error"]
        assert ui.store.get(item_id).status == "pending"

    run(body())


def test_officer_cannot_read_audit_log_or_manage_users(ui):
    async def body():
        async with client() as s:
            await sign_in(s, ui.url, "olga")
            for path in ("/audit", "/users"):
                async with s.get(ui.url + path) as page:
                    assert page.status == 403, path

    run(body())


def test_login_throttled_per_user_then_per_address(store):
    config = UiConfig(secure_cookies=False, login_max_failures=3,
                      login_max_failures_per_address=5, login_window_minutes=5)
    with running_ui(store, config=config) as ui:
        add_user(ui, "olga", "officer")
        add_user(ui, "ivan", "officer")

        async def body():
            async with client() as s:
                for _ in range(3):
                    assert (await sign_in(s, ui.url, "olga", "wrong password")).status == 401
                # The right password no longer helps: the name is locked for the window.
                locked = await sign_in(s, ui.url, "olga", PASSWORD)
                assert locked.status == 429
                assert (await sign_in(s, ui.url, "ivan", PASSWORD)).status == 200
            async with client() as s:
                for name in ("x1", "x2"):  # failures 4 and 5 from this address
                    assert (await sign_in(s, ui.url, name, "wrong password")).status == 401
                assert (await sign_in(s, ui.url, "ivan", PASSWORD)).status == 429

        run(body())


def test_failures_from_elsewhere_slow_a_name_down_but_never_lock_its_owner_out(store):
    config = UiConfig(secure_cookies=False, login_max_failures=3,
                      login_max_failures_per_address=5, login_window_minutes=5)
    # Two UIs on one store stand for two workers (or nodes): they share the counts.
    with running_ui(store, config=config) as first, running_ui(store, config=config) as second:
        add_user(first, "olga", "officer")

        def from_address(address: str):
            import aiohttp

            return aiohttp.ClientSession(connector=aiohttp.TCPConnector(local_addr=(address, 0)),
                                         cookie_jar=aiohttp.CookieJar(unsafe=True),
                                         timeout=aiohttp.ClientTimeout(total=10))

        async def body():
            async with from_address("127.0.0.2") as attacker:
                for ui in (first, second, first):
                    assert (await sign_in(attacker, ui.url, "olga", "guess")).status == 401
                # Refused for this name from this address, on every worker.
                assert (await sign_in(attacker, second.url, "olga", PASSWORD)).status == 429
            async with from_address("127.0.0.3") as owner:
                started = asyncio.get_running_loop().time()
                response = await sign_in(owner, second.url, "olga", PASSWORD)
                assert response.status == 200  # the owner gets in ...
                assert asyncio.get_running_loop().time() - started >= 1.0  # ... slowed down

        run(body())


def test_security_headers_on_pages_errors_static_and_api(ui):
    async def body():
        async with client() as s:
            for path in ("/login", "/no/such/page", "/static/app.css", "/api/v1/items",
                         "/api/v1/openapi.json"):
                async with s.get(ui.url + path) as response:
                    csp = {d.strip() for d in response.headers["Content-Security-Policy"].split(";")}
                    assert csp >= CSP_DIRECTIVES, path
                    assert not any("unsafe" in d or "script-src" in d for d in csp), path
                    assert response.headers["X-Content-Type-Options"] == "nosniff"
                    assert response.headers["Referrer-Policy"] == "no-referrer"

    run(body())


def test_session_cookie_is_secure_httponly_samesite_strict(store):
    with running_ui(store, config=UiConfig(secure_cookies=True)) as ui:
        add_user(ui, "olga", "officer")

        async def body():
            async with client() as s:
                async with s.get(f"{ui.url}/login") as page:
                    login_cookie = page.cookies["__Host-redline_login"]
                    token = page.cookies["__Host-redline_login"].value
                    assert login_cookie["secure"] and login_cookie["httponly"]
                s.cookie_jar.update_cookies({"__Host-redline_login": token})
                async with s.post(f"{ui.url}/login", allow_redirects=False, data={
                        "name": "olga", "password": PASSWORD, "csrf": token}) as response:
                    assert response.status == 303
                    cookie = response.cookies["__Host-redline_session"]
                    assert cookie["secure"] and cookie["httponly"]
                    assert cookie["samesite"] == "Strict" and cookie["path"] == "/"

        run(body())


def test_excerpt_is_escaped_and_matched_words_highlighted(ui):
    item_id = hold(ui.store, sender="mallory@example.org", subject="<img src=x onerror=alert(1)>",
                   hits=[hit('<script>alert("x")</script> SECRET plans', "SECRET")])

    async def body():
        async with client() as s:
            await sign_in(s, ui.url, "olga")
            async with s.get(f"{ui.url}/items/{item_id}") as page:
                html = await page.text()
        assert "<mark>SECRET</mark>" in html
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
        assert "<script" not in html and "<img" not in html

    run(body())


def test_excerpt_in_invisible_tag_characters_is_shown_as_the_letters_they_spell(ui):
    # "Thanks!" then TOP SECRET in Unicode tag characters: a mail reader shows "Thanks!",
    # the rules read the marking, and the officer must see it too (not a blank highlight).
    tags = "".join(chr(0xE0000 + ord(c)) for c in "TOP SECRET")
    item_id = hold(ui.store, sender="mallory@example.org", subject="thanks",
                   hits=[hit("Thanks!" + tags + " ok", tags)])

    async def body():
        async with client() as s:
            await sign_in(s, ui.url, "olga")
            async with s.get(f"{ui.url}/items/{item_id}") as page:
                html = await page.text()
        assert "Thanks!<mark>⟦TOP SECRET⟧</mark> ok" in html
        assert chr(0xE0054) not in html

    run(body())


def test_item_shows_the_original_client_its_relay_and_the_signed_in_sender(ui):
    item_id = hold(ui.store, sender="alice@example.org", subject="plans",
                   hits=[hit("SECRET plans", "SECRET")],
                   meta={"helo": "<b>laptop</b>", "relayed_by": "127.0.0.1",
                         "auth": "alice@example.org"})

    async def body():
        async with client() as s:
            await sign_in(s, ui.url, "olga")
            async with s.get(f"{ui.url}/items/{item_id}") as page:
                html = await page.text()
        assert "from 10.1.2.3 (&lt;b&gt;laptop&lt;/b&gt;), relayed by 127.0.0.1" in html
        assert '<dt>Signed in as</dt><dd class="addr">alice@example.org</dd>' in html

    run(body())


def test_preview_and_download_are_audited_and_safe(ui):
    item_id = hold(ui.store, sender="alice@example.org", subject="html",
                   body="<p onclick=x>SECRET</p><script>steal()</script>\r\n",
                   hits=[hit("SECRET", "SECRET")])

    async def body():
        async with client() as s:
            await sign_in(s, ui.url, "olga")
            async with s.get(f"{ui.url}/items/{item_id}/preview") as page:
                html = await page.text()
                assert "&lt;script&gt;steal()&lt;/script&gt;" in html and "<script" not in html
            async with s.get(f"{ui.url}/items/{item_id}/download") as response:
                assert response.headers["Content-Type"] == "application/octet-stream"
                assert response.headers["Content-Disposition"] == (
                    f'attachment; filename="{item_id}.eml"')
                assert await response.read() == ui.store.content(item_id)

    run(body())
    actions = [(e.actor, e.action) for e in ui.store.audit_entries(item_id)]
    assert ("olga", "view") in actions and ("olga", "download") in actions


def test_queue_filters_by_category_and_search(ui):
    async def body():
        async with client() as s:
            await sign_in(s, ui.url, "olga")
            async with s.get(f"{ui.url}/queue?category=draft") as page:
                html = await page.text()
            assert ui.ids["draft"] in html and ui.ids["plans"] not in html
            async with s.get(f"{ui.url}/queue?q=procurement&severity=high") as page:
                html = await page.text()
            assert ui.ids["plans"] in html and ui.ids["draft"] not in html
            async with s.get(f"{ui.url}/queue?sender=nobody-sends-this") as page:
                assert "No items match these filters" in await page.text()
            async with s.get(f"{ui.url}/queue?since=yesterday") as page:
                assert "expected a date as YYYY-MM-DD" in await page.text()

    run(body())


def test_bulk_release_with_one_comment_and_four_eyes_answer(ui):
    ids = [ui.ids["draft"], ui.ids["bomb"], ui.ids["plans"], ui.ids["zh"]]

    async def body():
        async with client() as s:
            await sign_in(s, ui.url, "olga")
            csrf = await csrf_of(s, ui.url)
            async with s.post(f"{ui.url}/queue/decide", data=[
                    ("csrf", csrf), ("action", "release"), ("comment", "cleared by legal"),
                    *[("ids", i) for i in ids]]) as response:
                html = await response.text()
            assert "2 item(s) released" in html
            # Classified items are confirmed one by one on their own page, never in bulk.
            for item_id in ids[2:]:
                assert f"{item_id}: carries a classification marking" in html
                assert ui.store.get(item_id).status == "pending"
        for item_id in ids[:2]:
            item = ui.store.get(item_id)
            assert item.status == "released"
            assert item.decisions[-1].comment == "cleared by legal"
            assert item.decisions[-1].officer == "olga"
        zh = ui.ids["zh"]  # critical: four-eyes
        async with client() as s:
            await sign_in(s, ui.url, "olga")
            async with s.get(f"{ui.url}/items/{zh}") as page:
                text = await page.text()
            assert "I confirm that releasing it lets out the mail from wang@example.org" in text
            csrf = await csrf_of(s, ui.url)
            async with s.post(f"{ui.url}/items/{zh}/decide", data={
                    "csrf": csrf, "action": "release", "comment": "cleared", "confirm": zh}
                              ) as response:
                assert "needs a second officer" in await response.text()
        assert ui.store.get(zh).status == "pending"
        async with client() as s:  # the second officer completes the four-eyes release
            await sign_in(s, ui.url, "petra")
            async with s.get(f"{ui.url}/items/{zh}") as page:
                assert "Approved by olga" in await page.text()
            csrf = await csrf_of(s, ui.url)
            async with s.post(f"{ui.url}/items/{zh}/decide", data={
                    "csrf": csrf, "action": "release", "comment": "agreed", "confirm": zh}
                              ) as response:
                assert "released; it is queued for delivery" in await response.text()
        assert ui.store.get(zh).status == "released"

    run(body())


def test_api_token_mirrors_ui_actions_and_ignores_cookies(ui):
    token = ui.users.new_token("olga")
    auth = {"Authorization": f"Bearer {token}"}

    async def body():
        async with client() as s:
            await sign_in(s, ui.url, "olga")  # a browser session must not work on the API
            async with s.get(f"{ui.url}/api/v1/items") as response:
                assert response.status == 401
        async with client() as s:
            async with s.get(f"{ui.url}/api/v1/items?category=draft", headers=auth) as response:
                listing = await response.json()
            assert [i["id"] for i in listing["items"]] == [ui.ids["draft"]]
            assert listing["counts"]["pending"] == 4 and listing["oldest_pending_age_seconds"] > 5 * 3600
            zh = ui.ids["zh"]
            async with s.post(f"{ui.url}/api/v1/items/{zh}/release", headers=auth,
                              json={"comment": "ok"}) as response:
                assert response.status == 409  # classified: the confirmation is missing
                assert "confirm with the item id" in (await response.json())["error"]
            async with s.post(f"{ui.url}/api/v1/items/{zh}/release", headers=auth,
                              json={"comment": "ok", "confirm": zh}) as response:
                assert (await response.json())["needs_second_officer"] is True
            async with s.post(f"{ui.url}/api/v1/items/{zh}/release", headers=auth,
                              json={"comment": "ok", "confirm": zh}) as response:
                assert response.status == 409
                assert "already approved" in (await response.json())["error"]
            async with s.post(f"{ui.url}/api/v1/items/{ui.ids['draft']}/reject", headers=auth,
                              json={"comment": "draft"}) as response:
                assert (await response.json())["status"] == "rejected"
            async with s.get(f"{ui.url}/api/v1/items/{ui.ids['draft']}/preview",
                             headers=auth) as response:
                parts = (await response.json())["parts"]
                assert parts[0]["label"] == "headers" and "Presupuesto" in parts[0]["text"]
            async with s.post(f"{ui.url}/api/v1/items/decide", headers=auth,
                              data="not json") as response:
                assert response.status == 400

    run(body())


def test_openapi_document_describes_every_api_route(ui):
    from quarantine.ui import api
    from quarantine.ui.app import create_app

    app = create_app(ui.store, ui.service, users=ui.users)
    routes = {(r.method.lower(), r.resource.canonical[len(api.PREFIX):])
              for r in app.router.routes() if r.resource.canonical.startswith(api.PREFIX)
              and r.method != "HEAD"}
    document = json.loads(Path(api.OPENAPI).read_text())
    documented = {(method, path) for path, ops in document["paths"].items() for method in ops}
    assert routes == documented


def test_audit_page_shows_chain_status_and_detects_tampering(ui):
    async def body():
        async with client() as s:
            await sign_in(s, ui.url, "audrey")
            async with s.get(f"{ui.url}/audit?item={ui.ids['plans']}") as page:
                html = await page.text()
            assert "Chain intact" in html and ui.ids["plans"] in html
            assert ui.ids["draft"] not in html.split("<tbody>")[1]
            import sqlite3

            with sqlite3.connect(ui.store.path) as raw:
                raw.execute("UPDATE audit SET actor = 'someone-else' WHERE seq = 1")
            # A view re-reads only what was appended since the last check; an auditor can
            # verify every entry at once (and every view does, every few minutes).
            async with s.get(f"{ui.url}/audit") as page:
                assert "Chain intact" in await page.text()
            async with s.get(f"{ui.url}/audit?verify=all") as page:
                html = await page.text()
            assert "Chain broken at entry 1" in html
            async with s.get(f"{ui.url}/audit") as page:  # and it stays flagged
                assert "Chain broken at entry 1" in await page.text()

    run(body())


def test_admin_adds_and_disables_users(ui):
    async def body():
        async with client() as s:
            await sign_in(s, ui.url, "root")
            csrf = await csrf_of(s, ui.url, "/users")
            async with s.post(f"{ui.url}/users", data={"csrf": csrf, "name": "Nina",
                                                       "role": "auditor",
                                                       "password": PASSWORD}) as response:
                assert "User nina added as auditor" in await response.text()
            async with s.post(f"{ui.url}/users/olga/state",
                              data={"csrf": csrf, "state": "disable"}) as response:
                assert "User olga disabled" in await response.text()
            async with s.post(f"{ui.url}/users/root/state",
                              data={"csrf": csrf, "state": "disable"}) as response:
                assert "cannot disable your own account" in await response.text()
        assert ui.users.get("nina").role == "auditor"
        assert ui.users.authenticate("olga", PASSWORD) is None

    run(body())


@pytest.mark.parametrize(("target", "expected"), [
    ("/\t/evil.example", "/queue"), ("/\n/evil.example", "/queue"),
    ("/queue\r\nLocation: //evil.example", "/queue"), ("/\x7f/evil.example", "/queue"),
    ("/items/Q-1?x=%0d%0a", "/items/Q-1?x=%0d%0a"),  # escaped: a path, never a header break
])
def test_a_next_target_with_control_characters_goes_to_the_queue(ui, target, expected):
    # Browsers drop tabs and newlines from a URL: "/\t/evil" would be "//evil", off-site.
    async def body():
        async with client() as s:
            async with s.get(f"{ui.url}/login") as page:
                token = CSRF.search(await page.text()).group(1)
            async with s.post(f"{ui.url}/login", allow_redirects=False,
                              data={"name": "olga", "password": PASSWORD, "csrf": token,
                                    "next": target}) as response:
                assert response.status == 303
                assert response.headers["Location"] == expected

    run(body())


def test_the_audit_api_answers_an_auditor_with_entries_and_the_chain_state(ui):
    token = ui.users.new_token("audrey")

    async def body():
        async with client() as s:
            async with s.get(f"{ui.url}/api/v1/audit",
                             headers={"Authorization": f"Bearer {token}"}) as response:
                assert response.status == 200, await response.text()
                answer = await response.json()
            assert answer["verify"]["ok"] is True and answer["total"] >= 1
            assert {"seq", "actor", "action", "item", "hash"} <= set(answer["entries"][0])
            async with s.get(f"{ui.url}/api/v1/audit", headers={
                    "Authorization": f"Bearer {ui.users.new_token('olga')}"}) as response:
                assert response.status == 403  # officers decide; they do not read the log

    run(body())


def test_monitored_items_are_listed_filtered_and_marked_through_the_api(ui):
    from filters.types import Hit, Verdict
    from quarantine.store import HoldRequest

    hit = Hit(rule="draft.en.banner", category="draft", severity="medium",
              where="mail/body[1]", excerpt="DRAFT", span=(0, 5))
    item = ui.store.hold(HoldRequest(
        kind="mail", sender="carol@example.org", recipients=("dan@example.com",),
        subject="Minutes draft", verdict=Verdict("monitor", (hit,)),
        content=b"From: carol@example.org\r\n\r\nDRAFT\r\n",
        received=ui.store.now(), status="monitored", keep_content=False))
    token = ui.users.new_token("olga")
    auditor = ui.users.new_token("audrey")

    async def body():
        headers = {"Authorization": f"Bearer {token}"}
        async with client() as s:
            async with s.get(f"{ui.url}/api/v1/items?status=monitored", headers=headers) as r:
                listed = await r.json()
            assert [i["id"] for i in listed["items"]] == [item.id]
            await sign_in(s, ui.url, "olga")
            async with s.get(f"{ui.url}/queue?status=monitored") as page:
                html = await page.text()
            assert item.id in html and ui.ids["plans"] not in html
            target = f"{ui.url}/api/v1/items/{item.id}/mark"
            async with s.post(target, json={"would": "maybe"}, headers=headers) as r:
                assert r.status == 400
            async with s.post(target, json={"would": "reject"},
                              headers={"Authorization": f"Bearer {auditor}"}) as r:
                assert r.status == 403
            async with s.post(target, json={"would": "reject", "comment": "real draft"},
                              headers=headers) as r:
                assert r.status == 200 and (await r.json())["mark"] == "would-reject"
            async with s.post(f"{ui.url}/api/v1/items/{item.id}/release", json={},
                              headers=headers) as r:
                assert r.status == 409 and "monitored, not pending" in (await r.json())["error"]
            async with s.post(f"{ui.url}/api/v1/items/{ui.ids['plans']}/mark",
                              json={"would": "release"}, headers=headers) as r:
                assert r.status == 409
        marked = ui.store.get(item.id)
        assert marked.status == "monitored"
        assert [(d.action, d.officer) for d in marked.decisions] == [("would-reject", "olga")]

    run(body())


def test_officer_marks_a_monitored_item_from_its_page(ui):
    from filters.types import Hit, Verdict
    from quarantine.store import HoldRequest

    hit = Hit(rule="draft.en.banner", category="draft", severity="medium",
              where="mail/body[1]", excerpt="DRAFT", span=(0, 5))
    item = ui.store.hold(HoldRequest(
        kind="mail", sender="carol@example.org", recipients=("dan@example.com",),
        subject="Minutes draft", verdict=Verdict("monitor", (hit,)),
        content=b"From: carol@example.org\r\n\r\nDRAFT\r\n", received=ui.store.now(),
        status="monitored", keep_content=False, meta={"enforced": "quarantine"}))

    async def body():
        async with client() as s:
            await sign_in(s, ui.url, "olga")
            async with s.get(f"{ui.url}/items/{item.id}") as page:
                html = await page.text()
            assert "Would release" in html and "enforcing would have held it" in html
            assert 'value="release"' not in html  # no release button: it already left
            csrf = await csrf_of(s, ui.url)
            async with s.post(f"{ui.url}/items/{item.id}/decide",
                              data={"action": "would-release", "csrf": csrf,
                                    "comment": "template"}) as response:
                assert response.status == 200
                assert "marked would release" in await response.text()
            async with s.get(f"{ui.url}/items/{item.id}/preview") as page:
                assert "was not kept" in await page.text()

    run(body())
    marked = ui.store.get(item.id)
    assert marked.status == "monitored"
    assert [(d.action, d.officer, d.comment) for d in marked.decisions] == [
        ("would-release", "olga", "template")]
