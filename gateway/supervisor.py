"""``redline serve``: a supervising parent binds every listener once and runs worker processes on them.

The parent does no network work and starts no threads (so forking stays safe). It
validates the config and compiles the rules, binds each configured listener's socket,
then forks ``workers`` worker processes that share those sockets, each with its own
event loop, listeners and scanner processes, plus one *background* process that runs
the quarantine outbox and retention exactly once per node. A child that dies is
restarted (with backoff, logged).

Signals to the parent:

- SIGTERM / SIGINT: every worker stops accepting and lets open sessions finish for up
  to ``serve.drain_seconds`` (then 421), the background stops; exit status 0.
- SIGHUP: the config and the rules are loaded again. When they are valid, a new
  generation of workers starts on the same sockets, and once it is ready the previous
  workers drain as on SIGTERM: no connection is refused or cut. When they are not, the
  running workers keep the previous rules and the failure is logged at ERROR and
  recorded in ``DATA_DIR/run/reload.json`` (for metrics).

Listeners: SMTP, the officer UI, the HTTP forward proxy, the ICAP service and the
metrics endpoint, each on one socket the supervisor bound and every worker accepts on.
What a worker serves and how it builds each listener is in ``gateway/listeners.py``
(adding a listener is one entry there).

Metrics: the supervisor points prometheus-client at a shared directory before it forks
(every process writes its own files, /metrics sums them), records each rule (re)load and
drops a dead child's live gauges.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import gc
import json
import logging
import os
import selectors
import shutil
import signal
import socket
import sys
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from filters.errors import ConfigError, RedlineError
from gateway.address import parse_host_port
from gateway.config import ServeConfig
from gateway.listeners import LISTENERS, Service, WorkerContext, ui_config_for

log = logging.getLogger("redline.serve")

# Listeners whose address a flag of the same name overrides (--smtp is handled apart).
ADDRESS_FLAGS = ("smtps", "http", "icap", "ui", "metrics")

READY = b"R"
PR_SET_PDEATHSIG = 1  # prctl(2), Linux
# A child that dies sooner than this after its start counts as a crash loop (backoff grows).
STABLE_SECONDS = 10.0
MAX_BACKOFF_SECONDS = 30.0


def die_with_parent(signum: int) -> None:
    """Have the kernel send ``signum`` to this process when its parent dies (Linux only).

    A worker killed with SIGKILL cannot stop its scanner processes, and a supervisor
    killed so cannot stop its workers; without this they would live on as orphans.
    """
    parent = os.getppid()
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0)
    except (OSError, AttributeError):
        return  # not Linux: orphans must be cleaned up by the service manager
    if os.getppid() != parent:  # the parent died before prctl took effect
        os.kill(os.getpid(), signum)


def bind_listener(name: str, address: str) -> socket.socket:
    """A listening TCP socket on ``address``, bound once and shared by every worker."""
    host, port = parse_host_port(f"{name}.listen", address)
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    family, kind, proto, _, where = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        sock.bind(where)
        sock.listen(1024)
    except OSError:
        sock.close()
        raise
    sock.setblocking(False)
    return sock


# -- config and flags -------------------------------------------------------------------


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
    for name in ADDRESS_FLAGS:
        address = getattr(args, name, None)
        if address:
            if address != "off":
                parse_host_port(f"--{name}", address)
            sections[name] = dataclasses.replace(sections[name], listen=address)
    if args.workers is not None:
        if args.workers < 1:
            raise ConfigError(f"--workers: expected 1 or more worker processes, got {args.workers}")
        sections["serve"] = dataclasses.replace(sections["serve"], workers=args.workers)
    return Config(general=general, sections=sections)


def load(args: argparse.Namespace):
    """The config (file plus flags), the pipeline compiled from it and its rule count.

    Raises RedlineError (a bad key, a rule file that does not compile).
    """
    from filters.build import build_pipeline
    from filters.rules import load_rules
    from gateway.config import load_config

    config = apply_flags(load_config(args.config), args)
    check_event_loop(config.section("serve").event_loop)
    data_dir = Path(config.general.data_dir)
    rules = load_rules(config.filters.rules.rule_paths(), custom=config.filters.rules.custom)
    pipeline = build_pipeline(config.filters, rules=rules, spool_root=data_dir / "spool")
    if pipeline.ocr is not None:
        # Tesseract's handles once here: every scanner forked from the workers (and each
        # one restarted) keeps them, instead of 0.5 s of CPU and its own copy apiece.
        pipeline.ocr.load_for_forks(latin=True)
    return config, pipeline, rules.count


def policy_summary(config) -> dict[str, Any]:
    """What the [policy] section makes the node do, as recorded in the audit log."""
    policy = config.filters.policy
    return {"mode": policy.mode, "min_severity": policy.min_severity,
            "default_action": policy.default_action,
            "category_actions": dict(sorted(policy.category_actions.items())),
            "rule_actions": dict(sorted(policy.rule_actions.items())),
            "monitor_keep_content": policy.monitor_keep_content}


def audit_config(config, path: str | None, event: str,
                 previous: dict[str, Any] | None = None, store=None) -> None:
    """Append the config now in force to the audit log: the file, its SHA-256, its owner
    and modification time (who changed it, as far as the host can tell), the policy, and
    on a reload what changed in the policy. Raises RedlineError when it cannot be written."""
    import hashlib
    import pwd

    from quarantine.config import open_store

    summary = policy_summary(config)
    detail: dict[str, Any] = {"event": event, **summary}
    if path:
        file = Path(path).resolve()
        try:
            detail["sha256"] = hashlib.sha256(file.read_bytes()).hexdigest()
            info = file.stat()
        except OSError as exc:
            raise ConfigError(f"config file {file}: cannot read it ({exc.strerror})") from None
        try:
            owner = pwd.getpwuid(info.st_uid).pw_name
        except KeyError:
            owner = str(info.st_uid)
        detail.update(file=str(file), owner=owner,
                      modified=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(info.st_mtime)))
    else:
        detail["file"] = "(embedded defaults)"
    changes = {key: [previous.get(key), value] for key, value in summary.items()
               if previous is not None and previous.get(key) != value}
    if previous is not None:
        detail["changed"] = changes
    comment = (f"policy mode {summary['mode']}" if previous is None else
               "; ".join(f"{key}: {old} -> {new}" for key, (old, new) in changes.items())
               or "policy unchanged")
    opened = store or open_store(config.section("quarantine"), config.general.data_dir)
    try:
        opened.audit(opened.now(), "system", "config", "", f"{event}: {comment}"[:500], detail)
    finally:
        if store is None:
            opened.close()
    log.info("config %s audited: sha256 %s, %s", event, detail.get("sha256", "-"), comment)


def reload_status(data_dir: str | Path) -> dict[str, Any] | None:
    """The last reload's outcome (``ok``, ``time``, ``error``, ``generation``), or None."""
    try:
        return json.loads((Path(data_dir) / "run" / "reload.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _write_reload_status(data_dir: Path, status: dict[str, Any]) -> None:
    run = data_dir / "run"
    run.mkdir(parents=True, exist_ok=True)
    tmp = run / "reload.json.tmp"
    tmp.write_text(json.dumps(status), encoding="utf-8")
    tmp.replace(run / "reload.json")


# -- the child processes ----------------------------------------------------------------


@dataclass
class Child:
    """One forked process the supervisor watches."""

    role: str  # "worker" | "background"
    slot: int
    generation: int
    pid: int
    started: float
    ready_fd: int | None = None
    ready: bool = False
    retiring: bool = False
    killed: bool = False


async def _serve_in_worker(services: list[tuple[Service, socket.socket]], ready_fd: int,
                           drain_seconds: float, pipeline: Any = None) -> None:
    from gateway.fingerprints import follow_registrations

    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    for service, sock in services:
        await service.start(sock)
    registrations = asyncio.create_task(follow_registrations(pipeline, stop)) if pipeline else None
    # What the worker built to serve (rules, indexes, the listeners) lives as long as the
    # worker: out of the collector's reach, a full collection walks only what serving
    # made since (one took 0.3 s over 184,000 start-up objects, pausing every session).
    gc.freeze()
    os.write(ready_fd, READY)
    os.close(ready_fd)
    await stop.wait()
    if registrations is not None:
        registrations.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await registrations
    log.info("worker draining (up to %.0f s)", drain_seconds)
    await asyncio.gather(*(service.drain(drain_seconds) for service, _ in services))


T = TypeVar("T")


def run_loop(main: Coroutine[Any, Any, T], event_loop: str) -> T:
    """Run ``main`` to completion on a new event loop of the kind serve.event_loop names."""
    if event_loop == "uvloop":
        import uvloop  # checked at start (check_event_loop)

        return uvloop.run(main)
    return asyncio.run(main)


def check_event_loop(event_loop: str) -> None:
    """ConfigError when serve.event_loop names an event loop that cannot be loaded."""
    if event_loop != "uvloop":
        return
    try:
        import uvloop  # noqa: F401
    except ImportError as exc:
        raise ConfigError(f"config key serve.event_loop: uvloop cannot be loaded ({exc}); "
                          "install it (bash scripts/setup.sh, or pip install uvloop) or set "
                          "event_loop = \"asyncio\"") from None


def _worker_main(context: WorkerContext, sockets: dict[str, socket.socket], ready_fd: int) -> int:
    services: list[tuple[Service, socket.socket]] = []

    def in_scanner_process() -> None:
        # Scanner processes forked from this worker must not hold the listening sockets
        # (the port would keep queueing connections nobody accepts after the workers
        # have gone), and must not outlive a worker that was killed.
        for sock in sockets.values():
            sock.close()
        die_with_parent(signal.SIGKILL)

    os.register_at_fork(after_in_child=in_scanner_process)
    try:
        for kind in LISTENERS:
            if kind.name in sockets:
                services.append((kind.build(context), sockets[kind.name]))
        serve = context.config.section("serve")
        run_loop(_serve_in_worker(services, ready_fd, serve.drain_seconds, context.pipeline),
                 serve.event_loop)
    finally:
        for service, _ in services:
            service.close()
        context.close()
    return 0


def _background_main(config) -> int:
    from gateway.background import Background
    from gateway.smtp.listener import make_signer, smtp_hostname
    from gateway.smtp.relay import RelayPool
    from quarantine.config import open_store

    data_dir = Path(config.general.data_dir)
    upstream = config.section("upstream")
    # Block SIGTERM before any thread starts, so only sigwait below receives it.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    store = open_store(config.section("quarantine"), data_dir)
    pool = RelayPool(upstream, smtp_hostname(config.section("smtp"))) if upstream.address else None
    background = Background(store=store, quarantine_config=config.section("quarantine"),
                            fingerprint_config=config.section("fingerprints"),
                            limits=config.section("limits"),
                            upstream_pool=pool, signer=make_signer(config.section("dkim"), data_dir),
                            data_dir=data_dir, org_domains=config.section("org").domains,
                            poll_seconds=config.section("metrics").quarantine_poll_seconds)
    background.start()
    log.info("quarantine delivery outbox, retention and backlog metrics running")
    try:
        signal.sigwait({signal.SIGTERM})
    finally:
        background.stop()
        if pool is not None:
            pool.close()
        store.close()
    return 0


# -- the supervisor ---------------------------------------------------------------------


@dataclass
class Supervisor:
    """Forks and watches the workers and the background process; handles the signals."""

    args: argparse.Namespace
    config: Any
    pipeline: Any
    sockets: dict[str, socket.socket]
    rule_count: int = 0
    generation: int = 1
    children: dict[int, Child] = field(default_factory=dict)
    restarts: list[tuple[float, str, int]] = field(default_factory=list)  # (when, role, slot)
    failures: dict[tuple[str, int], int] = field(default_factory=dict)
    stopping: bool = False
    announced: bool = False
    exit_code: int = 0

    @property
    def data_dir(self) -> Path:
        return Path(self.config.general.data_dir)

    @property
    def serve(self) -> ServeConfig:
        return self.config.section("serve")

    @property
    def worker_count(self) -> int:
        return self.serve.workers or os.cpu_count() or 1

    # The children.

    def _fork(self, role: str, slot: int, target: Callable[[int], int]) -> Child:
        # A forked child flushes the std streams it inherited when it exits.
        sys.stdout.flush()
        sys.stderr.flush()
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child
            code = 1
            try:
                signal.set_wakeup_fd(-1)
                for signum in (signal.SIGTERM, signal.SIGCHLD):
                    signal.signal(signum, signal.SIG_DFL)
                # The supervisor coordinates: a terminal's SIGINT/SIGHUP to the whole
                # process group must not stop or confuse the workers.
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                signal.signal(signal.SIGHUP, signal.SIG_IGN)
                die_with_parent(signal.SIGTERM)  # a killed supervisor: drain and go
                os.close(read_fd)
                for other in self.children.values():
                    if other.ready_fd is not None:
                        os.close(other.ready_fd)
                self._selector_close_in_child()
                code = target(write_fd)
            except BaseException:
                log.exception("%s %d failed", role, slot)
            finally:
                logging.shutdown()
                with contextlib.suppress(Exception):
                    sys.stdout.flush()
                    sys.stderr.flush()
                os._exit(code)
        os.close(write_fd)
        child = Child(role, slot, self.generation, pid, time.monotonic(), read_fd)
        self.children[pid] = child
        self.selector.register(read_fd, selectors.EVENT_READ, child)
        return child

    def _selector_close_in_child(self) -> None:
        for fd in (self._wake_read, self._wake_write):
            with contextlib.suppress(OSError):
                os.close(fd)
        with contextlib.suppress(Exception):
            self.selector.close()

    def start_worker(self, slot: int) -> None:
        context = WorkerContext(self.config, self.pipeline, self.data_dir, self.worker_count,
                                rule_count=self.rule_count,
                                embedded_defaults=self.args.config is None)
        sockets = self.sockets
        child = self._fork("worker", slot, lambda fd: _worker_main(context, sockets, fd))
        log.info("worker %d started pid=%d generation=%d", slot, child.pid, child.generation)

    def start_background(self) -> None:
        config = self.config

        def run(ready_fd: int) -> int:
            for sock in self.sockets.values():
                sock.close()  # it never accepts; the listeners must close with the workers
            os.write(ready_fd, READY)
            os.close(ready_fd)
            return _background_main(config)

        child = self._fork("background", 0, run)
        log.info("background (outbox, retention) started pid=%d", child.pid)

    def _current(self, role: str) -> list[Child]:
        return [c for c in self.children.values() if c.role == role and not c.retiring]

    # Events.

    def on_ready(self, child: Child) -> None:
        child.ready = True
        newest = [c for c in self._current("worker") if c.generation == self.generation]
        if len(newest) < self.worker_count or not all(c.ready for c in newest):
            return
        if not self.announced:
            self.announced = True
            print("redline: ready", file=sys.stderr, flush=True)
        old = [c for c in self._current("worker") if c.generation < self.generation]
        for c in old:
            c.retiring = True
            self._signal(c, signal.SIGTERM)
        if old:
            log.info("reload: generation %d serving; %d previous workers draining",
                     self.generation, len(old))

    def on_exit(self, pid: int, status: int) -> None:
        child = self.children.pop(pid, None)
        if child is None:
            return
        from gateway.ops import metrics

        metrics.process_exited(pid)  # its live gauges (sessions open) go with it
        if child.ready_fd is not None:
            self._close_ready(child)
        # What the process was receiving is no message: drop its spool directory.
        from gateway.smtp.listener import spool_dir_of

        shutil.rmtree(spool_dir_of(self.data_dir, pid), ignore_errors=True)
        how = (f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status)
               else f"exit {os.WEXITSTATUS(status)}")
        if self.stopping or (child.retiring and child.role == "worker"):
            log.info("%s %d pid=%d ended (%s)", child.role, child.slot, pid, how)
            return
        if child.role == "worker" and child.generation < self.generation:
            return  # replaced by the newer generation already running or starting
        if child.retiring:  # the background, stopped by a reload: start its successor now
            log.info("background pid=%d ended (%s); starting it with the new config", pid, how)
            self.start_background()
            return
        key = (child.role, child.slot)
        lived = time.monotonic() - child.started
        failures = self.failures.get(key, 0) + 1 if lived < STABLE_SECONDS else 1
        self.failures[key] = failures
        delay = 0.0 if lived >= STABLE_SECONDS else min(MAX_BACKOFF_SECONDS, 0.5 * 2 ** (failures - 1))
        log.error("%s %d pid=%d died (%s) after %.1f s; restarting in %.1f s",
                  child.role, child.slot, pid, how, lived, delay)
        self.restarts.append((time.monotonic() + delay, child.role, child.slot))

    def _close_ready(self, child: Child) -> None:
        assert child.ready_fd is not None
        with contextlib.suppress(KeyError, ValueError):
            self.selector.unregister(child.ready_fd)
        os.close(child.ready_fd)
        child.ready_fd = None

    def _signal(self, child: Child, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(child.pid, signum)

    def reload(self) -> None:
        """SIGHUP: load config and rules again; on success replace the workers gracefully."""
        log.info("reload: SIGHUP received; loading config and rules")
        from gateway.ops import metrics

        try:
            config, pipeline, rule_count = load(self.args)
        except (RedlineError, OSError) as exc:
            # Recorded before the log line: whoever watches the log finds the gauge set.
            self._record_reload(False, str(exc))
            metrics.rules_loaded(self.rule_count, ok=False)
            log.error("reload FAILED: %s; the workers keep serving with the previous config "
                      "and rules (fix it and send SIGHUP again)", exc)
            return
        try:
            # A policy change that cannot be audited does not take effect.
            audit_config(config, self.args.config, "reload", policy_summary(self.config))
        except (RedlineError, OSError) as exc:
            log.error("reload FAILED: the config change could not be written to the audit log "
                      "(%s); the workers keep serving with the previous config", exc)
            self._record_reload(False, f"audit log: {exc}")
            return
        for kind in LISTENERS:
            if kind.address(config) != kind.address(self.config):
                log.warning("reload: %s address changed to %s; addresses change only on restart "
                            "(still %s)", kind.title, kind.address(config), kind.address(self.config))
        sections = dict(config.sections)
        for kind in LISTENERS:  # keep the bound addresses so the workers match the sockets
            old = self.config.section(kind.name)
            if hasattr(old, "listen"):
                sections[kind.name] = dataclasses.replace(sections[kind.name], listen=old.listen)
        self.config = dataclasses.replace(config, sections=sections)
        from gateway.fingerprints import attach_store

        attach_store(pipeline, config.section("quarantine"), config.general.data_dir)
        self.pipeline = pipeline
        self.rule_count = rule_count
        self.generation += 1
        self._record_reload(True, "")
        metrics.rules_loaded(rule_count, ok=True)
        log.info("reload: config and rules loaded; starting worker generation %d", self.generation)
        for slot in range(self.worker_count):
            self.start_worker(slot)
        for child in self._current("background"):
            child.retiring = True
            self._signal(child, signal.SIGTERM)

    def _record_reload(self, ok: bool, error: str) -> None:
        try:
            _write_reload_status(self.data_dir, {"ok": ok, "time": time.time(), "error": error,
                                                 "generation": self.generation})
        except OSError as exc:
            log.error("reload status not written: %s", exc)

    # The loop.

    def run(self) -> int:
        """Fork the children and watch them until SIGTERM/SIGINT; the exit status."""
        self.selector = selectors.DefaultSelector()
        self._wake_read, self._wake_write = os.pipe()
        os.set_blocking(self._wake_read, False)
        os.set_blocking(self._wake_write, False)
        self.selector.register(self._wake_read, selectors.EVENT_READ, None)
        pending: list[int] = []
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGCHLD):
            signal.signal(signum, lambda signum, frame: pending.append(signum))
        signal.set_wakeup_fd(self._wake_write)
        self._remove_stale_spools()
        self.start_background()
        for slot in range(self.worker_count):
            self.start_worker(slot)
        stop_deadline = 0.0
        while True:
            now = time.monotonic()
            timeouts = [when - now for when, _, _ in self.restarts]
            if self.stopping:
                timeouts.append(stop_deadline - now)
            timeout = max(0.0, min(timeouts, default=1.0))
            for key, _ in self.selector.select(timeout):
                if key.data is None:
                    with contextlib.suppress(BlockingIOError):
                        os.read(self._wake_read, 512)
                    continue
                child: Child = key.data
                if os.read(key.fd, 1) == READY:
                    self.on_ready(child)
                self._close_ready(child)
            while pending:
                signum = pending.pop(0)
                if signum == signal.SIGCHLD:
                    self._reap()
                elif signum == signal.SIGHUP and not self.stopping:
                    self.reload()
                elif signum in (signal.SIGTERM, signal.SIGINT) and not self.stopping:
                    self.stopping = True
                    self.restarts.clear()
                    stop_deadline = time.monotonic() + self.serve.drain_seconds + 15
                    log.info("stopping: workers drain open sessions (up to %.0f s)",
                             self.serve.drain_seconds)
                    for child in list(self.children.values()):
                        self._signal(child, signal.SIGTERM)
                    # Nobody will accept any more: new connections are refused at once,
                    # so sending MTAs go to the next MX instead of waiting in the queue.
                    for sock in self.sockets.values():
                        sock.close()
            self._reap()
            if self.stopping:
                if not self.children:
                    log.info("stopped")
                    return self.exit_code
                if time.monotonic() >= stop_deadline:
                    for child in list(self.children.values()):
                        log.error("%s pid=%d did not stop in time; killing it", child.role, child.pid)
                        self._signal(child, signal.SIGKILL)
                    stop_deadline = time.monotonic() + 5
                continue
            if not self.announced and any(slot_failures >= 3 for (role, _), slot_failures
                                          in self.failures.items() if role == "worker"):
                log.error("workers keep dying before they are ready; stopping (see the errors above)")
                self.stopping = True
                for child in list(self.children.values()):
                    self._signal(child, signal.SIGTERM)
                stop_deadline = time.monotonic() + 10
                self.exit_code = 2
                continue
            self._kill_stuck_starts()
            self._restart_due()

    def _reap(self) -> None:
        while self.children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            self.on_exit(pid, status)

    def _kill_stuck_starts(self) -> None:
        now = time.monotonic()
        for child in list(self.children.values()):
            if (child.role == "worker" and not child.ready and not child.killed
                    and now - child.started > self.serve.ready_seconds):
                log.error("worker %d pid=%d not listening after %.0f s (serve.ready_seconds); "
                          "killing it", child.slot, child.pid, self.serve.ready_seconds)
                child.killed = True
                self._signal(child, signal.SIGKILL)

    def _restart_due(self) -> None:
        now = time.monotonic()
        due = [r for r in self.restarts if r[0] <= now]
        self.restarts = [r for r in self.restarts if r[0] > now]
        for _, role, slot in due:
            if role == "worker":
                if any(c.slot == slot and c.generation == self.generation
                       for c in self._current("worker")):
                    continue  # a reload already gave this slot a newer worker
                self.start_worker(slot)
            else:
                self.start_background()

    def _remove_stale_spools(self) -> None:
        root = self.data_dir / "spool" / "smtp"
        if not root.is_dir():
            return
        for entry in root.iterdir():
            if not entry.is_dir():
                continue
            if entry.name.isdigit():
                try:
                    os.kill(int(entry.name), 0)
                    continue  # a live process (another node on this data dir?) owns it
                except ProcessLookupError:
                    pass
                except PermissionError:
                    continue
            shutil.rmtree(entry, ignore_errors=True)


def setup_logging(config) -> None:
    """Redline's logging per the config's [logging] section (each line names its process)."""
    from gateway.ops import logs

    logs.setup_logging(config.section("logging"))


def prepare_metrics(config) -> Path:
    """Point prometheus-client at the shared metrics directory (call before forking)."""
    from gateway.ops.config import prepare_multiprocess_dir

    return prepare_multiprocess_dir(config.section("metrics").multiprocess_dir,
                                    config.general.data_dir)


def https_state(config, data_dir: Path) -> None:
    """Load the interception CA once (a bad one fails the start) and say what HTTPS gets."""
    from gateway.web.interception import build_interceptor, fingerprint

    http = config.section("http")
    interceptor = build_interceptor(http, data_dir)
    bypass = f"{len(http.tls_bypass)} tls_bypass hosts spliced uninspected"
    other = ("refused" if http.uninspected_connect == "refuse"
             else "TUNNELLED UNINSPECTED (http.uninspected_connect = tunnel)")
    if interceptor is None:
        log.warning("HTTPS: no interception CA (run `redline tls ca init`, or set http.ca_cert "
                    "and ca_key); CONNECT is %s; %s", other, bypass)
        return
    try:
        log.info("HTTPS: intercepted and inspected, CA %s (SHA-256 %s); %s; CONNECT that is "
                 "not TLS is %s; origins verified against the system store%s",
                 interceptor.subject, fingerprint(interceptor.ca_cert), bypass, other,
                 f" and {http.upstream_ca_file}" if http.upstream_ca_file else "")
    finally:
        interceptor.close()


def serve(args: argparse.Namespace) -> int:
    """Start every configured listener in worker processes and run until SIGTERM/SIGINT."""
    from gateway.datadir import secure_data_dir
    from quarantine.config import open_store
    from quarantine.datadir import create_data_dir

    try:
        config, pipeline, rule_count = load(args)
        setup_logging(config)
        # The data dir first: the metrics directory inside it would otherwise take the
        # blame for a data dir that is a file or cannot be made.
        create_data_dir(config.general.data_dir,
                        flag="--data-dir" if args.data_dir else
                        f"data_dir in {args.config}" if args.config else "the default data_dir")
        # Before forking: every process then writes its own metric files there. It also
        # refuses while another `redline serve` owns that directory (its counters live there).
        prepare_metrics(config)
    except RedlineError as exc:
        print(f"redline serve: {exc}", file=sys.stderr)
        return 2
    from gateway.ops import metrics

    metrics.rules_loaded(rule_count, ok=True)
    log.info("%d rules loaded", rule_count)
    ocr = pipeline.ocr_status
    if ocr.active:
        log.info("OCR active: %s, languages %s", ocr.engine, "+".join(ocr.languages))
    else:
        log.warning("OCR OFF: text that exists only as pictures is not read and image-only "
                    "PDF pages are held (%s)", ocr.reason)
    data_dir = Path(config.general.data_dir)
    if ui_config_for(config, args.config is None) != config.section("ui"):
        log.warning("officer UI on loopback with the embedded defaults: session cookies are "
                    "not marked Secure so that http://%s works; with a config file they are "
                    "unless [ui] secure_cookies = false", config.section("ui").listen)
    if config.section("smtps").listen != "off" and not config.section("smtp").tls_cert:
        print("redline serve: config key smtps.listen: SMTP over TLS needs smtp.tls_cert and "
              "smtp.tls_key (`redline tls selfsigned` makes a pair)", file=sys.stderr)
        return 2
    if config.section("smtp").listen != "off" and not config.section("upstream").address:
        log.warning(
            "NO UPSTREAM CONFIGURED: passing mail is NOT relayed; it is written to the "
            "Maildir outbox %s (set upstream.address or --upstream HOST:PORT)",
            (data_dir / "outbox").resolve())
    if not config.section("org").domains:
        log.warning("no org.domains configured: every recipient is treated as external")
    if config.section("http").listen != "off":
        try:
            https_state(config, data_dir)
        except RedlineError as exc:
            print(f"redline serve: {exc}", file=sys.stderr)
            return 2
    try:
        secure_data_dir(data_dir)
        # Open once here so that a bad store fails the start, and migrations run once,
        # before any worker opens it; closed again before forking.
        store = open_store(config.section("quarantine"), data_dir)
        try:
            log.info("held content is sealed with content key %s from the %s",
                     store.keyring.current, store.key_source.describe())
            unsealed = store.unsealed_items()
            if unsealed:
                log.warning("%d held items were stored before sealing existed and are not "
                            "sealed: run `redline keys reencrypt`", unsealed)
            readable = store.readable_subjects()
            if readable:
                log.warning("%d held items were stored before subjects were sealed and keep "
                            "a readable subject: run `redline keys reencrypt`", readable)
            audit_config(config, args.config, "start", store=store)
        finally:
            store.close()
    except (RedlineError, OSError) as exc:
        print(f"redline serve: {exc}", file=sys.stderr)
        return 2
    from gateway.fingerprints import attach_store

    # Registered documents loaded once here: the workers and their scanners share these
    # arrays after the fork and read only what changes from then on.
    attach_store(pipeline, config.section("quarantine"), data_dir)
    sockets: dict[str, socket.socket] = {}
    for kind in LISTENERS:
        address = kind.address(config)
        if address == "off":
            log.info("%s off", kind.title)
            continue
        try:
            sockets[kind.name] = bind_listener(kind.name, address)
        except OSError as exc:
            print(f"redline serve: cannot listen on {address}: {exc.strerror}", file=sys.stderr)
            return 2
        log.info("%s on %s", kind.title, address)
    supervisor = Supervisor(args=args, config=config, pipeline=pipeline, sockets=sockets,
                            rule_count=rule_count)
    log.info("starting %d worker processes", supervisor.worker_count)
    try:
        return supervisor.run()
    finally:
        for sock in sockets.values():
            sock.close()


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register ``redline serve`` and its flags (DESIGN.md: flags override the config)."""
    parser = sub.add_parser("serve", help="start the configured listeners")
    parser.add_argument("--config", help="TOML config file (default: embedded defaults)")
    parser.add_argument("--data-dir", help="where the store, spool and outbox live")
    parser.add_argument("--smtp", metavar="HOST:PORT", help="SMTP listener address, or off")
    parser.add_argument("--upstream", metavar="HOST:PORT", help="relay passing mail to this MTA")
    titles = {kind.name: kind.title for kind in LISTENERS}
    for name in ADDRESS_FLAGS:
        parser.add_argument(f"--{name}", metavar="HOST:PORT",
                            help=f"{titles[name]} address (overrides {name}.listen), or off")
    parser.add_argument("--org-domain", action="append", metavar="DOMAIN",
                        help="an organisation domain (repeatable); its recipients are internal")
    parser.add_argument("--workers", type=int,
                        help="worker processes sharing the sockets (default: serve.workers, "
                             "0 there meaning one per core)")
    parser.set_defaults(func=serve)
