"""Scan benchmark: files/s and MB/s of the inspection pipeline over a generated mix.

    bash scripts/bench.sh scan            (or: .venv/bin/python bench/scan.py [--runs 5])

Each row scans the same files with the full pipeline (one process) and with bare
yara-python (Redline's compiled text rules over the raw bytes, no parsing) in the same
run, so the ratio is measured side by side; medians of --runs runs. A last row scans
the whole mix with a process pool of one worker per core, as ``redline scan --jobs``.
"""

from __future__ import annotations

import argparse
import email.message
import io
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from filters.build import build_pipeline
from filters.rules import load_rules

WORDS = (
    "the budget committee reviewed annual plan report meeting schedule project team office "
    "delivery contract analysis results quarter staff training policy update review "
    "information supply network service customer order invoice travel approval regional "
    "minutes agenda notes summary action follow next week of and to for with on"
).split()
# Words that open a marking rule's window without being a marking; about one word in
# 2,000 of ordinary business prose, so the rules' context checks are part of the cost.
NEAR_MISSES = "draft secretary secretariat confidential secret circuit restricted".split()


def prose(rng: random.Random, n_words: int) -> str:
    """Deterministic business-like prose with line breaks and occasional near-miss words."""
    lines, line = [], []
    for _ in range(n_words):
        pool = NEAR_MISSES if rng.random() < 0.0005 else WORDS
        line.append(rng.choice(pool))
        if len(line) >= rng.randint(8, 16):
            lines.append(" ".join(line).capitalize() + ".")
            line = []
    lines.append(" ".join(line))
    return "\n".join(lines)


def make_mail(rng: random.Random, body_bytes: int, attachment: bytes | None = None) -> bytes:
    msg = email.message.EmailMessage()
    msg["From"] = "analyst@example.org"
    msg["To"] = "partner@example.com"
    msg["Subject"] = "Weekly " + rng.choice(WORDS) + " notes"
    msg["Message-ID"] = f"<{rng.getrandbits(64):x}@example.org>"
    msg.set_content(prose(rng, body_bytes // 7))
    if attachment is not None:
        msg.add_attachment(attachment, maintype="application", subtype="octet-stream",
                           filename="notes.txt")
    return msg.as_bytes()


def make_docx(rng: random.Random, paragraphs: int, image_bytes: int,
              header_picture: bytes | None = None) -> bytes:
    """A docx of prose; ``image_bytes`` of noise as a picture in the body, and
    ``header_picture`` (a logo) in the page header, when given."""
    import docx
    from docx.shared import Inches
    from PIL import Image

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Example Org - internal planning"
    if header_picture is not None:
        document.sections[0].header.paragraphs[0].add_run().add_picture(
            io.BytesIO(header_picture), width=Inches(1.5))
    document.sections[0].footer.paragraphs[0].text = "Page footer"
    for i in range(paragraphs):
        if i % 40 == 0:
            document.add_heading(f"Section {i // 40 + 1}", level=1)
        document.add_paragraph(prose(rng, 60).replace("\n", " "))
    if image_bytes:
        side = int((image_bytes / 3) ** 0.5)
        noise = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
        buffer = io.BytesIO()
        noise.save(buffer, format="PNG")
        buffer.seek(0)
        document.add_picture(buffer, width=Inches(4))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_pdf(rng: random.Random, pages: int, image_bytes: int) -> bytes:
    """A report of ``pages`` pages of prose; ``image_bytes`` of noise as a picture on the
    first page (none when 0: a text report)."""
    from PIL import Image
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    height = A4[1]
    side = int((image_bytes / 3) ** 0.5)
    noise = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3)) if side else None
    for page in range(pages):
        pdf.setFont("Helvetica", 10)
        pdf.drawString(50, height - 40, "Example Org annual report")
        y = height - 80
        for line in prose(rng, 450).splitlines():
            pdf.drawString(50, y, line[:100])
            y -= 13
            if y < 60:
                break
        if page == 0 and noise is not None:
            pdf.drawImage(ImageReader(noise), 50, 100, width=300, height=300)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def make_zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def build_mix(folder: Path) -> dict[str, list[Path]]:
    """Write the benchmark inputs; returns the files of each kind."""
    rng = random.Random(2026)
    kinds: dict[str, list[tuple[str, bytes]]] = {
        "mail 10 KB plain": [(f"m{i}.eml", make_mail(rng, 10_000)) for i in range(200)],
        "mail 1 MB plain": [(f"b{i}.eml", make_mail(rng, 1_000_000)) for i in range(5)],
        "mail 50 KB + attachment": [
            (f"a{i}.eml", make_mail(rng, 20_000, prose(rng, 4000).encode())) for i in range(50)
        ],
        "docx 1 MB (text + image)": [(f"d{i}.docx", make_docx(rng, 400, 900_000)) for i in range(5)],
        "docx 1 MB (text only)": [(f"t{i}.docx", make_docx(rng, 5200, 0)) for i in range(3)],
        "pdf 5 MB (40 pages + image)": [(f"p{i}.pdf", make_pdf(rng, 40, 4_800_000)) for i in range(3)],
    }
    office = {f"doc{i}.docx": make_docx(rng, 60, 0) for i in range(6)}
    office.update({f"mail{i}.eml": make_mail(rng, 8000) for i in range(6)})
    kinds["zip of office files"] = [(f"z{i}.zip", make_zip(office)) for i in range(5)]
    files: dict[str, list[Path]] = {}
    for kind, items in kinds.items():
        files[kind] = []
        for name, data in items:
            path = folder / name
            path.write_bytes(data)
            files[kind].append(path)
    return files


_pipeline = None


def _init() -> None:
    global _pipeline
    _pipeline = build_pipeline()


def _scan(path: str) -> str:
    return _pipeline.scan_file(Path(path)).action  # type: ignore[union-attr]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per row (median reported)")
    args = parser.parse_args()
    pipeline = build_pipeline()
    rules = load_rules().text
    with tempfile.TemporaryDirectory(prefix="redline-bench-") as tmp:
        started = time.monotonic()
        files = build_mix(Path(tmp))
        print(f"generated the mix in {time.monotonic() - started:.1f} s\n")
        header = (f"{'input':<30}{'files':>6}{'MB':>8}{'files/s':>10}{'MB/s':>9}"
                  f"{'ms/file':>9}{'yara MB/s':>11}{'ratio':>7}  verdicts")
        print(header)
        print("-" * len(header))
        for kind, paths in files.items():
            blobs = [p.read_bytes() for p in paths]
            size = sum(len(b) for b in blobs) / 1e6
            pipe_times, yara_times = [], []
            verdicts: dict[str, int] = {}
            for _ in range(args.runs):
                t0 = time.perf_counter()
                for blob in blobs:
                    rules.match(data=blob)
                yara_times.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                for path in paths:
                    verdict = pipeline.scan_file(path)
                    verdicts[verdict.action] = verdicts.get(verdict.action, 0) + 1
                pipe_times.append(time.perf_counter() - t0)
            pipe, bare = statistics.median(pipe_times), statistics.median(yara_times)
            summary = ", ".join(f"{k} {v // args.runs}" for k, v in sorted(verdicts.items()))
            print(f"{kind:<30}{len(paths):>6}{size:>8.1f}{len(paths) / pipe:>10.1f}"
                  f"{size / pipe:>9.1f}{1000 * pipe / len(paths):>9.1f}{size / bare:>11.1f}"
                  f"{bare / pipe:>7.2f}  {summary}")
        every = [str(p) for paths in files.values() for p in paths]
        size = sum(os.path.getsize(p) for p in every) / 1e6
        cores = os.cpu_count() or 1
        times = []
        with multiprocessing.get_context("fork").Pool(cores, initializer=_init) as pool:
            pool.map(_scan, every[:cores])  # warm the workers
            for _ in range(args.runs):
                t0 = time.perf_counter()
                pool.map(_scan, every, chunksize=4)
                times.append(time.perf_counter() - t0)
        pooled = statistics.median(times)
        print(f"{f'whole mix, {cores} processes':<30}{len(every):>6}{size:>8.1f}"
              f"{len(every) / pooled:>10.1f}{size / pooled:>9.1f}{1000 * pooled / len(every):>9.1f}")
        print(f"\nmedians of {args.runs} runs; ratio = pipeline MB/s / bare yara-python MB/s "
              "over the same bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
