"""Zip archives appended to another file: after a picture, a PDF, a program (self-extracting).

A file is typed by its first bytes, and a zip is found by its last ones (the end of
central directory record): a PNG or JPEG with a zip after its end shows a picture and
unzips as an archive, and a self-extracting archive is a program with a zip after it.
The extractor of the first type never reads the zip, so its members are read here, as
members of the part (``origin/#zip/member``). Only an archive that zipfile opens and
that does not start at the part's first byte counts: a zip read as a zip already, and a
stray ``PK\\x05\\x06`` in picture data, add nothing.
"""

from __future__ import annotations

import dataclasses
import zipfile
from collections.abc import Iterator

from filters.extract import module_for
from filters.extract import zip as zip_extractor
from filters.limits import Budget
from filters.types import Defect, Part

END_RECORD = b"PK\x05\x06"
END_RECORD_SIZE = 22
TAIL_BYTES = END_RECORD_SIZE + 0xFFFF  # the end record, then a comment of at most 64 KiB
LABEL = "#zip"


def _ends_with_end_record(part: Part) -> bool:
    """Whether an end of central directory record is in the last TAIL_BYTES of ``part``."""
    if part.path is None:
        return part.data.find(END_RECORD, max(0, len(part.data) - TAIL_BYTES)) >= 0  # no copy
    with part.open() as stream:
        stream.seek(max(0, part.size - TAIL_BYTES))
        return END_RECORD in stream.read(TAIL_BYTES)


# Parts whose extractor reads one document and stops at its end: a zip after them is
# read here. Containers (mail, TNEF, archives ...) are left alone, as their last member
# may be a zip that their own extractor reads already; so is text, where zip bytes
# after it would be read as garbled text.
HOSTS = {None, "image", "pdf", "postscript"}


def carries_zip(part: Part) -> bool:
    """True when a zip that does not start at byte 0 ends ``part`` (cheap: its tail only)."""
    if part.is_text or part.size < END_RECORD_SIZE or module_for(part.detected_type) not in HOSTS:
        return False
    if part.head(2) == b"PK":
        return False
    if not _ends_with_end_record(part):
        return False
    try:
        with part.open() as stream, zipfile.ZipFile(stream) as archive:
            return bool(archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return False


def extract(part: Part, budget: Budget) -> Iterator[Part | Defect]:
    """The members of the zip appended to ``part``, if one is (see ``carries_zip``)."""
    if not carries_zip(part):
        return
    yield from zip_extractor.extract(dataclasses.replace(part, origin=part.child_origin(LABEL)), budget)
