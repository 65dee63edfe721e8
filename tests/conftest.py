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

# The vote and storm articles translated: what living-article tests start from.
VOTE_ES = {
    "Council approves the budget": "El concejo aprueba el presupuesto",
    "The council voted 7-2 for a $4.2 million plan.":
        "El concejo votó 7 a 2 un plan de 4,2 millones de dólares.",
    "The city council voted 7-2 on Tuesday to approve the budget.":
        "El concejo municipal votó 7 a 2 el martes para aprobar el presupuesto.",
    "Roads will get $4.2 million, the largest share.":
        "Las carreteras recibirán 4,2 millones de dólares, la mayor parte.",
    "The mayor said the plan was **fair**.": "El alcalde dijo que el plan era **justo**.",
    "Schools were closed on Monday.": "Las escuelas cerraron el lunes.",
    "Storm closes schools": "Una tormenta cierra las escuelas",
}
VOTE_ZH = {
    "Council approves the budget": "市议会批准预算",
    "The council voted 7-2 for a $4.2 million plan.": "市议会以7比2通过了一项420万美元的计划。",
    "The city council voted 7-2 on Tuesday to approve the budget.":
        "市议会以七比二投票批准了预算。",
    "Roads will get $4.2 million, the largest share.": "道路将获得420万美元，是最大的一份。",
    "The mayor said the plan was **fair**.": "市长说这个计划很**公平**。",
    "Schools were closed on Monday.": "学校周一停课。",
    "Storm closes schools": "风暴导致学校停课",
}


def translate(path: Path, texts: dict[str, str]) -> None:
    """Give every active entry of the catalog at *path* its text from *texts* (by msgid),
    as a translator saving in a PO editor does (fuzzy cleared)."""
    from locflow.catalog import pofile

    with pofile.edit(path) as catalog:
        for entry in catalog.active():
            entry.msgstr = texts[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")


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
