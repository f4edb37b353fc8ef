"""Hyperscan finds the marking triggers YARA's trigger rules find, answered the same way."""

from __future__ import annotations

import random

import pytest

from filters import trigger_scan
from filters.engines.markings import MarkingEngine
from filters.normalise import utf8
from filters.rules import TRIGGER_NAMESPACE
from tests.fixtures.shipped_rules import shipped_rules


@pytest.fixture(scope="module")
def engine() -> MarkingEngine:
    return MarkingEngine(shipped_rules())


def _shape(found: list) -> list:
    return [(m.namespace, m.rule, [(s.identifier, [(i.offset, bytes(i.matched_data), i.matched_length)
                                                 for i in s.instances]) for s in m.strings])
            for m in found]


def _both(engine: MarkingEngine, text: str) -> tuple[list, list]:
    """(YARA's text rules' matches, the engine's: Hyperscan's triggers after YARA's rest)."""
    encoded = utf8(text)
    ascii_text = len(encoded) == len(text)
    rules = engine.rules.text_ascii if ascii_text else engine.rules.text
    return _shape(rules.match(data=encoded)), _shape(engine._match(rules, encoded, ascii_text))


# Edges of what YARA reports: overlapping instances, fullword beside digits, letters,
# an underscore, bytes beyond ASCII and the text's ends, letter cases, spaced and joined
# forms, triggers beyond ASCII, and the rule files' own (non-trigger) rules beside them.
EDGES = [
    "SECRET", "secret secretsecret SeCrEt", "LES", "xLES LESx 1LES LES1 _LES_ éLESé (LES)",
    "LES\nLES", "S E C R E T and S  E  C  R  E  T", "S.E.C.R.E.T / S-E-C-R-E-T",
    "C\nO\nN\nF\nI\nD\nE\nN\nT\nI\nA\nL", "C\r\nO\r\nN\r\nF\r\nI\r\nD\r\nE\r\nN\r\nT\r\nI\r\nA\r\nL",
    "机密★10年 附件是本季度的预算。", "СЕКРЕТНО совершенно секретно",
    "Streng geheim, VS-NUR FÜR DEN DIENSTGEBRAUCH",
    "SBU", "(SBU)", "S//NF", "TOP SECRET//NOFORN", "for review, For Review, FOR REVIEW",
    "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\nSECRET",
    "draftdraftdraft", "", "\u00e9",
]


@pytest.mark.parametrize("text", EDGES)
def test_hyperscan_finds_what_yara_finds_at_the_edges(engine, text):
    if not text:
        assert engine.rules.triggers.match(b"", True) == []
        return
    for variant in (text, text.upper(), text.lower()):
        yara_found, found = _both(engine, variant)
        assert found == yara_found, variant


def test_the_edges_hold_triggers_and_the_rule_files_own_rules(engine):
    found = [m for text in EDGES if text for m in _both(engine, text)[0]]
    assert {m[0] for m in found} >= {TRIGGER_NAMESPACE, "credentials"}


def test_hyperscan_finds_what_yara_finds_in_random_texts_of_trigger_words(engine):
    rng = random.Random(21)
    words = sorted({t for rule in engine.rules.marking_rules.values() for t in rule.triggers})
    seps = [" ", "", "x", "1", "é", "_", "-", "\n", "\t", ".", "机", "  ", "\r\n", "A"]
    for _ in range(300):
        pieces = []
        for _ in range(rng.randint(1, 20)):
            word = rng.choice(words)
            roll = rng.random()
            word = (word.upper() if roll < 0.2 else word.lower() if roll < 0.4
                    else " ".join(word) if roll < 0.5 else ".".join(word) if roll < 0.6 else word)
            pieces += [word, rng.choice(seps)]
        text = "".join(pieces)
        yara_found, found = _both(engine, text)
        assert found == yara_found, text


def test_a_string_found_as_often_as_yara_keeps_is_left_to_yara(engine, monkeypatch):
    # YARA keeps so many matches of a string (YR_MAX_STRING_MATCHES): past that, its own
    # answer is taken, whatever it does with the rest.
    monkeypatch.setattr(trigger_scan, "YARA_MAX_STRING_MATCHES", 3)
    text = "secret " * 5
    assert engine.rules.triggers.match(text.encode(), True) is None
    yara_found, found = _both(engine, text)
    assert found == yara_found != []
    assert engine.rules.triggers.match(b"secret secret", True)  # under the limit


def test_the_scan_pickles_with_its_compiled_databases(engine):
    import pickle

    copy = pickle.loads(pickle.dumps(engine.rules.triggers))
    assert copy.is_loaded(True) is False  # loaded from its bytes on first use
    text = b"TOP SECRET//NOFORN and S E C R E T"
    assert _shape(copy.match(text, True)) == _shape(engine.rules.triggers.match(text, True)) != []
    assert copy.is_loaded(True)
