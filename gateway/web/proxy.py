"""The explicit HTTP forward proxy: inspects request bodies before they leave, tunnels CONNECT per policy.

The client side speaks HTTP/1.1 on asyncio streams (request heads bounded, framing
checked strictly against request smuggling, bodies spooled to disk); the origin side is
an aiohttp client session that keeps connections alive and streams the spooled body
out and the response back. A request body is inspected (``gateway.web.uploads``) before a
single byte of it is sent on: pass → forwarded; quarantine → held and a 403 page with
the quarantine id; reject → 403 page.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import os
import re
import socket
import ssl
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from multidict import CIMultiDict
from yarl import URL

from gateway.address import parse_host_port
from gateway.ops import metrics
from gateway.web.block_page import render_block_page
from gateway.web.config import HttpConfig, host_matches, in_networks
from gateway.web.destinations import (
    DestinationRefused,
    GuardedResolver,
    destination_allowed,
    open_guarded,
    refusal,
)
from gateway.web.interception import (
    Interceptor,
    describe_certificate_error,
    looks_like_client_hello,
)
from gateway.web.multipart import MultipartSplitter
from gateway.web.proxy_auth import ProxyAuthenticator, SignInThrottled
from gateway.web.ranged_uploads import WholeFile
from gateway.web.request_bodies import (
    BadRequest,
    BodyTooLarge,
    SpoolWriter,
    read_chunked,
    read_exact_body,
    within,
)
from gateway.web.upload_decoding import decodes_in_memory, multipart_cutter
from gateway.web.uploads import (
    UploadDecision,
    UploadInspector,
    UploadRequest,
    inspection_needed,
    remove_workdir,
)

log = logging.getLogger("redline.http")

# RFC 9110 7.6.1: connection-specific fields a proxy must not forward, plus the
# proxy's own authentication fields (RFC 9110 11.7) and the legacy Proxy-Connection.
HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-connection", "te", "trailer",
                        "transfer-encoding", "upgrade", "proxy-authenticate",
                        "proxy-authorization"})
_TOKEN = re.compile(rb"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
SEND_BLOCK = 256 * 1024
# A spooled body is sent upstream in blocks of this size (one thread hop per block).
FILE_BLOCK = 1024 * 1024
REASONS = {400: "Bad Request", 403: "Forbidden", 407: "Proxy Authentication Required",
           408: "Request Timeout", 413: "Content Too Large", 421: "Misdirected Request",
           429: "Too Many Requests", 431: "Request Header Fields Too Large",
           501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable",
           504: "Gateway Timeout", 505: "HTTP Version Not Supported"}
# asyncio listen()s again on a socket it is handed: keep the accept queue deep.
LISTEN_BACKLOG = 511
# After a drain's time is up, how long cancelled connections get to close.
CANCEL_SECONDS = 5.0
# Bytes that tell a TLS ClientHello from other traffic (record header + handshake type).
HELLO_PEEK = 6
# While a client trickles its first bytes, how often the socket is looked at again.
PEEK_POLL_SECONDS = 0.05


def _settle(future: asyncio.Future) -> None:
    if not future.done():
        future.set_result(None)


@dataclass(frozen=True, slots=True)
class Tunnel:
    """An intercepted CONNECT: where it goes, who opened it, the name its TLS asked for."""

    host: str  # the CONNECT host: what the policy checked and where the proxy connects
    port: int
    user: str
    server_name: str | None  # SNI, None when the client sent none

    def authority(self) -> str:
        """host[:port] for the origin URL (the port only when not 443)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == 443 else f"{host}:{self.port}"


class OpenConnections:
    """The connection tasks of one listener, so that a drain lets open requests finish.

    A connection is *idle* while it waits for the next request on a kept-alive
    connection; a drain closes those at once (RFC 9112 9.6: clients must expect an idle
    persistent connection to close and retry on a new one). A connection in the middle
    of a request, or waiting for the first request of a connection it just opened, is
    given until the drain's deadline, then cancelled.
    """

    def __init__(self) -> None:
        self.draining = False
        self.closed = False
        self._tasks: set[asyncio.Task] = set()
        self._idle: set[asyncio.Task] = set()

    def __len__(self) -> int:
        return len(self._tasks)

    def opened(self) -> bool:
        """Track the current task as a connection; False when the listener has stopped."""
        if self.closed:
            return False  # accepted just before the stop, started after it
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        return True

    def ended(self) -> None:
        """The current connection task is about to end."""
        task = asyncio.current_task()
        self._tasks.discard(task)  # type: ignore[arg-type]
        self._idle.discard(task)  # type: ignore[arg-type]

    async def wait_idle(self, awaitable):
        """Await the next request's head on a kept-alive connection (a drain may cancel it)."""
        task = asyncio.current_task()
        assert task is not None
        self._idle.add(task)
        try:
            return await awaitable
        finally:
            self._idle.discard(task)

    async def drain(self, seconds: float) -> None:
        """Close idle connections; give the others up to ``seconds``; cancel what is left."""
        self.draining = True
        for task in list(self._idle):
            task.cancel()
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=max(0.0, seconds))
        self.closed = True
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=CANCEL_SECONDS)


class _Request:
    """A parsed request head."""

    def __init__(self, method: str, target: str, version: str,
                 headers: list[tuple[str, str]]) -> None:
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        # Values by lower-case name: a request's fields are looked up a dozen times.
        index: dict[str, list[str]] = {}
        for key, value in headers:
            index.setdefault(key.lower(), []).append(value)
        self._index = index
        self._tokens: set[str] | None = None

    def get_all(self, name: str) -> list[str]:
        return self._index.get(name.lower(), [])

    def get(self, name: str) -> str:
        values = self._index.get(name.lower())
        return values[0] if values else ""

    def connection_tokens(self) -> set[str]:
        if self._tokens is None:
            values = self.get_all("connection") + self.get_all("proxy-connection")
            self._tokens = {t.strip().lower() for v in values for t in v.split(",") if t.strip()}
        return self._tokens

    def wants_keep_alive(self) -> bool:
        tokens = self.connection_tokens()
        if self.version == "HTTP/1.1":
            return "close" not in tokens
        return "keep-alive" in tokens


def parse_head(head: bytes) -> _Request:
    """Parse a request head (RFC 9112 2-5); raises BadRequest on anything ambiguous."""
    lines = head.lstrip(b"\r\n")[:-4].split(b"\r\n")
    parts = lines[0].split(b" ")
    if len(parts) != 3 or not _TOKEN.match(parts[0]) or not parts[1]:
        raise BadRequest("malformed request line")
    method, target, version = (p.decode("latin-1") for p in parts)
    headers = []
    for line in lines[1:]:
        if line[:1] in (b" ", b"\t"):
            raise BadRequest("obsolete header line folding")  # RFC 9112 5.2
        name, sep, value = line.partition(b":")
        # No whitespace between name and colon (RFC 9112 5.1): a smuggling vector.
        if not sep or not _TOKEN.match(name):
            raise BadRequest("malformed header field")
        value = value.strip(b" \t")
        if b"\r" in value or b"\n" in value or b"\0" in value:
            raise BadRequest("control character in a header value")
        headers.append((name.decode("ascii"), value.decode("utf-8", "replace")))
    return _Request(method, target, version, headers)


def _authority(url: URL) -> str:
    """host[:port] of an http:// URL for a Host field (the port only when given)."""
    host = url.raw_host or ""
    host = f"[{host}]" if ":" in host else host
    return host if url.explicit_port is None else f"{host}:{url.explicit_port}"


def wants_websocket(request: _Request) -> bool:
    """True for a WebSocket opening handshake (RFC 6455 4.1: GET, Upgrade: websocket)."""
    upgrade = {t.strip().lower() for t in request.get("upgrade").split(",")}
    return (request.method == "GET" and "websocket" in upgrade
            and "upgrade" in request.connection_tokens())


def _simple_response(status: int, body: bytes = b"", *, keep_alive: bool = False,
                     extra: list[tuple[str, str]] = (), content_type: str = "text/plain; "
                     "charset=utf-8") -> bytes:
    lines = [f"HTTP/1.1 {status} {REASONS.get(status, 'Error')}",
             f"Content-Type: {content_type}", f"Content-Length: {len(body)}",
             f"Connection: {'keep-alive' if keep_alive else 'close'}", "Via: 1.1 redline"]
    lines += [f"{k}: {v}" for k, v in extra]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8") + body


# Bodies up to this size are sent from memory, larger ones streamed from the spool file.
IN_MEMORY_BODY = 1024 * 1024
# Content-Length bodies up to this size are read whole before they are spooled.
SMALL_BODY = 64 * 1024
# Origin responses of a stated length up to this are read whole and sent with their head.
SMALL_RESPONSE = 64 * 1024


async def read_small_body(reader: asyncio.StreamReader, length: int, timeout: float) -> bytes:
    """A whole Content-Length body of at most SMALL_BODY bytes; BadRequest when it ends early."""
    if len(getattr(reader, "_buffer", b"")) >= length:
        # Arrived with its head (most forms): read at once, no timer to set and cancel.
        return await reader.readexactly(length)
    try:
        return await within(reader.readexactly(length), timeout)
    except asyncio.IncompleteReadError as exc:
        raise BadRequest(f"connection closed {length - len(exc.partial)} bytes before the end "
                         "of the body") from None


async def _file_chunks(path: Path, size: int) -> AsyncIterator[bytes]:
    """The spooled body in blocks; ends after ``size`` bytes without another read.

    The generator must be finished the moment its last block is out: aiohttp cancels a
    body writer still running when the origin's answer has arrived, and closes that
    connection instead of reusing it (a read or a close awaited after the last block
    lost that race on most small requests).
    """
    f = await asyncio.to_thread(path.open, "rb")
    try:
        remaining = size
        while remaining > 0:
            block = await asyncio.to_thread(f.read, min(FILE_BLOCK, remaining))
            if not block:
                return
            remaining -= len(block)
            yield block
    finally:
        f.close()  # a read-only regular file: closing does not block


class HttpProxy:
    """The forward proxy listener: one asyncio server, one aiohttp client session.

    Lifecycle: ``start(sock=None)``, then ``drain(seconds)`` (or ``stop()``, a drain with
    no grace) on the loop, then ``close()`` once the loop has ended.
    """

    def __init__(self, config: HttpConfig, inspector: UploadInspector,
                 interceptor: Interceptor | None = None) -> None:
        self.config = config
        self.inspector = inspector
        self.interceptor = interceptor
        self.server: asyncio.base_events.Server | None = None
        self.session: aiohttp.ClientSession | None = None
        self.active = 0
        self.open_connections = OpenConnections()
        self._address: tuple[str, int] | None = None
        self.authenticator = ProxyAuthenticator(config, getattr(inspector, "store", None))

    @property
    def address(self) -> tuple[str, int]:
        """The (host, port) it listens on (also after a drain closed the socket)."""
        assert self._address is not None, "start() the proxy first"
        return self._address

    async def start(self, sock: socket.socket | None = None) -> None:
        """Listen on ``sock`` (a bound, listening socket) or else bind ``http.listen``.

        A socket is how ``redline serve`` has every worker accept on the one socket its
        supervisor bound; the proxy closes its use of it when it drains.
        """
        self.session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(
                limit=self.config.max_upstream_connections, ttl_dns_cache=60,
                resolver=GuardedResolver(self.config.internal_destinations)),
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=self.config.connect_timeout,
                                          sock_read=self.config.upstream_timeout),
            auto_decompress=False,  # bodies pass through as the origin encoded them
            skip_auto_headers=("User-Agent", "Accept", "Accept-Encoding", "Content-Type"),
            trust_env=False,
        )
        try:
            if sock is not None:
                self.server = await asyncio.start_server(
                    self._connection, sock=sock, limit=self.config.max_header_bytes,
                    backlog=LISTEN_BACKLOG)
            else:
                host, port = parse_host_port("http.listen", self.config.listen)
                self.server = await asyncio.start_server(
                    self._connection, host, port, limit=self.config.max_header_bytes,
                    backlog=LISTEN_BACKLOG)
        except BaseException:
            await self.session.close()
            raise
        self._address = self.server.sockets[0].getsockname()[:2]

    async def drain(self, seconds: float) -> None:
        """Stop accepting; let requests in progress finish for up to ``seconds``; then stop.

        Idle kept-alive connections are closed at once, a response finished while
        draining says ``Connection: close``, and whatever is still open at the deadline
        is cut. The origin-side session is closed last.
        """
        if self.server is not None:
            self.server.close()
        await self.open_connections.drain(seconds)
        if self.server is not None:
            await self.server.wait_closed()
        if self.session is not None:
            await self.session.close()
        self.authenticator.close()

    async def stop(self) -> None:
        """Stop listening and end open connections now (a drain with no grace)."""
        await self.drain(0)

    def close(self) -> None:
        """Stop listening if no drain did (safe after the loop has ended, and twice)."""
        if self.server is not None:
            self.server.close()
        self.authenticator.close()

    # -- one client connection ----------------------------------------------------------

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if not self.open_connections.opened():
            writer.close()
            return
        peer = writer.get_extra_info("peername") or ("", 0)
        client = str(peer[0])
        try:
            if not in_networks(client, self.config.client_networks):
                log.warning("http refused client=%s: not in http.client_networks", client)
                writer.write(_simple_response(
                    403, b"Redline serves only its configured client networks.\n"))
                await writer.drain()
                return
            first = True
            while await self._request(reader, writer, client, first):
                first = False
        except (ConnectionError, asyncio.IncompleteReadError, TimeoutError):
            pass
        except asyncio.CancelledError:
            pass
        finally:
            self.open_connections.ended()
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _send(self, writer: asyncio.StreamWriter, data: bytes) -> None:
        writer.write(data)
        await within(writer.drain(), self.config.body_timeout)

    async def _request(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                       client: str, first: bool, tunnel: Tunnel | None = None) -> bool:
        """Serve one request; True when the connection stays open for another.

        ``tunnel``: the request arrived inside an intercepted CONNECT (https).
        """
        config = self.config
        try:
            if first:
                head = await within(reader.readuntil(b"\r\n\r\n"), config.header_timeout)
            elif self.open_connections.draining:
                return False
            else:
                head = await self.open_connections.wait_idle(
                    within(reader.readuntil(b"\r\n\r\n"), config.idle_timeout))
        except asyncio.LimitOverrunError:
            await self._send(writer, _simple_response(431, b"request head too long\n"))
            return False
        except (asyncio.IncompleteReadError, TimeoutError):
            return False
        try:
            request = parse_head(head)
        except BadRequest as exc:
            await self._send(writer, _simple_response(400, f"{exc}\n".encode()))
            return False
        if request.version not in ("HTTP/1.1", "HTTP/1.0"):
            await self._send(writer, _simple_response(505, b"HTTP/1.1 or HTTP/1.0 only\n"))
            return False
        if request.method == "CONNECT" and tunnel is None:
            # A tunnel is a connection, not a request in progress: the requests inside an
            # intercepted one count against the cap one by one.
            return await self._serve(reader, writer, client, request)
        if self.active >= config.max_concurrent_requests:
            await self._send(writer, _simple_response(
                503, b"too many requests in progress; try again\n", extra=[("Retry-After", "5")]))
            return False
        self.active += 1
        try:
            return await self._serve(reader, writer, client, request, tunnel)
        finally:
            self.active -= 1

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                     client: str, request: _Request, tunnel: Tunnel | None = None) -> bool:
        config = self.config
        keep_alive = request.wants_keep_alive()
        if tunnel is not None:
            user = tunnel.user
            scheme = "https"
            url = self._tunnel_url(request, tunnel)
            if url is None:
                await self._send(writer, _simple_response(
                    400, b"inside an HTTPS connection send origin-form requests (GET /path)\n"))
                return False
            misdirected = self._misdirected(request, tunnel)
            if misdirected:
                return await self._refuse(writer, request, "misdirected", url, misdirected,
                                          keep_alive, scheme)
        else:
            scheme = "http"
            try:
                user = await self.authenticator.identify(
                    request.get("proxy-authorization"), client)
            except SignInThrottled as exc:
                log.warning("http auth throttled client=%s", client)
                minutes = max(1, round(exc.retry_after / 60))
                await self._send(writer, _simple_response(
                    429, f"too many failed proxy sign-ins for this name or from this address; "
                         f"try again in {minutes} minute(s)\n".encode(), keep_alive=False,
                    extra=[("Retry-After", str(int(exc.retry_after) + 1))]))
                return False
            if user is None:
                log.info("http auth-required client=%s", client)
                await self._send(writer, _simple_response(
                    407, b"proxy authentication required\n", keep_alive=False,
                    extra=[("Proxy-Authenticate", 'Basic realm="Redline", charset="UTF-8"')]))
                return False
            if request.method == "CONNECT":
                await self._tunnel(reader, writer, client, user, request)
                return False
            url = URL(request.target, encoded=True) if "://" in request.target else None
            if url is not None and url.scheme == "ws" and wants_websocket(request):
                url = url.with_scheme("http")  # ws:// names the origin http:// does (RFC 6455 3)
            if url is None or url.scheme != "http" or not url.host:
                await self._send(writer, _simple_response(
                    400, b"Redline is a forward proxy: send absolute-form http:// requests, "
                    b"and CONNECT for https\n"))
                return False
        if not self._literal_allowed(url.host or ""):
            return await self._refuse(writer, request, "internal", url, refusal(url.host or ""),
                                      keep_alive, scheme)
        if wants_websocket(request):
            return await self._websocket(reader, writer, client, user, request, url, tunnel)
        # Body framing (RFC 9112 6): refuse every ambiguous combination outright.
        te = [t.strip().lower() for v in request.get_all("transfer-encoding") for t in v.split(",")]
        lengths = {t.strip() for v in request.get_all("content-length") for t in v.split(",")}
        chunked = False
        length = 0
        if te:
            if lengths or request.version == "HTTP/1.0":
                await self._send(writer, _simple_response(
                    400, b"Transfer-Encoding with Content-Length or HTTP/1.0 is refused\n"))
                return False
            if te != ["chunked"]:
                await self._send(writer, _simple_response(501, b"only chunked transfer coding\n"))
                return False
            chunked = True
        elif lengths:
            if len(lengths) != 1 or not next(iter(lengths)).isdigit():
                await self._send(writer, _simple_response(400, b"bad Content-Length\n"))
                return False
            length = int(next(iter(lengths)))
            if length > config.max_body_bytes:
                await self._send(writer, _simple_response(
                    413, f"body larger than {config.max_body_bytes} bytes\n".encode()))
                return False
        has_body = chunked or length > 0
        if not inspection_needed(request.method, str(url), request.headers, has_body):
            # Nothing to inspect (a page view): no spool directory, straight to the origin.
            return await self._forward(writer, request, url, None, keep_alive, tunnel, user)
        if has_body and request.get("expect").lower() == "100-continue":
            await self._send(writer, b"HTTP/1.1 100 Continue\r\n\r\n")
        small: bytes | None = None
        if has_body and not chunked and length <= SMALL_BODY:
            # A small body (forms, JSON, API calls) is read whole, then spooled in the same
            # thread hop that makes the spool directory: most requests are small, and each
            # hop costs a fraction of a millisecond on a busy machine.
            try:
                small = await read_small_body(reader, length, config.body_timeout)
            except BadRequest as exc:
                await self._send(writer, _simple_response(400, f"{exc}\n".encode()))
                return False
            except TimeoutError:
                await self._send(writer, _simple_response(408, b"body timed out\n"))
                return False
        if small is not None and decodes_in_memory(request.get("content-type"),
                                                   request.get("content-encoding"), len(small)):
            # A form or JSON body: decoded from memory, no spool directory, no thread hop.
            return await self._inspect_and_forward(writer, request, url, client, user, small,
                                                   None, keep_alive, tunnel)
        if not has_body:
            # A query string, a long path or header: nothing to spool.
            return await self._inspect_and_forward(writer, request, url, client, user, None,
                                                   None, keep_alive, tunnel)
        workdir = await asyncio.to_thread(self._new_workdir, small)
        try:
            body_path = workdir / "body"
            cut = None
            if small is None:
                file = await asyncio.to_thread(body_path.open, "wb")
                # A multipart body is cut into its parts while it arrives: the file is
                # ready to scan when the last byte is in, without a pass over the spool.
                cut = multipart_cutter(request.get("content-type"),
                                       request.get("content-encoding"), workdir)
                spool = SpoolWriter(file, config.max_body_bytes, cut)
                try:
                    if chunked:
                        await read_chunked(reader, spool, config.body_timeout)
                    else:
                        await read_exact_body(reader, spool, length, config.body_timeout)
                except BodyTooLarge as exc:
                    await self._send(writer, _simple_response(413, f"{exc}\n".encode()))
                    return False
                except BadRequest as exc:
                    await self._send(writer, _simple_response(400, f"{exc}\n".encode()))
                    return False
                except TimeoutError:
                    await self._send(writer, _simple_response(408, b"body timed out\n"))
                    return False
                finally:
                    await asyncio.to_thread(file.close)
                    if cut is not None:
                        cut.close()  # a part file left open by a body that never ended
            return await self._inspect_and_forward(
                writer, request, url, client, user, body_path, workdir, keep_alive, tunnel,
                forward_body=small, multipart=cut)
        finally:
            # Removed off the loop without holding up this connection's next request.
            asyncio.get_running_loop().run_in_executor(None, remove_workdir, workdir)

    async def _inspect_and_forward(self, writer: asyncio.StreamWriter, request: _Request,
                                   url: URL, client: str, user: str,
                                   body: bytes | Path | None, workdir: Path | None,
                                   keep_alive: bool, tunnel: Tunnel | None, *,
                                   forward_body: bytes | None = None,
                                   multipart: MultipartSplitter | None = None) -> bool:
        """Inspect the request; forward it (``forward_body`` or else ``body``) or block it."""
        outgoing = forward_body if forward_body is not None else body
        if isinstance(body, Path) and self.inspector.only_records(request.headers):
            # A spooled upload; a small body's scan costs less than running it alongside.
            return await self._forward_while_inspecting(
                writer, request, url, client, user, body, workdir, keep_alive, tunnel,
                outgoing, multipart)
        blocked = await self._inspect(writer, request, url, client, user, body, workdir,
                                      keep_alive, "https" if tunnel is not None else "http",
                                      multipart)
        if isinstance(blocked, WholeFile):
            # The last piece of a kept upload: the whole file goes on in its place.
            request = _Request(request.method, request.target, request.version,
                               list(blocked.headers))
            try:
                return await self._forward(writer, request, url, blocked.path, keep_alive,
                                           tunnel, user)
            finally:
                if blocked.workdir is not None:
                    asyncio.get_running_loop().run_in_executor(None, remove_workdir,
                                                               blocked.workdir)
        if blocked is not None:
            return blocked
        return await self._forward(writer, request, url, outgoing, keep_alive, tunnel, user)

    async def _forward_while_inspecting(self, writer: asyncio.StreamWriter, request: _Request,
                                        url: URL, client: str, user: str,
                                        body: bytes | Path | None, workdir: Path | None,
                                        keep_alive: bool, tunnel: Tunnel | None,
                                        outgoing: bytes | Path | None,
                                        multipart: MultipartSplitter | None) -> bool:
        """[policy] mode = monitor: forward at once and inspect meanwhile, then record.

        Nothing can be held or refused in monitor mode (what would be is delivered and
        recorded), so the request need not wait for its scan: an upload takes the longer
        of the scan and the forward, not both. The spool directory stays until the
        inspection has read it (and kept a monitored item's content).
        """
        upload = UploadRequest(method=request.method, url=str(url), headers=request.headers,
                               body=body, client=client, user=user, listener="http",
                               multipart=multipart)
        inspection = asyncio.create_task(self.inspector.inspect(upload, workdir))
        try:
            keep_alive = await self._forward(writer, request, url, outgoing, keep_alive, tunnel,
                                             user)
        except asyncio.CancelledError:
            inspection.cancel()  # a drain's deadline: the connection and its spool go now
            raise
        finally:
            if not inspection.cancelling() and not inspection.cancelled():
                decision = await inspection
                self.inspector.record(upload, decision)
                if decision.action != "pass":  # only a failure to record can say otherwise
                    log.warning("http %s after the request had left (policy mode monitor) "
                                "host=%s id=%s", decision.action, url.host,
                                decision.item_id or decision.request_id)
        return keep_alive

    async def _inspect(self, writer: asyncio.StreamWriter, request: _Request, url: URL,
                       client: str, user: str, body: bytes | Path | None,
                       workdir: Path | None, keep_alive: bool, scheme: str,
                       multipart: MultipartSplitter | None = None) -> bool | WholeFile | None:
        """None when the request passes inspection, a WholeFile when the whole file of an
        upload in pieces goes on in its place; else the block page or Redline's own answer
        for a kept piece is sent and the connection's keep-alive returned."""
        upload = UploadRequest(method=request.method, url=str(url), headers=request.headers,
                               body=body, client=client, user=user, listener="http",
                               multipart=multipart)
        decision = await self.inspector.inspect(upload, workdir)
        self.inspector.record(upload, decision)
        if decision.action == "pass" and decision.answer is not None:
            keep_alive = keep_alive and not self.open_connections.draining
            await self._send(writer, decision.answer.encode(keep_alive=keep_alive))
            return keep_alive
        if decision.action == "pass":
            return decision.whole
        outcome = "error" if decision.error else decision.action
        metrics.http_request(scheme, outcome)
        log.info("http %s scheme=%s host=%s id=%s%s", outcome, scheme, url.host,
                 decision.item_id or decision.request_id,
                 " (websocket handshake)" if wants_websocket(request) else "")
        return await self._block(writer, request, decision, url, keep_alive)

    def _new_workdir(self, body: bytes | None) -> Path:
        """A request's spool directory, with ``body`` written to it when given (blocking)."""
        workdir = self.inspector.new_workdir()
        if body is not None:
            (workdir / "body").write_bytes(body)
        return workdir

    async def _block(self, writer: asyncio.StreamWriter, request: _Request,
                     decision: UploadDecision, url: URL, keep_alive: bool) -> bool:
        keep_alive = keep_alive and not self.open_connections.draining
        page = render_block_page(action="error" if decision.error else decision.action,
                                 verdict=decision.verdict, item_id=decision.item_id,
                                 accept_language=request.get("accept-language"),
                                 host=url.host or "")
        await self._send(writer, _simple_response(page.status, page.body, keep_alive=keep_alive,
                                                  content_type=page.content_type,
                                                  extra=[("Cache-Control", "no-store")]))
        return keep_alive

    async def _refuse(self, writer: asyncio.StreamWriter, request: _Request, action: str,
                      url: URL, detail: str, keep_alive: bool, scheme: str) -> bool:
        """A page for a request whose origin was not contacted (action: certificate, ...)."""
        metrics.http_request(scheme, action)
        log.warning("http %s scheme=%s host=%s: %s", action, scheme, url.host, detail)
        keep_alive = keep_alive and not self.open_connections.draining
        page = render_block_page(action=action, verdict=None,
                                 accept_language=request.get("accept-language"),
                                 host=url.host or "", detail=detail)
        await self._send(writer, _simple_response(page.status, page.body, keep_alive=keep_alive,
                                                  content_type=page.content_type,
                                                  extra=[("Cache-Control", "no-store")]))
        return keep_alive

    def _literal_allowed(self, host: str) -> bool:
        """False for an IP literal the proxy may not reach (names are checked on resolving)."""
        if ":" not in host and not host[-1:].isdigit():
            return True  # a name: an IPv4 literal ends in a digit, an IPv6 one has colons
        try:
            ipaddress.ip_address(host.strip("[]"))
        except ValueError:
            return True
        return destination_allowed(host, host.strip("[]"), self.config.internal_destinations)

    @staticmethod
    def _tunnel_url(request: _Request, tunnel: Tunnel) -> URL | None:
        """The origin URL of a request inside an intercepted tunnel (None: not origin-form)."""
        target = request.target
        if target.startswith("/"):
            return URL(f"https://{tunnel.authority()}{target}", encoded=True)
        if target.lower().startswith("https://"):
            url = URL(target, encoded=True)
            if url.host and url.host.lower() == tunnel.host.lower() and url.port == tunnel.port:
                return URL(f"https://{tunnel.authority()}{url.raw_path_qs}", encoded=True)
        return None

    @staticmethod
    def _misdirected(request: _Request, tunnel: Tunnel) -> str:
        """Why a request may not go to the tunnel's host ("" when it may).

        The tunnel's host is what the policy checked; a Host header or SNI naming another
        site (domain fronting) would send the request somewhere the decision was not about.
        """
        hosts = request.get_all("host")
        if len(hosts) != 1:
            return "a request needs exactly one Host header (RFC 9112 3.2)"
        named = URL(f"https://{hosts[0].strip()}").host if hosts[0].strip() else ""
        expected = tunnel.host.lower().strip("[]")
        if (named or "").lower().rstrip(".") != expected:
            return f"Host {hosts[0][:100]!r} is not the tunnel's host {tunnel.host}"
        if tunnel.server_name and tunnel.server_name.lower().rstrip(".") != expected:
            return f"TLS server name {tunnel.server_name[:100]!r} is not the tunnel's host"
        return ""

    async def _forward(self, writer: asyncio.StreamWriter, request: _Request, url: URL,
                       body: bytes | Path | None, keep_alive: bool,
                       tunnel: Tunnel | None = None, user: str = "") -> bool:
        assert self.session is not None
        scheme = "https" if tunnel is not None else "http"
        dropped = HOP_BY_HOP | request.connection_tokens() | {"host", "expect", "content-length"}
        headers = CIMultiDict((k, v) for k, v in request.headers if k.lower() not in dropped)
        headers.add("Via", f"{request.version[5:]} redline")
        data: bytes | AsyncIterator[bytes] | None = None
        if isinstance(body, bytes):
            headers["Content-Length"] = str(len(body))
            data = body
        elif body is not None:
            size = (await asyncio.to_thread(body.stat)).st_size
            headers["Content-Length"] = str(size)  # the upstream gets a length, not chunks
            data = (await asyncio.to_thread(body.read_bytes) if size <= IN_MEMORY_BODY
                    else _file_chunks(body, size))
        headers_sent = False
        tls: ssl.SSLContext | bool = True
        if tunnel is not None:
            assert self.interceptor is not None
            tls = self.interceptor.upstream_context
        try:
            async with self.session.request(request.method, url, headers=headers, data=data,
                                            allow_redirects=False, ssl=tls) as response:
                # Counted once the origin answers (the request has left), before relaying.
                metrics.http_request(scheme, "pass")
                if request.method == "POST" and 200 <= response.status < 300 and \
                        "Location" in response.headers:
                    # Perhaps an upload session opened (tus, Drive): its pieces follow there.
                    await self.inspector.session_opened(
                        user, str(url), request.headers, body if isinstance(body, bytes)
                        else None, response.headers["Location"])
                upstream_tokens = {t.strip().lower() for v in response.headers.getall(
                    "Connection", []) for t in v.split(",")}
                drop = HOP_BY_HOP | upstream_tokens
                out = [f"HTTP/1.1 {response.status} {response.reason or ''}".rstrip()]
                out += [f"{k.decode('latin-1')}: {v.decode('latin-1')}"
                        for k, v in response.raw_headers if k.decode("latin-1").lower() not in drop
                        and k.lower() != b"content-length"]
                no_body = (request.method == "HEAD" or response.status in (204, 304)
                           or 100 <= response.status < 200)
                chunked_from_upstream = "chunked" in response.headers.get(
                    "Transfer-Encoding", "").lower()
                length = response.headers.get("Content-Length")
                mode = "none"
                if length is not None and not chunked_from_upstream and length.isdigit():
                    out.append(f"Content-Length: {length}")
                    mode = "length"
                if no_body:
                    mode = "none"
                elif mode != "length":
                    if request.version == "HTTP/1.1":
                        out.append("Transfer-Encoding: chunked")
                        mode = "chunked"
                    else:
                        mode = "close"
                        keep_alive = False
                out.append("Via: 1.1 redline")
                # A drain that began during this request: the client must not reuse it.
                keep_alive = keep_alive and not self.open_connections.draining
                out.append(f"Connection: {'keep-alive' if keep_alive else 'close'}")
                head = ("\r\n".join(out) + "\r\n\r\n").encode("latin-1")
                if mode == "length" and int(length) <= SMALL_RESPONSE:
                    # Head and body in one write: one TLS record and one send, not two.
                    headers_sent = True  # a failure from here on closes the connection
                    writer.write(head + await response.read())
                    mode = "none"
                else:
                    writer.write(head)
                    headers_sent = True
                if mode != "none":
                    async for block in response.content.iter_any():
                        if mode == "chunked":
                            writer.write(f"{len(block):x}\r\n".encode() + block + b"\r\n")
                        else:
                            writer.write(block)
                        await within(writer.drain(), self.config.body_timeout)
                    if mode == "chunked":
                        writer.write(b"0\r\n\r\n")
                await within(writer.drain(), self.config.body_timeout)
                log.info("http pass scheme=%s host=%s status=%s", scheme, url.host,
                         response.status)
                return keep_alive
        except aiohttp.ClientConnectorCertificateError as exc:
            # Never a silent pass-through: the user sees why, over the intercepted TLS.
            return await self._refuse(writer, request, "certificate", url,
                                      f"{url.host}: {describe_certificate_error(exc.certificate_error)}",
                                      keep_alive, scheme)
        except aiohttp.ClientConnectorError as exc:
            if isinstance(exc.os_error, DestinationRefused):
                return await self._refuse(writer, request, "internal", url, str(exc.os_error),
                                          keep_alive, scheme)
            status, reason = 502, f"cannot reach {url.host}: {exc.strerror or exc}"
        except aiohttp.ClientOSError as exc:
            status, reason = 502, f"cannot reach {url.host}: {exc.strerror or exc}"
        except (TimeoutError, aiohttp.ServerTimeoutError):
            status, reason = 504, f"{url.host} did not answer in time"
        except aiohttp.ClientError as exc:
            status, reason = 502, f"{url.host} answered badly: {type(exc).__name__}"
        if not headers_sent:
            metrics.http_request(scheme, "upstream_error")
        log.warning("http upstream-error scheme=%s host=%s status=%s", scheme, url.host, status)
        if headers_sent:
            return False  # mid-response: the only honest signal left is closing
        await self._send(writer, _simple_response(status, f"{reason}\n".encode()))
        return False

    # -- CONNECT --------------------------------------------------------------------------

    def connect_allowed(self, host: str, port: int) -> bool:
        """True when http.connect_policy lets a tunnel reach ``host``:``port``."""
        config = self.config
        if port not in config.connect_ports:
            return False
        listed = host_matches(host, config.connect_hosts)
        if config.connect_policy == "allow-all":
            return True
        if config.connect_policy == "deny-list":
            return not listed
        return listed

    async def _tunnel(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                      client: str, user: str, request: _Request) -> None:
        """CONNECT: intercept (CA present), splice (tls_bypass), or refuse what cannot be inspected."""
        config = self.config
        try:
            host, port = parse_host_port("CONNECT", request.target)
        except Exception:
            await self._send(writer, _simple_response(400, b"CONNECT needs host:port\n"))
            return
        host = host.strip("[]")
        if not self.connect_allowed(host, port) or not self._literal_allowed(host):
            metrics.http_connect("refused_policy")
            log.info("http connect-denied client=%s user=%s host=%s port=%s", client, user, host,
                     port)
            await self._send(writer, _simple_response(
                403, f"tunnels to {host}:{port} are not allowed by policy\n".encode()))
            return
        if host_matches(host, config.tls_bypass):
            await self._splice(reader, writer, client, user, host, port, "bypassed")
            return
        if self.interceptor is None:
            if config.uninspected_connect == "tunnel":
                await self._splice(reader, writer, client, user, host, port, "tunnelled")
                return
            metrics.http_connect("refused_no_ca")
            log.warning("http connect-refused client=%s host=%s: no interception CA, and "
                        "http.uninspected_connect = refuse", client, host)
            await self._send(writer, _simple_response(
                403, b"HTTPS through this proxy is inspected, and no interception CA is set up: "
                b"the administrator runs `redline tls ca init` (or sets http.ca_cert/ca_key)\n"))
            return
        await self._intercept(reader, writer, client, user, host, port)

    async def _peek_hello(self, writer: asyncio.StreamWriter, timeout: float) -> bytes:
        """The client's first bytes, left unread in the socket ("" at EOF or timeout).

        The transport is paused, so the ClientHello stays in the kernel buffer for the TLS
        layer, and a duplicate descriptor (unknown to the loop's transport) is watched and
        peeked at. Returns as soon as the bytes decide the question (HELLO_PEEK of them,
        or a first byte that is not a TLS handshake record).
        """
        loop = asyncio.get_running_loop()
        sock = writer.get_extra_info("socket")
        dup = socket.socket(fileno=os.dup(sock.fileno()))
        dup.setblocking(False)
        deadline = time.monotonic() + timeout
        try:
            while True:
                try:
                    data = dup.recv(HELLO_PEEK, socket.MSG_PEEK)
                    if not data or len(data) >= HELLO_PEEK or data[0] != 0x16:
                        return data
                    wait = PEEK_POLL_SECONDS  # a trickle: readable already, look again soon
                except BlockingIOError:
                    wait = None
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return b""
                if wait is not None:
                    await asyncio.sleep(min(wait, remaining))
                    continue
                ready = loop.create_future()
                loop.add_reader(dup.fileno(), _settle, ready)
                try:
                    await asyncio.wait_for(ready, remaining)
                except TimeoutError:
                    return b""
                finally:
                    loop.remove_reader(dup.fileno())
        finally:
            dup.close()

    async def _intercept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                         client: str, user: str, host: str, port: int) -> None:
        """Answer 200, terminate the client's TLS with a minted leaf, serve requests inside."""
        assert self.interceptor is not None
        config = self.config
        transport = writer.transport
        # Bytes a client sent before our 200 would sit in the stream buffer, out of the
        # TLS layer's reach; clients wait for the 200 (RFC 9110 9.3.6), so refuse them.
        if getattr(reader, "_buffer", b""):
            metrics.http_connect("refused_not_tls")
            await self._send(writer, _simple_response(400, b"data sent before the CONNECT "
                                                      b"answer\n"))
            return
        transport.pause_reading()
        await self._send(writer, b"HTTP/1.1 200 Connection established\r\nVia: 1.1 redline\r\n\r\n")
        first = await self._peek_hello(writer, config.tls_handshake_timeout)
        if not looks_like_client_hello(first):
            if first and config.uninspected_connect == "tunnel":
                transport.resume_reading()
                await self._splice(reader, writer, client, user, host, port, "tunnelled",
                                   answered=True)
                return
            metrics.http_connect("refused_not_tls" if first else "handshake_failed")
            log.warning("http connect-refused client=%s host=%s: %s", client, host,
                        "not a TLS ClientHello (http.uninspected_connect = refuse)" if first
                        else "no ClientHello in time")
            return
        names: list[str | None] = []
        context = self.interceptor.client_context(host, names.append)
        try:
            await writer.start_tls(context, ssl_handshake_timeout=config.tls_handshake_timeout)
        except (OSError, ssl.SSLError, TimeoutError) as exc:
            metrics.http_connect("handshake_failed")
            # Typically: the client does not trust the CA (unknown_ca), or it gave up.
            log.warning("http tls-handshake-failed client=%s host=%s: %s", client, host,
                        getattr(exc, "reason", None) or type(exc).__name__)
            return
        metrics.http_connect("intercepted")
        metrics.tls_used("http")
        tunnel = Tunnel(host=host, port=port, user=user,
                        server_name=names[0] if names else None)
        log.info("http connect client=%s user=%s host=%s port=%s intercepted", client, user,
                 host, port)
        first_request = True
        while await self._request(reader, writer, client, first_request, tunnel):
            first_request = False

    async def _websocket(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                         client: str, user: str, request: _Request, url: URL,
                         tunnel: Tunnel | None) -> bool:
        """A WebSocket handshake: refused (http.websockets = refuse), or inspected and passed.

        What a WebSocket carries after the handshake is frames the proxy cannot inspect,
        so by default the upgrade gets a page saying so. With ``pass`` the handshake
        request (URL, query, headers, cookies) is inspected like any request; if it
        passes, it goes to the origin over a connection of its own (verified TLS inside
        an intercepted tunnel) and, once the origin answers 101, bytes are relayed both
        ways until either side closes. The connection is never reused for requests.
        """
        config = self.config
        scheme = "https" if tunnel is not None else "http"
        if config.websockets == "refuse":
            metrics.http_request(scheme, "websocket_refused")
            log.info("http websocket-refused scheme=%s client=%s user=%s host=%s "
                     "(http.websockets = refuse)", scheme, client, user, url.host)
            page = render_block_page(action="websocket", verdict=None,
                                     accept_language=request.get("accept-language"),
                                     host=url.host or "",
                                     detail="WebSocket connections are refused "
                                            "(http.websockets = refuse)")
            await self._send(writer, _simple_response(page.status, page.body,
                                                      content_type=page.content_type,
                                                      extra=[("Cache-Control", "no-store")]))
            return False
        if request.get_all("content-length") or request.get_all("transfer-encoding"):
            await self._send(writer, _simple_response(400, b"a WebSocket handshake has no "
                                                      b"body\n"))
            return False
        if inspection_needed(request.method, str(url), request.headers, False) and \
                await self._inspect(writer, request, url, client, user, None, None, False,
                                    scheme) is not None:
            return False
        host = tunnel.host if tunnel is not None else (url.host or "")
        port = tunnel.port if tunnel is not None else (url.port or 80)
        try:
            up_reader, up_writer = await open_guarded(host, port, config.internal_destinations,
                                                      config.connect_timeout)
        except DestinationRefused as exc:
            return await self._refuse(writer, request, "internal", url, str(exc), False, scheme)
        except (OSError, TimeoutError) as exc:
            metrics.http_request(scheme, "upstream_error")
            await self._send(writer, _simple_response(
                502, f"cannot reach {host}: {getattr(exc, 'strerror', '') or exc}\n".encode()))
            return False
        try:
            if tunnel is not None:
                assert self.interceptor is not None
                await asyncio.wait_for(up_writer.start_tls(
                    self.interceptor.upstream_context, server_hostname=host),
                    config.connect_timeout)
            # The client's handshake as sent, but for the proxy's own fields and Host.
            dropped = {"host", "proxy-authorization", "proxy-connection", "keep-alive"}
            authority = tunnel.authority() if tunnel is not None else _authority(url)
            lines = [f"GET {url.raw_path_qs} HTTP/1.1", f"Host: {authority}"]
            lines += [f"{k}: {v}" for k, v in request.headers if k.lower() not in dropped]
            lines.append(f"Via: {request.version[5:]} redline")
            up_writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace"))
            head = await asyncio.wait_for(up_reader.readuntil(b"\r\n\r\n"),
                                          config.upstream_timeout)
        except ssl.SSLCertVerificationError as exc:
            up_writer.close()
            return await self._refuse(writer, request, "certificate", url,
                                      f"{host}: {describe_certificate_error(exc)}", False, scheme)
        except (OSError, ssl.SSLError, TimeoutError, asyncio.IncompleteReadError,
                asyncio.LimitOverrunError) as exc:
            up_writer.close()
            metrics.http_request(scheme, "upstream_error")
            log.warning("http upstream-error scheme=%s host=%s: websocket handshake: %s",
                        scheme, host, type(exc).__name__)
            await self._send(writer, _simple_response(
                502, f"{host} did not complete the WebSocket handshake\n".encode()))
            return False
        try:
            status = head.split(b" ", 2)[1]
            writer.write(head)
            await asyncio.wait_for(writer.drain(), config.body_timeout)
            if status != b"101":
                # Refused by the origin: its answer (and a body of stated length) goes back.
                metrics.http_request(scheme, "pass")
                found = re.search(rb"\r\ncontent-length:[ \t]*(\d{1,12})[ \t]*\r\n", head.lower())
                if found:
                    body = await asyncio.wait_for(up_reader.readexactly(int(found.group(1))),
                                                  config.body_timeout)
                    writer.write(body)
                    await asyncio.wait_for(writer.drain(), config.body_timeout)
                return False
            metrics.http_request(scheme, "websocket")
            log.info("http websocket scheme=%s client=%s user=%s host=%s (frames not inspected)",
                     scheme, client, user, host)
            # An open WebSocket is a connection, not a request in progress: like a tunnel,
            # it does not hold one of max_concurrent_requests while it lasts.
            self.active -= 1
            try:
                await self._relay(reader, writer, up_reader, up_writer)
            finally:
                self.active += 1
        except (ConnectionError, TimeoutError, asyncio.IncompleteReadError, IndexError):
            pass
        finally:
            up_writer.close()
        return False

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                     up_reader: asyncio.StreamReader, up_writer: asyncio.StreamWriter) -> None:
        """Pass bytes both ways until both sides are done (or idle past tunnel_idle_timeout)."""
        idle = self.config.tunnel_idle_timeout

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            try:
                while data := await within(src.read(SEND_BLOCK), idle):
                    dst.write(data)
                    await within(dst.drain(), idle)
            except (ConnectionError, TimeoutError):
                pass
            finally:
                with contextlib.suppress(Exception):
                    dst.write_eof()

        pipes = [asyncio.create_task(pipe(reader, up_writer)),
                 asyncio.create_task(pipe(up_reader, writer))]
        try:
            await asyncio.gather(*pipes)
        finally:
            for task in pipes:
                task.cancel()

    async def _splice(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                      client: str, user: str, host: str, port: int, outcome: str, *,
                      answered: bool = False) -> None:
        """Pass bytes both ways uninspected (a tls_bypass host, or uninspected_connect = tunnel)."""
        try:
            upstream_reader, upstream_writer = await open_guarded(
                host, port, self.config.internal_destinations, self.config.connect_timeout)
        except DestinationRefused as exc:
            metrics.http_connect("refused_policy")
            if not answered:
                await self._send(writer, _simple_response(403, f"{exc}\n".encode()))
            return
        except (OSError, TimeoutError) as exc:
            metrics.http_connect("unreachable")
            if not answered:
                await self._send(writer, _simple_response(
                    502, f"cannot reach {host}:{port}: {getattr(exc, 'strerror', '') or exc}\n"
                    .encode()))
            return
        metrics.http_connect(outcome)
        # A bypass is the organisation's listed choice; a tunnel of something that could
        # not be inspected is worth a warning each time.
        log.log(logging.INFO if outcome == "bypassed" else logging.WARNING,
                "http connect client=%s user=%s host=%s port=%s %s (not inspected)", client,
                user, host, port, outcome)
        if not answered:
            await self._send(writer,
                             b"HTTP/1.1 200 Connection established\r\nVia: 1.1 redline\r\n\r\n")
        try:
            await self._relay(reader, writer, upstream_reader, upstream_writer)
        finally:
            upstream_writer.close()


async def start_http_proxy(config: HttpConfig, inspector: UploadInspector, *,
                           sock: socket.socket | None = None,
                           interceptor: Interceptor | None = None) -> HttpProxy:
    """Start the forward proxy on ``sock`` or else ``config.listen``.

    Stop it with ``await proxy.drain(seconds)`` (or ``proxy.stop()``), then ``proxy.close()``.
    """
    proxy = HttpProxy(config, inspector, interceptor)
    await proxy.start(sock)
    return proxy
