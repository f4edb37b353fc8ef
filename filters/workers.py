"""Scanning in worker processes with a hard time limit and crash containment.

The pipeline's own limits are checked between steps, but a single call into a C
library (PDFium, libmagic, a decompressor) cannot be interrupted from Python, and a
bug in one can crash the process. Each worker scans one item at a time; a worker that
overruns the hard limit is killed, a worker that dies is replaced, and in both cases the
item gets a ``policy`` hit and is held — the batch goes on.

An item is a file path (``redline scan``, a spooled message) or a ``PartsItem``: Parts
already cut out by a listener (an upload's files and fields, with origins such as
``upload:form[file]:x.docx``, or a small mail's bytes), scanned together as one item.

``scan_items`` is blocking (for batches and threads); ``scan_async`` scans one item from
an event loop without a thread: it writes the item to the pipe and waits for the reply
with the loop's reader, which spares a small mail the hand-off to a thread and back.

A worker is forked directly from its caller (not through ``multiprocessing.Process``,
whose ``join(timeout)`` blocks once the child has closed the sentinel it inherited) and
then closes every file descriptor it inherited except its own pipe end and stdio: a
gateway worker's listening sockets, its clients' connections, the quarantine store's
database file and the other scanners' pipes. A scanner holding a listening socket would
keep the port queueing connections nobody accepts; one holding a client connection or
another scanner's pipe would keep it from ever seeing end-of-file.
"""

from __future__ import annotations

import collections
import contextlib
import copyreg
import dataclasses
import functools
import gc
import io
import logging
import mmap
import multiprocessing
import operator
import os
import pickle
import select
import signal
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from filters.pipeline import Pipeline, policy_hit
from filters.types import Defect, Hit, Part, ScanStats, Verdict

if TYPE_CHECKING:
    import asyncio

log = logging.getLogger("redline.filters")
_context = multiprocessing.get_context("fork")
STARTUP_SECONDS = 10.0  # a fork that has not closed its inherited descriptors by then is stuck


@dataclass(frozen=True, slots=True)
class PartsItem:
    """Parts scanned together as one item; ``name`` is where a hit on the whole item points."""

    name: str
    parts: tuple[Part, ...]


ScanItem = str | PartsItem  # a file path, or Parts a listener has already cut out


@dataclass(frozen=True, slots=True)
class ScanOutcome:
    """One item's result: a Verdict, or an error saying why the path could not be read.

    ``path`` is the file path, or a ``PartsItem``'s name.
    """

    path: str
    verdict: Verdict | None
    error: str | None = None


# -- the pipe's messages ----------------------------------------------------------------
#
# Items go to a scanner and outcomes come back pickled. The frozen slots dataclasses
# pickle through dataclasses' generic state functions, which look their fields up again
# for every object, and multiprocessing's pickler copies its dispatch table for every
# message: together a tenth of a scanner's time on a 10 KB mail. Here each such class
# pickles as its constructor call (fields read by one attrgetter, found once per class),
# with a plain pickler; both ends run the same code (the scanner is forked).

def _constructor_reducer(cls: type) -> Callable[[object], tuple[type, tuple[object, ...]]]:
    """A reducer that pickles a dataclass instance as ``cls(*fields)``."""
    names = [f.name for f in dataclasses.fields(cls)]
    # cls(*fields) rebuilds the object only when every field is a positional argument.
    assert all(f.init and not f.kw_only for f in dataclasses.fields(cls)), cls
    values = operator.attrgetter(*names) if len(names) > 1 else (
        lambda obj, get=operator.attrgetter(names[0]): (get(obj),))
    return lambda obj: (cls, values(obj))


class _PipePickler(pickle.Pickler):
    dispatch_table: ClassVar[dict[type, Callable[[Any], Any]]] = {**copyreg.dispatch_table, **{
        cls: _constructor_reducer(cls)
        for cls in (Part, Hit, Defect, ScanStats, Verdict, PartsItem, ScanOutcome)}}


# Each scanner shares this much memory with its parent (mapped before the fork). A large
# item is pickled straight into it and only its size goes through the pipe: through the
# pipe a 1 MB mail was copied four times (into the pickle's buffer, into and out of the
# kernel's socket buffers, out of the scanner's read buffer), here twice (into the map,
# out of it as the Part's bytes), without the kernel's per-megabyte socket work.
SHARED_BYTES = 2 << 20
_IN_SHARED = -2  # in place of a message's size: it is in the shared map (its size follows)


def send(conn: Connection, obj: object, shared: mmap.mmap | None = None) -> None:
    """Write ``obj`` to a scanner pipe as one message; with ``shared`` (the scanner's
    shared map, free while the scanner waits for its next task), into that map when it
    fits, with a note of its size through the pipe."""
    if shared is not None:
        shared.seek(0)
        try:
            _PipePickler(shared, pickle.HIGHEST_PROTOCOL).dump(obj)
        except ValueError:  # larger than the map: through the pipe after all
            pass
        else:
            note = _SIZE.pack(_IN_SHARED) + _LONG_SIZE.pack(shared.tell())
            fd = conn.fileno()
            while note:
                note = note[os.write(fd, note):]
            return
    # The size goes in front of the pickle in the same buffer and out in one write:
    # Connection.send_bytes copied a message up to 16 KiB once more to join them, and
    # wrote a larger one in two writes, the scanner often woken by the size alone.
    buffer = io.BytesIO()
    buffer.write(bytes(_SIZE.size))
    _PipePickler(buffer, pickle.HIGHEST_PROTOCOL).dump(obj)
    size = buffer.tell() - _SIZE.size
    with buffer.getbuffer() as view:
        if size > 0x7FFFFFFF:  # the long framing (-1, then 8 bytes): rare enough as it was
            conn.send_bytes(view[_SIZE.size:])
            return
        _SIZE.pack_into(view, 0, size)
        fd = conn.fileno()
        while view:
            view = view[os.write(fd, view):]


# A message up to this size is read into one buffer kept for the next: Connection's own
# reading allocated the rest of the message at every partial read and then copied it
# twice, and a fresh buffer per message pays its page faults; reading a 1 MB mail cost
# 0.75 ms of a scanner's CPU, against 0.35 into the kept buffer.
KEPT_BUFFER_BYTES = 4 << 20
SMALL_MESSAGE_BYTES = 64 * 1024  # read as bytes, as Connection did: no buffer to manage
_kept = threading.local()  # each thread's buffer (a gateway worker reads from several)
_SIZE = struct.Struct("!i")
_LONG_SIZE = struct.Struct("!Q")


def _read_exactly(fd: int, start: bytes, size: int) -> bytes:
    """``start`` and what follows it on ``fd``, ``size`` bytes in all (EOFError when the
    other end closed first)."""
    body = bytearray(size)
    body[:len(start)] = start
    _read_into(fd, memoryview(body)[len(start):])
    return bytes(body)


def _read_into(fd: int, view: memoryview) -> None:
    """Fill ``view`` from ``fd`` (EOFError when the other end closed first)."""
    while view:
        count = os.readv(fd, [view])
        if count == 0:
            raise EOFError
        view = view[count:]


def receive(conn: Connection, shared: mmap.mmap | None = None) -> object:
    """The next message from a scanner pipe (EOFError when the other end closed), or
    from ``shared`` when the pipe says it is there.

    The framing is ``Connection.send_bytes``'s (what ``send`` writes): a 4-byte size,
    or -1 and an 8-byte size; -2 and an 8-byte size for a message in ``shared``.
    """
    fd = conn.fileno()
    head = os.read(fd, _SIZE.size)
    if len(head) < _SIZE.size:
        head = _read_exactly(fd, head, _SIZE.size)
    (size,) = _SIZE.unpack(head)
    if size == _IN_SHARED:
        (size,) = _LONG_SIZE.unpack(_read_exactly(fd, b"", _LONG_SIZE.size))
        if shared is None or size > len(shared):
            raise OSError("a message said to be in shared memory, which this end has not")
        with memoryview(shared)[:size] as view:
            return pickle.loads(view)
    if size == -1:
        (size,) = _LONG_SIZE.unpack(_read_exactly(fd, b"", _LONG_SIZE.size))
    if size <= SMALL_MESSAGE_BYTES:  # an outcome, a small mail: most often one read
        body = os.read(fd, size)
        return pickle.loads(body if len(body) == size else _read_exactly(fd, body, size))
    if size > KEPT_BUFFER_BYTES:
        body = bytearray(size)
    else:
        body = getattr(_kept, "buffer", None)
        if body is None or len(body) < size:
            body = _kept.buffer = bytearray(size)
    with memoryview(body)[:size] as view:
        _read_into(fd, view)
        return pickle.loads(view)


def close_inherited_fds(keep: Iterable[int]) -> None:
    """Close every file descriptor of this process except stdio and ``keep``."""
    wanted = {0, 1, 2, *keep}
    try:
        open_fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:  # no /proc: close the whole range around the kept ones
        low = 3
        for fd in sorted(fd for fd in wanted if fd >= 3):
            os.closerange(low, fd)
            low = fd + 1
        os.closerange(low, os.sysconf("SC_OPEN_MAX"))
        return
    for fd in open_fds:
        if fd not in wanted:
            with contextlib.suppress(OSError):  # e.g. the listing's own, already closed
                os.close(fd)


def scan_parts(pipeline: Pipeline, parts: Sequence[Part]) -> tuple[list[Hit], ScanStats]:
    """Scan each Part and add up the hits and statistics."""
    hits: list[Hit] = []
    total = ScanStats()
    limits: list[str] = []
    types: dict[str, int] = {}
    coverage: dict[str, int] = {}
    # The parts are one item: engines that count across parts see them together.
    pipeline.begin_item()
    if len(parts) == 1:  # a mail: its statistics are the one part's, nothing to add up
        verdict = pipeline.scan(parts[0], whole_item=False)
        return [*verdict.hits, *pipeline.end_item(parts[0].origin)], verdict.stats
    for part in parts:
        verdict = pipeline.scan(part, whole_item=False)
        hits += verdict.hits
        s = verdict.stats
        limits += s.limits_reached
        for name, count in s.types.items():
            types[name] = types.get(name, 0) + count
        for name, count in s.coverage.items():
            coverage[name] = coverage.get(name, 0) + count
        total = ScanStats(bytes=total.bytes + s.bytes,
                          expanded_bytes=total.expanded_bytes + s.expanded_bytes,
                          parts=total.parts + s.parts, max_depth=max(total.max_depth, s.max_depth),
                          seconds=total.seconds + s.seconds,
                          limits_reached=tuple(dict.fromkeys(limits)), types=types,
                          coverage=coverage, ocr_pages=total.ocr_pages + s.ocr_pages,
                          ocr_seconds=total.ocr_seconds + s.ocr_seconds,
                          ocr_cached=total.ocr_cached + s.ocr_cached)
    hits += pipeline.end_item(parts[0].origin if len(parts) == 1 else "upload:body")
    return hits, total


def _scan_item(pipeline: Pipeline, item: ScanItem) -> ScanOutcome:
    """One item's outcome, computed in the worker process."""
    if isinstance(item, PartsItem):
        hits, stats = scan_parts(pipeline, item.parts)
        return ScanOutcome(item.name, Verdict(pipeline.policy.decide(hits), tuple(hits), stats))
    try:
        with open(item, "rb"):
            pass  # report permission problems as errors, not as findings
        return ScanOutcome(item, pipeline.scan_file(Path(item)))
    except OSError as exc:
        return ScanOutcome(item, None, exc.strerror or str(exc))


def _child_main(conn: Connection, pipeline: Pipeline, shared: mmap.mmap) -> None:
    """The forked scanner process: drop what it inherited, serve ``conn``, exit."""
    code = 1
    try:
        # Objects inherited from the parent (sockets, files) must never be finalised
        # here: their descriptors are closed below, and a late close() of the same
        # number would hit whatever file the scanner opened since.
        gc.freeze()
        with contextlib.suppress(ValueError):  # the parent's loop wrote signals to a pipe
            signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        close_inherited_fds([conn.fileno()])
        send(conn, None)  # ready: from here on it holds nothing it inherited
        _worker_main(conn, pipeline, shared)
        code = 0
    except BaseException:
        log.exception("scan worker failed")
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def _worker_main(conn: Connection, pipeline: Pipeline, shared: mmap.mmap) -> None:
    while True:
        try:
            task = receive(conn, shared)
        except (EOFError, OSError):
            return  # the parent closed its end, or died: nothing more will come
        if task is None:
            return
        index, item, update = task
        if update is not None:
            # What the parent learned since this process was forked (registered documents).
            pipeline.apply_sync(update)
        send(conn, (index, _scan_item(pipeline, item)))


# What the parent asks its end of a scanner's pipe (a Unix socket pair) to buffer: an
# item written into an idle scanner's empty pipe must not wait for the scanner to read,
# as the parent may be an event loop. The kernel caps it (net.core.wmem_max).
PIPE_SEND_BYTES = 4 << 20


def _widen(conn: Connection) -> None:
    """Ask the kernel for PIPE_SEND_BYTES of send buffer on ``conn`` (best effort)."""
    with contextlib.suppress(OSError), socket.socket(fileno=os.dup(conn.fileno())) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, PIPE_SEND_BYTES)


@functools.cache
def pipe_capacity(limit: int = 4 << 20) -> int:
    """How many bytes a scanner's pipe takes before a write waits for its reader
    (measured once, on a pipe made like a scanner's; at most ``limit``)."""
    sender, receiver = _context.Pipe()
    try:
        _widen(sender)
        os.set_blocking(sender.fileno(), False)
        block = bytes(64 * 1024)
        written = 0
        with contextlib.suppress(BlockingIOError, InterruptedError):
            while written < limit:
                written += os.write(sender.fileno(), block)
        return written
    finally:
        sender.close()
        receiver.close()


class _Worker:
    """One forked scanner process and the parent's end of its pipe."""

    def __init__(self, pipeline: Pipeline) -> None:
        # A forked child flushes the std streams it inherited when it exits: flush them
        # first, or output the parent had buffered would be printed twice.
        sys.stdout.flush()
        sys.stderr.flush()
        self.conn, child = _context.Pipe()
        _widen(self.conn)
        # Anonymous and MAP_SHARED: the child sees what the parent writes (no descriptor).
        self.shared = mmap.mmap(-1, SHARED_BYTES)
        self.synced = pipeline.sync_mark()  # the state the child starts with
        pid = os.fork()
        if pid == 0:
            _child_main(child, pipeline, self.shared)  # never returns
        child.close()
        self.pid = pid
        self.exitcode: int | None = None
        self.ready = False
        self.task: tuple[int, ScanItem] | None = None
        self.started = 0.0
        self.deadline = 0.0

    def wait_ready(self, timeout: float) -> None:
        """Wait until the process has dropped its inherited descriptors; EOFError if not."""
        if not self.ready:
            if not self.conn.poll(timeout):
                raise EOFError(f"scan worker {self.pid} did not start within {timeout:g} s")
            receive(self.conn)  # the ready marker; EOFError if the process died first
            self.ready = True

    def is_alive(self) -> bool:
        """True while the process runs (reaps it once it has ended)."""
        if self.exitcode is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                self.exitcode = -1
                return False
            if pid:
                self.exitcode = os.waitstatus_to_exitcode(status)
        return self.exitcode is None

    def join(self, timeout: float) -> None:
        """Wait up to ``timeout`` seconds for the process to end."""
        deadline = time.monotonic() + timeout
        while self.is_alive() and time.monotonic() < deadline:
            time.sleep(0.005)

    def kill(self) -> None:
        """Kill the process, reap it and close the pipe."""
        if self.is_alive():
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        self.join(5)
        self.conn.close()
        self.shared.close()


def _describe(item: ScanItem) -> str:
    """How log lines name an item: a Parts item's name may be an uploaded file's name."""
    return item if isinstance(item, str) else f"{len(item.parts)} part(s)"


class ScanPool:
    """A fixed number of worker processes scanning items, with a hard limit per item."""

    def __init__(self, pipeline: Pipeline, jobs: int, *, hard_seconds: float | None = None) -> None:
        self.pipeline = pipeline
        self.jobs = max(1, jobs)
        # Past the pipeline's own wall-clock backstop plus grace, the worker is stuck in C code.
        self.hard_seconds = hard_seconds or pipeline.limits.item_wall_seconds + 10
        self._workers: list[_Worker] = []
        # scan_async's watch on the first worker's pipe: (loop, worker, fd, a poll object
        # for that fd), kept between items, and the future the item under way waits on.
        self._watched: tuple[Any, _Worker, int, Any] | None = None
        self._readable: Any = None
        self._overdue = False  # the item under way passed hard_seconds

    def __enter__(self) -> ScanPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def pids(self) -> list[int]:
        """Process ids of the current workers (tests and diagnostics)."""
        return [w.pid for w in self._workers]

    def start(self) -> None:
        """Fork the workers now (best while the caller is small and has no threads yet)."""
        while len(self._workers) < self.jobs:
            self._workers.append(_Worker(self.pipeline))
        for worker in self._workers:
            # Once started, no worker holds a listener's socket or file; one that fails
            # to start is replaced when it is given an item.
            with contextlib.suppress(EOFError, OSError):
                worker.wait_ready(STARTUP_SECONDS)

    def close(self) -> None:
        """Stop every worker."""
        self.stop_watching()
        for worker in self._workers:
            with contextlib.suppress(OSError):
                send(worker.conn, None)
        for worker in self._workers:
            worker.join(1)
            worker.kill()
        self._workers.clear()

    def _held(self, item: ScanItem, rule: str, reason: str, limit: str | None,
              started: float) -> ScanOutcome:
        """The outcome for an item whose worker was killed or died: a policy hit, held."""
        if isinstance(item, PartsItem):
            hits = (policy_hit(rule, "high", item.name, reason),)
            # As the upload inspector always had them: the limit and time are in the
            # statistics (its metrics count them); a file item keeps only its size.
            stats = ScanStats(bytes=sum(p.size for p in item.parts),
                              seconds=time.monotonic() - started,
                              limits_reached=(limit,) if limit else ())
            return ScanOutcome(item.name, Verdict(self.pipeline.policy.decide(hits), hits, stats))
        hits = (policy_hit(rule, "high", Path(item).name, reason),)
        try:
            size = os.path.getsize(item)
        except OSError:
            size = 0
        return ScanOutcome(item, Verdict(self.pipeline.policy.decide(hits), hits,
                                         ScanStats(bytes=size)))

    def _crashed(self, worker: _Worker, item: ScanItem) -> ScanOutcome:
        code = worker.exitcode if not worker.is_alive() else None
        log.error("scan worker %s died on %s (exit %s)", worker.pid, _describe(item), code)
        return self._held(item, "extract.crashed",
                          f"the scanner process died while reading this item (exit {code})",
                          None, worker.started)

    def _overran(self, item: ScanItem, started: float) -> ScanOutcome:
        return self._held(
            item, "limit.item_seconds",
            f"scanning did not finish within {self.hard_seconds:g} s and was stopped",
            "item_seconds", started)

    async def scan_async(self, item: ScanItem) -> ScanOutcome:
        """Scan one item on the first worker, waiting on the running event loop.

        Only for a pool of one worker that no other call uses meanwhile (the caller hands
        pools out one at a time). The item's pickle goes through the pipe while the loop
        waits, so it should fit the pipe (``pipe_capacity``): then the write never waits
        for the worker to read.
        A worker that overruns ``hard_seconds`` is killed and the item held, as in
        ``scan_items``; if the caller stops waiting, the worker is replaced, so a late
        reply can never be taken for the next item's.
        """
        self.start()
        worker = self._workers[0]
        for attempt in (1, 2):
            worker.started = time.monotonic()
            try:
                worker.wait_ready(self.hard_seconds)
                self._send(worker, (0, item))
                break
            except (EOFError, OSError):
                if attempt == 2:  # its replacement could not take it either: held
                    outcome = self._crashed(worker, item)
                    self._replace(worker)
                    return outcome
                # It died idle (killed, out of memory) before this item reached it: the
                # item is not why, so a fresh scanner reads it rather than hold it.
                code = worker.exitcode if not worker.is_alive() else None
                log.warning("scan worker %s died while idle (exit %s); a fresh one takes %s",
                            worker.pid, code, _describe(item))
                self._replace(worker)
                worker = self._workers[0]
        import asyncio  # here, not at the top: redline scan has no event loop

        loop = asyncio.get_running_loop()
        poller = self._watch(loop, worker)
        self._overdue = False
        # The deadline as a timer of its own: wait_for wraps the wait in more objects and
        # callbacks than the rest of a small mail's hand-off together.
        overrun = loop.call_later(self.hard_seconds, self._overrun)
        try:
            while True:
                if self._overdue:
                    raise TimeoutError
                readable = self._readable = loop.create_future()
                await readable
                # A loop that polls again before it runs the woken task (asyncio's own)
                # may report the previous reply, read since, once more.
                if poller.poll(0):  # one system call; Connection.poll builds a selector
                    break
        except TimeoutError:
            log.error("scan worker %s overran %.3g s on %s; killed",
                      worker.pid, self.hard_seconds, _describe(item))
            self._replace(worker)
            return self._overran(item, worker.started)
        except BaseException:
            log.warning("scan worker %s stopped: its caller gave up waiting", worker.pid)
            self._replace(worker)  # its late reply must never be taken for the next item's
            raise
        finally:
            overrun.cancel()
            self._readable = None
        try:
            _, outcome = receive(worker.conn)  # type: ignore[misc]
        except (EOFError, OSError):
            outcome = self._crashed(worker, item)
            self._replace(worker)
        return outcome

    def _send(self, worker: _Worker, task: tuple[int, ScanItem]) -> None:
        """Hand ``task`` to ``worker`` with what the pipeline learned since the worker last
        heard (documents registered meanwhile), so every scanner judges with the same index."""
        mark = self.pipeline.sync_mark()
        update = self.pipeline.sync_since(worker.synced) if mark != worker.synced else None
        item = task[1]
        # The worker is between tasks (it read its last one before replying): the map is free.
        large = isinstance(item, PartsItem) and sum(
            len(p.data or b"") + len(p.text or "") for p in item.parts) > SMALL_MESSAGE_BYTES
        send(worker.conn, (*task, update), worker.shared if large else None)
        worker.synced = mark

    def _watch(self, loop: Any, worker: _Worker) -> Any:
        """Have ``loop`` watch ``worker``'s pipe for scan_async, from now until
        ``stop_watching``; a ``select.poll`` object for the pipe, to check a wake-up.

        The watch stays between items: adding and removing a reader for each item cost
        a small mail eight system calls (uvloop makes and closes a poll handle each time).
        """
        watched = self._watched
        if watched is not None and watched[0] is loop and watched[1] is worker:
            return watched[3]
        self.stop_watching()
        fd = worker.conn.fileno()
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        loop.add_reader(fd, self._on_readable)
        self._watched = (loop, worker, fd, poller)
        return poller

    def _overrun(self) -> None:
        self._overdue = True
        readable = self._readable
        if readable is not None and not readable.done():
            readable.set_exception(TimeoutError())

    def _on_readable(self) -> None:
        readable = self._readable
        if readable is None:
            # Nobody waits: the worker closed its end while idle (it died). Stop watching
            # rather than be told on every turn of the loop; the next item finds it dead.
            self.stop_watching()
        elif not readable.done():
            readable.set_result(None)

    def stop_watching(self) -> None:
        """End scan_async's watch on a pipe: before its worker is killed (its descriptor
        may be reused) or the pool is lent to blocking code. Call it on the loop's thread."""
        watched, self._watched = self._watched, None
        if watched is not None:
            loop, _, fd, _ = watched
            with contextlib.suppress(RuntimeError):  # a closed loop watches nothing
                loop.remove_reader(fd)

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` and put a fresh one in its place."""
        if self._watched is not None and self._watched[1] is worker:
            self.stop_watching()
        worker.kill()
        self._workers[self._workers.index(worker)] = _Worker(self.pipeline)

    def scan_files(self, paths: Iterable[str]) -> Iterator[ScanOutcome]:
        """Scan each path; outcomes come back in the order of ``paths``."""
        return self.scan_items(paths)

    def scan_items(self, items: Iterable[ScanItem]) -> Iterator[ScanOutcome]:
        """Scan each item (path or ``PartsItem``); outcomes come back in their order."""
        done: dict[int, ScanOutcome] = {}
        next_out = 0
        for index, outcome in self.scan_items_as_done(items):
            done[index] = outcome
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1

    def scan_items_as_done(self, items: Iterable[ScanItem]) -> Iterator[tuple[int, ScanOutcome]]:
        """Scan each item; ``(its index in items, outcome)`` as each is done. Each free
        worker takes the next item, so the order of ``items`` is the order they start."""
        todo = iter(enumerate(items))
        self.start()
        done: list[tuple[int, ScanOutcome]] = []
        exhausted = False
        busy = 0
        while True:
            for i, worker in enumerate(self._workers):
                if worker.task is None and not exhausted:
                    task = next(todo, None)
                    if task is None:
                        exhausted = True
                        break
                    worker.task = task
                    worker.started = time.monotonic()
                    worker.deadline = worker.started + self.hard_seconds
                    busy += 1
                    try:
                        worker.wait_ready(self.hard_seconds)
                        self._send(worker, task)
                    except (EOFError, OSError):  # it died idle: held like any crash
                        done.append((task[0], self._crashed(worker, task[1])))
                        worker.kill()
                        self._workers[i] = _Worker(self.pipeline)
                        busy -= 1
            yield from done
            done.clear()
            if busy == 0 and exhausted:
                return
            if busy == 0:
                continue
            timeout = max(0.0, min(w.deadline for w in self._workers if w.task) - time.monotonic())
            ready = wait([w.conn for w in self._workers if w.task], timeout)
            for i, worker in enumerate(self._workers):
                if worker.task is None:
                    continue
                index, item = worker.task
                if worker.conn in ready:
                    try:
                        got_index, outcome = receive(worker.conn)  # type: ignore[misc]
                        assert got_index == index
                    except (EOFError, OSError):
                        outcome = self._crashed(worker, item)
                        worker.kill()
                        self._workers[i] = worker = _Worker(self.pipeline)
                elif time.monotonic() >= worker.deadline:
                    log.error("scan worker %s overran %.3g s on %s; killed",
                              worker.pid, self.hard_seconds, _describe(item))
                    outcome = self._overran(item, worker.started)
                    worker.kill()
                    self._workers[i] = worker = _Worker(self.pipeline)
                else:
                    continue
                worker.task = None
                busy -= 1
                done.append((index, outcome))


T = TypeVar("T")


class ScanSlots:
    """One-process ScanPools shared by the coroutines of one event loop, one item each.

    A listener borrows a slot per item: ``scan`` waits on the pipe with the loop (no
    thread: for small items the trip to a thread and back costs more than the scan), and
    ``run`` hands a blocking job the borrowed pool in a thread (for items that need file
    work around the scan). A slot is returned only when its pool is idle again.

    ``express`` slots serve only ``scan(item, express=True)`` — small items — and only
    while every ordinary slot is busy: a few large items that take seconds each (scanned
    PDFs read by OCR) then cannot make a small mail wait behind them.

    Items waiting for a slot are served in the order they came: a freed ordinary slot
    goes to the first waiter, a freed express slot to the first small one. (Waiting on
    the express slot alone, as a small item did when it found every slot busy, left it
    queued behind the other small items while ordinary slots freed and stood idle.)
    """

    def __init__(self, pipeline: Pipeline, slots: int, *, hard_seconds: float,
                 thread_name: str = "redline-scan", express: int = 0) -> None:
        self.hard_seconds = hard_seconds
        self._pools = [ScanPool(pipeline, 1, hard_seconds=hard_seconds)
                       for _ in range(max(1, slots))]
        self._express = [ScanPool(pipeline, 1, hard_seconds=hard_seconds)
                         for _ in range(max(0, express))]
        for pool in self._pools + self._express:
            pool.start()  # forked now, while the process is small and has no threads yet
        from concurrent.futures import ThreadPoolExecutor  # as asyncio: listeners only

        self._executor = ThreadPoolExecutor(len(self._pools), thread_name_prefix=thread_name)
        # Idle pools taken in turn (the one idle longest first), as a FIFO queue gave them.
        self._idle = collections.deque(self._pools)
        self._idle_express = collections.deque(self._express)
        self._express_ids = {id(pool) for pool in self._express}
        # Items waiting for a slot, in order: (future given the pool, may take express).
        self._waiting: collections.deque[tuple[asyncio.Future[ScanPool], bool]] = \
            collections.deque()

    @property
    def pids(self) -> list[int]:
        """Process ids of the current scanner processes (tests and diagnostics)."""
        return [pid for pool in self._pools + self._express for pid in pool.pids]

    async def _acquire(self, express: bool) -> ScanPool:
        """A free slot's pool: an ordinary one, else (``express``) an express one, else
        the first that is freed for this item."""
        if self._idle:  # none is idle while an item waits that it could serve
            return self._idle.popleft()
        if express and self._idle_express:
            return self._idle_express.popleft()
        import asyncio

        waiter: asyncio.Future[ScanPool] = asyncio.get_running_loop().create_future()
        entry = (waiter, express)
        self._waiting.append(entry)
        try:
            return await waiter
        except BaseException:
            if waiter.done() and not waiter.cancelled():
                self._release(waiter.result())  # given a slot as the caller gave up
            else:
                with contextlib.suppress(ValueError):
                    self._waiting.remove(entry)
            raise

    def _release(self, pool: ScanPool) -> None:
        """Give ``pool`` to the first waiter it may serve, else back to the idle ones."""
        express = id(pool) in self._express_ids
        for entry in self._waiting:
            waiter, small = entry
            if waiter.done():
                continue  # its caller gave up; removed by _acquire
            if small or not express:
                self._waiting.remove(entry)
                waiter.set_result(pool)
                return
        (self._idle_express if express else self._idle).append(pool)

    async def scan(self, item: ScanItem, *, express: bool = False) -> ScanOutcome:
        """``item`` scanned in a free slot, waited for on the loop (see ScanPool.scan_async).

        With ``express`` (a small item) and every ordinary slot busy, an express slot
        takes it: it waits behind other small items at most, never behind large ones.
        """
        pool = await self._acquire(express and bool(self._express))
        try:
            return await pool.scan_async(item)
        finally:
            self._release(pool)

    async def run(self, job: Callable[[ScanPool], T], *, timeout: float | None = None) -> T:
        """``job(pool)`` in a thread with a free slot's pool; the pool stays borrowed until
        the job returns, even when the caller stops waiting (the thread owns the pipe).

        ``timeout`` bounds the job, not the wait for a free slot (TimeoutError): waiting
        behind other items is no fault of this one, as with ``scan``.
        """
        import asyncio

        pool = await self._acquire(False)
        pool.stop_watching()  # the job's thread owns the pipe now
        future = asyncio.get_running_loop().run_in_executor(self._executor, job, pool)
        future.add_done_callback(lambda _: self._release(pool))
        return await asyncio.wait_for(asyncio.shield(future), timeout)

    def close(self) -> None:
        """Stop the scanner processes."""
        self._executor.shutdown(wait=False, cancel_futures=True)
        for pool in self._pools + self._express:
            pool.close()
