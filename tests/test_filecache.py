"""The ``.locflow/`` result cache trusts a result only while its files are unchanged."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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


def test_records_are_read_as_bytes_parsed_when_asked_for_and_kept_as_read(
    tmp_path: Path,
) -> None:
    import json

    inputs = [tmp_path / "a.po", tmp_path / "b.po"]
    for path in inputs:
        path.write_text("x")
    cache = FileCache(tmp_path / "cache.json", "settings \u00e9\u5343")
    key = "a \"quoted\"\t\u4e2d\n"
    cache.put(key, {inputs[0]: stamp(inputs[0])}, {"n": [1, "\u00e9\t", None]})
    cache.put("b", {inputs[1]: stamp(inputs[1]), tmp_path / "none": None}, [["f", "w\n"]])
    cache.save()
    data = (tmp_path / "cache.json").read_bytes()
    head, *lines = data.decode().splitlines()
    assert json.loads(head) == {"format": 3, "settings": cache.settings}
    assert [json.loads(line.split("\t", 1)[0]) for line in lines] == [key, "b"]
    assert json.loads(lines[0].split("\t", 1)[1])["value"] == {"n": [1, "\u00e9\t", None]}
    again = FileCache(tmp_path / "cache.json", cache.settings)
    assert all(isinstance(record, bytes) for record in again.records.values())  # not parsed
    again.changed = True
    again.save()  # records read and not changed go back byte for byte
    assert (tmp_path / "cache.json").read_bytes() == data
    for path in inputs:
        age(path)
    assert again.get("b", [inputs[1], tmp_path / "none"]) == [["f", "w\n"]]
    assert again.get(key, [inputs[0]]) == {"n": [1, "\u00e9\t", None]}
    # a cache cut short, or of another shape, is not used at all
    (tmp_path / "cache.json").write_bytes(data[:-20])
    assert FileCache(tmp_path / "cache.json", cache.settings).records == {}
    (tmp_path / "cache.json").write_bytes(data.replace(b"\t", b" ", 1))
    assert FileCache(tmp_path / "cache.json", cache.settings).records == {}


# -- the rules one by one ---------------------------------------------------------------


def test_a_mtime_within_the_racy_window_is_recorded_as_unknown(tmp_path: Path) -> None:
    from locflow.filecache import settled_mtime

    (tmp_path / "a.po").write_text("x")
    info = (tmp_path / "a.po").stat()
    mtime = info.st_mtime_ns
    assert settled_mtime(info, now=mtime / 1e9 + 2.4) == 0  # written 2.4 s ago: racy
    assert settled_mtime(info, now=mtime / 1e9 + 2.6) == mtime


def test_a_file_changed_in_the_racy_window_before_the_record_is_hashed(tmp_path: Path) -> None:
    """Same size and mtime as recorded, but the mtime is within 2.5 s before the record
    was made: the file may have changed in that tick, so it is read."""
    a = tmp_path / "a.po"
    a.write_text("one")
    info = a.stat()
    cache = FileCache(tmp_path / "x.json", "s")
    cache.started = info.st_mtime_ns + 2_000_000_000  # recorded 2 s after the write
    cache.put("key", {a: stamp(a)}, 1)
    cache.save()
    a.write_text("two")  # same size...
    os.utime(a, ns=(info.st_atime_ns, info.st_mtime_ns))  # ...and the recorded mtime
    assert FileCache(tmp_path / "x.json", "s").get("key", [a]) is None
    # out of the window (recorded 3 s after), the stat alone stands for the content
    cache.started = info.st_mtime_ns + 3_000_000_000
    cache.put("key", {a: (3, info.st_mtime_ns, "a hash nobody checks")}, 1)
    cache.save()
    assert FileCache(tmp_path / "x.json", "s").get("key", [a]) == 1


def test_a_file_gone_or_a_stamp_of_another_shape_is_a_miss(tmp_path: Path) -> None:
    a = tmp_path / "a.po"
    a.write_text("one")
    age(a)
    kept(tmp_path / "x.json", [a], 1)
    a.unlink()
    assert FileCache(tmp_path / "x.json", "s").get("key", [a]) is None
    b = tmp_path / "b.po"
    b.write_text("one")
    cache = FileCache(tmp_path / "y.json", "s")
    cache.put("key", {b: ("not", "a stamp")}, 1)  # type: ignore[dict-item]
    assert cache.get("key", [b]) is None
    cache.put("key", {b: None}, 1)  # recorded as absent, but it exists
    assert cache.get("key", [b]) is None


def test_a_file_confirmed_by_its_hash_gets_its_new_stamp_and_one_by_its_stat_does_not(
    tmp_path: Path,
) -> None:
    a = tmp_path / "a.po"
    a.write_text("one")
    age(a)
    kept(tmp_path / "x.json", [a], 1)
    cache = FileCache(tmp_path / "x.json", "s")
    assert cache.get("key", [a]) == 1 and not cache.changed  # the stat sufficed
    age(a, 3600)  # touched: same bytes, another mtime
    assert cache.get("key", [a]) == 1 and cache.changed  # read, hashed, stamped again
    record = cache.record("key")
    assert record is not None and record["files"][str(a)][1] == a.stat().st_mtime_ns


def test_save_writes_only_what_changed_where_asked_in_utf8(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "deep" / "er" / "x.json"
    FileCache(path, "s").save()
    assert not path.exists()  # nothing put: nothing written
    cache = FileCache(path, "s")
    cache.put("Pekín", {}, "北京")
    cache.save()
    assert "Pekín".encode() in path.read_bytes() and "北京".encode() in path.read_bytes()
    replaced: list[object] = []
    real = os.replace
    monkeypatch.setattr(os, "replace", lambda *a: replaced.append(a) or real(*a))
    cache.save()  # saved already: not again
    FileCache(path, "s").save()
    assert replaced == []


def test_the_code_stamp_follows_the_code(tmp_path: Path) -> None:
    from locflow.filecache import code_stamp

    (tmp_path / "a.py").write_text("x = 1\n")
    first = code_stamp(tmp_path)
    assert len(first) == 16 and int(first, 16) >= 0 and first == code_stamp(tmp_path)
    (tmp_path / "a.py").write_text("x = 12\n")
    assert code_stamp(tmp_path) != first
    assert code_stamp() != first and len(code_stamp()) == 16
