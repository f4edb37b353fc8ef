"""Who is asking, and may they: sessions, CSRF, login throttling, roles and security headers.

The browser UI authenticates with a session cookie (HttpOnly, SameSite=Strict, Secure
unless ``ui.secure_cookies`` is off) and every POST carries the session's CSRF token,
checked here in one middleware so no form can forget it. The JSON API under ``/api/``
authenticates with ``Authorization: Bearer <token>`` only and ignores cookies, so a
cross-site request can never ride on a browser's session there.
"""

from __future__ import annotations

import asyncio
import hmac
from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any

from aiohttp import web

from quarantine.throttle import SignInThrottle
from quarantine.users import Session, User, UserStore

# No inline script or style, no frames, forms post only to us: the excerpts and previews
# shown are attacker-written text, and this keeps any that slips escaping inert.
CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
API_PREFIX = "/api/"
LOGIN_PATH = "/login"
# Keys of request-scoped state set by the middleware (typed keys where aiohttp has them).
if hasattr(web, "RequestKey"):
    REQUEST_USER: Any = web.RequestKey("redline_user", object)
    REQUEST_SESSION: Any = web.RequestKey("redline_session", object)
else:  # aiohttp < 3.12
    REQUEST_USER, REQUEST_SESSION = "redline_user", "redline_session"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class CookieSettings:
    """Names and flags of the session and login cookies."""

    def __init__(self, secure: bool) -> None:
        self.secure = secure
        # The __Host- prefix makes browsers refuse the cookie unless it is Secure, set by
        # this very host and for path /, so a sibling subdomain cannot plant a session.
        prefix = "__Host-" if secure else ""
        self.session = prefix + "redline_session"
        self.login = prefix + "redline_login"

    def set(self, response: web.StreamResponse, name: str, value: str, max_age: int) -> None:
        """Set an HttpOnly, SameSite=Strict cookie for path /."""
        response.set_cookie(name, value, max_age=max_age, path="/", secure=self.secure,
                            httponly=True, samesite="Strict")

    def clear(self, response: web.StreamResponse, name: str) -> None:
        """Delete a cookie set by ``set``."""
        response.del_cookie(name, path="/", secure=self.secure, httponly=True,
                            samesite="Strict")


USER_KEY = web.AppKey("users", UserStore)
THROTTLE_KEY = web.AppKey("throttle", SignInThrottle)
COOKIE_SETTINGS_KEY = web.AppKey("cookies", CookieSettings)


def client_address(request: web.Request) -> str:
    """The peer address (the UI binds loopback or sits behind one trusted proxy)."""
    return request.remote or "unknown"


def same_secret(given: str | None, expected: str | None) -> bool:
    """Constant-time comparison of two secrets; False when either is missing."""
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


async def add_security_headers(request: web.Request, response: web.StreamResponse) -> None:
    """on_response_prepare hook: the security headers on every response, errors included."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if "Cache-Control" not in response.headers and not request.path.startswith("/static/"):
        # Pages show who sent what to whom: never keep them in a shared or disk cache.
        response.headers["Cache-Control"] = "no-store"


class CsrfRefused(web.HTTPForbidden):
    """A form was posted without the session's CSRF token."""


@web.middleware
async def authenticate(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Attach the user (session cookie for pages, bearer token for the API); check CSRF."""
    users = request.app[USER_KEY]
    cookies = request.app[COOKIE_SETTINGS_KEY]
    request[REQUEST_USER] = request[REQUEST_SESSION] = None
    if request.path.startswith(API_PREFIX):
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            request[REQUEST_USER] = await asyncio.to_thread(users.user_for_token, token.strip())
        return await handler(request)
    session_id = request.cookies.get(cookies.session)
    if session_id:
        session: Session | None = await asyncio.to_thread(users.session, session_id)
        if session is not None:
            request[REQUEST_SESSION] = session
            request[REQUEST_USER] = session.user
    if request.method == "POST":
        form = await request.post()
        token = form.get("csrf")
        token = token if isinstance(token, str) else None
        if request.path == LOGIN_PATH:
            expected = request.cookies.get(cookies.login)
        else:
            expected = request[REQUEST_SESSION].csrf if request[REQUEST_SESSION] else None
        if not same_secret(token, expected):
            raise CsrfRefused(text="This form has expired or did not come from this page "
                                   "(CSRF token missing or wrong). Reload the page and try again.")
    return await handler(request)


class Forbidden(web.HTTPForbidden):
    """The signed-in user's role does not allow this route."""


def requires(permission: str) -> Callable[[Handler], Handler]:
    """Route decorator: sign-in needed (pages redirect to /login) and ``permission`` held."""

    def wrap(handler: Handler) -> Handler:
        @wraps(handler)
        async def checked(request: web.Request) -> web.StreamResponse:
            user: User | None = request[REQUEST_USER]
            api = request.path.startswith(API_PREFIX)
            if user is None:
                if api:
                    raise web.HTTPUnauthorized(
                        text='{"error": "missing or unknown API token: send Authorization: '
                             'Bearer <token> (create one with redline user token NAME)"}',
                        content_type="application/json",
                        headers={"WWW-Authenticate": 'Bearer realm="redline"'})
                target = request.path_qs if request.method == "GET" else "/"
                raise web.HTTPSeeOther(f"{LOGIN_PATH}?{_next_query(target)}")
            if not user.can(permission):
                raise Forbidden(reason=f"role {user.role} may not {PERMISSION_VERBS[permission]}")
            return await handler(request)

        checked.permission = permission  # type: ignore[attr-defined]
        return checked

    return wrap


PERMISSION_VERBS = {"read": "read the quarantine", "decide": "release or reject items",
                    "audit": "read the audit log", "admin": "manage users"}


def _next_query(target: str) -> str:
    from urllib.parse import urlencode

    return urlencode({"next": target})


def safe_next(value: str | None) -> str:
    """A post-login redirect target inside this site (never //host or a full URL).

    Browsers drop tabs and line breaks from a URL before they read it, so ``/\t/evil``
    is ``//evil`` to them; and a line break in a Location header breaks the response.
    Any control character or space refuses the target, like a backslash does.
    """
    if (not value or not value.startswith("/") or value.startswith("//") or "\\" in value
            or any(ord(c) < 0x21 or 0x7F <= ord(c) <= 0x9F for c in value)):
        return "/queue"
    return value
