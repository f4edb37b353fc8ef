"""The ICAP service (RFC 3507): Squid hands Redline each request (REQMOD) and Redline passes or blocks it.

OPTIONS advertises REQMOD, the preview size, ``Allow: 204`` and an ISTag derived from
the rules and policy, so a proxy's cached answers go stale when the rules change. A
REQMOD's encapsulated HTTP request head and chunked body are read (the preview, then
the rest after ``100 Continue``), spooled and inspected like a proxy upload: clean →
``204 No Content`` (or the request echoed when the client did not allow 204); blocked
→ a 403 page encapsulated as the HTTP response. Identity comes from ``X-Client-IP`` and
``X-Authenticated-User``. Any failure to inspect blocks (fail closed).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import hashlib
import logging
import socket
import urllib.parse
from collections.abc import Iterable
from email.utils import formatdate
from pathlib import Path

from gateway.address import parse_host_port
from gateway.web.block_page import render_block_page
from gateway.web.config import IcapConfig, in_networks
from gateway.web.proxy import LISTEN_BACKLOG, OpenConnections, parse_head
from gateway.web.request_bodies import BadRequest, BodyTooLarge, SpoolWriter, read_chunked
from gateway.web.uploads import (
    UploadDecision,
    UploadInspector,
    UploadRequest,
    inspection_needed,
    remove_workdir,
)

log = logging.getLogger("redline.icap")

MAX_ICAP_HEAD = 64 * 1024
MAX_HTTP_HEAD = 64 * 1024
SEND_BLOCK = 256 * 1024
SECTIONS = ("req-hdr", "res-hdr", "req-body", "res-body", "null-body", "opt-body")
STATUS = {100: "Continue", 200: "OK", 204: "No Content", 400: "Bad Request",
          403: "Forbidden", 404: "ICAP Service Not Found", 405: "Method Not Allowed",
          500: "Server Error", 501: "Method Not Implemented", 503: "Service Overloaded",
          505: "ICAP Version Not Supported"}


def compute_istag(rule_paths: Iterable[Path], *settings: object) -> str:
    """An ISTag (RFC 3507 4.7) that changes whenever a rule file or a listed setting changes."""
    digest = hashlib.sha256()
    for root in rule_paths:
        root = Path(root)
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for path in files:
            digest.update(str(path).encode() + b"\0")
            with contextlib.suppress(OSError):
                digest.update(path.read_bytes())
    for setting in settings:
        digest.update(repr(setting).encode() + b"\0")
    return f'"RL-{digest.hexdigest()[:26]}"'  # at most 32 characters inside the quotes


def parse_encapsulated(value: str) -> list[tuple[str, int]]:
    """The (section, offset) list of an Encapsulated header (RFC 3507 4.4.1)."""
    out = []
    for item in value.split(","):
        name, sep, offset = item.strip().partition("=")
        name = name.strip().lower()
        if not sep or name not in SECTIONS or not offset.strip().isdigit():
            raise BadRequest(f"bad Encapsulated header {value[:100]!r}")
        out.append((name, int(offset)))
    offsets = [o for _, o in out]
    if not out or offsets != sorted(offsets) or (offsets[0] != 0 and out[0][0] != "null-body"):
        raise BadRequest(f"bad Encapsulated header {value[:100]!r}")
    return out


class IcapService:
    """The ICAP listener: REQMOD inspection of request bodies through an UploadInspector.

    Lifecycle: ``start(sock=None)``, then ``drain(seconds)`` (or ``stop()``, a drain with
    no grace) on the loop, then ``close()`` once the loop has ended.
    """

    def __init__(self, config: IcapConfig, inspector: UploadInspector, istag: str) -> None:
        self.config = config
        self.inspector = inspector
        self.istag = istag
        self.server: asyncio.base_events.Server | None = None
        self.connections = 0
        self.open_connections = OpenConnections()
        self._address: tuple[str, int] | None = None

    @property
    def address(self) -> tuple[str, int]:
        """The (host, port) it listens on (also after a drain closed the socket)."""
        assert self._address is not None, "start() the ICAP service first"
        return self._address

    async def start(self, sock: socket.socket | None = None) -> None:
        """Listen on ``sock`` (a bound, listening socket) or else bind ``icap.listen``."""
        if sock is not None:
            self.server = await asyncio.start_server(self._connection, sock=sock,
                                                     limit=MAX_ICAP_HEAD, backlog=LISTEN_BACKLOG)
        else:
            host, port = parse_host_port("icap.listen", self.config.listen)
            self.server = await asyncio.start_server(self._connection, host, port,
                                                     limit=MAX_ICAP_HEAD, backlog=LISTEN_BACKLOG)
        self._address = self.server.sockets[0].getsockname()[:2]

    async def drain(self, seconds: float) -> None:
        """Stop accepting; let requests in progress finish for up to ``seconds``; then stop.

        Idle persistent connections (Squid keeps a pool) are closed at once; Squid opens
        a new one to another worker for its next request.
        """
        if self.server is not None:
            self.server.close()
        await self.open_connections.drain(seconds)
        if self.server is not None:
            await self.server.wait_closed()

    async def stop(self) -> None:
        """Stop listening and end open connections now (a drain with no grace)."""
        await self.drain(0)

    def close(self) -> None:
        """Stop listening if no drain did (safe after the loop has ended, and twice)."""
        if self.server is not None:
            self.server.close()

    def _response(self, status: int, headers: Iterable[tuple[str, str]] = (),
                  encapsulated: str = "null-body=0") -> bytes:
        lines = [f"ICAP/1.0 {status} {STATUS.get(status, 'Error')}",
                 f"ISTag: {self.istag}", f"Date: {formatdate(usegmt=True)}",
                 "Server: Redline", *(f"{k}: {v}" for k, v in headers)]
        if status != 100:
            lines.append(f"Encapsulated: {encapsulated}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")

    async def _send(self, writer: asyncio.StreamWriter, data: bytes) -> None:
        writer.write(data)
        await asyncio.wait_for(writer.drain(), self.config.read_timeout)

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if not self.open_connections.opened():
            writer.close()
            return
        self.connections += 1
        peer = writer.get_extra_info("peername") or ("", 0)
        try:
            if not in_networks(str(peer[0]), self.config.client_networks):
                log.warning("icap refused client=%s: not in icap.client_networks", peer[0])
                await self._send(writer, self._response(403, [("Connection", "close")]))
                return
            if self.connections > self.config.max_connections:
                await self._send(writer, self._response(503, [("Connection", "close")]))
                return
            first = True
            while await self._request(reader, writer, first):
                first = False
        except (ConnectionError, asyncio.IncompleteReadError, TimeoutError,
                asyncio.CancelledError):
            pass
        finally:
            self.connections -= 1
            self.open_connections.ended()
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _request(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                       first: bool) -> bool:
        """Serve one ICAP request; True when the connection stays open."""
        try:
            if first:
                head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"),
                                              self.config.idle_timeout)
            elif self.open_connections.draining:
                return False
            else:
                head = await self.open_connections.wait_idle(
                    asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), self.config.idle_timeout))
        except asyncio.LimitOverrunError:
            await self._send(writer, self._response(400, [("Connection", "close")]))
            return False
        except (asyncio.IncompleteReadError, TimeoutError):
            return False
        lines = head.lstrip(b"\r\n")[:-4].decode("utf-8", "replace").split("\r\n")
        parts = lines[0].split(" ")
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, sep, value = line.partition(":")
            if not sep:
                await self._send(writer, self._response(400, [("Connection", "close")]))
                return False
            headers[name.strip().lower()] = value.strip()
        if len(parts) != 3:
            await self._send(writer, self._response(400, [("Connection", "close")]))
            return False
        method, uri, version = parts
        if version != "ICAP/1.0":
            await self._send(writer, self._response(505, [("Connection", "close")]))
            return False
        service = urllib.parse.urlsplit(uri).path.strip("/")
        keep = "close" not in headers.get("connection", "").lower()
        if service != self.config.service:
            await self._send(writer, self._response(404, [("Connection", "close")]))
            return False
        if method == "OPTIONS":
            await self._send(writer, self._response(200, [
                ("Methods", "REQMOD"), ("Service", "Redline data-loss prevention"),
                ("Max-Connections", str(self.config.max_connections)),
                ("Options-TTL", str(self.config.options_ttl)), ("Allow", "204"),
                ("Preview", str(self.config.preview_bytes)), ("Transfer-Preview", "*"),
            ]))
            return keep
        if method != "REQMOD":
            await self._send(writer, self._response(
                405 if method == "RESPMOD" else 501, [("Connection", "close")]))
            return False
        try:
            return await self._reqmod(reader, writer, headers) and keep
        except BadRequest as exc:
            log.warning("icap bad request: %s", exc)
            await self._send(writer, self._response(400, [("Connection", "close")]))
            return False

    def _identity(self, headers: dict[str, str]) -> tuple[str, str]:
        client = headers.get("x-client-ip", "").strip()
        user = headers.get("x-authenticated-user", "").strip()
        if user and self.config.username_base64:
            try:
                user = base64.b64decode(user, validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                user = ""
        # Squid may send a URI form such as Local://alice or WinNT://DOMAIN/alice.
        user = user.rpartition("://")[2].rpartition("/")[2] if "://" in user else user
        return client, user or client

    async def _reqmod(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                      headers: dict[str, str]) -> bool:
        sections = parse_encapsulated(headers.get("encapsulated", ""))
        names = [name for name, _ in sections]
        if names[0] != "req-hdr" or len(sections) != 2 or names[1] not in ("req-body",
                                                                           "null-body"):
            raise BadRequest(f"REQMOD needs req-hdr then req-body or null-body, got {names}")
        length = sections[1][1]
        if length > MAX_HTTP_HEAD:
            raise BadRequest("encapsulated HTTP head too long")
        http_head = await asyncio.wait_for(reader.readexactly(length), self.config.read_timeout)
        if not http_head.endswith(b"\r\n\r\n"):
            raise BadRequest("encapsulated HTTP head does not end with an empty line")
        request = parse_head(http_head)
        has_body = names[1] == "req-body"
        allow_204 = "204" in headers.get("allow", "")
        preview = "preview" in headers
        client, user = self._identity(headers)
        url = request.target
        if "://" not in url:
            url = f"http://{request.get('host')}{url}"
        workdir = await asyncio.to_thread(self.inspector.new_workdir)
        try:
            body: Path | None = None
            if has_body:
                body = workdir / "body"
                file = await asyncio.to_thread(body.open, "wb")
                spool = SpoolWriter(file, self.inspector.max_body_bytes)
                try:
                    ieof = await read_chunked(reader, spool, self.config.read_timeout)
                    if preview and not ieof:
                        # Every byte is needed to inspect: ask for the rest (RFC 3507 4.5).
                        await self._send(writer, self._response(100))
                        await read_chunked(reader, spool, self.config.read_timeout)
                except BodyTooLarge:
                    decision = UploadDecision("reject", error="body larger than allowed")
                    await self._send_block(writer, request, decision, url)
                    return False
                finally:
                    await asyncio.to_thread(file.close)
            upload = UploadRequest(method=request.method, url=url, headers=request.headers,
                                   body=body, client=client, user=user, listener="icap")
            if not inspection_needed(request.method, url, request.headers, body is not None):
                decision = UploadDecision("pass")
            else:
                decision = await self.inspector.inspect(upload, workdir)
                self.inspector.record(upload, decision)
            if decision.action != "pass":
                await self._send_block(writer, request, decision, url)
                return True
            if decision.answer is not None:
                # A kept piece: the client gets the service's own answer from here.
                http = decision.answer.encode(keep_alive=True)
                head, _, answer_body = http.partition(b"\r\n\r\n")
                head += b"\r\n\r\n"
                if answer_body:
                    await self._send(writer, self._response(
                        200, encapsulated=f"res-hdr=0, res-body={len(head)}") + head +
                        f"{len(answer_body):x}\r\n".encode() + answer_body + b"\r\n0\r\n\r\n")
                else:
                    await self._send(writer, self._response(
                        200, encapsulated=f"res-hdr=0, null-body={len(head)}") + head)
                return True
            if decision.whole is not None:
                # The last piece of a kept upload: the whole file goes on in its place.
                lines = [f"{request.method} {request.target} {request.version}",
                         *(f"{k}: {v}" for k, v in decision.whole.headers)]
                whole_head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
                await self._send(writer, self._response(
                    200, encapsulated=f"req-hdr=0, req-body={len(whole_head)}") + whole_head)
                await self._send_chunked_file(writer, decision.whole.path)
                return True
            if allow_204:
                await self._send(writer, self._response(204))
                return True
            # No 204 allowed: hand the request back unmodified.
            encapsulated = (f"req-hdr=0, req-body={len(http_head)}" if body is not None
                            else f"req-hdr=0, null-body={len(http_head)}")
            await self._send(writer, self._response(200, encapsulated=encapsulated) + http_head)
            if body is not None:
                await self._send_chunked_file(writer, body)
            return True
        finally:
            await asyncio.to_thread(remove_workdir, workdir)

    async def _send_chunked_file(self, writer: asyncio.StreamWriter, path: Path) -> None:
        file = await asyncio.to_thread(path.open, "rb")
        try:
            while block := await asyncio.to_thread(file.read, SEND_BLOCK):
                await self._send(writer, f"{len(block):x}\r\n".encode() + block + b"\r\n")
        finally:
            await asyncio.to_thread(file.close)
        await self._send(writer, b"0\r\n\r\n")

    async def _send_block(self, writer: asyncio.StreamWriter, request, decision: UploadDecision,
                          url: str) -> None:
        page = render_block_page(action="error" if decision.error else decision.action,
                                 verdict=decision.verdict, item_id=decision.item_id,
                                 accept_language=request.get("accept-language"),
                                 host=urllib.parse.urlsplit(url).hostname or "")
        http = (f"HTTP/1.1 {page.status} {'Forbidden' if page.status == 403 else 'Service Unavailable'}"
                f"\r\nContent-Type: {page.content_type}\r\nContent-Length: {len(page.body)}\r\n"
                "Cache-Control: no-store\r\nConnection: close\r\n\r\n").encode()
        await self._send(writer, self._response(200, encapsulated=f"res-hdr=0, res-body={len(http)}")
                         + http + f"{len(page.body):x}\r\n".encode() + page.body + b"\r\n0\r\n\r\n")


async def start_icap(config: IcapConfig, inspector: UploadInspector, istag: str, *,
                     sock: socket.socket | None = None) -> IcapService:
    """Start the ICAP service on ``sock`` or else ``config.listen``.

    Stop it with ``await service.drain(seconds)`` (or ``service.stop()``), then
    ``service.close()``.
    """
    service = IcapService(config, inspector, istag)
    await service.start(sock)
    return service


def istag_for(config) -> str:
    """The ISTag for a whole Config: rule files, inline rules, policy, org and sign-up settings."""
    rules = config.section("rules")
    return compute_istag(rules.rule_paths(), rules.custom, rules.disclaimers,
                         config.section("policy"), config.section("limits"),
                         config.section("org").domains, config.section("signup"))
