"""Extractors, one module per format, registered by detected MIME type.

Each module has one entry point, ``extract(part, budget) -> Iterator[Part | Defect]``:
it yields the child Parts of ``part`` (content parts to be typed and extracted in turn,
or text parts for the rules) and Defects worth reporting. It raises an
``ExtractionStop`` subclass (UnparseableContent, EncryptedContent, LimitReached) when
the part cannot be inspected further; the pipeline turns that into a policy hit.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator

from filters.limits import Budget
from filters.types import Defect, Part

Extractor = Callable[[Part, Budget], Iterator[Part | Defect]]

# Detected MIME type -> extractor module under filters.extract. Configuration, not
# code: adding a format is a module plus a line here.
REGISTRY: dict[str, str] = {
    "message/rfc822": "mail",
    "message/news": "mail",
    "text/plain": "text",
    "text/csv": "text",
    "text/markdown": "text",
    "text/enriched": "enriched",  # RFC 1896, and RFC 1341's text/richtext before it
    "text/richtext": "enriched",
    "text/x-diff": "text",
    "application/json": "text",
    "text/xml": "html",
    "application/xml": "html",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "image/svg+xml": "html",
    "text/rtf": "rtf",
    "application/rtf": "rtf",
    "application/pdf": "pdf",
    "application/postscript": "postscript",  # PostScript and EPS
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "ooxml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "ooxml",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "ooxml",
    "application/vnd.ms-word.document.macroEnabled.12": "ooxml",
    "application/vnd.ms-excel.sheet.macroEnabled.12": "ooxml",
    "application/vnd.ms-powerpoint.presentation.macroEnabled.12": "ooxml",
    "application/ofd": "ofd",
    "application/vnd.ms-xpsdocument": "xps",  # XPS and OpenXPS, as filters.detect names them
    "application/oxps": "xps",
    # filters.detect names an iWork package by the members it holds.
    "application/vnd.apple.pages": "iwork",
    "application/vnd.apple.numbers": "iwork",
    "application/vnd.apple.keynote": "iwork",
    "application/vnd.oasis.opendocument.text": "odf",
    "application/vnd.oasis.opendocument.spreadsheet": "odf",
    "application/vnd.oasis.opendocument.presentation": "odf",
    # Flat (single XML file) OpenDocument, as filters.detect names it.
    "application/vnd.oasis.opendocument.text-flat-xml": "flat_odf",
    "application/vnd.oasis.opendocument.spreadsheet-flat-xml": "flat_odf",
    "application/vnd.oasis.opendocument.presentation-flat-xml": "flat_odf",
    "application/vnd.oasis.opendocument.graphics-flat-xml": "flat_odf",
    "application/zip": "zip",
    "application/x-tar": "tar",
    "application/x-gtar": "tar",
    "application/gzip": "compressed",
    "application/x-gzip": "compressed",
    "application/x-bzip2": "compressed",
    "application/x-xz": "compressed",
    "application/x-lzma": "compressed",
    "application/x-7z-compressed": "sevenzip",
    "application/msword": "ole",
    "application/vnd.ms-excel": "ole",
    "application/vnd.ms-powerpoint": "ole",
    "application/x-ole-storage": "ole",
    "application/CDFV2": "ole",
    "application/encrypted": "ole",
    "application/vnd.ms-outlook": "msg",
    "application/x-hwp": "hwp",  # Hancom HWP 5.0 (libmagic's name)
    "application/haansofthwp": "hwp",
    "application/vnd.hancom.hwp": "hwp",
    # filters.detect types every CMS ContentInfo as application/pkcs7-mime; the others
    # are what other libmagic versions may report.
    "application/pkcs7-mime": "smime",
    "application/x-pkcs7-mime": "smime",
    "application/pkcs7-signature": "smime",
    "application/x-pkcs7-signature": "smime",
    "application/vnd.ms-tnef": "tnef",  # what libmagic reports for winmail.dat
    "application/ms-tnef": "tnef",
    # filters.detect types iCalendar and vCard bytes as libmagic does; the others are
    # the names mailers put on invitations (.ics) and contact cards (.vcf).
    "text/calendar": "calendar",
    "application/ics": "calendar",
    "text/vcard": "calendar",
    "text/x-vcard": "calendar",
    "text/directory": "calendar",
    "application/mac-binhex40": "binhex",
    "application/zstd": "zstd",
    "application/x-zstd": "zstd",
    "application/x-lz4": "lz4",
    "application/zlib": "zlib",
    "application/x-zlib": "zlib",
    "application/x-brotli": "brotli",
    "application/x-cpio": "cpio",
    "application/x-archive": "ar",
    "application/vnd.tcpdump.pcap": "pcap",  # libmagic's name for classic pcap
    "application/x-pcapng": "pcap",
    "application/vnd.debian.binary-package": "ar",
    "application/x-debian-package": "ar",
    "application/x-rpm": "rpm",
    "application/x-gettext-translation": "gettext",  # .mo message catalogs
    "application/x-starview-compressed": "starview",  # typed by filters.detect (gallery .sdv streams)
    "application/x-chromium-pak": "pak",  # Chromium's resource bundles, typed by filters.detect
    "application/vnd.ms-cab-compressed": "cab",  # filters.detect names every cabinet so (.onepkg too)
    # Text that libmagic names by what it is written in is still text.
    "application/x-ndjson": "text",
    "application/javascript": "text",
    "application/x-subrip": "text",
    # Pictures: their text is read by OCR (filters/ocr.py); photos without text give none.
    "image/png": "image",
    "image/jpeg": "image",
    "image/tiff": "image",
    "image/gif": "image",
    "image/bmp": "image",
    "image/x-ms-bmp": "image",
    "image/webp": "image",
    "image/heic": "image",
    "image/heif": "image",
    "image/x-portable-pixmap": "image",
    "image/x-portable-greymap": "image",
    "image/x-portable-bitmap": "image",
}

# Type families registered by prefix: templates, slide shows and macro variants of the
# office formats (dotx, potx, ppsx, ott, odg …) must not pass uninspected.
PREFIXES: tuple[tuple[str, str], ...] = (
    ("application/vnd.openxmlformats-officedocument.", "ooxml"),
    ("application/vnd.ms-word.", "ooxml"),
    ("application/vnd.ms-excel.", "ooxml"),
    ("application/vnd.ms-powerpoint.", "ooxml"),
    ("application/vnd.oasis.opendocument.", "odf"),
    # text/x-c, text/x-python, text/x-shellscript, text/x-po …: source and data files.
    ("text/", "text"),
)

# Structured-syntax suffixes (RFC 6839): application/epub+zip and every other "+zip"
# package is a zip archive whose members are read one by one.
SUFFIXES: tuple[tuple[str, str], ...] = (
    ("+zip", "zip"),
)

_loaded: dict[str, Extractor] = {}


def module_for(mime: str) -> str | None:
    """The extractor module name for ``mime``, or None for a leaf type."""
    module_name = REGISTRY.get(mime)
    if module_name is None:
        module_name = next((m for prefix, m in PREFIXES if mime.startswith(prefix)), None)
    if module_name is None:
        module_name = next((m for suffix, m in SUFFIXES if mime.endswith(suffix)), None)
    return module_name


def load_all() -> None:
    """Import every registered extractor now, so a missing one stops the start."""
    for module_name in {*REGISTRY.values(), *(m for _, m in (*PREFIXES, *SUFFIXES))}:
        _load(module_name)


def load_format(module_name: str) -> Extractor:
    """The extract function of the extractor module ``module_name`` (imported now if it
    is not yet)."""
    return _load(module_name)


def _load(module_name: str) -> Extractor:
    fn = _loaded.get(module_name)
    if fn is None:
        module = importlib.import_module(f"filters.extract.{module_name}")
        fn = module.extract
        _loaded[module_name] = fn
    return fn


def extractor_for(mime: str) -> Extractor | None:
    """The extract function registered for ``mime``, or None for a leaf type."""
    module_name = module_for(mime)
    if module_name is None:
        return None
    return _load(module_name)
