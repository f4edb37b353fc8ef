"""Ordinary outbound mail (ordinary_mail.py) passes; its marked twin is held.

Each pair can fail both ways: a rule that reads an everyday sense as a marking holds the
ordinary mail, and a context that lets too much go passes the twin.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from filters.build import build_pipeline
from filters.pipeline import Pipeline
from tests.corpus_world.ordinary_mail import PAIRS, Pair, render
from tests.corpus_world.score import assert_meets_label


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return build_pipeline()


IDS = [f"{index:02d}-{pair.kind}" for index, pair in enumerate(PAIRS)]


@pytest.mark.parametrize("pair", PAIRS, ids=IDS)
def test_ordinary_mail_passes(pipeline: Pipeline, tmp_path: Path, pair: Pair) -> None:
    path = tmp_path / "item.eml"
    path.write_bytes(render(pair.mail))
    assert_meets_label(pipeline, path, "none")


@pytest.mark.parametrize("pair", PAIRS, ids=IDS)
def test_marked_twin_is_held(pipeline: Pipeline, tmp_path: Path, pair: Pair) -> None:
    path = tmp_path / "item.eml"
    path.write_bytes(render(pair.twin()))
    assert_meets_label(pipeline, path, pair.expect)


def test_sample_covers_languages_and_both_forms() -> None:
    assert len(PAIRS) >= 20
    assert any(p.mail.docx for p in PAIRS) and any(not p.mail.docx for p in PAIRS)
    assert {C for p in PAIRS for C in (p.expect,)} == {"classification", "draft"}
