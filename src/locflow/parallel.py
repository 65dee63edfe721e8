"""Project-wide work on every core, with the output of a single process.

:func:`map_ordered` runs a module-level function over work items in a pool of
processes and yields the results in the items' order, so a report built from
them is byte-for-byte the one a single process builds. Small runs stay in one
process: starting a pool costs more than it saves below :data:`MIN_ITEMS`.

``LOCFLOW_JOBS`` sets the number of processes (``1``: never a pool); by default
it is the number of cores this process may run on.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

__all__ = ["MIN_ITEMS", "jobs", "map_ordered"]

T = TypeVar("T")
R = TypeVar("R")

JOBS_ENV = "LOCFLOW_JOBS"
MIN_ITEMS = 8  # tasks (each a few catalogs) below which one process beats a pool
CHUNK_ITEMS = 4  # tasks sent to a worker in one message, at most
AHEAD = 4  # messages per worker sent before the caller has taken the first result


def jobs() -> int:
    """How many processes project-wide commands use (``LOCFLOW_JOBS``, else the cores)."""
    given = os.environ.get(JOBS_ENV, "").strip()
    if given.isdigit() and int(given) > 0:
        return int(given)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def map_ordered(
    function: Callable[[T], R], items: Sequence[T], *, min_items: int = MIN_ITEMS
) -> Iterator[R]:
    """``function(item)`` for each of *items*, in order, on every core when it pays.

    *function* must be a module-level function and items and results picklable.
    An exception raised for an item is raised here, when its result is reached, so
    the first failure is the one a single process would have met.
    """
    workers = min(jobs(), len(items))
    forced = bool(os.environ.get(JOBS_ENV, "").strip())
    if workers <= 1 or (len(items) < min_items and not forced):
        return (function(item) for item in items)
    return _pooled(function, items, workers)


def _pooled(function: Callable[[T], R], items: Sequence[T], workers: int) -> Iterator[R]:
    import multiprocessing  # lazily: imports nobody needs for small runs
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    # fork: the workers start with locflow already imported (spawn would re-import it)
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    # a few items per message (little messaging, even load), and only a few messages
    # ahead of the caller: results wait for it in memory, so they are bounded however
    # many items there are (a whole project's merged catalogs would not be)
    size = max(1, min(CHUNK_ITEMS, len(items) // (workers * 8)))
    chunks = iter([items[i:i + size] for i in range(0, len(items), size)])
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_die_with_parent,
                               initargs=(os.getpid(), _in_main_thread()))
    ahead: deque[Future[list[R]]] = deque()
    try:
        for chunk in chunks:
            ahead.append(pool.submit(_each, function, chunk))
            if len(ahead) >= workers * AHEAD:
                break
        while ahead:
            done = ahead.popleft().result()  # (a failure is raised in the items' order)
            following = next(chunks, None)
            if following is not None:
                ahead.append(pool.submit(_each, function, following))
            yield from done
    finally:
        # after a failure, tasks not started yet are dropped, as one process would stop
        pool.shutdown(wait=True, cancel_futures=True)


def _each(function: Callable[[T], R], chunk: Sequence[T]) -> list[R]:
    return [function(item) for item in chunk]


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
ORPHAN_CHECK = 0.25  # seconds between a worker's checks that its parent lives


def _in_main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _die_with_parent(parent: int, main_thread: bool) -> None:
    """Pool initializer: a worker ends when the process that started it ends, however it
    ends. A sync killed with ``kill -9`` cannot shut its pool down, and workers left
    running would go on holding what they inherited (open files, a catalog folder's
    lock) and using the machine.

    On Linux the kernel kills the worker (``prctl(PR_SET_PDEATHSIG, SIGKILL)``; it fires
    when the *thread* that forked the worker ends, so only when that was the main thread);
    everywhere, a thread of the worker checks at once, then every :data:`ORPHAN_CHECK`
    seconds, that its parent is still *parent* (an orphan is adopted by another process;
    a parent that died before the signal was asked for sends none).
    """
    import signal
    import sys
    import threading

    if main_thread and sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # no libc, no prctl: the check below remains
            pass

    def watch() -> None:
        import time

        while os.getppid() == parent:
            time.sleep(ORPHAN_CHECK)
        os._exit(1)

    threading.Thread(target=watch, name="locflow-orphan-check", daemon=True).start()
