"""Cost of reading bytes written as lists of numbers, on texts with and without such lists.

    .venv/bin/python bench/number_lists.py [--runs 7]

For each text, in one process and side by side (alternating): the median CPU
milliseconds of ``embedded.payloads`` without the reader of number lists (its search
replaced by one that finds nothing) and with it, and their ratio.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from filters import embedded, number_lists

ROOT = Path(__file__).resolve().parent.parent
MB = 1_000_000


def _texts() -> dict[str, str]:
    prose = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md")))
    rng = random.Random(5)
    small = "\n".join(",".join(str(rng.randrange(256)) for _ in range(8)) for _ in range(60_000))
    large = "\n".join(",".join(str((i * 7919 + j) % 99991) for j in range(8)) for i in range(30_000))
    document = rng.randbytes(250_000)
    return {
        "prose 1 MB (docs/*.md)": (prose * (MB // len(prose) + 1))[:MB],
        "prose 20 KB (a mail)": prose[:20_000],
        "CSV of figures 0-255, 1 MB": small[:MB],
        "CSV of figures to 99990, 1 MB": large[:MB],
        "file of 250 KB as list(bytes) (decoded)": str(list(b"PK\x03\x04" + document)),
    }


def _cpu_ms(function) -> float:
    start = time.process_time()
    function()
    return (time.process_time() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    reader = number_lists.byte_lists

    def without(*_args, **_kwargs):
        return iter(())

    print(f"{'text':42} {'without ms':>10} {'with ms':>10} {'ratio':>6}")
    for name, text in _texts().items():
        off, on = [], []
        for _ in range(args.runs):
            number_lists.byte_lists = without
            off.append(_cpu_ms(lambda text=text: list(embedded.payloads(text))))
            number_lists.byte_lists = reader
            on.append(_cpu_ms(lambda text=text: list(embedded.payloads(text))))
        before, after = statistics.median(off), statistics.median(on)
        print(f"{name:42} {before:10.2f} {after:10.2f} {after / before:6.2f}")


if __name__ == "__main__":
    main()
