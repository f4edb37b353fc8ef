"""The monitor report: per rule and category, how many monitored items and how officers
marked them, so a security officer can tell when a category is ready to enforce."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from quarantine.store import ItemQuery, QuarantineItem

PAGE = 500
MAX_ITEMS = 100_000  # a report reads at most this many items (newest first)


def last_mark(item: QuarantineItem) -> dict[str, str]:
    """Each officer's latest mark on ``item`` (``would-release`` or ``would-reject``)."""
    marks: dict[str, str] = {}
    for decision in item.decisions:
        if decision.action in ("would-release", "would-reject"):
            marks[decision.officer] = decision.action
    return marks


def monitor_report(store, since: datetime | None = None) -> dict[str, object]:
    """Counts of monitored items per rule and per category, with officers' marks and the
    false-positive share (items marked would-release among the marked ones)."""
    rows: dict[str, dict[str, dict[str, int]]] = {
        "rules": defaultdict(lambda: {"items": 0, "marked": 0, "would_release": 0,
                                      "would_reject": 0}),
        "categories": defaultdict(lambda: {"items": 0, "marked": 0, "would_release": 0,
                                           "would_reject": 0}),
    }
    total = offset = 0
    while offset < MAX_ITEMS:
        page, _ = store.list(ItemQuery(status="monitored", since=since, limit=PAGE,
                                       offset=offset))
        if not page:
            break
        offset += len(page)
        for item in page:
            total += 1
            marks = set(last_mark(item).values())
            # An item counts as a false positive when any officer would release it.
            verdict = ("would_release" if "would-release" in marks else
                       "would_reject" if "would-reject" in marks else None)
            for table, keys in (("rules", {h.rule for h in item.hits}),
                                ("categories", set(item.categories))):
                for key in keys:
                    row = rows[table][key]
                    row["items"] += 1
                    if verdict:
                        row["marked"] += 1
                        row[verdict] += 1
    out: dict[str, object] = {"items": total}
    for table, found in rows.items():
        out[table] = {key: {**row, "false_positive_share":
                            round(row["would_release"] / row["marked"], 3) if row["marked"]
                            else None}
                      for key, row in sorted(found.items())}
    return out
