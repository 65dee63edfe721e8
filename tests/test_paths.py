"""locflow.paths: every path resolves inside the project, links included."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from locflow import paths
from locflow.config import Config, Project
from locflow.errors import PathError, excerpt
from locflow.paths import in_vcs_folder, inside, plain_name, plain_relative, validate_path_text


def test_a_plain_path_inside_is_returned_as_given(tmp_path: Path) -> None:
    assert inside(tmp_path, "locales/es/x.po") == tmp_path / "locales/es/x.po"
    (tmp_path / "locales" / "real").mkdir(parents=True)
    (tmp_path / "locales" / "alias").symlink_to("real")  # a link within its top folder: fine
    assert inside(tmp_path, "locales/alias/x.po") == tmp_path / "locales/alias/x.po"


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


# -- a top folder that is itself a link (issue 17) ----------------------------------


def test_a_top_folder_linked_to_the_project_root_is_refused(tmp_path: Path) -> None:
    """``locales -> .`` made every file of the project count as inside ``locales/``: a
    template linked to ``../../locflow.toml`` let sync overwrite the settings."""
    (tmp_path / "locflow.toml").write_text("", encoding="utf-8")
    (tmp_path / "locales").symlink_to(".")
    (tmp_path / "templates" / "articles").mkdir(parents=True)
    (tmp_path / "templates" / "articles" / "vote.pot").symlink_to("../../locflow.toml")
    with pytest.raises(PathError) as caught:
        inside(tmp_path, "locales/templates/articles/vote.pot", "template")
    assert caught.value.path == "locales"
    assert caught.value.message == ("top folder is a symbolic link (a top folder must be a "
                                    "real folder); refusing to use the template in it")
    with pytest.raises(PathError) as caught:
        inside(tmp_path, "locales", "locales folder")  # the folder itself
    assert caught.value.path == "locales"
    assert caught.value.message.startswith("locales folder is a symbolic link to a folder")
    with pytest.raises(PathError, match="top folder is a symbolic link"):
        inside(tmp_path, "locales/x")  # two parts, no link further on


@pytest.mark.parametrize("target", [".", "content", "content/sub", "locales/.."])
def test_a_top_folder_linked_inside_the_project_is_refused(tmp_path: Path, target: str) -> None:
    (tmp_path / "content" / "sub").mkdir(parents=True)
    (tmp_path / "locales").mkdir()
    (tmp_path / ".locflow").symlink_to(target)
    for name in ("memory.sqlite3", "a/b/c.json"):
        with pytest.raises(PathError, match=r"^\.locflow: top folder is a symbolic link") as caught:
            inside(tmp_path, f".locflow/{name}")
        assert caught.value.path == ".locflow"
    with pytest.raises(PathError, match="symbolic link to a folder or into one"):
        inside(tmp_path, ".locflow", "cache folder")


def test_a_top_level_file_may_link_to_a_file_beside_it_only(tmp_path: Path) -> None:
    (tmp_path / "settings.toml").write_text("", encoding="utf-8")
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "a.md").write_text("", encoding="utf-8")
    (tmp_path / "locflow.toml").symlink_to("settings.toml")
    assert inside(tmp_path, "locflow.toml") == tmp_path / "locflow.toml"
    (tmp_path / "locflow.toml").unlink()
    (tmp_path / "locflow.toml").symlink_to("content/a.md")  # into a top folder
    with pytest.raises(PathError, match="symbolic link to a folder or into one") as caught:
        inside(tmp_path, "locflow.toml", "configuration file")
    assert caught.value.path == "locflow.toml"
    (tmp_path / "dist").symlink_to("content")  # a folder beside it
    with pytest.raises(PathError, match=r"^dist: \[build\] out is a symbolic link"):
        inside(tmp_path, "dist", "[build] out")


def test_a_path_spelled_with_dots_names_the_top_folder_it_reaches(tmp_path: Path) -> None:
    (tmp_path / "locflow.toml").write_text("", encoding="utf-8")
    (tmp_path / "locales").mkdir()
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "x.pot").symlink_to("../locflow.toml")
    with pytest.raises(PathError, match="outside content/"):
        inside(tmp_path, "locales/../content/x.pot")
    # the same file reached from the root's parent, by the root's own name
    spelled = f"../{tmp_path.name}/content/x.pot"
    with pytest.raises(PathError, match="outside content/"):
        inside(tmp_path, spelled)
    assert inside(tmp_path, f"../{tmp_path.name}/locales/new.po") == (
        tmp_path / f"../{tmp_path.name}/locales/new.po")


# -- what the fast path must never accept -------------------------------------------


@pytest.mark.parametrize("path", ["..", "../victim", "locales/../../victim",
                                  "missing/../../victim", "locales/../.."])
def test_dots_that_climb_out_are_refused(tmp_path: Path, path: str) -> None:
    root = tmp_path / "site"
    (root / "locales").mkdir(parents=True)
    (tmp_path / "victim").write_text("", encoding="utf-8")
    with pytest.raises(PathError, match="outside the project") as caught:
        inside(root, path)
    assert caught.value.path == path


@pytest.mark.parametrize("path", ["missing/.git/config", ".git", "a/.hg/x", "locales/.svn",
                                  "x/_darcs", ".jj/repo", ".bzr"])
def test_version_control_data_is_refused_existing_or_not(tmp_path: Path, path: str) -> None:
    (tmp_path / "locales").mkdir()
    with pytest.raises(PathError, match="version-control") as caught:
        inside(tmp_path, path)
    assert caught.value.path == path
    assert in_vcs_folder(Path(path))


def test_an_absolute_path_outside_is_refused_even_when_it_starts_like_the_root(
    tmp_path: Path
) -> None:
    root = tmp_path / "site"
    root.mkdir()
    (tmp_path / "site-evil").mkdir()
    for path in (f"{root}-evil/x", f"{root}x", "/etc/passwd", str(tmp_path)):
        with pytest.raises(PathError, match="outside the project") as caught:
            inside(root, path)
        assert caught.value.path == path
    assert inside(root, f"{root}/locales/x.po") == root / "locales" / "x.po"
    assert inside(root, str(root)) == root


def test_a_path_below_a_file_or_a_missing_folder_is_as_written(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("", encoding="utf-8")
    assert inside(tmp_path, "notes.txt/x") == tmp_path / "notes.txt" / "x"
    assert inside(tmp_path, "missing/a/b.po") == tmp_path / "missing/a/b.po"
    assert plain_relative(tmp_path, "missing/a/b.po") == "missing/a/b.po"


def test_a_root_that_does_not_exist_is_compared_as_written(tmp_path: Path) -> None:
    root = tmp_path / "not-yet"
    assert inside(root, "locales/es/x.po") == root / "locales/es/x.po"
    with pytest.raises(PathError):
        inside(root, "../x")


def test_plain_relative_only_for_paths_with_nothing_to_resolve(tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root / "locales" / "real").mkdir(parents=True)
    (root / "locales" / "alias").symlink_to("real")
    assert plain_relative(root, root / "locales" / "es.po") == "locales/es.po"
    assert plain_relative(root, "locales/es.po") == "locales/es.po"
    assert plain_relative(root, "locales/real/x.po") == "locales/real/x.po"
    assert plain_relative(root, "locales/real") == "locales/real"  # (every part exists)
    for path in ("locales/alias/x.po", "locales/../locales/x", "./locales/x", "locales//x",
                 "", "..", ".git/x", "a\0b", str(tmp_path / "elsewhere"), str(root)):
        assert plain_relative(root, path) is None, path
    (tmp_path / "alias").symlink_to(root)  # the root itself spelled through a link
    assert plain_relative(tmp_path / "alias", tmp_path / "alias" / "locales" / "x") is None


def test_the_resolved_root_is_remembered_while_it_is_the_same_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    alias = tmp_path / "alias"
    alias.symlink_to("a")
    paths._real_roots.clear()
    calls: list[str] = []
    realpath = os.path.realpath

    def counted(path: str) -> str:
        calls.append(path)
        return realpath(path)

    monkeypatch.setattr(os.path, "realpath", counted)
    assert paths._real_root(alias) == str(tmp_path / "a")
    assert paths._real_root(alias) == str(tmp_path / "a")
    assert len(calls) == 1  # the second time from memory
    alias.unlink()
    alias.symlink_to("b")  # another folder at the same name: resolved again
    assert paths._real_root(alias) == str(tmp_path / "b")
    assert paths._real_root(tmp_path / "a") == str(tmp_path / "a")
    assert {str(alias), str(tmp_path / "a")} <= set(paths._real_roots)
    assert paths._real_root(tmp_path / "gone") == str(tmp_path / "gone")
    largest = 0
    for n in range(100):
        paths._real_root(f"{tmp_path}/a" + "/." * n)
        largest = max(largest, len(paths._real_roots))
    assert largest == 65  # bounded


def test_configured_names_and_texts(tmp_path: Path) -> None:
    for good in ("my site!/x y", "dist", "a~b"):
        assert validate_path_text(good, "out") == good
    for bad in ("dist\x7f", "dist\x1f", "\x00", "a\nb"):
        with pytest.raises(PathError, match="control character"):
            validate_path_text(bad, "out")
    for good in ("a.b", "..a", "x..", ".hidden"):
        assert plain_name(good, "slug") == good
    for bad in ("", ".", "..", "a/b", "a\\b", "a\x01"):
        with pytest.raises(PathError) as caught:
            plain_name(bad, "slug")
        assert caught.value.message.startswith("slug ")


def test_a_path_outside_that_leads_inside_is_judged_by_where_it_leads(tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root / "locales").mkdir(parents=True)
    (root / "content").mkdir()
    (tmp_path / "way-in").symlink_to("site")  # (outside the project: not the repository's)
    assert inside(root, "../way-in/locales/x.po") == root / "../way-in/locales/x.po"
    assert inside(root, tmp_path / "way-in" / "locales") == tmp_path / "way-in" / "locales"
    # a link followed by ".." cannot take a top-level name into another top folder
    (root / "locales" / "deep").mkdir()
    (root / "content" / "to-locales").symlink_to("../locales/deep")
    with pytest.raises(PathError, match="outside content/"):
        inside(root, "content/to-locales/../x.toml")
    (root / "to-locales").symlink_to("locales/deep")
    with pytest.raises(PathError, match=r"outside x\.toml/"):
        inside(root, "to-locales/../x.toml")


def test_the_common_case_is_decided_without_the_general_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A path plainly inside (no link, no dots) costs an lstat per part, nothing more."""
    (tmp_path / "locales" / "es").mkdir(parents=True)

    def general(*args: object) -> tuple[str, ...]:
        raise AssertionError("the general check ran")

    monkeypatch.setattr(paths, "_named_parts", general)
    assert inside(tmp_path, "locales/es/x.po") == tmp_path / "locales/es/x.po"
    assert inside(tmp_path, tmp_path / "locales") == tmp_path / "locales"
