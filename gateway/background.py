"""Background work of a gateway node: delivering released mail, quarantine retention, backlog
metrics and registering rejected items' fingerprints.

All run in threads of the one background process. Released mail leaves the same way passing
mail does: through the upstream relay, DKIM-signed for the From domain — or, with no
upstream configured, into the Maildir outbox.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from gateway.ops import metrics
from gateway.smtp.dkim import DkimSigner
from gateway.smtp.maildir import MaildirOutbox
from gateway.smtp.message import header_info
from gateway.smtp.relay import Relay, RelayPool
from quarantine.delivery import DeliveryResult
from quarantine.outbox import OutboxWorker
from quarantine.service import QuarantineService

log = logging.getLogger("redline.background")
RELEASED = b"X-Redline-Verdict: released\r\n"
_NOTICE = re.compile(rb"^X-Redline-Notice:", re.IGNORECASE | re.MULTILINE)


def release_signer(signer: DkimSigner) -> Callable[[bytes], bytes]:
    """The header an outbox message is sent with, DKIM-signed when there is a key.

    A released mail gets its verdict line; a notice to a sender (which carries its own
    X-Redline-Notice header) is not a released mail and gets none.
    """

    def sign(message: bytes) -> bytes:
        head_end = message.find(b"\r\n\r\n")
        is_notice = _NOTICE.search(message[: head_end if head_end >= 0 else 65536]) is not None
        extra = b"" if is_notice else RELEASED
        domain = header_info(message).from_domain
        if domain and signer.keys_for(domain):
            return signer.sign(extra + message, domain) + extra
        return extra

    return sign


class MaildirDeliverer:
    """A Deliverer into the Maildir outbox, for nodes with no upstream configured."""

    def __init__(self, outbox: MaildirOutbox, sign: Callable[[bytes], bytes]) -> None:
        self.outbox = outbox
        self.sign = sign

    def deliver(self, sender: str, recipients: Sequence[str], message: bytes) -> DeliveryResult:
        """Write the message durably; every recipient counts as accepted."""
        path = self.outbox.deliver(sender, recipients, self.sign(message), message)
        reply = (250, f"2.0.0 written to the Maildir outbox as {path.name}")
        return DeliveryResult(accepted=dict.fromkeys(recipients, reply))


class Background:
    """Starts and stops the outbox worker and the retention timer of one node."""

    def __init__(self, *, store, quarantine_config, upstream_pool: RelayPool | None,
                 signer: DkimSigner, data_dir: Path, retention_seconds: float = 300.0,
                 poll_seconds: float = 15.0, fingerprint_config=None, limits=None,
                 org_domains: Sequence[str] = ()) -> None:
        sign = release_signer(signer)
        deliverer = (Relay(upstream_pool, sign) if upstream_pool is not None
                     else MaildirDeliverer(MaildirOutbox(Path(data_dir) / "outbox"), sign))
        self.worker = OutboxWorker(
            store, deliverer, lease_seconds=quarantine_config.delivery_lease_seconds,
            retry_seconds=quarantine_config.delivery_retry_seconds,
            give_up_hours=quarantine_config.delivery_give_up_hours, metrics=metrics)
        self.service = QuarantineService(store, quarantine_config, metrics=metrics,
                                         org_domains=org_domains)
        self.store = store
        self.retention_seconds = retention_seconds
        self.poll_seconds = poll_seconds
        self.fingerprint_config = fingerprint_config
        self.limits = limits
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        """Start the delivery, retention and backlog-metrics threads."""
        jobs = [("outbox", self._deliver), ("retention", self._retain),
                ("backlog", self._measure)]
        if self.fingerprint_config is not None and self.fingerprint_config.enabled:
            jobs.append(("fingerprints", self._fingerprint))
        for name, target in jobs:
            thread = threading.Thread(target=target, name=f"redline-{name}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self, timeout: float = 10.0) -> None:
        """Ask both threads to stop and wait for them."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout)

    def _deliver(self) -> None:
        self.worker.run(self._stop)

    def _retain(self) -> None:
        from quarantine.store import StoreError

        while not self._stop.is_set():
            try:
                expired, purged = self.service.expire(), self.service.purge()
                if expired or purged:
                    log.info("retention: %d expired, %d purged", len(expired), len(purged))
            except StoreError as exc:  # an outage the backlog poll reports: one line here
                log.warning("retention waits for the quarantine store: %s; retrying in %.0f s",
                            exc, self.retention_seconds)
            except Exception:
                log.exception("retention run failed; retrying in %.0f s", self.retention_seconds)
            self._stop.wait(self.retention_seconds)

    def _fingerprint(self) -> None:
        # One process per node registers what officers reject; every scanner of every
        # node then reads the new registration from the store's change log.
        from quarantine.fingerprints import follow_rejections
        from quarantine.store import StoreError

        config = self.fingerprint_config
        while not self._stop.is_set():
            try:
                registered, dropped = follow_rejections(self.store, config, self.store.now(),
                                                        self.limits)
                if registered or dropped:
                    log.info("fingerprints: %d rejected items registered, %d purged items' "
                             "fingerprints dropped", registered, dropped)
            except StoreError as exc:  # an outage the backlog poll reports: one line here
                log.warning("registering rejected items waits for the quarantine store: %s; "
                            "retrying in %.0f s", exc, config.refresh_seconds)
            except Exception:
                log.exception("registering rejected items failed; retrying in %.0f s",
                              config.refresh_seconds)
            self._stop.wait(config.refresh_seconds)

    def _measure(self) -> None:
        # One process per node polls the shared store, so the gauges are not multiplied
        # by the number of workers.
        from gateway.ops.health import quarantine_backlog
        from quarantine.store import StoreError

        up = True
        while not self._stop.is_set():
            try:
                metrics.quarantine_state(*quarantine_backlog(self.store))
                metrics.outbox_state(outbox_depth(self.store))
            except StoreError as exc:  # the backlog gauges keep their last values
                if up:
                    log.error("quarantine store unavailable: %s; marked mail is answered 451 "
                              "until it is back", exc)
                up = False
            except Exception:
                log.exception("backlog metrics failed; retrying in %.0f s", self.poll_seconds)
            else:
                if not up:
                    log.warning("quarantine store is back")
                up = True
            metrics.store_state(up)
            self._stop.wait(self.poll_seconds)


def outbox_depth(store) -> int:
    """Released mails not yet delivered or failed (waiting in the delivery outbox)."""
    from quarantine.store import ItemQuery

    released = store.list(ItemQuery(status="released", kind="mail", limit=1))[1]
    delivering = store.list(ItemQuery(status="delivering", kind="mail", limit=1))[1]
    return released + delivering
