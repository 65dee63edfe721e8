"""Safe storage of catalogs: atomic writes, locks across processes, planned writes.

A write goes to a temporary file beside the target and is renamed over it, so after a
crash a catalog is the old or the new version, never a mix; :func:`locked` and
:func:`edit` serialize read-modify-write across processes; :func:`commit` writes a
command's planned changes only once every one of them has been worked out.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import stat
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from ..errors import CatalogError
from .entry import Catalog
from .locks import acquire
from .reader import parse
from .writer import dump


def _umask() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    # Not thread-safe (briefly sets the umask), hence only the fallback.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def check_writable(path: str | Path, st: os.stat_result | None = None) -> None:
    """Raise :class:`CatalogError` if the existing file at *path* is read-only.

    A rename would replace a read-only file as easily as any other (only the folder's
    permission counts), so the file's own write permission is checked first, the way
    editors do: mode 444 means "do not change this". The mode bits are read as well as
    ``access()``, so the answer is the same for root. A missing file is writable.
    """
    try:
        if st is None:
            st = os.stat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise CatalogError(f"cannot write: {exc.strerror or exc}", path=path) from None
    if not st.st_mode & 0o222 or not os.access(path, os.W_OK):
        raise CatalogError("read-only file: not replacing it (make it writable to update it)",
                           path=path)


def save_atomic(path: str | Path, data: bytes) -> bool:
    """Write *data* to *path* atomically; return False (and write nothing) if unchanged.

    A temporary file in the same directory is written, fsynced, given the existing file's
    permissions (``0o666 & ~umask`` for a new file) and renamed over the target, so
    readers and crashes see the old or the new content, never a mix. Parent directories
    are created. A symlink at *path* is followed (its target is replaced, the link kept):
    callers check paths with :mod:`locflow.paths` first. A read-only file is refused
    (:func:`check_writable`). Many files are written faster with :func:`commit`.
    """
    staged = _stage(path, data, hold_lock=True)
    if staged is None:
        return False
    with _discarded_on_error(staged, path):
        os.fsync(staged.fd)
        os.replace(staged.temporary, staged.target)
    staged.close()
    # Make the rename itself durable (now, or once at the end of a batch).
    pending = getattr(_deferred, "dirs", None)
    if pending is not None:
        pending.add(str(staged.target.parent))
    else:
        _fsync_directory(str(staged.target.parent))
    return True


@dataclass(slots=True)  # (a large commit holds thousands)
class _Staged:
    """A temporary file written beside its target, not yet renamed over it."""

    target: Path
    temporary: str
    fd: int  # -1 once closed; while open it holds the temporary's lock

    def close(self) -> None:
        if self.fd >= 0:
            fd, self.fd = self.fd, -1
            os.close(fd)

    def discard(self) -> None:
        self.close()
        with contextlib.suppress(OSError):
            os.unlink(self.temporary)


def _stage(path: str | Path, data: bytes, *, hold_lock: bool,
           real: str | None = None) -> _Staged | None:
    """Write *data* to a temporary file beside *path* (not fsynced, not renamed); None
    if the file already holds exactly *data*. With *hold_lock*, the temporary stays open
    and ``flock``-ed (see :func:`remove_stale_temporaries`); without, it is closed and
    the caller holds the directory's :func:`locked` until it is renamed or removed.
    *real* is ``os.path.realpath(path)`` if the caller knows it."""
    target = Path(real if real is not None else os.path.realpath(path))
    try:
        st = target.stat()
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CatalogError(f"cannot create directory: {exc.strerror or exc}",
                               path=path) from None
    except OSError as exc:
        raise CatalogError(f"cannot write catalog: {exc.strerror or exc}", path=path) from None
    else:
        mode = stat.S_IMODE(st.st_mode)
        if st.st_size == len(data):
            try:
                if target.read_bytes() == data:
                    return None
            except OSError as exc:
                raise CatalogError(f"cannot read catalog: {exc.strerror or exc}",
                                   path=path) from None
        check_writable(path, st)
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise CatalogError(f"cannot write catalog: {exc.strerror or exc}", path=path) from None
    staged = _Staged(target, tmp, fd)
    with _discarded_on_error(staged, path):
        # Held until the rename: remove_stale_temporaries() leaves a locked temporary alone
        # (its writer is alive); a killed writer's lock is gone with it.
        fcntl.flock(fd, fcntl.LOCK_EX)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fchmod(fd, mode)
        if not hold_lock:
            staged.close()
    return staged


@contextlib.contextmanager
def _discarded_on_error(staged: _Staged, path: str | Path) -> Iterator[None]:
    """If the block fails, the temporary is removed; an OSError becomes a CatalogError."""
    try:
        yield
    except BaseException as exc:
        staged.discard()
        if isinstance(exc, OSError):
            raise CatalogError(f"cannot write catalog: {exc.strerror or exc}",
                               path=path) from exc
        raise


#: Up to this many files, fsync each; beyond, one ``syncfs`` per file system is cheaper.
_FSYNC_EACH_UP_TO = 8
_WRITERS = 4  # threads creating and renaming files in a large commit
_CHUNK = 512  # files handed to them at a time


T = TypeVar("T")
R = TypeVar("R")


def _each(function: Callable[[T], R], items: Sequence[T]) -> list[R | BaseException]:
    """``function(item)`` for every item (all of them, whatever fails), in a few threads
    when there are many: creating and renaming files overlap their waits for the disk
    (a rename over a file frees the old one's blocks: a journal write on ext4)."""
    def attempt(item: T) -> R | BaseException:
        try:
            return function(item)
        except BaseException as exc:  # handed to the caller, in order
            return exc

    if len(items) <= _FSYNC_EACH_UP_TO:
        return [attempt(item) for item in items]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(_WRITERS) as pool:  # a chunk at a time: a future each is held
        return [outcome for start in range(0, len(items), _CHUNK)
                for outcome in pool.map(attempt, items[start:start + _CHUNK])]


def _raise_first(outcomes: Sequence[object], paths: Sequence[Path]) -> None:
    """Raise the first failure of *outcomes* (of the files at *paths*, in order): an
    OSError as the CatalogError naming its file."""
    for outcome, path in zip(outcomes, paths, strict=True):
        if isinstance(outcome, OSError):
            raise CatalogError(f"cannot write catalog: {outcome.strerror or outcome}",
                               path=path) from outcome
        if isinstance(outcome, BaseException):
            raise outcome


def _flush(staged: list[_Staged]) -> None:
    """One durability barrier for all *staged* temporaries: once it returns, their data
    is on disk, so renaming them cannot leave a crash with a half-written catalog.

    Like git's ``core.fsyncMethod=batch``: instead of an fsync per file (each a disk
    flush), ``syncfs(2)`` flushes each file system holding them once. Where there is
    no ``syncfs`` (not Linux) or it fails, every file is fsynced.
    """
    if len(staged) > _FSYNC_EACH_UP_TO:
        devices: dict[int, str] = {}
        for item in staged:
            with contextlib.suppress(OSError):
                devices.setdefault(os.stat(item.temporary).st_dev, item.temporary)
        if len(devices) and all(_syncfs(path) for path in devices.values()):
            return
    for item in staged:
        fd = os.open(item.temporary, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _syncfs(path: str) -> bool:
    """``syncfs(2)`` on the file system holding *path*; False where it is unavailable or
    reports a write-back error (the caller then fsyncs file by file)."""
    function = _libc_syncfs()
    if function is None:
        return False
    fd = os.open(path, os.O_RDONLY)
    try:
        return bool(function(fd) == 0)
    finally:
        os.close(fd)


_SYNCFS: list[Callable[[int], int] | None] = []


def _libc_syncfs() -> Callable[[int], int] | None:
    if not _SYNCFS:
        function: Callable[[int], int] | None = None
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            function = ctypes.CDLL(None, use_errno=True).syncfs
        _SYNCFS.append(function)
    return _SYNCFS[0]


def _fsync_directory(directory: str) -> None:
    with contextlib.suppress(OSError):
        dir_fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _sync_directories(directories: Iterable[str]) -> None:
    """Make the renames in *directories* durable: an fsync of each, or, for more than a
    few (a build writes into a folder per page), one ``syncfs`` per file system."""
    folders = sorted(directories)
    if len(folders) > _FSYNC_EACH_UP_TO:
        devices: dict[int, str] = {}
        for folder in folders:
            with contextlib.suppress(OSError):
                devices.setdefault(os.stat(folder).st_dev, folder)
        if devices and all(_syncfs(path) for path in devices.values()):
            return
    for folder in folders:
        _fsync_directory(folder)


_deferred = threading.local()  # .dirs: directories whose renames await their fsync


@contextlib.contextmanager
def deferred_directory_sync() -> Iterator[None]:
    """Within, :func:`save_atomic` fsyncs each directory once, when the block ends.

    Each file is still fsynced before its rename (a crash leaves the old or the new
    catalog, never a mix); only making the renames durable waits, so a command
    writing many catalogs pays one directory fsync per directory, not per file.
    Nested blocks sync at the outermost end, also when the block raises; per thread.
    """
    if getattr(_deferred, "dirs", None) is not None:
        yield
        return
    pending: set[str] = set()
    _deferred.dirs = pending
    try:
        yield
    finally:
        _deferred.dirs = None
        _sync_directories(pending)


_TEMPORARY_RE = re.compile(r"\.(.+)\.[a-z0-9_]{8}\.tmp")
#: A temporary younger than this may be between mkstemp() and its flock(): left alone.
_TEMPORARY_GRACE = 2.0


def remove_stale_temporaries(folder: str | Path, *, names: set[str] | None = None
                             ) -> list[Path]:
    """Remove the ``.<name>.XXXXXXXX.tmp`` files :func:`save_atomic` left behind when its
    process was killed (``kill -9``, power loss), in *folder* and below; return them.
    With *names*, only those of files with these names, in *folder* itself.

    A temporary another process is still writing is kept: :func:`save_atomic` holds a
    lock on it, :func:`commit` a lock on its directory. Only regular files are removed;
    symbolic links and folders are never followed or touched.
    """
    import time

    root = Path(folder)
    if not root.is_dir() or root.is_symlink():
        return []
    removed: list[Path] = []
    now = time.time()
    found = root.glob(".*.tmp") if names is not None else root.rglob(".*.tmp")
    by_directory: dict[Path, list[Path]] = {}
    for path in sorted(found):
        match = _TEMPORARY_RE.fullmatch(path.name)
        if match is not None and (names is None or match.group(1) in names):
            by_directory.setdefault(path.parent, []).append(path)
    for directory, paths in by_directory.items():
        try:
            dir_fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        except OSError:
            continue
        try:
            fcntl.flock(dir_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(dir_fd)
            continue  # a commit is writing there: its temporaries are alive
        try:
            removed += [path for path in paths if _remove_if_stale(path, now)]
        finally:
            os.close(dir_fd)
    return removed


def _remove_if_stale(path: Path, now: float) -> bool:
    try:
        st = path.lstat()
        if not stat.S_ISREG(st.st_mode) or now - st.st_mtime < _TEMPORARY_GRACE:
            return False
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # its writer is alive
    else:
        try:
            path.unlink()
        except OSError:
            return False
        return True
    finally:
        os.close(fd)


class _DirLock:
    """Per-process state of one directory lock: reentrant within a thread, counted."""

    __slots__ = ("depth", "fd", "rlock")

    def __init__(self) -> None:
        self.rlock = threading.RLock()
        self.fd = -1
        self.depth = 0


_dir_locks: dict[str, _DirLock] = {}
_dir_locks_guard = threading.Lock()


def _reset_locks_after_fork() -> None:
    # A forked child must not believe it holds its parent's locks, nor keep them: its copy
    # of a locked descriptor would hold the lock after the parent's death (a pool worker
    # outliving a kill -9'd sync would block every later run). Closing the copy leaves
    # the parent's lock as it is (a flock goes with the last descriptor, or an unlock).
    global _dir_locks_guard
    for state in _dir_locks.values():
        if state.fd >= 0:
            with contextlib.suppress(OSError):
                os.close(state.fd)
    _dir_locks.clear()
    _dir_locks_guard = threading.Lock()


os.register_at_fork(after_in_child=_reset_locks_after_fork)


@contextlib.contextmanager
def locked(path: str | Path) -> Iterator[None]:
    """Hold an exclusive lock for read-modify-write of the catalog at *path*.

    The lock is ``flock`` on the catalog's directory (opened read-only, created if
    missing), so no lock file is left in the user's tree. It excludes other processes and
    other threads; it is reentrant in the holding thread. It covers every catalog in the
    same directory. Advisory: it only excludes code that also uses :func:`locked`.

    A lock another process holds is waited for a bounded time (a process that dies frees
    its locks; a live one that hangs must not block every later run): then a
    :class:`CatalogError` names the folder and the holder (:func:`.locks.acquire`).
    Processes forked while a lock is held do not keep it (see ``_reset_locks_after_fork``).
    """
    directory = os.path.dirname(os.path.realpath(path))
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError as exc:
        raise CatalogError(f"cannot create directory: {exc.strerror or exc}",
                           path=path) from None
    with _dir_locks_guard:
        state = _dir_locks.setdefault(directory, _DirLock())
    with state.rlock:
        if state.depth == 0:
            try:
                fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
            except OSError as exc:
                raise CatalogError(f"cannot lock directory: {exc.strerror or exc}",
                                   path=path) from None
            try:
                acquire(fd, directory)
            except BaseException:
                os.close(fd)
                raise
            state.fd = fd
        state.depth += 1
        try:
            yield
        finally:
            state.depth -= 1
            if state.depth == 0:
                fd, state.fd = state.fd, -1
                try:
                    fcntl.flock(fd, fcntl.LOCK_UN)
                finally:
                    os.close(fd)


def read_optional(path: str | Path) -> bytes | None:
    """The bytes of the file at *path*, or None if there is none; I/O errors are
    :class:`CatalogError`."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror or exc}", path=path) from None


@dataclass
class PlannedWrite:
    """A file a command will write, worked out before anything is written.

    Commands that touch several files plan every write first (reading, parsing and
    changing each file in memory, checking it may be written) and :func:`commit` only
    when all plans succeeded: a malformed third catalog leaves the first two untouched.
    """

    path: Path
    before: bytes | None  # the file's bytes when planned; None: no file yet
    after: bytes
    #: Recompute *after* from the file's current bytes, if it changed since it was read
    #: (another process wrote it in between); None: *after* does not depend on them.
    redo: Callable[[bytes | None], bytes] | None = None

    @property
    def changed(self) -> bool:
        return self.before != self.after


def commit(plans: Iterable[PlannedWrite], *, lock: bool = True) -> list[Path]:
    """Write every changed plan atomically; return the paths whose bytes changed.

    If one of the files is read-only, nothing is written. See :class:`Commit`: one
    durability barrier for all the files, no concurrent edit lost, after a crash each
    file its old or its new version (*lock*: see there).
    """
    changed = [plan for plan in plans if plan.changed]
    for plan in changed:  # a read-only file refuses the whole command, before any write
        check_writable(plan.path)
    if not changed:
        return []
    with Commit([plan.path for plan in changed], lock=lock) as batch:
        batch.add_all(changed)
        return batch.finish()


@dataclass(slots=True)
class _Pending:
    """A file of a :class:`Commit`: its temporary, and what is needed to check it."""

    path: Path
    before: str | None  # SHA-256 of the file's bytes when planned; None: no file then
    staged: _Staged
    redo: Callable[[bytes | None], bytes] | None


def _digest(data: bytes | None) -> str | None:
    return None if data is None else hashlib.sha256(data).hexdigest()


class Commit:
    """Planned writes made durable together, their bytes written as they come.

    Each :meth:`add` writes its file's new bytes to a temporary beside it at once, so a
    command writing thousands of files holds none of their bytes, only names and
    digests. Every directory involved is :func:`locked` from its first temporary to the
    last rename (those given to the constructor up front, in one order, so two commits
    cannot deadlock; others as they come). :meth:`finish` checks that each file still
    holds what it was planned from (an editor that does not lock may have saved it
    meanwhile: then it is worked out again from the new bytes, ``redo``, and no edit
    is lost), flushes every temporary with one barrier (:func:`_flush`), renames them
    and fsyncs each directory once. Leaving the block without :meth:`finish` (an error,
    Ctrl-C) removes every temporary and writes nothing.

    ``lock=False`` is for output only locflow writes, in a folder per page (a build):
    no directory is locked (a lock is an open file: thousands of folders would exhaust
    them), so the files are not protected from another writer.
    """

    def __init__(self, lock_first: Iterable[Path] = (), *, lock: bool = True) -> None:
        self._lock_folders = lock
        self._held = contextlib.ExitStack()
        self._locked: set[str] = set()
        self._created: list[str] = []  # folders made for the files: removed if it fails
        self._finished = False
        self._pending: list[_Pending] = []
        self._real_folders: dict[str, str] = {}  # folder as given → resolved (see _real)
        self.redone: set[Path] = set()  # files worked out again at finish()
        first = {os.path.dirname(self._real(path)): path for path in lock_first}
        try:
            for directory in sorted(first):
                self._lock(first[directory])
        except BaseException:
            self._held.close()
            raise

    def _real(self, path: str | Path) -> str:
        """``os.path.realpath(path)``, each folder resolved once per commit: a commit
        writes thousands of files into a few folders."""
        folder, name = os.path.split(os.fspath(path))
        real_folder = self._real_folders.get(folder)
        if real_folder is None:
            real_folder = self._real_folders[folder] = os.path.realpath(folder)
        real = os.path.join(real_folder, name)
        return os.path.realpath(real) if os.path.islink(real) else real

    def _lock(self, path: Path) -> None:
        directory = os.path.dirname(self._real(path))
        if directory not in self._locked:
            missing, parent = [], directory
            while parent and not os.path.isdir(parent):
                missing.append(parent)
                parent = os.path.dirname(parent)
            if self._lock_folders:
                self._held.enter_context(locked(path))  # (makes the folder)
            else:
                os.makedirs(directory, exist_ok=True)
            self._created += missing
            self._locked.add(directory)

    def __enter__(self) -> Commit:
        return self

    def __exit__(self, *exc: object) -> None:
        self._discard()
        try:
            self._held.close()
        finally:
            if not self._finished:  # nothing written: not even a new empty folder is left
                for folder in sorted(set(self._created), key=len, reverse=True):
                    with contextlib.suppress(OSError):
                        os.rmdir(folder)

    def _discard(self) -> None:
        for item in self._pending:
            item.staged.discard()
        self._pending = []

    def add(self, plan: PlannedWrite) -> None:
        """Write *plan*'s new bytes to a temporary (nothing if they are unchanged)."""
        self.add_all([plan])

    def add_all(self, plans: Sequence[PlannedWrite]) -> None:
        """:meth:`add` for several plans (their temporaries written in a few threads)."""
        plans = [plan for plan in plans if plan.changed]
        for plan in plans:
            check_writable(plan.path)
            self._lock(plan.path)
        outcomes = _each(lambda plan: _stage(plan.path, plan.after, hold_lock=False,
                                             real=self._real(plan.path)), plans)
        self._pending += [_Pending(plan.path, _digest(plan.before), item, plan.redo)
                          for plan, item in zip(plans, outcomes, strict=True)
                          if isinstance(item, _Staged)]
        _raise_first(outcomes, [plan.path for plan in plans])

    def finish(self) -> list[Path]:
        """Check, flush, rename; return the paths whose bytes changed."""
        pending: list[_Pending] = []
        for item in self._pending:
            now = read_optional(item.path) if item.redo is not None else None
            if item.redo is not None and _digest(now) != item.before:
                data = item.redo(now)  # changed since planned: merged again from its bytes
                self.redone.add(item.path)
                item.staged.discard()
                staged = _stage(item.path, data, hold_lock=False)
                if staged is None:  # it holds exactly that already
                    continue
                item.staged = staged
            pending.append(item)
        self._pending = pending
        _flush([item.staged for item in pending])
        renames = _each(lambda item: os.replace(item.staged.temporary, item.staged.target),
                        pending)
        for item, outcome in zip(pending, renames, strict=True):
            if isinstance(outcome, BaseException):
                item.staged.discard()
        self._pending = []
        self._finished = True  # (renamed files need their folders, whatever failed)
        _raise_first(renames, [item.path for item in pending])
        deferred = getattr(_deferred, "dirs", None)
        folders = {str(item.staged.target.parent) for item in pending}
        if deferred is not None:
            deferred.update(folders)
        else:
            _sync_directories(folders)
        return [item.path for item in pending]


@contextlib.contextmanager
def edit(path: str | Path, create: Callable[[], Catalog] | None = None) -> Iterator[Catalog]:
    """Locked read-modify-write of the catalog at *path*.

    Under :func:`locked`, loads the catalog (or calls *create* if the file does not exist
    and *create* is given; otherwise raises :class:`CatalogError`), yields it, and on normal
    exit writes ``dump(catalog)`` with :func:`save_atomic` (nothing if the bytes are the
    same). If the block raises, nothing is written.
    """
    p = Path(path)
    with locked(p):
        try:
            data = p.read_bytes()
        except FileNotFoundError:
            if create is None:
                raise CatalogError("catalog does not exist", path=p) from None
            catalog = create()
            if catalog.path is None:
                catalog.path = p
        except OSError as exc:
            raise CatalogError(f"cannot read catalog: {exc.strerror or exc}", path=p) from None
        else:
            catalog = parse(data, p)
        yield catalog
        save_atomic(p, dump(catalog))
