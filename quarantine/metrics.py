"""What the quarantine counts, and the interface the process that runs it fills in.

The quarantine records two events for the gateway's metrics: an officer or automatic
decision, and a deferred delivery. It never imports the listeners' package for that:
the process passes an object with these methods (``redline serve`` and the ``redline``
command line pass ``gateway/ops/metrics.py``, a module that has them), and without one
nothing is counted.
"""

from __future__ import annotations

from typing import Protocol


class QuarantineMetrics(Protocol):
    """The counters the quarantine service and the outbox worker record."""

    def decision(self, action: str) -> None:
        """Count one recorded decision: release, reject, approve or expire."""

    def outbox_retry(self) -> None:
        """Count one delivery attempt the upstream deferred."""


class NotCounted:
    """Counts nothing: the default where no metrics are wired in (tests, tools)."""

    def decision(self, action: str) -> None:
        """Count nothing."""

    def outbox_retry(self) -> None:
        """Count nothing."""


NOT_COUNTED: QuarantineMetrics = NotCounted()
