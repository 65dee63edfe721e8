"""The project's memory: which files, incremental refresh of the index, imports."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from locflow.catalog import pofile
from locflow.config import Project
from locflow.errors import InputError
from locflow.memory import (
    MemoryFile,
    MemoryStore,
    catalog_files,
    import_memory,
    memory_files,
    open_memory,
    refresh_memory,
)
from locflow.pipeline import sync
from locflow.pipeline.syncing.plan import ToSync
from locflow.pipeline.syncing.records import PlannedArticle


def translate(path: Path, prefix: str) -> None:
    with pofile.edit(path) as catalog:
        for entry in catalog.active():
            entry.msgstr = f"{prefix} {entry.msgid}"


@pytest.fixture
def synced(project: Path) -> Project:
    loaded = Project.load(project)
    sync(loaded)
    translate(project / "locales/es/articles/vote.po", "ES")
    return loaded


def test_refresh_reads_only_changed_files(synced: Project) -> None:
    root = synced.root
    with open_memory(synced, refresh=False) as store:
        first = refresh_memory(synced, store)
        assert "locales/es/articles/vote.po" in first.read
        again = refresh_memory(synced, store)
        assert again.read == [] and again.unchanged == len(first.read) + first.unchanged

        # same bytes, new mtime: not re-read
        vote = root / "locales/es/articles/vote.po"
        os.utime(vote, ns=(1, 1))
        assert refresh_memory(synced, store).read == []
        assert store.origins()["locales/es/articles/vote.po"].mtime_ns == 1

        # other bytes, same size: re-read once the mtime differs from the recorded one
        data = vote.read_bytes()
        vote.write_bytes(data.replace(b"ES ", b"XX "))
        assert refresh_memory(synced, store).read == ["locales/es/articles/vote.po"]
        # just written: its mtime is racy, recorded as 0, so the next refresh hashes it again
        assert store.origins()["locales/es/articles/vote.po"].mtime_ns == 0
        assert refresh_memory(synced, store).read == []  # same hash: not re-indexed
        assert store.exact("Schools were closed on Monday.", "es") == []
        (match,) = store.exact("Roads will get $4.2 million, the largest share.", "es")
        assert match.target.startswith("XX ")

        vote.unlink()
        assert refresh_memory(synced, store).removed == ["locales/es/articles/vote.po"]
        assert store.search("Roads will get $4.2 million, the largest share.", "es") == []


def test_files_linking_out_of_the_project_are_not_read(synced: Project, tmp_path: Path) -> None:
    outside = tmp_path / "outside.po"
    outside.write_bytes((synced.root / "locales/es/articles/vote.po").read_bytes())
    (synced.root / "locales/es/articles/evil.po").symlink_to(outside)
    names = [f.path.name for f in memory_files(synced)]
    assert "vote.po" in names and "evil.po" not in names


def test_catalog_files_knows_the_catalogs_memory_files_lists(synced: Project,
                                                           tmp_path: Path) -> None:
    root = synced.root
    outside = tmp_path / "outside.po"
    outside.write_bytes((root / "locales/es/articles/vote.po").read_bytes())
    (root / "locales/es/articles/evil.po").symlink_to(outside)
    listed = [f for f in memory_files(synced) if f.kind == "catalog"]
    assert {f.label for f in listed} >= {"vote", "storm", "site"}
    find = catalog_files(synced)
    assert [find(f.path) for f in listed] == listed
    not_listed = ["locales/es/articles/evil.po", "locales/templates/articles/vote.pot",
                  "locales/es/articles/vote.po.bak", "locales/es/vote.po",
                  "locales/fr/articles/vote.po", "content/vote.md"]
    assert [find(root / name) for name in not_listed] == [None] * len(not_listed)
    # a catalog not written yet is one (a sync indexes what it is about to write)
    assert find(root / "locales/zh_Hans/articles/new.po") == MemoryFile(
        root / "locales/zh_Hans/articles/new.po", "catalog", "new", "zh_Hans")


def test_a_cache_folder_linking_elsewhere_is_refused(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / ".locflow").symlink_to(elsewhere)
    with pytest.raises(InputError, match=r"not a link|outside the project"):
        open_memory(Project.load(project))
    assert list(elsewhere.iterdir()) == []


def test_a_broken_index_is_rebuilt(synced: Project) -> None:
    (synced.root / ".locflow").mkdir(exist_ok=True)
    (synced.root / ".locflow/memory.sqlite3").write_bytes(b"garbage" * 1000)
    with open_memory(synced) as store:
        assert store.exact("Schools were closed on Monday.", "es") == []
        assert store.exact("Roads will get $4.2 million, the largest share.", "es")


TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="en" datatype="plaintext" segtype="block" adminlang="en"
creationtool="t" creationtoolversion="1" o-tmf="t"/>
<body>
<tu><tuv xml:lang="en-GB"><seg>Storm closes schools</seg></tuv>
<tuv xml:lang="zh-CN"><seg>暴风雨导致学校停课</seg></tuv>
<tuv xml:lang="zh-TW"><seg>暴風雨導致學校停課</seg></tuv>
<tuv xml:lang="es-MX"><seg>Tormenta cierra escuelas</seg></tuv></tu>
</body></tmx>
"""


def test_import_copies_the_file_into_memory_and_indexes_it(
    project: Path, tmp_path: Path
) -> None:
    loaded = Project.load(project)
    given = tmp_path / "agency.tmx"
    given.write_text(TMX, encoding="utf-8")
    result = import_memory(loaded, given)
    assert result.path == project / "memory/agency.tmx" and result.copied
    assert result.units == {"es": 1, "zh_Hans": 1}
    assert result.path.read_bytes() == given.read_bytes()
    with open_memory(loaded) as store:
        (zh,) = store.exact("Storm closes schools", "zh_Hans")
        assert (zh.target, zh.kind, zh.origin) == ("暴风雨导致学校停课", "import", "agency.tmx")
    assert import_memory(loaded, given).copied is False
    given.write_text(TMX.replace("Tormenta cierra escuelas", "Tormenta"), encoding="utf-8")
    again = import_memory(loaded, given)
    assert again.copied and again.replaced
    with open_memory(loaded) as store:
        assert [m.target for m in store.exact("Storm closes schools", "es")] == ["Tormenta"]

    only_es = import_memory(loaded, given, "es")
    assert only_es.path == project / "memory/es/agency.tmx" and only_es.units == {"es": 1}


def test_import_refuses_files_without_project_translations(project: Path, tmp_path: Path) -> None:
    loaded = Project.load(project)
    french = tmp_path / "fr.tmx"
    french.write_text(TMX.replace("zh-CN", "fr").replace("zh-TW", "de").replace("es-MX", "it"))
    with pytest.raises(InputError, match="no translations from en into zh_Hans, es"):
        import_memory(loaded, french)
    po = tmp_path / "nolang.po"
    po.write_text('msgid ""\nmsgstr ""\n\nmsgid "Hello"\nmsgstr "Hola"\n')
    with pytest.raises(InputError, match="no Language header"):
        import_memory(loaded, po)
    with pytest.raises(InputError, match=r"\.tmx and \.po"):
        import_memory(loaded, tmp_path / "x.csv")
    assert not (project / "memory").exists()
    assert import_memory(loaded, po, "es").path == project / "memory/es/nolang.po"


def test_an_unreadable_catalog_is_left_out_and_read_again_once_fixed(synced: Project) -> None:
    vote = synced.root / "locales/es/articles/vote.po"
    good = vote.read_bytes()
    with open_memory(synced) as store:
        assert store.exact("Roads will get $4.2 million, the largest share.", "es")
        vote.write_bytes(good + b'\nmsgid "broken\n')
        result = refresh_memory(synced, store)
        assert len(result.unreadable) == 1
        assert result.unreadable[0].startswith("locales/es/articles/vote.po:")
        assert store.exact("Roads will get $4.2 million, the largest share.", "es") == []
        vote.write_bytes(good)
        assert refresh_memory(synced, store).read == ["locales/es/articles/vote.po"]
        assert store.exact("Roads will get $4.2 million, the largest share.", "es")


def test_sync_tells_the_index_what_it_wrote(project: Path) -> None:
    """The catalogs a sync writes are indexed from the merge itself, lines and all: the
    next refresh only hashes them, and finds what a fresh read would."""
    loaded = Project.load(project)
    sync(loaded)
    for path in (project / "locales").rglob("*.po"):  # translated, so the memory has units
        translate(path, "T")
    open_memory(loaded).close()  # brought up to date (a fully translated sync never opens it)
    (project / "content/vote.md").write_text(
        (project / "content/vote.md").read_text().replace("Roads", "Streets"))
    result = sync(loaded)  # vote.po merged (a new entry to pre-fill), written and indexed
    assert {c.path.name for c in result.written} == {"vote.po"}
    with open_memory(loaded, refresh=False) as store:
        indexed = memories(store)
        assert refresh_memory(loaded, store).read == []
    with open_memory(loaded, refresh=False) as store:
        store.clear()
        refresh_memory(loaded, store)
        fresh = memories(store)
    assert indexed == fresh
    assert any(path.endswith("es/articles/vote.po") for path, *_ in indexed)


def memories(store: MemoryStore) -> list[tuple[object, ...]]:
    """Every unit in the index with where it came from, in a stable order."""
    return sorted(store._db.execute(
        "SELECT o.path, s.text, u.locale, u.level, u.target, u.approved, u.context, u.line, "
        "u.position FROM units u JOIN origins o ON o.id = u.origin "
        "JOIN sources s ON s.id = u.source").fetchall())


@pytest.mark.parametrize("name", ["memory.sqlite3", "memory.sqlite3-wal", "memory.sqlite3-shm"])
def test_an_index_file_that_is_a_link_is_refused(project: Path, tmp_path: Path,
                                                 name: str) -> None:
    """A link at .locflow/memory.sqlite3 (or a file SQLite writes beside it) made the
    memory create or change a database wherever it led (issue 17)."""
    from locflow.errors import PathError

    outside = tmp_path / "outside.db"
    outside.write_bytes(b"precious")
    (project / ".locflow").mkdir()
    (project / ".locflow" / name).symlink_to(outside)
    loaded = Project.load(project)
    with pytest.raises(PathError, match=f"^.locflow/{name}: translation memory index ("
                       "is a symbolic link|resolves outside the project)"):
        open_memory(loaded)
    assert outside.read_bytes() == b"precious"
    with pytest.raises(PathError):
        open_memory(loaded, refresh=False)


def test_a_cache_folder_that_is_a_file_is_refused(project: Path) -> None:
    (project / ".locflow").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="must be a directory, not a file") as caught:
        open_memory(Project.load(project))
    assert caught.value.path == ".locflow"


def test_a_memory_file_in_an_unknown_encoding_is_left_out_with_a_warning(
    synced: Project,
) -> None:
    memory = synced.root / "memory"
    memory.mkdir()
    (memory / "x.tmx").write_bytes(b'<?xml version="1.0" encoding="X-EVIL"?><tmx/>')
    warnings: list[str] = []
    with open_memory(synced, warn=warnings.append) as store:
        assert store.exact("The city council voted 7-2 on Tuesday to approve the budget.",
                           "es")  # the rest of the memory is there
    assert warnings == ["left out of the translation memory: memory/x.tmx:1: not valid XML: "
                        "declares an encoding locflow cannot read (use UTF-8)"]


def test_a_parallel_refresh_indexes_what_one_process_does(
    synced: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files never indexed are read on every core (a fresh clone): the index holds what
    reading them in this process gives, source ids and all."""
    from locflow.memory import project as memory_project
    from locflow.memory import rebuild_memory

    for path in (synced.root / "locales").rglob("*.po"):
        translate(path, "T")
    monkeypatch.setattr(memory_project, "PARALLEL_READS", 1)
    found = []
    for jobs in ("1", "2"):
        monkeypatch.setenv("LOCFLOW_JOBS", jobs)
        result = rebuild_memory(synced)
        with open_memory(synced, refresh=False) as store:
            found.append((result.read, memories(store), store._db.execute(
                "SELECT id, text FROM sources ORDER BY id").fetchall()))
    assert found[0] == found[1] and found[0][1]


def test_the_memory_is_likely_needed_with_an_index_or_an_untranslated_entry(
    synced: Project,
) -> None:
    from locflow.memory.project import database_path, likely_needed

    for index in (synced.root / ".locflow").glob("memory.sqlite3*"):
        index.unlink()  # (the fixture's sync made it)
    assert likely_needed(synced)  # storm.po and the site are not translated
    for path in (synced.root / "locales").rglob("*.po"):
        translate(path, "T")
    assert not likely_needed(synced)  # fully translated, and no index yet
    open_memory(synced).close()
    assert database_path(synced).is_file() and likely_needed(synced)


def test_a_sync_after_one_that_wrote_merges_nothing_again(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index brought up to date before the pool, then opened again (the site's
    untranslated strings): the sync still records the memory's generations, so the next
    one keeps every article instead of merging those with untranslated entries again."""
    from locflow.pipeline.syncing import run

    monkeypatch.setenv("LOCFLOW_JOBS", "1")
    loaded = Project.load(project)
    sync(loaded)
    translate(project / "locales/es/articles/vote.po", "ES")
    (project / "content/vote.md").write_text(
        (project / "content/vote.md").read_text().replace("Roads", "Streets"))
    sync(loaded)  # merges vote (a new entry to pre-fill), writes it
    merged: list[str] = []
    plain = run.plan_articles

    def counting(task: tuple[Project, list[ToSync], str]) -> list[PlannedArticle]:
        merged.extend(item.slug for item in task[1])
        return plain(task)

    monkeypatch.setattr(run, "plan_articles", counting)
    os.utime(project / "content/vote.md")  # (touched, not changed: still kept)
    sync(loaded)
    assert merged == []
