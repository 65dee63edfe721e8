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
from pathlib import Path

from .errors import PathError, excerpt

__all__ = ["in_vcs_folder", "inside", "plain_name", "validate_path_text"]

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


def inside(root: str | Path, path: str | Path, what: str = "path") -> Path:
    """*path* (relative to *root*, or absolute), checked to resolve inside *root*.

    Every symbolic link on the way is followed, dangling ones too (their target is
    where a write would land). Raises :class:`PathError` if the result is not
    *root* or below it, if *path* holds a NUL, or if the links loop. (Other control
    characters are legal in file names: reports escape them; configured paths are
    refused them by :func:`validate_path_text`.) Returns the
    unresolved path (``root / path`` for a relative one).
    """
    text = os.fspath(path)
    if "\0" in text:  # no file has one; the OS would raise ValueError
        raise PathError(f"{what} {excerpt(text)} contains a NUL character")
    lexical = Path(text) if os.path.isabs(text) else Path(root) / text
    real_root = os.path.realpath(root)
    try:
        label = lexical.relative_to(root).as_posix()
    except ValueError:
        label = str(lexical)
    try:
        real = Path(lexical).resolve()
    except (RuntimeError, OSError):  # a symlink loop (3.11: RuntimeError)
        raise PathError(f"{what} is a symbolic link loop", path=label) from None
    if not real.is_relative_to(real_root):
        raise PathError(
            f"{what} resolves outside the project (a symbolic link?); refusing to use it",
            path=label,
        )
    if in_vcs_folder(real.relative_to(real_root)):
        raise PathError(f"{what} is inside version-control data; refusing to use it",
                        path=label)
    # A file stays in its top folder: a catalog linked to ../../locflow.toml is inside the
    # project, but a sync must not overwrite the settings (or an article) with it.
    parts = Path(label).parts if not os.path.isabs(label) else ()
    if len(parts) > 1:
        top = os.path.realpath(Path(root) / parts[0])
        if not real.is_relative_to(top):
            raise PathError(f"{what} resolves outside {parts[0]}/ (a symbolic link?); "
                            "refusing to use it", path=label)
    return lexical
