"""`locflow build` end to end through the CLI: sync → translate → review approve → build."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.build.build_helpers import fake, fill

from ..conftest import Invoke


def translate(project: Path, locale: str) -> None:
    for path in sorted((project / "locales" / locale).rglob("*.po")):
        fill(path, fake(locale), "translated")


def test_build_holds_back_until_approved_then_publishes(project: Path, locflow: Invoke) -> None:
    locflow("sync", ok=True)
    translate(project, "zh_Hans")
    translate(project, "es")

    first = locflow("build", ok=True)
    assert "en: 2 articles published (2 rendered)" in first.stdout
    assert "held back: 4 versions" in first.stdout
    assert "  zh-Hans/vote: nothing approved yet (5 awaiting review)" in first.stdout
    assert "build: 2 bundles in dist" in first.stdout
    assert not (project / "dist" / "zh-Hans").exists()

    locflow("review", "approve", "--locale", "zh_Hans", ok=True)
    second = locflow("build", ok=True)
    assert "zh-Hans: 2 articles published (2 rendered)" in second.stdout
    # the English pages are rendered again: their language switcher now lists 中文
    assert "en: 2 articles published (2 rendered)" in second.stdout
    assert "  es/vote: nothing approved yet (5 awaiting review)" in second.stdout
    html = (project / "dist" / "zh-Hans" / "vote" / "index.html").read_text("utf-8")
    assert "[zh_Hans] Release time:" in html  # the interface strings were approved too
    assert "2024年11月4日" in html

    third = locflow("build", ok=True)
    assert "0 files written, 0 removed" in third.stdout
    manifest = json.loads((project / "dist" / "manifest.json").read_text("utf-8"))
    assert {(h["locale"], h["article"]) for h in manifest["held_back"]} == {
        ("es", "storm"), ("es", "vote")}


def test_build_out_and_archive(project: Path, locflow: Invoke, tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    locflow("sync", ok=True)
    monkeypatch.chdir(tmp_path)
    result = locflow("build", "--out", "public", "--archive", ok=True)
    assert (tmp_path / "public" / "en" / "vote" / "index.html").is_file()
    assert (tmp_path / "public" / "archives" / "en.zip").is_file()
    assert "archive public/archives/en.zip" in result.stdout
    assert "build: 2 bundles in public" in result.stdout
    assert not (project / "dist").exists()


def test_build_warns_about_unapproved_interface_strings(project: Path, locflow: Invoke) -> None:
    locflow("sync", ok=True)
    for path in sorted((project / "locales" / "es" / "articles").glob("*.po")):
        fill(path, fake("es"), "approved")
    result = locflow("build", ok=True)
    assert "es: 2 articles published" in result.stdout
    assert "warning: es: 9 of 9 interface strings not approved" in result.stderr


def test_build_refuses_an_out_dir_holding_the_project(project: Path, locflow: Invoke) -> None:
    result = locflow("build", "--out", str(project / "content"))
    assert result.exit_code == 2
    assert "refusing to build into" in result.stderr


def test_build_help_has_an_example(locflow: Invoke) -> None:
    result = locflow("build", "--help", ok=True)
    assert "Example: locflow build" in result.stdout
