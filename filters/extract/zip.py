"""Zip archives: every member becomes a child content part; comments become text parts."""

from __future__ import annotations

import contextlib
import lzma
import mimetypes
import posixpath
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from filters.errors import LimitReached, UnparseableContent
from filters.extract.text import decode_text
from filters.limits import Budget
from filters.types import Defect, Part

_FLAG_ENCRYPTED = 0x1
_FLAG_UTF8 = 0x800
_METHOD_DEFLATE64 = 9
_METHOD_PPMD = 98
_METHOD_AES = 99
# Info-ZIP Unicode Path extra field: a UTF-8 name beside a legacy-encoded one.
_EXTRA_UNICODE_PATH = 0x7075
# Fixed part of a local file header; its name and extra field follow it.
_LOCAL_HEADER_SIZE = 30

# What a damaged member raises while being read: bad CRC and bad headers
# (BadZipFile), broken deflate/lzma data (bzip2 raises OSError), data cut short.
_MEMBER_ERRORS = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError, ValueError)


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x3000 <= code <= 0x303F
            or 0xFF00 <= code <= 0xFFEF or 0x20000 <= code <= 0x2FFFF)


def decode_member_name(raw: bytes, fallback: str) -> str:
    """A member name from its raw bytes when the archive did not say how it is encoded.

    Tools often write UTF-8 without saying so; Windows on Chinese systems writes GBK.
    GB18030 decodes most byte strings, so it is believed only when it yields CJK text.
    """
    if raw.isascii():
        return fallback
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        name = raw.decode("gb18030")
    except UnicodeDecodeError:
        return fallback
    if any(_is_cjk(c) for c in name) and all(c.isprintable() for c in name):
        return name
    return fallback


def _unicode_path_extra(info: zipfile.ZipInfo, raw: bytes) -> str | None:
    """The Info-ZIP Unicode Path (0x7075) name when its CRC matches the stored name."""
    extra = info.extra
    pos = 0
    while pos + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, pos)
        body = extra[pos + 4 : pos + 4 + size]
        pos += 4 + size
        if tag == _EXTRA_UNICODE_PATH and len(body) > 5 and body[0] == 1:
            (crc,) = struct.unpack_from("<I", body, 1)
            if crc == zlib.crc32(raw):
                try:
                    return body[5:].decode("utf-8")
                except UnicodeDecodeError:
                    return None
    return None


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's path as its author saw it (fixing names zipfile read as cp437)."""
    name = info.filename
    if not info.flag_bits & _FLAG_UTF8:
        raw = info.orig_filename.encode("cp437", "replace")
        name = _unicode_path_extra(info, raw) or decode_member_name(raw, info.filename)
    # Windows tools sometimes store backslashes; origin paths use slashes.
    return name.replace("\\", "/")


def member_part(parent: Part, budget: Budget, path: str, data: bytes,
                spool: Path | None) -> Part:
    """The child content part for an archive member at ``path`` (shared by archive formats)."""
    name = posixpath.basename(path.rstrip("/")) or path
    declared = mimetypes.guess_type(name, strict=False)[0] or ""
    return budget.child(parent, path, data=data, path=spool, name=name, declared_type=declared)


def _overlapping(infos: list[zipfile.ZipInfo]) -> set[int]:
    """Indices of entries whose data ranges share bytes with another entry.

    Normal writers lay members one after another; the "better zip bomb" points many
    central-directory entries at one (or nested) local data. The range used is the
    smallest each entry can occupy (header, name and compressed data, no extra
    field), so a normal archive never looks overlapped.
    """
    spans = []
    for index, info in enumerate(infos):
        if info.is_dir() and info.compress_size == 0:
            continue
        raw_name = info.orig_filename.encode(
            "utf-8" if info.flag_bits & _FLAG_UTF8 else "cp437", "replace")
        end = info.header_offset + _LOCAL_HEADER_SIZE + len(raw_name) + info.compress_size
        spans.append((info.header_offset, end, index))
    spans.sort()
    overlapped: set[int] = set()
    reach_end, reach_index = -1, -1
    for start, end, index in spans:
        if start < reach_end:
            overlapped.update((index, reach_index))
        if end > reach_end:
            reach_end, reach_index = end, index
    return overlapped


def _comment_part(parent: Part, budget: Budget, label: str, comment: bytes) -> Part:
    text, encoding, _lossy = decode_text(comment)
    return budget.child(parent, label, text=text, role="comment", charset=encoding)


def extract(part: Part, budget: Budget) -> Iterator[Part | Defect]:
    """Each zip member as a content part, archive and member comments as text parts."""
    with part.open() as stream:
        try:
            archive = zipfile.ZipFile(stream)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
            raise UnparseableContent(f"zip archive is damaged and cannot be opened: {exc}") from exc
        except NotImplementedError as exc:
            # An entry claims a newer zip specification version than zipfile reads.
            raise UnparseableContent(f"zip archive uses an unsupported feature: {exc}") from exc
        with archive:
            yield from _members(part, budget, archive, stream)


def _raw_member(stream: BinaryIO, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The decompressed bytes of a member zipfile has no decoder for (Deflate64, PPMd),
    read from its local header on."""
    stream.seek(info.header_offset)
    header = stream.read(_LOCAL_HEADER_SIZE)
    if len(header) < _LOCAL_HEADER_SIZE or header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile("bad local file header")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    stream.seek(info.header_offset + _LOCAL_HEADER_SIZE + name_length + extra_length)
    if info.compress_type == _METHOD_PPMD:
        from filters.extract import ppmd  # pyppmd: only for a zip holding a PPMd member

        return ppmd.decompress(stream, info.compress_size, info.file_size, info.CRC)
    # inflate64 only for a zip holding a Deflate64 member: its import looks up its own
    # version with importlib.metadata, a fifth of a one-file scan's start-up.
    from filters.extract import deflate64

    return deflate64.inflate(stream, info.compress_size, info.CRC)


def _members(part: Part, budget: Budget, archive: zipfile.ZipFile,
             stream: BinaryIO) -> Iterator[Part | Defect]:
    infos = archive.infolist()
    if archive.comment:
        yield _comment_part(part, budget, "#comment", archive.comment)
    overlapped = _overlapping(infos)
    if overlapped:
        budget.limits_reached.append("max_ratio")
        yield Defect("limit.max_ratio", "high",
                     f"overlapping zip entries: a zip bomb ({len(overlapped)} entries share "
                     "their data; those entries were not extracted)", where=part.origin)
    for index, info in enumerate(infos):
        budget.check_time()
        # A directory entry carrying data is read like a file: a tool may still unpack it.
        if (info.is_dir() and not info.file_size) or index in overlapped:
            continue
        path = member_name(info)
        origin = part.child_origin(path)
        if info.comment:
            yield _comment_part(part, budget, f"{path}#comment", info.comment)
        if info.flag_bits & _FLAG_ENCRYPTED or info.compress_type == _METHOD_AES:
            yield Defect("extract.encrypted", "high",
                         f"zip member {path} is password-protected and cannot be inspected",
                         where=origin)
            continue
        try:
            # zipfile has no Deflate64 or PPMd decoder; the member is read from its raw bytes.
            member = (_raw_member(stream, info) if info.compress_type in (_METHOD_DEFLATE64, _METHOD_PPMD)
                      else archive.open(info))
        except NotImplementedError:
            yield Defect("extract.unparseable", "high",
                         f"zip member {path} uses compression method {info.compress_type}, "
                         "which cannot be decompressed, so it was not inspected", where=origin)
            continue
        except _MEMBER_ERRORS as exc:
            yield Defect("extract.unparseable", "high",
                         f"zip member {path} is damaged and was not inspected: {exc}",
                         where=origin)
            continue
        try:
            with contextlib.closing(member):
                data, spool = budget.collect(
                    member, compressed_size=info.compress_size, what=f"zip member {path}")
        except LimitReached as exc:
            # A bomb in one member must not hide the others; running out of time or of
            # the item's total still ends the part (or the scan).
            if exc.fatal or exc.limit == "part_seconds":
                raise
            budget.limits_reached.append(exc.limit)
            yield Defect(exc.rule, exc.severity, str(exc), where=origin)
            continue
        except _MEMBER_ERRORS as exc:
            yield Defect("extract.unparseable", "high",
                         f"zip member {path} is damaged and was not inspected: {exc}",
                         where=origin)
            continue
        yield member_part(part, budget, path, data, spool)
