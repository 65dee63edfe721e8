"""The pool's workers: what one task of a build decides and renders."""

from __future__ import annotations

from pathlib import Path

import pytest

from locflow.config import Project
from locflow.publish import build_site


def test_a_worker_without_the_parents_builder_renders_what_the_parent_would(
    approved: Path, tmp_path: Path
) -> None:
    """A pool worker that was not forked from the build (a spawned one) compiles the
    templates itself: the same pages; templates changed since the build began are refused."""
    from locflow.content import read_articles
    from locflow.errors import LocflowError
    from locflow.publish import workers
    from locflow.publish.builder import Builder

    project = Project.load(approved)
    result = build_site(project)
    builder = Builder(project, result.out, False)
    empty = tmp_path / "empty"  # (files that hold the bytes already are not handed back)
    job = workers.Job("not-forked", project, empty, False, builder.templates_hash,
                      tuple(builder.strings[locale].digest for locale in builder.locales), "")
    items = [workers.ArticleTask(article, {}, {})  # no previous build: everything rendered
             for article in read_articles(project.content_dir)]
    assert "not-forked" not in workers.CURRENT
    built = workers.build_articles((job, items))
    files = {name: data for article in built for name, data in article.files.items()}
    assert len(files) == 2 * len(result.bundles) and len(result.bundles) == 6
    assert files == {name: (result.out / name).read_bytes() for name in files}
    assert not empty.exists()  # nothing written by a worker
    workers.CURRENT.clear()
    (approved / "templates").mkdir()
    (approved / "templates" / "index.html").write_text("changed", encoding="utf-8")
    with pytest.raises(LocflowError, match="changed during the build"):
        workers.build_articles((job, items))
