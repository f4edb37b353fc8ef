"""Flat OpenDocument files (.fodt, .fods, .fodp, .fodg): the whole document, metadata,
styles, master pages and body, in one XML file under <office:document>.

They are read like the packaged formats (filters.extract.odf): body text by role
(notes, comments, hidden text apart), headers and footers of the master pages, metadata,
and tracked changes and comments counted as draft state. filters.detect types them by
the office:mimetype of the root element, with LibreOffice's "-flat-xml" suffix.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from lxml import etree

from filters.errors import UnparseableContent
from filters.extract import odf
from filters.extract.document_state import state_parts
from filters.extract.ooxml import local_name, parse_tree
from filters.limits import Budget
from filters.types import Defect, Part


def extract(part: Part, budget: Budget) -> Iterator[Part | Defect]:
    """Text parts by role, master-page headers and footers, metadata and state."""
    try:
        root = parse_tree(io.BytesIO(budget.read_part(part)))
    except etree.XMLSyntaxError as exc:
        raise UnparseableContent(f"flat OpenDocument is not well-formed XML: {exc}") from exc
    if local_name(root.tag) != "document":
        raise UnparseableContent("flat OpenDocument has no <office:document> root")
    for key, value in odf.meta_values(root, budget).items():
        yield budget.child(part, f"#meta.{key}", text=value, role="property", name=key)
    counts: dict[str, int] = {}
    # The body is the file itself; the master pages are labelled like the package's
    # styles.xml, whose part they are.
    for label, masters in (("", False), ("#styles", True)):
        collected, role = odf.read_tree(root, budget, masters=masters)
        yield from odf.text_parts(part, budget, label, collected, role)
        for key, n in collected.counts.items():
            counts[key] = counts.get(key, 0) + n
    yield from state_parts(part, budget, counts)
