"""The ``.locflow/`` result cache trusts a result only while its files are unchanged."""

from __future__ import annotations

import os
from pathlib import Path

from locflow.filecache import FileCache, stamp


def kept(cache_file: Path, files: list[Path], value: object, settings: str = "s") -> None:
    cache = FileCache(cache_file, settings)
    cache.put("key", {f: stamp(f) for f in files}, value)
    cache.save()


def age(path: Path, seconds: float = 60) -> None:
    """Move *path*'s mtime into the past: no longer racily clean."""
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns - int(seconds * 1e9)))


def test_unchanged_files_give_the_result_back(tmp_path: Path) -> None:
    a, b = tmp_path / "a.po", tmp_path / "b.csv"
    a.write_text("one")
    age(a)
    cache_file = tmp_path / ".locflow" / "x.json"
    kept(cache_file, [a, b], {"n": 1})  # b does not exist: its absence is recorded
    assert FileCache(cache_file, "s").get("key", [a, b]) == {"n": 1}
    assert FileCache(cache_file, "other settings").get("key", [a, b]) is None
    assert FileCache(cache_file, "s").get("key", [a]) is None  # other inputs
    b.write_text("now it exists")
    assert FileCache(cache_file, "s").get("key", [a, b]) is None


def test_a_change_of_content_is_a_miss_even_with_the_same_size_and_mtime(tmp_path: Path) -> None:
    a = tmp_path / "a.po"
    a.write_text("one")
    cache_file = tmp_path / "x.json"
    kept(cache_file, [a], 1)
    info = a.stat()
    a.write_text("two")  # same size, written within the record's tick
    os.utime(a, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert FileCache(cache_file, "s").get("key", [a]) is None


def test_a_touched_file_is_read_and_trusted_by_its_hash(tmp_path: Path) -> None:
    a = tmp_path / "a.po"
    a.write_text("one")
    cache_file = tmp_path / "x.json"
    kept(cache_file, [a], 1)
    age(a, 3600)  # a checkout or touch: new mtime, same bytes
    cache = FileCache(cache_file, "s")
    assert cache.get("key", [a]) == 1
    assert cache.changed  # the new stat is kept, so the next run needs no read
    a.write_text("two")
    assert FileCache(cache_file, "s").get("key", [a]) is None


def test_a_corrupt_or_foreign_cache_file_is_ignored(tmp_path: Path) -> None:
    a = tmp_path / "a.po"
    a.write_text("one")
    cache_file = tmp_path / "x.json"
    for junk in (b"\xff\xfe", b"[1, 2]", b'{"format": 1, "settings": "s", "records": []}',
                 b'{"format": 1, "settings": "s", "records": {"key": {"files": 3}}}'):
        cache_file.write_bytes(junk)
        assert FileCache(cache_file, "s").get("key", [a]) is None


def test_a_racy_mtime_is_recorded_as_none_a_settled_one_as_is(tmp_path: Path) -> None:
    import os

    from locflow.filecache import settled_mtime

    path = tmp_path / "x.po"
    path.write_bytes(b"x")
    info = os.stat(path)
    assert settled_mtime(info) == 0  # just written: a stat cannot stand for the content
    assert settled_mtime(info, now=info.st_mtime_ns / 1e9 + 10) == info.st_mtime_ns


def test_the_cache_is_written_record_by_record_as_the_json_of_the_whole(tmp_path: Path) -> None:
    import json

    inputs = [tmp_path / "a.po", tmp_path / "b.po"]
    for path in inputs:
        path.write_text("x")
    cache = FileCache(tmp_path / "cache.json", "settings \u00e9\u5343")
    cache.put("a \"quoted\" \u4e2d", {inputs[0]: stamp(inputs[0])}, {"n": [1, "\u00e9", None]})
    cache.put("b", {inputs[1]: stamp(inputs[1]), tmp_path / "none": None}, [["f", "w\n"]])
    cache.save()
    payload = {"format": 1, "settings": cache.settings, "records": cache.records}
    assert (tmp_path / "cache.json").read_text("utf-8") == json.dumps(
        payload, ensure_ascii=False, separators=(",", ":"))
    again = FileCache(tmp_path / "cache.json", cache.settings)
    assert again.get("b", [inputs[1], tmp_path / "none"]) == [["f", "w\n"]]
    empty = FileCache(tmp_path / "empty.json", "s")
    empty.changed = True
    empty.save()
    assert json.loads((tmp_path / "empty.json").read_text()) == {
        "format": 1, "settings": "s", "records": {}}
