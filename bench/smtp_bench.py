"""SMTP benchmark: Postfix's smtp-source into Redline, into Postfix as a relay and straight into
smtp-sink, side by side in one run; prints messages/s, ratios, added latency (one session and 16)
and worker memory by message size (10 KB to 50 MB).

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
COUNTS = {
    (10_000, 16): 1500,
    (10_000, 1): 300,
    (100_000, 16): 600,
    (100_000, 1): 150,
    (1_000_000, 16): 120,
    (1_000_000, 1): 40,
}
TARGETS = {"10 KB x 16": 2.0, "1 MB x 16": 1.0}  # Redline / Postfix relay (issue 21)


class Sink:
    """Postfix's smtp-sink: accepts and discards everything."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                shutil.which("smtp-sink") or "/usr/sbin/smtp-sink",
                "-u",
                "nobody",
                f"127.0.0.1:{self.port}",
                "512",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


class Redline:
    """``redline serve --workers N`` relaying to the sink, full inspection."""

    def __init__(
        self,
        workdir: Path,
        sink_port: int,
        workers: int,
        name: str = "redline",
        config: str = "",
        source: Path | None = None,
        hooks: Path | None = None,
    ) -> None:
        self.port = free_port()
        # ``source``: another checkout of Redline (an earlier commit, for a before/after
        # comparison in one run), run with this tree's virtual environment. By default
        # this tree's own code: the virtual environment's ``redline`` script imports the
        # checkout it was installed from, which a git worktree sharing it is not.
        source = source or ROOT
        command = [
            str(REDLINE.parent / "python"),
            "-c",
            "import sys; from gateway.cli import main; sys.exit(main())",
        ]
        # ``hooks``: a folder put first on the path (its sitecustomize.py runs at start:
        # bench/smtp_profile.py --cprofile profiles the workers from there).
        path = [str(hooks.resolve())] if hooks is not None else []
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([*path, str(source.resolve())])}
        self.log = (workdir / f"{name}.log").open("w")
        options = []
        if config:  # TOML text for this instance
            (workdir / f"{name}.toml").write_text(config)
            options = ["--config", str(workdir / f"{name}.toml")]
        self.process = subprocess.Popen(
            [
                *command,
                "serve",
                *options,
                "--data-dir",
                str(workdir / name),
                "--smtp",
                f"127.0.0.1:{self.port}",
                "--upstream",
                f"127.0.0.1:{sink_port}",
                "--workers",
                str(workers),
                "--http",
                "off",
                "--icap",
                "off",
                "--ui",
                "off",
                "--metrics",
                "off",
            ],
            stdout=subprocess.DEVNULL,
            stderr=self.log,
            cwd=workdir,
            env=env,
        )
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
        [
            shutil.which("smtp-source") or "/usr/sbin/smtp-source",
            "-s",
            str(sessions),
            "-l",
            str(size),
            "-m",
            str(count),
            "-f",
            "bench@example.org",
            "-t",
            "rcpt@example.com",
            "-M",
            "client.bench.test",
            f"127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    elapsed = time.monotonic() - started
    if result.returncode != 0 or result.stderr.strip():
        raise SystemExit(f"bench: smtp-source to port {port} failed: {result.stderr.strip()}")
    return count / elapsed


def latencies(port: int, size: int, count: int) -> list[float]:
    """Seconds per transaction (MAIL to the reply to DATA) over one reused session."""
    body = "The quarterly figures are attached for review by the board.\r\n" * (size // 62 + 1)
    message = (
        f"From: bench@example.org\r\nTo: rcpt@example.com\r\nSubject: latency\r\n\r\n{body[:size]}\r\n"
    ).encode()
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


def added_latency(base: float, redline: Redline, sessions: int) -> tuple[float, float]:
    """Added latency (p50, p99 in ms) of a 10 KB mail over one measured session while
    ``sessions - 1`` others (smtp-source) keep Redline busy, against ``base`` (the sink's
    median in seconds)."""
    load = None
    if sessions > 1:
        load = subprocess.Popen(
            [
                shutil.which("smtp-source") or "/usr/sbin/smtp-source",
                "-s",
                str(sessions - 1),
                "-l",
                "10000",
                "-m",
                "1000000",
                "-f",
                "bench@example.org",
                "-t",
                "rcpt@example.com",
                "-M",
                "client.bench.test",
                f"127.0.0.1:{redline.port}",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(0.5)  # the other sessions are under way
    try:
        through = latencies(redline.port, 10_000, 300)
    finally:
        if load is not None:
            stop_process(load, 10)
    return ((percentile(through, 0.50) - base) * 1000, (percentile(through, 0.99) - base) * 1000)


MEMORY_SIZES = {"10 KB": 10_000, "1 MB": 1_000_000, "10 MB": 10_000_000, "50 MB": 50_000_000}


def memory_by_size(workdir: Path, sink: Sink, workers: int) -> list[tuple[str, float, float, float]]:
    """A fresh Redline passing one mail of each size, smallest first: after each, the
    workers' peak RSS, the most private memory a worker holds, and the scanners' peak
    RSS (MB). Peaks only grow, so a size that needs more memory shows as a step."""
    memory = Redline(workdir, sink.port, workers, name="redline-memory")
    rows = []
    try:
        pids = memory.workers()
        rows.append(("idle", max(peak_rss_mb(p) for p in pids), max(private_mb(p) for p in pids), 0.0))
        for label, size in MEMORY_SIZES.items():
            smtp_source(memory.port, size, 1, 1)
            scanners = [
                int(c) for pid in pids for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            ]
            rows.append(
                (
                    label,
                    max(peak_rss_mb(p) for p in pids),
                    max(private_mb(p) for p in pids),
                    max((peak_rss_mb(p) for p in scanners), default=0.0),
                )
            )
    finally:
        memory.stop()
    return rows


def print_memory(rows: list[tuple[str, float, float, float]]) -> None:
    """The memory table of ``memory_by_size``."""
    print(
        "\nWorker memory by message size (one fresh Redline, one mail of each size in turn, "
        "smallest first; MB):\n"
    )
    print(f"| {'after':<7} | {'worker peak RSS':>15} | {'worker private':>14} | {'scanner peak RSS':>16} |")
    print(f"|{'-' * 9}|{'-' * 17}|{'-' * 16}|{'-' * 18}|")
    for label, peak, private, scanner in rows:
        print(f"| {label:<7} | {peak:>15.0f} | {private:>14.1f} | {scanner:>16.0f} |")
    # Peak RSS counts the pages a worker shares with the supervisor (compiled rules), so its
    # idle value is large; what matters is that it does not rise with the message size.
    rise = max(r[1] for r in rows) - rows[0][1]
    grown = rows[-1][2] - rows[1][2]
    print(
        f"\nWorker peak RSS rises {rise:.0f} MB from idle to after the 50 MB mail, its private "
        f"memory {grown:.1f} MB from after the 10 KB mail (target: flat in message size, "
        f"under 20 MB either way: {'ok' if max(rise, grown) < 20 else 'MISS'})."
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per cell; the median is shown")
    parser.add_argument("--workers", type=int, default=2, help="Redline worker processes")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the message counts")
    parser.add_argument(
        "--cells",
        default="",
        help="only these cells, comma-separated, e.g. "
        '"10 KB x 16,1 MB x 16" (default: all); latency and memory only '
        "when every cell runs",
    )
    parser.add_argument(
        "--latency", action="store_true",
        help="measure added latency also when --cells picks cells (of the baseline too)")
    parser.add_argument(
        "--memory-only", action="store_true", help="only the memory table (worker memory by message size)"
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        default=None,
        help="another checkout of Redline (e.g. a git worktree of an earlier "
        "commit) run side by side as a fourth target",
    )
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="redline-bench-"))
    load_before = " ".join(f"{v:.1f}" for v in os.getloadavg())
    sink = Sink()
    if args.memory_only:
        try:
            memory = memory_by_size(workdir, sink, args.workers)
        finally:
            sink.stop()
        print(
            f"Redline SMTP memory ({os.cpu_count()} cores, --workers {args.workers}; load "
            f"average {load_before})"
        )
        print_memory(memory)
        shutil.rmtree(workdir, ignore_errors=True)
        return 0
    relay = redline = baseline = None
    try:
        relay = PrivatePostfix(workdir, f"[127.0.0.1]:{sink.port}")
        redline = Redline(workdir, sink.port, args.workers)
        targets = {"direct": sink.port, "postfix": relay.port, "redline": redline.port}
        if args.baseline is not None:
            baseline = Redline(workdir, sink.port, args.workers, name="baseline", source=args.baseline)
            targets["baseline"] = baseline.port
        print(
            f"bench: {os.cpu_count()} cores, Redline --workers {args.workers}, "
            f"{args.runs} runs per cell (median); work dir {workdir}",
            file=sys.stderr,
        )
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
                print(
                    f"bench: {label} x {sessions}: " + ", ".join(f"{n} {v:.0f}/s" for n, v in median.items()),
                    file=sys.stderr,
                )
        latency = memory = base = None
        baseline_latency: dict[int, tuple[float, float]] = {}
        if not wanted or args.latency:
            base = statistics.median(latencies(sink.port, 10_000, 100))
            latency = {}
            for sessions in (1, 16):
                # Alternated with the baseline, one session count at a time.
                latency[sessions] = added_latency(base, redline, sessions)
                if baseline is not None:
                    baseline_latency[sessions] = added_latency(base, baseline, sessions)
        if baseline is not None:
            baseline.stop()
            baseline = None
        if not wanted:
            redline.stop()
            redline = None
            memory = memory_by_size(workdir, sink, args.workers)
    finally:
        if redline is not None:
            redline.stop()
        if baseline is not None:
            baseline.stop()
        if relay is not None:
            relay.stop()
        sink.stop()

    print(
        f"\nRedline SMTP benchmark ({os.cpu_count()} cores, --workers {args.workers}, full "
        f"inspection, median of {args.runs} runs; messages/s accepted; load average "
        f"{load_before} before, {' '.join(f'{v:.1f}' for v in os.getloadavg())} after)\n"
    )
    print(
        f"| {'mail x sessions':<16} | {'msgs':>5} | {'sink':>8} | {'Postfix':>8} | {'Redline':>8} "
        f"| {'Redline/Postfix':>15} | {'Redline/sink':>12} | {'target':>9} |"
    )
    print(f"|{'-' * 18}|{'-' * 7}|{'-' * 10}|{'-' * 10}|{'-' * 10}|{'-' * 17}|{'-' * 14}|{'-' * 11}|")
    for cell, count, median in rows:
        ratio = median["redline"] / median["postfix"]
        target = TARGETS.get(cell)
        verdict = "" if target is None else (f">= {target:.1f} " + ("ok" if ratio >= target else "MISS"))
        print(
            f"| {cell:<16} | {count:>5} | {median['direct']:>8.0f} | {median['postfix']:>8.0f} | "
            f"{median['redline']:>8.0f} | {ratio:>14.2f}x | {median['redline'] / median['direct']:>11.3f}x "
            f"| {verdict:>9} |"
        )
    if args.baseline is not None:
        print(f"\nBaseline: {args.baseline} (same cells, same run)\n")
        print(
            f"| {'mail x sessions':<16} | {'baseline':>8} | {'Redline':>8} | {'Redline/baseline':>16} "
            f"| {'baseline/Postfix':>16} |"
        )
        print(f"|{'-' * 18}|{'-' * 10}|{'-' * 10}|{'-' * 18}|{'-' * 18}|")
        for cell, _, median in rows:
            print(
                f"| {cell:<16} | {median['baseline']:>8.0f} | {median['redline']:>8.0f} | "
                f"{median['redline'] / median['baseline']:>15.2f}x | "
                f"{median['baseline'] / median['postfix']:>15.2f}x |"
            )
    if latency is not None and base is not None:
        print(
            f"\nAdded latency, 10 KB, 300 messages on one measured session (Redline minus the "
            f"sink's median {base * 1000:.2f} ms; target p99 <= 20 ms at 16 sessions):"
        )
        for sessions, (p50, p99) in latency.items():
            print(
                f"  {sessions:>2} session(s): p50 {p50:.1f} ms, p99 {p99:.1f} ms"
                + (f" ({'ok' if p99 <= 20 else 'MISS'})" if sessions == 16 else "")
                + (f"; baseline p50 {baseline_latency[sessions][0]:.1f} ms, p99 "
                   f"{baseline_latency[sessions][1]:.1f} ms" if sessions in baseline_latency else "")
            )
    if memory is not None:
        print_memory(memory)
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
