"""OpenDocument packages (odt, ods, odp): text by role, master-page headers and footers,
metadata, tracked changes and embedded objects."""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterator

from lxml import etree

from filters.errors import EncryptedContent, ExtractionStop, UnparseableContent
from filters.extract.cells import integer_digits
from filters.extract.document_state import plural, state_parts
from filters.extract.ooxml import (
    Collected,
    local_name,
    member_problems,
    open_archive,
    parse_tree,
    read_generic,
    read_member,
    report_problems,
    xml_source,
)
from filters.extract.xstring import unescape_xstring
from filters.limits import Budget
from filters.types import Defect, Part

OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
SVG = "{urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0}"
# A frame's or shape's alternative text (svg:title, svg:desc): lines of their own, not
# glued to the paragraph the picture sits in or to each other.
_ALT_TEXT = {SVG + "title", SVG + "desc"}
PRESENTATION = "{urn:oasis:names:tc:opendocument:xmlns:presentation:1.0}"
META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
DC = "{http://purl.org/dc/elements/1.1/}"
XLINK = "{http://www.w3.org/1999/xlink}"
MANIFEST = "{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}"
FO = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}"
# Impress and Draw write a slide's comment in LibreOffice's own namespace (officeooo:
# annotation, beside the shapes of a draw:page); ODF's office:annotation is Writer's and Calc's.
OFFICEOOO = "{http://openoffice.org/2009/office}"
_ANNOTATIONS = {OFFICE + "annotation", OFFICEOOO + "annotation"}

# Elements whose content is not document text (declarations, change metadata, scripts).
_SKIPPED = {
    OFFICE + "change-info", TEXT + "sequence-decls", TEXT + "variable-decls",
    TEXT + "user-field-decls", TEXT + "note-citation", TABLE + "table-column",
    TABLE + "table-columns", OFFICE + "scripts", OFFICE + "font-face-decls",
    OFFICE + "automatic-styles", OFFICE + "styles", OFFICE + "settings", DC + "creator",
    DC + "date", META + "date-string", OFFICE + "annotation-end",
}
_HEADERS = {STYLE + "header": "header", STYLE + "header-left": "header",
            STYLE + "header-first": "header", STYLE + "footer": "footer",
            STYLE + "footer-left": "footer", STYLE + "footer-first": "footer",
            PRESENTATION + "header-decl": "header", PRESENTATION + "footer-decl": "footer"}
_FRAME_CLASSES = {"title": "title", "footer": "footer", "header": "header",
                  "date-time": "footer", "page-number": "footer"}
# Repeated spaces (<text:s text:c="N"/>) are capped: N is attacker-controlled.
_MAX_SPACES = 1000

# Members that are never inspected: previews, settings, the package manifest. Pictures
# (Pictures/*) are files of their own, typed by their bytes and read by OCR.
SKIP = re.compile(
    r"(mimetype|settings\.xml|manifest\.rdf|layout-cache|META-INF/.*|"
    r"Thumbnails/.*|ObjectReplacements/.*|Configurations2/.*|.*/settings\.xml)"
)


_STYLED = {TEXT + "span", TEXT + "p", TEXT + "h"}
_HIDDEN, _CAPITALS = "hidden", "capitals"


def style_effects(root: etree._Element) -> dict[str, str]:
    """Automatic (direct-formatting) text styles that hide their text or show it in
    capitals, by style name: text:display="none", fo:text-transform="uppercase",
    fo:font-variant="small-caps"."""
    effects: dict[str, str] = {}
    styles = root.find(OFFICE + "automatic-styles")
    if styles is None:
        return effects
    for style in styles.iterfind(STYLE + "style"):
        properties = style.find(STYLE + "text-properties")
        name = style.get(STYLE + "name")
        if properties is None or not name:
            continue
        if properties.get(TEXT + "display") == "none":
            effects[name] = _HIDDEN
        elif (properties.get(FO + "text-transform") == "uppercase"
              or properties.get(FO + "font-variant") == "small-caps"):
            effects[name] = _CAPITALS
    return effects


class _Walker:
    """Walks ODF text content, sending each piece to a key (body, notes, comments …)."""

    def __init__(self, budget: Budget, effects: dict[str, str] | None = None) -> None:
        self.budget = budget
        self.out = Collected()
        self.steps = 0
        self.spreadsheet = False
        self.inserted_ids: set[str] = set()
        self.inserting: set[str] = set()
        self.effects = effects or {}
        self.capitals = 0  # depth of elements shown in capitals

    def emit(self, key: str, text: str | None) -> None:
        if not text:
            return
        if self.capitals:
            text = text.upper()
        if key in ("header", "footer"):
            # A sheet's header or footer converted from xlsx keeps its _x000D_ escapes.
            text = unescape_xstring(text)
        self.out.add(key, text)
        # Inserted text sits in the body between change-start and change-end marks.
        if self.inserting and key == "body":
            self.out.add("insertions", text)

    def children(self, element: etree._Element, key: str) -> None:
        self.emit(key, element.text)
        for child in element:
            self.walk(child, key)
            self.emit(key, child.tail)

    def walk(self, element: etree._Element, key: str) -> None:
        self.steps += 1
        if not self.steps & 1023:
            self.budget.check_time()
        tag = element.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            return
        if tag in _STYLED and self.effects:
            effect = self.effects.get(element.get(TEXT + "style-name") or "")
            if effect == _HIDDEN and key != "hidden":
                # Hidden letters inside a word (SE[xq]CRET) must not split what the page
                # shows; hidden text is still read, as a part of its own.
                self.walk(element, "hidden")
                self.out.end_line("hidden")
                return
            if effect == _CAPITALS:
                self.capitals += 1
                try:
                    self._walk(element, tag, key)
                finally:
                    self.capitals -= 1
                return
        self._walk(element, tag, key)

    def _walk(self, element: etree._Element, tag: str, key: str) -> None:
        if tag == TEXT + "hidden-text" or tag == TEXT + "hidden-paragraph":
            # Conditionally hidden text keeps its words in an attribute.
            self.emit("hidden", element.get(TEXT + "string-value"))
            self.out.end_line("hidden")
            self.children(element, key)
        elif tag == TEXT + "p" or tag == TEXT + "h":
            self.children(element, key)
            self.out.end_line(key)
            if self.inserting:
                self.out.end_line("insertions")
        elif tag == TEXT + "s":
            count = element.get(TEXT + "c") or "1"
            self.emit(key, " " * min(int(count) if count.isdigit() else 1, _MAX_SPACES))
        elif tag == TEXT + "tab":
            self.emit(key, "\t")
        elif tag == TEXT + "line-break":
            self.emit(key, "\n")
        elif tag == TEXT + "note":
            self.children(element, "notes")
            self.out.end_line("notes")
        elif tag in _ANNOTATIONS:
            if not self.spreadsheet:  # a Calc cell's comment is a note (document_state)
                self.out.count("comments")
            self.children(element, "comments")
            self.out.end_line("comments")
        elif tag == TEXT + "tracked-changes":
            self.tracked_changes(element)
        elif tag == TABLE + "tracked-changes":
            self.sheet_changes(element)
        elif tag == TEXT + "change-start":
            change = element.get(TEXT + "change-id") or ""
            if change in self.inserted_ids:
                self.inserting.add(change)
        elif tag == TEXT + "change-end":
            self.inserting.discard(element.get(TEXT + "change-id") or "")
        elif tag == TABLE + "table":
            # A text document's tables are named "Table1"…; only sheet names mean something.
            if self.spreadsheet:
                self.emit("sheets", (element.get(TABLE + "name") or "") + "\n")
            self.children(element, key)
        elif tag == TABLE + "table-cell" and element.get(OFFICE + "value-type") == "float":
            # The cell's number in full: its displayed text may be shortened (1.1E+17).
            digits = integer_digits(element.get(OFFICE + "value"))
            if digits:
                self.emit(key, digits + "\t")
            self.children(element, key)
        elif tag in _ALT_TEXT:
            self.out.end_line(key)
            self.children(element, key)
            self.out.end_line(key)
        elif tag == PRESENTATION + "notes":
            self.children(element, "notes")
        elif tag in _HEADERS:
            self.children(element, _HEADERS[tag])
            self.out.end_line(_HEADERS[tag])
        elif tag == DRAW + "frame" and element.get(PRESENTATION + "class") in _FRAME_CLASSES:
            target = _FRAME_CLASSES[element.get(PRESENTATION + "class", "")]
            self.children(element, target)
            self.out.end_line(target)
        else:
            self.children(element, key)

    def tracked_changes(self, element: etree._Element) -> None:
        """Count each change; deleted text goes to 'deletions', not to the body."""
        for region in element.iter(TEXT + "changed-region"):
            change = region.get(TEXT + "id") or region.get("{http://www.w3.org/XML/1998/namespace}id")
            for kind in region:
                if kind.tag == TEXT + "insertion":
                    self.out.count("insertions")
                    if change:
                        self.inserted_ids.add(change)
                elif kind.tag == TEXT + "deletion":
                    self.out.count("deletions")
                    self.children(kind, "deletions")
                    self.out.end_line("deletions")
                elif kind.tag == TEXT + "format-change":
                    self.out.count("formatting")


    def sheet_changes(self, element: etree._Element) -> None:
        """Count a spreadsheet's changes still pending (Calc keeps accepted and rejected ones
        in the list, marked so: ODF 1.2 table:acceptance-state); a changed cell's previous
        content goes to 'deletions'."""
        for change in element:
            if not isinstance(change.tag, str) or change.get(
                    TABLE + "acceptance-state", "pending") != "pending":
                continue
            self.out.count("changes")
            for previous in change.iter(TABLE + "previous"):
                self.children(previous, "deletions")
                self.out.end_line("deletions")


def _body_role(root: etree._Element) -> str:
    """'cell' for a spreadsheet's content, else 'body'."""
    body = root.find(OFFICE + "body")
    if body is not None and body.find(OFFICE + "spreadsheet") is not None:
        return "cell"
    return "body"


_ROLES = {"notes": "note", "comments": "comment", "deletions": "revision",
          "insertions": "revision", "sheets": "sheet", "title": "title",
          "header": "header", "footer": "footer", "hidden": "body"}


def read_document(source: io.BytesIO | str, budget: Budget) -> tuple[Collected, str]:
    """Text of content.xml or styles.xml (master pages only), by key, and the body role."""
    root = parse_tree(source)
    masters = local_name(root.tag) == "document-styles"
    return read_tree(root, budget, masters=masters)


def read_tree(root: etree._Element, budget: Budget, *, masters: bool) -> tuple[Collected, str]:
    """Text of a parsed ODF document root, by key, and the body role: its master pages
    (headers, footers, slide masters) when ``masters``, else its body. A flat ODF file
    (filters.extract.flat_odf) has both under one root."""
    walker = _Walker(budget, style_effects(root))
    role = _body_role(root)
    walker.spreadsheet = role == "cell"
    element = root.find(OFFICE + ("master-styles" if masters else "body"))
    if element is not None:
        walker.walk(element, "body")
    return walker.out, role


def meta_values(root: etree._Element, budget: Budget) -> dict[str, str]:
    """office:meta values by name (see read_meta), from a parsed root."""
    return _meta_values(root.find(OFFICE + "meta"), budget)


def read_meta(source: io.BytesIO | str, budget: Budget) -> dict[str, str]:
    """meta.xml values by name; user-defined properties under their own meta:name."""
    root = parse_tree(source)
    return _meta_values(root.find(OFFICE + "meta"), budget)


def _meta_values(meta: etree._Element | None, budget: Budget) -> dict[str, str]:
    values: dict[str, list[str]] = {}
    for n, element in enumerate(meta if meta is not None else ()):
        name = local_name(element.tag)
        if name == "user-defined":
            name = element.get(META + "name") or "user-defined"
            value = element.text or ""
        elif name == "template":
            value = element.get(XLINK + "title") or ""
        elif name in ("creation-date", "date", "print-date", "editing-duration",
                      "editing-cycles", "document-statistic"):
            continue
        else:
            value = "".join(element.itertext())
        if value.strip():
            values.setdefault(name, []).append(value.strip())
        if not n & 255:
            budget.check_time()
    return {name: "\n".join(parts) for name, parts in values.items()}


_MANIFEST_DECLARED = re.compile(rb"xmlns:manifest\s*=")
_MANIFEST_ROOT = re.compile(rb"<manifest:manifest(?=[\s/>])")


def _check_encryption(archive: zipfile.ZipFile, budget: Budget) -> None:
    """Raise EncryptedContent when the manifest lists encrypted members."""
    try:
        info = archive.getinfo("META-INF/manifest.xml")
    except KeyError:
        return
    data, path = read_member(archive, info, budget)
    if path is None and not _MANIFEST_DECLARED.search(data):
        # OpenOffice.org 1's manifest (a DTD, no namespace declaration), still written by
        # LibreOffice's own wizard templates: its prefix is the manifest namespace.
        data = _MANIFEST_ROOT.sub(rb'\g<0> xmlns:manifest="' + MANIFEST[1:-1].encode() + b'"', data, 1)
    try:
        root = parse_tree(xml_source(data, path))
    except etree.XMLSyntaxError as exc:
        raise UnparseableContent(f"META-INF/manifest.xml is not well-formed XML: {exc}") from exc
    encrypted = [entry.get(MANIFEST + "full-path") or "?"
                 for entry in root.iter(MANIFEST + "file-entry")
                 if entry.find(MANIFEST + "encryption-data") is not None]
    if encrypted:
        shown = ", ".join(encrypted[:3]) + (" …" if len(encrypted) > 3 else "")
        raise EncryptedContent(
            f"OpenDocument is password-protected: {plural(len(encrypted), 'encrypted member')}"
            f" ({shown})")


def text_parts(part: Part, budget: Budget, name: str, collected: Collected,
                body_role: str) -> Iterator[Part]:
    for key, pieces in collected.texts.items():
        text = "".join(pieces).strip()
        if not text:
            continue
        if key == "body":
            yield budget.child(part, name, text=text, role=body_role)
        else:
            yield budget.child(part, f"{name}#{key}", text=text, role=_ROLES.get(key, "body"))


def extract(part: Part, budget: Budget) -> Iterator[Part | Defect]:
    """Text parts (by role), metadata, state and embedded objects of an ODF package."""
    problems: list[ExtractionStop] = []
    counts: dict[str, int] = {}
    with open_archive(part) as archive:
        _check_encryption(archive, budget)
        names = set(archive.namelist())
        # A template of styles alone (LibreOffice's own: Modern.ott) has no content.xml;
        # every member is read below either way.
        if "content.xml" not in names and "styles.xml" not in names:
            raise UnparseableContent("OpenDocument package has no content.xml or styles.xml")
        for info in archive.infolist():
            budget.check_time()
            name = info.filename
            if info.is_dir() or SKIP.fullmatch(name):
                continue
            base = posixpath.basename(name)
            with member_problems(problems):
                data, path = read_member(archive, info, budget)
                if not base.endswith(".xml"):
                    # Embedded OLE objects and other files: typed by the pipeline.
                    yield budget.child(part, name, data=data, path=path, name=base)
                    continue
                source = xml_source(data, path)
                try:
                    if base == "meta.xml":
                        for key, value in read_meta(source, budget).items():
                            yield budget.child(part, f"{name}#{key}", text=value,
                                               role="property", name=key)
                        continue
                    if base in ("content.xml", "styles.xml"):
                        collected, role = read_document(source, budget)
                    else:
                        collected, role = Collected(), "body"
                        read_generic(source, budget, collected)
                        collected.counts.clear()
                except etree.XMLSyntaxError as exc:
                    problems.append(UnparseableContent(
                        f"package member {name} is not well-formed XML: {exc}"))
                    continue
                yield from text_parts(part, budget, name, collected, role)
                for key, n in collected.counts.items():
                    counts[key] = counts.get(key, 0) + n
    yield from state_parts(part, budget, counts)
    yield from report_problems(part, problems)
