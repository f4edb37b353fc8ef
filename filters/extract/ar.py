"""Unix ar archives (static libraries, Debian .deb packages): each member is a child.

A .deb is an ar archive of control.tar.* and data.tar.*; those members are compressed
tar archives that the pipeline opens in turn.
"""

from __future__ import annotations

from collections.abc import Iterator

from filters.extract.libarchive_members import members
from filters.limits import Budget
from filters.types import Defect, Part


def extract(part: Part, budget: Budget) -> Iterator[Part | Defect]:
    """Each member of the ar archive as a content part."""
    yield from members(part, budget, "ar", format_name="ar")
