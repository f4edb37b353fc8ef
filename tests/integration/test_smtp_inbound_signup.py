"""The inbound sign-up net through real SMTP sessions: smtplib client, Redline, aiosmtpd upstream.

Mail from outside the organisation asking a work address to confirm a new account means a
sign-up with that address got through; with [signup] inbound_verification on, Redline acts
on it by the policy (signup: reject by default, or quarantine).
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

import pytest
from integration.smtp_harness import RunningGateway, running_upstream

from filters.build import FiltersConfig, build_pipeline
from filters.engines.signup import SignupDetector
from filters.errors import ConfigError
from gateway.config import Config
from gateway.smtp.listener import inbound_signup_detector


def verification_mail(sender: str = "noreply@saas.test", to: str = "bob@example.org",
                      subject: str = "Welcome to SaaS", html: str = "") -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = f"SaaS <{sender}>", to, subject
    msg.set_content("Hello,\nthanks for joining.\n")
    # The phrase sits only in the base64 HTML part: the net must decode it.
    msg.add_alternative(html or "<p>Please <b>confirm your</b> <a href='https://saas.test/v'>"
                        "account</a> &mdash; or just CONFIRM YOUR ACCOUNT here.</p>",
                        subtype="html", cte="base64")
    return msg.as_bytes(policy=msg.policy.clone(linesep="\r\n"))


def newsletter(sender: str = "news@partner.test", to: str = "bob@example.org") -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, to, "Our autumn programme"
    msg.set_content("Dear reader, the programme for the autumn is out.\n")
    return msg.as_bytes(policy=msg.policy.clone(linesep="\r\n"))


@pytest.fixture
def upstream():
    yield from running_upstream()


@pytest.fixture
def make_gateway(tmp_path, upstream):
    running: list[RunningGateway] = []

    def make(*, net: bool = True, signup_action: str = "reject",
             allowed: tuple[str, ...] = ()) -> RunningGateway:
        config = FiltersConfig.from_mapping({"policy": {"category_actions": {"signup": signup_action}}})
        gateway = RunningGateway(tmp_path / f"data{len(running)}", build_pipeline(config),
                                 upstream=f"127.0.0.1:{upstream.port}", org_domains=("example.org",))
        if net:
            gateway.gateway.inbound_signup = SignupDetector(["example.org"], allowed_services=allowed)
        running.append(gateway.start())
        return gateway

    yield make
    for gateway in running:
        gateway.stop()


def send(gateway: RunningGateway, sender: str, recipients: list[str], data: bytes) -> tuple[int, str]:
    with smtplib.SMTP("127.0.0.1", gateway.port, timeout=8) as smtp:
        smtp.ehlo("mx.partner.test")
        assert smtp.mail(sender)[0] == 250
        for rcpt in recipients:
            assert smtp.rcpt(rcpt)[0] == 250
        code, text = smtp.data(data)
    return code, text.decode()


def test_verification_mail_to_a_work_address_is_refused_and_not_delivered(make_gateway, upstream):
    gateway = make_gateway()
    code, text = send(gateway, "bounce-77@mail.saas.test", ["bob@example.org"], verification_mail())
    assert code == 550 and "signup" in text
    assert upstream.messages == []


def test_verification_mail_is_held_when_the_policy_says_quarantine(make_gateway, upstream):
    gateway = make_gateway(signup_action="quarantine")
    code, text = send(gateway, "bounce@mail.saas.test", ["Bob@Example.org"],
                      verification_mail(subject="Confirm your e-mail"))
    assert code == 250 and "held for review as Q-" in text
    assert upstream.messages == []
    item_id = text.rsplit(" ", 1)[-1]
    item = gateway.store.get(item_id)
    assert item.verdict == "quarantine"
    assert [h.rule for h in item.hits] == ["signup.verification_mail"]
    assert item.recipients == ("Bob@Example.org",)
    assert b"CONFIRM YOUR ACCOUNT" not in gateway.store.content(item_id)  # still base64, untouched


def test_mixed_recipients_do_not_get_the_internal_copy(make_gateway, upstream):
    gateway = make_gateway()
    code, _ = send(gateway, "noreply@saas.test", ["bob@example.org", "eve@partner.test"],
                   verification_mail())
    assert code == 550
    assert upstream.messages == []


def test_ordinary_inbound_mail_and_sanctioned_services_are_delivered(make_gateway, upstream):
    gateway = make_gateway(allowed=("sanctioned.test",))
    assert send(gateway, "news@partner.test", ["bob@example.org"], newsletter())[0] == 250
    assert send(gateway, "noreply@sanctioned.test", ["bob@example.org"],
                verification_mail(sender="noreply@sanctioned.test"))[0] == 250
    assert len(upstream.messages) == 2


def test_outbound_mail_with_the_phrase_is_not_the_net_s_business(make_gateway, upstream):
    gateway = make_gateway()
    body = verification_mail(sender="alice@example.org", to="carol@partner.test")
    assert send(gateway, "alice@example.org", ["carol@partner.test"], body)[0] == 250
    assert len(upstream.messages) == 1


def test_with_the_switch_off_verification_mail_passes(make_gateway, upstream):
    gateway = make_gateway(net=False)
    assert send(gateway, "noreply@saas.test", ["bob@example.org"], verification_mail())[0] == 250
    assert len(upstream.messages) == 1


def test_config_switch_builds_the_detector_only_when_on_and_needs_org_domains():
    assert inbound_signup_detector(Config.from_mapping({})) is None
    on = {"signup": {"inbound_verification": True}}
    with pytest.raises(ConfigError, match=r"signup\.inbound_verification"):
        inbound_signup_detector(Config.from_mapping(on))
    detector = inbound_signup_detector(Config.from_mapping({**on, "org": {"domains": ["example.org"]}}))
    assert detector is not None and detector.is_work_domain("mail.example.org")
    off = {"signup": {"inbound_verification": True, "enabled": False}, "org": {"domains": ["x.test"]}}
    assert inbound_signup_detector(Config.from_mapping(off)) is None


def test_redline_serve_turns_the_net_on_from_the_config(tmp_path, upstream):
    import signal
    import subprocess
    import sys
    from pathlib import Path

    from integration.smtp_harness import free_port, wait_for_port

    port = free_port()
    config = tmp_path / "redline.toml"
    config.write_text(
        f'data_dir = "{tmp_path / "data"}"\n'
        f'[smtp]\nlisten = "127.0.0.1:{port}"\n'
        f'[upstream]\naddress = "127.0.0.1:{upstream.port}"\n'
        '[org]\ndomains = ["example.org"]\n'
        '[signup]\ninbound_verification = true\n')
    redline = str(Path(sys.executable).parent / "redline")
    process = subprocess.Popen(
        [redline, "serve", "--config", str(config), "--workers", "1", "--ui", "off",
         "--http", "off", "--icap", "off", "--metrics", "off"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_for_port(port, 60)  # start-up took over 20 s on a loaded 2-core machine
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
            client.ehlo("saas.test")
            client.mail("noreply@saas.test")
            client.rcpt("bob@example.org")
            code, _ = client.data(verification_mail())
        assert code == 550
        assert upstream.messages == []
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=20)
