"""SMTP benchmark: Postfix's smtp-source into Redline, into Postfix as a relay and straight into
smtp-sink, side by side in one run; prints messages/s, ratios, added latency and worker memory.

Run it with ``bash bench/smtp.sh`` (which checks the tools). Everything listens on free
loopback ports and stops by itself; Postfix runs from a private config directory.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import smtplib
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from integration.postfix_harness import PrivatePostfix  # noqa: E402  (after the path)
from integration.smtp_harness import free_port, wait_for_port  # noqa: E402

REDLINE = ROOT / ".venv" / "bin" / "redline"
SIZES = {"10 KB": 10_000, "100 KB": 100_000, "1 MB": 1_000_000}
# Messages per run, by (size, sessions): enough for a second or more of work each.
COUNTS = {(10_000, 16): 1500, (10_000, 1): 300, (100_000, 16): 600, (100_000, 1): 150,
          (1_000_000, 16): 120, (1_000_000, 1): 40}
TARGETS = {"10 KB x 16": 2.0, "1 MB x 16": 1.0}  # Redline / Postfix relay (issue 21)


class Sink:
    """Postfix's smtp-sink: accepts and discards everything."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [shutil.which("smtp-sink") or "/usr/sbin/smtp-sink", "-u", "nobody",
             f"127.0.0.1:{self.port}", "512"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.port)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


class Redline:
    """``redline serve --workers N`` relaying to the sink, full inspection."""

    def __init__(self, workdir: Path, sink_port: int, workers: int, name: str = "redline",
                 config: str = "", source: Path | None = None) -> None:
        self.port = free_port()
        # ``source``: another checkout of Redline (an earlier commit, for a before/after
        # comparison in one run), run with this tree's virtual environment. By default
        # this tree's own code: the virtual environment's ``redline`` script imports the
        # checkout it was installed from, which a git worktree sharing it is not.
        source = source or ROOT
        command = [str(REDLINE.parent / "python"), "-c",
                   "import sys; from gateway.cli import main; sys.exit(main())"]
        env = {**os.environ, "PYTHONPATH": str(source.resolve())}
        self.log = (workdir / f"{name}.log").open("w")
        options = []
        if config:  # TOML text for this instance
            (workdir / f"{name}.toml").write_text(config)
            options = ["--config", str(workdir / f"{name}.toml")]
        self.process = subprocess.Popen(
            [*command, "serve", *options, "--data-dir", str(workdir / name), "--smtp",
             f"127.0.0.1:{self.port}", "--upstream", f"127.0.0.1:{sink_port}",
             "--workers", str(workers), "--http", "off", "--icap", "off", "--ui", "off",
             "--metrics", "off"], stdout=subprocess.DEVNULL, stderr=self.log, cwd=workdir, env=env)
        self.log_path = workdir / f"{name}.log"
        deadline = time.monotonic() + 120  # start-up compiles rules on a busy machine
        while "redline: ready" not in self.log_path.read_text() and time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"bench: redline serve exited:\n{self.log_path.read_text()}")
            time.sleep(0.05)

    def workers(self) -> list[int]:
        pid = self.process.pid
        children = [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        started = {int(p) for p in re.findall(r"worker \d+ started pid=(\d+)", self.log_path.read_text())}
        return [c for c in children if c in started]

    def stop(self) -> None:
        stop_process(self.process, 40)
        self.log.close()


def stop_process(process: subprocess.Popen, seconds: float) -> None:
    """SIGTERM, then SIGKILL if ``process`` has not ended within ``seconds``."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


def peak_rss_mb(pid: int) -> float:
    """VmHWM (the process's peak resident memory) in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def private_mb(pid: int) -> float:
    """Memory only ``pid`` uses now (private clean + dirty pages) in MB: VmHWM also counts
    the pages a worker shares with the supervisor it was forked from (compiled rules)."""
    total = 0
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith(("Private_Clean:", "Private_Dirty:")):
            total += int(line.split()[1])
    return total / 1024


def smtp_source(port: int, size: int, sessions: int, count: int) -> float:
    """Messages per second smtp-source got accepted (it fails on any non-2xx reply)."""
    started = time.monotonic()
    result = subprocess.run(
        [shutil.which("smtp-source") or "/usr/sbin/smtp-source", "-s", str(sessions),
         "-l", str(size), "-m", str(count), "-f", "bench@example.org", "-t", "rcpt@example.com",
         "-M", "client.bench.test", f"127.0.0.1:{port}"],
        capture_output=True, text=True, timeout=600)
    elapsed = time.monotonic() - started
    if result.returncode != 0 or result.stderr.strip():
        raise SystemExit(f"bench: smtp-source to port {port} failed: {result.stderr.strip()}")
    return count / elapsed


def latencies(port: int, size: int, count: int) -> list[float]:
    """Seconds per transaction (MAIL to the reply to DATA) over one reused session."""
    body = ("The quarterly figures are attached for review by the board.\r\n" * (size // 62 + 1))
    message = (f"From: bench@example.org\r\nTo: rcpt@example.com\r\nSubject: latency\r\n\r\n"
               f"{body[:size]}\r\n").encode()
    out = []
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        smtp.ehlo("client.bench.test")
        for _ in range(count):
            started = time.perf_counter()
            smtp.mail("bench@example.org")
            smtp.rcpt("rcpt@example.com")
            code, _ = smtp.data(message)
            out.append(time.perf_counter() - started)
            if code != 250:
                raise SystemExit(f"bench: latency run got {code} from port {port}")
    return out


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def latency_and_memory(workdir: Path, sink: Sink, redline: Redline, workers: int
                       ) -> tuple[float, ...]:
    """Added latency (base, p50, p99 in ms) at one session, then (after stopping
    ``redline``) peak memory of a fresh Redline passing one 50 MB message."""
    # Added latency: one session, 10 KB, against the sink's own answer time.
    direct = latencies(sink.port, 10_000, 300)
    through = latencies(redline.port, 10_000, 300)
    base = statistics.median(direct)
    p50 = (percentile(through, 0.50) - base) * 1000
    p99 = (percentile(through, 0.99) - base) * 1000
    redline.stop()
    # Memory: a fresh Redline, one 50 MB message, then every worker's and scanner's peak.
    memory = Redline(workdir, sink.port, workers, name="redline-memory")
    try:
        before = {pid: peak_rss_mb(pid) for pid in memory.workers()}
        private_idle = max(private_mb(pid) for pid in before)
        smtp_source(memory.port, 50_000_000, 1, 1)
        worker_pids = memory.workers()
        worker_peak = max(peak_rss_mb(pid) for pid in worker_pids)
        private_after = max(private_mb(pid) for pid in worker_pids)
        scanners = [int(c) for pid in worker_pids
                    for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        scanner_peak = max((peak_rss_mb(pid) for pid in scanners), default=0.0)
        idle = max(before.values())
    finally:
        memory.stop()
    return base, p50, p99, worker_peak, idle, scanner_peak, private_idle, private_after


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per cell; the median is shown")
    parser.add_argument("--workers", type=int, default=2, help="Redline worker processes")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the message counts")
    parser.add_argument("--cells", default="", help="only these cells, comma-separated, e.g. "
                        "\"10 KB x 16,1 MB x 16\" (default: all); latency and memory only "
                        "when every cell runs")
    parser.add_argument("--baseline", type=Path, default=None,
                        help="another checkout of Redline (e.g. a git worktree of an earlier "
                        "commit) run side by side as a fourth target")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="redline-bench-"))
    load_before = " ".join(f"{v:.1f}" for v in os.getloadavg())
    sink = Sink()
    relay = redline = baseline = None
    try:
        relay = PrivatePostfix(workdir, f"[127.0.0.1]:{sink.port}")
        redline = Redline(workdir, sink.port, args.workers)
        targets = {"direct": sink.port, "postfix": relay.port, "redline": redline.port}
        if args.baseline is not None:
            baseline = Redline(workdir, sink.port, args.workers, name="baseline",
                               source=args.baseline)
            targets["baseline"] = baseline.port
        print(f"bench: {os.cpu_count()} cores, Redline --workers {args.workers}, "
              f"{args.runs} runs per cell (median); work dir {workdir}", file=sys.stderr)
        rows = []
        wanted = {c.strip() for c in args.cells.split(",") if c.strip()}
        for label, size in SIZES.items():
            for sessions in (1, 16):
                if wanted and f"{label} x {sessions}" not in wanted:
                    continue
                count = max(10, int(COUNTS[(size, sessions)] * args.scale))
                rates: dict[str, list[float]] = {name: [] for name in targets}
                for _ in range(args.runs):
                    for name, port in targets.items():
                        rates[name].append(smtp_source(port, size, sessions, count))
                        if name == "postfix" and not relay.drain():
                            print("bench: Postfix queue did not drain in time", file=sys.stderr)
                median = {name: statistics.median(v) for name, v in rates.items()}
                rows.append((f"{label} x {sessions}", count, median))
                print(f"bench: {label} x {sessions}: " + ", ".join(
                    f"{n} {v:.0f}/s" for n, v in median.items()), file=sys.stderr)
        extras = None
        if baseline is not None:
            baseline.stop()
            baseline = None
        if not wanted:
            running, redline = redline, None  # latency_and_memory stops it
            extras = latency_and_memory(workdir, sink, running, args.workers)
    finally:
        if redline is not None:
            redline.stop()
        if baseline is not None:
            baseline.stop()
        if relay is not None:
            relay.stop()
        sink.stop()

    print(f"\nRedline SMTP benchmark ({os.cpu_count()} cores, --workers {args.workers}, full "
          f"inspection, median of {args.runs} runs; messages/s accepted; load average "
          f"{load_before} before, {' '.join(f'{v:.1f}' for v in os.getloadavg())} after)\n")
    print(f"| {'mail x sessions':<16} | {'msgs':>5} | {'sink':>8} | {'Postfix':>8} | {'Redline':>8} "
          f"| {'Redline/Postfix':>15} | {'Redline/sink':>12} | {'target':>9} |")
    print(f"|{'-' * 18}|{'-' * 7}|{'-' * 10}|{'-' * 10}|{'-' * 10}|{'-' * 17}|{'-' * 14}|{'-' * 11}|")
    for cell, count, median in rows:
        ratio = median["redline"] / median["postfix"]
        target = TARGETS.get(cell)
        verdict = "" if target is None else (f">= {target:.1f} " + ("ok" if ratio >= target else "MISS"))
        print(f"| {cell:<16} | {count:>5} | {median['direct']:>8.0f} | {median['postfix']:>8.0f} | "
              f"{median['redline']:>8.0f} | {ratio:>14.2f}x | {median['redline'] / median['direct']:>11.3f}x "
              f"| {verdict:>9} |")
    if args.baseline is not None:
        print(f"\nBaseline: {args.baseline} (same cells, same run)\n")
        print(f"| {'mail x sessions':<16} | {'baseline':>8} | {'Redline':>8} | {'Redline/baseline':>16} "
              f"| {'baseline/Postfix':>16} |")
        print(f"|{'-' * 18}|{'-' * 10}|{'-' * 10}|{'-' * 18}|{'-' * 18}|")
        for cell, _, median in rows:
            print(f"| {cell:<16} | {median['baseline']:>8.0f} | {median['redline']:>8.0f} | "
                  f"{median['redline'] / median['baseline']:>15.2f}x | "
                  f"{median['baseline'] / median['postfix']:>15.2f}x |")
    if extras is None:
        shutil.rmtree(workdir, ignore_errors=True)
        return 0
    base, p50, p99, worker_peak, idle, scanner_peak, private_idle, private_after = extras
    print(f"\nAdded latency, 10 KB, one session, 300 messages (Redline minus the sink's median "
          f"{base * 1000:.2f} ms): p50 {p50:.1f} ms, p99 {p99:.1f} ms "
          f"(target p99 <= 20 ms: {'ok' if p99 <= 20 else 'MISS'})")
    print(f"Peak memory with one 50 MB message: worker {worker_peak:.0f} MB (idle {idle:.0f} MB), "
          f"scanner {scanner_peak:.0f} MB (target worker < 200 MB: "
          f"{'ok' if worker_peak < 200 else 'MISS'}); worker's own (private) memory "
          f"{private_idle:.0f} MB idle, {private_after:.0f} MB after the message")
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
