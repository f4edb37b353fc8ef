"""Cost of judging text for encoded data no decoder read, beside the decoders' own search.

    .venv/bin/python bench/unread_text.py [--runs 5]

For each text, in one process and side by side: the median milliseconds of
``embedded.payloads`` (the base64/hex/data: URL search every text part already gets) and
of ``embedded.unread_encoded`` (the judge added after it), and their ratio. Load
averages before and after the table say how quiet the machine was.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from filters import embedded

ROOT = Path(__file__).resolve().parent.parent


def _texts() -> dict[str, str]:
    prose = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md")))
    noise = random.Random(5).randbytes(750_000)
    return {
        "prose (docs/*.md)": prose,
        "table of numbers, 4.7 MB": "\n".join(",".join(str((i * 7919 + j) % 99991) for j in range(8))
                                              for i in range(100_000)),
        "JSON events with UUIDs, 1.4 MB": json.dumps(
            [{"event_id": str(uuid.UUID(int=7919 * i + 1)), "ts": 1733470000 + i, "type": "click"}
             for i in range(20_000)]),
        "log with digests, 1 MB": "\n".join(
            f"12:00:{i % 60:02d} got {hashlib.sha256(str(i).encode()).hexdigest()}" for i in range(12_000)),
        "base64 of 750 KB (decoded)": base64.encodebytes(noise).decode(),
        "base85 of 750 KB (held)": base64.b85encode(noise).decode(),
    }


def _median_ms(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    print(f"{'text':34s} {'chars':>9s} {'payloads ms':>12s} {'unread ms':>10s} {'ratio':>6s}")
    for name, text in _texts().items():
        spans: list[tuple[int, int]] = []
        list(embedded.payloads(text, spans))
        search = _median_ms(lambda text=text: list(embedded.payloads(text)), args.runs)
        judge = _median_ms(lambda text=text, spans=spans: embedded.unread_encoded(text, spans), args.runs)
        print(f"{name:34s} {len(text):9d} {search:12.1f} {judge:10.1f} {judge / search:6.2f}")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
