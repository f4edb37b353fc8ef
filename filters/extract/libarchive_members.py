"""Members of archive formats read through libarchive (cpio, ar, rpm), shared by their modules.

libarchive reads these formats the way the system tools (cpio, ar, rpm2cpio) do. Each
member's data is read in blocks through the Budget, never trusting the sizes in the
headers; a damaged archive stops with what was read so far plus a defect.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

import libarchive
from libarchive.exception import ArchiveError

from filters.errors import LimitReached, UnparseableContent
from filters.extract.zip import member_part
from filters.limits import CHUNK, Budget
from filters.types import Defect, Part


def members(part: Part, budget: Budget, label: str, *, format_name: str,
            filter_name: str = "none") -> Iterator[Part | Defect]:
    """Each regular file of ``part`` read with libarchive's ``format_name`` reader."""
    count = 0
    with part.open() as stream:
        try:
            with libarchive.stream_reader(stream, format_name=format_name,
                                          filter_name=filter_name) as archive:
                for entry in archive:
                    budget.check_time()
                    # ar members carry no file-type bits, so "regular" means not anything else.
                    if (entry.isdir or entry.issym or entry.islnk or entry.isblk or entry.ischr
                            or entry.isfifo or entry.issock):
                        continue
                    path = (entry.pathname or "").lstrip("/") or f"member-{count + 1}"
                    path = posixpath.normpath(path)
                    count += 1
                    origin = part.child_origin(path)
                    try:
                        data, spool = budget.collect(entry.get_blocks(CHUNK), compressed_size=None,
                                                     what=f"{label} member {path}")
                    except LimitReached as exc:
                        if exc.fatal or exc.limit == "part_seconds":
                            raise
                        budget.limits_reached.append(exc.limit)
                        yield Defect(exc.rule, exc.severity, str(exc), where=origin)
                        continue
                    yield member_part(part, budget, path, data, spool)
        except ArchiveError as exc:
            if count == 0:
                raise UnparseableContent(f"{label} archive cannot be read: {exc.msg}") from exc
            yield Defect("extract.unparseable", "high",
                         f"{label} archive is damaged after {count} members; the rest was not "
                         f"inspected: {exc.msg}", where=part.origin)
