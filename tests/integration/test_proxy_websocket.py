"""WebSockets through Redline's forward proxy: refused by default, or the handshake inspected
and the connection passed on (http.websockets = "pass"), plain and inside interception.

The origin is a real aiohttp WebSocket server (HTTPS with a certificate from a test CA
that Redline trusts through ``http.upstream_ca_file``); the client is aiohttp's own
WebSocket client going through the proxy as a browser would (CONNECT for wss://).
"""
# ruff: noqa: F811 (the fixtures imported from the other proxy tests are test parameters here)

from __future__ import annotations

import asyncio
import ssl

import aiohttp
import pytest
from aiohttp import web
from test_http_proxy import LoopThread, Redline, free_port, pipeline  # noqa: F401
from test_https_interception import interceptor, pki  # noqa: F401

from gateway.ops import metrics


class EchoOrigin:
    """An aiohttp server whose /ws echoes every message; records each handshake's path."""

    def __init__(self, ssl_context: ssl.SSLContext | None) -> None:
        self.loop = LoopThread()
        self.port = free_port()
        self.ssl_context = ssl_context
        self.handshakes: list[str] = []
        self.messages: list[str] = []
        app = web.Application()
        app.router.add_get("/ws", self.ws)
        app.router.add_get("/plain", self.plain)
        self.runner = web.AppRunner(app)

    async def ws(self, request: web.Request) -> web.WebSocketResponse:
        self.handshakes.append(request.path_qs)
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        async for message in socket:
            if message.type == aiohttp.WSMsgType.TEXT:
                self.messages.append(message.data)
                await socket.send_str(f"echo: {message.data}")
        return socket

    async def plain(self, request: web.Request) -> web.Response:
        self.handshakes.append(request.path_qs)
        return web.Response(status=426, text="this is no WebSocket endpoint")

    def start(self) -> EchoOrigin:
        async def go() -> None:
            await self.runner.setup()
            await web.TCPSite(self.runner, "127.0.0.1", self.port,
                              ssl_context=self.ssl_context).start()
        self.loop.run(go())
        return self

    def stop(self) -> None:
        self.loop.run(self.runner.cleanup())
        self.loop.close()


@pytest.fixture
def wss_origin(pki):
    base, origin_ca, _, _ = pki
    server = EchoOrigin(origin_ca.server_context(base, ["localhost"])).start()
    yield server
    server.stop()


@pytest.fixture
def ws_origin():
    server = EchoOrigin(None).start()
    yield server
    server.stop()


@pytest.fixture
def proxy(tmp_path, pipeline, pki):
    """Start Redline's proxy for an origin port and a websockets setting; stopped after."""
    started: list[Redline] = []

    def start(port: int, websockets: str) -> Redline:
        redline = Redline(tmp_path / str(len(started)), pipeline, interceptor=interceptor(pki),
                          connect_ports=[port], websockets=websockets).start()
        started.append(redline)
        return redline

    yield start
    for redline in started:
        redline.stop()


def client_context(pki) -> ssl.SSLContext:
    """What a managed browser trusts: the interception CA."""
    return ssl.create_default_context(cafile=str(pki[2]))


async def exchange(url: str, proxy: str, context: ssl.SSLContext | None,
                   messages: list[str]) -> list[str]:
    """Open a WebSocket through ``proxy``, send each message, return the answers."""
    answers = []
    timeout = aiohttp.ClientWSTimeout(ws_receive=10)
    async with aiohttp.ClientSession() as session, session.ws_connect(
            url, proxy=proxy, ssl=context if context is not None else False,
            timeout=timeout) as socket:
        for message in messages:
            await socket.send_str(message)
            answer = await socket.receive(timeout=10)
            answers.append(answer.data)
    return answers


def websocket_requests(scheme: str, outcome: str) -> float:
    return metrics.sample("redline_http_requests_total",
                          {"scheme": scheme, "outcome": outcome}) or 0.0


def test_by_default_a_websocket_inside_interception_is_refused_with_a_page(proxy, pki, wss_origin):
    redline = proxy(wss_origin.port, "refuse")
    before = websocket_requests("https", "websocket_refused")
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        asyncio.run(exchange(f"wss://localhost:{wss_origin.port}/ws", redline.url,
                             client_context(pki), ["hello"]))
    assert refused.value.status == 403
    assert wss_origin.handshakes == []  # the origin never heard of it
    assert websocket_requests("https", "websocket_refused") == before + 1


def test_with_pass_a_websocket_inside_interception_carries_messages_both_ways(proxy, pki, wss_origin):
    redline = proxy(wss_origin.port, "pass")
    before = websocket_requests("https", "websocket")
    answers = asyncio.run(exchange(f"wss://localhost:{wss_origin.port}/ws?room=7",
                                   redline.url, client_context(pki),
                                   ["hello", "second message", "x" * 200_000]))
    assert answers == ["echo: hello", "echo: second message", "echo: " + "x" * 200_000]
    assert wss_origin.handshakes == ["/ws?room=7"]
    assert websocket_requests("https", "websocket") == before + 1
    # The proxy goes on serving other connections meanwhile and afterwards.
    assert asyncio.run(exchange(f"wss://localhost:{wss_origin.port}/ws", redline.url,
                                client_context(pki), ["again"])) == ["echo: again"]


def test_a_marked_handshake_url_is_blocked_before_the_origin_sees_it(proxy, pki, wss_origin):
    # A user who wants a marking out through a WebSocket puts it in the handshake URL:
    # the handshake is inspected like any request.
    redline = proxy(wss_origin.port, "pass")
    with pytest.raises(aiohttp.WSServerHandshakeError) as blocked:
        asyncio.run(exchange(
            f"wss://localhost:{wss_origin.port}/ws?note=TOP+SECRET%2F%2FNOFORN+plan",
            redline.url, client_context(pki), ["hello"]))
    assert blocked.value.status == 403
    assert wss_origin.handshakes == []


def test_an_origin_that_refuses_the_upgrade_is_answered_as_it_answered(proxy, pki, wss_origin):
    redline = proxy(wss_origin.port, "pass")
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        asyncio.run(exchange(f"wss://localhost:{wss_origin.port}/plain", redline.url,
                             client_context(pki), ["hello"]))
    assert refused.value.status == 426
    assert wss_origin.handshakes == ["/plain"]


def test_a_plain_websocket_through_the_proxy_passes_and_is_refused_by_default(proxy, ws_origin):
    url = f"ws://127.0.0.1:{ws_origin.port}/ws"
    redline = proxy(ws_origin.port, "pass")
    assert asyncio.run(exchange(url, redline.url, None, ["plain"])) == ["echo: plain"]
    redline = proxy(ws_origin.port, "refuse")
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        asyncio.run(exchange(url, redline.url, None, ["plain"]))
    assert refused.value.status == 403
    assert ws_origin.messages == ["plain"]  # only the passed one reached it


def test_an_origin_with_a_bad_certificate_gets_no_websocket(proxy, pki):
    base, origin_ca, _, _ = pki
    expired = EchoOrigin(origin_ca.server_context(base, ["localhost"], expired=True)).start()
    try:
        redline = proxy(expired.port, "pass")
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            asyncio.run(exchange(f"wss://localhost:{expired.port}/ws", redline.url,
                                 client_context(pki), ["hello"]))
        assert refused.value.status == 502
        assert expired.handshakes == []
    finally:
        expired.stop()
