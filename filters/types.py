"""Central types of the inspection pipeline: Part, Hit, Defect, ScanStats and Verdict."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

_Class = TypeVar("_Class", bound=type)

SEVERITIES: tuple[str, ...] = ("info", "low", "medium", "high", "critical")
# In order of strength: the strongest action any counted hit asks for decides. "monitor"
# lets the item leave and records it (rolling a rule or a category out before enforcing).
ACTIONS: tuple[str, ...] = ("pass", "monitor", "quarantine", "reject")

# Where a piece of text sits in its document. Text rules use this to tell a marking
# (a banner, a footer, a property value) from the same word in running prose.
ROLES: tuple[str, ...] = (
    "body",  # running text: mail body, document body, PDF page text
    "subject",  # mail Subject
    "header",  # a mail header other than Subject, or a document page header
    "footer",  # a document page footer
    "title",  # a document or slide title
    "property",  # a metadata value (core/app/custom properties, PDF info)
    "filename",  # a file or attachment name
    "comment",  # a reviewer comment
    "revision",  # tracked insertion or deletion
    "note",  # footnote, endnote, speaker notes
    "cell",  # spreadsheet cell text
    "sheet",  # spreadsheet sheet name
)


def severity_rank(severity: str) -> int:
    """Order of a severity name (info=0 … critical=4); unknown names rank as medium."""
    try:
        return SEVERITIES.index(severity)
    except ValueError:
        return SEVERITIES.index("medium")


def _quick_init(cls: _Class) -> _Class:
    """``cls`` (a frozen slots dataclass) with an ``__init__`` that stores each field
    through its slot's own setter.

    The dataclass's frozen ``__init__`` stores each field with ``object.__setattr__``,
    which costs twice a slot's setter: a Part's eleven fields took 4.4 us to build, 2.7
    this way, and a 10 KB mail's scan builds a dozen Parts, Hits and Defects more in
    larger mail. Same parameters, defaults and default factories; the class stays frozen.
    """
    names: dict[str, Any] = {"_FACTORY": _DEFAULT_FACTORY}
    params: list[str] = []
    body: list[str] = []
    for f in fields(cls):
        # Every field an __init__ parameter in order, as the generated one has them.
        assert f.init and not f.kw_only, (cls, f.name)
        names[f"_set_{f.name}"] = cls.__dict__[f.name].__set__
        value = f.name
        if f.default is not MISSING:
            names[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
        elif f.default_factory is not MISSING:
            names[f"_factory_{f.name}"] = f.default_factory
            params.append(f"{f.name}=_FACTORY")
            value = f"_factory_{f.name}() if {f.name} is _FACTORY else {f.name}"
        else:
            params.append(f.name)
        body.append(f"    _set_{f.name}(self, {value})")
    assert not hasattr(cls, "__post_init__"), cls
    source = f"def __init__(self, {', '.join(params)}):\n" + "\n".join(body) + "\n"
    space: dict[str, Callable[..., None]] = {}
    exec(source, names, space)  # the source is made of the class's own field names
    init = space["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__doc__ = cls.__init__.__doc__
    cls.__init__ = init  # type: ignore[misc]
    return cls


class _Factory:
    """The default of a field with a default factory in ``_quick_init``'s parameters."""

    def __repr__(self) -> str:
        return "<factory>"  # as the dataclass's own __init__ shows it


_DEFAULT_FACTORY = _Factory()


# Meta key of text runs taken from a binary format's tables of numbers (a font's outlines
# and hinting programs): the personal-data rules do not read them, every other rule does.
NUMBER_RUNS_KEY = "number_runs"


@_quick_init
@dataclass(frozen=True, slots=True)
class Part:
    """One piece of content: raw bytes to be typed and extracted, or already-extracted text.

    A *content part* holds bytes (``data``, or ``path`` to a spool file when large) and
    is typed by the pipeline with libmagic. A *text part* has ``text`` set and is what
    text rules read; ``role`` says where the text sat in its document.
    """

    origin: str
    data: bytes = b""
    path: Path | None = None
    text: str | None = None
    role: str = "body"
    name: str = ""
    declared_type: str = ""
    charset: str = ""
    detected_type: str = ""
    depth: int = 0
    meta: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_text(self) -> bool:
        """True for a text part (extracted text), False for a content part (bytes)."""
        return self.text is not None

    @property
    def size(self) -> int:
        """Size in bytes of the content (characters of the text for a text part)."""
        if self.text is not None:
            return len(self.text)
        if self.path is not None:
            return self.path.stat().st_size
        return len(self.data)

    def open(self) -> BinaryIO:
        """A binary file object over the content, from memory or from the spool file."""
        if self.path is not None:
            return self.path.open("rb")
        return io.BytesIO(self.data)

    def head(self, n: int = 65536) -> bytes:
        """The first ``n`` bytes of the content."""
        if self.path is not None:
            with self.path.open("rb") as f:
                return f.read(n)
        return self.data[:n]

    def read(self) -> bytes:
        """All content bytes. Callers bound the size first (``Budget.read_part``)."""
        if self.path is not None:
            return self.path.read_bytes()
        return self.data

    def child_origin(self, label: str) -> str:
        """Origin path of a child named ``label``; an empty label keeps this part's origin.

        Text decoded from a part stands for the part itself, so it keeps the origin.
        """
        if not label:
            return self.origin
        return f"{self.origin}/{label}" if self.origin else label


@_quick_init
@dataclass(frozen=True, slots=True)
class Defect:
    """Something an extractor found wrong with its input that should be reported.

    Extractors yield a Defect (beside child Parts) for a problem that did not stop
    extraction, such as a MIME structure defect; the pipeline turns it into a
    ``policy`` Hit. Problems that stop extraction are raised (see ``filters.errors``).
    """

    rule: str
    severity: str
    reason: str
    where: str = ""


@_quick_init
@dataclass(frozen=True, slots=True)
class Hit:
    """One finding: which rule, how serious, where (origin path) and the excerpt.

    ``span`` is the (start, end) character range of the matched text inside
    ``excerpt`` so a reader can highlight it.
    """

    rule: str
    category: str
    severity: str
    where: str
    excerpt: str
    span: tuple[int, int] | None = None
    description: str = ""
    action: str | None = None

    def as_dict(self) -> dict[str, object]:
        """The JSON form of ``redline scan --json`` (plus span and description)."""
        out: dict[str, object] = {
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity,
            "where": self.where,
            "excerpt": self.excerpt,
        }
        if self.span is not None:
            out["span"] = list(self.span)
        if self.description:
            out["description"] = self.description
        return out


@_quick_init
@dataclass(frozen=True, slots=True)
class ScanStats:
    """What one scan did: input and expanded bytes, parts, depth, time, limits reached."""

    bytes: int = 0
    expanded_bytes: int = 0
    parts: int = 0
    max_depth: int = 0
    seconds: float = 0.0
    limits_reached: tuple[str, ...] = ()
    types: Mapping[str, int] = field(default_factory=dict)
    # Parts by how they were covered: opened, inert, accepted, strings, held.
    coverage: Mapping[str, int] = field(default_factory=dict)
    ocr_pages: int = 0  # pictures, frames and scanned PDF pages read by OCR
    ocr_seconds: float = 0.0  # CPU seconds of that OCR
    ocr_cached: int = 0  # of ocr_pages, pictures whose text the scanner had read before

    def as_dict(self) -> dict[str, object]:
        """The JSON form of the stats object."""
        return {
            "bytes": self.bytes,
            "expanded_bytes": self.expanded_bytes,
            "parts": self.parts,
            "max_depth": self.max_depth,
            "seconds": round(self.seconds, 6),
            "limits_reached": list(self.limits_reached),
            "types": dict(self.types),
            "coverage": {k: v for k, v in self.coverage.items() if v},
            "ocr_pages": self.ocr_pages,
            "ocr_seconds": round(self.ocr_seconds, 6),
            "ocr_cached": self.ocr_cached,
        }


@_quick_init
@dataclass(frozen=True, slots=True)
class Verdict:
    """The pipeline's decision on one item: pass, monitor, quarantine or reject, with why.

    ``monitor``: the item leaves as if it passed, and the listener records it as a
    monitored item (what enforcing would have held, see ``filters.policy``).
    """

    action: str
    hits: tuple[Hit, ...] = ()
    stats: ScanStats = field(default_factory=ScanStats)

    @property
    def passed(self) -> bool:
        """True when nothing hit that counts (a monitored item leaves too, but it hit)."""
        return self.action == "pass"

    @property
    def leaves(self) -> bool:
        """True when the item may leave: it passed, or it is only monitored."""
        return self.action in ("pass", "monitor")

    def as_dict(self) -> dict[str, object]:
        """The JSON form used by ``redline scan --json`` (without the path).

        Its ``verdict`` keeps to the stable values pass, quarantine and reject: a monitored
        item leaves, so it says ``pass`` with ``"monitored": true``.
        """
        return {
            "verdict": "pass" if self.action == "monitor" else self.action,
            "monitored": self.action == "monitor",
            "hits": [h.as_dict() for h in self.hits],
            "stats": self.stats.as_dict(),
        }
