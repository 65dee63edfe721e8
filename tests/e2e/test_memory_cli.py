"""End to end through the CLI: the translation memory pre-fills, searches, imports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from locflow.catalog import pofile
from locflow.provenance import draft_hash, source_hash
from tests.conftest import Invoke
from tests.mt.libre_server import LibreServer

FIRST = """---
title: Council approves the budget
date: 2024-11-04
---

The city council voted 7-2 on Tuesday to approve the budget.

Roads will get $4.2 million, the largest share. The mayor said the plan was fair.
"""

SECOND = """---
title: Council approves the budget
date: 2024-11-05
---

The city council voted 6-3 on Tuesday to approve the budget.

Heavy rain fell all night. The mayor said the plan was fair.

A paragraph nobody has translated yet.
"""

TRANSLATIONS = {
    "es": {
        "Council approves the budget": "El concejo aprueba el presupuesto",
        "The city council voted 7-2 on Tuesday to approve the budget.":
            "El concejo municipal votó 7-2 el martes para aprobar el presupuesto.",
        "Roads will get $4.2 million, the largest share. The mayor said the plan was fair.":
            "Las carreteras recibirán 4,2 millones de dólares, la mayor parte. "
            "El alcalde dijo que el plan era justo.",
    },
    "zh_Hans": {
        "Council approves the budget": "市议会通过预算",
        "The city council voted 7-2 on Tuesday to approve the budget.":
            "市议会周二以7比2投票通过预算。",
        "Roads will get $4.2 million, the largest share. The mayor said the plan was fair.":
            "道路将获得420万美元，是最大的一笔。市长说该计划是公平的。",
    },
}


@pytest.fixture
def memory_project(project: Path, locflow: Invoke) -> Path:
    """FIRST translated and approved in both locales; SECOND not synced yet."""
    for old in (project / "content").iterdir():
        old.unlink()
    (project / "content" / "first.md").write_text(FIRST, encoding="utf-8")
    locflow("sync", ok=True)
    for locale, table in TRANSLATIONS.items():
        with pofile.edit(project / f"locales/{locale}/articles/first.po") as catalog:
            for entry in catalog.active():
                entry.msgstr = table[entry.msgid]
    locflow("review", "approve", "--article", "first", "--all", ok=True)
    (project / "content" / "second.md").write_text(SECOND, encoding="utf-8")
    return project


def entries(path: Path) -> dict[str, pofile.Entry]:
    return {e.msgid: e for e in pofile.load(path).active()}


def status(locflow: Invoke, *args: str) -> dict[str, dict[str, object]]:
    result = locflow("status", "--format", "json", *args, ok=True)
    return {row["path"]: row for row in json.loads(result.stdout)["catalogs"]}


def test_sync_prefills_from_memory(locflow: Invoke, memory_project: Path) -> None:
    result = locflow("sync", ok=True)
    assert (
        "created locales/es/articles/second.po "
        "(4 new, from memory: 1 exact, 1 fuzzy, 1 sentences)" in result.stdout
    )
    rows = status(locflow, "--article", "second")
    for locale in ("es", "zh_Hans"):
        row = rows[f"locales/{locale}/articles/second.po"]
        assert (row["untranslated"], row["fuzzy"], row["translated"], row["approved"]) == (
            1, 2, 1, 0
        )

    zh = entries(memory_project / "locales/zh_Hans/articles/second.po")
    title = zh["Council approves the budget"]
    assert title.msgstr == "市议会通过预算" and "fuzzy" not in title.flags
    assert title.tcomment.startswith("locflow-draft: memory 100% first 2024-11-05 (")

    changed = zh["The city council voted 6-3 on Tuesday to approve the budget."]
    assert changed.msgstr == "市议会周二以7比2投票通过预算。" and changed.flags == ["fuzzy"]
    assert changed.previous_msgid == "The city council voted 7-2 on Tuesday to approve the budget."
    assert changed.tcomment.startswith("locflow-draft: memory 96% first ")

    mixed = zh["Heavy rain fell all night. The mayor said the plan was fair."]
    assert mixed.msgstr == "Heavy rain fell all night. 市长说该计划是公平的。"
    assert mixed.flags == ["fuzzy"] and mixed.tcomment.endswith(
        f"; sentences 2/2; draft {draft_hash(mixed.msgstr)}")
    assert zh["A paragraph nobody has translated yet."].msgstr == ""

    es = (memory_project / "locales/es/articles/second.po").read_text(encoding="utf-8")
    assert (
        '#, fuzzy\nmsgid "Heavy rain fell all night. The mayor said the plan was fair."\n'
        'msgstr "Heavy rain fell all night. El alcalde dijo que el plan era justo."' in es
    )
    # editors see where a pre-filled text came from before they approve it
    listing = locflow("review", "list", "--state", "translated", "--locale", "zh_Hans", ok=True)
    assert listing.stdout.splitlines()[1:] == [
        "    → 市议会通过预算",
        f"    draft: memory 100% first 2024-11-05 ({source_hash(title.msgctxt, title.msgid)})",
    ]
    # the drafts are what check reports; nothing pre-filled passes as reviewed
    check = locflow("check", "--locale", "es", "--article", "second")
    assert check.exit_code == 1
    assert "2 fuzzy" in check.stdout or check.stdout.count("[fuzzy]") == 2

    # a second sync changes no byte: drafts and translations are never touched again
    before = {p: p.read_bytes() for p in (memory_project / "locales").rglob("*.po")}
    assert "0 changed" in locflow("sync", ok=True).stderr
    assert {p: p.read_bytes() for p in before} == before


def test_translators_work_is_never_replaced(locflow: Invoke, memory_project: Path) -> None:
    locflow("sync", "--no-memory", ok=True)
    path = memory_project / "locales/es/articles/second.po"
    assert all(not e.msgstr for e in pofile.load(path).active())
    with pofile.edit(path) as catalog:
        for entry in catalog.active():
            if entry.msgid.startswith("Heavy rain"):
                entry.msgstr = "Llovió toda la noche. El alcalde lo dijo."
                entry.flags = ["fuzzy"]
    result = locflow("sync", ok=True)
    assert "from memory: 1 exact, 1 fuzzy)" in result.stdout
    found = entries(path)
    assert found["Heavy rain fell all night. The mayor said the plan was fair."].msgstr == (
        "Llovió toda la noche. El alcalde lo dijo."
    )


def test_exact_matches_can_stay_fuzzy(locflow: Invoke, memory_project: Path) -> None:
    config = memory_project / "locflow.toml"
    config.write_text(config.read_text() + '\n[memory]\nexact = "fuzzy"\nsentences = false\n')
    result = locflow("sync", ok=True)
    assert "(4 new, from memory: 1 exact, 1 fuzzy)" in result.stdout
    row = status(locflow, "--article", "second")["locales/es/articles/second.po"]
    assert (row["fuzzy"], row["translated"], row["untranslated"]) == (2, 0, 2)

    config.write_text(config.read_text() + "\n")
    config.write_text(config.read_text().replace('exact = "fuzzy"', 'exact = "maybe"'))
    bad = locflow("sync")
    assert bad.exit_code == 2
    assert 'locflow.toml:6: [memory] exact: must be "translated" or "fuzzy"' in bad.stderr


def test_memory_search_prints_scores_and_origins(locflow: Invoke, memory_project: Path) -> None:
    result = locflow("memory", "search", "The mayor said the plan was fair!", "--locale", "es",
                     ok=True)
    lines = result.stdout.splitlines()
    assert lines[0].startswith(" 97.0%  es  first (approved, sentence 2/2)  ")
    roads = entries(memory_project / "locales/es/articles/first.po")[
        "Roads will get $4.2 million, the largest share. The mayor said the plan was fair."
    ]
    assert lines[0].endswith(f"locales/es/articles/first.po:{roads.line}")
    assert lines[1].strip() == "The mayor said the plan was fair."
    assert lines[2].strip() == "→ El alcalde dijo que el plan era justo."

    data = json.loads(
        locflow("memory", "search", "The city council voted 7-2 on Tuesday to approve the budget.",
                "--format", "json", ok=True).stdout
    )
    best = {m["locale"]: m for m in data["matches"] if m["score"] == 100}
    assert best["zh_Hans"]["target"] == "市议会周二以7比2投票通过预算。"
    assert best["es"]["origin"] == "first" and best["es"]["approved"] is True
    assert best["es"]["path"] == "locales/es/articles/first.po" and best["es"]["level"] == "entry"

    none = locflow("memory", "search", "Nothing like this exists.", "-l", "es", ok=True)
    assert none.stdout == "" and "no memory scores 50% or more" in none.stderr
    other = locflow("memory", "search", "Hello", "--locale", "fr")
    assert other.exit_code == 2
    assert "'fr' is not a target locale of the project (zh_Hans, es)" in other.stderr
    stats = locflow("memory", "stats", ok=True).stdout
    assert "es: 3 entries (3 approved), 2 aligned sentences" in stats
    data = json.loads(locflow("memory", "stats", "--format", "json", ok=True).stdout)
    assert data["imports"] == 0 and data["catalogs"] >= 2
    assert {"locale": "zh_Hans", "entries": 3, "approved": 3, "sentences": 2} in data["locales"]


TMX = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4"><header srclang="en-US" datatype="plaintext" segtype="block"
adminlang="en" creationtool="t" creationtoolversion="1" o-tmf="t"/>
<body>
<tu><tuv xml:lang="en-US"><seg>Storm closes schools</seg></tuv>
<tuv xml:lang="es-ES"><seg>La tormenta cierra las escuelas</seg></tuv>
<tuv xml:lang="zh-CN"><seg>暴风雨导致学校停课</seg></tuv></tu>
</body></tmx>
"""


def test_import_tmx_and_po_then_sync_uses_them(
    locflow: Invoke, project: Path, tmp_path: Path
) -> None:
    tmx = tmp_path / "agency.tmx"
    tmx.write_text(TMX, encoding="utf-8")
    result = locflow("memory", "import", str(tmx), ok=True)
    assert result.stdout == "imported memory/agency.tmx (1 es, 1 zh_Hans)\n"
    again = locflow("memory", "import", str(tmx), ok=True)
    assert again.stdout == "already in the memory: memory/agency.tmx (1 es, 1 zh_Hans)\n"
    po = tmp_path / "old-site.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: es_ES\\n"\n\n'
        'msgid "Schools were closed on Monday."\nmsgstr "Las escuelas cerraron el lunes."\n\n'
        '#, fuzzy\nmsgid "Council approves the budget"\nmsgstr "Borrador"\n',
        encoding="utf-8",
    )
    assert locflow("memory", "import", str(po), ok=True).stdout == (
        "imported memory/old-site.po (1 es)\n"
    )
    locflow("sync", ok=True)
    es = entries(project / "locales/es/articles/storm.po")
    title = es["Storm closes schools"]
    # imported text is nobody's approved translation here: a draft to review
    assert title.msgstr == "La tormenta cierra las escuelas" and title.flags == ["fuzzy"]
    assert title.tcomment.startswith("locflow-draft: memory 100% agency.tmx ")
    assert es["Schools were closed on Monday."].msgstr == "Las escuelas cerraron el lunes."
    assert entries(project / "locales/es/articles/vote.po")[
        "Council approves the budget"
    ].msgstr == ""  # fuzzy entries of an imported PO are not memories
    zh = entries(project / "locales/zh_Hans/articles/storm.po")
    assert zh["Storm closes schools"].msgstr == "暴风雨导致学校停课"
    assert zh["Schools were closed on Monday."].msgstr == ""

    search = locflow("memory", "search", "Storm closes schools", "-l", "zh_Hans", ok=True)
    assert "agency.tmx (imported)  memory/agency.tmx:6" in search.stdout
    rebuilt = locflow("memory", "rebuild", ok=True)
    assert "memory rebuilt from" in rebuilt.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("<tmx><body><tu>\n</body></tmx>", "bad.tmx:2: not valid XML: mismatched tag"),
        (
            '<!DOCTYPE tmx [<!ENTITY a "x">]><tmx/>',
            "bad.tmx:1: TMX with entity declarations or external entities is refused",
        ),
    ],
)
def test_import_of_a_bad_file_is_one_line_and_exit_2(
    locflow: Invoke, project: Path, tmp_path: Path, content: str, message: str
) -> None:
    bad = tmp_path / "bad.tmx"
    bad.write_text(content, encoding="utf-8")
    result = locflow("memory", "import", str(bad))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and message in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert not (project / "memory").exists()
    missing = locflow("memory", "import", str(tmp_path / "missing.tmx"))
    assert missing.exit_code == 2 and "missing.tmx: cannot read" in missing.stderr


def test_init_makes_git_ignore_the_cache(locflow: Invoke, tmp_path: Path) -> None:
    fresh = tmp_path / "fresh"
    result = locflow("init", ok=True, root=fresh)
    assert "/.gitignore" in result.stdout
    assert ".locflow/" in (fresh / ".gitignore").read_text().splitlines()
    (fresh / ".gitignore").write_text("*.tmp")
    locflow("init", ok=True, root=fresh)
    assert (fresh / ".gitignore").read_text().splitlines()[0] == "*.tmp"
    assert (fresh / ".gitignore").read_text().splitlines()[-2:] == [".locflow/", ".*.tmp"]


def test_pipeline_prefills_from_memory_offline(locflow: Invoke, memory_project: Path) -> None:
    result = locflow("pipeline")
    assert result.exit_code == 1  # the drafts are not approved: the check stage says so
    assert (
        "created locales/zh_Hans/articles/second.po "
        "(4 new, from memory: 1 exact, 1 fuzzy, 1 sentences)" in result.stdout
    )
    zh = entries(memory_project / "locales/zh_Hans/articles/second.po")
    assert zh["Council approves the budget"].msgstr == "市议会通过预算"


def test_a_fully_translated_project_never_opens_the_memory(
    locflow: Invoke, example_project: Path
) -> None:
    before = {p: p.read_bytes() for p in (example_project / "locales").rglob("*.po")}
    locflow("pipeline", ok=True, root=example_project)
    assert {p: p.read_bytes() for p in before} == before
    # (.locflow/ may hold check's and status's results: the memory's index is what must not be)
    assert not list((example_project / ".locflow").glob("memory*"))


def test_memory_fills_before_machine_translation_is_asked(
    locflow: Invoke, memory_project: Path, libre: LibreServer
) -> None:
    from tests.e2e.test_translate_cli import configure

    configure(memory_project, libre.url)
    result = locflow("pipeline")
    assert "from memory: 1 exact, 1 fuzzy, 1 sentences" in result.stdout
    asked = {r["q"] for r in libre.requests if r["target"] == "es"}
    assert "A paragraph nobody has translated yet." in asked
    assert not asked & set(TRANSLATIONS["es"])  # nothing the memory had was paid for
    assert not any(q.startswith(("The city council", "Heavy rain")) for q in asked)
    es = entries(memory_project / "locales/es/articles/second.po")
    kinds = {msgid: e.tcomment.split()[1] for msgid, e in es.items()}
    assert kinds == {
        "Council approves the budget": "memory",
        "The city council voted 6-3 on Tuesday to approve the budget.": "memory",
        "Heavy rain fell all night. The mayor said the plan was fair.": "memory",
        "A paragraph nobody has translated yet.": "mt",
    }


def test_a_broken_catalog_is_left_out_of_the_memory_with_a_warning(
    locflow: Invoke, memory_project: Path
) -> None:
    broken = memory_project / "locales/es/articles/first.po"
    broken.write_text(broken.read_text(encoding="utf-8") + '\nmsgid "unterminated\n')
    result = locflow("sync", "--article", "second", ok=True)
    assert "warning: left out of the translation memory: locales/es/articles/first.po:" in (
        result.stderr
    )
    assert "created locales/es/articles/second.po (4 new)\n" in result.stdout
    assert "created locales/zh_Hans/articles/second.po (4 new, from memory:" in result.stdout
    search = locflow("memory", "search", "Council approves the budget", ok=True)
    assert "left out of the translation memory" in search.stderr
    assert "  zh_Hans  first (approved)" in search.stdout and "  es  " not in search.stdout


def test_a_memory_draft_a_person_rewrote_is_no_longer_listed_as_one(
        locflow: Invoke, memory_project: Path) -> None:
    """Issue 19: the provenance of a memory draft stayed on the text a person made of it."""
    locflow("sync", ok=True)
    path = memory_project / "locales/zh_Hans/articles/second.po"

    def drafts() -> dict[str, object]:
        rows = json.loads(locflow("review", "list", str(path), "--format", "json",
                                  ok=True).stdout)
        return {row["msgid"]: row["draft"] for row in rows["entries"]}

    changed = "The city council voted 6-3 on Tuesday to approve the budget."
    assert str(drafts()[changed]).startswith("memory 96% first ")
    before = path.read_bytes()
    locflow("sync", ok=True)  # drafts that record their text: an unchanged catalog stays
    assert path.read_bytes() == before
    with pofile.edit(path) as catalog:
        entry = next(e for e in catalog.active() if e.msgid == changed)
        entry.msgstr = "市议会周二以6比3投票通过预算。"  # the translator corrects the draft
        entry.flags.remove("fuzzy")
    assert drafts()[changed] is None
    assert drafts()["Council approves the budget"] is not None  # untouched: still a draft
