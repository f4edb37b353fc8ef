"""``redline fingerprints add|list|remove``: the documents whose passages are held.

``add FILES… --label NAME`` registers an organisation's own documents (a folder of final
reports): each file is read by the scan's extractors and fingerprinted, and all are
registered or none. Rejected items are registered by the gateway on its own
(``[fingerprints] register_rejected``). Adding and removing act as a proven officer
account, like the quarantine's decisions, and are audited. Exit status: 0 done, 1
refused (who acts could not be proven), 2 an error (a file that cannot be registered, a
store that cannot be reached).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from filters.errors import RedlineError
from quarantine.cli import (
    EXIT_OK,
    ConfigLoader,
    _identity_arguments,
    _run,
    _store_options,
    authenticated,
)


def add_parser(sub: argparse._SubParsersAction, *, load_config: ConfigLoader) -> None:
    """Register ``redline fingerprints ...`` (``load_config`` comes from the gateway's CLI)."""
    common = _store_options()
    common.set_defaults(load_config=load_config, metrics_for=None)
    parser = sub.add_parser("fingerprints", help="documents whose passages are held: "
                                                 "register, list, remove")
    verbs = parser.add_subparsers(dest="fingerprints_command", required=True)
    add = verbs.add_parser("add", parents=[common],
                           help="register documents (all of them or none)")
    add.add_argument("files", nargs="+", metavar="FILE",
                     help="documents, or folders of them (read recursively)")
    add.add_argument("--label", required=True,
                     help="what these documents are, named in every hit (e.g. 'Final reports')")
    _identity_arguments(add, "officer registering them")
    add.set_defaults(func=_add)
    listing = verbs.add_parser("list", parents=[common], help="registered documents")
    listing.add_argument("--kind", choices=("rejected", "registered", "skipped"),
                         help="only documents of this kind (skipped: rejected items not "
                              "registered, with why)")
    listing.set_defaults(func=_list)
    remove = verbs.add_parser("remove", parents=[common],
                              help="forget a registered document (every node drops it)")
    remove.add_argument("document", type=int, metavar="NUMBER",
                        help="its number, as 'fingerprints list' shows it")
    remove.add_argument("--comment", default="", help="why; kept in the audit log")
    _identity_arguments(remove, "officer removing it")
    remove.set_defaults(func=_remove)


def _files(names: list[str]) -> list[Path]:
    """The files named, folders expanded; a missing name is an error naming it."""
    found: list[Path] = []
    for name in names:
        path = Path(name)
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*") if p.is_file())
            if not inside:
                raise RedlineError(f"{path}: the folder holds no files; nothing was registered")
            found += inside
        elif path.exists():
            found.append(path)
        else:
            raise RedlineError(f"{path}: no such file or folder; nothing was registered")
    return found


def _add(args: argparse.Namespace) -> int:
    from quarantine.fingerprints import register_files

    def body(service) -> int:
        config, store = args.load_config(args.config), service.store
        files = _files(args.files)
        officer = authenticated(args, service.accounts, "decide")
        records = register_files(store, files, args.label, officer,
                                 config.section("fingerprints"), store.now(),
                                 config.section("limits"))
        if args.json:
            print(json.dumps([r.as_dict() for r in records], ensure_ascii=False))
        else:
            for r in records:
                print(f"#{r.id}  {r.source}: {r.count} fingerprints of {round(r.words)} words")
            print(f"registered {len(records)} document(s); every node recognises them within "
                  "seconds")
        return EXIT_OK

    return _run(args, body)


def _list(args: argparse.Namespace) -> int:
    def body(service) -> int:
        records = service.store.fingerprint_records(args.kind)
        if args.json:
            print(json.dumps([r.as_dict() for r in records], ensure_ascii=False))
            return EXIT_OK
        for r in records:
            note = f"  {r.note}" if r.note else ""
            print(f"#{r.id:<5} {r.kind:<10} {r.registered:%Y-%m-%d}  {r.registered_by:<12} "
                  f"{r.count:>6} fp {round(r.words):>7} words  {r.source}{note}")
        print(f"{len(records)} document(s)", file=sys.stderr)
        return EXIT_OK

    return _run(args, body)


def _remove(args: argparse.Namespace) -> int:
    def body(service) -> int:
        officer = authenticated(args, service.accounts, "decide")
        record = service.store.remove_fingerprints(args.document, actor=officer,
                                                   now=service.store.now(),
                                                   comment=args.comment)
        message = f"removed #{record.id} ({record.source}); every node forgets it within seconds"
        print(json.dumps({"removed": record.id, "message": message}) if args.json else message)
        return EXIT_OK

    return _run(args, body)
