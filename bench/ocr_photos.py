"""Photographs with a marking put on them, and photographs without: held and passed, and
the CPU each costs, as a scanner reads them (survey, then whatever passes it runs).

    .venv/bin/python bench/ocr_photos.py [--runs 3] [--baseline REF] [--list DIR] [--held-out]

The pictures are drawn from fixed seeds (tests/fixtures/images.py) and each taken through
``camera``: a slight perspective, blur, uneven light, sensor noise, JPEG at quality 65-85.

Marked (must be held): dark or low-contrast words on a landscape's sky, white words on a
busy photograph and on a street, a red 机密★10年 stamp on a busy photograph. Clean (must
pass): landscapes, busy photographs, streets of windows in rows (which a text detector
can take for letters), and the same photographs with words that are no marking (a
caption, a place name, a 已审核 stamp). A false hold on a plain photograph costs more than
a missed find: the table counts both.

``--held-out`` scans a second set instead (``held_out_cases``: 28 marked, 16 clean), drawn
apart from the first to check a change to the detector on pictures it was not tuned on.

``--baseline REF`` runs the same pictures through git revision REF (or a folder) beside
this tree, one child process per tree and run, alternating, so a shared machine's load
swings hit both alike. CPU is the child's own (Tesseract runs one thread), the median per
picture over --runs runs; held is the last run's.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TREE = Path(os.environ.get("REDLINE_OCR_BENCH_TREE") or ROOT)
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from checkouts import baseline_tree  # noqa: E402

# The pictures are this tree's (a baseline's fixtures may lack them); what reads them is
# TREE's: its filters package is put first once the fixtures are loaded.
from tests.fixtures import images as pictures  # noqa: E402

if TREE != ROOT:
    sys.path.insert(0, str(TREE))

MARKINGS = ("SECRET", "CONFIDENTIAL", "TOP SECRET", "RESTRICTED")
CAPTIONS = ("LAKE VIEW", "Summer 2025", "HOLIDAY", "Best wishes")
SIZES = ((1600, 1200), (1800, 1200), (1200, 900))


def cases() -> list[tuple[str, str, bool, bytes]]:
    """(name, group, marked, JPEG bytes) of every picture, the same on every call."""
    out: list[tuple[str, str, bool, bytes]] = []

    def add(group: str, marked: bool, index: int, image, seed: int) -> None:
        out.append((f"{group}-{index}", group, marked, pictures.camera(image, seed=seed)))

    for i in range(6):  # dark words on the sky
        photo = pictures.landscape_photo(seed=100 + i, size=SIZES[i % 3])
        add("sky-dark", True, i, pictures.words_on_photo(
            photo, MARKINGS[i % 4], fill=(30 + 5 * i, 35, 55), size=70 + 8 * i,
            at=(0.35 + 0.06 * i, 0.18 + 0.02 * i)), 200 + i)
    for i in range(6):  # low-contrast words on the sky: a shade darker, or pale and thin
        photo = pictures.landscape_photo(seed=110 + i, size=SIZES[i % 3])
        fill = (40, 75, 100) if i % 2 == 0 else (255, 255, 255, 110)
        add("sky-faint", True, i, pictures.words_on_photo(
            photo, MARKINGS[(i + 1) % 4], fill=fill, size=80 + 6 * i,
            at=(0.4 + 0.04 * i, 0.2)), 210 + i)
    for i in range(6):  # white words on a busy photograph
        photo = pictures.grain_photo(seed=120 + i, size=SIZES[i % 3])
        add("busy-white", True, i, pictures.words_on_photo(
            photo, MARKINGS[(i + 2) % 4], fill=(255, 255, 255, 255 - 15 * i), size=90 + 8 * i,
            at=(0.5, 0.3 + 0.08 * i)), 220 + i)
    for i in range(4):  # white words on a street
        photo = pictures.city_photo(seed=130 + i, size=SIZES[i % 3])
        add("street-white", True, i, pictures.words_on_photo(
            photo, MARKINGS[(i + 3) % 4], fill=(255, 255, 255), size=90 + 10 * i,
            at=(0.5, 0.6)), 230 + i)
    for i in range(6):  # a red stamp on a busy photograph
        photo = pictures.grain_photo(seed=140 + i, size=SIZES[i % 3]).convert("RGBA")
        stamp = pictures.red_stamp("机密" if i % 2 == 0 else "绝密", below="★10年",
                                   angle=(-1) ** i * (6 + 3 * i))
        photo.alpha_composite(stamp, (photo.width - stamp.width - 100 - 60 * i, 80 + 40 * i))
        add("busy-stamp", True, i, photo.convert("RGB"), 240 + i)

    for i in range(8):
        add("landscape", False, i, pictures.landscape_photo(seed=300 + i, size=SIZES[i % 3]), 400 + i)
    for i in range(8):
        add("busy", False, i, pictures.grain_photo(seed=310 + i, size=SIZES[i % 3]), 410 + i)
    for i in range(6):
        add("street", False, i, pictures.city_photo(seed=320 + i, size=SIZES[i % 3]), 420 + i)
    for i in range(4):  # the same kinds of words, no marking
        photo = pictures.landscape_photo(seed=330 + i, size=SIZES[i % 3])
        add("sky-caption", False, i, pictures.words_on_photo(
            photo, CAPTIONS[i], fill=(35, 35, 55), size=80, at=(0.45, 0.2)), 430 + i)
    for i in range(4):
        photo = pictures.grain_photo(seed=340 + i, size=SIZES[i % 3])
        add("busy-caption", False, i, pictures.words_on_photo(
            photo, CAPTIONS[i], fill=(255, 255, 255), size=100, at=(0.5, 0.5)), 440 + i)
    for i in range(2):
        photo = pictures.grain_photo(seed=350 + i, size=SIZES[i % 3]).convert("RGBA")
        stamp = pictures.red_stamp("已审核", below="")
        photo.alpha_composite(stamp, (photo.width - stamp.width - 150, 120))
        add("busy-stamp-clean", False, i, photo.convert("RGB"), 450 + i)
    return out


HELD_OUT_FONTS = ("/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
         "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed-Bold.ttf",
         "/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf",
         "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
HELD_OUT_MARKINGS = ("SECRET", "CONFIDENTIAL", "TOP SECRET", "RESTRICTED", "STRICTLY CONFIDENTIAL")
HELD_OUT_CAPTIONS = ("City Hall", "Day 3", "GRAND CANYON", "Happy Birthday", "Welcome home",
            "SUNSET 2024", "Team outing", "NORTH BEACH")
HELD_OUT_SIZES = ((1400, 1050), (2000, 1500), (1024, 768), (1600, 900))


def _background(kind: str, seed: int, size: tuple[int, int]):
    if kind == "sky":
        return pictures.landscape_photo(seed=seed, size=size)
    if kind == "busy":
        return pictures.grain_photo(seed=seed, size=size)
    if kind == "smooth":
        return pictures.smooth_photo(seed=seed, size=size)
    return pictures.city_photo(seed=seed, size=size)


def held_out_cases() -> list[tuple[str, str, bool, bytes]]:
    """A second set, kept apart from the first when the detector was changed: other seeds,
    fonts, sizes, small turns, colours, backgrounds (smooth photos too) and stamps."""
    rng = random.Random(20261206)
    out = []
    for i in range(24):
        kind = ("sky", "busy", "smooth", "street")[i % 4]
        size = HELD_OUT_SIZES[rng.randrange(4)]
        photo = _background(kind, 5000 + i, size)
        light = kind != "sky" or rng.random() < 0.3
        if light:
            fill = rng.choice([(255, 255, 255), (250, 245, 225), (255, 255, 255, 200), (235, 235, 235)])
        else:
            fill = rng.choice([(20, 20, 25), (50, 40, 70), (25, 45, 90)])
        text = rng.choice(HELD_OUT_MARKINGS)
        at = (rng.uniform(0.35, 0.65), rng.uniform(0.15, 0.8) if kind != "sky" else rng.uniform(0.12, 0.3))
        photo = pictures.words_on_photo(photo, text, fill=fill, size=rng.randint(60, 120), at=at,
                                        angle=rng.uniform(-4, 4), path=rng.choice(HELD_OUT_FONTS))
        out.append((f"ho-{kind}-{i}", f"ho-{kind}", True, pictures.camera(photo, seed=6000 + i)))
    for i in range(4):  # red stamps on photographs
        kind = ("busy", "sky", "smooth", "street")[i]
        photo = _background(kind, 5100 + i, HELD_OUT_SIZES[i]).convert("RGBA")
        level = rng.choice(["机密", "绝密", "秘密"])
        stamp = pictures.red_stamp(level, below=rng.choice(["★5年", "★20年", "★长期"]),
                                   angle=rng.uniform(-25, 25), dpi=rng.choice([130, 170]))
        photo.alpha_composite(stamp, (rng.randrange(50, photo.width - stamp.width - 50),
                                      rng.randrange(50, photo.height - stamp.height - 50)))
        out.append((f"ho-stamp-{i}", "ho-stamp", True, pictures.camera(photo.convert("RGB"), seed=6100 + i)))
    for i in range(16):  # clean: plain photographs, and captions
        kind = ("sky", "busy", "smooth", "street")[i % 4]
        photo = _background(kind, 5200 + i, HELD_OUT_SIZES[rng.randrange(4)])
        if i >= 8:
            fill = (255, 255, 255) if kind != "sky" else (30, 30, 40)
            caption = rng.choice(HELD_OUT_CAPTIONS)
            photo = pictures.words_on_photo(photo, caption, fill=fill, size=rng.randint(60, 110),
                                            at=(rng.uniform(0.35, 0.65), rng.uniform(0.15, 0.8)),
                                            angle=rng.uniform(-4, 4), path=rng.choice(HELD_OUT_FONTS))
        out.append((f"hc-{kind}-{i}", f"hc-{kind}", False, pictures.camera(photo, seed=6200 + i)))
    return out


def run_once() -> list[tuple[str, str, bool, bool, float, float]]:
    """(name, group, marked, held, CPU s, OCR s) of each picture scanned by this process's
    tree, as a scanner scans it; the engines are loaded before the first timed picture."""
    from filters.types import Part

    pipeline = pictures.ocr_pipeline()
    warm = pictures.encode(pictures.text_page([pictures.BODY_EN]), "PNG")
    pipeline.scan(Part(origin="warm.png", data=warm, name="warm.png"))
    rows = []
    chosen = held_out_cases() if os.environ.get("REDLINE_OCR_BENCH_SET") == "held-out" else cases()
    for name, group, marked, data in chosen:
        started = time.process_time()
        verdict = pipeline.scan(Part(origin=f"{name}.jpg", data=data, name=f"{name}.jpg"))
        cpu = time.process_time() - started
        held = verdict.action != "pass"
        rows.append((name, group, marked, held, cpu, float(verdict.stats.ocr_seconds)))
    return rows


def child(tree: Path) -> list[list]:
    done = subprocess.run([sys.executable, __file__, "--child"], capture_output=True, text=True,
                          env={**os.environ, "REDLINE_OCR_BENCH_TREE": str(tree)}, timeout=3600)
    if done.returncode != 0:
        raise SystemExit(f"bench: {tree} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


def table(trees: dict[str, Path], runs: int) -> None:
    results: dict[str, list[list[list]]] = {label: [] for label in trees}
    for run in range(runs):
        for label, tree in trees.items():
            results[label].append(child(tree))
            print(f"  run {run + 1}: {label} done", file=sys.stderr, flush=True)
    labels = list(trees)
    groups: dict[str, tuple[bool, list[str]]] = {}
    for name, group, marked, *_ in results[labels[0]][0]:
        groups.setdefault(group, (marked, []))[1].append(name)

    def cpu_of(label: str, name: str) -> float:
        return statistics.median(row[4] for rows in results[label] for row in rows if row[0] == name)

    def held_of(label: str, name: str) -> bool:
        return next(row[3] for row in results[label][-1] if row[0] == name)

    head = " | ".join(f"held {label} | CPU s median (max) {label}" for label in labels)
    print(f"Photographs, held of each group ({runs} runs; CPU s per picture, median of runs, "
          "then the median and max of the group)\n")
    print(f"| group            | marked | pictures | {head} |")
    print("|------------------|--------|---------:|" + "---:|---:|" * len(labels))
    totals = {label: [0, 0, []] for label in labels}  # held marked, held clean, cpus
    for group, (marked, names) in groups.items():
        cells = []
        for label in labels:
            held = sum(held_of(label, n) for n in names)
            cpus = [cpu_of(label, n) for n in names]
            totals[label][0 if marked else 1] += held
            totals[label][2].extend(cpus)
            cells.append(f"{held}/{len(names)} | {statistics.median(cpus):.2f} ({max(cpus):.2f})")
        print(f"| {group:<16} | {'yes' if marked else 'no':<6} | {len(names):>8} | {' | '.join(cells)} |")
    marked_n = sum(len(n) for m, n in groups.values() if m)
    clean_n = sum(len(n) for m, n in groups.values() if not m)
    print()
    for label in labels:
        held_marked, held_clean, cpus = totals[label]
        print(f"{label}: marked held {held_marked}/{marked_n}, clean passed "
              f"{clean_n - held_clean}/{clean_n}, CPU s per picture median {statistics.median(cpus):.2f}, "
              f"mean {statistics.mean(cpus):.2f}, max {max(cpus):.2f}")
    for label in labels:
        wrong = [n for n, (m, names) in ((n, groups[g]) for g in groups for n in groups[g][1])
                 if held_of(label, n) != m]
        print(f"{label}: not as labelled: {', '.join(sorted(set(wrong))) or 'none'}")
    load = os.getloadavg()
    print(f"\nload average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per tree; CPU is their median")
    parser.add_argument("--baseline", metavar="REF", help="git revision or folder to run beside this tree")
    parser.add_argument("--list", metavar="DIR", help="write the pictures to DIR and stop")
    parser.add_argument("--held-out", action="store_true",
                        help="the second set (held_out_cases) instead of the first")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.held_out:
        os.environ["REDLINE_OCR_BENCH_SET"] = "held-out"
    missing = pictures.fonts_missing()
    if missing:
        print(f"bench: {missing}", file=sys.stderr)
        return 2
    if args.child:
        print(json.dumps(run_once()))
        return 0
    if args.list:
        Path(args.list).mkdir(parents=True, exist_ok=True)
        for name, _, _, data in (held_out_cases() if args.held_out else cases()):
            Path(args.list, f"{name}.jpg").write_bytes(data)
        return 0
    with tempfile.TemporaryDirectory(prefix="redline-ocr-photos-") as tmp:
        trees = {"this tree": ROOT}
        if args.baseline:
            trees = {"before": baseline_tree(args.baseline, Path(tmp) / "baseline"), "after": ROOT}
        table(trees, args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
