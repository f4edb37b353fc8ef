"""``redline replay --config CANDIDATE SOURCE...``: what a candidate policy would change.

Each past item is scanned again with the candidate config and rules and compared with what
happened to it: for items of the quarantine store (SOURCE ``quarantine``: held and
monitored items, content kept) the verdict and hits it was stored with; for a Maildir, an
mbox, a folder or single files, a scan with the config in force (``--current``, by
default the embedded defaults). The candidate is loaded, and its rules compiled, before
anything is read: a file that does not parse or a rule that does not compile is refused
with its file, line and key, and nothing is replayed.

Exit status: 0 nothing would change, 1 something would, 2 an error.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import mailbox
import os
import shutil
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from filters.build import build_pipeline
from filters.errors import RedlineError
from filters.paired import PairedPipeline, shares_extraction
from filters.policy import Policy
from filters.workers import ScanOutcome, ScanPool
from gateway.commands.scan import _Progress, iter_paths
from gateway.config import load_config

HELD = ("quarantine", "reject")
STORE_SOURCE = "quarantine"


@dataclass(frozen=True, slots=True)
class Outcome:
    """One side of the comparison: the action, the categories and rules that counted."""

    action: str
    categories: tuple[str, ...]
    rules: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {"verdict": self.action, "categories": list(self.categories),
                "rules": list(self.rules)}


@dataclass(frozen=True, slots=True)
class Past:
    """A past item to replay: its id, where it comes from, the file to scan, and what
    happened to it (None: found by scanning with the current config)."""

    id: str
    source: str
    path: str
    before: Outcome | None = None


def outcome_of(action: str, hits) -> Outcome:
    """The Outcome of a verdict action and its hits (rules and categories sorted)."""
    return Outcome(action, tuple(sorted({h.category for h in hits})),
                   tuple(sorted({h.rule for h in hits})))


def change(before: Outcome, after: Outcome) -> str:
    """newly held, newly passed, changed action, changed category, or unchanged."""
    held_before, held_after = before.action in HELD, after.action in HELD
    if held_after and not held_before:
        return "newly held"
    if held_before and not held_after:
        return "newly passed"
    if before.action != after.action:
        return "changed action"
    if before.categories != after.categories:
        return "changed category"
    return "unchanged"


def _maildir(path: Path) -> bool:
    return all((path / sub).is_dir() for sub in ("cur", "new", "tmp"))


def _mbox(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(5) == b"From "


def collect(sources: list[str], workdir: Path, store_items) -> Iterator[Past | str]:
    """Every past item of ``sources``, or an error sentence for a source that is unusable.

    An mbox is split into one file per message under ``workdir``; store items are written
    there from the store (their content, checked against its SHA-256).
    """
    for source in sources:
        if source == STORE_SOURCE:
            yield from store_items(workdir)
            continue
        path = Path(source)
        if path.is_dir() and _maildir(path):
            for sub in ("cur", "new"):
                for name in sorted(os.listdir(path / sub)):
                    yield Past(f"{path.name}/{sub}/{name}", source, str(path / sub / name))
        elif path.is_file() and _mbox(path):
            box = mailbox.mbox(path, create=False)
            try:
                for index, key in enumerate(box.iterkeys()):
                    target = workdir / f"mbox-{len(os.listdir(workdir))}.eml"
                    target.write_bytes(box.get_bytes(key))
                    yield Past(f"{path.name}#{index + 1}", source, str(target))
            finally:
                box.close()
        else:
            for found, error in iter_paths([source]):
                yield f"{found}: {error}" if error else Past(found, source, found)


def _store_reader(args: argparse.Namespace, current, policy: Policy):
    """A function yielding the store's items with content as Past items (audited once)."""

    def read(workdir: Path) -> Iterator[Past | str]:
        from quarantine.config import open_store
        from quarantine.store import ItemQuery, NotFound

        data_dir = args.data_dir or current.general.data_dir
        store = open_store(current.section("quarantine"), data_dir)
        try:
            offset, seen, skipped = 0, 0, 0
            while True:
                page, _total = store.list(ItemQuery(sort="received", limit=200, offset=offset))
                if not page:
                    break
                offset += len(page)
                for item in page:
                    try:
                        data = store.content(item.id)
                    except NotFound:
                        skipped += 1
                        yield f"{item.id}: content not kept (monitored); not replayed"
                        continue
                    target = workdir / f"{item.id}.eml"
                    target.write_bytes(data)
                    seen += 1
                    yield Past(item.id, STORE_SOURCE, str(target),
                               outcome_of(item.verdict, _counted(policy, item.hits)))
            # Replaying reads held content: who did it and how much is in the audit log.
            store.audit(datetime.now(UTC), os.environ.get("USER", "") or str(os.getuid()),
                        "replay", "", f"replayed {seen} item(s) with {args.config}",
                        {"candidate": str(Path(args.config).resolve()), "items": seen,
                         "skipped": skipped})
        finally:
            store.close()

    return read


def run(args: argparse.Namespace) -> int:
    """Replay every source with the candidate config; print the changes; the exit status."""
    try:
        # Both configs and their rules first: nothing is read from a source before they load.
        candidate = load_config(args.config)
        candidate_pipeline = build_pipeline(candidate.filters, lazy=True)
        current = load_config(args.current)
        # When only [policy] differs, the hits are the same under both configs: one scan
        # gives both verdicts (the current policy decides the baseline from the same hits).
        same_hits = (dataclasses.replace(candidate.filters, policy=current.filters.policy)
                     == current.filters)
        # Engines whose settings both configs share are one object: a paired walk runs
        # each of them once per part (filters/paired.py).
        current_pipeline = None if same_hits else build_pipeline(
            current.filters, lazy=True, share=(candidate.filters, candidate_pipeline))
    except RedlineError as exc:
        print(f"redline replay: {exc}; nothing was replayed", file=sys.stderr)
        return 2
    current_policy = Policy(current.filters.policy)
    jobs = args.jobs or os.cpu_count() or 1
    workdir = Path(tempfile.mkdtemp(prefix="redline-replay-"))
    errors = 0
    records: list[dict[str, object]] = []
    try:
        pasts: list[Past] = []
        for found in collect(args.sources, workdir, _store_reader(args, current, current_policy)):
            if isinstance(found, str):
                print(f"redline replay: {found}", file=sys.stderr)
                errors += 1
            else:
                pasts.append(found)
        befores: dict[int, Outcome] = {i: p.before for i, p in enumerate(pasts) if p.before}
        to_baseline = ([i for i, p in enumerate(pasts) if p.before is None]
                       if current_pipeline is not None else [])
        # Rules (or labels, personal data) differ but limits, coverage and OCR do not: one
        # walk extracts each part once and runs both configs' engines on it.
        paired = bool(to_baseline) and shares_extraction(candidate.filters, current.filters)
        progress = _Progress(len(pasts) + (0 if paired else len(to_baseline)))

        def scan_with(pipeline, indexes: list[int]) -> Iterator[tuple[int, ScanOutcome]]:
            if not indexes:
                return
            # A pair runs two engine sets per part; its item time limit is doubled (see
            # Pipeline.scan_both), and so is the hard limit that kills a stuck worker.
            hard = pipeline.limits.item_wall_seconds * 2 + 10 if pipeline is not None and isinstance(
                pipeline, PairedPipeline) else None
            with ScanPool(pipeline, max(1, min(jobs, len(indexes))), hard_seconds=hard) as pool:
                for index, outcome in zip(indexes,
                                          pool.scan_files([pasts[i].path for i in indexes]),
                                          strict=True):
                    progress.step()
                    yield index, outcome

        def baseline(index: int, verdict) -> None:
            befores[index] = outcome_of(verdict.action, _counted(current_policy, verdict.hits))

        afters: dict[int, ScanOutcome] = {}
        alone: list[int] = []  # paired items whose baseline needs a scan of its own
        if paired:
            assert current_pipeline is not None
            both = PairedPipeline(candidate_pipeline, current_pipeline)
            for index, outcome in scan_with(both, to_baseline):
                afters[index] = outcome
                second = getattr(outcome.verdict, "second", None)
                if second is not None:
                    baseline(index, second)
                elif outcome.verdict is not None:
                    alone.append(index)
            progress.total += len(alone)
            rest = sorted(set(range(len(pasts))) - set(to_baseline))
            afters.update(scan_with(candidate_pipeline, rest))
            for index, outcome in scan_with(current_pipeline, alone):
                if outcome.verdict is not None:
                    baseline(index, outcome.verdict)
        else:
            for index, outcome in scan_with(current_pipeline, to_baseline):
                if outcome.verdict is not None:
                    baseline(index, outcome.verdict)
            afters.update(scan_with(candidate_pipeline, list(range(len(pasts)))))
        for index, past in enumerate(pasts):
            result = afters[index]
            if result.verdict is None or (index not in befores and not same_hits):
                print(f"redline replay: {past.id}: {result.error or 'baseline scan failed'}",
                      file=sys.stderr)
                errors += 1
                continue
            hits = result.verdict.hits
            if same_hits and index not in befores:
                befores[index] = outcome_of(current_policy.decide(hits),
                                            _counted(current_policy, hits))
            after = outcome_of(result.verdict.action, _counted(candidate_pipeline.policy, hits))
            before = befores[index]
            records.append({"id": past.id, "source": past.source,
                            "change": change(before, after), "before": before.as_dict(),
                            "after": after.as_dict()})
        progress.close()
    except RedlineError as exc:
        print(f"redline replay: {exc}", file=sys.stderr)
        return 2
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    summary = summarise(records)
    if args.json:
        for record in records:
            print(json.dumps(record, ensure_ascii=False))
        print(json.dumps({"summary": summary}, ensure_ascii=False))
    else:
        print_table(records, summary)
    if errors:
        return 2
    return 1 if summary["changed"] else 0


def _counted(policy: Policy, hits) -> list:
    """The hits that influence the verdict (those below min_severity are only reported)."""
    return [h for h in hits if policy.counts(h)]


def summarise(records: list[dict[str, object]]) -> dict[str, object]:
    """Counts per change, and per rule the items it newly hits or no longer hits."""
    changes = Counter(str(r["change"]) for r in records)
    rules: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"added": [], "removed": []})
    for record in records:
        before = set(record["before"]["rules"])  # type: ignore[index]
        after = set(record["after"]["rules"])  # type: ignore[index]
        for rule in sorted(after - before):
            rules[rule]["added"].append(str(record["id"]))
        for rule in sorted(before - after):
            rules[rule]["removed"].append(str(record["id"]))
    return {"items": len(records), "changed": len(records) - changes["unchanged"],
            "changes": dict(sorted(changes.items())),
            "rules": {rule: rules[rule] for rule in sorted(rules)}}


def print_table(records: list[dict[str, object]], summary: dict[str, object]) -> None:
    """The changed items, then the counts and the rules, for people."""
    changed = [r for r in records if r["change"] != "unchanged"]
    if changed:
        width = max(len(str(r["id"])) for r in changed)
        print(f"{'item':<{width}}  {'change':<16}  before -> after")
        for r in changed:
            before, after = r["before"], r["after"]
            print(f"{r['id']!s:<{width}}  {r['change']!s:<16}  {before['verdict']} "  # type: ignore[index]
                  f"[{','.join(before['categories']) or '-'}] -> {after['verdict']} "  # type: ignore[index]
                  f"[{','.join(after['categories']) or '-'}]")  # type: ignore[index]
        print()
    counts = ", ".join(f"{n} {c}" for c, n in summary["changes"].items())  # type: ignore[union-attr]
    print(f"{summary['items']} item(s) replayed: {counts or 'none'}")
    for rule, ids in summary["rules"].items():  # type: ignore[union-attr]
        print(f"  {rule}: +{len(ids['added'])} item(s), -{len(ids['removed'])} item(s)")


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register ``redline replay`` on the CLI's subparsers."""
    parser = sub.add_parser(
        "replay", help="re-scan past items with a candidate config; print what would change",
        description="Re-scan past items (SOURCE: 'quarantine' for the store's held and "
                    "monitored items, a Maildir, an mbox, a folder or files) with the "
                    "candidate config and its rules, and print what would change. Exit 0 "
                    "nothing would change, 1 something would, 2 an error.")
    parser.add_argument("sources", nargs="+", metavar="SOURCE")
    parser.add_argument("--config", required=True, metavar="CANDIDATE",
                        help="the candidate config file (its rules are loaded with it)")
    parser.add_argument("--current", default=None, metavar="FILE",
                        help="the config in force: where the quarantine store is, and what "
                             "files are compared with (default: the embedded defaults)")
    parser.add_argument("--data-dir", help="the data dir of the quarantine store "
                                           "(overrides --current's)")
    parser.add_argument("--json", action="store_true",
                        help="one JSON object per item, then {\"summary\": ...}")
    parser.add_argument("--jobs", type=int, default=0,
                        help="scanner processes (default: one per CPU)")
    parser.set_defaults(func=run)
