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
    pool = ProcessPoolExecutor(workers, mp_context=context)
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
