"""Two configs' verdicts from one scan: what ``redline replay`` compares.

A ``PairedPipeline`` goes where a Pipeline goes in a ``ScanPool``: its ``scan_file``
extracts each part once and runs both pipelines' engines on it
(``Pipeline.scan_both``), and answers a ``PairedVerdict``: the first pipeline's verdict
carrying the second's as ``second``. ``second`` is None when the second needs a scan of
its own: the two engine sets led the walk apart, or the worker was killed or crashed
(the pool's held verdict is a plain Verdict).

When one config's rules are the other's plus more (an added rule file, the usual
candidate), the two marking engines share the fuller one's findings on each text part:
normalising, the YARA pass and the rules' patterns run once, and each engine weighs only
its own rules' matches (``MarkingEngine.hits``). The rules they both have must be the same
definitions; otherwise each engine reads the part itself.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filters.build import FiltersConfig
from filters.compiled_cache import LazyPattern
from filters.engines.markings import Findings, MarkingEngine
from filters.pipeline import Pipeline, file_part
from filters.rules import MarkingRule, RuleSet
from filters.types import Hit, Part, Verdict


@dataclass(frozen=True, slots=True)
class PairedVerdict(Verdict):
    """The first pipeline's verdict, with the second pipeline's on the same item."""

    second: Verdict | None = None


def shares_extraction(first: FiltersConfig, second: FiltersConfig) -> bool:
    """True when both configs extract an item the same way (limits, coverage, OCR), so
    one walk serves both engine sets; rules, policy, labels, personal data, sites and
    fingerprints may differ."""
    return (first.limits == second.limits and first.coverage == second.coverage
            and first.ocr == second.ocr)


class PairedPipeline:
    """Scans with ``first``'s extraction and both pipelines' engines (see module doc).

    Build both from configs for which ``shares_extraction`` holds.
    """

    def __init__(self, first: Pipeline, second: Pipeline) -> None:
        if first.limits != second.limits or first.coverage != second.coverage:
            raise ValueError("the two pipelines extract differently (limits or coverage "
                             "differ): scan with each")
        first, second = _share_findings(first, second)
        self.first = first
        self.second = second
        self.limits = first.limits
        self.policy = first.policy
        # Every engine of both, once: a ScanPool keeps their growing state (the
        # fingerprint index) in step with its scanners through the methods below.
        self.content_engines = tuple(dict.fromkeys((*first.content_engines,
                                                    *second.content_engines)))
        self.text_engines = tuple(dict.fromkeys((*first.text_engines, *second.text_engines)))

    _synced_engines = Pipeline._synced_engines
    sync_mark = Pipeline.sync_mark
    sync_since = Pipeline.sync_since
    apply_sync = Pipeline.apply_sync

    def scan_file(self, path: Path) -> PairedVerdict:
        """Both verdicts on the file at ``path`` (see ``Pipeline.scan_file``)."""
        first, second = self.first.scan_both(self.second, file_part(path))
        return PairedVerdict(first.action, first.hits, first.stats, second)


def _plain(value: Any) -> Any:
    """``value`` with its regular expressions as (pattern, flags), so that two rules loaded
    apart compare by what they say (a cached rule set holds lazily compiled patterns)."""
    if isinstance(value, (re.Pattern, LazyPattern)):
        return ("pattern", value.pattern, value.flags)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, *(_plain(getattr(value, f.name))
                                       for f in dataclasses.fields(value)))
    if isinstance(value, (tuple, list)):
        return tuple(_plain(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return frozenset(_plain(v) for v in value)
    return value


def _definition(rule: MarkingRule) -> Any:
    """What decides where ``rule`` matches and what its hits say (not where it was written
    or the examples that document it)."""
    return _plain(dataclasses.replace(rule, source="", examples=(), counter_examples=()))


def _yara_files(rules: RuleSet) -> dict[str, Path]:
    """The YARA rule files of ``rules`` by namespace (as ``load_rules`` names them)."""
    return {re.sub(r"\W", "_", path.stem): path for path in rules.files
            if path.suffix != ".toml"}


def covers(full: RuleSet, part: RuleSet) -> bool:
    """True when every rule of ``part`` is in ``full`` with the same definition: a marking
    rule of the same id (wherever it was read from), a YARA rule from a file of the same
    name and bytes. ``full``'s
    findings on a text then hold everything ``part``'s would."""
    if full is part:
        return True
    for rule_id, rule in part.marking_rules.items():
        other = full.marking_rules.get(rule_id)
        if other is None or (other is not rule and _definition(other) != _definition(rule)):
            return False
    if not part.yara_meta:
        return True
    mine, theirs = _yara_files(part), _yara_files(full)
    for (namespace, name), meta in part.yara_meta.items():
        if full.yara_meta.get((namespace, name)) != meta:
            return False
    try:
        return all(namespace in theirs and (theirs[namespace] == path or
                                            theirs[namespace].read_bytes() == path.read_bytes())
                   for namespace, path in mine.items())
    except OSError:
        return False


class _SharedFindings:
    """One marking engine's findings on the part being walked, worked out once for the
    engines that share them."""

    def __init__(self, engine: MarkingEngine) -> None:
        self.engine = engine
        self._part: Part | None = None
        self._findings: Findings | None = None

    def of(self, part: Part) -> Findings:
        # The walk hands every engine set the same Part object, one after the other.
        if part is not self._part or self._findings is None:
            self._findings = self.engine.findings(part)
            self._part = part
        return self._findings


class _MarkingLane:
    """A marking engine in a paired walk: its own rules weighed on the shared findings."""

    def __init__(self, engine: MarkingEngine, shared: _SharedFindings) -> None:
        self.engine = engine
        self.shared = shared

    def scan(self, part: Part) -> Iterable[Hit]:
        """As ``MarkingEngine.scan``, from the findings both engines share."""
        if not self.engine.reads(part):
            return ()
        return self.engine.hits(part, self.shared.of(part))


def _markings(pipeline: Pipeline) -> MarkingEngine | None:
    found = [e for e in pipeline.text_engines if type(e) is MarkingEngine]
    return found[0] if len(found) == 1 else None


def _share_findings(first: Pipeline, second: Pipeline) -> tuple[Pipeline, Pipeline]:
    """``first`` and ``second``, their marking engines sharing findings where one's rules
    cover the other's (see the module doc); unchanged otherwise."""
    one, two = _markings(first), _markings(second)
    if one is None or two is None or one is two or one.timeout != two.timeout:
        return first, second
    if covers(one.rules, two.rules):
        shared = _SharedFindings(one)
    elif covers(two.rules, one.rules):
        shared = _SharedFindings(two)
    else:
        return first, second

    def with_lane(pipeline: Pipeline, engine: MarkingEngine) -> Pipeline:
        paired = copy.copy(pipeline)
        paired.text_engines = tuple(_MarkingLane(engine, shared) if e is engine else e
                                    for e in pipeline.text_engines)
        return paired

    return with_lane(first, one), with_lane(second, two)
