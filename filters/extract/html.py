"""HTML, XHTML, SVG and generic XML: visible text in reading order, hidden text beside it."""

from __future__ import annotations

import binascii
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import unquote_to_bytes

from lxml import etree

from filters.errors import UnparseableContent
from filters.extract.text import codec_name, decode_text
from filters.limits import Budget
from filters.types import Defect, Part

XML_TYPES = frozenset({"text/xml", "application/xml", "image/svg+xml"})
MAX_DATA_URIS = 256  # embedded data: URIs decoded per document; more is reported
MAX_META = 1000
MAX_LINKS = 1000  # link texts read as titles per document
MAX_LINK_TEXT = 200  # longer link text is a paragraph made a link, not a document's name
MAX_ATTRIBUTE_VALUES = 100_000
NODES_PER_TIME_CHECK = 2048
CHARSET_SNIFF_BYTES = 4096

# Elements that do not break a line: text on either side joins, so SEC<b>RET</b> reads
# SECRET. Unknown elements (Word's <o:p>, custom tags) are inline too, for the same reason.
BLOCK = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "br",
        "caption",
        "center",
        "comment",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "frame",
        "frameset",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "head",
        "header",
        "hgroup",
        "hr",
        "html",
        "iframe",
        "legend",
        "li",
        "listing",
        "main",
        "menu",
        "nav",
        "noframes",
        "noscript",
        "ol",
        "optgroup",
        "option",
        "p",
        "plaintext",
        "pre",
        "section",
        "select",
        "summary",
        "table",
        "tbody",
        "td",
        "textarea",
        "tfoot",
        "th",
        "thead",
        "title",
        "tr",
        "ul",
        "xmp",
    }
)
PREFORMATTED = frozenset({"pre", "textarea", "listing", "plaintext", "xmp"})
SCRIPT = frozenset({"script", "style"})
TEXT_ATTRIBUTES = ("title", "alt", "aria-label", "placeholder")
VALUE_ELEMENTS = frozenset({"input"})

# Paragraphs of the XML vocabularies office programs write, by namespace: their runs
# (<w:r><w:t>CONFI</w:t></w:r><w:r><w:t>DENCIAL</w:t></w:r>) hold no text between them,
# so the generic reading would put each run on a line of its own. Inside these elements
# text joins as the page shows it; a nested paragraph (a text box) is a line of its own.
_PARAGRAPH_NAMESPACES = {
    "http://schemas.microsoft.com/office/word/2003/wordml": ("p",),  # Word 2003 XML
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main": ("p",),  # Word flat XML
    "http://schemas.openxmlformats.org/drawingml/2006/main": ("p",),  # shapes, slides
    "urn:oasis:names:tc:opendocument:xmlns:text:1.0": ("p", "h"),  # flat ODF
    "http://schemas.uof.org/cn/2003/uof-wordproc": ("段落",),  # UOF (GB/T 20916)
    "http://www.hancom.co.kr/hwpml/2011/paragraph": ("p",),  # HWPX (KS X 6101)
    "urn:schemas-microsoft-com:office:spreadsheet": ("Data",),  # SpreadsheetML 2003 rich text
}
PARAGRAPH_TAGS = tuple(f"{{{ns}}}{name}" for ns, names in _PARAGRAPH_NAMESPACES.items() for name in names)
# Inside those paragraphs: a tab or a line break separates the words on either side.
BREAK_TAGS = tuple(
    f"{{{ns}}}{name}"
    for ns in _PARAGRAPH_NAMESPACES
    for name in ("tab", "br", "cr", "line-break", "s", "lineBreak")
)

# The line separator while the text is built inside the tree (PARAGRAPH SEPARATOR: XML
# allows it, and it already means a line break wherever a document contains it).
_LINE = "\u2029"
# The cell separator of a table row read as one line (TAG TAB: XML allows it, it is no
# white space to collapse, and normalisation already reads it as a tab wherever a
# document contains it, so one written in the page changes nothing).
_CELL = "\U000E0009"
_CELL_NAMES = frozenset({"td", "th"})
_PRE_NEWLINES = str.maketrans({"\n": _LINE})
# Control characters that HTML text may hold (olefile's manual writes the ^E of its stream
# names as the byte itself) and lxml's HTML parser keeps, but which its setters refuse:
# the first line mark set beside one failed the whole page. They are taken out first, as
# the text normaliser would (filters/normalise.py drops them; vertical tab and form feed
# end a line).
_SETTABLE = str.maketrans({**{c: None for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)},
                           0x0B: "\n", 0x0C: "\n", 0xFFFE: None, 0xFFFF: None})
_UNSETTABLE_BYTE = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# The same characters written as references: the HTML parser keeps "&#11;" (Word's line
# break) as a vertical tab in the text, and setting a line break beside it raised.
_UNSETTABLE_REFERENCE = re.compile(
    rb"&#(?:[xX]0*(?:[1-8bBcCeEfF]|1[0-9a-fA-F]|[fF]{3}[eEfF])(?![0-9a-fA-F])"
    rb"|0*(?:[1-8]|1[124-9]|2[0-9]|3[01]|6553[45])(?![0-9]))")
_XML_NEWLINES = str.maketrans({"\n": _LINE, "\r": _LINE})
_META_CHARSET = re.compile(rb"<meta[^>]{0,512}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{1,40})", re.IGNORECASE)
_XML_SYNTAX = (etree.XMLSyntaxError, etree.ParserError)


@dataclass
class _Found:
    """Everything collected in one walk besides the visible text."""

    title: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    meta: list[tuple[str, str]] = field(default_factory=list)
    attributes: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    script: list[str] = field(default_factory=list)
    generated: list[str] = field(default_factory=list)
    data_uris: list[str] = field(default_factory=list)
    srcdocs: list[str] = field(default_factory=list)
    dropped_data_uris: int = 0
    hidden: list[str] = field(default_factory=list)
    hidden_elements: list[etree._Element] = field(default_factory=list)
    capitalised: list[etree._Element] = field(default_factory=list)
    # Attributes a ``content: attr(NAME)`` shows on the page (lower-case names).
    shown_attributes: set[str] = field(default_factory=set)


def extract(part: Part, budget: Budget) -> Iterator[Part | Defect]:
    """Visible text (the part's own origin), then title, meta, attributes, comments, script."""
    data = budget.read_part(part)
    found = _Found()
    kind = (part.detected_type or part.declared_type).lower()
    if kind in XML_TYPES:
        root, problem = _parse_xml(data, part.charset)
        if problem:
            # libxml2's recovery may drop what follows a fault, so the document is also
            # read as plain text: nothing it holds goes unread, and a stray "--" in a
            # comment does not hold an ordinary file.
            yield Defect("xml.malformed", "low", problem, part.origin)
            yield budget.child(
                part, "#raw", text=decode_text(data, part.charset)[0], role=part.role or "body"
            )
        if root is None:
            return
        if etree.QName(root).localname.lower() == "html":
            visible = _html_text(root, budget, found)
        else:
            visible = _xml_text(root, budget, found)
    else:
        root = _parse_html(data, part.charset)
        if root is None:
            return
        if _UNSETTABLE_BYTE.search(data) or (b"&#" in data and _UNSETTABLE_REFERENCE.search(data)):
            _settable(root)
        visible = _html_text(root, budget, found)
    del data, root

    if visible:
        yield budget.child(part, "", text=visible, role=part.role or "body")
    yield from _text_parts(part, budget, found)
    yield from _embedded(part, budget, found)


# -- parsing ---------------------------------------------------------------------------


def _meta_charset(data: bytes) -> str:
    """The charset a page names in its <meta> (looked for in the first bytes only)."""
    match = _META_CHARSET.search(data, 0, CHARSET_SNIFF_BYTES)
    return match.group(1).decode("ascii") if match else ""


def _parse_html(data: bytes, declared: str) -> etree._Element | None:
    """The HTML tree; the bytes are decoded here so a lying <meta> cannot garble them."""
    text, encoding, lossy = decode_text(data, declared or _meta_charset(data))
    if lossy and declared:  # the transport label was wrong: try the page's own <meta>
        meta = _meta_charset(data)
        if meta:
            text, encoding, lossy = decode_text(data, meta)
    if encoding not in ("utf-8", "ascii"):
        data = text.encode("utf-8")
    del text
    parser = etree.HTMLParser(
        encoding="utf-8",
        remove_comments=False,
        remove_pis=False,
        no_network=True,
        huge_tree=False,
        recover=True,
    )
    try:
        return etree.fromstring(data, parser)
    except _XML_SYNTAX as exc:
        raise UnparseableContent(f"HTML does not parse: {exc}") from exc


def _parse_xml(data: bytes, declared: str) -> tuple[etree._Element | None, str]:
    """The XML tree (entities unresolved, no DTD, no network) and a problem, if any."""

    def parse(content: bytes, recover: bool, encoding: str | None) -> etree._Element | None:
        # resolve_entities=False and load_dtd=False stop XXE; huge_tree=False keeps
        # libxml2's limits on depth, text size and entity amplification (billion laughs).
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            recover=recover,
            remove_comments=False,
            remove_pis=False,
            encoding=encoding,
        )
        return etree.fromstring(content, parser)

    try:
        return parse(data, False, None), ""
    except _XML_SYNTAX as exc:
        first_error = str(exc)
    if "encoding" in first_error.lower() or "utf-8" in first_error.lower():
        # Unlabelled legacy bytes, or a label libxml2 does not know: decode here instead.
        data = decode_text(data, declared)[0].encode("utf-8")
        try:
            return parse(data, False, "utf-8"), ""
        except _XML_SYNTAX as exc:
            first_error = str(exc)
    try:
        root = parse(data, True, None)
    except _XML_SYNTAX as exc:
        raise UnparseableContent(f"XML does not parse: {exc}") from exc
    if root is None:
        raise UnparseableContent(f"XML does not parse: {first_error}")
    return root, f"XML is malformed ({first_error}); extracted what could be read"


# -- walking ---------------------------------------------------------------------------
# libxml2 does the heavy lifting (iter() with tag filters, strip_elements, tostring); the
# Python loops touch each element at most once and do little work there. XPath "//"
# queries were tried and cost ~10 ms each on a 1 MB page.

# "{*}p" matches <p> with any namespace or none (XHTML parsed as XML has one).
_BLOCK_TAGS = tuple(f"{{*}}{name}" for name in sorted(BLOCK))
# Table cells end a line too, unless their row is read as one line (_rows_as_lines).
_CELL_TAGS = ("{*}td", "{*}th")
_LINE_TAGS = tuple(tag for tag in _BLOCK_TAGS if tag not in _CELL_TAGS)
_PREFORMATTED_TAGS = tuple(f"{{*}}{name}" for name in sorted(PREFORMATTED))
_SCRIPT_TAGS = tuple(f"{{*}}{name}" for name in sorted(SCRIPT))
_STRIPPED = (etree.Comment, etree.ProcessingInstruction, etree.Entity, *_SCRIPT_TAGS)


def _localname(tag: str) -> str:
    """'{http://www.w3.org/1999/xhtml}P' -> 'p'."""
    return tag.rsplit("}", 1)[-1].lower()


def _lines(text: str) -> str:
    """Collapse white space inside each line of ``text`` and drop empty lines; a table row's
    cells (parted by _CELL) are parted by tabs."""
    lines = (" ".join(raw.split()) for raw in text.split(_LINE))
    if _CELL in text:
        lines = map(_cells, lines)
    return "\n".join(line for line in lines if line)


def _cells(line: str) -> str:
    """A row's line with its cells parted by tabs and its empty end cells dropped (the
    spacer cells of a layout row: its one word still stands alone)."""
    if _CELL not in line:
        return line
    return line.replace(" " + _CELL, _CELL).replace(_CELL + " ", _CELL).strip(_CELL).replace(_CELL, "\t")


def _side_text(root: etree._Element, found: _Found) -> None:
    """Collect comments and script/style text; then remove them, keeping their tails."""
    # Comments before or after the root element are its siblings, not its descendants.
    before = reversed(list(root.itersiblings(preceding=True)))
    for node in itertools.chain(
        before, root.iter(etree.Comment, etree.ProcessingInstruction), root.itersiblings()
    ):
        if node.tag in (etree.Comment, etree.ProcessingInstruction) and node.text:
            found.comments.append(node.text)
    for node in root.iter(*_SCRIPT_TAGS):
        text = "".join(node.itertext())
        if text.strip():
            found.script.append(text)
            if "data:" in text:
                _css_data_uris(text, found)
            if "content" in text and _localname(node.tag).lower() == "style":
                _css_generated(text, found)
    # with_tail=False keeps the text after a removed node: SEC<!-- x -->RET reads SECRET.
    etree.strip_elements(root, *_STRIPPED, with_tail=False)


def _attributes(root: etree._Element, budget: Budget, found: _Found, html: bool) -> None:
    """Text attributes (HTML: title, alt, …; XML: all), data: URIs and iframe srcdoc."""
    for count, element in enumerate(root.iter(etree.Element), 1):
        if count % NODES_PER_TIME_CHECK == 0:
            budget.check_time()
        attrib = element.attrib
        if not attrib:
            continue
        for key, value in attrib.items():
            if value[:5].lower() == "data:" or value[:40].lstrip()[:5].lower() == "data:":
                if len(found.data_uris) < MAX_DATA_URIS:
                    found.data_uris.append(value.strip())
                else:
                    found.dropped_data_uris += 1
                continue
            if html and key == "hidden":
                found.hidden_elements.append(element)
                continue
            if len(found.attributes) >= MAX_ATTRIBUTE_VALUES or not value.strip():
                continue
            if not html:
                found.attributes.append(value)
                continue
            name = _localname(key)
            if name in TEXT_ATTRIBUTES or (name == "value" and _localname(element.tag) in VALUE_ELEMENTS):
                found.attributes.append(value)
            elif name in found.shown_attributes and len(found.generated) < MAX_GENERATED:
                found.generated.append(value.strip())
            elif name == "srcdoc" and len(found.srcdocs) < MAX_DATA_URIS:
                found.srcdocs.append(value)
            elif name == "style":
                if "data:" in value:
                    _css_data_uris(value, found)
                hidden, capitals = _style_effects(value)
                if hidden:
                    found.hidden_elements.append(element)
                elif capitals:
                    found.capitalised.append(element)


# Inline styles that take an element's text off the page, or show it in capitals. A
# marking split by a hidden span (SE<span style="display:none">xq</span>CRET) shows
# SECRET; one stored in lower case under text-transform shows in capitals.
_HIDING_STYLE = re.compile(
    r"(?:^|[;\s])(?:display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)"
    r"|font-size\s*:\s*0*\.?0+(?:[a-z%]+)?\s*(?:!important\s*)?(?:;|$))",
    re.IGNORECASE,
)
_CAPITALS_STYLE = re.compile(r"text-transform\s*:\s*uppercase", re.IGNORECASE)


def _style_effects(style: str) -> tuple[bool, bool]:
    """(hides its text, shows it in capitals) for an inline ``style`` attribute."""
    return bool(_HIDING_STYLE.search(style)), bool(_CAPITALS_STYLE.search(style))


def _apply_styles(found: _Found) -> None:
    """Move hidden elements' text beside the page; put capitalised text in capitals."""
    for element in found.capitalised:
        if element.text:
            element.text = element.text.upper()
        for node in element.iterdescendants():
            if node.text:
                node.text = node.text.upper()
            if node.tail:
                node.tail = node.tail.upper()
    hidden = set(found.hidden_elements)
    for element in found.hidden_elements:
        if any(ancestor in hidden for ancestor in element.iterancestors()):
            continue  # its text goes with the outermost hidden element
        text = " ".join("".join(element.itertext()).split())
        if text:
            found.hidden.append(text)
        parent = element.getparent()
        if parent is None:
            continue
        # The tail is after the element's end tag: it is on the page.
        if element.tail:
            previous = element.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + element.tail
            else:
                parent.text = (parent.text or "") + element.tail
        parent.remove(element)


MAX_GENERATED = 10000  # CSS content strings kept per document
_CSS_ESCAPE = re.compile(r"\\(?:([0-9A-Fa-f]{1,6})[ \t\n]?|(.))", re.DOTALL)


def _css_generated(css: str, found: _Found) -> None:
    """Strings of CSS ``content:`` declarations: text the browser shows and prints.

    ``@page { @top-center { content: "CONFIDENTIAL" } }`` puts a banner on every printed
    page and ``p::before { content: "SECRET" }`` before a paragraph; neither is in the
    document tree. Adjacent strings join as rendered ("SEC" "RET" shows SECRET).
    ``content: attr(data-x)`` shows an attribute's value: its name is kept, and every
    value of that attribute is read as generated text (_attributes).
    """
    position = 0
    while len(found.generated) < MAX_GENERATED:
        start = css.find("content", position)
        if start < 0:
            return
        position = start + 7
        if start and (css[start - 1].isalnum() or css[start - 1] in "-_"):
            continue  # align-content, --my-content …
        colon = position
        while colon < len(css) and css[colon] in " \t\r\n":
            colon += 1
        if colon >= len(css) or css[colon] != ":":
            continue
        end = _declaration_end(css, colon + 1)
        value = "".join(_css_string(text) for text in _CSS_STRINGS.findall(css, colon + 1, end))
        if "attr" in css[colon + 1:end]:
            found.shown_attributes.update(
                name.lower() for name in _CSS_ATTR.findall(css, colon + 1, end))
        if value.strip():
            found.generated.append(value.strip())
        position = end


_CSS_ATTR = re.compile(r"\battr\(\s*(?:[\w-]*\|)?([\w-]+)", re.IGNORECASE)
_CSS_STRINGS = re.compile(r'"((?:[^"\\\n]|\\.)*)"|\'((?:[^\'\\\n]|\\.)*)\'', re.DOTALL)


def _declaration_end(css: str, start: int) -> int:
    """Index of the ``;`` or ``}`` that ends the declaration at ``start`` (quotes skipped)."""
    quote = ""
    index = start
    while index < len(css):
        char = css[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in ";}":
            return index
        index += 1
    return len(css)


def _css_string(groups: tuple[str, str]) -> str:
    """One quoted CSS string's text, escapes decoded (\\79D8 is 秘, \\A a line break)."""
    raw = groups[0] or groups[1]
    if "\\" not in raw:
        return raw

    def unescape(match: re.Match[str]) -> str:
        if match.group(1):
            code = int(match.group(1), 16)
            return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else ""
        return "" if match.group(2) == "\n" else match.group(2)

    return _CSS_ESCAPE.sub(unescape, raw)


def _css_data_uris(css: str, found: _Found) -> None:
    """data: URIs inside CSS url(...) values."""
    position = 0
    while (start := css.find("url(", position)) >= 0:
        position = start + 4
        end = css.find(")", position)
        if end < 0:
            return
        value = css[position:end].strip().strip("'\"").strip()
        if value[:5].lower() == "data:":
            if len(found.data_uris) >= MAX_DATA_URIS:
                found.dropped_data_uris += 1
            else:
                found.data_uris.append(value)
        position = end


def _html_text(root: etree._Element, budget: Budget, found: _Found) -> str:
    """Visible text of an HTML tree: inline elements join, block elements end a line."""
    _side_text(root, found)
    _attributes(root, budget, found, html=True)
    _apply_styles(found)
    for title in list(root.iter("{*}title")):
        parent = title.getparent()
        if parent is not None and _localname(parent.tag) == "head":
            found.title.append("".join(title.itertext()))
            parent.remove(title)  # its tail is white space inside <head>
    # A link's text names what it points to: a shared document's title in a Drive or
    # SharePoint share mail ('Kestrel award recommendation - CONFIDENTIAL'), read as a
    # title, where a level closing it after a dash is a marking (in the body it is not).
    for anchor in root.iter("{*}a"):
        if len(found.links) >= MAX_LINKS:
            break
        if anchor.get("href") is None:
            continue
        text = " ".join("".join(anchor.itertext()).split())
        if text and len(text) <= MAX_LINK_TEXT:
            found.links.append(text)
    for meta in root.iter("{*}meta"):
        name = meta.get("name") or meta.get("property") or meta.get("itemprop")
        content = meta.get("content")
        if name and content and content.strip() and len(found.meta) < MAX_META:
            found.meta.append((name.strip().lower(), content))
    for element in root.iter(*_PREFORMATTED_TAGS):
        _keep_newlines(element)
    for count, element in enumerate(root.iter(*_LINE_TAGS), 1):
        if count % NODES_PER_TIME_CHECK == 0:
            budget.check_time()
        element.text = _LINE + element.text if element.text else _LINE
        element.tail = _LINE + element.tail if element.tail else _LINE
    _mark_cells(root, budget)
    return _lines(etree.tostring(root, method="text", encoding="unicode"))


_TABLE_PARTS = frozenset({"table", "tr", "td", "th"})
_TABLE: list[etree._Element] = []  # _cell_blocks' answer for a cell holding a table


def _cell_blocks(cell: etree._Element) -> list[etree._Element]:
    """The block elements inside ``cell`` (_TABLE when a table part is among them). Tag
    names are compared as the "{*}name" filters do; a cell whose elements hold none
    (<td>cell <b>bold</b></td>) is judged without a walk of its own, which cost more than
    the rest of its row."""
    walk = False
    for child in cell:
        tag = child.tag
        if len(child):
            walk = True
        elif isinstance(tag, str):
            name = tag.rpartition("}")[2]
            if name in _TABLE_PARTS:
                return _TABLE
            if name in BLOCK:
                walk = True
    if not walk:
        return []
    blocks = []
    for element in cell.iterdescendants():
        tag = element.tag
        if not isinstance(tag, str):
            continue
        name = tag.rpartition("}")[2]
        if name in _TABLE_PARTS:
            return _TABLE
        if name in BLOCK:
            blocks.append(element)
    return blocks


def _mark_cells(root: etree._Element, budget: Budget) -> None:
    """Mark the table cells, after the other block elements: each row whose cells hold a
    line each reads as one line, its cells parted by _CELL (a tab), as Word, RTF,
    spreadsheet and PDF tables are read. A column headed 'Draft' is then a word of its row
    ('Beer | Draft | Bottle'), not a line of its own that looks like a banner, and a level
    in the cell after a field label ('Classification | SECRET') reads as after a colon.

    A row with a cell of several lines, or a table inside, is layout (mail clients wrap
    whole messages in one-cell tables, newsletters set columns side by side): its cells
    end lines as the other blocks do.
    """
    # Cells come in document order; those of one row are consecutive unless a table in
    # one of them comes between, and such a row is layout anyway.
    row: etree._Element | None = None
    cells: list[etree._Element] = []
    for count, cell in enumerate(root.iter(*_CELL_TAGS), 1):
        if count % NODES_PER_TIME_CHECK == 0:
            budget.check_time()
        parent = cell.getparent()
        if parent is not row:
            _mark_row(row, cells)
            row, cells = parent, []
        cells.append(cell)
    _mark_row(row, cells)


def _row_blocks(row: etree._Element | None, cells: list[etree._Element]) -> list[list[etree._Element]] | None:
    """Each cell's _cell_blocks when ``cells`` are a whole row of one line; else None."""
    if (row is None or len(cells) < 2 or len(row) != len(cells)
            or not isinstance(row.tag, str) or row.tag.rpartition("}")[2] != "tr"):
        return None
    out = []
    for cell in cells:
        blocks = _cell_blocks(cell)
        if blocks is _TABLE:
            return None
        # Paragraphs in a cell (Outlook writes <p class=MsoNormal> in each): one line of
        # text is still one cell's value.
        if blocks and sum(
            1 for piece in etree.tostring(cell, method="text", encoding="unicode", with_tail=False)
            .split(_LINE) if piece and not piece.isspace()
        ) > 1:
            return None
        out.append(blocks)
    return out


def _mark_row(row: etree._Element | None, cells: list[etree._Element]) -> None:
    """Mark ``cells``, the cells of ``row`` met one after another, as one line or as lines."""
    if not cells:
        return
    blocks = _row_blocks(row, cells)
    if blocks is None:
        for cell in cells:
            cell.text = _LINE + cell.text if cell.text else _LINE
            cell.tail = _LINE + cell.tail if cell.tail else _LINE
        return
    for cell, inside in zip(cells, blocks, strict=True):
        # Take out the marks put at the start and end of each block inside; a line
        # separator written in the page stays a line break.
        for element in inside:
            if element.text and element.text[0] == _LINE:
                element.text = element.text[1:]
            if element.tail and element.tail[0] == _LINE:
                element.tail = element.tail[1:]
        cell.tail = _CELL + cell.tail if cell.tail else _CELL


def _settable(root: etree._Element) -> None:
    """Take the control characters lxml will not set (_SETTABLE) out of every text and tail."""
    for node in root.iter():
        for name in ("text", "tail"):
            value = getattr(node, name)
            if value and (clean := value.translate(_SETTABLE)) != value:
                setattr(node, name, clean)


def _keep_newlines(element: etree._Element) -> None:
    """Inside <pre> a source newline is a line break, not white space."""
    for node in element.iter():
        if node.text:
            node.text = node.text.translate(_PRE_NEWLINES)
        if node is not element and node.tail:
            node.tail = node.tail.translate(_PRE_NEWLINES)


def _has_words(text: str | None) -> bool:
    return bool(text) and not text.isspace()  # type: ignore[union-attr]


def _xml_text(root: etree._Element, budget: Budget, found: _Found) -> str:
    """Text of a generic XML tree: each element on its own line, except inside mixed
    content, where it joins the running text (``<t>SEC<s>RET</s></t>`` reads SECRET).

    A line break in the text (literal or ``&#10;``) is a line end, as in a text file:
    generic XML has no markup for lines, so a note sent as ``CONFIDENCIAL&#10;Plan…``
    has its heading on a line of its own. Inside an office paragraph a break is layout.
    """
    _attributes(root, budget, found, html=False)
    _side_text(root, found)
    joined = _join_paragraphs(root)
    for count, parent in enumerate(root.iter(etree.Element), 1):
        if count % NODES_PER_TIME_CHECK == 0:
            budget.check_time()
        if parent in joined:
            continue
        if parent.text:
            parent.text = parent.text.translate(_XML_NEWLINES)
        for child in parent:
            if child.tail:
                child.tail = child.tail.translate(_XML_NEWLINES)
        children = list(parent)
        if not children or _has_words(parent.text) or any(_has_words(child.tail) for child in children):
            continue  # a leaf, or mixed content: its children are running text
        for child in children:
            child.tail = _LINE + child.tail if child.tail else _LINE
    return _lines(etree.tostring(root, method="text", encoding="unicode"))


def _join_paragraphs(root: etree._Element) -> set[etree._Element]:
    """Mark each known paragraph as a line and return the elements whose text joins.

    The set keeps the lxml proxies alive, so membership by identity holds."""
    joined: set[etree._Element] = set()
    for paragraph in root.iter(*PARAGRAPH_TAGS):
        paragraph.text = _LINE + paragraph.text if paragraph.text else _LINE
        paragraph.tail = _LINE + paragraph.tail if paragraph.tail else _LINE
        joined.add(paragraph)
        joined.update(paragraph.iterdescendants(etree.Element))
    if joined:
        for separator in root.iter(*BREAK_TAGS):
            if separator in joined:
                separator.tail = " " + separator.tail if separator.tail else " "
    return joined


# -- children --------------------------------------------------------------------------


def _text_parts(part: Part, budget: Budget, found: _Found) -> Iterator[Part]:
    """Title, link texts, meta properties, attribute text, comments and script/style as text parts."""
    title = _lines(_LINE.join(found.title))
    if title:
        yield budget.child(part, "#title", text=title, role="title")
    if found.links:
        yield budget.child(part, "#links", text="\n".join(found.links), role="title")
    for name, content in found.meta:
        yield budget.child(part, f"#meta:{name}", text=content.strip(), role="property", name=name)
    if found.attributes:
        yield budget.child(part, "#attributes", text="\n".join(found.attributes), role="body")
    if found.comments:
        yield budget.child(part, "#comments", text="\n".join(found.comments), role="comment")
    if found.script:
        yield budget.child(part, "#script", text="\n".join(found.script), role="body")
    if found.generated:
        yield budget.child(part, "#css-content", text="\n".join(found.generated), role="body")
    if found.hidden:
        # Hidden text is still sent text: read on its own, not inside the visible words.
        yield budget.child(part, "#hidden", text="\n".join(found.hidden), role="body")


def _embedded(part: Part, budget: Budget, found: _Found) -> Iterator[Part | Defect]:
    """data: URIs and iframe srcdoc documents as content parts, typed by the pipeline."""
    for index, uri in enumerate(found.data_uris, 1):
        budget.check_time()
        label = f"#data[{index}]"
        decoded = _data_uri(uri)
        if decoded is None:
            yield Defect(
                "html.data_uri", "low", "an embedded data: URI is malformed", part.child_origin(label)
            )
            continue
        mediatype, charset, payload = decoded
        data, path = budget.collect((payload,), what=label)
        yield budget.child(part, label, data=data, path=path, declared_type=mediatype, charset=charset)
    if found.dropped_data_uris:
        yield Defect(
            "html.limit",
            "medium",
            f"{found.dropped_data_uris} embedded data: URIs beyond the first "
            f"{MAX_DATA_URIS} were not inspected",
            part.origin,
        )
    for index, document in enumerate(found.srcdocs, 1):
        yield budget.child(
            part,
            f"#srcdoc[{index}]",
            data=document.encode("utf-8"),
            declared_type="text/html",
            charset="utf-8",
        )


def _data_uri(uri: str) -> tuple[str, str, bytes] | None:
    """(media type, charset, bytes) of an RFC 2397 data: URI, or None when malformed."""
    header, comma, payload = uri[5:].partition(",")
    if not comma:
        return None
    params = [p.strip() for p in header.split(";")]
    mediatype = params[0].lower() or "text/plain"
    charset = ""
    for param in params[1:]:
        if param.lower().startswith("charset="):
            charset = param[8:].strip("\"'")
            charset = charset if codec_name(charset) else ""
    raw = unquote_to_bytes(payload)
    if params[-1].lower() != "base64":
        return mediatype, charset, raw
    clean = b"".join(raw.split())
    clean = clean.rstrip(b"=")
    if len(clean) % 4 == 1:
        clean = clean[:-1]  # a cut-off final character carries no whole byte
    try:
        return mediatype, charset, binascii.a2b_base64(clean + b"=" * (-len(clean) % 4))
    except binascii.Error:
        return None
