"""Decoding a request body into Parts and fields: content codings, multipart, forms, JSON.

A spooled body (transfer coding already removed) has its content-encoding (gzip,
deflate, br) undone into another spool file; multipart/form-data is split into files
and fields (``gateway.web.multipart``; the proxy cuts the parts while the body arrives),
urlencoded forms into fields and JSON into values at any depth, each a Part with an
origin path such as ``upload:form[file]:report.docx``. Small forms and JSON documents
are decoded from memory (``decodes_in_memory``).
"""

from __future__ import annotations

import binascii
import contextlib
import email.message
import email.parser
import email.policy
import email.utils
import functools
import json
import re
import shutil
import urllib.parse
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import brotli
import zstandard

from filters.engines.signup import Field
from filters.extract.text import codec_name
from filters.pipeline import policy_hit
from filters.types import Hit, Part
from gateway.web import grpc_web
from gateway.web.grpc_web import is_grpc_media
from gateway.web.multipart import MultipartSplitter, split_multipart_file

BLOCK = 1 << 20
MAX_FORM_BYTES = 16 * 1024 * 1024  # urlencoded and JSON bodies parsed into fields up to this
MAX_FIELD_TEXT = 64 * 1024  # a multipart field up to this is text; larger ones are content
MAX_FIELDS = 1000  # fields and JSON values becoming their own Part; the rest are joined
MAX_JSON_DEPTH = 64
# Form and JSON bodies up to this size are decoded from memory (decodes_in_memory).
SMALL_UPLOAD = 64 * 1024


@dataclass
class UploadBody:
    """A decoded request body: Parts for the pipeline, fields for the sign-up detector."""

    parts: list[Part] = field(default_factory=list)
    fields: list[Field] = field(default_factory=list)
    problems: list[Hit] = field(default_factory=list)
    # origin of each content Part (a file) → its spool file, hashed for upload allowances
    files: dict[str, Path] = field(default_factory=dict)


def clean_name(name: str, limit: int = 200) -> str:
    """``name`` made safe for an origin path: printable, no brackets, at most ``limit`` long."""
    if name.isprintable() and "[" not in name and "]" not in name:
        return name[:limit]  # the common case, without a pass per character
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
        if coding == "zstd":
            _decode_zstd(current, target, max_bytes)
        elif coding == "aws-chunked":
            _decode_aws_chunked(current, target, max_bytes)
        elif _decoder(coding) is None:
            raise ValueError(f"content-encoding {coding!r} is not one Redline can decode")
        else:
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


def _decode_zstd(src: Path, dst: Path, max_bytes: int) -> None:
    """Undo ``zstd`` (RFC 8878), frames in a row as one stream, output bounded."""
    # Fed in small pieces: one RLE block turns a few bytes into 128 KiB, so a piece
    # bounds what one call can produce before the size check sees it.
    obj = zstandard.ZstdDecompressor().decompressobj()
    written = 0
    in_frame = False
    with src.open("rb") as fin, dst.open("wb") as fout:
        try:
            while piece := fin.read(1024):
                while piece:
                    data = obj.decompress(piece)
                    written += len(data)
                    if written > max_bytes:
                        raise ValueError(f"zstd body decodes to more than {max_bytes} bytes")
                    fout.write(data)
                    if obj.eof:  # frames in a row: the next one starts in what is left
                        piece, in_frame = obj.unused_data, False
                        obj = zstandard.ZstdDecompressor().decompressobj()
                    else:
                        piece, in_frame = b"", True
        except zstandard.ZstdError as exc:
            raise ValueError(f"zstd body is corrupt: {exc}") from None
    if in_frame:
        raise ValueError("zstd body is truncated")


MAX_CHUNK_LINE = 4096


def _decode_aws_chunked(src: Path, dst: Path, max_bytes: int) -> None:
    """Undo Amazon S3's ``aws-chunked`` framing (the AWS SDKs' streaming PutObject and
    UploadPart): ``hex-size[;chunk-signature=…]`` CRLF, the bytes, CRLF, up to a zero-size
    chunk and optional trailers (``x-amz-checksum-crc32: …``), which carry no content."""
    written = 0
    with src.open("rb") as fin, dst.open("wb") as fout:
        while True:
            line = fin.readline(MAX_CHUNK_LINE)
            size_text = line.split(b";", 1)[0].strip()
            try:
                size = int(size_text, 16)
            except ValueError:
                raise ValueError(
                    f"aws-chunked body has no chunk size at byte {fin.tell() - len(line)}: {line[:40]!r}"
                ) from None
            if size == 0:
                return
            written += size
            if written > max_bytes:
                raise ValueError(f"aws-chunked body holds more than {max_bytes} bytes")
            remaining = size
            while remaining:
                block = fin.read(min(remaining, BLOCK))
                if not block:
                    raise ValueError("aws-chunked body is truncated")
                fout.write(block)
                remaining -= len(block)
            if fin.read(2) != b"\r\n":
                raise ValueError(f"aws-chunked chunk of {size} bytes does not end in CRLF")


def media_type(content_type: str) -> tuple[str, dict[str, str]]:
    """The lower-case media type of a Content-Type value and its parameters."""
    # Cached: a form's Content-Type repeats from request to request, and the email
    # parser costs more than the rest of decoding a small form (long values are not kept).
    parse = _cached_media_type if len(content_type) <= 256 else _parse_media_type
    media, params = parse(content_type)
    return media, dict(params)


def _parse_media_type(content_type: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    parser = email.parser.HeaderParser(policy=email.policy.compat32)
    msg = parser.parsestr(f"Content-Type: {content_type}\n\n")
    params = tuple((k.lower(), v) for k, v in (msg.get_params() or [])[1:])
    return msg.get_content_type().lower(), params


_cached_media_type = functools.lru_cache(maxsize=256)(_parse_media_type)


_BASE64_VALUE = re.compile(r"[A-Za-z0-9+/_-]+={0,2}")
MAX_EMBEDDED_JSON = 1024 * 1024


def embedded_json(value: str) -> object | None:
    """The JSON object or array ``value`` carries in base64 (standard or URL-safe), or None.

    Apps wrap a whole request document this way (``{"payload": "eyJlbWFpbCI6…"}``); its
    fields are then read like the outer ones. A JWT (dot-separated) is not one document.
    """
    if (
        not 12 <= len(value) <= MAX_EMBEDDED_JSON
        or value[:1] not in "eW"
        or not _BASE64_VALUE.fullmatch(value)
    ):
        return None
    try:
        raw = binascii.a2b_base64(
            value.replace("-", "+").replace("_", "/") + "=" * (-len(value.rstrip("=")) % 4)
        )
        document = json.loads(raw)
    except (binascii.Error, ValueError, RecursionError):
        return None
    return document if isinstance(document, dict | list) else None


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
            # A flag set to true is a field "true": its name may say what the request
            # does (Supabase's passwordless sign-up sends "create_user": true). A false
            # one says the opposite and is left out.
            if node is True:
                yield Field(path, "true", f"{origin_prefix}[{clean_name(path)}]", flag=True)
            elif node is not None and node is not False:
                yield Field(path, str(node), f"{origin_prefix}[{clean_name(path)}]")
            inner = embedded_json(node) if isinstance(node, str) else None
            if inner is not None:  # its values are read as the document's own
                stack.append((f"{path}.base64" if path else "base64", inner, depth + 1))
            continue
        stack.extend((p, v, depth + 1) for p, v in reversed(items))


def _fields_to_parts(fields: Sequence[Field], joined_origin: str) -> list[Part]:
    """Text parts for the pipeline: one per field, or one joined part when there are many.

    A flag (JSON true) carries nothing for the rules and makes no part.
    """
    fields = [f for f in fields if not f.flag]
    if len(fields) <= MAX_FIELDS:
        return [field_part(f.origin, f.value) for f in fields if f.value]
    # The field names go along (not into the text): a key such as cardNumber is a label
    # for the personal-data engine, and must not read as prose to the marking rules.
    keys = (
        next((k for k in reversed(_PATH_STEPS.split(f.name)) if k and not k.isdigit()), "") for f in fields
    )
    names = " ".join(dict.fromkeys(k for k in keys if k))[:MAX_FIELD_NAMES_CHARS]
    return [
        Part(
            origin=joined_origin,
            text="\n".join(f.value for f in fields),
            role="body",
            meta={"field_names": names},
        )
    ]


# A value that is HTML markup (a chat message, a mail body, a rich-text editor's field):
# it opens with a tag and closes one or ends in a tag.
_HTML_VALUE = re.compile(r"\s*<(?:[A-Za-z][A-Za-z0-9-]*|!DOCTYPE)[\s/>]", re.IGNORECASE)
_HTML_END = re.compile(r"(?:</[A-Za-z][A-Za-z0-9-]*\s*>|/>)\s*$")


def field_part(origin: str, value: str) -> Part:
    """The Part for one field's value: text for the rules, or HTML to be read as a page.

    HTML markup sent as a field (Teams and Graph messages, Outlook on the web, editors)
    is extracted like a page: its paragraphs become lines and its entities characters,
    where read as text ``<p><b>TOP&nbsp;SECRET</b></p>`` is no heading line.
    """
    if value[:1] in "< \t\r\n" and _HTML_VALUE.match(value) and _HTML_END.search(value[-200:]):
        return Part(origin=origin, data=value.encode("utf-8"), declared_type="text/html", role="body")
    if _BINARY_STRING.search(value) and _LATIN_1_ONLY.fullmatch(value):
        # A "binary string": a file read with FileReader.readAsBinaryString (or atob) is one
        # character per byte, U+0000-U+00FF, and JSON.stringify / encodeURIComponent send it
        # as such. Read as text, a docx is "PK\x03\x04" and noise; its bytes are the file.
        return Part(origin=origin, data=value.encode("latin-1"))
    return Part(origin=origin, text=value, role="body")


# Control characters no typed text holds (NUL, the C0 range but tab and line ends, DEL and
# C1), which every binary file of some size does; and a value of characters U+0000-U+00FF.
_BINARY_STRING = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_LATIN_1_ONLY = re.compile(r"[\x00-\xff]*")


MAX_FIELD_NAMES_CHARS = 16 * 1024
_PATH_STEPS = re.compile(r"[.\[\]]+")  # customers[3].cardNumber -> customers, 3, cardNumber


def _part_headers(raw: bytes) -> email.message.Message:
    text = raw.decode("utf-8", "replace")
    return email.parser.HeaderParser(policy=email.policy.compat32).parsestr(text + "\n")


def decode_upload(
    body: Path,
    *,
    content_type: str,
    content_encoding: str,
    url_path: str,
    workdir: Path,
    max_bytes: int,
    cut: MultipartSplitter | None = None,
    grpc_encoding: str = "",
) -> UploadBody:
    """Turn a spooled request body into Parts and fields (blocking; run it off the loop).

    ``cut``: the multipart parts already cut while the body arrived (``multipart_cutter``);
    used when it was cut on this body's boundary and no content-encoding had to be undone.
    ``grpc_encoding``: the request's ``grpc-encoding`` (compressed grpc-web frames).
    """
    out = UploadBody()
    codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
    try:
        decoded = decode_content(body, workdir / "decoded", codings, max_bytes)
    except ValueError as exc:
        # Fail closed: what we cannot decode we cannot inspect.
        out.problems.append(policy_hit("extract.unparseable", "high", "upload:body", str(exc)))
        out.parts.append(Part(origin="upload:body", path=body))
        return out
    media, params = media_type(content_type or "application/octet-stream")
    size = decoded.stat().st_size
    if media == "multipart/form-data" and params.get("boundary"):
        boundary = params["boundary"].encode("utf-8", "replace")
        ready = (
            _parts_cut(cut)
            if cut is not None and decoded == body and cut.delimiter == b"\r\n--" + boundary
            else None
        )
        _decode_multipart(decoded, boundary, workdir, out, parts=ready)
    elif media.startswith("multipart/") and params.get("boundary"):
        # Every other multipart body carries files as parts too: Google Drive's multipart
        # upload (multipart/related: JSON metadata, then the file's raw bytes), SOAP with
        # MTOM/XOP attachments, Google and OData batches (multipart/mixed of application/http).
        boundary = params["boundary"].encode("utf-8", "replace")
        _decode_multipart(decoded, boundary, workdir, out, prefix="upload:multipart")
    elif (media == "application/x-www-form-urlencoded" and size <= MAX_FORM_BYTES
          and form_shaped(raw := decoded.read_bytes())):
        _decode_form(raw, params, out)
    elif (
        _is_json_media(media) or (media in _JSON_AS_TEXT and size <= MAX_FORM_BYTES and _starts_json(decoded))
    ) and size <= MAX_FORM_BYTES:
        # JSON sent as text/plain (a CORS "simple request" needs no preflight) is still JSON.
        raw = decoded.read_bytes()
        if not _decode_json(raw, out):
            out.parts.append(Part(origin="upload:body", path=decoded, declared_type=media))
    elif (
        is_grpc_media(media)
        and size <= MAX_FORM_BYTES
        and _decode_grpc(decoded, media, grpc_encoding, workdir, out)
    ):
        pass
    else:
        name = urllib.parse.unquote(url_path.rsplit("/", 1)[-1])
        name = clean_name(name) if "." in name else ""
        origin = f"upload:body:{name}" if name else "upload:body"
        out.parts.append(
            Part(
                origin=origin,
                path=decoded,
                name=name,
                declared_type="" if media in UNTYPED_FORM else media,
            )
        )
        out.files[origin] = decoded
    return out


def _decode_grpc(path: Path, media: str, encoding: str, workdir: Path, out: UploadBody) -> bool:
    """A grpc-web or protobuf body's values into ``out``; False (nothing added) when it does
    not parse, and the body is inspected as bytes instead."""
    try:
        found = [
            value
            for index, message in enumerate(grpc_web.messages(path.read_bytes(), media, encoding))
            for value in grpc_web.values(message, f"{index}")
        ]
    except ValueError:
        return False
    fields = []
    for value in found:
        origin = f"upload:grpc[{clean_name(value.path)}]"
        if value.text is not None:
            fields.append(Field(value.path, value.text, origin))
        elif value.data is not None:
            target = workdir / f"grpc-{len(out.files)}"
            target.write_bytes(value.data)
            out.parts.append(Part(origin=origin, path=target))
            out.files[origin] = target
    out.fields += fields
    out.parts += _fields_to_parts(fields, "upload:grpc")
    return True


def decodes_in_memory(content_type: str, content_encoding: str, size: int) -> bool:
    """Whether a body of ``size`` bytes is decoded from memory (``decode_small_upload``).

    Small forms and JSON documents without a content-encoding hold fields only: they need
    no spool directory, and decoding them costs less than a hop to a thread. Anything
    that may hold files (multipart) or expand (gzip) is spooled and decoded off the loop.
    """
    if size > SMALL_UPLOAD or content_encoding.strip(" \t,").lower() not in ("", "identity"):
        return False
    media, _ = media_type(content_type or "application/octet-stream")
    return media == "application/x-www-form-urlencoded" or _is_json_media(media)


def decode_small_upload(body: bytes, *, content_type: str) -> UploadBody:
    """Fields and Parts of a body that ``decodes_in_memory`` accepted (cheap; on the loop)."""
    out = UploadBody()
    media, params = media_type(content_type)
    if media == "application/x-www-form-urlencoded" and form_shaped(body):
        _decode_form(body, params, out)
    elif media == "application/x-www-form-urlencoded":
        out.parts.append(Part(origin="upload:body", data=body))  # a file: see form_shaped
    elif not _decode_json(body, out):
        out.parts.append(Part(origin="upload:body", data=body, declared_type=media))
    return out


_MEDIA_WORDS = re.compile(r"[a-z0-9]+")


def _is_json_media(media: str) -> bool:
    """JSON by its media type: application/json, any +json (RFC 6839), and the types
    APIs name JSON in otherwise (application/x-amz-json-1.1, text/json, application/x-json)."""
    if media == "application/json" or media.endswith("+json"):
        return True
    top, _, subtype = media.partition("/")
    return top in ("application", "text") and "json" in _MEDIA_WORDS.findall(subtype)


# Characters no form body holds: a browser percent-encodes them, and so does every client
# that writes a form (curl -d sends text as typed, but text has none of these).
_NOT_FORM = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")


def form_shaped(raw: bytes) -> bool:
    """Whether a body declared application/x-www-form-urlencoded is a form: UTF-8 text
    without control characters. ``curl --data-binary @bids.pdf`` declares a file so (curl's
    default type for -d), and a server that ignores the type stores the file: such a body
    is inspected as the file it is, not split at its & and = bytes into noise."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return _NOT_FORM.search(text) is None


def _decode_form(raw: bytes, params: dict[str, str], out: UploadBody) -> None:
    """An urlencoded form's fields into ``out`` (fields and one text Part per field)."""
    text = raw.decode("utf-8", "replace")
    charset = _form_charset(raw, params)
    try:
        pairs = urllib.parse.parse_qsl(
            text,
            keep_blank_values=True,
            max_num_fields=MAX_FIELDS * 10,
            encoding=charset,
            errors="replace",
        )
    except ValueError:
        pairs = []
        out.problems.append(
            policy_hit(
                "extract.unparseable", "high", "upload:form", f"more than {MAX_FIELDS * 10} form fields"
            )
        )
        out.parts.append(Part(origin="upload:form", text=text))
    fields = [Field(k, v, f"upload:form[{clean_name(k)}]") for k, v in pairs]
    for name, value in pairs[:MAX_FIELDS]:
        inner = embedded_json(value)
        if inner is not None:
            fields += _json_fields(inner, f"upload:form[{clean_name(name)}].base64")
    out.fields += fields
    out.parts += _fields_to_parts(fields, "upload:form")
    out.parts += _binary_values(raw, charset)


def _binary_values(raw: bytes, charset: str) -> list[Part]:
    """Form values whose bytes are no text in the form's charset, each a Part of its bytes.

    ``curl --data-urlencode name@file`` and scripts send a whole file percent-encoded in
    one field, and the server's form parser hands the application those bytes. Decoded as
    text they are U+FFFD and noise; as bytes they are typed and opened like an upload.
    """
    found: list[Part] = []
    for pair in raw.split(b"&")[:MAX_FIELDS]:
        name, _, value = pair.partition(b"=")
        if b"%" not in value:
            continue
        data = urllib.parse.unquote_to_bytes(value.replace(b"+", b" "))
        try:
            data.decode(charset)
            continue  # text: read as the field above
        except UnicodeDecodeError:
            pass
        key = clean_name(urllib.parse.unquote_plus(name.decode("ascii", "replace")))
        found.append(Part(origin=f"upload:form[{key}]:bytes", data=data))
    return found


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


UNTYPED_MEDIA = {"application/octet-stream", "application/offset+octet-stream"}
# A body under these types that reaches the file branch is typed by its bytes alone.
UNTYPED_FORM = {"application/octet-stream", "application/x-www-form-urlencoded"}
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
        if candidate and (codec := codec_name(candidate)):
            return codec
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


def _field_media(declared: str) -> bool:
    """Whether a part of this declared type is a field's value (text) rather than a file."""
    top, _, subtype = declared.partition("/")
    return (not declared or top == "text" or subtype in ("x-www-form-urlencoded", "xml")
            or _is_json_media(declared) or subtype.endswith("+xml"))


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


HTTP_HEAD_BYTES = 64 * 1024  # an embedded request's line and headers must end within this


def _http_message_body(data: Path) -> tuple[Path, str]:
    """The body of the HTTP request an application/http part carries (a batch's item, RFC
    9112 section 2.1 as Google and OData batches embed it) and its declared type; the part
    as it is when it holds no request head."""
    with data.open("rb") as f:
        head = f.read(HTTP_HEAD_BYTES)
        end = head.find(b"\r\n\r\n")
        gap = 4
        if end < 0:
            end, gap = head.find(b"\n\n"), 2
        if end < 0:
            return data, "application/octet-stream"
        _, _, fields = head[:end].partition(b"\n")
        declared = _part_headers(fields).get_content_type() if b"content-type" in fields.lower() else ""
        f.seek(end + gap)
        target = data.with_name(data.name + ".http-body")
        with target.open("wb") as out:
            shutil.copyfileobj(f, out)
    return target, declared


def multipart_cutter(content_type: str, content_encoding: str, workdir: Path) -> MultipartSplitter | None:
    """A splitter to feed a body while it arrives, when it is multipart/form-data as sent
    (no content-encoding to undo first); None otherwise."""
    if content_encoding.strip(" \t,").lower() not in ("", "identity"):
        return None
    media, params = media_type(content_type or "application/octet-stream")
    if media != "multipart/form-data" or not params.get("boundary"):
        return None
    return MultipartSplitter(params["boundary"].encode("utf-8", "replace"), workdir)


def _parts_cut(cut: MultipartSplitter) -> Iterator[tuple[bytes, Path]]:
    """The parts a splitter cut, then its error as a ValueError (like split_multipart_file)."""
    parts, error = cut.finish()
    yield from parts
    if error:
        raise ValueError(error)


def _decode_multipart(
    path: Path,
    boundary: bytes,
    workdir: Path,
    out: UploadBody,
    prefix: str = "upload:form",
    nesting: int = 0,
    parts: Iterator[tuple[bytes, Path]] | None = None,
) -> None:
    if parts is None:
        parts = split_multipart_file(path, boundary, workdir)
    try:
        for index, (raw_headers, data) in enumerate(parts, 1):
            headers = _part_headers(raw_headers)
            name = clean_name(headers.get_param("name", "", header="content-disposition") or "")
            if isinstance(name, tuple):  # RFC 2231 form
                name = clean_name(email.utils.collapse_rfc2231_value(name))
            filename = headers.get_filename()
            declared = headers.get_content_type() if headers.get("content-type") else ""
            data = _transfer_decoded(headers, data)
            if declared == "application/http":
                data, declared = _http_message_body(data)
            inner = headers.get_param("boundary") if declared.startswith("multipart/") else None
            if inner and nesting < MAX_MULTIPART_NESTING:
                # multipart/mixed inside form-data (RFC 2388's several files in one field).
                sub = workdir / f"{data.name}-parts"
                sub.mkdir(exist_ok=True)
                _decode_multipart(
                    data,
                    str(inner).encode("utf-8", "replace"),
                    sub,
                    out,
                    prefix=f"{prefix}[{name or 'mixed'}]",
                    nesting=nesting + 1,
                )
                continue
            if filename is not None:
                filename = clean_name(filename.replace("\\", "/").rsplit("/", 1)[-1]) or "unnamed"
                origin = f"{prefix}[{name}]:{filename}" if name else f"{prefix}:{filename}"
                out.parts.append(Part(origin=origin, path=data, name=filename, declared_type=declared))
                out.files[origin] = data
                continue
            origin = f"{prefix}[{name or index}]"
            if data.stat().st_size > MAX_FIELD_TEXT:
                out.parts.append(Part(origin=origin, path=data, declared_type=declared))
                continue
            raw = data.read_bytes()
            value = raw.decode("utf-8", "replace")
            if not _field_media(declared) or ("\ufffd" in value and not _is_utf8(raw)):
                # A file with no file name: `curl -F "field=<bids.pdf"`, Drive's media part,
                # an MTOM attachment. Its bytes are the file, typed and opened as one.
                out.fields.append(Field(name, value, origin))
                out.parts.append(Part(origin=origin, path=data, declared_type=declared))
                out.files[origin] = data
                continue
            out.fields.append(Field(name, value, origin))
            if value.lstrip()[:1] in ("{", "["):
                with contextlib.suppress(ValueError, RecursionError):
                    out.fields += _json_fields(json.loads(value), f"{origin}.json")
            if value:
                out.parts.append(field_part(origin, value))
    except ValueError as exc:
        out.problems.append(policy_hit("extract.unparseable", "high", "upload:form", str(exc)))
        out.parts.append(Part(origin="upload:body", path=path))
