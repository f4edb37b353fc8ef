"""RPM packages: the files of the (compressed) cpio payload, each as a child part."""

from __future__ import annotations

from collections.abc import Iterator

from filters.extract.libarchive_members import members
from filters.limits import Budget
from filters.types import Defect, Part


def extract(part: Part, budget: Budget) -> Iterator[Part | Defect]:
    """Each regular file in the RPM's payload as a content part."""
    # libarchive's rpm filter strips the lead and headers; the payload's compression
    # (gzip, xz, zstd) is another filter, so every filter is enabled.
    yield from members(part, budget, "rpm", format_name="cpio", filter_name="all")
