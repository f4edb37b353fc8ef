"""Microsoft cabinet files (.cab; OneNote's .onepkg is one): each file is a child.

Read through libarchive, which decodes the stored, MSZIP and LZX folders Windows writes
(Quantum is rare and refused, so such a cabinet is held as unparseable).
"""

from __future__ import annotations

from collections.abc import Iterator

from filters.extract.libarchive_members import members
from filters.limits import Budget
from filters.types import Defect, Part


def extract(part: Part, budget: Budget) -> Iterator[Part | Defect]:
    """Each file in the cabinet as a content part."""
    yield from members(part, budget, "cab", format_name="cab")
