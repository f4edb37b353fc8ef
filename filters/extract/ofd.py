"""OFD (GB/T 33190-2016), China's fixed-layout format for official documents: page text
laid out in lines, template pages, annotations (watermarks, stamps), document metadata
(custom data such as 密级) and the package's pictures and attachments.

OFD places every text object at coordinates, often one object per character or per
run, so the page is put together again as a reader sees it: objects grouped into lines
by their baseline, ordered left to right, with a tab across a wide gap (a table's next
cell). Text turned at an angle (a watermark) is a line of its own.
"""

from __future__ import annotations

import itertools
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from filters.errors import ExtractionStop, UnparseableContent
from filters.extract.ooxml import (
    iterparse,
    local_name,
    member_problems,
    open_archive,
    parse_tree,
    read_member,
    report_problems,
    xml_source,
)
from filters.limits import Budget
from filters.types import Defect, Part

# The entry file every OFD package has at its root.
ENTRY = "OFD.xml"
# Page objects read per XML member; a page of more is cut (and says so).
MAX_OBJECTS = 200_000
# Share of the page height read as the header band and the footer band.
BAND = 0.10
# Members that are not document text: fonts, signatures and seals (signed data), and the
# XML of signature lists. Pictures and attachments are files of their own.
SKIP = re.compile(r"(?i).*\.(?:ttf|otf|ttc|t1|pfb|cff)$|(?:.*/)?Signs?/.*")
DOC_INFO = ("Title", "Author", "Subject", "Abstract", "Keywords", "Keyword", "Creator",
            "DocUsage")
# Annotation types that draw over the page as a stamp or watermark would.
STAMP_ANNOTS = {"watermark", "stamp"}


@dataclass(slots=True)
class _Piece:
    x: float
    y: float
    right: float
    size: float
    text: str


def _numbers(value: str | None, count: int) -> list[float] | None:
    try:
        numbers = [float(n) for n in (value or "").split()]
    except ValueError:
        return None
    return numbers if len(numbers) >= count else None


def _lines(pieces: list[_Piece]) -> list[str]:
    """Pieces grouped into lines by baseline (within half a font size), left to right."""
    pieces.sort(key=lambda p: (p.y, p.x))
    lines: list[list[_Piece]] = []
    for piece in pieces:
        if lines and abs(lines[-1][0].y - piece.y) <= max(lines[-1][0].size, piece.size) / 2:
            lines[-1].append(piece)
        else:
            lines.append([piece])
    out = []
    for line in lines:
        line.sort(key=lambda p: p.x)
        text = [line[0].text]
        for before, piece in itertools.pairwise(line):
            gap = piece.x - before.right
            if gap > 2 * max(piece.size, before.size):
                text.append("\t")  # a table's next cell, or a column
            elif gap > 0.2 * piece.size and not (text[-1][-1:].isspace() or piece.text[:1].isspace()):
                text.append(" ")
            text.append(piece.text)
        out.append("".join(text).strip())
    return [line for line in out if line]


class _Page:
    """Text objects of one page-like member (a page, a template page, annotations)."""

    def __init__(self) -> None:
        self.pieces: list[_Piece] = []
        self.turned: list[str] = []
        self.stamps: list[_Piece] = []
        self.height = 0.0
        self.objects = 0

    def read(self, source: object, budget: Budget) -> bool:
        """Read the member; False when it held more objects than are read."""
        annot_type = ""
        for n, (event, el) in enumerate(iterparse(source, events=("start", "end"))):
            name = local_name(el.tag)
            if event == "start":
                if name == "Annot":
                    annot_type = (el.get("Type") or "").lower()
                continue
            if name == "PhysicalBox" and not self.height:
                box = _numbers(el.text, 4)
                if box:
                    self.height = box[3]
            elif name == "TextObject":
                self.objects += 1
                if self.objects > MAX_OBJECTS:
                    return False
                self._text_object(el, annot_type in STAMP_ANNOTS)
                el.clear()
            elif name == "Annot":
                annot_type = ""
            if not n & 1023:
                budget.check_time()
        return True

    def _text_object(self, el: etree._Element, stamp: bool) -> None:
        box = _numbers(el.get("Boundary"), 4) or [0.0, 0.0, 0.0, 0.0]
        size = (_numbers(el.get("Size"), 1) or [box[3] or 3.5])[0]
        ctm = _numbers(el.get("CTM"), 6)
        codes = [c for c in el if local_name(c.tag) == "TextCode"]
        text = "".join(c.text or "" for c in codes)
        if not text.strip():
            return
        if ctm and (abs(ctm[1]) > 1e-3 or abs(ctm[2]) > 1e-3):
            self.turned.append(text.strip())  # a diagonal watermark stands alone
            return
        scale = abs(ctm[3]) if ctm and ctm[3] else 1.0
        for code in codes:
            if not (code.text or "").strip():
                continue
            x = box[0] + (_numbers(code.get("X"), 1) or [0.0])[0]
            y = box[1] + (_numbers(code.get("Y"), 1) or [0.0])[0] * scale
            piece = _Piece(x, y, max(box[0] + box[2], x), size * scale, code.text or "")
            (self.stamps if stamp else self.pieces).append(piece)


def _doc_info(archive: zipfile.ZipFile, budget: Budget) -> tuple[list[str], list[str]]:
    """(metadata lines, document roots) from OFD.xml: DocInfo fields and custom data as
    ``Name: value`` (custom data is where systems put 密级 and 保密期限)."""
    info = archive.getinfo(ENTRY)
    data, path = read_member(archive, info, budget)
    try:
        root = parse_tree(xml_source(data, path))
    except etree.XMLSyntaxError as exc:
        raise UnparseableContent(f"OFD.xml is not well-formed XML: {exc}") from exc
    lines: list[str] = []
    roots: list[str] = []
    for el in root.iter():
        name = local_name(el.tag)
        text = (el.text or "").strip()
        if name == "DocRoot" and text:
            roots.append(text.lstrip("/"))
        elif name in DOC_INFO and text:
            lines.append(text)
        elif name == "CustomData" and text:
            label = (el.get("Name") or "").strip()
            lines.append(f"{label}: {text}" if label else text)
    return lines, roots


def _band(page: _Page) -> tuple[list[_Piece], list[_Piece], list[_Piece]]:
    """(header, body, footer) pieces by where they sit on the page."""
    if not page.height:
        return [], page.pieces, []
    top, bottom = page.height * BAND, page.height * (1 - BAND)
    header = [p for p in page.pieces if p.y < top]
    footer = [p for p in page.pieces if p.y > bottom]
    body = [p for p in page.pieces if top <= p.y <= bottom]
    return header, body, footer


def extract(part: Part, budget: Budget) -> Iterator[Part | Defect]:
    """Text parts of each page (body, header and footer bands, watermarks and stamps),
    metadata, and the package's pictures and attachments as content parts."""
    problems: list[ExtractionStop] = []
    with open_archive(part) as archive:
        names = {info.filename for info in archive.infolist()}
        if ENTRY not in names:
            raise UnparseableContent("not an OFD package: no OFD.xml at its root")
        meta, roots = _doc_info(archive, budget)
        if meta:
            yield budget.child(part, "#docinfo", text="\n".join(meta), role="property")
        height = 0.0
        for root in roots:
            if root in names:
                with archive.open(root) as stream:
                    box = re.search(rb"<(?:\w+:)?PhysicalBox>([^<]+)<", stream.read(65536))
                numbers = _numbers(box.group(1).decode("ascii", "replace"), 4) if box else None
                height = numbers[3] if numbers else height
        for info in archive.infolist():
            budget.check_time()
            name = info.filename
            if info.is_dir() or name == ENTRY or SKIP.fullmatch(name):
                continue
            base = posixpath.basename(name)
            with member_problems(problems):
                if not name.lower().endswith(".xml"):
                    data, path = read_member(archive, info, budget)
                    yield budget.child(part, name, data=data, path=path, name=base)
                    continue
                data, path = read_member(archive, info, budget)
                page = _Page()
                try:
                    complete = page.read(xml_source(data, path), budget)
                except etree.XMLSyntaxError as exc:
                    problems.append(UnparseableContent(
                        f"package member {name} is not well-formed XML: {exc}"))
                    complete = True
                if not complete:
                    yield Defect("extract.damaged", "high",
                                 f"{name} draws more than {MAX_OBJECTS} text objects; the rest "
                                 "was not read", where=part.child_origin(name))
                page.height = page.height or height
                template = "/Tpl" in f"/{name}" or "Template" in name
                header, body, footer = _band(page)
                if template:  # a template page repeats on every page: a header's place
                    header, body = header + body, []
                for suffix, pieces, role in (("", body, "body"), ("#header", header, "header"),
                                             ("#footer", footer, "footer"),
                                             ("#stamps", page.stamps, "header")):
                    lines = _lines(pieces)
                    if lines:
                        yield budget.child(part, name + suffix, text="\n".join(lines), role=role)
                if page.turned:
                    yield budget.child(part, name + "#rotated", text="\n".join(page.turned),
                                       role="header")
    yield from report_problems(part, problems)
