"""CPU per mail of the Postfix relay beside Redline's, in one run: what a busy machine's
rates hide.

    .venv/bin/python bench/smtp_cpu.py [--size 1000000] [--sessions 16] [--count 120]
        [--runs 3] [--baseline DIR]

smtp-source sends the same mails to each target in turn (Postfix, Redline, the baseline
checkout if given), --runs times; the table gives the median CPU milliseconds per mail
(Redline's also split into its workers', the SMTP side, and its scanners') and the median
rate. Postfix's CPU is its master's whole process tree (the smtpd,
cleanup, qmgr and smtp processes, live or reaped), counted after its queue has drained,
so its delivery to the sink is in; Redline's is its workers' and scanners'. The kernel
shares a busy machine's cores per process, and at 16 sessions Postfix runs about fifty
processes to Redline's six: there the rates understate Redline more than its CPU per
mail does. Needs Postfix (bash scripts/setup.sh --test).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from smtp_bench import PrivatePostfix, Redline, Sink, smtp_source
from smtp_profile import children

TICK = os.sysconf("SC_CLK_TCK")


def _times(pid: int) -> tuple[float, float]:
    """(own, reaped children's) CPU seconds of ``pid``."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    utime, stime, cutime, cstime = (int(x) / TICK for x in fields[11:15])
    return utime + stime, cutime + cstime


def tree_seconds(root: int) -> float:
    """CPU seconds of ``root`` and every process below it, reaped ones included."""
    total = 0.0
    todo = [root]
    while todo:
        pid = todo.pop()
        try:
            own, reaped = _times(pid)
        except OSError:  # exited meanwhile: its parent's reaped time has it
            continue
        total += own + reaped
        todo += children(pid)
    return total


def redline_seconds(redline: Redline) -> tuple[float, float]:
    """CPU seconds of Redline's workers and of their scanners (their own, not reaped)."""
    workers = redline.workers()
    totals = [0.0, 0.0]
    for index, pids in enumerate((workers, [c for w in workers for c in children(w)])):
        for pid in pids:
            try:
                totals[index] += _times(pid)[0]
            except OSError:
                continue
    return totals[0], totals[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="message size in bytes")
    parser.add_argument("--sessions", type=int, default=16)
    parser.add_argument("--count", type=int, default=120, help="messages per target and run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--baseline", type=Path, default=None,
                        help="another checkout of Redline, measured in the same run")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="redline-cpu-"))
    sink = Sink()
    relay = PrivatePostfix(workdir, f"[127.0.0.1]:{sink.port}")
    targets = {"redline": Redline(workdir, sink.port, args.workers)}
    if args.baseline is not None:
        targets["baseline"] = Redline(workdir, sink.port, args.workers, name="baseline",
                                      source=args.baseline)
    cpu: dict[str, list[float]] = {name: [] for name in ("postfix", *targets)}
    # Redline's CPU split: its workers' (the SMTP side) and its scanners'.
    split: dict[str, list[tuple[float, float]]] = {name: [] for name in targets}
    rate: dict[str, list[float]] = {name: [] for name in cpu}
    load_before = " ".join(f"{v:.1f}" for v in os.getloadavg())
    try:
        pid_file = Path(relay.postconf_value("queue_directory"), "pid", "master.pid")
        master = int(pid_file.read_text().split()[0])
        for _ in range(args.runs):
            used = tree_seconds(master)
            rate["postfix"].append(smtp_source(relay.port, args.size, args.sessions, args.count))
            if not relay.drain():
                print("smtp_cpu: Postfix queue did not drain in time", file=sys.stderr)
            time.sleep(0.5)  # the last deliveries' processes settle
            cpu["postfix"].append((tree_seconds(master) - used) * 1000 / args.count)
            for name, redline in targets.items():
                workers, scanners = redline_seconds(redline)
                rate[name].append(smtp_source(redline.port, args.size, args.sessions, args.count))
                workers_after, scanners_after = redline_seconds(redline)
                split[name].append(((workers_after - workers) * 1000 / args.count,
                                    (scanners_after - scanners) * 1000 / args.count))
                cpu[name].append(sum(split[name][-1]))
    finally:
        for redline in targets.values():
            redline.stop()
        relay.stop()
        sink.stop()
    load_after = " ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"CPU per mail, {args.size} bytes x {args.sessions} sessions, {args.count} mails, "
          f"median of {args.runs} runs (load {load_before} before, {load_after} after)\n")
    print("| target | CPU ms per mail | runs | workers | scanners | mails/s |")
    print("|---|---|---|---|---|---|")
    for name, values in cpu.items():
        runs = ", ".join(f"{v:.2f}" for v in values)
        parts = split.get(name)
        workers = (f"{statistics.median(w for w, _ in parts):.2f} "
                   f"({', '.join(f'{w:.2f}' for w, _ in parts)})") if parts else "-"
        scanners = f"{statistics.median(s for _, s in parts):.2f}" if parts else "-"
        print(f"| {name} | {statistics.median(values):.2f} | {runs} | {workers} | {scanners} | "
              f"{statistics.median(rate[name]):.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
