"""Time limits count the scanning thread's CPU seconds, with a wall-clock backstop.

Every test drives its own injected clocks: what the limits do with a machine's load
(wall time passing while the scan gets little CPU) or a stall (no CPU at all) is
decided by the clock readings alone, never by timing a real run.
"""

from __future__ import annotations

import random

import pytest

from filters.errors import LimitReached
from filters.limits import Budget, Clocks, Deadline, Limits, Spent
from filters.ocr import _recognize


class Clock:
    """A clock that moves only when a test moves it."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Machine:
    """One test's CPU and wall clocks; ``run`` spends time at a share of a core."""

    def __init__(self) -> None:
        self.cpu, self.wall = Clock(), Clock()
        self.clocks = Clocks(self.cpu, self.wall)

    def run(self, wall: float, share: float) -> None:
        self.wall.now += wall
        self.cpu.now += wall * share


def test_a_deadline_expires_on_cpu_seconds_not_on_wall_seconds():
    machine = Machine()
    deadline = Deadline(1.0, 4.0, machine.clocks)
    machine.run(3.0, share=0.25)  # a loaded machine: 3 s pass, 0.75 s of CPU
    assert not deadline.expired()
    machine.run(1.0, share=0.25)  # 1.0 s of CPU at 4 s: the CPU limit, not the backstop
    assert deadline.expired_on() == "CPU"


def test_the_wall_backstop_ends_a_deadline_whose_cpu_clock_stands_still():
    machine = Machine()
    deadline = Deadline(1.0, 4.0, machine.clocks)
    machine.run(3.99, share=0.0)  # stalled: waiting, using no CPU
    assert not deadline.expired()
    machine.run(0.01, share=0.0)
    assert deadline.expired_on() == "wall"


def test_a_loaded_machine_does_not_reach_the_item_limit_that_wall_seconds_would():
    machine = Machine()
    budget = Budget(Limits(item_seconds=1.0), clocks=machine.clocks)
    machine.run(3.0, share=0.2)  # three times the limit in wall seconds, 0.6 CPU seconds
    budget.check_time()
    machine.run(2.0, share=0.2)
    with pytest.raises(LimitReached, match="more than 1 CPU seconds") as reached:
        budget.check_time()
    assert reached.value.limit == "item_seconds" and reached.value.fatal


def test_an_item_stalled_without_cpu_is_stopped_by_the_wall_backstop():
    machine = Machine()
    budget = Budget(Limits(item_seconds=1.0, wall_factor=3.0), clocks=machine.clocks)
    machine.run(2.9, share=0.0)
    budget.check_time()
    machine.run(0.2, share=0.0)
    with pytest.raises(LimitReached, match=r"longer than 3 s of wall-clock time") as reached:
        budget.check_time()
    assert reached.value.limit == "item_seconds"


def test_wall_factor_one_gives_the_old_limits_in_wall_seconds():
    machine = Machine()
    budget = Budget(Limits(item_seconds=1.0, wall_factor=1.0), clocks=machine.clocks)
    machine.run(1.01, share=0.5)  # half the CPU seconds, all the wall seconds
    with pytest.raises(LimitReached, match="wall-clock"):
        budget.check_time()


def test_a_part_limit_counts_cpu_and_stays_within_the_items():
    machine = Machine()
    budget = Budget(Limits(part_seconds=1.0, item_seconds=1.5), clocks=machine.clocks)
    machine.run(1.0, share=1.0)
    with budget.part_timer():
        assert budget.left() == Spent(0.5, 4.0)  # the item's CPU left, the part's wall
        machine.run(2.0, share=0.2)
        budget.check_time()
        machine.run(0.6, share=1.0)
        with pytest.raises(LimitReached) as reached:
            budget.check_time()
    assert reached.value.limit == "item_seconds"
    machine = Machine()
    budget = Budget(Limits(part_seconds=1.0), clocks=machine.clocks)
    with budget.part_timer():
        machine.run(4.0, share=0.3)
        with pytest.raises(LimitReached, match="extraction took more than 1 CPU") as reached:
            budget.check_time()
    assert reached.value.limit == "part_seconds" and not reached.value.fatal


def test_a_helper_threads_cpu_counts_against_the_item():
    machine = Machine()
    budget = Budget(Limits(item_seconds=1.0), clocks=machine.clocks)
    helper = Clock()
    budget.count_helper(helper)
    machine.run(0.5, share=0.0)  # the scanning thread waits on the helper
    helper.now = 0.5
    budget.check_time()
    helper.now = 1.0
    with pytest.raises(LimitReached):
        budget.check_time()


def test_time_that_is_not_the_content_s_moves_the_deadlines_on_both_clocks():
    machine = Machine()
    budget = Budget(Limits(item_seconds=1.0), clocks=machine.clocks)
    machine.run(1.2, share=1.0)  # loading an engine
    budget.extend_deadlines(Spent(1.2, 1.2))
    budget.check_time()
    assert budget.left() == pytest.approx(Spent(1.0, 4.0))


def test_a_blocking_call_is_given_the_cpu_left_at_the_share_of_a_core_measured():
    machine = Machine()
    deadline = Deadline(2.0, 8.0, machine.clocks)
    assert deadline.left_ms() == 2000  # nothing measured yet: a whole core
    machine.run(2.0, share=0.25)  # 0.5 CPU seconds in 2 s
    assert deadline.left_ms() == 6000  # 1.5 CPU seconds at a quarter of a core
    machine.run(3.0, share=0.1)  # 0.8 CPU seconds in 5 s: 1.2 left, 3 s of wall left
    assert deadline.left_ms() == 3000  # never past the backstop
    assert Deadline(2.0, 8.0, machine.clocks, share=0.5).left_ms() == 4000


class Handle:
    """A Tesseract handle whose page costs ``cost`` CPU seconds, read on ``machine`` at
    ``share`` of a core; its Recognize gives up at its wall-clock timeout, as Tesseract's."""

    def __init__(self, machine: Machine, cost: float, share: float) -> None:
        self.machine, self.cost, self.share = machine, cost, share
        self.calls = 0

    def Recognize(self, timeout: int) -> bool:
        self.calls += 1
        allowed = timeout / 1000
        if self.share > 0 and self.cost / self.share <= allowed:
            self.machine.run(self.cost / self.share, self.share)
            return True
        self.machine.run(allowed, self.share)
        return False


def test_a_reading_cut_by_a_load_that_rose_is_read_again_not_held():
    machine = Machine()
    deadline = Deadline(10.0, 40.0, machine.clocks)  # the default page limit
    # The share assumed at first (a whole core) is wrong: the page costs 1.2 s of CPU,
    # 12 s at the tenth of a core a load of 19 on 2 cores leaves.
    handle = Handle(machine, cost=1.2, share=0.1)
    assert _recognize(handle, deadline)
    assert handle.calls == 2 and not deadline.expired()


def test_content_crafted_to_be_slow_is_cut_at_its_cpu_seconds():
    machine = Machine()
    deadline = Deadline(10.0, 40.0, machine.clocks)
    handle = Handle(machine, cost=1000.0, share=1.0)  # an idle machine
    assert not _recognize(handle, deadline)
    assert deadline.expired_on() == "CPU"
    assert machine.cpu.now == pytest.approx(10.0)  # not a second of CPU more than its limit


def test_a_reading_that_gets_no_cpu_is_cut_by_the_wall_backstop():
    machine = Machine()
    deadline = Deadline(10.0, 40.0, machine.clocks)
    handle = Handle(machine, cost=1.0, share=0.0)
    assert not _recognize(handle, deadline)
    assert deadline.expired_on() == "wall"
    assert machine.wall.now == pytest.approx(40.0)


def test_a_tesseract_failure_is_not_retried():
    machine = Machine()
    deadline = Deadline(10.0, 40.0, machine.clocks)

    class Failing:
        calls = 0

        def Recognize(self, timeout: int) -> bool:
            self.calls += 1
            return False  # at once: not its timeout

    failing = Failing()
    assert not _recognize(failing, deadline)
    assert failing.calls == 1


class CountedClock(Clock):
    """A CPU clock that counts its readings (each a system call on a real machine)."""

    def __init__(self) -> None:
        super().__init__()
        self.readings = 0

    def __call__(self) -> float:
        self.readings += 1
        return self.now


def test_the_cpu_clock_is_read_only_once_the_wall_time_could_have_used_the_cpu_left():
    machine = Machine()
    machine.cpu = CountedClock()
    machine.clocks = Clocks(machine.cpu, machine.wall)
    deadline = Deadline(1.0, 4.0, machine.clocks)
    assert machine.cpu.readings == 1  # its start
    machine.run(0.9, share=1.0)
    assert deadline.expired_on() is None and machine.cpu.readings == 1
    machine.run(0.1, share=1.0)  # 1 s of wall time: the CPU second may be used up, and is
    assert deadline.expired_on() == "CPU" and machine.cpu.readings == 2
    machine = Machine()
    machine.cpu = CountedClock()
    machine.clocks = Clocks(machine.cpu, machine.wall)
    deadline = Deadline(1.0, 4.0, machine.clocks)
    machine.run(1.0, share=0.5)  # half a core: 0.5 CPU seconds used, 0.5 left
    assert deadline.expired_on() is None and machine.cpu.readings == 2
    machine.run(0.375, share=0.5)  # 1.375 s: not yet the 1.5 s the CPU left could take
    assert deadline.expired_on() is None and machine.cpu.readings == 2
    deadline.extend(Spent(0.25, 0.25))  # the CPU left grows by 0.25 s, and so its reading
    machine.run(0.25, share=0.5)
    assert deadline.expired_on() is None and machine.cpu.readings == 2
    machine.run(0.125, share=0.5)
    assert deadline.expired_on() is None and machine.cpu.readings == 3
    assert deadline.left() == Spent(0.375, 2.5)


def test_a_deadline_reads_the_clock_of_a_helper_thread_whatever_the_wall_time():
    machine = Machine()
    helper = CountedClock()
    deadline = Deadline(1.0, 4.0, machine.clocks, extra_cpu=[helper])
    machine.run(0.1, share=0.0)  # a helper may use a core of its own beside this thread
    helper.now = 1.0
    assert deadline.expired_on() == "CPU" and helper.readings == 2


def test_reading_the_cpu_clock_only_when_due_gives_what_reading_it_always_gives():
    # Seeded walks of a machine at every share of a core, with stalls and extensions:
    # at each step the deadline says what both clocks read directly say.
    rng = random.Random(21)
    for _ in range(200):
        machine = Machine()
        item = Deadline(1.0, 3.0, machine.clocks)
        part = Deadline(0.6, 2.4, machine.clocks, within=item)
        for _ in range(60):
            machine.run(rng.choice((0.0, 0.001, 0.01, 0.05, 0.2)),
                        share=rng.choice((0.0, 0.1, 0.5, 0.9, 1.0)))
            if rng.random() < 0.05:
                spent = Spent(rng.random() * 0.1, rng.random() * 0.1)
                item.extend(spent)
                part.extend(spent)
            for deadline in (item, part):
                expected = ("CPU" if machine.cpu.now >= deadline.cpu_end else
                            "wall" if machine.wall.now >= deadline.wall_end else None)
                assert deadline.expired_on() == expected
