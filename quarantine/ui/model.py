"""What the officer pages and the JSON API show, computed once for both (blocking calls).

Queue filters parsed from query parameters, counts per status, the oldest pending age,
the tree of parts from the hits' origin paths, a text-only preview of held content, bulk
decisions through the quarantine service, and the Monitor view's report window.
"""

from __future__ import annotations

import email
import email.policy
import re
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from filters.types import SEVERITIES, Hit
from quarantine.excerpt import shown, whole_marking
from quarantine.monitor import monitor_report
from quarantine.service import ConfirmationNeeded, DecisionRefused, QuarantineService
from quarantine.store import STATUSES, ItemQuery, NotFound, QuarantineItem, StoreError

CATEGORIES = ("classification", "draft", "signup", "policy")
SORTS = {
    "-received": "newest first", "received": "oldest first", "-size": "largest first",
    "size": "smallest first", "sender": "sender A-Z", "subject": "subject A-Z",
}
PREVIEW_CHARS = 200_000  # per part: enough to read, bounded for a giant attachment
PREVIEW_PARTS = 200  # a mail with more parts is shown in part; the original has them all
MAX_BULK = 500


@dataclass
class QueueFilters:
    """The queue's filters as the officer typed them, and the store query they make."""

    values: dict[str, str]
    query: ItemQuery
    page: int
    errors: list[str] = field(default_factory=list)


def _day(key: str, value: str, errors: list[str]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.append(f"{key}: expected a date as YYYY-MM-DD, got {value!r}; filter ignored")
        return None


def parse_filters(params: Mapping[str, str], page_size: int) -> QueueFilters:
    """Queue filters from query parameters; bad values are reported and ignored."""
    errors: list[str] = []
    get = {k: str(params.get(k, "")).strip()[:200] for k in
           ("status", "category", "severity", "sender", "since", "until", "q", "sort", "page",
            "kind")}
    status = get["status"] or "pending"
    if status != "all" and status not in STATUSES:
        errors.append(f"status: unknown status {status!r}; showing pending items")
        status = "pending"
    severity = get["severity"] if get["severity"] in SEVERITIES else ""
    if get["severity"] and not severity:
        errors.append(f"severity: expected one of {', '.join(SEVERITIES)}; filter ignored")
    kind = get["kind"] if get["kind"] in ("mail", "upload") else ""
    sort = get["sort"] if get["sort"] in SORTS else "-received"
    since, until = _day("since", get["since"], errors), _day("until", get["until"], errors)
    try:
        page = max(1, min(int(get["page"] or 1), 100_000))
    except ValueError:
        page = 1
    query = ItemQuery(
        status=None if status == "all" else status, kind=kind or None,
        category=get["category"] or None, min_severity=severity or None,
        sender=get["sender"] or None, search=get["q"] or None,
        since=datetime(since.year, since.month, since.day, tzinfo=UTC) if since else None,
        # "until" is the last day shown, so the bound is the start of the next day.
        until=(datetime(until.year, until.month, until.day, tzinfo=UTC) + timedelta(days=1)
               if until else None),
        sort=sort, limit=page_size, offset=(page - 1) * page_size,
    )
    values = {**get, "status": status, "severity": severity, "sort": sort, "kind": kind}
    values.pop("page")
    return QueueFilters(values, query, page, errors)


@dataclass(frozen=True)
class QueueSummary:
    """Counts per status and the age of the oldest pending item."""

    counts: dict[str, int]
    oldest_pending: datetime | None

    def as_dict(self, now: datetime) -> dict[str, object]:
        """The JSON form."""
        age = (now - self.oldest_pending).total_seconds() if self.oldest_pending else None
        return {"counts": self.counts,
                "oldest_pending": self.oldest_pending.isoformat() if self.oldest_pending else None,
                "oldest_pending_age_seconds": age}


def queue_summary(store) -> QueueSummary:
    """How many items are in each status, and when the oldest pending one arrived."""
    counts = {s: store.list(ItemQuery(status=s, limit=0))[1] for s in STATUSES}
    oldest, _ = store.list(ItemQuery(status="pending", sort="received", limit=1))
    return QueueSummary(counts, oldest[0].received if oldest else None)


def highlight(hit: Hit) -> tuple[str, str, str]:
    """The excerpt split into (before, matched, after) by the hit's span, widened to whole
    words so that a marking is never shown cut (``SECRET//NOFORN``, not ``SECRET//N``);
    letters written in invisible tag characters are shown (quarantine.excerpt.shown)."""
    text = hit.excerpt
    if not hit.span:
        return shown(text), "", ""
    start, end = whole_marking(text, *hit.span)
    return shown(text[:start]), shown(text[start:end]), shown(text[end:])


@dataclass
class PartNode:
    """One node of the parts tree: its name, how many hits sit at or below it, children."""

    name: str
    path: str
    hits: int = 0
    children: dict[str, PartNode] = field(default_factory=dict)


# The first segment of an upload's origin path says which piece of the request it was.
_UPLOAD_ROOTS = {"upload:body": "request body", "upload:form": "form fields"}


def part_name(segment: str, *, first: bool, item: QuarantineItem | None = None) -> str:
    """The name a person knows a part by, for one segment of an origin path.

    The first segment of a mail is the spool file the gateway scanned, named by an
    internal queue id (``385045F76440449C.eml``): it is the mail itself. An upload's is
    ``upload:body[:file name]`` or ``upload:form``. Inner segments such as
    ``attachment[2]:annex.pdf`` are shown by their file name.
    """
    if first and item is not None and item.kind == "mail":
        return f"the mail “{item.subject}”" if item.subject else "the mail"
    if first and segment.startswith("upload:"):
        if segment in _UPLOAD_ROOTS:
            return _UPLOAD_ROOTS[segment]
        rest = segment[len("upload:"):]
        if rest.startswith("body:"):  # upload:body:report.docx
            return rest[len("body:"):]
        segment = rest  # form[file]:plan.docx, json[doc.body]
    kind, colon, name = segment.partition(":")
    if colon and name and kind.endswith("]"):
        return name  # attachment[2]:annex.pdf
    return segment


def human_where(where: str, item: QuarantineItem | None = None) -> str:
    """An origin path with each segment by its human name, joined by › (the raw path is
    kept for the tooltip and for search)."""
    segments = [s for s in where.split("/") if s][:64]
    return " › ".join(part_name(s, first=i == 0, item=item) for i, s in enumerate(segments))


def parts_tree(hits: Sequence[Hit], item: QuarantineItem | None = None) -> list[PartNode]:
    """The tree of parts named by the hits' origin paths (``a/b[1]:x.zip/y.docx``), each
    node by its human name (``part_name``) with its raw path kept."""
    roots: dict[str, PartNode] = {}
    for hit in hits:
        level, path = roots, ""
        for depth, segment in enumerate([s for s in hit.where.split("/") if s][:64]):  # depth bound
            path = f"{path}/{segment}" if path else segment
            node = level.setdefault(segment, PartNode(part_name(segment, first=depth == 0,
                                                                item=item), path))
            node.hits += 1
            level = node.children
    return list(roots.values())


def upload_parties(item: QuarantineItem) -> tuple[str, str]:
    """(who uploaded, to which site) as an officer should read them.

    The hold records the proxy user as sender (the client address when the proxy
    identifies users by address) and the destination host as recipient; the page says
    which of the two the sender is, and names the site with its scheme and port from the
    request line (``POST https://files.example.net:8443/upload``).
    """
    user = item.sender or ""
    if not user or user == item.client:
        user = (f"not signed in to the proxy (client {item.client})" if item.client
                else "not signed in to the proxy")
    site = ", ".join(item.recipients)
    _, _, url = item.subject.partition(" ")
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme in ("http", "https") and parts.netloc:
        site = f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"
    return user, site or "(unknown site)"


def delivery_summary(delivery: Mapping[str, object]) -> str:
    """What the outbox did with a released mail or a sender notice, in words.

    A row that was never tried yet says so, rather than "after 0 attempts".
    """
    state, attempts = str(delivery.get("state", "")), int(delivery.get("attempts") or 0)
    tries = "the first attempt" if attempts == 1 else f"{attempts} attempts"
    if state == "done":
        return f"delivered on {tries}" if attempts <= 1 else f"delivered after {tries}"
    if state == "failed":
        return f"gave up after {tries}"
    if attempts == 0:
        return "being handed to the upstream now" if state == "claimed" else \
            "queued for delivery, not tried yet"
    if state == "claimed":
        return f"being delivered (attempt {attempts + 1})"
    when = delivery.get("next_attempt")
    return f"deferred after {tries}" + (f"; next try {when}" if when else "")


@dataclass(frozen=True)
class PreviewPart:
    """One readable piece of held content, as text only."""

    label: str
    text: str
    note: str = ""

    def as_dict(self) -> dict[str, str]:
        """The JSON form."""
        return {"label": self.label, "text": self.text, "note": self.note}


def _clip(text: str) -> tuple[str, str]:
    if len(text) <= PREVIEW_CHARS:
        return text, ""
    return text[:PREVIEW_CHARS], (f"shortened to the first {PREVIEW_CHARS:,} characters; "
                                  "download the original for all of it")


def preview(item: QuarantineItem, content: bytes) -> list[PreviewPart]:
    """The content as text only: a mail's headers and text parts, an upload's decoded bytes.

    Nothing is ever rendered: HTML parts are shown as their source text, other parts are
    named with their type and size. The page shows this escaped under a CSP with no
    script, so even hostile text stays text.
    """
    if item.kind != "mail":
        text, note = _clip(content.decode("utf-8", errors="replace"))
        return [PreviewPart(item.subject or "upload body", text,
                            note or "decoded as UTF-8; bytes that are not are shown as �")]
    message = email.message_from_bytes(content, policy=email.policy.default)
    head = "\n".join(f"{name}: {message.get(name)}" for name in
                     ("From", "To", "Cc", "Date", "Subject", "Message-ID") if message.get(name))
    parts = [PreviewPart("headers", head)]
    for index, part in enumerate(message.walk()):
        if index >= PREVIEW_PARTS:
            parts.append(PreviewPart("…", "", f"only the first {PREVIEW_PARTS} parts are shown"))
            break
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        name = part.get_filename() or ""
        label = f"part {index}: {ctype}" + (f" “{name}”" if name else "")
        if part.get_content_maintype() == "text" and not name:
            try:
                text = part.get_content()
            except (LookupError, ValueError, AssertionError):
                text = (part.get_payload(decode=True) or b"").decode("utf-8", errors="replace")
            text, note = _clip(shown(text))
            if ctype == "text/html":
                note = "HTML source shown as text; nothing is rendered" + (f"; {note}" if note else "")
            parts.append(PreviewPart(label, text, note))
        else:
            size = len(part.get_payload(decode=True) or b"")
            parts.append(PreviewPart(label, "", f"attachment of {size:,} bytes, not shown; its "
                                     "findings are listed with the hits, and the download has it"))
    return parts


@dataclass(frozen=True)
class BulkResult:
    """What one bulk decision did to each item."""

    done: list[str]
    waiting: list[str]  # four-eyes: approved, a second officer must release
    refused: dict[str, str]

    def as_dict(self) -> dict[str, object]:
        """The JSON form."""
        return {"done": self.done, "needs_second_officer": self.waiting, "refused": self.refused}


def bulk_decide(service: QuarantineService, item_ids: Sequence[str], action: str, officer: str,
                comment: str) -> BulkResult:
    """Release or reject each item with one comment; refusals are collected, not raised."""
    if action not in ("release", "reject"):
        raise ValueError(f"bulk action must be release or reject, got {action!r}")
    act = service.release if action == "release" else service.reject
    done, waiting, refused = [], [], {}
    for item_id in list(dict.fromkeys(item_ids))[:MAX_BULK]:
        try:
            outcome = act(item_id, officer, comment)
        except ConfirmationNeeded:
            # The service refuses a classified item unconfirmed; each is confirmed on its
            # own page, which names what leaves.
            refused[item_id] = ("carries a classification marking: release it from its "
                                "own page, where you confirm what leaves")
            continue
        except (DecisionRefused, NotFound) as exc:
            refused[item_id] = str(exc)
            continue
        except StoreError as exc:
            refused[item_id] = f"store error: {exc}"
            continue
        (done if outcome.done else waiting).append(item_id)
    return BulkResult(done, waiting, refused)


MONITOR_WINDOWS = (7, 30, 90)  # days the Monitor view offers; 30 unless asked
MONITOR_RECENT = 50  # monitored items listed on the view (the queue pages through all)


def monitor_window(params: Mapping[str, str]) -> tuple[int, list[str]]:
    """The Monitor view's window in days from ``?days=``; a bad value is reported and the
    default used."""
    raw = str(params.get("days", "")).strip()[:20]
    if not raw:
        return 30, []
    if raw.isdigit() and int(raw) in MONITOR_WINDOWS:
        return int(raw), []
    return 30, [f"days: expected one of {', '.join(map(str, MONITOR_WINDOWS))}, got {raw!r}; "
                "showing the last 30 days"]


def monitor_view(store, days: int, now: datetime) -> dict[str, object]:
    """The monitor report (quarantine.monitor) over the last ``days`` UTC days up to ``now``,
    with the newest monitored items and their marks."""
    today = now.astimezone(UTC).date()
    start = today - timedelta(days=days - 1)
    since = datetime(start.year, start.month, start.day, tzinfo=UTC)
    report = monitor_report(store, since, now=now, recent=MONITOR_RECENT)
    return {**report, "days": days, "since": since.isoformat()}


@dataclass(frozen=True)
class Bar:
    """One day's bar of a server-rendered SVG chart (geometry in the chart's units)."""

    x: float
    y: float
    width: float
    height: float
    day: str
    count: int


def bar_chart(counts: Sequence[int], days: Sequence[str], width: float = 600,
              height: float = 120) -> list[Bar]:
    """Bars for ``counts`` per day, scaled so the largest fills ``height``; a day with
    nothing gets a bar of height 0 (its tooltip still says so)."""
    top = max(counts, default=0) or 1
    step = width / max(len(counts), 1)
    gap = min(2.0, step * 0.2)
    bars = []
    for index, (count, day) in enumerate(zip(counts, days, strict=True)):
        tall = height * count / top
        bars.append(Bar(round(index * step + gap / 2, 2), round(height - tall, 2),
                        round(step - gap, 2), round(tall, 2), day, count))
    return bars


# -- fingerprint hits ----------------------------------------------------------------------

_REJECTED_SOURCE = re.compile(r"\bof (Q-[0-9A-Z]{4}-[0-9A-Z]{4}), rejected (\d{4}-\d\d-\d\d)")


def fingerprint_source(hit: Hit) -> str | None:
    """The rejected item a fingerprint hit names (None for a registered document)."""
    if hit.category != "fingerprint":
        return None
    found = _REJECTED_SOURCE.search(hit.description)
    return found.group(1) if found else None


@dataclass(frozen=True)
class Comparison:
    """A fingerprint hit's passage here and the passages of the source it matches."""

    here: str
    there: list[tuple[str, str]]  # (where in the source, passage)
    note: str = ""


def compare(hit: Hit, source: QuarantineItem, content: bytes) -> Comparison:
    """Find the hit's passage in the source item's text, as the scan reads it.

    The source's passages are shown with their identifiers masked, as every excerpt is
    (the hit's own excerpt already is): this page quotes another item's text, and a card
    or ID number in it must not be spread by the comparison."""
    from filters.engines.personal import mask_identifiers
    from filters.fingerprint_texts import item_text
    from filters.shingles import clean_passage, shared_passages, shingle

    wanted = shingle(hit.excerpt).every
    text = item_text(content, name="mail" if source.kind == "mail" else "upload",
                     declared_type="message/rfc822" if source.kind == "mail" else "")
    there: list[tuple[str, str]] = []
    for origin, part in zip(text.origins, text.texts, strict=True):
        for start, end in shared_passages(part, wanted):
            passage = mask_identifiers(clean_passage(part[start:end], 2000))
            there.append((human_where(origin, source), passage))
    note = "" if there else ("the passage was not found again in the source's text (the "
                             "excerpt here is shortened, or the source's text was changed)")
    return Comparison(hit.excerpt, there, note)
