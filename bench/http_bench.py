"""Upload benchmark (issue 6): uploads/s and MB/s through Redline's forward proxy and straight to the origin.

    bash bench/http.sh [--runs 3] [--concurrency 8] [--big-mb 1024] [--workers 2]

(Not ``bench/http.py``: a script of that name would shadow the standard library's
``http`` package, which aiohttp imports, for everything run from bench/.)

The proxy (real pipeline, SQLite store, scanner processes) and a streaming aiohttp origin
run as their own processes (tests/integration/http_peers.py); aiohttp clients in this
process post small urlencoded forms and multipart 1 MB / 10 MB docx files, first straight
to the origin, then through the proxy. Each figure is the median of ``--runs`` runs.
Latency is the median of single uploads one after another (concurrency 1). The last row
streams one ``--big-mb`` upload through the proxy and reports the proxy's peak RSS.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import random
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "integration")]

from test_http_big_upload import MiB, PeakRss, start_peer, stop_peer, upload  # noqa: E402
from test_http_proxy import free_port  # noqa: E402


def make_docx(size: int, seed: int = 7) -> bytes:
    """A docx of about ``size`` bytes whose body is prose-like words (nothing to find)."""
    import docx

    rng = random.Random(seed)
    vocabulary = ["".join(rng.choices("abcdefghiklmnoprstuvw", k=rng.randint(3, 9)))
                  for _ in range(3000)]
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as template:
        members = {name: template.read(name) for name in template.namelist()}
    head, _, tail = members["word/document.xml"].decode().partition("<w:body>")
    paragraphs, total = [], 0
    while total < size * 2.3:  # deflate shrinks such text a little over twofold
        text = " ".join(rng.choices(vocabulary, k=120))
        paragraphs.append(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
        total += len(text)
    members["word/document.xml"] = (head + "<w:body>" + "".join(paragraphs) + tail).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def form_body(kind: str, payload: bytes) -> tuple[bytes | aiohttp.FormData, dict[str, str]]:
    if kind == "form":
        return payload, {"Content-Type": "application/x-www-form-urlencoded"}
    form = aiohttp.FormData()
    form.add_field("file", payload, filename="report.docx",
                   content_type="application/vnd.openxmlformats-officedocument."
                                "wordprocessingml.document")
    form.add_field("note", "see attached")
    return form, {}


async def post_many(url: str, proxy: str | None, kind: str, payload: bytes, count: int,
                    concurrency: int) -> tuple[float, list[float]]:
    """Post ``count`` uploads with ``concurrency`` clients; (seconds, latency of each)."""
    queue = list(range(count))
    latencies: list[float] = []
    connector = aiohttp.TCPConnector(limit=concurrency)
    timeout = aiohttp.ClientTimeout(total=300)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def client() -> None:
            while queue:
                queue.pop()
                data, headers = form_body(kind, payload)
                started = time.perf_counter()
                async with session.post(url, data=data, headers=headers, proxy=proxy) as response:
                    await response.read()
                    if response.status != 200:
                        raise SystemExit(f"bench: upload answered {response.status} "
                                         f"({'proxy' if proxy else 'direct'}, {kind})")
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(concurrency)))
        return time.perf_counter() - started, latencies


def main() -> None:
    """Run every case and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="scanner processes of the proxy")
    parser.add_argument("--big-mb", type=int, default=1024, help="0 skips the big upload")
    args = parser.parse_args()

    form = b"name=Alice+Martin&email=alice%40mail.example&comment=" + b"lunch+at+noon+" * 10
    docs = [make_docx(1_000_000), make_docx(10_000_000)]
    cases = [  # name, kind, payload, uploads per run
        (f"form post ({len(form)} B)", "form", form, 400),
        *((f"docx {len(d) / 1e6:.1f} MB", "docx", d, n) for d, n in zip(docs, (40, 8), strict=True)),
    ]
    data_dir = Path(tempfile.mkdtemp(prefix="redline-bench-http-"))
    origin_port, proxy_port = free_port(), free_port()
    origin = start_peer("origin", "--listen", f"127.0.0.1:{origin_port}")
    proxy = start_peer("proxy", "--listen", f"127.0.0.1:{proxy_port}", "--data-dir",
                       str(data_dir), "--workers", str(args.workers),
                       "--max-expanded-bytes", str(4 << 30))
    proxy_url = f"http://127.0.0.1:{proxy_port}"
    url = f"http://127.0.0.1:{origin_port}/upload"
    rows = []
    try:
        for name, kind, payload, count in cases:
            figures = {}
            for label, via in (("direct", None), ("proxy", proxy_url)):
                rates, latency = [], []
                asyncio.run(post_many(url, via, kind, payload, 2, 1))  # warm up connections
                for _ in range(args.runs):
                    seconds, _ = asyncio.run(post_many(url, via, kind, payload, count,
                                                       args.concurrency))
                    rates.append(count / seconds)
                    _, single = asyncio.run(post_many(url, via, kind, payload,
                                                      max(5, count // 8), 1))
                    latency.append(statistics.median(single))
                figures[label] = (statistics.median(rates), statistics.median(latency))
            size = len(payload)
            (d_rate, d_lat), (p_rate, p_lat) = figures["direct"], figures["proxy"]
            rows.append((name, f"{d_rate:,.1f}", f"{d_rate * size / 1e6:,.1f}",
                         f"{p_rate:,.1f}", f"{p_rate * size / 1e6:,.1f}",
                         f"{p_rate / d_rate:.0%}", f"{d_lat * 1000:,.1f}",
                         f"{(p_lat - d_lat) * 1000:+,.1f}"))
        big = ""
        if args.big_mb:
            with PeakRss(proxy.pid) as rss:
                started = time.perf_counter()
                status, answer, _ = asyncio.run(upload(proxy_url, url, args.big_mb))
                seconds = time.perf_counter() - started
            if status != 200 or answer.get("bytes") != args.big_mb * MiB:
                raise SystemExit(f"bench: the big upload answered {status}: {answer}")
            big = (f"{args.big_mb} MiB streamed through the proxy: {seconds:.1f} s "
                   f"({args.big_mb * MiB / 1e6 / seconds:,.0f} MB/s), peak RSS proxy "
                   f"{rss.peak / MiB:.0f} MiB, scanner {rss.peak_child / MiB:.0f} MiB; "
                   f"origin received every byte")
    finally:
        stop_peer(proxy)
        stop_peer(origin)

    header = ("upload", "direct/s", "direct MB/s", "proxy/s", "proxy MB/s", "proxy/direct",
              "p50 direct ms", "added p50 ms")
    widths = [max(len(header[i]), *(len(r[i]) for r in rows)) for i in range(len(header))]
    print(f"Uploads with inspection, {args.concurrency} clients, {args.workers} scanner "
          f"processes, median of {args.runs} runs (latency: one client)")
    print("  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in
                    enumerate(zip(header, widths, strict=True))))
    for row in rows:
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in
                        enumerate(zip(row, widths, strict=True))))
    if big:
        print(big)


if __name__ == "__main__":
    main()
