"""Two configs' verdicts from one scan: what ``redline replay`` compares.

A ``PairedPipeline`` goes where a Pipeline goes in a ``ScanPool``: its ``scan_file``
extracts each part once and runs both pipelines' engines on it
(``Pipeline.scan_both``), and answers a ``PairedVerdict``: the first pipeline's verdict
carrying the second's as ``second``. ``second`` is None when the second needs a scan of
its own: the two engine sets led the walk apart, or the worker was killed or crashed
(the pool's held verdict is a plain Verdict).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from filters.build import FiltersConfig
from filters.pipeline import Pipeline, file_part
from filters.types import Verdict


@dataclass(frozen=True, slots=True)
class PairedVerdict(Verdict):
    """The first pipeline's verdict, with the second pipeline's on the same item."""

    second: Verdict | None = None


def shares_extraction(first: FiltersConfig, second: FiltersConfig) -> bool:
    """True when both configs extract an item the same way (limits, coverage, OCR), so
    one walk serves both engine sets; rules, policy, labels, personal data, sites and
    fingerprints may differ."""
    return (first.limits == second.limits and first.coverage == second.coverage
            and first.ocr == second.ocr)


class PairedPipeline:
    """Scans with ``first``'s extraction and both pipelines' engines (see module doc).

    Build both from configs for which ``shares_extraction`` holds.
    """

    def __init__(self, first: Pipeline, second: Pipeline) -> None:
        if first.limits != second.limits or first.coverage != second.coverage:
            raise ValueError("the two pipelines extract differently (limits or coverage "
                             "differ): scan with each")
        self.first = first
        self.second = second
        self.limits = first.limits
        self.policy = first.policy
        # Every engine of both, once: a ScanPool keeps their growing state (the
        # fingerprint index) in step with its scanners through the methods below.
        self.content_engines = tuple(dict.fromkeys((*first.content_engines,
                                                    *second.content_engines)))
        self.text_engines = tuple(dict.fromkeys((*first.text_engines, *second.text_engines)))

    _synced_engines = Pipeline._synced_engines
    sync_mark = Pipeline.sync_mark
    sync_since = Pipeline.sync_since
    apply_sync = Pipeline.apply_sync

    def scan_file(self, path: Path) -> PairedVerdict:
        """Both verdicts on the file at ``path`` (see ``Pipeline.scan_file``)."""
        first, second = self.first.scan_both(self.second, file_part(path))
        return PairedVerdict(first.action, first.hits, first.stats, second)
