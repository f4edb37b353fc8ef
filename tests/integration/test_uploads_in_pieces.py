"""Uploads in pieces (Google Drive / OneDrive ``Content-Range``, tus ``Upload-Offset``) through a
real ``redline serve --workers 2``: the pieces are assembled on the node and the piece that
completes the file is decided on the whole file."""

from __future__ import annotations

import base64
import http.client
import io
import itertools
import json
import os
import re
import socket
import threading
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import docx
import pytest
from integration.serve_harness import ServeProcess, server_pid_of
from integration.smtp_harness import free_port

from quarantine.sqlite_store import SqliteStore
from quarantine.store import Decision

FILLER = "The picnic committee met on Tuesday and agreed on sandwiches and lemonade.\n"


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class PieceOrigin:
    """An origin that accepts pieces by PUT, PATCH and POST and records each one."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        origin = self

        class Handler(BaseHTTPRequestHandler):
            def _take(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                origin.received.append(Received(self.command, self.path, dict(self.headers),
                                                self.rfile.read(length)))
                if self.path.startswith("/create/"):
                    # Opens an upload session: tus answers a relative Location, Drive a URL.
                    session = self.path.removeprefix("/create/")
                    self.send_response(201 if "Tus-Resumable" in self.headers else 200)
                    self.send_header("Location", f"/files/{session}" if "Tus-Resumable"
                                     in self.headers else
                                     f"http://127.0.0.1:{origin.port}/drive?upload_id={session}")
                else:
                    self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            do_PUT = do_PATCH = do_POST = _take

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def assembled(self, path: str) -> bytes:
        """The file the origin put together from the pieces it received on ``path``."""
        pieces: dict[int, bytes] = {}
        for seen in self.received:
            if seen.path != path:
                continue
            if "Content-Range" in seen.headers:
                start = int(seen.headers["Content-Range"].split()[1].split("-")[0])
            else:
                start = int(seen.headers["Upload-Offset"])
            pieces[start] = seen.body
        return b"".join(pieces[k] for k in sorted(pieces))

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Gateway(ServeProcess):
    """``redline serve --workers 2`` with the proxy and ICAP."""

    def __init__(self, tmp: Path) -> None:
        self.http_port = free_port()
        self.icap_port = free_port()
        self.metrics_port = free_port()
        config = tmp / "redline.toml"
        config.write_text('[quarantine]\nfour_eyes_severity = "off"\n'
                          '[http]\ninternal_destinations = ["127.0.0.0/8"]\n'
                          # The test origins stand for cloud services: 127.0.0.1 is listed
                          # (Google sessions by their upload_id), 127.0.0.2 as a Microsoft
                          # Graph service; the same origin reached as localhost is not.
                          'piece_services = ["127.0.0.1", "127.0.0.2=graph"]\n',
                          encoding="utf-8")
        super().__init__(tmp / "data", [
            "--config", str(config), "--smtp", "off", "--ui", "off",
            "--metrics", f"127.0.0.1:{self.metrics_port}",
            "--http", f"127.0.0.1:{self.http_port}", "--icap", f"127.0.0.1:{self.icap_port}",
            "--workers", "2"], ready_seconds=120)

    def release(self, item_id: str) -> None:
        store = SqliteStore(self.data / "quarantine.sqlite")
        try:
            now = datetime.now(UTC)
            store.record_decision(item_id, Decision("release", "olga", now), "released",
                                  expect_status=["pending"],
                                  allow_upload_until=now + timedelta(minutes=30))
        finally:
            store.close()

    def item(self, item_id: str):
        store = SqliteStore(self.data / "quarantine.sqlite")
        try:
            return store.get(item_id), store.content(item_id)
        finally:
            store.close()


@pytest.fixture(scope="module")
def gateway(tmp_path_factory):
    origin = PieceOrigin()
    served = Gateway(tmp_path_factory.mktemp("ranged"))
    served.origin = origin
    yield served
    served.stop()
    origin.stop()


def connect(gateway: Gateway) -> http.client.HTTPConnection:
    connection = http.client.HTTPConnection("127.0.0.1", gateway.http_port, timeout=60)
    connection.connect()
    return connection


def send_piece(gateway: Gateway, path: str, data: bytes, start: int, total: int | str, *,
               method: str = "PUT", connection: http.client.HTTPConnection | None = None,
               headers: dict[str, str] | None = None,
               host: str = "127.0.0.1") -> tuple[int, str]:
    """One piece through the proxy, on ``connection`` or a connection of its own."""
    own = connection is None
    connection = connection or connect(gateway)
    try:
        sent = {"Content-Type": "application/octet-stream",
                "Content-Range": f"bytes {start}-{start + len(data) - 1}/{total}"}
        sent.update(headers or {})
        connection.request(method, f"http://{host}:{gateway.origin.port}{path}", body=data,
                           headers=sent)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        if own:
            connection.close()


def split(data: bytes, *cuts: int) -> list[tuple[int, bytes]]:
    edges = [0, *cuts, len(data)]
    return [(a, data[a:b]) for a, b in itertools.pairwise(edges)]


def thirds(data: bytes) -> list[tuple[int, bytes]]:
    return split(data, len(data) // 3, 2 * len(data) // 3)


def make_docx(banner: str = "") -> bytes:
    document = docx.Document()
    if banner:
        document.sections[0].header.paragraphs[0].text = banner
    for _ in range(40):
        document.add_paragraph(FILLER)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def item_id_in(page: str) -> str:
    found = re.search(r"Q-[0-9A-Z]{4}-[0-9A-Z]{4}", page)
    assert found, page[:500]
    return found.group(0)


def test_marking_split_between_two_pieces_is_held_on_the_last_piece(gateway):
    # A listed host whose session Redline cannot answer for (no upload_id: not Google's
    # protocol): each piece before the last is judged alone and goes on when readable.
    text = (FILLER * 50 + "TOP SECRET\n" + FILLER * 50).encode()
    cut = text.index(b"TOP SECRET") + len("TOP SE")  # no piece holds the whole marking
    first, last = split(text, cut)
    assert send_piece(gateway, "/drive/split-text", first[1], 0, "*")[0] == 200
    status, page = send_piece(gateway, "/drive/split-text", last[1], last[0], len(text))
    assert status == 403, page
    assert [r.body for r in gateway.origin.received if r.path == "/drive/split-text"] == \
        [first[1]]
    item, content = gateway.item(item_id_in(page))
    assert content == text  # the officer sees the whole file, not the last piece
    assert any(h.category == "classification" for h in item.hits)


def test_clean_docx_in_three_pieces_arrives_byte_for_byte(gateway):
    document = make_docx()
    path = "/drive?upload_id=clean"
    statuses = [send_piece(gateway, path, data, start, len(document))[0]
                for start, data in thirds(document)]
    assert statuses == [308, 308, 200]
    # Kept until the whole file was judged, then sent on as one piece.
    (sent,) = [r for r in gateway.origin.received if r.path == path]
    assert sent.headers["Content-Range"] == f"bytes 0-{len(document) - 1}/{len(document)}"
    assert gateway.origin.assembled(path) == document


def test_marked_docx_in_pieces_is_held_on_the_last_and_passes_after_release(gateway):
    document = make_docx("TOP SECRET//NOFORN")
    (a, first), (b, middle), (c, last) = thirds(document)
    path = "/drive/session-7?upload_id=xyz"
    assert send_piece(gateway, path, first, a, len(document))[0] == 308
    assert send_piece(gateway, path, middle, b, len(document))[0] == 308
    status, page = send_piece(gateway, path, last, c, len(document),
                              headers={"Content-Disposition": 'attachment; filename="plan.docx"'})
    assert status == 403, page
    assert not [r for r in gateway.origin.received if r.path == path]  # no part of it left
    item_id = item_id_in(page)
    item, content = gateway.item(item_id)
    assert content == document
    assert any(h.category == "classification" and "plan.docx" in h.where for h in item.hits)
    gateway.release(item_id)
    status, page = send_piece(gateway, path, last, c, len(document))
    assert status == 200, page
    assert gateway.origin.assembled(path) == document


def test_last_piece_without_the_first_is_held_as_unseen(gateway):
    document = make_docx()
    (_, _first), (b, middle), (c, last) = thirds(document)
    assert send_piece(gateway, "/drive?upload_id=partial", middle, b, len(document))[0] == 308
    status, page = send_piece(gateway, "/drive?upload_id=partial", last, c, len(document))
    assert status == 403, page
    item, _ = gateway.item(item_id_in(page))
    (hit,) = [h for h in item.hits if h.rule == "upload.pieces_unseen"]
    assert f"bytes 0-{b - 1}" in hit.excerpt


def test_pieces_on_two_workers_still_assemble(gateway):
    workers = gateway.workers()
    assert len(workers) == 2
    # Keep connections open until each worker holds one (the kernel spreads them).
    by_worker: dict[int, http.client.HTTPConnection] = {}
    spare = []
    for _ in range(40):
        connection = connect(gateway)
        pid = server_pid_of(connection.sock, workers)
        if pid in by_worker:
            spare.append(connection)
        else:
            by_worker[pid] = connection
        if len(by_worker) == 2:
            break
    assert len(by_worker) == 2, "forty connections all landed on one worker"
    one, two = by_worker.values()
    text = (FILLER * 80 + "SECRET//NOFORN\n" + FILLER * 80).encode()
    cut = text.index(b"SECRET//NOFORN") + 3
    (a, first), (b, last) = split(text, cut)
    try:
        assert send_piece(gateway, "/drive/two-workers", first, a, len(text), connection=one,
                          method="PATCH")[0] == 200
        status, page = send_piece(gateway, "/drive/two-workers", last, b, len(text),
                                  connection=two, method="PATCH")
        assert status == 403, page
        clean = make_docx()
        (a, p1), (b, p2), (c, p3) = thirds(clean)
        path = "/drive?upload_id=two-workers"
        statuses = [send_piece(gateway, path, data, start, len(clean), connection=connection)[0]
                    for connection, start, data in ((two, a, p1), (one, b, p2), (two, c, p3))]
        assert statuses == [308, 308, 200]
        assert gateway.origin.assembled(path) == clean
    finally:
        for connection in [*by_worker.values(), *spare]:
            connection.close()


def test_tus_patches_with_a_split_marking_are_held(gateway):
    text = (FILLER * 30 + "TOP SECRET\n" + FILLER * 30).encode()
    cut = text.index(b"TOP SECRET") + 6
    (a, first), (b, last) = split(text, cut)
    headers = {"Tus-Resumable": "1.0.0", "Content-Type": "application/offset+octet-stream",
               "Upload-Length": str(len(text)),
               "Upload-Metadata": "filename " + base64.b64encode(b"notes.txt").decode()}
    for start, data, expected in ((a, first, 204), (b, last, 403)):
        connection = connect(gateway)
        try:
            connection.request("PATCH", f"http://127.0.0.1:{gateway.origin.port}/files/t1",
                               body=data, headers={**headers, "Upload-Offset": str(start)})
            assert connection.getresponse().status == expected
        finally:
            connection.close()


def test_icap_last_piece_of_a_split_marking_is_held(gateway):
    text = (FILLER * 20 + "TOP SECRET\n" + FILLER * 20).encode()
    cut = text.index(b"TOP SECRET") + 6
    answers = []
    for start, data in split(text, cut):
        head = (f"PUT http://files.example.net/upload/icap-session HTTP/1.1\r\n"
                f"Host: files.example.net\r\nContent-Type: text/plain\r\n"
                f"Content-Range: bytes {start}-{start + len(data) - 1}/{len(text)}\r\n"
                f"Content-Length: {len(data)}\r\n\r\n").encode()
        request = (f"REQMOD icap://127.0.0.1:{gateway.icap_port}/reqmod ICAP/1.0\r\n"
                   f"Host: 127.0.0.1\r\nAllow: 204\r\nX-Client-IP: 10.1.2.3\r\n"
                   f"Encapsulated: req-hdr=0, req-body={len(head)}\r\n\r\n").encode()
        request += head + f"{len(data):x}\r\n".encode() + data + b"\r\n0\r\n\r\n"
        with socket.create_connection(("127.0.0.1", gateway.icap_port), timeout=60) as sock:
            sock.sendall(request)
            reply = b""
            while b"\r\n\r\n" not in reply:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                reply += chunk
        answers.append(reply.split(b"\r\n", 1)[0].decode())
    assert answers[0].startswith("ICAP/1.0 204")
    assert answers[1].startswith("ICAP/1.0 200"), answers


def patch(gateway: Gateway, path: str, data: bytes, offset: int) -> int:
    """One tus PATCH (no Upload-Length: the creation announced it) through the proxy."""
    connection = connect(gateway)
    try:
        connection.request("PATCH", f"http://127.0.0.1:{gateway.origin.port}{path}", body=data,
                           headers={"Tus-Resumable": "1.0.0", "Upload-Offset": str(offset),
                                    "Content-Type": "application/offset+octet-stream"})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def open_session(gateway: Gateway, name: str, headers: dict[str, str], body: bytes = b"") -> None:
    connection = connect(gateway)
    try:
        connection.request("POST", f"http://127.0.0.1:{gateway.origin.port}/create/{name}",
                           body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        assert response.status in (200, 201)
    finally:
        connection.close()


def test_tus_length_announced_at_creation_lets_the_last_patch_be_recognised(gateway):
    text = (FILLER * 30 + "TOP SECRET\n" + FILLER * 30).encode()
    cut = text.index(b"TOP SECRET") + 6
    (a, first), (b, last) = split(text, cut)
    open_session(gateway, "t2", {"Tus-Resumable": "1.0.0", "Upload-Length": str(len(text)),
                                 "Upload-Metadata": "filename " +
                                 base64.b64encode(b"minutes.txt").decode()})
    assert patch(gateway, "/files/t2", first, a) == 204  # kept, answered by Redline
    assert patch(gateway, "/files/t2", last, b) == 403
    assert not [r for r in gateway.origin.received if r.path == "/files/t2"]
    # Without the creation, the same pieces are judged one by one (nothing to hold here:
    # fail closed only bites on fragments that cannot be read).
    assert patch(gateway, "/files/never-announced", first, a) == 200


def test_drive_session_name_from_the_creating_request_names_the_held_file(gateway):
    document = make_docx("SECRET//NOFORN")
    open_session(gateway, "g1", {"X-Upload-Content-Length": str(len(document)),
                                 "X-Upload-Content-Type": "application/octet-stream",
                                 "Content-Type": "application/json; charset=UTF-8"},
                 json.dumps({"name": "budget.docx"}).encode())
    pieces = thirds(document)
    statuses = [send_piece(gateway, "/drive?upload_id=g1", data, start, len(document))
                for start, data in pieces]
    assert [s for s, _ in statuses] == [308, 308, 403], statuses
    item, content = gateway.item(item_id_in(statuses[-1][1]))
    assert content == document
    assert any("budget.docx" in h.where for h in item.hits if h.category == "classification")


def test_a_blob_labelled_as_a_first_piece_to_an_unlisted_host_is_still_held(gateway):
    # An insider labels random (encrypted-looking) bytes "piece 1 of 2" and never sends
    # piece 2: nothing goes on before the whole file is judged.
    blob = os.urandom(40_000)
    status, page = send_piece(gateway, "/anywhere/blob", blob[:20_000], 0, len(blob),
                              host="localhost")
    assert status == 403, page
    assert not [r for r in gateway.origin.received if r.path == "/anywhere/blob"]
    # A listed host whose protocol Redline cannot answer for: held alike (fail closed).
    status, page = send_piece(gateway, "/drive/blob", blob[:20_000], 0, len(blob))
    assert status == 403, page
    # A session Redline answers for keeps the first piece; the whole blob is held at its end.
    path = "/drive?upload_id=blob"
    assert send_piece(gateway, path, blob[:20_000], 0, len(blob))[0] == 308
    status, page = send_piece(gateway, path, blob[20_000:], 20_000, len(blob))
    assert status == 403, page
    assert not [r for r in gateway.origin.received if r.path in (path, "/drive/blob")]
    item, content = gateway.item(item_id_in(page))
    assert content == blob and any(h.category == "policy" for h in item.hits)


def test_a_marking_split_between_pieces_to_an_unlisted_host_is_held_too(gateway):
    text = (FILLER * 40 + "TOP SECRET\n" + FILLER * 40).encode()
    (a, first), (b, last) = split(text, text.index(b"TOP SECRET") + 6)
    assert send_piece(gateway, "/tus-like/split", first, a, len(text), host="localhost")[0] == 200
    status, page = send_piece(gateway, "/tus-like/split", last, b, len(text), host="localhost")
    assert status == 403, page


def test_a_piece_whose_range_does_not_fit_its_body_is_refused_with_the_reason(gateway):
    # Claiming 10 bytes while sending 2000 would let the rest hide from the assembled file.
    status, page = send_piece(gateway, "/drive/liar", b"x" * 2000, 0, 5000,
                              headers={"Content-Range": "bytes 0-9/5000"})
    assert status == 403, page
    assert "upload:pieces" in page and "its range does not fit its body" in page
    assert not [r for r in gateway.origin.received if r.path == "/drive/liar"]


def test_pieces_are_counted_by_outcome(gateway):
    def count(outcome: str) -> float:
        text = urllib.request.urlopen(f"http://127.0.0.1:{gateway.metrics_port}/metrics",
                                      timeout=10).read().decode()
        found = re.search(rf'^redline_upload_pieces_total{{outcome="{outcome}"}} (\S+)$',
                          text, re.MULTILINE)
        return float(found.group(1)) if found else 0.0

    before = {o: count(o) for o in ("forwarded", "completed", "unseen")}
    text = (FILLER * 10).encode()
    (a, first), (b, middle), (c, last) = thirds(text)
    for start, data in ((a, first), (b, middle), (c, last)):
        assert send_piece(gateway, "/drive/counted", data, start, len(text))[0] == 200
    assert send_piece(gateway, "/drive/counted-gap", last, c, len(text))[0] == 403
    assert count("forwarded") == before["forwarded"] + 2
    assert count("completed") == before["completed"] + 1
    assert count("unseen") == before["unseen"] + 1


# -- a service speaking the real protocols (Google resumable, Graph sessions, tus) ---------


class ServiceOrigin:
    """An aiohttp origin implementing enough of Google's resumable uploads, Microsoft Graph
    upload sessions and tus 1.0 to refuse what those services refuse: a piece that does not
    start where the session's bytes end is not stored. Google and tus listen on 127.0.0.1,
    Graph on 127.0.0.2 (listed as ``127.0.0.2=graph``), both on one port."""

    GRAPH_MAX_REQUEST = 60 * 1024 * 1024

    def __init__(self) -> None:
        import asyncio

        from aiohttp import web

        self.stored: dict[str, bytearray] = {}
        self.totals: dict[str, int | None] = {}
        self.requests: list[tuple[str, str, int]] = []  # method, session, body bytes
        self.port = free_port()
        self.loop = asyncio.new_event_loop()
        app = web.Application(client_max_size=self.GRAPH_MAX_REQUEST * 2)
        app.router.add_post("/upload/drive/v3/files", self.google_open)
        app.router.add_put("/upload/drive/v3/files", self.google_piece)
        app.router.add_post("/v1.0/me/drive/root:/{name}:/createUploadSession", self.graph_open)
        app.router.add_put("/up/{session}", self.graph_piece)
        app.router.add_post("/files/", self.tus_open)
        app.router.add_patch("/files/{session}", self.tus_piece)
        self.runner = web.AppRunner(app, access_log=None)
        started = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(self.loop)
            self.loop.run_until_complete(self.runner.setup())
            for host in ("127.0.0.1", "127.0.0.2"):
                self.loop.run_until_complete(web.TCPSite(self.runner, host, self.port).start())
            started.set()
            self.loop.run_forever()

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        assert started.wait(30)

    def _new(self, total: int | None) -> str:
        session = os.urandom(8).hex()
        self.stored[session] = bytearray()
        self.totals[session] = total
        return session

    def received(self, session: str) -> int:
        """Bytes of the session's file the service stored."""
        return len(self.stored.get(session, b""))

    async def _append(self, request, session: str, start: int) -> bool:
        body = await request.read()
        self.requests.append((request.method, session, len(body)))
        if session not in self.stored or start != len(self.stored[session]):
            return False
        self.stored[session] += body
        return True

    # Google: POST ?uploadType=resumable opens, PUT Content-Range pieces, 308 until whole.
    async def google_open(self, request):
        from aiohttp import web
        session = self._new(int(request.headers.get("X-Upload-Content-Length", "0")) or None)
        return web.Response(headers={"Location": f"http://127.0.0.1:{self.port}/upload/drive/"
                                     f"v3/files?uploadType=resumable&upload_id={session}"})

    async def google_piece(self, request):
        from aiohttp import web
        session = request.query["upload_id"]
        found = re.match(r"bytes (\d+)-(\d+)/(\d+|\*)", request.headers.get("Content-Range", ""))
        if not found or not await self._append(request, session, int(found.group(1))):
            return web.Response(status=400, text="Invalid request. Content-Range mismatch.")
        if found.group(3) != "*":
            self.totals[session] = int(found.group(3))
        done = len(self.stored[session])
        if done == self.totals[session]:
            return web.json_response({"kind": "drive#file", "id": f"file-{session}",
                                      "name": "report.docx", "size": str(done)})
        return web.Response(status=308, headers={"Range": f"bytes=0-{done - 1}"})

    # Graph: POST createUploadSession, PUT pieces (each under 60 MiB), 202 until whole.
    async def graph_open(self, request):
        from aiohttp import web
        session = self._new(None)
        return web.json_response({"uploadUrl": f"http://127.0.0.2:{self.port}/up/{session}",
                                  "expirationDateTime": "2030-01-01T00:00:00Z",
                                  "nextExpectedRanges": ["0-"]})

    async def graph_piece(self, request):
        from aiohttp import web
        session = request.match_info["session"]
        found = re.match(r"bytes (\d+)-(\d+)/(\d+)$", request.headers.get("Content-Range", ""))
        if int(request.headers.get("Content-Length", "0")) >= self.GRAPH_MAX_REQUEST:
            return web.Response(status=413)
        if not found or not await self._append(request, session, int(found.group(1))):
            return web.json_response({"error": {"code": "invalidRange"}}, status=416)
        self.totals[session] = int(found.group(3))
        done = len(self.stored[session])
        if done == self.totals[session]:
            return web.json_response({"id": f"item-{session}", "name": "report.docx",
                                      "size": done, "file": {}}, status=201)
        return web.json_response({"expirationDateTime": "2030-01-01T00:00:00Z",
                                  "nextExpectedRanges": [f"{done}-"]}, status=202)

    # tus: POST /files/ with Upload-Length opens, PATCH at the current Upload-Offset.
    async def tus_open(self, request):
        from aiohttp import web
        session = self._new(int(request.headers["Upload-Length"]))
        return web.Response(status=201, headers={"Location": f"/files/{session}",
                                                 "Tus-Resumable": "1.0.0"})

    async def tus_piece(self, request):
        from aiohttp import web
        session = request.match_info["session"]
        if request.headers.get("Tus-Resumable") != "1.0.0":
            return web.Response(status=412)
        if not await self._append(request, session, int(request.headers["Upload-Offset"])):
            return web.Response(status=409, headers={"Tus-Resumable": "1.0.0"})
        return web.Response(status=204, headers={"Tus-Resumable": "1.0.0",
                                                 "Upload-Offset": str(len(self.stored[session]))})

    def stop(self) -> None:
        import asyncio
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(30)


@pytest.fixture(scope="module")
def service():
    origin = ServiceOrigin()
    yield origin
    origin.stop()


async def _through_proxy(gateway: Gateway, steps):
    """Run ``steps(session, proxy)`` with an aiohttp client using Redline as its proxy."""
    import aiohttp
    async with aiohttp.ClientSession() as session:
        return await steps(session, f"http://127.0.0.1:{gateway.http_port}")


def google_upload(gateway: Gateway, service: ServiceOrigin, document: bytes, *,
                  pieces: list[tuple[int, bytes]] | None = None):
    """Open a Drive resumable session and send ``pieces`` through the proxy (aiohttp): the
    session id and each piece's (status, headers, body)."""
    import asyncio

    async def steps(client, proxy):
        async with client.post(f"http://127.0.0.1:{service.port}/upload/drive/v3/files"
                               "?uploadType=resumable", proxy=proxy,
                               json={"name": "report.docx"},
                               headers={"X-Upload-Content-Length": str(len(document))}) as opened:
            assert opened.status == 200
            url = opened.headers["Location"]
        answers = []
        for start, data in pieces or thirds(document):
            end = start + len(data) - 1
            async with client.put(url, data=data, proxy=proxy, headers={
                    "Content-Range": f"bytes {start}-{end}/{len(document)}"}) as response:
                answers.append((response.status, dict(response.headers), await response.read()))
        return url.rsplit("=", 1)[1], url, answers

    return asyncio.run(_through_proxy(gateway, steps))


def test_google_clean_docx_in_three_pieces_is_answered_by_redline_then_arrives_whole(
        gateway, service):
    document = make_docx()
    (_, _), (b, _), (c, _) = thirds(document)
    session, _, answers = google_upload(gateway, service, document)
    # The service's own answers to accepted pieces, given by Redline: nothing left yet.
    assert [s for s, _, _ in answers] == [308, 308, 200]
    assert answers[0][1]["Range"] == f"bytes=0-{b - 1}"
    assert answers[1][1]["Range"] == f"bytes=0-{c - 1}"
    assert bytes(service.stored[session]) == document
    # One request carried the whole file; its answer (the Drive file) reached the client.
    assert [n for m, s, n in service.requests if s == session and m == "PUT"] == [len(document)]
    assert json.loads(answers[2][2]) == {"kind": "drive#file", "id": f"file-{session}",
                                         "name": "report.docx", "size": str(len(document))}


def test_google_secret_docx_reaches_the_service_in_no_part_and_passes_after_release(
        gateway, service):
    import asyncio

    document = make_docx("SECRET//NOFORN")
    session, url, answers = google_upload(gateway, service, document)
    assert [s for s, _, _ in answers] == [308, 308, 403]
    assert service.received(session) == 0
    assert not [r for r in service.requests if r[1] == session and r[0] == "PUT"]
    item_id = item_id_in(answers[2][2].decode())
    item, content = gateway.item(item_id)
    assert content == document and any(h.category == "classification" for h in item.hits)
    gateway.release(item_id)
    c, last = thirds(document)[2]

    async def retry(client, proxy):
        async with client.put(url, data=last, proxy=proxy, headers={
                "Content-Range": f"bytes {c}-{len(document) - 1}/{len(document)}"}) as response:
            return response.status, await response.json()

    status, answer = asyncio.run(_through_proxy(gateway, retry))
    assert status == 200 and answer["id"] == f"file-{session}"
    assert bytes(service.stored[session]) == document


def curl(*args: str) -> tuple[int, str]:
    """Run curl; the HTTP status and the body it printed."""
    import subprocess
    done = subprocess.run(["curl", "-sS", "-o", "-", "-w", "\n%{http_code}", *args],
                          capture_output=True, timeout=120, check=True)
    body, _, status = done.stdout.decode("utf-8", "replace").rpartition("\n")
    return int(status), body


def graph_pieces(gateway: Gateway | None, service: ServiceOrigin, document: bytes,
                 pieces: list[tuple[int, bytes]], tmp: Path) -> tuple[str, list[tuple[int, str]]]:
    """A Graph upload session (opened through the proxy) and ``pieces`` PUT with curl, through
    the proxy when ``gateway`` is given, straight to the service when it is None."""
    proxy = ["-x", f"http://127.0.0.1:{gateway.http_port}"] if gateway else ["--noproxy", "*"]
    opener = gateway or graph_pieces.gateway
    status, body = curl("-x", f"http://127.0.0.1:{opener.http_port}", "-X", "POST",
                        "-H", "Content-Type: application/json", "--data", "{}",
                        f"http://127.0.0.2:{service.port}/v1.0/me/drive/root:/report.docx:"
                        "/createUploadSession")
    assert status == 200, body
    upload_url = json.loads(body)["uploadUrl"]
    answers = []
    for n, (start, data) in enumerate(pieces):
        piece = tmp / f"piece-{n}"
        piece.write_bytes(data)
        answers.append(curl(*proxy, "-X", "PUT", "--data-binary", f"@{piece}",
                            "-H", f"Content-Range: bytes {start}-{start + len(data) - 1}/"
                            f"{len(document)}", upload_url))
    return upload_url.rsplit("/", 1)[1], answers


def test_graph_clean_docx_in_three_pieces_with_curl(gateway, service, tmp_path):
    graph_pieces.gateway = gateway
    document = make_docx()
    (_, _), (b, _), (c, _) = pieces = thirds(document)
    session, answers = graph_pieces(gateway, service, document, pieces, tmp_path)
    assert [s for s, _ in answers] == [202, 202, 201], answers
    assert json.loads(answers[0][1])["nextExpectedRanges"] == [f"{b}-"]
    assert json.loads(answers[1][1])["nextExpectedRanges"] == [f"{c}-"]
    assert "expirationDateTime" in json.loads(answers[0][1])
    assert json.loads(answers[2][1]) == {"id": f"item-{session}", "name": "report.docx",
                                         "size": len(document), "file": {}}
    assert bytes(service.stored[session]) == document


def test_graph_secret_docx_finished_from_home_leaves_the_service_empty(gateway, service,
                                                                      tmp_path):
    graph_pieces.gateway = gateway
    document = make_docx("TOP SECRET//NOFORN")
    pieces = thirds(document)
    # Pieces 1 and 2 through Redline (answered 202 by it), the last from home.
    session, answers = graph_pieces(gateway, service, document, pieces[:2], tmp_path)
    assert [s for s, _ in answers] == [202, 202]
    assert service.received(session) == 0
    start, last = pieces[2]
    home = tmp_path / "home"
    home.write_bytes(last)
    status, _ = curl("--noproxy", "*", "-X", "PUT", "--data-binary", f"@{home}", "-H",
                     f"Content-Range: bytes {start}-{len(document) - 1}/{len(document)}",
                     f"http://127.0.0.2:{service.port}/up/{session}")
    assert status == 416  # the service never got bytes 0..start-1: no file exists
    assert service.received(session) == 0


def test_tus_secret_docx_finished_from_home_and_a_clean_one_through_redline(gateway, service):
    import asyncio

    secret, clean = make_docx("SECRET//NOFORN"), make_docx()
    tus = {"Tus-Resumable": "1.0.0", "Content-Type": "application/offset+octet-stream"}

    async def upload(client, proxy, document, through):
        async with client.post(f"http://127.0.0.1:{service.port}/files/", proxy=proxy,
                               headers={"Tus-Resumable": "1.0.0",
                                        "Upload-Length": str(len(document))}) as opened:
            assert opened.status == 201
            url = f"http://127.0.0.1:{service.port}{opened.headers['Location']}"
        answers = []
        for n, (start, data) in enumerate(thirds(document)):
            async with client.patch(url, data=data, proxy=proxy if n < through else None,
                                    headers={**tus, "Upload-Offset": str(start)}) as response:
                await response.read()
                answers.append((response.status, response.headers.get("Upload-Offset")))
        return url.rsplit("/", 1)[1], answers

    async def steps(client, proxy):
        return (await upload(client, proxy, secret, through=2),
                await upload(client, proxy, clean, through=3))

    (home, home_answers), (kept, kept_answers) = asyncio.run(_through_proxy(gateway, steps))
    (_, _), (b, _), (c, _) = thirds(secret)
    assert home_answers == [(204, str(b)), (204, str(c)), (409, None)]
    assert service.received(home) == 0
    (_, _), (b, _), (c, _) = thirds(clean)
    assert kept_answers == [(204, str(b)), (204, str(c)), (204, str(len(clean)))]
    assert bytes(service.stored[kept]) == clean


def _icap(gateway: Gateway, head: bytes, data: bytes) -> bytes:
    request = (f"REQMOD icap://127.0.0.1:{gateway.icap_port}/reqmod ICAP/1.0\r\n"
               f"Host: 127.0.0.1\r\nAllow: 204\r\nX-Client-IP: 10.1.2.4\r\n"
               f"Encapsulated: req-hdr=0, req-body={len(head)}\r\n\r\n").encode()
    request += head + f"{len(data):x}\r\n".encode() + data + b"\r\n0\r\n\r\n"
    with socket.create_connection(("127.0.0.1", gateway.icap_port), timeout=60) as sock:
        sock.sendall(request)
        reply = b""
        while not reply.endswith(b"0\r\n\r\n") and not (
                b"null-body" in reply.split(b"\r\n\r\n", 1)[0] and reply.count(b"\r\n\r\n") >= 2):
            chunk = sock.recv(65536)
            if not chunk:
                break
            reply += chunk
    return reply


def _google_piece_head(upload_id: str, start: int, data: bytes, total: int) -> bytes:
    """The request head of one piece of a Google resumable upload, as the proxy hands it over
    ICAP (127.0.0.1 stands for a listed Google host; the ICAP service never contacts it)."""
    return (f"PUT http://127.0.0.1:9/upload/drive/v3/files?uploadType=resumable"
            f"&upload_id={upload_id} HTTP/1.1\r\nHost: 127.0.0.1:9\r\n"
            f"Content-Range: bytes {start}-{start + len(data) - 1}/{total}\r\n"
            f"Content-Length: {len(data)}\r\n\r\n").encode()


def test_icap_keeps_google_pieces_and_hands_back_the_whole_file(gateway):
    document = make_docx()
    answers = []
    for start, data in thirds(document):
        answers.append(_icap(gateway, _google_piece_head("icap1", start, data, len(document)), data))
    (_, _), (b, _), (c, _) = thirds(document)
    for reply, done in zip(answers[:2], (b, c), strict=True):
        icap_head, http = reply.split(b"\r\n\r\n", 1)
        assert icap_head.startswith(b"ICAP/1.0 200") and b"res-hdr=0, null-body=" in icap_head
        assert http.startswith(b"HTTP/1.1 308 Resume Incomplete\r\n")
        assert f"Range: bytes=0-{done - 1}\r\n".encode() in http
    icap_head, rest = answers[2].split(b"\r\n\r\n", 1)
    assert icap_head.startswith(b"ICAP/1.0 200") and b"req-hdr=0, req-body=" in icap_head
    http_head, chunked = rest.split(b"\r\n\r\n", 1)
    assert f"Content-Range: bytes 0-{len(document) - 1}/{len(document)}".encode() in http_head
    body, at = b"", 0
    while True:
        size_line, _, after = chunked[at:].partition(b"\r\n")
        size = int(size_line, 16)
        if size == 0:
            break
        body += after[:size]
        at += len(size_line) + 2 + size + 2
    assert body == document


def test_icap_holds_a_secret_docx_on_its_last_kept_piece(gateway):
    document = make_docx("TOP SECRET//NOFORN")
    replies = []
    for start, data in thirds(document):
        replies.append(_icap(gateway, _google_piece_head("icap2", start, data, len(document)), data))
    # Kept pieces get Redline's 308; no request is ever handed back to the proxy.
    assert [r.split(b"\r\n\r\n", 1)[1].split(b"\r\n", 1)[0] for r in replies[:2]] == \
        [b"HTTP/1.1 308 Resume Incomplete"] * 2
    assert all(b"req-hdr" not in r.split(b"\r\n\r\n", 1)[0] for r in replies)
    http = replies[2].split(b"\r\n\r\n", 1)[1]
    assert http.startswith(b"HTTP/1.1 403"), http[:200]
    _, content = gateway.item(item_id_in(http.decode("utf-8", "replace")))
    assert content == document


def test_google_upload_of_unknown_length_ends_with_a_status_query(gateway, service):
    # A client streaming a file of unknown length sends every piece as bytes A-B/* and,
    # when the last piece was full, finishes with an empty PUT "bytes */TOTAL".
    import asyncio

    document = make_docx()
    (_, _), (b, _), (c, _) = pieces = thirds(document)

    async def steps(client, proxy):
        async with client.post(f"http://127.0.0.1:{service.port}/upload/drive/v3/files"
                               "?uploadType=resumable", proxy=proxy, json={}) as opened:
            url = opened.headers["Location"]
        answers = []
        for start, data in pieces:
            async with client.put(url, data=data, proxy=proxy, headers={
                    "Content-Range": f"bytes {start}-{start + len(data) - 1}/*"}) as response:
                answers.append((response.status, response.headers.get("Range")))
        # The empty PUT tells the total: the kept pieces are the whole file, sent on.
        async with client.put(url, proxy=proxy, headers={
                "Content-Range": f"bytes */{len(document)}"}) as response:
            answers.append((response.status, (await response.json())["size"]))
        return url.rsplit("=", 1)[1], answers

    session, answers = asyncio.run(_through_proxy(gateway, steps))
    assert answers == [(308, f"bytes=0-{b - 1}"), (308, f"bytes=0-{c - 1}"),
                       (308, f"bytes=0-{len(document) - 1}"), (200, str(len(document)))]
    assert bytes(service.stored[session]) == document
