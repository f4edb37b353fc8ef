"""Cost of the marking vocabulary: CPU time of the marking engine over texts whose words
open its rules without being markings.

    .venv/bin/python bench/vocabulary.py [--runs 5] [--baseline REF]

Each text is scanned by the marking engine of this tree and, with ``--baseline REF``, of
the checkout at git revision REF (say the commit before a vocabulary change), each in a
process of its own, alternating, in one run; medians of --runs CPU times. The texts:
English business prose with occasional near-miss words; prose in the languages of the
vocabulary whose everyday words are also trigger words (draft, özel, tajno, rahasia, sulit,
proiect, 秘书, 密码, 案内, กลับ, نویسنده); a CJK text of notices.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from checkouts import baseline_tree  # noqa: E402

ROOT = HERE.parent
WORLD = [
    "The draft beer list changes weekly; information about the format is on the website.",
    "Özel günler için hediye önerileri ve özel indirimler bu hafta geçerlidir.",
    "Sastanak je održan tajno; sekretarijat je poslao interno pismo i obavijest.",
    "Rahasia sukses bisnis adalah konsistensi; soal ini sulit tetapi terbatas waktunya.",
    "Proiect finanțat din fonduri europene; proiectul continuă în 2026 cu un nou konsep.",
    "秘书处发布了会议通知，请大家修改密码，并参阅内部控制制度的相关方案。",
    "社内のご案内：秘書課から、提案書の草案についてのお知らせです。",
    "เดินทางกลับบ้านอย่างปลอดภัย ขอบคุณที่ใช้บริการ กลับมาใหม่นะ",
    "نویسنده این کتاب یک سری مقاله درباره محرمانه بودن اطلاعات نوشته است.",
    "Mật ong rừng nguyên chất; dự thảo kế hoạch thể thao được giới thiệu.",
    "Projektas finansuojamas ES lėšomis; projekts turpinās; piiratud parkimine.",
]
CJK = ("各单位：现将有关事项通知如下。一、提高认识，加强领导。二、密切配合，认真落实方案。"
       "三、请于本月底前将落实情况报送办公室。秘书处联系电话：6688 1234。\n")

WORKER = r"""
import json, random, statistics, sys, time
sys.path.insert(0, ".")
from filters.engines.markings import MarkingEngine
from filters.rules import load_rules
from filters.types import Part
engine = MarkingEngine(load_rules())
texts = json.loads(sys.stdin.read())
out = {}
for name, text in texts.items():
    part = Part(origin="bench", text=text, role="body")
    list(engine.scan(part))  # warm: compiled patterns, first-use caches
    start = time.process_time()
    hits = len(list(engine.scan(part)))
    out[name] = (time.process_time() - start, hits)
print(json.dumps(out))
"""


def texts(seed: int = 7) -> dict[str, str]:
    """The benchmark texts, the same in every process (deterministic)."""
    sys.path.insert(0, str(ROOT))
    from bench.scan import prose

    rng = random.Random(seed)
    world_lines = [rng.choice(WORLD) for _ in range(20000)]
    return {
        "English prose, 4 MB": prose(rng, 4_000_000 // 7),
        "everyday trigger words, 11 languages, 1.9 MB": "\n".join(world_lines),
        "Chinese notices, 1.3 MB": CJK * 4000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per tree (median reported)")
    parser.add_argument("--baseline", metavar="REF", help="also time the checkout at git revision REF")
    args = parser.parse_args()
    payload = json.dumps(texts())
    with tempfile.TemporaryDirectory() as work:
        trees = {"this tree": ROOT}
        if args.baseline:
            trees[f"baseline {args.baseline}"] = baseline_tree(args.baseline, Path(work) / "baseline")
        times: dict[str, dict[str, list[float]]] = {t: {} for t in trees}
        hits: dict[str, dict[str, int]] = {t: {} for t in trees}
        for _ in range(args.runs):
            for label, tree in trees.items():  # alternate trees: load changes hit both alike
                run = subprocess.run([sys.executable, "-c", WORKER], cwd=tree, input=payload,
                                     capture_output=True, text=True, check=True)
                for name, (cpu, count) in json.loads(run.stdout).items():
                    times[label].setdefault(name, []).append(cpu)
                    hits[label][name] = count
    names = list(json.loads(payload))
    ratio = "   ratio" if args.baseline else ""
    print(f"{'text':<48}" + "".join(f"{label:>24}" for label in trees) + ratio)
    for name in names:
        medians = [statistics.median(times[label][name]) for label in trees]
        row = f"{name:<48}" + "".join(f"{m:>17.3f} CPU s" for m in medians)
        if args.baseline:
            row += f"   {medians[0] / medians[1]:.2f}x"
        print(row)
    print("hits: " + "; ".join(f"{label}: {sum(hits[label].values())}" for label in trees))


if __name__ == "__main__":
    main()
