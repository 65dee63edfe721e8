"""The PO-file boundary: every read and write of a ``.po``/``.pot`` file goes through here.

Three promises:

* **Strict parsing.** :func:`parse` accepts what GNU gettext's ``po-lex``/``po-gram`` accept
  (a few exotic token layouts aside, see :func:`parse`) and raises
  :class:`~locflow.errors.CatalogError` naming ``path:line`` for anything else. polib's own
  parser is lenient (an unterminated string can parse as empty), so only polib's entry model
  is used.
* **Byte stability.** ``dump(parse(b)) == b``. Each entry remembers its original lines, the
  blank lines before them and a snapshot of its fields; :func:`dump` re-emits the original
  lines of every unchanged entry and :func:`format_entry` output (``msgcat --no-wrap`` style)
  only for new or changed ones, so an edit shows up in ``git diff`` as exactly that entry.
* **Safe writes.** :func:`save_atomic` writes a temporary file and renames it over the
  target; :func:`locked` / :func:`edit` serialize read-modify-write across processes.

The model is :mod:`.entry`, reading :mod:`.reader` (and counting review states without
building the model, :mod:`.scan`), writing :mod:`.writer` and safe
storage :mod:`.storage`; one entry's text is :mod:`.entrytext` and charsets are
:mod:`.codec`. This module is their one public door.
"""

from __future__ import annotations

from .entry import Catalog, Entry, Key
from .entrytext import format_entry
from .reader import load, new_catalog, parse, read_bytes
from .scan import read_counts
from .storage import (
    Commit,
    PlannedWrite,
    check_writable,
    commit,
    deferred_directory_sync,
    edit,
    locked,
    read_optional,
    remove_stale_temporaries,
    save_atomic,
)
from .writer import dump

__all__ = [
    "Catalog",
    "Commit",
    "Entry",
    "Key",
    "PlannedWrite",
    "check_writable",
    "commit",
    "deferred_directory_sync",
    "dump",
    "edit",
    "format_entry",
    "load",
    "locked",
    "new_catalog",
    "parse",
    "read_bytes",
    "read_counts",
    "read_optional",
    "remove_stale_temporaries",
    "save_atomic",
]
