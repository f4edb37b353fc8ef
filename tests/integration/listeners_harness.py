"""One ``redline serve`` with its SMTP, HTTP proxy and ICAP listeners, and helpers that send
an item through each the way a real client does (smtplib, curl, a raw ICAP client) and say
what became of it: delivered or held, with the hits the store recorded."""

from __future__ import annotations

import json
import re
import smtplib
import socket
import subprocess
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from integration.serve_harness import Origin, ServeProcess
from integration.smtp_harness import Upstream, free_port

LISTENERS = ("smtp", "http", "icap", "metrics")


@dataclass
class Outcome:
    """What became of one item: ``held`` (with its hits) or delivered."""

    held: bool
    hits: list[dict]
    detail: str = ""

    def rules(self) -> set[str]:
        return {hit["rule"] for hit in self.hits}

    def excerpts(self) -> str:
        return "\n".join(f"{h['rule']} @ {h['where']}: {h['excerpt']}" for h in self.hits)


class Listeners(ServeProcess):
    """``redline serve`` with SMTP, HTTP proxy and ICAP on free ports, an upstream and an origin."""

    def __init__(self, tmp: Path, *, config: str = "", ready_seconds: float = 90.0) -> None:
        self.upstream = Upstream().start()
        self.origin = Origin()
        self.ports = {name: free_port() for name in LISTENERS}
        path = tmp / "redline.toml"
        # The origin listens on loopback, which the proxy refuses unless listed.
        path.write_text('[quarantine]\nfour_eyes_severity = "off"\n[org]\ndomains = ["example.org"]\n'
                        '[http]\ninternal_destinations = ["127.0.0.0/8"]\n' + config,
                        encoding="utf-8")
        flags = [arg for name, port in self.ports.items() for arg in (f"--{name}", f"127.0.0.1:{port}")]
        # One worker is enough for one client at a time; start-up loads the rules and OCR,
        # which takes a while on a busy machine.
        try:
            super().__init__(tmp / "data", ["--config", str(path), "--upstream",
                                            f"127.0.0.1:{self.upstream.port}", "--ui", "off",
                                            "--workers", "1", *flags], ready_seconds=ready_seconds)
        except AssertionError:  # never ready: the server is stopped, its peers go too
            self.upstream.stop()
            self.origin.stop()
            raise

    def close(self) -> None:
        self.stop()
        self.upstream.stop()
        self.origin.stop()

    def metric(self, name: str, **labels: str) -> float:
        """One series' value on the metrics endpoint (0 when it is not there yet)."""
        import urllib.request

        url = f"http://127.0.0.1:{self.ports['metrics']}/metrics"
        with urllib.request.urlopen(url, timeout=10) as response:
            text = response.read().decode()
        for line in text.splitlines():
            series, _, number = line.rpartition(" ")
            found, _, rest = series.partition("{")
            if found == name and dict(re.findall(r'(\w+)="([^"]*)"', rest)) == labels:
                return float(number)
        return 0.0

    # -- the store ----------------------------------------------------------------------

    def held_item(self, marker: str) -> dict | None:
        """The quarantined item whose subject or recipients carry ``marker``, or None."""
        items = json.loads(self.redline("quarantine", "list", "--json", "--search", marker))
        return items[0] if items else None

    # -- SMTP -----------------------------------------------------------------------------

    def mail(self, message: EmailMessage | bytes) -> Outcome:
        """Send ``message`` (its Subject gets a unique tag) over SMTP; held or relayed."""
        tag = uuid.uuid4().hex[:12]
        if isinstance(message, EmailMessage):
            subject = message.get("Subject", "")
            del message["Subject"]
            message["Subject"] = f"{subject} [{tag}]"
            data = message.as_bytes()
        else:
            data = re.sub(rb"(?im)^Subject:([^\r\n]*)", lambda m: m.group(0) + f" [{tag}]".encode(),
                          message, count=1)
        data = re.sub(rb"\r?\n", b"\r\n", data)
        before = len(self.upstream.messages)
        with smtplib.SMTP("127.0.0.1", self.ports["smtp"], timeout=30) as client:
            client.sendmail("alice@example.org", ["bob@partner.test"], data)
        item = self.held_item(tag)
        if item is not None:
            return Outcome(True, item["hits"])
        delivered = [m for m in self.upstream.messages[before:] if tag.encode() in m.content]
        assert delivered, f"mail {tag} was neither held nor delivered:\n{self.log[-3000:]}"
        return Outcome(False, [])

    # -- the forward proxy ------------------------------------------------------------------

    def upload(self, *curl_args: str, path: str = "/upload") -> Outcome:
        """``curl -x PROXY ARGS http://origin/PATH`` (POST): blocked and held, or forwarded."""
        tag = uuid.uuid4().hex[:12]
        url = f"http://127.0.0.1:{self.origin.port}{path}{'&' if '?' in path else '?'}t={tag}"
        result = subprocess.run(
            ["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "30",
             "-x", f"http://127.0.0.1:{self.ports['http']}", *curl_args, url],
            capture_output=True, text=True, timeout=60)
        status = result.stdout.strip()
        # The origin answers POST with 200 and a GET with 501 (it implements POST only):
        # either way the request got through.
        assert status in ("200", "403", "501"), f"curl: {status} {result.stderr}\n{self.log[-3000:]}"
        if status != "403":
            return Outcome(False, [])
        return Outcome(True, self._latest_upload_hits(), detail=status)

    # -- ICAP ---------------------------------------------------------------------------------

    def icap(self, body: bytes, content_type: str, *, path: str = "/upload",
             headers: str = "") -> Outcome:
        """One REQMOD with the whole body (no preview): 204 passes, an encapsulated 403 holds."""
        head = (f"POST http://files.example.net{path} HTTP/1.1\r\nHost: files.example.net\r\n"
                f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n{headers}\r\n"
                ).encode()
        port = self.ports["icap"]
        request = (f"REQMOD icap://127.0.0.1:{port}/reqmod ICAP/1.0\r\nHost: 127.0.0.1\r\n"
                   f"Allow: 204\r\nEncapsulated: req-hdr=0, req-body={len(head)}\r\n\r\n").encode()
        request += head + f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n"
        if not body:
            request = request.replace(f"req-body={len(head)}".encode(), f"null-body={len(head)}".encode())
            request = request[: request.index(head) + len(head)]
        with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
            sock.sendall(request)
            reply = b""
            while b"\r\n\r\n" not in reply or (b" 200 " in reply.split(b"\r\n", 1)[0]
                                              and b"HTTP/1.1" not in reply):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                reply += chunk
        status = reply.split(b"\r\n", 1)[0].decode()
        if status.startswith("ICAP/1.0 204"):
            return Outcome(False, [])
        assert status.startswith("ICAP/1.0 200") and b"403" in reply, reply[:500]
        return Outcome(True, self._latest_upload_hits())

    def _latest_upload_hits(self) -> list[dict]:
        """The hits of the upload held last (tests send one item at a time)."""
        items = json.loads(self.redline("quarantine", "list", "--json", "--kind", "upload",
                                        "--sort=-received", "--limit", "1"))
        return items[0]["hits"] if items else []
