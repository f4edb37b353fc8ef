"""Text engine: marking rules and text-scope YARA rules over normalised text parts.

The text is normalised once, scanned once for every marking rule's trigger words (by
Hyperscan, answering as the compiled YARA trigger rules would: ``filters.trigger_scan``)
and once by the YARA rule files' rules, and only the short window around a trigger is
handed to the rule's Python pattern: regular expressions never run over a whole
document.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import yara

from filters.compiled_cache import LazyPattern
from filters.normalise import (
    VERTICAL_RUN,
    NormalisedText,
    despace,
    fold_marking_evasions,
    normalise,
    spaced_line,
    utf8,
)
from filters.published_keys import PartKeys
from filters.rules import (
    TRIGGER_NAMESPACE,
    WHOLE_WORD_LETTERS,
    MarkingRule,
    MatchStarts,
    RuleSet,
    marking_words_of,
    match_starts,
)
from filters.types import Hit, Part, severity_rank
from filters.vocabulary import Neighbours, tail_ok, trigger_neighbours

WINDOW = 400  # characters on each side of a trigger that a line-scope rule may see
EXCERPT = 90  # characters of context on each side of a match in an excerpt
YARA_MEMO_BYTES = 256  # texts up to this long keep their YARA matches (headers, names)
YARA_MEMO_ENTRIES = 4096  # emptied when full: a few MB at most
VALUE_LIMIT = 2000
LABEL_PROPERTY_PREFIX = "MSIP_Label_"  # a value-scope rule reads at most this much of a short text part


@dataclass(frozen=True, slots=True)
class MarkingMatch:
    """A marking rule that matched: the rule and the span in the original text."""

    rule: MarkingRule
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Findings:
    """What a marking engine's rules found in one text part (``MarkingEngine.findings``):
    the normalised text, its UTF-8 bytes, YARA's matches (rules and triggers), every
    marking rule's matches, and whether the part's private keys are published (judged
    once for every engine that weighs these findings)."""

    norm: NormalisedText
    encoded: bytes
    found: list[yara.Match]
    matches: list[MarkingMatch]
    keys: PartKeys


def _char_offsets(encoded: bytes, byte_offsets: list[int]) -> dict[int, int]:
    """Map UTF-8 byte offsets to character offsets, decoding each stretch only once."""
    out: dict[int, int] = {}
    chars = 0
    last = 0
    for offset in sorted(set(byte_offsets)):
        chars += len(encoded[last:offset].decode("utf-8", "ignore"))
        last = offset
        out[offset] = chars
    return out


def one_per_marking(matches: list[MarkingMatch]) -> list[MarkingMatch]:
    """Drop a vocabulary match that repeats a marking another rule already reports.

    A banner such as '机密★5年' is seen by a general rule and by its system's vocabulary;
    the officer gets one hit unless the vocabulary reads it as more severe ('TOP
    SECRET//NOFORN' is critical), in which case both show. Hand-written rules are kept as
    they are. Kept in text order.
    """
    if len(matches) < 2 or not any(m.rule.entry for m in matches):
        return matches
    kept = [m for m in matches if not m.rule.entry]
    vocabulary = sorted(
        (m for m in matches if m.rule.entry),
        key=lambda m: (-severity_rank(m.rule.severity), -(m.end - m.start), m.start),
    )
    for match in vocabulary:
        rank = severity_rank(match.rule.severity)
        if not any(
            k.rule.category == match.rule.category
            and k.start < match.end
            and match.start < k.end
            and severity_rank(k.rule.severity) >= rank
            for k in kept
        ):
            kept.append(match)
    return sorted(kept, key=lambda m: (m.start, m.end))


# A line opening with one capital letter in brackets: "(C) Third option".
_LETTER_LABEL = re.compile(r"^[ \t]*\(([A-Z])\)", re.MULTILINE)
_MATCH_LETTER = re.compile(r"\(([A-Z])\)")
# Letters that are portion marks: unclassified, confidential, secret, restricted.
PORTION_LETTERS = frozenset("UCSR")


def without_list_labels(text: str, matches: list[MarkingMatch]) -> list[MarkingMatch]:
    """``matches`` less those of ``list_labels`` rules that label a lettered list's items.

    A line opening "(C)" is a list's item when the lettered line before it opened "(B)"
    (and "(S)" after "(R)"): a list runs (A), (B), (C) …, however often it is repeated.
    A text with a portion letter out of such a run ("(U) Summary", "(S) Sources" beside
    the list) is portion-marked, and all its marks stay marks: labelling a line (B)
    before a "(C)" paragraph does not hide the document's other marks.
    """
    in_run: set[int] = set()
    previous = ""
    for label in _LETTER_LABEL.finditer(text):
        letter = label.group(1)
        if letter == "A" or (previous and ord(letter) == ord(previous) + 1):
            in_run.add(label.start(1) - 1)
        elif letter in PORTION_LETTERS:
            return matches  # a portion mark outside any list
        previous = letter
    out = []
    for match in matches:
        letter = _MATCH_LETTER.search(text, match.start, match.end) if match.rule.list_labels else None
        if letter is None or letter.start() not in in_run:
            out.append(match)
    return out


def enough(text: str, matches: list[MarkingMatch]) -> bool:
    """Whether one rule's ``matches`` in ``text`` (the part's original text) are as many as
    it asks. A rule with ``companions`` counts the lines those match instead, once one of
    its own matches opens such a line: a paragraph opening '(S)' is a portion mark in a
    text whose other paragraphs open '(U)' or '(TS//SI)', though it is the only one its
    own rule reads, while '(S) Satisfactory' in a report card's key heads no paragraph.
    Searched only when the rule matched, and too few times."""
    rule = matches[0].rule
    if len(matches) >= rule.min_matches:
        return True
    companions = rule.companions
    if companions is None:
        return False
    if not any(companions.match(text, text.rfind("\n", 0, m.start) + 1) for m in matches):
        return False
    return any(count >= rule.min_matches for count, _ in enumerate(companions.finditer(text), 1))


def _in_context(context: re.Pattern[str], text: str, start: int, end: int) -> bool:
    """Whether text[start:end] lies inside a span ``context`` matches on its line and the
    line before (a wrapped sentence: 'the facilities described in Posix' / 'draft 11.2')."""
    line_start = text.rfind("\n", 0, start)
    line_start = text.rfind("\n", 0, max(line_start, 0)) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    return any(
        found.start() <= start and end <= found.end()
        for found in context.finditer(text, line_start, line_end)
    )


def _edge_lines(text: str) -> tuple[int, int]:
    """Start offsets of the first and the last non-blank line of ``text``."""
    first = len(text) - len(text.lstrip())
    last = len(text.rstrip()) - 1
    return text.rfind("\n", 0, first) + 1, text.rfind("\n", 0, max(last, 0)) + 1


def _placed(places: list[dict[bytes, Neighbours]], text: str, at: int, found_as: bytes) -> bool:
    """Whether a trigger found at ``at`` in ASCII ``text`` as ``found_as`` may be part of a
    form of one of the entries whose ``places`` are given: a word not among an entry's
    (letter-spaced, joined) may be, else the letters beside it must be those a form puts
    there (``vocabulary.Neighbours``)."""
    word = found_as.upper()
    for words in places:
        place = words.get(word)
        if place is None or place.fit(text, at, at + len(word)):
            return True
    return False


def excerpt_for(original: str, start: int, end: int) -> tuple[str, tuple[int, int]]:
    """The line around original[start:end], trimmed to a readable length, and the span in it."""
    line_start = original.rfind("\n", 0, start) + 1
    line_end = original.find("\n", end)
    if line_end == -1:
        line_end = len(original)
    lo = max(line_start, start - EXCERPT)
    hi = min(line_end, end + EXCERPT)
    if end - start > 2 * EXCERPT:  # a very long match: show its start
        hi = start + 2 * EXCERPT
        end = hi
    prefix = "…" if lo > line_start else ""
    suffix = "…" if hi < line_end else ""
    text = prefix + original[lo:hi].replace("\r", " ").replace("\n", " ") + suffix
    span_start = len(prefix) + (start - lo)
    return text, (span_start, span_start + (end - start))


class MarkingEngine:
    """Runs marking rules and text-scope YARA rules over text parts."""

    def __init__(self, rules: RuleSet, *, timeout: int = 30, disclaimers: Sequence[str] = ()) -> None:
        self.rules = rules
        self.timeout = timeout
        self._owner = rules.trigger_owner
        self._order = {rule_id: index for index, rule_id in enumerate(rules.marking_rules)}
        # Where each rule's matches can begin: from the compiled cache, else read from
        # its pattern on first use.
        self._starts: dict[str, MatchStarts | None] = dict(rules.starts)
        # Rule id -> (its starts, their alternatives compiled): see _rule_arms.
        self._arms: dict[str, tuple[MatchStarts, list[tuple[re.Pattern[str], Any]]]] = {}
        # The words the rules are written with: what a look-alike digit (C0NFIDENTIAL) or
        # a hyphen at a line end (CONFI-/DENTIAL) is read back into, and nothing else.
        self._words = marking_words_of(rules)
        self._entries = {entry.id: entry for entry in rules.entries}
        # id(compiled rules) -> (those rules, short text -> what they found in it); see
        # _yara. One memo per compiled rules: ASCII texts are matched by other rules than
        # the rest, and a mail's headers mix both. The lists are shared: nothing may change them.
        self._memos: dict[int, tuple[object, dict[bytes, list[yara.Match]]]] = {}
        # Short texts, with the role and field name, that gave no hit: see ``scan``.
        self._no_hits: set[tuple[str, str, str]] = set()
        self._no_hits_rules = rules  # the rules ``_no_hits`` holds for
        self._timeouts = 0  # YARA scans cut short (what they found is not kept)
        # (YARA trigger rule, rules it opens) -> ``_places``, worked out on first use.
        self._placed_cache: dict[tuple[str, tuple[str, ...]], list[dict[bytes, Neighbours]] | None] = {}
        # A disclaimer matches word by word, whatever the line breaks and spacing.
        self._disclaimers = [
            re.compile(r"\s+".join(re.escape(w) for w in normalise(text).text.split()), re.IGNORECASE)
            for text in disclaimers
            if text.split()
        ]

    def scan(self, part: Part) -> Iterable[Hit]:
        """Hits in one text part (content parts are ignored)."""
        if not self.reads(part):
            return ()
        # A short text that gave no hit gives none the next time it comes in the same
        # role and field (a Content-Type, MIME-Version, a sender met again): the rules
        # read nothing else of a part but its origin, which only hits carry.
        short = len(part.text or "") <= YARA_MEMO_BYTES
        if short:
            if self._no_hits_rules is not self.rules:
                # Rules loaded since (an organisation's rule changed) read every text afresh.
                self._no_hits_rules = self.rules
                self._no_hits.clear()
            if (part.text, part.role, part.name) in self._no_hits:
                return ()
        timeouts = self._timeouts
        hits = self.hits(part, self.findings(part))
        if short and not hits and self._timeouts == timeouts:
            if len(self._no_hits) >= YARA_MEMO_ENTRIES:
                self._no_hits.clear()
            self._no_hits.add((part.text or "", part.role, part.name))
        return hits

    def reads(self, part: Part) -> bool:
        """Whether ``scan`` looks at ``part`` at all (a text part, rules to run on it)."""
        if part.text is None or not part.text or self.rules.text is None:
            return False
        # Sensitivity-label metadata ('..._Method' = 'Privileged' is Microsoft's word for
        # a manual choice): the label engine reads it through the [labels] map.
        return not (part.role == "property" and part.name.startswith(LABEL_PROPERTY_PREFIX))

    def findings(self, part: Part, norm: NormalisedText | None = None) -> Findings:
        """What every rule finds in ``part`` before the rules are weighed against each
        other (``hits``); ``part`` must be one this engine ``reads``. ``norm``: its text
        normalised already."""
        norm = self.normalise(part.text or "") if norm is None else fold_marking_evasions(norm, self._words)
        encoded, found = self._yara(norm)
        matches = list(self._marking_matches(norm, part.role, part.name, found, encoded)) if found else []
        return Findings(norm, encoded, found, matches, PartKeys(part))

    def normalise(self, text: str) -> NormalisedText:
        """``text`` normalised as the rules read it: ``normalise`` and then the look-alike
        digits and hyphenated line breaks of marking words undone."""
        return fold_marking_evasions(normalise(text), self._words)

    def matches(self, text: str, role: str = "body", name: str = "") -> list[MarkingMatch]:
        """Marking-rule matches in ``text`` (used by ``redline rules test`` and tests)."""
        norm = self.normalise(text)
        return list(self._marking_matches(norm, role, name, self._yara(norm)[1]))

    def _yara(self, norm: NormalisedText) -> tuple[bytes, list[yara.Match]]:
        encoded = utf8(norm.text)
        rules = self.rules.text
        if len(encoded) == len(norm.text) and self.rules.text_ascii is not None:
            rules = self.rules.text_ascii  # ASCII text: the strings that can match it
        # Short texts recur from mail to mail (MIME-Version's "1.0", a Content-Type, a
        # sender): YARA costs 10-18 us a call whatever the length, so each is matched once.
        memo = None
        if len(encoded) <= YARA_MEMO_BYTES:
            kept = self._memos.get(id(rules))
            if kept is None or kept[0] is not rules:
                if len(self._memos) >= 4:
                    self._memos.clear()  # rules replaced since: their memos go with them
                kept = self._memos[id(rules)] = (rules, {})
            memo = kept[1]
            known = memo.get(encoded)
            if known is not None:
                return encoded, known
        try:
            found = self._match(rules, encoded, len(encoded) == len(norm.text))
        except yara.TimeoutError:
            self._timeouts += 1
            return encoded, []  # not kept: another try may finish
        if memo is not None:
            if len(memo) >= YARA_MEMO_ENTRIES:
                memo.clear()
            memo[encoded] = found
        return encoded, found

    def _match(self, rules: Any, encoded: bytes, ascii_text: bool) -> list[yara.Match]:
        """What the YARA text rules ``rules`` find in ``encoded``: the trigger rules'
        matches by Hyperscan when the rule set has them (``filters.trigger_scan``, an
        eighth of YARA's time over prose), the other rules' by YARA."""
        triggers = self.rules.triggers
        found = triggers.match(encoded, ascii_text) if triggers is not None else None
        if found is None:
            return rules.match(data=encoded, timeout=self.timeout)
        raw = self.rules.raw
        # YARA lists the trigger rules after the rule files' (load_rules compiles them last).
        return [*(raw.match(data=encoded, timeout=self.timeout) if raw is not None else ()), *found]

    def hits(self, part: Part, findings: Findings) -> list[Hit]:
        """The hits of ``findings`` with this engine's rules: YARA text rules, then marking
        rules that matched often enough, outside a disclaimer, one hit per marking.

        ``findings`` may come from an engine whose rules include this one's (the same
        definitions): what only its other rules found is left out here.
        """
        out: list[Hit] = []
        if not findings.found:
            return out
        norm, encoded = findings.norm, findings.encoded
        yara_meta = self.rules.yara_meta
        for match in findings.found:
            if match.namespace == TRIGGER_NAMESPACE:
                continue
            meta = yara_meta.get((match.namespace, match.rule))
            if meta is None or meta.scope == "raw":
                continue
            instance = match.strings[0].instances[0] if match.strings else None
            if instance is not None:
                offsets = _char_offsets(encoded, [instance.offset, instance.offset + instance.matched_length])
                start, end = norm.original_span(
                    offsets[instance.offset], offsets[instance.offset + instance.matched_length]
                )
            else:
                start, end = 0, 0
            excerpt, span = excerpt_for(norm.original, start, end)
            hit = Hit(
                rule=f"yara:{match.namespace}.{match.rule}",
                category=meta.category,
                severity=meta.severity,
                where=part.origin,
                excerpt=excerpt,
                span=span,
                description=meta.description,
                action=meta.action,
            )
            out.append(findings.keys.hit(hit, meta.published_keys))
        seen: dict[str, list[MarkingMatch]] = {}
        # In text order (ties: rule order), whatever order the triggers were met in: the
        # same matches then give the same hits, found with these rules or with more.
        order = self._order
        matches = sorted(
            (m for m in findings.matches if m.rule.id in order),
            key=lambda m: (m.start, m.end, order[m.rule.id]),
        )
        if matches and self._disclaimers:
            matches = self._outside_disclaimers(norm, matches)
        if any(m.rule.list_labels for m in matches):
            matches = without_list_labels(norm.original, matches)
        for hit in matches:
            seen.setdefault(hit.rule.id, []).append(hit)
        counted = [hit for hits in seen.values() if enough(norm.original, hits) for hit in hits]
        for hit in one_per_marking(counted):
            rule = hit.rule
            excerpt, span = excerpt_for(norm.original, hit.start, hit.end)
            out.append(
                Hit(
                    rule=rule.id,
                    category=rule.category,
                    severity=rule.severity,
                    where=part.origin,
                    excerpt=excerpt,
                    span=span,
                    description=rule.description,
                    action=rule.action,
                )
            )
        return out

    def _outside_disclaimers(self, norm: NormalisedText, matches: list[MarkingMatch]) -> list[MarkingMatch]:
        """The matches that do not lie inside one of the organisation's disclaimers.

        Only parts that already matched a rule are searched, so the cost is paid rarely.
        """
        regions = []
        for disclaimer in self._disclaimers:
            for found in disclaimer.finditer(norm.text):
                regions.append(norm.original_span(*found.span()))
        return [m for m in matches if not any(start <= m.start and m.end <= end for start, end in regions)]

    def _windows(
        self,
        norm: NormalisedText,
        role: str,
        name: str,
        found: list[yara.Match],
        encoded: bytes | None = None,
        placed: bool = True,
    ) -> Iterator[tuple[MarkingRule, int, str, Sequence[int]]]:
        """Each (rule, window start, de-spaced window, index map) a trigger opens, once.

        ``placed``: a vocabulary trigger word with a letter beside it that none of its
        entry's forms puts there ('needs', 'Please let') opens no window, unless its
        window is one despace may change (``_placed``).
        """
        triggers = [m for m in found if m.namespace == TRIGGER_NAMESPACE]
        if not triggers:
            return
        if encoded is None:
            encoded = utf8(norm.text)
        text = norm.text
        ascii_text = len(encoded) == len(text)
        # Rules by trigger offset: a line with many trigger words opens many rules, and
        # its bounds are found once for all of them.
        by_offset: dict[int, list[MarkingRule]] = {}
        misplaced: dict[int, list[MarkingRule]] = {}
        # Character offsets of the triggers in text that is not ASCII (YARA gives bytes),
        # found once when a trigger's neighbours are first looked at.
        chars: dict[int, int] | None = None
        for match in triggers:
            opened = [
                rule
                for rule in (self.rules.marking_rules[i] for i in self._owner[match.rule])
                if rule.applies_to(role, name)
            ]
            if not opened:
                continue
            places = self._places(match.rule, opened) if placed else None
            if places is not None and not ascii_text and chars is None:
                chars = _char_offsets(
                    encoded, [i.offset for m in triggers for s in m.strings for i in s.instances]
                )
            for string in match.strings:
                for instance in string.instances:
                    offset = instance.offset
                    if places is not None and not _placed(
                        places, text, offset if chars is None else chars[offset], instance.matched_data
                    ):
                        misplaced.setdefault(offset, []).extend(opened)
                    else:
                        by_offset.setdefault(offset, []).extend(opened)
        if misplaced:
            spaced_lines: dict[int, bool] = {}
            placed_at = sorted(by_offset if chars is None else (chars[o] for o in by_offset))
            for byte_offset, opened in misplaced.items():
                offset = byte_offset if chars is None else chars[byte_offset]
                line_start = text.rfind("\n", 0, offset) + 1
                line_end = text.find("\n", offset)
                line_end = len(text) if line_end == -1 else line_end
                # Where despace leaves the window as it is (nothing spaced out), every
                # form in it holds a trigger word YARA found where the form puts it,
                # which opens a window of its own.
                if not (line_end - offset <= 2 and VERTICAL_RUN.match(text, line_start)):
                    if offset - line_start <= WINDOW and line_end - offset <= WINDOW:
                        # The window is the whole line.
                        spaced = spaced_lines.get(line_start)
                        if spaced is None:
                            spaced = spaced_lines[line_start] = spaced_line(text, line_start, line_end)
                        if not spaced:
                            continue
                    else:
                        # A long line's window, cut from it (perhaps mid-word): judged by
                        # its own text. One with a placed trigger in it is read, as its
                        # edges may read a form differently from that trigger's window.
                        lo, hi = max(line_start, offset - WINDOW), min(line_end, offset + WINDOW)
                        first = bisect.bisect_left(placed_at, lo)
                        if (first == len(placed_at) or placed_at[first] >= hi) and not spaced_line(
                            text, lo, hi
                        ):
                            continue
                by_offset.setdefault(byte_offset, []).extend(opened)
        if not by_offset:
            return
        offsets = {} if ascii_text else chars or _char_offsets(encoded, list(by_offset))
        done: set[tuple[str, int]] = set()
        windows: dict[tuple[int, int], tuple[str, Sequence[int]]] = {}
        edges: tuple[int, int] | None = None
        for byte_offset, opened in by_offset.items():
            at = byte_offset if ascii_text else offsets[byte_offset]
            line: tuple[int, int, int] | None = None
            for rule in opened:
                if rule.scope == "value":
                    lo, hi = 0, min(len(text), VALUE_LIMIT)
                else:
                    if line is None:
                        line_start = text.rfind("\n", 0, at) + 1
                        line_end = text.find("\n", at)
                        line_end = len(text) if line_end == -1 else line_end
                        if line_end - at <= 2 and (run := VERTICAL_RUN.match(text, line_start)):
                            # A word written one letter per line: its window runs down
                            # its letters, which despace joins.
                            line_end = text.find("\n", run.end())
                            line_end = len(text) if line_end == -1 else line_end
                        line = (line_start, max(line_start, at - WINDOW), min(line_end, at + WINDOW))
                    line_start, lo, hi = line
                    if rule.edges is not None and role in rule.edges:
                        # Only the first and last non-blank lines of a page or body count:
                        # where a stamp sits, not where prose runs.
                        if edges is None:
                            edges = _edge_lines(text)
                        if line_start not in edges:
                            continue
                if (rule.id, lo) in done or (rule.needs and text.find(rule.needs, lo, hi) < 0):
                    continue  # several triggers on one line: the window is checked once
                done.add((rule.id, lo))
                # Rules opened on one line share its de-spaced window.
                spaced = windows.get((lo, hi))
                if spaced is None:
                    spaced = windows[(lo, hi)] = despace(text[lo:hi])
                yield rule, lo, spaced[0], spaced[1]

    def _places(self, yara_rule: str, opened: list[MarkingRule]) -> list[dict[bytes, Neighbours]] | None:
        """Where the forms of the rules ``opened`` by YARA rule ``yara_rule`` put its trigger
        words: one map per vocabulary entry (``vocabulary.trigger_neighbours``); None when
        one of the rules is not held to its forms' neighbours.

        Held are line-scope rules of vocabulary entries whose every trigger is ASCII and
        found inside words: YARA then finds each form's own trigger wherever the form is
        written plainly.
        """
        key = (yara_rule, tuple(rule.id for rule in opened))
        try:
            return self._placed_cache[key]
        except KeyError:
            pass
        maps: dict[str, dict[bytes, Neighbours]] | None = {}
        for rule in opened:
            entry = self._entries.get(rule.entry) if rule.entry else None
            if (
                entry is None
                or rule.scope != "line"
                or not all(
                    t.isascii() and not (len(t) <= WHOLE_WORD_LETTERS and t.isalpha()) for t in rule.triggers
                )
            ):
                maps = None
                break
            if entry.id not in maps:
                maps[entry.id] = {
                    word.encode(): place
                    for word, place in trigger_neighbours(entry).items()
                    if word.isascii()
                }
        out = self._placed_cache[key] = None if maps is None else list(maps.values())
        return out

    def _found(
        self, rule: MarkingRule, window: str, memo: dict[tuple[str, Any], Any] | None = None
    ) -> Iterable[re.Match[str]]:
        """``rule.pattern.finditer(window)``, the pattern tried only where its matches can
        begin (a line start, after a tab, at a bracket: most rules' patterns), and of its
        alternatives only those that can match there (``rules.Arm``). ``memo`` keeps those
        places, and whether the window holds each pre-test's characters, by window for the
        other rules a window opens (a dozen on a line with 'confidential' in it, most
        looking for the same brackets and colon)."""
        try:
            starts = self._starts[rule.id]
        except KeyError:
            starts = self._starts[rule.id] = match_starts(rule.pattern)
        if starts is None:
            return rule.pattern.finditer(window)
        pattern = rule.pattern
        if isinstance(pattern, LazyPattern):
            pattern = pattern.compiled()  # tried at each place: no wrapper call each time
        arms = None
        if starts.arms:
            # Only the alternatives that can match in this window: a field label's
            # alternative backtracks up to 40 characters at each place looking for its
            # colon, in every rule a word opens on a line of prose that has none.
            if memo is None:
                memo = {}
            kept = []
            for arm, needs in self._rule_arms(rule.id, starts):
                if needs is not None:
                    key = (window, needs)
                    held = memo.get(key)
                    if held is None:
                        held = memo[key] = needs.search(window) is not None
                    if not held:
                        continue
                kept.append(arm)
            if not kept:
                return ()
            if len(kept) < len(starts.arms):
                arms = kept
        if memo is None:
            return starts.finditer(pattern, window)
        key = (window, starts.key())
        places = memo.get(key)
        if places is None:
            places = memo[key] = starts.starts(window)
        return starts.finditer(pattern, window, places, arms)

    def _rule_arms(self, rule_id: str, starts: MatchStarts) -> list[tuple[re.Pattern[str], Any]]:
        """``starts.arms`` as (compiled alternative, compiled pre-test or None), built on
        first use (read from the compiled cache they are lazy patterns)."""
        kept = self._arms.get(rule_id)
        if kept is None or kept[0] is not starts:
            kept = self._arms[rule_id] = (
                starts,
                [
                    (
                        arm.pattern.compiled() if isinstance(arm.pattern, LazyPattern) else arm.pattern,
                        arm.needs.compiled() if isinstance(arm.needs, LazyPattern) else arm.needs,
                    )
                    for arm in starts.arms
                ],
            )
        return kept[1]

    def _marking_matches(
        self,
        norm: NormalisedText,
        role: str,
        name: str,
        found: list[yara.Match],
        encoded: bytes | None = None,
    ) -> Iterator[MarkingMatch]:
        emitted: set[tuple[str, int, int]] = set()
        memo: dict[tuple[str, Any], Any] = {}
        for rule, lo, window, index in self._windows(norm, role, name, found, encoded):
            if rule.unless is not None and rule.unless.search(window):
                continue  # the line says what the word is about (a public consultation, beer)
            for m in self._found(rule, window, memo):
                if m.end() == m.start():
                    continue
                if rule.tails is not None and not tail_ok(m, rule.tails):
                    continue  # something other than a caveat follows the level
                at, to = lo + index[m.start()], lo + index[m.end() - 1] + 1
                if rule.context is not None and _in_context(rule.context, norm.text, at, to):
                    continue  # a change log's symbol, a public standard's draft
                start, end = norm.original_span(at, to)
                key = (rule.id, start, end)
                if key not in emitted:
                    emitted.add(key)
                    yield MarkingMatch(rule, start, end)

    def explain(self, text: str, role: str = "body", name: str = "") -> list[tuple[MarkingRule, str, bool]]:
        """For ``redline rules test``: every window a trigger opened, and whether it matched.

        A window that did not match is a near miss: the trigger word is there, but not
        in the form or position the rule asks for.
        """
        norm = self.normalise(text)
        found: dict[tuple[str, int], tuple[MarkingRule, str, bool]] = {}
        # Every window a trigger opens, wherever its word stands: a near miss to show.
        for rule, lo, window, index in self._windows(norm, role, name, self._yara(norm)[1], placed=False):
            matched = any(
                m.end() > m.start()
                and (rule.tails is None or tail_ok(m, rule.tails))
                and not (
                    rule.context is not None
                    and _in_context(
                        rule.context, norm.text, lo + index[m.start()], lo + index[m.end() - 1] + 1
                    )
                )
                for m in self._found(rule, window)
            ) and not (rule.unless is not None and rule.unless.search(window))
            start, end = norm.original_span(lo + index[0], lo + index[-1] + 1) if index else (lo, lo)
            # A vocabulary entry is one marking in several positions: it nearly matched
            # once, or matched in one of them.
            key = (rule.entry or rule.id, lo)
            if key not in found or (matched and not found[key][2]):
                found[key] = (rule, norm.original[start:end].strip()[:160], matched)
        return list(found.values())
