"""One walk, two engine sets (``Pipeline.scan_both``, what ``redline replay`` uses when a
candidate changes rules): over the labelled corpus, each verdict is exactly the one a scan
with that pipeline alone gives, hits in order, statistics apart from time."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from filters.build import FiltersConfig, build_pipeline
from filters.paired import PairedPipeline, PairedVerdict, shares_extraction
from filters.pipeline import file_part
from filters.rules import load_rules
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
