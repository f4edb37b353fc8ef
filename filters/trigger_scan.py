"""The marking rules' trigger words found by Hyperscan, answered as YARA's trigger rules.

``rules.load_rules`` writes each set of trigger words as a YARA rule (``_trigger_source``):
thousands of literals, letter-spaced and joined forms included, which cost YARA about
8 ms a megabyte of prose (its automaton for them is large) against about 1 ms for
Hyperscan's literal matcher over the same strings. ``TriggerScan`` finds the same
strings and answers with objects shaped as YARA's matches (``namespace``, ``rule``,
``strings`` with their ``instances``: offset, matched data and length), in YARA's order:
rules as written, each rule's strings as written and only those found, each string's
instances by offset, overlapping ones included, ``nocase`` folding ASCII letters only
and ``fullword`` wanting no ASCII letter or digit on either side. The other YARA rules
for text still run in YARA (``RuleSet.raw``).

The databases are compiled on first use (most of a second for every trigger form) and
kept in a pickle as Hyperscan's serialised form, so the compiled-rules cache holds them.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from typing import Any, NamedTuple

import hyperscan

# YARA's limits that bear on a trigger's matches (libyara: YR_MAX_STRING_MATCHES, and
# yara-python's max_match_data default): a text past the first is left to YARA itself.
YARA_MAX_STRING_MATCHES = 1_000_000
YARA_MAX_MATCH_DATA = 512

_ESCAPE = re.compile(r"\\(.)")
_UNESCAPED = {"n": "\n", "r": "\r", "t": "\t"}
# yr_isalnum: what ``fullword`` wants on neither side of a match.
_ALNUM = frozenset(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


class TriggerString(NamedTuple):
    """One YARA string of a trigger rule: its bytes and modifiers."""

    rule: str  # the YARA rule ("m12")
    identifier: str  # "$t0_3"
    data: bytes
    nocase: bool
    fullword: bool


def parse_definition(rule: str, identifier: str, definition: str) -> TriggerString:
    """The string a definition ``_trigger_strings`` writes stands for: a quoted literal
    (``"S E C R E T" nocase``, maybe ``fullword``) or hex bytes (``{ E6 9C BA }``)."""
    if definition.startswith("{"):
        return TriggerString(rule, identifier, bytes.fromhex(definition.strip("{} ")), False, False)
    body, _, modifiers = definition[1:].rpartition('"')
    text = _ESCAPE.sub(lambda m: _UNESCAPED.get(m.group(1), m.group(1)), body)
    words = modifiers.split()
    if set(words) - {"nocase", "fullword"}:
        raise ValueError(f"trigger string {identifier} of {rule}: modifiers {modifiers!r} not read")
    return TriggerString(rule, identifier, text.encode("utf-8"), "nocase" in words, "fullword" in words)


class Instance(NamedTuple):
    """As yara.StringMatchInstance: where a string matched and the bytes there."""

    offset: int
    matched_data: bytes
    matched_length: int


class StringMatch(NamedTuple):
    """As yara.StringMatch: a string's identifier and its instances in offset order."""

    identifier: str
    instances: list[Instance]


class TriggerMatch(NamedTuple):
    """As yara.Match for a trigger rule."""

    namespace: str
    rule: str
    strings: list[StringMatch]


NOCASE, FULLWORD = 1, 2  # a string's modifiers, as bits


class _Variant:
    """The strings of one database (every string, or the ASCII ones: ``chosen``, indexes
    into the scan's lists) and the database, compiled or loaded on first use."""

    def __init__(self, scan: TriggerScan, chosen: list[int], blob: bytes | None) -> None:
        self.scan = scan
        self.chosen = chosen
        self.blob = blob
        self.database: Any = None

    def loaded(self) -> Any:
        if self.database is None and self.chosen:
            database = None
            if self.blob is not None:
                try:
                    database = hyperscan.loadb(self.blob, hyperscan.HS_MODE_BLOCK)
                except hyperscan.error:
                    database = None  # another CPU's or version's form: compiled again
            if database is None:
                data, modifiers = self.scan.data, self.scan.modifiers
                database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
                database.compile(
                    expressions=[b"".join(b"\\x%02x" % c for c in data[i]) for i in self.chosen],
                    ids=list(range(len(self.chosen))),
                    elements=len(self.chosen),
                    flags=[hyperscan.HS_FLAG_CASELESS if modifiers[i] & NOCASE else 0
                           for i in self.chosen],
                )
            database.scratch = hyperscan.Scratch(database)
            self.database = database
            self.blob = None
        return self.database


class TriggerScan:
    """Finds trigger strings in a text's UTF-8 bytes as YARA's compiled trigger rules do
    (see the module doc): with every string, or for an ASCII text with the strings of
    ASCII bytes, all that can match there. The strings are given as parallel lists (a
    cached rule set loads ten thousand of them: lists of plain values load fastest)."""

    def __init__(self, namespace: str, rules: list[str], identifiers: list[str],
                 data: list[bytes], modifiers: bytes,
                 blobs: tuple[bytes | None, bytes | None] = (None, None)) -> None:
        """String ``i`` is ``identifiers[i]`` of YARA rule ``rules[i]``, ``data[i]`` with
        ``modifiers[i]`` (NOCASE, FULLWORD bits); ``blobs``: both databases serialised
        (``__reduce__``), loaded on first use."""
        self.namespace = namespace
        self.rules, self.identifiers, self.data, self.modifiers = rules, identifiers, data, modifiers
        # Rules in the order written: YARA's order of matches.
        self.rule_order = {rule: i for i, rule in enumerate(dict.fromkeys(rules))}
        self._all = _Variant(self, list(range(len(data))), blobs[0])
        self._ascii = _Variant(self, [i for i, d in enumerate(data) if d.isascii()], blobs[1])
        self._lock = threading.Lock()

    @classmethod
    def of(cls, namespace: str, strings: Sequence[TriggerString]) -> TriggerScan:
        """A scan for ``strings``."""
        return cls(namespace, [s.rule for s in strings], [s.identifier for s in strings],
                   [s.data for s in strings],
                   bytes(s.nocase * NOCASE | s.fullword * FULLWORD for s in strings))

    def load(self) -> None:
        """Compile (or load) both databases now: before scanners fork, say."""
        with self._lock:
            self._all.loaded()
            self._ascii.loaded()

    def is_loaded(self, ascii_text: bool = False) -> bool:
        """Whether the database ``match`` reads for such a text is compiled or loaded."""
        return (self._ascii if ascii_text else self._all).database is not None

    def match(self, data: bytes, ascii_text: bool = False) -> list[TriggerMatch] | None:
        """YARA's trigger matches in ``data`` (``ascii_text``: ``data`` is ASCII); None
        when a string matches as often as YARA keeps or more (then ask YARA)."""
        variant = self._ascii if ascii_text else self._all
        if variant.database is None:
            with self._lock:
                variant.loaded()
        if not variant.chosen:
            return []
        ends: dict[int, list[int]] = {}

        def found(index: int, start: int, end: int, flags: int, context: object) -> None:
            at = ends.get(index)
            if at is None:
                ends[index] = [end]
            else:
                at.append(end)

        variant.database.scan(data, match_event_handler=found)
        by_rule: dict[str, list[tuple[int, StringMatch]]] = {}
        size = len(data)
        for index, at in ends.items():
            string = variant.chosen[index]
            length = len(self.data[string])
            fullword = self.modifiers[string] & FULLWORD
            at.sort()
            instances = []
            for end in at:
                start = end - length
                if fullword and ((start > 0 and data[start - 1] in _ALNUM)
                                 or (end < size and data[end] in _ALNUM)):
                    continue
                instances.append(Instance(start, data[start:min(end, start + YARA_MAX_MATCH_DATA)], length))
            if not instances:
                continue
            if len(instances) >= YARA_MAX_STRING_MATCHES:
                return None
            by_rule.setdefault(self.rules[string], []).append(
                (string, StringMatch(self.identifiers[string], instances)))
        order = self.rule_order
        return [
            TriggerMatch(self.namespace, rule, [match for _, match in sorted(matched)])
            for rule, matched in sorted(by_rule.items(), key=lambda item: order[item[0]])
        ]

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled compiled (the compiled-rules cache keeps what took a second to compile).
        self.load()
        return (TriggerScan, (
            self.namespace, self.rules, self.identifiers, self.data, self.modifiers,
            (hyperscan.dumpb(self._all.database) if self._all.chosen else None,
             hyperscan.dumpb(self._ascii.database) if self._ascii.chosen else None)))
