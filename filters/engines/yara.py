"""Content engine: YARA rules of scope ``raw`` or ``any`` over the bytes of content parts.

Text-like content (plain text, HTML, mail) is skipped here because its decoded text is
scanned by the marking engine with the same rules; scanning both would double the
work and the hits.
"""

from __future__ import annotations

from collections.abc import Iterable

import yara

from filters.published_keys import PartKeys
from filters.rules import RuleSet
from filters.types import Hit, Part

EXCERPT_BYTES = 60
_TEXT_TYPES = ("text/", "message/")
_TEXT_EXACT = {"application/json", "application/xml", "application/xhtml+xml", "image/svg+xml"}


def _printable(data: bytes) -> str:
    text = data.decode("utf-8", "replace")
    return "".join(ch if ch.isprintable() else "·" for ch in text)


class YaraEngine:
    """Scans content bytes with the raw-scope YARA rules (files spooled to disk included)."""

    def __init__(self, rules: RuleSet, *, timeout: int = 30) -> None:
        self.rules = rules
        self.timeout = timeout

    def scan(self, part: Part) -> Iterable[Hit]:
        """Hits of YARA rules in the bytes of a content part."""
        if part.is_text or self.rules.raw is None:
            return ()
        kind = part.detected_type
        if kind.startswith(_TEXT_TYPES) or kind in _TEXT_EXACT:
            return ()
        try:
            if part.path is not None:
                found = self.rules.raw.match(filepath=str(part.path), timeout=self.timeout)
            else:
                found = self.rules.raw.match(data=part.data, timeout=self.timeout)
        except yara.TimeoutError:
            return [Hit(rule="limit.yara_timeout", category="policy", severity="high",
                        where=part.origin, excerpt=f"YARA scan exceeded {self.timeout} s",
                        description="A part took too long to scan; it was not fully inspected.")]
        hits = []
        keys = PartKeys(part)  # judged once, however many key rules matched
        for match in found:
            meta = self.rules.yara_meta.get((match.namespace, match.rule))
            if meta is None or meta.scope == "text":
                continue
            excerpt, span = "", None
            if match.strings and match.strings[0].instances:
                instance = match.strings[0].instances[0]
                head = part.head(instance.offset + instance.matched_length + EXCERPT_BYTES)
                before = _printable(head[max(0, instance.offset - EXCERPT_BYTES):instance.offset])
                matched = _printable(bytes(instance.matched_data))
                after = _printable(head[instance.offset + instance.matched_length:])
                excerpt = before + matched + after
                span = (len(before), len(before) + len(matched))
            hit = Hit(rule=f"yara:{match.namespace}.{match.rule}", category=meta.category,
                      severity=meta.severity, where=part.origin, excerpt=excerpt,
                      span=span, description=meta.description, action=meta.action)
            hits.append(keys.hit(hit, meta.published_keys))
        return hits
