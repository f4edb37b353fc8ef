"""PDFs from producers Redline has not been tried on, for a differential look at what it holds:
``python bench/pdf_producers.py OUT_DIR [--count N] [--seed S] [--no-scan]``.

Each variant is an HTML business page (minutes, an invoice table, a menu, a status note:
ordinary prose with words near markings, as in office_variants.py), half of them carrying a
marking where real documents put it: a banner at the top and bottom of the page, a Chinese
secrecy label at the top left, a large light-grey rotated watermark, a table cell, or a
``position: fixed`` footer that Chromium repeats on every page. Chromium headless prints
every page to PDF (``--print-to-pdf``, Skia/PDF producer); a scanned-like copy is made by
rasterising those pages (pypdfium2, 150 dpi, greyscale) and saving them as an image-only
PDF with Pillow. ``labels.json`` records what Redline should do (pass or held for a
marking); the scan (unless ``--no-scan``) runs each file through ``build_pipeline().scan``
and prints the misses: ordinary pages held, marked ones passed. Nothing is taken from
Redline's rules.
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
PLACES = ["banner", "top left", "watermark", "table cell", "fixed footer"]

STYLE = """
body { font-family: 'DejaVu Sans', 'Noto Sans CJK SC', sans-serif; font-size: 11pt; margin: 2cm; }
.banner { text-align: center; font-weight: bold; color: #c00; }
.topleft { position: absolute; top: 0.5cm; left: 0.5cm; font-weight: bold; }
.wm { position: fixed; top: 40%; left: 10%; color: #ddd; transform: rotate(-35deg); z-index: -1; }
.foot { position: fixed; bottom: 0; left: 0; right: 0; text-align: center; font-size: 9pt; }
table { border-collapse: collapse; } td { border: 1px solid #999; padding: 4px; }
"""


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
    }
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


def scanned_copy(pdf: Path, out: Path) -> None:
    import pypdfium2
    document = pypdfium2.PdfDocument(str(pdf))
    images = [document[i].render(scale=150 / 72, grayscale=True).to_pil() for i in range(len(document))]
    images[0].save(out, "PDF", resolution=150, save_all=True, append_images=images[1:])


def scan(out: Path, labels: dict) -> int:
    from filters.build import build_pipeline
    from filters.types import Part

    pipeline = build_pipeline()
    misses = total = 0
    for folder in ("chromium", "scanned"):
        for path in sorted((out / folder).glob("*.pdf")):
            spec = labels[path.stem]
            verdict = pipeline.scan(Part(origin=path.name, data=path.read_bytes(), name=path.name,
                                         declared_type="application/pdf"))
            held = not verdict.passed
            total += 1
            if held != bool(spec["marking"]):
                misses += 1
                print(f"MISS {folder}/{path.name} expected={'held' if spec['marking'] else 'pass'} "
                      f"got={verdict.action} marking={spec['marking']!r} place={spec['place']!r} "
                      f"hits={[(h.rule, h.where, h.excerpt[:60]) for h in verdict.hits][:3]}", flush=True)
    print(f"{misses} misses in {total} files")
    return misses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-scan", action="store_true")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    for folder in ("html", "chromium", "scanned"):
        (args.out / folder).mkdir(parents=True, exist_ok=True)
    labels = {}
    for index in range(args.count):
        spec = variant(rng)
        stem = f"p{index:04d}"
        labels[stem] = spec
        html = args.out / "html" / f"{stem}.html"
        html.write_text(page(rng, spec), encoding="utf-8")
        pdf = args.out / "chromium" / f"{stem}.pdf"
        chromium_pdf(html.resolve(), pdf.resolve(), spec["print_header_footer"])
        scanned_copy(pdf, args.out / "scanned" / f"{stem}.pdf")
    (args.out / "labels.json").write_text(json.dumps(labels, ensure_ascii=False, indent=1))
    print(f"{args.count} pages, {sum(bool(s['marking']) for s in labels.values())} marked", flush=True)
    if not args.no_scan:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        scan(args.out, labels)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
