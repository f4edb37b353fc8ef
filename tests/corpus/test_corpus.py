"""The labelled detection corpus: it cannot shrink silently, and the real pipeline meets its targets."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.corpus import generate, score


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus generated once per session (never checked in)."""
    out = tmp_path_factory.mktemp("corpus")
    # How long it takes (target: under 30 s): bench/extract_speed.py --only corpus.
    generate.write(out)
    return out


@pytest.fixture(scope="session")
def labels(corpus_dir: Path) -> list[dict[str, object]]:
    return score.load_labels(corpus_dir)


def test_corpus_has_enough_items_of_every_format_and_evasion(corpus_dir: Path, labels) -> None:
    kinds = Counter(str(label["kind"]) for label in labels)
    assert len(labels) >= 240
    assert kinds["positive"] >= 120
    assert kinds["negative"] >= kinds["positive"]
    formats = {str(label["format"]) for label in labels}
    assert set(generate.FORMATS) <= formats, f"missing formats: {set(generate.FORMATS) - formats}"
    evasions = {str(label["evasion"]) for label in labels if label["evasion"]}
    assert set(generate.EVASIONS) <= evasions, f"missing evasions: {set(generate.EVASIONS) - evasions}"
    for label in labels:
        assert (corpus_dir / str(label["name"])).stat().st_size > 0
        cats = set(label["categories"])  # type: ignore[arg-type]
        assert cats <= set(generate.CATEGORIES)
        assert (label["kind"] == "positive") == bool(cats), label


def test_every_category_sits_in_every_main_location(labels) -> None:
    where: dict[str, set[str]] = {c: set() for c in generate.CATEGORIES}
    for label in labels:
        for category in label["categories"]:  # type: ignore[union-attr]
            where[str(category)].add(str(label["location"]))
    common = {"subject", "body", "header", "footer", "property", "cell", "slide", "title", "filename",
              "archive", "attachment"}
    for category, locations in where.items():
        assert common <= locations, f"{category} never in {common - locations}"
    assert {"notes", "watermark", "revision", "comment"} <= where["draft"]


def test_generation_is_reproducible() -> None:
    first = [(i.name, i.data) for i in generate.build()[:40]]
    second = [(i.name, i.data) for i in generate.build()[:40]]
    assert first == second


def test_file_names_do_not_reveal_labels(labels) -> None:
    # The pipeline reads the top-level file name too; it must not carry a marking or a hint.
    for label in labels:
        stem = str(label["name"]).split(".", 1)[0]
        assert stem[0] in "pn" and stem[1:].isdigit(), label["name"]


def test_pipeline_meets_recall_and_false_positive_targets(corpus_dir: Path) -> None:
    report = score.score(corpus_dir)
    assert report.ok, "\n" + report.table() + "\n" + report.details()
