"""Scanner CPU per mail for common shapes, this tree beside another revision.

    .venv/bin/python bench/scan_mail.py [--baseline REF] [--rounds 5] [--mails 300]
        [--size BYTES]

Shapes: a plain 10 KB text mail, a short HTML mail (multipart/alternative) and a short
mail with a small docx attached. With --size (1000000 for a megabyte), four large shapes
of about that many bytes instead, with --mails 30 unless given: lines of one letter,
each led by a digit (what smtp-source sends), a plain-text report (prose, headings,
lines of figures), a CSV export attached (base64, as mail programs send it) and a text
report attached as application/octet-stream in base64. Each round starts one process
per tree (the baseline first, then this tree, alternating); a process builds the
pipeline ``redline serve`` builds with OCR off, scans every shape 30 times (3 with
--size) to warm up, then times --mails scans of each shape with its own CPU clock
(time.process_time), in ten blocks taking turns between the shapes; a process's figure
is its median block. The table gives the median over rounds of CPU microseconds
(milliseconds with --size) per mail and the per-round ratio (median and range). The
SMTP session, the relay and the copy to a scanner are not in these figures.
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
import textwrap
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

SMALL_SHAPES = ("plain 10 KB", "short HTML", "small docx")
LARGE_SHAPES = ("one letter", "report", "CSV", "base64 text")
SHAPES = SMALL_SHAPES  # the --size run names its own (``_shapes``)


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


def _report(rng: random.Random, size: int) -> str:
    """A plain-text report of about ``size`` characters: paragraphs of prose wrapped at 72,
    numbered headings and lines of figures (regions, amounts, percentages, quarters)."""
    from scan import WORDS, prose

    out: list[str] = []
    length = 0
    section = 1
    while length < size:
        roll = rng.random()
        if roll < 0.05:
            line = f"\n{section}. {rng.choice(WORDS).capitalize()} {rng.choice(WORDS)}\n"
            section += 1
        elif roll < 0.2:
            line = (f"Region {rng.randint(1, 40)}: revenue {rng.randint(100, 9999) / 10:.1f} million "
                    f"({rng.choice('+-')}{rng.randint(1, 200) / 10}%), staff {rng.randint(3, 400)}, "
                    f"Q{rng.randint(1, 4)} {rng.randint(2019, 2026)}")
        else:
            line = textwrap.fill(prose(rng, rng.randint(30, 90)).replace("\n", " "), 72) + "\n"
        out.append(line)
        length += len(line) + 1
    return "\n".join(out)


def _csv(rng: random.Random, size: int) -> str:
    """An orders export of about ``size`` characters: ids, dates, names, addresses,
    product codes, quantities and amounts."""
    from scan import WORDS

    rows = ["id,date,customer,email,product,quantity,unit_price,total,region,status"]
    length = 0
    while length < size:
        quantity, price = rng.randint(1, 50), rng.randint(100, 99999) / 100
        row = (f"{1000 + len(rows)},2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d},"
               f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS).capitalize()} Ltd,"
               f"{rng.choice(WORDS)}.{rng.choice(WORDS)}@example.com,SKU-{rng.randint(10000, 99999)},"
               f"{quantity},{price:.2f},{quantity * price:.2f},"
               f"{rng.choice(('North', 'South', 'East', 'West'))},{rng.choice(('shipped', 'open', 'paid'))}")
        rows.append(row)
        length += len(row) + 1
    return "\n".join(rows) + "\n"


def _large_mails(size: int) -> dict[str, bytes]:
    rng = random.Random(11)

    def headers(msg: email.message.EmailMessage) -> email.message.EmailMessage:
        msg["From"] = "analyst@example.org"
        msg["To"] = "partner@example.com"
        msg["Subject"] = "Quarterly report"
        msg["Message-ID"] = "<4f1c2a9e7b@example.org>"
        return msg

    # smtp-source's mail: a few headers, then lines of one letter, each line led by its
    # number's last digit (1 to 9, then 0) as smtp-source writes them. The digits matter:
    # number-list and embedded-number detection read them, a third of this shape's scan.
    numbered = range(80, size, 80)
    lines = b"".join(b"%d" % (end // 80 % 10) + b"X" * 77 + b"\r\n" for end in numbered)
    lines += b"X" * (size - 80 * len(numbered)) + b"\r\n"
    letters = (b"From: <bench@example.org>\r\nTo: <rcpt@example.com>\r\n"
               b"Date: Sun, 6 Dec 2026 10:00:00 +0000\r\nMessage-Id: <1@client.bench.test>\r\n"
               b"Subject: La de da\r\n\r\n" + lines)
    report = headers(email.message.EmailMessage())
    report.set_content(_report(rng, size))
    table = headers(email.message.EmailMessage())
    table.set_content("Attached the orders export.\n")
    table.add_attachment(_csv(rng, size * 3 // 4).encode(), maintype="text", subtype="csv",
                         filename="orders.csv")
    attached = headers(email.message.EmailMessage())
    attached.set_content("Attached the report.\n")
    attached.add_attachment(_report(rng, size * 3 // 4).encode(), maintype="application",
                            subtype="octet-stream", filename="report.txt")
    return dict(zip(LARGE_SHAPES, (letters, report.as_bytes(), table.as_bytes(),
                                   attached.as_bytes()), strict=True))


def _shapes(size: int) -> tuple[str, ...]:
    return LARGE_SHAPES if size else SMALL_SHAPES


def _child(folder: str, mails: int, size: int) -> None:
    """(In the timed process, run from the tree measured.) Print {shape: CPU s per mail}."""
    from filters.build import build_pipeline
    from filters.types import Part
    from gateway.config import load_config

    with tempfile.NamedTemporaryFile("w", suffix=".toml") as settings:
        settings.write("[ocr]\nenabled = false\n")
        settings.flush()
        pipeline = build_pipeline(load_config(Path(settings.name)).filters, lazy=False)
    shapes = _shapes(size)
    data = {shape: (Path(folder) / f"{i}.eml").read_bytes() for i, shape in enumerate(shapes)}

    def scan(shape: str) -> None:
        pipeline.scan(Part(origin="mail", data=data[shape], name="mail.eml",
                           declared_type="message/rfc822"))

    gc.freeze()  # as a scanner process does after its fork
    for shape in shapes:
        for _ in range(3 if size else 30):
            scan(shape)
    # The shapes take turns in ten blocks; the median block stands for the process, so a
    # burst of load on the shared cores moves one block, not the figure.
    blocks: dict[str, list[float]] = {shape: [] for shape in shapes}
    for _ in range(10):
        for shape in shapes:
            started = time.process_time()
            for _ in range(max(1, mails // 10)):
                scan(shape)
            blocks[shape].append((time.process_time() - started) / max(1, mails // 10))
    spent = {shape: statistics.median(times) for shape, times in blocks.items()}
    print(json.dumps(spent))


def _run(tree: Path, folder: Path, mails: int, size: int) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=str(tree))
    done = subprocess.run(
        [sys.executable, str(BENCH / "scan_mail.py"), "--child", str(folder),
         "--mails", str(mails), "--size", str(size)], capture_output=True, text=True, env=env,
        cwd=tree)
    if done.returncode != 0:
        raise SystemExit(f"bench: scanning with {tree} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="", help="git revision or tree folder to compare")
    parser.add_argument("--rounds", type=int, default=5, help="processes per tree")
    parser.add_argument("--mails", type=int, default=0,
                        help="timed scans per shape (300; 30 with --size)")
    parser.add_argument("--size", type=int, default=0,
                        help="bytes of each of four large shapes instead of the small ones")
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.mails = args.mails or (30 if args.size else 300)
    if args.child:
        _child(args.child, args.mails, args.size)
        return 0
    shapes = _shapes(args.size)

    from checkouts import baseline_tree

    with tempfile.TemporaryDirectory(prefix="redline-scan-mail-") as tmp:
        folder = Path(tmp) / "mails"
        folder.mkdir()
        for i, data in enumerate((_large_mails(args.size) if args.size else _mails()).values()):
            (folder / f"{i}.eml").write_bytes(data)
        trees = {"this tree": ROOT}
        if args.baseline:
            trees = {"baseline": baseline_tree(args.baseline, Path(tmp) / "baseline"), **trees}
        load = os.getloadavg()[0]
        results: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
        for _ in range(args.rounds):
            for name, tree in trees.items():
                results[name].append(_run(tree, folder, args.mails, args.size))
        load_end = os.getloadavg()[0]
    unit, scale = ("ms", 1e3) if args.size else ("µs", 1e6)
    print(f"\nScanner CPU {unit} per mail, OCR off, median of {args.rounds} processes per tree "
          f"({args.mails} timed scans a shape each); load average {load:.1f} at start, "
          f"{load_end:.1f} at the end\n")
    names = list(trees)
    print("| shape | " + " | ".join(names)
          + (" | this / baseline (range over rounds) |" if args.baseline else " |"))
    print("|---|" + "---|" * (len(names) + (1 if args.baseline else 0)))
    for shape in shapes:
        cells = [f"{statistics.median(r[shape] for r in results[n]) * scale:.{1 if args.size else 0}f}"
                 for n in names]
        if args.baseline:
            ratios = sorted(t[shape] / b[shape]
                            for t, b in zip(results["this tree"], results["baseline"], strict=False))
            cells.append(f"{statistics.median(ratios):.2f}x ({ratios[0]:.2f}-{ratios[-1]:.2f})")
        print(f"| {shape} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
