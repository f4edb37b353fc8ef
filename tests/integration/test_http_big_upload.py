"""A large streamed upload through the proxy (its own process) with the proxy's memory bounded.

The size is ``REDLINE_BIG_UPLOAD_MB`` (default 1024: about 7 s on a 2-core machine);
``bench/http.py`` runs it too and prints the figures.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import aiohttp
import psutil
from test_http_proxy import free_port

PEERS = Path(__file__).with_name("http_peers.py")
MiB = 1024 * 1024
SIZE_MB = int(os.environ.get("REDLINE_BIG_UPLOAD_MB", "1024"))
# How much a process may grow while 1 GiB streams through it. Measured from the proxy's own
# resident size before the upload, so what its libraries take at rest (the OCR engine, the
# compiled personal-data scanner) does not count: the test is that memory stays flat.
RSS_GROWTH_BOUND = 160 * MiB
# Clean, inspectable text (a random body would be held as opaque content).
LINE = b"The quarterly figures look fine and the lunch is at noon today, said the memo.\n"
BLOCK = LINE * (MiB // len(LINE)) + LINE[: MiB % len(LINE)]


def start_peer(*args: str) -> subprocess.Popen:
    """Start an http_peers.py process and wait (bounded) for its ``ready`` line."""
    process = subprocess.Popen([sys.executable, str(PEERS), *args], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    ready: list[str] = []
    reader = threading.Thread(target=lambda: ready.append(process.stdout.readline()), daemon=True)
    reader.start()
    reader.join(30)
    if not ready or ready[0].strip() != "ready":
        process.kill()
        raise AssertionError(f"{args[0]} did not start: {process.stderr.read()[-2000:]}")
    return process


def stop_peer(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


class PeakRss:
    """Samples a process's resident memory (and its children's) every 20 ms in a thread."""

    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.peak = 0
        self.peak_child = 0
        self.start = 0  # the process's resident size when sampling began
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            try:
                self.peak = max(self.peak, self.process.memory_info().rss)
                for child in self.process.children():
                    self.peak_child = max(self.peak_child, child.memory_info().rss)
            except psutil.Error:
                pass

    def __enter__(self) -> PeakRss:
        self.start = self.process.memory_info().rss
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(2)


async def upload(proxy: str, url: str, blocks: int, tail: bytes = b"") -> tuple[int, dict, str]:
    """Stream ``blocks`` MiB of text (then ``tail``) through ``proxy``.

    Returns the status, the origin's answer (or the page) and the SHA-256 sent.
    """
    digest = hashlib.sha256()

    async def body():
        for _ in range(blocks):
            digest.update(BLOCK)
            yield BLOCK
        digest.update(tail)
        yield tail

    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(timeout=timeout) as session, session.post(
            url, data=body(), proxy=proxy,
            headers={"Content-Type": "text/plain",
                     "Content-Length": str(blocks * MiB + len(tail))}) as response:
        answer = (await response.json(content_type=None) if response.status == 200
                  else {"page": await response.text()})
        return response.status, answer, digest.hexdigest()


def test_big_streamed_upload_arrives_whole_with_the_proxy_memory_bounded(tmp_path):
    origin_port, proxy_port = free_port(), free_port()
    origin = start_peer("origin", "--listen", f"127.0.0.1:{origin_port}")
    proxy = start_peer("proxy", "--listen", f"127.0.0.1:{proxy_port}", "--data-dir",
                       str(tmp_path), "--max-expanded-bytes", str(4 << 30),
                       # Memory and streaming are under test here, not speed (bench/http.py
                       # measures that): a slow or busy machine must not hit the time limit.
                       "--scan-seconds", "600")
    try:
        started = time.monotonic()
        with PeakRss(proxy.pid) as rss:
            status, answer, sent_sha = asyncio.run(upload(
                f"http://127.0.0.1:{proxy_port}", f"http://127.0.0.1:{origin_port}/big.txt",
                SIZE_MB))
        seconds = time.monotonic() - started
        assert status == 200
        assert answer == {"bytes": SIZE_MB * MiB, "sha256": sent_sha}
        print(f"\n{SIZE_MB} MiB through the proxy in {seconds:.1f} s; RSS proxy "
              f"{rss.start / MiB:.0f} -> {rss.peak / MiB:.0f} MiB, scanner peak "
              f"{rss.peak_child / MiB:.0f} MiB")
        # A scanner is forked from the proxy: it starts at about the proxy's size.
        assert rss.peak - rss.start < RSS_GROWTH_BOUND, (
            f"proxy grew from {rss.start / MiB:.0f} to {rss.peak / MiB:.0f} MiB")
        assert rss.peak_child - rss.start < RSS_GROWTH_BOUND, (
            f"a scanner peaked at {rss.peak_child / MiB:.0f} MiB from {rss.start / MiB:.0f} MiB")
        # The spooled body is removed right after the answer.
        deadline = time.monotonic() + 5
        while list((tmp_path / "spool").iterdir()) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert list((tmp_path / "spool").iterdir()) == []
        # The whole stream is inspected: a marking in its last line holds it.
        status, answer, _ = asyncio.run(upload(
            f"http://127.0.0.1:{proxy_port}", f"http://127.0.0.1:{origin_port}/big.txt", 8,
            tail=b"\nSECRET//NOFORN\n"))
        assert status == 403 and "Upload held for review" in answer["page"]
    finally:
        stop_peer(proxy)
        stop_peer(origin)
