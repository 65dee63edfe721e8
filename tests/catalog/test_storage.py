"""Planned writes: one durability barrier per commit, and what a crash or a
concurrent cleaner may see while a commit is under way."""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from locflow.catalog import storage
from locflow.catalog.storage import PlannedWrite, commit, locked, remove_stale_temporaries
from locflow.errors import CatalogError


def plans_for(folder: Path, count: int, text: str = "new") -> list[PlannedWrite]:
    plans = []
    for n in range(count):
        path = folder / f"c{n:02d}.po"
        before = path.read_bytes() if path.exists() else None
        plans.append(PlannedWrite(path, before, f"{text} {n}\n".encode()))
    return plans


def record_barriers(monkeypatch: pytest.MonkeyPatch, syncfs_result: int = 0
                    ) -> tuple[list[int], list[int]]:
    """Count syncfs(2) calls and fsyncs of regular files during a commit."""
    syncfs_calls: list[int] = []
    file_fsyncs: list[int] = []
    real_fsync = os.fsync

    def syncfs(fd: int) -> int:
        syncfs_calls.append(fd)
        return syncfs_result

    def fsync(fd: int) -> None:
        if not os.path.isdir(f"/proc/self/fd/{fd}"):
            file_fsyncs.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(storage, "_libc_syncfs", lambda: syncfs)
    monkeypatch.setattr(storage.os, "fsync", fsync)
    return syncfs_calls, file_fsyncs


def test_many_files_share_one_barrier(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    syncfs_calls, file_fsyncs = record_barriers(monkeypatch)
    written = commit(plans_for(tmp_path, 20))
    assert len(written) == 20
    assert len(syncfs_calls) == 1 and file_fsyncs == []  # not one fsync per file
    assert (tmp_path / "c07.po").read_bytes() == b"new 7\n"
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_few_files_are_fsynced_one_by_one(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    syncfs_calls, file_fsyncs = record_barriers(monkeypatch)
    commit(plans_for(tmp_path, 3))
    assert syncfs_calls == [] and len(file_fsyncs) == 3


def test_a_failing_syncfs_falls_back_to_fsync_each(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    syncfs_calls, file_fsyncs = record_barriers(monkeypatch, syncfs_result=-1)
    commit(plans_for(tmp_path, 12))
    assert len(syncfs_calls) == 1 and len(file_fsyncs) == 12
    assert (tmp_path / "c11.po").read_bytes() == b"new 11\n"


def test_the_barrier_comes_before_any_rename(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Renaming a temporary whose data is not yet on disk could leave a crash with an
    empty catalog: every rename happens after the flush."""
    for plan in plans_for(tmp_path, 10, "old"):
        plan.path.write_bytes(plan.after)
    events: list[str] = []
    real_replace = os.replace
    monkeypatch.setattr(storage, "_flush", lambda staged: events.append(f"flush {len(staged)}"))

    def replace(src: str, dst: str | Path) -> None:
        events.append("rename")
        real_replace(src, dst)

    monkeypatch.setattr(storage.os, "replace", replace)
    commit(plans_for(tmp_path, 10))
    assert events == ["flush 10"] + ["rename"] * 10


def test_a_failing_plan_writes_nothing_and_leaves_no_temporary(tmp_path: Path) -> None:
    plans = plans_for(tmp_path, 12)
    for plan in plans:
        plan.path.write_bytes(b"old\n")
        plan.before = b"old\n"
    plans[5].before = b"something else"  # changed since planned: recomputed ...

    def redo(now: bytes | None) -> bytes:
        raise CatalogError("cannot merge", path=plans[5].path)  # ... and that fails

    plans[5].redo = redo
    with pytest.raises(CatalogError):
        commit(plans)
    assert {p.path.read_bytes() for p in plans} == {b"old\n"}
    assert not list(tmp_path.glob(".*.tmp"))


def test_unchanged_plans_are_not_written(tmp_path: Path) -> None:
    (tmp_path / "c00.po").write_bytes(b"new 0\n")
    plans = plans_for(tmp_path, 2)
    plans[0].before = None  # planned as new, but the file already holds those bytes
    assert commit(plans) == [tmp_path / "c01.po"]


def _hold_lock(path: str, ready: Callable[[], None], release: Callable[[], bool]) -> None:
    with locked(path):
        ready()
        release()


def test_temporaries_of_a_commit_in_progress_are_not_stale(tmp_path: Path) -> None:
    """A commit writes its temporaries unlocked, under its directory's lock: a cleaner in
    another process waits for that lock to be free before calling anything stale."""
    catalog = tmp_path / "es" / "a.po"
    catalog.parent.mkdir()
    temporary = catalog.parent / ".a.po.abcd1234.tmp"
    temporary.write_bytes(b"half")
    old = time.time() - 60
    os.utime(temporary, (old, old))
    context = multiprocessing.get_context("fork")
    ready, release = context.Event(), context.Event()
    holder = context.Process(target=_hold_lock,
                             args=(str(catalog), ready.set, lambda: release.wait(30)))
    holder.start()
    try:
        assert ready.wait(30)
        assert remove_stale_temporaries(tmp_path) == []
        assert temporary.exists()
    finally:
        release.set()
        holder.join(30)
    assert remove_stale_temporaries(tmp_path) == [temporary]
    assert not temporary.exists()


def test_a_commit_writes_each_file_as_it_comes_and_nothing_if_it_fails(tmp_path: Path) -> None:
    """Temporaries are written at add() (their bytes are not kept); leaving the block
    without finish() removes them, and the folders made for them."""
    from locflow.catalog.storage import Commit

    target = tmp_path / "new" / "es" / "a.po"
    with pytest.raises(KeyboardInterrupt), Commit() as batch:
        batch.add(PlannedWrite(target, None, b"data\n"))
        assert [p.name[:6] for p in target.parent.iterdir()] == [".a.po."]
        raise KeyboardInterrupt
    assert not (tmp_path / "new").exists()


def test_a_file_an_editor_saved_meanwhile_is_worked_out_again(tmp_path: Path) -> None:
    """An editor that does not lock saves the catalog between add() and finish(): the
    commit merges again from the editor's bytes instead of overwriting them."""
    from locflow.catalog.storage import Commit

    path = tmp_path / "a.po"
    path.write_bytes(b"old\n")
    with Commit([path]) as batch:
        batch.add(PlannedWrite(path, b"old\n", b"old+merge\n",
                               redo=lambda now: (now or b"") + b"+merge\n"))
        path.write_bytes(b"edited\n")  # (the editor)
        assert batch.finish() == [path]
    assert path.read_bytes() == b"edited\n+merge\n" and batch.redone == {path}
    assert not list(tmp_path.glob(".*.tmp"))


def test_an_unlocked_commit_holds_no_file_open_per_folder(tmp_path: Path) -> None:
    """(A build writes a folder per page: thousands of directory locks would be thousands of
    open files.) Without locks, nothing stays open, and the files are written all the same."""
    plans = [PlannedWrite(tmp_path / f"page{n:03d}" / "index.html", None, b"page %d" % n)
             for n in range(300)]
    opened = len(os.listdir("/proc/self/fd"))
    from locflow.catalog.storage import Commit

    with Commit(lock=False) as batch:
        batch.add_all(plans)
        assert len(os.listdir("/proc/self/fd")) < opened + 10
        assert len(batch.finish()) == 300
    assert (tmp_path / "page299" / "index.html").read_bytes() == b"page 299"
