"""Worker processes: results in order, a stuck item is killed and held, a crash is contained."""

from __future__ import annotations

import faulthandler
import os
import signal
import time
from pathlib import Path

import filters.extract as extract_registry
from filters.build import build_pipeline
from filters.pipeline import Pipeline
from filters.types import Part
from filters.workers import PartsItem, ScanPool, ScanSlots
from tests.fixtures.pdf import large_pdf


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_outcomes_come_back_in_order_and_match_in_process_scans(tmp_path):
    pipeline = build_pipeline()
    paths = [write(tmp_path, f"n{i}.txt", (f"note {i}\n" + ("SECRET\n" if i % 3 == 0 else "")).encode())
             for i in range(12)]
    with ScanPool(pipeline, 2) as pool:
        outcomes = list(pool.scan_files(paths))
    assert [o.path for o in outcomes] == paths
    for outcome in outcomes:
        expected = pipeline.scan_file(Path(outcome.path))
        assert outcome.verdict.action == expected.action
        assert outcome.verdict.hits == expected.hits


def test_unreadable_path_is_an_error_not_a_verdict(tmp_path):
    path = write(tmp_path, "locked.txt", b"x")
    os.chmod(path, 0)
    with ScanPool(build_pipeline(), 1) as pool:
        [outcome] = list(pool.scan_files([path]))
    if os.geteuid() == 0:  # root reads anything; the scan then simply passes
        assert outcome.verdict is not None
    else:
        assert outcome.verdict is None and "denied" in outcome.error.lower()


def test_item_over_the_hard_limit_is_killed_and_held(tmp_path):
    slow = write(tmp_path, "long.pdf", large_pdf(pages=400))
    quick = write(tmp_path, "quick.txt", b"ordinary note\n")
    with ScanPool(build_pipeline(), 1, hard_seconds=0.05) as pool:
        slow_outcome, quick_outcome = pool.scan_files([slow, quick])
    assert slow_outcome.verdict.action == "quarantine"
    assert [h.rule for h in slow_outcome.verdict.hits] == ["limit.item_seconds"]
    # The replacement worker goes on with the batch.
    assert quick_outcome.verdict.action == "pass"


def test_worker_crash_is_contained_and_the_item_held(tmp_path, monkeypatch):
    def crash(part, budget):
        faulthandler.disable()  # the expected crash needs no traceback in the test log
        os.kill(os.getpid(), signal.SIGSEGV)  # what a fault in a C library looks like
        yield from ()

    pipeline = build_pipeline()
    # The workers are forked from this process, so they inherit the crashing extractor.
    monkeypatch.setitem(extract_registry._loaded, "text", crash)
    paths = [write(tmp_path, "boom.txt", b"text"), write(tmp_path, "after.bin", b"\x00\x01\x02" * 10)]
    with ScanPool(pipeline, 1) as pool:
        boom, after = pool.scan_files(paths)
    assert boom.verdict.action == "quarantine"
    assert boom.verdict.hits[0].rule == "extract.crashed"
    assert after.verdict is not None and after.verdict.action == "pass"


def test_parts_items_and_paths_mix_in_order_and_match_in_process_scans(tmp_path):
    pipeline = build_pipeline()
    marked = Part(origin="upload:form[file]:x.txt", data=b"SECRET//NOFORN\nthe plan\n", name="x.txt")
    clean = Part(origin="upload:form[note]", data=b"lunch at noon\n")
    path = write(tmp_path, "memo.txt", b"DRAFT\nnot final\n")
    with ScanPool(pipeline, 2) as pool:
        both, single, on_disk = pool.scan_items(
            [PartsItem("upload:body", (marked, clean)), PartsItem(clean.origin, (clean,)), path])
    assert [o.path for o in (both, single, on_disk)] == ["upload:body", clean.origin, path]
    assert both.verdict.action == "quarantine"
    assert both.verdict.hits == pipeline.scan(marked).hits + pipeline.scan(clean).hits
    assert {h.where for h in both.verdict.hits} == {marked.origin}
    assert both.verdict.stats.bytes == marked.size + clean.size
    assert single.verdict.action == "pass" and single.verdict.hits == ()
    assert on_disk.verdict.hits == pipeline.scan_file(Path(path)).hits


def test_a_worker_that_died_while_idle_is_replaced_and_its_item_held(tmp_path):
    part = Part(origin="upload:form[note]", data=b"lunch at noon\n")
    with ScanPool(build_pipeline(), 1) as pool:
        pool.start()
        (dead,) = pool.pids
        os.kill(dead, signal.SIGKILL)
        os.waitpid(dead, 0)  # gone for sure before the pool writes to its pipe
        held, after = pool.scan_items([PartsItem(part.origin, (part,)), PartsItem(part.origin, (part,))])
        assert pool.pids != [dead]
    assert [h.rule for h in held.verdict.hits] == ["extract.crashed"]
    assert held.verdict.action == "quarantine" and held.verdict.hits[0].where == part.origin
    assert after.verdict.action == "pass"


def test_scan_async_matches_the_blocking_scan_and_survives_overrun_crash_and_cancel(
        monkeypatch):
    import asyncio

    pipeline = build_pipeline()
    marked = Part(origin="m.eml", data=b"Subject: x\r\n\r\nSECRET//NOFORN\r\n", name="m.eml",
                  declared_type="message/rfc822")
    slow = Part(origin="long.pdf", data=large_pdf(pages=400), name="long.pdf")

    async def body(pool: ScanPool) -> None:
        got = await pool.scan_async(PartsItem("m.eml", (marked,)))
        assert got.verdict.hits == pipeline.scan(marked).hits
        assert got.verdict.stats.seconds > 0
        first = pool.pids
        overran = await pool.scan_async(PartsItem("long.pdf", (slow,)))
        assert [h.rule for h in overran.verdict.hits] == ["limit.item_seconds"]
        assert pool.pids != first  # killed and replaced
        # A caller that stops waiting: the scanner is replaced, so its late reply can
        # never be read as the next item's.
        second = pool.pids
        waiting = asyncio.ensure_future(pool.scan_async(PartsItem("long.pdf", (slow,))))
        await asyncio.sleep(0.02)
        waiting.cancel()
        await asyncio.gather(waiting, return_exceptions=True)
        assert pool.pids != second
        again = await pool.scan_async(PartsItem("m.eml", (marked,)))
        assert again.verdict.hits == got.verdict.hits

    with ScanPool(pipeline, 1, hard_seconds=0.2) as pool:
        asyncio.run(body(pool))

    def crash(part, budget):
        faulthandler.disable()
        os.kill(os.getpid(), signal.SIGSEGV)
        yield from ()

    monkeypatch.setitem(extract_registry._loaded, "text", crash)
    note = Part(origin="note.txt", data=b"just text\n", name="note.txt")
    with ScanPool(build_pipeline(), 1) as pool:
        crashed = asyncio.run(pool.scan_async(PartsItem("note.txt", (note,))))
    assert [h.rule for h in crashed.verdict.hits] == ["extract.crashed"]


def test_an_express_slot_takes_a_small_item_while_every_ordinary_slot_is_busy(tmp_path):
    """Two items that wait for a signal fill both ordinary slots; a small one is still
    answered, by the express slot, while both wait (no time bound: the order proves it)."""
    import asyncio

    release = tmp_path / "release"

    class Slow:
        def scan(self, part):
            if part.text is None and part.data.startswith(b"slow"):
                (tmp_path / f"started-{os.getpid()}").touch()
                deadline = time.monotonic() + 120  # never hang the suite
                while not release.exists() and time.monotonic() < deadline:
                    time.sleep(0.01)
            return ()

    slots = ScanSlots(Pipeline(content_engines=[Slow()]), 2, hard_seconds=300, express=1)
    assert len(slots.pids) == 3

    async def both_started() -> None:
        while len(list(tmp_path.glob("started-*"))) < 2:
            await asyncio.sleep(0.01)

    async def run() -> tuple[bool, list[str]]:
        slow = [asyncio.create_task(slots.scan(PartsItem(f"big{i}", (Part(origin=f"big{i}",
                data=b"slow" + bytes(100)),)))) for i in range(2)]
        await asyncio.wait_for(both_started(), 120)  # both ordinary slots are now busy
        small = await slots.scan(PartsItem("small", (Part(origin="small", data=b"hello"),)),
                                 express=True)
        slow_still_waiting = not any(task.done() for task in slow)
        release.touch()
        done = [o.path for o in await asyncio.gather(*slow)]
        return slow_still_waiting, [small.path, *done]

    try:
        slow_still_waiting, names = asyncio.run(run())
    finally:
        release.touch()
        slots.close()
    assert names == ["small", "big0", "big1"]
    assert slow_still_waiting, "the small item waited behind the slow ones"


def test_a_waiting_small_item_takes_the_first_slot_freed_not_only_the_express_one(tmp_path):
    """One ordinary and one express slot, both busy with items that wait for their own
    signal; a small item then waits. Freeing the ordinary slot alone must serve it while
    the express slot stays busy (it once waited for the express slot only)."""
    import asyncio

    class Slow:
        def scan(self, part):
            if part.text is None and part.data.startswith(b"slow"):
                name = part.data[4:9].decode()
                (tmp_path / f"started-{name}").touch()
                deadline = time.monotonic() + 120  # never hang the suite
                while not (tmp_path / f"release-{name}").exists() and time.monotonic() < deadline:
                    time.sleep(0.01)
            return ()

    slots = ScanSlots(Pipeline(content_engines=[Slow()]), 1, hard_seconds=300, express=1)

    def item(name: str, data: bytes) -> PartsItem:
        return PartsItem(name, (Part(origin=name, data=data),))

    async def started(name: str) -> None:
        while not (tmp_path / f"started-{name}").exists():
            await asyncio.sleep(0.01)

    async def run() -> tuple[str, bool]:
        big = asyncio.create_task(slots.scan(item("big", b"slowordin" + bytes(100))))
        await asyncio.wait_for(started("ordin"), 60)
        busy = asyncio.create_task(slots.scan(item("busy", b"slowexpre"), express=True))
        await asyncio.wait_for(started("expre"), 60)
        small = asyncio.create_task(slots.scan(item("small", b"hello"), express=True))
        await asyncio.sleep(0.1)  # every slot is busy: the small item waits
        (tmp_path / "release-ordin").touch()
        await big
        outcome = await asyncio.wait_for(small, 60)
        express_still_busy = not busy.done()
        (tmp_path / "release-expre").touch()
        await busy
        return outcome.path, express_still_busy

    try:
        served, express_still_busy = asyncio.run(run())
    finally:
        for signal_name in ("ordin", "expre"):
            (tmp_path / f"release-{signal_name}").touch()
        slots.close()
    assert served == "small"
    assert express_still_busy, "the small item waited for the express slot"


def test_a_job_is_timed_from_when_it_gets_a_slot_not_while_it_waits_for_one(tmp_path):
    """One slot, busy with a job that outlasts the next job's timeout: the next job waits
    for the slot, then runs within its own time (a queue behind slow mail is no failure
    of this mail); a job that itself overruns gets TimeoutError."""
    import asyncio

    slots = ScanSlots(build_pipeline(), 1, hard_seconds=300)

    async def run() -> tuple[str, bool]:
        first = asyncio.create_task(slots.run(lambda pool: time.sleep(1.5) or "first"))
        await asyncio.sleep(0.1)  # the first job has the only slot
        second = await slots.run(lambda pool: "second", timeout=1.0)
        await first
        try:
            await slots.run(lambda pool: time.sleep(1.5), timeout=0.5)
        except TimeoutError:
            return second, True
        return second, False

    try:
        second, overran = asyncio.run(run())
    finally:
        slots.close()
    assert second == "second"
    assert overran, "a job longer than its timeout was not stopped waiting for"


def test_pipe_messages_carry_every_field_of_items_and_outcomes():
    # The pipe pickles the frozen dataclasses as constructor calls: every field, set away
    # from its default, must come back equal (a field added later included).
    import dataclasses

    from filters.types import Defect, Hit, ScanStats, Verdict
    from filters.workers import ScanOutcome, _context, receive, send

    def filled(cls, **nested):
        values = {}
        for f in dataclasses.fields(cls):
            if f.name in nested:
                values[f.name] = nested[f.name]
            elif f.type in ("str", "str | None"):
                values[f.name] = f"{f.name}-value"
            elif f.type == "int":
                values[f.name] = 7
            elif f.type == "float":
                values[f.name] = 0.25
            elif f.type == "bytes":
                values[f.name] = b"\x00data\r\n."
            elif f.type == "Path | None":
                values[f.name] = Path("/spool/x.eml")
            elif f.type.startswith("Mapping"):
                values[f.name] = {"k": 1} if "int" in f.type else {"k": "v"}
            elif f.type.startswith("tuple[int, int]"):
                values[f.name] = (3, 9)
            elif f.type.startswith("tuple[str"):
                values[f.name] = ("a", "b")
            else:
                raise AssertionError(f"{cls.__name__}.{f.name}: no test value for {f.type}")
        obj = cls(**values)
        defaults = cls(**{f.name: values[f.name] for f in dataclasses.fields(cls)
                          if f.default is dataclasses.MISSING
                          and f.default_factory is dataclasses.MISSING})
        changed = [f.name for f in dataclasses.fields(cls)
                   if f.name not in nested and getattr(obj, f.name) == getattr(defaults, f.name)
                   and (f.default is not dataclasses.MISSING
                        or f.default_factory is not dataclasses.MISSING)]
        assert not changed, f"{cls.__name__}: fields left at their default: {changed}"
        return obj

    hit = filled(Hit)
    verdict = filled(Verdict, action="quarantine", hits=(hit, hit), stats=filled(ScanStats))
    messages = [
        (0, ScanOutcome("a.eml", verdict, "an error")),
        (1, PartsItem("b.eml", (filled(Part), filled(Part, text=None))), {"sync": [1, 2]}),
        filled(Defect),
        None,
    ]
    sender, receiver = _context.Pipe()
    try:
        for message in messages:
            send(sender, message)
            back = receive(receiver)
            assert back == message
            assert type(back) is type(message)
    finally:
        sender.close()
        receiver.close()


def test_scan_async_survives_a_scanner_that_dies_between_items_on_either_loop():
    """The loop keeps watching a scanner's pipe between items: a scanner that dies idle
    is noticed (not reported on every turn of the loop), and its next item, which it
    never read, is scanned by its replacement, as is the one after, on asyncio's loop
    and on uvloop."""
    import asyncio

    import uvloop

    note = Part(origin="note.txt", data=b"lunch at noon\n", name="note.txt")

    async def body(pool: ScanPool) -> list:
        first = await pool.scan_async(PartsItem("note.txt", (note,)))
        (dead,) = pool.pids
        os.kill(dead, signal.SIGKILL)
        os.waitpid(dead, 0)
        await asyncio.sleep(0.05)  # the loop sees the pipe close while nobody waits
        next_one = await pool.scan_async(PartsItem("note.txt", (note,)))
        assert pool.pids != [dead]
        return [first, next_one, await pool.scan_async(PartsItem("note.txt", (note,)))]

    for run in (asyncio.run, uvloop.run):
        with ScanPool(build_pipeline(), 1) as pool:
            first, next_one, after = run(body(pool))
        assert [o.verdict.action for o in (first, next_one, after)] == ["pass"] * 3
        assert not next_one.verdict.hits


def test_large_items_go_through_shared_memory_or_the_pipe_and_scan_the_same(monkeypatch):
    # A large item is pickled into the memory a scanner shares with its parent, one that
    # does not fit goes through the pipe; either way, item after item (each overwriting
    # the last in the map), the scanner reads exactly what was sent.
    import asyncio

    import filters.workers as workers

    monkeypatch.setattr(workers, "SHARED_BYTES", 256 * 1024)
    pipeline = build_pipeline()
    filler = b"The schedule for the spring maintenance works is attached below.\r\n"
    parts = [Part(origin=f"m{i}.eml", name=f"m{i}.eml", declared_type="message/rfc822",
                  data=b"Subject: notes\r\n\r\n" + filler * (size // len(filler)) + tail)
             for i, (size, tail) in enumerate([(100_000, b"SECRET//NOFORN\r\n"), (200_000, b""),
                                               (400_000, b"DRAFT\r\n"), (150_000, b"")])]
    sent = []
    real_send = workers.send
    monkeypatch.setattr(workers, "send", lambda conn, obj, shared=None: (
        sent.append(shared is not None), real_send(conn, obj, shared))[1])

    async def scan_all(pool: ScanPool) -> list:
        return [await pool.scan_async(PartsItem(p.origin, (p,))) for p in parts]

    with ScanPool(pipeline, 1) as pool:
        outcomes = asyncio.run(scan_all(pool))
    assert sent == [True, True, True, True, False]  # each large item offered the map; close
    for part, outcome in zip(parts, outcomes, strict=True):
        assert outcome.verdict.hits == pipeline.scan(part).hits
        assert outcome.verdict.stats.bytes == len(part.data)
    assert [o.verdict.action for o in outcomes] == ["quarantine", "pass", "quarantine", "pass"]


def test_a_message_goes_through_the_pipe_in_one_write(monkeypatch):
    """Size and pickle leave in one write whatever the size (a scanner woken by the size
    alone reads the rest in more system calls), and arrive whole."""
    from filters.workers import _context, receive, send

    writes: list[int] = []
    real_write = os.write

    def counted(fd: int, data: bytes) -> int:
        writes.append(len(data))
        return real_write(fd, data)

    sender, receiver = _context.Pipe()
    try:
        for size in (0, 100, 16 * 1024 - 40, 16 * 1024 + 1, 40_000, 60_000):
            message = (size, PartsItem("m.eml", (Part(origin="m.eml", data=os.urandom(size)),)))
            writes.clear()
            monkeypatch.setattr(os, "write", counted)
            send(sender, message)
            monkeypatch.setattr(os, "write", real_write)
            assert len(writes) == 1 and writes[0] > size
            assert receive(receiver) == message
    finally:
        sender.close()
        receiver.close()
