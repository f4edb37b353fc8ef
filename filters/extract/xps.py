"""XPS and OpenXPS documents (ECMA-388): fixed pages whose text is the UnicodeString
attribute of Glyphs elements.

A writer puts each run of one font in a Glyphs element of its own, at its baseline
origin: a word formatted in two runs ("CONFI" + bold "DENCIAL") is two elements. Each
page's runs are put back into lines (same baseline, left to right), joined where one
run ends about where the next begins and separated by a tab where there is a gap (a
table's next cell). The other members (properties, fonts, pictures) are read as the zip
extractor reads them.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from lxml import etree

from filters.extract import zip as zip_extract
from filters.limits import Budget
from filters.types import Defect, Part

_PAGE_SUFFIX = ".fpage"
# A run's width is estimated from its length: glyph advances are not all given. A gap
# wider than this share of the font size between one run's estimated end and the next
# run's origin is a gap between cells or columns.
_ADVANCE = 0.5
_GAP = 1.5
_SAME_LINE = 0.25  # baselines closer than this share of the font size are one line


def extract(part: Part, budget: Budget) -> Iterator[Part | Defect]:
    """Each fixed page's text in lines; every other member as a content part."""
    for child in zip_extract.extract(part, budget):
        if isinstance(child, Part) and not child.is_text and child.name.endswith(_PAGE_SUFFIX):
            data = child.data if child.path is None else child.path.read_bytes()
            try:
                text = page_text(data, budget)
            except etree.XMLSyntaxError:
                yield child  # the generic XML reading reports it and reads what it can
                continue
            if text:
                yield budget.child(part, child.origin.removeprefix(part.origin + "/"),
                                   text=text, role="body")
        else:
            yield child


def page_text(data: bytes, budget: Budget) -> str:
    """The lines of one FixedPage: Glyphs runs grouped by baseline, in reading order."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False)
    root = etree.parse(io.BytesIO(data), parser).getroot()
    runs: list[tuple[float, float, float, str]] = []
    for count, glyphs in enumerate(root.iter("{*}Glyphs"), 1):
        if count % 2048 == 0:
            budget.check_time()
        text = glyphs.get("UnicodeString") or ""
        if text.startswith("{}"):
            text = text[2:]  # "{}" escapes a string that starts with "{"
        if not text.strip():
            continue
        try:
            x = float(glyphs.get("OriginX") or 0)
            y = float(glyphs.get("OriginY") or 0)
            size = abs(float(glyphs.get("FontRenderingEmSize") or 12)) or 12.0
        except ValueError:
            x, y, size = 0.0, 0.0, 12.0
        runs.append((y, x, size, text))
    # Text in attributes other than Glyphs (a hyperlink's name, alternative text) is
    # still read by the rest of the document's members; here only the page's runs.
    runs.sort()
    # Baselines within a fraction of the font size are one line; each line is then read
    # left to right.
    grouped: list[list[tuple[float, float, str]]] = []
    line_y = None
    for y, x, size, text in runs:
        if line_y is None or abs(y - line_y) > _SAME_LINE * size:
            grouped.append([])
            line_y = y
        grouped[-1].append((x, size, text))
    lines: list[str] = []
    for group in grouped:
        group.sort()
        pieces: list[str] = []
        end_x = None
        for x, size, text in group:
            if end_x is not None and x - end_x > _GAP * size:
                pieces.append("\t")
            pieces.append(text)
            end_x = x + _ADVANCE * size * len(text)
        lines.append("".join(pieces))
    return "\n".join(lines)

