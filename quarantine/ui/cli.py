"""``redline user ...`` (accounts, API tokens, confirmations) and ``redline ui`` (the UI alone).

Both find the store like ``redline quarantine``: ``--config FILE`` and ``--data-dir DIR``.
Exit status: 0 done, 1 refused (bad name, role or password; unknown user), 2 an error.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import logging
import signal
import sys
from contextlib import contextmanager
from datetime import timedelta

from filters.errors import RedlineError
from quarantine.cli import ConfigLoader
from quarantine.users import ROLES

EXIT_OK, EXIT_REFUSED, EXIT_ERROR = 0, 1, 2


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", help="TOML config file (its [quarantine] section and data_dir)")
    common.add_argument("--data-dir", help="data directory (overrides data_dir from the config)")
    return common


def add_parser(sub: argparse._SubParsersAction, *, load_config: ConfigLoader) -> None:
    """Register ``redline user ...`` and ``redline ui``.

    ``load_config(path)`` reads the whole config file; the ``redline`` entry point passes it.
    """
    common = _common()
    common.set_defaults(load_config=load_config)
    user = sub.add_parser("user", help="officer UI accounts and API tokens")
    verbs = user.add_subparsers(dest="user_command", required=True)
    add = verbs.add_parser("add", parents=[common], help="create an account")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ROLES,
                     help="auditor: read; officer: read and decide; admin: manage users; "
                          "sender: SMTP AUTH only (smtp.auth), named by its mail address")
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from the first line of standard input")
    add.add_argument("--address", action="append", default=[], metavar="ADDRESS",
                     help="the person's own mail address (repeatable): an officer never "
                          "decides on mail any of them sent")
    add.set_defaults(func=_add)
    addresses = verbs.add_parser("addresses", parents=[common],
                                 help="set a person's own mail addresses (replaces the list)")
    addresses.add_argument("name")
    addresses.add_argument("address", nargs="*", help="mail addresses; none clears the list")
    addresses.set_defaults(func=_addresses)
    confirm = verbs.add_parser("confirm", parents=[common],
                               help="as a second admin, confirm an account change so that the "
                                    "account counts under four-eyes at once")
    confirm.add_argument("name")
    confirm.add_argument("--as", dest="officer", required=True, metavar="ADMIN",
                         help="the confirming admin account (not the one who made the change)")
    confirm.add_argument("--password-stdin", action="store_true",
                         help="read the admin's password from the first line of standard input")
    confirm.add_argument("--change", default="", metavar="ID",
                         help="the id of the change you checked (shown by this command "
                              "without --change): a change made since is not confirmed; "
                              "asked for on a terminal")
    confirm.set_defaults(func=_confirm)
    password = verbs.add_parser("password", parents=[common],
                                help="set a new password (ends the user's sessions)")
    password.add_argument("name")
    password.add_argument("--password-stdin", action="store_true",
                          help="read the password from the first line of standard input")
    password.set_defaults(func=_password)
    token = verbs.add_parser("token", parents=[common],
                             help="print a new JSON API token for a user (shown once)")
    token.add_argument("name")
    token.set_defaults(func=_token)
    listing = verbs.add_parser("list", parents=[common], help="list accounts")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=_list)
    for verb in ("disable", "enable"):
        state = verbs.add_parser(verb, parents=[common],
                                 help=f"{verb} an account" + (" (ends its sessions and tokens)"
                                                               if verb == "disable" else ""))
        state.add_argument("name")
        state.set_defaults(func=_state, disabled=verb == "disable")

    ui = sub.add_parser("ui", parents=[common],
                        help="serve only the officer UI and JSON API on the configured store")
    ui.add_argument("--listen", metavar="HOST:PORT", help="address to bind (overrides ui.listen)")
    ui.set_defaults(func=_serve_ui)


@contextmanager
def _opened(args: argparse.Namespace, *, create: bool = False):
    """The config, store and accounts; only set-up commands (``create``) make a new store."""
    from quarantine.cli import store_data_dir
    from quarantine.config import open_store
    from quarantine.users import UserStore

    config = args.load_config(args.config)
    section = config.section("quarantine")
    store = open_store(section, store_data_dir(args, config, section, create=create))
    users = UserStore(store)
    try:
        yield config, store, users
    finally:
        users.close()
        store.close()


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        # getpass would fall back to reading the pipe with a warning, or fail at its end.
        raise _Refused("no terminal to ask for the password: pipe it in with "
                       "--password-stdin; nothing was changed")
    try:
        first = getpass.getpass("Password: ")
        again = getpass.getpass("Again: ")
    except (EOFError, KeyboardInterrupt):
        print(file=sys.stderr)  # the prompt left the cursor mid-line
        raise _Refused("no password given; nothing was changed") from None
    if again != first:
        raise _Refused("the two passwords differ; nothing was changed")
    return first


class _Refused(RedlineError):
    pass


def _run(body) -> int:
    from quarantine.users import UserError

    try:
        return body()
    except (UserError, _Refused) as exc:
        print(f"redline: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except RedlineError as exc:
        print(f"redline: {exc}", file=sys.stderr)
        return EXIT_ERROR


def _add(args: argparse.Namespace) -> int:
    def body() -> int:
        password = _read_password(args)
        with _opened(args, create=True) as (_, _, users):
            user = users.add(args.name, args.role, password, addresses=args.address)
        print(f"user {user.name} added as {user.role}"
              + (f" (own addresses: {', '.join(user.addresses)})" if user.addresses else ""))
        return EXIT_OK

    return _run(body)


def _addresses(args: argparse.Namespace) -> int:
    def body() -> int:
        with _opened(args) as (_, _, users):
            user = users.set_addresses(args.name, args.address)
        print(f"user {user.name}: own addresses {', '.join(user.addresses) or '(none)'}")
        return EXIT_OK

    return _run(body)


def _confirm(args: argparse.Namespace) -> int:
    from quarantine.cli import NotAuthenticated, authenticated

    def body() -> int:
        with _opened(args) as (config, _, users):
            # Who acts is proven first: the change shown below names who did what.
            try:
                admin = authenticated(args, users, "admin")
            except NotAuthenticated as exc:
                raise _Refused(str(exc)) from None
            delay = timedelta(hours=config.section("quarantine").account_change_delay_hours)
            # The store's own checks (nothing pending, one's own change, an admin account
            # that does not count yet) refuse before anything is shown.
            user, _ = users.confirmable(args.name, actor=admin, delay=delay)
            change = users.pending_change(user, delay)
            chosen = args.change
            if not chosen:
                # The admin confirms what they were shown, never whatever is current when
                # the command runs (a change made meanwhile would be confirmed unseen).
                if args.password_stdin or not sys.stdin.isatty():
                    raise _Refused(f"{change.describe()}. Check this change with the person, "
                                   f"then confirm it with --change {change.id}; nothing was "
                                   "confirmed")
                print(change.describe())
                try:
                    chosen = input(f"Type {change.id} to confirm this change: ").strip()
                except (EOFError, KeyboardInterrupt):
                    print(file=sys.stderr)
                    raise _Refused("nothing was confirmed") from None
                if chosen != change.id:
                    raise _Refused("that is not the change shown; nothing was confirmed")
            user = users.confirm(args.name, actor=admin, delay=delay, change=chosen)
        print(f"account {user.name}: change {change.id} by {user.changed_by} confirmed by "
              f"{admin}")
        return EXIT_OK

    return _run(body)


def _password(args: argparse.Namespace) -> int:
    def body() -> int:
        with _opened(args) as (_, _, users):  # a mistyped data dir says so before the prompt
            users.set_password(args.name, _read_password(args))
        print(f"password of {args.name} changed; their sessions have ended")
        return EXIT_OK

    return _run(body)


def _token(args: argparse.Namespace) -> int:
    def body() -> int:
        with _opened(args) as (_, _, users):
            print(users.new_token(args.name))
        return EXIT_OK

    return _run(body)


def _list(args: argparse.Namespace) -> int:
    def body() -> int:
        with _opened(args) as (_, _, users):
            accounts = users.list()
        if args.json:
            print(json.dumps([u.as_dict() for u in accounts]))
        for u in [] if args.json else accounts:
            print(f"{u.name:<24} {u.role:<8} {'disabled' if u.disabled else 'active'}")
        return EXIT_OK

    return _run(body)


def _state(args: argparse.Namespace) -> int:
    def body() -> int:
        with _opened(args) as (_, _, users):
            user = users.set_disabled(args.name, args.disabled)
        print(f"user {user.name} {'disabled' if user.disabled else 'enabled'}")
        return EXIT_OK

    return _run(body)


async def run_ui(app, host: str, port: int, stop: asyncio.Event) -> None:
    """Serve ``app`` on host:port until ``stop`` is set."""
    from aiohttp import web

    runner = web.AppRunner(app, access_log=None)  # access lines would name items and users
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
        print(f"redline: officer UI ready on http://{host}:{port}/", file=sys.stderr, flush=True)
        await stop.wait()
    finally:
        await runner.cleanup()


def _serve_ui(args: argparse.Namespace) -> int:
    import dataclasses

    from quarantine.service import QuarantineService
    from quarantine.ui.app import create_app
    from quarantine.ui.config import split_listen

    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    log = logging.getLogger("redline.ui")

    def body() -> int:
        with _opened(args, create=True) as (config, store, users):
            ui = config.section("ui")
            if args.listen:
                ui = dataclasses.replace(ui, listen=args.listen)
            if ui.listen == "off":
                print("redline ui: ui.listen is off; nothing to serve", file=sys.stderr)
                return EXIT_ERROR
            host, port = split_listen("--listen" if args.listen else "ui.listen", ui.listen)
            if ui.secure_cookies:
                log.warning("ui.secure_cookies is true: browsers send the session cookie over "
                            "HTTPS only; put a TLS reverse proxy in front, or set "
                            "secure_cookies = false for a plain-HTTP lab")
            if not users.list():
                log.warning("no users yet: create one with 'redline user add NAME --role officer'")
            service = QuarantineService(store, config.section("quarantine"), accounts=users,
                                        org_domains=config.section("org").domains)
            app = create_app(store, service, ui, users=users)

            async def main() -> None:
                stop = asyncio.Event()
                loop = asyncio.get_running_loop()
                for signum in (signal.SIGTERM, signal.SIGINT):
                    loop.add_signal_handler(signum, stop.set)
                await run_ui(app, host, port, stop)

            try:
                asyncio.run(main())
            except OSError as exc:
                print(f"redline ui: cannot listen on {host}:{port}: {exc.strerror}",
                      file=sys.stderr)
                return EXIT_ERROR
        return EXIT_OK

    return _run(body)
