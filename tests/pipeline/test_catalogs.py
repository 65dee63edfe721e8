"""``pipeline.project_catalogs`` lists a project's catalogs as a checked glob would: the
same files in the same order, the same labels, the same refusals; only links are
resolved one by one."""

from __future__ import annotations

from pathlib import Path

import pytest

from locflow import pipeline
from locflow.config import Config, Project
from locflow.errors import PathError

PO = 'msgid ""\nmsgstr ""\n"Language: es\\n"\n\nmsgid "a"\nmsgstr "b"\n'


def by_glob(project: Project) -> list[tuple[str, str, str | None, str | None]]:
    """What project_catalogs() gave before: every path checked and resolved."""
    out = []
    for locale in project.config.target_locales:
        folder = project.root / "locales" / locale / "articles"
        paths = sorted(folder.glob("*.po")) if folder.is_dir() else []
        for path in paths:
            project.checked(path, "catalog")
            out.append((str(path), project.relative(path), locale, path.stem))
        site = project.site_catalog(locale)
        if site.exists():
            out.append((str(site), project.relative(site), locale, "site"))
    return out


def listed(project: Project) -> list[tuple[str, str, str | None, str | None]]:
    return [(str(r.path), r.label, r.locale, r.article) for r in pipeline.project_catalogs(project)]


@pytest.fixture
def catalogs(project: Path) -> Path:
    es = project / "locales" / "es" / "articles"
    es.mkdir(parents=True)
    for name in ("vote.po", "b.po", ".hidden.po", ".po", "a b.po", "notes.txt"):
        (es / name).write_text(PO, encoding="utf-8")
    (es / "folder.po").mkdir()
    spare = project / "locales" / "spare"
    spare.mkdir()
    (spare / "kept.po").write_text(PO, encoding="utf-8")
    (es / "linked.po").symlink_to("../../spare/kept.po")  # inside locales/: fine
    return project


def test_the_same_files_labels_and_order_as_a_checked_glob(catalogs: Path) -> None:
    project = Project.load(catalogs)
    got = listed(project)
    assert got == by_glob(project)
    assert [label for _, label, _, _ in got] == [
        "locales/es/articles/.hidden.po", "locales/es/articles/.po", "locales/es/articles/a b.po",
        "locales/es/articles/b.po", "locales/es/articles/folder.po",
        "locales/spare/kept.po", "locales/es/articles/vote.po"]


def test_a_root_spelled_through_a_link_labels_as_relative_does(
        catalogs: Path, tmp_path: Path) -> None:
    alias = tmp_path / "alias"
    alias.symlink_to(catalogs)
    project = Project(alias, Project.load(catalogs).config)  # root not resolved
    assert listed(project) == by_glob(project)
    assert listed(project)[0][1] == str(alias / "locales/es/articles/.hidden.po")


def test_a_linked_articles_folder_is_followed_when_it_stays_inside(catalogs: Path) -> None:
    zh = catalogs / "locales" / "zh_Hans"
    zh.mkdir()
    (zh / "articles").symlink_to("../es/articles")
    project = Project.load(catalogs)
    got = listed(project)
    assert got == by_glob(project)
    assert ("locales/es/articles/vote.po", "zh_Hans") in [(g[1], g[2]) for g in got]


def test_a_link_out_of_the_project_is_refused(catalogs: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.po"
    outside.write_text(PO, encoding="utf-8")
    (catalogs / "locales" / "es" / "articles" / "zz.po").symlink_to(outside)
    with pytest.raises(PathError, match="outside the project") as caught:
        pipeline.project_catalogs(Project.load(catalogs))
    assert "locales/es/articles/zz.po" in str(caught.value)


def test_no_folder_lists_nothing(project: Path) -> None:
    bare = Project(project, Config(target_locales=("es",)))
    assert pipeline.project_catalogs(bare) == []
    (project / "locales" / "es").mkdir(parents=True)
    (project / "locales" / "es" / "articles").write_text("not a folder", encoding="utf-8")
    assert pipeline.project_catalogs(bare) == []


def test_a_link_out_is_refused_only_when_its_article_is_asked_for(
        catalogs: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.po"
    outside.write_text(PO, encoding="utf-8")
    (catalogs / "locales" / "es" / "articles" / "zz.po").symlink_to(outside)
    project = Project.load(catalogs)
    [vote] = pipeline.project_catalogs(project, ["es"], ["vote"])
    assert vote.label == "locales/es/articles/vote.po"
    with pytest.raises(PathError):
        pipeline.project_catalogs(project, ["es"], ["zz"])
