"""The text of an item or a file as it is registered for fingerprints.

The item is walked by the same extractors a scan uses (so a docx, the PDF printed from it
and a mail quoting it give the same words); every text part is collected. What cannot
be read (an encrypted file, a damaged one, a limit reached) is reported, so a caller can
refuse to register half a document. A mail signature (after the RFC 3676 ``-- `` line)
is left out: it is the sender's footer, carried by every mail they send.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from filters.engines.fingerprint import TEXT_ROLES
from filters.limits import Limits
from filters.pipeline import Pipeline
from filters.shingles import document_fingerprints
from filters.types import Hit, Part

_SIGNATURE = re.compile(r"^-- ?$", re.MULTILINE)
# A part that could not be read means the registered text is not the whole document.
_UNREAD = ("extract.", "limit.", "mail.truncated", "mail.fragment", "filetype.opaque", "ocr.off")


class _Collector:
    """A text engine that keeps every text part it is shown."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.origins: list[str] = []

    def scan(self, part: Part) -> Iterable[Hit]:
        if part.text and part.role in TEXT_ROLES:
            text = part.text
            if part.role == "body" and part.origin.startswith("mail"):
                found = _SIGNATURE.search(text)
                if found:
                    text = text[:found.start()]
            self.texts.append(text)
            self.origins.append(part.origin)
        return ()


@dataclass(frozen=True, slots=True)
class ItemText:
    """An item's registrable texts, its fingerprints and what could not be read."""

    texts: tuple[str, ...]
    origins: tuple[str, ...]  # where each text sat (``mail/attachment[2]:report.docx/…``)
    hashes: np.ndarray
    words: float
    unread: tuple[str, ...]  # reasons, e.g. "extract.encrypted: … (report.docx)"


def item_text(content: bytes | Path, *, name: str = "", declared_type: str = "",
              limits: Limits | None = None) -> ItemText:
    """Walk ``content`` with the scan's extractors and fingerprint its text."""
    collector = _Collector()
    pipeline = Pipeline(limits=limits, text_engines=[collector])
    if isinstance(content, Path):
        verdict = pipeline.scan_file(content, origin=name or content.name,
                                     declared_type=declared_type)
    else:
        verdict = pipeline.scan_bytes(content, origin=name or "item", name=name,
                                      declared_type=declared_type)
    unread = tuple(f"{h.rule}: {h.excerpt} ({h.where})" for h in verdict.hits
                   if h.category == "policy" and h.rule.startswith(_UNREAD)
                   and h.severity in ("medium", "high", "critical"))
    hashes, words = document_fingerprints(collector.texts)
    return ItemText(tuple(collector.texts), tuple(collector.origins), hashes, words, unread)
