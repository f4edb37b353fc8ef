"""Office Open XML packages (docx, xlsx, pptx and their macro variants): text by role,
document properties, revision/comment state and embedded files."""

from __future__ import annotations

import contextlib
import hashlib
import io
import posixpath
import re
import threading
import zipfile
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from filters.errors import EncryptedContent, ExtractionStop, LimitReached, UnparseableContent
from filters.extract import xlsb
from filters.extract.cells import MIN_DIGITS, integer_digits
from filters.extract.document_state import THREADED_STANDIN, state_parts
from filters.extract.xstring import unescape_xstring
from filters.limits import Budget
from filters.types import Defect, Part

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
V = "{urn:schemas-microsoft-com:vml}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"

# Errors zipfile and zlib raise for damaged archives and members.
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError, ValueError)

_OFFICE = "application/vnd.openxmlformats-officedocument."
# Content type of a member -> (handler, role). Decided by content type first, so a main
# document renamed to an innocent path is still read as what Word/Excel will show.
CONTENT_TYPES: dict[str, tuple[str, str]] = {
    _OFFICE + "wordprocessingml.document.main+xml": ("word", "body"),
    _OFFICE + "wordprocessingml.template.main+xml": ("word", "body"),
    "application/vnd.ms-word.document.macroEnabled.main+xml": ("word", "body"),
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml": ("word", "body"),
    _OFFICE + "wordprocessingml.document.glossary+xml": ("word", "body"),
    _OFFICE + "wordprocessingml.header+xml": ("word", "header"),
    _OFFICE + "wordprocessingml.footer+xml": ("word", "footer"),
    _OFFICE + "wordprocessingml.footnotes+xml": ("word", "note"),
    _OFFICE + "wordprocessingml.endnotes+xml": ("word", "note"),
    _OFFICE + "wordprocessingml.comments+xml": ("word", "comment"),
    "application/vnd.openxmlformats-package.core-properties+xml": ("properties", "core"),
    _OFFICE + "extended-properties+xml": ("properties", "app"),
    _OFFICE + "custom-properties+xml": ("properties", "custom"),
    "application/vnd.ms-office.classificationlabels+xml": ("properties", "labels"),
    # Of Word's settings only the document variables (w:docVar), what DOCVARIABLE fields
    # show and classification add-ins store their label in.
    _OFFICE + "wordprocessingml.settings+xml": ("properties", "variables"),
    _OFFICE + "spreadsheetml.sheet.main+xml": ("workbook", "sheet"),
    _OFFICE + "spreadsheetml.template.main+xml": ("workbook", "sheet"),
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml": ("workbook", "sheet"),
    "application/vnd.ms-excel.template.macroEnabled.main+xml": ("workbook", "sheet"),
    _OFFICE + "spreadsheetml.worksheet+xml": ("worksheet", "cell"),
    _OFFICE + "spreadsheetml.sharedStrings+xml": ("shared_strings", "cell"),
    _OFFICE + "spreadsheetml.comments+xml": ("generic", "comment"),
    "application/vnd.ms-excel.threadedcomments+xml": ("generic", "comment"),
    _OFFICE + "spreadsheetml.revisionLog+xml": ("revision_log", "revision"),
    _OFFICE + "presentationml.slide+xml": ("slide", "body"),
    # Free text on a slide master or layout stands on every slide, as a page header does
    # on every page ('Acme Confidential' in a corner): read it where stamps are read.
    _OFFICE + "presentationml.slideLayout+xml": ("slide", "header"),
    _OFFICE + "presentationml.slideMaster+xml": ("slide", "header"),
    _OFFICE + "presentationml.notesMaster+xml": ("slide", "body"),
    _OFFICE + "presentationml.handoutMaster+xml": ("slide", "body"),
    _OFFICE + "presentationml.notesSlide+xml": ("slide", "note"),
    _OFFICE + "presentationml.comments+xml": ("generic", "comment"),
    "application/vnd.ms-powerpoint.comments+xml": ("generic", "comment"),
}

# Fallback by member path when the content type says nothing specific.
PATH_KINDS: list[tuple[re.Pattern[str], tuple[str, str]]] = [
    (re.compile(r"word/(glossary/)?document\d*\.xml"), ("word", "body")),
    (re.compile(r"word/header\d*\.xml"), ("word", "header")),
    (re.compile(r"word/footer\d*\.xml"), ("word", "footer")),
    (re.compile(r"word/(footnotes|endnotes)\.xml"), ("word", "note")),
    (re.compile(r"word/comments\w*\.xml"), ("word", "comment")),
    (re.compile(r"docProps/core\.xml"), ("properties", "core")),
    (re.compile(r"docProps/app\.xml"), ("properties", "app")),
    (re.compile(r"docProps/custom\.xml"), ("properties", "custom")),
    (re.compile(r"docMetadata/LabelInfo\.xml"), ("properties", "labels")),
    (re.compile(r"word/settings\.xml"), ("properties", "variables")),
    (re.compile(r"xl/workbook\.xml"), ("workbook", "sheet")),
    (re.compile(r"xl/worksheets/sheet\d*\.xml"), ("worksheet", "cell")),
    (re.compile(r"xl/sharedStrings\.xml"), ("shared_strings", "cell")),
    (re.compile(r"xl/(comments\d*|threadedComments/\w+)\.xml"), ("generic", "comment")),
    (re.compile(r"xl/revisions/revisionLog\d*\.xml"), ("revision_log", "revision")),
    (re.compile(r"ppt/slides/slide\d*\.xml"), ("slide", "body")),
    (re.compile(r"ppt/(slideLayouts|slideMasters)/\w+\.xml"), ("slide", "header")),
    (re.compile(r"ppt/(notesMasters|handoutMasters)/\w+\.xml"), ("slide", "body")),
    (re.compile(r"ppt/notesSlides/\w+\.xml"), ("slide", "note")),
    (re.compile(r"ppt/comments/\w+\.xml"), ("generic", "comment")),
]

# XML members that carry no document text (formatting, relationships, settings).
SKIP_XML = re.compile(
    r"(.*\.rels|\[Content_Types\]\.xml|.*/(styles|stylesWithEffects|settings|fontTable|"
    r"webSettings|numbering|presProps|viewProps|tableStyles|calcChain|people|"
    r"commentAuthors)\.xml|.*/theme/.*|.*/persons/.*|.*/printerSettings/.*)"
)
# Binary members that are never inspected: fonts, the first-page thumbnail (a picture of
# text that is read anyway), printer settings. Pictures (*/media/*) are files of their own,
# typed by their bytes and read by OCR.
SKIP_BINARY = re.compile(r"(.*/fonts/.*|docProps/thumbnail\.\w+|.*/printerSettings/.*)")
# Members that are whole files of their own, typed and extracted by the pipeline.
EMBEDDED = re.compile(r"(.*/embeddings/.*|.*vbaProject\.bin|.*/activeX/.*\.bin)")

XML_EXTENSIONS = {"xml", "rels", "vml"}
MAIN_KINDS = {("word", "body"), ("workbook", "sheet")}
MAIN_PATHS = {"ppt/presentation.xml"}


# -- shared package helpers (also used by the ODF extractor) ---------------------------


@contextlib.contextmanager
def open_archive(part: Part) -> Iterator[zipfile.ZipFile]:
    """``part`` opened as a zip archive (closed after), or UnparseableContent saying why."""
    with part.open() as stream:
        try:
            archive = zipfile.ZipFile(stream)
        except ZIP_ERRORS as exc:
            raise UnparseableContent(f"not a readable zip package: {exc}") from exc
        with archive:
            yield archive


@contextlib.contextmanager
def member_problems(problems: list[ExtractionStop]) -> Iterator[None]:
    """Note why one package member could not be read in ``problems`` and go on with the
    next; a fatal limit (part count, total bytes, item time) ends the package."""
    try:
        yield
    except LimitReached as exc:
        if exc.fatal:
            raise
        problems.append(exc)
    except ExtractionStop as exc:
        problems.append(exc)


def report_problems(part: Part, problems: list[ExtractionStop]) -> Iterator[Defect]:
    """Report every problem of a package and raise the most telling one (a limit, then
    encryption); nothing when there is none."""
    if not problems:
        return
    problems.sort(key=lambda e: (not isinstance(e, LimitReached), not isinstance(e, EncryptedContent)))
    for extra in problems[1:]:
        yield Defect(extra.rule, extra.severity, str(extra), where=part.origin)
    raise problems[0]


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo,
                budget: Budget) -> tuple[bytes, Path | None]:
    """The bytes of one member through the budget (ratio, size, time): (data, spool path)."""
    if info.flag_bits & 0x1:
        raise EncryptedContent(f"package member {info.filename} is password-protected")
    try:
        with archive.open(info) as stream:
            return budget.collect(stream, compressed_size=info.compress_size, what=info.filename)
    except ZIP_ERRORS as exc:
        raise UnparseableContent(f"package member {info.filename} is corrupt: {exc}") from exc


def xml_source(data: bytes, path: Path | None) -> io.BytesIO | str:
    """Something lxml can parse: the spool file when the member was spooled, else bytes."""
    return str(path) if path is not None else io.BytesIO(data)


def iterparse(source: io.BytesIO | str, *, events: tuple[str, ...] = ("end",),
              tag: str | Iterable[str] | None = None, recover: bool = False) -> Any:
    """lxml iterparse with the untrusted-XML settings (no entities, DTD or network)."""
    return etree.iterparse(
        source, events=events, tag=tag, resolve_entities=False, no_network=True,
        load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True,
        recover=recover,
    )


def parse_tree(source: io.BytesIO | str) -> etree._Element:
    """A whole (small) XML member parsed with the untrusted-XML settings."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    return etree.parse(source, parser).getroot()


def drop_done(element: etree._Element) -> None:
    """Free an element already read, and its earlier siblings (bounded memory)."""
    element.clear(keep_tail=True)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def local_name(tag: object) -> str:
    """The tag name without its namespace."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


@dataclass
class Collected:
    """Text gathered from one XML member, by role, plus counts of state elements."""

    texts: dict[str, list[str]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, key: str, text: str) -> None:
        self.texts.setdefault(key, []).append(text)

    def end_line(self, key: str) -> None:
        pieces = self.texts.get(key)
        if pieces and pieces[-1] != "\n":
            pieces.append("\n")

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n


# -- WordprocessingML ------------------------------------------------------------------

_W_INSERTED = {W + "ins", W + "moveTo"}
_W_DELETED = {W + "del", W + "moveFrom"}
_W_FORMAT_CHANGES = {W + "rPrChange", W + "pPrChange", W + "sectPrChange", W + "tblPrChange",
                     W + "trPrChange", W + "tcPrChange", W + "numberingChange"}
_W_TAGS = (W + "p", W + "t", W + "delText", W + "tab", W + "br", W + "cr",
           W + "noBreakHyphen", W + "comment", V + "textpath", A + "t", A + "p", W + "tr", WP + "docPr",
           *_W_INSERTED, *_W_DELETED, *_W_FORMAT_CHANGES)


_W_P, _W_T, _W_R, _W_TC, _W_TR = W + "p", W + "t", W + "r", W + "tc", W + "tr"
_W_RPR, _W_PPR, _W_RSTYLE, _W_PSTYLE = W + "rPr", W + "pPr", W + "rStyle", W + "pStyle"
_W_HIDDEN, _W_CAPITALS = W + "vanish", (W + "caps", W + "smallCaps")
_W_OFF = ("0", "false", "off")
_W_RUN_BREAKS = {W + "tab": "\t", W + "br": "\n", W + "cr": "\n", W + "noBreakHyphen": "-"}


def _revision_of(run_text: etree._Element) -> str:
    """'ins', 'del' or '' for the run holding ``run_text`` (nearest w:ins/w:del up to w:p)."""
    run = run_text.getparent()
    node = run.getparent() if run is not None else None
    while node is not None and node.tag != _W_P:
        if node.tag in _W_INSERTED:
            return "ins"
        if node.tag in _W_DELETED:
            return "del"
        node = node.getparent()
    return ""


_HIDDEN, _CAPITALS = "hidden", "capitals"
_W_SWITCHES = frozenset({_W_RSTYLE, _W_HIDDEN, *_W_CAPITALS})


def _flags(properties: etree._Element, into: dict[str, bool],
           character: dict[str, dict[str, bool]] | None = None) -> dict[str, bool]:
    """Hidden and capitals switches set in a w:rPr (its w:rStyle's from ``character``
    first: the schema puts w:rStyle first), added to ``into``."""
    for flag in properties:
        tag = flag.tag
        if tag == _W_RSTYLE:
            if character:
                into.update(character.get(flag.get(W + "val", ""), {}))
        elif tag == _W_HIDDEN:
            into[_HIDDEN] = flag.get(W + "val") not in _W_OFF
        elif tag in _W_CAPITALS:
            into[_CAPITALS] = flag.get(W + "val") not in _W_OFF
    return into


@dataclass
class WordStyles:
    """Paragraph and character styles (by w:styleId) that hide text or show it in capitals."""

    paragraph: dict[str, dict[str, bool]] = field(default_factory=dict)
    character: dict[str, dict[str, bool]] = field(default_factory=dict)


# Style effects worked out per styles.xml content: documents made from one template carry
# the same styles.xml (Word's own is 350 KB, parsed in more time than a short document's
# text takes), so a scanner works each out once. Keyed by a digest of the bytes read, never
# by what the archive declares. Bounded: an attacker's many templates only evict.
_STYLE_CACHE: OrderedDict[bytes, WordStyles] = OrderedDict()
_STYLE_CACHE_LOCK = threading.Lock()
STYLE_CACHE_SIZE = 32


def word_style_effects(archive: zipfile.ZipFile, budget: Budget) -> WordStyles:
    """The styles of word/styles.xml (w:basedOn followed) whose run properties hide text
    or show it in capitals (Word's own template gives some references small capitals).
    The result is shared between documents with the same styles.xml: do not change it."""
    try:
        info = archive.getinfo("word/styles.xml")
    except KeyError:
        return WordStyles()
    data, path = read_member(archive, info, budget)
    if path is not None:  # spooled (large): worked out as it is, not kept
        return _style_effects(xml_source(data, path))
    digest = hashlib.blake2b(data, digest_size=20).digest()
    with _STYLE_CACHE_LOCK:
        found = _STYLE_CACHE.get(digest)
        if found is not None:
            _STYLE_CACHE.move_to_end(digest)
            return found
    found = _style_effects(xml_source(data, path))
    with _STYLE_CACHE_LOCK:
        _STYLE_CACHE[digest] = found
        if len(_STYLE_CACHE) > STYLE_CACHE_SIZE:
            _STYLE_CACHE.popitem(last=False)
    return found


def _style_effects(source: io.BytesIO | str) -> WordStyles:
    found = WordStyles()
    try:
        root = parse_tree(source)
    except etree.XMLSyntaxError:
        return found  # the text is then read as stored
    own: dict[str, dict[str, bool]] = {}
    based_on: dict[str, str] = {}
    paragraph_styles: set[str] = set()
    for style in root.iter(W + "style"):
        name = style.get(W + "styleId")
        if not name:
            continue
        if style.get(W + "type") == "paragraph":
            paragraph_styles.add(name)
        properties = style.find(W + "rPr")
        own[name] = _flags(properties, {}) if properties is not None else {}
        parent = style.find(W + "basedOn")
        if parent is not None and parent.get(W + "val"):
            based_on[name] = parent.get(W + "val", "")
    for name in own:
        chain = [name]
        while (parent := based_on.get(chain[-1])) and parent not in chain and len(chain) < 64:
            chain.append(parent)
        merged: dict[str, bool] = {}
        for ancestor in reversed(chain):
            merged.update(own.get(ancestor, {}))
        if any(merged.values()):
            kind = found.paragraph if name in paragraph_styles else found.character
            kind[name] = merged
    return found


_NO_STYLES = WordStyles()


def _shown(run: etree._Element, text: str, hidden: list[str],
           styles: WordStyles) -> str | None:
    """``text`` as the page shows it given its paragraph's and run's styles and the run's
    own properties: None when hidden (w:vanish; the text goes to ``hidden``), in capitals
    under w:caps/w:smallCaps.

    A marking split by a hidden run (SE[xq]CRET) shows SECRET; one typed in lower case
    and formatted as capitals shows SECRET too.
    """
    flags: dict[str, bool] = {}
    if styles.paragraph:
        paragraph = run.getparent()
        if paragraph is not None and len(paragraph) and paragraph[0].tag == _W_PPR:
            style = paragraph[0].find(_W_PSTYLE)
            if style is not None:
                flags.update(styles.paragraph.get(style.get(W + "val", ""), {}))
    if len(run) > 1 and run[0].tag == _W_RPR:
        # Most runs' properties are bold, fonts, sizes: look before building anything.
        for flag in run[0]:
            if flag.tag in _W_SWITCHES:
                _flags(run[0], flags, styles.character)
                break
    if not flags:
        return text
    if flags.get(_HIDDEN):
        hidden.append(text)
        return None
    return text.upper() if flags.get(_CAPITALS) else text


def read_word(source: io.BytesIO | str, budget: Budget, out: Collected,
              styles: WordStyles = _NO_STYLES) -> None:
    """Current text, insertions, deletions and hidden text of a WordprocessingML part;
    ``styles`` are the document's hiding and capitalising styles (word_style_effects)."""
    # The hot loop runs once per run of text: names are bound locally on purpose.
    body = out.texts.setdefault("body", [])
    insertions = out.texts.setdefault("insertions", [])
    deletions = out.texts.setdefault("deletions", [])
    hidden = out.texts.setdefault("hidden", [])
    add = body.append
    paragraphs = 0
    for _, el in iterparse(source, tag=_W_TAGS):
        tag = el.tag
        if tag == _W_T:
            text = el.text
            if not text:
                continue
            run = el.getparent()
            if run is not None and (styles.paragraph or (len(run) > 1
                                                         and run[0].tag == _W_RPR)):
                text = _shown(run, text, hidden, styles)
                if text is None:
                    continue
            container = run.getparent() if run is not None else None
            if container is not None and container.tag == _W_P:
                add(text)
                continue
            revision = _revision_of(el)
            # w:moveFrom keeps w:t, not w:delText: moved-away text is not current text.
            if revision == "del":
                deletions.append(text)
            else:
                add(text)
                if revision == "ins":
                    insertions.append(text)
        elif tag == _W_P:
            # A table row reads as one line, its cells split by tabs, as .doc, .rtf, .xls
            # and PDF tables do: a level alone in a cell is then told from running text.
            parent = el.getparent()
            add("\t" if parent is not None and parent.tag == _W_TC else "\n")
            if insertions and insertions[-1] != "\n":
                insertions.append("\n")
            if deletions and deletions[-1] != "\n":
                deletions.append("\n")
            if hidden and hidden[-1] != "\n":
                hidden.append("\n")
            el.clear(keep_tail=True)
            paragraphs += 1
            if not paragraphs & 255:
                # Free read paragraphs in batches: per-paragraph unlinking costs more.
                drop_done(el)
                budget.check_time()
        elif tag == _W_TR:
            if body and body[-1] == "\t":
                body[-1] = "\n"
            else:
                add("\n")
        elif tag in _W_RUN_BREAKS:
            # w:tab also defines tab stops inside w:pPr; only a run's w:tab is text.
            parent = el.getparent()
            if parent is not None and parent.tag == _W_R:
                add(_W_RUN_BREAKS[tag])
        elif tag == W + "delText":
            if el.text:
                deletions.append(el.text)
        elif tag == A + "t":
            if el.text:
                add(el.text)
        elif tag == A + "p":
            add("\n")
        elif tag == V + "textpath":
            # VML WordArt: watermarks ("DRAFT", "CONFIDENTIAL") live in this attribute.
            string = el.get("string")
            if string:
                add(string + "\n")
        elif tag == WP + "docPr":
            add(alt_text(el))
        elif tag == W + "comment":
            out.count("comments")
        elif tag in _W_INSERTED:
            out.count("insertions")
        elif tag in _W_DELETED:
            out.count("deletions")
        else:
            out.count("formatting")


# -- SpreadsheetML ---------------------------------------------------------------------

_HF_TAGS = {S + name: ("header" if "Header" in name else "footer")
            for name in ("oddHeader", "evenHeader", "firstHeader",
                         "oddFooter", "evenFooter", "firstFooter")}
# Header/footer codes: &L &C &R sections, &P page, &"font", &12 size, &K colour …
_HF_CODE = re.compile(r'&(?:"[^"]*"|K[0-9A-Fa-f]{6}|K\d\d[+-]\d{3}|\d+|[LCR]|.)', re.DOTALL)


def strip_header_codes(text: str) -> str:
    """A sheet header/footer without its &-codes; sections are separated by newlines."""
    def replace(match: re.Match[str]) -> str:
        code = match.group(0)
        if code == "&&":
            return "&"
        return "\n" if code in ("&L", "&C", "&R") else ""
    return _HF_CODE.sub(replace, unescape_xstring(text)).strip()


_S_T, _S_IS, _S_V, _S_RPH, _S_C, _S_ROW = S + "t", S + "is", S + "v", S + "rPh", S + "c", S + "row"
_S_VALIDATION = S + "dataValidation"
# What a data validation shows: its input prompt and its error alert, titles and messages.
_VALIDATION_TEXTS = ("promptTitle", "prompt", "errorTitle", "error")


def _rich_text(element: etree._Element) -> str:
    """Text of an inline/shared string, without phonetic (furigana) runs."""
    return "".join(t.text or "" for t in element.iter(_S_T)
                   if t.getparent() is None or t.getparent().tag != _S_RPH)


def _plain_string(holder: etree._Element) -> str:
    """``_rich_text`` of a string element (``si`` or ``is``), taken straight from its one
    ``t`` where it is the common plain ``<t>text</t>`` (no runs, no phonetics)."""
    if len(holder) == 1:
        child = holder[0]
        if child.tag == _S_T and not len(child):
            return child.text or ""
    return _rich_text(holder)


def read_shared_strings(source: io.BytesIO | str, budget: Budget, out: Collected) -> None:
    """Every shared string, one per line."""
    for n, (_, si) in enumerate(iterparse(source, tag=S + "si")):
        out.add("body", unescape_xstring(_plain_string(si)) + "\n")
        si.clear(keep_tail=True)
        if not n & 1023:
            drop_done(si)  # read strings freed in batches: per-string unlinking costs more
            budget.check_time()


def _cell_text(cell: etree._Element) -> str:
    """What a worksheet cell gives the rules: an inline string, a formula's string result,
    or the digits of an identifier-sized whole number; else ""."""
    kind = cell.get("t")
    if kind == "inlineStr":
        if len(cell) == 1 and cell[0].tag == _S_IS:
            return _plain_string(cell[0])
        return _rich_text(cell)
    if kind is None or kind == "n":
        # A number: only whole ones of seven digits or more (card, phone, ID numbers
        # stored as numbers) are read (filters/extract/cells.py).
        if len(cell) == 1 and cell[0].tag == _S_V:
            return integer_digits(cell[0].text or "")
        return integer_digits(cell.findtext(_S_V))
    if kind == "str":
        return cell.findtext(_S_V) or ""
    return ""


# A cell the worksheet reader gives no text, as Excel, LibreOffice and the libraries write
# it: a number too short to be an identifier (no exponent, fewer than MIN_DIGITS
# characters), or a shared string's index, a boolean, an error or a date (read from their
# own parts or holding no words), with or without a formula. Most cells of a sheet are
# these; cutting them out of the bytes before parsing halves a sheet's reading time. Text
# never holds them unescaped outside CDATA, and a removed element's tail is read by no one.
_FORMULA = rb'(?:<f(?: [a-zA-Z]+="[^"<]*")*(?:/>|>[^<]*</f>))?'
_SILENT_CELL = re.compile(
    rb'<c r="[A-Z]{1,3}[0-9]{1,7}"(?: s="[0-9]{1,5}")?(?:(?: t="n")?>' + _FORMULA
    + rb'<v>[^<&Ee]{0,%d}</v>' % (MIN_DIGITS - 1)
    + rb'| t="[sbed]">' + _FORMULA + rb'<v>[^<]*</v>)</c>')


def read_worksheet(source: io.BytesIO | str, budget: Budget, out: Collected) -> None:
    """Inline strings, formula string results and identifier-sized whole numbers (tab
    between cells), headers, footers, data-validation prompts and alerts."""
    if isinstance(source, io.BytesIO):
        data = source.getvalue()
        # Not with CDATA, comments or a DTD ("<!"): text or markup the pattern cannot see.
        lean = data if b"<!" in data else _SILENT_CELL.sub(b"", data)
        if len(lean) < len(data):
            read = Collected()
            try:
                _read_worksheet(io.BytesIO(lean), budget, read)
            except etree.XMLSyntaxError:
                pass  # read as stored: what parses before the error, which is named as it is
            else:
                for key, pieces in read.texts.items():
                    out.texts.setdefault(key, []).extend(pieces)
                return
    _read_worksheet(source, budget, out)


def _read_worksheet(source: io.BytesIO | str, budget: Budget, out: Collected) -> None:
    # Rows are the parser's events and their cells are read from each row: an event per
    # cell cost a third of the time. The hot loop runs once per cell: names bound locally.
    add = out.add
    cell_tag, row_tag, value_tag, inline_tag, text_tag = _S_C, _S_ROW, _S_V, _S_IS, _S_T
    rows = 0

    def cells(element: etree._Element) -> None:
        """One line of the text cells under ``element``, tab between cells."""
        texts = []  # added as one line: an add per cell cost as much as reading it
        for count, cell in enumerate(element.iter(cell_tag), 1):
            if not count & 4095:
                budget.check_time()  # a row of a million cells
            kind = cell.get("t")
            if kind is None or kind == "n":
                if len(cell) == 1:
                    # Most cells of a sheet: a number too short to be an identifier, which
                    # _cell_text would read to "" (no exponent, under MIN_DIGITS characters).
                    value = cell[0]
                    if value.tag == value_tag:
                        number = value.text
                        if number is None or (len(number) < MIN_DIGITS and "E" not in number
                                              and "e" not in number):
                            continue
            elif kind == "inlineStr":
                # The string of a sheet written by a library (openpyxl, xlsxwriter's
                # constant memory mode): <is><t>text</t></is>, as _plain_string reads it.
                if len(cell) == 1:
                    holder = cell[0]
                    if holder.tag == inline_tag and len(holder) == 1:
                        string = holder[0]
                        if string.tag == text_tag and not len(string):
                            if string.text:
                                texts.append(string.text)
                            continue
            elif kind != "str":
                # A shared string's index ("s", most of Excel's text cells), a boolean,
                # an error: nothing _cell_text reads.
                continue
            text = _cell_text(cell)
            if text:
                texts.append(text)
        if texts:
            add("body", "\t".join(texts) + "\n")

    def drop_rows(row: etree._Element) -> None:
        """``drop_done(row)``; a cell outside any row (invalid, but a file may hold one)
        among the siblings dropped is read first."""
        row.clear(keep_tail=True)
        parent = row.getparent()
        if parent is not None:
            while row.getprevious() is not None:
                if parent[0].tag != row_tag:
                    cells(parent[0])
                del parent[0]

    events = iterparse(source, tag=(row_tag, _S_VALIDATION, *_HF_TAGS))
    for n, (_, el) in enumerate(events):
        tag = el.tag
        if tag == row_tag:
            cells(el)
            el.clear(keep_tail=True)
            rows += 1
            if not rows & 255:
                drop_rows(el)  # read rows freed in batches: per-row unlinking costs more
        elif tag == _S_VALIDATION:
            # Shown when the cell is selected: the text is the sheet's, as a cell's is.
            for key in _VALIDATION_TEXTS:
                if text := (el.get(key) or "").strip():
                    add("body", text + "\n")
        elif el.text:
            add(_HF_TAGS[tag], strip_header_codes(el.text) + "\n")
        if not n & 255:
            budget.check_time()
    if events.root is not None:
        cells(events.root)  # cells outside any row, not yet read (rows were cleared)


_TEXT_CONSTANT = re.compile(r'"(?:[^"]|"")*"')


def read_workbook(source: io.BytesIO | str, budget: Budget, out: Collected) -> None:
    """Sheet names and defined names of a workbook."""
    root = parse_tree(source)
    for sheet in root.iter(S + "sheet"):
        out.add("sheets", (sheet.get("name") or "") + "\n")
    for defined in root.iter(S + "definedName"):
        formula = defined.text or ""
        if _TEXT_CONSTANT.fullmatch(formula):
            # ="SECRET": a text the workbook shows wherever the name is used, read unquoted.
            formula = formula[1:-1].replace('""', '"')
        out.add("definedNames", f"{defined.get('name') or ''}\t{formula}\n")
    budget.check_time()


# -- PresentationML --------------------------------------------------------------------

_TITLE_PLACEHOLDERS = {"title", "ctrTitle"}
_FOOTER_PLACEHOLDERS = {"ftr", "dt", "sldNum", "hdr"}


def alt_text(properties: etree._Element) -> str:
    """A picture's or shape's alternative text (wp:docPr, p:cNvPr, xdr:cNvPr descr and
    title) as lines of their own: a scanned stamp is often described there ("Stamp:
    CONFIDENTIAL") when its picture holds the only marking."""
    lines = [value.strip() for key in ("title", "descr") if (value := properties.get(key, "")).strip()]
    return "".join(line + "\n" for line in lines)


def _drawing_text(text_body: etree._Element) -> str:
    """Paragraphs of a DrawingML text body; runs joined without separator."""
    lines = []
    for paragraph in text_body.iter(A + "p"):
        lines.append("".join(el.text or "" if el.tag == A + "t" else "\n"
                             for el in paragraph.iter(A + "t", A + "br")))
    return "\n".join(lines) + "\n"


def read_slide(source: io.BytesIO | str, budget: Budget, out: Collected) -> None:
    """Text of each shape and table on a slide, master or layout, keyed by placeholder."""
    root = parse_tree(source)
    for text_body in root.iter(P + "txBody", A + "txBody"):
        key = "body"
        if text_body.tag == P + "txBody":
            placeholder = text_body.find(f"../{P}nvSpPr/{P}nvPr/{P}ph")
            kind = placeholder.get("type") if placeholder is not None else None
            if kind in _TITLE_PLACEHOLDERS:
                key = "title"
            elif kind in _FOOTER_PLACEHOLDERS:
                key = "footer"
        out.add(key, _drawing_text(text_body))
        budget.check_time()
    for properties in root.iter(P + "cNvPr"):
        if text := alt_text(properties):
            out.add("body", text)


# -- properties and anything else --------------------------------------------------------

_NUMERIC = re.compile(r"[\d.:TZ-]*|true|false")


def read_properties(source: io.BytesIO | str, budget: Budget, out: Collected,
                    kind: str) -> None:
    """Core, extended (app) or custom properties, or Word's document variables: one entry
    per named, non-empty value."""
    if kind == "variables":
        for n, (_, var) in enumerate(iterparse(source, tag=W + "docVar")):
            name, value = var.get(W + "name") or "", (var.get(W + "val") or "").strip()
            if name and value:
                out.add("#" + name, value)
            var.clear(keep_tail=True)
            if not n & 255:
                budget.check_time()
        return
    root = parse_tree(source)
    if kind == "labels":
        # docMetadata/LabelInfo.xml: sensitivity labels by id only, written as the
        # custom properties Office writes beside them (MSIP_Label_<id>_Enabled).
        for label in root.iter("{*}label"):
            label_id = (label.get("id") or "").strip("{}")
            if label_id and label.get("removed", "0") != "1":
                enabled = "true" if label.get("enabled", "1") in ("1", "true") else "false"
                out.add(f"#MSIP_Label_{label_id}_Enabled", enabled)
        return
    for n, prop in enumerate(root):
        custom_name = prop.get("name") if kind == "custom" else None
        name = custom_name or local_name(prop.tag)
        value = "\n".join(t.strip() for t in prop.itertext() if t.strip())
        # Counts and flags in app.xml (Pages, Words, DocSecurity …) carry no words.
        if not value or (kind == "app" and _NUMERIC.fullmatch(value)):
            continue
        out.add("#" + name, value)
        if not n & 255:
            budget.check_time()


# Review comments, each counted as draft evidence: Excel's threaded comments, PowerPoint's.
# A legacy spreadsheet <comment> is a cell note, a lasting annotation ("unit: kEUR"), not
# a review, unless Excel wrote it as the stand-in for a threaded comment (older readers
# see that text, which opens with THREADED_STANDIN).
_COUNTED = {"threadedComment", "cm", "reply"}
_SILENT = {"author", "authors", "person", "extLst", "pos"}
# Texts written as attributes: a pivot cache's items (<s v="...">) and field names, a
# presentation's section and custom show names.
_ATTRIBUTE_TEXTS = {"s": "v", "cacheField": "name", "section": "name", "custShow": "name"}


def read_generic(source: io.BytesIO | str, budget: Budget, out: Collected, *,
                 recover: bool = False) -> None:
    """Text of any XML member (charts, diagrams, comments, custom XML), in element order.

    Run text (local name ``t``) joins without separator so split words stay whole; other
    elements end a line.
    """
    for n, (_, el) in enumerate(iterparse(source, recover=recover)):
        name = local_name(el.tag)
        if name in _COUNTED:
            out.count("comments")
        elif name == "textpath" and el.get("string"):
            out.add("body", el.get("string", "") + "\n")
        elif name in ("cNvPr", "docPr") and (text := alt_text(el)):
            out.add("body", text)
        elif (key := _ATTRIBUTE_TEXTS.get(name)) and (text := (el.get(key) or "").strip()):
            out.add("body", text + "\n")
        if name not in _SILENT:
            pieces = [el.text or ""]
            pieces.extend(child.tail or "" for child in el)
            text = "".join(pieces).strip()
            if name == "t" and text.startswith(THREADED_STANDIN):
                out.count("comments")
            if text:
                out.add("body", text if name == "t" else text + "\n")
            elif name in ("p", "si", "text"):
                out.end_line("body")
        del el[:]
        if not n & 1023:
            budget.check_time()


# -- the package walk --------------------------------------------------------------------


def _content_types(archive: zipfile.ZipFile, budget: Budget) -> tuple[dict[str, str],
                                                                     dict[str, str]]:
    """(overrides by member name, defaults by extension) from [Content_Types].xml."""
    try:
        info = archive.getinfo("[Content_Types].xml")
    except KeyError:
        return {}, {}
    data, path = read_member(archive, info, budget)
    try:
        root = parse_tree(xml_source(data, path))
    except etree.XMLSyntaxError as exc:
        raise UnparseableContent(f"[Content_Types].xml is not well-formed XML: {exc}") from exc
    overrides = {(el.get("PartName") or "").lstrip("/").lower():
                 (el.get("ContentType") or "").lower()
                 for el in root.iter(CT + "Override")}
    defaults = {(el.get("Extension") or "").lower(): (el.get("ContentType") or "").lower()
                for el in root.iter(CT + "Default")}
    return overrides, defaults


def kind_of(name: str, content_type: str) -> tuple[str, str] | None:
    """(handler, role) for a member, from its content type, else from its path."""
    by_type = _LOWER_TYPES.get(content_type)
    if by_type is not None:
        return by_type
    for pattern, kind in PATH_KINDS:
        if pattern.fullmatch(name):
            return kind
    return None


_LOWER_TYPES = {key.lower(): value for key, value in CONTENT_TYPES.items()}


# The change records of a workbook's revision log (Track Changes in a shared workbook,
# ECMA-376 Part 1, 18.11: cell changes, rows or columns inserted or deleted, moves, sheets
# inserted or renamed, names, formats, comments): each is a change still in its history.
_REVISION_RECORDS = {"rcc", "rrc", "rm", "ris", "rsnm", "rdn", "raf", "rcft", "rfmt", "rcmt"}
# A record marked ua (LibreOffice writes it for a change accepted) or ra (the record a
# rejection wrote) is settled, not pending review.
_SETTLED = ("ua", "ra")


def read_revision_log(source: io.BytesIO | str, budget: Budget, out: Collected) -> None:
    """A workbook's revision log: each pending change counted, an old cell's text (<oc>)
    as a deletion, a new cell's (<nc>) as the log's own text."""
    for n, (_, el) in enumerate(iterparse(source)):
        name = local_name(el.tag)
        if name in _REVISION_RECORDS and not any(el.get(a) in ("1", "true") for a in _SETTLED):
            out.count("changes")
        if name in ("oc", "nc"):
            text = "".join(el.itertext()).strip()
            if text:
                out.add("deletions" if name == "oc" else "body", text + "\n")
            el.clear()
        elif name in _REVISION_RECORDS:
            el.clear()
        if not n & 1023:
            budget.check_time()


READERS: dict[str, Callable[[io.BytesIO | str, Budget, Collected], None]] = {
    "revision_log": read_revision_log,
    "word": read_word,
    "worksheet": read_worksheet,
    "shared_strings": read_shared_strings,
    "workbook": read_workbook,
    "slide": read_slide,
    "generic": read_generic,
}


def _text_parts(part: Part, budget: Budget, name: str, handler: str, role: str,
                collected: Collected) -> Iterator[Part]:
    """Text parts for what one member yielded, labelled and given their roles."""
    for key, pieces in collected.texts.items():
        text = "".join(pieces).strip()
        if not text:
            continue
        if handler == "properties":
            prop = key[1:]
            yield budget.child(part, name + key, text=text, role="property", name=prop)
        elif key == "body":
            yield budget.child(part, name, text=text, role=role)
        elif key in ("insertions", "deletions"):
            yield budget.child(part, f"{name}#{key}", text=text, role="revision")
        elif key == "hidden":
            # Hidden text is still sent text: read on its own, not inside the shown words.
            yield budget.child(part, f"{name}#hidden", text=text, role=role)
        elif key == "sheets":
            yield budget.child(part, f"{name}#sheets", text=text, role="sheet")
        elif key == "definedNames":
            yield budget.child(part, f"{name}#definedNames", text=text, role="cell")
        else:  # title, header, footer from slides and sheets
            yield budget.child(part, f"{name}#{key}", text=text, role=key)


def extract(part: Part, budget: Budget) -> Iterator[Part | Defect]:
    """Text parts (by role), properties, state and embedded files of an OOXML package."""
    problems: list[ExtractionStop] = []
    counts: dict[str, int] = {}
    has_main = False
    with open_archive(part) as archive:
        overrides, defaults = _content_types(archive, budget)
        # Styles come after the text in Word's member order: read them first.
        styles = word_style_effects(archive, budget)
        for info in archive.infolist():
            budget.check_time()
            name = info.filename
            if info.is_dir():
                continue
            base = posixpath.basename(name)
            # ".rels" is all extension (posixpath.splitext would find none).
            extension = base.rpartition(".")[2].lower() if "." in base else ""
            # OPC part names compare case-insensitively.
            content_type = overrides.get(name.lower()) or defaults.get(extension, "")
            kind = kind_of(name, content_type)
            if kind in MAIN_KINDS or name in MAIN_PATHS:
                has_main = True
            is_xml = extension in XML_EXTENSIONS or content_type.endswith("xml")
            binary = xlsb.PARTS.get(content_type)
            if binary is not None:
                # An .xlsb's workbook, sheets, strings and comments: BIFF12 records.
                handler, role = binary
                has_main = has_main or handler == "workbook"
                with member_problems(problems):
                    data, path = read_member(archive, info, budget)
                    collected = Collected()
                    lines = xlsb.read(handler, path.read_bytes() if path else data, budget)
                    for key, texts in lines.items():
                        collected.add(key, "\n".join(texts))
                    yield from _text_parts(part, budget, name, handler, role, collected)
                    if handler == "comments":
                        # A note is an annotation, as in an .xlsx; only the stand-in Excel
                        # writes for a threaded comment is review state.
                        standins = sum(text.lstrip().startswith(THREADED_STANDIN)
                                       for text in lines.get("body", []))
                        counts["comments"] = counts.get("comments", 0) + standins
                continue
            with member_problems(problems):
                if EMBEDDED.fullmatch(name) or not (is_xml or SKIP_BINARY.fullmatch(name)):
                    data, path = read_member(archive, info, budget)
                    yield budget.child(part, name, data=data, path=path,
                                       name=base,
                                       declared_type=content_type)
                    continue
                if not is_xml or (kind is None and SKIP_XML.fullmatch(name)):
                    continue
                handler, role = kind or ("generic", "body")
                collected = Collected()
                data, path = read_member(archive, info, budget)
                try:
                    if handler == "properties":
                        read_properties(xml_source(data, path), budget, collected, role)
                    elif handler == "word":
                        read_word(xml_source(data, path), budget, collected, styles)
                    elif extension == "vml":
                        # Office writes VML that is not always well-formed (bare <br>).
                        read_generic(xml_source(data, path), budget, collected, recover=True)
                    else:
                        READERS[handler](xml_source(data, path), budget, collected)
                except etree.XMLSyntaxError as exc:
                    problems.append(UnparseableContent(
                        f"package member {name} is not well-formed XML: {exc}"))
                if role != "comment":
                    collected.counts.pop("comments", None)
                # Whatever parsed before an error is still scanned.
                yield from _text_parts(part, budget, name, handler, role, collected)
                for key, n in collected.counts.items():
                    counts[key] = counts.get(key, 0) + n
    yield from state_parts(part, budget, counts)
    if not has_main:
        problems.append(UnparseableContent(
            "package has no main document part (word/document.xml, xl/workbook.xml or "
            "ppt/presentation.xml)"))
    yield from report_problems(part, problems)
