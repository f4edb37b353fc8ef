"""Document state shared by the office extractors: tracked changes and comments as properties.

A document that still carries revisions or reviewer comments is not final; the
extractors report that as ``redline:tracked_changes`` / ``redline:comments`` property
parts, which the draft rules read.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from filters.limits import Budget
from filters.types import Part

# A spreadsheet's cell note (Excel's legacy notes, and .xls and Calc's only kind) is a
# lasting annotation ("unit: kEUR"), not a review, unless Excel wrote it as the stand-in
# for a threaded comment: older readers see that text, which opens with THREADED_STANDIN.
THREADED_STANDIN = "[Threaded comment]"

# "changes": a change that is neither only an insertion nor a deletion (a spreadsheet's
# cell change, row insertion, move or sheet rename).
_CHANGES = (("insertions", "insertion"), ("deletions", "deletion"),
            ("formatting", "formatting change"), ("changes", "change"))


def plural(count: int, word: str) -> str:
    """'1 insertion', '3 insertions'."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def state_parts(part: Part, budget: Budget, counts: Mapping[str, int]) -> Iterator[Part]:
    """The state property parts for ``counts`` of insertions, deletions, formatting, comments."""
    changes = [plural(counts[key], word) for key, word in _CHANGES if counts.get(key)]
    if changes:
        yield budget.child(part, "#state", text=", ".join(changes), role="property",
                           name="redline:tracked_changes")
    if counts.get("comments"):
        yield budget.child(part, "#state", text=plural(counts["comments"], "comment"),
                           role="property", name="redline:comments")
