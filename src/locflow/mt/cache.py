"""The MT cache: every answer an engine gave, so no sentence is paid for twice.

An SQLite table under ``.locflow/`` keyed by the engine (with its server and
language pair, :attr:`Translator.cache_key`) and the *masked* text sent, so a
re-run, a repeated sentence or a re-synced article costs no request. It holds
only engine answers and never a credential; deleting it costs requests, not
work. Used from one thread (the pipeline's); ``":memory:"`` for tests.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from ..errors import ConfigError
from ..filecache import make_state_dir

_SCHEMA = """
CREATE TABLE IF NOT EXISTS mt_cache (
    engine TEXT NOT NULL,
    source TEXT NOT NULL,
    translation TEXT NOT NULL,
    PRIMARY KEY (engine, source)
) WITHOUT ROWID
"""


class MTCache:
    """Answers by (engine key, masked source text)."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        try:
            if self.path != ":memory:":
                make_state_dir(Path(self.path).parent)
            self._db = sqlite3.connect(self.path, timeout=30)
            self._db.execute(_SCHEMA)
            self._db.commit()
        except (sqlite3.Error, OSError) as exc:
            raise ConfigError(f"cannot open the MT cache: {exc}", path=self.path) from None

    def get_many(self, engine: str, texts: Iterable[str]) -> dict[str, str]:
        """The cached answers among *texts*."""
        found: dict[str, str] = {}
        for text in set(texts):
            row = self._db.execute(
                "SELECT translation FROM mt_cache WHERE engine = ? AND source = ?", (engine, text)
            ).fetchone()
            if row is not None:
                found[text] = row[0]
        return found

    def put(self, engine: str, text: str, translation: str) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO mt_cache (engine, source, translation) VALUES (?, ?, ?)",
            (engine, text, translation),
        )

    def commit(self) -> None:
        try:
            self._db.commit()
        except sqlite3.Error as exc:
            raise ConfigError(f"cannot write the MT cache: {exc}", path=self.path) from None

    def __len__(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM mt_cache").fetchone()[0])

    def close(self) -> None:
        self.commit()
        self._db.close()
