"""What the desk's pages compute: word diffs, glossary highlights, hosts (pure parts)."""

from __future__ import annotations

from pathlib import Path

import pytest

from locflow.config import Project
from locflow.serve import app as desk_app
from locflow.serve import views


def test_word_diff_marks_changed_words_only() -> None:
    pieces = views.word_diff("The council voted 7-2 on Tuesday.",
                             "The council voted 8-1 on Wednesday.")
    assert "".join(t for op, t in pieces if op != "insert") == "The council voted 7-2 on Tuesday."
    assert "".join(t for op, t in pieces if op != "delete") == "The council voted 8-1 on Wednesday."
    assert ("delete", "Tuesday") in pieces and ("insert", "Wednesday") in pieces
    assert views.word_diff("same", "same") == [("equal", "same")]


def test_word_diff_of_huge_texts_stays_linear() -> None:
    old, new = "a " * 5000, "b " * 5000
    assert views.word_diff(old, new) == [("delete", old), ("insert", new)]


def term(text: str, translation: str = "", kind: str = "translate") -> views.Term:
    return views.Term(text, translation, kind)


def test_highlight_finds_terms_at_word_boundaries_ignoring_case() -> None:
    kim = term("Kim", kind="do-not-translate")
    pieces = views.highlight("Kim met Kimberly; KIM smiled", [("Kim", kim, "source")])
    assert [p.text for p in pieces if p.term] == ["Kim", "KIM"]
    assert "".join(p.text for p in pieces) == "Kim met Kimberly; KIM smiled"


def test_highlight_prefers_the_longest_term_and_never_overlaps() -> None:
    nato, asian = term("NATO", "OTAN"), term("Asian NATO", "OTAN asiática")
    pieces = views.highlight("an Asian NATO, not NATO",
                             [("NATO", nato, "source"), ("Asian NATO", asian, "source")])
    assert [(p.text, p.term) for p in pieces if p.term] == [("Asian NATO", asian), ("NATO", nato)]


def test_highlight_in_chinese_needs_no_spaces() -> None:
    kim = term("Kim Jong-un", "金正恩")
    pieces = views.highlight("朝鲜领导人金正恩说", views.target_needles([kim]))
    assert [p.text for p in pieces if p.term] == ["金正恩"]


def test_forbidden_renderings_are_marked_in_the_translation() -> None:
    mayor = term("mayor", "alcaldesa", "forbidden")
    found = views.source_terms("The mayor said", [mayor])
    pieces = views.highlight("La alcaldesa dijo", views.target_needles(found))
    assert [(p.text, p.role) for p in pieces if p.term] == [("alcaldesa", "forbidden")]


def test_glossary_is_optional_and_read_from_the_project(project: Path, tmp_path: Path) -> None:
    loaded = Project.load(project)
    assert views.glossary(loaded, "es") == ([], "", views.glossary(loaded, "es")[2])
    assert not views.glossary(loaded, "es")[0]
    folder = project / "glossary"
    folder.mkdir()
    (folder / "es.csv").write_text("term,translation,kind,note\nmayor,alcalde,translate,m.\n",
                                   encoding="utf-8")
    terms, problem, found = views.glossary(loaded, "es")
    assert terms == [views.Term("mayor", "alcalde", "translate", "m.")] and not problem
    assert found is not None and found.found_in("The mayor said")
    (folder / "es.csv").write_text("term,translation,kind\nx,,nonsense\n", encoding="utf-8")
    terms, problem, found = views.glossary(loaded, "es")
    assert terms == [] and "es.csv:2" in problem and found is None
    (folder / "es.csv").unlink()
    secret = tmp_path / "secret.csv"
    secret.write_text("term,translation,kind\nkey,value,translate\n", encoding="utf-8")
    (folder / "es.csv").symlink_to(secret)
    terms, problem, _ = views.glossary(loaded, "es")
    assert terms == [] and "outside the project" in problem


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("localhost", True), ("::1", True), ("127.1.2.3", True),
    ("0.0.0.0", False), ("192.168.1.5", False), ("example.com", False), ("::", False),
])
def test_is_loopback(host: str, loopback: bool) -> None:
    assert desk_app.is_loopback(host) is loopback


def test_host_header_rules() -> None:
    allowed = desk_app.allowed_hosts("127.0.0.1", 8765)
    assert desk_app.host_allowed("127.0.0.1:8765", allowed, 8765, False)
    assert desk_app.host_allowed("LOCALHOST:8765", allowed, 8765, False)
    assert not desk_app.host_allowed("attacker.example:8765", allowed, 8765, False)
    assert not desk_app.host_allowed("10.0.0.2:8765", allowed, 8765, False)
    # listening on every interface: any IP address with the port, still no foreign name
    assert desk_app.host_allowed("10.0.0.2:8765", allowed, 8765, True)
    assert desk_app.host_allowed("[fe80::1]:8765", allowed, 8765, True)
    assert not desk_app.host_allowed("10.0.0.2:80", allowed, 8765, True)
    assert not desk_app.host_allowed("attacker.example:8765", allowed, 8765, True)
    assert "[::1]:9000" in desk_app.allowed_hosts("::1", 9000)


def test_several_renderings_are_all_marked() -> None:
    beijing = term("Beijing", "Pekín | Beijing")
    pieces = views.highlight("Pekín y Beijing", views.target_needles([beijing]))
    assert [p.text for p in pieces if p.term] == ["Pekín", "Beijing"]
    assert beijing.hint() == "→ Pekín | Beijing"
