"""Every path locflow reads or writes resolves inside the project.

The repository is untrusted input: anyone who can push to it (or to a fork CI
builds) can commit a symbolic link. ``locales/templates/articles/x.pot ->
../../../../.bashrc`` would make ``sync`` overwrite a file beside the project,
``locales/es/articles/x.po -> /proc/self/environ`` would make ``check`` read the
CI's secrets. So no file is opened by a path that has not passed :func:`inside`:

* :class:`~locflow.config.Project`'s layout (``content_dir``, ``article_catalog()``,
  ``out_dir``, ...) and :meth:`~locflow.config.Project.path` return checked paths;
  new stages (a glossary, ``.locflow/`` caches, translation memory) get theirs from
  ``project.path("glossary", name)`` the same way, never ``project.root / ...``.
* Files found by listing a folder (``glob``, ``iterdir``) go through
  :meth:`~locflow.config.Project.checked` (or :func:`inside`) before they are read.

A link that stays inside its top folder (``locales/``, ``content/``, ...) is fine;
a link out of the project or into another top folder (``locales/x.po ->
../locflow.toml``), a dangling link whose target would be there, a loop, a path
into ``.git``, or a NUL byte is a
:class:`~locflow.errors.PathError` (exit 2) naming the path as the project spells
it. The path returned is the one given (not the resolved target), so messages
show the names the user knows; opening it follows the same links that were checked.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import PathError, excerpt

__all__ = ["in_vcs_folder", "inside", "plain_name", "plain_relative", "validate_path_text"]

# Folders a build may never write into, wherever they are.
_VCS_FOLDERS = frozenset({".git", ".hg", ".svn", ".bzr", "_darcs", ".jj"})


def in_vcs_folder(path: Path) -> bool:
    """Whether *path* is (inside) a version-control folder: ``.git``, ``.hg``, ..."""
    return any(part in _VCS_FOLDERS for part in path.parts)


def validate_path_text(value: str, what: str) -> str:
    """Refuse a configured path with a NUL or another control character in it."""
    if any(ord(c) < 0x20 or c == "\x7f" for c in value):
        raise PathError(f"{what} {excerpt(value)} contains a control character")
    return value


def plain_name(value: str, what: str) -> str:
    """A single file or folder name (no ``/``, ``..``, NUL): a slug or locale as a folder."""
    validate_path_text(value, what)
    if not value or value in (".", "..") or "/" in value or "\\" in value:
        raise PathError(f"{what} {excerpt(value)} is not a plain name")
    return value


_real_roots: dict[str, tuple[int, int, str]] = {}  # root → (device, inode, realpath)


def _real_root(root: str | Path) -> str:
    """``realpath(root)``, remembered while *root* is the same directory (its device and
    inode): every path of a command is checked against the same root."""
    key = os.fspath(root)
    try:
        info = os.stat(key)
    except OSError:
        return os.path.realpath(key)
    kept = _real_roots.get(key)
    if kept is not None and kept[:2] == (info.st_dev, info.st_ino):
        return kept[2]
    real = os.path.realpath(key)
    if len(_real_roots) > 64:
        _real_roots.clear()
    _real_roots[key] = (info.st_dev, info.st_ino, real)
    return real


def _resolve_below(real_root: str, parts: tuple[str, ...]) -> str | None:
    """Where *parts* (below the resolved root) lead, if no link or ``..`` is on the way
    (one ``lstat`` per existing component, where ``realpath`` walks from ``/``); None
    when there is one: the caller resolves the whole path the slow, general way."""
    current = real_root
    for index, part in enumerate(parts):
        if part in ("..", "."):
            return None
        candidate = current + os.sep + part
        try:
            mode = os.lstat(candidate).st_mode
        except FileNotFoundError:
            # nothing below exists, so no link either: the path is as written
            rest = parts[index + 1:]
            return os.path.join(candidate, *rest) if not {"..", "."} & set(rest) else None
        except OSError:
            return None
        if stat.S_ISLNK(mode):
            return None
        current = candidate
    return current


def plain_relative(root: str | Path, path: str | Path) -> str | None:
    """*path* relative to *root* (POSIX) if it is plainly inside: below it with no link,
    ``..`` or ``.`` on the way, so resolving it changes nothing; None otherwise."""
    text, base = os.fspath(path), os.fspath(root)
    if _plainly_inside(base, text) is None or _real_root(base) != base:
        return None
    relative = text[len(base.rstrip(os.sep)) + 1:] if os.path.isabs(text) else text
    return relative.replace(os.sep, "/")


def _plainly_inside(root: str, text: str) -> Path | None:
    """The common case, quickly: *text* names a path below *root* with no link, ``..``,
    ``.``, empty or version-control component on the way; None for anything else (the
    general check then decides, and words its error)."""
    if os.path.isabs(text):
        prefix = root.rstrip(os.sep) + os.sep
        if not text.startswith(prefix):
            return None
        relative = text[len(prefix):]
    else:
        relative = text
    parts = tuple(relative.split(os.sep))
    if (not relative or "\0" in relative or any(part in ("", ".", "..") for part in parts)
            or not _VCS_FOLDERS.isdisjoint(parts)):
        return None
    if _resolve_below(_real_root(root), parts) is None:
        return None
    return Path(text) if os.path.isabs(text) else Path(root, relative)


def _named_parts(root: str, lexical: str) -> tuple[str, ...]:
    """The components of the absolute *lexical* below *root*, ``.`` and ``..`` folded as
    written: the top folder a path names (``locales/../content/x`` names ``content/``);
    ``()`` for *root* itself or a path not below it."""
    normal, base = os.path.abspath(lexical), os.path.abspath(root)
    prefix = base.rstrip(os.sep) + os.sep
    if not normal.startswith(prefix):
        return ()
    return tuple(normal[len(prefix):].split(os.sep))


def _check_top_folder(root: str, real_root: str, named: tuple[str, ...], real: Path,
                      label: str, what: str) -> None:
    """A file stays in the top folder its path names (``locales/``, ``content/``, ...),
    and a top folder is a real folder: ``locales -> .`` would put the whole project,
    ``locflow.toml`` included, inside ``locales/``."""
    top = named[0]
    if os.path.islink(os.path.join(root, top)):
        if len(named) > 1:
            raise PathError("top folder is a symbolic link (a top folder must be a real "
                            f"folder); refusing to use the {what} in it", path=top)
        # a top-level file may be a link to a file beside it (never a folder, never deeper)
        if real.parent != Path(real_root) or real.is_dir():
            raise PathError(f"{what} is a symbolic link to a folder or into one (a top "
                            "folder must be a real folder); refusing to use it", path=label)
    elif not real.is_relative_to(os.path.join(real_root, top)):
        # a catalog linked to ../../locflow.toml is inside the project, but a sync must not
        # overwrite the settings (or an article) with it (a top-level name is its own top
        # folder: it leaves it only by a link followed by "..")
        raise PathError(f"{what} resolves outside {top}/ (a symbolic link?); "
                        "refusing to use it", path=label)


def inside(root: str | Path, path: str | Path, what: str = "path") -> Path:
    """*path* (relative to *root*, or absolute), checked to resolve inside *root*.

    Every symbolic link on the way is followed, dangling ones too (their target is
    where a write would land). Raises :class:`PathError` if the result is not
    *root* or below it, if *path* holds a NUL, or if the links loop; if it leaves the
    top folder it names (``locales/x.pot -> ../locflow.toml``), or if that top folder
    is itself a symbolic link (a top-level name may only link to a file beside it).
    (Other control characters are legal in file names: reports escape them; configured
    paths are refused them by :func:`validate_path_text`.) Returns the
    unresolved path (``root / path`` for a relative one).
    """
    text, base = os.fspath(path), os.fspath(root)
    fast = _plainly_inside(base, text)
    if fast is not None:
        return fast
    if "\0" in text:  # no file has one; the OS would raise ValueError
        raise PathError(f"{what} {excerpt(text)} contains a NUL character")
    lexical = Path(text) if os.path.isabs(text) else Path(base, text)
    real_root = _real_root(base)
    try:
        label = lexical.relative_to(base).as_posix()
    except ValueError:
        label = str(lexical)
    parts = Path(label).parts if not os.path.isabs(label) else ()
    found = _resolve_below(real_root, parts) if parts else None
    if found is None:  # a link on the way (or "..", or an absolute path): resolve it all
        try:
            real = lexical.resolve()
        except (RuntimeError, OSError):  # a symlink loop (3.11: RuntimeError)
            raise PathError(f"{what} is a symbolic link loop", path=label) from None
    else:
        real = Path(found)
    if not real.is_relative_to(real_root):
        raise PathError(
            f"{what} resolves outside the project (a symbolic link?); refusing to use it",
            path=label,
        )
    if in_vcs_folder(real.relative_to(real_root)):
        raise PathError(f"{what} is inside version-control data; refusing to use it",
                        path=label)
    named = _named_parts(base, os.fspath(lexical))
    if named:
        _check_top_folder(base, real_root, named, real, label, what)
    return lexical
