"""The officer web UI: an aiohttp application of server-rendered pages over the quarantine.

``create_app(store, service, config)`` returns the application; ``redline ui`` serves it
alone and ``redline serve`` mounts it on its UI listener. Pages are jinja2 templates
with autoescaping (every excerpt, subject and preview is attacker-written text); the
only static assets are one stylesheet; decisions go through ``QuarantineService``;
blocking store calls run in threads. The JSON API (api.py) is part of the same app.
"""

from __future__ import annotations

import asyncio
import logging
import math
import secrets
from collections import OrderedDict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from aiohttp import web

from filters.types import SEVERITIES
from quarantine.audit import ChainWatch
from quarantine.service import (
    DecisionRefused,
    QuarantineService,
    is_own_item,
    leaving,
    senders_of,
)
from quarantine.store import STATUSES, NotFound, StoreError
from quarantine.throttle import SignInThrottle, attempt
from quarantine.ui import model
from quarantine.ui.auth import (
    API_PREFIX,
    COOKIE_SETTINGS_KEY,
    LOGIN_PATH,
    REQUEST_SESSION,
    REQUEST_USER,
    THROTTLE_KEY,
    USER_KEY,
    CookieSettings,
    add_security_headers,
    authenticate,
    client_address,
    requires,
    safe_next,
)
from quarantine.ui.config import UiConfig
from quarantine.users import (
    ROLES,
    AccountChange,
    User,
    UserError,
    UserStore,
    confirmer_refusal,
)

log = logging.getLogger("redline.ui")
HERE = Path(__file__).parent
STORE_KEY = web.AppKey("store", object)
CHAIN_KEY = web.AppKey("chain", ChainWatch)
PASSWORD_CHECKS_KEY = web.AppKey("password_checks", asyncio.Semaphore)
MAX_CONCURRENT_CHECKS = 2
SERVICE_KEY = web.AppKey("service", QuarantineService)
CONFIG_KEY = web.AppKey("config", UiConfig)
TEMPLATES_KEY = web.AppKey("templates", jinja2.Environment)
FLASH_KEY = web.AppKey("flash", OrderedDict)
AUDIT_PAGE = 200
MAX_FLASH_SESSIONS = 10_000


# -- presentation helpers ----------------------------------------------------------------

def format_time(value: datetime | None) -> str:
    """A time as officers read it: UTC, to the minute."""
    if value is None:
        return "—"
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def format_age(value: datetime | None, now: datetime | None = None) -> str:
    """How long ago, coarsely: '3 d 4 h', '2 h 5 min', '4 min'."""
    if value is None:
        return "—"
    seconds = max(0, int(((now or datetime.now(UTC)) - value).total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min" if minutes else "under a minute"


def format_size(value: int) -> str:
    """Bytes in a readable unit."""
    size = float(value)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{int(size)} bytes" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{value} bytes"


def templates() -> jinja2.Environment:
    """The template environment (autoescape everywhere, undefined names are errors)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters.update(when=format_time, age=format_age, size=format_size)
    env.globals.update(highlight=model.highlight, severities=SEVERITIES, statuses=STATUSES,
                       human_where=model.human_where, delivery_summary=model.delivery_summary,
                       upload_parties=model.upload_parties,
                       fingerprint_source=model.fingerprint_source)
    return env


def _flash(request: web.Request, kind: str, text: str) -> None:
    session = request[REQUEST_SESSION]
    if session is None:
        return
    store = request.app[FLASH_KEY]
    store.setdefault(session.csrf, []).append((kind, text))
    store.move_to_end(session.csrf)
    while len(store) > MAX_FLASH_SESSIONS:
        store.popitem(last=False)


def render(request: web.Request, template: str, *, status: int = 200,
           **context: Any) -> web.Response:
    """A page from ``templates/<template>`` with the user, CSRF token and pending messages."""
    session = request[REQUEST_SESSION]
    messages = request.app[FLASH_KEY].pop(session.csrf, []) if session else []
    body = request.app[TEMPLATES_KEY].get_template(template).render(
        user=request[REQUEST_USER], csrf=session.csrf if session else "",
        messages=messages, path=request.path, now=datetime.now(UTC), **context)
    return web.Response(text=body, status=status, content_type="text/html", charset="utf-8")


def see_other(location: str) -> web.Response:
    """A 303 redirect (after a POST, so a reload does not repeat it)."""
    return web.Response(status=303, headers={"Location": location})


def _blocking(function, *args, **kwargs):
    return asyncio.to_thread(function, *args, **kwargs)


# -- sign-in -----------------------------------------------------------------------------

async def login_page(request: web.Request) -> web.Response:
    """The sign-in form (with a login CSRF cookie, so no other site can sign you in)."""
    if request[REQUEST_USER] is not None:
        return see_other(safe_next(request.query.get("next")))
    return _login_form(request)


def _login_form(request: web.Request, *, error: str = "", status: int = 200,
                name: str = "") -> web.Response:
    cookies = request.app[COOKIE_SETTINGS_KEY]
    token = request.cookies.get(cookies.login) or secrets.token_urlsafe(32)
    response = render(request, "login.html", status=status, error=error, name=name,
                      login_csrf=token, next=safe_next(request.query.get("next")))
    cookies.set(response, cookies.login, token, max_age=3600)
    return response


async def login(request: web.Request) -> web.Response:
    """Check a password (throttled per name and per address) and start a session."""
    form = await request.post()
    name = str(form.get("name", "")).strip()[:100]
    password = str(form.get("password", ""))[:1000]
    address = client_address(request)

    async def check() -> User | None:
        # Each argon2id check takes 64 MiB and a core for a moment: a burst of sign-ins
        # from many addresses waits its turn instead of exhausting the process's memory.
        async with request.app[PASSWORD_CHECKS_KEY]:
            return await _blocking(request.app[USER_KEY].authenticate, name, password,
                                   client=address)

    # Refused from an address that kept failing; slowed, never locked, from elsewhere
    # (quarantine/throttle.py: the same path as SMTP AUTH).
    outcome = await attempt(request.app[THROTTLE_KEY], name, address, check)
    if outcome.retry_after > 0:
        log.warning("ui: sign-in refused for a throttled name or address %s", address)
        return _login_form(request, status=429, name=name,
                           error=f"Too many failed sign-ins for this name or from this address. "
                                 f"Try again in {math.ceil(outcome.retry_after / 60)} minute(s).")
    user = outcome.user
    if user is None:
        log.info("ui: failed sign-in from %s", address)
        return _login_form(request, status=401, name=name,
                           error="Wrong user name or password.")
    if not user.can("read"):
        log.info("ui: %s (role %s) may not sign in to the UI", user.name, user.role)
        return _login_form(request, status=403, name=name,
                           error=f"The account {user.name} has the role {user.role}: it may "
                                 "send mail through Redline but not sign in here.")
    config = request.app[CONFIG_KEY]
    session_id, _ = await _blocking(request.app[USER_KEY].start_session, user,
                                    timedelta(minutes=config.session_minutes))
    cookies = request.app[COOKIE_SETTINGS_KEY]
    response = see_other(safe_next(str(form.get("next", ""))))
    cookies.set(response, cookies.session, session_id, max_age=int(config.session_minutes * 60))
    cookies.clear(response, cookies.login)
    log.info("ui: %s signed in from %s", user.name, address)
    return response


async def logout(request: web.Request) -> web.Response:
    """End the session."""
    cookies = request.app[COOKIE_SETTINGS_KEY]
    session_id = request.cookies.get(cookies.session)
    if session_id:
        await _blocking(request.app[USER_KEY].end_session, session_id)
    response = see_other(LOGIN_PATH)
    cookies.clear(response, cookies.session)
    return response


# -- queue and items -----------------------------------------------------------------

async def home(request: web.Request) -> web.Response:
    """The queue is home."""
    return see_other("/queue")


@requires("read")
async def queue(request: web.Request) -> web.Response:
    """Held items: filters, search, sort, paging, counts per status, bulk decisions."""
    config = request.app[CONFIG_KEY]
    store = request.app[STORE_KEY]
    filters = model.parse_filters(request.query, config.page_size)
    (items, total), summary = await asyncio.gather(
        _blocking(store.list, filters.query), _blocking(model.queue_summary, store))
    pages = max(1, math.ceil(total / config.page_size))

    def link(**changes: str | int) -> str:
        values = {k: v for k, v in {**filters.values, **changes}.items() if v not in ("", None)}
        return "/queue?" + urlencode(values)

    return render(request, "queue.html", items=items, total=total, summary=summary,
                  filters=filters.values, errors=filters.errors, page=filters.page, pages=pages,
                  link=link, categories=model.CATEGORIES, sorts=model.SORTS)


@requires("decide")
async def queue_decide(request: web.Request) -> web.Response:
    """Release or reject the ticked items with one comment."""
    form = await request.post()
    ids = [str(v) for v in form.getall("ids", [])]
    action = str(form.get("action", ""))
    back = safe_next(str(form.get("back", "/queue")))
    if action not in ("release", "reject"):
        _flash(request, "error", "Choose Release or Reject.")
        return see_other(back)
    if not ids:
        _flash(request, "error", "Tick at least one item first.")
        return see_other(back)
    user: User = request[REQUEST_USER]
    result = await _blocking(model.bulk_decide, request.app[SERVICE_KEY], ids, action, user.name,
                             str(form.get("comment", "")).strip()[:2000])
    verb = "released" if action == "release" else "rejected"
    if result.done:
        _flash(request, "ok", f"{len(result.done)} item(s) {verb}: {', '.join(result.done)}.")
    if result.waiting:
        _flash(request, "info", f"{len(result.waiting)} item(s) need a second officer (four-eyes): "
                                f"your approval is recorded for {', '.join(result.waiting)}.")
    for item_id, reason in result.refused.items():
        _flash(request, "error", f"{item_id}: {reason}")
    return see_other(back)


async def _item(request: web.Request):
    try:
        return await _blocking(request.app[STORE_KEY].get, request.match_info["item_id"])
    except NotFound:
        raise web.HTTPNotFound(reason=f"No quarantine item {request.match_info['item_id']}: "
                                      "it may have been purged, or the id is mistyped.") from None


@requires("read")
async def item_page(request: web.Request) -> web.Response:
    """One item: who, to whom, hits with highlighted excerpts, parts, decisions, delivery."""
    item = await _item(request)
    store, service = request.app[STORE_KEY], request.app[SERVICE_KEY]
    delivery = await _blocking(store.outbox_state, item.id)
    user: User = request[REQUEST_USER]
    approvals = [d for d in item.decisions if d.action == "approve"]
    classified = any(h.category == "classification" for h in item.hits)
    return render(request, "item.html", item=item, delivery=delivery,
                  tree=model.parts_tree(item.hits, item), four_eyes=service.needs_four_eyes(item),
                  approvals=approvals, own=any(is_own_item(user.name, sender, user.addresses)
                                                   for sender in senders_of(item, None)),
                  classified=classified, leaving=leaving(item),
                  approved_by_me=any(d.officer.casefold() == user.name for d in approvals))


@requires("decide")
async def item_decide(request: web.Request) -> web.Response:
    """Release or reject one item with a comment (four-eyes answers shown as messages), or
    mark a monitored item would-release / would-reject."""
    item_id = request.match_info["item_id"]
    form = await request.post()
    action = str(form.get("action", ""))
    comment = str(form.get("comment", "")).strip()[:2000]
    service = request.app[SERVICE_KEY]
    user: User = request[REQUEST_USER]
    if action in ("would-release", "would-reject"):
        # Feedback on a monitored item (already delivered): audited, delivers nothing.
        try:
            await _blocking(service.mark, item_id, user.name, action.removeprefix("would-"),
                            comment)
        except NotFound as exc:
            raise web.HTTPNotFound(reason=str(exc)) from None
        except DecisionRefused as exc:
            _flash(request, "error", str(exc))
        else:
            _flash(request, "ok", f"{item_id} marked {action.replace('-', ' ')}")
        return see_other(f"/items/{item_id}")
    if action not in ("release", "reject"):
        _flash(request, "error", "Choose Release or Reject.")
        return see_other(f"/items/{item_id}")
    try:
        if action == "release":
            outcome = await _blocking(service.release, item_id, user.name, comment,
                                      confirmation=str(form.get("confirm", "")))
        else:
            outcome = await _blocking(service.reject, item_id, user.name, comment)
    except NotFound as exc:
        raise web.HTTPNotFound(reason=str(exc)) from None
    except DecisionRefused as exc:
        _flash(request, "error", str(exc))
    else:
        _flash(request, "ok" if outcome.done else "info", outcome.message)
    return see_other(f"/items/{item_id}")


@requires("read")
async def item_preview(request: web.Request) -> web.Response:
    """The content as escaped text only (audited as a view)."""
    item = await _item(request)
    user: User = request[REQUEST_USER]
    try:
        content = await _blocking(request.app[SERVICE_KEY].content, item.id, user.name)
    except NotFound:
        return _no_content(request, item)
    parts = await _blocking(model.preview, item, content)
    return render(request, "preview.html", item=item, parts=parts)


@requires("read")
async def item_compare(request: web.Request) -> web.Response:
    """A fingerprint hit's passage beside the same passage in the rejected item it names
    (reading the source's content is audited as a view of it)."""
    item = await _item(request)
    try:
        hit = item.hits[int(request.match_info["hit"])]
    except (ValueError, IndexError):
        raise web.HTTPNotFound(reason=f"{item.id} has no such hit") from None
    source_id = model.fingerprint_source(hit)
    if source_id is None:
        raise web.HTTPNotFound(reason="This hit does not name a rejected item: registered "
                                      "documents keep only their fingerprints, not their text.")
    user: User = request[REQUEST_USER]
    try:
        source = await _blocking(request.app[STORE_KEY].get, source_id)
        content = await _blocking(request.app[SERVICE_KEY].content, source_id, user.name)
    except NotFound:
        comparison = model.Comparison(hit.excerpt, [], (
            f"{source_id} is no longer in the quarantine (purged by retention); its "
            "fingerprints were kept, its content was not"))
        source = None
    else:
        comparison = await _blocking(model.compare, hit, source, content)
    return render(request, "compare.html", item=item, hit=hit, source_id=source_id,
                  source=source, comparison=comparison)


@requires("read")
async def item_download(request: web.Request) -> web.Response:
    """The original bytes as an attachment (audited as a download)."""
    item = await _item(request)
    user: User = request[REQUEST_USER]
    try:
        content = await _blocking(request.app[SERVICE_KEY].content, item.id, user.name,
                                  download=True)
    except NotFound:
        return _no_content(request, item)
    return download_response(item, content)


def _no_content(request: web.Request, item) -> web.Response:
    """Back to the item, saying its content was not kept (a monitored item, by default)."""
    _flash(request, "error", f"The content of {item.id} was not kept (policy."
                             "monitor_keep_content = false): only its metadata and hits are.")
    return see_other(f"/items/{item.id}")


def download_response(item, content: bytes) -> web.Response:
    """Bytes a browser saves and never displays or sniffs."""
    suffix = "eml" if item.kind == "mail" else "bin"
    return web.Response(body=content, headers={
        "Content-Type": "application/octet-stream",
        "Content-Disposition": f'attachment; filename="{item.id}.{suffix}"',
    })


@requires("read")
async def monitor_page(request: web.Request) -> web.Response:
    """The Monitor view: monitored items per rule and category per day, officers' marks
    and the false-positive share, and the newest monitored items."""
    days, errors = model.monitor_window(request.query)
    now = datetime.now(UTC)
    report = await _blocking(model.monitor_view, request.app[STORE_KEY], days, now)
    return render(request, "monitor.html", report=report, days=days, errors=errors,
                  windows=model.MONITOR_WINDOWS, chart=model.bar_chart)


# -- audit and users ---------------------------------------------------------------------

def audit_view(store, watch: ChainWatch, item_id: str | None, page: int,
               full: bool = False) -> dict[str, Any]:
    """One page of audit entries (newest first) and the chain's verification: what was
    appended since the last check, and all of it every few minutes or when ``full``."""
    result, full_at = watch.check(store, full=full)
    entries, total = store.audit_page(item_id or None, AUDIT_PAGE, (page - 1) * AUDIT_PAGE)
    return {"entries": entries, "total": total, "pages": max(1, math.ceil(total / AUDIT_PAGE)),
            "verify": result,
            "full_check_age": max(0, int(watch.clock() - full_at))}


@requires("audit")
async def audit_page(request: web.Request) -> web.Response:
    """The audit log, filterable by item, with the hash chain's status."""
    item_id = request.query.get("item", "").strip()[:40]
    try:
        page = max(1, int(request.query.get("page", "1")))
    except ValueError:
        page = 1
    full = request.query.get("verify") == "all"
    view = await _blocking(audit_view, request.app[STORE_KEY], request.app[CHAIN_KEY], item_id,
                           page, full)
    return render(request, "audit.html", item_filter=item_id, page=page, **view)


@requires("admin")
async def users_page(request: web.Request) -> web.Response:
    """Accounts and their roles."""
    users = await _blocking(request.app[USER_KEY].list)
    delay = timedelta(hours=request.app[SERVICE_KEY].config.account_change_delay_hours)
    pending = await _blocking(request.app[USER_KEY].unconfirmed_changes, delay)
    return render(request, "users.html", users=users, roles=ROLES, pending_changes=len(pending))


@requires("admin")
async def users_add(request: web.Request) -> web.Response:
    """Create an account."""
    form = await request.post()
    try:
        user = await _blocking(request.app[USER_KEY].add, str(form.get("name", "")),
                               str(form.get("role", "")), str(form.get("password", "")),
                               actor=request[REQUEST_USER].name)
    except UserError as exc:
        _flash(request, "error", str(exc))
    else:
        log.info("ui: %s added user %s (%s)", request[REQUEST_USER].name, user.name, user.role)
        _flash(request, "ok", f"User {user.name} added as {user.role}.")
    return see_other("/users")


@requires("admin")
async def users_state(request: web.Request) -> web.Response:
    """Disable or enable an account (not one's own)."""
    name = request.match_info["name"]
    form = await request.post()
    disable = form.get("state") == "disable"
    if disable and name == request[REQUEST_USER].name:
        _flash(request, "error", "You cannot disable your own account; ask another admin.")
        return see_other("/users")
    try:
        user = await _blocking(request.app[USER_KEY].set_disabled, name, disable,
                               actor=request[REQUEST_USER].name)
    except UserError as exc:
        _flash(request, "error", str(exc))
    else:
        log.info("ui: %s %s user %s", request[REQUEST_USER].name,
                 "disabled" if disable else "enabled", user.name)
        _flash(request, "ok", f"User {user.name} {'disabled' if disable else 'enabled'}.")
    return see_other("/users")


def _account_changes(app: web.Application) -> list[AccountChange]:
    """Deciding accounts whose last change by someone else awaits a second admin."""
    delay = timedelta(hours=app[SERVICE_KEY].config.account_change_delay_hours)
    users = app[USER_KEY]
    return [users.pending_change(account, delay)
            for account in users.unconfirmed_changes(delay)]


@requires("admin")
async def account_changes_page(request: web.Request) -> web.Response:
    """Account changes one admin made that count under four-eyes only once a second admin
    confirms them (or the delay passes): who made each, what, and when it counts anyway."""
    changes = await _blocking(_account_changes, request.app)
    config = request.app[SERVICE_KEY].config
    # An admin whose own account does not count yet sees why instead of Confirm buttons.
    me = await _blocking(request.app[USER_KEY].get, request[REQUEST_USER].name)
    refusal = confirmer_refusal(me, await _blocking(request.app[USER_KEY].now),
                                timedelta(hours=config.account_change_delay_hours))
    return render(request, "account_changes.html", changes=changes,
                  four_eyes=config.four_eyes_severity, cannot_confirm=refusal or "")


@requires("admin")
async def account_change_confirm(request: web.Request) -> web.Response:
    """Confirm the change shown on the page (not one made since; never one's own)."""
    name = request.match_info["name"]
    form = await request.post()
    admin = request[REQUEST_USER].name
    shown = str(form.get("change", ""))[:100]
    if not shown:
        _flash(request, "error", "This form does not say which change it confirms; reload "
                                 "the page and try again.")
        return see_other("/users/changes")
    try:
        delay = timedelta(hours=request.app[SERVICE_KEY].config.account_change_delay_hours)
        user = await _blocking(request.app[USER_KEY].confirm, name, actor=admin, delay=delay,
                               change=shown)
    except UserError as exc:
        _flash(request, "error", str(exc))
    else:
        log.info("ui: %s confirmed the change %s made to account %s", admin, user.changed_by,
                 user.name)
        _flash(request, "ok", f"Change to {user.name} by {user.changed_by} confirmed: the "
                              "account counts under four-eyes now.")
    return see_other("/users/changes")


# -- errors and assembly -----------------------------------------------------------------

@web.middleware
async def errors(request: web.Request, handler) -> web.StreamResponse:
    """Refusals and failures as a calm page (or JSON under /api/), never a stack trace."""
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400 or exc.content_type == "application/json":
            raise
        message = exc.text if exc.text and not exc.text.startswith(str(exc.status)) else exc.reason
        if request.path.startswith(API_PREFIX):
            headers = {k: v for k, v in exc.headers.items() if k.lower() not in (
                "content-type", "content-length")}
            return web.json_response({"error": message}, status=exc.status, headers=headers)
        title = {403: "Not allowed", 404: "Not found", 429: "Too many attempts"}.get(
            exc.status, "Something went wrong")
        return render(request, "error.html", status=exc.status, title=title, message=message)
    except StoreError as exc:
        log.error("ui: store error on %s: %s", request.path, exc)
        message = (f"the quarantine store did not answer: {exc}. Try again shortly; if it "
                   "persists, tell the gateway's operators.")
        if request.path.startswith(API_PREFIX):
            return web.json_response({"error": message}, status=503)
        return render(request, "error.html", status=503, title="Store unavailable",
                      message=message[0].upper() + message[1:])


def create_app(store, service: QuarantineService, config: UiConfig | None = None, *,
               users: UserStore | None = None) -> web.Application:
    """The officer UI and JSON API over ``store`` (opening a UserStore on it if none given)."""
    from quarantine.ui import api

    config = config or UiConfig()
    app = web.Application(middlewares=[errors, authenticate], client_max_size=1 << 20)
    own_users = users is None
    app[STORE_KEY] = store
    app[SERVICE_KEY] = service
    app[CONFIG_KEY] = config
    app[USER_KEY] = users or UserStore(store)
    app[CHAIN_KEY] = ChainWatch()
    app[PASSWORD_CHECKS_KEY] = asyncio.Semaphore(MAX_CONCURRENT_CHECKS)
    app[THROTTLE_KEY] = SignInThrottle(app[USER_KEY], config.login_max_failures,
                                       config.login_max_failures_per_address,
                                       config.login_window_minutes * 60)
    app[COOKIE_SETTINGS_KEY] = CookieSettings(config.secure_cookies)
    app[TEMPLATES_KEY] = templates()
    app[FLASH_KEY] = OrderedDict()
    app.on_response_prepare.append(add_security_headers)
    if own_users:
        async def close_users(app: web.Application) -> None:
            app[USER_KEY].close()

        app.on_cleanup.append(close_users)
    app.router.add_get("/", home)
    app.router.add_get(LOGIN_PATH, login_page)
    app.router.add_post(LOGIN_PATH, login)
    app.router.add_post("/logout", logout)
    app.router.add_get("/queue", queue)
    app.router.add_post("/queue/decide", queue_decide)
    app.router.add_get("/items/{item_id}", item_page)
    app.router.add_post("/items/{item_id}/decide", item_decide)
    app.router.add_get("/items/{item_id}/preview", item_preview)
    app.router.add_get("/items/{item_id}/download", item_download)
    app.router.add_get("/items/{item_id}/compare/{hit}", item_compare)
    app.router.add_get("/monitor", monitor_page)
    app.router.add_get("/audit", audit_page)
    app.router.add_get("/users", users_page)
    app.router.add_post("/users", users_add)
    app.router.add_post("/users/{name}/state", users_state)
    app.router.add_get("/users/changes", account_changes_page)
    app.router.add_post("/users/{name}/confirm", account_change_confirm)
    app.router.add_static("/static", HERE / "static")
    api.setup(app)
    return app
