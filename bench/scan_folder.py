"""A folder of mixed mails: ``redline scan --jobs 2`` beside Debian's rspamd, in one run.

    bash bench/scan_folder.sh [--runs 5] [--mails 261] [--jobs 2] [--keep DIR] [--baseline REF]

The folder is generated once from a fixed seed, shaped like an office's outbound mail:
plain and HTML text of 3-30 KB (most of it), replies quoting their history, Chinese and
Spanish mail in their own charsets, and mails carrying a .docx, an .xlsx, a PDF report
or a zip of three documents; about 1 % carry a classification marking. rspamd runs as a
private instance (its own config, port and folders; two scanner processes, as Redline
gets two) and is fed with ``rspamc -n 16``, as a mail server would; it reads the MIME
structure and text parts but no Office or PDF text, which Redline extracts and scans.

Each run times the whole command, start-up included, alternating the two so that both
see the same machine; the table gives medians of --runs runs, the CPU seconds of each
side's processes and the load average before and after. A first row times one small
mail, which is start-up alone; its CPU and wall seconds (median and least) are printed
again under the table beside the start-up target.

``--baseline REF`` also times Redline at git revision REF (or a folder holding such a
tree) from this checkout's environment, in the same runs, and checks first that both
trees give every mail the same ``--json`` verdict and hits.
"""

from __future__ import annotations

import argparse
import email.message
import io
import json
import os
import random
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from checkouts import baseline_tree  # noqa: E402
from scan import make_docx, make_pdf, make_zip, prose  # noqa: E402 (bench/scan.py's generators)

SPANISH = ("el informe trimestral de la oficina regional incluye el presupuesto la reunión "
           "del comité y las notas de la próxima semana para el equipo de proyecto").split()
CHINESE = list("本季度区域办公室报告包括预算委员会会议和下周项目团队的工作安排请查收附件谢谢")
MARKINGS = ("SECRET", "机密", "CONFIDENCIAL")


def _text(rng: random.Random, chars: int, language: str) -> str:
    if language == "zh":
        lines = ["".join(rng.choice(CHINESE) for _ in range(rng.randint(20, 40)))
                 for _ in range(max(1, chars // 90))]
        return "\n".join(lines)
    if language == "es":
        words = [rng.choice(SPANISH) for _ in range(max(1, chars // 7))]
        return "\n".join(" ".join(words[i:i + 12]).capitalize() + "."
                         for i in range(0, len(words), 12))
    return prose(rng, max(1, chars // 7))


def _xlsx(rng: random.Random) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Item", "Region", "Quarter", "Amount", "Notes"])
    for row in range(rng.randint(200, 800)):
        sheet.append([f"item {row}", rng.choice(("north", "south", "east", "west")),
                      f"Q{rng.randint(1, 4)}", rng.randint(100, 99_999), prose(rng, 6)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _logo(rng: random.Random) -> bytes:
    """A small flat-colour logo with the organisation's name (what OCR meets in office
    documents far more often than photos)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (240, 80), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.rectangle((4, 4, 70, 76), fill=(rng.randint(0, 200), 60, 140))
    draw.text((82, 30), "EXAMPLE ORG", fill=(20, 20, 20))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _docx(rng: random.Random, paragraphs: int, logo: bool) -> bytes:
    return make_docx(rng, paragraphs, 0, header_picture=_logo(rng) if logo else None)


OFFICE = {"docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
          "xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
          "pdf": ("application", "pdf"), "zip": ("application", "zip")}
# Shares of the mix (of 100 mails): most outbound mail is text.
SHARES = (("plain", 40), ("html", 15), ("reply", 15), ("docx", 10), ("pdf", 8), ("xlsx", 6),
          ("zip", 6))


def make_mail(rng: random.Random, index: int, kind: str, marked: bool) -> bytes:
    """One mail of ``kind``; ``marked`` puts a classification banner in its body."""
    language = rng.choices(("en", "es", "zh"), weights=(80, 10, 10))[0]
    msg = email.message.EmailMessage()
    msg["From"] = f"staff{rng.randint(1, 40)}@example.org"
    msg["To"] = f"partner{rng.randint(1, 400)}@example.com"
    msg["Subject"] = f"{'Re: ' if kind == 'reply' else ''}{prose(rng, 5).splitlines()[0][:60]}"
    msg["Message-ID"] = f"<{index}.{rng.getrandbits(48):x}@example.org>"
    body = _text(rng, rng.randint(3_000, 30_000) if kind in ("plain", "html", "reply")
                 else rng.randint(500, 3_000), language)
    if marked:
        body = f"{rng.choice(MARKINGS)}\n\n{body}\n\n{rng.choice(MARKINGS)}"
    if kind == "reply":
        quoted = _text(rng, rng.randint(2_000, 12_000), language)
        body += "\n\nOn Monday, someone wrote:\n" + "\n".join("> " + line for line in quoted.splitlines())
    charset = {"zh": "gb18030", "es": "iso-8859-1"}.get(language, "utf-8")
    if kind == "html":
        html = "<html><body>" + "".join(f"<p>{line}</p>" for line in body.splitlines()) + "</body></html>"
        msg.set_content(body, charset="utf-8")
        msg.add_alternative(html, subtype="html", charset="utf-8")
    else:
        try:
            msg.set_content(body, charset=charset)
        except UnicodeEncodeError:
            msg.set_content(body, charset="utf-8")
    if kind in OFFICE:
        if kind == "docx":
            data = _docx(rng, rng.randint(60, 400), logo=rng.random() < 0.3)
        elif kind == "pdf":
            data = make_pdf(rng, rng.randint(5, 60), 0)  # a text report
        elif kind == "xlsx":
            data = _xlsx(rng)
        else:
            data = make_zip({"minutes.docx": _docx(rng, 30, logo=False), "figures.xlsx": _xlsx(rng),
                         "notes.txt": prose(rng, 400).encode()})
        maintype, subtype = OFFICE[kind]
        msg.add_attachment(data, maintype=maintype, subtype=subtype,
                           filename=f"attachment-{index}.{kind}")
    return msg.as_bytes()


def build_folder(folder: Path, count: int, seed: int = 2026) -> list[Path]:
    """Write ``count`` mails into ``folder`` (same seed, same mails); returns their paths."""
    rng = random.Random(seed)
    kinds = [kind for kind, share in SHARES for _ in range(share)]
    rng.shuffle(kinds)  # every stretch of the folder is the mix, not one kind
    marked = set(rng.sample(range(count), max(1, round(count / 100))))
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        kind = kinds[index % len(kinds)]
        path = folder / f"{index:04d}-{kind}.eml"
        path.write_bytes(make_mail(rng, index, kind, index in marked))
        paths.append(path)
    return paths


# -- rspamd ----------------------------------------------------------------------------------

RSPAMD_CONF = """.include "$CONFDIR/common.conf"
options {{
    pidfile = "$RUNDIR/rspamd.pid";
    .include "$CONFDIR/options.inc"
}}
logging {{
    type = "file";
    filename = "$LOGDIR/rspamd.log";
    level = "error";
}}
worker "normal" {{
    bind_socket = "127.0.0.1:{port}";
    count = {count};
    .include "$CONFDIR/worker-normal.inc"
}}
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Rspamd:
    """A private rspamd: own config, port, run and data folders; stopped on exit."""

    def __init__(self, folder: Path, workers: int) -> None:
        self.folder = folder
        self.port = _free_port()
        (folder / "local").mkdir(parents=True, exist_ok=True)
        (folder / "rspamd.conf").write_text(RSPAMD_CONF.format(port=self.port, count=workers))
        variables = [f"--var={name}={folder}" for name in ("RUNDIR", "DBDIR", "LOGDIR")]
        self.process = subprocess.Popen(
            ["rspamd", "-f", "-i", "-c", str(folder / "rspamd.conf"), *variables,
             f"--var=LOCAL_CONFDIR={folder / 'local'}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)

    def wait_ready(self, probe: Path, timeout: float = 180) -> None:
        """Until a scan of ``probe`` answers (the workers compile their regexes first)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"rspamd stopped at start; see {self.folder}/rspamd.log")
            done = subprocess.run(self.command([probe]), capture_output=True, text=True)
            if done.returncode == 0 and "Action:" in done.stdout:
                return
            time.sleep(1)
        raise RuntimeError(f"rspamd did not answer within {timeout:g} s")

    def command(self, paths: list[Path], sessions: int = 16) -> list[str]:
        return ["rspamc", "-n", str(sessions), "-h", f"127.0.0.1:{self.port}", *map(str, paths)]

    def cpu_seconds(self) -> float:
        """User and system CPU seconds of rspamd's processes so far (from /proc)."""
        total = 0.0
        tick = os.sysconf("SC_CLK_TCK")
        for pid in _process_tree(self.process.pid):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / tick
        return total

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)


def _process_tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, ()))
    return out


# -- timing -----------------------------------------------------------------------------------


CACHES: dict[Path | None, Path] = {}  # each tree's own compiled-rules cache (see main)


def _timed(command: list[str], tree: Path | None = None,
           ) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """(wall seconds, CPU seconds of the command and its children, the result); ``tree``:
    run with that checkout's code first on the path (default: this checkout's)."""
    env = dict(os.environ)
    if tree in CACHES:
        env["XDG_CACHE_HOME"] = str(CACHES[tree])
    # This checkout's own code too: the venv's console script may belong to another
    # checkout (a worktree sharing one environment) and would import that one's.
    env["PYTHONPATH"] = os.pathsep.join([str(tree or ROOT), *filter(None, [env.get("PYTHONPATH")])])
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done


def _compiled(tree: Path) -> None:
    """Byte-compile ``tree``'s code, so that neither side compiles source in its runs (as
    with PYTHONDONTWRITEBYTECODE set, or a fresh checkout)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", *(str(tree / d) for d in
                    ("filters", "gateway", "quarantine"))], check=True, capture_output=True)


def _verdicts(done: subprocess.CompletedProcess[str]) -> list[dict[str, object]]:
    """Each item's --json record without its timings."""
    records = []
    for line in done.stdout.splitlines():
        record = json.loads(line)
        for timing in ("seconds", "ocr_seconds"):
            record.get("stats", {}).pop(timing, None)
        records.append(record)
    return records


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per row (median reported)")
    parser.add_argument("--mails", type=int, default=261, help="mails in the folder")
    parser.add_argument("--jobs", type=int, default=2, help="redline scan --jobs, rspamd workers")
    parser.add_argument("--keep", metavar="DIR", help="write the folder here and keep it")
    parser.add_argument("--baseline", metavar="REF",
                        help="also time Redline at this git revision (or tree folder)")
    args = parser.parse_args()
    if shutil.which("rspamd") is None or shutil.which("rspamc") is None:
        print("bench/scan_folder.py: rspamd is missing; run bash bench/scan_folder.sh "
              "(it installs Debian's rspamd)", file=sys.stderr)
        return 2
    redline = str(ROOT / ".venv" / "bin" / "redline")
    with tempfile.TemporaryDirectory(prefix="redline-bench-folder-") as tmp:
        folder = Path(args.keep) if args.keep else Path(tmp) / "mails"
        started = time.monotonic()
        paths = build_folder(folder, args.mails)
        size = sum(p.stat().st_size for p in paths) / 1e6
        print(f"generated {len(paths)} mails, {size:.1f} MB in {time.monotonic() - started:.0f} s "
              f"({folder})")
        trees: dict[str, Path | None] = {"redline": None}
        if args.baseline:
            trees[args.baseline[:9]] = baseline_tree(args.baseline, Path(tmp) / "baseline")
        for index, tree in enumerate(trees.values()):
            _compiled(tree or ROOT)
            # Its own compiled-rules cache, filled by the warm-up runs below: the shared
            # one keeps 8 rule sets, and other checkouts on the machine would evict these.
            CACHES[tree] = Path(tmp) / f"cache-{index}"
        rspamd = Rspamd(Path(tmp) / "rspamd", args.jobs)
        try:
            small = paths[0]
            rspamd.wait_ready(small)
            rows = {
                "one small mail": (
                    [redline, "scan", str(small)], rspamd.command([small]), 1,
                    small.stat().st_size / 1e6),
                f"folder of {len(paths)} mails": (
                    [redline, "scan", "--jobs", str(args.jobs), str(folder)],
                    rspamd.command(paths), len(paths), size),
            }
            for redline_cmd, rspamd_cmd, _, _ in rows.values():  # warm both (caches, page cache)
                for tree in trees.values():
                    _timed(redline_cmd, tree)
                _timed(rspamd_cmd)
            if args.baseline:
                folder_cmd = [redline, "scan", "--json", "--jobs", str(args.jobs), str(folder)]
                same = [_verdicts(_timed(folder_cmd, tree)[2]) for tree in trees.values()]
                print(f"--json verdicts and hits of every mail, this tree and {args.baseline}: "
                      f"{'identical' if same[0] == same[1] else 'DIFFERENT'}")
            print(f"load average before: {_load()}\n")
            header = (f"{'input':<24}{'side':<10}{'median s':>9}{'mails/s':>9}{'MB/s':>7}"
                      f"{'CPU s':>7}{'ratio':>7}  verdicts")
            print(header)
            print("-" * len(header))
            startup: dict[str, tuple[list[float], list[float]]] = {}
            for name, (redline_cmd, rspamd_cmd, count, megabytes) in rows.items():
                sides = [*trees, "rspamd"]
                times: dict[str, list[float]] = {side: [] for side in sides}
                cpu: dict[str, list[float]] = {side: [] for side in sides}
                notes: dict[str, str] = {}
                for run in range(args.runs):
                    order = list(trees.items())
                    for side, tree in order if run % 2 == 0 else order[::-1]:
                        wall, used, done = _timed(redline_cmd, tree)
                        times[side].append(wall)
                        cpu[side].append(used)
                        notes[side] = _redline_summary(done)
                    daemon_before = rspamd.cpu_seconds()
                    wall, used, done = _timed(rspamd_cmd)
                    times["rspamd"].append(wall)
                    cpu["rspamd"].append(used + rspamd.cpu_seconds() - daemon_before)
                    notes["rspamd"] = _rspamd_summary(done)
                rspamd_rate = count / statistics.median(times["rspamd"])
                for side in sides:
                    median = statistics.median(times[side])
                    rate = count / median
                    ratio = f"{rate / rspamd_rate:.2f}" if side != "rspamd" else ""
                    print(f"{name if side == 'redline' else '':<24}{side:<10}{median:>9.3f}"
                          f"{rate:>9.1f}{megabytes / median:>7.2f}{statistics.median(cpu[side]):>7.2f}"
                          f"{ratio:>7}  {notes[side]}")
                if count == 1:
                    startup.update({side: (cpu[side], times[side]) for side in trees})
            print("\nstart-up (the one small mail; target: 0.25 s):")
            for side, (used, walls) in startup.items():
                print(f"  {side:<10} CPU median {statistics.median(used):.3f} s (min {min(used):.3f}), "
                      f"wall median {statistics.median(walls):.3f} s (min {min(walls):.3f})")
            print(f"\nload average after: {_load()}")
            print(f"medians of {args.runs} runs, the sides alternating; ratio = Redline's "
                  "mails/s over rspamd's; CPU s includes rspamd's daemon and rspamc, and "
                  "redline scan's worker processes")
        finally:
            rspamd.stop()
    return 0


def _redline_summary(done: subprocess.CompletedProcess[str]) -> str:
    last = [line for line in done.stderr.splitlines() if "scanned:" in line]
    return last[-1].strip() if last else f"exit {done.returncode}: {done.stderr.strip()[-200:]}"


def _rspamd_summary(done: subprocess.CompletedProcess[str]) -> str:
    actions: dict[str, int] = {}
    for line in done.stdout.splitlines():
        if line.startswith("Action:"):
            action = line.split(":", 1)[1].strip()
            actions[action] = actions.get(action, 0) + 1
    return ", ".join(f"{k} {v}" for k, v in sorted(actions.items())) or f"exit {done.returncode}"


if __name__ == "__main__":
    sys.exit(main())
