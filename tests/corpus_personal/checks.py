"""What every personal-data round's tests share: a case's parameter and its check."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

from filters.pipeline import Pipeline
from tests.corpus_personal.make import file_name, render
from tests.corpus_personal.score import outcome


def case_params(cases: Iterable, known_misses: Mapping[str, str]) -> list:
    """One pytest parameter per case, named by the case; a known miss is a strict xfail."""
    params = []
    for case in cases:
        reason = known_misses.get(case.name)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(case, id=case.name, marks=marks))
    return params


def assert_meets_label(pipeline: Pipeline, tmp_path: Path, case) -> None:
    """Render the case as a file, scan it, and compare the outcome with its label."""
    path = tmp_path / file_name(case)
    path.write_bytes(render(case))
    verdict = pipeline.scan_file(path, origin=path.name)
    described = "; ".join(f"{h.rule} {h.excerpt!r}" for h in verdict.hits) or "no hits"
    assert outcome(verdict) == case.expect, described


def assert_known_misses_are_cases(cases: Iterable, known_misses: Mapping[str, str]) -> None:
    """Case names are unique and every known miss names a case."""
    names = [case.name for case in cases]
    assert len(set(names)) == len(names)
    assert set(known_misses) <= set(names)
