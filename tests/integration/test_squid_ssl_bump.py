"""Squid with ssl-bump in front of Redline's ICAP service, run from the snippet deploy/squid ships.

curl talks HTTPS through Squid to a real aiohttp HTTPS origin; Squid decrypts with its
own CA (made as the snippet's comment says) and hands every upload to Redline over ICAP.
"""
# ruff: noqa: F811 (the fixtures imported from other test modules are test parameters here)

from __future__ import annotations

import os
import pwd
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from test_http_proxy import curl, item_id_in, make_docx, pipeline  # noqa: F401
from test_https_interception import pki, start_origin, stop_origin  # noqa: F401
from test_icap_service import Icap
from test_squid_icap import MISSING, ROOT, Squid

from quarantine.store import Decision, ItemQuery
from tests.conftest import require_peer

CERTGEN = "/usr/lib/squid/security_file_certgen"


def squid_ca(directory: Path) -> Path:
    """Squid's interception CA, made with openssl as the snippet's comment says."""
    subprocess.run(["openssl", "req", "-new", "-newkey", "rsa:2048", "-sha256", "-days", "2",
                    "-nodes", "-x509", "-subj", "/CN=Redline inspection CA (Squid)", "-keyout",
                    str(directory / "ca.key"), "-out", str(directory / "ca.pem")],
                   check=True, capture_output=True, timeout=60)
    (directory / "ca-bundle.pem").write_bytes((directory / "ca.key").read_bytes()
                                              + (directory / "ca.pem").read_bytes())
    return directory / "ca.pem"


def shipped_snippet(icap_port: int, origin_ca: Path) -> str:
    """deploy/squid/squid.conf.snippet with this test's paths and ports put in."""
    text = (ROOT / "deploy" / "squid" / "squid.conf.snippet").read_text()
    replacements = {
        "http_port 3128 ": "http_port 127.0.0.1:@PORT@ ",
        "/etc/squid/ssl/": "@DIR@/ssl/",
        "/var/lib/squid/ssl_db": "@DIR@/ssl_db",
        "icap://127.0.0.1:1344/": f"icap://127.0.0.1:{icap_port}/",
        # The test origin's CA stands for an internal CA the organisation adds.
        "tls_outgoing_options default-ca=on": f"tls_outgoing_options default-ca=on "
                                              f"cafile={origin_ca}",
        # Fewer certificate helpers than a production box needs.
        "sslcrtd_children 8 startup=2 idle=1": "sslcrtd_children 2 startup=1 idle=1",
    }
    for old, new in replacements.items():
        assert old in text, f"the shipped snippet no longer has {old!r}"
        text = text.replace(old, new)
    return text


@pytest.fixture
def icap(tmp_path, pipeline):
    service = Icap(tmp_path, pipeline)
    yield service
    service.stop()


@pytest.fixture
def origin(pki):
    server = start_origin(pki)
    yield server
    stop_origin(server)


def prepare_bump(directory: Path) -> None:
    """Squid's CA (ssl/ca.pem, ca-bundle.pem) and certificate database in its directory."""
    ssl = directory / "ssl"
    ssl.mkdir()
    squid_ca(ssl)
    subprocess.run([CERTGEN, "-c", "-s", str(directory / "ssl_db"), "-M", "4MB"],
                   check=True, capture_output=True, timeout=30)
    if os.geteuid() == 0:  # Squid drops root to its own user: let it read and write
        account = pwd.getpwnam("proxy")
        for path in [directory, *directory.rglob("*")]:
            os.chown(path, account.pw_uid, account.pw_gid)


def start_bump(icap_port: int, origin_ca: Path) -> Squid:
    """Squid with ssl-bump from the shipped snippet; ``.ca`` is the CA clients must trust."""
    running = Squid(shipped_snippet(icap_port, origin_ca), own_port=True, prepare=prepare_bump)
    running.ca = running.directory / "ssl" / "ca.pem"
    return running


@pytest.fixture
def bump(icap, pki):
    require_peer(MISSING)
    running = start_bump(icap.service.address[1], pki[1].path)
    yield running
    running.stop()


def through(bump, *args: str) -> tuple[int, str]:
    """curl through Squid, trusting Squid's CA for the origin's name."""
    return curl(bump.url, "--cacert", str(bump.ca), *args, timeout=20)


def test_clean_upload_over_https_through_ssl_bump_arrives_byte_for_byte(bump, icap, origin,
                                                                       tmp_path):
    path = make_docx(tmp_path / "minutes.docx")
    status, body = through(bump, "-F", f"file=@{path}", "-F", "note=see attached", origin.url())
    assert status == 200, body + bump.log()
    (seen,) = origin.seen
    assert seen.form["file"] == path.read_bytes()
    assert seen.form["note"] == b"see attached"
    assert icap.store.list(ItemQuery())[1] == 0


def test_marked_docx_over_https_through_ssl_bump_is_held_then_released(bump, icap, origin,
                                                                      tmp_path):
    path = make_docx(tmp_path / "plan.docx", banner="SECRET//NOFORN")
    status, page = through(bump, "-H", "Accept-Language: en", "-F", f"file=@{path}",
                           origin.url())
    assert status == 403, page + bump.log()
    assert "Upload held for review" in page
    assert origin.seen == []
    item = icap.store.get(item_id_in(page))
    assert item.status == "pending"
    assert item.subject.startswith(f"POST https://localhost:{origin.port}/upload")
    assert icap.store.content(item.id) == path.read_bytes()
    now = datetime.now(UTC)
    icap.store.record_decision(item.id, Decision("release", "olga", now), "released",
                               expect_status=["pending"],
                               allow_upload_until=now + timedelta(minutes=30))
    status, _ = through(bump, "-F", f"file=@{path}", "-F", "x=1", origin.url())
    assert status == 200
    assert origin.seen[0].form["file"] == path.read_bytes()


@pytest.mark.parametrize("address,blocked", [("alice%40example.org", True),
                                             ("alice%40gmail.com", False)])
def test_signup_over_https_through_ssl_bump(bump, icap, origin, address, blocked):
    status, page = through(bump, "-H", "Accept-Language: en", "--data",
                           f"email={address}&password=hunter2&password_confirmation=hunter2",
                           origin.url("/signup"))
    if blocked:
        assert status == 403, page
        assert "Sign-up with a work address blocked" in page
        assert origin.seen == []
    else:
        assert status == 200, page
        assert len(origin.seen) == 1


def test_ssl_bump_refuses_an_origin_with_an_expired_certificate(bump, icap, pki):
    bad = start_origin(pki, expired=True)
    try:
        status, _ = through(bump, "--data", "a=1", bad.url("/form"))
        assert status in (0, 503)  # Squid's error (or a closed connection), never a pass
        assert bad.seen == []
    finally:
        stop_origin(bad)
