"""Issue 19: raw HTML the translated page showed otherwise than the English page.

Each case is segmented, then rendered twice: as the English page (no translations) and
as a page whose every extracted unit is "translated" as a marker plus its source. The
translated page must be the English page with the markers in it: same elements, same
attributes, same text, lines kept where HTML keeps them; nothing the English page hides
in a msgid. And what needs no translation (a number, a URL, code) is not extracted but
published as it is.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from locflow.content import parse_article
from locflow.publish.render import render_body, sanitize
from locflow.segment import body_units, needs_translation, parse_body, segment_article

MARK = "\u27e6"  # ⟦: in no case


def units(body: str) -> list[tuple[str, str]]:
    """(kind, msgid) of each extracted unit of *body*."""
    env: dict[str, object] = {}
    return [(u.segment.kind, u.segment.msgid) for u in body_units(parse_body(body, env), env)
            if u.extracted]


def pages(body: str) -> tuple[str, str]:
    """The English page's body and the marked translation's, markers removed."""
    english = render_body(body).html
    marked = render_body(body, {(None, msgid): MARK + msgid for _, msgid in units(body)})
    assert marked.fallbacks == 0
    assert marked.html.count(MARK) == len(units(body))
    return english, marked.html.replace(MARK, "")


class _Shown(HTMLParser):
    """Each element with its attributes, and the text as a browser lays it out: inside
    ``<pre>`` as it is, elsewhere whitespace collapsed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[object] = []
        self.pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.pre += tag == "pre"
        self.found.append((tag, sorted((k, " ".join((v or "").split())) for k, v in attrs)))

    def handle_endtag(self, tag: str) -> None:
        self.pre -= tag == "pre" and self.pre > 0

    def handle_data(self, data: str) -> None:
        text = data if self.pre else " ".join(data.split())
        if text:
            self.found.append(text)


def shown(html: str) -> list[object]:
    parser = _Shown()
    parser.feed(html)
    parser.close()
    return parser.found


def assert_same_page(body: str) -> str:
    """The translated page shows what the English page does; the English page's HTML."""
    english, translated = pages(body)
    assert shown(translated) == shown(english)
    return english


# -- <pre> with a blank line inside an HTML block ---------------------------------------

PRE = "<div>\n<pre>\na = 1\n\nb = 2\nc = 3\n</pre>\n</div>\n\nAfter.\n"


def test_a_pre_with_a_blank_line_is_one_preformatted_unit() -> None:
    """The blank line ends the Markdown block, not the ``<pre>``: its lines were a
    paragraph, joined into ``b = 2 c = 3`` on the translated page."""
    assert units(PRE) == [("HTML text", "a = 1\n\nb = 2\nc = 3"), ("paragraph", "After.")]


def test_a_pre_with_a_blank_line_keeps_its_lines_on_every_page() -> None:
    english = assert_same_page(PRE)
    assert "<pre>a = 1\n\nb = 2\nc = 3\n</pre>" in english
    assert "<p>After.</p>" in english


def test_a_pre_whose_end_tag_never_comes_ends_with_its_block() -> None:
    body = "<div>\n<pre>\na = 1\n\nb = 2\n"
    assert units(body) == [("HTML text", "a = 1"), ("paragraph", "b = 2")]
    assert_same_page(body)


# -- an attribute spanning a line that ends in two spaces -------------------------------

@pytest.mark.parametrize("body", [
    'Read <a href="https://example.org/guide" class="ext  \nlink">the guide</a> first.\n',
    '<div>\n<a href="https://example.org/guide" class="ext  \nlink">the guide</a>\n</div>\n',
    '<p>Read <a href="https://example.org/guide"  \nclass="ext">the guide</a> first.</p>\n',
])
def test_a_tag_whose_attribute_spans_lines_stays_a_link(body: str) -> None:
    """The msgid holds the tag on one line (``class="ext   link"``): the translation's
    tag was no longer the source's, so it became text and the link was lost."""
    english, translated = pages(body)
    assert shown(translated) == shown(english)
    assert '<a href="https://example.org/guide" class="ext' in translated
    assert "&lt;a" not in translated and "the guide</a>" in translated


def test_a_quoted_greater_than_sign_does_not_end_a_tag() -> None:
    body = "<div>\n<a href='https://example.org' title='x > y'>link</a>\n</div>\n"
    english = assert_same_page(body)
    assert ">link</a>" in english


# -- hidden HTML stays hidden --------------------------------------------------------

def test_a_comment_that_ends_after_a_blank_line_hides_what_it_holds() -> None:
    body = "<div>\n<!-- note\n\nA draft paragraph.\n-->\n</div>\n\nShown.\n"
    assert units(body) == [("paragraph", "Shown.")]
    english = assert_same_page(body)
    assert "draft" not in english


def test_a_tag_that_ends_after_a_blank_line_hides_what_it_holds() -> None:
    body = "<div>\n<a href='https://example.org/x\n\nHidden text\n'>link</a>\n</div>\n"
    assert units(body) == [("HTML text", "<a href='https://example.org/x Hidden text '>"
                            "link</a>")]
    english = assert_same_page(body)
    assert "<p>" not in english  # no paragraph of "Hidden text"


@pytest.mark.parametrize("malformed", ["</ x>", "</3 x>", "<!x>", "<?x>", "<!-->"])
def test_what_a_browser_reads_as_a_comment_is_never_in_a_msgid(malformed: str) -> None:
    """``</ x>`` was an end tag to the standard library's parser, and in the msgid; the
    translation showed it as text while the English page hid it (a bogus comment)."""
    body = f"<div>\nBefore {malformed} after.\n</div>\n"
    assert units(body) == [("HTML text", "Before"), ("HTML text", "after.")]
    english = assert_same_page(body)
    assert "x" not in re.sub(r"<[^>]*>", "", english)


def test_a_comment_ended_by_dash_dash_bang_shows_what_follows() -> None:
    assert units("<div>\nA <!-- note --!> B\n</div>\n") == [("HTML text", "A"),
                                                             ("HTML text", "B")]


def test_an_unclosed_comment_still_ends_with_its_block() -> None:
    """A comment that never ends would hide the rest of the article in a browser; the
    page ends it with its block (a typo must not take an article's page), and sync warns
    (tests/e2e/test_source_warnings_cli.py)."""
    body = "<div>\n<!-- note\n\nParagraph one.\n"
    assert units(body) == [("paragraph", "Paragraph one.")]
    assert_same_page(body)


# -- <textarea> --------------------------------------------------------------------

def test_textarea_text_is_translated_with_its_lines() -> None:
    """A reader sees a textarea's text (the page publishes it as text): it was published
    in English on every page, with no catalog entry."""
    body = "<div>\n<textarea>\nType your name here.\n\nAnd your city.\n</textarea>\n</div>\n"
    assert units(body) == [("HTML text", "Type your name here.\n\nAnd your city.")]
    english = assert_same_page(body)
    assert "Type your name here." in english
    translated = render_body(body, {(None, units(body)[0][1]): "Su nombre.\n\nSu ciudad."})
    assert "Su nombre." in translated.html and "Type" not in translated.html


def test_a_tag_inside_a_textarea_is_its_text() -> None:
    body = "<textarea><b>bold</b> is text here</textarea>\n"
    assert units(body) == [("HTML text", "<b>bold</b> is text here")]
    assert "&lt;b&gt;bold&lt;/b&gt; is text here" in assert_same_page(body)


@pytest.mark.parametrize("tag", ["script", "style", "noscript", "iframe", "video", "title"])
def test_text_a_reader_never_sees_is_neither_extracted_nor_published(tag: str) -> None:
    body = f"<div>\n<{tag}>Your browser cannot play this.</{tag}>\nShown.\n</div>\n"
    assert units(body) == [("HTML text", "Shown.")]
    english = assert_same_page(body)
    assert "browser" not in english


# -- what needs no translation ---------------------------------------------------------

TABLE = """\
| Team | Wins | Share | Fans |
|------|------|-------|------|
| Lions | 4 | 3.5 | 1,000 |
| Bears | 12 | -2 | `n/a` |

<https://example.org/results>

`pip install results`

<table><tr><td>7</td><td>Seven</td></tr></table>
"""


@pytest.mark.parametrize("text", ["4", "12", "3.5", "1,000", "-2", "+7", "<https://x.org>",
                                  "https://x.org/a?b=c", "<news@example.org>", "`code`",
                                  "`a` `b`", "``a ` b``"])
def test_needs_no_translation(text: str) -> None:
    assert not needs_translation(text)


@pytest.mark.parametrize("text", ["4 wins", "Chapter 4", "1,00", "1.000.000,5", "`a` or `b`",
                                  "``", "`open", "see https://x.org", "[4](https://x.org)"])
def test_needs_translation(text: str) -> None:
    assert needs_translation(text)


def test_numbers_urls_and_code_are_not_extracted_but_published() -> None:
    article = parse_article(f"---\ntitle: Results\n---\n{TABLE}".encode(), Path("r.md"))
    msgids = [s.msgid for s in segment_article(article)]
    assert msgids == ["Results", "Team", "Wins", "Share", "Fans", "Lions", "Bears", "Seven"]
    english = assert_same_page(TABLE)
    for text in ("<td>4</td>", "<td>12</td>", "<td>3.5</td>", "<td>1,000</td>",
                 "<code>n/a</code>", "https://example.org/results</a>",
                 "<code>pip install results</code>", "<td>7</td>"):
        assert text in english
    # nothing of them is shown as untranslated on a page whose catalog lacks them
    partial = render_body(TABLE, {(None, m): m.upper() for _, m in units(TABLE)})
    assert partial.fallbacks == 0 and "untranslated" not in partial.html
    assert "<td>12</td>" in partial.html and "<td>SEVEN</td>" in partial.html


# -- the allow-list ----------------------------------------------------------------

def test_harmless_attributes_are_kept() -> None:
    html = sanitize('<div class="note wide" id="install-1" lang="fr" dir="rtl" title="T">x</div>')
    assert html == '<div class="note wide" id="install-1" lang="fr" dir="rtl" title="T">x</div>'


@pytest.mark.parametrize(("attribute", "kept"), [
    ('id="ok_1"', True), ('id="fnref1:2"', True), ('id="1st"', False), ('id="a b"', False),
    ('id="' + "x" * 101 + '"', False), ('dir="sideways"', False), ('lang="zh-Hans"', True),
    ('lang="not a tag!"', False),
])
def test_ids_and_directions_must_be_sane(attribute: str, kept: bool) -> None:
    assert (attribute.split("=")[0] + "=" in sanitize(f"<span {attribute}>x</span>")) is kept


@pytest.mark.parametrize(("link", "target"), [
    ('<a href="https://x.org" target="_blank" rel="noopener">x</a>', True),
    ('<a href="https://x.org" target="_blank" rel="nofollow noopener noreferrer">x</a>', True),
    ('<a href="https://x.org" target="_blank">x</a>', False),
    ('<a href="https://x.org" target="_blank" rel="opener">x</a>', False),
    ('<a title="a > b" href="https://x.org" target="_blank" rel="noreferrer">x</a>', False),
])
def test_a_link_keeps_target_only_with_rel_noopener(link: str, target: bool) -> None:
    html = sanitize(link)
    assert ("target=" in html) is target
    assert 'href="https://x.org"' in html and ("rel=" in html) == ("rel=" in link)


def test_the_unsafe_html_check_and_the_page_agree() -> None:
    """One allow-list: what the check calls unsafe the page removes, and what the page
    keeps the check passes."""
    from locflow.checks import CheckContext
    from locflow.checks.content import unsafe_html
    from locflow.publish.render import removed_by_sanitizer

    context = CheckContext("es")
    kept = ['<div class="x" id="y" lang="es" dir="ltr" title="t">a</div>',
            '<a href="https://x.org" target="_blank" rel="noopener">a</a>',
            '<img src="data:image/png;base64,AAAA" alt="a">']
    for html in kept:
        assert removed_by_sanitizer(html) == []
        assert unsafe_html("a", html, context) == [], html
    removed = ['<div onclick="x()">a</div>', '<a href="javascript:x()">a</a>',
               "<script>x()</script>", '<img src="data:text/html,x">', "<svg></svg>"]
    for html in removed:
        assert removed_by_sanitizer(html) != []
        assert unsafe_html("a", html, context) != [], html


@pytest.mark.parametrize("block", ["<div><!--\n\n", "<div><pre>\n\n", "<div><textarea>\n\n",
                                   "<div a='\n\n", "<div a\n\n", "<div><script><!--\n\n",
                                   "<div><template>\n\n", "<div><pre>\nx\n\n</pre>\n\n"])
def test_html_blocks_going_on_are_found_in_linear_time(block: str) -> None:
    """Each block's construct is looked for in the rest of the document: the searches are
    shared, or thousands of blocks leaving a comment open took quadratic time (28 s for
    150 kB of ``<div><script><!--`` blocks)."""
    from collections.abc import Callable

    from tests.test_large_inputs import assert_linear

    def work(n: int) -> Callable[[], object]:
        article = parse_article(f"---\ntitle: T\n---\n\n{block * n}".encode(), Path("big.md"))
        return lambda: segment_article(article)

    assert_linear(work, 1_000)
