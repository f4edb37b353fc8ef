"""Text engine: markings written in ROT13 (or letters rotated by any other amount) or
backwards, read back by the marking engine.

A marked memo put through ROT13 (``GBC FRPERG//ABSBEA``), another rotation (ROT1:
``UPQ TFDSFU``) or ``rev`` (``NROFON//TERCES POT``, also the whole text reversed) still
reads as words, so neither the decoders nor
the judge of encoded text hold it. Undoing every such transformation on every text
would double the marking search; instead one Hyperscan pass looks for the marking rules'
trigger words in their transformed forms (about 0.5 ms a megabyte), and
only on a hit is the text transformed back and handed to the marking engine, whose
rules then decide as on plain text: a trigger word alone is no marking.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterable, Sequence

import hyperscan

from filters.compiled_cache import CompiledCache
from filters.engines.markings import MarkingEngine
from filters.normalise import utf8
from filters.types import Hit, Part

# Shorter trigger words ("LES", "SBU") are ordinary strings when turned around (ROT13 of
# "SBU" is "FOH"); 5 letters keep the pre-search to words nobody writes by chance.
MIN_TRIGGER_LETTERS = 5
CACHE_KIND = "substitution"  # its compiled pre-search in the compiled cache
_LATIN_WORD = re.compile(r"[A-Za-z]+")
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LOWER = _UPPER.lower()


def _shift_table(amount: int) -> dict[int, int]:
    return str.maketrans(_UPPER + _LOWER, _UPPER[amount:] + _UPPER[:amount]
                         + _LOWER[amount:] + _LOWER[:amount])


# Latin letters rotated by each amount (ROT-n): ROT13 is one of them, the one users name.
_SHIFTS = {amount: _shift_table(amount) for amount in range(26)}


def rotate(text: str, amount: int) -> str:
    """``text`` with Latin letters rotated forward by ``amount`` (ROT-n, Caesar's cipher)."""
    return text.translate(_SHIFTS[amount % 26])


def rot13(text: str) -> str:
    """``text`` with Latin letters rotated by 13 (its own inverse)."""
    return rotate(text, 13)


def reverse_lines(text: str) -> str:
    """Each line of ``text`` written backwards (its own inverse). Undoes ``rev`` and, as
    marking rules read a line at a time, a text reversed whole (lines in reverse order)."""
    return "\n".join(line[::-1] for line in text.split("\n"))


def _rotation(amount: int, reversed_too: bool) -> tuple[Callable[[str], str], Callable[[str], str]]:
    def hide(text: str) -> str:
        shifted = rotate(text, amount)
        return reverse_lines(shifted) if reversed_too else shifted

    def read_back(text: str) -> str:
        return rotate(reverse_lines(text) if reversed_too else text, -amount)

    return hide, read_back


# Name (the label in a hit's place, ``body/#rot13``) -> (how a user hides the text, how it
# is read back): the trigger words are looked for hidden, the text read back on a hit.
# Letters rotated by any amount, not ROT13 alone: rotating by another is the same
# substitution with another key, and all 25 keys cost one Hyperscan pass.
TRANSFORMS: dict[str, tuple[Callable[[str], str], Callable[[str], str]]] = {
    "reversed": (reverse_lines, reverse_lines),
    **{f"rot{amount}": _rotation(amount, False) for amount in range(1, 26)},
    **{f"reversed-rot{amount}": _rotation(amount, True) for amount in range(1, 26)},
}


def trigger_words(engine: MarkingEngine) -> list[str]:
    """The longest Latin word of each of the marking rules' triggers, in capitals, when it
    has MIN_TRIGGER_LETTERS letters or more ('FOR_INTERNAL_USE_ONLY' -> 'INTERNAL'): a
    hit only sends the text read back to the rules, which then look for the whole trigger."""
    # Each distinct trigger once (7,747 triggers are 1,150 strings), one pass of one
    # compiled pattern each: done for every start, it took 10 ms of a one-file scan.
    triggers = {trigger for rule in engine.rules.marking_rules.values()
                for trigger in rule.triggers if trigger.isascii()}
    words = set()
    for trigger in triggers:
        if latin := _LATIN_WORD.findall(trigger):
            words.add(max(latin, key=len).upper())
    return sorted(word for word in words if len(word) >= MIN_TRIGGER_LETTERS)


# The forms users name (ROT13, rev, both) are looked for in the whole of every text. The
# other 48 rotations make the pre-search 17 times larger and cost 2-4 ms a megabyte
# against 0.1-0.3: in a long text they are looked for where its markings stand, its
# first and last ROTATIONS_EDGE characters (a text rotated whole carries its banner there).
NAMED = ("reversed", "rot13", "reversed-rot13")
# Part of the compiled database's cache key: raise it when a transformation's ``hide``
# changes what a form of a word is.
FORMS_VERSION = 1
# A text's Latin letters, in small letters, and nothing else (bytes.translate's table and
# the bytes it deletes): every form of a trigger word is such letters only.
_FOLD = bytes(range(256)).translate(bytes.maketrans(_UPPER.encode(), _LOWER.encode()))
_NOT_LETTERS = bytes(b for b in range(256) if not chr(b).isascii() or not chr(b).isalpha())
# A text's head whose letters differ settles the test below at once: prose, most mail.
_HEAD_BYTES = 256


def _one_letter_at_most(data: bytes) -> bool:
    """Whether ``data`` holds one Latin letter at most, however often, in either case
    (lines of one letter such as smtp-source's filler, figures, text in another script).

    Every form of a trigger word holds as many different letters as the word (a rotation
    maps letters one to one, a reversal keeps them): no form of a word of two or more
    stands in such a text. Hyperscan read lines of one letter slowly, the other rotations'
    literals matching their doubled letters at every byte (10 KB of smtp-source's lines:
    43 us, against 15 for 10 KB of prose; this test 7-13 us, under 1 us for prose).
    """
    head = data[:_HEAD_BYTES].translate(_FOLD, _NOT_LETTERS)
    if head and head.count(head[:1]) != len(head):
        return False  # two letters in the first bytes
    letters = data.translate(_FOLD, _NOT_LETTERS)
    return not letters or letters.count(letters[:1]) == len(letters)


ROTATIONS_EDGE = 64 * 1024


def _database(words: list[str], names: Iterable[str],
              cache: CompiledCache | None) -> hyperscan.Database:
    """A Hyperscan database of ``words`` in each form the transformations ``names`` give
    (caseless literals; the id of a form is the index of its transformation in
    TRANSFORMS), from ``cache`` when it holds it: compiling takes most of a second,
    loading well under a millisecond."""
    chosen = [name for name in TRANSFORMS if name in names]
    flag = hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_SINGLEMATCH
    # The key names what the forms are made from, not the forms: making 17,000 of them
    # (and escaping them) took 30 ms of every start-up that found the database cached.
    key = hashlib.sha256(repr((hyperscan.__version__, os.uname().machine, FORMS_VERSION,
                               list(TRANSFORMS), chosen, words, flag)).encode()).hexdigest()
    stored = cache.get(CACHE_KIND, key) if cache is not None else None
    if cache is not None and stored is not None:
        try:
            database = hyperscan.loadb(stored, hyperscan.HS_MODE_BLOCK)
            database.scratch = hyperscan.Scratch(database)
            return database
        except hyperscan.error as exc:  # another CPU's or version's form
            cache.unusable(cache.path(CACHE_KIND, key), f"{type(exc).__name__}: {exc}")
    expressions: list[bytes] = []
    ids: list[int] = []
    for index, (name, (hide, _)) in enumerate(TRANSFORMS.items()):
        if name not in chosen:
            continue
        for form in sorted({hide(word) for word in words} - set(words)):
            expressions.append(re.escape(form).encode())
            ids.append(index)
    database = hyperscan.Database()
    database.compile(expressions=expressions, ids=ids, flags=[flag] * len(expressions))
    if cache is not None:
        cache.put(CACHE_KIND, key, hyperscan.dumpb(database))
    return database


class SubstitutionEngine:
    """Runs ``marking``'s rules over a text part read back from ROT13 or from backwards,
    when the part holds a trigger word so transformed."""

    def __init__(self, marking: MarkingEngine, *, cache: CompiledCache | None = None,
                 load_now: bool = True) -> None:
        self.marking = marking
        self._cache = cache
        self._named: hyperscan.Database | None = None  # NAMED forms
        self._others: hyperscan.Database | None = None  # the other rotations
        self._names = list(TRANSFORMS)
        self._words = trigger_words(marking)
        # Whether a text of one letter at most can be passed by unread (_one_letter_at_most).
        self._two_letters = all(len(set(word.lower())) >= 2 for word in self._words)
        if load_now:
            self.load()

    def load(self) -> None:
        """Compile (or load from the cache) the pre-search now, e.g. before scanners fork."""
        if self._named is None and self._words:
            self._named = _database(self._words, NAMED, self._cache)
            self._others = _database(self._words, set(TRANSFORMS) - set(NAMED), self._cache)

    def transforms(self, text: str) -> list[str]:
        """The transformations whose trigger forms occur in ``text``."""
        if not self._words or not text:
            return []
        self.load()
        found: set[int] = set()

        def on_match(pattern: int, start: int, end: int, flags: int, context: object) -> None:
            found.add(pattern)

        assert self._named is not None and self._others is not None
        data = utf8(text)
        # Its test reads every byte (about 1 ns each): worth it where the other rotations
        # are looked for throughout, not where the named forms alone read the whole text.
        if self._two_letters and len(data) <= 2 * ROTATIONS_EDGE and _one_letter_at_most(data):
            return []
        self._named.scan(data, match_event_handler=on_match)
        if len(text) <= 2 * ROTATIONS_EDGE:
            self._others.scan(data, match_event_handler=on_match)
        else:
            self._others.scan(utf8(text[:ROTATIONS_EDGE]), match_event_handler=on_match)
            self._others.scan(utf8(text[-ROTATIONS_EDGE:]), match_event_handler=on_match)
        return [self._names[index] for index in sorted(found)]

    def screen(self, parts: Sequence[Part]) -> set[int] | None:
        """The indexes of ``parts`` (a mail's header fields) ``scan`` may find something in:
        none when no transformed trigger form stands in any of them, read at once joined
        by line breaks (no form holds one); else every field it reads."""
        readable = {index for index, part in enumerate(parts) if self.marking.reads(part)}
        if not self._words or not readable:
            return set()
        text = "\n".join(parts[index].text or "" for index in sorted(readable))
        if len(text) > 2 * ROTATIONS_EDGE or self.transforms(text):
            return readable
        return set()

    def scan(self, part: Part) -> Iterable[Hit]:
        """Marking hits in ``part``'s text read back, placed at ``origin/#rot13`` (or
        ``#reversed``, ``#reversed-rot13``)."""
        if not self.marking.reads(part):
            return []
        hits: list[Hit] = []
        for name in self.transforms(part.text or ""):
            read_back = Part(origin=f"{part.origin}/#{name}", text=TRANSFORMS[name][1](part.text or ""),
                             role=part.role, name=part.name, depth=part.depth, meta=part.meta)
            hits += self.marking.scan(read_back)
        return hits
