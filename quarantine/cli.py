"""``redline quarantine list|show|release|reject|mark|purge`` and ``redline audit verify``.

The store is found like ``redline serve`` finds it: from ``--config FILE`` (section
[quarantine] and data_dir) or ``--data-dir DIR``. Decisions go through the quarantine
service, the same rules as in the officer UI. Exit status: 0 done, 1 refused (or, for
``audit verify``, the log was tampered with), 2 an error (no such item, bad config,
store unreachable).
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable
from contextlib import contextmanager
from typing import Any

from filters.errors import RedlineError
from filters.types import SEVERITIES
from quarantine.excerpt import whole_marking
from quarantine.metrics import NOT_COUNTED, QuarantineMetrics
from quarantine.store import STATUSES

EXIT_OK, EXIT_REFUSED, EXIT_ERROR = 0, 1, 2

# The config file's loader: path (None: the embedded defaults) -> the whole config, with
# ``section(name)`` and ``general.data_dir``.
ConfigLoader = Callable[[str | None], Any]
# (config, data_dir) -> where this command's decisions are counted.
MetricsFor = Callable[[Any, str], QuarantineMetrics]


def _at_least(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number no smaller than ``minimum``."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    return parse


def _store_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", help="TOML config file (its [quarantine] section and data_dir)")
    common.add_argument("--data-dir", help="data directory (overrides data_dir from the config)")
    common.add_argument("--json", action="store_true", help="print JSON instead of text")
    return common


def add_parser(sub: argparse._SubParsersAction, *, load_config: ConfigLoader,
               metrics_for: MetricsFor | None = None) -> None:
    """Register ``redline quarantine ...`` and ``redline audit ...``.

    ``load_config(path)`` reads the whole config file (every section, as ``redline serve``
    does); ``metrics_for(config, data_dir)``, when given, is where decisions are counted.
    The ``redline`` entry point passes both, so this package never imports the gateway's.
    """
    common = _store_options()
    common.set_defaults(load_config=load_config, metrics_for=metrics_for)
    quarantine = sub.add_parser("quarantine", help="list, inspect and decide held items")
    verbs = quarantine.add_subparsers(dest="quarantine_command", required=True)

    listing = verbs.add_parser("list", parents=[common], help="list held items (newest first)")
    listing.add_argument("--status", choices=STATUSES,
                         help="only items with this status (e.g. pending, monitored)")
    listing.add_argument("--kind", choices=("mail", "upload"))
    listing.add_argument("--category", help="only items with a hit of this category")
    listing.add_argument("--min-severity", choices=SEVERITIES)
    listing.add_argument("--sender", help="sender or user contains this")
    listing.add_argument("--search", help="id, sender or recipients contains this, or the "
                         "subject has all its words (whole words: subjects are sealed)")
    listing.add_argument("--sort", default="-received",
                         help="received, size, sender, subject, status or id; '-' for descending")
    listing.add_argument("--limit", type=_at_least(1), default=50, help="at most this many items")
    listing.add_argument("--offset", type=_at_least(0), default=0, help="skip this many first")
    listing.set_defaults(func=_list)

    show = verbs.add_parser("show", parents=[common], help="one item: hits, decisions, delivery")
    show.add_argument("item_id", metavar="ID")
    show.add_argument("--content", action="store_true",
                      help="write the original bytes to stdout (audited as a view)")
    _identity_arguments(show, "officer viewing the content (with --content)")
    show.set_defaults(func=_show)

    for verb, helptext in (("release", "release an item (mail: queued for delivery)"),
                           ("reject", "reject an item (never sent)")):
        decide = verbs.add_parser(verb, parents=[common], help=helptext)
        decide.add_argument("item_id", metavar="ID")
        _identity_arguments(decide, "deciding officer")
        if verb == "release":
            decide.add_argument("--confirm", metavar="ID", default="",
                                help="for an item with a classification marking: its id again, "
                                     "confirming what leaves (asked for on a terminal)")
        decide.add_argument("--comment", default="", help="why; kept in the decision and the audit")
        decide.set_defaults(func=_decide, verb=verb)

    mark = verbs.add_parser("mark", parents=[common],
                            help="feedback on a monitored item: what you would have decided "
                                 "had it been held (audited; delivers nothing)")
    mark.add_argument("item_id", metavar="ID")
    mark.add_argument("--would", required=True, choices=("release", "reject"),
                      help="release: the policy was wrong to flag it; reject: it was right")
    _identity_arguments(mark, "officer giving the feedback")
    mark.add_argument("--comment", default="", help="why; kept in the mark and the audit")
    mark.set_defaults(func=_mark)

    report = verbs.add_parser("monitor-report", parents=[common],
                              help="monitored items per rule and category, officers' marks "
                                   "and the false-positive share")
    report.add_argument("--since", help="only items received since this ISO date")
    report.set_defaults(func=_monitor_report)

    purge = verbs.add_parser("purge", parents=[common],
                             help="apply retention: expire overdue pending items, delete old "
                                  "decided ones")
    purge.set_defaults(func=_purge)

    audit = sub.add_parser("audit", help="the tamper-evident audit log")
    audit_verbs = audit.add_subparsers(dest="audit_command", required=True)
    verify = audit_verbs.add_parser("verify", parents=[common],
                                    help="check the hash chain; exit 1 at the first edited or "
                                         "deleted entry")
    verify.set_defaults(func=_verify)
    entries = audit_verbs.add_parser("list", parents=[common], help="print audit entries")
    entries.add_argument("--item", help="only entries about this item")
    entries.set_defaults(func=_audit_list)


def _identity_arguments(parser: argparse.ArgumentParser, who: str) -> None:
    parser.add_argument("--as", dest="officer", default=None, metavar="OFFICER",
                        help=f"{who}: an officer account; the password is asked for, or read "
                             "with --password-stdin (or set REDLINE_TOKEN to an API token)")
    parser.add_argument("--password-stdin", action="store_true",
                        help="read the officer's password from the first line of standard input")


class NotAuthenticated(RedlineError):
    """The command line could not establish which account acts."""


def authenticated(args: argparse.Namespace, users, permission: str) -> str:
    """The account the command acts as, proven by its password or an API token.

    Decisions and views are audited under an account name, so the name must be proven:
    a free-form ``--as`` would let anyone on the host decide as anyone.
    """
    token = os.environ.get("REDLINE_TOKEN", "").strip()
    if token and not args.officer:
        user = users.user_for_token(token)
        if user is None:
            raise NotAuthenticated("REDLINE_TOKEN is not a valid API token of an enabled "
                                   "account; create one with 'redline user token NAME'")
    elif args.officer:
        if args.password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        elif sys.stdin.isatty():
            try:
                password = getpass.getpass(f"Password for {args.officer.strip()}: ")
            except (EOFError, KeyboardInterrupt):
                raise NotAuthenticated("no password given; nothing was done") from None
        else:
            raise NotAuthenticated("no terminal to ask for the password: pass it with "
                                   "--password-stdin, or use REDLINE_TOKEN")
        user = users.authenticate(args.officer, password, client="cli", via="cli")
        if user is None:
            raise NotAuthenticated(f"wrong name or password for {args.officer.strip()!r}; "
                                   "nothing was done")
    else:
        raise NotAuthenticated("say who acts: --as OFFICER (password prompt, or "
                               "--password-stdin), or REDLINE_TOKEN with an API token")
    if not user.can(permission):
        raise NotAuthenticated(f"account {user.name} is {'disabled' if user.disabled else 'a ' + user.role}"
                               f" and may not do this (needs the {permission!r} permission)")
    return user.name


def store_data_dir(args: argparse.Namespace, config: Any, section: Any, *, create: bool) -> str:
    """The data directory this command works on: created when ``create`` (set-up commands),
    else it must hold a store already, so that a mistyped path is an error, not an empty queue.
    """
    from quarantine.datadir import create_data_dir, data_dir_source, existing_store_dir

    data_dir = args.data_dir or config.general.data_dir
    flag = data_dir_source(args.data_dir, args.config)
    if create:
        create_data_dir(data_dir, flag=flag)
    elif section.backend == "sqlite":
        existing_store_dir(data_dir, flag=flag)
    return str(data_dir)


@contextmanager
def _opened(args: argparse.Namespace):
    from quarantine.config import open_store
    from quarantine.service import QuarantineService
    from quarantine.users import UserStore

    config = args.load_config(args.config)
    section = config.section("quarantine")
    data_dir = store_data_dir(args, config, section, create=False)
    metrics = args.metrics_for(config, data_dir) if args.metrics_for else NOT_COUNTED
    store = open_store(section, data_dir)
    users = UserStore(store)
    try:
        yield QuarantineService(store, section, metrics=metrics, accounts=users,
                                org_domains=config.section("org").domains)
    finally:
        users.close()
        store.close()


def _run(args: argparse.Namespace, body) -> int:
    from quarantine.service import DecisionRefused

    try:
        with _opened(args) as service:
            return body(service)
    except (DecisionRefused, NotAuthenticated) as exc:
        _fail(args, str(exc))
        return EXIT_REFUSED
    except RedlineError as exc:
        _fail(args, str(exc))
        return EXIT_ERROR


def _fail(args: argparse.Namespace, message: str) -> None:
    if args.json:
        print(json.dumps({"error": message}))
    print(f"redline: {message}", file=sys.stderr)


def _list(args: argparse.Namespace) -> int:
    from quarantine.store import ItemQuery

    def body(service) -> int:
        query = ItemQuery(status=args.status, kind=args.kind, category=args.category,
                          min_severity=args.min_severity, sender=args.sender,
                          search=args.search, sort=args.sort, limit=args.limit,
                          offset=args.offset)
        items, total = service.store.list(query)
        if args.json:
            print(json.dumps([i.as_dict() for i in items], ensure_ascii=False))
            return EXIT_OK
        for item in items:
            print(f"{item.id}  {item.status:<10} {item.received:%Y-%m-%d %H:%M}  "
                  f"{item.top_severity:<8} {item.kind:<6} {item.sender}  {item.subject[:60]}")
        print(f"{len(items)} of {total} item(s)", file=sys.stderr)
        return EXIT_OK

    return _run(args, body)


def _show(args: argparse.Namespace) -> int:
    def body(service) -> int:
        if args.content:
            data = service.content(args.item_id,
                                   authenticated(args, service.accounts, "read"))
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            return EXIT_OK
        item = service.store.get(args.item_id)
        delivery = service.store.outbox_state(item.id)
        if args.json:
            print(json.dumps({**item.as_dict(), "delivery": delivery}, ensure_ascii=False,
                             default=str))
            return EXIT_OK
        print(f"{item.id}  {item.kind}  {item.status}")
        print(f"  received  {item.received.isoformat()}  from client {item.client or '-'}")
        print(f"  sender    {item.sender}")
        print(f"  to        {', '.join(item.recipients)}")
        print(f"  subject   {item.subject}")
        print(f"  size      {item.size} bytes  sha256 {item.sha256}")
        print("  hits:")
        for hit in item.hits:
            excerpt = hit.excerpt
            if hit.span:
                start, end = whole_marking(excerpt, *hit.span)
                excerpt = excerpt[:start] + "«" + excerpt[start:end] + "»" + excerpt[end:]
            print(f"    {hit.severity:<8} {hit.rule} [{hit.category}] at {hit.where}")
            print(f"             {excerpt}")
        if item.decisions:
            print("  decisions:")
            for d in item.decisions:
                note = f"  “{d.comment}”" if d.comment else ""
                print(f"    {d.at:%Y-%m-%d %H:%M:%S}  {d.action:<8} {d.officer}{note}")
        if delivery:
            label = "notice  " if delivery.get("kind") == "notice" else "delivery"
            print(f"  {label}  {delivery['state']} after {delivery['attempts']} attempt(s)"
                  + (f": {delivery['error']}" if delivery["error"] else ""))
        return EXIT_OK

    return _run(args, body)


def _decide(args: argparse.Namespace) -> int:
    def body(service) -> int:
        from quarantine.service import ConfirmationNeeded, leaving, needs_confirmation

        item = service.store.get(args.item_id)  # an unknown item says so before a password
        # Who acts is proven first: the confirmation below names what the item holds.
        officer = authenticated(args, service.accounts, "decide")
        if args.verb == "reject":
            outcome = service.reject(args.item_id, officer, args.comment)
        else:
            confirmation = args.confirm
            if (not confirmation and args.comment.strip() and sys.stdin.isatty()
                    and needs_confirmation(item)):
                print(f"{item.id} carries a classification marking; releasing it lets out "
                      f"{leaving(item)}.", file=sys.stderr)
                confirmation = input(f"Type {item.id} to confirm: ")
            try:
                outcome = service.release(args.item_id, officer, args.comment,
                                          confirmation=confirmation)
            except ConfirmationNeeded as exc:
                raise ConfirmationNeeded(f"{exc}; on the command line: --confirm ID") from None
        print(json.dumps(outcome.as_dict()) if args.json else outcome.message)
        return EXIT_OK

    return _run(args, body)


def _mark(args: argparse.Namespace) -> int:
    def body(service) -> int:
        service.store.get(args.item_id)  # an unknown item says so before a password
        officer = authenticated(args, service.accounts, "decide")
        item = service.mark(args.item_id, officer, args.would, args.comment)
        message = f"{item.id} marked would-{args.would} by {officer}"
        print(json.dumps({"id": item.id, "status": item.status, "mark": f"would-{args.would}",
                          "message": message}) if args.json else message)
        return EXIT_OK

    return _run(args, body)


def _monitor_report(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from quarantine.monitor import monitor_report

    def body(service) -> int:
        since = None
        if args.since:
            try:
                since = datetime.fromisoformat(args.since)
            except ValueError:
                raise RedlineError(f"--since: expected an ISO date such as 2026-11-01, got "
                                   f"{args.since!r}") from None
            since = since if since.tzinfo else since.replace(tzinfo=UTC)
        report = monitor_report(service.store, since)
        if args.json:
            print(json.dumps(report))
            return EXIT_OK
        print(f"{report['items']} monitored item(s)")
        for table in ("categories", "rules"):
            print(f"{table}:")
            for key, row in report[table].items():
                share = row["false_positive_share"]
                print(f"  {key:<40} {row['items']:>6} item(s)  marked {row['marked']:>4}  "
                      f"would release {row['would_release']:>4}  would reject "
                      f"{row['would_reject']:>4}  false positives "
                      f"{'-' if share is None else f'{share:.0%}'}")
        return EXIT_OK

    return _run(args, body)


def _purge(args: argparse.Namespace) -> int:
    def body(service) -> int:
        expired = service.expire()
        purged = service.purge()
        if args.json:
            print(json.dumps({"expired": expired, "purged": purged}))
        else:
            print(f"expired {len(expired)} pending item(s), purged {len(purged)} decided or "
                  "monitored item(s)")
        return EXIT_OK

    return _run(args, body)


def _verify(args: argparse.Namespace) -> int:
    from quarantine.audit import verify_chain

    def body(service) -> int:
        result = verify_chain(service.store.audit_entries(), service.store.audit_head())
        if args.json:
            print(json.dumps({"ok": result.ok, "entries": result.entries,
                              "head_hash": result.head_hash, "first_bad_seq": result.first_bad_seq,
                              "problem": result.problem}))
        elif result.ok:
            # Record the head hash elsewhere now and then: a rewrite of the whole log
            # (chain and head together) is only caught against such an outside copy.
            print(f"audit log intact: {result.entries} entries, head {result.head_hash}")
        else:
            print(f"audit log TAMPERED at entry {result.first_bad_seq}: {result.problem}")
        return EXIT_OK if result.ok else EXIT_REFUSED

    return _run(args, body)


def _audit_list(args: argparse.Namespace) -> int:
    def body(service) -> int:
        entries = list(service.store.audit_entries(args.item))
        if args.json:
            print(json.dumps([e.as_dict() for e in entries], ensure_ascii=False))
            return EXIT_OK
        for e in entries:
            note = f"  “{e.comment}”" if e.comment else ""
            print(f"{e.seq:>6}  {e.at:%Y-%m-%d %H:%M:%S}  {e.actor:<16} {e.action:<18} "
                  f"{e.item_id}{note}")
        return EXIT_OK

    return _run(args, body)
