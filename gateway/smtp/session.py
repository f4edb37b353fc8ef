"""The state of one SMTP session that the protocol and the handler share."""

from __future__ import annotations

import asyncio

from aiosmtpd.smtp import Session

from gateway.smtp.relay import AsyncTransaction
from quarantine.users import User


class RedlineSession(Session):
    """aiosmtpd's session plus the open upstream transaction and the AUTH account, if any."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__(loop)
        self.transaction: AsyncTransaction | None = None
        self.account: User | None = None  # set by a successful AUTH
        self.auth_failures = 0
        self.trusted: bool | None = None  # the peer is in smtp.trusted_networks (once known)
        # XFORWARD attributes (NAME, ADDR, HELO ...) for the current transaction: who the
        # MTA in front of Redline received the message from.
        self.forwarded: dict[str, str] = {}

    @property
    def origin_ip(self) -> str:
        """The original client's address when a trusted MTA forwarded it, else the peer's."""
        return self.forwarded.get("ADDR") or client_ip(self)

    @property
    def origin_helo(self) -> str:
        """The original client's HELO name when forwarded, else this session's."""
        return self.forwarded.get("HELO") or self.host_name or ""


def client_ip(session: Session) -> str:
    """The peer's IP address as text (empty when unknown)."""
    peer = session.peer
    return str(peer[0]) if isinstance(peer, tuple) else str(peer or "")
