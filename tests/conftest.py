"""Shared fixtures: a CLI runner and a small project on disk."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner, Result

if TYPE_CHECKING:
    from tests.mt.libre_server import LibreServer

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"

VOTE = """---
title: Council approves the budget
date: 2024-11-04
summary: The council voted 7-2 for a $4.2 million plan.
---

The city council voted 7-2 on Tuesday to approve the budget.

Roads will get $4.2 million, the largest share.

The mayor said the plan was **fair**.
"""

STORM = """---
title: Storm closes schools
date: 2024-11-05
---

Schools were closed on Monday.
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with two articles and no catalogs yet."""
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / "content" / "vote.md").write_text(VOTE, encoding="utf-8")
    (root / "content" / "storm.md").write_text(STORM, encoding="utf-8")
    (root / "locflow.toml").write_text(
        '[project]\nname = "Test Gazette"\ntarget_locales = ["zh_Hans", "es"]\n', encoding="utf-8"
    )
    return root


Invoke = Callable[..., Result]


@pytest.fixture
def locflow(project: Path, monkeypatch: pytest.MonkeyPatch) -> Invoke:
    """Run ``locflow -C <project> ARGS``; stdout and stderr are kept apart."""
    from locflow.cli import cli

    monkeypatch.setenv("LOCFLOW_REVIEWER", "desk-editor")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1730764800")  # 2024-11-05

    def run(*args: str, ok: bool | None = None, root: Path | None = None) -> Result:
        runner = CliRunner()
        result = runner.invoke(cli, ["-C", str(root or project), *args], catch_exceptions=False)
        if ok is True:
            assert result.exit_code == 0, result.output + result.stderr
        return result

    return run


@pytest.fixture
def example_project(tmp_path: Path) -> Path:
    """A copy of the repository's bundled example (content/, locales/, glossary/, locflow.toml)."""
    root = tmp_path / "example"
    root.mkdir()
    for name in ("content", "locales", "glossary"):
        shutil.copytree(REPO / name, root / name)
    if (REPO / "locflow.toml").exists():
        shutil.copy(REPO / "locflow.toml", root / "locflow.toml")
    if (REPO / "templates").exists():
        shutil.copytree(REPO / "templates", root / "templates")
    return root


@pytest.fixture
def libre() -> Iterator[LibreServer]:
    """A LibreTranslate-compatible server on 127.0.0.1 (see tests/mt/libre_server.py)."""
    from tests.mt.libre_server import LibreServer

    server = LibreServer()
    try:
        yield server
    finally:
        server.stop()
