"""Upload inspection shared by the forward proxy and the ICAP service: request → Parts → decision.

A request body arrives spooled to disk (``gateway.web.request_bodies``) or, for a small
form or JSON document, in memory; ``gateway.web.upload_decoding`` turns it into Parts
and fields. ``UploadInspector`` then checks the quarantine's upload allowances, runs the
sign-up detector and the pipeline off the event loop, and holds what the policy says to
hold. The query string, path, headers and cookies are inspected with the body.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import hashlib
import logging
import os
import shutil
import sqlite3
import time
import urllib.parse
import uuid
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from filters.engines.signup import Field, SignupDetector, SignupRequest
from filters.pipeline import Pipeline, policy_hit
from filters.types import Hit, Part, Verdict
from gateway.ops import metrics
from gateway.ops.logs import log_decision
from gateway.web.multipart import MultipartSplitter
from gateway.web.ranged_uploads import (
    BadPiece,
    LocalAnswer,
    Piece,
    PieceOutcome,
    PiecesFull,
    PieceStore,
    WholeFile,
    announcement_of,
    can_send_whole,
    describe_gaps,
    filename_of,
    kept_answer,
    may_carry_piece,
    piece_of,
    session_protocol,
    status_query_total,
    upload_key,
    whole_file_headers,
)
from gateway.web.scanner import UploadScanner
from gateway.web.upload_decoding import (
    MAX_FIELDS,
    UNTYPED_MEDIA,
    UploadBody,
    clean_name,
    decode_small_upload,
    decode_upload,
    media_type,
)
from quarantine.store import HoldRequest, QuarantineStore, StoreError

log = logging.getLogger("redline.uploads")

# Headers of the protocols for uploads in pieces and their sessions (Content-Range for
# Google resumable and Graph, tus): such a request is judged before it leaves.
_PIECE_HEADERS = frozenset({"content-range", "upload-offset", "upload-length",
                            "upload-defer-length", "tus-resumable", "x-upload-content-length",
                            "x-upload-content-type"})

BLOCK = 1 << 20


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


# -- the request around the body ----------------------------------------------------------

MAX_REQUEST_TEXT = 256 * 1024  # characters of query, path, header and cookie text inspected
# Headers that only describe the transfer or the client's abilities, never user content.
_PLAIN_HEADERS = frozenset({
    "host", "content-length", "content-type", "content-encoding", "transfer-encoding",
    "connection", "keep-alive", "proxy-connection", "te", "trailer", "upgrade", "accept",
    "accept-encoding", "accept-language", "accept-charset", "cache-control", "pragma",
    "if-modified-since", "if-none-match", "expect", "sec-fetch-site", "sec-fetch-mode",
    "sec-fetch-dest", "sec-fetch-user", "sec-ch-ua", "sec-ch-ua-mobile", "sec-ch-ua-platform",
    "upgrade-insecure-requests", "dnt", "priority", "proxy-authorization", "authorization",
})
# A request with no body and no query string is inspected when its path or a header is
# this long: room enough for a sentence or an encoded document.
LONG_PATH = 200
LONG_HEADER = 1024


def inspection_needed(method: str, target: str, headers: Sequence[tuple[str, str]],
                      has_body: bool) -> bool:
    """Whether a request carries anything to inspect (a body, a query, a long path or header)."""
    if has_body or "?" in target:
        return True
    path = urllib.parse.urlsplit(target).path
    return len(path) > LONG_PATH or any(
        len(value) > LONG_HEADER for name, value in headers if name.lower() not in _PLAIN_HEADERS)


def request_parts(request: UploadRequest, url: urllib.parse.SplitResult,
                  query: Sequence[Field]) -> list[Part]:
    """Text parts for the query fields, the path, the headers and the cookies (bounded)."""
    parts: list[Part] = []
    budget = MAX_REQUEST_TEXT

    def add(origin: str, text: str) -> None:
        nonlocal budget
        if text and budget > 0:
            parts.append(Part(origin=origin, text=text[:budget], role="body"))
            budget -= len(text)

    for item in query:
        add(item.origin, item.value)
    path = urllib.parse.unquote(url.path)
    if len(path) > 1:
        add("upload:path", path)
    for name, value in request.headers:
        lower = name.lower()
        if lower == "cookie":
            for cookie in value.split(";")[:MAX_FIELDS]:
                key, _, raw = cookie.strip().partition("=")
                add(f"upload:cookie[{clean_name(key)}]", urllib.parse.unquote(raw.strip('"')))
        elif lower not in _PLAIN_HEADERS and lower not in ("referer", "origin", "user-agent"):
            add(f"upload:header[{clean_name(name)}]", value)
    return parts


# Headers in which an API names the operation a request performs (the AWS JSON protocol,
# SOAP 1.1, Exchange Web Services and Outlook on the web).
OPERATION_HEADERS = ("x-amz-target", "soapaction", "action")


def request_operation(request: UploadRequest) -> str:
    """The operation ``request`` names in a header ("" when none), for the sign-up check."""
    return " ".join(value[:200] for name, value in request.headers
                    if name.lower() in OPERATION_HEADERS)


# -- the decision ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UploadRequest:
    """One request as the listener received it, its body spooled (transfer coding removed)."""

    method: str
    url: str  # absolute URL
    headers: Sequence[tuple[str, str]]
    body: Path | bytes | None  # bytes: a small form or JSON body (decodes_in_memory)
    client: str
    user: str
    listener: str  # "http" or "icap"
    # The multipart parts of ``body``, cut while it arrived (``multipart_cutter``).
    multipart: MultipartSplitter | None = None

    def header(self, name: str) -> str:
        """The first value of header ``name`` ("" when absent)."""
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), "")


@dataclass(frozen=True, slots=True)
class UploadDecision:
    """What to do with a request: pass, quarantine (held as ``item_id``) or reject.

    A monitored upload passes; its verdict says monitor and ``item_id`` is its record.
    """

    action: str
    verdict: Verdict | None = None
    item_id: str = ""
    released: bool = False  # passed because an officer released the same content
    error: str = ""  # set when inspection or holding failed (the request is refused)
    request_id: str = ""  # the spool directory's name: the log line's id when nothing is held
    timings: dict[str, float] = field(default_factory=dict)  # step → seconds, for the log line
    # A piece Redline keeps: this goes to the client and nothing to the origin.
    answer: LocalAnswer | None = None
    # A passed last piece: the whole file goes to the origin in its place.
    whole: WholeFile | None = None


class UploadInspector:
    """Decides on uploads: allowances, sign-up detection, the pipeline (in processes), holding."""

    def __init__(self, pipeline: Pipeline, store: QuarantineStore | None,
                 signup: SignupDetector | None, *, spool_dir: Path, max_body_bytes: int,
                 workers: int = 0, grace_seconds: float = 10.0,
                 hard_seconds: float | None = None, pieces: PieceStore | None = None,
                 piece_services: Sequence[str] = ()) -> None:
        self.pipeline = pipeline
        # Uploads in pieces (Content-Range, tus) are assembled here; None scans each alone.
        self.pieces = pieces
        # Hosts whose Content-Range sessions Redline answers for (ranged_uploads.session_protocol).
        self.piece_services = list(piece_services)
        self.store = store
        self.signup = signup
        self.spool_dir = Path(spool_dir)
        self.max_body_bytes = max_body_bytes
        workers = workers or os.cpu_count() or 1
        # Past the pipeline's own wall-clock backstop plus grace, the scan is stuck in C code.
        self.hard_seconds = hard_seconds or pipeline.limits.item_wall_seconds + grace_seconds
        self.scanner = UploadScanner(pipeline, workers, self.hard_seconds)
        # Decoding, hashing and store calls block on disk: they run in these threads.
        self._executor = ThreadPoolExecutor(2 * workers, thread_name_prefix="redline-upload")

    def new_workdir(self) -> Path:
        """A fresh spool directory for one request (the caller removes it)."""
        path = self.spool_dir / uuid.uuid4().hex
        path.mkdir(parents=True)
        return path

    def only_records(self, headers: Sequence[tuple[str, str]]) -> bool:
        """True when no decision on a request with ``headers`` can hold or refuse it.

        That is ``[policy] mode = "monitor"`` (what would be held or refused is delivered
        and recorded), for a request that has nothing to do with an upload in pieces: a
        piece may be kept and answered by Redline, or refused for contradicting the
        others, in every mode.
        """
        if self.pipeline.policy.config.mode != "monitor":
            return False
        return not any(name.lower() in _PIECE_HEADERS for name, _ in headers)

    def close(self) -> None:
        """Stop the scanner processes and the I/O threads."""
        self.scanner.close()
        self._executor.shutdown(wait=False, cancel_futures=True)

    async def _off_loop(self, func, *args):
        return await asyncio.get_running_loop().run_in_executor(self._executor, func, *args)

    async def inspect(self, request: UploadRequest, workdir: Path | None) -> UploadDecision:
        """The decision on ``request``; never raises for content (failures refuse it).

        ``workdir`` is the request's spool directory; None for a body held in memory
        (``decodes_in_memory``), which needs none.
        """
        decision = None
        if self.pieces is not None and request.body:
            decision = await self._inspect_piece(request, workdir)
        elif self.pieces is not None and status_query_total(request.method, request.headers):
            decision = await self._status_query(request, workdir)
        if decision is None:
            decision = await self._inspect(request, workdir)
        return dataclasses.replace(
            decision, request_id=workdir.name if workdir is not None else uuid.uuid4().hex)

    async def _inspect_piece(self, request: UploadRequest,
                             workdir: Path | None) -> UploadDecision | None:
        """The decision on a piece of an upload in pieces; None when ``request`` is no piece.

        Where Redline can answer in the service's protocol (``session_protocol``), a
        piece before the last is kept and answered for, and the piece that completes the
        file, when the whole file passes, is replaced by the whole file. Elsewhere a
        piece before the last is scanned alone (fail closed: one that cannot be read
        alone is held) and the piece that completes the file is decided on the whole
        file. One that ends the file while earlier bytes were never seen here is held.
        """
        assert self.pieces is not None and request.body
        if not may_carry_piece(request.headers):
            return None  # the common case, decided without a look at the spool file
        url = urllib.parse.urlsplit(request.url)
        size = (len(request.body) if isinstance(request.body, bytes)
                else (await self._off_loop(request.body.stat)).st_size)
        try:
            piece = piece_of(request.method, request.headers, size)
            if piece is None:
                return None
            outcome = await self._off_loop(lambda: self.pieces.add(
                request.user, request.url, piece, request.body,
                name=filename_of(request.headers, url.path),
                content_type=request.header("content-type")))
        except BadPiece as exc:
            # The client's own contradiction or an over-size file: a refusal with the
            # reason, not "try again later".
            metrics.upload_piece("refused")
            hit = policy_hit("upload.piece_invalid", "high", "upload:pieces", str(exc))
            return UploadDecision("reject", Verdict("reject", (hit,)))
        except (PiecesFull, OSError) as exc:
            metrics.upload_piece("refused")
            return UploadDecision("reject", error=f"upload in pieces refused: {exc}")
        record = outcome.record
        if record.total is None and piece.protocol == "tus":
            # A tus upload whose length this node never learnt: its end cannot be
            # recognised, so each piece is judged alone, fragments and all (fail closed).
            return None
        protocol = session_protocol(piece, request.headers, request.url, self.piece_services)
        if protocol is not None and (record.forwarded or
                                     not can_send_whole(protocol, record.total)):
            protocol = None  # pieces already went on, or the file cannot go on whole
        hits: list[Hit] = []
        if outcome.conflict:
            hits.append(policy_hit("upload.piece_conflict", "high", "upload:pieces",
                                   "a piece rewrote bytes of the upload already seen with "
                                   "different ones"))
        log.info("%s upload piece id=%s bytes=%d-%d/%s complete=%s answered=%s",
                 request.listener, outcome.key, piece.start, piece.end - 1,
                 record.total if record.total is not None else "*", outcome.complete,
                 protocol or "no")
        if outcome.complete:
            metrics.upload_piece("completed")
            return await self._inspect_assembled(request, outcome, hits, protocol, workdir)
        if outcome.reaches_end:
            metrics.upload_piece("unseen")
            hits.append(policy_hit(
                "upload.pieces_unseen", "high", "upload:pieces",
                f"the upload came in pieces this gateway did not all see "
                f"({describe_gaps(outcome.gaps)} of {record.total} missing): it was sent "
                f"through another node, before a restart, or too long ago"))
            return await self._inspect(request, workdir, extra_hits=hits)
        if protocol is not None and not hits:
            # Kept: nothing of the file leaves before the whole of it is judged.
            metrics.upload_piece("kept")
            return UploadDecision("pass", answer=kept_answer(
                protocol, record, expires=time.time() + self.pieces.idle_seconds))
        decision = await self._inspect(request, workdir, extra_hits=hits)
        metrics.upload_piece("forwarded" if decision.action == "pass" else "held")
        if decision.action == "pass":
            with contextlib.suppress(OSError):
                await self._off_loop(self.pieces.note_forwarded, outcome.key, size)
        return decision

    async def _status_query(self, request: UploadRequest,
                            workdir: Path | None) -> UploadDecision | None:
        """A Google ``bytes */TOTAL`` query on an upload this node keeps; None: not one.

        Redline answers it (the service has nothing yet), and when the pieces kept make
        the whole file it is the upload's end: judged, and the whole file sent on.
        """
        assert self.pieces is not None
        total = status_query_total(request.method, request.headers)
        assert total is not None
        protocol = session_protocol(Piece(0, 0, total, "content-range"), request.headers,
                                    request.url, self.piece_services)
        if protocol != "google":
            return None
        try:
            outcome = await self._off_loop(self.pieces.learn_total, request.user, request.url,
                                           total)
        except BadPiece as exc:
            metrics.upload_piece("refused")
            hit = policy_hit("upload.piece_invalid", "high", "upload:pieces", str(exc))
            return UploadDecision("reject", Verdict("reject", (hit,)))
        except OSError as exc:
            return UploadDecision("reject", error=f"upload in pieces unreadable: {exc}")
        if outcome is None or outcome.record.forwarded:
            return None  # nothing kept here: the service answers
        if outcome.complete:
            metrics.upload_piece("completed")
            return await self._inspect_assembled(request, outcome, [], protocol, workdir)
        return UploadDecision("pass", answer=kept_answer(
            protocol, outcome.record, expires=time.time() + self.pieces.idle_seconds))

    async def session_opened(self, user: str, url: str, headers: Sequence[tuple[str, str]],
                             body: bytes | None, location: str) -> None:
        """A request that may open an upload session was answered with ``location``.

        What it announced (tus Upload-Length, Drive's name and type) is remembered for
        the pieces that follow on the session URL; tus pieces need it to know their end.
        """
        if self.pieces is None or not location:
            return
        announcement = announcement_of("POST", headers, body)
        if announcement is None:
            return
        session = urllib.parse.urljoin(url, location)
        try:
            await self._off_loop(self.pieces.announce, user, session, announcement)
        except (PiecesFull, OSError, ValueError) as exc:
            # Its pieces are then judged one by one, as if never announced (fail closed).
            log.warning("upload session not remembered id=%s: %s",
                        upload_key(user, session), exc)

    async def _inspect_assembled(self, request: UploadRequest, outcome: PieceOutcome,
                                 hits: list[Hit], protocol: str | None = None,
                                 workdir: Path | None = None) -> UploadDecision:
        """Decide the completing piece on the whole file the pieces make.

        With ``protocol`` a pass carries the whole file to send in the piece's place, in
        the request's ``workdir`` (removed by the listener after sending) or, for a piece
        that came in memory, in a directory of its own the WholeFile names.
        """
        assert self.pieces is not None
        record = outcome.record
        made = workdir is None or protocol is None
        if made:
            workdir = await self._off_loop(self.new_workdir)
        assert workdir is not None
        keep = False
        try:
            try:
                assembled = await self._off_loop(self.pieces.copy_assembled, outcome.key,
                                                 workdir / "assembled")
            except (OSError, ValueError) as exc:
                return UploadDecision("reject", error=f"upload in pieces unreadable: {exc}")
            name = clean_name(record.name)
            origin = f"upload:pieces:{name}" if name else "upload:pieces"
            media, _ = media_type(record.content_type or "application/octet-stream")
            body = UploadBody(parts=[Part(origin=origin, path=assembled, name=name,
                                          declared_type="" if media in UNTYPED_MEDIA else media)],
                              files={origin: assembled})
            whole = dataclasses.replace(request, body=assembled, multipart=None)
            decision = await self._inspect(whole, workdir, body=body, extra_hits=hits)
            if decision.action == "pass":
                with contextlib.suppress(OSError):
                    await self._off_loop(self.pieces.remove, outcome.key)
                if protocol is not None and record.total is not None:
                    keep = made
                    decision = dataclasses.replace(decision, whole=WholeFile(
                        tuple(whole_file_headers(protocol, request.headers, record.total)),
                        assembled, workdir if made else None))
            return decision
        finally:
            if made and not keep:
                await self._off_loop(remove_workdir, workdir)

    async def _inspect(self, request: UploadRequest, workdir: Path | None, *,
                       body: UploadBody | None = None,
                       extra_hits: Sequence[Hit] = ()) -> UploadDecision:
        """The decision on ``request`` (``body`` already decoded, or decoded here)."""
        url = urllib.parse.urlsplit(request.url)
        started = time.monotonic()
        timings: dict[str, float] = {}

        if body is not None:
            pass
        elif isinstance(request.body, bytes):
            body = UploadBody()
            if request.body:
                body = decode_small_upload(request.body,
                                           content_type=request.header("content-type"))
        elif request.body is not None and request.body.stat().st_size:
            assert workdir is not None, "a spooled body is decoded into its spool directory"
            body = await self._off_loop(
                lambda: decode_upload(request.body, content_type=request.header("content-type"),
                                      content_encoding=request.header("content-encoding"),
                                      url_path=url.path, workdir=workdir,
                                      max_bytes=self.max_body_bytes, cut=request.multipart,
                                      grpc_encoding=request.header("grpc-encoding")))
            timings["decode"] = time.monotonic() - started
        else:
            body = UploadBody()
        query = [Field(k, v, f"upload:query[{clean_name(k)}]")
                 for k, v in urllib.parse.parse_qsl(url.query, keep_blank_values=True)[:MAX_FIELDS]
                 ] if url.query else []
        hits: list[Hit] = [*body.problems, *extra_hits]
        if self.signup is not None:
            referer = urllib.parse.urlsplit(request.header("referer")).path
            hits += self.signup.scan(SignupRequest(host=url.hostname or "", path=url.path,
                                                   fields=[*query, *body.fields],
                                                   referer_path=referer, method=request.method,
                                                   operation=request_operation(request)))
        # The query string, the path, the headers and the cookies carry text as well as the
        # body does (a marking or a base64 document in a query string): same rules, bounded.
        body.parts = [*request_parts(request, url, query), *body.parts]
        if not body.parts and not hits:
            return UploadDecision("pass")
        now = datetime.now(UTC)
        parts = body.parts
        step = time.monotonic()
        scanned, stats = await self.scanner.scan(parts)
        timings["scan"] = time.monotonic() - step
        verdict = Verdict(self.pipeline.policy.decide([*hits, *scanned]), (), stats)
        if verdict.action != "pass" and request.body and self.store is not None:
            # Content an officer released for this user passes on retry. Asked only when
            # the scan found something: a clean request costs no hashing and no store query.
            step = time.monotonic()
            try:
                allowed = await self._allowed_origins(request, body, now)
            except (StoreError, OSError, sqlite3.Error) as exc:
                return UploadDecision("reject", error=f"quarantine store unavailable: {exc}")
            timings["allowance"] = time.monotonic() - step
            if allowed is None:
                return UploadDecision("pass", released=True, timings=timings)
            if allowed:
                # Released files are left out and the rest scanned again, as if the
                # released files had not been sent (rare: a retry after a release).
                parts = [p for p in parts if p.origin not in allowed]
                if not parts and not hits:
                    return UploadDecision("pass", released=True, timings=timings)
                scanned, stats = await self.scanner.scan(parts) if parts else ([], stats)
        hits += scanned
        stats = dataclasses.replace(stats, seconds=time.monotonic() - started)
        verdict = Verdict(self.pipeline.policy.decide(hits), tuple(hits), stats)
        if verdict.action not in ("quarantine", "monitor"):
            return UploadDecision(verdict.action, verdict, timings=timings)
        step = time.monotonic()
        decision = await self._hold(request, verdict, body, now)
        timings["hold"] = time.monotonic() - step
        return dataclasses.replace(decision, timings=timings)

    async def _allowed_origins(self, request: UploadRequest, body: UploadBody,
                               now: datetime) -> set[str] | None:
        """None when the whole body was released for this user, else the released files."""
        assert self.store is not None and request.body is not None
        whole = (hashlib.sha256(request.body).hexdigest() if isinstance(request.body, bytes)
                 else await self._off_loop(_sha256, request.body))
        # The officer released it to the site held (the item's recipient), not to any host.
        site = urllib.parse.urlsplit(request.url).hostname or ""
        if not site:
            # A request that names no host (origin-form with no Host header, which HTTP/1.1
            # forbids: RFC 9112 3.2) goes nowhere an officer could have looked at: every such
            # request would share one site, so a release of one would release them all.
            return set()
        if await self._off_loop(self.store.upload_allowed, request.user, whole, site, now):
            return None
        allowed = set()
        for origin, path in body.files.items():
            sha = await self._off_loop(_sha256, path)
            if await self._off_loop(self.store.upload_allowed, request.user, sha, site, now):
                allowed.add(origin)
        return allowed

    def record(self, request: UploadRequest, decision: UploadDecision) -> None:
        """The metrics and the one decision log line of an inspected request (never content).

        A body-less request whose query string passed is not an upload: it is neither
        counted nor logged (that would be one line per page view).
        """
        if decision.verdict is None and decision.action == "pass" and not decision.released \
                and request.body is None:
            return
        verdict = decision.verdict or Verdict(decision.action)
        if decision.error:
            metrics.scan_error("upload", "outbound")
            # The reason names a limit or the store, never content.
            log.warning("%s upload refused id=%s: %s", request.listener,
                        decision.item_id or decision.request_id, decision.error)
            verdict = Verdict("error", verdict.hits, verdict.stats)
        else:
            metrics.observe_scan("upload", "outbound", verdict)
        if decision.action != "pass" and any(h.category == "signup" for h in verdict.hits):
            metrics.signup_blocked()
        timings = dict(decision.timings)
        timings["total"] = verdict.stats.seconds if decision.verdict else sum(timings.values())
        log_decision("upload", decision.item_id or decision.request_id, verdict, timings)

    async def _hold(self, request: UploadRequest, verdict: Verdict, body: UploadBody,
                    now: datetime) -> UploadDecision:
        """Hold the upload (refused meanwhile), or for a monitored one record it and let it
        pass: a monitored upload passes even when the store fails (logged at ERROR)."""
        monitored = verdict.action == "monitor"
        if self.store is None and monitored:
            return UploadDecision("pass", verdict)
        if self.store is None:
            return UploadDecision("reject", verdict, error="no quarantine store configured")
        # When every finding sits in one uploaded file, hold that file: the officer sees
        # the document, and a release matches the same file on retry even though the
        # browser's next multipart body (new boundary) hashes differently.
        wheres = {h.where for h in verdict.hits if self.pipeline.policy.counts(h)}
        files = [origin for origin in body.files
                 if all(w == origin or w.startswith(origin + "/") for w in wheres)]
        content: Path | bytes | None = request.body
        held = "body"
        if len(files) == 1:
            content = next(p.path for p in body.parts if p.origin == files[0])
            held = files[0]
        url = urllib.parse.urlsplit(request.url)
        hold = HoldRequest(
            kind="upload", sender=request.user, recipients=(url.hostname or "",),
            subject=f"{request.method} {request.url}"[:500], verdict=verdict,
            content=content if content is not None else b"", received=now, client=request.client,
            meta={"listener": request.listener, "held": held,
                  "content_type": request.header("content-type")[:200],
                  **({"enforced": self.pipeline.policy.enforced(verdict.hits)}
                     if monitored else {})},
            **({"status": "monitored",
                "keep_content": self.pipeline.policy.config.monitor_keep_content}
               if monitored else {}),  # type: ignore[arg-type]
        )
        try:
            item = await self._off_loop(self.store.hold, hold)
        except (StoreError, OSError, sqlite3.Error) as exc:
            if monitored:
                log.error("%s monitored upload passed but not recorded: %s", request.listener,
                          exc)
                return UploadDecision("pass", verdict)
            return UploadDecision("reject", verdict, error=f"quarantine store unavailable: {exc}")
        if monitored:
            return UploadDecision("pass", verdict, item_id=item.id)
        return UploadDecision("quarantine", verdict, item_id=item.id)


def remove_workdir(path: Path) -> None:
    """Delete one request's spool directory (blocking)."""
    shutil.rmtree(path, ignore_errors=True)


def build_inspector(config, pipeline: Pipeline, store: QuarantineStore | None,
                    data_dir: Path) -> UploadInspector:
    """The UploadInspector the proxy and the ICAP service share, from the whole Config."""
    http = config.section("http")
    signup = config.section("signup")
    detector = (SignupDetector(config.section("org").domains,
                               allowed_services=signup.allowed_services,
                               context_words=signup.context_words) if signup.enabled else None)
    pieces = PieceStore(Path(data_dir) / "spool" / "pieces", max_bytes=http.max_body_bytes,
                        max_uploads=http.piece_max_uploads,
                        idle_seconds=http.piece_idle_seconds,
                        max_total_bytes=http.piece_max_spool_bytes)
    return UploadInspector(pipeline, store, detector, spool_dir=Path(data_dir) / "spool" / "http",
                           max_body_bytes=http.max_body_bytes, workers=http.scan_workers,
                           grace_seconds=http.scan_grace_seconds, pieces=pieces,
                           piece_services=http.piece_services)
