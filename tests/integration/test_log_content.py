"""The gateway's log never carries what a message says, also when a client misbehaves.

Real parts: a ``redline serve`` process and a raw SMTP client on a socket.
"""

from __future__ import annotations

import socket
import time

from serve_harness import ServeProcess
from smtp_harness import free_port


def converse(port: int, lines: list[bytes]) -> bytes:
    """Send ``lines`` in one burst (pipelined, as a hasty client does); what came back."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.recv(1024)
        conn.sendall(b"".join(line + b"\r\n" for line in lines))
        answer = b""
        deadline = time.monotonic() + 10
        conn.settimeout(1)
        while time.monotonic() < deadline:
            try:
                chunk = conn.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            answer += chunk
        return answer


def test_body_lines_sent_after_a_refused_mail_do_not_reach_the_log(tmp_path):
    port = free_port()
    serve = ServeProcess(tmp_path / "data", ["--smtp", f"127.0.0.1:{port}", "--http", "off",
                                             "--icap", "off", "--ui", "off", "--metrics", "off",
                                             "--workers", "1"])
    try:
        # MAIL is refused (too large); the client sends its message anyway, so each body
        # line reaches the server as an unknown command.
        answer = converse(port, [
            b"EHLO client.example.org",
            b"MAIL FROM:<alice@example.org> SIZE=999999999999",
            b"RCPT TO:<bob@partner.example>",
            b"DATA",
            b"Subject: the BLUEFIN plan",
            b"",
            b"BLUEFIN rendezvous at the northern depot, TOP SECRET",
            b".",
            b"QUIT"])
        assert b"552" in answer or b"5" in answer.split(b"\r\n")[2][:1]
        time.sleep(0.5)
    finally:
        serve.stop()
    assert "unrecognised" in serve.log  # the warning itself is kept
    assert "BLUEFIN" not in serve.log and "rendezvous" not in serve.log
