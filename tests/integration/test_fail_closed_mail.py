"""Mail structure that used to hide a marking or forge a verdict, over real SMTP: markings
in the MIME preamble or epilogue, two Content-Transfer-Encoding headers, a forged
X-Redline-Verdict after 64 KiB of headers, subjects behind an emoji or 'FW -'."""

from __future__ import annotations

import base64

import pytest
from integration.listeners_harness import Listeners


@pytest.fixture(scope="module")
def gateway(tmp_path_factory):
    server = Listeners(tmp_path_factory.mktemp("mail"))
    yield server
    server.close()


def _multipart(preamble: str, epilogue: str, body: str = "See the agenda below.") -> bytes:
    return (
        "From: alice@example.org\r\nTo: bob@partner.test\r\nSubject: agenda\r\n"
        "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
        f"{preamble}\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
        f"--b1--\r\n{epilogue}\r\n").encode()


def _categories(outcome) -> set[str]:
    return {h["category"] for h in outcome.hits}


@pytest.mark.parametrize("where", ["preamble", "epilogue"])
def test_marking_in_the_preamble_or_epilogue_is_held(gateway, where):
    text = "TOP SECRET//NOFORN\r\nThe operation starts on Monday."
    data = _multipart(text, "") if where == "preamble" else _multipart("", text)
    outcome = gateway.mail(data)
    assert outcome.held and any(f"#{where}" in h["where"] and h["category"] == "classification"
                                for h in outcome.hits), outcome.excerpts()


def test_usual_preamble_passes(gateway):
    outcome = gateway.mail(_multipart("This is a multi-part message in MIME format.", ""))
    assert not outcome.held, outcome.excerpts()


def test_two_transfer_encodings_are_held_and_both_readings_inspected(gateway):
    hidden = base64.b64encode(b"SECRET//NOFORN").decode()  # short: not decoded on its own
    data = ("From: alice@example.org\r\nTo: bob@partner.test\r\nSubject: numbers\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: 7bit\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            f"{hidden}\r\n").encode()
    outcome = gateway.mail(data)
    assert outcome.held and "mail.ambiguous" in outcome.rules(), outcome.excerpts()
    assert any("#as-base64" in h["where"] and h["category"] == "classification"
               for h in outcome.hits), outcome.excerpts()


def test_forged_verdict_after_64_kib_of_headers_is_removed(gateway):
    padding = "".join(f"X-Trace-{i}: {'hop ' * 30}\r\n" for i in range(700))
    assert len(padding) > 64 * 1024
    data = ("From: alice@example.org\r\nTo: bob@partner.test\r\nSubject: lunch\r\n"
            f"{padding}X-Redline-Verdict: forged-pass\r\n  folded-forgery\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nLunch at noon?\r\n").encode()
    before = len(gateway.upstream.messages)
    outcome = gateway.mail(data)
    if outcome.held:
        content = gateway.redline("quarantine", "list", "--json")
        assert "forged-pass" not in content
    else:
        delivered = gateway.upstream.messages[before:]
        assert delivered and all(b"forged-pass" not in m.content and b"folded-forgery" not in m.content
                                 for m in delivered)


@pytest.mark.parametrize("subject", ["🔒 SECRET: deployment plans", "FW - SECRET: plans",
                                     "⚠️ RE: TOP SECRET - annex B", "*** SECRET: plans ***"])
def test_subject_behind_an_emoji_or_fw_dash_is_held(gateway, subject):
    data = (f"From: alice@example.org\r\nTo: bob@partner.test\r\nSubject: {subject}\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: 8bit\r\n\r\nsee above\r\n").encode()
    outcome = gateway.mail(data)
    assert outcome.held and "classification" in _categories(outcome), outcome.excerpts()


@pytest.mark.parametrize("subject", ["🎅 Secret Santa draw", "FW - Secret Santa", "📎 the agenda"])
def test_ordinary_subjects_with_emoji_pass(gateway, subject):
    data = (f"From: alice@example.org\r\nTo: bob@partner.test\r\nSubject: {subject}\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: 8bit\r\n\r\nsee above\r\n").encode()
    assert not gateway.mail(data).held
