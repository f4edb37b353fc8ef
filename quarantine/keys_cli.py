"""``redline keys status|generate|rotate|reencrypt|retire``: the keys that seal held content.

Rotation: ``rotate`` appends a new key to the key file (the last line seals new content;
older lines still open what they sealed); gateways pick it up at their next start or
reload, and read content sealed with it at once (they read the key source again when they
meet a key id they do not have). ``reencrypt`` then seals every older item, and items
stored before sealing existed (or before subjects were sealed), with the newest key, and
rewrites the database so that no freed page keeps the old form; ``retire`` finally
marks an old key as no longer needed, after which it may be deleted from the key source.
These commands read the key source and the database directly: run them as Redline's own
user on a gateway host.

``rotate``, ``reencrypt`` and ``retire`` change what protects every held item, so they
also act as a proven admin account (``--as ADMIN`` with its password, or
``REDLINE_TOKEN``), checked before anything is touched and named in their audit entries
beside the operating-system user. ``status`` and ``generate`` stay file access only:
status shows key ids and item counts, which whoever can run it reads from the database
file anyway, and generate touches nothing; neither changes anything, and status is what
an operator runs when the key source is broken and nobody may be able to sign in.
Exit status: 0 done, 1 refused (who acts is not proven), 2 an error (the message says
what to do).
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable
from typing import Any

from filters.errors import RedlineError

EXIT_OK, EXIT_REFUSED, EXIT_ERROR = 0, 1, 2
ConfigLoader = Callable[[str | None], Any]


def add_parser(sub: argparse._SubParsersAction, *, load_config: ConfigLoader) -> None:
    """Register ``redline keys ...`` (``load_config`` comes from the gateway's CLI)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", help="TOML config file (its [quarantine] section and data_dir)")
    common.add_argument("--data-dir", help="data directory (overrides data_dir from the config)")
    common.add_argument("--json", action="store_true", help="print JSON instead of text")
    common.set_defaults(load_config=load_config)
    keys = sub.add_parser("keys", help="the keys that seal held content at rest")
    verbs = keys.add_subparsers(dest="keys_command", required=True)
    verbs.add_parser("status", parents=[common],
                     help="where the keys come from, which seals new content, what each seals"
                     ).set_defaults(func=_status)
    verbs.add_parser("generate", help="print a new key line (for a key command or variable)"
                     ).set_defaults(func=_generate)
    acting = argparse.ArgumentParser(add_help=False, parents=[common])
    acting.add_argument("--as", dest="officer", default=None, metavar="ADMIN",
                        help="the admin account acting: its password is asked for, or read "
                             "with --password-stdin (or set REDLINE_TOKEN to an API token)")
    acting.add_argument("--password-stdin", action="store_true",
                        help="read the admin's password from the first line of standard input")
    verbs.add_parser("rotate", parents=[acting],
                     help="add a new key to the key file; new content is sealed with it"
                     ).set_defaults(func=_rotate)
    reencrypt = verbs.add_parser("reencrypt", parents=[acting],
                                 help="seal every item with the newest key (also items stored "
                                 "before sealing), then compact the database")
    reencrypt.add_argument("--no-compact", action="store_true",
                           help="skip rewriting the database afterwards (VACUUM)")
    reencrypt.set_defaults(func=_reencrypt)
    retire = verbs.add_parser("retire", parents=[acting],
                              help="mark a key no item uses any more as no longer needed")
    retire.add_argument("key_id")
    retire.set_defaults(func=_retire)


def _open(args: argparse.Namespace):
    """The store of an existing installation (a mistyped --data-dir is refused, naming it)."""
    from quarantine.cli import store_data_dir
    from quarantine.config import open_store

    config = args.load_config(args.config)
    section = config.section("quarantine")
    return open_store(section, store_data_dir(args, config, section, create=False))


def _admin(args: argparse.Namespace, store) -> dict[str, str]:
    """Who acts, proven (an admin account), as the audit entry's actor and detail."""
    from quarantine.cli import authenticated
    from quarantine.users import UserStore

    users = UserStore(store)
    try:
        admin = authenticated(args, users, "admin")
    finally:
        users.close()
    return {"actor": admin, "os_user": getpass.getuser()}


def _guarded(body: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        from quarantine.cli import NotAuthenticated

        try:
            return body(args)
        except RedlineError as exc:
            if getattr(args, "json", False):
                print(json.dumps({"error": str(exc)}))
            print(f"redline keys: {exc}", file=sys.stderr)
            return EXIT_REFUSED if isinstance(exc, NotAuthenticated) else EXIT_ERROR
    return run


@_guarded
def _status(args: argparse.Namespace) -> int:
    store = _open(args)
    try:
        use = store.key_use()
        keyring = store.keyring
        report = {
            "source": store.key_source.describe(),
            "current": keyring.current,
            "keys": [{"id": key_id, "retired": retired, "items": use.get(key_id, 0),
                      "in_source": key_id in keyring.keys}
                     for key_id, retired in store.registered_keys()],
            "unsealed_items": use.get(None, 0),
            "readable_subjects": store.readable_subjects(),
        }
    finally:
        store.close()
    if args.json:
        print(json.dumps(report))
        return EXIT_OK
    print(f"keys from the {report['source']}; new content is sealed with {report['current']}")
    for key in report["keys"]:
        state = "retired" if key["retired"] else ("current" if key["id"] == keyring.current
                                                  else "old")
        print(f"  {key['id']:<24} {state:<8} seals {key['items']} item(s)")
    if report["unsealed_items"]:
        print(f"{report['unsealed_items']} item(s) stored before sealing are not sealed: run "
              "`redline keys reencrypt`")
    if report["readable_subjects"]:
        print(f"{report['readable_subjects']} item(s) stored before subjects were sealed keep a "
              "readable subject: run `redline keys reencrypt`")
    return EXIT_OK


def _generate(args: argparse.Namespace) -> int:
    from quarantine.sealing import new_key_line

    print(new_key_line()[1])
    return EXIT_OK


@_guarded
def _rotate(args: argparse.Namespace) -> int:
    from quarantine.sealing import KEY_FILE_HEADER, SealingError, new_key_line, write_private

    store = _open(args)
    try:
        who = _admin(args, store)
        source = store.key_source
        if source.command or source.env:
            raise SealingError(
                f"keys come from the {source.describe()}, which Redline cannot write: add a "
                "line from `redline keys generate` at the end of what it gives, then restart "
                "or reload the gateways")
        assert source.file is not None
        text = source.file.read_text(encoding="utf-8")
        key_id, line = new_key_line()
        if not text.startswith("#"):
            text = KEY_FILE_HEADER + text
        write_private(source.file, text.rstrip("\n") + "\n" + line + "\n")
        store.reload_keys()
        store.audit(store.now(), who["actor"], "keys-rotate", "", "",
                    {"key_id": key_id, "os_user": who["os_user"],
                     "previous": [k for k in store.keyring.keys if k != key_id]})
    finally:
        store.close()
    print(f"added content key {key_id} to {source.file}; it seals new content once the "
          "gateways restart or reload. Back the file up now, then run `redline keys "
          "reencrypt` to seal older items with it.")
    return EXIT_OK


@_guarded
def _reencrypt(args: argparse.Namespace) -> int:
    from quarantine.store import IntegrityError

    store = _open(args)
    done = 0
    damaged: list[str] = []
    try:
        who = _admin(args, store)
        after = ""
        # Keyset paging by id: each pass moves on, so the loop ends even while new
        # items arrive (those are sealed with the current key already).
        while True:
            batch = store.not_sealed_with_current(after, limit=100)
            if not batch:
                break
            for item_id in batch:
                try:
                    done += store.reseal(item_id)
                except IntegrityError as exc:  # left as it is, and named below
                    damaged.append(f"{item_id} ({exc})")
            after = batch[-1]
        compacted = "" if args.no_compact or not done else store.compact()
        store.audit(store.now(), who["actor"], "keys-reencrypt", "", "",
                    {"key_id": store.keyring.current, "items": done,
                     "os_user": who["os_user"]})
        left = {k: n for k, n in store.key_use().items() if k != store.keyring.current}
    finally:
        store.close()
    if args.json:
        print(json.dumps({"key_id": store.keyring.current, "resealed": done,
                          "compacted": bool(compacted), "damaged": damaged}))
        return EXIT_ERROR if damaged else EXIT_OK
    print(f"sealed {done} item(s) with content key {store.keyring.current}")
    for line in damaged:
        print(f"NOT sealed, damaged: {line}", file=sys.stderr)
    if compacted:
        print(compacted)
    if left:
        print(f"still under other keys (arrived meanwhile?): {left}; run it again")
    else:
        print("no item needs an older key now: `redline keys retire KEY_ID` each old key, "
              "then remove it from the key source (keep it with older backups)")
    return EXIT_ERROR if damaged else EXIT_OK


@_guarded
def _retire(args: argparse.Namespace) -> int:
    store = _open(args)
    try:
        who = _admin(args, store)
        store.retire_key(args.key_id)
        store.audit(store.now(), who["actor"], "keys-retire", "", "",
                    {"key_id": args.key_id, "os_user": who["os_user"]})
    finally:
        store.close()
    print(f"content key {args.key_id} is retired: it may be removed from the key source "
          "(keep a copy as long as backups that need it exist)")
    return EXIT_OK
