"""The [fingerprints] config section: matching rejected and registered documents.

Kept apart from the engine (filters/engines/fingerprint.py), which needs NumPy: reading
and checking the config must not load it, or every ``redline scan`` would.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from filters.config import option
from filters.errors import ConfigError
from filters.types import SEVERITIES


@dataclass(frozen=True, slots=True)
class FingerprintConfig:
    """Matching rejected and registered documents (config section [fingerprints])."""

    enabled: bool = option(True, "Look for passages of rejected and registered documents.")
    severity: str = option("high", "Severity of a fingerprint hit.", choices=SEVERITIES)
    min_run_words: int = option(
        30, "Shortest passage (in words; a Chinese or Japanese character counts half a "
        "word) that counts as taken from a registered document.", minimum=10)
    min_passage_words: int = option(
        60, "Words of a registered document, in passages, that make a match.", minimum=10)
    min_share: float = option(
        0.5, "Share of a registered document's fingerprints that makes a match even when "
        "it is shorter than min_passage_words.", minimum=0.05, maximum=1.0)
    boilerplate_documents: int = option(
        20, "A fingerprint found in this many registered documents or more is boilerplate "
        "(a disclaimer, a template's headings) and never counts.", minimum=2)
    boilerplate_files: list[str] = option(
        [], "Text files of templates and disclaimers whose passages never count (UTF-8). "
        "[rules] disclaimers count as boilerplate too.")
    refresh_seconds: float = option(
        2.0, "How often each worker reads new and removed registrations (and the "
        "background process newly rejected items).", minimum=0.1)
    register_rejected: bool = option(
        True, "Register every item an officer rejects, so its content is recognised when "
        "it is sent again without its marking.")
    unregistered_categories: list[str] = option(
        ["signup"], "A rejected item whose hits are all of these categories is not "
        "registered (a sign-up form holds no document).")
    max_file_bytes: int = option(
        100 * 1024 * 1024, "Largest file 'redline fingerprints add' registers.", minimum=1)
    keep_after_purge: bool = option(
        False, "Keep a rejected item's fingerprints when retention purges the item.")

    def boilerplate_texts(self, disclaimers: Sequence[str] = ()) -> list[str]:
        """The texts of the boilerplate files and ``disclaimers``; a file that cannot be
        read is a ConfigError naming it."""
        texts = [text for text in disclaimers if text.strip()]
        for name in self.boilerplate_files:
            try:
                texts.append(Path(name).read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError) as exc:
                reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
                raise ConfigError(f"config key fingerprints.boilerplate_files: cannot read "
                                  f"{name} ({reason}); give UTF-8 text files") from None
        return texts
