"""core.parallel.ordered_map: results in order, and the workers always end — also when the
caller catches SIGTERM (as run_tasks does), which forked workers would inherit."""

import multiprocessing
import os
import signal
from contextlib import contextmanager

import pytest

from unionworks.core.parallel import ordered_map


def square(n: int) -> int:
    return n * n


def slow_after_three(n: int) -> int:
    # Still busy when the caller stops: the SIGTERM lands in the middle of a task.
    return n * n if n < 3 else sum(range(2_000_000)) * 0 + n * n


class Hung(Exception):
    pass


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
