"""The glossary: its CSV format, the glossary check, translator notes, and the CLI."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from locflow.catalog import pofile
from locflow.config import Project
from locflow.errors import ConfigError, PathError
from locflow.glossary import Glossary, Term, annotate, check, contains, load, notes, parse
from tests.conftest import Invoke

REPO = Path(__file__).resolve().parents[1]
ES = parse(
    "term,translation,kind,note\n"
    "Zhao Tong,,do-not-translate,family name first\n"
    "Pyongyang,Pionyang,translate,\n"
    "Pyongyang,Pyongyang,forbidden,\n"
    "Asian NATO,OTAN asiática,translate,\n"
    "NATO,OTAN,translate,\n",
    "es",
)


def test_parse_rows_and_kinds() -> None:
    assert [t.kind for t in ES.terms] == [
        "do-not-translate", "translate", "forbidden", "translate", "translate"]
    assert ES.terms[0] == Term("Zhao Tong", "", "do-not-translate", "family name first", 2)
    assert ES.keep() == ["Zhao Tong"]
    assert ES.render()["Pyongyang"] == "Pionyang"


@pytest.mark.parametrize(("text", "message"), [
    ("term,kind\nx,translate\n", ":1: the first row must name the columns"),
    ("term,translation,kind\nx,y,maybe\n", ":2: kind must be one of"),
    ("term,translation,kind\nx,,translate\n", ":2: translate needs a translation"),
    ("term,translation,kind\n,y,translate\n", ":2: a row without a term"),
    ("term,translation,kind\nx,y,translate,n,extra\n", ":2: 5 columns"),
])
def test_bad_rows_name_file_and_line(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse(text, "es", "glossary/es.csv")
    assert message in str(caught.value) and str(caught.value).startswith("glossary/es.csv")


@pytest.mark.parametrize(("source", "translation", "problems"), [
    ("Aid for Pyongyang", "Ayuda para Pionyang", []),
    ("Aid for PYONGYANG", "ayuda para pionyang", []),
    ("Aid for Pyongyang", "Ayuda para Pyongyang",
     ["'Pyongyang' should be rendered as 'Pionyang'",
      "'Pyongyang' is a forbidden rendering of 'Pyongyang'"]),
    ("an Asian NATO", "unas “OTAN asiáticas”", []),  # inflected
    ("an Asian NATO", "una OTAN de Asia", ["'Asian NATO' should be rendered as 'OTAN asiática'"]),
    ("Zhao Tong said", "Zhao Tong dijo", []),
    ("Zhao Tong said", "Tong Zhao dijo", ["'Zhao Tong' should stay as it is (do not translate)"]),
    ("NATOs and xNATO", "nada", []),  # whole words only
])
def test_check(source: str, translation: str, problems: list[str]) -> None:
    assert check(source, translation, ES) == problems


def test_chinese_renderings_are_substrings() -> None:
    zh = Glossary("zh_Hans", (Term("Zhao Tong", "赵通", "translate"),
                              Term("Kim Jong-un", "金正日", "forbidden")))
    assert check("Zhao Tong met Kim Jong-un", "赵通会见了金正恩", zh) == []
    assert check("Kim Jong-un", "金正日", zh) == [
        "'金正日' is a forbidden rendering of 'Kim Jong-un'"]
    assert not contains("赵", "赵通", "zh_Hans")


def test_matching_is_linear() -> None:
    many = Glossary("es", tuple(Term(f"term{i} word", f"palabra{i}", "translate")
                                for i in range(300)))
    text = "term1 word " * 5000
    started = time.perf_counter()
    check(text, "palabra1 " * 5000, many)
    assert time.perf_counter() - started < 1.0


def test_notes_and_annotate_are_idempotent() -> None:
    assert notes("Zhao Tong in Pyongyang", ES) == [
        "glossary: Zhao Tong (do not translate) (family name first)",
        "glossary: Pyongyang = Pionyang",
        "glossary: Pyongyang ≠ Pyongyang",
    ]
    once = annotate("paragraph", "Zhao Tong in Pyongyang", ES)
    assert annotate(once, "Zhao Tong in Pyongyang", ES) == once
    assert annotate(once, "No terms here", ES) == "paragraph"


def test_the_shipped_glossaries_pass_on_the_approved_example() -> None:
    project = Project.load(REPO)
    for locale in project.config.target_locales:
        glossary = load(project, locale)
        assert glossary.terms
        for path in sorted((project.locales_dir / locale).rglob("*.po")):
            for entry in pofile.load(path).active():
                assert check(entry.msgid, entry.msgstr, glossary) == [], entry.msgid


def test_a_glossary_outside_the_project_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root / "glossary").mkdir(parents=True)
    outside = tmp_path / "elsewhere.csv"
    outside.write_text("term,translation,kind\nx,y,translate\n", encoding="utf-8")
    (root / "glossary" / "es.csv").symlink_to(outside)
    with pytest.raises(PathError, match="outside the project"):  # exit 2, like any input
        load(Project.load(root), "es")
    assert not load(Project.load(root), "../../etc/passwd").terms  # not a locale: no file read


def test_sync_notes_check_and_show(locflow: Invoke, project: Path) -> None:
    (project / "glossary").mkdir()
    (project / "glossary" / "es.csv").write_text(
        "term,translation,kind,note\ncouncil,concejo,translate,not consejo\n"
        "council,consejo,forbidden,\n", encoding="utf-8")
    locflow("sync", ok=True)
    path = project / "locales" / "es" / "articles" / "vote.po"
    text = path.read_text(encoding="utf-8")
    assert "#. paragraph\n#. glossary: council = concejo (not consejo)\n" \
           "#. glossary: council ≠ consejo\n#: content/vote.md\n" \
           "msgid \"The city council voted" in text
    assert "glossary:" not in (project / "locales" / "zh_Hans" / "articles" / "vote.po"
                               ).read_text(encoding="utf-8")
    catalog = pofile.load(path)
    entry = next(e for e in catalog.active() if e.msgid.startswith("The city council"))
    entry.msgstr = "El consejo municipal votó 7-2 el martes para aprobar el presupuesto."
    pofile.save_atomic(path, pofile.dump(catalog))
    report = json.loads(locflow("check", "--locale", "es", "--article", "vote",
                                "--format", "json").stdout)
    glossary_findings = sorted(f["message"] for f in report["findings"]
                               if f["check"] == "glossary")
    assert glossary_findings == ["'consejo' is a forbidden rendering of 'council'",
                                 "'council' should be rendered as 'concejo'"]
    # sync again: nothing changes (the notes are up to date)
    before = path.read_bytes()
    locflow("sync", ok=True)
    assert path.read_bytes() == before
    shown = locflow("glossary", "show", "--locale", "es", ok=True).stdout
    assert "council  concejo  # not consejo" in shown and "council  never: consejo" in shown
    rows = json.loads(locflow("glossary", "show", "--format", "json", ok=True).stdout)["terms"]
    assert rows[0] == {"locale": "es", "term": "council", "translation": "concejo",
                       "kind": "translate", "note": "not consejo"}
    bad = project / "glossary" / "es.csv"
    bad.write_text("term,translation,kind\ncouncil,,translate\n", encoding="utf-8")
    result = locflow("glossary", "show")
    assert result.exit_code == 2
    assert result.stderr.strip().endswith("glossary/es.csv:2: translate needs a translation")


SEVILLE = "term,translation,kind,note\nSeville,Sevilla,translate,\nSeville,Seville,forbidden,\n"


def test_a_forbidden_rendering_matches_only_as_written() -> None:
    """Issue 19: ending folding made the approved "Sevilla" pass for the forbidden "Seville"."""
    glossary = parse(SEVILLE, "es")
    assert check("Flights to Seville.", "Vuelos a Sevilla.", glossary) == []
    assert check("Flights to Seville.", "Vuelos a SEVILLE.", glossary) == [
        "'Seville' is a forbidden rendering of 'Seville'"]
    assert check("Flights to Seville.", "Vuelos a Sevilla y Seville.", glossary) == [
        "'Seville' is a forbidden rendering of 'Seville'"]
    # whole words: a longer word containing the forbidden one is not a use of it
    assert check("Flights to Seville.", "Vuelos a Sevilla (Sevillestrasse).", glossary) == []


def test_check_does_not_flag_an_approved_rendering_as_forbidden(
        locflow: Invoke, project: Path) -> None:
    (project / "content" / "trip.md").write_text(
        "---\ntitle: Trip\ndate: 2024-11-04\n---\n\nThe team flew to Seville.\n", encoding="utf-8")
    (project / "glossary").mkdir()
    (project / "glossary" / "es.csv").write_text(SEVILLE, encoding="utf-8")
    locflow("sync", ok=True)
    path = project / "locales" / "es" / "articles" / "trip.po"
    catalog = pofile.load(path)
    for entry in catalog.active():
        entry.msgstr = {"Trip": "Viaje", "The team flew to Seville.":
                        "El equipo voló a Sevilla."}[entry.msgid]
    pofile.save_atomic(path, pofile.dump(catalog))

    def findings() -> list[str]:
        report = json.loads(locflow("check", "--locale", "es", "--article", "trip",
                                    "--format", "json").stdout)
        return [f["message"] for f in report["findings"] if f["check"] == "glossary"]

    assert findings() == []
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("voló a Sevilla.", "voló a Seville."), encoding="utf-8")
    assert findings() == ["'Seville' is a forbidden rendering of 'Seville'"]
