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
