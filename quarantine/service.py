"""The quarantine service: the one place officer and automatic decisions are made.

The CLI, the officer UI and the JSON API call this; none of them changes an item's status
through the store directly. It enforces who may decide (nobody on an item they sent; two
different officers for items at or above ``four_eyes_severity``), turns a release into a
delivery outbox row (mail) or an upload allowance (upload), a reject or expiry of a mail
into a notice to its sender (quarantine/notice.py) queued in the same outbox, audits
views and downloads of content, and applies retention (expiry of pending items, purge
of decided ones).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import getaddresses

from filters.errors import RedlineError
from filters.types import severity_rank
from quarantine.config import QuarantineConfig
from quarantine.metrics import NOT_COUNTED, QuarantineMetrics
from quarantine.notice import (
    Notice,
    default_from,
    header_section,
    load_template,
    original_message_id,
    skip_reason,
)
from quarantine.notice import render as render_notice
from quarantine.store import MONITORED, Decision, QuarantineItem, StoreError
from quarantine.users import User, normalise_address

log = logging.getLogger("redline.quarantine")

SYSTEM = "system"  # the actor of automatic decisions (expiry, purge); no officer may use it


class DecisionRefused(RedlineError):
    """The officer may not make this decision (own item, four-eyes, wrong status)."""


class ConfirmationNeeded(DecisionRefused):
    """A release of a classified item lacks its comment or the confirmation of what leaves."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a release or reject did: the item now, whether it took effect, and a sentence."""

    item: QuarantineItem
    done: bool  # False: recorded as an approval, a second officer must release
    message: str

    def as_dict(self) -> dict[str, object]:
        """The JSON form for the CLI and the JSON API."""
        return {"id": self.item.id, "status": self.item.status, "done": self.done,
                "needs_second_officer": not self.done, "message": self.message}


def normalise_officer(officer: str) -> str:
    """An officer's name as recorded and compared everywhere (``"Olga "`` is ``olga``)."""
    return officer.strip().casefold()


def is_own_item(officer: str, sender: str, addresses: Sequence[str] = ()) -> bool:
    """True when ``sender`` is the officer: one of their own ``addresses``, their name as an
    address, or an address whose local part is their name (+tags, case and display names
    folded: ``Olga <olga+x@example.org>`` is olga's), or a Windows logon name in the
    ``DOMAIN\\olga`` form (the user Squid hands the ICAP service under NTLM)."""
    who = normalise_officer(officer)
    address = normalise_address(sender) if sender.strip() else ""
    if not who or not address:
        return False
    own = {normalise_address(a) for a in addresses} | {who}
    return (address in own or address.rsplit("@", 1)[0] == who
            or ("@" not in address and address.rpartition("\\")[2] == who))


def senders_of(item: QuarantineItem, headers: bytes | None) -> list[str]:
    """Every address that sent ``item``: the SMTP AUTH account, the envelope sender and the
    From and Sender headers (an envelope sender can be a bounce address while From names
    the person).

    The account is the one proven sender: with the null sender (always allowed) or
    ``smtp.auth_sender_match = "domain"``/``"off"`` the envelope and headers can name a
    colleague, and the officer behind the account would then decide on their own mail.
    """
    found = [item.sender] if item.sender else []
    account = item.meta.get("auth") if item.meta else None
    if account:
        found.append(str(account))
    if headers is not None:
        parsed = BytesHeaderParser(policy=compat32).parsebytes(headers)
        for field in ("From", "Sender"):
            for _, address in getaddresses([str(v) for v in parsed.get_all(field, [])]):
                if address:
                    found.append(address)
    return found


def leaving(item: QuarantineItem) -> str:
    """What releasing ``item`` lets out, in one sentence the officer confirms."""
    marked = sorted({h.where for h in item.hits if h.category == "classification"})
    where = "; marked in " + ", ".join(marked[:5]) + (" …" if len(marked) > 5 else "")
    if item.kind == "mail":
        return (f"the mail from {item.sender or '<>'} to {', '.join(item.recipients)}, "
                f"subject \"{item.subject}\", {item.size} bytes{where}")
    return f"the upload by {item.sender} to {', '.join(item.recipients)}, {item.size} bytes{where}"


def needs_confirmation(item: QuarantineItem) -> bool:
    """True when releasing ``item`` takes a comment and a confirmation of what leaves."""
    return any(h.category == "classification" for h in item.hits)


def release_refusal(item: QuarantineItem, comment: str, confirmation: str) -> str | None:
    """Why an officer's release of ``item`` may not go ahead as asked, or None.

    A classification marking is the one thing this gateway exists to keep in: releasing
    one takes a reason (the comment, kept in the audit log) and an explicit confirmation
    of exactly what leaves, given as the item's id (the UI's tick box carries it; the
    command line asks for it or takes --confirm ID). ``QuarantineService.release`` asks
    this for every caller, so no path (UI, API, CLI, bulk) can skip it.
    """
    if not needs_confirmation(item):
        return None
    if not comment.strip():
        return (f"cannot release {item.id}: it carries a classification marking, so say why "
                "it may leave (a comment is required)")
    if confirmation.strip() != item.id:
        return (f"cannot release {item.id} without confirming what leaves: {leaving(item)} "
                f"(confirm with the item id {item.id})")
    return None


class QuarantineService:
    """Decisions and retention over one store (blocking: call it from a worker thread)."""

    def __init__(self, store, config: QuarantineConfig | None = None, *,
                 clock: Callable[[], datetime] | None = None,
                 metrics: QuarantineMetrics = NOT_COUNTED, accounts=None,
                 org_domains: Sequence[str] = ()) -> None:
        self.store = store
        # [org] domains: reject and expiry notices go to senders inside them only.
        self.org_domains = tuple(org_domains)
        # The accounts (quarantine.users.UserStore) deciders sign in with: with them, a
        # decision is taken only by an officer account, never on the officer's own mail, and
        # four-eyes counts only accounts nobody else set up recently. Without (tests of the
        # decision rules alone), names are taken as given.
        self.accounts = accounts
        self.config = config or QuarantineConfig()
        # By default the store's clock, which all nodes sharing the store keep.
        self.clock = clock or getattr(store, "now", None) or (lambda: datetime.now(UTC))
        self.metrics = metrics  # counts decisions (the process wires in its metrics)
        self._notice_body = load_template(self.config.notice_template)

    # -- officer decisions -------------------------------------------------------------

    def needs_four_eyes(self, item: QuarantineItem) -> bool:
        """True when releasing ``item`` takes two different officers."""
        threshold = self.config.four_eyes_severity
        if threshold == "off":
            return False
        return severity_rank(item.top_severity) >= severity_rank(threshold)

    def _check_officer(self, item: QuarantineItem, officer: str, verb: str,
                       status: str = "pending") -> User | None:
        """Refuse a decision ``officer`` may not take on ``item`` (which must be ``status``);
        their account, if any."""
        if not officer:
            raise DecisionRefused(f"cannot {verb} {item.id}: no officer name given")
        if officer == SYSTEM:
            raise DecisionRefused(f"cannot {verb} {item.id}: {SYSTEM!r} is reserved for "
                                  "automatic decisions; decide under your own name")
        account = None
        if self.accounts is not None:
            account = self.accounts.get(officer)
            if account is None or not account.can("decide"):
                raise DecisionRefused(f"cannot {verb} {item.id}: {officer} is not an enabled "
                                      "officer account")
        addresses = account.addresses if account else ()
        headers = self._headers(item)
        if any(is_own_item(officer, sender, addresses) for sender in senders_of(item, headers)):
            raise DecisionRefused(f"cannot {verb} {item.id}: {officer} sent it, and nobody "
                                  "decides on their own item; ask another officer")
        if item.status != status:
            raise DecisionRefused(f"cannot {verb} {item.id}: it is {item.status}, not {status}")
        return account

    def _headers(self, item: QuarantineItem) -> bytes | None:
        """The held mail's header section, or None (an upload, or content not readable)."""
        if item.kind != "mail":
            return None
        try:
            return header_section(self.store.content(item.id))
        except StoreError as exc:
            log.warning("quarantine: %s: cannot read the held headers (%s)", item.id,
                        type(exc).__name__)
            return None

    def _four_eyes_ready(self, item: QuarantineItem, account: User | None, now: datetime) -> None:
        if account is None:
            return
        delay = timedelta(hours=self.config.account_change_delay_hours)
        refusal = account.four_eyes_refusal(now, delay)
        if refusal:
            raise DecisionRefused(f"cannot release {item.id} (severity {item.top_severity}, "
                                  f"four-eyes): {refusal}")

    def release(self, item_id: str, officer: str, comment: str = "", *,
                confirmation: str = "") -> Outcome:
        """Release an item (or record the first of two approvals under four-eyes).

        An item with a classification marking needs a ``comment`` and ``confirmation``
        equal to its id (ConfirmationNeeded otherwise, naming what would leave); the
        officer is checked first, so a refused account never learns what the item holds.
        """
        officer = normalise_officer(officer)
        item = self.store.get(item_id)
        account = self._check_officer(item, officer, "release")
        refusal = release_refusal(item, comment, confirmation)
        if refusal:
            raise ConfirmationNeeded(refusal)
        now = self.clock()
        if self.needs_four_eyes(item):
            self._four_eyes_ready(item, account, now)
            approvers = {normalise_officer(d.officer) for d in item.decisions
                         if d.action == "approve"}
            if officer in approvers and len(approvers) == 1:
                raise DecisionRefused(
                    f"cannot release {item.id}: you already approved it; under four-eyes "
                    f"(severity {item.top_severity}) a second, different officer must release it")
            if not approvers - {officer}:
                item = self._decide(item.id, Decision("approve", officer, now, comment), "pending")
                message = (f"{item.id} approved by {officer}; severity {item.top_severity} needs "
                           "a second officer to release it")
                log.info("quarantine: %s approved by %s, waiting for a second officer", item.id,
                         officer)
                return Outcome(item, False, message)
        item = self._release(item, Decision("release", officer, now, comment))
        return Outcome(item, True, self._released_message(item))

    def _release(self, item: QuarantineItem, decision: Decision) -> QuarantineItem:
        if item.kind == "mail":
            item = self._decide(item.id, decision, "released", enqueue_delivery=True)
        else:
            until = decision.at + timedelta(minutes=self.config.upload_release_minutes)
            item = self._decide(item.id, decision, "released", allow_upload_until=until)
        log.info("quarantine: %s released by %s", item.id, decision.officer)
        return item

    def _released_message(self, item: QuarantineItem) -> str:
        if item.kind == "mail":
            return f"{item.id} released; it is queued for delivery"
        return (f"{item.id} released; {item.sender} may send the same content for "
                f"{self.config.upload_release_minutes:g} minutes")

    def reject(self, item_id: str, officer: str, comment: str = "") -> Outcome:
        """Reject a pending item (one officer suffices: rejecting never lets data out).

        A mail's sender is sent a notice (``notify_sender_on_reject``), queued in the
        delivery outbox in the same transaction as the reject.
        """
        officer = normalise_officer(officer)
        item = self.store.get(item_id)
        self._check_officer(item, officer, "reject")
        decision = Decision("reject", officer, self.clock(), comment)
        notice, detail = self._notice(item, decision, "an officer rejected it")
        item = self._decide(item.id, decision, "rejected", notice=notice, detail=detail)
        log.info("quarantine: %s rejected by %s (sender notice: %s)", item.id, officer,
                 detail.get("notice", "off"))
        message = f"{item.id} rejected"
        if notice is not None:
            message += "; the sender will be notified"
        return Outcome(item, True, message)

    def mark(self, item_id: str, officer: str, would: str, comment: str = "") -> QuarantineItem:
        """Record an officer's feedback on a monitored item: ``would`` is ``release`` or
        ``reject`` (what they would have decided had it been held). Audited; it delivers
        nothing and changes no status; a later mark by the same officer supersedes theirs."""
        if would not in ("release", "reject"):
            raise DecisionRefused(f"cannot mark {item_id}: expected release or reject, got "
                                  f"{would!r}")
        officer = normalise_officer(officer)
        item = self.store.get(item_id)
        self._check_officer(item, officer, f"mark {would}", status="monitored")
        decision = Decision(f"would-{would}", officer, self.clock(), comment)
        item = self._decide(item.id, decision, "monitored", expect=("monitored",))
        log.info("quarantine: %s marked would-%s by %s", item.id, would, officer)
        return item

    def _notice(self, item: QuarantineItem, decision: Decision,
                reason: str) -> tuple[Notice | None, dict[str, object]]:
        """The reject notice for ``item`` (or None) and the audit detail saying which."""
        if not self.config.notify_sender_on_reject:
            return None, {}
        from_address = self.config.notice_from or default_from()
        headers = None
        if item.kind == "mail":
            try:
                headers = header_section(self.store.content(item.id))
            except StoreError as exc:
                # The notice uses only the item's metadata; the loop checks on the headers
                # are skipped, the reject itself must not fail for it.
                log.warning("quarantine: %s: cannot read the held headers for the sender "
                            "notice (%s)", item.id, type(exc).__name__)
        skip = skip_reason(item.kind, item.sender, headers, from_address, self.org_domains)
        if skip:
            return None, {"notice": f"none: {skip}"}
        notice = render_notice(
            item_id=item.id, sender=item.sender, recipients=item.recipients,
            subject=item.subject, received=item.received, decided=decision.at,
            categories=item.categories, comment=decision.comment, reason=reason,
            from_address=from_address, subject_template=self.config.notice_subject,
            body_template=self._notice_body, in_reply_to=original_message_id(headers))
        return notice, {"notice": "queued", "notice_to": notice.recipient}

    def _decide(self, item_id: str, decision: Decision, status: str, *,
                expect: Sequence[str] = ("pending",), **extra) -> QuarantineItem:
        try:
            item = self.store.record_decision(item_id, decision, status,
                                              expect_status=list(expect), **extra)
        except StoreError as exc:
            if type(exc) is StoreError:  # a conflicting state: someone decided first
                raise DecisionRefused(f"cannot {decision.action} {item_id}: {exc}") from None
            raise
        self.metrics.decision(decision.action)
        return item

    # -- content ----------------------------------------------------------------------

    def content(self, item_id: str, officer: str, *, download: bool = False) -> bytes:
        """The original bytes for an officer; the view or download is audited first."""
        self.store.get(item_id)
        self.store.audit(self.clock(), officer, "download" if download else "view", item_id)
        return self.store.content(item_id)

    def upload_allowed(self, user: str, sha256: str, site: str) -> bool:
        """True when a released upload lets this user send this content to ``site`` now."""
        return self.store.upload_allowed(user, sha256, site, self.clock())

    # -- retention --------------------------------------------------------------------

    def expire(self) -> list[str]:
        """Expire pending items older than pending_expiry_hours; the ids expired."""
        now = self.clock()
        hours = self.config.pending_expiry_hours
        done = []
        for item_id in self.store.pending_before(now - timedelta(hours=hours)):
            decision = Decision("expire", SYSTEM, now, f"pending for more than {hours:g} hours")
            try:
                item = self.store.get(item_id)
                # Time alone never releases what four-eyes guards, nor a classification
                # marking (nobody confirmed what leaves): those expire unsent.
                if (self.config.expiry_action == "release" and not self.needs_four_eyes(item)
                        and not needs_confirmation(item)):
                    self._release(item, decision)
                else:
                    notice, detail = self._notice(
                        item, decision, f"nobody decided on it within {hours:g} hours")
                    self._decide(item_id, decision, "expired", notice=notice, detail=detail)
            except DecisionRefused:
                continue  # an officer decided it meanwhile
            done.append(item_id)
        if done:
            log.info("quarantine: expired %d pending item(s) (%s)", len(done),
                     self.config.expiry_action)
        return done

    def purge(self) -> list[str]:
        """Delete items decided more than purge_after_days ago; the ids purged."""
        now = self.clock()
        cutoff = now - timedelta(days=self.config.purge_after_days)
        done = [i for i in self.store.purgeable_before(cutoff)
                if self.store.purge(i, SYSTEM, now, cutoff)]
        if done:
            log.info("quarantine: purged %d decided item(s)", len(done))
        # Monitored items: counted from their arrival (or the last officer mark on them).
        cutoff = now - timedelta(days=self.config.monitored_purge_after_days)
        monitored = [i for i in self.store.purgeable_before(cutoff, statuses=MONITORED)
                     if self.store.purge(i, SYSTEM, now, cutoff, statuses=MONITORED)]
        if monitored:
            log.info("quarantine: purged %d monitored item(s)", len(monitored))
        return done + monitored
