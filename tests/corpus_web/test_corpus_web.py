"""The web corpus: every request is decided by Redline's upload inspection and meets its label.

The requests (cases.py) were written from public API documentation and from what
browsers and SDKs send, not from Redline's rules; README.md gives the score before and
after. A known miss is a strict expected failure with its reason.
"""

from __future__ import annotations

import pytest

from tests.corpus_web.cases import CASES, Case
from tests.corpus_web.score import Scorer

# Cases Redline misses, each with why.
KNOWN_MISSES: dict[str, str] = {
    "query-string-search": "the words in a search phrase are not a marking line",
}


@pytest.fixture(scope="module")
def scorer(tmp_path_factory, pipeline) -> Scorer:
    running = Scorer(tmp_path_factory.mktemp("corpus_web"), pipeline)
    yield running
    running.close()


@pytest.fixture(scope="module")
def pipeline():
    from filters.build import build_pipeline

    return build_pipeline()


def _param(case: Case):
    reason = KNOWN_MISSES.get(case.name)
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(case, id=case.name, marks=marks)


def test_known_misses_are_cases():
    names = {case.name for case in CASES}
    assert set(KNOWN_MISSES) <= names
    assert len(names) == len(CASES)


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_case_meets_its_label(scorer, case):
    got, detail = scorer.outcome(case)
    assert got == case.expect, f"{case.source}: {detail}"
