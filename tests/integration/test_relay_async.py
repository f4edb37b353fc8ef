"""The listener's asyncio upstream client against a real aiosmtpd server: wire behaviour and failures."""

from __future__ import annotations

import asyncio

import pytest
from integration.smtp_harness import counting_upstream, free_port

from gateway.smtp.config import UpstreamConfig
from gateway.smtp.relay import AsyncRelayPool, AsyncTransaction, UpstreamUnavailable

MESSAGE = b"From: a@example.org\r\nTo: b@partner.test\r\nSubject: x\r\n\r\nhello\r\n"


@pytest.fixture
def upstream():
    yield from counting_upstream()


def pool_for(port: int, **config: object) -> AsyncRelayPool:
    return AsyncRelayPool(UpstreamConfig(address=f"127.0.0.1:{port}", timeout=5, **config),  # type: ignore[arg-type]
                          "redline.test")


async def send(pool: AsyncRelayPool, body: bytes | object = MESSAGE,
               recipient: str = "b@partner.test") -> tuple[int, str]:
    transaction = AsyncTransaction(pool, "a@example.org")
    assert (await transaction.begin())[0] == 250
    assert (await transaction.rcpt(recipient))[0] == 250
    return await transaction.data(b"X-Trace: 1\r\n", body)  # type: ignore[arg-type]


def test_messages_follow_each_other_on_one_connection_without_rset(upstream):
    controller, handler = upstream

    async def run() -> list[tuple[int, str]]:
        pool = pool_for(controller.port)
        try:
            return [await send(pool) for _ in range(3)]
        finally:
            pool.close()

    replies = asyncio.run(run())
    assert [code for code, _ in replies] == [250, 250, 250]
    assert replies[2][1] == "2.0.0 upstream-accepted-3", "the upstream's own reply text"
    assert len(handler.messages) == 3
    assert handler.messages[0].content == b"X-Trace: 1\r\n" + MESSAGE
    assert handler.connections == 1 and handler.resets == 0


def test_an_abandoned_transaction_is_reset_and_the_connection_reused(upstream):
    controller, handler = upstream

    async def run() -> tuple[int, str]:
        pool = pool_for(controller.port)
        try:
            transaction = AsyncTransaction(pool, "a@example.org")
            await transaction.begin()
            await transaction.rcpt("b@partner.test")
            await transaction.finish()
            return await send(pool)
        finally:
            pool.close()

    assert asyncio.run(run())[0] == 250
    assert handler.resets == 1 and handler.connections == 1 and len(handler.messages) == 1


def test_a_spooled_body_is_streamed_dot_stuffed_and_arrives_byte_for_byte(upstream, tmp_path):
    controller, handler = upstream
    lines = [b".leading dot", b"..two dots", b"plain line \xc3\xa9", b"."] * 40_000
    body = b"Subject: big\r\n\r\n" + b"\r\n".join(lines) + b"\r\n"  # ~1.3 MB, over one block
    spool = tmp_path / "mail.eml"
    spool.write_bytes(body)

    async def run() -> tuple[int, str]:
        pool = pool_for(controller.port)
        try:
            return await send(pool, spool)
        finally:
            pool.close()

    assert asyncio.run(run())[0] == 250
    assert handler.messages[0].content == b"X-Trace: 1\r\n" + body


def test_an_idle_connection_the_upstream_dropped_is_replaced_once(upstream):
    controller, handler = upstream

    async def run() -> tuple[int, str]:
        pool = pool_for(controller.port)
        try:
            assert (await send(pool))[0] == 250
            conn = pool._idle[0]
            conn.writer.write(b"QUIT\r\n")  # the upstream answers 221 and closes
            await conn.read_reply()
            await asyncio.sleep(0.05)
            return await send(pool)
        finally:
            pool.close()

    assert asyncio.run(run())[0] == 250
    assert handler.connections == 2 and len(handler.messages) == 2


def test_no_upstream_raises_unavailable_with_a_reason():
    async def run() -> None:
        await AsyncTransaction(pool_for(free_port()), "a@example.org").begin()

    with pytest.raises(UpstreamUnavailable, match="cannot connect") as caught:
        asyncio.run(run())
    assert caught.value.reason == "connection"


def test_required_starttls_that_is_not_offered_is_refused(upstream):
    controller, handler = upstream

    async def run() -> None:
        await AsyncTransaction(pool_for(controller.port, starttls="require"), "a@x.test").begin()

    with pytest.raises(UpstreamUnavailable, match="STARTTLS") as caught:
        asyncio.run(run())
    assert caught.value.reason == "tls" and handler.messages == []


def test_an_upstream_that_stops_answering_times_out_and_the_next_mail_gets_a_fresh_connection():
    # A real TCP server that greets, answers EHLO and the first message's commands, then
    # goes silent at the second message's DATA: each wait is bounded by upstream.timeout.
    connections: list[int] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        writer.write(b"220 silent.test ESMTP\r\n")
        mails = 0
        while line := await reader.readline():
            command = line[:4].upper()
            if command == b"EHLO":
                writer.write(b"250-silent.test\r\n250 PIPELINING\r\n")
            elif command == b"MAIL":
                mails += 1
                writer.write(b"250 2.1.0 ok\r\n")
            elif command == b"RCPT":
                writer.write(b"250 2.1.5 ok\r\n")
            elif command == b"DATA":
                if mails == 2 and len(connections) == 1:
                    await reader.read()  # silent until the client gives the connection up
                    return
                writer.write(b"354 go on\r\n")
                await reader.readuntil(b"\r\n.\r\n")
                writer.write(b"250 2.0.0 queued\r\n")

    async def run() -> tuple[float, str, int]:
        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        pool = AsyncRelayPool(UpstreamConfig(address=f"127.0.0.1:{port}", timeout=0.5),
                              "redline.test")
        try:
            assert (await send(pool))[0] == 250
            started = asyncio.get_running_loop().time()
            with pytest.raises(UpstreamUnavailable) as caught:
                await send(pool)
            waited = asyncio.get_running_loop().time() - started
            code = (await send(pool))[0]  # the timed-out connection is not reused
            return waited, caught.value.reason, code
        finally:
            pool.close()
            server.close()

    waited, reason, code = asyncio.run(run())
    assert reason == "timeout"
    assert 0.4 < waited < 3, waited
    assert code == 250 and len(connections) == 2
