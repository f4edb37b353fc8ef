"""``redline rules check|test``: validate rule files and explain what a rule sees in a file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from filters.build import build_pipeline, fingerprint_engine
from filters.engines.fingerprint import FingerprintEngine
from filters.engines.markings import MarkingEngine
from filters.errors import RedlineError
from filters.rule_examples import problems
from filters.rules import RuleSet, load_rules
from filters.types import Part
from gateway.config import load_config


def self_test(rules: RuleSet) -> list[str]:
    """Problems found by running each marking rule and vocabulary entry on its own examples
    and counter-examples."""
    return problems(rules)


def entry_positions(rules: RuleSet, entry_id: str) -> set[str]:
    """The positions a vocabulary entry is a marking in."""
    return {p for e in rules.entries if e.id == entry_id for p in e.positions}


def _load(args: argparse.Namespace) -> RuleSet:
    config = load_config(args.config).filters
    paths = [Path(p) for p in args.rules] if args.rules else config.rules.rule_paths()
    return load_rules(paths)


def check(args: argparse.Namespace) -> int:
    """Compile every rule file and run every rule's examples; 0 when all is well."""
    try:
        rules = _load(args)
    except RedlineError as exc:
        print(f"redline rules check: {exc}", file=sys.stderr)
        return 2
    problems = self_test(rules)
    for problem in problems:
        print(f"redline rules check: {problem}", file=sys.stderr)
    files = ", ".join(str(f) for f in rules.files)
    print(f"{len(rules.yara_meta)} YARA rules and {len(rules.marking_rules)} marking rules "
          f"from {files}: {'OK' if not problems else f'{len(problems)} problems'}")
    return 1 if problems else 0


def test(args: argparse.Namespace) -> int:
    """Scan a file, or every file under a folder, and explain per text part which rule hit
    where and which nearly did. Exit 0 all passed, 1 something hit, 2 an error."""
    try:
        rules = _load(args)
        config = load_config(args.config)
        pipeline = build_pipeline(config.filters, rules=rules)
    except RedlineError as exc:
        print(f"redline rules test: {exc}", file=sys.stderr)
        return 2
    fingerprints = _registered_documents(pipeline, config, args.data_dir)
    path = Path(args.path)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file())
        if not files:
            print(f"redline rules test: {path}: the folder holds no files to test", file=sys.stderr)
            return 2
    elif path.is_file():
        files = [path]
    else:
        print(f"redline rules test: {path}: no such file or folder (give a file, such as a "
              ".eml or a document, or a folder of them)", file=sys.stderr)
        return 2
    engine = MarkingEngine(rules)
    texts: list[Part] = []

    class _Collect:
        def scan(self, part: Part) -> tuple[()]:
            texts.append(part)
            return ()

    pipeline.text_engines = (*pipeline.text_engines, _Collect())
    passed = True
    for one in files:
        texts.clear()
        passed = _explain(pipeline, engine, rules, texts, one, fingerprints) and passed
    if len(files) > 1:
        print(f"{len(files)} files under {path}")
    return 0 if passed else 1


def _registered_documents(pipeline, config, data_dir: str | None) -> FingerprintEngine | None:
    """The pipeline's fingerprint engine with the store's registered documents loaded, or
    None (fingerprints off, or no store: said once)."""
    from gateway.fingerprints import attach_store
    from quarantine.datadir import existing_store_dir

    engine = fingerprint_engine(pipeline)
    if engine is None:
        return None
    section = config.section("quarantine")
    where = data_dir or config.general.data_dir
    if section.backend == "sqlite":
        try:
            existing_store_dir(where, flag="--data-dir" if data_dir else "data_dir")
        except RedlineError:
            print(f"(no quarantine store at {where}: no registered documents to compare "
                  "with; give --data-dir)")
            return None
    attach_store(pipeline, section, where)
    print(f"({len(engine.index)} registered documents compared by fingerprint)")
    return engine


def _explain(pipeline, engine: MarkingEngine, rules: RuleSet, texts: list[Part], path: Path,
             fingerprints: FingerprintEngine | None = None) -> bool:
    """Print one file's verdict, its hits and its near misses; True when it passed."""
    verdict = pipeline.scan_file(path)
    print(f"{path}: {verdict.action.upper()} ({verdict.stats.parts} parts)")
    for hit in verdict.hits:
        print(f"  HIT   {hit.rule} ({hit.category}/{hit.severity}) at {hit.where}: {hit.excerpt}")
        if hit.description:
            print(f"        {hit.description}")
    for part in texts:
        for rule, window, matched in engine.explain(part.text or "", part.role, part.name):
            if matched:
                continue
            # A vocabulary entry is named once, with the positions it accepts.
            what = (f"{rule.entry} (a marking in these positions: "
                    f"{', '.join(sorted(entry_positions(rules, rule.entry)))})"
                    if rule.entry else rule.id)
            print(f"  NEAR  {what} at {part.origin} ({part.role}): trigger found in "
                  f"{window!r}, but not in the form or position the rule asks for: "
                  f"{rule.description}")
        if fingerprints is not None and part.text and part.role != "filename":
            for line in fingerprints.explain(part.text):
                print(f"  FP    at {part.origin} ({part.role}): {line}")
    return verdict.passed


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register ``redline rules check`` and ``redline rules test``."""
    parser = sub.add_parser("rules", help="check rule files, or explain the rules on a file")
    rules_sub = parser.add_subparsers(dest="rules_command", required=True)
    p_check = rules_sub.add_parser("check", help="compile rule files and run their examples")
    p_check.add_argument("rules", nargs="*", help="rule files or folders (default: configured)")
    p_check.add_argument("--config", help="TOML config file")
    p_check.set_defaults(func=check)
    p_test = rules_sub.add_parser("test", help="explain which rule hit where, and near misses, "
                                               "in a file or every file under a folder")
    p_test.add_argument("path", help="a file (.eml, a document, an archive) or a folder of them")
    p_test.add_argument("--rules", action="append", default=[], help="rule file or folder")
    p_test.add_argument("--config", help="TOML config file")
    p_test.add_argument("--data-dir", help="data directory whose registered documents are "
                                           "compared (default: data_dir from the config)")
    p_test.set_defaults(func=test)
