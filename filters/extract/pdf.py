"""PDF (PDFium): page text and its top/bottom bands, metadata, annotations, attachments,
and text that is only pixels: scanned pages (rendered and read by OCR as ``page[N]#ocr``)
and pictures placed on pages of text (``page[N]/image[K]#ocr``)."""

from __future__ import annotations

import codecs
import contextlib
import ctypes
import hashlib
import io
import itertools
import math
import mmap
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from lxml import etree
from PIL import Image, ImageOps

from filters.errors import EncryptedContent, LimitReached, UnparseableContent
from filters.extract import pdf_hybrid, pdf_scripts
from filters.extract.pdf_damage import inspect
from filters.limits import Budget
from filters.ocr import OcrConfig, legible, read_for_item
from filters.types import Defect, Part

# PDFium is not thread-safe, not even across different documents: only one call into
# it may run at a time in the whole process. Every PDFium call below runs under this
# lock; it is re-entrant and never held across a ``yield``, so a PDF attached to a
# PDF (extracted while the outer document is still open) cannot deadlock.
PDFIUM_LOCK = threading.RLock()

# Share of the page height read as the header band and as the footer band: banner
# markings ("TOP SECRET//NOFORN") sit in the top and bottom margins.
BAND = 0.10

INFO_KEYS = ("Title", "Author", "Subject", "Keywords", "Creator", "Producer")
# Keys of the Info dictionary that hold no words (dates, a flag).
INFO_SKIPPED = {"CreationDate", "ModDate", "Trapped"}
# A custom key of the Info dictionary (Acrobat's Properties > Custom: Classification,
# a label tool's own keys): PDFium gives a key's value by name but cannot list the keys,
# so they are read from the dictionary as stored: the last trailer's /Info reference and
# that object's head, or the object as an object stream holds it (pdf_scripts, within its
# limits on streams and decoded bytes).
INFO_REFERENCE = re.compile(rb"/Info\s*(\d{1,10})\s+(\d{1,5})\s+R")
INFO_STRING_KEY = re.compile(rb"/([^\s/<>\[\]()%{}]{1,127})\s*(?=\(|<(?!<))")
MAX_INFO_BYTES = 8192
MAX_INFO_KEYS = 64
# Annotation dictionary keys whose text a reviewer or stamp tool wrote.
ANNOT_KEYS = (b"Contents\x00", b"Subj\x00")
# A stamp's standard name (/Draft, /Confidential, /NotApproved …) says what it shows.
STAMP_NAME_KEY = b"Name\x00"
# What a viewer draws for a stamp named so: the name's words in capitals (ISO 32000-1
# table 181: /TopSecret shows TOP SECRET, /NotForPublicRelease NOT FOR PUBLIC RELEASE),
# after Acrobat's set prefix (SB: Standard Business, SH: Sign Here; /SBConfidential).
# A custom stamp's name is an id (/#DxhX7V…): its words are in its appearance.
STAMP_SET_PREFIX = re.compile(r"S[BH](?=[A-Z])")
STAMP_WORD = re.compile(r"[A-Z][a-z]+|[A-Z]+(?![a-z])|[a-z]+|\d+")
# A form field's value in its widget annotation (when there is no form environment).
FIELD_VALUE_KEY = b"V\x00"
# Page objects (form XObjects' included) looked at for text drawn at an angle.
MAX_PAGE_OBJECTS = 20000
# Popups only repeat their parent annotation's text; links carry none (a widget gives its field value).
SKIPPED_ANNOTS = {pdfium_c.FPDF_ANNOT_POPUP, pdfium_c.FPDF_ANNOT_LINK}
# Annotations whose words may be in their appearance stream only.
APPEARANCE_ANNOTS = {pdfium_c.FPDF_ANNOT_STAMP, pdfium_c.FPDF_ANNOT_WATERMARK}
# Bookmarks: PDFium's walk stops cycles; this bounds a flat list of millions.
MAX_BOOKMARKS = 10000
# XMP metadata (the catalog's /Metadata stream, ISO 16684-1) is found as XMP readers find
# it, by its packet markers: PDFium has no call for it and writers store it uncompressed.
XMP_START, XMP_END = b"<x:xmpmeta", b"</x:xmpmeta>"
MAX_XMP_PACKETS = 4
MAX_XMP_BYTES = 1 << 20
# XMP values that carry no words: document and instance ids, dates, numbers, MIME types.
XMP_SKIPPED_NAMESPACES = ("http://ns.adobe.com/xap/1.0/mm/", "http://ns.adobe.com/xap/1.0/sType/")
XMP_NO_WORDS = re.compile(r"(uuid:|xmp\.[id]id:|adobe:docid:)\S*|[\d.:T+Z-]*|[a-z]+/[\w.+-]+|True|False")
_XMP_SKIPPED = tuple("{" + ns for ns in XMP_SKIPPED_NAMESPACES)
# Sensitivity-label properties (MSIP_Label_<id>_Name, _Method = "Privileged" ...) are
# the label engine's, read from the raw bytes through the [labels] map, as in Office files.
XMP_LABEL_PROPERTY = "MSIP_Label_"
_XMP_PARSER = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
# Picture objects measured per page for the scan test; a page of thousands is a mosaic.
MAX_PICTURES = 2000
# Pictures on a page of text that are read: at least this big on the page (points: one
# inch wide, a line of 10 pt type high), at most this many per page.
MIN_PICTURE_POINTS = (72.0, 10.0)
MAX_PAGE_PICTURES = 20
# A placed JPEG whose pixels stand on the page as stored (upright, not mirrored, scaled
# alike both ways within this ratio, no transparency or clip cutting into it) is decoded
# from its stream, not drawn: drawing adds a resampling pass and half again the decode.
STORED_FILTERS = ["DCTDecode"]
MAX_STRETCH = 1.25
# PDFium does not show an image's dictionary, so whether a JPEG has a soft mask (/SMask)
# or a mask (/Mask) is read in the file: its dictionary is found before its stream's bytes
# (a stream is never inside an object stream), at most MAX_DICT_BYTES back; the
# stream's first and last STREAM_PROBE bytes find where it is.
MAX_DICT_BYTES = 4096
STREAM_PROBE = 256  # a long needle: find skips further (0.1 ms a 2 MB file)
_STREAM_START = re.compile(rb"stream(?:\r\n|\n|\r)?\Z")
_OBJECT_HEADER = re.compile(rb"[\r\n][ \t]*\d+[ \t\r\n]+\d+[ \t\r\n]+obj(?![^\s/<\[(%])")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_MASK_KEY = re.compile(rb"/S?Mask(?![^\s/<>\[\]()%{}])")
# Most pixels a page is rendered at for OCR (~300 dpi A4); a poster gets fewer dpi.
MAX_RENDER_PIXELS = 12_000_000
# Text drawn as filled outlines (Fontwork, "convert text to outlines"): a filled path of
# at least OUTLINE_PATH_SEGMENTS segments is glyph-like (a bar, a rule, a pie slice or a
# rounded box has fewer), and OUTLINE_SEGMENTS of them on a page are a word or more.
OUTLINE_PATH_SEGMENTS = 10
OUTLINE_SEGMENTS = 60
# Points added round the outlines' box when it is rendered for OCR.
OUTLINE_MARGIN = 12.0
# Outlines laid over a page's text: read when they are letters (at least this many closed
# contours: SECRET has 7, an area chart's series one each) much larger than the text
# under them (no more than pdf_min_chars of its characters half their height or more).
OUTLINE_CONTOURS = 6
MAX_SIZE_CHARS = 4000  # characters of a page whose height is looked at, at most


# PDFium's text page handle (FPDF_TEXTPAGE), used raw.
TextPage = Any

# Text runs per page examined for column gaps; beyond it the page keeps PDFium's spacing.
MAX_RECTS = 20000
RULE_WIDTH = 2.0  # points: a path at most this wide (and twice as tall) is an upright rule


def _vertical_rules(page: Any) -> list[tuple[float, float, float, float]]:
    """The thin upright lines drawn on a page (``page``: its raw FPDF_PAGE), as left,
    right, bottom and top: the borders a table draws between its cells."""
    rules = []
    box = left_c, bottom_c, right_c, top_c = [ctypes.c_float() for _ in range(4)]
    pointers = [ctypes.byref(value) for value in box]
    for index in range(min(pdfium_c.FPDFPage_CountObjects(page), MAX_RECTS)):
        obj = pdfium_c.FPDFPage_GetObject(page, index)
        if pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        if not pdfium_c.FPDFPageObj_GetBounds(obj, *pointers):
            continue
        left, bottom, right, top = left_c.value, bottom_c.value, right_c.value, top_c.value
        if right - left <= RULE_WIDTH and top - bottom >= 2 * RULE_WIDTH:
            rules.append((left, right, bottom, top))
    return rules


def _column_breaks(textpage: TextPage, text: str, page: Any = None) -> str:
    """``text`` with a tab where a line jumps a wide gap: the next cell of a table row.

    PDFium joins the cells of a table row with one space ("Classification CONFIDENTIAL"),
    so a marking alone in its cell would look like part of a sentence. A gap at least
    as wide as the text is tall is no word space; nor is a narrower one that a table's
    upright border crosses (``page``, the raw FPDF_PAGE: Chromium prints a ruled table
    with its cells' padding, 8 pt between cells whose text is 8.4 pt tall, where a word
    space is 5 pt). The tab there keeps the cells apart, as the office formats'
    extractors do.
    """
    count = pdfium_c.FPDFText_CountRects(textpage, 0, -1)
    if count < 2 or count > MAX_RECTS:
        return text
    # The loop runs once per run of text on the page: names are bound locally on purpose.
    box = left_c, top_c, right_c, bottom_c = [ctypes.c_double() for _ in range(4)]
    pointers = [ctypes.byref(value) for value in box]
    get_rect = pdfium_c.FPDFText_GetRect
    cuts: list[int] = []
    rules: list[tuple[float, float, float, float]] | None = None  # read at the first narrow gap
    previous: tuple[float, float, float] | None = None  # right, top, bottom
    for index in range(count):
        if not get_rect(textpage, index, *pointers):
            previous = None
            continue
        left, top, right, bottom = left_c.value, top_c.value, right_c.value, bottom_c.value
        if previous is not None:
            p_right, p_top, p_bottom = previous
            height = max(top - bottom, p_top - p_bottom)
            overlap = min(top, p_top) - max(bottom, p_bottom)
            gap = left - p_right
            ruled = False
            if page is not None and height > 0 and overlap > height / 2 and 0 < gap < height:
                if rules is None:
                    rules = _vertical_rules(page)
                middle = (top + bottom) / 2
                ruled = any(p_right - 0.5 <= r_left and r_right <= left + 0.5 and r_bottom <= middle <= r_top
                            for r_left, r_right, r_bottom, r_top in rules)
            if height > 0 and overlap > height / 2 and (gap >= height or ruled):
                at = pdfium_c.FPDFText_GetCharIndexAtPos(
                    textpage, left + min(1.0, (right - left) / 2), (top + bottom) / 2, 1.0, 1.0)
                # Trust the index only where it names the same character in ``text``.
                if 0 < at < len(text) and pdfium_c.FPDFText_GetUnicode(textpage, at) == ord(text[at]):
                    cuts.append(at)
        previous = (right, top, bottom)
    if not cuts:
        return text
    pieces: list[str] = []
    last = 0
    for at in sorted(set(cuts)):
        before = at - 1 if text[at - 1] == " " else at  # PDFium's space becomes the tab
        pieces.append(text[last:before])
        pieces.append("\t")
        last = at
    pieces.append(text[last:])
    return "".join(pieces)


def _ushorts(size: int) -> ctypes.Array[ctypes.c_ushort]:
    """A zeroed UTF-16 buffer of at least ``size`` units. Its length is a power of two, so
    that ctypes makes a new array type for a few lengths, not once per page (which cost
    more than the copy of the text)."""
    return (ctypes.c_ushort * (1 << max(size - 1, 0).bit_length()))()


def _all_text(textpage: TextPage) -> str:
    """All the text of a text page, as pypdfium2's ``PdfTextPage.get_text_range()`` reads
    it: characters PDFium leaves out of the text at either end are not asked for
    (crbug.com/pdfium/2079), and undecodable UTF-16 is dropped."""
    count = pdfium_c.FPDFText_CountChars(textpage)
    if count == -1:
        raise pdfium.PdfiumError("Failed to get character count.")
    first, last = 0, count - 1
    text_index = pdfium_c.FPDFText_GetTextIndexFromCharIndex
    while first <= last and text_index(textpage, first) == -1:
        first += 1
    while first <= last and text_index(textpage, last) == -1:
        last -= 1
    if first > last:
        return ""
    size = text_index(textpage, last) + 2 - text_index(textpage, first)  # with the NUL
    buffer = _ushorts(size)
    written = pdfium_c.FPDFText_GetText(textpage, first, last - first + 1, buffer)
    end = written - 1
    if end < 0:  # as a slice of a buffer of ``size`` units would end
        end = max(size + end, 0)
    return codecs.decode(memoryview(buffer)[:end], "utf-16-le", "ignore")


def _bounded_text(textpage: TextPage, left: float, bottom: float, right: float,
                  top: float) -> str:
    """The text inside a rectangle of the page, as ``PdfTextPage.get_text_bounded()``."""
    size = pdfium_c.FPDFText_GetBoundedText(textpage, left, top, right, bottom, None, 0)
    if size <= 0:
        return ""
    buffer = _ushorts(size)
    pdfium_c.FPDFText_GetBoundedText(textpage, left, top, right, bottom, buffer, size)
    return codecs.decode(memoryview(buffer)[:size], "utf-16-le", "ignore")


UNREADABLE_SHARE = 0.3  # of a text layer's characters: control codes, private use, U+FFFD
_UNREADABLE_CHARS = re.compile("[\x00-\x1f\ue000-\uf8ff\ufffd]")


def unreadable_text(text: str) -> bool:
    """True when a page's extracted text is mostly characters no font maps to letters:
    C0 control codes (glyph numbers passed through), private-use characters and U+FFFD."""
    letters = "".join(text.split())
    if not letters:
        return False
    # Counted by one regular expression pass, not a Python test per character.
    bad = len(_UNREADABLE_CHARS.findall(letters))
    return bad >= UNREADABLE_SHARE * len(letters)


# Text drawn in a font that gives PDFium no Unicode (no /ToUnicode map, and no encoding
# whose glyph names it knows: an Identity-H CID font whose subset keeps no cmap, a Type3
# font of made-up glyph names) reads as its character codes, which can look like words
# (6(&5(7 is SECRET in glyph ids of a subset font); PDFium marks each such character. This
# many in a row is a word drawn so, and its page is read by OCR. Every UNMAPPED_STRIDE-th
# character is asked (a run that long holds one of them), then a marked one's neighbours:
# a call per character cost as much as reading the page's text.
UNMAPPED_RUN = 4
UNMAPPED_STRIDE = UNMAPPED_RUN


# FPDFText_HasUnicodeMapError through a prototype without argument types: ctypes then
# passes the text page pointer and the index as they are, at less than half the cost of
# pypdfium2's checked binding (a call for every fourth character of every page).
_unmapped_char = ctypes.CFUNCTYPE(ctypes.c_int)(
    ctypes.cast(pdfium_c.FPDFText_HasUnicodeMapError, ctypes.c_void_p).value)


def unmapped_word(textpage: TextPage) -> bool:
    """True when the text page has UNMAPPED_RUN characters in a row whose font maps them
    to no Unicode (PDFium passed the character code through as the text)."""
    count = pdfium_c.FPDFText_CountChars(textpage)
    unmapped = _unmapped_char
    sampled = range(UNMAPPED_STRIDE - 1, count, UNMAPPED_STRIDE)
    # One pass with the loop in C (map); on a page of ordinary fonts that is all.
    flags = list(map(unmapped, itertools.repeat(textpage, len(sampled)), sampled))
    if 1 not in flags:
        return False
    for index, flag in zip(sampled, flags, strict=True):
        if flag != 1:
            continue
        first = last = index
        while first > 0 and index - first < UNMAPPED_RUN and unmapped(textpage, first - 1) == 1:
            first -= 1
        while last + 1 < count and last - first + 1 < UNMAPPED_RUN and unmapped(textpage, last + 1) == 1:
            last += 1
        if last - first + 1 >= UNMAPPED_RUN:
            return True
    return False


def _clean(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\x00", "").strip()


def _wide_string(getter, *args) -> str:  # type: ignore[no-untyped-def]
    """Read a PDFium UTF-16LE out-string: ask for the size, then fill a buffer."""
    n_bytes = getter(*args, None, 0)
    if n_bytes <= 2:
        return ""
    buffer = ctypes.create_string_buffer(n_bytes)
    getter(*args, ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR)), n_bytes)
    return buffer.raw[: n_bytes - 2].decode("utf-16-le", "replace")


def _open(part: Part, data: bytes | None) -> pdfium.PdfDocument:
    """Open the document without a password; map PDFium's load errors to ours."""
    source: Path | bytes = part.path if part.path is not None else (data or b"")
    try:
        doc = pdfium.PdfDocument(source)
    except pdfium.PdfiumError as exc:
        if exc.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            raise EncryptedContent("PDF is password-protected") from exc
        if exc.err_code == pdfium_c.FPDF_ERR_SECURITY:
            raise EncryptedContent("PDF uses an unsupported encryption (security handler)") from exc
        reason = str(exc).removeprefix("Failed to load document ").strip("(). ")
        raise UnparseableContent(f"PDF cannot be opened: {reason or 'unknown error'}") from exc
    except OSError as exc:
        raise UnparseableContent(f"PDF cannot be read: {exc}") from exc
    # The form environment gives each field its value, inherited ones too.
    with contextlib.suppress(pdfium.PdfiumError, RuntimeError):
        doc.init_forms()
    return doc


def _bands(page: pdfium.PdfPage) -> tuple[tuple[float, float, float, float], ...]:
    """(left, bottom, right, top) of the visual top and bottom bands in page space.

    The text page works in unrotated page space, so for a page shown rotated by
    /Rotate the visual top margin is a side band of the page box.
    """
    left, bottom, right, top = page.get_bbox()
    w, h = right - left, top - bottom
    rotation = page.get_rotation() % 360
    top_band = (left, top - BAND * h, right, top)
    bottom_band = (left, bottom, right, bottom + BAND * h)
    left_band = (left, bottom, left + BAND * w, top)
    right_band = (right - BAND * w, bottom, right, top)
    return {
        90: (left_band, right_band),
        180: (bottom_band, top_band),
        270: (right_band, left_band),
    }.get(rotation, (top_band, bottom_band))


def _field_value(doc: pdfium.PdfDocument, annot: object) -> str:
    """A form field's value: from the form environment when there is one (a value the
    field inherits from its parent), else the widget's own /V."""
    formenv = getattr(doc, "formenv", None)
    value = ""
    if formenv:
        value = _wide_string(pdfium_c.FPDFAnnot_GetFormFieldValue, formenv, annot)
    if not value:
        value = _wide_string(pdfium_c.FPDFAnnot_GetStringValue, annot, FIELD_VALUE_KEY)
    return _clean(value)


def _annotation_texts(page: pdfium.PdfPage, budget: Budget, doc: pdfium.PdfDocument,
                      ) -> tuple[list[str], list[str], list[str], int]:
    """Texts of the page's annotations (contents, subjects and stamp names), the values
    filled into its form fields, the words its standard stamps show, and how many
    annotations show words only their appearance holds (a custom stamp, a watermark)."""
    texts: list[str] = []
    fields: list[str] = []
    stamps: list[str] = []
    drawn = 0
    count = pdfium_c.FPDFPage_GetAnnotCount(page)
    for index in range(max(count, 0)):
        budget.check_time()
        annot = pdfium_c.FPDFPage_GetAnnot(page, index)
        if not annot:
            continue
        try:
            subtype = pdfium_c.FPDFAnnot_GetSubtype(annot)
            if subtype in SKIPPED_ANNOTS:
                continue
            if subtype == pdfium_c.FPDF_ANNOT_WIDGET:
                value = _field_value(doc, annot)
                if value:
                    fields.append(value)
            for key in ANNOT_KEYS:
                value = _clean(_wide_string(pdfium_c.FPDFAnnot_GetStringValue, annot, key))
                if value:
                    texts.append(value)
            if subtype == pdfium_c.FPDF_ANNOT_STAMP:
                name = _clean(_wide_string(pdfium_c.FPDFAnnot_GetStringValue, annot,
                                           STAMP_NAME_KEY))
                words = stamp_words(name) if name else ""
                if name:
                    texts.append(f"Stamp: {name}")
                if words:
                    stamps.append(words)
                else:
                    drawn += 1
            elif subtype == pdfium_c.FPDF_ANNOT_WATERMARK:
                drawn += 1
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annot)
    return texts, fields, stamps, drawn


def _appearance_lines(doc: pdfium.PdfDocument, index: int, page: pdfium.PdfPage,
                      body: str) -> list[str]:
    """The lines a page's custom stamps and watermark annotations draw: their appearance
    streams alone hold their words. The page is flattened (PDFium makes each shown
    annotation's appearance page content) with its other annotations hidden first (their
    texts are read from their dictionaries) and loaded again (``page`` keeps the content
    it parsed), and the lines its text then has that the page's own text has not are
    theirs."""
    for at in range(max(pdfium_c.FPDFPage_GetAnnotCount(page.raw), 0)):
        annot = pdfium_c.FPDFPage_GetAnnot(page.raw, at)
        if not annot:
            continue
        try:
            if pdfium_c.FPDFAnnot_GetSubtype(annot) not in APPEARANCE_ANNOTS:
                pdfium_c.FPDFAnnot_SetFlags(annot, pdfium_c.FPDFAnnot_GetFlags(annot)
                                            | pdfium_c.FPDF_ANNOT_FLAG_HIDDEN)
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annot)
    if pdfium_c.FPDFPage_Flatten(page.raw, pdfium_c.FLAT_NORMALDISPLAY) != pdfium_c.FLATTEN_SUCCESS:
        return []
    flattened = pdfium_c.FPDF_LoadPage(doc.raw, index)
    if not flattened:
        return []
    try:
        textpage = pdfium_c.FPDFText_LoadPage(flattened)
        if not textpage:
            return []
        try:
            flat = _clean(_all_text(textpage))
        finally:
            pdfium_c.FPDFText_ClosePage(textpage)
    finally:
        pdfium_c.FPDF_ClosePage(flattened)
    own = set(body.splitlines())
    return [line for line in flat.splitlines() if line.strip() and line not in own]


def stamp_words(name: str) -> str:
    """What a viewer draws for a stamp of this standard name ("TOP SECRET" for TopSecret,
    "CONFIDENTIAL" for SBConfidential); "" for a custom stamp's id."""
    bare = STAMP_SET_PREFIX.sub("", name, count=1)
    words = STAMP_WORD.findall(bare) if name.isascii() and name[:1].isalpha() else []
    return " ".join(words).upper() if "".join(words) == bare else ""


def _angle(matrix: pdfium_c.FS_MATRIX) -> float:
    """The rotation of a text object's matrix in degrees, 0 to 360."""
    return math.degrees(math.atan2(matrix.b, matrix.a)) % 360


Box = tuple[float, float, float, float]  # left, bottom, right, top in page space


@dataclass(frozen=True, slots=True)
class Outlines:
    """Filled paths on a page that look like glyph outlines: their box (page space), how
    many closed contours they hold (counted up to OUTLINE_CONTOURS), and the median short
    side of the objects that hold them (points: the type size of a level word)."""

    box: Box
    contours: int
    size: float


def _rotated_texts(page: pdfium.PdfPage,
                   textpage: TextPage) -> tuple[list[str], bool, Outlines | None]:
    """Text drawn at an angle, each run of one angle a line of its own: a diagonal
    watermark, or a marking written up a side margin; whether the page holds a picture
    or a form object (which may hold pictures); and the box of the filled paths that look
    like glyph outlines when there are enough of them to be words (else None), all seen
    on the same walk.

    PDFium's page text runs such text into the line beside it ("Plan for the depot
    CONFIDENTIAL"), where it no longer stands alone. Text turned by a right angle counts
    only when it is a small share of the page (else the page itself is turned).
    """
    runs: list[tuple[float, list[str]]] = []
    upright = 0
    # Asked of PDFium object by object, without pypdfium2's wrapper objects: a page of
    # text holds thousands of text objects.
    stack = [(page.raw, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject, 0, None)]
    seen = 0
    matrix = pdfium_c.FS_MATRIX()
    get_type, get_matrix = pdfium_c.FPDFPageObj_GetType, pdfium_c.FPDFPageObj_GetMatrix
    text_kind, form_kind, image_kind, path_kind = (
        pdfium_c.FPDF_PAGEOBJ_TEXT, pdfium_c.FPDF_PAGEOBJ_FORM, pdfium_c.FPDF_PAGEOBJ_IMAGE,
        pdfium_c.FPDF_PAGEOBJ_PATH)
    pictures = False
    # Glyph-like paths: their segments and the page-level objects that hold them (a path
    # inside a form object has its bounds in the form's space, so the form's are taken).
    outline_segments = outline_contours = 0
    outline_holders: list[Any] = []
    count_segments, draw_mode = pdfium_c.FPDFPath_CountSegments, pdfium_c.FPDFPath_GetDrawMode
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    while stack and seen < MAX_PAGE_OBJECTS:
        holder, count_of, get, depth, top = stack.pop()
        for index in range(max(count_of(holder), 0)):
            seen += 1
            if seen >= MAX_PAGE_OBJECTS:
                break
            obj = get(holder, index)
            kind = get_type(obj)
            if kind == text_kind:
                if not get_matrix(obj, matrix):
                    continue
                if matrix.b == 0 and matrix.a > 0:
                    upright += 1  # not turned at all: the common case, no angle to work out
                    continue
            elif kind == path_kind:
                segments = count_segments(obj)
                if (segments >= OUTLINE_PATH_SEGMENTS and draw_mode(obj, fill, stroke)
                        and fill.value):
                    outline_segments += segments
                    if outline_contours < OUTLINE_CONTOURS:
                        outline_contours += _contours(obj, segments)
                    holder_obj = top if top is not None else obj
                    if not outline_holders or outline_holders[-1] is not holder_obj:
                        outline_holders.append(holder_obj)
                continue
            elif kind == form_kind:
                pictures = True
                if depth < 4:
                    stack.append((obj, pdfium_c.FPDFFormObj_CountObjects,
                                  pdfium_c.FPDFFormObj_GetObject, depth + 1,
                                  top if top is not None else obj))
                continue
            else:
                pictures = pictures or (kind == image_kind and depth == 0)
                continue
            angle = _angle(matrix)
            if min(angle, 360 - angle) < 2:
                upright += 1
                continue
            text = _wide_string(pdfium_c.FPDFTextObj_GetText, obj, textpage)
            if not text.strip():
                continue
            if runs and abs(runs[-1][0] - angle) < 1:
                runs[-1][1].append(text)  # one letter per object: the same run
            else:
                runs.append((angle, [text]))
    if seen >= MAX_PAGE_OBJECTS and not pictures:
        pictures = _may_hold_pictures(page)  # the walk stopped before the page's end
    lines = []
    turned = sum(1 for angle, _ in runs if min(angle % 90, 90 - angle % 90) < 2)
    for angle, pieces in runs:
        square = min(angle % 90, 90 - angle % 90) < 2
        if square and turned * 4 > upright + turned:
            continue
        line = _clean("".join(pieces))
        if line:
            lines.append(line)
    outlines = None
    box = _union_bounds(outline_holders) if outline_segments >= OUTLINE_SEGMENTS else None
    if box is not None:
        sides = sorted(min(b[2] - b[0], b[3] - b[1])
                       for b in (_union_bounds([held]) for held in outline_holders) if b)
        outlines = Outlines(box, outline_contours, sides[len(sides) // 2] if sides else 0.0)
    return lines, pictures, outlines


def _contours(path: Any, segments: int) -> int:
    """Closed contours (subpaths begun by a move) of a path, counted up to OUTLINE_CONTOURS."""
    get, kind, move = (pdfium_c.FPDFPath_GetPathSegment, pdfium_c.FPDFPathSegment_GetType,
                       pdfium_c.FPDF_SEGMENT_MOVETO)
    found = 0
    for index in range(segments):
        if kind(get(path, index)) == move:
            found += 1
            if found >= OUTLINE_CONTOURS:
                break
    return found


def _large_chars(textpage: TextPage, box: Box, height: float) -> int:
    """Characters of the text layer centred in ``box`` at least ``height`` points high."""
    left, bottom, right, top = box
    values = [ctypes.c_double() for _ in range(4)]
    pointers = [ctypes.byref(value) for value in values]
    found = 0
    for index in range(min(max(pdfium_c.FPDFText_CountChars(textpage), 0), MAX_SIZE_CHARS)):
        if not pdfium_c.FPDFText_GetCharBox(textpage, index, *pointers):
            continue
        c_left, c_right, c_bottom, c_top = (value.value for value in values)
        x, y = (c_left + c_right) / 2, (c_bottom + c_top) / 2
        if left <= x <= right and bottom <= y <= top and c_top - c_bottom >= height:
            found += 1
    return found


def _hide_text(page: pdfium.PdfPage) -> None:
    """Make the page's text objects (also inside form objects) invisible in this loaded
    copy of the page, so a rendering shows its paths and pictures alone. The page is
    closed after; the document is never written back."""
    invisible = pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE
    stack = [(page.raw, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject, 0)]
    seen = 0
    while stack and seen < MAX_PAGE_OBJECTS:
        holder, count_of, get, depth = stack.pop()
        for index in range(max(count_of(holder), 0)):
            seen += 1
            obj = get(holder, index)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
                pdfium_c.FPDFTextObj_SetTextRenderMode(obj, invisible)
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < 4:
                stack.append((obj, pdfium_c.FPDFFormObj_CountObjects,
                              pdfium_c.FPDFFormObj_GetObject, depth + 1))


def _union_bounds(objects: list[Any]) -> Box | None:
    """The box round page objects' bounds (page space), None when PDFium gives none."""
    box: Box | None = None
    values = [ctypes.c_float() for _ in range(4)]
    pointers = [ctypes.byref(value) for value in values]
    for obj in objects:
        if not pdfium_c.FPDFPageObj_GetBounds(obj, *pointers):
            continue
        left, bottom, right, top = (value.value for value in values)
        box = (left, bottom, right, top) if box is None else (
            min(box[0], left), min(box[1], bottom), max(box[2], right), max(box[3], top))
    return box


def _annotation_files(page: pdfium.PdfPage, doc: pdfium.PdfDocument) -> list[pdfium.PdfAttachment]:
    """Files attached to the page through file-attachment annotations."""
    found: list[pdfium.PdfAttachment] = []
    for index in range(max(pdfium_c.FPDFPage_GetAnnotCount(page), 0)):
        annot = pdfium_c.FPDFPage_GetAnnot(page, index)
        if not annot:
            continue
        try:
            if pdfium_c.FPDFAnnot_GetSubtype(annot) == pdfium_c.FPDF_ANNOT_FILEATTACHMENT:
                raw = pdfium_c.FPDFAnnot_GetFileAttachment(annot)
                if raw:
                    found.append(pdfium.PdfAttachment(raw, doc))
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annot)
    return found


def _attachment_part(
    part: Part, budget: Budget, attachment: pdfium.PdfAttachment, index: int
) -> Part | Defect:
    """A content part with one embedded file's bytes (size checked before copying)."""
    try:
        name = attachment.get_name()
    except pdfium.PdfiumError:
        name = ""
    name = name.replace("/", "_").replace("\x00", "") or f"attachment{index}"
    label = f"attachment[{index}]:{name}"
    size = ctypes.c_ulong()
    if not pdfium_c.FPDFAttachment_GetFile(attachment, None, 0, size):
        return Defect("extract.unparseable", "high",
                      f"embedded file {name!r} in the PDF cannot be read",
                      where=part.child_origin(label))
    if size.value > budget.limits.max_part_bytes:
        raise LimitReached("max_part_bytes", f"embedded file {name!r} of {size.value} bytes "
                           f"is larger than {budget.limits.max_part_bytes} bytes")
    buffer = (ctypes.c_char * max(size.value, 1))()
    written = ctypes.c_ulong()
    pdfium_c.FPDFAttachment_GetFile(attachment, buffer, size.value, written)
    view = memoryview(buffer).cast("B")[: min(written.value, size.value)]
    chunks = (bytes(view[i : i + (1 << 20)]) for i in range(0, len(view), 1 << 20))
    data, spooled = budget.collect(chunks, what=f"embedded file {name!r}")
    return budget.child(part, label, data=data, path=spooled, name=name)


def _local(name: str) -> str:
    """An XML name without its {namespace}."""
    return name.rpartition("}")[2]


def _xmp_values(packet: bytes) -> list[str]:
    """The word-bearing values of one XMP packet: element texts and the attribute form
    of simple properties (pdf:Keywords="..."), ids and dates left out."""
    root = etree.fromstring(packet, _XMP_PARSER)
    if root is None:
        return []
    values: list[str] = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag.startswith(_XMP_SKIPPED) or _local(el.tag).startswith(XMP_LABEL_PROPERTY):
            continue
        candidates = [el.text or ""] if len(el) == 0 else []
        candidates.extend(v for k, v in el.attrib.items()
                          if k.startswith("{") and not k.startswith("{http://www.w3.org/")
                          and not k.startswith(_XMP_SKIPPED)
                          and not _local(k).startswith(XMP_LABEL_PROPERTY))
        for value in candidates:
            value = value.strip()
            if value and not XMP_NO_WORDS.fullmatch(value):
                values.append(value)
    return values


@contextlib.contextmanager
def _raw_bytes(part: Part, data: bytes | None) -> Iterator[bytes | mmap.mmap]:
    """The PDF's own bytes: ``data``, or its spool file mapped (b"" where it cannot be)."""
    if data is not None:
        yield data
        return
    with part.open() as stream:
        try:
            view = mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)
        except (ValueError, OSError, io.UnsupportedOperation):  # empty, or not a file
            view = None
        if view is None:
            yield b""
            return
        with view:
            yield view


def _xmp_parts(part: Part, budget: Budget, whole: bytes | mmap.mmap) -> list[Part]:
    """The document's XMP metadata values as a property part (the first packets found)."""
    lines: list[str] = []
    start = whole.find(XMP_START)
    packets = 0
    while start != -1 and packets < MAX_XMP_PACKETS:
        end = whole.find(XMP_END, start, start + MAX_XMP_BYTES)
        if end == -1:
            break
        packets += 1
        lines.extend(_xmp_values(bytes(whole[start : end + len(XMP_END)])))
        start = whole.find(XMP_START, end)
    budget.check_time()
    text = "\n".join(dict.fromkeys(lines))
    return [budget.child(part, "#xmp", text=text, role="property", name="XMP")] if text else []


def _custom_info_parts(part: Part, budget: Budget, doc: pdfium.PdfDocument,
                       whole: bytes | mmap.mmap) -> list[Part]:
    """The Info dictionary's other string values (custom keys), as property parts."""
    at = whole.rfind(b"/Info")
    reference = INFO_REFERENCE.match(whole, at) if at != -1 else None
    if reference is None:
        return []
    number, generation = int(reference.group(1)), int(reference.group(2))
    head = b"%d %d obj" % (number, generation)
    start = whole.rfind(head)
    while start > 0 and whole[start - 1 : start].isdigit():  # 11 0 obj is not 1 0 obj
        start = whole.rfind(head, 0, start)
    if start != -1:
        stored = bytes(whole[start : start + MAX_INFO_BYTES])
        stored = stored[: stored.find(b"endobj")] if b"endobj" in stored else stored
    else:  # packed in an object stream (PDF 1.5 writers with object streams on)
        stored = (pdf_scripts.compressed_object(whole, number) or b"")[:MAX_INFO_BYTES]
    out: list[Part] = []
    for raw_key in dict.fromkeys(INFO_STRING_KEY.findall(stored)[:MAX_INFO_KEYS]):
        key = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]),
                     raw_key).decode("utf-8", "replace")
        # MSIP_Label_* keys: the label engine reads a PDF's sensitivity labels from the file
        # itself (filters/engines/labels.py); read here too, each label was reported twice.
        if key in INFO_KEYS or key in INFO_SKIPPED or key.startswith("MSIP_Label_"):
            continue
        value = _clean(doc.get_metadata_value(key))
        if value:
            out.append(budget.child(part, f"#info.{key}", text=value, role="property", name=key))
    budget.check_time()
    return out


def _document_parts(part: Part, budget: Budget, doc: pdfium.PdfDocument) -> list[Part | Defect]:
    """Parts that belong to the document as a whole: encryption note, metadata, bookmarks."""
    out: list[Part | Defect] = []
    if pdfium_c.FPDF_GetSecurityHandlerRevision(doc) != -1:
        permissions = pdfium_c.FPDF_GetDocPermissions(doc) & 0xFFFFFFFF
        restricted = "restricts copying" if not permissions & 0x10 else "sets permissions"
        out.append(Defect(
            "extract.pdf_permissions", "low",
            f"PDF is encrypted with an owner password that {restricted}; it opens without "
            "a password, so its content was inspected",
            where=part.origin,
        ))
    for key in INFO_KEYS:
        value = _clean(doc.get_metadata_value(key))
        if value:
            out.append(budget.child(part, f"#info.{key}", text=value, role="property", name=key))
    titles: list[str] = []
    for bookmark in doc.get_toc():
        budget.check_time()
        if len(titles) >= MAX_BOOKMARKS:
            budget.note_limit("max_parts")
            break
        title = _clean(bookmark.get_title())
        if title:
            titles.append(title)
    if titles:
        out.append(budget.child(part, "#outline", text="\n".join(titles), role="title"))
    return out


def _may_hold_pictures(page: pdfium.PdfPage) -> bool:
    """Whether the page has a picture or a form object (which may hold pictures), for a
    page of more objects than ``_rotated_texts`` walks."""
    wanted = (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_FORM)
    for index in range(max(pdfium_c.FPDFPage_CountObjects(page), 0)):
        if pdfium_c.FPDFPageObj_GetType(pdfium_c.FPDFPage_GetObject(page, index)) in wanted:
            return True
    return False


def _pictures(page: pdfium.PdfPage, may_hold: bool) -> tuple[float, list[pdfium.PdfImage]]:
    """Share of the page's area that its pictures cover (inside forms too, at most 1), and
    the pictures large enough on the page to carry a line of text; ``may_hold``: whether
    the page has a picture or form object at all (``_rotated_texts`` tells)."""
    if not may_hold:
        return 0.0, []
    left, bottom, right, top = page.get_bbox()
    area = max((right - left) * (top - bottom), 1.0)
    covered = 0.0
    legible = []
    for count, obj in enumerate(page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=4)):
        if count >= MAX_PICTURES:
            break
        o_left, o_bottom, o_right, o_top = obj.get_bounds()
        width = min(o_right, right) - max(o_left, left)
        height = min(o_top, top) - max(o_bottom, bottom)
        if width > 0 and height > 0:
            covered += width * height
            if width >= MIN_PICTURE_POINTS[0] and height >= MIN_PICTURE_POINTS[1]:
                legible.append(obj)
    return min(covered / area, 1.0), legible


def _picture_cover(page: pdfium.PdfPage, may_hold: bool) -> float:
    """``_pictures(page, may_hold)[0]`` when its pictures are not wanted (OCR off): the
    same walk (order, depth, errors) asked of PDFium object by object, without a
    pypdfium2 wrapper for every object of the page (text objects included)."""
    if not may_hold:
        return 0.0
    left, bottom, right, top = page.get_bbox()
    area = max((right - left) * (top - bottom), 1.0)
    values = [ctypes.c_float() for _ in range(4)]
    pointers = [ctypes.byref(value) for value in values]
    get_type, image_kind, form_kind = (pdfium_c.FPDFPageObj_GetType, pdfium_c.FPDF_PAGEOBJ_IMAGE,
                                       pdfium_c.FPDF_PAGEOBJ_FORM)
    covered = 0.0
    images = 0

    def walk(holder: Any, count_of: Any, get: Any, level: int) -> bool:
        """Add the pictures under ``holder``; False once MAX_PICTURES were seen."""
        nonlocal covered, images
        count = count_of(holder)
        if count < 0:
            raise pdfium.PdfiumError("Failed to get number of pageobjects.")
        for index in range(count):
            obj = get(holder, index)
            if not obj:
                raise pdfium.PdfiumError("Failed to get pageobject.")
            kind = get_type(obj)
            if kind == image_kind:
                if images >= MAX_PICTURES:
                    return False
                images += 1
                if not pdfium_c.FPDFPageObj_GetBounds(obj, *pointers):
                    raise pdfium.PdfiumError("Failed to locate pageobject.")
                o_left, o_bottom, o_right, o_top = (value.value for value in values)
                width = min(o_right, right) - max(o_left, left)
                height = min(o_top, top) - max(o_bottom, bottom)
                if width > 0 and height > 0:
                    covered += width * height
            elif kind == form_kind and level < 3 and not walk(  # get_objects(max_depth=4)
                    obj, pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject,
                    level + 1):
                return False
        return True

    walk(page.raw, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject, 0)
    return min(covered / area, 1.0)


def _clip_cuts(obj: pdfium.PdfImage) -> bool:
    """Whether a clip path cuts into the picture: any clip other than rectangles (page
    space) that hold the picture's whole box."""
    clip = pdfium_c.FPDFPageObj_GetClipPath(obj)
    if not clip:
        return False
    left, bottom, right, top = obj.get_bounds()
    x, y = ctypes.c_float(), ctypes.c_float()
    for path in range(max(pdfium_c.FPDFClipPath_CountPaths(clip), 0)):
        points = []
        for index in range(max(pdfium_c.FPDFClipPath_CountPathSegments(clip, path), 0)):
            segment = pdfium_c.FPDFClipPath_GetPathSegment(clip, path, index)
            if (not segment or pdfium_c.FPDFPathSegment_GetType(segment) == pdfium_c.FPDF_SEGMENT_BEZIERTO
                    or not pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)):
                return True
            points.append((x.value, y.value))
        if not points:
            continue
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        box = (min(xs), min(ys), max(xs), max(ys))
        # A rectangle: every corner on its box's edges (a triangle or a star is not).
        rectangle = all(px in (box[0], box[2]) and py in (box[1], box[3]) for px, py in points)
        if not rectangle or box[0] > left + 0.5 or box[1] > bottom + 0.5 or \
                box[2] < right - 0.5 or box[3] < top - 0.5:
            return True
    return False


def _drawn_as_stored(obj: pdfium.PdfImage, width: int, height: int) -> bool:
    """Whether a placed picture is a JPEG that the page shows as its stream holds it, so
    that its decoded pixels are what drawing it would give: placed on the page itself
    (a form's picture has the form's transform on top), upright and not mirrored,
    scaled alike both ways, no transparency (a soft mask in the graphics state, a blend
    mode, alpha), no clip cutting into it. Anything else is drawn as before."""
    if obj.level != 0 or obj.get_filters(skip_simple=True) != STORED_FILTERS:
        return False
    matrix = obj.get_matrix()
    if matrix.b or matrix.c or matrix.a <= 0 or matrix.d <= 0:
        return False
    stretch = (matrix.a / width) / (matrix.d / height)
    if not 1 / MAX_STRETCH <= stretch <= MAX_STRETCH:
        return False
    return not pdfium_c.FPDFPageObj_HasTransparency(obj) and not _clip_cuts(obj)


def _entries_start(window: bytes) -> int:
    """Where the last object header of ``window`` (``N G obj`` opening a line) ends, -1
    when it has none; found from the end, "obj" by "obj" (a regular expression over the
    window costs 0.15 ms)."""
    pos = len(window)
    while (pos := window.rfind(b"obj", 0, pos)) != -1:
        line = max(window.rfind(b"\n", 0, pos), window.rfind(b"\r", 0, pos))
        if line < 0:
            return -1
        header = _OBJECT_HEADER.match(window, line)
        if header is not None and header.end() == pos + 3:
            return header.end()
    return -1


def _unmasked(whole: bytes | mmap.mmap, data: bytes | memoryview) -> list[bytes] | None:
    """The dictionary entries (name escapes resolved) of every copy of the stream ``data``
    in the file ``whole`` (its first and last bytes where they are found), when none has
    /SMask or /Mask: a JPEG whose letters are in its mask (all black, the mask
    spelling a word) or whose mask hides part of it does not show its stored pixels.
    None when one has, when the stream is not found as it is (an encrypted file) or a
    dictionary cannot be told (a string or a comment in it, one too long): such a
    picture is drawn."""
    if len(data) < 2 * STREAM_PROBE:
        return None
    # Found by its last bytes (coded pixels), not its first: JPEGs of one writer and
    # quality open alike. Its first bytes are checked; each copy found has its
    # dictionary read, so the copy the page shows is always among them.
    head, tail = bytes(data[:STREAM_PROBE]), bytes(data[-STREAM_PROBE:])
    found: list[bytes] = []
    end = whole.find(tail)
    while end != -1:
        start = end + STREAM_PROBE - len(data)
        if start >= 0 and whole[start : start + STREAM_PROBE] == head:
            window = bytes(whole[max(start - MAX_DICT_BYTES, 0) : start])
            if start <= MAX_DICT_BYTES:
                window = b"\n" + window  # the file's start opens a line
            keyword = _STREAM_START.search(window)
            opening = _entries_start(window)
            if keyword is None or opening < 0:
                return None
            entries = window[opening : keyword.start()]
            # A string or comment could hide a false header (or the true one): not read.
            if b"(" in entries or b"%" in entries:
                return None
            entries = _NAME_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), entries)
            if _MASK_KEY.search(entries):
                return None
            found.append(entries)
        end = whole.find(tail, end + 1)
    return found or None


# A stored JPEG whose dictionary names a device colour space and nothing else that
# changes its decoded pixels (/Decode, /DecodeParms) is decoded by Pillow from the
# stream's JPEG bytes: the same libjpeg-turbo pixels PDFium gives, without PDFium's BGR
# bitmap, its copy into an RGB picture and a hash of every pixel (8.8 against 11.7 ms a
# 1400 x 900 photo of bench/mix_corpus.py's reports, ASCII85 decoding included).
_DEVICE_SPACE = re.compile(rb"/ColorSpace\s*/Device(RGB|Gray)(?![^\s/<>\[\]()%{}])")
_DECODING_KEYS = re.compile(rb"/(?:ColorSpace|Decode|DecodeParms|DP)(?![^\s/<>\[\]()%{}])")
_DEVICE_MODES = {b"RGB": "RGB", b"Gray": "L"}


def _plain_jpeg(
    obj: pdfium.PdfImage, dictionaries: list[bytes], width: int, height: int,
    stored: bytes | memoryview | None = None,
) -> tuple[Image.Image, bytes] | None:
    """A stored JPEG (``_drawn_as_stored``, ``_unmasked``: ``dictionaries`` are the entries
    of every copy of its stream) decoded by Pillow, and the SHA-256 of the bytes decoded,
    when every copy's dictionary says /DeviceRGB or /DeviceGray and has no /Decode or
    /DecodeParms, and the JPEG holds what it says (that many pixels of that colour space).
    Else None: PDFium decodes it, applying whatever the dictionary asks (a CMYK JPEG's
    inverted inks, a /Decode array, an ICC profile), and a JPEG Pillow cannot decode
    (cut short, damaged) is left to PDFium as before. ``stored``: the stream's bytes as
    stored (``get_data()``), when the caller has them: a stream of the JPEG alone, or of
    it in ASCII85 (``_ascii85``), gives the JPEG without PDFium's decoding."""
    modes = set()
    for entries in dictionaries:
        space = _DEVICE_SPACE.search(entries)
        if space is None or _DECODING_KEYS.findall(entries) != [b"/ColorSpace"]:
            return None
        modes.add(_DEVICE_MODES[space[1]])
    if len(modes) != 1:
        return None
    data = _jpeg_bytes(obj, stored) if stored is not None else None
    if data is None:
        data = obj.get_data(decode_simple=True)  # the JPEG: ASCII85, Flate … undone
    try:
        picture = Image.open(io.BytesIO(data), formats=["JPEG"])
        if picture.size != (width, height) or picture.mode not in modes:
            return None
        picture.load()
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError):
        return None
    digest = hashlib.sha256(f"{picture.mode} {width}x{height} ".encode())
    digest.update(data)
    return picture, digest.digest()


_A85_FILTERS = {"ASCII85Decode", "A85"}


def _jpeg_bytes(obj: pdfium.PdfImage, stored: bytes | memoryview) -> bytes | memoryview | None:
    """The JPEG of a stream whose bytes as stored are ``stored``, when its filters are
    DCTDecode alone (the stored bytes themselves) or ASCII85 then DCTDecode (``_ascii85``);
    None when PDFium is to undo them."""
    filters = obj.get_filters()
    if len(filters) == 1 and filters[0] in ("DCTDecode", "DCT"):
        return stored
    if len(filters) == 2 and filters[0] in _A85_FILTERS and filters[1] in ("DCTDecode", "DCT"):
        return _ascii85(bytes(stored))
    return None


# PDFium skips these between ASCII85 digits; any other byte outside the digits and z
# ends the data (its A85Decode).
_A85_SPACE = b" \t\r\n"


def _ascii85(text: bytes) -> bytes | None:
    """``text`` (an ASCII85 stream) decoded as PDFium's A85Decode decodes it, whole arrays
    at a time: PDFium's own decoding of a photo's 470 KB of ASCII85 (ReportLab stores
    every picture so) cost 2-4 ms, twice this. Where PDFium's reading of odd data could
    differ from this one's (a z inside a group, no end ``~``, a stray byte or none before
    it), None:
    PDFium decodes it. A group over 2**32 wraps round, as PDFium's 32-bit sum does."""
    import numpy as np

    text = text.translate(None, _A85_SPACE)
    end = text.find(b"~")
    if end <= 0:  # no end, or no digit before it (PDFium then gives the stored bytes)
        return None
    text = text[:end]
    digits = np.frombuffer(text, dtype=np.uint8)
    if b"z" in text:  # four zero bytes, only between groups
        zeros = np.flatnonzero(digits == ord("z"))
        if np.any((zeros - np.arange(len(zeros))) % 5):
            return None
        digits = np.frombuffer(text.replace(b"z", b"!!!!!"), dtype=np.uint8)
    if np.count_nonzero(digits - np.uint8(33) > 84):  # outside ! to u
        return None
    padding = -len(digits) % 5  # a last group of n digits gives n - 1 bytes
    if padding:
        digits = np.concatenate((digits, np.full(padding, ord("u"), dtype=np.uint8)))
    groups = digits.reshape(-1, 5)
    values = groups[:, 0].astype(np.uint32)
    values -= 33
    for column in range(1, 5):
        values *= 85
        values += groups[:, column]
        values -= 33
    out = values.astype(">u4").tobytes()
    return out[:len(out) - padding]


def _pixels_digest(bitmap: pdfium.PdfBitmap) -> bytes:
    """SHA-256 of a PDFium bitmap's pixels, its format and size, read in PDFium's own
    buffer (no copy); the padding at the end of a row, which PDFium may leave unset, is
    left out."""
    digest = hashlib.sha256(f"{bitmap.format} {bitmap.width}x{bitmap.height}".encode())
    view = memoryview(bitmap.buffer).cast("B")
    row = bitmap.width * bitmap.n_channels
    if bitmap.stride == row:
        digest.update(view[: row * bitmap.height])
    else:
        for top in range(0, bitmap.stride * bitmap.height, bitmap.stride):
            digest.update(view[top : top + row])
    return digest.digest()


def _on_paper(drawn: Image.Image) -> Image.Image:
    """A picture PDFium drew on a transparent ground (RGBA), as it shows on white paper.

    Where the picture is see-through (its soft mask, the ground round a stencil mask
    drawn in the fill colour, the corners of a turned picture) the drawing holds
    transparent black: without its alpha, a black stamp on a see-through ground is black
    on black. An opaque picture only loses its alpha."""
    alpha = drawn.getchannel("A")
    if alpha.getextrema()[0] == 255:
        return drawn.convert("RGB")
    paper = Image.new("RGB", drawn.size, (255, 255, 255))
    paper.paste(drawn.convert("RGB"), mask=alpha)
    return paper


def _picture_bitmaps(part: Part, budget: Budget, number: int, objects: list[pdfium.PdfImage],
                     seen: set[bytes], whole: bytes | mmap.mmap,
                     ) -> tuple[list[tuple[str, Image.Image, bytes]], list[Defect]]:
    """The distinct pictures of a page of text, decoded for OCR (a banner or stamp pasted
    as a picture), each with the key of its pixels (``read_for_item``'s ``source``: the
    scanner reads a picture it met in an earlier mail once); a picture seen on an
    earlier page (a logo) is read once.

    A JPEG shown as stored (``_drawn_as_stored``) and without a mask in its dictionary
    (``_unmasked``, read in the file's bytes ``whole``) is decoded by PDFium from its
    stream, colour space and /Decode applied, and known again by its stream's bytes before
    it is decoded; any other picture (a masked JPEG too) is drawn as on the page (its mask
    and transform applied), on white where it is see-through.
    Both are known by their pixels too, which is what the scanner's cache keys on: PDFium
    does not show an image's dictionary (/Decode, /DecodeParms, the colour space's
    palette or profile, the mask), so the stream's bytes alone do not tell its pixels.
    A stored JPEG whose dictionary is read and says nothing that changes them
    (``_plain_jpeg``) is decoded by Pillow instead and known by the bytes it decodes.
    Neither way shows what the page draws over the picture: text there is in the text
    layer, outlines are read as such (``_page_parts``).
    """
    out: list[tuple[str, Image.Image, bytes]] = []
    defects: list[Defect] = []
    for index, obj in enumerate(objects[:MAX_PAGE_PICTURES], start=1):
        label = f"page[{number}]/image[{index}]#ocr"
        width, height = obj.get_px_size()
        if budget.ocr is not None and not legible(width, height, budget.ocr.config):
            continue
        if width * height > budget.limits.max_image_pixels:
            budget.limits_reached.append("max_image_pixels")
            defects.append(Defect("limit.max_image_pixels", "high",
                                  f"picture {index} on page {number} is {width} x {height} pixels; "
                                  f"the limit is {budget.limits.max_image_pixels:,}",
                                  where=part.child_origin(label)))
            continue
        stored = _drawn_as_stored(obj, width, height)
        if stored:
            data = memoryview(obj.get_data()).cast("B")
            stored = _unmasked(whole, data)
        if stored:  # known again in this document before it is decoded
            stream = hashlib.sha256(f"stream {width}x{height}".encode())  # SHA-NI: 2x blake2b
            stream.update(data)
            if stream.digest() in seen:
                continue
            seen.add(stream.digest())
        plain = _plain_jpeg(obj, stored, width, height, data) if stored else None
        if plain is not None:
            picture, digest = plain
            if digest in seen:
                continue
            seen.add(digest)
            out.append((label, picture, b"pdf jpeg " + digest))
            continue
        try:
            bitmap = obj.get_bitmap(render=not stored)
        except pdfium.PdfiumError:
            continue  # a picture PDFium cannot decode is not drawn either
        # Closed below once its pixels are copied out (the picture never shares its
        # buffer), to free them before OCR. pypdfium2 5.14+ logs a WARNING for every such
        # close of a PDFium-owned bitmap: a line per picture in the gateway's log.
        bitmap.warn_on_close = False
        try:
            digest = _pixels_digest(bitmap)
            if digest in seen:
                continue
            picture = bitmap.to_pil()
            if picture.mode == "RGBA":
                picture = _on_paper(picture)
            elif not stored or picture.mode not in ("RGB", "L"):
                picture = picture.convert("RGB")
            elif picture.mode == "L":
                picture = picture.copy()  # it shares PDFium's buffer, freed below
        finally:
            bitmap.close()
        seen.add(digest)
        out.append((label, picture, b"pdf picture " + digest))
    return out, defects


def _render(page: pdfium.PdfPage, budget: Budget, dpi: int,
            box: Box | None = None) -> tuple[Image.Image, bytes]:
    """The page (or the part of it inside ``box``, page space) as a picture at ``dpi``,
    smaller when that would pass the pixel limits, and its pixels' digest
    (``_pixels_digest``)."""
    width, height = page.get_size()
    crop = (0.0, 0.0, 0.0, 0.0)
    if box is not None and page.get_rotation() % 360 == 0:  # crop is cut after rotation
        left, bottom, right, top = page.get_bbox()
        crop = (max(box[0] - OUTLINE_MARGIN - left, 0.0), max(box[1] - OUTLINE_MARGIN - bottom, 0.0),
                max(right - box[2] - OUTLINE_MARGIN, 0.0), max(top - box[3] - OUTLINE_MARGIN, 0.0))
        if crop[0] + crop[2] >= width or crop[1] + crop[3] >= height:
            crop = (0.0, 0.0, 0.0, 0.0)  # a box off the page: the page itself
        width, height = width - crop[0] - crop[2], height - crop[1] - crop[3]
    scale = dpi / 72
    most = min(budget.limits.max_image_pixels, MAX_RENDER_PIXELS)
    if width * height * scale * scale > most:
        scale = (most / max(width * height, 1.0)) ** 0.5  # a poster-sized page: fewer dpi
    bitmap = page.render(scale=scale, crop=crop, may_draw_forms=False)
    try:
        return bitmap.to_pil().convert("RGB"), _pixels_digest(bitmap)
    finally:
        bitmap.close()


def _level(drawn: Image.Image) -> Image.Image:
    """Outlines rendered for OCR, as dark ink turned to run level: a watermark's outlines
    are pale and drawn at an angle (LibreOffice bakes the turn into the path), which
    Tesseract does not read. The turn is the ink's long axis (its principal component),
    taken only when the ink is clearly longer than it is wide: one line of text."""
    import numpy as np

    grey = ImageOps.autocontrast(drawn.convert("L"))
    drawn.close()
    ys, xs = np.nonzero(np.asarray(grey) < 160)
    if len(xs) < 16:
        return grey
    values, vectors = np.linalg.eigh(np.cov(np.stack([xs - xs.mean(), ys - ys.mean()])))
    if values[1] < 3 * max(values[0], 1e-6):
        return grey  # a block of lines or a shape: read as it stands
    angle = math.degrees(math.atan2(vectors[1, 1], vectors[0, 1]))
    angle = (angle + 90) % 180 - 90  # the axis has no direction: -90 to 90
    if abs(angle) < 2:
        return grey
    return grey.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)


def _page_parts(part: Part, budget: Budget, doc: pdfium.PdfDocument, number: int,
                seen: set[bytes], whole: bytes | mmap.mmap,
                ) -> tuple[list[Part | Defect], list[pdfium.PdfAttachment],
                           list[tuple[str, Image.Image, bytes]]]:
    """Text parts of page ``number`` (from 1), the files its annotations attach, and the
    pictures to read by OCR, each with the key the scanner's cache of picture texts knows
    it by (empty: not kept): the whole page rendered when it is a scan (pictures and
    little text), else the distinct pictures placed on it; ``whole``: the file's bytes
    (``_raw_bytes``), where a JPEG's dictionary is read."""
    label = f"page[{number}]"
    # Each page counts as a part even when it has no text: that is the page cap.
    budget.count_part(budget.child(part, label))
    page = doc[number - 1]
    ocr_config = budget.ocr.config if budget.ocr is not None else OcrConfig()
    pictures: list[tuple[str, Image.Image, bytes]] = []
    defects: list[Defect] = []
    needs_ocr = unmapped = False
    try:
        # The raw handle, not pypdfium2's PdfTextPage: its weakref finalizer costs more
        # than the few calls made here, and it is closed before the page all the same.
        textpage = pdfium_c.FPDFText_LoadPage(page.raw)
        if not textpage:
            raise pdfium.PdfiumError("Failed to load text page.")
        try:
            body = _clean(_column_breaks(textpage, _all_text(textpage), page.raw))
            header_box, footer_box = _bands(page)
            header = _clean(_bounded_text(textpage, *header_box))
            footer = _clean(_bounded_text(textpage, *footer_box))
            rotated, may_hold_pictures, outlines = _rotated_texts(page, textpage)
            # Outlines count as drawn text where the text layer has (almost) none in their
            # box; where it has some, only when they are letters (contours enough) and the
            # text is far smaller than they are (a watermark or a banner over a page's
            # body): a chart's curves sit among its labels, and text printed as curves
            # under a searchable layer is that layer's own text.
            over_text = False
            if outlines is not None and len("".join(_bounded_text(
                    textpage, *outlines.box).split())) >= ocr_config.pdf_min_chars:
                over_text = (outlines.contours >= OUTLINE_CONTOURS and _large_chars(
                    textpage, outlines.box, outlines.size / 2) < ocr_config.pdf_min_chars)
                if not over_text:
                    outlines = None
            # A text layer of glyph numbers (fonts with no Unicode mapping, as Ghostscript
            # writes a PDF from PostScript) is no text at all, and a word drawn in such a
            # font may read as other words: either way the page is read as a picture too.
            unmapped = unreadable_text(body + header + footer) or unmapped_word(textpage)
        finally:
            pdfium_c.FPDFText_ClosePage(textpage)
        notes, fields, stamps, drawn = _annotation_texts(page, budget, doc)
        files = _annotation_files(page, doc)
        if budget.ocr is not None:
            cover, placed = _pictures(page, may_hold_pictures)
        else:  # the pictures themselves are only for OCR
            cover, placed = _picture_cover(page, may_hold_pictures), []
        # Letters of the page's text layer, counted only for a page with pictures: only
        # there can it be a scan.
        chars = len("".join(body.split())) if cover > 0 else 0
        # A scan: pictures and (almost) no text, or pictures over most of the page whatever
        # text lies on them (a searchable scan's invisible layer can say anything).
        needs_ocr = cover > 0 and (chars < ocr_config.pdf_min_chars
                                   or cover >= ocr_config.pdf_image_cover)
        needs_ocr = needs_ocr or unmapped
        if needs_ocr and budget.ocr is not None:
            # A scan sent again (a signed contract forwarded) is read once per scanner.
            drawn, digest = _render(page, budget, ocr_config.pdf_dpi)
            pictures = [(f"page[{number}]#ocr", drawn, b"pdf page " + digest)]
        elif placed and budget.ocr is not None:
            pictures, defects = _picture_bitmaps(part, budget, number, placed, seen, whole)
        if outlines is not None and not needs_ocr and budget.ocr is not None:
            if over_text:
                _hide_text(page)  # the outlines alone, not the body under them
            drawn, digest = _render(page, budget, ocr_config.pdf_dpi, outlines.box)
            if digest in seen or not legible(*drawn.size, ocr_config):
                drawn.close()  # a vector logo on every page is read once
            else:
                seen.add(digest)
                pictures.append((f"page[{number}]/outlines#ocr", _level(drawn),
                                 b"pdf outlines " + digest))
        if drawn and not files:
            # Last: flattening rewrites the page. Not with attached files, whose
            # annotations' dictionaries flattening may free.
            stamps.extend(_appearance_lines(doc, number - 1, page, body))
    finally:
        page.close()
    parts: list[Part | Defect] = []
    for suffix, text, role in (("", body, "body"), ("#header", header, "header"),
                               ("#footer", footer, "footer"),
                               ("#annotations", "\n".join(notes), "comment"),
                               # A watermark or a form field's value stands alone, as a
                               # header line or a table cell does.
                               ("#rotated", "\n".join(rotated), "header"),
                               # A stamp is a stamp on the page, whatever its note says.
                               ("#stamps", "\n".join(stamps), "header"),
                               ("#fields", "\n".join(fields), "cell")):
        if text:
            parts.append(budget.child(part, label + suffix, text=text, role=role))
    if needs_ocr and budget.ocr is None:
        parts.append(Defect(
            "ocr.off", "medium",
            f"page {number} draws text in fonts with no Unicode mapping and OCR is off, so "
            "that text was not read" if unmapped else
            f"page {number} is a picture (a scan) with {'no' if not chars else 'little'} text "
            "layer and OCR is off, so its text was not read",
            where=part.child_origin(label),
        ))
    parts.extend(defects)
    return parts, files, pictures


def _hybrid_source(part: Part, budget: Budget, data: bytes | None) -> Iterator[Part]:
    """The ODF document a hybrid PDF carries in its trailer (filters.extract.pdf_hybrid)."""
    with part.open() as stream:
        stream.seek(max(0, part.size - pdf_hybrid.TAIL_BYTES))
        if not pdf_hybrid.has_additional_streams(stream.read()):
            return
    whole = data if data is not None else budget.read_part(part)
    yield from pdf_hybrid.additional_streams(part, budget, whole)


def extract(part: Part, budget: Budget) -> Iterator[Part | Defect]:
    """Page texts (body, header and footer bands), metadata, annotations and attachments."""
    # PDFium reads a spool file itself, lazily; bytes in memory are passed as they are.
    data = None if part.path is not None else budget.read_part(part)
    with PDFIUM_LOCK:
        doc = _open(part, data)
    # PDFium reads around damage silently (an empty page for a corrupt stream), so the
    # file's own structure is checked too; what it still reads is scanned all the same.
    integrity = inspect(part.path if part.path is not None else data or b"")
    if integrity.damage:
        yield Defect("extract.damaged", "high", f"PDF is damaged: {integrity.damage}")
    raw_view = contextlib.ExitStack()
    try:
        with PDFIUM_LOCK:
            pages = len(doc)
            head = _document_parts(part, budget, doc)
        yield from head
        raw = raw_view.enter_context(_raw_bytes(part, data))
        with PDFIUM_LOCK:
            custom = _custom_info_parts(part, budget, doc, raw)
        yield from custom
        yield from _xmp_parts(part, budget, raw)
        yield from pdf_scripts.extract(part, budget, raw)  # what its JavaScript shows
        attachments = 0
        read_text = False
        seen: set[bytes] = set()  # pictures already read in this document (a logo on every page)
        for number in range(1, pages + 1):
            budget.check_time()
            with PDFIUM_LOCK:
                texts, files, pictures = _page_parts(part, budget, doc, number, seen, raw)
            read_text = read_text or any(isinstance(t, Part) and t.text for t in texts)
            yield from texts
            for label, picture, source in pictures:  # read outside the lock: OCR is long
                text, defect = read_for_item(budget, picture, part.child_origin(label), source)
                picture.close()
                if text:
                    yield budget.child(part, label, text=text)
                if defect is not None:
                    yield defect
            for attachment in files:
                attachments += 1
                with PDFIUM_LOCK:
                    child = _attachment_part(part, budget, attachment, attachments)
                yield child
        with PDFIUM_LOCK:
            count = max(pdfium_c.FPDFDoc_GetAttachmentCount(doc), 0)
        for index in range(count):
            budget.check_time()
            attachments += 1
            with PDFIUM_LOCK:
                attachment = doc.get_attachment(index)
                child = _attachment_part(part, budget, attachment, attachments)
            yield child
        yield from _hybrid_source(part, budget, data)
        if integrity.draws_text and not read_text and not integrity.damage:
            # Text is drawn (BT … Tj) but PDFium read none: a damaged font or resource.
            yield Defect("extract.damaged", "high", "PDF is damaged: its pages draw text, but "
                         "none of it could be read")
    except pdfium.PdfiumError as exc:
        raise UnparseableContent(f"PDF is damaged: {exc}") from exc
    finally:
        raw_view.close()
        with PDFIUM_LOCK:
            doc.close()
