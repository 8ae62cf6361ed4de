"""CPU-bound work on a pool of processes, in order, with a bounded read-ahead.

For the bulk paths (a province's roll is millions of rows): the checks and the sealing
of a row are pure Python, so threads would take turns on one core. The pool is
``fork``ed, so the workers start with the caller's state as it is at that moment (the
import job: units, keys, headers) and never touch the database.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator

MAX_PROCESSES = 2  # at most one per core, and no more than this


def processes_available() -> int:
    return min(MAX_PROCESSES, os.cpu_count() or 1)


# A worker inherits the caller's signal handlers (run_tasks catches SIGTERM to finish its
# task): it must die when the pool terminates it, and leave Ctrl-C to the caller. A SIGTERM
# that came between the fork and the worker's own handlers would reach the caller's handler
# and be lost, and the pool would wait for that worker forever: the workers are forked with
# these signals blocked, and unblock them only once their own handlers are in place.
_HELD = {signal.SIGTERM, signal.SIGINT}


def _in_worker() -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # also drops a Ctrl-C held since the fork
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)  # a held SIGTERM ends the worker now


def _pool(processes: int):
    """A forked pool whose workers never lose a SIGTERM (see ``_in_worker``)."""
    # Only the forking thread's mask is inherited; the pool's own threads, started here,
    # inherit it too, so the workers it forks later to replace dead ones start blocked.
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    # The objects alive at the fork go to the collector's permanent generation: a worker's
    # collections then never walk (and so never write to, and copy, page by page) the
    # caller's whole heap. Measured on the proposal list's checks: a worker ran at half
    # the speed of the caller without this, at its speed with it.
    gc.freeze()
    try:
        return multiprocessing.get_context("fork").Pool(processes, initializer=_in_worker)
    finally:
        gc.unfreeze()  # in the caller; each worker keeps its own frozen copy
        signal.pthread_sigmask(signal.SIG_SETMASK, held)  # one sent meanwhile arrives now


def ordered_map(fn: Callable, items: Iterable, *, processes: int, ahead: int = 2) -> Iterator:
    """``map(fn, items)`` computed by ``processes`` forked workers, results in order.

    At most ``ahead`` items per process are taken from ``items`` before their result is
    used, so a large file is never read into memory whole. ``fn`` must be a module-level
    function (it is pickled by reference); what it needs is read from the forked state.
    """
    room = threading.Semaphore(ahead * processes)
    stop = threading.Event()

    def feed():  # in the pool's feeder thread
        for item in items:
            room.acquire()
            if stop.is_set():
                return
            yield item

    pool = _pool(processes)
    finished = False
    try:
        for result in pool.imap(fn, feed()):
            room.release()
            yield result
        finished = True
    finally:
        stop.set()
        room.release(ahead * processes + 1)  # a feeder waiting for room sees the stop
        if finished:
            pool.close()  # every worker is told there is no more work, and exits
        else:
            pool.terminate()  # an error or an early stop: end the workers now
        pool.join()
