"""locflow.paths: every path resolves inside the project, links included."""

from __future__ import annotations

from pathlib import Path

import pytest

from locflow.config import Config, Project
from locflow.errors import PathError, excerpt
from locflow.paths import inside, plain_name, validate_path_text


def test_a_plain_path_inside_is_returned_as_given(tmp_path: Path) -> None:
    assert inside(tmp_path, "locales/es/x.po") == tmp_path / "locales/es/x.po"
    (tmp_path / "real").mkdir()
    (tmp_path / "alias").symlink_to("real")  # a link that stays inside is fine
    assert inside(tmp_path, "alias/x.po") == tmp_path / "alias/x.po"


@pytest.mark.parametrize("target", ["../../victim", "/etc/passwd", "../../../nonexistent/dir/file"])
def test_a_link_that_leaves_is_refused_dangling_or_not(tmp_path: Path, target: str) -> None:
    root = tmp_path / "site"
    (root / "locales").mkdir(parents=True)
    (root / "locales" / "x.pot").symlink_to(target)
    with pytest.raises(PathError) as caught:
        inside(root, "locales/x.pot", "template")
    assert caught.value.path == "locales/x.pot"
    assert "outside the project" in caught.value.message


def test_a_linked_folder_that_leaves_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "site"
    root.mkdir()
    (tmp_path / "elsewhere").mkdir()
    (root / "locales").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(PathError):
        inside(root, "locales/es/articles/a.po")


def test_loops_nul_and_vcs_folders_are_refused(tmp_path: Path) -> None:
    (tmp_path / "loop").symlink_to("loop")
    with pytest.raises(PathError, match="loop"):
        inside(tmp_path, "loop/x")
    with pytest.raises(PathError, match="NUL"):
        inside(tmp_path, "dist\0x")
    with pytest.raises(PathError, match="version-control"):
        inside(tmp_path, ".git/hooks")


def test_names_and_texts() -> None:
    assert plain_name("zh_Hans", "locale") == "zh_Hans"
    for bad in ("..", "a/b", "", "a\0"):
        with pytest.raises(PathError):
            plain_name(bad, "locale")
    with pytest.raises(PathError):
        validate_path_text("out\x1b[31m", "out")


def test_the_project_layout_is_checked(tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root / "locales" / "es").mkdir(parents=True)
    (root / "locales" / "es" / "articles").symlink_to(tmp_path)
    project = Project(root, Config())
    with pytest.raises(PathError, match="catalog resolves outside"):
        project.article_catalog("es", "vote")
    with pytest.raises(PathError):
        project.article_catalog("../../x", "vote")
    assert project.path("glossary", "es.csv") == root / "glossary" / "es.csv"


def test_excerpts_are_short_and_escaped() -> None:
    assert excerpt("a\x1bb") == "'a\\x1bb'"
    assert len(excerpt("x" * 10_000)) < 40


def test_a_link_into_another_top_folder_is_refused(tmp_path: Path) -> None:
    """A catalog linked to locflow.toml or an article would let sync overwrite it."""
    (tmp_path / "locflow.toml").write_text("", encoding="utf-8")
    (tmp_path / "content").mkdir()
    folder = tmp_path / "locales" / "templates" / "articles"
    folder.mkdir(parents=True)
    (folder / "zz.pot").symlink_to("../../../locflow.toml")
    (folder / "yy.pot").symlink_to("../../../content/yy.md")
    for name in ("zz.pot", "yy.pot"):
        with pytest.raises(PathError, match="outside locales/"):
            inside(tmp_path, f"locales/templates/articles/{name}", "template")
    (tmp_path / "locales" / "es").mkdir()
    (folder / "ok.pot").symlink_to("../../es/ok.pot")  # within locales/: fine
    assert inside(tmp_path, "locales/templates/articles/ok.pot").name == "ok.pot"
