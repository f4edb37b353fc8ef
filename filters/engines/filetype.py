"""File-type engine: reports a file whose name claims a different type than its bytes.

A document or archive renamed to look like a picture or plain text is a classic way to
slip content past a name-based filter; that is held. Other mismatches (a PNG named .jpg)
are common and harmless, so they are only reported at low severity.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable
from pathlib import PurePosixPath

from filters.types import Hit, Part

# Extensions libmagic's types are often named with that mimetypes does not know.
_EXTRA = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".docm": "application/vnd.ms-word.document.macroEnabled.12",
    ".xlsm": "application/vnd.ms-excel.sheet.macroEnabled.12",
    ".pptm": "application/vnd.ms-powerpoint.presentation.macroEnabled.12",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
    ".7z": "application/x-7z-compressed",
    ".eml": "message/rfc822",
    ".msg": "application/vnd.ms-outlook",
    ".rtf": "text/rtf",
    ".gz": "application/gzip",
    ".tgz": "application/gzip",
    ".bz2": "application/x-bzip2",
    ".xz": "application/x-xz",
    ".tar": "application/x-tar",
    ".zip": "application/zip",
    ".pdf": "application/pdf",
}
# application/ types whose content is text (scripts, markup sources, JSON): libmagic
# names such a file text/plain or a text/ subtype of its own.
_TEXT_APPLICATIONS = {
    "application/x-sh", "application/x-csh", "application/x-tcl", "application/x-tex",
    "application/x-latex", "application/x-texinfo", "application/x-troff",
    "application/x-troff-man", "application/x-troff-me", "application/x-troff-ms",
    "application/javascript", "application/json", "application/manifest+json",
}
# Names that promise content with no hidden text in it.
_HARMLESS_PREFIXES = ("image/", "audio/", "video/", "font/")
_HARMLESS = {"text/plain", "text/csv"}
# Content that carries documents or other files.
_CARRIER_PREFIXES = ("application/vnd.openxmlformats", "application/vnd.oasis", "application/vnd.ms-")
_CARRIERS = {
    "application/pdf", "application/zip", "application/x-7z-compressed", "application/x-tar",
    "application/gzip", "application/x-bzip2", "application/x-xz", "application/msword",
    "application/x-ole-storage", "application/CDFV2", "text/rtf", "message/rfc822",
    "application/x-rar", "application/vnd.rar",
}
# Detected types that are equivalent to what the extension promises.
_SAME = {
    frozenset({"text/rtf", "application/rtf"}),
    frozenset({"application/gzip", "application/x-gzip"}),
    frozenset({"application/vnd.rar", "application/x-rar"}),
    frozenset({"application/zstd", "application/x-zstd"}),
}
# OLE compound files: libmagic names the application only when it recognises the writer
# (LibreOffice's .doc and .ppt are plain "x-ole-storage"), and the OLE extractor reads
# them all alike, so any two of these are the same type.
_OLE = ("application/CDFV2", "application/x-ole-storage", "application/msword",
        "application/vnd.ms-excel", "application/vnd.ms-powerpoint", "application/vnd.ms-outlook")
_SAME |= {frozenset({a, b}) for a in _OLE for b in _OLE if a != b}


# Families whose members filters.detect cannot tell apart from the bytes, so a name of
# one and content of another is no mismatch: XML vocabularies (.xhtml, .opf, .rels read
# as text/xml), and the OOXML variants of one application (a .docm, .dotx or .dotm with
# no macros is typed as the .docx it is built like).
_FAMILY_PREFIXES = (
    ("word", ("application/vnd.openxmlformats-officedocument.wordprocessingml.",
              "application/vnd.ms-word.")),
    ("excel", ("application/vnd.openxmlformats-officedocument.spreadsheetml.",
               "application/vnd.ms-excel.")),
    ("powerpoint", ("application/vnd.openxmlformats-officedocument.presentationml.",
                    "application/vnd.ms-powerpoint.")),
)


def _family(mime: str) -> str | None:
    if mime in ("text/xml", "application/xml") or mime.endswith("+xml"):
        return "xml"
    return next((name for name, prefixes in _FAMILY_PREFIXES if mime.startswith(prefixes)),
                None)


# Python's own table, not mimetypes' global one: that one takes in the machine's
# mime.types files on the first guess anywhere in the process, so an item's answer would
# depend on what was scanned before it (and on the machine). Built on first use.
_types: dict[str, str] | None = None


def _python_types() -> dict[str, str]:
    """Python's own extension -> type table (``MimeTypes().types_map[True]``).

    Read from mimetypes' defaults where it keeps them: ``MimeTypes()`` also reads the
    machine's mime.types files into the global table it then does not use (2,300 lines,
    5 ms of a one-file scan, and of each scanner process).
    """
    defaults = getattr(mimetypes, "_types_map_default", None)
    if isinstance(defaults, dict) and defaults:
        return dict(defaults)
    return mimetypes.MimeTypes().types_map[True]


def expected_type(name: str) -> str | None:
    """The MIME type a file name's extension promises, or None."""
    global _types
    suffix = PurePosixPath(name.lower()).suffix
    if not suffix:
        return None
    if _types is None:
        _types = _python_types()
    return _EXTRA.get(suffix) or _types.get(suffix)


def _is_carrier(mime: str) -> bool:
    return mime in _CARRIERS or mime.startswith(_CARRIER_PREFIXES)


def _harmless(mime: str) -> bool:
    return mime in _HARMLESS or mime.startswith(_HARMLESS_PREFIXES)


class FileTypeEngine:
    """Compares each named content part's extension with its detected type."""

    def scan(self, part: Part) -> Iterable[Hit]:
        """A hit when the name and the bytes disagree about the type."""
        if part.is_text or not part.name or not part.detected_type:
            return ()
        expected = expected_type(part.name)
        detected = part.detected_type
        if expected is None or expected == detected or frozenset({expected, detected}) in _SAME:
            return ()
        if (family := _family(expected)) is not None and family == _family(detected):
            return ()
        if (expected.split("/")[0] == "text" or expected in _TEXT_APPLICATIONS) and \
                detected.startswith(("text/", "message/")):
            return ()  # text subtypes are guessed, not known
        if _is_carrier(detected) and _harmless(expected):
            severity, rule = "high", "filetype.disguised"
        else:
            severity, rule = "low", "filetype.mismatch"
        excerpt = f"{part.name}: named as {expected} but the content is {detected}"
        return [Hit(rule=rule, category="policy", severity=severity, where=part.origin,
                    excerpt=excerpt, span=None,
                    description="The file's name does not match what its content is.")]
