"""The SMTP gateway with real peers: smtplib and raw sockets as clients, aiosmtpd as upstream."""

from __future__ import annotations

import asyncio
import contextlib
import io
import re
import smtplib
import socket
import ssl
import time
from email.message import EmailMessage

import dkim
import pytest
from integration.smtp_harness import RunningGateway, Upstream, free_port, running_upstream, strip_trace

from filters.build import build_pipeline
from gateway.smtp.dkim import generate_key
from quarantine.store import ItemQuery


@pytest.fixture(scope="module")
def pipeline():
    return build_pipeline()


@pytest.fixture
def upstream():
    yield from running_upstream()


@pytest.fixture
def make_gateway(tmp_path, pipeline):
    running = []

    def make(**kwargs) -> RunningGateway:
        gateway = RunningGateway(tmp_path / f"data{len(running)}", pipeline, **kwargs).start()
        running.append(gateway)
        return gateway

    yield make
    for gateway in running:
        gateway.stop()


def client(gateway: RunningGateway, **kwargs) -> smtplib.SMTP:
    smtp = smtplib.SMTP("127.0.0.1", gateway.port, timeout=8, **kwargs)
    smtp.ehlo("client.test")
    return smtp


def plain_mail(sender="alice@example.org", to="bob@example.com", body="Lunch at noon?") -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, to, "Lunch"
    msg["Date"] = "Mon, 23 Nov 2026 10:00:00 +0000"
    msg["Message-ID"] = "<lunch-1@example.org>"
    msg.set_content(body)
    return msg.as_bytes(policy=msg.policy.clone(linesep="\r\n"))


def marked_mail(to="ext@example.com") -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("SECRET//NOFORN")
    document.add_paragraph("Meeting notes for the programme board.")
    buffer = io.BytesIO()
    document.save(buffer)
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "alice@example.org", to, "Board notes"
    msg.set_content("Notes attached.")
    msg.add_attachment(buffer.getvalue(), maintype="application",
                       subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
                       filename="notes.docx")
    return msg.as_bytes(policy=msg.policy.clone(linesep="\r\n"))


def send(smtp: smtplib.SMTP, sender: str, recipients: list[str], data: bytes,
         options: tuple[str, ...] = ()) -> tuple[int, bytes]:
    """MAIL, RCPT each, DATA: the reply to the final dot."""
    assert smtp.mail(sender, list(options))[0] == 250
    for rcpt in recipients:
        code, text = smtp.rcpt(rcpt)
        assert code == 250, (rcpt, code, text)
    return smtp.data(data)


def test_pass_is_relayed_with_trace_headers_dkim_and_the_upstream_reply(
        tmp_path, make_gateway, upstream):
    keys = tmp_path / "keys"
    _, rsa_txt = generate_key(keys, "example.org", "rsa1", "rsa", 1024)
    _, ed_txt = generate_key(keys, "example.org", "ed1", "ed25519")
    gateway = make_gateway(upstream=f"127.0.0.1:{upstream.port}", dkim_dir=keys)
    data = plain_mail()
    with client(gateway) as smtp:
        code, text = send(smtp, "alice@example.org", ["bob@example.com"], data)
    assert (code, text) == (250, b"2.0.0 upstream-accepted-1")  # the upstream's own reply
    (got,) = upstream.messages
    assert got.sender == "alice@example.org" and got.recipients == ["bob@example.com"]
    head = got.content.split(b"\r\n\r\n", 1)[0]
    assert b"\r\nX-Redline-Verdict: pass\r\n" in head
    assert b"Received: from client.test ([127.0.0.1])\r\n\tby redline.test (Redline) with ESMTP" in head
    assert strip_trace(got.content) == data
    records = {b"rsa1._domainkey.example.org.": rsa_txt.encode(),
               b"ed1._domainkey.example.org.": ed_txt.encode()}

    def dns(name, timeout=5):
        return records.get(name)

    def verifies(message: bytes, idx: int) -> bool:
        try:
            return dkim.DKIM(message).verify(idx=idx, dnsfunc=dns)
        except dkim.ValidationError:
            return False

    assert got.content.count(b"DKIM-Signature:") == 2
    assert verifies(got.content, 0) and verifies(got.content, 1)
    # Any change to the body after signing breaks both signatures.
    tampered = got.content.replace(b"Lunch at noon?", b"Lunch at one?")
    assert not verifies(tampered, 0) and not verifies(tampered, 1)


def test_recipient_refused_by_upstream_gets_that_reply(make_gateway, upstream):
    gateway = make_gateway(upstream=f"127.0.0.1:{upstream.port}")
    with client(gateway) as smtp:
        smtp.mail("alice@example.org")
        assert smtp.rcpt("refuse-me@example.com") == (
            550, b"5.1.1 <refuse-me@example.com>: no such user here (upstream)")
        assert smtp.rcpt("bob@example.com") == (250, b"2.1.5 recipient ok (upstream)")
        assert smtp.data(plain_mail())[0] == 250
    assert [m.recipients for m in upstream.messages] == [["bob@example.com"]]


def test_connection_to_upstream_is_reused_between_messages(make_gateway, upstream):
    gateway = make_gateway(upstream=f"127.0.0.1:{upstream.port}")
    peers = set()
    original = upstream.handler.handle_DATA

    async def record_peer(server, session, envelope):
        peers.add(session.peer)
        return await original(server, session, envelope)

    upstream.handler.handle_DATA = record_peer
    for _ in range(3):
        with client(gateway) as smtp:
            assert send(smtp, "alice@example.org", ["bob@example.com"], plain_mail())[0] == 250
    assert len(upstream.messages) == 3
    assert len(peers) == 1, "each message opened a new upstream connection"


def test_marked_docx_is_held_in_the_store_with_its_hits(make_gateway, upstream):
    gateway = make_gateway(upstream=f"127.0.0.1:{upstream.port}")
    data = marked_mail()
    with client(gateway) as smtp:
        code, text = send(smtp, "alice@example.org", ["ext@example.com"], data)
    assert code == 250 and text.startswith(b"2.0.0 held for review as Q-"), text
    item_id = text.decode().rsplit(" ", 1)[1]
    item = gateway.store.get(item_id)
    assert item.status == "pending" and item.kind == "mail"
    assert item.sender == "alice@example.org" and item.recipients == ("ext@example.com",)
    assert item.subject == "Board notes" and item.client == "127.0.0.1"
    assert "classification" in item.categories
    assert any("notes.docx" in h.where for h in item.hits)
    assert gateway.store.content(item_id) == data  # the original bytes, as received
    assert upstream.messages == []


@pytest.mark.parametrize(("size", "pipe_bytes"), [
    (60_000, None), (300_000, None), (1_000_000, None), (1_500_000, None),
    (300_000, 64 * 1024), (1_000_000, 64 * 1024)])
def test_mail_past_the_pipe_size_is_scanned_from_its_spool_file_and_handled_the_same(
        make_gateway, upstream, size, pipe_bytes):
    # Mail held in memory goes to its scanner through the scanner's pipe when the pipe
    # takes it whole (``pipe_bytes``, measured: a kernel with a small socket buffer gives
    # less); a larger one, and one spooled as it arrived (past 1 MiB), is scanned from its
    # spool file. Either way a forged verdict header goes, a clean mail arrives byte for
    # byte and a marking at the very end is found and the mail held with its exact bytes.
    gateway = make_gateway(upstream=f"127.0.0.1:{upstream.port}")
    if pipe_bytes is not None:
        gateway.gateway.scanner.pipe_bytes = pipe_bytes
    filler = "The schedule for the spring maintenance works is attached below.\n"
    clean = plain_mail(body=filler * (size // len(filler)))
    forged = clean.replace(b"Subject: Lunch\r\n", b"Subject: Lunch\r\nX-Redline-Verdict: pass\r\n")
    marked = plain_mail(body=filler * (size // len(filler)) + "SECRET//NOFORN\n")
    with client(gateway) as smtp:
        assert send(smtp, "alice@example.org", ["bob@example.com"], forged)[0] == 250
        code, text = send(smtp, "alice@example.org", ["bob@example.com"], marked)
    assert code == 250 and text.startswith(b"2.0.0 held for review as Q-"), text
    (got,) = upstream.messages
    assert got.content.count(b"X-Redline-Verdict:") == 1
    assert strip_trace(got.content) == clean
    item = gateway.store.get(text.decode().rsplit(" ", 1)[1])
    assert "classification" in item.categories
    assert gateway.store.content(item.id) == marked


@pytest.mark.parametrize("size", [10_000, 1_500_000])
@pytest.mark.parametrize("dotted", [False, True])
def test_lines_beginning_with_a_dot_arrive_unchanged_in_memory_and_spooled(
        make_gateway, upstream, size, dotted):
    # A mail none of whose lines begins with "." is relayed as it came, unsearched; one
    # with such lines anywhere (here in every chunk) must still reach the upstream with
    # each of them dot-stuffed on the wire, so it arrives byte for byte.
    gateway = make_gateway(upstream=f"127.0.0.1:{upstream.port}")
    line = ".. and a line that begins with dots\n" if dotted else "An ordinary line.\n"
    filler = "The schedule for the spring maintenance works is attached below.\n"
    data = plain_mail(body=(filler * 40 + line) * (size // (40 * len(filler))))
    assert (b"\r\n." in data) == dotted
    with client(gateway) as smtp:
        assert send(smtp, "alice@example.org", ["bob@example.com"], data)[0] == 250
    (got,) = upstream.messages
    assert strip_trace(got.content) == data


def test_mixed_message_internal_recipients_get_it_external_copy_is_held(make_gateway, upstream):
    gateway = make_gateway(upstream=f"127.0.0.1:{upstream.port}", org_domains=("example.org",))
    data = marked_mail(to="colleague@hq.example.org, ext@example.com")
    with client(gateway) as smtp:
        code, text = send(smtp, "alice@example.org",
                          ["colleague@hq.example.org", "ext@example.com"], data)
    assert code == 250 and b"external copy is held for review as Q-" in text, text
    (got,) = upstream.messages
    assert got.recipients == ["colleague@hq.example.org"]
    item = gateway.store.get(text.decode().rsplit(" ", 1)[1])
    assert item.recipients == ("ext@example.com",)


def test_internal_only_mail_is_not_inspected(make_gateway, upstream):
    gateway = make_gateway(upstream=f"127.0.0.1:{upstream.port}", org_domains=("example.org",))
    with client(gateway) as smtp:
        code, _ = send(smtp, "alice@example.org", ["colleague@example.org"], marked_mail())
    assert code == 250
    (got,) = upstream.messages
    assert b"X-Redline-Verdict: not-inspected" in got.content


@pytest.mark.parametrize("routed", ["eve%example.net@example.org",
                                    "example.net!eve@example.org"],
                         ids=["percent hack", "bang path"])
def test_an_internal_domain_whose_local_part_routes_elsewhere_is_inspected(make_gateway,
                                                                          upstream, routed):
    # The next MTA may rewrite these to eve@example.net and send the mail out (Postfix
    # does by default): they leave, so they are inspected and the marked mail is held.
    gateway = make_gateway(upstream=f"127.0.0.1:{upstream.port}", org_domains=("example.org",))
    with client(gateway) as smtp:
        code, text = send(smtp, "alice@example.org", [routed], marked_mail(to=routed))
    assert code == 250 and b"held for review" in text, text
    assert upstream.messages == []
    # The same mail to a colleague stays inside, uninspected.
    with client(gateway) as smtp:
        code, text = send(smtp, "alice@example.org", ["eve@example.org"], marked_mail())
    assert code == 250 and b"held" not in text
    (got,) = upstream.messages
    assert b"X-Redline-Verdict: not-inspected" in got.content


def test_without_upstream_mail_lands_in_the_maildir_outbox(make_gateway):
    gateway = make_gateway()
    data = plain_mail()
    with client(gateway) as smtp:
        code, text = send(smtp, "alice@example.org", ["bob@example.com"], data)
    assert code == 250 and b"local outbox" in text
    (path,) = gateway.outbox
    stored = path.read_bytes()
    assert stored.startswith(b"Return-Path: <alice@example.org>\r\n"
                             b"X-Redline-Envelope-To: bob@example.com\r\n")
    assert stored.endswith(data)
    assert list((gateway.data_dir / "outbox" / "tmp").iterdir()) == []


def test_an_upstream_that_closes_the_idle_transaction_during_the_scan_still_gets_the_mail_once(
        make_gateway, upstream):
    # Redline opens the upstream transaction at RCPT (to pass on its reply) and holds it
    # while the mail is scanned; an upstream that times the idle session out (Postfix's
    # smtpd_timeout, smtp-sink's) must not turn a long scan into a 451.
    gateway = make_gateway(upstream=f"127.0.0.1:{upstream.port}")
    original = upstream.handler.handle_RCPT
    closed = []

    async def close_the_first_session(server, session, envelope, address, options):
        reply = await original(server, session, envelope, address, options)
        if not closed:
            closed.append(session.peer)
            asyncio.get_running_loop().call_soon(server.transport.close)
        return reply

    upstream.handler.handle_RCPT = close_the_first_session
    with client(gateway) as smtp:
        code, text = send(smtp, "alice@example.org", ["bob@example.com"], plain_mail())
    assert (code, text) == (250, b"2.0.0 upstream-accepted-1")
    assert len(upstream.messages) == 1 and closed


def test_upstream_down_gives_451_and_succeeds_after_it_returns(make_gateway):
    port = free_port()
    gateway = make_gateway(upstream=f"127.0.0.1:{port}")
    with client(gateway) as smtp:
        smtp.mail("alice@example.org")
        code, text = smtp.rcpt("bob@example.com")
    assert code == 451 and text.startswith(b"4.4.1"), text
    upstream = Upstream(port).start()
    try:
        with client(gateway) as smtp:
            assert send(smtp, "alice@example.org", ["bob@example.com"], plain_mail())[0] == 250
        assert len(upstream.messages) == 1
    finally:
        upstream.stop()


def test_upstream_lost_before_data_gives_451(make_gateway):
    upstream = Upstream().start()
    gateway = make_gateway(upstream=f"127.0.0.1:{upstream.port}")
    with client(gateway) as smtp:
        smtp.mail("alice@example.org")
        assert smtp.rcpt("bob@example.com")[0] == 250
        upstream.stop()  # the upstream goes away while the client sends its data
        code, text = smtp.data(plain_mail())
    assert code == 451, text


def test_store_failure_gives_451(make_gateway, upstream):
    gateway = make_gateway(upstream=f"127.0.0.1:{upstream.port}")
    gateway.store.close()
    with client(gateway) as smtp:
        code, text = send(smtp, "alice@example.org", ["ext@example.com"], marked_mail())
    assert code == 451 and b"quarantine store" in text
    assert upstream.messages == []


def test_open_relay_attempt_from_untrusted_address_is_refused(make_gateway, upstream):
    gateway = make_gateway(upstream=f"127.0.0.1:{upstream.port}")
    smtp = smtplib.SMTP(timeout=8, source_address=("127.0.0.2", 0))
    smtp.connect("127.0.0.1", gateway.port)
    with smtp:
        smtp.ehlo("outside.test")
        code, text = smtp.mail("spammer@outside.test")
        assert code == 550 and text.startswith(b"5.7.1 relaying denied"), text
        assert smtp.rcpt("victim@example.com")[0] >= 500  # no sender accepted: 503
        assert smtp.docmd("DATA")[0] == 503
    assert upstream.messages == []


def test_8bit_body_and_smtputf8_addresses_survive_byte_for_byte(make_gateway, upstream):
    gateway = make_gateway(upstream=f"127.0.0.1:{upstream.port}")
    sender, rcpt = "jürgen@bücher.example", "用户@例子.example"
    data = ("From: jürgen@bücher.example\r\nTo: 用户@例子.example\r\nSubject: Grüße 你好\r\n"
            "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            "Schöne Grüße, 你好\r\n.leading dot line\r\n..two dots\r\n").encode() + \
        b"latin-1 \xe9\xe8 raw\r\n"
    with client(gateway) as smtp:
        assert smtp.has_extn("smtputf8") and smtp.has_extn("8bitmime")
        code, _ = send(smtp, sender, [rcpt], data, ("SMTPUTF8", "BODY=8BITMIME"))
    assert code == 250
    (got,) = upstream.messages
    assert got.sender == sender and got.recipients == [rcpt] and got.smtp_utf8
    assert strip_trace(got.content) == data


def test_recipient_limit_gives_452(make_gateway):
    gateway = make_gateway(max_recipients=2)
    with client(gateway) as smtp:
        smtp.mail("alice@example.org")
        assert smtp.rcpt("a@example.com")[0] == 250
        assert smtp.rcpt("b@example.com")[0] == 250
        assert smtp.rcpt("c@example.com")[0] == 452


def test_oversized_message_gives_552_and_nothing_is_kept(make_gateway):
    gateway = make_gateway(max_message_bytes=4096)
    with client(gateway) as smtp:
        assert smtp.has_extn("size") and smtp.esmtp_features["size"] == "4096"
        code, _ = send(smtp, "alice@example.org", ["bob@example.com"],
                       plain_mail(body="x" * 70 + "\r\n" * 100 + "y" * 5000))
        assert code == 552
        # The session goes on.
        assert send(smtp, "alice@example.org", ["bob@example.com"], plain_mail())[0] == 250
    assert len(gateway.outbox) == 1


def test_overlong_line_gives_500(make_gateway):
    gateway = make_gateway()
    with client(gateway) as smtp:
        code, _ = send(smtp, "alice@example.org", ["bob@example.com"],
                       b"Subject: long\r\n\r\n" + b"x" * 1200 + b"\r\n")
    assert code == 500
    assert gateway.outbox == []


FINAL_REPLY = re.compile(rb"^\d{3} ", re.MULTILINE)


def _raw_session(port: int, *steps: bytes, source: str = "127.0.0.1") -> list[bytes]:
    """Send each step in one go, waiting for the replies to its commands before the next.

    A step is what a pipelining client sends as one group: it waits for one final reply
    per command line before the next step (message data after 354 counts as one command).
    Returns every reply line, the greeting excluded, until the server closes or says 221.
    """
    with socket.create_connection(("127.0.0.1", port), timeout=8,
                                  source_address=(source, 0)) as s:
        s.recv(1024)  # greeting
        data = b""
        expected = 0
        for step in steps:
            s.sendall(step)
            expected += 1 if data.endswith(b"354 End data with <CR><LF>.<CR><LF>\r\n") \
                else step.count(b"\r\n")
            while len(FINAL_REPLY.findall(data)) < expected and not data.endswith(b"221 Bye\r\n"):
                chunk = s.recv(65536)
                if not chunk:
                    return data.split(b"\r\n")[:-1]
                data += chunk
        while not data.endswith(b"221 Bye\r\n"):
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    return data.split(b"\r\n")[:-1]


ENVELOPE = b"MAIL FROM:<alice@example.org>\r\nRCPT TO:<bob@example.com>\r\nDATA\r\n"
SMUGGLE = (b"MAIL FROM:<ceo@example.org>\r\nRCPT TO:<victim@example.com>\r\nDATA\r\n"
           b"From: ceo@example.org\r\nSubject: smuggled\r\n\r\nwire the money\r\n")


def _codes(replies: list[bytes]) -> list[bytes]:
    return [line[:3] for line in replies if line[3:4] == b" "]


@pytest.mark.parametrize("trick", [
    b"\n.\n", b"\r\n.\n", b"\n.\r\n", b"\r.\r", b"\r\n.\r", b"\r.\r\n",
], ids=["LF.LF", "CRLF.LF", "LF.CRLF", "CR.CR", "CRLF.CR", "CR.CRLF"])
def test_smuggling_end_of_data_is_refused_and_nothing_is_delivered(make_gateway, upstream, trick):
    gateway = make_gateway(upstream=f"127.0.0.1:{upstream.port}")
    replies = _raw_session(gateway.port, b"EHLO client.test\r\n", ENVELOPE,
                           b"Subject: hi\r\n\r\nhello" + trick + SMUGGLE + b"\r\n.\r\nQUIT\r\n")
    assert _codes(replies) == [b"250", b"250", b"250", b"354", b"550", b"221"], replies
    assert any(b"5.5.2" in line and b"bare" in line for line in replies)
    assert upstream.messages == []


def test_bare_lf_inside_the_data_is_refused(make_gateway):
    gateway = make_gateway()
    replies = _raw_session(gateway.port, b"EHLO client.test\r\n", ENVELOPE,
                           b"Subject: hi\r\n\r\nline one\nline two\r\n.\r\nQUIT\r\n")
    assert replies[-2].startswith(b"550 5.5.2 message refused: bare LF"), replies
    assert gateway.outbox == []


def test_a_refused_message_leaves_no_upstream_transaction_for_the_next_one(make_gateway,
                                                                           upstream):
    # The upstream's MAIL and RCPT for the refused message are taken back: the next
    # message goes with its own sender to its own recipients only.
    gateway = make_gateway(upstream=f"127.0.0.1:{upstream.port}")
    replies = _raw_session(
        gateway.port, b"EHLO client.test\r\n", ENVELOPE,
        b"Subject: hi\r\n\r\nline one\nline two\r\n.\r\n",
        b"MAIL FROM:<carol@example.org>\r\nRCPT TO:<dave@example.com>\r\nDATA\r\n",
        b"Subject: two\r\n\r\nhello\r\n.\r\nQUIT\r\n")
    assert _codes(replies) == [b"250", b"250", b"250", b"354", b"550", b"250", b"250", b"354",
                               b"250", b"221"], replies
    assert [(m.sender, m.recipients) for m in upstream.messages] == [
        ("carol@example.org", ["dave@example.com"])]


def test_pipelined_commands_after_the_data_are_kept(make_gateway):
    gateway = make_gateway()
    replies = _raw_session(
        gateway.port, b"EHLO client.test\r\n", ENVELOPE,
        b"Subject: one\r\n\r\n.dot\r\n.\r\nMAIL FROM:<alice@example.org>\r\n"
        b"RCPT TO:<carol@example.com>\r\nDATA\r\n",
        b"Subject: two\r\n\r\n.\r\nQUIT\r\n")
    assert _codes(replies) == [b"250", b"250", b"250", b"354", b"250", b"250", b"250", b"354",
                               b"250", b"221"], replies
    first, second = (p.read_bytes() for p in gateway.outbox)
    assert first.endswith(b"Subject: one\r\n\r\ndot\r\n")
    assert second.endswith(b"Subject: two\r\n\r\n")


def test_pipelining_is_advertised_and_a_pipelined_envelope_is_accepted(make_gateway, upstream):
    gateway = make_gateway(upstream=f"127.0.0.1:{upstream.port}")
    with client(gateway) as smtp:
        smtp.ehlo()
        assert smtp.has_extn("pipelining")
    replies = _raw_session(gateway.port, b"EHLO client.test\r\n",
                           b"MAIL FROM:<alice@example.org>\r\nRCPT TO:<bob@example.com>\r\n"
                           b"RCPT TO:<refuse-me@example.com>\r\nDATA\r\n",
                           b"Subject: hi\r\n\r\nhello\r\n.\r\nQUIT\r\n")
    assert _codes(replies)[-6:] == [b"250", b"250", b"550", b"354", b"250", b"221"], replies
    (got,) = upstream.messages
    assert got.recipients == ["bob@example.com"]


@pytest.mark.parametrize("line", [b"MAIL FROM:<alice@example.org>\n",
                                  b"MAIL FROM:<alice@example.org>\rRCPT TO:<bob@example.com>\r\n",
                                  b"MAIL FROM:<alice@example.org>\r\r\n"],
                         ids=["bare LF", "bare CR inside", "CR CR LF"])
def test_command_line_without_crlf_is_refused_and_the_session_closed(make_gateway, line):
    gateway = make_gateway()
    # Everything behind the bad line must be ignored, even a complete transaction.
    replies = _raw_session(gateway.port, b"EHLO client.test\r\n",
                           line + ENVELOPE[30:] + b"Subject: x\r\n\r\n.\r\nQUIT\r\n")
    assert replies[-1].startswith(b"500 5.5.2 command line refused: bare"), replies
    assert b"closing the connection" in replies[-1]
    assert gateway.outbox == []


@pytest.mark.parametrize(("steps", "after"), [
    ((b"EHLO client.test\r\n", ENVELOPE + b"Subject: x\r\n\r\nbody\r\n.\r\n"), b"DATA"),
    ((b"EHLO client.test\r\nMAIL FROM:<alice@example.org>\r\n",
      b"RCPT TO:<bob@example.com>\r\nDATA\r\n"), b"EHLO"),
    ((b"EHLO client.test\r\n", b"NOOP\r\nMAIL FROM:<alice@example.org>\r\n",
      b"RCPT TO:<bob@example.com>\r\nDATA\r\n"), b"NOOP"),
], ids=["data before 354", "commands after EHLO", "commands after NOOP"])
def test_improper_pipelining_is_refused_with_554(make_gateway, steps, after):
    gateway = make_gateway()
    replies = _raw_session(gateway.port, *steps)
    assert replies[-1].startswith(b"554 5.5.0 improper pipelining: commands or data sent after "
                                  + after), replies
    assert b"354" not in b"".join(_codes(replies))
    assert gateway.outbox == []


def test_session_cap_answers_421(make_gateway):
    gateway = make_gateway(max_sessions=1)
    with client(gateway), socket.create_connection(("127.0.0.1", gateway.port), timeout=5) as s:
        assert s.recv(1024).startswith(b"421 4.7.0")
    with client(gateway) as smtp:
        assert smtp.noop()[0] == 250


def test_idle_and_data_timeouts_close_the_session(make_gateway):
    gateway = make_gateway(idle_timeout=0.5, data_timeout=0.5)
    with socket.create_connection(("127.0.0.1", gateway.port), timeout=5) as s:
        s.recv(1024)
        assert s.recv(1024) == b""  # closed by the server after 0.5 s of silence
    with socket.create_connection(("127.0.0.1", gateway.port), timeout=5) as s:
        s.recv(1024)
        s.sendall(b"HELO c\r\n")
        s.recv(1024)
        s.sendall(b"MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n")
        data = b""
        while b"354 " not in data and (chunk := s.recv(1024)):
            data += chunk
        s.sendall(b"Subject: slow\r\n")
        while chunk := s.recv(1024):
            data += chunk
        assert b"354" in data  # then closed mid-DATA: nothing was accepted
    assert gateway.outbox == []


@pytest.mark.parametrize("size", [200_000, 2_500_000])
def test_a_client_gone_mid_data_leaves_nothing_relayed_nor_spooled(make_gateway, upstream, size):
    # The data is read as it arrives (past 1 MiB into the spool file, reading paused
    # while it is written); a client that closes before the end leaves no mail and no
    # file behind, and the next session is served as before.
    gateway = make_gateway(upstream=f"127.0.0.1:{upstream.port}")
    with socket.create_connection(("127.0.0.1", gateway.port), timeout=8) as s:
        s.recv(1024)
        replies = b""
        for step, wanted in ((b"EHLO c\r\n", b"250 "), (ENVELOPE[:-6], b"250 2.1.5"),
                             (b"DATA\r\n", b"354 ")):
            s.sendall(step)
            while wanted not in replies:
                chunk = s.recv(65536)
                assert chunk, replies
                replies += chunk
        s.sendall(b"Subject: cut short\r\n\r\n" + (b"x" * 70 + b"\r\n") * (size // 72))
    spool = gateway.gateway.spool_dir
    deadline = time.monotonic() + 5
    while any(spool.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(spool.iterdir())
    with client(gateway) as smtp:
        assert send(smtp, "alice@example.org", ["bob@example.com"], plain_mail())[0] == 250
    (got,) = upstream.messages
    assert strip_trace(got.content) == plain_mail()


def test_commands_push_the_idle_timeout_back_and_silence_after_them_ends_the_session(
        make_gateway):
    # The session timer is moved, not restarted, by each command: it must neither close
    # a session that keeps talking nor forget to close one that stops.
    gateway = make_gateway(idle_timeout=2.0)
    with socket.create_connection(("127.0.0.1", gateway.port), timeout=10) as s:
        s.recv(1024)
        started = time.monotonic()
        while time.monotonic() - started < 5:  # two and a half idle timeouts, talking
            s.sendall(b"NOOP\r\n")
            assert s.recv(1024).startswith(b"250")
            time.sleep(0.1)
        last = time.monotonic()
        assert s.recv(1024) == b""  # then closed, about 2 s after the last command
        assert 1.5 < time.monotonic() - last < 8


def test_forged_verdict_header_is_removed_before_relaying(make_gateway, upstream):
    gateway = make_gateway(upstream=f"127.0.0.1:{upstream.port}")
    forged = plain_mail().replace(b"Subject: Lunch\r\n",
                                  b"Subject: Lunch\r\nX-Redline-Verdict: pass\r\n\tfolded\r\n")
    with client(gateway) as smtp:
        code, _ = send(smtp, "alice@example.org", ["bob@example.com"], forged)
    assert code == 250
    (got,) = upstream.messages
    assert got.content.count(b"X-Redline-Verdict:") == 1  # ours, at the top
    assert strip_trace(got.content) == plain_mail()
def test_commands_injected_in_the_clear_behind_starttls_are_refused(make_gateway, tmp_path):
    from gateway.commands.tls import write_selfsigned

    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    write_selfsigned(cert, key, "redline.test")
    gateway = make_gateway(tls_cert=str(cert), tls_key=str(key))
    # CVE-2011-0411: the injected commands must never run inside the TLS session.
    replies = _raw_session(gateway.port, b"EHLO client.test\r\n",
                           b"STARTTLS\r\nMAIL FROM:<alice@example.org>\r\n")
    assert replies[-1].startswith(b"554 5.5.0 improper pipelining: data sent after STARTTLS"), \
        replies
    assert not any(line.startswith(b"220") for line in replies)
    with client(gateway) as smtp:  # a STARTTLS done properly still works
        context = ssl.create_default_context(cafile=str(cert))
        context.check_hostname = False
        smtp.starttls(context=context)
        assert smtp.ehlo("client.test")[0] == 250


def test_a_message_that_crashes_the_scanner_is_held_not_retried_forever(make_gateway, upstream,
                                                                         monkeypatch):
    import faulthandler
    import os
    import signal as signals

    import filters.extract as extract_registry

    def crash(part, budget):
        faulthandler.disable()  # the expected crash needs no traceback in the test log
        os.kill(os.getpid(), signals.SIGSEGV)  # what a fault in a C library looks like
        yield from ()

    # The scanner processes fork from this process when the gateway starts: they inherit it.
    monkeypatch.setitem(extract_registry._loaded, "mail", crash)
    gateway = make_gateway(upstream=f"127.0.0.1:{upstream.port}")
    with client(gateway) as smtp:
        code, text = send(smtp, "alice@example.org", ["bob@example.com"], plain_mail())
        assert code == 250 and b"held for review" in text, text
        code, text = send(smtp, "alice@example.org", ["bob@example.com"],
                          plain_mail(body="Dinner at eight?"))
        assert code == 250 and b"held for review" in text, text  # a fresh scanner each time
    items, total = gateway.store.list(ItemQuery())
    assert total == 2 and all(i.hits[0].rule == "extract.crashed" for i in items)
    assert upstream.messages == []


def test_xforward_from_the_mta_in_front_records_the_original_client(make_gateway):
    gateway = make_gateway(trusted_networks=["127.0.0.1/32"])
    held = b"Subject: plan\r\n\r\nSECRET//NOFORN\r\n\r\nthe plan\r\n"
    replies = _raw_session(
        gateway.port, b"EHLO mta.example.org\r\n",
        b"XFORWARD NAME=laptop.example.org ADDR=IPV6:2001:db8::7 PROTO=ESMTP\r\n",
        b"XFORWARD HELO=laptop+2Eexample IDENT=[UNAVAILABLE]\r\n", ENVELOPE,
        held + b".\r\n", ENVELOPE, held.replace(b"plan", b"plan B") + b".\r\nQUIT\r\n")
    assert b"250-XFORWARD NAME ADDR PORT PROTO HELO IDENT SOURCE" in replies
    assert _codes(replies) == [b"250", b"250", b"250", b"250", b"250", b"354", b"250", b"250",
                               b"250", b"354", b"250", b"221"], replies
    items, _ = gateway.store.list(ItemQuery(sort="received"))
    first, second = items
    assert first.client == "2001:db8::7"
    assert first.meta["helo"] == "laptop.example" and first.meta["relayed_by"] == "127.0.0.1"
    assert first.meta["client_name"] == "laptop.example.org"
    # XFORWARD describes one transaction: the next message is the MTA's own again.
    assert second.client == "127.0.0.1" and "relayed_by" not in second.meta


def test_xforward_is_refused_from_untrusted_clients_and_inside_a_transaction(make_gateway):
    gateway = make_gateway(trusted_networks=["127.0.0.1/32"])
    replies = _raw_session(gateway.port, b"EHLO outsider.example\r\n",
                           b"XFORWARD ADDR=10.9.9.9\r\nQUIT\r\n", source="127.0.0.2")
    assert not any(line.startswith(b"250-XFORWARD") for line in replies)
    assert replies[-2].startswith(b"550 5.7.0 XFORWARD is accepted from smtp.trusted_networks")
    replies = _raw_session(gateway.port, b"EHLO mta.example.org\r\n",
                           b"MAIL FROM:<alice@example.org>\r\n", b"XFORWARD ADDR=10.9.9.9\r\n",
                           b"RSET\r\n", b"XFORWARD ADDR=not-an-ip\r\n",
                           b"XFORWARD COLOUR=blue\r\nQUIT\r\n")
    assert [line[:5] for line in replies if line[3:4] == b" "][-5:] == [
        b"503 5", b"250 2", b"501 5", b"501 5", b"221 B"], replies


def _wait_for_messages(upstream, count: int, seconds: float = 5.0) -> list:
    import time

    deadline = time.monotonic() + seconds
    while len(upstream.messages) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    return upstream.messages


def test_hold_notice_tells_the_sender_without_any_content(make_gateway, upstream):
    from quarantine.notice import HoldNotices

    gateway = make_gateway(upstream=f"127.0.0.1:{upstream.port}", org_domains=("example.org",),
                           hold_notices=HoldNotices(from_address="dlp@example.org"))
    with client(gateway) as smtp:
        code, text = send(smtp, "alice@example.org", ["ext@example.com"], marked_mail())
        assert code == 250 and b"held for review as" in text
        # Automatic mail gets no notice (RFC 3834).
        auto = marked_mail().replace(b"Subject: Board notes", b"Auto-Submitted: auto-generated\r\n"
                                     b"Subject: Board notes")
        assert send(smtp, "alice@example.org", ["ext@example.com"], auto)[0] == 250
        # Mixed: the colleague gets it; the sender hears the external copy is held.
        code, text = send(smtp, "alice@example.org", ["carol@example.org", "ext@example.com"],
                          marked_mail())
        assert code == 250 and b"external copy is held" in text
    messages = _wait_for_messages(upstream, 3)
    notices = [m for m in messages if m.sender in ("", "<>")]
    assert len(notices) == 2 and len(messages) == 3, [m.sender for m in messages]
    (internal,) = [m for m in messages if m.sender not in ("", "<>")]
    assert internal.recipients == ["carol@example.org"]
    items, _ = gateway.store.list(ItemQuery(sort="received"))
    for notice, item in zip(notices, [items[0], items[2]], strict=True):
        assert notice.recipients == ["alice@example.org"]
        text = notice.content.decode()
        assert f"X-Redline-Notice: held {item.id}" in text
        assert "Subject: Held for review: Board notes" in text
        assert "Auto-Submitted: auto-replied" in text
        assert "SECRET" not in text and "NOFORN" not in text and "notes.docx" not in text


def test_notices_never_carry_a_held_subject_to_a_sender_outside_the_org(make_gateway,
                                                                         upstream):
    # An insider puts what should not leave in the subject and names a drop box outside
    # as envelope sender: neither the hold notice nor the reject notice (both quote the
    # subject) may go there. A colleague's own mail still gets both.
    from gateway.smtp.listener import hold_notices_for
    from quarantine.config import QuarantineConfig
    from quarantine.service import QuarantineService

    org = ("example.org",)
    config = QuarantineConfig(notify_sender_on_hold=True, notice_from="dlp@example.org",
                              four_eyes_severity="off")
    gateway = make_gateway(upstream=f"127.0.0.1:{upstream.port}", org_domains=org,
                           hold_notices=hold_notices_for(config, org))
    leak = marked_mail().replace(b"Subject: Board notes", b"Subject: SECRET launch code 4711")
    with client(gateway) as smtp:
        for sender in ("drop@evil.example", "alice@example.org"):
            code, text = send(smtp, sender, ["ext@example.com"], leak)
            assert code == 250 and b"held for review as" in text, text
    (notice,) = _wait_for_messages(upstream, 1)
    time.sleep(0.5)  # a second notice would show up here
    assert [m.recipients for m in upstream.messages] == [["alice@example.org"]]
    assert "launch code 4711" in notice.content.decode()
    service = QuarantineService(gateway.store, config, org_domains=org)
    items, _ = gateway.store.list(ItemQuery(sort="received"))
    for item in items:
        service.reject(item.id, "olga", "no")
    outside, inside = items
    assert gateway.store.outbox_state(outside.id) is None
    assert gateway.store.outbox_state(inside.id) is not None


def test_a_retried_held_message_gets_its_first_quarantine_id(make_gateway, upstream):
    from quarantine.notice import HoldNotices

    gateway = make_gateway(upstream=f"127.0.0.1:{upstream.port}",
                           hold_notices=HoldNotices(from_address="dlp@example.org"))
    message = marked_mail()  # fixed bytes, Message-ID included: what an MTA retries
    with client(gateway) as smtp:
        first = send(smtp, "alice@example.org", ["ext@example.com"], message)
    with client(gateway) as smtp:  # the sender did not see the reply and tries again
        second = send(smtp, "alice@example.org", ["ext@example.com"], message)
    assert first[0] == second[0] == 250 and first[1] == second[1], (first, second)
    assert gateway.store.list(ItemQuery())[1] == 1
    assert len(_wait_for_messages(upstream, 1)) == 1  # and one hold notice, not two


def test_an_internal_error_is_a_421_that_closes_the_session(make_gateway, monkeypatch, caplog):
    from gateway.smtp.handler import MailHandler

    async def broken(self, server, session, envelope):
        raise RuntimeError("a bug")

    monkeypatch.setattr(MailHandler, "_decide", broken)
    gateway = make_gateway()
    replies = _raw_session(gateway.port, b"EHLO client.test\r\n", ENVELOPE,
                           b"Subject: x\r\n\r\nhello\r\n.\r\n")
    assert replies[-1] == b"421 4.3.0 internal error in Redline; try again later", replies
    assert b"RuntimeError" not in b"".join(replies)  # no internals to the client
    assert gateway.outbox == []
    assert "smtp internal error" in caplog.text and "a bug" in caplog.text


def test_random_command_streams_get_smtp_replies_and_no_internal_error(make_gateway, caplog):
    import random

    gateway = make_gateway(max_recipients=5)
    rng = random.Random(1234)
    pieces = [b"EHLO x", b"HELO y", b"MAIL FROM:<a@example.org>", b"MAIL FROM:<>",
              b"MAIL FROM:<a@example.org> SIZE=999999999999", b"MAIL FROM:<a@example.org> BODY=8BITMIME",
              b"RCPT TO:<b@example.com>", b"RCPT TO:<\xc3\xa9@example.com>", b"RCPT TO:b@example.com",
              b"DATA", b"RSET", b"NOOP", b"VRFY root", b"EXPN all", b"HELP", b"AUTH PLAIN AAAA",
              b"XFORWARD ADDR=10.0.0.1", b"XFORWARD ADDR=[UNAVAILABLE] NAME=x", b"STARTTLS",
              b"BDAT 10 LAST", b"mail from:<x@y>", b"\x00\xff\xfe", b"A" * 600, b"", b".",
              b"Subject: x", b"QUIT"]
    for _ in range(200):
        commands = [rng.choice(pieces) for _ in range(rng.randrange(1, 12))]
        stream = b"".join(c + rng.choice([b"\r\n", b"\r\n", b"\r\n", b"\n"]) for c in commands)
        with socket.create_connection(("127.0.0.1", gateway.port), timeout=5) as s:
            s.recv(1024)
            s.sendall(stream)
            s.shutdown(socket.SHUT_WR)
            data = b""
            with contextlib.suppress(TimeoutError, ConnectionResetError):
                while chunk := s.recv(65536):
                    data += chunk
        for line in data.split(b"\r\n")[:-1]:
            assert re.match(rb"^[2-5]\d\d[ -]", line), (stream, data)
    assert "smtp internal error" not in caplog.text
    with client(gateway) as smtp:  # and it still takes mail
        assert send(smtp, "alice@example.org", ["bob@example.com"], plain_mail())[0] == 250
