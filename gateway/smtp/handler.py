"""The SMTP session handler: who may send, what the upstream says, and what happens to a mail.

aiosmtpd calls ``MailHandler``'s hooks from the protocol (``gateway/smtp/protocol.py``):
relay permission and sender ownership at MAIL, the upstream's own reply at RCPT, AUTH
against the sender accounts, and at DATA the decision: the pipeline's verdict (plus the
inbound sign-up net) becomes a relay, a hold or a refusal. The sender gets 250 only after
the upstream took the message, the Maildir outbox synced it, or the quarantine store
committed it; every failure on the way is a 4xx so the sending MTA keeps the message and
retries.
"""

from __future__ import annotations

import asyncio
import dataclasses
import ipaddress
import logging
import sqlite3
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from aiosmtpd.smtp import SMTP, Envelope, Session

from filters.engines.signup import VERIFICATION_RULE
from filters.types import ScanStats, Verdict
from gateway.ops import metrics
from gateway.ops.logs import log_decision
from gateway.smtp.auth import MECHANISMS, SaslError, read_credentials, sender_allowed
from gateway.smtp.message import HEADER_PEEK, HeaderInfo, Message, read_head
from gateway.smtp.protocol import XFORWARD_ATTRIBUTES, RedlineSMTP, SessionRefused, hook_names
from gateway.smtp.relay import AsyncTransaction, UpstreamUnavailable, format_reply
from gateway.smtp.scanner import ScanFailed
from gateway.smtp.session import RedlineSession, client_ip
from quarantine.notice import Notice, header_section
from quarantine.store import HoldRequest, QuarantineItem, StoreError, hold_once

if TYPE_CHECKING:
    from gateway.smtp.listener import SmtpGateway


log = logging.getLogger("redline.smtp")
_TRUSTED_PEERS_KEPT = 1024


class MailHandler:
    """aiosmtpd handler: relay policy at MAIL/RCPT, upstream RCPT checks, the DATA decision."""

    def __init__(self, gateway: SmtpGateway) -> None:
        self.gateway = gateway
        # Peer address -> in smtp.trusted_networks: the MTA in front opens a session per
        # message or so from the same few addresses, and parsing one and testing it
        # against each network was a session's largest piece of policy work.
        self._trusted_peers: dict[str, bool] = {}

    def __dir__(self) -> list[str]:
        return hook_names(self)

    def trusted(self, session: Session) -> bool:
        """True when the client's own address is in smtp.trusted_networks (worked out
        once a session: MAIL and every RCPT ask)."""
        known = getattr(session, "trusted", None)
        if known is None:
            known = self._trusted(session)
            if isinstance(session, RedlineSession):
                session.trusted = known
        return known

    def _trusted(self, session: Session) -> bool:
        peer = client_ip(session)
        known = self._trusted_peers.get(peer)
        if known is None:
            known = self._in_trusted_networks(peer)
            if len(self._trusted_peers) >= _TRUSTED_PEERS_KEPT:
                self._trusted_peers.clear()  # a spread of senders: start the cache over
            self._trusted_peers[peer] = known
        return known

    def _in_trusted_networks(self, peer: str) -> bool:
        try:
            ip = ipaddress.ip_address(peer.split("%")[0])
        except ValueError:
            return False
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        return any(ip in net for net in self.gateway.trusted_networks)

    def _may_relay(self, session: RedlineSession) -> bool:
        if session.account is not None:
            return True
        return self.gateway.smtp.auth != "require" and self.trusted(session)

    def _refusal(self, session: RedlineSession) -> str:
        smtp = self.gateway.smtp
        if smtp.auth == "require":
            return "530 5.7.0 authentication required: AUTH first (smtp.auth = require)"
        if smtp.auth == "offer":
            return (f"530 5.7.0 authentication required: client {client_ip(session)} is not in "
                    "smtp.trusted_networks; AUTH first")
        return (f"550 5.7.1 relaying denied: client {client_ip(session)} is not in "
                "smtp.trusted_networks")

    async def handle_MAIL(self, server: SMTP, session: RedlineSession, envelope: Envelope,
                          address: str, mail_options: list[str]) -> str:
        """Refuse clients that may not relay and senders an account does not own."""
        if not self._may_relay(session):
            log.warning("smtp relay refused client=%s at MAIL", client_ip(session))
            metrics.smtp_session_refused(
                "untrusted_network" if self.gateway.smtp.auth == "off" else "auth_required")
            return self._refusal(session)
        if session.account is not None:
            refusal = sender_allowed(session.account, address, self.gateway.smtp.auth_sender_match)
            if refusal is not None:
                log.warning("smtp sender refused client=%s: not owned by the AUTH account",
                            client_ip(session))
                return refusal
        if session.transaction is not None:
            # Left over from a transaction that ended without handle_DATA or RSET: the
            # new one must not add its recipients to it.
            await self._end_transaction(session)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 2.1.0 OK"

    async def handle_RCPT(self, server: SMTP, session: RedlineSession, envelope: Envelope,
                          address: str, rcpt_options: list[str]) -> str:
        """Check a recipient with the upstream (its own reply is passed on)."""
        if not self._may_relay(session):
            return self._refusal(session)
        if len(envelope.rcpt_tos) >= self.gateway.smtp.max_recipients:
            metrics.smtp_session_refused("recipients")
            return f"452 4.5.3 too many recipients (at most {self.gateway.smtp.max_recipients})"
        pool = self.gateway.relay_pool
        if pool is None:
            envelope.rcpt_tos.append(address)
            return "250 2.1.5 OK"
        try:
            if session.transaction is None:
                transaction = AsyncTransaction(
                    pool, envelope.mail_from or "", smtputf8=envelope.smtp_utf8,
                    eight_bit="BODY=8BITMIME" in envelope.mail_options)
                session.transaction = transaction  # aborted by connection_lost from here on
                code, text = await transaction.begin(first_rcpt=address)
                if code >= 400:
                    session.transaction = None
                    return format_reply(code, text)
            code, text = await session.transaction.rcpt(address)
        except UpstreamUnavailable as exc:
            log.warning("smtp upstream unavailable at RCPT: %s", exc)
            session.transaction = None
            return "451 4.4.1 upstream relay unavailable; try again later"
        if code < 300:
            envelope.rcpt_tos.append(address)
        return format_reply(code, text)

    async def handle_EHLO(self, server: SMTP, session: Session, envelope: Envelope,
                          hostname: str, responses: list[str]) -> list[str]:
        """aiosmtpd's EHLO reply plus PIPELINING (RFC 2920), which the listener enforces,
        and AUTH only where it is configured and, unless allowed in plain text, after TLS."""
        session.host_name = hostname
        extensions = [r for r in responses[:-1] if not r.startswith("250-AUTH")]
        extensions.append("250-PIPELINING")
        if self.gateway.smtp.xforward and self.trusted(session):
            extensions.append("250-XFORWARD " + " ".join(XFORWARD_ATTRIBUTES))
        if self.gateway.authenticator is not None and (
                session.ssl is not None or self.gateway.smtp.auth_allow_plaintext):
            extensions.append("250-AUTH " + " ".join(MECHANISMS))
        return [*extensions, responses[-1]]

    async def handle_AUTH(self, server: RedlineSMTP, session: RedlineSession,
                          envelope: Envelope, args: list[str]) -> str | None:
        """AUTH PLAIN or LOGIN, checked against the sender accounts; the reply (None when
        aiosmtpd already answered a cancelled exchange)."""
        authenticator = self.gateway.authenticator
        if authenticator is None:
            return "502 5.5.1 AUTH is not enabled here (smtp.auth = off)"
        if envelope.mail_from is not None:
            return "503 5.5.1 AUTH is not allowed during a mail transaction (RFC 4954 4)"
        mechanism = args[0].upper()
        if mechanism not in MECHANISMS:
            return f"504 5.5.4 unrecognised authentication type; use {' or '.join(MECHANISMS)}"
        try:
            credentials = await read_credentials(server, mechanism, args[1:])
        except SaslError as exc:
            return str(exc)
        if credentials is None:
            return None  # the client cancelled with "*", or sent bad base64: answered 501
        name, password = credentials
        client = client_ip(session)
        try:
            outcome = await authenticator.check(name, password, client)
        except (StoreError, OSError, sqlite3.Error) as exc:
            # Accounts and failure counts live in the store: without it nobody is
            # checked, and the client is told to try later (RFC 4954: 454).
            log.error("smtp auth: the account store did not answer (%s) client=%s",
                      type(exc).__name__, client)
            return "454 4.7.0 temporary authentication failure; try again later"
        if outcome.retry_after > 0:
            metrics.smtp_auth("throttled")
            log.warning("smtp auth throttled client=%s", client)
            minutes = max(1, round(outcome.retry_after / 60))
            return (f"454 4.7.0 too many failed authentications for this name or from this "
                    f"address; try again in {minutes} minute(s)")
        if outcome.user is None:
            metrics.smtp_auth("failure")
            session.auth_failures += 1
            log.warning("smtp auth failed client=%s%s", client,
                        f" ({outcome.reason})" if outcome.reason else "")
            if session.auth_failures >= 3:
                raise SessionRefused("421 4.7.0 too many failed authentications in this "
                                     "session; closing the connection", "auth_failed")
            return "535 5.7.8 authentication credentials invalid"
        metrics.smtp_auth("success")
        session.account = outcome.user
        session.authenticated = True
        session.auth_data = outcome.user.name
        log.info("smtp auth client=%s account=%s", client, outcome.user.name)
        return "235 2.7.0 authentication successful"

    def handle_STARTTLS(self, server: SMTP, session: Session, envelope: Envelope) -> bool:
        """Count the TLS session (aiosmtpd calls this once the handshake is done)."""
        metrics.tls_used("smtp")
        return True

    async def handle_RSET(self, server: SMTP, session: RedlineSession, envelope: Envelope) -> str:
        """End the upstream transaction too."""
        await self._end_transaction(session)
        return "250 2.0.0 OK"

    async def _end_transaction(self, session: RedlineSession) -> None:
        transaction, session.transaction = session.transaction, None
        if transaction is not None:
            await transaction.finish()

    async def handle_DATA(self, server: SMTP, session: RedlineSession, envelope: Envelope) -> str:
        """Inspect the spooled message and relay, hold or refuse it; the reply to the sender."""
        try:
            return await self._decide(server, session, envelope)
        finally:
            transaction, session.transaction = session.transaction, None
            if transaction is not None:
                transaction.abort()

    async def _decide(self, server: SMTP, session: RedlineSession, envelope: Envelope) -> str:
        gateway = self.gateway
        started = time.monotonic()
        message: Message = envelope.message  # type: ignore[attr-defined]
        queue_id = message.id
        recipients = list(envelope.rcpt_tos)
        internal = [r for r in recipients if gateway.org.is_internal(r)]
        external = [r for r in recipients if not gateway.org.is_internal(r)]
        direction = "mixed" if internal and external else "internal" if internal else "outbound"
        verdict: Verdict | None = None
        timings: dict[str, float] = {}
        inbound = self._inbound(envelope, internal)
        text = ""
        if external or gateway.org.inspect_internal:
            def job(scan: Callable[[Path], Verdict]) -> tuple[HeaderInfo, Verdict, str]:
                info, verdict = message.prepare_and_scan(scan)
                return info, verdict, message.readable_text() if inbound else ""

            try:
                if inbound:
                    info, verdict, text = await gateway.scanner.run(job)
                elif (message.data is not None
                      and len(message.data) <= gateway.scanner.pipe_bytes):
                    # Mail in memory: header work here, bytes straight to a scanner process.
                    info = message.clean_in_memory()
                    verdict = await gateway.scanner.scan_message(f"{queue_id}.eml", message.data)
                else:
                    # Spooled mail: its file is written (or cleaned) in a thread first,
                    # so a scanner is taken only for the scan itself; the scanner reads the
                    # file while the loop waits. (Holding the scanner through the file work
                    # left it idle for most of a 1 MB mail's turn.)
                    info = await gateway.scanner.spool(message.prepare)
                    verdict = await gateway.scanner.scan(message.spool)
            except ScanFailed as exc:
                metrics.scan_error("mail", direction)
                log.warning("smtp scan failed queue=%s client=%s: %s; answered 451", queue_id,
                            client_ip(session), exc)
                return "451 4.3.0 message could not be inspected now; try again later"
            timings["scan"] = time.monotonic() - started
            metrics.observe_scan("mail", direction, verdict)
        elif inbound:
            try:
                info, text = await asyncio.to_thread(
                    lambda: (message.clean_in_memory() if message.data is not None
                             else message.prepare(), message.readable_text()))
            except OSError as exc:
                log.warning("smtp spool failed queue=%s: %s; answered 451", queue_id, exc)
                return "451 4.3.0 message could not be inspected now; try again later"
        elif message.data is not None:
            info = message.clean_in_memory()
        else:
            info = await asyncio.to_thread(message.prepare)
        if inbound:
            verdict = self._check_inbound(envelope, internal, info, text, verdict, message)
        signup_net = inbound and verdict is not None and any(
            h.rule == VERIFICATION_RULE for h in verdict.hits)
        action = verdict.action if verdict else "pass"
        if action in ("pass", "monitor"):
            # A monitored mail is labelled pass too: the header travels with the mail, and
            # "monitor" would tell its recipients that it carries what the policy looks for.
            label = "pass" if verdict else "not-inspected (internal recipients only)"
            step = time.monotonic()
            reply = await self._relay(server, session, envelope, recipients, label, info,
                                      reuse_transaction=True)
            timings["relay"] = time.monotonic() - step
            item_id = queue_id
            if action == "monitor" and reply.startswith("2"):
                assert verdict is not None
                item_id = await self._record_monitored(session, envelope, verdict, recipients,
                                                       info, queue_id, timings) or queue_id
            self._log(item_id, verdict, timings, started, reply)
            return reply
        await self._end_transaction(session)
        assert verdict is not None
        if internal and external and not gateway.org.inspect_internal and not signup_net:
            # Mixed: the organisation's own recipients get it, the copy that leaves is held.
            held = await self._hold(session, envelope, verdict, external, info, queue_id, timings)
            if isinstance(held, str):
                return held
            item, again = held
            step = time.monotonic()
            reply = await self._relay(server, session, envelope, internal,
                                      f"{action} (internal copy; external copy held as {item.id})",
                                      info, reuse_transaction=False)
            timings["relay"] = time.monotonic() - step
            self._log(item.id, verdict, timings, started, reply)
            if not reply.startswith("2"):
                return reply
            if not again:
                await self._notify_hold(item, message)
            return (f"250 2.0.0 delivered to the internal recipients; the external copy is held "
                    f"for review as {item.id}")
        if action == "reject":
            reply = f"550 5.7.1 refused by data-loss policy ({', '.join(_categories(verdict))})"
            self._log(queue_id, verdict, timings, started, reply)
            return reply
        held = await self._hold(session, envelope, verdict, recipients, info, queue_id,
                                 timings)
        if isinstance(held, str):
            return held
        item, again = held
        reply = f"250 2.0.0 held for review as {item.id}"
        self._log(item.id, verdict, timings, started, reply)
        if not again:
            await self._notify_hold(item, message)
        return reply

    async def _notify_hold(self, item: QuarantineItem, message: Message) -> None:
        """Start sending the sender a hold notice (quarantine.notify_sender_on_hold).

        The sender's reply does not wait for it: it goes out on its own task, through the
        upstream like passing mail (or into the Maildir outbox), from the null sender.
        """
        notices = self.gateway.hold_notices
        if notices is None:
            return
        if message.data is not None:
            headers = header_section(message.data[:HEADER_PEEK])
        else:
            try:
                headers = header_section(await asyncio.to_thread(read_head, message.spool))
            except OSError:
                headers = None  # the loop checks then rest on the envelope sender alone
        notice = notices.for_item(item_id=item.id, sender=item.sender, recipients=item.recipients,
                                  subject=item.subject, received=item.received,
                                  categories=item.categories, headers=headers)
        if notice is None:
            log.info("smtp hold notice for %s: none (loop rules)", item.id)
            return
        task = asyncio.get_running_loop().create_task(self._send_notice(notice, item.id))
        self.gateway.notice_tasks.add(task)
        task.add_done_callback(self.gateway.notice_tasks.discard)

    async def _send_notice(self, notice: Notice, item_id: str) -> None:
        gateway = self.gateway
        domain = gateway.hold_notices.from_address.rpartition("@")[2].lower()  # type: ignore[union-attr]
        head = b""
        try:
            if gateway.signer.keys_for(domain):
                head = await asyncio.to_thread(gateway.dkim_sign, b"", notice.message, domain)
            if gateway.relay_pool is None:
                await asyncio.to_thread(gateway.outbox.deliver, notice.sender, [notice.recipient],
                                        head, notice.message)
                reply = "queued in the local outbox"
            else:
                transaction = AsyncTransaction(gateway.relay_pool, notice.sender,
                                               eight_bit=not notice.message.isascii())
                (code, text), refused = await transaction.open([notice.recipient])
                if refused is not None:
                    await transaction.finish()
                elif code < 400:
                    code, text = await transaction.data(head, notice.message)
                reply = f"{code} {text.splitlines()[0] if text else ''}"
        except (UpstreamUnavailable, OSError) as exc:
            log.warning("smtp hold notice for %s not sent: %s", item_id, exc)
            return
        log.info("smtp hold notice for %s: %s", item_id, reply[:80])

    def _inbound(self, envelope: Envelope, internal: list[str]) -> bool:
        """True when the inbound sign-up net applies: mail from outside to work addresses."""
        sender = envelope.mail_from or ""
        return (self.gateway.inbound_signup is not None and bool(internal) and "@" in sender
                and not self.gateway.org.is_internal(sender))

    def _check_inbound(self, envelope: Envelope, internal: list[str], info: HeaderInfo,
                       text: str, verdict: Verdict | None, message: Message) -> Verdict | None:
        """``verdict`` with the inbound sign-up net's hits added and the action re-decided."""
        detector = self.gateway.inbound_signup
        assert detector is not None
        # The From domain is the service the person signed up with (and what
        # signup.allowed_services names); the envelope sender is often its mail provider.
        sender = f"@{info.from_domain}" if info.from_domain else envelope.mail_from or ""
        hits = detector.scan_verification_mail(sender, internal, info.subject, text)
        if not hits:
            return verdict
        metrics.signup_blocked()
        found = (*(verdict.hits if verdict else ()), *hits)
        stats = verdict.stats if verdict else ScanStats(bytes=envelope.size)  # type: ignore[attr-defined]
        return Verdict(self.gateway.pipeline.policy.decide(found), found, stats)

    def _request(self, session: RedlineSession, envelope: Envelope, verdict: Verdict,
                 recipients: list[str], info: HeaderInfo, queue_id: str,
                 **extra: object) -> HoldRequest:
        """The HoldRequest for this mail (``extra``: status and keep_content)."""
        return HoldRequest(
            kind="mail", sender=envelope.mail_from or "", recipients=tuple(recipients),
            subject=info.subject, verdict=verdict,
            content=envelope.message.body,  # type: ignore[attr-defined]
            received=datetime.now(UTC), client=session.origin_ip,
            meta={"queue_id": queue_id, "helo": session.origin_helo,
                  **({"auth": session.account.name} if session.account else {}),
                  **({"relayed_by": client_ip(session)} if session.forwarded else {}),
                  **({"client_name": session.forwarded["NAME"]}
                     if "NAME" in session.forwarded else {})},
            **extra,  # type: ignore[arg-type]
        )

    async def _record_monitored(self, session: RedlineSession, envelope: Envelope,
                                verdict: Verdict, recipients: list[str], info: HeaderInfo,
                                queue_id: str, timings: dict[str, float]) -> str | None:
        """Record a delivered mail the policy monitors (once: a retry of the same message
        finds its record, as a held mail finds its pending item); its item id, or None when
        the store failed. The mail is already with the upstream: a store failure loses the
        record (logged at ERROR), never the mail, and does not make the sender send it
        twice."""
        policy = self.gateway.pipeline.policy
        request = self._request(session, envelope, verdict, recipients, info, queue_id,
                                status="monitored",
                                keep_content=policy.config.monitor_keep_content)
        request = dataclasses.replace(request, meta={**request.meta,
                                                     "enforced": policy.enforced(verdict.hits)})
        step = time.monotonic()
        try:
            item, again = await asyncio.to_thread(hold_once, self.gateway.store, request)
        except (StoreError, OSError, sqlite3.Error) as exc:
            log.error("smtp monitored mail queue=%s delivered but not recorded: %s", queue_id,
                      exc)
            return None
        timings["record"] = time.monotonic() - step
        if again:
            log.info("smtp monitored mail queue=%s: the same message is already recorded as "
                     "%s (a retry); not recorded twice", queue_id, item.id)
        return item.id

    async def _hold(self, session: RedlineSession, envelope: Envelope, verdict: Verdict,
                    recipients: list[str], info: HeaderInfo, queue_id: str,
                    timings: dict[str, float]) -> tuple[QuarantineItem, bool] | str:
        """Store the message durably (once: a retry finds the pending item); the item and
        whether it was already there, or the 451 reply when the store failed."""
        request = self._request(session, envelope, verdict, recipients, info, queue_id)
        step = time.monotonic()
        try:
            item, again = await asyncio.to_thread(hold_once, self.gateway.store, request)
        except (StoreError, OSError, sqlite3.Error) as exc:
            log.error("smtp hold failed queue=%s client=%s: %s; answered 451", queue_id,
                      client_ip(session), exc)
            return "451 4.3.0 quarantine store unavailable; try again later"
        timings["hold"] = time.monotonic() - step
        if again:
            log.info("smtp hold queue=%s: the same message is already pending as %s (a retry); "
                     "not held twice", queue_id, item.id)
        return item, again

    async def _relay(self, server: SMTP, session: RedlineSession, envelope: Envelope,
                     recipients: list[str], label: str, info: HeaderInfo, *,
                     reuse_transaction: bool) -> str:
        """Deliver to the upstream (or the Maildir outbox); the reply for the sender."""
        gateway = self.gateway
        message: Message = envelope.message  # type: ignore[attr-defined]
        sender = envelope.mail_from or ""
        domain = info.from_domain or sender.rpartition("@")[2].lower()
        head = gateway.trace_head(message, session, envelope, label)
        if domain and gateway.signer.keys_for(domain):
            # Signing reads the whole message and costs CPU: off the loop.
            head = await asyncio.to_thread(gateway.dkim_sign, head, message.body, domain)
        if gateway.relay_pool is None:
            try:
                path = await asyncio.to_thread(gateway.outbox.deliver, sender, recipients, head,
                                               message.body)
            except OSError as exc:
                log.error("smtp outbox write failed: %s", exc)
                return "451 4.3.0 local outbox unavailable; try again later"
            return f"250 2.0.0 queued in the local outbox as {path.name}"
        try:
            transaction = session.transaction if reuse_transaction else None
            if transaction is not None and transaction.lost():
                # Opened at RCPT; the upstream closed it while the mail waited for its scan.
                log.info("smtp upstream closed the transaction during the scan; opening another")
                transaction.abort()
                session.transaction = transaction = None
            if transaction is None:
                await self._end_transaction(session)
                transaction = AsyncTransaction(
                    gateway.relay_pool, sender, smtputf8=envelope.smtp_utf8,
                    eight_bit="BODY=8BITMIME" in envelope.mail_options)
                session.transaction = transaction
                (code, text), refused = await transaction.open(recipients)
                if refused is not None:
                    # Accepted at RCPT a moment ago: treat a change of mind as temporary.
                    return f"451 4.4.3 upstream now refuses {refused}: {code} {text}"[:500]
                if code >= 400:
                    return format_reply(code, text)
            code, text = await transaction.data(head, message.body, dot_free=message.dot_free)
        except UpstreamUnavailable as exc:
            log.warning("smtp upstream unavailable at DATA: %s", exc)
            return "451 4.4.1 upstream relay unavailable; try again later"
        return format_reply(code, text)

    def _log(self, item_id: str, verdict: Verdict | None, timings: dict[str, float],
             started: float, reply: str) -> None:
        # One line per decision; never content, subjects, excerpts or addresses.
        if verdict is None:
            log.info("smtp decision id=%s verdict=not-inspected (internal recipients only) "
                     "reply=%s", item_id, reply[:3])
            return
        log_decision("mail", item_id, verdict, {**timings, "total": time.monotonic() - started})


def _categories(verdict: Verdict) -> list[str]:
    return list(dict.fromkeys(h.category for h in verdict.hits)) or ["policy"]
