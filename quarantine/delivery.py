"""The delivery interface: how the quarantine hands a released mail to the upstream relay.

``quarantine`` never imports the listeners; the gateway passes in an object that
satisfies ``Deliverer`` (its relay, which DKIM-signs like any outbound mail), and tests
may pass any real SMTP client that does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from filters.errors import RedlineError


class DeliveryDeferred(RedlineError):
    """The upstream could not take the message now (down, 4xx): try again later."""


@dataclass(frozen=True, slots=True)
class DeliveryResult:
    """What the upstream said: per recipient, the reply to RCPT/DATA as (code, text)."""

    accepted: Mapping[str, tuple[int, str]] = field(default_factory=dict)
    refused: Mapping[str, tuple[int, str]] = field(default_factory=dict)  # permanent (5xx)
    deferred: Mapping[str, tuple[int, str]] = field(default_factory=dict)  # temporary (4xx)

    @property
    def complete(self) -> bool:
        """True when no recipient is left to retry."""
        return not self.deferred


class Deliverer(Protocol):
    """Relays one message to the upstream MTA (blocking; called from worker threads)."""

    def deliver(self, sender: str, recipients: Sequence[str], message: bytes) -> DeliveryResult:
        """Send ``message`` to ``recipients``; raise DeliveryDeferred if nothing was sent."""
        ...
