"""The Maildir outbox: where passing mail goes when no upstream relay is configured.

Delivery follows the Maildir protocol: write under ``tmp/``, fsync, rename into ``new/``
and fsync the directory, so a message is either whole in ``new/`` or absent.
"""

from __future__ import annotations

import itertools
import os
import socket
import time
from collections.abc import Sequence
from pathlib import Path

_counter = itertools.count()
BLOCK = 1 << 20


class MaildirOutbox:
    """A Maildir (``tmp``, ``new``, ``cur``) that receives whole messages durably."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        for sub in ("tmp", "new", "cur"):
            (self.root / sub).mkdir(mode=0o700, parents=True, exist_ok=True)

    def _unique(self) -> str:
        host = socket.gethostname().replace("/", "\\057").replace(":", "\\072")
        return f"{time.time_ns()}.P{os.getpid()}Q{next(_counter)}.{host}"

    def deliver(self, sender: str, recipients: Sequence[str], head: bytes,
                body: Path | bytes) -> Path:
        """Store ``head`` + ``body`` (a spool file or bytes) with its envelope; return its path.

        The envelope goes into ``Return-Path`` and ``X-Redline-Envelope-To`` headers, as a
        local delivery agent would record it.
        """
        envelope = (f"Return-Path: <{sender}>\r\n"
                    f"X-Redline-Envelope-To: {', '.join(recipients)}\r\n").encode("utf-8", "surrogateescape")
        name = self._unique()
        tmp = self.root / "tmp" / name
        # 0600 whatever the umask: passing mail is read by the mail system, not by others.
        with open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
            out.write(envelope)
            out.write(head)
            if isinstance(body, Path):
                with body.open("rb") as f:
                    for block in iter(lambda: f.read(BLOCK), b""):
                        out.write(block)
            else:
                out.write(body)
            out.flush()
            os.fsync(out.fileno())
        final = self.root / "new" / name
        os.rename(tmp, final)
        # The rename is durable only once the directory entry is on disk.
        fd = os.open(self.root / "new", os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        return final
