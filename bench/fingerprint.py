"""Fingerprint engine benchmark: what registering, holding and matching documents costs.

    bash scripts/bench.sh fingerprint     (or: .venv/bin/python bench/fingerprint.py [--runs 5])

Prints one table:

- registering: documents of 20 pages (10 000 words of report prose, seeded) shingled and
  winnowed per second, and MB of text per second;
- the index: 10 000 such documents (their fingerprint count measured on real shingling;
  the values themselves drawn at random, which costs a lookup the same), its arrays' size,
  the process's resident memory it adds, and the bytes per million fingerprints;
- loading: the 10 000 documents read from an SQLite store's change log, as a gateway
  does at start;
- the engine alone: MB/s of text it shingles and looks up, with 10 000 documents;
- the whole pipeline: MB/s scanning the same mails and Word reports with nothing
  registered and with 10 000 documents, alternating run by run so both see the same load,
  and their ratio (the target is 0.8 or more).

Medians of --runs runs; the load average is printed with the table.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from filters.build import FiltersConfig, build_pipeline, fingerprint_engine
from filters.fingerprint_index import RegisteredDocument
from filters.shingles import document_fingerprints, shingle
from filters.types import Part
from tests.fixtures.reports import FLOOD_PLAN, FLOOD_REVIEW, report_docx

MB = 1024 * 1024
DOCUMENTS = 10_000
PAGE_WORDS = 500
PAGES = 20


def prose(rng: random.Random, words: int) -> str:
    """Report-like prose: sentences of the fixture reports' words in a seeded order."""
    vocabulary = " ".join(FLOOD_REVIEW + FLOOD_PLAN).replace(",", "").replace(".", "").split()
    out: list[str] = []
    while len(out) < words:
        sentence = [rng.choice(vocabulary) for _ in range(rng.randint(8, 24))]
        sentence[0] = sentence[0].capitalize()
        out += sentence
        out[-1] += "."
    paragraphs = [" ".join(out[i:i + 90]) for i in range(0, words, 90)]
    return "\n\n".join(paragraphs)


def rss() -> int:
    with open(f"/proc/{os.getpid()}/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def median_of(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(2026)
    rows: list[tuple[str, str]] = []

    # Registering: shingling 20-page documents.
    documents = [prose(rng, PAGE_WORDS * PAGES) for _ in range(8)]
    size = sum(len(d.encode()) for d in documents)
    seconds = median_of(args.runs, lambda: [document_fingerprints([d]) for d in documents])
    per_document = [len(document_fingerprints([d])[0]) for d in documents]
    fingerprints_per_document = int(statistics.median(per_document))
    rows.append(("register: 20-page documents per second",
                 f"{len(documents) / seconds:.1f} ({size / MB / seconds:.2f} MB/s of text)"))
    rows.append(("fingerprints per 20-page document", f"{fingerprints_per_document}"))

    # The index of 10 000 documents.
    pipeline_full = build_pipeline(FiltersConfig.from_mapping({}))
    engine = fingerprint_engine(pipeline_full)
    before = rss()
    started = time.perf_counter()
    hashes_rng = np.random.default_rng(7)
    batch = []
    for number in range(1, DOCUMENTS + 1):
        hashes = np.unique(hashes_rng.integers(0, 2**32, fingerprints_per_document,
                                               dtype=np.uint32))
        batch.append(RegisteredDocument(number, f"Q-BENCH-{number:05d}", "rejected",
                                        "2026-12-01", hashes, PAGE_WORDS * PAGES))
        if len(batch) == 500:
            engine.index.add(batch)
            batch = []
    engine.index.add(batch)
    engine.index.compact()
    built = time.perf_counter() - started
    added = rss() - before
    held = engine.index.fingerprints
    rows.append(("index: documents / fingerprints", f"{len(engine.index):,} / {held:,}"))
    rows.append(("index: arrays / resident memory added",
                 f"{engine.index.nbytes / MB:.1f} MB / {added / MB:.1f} MB"))
    rows.append(("index: memory per million fingerprints",
                 f"{engine.index.nbytes / held * 1e6 / MB:.1f} MB arrays, "
                 f"{added / held * 1e6 / MB:.1f} MB resident"))
    rows.append(("index: built in memory from 10 000 documents", f"{built:.2f} s"))

    # Loading the same documents from an SQLite store's change log.
    rows.append(("load from SQLite store at start", f"{load_from_sqlite(engine):.2f} s"))

    # The engine alone, with 10 000 documents, on 1 MB of prose (one match included).
    text = prose(rng, 170_000) + "\n\n" + "\n\n".join(FLOOD_REVIEW)
    engine.index.add([RegisteredDocument(DOCUMENTS + 1, "Q-FLOOD", "rejected", "2026-12-01",
                                         *document_fingerprints(FLOOD_REVIEW))])
    part = Part(origin="bench", text=text)

    def engine_only() -> None:
        engine.begin_item()
        engine.scan(part)
        assert engine.end_item("bench"), "the pasted report must match"

    seconds = median_of(args.runs, engine_only)
    rows.append(("engine alone, 10 000 documents", f"{len(text.encode()) / MB / seconds:.2f} MB/s"))
    seconds = median_of(args.runs, lambda: shingle(text))
    rows.append(("of which shingling", f"{len(text.encode()) / MB / seconds:.2f} MB/s"))

    # The whole pipeline: mails and Word reports, none registered vs 10 000.
    pipeline_none = build_pipeline(FiltersConfig.from_mapping({}))
    with tempfile.TemporaryDirectory() as tmp:
        items = write_items(Path(tmp), rng)
        total = sum(p.stat().st_size for p in items)
        timings: dict[str, list[float]] = {"none": [], "full": []}
        for _ in range(args.runs):
            for name, pipeline in (("none", pipeline_none), ("full", pipeline_full)):
                started = time.perf_counter()
                for path in items:
                    pipeline.scan_file(path)
                timings[name].append(time.perf_counter() - started)
        none = total / MB / statistics.median(timings["none"])
        full = total / MB / statistics.median(timings["full"])
    rows.append((f"pipeline, {len(items)} items ({total / MB:.1f} MB): none registered",
                 f"{none:.2f} MB/s"))
    rows.append(("pipeline, same items: 10 000 registered", f"{full:.2f} MB/s"))
    rows.append(("ratio (target >= 0.8)", f"{full / none:.2f}"))

    width = max(len(k) for k, _ in rows)
    print(f"fingerprint benchmark, medians of {args.runs} runs, load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for key, value in rows:
        print(f"  {key:<{width}}  {value}")
    return 0


def write_items(folder: Path, rng: random.Random) -> list[Path]:
    """Plain-text mails of 20-200 KB and 20-page Word reports (about 3 MB in all)."""
    items = []
    for number in range(12):
        body = prose(rng, rng.randint(3_000, 30_000)).replace("\n", "\r\n")
        path = folder / f"mail{number}.eml"
        path.write_bytes((f"From: a@example.org\r\nTo: b@example.net\r\nSubject: notes {number}"
                          f"\r\n\r\n{body}\r\n").encode())
        items.append(path)
    for number in range(4):
        paragraphs = prose(rng, PAGE_WORDS * PAGES).split("\n\n")
        path = folder / f"report{number}.docx"
        path.write_bytes(report_docx(["Annual review", *paragraphs]))
        items.append(path)
    return items


def load_from_sqlite(engine) -> float:
    """Seconds to read every document of ``engine``'s index back from an SQLite store."""
    from filters.engines.fingerprint import FingerprintEngine
    from quarantine.fingerprints import pack
    from quarantine.sqlite_store import SqliteStore

    with tempfile.TemporaryDirectory() as tmp:
        store = SqliteStore(Path(tmp) / "quarantine.sqlite")
        try:
            hashes_rng = np.random.default_rng(11)
            count = engine.index.fingerprints // max(len(engine.index), 1)
            with store._transaction() as db:  # the bench fills the tables directly
                for number in range(1, DOCUMENTS + 1):
                    hashes = np.unique(hashes_rng.integers(0, 2**32, count, dtype=np.uint32))
                    db.execute("INSERT INTO fingerprint_documents (id, source, kind, sha256, "
                               "registered, registered_by, words, fingerprint_count, "
                               "fingerprints) VALUES (?, ?, 'rejected', ?, ?, 'bench', ?, ?, ?)",
                               (number, f"Q-{number}", f"{number:064x}",
                                "2026-12-01T00:00:00.000000+00:00", 10000.0, len(hashes),
                                pack(hashes)))
                    db.execute("INSERT INTO fingerprint_changes (document_id, change) "
                               "VALUES (?, 'add')", (number,))

            class Source:
                def changes(self, after: int):
                    return store.fingerprint_changes(after)

            loaded = FingerprintEngine(source=Source())
            started = time.perf_counter()
            while True:
                mark = loaded.index.watermark
                loaded.refresh(force=True)
                if loaded.index.watermark == mark:
                    break
            loaded.index.compact()
            seconds = time.perf_counter() - started
            assert len(loaded.index) == DOCUMENTS
            return seconds
        finally:
            store.close()


if __name__ == "__main__":
    sys.exit(main())
