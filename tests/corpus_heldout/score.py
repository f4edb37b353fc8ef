"""Score the held-out corpus with ``redline scan --json``: ``python tests/corpus_heldout/score.py``.

Scored as the world corpus is (tests/corpus_world/score.py): recall per expected outcome,
false positives among the hard negatives, and every miss.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from tests.corpus_heldout.make import generate  # noqa: E402
from tests.corpus_world import score as world  # noqa: E402

if __name__ == "__main__":
    world.generate = generate
    world.main()
