"""Translation memory: what the project has already translated, found again.

::

    store.py      the SQLite index and the fuzzy lookup (the only home of sqlite3)
    formats.py    memories from PO catalogs and TMX files (expat, entities refused)
    project.py    which files make the memory; the index under .locflow/, kept in step
    prefill.py    untranslated entries filled from memory (exact, fuzzy, sentences)

The catalogs are the truth; the index is a cache rebuilt from them.
"""

from __future__ import annotations

from .prefill import PrefillSettings, PrefillStats, prefill_entries, prefill_entry
from .project import (
    ImportResult,
    MemoryFile,
    RefreshResult,
    catalog_files,
    catalog_units,
    import_memory,
    index_written,
    memory_files,
    memory_stats,
    open_memory,
    rebuild_memory,
    refresh_memory,
    search_memory,
)
from .store import Match, MemoryStore, Origin, Stats, Unit

__all__ = [
    "ImportResult",
    "Match",
    "MemoryFile",
    "MemoryStore",
    "Origin",
    "PrefillSettings",
    "PrefillStats",
    "RefreshResult",
    "Stats",
    "Unit",
    "catalog_files",
    "catalog_units",
    "import_memory",
    "index_written",
    "memory_files",
    "memory_stats",
    "open_memory",
    "prefill_entries",
    "prefill_entry",
    "rebuild_memory",
    "refresh_memory",
    "search_memory",
]
