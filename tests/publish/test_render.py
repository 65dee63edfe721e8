"""Markdown → safe HTML with translations substituted (pure)."""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser

import pytest

from locflow.publish.render import html_losses, render_body, sanitize

BODY = """\
The council voted **7-2**.

See [the plan](https://example.com/plan).

- first item
- second item

![A map of the roads](map.png)

| Road | Cost |
|:-----|-----:|
| Main | 4.2  |
"""


def tr(mapping: dict[str, str]) -> dict[tuple[str | None, str], str]:
    return {(None, k): v for k, v in mapping.items()}


def test_source_renders_as_commonmark() -> None:
    html = render_body(BODY).html
    assert "<p>The council voted <strong>7-2</strong>.</p>" in html
    assert '<a href="https://example.com/plan">the plan</a>' in html
    assert "<li>first item</li>" in html
    assert '<img src="map.png" alt="A map of the roads">' in html
    assert '<td style="text-align:right">4.2</td>' in html


def test_translations_replace_units_and_keep_inline_markdown() -> None:
    html = render_body(BODY, tr({
        "The council voted **7-2**.": "议会以 **7比2** 投票。",
        "See [the plan](https://example.com/plan).": "见[计划](https://example.com/plan)。",
        "first item": "第一项",
        "second item": "第二项",
        "A map of the roads": "道路地图",
        "Road": "道路", "Cost": "费用", "Main": "主路", "4.2": "4.2",
    })).html
    assert "<p>议会以 <strong>7比2</strong> 投票。</p>" in html
    assert '见<a href="https://example.com/plan">计划</a>。' in html
    assert "<li>第一项</li>" in html and "<li>第二项</li>" in html
    assert 'alt="道路地图"' in html
    assert '<th style="text-align:left">道路</th>' in html
    assert "untranslated" not in html


def test_missing_translation_falls_back_visibly_marked() -> None:
    rendered = render_body("One.\n\nTwo.\n", tr({"One.": "一。"}), source_lang="en",
                           note="尚未翻译", note_lang="zh-Hans")
    assert rendered.fallbacks == 1
    assert "<p>一。</p>" in rendered.html
    assert ('<p><span class="untranslated" lang="en">Two.</span> '
            '<small class="untranslated-note" lang="zh-Hans">尚未翻译</small></p>') in rendered.html


def test_note_is_escaped() -> None:
    html = render_body("Two.\n", {}, note="<b>x</b>", note_lang="es").html
    assert "<b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html


def test_hard_break_in_translation() -> None:
    html = render_body("a  \nb\n", tr({"a\nb": "甲\n乙"})).html
    assert "<p>甲<br>\n乙</p>" in html or "<p>甲<br>乙</p>" in html


@pytest.mark.parametrize("attack", [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<a href=\"javascript:alert(1)\">x</a>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "![x](javascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<iframe src=//evil></iframe>",
    "<svg onload=alert(1)>",
    "`</code><script>alert(1)</script>`",
    "<style>body{display:none}</style>",
])
def test_translator_text_cannot_inject_html(attack: str) -> None:
    html = render_body("The council voted.\n", tr({"The council voted.": f"议会 {attack}"})).html
    assert_safe(html)


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(html)
    return parser.found


def assert_safe(html: str) -> None:
    """No active content: only known tags, no event handlers, no script URLs."""
    for tag, attrs in elements(html):
        assert tag not in {"script", "iframe", "svg", "style", "object", "embed", "form"}, html
        for name, value in attrs.items():
            assert not name.startswith("on"), html
            if name in {"href", "src"}:
                assert not (value or "").strip().lower().startswith(
                    ("javascript:", "data:", "vbscript:")), html


def test_onerror_stays_text() -> None:
    html = render_body("A.\n", tr({"A.": '<img src=x onerror="alert(1)">'})).html
    assert elements(html) == [("p", {})]
    assert '&lt;img src=x onerror="alert(1)"&gt;' in html


def test_raw_html_block_in_the_source_is_published_sanitized() -> None:
    source = '<div onclick="steal()"><script>alert(1)</script>Kept</div>\n\nText.\n'
    html = render_body(source).html
    assert elements(html) == [("div", {}), ("p", {})]
    assert "steal" not in html and "alert" not in html and "Kept" in html
    assert_safe(html)


def test_inline_html_in_the_source_is_published_sanitized() -> None:
    html = render_body("Hi <b onclick=x>there</b>.\n").html
    assert elements(html) == [("p", {}), ("b", {})]
    assert "onclick" not in html


def test_javascript_link_in_source_never_becomes_a_link() -> None:
    html = render_body("[x](javascript:alert(1)) and <javascript:alert(1)>\n").html
    assert "<a" not in html


def test_sanitize_drops_unknown_tags_attributes_and_styles() -> None:
    html = sanitize('<p class="x" onclick="y"><span class="untranslated note" lang="en" '
                    'style="color:red">a</span><font>b</font></p><table><tr><td style="text-'
                    'align:right;background:url(javascript:x)">1</td></tr></table>')
    assert "onclick" not in html and "color" not in html and "font" not in html
    assert '<p class="x">' in html and 'class="untranslated note"' in html  # (harmless)
    assert 'style="text-align:right"' in html and "javascript" not in html


def test_rendering_is_deterministic() -> None:
    first = render_body(BODY, tr({"first item": "一"}), note="n").html
    assert all(render_body(BODY, tr({"first item": "一"}), note="n").html == first
               for _ in range(3))


def test_reference_links_resolve_in_translations() -> None:
    source = "See [the plan][p].\n\n[p]: https://example.com/plan\n"
    msgid = "See [the plan](https://example.com/plan)."
    for translation in ("见[计划](https://example.com/plan)。", "见[计划][p]。"):
        html = render_body(source, tr({msgid: translation})).html
        assert '<a href="https://example.com/plan">计划</a>' in html


HTML_BODY = """\
<div>
Important warning text
</div>

<span id="install">
Install the package with <b>pip</b>.

<p align="center"><img src="b.svg" alt="Build status" onerror="x()"></p>

<iframe src="https://video.example/embed/1"></iframe>
"""


def test_html_blocks_are_published_with_their_text_translated() -> None:
    source = render_body(HTML_BODY).html
    assert "Important warning text" in source and "Install the package with" in source
    assert 'alt="Build status"' in source and 'align="center"' in source
    assert "iframe" not in source and "onerror" not in source
    html = render_body(HTML_BODY, tr({
        "Important warning text": "Aviso importante",
        "Install the package with <b>pip</b>.": "Instale el paquete con <b>pip</b>.",
        "Build status": 'Estado "CI"',
    })).html
    assert "<div>\nAviso importante\n</div>" in html
    assert "Instale el paquete con <b>pip</b>." in html
    assert 'alt="Estado &quot;CI&quot;"' in html
    assert_safe(html)


def test_html_translation_cannot_add_markup() -> None:
    html = render_body(HTML_BODY, tr({
        "Install the package with <b>pip</b>.":
            'Instale <b>pip</b> <img src=//t.example/p.gif> <a href="javascript:x">y</a>',
        "Build status": '"><script>alert(1)</script>',
    })).html
    assert "&lt;img src=//t.example/p.gif&gt;" in html and "<a " not in html
    assert "<script" not in html
    assert_safe(html)


def test_untranslated_html_text_falls_back_marked() -> None:
    rendered = render_body("<div>Alpha</div>\n", {}, note="n")
    assert rendered.fallbacks == 1
    assert '<span class="untranslated" lang="en">Alpha</span>' in rendered.html


def test_html_losses_name_the_line_and_what_goes() -> None:
    losses = html_losses(HTML_BODY)
    assert [(loss.line, loss.removed) for loss in losses] == [
        (8, ("onerror on <img>",)), (10, ("<iframe>",))]
    assert html_losses("Text <b>ok</b>.\n\n<div>fine</div>\n<!-- a comment -->\n") == []
    assert [loss.removed for loss in html_losses('A <a href="javascript:x()">b</a>.\n')] == [
        ("a javascript: URL in <a href>",)]


@pytest.mark.parametrize(("markdown", "href"), [
    ("[f](ftp://files.example/a.zip)", "ftp://files.example/a.zip"),
    ("[t](tel:+15551234)", "tel:+15551234"),
    ("[i](irc://irc.libera.chat/python)", "irc://irc.libera.chat/python"),
    ("[c](zotero://select/items/1)", "zotero://select/items/1"),
    ('<a href="ssh://git.example/r">s</a>', "ssh://git.example/r"),
])
def test_every_non_executable_scheme_is_kept(markdown: str, href: str) -> None:
    assert f'href="{href}"' in render_body(markdown + "\n").html


@pytest.mark.parametrize("markdown", [
    "[x](javascript:alert(1))", "[x](vbscript:msgbox)", "[x](data:text/html,hi)",
    '<a href="JaVaScRiPt:alert(1)">x</a>', '<a href="java\tscript:alert(1)">x</a>',
    '<a href="data:text/html,hi">x</a>', '<img src="data:image/svg+xml,&lt;svg&gt;">',
])
def test_executable_schemes_are_removed(markdown: str) -> None:
    html = render_body(markdown + "\n").html
    assert_safe(html)
    assert "data:" not in html.replace("[x](data:text/html,hi)", "")


def test_raster_data_images_are_kept() -> None:
    html = render_body('![dot](data:image/png;base64,iVBORw0KGgo=)\n').html
    assert 'src="data:image/png;base64,iVBORw0KGgo="' in html


def test_task_lists_render_as_checkboxes_in_every_language() -> None:
    body = "- [ ] Write the story\n- [x] Check the facts\n"
    html = render_body(body, tr({"Write the story": "Escribir la nota"}), note="n").html
    assert html.count('type="checkbox"') == 2 and 'checked="checked"' in html
    assert "[ ]" not in html and "[x]" not in html
    assert "> Escribir la nota</li>" in html
    assert '<span class="untranslated" lang="en"> Check the facts</span>' in html


def test_footnotes_keep_their_numbers_and_links() -> None:
    body = "A claim[^1] and another[^1].\n\n[^1]: The source.\n"
    source = render_body(body).html
    html = render_body(body, tr({"A claim[^1] and another[^1].": "Una[^1] y otra[^1].",
                                 "The source.": "La fuente."})).html
    assert "[^1]" not in html
    assert html.count('href="#fn1"') == source.count('href="#fn1"') == 2
    assert 'id="fnref1"' in html and 'id="fnref1:1"' in html
    assert html.count("footnote-backref") == source.count("footnote-backref")
    assert "La fuente." in html


def test_image_title_is_translated() -> None:
    html = render_body('![Alt](p.png "Title")\n', tr({"Alt": "Alternativo",
                                                        "Title": "Título"})).html
    assert '<img src="p.png" alt="Alternativo" title="Título">' in html


def test_code_span_across_a_line_renders_as_in_the_source() -> None:
    body = "Run `make\\\ninstall` now.\n"
    source = render_body(body).html
    html = render_body(body, tr({"Run `make\\ install` now.": "Run `make\\ install` now."}))
    assert html.html == source


def test_text_that_joining_lines_would_link_stays_text() -> None:
    body = "[link](<a.png\nb>)\n"
    assert "<a" not in render_body(body).html
    html = render_body(body, tr({"[link](<a.png\nb>)": "[enlace](<a.png\nb>)"})).html
    assert "<a" not in html and "[enlace](&lt;a.png" in html


HARD_CASES = [
 "Setext *heading*\nacross lines\n===\n",
 "A line with <!-- a comment --> inside.\n",
 "<!-- block comment -->\n\nAfter.\n",
 "<?php echo 1; ?>\n\nAfter.\n",
 "<![CDATA[ data ]]>\n\nAfter.\n",
 "<table>\n<tr><td>Cell *one*</td><td>Cell two</td></tr>\n</table>\n",
 "<details>\n<summary>Sum</summary>\n\nMarkdown **inside**.\n\n</details>\n",
 "- item one\n  continued line\n\n  second para\n- item two\n",
 "1. first\n2. second\n   > quoted\n",
 "[![badge](https://img/b.svg)](https://x.org)\n",
 "Auto <https://example.com> and <me@example.com>.\n",
 "Entities &copy; &amp; &#35; and `code &amp;`.\n",
 "| a `x\\|y` | b |\n|---|---|\n| 1 | 2 |\n",
 "[ref]: https://x.org 'Title'\n\n[ref] and [Ref][] and [text][ref].\n",
 "[ref]:\n  https://x.org\n  \"Long\n  title\"\n\nSee [ref].\n",
 "Hard\\\nbreak and soft\nbreak with `code  \nspan`.\n",
 "    indented code\n\nText.\n",
 "*emph\nacross* lines and **strong\nacross**.\n",
 "Image ![alt\ntext](a.png \"T\") inline.\n",
 "<div>\n*not emphasis*\n</div>\n",
 "<div>\n\n*emphasis*\n\n</div>\n",
 "Text <span\nclass=\"x\">wrapped tag</span> end.\n",
 "Footnote[^n] and again[^n].\n\n[^n]: Note with **bold**\n    and continuation.\n",
 "- [ ] task with [link](http://x)\n- [X] done\n",
 "> quote line one\ncontinued lazily\n",
 "Text ending with backslash\\\n",
 "Trailing spaces at end  \n",
 "<p align=\"center\">\n  <img src=\"logo.png\" alt=\"Logo\" width=\"100\">\n  <br>\n"
 "  <b>Tagline</b> text\n</p>\n",
 "<pre>\nline 1\n  <b>line 2</b>\n</pre>\n",
 "~~struck~~ text\n",
 "Para with [link](</my path>) and [l2](a(b)c).\n",
 "<a name=\"anchor\"></a>\n## Heading after anchor\n",
 "Text\n<div>html interrupts</div>\nmore\n",
 "<img src=x.png alt=\"Unquoted &amp; entity\">\n",
 "<kbd>Ctrl</kbd>+<kbd>C</kbd> copies.\n",
 "<center>Centered *text*</center>\n",
 "<dl><dt>Term</dt><dd>Definition</dd></dl>\n",
 "line one<br>line two<br/>\nline three\n",
]


@pytest.mark.parametrize("markdown", HARD_CASES)
def test_every_unit_is_put_back_and_no_text_is_lost(markdown: str) -> None:
    """Whatever the construct, a page whose every unit is "translated" as a marker plus
    its source shows each marker once and otherwise the source's text, and the source
    page the text markdown-it renders (nothing lost to segmentation, substitution or the
    sanitizer)."""
    from locflow.segment import body_units, markdown_parser, parse_body
    from tests.e2e.test_roundtrip_docs import MARK, marked, visible_words

    env: dict[str, object] = {}
    units = [u for u in body_units(parse_body(markdown, env), env) if u.extracted]
    translations = {(None, u.segment.msgid): marked(u.segment.msgid) for u in units}
    reference = visible_words(markdown_parser().render(markdown))
    assert visible_words(render_body(markdown).html) == reference
    page = " ".join(visible_words(render_body(markdown, translations).html))
    assert page.count(MARK) == len(units)
    assert page.replace(MARK, "").split() == reference


YOUTUBE = ("https://www.youtube-nocookie.com/embed/",)
EMBEDS = """\
<iframe src="https://www.youtube-nocookie.com/embed/abc" width="560" title="Interview"
  onload="x()"></iframe>

<iframe src="https://www.youtube-nocookie.com.evil.example/embed/abc"></iframe>

<iframe src="https://tracker.example/"></iframe>
"""


def test_allowed_embeds_are_kept_sandboxed_others_removed() -> None:
    assert "iframe" not in render_body(EMBEDS).html
    html = render_body(EMBEDS, embeds=YOUTUBE).html
    found = [(tag, attrs) for tag, attrs in elements(html) if tag == "iframe"]
    assert len(found) == 1
    attrs = found[0][1]
    assert attrs["src"] == "https://www.youtube-nocookie.com/embed/abc"
    assert attrs["sandbox"] == "allow-scripts allow-same-origin allow-presentation allow-popups"
    assert "onload" not in attrs and attrs["title"] == "Interview"
    assert "evil" not in html and "tracker" not in html
    assert [loss.removed for loss in html_losses(EMBEDS, YOUTUBE)] == [
        ("onload on <iframe>",), ("<iframe>",), ("<iframe>",)]


def test_a_translation_cannot_add_an_embed() -> None:
    html = render_body("<div>Text</div>\n", tr({"Text": '<iframe src="https://www.youtube-'
                                                        'nocookie.com/embed/x"></iframe>'}),
                       embeds=YOUTUBE).html
    assert "<iframe" not in html and "&lt;iframe" in html


# -- issue 17: one block's HTML never reaches past its block --------------------------

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}


class _Paragraphs(HTMLParser):
    """Each ``<p>`` element of a page: its text and the elements around it. (The page
    is the sanitizer's serialization of a tree: its tags nest as written.)"""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, tuple[str, ...]]] = []
        self._open: list[str] = []
        self._text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "p":
            self._text = []
            self._around = tuple(self._open)
        if tag not in _VOID:
            self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "p" and self._text is not None:
            self.found.append(("".join(self._text).strip(), self._around))
            self._text = None
        if tag in self._open:
            del self._open[len(self._open) - 1 - self._open[::-1].index(tag):]

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


def paragraphs(html: str) -> list[str]:
    """The text of each ``<p>`` of *html*, which must stand in no other element than a
    ``<div>`` (a container an HTML block may leave open for the Markdown after it)."""
    parser = _Paragraphs()
    parser.feed(html)
    parser.close()
    assert all(set(around) <= {"div"} for _, around in parser.found), parser.found
    return [text for text, _ in parser.found]


LATER = [f"Paragraph {n} of the story." for n in range(2, 10)]
UNCLOSED = ["style", "script", "iframe", "textarea", "title", "noscript"]


@pytest.mark.parametrize("tag", UNCLOSED)
def test_an_unclosed_tag_in_a_paragraph_keeps_every_later_paragraph(tag: str) -> None:
    """9 paragraphs, the first with an unclosed <style> (or <iframe>…): the page had 1
    <p> (style, script) or showed the others as `&lt;p&gt;` text; it has all 9."""
    body = f"The council met <{tag}> on Tuesday.\n\n" + "\n\n".join(LATER) + "\n"
    for translations in (None, tr({text: f"ES {text}" for text in LATER})):
        html = render_body(body, translations).html
        found = paragraphs(html)
        assert len(found) == 9 and "&lt;p&gt;" not in html
        prefix = "" if translations is None else "ES "
        assert found[1:] == [prefix + text for text in LATER]


@pytest.mark.parametrize("tag", ["iframe", "title", "noscript", "xmp", "template"])
def test_an_unclosed_tag_in_an_html_block_keeps_every_later_paragraph(tag: str) -> None:
    body = f"<{tag}>\n\n" + "\n\n".join(LATER) + "\n"
    assert paragraphs(render_body(body).html) == LATER


@pytest.mark.parametrize("html", [
    "<div>Note <!-- a comment never closed",
    '<div title="a quote never closed>',
    "<div>Setup <plaintext>raw",
    "<div><svg><title>An icon</title><g>",
    '<div><a href="https://example.org">a link never closed',
    "<h2>A heading never closed",
])
def test_no_html_block_reaches_into_the_next(html: str) -> None:
    body = f"{html}\n\n" + "\n\n".join(LATER) + "\n"
    assert paragraphs(render_body(body).html)[-len(LATER):] == LATER


@pytest.mark.parametrize("tag", ["b", 'a href="https://example.org"'])
def test_a_translation_that_drops_a_closing_tag_stays_in_its_paragraph(tag: str) -> None:
    """A translator who drops ``</b>`` (``</a>``) made every later paragraph bold (a link)."""
    name = tag.split()[0]
    source = f"Text with <{tag}>bold</{name}> words."
    body = f"{source}\n\nThe next paragraph.\n"
    html = render_body(body, tr({source: f"Texto con <{tag}>negrita.",
                                 "The next paragraph.": "El siguiente."})).html
    assert f"negrita.</{name}></p>" in html
    assert paragraphs(html) == ["Texto con negrita.", "El siguiente."]


def test_html_that_closes_in_its_block_is_kept_as_written() -> None:
    """Containers may span blocks (Markdown inside a <div> or <details>)."""
    body = ("<details>\n<summary>More</summary>\n\nInside **the** box.\n\n</details>\n\n"
            "After <style>p {}</style> it.\n")
    html = render_body(body).html
    assert ("<details>\n<summary>More</summary>\n<p>Inside <strong>the</strong> box.</p>\n"
            "</details>") in html
    assert "<p>After  it.</p>" in html


def test_closing_html_at_its_block_end() -> None:
    from locflow.segment.htmlblocks import close_html

    assert close_html("a <textarea>x") == "a <textarea>x</textarea>"
    assert close_html("<script>a<!--<script></script>b") == (
        "<script>a<!--<script></script>b--></script>")  # still open: "-->" ends the escape
    assert close_html("<script>a</script>b") == "<script>a</script>b"
    assert close_html("<!-- x --") == "<!-- x ---->"
    assert close_html("<!--> x") == "<!--> x"
    assert close_html("<a b='x>") == "<a b='x>'>"
    assert close_html("<plaintext><b>x") == "&lt;b&gt;x"
    assert close_html("<template><p>x") == "<template><p>x</template>"
    assert close_html("<svg><![CDATA[ x") == "<svg><![CDATA[ x]]>"
    assert close_html("<STYLE>x</style >y") == "<STYLE>x</style >y"


def test_rendering_html_is_linear_in_unclosed_constructs() -> None:
    """Issue 17: 100 kB of `<!--` took 13.9 s to sync and 24.1 s to build (html.parser
    searched the rest of the input for each one); `<a ` repeated was worse."""
    from tests.test_large_inputs import assert_linear

    for unit in ("<!--", "<a ", "</a", "<?", "<a b='>'", "<![CDATA[x>", "<b>"):
        def work(n: int, unit: str = unit) -> Callable[[], object]:
            body = "<div>" + unit * (n // len(unit)) + "\n\nAfter.\n"
            return lambda: render_body(body)

        assert_linear(work, 20_000)


def test_an_untranslated_alt_of_raw_html_says_its_language() -> None:
    """Issue 20: an <img> in raw HTML whose alt is not translated yet shows the English
    alt, marked lang="en" as a paragraph fallback is (an author's own lang is kept)."""
    from locflow.publish.render import render_body

    md = ('Text.\n\n<p><img src="a.png" alt="A map of Korea"> '
          '<img src="b.png" alt="Carte" lang="fr"></p>\n')
    shown = render_body(md, {}, source_lang="en").html
    assert '<img src="a.png" alt="A map of Korea" lang="en">' in shown
    assert '<img src="b.png" alt="Carte" lang="fr">' in shown
    translated = render_body(md, {(None, "A map of Korea"): "朝鲜地图"}, source_lang="en").html
    assert '<img src="a.png" alt="朝鲜地图">' in translated
