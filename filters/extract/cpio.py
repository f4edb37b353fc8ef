"""cpio archives (newc, odc, binary; initramfs images, rpm payloads): each file is a child."""

from __future__ import annotations

from collections.abc import Iterator

from filters.extract.libarchive_members import members
from filters.limits import Budget
from filters.types import Defect, Part


def extract(part: Part, budget: Budget) -> Iterator[Part | Defect]:
    """Each regular file in the cpio archive as a content part."""
    yield from members(part, budget, "cpio", format_name="cpio")
