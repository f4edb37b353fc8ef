"""Upload inspection shared by the forward proxy and the ICAP service: body → Parts → decision.

A request body arrives spooled to disk (transfer coding already removed; ``read_chunked``
removes it). ``decode_upload`` undoes the content-encoding (gzip, deflate, br) into
another spool file, splits multipart/form-data into files and fields, urlencoded forms
into fields and JSON into values at any depth, each a Part with an origin path such as
``upload:form[file]:report.docx``. ``UploadInspector`` then checks the quarantine's
upload allowances, runs the sign-up detector and the pipeline off the event loop, and
holds what the policy says to hold.
"""

from __future__ import annotations

import asyncio
import binascii
import codecs
import contextlib
import dataclasses
import email.message
import email.parser
import email.policy
import email.utils
import hashlib
import json
import logging
import os
import re
import shutil
import sqlite3
import time
import urllib.parse
import uuid
import zlib
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

import brotli

from filters.engines.signup import Field, SignupDetector, SignupRequest
from filters.errors import RedlineError
from filters.pipeline import Pipeline, policy_hit
from filters.types import Hit, Part, Verdict
from gateway.ops import metrics
from gateway.ops.logs import log_decision
from gateway.web.config import host_matches
from gateway.web.ranged_uploads import (
    BadPiece,
    PieceOutcome,
    PiecesFull,
    PieceStore,
    announcement_of,
    describe_gaps,
    filename_of,
    piece_of,
    upload_key,
)
from gateway.web.scanner import UploadScanner
from quarantine.store import HoldRequest, QuarantineStore, StoreError

log = logging.getLogger("redline.uploads")

BLOCK = 1 << 20
FLUSH_BYTES = 1 << 20
MAX_FORM_BYTES = 16 * 1024 * 1024  # urlencoded and JSON bodies parsed into fields up to this
MAX_FIELD_TEXT = 64 * 1024  # a multipart field up to this is text; larger ones are content
MAX_FIELDS = 1000  # fields and JSON values becoming their own Part; the rest are joined
MAX_PARTS = 1000  # multipart parts (each may be a file)
MAX_PART_HEADER = 16 * 1024
MAX_JSON_DEPTH = 64
MAX_CHUNK_LINE = 4096
# Form and JSON bodies up to this size are decoded from memory (decodes_in_memory).
SMALL_UPLOAD = 64 * 1024


class BadRequest(RedlineError):
    """The client's request is malformed (framing, chunk sizes): answer 400 and close."""


class BodyTooLarge(RedlineError):
    """The body is bigger than allowed: answer 413."""


# -- reading bodies from a stream ----------------------------------------------------------


class SpoolWriter:
    """Writes a stream into a file in large batches, each written off the event loop."""

    def __init__(self, file: BinaryIO, max_bytes: int) -> None:
        self.file = file
        self.max_bytes = max_bytes
        self.size = 0
        self._pending: list[bytes] = []
        self._pending_size = 0

    async def write(self, data: bytes) -> None:
        """Append ``data``; raises BodyTooLarge past ``max_bytes``."""
        self.size += len(data)
        if self.size > self.max_bytes:
            raise BodyTooLarge(f"body larger than {self.max_bytes} bytes")
        self._pending.append(data)
        self._pending_size += len(data)
        if self._pending_size >= FLUSH_BYTES:
            await self.flush()

    async def flush(self) -> None:
        """Write what is buffered."""
        if self._pending:
            data, self._pending, self._pending_size = b"".join(self._pending), [], 0
            await asyncio.to_thread(self.file.write, data)


async def read_exact_body(reader: asyncio.StreamReader, out: SpoolWriter, length: int,
                          timeout: float) -> None:
    """Copy a Content-Length body of ``length`` bytes; raises BadRequest when it ends early."""
    remaining = length
    while remaining:
        data = await asyncio.wait_for(reader.read(min(remaining, 256 * 1024)), timeout)
        if not data:
            raise BadRequest(f"connection closed {remaining} bytes before the end of the body")
        remaining -= len(data)
        await out.write(data)
    await out.flush()


async def read_chunked(reader: asyncio.StreamReader, out: SpoolWriter, timeout: float) -> bool:
    """Decode a chunked body (RFC 9112 7.1) into ``out``; True when it ended with ``ieof``.

    ``ieof`` is the ICAP preview's "this is the whole body" extension (RFC 3507 4.5).
    Trailer fields are read and dropped.
    """
    while True:
        try:
            line = await asyncio.wait_for(reader.readuntil(b"\r\n"), timeout)
        except asyncio.IncompleteReadError:
            raise BadRequest("connection closed inside a chunked body") from None
        except asyncio.LimitOverrunError:
            raise BadRequest("chunk-size line too long") from None
        if len(line) > MAX_CHUNK_LINE:
            raise BadRequest("chunk-size line too long")
        size_text, _, extension = line[:-2].partition(b";")
        size_text = size_text.strip(b" \t")
        # Only hex digits: int(..., 16) would also take "0x", "_" and signs (smuggling).
        if not size_text or len(size_text) > 16 or size_text.strip(b"0123456789abcdefABCDEF"):
            raise BadRequest(f"bad chunk size {size_text[:20]!r}")
        size = int(size_text, 16)
        if size == 0:
            ieof = extension.strip().lower() == b"ieof"
            while True:  # trailer section, ended by an empty line
                trailer = await asyncio.wait_for(reader.readuntil(b"\r\n"), timeout)
                if trailer == b"\r\n":
                    break
            await out.flush()
            return ieof
        remaining = size
        while remaining:
            data = await asyncio.wait_for(reader.read(min(remaining, 256 * 1024)), timeout)
            if not data:
                raise BadRequest("connection closed inside a chunk")
            remaining -= len(data)
            await out.write(data)
        if await asyncio.wait_for(reader.readexactly(2), timeout) != b"\r\n":
            raise BadRequest("chunk data not followed by CRLF")


# -- decoding a spooled body into parts ------------------------------------------------------


@dataclass
class UploadBody:
    """A decoded request body: Parts for the pipeline, fields for the sign-up detector."""

    parts: list[Part] = field(default_factory=list)
    fields: list[Field] = field(default_factory=list)
    problems: list[Hit] = field(default_factory=list)
    # origin of each content Part (a file) → its spool file, hashed for upload allowances
    files: dict[str, Path] = field(default_factory=dict)


def _clean(name: str, limit: int = 200) -> str:
    name = "".join(ch if ch.isprintable() and ch not in "[]" else "_" for ch in name)
    return name[:limit]


def _decoder(coding: str):
    if coding in ("gzip", "x-gzip"):
        return zlib.decompressobj(31)
    if coding == "deflate":
        return zlib.decompressobj(15)
    if coding == "br":
        return brotli.Decompressor()
    return None


def decode_content(src: Path, dst: Path, codings: Sequence[str], max_bytes: int) -> Path:
    """Undo Content-Encoding ``codings`` (in the order applied) from ``src`` into ``dst``.

    Raises ValueError naming the problem: an unknown coding, corrupt data, or output
    beyond ``max_bytes`` (a compression bomb).
    """
    current = src
    for step, coding in enumerate(reversed([c for c in codings if c != "identity"])):
        target = dst.with_name(f"{dst.name}.{step}")
        if _decoder(coding) is None:
            raise ValueError(f"content-encoding {coding!r} is not one Redline can decode")
        _decode_file(current, target, coding, max_bytes)
        current = target
    return current


def _decode_file(src: Path, dst: Path, coding: str, max_bytes: int) -> None:
    decoder = _decoder(coding)
    written = 0
    with src.open("rb") as fin, dst.open("wb") as fout:
        def emit(data: bytes) -> None:
            nonlocal written
            written += len(data)
            if written > max_bytes:
                raise ValueError(f"{coding} body decodes to more than {max_bytes} bytes")
            fout.write(data)

        try:
            for block in iter(lambda: fin.read(64 * 1024), b""):
                if coding == "br":
                    emit(decoder.process(block, output_buffer_limit=BLOCK))
                    while not decoder.can_accept_more_data():
                        emit(decoder.process(b"", output_buffer_limit=BLOCK))
                    continue
                data = block
                while data:
                    emit(decoder.decompress(data, BLOCK))  # bounded output per call
                    data = decoder.unconsumed_tail
                    if decoder.eof and decoder.unused_data and coding != "deflate":
                        # gzip allows several members one after another (RFC 1952 2.2).
                        data = decoder.unused_data
                        decoder = zlib.decompressobj(31)
            if coding == "br":
                if not decoder.is_finished():
                    raise ValueError("br body is truncated")
            else:
                emit(decoder.flush())
                if not decoder.eof:
                    raise ValueError(f"{coding} body is truncated")
        except (zlib.error, brotli.error) as exc:
            if coding == "deflate" and written == 0:
                # Some clients send raw DEFLATE without the zlib wrapper.
                fout.seek(0)
                fout.truncate()
                fin.seek(0)
                raw = zlib.decompressobj(-15)
                for block in iter(lambda: fin.read(64 * 1024), b""):
                    data = block
                    while data:
                        emit(raw.decompress(data, BLOCK))
                        data = raw.unconsumed_tail
                return
            raise ValueError(f"{coding} body is corrupt: {exc}") from None


def _media_type(content_type: str) -> tuple[str, dict[str, str]]:
    parser = email.parser.HeaderParser(policy=email.policy.compat32)
    msg = parser.parsestr(f"Content-Type: {content_type}\n\n")
    params = {k.lower(): v for k, v in (msg.get_params() or [])[1:]}
    return msg.get_content_type().lower(), params


def _json_fields(value: object, origin_prefix: str) -> Iterator[Field]:
    """Every scalar in a JSON document with its dotted path (depth and count bounded)."""
    stack: list[tuple[str, object, int]] = [("", value, 0)]
    count = 0
    while stack and count < MAX_FIELDS * 10:
        path, node, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            continue
        if isinstance(node, dict):
            items = [(f"{path}.{k}" if path else str(k), v) for k, v in node.items()]
        elif isinstance(node, list):
            items = [(f"{path}[{i}]", v) for i, v in enumerate(node)]
        else:
            count += 1
            if node is not None and not isinstance(node, bool):
                yield Field(path, str(node), f"{origin_prefix}[{_clean(path)}]")
            continue
        stack.extend((p, v, depth + 1) for p, v in reversed(items))


def _fields_to_parts(fields: Sequence[Field], joined_origin: str) -> list[Part]:
    """Text parts for the pipeline: one per field, or one joined part when there are many."""
    if len(fields) <= MAX_FIELDS:
        return [Part(origin=f.origin, text=f.value, role="body") for f in fields if f.value]
    # The field names go along (not into the text): a key such as cardNumber is a label
    # for the personal-data engine, and must not read as prose to the marking rules.
    keys = (next((k for k in reversed(_PATH_STEPS.split(f.name)) if k and not k.isdigit()), "")
            for f in fields)
    names = " ".join(dict.fromkeys(k for k in keys if k))[:MAX_FIELD_NAMES_CHARS]
    return [Part(origin=joined_origin, text="\n".join(f.value for f in fields), role="body",
                 meta={"field_names": names})]


MAX_FIELD_NAMES_CHARS = 16 * 1024
_PATH_STEPS = re.compile(r"[.\[\]]+")  # customers[3].cardNumber -> customers, 3, cardNumber


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


def _split_multipart(path: Path, boundary: bytes, workdir: Path) -> Iterator[tuple[bytes, Path]]:
    """(header bytes, spool file of the data) for each part of a multipart body, streaming.

    Raises ValueError when the structure is broken (no closing delimiter, too many parts).
    """
    first = b"--" + boundary
    delimiter = b"\r\n" + first
    with path.open("rb") as f:
        buffer = b"\r\n"  # so the first delimiter matches like the others
        while True:  # preamble: everything up to the first delimiter
            at = buffer.find(delimiter)
            if at >= 0:
                buffer = buffer[at + len(delimiter):]
                break
            block = f.read(BLOCK)
            if not block:
                raise ValueError("no multipart delimiter found")
            buffer = buffer[-len(delimiter):] + block
        for index in range(MAX_PARTS + 1):
            while len(buffer) < 2:
                block = f.read(BLOCK)
                if not block:
                    raise ValueError("multipart body ends after a delimiter")
                buffer += block
            if buffer.startswith(b"--"):
                return  # close delimiter; the epilogue is ignored
            if index == MAX_PARTS:
                raise ValueError(f"more than {MAX_PARTS} multipart parts")
            # transport padding, then CRLF, then the part's header block
            while (end := buffer.find(b"\r\n\r\n")) < 0:
                if len(buffer) > MAX_PART_HEADER:
                    raise ValueError("multipart part headers too long")
                block = f.read(BLOCK)
                if not block:
                    raise ValueError("multipart body ends inside part headers")
                buffer += block
            line_end = buffer.find(b"\r\n")
            headers = buffer[line_end + 2:end + 2] if line_end < end else b""
            buffer = buffer[end + 4:]
            target = workdir / f"part-{index}"
            with target.open("wb") as out:
                while True:
                    at = buffer.find(delimiter)
                    if at >= 0:
                        out.write(buffer[:at])
                        buffer = buffer[at + len(delimiter):]
                        break
                    keep = len(delimiter) - 1
                    if len(buffer) > keep:
                        out.write(buffer[:-keep])
                        buffer = buffer[-keep:]
                    block = f.read(BLOCK)
                    if not block:
                        raise ValueError("multipart body ends without its closing delimiter")
                    buffer += block
            yield headers, target


def _part_headers(raw: bytes) -> email.message.Message:
    text = raw.decode("utf-8", "replace")
    return email.parser.HeaderParser(policy=email.policy.compat32).parsestr(text + "\n")


def decode_upload(body: Path, *, content_type: str, content_encoding: str, url_path: str,
                  workdir: Path, max_bytes: int) -> UploadBody:
    """Turn a spooled request body into Parts and fields (blocking; run it off the loop)."""
    out = UploadBody()
    codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
    try:
        decoded = decode_content(body, workdir / "decoded", codings, max_bytes)
    except ValueError as exc:
        # Fail closed: what we cannot decode we cannot inspect.
        out.problems.append(policy_hit("extract.unparseable", "high", "upload:body", str(exc)))
        out.parts.append(Part(origin="upload:body", path=body))
        return out
    media, params = _media_type(content_type or "application/octet-stream")
    size = decoded.stat().st_size
    if media == "multipart/form-data" and params.get("boundary"):
        _decode_multipart(decoded, params["boundary"].encode("utf-8", "replace"), workdir, out)
    elif media == "application/x-www-form-urlencoded" and size <= MAX_FORM_BYTES:
        _decode_form(decoded.read_bytes(), params, out)
    elif (_is_json_media(media)
          or (media in _JSON_AS_TEXT and size <= MAX_FORM_BYTES and _starts_json(decoded))) \
            and size <= MAX_FORM_BYTES:
        # JSON sent as text/plain (a CORS "simple request" needs no preflight) is still JSON.
        raw = decoded.read_bytes()
        if not _decode_json(raw, out):
            out.parts.append(Part(origin="upload:body", path=decoded, declared_type=media))
    else:
        name = urllib.parse.unquote(url_path.rsplit("/", 1)[-1])
        name = _clean(name) if "." in name else ""
        origin = f"upload:body:{name}" if name else "upload:body"
        out.parts.append(Part(origin=origin, path=decoded, name=name,
                              declared_type="" if media == "application/octet-stream" else media))
        out.files[origin] = decoded
    return out


def decodes_in_memory(content_type: str, content_encoding: str, size: int) -> bool:
    """Whether a body of ``size`` bytes is decoded from memory (``decode_small_upload``).

    Small forms and JSON documents without a content-encoding hold fields only: they need
    no spool directory, and decoding them costs less than a hop to a thread. Anything
    that may hold files (multipart) or expand (gzip) is spooled and decoded off the loop.
    """
    if size > SMALL_UPLOAD or content_encoding.strip(" \t,").lower() not in ("", "identity"):
        return False
    media, _ = _media_type(content_type or "application/octet-stream")
    return media == "application/x-www-form-urlencoded" or _is_json_media(media)


def decode_small_upload(body: bytes, *, content_type: str) -> UploadBody:
    """Fields and Parts of a body that ``decodes_in_memory`` accepted (cheap; on the loop)."""
    out = UploadBody()
    media, params = _media_type(content_type)
    if media == "application/x-www-form-urlencoded":
        _decode_form(body, params, out)
    elif not _decode_json(body, out):
        out.parts.append(Part(origin="upload:body", data=body, declared_type=media))
    return out


def _is_json_media(media: str) -> bool:
    return media == "application/json" or media.endswith("+json")


def _decode_form(raw: bytes, params: dict[str, str], out: UploadBody) -> None:
    """An urlencoded form's fields into ``out`` (fields and one text Part per field)."""
    text = raw.decode("utf-8", "replace")
    try:
        pairs = urllib.parse.parse_qsl(text, keep_blank_values=True,
                                       max_num_fields=MAX_FIELDS * 10,
                                       encoding=_form_charset(raw, params), errors="replace")
    except ValueError:
        pairs = []
        out.problems.append(policy_hit("extract.unparseable", "high", "upload:form",
                                       f"more than {MAX_FIELDS * 10} form fields"))
        out.parts.append(Part(origin="upload:form", text=text))
    fields = [Field(k, v, f"upload:form[{_clean(k)}]") for k, v in pairs]
    out.fields += fields
    out.parts += _fields_to_parts(fields, "upload:form")


def _decode_json(raw: bytes, out: UploadBody) -> bool:
    """A JSON document's values into ``out``; False (nothing added) when it is not JSON."""
    try:
        document = json.loads(raw)
    except (ValueError, RecursionError):
        return False
    fields = list(_json_fields(document, "upload:json"))
    out.fields += fields
    out.parts += _fields_to_parts(fields, "upload:json")
    return True


_UNTYPED = {"application/octet-stream", "application/offset+octet-stream"}
_JSON_AS_TEXT = {"text/plain", "application/octet-stream", "application/x-www-form-urlencoded"}
# RFC 7578 section 4.7 deprecates Content-Transfer-Encoding in form-data, but clients and
# hand-made requests still send base64 or quoted-printable parts: they are decoded.
_TRANSFER_DECODERS = {
    "base64": lambda data: binascii.a2b_base64(b"".join(data.split()) + b"=="),
    "quoted-printable": binascii.a2b_qp,
}
MAX_MULTIPART_NESTING = 3


def _starts_json(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(64).lstrip()[:1] in (b"{", b"[")


def _form_charset(raw: bytes, params: dict[str, str]) -> str:
    """The charset of an urlencoded form: its ``_charset_`` field (HTML), the Content-Type
    charset, else UTF-8. A form sent as UTF-16 reads as NULs between letters otherwise."""
    found = re.search(rb"(?:^|&)_charset_=([A-Za-z0-9_.:-]{1,40})(?:&|$)", raw)
    for candidate in ((found.group(1).decode() if found else ""), params.get("charset", "")):
        if candidate:
            try:
                return codecs.lookup(candidate).name
            except LookupError:
                continue
    return "utf-8"


def _transfer_decoded(headers: email.message.Message, data: Path) -> Path:
    coding = (headers.get("content-transfer-encoding") or "").strip().lower()
    decoder = _TRANSFER_DECODERS.get(coding)
    if decoder is None:
        return data
    try:
        decoded = decoder(data.read_bytes())
    except (binascii.Error, ValueError):
        return data  # inspected as sent
    target = data.with_name(data.name + ".decoded")
    target.write_bytes(decoded)
    return target


def _decode_multipart(path: Path, boundary: bytes, workdir: Path, out: UploadBody,
                      prefix: str = "upload:form", nesting: int = 0) -> None:
    try:
        for raw_headers, data in _split_multipart(path, boundary, workdir):
            headers = _part_headers(raw_headers)
            name = _clean(headers.get_param("name", "", header="content-disposition") or "")
            if isinstance(name, tuple):  # RFC 2231 form
                name = _clean(email.utils.collapse_rfc2231_value(name))
            filename = headers.get_filename()
            declared = (headers.get_content_type() if headers.get("content-type") else "")
            data = _transfer_decoded(headers, data)
            inner = headers.get_param("boundary") if declared.startswith("multipart/") else None
            if inner and nesting < MAX_MULTIPART_NESTING:
                # multipart/mixed inside form-data (RFC 2388's several files in one field).
                sub = workdir / f"{data.name}-parts"
                sub.mkdir(exist_ok=True)
                _decode_multipart(data, str(inner).encode("utf-8", "replace"), sub, out,
                                  prefix=f"{prefix}[{name or 'mixed'}]", nesting=nesting + 1)
                continue
            if filename is not None:
                filename = _clean(filename.replace("\\", "/").rsplit("/", 1)[-1]) or "unnamed"
                origin = f"{prefix}[{name}]:{filename}" if name else f"{prefix}:{filename}"
                out.parts.append(Part(origin=origin, path=data, name=filename,
                                      declared_type=declared))
                out.files[origin] = data
                continue
            origin = f"{prefix}[{name}]"
            if data.stat().st_size > MAX_FIELD_TEXT:
                out.parts.append(Part(origin=origin, path=data, declared_type=declared))
                continue
            value = data.read_bytes().decode("utf-8", "replace")
            out.fields.append(Field(name, value, origin))
            if value.lstrip()[:1] in ("{", "["):
                with contextlib.suppress(ValueError, RecursionError):
                    out.fields += _json_fields(json.loads(value), f"{origin}.json")
            if value:
                out.parts.append(Part(origin=origin, text=value))
    except ValueError as exc:
        out.problems.append(policy_hit("extract.unparseable", "high", "upload:form", str(exc)))
        out.parts.append(Part(origin="upload:body", path=path))


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
                add(f"upload:cookie[{_clean(key)}]", urllib.parse.unquote(raw.strip('"')))
        elif lower not in _PLAIN_HEADERS and lower not in ("referer", "origin", "user-agent"):
            add(f"upload:header[{_clean(name)}]", value)
    return parts


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
        # Where an unreadable piece before the last may go on (the service drops
        # unfinished uploads); elsewhere a client could label any blob "piece 1 of 2".
        self.piece_services = list(piece_services)
        self.store = store
        self.signup = signup
        self.spool_dir = Path(spool_dir)
        self.max_body_bytes = max_body_bytes
        workers = workers or os.cpu_count() or 1
        # Past the pipeline's own item limit plus grace, the scan is stuck in C code.
        self.hard_seconds = hard_seconds or pipeline.limits.item_seconds + grace_seconds
        self.scanner = UploadScanner(pipeline, workers, self.hard_seconds)
        # Decoding, hashing and store calls block on disk: they run in these threads.
        self._executor = ThreadPoolExecutor(2 * workers, thread_name_prefix="redline-upload")

    def new_workdir(self) -> Path:
        """A fresh spool directory for one request (the caller removes it)."""
        path = self.spool_dir / uuid.uuid4().hex
        path.mkdir(parents=True)
        return path

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
        if decision is None:
            decision = await self._inspect(request, workdir)
        return dataclasses.replace(
            decision, request_id=workdir.name if workdir is not None else uuid.uuid4().hex)

    async def _inspect_piece(self, request: UploadRequest,
                             workdir: Path | None) -> UploadDecision | None:
        """The decision on a piece of an upload in pieces; None when ``request`` is no piece.

        A piece before the last is scanned alone; to a service in ``piece_services`` its
        fragment problems (unparseable, opaque) are forgiven, since the whole file is
        scanned when it is complete. The piece that
        completes the file is decided on the assembled file; one that ends the file while
        earlier bytes were never seen here is held (fail closed).
        """
        assert self.pieces is not None and request.body
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
        hits: list[Hit] = []
        if outcome.conflict:
            hits.append(policy_hit("upload.piece_conflict", "high", "upload:pieces",
                                   "a piece rewrote bytes of the upload already seen with "
                                   "different ones"))
        log.info("%s upload piece id=%s bytes=%d-%d/%s complete=%s", request.listener,
                 outcome.key, piece.start, piece.end - 1,
                 record.total if record.total is not None else "*", outcome.complete)
        if outcome.complete:
            metrics.upload_piece("completed")
            return await self._inspect_assembled(request, outcome, hits)
        if outcome.reaches_end:
            metrics.upload_piece("unseen")
            hits.append(policy_hit(
                "upload.pieces_unseen", "high", "upload:pieces",
                f"the upload came in pieces this gateway did not all see "
                f"({describe_gaps(outcome.gaps)} of {record.total} missing): it was sent "
                f"through another node, before a restart, or too long ago"))
            return await self._inspect(request, workdir, extra_hits=hits)
        decision = await self._inspect(request, workdir, extra_hits=hits,
                                       fragment=host_matches(url.hostname or "",
                                                             self.piece_services))
        metrics.upload_piece("forwarded" if decision.action == "pass" else "held")
        if decision.action == "pass":
            with contextlib.suppress(OSError):
                await self._off_loop(self.pieces.note_forwarded, outcome.key, size)
        return decision

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
                                 hits: list[Hit]) -> UploadDecision:
        """Decide the completing piece on the whole file the pieces make."""
        assert self.pieces is not None
        record = outcome.record
        workdir = await self._off_loop(self.new_workdir)
        try:
            try:
                assembled = await self._off_loop(self.pieces.copy_assembled, outcome.key,
                                                 workdir / "assembled")
            except (OSError, ValueError) as exc:
                return UploadDecision("reject", error=f"upload in pieces unreadable: {exc}")
            name = _clean(record.name)
            origin = f"upload:pieces:{name}" if name else "upload:pieces"
            media, _ = _media_type(record.content_type or "application/octet-stream")
            body = UploadBody(parts=[Part(origin=origin, path=assembled, name=name,
                                          declared_type="" if media in _UNTYPED else media)],
                              files={origin: assembled})
            whole = dataclasses.replace(request, body=assembled)
            decision = await self._inspect(whole, workdir, body=body, extra_hits=hits)
            if decision.action == "pass":
                with contextlib.suppress(OSError):
                    await self._off_loop(self.pieces.remove, outcome.key)
            return decision
        finally:
            await self._off_loop(remove_workdir, workdir)

    async def _inspect(self, request: UploadRequest, workdir: Path | None, *,
                       body: UploadBody | None = None, extra_hits: Sequence[Hit] = (),
                       fragment: bool = False) -> UploadDecision:
        """The decision on ``request`` (``body`` already decoded, or decoded here).

        ``fragment``: the body is a piece of a larger file, so what only says "this could
        not be read" (policy hits) is left to the scan of the whole file.
        """
        url = urllib.parse.urlsplit(request.url)
        started = time.monotonic()
        timings: dict[str, float] = {}

        def kept(found: Sequence[Hit]) -> list[Hit]:
            return [h for h in found if not (fragment and h.category == "policy")]

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
                                      max_bytes=self.max_body_bytes))
            timings["decode"] = time.monotonic() - started
        else:
            body = UploadBody()
        query = [Field(k, v, f"upload:query[{_clean(k)}]")
                 for k, v in urllib.parse.parse_qsl(url.query, keep_blank_values=True)[:MAX_FIELDS]]
        hits: list[Hit] = [*kept(body.problems), *extra_hits]
        if self.signup is not None:
            referer = urllib.parse.urlsplit(request.header("referer")).path
            hits += self.signup.scan(SignupRequest(host=url.hostname or "", path=url.path,
                                                   fields=[*query, *body.fields],
                                                   referer_path=referer, method=request.method))
        # The query string, the path, the headers and the cookies carry text as well as the
        # body does (a marking or a base64 document in a query string): same rules, bounded.
        body.parts = [*request_parts(request, url, query), *body.parts]
        if not body.parts and not hits:
            return UploadDecision("pass")
        now = datetime.now(UTC)
        parts = body.parts
        step = time.monotonic()
        scanned, stats = await self.scanner.scan(parts)
        scanned = kept(scanned)
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
                scanned = kept(scanned)
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
        if await self._off_loop(self.store.upload_allowed, request.user, whole, now):
            return None
        allowed = set()
        for origin, path in body.files.items():
            sha = await self._off_loop(_sha256, path)
            if await self._off_loop(self.store.upload_allowed, request.user, sha, now):
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
                        idle_seconds=http.piece_idle_seconds)
    return UploadInspector(pipeline, store, detector, spool_dir=Path(data_dir) / "spool" / "http",
                           max_body_bytes=http.max_body_bytes, workers=http.scan_workers,
                           grace_seconds=http.scan_grace_seconds, pieces=pieces,
                           piece_services=http.piece_services)
