"""core.parallel.ordered_map: results in order, and the workers always end — also when the
caller catches SIGTERM (as run_tasks does), which forked workers would inherit, and when
the SIGTERM comes before a worker has put its own handler in place."""

import multiprocessing
import os
import signal
import time
from contextlib import contextmanager

import pytest

from unionworks.core.parallel import ordered_map


def square(n: int) -> int:
    return n * n


def slow_after_three(n: int) -> int:
    # Still busy when the caller stops: the SIGTERM lands in the middle of a task.
    return n * n if n < 3 else sum(range(2_000_000)) * 0 + n * n


def worker_pid(_) -> int:
    return os.getpid()


class Hung(Exception):
    pass


# What a freshly forked child does first, before the pool's initializer runs in it: a test
# arms it to put a SIGTERM exactly in the window between the fork and the initializer.
_first_thing_in_a_child = None


def _run_first_thing_in_a_child():
    if _first_thing_in_a_child is not None:
        _first_thing_in_a_child()


os.register_at_fork(after_in_child=_run_first_thing_in_a_child)


@contextmanager
def in_each_forked_child(action):
    global _first_thing_in_a_child
    _first_thing_in_a_child = action
    try:
        yield
    finally:
        _first_thing_in_a_child = None


def nth_fork_counter():
    """A counter shared with the forked children: which child am I?"""
    count = multiprocessing.get_context("fork").Value("i", 0)

    def next_number() -> int:
        with count.get_lock():
            count.value += 1
            return count.value

    return next_number


@contextmanager
def sigterm_caught_and_a_deadline(seconds: int = 30):
    """The caller's SIGTERM handler does nothing; a hang becomes a failure, not a stuck run."""

    def hung(*_):
        raise Hung

    before = signal.signal(signal.SIGTERM, lambda *_: None), signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    except Hung:
        for worker in multiprocessing.active_children():  # or the run would hang at exit
            os.kill(worker.pid, signal.SIGKILL)
        raise
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGTERM, before[0])
        signal.signal(signal.SIGALRM, before[1])


@pytest.mark.parametrize("rounds", range(3))
def test_every_result_comes_in_order_and_the_workers_end(rounds):
    with sigterm_caught_and_a_deadline():
        assert list(ordered_map(square, range(200), processes=2)) == [n * n for n in range(200)]


@pytest.mark.parametrize("rounds", range(3))
def test_stopping_early_ends_the_workers(rounds):
    with sigterm_caught_and_a_deadline():
        results = ordered_map(slow_after_three, range(10_000), processes=2, ahead=1)
        assert [next(results) for _ in range(3)] == [0, 1, 4]
        results.close()  # terminates the pool: the workers must die despite the handler


def test_a_sigterm_right_after_the_fork_still_ends_the_worker():
    # The first worker is sent SIGTERM before its initializer runs: it must die (and be
    # replaced by the pool), not shrug it off through the caller's handler and work on.
    which = nth_fork_counter()
    first = multiprocessing.get_context("fork").Value("i", 0)

    def sigterm_the_first_worker():
        if which() == 1:
            first.value = os.getpid()
            os.kill(os.getpid(), signal.SIGTERM)

    with sigterm_caught_and_a_deadline(), in_each_forked_child(sigterm_the_first_worker):
        pids = set(ordered_map(worker_pid, range(20), processes=1))
    assert first.value and first.value not in pids


def test_stopping_while_a_worker_is_still_starting_ends_it():
    # The second worker is held before its initializer until the stop's SIGTERM has come.
    which = nth_fork_counter()

    def hold_the_second_worker_until_sigterm():
        if which() != 2:
            return
        deadline = time.monotonic() + 10
        while signal.SIGTERM not in signal.sigpending() and time.monotonic() < deadline:
            time.sleep(0.005)  # polling, in the held child only

    with (
        sigterm_caught_and_a_deadline(),
        in_each_forked_child(hold_the_second_worker_until_sigterm),
    ):
        results = ordered_map(slow_after_three, range(10_000), processes=2, ahead=1)
        assert [next(results) for _ in range(3)] == [0, 1, 4]
        results.close()
