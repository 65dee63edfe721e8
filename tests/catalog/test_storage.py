"""Planned writes: one durability barrier per commit, and what a crash or a
concurrent cleaner may see while a commit is under way."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import stat
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from locflow.catalog import locks, storage
from locflow.catalog.storage import (
    PlannedWrite,
    commit,
    deferred_directory_sync,
    locked,
    remove_stale_temporaries,
)
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


def test_files_in_many_folders_share_one_barrier_for_their_renames_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """(A build writes a folder per page.) Making the renames durable is one syncfs too,
    not an fsync per folder; a few folders are fsynced each."""
    syncfs_calls, file_fsyncs = record_barriers(monkeypatch)
    folder_fsyncs: list[int] = []
    counting = storage.os.fsync

    def fsync(fd: int) -> None:
        if os.path.isdir(f"/proc/self/fd/{fd}"):
            folder_fsyncs.append(fd)
        counting(fd)

    monkeypatch.setattr(storage.os, "fsync", fsync)
    plans = [PlannedWrite(tmp_path / f"page{n:02d}" / "index.html", None, b"page %d" % n)
             for n in range(20)]
    with deferred_directory_sync():
        assert len(commit(plans)) == 20
    assert len(syncfs_calls) == 2 and file_fsyncs == [] and folder_fsyncs == []
    commit([PlannedWrite(tmp_path / f"page{n:02d}" / "index.html", None, b"again")
            for n in range(3)])
    assert len(syncfs_calls) == 2 and len(folder_fsyncs) == 3 and len(file_fsyncs) == 3


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


# ---------------------------------------------------------------- one file at a time

def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob(".*.tmp"))


def test_a_read_only_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    path.write_bytes(b"old\n")
    path.chmod(0o444)
    with pytest.raises(CatalogError) as raised:
        storage.save_atomic(path, b"new\n")
    assert str(raised.value) == (f"{path}: read-only file: not replacing it "
                                 "(make it writable to update it)")
    assert path.read_bytes() == b"old\n" and temporaries(tmp_path) == []
    assert storage.save_atomic(path, b"old\n") is False  # unchanged: nothing to refuse


def test_a_read_only_file_refuses_the_whole_commit(tmp_path: Path) -> None:
    plans = plans_for(tmp_path, 3)
    for plan in plans:
        plan.path.write_bytes(b"old\n")
    plans[2].path.chmod(0o400)
    with pytest.raises(CatalogError, match="read-only file") as raised:
        commit(plans)
    assert raised.value.path == str(plans[2].path)
    assert {plan.path.read_bytes() for plan in plans} == {b"old\n"}
    assert temporaries(tmp_path) == []


def test_check_writable(tmp_path: Path) -> None:
    storage.check_writable(tmp_path / "missing.po")  # a new file may be written
    (tmp_path / "file").write_bytes(b"")
    with pytest.raises(CatalogError) as raised:
        storage.check_writable(tmp_path / "file" / "a.po")
    assert str(raised.value) == f"{tmp_path / 'file' / 'a.po'}: cannot write: Not a directory"
    (tmp_path / "a.po").write_bytes(b"")
    (tmp_path / "a.po").chmod(0o644)
    storage.check_writable(tmp_path / "a.po")
    (tmp_path / "a.po").chmod(0o200)  # writable, though not readable
    storage.check_writable(tmp_path / "a.po", (tmp_path / "a.po").stat())


def test_a_path_through_a_file_is_an_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "file").write_bytes(b"")
    path = tmp_path / "file" / "a.po"
    with pytest.raises(CatalogError) as raised:
        storage.save_atomic(path, b"x")
    assert str(raised.value) == f"{path}: cannot write catalog: Not a directory"


def test_a_folder_that_cannot_be_made_is_an_error_naming_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def mkdir(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(storage.Path, "mkdir", mkdir)
    path = tmp_path / "es" / "a.po"
    with pytest.raises(CatalogError) as raised:
        storage.save_atomic(path, b"x")
    assert str(raised.value) == f"{path}: cannot create directory: Permission denied"


def test_no_room_for_the_temporary_is_an_error_naming_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def mkstemp(**kwargs: object) -> tuple[int, str]:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage.tempfile, "mkstemp", mkstemp)
    path = tmp_path / "a.po"
    with pytest.raises(CatalogError) as raised:
        storage.save_atomic(path, b"x")
    assert str(raised.value) == f"{path}: cannot write catalog: No space left on device"


def test_short_writes_are_continued(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_write = os.write
    monkeypatch.setattr(storage.os, "write", lambda fd, data: real_write(fd, data[:3]))
    data = bytes(range(256)) * 3
    assert storage.save_atomic(tmp_path / "a.po", data) is True
    assert (tmp_path / "a.po").read_bytes() == data


def test_a_failure_while_staging_removes_the_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An OSError becomes the CatalogError naming the file; anything else (Ctrl-C)
    goes on as it is. Either way the temporary is gone and the file untouched."""
    failures: list[BaseException] = [OSError(5, "Input/output error"), KeyboardInterrupt()]

    def fchmod(fd: int, mode: int) -> None:
        raise failures.pop(0)

    monkeypatch.setattr(storage.os, "fchmod", fchmod)
    path = tmp_path / "a.po"
    path.write_bytes(b"old\n")
    with pytest.raises(CatalogError) as raised:
        storage.save_atomic(path, b"new\n")
    assert str(raised.value) == f"{path}: cannot write catalog: Input/output error"
    assert path.read_bytes() == b"old\n" and temporaries(tmp_path) == []
    with pytest.raises(KeyboardInterrupt):
        storage.save_atomic(path, b"new\n")
    assert path.read_bytes() == b"old\n" and temporaries(tmp_path) == []


def record_fsyncs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What each fsync was of: "file" (a temporary) or the folder's path."""
    events: list[str] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        where = os.readlink(f"/proc/self/fd/{fd}")
        events.append(where if os.path.isdir(where) else "file")
        real_fsync(fd)

    monkeypatch.setattr(storage.os, "fsync", fsync)
    return events


def test_save_atomic_fsyncs_the_file_then_its_folder(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    events = record_fsyncs(monkeypatch)
    real_replace = os.replace
    monkeypatch.setattr(storage.os, "replace",
                        lambda src, dst: (events.append("rename"), real_replace(src, dst)))
    storage.save_atomic(tmp_path / "a.po", b"x")
    assert events == ["file", "rename", str(tmp_path)]


def test_deferred_folder_syncs_happen_once_at_the_outermost_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events = record_fsyncs(monkeypatch)
    es, fr = tmp_path / "es", tmp_path / "fr"
    with deferred_directory_sync():
        storage.save_atomic(es / "a.po", b"a")
        with deferred_directory_sync():
            storage.save_atomic(es / "b.po", b"b")
            storage.save_atomic(fr / "a.po", b"c")
        assert events == ["file"] * 3  # the inner block's end syncs nothing yet
        commit(plans_for(fr, 2))
        assert events == ["file"] * 5
    assert events[5:] == [str(es), str(fr)]
    events.clear()
    storage.save_atomic(es / "a.po", b"after")  # outside: at once again
    assert events == ["file", str(es)]


def test_deferred_folder_syncs_happen_when_the_block_raises(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events = record_fsyncs(monkeypatch)
    with pytest.raises(RuntimeError), deferred_directory_sync():
        storage.save_atomic(tmp_path / "a.po", b"a")
        raise RuntimeError
    assert events == ["file", str(tmp_path)]


def test_deferred_folder_syncs_are_per_thread(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    events = record_fsyncs(monkeypatch)
    other = threading.Thread(target=storage.save_atomic, args=(tmp_path / "b.po", b"b"))
    with deferred_directory_sync():
        other.start()
        other.join()
        assert events == ["file", str(tmp_path)]  # the other thread synced at once


@pytest.mark.parametrize(("count", "syncfs", "fsyncs"), [(8, 0, 8), (9, 1, 0)])
def test_up_to_eight_files_are_fsynced_each(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            count: int, syncfs: int, fsyncs: int) -> None:
    syncfs_calls, file_fsyncs = record_barriers(monkeypatch)
    assert len(commit(plans_for(tmp_path, count))) == count
    assert (len(syncfs_calls), len(file_fsyncs)) == (syncfs, fsyncs)


@pytest.mark.parametrize(("count", "syncfs", "fsyncs"), [(8, 0, 8), (9, 1, 0)])
def test_up_to_eight_folders_are_fsynced_each(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              count: int, syncfs: int, fsyncs: int) -> None:
    syncfs_calls: list[int] = []
    monkeypatch.setattr(storage, "_libc_syncfs",
                        lambda: lambda fd: syncfs_calls.append(fd) or 0)
    events = record_fsyncs(monkeypatch)
    folders = [tmp_path / f"f{n}" for n in range(count)]
    for folder in folders:
        folder.mkdir()
    storage._sync_directories(str(folder) for folder in reversed(folders))
    assert len(syncfs_calls) == syncfs
    assert events == [str(folder) for folder in folders][:fsyncs]  # (in order)


def test_a_failing_folder_syncfs_falls_back_to_fsync_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage, "_libc_syncfs", lambda: lambda fd: -1)
    events = record_fsyncs(monkeypatch)
    folders = [str(tmp_path / f"f{n}") for n in range(9)]
    for folder in folders:
        os.mkdir(folder)
    storage._sync_directories(folders)
    assert events == folders


def test_no_syncfs_means_fsync_each(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage, "_SYNCFS", [None])
    events = record_fsyncs(monkeypatch)
    commit(plans_for(tmp_path, 10))
    assert events == ["file"] * 10 + [str(tmp_path)]


def test_syncfs_is_looked_up_once_and_works(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage, "_SYNCFS", [])
    function = storage._libc_syncfs()
    assert function is not None  # (Linux)
    assert storage._libc_syncfs() is function
    assert len(storage._SYNCFS) == 1
    opened = len(os.listdir("/proc/self/fd"))
    assert storage._syncfs(str(tmp_path)) is True
    assert len(os.listdir("/proc/self/fd")) == opened  # closed again


# ---------------------------------------------------------------- stale temporaries

def stale(path: Path, age: float = 60) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"half")
    old = time.time() - age
    os.utime(path, (old, old), follow_symlinks=False)
    return path


def test_stale_temporaries_are_removed_and_nothing_else(tmp_path: Path) -> None:
    removed = [stale(tmp_path / ".a.po.abcd1234.tmp"),
               stale(tmp_path / "es" / "deep" / ".b.po.x_y9z0k1.tmp")]
    kept = [stale(tmp_path / ".a.po.abc.tmp"),  # not mkstemp's eight characters
            stale(tmp_path / "a.po.abcd1234.tmp"),  # not hidden
            stale(tmp_path / ".a.po.ABCD1234.tmp"),
            stale(tmp_path / ".a.po.abcd1234.tmp.orig"),
            stale(tmp_path / ".c.po.abcd1234.tmp", age=0)]  # young: maybe not locked yet
    (tmp_path / ".d.po.abcd1234.tmp").mkdir()  # a folder
    target = stale(tmp_path / "elsewhere.po")
    (tmp_path / ".e.po.abcd1234.tmp").symlink_to(target)  # a link: not followed, kept
    assert remove_stale_temporaries(tmp_path) == sorted(removed)
    assert all(path.exists() for path in kept) and not any(p.exists() for p in removed)
    assert (tmp_path / ".d.po.abcd1234.tmp").is_dir() and target.exists()
    assert (tmp_path / ".e.po.abcd1234.tmp").is_symlink()


def test_stale_temporaries_of_some_names_only(tmp_path: Path) -> None:
    mine = stale(tmp_path / ".a.po.abcd1234.tmp")
    other = stale(tmp_path / ".b.po.abcd1234.tmp")
    below = stale(tmp_path / "es" / ".a.po.abcd1234.tmp")  # only in the folder itself
    assert remove_stale_temporaries(tmp_path, names={"a.po"}) == [mine]
    assert other.exists() and below.exists()


def test_no_folder_no_temporaries(tmp_path: Path) -> None:
    assert remove_stale_temporaries(tmp_path / "missing") == []
    stale(tmp_path / "real" / ".a.po.abcd1234.tmp")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert remove_stale_temporaries(tmp_path / "link") == []  # a link is not followed
    (tmp_path / "file").write_bytes(b"")
    assert remove_stale_temporaries(tmp_path / "file") == []


def test_a_temporary_its_writer_still_holds_is_kept(tmp_path: Path) -> None:
    import fcntl

    busy = stale(tmp_path / ".a.po.abcd1234.tmp")
    done = stale(tmp_path / ".b.po.abcd1234.tmp")
    fd = os.open(busy, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # (as save_atomic holds its temporary)
        assert remove_stale_temporaries(tmp_path) == [done]
        assert busy.exists()
    finally:
        os.close(fd)
    assert remove_stale_temporaries(tmp_path) == [busy]


def test_a_temporary_that_cannot_be_removed_is_not_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = stale(tmp_path / ".a.po.abcd1234.tmp")

    def unlink(self: Path, missing_ok: bool = False) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(storage.Path, "unlink", unlink)
    assert remove_stale_temporaries(tmp_path) == []
    monkeypatch.undo()
    assert path.exists()


# ---------------------------------------------------------------- locks

def lock_is_free(folder: Path) -> bool:
    """Whether another open file description could lock *folder* now."""
    import fcntl

    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


def test_a_lock_is_held_until_the_outermost_block_ends(tmp_path: Path) -> None:
    es = tmp_path / "es"
    with locked(es / "a.po"):
        assert not lock_is_free(es)  # (the folder is made for it)
        with locked(es / "b.po"):
            assert not lock_is_free(es)
        assert not lock_is_free(es)
        assert lock_is_free(tmp_path)
    assert lock_is_free(es)
    with pytest.raises(RuntimeError), locked(es / "a.po"):
        raise RuntimeError
    assert lock_is_free(es)
    with locked(es / "a.po"):  # and it can be taken again
        assert not lock_is_free(es)


def test_a_lock_that_cannot_be_taken_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "file").write_bytes(b"")
    path = tmp_path / "file" / "a.po"
    with pytest.raises(CatalogError) as raised, locked(path):
        pass
    assert str(raised.value) == f"{path}: cannot create directory: File exists"


def test_a_commit_holds_its_folders_locks_until_it_ends(tmp_path: Path) -> None:
    es, fr = tmp_path / "es", tmp_path / "fr"
    with storage.Commit([es / "a.po"]) as batch:
        assert not lock_is_free(es) and lock_is_free(tmp_path)
        batch.add(PlannedWrite(fr / "a.po", None, b"x"))
        assert not lock_is_free(fr)
        batch.finish()
        assert not lock_is_free(es)
    assert lock_is_free(es) and lock_is_free(fr)
    with storage.Commit([es / "a.po"], lock=False) as batch:
        assert lock_is_free(es)
        batch.add(PlannedWrite(fr / "b.po", None, b"x"))
        assert lock_is_free(fr)
        assert batch.finish() == [fr / "b.po"]


def test_read_optional(tmp_path: Path) -> None:
    assert storage.read_optional(tmp_path / "missing.po") is None
    (tmp_path / "a.po").write_bytes(b"a")
    assert storage.read_optional(tmp_path / "a.po") == b"a"
    with pytest.raises(CatalogError) as raised:
        storage.read_optional(tmp_path)
    assert str(raised.value) == f"{tmp_path}: cannot read: Is a directory"


# ---------------------------------------------------------------- commits

def test_a_planned_write_changes_only_with_other_bytes(tmp_path: Path) -> None:
    assert PlannedWrite(tmp_path / "a", None, b"").changed
    assert PlannedWrite(tmp_path / "a", b"x", b"y").changed
    assert not PlannedWrite(tmp_path / "a", b"x", b"x").changed
    assert commit([PlannedWrite(tmp_path / "a", b"x", b"x")]) == []
    assert not (tmp_path / "a").exists()


def test_a_file_unchanged_since_planned_is_not_worked_out_again(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    path.write_bytes(b"old\n")

    def redo(now: bytes | None) -> bytes:
        raise AssertionError("the file did not change")

    with storage.Commit() as batch:
        batch.add(PlannedWrite(path, b"old\n", b"new\n", redo=redo))
        assert batch.finish() == [path]
    assert path.read_bytes() == b"new\n" and batch.redone == set()
    missing = tmp_path / "b.po"
    assert commit([PlannedWrite(missing, None, b"new\n", redo=redo)]) == [missing]


def test_a_file_worked_out_again_to_what_it_holds_is_not_written(tmp_path: Path) -> None:
    path, other = tmp_path / "a.po", tmp_path / "b.po"
    path.write_bytes(b"old\n")
    with storage.Commit([path]) as batch:
        batch.add_all([PlannedWrite(path, b"old\n", b"merged\n", redo=lambda now: now or b""),
                       PlannedWrite(other, None, b"b\n")])
        path.write_bytes(b"edited\n")
        os.utime(path, (1_000_000, 1_000_000))
        assert batch.finish() == [other]
    assert path.read_bytes() == b"edited\n" and path.stat().st_mtime == 1_000_000
    assert batch.redone == {path} and temporaries(tmp_path) == []


def test_a_file_deleted_meanwhile_is_worked_out_from_nothing(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    path.write_bytes(b"old\n")
    seen: list[bytes | None] = []
    with storage.Commit([path]) as batch:
        batch.add(PlannedWrite(path, b"old\n", b"new\n",
                               redo=lambda now: seen.append(now) or b"fresh\n"))
        path.unlink()
        assert batch.finish() == [path]
    assert seen == [None] and path.read_bytes() == b"fresh\n"


def test_the_first_file_that_fails_is_named_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plans = plans_for(tmp_path, 12)
    real_fchmod = os.fchmod

    def fchmod(fd: int, mode: int) -> None:  # (the temporaries are written in threads)
        if os.readlink(f"/proc/self/fd/{fd}").split("/")[-1][:5] in (".c04.", ".c09."):
            raise OSError(28, "No space left on device")
        real_fchmod(fd, mode)

    monkeypatch.setattr(storage.os, "fchmod", fchmod)
    with pytest.raises(CatalogError) as raised:
        commit(plans)
    assert str(raised.value) == f"{plans[4].path}: cannot write catalog: No space left on device"
    assert list(tmp_path.iterdir()) == []


def test_a_rename_that_fails_is_named_the_others_are_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plans = plans_for(tmp_path / "es", 12)
    real_replace = os.replace

    def replace(src: str, dst: str) -> None:
        if os.path.basename(dst) in ("c03.po", "c07.po"):
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(storage.os, "replace", replace)
    with pytest.raises(CatalogError) as raised:
        commit(plans)
    assert str(raised.value) == f"{plans[3].path}: cannot write catalog: No space left on device"
    assert sorted(p.name for p in (tmp_path / "es").iterdir()) == [
        f"c{n:02d}.po" for n in range(12) if n not in (3, 7)]  # and no temporary


def test_a_commit_through_a_symbolic_link_replaces_its_target(tmp_path: Path) -> None:
    real = tmp_path / "real" / "a.po"
    real.parent.mkdir()
    real.write_bytes(b"old\n")
    (tmp_path / "es").mkdir()
    link = tmp_path / "es" / "a.po"
    link.symlink_to(real)
    folder_link = tmp_path / "fr"
    folder_link.symlink_to(tmp_path / "real")
    with storage.Commit() as batch:
        batch.add_all([PlannedWrite(link, b"old\n", b"new\n"),
                       PlannedWrite(folder_link / "b.po", None, b"b\n")])
        assert not lock_is_free(tmp_path / "real") and lock_is_free(tmp_path / "es")
        batch.finish()
    assert link.is_symlink() and real.read_bytes() == b"new\n"
    assert (tmp_path / "real" / "b.po").read_bytes() == b"b\n"


def test_edit_names_a_catalog_it_cannot_read(tmp_path: Path) -> None:
    (tmp_path / "a.po").mkdir()
    with pytest.raises(CatalogError) as raised, storage.edit(tmp_path / "a.po"):
        pass
    assert str(raised.value) == f"{tmp_path / 'a.po'}: cannot read catalog: Is a directory"


# ---------------------------------------------------------------- what is left behind

def open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_no_file_is_left_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """(A sync writes thousands of catalogs: a descriptor left open per file runs out.)"""
    import fcntl

    opened = open_files()
    storage.save_atomic(tmp_path / "a.po", b"a")
    commit(plans_for(tmp_path, 3))  # fsynced one by one
    monkeypatch.setattr(storage, "_SYNCFS", [])
    commit(plans_for(tmp_path, 12))  # one syncfs
    storage._sync_directories([str(tmp_path / "x"), str(tmp_path)])  # (one cannot open)
    with locked(tmp_path / "a.po"), locked(tmp_path / "b.po"):
        pass
    path = tmp_path / "r.po"
    path.write_bytes(b"old\n")
    with storage.Commit() as batch:
        batch.add(PlannedWrite(path, b"old\n", b"new\n", redo=lambda now: b"redone\n"))
        path.write_bytes(b"edited\n")
        batch.finish()
    stale(tmp_path / ".a.po.abcd1234.tmp")
    assert len(remove_stale_temporaries(tmp_path)) == 1
    busy = stale(tmp_path / ".b.po.abcd1234.tmp")
    fd = os.open(busy, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    assert remove_stale_temporaries(tmp_path) == []
    os.close(fd)
    assert open_files() == opened
    folder = os.open(tmp_path, os.O_RDONLY)
    fcntl.flock(folder, fcntl.LOCK_EX)  # (a commit is writing there)
    assert remove_stale_temporaries(tmp_path) == []
    os.close(folder)
    assert open_files() == opened


def test_no_file_is_left_open_when_writing_fails(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage.os, "fchmod", lambda fd, mode: os.close(-1))  # EBADF
    opened = open_files()
    with pytest.raises(CatalogError, match="Bad file descriptor"):
        storage.save_atomic(tmp_path / "a.po", b"a")
    with pytest.raises(CatalogError, match="Bad file descriptor"):
        commit(plans_for(tmp_path, 10))
    assert open_files() == opened and temporaries(tmp_path) == []


def test_ctrl_c_while_a_large_commit_is_written_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_fchmod = os.fchmod
    calls: list[int] = []

    def fchmod(fd: int, mode: int) -> None:
        calls.append(fd)
        if len(calls) == 5:
            raise KeyboardInterrupt
        real_fchmod(fd, mode)

    monkeypatch.setattr(storage.os, "fchmod", fchmod)
    with pytest.raises(KeyboardInterrupt):
        commit(plans_for(tmp_path, 12))
    assert list(tmp_path.iterdir()) == []


def test_a_cleaner_leaves_the_temporary_of_save_atomic_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """save_atomic holds a lock on its temporary until the rename: a cleaner that runs
    meanwhile (in another process) sees its writer alive, however old it looks."""
    real_fsync = os.fsync
    found: list[list[Path]] = []

    def fsync(fd: int) -> None:
        for temporary in tmp_path.glob(".*.tmp"):
            os.utime(temporary, (1_000_000, 1_000_000))
        found.append(remove_stale_temporaries(tmp_path))
        real_fsync(fd)

    monkeypatch.setattr(storage.os, "fsync", fsync)
    storage.save_atomic(tmp_path / "a.po", b"data\n")
    assert found[0] == [] and (tmp_path / "a.po").read_bytes() == b"data\n"


def test_a_temporary_is_stale_two_seconds_after_its_last_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now)
    older = stale(tmp_path / ".a.po.abcd1234.tmp", age=2.5)
    stale(tmp_path / ".b.po.abcd1234.tmp", age=1.5)
    assert remove_stale_temporaries(tmp_path) == [older]


def test_a_fifo_named_like_a_temporary_is_not_opened(tmp_path: Path) -> None:
    fifo = tmp_path / ".a.po.abcd1234.tmp"
    os.mkfifo(fifo)
    old = time.time() - 60
    os.utime(fifo, (old, old))
    assert remove_stale_temporaries(tmp_path) == []  # (opening it would wait for a writer)
    assert fifo.exists()


def test_a_folder_that_cannot_be_opened_is_skipped(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    stale(tmp_path / "a" / ".a.po.abcd1234.tmp")
    mine = stale(tmp_path / "b" / ".a.po.abcd1234.tmp")
    real_open = os.open

    def open_(path: str | Path, flags: int, *args: int) -> int:
        if Path(path) == tmp_path / "a":
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args)

    monkeypatch.setattr(storage.os, "open", open_)
    assert remove_stale_temporaries(tmp_path) == [mine]


def test_a_new_file_gets_the_usual_mode(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        storage.save_atomic(tmp_path / "a.po", b"a")
        commit([PlannedWrite(tmp_path / "b.po", None, b"b")])
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.po").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "b.po").stat().st_mode) == 0o644


def test_the_umask_is_read_without_proc_too(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_proc(*args: object, **kwargs: object) -> None:
        raise FileNotFoundError(2, "No such file or directory")

    old = os.umask(0o027)
    try:
        assert storage._umask() == 0o027
        monkeypatch.setattr(storage, "open", no_proc, raising=False)
        assert storage._umask() == 0o027
        assert os.umask(0o027) == 0o027  # and it is left as it was
    finally:
        os.umask(old)


def test_a_file_mode_without_write_bits_is_read_only(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    path.write_bytes(b"old\n")
    path.chmod(0o555)
    with pytest.raises(CatalogError, match="read-only file"):
        storage.save_atomic(path, b"new\n")


def test_a_file_that_cannot_be_compared_is_an_error_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.po"
    path.write_bytes(b"old\n")

    def read_bytes(self: Path) -> bytes:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(storage.Path, "read_bytes", read_bytes)
    with pytest.raises(CatalogError) as raised:
        storage.save_atomic(path, b"new\n")
    assert str(raised.value) == f"{path}: cannot read catalog: Input/output error"


def test_a_forked_child_does_not_hold_its_parents_locks(tmp_path: Path) -> None:
    """The child shares the locked descriptor: were it to think it held the lock, its
    unlock would free the parent's."""
    with locked(tmp_path / "a.po"):
        pid = os.fork()
        if pid == 0:  # the child
            os._exit(0 if storage._dir_locks == {} else 1)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert not lock_is_free(tmp_path)


def test_a_lock_is_released_though_a_child_shares_its_descriptor(tmp_path: Path) -> None:
    """A process forked while a lock is held keeps a copy of the descriptor: closing ours
    alone would leave the folder locked until the child ends."""
    read_end, write_end = os.pipe()
    with locked(tmp_path / "a.po"):
        pid = os.fork()
        if pid == 0:  # the child: waits, holding its copies of every descriptor
            os.close(write_end)
            os.read(read_end, 1)
            os._exit(0)
    try:
        assert lock_is_free(tmp_path)
    finally:
        os.close(write_end)
        os.close(read_end)
        os.waitpid(pid, 0)


def test_a_folder_that_cannot_be_locked_is_an_error_naming_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def open_(path: str, flags: int) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(storage.os, "open", open_)
    with pytest.raises(CatalogError) as raised, locked(tmp_path / "a.po"):
        pass
    assert str(raised.value) == f"{tmp_path / 'a.po'}: cannot lock directory: Permission denied"


def test_ctrl_c_while_waiting_for_a_lock(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import fcntl

    real_flock = fcntl.flock

    def flock(fd: int, operation: int) -> None:
        raise KeyboardInterrupt

    opened = open_files()
    monkeypatch.setattr(storage.fcntl, "flock", flock)
    with pytest.raises(KeyboardInterrupt), locked(tmp_path / "a.po"):
        pass
    assert open_files() == opened
    monkeypatch.setattr(storage.fcntl, "flock", real_flock)
    with locked(tmp_path / "a.po"):  # not believed held
        assert not lock_is_free(tmp_path)


def test_commit_locks_the_folders_it_writes(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    free: list[bool] = []
    real_flush = storage._flush
    monkeypatch.setattr(storage, "_flush", lambda staged: (
        free.append(lock_is_free(tmp_path / "es")), real_flush(staged)))
    commit([PlannedWrite(tmp_path / "es" / "a.po", None, b"a")])
    assert free == [False] and lock_is_free(tmp_path / "es")


def test_a_commit_that_cannot_lock_its_folders_holds_none(tmp_path: Path) -> None:
    (tmp_path / "file").write_bytes(b"")
    with pytest.raises(CatalogError, match="cannot create directory") as raised:
        storage.Commit([tmp_path / "es" / "a.po", tmp_path / "file" / "x" / "a.po"])
    assert lock_is_free(tmp_path / "es")  # at once, not once the half-made commit is freed
    del raised


def test_a_plan_that_changes_nothing_writes_nothing(tmp_path: Path) -> None:
    """(Though the file changed since it was planned: the plan is not a copy of it.)"""
    path = tmp_path / "a.po"
    path.write_bytes(b"edited\n")
    with storage.Commit() as batch:
        batch.add(PlannedWrite(path, b"old\n", b"old\n"))
        assert batch.finish() == []
    assert path.read_bytes() == b"edited\n"


def test_a_symbolic_link_loop_is_an_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    path.symlink_to(path)
    with pytest.raises(CatalogError) as raised:
        storage.save_atomic(path, b"x")
    assert str(raised.value) == f"{path}: cannot write catalog: Too many levels of symbolic links"
    assert temporaries(tmp_path) == []


def test_a_temporary_that_cannot_be_opened_is_not_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    busy = stale(tmp_path / ".a.po.abcd1234.tmp")
    real_open = os.open

    def open_(path: str | Path, flags: int, *args: int) -> int:
        if Path(path) == busy:
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args)

    monkeypatch.setattr(storage.os, "open", open_)
    assert remove_stale_temporaries(tmp_path) == []
    assert busy.exists()


def test_a_large_commit_writes_in_several_threads_a_small_one_in_this_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    real_fchmod = os.fchmod
    threads: list[int] = []
    two_at_once = threading.Barrier(2, timeout=30)

    guard = threading.Lock()

    def fchmod(fd: int, mode: int) -> None:
        with guard:
            threads.append(threading.get_ident())
            call = len(threads)
        if call <= 2 and len(plans) > 8:
            two_at_once.wait()  # the first two temporaries are written at the same time
        real_fchmod(fd, mode)

    monkeypatch.setattr(storage.os, "fchmod", fchmod)
    plans = plans_for(tmp_path, 8)
    assert len(commit(plans)) == 8
    assert threads == [threading.get_ident()] * 8
    threads.clear()
    plans = plans_for(tmp_path / "many", 12)
    assert len(commit(plans)) == 12 and len(threads) == 12


# -- issue 17: a lock is waited for a bounded time, then its holder is named -------------

HOLDER = """
import os, sys, time
from locflow.catalog.storage import locked
with locked(sys.argv[1]):
    if sys.argv[2] == "fork":  # a child that outlives us, sharing the descriptor
        child = os.fork()
        if child == 0:
            time.sleep(60)
            os._exit(0)
        print("child", child, flush=True)
    print("held", flush=True)
    if sys.argv[2] == "fork":
        os._exit(0)  # dies without unlocking, as kill -9 would
    time.sleep(60)
"""


def hold(folder: Path, how: str = "sleep") -> subprocess.Popen[bytes]:
    import sys

    src = str(Path(storage.__file__).parents[2])  # this locflow (a mutation run's copy)
    process = subprocess.Popen([sys.executable, "-c", HOLDER, str(folder / "a.po"), how,
                                "locflow", "-C", "site", "sync", "--all"],
                               stdout=subprocess.PIPE, start_new_session=True,
                               env={**os.environ, "PYTHONPATH": src})
    assert process.stdout is not None
    return process


def stop(process: subprocess.Popen[bytes]) -> None:
    import signal

    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


@pytest.mark.skipif(not os.path.exists("/proc/locks"), reason="Linux's lock table")
def test_a_busy_lock_is_waited_for_then_named_with_its_holder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import re

    holder = hold(tmp_path)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
        monkeypatch.setenv(locks.LOCK_WAIT_ENV, "0.4")
        start = time.monotonic()
        with pytest.raises(CatalogError) as raised, locked(tmp_path / "b.po"):
            pass
        assert 0.4 <= time.monotonic() - start < 5
        assert re.fullmatch(
            rf"{tmp_path}: is locked by pid {holder.pid} \(locflow sync, started "
            r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\); gave up after waiting 0.4 s", str(raised.value))
        assert storage._dir_locks[str(tmp_path)].fd == -1  # not believed held
    finally:
        stop(holder)
    with locked(tmp_path / "b.po"):  # free again: taken at once
        assert not lock_is_free(tmp_path)


def test_a_lock_freed_while_waiting_is_taken(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    holder = hold(tmp_path)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
        monkeypatch.setenv(locks.LOCK_WAIT_ENV, "30")
        import threading

        threading.Timer(0.3, os.killpg, [holder.pid, 9]).start()
        start = time.monotonic()
        with locked(tmp_path / "b.po"):
            assert 0.25 <= time.monotonic() - start < 5
    finally:
        stop(holder)


@pytest.mark.skipif(not os.path.exists("/proc/locks"), reason="Linux's lock table")
def test_a_lock_kept_by_a_child_of_a_dead_process_names_the_dead_one(tmp_path: Path) -> None:
    """(A child forked by code other than locflow's still holds what it inherited.)"""
    import fcntl

    fd = os.open(tmp_path, os.O_RDONLY | os.O_DIRECTORY)
    pid = os.fork()
    if pid == 0:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            child = os.fork()  # raw: no at-fork hook knows this descriptor
            if child == 0:
                time.sleep(3)
        finally:
            os._exit(0)
    os.close(fd)
    os.waitpid(pid, 0)
    assert locks.lock_holder(tmp_path) == (
        f"pid {pid} (no longer running; a process it started still holds the lock)")


def test_a_lock_held_when_a_process_forks_dies_with_the_process(tmp_path: Path) -> None:
    """A pool worker forked by a sync holding a catalog folder's lock must not keep it
    when the sync is killed: the next run would wait for the worker."""
    holder = hold(tmp_path, "fork")
    try:
        assert holder.stdout is not None
        child = int(holder.stdout.readline().split()[1])
        assert holder.stdout.readline() == b"held\n"
        holder.wait()
        assert os.path.exists(f"/proc/{child}")  # the child lives on ...
        deadline = time.monotonic() + 2  # (once it has run its at-fork hook)
        while not lock_is_free(tmp_path) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert lock_is_free(tmp_path)  # ... and does not hold the lock
    finally:
        stop(holder)


def test_who_holds_a_lock_that_nobody_holds(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    assert locks.lock_holder(tmp_path) == "another process"
    assert locks.lock_holder(tmp_path / "missing") == "another process"
    real_open = open

    def no_proc(path: object, *args: object, **kwargs: object) -> object:
        if str(path).startswith("/proc/"):
            raise FileNotFoundError(path)
        return real_open(path, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", no_proc)
    assert locks.lock_holder(tmp_path) == "another process"
    assert locks._process(os.getpid()) == (None, "")


@pytest.mark.parametrize("args, shown", [
    (["/venv/bin/python3", "/venv/bin/locflow", "-C", "site", "review", "approve", "--all"],
     "locflow review approve"),
    (["python", "-m", "locflow", "sync"], "locflow sync"),
    (["locflow", "-C", "a", "-C", "b", "status", "es"], "locflow status es"),
    (["locflow", "check", "locales/es/x.po"], "locflow check"),
    (["locflow", "--help"], "locflow"),
    (["locflow"], "locflow"),
    (["/usr/bin/git", "merge", "--token=s3cret"], "git"),
    (["/usr/bin/evil name\x1b[31m"], "a program"),
    ([], "a program"),
])
def test_a_holders_command_is_shown_without_its_arguments(args: list[str], shown: str) -> None:
    assert locks._command(args) == shown


def test_the_lock_wait_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(locks.LOCK_WAIT_ENV, raising=False)
    assert locks.lock_wait() == locks.LOCK_WAIT == 60
    for given, wait in (("2.5", 2.5), ("0", 0.0), (" 7 ", 7.0), ("-1", 60), ("inf", 60),
                        ("nan", 60), ("soon", 60), ("", 60)):
        monkeypatch.setenv(locks.LOCK_WAIT_ENV, given)
        assert locks.lock_wait() == wait, given
