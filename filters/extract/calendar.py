"""iCalendar (RFC 5545) and vCard (RFC 6350, 2.1): the human text of invitations and cards.

Lines are unfolded on the bytes (RFC 5545 3.1: CRLF followed by one space or tab), so
a fold inside a word or inside a UTF-8 sequence cannot hide it; TEXT values are
unescaped (``\\n``, ``\\,``, ``\\;``). Each property that carries human text becomes a
text part named after it (``SUMMARY``, ``DESCRIPTION``, ``NOTE`` …); Outlook's HTML
description (``X-ALT-DESC;FMTTYPE=text/html``) and files sent inline
(``ATTACH;VALUE=BINARY``) become content parts, typed and extracted in turn.
"""

from __future__ import annotations

import binascii
import re
from collections import Counter
from collections.abc import Iterator

from filters.extract.text import decode_text
from filters.limits import Budget
from filters.types import Defect, Part

LINES_PER_TIME_CHECK = 1024
MAX_PARAMETERS = 64  # per property line; more is not a calendar anyone wrote

# Property -> role of its text. SUMMARY is what calendars show as the meeting's subject.
TEXT_PROPERTIES = {
    "SUMMARY": "subject", "DESCRIPTION": "body", "LOCATION": "body", "COMMENT": "body",
    "CONTACT": "body", "RESOURCES": "body", "CATEGORIES": "body",
    "X-WR-CALNAME": "title", "X-WR-CALDESC": "body",
    # vCard
    "NOTE": "body", "TITLE": "body", "ROLE": "body", "ORG": "body", "FN": "body",
}
HTML_PROPERTIES = frozenset({"X-ALT-DESC"})
BINARY_PROPERTIES = frozenset({"ATTACH"})
HTML_SNIFF_CHARS = 4096
_HTML_TAG = re.compile(r"<(?:br|p|div|span|b|i|u|a|ul|ol|li|html|body|table)\b[^<>]{0,200}/?>", re.IGNORECASE)
_ESCAPES = {"n": "\n", "N": "\n", "\\": "\\", ",": ",", ";": ";", ":": ":"}
_NAME_PARAMETERS = ("X-FILENAME", "FILENAME", "X-APPLE-FILENAME", "X-ORACLE-FILENAME")


def extract(part: Part, budget: Budget) -> Iterator[Part | Defect]:
    """One text part per human-text property; HTML descriptions and inline files as content."""
    data = unfold(budget.read_part(part))
    seen: Counter[str] = Counter()
    attachments = 0
    lines = data.split(b"\n")
    index = 0
    while index < len(lines):
        if index % LINES_PER_TIME_CHECK == 0:
            budget.check_time()
        line = lines[index].rstrip(b"\r")
        index += 1
        parsed = _property(line)
        if parsed is None:
            continue
        name, params, value = parsed
        if name not in TEXT_PROPERTIES and name not in HTML_PROPERTIES and name not in BINARY_PROPERTIES:
            continue
        encoding = params.get("ENCODING", "").upper()
        if encoding == "QUOTED-PRINTABLE":
            # vCard 2.1 breaks a quoted-printable value with a soft '=' at the line end,
            # the next line carrying on without the leading blank of a fold.
            while value.endswith(b"=") and index < len(lines):
                value = value[:-1] + lines[index].rstrip(b"\r")
                index += 1
            value = binascii.a2b_qp(value)
        if name in BINARY_PROPERTIES:
            if params.get("VALUE", "").upper() != "BINARY" and encoding not in ("BASE64", "B"):
                continue  # a URI: a link, not content
            attachments += 1
            yield from _attachment(part, budget, params, value, attachments)
            continue
        text = _unescape(_decode(value, params.get("CHARSET", "") or part.charset))
        if not text.strip():
            continue
        seen[name] += 1
        label = name if seen[name] == 1 else f"{name}[{seen[name]}]"
        if name in HTML_PROPERTIES:
            if "html" not in params.get("FMTTYPE", "text/html").lower():
                yield budget.child(part, label, text=text, role="body", name=name)
                continue
            yield budget.child(part, label, data=text.encode("utf-8"), declared_type="text/html",
                               charset="utf-8")
            continue
        role = TEXT_PROPERTIES[name]
        if role == "body" and _HTML_TAG.search(text, 0, HTML_SNIFF_CHARS):
            # Google Calendar stores a description edited in its rich-text editor as HTML
            # in DESCRIPTION itself: lines are <br>, words may be split by <b>…</b>.
            yield budget.child(part, label, data=text.encode("utf-8"), declared_type="text/html",
                               charset="utf-8")
            continue
        yield budget.child(part, label, text=text, role=role, name=name)


def unfold(data: bytes) -> bytes:
    """RFC 5545 3.1 / RFC 6350 3.2 unfolding, on bytes so split UTF-8 sequences rejoin."""
    for fold in (b"\r\n ", b"\r\n\t", b"\n ", b"\n\t"):
        if fold in data:
            data = data.replace(fold, b"")
    return data


def _property(line: bytes) -> tuple[str, dict[str, str], bytes] | None:
    """(NAME, {PARAM: value}, raw value) of one content line, or None when it is not one."""
    colon = line.find(b":")
    if colon <= 0:
        return None
    quote = line.find(b'"', 0, colon)
    while quote >= 0:  # parameter values may quote ':' and ';' (ALTREP="cid:…")
        close = line.find(b'"', quote + 1)
        if close < 0:
            return None
        colon = line.find(b":", close + 1)
        if colon < 0:
            return None
        quote = line.find(b'"', close + 1, colon)
    head = line[:colon].decode("ascii", "replace")
    name, *raw_params = head.split(";")
    # vCard groups: 'item1.NOTE'.
    name = name.rsplit(".", 1)[-1].strip().upper()
    params: dict[str, str] = {}
    for raw in raw_params[:MAX_PARAMETERS]:
        key, equals, value = raw.partition("=")
        if not equals:
            # vCard 2.1 allows bare parameter values: 'NOTE;QUOTED-PRINTABLE:'.
            bare_encoding = key.upper() in ("QUOTED-PRINTABLE", "BASE64", "B")
            key, value = ("ENCODING", key) if bare_encoding else (key, "")
        params[key.strip().upper()] = value.strip().strip('"')
    return name, params, line[colon + 1:]


def _decode(value: bytes, charset: str) -> str:
    """The text of a value: UTF-8 as RFC 5545 and vCard 3/4 require, else the label or a guess."""
    return decode_text(value, charset)[0]


def _unescape(value: str) -> str:
    """Undo RFC 5545 3.3.11 TEXT escapes (also the ones vCard 2.1 and Outlook write)."""
    if "\\" not in value:
        return value
    out = []
    position = 0
    while True:
        slash = value.find("\\", position)
        if slash < 0 or slash + 1 >= len(value):
            out.append(value[position:])
            break
        out.append(value[position:slash])
        following = value[slash + 1]
        out.append(_ESCAPES.get(following, "\\" + following))
        position = slash + 2
    return "".join(out)


def _attachment(part: Part, budget: Budget, params: dict[str, str], value: bytes,
                number: int) -> Iterator[Part | Defect]:
    """A file carried inline in ATTACH (base64) as a content part."""
    clean = b"".join(value.split())
    clean = clean.rstrip(b"=")
    if len(clean) % 4 == 1:
        clean = clean[:-1]
    name = next((params[key] for key in _NAME_PARAMETERS if params.get(key)), "")
    label = f"ATTACH[{number}]:{name}" if name else f"ATTACH[{number}]"
    try:
        decoded = binascii.a2b_base64(clean + b"=" * (-len(clean) % 4))
    except binascii.Error:
        yield Defect("extract.unparseable", "high",
                     "an inline attachment's base64 is damaged; it was not inspected",
                     part.child_origin(label))
        return
    data, path = budget.collect((decoded,), what=label)
    yield budget.child(part, label, data=data, path=path, name=name,
                       declared_type=params.get("FMTTYPE", "").lower())
