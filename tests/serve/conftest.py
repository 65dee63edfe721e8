"""Fixtures for the review desk: a project in known review states and a desk serving it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from locflow import pipeline
from locflow.catalog import pofile
from locflow.config import Project
from locflow.provenance import Provenance, set_provenance, source_hash
from locflow.review import approve, reject
from tests.serve.desk_helpers import running_desk

REVIEWER = "desk-editor"


@pytest.fixture
def desk_project(project: Path) -> Path:
    """The shared two-article project, synced; ``es/vote.po`` holds one entry per state:

    0 title      approved
    1 summary    translated (awaiting review)
    2 paragraph  translated, with a wrong number (7-3 for 7-2) and markup to escape
    3 paragraph  fuzzy: its source changed ("$4.0 million" → "$4.2 million"), a machine draft
    4 paragraph  rejected with a reason
    """
    pipeline.sync(Project.load(project))
    es = project / "locales" / "es" / "articles" / "vote.po"
    with pofile.edit(es) as catalog:
        body = [e for e in catalog.active() if e.msgid]
        assert len(body) == 5, [e.msgid for e in body]
        body[0].msgstr = "El consejo aprueba el presupuesto"
        approve(body[0], REVIEWER, "2024-11-05")
        body[1].msgstr = "El consejo votó 7-2 a favor de un plan de $4.2 millones."
        body[2].msgstr = "El consejo municipal votó 7-3 el martes <script>alert(1)</script>."
        body[3].msgstr = "Las carreteras recibirán $4.0 millones, la mayor parte."
        body[3].flags.insert(0, "fuzzy")
        body[3].previous_msgid = body[3].msgid.replace("$4.2", "$4.0")
        set_provenance(body[3], Provenance("mt", "libre", "2024-11-04",
                                           source_hash(None, body[3].previous_msgid)))
        body[4].msgstr = "El alcalde dijo que el plan era **justo**."
        reject(body[4], REVIEWER, "2024-11-05", "say «equitativo»")
    (project / "glossary").mkdir()
    (project / "glossary" / "es.csv").write_text(
        "term,translation,kind,note\ncouncil,consejo,translate,\nmayor,alcaldesa,forbidden,"
        "the mayor is a man\n", encoding="utf-8")
    return project


@pytest.fixture
def vote_es(desk_project: Path) -> Path:
    return desk_project / "locales" / "es" / "articles" / "vote.po"


@pytest.fixture
def desk(desk_project: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[httpx.Client]:
    """An HTTP client of a desk served by uvicorn on 127.0.0.1, reviewer not named yet."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1730764800")  # decisions dated 2024-11-05
    with running_desk(desk_project) as url, httpx.Client(base_url=url, timeout=20) as client:
        yield client
