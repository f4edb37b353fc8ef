"""RFC 5322 / MIME mail: headers become text parts, bodies and attachments content parts."""

from __future__ import annotations

import binascii
import io
import itertools
import re
import sys
from collections.abc import Iterator
from email import errors as email_errors

# email._policybase, not email.policy (which re-exports it): that one also loads the
# header registry and its parser, 5 ms of every scan process, for policies never used here.
from email._policybase import compat32
from email.feedparser import BytesFeedParser
from email.generator import BytesGenerator
from email.message import Message
from email.parser import BytesParser

import pybase64

from filters.errors import LimitReached, UnparseableContent
from filters.extract import multipart
from filters.extract.text import codec_name, decode_text
from filters.limits import Budget
from filters.types import Defect, Part

# compat32 is ~7x faster than policy.default on a 10 KB message and ~13% faster on 5 MB
# (measured: 0.24 ms vs 1.64 ms, 82 ms vs 94 ms); we decode headers ourselves anyway.
POLICY = compat32
FEED_CHUNK = 64 * 1024
MAX_HEADERS = 10_000  # per MIME entity: a header flood must not cost unbounded text parts
MAX_HEADER_CHARS = 256 * 1024  # longer header values are cut, and the cut is reported
MAX_UU_BLOCKS = 100  # inline uuencoded blocks decoded per text body
MAX_FILENAME_CHARS = 1024
MIN_GUESS_BYTES = 16

# Headers of inner MIME parts that only describe the structure (the file name is scanned
# from Part.name), so yielding them would double every file-name hit.
_STRUCTURAL = frozenset({"content-type", "content-disposition", "content-transfer-encoding",
                         "content-id", "mime-version", "content-length"})
_BODY_TYPES = frozenset({"text/plain", "text/html"})
_MESSAGE_TYPES = frozenset({"message/rfc822", "message/global", "message/news"})
_UU_CTES = frozenset({"x-uuencode", "uuencode", "x-uue", "uue"})
_IDENTITY_CTES = frozenset({"", "7bit", "8bit", "binary"})

# Charsets that byte sniffing cannot read (7-bit stateful, or full of NULs): a text body
# labelled with one is transcoded to UTF-8 here, where the label is still known.
_TRANSCODE = ("utf-16", "utf-32", "iso2022", "utf-7", "hz")

# Mail labelled with a subset charset routinely carries its superset.
_WIDER = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs", "ascii": "utf-8",
          "iso2022_jp": "iso2022_jp_2", "shift_jis": "cp932", "euc_kr": "cp949",
          "latin_1": "cp1252", "iso8859-1": "cp1252"}

_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
_UU_BEGIN = re.compile(rb"begin ([0-7]{3,4}) ([^\r\n]{1,1024})")
# Where "begin " may start a block: the expression's literal search ran at twice the
# speed of bytes.find over a megabyte (0.27 against 0.55 ms with no "b" in it).
_UU_WORD = re.compile(rb"begin ")
_B64_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_B64_JUNK = bytes(b for b in range(256) if b not in _B64_ALPHABET + b"=")
_WHITESPACE = b" \t\r\n"

_TRUNCATED = {
    email_errors.StartBoundaryNotFoundDefect:
        "the first MIME boundary of a multipart section is missing: the message is likely "
        "cut off, so content may be missing",
    email_errors.CloseBoundaryNotFoundDefect:
        "the closing MIME boundary is missing: the message was likely cut off, so content "
        "may be missing",
    email_errors.MultipartInvariantViolationDefect:
        "a multipart section has no parts: its content is likely missing",
}
_COSMETIC = {
    email_errors.NoBoundaryInMultipartDefect:
        "a multipart section declares no boundary; its body was inspected as one text part",
    email_errors.MissingHeaderBodySeparatorDefect:
        "the header block is not followed by a blank line",
    email_errors.FirstHeaderLineIsContinuationDefect:
        "the first header line is a continuation line",
    email_errors.MisplacedEnvelopeHeaderDefect:
        "an mbox 'From ' line appears among the headers",
    email_errors.InvalidMultipartContentTransferEncodingDefect:
        "a multipart section declares a transfer encoding other than 7bit/8bit/binary",
}


def extract(part: Part, budget: Budget) -> Iterator[Part | Defect]:
    """Header text parts, then every MIME leaf as a content part (depth-first)."""
    message = _parse(part, budget)
    if not message.keys():
        raise UnparseableContent("not a mail message: no header fields at the start")
    yield from _report_defects(message, part.origin)
    hint = WriterCharset(message)
    yield from _headers(part, budget, message, hint, prefix="", structural=True)
    yield from _walk(part, budget, message, hint)


def _parse(part: Part, budget: Budget) -> Message:
    """The parsed message, fed in chunks so the time limit is checked while parsing."""
    limit = budget.limits.max_part_bytes
    if part.size > limit:
        raise LimitReached("max_part_bytes", f"mail of {part.size} bytes is larger than {limit}")
    single = _parse_single_part(part)
    if single is not None:
        return single
    with part.open() as stream:
        tree = multipart.parse(stream.read(), POLICY)
    if tree is not None:
        return tree
    parser = BytesFeedParser(policy=POLICY)
    try:
        with part.open() as stream:
            while chunk := stream.read(FEED_CHUNK):
                parser.feed(chunk)
                budget.check_time()
        return parser.close()
    except RecursionError as exc:
        raise UnparseableContent("MIME parts are nested too deeply to parse") from exc


_HEADER_END = re.compile(rb"\r?\n\r?\n")
_CONTENT_TYPE = re.compile(rb"^content-type:", re.IGNORECASE | re.MULTILINE)
# A Content-Type email reads as multipart/* or message/* whatever else the header says:
# the type, a token, then a parameter or the end of an unfolded line.
_COMPOUND_TYPE = re.compile(
    rb"^content-type:[ \t]*(?:multipart|message)/[!#$%&'*+.^_`|~0-9A-Za-z-]+[ \t]*(?:;|\r?\n(?![ \t]))",
    re.IGNORECASE | re.MULTILINE)


def _declares_compound(block: bytes) -> bool:
    """Whether the header block ``block`` has one Content-Type, of multipart/* or message/*
    (the full reading is needed: parsing the headers alone would be thrown away)."""
    return len(_CONTENT_TYPE.findall(block)) == 1 and _COMPOUND_TYPE.search(block) is not None


def _parse_single_part(part: Part) -> Message | None:
    """A single-part message parsed from its header block alone, or None.

    The feed parser walks every body line in Python, which is most of the cost of a
    large plain-text mail; a single-part body has no boundaries to find, so it is
    taken as it stands. Anything multipart, message/* or with a header defect goes
    to the full parser.
    """
    with part.open() as stream:
        head = stream.read(FEED_CHUNK)
        end = _HEADER_END.search(head)
        if end is None or _declares_compound(head[: end.end()]):
            return None
        # Headers only: the feed parser would otherwise compile a multipart's boundary
        # pattern (one per mail, never reused) only for this reading to be dropped.
        message = BytesParser(policy=POLICY).parsebytes(head[: end.end()], headersonly=True)
        if (message.defects or not message.keys()
                or message.get_content_maintype() in ("multipart", "message")):
            return None
        # A mail in memory is decoded from a view of its bytes: reading the rest and
        # joining it to the head made two fresh megabytes for a 1 MB mail (0.64 ms,
        # mostly the page faults of the second; the view costs no copy).
        body = (memoryview(part.data)[end.end():] if part.path is None
                else head[end.end():] + stream.read())
    # Exactly what the feed parser would store: the body as surrogate-escaped text.
    message.set_payload(str(body, "ascii", "surrogateescape"))
    return message


def _walk(part: Part, budget: Budget, message: Message, hint: WriterCharset
          ) -> Iterator[Part | Defect]:
    """Yield every leaf of the MIME tree in document order, numbered from 1."""
    numbers = itertools.count(1)
    containers = itertools.count(1)
    entities = 0
    stack: list[Message] = [message]
    while stack:
        entity = stack.pop()
        entities += 1
        if entities > budget.limits.max_parts:
            raise LimitReached(
                "max_parts", f"more than {budget.limits.max_parts} MIME parts", fatal=True
            )
        budget.check_time()
        # is_multipart, not get_payload(): on a leaf with 8-bit bytes get_payload() decodes
        # them with the charset parameter, which is a tuple when written RFC 2231's way
        # ("charset*=utf-8''utf-8") and raised TypeError, holding the mail as extract.failed.
        if entity.is_multipart() and entity.get_content_maintype() != "message":
            payload = entity.get_payload()
            prefix = ""
            if entity is not message:
                yield from _report_defects(entity, part.origin)
                prefix = f"multipart[{next(containers)}]/"
                yield from _headers(part, budget, entity, hint, prefix=prefix)
            # Text before the first boundary and after the last: no client shows it, but
            # it travels with the mail, so a marking there must not pass unread.
            for where, text in (("#preamble", entity.preamble), ("#epilogue", entity.epilogue)):
                if text and text.strip():
                    yield budget.child(part, f"{prefix}{where}".lstrip("/"),
                                       text=_surrogate_text(text), role="body")
            stack.extend(reversed(payload))
            continue
        yield from _leaf(part, budget, entity, numbers, hint, is_root=entity is message)


def _leaf(
    part: Part, budget: Budget, entity: Message, numbers: Iterator[int], hint: WriterCharset,
    *, is_root: bool
) -> Iterator[Part | Defect]:
    """One MIME leaf: its headers, then its decoded content as a content part."""
    number = next(numbers)
    fields = multipart.ContentType(entity)
    content_type = fields.type
    filename, name_problems = _filename(entity, fields, hint)
    is_message = fields.maintype == "message"
    if is_message and (filename or content_type in _MESSAGE_TYPES):
        label = f"attachment[{number}]:{_label_name(filename) if filename else 'message.eml'}"
    elif (content_type in _BODY_TYPES and not filename
          and entity.get_content_disposition() != "attachment"):
        label = f"body[{number}]"
    elif filename:
        label = f"attachment[{number}]:{_label_name(filename)}"
    else:
        label = f"attachment[{number}]"
    where = part.child_origin(label)
    for problem in name_problems:
        yield Defect("mail.defect", "low", problem, where)
    if not is_root:
        yield from _report_defects(entity, where)
        yield from _headers(part, budget, entity, hint, prefix=f"{label}/")

    if content_type == "message/partial":
        # RFC 2046 5.2.2: a mail split into several, each carrying a piece of its bytes. A
        # marking cut in two is in no one piece, so a fragment is never passed as read.
        yield Defect("mail.fragment", "high",
                     f"fragment {fields.param('number', '?')} of {fields.param('total', '?')} "
                     "of a mail split into several (message/partial): it can only be read whole",
                     where)
    charset = fields.charset() or ""
    declared = content_type
    if is_message:
        data, problems = _inner_message(entity)
        if content_type in _MESSAGE_TYPES:
            declared = "message/rfc822"
    else:
        data, problems, stray = _transfer_decode(entity, budget)
        if fields.maintype == "multipart":
            declared = "text/plain"  # a multipart with no boundary: inspect its body as text
    for rule, severity, problem in problems:
        yield Defect(rule, severity, problem, where)
    if not is_message:
        yield from _other_readings(part, budget, entity, label, declared, where)
        if stray >= LYING_BASE64_CHARS:
            yield from _as_sent(part, budget, entity, label)

    if not data and not filename and not is_message:
        return  # nothing to inspect (a message with headers only, an empty body)
    if content_type.startswith("text/") and (_codec(charset) or "").startswith(_TRANSCODE):
        data, charset = _transcode(data, charset)
    elif content_type.startswith("text/") and charset.lower() in _VISUAL_HEBREW:
        data, charset = _logical_hebrew(data)
    blocks = _uu_blocks(data, budget) if content_type == "text/plain" else []
    if content_type == "text/plain" and str(fields.param("format", "")).lower() == "flowed":
        data = unflow(data, budget, delsp=str(fields.param("delsp", "")).lower() == "yes")
    data, path = budget.collect((data,), what=where)
    # AppleDouble (RFC 1740) names its header part after the file it describes; the
    # name belongs to the data fork beside it, which is scanned under it.
    yield budget.child(part, label, data=data, path=path,
                       name=filename if content_type != "application/applefile" else "",
                       declared_type=declared, charset=charset)
    for index, (name, decoded, complete) in enumerate(blocks):
        if index >= MAX_UU_BLOCKS:
            yield Defect("mail.limit", "medium",
                         f"more than {MAX_UU_BLOCKS} uuencoded files in one body; "
                         "the rest were not inspected", where)
            break
        uu_label = f"attachment[{next(numbers)}]:{_label_name(name)}"
        if not complete:
            yield Defect("mail.truncated", "medium",
                         "an inline uuencoded file has no 'end' line: it was likely cut off",
                         part.child_origin(uu_label))
        decoded, uu_path = budget.collect((decoded,), what=uu_label)
        yield budget.child(part, uu_label, data=decoded, path=uu_path, name=name)


# -- headers ---------------------------------------------------------------------------


# RFC 7444 security label fields: the label="..." parameter is base64 (an ESS label or a
# STANAG 4774 XML label of a kilobyte or more), folded over lines; the blanks unfolding
# leaves inside it are no part of it, and left in they cut the value into pieces that
# decode to broken XML.
_SECURITY_LABEL_FIELDS = frozenset({"sio-label", "sio-label-history"})
_SIO_LABEL_VALUE = re.compile(r'(\blabel\s*=\s*")([A-Za-z0-9+/=\s]*)"', re.IGNORECASE)


def _headers(
    part: Part, budget: Budget, entity: Message, hint: WriterCharset, *, prefix: str,
    structural: bool = False
) -> Iterator[Part | Defect]:
    """One text part per header of ``entity``; structural MIME headers only when asked."""
    # raw_items(): items() would turn 8-bit header bytes into U+FFFD before we can decode.
    for index, (name, raw) in enumerate(entity.raw_items()):
        if index >= MAX_HEADERS:
            yield Defect("mail.limit", "medium",
                         f"more than {MAX_HEADERS} header fields; the rest were not inspected",
                         part.origin)
            return
        budget.check_time()
        if not structural and name.lower() in _STRUCTURAL:
            continue
        value = raw if isinstance(raw, str) else str(raw)
        if len(value) > MAX_HEADER_CHARS:
            value = value[:MAX_HEADER_CHARS]
            yield Defect("mail.limit", "medium",
                         f"header {name} is longer than {MAX_HEADER_CHARS} characters; "
                         "the rest was not inspected", part.child_origin(f"{prefix}header:{name}"))
        text, problems = decode_header(value, hint)
        if name.lower() in _SECURITY_LABEL_FIELDS:
            text = _SIO_LABEL_VALUE.sub(lambda m: m[1] + re.sub(r"\s+", "", m[2]) + '"', text)
        is_subject = name.lower() == "subject"
        label = f"{prefix}header:{'Subject' if is_subject else name}"
        for problem in problems:
            yield Defect("mail.defect", "low", f"header {name}: {problem}",
                         part.child_origin(label))
        yield budget.child(part, label, text=text, role="subject" if is_subject else "header",
                           name=name)


def decode_header(value: str, hint: WriterCharset | None = None) -> tuple[str, list[str]]:
    """Unfold a raw header value and decode RFC 2047 encoded words; returns text and problems.

    Adjacent encoded words in one charset are joined before decoding, because encoders
    split multi-byte characters across words. An undecodable word keeps its raw text.
    Raw 8-bit text outside encoded words is read as UTF-8, else in ``hint``'s charset.
    """
    value = value.replace("\r", "").replace("\n", "")  # RFC 5322 2.2.3 unfolding
    problems: list[str] = []
    if "=?" not in value:
        return _raw_header_text(value, hint), problems
    pieces: list[str] = []
    pending: bytearray | None = None  # bytes of consecutive encoded words in one charset
    pending_charset = ""
    pending_raw: list[str] = []
    position = 0

    def flush() -> None:
        nonlocal pending
        if pending is not None:
            text = _decode_bytes(bytes(pending), pending_charset)
            if text is None:
                problems.append(f"cannot decode {pending_charset!r} text; kept it undecoded")
                text = "".join(pending_raw)
            pieces.append(text)
            pending = None
            pending_raw.clear()

    for match in _ENCODED_WORD.finditer(value):
        between = value[position:match.start()]
        # RFC 2047 6.2: white space between adjacent encoded words is not displayed.
        if between and not (between.isspace() and pending is not None):
            flush()
            pieces.append(_raw_header_text(between, hint))
        position = match.end()
        charset = match.group(1).split("*", 1)[0].lower()  # RFC 2231 5: language suffix
        word = _word_bytes(match.group(2), match.group(3))
        if word is None:
            flush()
            problems.append(f"malformed encoded word {match.group(0)[:60]!r}; kept it undecoded")
            pieces.append(match.group(0))
            continue
        if pending is not None and charset != pending_charset:
            flush()
        if pending is None:
            pending, pending_charset = bytearray(), charset
        pending += word
        pending_raw.append(match.group(0))
    flush()
    if position < len(value):
        pieces.append(_raw_header_text(value[position:], hint))
    return "".join(pieces), problems


def _word_bytes(encoding: str, payload: str) -> bytes | None:
    """The bytes of one encoded word's payload, or None when it is not valid."""
    try:
        raw = payload.encode("ascii")
    except UnicodeEncodeError:
        return None
    if encoding in "qQ":
        return binascii.a2b_qp(raw, header=True)
    raw = raw.rstrip(b"=")
    if len(raw) % 4 == 1 or raw.translate(None, _B64_ALPHABET):
        return None
    try:
        return binascii.a2b_base64(raw + b"=" * (-len(raw) % 4))
    except binascii.Error:
        return None


class WriterCharset:
    """The charset a mail's writer used for raw 8-bit header bytes, by what it declares.

    RFC 6532 makes raw header bytes UTF-8, but clients set to a legacy locale write the
    subject or a file name in it unencoded (GBK, Big5, Shift_JIS, KOI8-R), and label only
    their bodies. A guess from a few bytes of a header is mostly wrong (GBK's 机密文件
    reads as Korean), so the charset the mail's own parts declare is the better reading:
    the first one beyond ASCII and UTF-8, looked for only when such bytes are met.
    """

    __slots__ = ("_charset", "_message")

    def __init__(self, message: Message) -> None:
        self._message = message
        self._charset: str | None = None

    def charset(self) -> str:
        """The first legacy charset the mail's parts declare, or "" when there is none."""
        if self._charset is None:
            self._charset = ""
            for entity in self._message.walk():
                codec = _codec(multipart.ContentType(entity).charset() or "")
                if codec is not None and codec not in ("ascii", "utf-8"):
                    self._charset = codec
                    break
        return self._charset


def _raw_header_text(value: str, hint: WriterCharset | None = None) -> str:
    """Header text as written; raw 8-bit bytes (RFC 6532 or unlabelled) are decoded:
    as UTF-8 when they are, else in the charset the mail declares, else by a guess."""
    if value.isascii():
        return value
    raw = value.encode("ascii", "surrogateescape") if _has_surrogates(value) else None
    if raw is None:
        return value
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and max(text) >= "\u0800":
        return text  # three-byte UTF-8 characters: no legacy charset reads as those by chance
    charset = hint.charset() if hint is not None else ""
    # A few bytes of GBK or Big5 are often valid UTF-8 too (通知 in GBK reads as two
    # combining marks). Chinese, Japanese and Korean are three bytes a character in
    # UTF-8: where the mail declares such a charset and the UTF-8 reading has no
    # character beyond two bytes, the declared charset is the likelier writer.
    if text is not None and charset not in _EAST_ASIAN:
        return text
    if charset:
        try:
            return raw.decode(charset)
        except UnicodeDecodeError:
            pass
    return text if text is not None else decode_text(raw)[0]


_EAST_ASIAN = frozenset({"gb18030", "big5hkscs", "cp932", "shift_jis", "euc_jp", "euc_jis_2004",
                         "cp949", "euc_kr", "iso2022_jp_2", "johab", "big5", "cp950", "gbk"})


def _has_surrogates(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _codec(charset: str) -> str | None:
    """The Python codec for a MIME charset name, widened to its common superset."""
    if not charset:
        return None  # most plain mail names none: a failed look-up is never cached
    name = codec_name(charset)
    return None if name is None else _WIDER.get(name, name)


def _decode_bytes(raw: bytes, charset: str) -> str | None:
    """Decode with the labelled charset, else UTF-8, else a guess for unknown labels."""
    codec = _codec(charset)
    for candidate in (codec, "utf-8"):
        if candidate is None:
            continue
        try:
            return raw.decode(candidate)
        except UnicodeDecodeError:
            continue
    # An unknown label ("unknown-8bit", "x-user-defined"): guess, when there is enough
    # text for a guess to mean anything.
    if codec is None and len(raw) >= MIN_GUESS_BYTES:
        text, _encoding, lossy = decode_text(raw)
        if not lossy:
            return text
    return None


# -- file names ------------------------------------------------------------------------


_BEYOND_LATIN1 = re.compile("[^\x00-\xff\udc80-\udcff]+")


def _filename(entity: Message, fields: multipart.ContentType, hint: WriterCharset
              ) -> tuple[str, list[str]]:
    """The attachment's file name (RFC 2231 and RFC 2047 decoded) and decoding problems."""
    raw = next((value for key, value in multipart.params_as_sent(entity, "content-disposition") or ()
                if key.lower() == "filename"), None)
    if raw is None:
        raw = fields.param("name")
    if raw is None:
        return "", []
    problems: list[str] = []
    if isinstance(raw, tuple):  # RFC 2231: (charset, language, %-decoded bytes as latin-1)
        charset, _language, value = raw
        # %-escapes come decoded as latin-1 and raw 8-bit bytes (a client writing
        # "filename*=utf-8''Grüße.pdf" unescaped) as surrogate escapes; anything beyond
        # latin-1 is kept as its UTF-8, not raised on.
        data = _BEYOND_LATIN1.sub(lambda m: m.group().encode("utf-8", "surrogatepass").decode("latin-1"),
                                  value).encode("latin-1", "surrogateescape")
        name = _decode_bytes(data, charset or "utf-8")
        if name is None:
            problems.append(f"cannot decode file name in charset {charset!r}")
            name = data.decode("utf-8", "replace")
    else:
        name = _raw_header_text(str(raw), hint)
    name, word_problems = decode_header(name[:MAX_FILENAME_CHARS], hint)
    problems.extend(f"file name: {p}" for p in word_problems)
    return name.strip(), problems


def _label_name(filename: str) -> str:
    """The file name as shown in an origin path: last path component, no slashes."""
    base = filename.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    return "".join(c for c in base if c.isprintable()) or "unnamed"


# -- content decoding ------------------------------------------------------------------


def _transfer_decode(entity: Message, budget: Budget
                     ) -> tuple[bytes, list[tuple[str, str, str]], int]:
    """The leaf's body with its Content-Transfer-Encoding undone, problems found, and for
    base64 how many bytes of it are neither base64 nor line ends (``_as_sent``)."""
    # get_payload() would decode 8-bit bytes lossily with the declared charset; the raw
    # payload keeps them as surrogate escapes (that is how BytesParser stores them).
    payload = entity._payload
    if not isinstance(payload, str):
        return b"", [], 0
    raw = payload.encode("ascii", "surrogateescape")
    cte = str(entity.get("content-transfer-encoding", "")).strip().lower()
    if cte == "base64":
        return _base64(raw)
    if cte == "quoted-printable":
        return binascii.a2b_qp(raw), [], 0
    if cte in _UU_CTES:
        blocks = _uu_blocks(raw, budget)
        if not blocks:
            data, complete = _uu_lines(raw, 0, budget)
            blocks = [("", data, complete)]
        _name, data, complete = blocks[0]
        problems = [] if complete else [(
            "mail.truncated", "medium", "uuencoded content has no 'end' line: likely cut off")]
        return data, problems, 0
    if cte not in _IDENTITY_CTES:
        return raw, [("mail.defect", "low",
                      f"unknown transfer encoding {cte[:40]!r}; content inspected as it is")], 0
    return raw, [], 0


def _surrogate_text(text: str) -> str:
    """Text the parser kept with 8-bit bytes as surrogate escapes, decoded as UTF-8."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _other_readings(part: Part, budget: Budget, entity: Message, label: str, declared: str,
                    where: str) -> Iterator[Part | Defect]:
    """A part with two different Content-Transfer-Encoding headers is ambiguous: clients
    differ on which one counts, so it is held, and every other reading is inspected too."""
    values = [str(v).strip().lower() for v in entity.get_all("content-transfer-encoding") or []]
    readings = list(dict.fromkeys(values))
    if len(readings) < 2:
        return
    yield Defect("mail.ambiguous", "high",
                 f"the part has {len(values)} Content-Transfer-Encoding headers "
                 f"({', '.join(v[:20] for v in readings[:4])}); mail clients read it differently",
                 where)
    for cte in readings[1:4]:
        del entity["content-transfer-encoding"]
        entity["Content-Transfer-Encoding"] = cte
        data, _problems, _stray = _transfer_decode(entity, budget)
        if data:
            data, path = budget.collect((data,), what=where)
            yield budget.child(part, f"{label}#as-{re.sub(r'[^a-z0-9-]', '', cte)[:20]}",
                               data=data, path=path, declared_type=declared)


_BASE64_LINES = _B64_ALPHABET + b"=\r\n"
LYING_BASE64_CHARS = 4  # blanks or punctuation inside base64 lines before the body is read as sent


def _as_sent(part: Part, budget: Budget, entity: Message, label: str) -> Iterator[Part]:
    """A body declared base64 that holds blanks or punctuation between its line breaks is
    no base64 (base64 lines are its 65 characters only): the header lies, and a lenient
    decoder skips what is not base64 and turns the rest into noise. Whoever reads the
    mail's source reads the text as sent, so it is inspected as text too (``#as-sent``).
    Called when ``_base64`` counted LYING_BASE64_CHARS or more such bytes."""
    payload = entity._payload
    if not isinstance(payload, str):
        return
    raw = payload.encode("ascii", "surrogateescape")
    data, path = budget.collect((raw,), what=f"{label} as sent")
    yield budget.child(part, f"{label}#as-sent", data=data, path=path, declared_type="text/plain")


def _base64(raw: bytes) -> tuple[bytes, list[tuple[str, str, str]], int]:
    """Lenient base64: line noise dropped, padding restored, a cut-off tail reported; and
    how many bytes are neither base64 nor line ends (blanks, punctuation: ``_as_sent``)."""
    if len(raw) >= LINES_BYTES and "numpy" in sys.modules:
        decoded = _base64_lines(raw)
        if decoded is not None:
            return decoded, [], 0
    problems: list[tuple[str, str, str]] = []
    clean = raw.translate(None, _B64_JUNK)
    # One pass over the body for both counts; what it leaves is a few bytes, or a typed memo.
    stray = raw.translate(None, _BASE64_LINES)
    junk = len(stray.translate(None, _WHITESPACE))
    if junk:
        severity = "medium" if junk > 3 and junk * 20 > len(clean) else "low"
        problems.append(("mail.encoding", severity,
                         f"base64 content holds {junk} characters that are not base64; "
                         "they were skipped"))
    first_pad = clean.find(b"=")
    if (first_pad >= 0 and first_pad % 4 >= 2 and len(clean) - first_pad == 4 - first_pad % 4
            and clean.count(b"=", first_pad) == 4 - first_pad % 4):
        # One run padded exactly, at its end (nearly every attachment): decoded as it
        # stands, with no copy of it split off and padded again below.
        return _decode_clean(clean), problems, len(stray)
    had_padding = first_pad >= 0
    # Concatenated encodings have padding in the middle; decode each run on its own.
    runs = [run for run in clean.split(b"=") if run] if had_padding else [clean]
    out = []
    for run in runs:
        if len(run) % 4 == 1:
            run = run[:-1]
            problems.append(("mail.truncated", "medium",
                             "base64 content ends in the middle of a character group: "
                             "it was likely cut off"))
        out.append(_decode_clean(run + b"=" * (-len(run) % 4)))
    if clean and not had_padding and len(clean) % 4:
        problems.append(("mail.defect", "low", "base64 padding is missing"))
    return b"".join(out), problems, len(stray)


# An attachment's base64 this long is first read as lines of one width (``_base64_lines``),
# when NumPy is loaded already (a scanner's is; a one-file scan does not pay its import).
LINES_BYTES = 64 * 1024


def _base64_lines(raw: bytes) -> bytes | None:
    """The bytes of ``raw`` when it is what a mail client writes: strict base64 in lines
    of one width, each but the last ended by the same line end (LF or CR LF), padded at
    its end only or not at all; else None (``_base64`` then reads it leniently).

    What ``_base64`` gives such a body, without its two deleting translations of every
    byte (about 1 ms a megabyte): the line ends are told at their places (a strided
    comparison), the lines copied out as one array, and strict decoding proves that
    they hold base64 characters only (so nothing was skipped or is reported).
    """
    import numpy as np  # loaded already (see LINES_BYTES)

    newline = raw.find(b"\n")
    crlf = newline > 0 and raw[newline - 1] == 0x0D
    width = newline - crlf
    if width <= 0:
        return None
    step = newline + 1
    rows = len(raw) // step
    lines = np.frombuffer(raw, dtype=np.uint8, count=rows * step).reshape(rows, step)
    if not (lines[:, -1] == 0x0A).all() or (crlf and not (lines[:, -2] == 0x0D).all()):
        return None
    tail = raw[rows * step:]
    ending = b"\r\n" if crlf else b"\n"
    if tail.endswith(ending):
        tail = tail[:-len(ending)]
    clean = lines[:, :width].tobytes() + tail
    # The padding as _base64's own quick path takes it, or none on whole groups of four:
    # any other shape is left to _base64, which reports it.
    first_pad = clean.find(b"=")
    if first_pad < 0:
        if len(clean) % 4:
            return None
    elif not (first_pad % 4 >= 2 and len(clean) - first_pad == 4 - first_pad % 4
              and clean.count(b"=", first_pad) == 4 - first_pad % 4):
        return None
    try:
        return pybase64.b64decode(clean, validate=True)
    except (binascii.Error, ValueError):
        return None  # a character that is not base64 (a line end inside a line)


def _decode_clean(clean: bytes) -> bytes:
    """``binascii.a2b_base64(clean)``, decoded by pybase64's vector code when ``clean`` is
    strict base64 (as nearly every attachment is once its line breaks are gone): about
    25 times faster (a 7 MB attachment 1.4 ms against 34). What strict decoding refuses
    (stray padding, a cut-off group) is read by binascii's lenient decoder as before."""
    try:
        return pybase64.b64decode(clean, validate=True)
    except (binascii.Error, ValueError):
        return binascii.a2b_base64(clean)


def _uu_blocks(data: bytes, budget: Budget) -> list[tuple[str, bytes, bool]]:
    """Files uuencoded inside ``data`` (``begin 644 name`` … ``end``): name, bytes, complete."""
    found: list[tuple[str, bytes, bool]] = []
    position = 0
    while len(found) <= MAX_UU_BLOCKS:
        word = _UU_WORD.search(data, position)
        if word is None:
            break
        start = word.start()
        position = start + 6
        if start and data[start - 1] != 0x0A:
            continue
        match = _UU_BEGIN.match(data, start)
        if match is None:
            continue
        line_end = data.find(b"\n", start)
        if line_end < 0:
            break
        decoded, complete = _uu_lines(data, line_end + 1, budget)
        name = decode_text(match.group(2).strip())[0]
        found.append((name, decoded, complete))
        position = line_end + 1
    return found


def _uu_lines(data: bytes, position: int, budget: Budget) -> tuple[bytes, bool]:
    """Decode uuencoded lines from ``position`` up to ``end``; returns bytes, whether ended."""
    out: list[bytes] = []
    lines = 0
    while position < len(data):
        line_end = data.find(b"\n", position)
        if line_end < 0:
            line_end = len(data)
        line = data[position:line_end].rstrip(b"\r")
        position = line_end + 1
        lines += 1
        if lines % 4096 == 0:
            budget.check_time()
        if line == b"end":
            return b"".join(out), True
        if not line or line == b"`":
            continue  # the zero-length line before "end"
        # Encoders that strip trailing spaces leave short lines; the length byte says
        # how much is real (this is what the retired uu module did).
        length = ((line[0] - 32) & 63) * 4 + 5
        try:
            out.append(binascii.a2b_uu(line[: length // 3]))
        except binascii.Error:
            return b"".join(out), False
    return b"".join(out), False


def unflow(data: bytes, budget: Budget, *, delsp: bool) -> bytes:
    """A format=flowed body (RFC 3676) with its soft line breaks joined.

    Thunderbird, Apple Mail and many phones wrap long lines at about 72 characters and
    mark the wrap with a trailing space; with delsp=yes the space is not part of the text,
    so a wrap may fall inside a word ("SEC " / "RET"). Unjoined, "Classification: SECRET"
    wrapped after the colon is two lines and no line rule sees it. Works on the bytes:
    transcoded text is UTF-8 here, and no multi-byte mail charset has a space or line
    feed inside a character. Quote depth is kept as '> ' markers.
    """
    out: list[bytes] = []
    paragraph: list[bytes] = []
    paragraph_depth = 0
    for count, raw in enumerate(data.split(b"\n"), 1):
        if count % 4096 == 0:
            budget.check_time()
        line = raw[:-1] if raw.endswith(b"\r") else raw
        content = line.lstrip(b">")
        depth = len(line) - len(content)
        if content.startswith(b" "):
            content = content[1:]  # space-stuffing (RFC 3676 4.4) or the blank after '>'
        if paragraph and depth != paragraph_depth:
            # A change of quote depth ends a paragraph, however it was flowed (4.5).
            out.append(_quote_prefix(paragraph_depth) + b"".join(paragraph))
            paragraph = []
        if content.endswith(b" ") and content != b"-- ":  # '-- ' is the signature line
            paragraph.append(content[:-1] if delsp else content)
            paragraph_depth = depth
            continue
        paragraph.append(content)
        out.append(_quote_prefix(depth) + b"".join(paragraph))
        paragraph = []
    if paragraph:
        out.append(_quote_prefix(paragraph_depth) + b"".join(paragraph))
    return b"\n".join(out)


def _quote_prefix(depth: int) -> bytes:
    return b">" * depth + b" " if depth else b""


def _transcode(data: bytes, charset: str) -> tuple[bytes, str]:
    """Text in a charset that sniffing cannot read, as UTF-8 (unchanged if it fails)."""
    codec = _codec(charset)
    if codec is None:
        return data, charset
    try:
        return data.decode(codec).encode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data, charset


# ISO-8859-8 without "-i" is visual order (RFC 1556): each line is stored as it is drawn,
# left to right, so Hebrew words read backwards ("רומש" for "שמור"); "-i" and
# windows-1255 are logical order, as all text is read.
_VISUAL_HEBREW = {"iso-8859-8", "iso_8859-8", "iso8859-8", "iso-ir-138", "hebrew", "visual"}
_HEBREW = re.compile("[\u0590-\u05ff]")
# What runs left to right inside a Hebrew line: Latin words, numbers and what joins them.
_LTR_RUN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9 .,:/@_+%-]*[A-Za-z0-9])?")


def _logical_hebrew(data: bytes) -> tuple[bytes, str]:
    """Visual-order ISO-8859-8 text as UTF-8 in reading order: a line holding Hebrew is
    reversed, and the Latin words and numbers in it turned back the way they are read."""
    text = data.decode("iso8859-8", "replace")
    lines = []
    for line in text.split("\n"):
        ending = "\r" if line.endswith("\r") else ""
        line = line.removesuffix("\r")
        if _HEBREW.search(line):
            line = _LTR_RUN.sub(lambda m: m.group()[::-1], line[::-1])
        lines.append(line + ending)
    return "\n".join(lines).encode("utf-8"), "utf-8"


def _inner_message(entity: Message) -> tuple[bytes, list[tuple[str, str, str]]]:
    """The bytes of an attached message (message/rfc822, message/global, …)."""
    buffer = io.BytesIO()
    generator = BytesGenerator(buffer, mangle_from_=False, maxheaderlen=0, policy=POLICY)
    for index, inner in enumerate(entity.get_payload() if entity.is_multipart() else []):
        if index:
            buffer.write(b"\n")  # message/delivery-status: header blocks
        generator.flatten(inner)
    data = buffer.getvalue()
    cte = str(entity.get("content-transfer-encoding", "")).strip().lower()
    if cte == "base64":  # not allowed by RFC 2046 5.2.1, but sent by some clients
        return _base64(data)[:2]
    if cte == "quoted-printable":
        return binascii.a2b_qp(data), []
    return data, []


# -- defects ---------------------------------------------------------------------------


def _report_defects(entity: Message, where: str) -> Iterator[Defect]:
    """Parser defects of one MIME entity: cut-off structure is medium, the rest low."""
    for defect in entity.defects[:100]:
        kind = type(defect)
        if kind in _TRUNCATED:
            yield Defect("mail.truncated", "medium", _TRUNCATED[kind], where)
        elif kind in (email_errors.InvalidBase64PaddingDefect,
                      email_errors.InvalidBase64CharactersDefect,
                      email_errors.InvalidBase64LengthDefect):
            continue  # base64 is decoded (and reported) by _base64, not by the parser
        else:
            reason = _COSMETIC.get(kind) or _defect_words(kind.__name__)
            yield Defect("mail.defect", "low", reason, where)


def _defect_words(class_name: str) -> str:
    """'ObsoleteHeaderDefect' -> 'MIME defect: obsolete header'."""
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", class_name.removesuffix("Defect")).lower()
    return f"MIME defect: {words}"
