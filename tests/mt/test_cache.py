"""The MT cache."""

from __future__ import annotations

from pathlib import Path

from locflow.mt.cache import MTCache


def test_answers_are_kept_per_engine_and_text(tmp_path: Path) -> None:
    path = tmp_path / ".locflow" / "mt-cache.sqlite3"
    cache = MTCache(path)
    cache.put("libre@h:en:es", "Hello [X0X]", "Hola [X0X]")
    cache.close()
    again = MTCache(path)
    assert again.get_many("libre@h:en:es", ["Hello [X0X]", "Bye"]) == {"Hello [X0X]": "Hola [X0X]"}
    assert again.get_many("google:en:es", ["Hello [X0X]"]) == {}
    assert len(again) == 1
