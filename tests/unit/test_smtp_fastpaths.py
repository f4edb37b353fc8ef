"""The SMTP listener's shortcuts give what the general code they bypass gives."""

from __future__ import annotations

import asyncio
import random

import pytest
from aiosmtpd.smtp import SMTP

from gateway.smtp.handler import MailHandler
from gateway.smtp.message import (
    _parsed_header_info,
    _plain_header_info,
    header_info,
    strip_verdict_headers_in,
)
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
    (b"X-Redline-Notice: rejected Q-AAAA-BBBB\r\nX-Redline-Other: 1\r\nX-Redlined: kept\r\n"
     b"\r\nbody\r\n", b"X-Redlined: kept\r\n\r\nbody\r\n"),
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



def test_dot_stuffing_of_large_blocks_with_few_or_many_dots_matches_the_whole_message():
    # Blocks of a few kilobytes, as a spooled mail is relayed: sparse line-start dots are
    # put in by position, dense ones by a replace; both must agree with the whole form.
    rnd = random.Random(11)
    for dots_per_line in (0.0, 0.02, 0.3, 1.0):
        lines = []
        for _ in range(2_000):
            line = bytes(rnd.choice(b"abc .") if rnd.random() < 0.1 else rnd.choice(b"abcd ")
                         for _ in range(rnd.randint(0, 70)))
            lines.append(b"." + line if rnd.random() < dots_per_line else line)
        message = b"\r\n".join(lines)
        cuts = sorted(rnd.sample(range(1, len(message)), 12))
        blocks = [message[a:b] for a, b in zip([0, *cuts], [*cuts, len(message)], strict=True)]
        stuffer = _Stuffer()
        incremental = b"".join(stuffer.feed(b) for b in blocks) + stuffer.end()
        assert incremental == b"".join(_stuffed(blocks)), dots_per_line


def _comparable(protocol: SMTP, handler: object, key: str, value: object) -> object:
    """A constructor-set attribute in a form two protocols can be compared by."""
    if key in ("_auth_methods", "_handle_hooks", "_smtp_methods"):
        out = {}
        for name, entry in value.items():
            method = getattr(entry, "method", entry)
            owner = "protocol" if method.__self__ is protocol else (
                "handler" if method.__self__ is handler else "other")
            out[name] = (method.__func__, owner, getattr(entry, "is_builtin", None))
        return out
    if key == "loop" or key.startswith("_stream_reader") or key in (
            "_strong_reader", "_loop", "_closed", "_source_traceback", "_client_connected_cb"):
        return type(value)
    return value


def test_the_per_connection_constructor_sets_what_aiosmtpds_own_does():
    from gateway.smtp import protocol as protocol_module

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        handler = MailHandler(None)
        kwargs = {"data_size_limit": 1000, "enable_SMTPUTF8": True, "hostname": "gw.test",
                  "ident": "Redline ESMTP", "tls_context": None, "require_starttls": False,
                  "auth_require_tls": True, "timeout": 300.0}
        protocol_module._HOOK_TABLES.clear()
        first = RedlineSMTP(handler, None, **kwargs)  # aiosmtpd's constructor; names noted
        assert (RedlineSMTP, MailHandler) in protocol_module._HOOK_TABLES
        fast = RedlineSMTP(handler, None, **kwargs)  # built from the noted names
        assert vars(first).keys() == vars(fast).keys()
        for key, value in vars(first).items():
            assert _comparable(first, handler, key, value) == _comparable(
                fast, handler, key, vars(fast)[key]), key
        assert fast._smtp_methods["NOOP"].__self__ is fast
        assert fast._handle_hooks["DATA"].__self__ is handler
        # A protocol built another way (a loop given, as tests do) gets aiosmtpd's constructor.
        other = RedlineSMTP(handler, None, **{**kwargs, "hostname": ""})
        assert other.hostname  # aiosmtpd's own default: this host's name
    finally:
        loop.close()
        asyncio.set_event_loop(None)


HEADERS = [
    b"From: <a@b.example>\r\nSubject: Lunch",
    b"From: alice@example.org\r\nTo: bob@example.com\r\nSubject:  Lunch   at\r\n\tnoon ",
    b"Subject: first\r\nSubject: second\r\nFrom: Alice Smith <alice@Example.ORG>",
    b"From: John Q. Public <jqp@mail.example.net>\r\nFrom: other@else.example",
    b"from: <x@y.example>\r\nSUBJECT: shouting",
    b'From: "Doe, Jane" <jane@example.org>\r\nSubject: quoted name',
    b"From: jane@example.org (Jane Doe)\r\nSubject: comment",
    b"From: undisclosed-recipients:;\r\nSubject: group",
    b"From: a@b.example, c@d.example\r\nSubject: list",
    b"Subject: =?utf-8?q?caf=C3=A9?=\r\nFrom: <a@b.example>",
    b"Subject: 50% =? off\r\nFrom: <a@b.example>",
    b"From: Ren\xc3\xa9 <rene@example.fr>\r\nSubject: caf\xc3\xa9",
    b"From <a@b.example> Sat Dec  5 03:27:20 2026\r\nSubject: mbox line",
    b"  continued first\r\nFrom: <a@b.example>",
    b"From: <a..b@c.example>\r\nSubject: dots",
    b"From: <@route:a@b.example>\r\nSubject: route",
    b"From: <a@[127.0.0.1]>\r\nSubject: literal",
    b"From:\r\n <folded@example.org>\r\nSubject: folded from",
    b"Subject: no sender",
    b"X-Other: value\r\nFrom: <a@b.example>\r\n",
    b"",
]


@pytest.mark.parametrize("head", HEADERS)
def test_plain_header_reading_agrees_with_the_email_parser(head):
    # The shortcut answers only what it reads plainly; whatever it answers, the email
    # package's parser answers the same.
    plain = _plain_header_info(head)
    assert plain is None or plain == _parsed_header_info(head), head
    assert header_info(head + b"\r\n\r\nbody") == _parsed_header_info(head)


def test_plain_header_reading_agrees_on_random_headers():
    rng = random.Random(21)
    names = [b"From", b"from", b"Subject", b"To", b"X-Note", b"Reply-To"]
    pieces = [b"a", b"Z", b"0", b".", b"@", b"<", b">", b" ", b"\t", b"-", b"_", b",", b";",
              b":", b'"', b"(", b")", b"=?", b"?=", b"example.org", b"\r\n "]
    answered = 0
    for _ in range(3000):
        lines = [rng.choice(names) + b":" + b"".join(rng.choice(pieces)
                 for _ in range(rng.randint(0, 12))) for _ in range(rng.randint(1, 4))]
        head = b"\r\n".join(lines)
        plain = _plain_header_info(head)
        if plain is not None:
            answered += 1
            assert plain == _parsed_header_info(head), head
    assert answered > 300  # the comparison covered the shortcut, not only its refusals


def test_command_lines_are_still_masked_when_aiosmtpds_log_writes_them(caplog):
    # The listener's sanitized_log skips lines the logger drops; one it writes must still
    # have the AUTH secret masked, as aiosmtpd's own does.
    import logging

    import aiosmtpd.smtp as aiosmtpd_smtp

    line = b"AUTH PLAIN AHVzZXIAc2VjcmV0\r\n"
    mail_log = logging.getLogger("mail.log")
    with caplog.at_level(logging.DEBUG, logger="mail.log"):
        aiosmtpd_smtp.sanitized_log(mail_log.debug, "%r >> %r", "peer", line)
    assert len(caplog.records) == 1
    assert "AHVzZXIAc2VjcmV0" not in caplog.records[0].getMessage()
    assert "********" in caplog.records[0].getMessage()
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="mail.log"):
        aiosmtpd_smtp.sanitized_log(mail_log.info, "%r >> %r", "peer", line)
        aiosmtpd_smtp.sanitized_log(mail_log.warning, "%r unrecognised: %s", "peer", "X")
    assert [r.levelname for r in caplog.records] == ["WARNING"]


def test_trusted_peer_cache_answers_as_the_network_check_does_past_its_bound():
    import ipaddress
    from types import SimpleNamespace

    from gateway.smtp import handler as handler_module
    from gateway.smtp.session import RedlineSession

    gateway = SimpleNamespace(trusted_networks=[ipaddress.ip_network("10.1.0.0/16"),
                                                ipaddress.ip_network("::1/128")])
    handler = MailHandler(gateway)
    rnd = random.Random(7)
    peers = [f"10.{rnd.choice((1, 2))}.{rnd.randrange(256)}.{rnd.randrange(256)}"
             for _ in range(3 * handler_module._TRUSTED_PEERS_KEPT)]
    peers += ["::1", "::ffff:10.1.2.3", "fe80::1%eth0", "not an address", ""]
    for peer in peers * 2:  # the second round answers from the cache
        session = RedlineSession(asyncio.new_event_loop())
        session.loop.close()
        session.peer = (peer, 25)
        expected = peer in ("::1", "::ffff:10.1.2.3") or peer.startswith("10.1.")
        assert handler.trusted(session) is expected, peer
        assert len(handler._trusted_peers) <= handler_module._TRUSTED_PEERS_KEPT
