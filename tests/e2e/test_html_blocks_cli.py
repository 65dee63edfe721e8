"""Issue 19 end to end: raw HTML publishes on a translated page as on the English page.

Through the CLI: ``sync`` → every entry translated as a marker plus its source →
``review approve --by`` → ``build``; then the Spanish page, markers removed, must show
what the English page shows, case by case: a ``<pre>`` with a blank line, a link whose
attribute spans a line ending in two spaces, a comment and a tag that end after a blank
line (hidden), a malformed tag (hidden), a ``<textarea>`` (translated), and table cells
of numbers (published, not extracted).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from locflow.catalog import pofile

from ..conftest import Invoke
from ..test_segment_html import shown

MARK = "\u27e6"

CASES = {
    "pre": "<div>\n<pre>\na = 1\n\nb = 2\nc = 3\n</pre>\n</div>\n",
    "attribute": ('Read <a href="https://example.org/guide" class="ext  \nlink">the guide</a>'
                  " first.\n\n"
                  '<div>\n<a href="https://example.org/faq"  \nclass="ext">the FAQ</a>\n</div>\n'),
    "hidden": ("<div>\n<!-- editor's note\n\nDraft paragraph, not for readers.\n-->\n"
               "Before </ draft> after.\n"
               "<a href='https://example.org/x\n\nHidden words\n'>link</a>\n</div>\n"),
    "textarea": "<textarea>\nType your question here.\n\nOne per line.\n</textarea>\n",
    "numbers": ("| Team | Wins | Share |\n|------|------|-------|\n| Lions | 4 | 3.5 |\n"
                "| Bears | 12 | 1,000 |\n\n<https://example.org/results>\n"),
}


@pytest.fixture
def built(project: Path, locflow: Invoke) -> dict[str, tuple[str, str]]:
    """Each case's English and Spanish page bodies (markers removed from the Spanish),
    after sync, marker translations, review approve and build."""
    for path in (project / "content").iterdir():
        path.unlink()
    (project / "locflow.toml").write_text(
        '[project]\nname = "Test"\ntarget_locales = ["es"]\n\n[review]\neditors = ["ana"]\n',
        encoding="utf-8")
    for name, body in CASES.items():
        (project / "content" / f"{name}.md").write_text(f"---\ntitle: {name}\n---\n\n{body}",
                                                        encoding="utf-8")
    locflow("sync", ok=True)
    for path in sorted((project / "locales" / "es").rglob("*.po")):
        with pofile.edit(path) as catalog:
            for entry in catalog.active():
                if entry.msgid and not entry.msgstr:
                    body_text = entry.msgctxt is None and "articles" in path.parts
                    entry.msgstr = MARK + entry.msgid if body_text else entry.msgid
    locflow("review", "approve", "--all", "--by", "ana", ok=True)
    result = locflow("build", ok=True)
    assert ", 0 held back" in result.stdout

    def body(tag: str, name: str) -> str:
        html = (project / "dist" / tag / name / "index.html").read_text("utf-8")
        return html.split('<div class="body">', 1)[1].rsplit("</article>", 1)[0]

    return {name: (body("en", name), body("es", name).replace(MARK, "")) for name in CASES}


def test_each_case_publishes_as_the_english_page(built: dict[str, tuple[str, str]]) -> None:
    for name, (english, spanish) in built.items():
        assert shown(spanish) == shown(english), name


def test_the_pre_keeps_its_lines(built: dict[str, tuple[str, str]]) -> None:
    english, spanish = built["pre"]
    assert "<pre>a = 1\n\nb = 2\nc = 3\n</pre>" in english
    assert "<pre>a = 1\n\nb = 2\nc = 3\n</pre>" in spanish
    assert "b = 2 c = 3" not in spanish


def test_the_links_stay_links(built: dict[str, tuple[str, str]]) -> None:
    _, spanish = built["attribute"]
    assert re.search(r'<a href="https://example.org/guide" class="ext\s+link">the guide</a>',
                     spanish)
    assert '<a href="https://example.org/faq" class="ext">the FAQ</a>' in spanish
    assert "&lt;a" not in spanish


def test_hidden_html_stays_hidden(built: dict[str, tuple[str, str]], project: Path) -> None:
    for page in built["hidden"]:
        assert "Draft paragraph" not in page and "draft>" not in page
        assert "Hidden words" not in re.sub(r"<[^>]*>", "", page)
        assert "Before" in page and "after." in page
    template = (project / "locales/templates/articles/hidden.pot").read_text("utf-8")
    assert "Draft" not in template and "</ draft>" not in template


def test_the_textarea_is_translated(built: dict[str, tuple[str, str]], project: Path) -> None:
    template = (project / "locales/templates/articles/textarea.pot").read_text("utf-8")
    assert 'msgid ""\n"Type your question here.\\n"\n"\\n"\n"One per line."' in template
    for page in built["textarea"]:  # English and Spanish
        assert "Type your question here.\n\nOne per line." in page


def test_numbers_and_urls_are_published_not_extracted(
        built: dict[str, tuple[str, str]], project: Path) -> None:
    template = (project / "locales/templates/articles/numbers.pot").read_text("utf-8")
    msgids = re.findall(r'^msgid "(.*)"$', template, re.M)
    assert msgids == ["", "numbers", "Team", "Wins", "Share", "Lions", "Bears"]
    _, spanish = built["numbers"]
    for cell in ("<td>4</td>", "<td>12</td>", "<td>3.5</td>", "<td>1,000</td>"):
        assert cell in spanish
    assert ">https://example.org/results</a>" in spanish
    assert "untranslated" not in spanish
