"""Error hierarchy: every error Redline raises on purpose derives from RedlineError."""

from __future__ import annotations


class RedlineError(Exception):
    """Base of all Redline errors; the message says what was wrong and what to do."""


class ConfigError(RedlineError):
    """A configuration key or value is invalid; the message names the key."""


class RuleError(RedlineError):
    """A rule file does not compile or a rule is malformed; the message names the file."""


class ExtractionStop(RedlineError):
    """Raised inside an extractor: this part cannot be inspected further.

    The pipeline records it as a ``policy`` hit with ``rule`` and the message as the
    excerpt, so the item is held, not passed. Children already yielded are kept.
    """

    rule = "extract.unparseable"
    severity = "high"

    def __init__(self, reason: str, *, rule: str | None = None, severity: str | None = None):
        super().__init__(reason)
        if rule is not None:
            self.rule = rule
        if severity is not None:
            self.severity = severity


class UnparseableContent(ExtractionStop):
    """The bytes do not parse as the format they were detected as (corrupt, truncated)."""

    rule = "extract.unparseable"


class EncryptedContent(ExtractionStop):
    """The content is encrypted or password-protected, so it cannot be inspected."""

    rule = "extract.encrypted"


class LimitReached(ExtractionStop):
    """A configured limit (depth, parts, bytes, ratio, time) was reached.

    ``limit`` is the limit's config key (e.g. ``max_depth``); ``fatal`` limits end the
    whole scan (part count, total bytes, item time), the others only this part.
    """

    def __init__(self, limit: str, reason: str, *, fatal: bool = False):
        super().__init__(reason, rule=f"limit.{limit}")
        self.limit = limit
        self.fatal = fatal
