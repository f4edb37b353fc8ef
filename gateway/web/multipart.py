"""Splitting a multipart body (RFC 2046 5.1, RFC 7578) into one spool file per part, as its bytes arrive.

``MultipartSplitter`` is fed the body block by block: by the forward proxy while the
body is still arriving (so the parts are cut by the time the last byte is in), or from
a spool file by ``split_multipart_file``. Each part's data goes to ``part-N`` in a work
directory; its header block is kept as bytes for the caller to parse. Every loop over
the attacker's structure is bounded (parts, header bytes).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

BLOCK = 1 << 20
MAX_PARTS = 1000  # multipart parts (each may be a file)
MAX_PART_HEADER = 16 * 1024

_PREAMBLE, _AFTER_DELIMITER, _HEADERS, _DATA, _DONE, _FAILED = range(6)
_ENDED_EARLY = {
    _PREAMBLE: "no multipart delimiter found",
    _AFTER_DELIMITER: "multipart body ends after a delimiter",
    _HEADERS: "multipart body ends inside part headers",
    _DATA: "multipart body ends without its closing delimiter",
}


class MultipartSplitter:
    """Cuts a multipart body fed in blocks into part files (blocking writes; off the loop).

    ``feed`` never raises: a broken structure (too many parts, headers too long) is
    remembered, the rest of the body ignored, and ``finish`` reports it with the parts
    cut before it, as the caller needs both (what was cut is still inspected).
    """

    def __init__(self, boundary: bytes, workdir: Path) -> None:
        self.delimiter = b"\r\n--" + boundary
        self.workdir = workdir
        self.parts: list[tuple[bytes, Path]] = []
        self.error = ""
        self._state = _PREAMBLE
        self._buffer = b"\r\n"  # so the first delimiter matches like the others
        self._headers = b""
        self._out: BinaryIO | None = None
        self._target: Path | None = None

    def feed(self, data: bytes) -> None:
        """Take the next bytes of the body."""
        if self._state in (_DONE, _FAILED):
            return
        self._buffer += data
        try:
            self._advance()
        except (ValueError, OSError) as exc:
            self._fail(str(exc))

    def finish(self) -> tuple[list[tuple[bytes, Path]], str]:
        """(header bytes, data file) of every part cut, and what was wrong ("" if nothing)."""
        if self._state not in (_DONE, _FAILED):
            self._fail(_ENDED_EARLY[self._state])
        return self.parts, self.error

    def close(self) -> None:
        """Close a part file left open (a body that never ended); safe to call twice."""
        if self._out is not None:
            self._out.close()
            self._out = None

    def _fail(self, reason: str) -> None:
        self.close()
        self.error = reason
        self._state = _FAILED
        self._buffer = b""

    def _advance(self) -> None:
        delimiter = self.delimiter
        while True:
            buffer = self._buffer
            if self._state == _PREAMBLE:  # everything up to the first delimiter
                at = buffer.find(delimiter)
                if at < 0:
                    self._buffer = buffer[-len(delimiter):]
                    return
                self._buffer = buffer[at + len(delimiter):]
                self._state = _AFTER_DELIMITER
            elif self._state == _AFTER_DELIMITER:
                if len(buffer) < 2:
                    return
                if buffer.startswith(b"--"):
                    self._state = _DONE  # close delimiter; the epilogue is ignored
                    self._buffer = b""
                    return
                if len(self.parts) == MAX_PARTS:
                    raise ValueError(f"more than {MAX_PARTS} multipart parts")
                self._state = _HEADERS
            elif self._state == _HEADERS:
                # transport padding, then CRLF, then the part's header block
                end = buffer.find(b"\r\n\r\n")
                if end < 0:
                    if len(buffer) > MAX_PART_HEADER:
                        raise ValueError("multipart part headers too long")
                    return
                line_end = buffer.find(b"\r\n")
                self._headers = buffer[line_end + 2:end + 2] if line_end < end else b""
                self._buffer = buffer[end + 4:]
                self._target = self.workdir / f"part-{len(self.parts)}"
                self._out = self._target.open("wb")
                self._state = _DATA
            else:  # _DATA
                assert self._out is not None and self._target is not None
                at = buffer.find(delimiter)
                if at < 0:
                    keep = len(delimiter) - 1  # a delimiter may straddle two blocks
                    if len(buffer) > keep:
                        self._out.write(memoryview(buffer)[:-keep])
                        self._buffer = buffer[-keep:]
                    return
                self._out.write(memoryview(buffer)[:at])
                self.close()
                self.parts.append((self._headers, self._target))
                self._buffer = buffer[at + len(delimiter):]
                self._state = _AFTER_DELIMITER


def split_multipart_file(path: Path, boundary: bytes,
                         workdir: Path) -> Iterator[tuple[bytes, Path]]:
    """(header bytes, data file) of each part of the multipart body spooled at ``path``.

    Raises ValueError, after the parts cut before it, when the structure is broken.
    """
    splitter = MultipartSplitter(boundary, workdir)
    try:
        with path.open("rb") as f:
            for block in iter(lambda: f.read(BLOCK), b""):
                splitter.feed(block)
                if splitter.error:
                    break
        parts, error = splitter.finish()
    finally:
        splitter.close()
    yield from parts
    if error:
        raise ValueError(error)
