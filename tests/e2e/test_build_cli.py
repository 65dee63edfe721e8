"""`locflow build` end to end through the CLI: sync → translate → review approve → build."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.publish.build_helpers import fake, fill

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


HTML_ARTICLE = """---
title: Embeds
---

<div>
Important warning text
</div>

<span id="install">
Install the package with pip.

<iframe src="https://video.example/embed/1"></iframe>

Text with <b onclick="steal()">bold</b>.
"""


def test_html_is_translated_published_and_what_the_sanitizer_drops_is_a_warning(
        project: Path, locflow: Invoke) -> None:
    (project / "content" / "embeds.md").write_text(HTML_ARTICLE, encoding="utf-8")
    synced = locflow("sync", ok=True)
    warnings = [line for line in synced.stderr.splitlines() if "embeds.md" in line]
    assert warnings == [
        "warning: content/embeds.md:12: HTML the page cannot publish safely is removed: <iframe>",
        "warning: content/embeds.md:14: HTML the page cannot publish safely is removed: "
        "onclick on <b>",
    ]
    pot = (project / "locales/templates/articles/embeds.pot").read_text("utf-8")
    assert '#. HTML text\n#: content/embeds.md\nmsgid "Important warning text"' in pot
    assert 'msgid "Install the package with pip."' in pot
    assert 'msgid "Text with <b onclick=\\"steal()\\">bold</b>."' in pot
    translate(project, "es")
    locflow("review", "approve", "--locale", "es", ok=True)
    built = locflow("build", ok=True)
    assert [line for line in built.stderr.splitlines() if "embeds.md" in line] == warnings
    english = (project / "dist/en/embeds/index.html").read_text("utf-8")
    spanish = (project / "dist/es/embeds/index.html").read_text("utf-8")
    assert "<div>\nImportant warning text\n</div>" in english
    assert "Install the package with pip." in english
    assert "iframe" not in english and "onclick" not in english
    assert "<div>\n[es] Important warning text\n</div>" in spanish
    assert "[es] Install the package with pip." in spanish
    assert "<b>bold</b>" in spanish and "onclick" not in spanish


DOCS_ARTICLE = """---
title: Setup
---

Install [Node.js][] and read [the guide].

- [ ] Install it
- [x] Read the notes[^1]

[^1]: Two pages.

[Node.js]: https://nodejs.org "Node home"
[the guide]: ftp://files.example/guide.txt
"""


def test_reference_links_task_lists_and_footnotes_survive_translation(
        project: Path, locflow: Invoke) -> None:
    from locflow.catalog import pofile

    (project / "content" / "setup.md").write_text(DOCS_ARTICLE, encoding="utf-8")
    locflow("sync", ok=True)
    pot = (project / "locales/templates/articles/setup.pot").read_text("utf-8")
    assert ('msgid "Install [Node.js](https://nodejs.org \\"Node home\\") and read '
            '[the guide](ftp://files.example/guide.txt)."') in pot
    assert 'msgid "Install it"' in pot and 'msgid "Read the notes[^1]"' in pot
    assert 'msgid "Two pages."' in pot
    es = project / "locales/es/articles/setup.po"
    translate(project, "es")
    locflow("review", "approve", "--locale", "es", ok=True)
    locflow("build", ok=True)
    html = (project / "dist/es/setup/index.html").read_text("utf-8")
    assert '<a href="https://nodejs.org" title="Node home">Node.js</a>' in html
    assert '<a href="ftp://files.example/guide.txt">the guide</a>' in html
    assert html.count('type="checkbox"') == 2 and "[ ]" not in html and "[x]" not in html
    assert '<a href="#fn1" id="fnref1">[1]</a>' in html and "[es] Two pages." in html

    # a translation that drops the footnote reference: check says so
    with pofile.edit(es) as catalog:
        for entry in catalog.active():
            if entry.msgid == "Read the notes[^1]":
                entry.msgstr = "Lea [las notas][]"
    checked = locflow("check", "--locale", "es")
    assert checked.exit_code == 1
    assert "the footnote reference [^1] is missing from the translation" in checked.stdout


def test_embeds_allowed_in_the_config_are_published(project: Path, locflow: Invoke) -> None:
    (project / "content" / "embeds.md").write_text(HTML_ARTICLE, encoding="utf-8")
    (project / "locflow.toml").write_text(
        '[project]\nname = "Test Gazette"\ntarget_locales = ["es"]\n'
        '[build]\nembeds = ["https://video.example/embed/"]\n', encoding="utf-8")
    synced = locflow("sync", ok=True)
    assert "<iframe>" not in synced.stderr
    locflow("build", ok=True)
    english = (project / "dist/en/embeds/index.html").read_text("utf-8")
    assert '<iframe src="https://video.example/embed/1"' in english
    assert 'sandbox="allow-scripts allow-same-origin allow-presentation allow-popups"' in english
