"""Fixtures shared by the personal-data corpus rounds."""

from __future__ import annotations

import pytest

from filters.build import build_pipeline
from filters.pipeline import Pipeline


@pytest.fixture(scope="package")
def pipeline() -> Pipeline:
    """One pipeline on the embedded defaults for every round's cases."""
    return build_pipeline()
