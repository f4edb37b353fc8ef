"""Scanner CPU per mail for three common shapes, this tree beside another revision.

    .venv/bin/python bench/scan_mail.py [--baseline REF] [--rounds 5] [--mails 300]

Shapes: a plain 10 KB text mail, a short HTML mail (multipart/alternative) and a short
mail with a small docx attached. Each round starts one process per tree (the baseline
first, then this tree, alternating); a process builds the pipeline ``redline serve``
builds with OCR off, scans every shape 30 times to warm up, then times --mails scans of
each shape with its own CPU clock (time.process_time), in ten blocks taking turns
between the shapes; a process's figure is its median block. The table gives the median over
rounds of CPU microseconds per mail and the per-round ratio (median and range).
The SMTP session, the relay and the copy to a scanner are not in these figures.
"""

from __future__ import annotations

import argparse
import email.message
import gc
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

SHAPES = ("plain 10 KB", "short HTML", "small docx")


def _mails() -> dict[str, bytes]:
    from scan import make_docx, prose

    rng = random.Random(7)

    def headers(msg: email.message.EmailMessage) -> email.message.EmailMessage:
        msg["From"] = "analyst@example.org"
        msg["To"] = "partner@example.com"
        msg["Subject"] = "Weekly planning notes"
        msg["Message-ID"] = "<4f1c2a9e7b@example.org>"
        return msg

    plain = headers(email.message.EmailMessage())
    plain.set_content(prose(rng, 10_000 // 7))
    html = headers(email.message.EmailMessage())
    text = prose(rng, 120)
    html.set_content(text)
    paragraphs = "".join(f"<p>{line}</p>" for line in text.splitlines())
    html.add_alternative(f"<html><body><div>{paragraphs}</div></body></html>", subtype="html")
    # A fixed boundary: the random one's digits decide whether the identifier scanner reads
    # the Content-Type header, which alone moved this shape's figure by a tenth.
    html.set_boundary("=_redline_bench_boundary")
    docx = headers(email.message.EmailMessage())
    docx.set_content(prose(rng, 60))
    docx.add_attachment(make_docx(rng, 12, 0), maintype="application",
                        subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
                        filename="notes.docx")
    return {name: msg.as_bytes() for name, msg in zip(SHAPES, (plain, html, docx), strict=False)}


def _child(folder: str, mails: int) -> None:
    """(In the timed process, run from the tree measured.) Print {shape: CPU s per mail}."""
    from filters.build import build_pipeline
    from filters.types import Part
    from gateway.config import load_config

    with tempfile.NamedTemporaryFile("w", suffix=".toml") as settings:
        settings.write("[ocr]\nenabled = false\n")
        settings.flush()
        pipeline = build_pipeline(load_config(Path(settings.name)).filters, lazy=False)
    data = {shape: (Path(folder) / f"{i}.eml").read_bytes() for i, shape in enumerate(SHAPES)}

    def scan(shape: str) -> None:
        pipeline.scan(Part(origin="mail", data=data[shape], name="mail.eml",
                           declared_type="message/rfc822"))

    gc.freeze()  # as a scanner process does after its fork
    for shape in SHAPES:
        for _ in range(30):
            scan(shape)
    # The shapes take turns in ten blocks; the median block stands for the process, so a
    # burst of load on the shared cores moves one block, not the figure.
    blocks: dict[str, list[float]] = {shape: [] for shape in SHAPES}
    for _ in range(10):
        for shape in SHAPES:
            started = time.process_time()
            for _ in range(max(1, mails // 10)):
                scan(shape)
            blocks[shape].append((time.process_time() - started) / max(1, mails // 10))
    spent = {shape: statistics.median(times) for shape, times in blocks.items()}
    print(json.dumps(spent))


def _run(tree: Path, folder: Path, mails: int) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=str(tree))
    done = subprocess.run(
        [sys.executable, str(BENCH / "scan_mail.py"), "--child", str(folder),
         "--mails", str(mails)], capture_output=True, text=True, env=env, cwd=tree)
    if done.returncode != 0:
        raise SystemExit(f"bench: scanning with {tree} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="", help="git revision or tree folder to compare")
    parser.add_argument("--rounds", type=int, default=5, help="processes per tree")
    parser.add_argument("--mails", type=int, default=300, help="timed scans per shape")
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.mails)
        return 0

    from checkouts import baseline_tree

    with tempfile.TemporaryDirectory(prefix="redline-scan-mail-") as tmp:
        folder = Path(tmp) / "mails"
        folder.mkdir()
        for i, data in enumerate(_mails().values()):
            (folder / f"{i}.eml").write_bytes(data)
        trees = {"this tree": ROOT}
        if args.baseline:
            trees = {"baseline": baseline_tree(args.baseline, Path(tmp) / "baseline"), **trees}
        load = os.getloadavg()[0]
        results: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
        for _ in range(args.rounds):
            for name, tree in trees.items():
                results[name].append(_run(tree, folder, args.mails))
        load_end = os.getloadavg()[0]
    print(f"\nScanner CPU µs per mail, OCR off, median of {args.rounds} processes per tree "
          f"({args.mails} timed scans a shape each); load average {load:.1f} at start, "
          f"{load_end:.1f} at the end\n")
    names = list(trees)
    print("| shape | " + " | ".join(names)
          + (" | this / baseline (range over rounds) |" if args.baseline else " |"))
    print("|---|" + "---|" * (len(names) + (1 if args.baseline else 0)))
    for shape in SHAPES:
        cells = [f"{statistics.median(r[shape] for r in results[n]) * 1e6:.0f}" for n in names]
        if args.baseline:
            ratios = sorted(t[shape] / b[shape]
                            for t, b in zip(results["this tree"], results["baseline"], strict=False))
            cells.append(f"{statistics.median(ratios):.2f}x ({ratios[0]:.2f}-{ratios[-1]:.2f})")
        print(f"| {shape} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
