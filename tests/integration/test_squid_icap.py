"""Debian's Squid in front of Redline's ICAP service: curl uploads through Squid, Redline decides.

Also checks that the Squid configuration deploy/ ships parses (``squid -k parse``).
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from test_http_proxy import curl, free_port, item_id_in, make_docx, origin, pipeline  # noqa: F401
from test_icap_service import Icap

from quarantine.store import ItemQuery
from tests.conftest import require_peer

ROOT = Path(__file__).resolve().parents[2]
SQUID = shutil.which("squid") or shutil.which("squid", path="/usr/sbin:/usr/local/sbin")
MISSING = None if SQUID else "squid is not installed (apt-get install squid-openssl)"


def squid_dir() -> Path:
    """A private directory Squid can write to after dropping root to its own user."""
    path = Path(tempfile.mkdtemp(prefix="redline-squid-"))
    path.chmod(0o755)
    if os.geteuid() == 0:
        account = pwd.getpwnam("proxy")
        os.chown(path, account.pw_uid, account.pw_gid)
    return path


def base_config(directory: Path, port: int, *, listen: bool = True) -> str:
    """Squid on a loopback port with its own pid, log and cache directories (no disk cache).

    ``listen=False``: the configuration added after it has its own http_port line.
    """
    return (f"http_port 127.0.0.1:{port}\n" if listen else "") + f"""
pid_filename {directory}/squid.pid
cache_log {directory}/cache.log
access_log stdio:{directory}/access.log
coredump_dir {directory}
cache deny all
cache_mem 8 MB
shutdown_lifetime 0 seconds
dns_nameservers 127.0.0.1
http_access allow localhost
http_access deny all
"""


class Squid:
    """Squid in the foreground (-N), started and stopped by the test."""

    def __init__(self, config: str, *, own_port: bool = False, prepare=None) -> None:
        """``own_port``: ``config`` has its own http_port line, with @PORT@ for the port.

        ``config`` may name files in Squid's private directory as @DIR@; ``prepare(dir)``
        runs before Squid starts (to put them there).
        """
        self.directory = squid_dir()
        self.port = free_port()
        self.config = self.directory / "squid.conf"
        config = config.replace("@PORT@", str(self.port)).replace("@DIR@", str(self.directory))
        if prepare is not None:
            prepare(self.directory)
        self.config.write_text(base_config(self.directory, self.port, listen=not own_port)
                               + config)
        self.process = subprocess.Popen([SQUID, "-N", "-f", str(self.config)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"squid exited: {self.log()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise AssertionError(f"squid did not listen within 8 s: {self.log()}")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        path = self.directory / "cache.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
        shutil.rmtree(self.directory, ignore_errors=True)


@pytest.fixture
def icap(tmp_path, pipeline):  # noqa: F811
    service = Icap(tmp_path, pipeline)
    yield service
    service.stop()


@pytest.fixture
def squid(icap):
    require_peer(MISSING)
    port = icap.service.address[1]
    running = Squid(f"""
icap_enable on
icap_send_client_ip on
icap_preview_enable on
icap_preview_size 1024
icap_service redline_reqmod reqmod_precache icap://127.0.0.1:{port}/reqmod bypass=0
adaptation_access redline_reqmod allow all
""")
    yield running
    running.stop()


def test_clean_docx_through_squid_arrives_byte_identical(squid, icap, origin, tmp_path):  # noqa: F811
    path = make_docx(tmp_path / "minutes.docx")
    status, body = curl(squid.url, "-F", f"file=@{path}", "-F", "note=see attached",
                        origin.url())
    assert status == 200, body + squid.log()
    (seen,) = origin.seen
    assert seen.form["file"] == path.read_bytes()
    assert seen.form["note"] == b"see attached"
    assert icap.store.list(ItemQuery())[1] == 0  # nothing held


def test_marked_docx_through_squid_gets_redlines_page_and_nothing_arrives(
        squid, icap, origin, tmp_path):  # noqa: F811
    path = make_docx(tmp_path / "plan.docx", banner="SECRET//NOFORN")
    status, page = curl(squid.url, "-H", "Accept-Language: en", "-F", f"file=@{path}",
                        origin.url())
    assert status == 403, page + squid.log()
    assert "Upload held for review" in page
    assert "upload:form[file]:plan.docx" in page
    assert origin.seen == []
    item = icap.store.get(item_id_in(page))
    assert item.kind == "upload" and item.status == "pending"
    assert item.sender == "127.0.0.1"  # X-Client-IP from Squid
    assert icap.store.content(item.id) == path.read_bytes()
    # Squid goes on serving after a block: a clean post on a new connection passes.
    status, _ = curl(squid.url, "--data", "note=lunch at noon", origin.url("/notes"))
    assert status == 200
    assert origin.seen[0].body == b"note=lunch at noon"


def test_redline_down_fails_closed_through_squid(icap, origin, tmp_path):  # noqa: F811
    require_peer(MISSING)
    # bypass=0 as deploy/ ships it: no ICAP service, no upload.
    running = Squid(f"""
icap_enable on
icap_service redline_reqmod reqmod_precache icap://127.0.0.1:{free_port()}/reqmod bypass=0
adaptation_access redline_reqmod allow all
""")
    try:
        status, _ = curl(running.url, "--data", "note=lunch", origin.url("/notes"))
        assert status >= 500
        assert origin.seen == []
    finally:
        running.stop()


def test_shipped_squid_snippets_parse(tmp_path):
    require_peer(MISSING)
    snippets = sorted((ROOT / "deploy" / "squid").glob("*.conf*"))
    assert snippets, "deploy/squid ships no configuration"
    directory = squid_dir()
    try:
        # The TLS-interception part needs its CA to exist; make a throwaway one.
        ssl = directory / "ssl"
        ssl.mkdir()
        subprocess.run(["openssl", "req", "-new", "-newkey", "rsa:2048", "-sha256", "-days", "2",
                        "-nodes", "-x509", "-subj", "/CN=Redline test CA", "-keyout",
                        str(ssl / "ca.key"), "-out", str(ssl / "ca.pem")],
                       check=True, capture_output=True, timeout=30)
        (ssl / "ca-bundle.pem").write_bytes((ssl / "ca.key").read_bytes()
                                            + (ssl / "ca.pem").read_bytes())
        for snippet in snippets:
            text = (snippet.read_text().replace("/etc/squid/ssl/", f"{ssl}/")
                    .replace("/var/lib/squid/ssl_db", f"{directory}/ssl_db"))
            config = directory / f"{snippet.name}.conf"
            config.write_text(base_config(directory, free_port()) + text)
            result = subprocess.run([SQUID, "-k", "parse", "-f", str(config)], capture_output=True,
                                    text=True, timeout=30)
            problems = [line for line in (result.stdout + result.stderr).splitlines()
                        if any(word in line for word in ("FATAL", "ERROR", "WARNING", "Bungled"))]
            assert result.returncode == 0 and not problems, f"{snippet.name}: {problems}"
    finally:
        shutil.rmtree(directory, ignore_errors=True)
