"""Uploads in pieces: one text file sent as N kept pieces vs as one request, through Redline.

    .venv/bin/python bench/pieces.py [--mb 40] [--pieces 5] [--runs 3]

A real ``redline serve --workers 2`` (tests/integration/test_uploads_in_pieces.Gateway) in
front of an aiohttp origin speaking Google's resumable protocol (ServiceOrigin). Each run
sends the same file both ways, alternating which goes first; medians are printed with the
load average. The file is prose-like words (nothing to find), so both are passed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "integration")]

from test_uploads_in_pieces import Gateway, ServiceOrigin  # noqa: E402


def prose(size: int, seed: int = 11) -> bytes:
    """``size`` bytes of lines of made-up words."""
    rng = random.Random(seed)
    words = ["".join(rng.choices("abcdefghiklmnoprstuvw", k=rng.randint(3, 9)))
             for _ in range(3000)]
    out, total = [], 0
    while total < size:
        line = " ".join(rng.choices(words, k=14)) + "\n"
        out.append(line)
        total += len(line)
    return "".join(out).encode()[:size]


async def send(service: ServiceOrigin, proxy: str, data: bytes, pieces: int) -> float:
    """Seconds from the session's opening to the origin's last answer."""
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=900)) as client:
        started = time.monotonic()
        async with client.post(f"http://127.0.0.1:{service.port}/upload/drive/v3/files"
                               "?uploadType=resumable", proxy=proxy, json={"name": "a.txt"},
                               headers={"X-Upload-Content-Length": str(len(data))}) as opened:
            url = opened.headers["Location"]
        step = -(-len(data) // pieces)
        for start in range(0, len(data), step):
            chunk = data[start:start + step]
            async with client.put(url, data=chunk, proxy=proxy, headers={
                    "Content-Type": "text/plain",
                    "Content-Range": f"bytes {start}-{start + len(chunk) - 1}/{len(data)}"}) as r:
                await r.read()
                last = r.status
        elapsed = time.monotonic() - started
    session = url.rsplit("=", 1)[1]
    assert last == 200 and bytes(service.stored.pop(session)) == data, last
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=40)
    parser.add_argument("--pieces", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data = prose(args.mb << 20)
    service = ServiceOrigin()
    with tempfile.TemporaryDirectory() as tmp:
        gateway = Gateway(Path(tmp))
        try:
            proxy = f"http://127.0.0.1:{gateway.http_port}"
            times: dict[int, list[float]] = {1: [], args.pieces: []}
            loads = [os.getloadavg()[0]]
            for run in range(args.runs):
                order = [1, args.pieces] if run % 2 == 0 else [args.pieces, 1]
                for count in order:
                    times[count].append(asyncio.run(send(service, proxy, data, count)))
                loads.append(os.getloadavg()[0])
        finally:
            gateway.stop()
            service.stop()
    one, many = statistics.median(times[1]), statistics.median(times[args.pieces])
    print(f"{args.mb} MiB text, {args.runs} runs, load average {min(loads):.1f}-{max(loads):.1f}")
    print(f"  one PUT            median {one:.2f} s  {times[1]}")
    print(f"  {args.pieces} kept pieces     median {many:.2f} s  {times[args.pieces]}")
    print(f"  ratio pieces/one   {many / one:.2f}")


if __name__ == "__main__":
    main()
