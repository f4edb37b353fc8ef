"""Upload scanner processes keep nothing they inherited from the proxy: no listening socket,
no client connection, no quarantine database file; only stdio and their own pipe end."""

from __future__ import annotations

import os
import signal
import socket
import time
from pathlib import Path

from test_http_proxy import ORG, LoopThread, curl, item_id_in, make_docx, origin, pipeline  # noqa: F401

from filters.engines.signup import SignupDetector
from gateway.web.config import HttpConfig
from gateway.web.proxy import HttpProxy
from gateway.web.uploads import UploadInspector
from quarantine.sqlite_store import SqliteStore


def descriptors(pid: int) -> dict[int, str]:
    """fd -> what it points at ("socket:[inode]", a path, "pipe:[inode]") for process ``pid``."""
    out = {}
    for entry in Path(f"/proc/{pid}/fd").iterdir():
        try:
            out[int(entry.name)] = os.readlink(entry)
        except OSError:
            continue  # closed while listing
    return out


def assert_holds_only_stdio_and_its_pipe(pid: int) -> None:
    # A fresh fork holds everything until it has closed what it inherited, which it does
    # before it says it is ready (and before it is given work); in a large test process
    # that takes a moment, so look once it has settled (bounded).
    deadline = time.monotonic() + 10
    while True:
        held = descriptors(pid)
        extra = {fd: target for fd, target in held.items() if fd > 2}
        if len(extra) <= 1 or time.monotonic() > deadline:
            break
        time.sleep(0.02)
    ours = set(descriptors(os.getpid()).values())
    assert len(extra) == 1, f"scanner {pid} holds {extra}"
    (target,) = extra.values()
    assert target.startswith("socket:"), f"scanner {pid}: its pipe end is {target}"
    # The proxy closed its copy of the scanner's end: any socket both hold came by fork.
    assert target not in ours, f"scanner {pid} holds the proxy's {target}"


def wait_for_new_pids(inspector: UploadInspector, old: set[int], seconds: float = 5) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        pids = inspector.scanner.pids
        if not old & set(pids):
            return pids
        time.sleep(0.02)
    raise AssertionError(f"scanner processes {old} were not replaced")


def test_upload_scanners_hold_no_socket_no_client_connection_and_no_store_file(
        tmp_path, pipeline, origin):  # noqa: F811
    store = SqliteStore(tmp_path / "quarantine.sqlite")
    assert any("quarantine.sqlite" in t for t in descriptors(os.getpid()).values()), \
        "precondition: the store holds its database file open"
    listening = socket.create_server(("127.0.0.1", 0), backlog=64)
    port = listening.getsockname()[1]
    inspector = UploadInspector(pipeline, store, SignupDetector(ORG), spool_dir=tmp_path / "spool",
                                max_body_bytes=1 << 30, workers=2)
    loop = LoopThread()
    proxy = HttpProxy(HttpConfig(listen=f"127.0.0.1:{port}",
                                 internal_destinations=["127.0.0.0/8"]), inspector)
    kept_alive = None
    try:
        # Forked before the listener started: the store and the listening socket are open.
        first = inspector.scanner.pids
        for pid in first:
            assert_holds_only_stdio_and_its_pipe(pid)
        loop.run(proxy.start(listening))
        # A kept-alive client connection stays open in the proxy while new scanners fork.
        kept_alive = socket.create_connection(("127.0.0.1", port), timeout=5)
        kept_alive.sendall(f"GET {origin.url('/hello')} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        assert kept_alive.recv(65536).startswith(b"HTTP/1.1 200")
        # Scanners that die are replaced from the proxy's waiting threads, mid-request.
        for pid in first:
            os.kill(pid, signal.SIGKILL)
        for _ in first:
            status, page = curl(f"http://127.0.0.1:{port}", "--data", "note=SECRET//NOFORN",
                                origin.url("/notes"))
            assert status == 403, page
        replaced = wait_for_new_pids(inspector, set(first))
        assert len(replaced) == 2
        for pid in replaced:
            assert_holds_only_stdio_and_its_pipe(pid)
        # The replacements scan for real: a marked document is held for its marking.
        path = make_docx(tmp_path / "plan.docx", banner="SECRET//NOFORN")
        status, page = curl(f"http://127.0.0.1:{port}", "-F", f"file=@{path}", origin.url())
        assert status == 403, page
        assert any(h.category == "classification" for h in store.get(item_id_in(page)).hits)
        assert [s.path for s in origin.seen] == ["/hello"], "nothing marked reached the origin"
    finally:
        if kept_alive is not None:
            kept_alive.close()
        loop.run(proxy.drain(1))
        loop.close()
        pids = inspector.scanner.pids
        started = time.monotonic()
        inspector.close()
        store.close()
    # Closing does not hang on a scanner, and leaves no process (nor zombie) behind.
    assert time.monotonic() - started < 3
    for pid in pids:
        assert not Path(f"/proc/{pid}").exists(), f"scanner {pid} still there after close()"
