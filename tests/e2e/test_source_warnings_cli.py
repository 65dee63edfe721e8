"""Issue 19: a source's sanitizer warnings are printed once per version of the source.

``sync``, ``build`` and ``pipeline`` printed every warning of every article on every
run (211 lines on each no-change sync of real documents). Now a warning is printed when
its article is new or changed; ``sync --warnings`` lists them all, always; harmless
attributes (``class``, ``id``...) are no warning at all; and a warning quotes the source
bounded and escaped.
"""

from __future__ import annotations

from pathlib import Path

from ..conftest import Invoke

ARTICLE = """---
title: Embeds
---

<div class="note" id="intro" lang="en" dir="ltr" title="Note">
Important text.
</div>

<iframe src="https://video.example/embed/1"></iframe>

Text with <b onclick="steal()">bold</b>.
"""
IFRAME = "warning: content/embeds.md:9: HTML the page cannot publish safely is removed: <iframe>"
ONCLICK = ("warning: content/embeds.md:11: HTML the page cannot publish safely is removed: "
           "onclick on <b>")


def _warnings(output: str) -> list[str]:
    return [line for line in output.splitlines() if "content/embeds.md" in line]


def test_a_source_warning_is_printed_once_per_version_of_the_source(
        project: Path, locflow: Invoke) -> None:
    article = project / "content" / "embeds.md"
    article.write_text(ARTICLE, encoding="utf-8")
    assert _warnings(locflow("sync", ok=True).stderr) == [IFRAME, ONCLICK]
    # unchanged: quiet, in sync, build and pipeline alike
    assert _warnings(locflow("sync", ok=True).stderr) == []
    assert _warnings(locflow("build", ok=True).stderr) == []
    assert _warnings(locflow("pipeline").stderr) == []
    # touched, not changed: quiet; the catalogs changed: quiet
    article.touch()
    assert _warnings(locflow("sync", ok=True).stderr) == []
    catalog = project / "locales" / "es" / "articles" / "embeds.po"
    catalog.write_text(catalog.read_text("utf-8") + "\n", encoding="utf-8")
    assert _warnings(locflow("sync", ok=True).stderr) == []
    # listed on demand, always
    for _ in range(2):
        listed = locflow("sync", "--warnings", ok=True)
        assert _warnings(listed.stderr) == [IFRAME, ONCLICK]
    # edited: printed again, once
    article.write_text(ARTICLE.replace("Important text.", "Important text, edited."),
                       encoding="utf-8")
    assert _warnings(locflow("sync", ok=True).stderr) == [IFRAME, ONCLICK]
    assert _warnings(locflow("sync", ok=True).stderr) == []


def test_a_build_before_any_sync_warns_and_the_next_sync_does_not(
        project: Path, locflow: Invoke) -> None:
    (project / "content" / "embeds.md").write_text(ARTICLE, encoding="utf-8")
    assert _warnings(locflow("build", ok=True).stderr) == [IFRAME, ONCLICK]
    assert _warnings(locflow("sync", ok=True).stderr) == []


def test_a_fresh_clone_without_locflow_state_warns(project: Path, locflow: Invoke) -> None:
    import shutil

    (project / "content" / "embeds.md").write_text(ARTICLE, encoding="utf-8")
    locflow("sync", ok=True)
    shutil.rmtree(project / ".locflow")
    assert _warnings(locflow("sync", ok=True).stderr) == [IFRAME, ONCLICK]


def test_a_fixed_article_is_quiet_and_a_new_break_is_news(
        project: Path, locflow: Invoke) -> None:
    article = project / "content" / "embeds.md"
    article.write_text(ARTICLE, encoding="utf-8")
    locflow("sync", ok=True)
    article.write_text(ARTICLE.replace(' onclick="steal()"', ""), encoding="utf-8")
    assert _warnings(locflow("sync", ok=True).stderr) == [IFRAME]
    fixed = ARTICLE.replace(' onclick="steal()"', "").replace(
        '<iframe src="https://video.example/embed/1"></iframe>', "A video.")
    article.write_text(fixed, encoding="utf-8")
    assert _warnings(locflow("sync", ok=True).stderr) == []
    assert _warnings(locflow("sync", "--warnings", ok=True).stderr) == []


def test_a_warning_quotes_the_source_bounded_and_escaped(
        project: Path, locflow: Invoke) -> None:
    name = "on" + "x" * 5000 + "\x1b[2J"
    (project / "content" / "embeds.md").write_text(
        f'---\ntitle: Odd\n---\n\n<div {name}="y" onclick="a" onkeyup="b" onkeydown="c" '
        'onblur="d" onfocus="e" oninput="f" onchange="g" onload="h" onerror="i">x</div>\n',
        encoding="utf-8")
    warnings = _warnings(locflow("sync", ok=True).stderr)
    assert len(warnings) == 1
    assert len(warnings[0]) < 700 and "\x1b" not in warnings[0]
    assert "…" in warnings[0] and "and 2 more" in warnings[0]


def test_html_that_never_ends_is_a_warning(project: Path, locflow: Invoke) -> None:
    (project / "content" / "embeds.md").write_text(
        "---\ntitle: Odd\n---\n\nIntro.\n\n<div>\n<!-- a note never closed\n\nMore.\n",
        encoding="utf-8")
    warnings = _warnings(locflow("sync", ok=True).stderr)
    assert warnings == ["warning: content/embeds.md:7: HTML here never ends (a comment, a tag, "
                        "a <textarea>...): a browser would hide the rest of the article; "
                        "the page ends it with its block"]


def test_sync_help_documents_the_listing(locflow: Invoke) -> None:
    assert "--warnings" in locflow("sync", "--help", ok=True).stdout
