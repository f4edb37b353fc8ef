"""Replay benchmark: ``redline replay`` over a Maildir of a few thousand mails, checked
against two scans and timed against ``redline scan --jobs N`` side by side.

    bash scripts/bench.sh replay            (or: .venv/bin/python bench/replay.py
                                             [--mails 3000] [--runs 3] [--jobs 2])

The Maildir is generated (seed 2026, nothing committed): mostly business prose mails,
about one in four carrying a document of the labelled test corpus (tests/corpus: docx,
xlsx, pptx, odt, pdf, rtf, archives, with and without markings), some the corpus's own
mails, a few naming a project code word. Two candidates are replayed against the
embedded default config:

- *policy*: ``[policy] mode = "monitor"`` (only the policy changes: one scan decides both);
- *rules*: a code-word rule file added and ``draft`` set to monitor (rules change: one
  extraction per part, both configs' engines on it).

Each run times, in one round, ``redline scan`` with the current config and with the
*rules* candidate, and each replay (each run starts with the next command); the table
gives medians of the runs and the ratio of each replay's rate to the scan's, in wall time
and in CPU time (the command's and its scanner processes': on a loaded machine wall time
swings by half from run to run, CPU time much less). The first run also checks that the
*rules* replay gives, item by item, the verdicts and rules the two scans give.

``--baseline REF`` also times the checkout at git revision REF (say the commit before a
change; or a folder holding such a tree), run from this checkout's environment: in each
run every command is timed for both trees one after the other (which goes first
alternates), so both see the same load. Each tree's rates are against its own scan in
the same run.
"""

from __future__ import annotations

import argparse
import email.message
import email.policy
import json
import mailbox
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

from checkouts import baseline_tree  # noqa: E402
from integration.serve_harness import codeword  # noqa: E402  (the tests' code-word rule)
from scan import WORDS, prose  # noqa: E402  (bench/scan.py: the same prose generator)

from filters.policy import Policy, PolicyConfig  # noqa: E402
from filters.types import Hit  # noqa: E402

REDLINE = ROOT / ".venv" / "bin" / "redline"
SEED = 2026
ATTACHED_TYPES = {
    ".docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".pptx": ("application", "vnd.openxmlformats-officedocument.presentationml.presentation"),
    ".odt": ("application", "vnd.oasis.opendocument.text"),
    ".pdf": ("application", "pdf"), ".rtf": ("application", "rtf"),
    ".txt": ("text", "plain"), ".zip": ("application", "zip"), ".gz": ("application", "gzip"),
}


def build_maildir(target: Path, mails: int, corpus: Path) -> mailbox.Maildir:
    """``mails`` generated mails in a Maildir at ``target`` (reproducible from SEED)."""
    rng = random.Random(SEED)
    documents = sorted(p for p in corpus.iterdir() if p.suffix in ATTACHED_TYPES)
    corpus_mails = sorted(corpus.glob("*.eml"))
    box = mailbox.Maildir(target, create=True)
    for index in range(mails):
        roll = rng.random()
        if roll < 0.05 and corpus_mails:
            box.add(rng.choice(corpus_mails).read_bytes())
            continue
        msg = email.message.EmailMessage(policy=email.policy.SMTP)
        msg["From"] = f"{rng.choice(WORDS)}.{rng.choice(WORDS)}@example.org"
        msg["To"] = "partner@example.com"
        msg["Subject"] = f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} notes"
        msg["Message-ID"] = f"<{index}.{rng.getrandbits(48):x}@example.org>"
        body = prose(rng, rng.randint(80, 900))
        if rng.random() < 0.03:
            body += "\nProject BLUEFIN is on track for the next milestone.\n"
        msg.set_content(body)
        if roll > 0.75 and documents:
            document = rng.choice(documents)
            maintype, subtype = ATTACHED_TYPES[document.suffix]
            msg.add_attachment(document.read_bytes(), maintype=maintype, subtype=subtype,
                               filename=f"attachment-{index}{document.suffix}")
        box.add(msg.as_bytes())
    return box


CACHES: dict[Path | None, Path] = {}  # each tree's own compiled-rules cache (see main)


def timed(args: list[str], tree: Path | None = None) -> tuple[float, float, subprocess.CompletedProcess]:
    """``redline ARGS`` (of the checkout at ``tree``, else this one): wall seconds, CPU
    seconds of the command and its scanner processes, and its output."""
    env = dict(os.environ)
    if tree in CACHES:
        env["XDG_CACHE_HOME"] = str(CACHES[tree])
    if tree is not None:  # this environment, that tree's code first on the path
        env["PYTHONPATH"] = os.pathsep.join([str(tree), *filter(None, [env.get("PYTHONPATH")])])
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run([str(REDLINE), *args], capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # scanners are reaped by redline
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if result.returncode not in (0, 1):
        raise SystemExit(f"redline {' '.join(args[:3])} failed ({result.returncode}):\n"
                         f"{result.stderr[-2000:]}")
    return elapsed, cpu, result


def counted_rules(policy: Policy, hits: list[dict]) -> set[str]:
    return {h["rule"] for h in hits if policy.counts(Hit(
        rule=h["rule"], category=h["category"], severity=h["severity"], where=h["where"],
        excerpt=h["excerpt"]))}


def check_exact(replayed: str, current: str, candidate: str, maildir: Path,
                current_policy: Policy, candidate_policy: Policy) -> int:
    """Compare the replay's records with the two scans, item by item; the items checked."""
    scans = []
    for output, policy in ((current, current_policy), (candidate, candidate_policy)):
        by_path = {}
        for line in output.splitlines():
            record = json.loads(line)
            action = "monitor" if record["monitored"] else record["verdict"]
            by_path[record["path"]] = (action, counted_rules(policy, record["hits"]))
        scans.append(by_path)
    records = [json.loads(line) for line in replayed.splitlines()][:-1]
    for record in records:
        path = str(maildir / record["id"].split("/", 1)[1])
        for side, by_path in zip(("before", "after"), scans, strict=True):
            expected = by_path[path]
            got = (record[side]["verdict"], set(record[side]["rules"]))
            if got != expected:
                raise SystemExit(f"replay differs from the scan for {record['id']} ({side}): "
                                 f"{got} != {expected}")
    if len(records) != len(scans[0]):
        raise SystemExit(f"replay gave {len(records)} items, the scan {len(scans[0])}")
    return len(records)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mails", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--baseline", metavar="REF",
                        help="also time the checkout at this git revision (or in this "
                             "folder), side by side")
    args = parser.parse_args()
    from tests.corpus import generate

    with tempfile.TemporaryDirectory(prefix="redline-replay-bench-") as tmp:
        work = Path(tmp)
        trees: dict[str, Path | None] = {"this tree": None}
        if args.baseline:
            trees[f"baseline {args.baseline}"] = baseline_tree(args.baseline, work / "baseline")
        generate.write(work / "corpus")
        maildir = work / "Sent"
        build_maildir(maildir, args.mails, work / "corpus")
        size = sum(p.stat().st_size for p in (maildir / "new").iterdir())
        rules = work / "codeword.toml"
        rules.write_text(codeword("BLUEFIN"), encoding="utf-8")
        policy_only = work / "policy.toml"
        policy_only.write_text('[policy]\nmode = "monitor"\n', encoding="utf-8")
        rules_changed = work / "rules.toml"
        rules_changed.write_text(f'[rules]\nextra = ["{rules}"]\n[policy]\ncategory_actions = '
                                 '{ signup = "reject", draft = "monitor" }\n', encoding="utf-8")
        jobs = ["--jobs", str(args.jobs)]
        commands = {
            "scan (current config)": ["scan", "--json", *jobs, str(maildir / "new")],
            "scan (rules candidate)": ["scan", "--json", *jobs, "--config", str(rules_changed),
                                       str(maildir / "new")],
            "replay, policy candidate": ["replay", "--json", *jobs, "--config",
                                         str(policy_only), str(maildir)],
            "replay, rules candidate": ["replay", "--json", *jobs, "--config",
                                        str(rules_changed), str(maildir)],
        }
        names = list(commands)
        rows = {tree: {name: [] for name in names} for tree in trees}
        cpus = {tree: {name: [] for name in names} for tree in trees}
        # Each tree once with each config before timing, each with a compiled-rules cache
        # of its own: what a first start compiles (rules, the personal-data scanner) is
        # not timed, and no other checkout on the machine evicts a rule set meanwhile (a
        # replay that found one of its two rule sets gone spent seconds compiling it).
        warm = work / "warm"
        warm.mkdir()
        for path in sorted((maildir / "new").iterdir())[:20]:
            shutil.copy(path, warm / path.name)
        for index, tree in enumerate(trees.values()):
            CACHES[tree] = work / f"cache-{index}"
            for config in ([], ["--config", str(rules_changed)]):
                timed(["scan", "--jobs", "1", *config, str(warm)], tree)
        load_start = os.getloadavg()[0]
        summaries: dict[str, dict] = {}
        checked = 0
        for run in range(args.runs):
            outputs: dict[str, str] = {}
            # Each run starts with the next command, so a change of load over the runs
            # falls on every command alike; the trees take turns going first.
            order = list(trees) if run % 2 == 0 else list(trees)[::-1]
            for name in names[run % len(names):] + names[:run % len(names)]:
                for tree in order:
                    t, cpu, result = timed(commands[name], trees[tree])
                    rows[tree][name].append(t)
                    cpus[tree][name].append(cpu)
                    if tree == "this tree":
                        outputs[name] = result.stdout
            if run == 0:
                from filters.build import FiltersConfig
                from gateway.config import load_config

                candidate_filters: FiltersConfig = load_config(str(rules_changed)).filters
                checked = check_exact(outputs["replay, rules candidate"],
                                      outputs["scan (current config)"],
                                      outputs["scan (rules candidate)"], maildir,
                                      Policy(PolicyConfig()), Policy(candidate_filters.policy))
                for name in ("policy", "rules"):
                    summaries[name] = json.loads(
                        outputs[f"replay, {name} candidate"].splitlines()[-1])["summary"]
            print(f"run {run + 1}/{args.runs} done", file=sys.stderr)
    print(f"replay over a Maildir of {args.mails} generated mails ({size / 1e6:.1f} MB), "
          f"--jobs {args.jobs}, medians of {args.runs} runs, load average "
          f"{load_start:.1f} at the start, {os.getloadavg()[0]:.1f} at the end")
    print("vs scan: the median over the runs of (that tree's scan time / this time) in the "
          "same run; CPU: seconds of the command and its scanners, which load moves less")
    for tree, times_of in rows.items():
        scans, scan_cpus = times_of["scan (current config)"], cpus[tree]["scan (current config)"]
        print(f"\n{tree}")
        print(f"{'command':<28} {'seconds':>8} {'mails/s':>8} {'vs scan':>8} {'CPU s':>6} "
              f"{'vs scan':>8}   seconds per run")
        pair = ("scan (current config)", "scan (rules candidate)")
        two_scans = [a + b for a, b in zip(*(times_of[n] for n in pair), strict=True)]
        two_cpus = [a + b for a, b in zip(*(cpus[tree][n] for n in pair), strict=True)]
        for name, times, cpu in [*((n, t, cpus[tree][n]) for n, t in times_of.items()),
                                 ("two scans (current + rules)", two_scans, two_cpus)]:
            median = statistics.median(times)
            ratio = statistics.median(s / t for s, t in zip(scans, times, strict=True))
            cpu_ratio = statistics.median(s / c for s, c in zip(scan_cpus, cpu, strict=True))
            print(f"{name:<28} {median:>8.1f} {args.mails / median:>8.1f} {ratio:>7.2f}x "
                  f"{statistics.median(cpu):>6.1f} {cpu_ratio:>7.2f}x   "
                  + " ".join(f"{t:.1f}" for t in times))
    print(f"\nrules replay checked against the two scans: {checked} items, identical")
    for name, summary in summaries.items():
        print(f"{name} candidate: {summary['changes']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
