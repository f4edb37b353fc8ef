"""HTML, XHTML, SVG and generic XML: visible text in reading order, hidden text beside it."""

from __future__ import annotations

import binascii
import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import unquote_to_bytes

from lxml import etree

from filters.errors import UnparseableContent
from filters.extract.text import decode_text
from filters.limits import Budget
from filters.types import Defect, Part

XML_TYPES = frozenset({"text/xml", "application/xml", "image/svg+xml"})
MAX_DATA_URIS = 256  # embedded data: URIs decoded per document; more is reported
MAX_META = 1000
MAX_ATTRIBUTE_VALUES = 100_000
NODES_PER_TIME_CHECK = 2048
CHARSET_SNIFF_BYTES = 4096

# Elements that do not break a line: text on either side joins, so SEC<b>RET</b> reads
# SECRET. Unknown elements (Word's <o:p>, custom tags) are inline too, for the same reason.
BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "caption", "center", "dd",
    "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure",
    "footer", "form", "frame", "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head",
    "header", "hgroup", "hr", "html", "iframe", "legend", "li", "listing", "main", "menu",
    "nav", "noframes", "noscript", "ol", "optgroup", "option", "p", "plaintext", "pre",
    "section", "select", "summary", "table", "tbody", "td", "textarea", "tfoot", "th",
    "thead", "title", "tr", "ul", "xmp",
})
PREFORMATTED = frozenset({"pre", "textarea", "listing", "plaintext", "xmp"})
SCRIPT = frozenset({"script", "style"})
TEXT_ATTRIBUTES = ("title", "alt", "aria-label", "placeholder")
VALUE_ELEMENTS = frozenset({"input"})

# The line separator inside the joined text; str.split() treats it as white space, so the
# per-line whitespace collapse cannot leave it behind.
_LINE = "\x1e"
_PRE_NEWLINES = str.maketrans({"\n": _LINE})
_META_CHARSET = re.compile(
    rb"<meta[^>]{0,512}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{1,40})", re.IGNORECASE
)
_XML_SYNTAX = (etree.XMLSyntaxError, etree.ParserError)


@dataclass
class _Found:
    """Everything collected in one walk besides the visible text."""

    title: list[str] = field(default_factory=list)
    meta: list[tuple[str, str]] = field(default_factory=list)
    attributes: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    script: list[str] = field(default_factory=list)
    data_uris: list[str] = field(default_factory=list)
    srcdocs: list[str] = field(default_factory=list)
    dropped_data_uris: int = 0


def extract(part: Part, budget: Budget) -> Iterator[Part | Defect]:
    """Visible text (the part's own origin), then title, meta, attributes, comments, script."""
    data = budget.read_part(part)
    found = _Found()
    kind = (part.detected_type or part.declared_type).lower()
    if kind in XML_TYPES:
        root, problem = _parse_xml(data, part.charset)
        if problem:
            yield Defect("xml.malformed", "medium", problem, part.origin)
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
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=False, remove_pis=False,
                              no_network=True, huge_tree=False, recover=True)
    try:
        return etree.fromstring(data, parser)
    except _XML_SYNTAX as exc:
        raise UnparseableContent(f"HTML does not parse: {exc}") from exc


def _parse_xml(data: bytes, declared: str) -> tuple[etree._Element | None, str]:
    """The XML tree (entities unresolved, no DTD, no network) and a problem, if any."""

    def parse(content: bytes, recover: bool, encoding: str | None) -> etree._Element | None:
        # resolve_entities=False and load_dtd=False stop XXE; huge_tree=False keeps
        # libxml2's limits on depth, text size and entity amplification (billion laughs).
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                                 dtd_validation=False, huge_tree=False, recover=recover,
                                 remove_comments=False, remove_pis=False, encoding=encoding)
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


def _localname(tag: str) -> str:
    """'{http://www.w3.org/1999/xhtml}P' -> 'p'."""
    return tag.rsplit("}", 1)[-1].lower()


def _lines(pieces: list[str]) -> str:
    """Join text pieces; collapse white space inside each line and drop empty lines."""
    lines = ("".join(pieces)).split(_LINE)
    return "\n".join(line for line in (" ".join(raw.split()) for raw in lines) if line)


def _side_nodes(node: etree._Element, found: _Found) -> bool:
    """Comments and processing instructions go aside; True when ``node`` was one."""
    tag = node.tag
    if tag is etree.Comment or tag is etree.ProcessingInstruction:
        if node.text:
            found.comments.append(node.text)
        return True
    return tag is etree.Entity  # an unresolved entity reference: never expanded


def _attributes(node: etree._Element, name: str, found: _Found, html: bool) -> None:
    """Collect text attributes, meta properties and embedded data: URIs of one element."""
    attrib = node.attrib
    if not attrib:
        return
    if len(found.attributes) >= MAX_ATTRIBUTE_VALUES:
        return
    for key, value in attrib.items():
        if value[:16].lstrip()[:5].lower() == "data:":
            if len(found.data_uris) < MAX_DATA_URIS:
                found.data_uris.append(value.strip())
            else:
                found.dropped_data_uris += 1
            continue
        local = _localname(key)
        if html:
            if local in TEXT_ATTRIBUTES or (local == "value" and name in VALUE_ELEMENTS):
                if value.strip():
                    found.attributes.append(value)
            elif local == "srcdoc" and len(found.srcdocs) < MAX_DATA_URIS:
                found.srcdocs.append(value)
            elif local == "style" and "data:" in value:
                _css_data_uris(value, found)
        elif value.strip():
            found.attributes.append(value)
    if html and name == "meta" and len(found.meta) < MAX_META:
        meta_name = attrib.get("name") or attrib.get("property") or attrib.get("itemprop")
        content = attrib.get("content")
        if meta_name and content and content.strip():
            found.meta.append((meta_name.strip().lower(), content))


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
    out: list[str] = []
    stack: list[tuple[etree._Element, bool]] = [(root, False)]
    pre = 0
    nodes = 0
    while stack:
        node, closing = stack.pop()
        if closing:
            name = _localname(node.tag)
            if name in PREFORMATTED:
                pre -= 1
            if name in BLOCK:
                out.append(_LINE)
            _tail(node, out, pre)
            continue
        nodes += 1
        if nodes % NODES_PER_TIME_CHECK == 0:
            budget.check_time()
        if _side_nodes(node, found):
            _tail(node, out, pre)
            continue
        name = _localname(node.tag)
        _attributes(node, name, found, html=True)
        if name in SCRIPT:
            text = "".join(node.itertext())
            if text.strip():
                found.script.append(text)
                if name == "style" and "data:" in text:
                    _css_data_uris(text, found)
            _tail(node, out, pre)
            continue
        if name == "title" and _localname(node.getparent().tag if node.getparent() is not None
                                          else "") == "head":
            found.title.append("".join(node.itertext()))
            _tail(node, out, pre)
            continue
        if name in PREFORMATTED:
            pre += 1
        if name in BLOCK:
            out.append(_LINE)
        if node.text:
            out.append(node.text.translate(_PRE_NEWLINES) if pre else node.text)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node))
    return _lines(out)


def _tail(node: etree._Element, out: list[str], pre: int) -> None:
    tail = node.tail
    if tail:
        out.append(tail.translate(_PRE_NEWLINES) if pre else tail)


def _xml_text(root: etree._Element, budget: Budget, found: _Found) -> str:
    """Text of a generic XML tree: each element on its own line, except inside mixed
    content, where it joins the running text (``<t>SEC<s>RET</s></t>`` reads SECRET)."""
    out: list[str] = []
    stack: list[tuple[etree._Element, bool]] = [(root, False)]
    nodes = 0
    while stack:
        node, closing = stack.pop()
        if closing:
            tail = node.tail
            if not tail or tail.isspace():
                out.append(_LINE)
            if tail:
                out.append(tail)
            continue
        nodes += 1
        if nodes % NODES_PER_TIME_CHECK == 0:
            budget.check_time()
        if _side_nodes(node, found):
            if node.tail:
                out.append(node.tail)
            continue
        # Mixed content (text right beside the element) is running text: no line break.
        if not out or out[-1] == _LINE or out[-1].isspace():
            out.append(_LINE)
        _attributes(node, "", found, html=False)
        if node.text:
            out.append(node.text)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node))
    return _lines(out)


# -- children --------------------------------------------------------------------------


def _text_parts(part: Part, budget: Budget, found: _Found) -> Iterator[Part]:
    """Title, meta properties, attribute text, comments and script/style as text parts."""
    title = _lines([_LINE.join(found.title)])
    if title:
        yield budget.child(part, "#title", text=title, role="title")
    for name, content in found.meta:
        yield budget.child(part, f"#meta:{name}", text=content.strip(), role="property",
                           name=name)
    if found.attributes:
        yield budget.child(part, "#attributes", text="\n".join(found.attributes), role="body")
    if found.comments:
        yield budget.child(part, "#comments", text="\n".join(found.comments), role="comment")
    if found.script:
        yield budget.child(part, "#script", text="\n".join(found.script), role="body")


def _embedded(part: Part, budget: Budget, found: _Found) -> Iterator[Part | Defect]:
    """data: URIs and iframe srcdoc documents as content parts, typed by the pipeline."""
    for index, uri in enumerate(found.data_uris, 1):
        budget.check_time()
        label = f"#data[{index}]"
        decoded = _data_uri(uri)
        if decoded is None:
            yield Defect("html.data_uri", "low", "an embedded data: URI is malformed",
                         part.child_origin(label))
            continue
        mediatype, charset, payload = decoded
        data, path = budget.collect((payload,), what=label)
        yield budget.child(part, label, data=data, path=path, declared_type=mediatype,
                           charset=charset)
    if found.dropped_data_uris:
        yield Defect("html.limit", "medium",
                     f"{found.dropped_data_uris} embedded data: URIs beyond the first "
                     f"{MAX_DATA_URIS} were not inspected", part.origin)
    for index, document in enumerate(found.srcdocs, 1):
        yield budget.child(part, f"#srcdoc[{index}]", data=document.encode("utf-8"),
                           declared_type="text/html", charset="utf-8")


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
            try:
                codecs.lookup(charset)
            except LookupError:
                charset = ""
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
