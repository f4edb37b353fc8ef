"""The held-out corpus: every labelled case is scanned by the default pipeline and meets its label.

The cases (cases.py) were written after the vocabulary, from public descriptions it was
not written from; README.md gives the score before and after the misses were fixed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from filters.build import build_pipeline
from filters.pipeline import Pipeline
from tests.corpus_heldout.cases import CASES, Case
from tests.corpus_heldout.make import SUFFIX, file_name, render
from tests.corpus_world.score import assert_meets_label

TITLE_SUFFIX = ("a Korean draft word closing a title line without brackets (…사업계획 검토안) is not read: "
                "검토안 alone counts as a stamp, (안) in brackets as a suffix, and a bare title suffix "
                "would need a position of its own")
# Cases Redline still misses, keyed by system and first lines (_key), each with why.
KNOWN_MISSES: dict[tuple[str, str], str] = {
    ("draft-kr", "||하반기 사업계획 검토안"): TITLE_SUFFIX,
}


def _first(case: Case) -> str:
    item = case.item
    return (item.header or item.box or item.subject or item.body.split("\n", 1)[0] or item.name)[:40]


def _key(case: Case) -> tuple[str, str]:
    item = case.item
    return case.system, f"{item.header or item.box}|{item.subject}|{item.body.split(chr(10), 1)[0]}"[:80]


def _label(index: int, case: Case) -> str:
    return f"{index:03d}-{case.system}-{case.expect}-{_first(case)[:24]}"


PARAMS = [pytest.param(index, case, id=_label(index, case),
                       marks=[pytest.mark.xfail(strict=True, reason=KNOWN_MISSES[key])]
                       if (key := _key(case)) in KNOWN_MISSES else [])
          for index, case in enumerate(CASES)]


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return build_pipeline()


@pytest.mark.parametrize(("index", "case"), PARAMS)
def test_case_meets_its_label(pipeline: Pipeline, tmp_path: Path, index: int, case: Case) -> None:
    path = tmp_path / file_name(index, case)
    path.write_bytes(render(case.item))
    assert_meets_label(pipeline, path, case.expect)


def test_corpus_is_held_out_and_mixed() -> None:
    """Many systems, every item kind, adversarial forms, and hard negatives beside the markings."""
    systems = {c.system.split("-")[-1] for c in CASES}
    assert len(systems) >= 50
    assert {c.item.kind for c in CASES} == set(SUFFIX)
    assert sum(c.system == "adversarial" for c in CASES) >= 25
    assert sum(c.expect == "none" for c in CASES) >= 70 and len(CASES) >= 300


def test_known_misses_name_real_cases() -> None:
    keys = {_key(c) for c in CASES}
    assert set(KNOWN_MISSES) <= keys
