"""The SMTP listener's shortcuts give what the general code they bypass gives."""

from __future__ import annotations

import asyncio
import random

import pytest
from aiosmtpd.smtp import SMTP

from gateway.smtp.handler import MailHandler
from gateway.smtp.message import strip_verdict_headers_in
from gateway.smtp.protocol import RedlineSMTP
from gateway.smtp.relay import _stuffed, _Stuffer

FIXED = [
    "<a@b>", "<a.b@c.d> SIZE=1", "<.a@b>", "<a.@b>", "<a..b@c>", "<a@b.>", "<a@.b>", "<a@b..c>",
    "<a@-b>", "<a@b-> X", "<é@ü.de>", "<a@b>(c) X", "<a@b> (c)", '<"a b"@c>', "<@x:a@b>",
    " <a@b>", "<a@b>  X  Y ", "<a@[1.2.3.4]>", "<a@b>\t X", "<>", "a@b", "<a@b", "<a+tag@b.c>",
    "<user@example.org> BODY=8BITMIME SMTPUTF8", "<" + "x" * 70 + "@b>",
]


def _call(protocol: SMTP, arg: str) -> object:
    try:
        return protocol._getaddr(arg)
    except Exception as exc:  # aiosmtpd's parser raises on some inputs; so must we
        return type(exc)


@pytest.fixture
def protocols():
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        ours = RedlineSMTP(MailHandler(None), None, enable_SMTPUTF8=True, hostname="gw.test",
                           loop=loop)
        theirs = SMTP(MailHandler(None), enable_SMTPUTF8=True, hostname="gw.test", loop=loop)
        ours.local_part_limit = theirs.local_part_limit = 64
        yield ours, theirs
    finally:
        asyncio.set_event_loop(None)
        loop.close()


def test_plain_path_parser_agrees_with_aiosmtpd_on_fixed_and_random_paths(protocols):
    ours, theirs = protocols
    rnd = random.Random(4)
    alphabet = list("ab.@<>- \t()\"\\,;:[]é=+_!#1")
    cases = FIXED + [
        "<" + "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 12))) + ">"
        + "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 5)))
        for _ in range(20000)]
    differing = [(c, _call(ours, c), _call(theirs, c)) for c in cases
                 if _call(ours, c) != _call(theirs, c)]
    assert differing == []
    assert ours._getaddr("<user@example.org> SIZE=10") == ("user@example.org", "SIZE=10")


def test_listed_names_still_give_aiosmtpd_every_command_and_hook(protocols):
    ours, theirs = protocols
    # Every command aiosmtpd finds the slow way, plus XFORWARD, which Redline adds.
    assert set(ours._smtp_methods) == set(theirs._smtp_methods) | {"XFORWARD"}
    assert {"DATA", "MAIL", "RCPT", "EHLO", "STARTTLS"} <= set(ours._smtp_methods)
    assert set(ours._auth_methods) == set(theirs._auth_methods)
    assert set(ours._handle_hooks) >= {"MAIL", "RCPT", "DATA", "RSET", "STARTTLS"}
    assert ours._smtp_methods["DATA"].__self__ is ours


@pytest.mark.parametrize("message, expected", [
    (b"X-Redline-Verdict: pass\r\nSubject: a\r\n\r\nbody\r\nX-Redline-Verdict: x\r\n",
     b"Subject: a\r\n\r\nbody\r\nX-Redline-Verdict: x\r\n"),
    (b"Subject: a\r\nx-redline-verdict: pass\r\n\tfolded\r\nFrom: b\r\n\r\nbody\r\n",
     b"Subject: a\r\nFrom: b\r\n\r\nbody\r\n"),
    (b"Subject: a\r\n\r\nX-Redline-Verdict: pass\r\n", b"Subject: a\r\n\r\nX-Redline-Verdict: pass\r\n"),
])
def test_forged_verdict_headers_are_removed_from_the_header_only(message, expected):
    assert strip_verdict_headers_in(message) == expected


def test_incremental_dot_stuffing_matches_the_whole_message_stuffing():
    rnd = random.Random(7)
    for _ in range(300):
        blocks = [bytes(rnd.choice(b".\r\na") for _ in range(rnd.randint(0, 9)))
                  for _ in range(rnd.randint(1, 6))]
        stuffer = _Stuffer()
        incremental = b"".join(stuffer.feed(b) for b in blocks) + stuffer.end()
        assert incremental == b"".join(_stuffed(blocks)), blocks
