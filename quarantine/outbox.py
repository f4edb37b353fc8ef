"""The delivery outbox worker: claims released mails and reject notices, relays each once.

Release writes an outbox row in the same transaction as the status change; this worker
claims due rows with a lease (PostgreSQL: ``FOR UPDATE SKIP LOCKED``; SQLite:
``BEGIN IMMEDIATE``), hands the stored original to a ``Deliverer`` and records the
upstream's reply in one transaction together with the outcome (released → delivering →
delivered | failed). A worker that dies after claiming leaves a lease that expires, and
another worker (or the same one restarted) takes the row over, so the mail is neither
lost nor delivered by two live workers. The one window left is between the upstream's
250 to the final dot and our commit of it (RFC 1047's duplicate problem); the commit
follows the reply immediately, with nothing else in between, to keep it as short as it
can be.

A row of kind ``notice`` (a reject notice to the held mail's sender, see
quarantine/notice.py) carries its own message and goes the same way; its outcome is
audited as notice-sent / notice-deferred / notice-failed and leaves the item's status
(rejected or expired) alone.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from quarantine.delivery import Deliverer, DeliveryDeferred, DeliveryResult
from quarantine.metrics import NOT_COUNTED, QuarantineMetrics
from quarantine.store import IntegrityError, NotFound, StoreError

log = logging.getLogger("redline.quarantine.outbox")

MAX_BACKOFF_SECONDS = 3600.0


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """A claimed outbox row: what to send to whom, and which attempt this is."""

    item_id: str
    sender: str
    recipients: tuple[str, ...]  # still to deliver (deferred ones from earlier attempts)
    attempts: int  # including this one
    created: datetime
    lease_owner: str
    lease_until: datetime
    replies: Mapping[str, tuple[int, str]]
    taken_over: bool = False  # the previous owner's lease expired mid-attempt
    kind: str = "release"  # release: the held mail itself; notice: a reject notice
    message: bytes | None = None  # a notice's own rendered message (None: the held content)


def outcome_action(kind: str, final_status: str | None) -> str:
    """The audit action for an attempt's outcome (None: deferred) on a row of ``kind``."""
    if kind == "notice":
        return {None: "notice-deferred", "delivered": "notice-sent"}.get(final_status,
                                                                         "notice-failed")
    return {None: "delivery-deferred", "delivered": "deliver"}.get(final_status,
                                                                   "delivery-failed")


class OutboxStore(Protocol):
    """The store methods the outbox worker needs (both backends implement them)."""

    def claim_delivery(self, worker: str, now: datetime,
                       lease_seconds: float) -> OutboxEntry | None: ...

    def content(self, item_id: str) -> bytes: ...

    def finish_delivery(self, item_id: str, worker: str, now: datetime, *,
                        replies: Mapping[str, tuple[int, str]], remaining: tuple[str, ...],
                        final_status: str | None, next_attempt: datetime | None,
                        error: str = "") -> bool: ...


def default_worker_id() -> str:
    """host:pid, unique among the nodes sharing a store."""
    return f"{socket.gethostname()}:{os.getpid()}"


def backoff(attempts: int, first_seconds: float) -> float:
    """Seconds to wait after the ``attempts``-th deferral: doubling, capped at one hour."""
    return min(first_seconds * (2 ** max(attempts - 1, 0)), MAX_BACKOFF_SECONDS)


class OutboxWorker:
    """Delivers released mails from the outbox (blocking; run it in a thread)."""

    def __init__(self, store: OutboxStore, deliverer: Deliverer, *, worker_id: str | None = None,
                 lease_seconds: float = 300.0, retry_seconds: float = 60.0,
                 give_up_hours: float = 96.0,
                 clock: Callable[[], datetime] | None = None,
                 metrics: QuarantineMetrics = NOT_COUNTED) -> None:
        self.store = store
        self.deliverer = deliverer
        self.worker_id = worker_id or default_worker_id()
        self.lease_seconds = lease_seconds
        self.retry_seconds = retry_seconds
        self.give_up = timedelta(hours=give_up_hours)
        # By default the store's clock: nodes whose own clocks differ still agree on leases.
        self.clock = clock or getattr(store, "now", None) or (lambda: datetime.now(UTC))
        self.metrics = metrics  # counts deferred deliveries (the process wires in its metrics)

    def run_once(self) -> bool:
        """Claim and process one due row; False when nothing was due."""
        entry = self.store.claim_delivery(self.worker_id, self.clock(), self.lease_seconds)
        if entry is None:
            return False
        if entry.taken_over:
            log.warning("outbox: took over item %s after an expired lease (attempt %d); the "
                        "previous attempt may have reached the upstream", entry.item_id,
                        entry.attempts)
        try:
            # A notice sends its own text; only a release sends the held content.
            message = (entry.message if entry.message is not None
                       else self.store.content(entry.item_id))
        except (IntegrityError, NotFound) as exc:
            # Never send content that is not what was held; an officer must look at it.
            self._finish(entry.item_id, self.worker_id, self.clock(), replies={},
                                       remaining=entry.recipients, final_status="failed",
                                       next_attempt=None, error=str(exc))
            log.error("outbox: item %s failed: %s", entry.item_id, exc)
            return True
        try:
            result = self.deliverer.deliver(entry.sender, entry.recipients, message)
        except DeliveryDeferred as exc:
            result = DeliveryResult(deferred={r: (451, str(exc)) for r in entry.recipients})
        except Exception as exc:  # any relay error is a deferral, never a loss
            log.exception("outbox: deliverer raised for item %s", entry.item_id)
            result = DeliveryResult(deferred={r: (451, f"deliverer error: {exc}")
                                              for r in entry.recipients})
        self._record(entry, result)
        return True

    def _record(self, entry: OutboxEntry, result: DeliveryResult) -> None:
        now = self.clock()
        replies = {**result.accepted, **result.refused, **result.deferred}
        remaining = tuple(r for r in entry.recipients if r in result.deferred)
        accepted_ever = bool(result.accepted) or any(
            200 <= code < 300 for code, _ in entry.replies.values())
        if not remaining:
            final = "delivered" if accepted_ever else "failed"
            self._finish(entry.item_id, self.worker_id, now, replies=replies,
                                       remaining=(), final_status=final, next_attempt=None)
            log.info("outbox: %s of item %s %s (attempt %d)", entry.kind, entry.item_id, final,
                     entry.attempts)
        elif now - entry.created >= self.give_up:
            self._finish(entry.item_id, self.worker_id, now, replies=replies,
                                       remaining=remaining, final_status="failed",
                                       next_attempt=None, error="gave up: upstream kept deferring")
            log.error("outbox: %s of item %s failed: deferred for longer than %s", entry.kind,
                      entry.item_id, self.give_up)
        else:
            self.metrics.outbox_retry()
            wait = backoff(entry.attempts, self.retry_seconds)
            self._finish(entry.item_id, self.worker_id, now, replies=replies,
                                       remaining=remaining, final_status=None,
                                       next_attempt=now + timedelta(seconds=wait))
            log.info("outbox: %s of item %s deferred for %d recipient(s), retry in %.0f s",
                     entry.kind, entry.item_id, len(remaining), wait)

    def _finish(self, item_id: str, worker: str, now: datetime, **outcome) -> bool:
        """Record an attempt's outcome, waiting out a store outage while our lease lasts.

        The upstream has answered; if the outcome were dropped because the database was
        away, the lease would expire and another attempt would send the mail again. So
        keep trying (with backoff) for as long as the lease is ours.
        """
        deadline = time.monotonic() + self.lease_seconds
        wait = 0.2
        while True:
            try:
                return self.store.finish_delivery(item_id, worker, now, **outcome)
            except (IntegrityError, NotFound):
                raise
            except StoreError as exc:
                if time.monotonic() + wait > deadline:
                    raise
                log.warning("outbox: cannot record the outcome for item %s yet (%s); retrying "
                            "in %.1f s", item_id, exc, wait)
                time.sleep(wait)
                wait = min(wait * 2, 5.0)

    def run(self, stop: threading.Event, poll_seconds: float = 1.0) -> None:
        """Process due rows until ``stop`` is set, polling when the outbox is idle."""
        store_down = False
        while not stop.is_set():
            try:
                busy = self.run_once()
            except StoreError as exc:
                # An outage is one line when it starts and one when it ends, not a
                # traceback every second; the pool reconnects by itself meanwhile.
                if not store_down:
                    log.warning("outbox: quarantine store unavailable (%s); deliveries wait "
                                "until it is back", exc)
                store_down, busy = True, False
            except Exception:  # a bug must not end the worker
                log.exception("outbox: worker %s failed to process a row", self.worker_id)
                busy = False
            else:
                if store_down:
                    log.warning("outbox: quarantine store is back; delivering again")
                store_down = False
            if not busy:
                stop.wait(poll_seconds)

    def drain(self, limit: int = 10000) -> int:
        """Process due rows until none is due (or ``limit``); how many were processed."""
        done = 0
        while done < limit and self.run_once():
            done += 1
        return done
