"""``redline serve``: builds the configured listeners from config and flags and runs them."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import signal
import sys
from pathlib import Path

from filters.errors import ConfigError, RedlineError
from gateway.smtp_config import parse_host_port

log = logging.getLogger("redline.serve")

# Listeners DESIGN.md promises that are not built yet, with their default addresses.
# They are reported as not started, never pretended.
PENDING_LISTENERS = {
    "http": ("HTTP proxy", "127.0.0.1:3128"),
    "icap": ("ICAP service", "127.0.0.1:1344"),
    "ui": ("officer UI", "127.0.0.1:8025"),
    "metrics": ("metrics endpoint", "127.0.0.1:9325"),
}


def resolve_data_dir(config, flag: str | None) -> str:
    """The data dir: the --data-dir flag, else the config's data_dir."""
    return flag or config.general.data_dir


def apply_flags(config, args: argparse.Namespace):
    """The config with the command-line overrides applied (validated like the file)."""
    from gateway.config import Config

    general = config.general
    if args.data_dir:
        general = dataclasses.replace(general, data_dir=args.data_dir)
    sections = dict(config.sections)
    if args.smtp:
        if args.smtp != "off":
            parse_host_port("--smtp", args.smtp)
        sections["smtp"] = dataclasses.replace(sections["smtp"], listen=args.smtp)
    if args.upstream:
        address = "" if args.upstream == "off" else args.upstream
        if address:
            parse_host_port("--upstream", address, default_port=25)
        sections["upstream"] = dataclasses.replace(sections["upstream"], address=address)
    if args.org_domain:
        org = sections["org"]
        sections["org"] = dataclasses.replace(org, domains=[*org.domains, *args.org_domain])
    return Config(general=general, sections=sections)


async def _run(gateway, background, stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    if gateway is not None:
        await gateway.start()
        log.info("SMTP listener on %s", gateway.smtp.listen)
    if background is not None:
        background.start()
        log.info("quarantine delivery outbox and retention running")
    print("redline: ready", file=sys.stderr, flush=True)
    await stop.wait()
    log.info("stopping")
    if gateway is not None:
        await gateway.stop()
    if background is not None:
        await asyncio.to_thread(background.stop)


def serve(args: argparse.Namespace) -> int:
    """Start every configured listener and run until SIGTERM/SIGINT."""
    from filters.build import build_pipeline
    from gateway.background import Background
    from gateway.config import load_config
    from gateway.smtp import SmtpGateway
    from quarantine.config import open_store

    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # aiosmtpd logs every sender and recipient at INFO; our decision lines say what matters.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    try:
        config = apply_flags(load_config(args.config), args)
    except ConfigError as exc:
        print(f"redline serve: {exc}", file=sys.stderr)
        return 2
    data_dir = Path(config.general.data_dir)
    smtp = config.section("smtp")
    upstream = config.section("upstream")
    if args.workers not in (None, 1):
        log.warning("--workers %s: worker processes are NOT built yet; running ONE process",
                    args.workers)
    for name, (title, default) in PENDING_LISTENERS.items():
        address = getattr(args, name) or default
        if address == "off":
            log.info("%s off", title)
        else:
            log.warning("%s NOT STARTED on %s: not built yet", title, address)
    gateway = store = background = None
    if smtp.listen == "off":
        log.info("SMTP listener off")
    else:
        if not upstream.address:
            log.warning(
                "NO UPSTREAM CONFIGURED: passing mail is NOT relayed; it is written to the "
                "Maildir outbox %s (set upstream.address or --upstream HOST:PORT)",
                (data_dir / "outbox").resolve())
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
            pipeline = build_pipeline(config.filters, spool_root=data_dir / "spool")
            store = open_store(config.section("quarantine"), data_dir)
            gateway = SmtpGateway(smtp=smtp, upstream=upstream, dkim=config.section("dkim"),
                                  org=config.section("org"), data_dir=data_dir, pipeline=pipeline,
                                  store=store)
            # Released mail leaves through the same relay and DKIM keys as passing mail.
            background = Background(store=store, quarantine_config=config.section("quarantine"),
                                    upstream_pool=gateway.relay_pool, signer=gateway.signer,
                                    data_dir=data_dir)
        except (RedlineError, OSError) as exc:
            print(f"redline serve: {exc}", file=sys.stderr)
            return 2
        if not config.section("org").domains:
            log.warning("no org.domains configured: every recipient is treated as external")
    try:
        asyncio.run(_run(gateway, background, asyncio.Event()))
    except OSError as exc:
        print(f"redline serve: cannot listen on {smtp.listen}: {exc.strerror}", file=sys.stderr)
        return 2
    finally:
        if gateway is not None:
            gateway.close()
        if store is not None:
            store.close()
    return 0


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register ``redline serve`` and its flags (DESIGN.md: flags override the config)."""
    parser = sub.add_parser("serve", help="start the configured listeners")
    parser.add_argument("--config", help="TOML config file (default: embedded defaults)")
    parser.add_argument("--data-dir", help="where the store, spool and outbox live")
    parser.add_argument("--smtp", metavar="HOST:PORT", help="SMTP listener address, or off")
    parser.add_argument("--upstream", metavar="HOST:PORT", help="relay passing mail to this MTA")
    for name, (title, _) in PENDING_LISTENERS.items():
        parser.add_argument(f"--{name}", metavar="HOST:PORT", help=f"{title} address, or off")
    parser.add_argument("--org-domain", action="append", metavar="DOMAIN",
                        help="an organisation domain (repeatable); its recipients are internal")
    parser.add_argument("--workers", type=int, help="worker processes (default: one per core)")
    parser.set_defaults(func=serve)
