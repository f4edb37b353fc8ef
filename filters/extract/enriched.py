"""text/enriched (RFC 1896) and text/richtext (RFC 1341): the text as a reader shows it.

Apple Mail, Eudora and other clients sent styled mail as text/enriched: formatting
commands in angle brackets (``<bold>``, ``</bold>``), ``<<`` for a literal ``<``,
``<param>`` arguments a reader does not show, a single line break shown as a blank and
n breaks as n-1. Read as plain text, an empty command inside a word (``SE<bold></bold>CRET``)
splits it where the reader shows it whole; the shown text is read beside the source.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from filters.extract import text as plain
from filters.limits import Budget
from filters.types import Defect, Part

# One token of the source: a literal "<", a command (RFC 1896 section 2: up to 60
# letters, digits and hyphens), a run of line breaks, or text.
_TOKEN = re.compile(r"(<<)|<(/?)([A-Za-z0-9-]{1,60})>|((?:\r?\n)+)|([^<\r\n]+|<)")
_BREAK = re.compile(r"\r?\n")
_NOFILL = "nofill"


def shown(source: str, *, richtext: bool = False) -> str:
    """What a reader of ``source`` shows: commands removed, parameters dropped, line
    breaks folded (RFC 1896: n breaks show n-1, one shows a blank; RFC 1341 richtext
    shows every break as a blank and ``<nl>`` as one, ``<lt>`` as ``<``)."""
    out: list[str] = []
    param = nofill = 0
    for literal, closing, command, breaks, text in _TOKEN.findall(source):
        if command:
            name = command.lower()
            step = -1 if closing else 1
            if name == "param":
                param = max(param + step, 0)
            elif name == _NOFILL:
                nofill = max(nofill + step, 0)
            elif richtext and not closing and name in ("nl", "np"):
                out.append("\n")
            elif richtext and not closing and name == "lt":
                out.append("<")
            continue
        if param:
            continue
        if literal:
            out.append("<")
        elif breaks:
            count = len(_BREAK.findall(breaks))
            if nofill:
                out.append("\n" * count)
            elif richtext or count == 1:
                out.append(" ")
            else:
                out.append("\n" * (count - 1))
        else:
            out.append(text)
    return "".join(out)


def extract(part: Part, budget: Budget) -> Iterator[Part | Defect]:
    """The source as text (``filters.extract.text``), then the text a reader shows."""
    readings = list(plain.extract(part, budget))
    yield from readings
    source = next((r for r in readings if isinstance(r, Part) and r.text is not None
                   and r.origin == part.origin), None)
    if source is None or source.text is None:
        return
    richtext = part.detected_type == "text/richtext" or part.declared_type == "text/richtext"
    yield budget.child(part, "#shown", text=shown(source.text, richtext=richtext),
                       role=part.role or "body", charset=source.charset)
