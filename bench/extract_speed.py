"""Extraction speed: seconds per input for each extractor's large or hostile case.

    .venv/bin/python bench/extract_speed.py [--runs 5] [--only NAME]

The unit tests check what these inputs give (the text, the hit, that a bomb is held and
not expanded); how fast they do it is measured here, where a busy machine cannot fail a
test. Each row runs its case --runs times in this process and prints the median, the
fastest and the slowest run beside the bound the unit tests once asserted, so a
regression shows as a median over that bound on a quiet machine. Load averages before
and after the table say how quiet it was.
"""

from __future__ import annotations

import argparse
import os
import statistics
import struct
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from filters.build import build_pipeline
from filters.extract import html, mail, ole, ooxml, pdf, rtf, sevenzip
from filters.limits import Budget, Limits
from filters.pipeline import Pipeline
from filters.types import Part
from tests.fixtures import archives, formats, legacy, office
from tests.fixtures import mail as mail_fixtures
from tests.fixtures import pdf as pdf_fixtures
from tests.fixtures import tnef as tnef_fixtures

MiB = 1024 * 1024


@dataclass
class Case:
    """One benchmark row: what to make once, what to time, the unit tests' former bound."""

    name: str
    make: Callable[[Path], object]
    run: Callable[[object], object]
    bound: float  # seconds
    size: Callable[[object], int] = lambda data: len(data)  # type: ignore[arg-type]
    heavy: bool = False  # run only when --only names it


def _extract(module, data: bytes | Path, detected_type: str = "", limits: Limits | None = None,
             name: str = "item") -> list:
    budget = Budget(limits or Limits())
    part = (Part(origin=name, path=data, name=name) if isinstance(data, Path)
            else Part(origin=name, data=data, name=name, detected_type=detected_type))
    try:
        return list(module.extract(part, budget))
    except Exception as exc:  # the refusals of hostile inputs are what some cases time
        return [exc]
    finally:
        budget.close()


def _walk(pipeline: Pipeline, data: bytes | Path, name: str, limits: Limits | None = None):
    if limits is not None:
        pipeline = Pipeline(limits=limits)
    if isinstance(data, Path):
        return pipeline.scan_file(data, origin=name)
    return pipeline.scan(Part(origin=name, data=data, name=name))


def _rtf_megabyte(_: Path) -> bytes:
    paragraph = (r"\pard\plain\f1 Ordinary {\b paragraph} text with \i some\i0  formatting "
                 + office.rtf_unicode("中文") + r"\par" + "\n")
    return ("{\\rtf1\\ansi " + paragraph * (1_000_000 // len(paragraph)) + "}").encode()


def _html_megabyte(_: Path) -> bytes:
    row = b"<tr><td>cell <b>bold</b> text</td><td>more &amp; more</td></tr>\n"
    return b"<html><body><table>" + row * (1_000_000 // len(row)) + b"</table></body></html>"


def _xml_megabyte(_: Path) -> bytes:
    item = b"<item id='1'><name>thing</name><v>value text</v></item>\n"
    return b"<r>" + item * (1_000_000 // len(item)) + b"</r>"


def _tnef_property_bomb(_: Path) -> bytes:
    bomb = struct.pack("<I", 0xFFFFFFFF)
    return (struct.pack("<IH", tnef_fixtures.SIGNATURE, 0)
            + tnef_fixtures.attribute(tnef_fixtures.LEVEL_MESSAGE,
                                      tnef_fixtures.ATT_MAPI_PROPS, bomb))


def _legacy_doc(folder: Path) -> Path:
    missing = legacy.libreoffice_missing()
    if missing:
        raise RuntimeError(missing)
    (folder / "legacy").mkdir(exist_ok=True)
    return legacy.legacy_documents(folder / "legacy")["memo.doc"]


def _corpus(folder: Path) -> Path:
    return folder


def _generate_corpus(folder: Path) -> None:
    from tests.corpus import generate

    out = Path(tempfile.mkdtemp(dir=folder))
    generate.write(out)


def cases() -> list[Case]:
    """Every timed case the unit tests used to assert a bound on."""
    pipeline = build_pipeline()
    plain = Pipeline()
    return [
        Case("docx 1 MB (ooxml)", lambda _: office.make_large_docx(),
             lambda data: _extract(ooxml, data), 0.5),
        Case("pdf 5 MB, 400 pages", lambda _: pdf_fixtures.large_pdf(pages=400, lines_per_page=60),
             lambda data: _extract(pdf, data), 5.0),
        Case("rtf 1 MB", _rtf_megabyte, lambda data: _extract(rtf, data), 2.0),
        Case("html 1 MB", _html_megabyte, lambda data: _extract(html, data, "text/html"), 0.5),
        Case("xml 1 MB", _xml_megabyte, lambda data: _extract(html, data, "application/xml"), 0.5),
        Case("xml billion laughs", lambda _: formats.billion_laughs(),
             lambda data: _walk(plain, data, "bomb.xml"), 2.0),
        Case("mail 5 MB attachment", lambda _: mail_fixtures.mixed(
            [("big.bin", bytes(range(256)) * 20_000, "application/octet-stream")]),
             lambda data: _extract(mail, data), 1.0),
        Case("doc (legacy Word)", _legacy_doc, lambda path: _extract(ole, path), 0.05,
             size=lambda path: path.stat().st_size),
        Case("tnef 4-billion property count", _tnef_property_bomb,
             lambda data: _walk(pipeline, data, "winmail.dat"), 5.0),
        Case("zip bomb 1 GiB of zeros", lambda folder: archives.write_zip_bomb(folder / "bomb.zip"),
             lambda path: _walk(plain, path, "bomb.zip"), 2.0,
             size=lambda path: path.stat().st_size),
        Case("7z bomb 32 MiB declared", lambda _: archives.sevenzip_bytes(
            {"zeros.bin": bytes(32 * MiB)}), lambda data: _walk(plain, data, "bomb.7z"), 0.5),
        Case("7z header over max_part_bytes", lambda _: archives.sevenzip_bytes(
            {"zeros.bin": bytes(6 * MiB)}), lambda data: _extract(
                sevenzip, data, name="z.7z", limits=Limits(max_part_bytes=MiB)), 0.5),
        Case("gzip 200 MB, part_seconds 0.05", lambda _: archives.gzip_zeros(200),
             lambda data: _walk(plain, data, "slow.gz", Limits(part_seconds=0.05, max_ratio=1e6)),
             0.5),
        Case("gzip 200 MB, item_seconds 0.05", lambda _: archives.gzip_zeros(200),
             lambda data: _walk(plain, data, "slow.gz", Limits(item_seconds=0.05, max_ratio=1e6)),
             0.5),
        Case("corpus generation (tests/corpus)", _corpus, _generate_corpus, 30.0,
             size=lambda _: 0, heavy=True),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per row (median reported)")
    parser.add_argument("--only", help="only the rows whose name contains this text")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    header = (f"{'case':<34}{'input':>10}{'median s':>10}{'min s':>9}{'max s':>9}"
              f"{'old bound':>11}  within")
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory(prefix="redline-bench-extract-") as tmp:
        for case in cases():
            if (args.only and args.only not in case.name) or (case.heavy and not args.only):
                continue
            try:
                data = case.make(Path(tmp))
            except RuntimeError as exc:
                print(f"{case.name:<34}  skipped: {exc}")
                continue
            case.run(data)  # warm: imports and caches are not what is measured
            times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                case.run(data)
                times.append(time.perf_counter() - started)
            median = statistics.median(times)
            size = case.size(data)
            shown = f"{size / MiB:.1f} MB" if size >= 100_000 else f"{size / 1000:.1f} KB"
            shown = shown if size else "-"
            print(f"{case.name:<34}{shown:>10}{median:>10.3f}{min(times):>9.3f}{max(times):>9.3f}"
                  f"{case.bound:>11.2f}  {'yes' if median < case.bound else 'NO'}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"medians of {args.runs} runs in one process; 'old bound' is what the unit tests "
          "asserted before speed moved here")
    return 0


if __name__ == "__main__":
    sys.exit(main())
