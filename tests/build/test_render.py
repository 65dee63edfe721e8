"""Markdown → safe HTML with translations substituted (pure)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from locflow.build.render import render_body, sanitize

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


def test_raw_html_block_in_the_source_is_not_passed_through() -> None:
    source = '<div onclick="steal()"><script>alert(1)</script></div>\n\nText.\n'
    html = render_body(source).html
    assert elements(html) == [("p", {})]
    assert "steal" not in html and "alert" not in html


def test_inline_html_in_the_source_is_text() -> None:
    html = render_body("Hi <b onclick=x>there</b>.\n").html
    assert elements(html) == [("p", {})]
    assert "&lt;b onclick=x&gt;there&lt;/b&gt;" in html


def test_javascript_link_in_source_never_becomes_a_link() -> None:
    html = render_body("[x](javascript:alert(1)) and <javascript:alert(1)>\n").html
    assert "<a" not in html


def test_sanitize_drops_unknown_tags_attributes_classes_and_styles() -> None:
    html = sanitize('<p class="x" onclick="y"><span class="untranslated evil" lang="en" '
                    'style="color:red">a</span></p><table><tr><td style="text-align:right;'
                    'background:url(javascript:x)">1</td></tr></table>')
    assert "onclick" not in html and "evil" not in html and "color" not in html
    assert 'class="untranslated"' in html
    assert 'style="text-align:right"' in html and "javascript" not in html


def test_rendering_is_deterministic() -> None:
    first = render_body(BODY, tr({"first item": "一"}), note="n").html
    assert all(render_body(BODY, tr({"first item": "一"}), note="n").html == first
               for _ in range(3))


def test_reference_links_resolve_in_translations() -> None:
    source = "See [the plan][p].\n\n[p]: https://example.com/plan\n"
    html = render_body(source, tr({"See [the plan][p].": "见[计划][p]。"})).html
    assert '<a href="https://example.com/plan">计划</a>' in html
