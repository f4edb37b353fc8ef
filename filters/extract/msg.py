"""Outlook .msg messages (extract-msg): headers, plain/HTML/RTF bodies and attachments."""

from __future__ import annotations

import struct
from collections.abc import Iterator

import extract_msg
from extract_msg.exceptions import ExMsgBaseException

from filters.errors import UnparseableContent
from filters.limits import Budget
from filters.types import Defect, Part

# What a damaged .msg makes extract-msg (and the olefile below it) raise.
CORRUPT = (ExMsgBaseException, OSError, ValueError, KeyError, IndexError, TypeError,
           struct.error, UnicodeDecodeError)

HEADERS = (("From", "sender"), ("To", "to"), ("Cc", "cc"), ("Bcc", "bcc"))
MAX_ATTACHMENTS = 10000


def _safe_name(name: str) -> str:
    return name.replace("/", "_").replace("\\", "_").replace("\x00", "").strip()


def _message_parts(part: Part, budget: Budget, message: extract_msg.MSGFile) -> list[Part]:
    """Header and body parts, read from the raw property streams.

    extract-msg derives missing bodies from the others (HTML from plain text and
    so on); reading the streams themselves avoids scanning one text twice.
    """
    out: list[Part] = []
    subject = message.getStringStream("__substg1.0_0037")
    if subject:
        out.append(budget.child(part, "header:Subject", text=subject, role="subject",
                                name="Subject"))
    for header, attribute in HEADERS:
        value = getattr(message, attribute, None)
        if header == "From":
            # extract-msg may give the display name only; keep the address beside it.
            address = message.getStringStream("__substg1.0_0C1F") or ""
            if address and address not in (value or ""):
                value = f"{value} <{address}>" if value else address
        if isinstance(value, str) and value.strip():
            out.append(budget.child(part, f"header:{header}", text=value.strip(),
                                    role="header", name=header))
    plain = message.getStringStream("__substg1.0_1000")
    html = message.getStream("__substg1.0_10130102") or (
        (message.getStringStream("__substg1.0_1013") or "").encode("utf-8"))
    if plain:
        out.append(budget.child(part, "body[1]", text=plain, role="body"))
    if html:
        out.append(budget.child(part, "body[2]", data=html, declared_type="text/html"))
    if not plain and not html:
        rtf = message.rtfBody  # decompressed from PR_RTF_COMPRESSED
        if rtf:
            out.append(budget.child(part, "body[3]", data=rtf, declared_type="text/rtf"))
    return out


def _attachment_parts(part: Part, budget: Budget,
                      message: extract_msg.MSGFile) -> Iterator[Part | Defect]:
    for number, attachment in enumerate(message.attachments, 1):
        if number > MAX_ATTACHMENTS:
            budget.note_limit("max_parts")
            return
        budget.check_time()
        name = _safe_name(getattr(attachment, "longFilename", None)
                          or getattr(attachment, "shortFilename", None)
                          or getattr(attachment, "name", None) or "")
        label = f"attachment[{number}]:{name}" if name else f"attachment[{number}]"
        data = attachment.data
        if isinstance(data, extract_msg.MSGFile):
            # An attached message: re-serialised to .msg bytes, so the pipeline types it
            # and this extractor reads it in turn (depth-limited like any container).
            data = data.exportBytes()
        if isinstance(data, bytes) and data:
            yield budget.child(part, label, data=data, name=name)
        elif data is None or data == b"":
            continue
        else:
            yield Defect("extract.unparseable", "medium",
                         f"attachment {name or number} of the Outlook message is of a kind "
                         "that cannot be inspected", where=part.child_origin(label))


def extract(part: Part, budget: Budget) -> Iterator[Part | Defect]:
    """Subject, sender and recipients, bodies and attachments of an Outlook message."""
    data = budget.read_part(part)
    try:
        message = extract_msg.openMsg(data, strict=False)
    except CORRUPT as exc:
        raise UnparseableContent(f"Outlook message cannot be read: {exc}") from exc
    try:
        try:
            parts = _message_parts(part, budget, message)
        except CORRUPT as exc:
            raise UnparseableContent(f"Outlook message is damaged: {exc}") from exc
        yield from parts
        attachments = _attachment_parts(part, budget, message)
        while True:
            try:
                child = next(attachments)
            except StopIteration:
                break
            except CORRUPT as exc:
                raise UnparseableContent(
                    f"Outlook message attachment is damaged: {exc}") from exc
            yield child
    finally:
        message.close()
