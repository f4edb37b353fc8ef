"""The forward proxy and the ICAP service on a socket they are handed (as ``redline serve``
hands each worker the supervisor's), and their drain: idle connections closed at once,
requests in progress finished, the rest cut at the deadline, a sibling serving on."""

from __future__ import annotations

import asyncio
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from test_http_proxy import ORG, LoopThread, _complete, free_port, origin, pipeline  # noqa: F401
from test_icap_service import Client, chunk, http_post, reqmod

from filters.engines.signup import SignupDetector
from gateway.web.config import HttpConfig, IcapConfig
from gateway.web.icap import IcapService, start_icap
from gateway.web.proxy import HttpProxy, start_http_proxy
from gateway.web.uploads import UploadInspector
from quarantine.sqlite_store import SqliteStore


def listening_socket() -> socket.socket:
    """A bound, listening socket, as the supervisor makes one (bind_listener)."""
    sock = socket.create_server(("127.0.0.1", 0), backlog=64)
    sock.setblocking(False)
    return sock


class Listeners:
    """Proxies and ICAP services started on given sockets, on one loop, sharing an inspector."""

    def __init__(self, tmp: Path, pipeline) -> None:  # noqa: F811
        self.store = SqliteStore(tmp / "quarantine.sqlite")
        self.inspector = UploadInspector(pipeline, self.store, SignupDetector(ORG),
                                         spool_dir=tmp / "spool", max_body_bytes=1 << 30,
                                         workers=1)
        self.loop = LoopThread()
        self.started: list[HttpProxy | IcapService] = []

    def proxy(self, sock: socket.socket) -> HttpProxy:
        config = HttpConfig(listen=f"127.0.0.1:{sock.getsockname()[1]}",
                            internal_destinations=["127.0.0.0/8"])
        proxy = self.loop.run(start_http_proxy(config, self.inspector, sock=sock))
        self.started.append(proxy)
        return proxy

    def icap(self, sock: socket.socket) -> IcapService:
        config = IcapConfig(listen=f"127.0.0.1:{sock.getsockname()[1]}")
        service = self.loop.run(start_icap(config, self.inspector, '"RL-test-1"', sock=sock))
        self.started.append(service)
        return service

    def drain_later(self, listener: HttpProxy | IcapService, seconds: float):
        """Start ``listener.drain(seconds)``; the returned future ends with it."""
        return asyncio.run_coroutine_threadsafe(listener.drain(seconds), self.loop.loop)

    def close(self) -> None:
        for listener in self.started:
            self.loop.run(listener.drain(0))
        self.loop.close()
        for listener in self.started:
            listener.close()  # after the loop: releases nothing twice, raises nothing
        self.inspector.close()
        self.store.close()


@pytest.fixture
def listeners(tmp_path, pipeline):  # noqa: F811
    running = Listeners(tmp_path, pipeline)
    yield running
    running.close()


def read_response(sock: socket.socket, seconds: float = 5) -> bytes:
    """One whole HTTP response from ``sock``."""
    data = b""
    deadline = time.monotonic() + seconds
    while _complete(data) < 1 and time.monotonic() < deadline:
        block = sock.recv(65536)
        if not block:
            break
        data += block
    return data


def closed_by_peer(sock: socket.socket, seconds: float = 2) -> bool:
    """True when the other side closes ``sock`` within ``seconds`` (sending nothing more)."""
    sock.settimeout(seconds)
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def refuses_connections(port: int, seconds: float = 2) -> bool:
    """True once nothing accepts on ``port`` any more."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except ConnectionRefusedError:
            return True
        except ConnectionResetError:
            pass  # caught in the accept queue as the listener closed: try again
        time.sleep(0.02)
    return False


def wait_until(condition, seconds: float = 5) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.01)


def test_proxy_drain_closes_an_idle_kept_alive_connection_at_once(listeners, origin):  # noqa: F811
    sock = listening_socket()
    port = sock.getsockname()[1]
    proxy = listeners.proxy(sock)
    with socket.create_connection(("127.0.0.1", port), timeout=5) as client:
        client.sendall(f"GET {origin.url('/a')} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        answer = read_response(client)
        assert answer.startswith(b"HTTP/1.1 200") and b"Connection: keep-alive" in answer
        started = time.monotonic()
        listeners.loop.run(proxy.drain(10))
        # Nothing was in progress: the drain does not wait for the idle connection.
        assert time.monotonic() - started < 2
        assert closed_by_peer(client)
    assert refuses_connections(port)


def test_proxy_drain_lets_a_request_in_progress_finish_with_connection_close(
        listeners, origin):  # noqa: F811
    sock = listening_socket()
    port = sock.getsockname()[1]
    proxy = listeners.proxy(sock)
    with socket.create_connection(("127.0.0.1", port), timeout=5) as client:
        client.sendall(f"POST {origin.url('/notes')} HTTP/1.1\r\nHost: x\r\n"
                       "Content-Length: 10\r\n\r\nhello".encode())
        wait_until(lambda: proxy.active == 1)
        started = time.monotonic()
        draining = listeners.drain_later(proxy, 5)
        assert refuses_connections(port), "a draining proxy still accepts"
        assert not draining.done()
        client.sendall(b"world")
        answer = read_response(client)
        assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
        assert b"Connection: close" in answer
        draining.result(3)
        assert time.monotonic() - started < 4
        assert closed_by_peer(client)
    assert [s.body for s in origin.seen] == [b"helloworld"]


def test_proxy_drain_cuts_a_request_still_open_at_the_deadline(listeners, origin):  # noqa: F811
    sock = listening_socket()
    proxy = listeners.proxy(sock)
    with socket.create_connection(sock.getsockname(), timeout=5) as client:
        client.sendall(f"POST {origin.url('/notes')} HTTP/1.1\r\nHost: x\r\n"
                       "Content-Length: 10\r\n\r\nhello".encode())
        wait_until(lambda: proxy.active == 1)
        started = time.monotonic()
        listeners.loop.run(proxy.drain(0.5))
        assert 0.4 < time.monotonic() - started < 3
        assert closed_by_peer(client)
    assert origin.seen == []


def test_a_second_proxy_on_the_same_socket_serves_on_when_the_first_drains(
        listeners, origin):  # noqa: F811
    sock = listening_socket()
    port = sock.getsockname()[1]
    # Two workers: each its own descriptor of the one listening socket.
    first = listeners.proxy(sock)
    listeners.proxy(sock.dup())
    listeners.loop.run(first.drain(5))
    for i in range(10):
        with socket.create_connection(("127.0.0.1", port), timeout=5) as client:
            client.sendall(f"GET {origin.url(f'/n{i}')} HTTP/1.1\r\nHost: x\r\n"
                           "Connection: close\r\n\r\n".encode())
            assert read_response(client).startswith(b"HTTP/1.1 200")
    assert len(origin.seen) == 10


def test_icap_drain_closes_idle_connections_and_finishes_a_reqmod_in_progress(listeners):
    sock = listening_socket()
    port = sock.getsockname()[1]
    service = listeners.icap(sock)
    idle, busy = Client(port), Client(port)
    try:
        idle.send(f"OPTIONS icap://127.0.0.1:{port}/reqmod ICAP/1.0\r\n\r\n".encode())
        assert idle.head()[0] == "ICAP/1.0 200 OK"
        body = b"note=lunch at noon"
        head = http_post("http://upload.example.net/notes", "application/x-www-form-urlencoded",
                         body)
        busy.send(reqmod(port, head, extra="Allow: 204\r\n", body=body) + chunk(body[:5]))
        wait_until(lambda: service.connections == 2)
        started = time.monotonic()
        draining = listeners.drain_later(service, 5)
        # Squid keeps idle ICAP connections: they are closed, not waited for.
        assert closed_by_peer(idle.sock)
        assert refuses_connections(port)
        assert not draining.done()
        busy.send(chunk(body[5:], last=True))
        assert busy.head()[0] == "ICAP/1.0 204 No Content"
        draining.result(3)
        assert time.monotonic() - started < 4
        assert closed_by_peer(busy.sock)
    finally:
        idle.close()
        busy.close()


# -- in redline serve: the workers' drain on reload and stop ---------------------------------


def test_serve_reload_and_stop_do_not_wait_for_idle_proxy_and_icap_connections(
        tmp_path, origin):  # noqa: F811
    redline = Path(sys.executable).with_name("redline")
    http_port, icap_port = free_port(), free_port()
    config = tmp_path / "redline.toml"
    # A long drain: a worker that waited for idle connections would take all of it.
    config.write_text("[serve]\ndrain_seconds = 30.0\n[http]\n"
                      'internal_destinations = ["127.0.0.0/8"]\n', encoding="utf-8")
    process = subprocess.Popen(
        [str(redline), "serve", "--config", str(config), "--data-dir", str(tmp_path / "data"),
         "--workers", "1", "--smtp", "off", "--ui", "off", "--metrics", "off",
         "--http", f"127.0.0.1:{http_port}", "--icap", f"127.0.0.1:{icap_port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stderr), daemon=True)
    reader.start()

    def wait_for_line(pattern: str, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not any(re.search(pattern, line) for line in list(lines)):
            assert time.monotonic() < deadline and process.poll() is None, \
                f"no log line matches {pattern!r}:\n{''.join(lines)}"
            time.sleep(0.02)

    kept: list[socket.socket] = []
    try:
        wait_for_line("redline: ready", 60)
        proxy_client = socket.create_connection(("127.0.0.1", http_port), timeout=5)
        kept.append(proxy_client)
        proxy_client.sendall(f"GET {origin.url('/a')} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        assert read_response(proxy_client).startswith(b"HTTP/1.1 200")
        icap_client = Client(icap_port)
        kept.append(icap_client.sock)
        icap_client.send(f"OPTIONS icap://127.0.0.1:{icap_port}/reqmod ICAP/1.0\r\n\r\n".encode())
        assert icap_client.head()[0] == "ICAP/1.0 200 OK"
        # Reload: the new worker takes over; the old one closes its idle connections and ends.
        process.send_signal(signal.SIGHUP)
        wait_for_line(r"generation 2 serving", 20)
        started = time.monotonic()
        wait_for_line(r"worker 0 pid=\d+ ended", 5)
        assert closed_by_peer(proxy_client, 1) and closed_by_peer(icap_client.sock, 1)
        assert time.monotonic() - started < 5
        with socket.create_connection(("127.0.0.1", http_port), timeout=5) as fresh:
            fresh.sendall(f"GET {origin.url('/b')} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            assert read_response(fresh).startswith(b"HTTP/1.1 200")
            # Stop with this kept-alive connection idle: exit at once, not after 30 s.
            started = time.monotonic()
            process.send_signal(signal.SIGTERM)
            assert process.wait(8) == 0, "".join(lines)
            assert time.monotonic() - started < 5
    finally:
        for sock in kept:
            sock.close()
        if process.poll() is None:
            process.kill()
            process.wait(5)
        reader.join(5)
    assert [s.path for s in origin.seen] == ["/a", "/b"]
