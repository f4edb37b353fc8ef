"""HTTPS through Redline's own forward proxy: CONNECT intercepted with a minted leaf, uploads inspected.

The origin is a real aiohttp HTTPS server whose certificate comes from a test CA that
Redline trusts through ``http.upstream_ca_file``; clients are curl and Python's ssl on
raw sockets, trusting Redline's interception CA as a managed browser would.
"""
# ruff: noqa: F811 (the fixtures imported from test_http_proxy are test parameters here)

from __future__ import annotations

import contextlib
import datetime
import os
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from test_http_proxy import (  # noqa: F401
    LoopThread,
    Origin,
    Redline,
    curl,
    free_port,
    item_id_in,
    make_docx,
    pipeline,
)

from gateway.ops import metrics
from gateway.web.config import HttpConfig
from gateway.web.interception import (
    Interceptor,
    build_interceptor,
    create_ca,
    default_ca_paths,
    load_ca,
)
from tests.fixtures.tls import OriginCa


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    """The origin's CA and the interception CA (made as `redline tls ca init` makes it)."""
    base = tmp_path_factory.mktemp("pki")
    origin_ca = OriginCa.create(base)
    ca_cert, ca_key = default_ca_paths(base / "data")
    create_ca(ca_cert, ca_key)
    return base, origin_ca, ca_cert, ca_key


def start_origin(pki, names=("localhost", "127.0.0.1"), *, expired: bool = False,
                 host: str = "localhost") -> Origin:
    base, origin_ca, _, _ = pki
    loop = LoopThread()
    server = Origin(loop, ssl_context=origin_ca.server_context(base, list(names), expired=expired),
                    host=host)
    server.start()
    return server


def stop_origin(server: Origin) -> None:
    server.stop()
    server.loop.close()


@pytest.fixture
def origin(pki):
    server = start_origin(pki)
    yield server
    stop_origin(server)


def interceptor(pki) -> Interceptor:
    _, origin_ca, ca_cert, ca_key = pki
    return Interceptor(ca_cert, ca_key, upstream_ca_file=str(origin_ca.path),
                       on_sign=metrics.tls_leaf_signed)


@pytest.fixture
def redline(tmp_path, pipeline, pki, origin):
    running = Redline(tmp_path, pipeline, interceptor=interceptor(pki),
                      connect_ports=[origin.port], tls_handshake_timeout=1.5).start()
    yield running
    running.stop()


def curls(redline, pki, *args: str, timeout: float = 15) -> tuple[int, str]:
    """curl through the proxy, trusting the interception CA for the origin's name."""
    return curl(redline.url, "--cacert", str(pki[2]), *args, timeout=timeout)


def signed() -> float:
    return metrics.sample("redline_tls_leaf_certificates_signed_total") or 0.0


def https_requests(outcome: str) -> float:
    return metrics.sample("redline_http_requests_total",
                          {"scheme": "https", "outcome": outcome}) or 0.0


def connects(outcome: str) -> float:
    return metrics.sample("redline_http_connects_total", {"outcome": outcome}) or 0.0


def open_tunnel(proxy_port: int, target: str, *, timeout: float = 5) -> socket.socket:
    """A raw socket with an answered CONNECT to ``target``."""
    sock = socket.create_connection(("127.0.0.1", proxy_port), timeout=timeout)
    sock.sendall(f"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n\r\n".encode())
    answer = b""
    while b"\r\n\r\n" not in answer:
        chunk = sock.recv(1)
        assert chunk, f"proxy closed after {answer!r}"
        answer += chunk
    assert answer.startswith(b"HTTP/1.1 200"), answer
    return sock


def proxy_alive(redline, pki, origin) -> None:
    """The proxy still intercepts and forwards a clean request."""
    status, body = curls(redline, pki, "--data", "note=still here", origin.url("/alive"))
    assert status == 200, body


# -- the CA ------------------------------------------------------------------------------------


def test_ca_init_writes_a_private_key_and_a_ca_certificate(tmp_path):
    cert_path, key_path = default_ca_paths(tmp_path)
    create_ca(cert_path, key_path, organisation="Example Org")
    assert cert_path.name == "interception-ca.crt"
    assert key_path.stat().st_mode & 0o777 == 0o600
    assert cert_path.parent.stat().st_mode & 0o077 == 0
    cert, key = load_ca(cert_path, key_path)
    constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
    assert constraints.ca and constraints.path_length == 0
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    with pytest.raises(FileExistsError):  # never overwritten
        create_ca(cert_path, key_path)


def test_a_ca_key_others_can_read_or_a_foreign_key_is_refused_naming_the_key(tmp_path):
    cert_path, key_path = default_ca_paths(tmp_path / "a")
    create_ca(cert_path, key_path)
    key_path.chmod(0o644)
    with pytest.raises(Exception, match=r"http\.ca_key.*chmod 600"):
        load_ca(cert_path, key_path)
    other_cert, other_key = default_ca_paths(tmp_path / "b")
    create_ca(other_cert, other_key)
    with pytest.raises(Exception, match=r"http\.ca_key.*is not the key of"):
        load_ca(cert_path, other_key)
    with pytest.raises(Exception, match=r"http\.ca_cert: cannot read"):
        build_interceptor(HttpConfig(ca_cert=str(tmp_path / "none.crt"),
                                     ca_key=str(other_key)), tmp_path)


def test_config_names_the_key_when_only_half_the_ca_is_given():
    with pytest.raises(Exception, match=r"config key http\.ca_key"):
        HttpConfig(ca_cert="/etc/redline/ca.crt")
    with pytest.raises(Exception, match=r"config key http.tls_bypass\[1\]"):
        HttpConfig(tls_bypass=["bank.example", "https://x/"])
    with pytest.raises(Exception, match=r"config key http.internal_destinations\[0\]"):
        HttpConfig(internal_destinations=["10.0.0.0/33"])


def test_an_unreadable_upstream_ca_file_stops_the_start_naming_the_key(tmp_path):
    with pytest.raises(Exception, match=r"config key http\.upstream_ca_file: cannot load"):
        build_interceptor(HttpConfig(upstream_ca_file=str(tmp_path / "missing.pem")), tmp_path)
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("not a certificate")
    with pytest.raises(Exception, match=r"config key http\.upstream_ca_file"):
        build_interceptor(HttpConfig(upstream_ca_file=str(garbage)), tmp_path)


# -- uploads through the interception ------------------------------------------------------------


def test_clean_multipart_upload_over_https_arrives_byte_for_byte(redline, pki, origin, tmp_path):
    path = make_docx(tmp_path / "minutes.docx")
    before = https_requests("pass")
    status, body = curls(redline, pki, "-F", f"file=@{path}", "-F", "note=see attached",
                         origin.url())
    assert status == 200, body
    (seen,) = origin.seen
    assert seen.form["file"] == path.read_bytes()
    assert seen.form["note"] == b"see attached"
    assert "1.1 redline" in seen.headers["Via"]
    assert https_requests("pass") == before + 1


def test_marked_docx_over_https_is_held_and_released_on_retry(redline, pki, origin, tmp_path):
    path = make_docx(tmp_path / "plan.docx", banner="SECRET//NOFORN")
    held = https_requests("quarantine")
    status, page = curls(redline, pki, "-H", "Accept-Language: en", "-F", f"file=@{path}",
                         origin.url())
    assert status == 403
    assert "Upload held for review" in page
    assert "upload:form[file]:plan.docx" in page
    assert origin.seen == []
    item = redline.store.get(item_id_in(page))
    assert item.kind == "upload" and item.status == "pending"
    assert item.recipients == ("localhost",)
    assert item.subject.startswith(f"POST https://localhost:{origin.port}/upload")
    assert redline.store.content(item.id) == path.read_bytes()
    assert https_requests("quarantine") == held + 1
    redline.release(item.id)
    status, _ = curls(redline, pki, "-F", f"file=@{path}", "-F", "x=1", origin.url())
    assert status == 200
    assert origin.seen[0].form["file"] == path.read_bytes()


def test_json_signup_over_https_is_blocked(redline, pki, origin):
    status, page = curls(redline, pki, "-H", "Content-Type: application/json", "--data",
                         '{"user": {"email": "alice@example.org", "password": "x"}}',
                         origin.url("/api/register"))
    assert status == 403
    assert "Sign-up with a work address blocked" in page
    assert origin.seen == []


def test_keep_alive_requests_in_one_tunnel_cost_one_handshake_and_one_signature(
        redline, pki, origin):
    before = signed()
    intercepted = connects("intercepted")
    # curl reuses the connection for several URLs on one command line.
    out = subprocess.run(["curl", "-sS", "--max-time", "15", "-x", redline.url, "--cacert",
                          str(pki[2]), "--data", "a=1", "-w", "%{http_code} %{num_connects}\n",
                          "-o", "/dev/null", "-o", "/dev/null", origin.url("/one"),
                          origin.url("/two")], capture_output=True, text=True, timeout=20)
    assert out.stdout.split() == ["200", "1", "200", "0"], out.stdout + out.stderr
    assert [s.path for s in origin.seen] == ["/one", "/two"]
    assert connects("intercepted") == intercepted + 1
    assert signed() <= before + 1
    # A new connection to the same host: the leaf comes from the cache, no signing.
    after_first = signed()
    for _ in range(3):
        assert curls(redline, pki, origin.url("/again?q=1"))[0] == 200
    assert signed() == after_first
    assert connects("intercepted") == intercepted + 4


# -- the certificates both ways ------------------------------------------------------------------


def test_the_client_sees_a_short_lived_p256_leaf_for_its_name_with_http11_alpn(redline, pki,
                                                                               origin):
    context = ssl.create_default_context(cafile=str(pki[2]))
    context.set_alpn_protocols(["h2", "http/1.1"])
    with open_tunnel(redline.port, f"localhost:{origin.port}") as raw, \
            context.wrap_socket(raw, server_hostname="localhost") as tls:
        der = tls.getpeercert(binary_form=True)
        assert tls.selected_alpn_protocol() == "http/1.1"  # never h2
        tls.sendall(b"GET /hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := tls.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 200")
    leaf = x509.load_der_x509_certificate(der)
    assert isinstance(leaf.public_key(), ec.EllipticCurvePublicKey)
    assert leaf.public_key().curve.name == "secp256r1"
    sans = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert sans.get_values_for_type(x509.DNSName) == ["localhost"]
    assert leaf.not_valid_after_utc - leaf.not_valid_before_utc <= datetime.timedelta(days=15)
    assert leaf.issuer == load_ca(pki[2], pki[3])[0].subject


def test_a_client_hello_without_sni_gets_a_leaf_for_the_connect_host(redline, pki, origin):
    context = ssl.create_default_context(cafile=str(pki[2]))
    context.check_hostname = False  # no SNI: the client connects by address
    with open_tunnel(redline.port, f"127.0.0.1:{origin.port}") as raw, \
            context.wrap_socket(raw, server_hostname=None) as tls:
        leaf = x509.load_der_x509_certificate(tls.getpeercert(binary_form=True))
        tls.sendall(b"POST /nosni HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\n"
                    b"Connection: close\r\n\r\nabc")
        answer = b""
        while chunk := tls.recv(65536):
            answer += chunk
    sans = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert [str(ip) for ip in sans.get_values_for_type(x509.IPAddress)] == ["127.0.0.1"]
    assert answer.startswith(b"HTTP/1.1 200"), answer[:300]
    assert origin.seen[0].body == b"abc"


@pytest.mark.parametrize("names,expired,why", [
    (("localhost",), True, "its certificate has expired"),
    (("wrong.example",), False, "its certificate was issued for a different name"),
])
def test_an_origin_with_an_invalid_certificate_gets_a_clear_page(tmp_path, pipeline, pki,
                                                                 names, expired, why):
    bad = start_origin(pki, names, expired=expired)
    running = Redline(tmp_path, pipeline, interceptor=interceptor(pki),
                      connect_ports=[bad.port]).start()
    try:
        before = https_requests("certificate")
        status, page = curls(running, pki, "-H", "Accept-Language: en", "--data", "a=1",
                             bad.url("/form"))
        assert status == 502
        assert "certificate is not valid" in page
        assert why in page
        assert bad.seen == []
        assert https_requests("certificate") == before + 1
    finally:
        running.stop()
        stop_origin(bad)


def test_an_origin_signed_by_an_unknown_ca_is_refused(tmp_path, pipeline, pki):
    base = tmp_path / "other"
    base.mkdir()
    stranger = OriginCa.create(base, "Unknown Root")
    loop = LoopThread()
    bad = Origin(loop, ssl_context=stranger.server_context(base, ["localhost"]),
                 host="localhost").start()
    running = Redline(tmp_path, pipeline, interceptor=interceptor(pki),
                      connect_ports=[bad.port]).start()
    try:
        status, page = curls(running, pki, bad.url("/"))
        assert status == 502
        assert "not signed by an authority Redline trusts" in page
        assert bad.seen == []
    finally:
        running.stop()
        stop_origin(bad)


def test_a_bypassed_host_is_spliced_and_the_client_sees_the_origins_certificate(
        tmp_path, pipeline, pki, origin):
    running = Redline(tmp_path, pipeline, interceptor=interceptor(pki),
                      connect_ports=[origin.port], tls_bypass=["LOCALHOST"]).start()
    try:
        before = connects("bypassed")
        origin_ca = pki[1]
        context = ssl.create_default_context(cafile=str(origin_ca.path))
        with open_tunnel(running.port, f"localhost:{origin.port}") as raw, \
                context.wrap_socket(raw, server_hostname="localhost") as tls:
            leaf = x509.load_der_x509_certificate(tls.getpeercert(binary_form=True))
        assert leaf.issuer == origin_ca.cert.subject
        assert connects("bypassed") == before + 1
        # Not inspected, by the organisation's explicit choice: the marked file goes.
        status, _ = curl(running.url, "--cacert", str(origin_ca.path), "--data",
                         "SECRET//NOFORN plans", origin.url("/spliced"))
        assert status == 200
        # The interception CA is not what a bypassed host presents.
        status, _ = curls(running, pki, origin.url("/spliced"))
        assert status == 0
    finally:
        running.stop()


def test_without_a_ca_connect_is_refused_not_tunnelled(tmp_path, pipeline, origin):
    running = Redline(tmp_path, pipeline, connect_ports=[origin.port]).start()
    try:
        before = connects("refused_no_ca")
        with socket.create_connection(("127.0.0.1", running.port), timeout=5) as sock:
            sock.sendall(f"CONNECT localhost:{origin.port} HTTP/1.1\r\n\r\n".encode())
            answer = sock.recv(4096)
        assert answer.startswith(b"HTTP/1.1 403")
        assert b"redline tls ca init" in answer
        assert connects("refused_no_ca") == before + 1
        assert origin.seen == []
    finally:
        running.stop()


def test_internal_destinations_guard_the_proxy_against_reaching_loopback(tmp_path, pipeline, pki,
                                                                         origin):
    running = Redline(tmp_path, pipeline, interceptor=interceptor(pki),
                      connect_ports=[origin.port], internal_destinations=[]).start()
    try:
        # A name that resolves to loopback: refused after resolution, with a page.
        status, page = curls(running, pki, "--data", "a=1", origin.url("/x"))
        assert status == 403
        assert "Internal destination blocked" in page
        # An IP literal: refused at CONNECT.
        with socket.create_connection(("127.0.0.1", running.port), timeout=5) as sock:
            sock.sendall(f"CONNECT 127.0.0.1:{origin.port} HTTP/1.1\r\n\r\n".encode())
            assert sock.recv(4096).startswith(b"HTTP/1.1 403")
        assert origin.seen == []
    finally:
        running.stop()


def test_a_host_header_naming_another_site_is_misdirected(redline, pki, origin):
    status, _ = curls(redline, pki, "-H", "Host: elsewhere.example", "--data", "a=1",
                         origin.url("/front"))
    assert status == 421
    assert origin.seen == []


# -- bad input at the handshake ------------------------------------------------------------------


def client_hello_bytes() -> bytes:
    """A real ClientHello, as Python's ssl (OpenSSL) writes it."""
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    context = ssl.create_default_context()
    tls = context.wrap_bio(incoming, outgoing, server_hostname="localhost")
    with pytest.raises(ssl.SSLWantReadError):
        tls.do_handshake()
    return outgoing.read()


def test_garbage_instead_of_a_client_hello_is_refused_and_the_proxy_goes_on(redline, pki,
                                                                            origin):
    before = connects("refused_not_tls")
    with open_tunnel(redline.port, f"localhost:{origin.port}") as sock:
        sock.sendall(b"SSH-2.0-OpenSSH_9.6p1 Debian-4\r\n")
        # Closed with our bytes unread is a reset: as clear a refusal.
        with contextlib.suppress(ConnectionResetError):
            assert sock.recv(4096) == b""  # closed, nothing tunnelled
    assert connects("refused_not_tls") == before + 1
    assert origin.seen == []
    proxy_alive(redline, pki, origin)


def test_non_tls_is_tunnelled_only_when_configured_and_then_counted(tmp_path, pipeline, pki):
    from test_http_proxy import Echo

    echo = Echo()
    running = Redline(tmp_path, pipeline, interceptor=interceptor(pki), connect_ports=[echo.port],
                      uninspected_connect="tunnel").start()
    try:
        before = connects("tunnelled")
        with open_tunnel(running.port, f"127.0.0.1:{echo.port}") as sock:
            sock.sendall(b"SSH-2.0-OpenSSH_9.6p1\r\n")
            assert sock.recv(4096) == b"SSH-2.0-OpenSSH_9.6p1\r\n"
        assert connects("tunnelled") == before + 1
    finally:
        running.stop()
        echo.server.close()


def test_a_client_that_aborts_mid_handshake_leaves_the_proxy_serving(redline, pki, origin):
    hello = client_hello_bytes()
    before = connects("handshake_failed")
    with open_tunnel(redline.port, f"localhost:{origin.port}") as sock:
        sock.sendall(hello[: len(hello) // 2])
    deadline = time.monotonic() + 5
    while connects("handshake_failed") == before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert connects("handshake_failed") == before + 1
    proxy_alive(redline, pki, origin)


@pytest.mark.parametrize("trickle", [b"\x16\x03", "half"])
def test_a_slowloris_handshake_is_cut_at_the_handshake_timeout(redline, pki, origin, trickle):
    hello = client_hello_bytes()
    start = time.monotonic()
    with open_tunnel(redline.port, f"localhost:{origin.port}", timeout=10) as sock:
        data = hello[: len(hello) // 2] if trickle == "half" else trickle
        closed = False
        for byte in data:  # one byte every 0.2 s: never a complete ClientHello in time
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                closed = True
                break
            time.sleep(0.2)
            if time.monotonic() - start > 6:
                break
        if not closed:
            sock.settimeout(6)
            with contextlib.suppress(ConnectionResetError):
                assert sock.recv(4096) == b""
    # tls_handshake_timeout is 1.5 s; a generous bound for a loaded machine.
    assert time.monotonic() - start < 9
    proxy_alive(redline, pki, origin)


def test_ca_commands_create_and_export_pem_and_der(tmp_path):
    root = Path(__file__).resolve().parents[2]
    run = [sys.executable, "-m", "gateway.cli", "tls", "ca"]
    made = subprocess.run([*run, "init", "--data-dir", str(tmp_path)], capture_output=True,
                          text=True, cwd=root, timeout=60)
    assert made.returncode == 0, made.stderr
    assert "SHA-256 fingerprint" in made.stdout
    key_text = (tmp_path / "tls" / "interception-ca.key").read_text()
    assert key_text.splitlines()[1] not in made.stdout + made.stderr  # the key is never printed
    pem = subprocess.run([*run, "export", "--data-dir", str(tmp_path)], capture_output=True,
                         cwd=root, timeout=60)
    der = subprocess.run([*run, "export", "--der", "--data-dir", str(tmp_path)],
                         capture_output=True, cwd=root, timeout=60)
    assert x509.load_pem_x509_certificate(pem.stdout) == x509.load_der_x509_certificate(der.stdout)
    again = subprocess.run([*run, "init", "--data-dir", str(tmp_path)], capture_output=True,
                           text=True, cwd=root, timeout=60)
    assert again.returncode == 2 and "never overwritten" in again.stderr


# -- in redline serve ------------------------------------------------------------------------


def test_redline_serve_intercepts_with_the_ca_from_the_data_dir_and_says_so(tmp_path, pki,
                                                                           origin):
    from serve_harness import REDLINE, ServeProcess

    data = tmp_path / "data"
    data.mkdir(mode=0o700)  # `tls ca init` writes into the data dir, never makes it
    made = subprocess.run([str(REDLINE), "tls", "ca", "init", "--data-dir", str(data)],
                          capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    ca = data / "tls" / "interception-ca.crt"
    port = free_port()
    config = tmp_path / "redline.toml"
    config.write_text(f'[org]\ndomains = ["example.org"]\n[http]\nconnect_ports = [{origin.port}]\n'
                      f'upstream_ca_file = "{pki[1].path}"\n'
                      'internal_destinations = ["127.0.0.0/8"]\ntls_bypass = ["bank.example"]\n',
                      encoding="utf-8")
    server = ServeProcess(data, ["--config", str(config), "--workers", "1", "--smtp", "off",
                                 "--icap", "off", "--ui", "off", "--metrics", "off",
                                 "--http", f"127.0.0.1:{port}"])
    try:
        line = server.wait_for(r"HTTPS: intercepted and inspected, CA (.*) \(SHA-256")
        assert "Redline interception CA" in line.group(1)
        assert "1 tls_bypass hosts" in server.log
        url = f"http://127.0.0.1:{port}"
        status, page = curl(url, "--cacert", str(ca), "--data", "email=bob%40example.org&"
                            "password=x", origin.url("/signup"))
        assert status == 403 and "work address" in page
        status, _ = curl(url, "--cacert", str(ca), "--data", "email=bob%40gmail.com&password=x",
                         origin.url("/signup"))
        assert status == 200
        assert "CA key" not in server.log and "PRIVATE KEY" not in server.log
    finally:
        server.stop()


def test_a_ca_key_mounted_as_a_kubernetes_secret_with_fs_group_is_accepted(tmp_path):
    # kubelet mounts a Secret owned by root, group fsGroup, mode 0440; the key is still
    # readable by Redline's own group only. Owned by Redline itself, group read stays
    # refused (nothing needs it), and so does a group other than Redline's.
    if os.geteuid() != 0:
        pytest.skip("giving the key file to another account needs root")
    cert_path, key_path = default_ca_paths(tmp_path)
    create_ca(cert_path, key_path)
    key_path.chmod(0o440)
    with pytest.raises(Exception, match=r"http\.ca_key.*chmod 600"):
        load_ca(cert_path, key_path)  # owned by this process's own account
    os.chown(key_path, 4242, os.getegid())
    load_ca(cert_path, key_path)
    os.chown(key_path, 4242, os.getegid() + 4242)
    with pytest.raises(Exception, match=r"http\.ca_key.*chmod 600"):
        load_ca(cert_path, key_path)
    os.chown(key_path, 4242, os.getegid())
    key_path.chmod(0o460)
    with pytest.raises(Exception, match=r"http\.ca_key.*chmod 600"):
        load_ca(cert_path, key_path)  # group-writable


def test_redline_serve_refuses_to_start_with_a_ca_key_others_can_read(tmp_path):
    from serve_harness import REDLINE

    data = tmp_path / "data"
    cert, key = default_ca_paths(data)
    create_ca(cert, key)
    key.chmod(0o640)
    result = subprocess.run([str(REDLINE), "serve", "--data-dir", str(data), "--smtp", "off",
                             "--icap", "off", "--ui", "off", "--metrics", "off", "--http",
                             f"127.0.0.1:{free_port()}"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2
    assert "config key http.ca_key" in result.stderr and "chmod 600" in result.stderr
