"""Tar archives (uncompressed; gzip/bzip2/xz layers are peeled by compressed.py first)."""

from __future__ import annotations

import base64
import tarfile
from collections.abc import Iterator
from typing import BinaryIO

from filters.errors import LimitReached, UnparseableContent
from filters.extract.zip import decode_member_name, member_part
from filters.limits import CHUNK, Budget
from filters.types import Defect, Part

# tarfile reads names as UTF-8 with surrogateescape: undecodable bytes survive as
# lone surrogates and can be recovered to try GBK names from Windows tools.
_ENCODING = "utf-8"


def _member_path(info: tarfile.TarInfo) -> str:
    name = info.name
    try:
        name.encode(_ENCODING)
    except UnicodeEncodeError:
        raw = name.encode(_ENCODING, "surrogateescape")
        name = decode_member_name(raw, raw.decode(_ENCODING, "replace"))
    return name.lstrip("/") or name


def _trailing_data(stream: BinaryIO, offset: int, budget: Budget) -> bool:
    """True when non-zero bytes follow the point where tarfile stopped reading.

    tarfile ends quietly at the first bad header after the first member, while GNU tar
    skips to the next valid header: members hidden behind a broken header would pass
    uninspected. Zero padding after the end-of-archive blocks is normal.
    """
    stream.seek(offset)
    while chunk := stream.read(CHUNK):
        budget.check_time()
        if chunk.strip(b"\0"):
            return True
    return False


def extract(part: Part, budget: Budget) -> Iterator[Part | Defect]:
    """Each regular file in the tar as a content part; links and devices are skipped."""
    with part.open() as stream:
        try:
            archive = tarfile.TarFile(fileobj=stream, mode="r", encoding=_ENCODING,
                                      errors="surrogateescape")
        except tarfile.TarError as exc:
            raise UnparseableContent(f"tar archive is damaged and cannot be read: {exc}") from exc
        with archive:
            yield from _members(part, budget, archive, stream)


MAX_XATTRS = 64  # per member: a header of thousands of attributes must not cost unbounded parts
MAX_XATTR_CHARS = 4096


def _extended_attributes(part: Part, budget: Budget, path: str,
                         info: tarfile.TarInfo) -> Iterator[Part]:
    """A member's extended attributes (GNU tar --xattrs, bsdtar) as property text parts.

    Labelling tools keep a file's classification in an attribute (``user.classification``,
    a SELinux MLS level in ``security.selinux``); tar carries them in PAX records, GNU tar as
    ``SCHILY.xattr.NAME=value``, libarchive as ``LIBARCHIVE.xattr.NAME=base64(value)``.
    """
    count = 0
    for key, value in info.pax_headers.items():
        if key.startswith("SCHILY.xattr."):
            name = key[len("SCHILY.xattr."):]
        elif key.startswith("LIBARCHIVE.xattr."):
            name = key[len("LIBARCHIVE.xattr."):]
            try:
                value = base64.b64decode(value + "=" * (-len(value) % 4), validate=True).decode("utf-8")
            except (ValueError, UnicodeDecodeError):
                continue  # a binary attribute (an ACL, a capability set) holds no label text
        else:
            continue
        count += 1
        if count > MAX_XATTRS:
            return
        text = value.strip("\0").strip()[:MAX_XATTR_CHARS]
        if text:
            yield budget.child(part, f"{path}#xattr:{name}", text=text, role="property", name=name)


def _members(part: Part, budget: Budget, archive: tarfile.TarFile,
             stream: BinaryIO) -> Iterator[Part | Defect]:
    while True:
        budget.check_time()
        try:
            info = archive.next()
        except tarfile.TarError as exc:
            yield Defect("extract.unparseable", "high",
                         f"tar archive is damaged after {archive.offset} bytes; the rest was "
                         f"not inspected: {exc}", where=part.origin)
            return
        if info is None:
            if _trailing_data(stream, archive.offset, budget):
                yield Defect("extract.unparseable", "high",
                             "tar archive has data after a damaged header; the members "
                             "behind it were not inspected", where=part.origin)
            return
        # TarFile keeps every header it has read; a tar of millions of tiny entries
        # would keep them all. Regular files never need the earlier headers.
        archive.members.clear()
        if not info.isreg():
            continue
        path = _member_path(info)
        origin = part.child_origin(path)
        yield from _extended_attributes(part, budget, path, info)
        member = archive.extractfile(info)
        if member is None:  # pragma: no cover - isreg() members always have data
            continue
        try:
            with member:
                data, spool = budget.collect(member, compressed_size=None,
                                             what=f"tar member {path}")
        except LimitReached as exc:
            if exc.fatal or exc.limit == "part_seconds":
                raise
            budget.limits_reached.append(exc.limit)
            yield Defect(exc.rule, exc.severity, str(exc), where=origin)
            continue
        except (tarfile.TarError, OSError, EOFError) as exc:
            yield Defect("extract.unparseable", "high",
                         f"tar member {path} is cut short or damaged and was not inspected: "
                         f"{exc}", where=origin)
            return
        yield member_part(part, budget, path, data, spool)
