"""OCR time limits under load: a scanned page read beside CPU hogs on the same core.

    .venv/bin/python bench/ocr_under_load.py [--runs 3] [--hogs 1]

This process and ``--hogs`` busy-looping processes are bound to CPU 0 (taskset), so the
reading gets a fraction of a core, as a scanner does on a loaded machine. One 150 dpi A4
page of English is read with the default [limits] two ways, side by side in each run:
``wall_factor = 1`` (the limits in wall seconds, as before they counted CPU seconds) and
the default ``wall_factor``. Each row gives the median CPU and wall seconds of the
reading and how many runs were held (limit.ocr_page_seconds). The load average at the
end tells how busy the rest of the machine was.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from filters.build import FiltersConfig, build_pipeline
from filters.limits import DEFAULT_WALL_FACTOR, Budget, Limits
from filters.ocr import read_for_item
from tests.fixtures import images as pictures


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--hogs", type=int, default=1)
    args = parser.parse_args()
    os.sched_setaffinity(0, {0})
    reader = build_pipeline(FiltersConfig.from_mapping({})).ocr
    if reader is None:
        sys.exit("OCR is not active (scripts/setup.sh installs it)")
    reader.load_layout()
    reader.load_every_handle()  # once per scanner process: not the page's time
    page = pictures.scanned(pictures.text_page([pictures.BODY_EN]))
    hogs = [subprocess.Popen(["taskset", "-c", "0", sys.executable, "-c", "while True: pass"])
            for _ in range(args.hogs)]
    rows: dict[float, list[tuple[float, float, bool]]] = {1.0: [], DEFAULT_WALL_FACTOR: []}
    try:
        time.sleep(0.5)
        for _ in range(args.runs):
            for factor, results in rows.items():
                budget = Budget(Limits(wall_factor=factor), ocr=reader)
                cpu, wall = time.thread_time(), time.monotonic()
                _, defect = read_for_item(budget, page, "page.png")
                results.append((time.thread_time() - cpu, time.monotonic() - wall,
                                defect is not None))
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()
    print(f"{'wall_factor':>11} {'CPU s':>6} {'wall s':>7} {'held':>6}")
    for factor, results in rows.items():
        print(f"{factor:>11g} {statistics.median(r[0] for r in results):>6.2f} "
              f"{statistics.median(r[1] for r in results):>7.2f} "
              f"{sum(r[2] for r in results):>3}/{len(results)}")
    print("load average:", " ".join(f"{x:.1f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
