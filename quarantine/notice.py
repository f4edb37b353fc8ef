"""The notices a held or rejected mail's sender receives: who gets one, and the text
(never content).

Held (optional, ``quarantine.notify_sender_on_hold``): the SMTP listener sends it through
the upstream right after the hold is committed, so that a sender whose client spoke to
an MTA in front of Redline learns the mail waits for review. Rejected:

The service builds the notice when it records the reject (an officer's, a bulk one, or
expiry) and hands it to the store, which queues it in the delivery outbox in the same
transaction; the outbox worker then sends it through the same Deliverer as released mail
(relayed, DKIM-signed, retried, exactly once). The notice names the item, the held
mail's subject, its recipients, the times, the finding categories and the officer's
comment. It never carries an excerpt, a rule's match or any of the held content: the
point of the reject is that none of it leaves.

Loops (RFC 3834): no notice to the null sender or to mailer-daemon/postmaster-style
addresses, none for a held mail that is itself automatic (``Auto-Submitted`` other than
``no``, ``Precedence: bulk|list|junk``, a ``List-Id``); the notice goes out with the
null reverse-path (``MAIL FROM:<>``) and ``Auto-Submitted: auto-replied`` so nothing
answers it.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.policy import SMTP
from email.utils import format_datetime, make_msgid
from pathlib import Path
from string import Template

from filters.errors import ConfigError

# Everything a template may use. None of these is content: the subject and recipients
# are the envelope/header facts the sender already knows.
FIELDS = ("item_id", "subject", "recipients", "sender", "received", "decided", "categories",
          "comment", "reason")

DEFAULT_SUBJECT = "Not delivered: $subject"
DEFAULT_TEMPLATE = """\
Your message was not delivered.

It was held by the outbound data-loss-prevention gateway and then rejected:
$reason.

  Quarantine item:  $item_id
  Subject:          $subject
  To:               $recipients
  Held at:          $received
  Rejected at:      $decided
  Found:            $categories
  Officer comment:  $comment

Nothing of it was sent to any recipient. If you believe this is a mistake,
ask your security or compliance office and quote the quarantine item above.

This notice was generated automatically; please do not reply to it.
"""

DEFAULT_HOLD_SUBJECT = "Held for review: $subject"
HOLD_TEMPLATE = """\
Your message has not been delivered yet.

The outbound data-loss-prevention gateway holds it for review by a quarantine
officer, who will release or reject it. You will be told if it is rejected.

  Quarantine item:  $item_id
  Subject:          $subject
  To:               $recipients
  Held at:          $received
  Found:            $categories

If the message is urgent, ask your security or compliance office and quote the
quarantine item above. Do not send it again: a copy would be held as well.

This notice was generated automatically; please do not reply to it.
"""

# Local parts that belong to mail systems, not people (RFC 3834 section 2, RFC 2142);
# answering them risks a loop or a notice into a mailbox nobody reads.
SYSTEM_LOCAL_PARTS = frozenset({
    "mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon", "listserv", "majordomo",
    "bounce", "bounces", "noreply", "no-reply", "do-not-reply", "donotreply",
})
_SYSTEM_SUFFIXES = ("-request", "-bounces", "-owner")  # mailing-list robots
_SYSTEM_PREFIXES = ("owner-", "bounce-", "bounces+")
_HEADER_LIMIT = 256 * 1024  # header section read for the loop checks; more is not a header


@dataclass(frozen=True, slots=True)
class Notice:
    """A rendered notice ready for the outbox: envelope and the whole RFC 5322 message."""

    recipient: str
    message: bytes
    sender: str = ""  # the null reverse-path: nothing bounces back to us (RFC 3834 3.3)


def load_template(path: str, key: str = "quarantine.notice_template") -> str:
    """The notice body template from ``path`` (the built-in one for ""), checked.

    ConfigError names ``key`` when the file cannot be read or uses an unknown
    ``$placeholder``, so a broken template stops the start instead of a reject.
    """
    if not path:
        return DEFAULT_TEMPLATE
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config key {key}: cannot read {path!r} ({exc}); give a UTF-8 "
                          "text file or leave it empty for the built-in notice") from None
    check_template(text, key)
    return text


def check_template(text: str, key: str) -> None:
    """ConfigError naming ``key`` when ``text`` is not a valid template of known fields."""
    template = Template(text)
    if not template.is_valid():
        raise ConfigError(f"config key {key}: not a valid template (a lone '$'? write '$$' for "
                          "a dollar sign)")
    unknown = sorted(set(template.get_identifiers()) - set(FIELDS))
    if unknown:
        raise ConfigError(f"config key {key}: unknown placeholder ${unknown[0]}; use "
                          f"{', '.join('$' + f for f in FIELDS)}")


def default_from() -> str:
    """postmaster@ this host's FQDN, the notice's From when none is configured."""
    return f"postmaster@{socket.getfqdn()}"


def _local_part(address: str) -> str:
    return address.rsplit("@", 1)[0].strip().strip("<>").casefold()


def outside(address: str, domains: Sequence[str]) -> bool:
    """True when ``address`` is not in ``domains`` or their subdomains, or routes itself
    onward (``eve%example.net@example.org``, ``example.net!eve@...``, a quoted address)."""
    local, _, domain = address.rpartition("@")
    domain = domain.strip().rstrip(".").lower()
    if not domain or any(c in local for c in "%!@:"):
        return True
    return not any(domain == d or domain.endswith("." + d)
                   for d in (d.strip().rstrip(".").lower() for d in domains))


def skip_reason(kind: str, sender: str, headers: bytes | None, from_address: str,
                org_domains: Sequence[str] = ()) -> str | None:
    """Why this item's sender gets no notice (a short phrase), or None when it gets one.

    With ``org_domains`` (the [org] section), a sender outside them gets none: a notice
    quotes the held subject and the recipients, and a subject can carry the very words
    that held the mail, so an envelope sender pointing outside would carry them out.
    """
    if kind != "mail":
        # An upload's "sender" is a proxy user name, not an address; the uploader saw the
        # block page when the upload was held.
        return "an upload has no address to notify"
    address = sender.strip().strip("<>")
    if not address:
        return "null sender"
    if "@" not in address or "\r" in address or "\n" in address:
        return "sender is not an address"
    local = _local_part(address)
    if (local in SYSTEM_LOCAL_PARTS or local.endswith(_SYSTEM_SUFFIXES)
            or local.startswith(_SYSTEM_PREFIXES)):
        return "sender is a mail system address"
    if address.casefold() == from_address.casefold():
        return "sender is the notice address"
    if org_domains and outside(address, org_domains):
        return "sender is outside the organisation's domains"
    if headers is not None:
        parsed = BytesHeaderParser(policy=SMTP).parsebytes(headers)
        auto = str(parsed.get("Auto-Submitted", "no")).split(";")[0].strip().casefold()
        if auto != "no":
            return "held mail was automatic (Auto-Submitted)"
        if str(parsed.get("Precedence", "")).strip().casefold() in ("bulk", "list", "junk"):
            return "held mail was bulk or list mail (Precedence)"
        if parsed.get("List-Id") is not None:
            return "held mail came from a mailing list (List-Id)"
    return None


def header_section(message: bytes) -> bytes:
    """The header section of an RFC 5322 message (bounded), for the loop checks."""
    head = message[:_HEADER_LIMIT]
    match = re.search(rb"\r?\n\r?\n", head)
    return head[:match.end()] if match else head


def _one_line(text: str) -> str:
    # A held subject may carry folding or control characters; a header takes one line.
    return " ".join(text.split())


def render(*, item_id: str, sender: str, recipients: tuple[str, ...], subject: str,
           received: datetime, decided: datetime, categories: tuple[str, ...], comment: str,
           reason: str, from_address: str, subject_template: str, body_template: str,
           in_reply_to: str | None = None, event: str = "rejected") -> Notice:
    """The notice for one rejected (or, with ``event="held"``, held) mail; values only from
    the item's metadata."""
    values = {
        "item_id": item_id,
        "subject": _one_line(subject) or "(no subject)",
        "recipients": ", ".join(recipients) or "(none)",
        "sender": sender,
        "received": received.strftime("%Y-%m-%d %H:%M:%S %Z").strip(),
        "decided": decided.strftime("%Y-%m-%d %H:%M:%S %Z").strip(),
        "categories": ", ".join(categories) or "(none)",
        "comment": comment.strip() or "(none)",
        "reason": reason,
    }
    message = EmailMessage(policy=SMTP)
    message["From"] = Address(display_name="Redline quarantine", addr_spec=from_address)
    message["To"] = sender
    message["Subject"] = _one_line(Template(subject_template).substitute(values))
    message["Date"] = format_datetime(decided)
    message["Message-ID"] = make_msgid("redline-notice", from_address.rsplit("@", 1)[-1])
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    message["Auto-Submitted"] = "auto-replied"  # RFC 3834 section 5
    message["X-Redline-Notice"] = f"{event} {item_id}"
    message.set_content(Template(body_template).substitute(values), charset="utf-8")
    return Notice(recipient=sender.strip().strip("<>"), message=message.as_bytes())


def original_message_id(headers: bytes | None) -> str | None:
    """The held mail's Message-ID, when it has one that fits a header (for In-Reply-To)."""
    if not headers:
        return None
    value = BytesHeaderParser(policy=SMTP).parsebytes(headers).get("Message-ID")
    text = _one_line(str(value or ""))
    return text if re.fullmatch(r"<[^<>\s]{1,250}>", text) else None


@dataclass(frozen=True, slots=True)
class HoldNotices:
    """Renders the notice to the sender of a mail just held (quarantine.notify_sender_on_hold)."""

    from_address: str
    subject_template: str = DEFAULT_HOLD_SUBJECT
    org_domains: tuple[str, ...] = ()  # [org] domains: senders outside them get no notice

    def for_item(self, *, item_id: str, sender: str, recipients: tuple[str, ...], subject: str,
                 received: datetime, categories: tuple[str, ...],
                 headers: bytes | None) -> Notice | None:
        """The notice, or None when the loop rules say this sender gets none."""
        if skip_reason("mail", sender, headers, self.from_address, self.org_domains) is not None:
            return None
        return render(item_id=item_id, sender=sender, recipients=recipients, subject=subject,
                      received=received, decided=received, categories=categories,
                      comment="", reason="held for review", from_address=self.from_address,
                      subject_template=self.subject_template, body_template=HOLD_TEMPLATE,
                      in_reply_to=original_message_id(headers), event="held")
