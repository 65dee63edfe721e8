"""Work on every core gives what one process gives, in the same order."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from locflow.errors import CatalogError
from locflow.parallel import JOBS_ENV, jobs, map_ordered


def square_and_pid(n: int) -> tuple[int, int]:
    if n == 13:
        raise CatalogError("unlucky", path="x.po", line=n)
    return n * n, os.getpid()


def test_results_come_back_in_order_from_several_processes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(JOBS_ENV, "2")
    assert jobs() == 2
    items = [n for n in range(40) if n != 13] + [100]
    out = list(map_ordered(square_and_pid, items))
    assert [square for square, _ in out] == [n * n for n in items]
    assert os.getpid() not in {pid for _, pid in out}


def test_one_process_for_few_items_or_when_told(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(JOBS_ENV, raising=False)
    assert {pid for _, pid in map_ordered(square_and_pid, [1, 2, 3])} == {os.getpid()}
    monkeypatch.setenv(JOBS_ENV, "1")
    assert {pid for _, pid in map_ordered(square_and_pid, list(range(12)))} == {os.getpid()}


@pytest.mark.parametrize("workers", ["1", "2"])
def test_the_first_failure_in_order_is_raised_with_its_place(
    monkeypatch: pytest.MonkeyPatch, workers: str
) -> None:
    monkeypatch.setenv(JOBS_ENV, workers)
    with pytest.raises(CatalogError) as caught:
        list(map_ordered(square_and_pid, list(range(30))))
    assert str(caught.value) == "x.po:13: unlucky"


def note_and_square(task: tuple[str, int]) -> int:
    folder, n = task
    with open(os.path.join(folder, f"{os.getpid()}.log"), "a") as log:
        log.write(f"{n}\n")
    return n * n


def test_work_runs_only_a_little_ahead_of_the_caller(
    monkeypatch: pytest.MonkeyPatch, tmp_path: os.PathLike[str],
) -> None:
    """Results wait in memory until the caller takes them: a pool must not run the whole
    project ahead of a caller that writes each result (a sync of 10,000 articles)."""
    import time
    from pathlib import Path

    from locflow.parallel import AHEAD, CHUNK_ITEMS

    monkeypatch.setenv(JOBS_ENV, "2")
    results = map_ordered(note_and_square, [(str(tmp_path), n) for n in range(1000)])
    assert next(results) == 0
    time.sleep(0.5)  # (unbounded, the workers would finish all 1,000 meanwhile)
    done = sum(len(p.read_text().split()) for p in Path(tmp_path).glob("*.log"))
    assert done <= 2 * AHEAD * CHUNK_ITEMS + CHUNK_ITEMS
    assert list(results) == [n * n for n in range(1, 1000)]


def pid_and_when(n: int) -> tuple[int, float, float]:
    import time

    start = time.monotonic()
    time.sleep(0.05)
    return os.getpid(), start, time.monotonic()


def test_several_workers_run_at_once_and_are_gone_afterwards(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import multiprocessing

    monkeypatch.setenv(JOBS_ENV, "2")
    runs = list(map_ordered(pid_and_when, list(range(16))))
    assert len({pid for pid, _, _ in runs}) == 2
    # some two items overlapped in time (a pool that sends one at a time never would)
    assert any(a[1] < b[2] and b[1] < a[2] for a in runs for b in runs if a is not b)
    assert multiprocessing.active_children() == []  # the pool was shut down


def test_a_pool_when_told_even_for_few_items_and_by_size_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from locflow import parallel

    monkeypatch.setenv(JOBS_ENV, "2")  # told: a pool for 3 items
    assert os.getpid() not in {pid for _, pid in map_ordered(square_and_pid, [1, 2, 3])}
    monkeypatch.delenv(JOBS_ENV)
    monkeypatch.setattr(parallel, "jobs", lambda: 2)
    below = list(range(parallel.MIN_ITEMS - 1))
    assert {pid for _, pid in map_ordered(square_and_pid, below)} == {os.getpid()}
    enough = list(range(parallel.MIN_ITEMS))
    assert os.getpid() not in {pid for _, pid in map_ordered(square_and_pid, enough)}


def test_jobs_are_the_usable_cores_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(JOBS_ENV, raising=False)
    assert jobs() == len(os.sched_getaffinity(0))
    for nonsense in ("0", "-2", "many", " "):
        monkeypatch.setenv(JOBS_ENV, nonsense)
        assert jobs() == len(os.sched_getaffinity(0))
    monkeypatch.setenv(JOBS_ENV, " 3 ")
    assert jobs() == 3
    monkeypatch.delenv(JOBS_ENV)
    monkeypatch.delattr(os, "sched_getaffinity")  # not on Linux
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert jobs() == 1
    monkeypatch.setattr(os, "cpu_count", lambda: 6)
    assert jobs() == 6


PARENT = """
import os, sys, threading, time
from locflow import parallel

def report(n):
    os.write(1, b"%d\\n" % os.getpid())  # one write: two workers' lines never interleave
    time.sleep(60)
    return n

def run():
    list(parallel.map_ordered(report, list(range(4))))

if sys.argv[1] == "main":  # only the kernel's signal can be quick enough
    parallel.ORPHAN_CHECK = 60
    run()
else:  # a pool started by another thread: the worker's own check
    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
"""


def _cpu_ticks(pid: int) -> int:
    with open(f"/proc/{pid}/stat", "rb") as file:
        fields = file.read().rsplit(b")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as file:
            return file.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except OSError:
        return False


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="reads /proc")
@pytest.mark.parametrize("started_by", ["main", "thread"])
def test_workers_die_with_the_process_that_started_them(started_by: str) -> None:
    """A parent killed with SIGKILL cannot shut its pool down: the workers must end by
    themselves, not linger with what they inherited (issue 17)."""
    import signal
    import subprocess
    import sys
    import time

    from locflow import parallel

    src = str(Path(parallel.__file__).parents[1])  # this locflow (a mutation run's copy)
    parent = subprocess.Popen([sys.executable, "-c", PARENT, started_by],
                              env={**os.environ, JOBS_ENV: "2", "PYTHONPATH": src},
                              stdout=subprocess.PIPE, start_new_session=True)
    try:
        assert parent.stdout is not None
        workers = {int(parent.stdout.readline()) for _ in range(2)}
        assert len(workers) == 2 and parent.pid not in workers
        time.sleep(0.5)
        assert all(_cpu_ticks(pid) < 15 for pid in workers)  # a check, not a busy loop
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 3
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert not [pid for pid in workers if _alive(pid)]
    finally:
        with __import__("contextlib").suppress(ProcessLookupError):
            os.killpg(parent.pid, signal.SIGKILL)
        parent.communicate()


def test_a_worker_whose_parent_is_already_gone_ends_at_once() -> None:
    import time

    from locflow import parallel

    for parent, code in ((os.getpid(), 0), (os.getpid() + 1_000_000, 1)):
        child = os.fork()
        if child == 0:  # as a worker started by *parent*
            try:
                parallel._die_with_parent(parent, False)
                time.sleep(1)
            finally:
                os._exit(0)
        _, status = os.waitpid(child, 0)
        assert os.waitstatus_to_exitcode(status) == code
