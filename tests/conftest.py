"""Shared test helpers: run the real pipeline and look at what it extracted."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from filters.limits import Limits
from filters.pipeline import Pipeline
from filters.types import Hit, Part, Verdict


@dataclass
class PartRecorder:
    """An engine that records every part it is shown (content parts and text parts)."""

    parts: list[Part] = field(default_factory=list)

    def scan(self, part: Part) -> Iterable[Hit]:
        self.parts.append(part)
        return ()


@dataclass
class Walked:
    """What one pipeline run produced: the verdict, and every content and text part."""

    verdict: Verdict
    content: list[Part]
    texts: list[Part]

    def text_at(self, origin_suffix: str) -> str:
        """Concatenated text of the text parts whose origin ends with ``origin_suffix``."""
        found = [p.text or "" for p in self.texts if p.origin.endswith(origin_suffix)]
        assert found, f"no text part ends with {origin_suffix!r}; have {self.origins()}"
        return "\n".join(found)

    def all_text(self) -> str:
        return "\n".join(p.text or "" for p in self.texts)

    def origins(self) -> list[str]:
        return [p.origin for p in self.content + self.texts]

    def policy_rules(self) -> list[str]:
        return [h.rule for h in self.verdict.hits if h.category == "policy"]


def walk_item(data: bytes | Path, *, name: str = "item", declared_type: str = "",
              limits: Limits | None = None) -> Walked:
    """Run the real pipeline over ``data`` (bytes or a file) and record all parts."""
    content, texts = PartRecorder(), PartRecorder()
    pipeline = Pipeline(limits=limits, content_engines=[content], text_engines=[texts])
    if isinstance(data, Path):
        verdict = pipeline.scan_file(data, origin=name, declared_type=declared_type)
    else:
        verdict = pipeline.scan(Part(origin=name, data=data, name=name,
                                     declared_type=declared_type))
    # The pipeline also shows each part's file name to the text engines; keep document text.
    return Walked(verdict, content.parts, [p for p in texts.parts if p.role != "filename"])


@pytest.fixture(scope="session", autouse=True)
def _session_rules_cache(tmp_path_factory):
    """Compiled rules are cached in this test session's own folder (``XDG_CACHE_HOME``,
    inherited by the servers tests start), never in the user's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
        yield


@pytest.fixture
def walk():
    """The ``walk_item`` helper as a fixture."""
    return walk_item


def require_peer(missing: str | None) -> None:
    """Skip locally when a real peer is missing (the message says how to install it).

    Under CI (``CI`` set) a missing peer fails the test: CI installs every peer through
    ``scripts/setup.sh --test``, so a skip there would hide a missing feature.
    """
    if not missing:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{missing} (CI must have it: see scripts/setup.sh --test)")
    pytest.skip(missing)


# -- the clock guard ------------------------------------------------------------------
#
# Tests marked ``clock`` depend on dates (expiry, retention, give-up, sessions, audit
# times). scripts/test.sh runs them a second time with this process's clock moved a year
# ahead (REDLINE_TEST_CLOCK_SHIFT_DAYS), so a fixed date in a test that meets the real
# clock fails today instead of weeks after it was written. Only this process moves
# (time-machine patches Python's clocks, not the database's or child processes').

def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "clock: depends on dates; run again with the clock "
                                       "a year ahead by scripts/test.sh")
    days = os.environ.get("REDLINE_TEST_CLOCK_SHIFT_DAYS")
    if days:
        from datetime import UTC, datetime, timedelta

        import time_machine

        traveller = time_machine.travel(datetime.now(UTC) + timedelta(days=float(days)),
                                        tick=True)
        traveller.start()
        config.add_cleanup(traveller.stop)


def on_test_clock(argv: list[str], offset_seconds: int = 0) -> list[str]:
    """``argv`` run on the same clock as this test process: under the clock guard a child
    process is shifted too (faketime), plus ``offset_seconds`` (a node whose clock is off)."""
    offset = offset_seconds + int(float(os.environ.get("REDLINE_TEST_CLOCK_SHIFT_DAYS", "0"))
                                  * 86400)
    return ["faketime", "-f", f"{offset:+d}s", *argv] if offset else list(argv)
