"""The forward proxy with real clients (curl, aiohttp, raw sockets) and a real aiohttp origin server."""

from __future__ import annotations

import asyncio
import base64
import email.parser
import email.policy
import gzip
import hashlib
import io
import json
import re
import socket
import subprocess
import threading
import time
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import brotli
import docx
import pytest
from aiohttp import web
from fixtures.ports import free_port

from filters.build import FiltersConfig, build_pipeline
from filters.engines.signup import SignupDetector
from gateway.ops import metrics
from gateway.ops.logs import DECISION_LOGGER, FIELDS_ATTR
from gateway.web.config import HttpConfig, hash_password
from gateway.web.proxy import HttpProxy
from gateway.web.uploads import UploadInspector
from quarantine.sqlite_store import SqliteStore
from quarantine.store import Decision, ItemQuery
from tests.fixtures.pdf import large_pdf, marked_pdf, plain_pdf

ORG = ("example.org",)


@dataclass
class Seen:
    """One request the origin server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    form: dict[str, bytes] = field(default_factory=dict)


def parse_form(content_type: str, body: bytes) -> dict[str, bytes]:
    """The fields of a multipart/form-data body, parsed by the standard library."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    return {part.get_param("name", header="content-disposition"): part.get_payload(decode=True)
            for part in message.iter_parts()}


class LoopThread:
    """An event loop in a daemon thread, for servers under test."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coro, timeout: float = 10):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


class Origin:
    """An aiohttp origin server recording every request (bodies as received)."""

    def __init__(self, loop: LoopThread, ssl_context=None, host: str = "127.0.0.1") -> None:
        self.loop = loop
        self.port = free_port()
        self.ssl_context = ssl_context  # an HTTPS origin when set
        self.host = host  # the name URLs use (the server binds 127.0.0.1)
        self.seen: list[Seen] = []
        app = web.Application(client_max_size=1 << 30)
        app.router.add_route("*", "/{tail:.*}", self.handle)
        self.runner = web.AppRunner(app)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        seen = Seen(request.method, request.path_qs, dict(request.headers), body)
        if request.content_type == "multipart/form-data":
            seen.form = parse_form(request.headers["Content-Type"], body)
        self.seen.append(seen)
        if request.path == "/stream":
            response = web.StreamResponse()
            await response.prepare(request)
            for i in range(5):
                await response.write(b"line %d\n" % i)
            await response.write_eof()
            return response
        if request.path == "/gzip":
            return web.Response(body=gzip.compress(b"compressed answer"),
                                headers={"Content-Encoding": "gzip"})
        return web.json_response({"got": len(body), "sha256": hashlib.sha256(body).hexdigest()},
                                 headers={"Connection": "keep-alive, X-Origin-Hop",
                                          "X-Origin-Hop": "1", "X-Origin-End": "1"})

    def start(self) -> Origin:
        async def go():
            await self.runner.setup()
            await web.TCPSite(self.runner, "127.0.0.1", self.port,
                              ssl_context=self.ssl_context).start()
        self.loop.run(go())
        return self

    def stop(self) -> None:
        self.loop.run(self.runner.cleanup())

    def url(self, path: str = "/upload") -> str:
        scheme = "https" if self.ssl_context is not None else "http"
        return f"{scheme}://{self.host}:{self.port}{path}"


@pytest.fixture(scope="session")
def pipeline():
    return build_pipeline()


class Redline:
    """The proxy on its own loop with a real pipeline and SQLite store."""

    def __init__(self, tmp: Path, pipeline, *, hard_seconds: float | None = None,
                 interceptor=None, **http: object) -> None:
        self.port = free_port()
        self.store = SqliteStore(tmp / "quarantine.sqlite")
        http.setdefault("max_body_bytes", 64 * 1024 * 1024)
        # The origins under test listen on loopback, which the proxy refuses by default.
        http.setdefault("internal_destinations", ["127.0.0.0/8", "::1/128"])
        self.config = HttpConfig(listen=f"127.0.0.1:{self.port}", **http)  # type: ignore[arg-type]
        self.inspector = UploadInspector(pipeline, self.store, SignupDetector(ORG),
                                         spool_dir=tmp / "spool", max_body_bytes=1 << 30,
                                         workers=2, hard_seconds=hard_seconds)
        self.proxy = HttpProxy(self.config, self.inspector, interceptor)
        self.loop = LoopThread()

    def start(self) -> Redline:
        self.loop.run(self.proxy.start())
        return self

    def stop(self) -> None:
        self.loop.run(self.proxy.stop())
        self.loop.close()
        self.inspector.close()
        self.store.close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def release(self, item_id: str) -> None:
        now = datetime.now(UTC)
        self.store.record_decision(item_id, Decision("release", "olga", now), "released",
                                   expect_status=["pending"],
                                   allow_upload_until=now + timedelta(minutes=30))


@pytest.fixture
def origin():
    loop = LoopThread()
    server = Origin(loop).start()
    yield server
    server.stop()
    loop.close()


@pytest.fixture
def redline(tmp_path, pipeline):
    running = Redline(tmp_path, pipeline).start()
    yield running
    running.stop()


def curl(proxy: str, *args: str, timeout: float = 10, stdin: bytes | None = None
         ) -> tuple[int, str]:
    """Run curl through ``proxy``; (HTTP status, body)."""
    out = subprocess.run(["curl", "-sS", "--max-time", str(timeout), "-x", proxy,
                          "-o", "-", "-w", "\n%{http_code}", *args], input=stdin,
                         capture_output=True, timeout=timeout + 5, check=False)
    text = out.stdout.decode("utf-8", "replace")
    body, _, status = text.rpartition("\n")
    return int(status or 0), body


def make_docx(path: Path, *, banner: str = "", body: str = "Quarterly figures look fine.") -> Path:
    document = docx.Document()
    if banner:
        document.sections[0].header.paragraphs[0].text = banner
    document.add_paragraph(body)
    document.save(path)
    return path


def item_id_in(page: str) -> str:
    match = re.search(r"Q-[0-9A-Z]{4}-[0-9A-Z]{4}", page)
    assert match, f"no quarantine id in the page: {page[:500]}"
    return match.group(0)


# -- uploads ---------------------------------------------------------------------------------


def test_clean_docx_upload_through_curl_arrives_intact(redline, origin, tmp_path):
    path = make_docx(tmp_path / "minutes.docx")
    status, body = curl(redline.url, "-F", f"file=@{path}", "-F", "note=see attached",
                        origin.url())
    assert status == 200, body
    (seen,) = origin.seen
    assert seen.form["file"] == path.read_bytes()
    assert seen.form["note"] == b"see attached"
    assert "1.1 redline" in seen.headers["Via"]


def test_marked_docx_is_held_with_a_page_naming_the_file_and_the_id(redline, origin, tmp_path):
    path = make_docx(tmp_path / "plan.docx", banner="SECRET//NOFORN")
    status, page = curl(redline.url, "-F", f"file=@{path}", origin.url())
    assert status == 403
    assert origin.seen == []
    assert "upload:form[file]:plan.docx" in page
    assert "Upload held for review" in page
    item = redline.store.get(item_id_in(page))
    assert item.kind == "upload" and item.status == "pending"
    assert item.sender == "127.0.0.1" and item.recipients == ("127.0.0.1",)
    assert any(h.category == "classification" for h in item.hits)
    # The held content is the document itself, so a release matches it on retry.
    assert redline.store.content(item.id) == path.read_bytes()


def test_release_lets_the_same_user_send_the_same_file_again(redline, origin, tmp_path):
    path = make_docx(tmp_path / "plan.docx", banner="SECRET//NOFORN")
    status, page = curl(redline.url, "-F", f"file=@{path}", origin.url())
    assert status == 403
    redline.release(item_id_in(page))
    # curl picks a new multipart boundary: the body differs, the file is the same.
    status, _ = curl(redline.url, "-F", f"file=@{path}", "-F", "x=1", origin.url())
    assert status == 200
    assert origin.seen[0].form["file"] == path.read_bytes()
    other = make_docx(tmp_path / "other.docx", banner="TOP SECRET")
    status, _ = curl(redline.url, "-F", f"file=@{other}", origin.url())
    assert status == 403


def test_a_release_to_one_site_does_not_let_the_same_file_go_to_another(redline, origin,
                                                                       tmp_path):
    # The officer released "the upload by 127.0.0.1 to 127.0.0.1": the same bytes sent to
    # another host right after are a new upload, held like the first.
    path = make_docx(tmp_path / "plan.docx", banner="SECRET//NOFORN")
    status, page = curl(redline.url, "-F", f"file=@{path}", origin.url())
    assert status == 403
    redline.release(item_id_in(page))
    elsewhere = origin.url().replace("127.0.0.1", "localhost")
    status, page = curl(redline.url, "-F", f"file=@{path}", elsewhere)
    assert status == 403, page
    assert origin.seen == []
    item = redline.store.get(item_id_in(page))
    assert item.status == "pending" and item.recipients == ("localhost",)
    # The site it was released to still takes it.
    status, _ = curl(redline.url, "-F", f"file=@{path}", origin.url())
    assert status == 200
    assert origin.seen[0].form["file"] == path.read_bytes()


@pytest.mark.parametrize("chunked", [False, True])
def test_a_large_multipart_upload_is_cut_as_it_arrives_and_the_marked_file_held(
        redline, origin, tmp_path, chunked):
    # Past the size read whole (64 KiB), a multipart body is cut into its parts while it
    # is spooled: the marked document must still be found, and held on its own.
    notes = tmp_path / "notes.txt"
    notes.write_text("The canteen opens at noon; the car park closes at eight. " * 6000)
    plan = make_docx(tmp_path / "plan.docx", banner="SECRET//NOFORN")
    framing = ["-H", "Transfer-Encoding: chunked"] if chunked else []
    status, page = curl(redline.url, *framing, "-F", f"notes=@{notes}", "-F", "note=see both",
                        "-F", f"file=@{plan}", origin.url())
    assert status == 403, page
    assert origin.seen == []
    item = redline.store.get(item_id_in(page))
    assert redline.store.content(item.id) == plan.read_bytes()
    # The same body with a clean document arrives byte for byte.
    clean = make_docx(tmp_path / "minutes.docx")
    status, body = curl(redline.url, *framing, "-F", f"notes=@{notes}", "-F", "note=see both",
                        "-F", f"file=@{clean}", origin.url())
    assert status == 200, body
    (seen,) = origin.seen
    assert seen.form == {"notes": notes.read_bytes(), "note": b"see both",
                         "file": clean.read_bytes()}


def test_marked_pdf_inside_a_zip_put_raw_is_held(redline, origin):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("annex/brief.pdf", marked_pdf(with_cjk=False))
        archive.writestr("readme.txt", "nothing here")

    async def put() -> tuple[int, str]:
        async with aiohttp.ClientSession() as session, session.put(
                origin.url("/files/bundle.zip"), data=buffer.getvalue(), proxy=redline.url,
                headers={"Content-Type": "application/zip"}) as response:
            return response.status, await response.text()

    status, page = asyncio.run(put())
    assert status == 403
    assert "upload:body:bundle.zip/annex/brief.pdf" in page
    assert origin.seen == []


def test_clean_pdf_posted_by_aiohttp_arrives(redline, origin):
    pdf = plain_pdf(["Meeting notes", "Lunch at noon."])

    async def post() -> tuple[int, dict]:
        form = aiohttp.FormData()
        form.add_field("doc", pdf, filename="notes.pdf", content_type="application/pdf")
        async with aiohttp.ClientSession() as session, session.post(
                origin.url(), data=form, proxy=redline.url) as response:
            return response.status, await response.json()

    status, _answer = asyncio.run(post())
    assert status == 200
    assert origin.seen[0].form["doc"] == pdf


@pytest.mark.parametrize("encoding,compress", [
    ("gzip", gzip.compress), ("br", brotli.compress),
    ("deflate", lambda data: __import__("zlib").compress(data)),
])
def test_content_encoded_bodies_are_decoded_for_inspection(redline, origin, encoding, compress):
    marked = compress(b"comment=" + "机密★5年 项目进展".encode() + b"&name=x")
    clean = compress(b"comment=lunch+at+noon&name=x")
    headers = {"Content-Encoding": encoding, "Content-Type": "application/x-www-form-urlencoded"}

    async def post(data: bytes) -> int:
        async with aiohttp.ClientSession() as session, session.post(
                origin.url(), data=data, proxy=redline.url, headers=headers) as response:
            return response.status

    assert asyncio.run(post(marked)) == 403
    assert asyncio.run(post(clean)) == 200
    # Forwarded still encoded (aiohttp's server decodes it on arrival).
    assert origin.seen[-1].body == b"comment=lunch+at+noon&name=x"
    assert origin.seen[-1].headers["Content-Encoding"] == encoding


def test_chunked_upload_is_decoded_and_forwarded_with_a_length(redline, origin, tmp_path):
    data = tmp_path / "data.bin"
    data.write_bytes(bytes(range(256)) * 4000)
    status, body = curl(redline.url, "-H", "Transfer-Encoding: chunked", "-H",
                        "Content-Type: application/octet-stream", "--data-binary", f"@{data}",
                        origin.url())
    assert status == 200, body
    (seen,) = origin.seen
    assert seen.body == data.read_bytes()
    assert seen.headers["Content-Length"] == str(len(seen.body))
    assert "Transfer-Encoding" not in seen.headers



def test_each_upload_decision_is_one_log_line_and_counted_without_content(redline, origin,
                                                                          tmp_path, caplog):
    def count(verdict: str) -> float:
        return metrics.sample("redline_items_total", {"kind": "upload", "direction": "outbound",
                                                      "verdict": verdict}) or 0.0

    held_before, passed_before = count("quarantine"), count("pass")
    caplog.set_level("INFO", logger=DECISION_LOGGER)
    secret = make_docx(tmp_path / "plan-omega.docx", banner="SECRET//NOFORN",
                       body="Operation Omega annex")
    status, page = curl(redline.url, "-F", f"file=@{secret}", origin.url())
    assert status == 403
    clean = make_docx(tmp_path / "minutes.docx")
    assert curl(redline.url, "-F", f"file=@{clean}", origin.url())[0] == 200
    lines = [r for r in caplog.records if r.name == DECISION_LOGGER]
    assert len(lines) == 2
    held, passed = (getattr(r, FIELDS_ATTR) for r in lines)
    assert held["kind"] == "upload" and held["verdict"] == "quarantine"
    assert held["id"] == item_id_in(page) and "classification" in held["categories"]
    assert passed["verdict"] == "pass" and passed["id"] and "scan" in passed["timings"]
    text = caplog.text + repr([getattr(r, FIELDS_ATTR) for r in lines])
    for content in ("NOFORN", "Omega", "plan-omega", "minutes.docx"):
        assert content not in text
    assert count("quarantine") == held_before + 1
    assert count("pass") == passed_before + 1


def test_a_scan_past_the_hard_limit_is_killed_the_upload_held_and_the_proxy_goes_on(
        tmp_path, pipeline, origin):
    running = Redline(tmp_path, pipeline, hard_seconds=0.1).start()
    try:
        before = set(running.inspector.scanner.pids)
        # Scanning 400 dense pages takes ~0.6 s here: far past the 0.1 s hard limit.
        status, page = curl(running.url, "-H", "Content-Type: application/pdf", "--data-binary",
                            "@-", origin.url("/files/long.pdf"), stdin=large_pdf(pages=400))
        assert status == 403, page
        item = running.store.get(item_id_in(page))
        assert [h.rule for h in item.hits] == ["limit.item_seconds"]
        assert origin.seen == []
        # The stuck scanner process was killed and replaced; the proxy serves on.
        assert set(running.inspector.scanner.pids) != before
        assert len(running.inspector.scanner.pids) == 2
        status, _ = curl(running.url, "--data", "note=lunch at noon", origin.url("/notes"))
        assert status == 200
        assert origin.seen[0].body == b"note=lunch at noon"
    finally:
        running.stop()


def test_in_monitor_mode_an_upload_leaves_while_it_is_scanned_and_is_recorded_after(
        tmp_path, origin):
    # Monitor mode holds and refuses nothing, so the upload need not wait for its scan.
    monitoring = build_pipeline(FiltersConfig.from_mapping({"policy": {"mode": "monitor"}}))
    running = Redline(tmp_path, monitoring, hard_seconds=300).start()
    try:
        minutes = tmp_path / "minutes.pdf"
        minutes.write_bytes(large_pdf(pages=400))  # a scan of most of a second at the least
        plan = make_docx(tmp_path / "plan.docx", banner="SECRET//NOFORN")
        status, body = curl(running.url, "-F", f"minutes=@{minutes}", "-F", f"plan=@{plan}",
                            origin.url(), timeout=120)
        assert status == 200, body
        (seen,) = origin.seen
        assert seen.form["plan"] == plan.read_bytes()
        # The origin had the upload and answered while the 400 pages were being read.
        assert running.store.list(ItemQuery())[1] == 0
        for _ in range(1200):  # then the scan ends and the upload is recorded
            items, count = running.store.list(ItemQuery())
            if count:
                break
            time.sleep(0.1)
        (item,) = items
        assert item.status == "monitored" and item.kind == "upload"
        assert any(h.category == "classification" for h in item.hits)
    finally:
        running.stop()


# -- HTTP semantics ---------------------------------------------------------------------------


def raw_exchange(port: int, request: bytes, *, responses: int = 1, timeout: float = 5) -> bytes:
    """Send ``request`` on one socket; read until ``responses`` complete responses or close."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(request)
        data = b""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if _complete(data) >= responses:
                break
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
        return data


def _complete(data: bytes) -> int:
    count, rest = 0, data
    while b"\r\n\r\n" in rest:
        head, rest = rest.split(b"\r\n\r\n", 1)
        match = re.search(rb"(?i)content-length: (\d+)", head)
        length = int(match.group(1)) if match else 0
        if b"chunked" in head.lower():
            end = rest.find(b"0\r\n\r\n")
            if end < 0:
                return count
            rest = rest[end + 5:]
        elif len(rest) < length:
            return count
        else:
            rest = rest[length:]
        count += 1
    return count


def test_hop_by_hop_headers_are_not_forwarded_either_way(redline, origin):
    request = (f"GET {origin.url('/x')} HTTP/1.1\r\nHost: wrong.example\r\n"
               "Connection: keep-alive, X-Private\r\nX-Private: secret-hop\r\nKeep-Alive: 5\r\n"
               "Proxy-Authorization: Basic Zm9vOmJhcg==\r\nTE: trailers\r\nX-End: kept\r\n\r\n")
    answer = raw_exchange(redline.port, request.encode())
    head = answer.split(b"\r\n\r\n")[0].decode()
    assert head.startswith("HTTP/1.1 200")
    (seen,) = origin.seen
    for name in ("X-Private", "Keep-Alive", "Proxy-Authorization", "TE"):
        assert name not in seen.headers
    assert seen.headers["X-End"] == "kept"
    assert seen.headers["Host"] == f"127.0.0.1:{origin.port}"
    assert "X-Origin-Hop" not in head and "X-Origin-End: 1" in head


def test_keep_alive_serves_several_requests_on_one_connection(redline, origin):
    one = f"GET {origin.url('/a')} HTTP/1.1\r\nHost: x\r\n\r\n"
    two = (f"POST {origin.url('/b')} HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello")
    three = f"GET {origin.url('/stream')} HTTP/1.1\r\nHost: x\r\n\r\n"
    answer = raw_exchange(redline.port, (one + two + three).encode(), responses=3)
    assert answer.count(b"HTTP/1.1 200") == 3
    assert [s.path for s in origin.seen] == ["/a", "/b", "/stream"]
    assert origin.seen[1].body == b"hello"
    assert b"line 4\n" in answer  # a streamed (chunked) answer re-chunked to the client


def test_response_bodies_pass_through_still_encoded(redline, origin):
    status, _body = curl(redline.url, "--raw", origin.url("/gzip"))
    assert status == 200
    answer = raw_exchange(redline.port, f"GET {origin.url('/gzip')} HTTP/1.1\r\nHost: x\r\n"
                          "Connection: close\r\n\r\n".encode())
    assert gzip.decompress(answer.split(b"\r\n\r\n", 1)[1]) == b"compressed answer"


@pytest.mark.parametrize("request_text,status", [
    ("POST {url} HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
     "0\r\n\r\n", 400),
    ("POST {url} HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello", 400),
    ("POST {url} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
    ("POST {url} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n",
     400),
    ("GET {url} HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n", 400),
    ("GET {url} HTTP/1.1\r\nHost : x\r\n\r\n", 400),
    ("GET /upload HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    ("GET {url} HTTP/2.0\r\nHost: x\r\n\r\n", 505),
])
def test_ambiguous_or_malformed_requests_are_refused(redline, origin, request_text, status):
    answer = raw_exchange(redline.port, request_text.format(url=origin.url()).encode())
    assert answer.startswith(f"HTTP/1.1 {status}".encode()), answer[:200]
    assert origin.seen == []


def test_oversized_body_gets_413_before_it_is_read(tmp_path, pipeline, origin):
    running = Redline(tmp_path, pipeline, max_body_bytes=1000).start()
    try:
        answer = raw_exchange(running.port, f"POST {origin.url()} HTTP/1.1\r\nHost: x\r\n"
                              "Content-Length: 5000\r\n\r\n".encode())
        assert answer.startswith(b"HTTP/1.1 413")
    finally:
        running.stop()


def test_origin_down_gives_502(redline):
    status, body = curl(redline.url, f"http://127.0.0.1:{free_port()}/x")
    assert status == 502 and "cannot reach" in body


def test_clients_outside_the_networks_get_403(tmp_path, pipeline, origin):
    running = Redline(tmp_path, pipeline, client_networks=["10.0.0.0/8"]).start()
    try:
        status, body = curl(running.url, origin.url())
        assert status == 403 and "client networks" in body
        assert origin.seen == []
    finally:
        running.stop()


def _multipart_head(url: str, length: int) -> bytes:
    return (f"POST {url} HTTP/1.1\r\nHost: x\r\nContent-Length: {length}\r\n"
            "Content-Type: multipart/form-data; boundary=XyZ\r\n\r\n").encode()


_FIRST_PART = (b'--XyZ\r\nContent-Disposition: form-data; name="note"\r\n\r\nclean\r\n'
               b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n'
               b"Content-Type: text/plain\r\n\r\n" + b"lunch at noon. " * 20_000)


def test_an_upload_that_stops_mid_body_gets_408_and_nothing_reaches_the_origin(
        tmp_path, pipeline, origin):
    running = Redline(tmp_path, pipeline, body_timeout=1.0).start()
    try:
        started = time.monotonic()
        # A first part complete, the second begun, then silence (a client stuck mid-upload).
        answer = raw_exchange(running.port, _multipart_head(origin.url(), 10 * len(_FIRST_PART))
                              + _FIRST_PART, timeout=15)
        assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
        assert time.monotonic() - started < 10
        assert origin.seen == []
        assert curl(running.url, "--data", "a=1", origin.url("/after"))[0] == 200
        assert [s.path for s in origin.seen] == ["/after"]
        assert _spool_emptied(running.inspector.spool_dir)
    finally:
        running.stop()


def _spool_emptied(spool: Path, seconds: float = 5) -> bool:
    """True once every request's spool directory is gone (removed off the loop)."""
    deadline = time.monotonic() + seconds
    while spool.is_dir() and any(spool.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.02)
    return not spool.is_dir() or not any(spool.iterdir())


def test_an_upload_aborted_mid_body_leaves_nothing_at_the_origin(redline, origin):
    spool = redline.inspector.spool_dir
    with socket.create_connection(("127.0.0.1", redline.port), timeout=5) as sock:
        sock.sendall(_multipart_head(origin.url(), 10 * len(_FIRST_PART)) + _FIRST_PART)
        deadline = time.monotonic() + 10
        while not (spool.is_dir() and any(spool.iterdir())) and time.monotonic() < deadline:
            time.sleep(0.01)  # until the proxy spools the body (its first part is cut)
        assert spool.is_dir() and any(spool.iterdir())
    # The client is gone: the proxy must drop what it spooled, not send it on.
    assert _spool_emptied(spool)
    assert curl(redline.url, "--data", "a=1", origin.url("/after"))[0] == 200
    assert [s.path for s in origin.seen] == ["/after"]


def test_a_request_head_that_never_ends_is_cut_at_the_header_timeout(tmp_path, pipeline, origin):
    running = Redline(tmp_path, pipeline, header_timeout=0.5, idle_timeout=0.5).start()
    try:
        with socket.create_connection(("127.0.0.1", running.port), timeout=10) as sock:
            sock.sendall(f"GET {origin.url('/x')} HTTP/1.1\r\nHost: x\r\n".encode())
            started = time.monotonic()
            assert sock.recv(100) == b""  # closed, without an answer to half a head
            assert time.monotonic() - started < 5
        with socket.create_connection(("127.0.0.1", running.port), timeout=10) as sock:
            # A kept-alive connection that stays idle after its answer is closed too.
            sock.sendall(f"GET {origin.url('/x')} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
            assert data.startswith(b"HTTP/1.1 200")
        assert [s.path for s in origin.seen] == ["/x"]
    finally:
        running.stop()


def test_concurrent_request_cap_answers_503(tmp_path, pipeline, origin):
    running = Redline(tmp_path, pipeline, max_concurrent_requests=1).start()
    try:
        with socket.create_connection(("127.0.0.1", running.port), timeout=5) as slow:
            # A request whose body never finishes keeps the only slot busy.
            slow.sendall(f"POST {origin.url()} HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n"
                         "abc".encode())
            deadline = time.monotonic() + 5
            while running.proxy.active < 1 and time.monotonic() < deadline:
                time.sleep(0.01)
            status, _ = curl(running.url, origin.url("/x"))
            assert status == 503
        deadline = time.monotonic() + 5
        while running.proxy.active and time.monotonic() < deadline:
            time.sleep(0.01)
        assert curl(running.url, origin.url("/x"))[0] == 200
    finally:
        running.stop()


# -- identity ----------------------------------------------------------------------------------


def test_basic_auth_is_required_and_names_the_user(tmp_path, pipeline, origin):
    running = Redline(tmp_path, pipeline, auth="basic",
                      users={"alice": hash_password("wonder", iterations=1000)}).start()
    try:
        assert curl(running.url, origin.url("/x"))[0] == 407
        assert curl(running.url, "--proxy-user", "alice:wrong", origin.url("/x"))[0] == 407
        assert curl(running.url, "--proxy-user", "alice:wonder", origin.url("/x"))[0] == 200
        assert "Proxy-Authorization" not in origin.seen[0].headers
        path = make_docx(tmp_path / "plan.docx", banner="SECRET")
        status, page = curl(running.url, "--proxy-user", "alice:wonder", "-F", f"f=@{path}",
                            origin.url())
        assert status == 403
        assert running.store.get(item_id_in(page)).sender == "alice"
    finally:
        running.stop()


def test_basic_auth_guessing_is_refused_on_every_worker_and_only_slowed_elsewhere(
        tmp_path, pipeline, origin):
    """An insider at 127.0.0.2 guesses alice's proxy password (to upload in her name) over
    two workers on one store; she, at 127.0.0.3, still gets through."""
    import time

    options = {"auth": "basic", "auth_max_failures": 2, "client_networks": ["127.0.0.0/8"],
               "users": {"alice": hash_password("wonder", iterations=1000)}}
    first = Redline(tmp_path, pipeline, **options).start()
    second = Redline(tmp_path, pipeline, **options).start()
    try:
        def as_(address: str, credentials: str, proxy: Redline) -> tuple[int, str]:
            return curl(proxy.url, "--interface", address, "--proxy-user", credentials,
                        origin.url("/x"))

        assert as_("127.0.0.2", "alice:guess1", first)[0] == 407
        assert as_("127.0.0.2", "alice:guess2", second)[0] == 407
        for proxy in (first, second):  # the right password, from there, is not even checked
            status, body = as_("127.0.0.2", "alice:wonder", proxy)
            assert status == 429 and "too many failed proxy sign-ins" in body, (status, body)
        started = time.monotonic()
        assert as_("127.0.0.3", "alice:wonder", second)[0] == 200  # alice gets through ...
        assert time.monotonic() - started >= 1.0  # ... slowed while her name is attacked
    finally:
        second.stop()
        first.stop()


def test_basic_auth_failures_and_the_lock_out_are_in_the_audit_log(tmp_path, pipeline, origin):
    """Proxy users live in the config, yet a guess at one's password is audited like a
    failed UI sign-in, and so is the lock-out it leads to; never a password, nor a name
    that is no user (people type passwords into it)."""
    running = Redline(tmp_path, pipeline, auth="basic", auth_max_failures=2,
                      users={"alice": hash_password("wonder", iterations=1000)}).start()
    try:
        for credentials in ("alice:guess-one", "alice:guess-two"):
            assert curl(running.url, "--proxy-user", credentials, origin.url("/x"))[0] == 407
        assert curl(running.url, "--proxy-user", "alice:wonder", origin.url("/x"))[0] == 429
        assert curl(running.url, "--proxy-user", "pw-in-the-name-field:x",
                    origin.url("/x"))[0] == 407
        entries = [e for e in running.store.audit_entries() if e.action.startswith("sign-in")]
        assert [(e.actor, e.action, e.item_id, e.detail.get("reason"), e.detail["via"],
                 e.detail["client"]) for e in entries] == [
            ("alice", "sign-in-failed", "user:alice", "wrong password", "proxy", "127.0.0.1"),
            ("alice", "sign-in-failed", "user:alice", "wrong password", "proxy", "127.0.0.1"),
            ("alice", "sign-in-throttled", "user:alice",
             "too many failed sign-ins (name from this address) in 15 min", "proxy", "127.0.0.1"),
            ("-", "sign-in-failed", "", "unknown user", "proxy", "127.0.0.1"),
        ]
        logged = repr([e.as_dict() for e in running.store.audit_entries()])
        for secret in ("guess-one", "guess-two", "wonder", "pw-in-the-name-field"):
            assert secret not in logged
    finally:
        running.stop()


def test_a_browsers_parallel_connections_with_the_right_password_all_get_through(
        tmp_path, pipeline, origin):
    """Attempts count before they are checked; the same credentials from one address at
    once share one check, so a browser opening many connections is not taken for a
    guesser, while parallel guesses still get only the allowance."""
    from concurrent.futures import ThreadPoolExecutor

    running = Redline(tmp_path, pipeline, auth="basic", auth_max_failures=2,
                      users={"alice": hash_password("wonder", iterations=200_000)}).start()
    try:
        with ThreadPoolExecutor(10) as pool:
            right = list(pool.map(lambda _: curl(running.url, "--proxy-user", "alice:wonder",
                                                 origin.url("/x"))[0], range(10)))
            assert right == [200] * 10
            guesses = list(pool.map(lambda i: curl(running.url, "--proxy-user",
                                                   f"alice:guess{i}", origin.url("/x"))[0],
                                    range(10)))
        assert sorted(guesses) == [407] * 2 + [429] * 8, guesses
    finally:
        running.stop()


# -- CONNECT -----------------------------------------------------------------------------------


class Echo:
    """A TCP echo server standing in for a TLS origin."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                while data := conn.recv(4096):
                    conn.sendall(data)


def connect(port: int, target: str, payload: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(f"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n\r\n".encode() + payload)
        data = b""
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and (payload not in data or b"\r\n\r\n" not in data):
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
        return data


@pytest.mark.parametrize("policy,hosts,allowed", [
    ("allow-all", [], True),
    ("deny-list", ["localhost"], True),
    ("deny-list", ["127.0.0.1"], False),
    ("allow-list", ["127.0.0.1"], True),
    ("allow-list", ["example.com"], False),
])
def test_connect_follows_the_tunnel_policy(tmp_path, pipeline, policy, hosts, allowed):
    echo = Echo()
    running = Redline(tmp_path, pipeline, connect_policy=policy, connect_hosts=hosts,
                      connect_ports=[echo.port], uninspected_connect="tunnel").start()
    try:
        answer = connect(running.port, f"127.0.0.1:{echo.port}", b"tls-bytes")
        if allowed:
            assert answer.startswith(b"HTTP/1.1 200")
            assert answer.endswith(b"tls-bytes")  # the tunnel carries bytes both ways
        else:
            assert answer.startswith(b"HTTP/1.1 403")
        # Ports outside connect_ports are refused whatever the host policy says.
        assert connect(running.port, "127.0.0.1:25", b"").startswith(b"HTTP/1.1 403")
    finally:
        running.stop()
        echo.server.close()


# -- pages ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("language,title", [
    ("zh-CN,zh;q=0.9,en;q=0.8", "上传内容已被扣留待审"),
    ("es-ES,es;q=0.9", "Envío retenido para revisión"),
    ("fr-FR,de;q=0.5", "Upload held for review"),
])
def test_block_page_speaks_the_browser_language(redline, origin, tmp_path, language, title):
    path = make_docx(tmp_path / "plan.docx", banner="SECRET")
    status, page = curl(redline.url, "-H", f"Accept-Language: {language}", "-F", f"f=@{path}",
                        origin.url())
    assert status == 403
    assert title in page
    item_id_in(page)


def test_json_api_gets_the_page_too_and_nothing_leaves(redline, origin):
    payload = json.dumps({"doc": {"title": "Plan", "body": "TOP SECRET//NOFORN annex"}})
    status, page = curl(redline.url, "-H", "Content-Type: application/json", "--data-binary",
                        payload, origin.url("/api/notes"))
    assert status == 403 and "upload:json[doc.body]" in page
    assert origin.seen == []


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_a_small_marked_json_body_is_held_as_sent_and_its_release_lets_the_retry_pass(
        redline, origin):
    # Small form and JSON bodies are decoded from memory (no spool directory); what is
    # held must still be the exact body, and a release must still match the retry.
    payload = json.dumps({"note": "SECRET//NOFORN minutes", "to": "team"}).encode()
    status, page = curl(redline.url, "-H", "Content-Type: application/json", "--data-binary",
                        "@-", origin.url("/api/notes"), stdin=payload)
    assert status == 403 and origin.seen == []
    item_id = item_id_in(page)
    assert redline.store.content(item_id) == payload
    redline.release(item_id)
    status, _ = curl(redline.url, "-H", "Content-Type: application/json", "--data-binary", "@-",
                     origin.url("/api/notes"), stdin=payload)
    assert status == 200
    assert origin.seen[0].body == payload
    other = json.dumps({"note": "SECRET//NOFORN other minutes"}).encode()
    status, _ = curl(redline.url, "-H", "Content-Type: application/json", "--data-binary", "@-",
                     origin.url("/api/notes"), stdin=other)
    assert status == 403


def test_a_marked_document_base64_inside_a_small_form_field_is_held(redline, origin, tmp_path):
    # A small urlencoded form is decoded on the proxy's loop, but its fields are still
    # scanned by the scanner processes, which decode and open what a field carries.
    path = make_docx(tmp_path / "plan.docx", banner="SECRET//NOFORN")
    encoded = base64.b64encode(path.read_bytes()).decode()
    assert len(encoded) < 64 * 1024
    status, page = curl(redline.url, "--data-urlencode", "title=minutes", "--data-urlencode",
                        f"attachment={encoded}", origin.url("/notes"))
    assert status == 403, page
    assert "upload:form[attachment]" in page
    assert origin.seen == []
