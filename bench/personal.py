"""Personal-data engine benchmark: scan throughput with and without the engine.

    bash scripts/bench.sh personal        (or: .venv/bin/python bench/personal.py [--runs 7])

Each row scans one generated file with the full pipeline twice per run, once built with
``[personal] enabled = false`` and once with the engine, alternating so both see the
same machine load; the table shows medians of --runs runs and their ratio (the share of
the scan's throughput that remains with the engine). The inputs, all seeded:

- mixed numbers: a 20 MB CSV export of the numbers business files are full of: order
  and tracking numbers, ISBNs, timestamps, amounts, phone numbers with extensions,
  16-digit references and 18-digit request ids (random, so a few look valid by chance);
- numeric worst case: 20 MB of nothing but 16- and 18-digit random numbers;
- customer register: 20 MB of invented Chinese and Spanish customers (names, addresses,
  ID, DNI, IBAN and card numbers), which the engine holds.
"""

from __future__ import annotations

import argparse
import datetime
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from filters.build import FiltersConfig, build_pipeline
from filters.rules import load_rules
from tests.fixtures import personal as data

MB = 1024 * 1024


def _write(path: Path, size: int, row: Callable[[random.Random], str], header: str) -> Path:
    rng = random.Random(2026)
    written = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(header + "\r\n")
        while written < size:
            line = row(rng) + "\r\n"
            out.write(line)
            written += len(line.encode("utf-8"))
    return path


def mixed_numbers(rng: random.Random) -> str:
    return ",".join((
        data.order_number(rng), data.tracking_number(rng), data.isbn13(rng),
        f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} {rng.randint(0, 23):02d}:"
        f"{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}",
        f"{rng.randint(1, 999_999) / 100:.2f}", str(rng.randint(1, 50)),
        f"+34 91 {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
        f"ext. {rng.randint(10, 9999)}",
        data.random_digits(rng, 16), data.random_digits(rng, 18), data.timestamp_digits(rng)))


def numeric_worst_case(rng: random.Random) -> str:
    return ",".join(data.random_digits(rng, 16 + 2 * (i % 2)) for i in range(8))


TODAY = datetime.date.today()


def customers(rng: random.Random) -> str:
    cn = data.chinese_people(rng, 1, TODAY)[0]
    es = data.spanish_people(rng, 1)[0]
    return (f"{cn.name},{cn.id_number},{cn.mobile},{cn.address},{es.name},{es.dni},{es.iban},"
            f"{es.card},{es.address}")


INPUTS = {
    "mixed numbers CSV": (
        mixed_numbers, "order,tracking,isbn,time,amount,qty,phone,reference,request_id,stamp"),
    "numeric worst case CSV": (numeric_worst_case, "a,b,c,d,e,f,g,h"),
    "customer register CSV": (
        customers, "姓名,身份证号,手机,地址,Nombre,DNI,IBAN,Tarjeta,Dirección"),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per row (median reported)")
    parser.add_argument("--megabytes", type=int, default=20, help="size of each input")
    args = parser.parse_args()
    rules = load_rules()
    without = build_pipeline(FiltersConfig.from_mapping({"personal": {"enabled": False}}),
                             rules=rules)
    with_engine = build_pipeline(FiltersConfig.from_mapping({}), rules=rules)
    with tempfile.TemporaryDirectory(prefix="redline-bench-") as tmp:
        header = (f"{'input':<26}{'MB':>6}{'without MB/s':>14}{'with MB/s':>11}{'ratio':>7}"
                  f"  verdict with the engine")
        print(header)
        print("-" * len(header))
        for name, (row, head) in INPUTS.items():
            path = _write(Path(tmp) / f"{name.replace(' ', '-')}.csv", args.megabytes * MB,
                          row, head)
            size = path.stat().st_size / MB
            times: dict[str, list[float]] = {"without": [], "with": []}
            verdict = ""
            for run in range(args.runs + 1):
                for label, pipeline in (("without", without), ("with", with_engine)):
                    started = time.perf_counter()
                    result = pipeline.scan_file(path)
                    if run:  # the first run warms caches and is not counted
                        times[label].append(time.perf_counter() - started)
                    if label == "with":
                        found = sorted({h.rule for h in result.hits if h.category == "personal"})
                        verdict = ", ".join([result.action, *found])
            base, engine = (statistics.median(times[k]) for k in ("without", "with"))
            print(f"{name:<26}{size:>6.1f}{size / base:>14.1f}{size / engine:>11.1f}"
                  f"{base / engine:>7.2f}  {verdict}")
        print(f"\nmedians of {args.runs} runs (after one warm-up); ratio = with / without")
    return 0


if __name__ == "__main__":
    sys.exit(main())
