"""Git set-up for catalogs: ``.gitattributes`` lines and the merge driver's config.
"""

from __future__ import annotations

from pathlib import Path

from ..catalog import pofile
from ..errors import (
    InputError,
)

GITATTRIBUTES_LINES = ("*.po merge=locflow", "*.pot merge=locflow")
MERGE_DRIVER_NAME = "locflow: PO catalogs merged entry by entry, review states kept"


def write_gitattributes(root: Path) -> bool:
    """Add ``*.po merge=locflow`` and ``*.pot merge=locflow`` to *root*'s ``.gitattributes``.

    Lines already there and every other line are kept; returns True if the file changed.
    """
    from ..paths import inside

    path = inside(root, ".gitattributes", ".gitattributes")  # a link out: refused
    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read: {exc}", path=path) from None
    present = {" ".join(line.split()) for line in text.splitlines()}
    missing = [line for line in GITATTRIBUTES_LINES if line not in present]
    if not missing:
        return False
    if text and not text.endswith("\n"):
        text += "\n"
    text += "# PO catalogs merge entry by entry (README: Merging catalogs in git)\n"
    text += "".join(line + "\n" for line in missing)
    pofile.save_atomic(path, text.encode("utf-8"))
    return True


def register_merge_driver(root: Path, command: str) -> str:
    """Set ``merge.locflow.driver`` (and its name) in the git repository around *root*.

    Git reads merge drivers only from its config, never from the repository's files, so
    every clone runs this once. *command* runs locflow (``locflow``, or a Python ``-m
    locflow``). Returns the driver line set.
    """
    import subprocess

    driver = f"{command} merge-driver %O %A %B %P"
    for key, value in (("merge.locflow.name", MERGE_DRIVER_NAME),
                       ("merge.locflow.driver", driver)):
        try:
            done = subprocess.run(["git", "config", key, value], cwd=root, capture_output=True,
                                  text=True, check=False, timeout=30)
        except (OSError, subprocess.SubprocessError) as exc:
            raise InputError(f"cannot run git: {exc}") from None
        if done.returncode != 0:
            raise InputError("cannot set git config (is the project in a git repository?): "
                             + (done.stderr.strip().splitlines() or ["git failed"])[-1][:200],
                             path=root)
    return driver
