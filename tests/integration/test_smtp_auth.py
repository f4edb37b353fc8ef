"""SMTP AUTH on the real listener: smtplib and swaks over STARTTLS, accounts in the real store."""

from __future__ import annotations

import base64
import shutil
import smtplib
import ssl
import subprocess
import time

import pytest
from conftest import require_peer
from integration.serve_harness import REDLINE, ServeProcess, server_pid_of
from integration.smtp_harness import RunningGateway, free_port, running_upstream

from filters.build import build_pipeline
from filters.errors import ConfigError
from gateway.commands.tls import write_selfsigned
from gateway.smtp.config import SmtpConfig
from quarantine.config import QuarantineConfig
from quarantine.service import DecisionRefused, QuarantineService
from quarantine.store import ItemQuery
from quarantine.users import UserStore

PASSWORD = "correct horse battery"
SENDER = "alice@example.org"


@pytest.fixture(scope="module")
def pipeline():
    return build_pipeline()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    write_selfsigned(cert, key, "redline.test")
    return cert, key


@pytest.fixture
def upstream():
    yield from running_upstream()


@pytest.fixture
def make_gateway(tmp_path, pipeline, certificate, upstream):
    """A gateway whose trusted networks exclude 127.0.0.1, so only AUTH lets a client relay."""
    running = []

    def make(**smtp) -> RunningGateway:
        cert, key = certificate
        smtp.setdefault("auth", "offer")
        smtp.setdefault("trusted_networks", ["192.0.2.0/24"])
        gateway = RunningGateway(tmp_path, pipeline, upstream=f"127.0.0.1:{upstream.port}",
                                 tls_cert=str(cert), tls_key=str(key), **smtp).start()
        running.append(gateway)
        users = UserStore(gateway.store)
        users.add(SENDER, "sender", PASSWORD, actor="test")
        users.add("olga", "officer", PASSWORD, actor="test")
        users.close()
        return gateway

    yield make
    for gateway in running:
        gateway.stop()


def connect(gateway: RunningGateway, *, tls: bool = True) -> smtplib.SMTP:
    smtp = smtplib.SMTP("127.0.0.1", gateway.port, timeout=10)
    smtp.ehlo("client.test")
    if tls:
        context = ssl.create_default_context(cafile=str(gateway.gateway.smtp.tls_cert))
        context.check_hostname = False
        smtp.starttls(context=context)
        smtp.ehlo("client.test")
    return smtp


def auth_plain(smtp: smtplib.SMTP, name: str, password: str) -> tuple[int, bytes]:
    blob = base64.b64encode(f"\0{name}\0{password}".encode()).decode()
    return smtp.docmd("AUTH", f"PLAIN {blob}")


def send(smtp: smtplib.SMTP, sender: str = SENDER, body: bytes = b"Subject: hi\r\n\r\nhello\r\n",
         ) -> tuple[int, bytes]:
    code, text = smtp.mail(sender)
    if code != 250:
        return code, text
    smtp.rcpt("bob@example.com")
    return smtp.data(body)


def test_auth_is_offered_after_starttls_only_and_plain_and_login_both_relay(make_gateway,
                                                                            upstream):
    gateway = make_gateway()
    with connect(gateway, tls=False) as smtp:
        assert not smtp.has_extn("auth")
        assert smtp.mail(SENDER)[0] == 530  # not trusted, not authenticated
    with connect(gateway) as smtp:
        assert set(smtp.esmtp_features["auth"].split()) == {"PLAIN", "LOGIN"}
        assert smtp.login(SENDER, PASSWORD)[0] == 235  # smtplib picks PLAIN
        assert send(smtp)[0] == 250
    with connect(gateway) as smtp:
        smtp.user, smtp.password = SENDER, PASSWORD
        assert smtp.auth("LOGIN", smtp.auth_login, initial_response_ok=False)[0] == 235
        assert send(smtp)[0] == 250
    assert len(upstream.messages) == 2
    assert all(b"with ESMTPSA id" in m.content for m in upstream.messages)


def test_wrong_passwords_get_535_then_421_and_the_address_is_throttled(make_gateway):
    gateway = make_gateway(auth_max_failures=4, auth_max_failures_per_address=4)
    with connect(gateway) as smtp:
        assert auth_plain(smtp, SENDER, "wrong one")[0] == 535
        assert auth_plain(smtp, SENDER, "wrong two")[0] == 535
        code, text = auth_plain(smtp, SENDER, "wrong three")
        assert (code, text[:5]) == (421, b"4.7.0"), text  # third in one session: closed
    with connect(gateway) as smtp:
        assert auth_plain(smtp, "nobody@example.org", "wrong four")[0] == 535
        # Four failures from this address: even the right password is not checked now.
        code, text = auth_plain(smtp, SENDER, PASSWORD)
        assert code == 454 and b"too many failed authentications" in text, text
        assert smtp.mail(SENDER)[0] == 530


def test_parallel_connections_share_one_allowance_for_guessers_and_mail_clients(make_gateway):
    """Twenty AUTH attempts at once from one address with wrong passwords get the three
    checks the allowance gives (they count before they are checked), while a mail client
    opening ten connections at once with the right password gets in on all of them."""
    from concurrent.futures import ThreadPoolExecutor

    gateway = make_gateway(auth_max_failures=3, auth_max_failures_per_address=10)

    def one(password: str) -> int:
        with connect(gateway) as smtp:
            return auth_plain(smtp, SENDER, password)[0]

    with ThreadPoolExecutor(20) as pool:
        assert list(pool.map(lambda _: one(PASSWORD), range(10))) == [235] * 10
        codes = list(pool.map(lambda i: one(f"guess {i}"), range(20)))
    assert sorted(codes) == [454] * 17 + [535] * 3, codes
    checked = [e for e in gateway.store.audit_entries(f"user:{SENDER}")
               if e.action == "sign-in-failed" and e.detail["via"] == "smtp"]
    assert len(checked) == 3
    (locked,) = [e for e in gateway.store.audit_entries(f"user:{SENDER}")
                 if e.action == "sign-in-throttled"]
    assert locked.detail["via"] == "smtp" and locked.detail["client"] == "127.0.0.1"


def test_an_officer_account_may_not_send_and_a_garbled_exchange_gets_501(make_gateway):
    gateway = make_gateway()
    with connect(gateway) as smtp:
        assert auth_plain(smtp, "olga", PASSWORD)[0] == 535
        assert smtp.docmd("AUTH", "PLAIN not*base64")[0] == 501
        blob = base64.b64encode(f"boss@example.org\0{SENDER}\0{PASSWORD}".encode()).decode()
        assert smtp.docmd("AUTH", f"PLAIN {blob}")[0] == 535  # acting for someone else
        assert smtp.docmd("AUTH", "CRAM-MD5")[0] == 504
        blob = base64.b64encode(f"\0{SENDER}\0wrong".encode()).decode()
        assert smtp.docmd("AUTH", f"plain {blob}")[0] == 535  # mechanism names: any case
        assert smtp.docmd("AUTH", "LOGIN")[0] == 334
        assert smtp.docmd("*")[0] == 501  # cancelled by the client (RFC 4954)


@pytest.mark.parametrize(("mode", "sender", "code"), [
    ("address", SENDER, 250), ("address", "ALICE@EXAMPLE.ORG", 250),
    ("address", "bob@example.org", 553), ("domain", "bob@example.org", 250),
    ("domain", "bob@example.net", 553), ("off", "ceo@example.net", 250),
    ("address", "", 250),
])
def test_an_account_sends_only_as_its_own_address(make_gateway, mode, sender, code):
    gateway = make_gateway(auth_sender_match=mode)
    with connect(gateway) as smtp:
        smtp.login(SENDER, PASSWORD)
        got, text = smtp.mail(sender)
        assert got == code, text
        if code == 553:
            assert b"may send as" in text


def test_require_mode_asks_trusted_clients_to_authenticate_too(make_gateway, upstream):
    gateway = make_gateway(auth="require", trusted_networks=["127.0.0.0/8"])
    with connect(gateway) as smtp:
        code, text = smtp.mail(SENDER)
        assert code == 530 and b"smtp.auth = require" in text
    with connect(gateway) as smtp:
        smtp.login(SENDER, PASSWORD)
        assert send(smtp)[0] == 250
    assert len(upstream.messages) == 1


def test_held_mail_records_the_account_that_sent_it(make_gateway):
    gateway = make_gateway()
    with connect(gateway) as smtp:
        smtp.login(SENDER, PASSWORD)
        code, text = send(smtp, body=b"Subject: plan\r\n\r\nSECRET//NOFORN\r\n\r\nthe plan\r\n")
        assert code == 250 and b"held for review" in text
    (item,), _ = gateway.store.list(ItemQuery())
    assert item.meta["auth"] == SENDER


@pytest.mark.parametrize(("mode", "sender"), [("address", ""), ("domain", "bob@example.org")],
                         ids=["null sender", "a colleague's address"])
def test_an_officer_may_not_release_what_their_sender_account_sent(tmp_path, pipeline,
                                                                  certificate, mode, sender):
    # olga is an officer and sends mail with her own sender account; the envelope and the
    # From header name bob (or nobody), but the account proves who sent it.
    cert, key = certificate
    gateway = RunningGateway(tmp_path, pipeline, tls_cert=str(cert), tls_key=str(key),
                             auth="offer", trusted_networks=["192.0.2.0/24"],
                             auth_sender_match=mode).start()
    try:
        users = UserStore(gateway.store)
        users.add("olga@example.org", "sender", PASSWORD, actor="test")
        users.add("olga", "officer", PASSWORD, actor="test")
        users.add("pavel", "officer", PASSWORD, actor="test")
        with connect(gateway) as smtp:
            smtp.login("olga@example.org", PASSWORD)
            code, text = send(smtp, sender, body=b"From: Bob <bob@example.org>\r\n"
                              b"Subject: plan\r\n\r\nSECRET//NOFORN\r\n\r\nthe plan\r\n")
            assert code == 250 and b"held for review" in text, text
        (item,), _ = gateway.store.list(ItemQuery())
        service = QuarantineService(gateway.store, QuarantineConfig(four_eyes_severity="off"),
                                    accounts=users)
        with pytest.raises(DecisionRefused, match="olga sent it"):
            service.release(item.id, "olga", "mine", confirmation=item.id)
        assert gateway.store.get(item.id).status == "pending"
        assert service.release(item.id, "pavel", "checked", confirmation=item.id).done
        users.close()
    finally:
        gateway.stop()


def test_auth_without_tls_is_a_config_error_unless_plaintext_is_allowed(make_gateway):
    with pytest.raises(ConfigError, match=r"smtp\.auth: AUTH sends passwords"):
        SmtpConfig(auth="offer")
    gateway = make_gateway(auth_allow_plaintext=True)
    with connect(gateway, tls=False) as smtp:
        assert smtp.has_extn("auth")
        assert smtp.login(SENDER, PASSWORD)[0] == 235


def test_swaks_authenticates_over_starttls(make_gateway, upstream):
    swaks = shutil.which("swaks")
    require_peer(None if swaks else "swaks is not installed (Debian: apt-get install swaks)")
    gateway = make_gateway()
    result = subprocess.run(
        [swaks or "swaks", "--server", f"127.0.0.1:{gateway.port}", "--tls", "--tls-verify",
         "--tls-ca-path", str(gateway.gateway.smtp.tls_cert), "--auth", "LOGIN",
         "--auth-user", SENDER, "--auth-password", PASSWORD, "--from", SENDER,
         "--to", "bob@example.com", "--header", "Subject: swaks auth", "--timeout", "10"],
        capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "235 2.7.0 authentication successful" in result.stdout
    (got,) = upstream.messages
    assert b"Subject: swaks auth" in got.content and b"with ESMTPSA" in got.content


def test_failures_count_on_every_worker_and_never_lock_the_sender_out(tmp_path, upstream):
    """``redline serve --workers 2``: a guesser at 127.0.0.2 spreads wrong passwords over
    both workers and is refused on both; the owner at 127.0.0.3 still gets in, slowed."""
    data = tmp_path / "data"
    subprocess.run([str(REDLINE), "user", "add", SENDER, "--role", "sender", "--password-stdin",
                    "--data-dir", str(data)], input=PASSWORD + "\n", text=True, check=True,
                   capture_output=True, timeout=60)
    config = tmp_path / "redline.toml"
    config.write_text('[smtp]\nauth = "offer"\nauth_allow_plaintext = true\n'
                      'trusted_networks = ["192.0.2.0/24"]\nauth_max_failures = 2\n',
                      encoding="utf-8")
    port = free_port()
    serve = ServeProcess(data, ["--config", str(config), "--smtp", f"127.0.0.1:{port}",
                                "--upstream", f"127.0.0.1:{upstream.port}", "--workers", "2",
                                "--http", "off", "--icap", "off", "--ui", "off",
                                "--metrics", "off"])
    try:
        workers = serve.workers()
        assert len(workers) == 2, serve.log

        def session_on(worker: int, address: str) -> smtplib.SMTP:
            """A session from ``address`` that ``worker`` serves (the kernel picks; we retry)."""
            for _ in range(100):
                smtp = smtplib.SMTP("127.0.0.1", port, timeout=10, source_address=(address, 0))
                if server_pid_of(smtp.sock, workers) == worker:
                    smtp.ehlo("client.test")
                    return smtp
                smtp.close()
            raise AssertionError(f"no session from {address} reached worker {worker}")

        first, second = sorted(workers)
        for worker in (first, second):  # one wrong password on each worker
            with session_on(worker, "127.0.0.2") as smtp:
                assert auth_plain(smtp, SENDER, "guess")[0] == 535
        for worker in (first, second):  # refused on both: they count together
            with session_on(worker, "127.0.0.2") as smtp:
                code, text = auth_plain(smtp, SENDER, PASSWORD)
                assert code == 454 and b"too many failed" in text, (worker, code, text)
        with session_on(second, "127.0.0.3") as smtp:
            started = time.monotonic()
            assert auth_plain(smtp, SENDER, PASSWORD)[0] == 235  # the owner gets in ...
            assert time.monotonic() - started >= 1.0  # ... slowed while the name is attacked
            assert send(smtp)[0] == 250
        with session_on(first, "127.0.0.2") as smtp:  # the owner's success forgives nobody else
            assert auth_plain(smtp, SENDER, PASSWORD)[0] == 454
    finally:
        serve.stop()
    assert len(upstream.messages) == 1


def test_auth_while_the_account_store_is_gone_is_a_temporary_454(make_gateway):
    gateway = make_gateway()
    # The database connection the listener checks accounts and counts failures with is
    # gone (a PostgreSQL restart, a lost file): nobody is let in, the client retries later.
    gateway.gateway.authenticator.users.close()
    with connect(gateway) as smtp:
        code, text = auth_plain(smtp, SENDER, PASSWORD)
        assert (code, text[:5]) == (454, b"4.7.0"), text
        assert b"try again later" in text
        assert smtp.mail(SENDER)[0] == 530
        assert smtp.noop()[0] == 250  # the session goes on
