"""Reading SMTP message data: where it ends, dot-stuffing, line endings and limits.

``DataChunker`` cuts the client's byte stream into chunks that never split the
end-of-data mark; ``DataReader`` undoes dot-stuffing and refuses bare CR / bare LF line
endings (SMTP smuggling), over-long lines and over-large messages, reading on to the real
end of data so that no byte of the message is ever taken for a command.
"""

from __future__ import annotations

END_OF_DATA = b"\r\n.\r\n"
READ_BYTES = 256 * 1024


class DataChunker:
    """Cuts the client's byte stream during DATA into chunks for ``DataReader.feed``.

    Chunks are as large as what has arrived, and none splits the end-of-data mark: the
    last four bytes are held back until more data shows whether they start it. (Reading
    up to each ".\r\n" instead made every line that ends a sentence a chunk of its own.)
    """

    def __init__(self) -> None:
        self._held = b""
        self._context = b"\r\n"  # what was handed out last: the DATA line's CRLF at first

    def push(self, data: bytes) -> tuple[bytes, bool, bytes]:
        """The next chunk, whether it ends the data, and bytes after the end (commands)."""
        window = self._held + data if self._held else data
        mark = len(END_OF_DATA)
        # A mark that starts in what was handed out comes first; else look in the window.
        found = (self._context + window[:mark - 1]).find(END_OF_DATA)
        end = found + mark - len(self._context) if found >= 0 else -1
        if end < 0 and (found := window.find(END_OF_DATA)) >= 0:
            end = found + mark
        if end >= 0:
            self._held = b""
            return window[:end], True, window[end:]
        keep = min(len(END_OF_DATA) - 1, len(window))
        chunk, self._held = window[:len(window) - keep], window[len(window) - keep:]
        if chunk:
            self._context = (self._context + chunk)[-(len(END_OF_DATA) - 1):]
        return chunk, False, b""


class DataReader:
    """Parses SMTP message data fed in chunks: end of data, dot-stuffing, line endings, limits.

    Only ``<CRLF>.<CRLF>`` ends the data (RFC 5321 4.1.1.4). A bare LF or bare CR is
    recorded as a problem but reading goes on to the real end of data, so no byte of
    the client's stream is ever taken for a command (``<LF>.<LF>`` smuggling) and the
    whole message is refused.
    """

    def __init__(self, *, max_bytes: int, max_line: int) -> None:
        self.max_bytes = max_bytes
        self.max_line = max_line
        self.size = 0  # message bytes after removing dot-stuffing
        self.problem: str | None = None  # the 5xx reply, once something is wrong
        self._previous = b"\r\n"  # the DATA command's CRLF precedes the first line
        self._column = 0  # octets of the current, unfinished line

    def feed(self, chunk: bytes) -> tuple[bytes, bool]:
        """The message bytes in ``chunk`` and whether ``chunk`` ended the data.

        Chunks must come as ``DataChunker`` cuts them: the terminator is never split
        and can only be at a chunk's end.
        """
        before = self._previous[-1:]
        # Only the ends are joined: a chunk may be a quarter of a megabyte.
        end = (self._previous[-2:] + chunk[-5:]).endswith(b"\r\n.\r\n")
        body = chunk[:-3] if end else chunk
        self._previous = (self._previous + chunk[-2:])[-2:]
        if self.problem is None:
            self._check_line_endings(before, body)
        # RFC 5321 4.5.2: drop the first "." of every line (it was doubled by the client).
        out = body.replace(b"\n.", b"\n")
        if before == b"\n" and out[:1] == b".":
            out = out[1:]
        if self.problem is None:
            self._check_lines(out)
        self.size += len(out)
        if self.problem is None and self.size > self.max_bytes:
            self.problem = f"552 5.3.4 message larger than the limit of {self.max_bytes} bytes"
        return (b"" if self.problem else out), end

    def _check_line_endings(self, before: bytes, body: bytes) -> None:
        # ``before`` is the previous chunk's last byte: a CR there pairs with an LF here.
        split_pair = before == b"\r" and body[:1] == b"\n"
        pairs = body.count(b"\r\n") + split_pair
        if body.count(b"\n") != pairs:
            self.problem = ("550 5.5.2 message refused: bare LF in the data; lines must end "
                            "in CRLF (RFC 5321 2.3.8)")
            return
        # A CR at the very end may be completed by the next chunk's LF.
        last = body[-1:] or before
        carriage = body.count(b"\r") + (before == b"\r") - (last == b"\r")
        if carriage != pairs:
            self.problem = ("550 5.5.2 message refused: bare CR in the data; lines must end "
                            "in CRLF (RFC 5321 2.3.8)")

    def _check_lines(self, out: bytes) -> None:
        limit = self.max_line - 1  # octets of a line before its LF, the CR included
        last_lf = out.rfind(b"\n")
        if last_lf < 0:
            self._column += len(out)
            too_long = self._column > limit
        elif self._column + len(out) <= limit:
            too_long = False  # no line here can be longer than the whole chunk
            self._column = len(out) - last_lf - 1
        else:
            first_lf = out.find(b"\n")
            too_long = self._column + first_lf > limit or len(out) - last_lf - 1 > limit
            # Hop from line start to the last LF within reach: a line of at most
            # ``limit`` octets ends within it, so a window without one holds a longer
            # line. A hop spans many short lines: about one search per ``limit`` octets,
            # where splitting the chunk made an object of every line.
            pos = first_lf + 1
            while not too_long and last_lf - pos >= limit:
                lf = out.rfind(b"\n", pos, pos + limit + 1)
                too_long = lf < 0
                pos = lf + 1
            self._column = len(out) - last_lf - 1
        if too_long:
            self.problem = (f"500 5.5.2 line longer than {self.max_line} octets in the data "
                            "(RFC 5321 4.5.3.1.6)")
