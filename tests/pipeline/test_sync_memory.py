"""What a sync tells the memory's index: the units of the catalogs it writes, spooled to a
temporary file (the parent holds none of them) and read back a batch at a time."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from locflow.config import Project
from locflow.memory import MemoryStore, Unit, index_written, open_memory
from locflow.memory.project import REFRESH_BATCH
from locflow.pipeline import sync
from locflow.pipeline.syncing.memory import UnitsToIndex
from locflow.pipeline.syncing.records import PlannedArticle


def planned(name: str, units: dict[Path, list[Unit]]) -> PlannedArticle:
    done = PlannedArticle(name, [], units=units)
    done.digests = {path: f"digest of {path.name}" for path in units}
    return done


def entry(source: str, line: int = 1) -> Unit:
    return Unit(source, f"ES {source}", "es", "entry", True, None, line)


def test_units_wait_on_disk_and_come_back_in_order() -> None:
    spool = UnitsToIndex()
    a, b = Path("locales/es/articles/a.po"), Path("locales/es/articles/b.po")
    sentence = Unit("One.", "Uno.", "es", "sentence", True, None, 1, "1/2")
    spool.add(planned("a", {a: [entry("One. Two."), sentence]}))
    spool.add(planned("b", {b: [entry("Three.", 4)]}))
    assert not hasattr(spool, "units")  # (nothing kept in memory but counts)
    assert list(spool.written()) == [
        (a, "digest of a.po", [entry("One. Two.")]),  # entries only: sentences are aligned again
        (b, "digest of b.po", [entry("Three.", 4)]),
    ]
    assert list(spool.written()) == list(spool.written())  # read again from the start
    spool.close()
    assert list(spool.written()) == []


def test_units_beyond_the_bound_are_left_to_the_next_refresh(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(UnitsToIndex, "LIMIT", 3)
    spool = UnitsToIndex()
    paths = [Path(f"locales/es/articles/{n}.po") for n in range(3)]
    spool.add(planned("0", {paths[0]: [entry("a"), entry("b")]}))
    spool.add(planned("1", {paths[1]: [entry("c"), entry("d")]}))  # 4 > 3: left out
    spool.add(planned("2", {paths[2]: [entry("e")]}))
    assert [path for path, _, _ in spool.written()] == [paths[0], paths[2]]
    assert spool.count == 3
    spool.close()


def test_index_written_reads_what_it_is_given_a_batch_at_a_time(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = Project.load(project)
    sync(loaded)
    open_memory(loaded).close()  # an index exists
    catalog = project / "locales/es/articles/vote.po"
    taken: list[int] = []
    stored: list[int] = []
    original = MemoryStore.replace_many

    def replace_many(self: MemoryStore, batch: list[object], *args: object) -> object:
        stored.append(len(batch))
        assert len(taken) <= sum(stored)  # nothing read ahead of the batch being stored
        return original(self, batch, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(MemoryStore, "replace_many", replace_many)

    def written() -> Iterator[tuple[Path, str, list[Unit]]]:
        for n in range(REFRESH_BATCH + 5):
            taken.append(n)
            yield catalog, f"{n:064x}", [entry(f"Text {n}.")]

    index_written(loaded, written(), settled=False)
    assert stored == [REFRESH_BATCH, 5]
    assert len(taken) == REFRESH_BATCH + 5
