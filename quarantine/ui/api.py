"""The JSON API under /api/v1: every officer UI action for scripts, with bearer-token auth.

Tokens come from ``redline user token NAME`` and carry that user's role; cookies are
ignored here (so no CSRF token is needed or possible). Errors are ``{"error": "..."}``
with 400 (bad input), 401 (no or unknown token), 403 (role), 404 (no such item),
409 (decision refused: own item, four-eyes, already decided). The routes are described
by ``openapi.json`` beside this file, served at /api/v1/openapi.json.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiohttp import web

from quarantine.service import DecisionRefused
from quarantine.store import NotFound
from quarantine.ui import model
from quarantine.ui.auth import REQUEST_USER, USER_KEY, requires
from quarantine.users import User, UserError

PREFIX = "/api/v1"
OPENAPI = Path(__file__).with_name("openapi.json")


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


async def _body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise web.HTTPBadRequest(reason="the request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(reason="the request body must be a JSON object")
    return body


def _text(body: dict[str, Any], key: str, *, limit: int = 2000) -> str:
    value = body.get(key, "")
    if not isinstance(value, str):
        raise web.HTTPBadRequest(reason=f"{key}: expected a string")
    return value.strip()[:limit]


def _app_parts(request: web.Request):
    from quarantine.ui.app import CONFIG_KEY, SERVICE_KEY, STORE_KEY

    return request.app[STORE_KEY], request.app[SERVICE_KEY], request.app[CONFIG_KEY]


async def _get_item(request: web.Request):
    store, _, _ = _app_parts(request)
    try:
        return await asyncio.to_thread(store.get, request.match_info["item_id"])
    except NotFound as exc:
        raise web.HTTPNotFound(reason=str(exc)) from None


async def openapi(request: web.Request) -> web.Response:
    """The OpenAPI document of this API."""
    return web.Response(body=OPENAPI.read_bytes(), content_type="application/json")


@requires("read")
async def list_items(request: web.Request) -> web.Response:
    """Items matching the queue filters, with counts per status and the oldest pending."""
    store, _, config = _app_parts(request)
    filters = model.parse_filters(request.query, config.page_size)
    if filters.errors:
        return _error(400, "; ".join(filters.errors))
    (items, total), summary = await asyncio.gather(
        asyncio.to_thread(store.list, filters.query),
        asyncio.to_thread(model.queue_summary, store))
    return web.json_response({"items": [i.as_dict() for i in items], "total": total,
                              "page": filters.page, "page_size": config.page_size,
                              **summary.as_dict(datetime.now(UTC))})


@requires("read")
async def get_item(request: web.Request) -> web.Response:
    """One item with its delivery state and four-eyes need."""
    store, service, _ = _app_parts(request)
    item = await _get_item(request)
    delivery = await asyncio.to_thread(store.outbox_state, item.id)
    return web.json_response({**item.as_dict(), "delivery": delivery,
                              "needs_four_eyes": service.needs_four_eyes(item)}, dumps=_dumps)


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


@requires("read")
async def preview(request: web.Request) -> web.Response:
    """The content as text parts (audited as a view)."""
    _, service, _ = _app_parts(request)
    item = await _get_item(request)
    user: User = request[REQUEST_USER]
    content = await asyncio.to_thread(service.content, item.id, user.name)
    parts = await asyncio.to_thread(model.preview, item, content)
    return web.json_response({"id": item.id, "parts": [p.as_dict() for p in parts]})


@requires("read")
async def content(request: web.Request) -> web.Response:
    """The original bytes (audited as a download)."""
    from quarantine.ui.app import download_response

    _, service, _ = _app_parts(request)
    item = await _get_item(request)
    user: User = request[REQUEST_USER]
    data = await asyncio.to_thread(service.content, item.id, user.name, download=True)
    return download_response(item, data)


def _decider(action: str):
    @requires("decide")
    async def decide(request: web.Request) -> web.Response:
        _, service, _ = _app_parts(request)
        body = await _body(request)
        comment = _text(body, "comment")
        user: User = request[REQUEST_USER]
        item_id = request.match_info["item_id"]
        try:
            if action == "release":
                outcome = await asyncio.to_thread(service.release, item_id, user.name, comment,
                                                  confirmation=_text(body, "confirm"))
            else:
                outcome = await asyncio.to_thread(service.reject, item_id, user.name, comment)
        except NotFound as exc:
            return _error(404, str(exc))
        except DecisionRefused as exc:
            return _error(409, str(exc))
        return web.json_response(outcome.as_dict())

    decide.__doc__ = f"{action.capitalize()} one item with a comment."
    return decide


@requires("decide")
async def mark(request: web.Request) -> web.Response:
    """Mark a monitored item would-release or would-reject (feedback; delivers nothing)."""
    _, service, _ = _app_parts(request)
    body = await _body(request)
    would = _text(body, "would")
    if would not in ("release", "reject"):
        return _error(400, "would: expected release or reject")
    user: User = request[REQUEST_USER]
    try:
        item = await asyncio.to_thread(service.mark, request.match_info["item_id"], user.name,
                                       would, _text(body, "comment"))
    except NotFound as exc:
        return _error(404, str(exc))
    except DecisionRefused as exc:
        return _error(409, str(exc))
    return web.json_response({"id": item.id, "status": item.status, "mark": f"would-{would}",
                              "message": f"{item.id} marked would-{would} by {user.name}"})


@requires("read")
async def monitor(request: web.Request) -> web.Response:
    """The monitor report over the last ``days`` (7, 30 or 90) UTC days: per rule and
    category, per day, officers' marks, the false-positive share, the newest items."""
    store, _, _ = _app_parts(request)
    days, errors = model.monitor_window(request.query)
    if errors:
        return _error(400, "; ".join(errors))
    report = await asyncio.to_thread(model.monitor_view, store, days, datetime.now(UTC))
    return web.json_response(report)


@requires("decide")
async def bulk(request: web.Request) -> web.Response:
    """Release or reject several items with one comment."""
    _, service, _ = _app_parts(request)
    body = await _body(request)
    ids, action = body.get("ids"), body.get("action")
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
        return _error(400, "ids: expected a non-empty list of item ids")
    if len(ids) > model.MAX_BULK:
        return _error(400, f"ids: at most {model.MAX_BULK} items per request")
    if action not in ("release", "reject"):
        return _error(400, "action: expected release or reject")
    user: User = request[REQUEST_USER]
    result = await asyncio.to_thread(model.bulk_decide, service, ids, action, user.name,
                                     _text(body, "comment"))
    return web.json_response(result.as_dict())


@requires("audit")
async def audit(request: web.Request) -> web.Response:
    """Audit entries (newest first, one page) and the chain's verification."""
    from quarantine.ui.app import CHAIN_KEY, audit_view

    store, _, _ = _app_parts(request)
    try:
        page = max(1, int(request.query.get("page", "1")))
    except ValueError:
        return _error(400, "page: expected a number")
    view = await asyncio.to_thread(audit_view, store, request.app[CHAIN_KEY],
                                   request.query.get("item", "").strip()[:40], page)
    result = view["verify"]
    return web.json_response({
        "entries": [e.as_dict() for e in view["entries"]], "total": view["total"], "page": page,
        "verify": {"ok": result.ok, "entries": result.entries, "head_hash": result.head_hash,
                   "first_bad_seq": result.first_bad_seq, "problem": result.problem},
    }, dumps=_dumps)


@requires("admin")
async def list_users(request: web.Request) -> web.Response:
    """Every account."""
    users = await asyncio.to_thread(request.app[USER_KEY].list)
    return web.json_response({"users": [u.as_dict() for u in users]})


@requires("admin")
async def add_user(request: web.Request) -> web.Response:
    """Create an account."""
    body = await _body(request)
    try:
        user = await asyncio.to_thread(request.app[USER_KEY].add, _text(body, "name"),
                                       _text(body, "role"), _text(body, "password", limit=1000),
                                       actor=request[REQUEST_USER].name)
    except UserError as exc:
        return _error(400, str(exc))
    return web.json_response(user.as_dict(), status=201)


@requires("admin")
async def user_state(request: web.Request) -> web.Response:
    """Disable or enable an account (not one's own)."""
    body = await _body(request)
    disabled = body.get("disabled")
    if not isinstance(disabled, bool):
        return _error(400, "disabled: expected true or false")
    name = request.match_info["name"]
    if disabled and name == request[REQUEST_USER].name:
        return _error(409, "you cannot disable your own account; ask another admin")
    try:
        user = await asyncio.to_thread(request.app[USER_KEY].set_disabled, name, disabled,
                                       actor=request[REQUEST_USER].name)
    except UserError as exc:
        return _error(404, str(exc))
    return web.json_response(user.as_dict())


def setup(app: web.Application) -> None:
    """Add the API routes to the officer UI application."""
    app.router.add_get(f"{PREFIX}/openapi.json", openapi)
    app.router.add_get(f"{PREFIX}/items", list_items)
    app.router.add_post(f"{PREFIX}/items/decide", bulk)
    app.router.add_get(f"{PREFIX}/items/{{item_id}}", get_item)
    app.router.add_get(f"{PREFIX}/items/{{item_id}}/preview", preview)
    app.router.add_get(f"{PREFIX}/items/{{item_id}}/content", content)
    app.router.add_post(f"{PREFIX}/items/{{item_id}}/release", _decider("release"))
    app.router.add_post(f"{PREFIX}/items/{{item_id}}/reject", _decider("reject"))
    app.router.add_post(f"{PREFIX}/items/{{item_id}}/mark", mark)
    app.router.add_get(f"{PREFIX}/monitor", monitor)
    app.router.add_get(f"{PREFIX}/audit", audit)
    app.router.add_get(f"{PREFIX}/users", list_users)
    app.router.add_post(f"{PREFIX}/users", add_user)
    app.router.add_post(f"{PREFIX}/users/{{name}}/state", user_state)
