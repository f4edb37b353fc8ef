"""Content type detection from the bytes (libmagic), refined for containers and text.

The declared type (Content-Type, file name) never decides alone: it only chooses
between text subtypes that libmagic cannot tell apart (an HTML fragment is text/plain
to libmagic) and tells a mail from text when the bytes look like a header block.
"""

from __future__ import annotations

import re
import threading
import zipfile
from typing import TYPE_CHECKING

from filters.types import Part

if TYPE_CHECKING:
    import magic

HEAD_BYTES = 8192

# libmagic's cookie is not safe to share between threads.
_local = threading.local()


def _magic() -> magic.Magic:
    cookie = getattr(_local, "magic", None)
    if cookie is None:
        # Loaded with the first part that needs it: plain text and mail never do, and
        # python-magic runs ldconfig to find the library.
        import magic

        cookie = magic.Magic(mime=True)
        _local.magic = cookie
    return cookie


# Bytes that never occur in plain text (all C0 controls but TAB, LF, FF, CR and ESC).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27)) + b"\x7f"
_CONTROL_TABLE = bytes.maketrans(b"", b"")
# Heads that libmagic must see because they start a text-based format we extract.
_TEXT_FORMAT_START = re.compile(
    rb"\s*(?:<|\{\\rtf|%PDF|%!|begin [0-7]{3} |-----BEGIN |!<arch>\n|07070[17]|[\x21-\x39\x3b-\x7e]+:[ \t]|"
    rb"\(This file must be converted with BinHex)",
    re.IGNORECASE
)
_HEADER_LINE = re.compile(rb"[!-9;-~]+:[ \t]?\S")
_MAIL_HEADERS = re.compile(
    rb"^(?:from|to|cc|subject|date|message-id|mime-version|received|return-path|"
    rb"content-type|reply-to|sender|x-[a-z0-9-]+):",
    re.IGNORECASE | re.MULTILINE,
)

# XML with no declaration: libmagic calls it text/plain, but a first start tag that
# declares a namespace is XML (XPS pages, Office and ODF parts written without one).
_XML_ROOT = re.compile(
    rb"(?:\xef\xbb\xbf)?\s*<(?:[A-Za-z_][\w.-]*:)?[A-Za-z_][\w.-]*\s[^<>]*?\bxmlns(?::[\w.-]+)?\s*=")

# libmagic names XML (SVG, above all) from a start tag it finds anywhere in the first
# bytes: a binary table of magic strings (shared-mime-info's mime/magic holds "<svg")
# is no XML, and an XML parser fails on it. XML starts with its markup (after a BOM and
# white space) or is UTF-16, whose NULs are no sign of binary.
_XML_START = re.compile(rb"(?:\xef\xbb\xbf)?\s*<|\xff\xfe|\xfe\xff|\x00<|<\x00")

# A flat OpenDocument file: its root element names the document type it holds.
_FLAT_ODF = re.compile(rb"<office:document\b[^>]*?\boffice:mimetype=\"(application/vnd\.oasis\."
                       rb"opendocument\.(?:text|spreadsheet|presentation|graphics))\"")

# iCalendar and vCard objects: their "NAME:value" lines would pass for a mail header
# block (X-MICROSOFT-CDO-… lines look like X- headers), so they are told apart first.
_DIRECTORY_START = re.compile(rb"(?:\xef\xbb\xbf)?\s*BEGIN:(VCALENDAR|VCARD)\s", re.IGNORECASE)

# First bytes of a CMS ContentInfo: DER/BER SEQUENCE, PEM armour (maybe after blank
# lines) or bare base64 ("MI").
_CMS_FIRST = (b"\x30", b"-", b"M", b"\r", b"\n")

# A head that is plainly an HTML page: after an optional BOM, white space and comments,
# a doctype naming html or the html start tag.
_HTML_START = re.compile(rb"(?:\xef\xbb\xbf)?(?:\s|<!--.*?-->)*<(?:!doctype\s+html|html)[\s>]",
                         re.IGNORECASE | re.DOTALL)
# libmagic tries these before its magic entries and names text that passes them as a tar
# archive (a checksum field holding an octal number: an old-style tar header can be all
# printable) or as CSV (the first line has commas outside quotes).
_TAR_CHECKSUM = re.compile(rb"[ \t\n\v\f\r]*[0-7]")
_CSV_TOKEN = re.compile(rb'[",\n]')
_CSV_QUOTED = re.compile(rb'(?:[^"]|"")*+"')  # the rest of a quoted field ("" is a quote)
_HTML_NAMES = (".htm", ".html")
# Script in a page can outrank the HTML entries of libmagic (it says application/javascript).
_SCRIPT = re.compile(rb"<script", re.IGNORECASE)

# Types whose declared text subtype is trusted when libmagic only says text/plain.
_TEXT_SUBTYPES = {"text/html", "text/xml", "application/xhtml+xml", "text/rtf", "text/csv",
                  "text/calendar", "text/markdown", "message/rfc822", "text/enriched",
                  "text/richtext"}


def looks_plain_text(head: bytes) -> bool:
    """True when ``head`` is plain text with no signature of a text-based format.

    libmagic's text classification costs about a millisecond per part against ~80 µs
    for binary signatures; plain-text mail bodies are the common case, so they are
    recognised here and everything else still goes to libmagic.
    """
    if not head or head.translate(_CONTROL_TABLE, _CONTROL) != head:
        return False
    if head[:2] in _UTF16_MARKS:
        return False
    return _TEXT_FORMAT_START.match(head) is None


_UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")


def plainly_html(head: bytes, declared: str, name: str) -> bool:
    """True when ``head`` of a part declared or named HTML is plainly an HTML page.

    libmagic's text path costs 250-300 µs for such a page and answers text/html; the
    answer is given here without it when the head starts as a page does and has no
    control bytes, no script, no PDF signature, and nothing libmagic's tar and CSV tests
    would take.
    Anything else (a document or archive behind an HTML-looking prefix) goes to libmagic.
    """
    if declared != "text/html" and not name.lower().endswith(_HTML_NAMES):
        return False
    if _HTML_START.match(head) is None or head.translate(_CONTROL_TABLE, _CONTROL) != head:
        return False
    if b"%PDF" in head or _SCRIPT.search(head) or (len(head) >= 512 and _TAR_CHECKSUM.match(head, 148)):
        return False
    return not _csv_like(head)


def _csv_like(head: bytes) -> bool:
    """Whether libmagic's CSV test could take ``head``: its first two lines end in a newline
    and have as many commas outside double quotes, one or more (libmagic gives up on the
    first line without, and on the first line whose count differs)."""
    pos = commas = 0
    counts: list[int] = []
    while (token := _CSV_TOKEN.search(head, pos)) is not None:
        pos = token.end()
        if token.group() == b"\n":
            counts.append(commas)
            if not counts[0] or counts[-1] != counts[0]:
                return False
            if len(counts) == 2:
                return True
            commas = 0
        elif token.group() == b",":
            commas += 1
        else:
            quoted = _CSV_QUOTED.match(head, pos)
            pos = quoted.end() if quoted else len(head)
    return False


def looks_like_mail(head: bytes) -> bool:
    """True when ``head`` starts with an RFC 5322 header block naming mail headers."""
    first = head.lstrip(b"\r\n")[:200]
    if first.startswith(b"From ") and b"\n" in first:  # mbox separator line
        first = first.split(b"\n", 1)[1]
    if not _HEADER_LINE.match(first):
        return False
    # Two are enough: findall read every line start of the first 4 KiB, 23 us a mail's
    # root, where the first two header lines settle most mail.
    found = _MAIL_HEADERS.finditer(head, 0, 4096)
    return next(found, None) is not None and next(found, None) is not None


def _refine_zip(part: Part) -> str:
    """Tell OOXML, ODF, OFD, XPS and iWork packages from plain zip archives by their member names."""
    try:
        with part.open() as f, zipfile.ZipFile(f) as archive:
            names = archive.namelist()
            if "OFD.xml" in names:
                return "application/ofd"  # GB/T 33190: the entry file names the package
            if "mimetype" in names:
                mime = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                if mime.startswith("application/vnd.oasis.opendocument"):
                    return mime
            if any(n.endswith("Index/Document.iwa") for n in names):
                return _iwork_type(names)
            if any(n.lower().endswith(".fdseq") for n in names):
                return "application/vnd.ms-xpsdocument"  # XPS or OpenXPS (ECMA-388)
            if "[Content_Types].xml" in names:
                if any(n.startswith("word/") for n in names):
                    return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                if any(n.startswith("xl/") for n in names):
                    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                if any(n.startswith("ppt/") for n in names):
                    return "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        pass
    return "application/zip"


def _iwork_type(names: list[str]) -> str:
    """Keynote keeps a Slide-N.iwa per slide, Numbers a CalculationEngine archive."""
    if any("/Slide" in n and n.endswith(".iwa") for n in names):
        return "application/vnd.apple.keynote"
    if any("/CalculationEngine" in n for n in names):
        return "application/vnd.apple.numbers"
    return "application/vnd.apple.pages"


def _cms_type(head: bytes) -> str | None:
    # Imported on first use: asn1crypto costs a one-file scan more than the scan itself.
    from filters.extract.smime import detected_type

    return detected_type(head)


def detect_type(part: Part) -> str:
    """The MIME type of ``part``'s content, from its bytes."""
    head = part.head(HEAD_BYTES)
    if not head:
        return "application/x-empty"
    declared = part.declared_type.lower()
    if head[:1] in b"Bb\xef\r\n \t" and (directory := _DIRECTORY_START.match(head)):
        return "text/calendar" if directory.group(1).upper() == b"VCALENDAR" else "text/vcard"
    # No control bytes: read once for the mail and plain-text tests (looks_plain_text's own).
    clean = head.translate(_CONTROL_TABLE, _CONTROL) == head
    if clean and looks_like_mail(head):
        return "message/rfc822"  # libmagic's text path costs ~1 ms and says the same
    if head[:1] in _CMS_FIRST and (cms := _cms_type(head)) is not None:
        # libmagic names DER PKCS #7 only in words (no MIME type) and PEM or base64 as text.
        return cms
    if clean and head[:2] not in _UTF16_MARKS and _TEXT_FORMAT_START.match(head) is None:
        mime = "text/plain"
    elif plainly_html(head, declared, part.name):
        mime = "text/html"
    else:
        mime = _magic().from_buffer(head)
    if head[:4] == b"MSCF" and mime != "application/vnd.ms-cab-compressed":
        # libmagic names a cabinet by what it holds (a .onepkg as OneNote) or not at all.
        return "application/vnd.ms-cab-compressed"
    if mime == "application/zip" or (mime == "application/octet-stream" and head[:2] == b"PK"):
        return _refine_zip(part)
    if mime in ("text/plain", "message/rfc822", "message/news"):
        if declared == "message/rfc822" or looks_like_mail(head):
            return "message/rfc822"
        if declared in _TEXT_SUBTYPES:
            return declared
        if mime == "text/plain" and _XML_ROOT.match(head):
            return "text/xml"
    if mime.endswith(("/xml", "+xml")) and not clean and not _XML_START.match(head):
        return "application/octet-stream"  # read for its text like any unknown binary
    if mime == "text/xml" and (flat := _FLAT_ODF.search(head)):
        return flat.group(1).decode("ascii") + "-flat-xml"
    if mime == "application/octet-stream" and head[:4] == b"\x0a\x0d\x0d\x0a" and head[8:12] in (
            b"\x4d\x3c\x2b\x1a", b"\x1a\x2b\x3c\x4d"):
        return "application/x-pcapng"  # a section header and its byte-order magic
    if mime == "application/octet-stream" and head[:6] == b"SVRLE2":
        from filters.extract.starview import looks_like_starview

        if looks_like_starview(head):
            return "application/x-starview-compressed"  # a LibreOffice gallery object
    if mime == "application/octet-stream" and head[:4] in (b"\x05\0\0\0", b"\x04\0\0\0"):
        from filters.extract.pak import looks_like_pak  # as the brotli trial below

        if looks_like_pak(head, part.size):
            return "application/x-chromium-pak"  # its header is no magic libmagic knows
    if mime == "application/octet-stream":
        # Imported here: the brotli trial (and the decompressors beside it) would add to
        # the start-up of every ``redline scan``, and only bytes libmagic cannot name need it.
        from filters.extract.brotli import TRIAL_BYTES, looks_like_brotli

        if looks_like_brotli(part.head(TRIAL_BYTES), part.size):
            return "application/x-brotli"  # brotli has no magic number: libmagic says "data"
    return mime
