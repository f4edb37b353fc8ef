"""Where Redline's SMTP path spends its CPU: py-spy samples the workers and scanners of
``redline serve --workers N`` while smtp-source sends one kind of mail into it.

    .venv/bin/python bench/smtp_profile.py [--size 10000] [--sessions 16] [--count 1500]
        [--out DIR] [--gil] [--cprofile] [--no-spy] [--source DIR]

Prints the functions with the most samples (own and inclusive) for the worker processes
and the scanner processes separately, and leaves py-spy's collapsed stacks in ``--out``
(``worker.txt``/``scanner.txt``, one stack per line: feed them to flamegraph.pl or
speedscope for a flame graph). Needs py-spy (``.venv/bin/pip install py-spy``) and
permission to trace (root, or kernel.yama.ptrace_scope = 0).

py-spy samples where a thread is, not whether it runs: on a busy machine a worker that
wakes its peer with a write (a reply, the scanner's pipe) is often preempted there, so
StreamWriter.write shows a third of the worker's samples while the worker's system time
is a fifth of its CPU. ``--cprofile`` instead runs each worker under cProfile timed by
the worker thread's CPU clock (``worker-PID.prof`` in ``--out``) and prints CPU per mail
by function; the profiler's own cost (a clock read per call) inflates functions called
often, so read the shares, not the totals.
"""

from __future__ import annotations

import argparse
import collections
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from smtp_bench import Redline, Sink

PY_SPY = Path(shutil.which("py-spy") or Path(sys.executable).parent / "py-spy")


def children(pid: int) -> list[int]:
    """The direct child processes of ``pid``."""
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def cpu_seconds(pids: list[int]) -> tuple[float, float, int]:
    """User and system CPU seconds and minor page faults so far of ``pids`` together."""
    tick = os.sysconf("SC_CLK_TCK")
    user = system = 0.0
    faults = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        faults += int(fields[7])
        user += int(fields[11]) / tick
        system += int(fields[12]) / tick
    return user, system, faults


def summary(stacks: Path, top: int) -> str:
    """The ``top`` functions by own and by inclusive samples in a collapsed-stacks file."""
    own: collections.Counter[str] = collections.Counter()
    inclusive: collections.Counter[str] = collections.Counter()
    total = 0
    for line in stacks.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack:
            continue
        samples = int(count)
        total += samples
        frames = [f.split(" (")[0] + " (" + f.split(" (")[1].split(":")[0].rsplit("/", 1)[-1]
                  + ")" if " (" in f else f for f in stack.split(";")]
        own[frames[-1]] += samples
        for frame in set(frames):
            inclusive[frame] += samples
    if not total:
        return "  (no samples)"
    lines = [f"  {total} samples; own:"]
    lines += [f"    {n * 100 / total:5.1f}%  {name}" for name, n in own.most_common(top)]
    lines.append("  inclusive:")
    lines += [f"    {n * 100 / total:5.1f}%  {name}" for name, n in inclusive.most_common(top)]
    return "\n".join(lines)


_SITECUSTOMIZE = """\
import cProfile, os, time
import gateway.supervisor as _supervisor

_run_loop = _supervisor.run_loop


def run_loop(main, event_loop):
    profile = cProfile.Profile(time.thread_time)
    profile.enable()
    try:
        return _run_loop(main, event_loop)
    finally:
        profile.disable()
        profile.dump_stats(os.path.join({out!r}, f"worker-{{os.getpid()}}.prof"))


_supervisor.run_loop = run_loop
"""


def _cprofile_hooks(workdir: Path, out: Path) -> Path:
    """A folder whose sitecustomize.py profiles each worker's event loop (run_loop)."""
    hooks = workdir / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(_SITECUSTOMIZE.format(out=str(out.resolve())))
    return hooks


def cprofile_summary(out: Path, mails: int, top: int) -> str:
    """The ``top`` functions of the workers' cProfile files by own and by inclusive CPU,
    in microseconds per mail (start-up and the idle drain included, spread thin)."""
    import pstats

    files = sorted(str(p) for p in out.glob("worker-*.prof"))
    if not files:
        return "  (no profiles: did the workers exit cleanly?)"
    stats = pstats.Stats(*files).stats  # type: ignore[attr-defined]

    def name(key: tuple[str, int, str]) -> str:
        return f"{key[2]} ({Path(key[0]).name}:{key[1]})"

    own = sum(v[2] for v in stats.values())
    lines = [f"  {own * 1e6 / mails:.0f} us of profiled CPU per mail; own:"]
    for key, v in sorted(stats.items(), key=lambda kv: -kv[1][2])[:top]:
        lines.append(f"    {v[2] * 1e6 / mails:7.1f} us  {v[1] / mails:6.2f} calls  {name(key)}")
    lines.append("  inclusive:")
    for key, v in sorted(stats.items(), key=lambda kv: -kv[1][3])[:top]:
        lines.append(f"    {v[3] * 1e6 / mails:7.1f} us  {name(key)}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000, help="message size in bytes")
    parser.add_argument("--sessions", type=int, default=16)
    parser.add_argument("--count", type=int, default=1500, help="messages to send")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--no-spy", action="store_true", help="CPU per mail only, no sampling")
    parser.add_argument("--gil", action="store_true",
                        help="sample only threads holding the GIL (py-spy --gil): leaves out "
                        "idle threads and the loop's wait, which py-spy can count as busy")
    parser.add_argument("--source", type=Path, default=None,
                        help="profile another checkout of Redline (e.g. an earlier commit)")
    parser.add_argument("--out", type=Path, default=None, help="where the stacks are kept")
    parser.add_argument("--cprofile", action="store_true",
                        help="profile the workers with cProfile on their CPU clock (no py-spy)")
    args = parser.parse_args()
    if args.cprofile:
        args.no_spy = True
    if not args.no_spy and not PY_SPY.exists():
        raise SystemExit(f"profile: {PY_SPY} is missing; .venv/bin/pip install py-spy")
    workdir = Path(tempfile.mkdtemp(prefix="redline-profile-"))
    out = args.out or workdir
    out.mkdir(parents=True, exist_ok=True)
    sink = Sink()
    hooks = _cprofile_hooks(workdir, out) if args.cprofile else None
    redline = Redline(workdir, sink.port, args.workers, source=args.source, hooks=hooks)
    spies = []
    try:
        workers = redline.workers()
        scanners = [s for w in workers for s in children(w)]
        for name, pids in (("worker", workers), ("scanner", scanners)):
            for pid in [] if args.no_spy else pids:
                spies.append((name, pid, out / f"{name}-{pid}.txt", subprocess.Popen(
                    [str(PY_SPY), "record", "--pid", str(pid), "--format", "raw", "--rate",
                     "200", *(["--gil"] if args.gil else []),
                     "--output", str(out / f"{name}-{pid}.txt")],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)))
        time.sleep(1.0)  # py-spy attaches
        before = {"worker": cpu_seconds(workers), "scanner": cpu_seconds(scanners)}
        started = time.monotonic()
        subprocess.run([shutil.which("smtp-source") or "/usr/sbin/smtp-source", "-s",
                        str(args.sessions), "-l", str(args.size), "-m", str(args.count),
                        "-f", "bench@example.org", "-t", "rcpt@example.com",
                        "-M", "client.bench.test", f"127.0.0.1:{redline.port}"], check=True)
        elapsed = time.monotonic() - started
        after = {"worker": cpu_seconds(workers), "scanner": cpu_seconds(scanners)}
    finally:
        for _, _, _, spy in spies:
            spy.send_signal(2)  # SIGINT: py-spy writes its file and exits
        for _, _, _, spy in spies:
            spy.wait(30)
        redline.stop()
        sink.stop()
    print(f"profile: {args.count} mails of {args.size} bytes over {args.sessions} sessions "
          f"in {elapsed:.1f} s ({args.count / elapsed:.0f}/s); stacks in {out}")
    for name in ("worker", "scanner"):
        user = (after[name][0] - before[name][0]) * 1000 / args.count
        system = (after[name][1] - before[name][1]) * 1000 / args.count
        faults = (after[name][2] - before[name][2]) / args.count
        print(f"{name}s: {user:.2f} ms user + {system:.2f} ms system CPU per mail, "
              f"{faults:.0f} minor page faults per mail")
    if args.cprofile:
        print(f"\nworkers (cProfile, CPU clock):\n{cprofile_summary(out, args.count, args.top)}")
    for name in [] if args.no_spy else ("worker", "scanner"):
        merged = out / f"{name}.txt"
        merged.write_text("".join(path.read_text() for n, _, path, _ in spies
                                  if n == name and path.exists()))
        print(f"\n{name}s:\n{summary(merged, args.top)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
