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

``--baseline REF`` adds the engine as it was at git revision REF (its
filters/engines/personal.py loaded from the repository's history) as a third pipeline in
the same alternation, so a change's before and after are measured side by side.
"""

from __future__ import annotations

import argparse
import copy
import datetime
import importlib.util
import random
import statistics
import subprocess
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


def _baseline_engine(ref: str, tmp: Path) -> object:
    """The personal engine as it was at git revision ``ref`` (with its search module)."""
    root = Path(__file__).resolve().parent.parent
    engine_dir = tmp / "baseline"
    engine_dir.mkdir()
    for name in ("personal.py", "personal_search.py", "personal_scan.py", "personal_formats.py"):
        shown = subprocess.run(["git", "-C", str(root), "show", f"{ref}:filters/engines/{name}"],
                               capture_output=True, text=True)
        if shown.returncode == 0:
            # The old modules import each other by their package path: rename to ours.
            source = shown.stdout.replace("filters.engines.personal_search",
                                          "redline_baseline_search")
            source = source.replace("from filters.engines import personal_scan",
                                    "import redline_baseline_scan as personal_scan")
            # The formats read beside a label are the engine's too: the revision's own.
            source = source.replace("from filters.engines import personal_formats",
                                    "import redline_baseline_formats as personal_formats")
            source = source.replace("from filters.engines.personal import",
                                    "from redline_baseline import")
            (engine_dir / name).write_text(source)
    modules = {}
    for module_name, file_name in (("redline_baseline_formats", "personal_formats.py"),
                                   ("redline_baseline", "personal.py"),
                                   ("redline_baseline_search", "personal_search.py"),
                                   ("redline_baseline_scan", "personal_scan.py")):
        path = engine_dir / file_name
        if path.exists():
            spec = importlib.util.spec_from_file_location(module_name, path)
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            sys.modules[module_name] = module
            modules[module_name] = (spec, module)
    for spec, module in modules.values():
        spec.loader.exec_module(module)  # type: ignore[union-attr]
    return sys.modules["redline_baseline"].PersonalEngine()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per row (median reported)")
    parser.add_argument("--megabytes", type=int, default=20, help="size of each input")
    parser.add_argument("--input", action="append", metavar="WORD",
                        help="only the inputs whose name holds WORD (repeatable)")
    parser.add_argument("--cpu", action="store_true",
                        help="time by the process's CPU time, not the wall clock (on a "
                             "shared machine the wall clock also counts other people's work)")
    parser.add_argument("--baseline", metavar="REF",
                        help="also scan with the engine as it was at this git revision")
    args = parser.parse_args()
    rules = load_rules()
    without = build_pipeline(FiltersConfig.from_mapping({"personal": {"enabled": False}}),
                             rules=rules)
    with_engine = build_pipeline(FiltersConfig.from_mapping({}), rules=rules)
    with tempfile.TemporaryDirectory(prefix="redline-bench-") as tmp:
        pipelines = [("without", without), ("with", with_engine)]
        if args.baseline:
            before = copy.copy(without)
            before.text_engines = (*without.text_engines,
                                   _baseline_engine(args.baseline, Path(tmp)))
            pipelines.insert(1, ("before", before))
        header = (f"{'input':<26}{'MB':>6}{'without MB/s':>14}"
                  + (f"{'before MB/s':>13}{'ratio':>7}" if args.baseline else "")
                  + f"{'with MB/s':>11}{'ratio':>7}  verdict with the engine")
        print(header)
        print("-" * len(header))
        for name, (row, head) in INPUTS.items():
            if args.input and not any(word in name for word in args.input):
                continue
            path = _write(Path(tmp) / f"{name.replace(' ', '-')}.csv", args.megabytes * MB,
                          row, head)
            size = path.stat().st_size / MB
            times: dict[str, list[float]] = {label: [] for label, _ in pipelines}
            verdict = ""
            clock = time.process_time if args.cpu else time.perf_counter
            for run in range(args.runs + 1):
                for label, pipeline in pipelines:
                    started = clock()
                    result = pipeline.scan_file(path)
                    if run:  # the first run warms caches and is not counted
                        times[label].append(clock() - started)
                    if label == "with":
                        found = sorted({h.rule for h in result.hits if h.category == "personal"})
                        verdict = ", ".join([result.action, *found])
            medians = {label: statistics.median(times[label]) for label, _ in pipelines}
            base = medians["without"]
            line = f"{name:<26}{size:>6.1f}{size / base:>14.1f}"
            if args.baseline:
                line += f"{size / medians['before']:>13.1f}{base / medians['before']:>7.2f}"
            print(f"{line}{size / medians['with']:>11.1f}{base / medians['with']:>7.2f}"
                  f"  {verdict}")
        print(f"\nmedians of {args.runs} runs (after one warm-up), each run alternating the "
              f"pipelines; ratio = MB/s against without"
              f"{'; timed by CPU seconds' if args.cpu else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
