"""The monitor report: per rule and category, how many monitored items, per day and in all,
and how officers marked them, so a security officer can tell when a category is ready to
enforce. ``redline quarantine monitor-report``, the API's ``/api/v1/monitor`` and the
officer UI's Monitor view all read it from here."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

from quarantine.store import ItemQuery, QuarantineItem

PAGE = 500
MAX_ITEMS = 100_000  # a report reads at most this many items (newest first)
MAX_DAYS = 366  # the per-day series covers at most this many days (the newest)
MARKS = ("would-release", "would-reject")


def last_mark(item: QuarantineItem) -> dict[str, str]:
    """Each officer's latest mark on ``item`` (``would-release`` or ``would-reject``)."""
    marks: dict[str, str] = {}
    for decision in item.decisions:
        if decision.action in MARKS:
            marks[decision.officer] = decision.action
    return marks


def _counts() -> dict[str, int]:
    return {"items": 0, "marked": 0, "would_release": 0, "would_reject": 0}


def _day_range(first: date, last: date) -> list[date]:
    first = max(first, last - timedelta(days=MAX_DAYS - 1))
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def monitor_report(store, since: datetime | None = None, *, now: datetime | None = None,
                   recent: int = 0) -> dict[str, object]:
    """Monitored items received since ``since`` (all when None): counts per rule and per
    category with officers' marks and the false-positive share (items some officer would
    release, among the marked ones), the same counts per UTC day up to ``now`` (``daily``),
    and the ``recent`` newest items with each officer's mark (``recent_items``)."""
    now = now or datetime.now(UTC)
    rows: dict[str, dict[str, dict[str, int]]] = {"rules": defaultdict(_counts),
                                                  "categories": defaultdict(_counts)}
    per_day: dict[str, dict[str, dict[date, int]]] = {
        "rules": defaultdict(lambda: defaultdict(int)),
        "categories": defaultdict(lambda: defaultdict(int))}
    day_totals: dict[date, int] = defaultdict(int)
    newest: list[dict[str, object]] = []
    total = offset = 0
    while offset < MAX_ITEMS:
        page, _ = store.list(ItemQuery(status="monitored", since=since, limit=PAGE,
                                       offset=offset, sort="-received"))
        if not page:
            break
        offset += len(page)
        for item in page:
            total += 1
            marks = last_mark(item)
            if len(newest) < recent:
                newest.append(_recent(item, marks))
            found = set(marks.values())
            # An item counts as a false positive when any officer would release it.
            verdict = ("would_release" if "would-release" in found else
                       "would_reject" if "would-reject" in found else None)
            day = item.received.astimezone(UTC).date()
            day_totals[day] += 1
            for table, keys in (("rules", {h.rule for h in item.hits}),
                                ("categories", set(item.categories))):
                for key in keys:
                    per_day[table][key][day] += 1
                    row = rows[table][key]
                    row["items"] += 1
                    if verdict:
                        row["marked"] += 1
                        row[verdict] += 1
    last = max([now.astimezone(UTC).date(), *day_totals])
    first = since.astimezone(UTC).date() if since else min(day_totals, default=last)
    days = _day_range(first, last)
    out: dict[str, object] = {"items": total}
    for table, found_rows in rows.items():
        out[table] = {key: {**row, "false_positive_share":
                            round(row["would_release"] / row["marked"], 3) if row["marked"]
                            else None}
                      for key, row in sorted(found_rows.items())}
    out["daily"] = {
        "days": [d.isoformat() for d in days],
        "items": [day_totals.get(d, 0) for d in days],
        **{table: {key: [series.get(d, 0) for d in days]
                   for key, series in sorted(per_day[table].items())}
           for table in ("rules", "categories")},
    }
    if recent:
        out["recent_items"] = newest
    return out


def _recent(item: QuarantineItem, marks: dict[str, str]) -> dict[str, object]:
    return {"id": item.id, "kind": item.kind, "received": item.received.isoformat(),
            "sender": item.sender, "recipients": list(item.recipients),
            "subject": item.subject, "categories": list(item.categories),
            "rules": sorted({h.rule for h in item.hits}),
            "enforced": item.meta.get("enforced", ""), "marks": marks}
