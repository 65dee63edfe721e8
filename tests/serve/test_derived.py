"""Derived locales on the desk: the dashboard shows overrides and stale ones; an override
catalog opens, and an editor approves an override there as any entry (issue 21)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from locflow import pipeline
from locflow.catalog import pofile
from locflow.config import Project
from locflow.review import approve, entry_state
from tests.serve.desk_helpers import running_desk
from tests.serve.test_app import form_of, named

pytest.importorskip("opencc")

HANT = "/review/zh_Hant/storm"


@pytest.fixture
def derived_desk(project: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[httpx.Client]:
    with (project / "locflow.toml").open("a", encoding="utf-8") as file:
        file.write('\n[derived]\nzh_Hant = { from = "zh_Hans", convert = "s2twp" }\n')
    loaded = Project.load(project)
    pipeline.sync(loaded)
    with pofile.edit(project / "locales/zh_Hans/articles/storm.po") as catalog:
        for entry, text in zip(catalog.active(), ("风暴导致学校停课", "学校周一停课，软件关闭。"),
                               strict=True):
            entry.msgstr = text
            approve(entry, "desk-editor", "2024-11-05")
    with pofile.edit(project / "locales/zh_Hant/articles/storm.po",
                     create=lambda: pofile.new_catalog({"Language": "zh_Hant"})) as catalog:
        catalog.entries = [pofile.Entry(msgid="Schools were closed on Monday.",
                                        msgstr="學校週一停課，電腦關閉。")]
    pipeline.sync(Project.load(project))  # records the conversion the override corrects
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1730764800")
    with running_desk(project) as url, httpx.Client(base_url=url, timeout=20) as client:
        yield client


def test_the_dashboard_shows_converted_languages(derived_desk: httpx.Client,
                                                 project: Path) -> None:
    page = derived_desk.get("/").text
    assert "Converted languages" in page
    assert '<span lang="zh-Hant">中文 (繁體)</span>' in page
    assert "1 override, none stale" in page
    assert '<option value="zh_Hant"' in page
    # the Chinese translation changes: the override is stale, and the dashboard says so
    with pofile.edit(project / "locales/zh_Hans/articles/storm.po") as catalog:
        entry = catalog.active()[1]
        entry.msgstr = "学校周一全部停课，软件关闭。"
        approve(entry, "desk-editor", "2024-11-06")
    pipeline.sync(Project.load(project))
    page = derived_desk.get("/").text
    assert "1 stale" in page and f'href="{HANT}"' in page


def test_an_override_is_approved_on_its_review_page(derived_desk: httpx.Client,
                                                    project: Path) -> None:
    named(derived_desk)
    page = derived_desk.get(HANT)
    assert page.status_code == 200, page.text[-600:]
    assert "學校週一停課，電腦關閉。" in page.text
    # what conversion says now, and what the editor changed of it, character by character
    assert "學校週一停課，<del>軟體</del><ins>電腦</ins>關閉。" in page.text
    assert "locflow-converted" not in page.text
    response = derived_desk.post(f"{HANT}/approve", data=form_of(page.text, "approve", 0))
    assert response.status_code == 303, response.text
    [entry] = pofile.load(project / "locales/zh_Hant/articles/storm.po").active()
    assert entry_state(entry).value == "approved"
