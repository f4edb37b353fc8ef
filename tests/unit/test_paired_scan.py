"""One walk, two engine sets (``Pipeline.scan_both``, what ``redline replay`` uses when a
candidate changes rules): over the labelled corpus, each verdict is exactly the one a scan
with that pipeline alone gives, hits in order, statistics apart from time."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from filters.build import FiltersConfig, build_pipeline
from filters.paired import PairedPipeline, PairedVerdict, _MarkingLane, covers, shares_extraction
from filters.pipeline import file_part
from filters.rules import default_rules_dir, load_rules
from tests.corpus import generate

CANDIDATE_RULES = """
[[rule]]
id = "org.codeword.report"
category = "codeword"
severity = "high"
description = "A code word that ordinary reports also use."
triggers = ["report"]
pattern = '(?i)\\breport\\b'
"""


COMMON_WORD_RULES = """
[[rule]]
id = "org.codeword.the"
category = "codeword"
severity = "high"
description = "A code word as common as a word can be: the two rule sets disagree often."
triggers = ["the"]
pattern = '(?i)\\bthe\\b'
"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[Path]:
    out = tmp_path_factory.mktemp("corpus")
    generate.write(out)
    # Every seventh item: every format and placement appears, at a seventh of the cost.
    return sorted(p for p in out.iterdir() if p.name != "labels.json")[::7]


def untimed(verdict):
    return dataclasses.replace(verdict.stats, seconds=0.0)


@pytest.mark.parametrize("current_settings", [{"personal": {"enabled": False}}, {}],
                         ids=["personal-in-one", "personal-in-both"])
def test_scan_both_gives_each_pipeline_its_own_verdict(corpus, tmp_path, current_settings):
    rules = tmp_path / "candidate-rules.toml"
    rules.write_text(CANDIDATE_RULES, encoding="utf-8")
    candidate_config = FiltersConfig.from_mapping({
        "rules": {"extra": [str(rules)], "disclaimers": ["This report is confidential."]},
        "policy": {"category_actions": {"draft": "pass", "signup": "reject"}},
        "personal": {"enabled": True},
    })
    current_config = FiltersConfig.from_mapping(current_settings)
    assert shares_extraction(candidate_config, current_config)
    candidate = build_pipeline(candidate_config)
    # Engines with the same settings are the candidate's own objects: read once per part.
    current = build_pipeline(current_config, share=(candidate_config, candidate))
    engines = {id(e) for e in (*candidate.content_engines, *candidate.text_engines)}
    shared = {type(e).__name__ for e in (*current.content_engines, *current.text_engines)
              if id(e) in engines}
    assert shared == {"FileTypeEngine", "OpaqueEngine", "LabelEngine"} | (
        {"PersonalEngine"} if not current_settings else set())
    differ = 0
    for path in corpus:
        first, second = candidate.scan_both(current, file_part(path))
        alone_first, alone_second = candidate.scan_file(path), current.scan_file(path)
        assert second is not None, path.name
        assert (first.action, first.hits) == (alone_first.action, alone_first.hits), path.name
        assert (second.action, second.hits) == (alone_second.action, alone_second.hits), path.name
        assert untimed(first) == untimed(alone_first) == untimed(second)
        differ += (first.action, first.hits) != (second.action, second.hits)
    # The two configs really disagree on some items (a lane is not a copy of the other).
    assert len(corpus) >= 60 and differ >= 5
    # Through the paired pipeline a worker uses: the first verdict carries the second.
    paired = PairedPipeline(candidate, current).scan_file(corpus[0])
    assert isinstance(paired, PairedVerdict) and paired.second is not None


def test_configs_that_extract_differently_are_not_paired():
    base = FiltersConfig.from_mapping({})
    for changed in ({"limits": {"max_depth": 3}}, {"coverage": {"strings_min_chars": 12}},
                    {"ocr": {"enabled": False}}):
        other = FiltersConfig.from_mapping(changed)
        if other == base:
            continue  # the default already: nothing to tell apart
        assert not shares_extraction(other, base), changed
    rules = load_rules(base.rules.rule_paths())
    limited = build_pipeline(FiltersConfig.from_mapping({"limits": {"max_depth": 3}}), rules=rules)
    with pytest.raises(ValueError, match="extract differently"):
        PairedPipeline(limited, build_pipeline(base, rules=rules))


def test_engine_sets_that_would_read_a_part_differently_void_the_second_verdict(tmp_path):
    """A random-looking blob is held by the opaque engine (medium). Where medium counts it
    is not searched for text runs again; where only high counts it is. One walk cannot do
    both, so the second verdict is None (replay scans it alone) and the first is exact."""
    import random

    blob = tmp_path / "backup.bin"
    blob.write_bytes(random.Random(7).randbytes(64 * 1024))
    lenient_config = FiltersConfig.from_mapping({"policy": {"min_severity": "high"}})
    base = FiltersConfig.from_mapping({})
    assert shares_extraction(lenient_config, base)
    lenient = build_pipeline(lenient_config)
    strict = build_pipeline(base, share=(lenient_config, lenient))
    first, second = lenient.scan_both(strict, file_part(blob))
    assert second is None
    alone = lenient.scan_file(blob)
    assert (first.action, first.hits) == (alone.action, alone.hits)
    assert strict.scan_file(blob).action == "quarantine"
    # The other way round the first lane is the strict one: exact again, the second void.
    first, second = strict.scan_both(lenient, file_part(blob))
    assert second is None and first.hits == strict.scan_file(blob).hits
    assert PairedPipeline(lenient, strict).scan_file(blob).second is None


def tuned_rules(tmp_path: Path) -> Path:
    """The shipped rules folder copied, one hand-written rule's pattern widened (a rule
    being tuned) and a YARA file of the same name given another rule."""
    import shutil

    folder = tmp_path / "tuned-rules"
    shutil.copytree(default_rules_dir(), folder)
    markings = folder / "markings.toml"
    text = markings.read_text(encoding="utf-8")
    assert "Classified\\s+By|Declassify\\s+On" in text
    markings.write_text(text.replace("Classified\\s+By|Declassify\\s+On",
                                     "Classified\\s+By|Declassify\\s+On|Derived\\s+From"),
                        encoding="utf-8")
    (folder / "extra.yar").write_text(
        'rule the_word { meta: category = "codeword" scope = "text" '
        'strings: $a = "the" nocase condition: $a }\n', encoding="utf-8")
    return folder


@pytest.mark.parametrize("case", ["added", "dropped", "tuned"])
def test_marking_engines_share_one_engines_findings(corpus, tmp_path, case):
    """A candidate that adds a rule file (or, the other way round, drops one), or one that
    tunes a rule: both marking engines weigh the lead engine's findings on each part, each
    with its own rules and disclaimers, what the lead has not (a changed rule) read by
    itself; and each verdict is still exactly its scan alone, hits in order."""
    rules = tmp_path / "candidate-rules.toml"
    rules.write_text(COMMON_WORD_RULES, encoding="utf-8")
    more = {"rules": {"extra": [str(rules)], "disclaimers": ["This report is confidential."]},
            "policy": {"category_actions": {"draft": "pass", "signup": "reject"}}}
    if case == "tuned":
        more = {"rules": {"paths": [str(tuned_rules(tmp_path))]}}
    candidate_config = FiltersConfig.from_mapping(more if case != "dropped" else {})
    current_config = FiltersConfig.from_mapping({} if case != "dropped" else more)
    candidate = build_pipeline(candidate_config, lazy=True)
    current = build_pipeline(current_config, lazy=True, share=(candidate_config, candidate))
    paired = PairedPipeline(candidate, current)
    lanes = [e for p in (paired.first, paired.second) for e in p.text_engines
             if isinstance(e, _MarkingLane)]
    assert len(lanes) == 2 and lanes[0].shared is lanes[1].shared
    # Only a tuned rule set leaves the follower rules to read itself.
    assert [lane.delta is not None for lane in lanes if lane.split is not None] == [
        case == "tuned"]
    # The pipelines themselves are left as they were (a scan alone reads with its own).
    assert not any(isinstance(e, _MarkingLane) for e in (*candidate.text_engines,
                                                         *current.text_engines))
    differ = 0
    for path in corpus:
        verdict = paired.scan_file(path)
        alone_first, alone_second = candidate.scan_file(path), current.scan_file(path)
        assert verdict.second is not None, path.name
        assert (verdict.action, verdict.hits) == (alone_first.action, alone_first.hits), path.name
        assert (verdict.second.action, verdict.second.hits) == (
            alone_second.action, alone_second.hits), path.name
        differ += {h.rule for h in verdict.hits} != {h.rule for h in verdict.second.hits}
    assert differ >= 20  # the changed rules really find what the other set does not


def test_rules_are_shared_only_where_their_definitions_are_the_same(tmp_path):
    """The same rule id with another pattern (a rule being tuned), or a YARA file of the
    same name with other rules: neither set covers the other. In a paired walk the rules
    they have in common come from the lead's findings, the tuned one is read apart."""
    first = tmp_path / "first.toml"
    first.write_text(CANDIDATE_RULES, encoding="utf-8")
    copied = tmp_path / "copied.toml"
    copied.write_text(CANDIDATE_RULES, encoding="utf-8")
    tuned = tmp_path / "tuned.toml"
    tuned.write_text(CANDIDATE_RULES.replace("\\breport\\b", "\\breports?\\b"),
                     encoding="utf-8")
    assert tuned.read_text(encoding="utf-8") != CANDIDATE_RULES
    base = load_rules([first])
    # The same rule read from another file (a copied rules folder) is the same rule.
    assert covers(base, base) and covers(load_rules([copied]), base)
    assert not covers(load_rules([tuned]), base) and not covers(base, load_rules([tuned]))
    assert covers(load_rules([first, default_rules_dir()]), load_rules([default_rules_dir()]))
    yara_a, yara_b = tmp_path / "a" / "org.yar", tmp_path / "b" / "org.yar"
    for path, word in ((yara_a, "BLUEFIN"), (yara_b, "REDFIN")):
        path.parent.mkdir()
        path.write_text(f'rule codeword {{ meta: category = "codeword" scope = "text" '
                        f'strings: $a = "{word}" condition: $a }}\n', encoding="utf-8")
    assert not covers(load_rules([yara_a, first]), load_rules([yara_b]))
    assert covers(load_rules([yara_a, first]), load_rules([yara_a]))
    config = FiltersConfig.from_mapping({"rules": {"extra": [str(tuned)]}})
    other = FiltersConfig.from_mapping({"rules": {"extra": [str(first)]}})
    one = build_pipeline(config, lazy=True)
    paired = PairedPipeline(one, build_pipeline(other, lazy=True, share=(config, one)))
    (follower,) = [e for p in (paired.first, paired.second) for e in p.text_engines
                   if isinstance(e, _MarkingLane) and e.split is not None]
    assert list(follower.split.other_rules) == ["org.codeword.report"]
    assert set(follower.delta.rules.marking_rules) == {"org.codeword.report"}
    assert len(follower.split.same_rules) == len(one.text_engines[0].rules.marking_rules) - 1
    # Nothing in common: each engine reads the part itself.
    alone = FiltersConfig.from_mapping({"rules": {"paths": [str(tuned)]}})
    one = build_pipeline(alone, lazy=True)
    paired = PairedPipeline(one, build_pipeline(other, lazy=True, share=(alone, one)))
    assert not any(isinstance(e, _MarkingLane) for e in paired.first.text_engines)


def test_processes_with_other_hash_seeds_write_the_same_rules(tmp_path):
    """A replay compares a rule set compiled now with one from the cache, compiled by
    another process: generated patterns must not depend on the hash seed (their
    alternations once followed a set's order, and 239 of 273 rules told apart)."""
    import os
    import subprocess
    import sys

    script = ("import sys; from filters.rules import load_rules, default_rules_dir\n"
              "rules = load_rules([default_rules_dir()]).marking_rules.values()\n"
              "print('\\n'.join(f'{r.id} {r.pattern.pattern} {r.tails and r.tails.tail.pattern} '"
              "f'{r.tails and r.tails.field.pattern}' for r in rules))\n")
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        outputs.append(subprocess.run([sys.executable, "-c", script], env=env, check=True,
                                      capture_output=True, text=True).stdout)
    assert outputs[0].count("\n") > 200 and outputs[0] == outputs[1]
