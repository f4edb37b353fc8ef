"""The upstream relay against a real aiosmtpd server: what goes over the wire between messages."""

from __future__ import annotations

import socket
import threading

import pytest
from aiosmtpd.controller import Controller
from integration.smtp_harness import counting_upstream

from gateway.smtp.config import UpstreamConfig
from gateway.smtp.relay import Relay, RelayPool, Transaction, UpstreamUnavailable
from quarantine.delivery import DeliveryDeferred

MESSAGE = b"From: a@example.org\r\nTo: b@partner.test\r\nSubject: x\r\n\r\nhello\r\n"


@pytest.fixture
def upstream():
    yield from counting_upstream()


def pool_for(controller: Controller) -> RelayPool:
    return RelayPool(UpstreamConfig(address=f"127.0.0.1:{controller.port}", timeout=5),
                     "redline.test")


def send(pool: RelayPool, recipient: str = "b@partner.test") -> tuple[int, str]:
    transaction = Transaction(pool, "a@example.org")
    assert transaction.begin()[0] == 250
    assert transaction.rcpt(recipient)[0] == 250
    return transaction.data(b"", MESSAGE)


def test_messages_follow_each_other_on_one_connection_without_rset(upstream):
    controller, handler = upstream
    pool = pool_for(controller)
    try:
        replies = [send(pool) for _ in range(3)]
    finally:
        pool.close()
    assert [code for code, _ in replies] == [250, 250, 250]
    assert len(handler.messages) == 3
    assert handler.connections == 1, "the connection is reused"
    assert handler.resets == 0, "RFC 5321 4.1.1.4: MAIL may follow a finished DATA directly"


def test_an_abandoned_transaction_is_reset_before_the_connection_is_reused(upstream):
    controller, handler = upstream
    pool = pool_for(controller)
    try:
        transaction = Transaction(pool, "a@example.org")
        transaction.begin()
        transaction.rcpt("b@partner.test")
        transaction.finish()  # the client sent RSET or the message was held
        assert handler.resets == 1
        assert send(pool)[0] == 250
    finally:
        pool.close()
    assert handler.connections == 1 and len(handler.messages) == 1


def test_upstream_connections_have_nagle_off(upstream):
    controller, _ = upstream
    pool = pool_for(controller)

    async def nodelay() -> int:
        connection = await pool.async_pool.connect()
        try:
            sock = connection.writer.get_extra_info("socket")
            return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        finally:
            connection.close()

    try:
        assert pool.run(nodelay()) != 0
    finally:
        pool.close()


class PipeliningHandler:
    """An upstream offering PIPELINING that notes whether RCPT came in MAIL's write."""

    def __init__(self) -> None:
        self.rcpt_buffered_at_mail: list[bool] = []
        self.sent_with_mail: list[bytes] = []  # what the client had written with each MAIL
        self.recipients: list[list[str]] = []

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        return [*responses[:-1], "250-PIPELINING", responses[-1]]

    async def handle_MAIL(self, server, session, envelope, address, options):
        self.rcpt_buffered_at_mail.append(b"RCPT TO:" in bytes(server._reader._buffer))
        self.sent_with_mail.append(bytes(server._reader._buffer))
        if address.startswith("refused"):
            return "550 5.7.1 sender refused (upstream)"
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address.startswith("nobody"):
            return "550 5.1.1 no such user (upstream)"
        if address.startswith("later"):
            return "451 4.3.0 try later (upstream)"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 2.0.0 queued"


def test_mail_and_the_first_rcpt_share_one_write_when_the_upstream_pipelines():
    from integration.smtp_harness import free_port

    handler = PipeliningHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), ready_timeout=5)
    controller.start()
    pool = pool_for(controller)
    try:
        transaction = Transaction(pool, "a@example.org")
        assert transaction.begin(first_rcpt="nobody@partner.test")[0] == 250
        assert transaction.rcpt("nobody@partner.test")[0] == 550  # its own, pipelined reply
        assert transaction.rcpt("b@partner.test")[0] == 250
        assert transaction.data(b"", MESSAGE)[0] == 250
        refused = Transaction(pool, "refused@example.org")
        code, text = refused.begin(first_rcpt="b@partner.test")
        assert code == 550 and "sender refused" in text
        assert send(pool)[0] == 250  # the connection is still in step
    finally:
        pool.close()
        controller.stop()
    assert handler.rcpt_buffered_at_mail[:2] == [True, True]
    assert handler.recipients == [["b@partner.test"], ["b@partner.test"]]


@pytest.fixture
def pipelining():
    from integration.smtp_harness import free_port

    handler = PipeliningHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), ready_timeout=5)
    controller.start()
    pool = pool_for(controller)
    try:
        yield pool, handler
    finally:
        pool.close()
        controller.stop()


def test_open_writes_mail_every_rcpt_and_data_at_once_and_a_refused_recipient_stops_it(
        pipelining):
    pool, handler = pipelining
    first = Transaction(pool, "a@example.org")
    (code, text), refused = pool.run(first.transaction.open(
        ["b@partner.test", "nobody@partner.test", "c@partner.test"]))
    assert (code, refused) == (550, "nobody@partner.test") and "no such user" in text
    first.abort()  # as the listener does after answering 451: nothing was delivered
    second = Transaction(pool, "a@example.org")
    (code, _), refused = pool.run(second.transaction.open(["b@partner.test", "c@partner.test"]))
    assert (code, refused) == (250, None)
    assert second.data(b"", MESSAGE)[0] == 250
    assert handler.recipients == [["b@partner.test", "c@partner.test"]]
    assert handler.sent_with_mail[0].count(b"RCPT TO:") == 3
    assert handler.sent_with_mail[0].endswith(b"DATA\r\n")


def test_a_refused_sender_in_a_pipelined_write_resets_and_the_connection_stays_in_step(
        pipelining):
    pool, handler = pipelining
    refused = Transaction(pool, "refused@example.org")
    (code, _), recipient = pool.run(refused.transaction.open(["b@partner.test"]))
    assert (code, recipient) == (550, None)
    assert send(pool)[0] == 250
    assert handler.recipients == [["b@partner.test"]]


def test_deliver_reports_each_recipients_own_reply_and_sends_to_the_accepted_ones(pipelining):
    pool, handler = pipelining
    relay = Relay(pool)
    result = relay.deliver("a@example.org", ["b@partner.test", "nobody@partner.test",
                                             "later@partner.test", "c@partner.test"], MESSAGE)
    assert set(result.accepted) == {"b@partner.test", "c@partner.test"}
    assert result.refused["nobody@partner.test"][0] == 550
    assert result.deferred["later@partner.test"][0] == 451
    assert handler.recipients == [["b@partner.test", "c@partner.test"]]
    assert handler.sent_with_mail[0].count(b"RCPT TO:") == 4
    assert handler.sent_with_mail[0].endswith(b"DATA\r\n")
    # No recipient accepted: nothing is sent, the upstream's DATA refusal is reset.
    result = relay.deliver("a@example.org", ["nobody@partner.test"], MESSAGE)
    assert result.refused["nobody@partner.test"][0] == 550 and not result.accepted
    with pytest.raises(DeliveryDeferred):
        relay.deliver("a@example.org", ["later@partner.test"], MESSAGE)
    assert relay.deliver("a@example.org", ["b@partner.test"], MESSAGE).accepted
    assert handler.recipients == [["b@partner.test", "c@partner.test"], ["b@partner.test"]]


class DroppingServer:
    """An SMTP server offering PIPELINING that answers MAIL and then closes the connection."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        self.received = b""
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        conn, _ = self.sock.accept()
        conn.settimeout(10)
        stream = conn.makefile("rb")
        conn.sendall(b"220 dropping.test ESMTP\r\n")
        while line := stream.readline():
            self.received += line
            if line.upper().startswith(b"EHLO"):
                conn.sendall(b"250-dropping.test\r\n250 PIPELINING\r\n")
            elif line.upper().startswith(b"MAIL"):
                conn.sendall(b"250 OK\r\n")
                break
        conn.close()


def test_a_connection_dropped_amid_the_pipelined_replies_is_unavailable_not_delivered():
    server = DroppingServer()
    pool = RelayPool(UpstreamConfig(address=f"127.0.0.1:{server.port}", timeout=5),
                     "redline.test")
    try:
        transaction = Transaction(pool, "a@example.org")
        with pytest.raises(UpstreamUnavailable):
            pool.run(transaction.transaction.open(["b@partner.test", "c@partner.test"]))
        with pytest.raises(DeliveryDeferred):
            Relay(pool).deliver("a@example.org", ["b@partner.test"], MESSAGE)
    finally:
        pool.close()
        server.thread.join(5)
    assert b"hello" not in server.received


class ChunkingServer:
    """A minimal SMTP server offering CHUNKING that refuses the first message at BDAT."""

    def __init__(self) -> None:
        self.commands: list[bytes] = []
        self.chunks: list[bytes] = []
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        conn, _ = self.sock.accept()
        conn.settimeout(10)
        stream = conn.makefile("rb")
        conn.sendall(b"220 chunking.test ESMTP\r\n")
        while line := stream.readline():
            self.commands.append(line.rstrip())
            verb = line.split()[0].upper()
            if verb == b"EHLO":
                conn.sendall(b"250-chunking.test\r\n250-PIPELINING\r\n250 CHUNKING\r\n")
            elif verb == b"BDAT":
                self.chunks.append(stream.read(int(line.split()[1])))
                conn.sendall(b"554 5.7.1 refused (first)\r\n" if len(self.chunks) == 1
                             else b"250 2.0.0 chunk queued\r\n")
            elif verb == b"QUIT":
                conn.sendall(b"221 bye\r\n")
                break
            else:
                conn.sendall(b"250 OK\r\n")
        conn.close()


def test_bdat_carries_the_message_unstuffed_and_a_refused_chunk_is_reset():
    server = ChunkingServer()
    pool = RelayPool(UpstreamConfig(address=f"127.0.0.1:{server.port}", timeout=5), "redline.test")
    body = b"Subject: x\r\n\r\n.leading dot stays single\r\n"
    try:
        first = Transaction(pool, "a@example.org")
        assert first.begin(first_rcpt="b@partner.test")[0] == 250
        assert first.rcpt("b@partner.test")[0] == 250
        assert first.data(b"X-Head: 1\r\n", body) == (554, "5.7.1 refused (first)")
        second = Transaction(pool, "a@example.org")
        assert second.begin(first_rcpt="b@partner.test")[0] == 250
        assert second.rcpt("b@partner.test")[0] == 250
        assert second.data(b"", body)[0] == 250
    finally:
        pool.close()
        server.thread.join(5)
    assert server.chunks == [b"X-Head: 1\r\n" + body, body]
    verbs = [c.split()[0] for c in server.commands]
    assert verbs == [b"EHLO", b"MAIL", b"RCPT", b"BDAT", b"RSET", b"MAIL", b"RCPT", b"BDAT",
                     b"QUIT"]
    assert server.commands[3] == b"BDAT %d LAST" % len(b"X-Head: 1\r\n" + body)
