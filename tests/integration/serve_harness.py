"""A real ``redline serve`` process for integration tests: started, its log read, stopped."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REDLINE = Path(sys.executable).with_name("redline")

CODEWORD_RULE = """
[[rule]]
id = "org.codeword.{id}"
category = "codeword"
severity = "high"
description = "The project code word {word}."
triggers = ["{word}"]
pattern = '\\b{word}\\b'
"""


def post_form(proxy_port: int, url: str, body: bytes, *, timeout: float = 30) -> int:
    """POST a urlencoded form to ``url`` through the forward proxy; the status the client
    gets."""
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", proxy_port, timeout=timeout)
    try:
        conn.request("POST", url, body=body,
                     headers={"Content-Type": "application/x-www-form-urlencoded"})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def codeword(word: str) -> str:
    """A marking rule file entry for an organisation's code word (category codeword)."""
    return CODEWORD_RULE.format(word=word, id=word.lower())


class Origin:
    """An HTTP origin server recording the request bodies posted to it."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []
        origin = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                origin.bodies.append(self.rfile.read(length))
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class ServeProcess:
    """``redline serve ARGS`` on a data dir, with its stderr collected line by line."""

    def __init__(self, data: Path, args: list[str], *, ready_seconds: float | None = 60.0,
                 umask: int = -1) -> None:
        self.data = data
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [str(REDLINE), "serve", "--data-dir", str(data), *args],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, umask=umask)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        if ready_seconds is not None:
            try:
                self.wait_for("redline: ready", ready_seconds)
            except AssertionError:
                # A server that never got ready must not outlive the test: left running,
                # its workers load the machine and make the next starts slower still.
                self.stop()
                raise

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line.rstrip("\n"))

    @property
    def log(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, pattern: str, seconds: float = 10.0, *, after: int = 0) -> re.Match:
        """The first log line (from line ``after`` on) matching ``pattern`` (bounded wait)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for line in self.lines[after:]:
                found = re.search(pattern, line)
                if found:
                    return found
            if self.process.poll() is not None and not self._reader.is_alive():
                break
            time.sleep(0.02)
        raise AssertionError(f"no log line matches {pattern!r} after {seconds} s:\n{self.log}")

    def workers(self) -> set[int]:
        """Pids of the worker processes serving now (from /proc: children of the supervisor)."""
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        started = {int(m) for m in re.findall(r"worker \d+ started pid=(\d+)", self.log)}
        return {int(c) for c in children} & started

    def signal(self, signum: int) -> None:
        self.process.send_signal(signum)

    def redline(self, *args: str, stdin: str = "") -> str:
        """Run a ``redline`` subcommand on this gateway's data dir; its stdout."""
        result = subprocess.run([str(REDLINE), *args, "--data-dir", str(self.data)], input=stdin,
                                capture_output=True, text=True, timeout=30)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def stop(self, seconds: float = 20.0) -> int:
        """SIGTERM, bounded wait (then SIGKILL); the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(seconds)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
        self._reader.join(5)
        return self.process.returncode


def server_pid_of(client: socket.socket, candidates: set[int]) -> int:
    """Which of ``candidates`` holds the server end of the connection ``client`` opened."""
    client_port = client.getsockname()[1]
    server_port = client.getpeername()[1]
    # The kernel completes the handshake before a worker accepts: on a busy machine the
    # connection may wait in the listening socket's queue for a while, and until it is
    # accepted its server end has no file, so /proc/net/tcp shows its inode as 0. The
    # table is read again until the inode is there.
    deadline = time.monotonic() + 10
    while True:
        inode = _server_inode(server_port, client_port)
        for pid in candidates if inode else ():
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                try:
                    if os.readlink(fd) == f"socket:[{inode}]":
                        return pid
                except OSError:
                    continue
        if time.monotonic() > deadline:
            raise AssertionError(f"no worker among {candidates} holds the connection "
                                 f"(server end's inode {inode or 'not found'})")
        time.sleep(0.02)


def _server_inode(server_port: int, client_port: int) -> str:
    """The inode of the established server end of the connection between the two ports, or
    "" while there is none (not accepted yet: inode 0; a closed one left in TIME_WAIT)."""
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote, state, inode = fields[1], fields[2], fields[3], fields[9]
        if (state == "01" and inode != "0" and int(local.split(":")[1], 16) == server_port
                and int(remote.split(":")[1], 16) == client_port):
            return inode
    return ""
