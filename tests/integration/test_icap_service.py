"""The ICAP service (RFC 3507) spoken to by a raw-socket client: OPTIONS, REQMOD with preview, 204, blocks."""

from __future__ import annotations

import base64
import json
import re
import socket
import time
from pathlib import Path

import pytest
from test_http_proxy import LoopThread, free_port, item_id_in, make_docx, pipeline  # noqa: F401

from filters.engines.signup import SignupDetector
from gateway.web.config import IcapConfig
from gateway.web.icap import IcapService, compute_istag
from gateway.web.uploads import UploadInspector
from quarantine.config import QuarantineConfig
from quarantine.service import DecisionRefused, QuarantineService
from quarantine.sqlite_store import SqliteStore
from quarantine.users import UserStore


class Icap:
    """The ICAP service on its own loop with a real pipeline and SQLite store."""

    def __init__(self, tmp: Path, pipeline, **icap: object) -> None:  # noqa: F811
        self.port = free_port()
        self.store = SqliteStore(tmp / "quarantine.sqlite")
        self.inspector = UploadInspector(pipeline, self.store, SignupDetector(["example.org"]),
                                         spool_dir=tmp / "spool", max_body_bytes=1 << 30,
                                         workers=2)
        config = IcapConfig(listen=f"127.0.0.1:{self.port}", **icap)  # type: ignore[arg-type]
        self.service = IcapService(config, self.inspector, '"RL-test-1"')
        self.loop = LoopThread()
        self.loop.run(self.service.start())

    def stop(self) -> None:
        self.loop.run(self.service.stop())
        self.loop.close()
        self.inspector.close()
        self.store.close()


@pytest.fixture
def icap(tmp_path, pipeline):  # noqa: F811
    service = Icap(tmp_path, pipeline)
    yield service
    service.stop()


class Client:
    """A raw ICAP client on one connection."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.buffer = b""

    def close(self) -> None:
        self.sock.close()

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def _fill(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("server closed the connection")
        self.buffer += chunk

    def head(self) -> tuple[str, dict[str, str]]:
        """The next ICAP response head: status line and headers."""
        deadline = time.monotonic() + 5
        while b"\r\n\r\n" not in self.buffer and time.monotonic() < deadline:
            self._fill()
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        lines = head.decode().split("\r\n")
        return lines[0], {k.lower(): v.strip() for k, _, v in
                          (line.partition(":") for line in lines[1:])}

    def exactly(self, n: int) -> bytes:
        while len(self.buffer) < n:
            self._fill()
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def chunked(self) -> bytes:
        """A chunked body up to its last chunk."""
        out = b""
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            while b"\r\n" not in self.buffer:
                self._fill()
            line, self.buffer = self.buffer.split(b"\r\n", 1)
            size = int(line.split(b";")[0], 16)
            if size == 0:
                self.exactly(2)
                return out
            out += self.exactly(size)
            self.exactly(2)
        raise TimeoutError("chunked body did not end")


def chunk(data: bytes, last: bool = False, ieof: bool = False) -> bytes:
    out = f"{len(data):x}\r\n".encode() + data + b"\r\n" if data else b""
    if last:
        out += b"0; ieof\r\n\r\n" if ieof else b"0\r\n\r\n"
    return out


def reqmod(port: int, http_head: bytes, *, extra: str = "", body: bytes | None = None) -> bytes:
    encapsulated = (f"req-hdr=0, req-body={len(http_head)}" if body is not None
                    else f"req-hdr=0, null-body={len(http_head)}")
    return (f"REQMOD icap://127.0.0.1:{port}/reqmod ICAP/1.0\r\nHost: 127.0.0.1\r\n"
            f"Encapsulated: {encapsulated}\r\n{extra}\r\n").encode() + http_head


def multipart(name: str, filename: str, data: bytes) -> tuple[str, bytes]:
    boundary = "----redline-test-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; "
            f"filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            ).encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return f"multipart/form-data; boundary={boundary}", body


def http_post(url: str, content_type: str, body: bytes, extra: str = "") -> bytes:
    return (f"POST {url} HTTP/1.1\r\nHost: upload.example.net\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\n{extra}\r\n").encode()


def test_options_advertises_reqmod_preview_204_and_istag(icap):
    client = Client(icap.port)
    try:
        client.send(f"OPTIONS icap://127.0.0.1:{icap.port}/reqmod ICAP/1.0\r\n"
                    "Host: 127.0.0.1\r\n\r\n".encode())
        status, headers = client.head()
        assert status == "ICAP/1.0 200 OK"
        assert headers["methods"] == "REQMOD"
        assert headers["allow"] == "204"
        assert headers["preview"] == "4096"
        assert headers["istag"] == '"RL-test-1"'
        assert headers["encapsulated"] == "null-body=0"
        # The connection stays open for the next request.
        client.send(f"OPTIONS icap://127.0.0.1:{icap.port}/reqmod ICAP/1.0\r\n\r\n".encode())
        assert client.head()[0] == "ICAP/1.0 200 OK"
    finally:
        client.close()


def test_istag_changes_when_a_rule_file_changes(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "a.yar").write_text("rule a { condition: false }")
    first = compute_istag([rules], ["example.org"])
    assert compute_istag([rules], ["example.org"]) == first
    (rules / "a.yar").write_text("rule a { condition: true }")
    second = compute_istag([rules], ["example.org"])
    assert second != first
    assert compute_istag([rules], ["example.com"]) != second
    assert re.fullmatch(r'"[^"]{1,32}"', second)


def test_clean_upload_with_preview_gets_100_continue_then_204(icap):
    body = b"note=" + b"lunch at noon " * 1000  # longer than the 4096-byte preview
    head = http_post("http://upload.example.net/notes", "application/x-www-form-urlencoded", body)
    client = Client(icap.port)
    try:
        client.send(reqmod(icap.port, head, extra="Preview: 4096\r\nAllow: 204\r\n", body=body)
                    + chunk(body[:4096], last=True))
        status, _ = client.head()
        assert status == "ICAP/1.0 100 Continue"
        client.send(chunk(body[4096:], last=True))
        status, headers = client.head()
        assert status == "ICAP/1.0 204 No Content"
        assert headers["istag"] == '"RL-test-1"'
    finally:
        client.close()


def test_whole_body_in_preview_with_ieof_needs_no_continue(icap):
    body = b"note=short"
    head = http_post("http://upload.example.net/notes", "application/x-www-form-urlencoded", body)
    client = Client(icap.port)
    try:
        client.send(reqmod(icap.port, head, extra="Preview: 4096\r\nAllow: 204\r\n", body=body)
                    + chunk(body, last=True, ieof=True))
        assert client.head()[0] == "ICAP/1.0 204 No Content"
    finally:
        client.close()


def test_marked_upload_gets_an_encapsulated_403_page_and_is_held(icap, tmp_path):
    document = make_docx(tmp_path / "brief.docx", banner="TOP SECRET//NOFORN").read_bytes()
    content_type, body = multipart("attachment", "brief.docx", document)
    head = http_post("https://files.example.net/upload", content_type, body)
    user = base64.b64encode(b"alice").decode()
    client = Client(icap.port)
    try:
        client.send(reqmod(icap.port, head, extra=f"Allow: 204\r\nX-Client-IP: 10.1.2.3\r\n"
                           f"X-Authenticated-User: {user}\r\n", body=body)
                    + chunk(body[:1000]) + chunk(body[1000:], last=True))
        status, headers = client.head()
        assert status == "ICAP/1.0 200 OK"
        offsets = dict(item.strip().split("=") for item in headers["encapsulated"].split(","))
        http_head = client.exactly(int(offsets["res-body"])).decode()
        assert http_head.startswith("HTTP/1.1 403 Forbidden")
        page = client.chunked().decode()
        assert "upload:form[attachment]:brief.docx" in page
        item = icap.store.get(item_id_in(page))
        assert item.client == "10.1.2.3"
        # Without icap.username_base64 the header is taken as it stands.
        assert item.sender == user
        assert item.recipients == ("files.example.net",)
    finally:
        client.close()


def test_base64_user_names_are_decoded_when_configured(tmp_path, pipeline):  # noqa: F811
    service = Icap(tmp_path, pipeline, username_base64=True)
    document = make_docx(tmp_path / "brief.docx", banner="SECRET").read_bytes()
    content_type, body = multipart("f", "brief.docx", document)
    client = Client(service.port)
    try:
        client.send(reqmod(service.port, http_post("http://x.example.net/u", content_type, body),
                           extra="Allow: 204\r\nX-Authenticated-User: "
                                 f"{base64.b64encode(b'Local://bob').decode()}\r\n", body=body)
                    + chunk(body, last=True))
        _, headers = client.head()
        offsets = dict(item.strip().split("=") for item in headers["encapsulated"].split(","))
        client.exactly(int(offsets["res-body"]))
        page = client.chunked()
        assert service.store.get(item_id_in(page.decode("utf-8", "replace"))).sender == "bob"
    finally:
        client.close()
        service.stop()


def test_an_officer_may_not_release_an_upload_squid_names_by_their_windows_logon(icap,
                                                                                  tmp_path):
    # Under NTLM Squid hands over the user as DOMAIN\\name: olga's own upload, held, is
    # still hers to keep off, and another officer's to decide.
    users = UserStore(icap.store)
    users.add("olga", "officer", "correct horse battery", actor="test")
    users.add("pavel", "officer", "correct horse battery", actor="test")
    document = make_docx(tmp_path / "brief.docx", banner="SECRET").read_bytes()
    content_type, body = multipart("f", "brief.docx", document)
    client = Client(icap.port)
    try:
        client.send(reqmod(icap.port, http_post("https://files.example.net/u", content_type,
                                                body),
                           extra="Allow: 204\r\nX-Authenticated-User: CORP\\olga\r\n",
                           body=body) + chunk(body, last=True))
        _, headers = client.head()
        offsets = dict(item.strip().split("=") for item in headers["encapsulated"].split(","))
        client.exactly(int(offsets["res-body"]))
        item = icap.store.get(item_id_in(client.chunked().decode("utf-8", "replace")))
    finally:
        client.close()
    assert item.sender == "CORP\\olga"
    service = QuarantineService(icap.store, QuarantineConfig(four_eyes_severity="off"),
                                accounts=users)
    with pytest.raises(DecisionRefused, match="olga sent it"):
        service.release(item.id, "olga", "mine", confirmation=item.id)
    assert service.release(item.id, "pavel", "checked", confirmation=item.id).done
    users.close()


def test_without_allow_204_a_clean_request_is_echoed_unchanged(icap):
    body = b"note=fine"
    head = http_post("http://upload.example.net/notes", "application/x-www-form-urlencoded", body)
    client = Client(icap.port)
    try:
        client.send(reqmod(icap.port, head, body=body) + chunk(body, last=True))
        status, headers = client.head()
        assert status == "ICAP/1.0 200 OK"
        assert headers["encapsulated"] == f"req-hdr=0, req-body={len(head)}"
        assert client.exactly(len(head)) == head
        assert client.chunked() == body
    finally:
        client.close()


def test_signup_with_a_work_address_is_blocked_over_icap(icap):
    body = json.dumps({"user": {"email": "carol+tools@example.org", "password": "x",
                                "password_confirmation": "x"}}).encode()
    head = http_post("https://saas.example.net/api/users", "application/json", body)
    client = Client(icap.port)
    try:
        client.send(reqmod(icap.port, head, extra="Allow: 204\r\n", body=body)
                    + chunk(body, last=True))
        status, headers = client.head()
        assert status == "ICAP/1.0 200 OK" and "res-hdr=0" in headers["encapsulated"]
        offsets = dict(item.strip().split("=") for item in headers["encapsulated"].split(","))
        assert client.exactly(int(offsets["res-body"])).startswith(b"HTTP/1.1 403")
        assert "work address" in client.chunked().decode()
    finally:
        client.close()


def test_get_without_body_is_204(icap):
    head = b"GET http://www.example.net/ HTTP/1.1\r\nHost: www.example.net\r\n\r\n"
    client = Client(icap.port)
    try:
        client.send(reqmod(icap.port, head, extra="Allow: 204\r\n"))
        assert client.head()[0] == "ICAP/1.0 204 No Content"
    finally:
        client.close()


@pytest.mark.parametrize("request_line,status", [
    ("REQMOD icap://127.0.0.1/other ICAP/1.0", "ICAP/1.0 404"),
    ("RESPMOD icap://127.0.0.1/reqmod ICAP/1.0", "ICAP/1.0 405"),
    ("REQMOD icap://127.0.0.1/reqmod ICAP/2.0", "ICAP/1.0 505"),
])
def test_unknown_service_method_or_version_is_refused(icap, request_line, status):
    client = Client(icap.port)
    try:
        client.send(f"{request_line}\r\nEncapsulated: null-body=0\r\n\r\n".encode())
        assert client.head()[0].startswith(status)
    finally:
        client.close()


def _send_upload(icap: Icap, head: bytes, body: bytes) -> str:
    """REQMOD of ``head`` and ``body`` for alice; the HTTP status line answered ('' for 204)."""
    client = Client(icap.port)
    try:
        client.send(reqmod(icap.port, head, extra="Allow: 204\r\nX-Authenticated-User: alice\r\n",
                           body=body) + chunk(body, last=True))
        status, headers = client.head()
        if status.startswith("ICAP/1.0 204"):
            return ""
        offsets = dict(item.strip().split("=") for item in headers["encapsulated"].split(","))
        http_head = client.exactly(int(offsets["res-body"])).decode()
        icap.last_page = client.chunked().decode("utf-8", "replace")
        return http_head.splitlines()[0]
    finally:
        client.close()


@pytest.mark.parametrize("host", ["files.example.net", ""], ids=["with Host", "no Host"])
def test_a_released_upload_is_let_through_again_only_to_the_host_it_was_held_for(icap, host, tmp_path):
    # An upload released is let through again for the same user, body and site. A request
    # in origin-form without a Host header names no site: releasing one such upload must not
    # release the same body in every other Host-less request, wherever it goes.
    users = UserStore(icap.store)
    users.add("pavel", "officer", "correct horse battery", actor="test")
    document = make_docx(tmp_path / "brief.docx", banner="SECRET").read_bytes()
    content_type, body = multipart("f", "brief.docx", document)
    head = (f"POST /upload HTTP/1.1\r\n{f'Host: {host}' + chr(13) + chr(10) if host else ''}"
            f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n").encode()
    assert _send_upload(icap, head, body) == "HTTP/1.1 403 Forbidden"
    item = icap.store.get(item_id_in(icap.last_page))
    assert item.recipients == (host,)
    service = QuarantineService(icap.store, QuarantineConfig(four_eyes_severity="off"), accounts=users)
    assert service.release(item.id, "pavel", "checked", confirmation=item.id).done
    again = _send_upload(icap, head, body)
    if host:
        assert again == ""  # released to this host: let through
        other = head.replace(f"Host: {host}".encode(), b"Host: paste.example.org")
        assert _send_upload(icap, other, body) == "HTTP/1.1 403 Forbidden"
    else:
        assert again == "HTTP/1.1 403 Forbidden"
    users.close()
