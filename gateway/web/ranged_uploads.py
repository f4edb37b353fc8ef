"""Uploads sent in pieces (Content-Range, tus): pieces assembled on disk so the file is scanned whole.

Cloud services take a big file in pieces on one session URL: Google Drive resumable
uploads and OneDrive/SharePoint upload sessions send ``PUT`` with ``Content-Range: bytes
A-B/TOTAL`` (``/*`` until the last piece), tus sends ``PATCH`` with ``Upload-Offset`` (the
total in ``Upload-Length``). No piece holds the whole document: a docx in three pieces is
three unreadable fragments, and a marking split across two pieces is in neither. Every
piece is written at its offset into one spool file per upload under the data dir, shared
by the worker processes of the node through a file lock, with the byte ranges seen
recorded. The piece that completes the file is decided on the assembled file.

Where Redline can speak the service's protocol (``session_protocol``: tus, Google
resumable sessions, Microsoft Graph upload sessions), a piece before the last never leaves:
Redline keeps it and answers the client as the service answers an accepted piece
(``kept_answer``). The piece that completes the file, once the whole file is judged clean,
goes to the origin as one piece holding the whole file (``whole_file_headers``): a held
file reaches the origin in no part, and an upload finished elsewhere finds nothing there.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import hashlib
import json
import logging
import os
import re
import shutil
import time
import urllib.parse
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from filters.errors import RedlineError
from gateway.web.config import host_matches

log = logging.getLogger("redline.uploads")

COPY_BLOCK = 1 << 20
MiB = 1 << 20
# Microsoft Graph takes one PUT to an upload session only under 60 MiB ("each byte range
# must be less than 60 MiB", driveItem: createUploadSession): a larger file cannot be
# sent on whole, so Redline cannot answer for its pieces.
GRAPH_MAX_REQUEST = 60 * MiB
# Hosts of Microsoft upload sessions (OneDrive personal ones live on *.up.1drv.com).
MICROSOFT_HOSTS = ["graph.microsoft.com", "sharepoint.com", "onedrive.com", "1drv.com"]
SESSION_PROTOCOLS = ("google", "graph")  # what a piece_services entry may name after "="
# Checksums of the last piece alone: wrong for the whole file sent on in its place.
_PIECE_CHECKSUMS = frozenset({"content-md5", "digest", "repr-digest", "content-digest",
                              "upload-checksum", "x-goog-hash"})
_CONTENT_RANGE = re.compile(r"^bytes[ \t]+(\d{1,19})-(\d{1,19})/(\d{1,19}|\*)$", re.ASCII)
_FILENAME = re.compile(r"""filename\*?=(?:UTF-8'[^']*')?"?([^";]+)"?""", re.IGNORECASE)


class BadPiece(RedlineError):
    """A piece's range headers contradict each other, its body or the size limit: refused."""


class PiecesFull(RedlineError):
    """The node holds its maximum of open uploads in pieces: try again later."""


@dataclass(frozen=True, slots=True)
class Piece:
    """Where one piece sits in its upload: bytes ``start`` to ``end`` (exclusive)."""

    start: int
    end: int
    total: int | None  # None while the client does not know it yet (``bytes A-B/*``)
    protocol: str  # "content-range" or "tus"


def _header(headers: Sequence[tuple[str, str]], name: str) -> str | None:
    name = name.lower()
    return next((v.strip() for k, v in headers if k.lower() == name), None)


def may_carry_piece(headers: Sequence[tuple[str, str]]) -> bool:
    """False when ``piece_of`` is None whatever the body's size (no range header at all)."""
    return any(k.lower() in ("content-range", "upload-offset") for k, _ in headers)


def piece_of(method: str, headers: Sequence[tuple[str, str]], size: int) -> Piece | None:
    """The piece a request carries (None when it is not one); raises BadPiece on nonsense.

    ``size`` is the body's length as received. ``bytes */TOTAL`` (a status query with no
    body) is not a piece.
    """
    method = method.upper()
    content_range = _header(headers, "content-range")
    if content_range is not None and method in ("PUT", "POST", "PATCH"):
        if content_range.startswith("bytes */") or content_range.startswith("bytes  */"):
            return None
        found = _CONTENT_RANGE.match(content_range)
        if not found:
            raise BadPiece(f"Content-Range {content_range[:60]!r} is not 'bytes FIRST-LAST/TOTAL' "
                           "or 'bytes FIRST-LAST/*'")
        first, last = int(found.group(1)), int(found.group(2))
        total = None if found.group(3) == "*" else int(found.group(3))
        if last < first or (total is not None and last >= total):
            raise BadPiece(f"Content-Range {content_range!r} is not a range inside the file")
        if last - first + 1 != size:
            raise BadPiece(f"Content-Range {content_range!r} names {last - first + 1} bytes, "
                           f"the body has {size}")
        return Piece(first, last + 1, total, "content-range")
    offset = _header(headers, "upload-offset")
    if offset is not None and method == "PATCH":
        length = _header(headers, "upload-length")
        if not offset.isdigit() or (length is not None and not length.isdigit()):
            raise BadPiece("Upload-Offset and Upload-Length must be byte counts (tus 1.0)")
        total = int(length) if length is not None else None
        if total is not None and int(offset) + size > total:
            raise BadPiece(f"a piece at {offset} of {size} bytes passes Upload-Length {total}")
        return Piece(int(offset), int(offset) + size, total, "tus")
    return None


_STATUS_QUERY = re.compile(r"^bytes[ \t]+\*/(\d{1,19})$", re.ASCII)


def status_query_total(method: str, headers: Sequence[tuple[str, str]]) -> int | None:
    """The total of a bodiless ``PUT`` with ``Content-Range: bytes */TOTAL`` (else None).

    Google's resumable protocol uses it to ask how much arrived, and to finish an upload
    whose length was unknown until its pieces were sent (``bytes A-B/*``).
    """
    if method.upper() not in ("PUT", "POST"):
        return None
    found = _STATUS_QUERY.match(_header(headers, "content-range") or "")
    return int(found.group(1)) if found else None


# -- range bookkeeping (pure) ---------------------------------------------------------------


def add_range(ranges: Sequence[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """``ranges`` (sorted, disjoint, half-open) with [start, end) merged in."""
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted([*ranges, (start, end)]):
        if hi <= lo:
            continue
        if merged and lo <= merged[-1][1]:  # overlapping or touching
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def missing(ranges: Sequence[tuple[int, int]], total: int) -> list[tuple[int, int]]:
    """The gaps in [0, total) that ``ranges`` do not cover."""
    gaps: list[tuple[int, int]] = []
    at = 0
    for lo, hi in ranges:
        if lo > at:
            gaps.append((at, min(lo, total)))
        at = max(at, hi)
        if at >= total:
            break
    if at < total:
        gaps.append((at, total))
    return [(lo, hi) for lo, hi in gaps if lo < hi]


def describe_gaps(gaps: Sequence[tuple[int, int]]) -> str:
    """Gaps as 'bytes 0-99, 200-299' (inclusive, as Content-Range writes them; at most 5)."""
    text = ", ".join(f"{lo}-{hi - 1}" for lo, hi in gaps[:5])
    return f"bytes {text}" + (f" and {len(gaps) - 5} more" if len(gaps) > 5 else "")


def filename_of(headers: Sequence[tuple[str, str]], url_path: str) -> str:
    """The file's name: Content-Disposition's, tus metadata's, else the URL's last step."""
    disposition = _header(headers, "content-disposition") or ""
    found = _FILENAME.search(disposition)
    if found:
        return urllib.parse.unquote(found.group(1)).replace("\\", "/").rsplit("/", 1)[-1]
    for item in (_header(headers, "upload-metadata") or "").split(","):
        key, _, value = item.strip().partition(" ")
        if key in ("filename", "name") and value:
            with contextlib.suppress(ValueError):
                return base64.b64decode(value, validate=True).decode("utf-8", "replace")
    last = urllib.parse.unquote(url_path.rsplit("/", 1)[-1])
    return last if "." in last else ""


@dataclass(frozen=True, slots=True)
class Announcement:
    """What a request opening an upload session says of the file to come."""

    total: int | None
    name: str
    content_type: str


def announcement_of(method: str, headers: Sequence[tuple[str, str]],
                    body: bytes | None) -> Announcement | None:
    """The file a session-opening request announces (tus creation, Google Drive resumable).

    None for any other request. The session URL comes back in the answer's Location.
    """
    if method.upper() != "POST":
        return None
    tus_length = _header(headers, "upload-length")
    google_length = _header(headers, "x-upload-content-length")
    if tus_length is None and google_length is None and \
            _header(headers, "upload-defer-length") is None and \
            _header(headers, "x-upload-content-type") is None:
        return None
    length = tus_length if tus_length is not None else google_length
    total = int(length) if length is not None and length.isdigit() else None
    name = filename_of(headers, "")
    content_type = _header(headers, "x-upload-content-type") or ""
    if not name and body and body.lstrip()[:1] == b"{":
        with contextlib.suppress(ValueError, RecursionError):
            document = json.loads(body)
            if isinstance(document, dict):  # Drive v3 names it "name", v2 "title"
                name = str(document.get("name") or document.get("title") or "")
                content_type = content_type or str(document.get("mimeType") or "")
    return Announcement(total, name.replace("\\", "/").rsplit("/", 1)[-1][:200],
                        content_type[:200])


# -- the spool shared by the node's workers --------------------------------------------------


@dataclass
class PieceRecord:
    """What the node knows of one upload in pieces (its state file)."""

    total: int | None = None
    ranges: list[tuple[int, int]] = field(default_factory=list)
    name: str = ""
    content_type: str = ""
    url: str = ""
    user: str = ""
    forwarded: int = 0  # bytes of pieces passed on before the file was complete

    def to_json(self) -> str:
        return json.dumps({"total": self.total, "ranges": self.ranges, "name": self.name,
                           "content_type": self.content_type, "url": self.url,
                           "user": self.user, "forwarded": self.forwarded})

    @classmethod
    def from_json(cls, text: str) -> PieceRecord:
        data = json.loads(text)
        return cls(total=data["total"], ranges=[tuple(r) for r in data["ranges"]],
                   name=data["name"], content_type=data["content_type"], url=data["url"],
                   user=data["user"], forwarded=data.get("forwarded", 0))


@dataclass(frozen=True, slots=True)
class PieceOutcome:
    """A piece written into its upload: whether it completes it, and what is missing."""

    key: str
    record: PieceRecord
    complete: bool  # every byte 0..total-1 seen (this piece included)
    reaches_end: bool  # the piece ends at the total, complete or not
    gaps: tuple[tuple[int, int], ...] = ()
    conflict: bool = False  # the piece rewrote bytes already seen with different ones


def upload_key(user: str, url: str) -> str:
    """The spool name of one upload: who sends it and the session URL (scheme, host, path, query)."""
    parts = urllib.parse.urlsplit(url)
    identity = "\0".join([user, parts.scheme.lower(), (parts.netloc or "").lower(),
                          parts.path, parts.query])
    return hashlib.sha256(identity.encode("utf-8", "surrogatepass")).hexdigest()[:40]


class PieceStore:
    """Uploads in pieces under ``root``: one directory each with ``data`` and ``state.json``.

    Every worker process of a node opens the same root; ``flock`` on the upload's lock file
    orders its pieces, and on ``root/.lock`` the creation, counting and expiry of uploads.
    All methods block (run them off the event loop).
    """

    def __init__(self, root: Path, *, max_bytes: int, max_uploads: int,
                 idle_seconds: float, max_total_bytes: int | None = None) -> None:
        self.root = Path(root)
        self.max_bytes = max_bytes
        # Bytes all open uploads of the node may hold on disk together (None: unbounded).
        self.max_total_bytes = max_total_bytes
        self.max_uploads = max_uploads
        self.idle_seconds = idle_seconds
        self.root.mkdir(parents=True, exist_ok=True)

    @contextlib.contextmanager
    def _locked(self, path: Path) -> Iterator[None]:
        with path.open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _open_upload(self, key: str, now: float) -> Path:
        """The upload's directory, made (within the bounds, after expiry) when new."""
        directory = self.root / key
        if directory.is_dir():
            return directory
        with self._locked(self.root / ".lock"):
            if directory.is_dir():
                return directory
            uploads = self.expire(now)
            if uploads >= self.max_uploads:
                raise PiecesFull(f"{uploads} uploads in pieces are open on this node "
                                 f"(http.piece_max_uploads); try again later")
            directory.mkdir()
            (directory / "data").touch()
        return directory

    def expire(self, now: float | None = None) -> int:
        """Remove uploads idle for longer than ``idle_seconds``; the count left open."""
        now = time.time() if now is None else now
        left = 0
        for directory in self.root.iterdir():
            if not directory.is_dir():
                # A lock file whose upload is gone and that nobody touched for long.
                with contextlib.suppress(FileNotFoundError):
                    if directory.suffix == ".lock" and directory.name != ".lock" and \
                            not (self.root / directory.stem).exists() and \
                            now - directory.stat().st_mtime > self.idle_seconds:
                        directory.unlink()
                continue
            state = directory / "state.json"
            try:
                touched = (state if state.exists() else directory).stat().st_mtime
            except FileNotFoundError:
                continue
            if now - touched > self.idle_seconds:
                self._log_unfinished(directory)
                shutil.rmtree(directory, ignore_errors=True)
                with contextlib.suppress(FileNotFoundError):
                    (self.root / f"{directory.name}.lock").unlink()
            else:
                left += 1
        return left

    def _log_unfinished(self, directory: Path) -> None:
        with contextlib.suppress(OSError, ValueError, KeyError):
            record = PieceRecord.from_json((directory / "state.json").read_text())
            if record.forwarded:
                # Pieces went on that were never scanned as one file: worth a trace.
                log.warning("upload in pieces expired unfinished id=%s user=%s: %d bytes "
                            "forwarded piece by piece, never seen whole", directory.name,
                            record.user, record.forwarded)

    def announce(self, user: str, url: str, announcement: Announcement,
                 now: float | None = None) -> None:
        """Remember what the request that opened session ``url`` said of the file (blocking)."""
        now = time.time() if now is None else now
        if announcement.total is not None and announcement.total > self.max_bytes:
            return  # its first piece is refused with the reason
        key = upload_key(user, url)
        directory = self._open_upload(key, now)
        with self._locked(self.root / f"{key}.lock"):
            state = directory / "state.json"
            record = (PieceRecord.from_json(state.read_text()) if state.exists()
                      else PieceRecord(url=url, user=user))
            record.total = record.total if record.total is not None else announcement.total
            record.name = record.name or announcement.name
            record.content_type = record.content_type or announcement.content_type
            tmp = directory / "state.json.tmp"
            tmp.write_text(record.to_json())
            os.replace(tmp, state)

    def add(self, user: str, url: str, piece: Piece, body: Path | bytes, *, name: str,
            content_type: str, now: float | None = None) -> PieceOutcome:
        """Write ``body`` at the piece's offset and record its range (blocking)."""
        now = time.time() if now is None else now
        declared = piece.total if piece.total is not None else piece.end
        if declared > self.max_bytes:
            raise BadPiece(f"an upload of {declared} bytes in pieces is larger than "
                             f"http.max_body_bytes ({self.max_bytes})")
        key = upload_key(user, url)
        directory = self._open_upload(key, now)
        with self._locked(self.root / f"{key}.lock"):
            if not directory.is_dir():  # expired between the two locks
                directory = self._open_upload(key, now)
            state = directory / "state.json"
            record = (PieceRecord.from_json(state.read_text()) if state.exists()
                      else PieceRecord(url=url, user=user))
            if piece.total is not None:
                if record.total is not None and record.total != piece.total:
                    raise BadPiece(f"this piece says the file has {piece.total} bytes, an "
                                   f"earlier one said {record.total}")
                record.total = piece.total
            if record.total is not None and piece.end > record.total:
                raise BadPiece(f"a piece ending at byte {piece.end} passes the file's "
                               f"{record.total} bytes")
            record.name = record.name or name
            record.content_type = record.content_type or content_type
            self._check_room(directory / "data", piece)
            conflict = self._write(directory / "data", piece.start, body, record.ranges)
            record.ranges = add_range(record.ranges, piece.start, piece.end)
            gaps = missing(record.ranges, record.total) if record.total is not None else []
            tmp = directory / "state.json.tmp"
            tmp.write_text(record.to_json())
            os.replace(tmp, state)
        complete = record.total is not None and not gaps
        return PieceOutcome(key, record, complete,
                            reaches_end=record.total is not None and piece.end == record.total,
                            gaps=tuple(gaps), conflict=conflict)

    def used_bytes(self) -> int:
        """Bytes the open uploads' spool files take (their lengths; blocking)."""
        used = 0
        for directory in self.root.iterdir():
            with contextlib.suppress(FileNotFoundError, NotADirectoryError):
                used += (directory / "data").stat().st_size
        return used

    def _check_room(self, data: Path, piece: Piece) -> None:
        """Refuse a piece that would take the node's spool past ``max_total_bytes``."""
        if self.max_total_bytes is None:
            return
        grows = max(0, piece.end - data.stat().st_size)
        if grows and self.used_bytes() + grows > self.max_total_bytes:
            raise PiecesFull(f"uploads in pieces on this node hold {self.max_total_bytes} "
                             "bytes (http.piece_max_spool_bytes); try again later")

    @staticmethod
    def _write(path: Path, offset: int, body: Path | bytes,
               seen: Sequence[tuple[int, int]]) -> bool:
        """Write ``body`` at ``offset`` in blocks; True when it changed bytes already seen."""
        conflict = False
        fd = os.open(path, os.O_RDWR)
        try:
            with contextlib.ExitStack() as stack:
                if isinstance(body, bytes):
                    blocks: Iterator[bytes] = iter([body[i:i + COPY_BLOCK]
                                                    for i in range(0, len(body), COPY_BLOCK)])
                else:
                    source = stack.enter_context(body.open("rb"))
                    blocks = iter(lambda: source.read(COPY_BLOCK), b"")
                at = offset
                for block in blocks:
                    end = at + len(block)
                    for lo, hi in seen:  # an overlap with bytes seen before must agree
                        lo, hi = max(lo, at), min(hi, end)
                        if lo < hi and os.pread(fd, hi - lo, lo) != block[lo - at:hi - at]:
                            conflict = True
                    os.pwrite(fd, block, at)
                    at = end
        finally:
            os.close(fd)
        return conflict

    def learn_total(self, user: str, url: str, total: int) -> PieceOutcome | None:
        """The upload at ``url`` told its total by a status query (blocking).

        None when the node holds nothing of it. Raises BadPiece when the total contradicts
        what the pieces said.
        """
        key = upload_key(user, url)
        directory = self.root / key
        if not (directory / "state.json").exists():
            return None
        with self._locked(self.root / f"{key}.lock"):
            state = directory / "state.json"
            if not state.exists():
                return None
            record = PieceRecord.from_json(state.read_text())
            if record.total is not None and record.total != total:
                raise BadPiece(f"the status query says the file has {total} bytes, a piece "
                               f"said {record.total}")
            if total > self.max_bytes or (record.ranges and record.ranges[-1][1] > total):
                raise BadPiece(f"a total of {total} bytes does not fit the pieces sent or "
                               f"http.max_body_bytes ({self.max_bytes})")
            record.total = total
            tmp = directory / "state.json.tmp"
            tmp.write_text(record.to_json())
            os.replace(tmp, state)
        gaps = missing(record.ranges, total)
        return PieceOutcome(key, record, complete=not gaps, reaches_end=True, gaps=tuple(gaps))

    def copy_assembled(self, key: str, target: Path) -> Path:
        """Copy the assembled file of upload ``key`` to ``target`` (blocking)."""
        with self._locked(self.root / f"{key}.lock"):
            state = PieceRecord.from_json((self.root / key / "state.json").read_text())
            with (self.root / key / "data").open("rb") as source, target.open("wb") as out:
                remaining = state.total or 0
                while remaining > 0:
                    block = source.read(min(COPY_BLOCK, remaining))
                    if not block:
                        break
                    out.write(block)
                    remaining -= len(block)
        return target

    def note_forwarded(self, key: str, size: int) -> None:
        """Count ``size`` more bytes passed on before the file was whole (blocking)."""
        with self._locked(self.root / f"{key}.lock"):
            state = self.root / key / "state.json"
            if state.exists():
                record = PieceRecord.from_json(state.read_text())
                record.forwarded += size
                tmp = state.with_name("state.json.tmp")
                tmp.write_text(record.to_json())
                os.replace(tmp, state)

    def remove(self, key: str) -> None:
        """Forget upload ``key`` (its file went on whole after a pass).

        The lock file stays (another worker may be waiting on it); expiry removes it.
        """
        with self._locked(self.root / f"{key}.lock"):
            shutil.rmtree(self.root / key, ignore_errors=True)


# -- answering for the service ---------------------------------------------------------------


def session_protocol(piece: Piece, headers: Sequence[tuple[str, str]], url: str,
                     services: Sequence[str]) -> str | None:
    """The protocol Redline answers this piece's upload in ("tus", "google", "graph").

    None when it cannot answer for it: the piece is then judged alone (fail closed). tus
    names itself (``Tus-Resumable``) on any host. A ``Content-Range`` piece is answered
    only for a host in ``services`` (``http.piece_services``): as the entry names it
    (``host=google``), else as a Google resumable session when the URL carries
    ``upload_id``, else as a Microsoft Graph upload session on Microsoft's hosts.
    """
    if piece.protocol == "tus":
        return "tus" if _header(headers, "tus-resumable") else None
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    for entry in services:
        name, _, named = entry.partition("=")
        if not host_matches(host, [name]):
            continue
        if named.strip():
            return named.strip().lower()
        if "upload_id" in urllib.parse.parse_qs(parts.query):
            return "google"
        if host_matches(host, MICROSOFT_HOSTS):
            return "graph"
    return None


def can_send_whole(protocol: str, total: int | None) -> bool:
    """Whether the service takes a file of ``total`` bytes in one piece."""
    return protocol != "graph" or (total is not None and total < GRAPH_MAX_REQUEST)


def received_prefix(ranges: Sequence[tuple[int, int]]) -> int:
    """How many bytes from the start the node holds without a gap."""
    return ranges[0][1] if ranges and ranges[0][0] == 0 else 0


@dataclass(frozen=True, slots=True)
class LocalAnswer:
    """A response Redline gives the client itself, in the service's protocol."""

    status: int
    reason: str
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""

    def encode(self, *, keep_alive: bool) -> bytes:
        """The whole HTTP/1.1 response, head and body."""
        lines = [f"HTTP/1.1 {self.status} {self.reason}", *(f"{k}: {v}" for k, v in self.headers),
                 f"Content-Length: {len(self.body)}", "Cache-Control: no-store",
                 f"Connection: {'keep-alive' if keep_alive else 'close'}", "Via: 1.1 redline"]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + self.body


def kept_answer(protocol: str, record: PieceRecord, *, expires: float) -> LocalAnswer:
    """What the service answers a piece it accepted before the last, for ``record`` so far.

    Google resumable: ``308 Resume Incomplete`` with ``Range: bytes=0-N`` (none before the
    first byte). Microsoft Graph: ``202 Accepted`` with the session's
    ``expirationDateTime`` (``expires``, epoch seconds: when the node forgets the upload)
    and ``nextExpectedRanges``. tus: ``204 No Content`` with ``Upload-Offset``.
    """
    done = received_prefix(record.ranges)
    if protocol == "google":
        return LocalAnswer(308, "Resume Incomplete",
                           (("Range", f"bytes=0-{done - 1}"),) if done else ())
    if protocol == "graph":
        gaps = missing(record.ranges, record.total) if record.total is not None else \
            [(received_prefix(record.ranges), None)]
        expected = [f"{lo}-" if hi is None or hi == record.total else f"{lo}-{hi - 1}"
                    for lo, hi in gaps]
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(expires))
        body = json.dumps({"expirationDateTime": stamp,
                           "nextExpectedRanges": expected}).encode()
        return LocalAnswer(202, "Accepted", (("Content-Type", "application/json"),), body)
    if protocol == "tus":
        return LocalAnswer(204, "No Content", (("Tus-Resumable", "1.0.0"),
                                               ("Upload-Offset", str(done))))
    raise ValueError(f"no answer known for upload protocol {protocol!r}")


def whole_file_headers(protocol: str, headers: Sequence[tuple[str, str]],
                       total: int) -> list[tuple[str, str]]:
    """The last piece's headers rewritten to carry the whole file of ``total`` bytes.

    Each protocol takes the rest of a file in one request: Google and Graph as
    ``Content-Range: bytes 0-(TOTAL-1)/TOTAL``, tus as a ``PATCH`` at ``Upload-Offset: 0``.
    The last piece's checksums are dropped (they describe the piece, not the file).
    """
    dropped = {"content-range", "content-length", "upload-offset", *_PIECE_CHECKSUMS}
    out = [(k, v) for k, v in headers if k.lower() not in dropped]
    if protocol == "tus":
        out.append(("Upload-Offset", "0"))
    else:
        out.append(("Content-Range", f"bytes 0-{total - 1}/{total}"))
    out.append(("Content-Length", str(total)))
    return out


@dataclass(frozen=True, slots=True)
class WholeFile:
    """The assembled file to send in place of the last piece: its headers and its spool path."""

    headers: tuple[tuple[str, str], ...]
    path: Path
    # A spool directory made for it (the piece came in memory): the sender removes it.
    workdir: Path | None = None
