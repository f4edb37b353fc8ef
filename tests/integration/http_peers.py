"""Redline's forward proxy and a streaming origin server as separate processes (big-upload test, bench).

    python tests/integration/http_peers.py proxy --listen 127.0.0.1:PORT --data-dir DIR
        [--ca-cert CRT --ca-key KEY --upstream-ca-file PEM] [--connect-port N]... [--tunnel]
    python tests/integration/http_peers.py icap --listen 127.0.0.1:PORT --data-dir DIR
    python tests/integration/http_peers.py origin --listen 127.0.0.1:PORT [--tls-cert C --tls-key K]

Each prints ``ready`` on stdout once it listens and runs until SIGTERM. The origin reads
every request body as a stream (never whole) and answers JSON ``{"bytes": N, "sha256": H}``,
so its own memory stays flat however large the upload.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import logging
import signal
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


async def _until_terminated() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print("ready", flush=True)
    await stop.wait()


def _inspector(args: argparse.Namespace):
    """The upload inspector with the real pipeline, SQLite store and sign-up detector."""
    from filters.build import FiltersConfig, build_pipeline
    from filters.engines.signup import SignupDetector
    from gateway.web.uploads import UploadInspector
    from quarantine.sqlite_store import SqliteStore

    data = Path(args.data_dir)
    data.mkdir(parents=True, exist_ok=True)
    limits: dict[str, float] = (
        {"max_expanded_bytes": args.max_expanded_bytes} if args.max_expanded_bytes else {})
    if getattr(args, "scan_seconds", 0):
        limits.update(part_seconds=args.scan_seconds, item_seconds=args.scan_seconds)
    policy = {"mode": getattr(args, "policy_mode", "enforce")}
    pipeline = build_pipeline(FiltersConfig.from_mapping({"limits": limits, "policy": policy}))
    store = SqliteStore(data / "quarantine.sqlite")
    inspector = UploadInspector(pipeline, store, SignupDetector(["example.org"]),
                                spool_dir=data / "spool", max_body_bytes=args.max_body_bytes,
                                workers=args.workers)
    return inspector, store


async def run_icap(args: argparse.Namespace) -> None:
    """Redline's ICAP service (for Squid) with the real pipeline."""
    from gateway.web.config import IcapConfig
    from gateway.web.icap import IcapService

    inspector, store = _inspector(args)
    service = IcapService(IcapConfig(listen=args.listen), inspector, '"bench-1"')
    await service.start()
    try:
        await _until_terminated()
    finally:
        await service.stop()
        inspector.close()
        store.close()


async def run_proxy(args: argparse.Namespace) -> None:
    """The forward proxy (HTTPS interception with --ca-cert) in front of the real pipeline."""
    from gateway.web.config import HttpConfig
    from gateway.web.interception import Interceptor
    from gateway.web.proxy import start_http_proxy

    inspector, store = _inspector(args)
    # The origin under test listens on loopback, which the proxy refuses by default.
    config = HttpConfig(listen=args.listen, max_body_bytes=args.max_body_bytes,
                        internal_destinations=["127.0.0.0/8"],
                        connect_ports=args.connect_port or [443],
                        uninspected_connect="tunnel" if args.tunnel else "refuse")
    interceptor = (Interceptor(Path(args.ca_cert), Path(args.ca_key),
                               upstream_ca_file=args.upstream_ca_file)
                   if args.ca_cert else None)
    proxy = await start_http_proxy(config, inspector, interceptor=interceptor)
    try:
        await _until_terminated()
    finally:
        if interceptor is not None:
            print(f"leaf certificates signed: {interceptor.signed}", file=sys.stderr, flush=True)
        await proxy.stop()
        inspector.close()
        store.close()


async def run_origin(args: argparse.Namespace) -> None:
    """An aiohttp origin that hashes each body as it streams in."""
    from aiohttp import web

    async def handle(request: web.Request) -> web.Response:
        digest = hashlib.sha256()
        size = 0
        async for block in request.content.iter_chunked(256 * 1024):
            digest.update(block)
            size += len(block)
        return web.json_response({"bytes": size, "sha256": digest.hexdigest()})

    app = web.Application(client_max_size=1 << 40)
    app.router.add_route("*", "/{tail:.*}", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    host, _, port = args.listen.rpartition(":")
    context = None
    if args.tls_cert:
        import ssl

        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
    await web.TCPSite(runner, host, int(port), ssl_context=context).start()
    try:
        await _until_terminated()
    finally:
        await runner.cleanup()


def main() -> None:
    """Parse the command line and run one peer."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="peer", required=True)
    proxy = sub.add_parser("proxy")
    proxy.add_argument("--listen", required=True)
    proxy.add_argument("--data-dir", required=True)
    proxy.add_argument("--workers", type=int, default=2)
    proxy.add_argument("--max-body-bytes", type=int, default=4 << 30)
    proxy.add_argument("--max-expanded-bytes", type=int, default=0,
                       help="raise limits.max_expanded_bytes (a clean 1 GB text upload needs it)")
    proxy.add_argument("--scan-seconds", type=float, default=0,
                       help="raise limits.part_seconds and item_seconds (a test of streaming "
                            "and memory, not of speed, on a busy machine)")
    proxy.add_argument("--ca-cert", help="interception CA certificate: intercept HTTPS")
    proxy.add_argument("--ca-key", help="interception CA key")
    proxy.add_argument("--upstream-ca-file", default="", help="trust anchors for the origin")
    proxy.add_argument("--connect-port", type=int, action="append", help="http.connect_ports")
    proxy.add_argument("--policy-mode", choices=("enforce", "monitor"), default="enforce",
                       help="[policy] mode (monitor: uploads leave while they are scanned)")
    proxy.add_argument("--tunnel", action="store_true",
                       help="uninspected_connect = tunnel (a plain CONNECT tunnel without a CA)")
    icap = sub.add_parser("icap")
    icap.add_argument("--listen", required=True)
    icap.add_argument("--data-dir", required=True)
    icap.add_argument("--workers", type=int, default=2)
    icap.add_argument("--max-body-bytes", type=int, default=4 << 30)
    icap.add_argument("--max-expanded-bytes", type=int, default=0)
    origin = sub.add_parser("origin")
    origin.add_argument("--listen", required=True)
    origin.add_argument("--tls-cert", help="serve HTTPS with this certificate")
    origin.add_argument("--tls-key")
    for peer in (proxy, icap):
        peer.add_argument("--event-loop", choices=("uvloop", "asyncio"), default="uvloop",
                          help="serve.event_loop (default uvloop, as redline serve)")
    args = parser.parse_args()
    # Callers read this process's stderr only after it ends: a warning per tunnel or
    # upload would fill the pipe and block the event loop, so only errors are written.
    logging.basicConfig(level=logging.ERROR, stream=sys.stderr)
    runners = {"proxy": run_proxy, "icap": run_icap, "origin": run_origin}
    from gateway.supervisor import run_loop

    run_loop(runners[args.peer](args), getattr(args, "event_loop", "asyncio"))


if __name__ == "__main__":
    main()
