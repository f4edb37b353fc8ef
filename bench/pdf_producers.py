"""PDFs from producers Redline has not been tried on, for a differential look at what it holds:
``python bench/pdf_producers.py OUT_DIR [--count N] [--seed S] [--no-scan | --scan-only]
[--tree DIR] [--folders chromium,scanned,scanner]``.

Each variant is an HTML business page (minutes, an invoice table, a menu, a status note:
ordinary prose with words near markings, as in office_variants.py), half of them carrying a
marking where real documents put it: a banner at the top and bottom of the page, a Chinese
secrecy label at the top left, a large light-grey rotated watermark, a table cell, or a
``position: fixed`` footer that Chromium repeats on every page, or the row of a borderless
table (a form's label column and value column, no rules, the padding of a browser's
default table or of Word's and LibreOffice's HTML: 1-8 px between the cells' text), a
label cell then the level. Ordinary pages carry such borderless tables too, of ordinary
cells (``Secret Santa`` | ``18 December``, ``Draft beer`` | ``4.50``). Chromium headless prints
every page to PDF (``--print-to-pdf``, Skia/PDF producer); a scanned-like copy is made by
rasterising those pages (pypdfium2, 150 dpi, greyscale) and saving them as an image-only
PDF with Pillow (``scanned/``), and a flatbed scanner's copy (``scanner/``): 200 or 300
dpi, off-white paper, toner never quite black, grain, a skew of up to 0.8 degrees, JPEG
at quality 70-90 in the PDF. ``labels.json`` records what Redline should do (pass or held
for a marking); the scan (unless ``--no-scan``) runs each file through
``build_pipeline().scan`` and prints the misses: ordinary pages held, marked ones passed,
and the CPU seconds per file. ``--scan-only`` scans an OUT_DIR made before; ``--tree DIR``
scans with another checkout's ``filters`` (a baseline), ``--folders`` picks the folders.
Nothing is taken from Redline's rules.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from html import escape
from pathlib import Path

PROSE = [
    "Please find attached the minutes of Tuesday's meeting.",
    "The secretary will circulate the agenda by Friday.",
    "Our company secretary has signed the annual return.",
    "Happy hour on Thursday: draft beer is half price until seven.",
    "Try our Top Secret Recipe burger, the chef's own sauce since 1987.",
    "The secret to a good sourdough is patience.",
    "Secret Santa gifts should stay under twenty euros.",
    "I have attached the first draft of my speech for the retirement party.",
    "Call the confidential helpline if you need advice.",
    "La secretaría del departamento cerrará a las tres.",
    "El borrador del menú de Navidad está en la cocina.",
    "成功的秘密在于坚持。",
    "请将草稿箱中的邮件删除。",
    "Revenue rose 4.2% to EUR 18.3 million in the third quarter.",
    "Delivery of 240 pallets is booked for 14 March, dock 3.",
    "The board approved the budget for the new warehouse.",
    "Please confirm the invoice number 2026-0413 before payment.",
    "We kept the design of the secret garden for the hotel courtyard.",
]
DISCLAIMER = (
    "Confidentiality notice: This document is intended only for the addressee and may "
    "contain confidential information."
)
TITLES = ["Meeting minutes", "Invoice 2026-0413", "Restaurant Bella Vista - Menu",
          "Project Falcon - status", "Quarterly report Q3 2026"]
MARKINGS = ["SECRET//NOFORN", "CONFIDENTIAL", "机密★5年", "CONFIDENCIAL", "BORRADOR", "DRAFT",
            "TOP SECRET"]
PLACES = ["banner", "top left", "watermark", "table cell", "fixed footer", "borderless table"]
# A form's label column (the label of the marking's row among them) and ordinary values.
FORM_LABELS = ["Document no.", "Author", "Date", "Department", "Distribution", "Pages",
               "Reference", "Project", "Approved by"]
FORM_VALUES = ["ACM-2026-0413", "J. Whitfield", "14 March 2026", "Finance", "Board members",
               "12", "PF/2026/118", "Falcon", "M. Okafor"]
MARKING_LABELS = ["Classification", "Security classification", "Classification level",
                  "Clasificación"]
# Ordinary rows of a borderless table: words near markings in ordinary cells.
ORDINARY_ROWS = [("Secret Santa", "18 December"), ("Draft beer", "4.50"),
                 ("Top Secret Recipe burger", "12.90"), ("Speech, first draft", "sent to Anna"),
                 ("Confidential helpline", "0800 123 456"), ("Secretary", "P. Moreau"),
                 ("Borrador del menú", "en la cocina"), ("Garden design", "secret garden"),
                 ("Status", "approved"), ("Room", "B 2.14")]
# Cell padding of a borderless table: a browser's default table (1 px, 2 px spacing),
# LibreOffice's HTML (0.04 in) and Word's (0.08 in each side).
PLAIN_PADDING = ["1px", "0.04in", "0.08in"]

STYLE = """
body { font-family: 'DejaVu Sans', 'Noto Sans CJK SC', sans-serif; font-size: 11pt; margin: 2cm; }
.banner { text-align: center; font-weight: bold; color: #c00; }
.topleft { position: absolute; top: 0.5cm; left: 0.5cm; font-weight: bold; }
.wm { position: fixed; top: 40%; left: 10%; color: #ddd; transform: rotate(-35deg); z-index: -1; }
.foot { position: fixed; bottom: 0; left: 0; right: 0; text-align: center; font-size: 9pt; }
table { border-collapse: collapse; } td { border: 1px solid #999; padding: 4px; }
table.plain { border-collapse: separate; border-spacing: 2px; margin: 1em 0; }
table.plain td { border: none; vertical-align: top; }
"""


def plain_table(rows: list[tuple[str, str]], padding: str) -> str:
    """A borderless table: no rules, the cells' text as close as its padding puts it."""
    cells = "".join(f'<tr><td style="padding: {padding}">{escape(a)}</td>'
                    f'<td style="padding: {padding}">{escape(b)}</td></tr>' for a, b in rows)
    return f'<table class="plain">{cells}</table>'


def page(rng: random.Random, spec: dict) -> str:
    mark, place = spec["marking"], spec["place"]
    body = []
    if place == "banner":
        body.append(f'<div class="banner">{escape(mark)}</div>')
    if place == "top left":
        body.append(f'<div class="topleft">{escape(mark)}</div>')
    if place == "watermark":
        # Sized to fit the page, as a word processor's watermark is (a longer one is clipped).
        size = min(96, 860 // len(mark))
        body.append(f'<div class="wm" style="font-size: {size}pt">{escape(mark)}</div>')
    body.append(f"<h1>{escape(spec['title'])}</h1>")
    for text in spec["paragraphs"]:
        body.append(f"<p>{escape(text)}</p>")
    rows = [("Item", "Amount")] + [(f"Line {i + 1}", f"{v:,}") for i, v in enumerate(spec["values"])]
    if place == "table cell":
        rows.insert(1, ("Classification", mark))
    body.append("<table>" + "".join(f"<tr><td>{escape(a)}</td><td>{escape(b)}</td></tr>"
                                    for a, b in rows) + "</table>")
    if spec.get("form"):
        form = [tuple(row) for row in spec["form"]]
        if place == "borderless table":
            form.insert(spec["form_at"], (spec["form_label"], mark))
        body.append(plain_table(form, spec["padding"]))
    # Long enough for two pages, so that fixed elements repeat.
    body.extend(f"<p>{escape(t)}</p>" for t in spec["filler"])
    if spec["disclaimer"]:
        body.append(f"<p><small>{escape(DISCLAIMER)}</small></p>")
    if place == "banner":
        body.append(f'<div class="banner">{escape(mark)}</div>')
    foot = mark if place == "fixed footer" else spec["footer"]
    body.append(f'<div class="foot">{escape(foot)}</div>')
    return (f'<!doctype html><html><head><meta charset="utf-8"><title>{escape(spec["title"])}'
            f"</title><style>{STYLE}</style></head><body>{''.join(body)}</body></html>")


def variant(rng: random.Random) -> dict:
    marked = rng.random() < 0.5
    spec = {
        "title": rng.choice(TITLES),
        "paragraphs": rng.sample(PROSE, rng.randint(3, 6)),
        "values": [rng.randint(10, 99999) for _ in range(rng.randint(2, 6))],
        "filler": [rng.choice(PROSE) for _ in range(rng.randint(10, 40))],
        "disclaimer": rng.random() < 0.4,
        "footer": rng.choice(["Acme Logistics Ltd, 12 Harbour Road, Leeds", "www.acme.example",
                              "Printed 2026-03-14"]),
        "marking": "",
        "place": "",
        "print_header_footer": rng.random() < 0.5,
        # A borderless table: a form's fields, or a list of ordinary rows.
        "form": [],
        "form_at": 0,
        "form_label": rng.choice(MARKING_LABELS),
        "padding": rng.choice(PLAIN_PADDING),
    }
    if rng.random() < 0.5:
        fields = rng.sample(range(len(FORM_LABELS)), rng.randint(3, 6))
        spec["form"] = [(FORM_LABELS[i], FORM_VALUES[i]) for i in fields]
    else:
        spec["form"] = rng.sample(ORDINARY_ROWS, rng.randint(3, 6))
    spec["form_at"] = rng.randint(0, len(spec["form"]))
    if marked:
        spec["marking"], spec["place"] = rng.choice(MARKINGS), rng.choice(PLACES)
        if spec["marking"] == "机密★5年" and rng.random() < 0.7:
            spec["place"] = "top left"
        if spec["marking"] in ("DRAFT", "BORRADOR") and rng.random() < 0.7:
            spec["place"] = "watermark"
    return spec


def chromium_pdf(html: Path, out: Path, header_footer: bool) -> None:
    """Chromium prints its own header (date, title) and footer (URL, page x/y) unless told not to."""
    flags = [] if header_footer else ["--no-pdf-header-footer"]
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", *flags,
                    f"--print-to-pdf={out}", html.as_uri()],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)


def scanner_copy(pdf: Path, out: Path, rng: random.Random) -> None:
    """The pages as a flatbed scanner returns them: 200 or 300 dpi greyscale, off-white
    paper, toner never quite black, grain, a slight skew, JPEG at quality 70-90."""
    import numpy as np
    import pypdfium2
    from PIL import Image

    dpi = rng.choice([200, 300])
    grain = rng.uniform(5, 12)  # grey levels of the sensor's noise (sd)
    quality = rng.randint(70, 90)
    document = pypdfium2.PdfDocument(str(pdf))
    images = []
    for i in range(len(document)):
        grey = document[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        grey = grey.rotate(rng.uniform(-0.8, 0.8), resample=Image.Resampling.BICUBIC, fillcolor=255)
        pixels = np.asarray(grey, dtype=np.float32) * (rng.uniform(205, 230) - 22) / 255 + 22
        noise = np.random.default_rng(rng.randrange(1 << 30)).normal(0, grain, pixels.shape)
        images.append(Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8)))
    images[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=images[1:],
                   quality=quality)


def scanned_copy(pdf: Path, out: Path) -> None:
    import pypdfium2
    document = pypdfium2.PdfDocument(str(pdf))
    images = [document[i].render(scale=150 / 72, grayscale=True).to_pil() for i in range(len(document))]
    images[0].save(out, "PDF", resolution=150, save_all=True, append_images=images[1:])


def scan(out: Path, labels: dict, folders: list[str]) -> int:
    import statistics
    import time

    from filters.build import build_pipeline
    from filters.types import Part

    pipeline = build_pipeline()
    misses = total = 0
    for folder in folders:
        cpus, missed, held_clean, marked_n, clean_n = [], 0, 0, 0, 0
        for path in sorted((out / folder).glob("*.pdf")):
            spec = labels[path.stem]
            started = time.process_time()
            verdict = pipeline.scan(Part(origin=path.name, data=path.read_bytes(), name=path.name,
                                         declared_type="application/pdf"))
            cpus.append(time.process_time() - started)
            held = not verdict.passed
            total += 1
            marked_n += bool(spec["marking"])
            clean_n += not spec["marking"]
            if held != bool(spec["marking"]):
                misses += 1
                missed += bool(spec["marking"])
                held_clean += not spec["marking"]
                print(f"MISS {folder}/{path.name} expected={'held' if spec['marking'] else 'pass'} "
                      f"got={verdict.action} marking={spec['marking']!r} place={spec['place']!r} "
                      f"hits={[(h.rule, h.where, h.excerpt[:60]) for h in verdict.hits][:3]}", flush=True)
        if cpus:
            print(f"{folder}: marked held {marked_n - missed}/{marked_n}, ordinary held "
                  f"{held_clean}/{clean_n}, CPU s per file median {statistics.median(cpus):.2f} "
                  f"total {sum(cpus):.1f}", flush=True)
    print(f"{misses} misses in {total} files")
    return misses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-scan", action="store_true")
    parser.add_argument("--scan-only", action="store_true", help="scan an OUT made before")
    parser.add_argument("--tree", type=Path, help="scan with this checkout's filters")
    parser.add_argument("--folders", default="chromium,scanned,scanner",
                        help="folders to scan, comma-separated")
    args = parser.parse_args()
    if not args.scan_only:
        generate(args.out, args.count, args.seed)
    if args.no_scan:
        return 0
    labels = json.loads((args.out / "labels.json").read_text(encoding="utf-8"))
    sys.path.insert(0, str((args.tree or Path(__file__).resolve().parent.parent).resolve()))
    scan(args.out, labels, args.folders.split(","))
    return 0


def generate(out: Path, count: int, seed: int) -> None:
    rng = random.Random(seed)
    for folder in ("html", "chromium", "scanned", "scanner"):
        (out / folder).mkdir(parents=True, exist_ok=True)
    labels = {}
    for index in range(count):
        spec = variant(rng)
        stem = f"p{index:04d}"
        labels[stem] = spec
        html = out / "html" / f"{stem}.html"
        html.write_text(page(rng, spec), encoding="utf-8")
        pdf = out / "chromium" / f"{stem}.pdf"
        chromium_pdf(html.resolve(), pdf.resolve(), spec["print_header_footer"])
        scanned_copy(pdf, out / "scanned" / f"{stem}.pdf")
        scanner_copy(pdf, out / "scanner" / f"{stem}.pdf", random.Random(f"{seed}-{index}"))
    (out / "labels.json").write_text(json.dumps(labels, ensure_ascii=False, indent=1))
    print(f"{count} pages, {sum(bool(s['marking']) for s in labels.values())} marked", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
