"""Work on every core gives what one process gives, in the same order."""

from __future__ import annotations

import os

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
