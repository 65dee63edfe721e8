"""The check cache keeps ``FileCache``'s promise (a result only while its files are
unchanged) without holding its records: they are read when asked for, and this run's
wait on disk until it is saved."""

from __future__ import annotations

import json
import os
import tracemalloc
from pathlib import Path

from locflow.filecache import FileCache, stamp
from locflow.pipeline.spooled import Spill, SpooledCache


def age(path: Path, seconds: float = 60) -> None:
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns - int(seconds * 1e9)))


def keep(cache_file: Path, files: list[Path], value: bytes, key: str = "key",
         settings: str = "s") -> None:
    with SpooledCache(cache_file, settings) as cache:
        cache.put(key, {f: stamp(f) for f in files}, value)
        cache.save()


def test_unchanged_files_give_the_result_back(tmp_path: Path) -> None:
    a, b = tmp_path / "a.po", tmp_path / "b.csv"
    a.write_text("one")
    age(a)
    cache_file = tmp_path / ".locflow" / "check-cache.json"
    keep(cache_file, [a, b], b'{"n":1}')  # b does not exist: its absence is recorded
    with SpooledCache(cache_file, "s") as cache:
        assert cache.fresh("key", [a, b]) and cache.value("key") == b'{"n":1}'
        assert not cache.fresh("key", [a]) and not cache.fresh("other", [a, b])
        assert not cache.changed
    with SpooledCache(cache_file, "other settings") as cache:
        assert not cache.fresh("key", [a, b]) and cache.value("key") is None
    b.write_text("now it exists")
    with SpooledCache(cache_file, "s") as cache:
        assert not cache.fresh("key", [a, b])


def test_a_change_of_content_is_a_miss_even_with_the_same_size_and_mtime(tmp_path: Path) -> None:
    a = tmp_path / "a.po"
    a.write_text("one")
    cache_file = tmp_path / "x.json"
    keep(cache_file, [a], b"1")
    info = a.stat()
    a.write_text("two")  # same size, written within the record's tick
    os.utime(a, ns=(info.st_atime_ns, info.st_mtime_ns))
    with SpooledCache(cache_file, "s") as cache:
        assert not cache.fresh("key", [a])


def test_a_touched_file_is_read_and_trusted_by_its_hash(tmp_path: Path) -> None:
    a = tmp_path / "a.po"
    a.write_text("one")
    cache_file = tmp_path / "x.json"
    keep(cache_file, [a], b"[1]")
    age(a, 3600)  # a checkout or touch: new mtime, same bytes
    with SpooledCache(cache_file, "s") as cache:
        assert cache.fresh("key", [a]) and cache.value("key") == b"[1]"
        assert cache.changed  # the new stat is kept, so the next run needs no read
        cache.save()
    record = cache_file.read_bytes().splitlines()[1].split(b"\t")
    assert json.loads(record[1])["files"][str(a)] == list(stamp(a) or ())
    a.write_text("two")
    with SpooledCache(cache_file, "s") as cache:
        assert not cache.fresh("key", [a])


def test_records_not_asked_for_are_kept_and_new_ones_replace_old(tmp_path: Path) -> None:
    a = tmp_path / "a.po"
    a.write_text("one")
    age(a)
    cache_file = tmp_path / "x.json"
    keep(cache_file, [a], b'"first"', key="one")
    keep(cache_file, [a], b'"second"', key="two")  # (a check of one locale keeps the other's)
    keep(cache_file, [a], b'"again"', key="one")
    with SpooledCache(cache_file, "s") as cache:
        assert cache.value("one") == b'"again"' and cache.value("two") == b'"second"'
        assert cache.fresh("one", [a]) and cache.fresh("two", [a])
    assert len(cache_file.read_bytes().splitlines()) == 3


def test_a_cache_cut_short_or_of_another_kind_is_not_used(tmp_path: Path) -> None:
    a = tmp_path / "a.po"
    a.write_text("one")
    age(a)
    cache_file = tmp_path / "x.json"
    keep(cache_file, [a], b'"v"', key="one")
    keep(cache_file, [a], b'"w"', key="two")
    cache_file.write_bytes(cache_file.read_bytes()[:-3])
    with SpooledCache(cache_file, "s") as cache:
        assert cache.value("one") is None and not cache.fresh("one", [a])
    old = FileCache(cache_file, "s")  # the format status keeps: not this one's
    old.put("one", {a: stamp(a)}, "v")
    old.save()
    with SpooledCache(cache_file, "s") as cache:
        assert cache.value("one") is None
    cache_file.write_bytes(b"")
    with SpooledCache(cache_file, "s") as cache:
        assert cache.value("one") is None


def test_a_link_in_the_cache_s_place_is_neither_read_nor_written_through(
    tmp_path: Path
) -> None:
    a = tmp_path / "a.po"
    a.write_text("one")
    real = tmp_path / "real.json"
    keep(real, [a], b'"v"')
    link = tmp_path / "x.json"
    link.symlink_to(real)
    kept = real.read_bytes()
    with SpooledCache(link, "s") as cache:
        assert cache.value("key") is None
        cache.put("key", {a: stamp(a)}, b'"w"')
        cache.save()
    assert not link.is_symlink() and real.read_bytes() == kept


def test_a_large_cache_is_opened_without_reading_its_records_into_memory(
    tmp_path: Path
) -> None:
    a = tmp_path / "a.po"
    a.write_text("one")
    age(a)
    cache_file = tmp_path / "x.json"
    value = json.dumps({"findings": [["numbers", "error", "x" * 200]] * 100}).encode()
    with SpooledCache(cache_file, "s") as cache:
        for n in range(2_000):  # (a put waits on disk: memory holds where, not what)
            cache.put(f"catalog {n}", {a: stamp(a)}, value)
        cache.save()
    size = cache_file.stat().st_size
    assert size > 40_000_000
    tracemalloc.start()
    try:
        with SpooledCache(cache_file, "s") as cache:
            assert cache.fresh("catalog 1999", [a]) and cache.value("catalog 7") == value
            peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2_000_000, f"{peak / 1e6:.1f} MB to open a {size / 1e6:.0f} MB cache"


def test_a_spill_gives_back_what_was_put(tmp_path: Path) -> None:
    spill = Spill(tmp_path)
    first, second = spill.put(b"one"), spill.put(b"\x00two\n")
    assert spill.get(second) == b"\x00two\n" and spill.get(first) == b"one"
    assert list(tmp_path.iterdir()) == []  # (unnamed)
    spill.close()
