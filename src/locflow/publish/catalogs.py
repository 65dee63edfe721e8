"""The catalogs a build reads: an article's, a locale's interface strings."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import CatalogError

if TYPE_CHECKING:
    from ..config import Project


def read_catalog(project: Project, path: Path) -> bytes | None:
    """The bytes of the catalog at *path*, None when there is none. A catalog that is
    there but cannot be what a catalog is (empty, a link that leads nowhere, a folder,
    unreadable) is a :class:`CatalogError` (exit 2): holding its version back would
    remove the live page because of a broken input."""
    try:  # the name the project gives it (a link's, not its target's)
        where = path.relative_to(project.root).as_posix()
    except ValueError:
        where = project.relative(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        if path.is_symlink() or any(p.is_symlink() and not p.exists() for p in path.parents):
            raise CatalogError("a symbolic link that leads nowhere", path=where) from None
        return None
    except IsADirectoryError:
        raise CatalogError("a folder, not a catalog", path=where) from None
    except OSError as exc:
        raise CatalogError(f"cannot read catalog: {exc.strerror}", path=where) from None
    if not data.strip():
        raise CatalogError(f"empty catalog ({len(data)} bytes): run `locflow sync`, or "
                           "delete it", path=where)
    return data
