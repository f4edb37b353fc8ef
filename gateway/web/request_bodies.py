"""Reading a request body from a stream into a spool file: Content-Length or chunked, bounded.

Used by the forward proxy and the ICAP service. Bytes are written in large batches, each
in one hop to a thread; a ``MultipartSplitter`` given to the ``SpoolWriter`` cuts a
multipart body into its parts in the same hop, while the rest is still arriving.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import BinaryIO, TypeVar

from filters.errors import RedlineError
from gateway.web.multipart import MultipartSplitter

FLUSH_BYTES = 1 << 20
MAX_CHUNK_LINE = 4096
T = TypeVar("T")


async def within(awaitable: Awaitable[T], seconds: float | None) -> T:
    """``await awaitable``, raising TimeoutError after ``seconds`` (None: no limit).

    Unlike ``asyncio.wait_for`` it makes no task for the awaitable: a kept-alive request
    awaits a few of these (head, body, drain), and a task each costs more than the read.
    """
    async with asyncio.timeout(seconds):
        return await awaitable


class BadRequest(RedlineError):
    """The client's request is malformed (framing, chunk sizes): answer 400 and close."""


class BodyTooLarge(RedlineError):
    """The body is bigger than allowed: answer 413."""


class SpoolWriter:
    """Writes a stream into a file in large batches, each written off the event loop.

    ``splitter``: also cuts the body into multipart parts, batch by batch, in the same
    thread hop as the write (so no second pass over the spool file).
    """

    def __init__(self, file: BinaryIO, max_bytes: int,
                 splitter: MultipartSplitter | None = None) -> None:
        self.file = file
        self.max_bytes = max_bytes
        self.splitter = splitter
        self.size = 0
        self._pending: list[bytes] = []
        self._pending_size = 0

    async def write(self, data: bytes) -> None:
        """Append ``data``; raises BodyTooLarge past ``max_bytes``."""
        self.size += len(data)
        if self.size > self.max_bytes:
            raise BodyTooLarge(f"body larger than {self.max_bytes} bytes")
        self._pending.append(data)
        self._pending_size += len(data)
        if self._pending_size >= FLUSH_BYTES:
            await self.flush()

    async def flush(self) -> None:
        """Write what is buffered."""
        if self._pending:
            data, self._pending, self._pending_size = b"".join(self._pending), [], 0
            await asyncio.to_thread(self._write, data)

    def _write(self, data: bytes) -> None:
        self.file.write(data)
        if self.splitter is not None:
            self.splitter.feed(data)  # never raises: a broken structure is remembered


async def read_exact_body(reader: asyncio.StreamReader, out: SpoolWriter, length: int,
                          timeout: float) -> None:
    """Copy a Content-Length body of ``length`` bytes; raises BadRequest when it ends early."""
    remaining = length
    while remaining:
        data = await within(reader.read(min(remaining, 256 * 1024)), timeout)
        if not data:
            raise BadRequest(f"connection closed {remaining} bytes before the end of the body")
        remaining -= len(data)
        await out.write(data)
    await out.flush()


async def read_chunked(reader: asyncio.StreamReader, out: SpoolWriter, timeout: float) -> bool:
    """Decode a chunked body (RFC 9112 7.1) into ``out``; True when it ended with ``ieof``.

    ``ieof`` is the ICAP preview's "this is the whole body" extension (RFC 3507 4.5).
    Trailer fields are read and dropped.
    """
    while True:
        try:
            line = await within(reader.readuntil(b"\r\n"), timeout)
        except asyncio.IncompleteReadError:
            raise BadRequest("connection closed inside a chunked body") from None
        except asyncio.LimitOverrunError:
            raise BadRequest("chunk-size line too long") from None
        if len(line) > MAX_CHUNK_LINE:
            raise BadRequest("chunk-size line too long")
        size_text, _, extension = line[:-2].partition(b";")
        size_text = size_text.strip(b" \t")
        # Only hex digits: int(..., 16) would also take "0x", "_" and signs (smuggling).
        if not size_text or len(size_text) > 16 or size_text.strip(b"0123456789abcdefABCDEF"):
            raise BadRequest(f"bad chunk size {size_text[:20]!r}")
        size = int(size_text, 16)
        if size == 0:
            ieof = extension.strip().lower() == b"ieof"
            while True:  # trailer section, ended by an empty line
                trailer = await within(reader.readuntil(b"\r\n"), timeout)
                if trailer == b"\r\n":
                    break
            await out.flush()
            return ieof
        remaining = size
        while remaining:
            data = await within(reader.read(min(remaining, 256 * 1024)), timeout)
            if not data:
                raise BadRequest("connection closed inside a chunk")
            remaining -= len(data)
            await out.write(data)
        if await within(reader.readexactly(2), timeout) != b"\r\n":
            raise BadRequest("chunk data not followed by CRLF")

