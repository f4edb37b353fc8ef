"""Two configs' verdicts from one scan: what ``redline replay`` compares.

A ``PairedPipeline`` goes where a Pipeline goes in a ``ScanPool``: its ``scan_file``
extracts each part once and runs both pipelines' engines on it
(``Pipeline.scan_both``), and answers a ``PairedVerdict``: the first pipeline's verdict
carrying the second's as ``second``. ``second`` is None when the second needs a scan of
its own: the two engine sets led the walk apart, or the worker was killed or crashed
(the pool's held verdict is a plain Verdict).

The two marking engines, when their rule sets differ, share one engine's findings on
each text part: normalising, the YARA pass and the patterns run once for every rule both
sets hold with the same definition (the same id and pattern, wherever read from; a YARA
file of the same name and bytes). The lead is the engine whose findings leave the other
the least to read; the other reads its remaining rules (added, or changed: a rule being
tuned) with a small engine of its own over the same normalised text, and each weighs its
own rules' matches (``MarkingEngine.hits``).
"""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yara

from filters.build import FiltersConfig
from filters.compiled_cache import LazyPattern
from filters.engines.markings import Findings, MarkingEngine
from filters.pipeline import Pipeline, file_part
from filters.rules import TRIGGER_NAMESPACE, MarkingRule, RuleSet, _trigger_source
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


@dataclass(frozen=True, slots=True)
class _Split:
    """How ``own``'s rules stand to ``lead``'s: the marking rules (ids) and YARA files
    (namespaces) it has with the same definition, and the others (its own, or changed)."""

    same_rules: frozenset[str]
    same_files: frozenset[str]
    other_rules: dict[str, MarkingRule]
    other_files: dict[str, Path]

    @property
    def size(self) -> int:
        """How many rules and files must be read apart from the lead's findings."""
        return len(self.other_rules) + len(self.other_files)


def _split(lead: RuleSet, own: RuleSet) -> _Split:
    same_rules, other_rules = set(), {}
    for rule_id, rule in own.marking_rules.items():
        theirs = lead.marking_rules.get(rule_id)
        if theirs is not None and (theirs is rule or _definition(theirs) == _definition(rule)):
            same_rules.add(rule_id)
        else:
            other_rules[rule_id] = rule
    lead_files = _yara_files(lead)
    same_files, other_files = {TRIGGER_NAMESPACE}, {}
    for namespace, path in _yara_files(own).items():
        theirs_path = lead_files.get(namespace)
        try:
            same = theirs_path is not None and (
                theirs_path == path or theirs_path.read_bytes() == path.read_bytes())
        except OSError:
            same = False
        if same:
            same_files.add(namespace)
        else:
            other_files[namespace] = path
    return _Split(frozenset(same_rules), frozenset(same_files), other_rules, other_files)


def covers(full: RuleSet, part: RuleSet) -> bool:
    """True when every rule of ``part`` is in ``full`` with the same definition: a marking
    rule of the same id (wherever it was read from), a YARA rule from a file of the same
    name and bytes. ``full``'s findings on a text then hold everything ``part``'s would."""
    return full is part or _split(full, part).size == 0


def _delta_engine(own: MarkingEngine, split: _Split) -> MarkingEngine | None:
    """A marking engine for ``own``'s rules that the lead's findings do not answer for (a
    rule it changed or added, a YARA file of its own); None when there are none."""
    if not split.size:
        return None
    sources = {namespace: path.read_text(encoding="utf-8")
               for namespace, path in split.other_files.items()}
    trigger_source, owner = _trigger_source(split.other_rules.values())
    if trigger_source:
        sources[TRIGGER_NAMESPACE] = trigger_source
    rules = RuleSet(
        marking_rules=dict(split.other_rules),
        yara_meta={key: meta for key, meta in own.rules.yara_meta.items()
                   if key[0] in split.other_files},
        raw=None, text=yara.compile(sources=sources), trigger_owner=owner)
    return MarkingEngine(rules, timeout=own.timeout)


class _SharedFindings:
    """The lead marking engine's findings on the part being walked, worked out once for
    the engines that share them."""

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
    """A marking engine in a paired walk: its own rules weighed on the lead's findings
    (those of its rules that the lead has too) and its delta engine's (the others)."""

    def __init__(self, engine: MarkingEngine, shared: _SharedFindings,
                 split: _Split | None = None) -> None:
        self.engine = engine
        self.shared = shared
        self.split = split  # None: this is the lead
        self.delta = _delta_engine(engine, split) if split is not None else None

    def scan(self, part: Part) -> Iterable[Hit]:
        """As ``MarkingEngine.scan``, from the shared findings."""
        if not self.engine.reads(part):
            return ()
        lead = self.shared.of(part)
        split = self.split
        if split is None:
            return self.engine.hits(part, lead)
        found = [m for m in lead.found if m.namespace in split.same_files]
        matches = [m for m in lead.matches if m.rule.id in split.same_rules]
        if self.delta is not None:
            own = self.delta.findings(part, lead.norm)
            found += own.found
            matches += own.matches
        return self.engine.hits(part, Findings(lead.norm, lead.encoded, found, matches, lead.keys))


def _markings(pipeline: Pipeline) -> MarkingEngine | None:
    found = [e for e in pipeline.text_engines if type(e) is MarkingEngine]
    return found[0] if len(found) == 1 else None


def _share_findings(first: Pipeline, second: Pipeline) -> tuple[Pipeline, Pipeline]:
    """``first`` and ``second``, their marking engines sharing one's findings (see the
    module doc); unchanged when they are one engine or cannot share."""
    one, two = _markings(first), _markings(second)
    if (one is None or two is None or one is two or one.timeout != two.timeout
            or one.rules.text is None or two.rules.text is None):
        return first, second
    # The lead is the engine whose findings leave the other the least to read itself.
    one_leads, two_leads = _split(one.rules, two.rules), _split(two.rules, one.rules)
    lead, follower, split = ((one, two, one_leads) if one_leads.size <= two_leads.size
                             else (two, one, two_leads))
    if not split.same_rules:
        return first, second  # nothing in common: each reads the part itself
    shared = _SharedFindings(lead)
    try:
        lanes = {id(lead): _MarkingLane(lead, shared),
                 id(follower): _MarkingLane(follower, shared, split)}
    except (OSError, yara.Error, UnicodeDecodeError):
        return first, second  # a rule file changed or went since: each reads it itself

    def with_lane(pipeline: Pipeline, engine: MarkingEngine) -> Pipeline:
        paired = copy.copy(pipeline)
        paired.text_engines = tuple(lanes[id(engine)] if e is engine else e
                                    for e in pipeline.text_engines)
        return paired

    return with_lane(first, one), with_lane(second, two)
