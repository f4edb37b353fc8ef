"""Mixed-mail benchmark: an office's outbound mail through Postfix, Postfix with rspamd as a
milter, and Redline, each relaying into the same smtp-sink, side by side in one run.

Run it with ``bash bench/mix.sh`` (which installs rspamd and checks the tools). The mix
(bench/mix_corpus.py) is generated once per seed and count under bench/out/. Every target
gets the whole mix over the same number of sessions; the table shows medians of the runs.
Postfix's rate is its delivered rate (until its queue is empty); Redline and the sink
answer only once the mail is delivered or held, so theirs is accepted = delivered.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from integration.postfix_harness import PrivatePostfix
from integration.smtp_harness import free_port, wait_for_port
from mix_corpus import generate
from smtp_bench import ROOT, Redline, Sink, peak_rss_mb, percentile, stop_process

TICKS = os.sysconf("SC_CLK_TCK")
TEXT_KINDS = ("plain", "html", "reply")
TARGET_NAMES = {"direct": "smtp-sink", "postfix": "Postfix", "rspamd": "Postfix+rspamd",
                "redline": "Redline", "redline-noocr": "Redline, OCR off",
                "redline-readall": "Redline, every picture read",
                "redline-baseline": "Redline, baseline"}
# Redline variants: the target name and its [ocr] settings.
VARIANTS = {"redline-noocr": "[ocr]\nenabled = false\n",
            "redline-readall": "[ocr]\ntext_check = false\n",
            "redline-baseline": ""}


# -- the client -----------------------------------------------------------------------------


def wire_form(message: bytes) -> bytes:
    """``message`` as DATA sends it: CRLF lines, dot-stuffed, with the end-of-data line."""
    if not message.endswith(b"\r\n"):
        message += b"\r\n"
    return re.sub(rb"(?m)^\.", b"..", message) + b".\r\n"


async def _reply(reader: asyncio.StreamReader) -> tuple[int, str]:
    lines = []
    while True:
        line = await reader.readline()
        if not line:
            raise ConnectionError("the server closed the connection")
        lines.append(line.decode(errors="replace").rstrip())
        if line[3:4] != b"-":
            return int(line[:3]), "\n".join(lines)


async def _session(port: int, mails: list[bytes], todo: list[int], latency: list[float],
                   codes: list[int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=1 << 20)
    await _reply(reader)
    writer.write(b"EHLO client.bench.test\r\n")
    await _reply(reader)
    while todo:
        index = todo.pop()
        started = time.perf_counter()
        # Pipelined as an MTA sends it (RFC 2920): MAIL, RCPT and DATA in one write.
        writer.write(b"MAIL FROM:<bench@example.org>\r\nRCPT TO:<contact@partner.example.com>\r\n"
                     b"DATA\r\n")
        replies = [await _reply(reader) for _ in range(3)]
        if replies[2][0] != 354:
            raise SystemExit(f"bench: port {port} refused mail {index}: {replies}")
        writer.write(mails[index])
        code, text = await _reply(reader)
        latency[index] = time.perf_counter() - started
        codes[index] = -code if "held for review" in text else code  # negative: held
        if code >= 400:
            print(f"bench: port {port} answered mail {index}: {text[:120]}", file=sys.stderr)
    writer.write(b"QUIT\r\n")
    await writer.drain()
    writer.close()


def send_mix(port: int, mails: list[bytes], sessions: int) -> tuple[float, list[float], list[int]]:
    """Send every mail over ``sessions`` sessions; (seconds, latency per mail, reply codes)."""
    latency = [0.0] * len(mails)
    codes = [0] * len(mails)
    todo = list(reversed(range(len(mails))))

    async def run() -> None:
        await asyncio.gather(*(_session(port, mails, todo, latency, codes)
                               for _ in range(sessions)))

    started = time.monotonic()
    asyncio.run(run())
    return time.monotonic() - started, latency, codes


# -- processes: CPU and memory --------------------------------------------------------------


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for t in os.listdir(f"/proc/{pid}/task")
                for c in Path(f"/proc/{pid}/task/{t}/children").read_text().split()]
    except OSError:
        return []


def tree(pid: int) -> list[int]:
    """``pid`` and every living descendant."""
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        todo += _children(current)
    return out


def cpu_seconds(pids: list[int], *, reaped: bool = True) -> float:
    """User+system CPU seconds of ``pids`` (with ``reaped``: and of their ended children)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
        if reaped:
            total += int(fields[13]) + int(fields[14])  # cutime, cstime
    return total / TICKS


def peak_mb(pids: list[int]) -> float:
    """The largest peak resident memory (VmHWM) among ``pids``, in MB."""
    peaks = []
    for pid in pids:
        try:
            peaks.append(peak_rss_mb(pid))
        except OSError:
            continue
    return max(peaks, default=0.0)


# -- the targets ----------------------------------------------------------------------------


class Rspamd:
    """Debian's rspamd from a private config: a milter proxy and two scanning workers.

    Modules that look things up in DNS or on rspamd.com are off: this machine has no
    resolver answering, and a lookup that times out would measure the timeout, not rspamd.
    """

    OFF = ("asn", "dkim", "dmarc", "spf", "rbl", "hfilter", "fuzzy_check", "emails",
           "whitelist", "arc", "dkim_signing")

    def __init__(self, workdir: Path, state: Path) -> None:
        conf = workdir / "rspamd"
        (conf / "local.d").mkdir(parents=True)
        self.milter_port, normal, controller = free_port(), free_port(), free_port()
        local = conf / "local.d"
        (local / "worker-normal.inc").write_text(f'bind_socket = "127.0.0.1:{normal}";\ncount = 2;\n')
        (local / "worker-proxy.inc").write_text(
            f'bind_socket = "127.0.0.1:{self.milter_port}";\nmilter = yes;\n'
            f'upstream "local" {{ default = yes; hosts = "127.0.0.1:{normal}"; }}\n')
        (local / "worker-controller.inc").write_text(f'bind_socket = "127.0.0.1:{controller}";\n')
        for module in self.OFF:
            (local / f"{module}.conf").write_text("enabled = false;\n")
        for sub in ("run", "log"):
            (conf / sub).mkdir()
        state.mkdir(parents=True, exist_ok=True)  # compiled hyperscan cache, kept between runs
        for path in (conf / "run", conf / "log", state):
            shutil.chown(path, "_rspamd", "_rspamd")
        workdir.chmod(0o755)
        conf.chmod(0o755)
        self.log = conf / "log" / "rspamd.log"
        self.process = subprocess.Popen(
            ["rspamd", "-f", "-u", "_rspamd", "-g", "_rspamd", "-c", "/etc/rspamd/rspamd.conf",
             "--var", f"LOCAL_CONFDIR={conf}", "--var", f"RUNDIR={conf / 'run'}",
             "--var", f"DBDIR={state}", "--var", f"LOGDIR={conf / 'log'}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.milter_port, 120)
        wait_for_port(normal, 120)
        self.settle()

    def settle(self, seconds: float = 300) -> None:
        """Wait until rspamd is idle (its helper compiles regular expressions at first start)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            before = cpu_seconds(tree(self.process.pid))
            time.sleep(1)
            if cpu_seconds(tree(self.process.pid)) - before < 0.05:
                return

    def stop(self) -> None:
        stop_process(self.process, 30)


def postfix_master(relay: PrivatePostfix) -> int:
    queue = Path(relay.postconf_value("queue_directory"))
    return int((queue / "pid" / "master.pid").read_text().split()[0])


@dataclass
class Result:
    """One target's run over the mix."""

    accepted_seconds: float
    delivered_seconds: float
    latency: list[float]
    codes: list[int]
    cpu: dict[str, float] = field(default_factory=dict)
    memory: dict[str, float] = field(default_factory=dict)


def run_target(name: str, port: int, mails: list[bytes], sessions: int, *,
               relay: PrivatePostfix | None = None, rspamd: Rspamd | None = None,
               redline: Redline | None = None) -> Result:
    """Send the mix to one target and measure it."""
    groups: dict[str, list[int]] = {}
    if relay is not None:
        groups["postfix"] = tree(postfix_master(relay))
    if rspamd is not None:
        groups["rspamd"] = tree(rspamd.process.pid)
    if redline is not None:
        workers = redline.workers()
        groups["workers"] = workers
        groups["scanners"] = [c for w in workers for c in _children(w)]
    before = {g: cpu_seconds(p, reaped=g != "workers") for g, p in groups.items()}
    reaped_before = cpu_seconds(groups.get("workers", [])) - before.get("workers", 0.0)
    seconds, latency, codes = send_mix(port, mails, sessions)
    delivered = seconds
    if relay is not None:
        started = time.monotonic() - seconds
        if not relay.drain(600):
            print(f"bench: {name}: Postfix queue did not drain", file=sys.stderr)
        delivered = time.monotonic() - started
    result = Result(seconds, delivered, latency, codes)
    for group, pids in groups.items():
        if group == "workers":
            now = [p for p in redline.workers()]  # type: ignore[union-attr]
            result.cpu["workers"] = cpu_seconds(now, reaped=False) - before["workers"]
            reaped_now = cpu_seconds(now) - cpu_seconds(now, reaped=False)
            scanners = [c for w in now for c in _children(w)]
            result.cpu["scanners"] = (cpu_seconds(scanners) + reaped_now
                                      - before["scanners"] - reaped_before)
            result.memory["worker"] = peak_mb(now)
            result.memory["scanner"] = peak_mb(scanners)
            continue
        if group == "scanners":
            continue
        now = tree(pids[0])
        result.cpu[group] = cpu_seconds(now) - before[group]
        result.memory[group] = peak_mb(now)
    return result


# -- the report -----------------------------------------------------------------------------


def added(result: Result, direct: Result, pick: list[int]) -> tuple[float, float]:
    """p50 and p99 of the latency this target adds to the sink's own, over mails ``pick``."""
    extra = [result.latency[i] - direct.latency[i] for i in pick]
    return percentile(extra, 0.50) * 1000, percentile(extra, 0.99) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per target; medians shown")
    parser.add_argument("--baseline", default="", help="a checkout of an earlier Redline "
                        "(git worktree add --detach DIR REV): adds the target redline-baseline, "
                        "its code run beside this one's, for before/after in one run")
    parser.add_argument("--messages", type=int, default=400, help="mails in the mix")
    parser.add_argument("--seed", type=int, default=21, help="seed of the mix")
    parser.add_argument("--sessions", type=int, default=16, help="concurrent SMTP sessions")
    parser.add_argument("--workers", type=int, default=2, help="Redline worker processes")
    parser.add_argument("--targets", default="direct,postfix,rspamd,redline,redline-noocr",
                        help="comma-separated subset of direct,postfix,rspamd,redline,redline-noocr,"
                        "redline-readall (Redline with [ocr] enabled = false: pictures are not "
                        "read; with text_check = false: every picture is read in full, as "
                        "before the layout survey)")
    args = parser.parse_args()
    wanted = [t.strip() for t in args.targets.split(",") if t.strip()]
    if "direct" not in wanted:
        wanted.insert(0, "direct")  # added latency is measured against it
    if args.baseline and "redline-baseline" not in wanted:
        wanted.append("redline-baseline")
    # Redline runs this checkout's code: the console script imports the tree it was
    # installed from, which for a git worktree sharing a .venv is another checkout.
    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    out = ROOT / "bench" / "out"
    paths = generate(out / f"mix-{args.seed}-{args.messages}", args.messages, args.seed)
    kinds = [re.sub(r"^\d+-", "", p.stem).removesuffix("-marked") for p in paths]
    mails = [wire_form(p.read_bytes()) for p in paths]
    total_mb = sum(p.stat().st_size for p in paths) / 1e6
    workdir = Path(tempfile.mkdtemp(prefix="redline-mix-"))
    workdir.chmod(0o755)  # Postfix and rspamd drop to their own users and must get in
    sink = Sink()
    running: dict[str, object] = {}
    results: dict[str, list[Result]] = {name: [] for name in wanted}
    try:
        ports = {"direct": sink.port}
        if "postfix" in wanted:
            running["postfix"] = relay = PrivatePostfix(workdir / "plain", f"[127.0.0.1]:{sink.port}")
            ports["postfix"] = relay.port
        if "rspamd" in wanted:
            running["rspamd-daemon"] = rspamd = Rspamd(workdir, out / "rspamd-state")
            running["rspamd"] = milter_relay = PrivatePostfix(
                workdir / "milter", f"[127.0.0.1]:{sink.port}", settings={
                    "smtpd_milters": f"inet:127.0.0.1:{rspamd.milter_port}",
                    "milter_default_action": "tempfail", "milter_protocol": "6",
                    "milter_mail_macros": "i {mail_addr} {client_addr} {client_name} {auth_authen}"})
            ports["rspamd"] = milter_relay.port
        if "redline" in wanted:
            running["redline"] = redline = Redline(workdir, sink.port, args.workers)
            ports["redline"] = redline.port
        for variant, settings in VARIANTS.items():
            if variant in wanted:
                source = None
                if variant == "redline-baseline":  # the earlier checkout's code, not this tree's
                    if not args.baseline:
                        raise SystemExit("bench: redline-baseline needs --baseline DIR")
                    source = Path(args.baseline).resolve()
                running[variant] = Redline(workdir, sink.port, args.workers, name=variant,
                                           config=settings, source=source)
                ports[variant] = running[variant].port  # type: ignore[attr-defined]
        load = os.getloadavg()[0]
        print(f"bench: {os.cpu_count()} cores, load {load:.1f}, {len(mails)} mails "
              f"({total_mb:.1f} MB), {args.sessions} sessions, {args.runs} runs; work dir "
              f"{workdir}", file=sys.stderr)
        for run in range(args.runs):
            for name in wanted:
                result = run_target(
                    name, ports[name], mails, args.sessions,
                    relay=running.get(name) if name in ("postfix", "rspamd") else None,
                    rspamd=running.get("rspamd-daemon") if name == "rspamd" else None,
                    redline=running.get(name) if name.startswith("redline") else None)
                results[name].append(result)
                print(f"bench: run {run + 1} {name}: {len(mails) / result.delivered_seconds:.1f} "
                      f"msgs/s delivered, {len(mails) / result.accepted_seconds:.1f} accepted",
                      file=sys.stderr)
        load_end = os.getloadavg()[0]
    finally:
        for name in ("redline", *VARIANTS, "rspamd", "rspamd-daemon", "postfix"):
            if name in running:
                running[name].stop()  # type: ignore[attr-defined]
        sink.stop()

    count = len(mails)
    text_mails = [i for i, k in enumerate(kinds) if k in TEXT_KINDS and len(mails[i]) < 40_000]
    pdf_mails = [i for i, k in enumerate(kinds) if k == "pdf"]
    direct_runs = results["direct"]

    def med(values: list[float]) -> float:
        return statistics.median(values)

    rates = {n: med([count / r.delivered_seconds for r in rs]) for n, rs in results.items()}
    print(f"\nRedline mixed-mail benchmark: {count} mails ({total_mb:.1f} MB; "
          + ", ".join(f"{kinds.count(k)} {k}" for k in dict.fromkeys(sorted(kinds)))
          + f"), {args.sessions} sessions, Redline --workers {args.workers}, {os.cpu_count()} "
          f"cores, median of {args.runs} runs, load average {load:.1f} at start and "
          f"{load_end:.1f} at the end\n")
    names = [n for n in wanted]
    header = "| | " + " | ".join(TARGET_NAMES[n] for n in names) + " |"
    print(header)
    print("|---|" + "---|" * len(names))

    def row(label: str, cell) -> None:
        print(f"| {label} | " + " | ".join(cell(n) for n in names) + " |")

    row("messages/s (delivered)", lambda n: f"{rates[n]:.1f}")
    row("MB/s", lambda n: f"{rates[n] * total_mb / count:.1f}")
    row("accepted messages/s", lambda n: f"{med([count / r.accepted_seconds for r in results[n]]):.1f}")

    def cpu_cell(n: str) -> str:
        runs = results[n]
        if not runs[0].cpu:
            return "-"
        parts = [f"{group} {med([r.cpu[group] for r in runs]) / count * 1000:.1f}"
                 for group in runs[0].cpu]
        return ", ".join(parts)

    row("CPU ms per message", cpu_cell)

    def latency_cell(pick: list[int]) -> callable:
        def cell(n: str) -> str:
            if n == "direct" or not pick:
                return "-"
            pairs = [added(r, d, pick) for r, d in zip(results[n], direct_runs, strict=True)]
            return f"{med([p[0] for p in pairs]):.1f} / {med([p[1] for p in pairs]):.1f}"
        return cell

    row("added latency p50 / p99 ms, all mail", latency_cell(list(range(count))))
    row(f"added latency p50 / p99 ms, text < 40 KB ({len(text_mails)})", latency_cell(text_mails))
    row(f"added latency p50 / p99 ms, 0.5-2 MB PDF ({len(pdf_mails)})", latency_cell(pdf_mails))

    def memory_cell(n: str) -> str:
        runs = results[n]
        if not runs[0].memory:
            return "-"
        return ", ".join(f"{g} {max(r.memory[g] for r in runs):.0f}" for g in runs[0].memory)

    row("peak memory MB (largest process)", memory_cell)

    def replies(n: str) -> str:
        codes = results[n][-1].codes
        return (f"{sum(1 for c in codes if 0 < c < 400)} passed, "
                f"{sum(1 for c in codes if c < 0)} held, {sum(1 for c in codes if c >= 400)} refused")

    row("replies (last run)", replies)
    if "redline" in results and "postfix" in results:
        ratio = rates["redline"] / rates["postfix"]
        print(f"\nRedline / Postfix {ratio:.2f}x (target >= 1.0: {'ok' if ratio >= 1.0 else 'MISS'})")
    if "redline" in results and "rspamd" in results:
        ratio = rates["redline"] / rates["rspamd"]
        print(f"Redline / Postfix+rspamd {ratio:.2f}x (target >= 1.5: "
              f"{'ok' if ratio >= 1.5 else 'MISS'})")
    for name in VARIANTS:
        if name in results:
            print(f"{TARGET_NAMES[name]}: / Postfix "
                  + (f"{rates[name] / rates['postfix']:.2f}x" if "postfix" in rates else "-")
                  + ", / Postfix+rspamd "
                  + (f"{rates[name] / rates['rspamd']:.2f}x" if "rspamd" in rates else "-"))
    for name in ("redline", *VARIANTS):
        if name in results:
            held = collections.Counter(
                kinds[i] + ("-marked" if paths[i].stem.endswith("-marked") else "")
                for i, c in enumerate(results[name][-1].codes) if c < 0)
            false = [sum(1 for i, c in enumerate(r.codes)
                         if c < 0 and not paths[i].stem.endswith("-marked")) for r in results[name]]
            print(f"{TARGET_NAMES[name]} held (last run): "
                  + (", ".join(f"{n} {k}" for k, n in sorted(held.items())) or "none")
                  + f"; {sum(1 for p in paths if p.stem.endswith('-marked'))} mails are marked; "
                  + "unmarked mails held per run: " + ", ".join(map(str, false)))
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
