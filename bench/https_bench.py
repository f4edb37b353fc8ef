"""HTTPS benchmark: built-in interception beside Squid ssl-bump + Redline ICAP and a plain CONNECT tunnel.

    bash bench/https.sh [--runs 5] [--concurrency 8] [--workers 2] [--upload-mb 10]

Every shape runs in the same run, on the same machine, against the same HTTPS origin
(aiohttp, certificate from a local test CA), with the same inspection behind it (the real
pipeline in ``--workers`` scanner processes, SQLite store):

- built-in: Redline's forward proxy intercepting CONNECT (tests/integration/http_peers.py);
- squid+icap: Debian's Squid with ssl-bump, configured from deploy/squid/squid.conf.snippet,
  handing uploads to Redline's ICAP service (its own process);
- tunnel: Redline's proxy passing CONNECT through uninspected (the floor: TLS end to end).

Measured with aiohttp clients in this process, each figure the median of ``--runs`` runs:
(a) new TLS connections per second (a GET on a fresh connection each time, so CONNECT,
handshake and leaf lookup every time), (b) small urlencoded POSTs per second on kept-alive
connections, the CPU time each POST cost the shape's own processes (the proxy and its
scanners; Squid, its helpers, the ICAP service and its scanners; the tunnel's proxy), and
the median latency of one client and what it adds over the tunnel, (c) a ``--upload-mb``
docx upload's throughput (one client, multipart; the uploads of the shapes take turns one
by one, and the figure is the median of every upload's own rate) and its CPU time.

On a shared machine a shape's rate depends on the load of the moment and on its share of
the CPU (a chain of more processes gets more of it under contention), so every measure
runs for every shape back to back within a run, in an order that rotates from run to run
(the small POSTs in ``--slices`` turns of a second or less, the uploads one at a time);
the ratio column is the median of each run's own ratio (shapes measured seconds apart),
beside its range over the runs; and the CPU time per POST, which the load hardly moves,
says which shape does less work. The footer shows the load average of each run and how
many leaf certificates the built-in proxy signed: one per host, however many connections.

``--compare DIR`` adds a column for the built-in proxy of another checkout (say the main
branch before a change), run side by side with this one against the same origin.
``--monitor`` adds one for the built-in proxy in ``[policy] mode = "monitor"``, where an
upload leaves while it is scanned (nothing is held or refused in that mode): its figure is
what the user waits for, and the next upload starts once that scan has ended.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "integration"), str(ROOT / "bench")]

from http_bench import make_docx  # noqa: E402
from test_http_big_upload import PEERS, start_peer, stop_peer  # noqa: E402
from test_http_proxy import free_port  # noqa: E402
from test_squid_ssl_bump import start_bump  # noqa: E402

from gateway.web.interception import create_ca, default_ca_paths  # noqa: E402
from tests.fixtures.tls import OriginCa  # noqa: E402

FORM = b"name=Alice+Martin&email=alice%40mail.example&comment=" + b"lunch+at+noon+" * 10


async def fresh_connections(url: str, proxy: str, context: ssl.SSLContext, count: int,
                            concurrency: int) -> tuple[float, int]:
    """(a) GETs, each on a new connection (new CONNECT and TLS handshake): (per s, failures).

    A connection that fails or times out (10 s) is counted, and the rate is over those
    that succeeded.
    """
    queue = list(range(count))
    failures = 0
    connector = aiohttp.TCPConnector(limit=concurrency, force_close=True, ssl=context)
    timeout = aiohttp.ClientTimeout(total=10)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def client() -> None:
            nonlocal failures
            while queue:
                queue.pop()
                try:
                    async with session.get(url, proxy=proxy) as response:
                        await response.read()
                        if response.status != 200:
                            raise aiohttp.ClientError(f"status {response.status}")
                except (aiohttp.ClientError, TimeoutError) as exc:
                    failures += 1
                    print(f"bench: a new connection through {proxy} failed: {exc!r}",
                          file=sys.stderr)

        started = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(concurrency)))
        return (count - failures) / (time.perf_counter() - started), failures


class PostClients:
    """``concurrency`` kept-alive connections through one proxy, posting the small form.

    A POST that gets no answer in 60 s ends the benchmark with the proxy named (a hung
    proxy must not hold the run for minutes).
    """

    def __init__(self, url: str, proxy: str, context: ssl.SSLContext, concurrency: int) -> None:
        self.url = url
        self.proxy = proxy
        self.concurrency = concurrency
        self.session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=concurrency, ssl=context),
            timeout=aiohttp.ClientTimeout(total=60))
        self.headers = {"Content-Type": "application/x-www-form-urlencoded"}

    async def post(self) -> float:
        """One POST; its latency in seconds."""
        started = time.perf_counter()
        try:
            async with self.session.post(self.url, data=FORM, headers=self.headers,
                                         proxy=self.proxy) as response:
                await response.read()
                if response.status != 200:
                    raise SystemExit(f"bench: POST through {self.proxy} answered "
                                     f"{response.status}")
        except TimeoutError:
            raise SystemExit(f"bench: a POST through {self.proxy} got no answer in 60 s") from None
        return time.perf_counter() - started

    async def open(self) -> None:
        """One POST on each connection, so that the timed ones find them open."""
        await asyncio.gather(*(self.post() for _ in range(self.concurrency)))

    async def posts(self, count: int) -> tuple[float, list[float]]:
        """``count`` POSTs over the open connections: (seconds taken, each one's latency)."""
        queue = list(range(count))
        latencies: list[float] = []

        async def client() -> None:
            while queue:
                queue.pop()
                latencies.append(await self.post())

        started = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(self.concurrency)))
        return time.perf_counter() - started, latencies

    async def close(self) -> None:
        await self.session.close()


async def kept_alive_posts(url: str, proxy: str, context: ssl.SSLContext, count: int,
                           concurrency: int) -> tuple[float, float]:
    """Small POSTs over kept-alive connections: (requests/s, median latency in s)."""
    clients = PostClients(url, proxy, context, concurrency)
    try:
        await clients.open()
        seconds, latencies = await clients.posts(count)
        return count / seconds, statistics.median(latencies)
    finally:
        await clients.close()


async def interleaved_posts(url: str, shapes: dict[str, tuple[str, list[int]]],
                            context: ssl.SSLContext, count: int, concurrency: int,
                            slices: int) -> dict[str, tuple[float, float, list[float]]]:
    """(b) ``count`` small POSTs per shape in ``slices`` turns, the shapes taking turns in
    the order given: {shape: (POSTs/s, CPU seconds per POST, latencies)}.

    Taking turns in slices of a second or less, every shape samples the same swings of
    a shared machine's load; the CPU time is that of the shape's own processes during
    its timed slices only (opening the connections is left out).
    """
    clients = {shape: PostClients(url, proxy, context, concurrency)
               for shape, (proxy, _) in shapes.items()}
    seconds = dict.fromkeys(shapes, 0.0)
    cpu = dict.fromkeys(shapes, 0.0)
    latencies: dict[str, list[float]] = {shape: [] for shape in shapes}
    try:
        for shape in shapes:
            await clients[shape].open()
        for turn in range(slices):
            for shape, (_, pids) in shapes.items():
                size = count // slices + (1 if turn < count % slices else 0)
                used = cpu_seconds(pids)
                took, latency = await clients[shape].posts(size)
                cpu[shape] += cpu_seconds(pids) - used
                seconds[shape] += took
                latencies[shape] += latency
    finally:
        for shape in shapes:
            await clients[shape].close()
    return {shape: (count / seconds[shape], cpu[shape] / count, latencies[shape])
            for shape in shapes}


async def one_upload(url: str, proxy: str, context: ssl.SSLContext,
                     payload: bytes) -> float | None:
    """(c) one multipart upload of ``payload`` on a new connection: MB/s, None if it failed.

    An upload that fails (connection closed, an error status, no answer in 600 s) is
    reported on stderr and counted by the caller, not retried.
    """
    timeout = aiohttp.ClientTimeout(total=600)
    connector = aiohttp.TCPConnector(limit=1, ssl=context)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        form = aiohttp.FormData()
        form.add_field("file", payload, filename="report.docx",
                       content_type="application/vnd.openxmlformats-officedocument."
                                    "wordprocessingml.document")
        started = time.perf_counter()
        try:
            async with session.post(url, data=form, proxy=proxy) as response:
                await response.read()
                problem = "" if response.status == 200 else f"status {response.status}"
        except (aiohttp.ClientError, TimeoutError) as exc:
            problem = repr(exc)
        if not problem:
            return len(payload) / 1e6 / (time.perf_counter() - started)
    print(f"bench: an upload through {proxy} failed: {problem}", file=sys.stderr)
    return None


def scan_finished(spool: Path, seconds: float = 600) -> None:
    """Wait until a proxy's spool directory is empty: its last upload's scan has ended."""
    deadline = time.monotonic() + seconds
    while spool.is_dir() and any(spool.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds used so far by the processes ``pids`` and their children."""
    total = 0.0
    for pid in pids:
        try:
            root = psutil.Process(pid)
            processes = [root, *root.children(recursive=True)]
        except psutil.Error:
            continue
        for process in processes:
            try:
                times = process.cpu_times()
            except psutil.Error:  # ended meanwhile (a certificate helper)
                continue
            total += times.user + times.system
    return total


def start_compared(tree: Path, *args: str) -> subprocess.Popen:
    """The forward proxy of another checkout ``tree`` (its own http_peers.py and code)."""
    peers = tree / PEERS.relative_to(ROOT)
    if not peers.is_file():
        raise SystemExit(f"bench: --compare {tree}: no {PEERS.relative_to(ROOT)} there")
    process = subprocess.Popen([sys.executable, str(peers), "proxy", *args],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if process.stdout.readline().strip() != "ready":
        process.kill()
        raise SystemExit(f"bench: the proxy of {tree} did not start: "
                         f"{process.stderr.read()[-2000:]}")
    return process


def main() -> None:
    """Start the origin, both proxies, the ICAP service and Squid; run every case; print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="scanner processes")
    parser.add_argument("--connections", type=int, default=200, help="(a) per run")
    parser.add_argument("--posts", type=int, default=400, help="(b) per run")
    parser.add_argument("--upload-mb", type=int, default=10)
    parser.add_argument("--slices", type=int, default=4,
                        help="(b) and latency: turns the shapes take within a run")
    parser.add_argument("--latency-posts", type=int, default=200,
                        help="one client's POSTs per run and shape")
    parser.add_argument("--uploads", type=int, default=2, help="(c) per run and shape")
    parser.add_argument("--compare", type=Path, metavar="DIR",
                        help="also run the built-in proxy of the checkout DIR, side by side")
    parser.add_argument("--monitor", action="store_true",
                        help="also run the built-in proxy in [policy] mode = monitor")
    args = parser.parse_args()

    load_before = os.getloadavg()
    tmp = Path(tempfile.mkdtemp(prefix="redline-bench-https-"))
    origin_ca = OriginCa.create(tmp)
    origin_cert, origin_key = origin_ca.server_files(tmp, ["localhost"])
    ca_cert, ca_key = default_ca_paths(tmp / "builtin")
    create_ca(ca_cert, ca_key)
    payload = make_docx(args.upload_mb * 1_000_000)

    ports = {name: free_port()
             for name in ("origin", "builtin", "compared", "monitor", "tunnel", "icap")}
    peers = []
    squid = None
    loads: list[float] = []  # the 1-minute load average as each run began
    try:
        peers.append(start_peer("origin", "--listen", f"127.0.0.1:{ports['origin']}",
                                "--tls-cert", str(origin_cert), "--tls-key", str(origin_key)))
        common = ["--connect-port", str(ports["origin"]), "--max-expanded-bytes", str(1 << 30)]
        builtin = start_peer("proxy", "--listen", f"127.0.0.1:{ports['builtin']}", "--data-dir",
                             str(tmp / "builtin"), "--workers", str(args.workers),
                             "--ca-cert", str(ca_cert), "--ca-key", str(ca_key),
                             "--upstream-ca-file", str(origin_ca.path), *common)
        peers.append(builtin)
        # Each shape's URL and the processes whose CPU time it costs.
        shapes: dict[str, tuple[str, list[int]]] = {
            "built-in": (f"http://127.0.0.1:{ports['builtin']}", [builtin.pid])}
        if args.compare:
            compared = start_compared(
                args.compare.resolve(), "--listen", f"127.0.0.1:{ports['compared']}",
                "--data-dir", str(tmp / "compared"), "--workers", str(args.workers),
                "--ca-cert", str(ca_cert), "--ca-key", str(ca_key),
                "--upstream-ca-file", str(origin_ca.path), *common)
            peers.append(compared)
            shapes[f"built-in@{args.compare.resolve().name}"] = (
                f"http://127.0.0.1:{ports['compared']}", [compared.pid])
        if args.monitor:
            monitor = start_peer("proxy", "--listen", f"127.0.0.1:{ports['monitor']}",
                                 "--data-dir", str(tmp / "monitor"), "--workers",
                                 str(args.workers), "--ca-cert", str(ca_cert), "--ca-key",
                                 str(ca_key), "--upstream-ca-file", str(origin_ca.path),
                                 "--policy-mode", "monitor", *common)
            peers.append(monitor)
            shapes["built-in monitor"] = (f"http://127.0.0.1:{ports['monitor']}", [monitor.pid])
        tunnel = start_peer("proxy", "--listen", f"127.0.0.1:{ports['tunnel']}", "--data-dir",
                            str(tmp / "tunnel"), "--workers", "1", "--tunnel", *common)
        peers.append(tunnel)
        icap = start_peer("icap", "--listen", f"127.0.0.1:{ports['icap']}", "--data-dir",
                          str(tmp / "icap"), "--workers", str(args.workers),
                          "--max-expanded-bytes", str(1 << 30))
        peers.append(icap)
        squid = start_bump(ports["icap"], origin_ca.path)
        shapes["squid+icap"] = (squid.url, [squid.process.pid, icap.pid])
        shapes["tunnel"] = (f"http://127.0.0.1:{ports['tunnel']}", [tunnel.pid])

        context = ssl.create_default_context(cafile=str(origin_ca.path))
        context.load_verify_locations(cafile=str(ca_cert))
        context.load_verify_locations(cafile=str(squid.ca))
        base = f"https://localhost:{ports['origin']}"
        figures: dict[str, dict[str, list[float]]] = {s: {} for s in shapes}

        def record(shape: str, measure: str, value: float) -> None:
            figures[shape].setdefault(measure, []).append(value)

        for proxy, _ in shapes.values():
            # Warm up: leaves minted, connections open, every scanner past its first item.
            asyncio.run(kept_alive_posts(f"{base}/warm", proxy, context, 200, args.concurrency))
            asyncio.run(one_upload(f"{base}/warm", proxy, context, payload))
            if proxy == shapes.get("built-in monitor", ("",))[0]:
                scan_finished(tmp / "monitor" / "spool")
        names = list(shapes)
        for run in range(args.runs):
            # Each measure runs for every shape back to back, in an order that rotates from
            # run to run, so that a shared machine's load swings hit all shapes alike.
            loads.append(os.getloadavg()[0])
            order = names[run % len(names):] + names[:run % len(names)]
            for shape in order:
                rate, failed = asyncio.run(fresh_connections(
                    f"{base}/hello", shapes[shape][0], context, args.connections,
                    args.concurrency))
                record(shape, "connections", rate)
                record(shape, "failed_connections", failed)
            turns = {shape: shapes[shape] for shape in order}
            for shape, (rate, cpu, _) in asyncio.run(interleaved_posts(
                    f"{base}/form", turns, context, args.posts, args.concurrency,
                    args.slices)).items():
                record(shape, "posts", rate)
                record(shape, "cpu", cpu)
            for shape, (_, _, latencies) in asyncio.run(interleaved_posts(
                    f"{base}/form", turns, context, args.latency_posts, 1,
                    args.slices)).items():
                record(shape, "latency", statistics.median(latencies))
            rates: dict[str, list[float]] = {shape: [] for shape in names}
            for turn in range(args.uploads):
                # One upload per shape at a time: an upload is mostly a scan seconds long,
                # and shapes measured in blocks saw different loads (ratios swung ±15 %).
                shift = (run + turn) % len(names)
                for shape in names[shift:] + names[:shift]:
                    used = cpu_seconds(shapes[shape][1])
                    rate = asyncio.run(one_upload(f"{base}/upload", shapes[shape][0], context,
                                                  payload))
                    record(shape, "failed", rate is None)
                    if rate is not None:
                        record(shape, "upload", rate)
                        record(shape, "upload_cpu", cpu_seconds(shapes[shape][1]) - used)
                        rates[shape].append(rate)
                    if shape == "built-in monitor":
                        # Its scan goes on after the answer: let it end before the next
                        # shape's upload, which it would otherwise slow down.
                        scan_finished(tmp / "monitor" / "spool")
            for shape in names:  # this run's own figure, for the run's ratio
                record(shape, "upload_run", statistics.median(rates[shape]) if rates[shape]
                       else float("nan"))
            print(f"run {run + 1}/{args.runs} done (load {loads[-1]:.1f})", file=sys.stderr,
                  flush=True)
    finally:
        if squid is not None:
            squid.stop()
        for peer in reversed(peers):
            stop_peer(peer)
    signed = next((line for line in builtin.stderr.read().splitlines()
                   if line.startswith("leaf certificates signed")), "leaf certificates signed: ?")

    med = {s: {m: statistics.median(v) for m, v in ms.items()} for s, ms in figures.items()}
    for shape in shapes:
        med[shape].setdefault("upload", float("nan"))  # every upload failed
        med[shape].setdefault("upload_cpu", float("nan"))
        # What one client's POST waits for beyond the tunnel, run by run (paired in time).
        figures[shape]["added"] = [mine - floor for mine, floor in zip(
            figures[shape]["latency"], figures["tunnel"]["latency"], strict=True)]
        med[shape]["added"] = statistics.median(figures[shape]["added"])
    rows = [
        ("(a) new TLS connections/s", "connections", "{:,.0f}"),
        ("(b) small POSTs/s, kept alive", "posts", "{:,.0f}"),
        ("    CPU per POST, shape's processes (ms)", "cpu", "ms"),
        ("    p50 small POST, 1 client (ms)", "latency", "ms"),
        ("    p50 added over the tunnel (ms)", "added", "+ms"),
        (f"(c) {len(payload) / 1e6:.1f} MB docx upload (MB/s)", "upload", "{:,.1f}"),
        ("    CPU per upload, shape's processes (s)", "upload_cpu", "{:,.2f}"),
    ]
    header = ("", *shapes, "built-in / squid", "runs' range")
    table = []
    for label, measure, fmt in rows:
        cells = [label]
        for shape in shapes:
            if fmt == "+ms":
                cells.append(f"{med[shape][measure] * 1000:+.2f}")
            elif fmt == "ms":
                cells.append(f"{med[shape][measure] * 1000:.2f}")
            else:
                cells.append(fmt.format(med[shape][measure]))
        # Each run's own ratio (its shapes were measured seconds apart): the median and
        # the range. Lower is better for time, higher for rates.
        if measure == "upload_cpu":  # uploads, not runs: the median ratio of the medians
            cells.append(f"{med['squid+icap'][measure] / med['built-in'][measure]:.2f}x less")
            cells.append("")
            table.append(cells)
            continue
        per_run = "upload_run" if measure == "upload" else measure
        mine, theirs = figures["built-in"][per_run], figures["squid+icap"][per_run]
        if measure in ("connections", "posts", "upload"):
            ratios = [a / b for a, b in zip(mine, theirs, strict=True) if b == b and a == a]
            cells.append(f"{statistics.median(ratios):.2f}x" if ratios else "")
            cells.append(f"{min(ratios):.2f}-{max(ratios):.2f}x" if ratios else "")
        elif measure in ("cpu", "latency"):
            ratios = [b / a for a, b in zip(mine, theirs, strict=True)]
            word = "less" if measure == "cpu" else "faster"
            cells.append(f"{statistics.median(ratios):.2f}x {word}")
            cells.append(f"{min(ratios):.2f}-{max(ratios):.2f}x")
        else:  # added latency: the built-in proxy's own range (target: at most 3 ms)
            cells.append("")
            cells.append(f"{min(mine) * 1000:+.2f} to {max(mine) * 1000:+.2f}")
        table.append(cells)
    widths = [max(len(str(r[i])) for r in [header, *table]) for i in range(len(header))]
    load_after = os.getloadavg()
    print(f"HTTPS through a proxy to a loopback aiohttp origin: {args.concurrency} clients, "
          f"{args.workers} scanner processes, median of {args.runs} runs ((c): of "
          f"{args.runs * args.uploads} uploads per shape, taking turns)")
    print(f"load average (1 min) {load_before[0]:.2f} at the start, "
          + ", ".join(f"{load:.1f}" for load in loads)
          + f" as each run began, {load_after[0]:.2f} at the end, on {os.cpu_count()} cores")
    for row in [header, *table]:
        print("  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                        for i, (c, w) in enumerate(zip(row, widths, strict=True))))
    for key, what in (("failed_connections", "new connections"), ("failed", "uploads")):
        failed = {shape: int(sum(figures[shape][key])) for shape in shapes}
        if any(failed.values()):
            print(f"{what} that failed (closed, timed out or an error status): "
                  + ", ".join(f"{shape} {n}" for shape, n in failed.items()))
    total = (args.runs * args.connections + 201
             + args.runs * (args.posts + args.latency_posts + args.uploads))
    print(f"built-in {signed} (one host, about {total} requests on "
          f"{args.runs * args.connections}+ new TLS connections): cached leaves sign nothing")


if __name__ == "__main__":
    main()
