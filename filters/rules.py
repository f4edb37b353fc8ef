"""Rule files: YARA rules (``*.yar``) and marking rules (``*.toml``), loaded and compiled once.

YARA rules carry their meta (category, severity, optional action, description, scope).
Marking rules are line- and position-aware text rules (see ``yara-rules/README.md``):
YARA finds their trigger words fast, and a rule's pattern then checks the form of
the short window around each trigger. Both go into one compiled YARA ruleset so each
text is scanned once.
"""

from __future__ import annotations

import _sre
import re
import re._constants as sre
import re._parser as sre_parse
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yara

from filters import vocabulary
from filters.errors import RuleError
from filters.normalise import CJK_DOTS, LETTER_SEPARATORS
from filters.trigger_scan import TriggerScan, parse_definition
from filters.types import ACTIONS, ROLES, SEVERITIES

TRIGGER_NAMESPACE = "redline_triggers"
MAX_SPACED_LETTERS = 14  # longer triggers are not looked for letter-spaced (YARA regex size)
# Latin triggers this short are looked for as whole words only: 'LES' (law enforcement
# sensitive) sits inside 'sales' and 'files', 'CUI' inside 'circuit', 'LOU' inside 'cloud',
# and each such window cost a pattern run that could not match.
WHOLE_WORD_LETTERS = 3
SCOPES = ("any", "text", "raw")
_ID = re.compile(r"^[a-z0-9][a-z0-9_.:-]*$")
_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}


def default_rules_dir() -> Path:
    """The shipped ``yara-rules`` directory beside the packages."""
    return Path(__file__).resolve().parent.parent / "yara-rules"


@dataclass(frozen=True, slots=True)
class MarkingRule:
    """A text rule: trigger words, then a pattern that must match around the trigger."""

    id: str
    category: str
    severity: str
    description: str
    triggers: tuple[str, ...]
    pattern: re.Pattern[str]
    roles: frozenset[str] | None = None
    names: frozenset[str] | None = None
    scope: str = "line"
    min_matches: int = 1
    # Its single-letter marks ("(C)") may be a lettered list's labels: (A), (B), (C) ….
    list_labels: bool = False
    action: str | None = None
    source: str = ""
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()
    edges: frozenset[str] | None = None  # roles read only at their first and last line
    unless: re.Pattern[str] | None = None  # context on the line that makes it no marking
    system: str = ""  # the marking system a vocabulary rule belongs to
    entry: str = ""  # the vocabulary entry a generated rule comes from
    needs: str = ""  # a character a window must hold before the pattern is tried
    tails: vocabulary.Grammar | None = None  # what its captured tail and field must be
    # Spans of a line where this rule's words are not markings ([[context]]: a symbol a
    # change log names, a public standard's draft): a match inside one is dropped.
    context: re.Pattern[str] | None = None
    # Lines of the part counted toward min_matches in place of the rule's own matches, once
    # one of those opens such a line: one '(S)' paragraph among '(U)' ones is portion-marked.
    companions: re.Pattern[str] | None = None

    def applies_to(self, role: str, name: str) -> bool:
        """Whether this rule reads text of ``role`` (and property ``name``)."""
        if self.roles is not None and role not in self.roles:
            return False
        if self.names is not None:
            return name.lower() in self.names
        return True


@dataclass(frozen=True, slots=True)
class YaraMeta:
    """What a YARA rule's meta says about its hits."""

    category: str
    severity: str
    description: str
    action: str | None
    scope: str
    # Its matches are PEM private keys, not held when every one is published
    # (filters.published_keys).
    published_keys: bool = False


@dataclass
class RuleSet:
    """All rules, compiled: ``raw`` for content bytes, ``text`` for text (with triggers)."""

    marking_rules: dict[str, MarkingRule]
    yara_meta: dict[tuple[str, str], YaraMeta]
    raw: Any  # yara.Rules over content bytes (None when there are no raw-scope rules)
    text: Any  # yara.Rules over UTF-8 text: YARA rules plus marking triggers
    # YARA rule name -> the ids of the marking rules its trigger words open
    trigger_owner: dict[str, tuple[str, ...]] = field(default_factory=dict)
    files: tuple[Path, ...] = ()
    entries: tuple[vocabulary.Entry, ...] = ()  # the vocabulary the generated rules come from
    contexts: tuple[Context, ...] = ()  # [[context]] tables, already in each rule's ``context``
    # Marking rule id -> where its matches can begin (match_starts), worked out before
    # the rules were written to the compiled cache; a rule not here is worked out on
    # its first window (a third of a millisecond each: a one-file scan opens dozens).
    starts: dict[str, MatchStarts | None] = field(default_factory=dict)
    # The words the marking rules are written with (``marking_words_of``), worked out
    # before the rules were written to the compiled cache; None: worked out when the
    # marking engine is built (normalising every form: most of a cached load's time).
    words: frozenset[str] | None = None
    # ``text`` for text that is ASCII: the same rules without the trigger strings that
    # hold a byte beyond ASCII (more than half of them), which cannot match there; each
    # scan costs YARA in proportion to its strings. None: ``text`` reads all text.
    text_ascii: Any = None
    # The trigger rules of ``text`` for Hyperscan (``filters.trigger_scan``): the marking
    # engine then runs YARA with ``raw`` (the other rules) only. None: ``text`` reads all.
    triggers: TriggerScan | None = None

    @property
    def count(self) -> int:
        """How many rules are loaded (YARA rules plus marking rules)."""
        return len(self.yara_meta) + len(self.marking_rules)


def marking_words_of(rules: RuleSet) -> frozenset[str]:
    """The words ``rules``' markings are written with (their vocabulary's forms and the
    marking rules' triggers): what ``normalise.fold_marking_evasions`` reads a look-alike
    digit or a hyphenated line break back into. Stored in the compiled cache."""
    if rules.words is not None:
        return rules.words
    return vocabulary.marking_words(
        [form for entry in rules.entries for form in entry.forms]
        + [t for rule in rules.marking_rules.values() for t in rule.triggers]
    )


_TAB = ord("\t")
_MAX_START_CHARS = 64  # a wider class of first characters is no use as a filter


@dataclass(frozen=True, slots=True)
class Arm:
    """One alternative of a pattern's top-level alternation (``A|B|C``), compiled alone,
    and a class of characters one of which its every match holds (read from the parsed
    alternative): in a window without any of them it cannot match and is not tried."""

    pattern: re.Pattern[str]
    needs: re.Pattern[str] | None  # None: no such class worth looking for


@dataclass(frozen=True, slots=True)
class MatchStarts:
    """Where every match of a pattern begins: at the text's start, after a tab
    (``after_tab``) or at one of ``chars``. Found by reading the parsed pattern."""

    after_tab: bool
    chars: frozenset[str]
    finder: re.Pattern[str] | None  # finds tabs and ``chars``; None: the start alone
    # The pattern's alternatives when one of them needs a character a window may lack
    # (a field label's colon, a bracket); empty: the pattern is tried whole.
    arms: tuple[Arm, ...] = ()

    def key(self) -> tuple[bool, frozenset[str], str | None]:
        """What ``starts`` depends on: rules whose keys are equal share their starts in a
        window (most generated rules look for the same brackets)."""
        return self.after_tab, self.chars, None if self.finder is None else self.finder.pattern

    def starts(self, text: str) -> Sequence[int]:
        """The offsets in ``text`` where a match may begin, in order."""
        if self.finder is None:
            return (0,)
        starts = [0]
        for found in self.finder.finditer(text):
            at = found.start()
            if text[at] == "\t":
                if self.after_tab:
                    starts.append(at + 1)
                if "\t" not in self.chars:
                    continue
            starts.append(at)
        return starts

    def finditer(
        self,
        pattern: re.Pattern[str],
        text: str,
        starts: Sequence[int] | None = None,
        arms: Sequence[re.Pattern[str]] | None = None,
    ) -> list[re.Match[str]]:
        """What ``pattern.finditer(text)`` yields, trying the pattern only where a match
        may begin: a line-anchored pattern over an 800-character window is tried at a
        handful of places instead of at every character. ``starts``: ``self.starts(text)``
        found already. ``arms``: the alternatives of ``pattern`` (``self.arms``) that can
        match in ``text``, tried in their order in place of the whole pattern (the others
        lack a character they need there: see ``Arm``)."""
        if starts is None:
            starts = self.starts(text)
        out: list[re.Match[str]] = []
        end = 0
        for at in starts:
            if at < end:
                continue  # inside the previous match: finditer goes on from its end
            if arms is None:
                match = pattern.match(text, at)
            else:
                # An alternation matches with its first alternative that matches there:
                # nothing follows it in the pattern to send the search back into it.
                for arm in arms:
                    match = arm.match(text, at)
                    if match is not None:
                        break
                else:
                    match = None
            if match is None:
                continue
            if match.end() == match.start():
                # finditer treats an empty match in its own way; let it decide.
                return list(pattern.finditer(text))
            out.append(match)
            end = match.end()
        return out


def match_starts(pattern: re.Pattern[str]) -> MatchStarts | None:
    """Where ``pattern``'s matches can begin, or None when they may begin anywhere (or
    the pattern is one this reading does not follow)."""
    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
        found = _first(
            list(parsed), bool(parsed.state.flags & re.IGNORECASE), bool(parsed.state.flags & re.MULTILINE)
        )
    except (re.error, TypeError, ValueError, AttributeError):
        return None
    if found is None:
        return None
    after_tab = "after-tab" in found
    chars = frozenset(c for c in found if len(c) == 1)
    wanted = chars | ({"\t"} if after_tab else set())
    finder = re.compile("[" + "".join(re.escape(c) for c in sorted(wanted)) + "]") if wanted else None
    return MatchStarts(after_tab, chars, finder, _arms(pattern, parsed))


# Characters too common in prose for a window to lack them: a class holding one is no
# use as an alternative's pre-test. The double quote is not among them: a window round a
# trigger seldom holds one, and it opens a field's value after its label as a colon does
# ('Гриф «Секретно»', 'Classification "Secret"'), so the colon-or-quote class stays a
# pre-test of the labelled alternative.
_COMMON = (
    frozenset(" \t\n.,-'")
    | frozenset(chr(c) for c in range(0x30, 0x3A))
    | frozenset(chr(c) for c in (*range(0x41, 0x5B), *range(0x61, 0x7B)))
)
_MAX_NEEDED_CHARS = 4096  # a wider class is not spelt out as a pre-test


def _arms(pattern: re.Pattern[str], parsed: Any) -> tuple[Arm, ...]:
    """``pattern``'s top-level alternatives as ``Arm``s when at least one of them needs a
    character class (``_needs``); () when it has none, or its text cannot be cut into
    the alternatives that the parser read (verbose or inline global flags, a back
    reference, a common prefix the parser took out of the alternatives)."""
    source = pattern.pattern
    items = list(parsed)
    if (
        not isinstance(source, str)
        or len(items) != 1
        or items[0][0] is not sre.BRANCH
        or pattern.flags & (re.VERBOSE | re.LOCALE)
        or re.match(r"\(\?[aiLmsux]+\)", source)
    ):
        return ()
    alternatives = items[0][1][1]
    parts = _top_level_parts(source)
    if len(parts) != len(alternatives):
        return ()
    flags = pattern.flags & ~re.UNICODE
    ignorecase = bool(parsed.state.flags & re.IGNORECASE)
    arms = []
    for part, alternative in zip(parts, alternatives, strict=True):
        try:
            alone = re.compile(part, flags)
        except re.error:
            return ()
        try:
            if _shape(list(sre_parse.parse(part, flags))) != _shape(list(alternative)):
                return ()  # not the alternative the whole pattern's parser read
        except ValueError:
            return ()
        needs = _needs(list(alternative), ignorecase)
        arms.append(Arm(alone, None if needs is None else re.compile(_class(needs))))
    if all(arm.needs is None for arm in arms):
        return ()
    return tuple(arms)


def _top_level_parts(source: str) -> list[str]:
    """``source`` cut at the ``|`` that stand outside groups and classes."""
    parts: list[str] = []
    depth = 0
    start = 0
    at = 0
    in_class = False
    while at < len(source):
        ch = source[at]
        if ch == "\\":
            at += 2
            continue
        if in_class:
            if ch == "]":
                in_class = False
        elif ch == "[":
            in_class = True
            # A ']' first in a class (after a '^') is a member, not its end.
            if source.startswith("^", at + 1):
                at += 1
            if source.startswith("]", at + 1):
                at += 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(source[start:at])
            start = at + 1
        at += 1
    parts.append(source[start:])
    return parts


def _shape(items: list[Any]) -> Any:
    """A parsed sequence with its group numbers left out (they count on from the
    alternatives before it in the whole pattern), to compare one parsed alone with it."""
    out = []
    for op, av in items:
        if op is sre.SUBPATTERN:
            _group, add, remove, sub = av
            av = (add, remove, _shape(list(sub)))
        elif op is sre.BRANCH:
            av = [_shape(list(alternative)) for alternative in av[1]]
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            av = (av[0], av[1], _shape(list(av[2])))
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            av = (av[0], _shape(list(av[1])))
        elif op is sre.ATOMIC_GROUP:
            av = _shape(list(av))
        elif op in (sre.GROUPREF, sre.GROUPREF_EXISTS):
            raise ValueError("a back reference: its number means another group alone")
        out.append((op, av))
    return out


def _needs(items: list[Any], ignorecase: bool) -> frozenset[str] | None:
    """A set of characters one of which every match of the parsed sequence ``items``
    holds, the smallest found among the items it must match, leaving out sets with a
    character too common to be missing (``_COMMON``); None when it has none. Only what
    a match consumes counts (never what a look-around sees), and under IGNORECASE only
    characters that have no case, which match themselves alone."""
    best: frozenset[str] | None = None
    for op, av in items:
        found: frozenset[str] | None = None
        if op is sre.LITERAL:
            found = _needed_chars([chr(av)], ignorecase)
        elif op is sre.IN:
            found = _needed_chars(_chars(av, _MAX_NEEDED_CHARS), ignorecase)
        elif op is sre.SUBPATTERN:
            _group, add, remove, sub = av
            found = _needs(
                list(sub), (ignorecase or bool(add & re.IGNORECASE)) and not remove & re.IGNORECASE
            )
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and av[0] >= 1:
            found = _needs(list(av[2]), ignorecase)
        elif op is sre.ATOMIC_GROUP:
            found = _needs(list(av), ignorecase)
        elif op is sre.BRANCH:
            union: set[str] = set()
            for alternative in av[1]:
                needed = _needs(list(alternative), ignorecase)
                if needed is None:
                    union = set()
                    break
                union |= needed
            found = frozenset(union) or None
        if found is not None and (best is None or len(found) < len(best)):
            best = found
    return best


def _needed_chars(chars: Collection[str] | None, ignorecase: bool) -> frozenset[str] | None:
    """``chars`` as a pre-test's class, or None when one of them is too common or (under
    IGNORECASE) has a case."""
    if not chars or any(c in _COMMON or (ignorecase and _sre.unicode_iscased(ord(c))) for c in chars):
        return None
    return frozenset(chars)


def _class(chars: frozenset[str]) -> str:
    """A regex class of ``chars``, runs of consecutive code points written as ranges."""
    codes = sorted(ord(c) for c in chars)
    out = []
    first = last = codes[0]
    for code in codes[1:]:
        if code != last + 1:
            out.append((first, last))
            first = code
        last = code
    out.append((first, last))
    return (
        "["
        + "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in out)
        + "]"
    )


def _first(items: list[Any], ignorecase: bool, multiline: bool) -> set[str] | None:
    """Where a match of the parsed sequence ``items`` can begin: "begin", "after-tab" or
    single characters; None when it could begin anywhere. Zero-width assertions that
    say nothing of the position are stepped over; a consuming item decides."""
    for op, av in items:
        if op is sre.AT:
            if av in (sre.AT_BEGINNING, sre.AT_BEGINNING_STRING):
                return None if multiline and av is sre.AT_BEGINNING else {"begin"}
            if av in (sre.AT_BOUNDARY, sre.AT_NON_BOUNDARY):
                continue
            return None
        if op is sre.ASSERT:
            direction, sub = av
            if direction == -1 and list(sub) == [(sre.LITERAL, _TAB)]:
                return {"after-tab"}
            continue
        if op is sre.ASSERT_NOT:
            continue
        if op is sre.LITERAL:
            return None if ignorecase else {chr(av)}
        if op is sre.IN:
            return None if ignorecase else _chars(av)
        if op is sre.BRANCH:
            out: set[str] = set()
            for alternative in av[1]:
                first = _first(list(alternative), ignorecase, multiline)
                if first is None:
                    return None
                out |= first
            return out
        if op is sre.SUBPATTERN:
            _group, add, remove, sub = av
            return _first(
                list(sub),
                (ignorecase or bool(add & re.IGNORECASE)) and not remove & re.IGNORECASE,
                (multiline or bool(add & re.MULTILINE)) and not remove & re.MULTILINE,
            )
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and av[0] >= 1:
            return _first(list(av[2]), ignorecase, multiline)
        return None
    return None  # nothing consumed: an empty match


def _chars(items: list[Any], limit: int = _MAX_START_CHARS) -> set[str] | None:
    """The characters of a parsed class, or None for a negated or category one or one of
    more than ``limit`` characters."""
    out: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL:
            out.add(chr(av))
        elif op is sre.RANGE and av[1] - av[0] < limit:
            out.update(chr(c) for c in range(av[0], av[1] + 1))
        else:
            return None
        if len(out) > limit:
            return None
    return out


def rule_files(paths: Iterable[Path]) -> list[Path]:
    """Every rule file under ``paths`` in load order; RuleError for a path that is missing."""
    files: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            # Sub-folders too: the vocabulary sits in markings/, one file per system.
            files.extend(
                sorted(
                    (p for p in path.rglob("*") if p.is_file() and p.suffix in (".yar", ".yara", ".toml")),
                    key=lambda p: p.relative_to(path).parts,
                )
            )
        elif path.is_file():
            files.append(path)
        else:
            raise RuleError(f"rule path {path}: does not exist; check the rules.paths setting")
    return files


def _parse_marking(raw: Mapping[str, Any], where: str) -> MarkingRule:
    def need(key: str, kind: type) -> Any:
        if key not in raw:
            raise RuleError(f"{where}: missing key {key!r}")
        value = raw[key]
        if not isinstance(value, kind):
            raise RuleError(f"{where}: key {key!r} must be a {kind.__name__}")
        return value

    known = {
        "id",
        "category",
        "severity",
        "description",
        "triggers",
        "pattern",
        "flags",
        "roles",
        "names",
        "scope",
        "min_matches",
        "action",
        "examples",
        "counter_examples",
        "edges",
        "unless",
        "list_labels",
        "companions",
    }
    unknown = sorted(set(raw) - known)
    if unknown:
        raise RuleError(f"{where}: unknown key {unknown[0]!r}; known keys: {', '.join(sorted(known))}")
    rule_id = need("id", str)
    where = f"{where} (rule {rule_id})"
    if not _ID.match(rule_id):
        raise RuleError(f"{where}: id must be lower-case letters, digits and . _ : -")
    severity = need("severity", str)
    if severity not in SEVERITIES:
        raise RuleError(f"{where}: severity must be one of {', '.join(SEVERITIES)}")
    triggers = need("triggers", list)
    if not triggers or not all(isinstance(t, str) and t.strip() for t in triggers):
        raise RuleError(f"{where}: triggers must be a non-empty list of words")
    flags = 0
    for letter in raw.get("flags", ""):
        if letter not in _FLAGS:
            raise RuleError(f"{where}: unknown flag {letter!r}; use i, m, s or x")
        flags |= _FLAGS[letter]
    try:
        pattern = re.compile(need("pattern", str), flags)
    except re.error as exc:
        raise RuleError(f"{where}: pattern does not compile: {exc}") from None
    roles = raw.get("roles")
    if roles is not None:
        bad = [r for r in roles if r not in ROLES]
        if bad:
            raise RuleError(f"{where}: unknown role {bad[0]!r}; roles are {', '.join(ROLES)}")
    scope = raw.get("scope", "line")
    if scope not in ("line", "value"):
        raise RuleError(f"{where}: scope must be 'line' or 'value'")
    action = raw.get("action")
    if action is not None and action not in ACTIONS:
        raise RuleError(f"{where}: action must be one of {', '.join(ACTIONS)}")
    min_matches = raw.get("min_matches", 1)
    if not isinstance(min_matches, int) or min_matches < 1:
        raise RuleError(f"{where}: min_matches must be a positive integer")
    edges = raw.get("edges")
    if edges is not None:
        bad = [r for r in edges if r not in ROLES]
        if bad:
            raise RuleError(f"{where}: unknown role {bad[0]!r} in edges; roles are {', '.join(ROLES)}")
    list_labels = raw.get("list_labels", False)
    if not isinstance(list_labels, bool):
        raise RuleError(f"{where}: list_labels must be true or false")
    unless = None
    if raw.get("unless"):
        try:
            unless = re.compile(raw["unless"], flags)
        except re.error as exc:
            raise RuleError(f"{where}: unless does not compile: {exc}") from None
    companions = None
    if raw.get("companions"):
        if min_matches < 2:
            raise RuleError(f"{where}: companions are counted toward min_matches, which must be 2 or more")
        try:
            companions = re.compile(raw["companions"], re.MULTILINE)
        except re.error as exc:
            raise RuleError(f"{where}: companions does not compile: {exc}") from None
    return MarkingRule(
        id=rule_id,
        category=need("category", str),
        severity=severity,
        description=need("description", str),
        triggers=tuple(triggers),
        pattern=pattern,
        roles=frozenset(roles) if roles is not None else None,
        names=frozenset(n.lower() for n in raw["names"]) if "names" in raw else None,
        scope=scope,
        min_matches=min_matches,
        list_labels=list_labels,
        action=action,
        source=where,
        examples=tuple(raw.get("examples", ())),
        counter_examples=tuple(raw.get("counter_examples", ())),
        edges=frozenset(edges) if edges is not None else None,
        unless=unless,
        companions=companions,
    )


@dataclass
class MarkingFile:
    """What one TOML rule file holds: rules, vocabulary entries, tails and field labels."""

    system: str = ""
    rules: list[MarkingRule] = field(default_factory=list)
    entries: list[vocabulary.Entry] = field(default_factory=list)
    tails: list[vocabulary.Tail] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    disclaimers: list[str] = field(default_factory=list)
    contexts: list[Context] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Context:
    """A ``[[context]]`` table: text in which the words of the rules of ``category`` (all
    categories when empty) are not markings, such as a change log naming a macro in brackets."""

    pattern: str
    category: str = ""
    description: str = ""
    examples: tuple[str, ...] = ()


def _parse_context(raw: Any, where: str) -> Context:
    if not isinstance(raw, dict):
        raise RuleError(f"{where}: must be a table")
    unknown = sorted(set(raw) - {"pattern", "category", "description", "examples"})
    if unknown:
        raise RuleError(
            f"{where}: unknown key {unknown[0]!r}; known keys: category, description, examples, pattern"
        )
    pattern, description = raw.get("pattern"), raw.get("description")
    if not isinstance(pattern, str) or not isinstance(description, str) or not description:
        raise RuleError(f"{where}: pattern and description must be strings")
    try:
        re.compile(pattern, re.MULTILINE)
    except re.error as exc:
        raise RuleError(f"{where}: pattern does not compile: {exc}") from None
    examples = raw.get("examples", [])
    if not isinstance(examples, list) or not all(isinstance(e, str) for e in examples):
        raise RuleError(f"{where}: examples must be a list of strings")
    return Context(pattern, str(raw.get("category", "")), description, tuple(examples))


def _with_contexts(rules: Iterable[MarkingRule], contexts: list[Context]) -> list[MarkingRule]:
    """Each rule with the one regex of the contexts of its category (or of all)."""
    by_category: dict[str, re.Pattern[str] | None] = {}
    out = []
    for rule in rules:
        if rule.category not in by_category:
            mine = [c.pattern for c in contexts if c.category in ("", rule.category)]
            by_category[rule.category] = (
                re.compile("|".join(f"(?:{p})" for p in mine), re.MULTILINE) if mine else None
            )
        out.append(replace(rule, context=by_category[rule.category]))
    return out


def load_marking_file(path: Path) -> MarkingFile:
    """One TOML file: ``[[rule]]`` tables and vocabulary (``[[marking]]``, ``[[tail]]``, ``[[field]]``)."""
    import tomllib  # here: rules read from the compiled cache are never parsed

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RuleError(f"{path}: not valid TOML: {exc}") from None
    unknown = sorted(set(data) - {"rule", "system", "marking", "tail", "field", "disclaimer", "context"})
    if unknown:
        raise RuleError(
            f"{path}: unknown top-level key {unknown[0]!r}; rules go in [[rule]] tables, "
            "vocabulary in [[marking]], [[tail]] and [[field]] tables"
        )
    out = MarkingFile(system=str(data.get("system", "")))
    out.rules = [
        replace(_parse_marking(raw, f"{path} rule #{i + 1}"), system=out.system)
        for i, raw in enumerate(data.get("rule", []))
    ]
    out.entries = [
        vocabulary.parse_entry(raw, f"{path} marking #{i + 1}")
        for i, raw in enumerate(data.get("marking", []))
    ]
    out.tails = [
        vocabulary.parse_tail(raw, f"{path} tail #{i + 1}") for i, raw in enumerate(data.get("tail", []))
    ]
    for i, raw in enumerate(data.get("field", [])):
        forms = raw.get("forms") if isinstance(raw, dict) else None
        if not isinstance(forms, list) or not all(isinstance(f, str) and f for f in forms):
            raise RuleError(f"{path} field #{i + 1}: forms must be a list of field labels")
        out.fields.extend(forms)
    for i, raw in enumerate(data.get("disclaimer", [])):
        pattern = raw.get("pattern") if isinstance(raw, dict) else None
        try:
            re.compile(pattern if isinstance(pattern, str) else "(")
        except re.error as exc:
            raise RuleError(
                f"{path} disclaimer #{i + 1}: pattern must be a regular expression that compiles ({exc})"
            ) from None
        out.disclaimers.append(pattern)
    out.contexts = [
        _parse_context(raw, f"{path} context #{i + 1}") for i, raw in enumerate(data.get("context", []))
    ]
    return out


def _compile_vocabulary(files: list[tuple[Path, MarkingFile]]) -> list[MarkingRule]:
    """Marking rules generated from every file's ``[[marking]]`` entries."""
    tails = [t for _, f in files for t in f.tails]
    grammars: dict[str, vocabulary.Grammar] = {}
    forms_by_category: dict[str, list[str]] = {}
    for _path, marking_file in files:
        for entry in marking_file.entries:
            forms_by_category.setdefault(entry.category, []).extend(entry.forms)
    fields = [x for _, f in files for x in f.fields]
    disclaimers = [x for _, f in files for x in f.disclaimers]
    out = []
    for _path, marking_file in files:
        for entry in marking_file.entries:
            for compiled in vocabulary.compile_entry(entry, tails, fields, disclaimers):
                try:
                    pattern = re.compile(compiled.pattern, compiled.flags)
                    unless = re.compile(entry.unless) if entry.unless else None
                except re.error as exc:
                    raise RuleError(
                        f"{entry.source}: the generated pattern for {compiled.id} "
                        f"does not compile ({exc}); check its forms and tails"
                    ) from None
                out.append(
                    MarkingRule(
                        id=compiled.id,
                        category=entry.category,
                        severity=entry.severity,
                        description=entry.description,
                        triggers=compiled.triggers,
                        pattern=pattern,
                        roles=frozenset(compiled.roles) if compiled.roles is not None else None,
                        scope=compiled.scope,
                        action=entry.action,
                        source=entry.source,
                        entry=entry.id,
                        needs=compiled.needs,
                        tails=grammars.get(entry.category)
                        or grammars.setdefault(
                            entry.category,
                            vocabulary.grammar_for(
                                tails, entry.category, forms_by_category[entry.category], fields
                            ),
                        ),
                        edges=frozenset(compiled.edges) if compiled.edges is not None else None,
                        unless=unless,
                        system=marking_file.system,
                    )
                )
    return out


def _yara_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def _hex(text: str) -> str:
    return "{ " + " ".join(f"{b:02X}" for b in text.encode("utf-8")) + " }"


def _literal(text: str) -> list[str]:
    """YARA strings for ``text`` in its letter cases (YARA's nocase folds ASCII only).

    Beyond ASCII, one plain string per way the word is written (as given, upper, lower,
    capitalised): a regex with a two-way choice at every letter gives YARA one-byte
    atoms (every Cyrillic letter starts with 0xD0 or 0xD1), which cut the scan rate of
    Russian text sixfold.
    """
    if text.isascii():
        return [f'"{_yara_string(text)}" nocase']
    spellings = dict.fromkeys((text, text.upper(), text.lower(), text.capitalize(), text.title()))
    return [_hex(spelling) for spelling in spellings]


def _trigger_strings(trigger: str) -> list[str]:
    """YARA strings finding ``trigger`` plainly (as a whole word when it is a short Latin
    one), letter-spaced (``S E C R E T``) and with its letters joined by separators
    (``S.E.C.R.E.T``).

    Letter-spaced forms are literals with one or two blanks between letters, not a
    regex with a blank class: a regex gives YARA one-letter atoms ("s ") that occur in
    every sentence and cut the scan rate a hundredfold. NFKC has already turned the
    ideographic space into a plain one.
    """
    out = _literal(trigger)
    if len(trigger) <= WHOLE_WORD_LETTERS and trigger.isascii() and trigger.isalpha():
        # YARA's fullword: no ASCII letter or digit just before or after. Every position a
        # marking rule reads bounds its form by a line or value edge, a blank, a bracket or
        # other punctuation ('S//LES', '(SBU)', 'CUI//SP-PRVCY', 'LES_plan.docx'); bytes of
        # other scripts are no ASCII letters, so '内部LES' still opens. CJK triggers, which
        # run on without spaces, are not ASCII and never get here.
        out = [f"{out[0]} fullword"]
    letters = [ch for ch in trigger if not ch.isspace()]
    if 2 <= len(letters) <= MAX_SPACED_LETTERS and " " not in trigger:
        out.extend(_literal(" ".join(letters)))
        out.extend(_literal("  ".join(letters)))
        if len(letters) >= 4 and trigger.isascii():
            # Joined by the separators despace undoes: "S.E.C.R.E.T", "S•E•C•R•E•T",
            # written downwards, one letter per line, and one letter per cell of a table
            # row (extractors put a tab between a row's cells).
            for sep in (*LETTER_SEPARATORS, "\t", "\n", "\r\n"):
                out.extend(_literal(sep.join(letters)))
        elif all("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in letters):
            # Ideographs spaced by a middle dot, which despace undoes too: "机·密".
            for dot in CJK_DOTS:
                out.extend(_literal(dot.join(letters)))
    return out


def _trigger_table(
    rules: Iterable[MarkingRule], *, ascii_only: bool = False
) -> tuple[list[tuple[str, list[tuple[str, str]]]], dict[str, tuple[str, ...]]]:
    """The trigger rules ``_trigger_source`` writes: (name, [(identifier, definition)])
    each, and the marking rules each name opens."""
    owners: dict[str, list[str]] = {}
    for rule in rules:
        for trigger in dict.fromkeys(rule.triggers):
            owners.setdefault(trigger, []).append(rule.id)
    by_owners: dict[tuple[str, ...], list[str]] = {}
    for trigger, ids in owners.items():
        by_owners.setdefault(tuple(ids), []).append(trigger)
    table = []
    owner: dict[str, tuple[str, ...]] = {}
    for index, (ids, triggers) in enumerate(by_owners.items()):
        name = f"m{index}"
        strings = []
        for t_index, trigger in enumerate(triggers):
            for s_index, definition in enumerate(_trigger_strings(trigger)):
                # _literal writes a quoted string for ASCII text, hex bytes for the rest.
                if ascii_only and not definition.startswith('"'):
                    continue
                strings.append((f"$t{t_index}_{s_index}", definition))
        if not strings:
            continue
        owner[name] = ids
        table.append((name, strings))
    return table, owner


def _trigger_source(
    rules: Iterable[MarkingRule], *, ascii_only: bool = False
) -> tuple[str, dict[str, tuple[str, ...]]]:
    """One YARA rule per set of trigger words that open the same marking rules, owned by
    those rules.

    Each trigger word is written once, however many rules it opens (SECRET opens a dozen):
    YARA's per-scan cost grows with its strings, so one string per word keeps it small.
    ``ascii_only``: only the strings of ASCII bytes, for text that is ASCII (the other
    strings hold a byte beyond ASCII and cannot match there).
    """
    table, owner = _trigger_table(rules, ascii_only=ascii_only)
    chunks = [
        f"rule {name} {{\n  strings:\n"
        + "\n".join(f"    {identifier} = {definition}" for identifier, definition in strings)
        + "\n  condition:\n    any of them\n}\n"
        for name, strings in table
    ]
    return "\n".join(chunks), owner


def trigger_scan(rules: Iterable[MarkingRule]) -> TriggerScan | None:
    """The trigger rules of ``rules`` (as ``_trigger_source`` writes them for YARA) for
    Hyperscan to find (``filters.trigger_scan``); None when there are none."""
    table, _ = _trigger_table(rules)
    strings = [
        parse_definition(name, identifier, definition)
        for name, definitions in table
        for identifier, definition in definitions
    ]
    return TriggerScan.of(TRIGGER_NAMESPACE, strings) if strings else None


def _yara_meta(namespace: str, rules: Any) -> dict[tuple[str, str], YaraMeta]:
    out = {}
    for rule in rules:
        meta = dict(rule.meta)
        scope = str(meta.get("scope", "any"))
        severity = str(meta.get("severity", "medium"))
        where = f"YARA rule {namespace}.yar:{rule.identifier}"
        if scope not in SCOPES:
            raise RuleError(f"{where}: meta scope must be one of {', '.join(SCOPES)}")
        if severity not in SEVERITIES:
            raise RuleError(f"{where}: meta severity must be one of {', '.join(SEVERITIES)}")
        action = meta.get("action")
        if action is not None and action not in ACTIONS:
            raise RuleError(f"{where}: meta action must be one of {', '.join(ACTIONS)}")
        out[(namespace, rule.identifier)] = YaraMeta(
            category=str(meta.get("category", "custom")),
            severity=severity,
            description=str(meta.get("description", "")),
            action=action,
            scope=scope,
            published_keys=bool(meta.get("published_keys", False)),
        )
    return out


def load_rules(paths: Iterable[Path] | None = None, *, custom: Iterable[Mapping[str, Any]] = ()) -> RuleSet:
    """Load and compile every rule file under ``paths`` (default: the shipped rules).

    ``custom`` are marking rules given inline in the config (``[[rules.custom]]``).

    Raises RuleError naming the file and the problem; a rule set that does not
    compile must stop the start, never run with fewer rules.
    """
    files = rule_files(paths if paths is not None else [default_rules_dir()])
    yara_sources: dict[str, str] = {}
    markings: dict[str, MarkingRule] = {}
    marking_files: list[tuple[Path, MarkingFile]] = []
    for path in files:
        if path.suffix == ".toml":
            loaded = load_marking_file(path)
            marking_files.append((path, loaded))
            for rule in loaded.rules:
                if rule.id in markings:
                    raise RuleError(f"{rule.source}: duplicate rule id (also in {markings[rule.id].source})")
                markings[rule.id] = rule
        else:
            namespace = re.sub(r"\W", "_", path.stem)
            if namespace in yara_sources or namespace == TRIGGER_NAMESPACE:
                raise RuleError(f"{path}: another rule file has the same name")
            yara_sources[namespace] = path.read_text(encoding="utf-8")
    for rule in _compile_vocabulary(marking_files):
        if rule.id in markings:
            raise RuleError(
                f"{rule.source}: duplicate rule id {rule.id} (also in {markings[rule.id].source})"
            )
        markings[rule.id] = rule
    for index, raw in enumerate(custom):
        rule = _parse_marking(raw, f"config [[rules.custom]] #{index + 1}")
        if rule.id in markings:
            raise RuleError(f"{rule.source}: duplicate rule id (also in {markings[rule.id].source})")
        markings[rule.id] = rule
    contexts = [c for _, f in marking_files for c in f.contexts]
    if contexts:
        markings = {rule.id: rule for rule in _with_contexts(markings.values(), contexts)}
    meta: dict[tuple[str, str], YaraMeta] = {}
    for namespace, source in yara_sources.items():
        try:
            compiled = yara.compile(source=source)
        except yara.Error as exc:
            raise RuleError(f"YARA file {namespace}.yar does not compile: {exc}") from None
        meta.update(_yara_meta(namespace, compiled))
    raw = yara.compile(sources=yara_sources) if yara_sources else None
    trigger_source, owner = _trigger_source(markings.values())
    text_sources = dict(yara_sources)
    if trigger_source:
        text_sources[TRIGGER_NAMESPACE] = trigger_source
    ascii_sources = dict(yara_sources)
    if trigger_source:
        ascii_sources[TRIGGER_NAMESPACE] = _trigger_source(markings.values(), ascii_only=True)[0]
    try:
        text = yara.compile(sources=text_sources) if text_sources else None
        text_ascii = yara.compile(sources=ascii_sources) if ascii_sources else None
    except yara.Error as exc:
        raise RuleError(f"marking rule triggers do not compile: {exc}") from None
    return RuleSet(
        marking_rules=markings,
        yara_meta=meta,
        raw=raw,
        text=text,
        trigger_owner=owner,
        text_ascii=text_ascii,
        triggers=trigger_scan(markings.values()),
        files=tuple(files),
        entries=tuple(e for _, f in marking_files for e in f.entries),
        contexts=tuple(contexts),
    )
