"""What happens to a part no extractor opens (config section [coverage]).

Fail closed: a part whose type Redline does not open is searched for text runs in every
encoding the rules know (filters/extract/strings.py). When it still holds content that
cannot be read (compressed or encoded bytes of an unknown format), it is held with an
``extract.uninspectable`` policy hit, unless its type is known to be inert (pictures
OCR does not read, such as icons and metafiles; sound and video whose structure runs
through them, filters/media/; fonts) or is one the
organisation accepts. Every such part is counted in the scan statistics
(``ScanStats.coverage``), which the listeners export.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass

from filters.config import option
from filters.errors import ConfigError

MiB = 1024 * 1024

# Dispositions counted in ScanStats.coverage (bounded: these and nothing else).
OPENED = "opened"  # an extractor opened the part
INERT = "inert"  # a type known to carry no readable text; searched for text runs, never held
ACCEPTED = "accepted"  # a type the organisation accepts; searched for text runs, never held
STRINGS = "strings"  # unknown type, inspected by its text runs
HELD = "held"  # unknown type that still holds unreadable content: held
DISPOSITIONS = (OPENED, INERT, ACCEPTED, STRINGS, HELD)

DEFAULT_INERT = [
    "image/*", "audio/*", "video/*", "font/*", "application/font-*", "application/x-font-*",
    "application/vnd.ms-fontobject", "application/vnd.ms-opentype", "application/x-empty",
    "inode/x-empty",
]

# Archive and compression formats Redline does not open (those it opens are extracted
# before coverage is asked). What they hold is compressed or packed, so their text runs
# say nothing of it: a part of one of these types is held however small it is, since a
# short text compresses to fewer bytes than the opacity judge reads (strings.py).
UNOPENED_ARCHIVES = frozenset({
    "application/x-rar", "application/vnd.rar", "application/x-rar-compressed", "application/x-arj",
    "application/x-lha", "application/x-lzh-compressed", "application/x-compress", "application/x-lzip",
    "application/x-lzop", "application/x-lrzip", "application/x-ace-compressed", "application/x-stuffit",
    "application/x-stuffitx", "application/x-arc", "application/x-zoo", "application/x-ms-wim",
    "application/x-xar", "application/x-snappy-framed", "application/x-qpress", "application/x-alz",
    "application/x-apple-diskimage", "application/x-squashfs", "application/x-zpaq",
})


def _check_patterns(key: str, patterns: list[str]) -> None:
    for index, pattern in enumerate(patterns):
        kind, slash, sub = pattern.partition("/")
        if not slash or not kind or not sub or " " in pattern or pattern != pattern.lower():
            raise ConfigError(
                f"config key coverage.{key}[{index}]: expected a lower-case MIME type or "
                f"glob such as \"image/*\" or \"application/x-sqlite3\", got {pattern!r}")


@dataclass(frozen=True, slots=True)
class CoverageConfig:
    """How parts of types Redline does not open are treated."""

    inert_types: list[str] = option(
        DEFAULT_INERT,
        "MIME types (globs) known to carry no readable text: searched for text runs, never "
        "held as uninspectable.",
    )
    accepted_types: list[str] = option(
        [], "MIME types (globs) your organisation accepts although Redline cannot open them, "
        "e.g. [\"application/vnd.sqlite3\"]: searched for text runs, never held as uninspectable.",
    )
    strings_bytes: int = option(
        32 * MiB, "Most bytes of one unopened part searched for text runs; a larger part of an "
        "unknown type is held.", minimum=4096,
    )
    strings_min_chars: int = option(
        4, "Shortest text run (characters) taken from an unopened part, as strings(1) -n.",
        minimum=2, maximum=64,
    )

    def __post_init__(self) -> None:
        _check_patterns("inert_types", self.inert_types)
        _check_patterns("accepted_types", self.accepted_types)

    def disposition(self, mime: str) -> str:
        """``inert``, ``accepted`` or ``strings`` (unknown) for a type no extractor opens."""
        mime = mime.lower()
        if any(fnmatch.fnmatchcase(mime, p) for p in self.inert_types):
            return INERT
        if any(fnmatch.fnmatchcase(mime, p) for p in self.accepted_types):
            return ACCEPTED
        return STRINGS

    @staticmethod
    def unopened_archive(mime: str) -> bool:
        """True for an archive or compression format Redline does not open (UNOPENED_ARCHIVES)."""
        return mime.lower() in UNOPENED_ARCHIVES
