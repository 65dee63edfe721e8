from __future__ import annotations

from pathlib import Path

from locflow.content import parse_article
from locflow.model import Segment
from locflow.segment import normalize_inline, segment_article

BODY = """
# The *budget* vote

The council met on **Tuesday** and voted
[7-2](https://example.com/vote) for the plan.

> The plan is `sound`, said the mayor.

- Roads: $4.2 million
- Schools

![A packed council chamber](chamber.jpg)

| Item | Cost |
|------|------|
| Roads | 12 |

```
code is never extracted
```

<div>raw html is <b>extracted</b></div>

Line one\\
line two.

The council met on **Tuesday** and voted
[7-2](https://example.com/vote) for the plan.
"""


def _segments(
    body: str, meta: str = "title: Budget\nsummary: A vote.\nauthor: Ann"
) -> list[Segment]:
    data = f"---\n{meta}\n---\n{body}".encode()
    return segment_article(parse_article(data, Path("budget.md")), ["title", "summary"])


def test_every_text_block_is_a_segment_with_markup_kept_and_markers_dropped() -> None:
    assert _segments(BODY) == [
        Segment("Budget", "title", "title"),
        Segment("A vote.", "summary", "summary"),
        Segment("The *budget* vote", None, "heading"),
        Segment(
            "The council met on **Tuesday** and voted [7-2](https://example.com/vote) "
            "for the plan.",
            None,
            "paragraph",
        ),
        Segment("The plan is `sound`, said the mayor.", None, "blockquote"),
        Segment("Roads: $4.2 million", None, "list item"),
        Segment("Schools", None, "list item"),
        Segment("A packed council chamber", None, "image alt"),
        Segment("Item", None, "table cell"),
        Segment("Cost", None, "table cell"),
        Segment("Roads", None, "table cell"),
        # ("12" needs no translation: not extracted)
        Segment("raw html is <b>extracted</b>", None, "HTML text"),
        Segment("Line one\nline two.", None, "paragraph"),
    ]


def test_non_translatable_front_matter_is_not_extracted() -> None:
    assert [s.msgid for s in _segments("", "title: T\nauthor: Ann\ndate: 2024-01-01")] == ["T"]


def test_normalize_inline_joins_soft_breaks() -> None:
    assert normalize_inline("a\n  b\nc  \nd") == "a b c\nd"


def _msgids(body: str) -> list[str]:
    return [s.msgid for s in _segments(body, "title: T")][1:]


def test_html_block_text_is_extracted() -> None:
    assert _msgids("<div>\nImportant warning text\n</div>\n") == ["Important warning text"]


def test_a_tag_alone_on_a_line_does_not_swallow_the_next_line() -> None:
    body = '<span id="install">\nInstall the package with pip.\n'
    assert _msgids(body) == ["Install the package with pip."]


def test_html_runs_keep_inline_tags_and_attributes_get_entries() -> None:
    body = ('<details>\n<summary>Show the <b>licence</b></summary>\n\n'
            'Text.\n</details>\n\n'
            '<p align="center"><a href="https://x.org"><img src="b.svg" alt="Build status" '
            'title="CI"></a></p>\n\n<pre>\nMIT License\n\n  Copyright\n</pre>\n')
    segments = _segments(body, "title: T")[1:]
    assert [(s.msgid, s.kind) for s in segments] == [
        ("Show the <b>licence</b>", "HTML text"),
        ("Text.", "paragraph"),
        ("Build status", "image alt"),
        ("CI", "title"),
        ("MIT License\n\n  Copyright", "HTML text"),
    ]


def test_script_and_style_content_is_not_text() -> None:
    assert _msgids("<div>A<script>var x = 1;</script>B<style>p{}</style></div>\n") == ["A", "B"]


def test_image_and_reference_definition_titles_get_entries() -> None:
    body = '![Alt](p.png "Image title")\n\nSee [the site][s].\n\n[s]: https://s.org "Site title"\n'
    assert _msgids(body) == ["Alt", "Image title", 'See [the site](https://s.org "Site title").']


def test_reference_links_become_inline_links() -> None:
    body = "Install [Node.js][] or [Node.js], see [docs][d].\n\n[node.js]: https://nodejs.org\n" \
           "[d]: <https://x.org/a b>\n"
    assert _msgids(body) == [
        "Install [Node.js](https://nodejs.org) or [Node.js](https://nodejs.org), "
        "see [docs](https://x.org/a%20b)."]


def test_unresolved_brackets_stay_text() -> None:
    assert _msgids("Use [x] and [^nope] here.\n") == ["Use [x] and [^nope] here."]


def test_line_joins_follow_the_parser() -> None:
    # a code span across a hard-break-looking line end: no backslash, no break
    assert _msgids("Run `make\\\ninstall` now.\n") == ["Run `make\\ install` now."]
    assert _msgids("Run `make  \ninstall` now.\n") == ["Run `make   install` now."]
    # a code span's trailing space and a non-breaking space at a line end are kept
    assert _msgids("Type `a \nb` and\u00a0\nmore.\n") == ["Type `a  b` and\u00a0 more."]
    # hard breaks outside code are \n
    assert _msgids("One  \ntwo\\\nthree\nfour\n") == ["One\ntwo\nthree four"]


def test_joining_lines_never_makes_a_link() -> None:
    assert _msgids("[link](<a.png\nb>)\n") == ["[link](<a.png\nb>)"]
    assert _msgids("[link](<foo\nbar>)\n") == ["[link](<foo\nbar>)"]


def test_task_list_markers_and_footnotes() -> None:
    body = "- [ ] Write the story\n- [x] Check the facts[^1]\n\n[^1]: By two editors.\n"
    segments = _segments(body, "title: T")[1:]
    assert [(s.msgid, s.kind) for s in segments] == [
        ("Write the story", "list item"),
        ("Check the facts[^1]", "list item"),
        ("By two editors.", "footnote"),
    ]


def test_identical_texts_in_two_kinds_merge_their_comments() -> None:
    body = "Roads\n\n| Roads |\n|---|\n| x |\n"
    article = parse_article(f"---\ntitle: T\n---\n{body}".encode(), Path("b.md"))
    segments = segment_article(article, ["title"], source="content/b.md")
    assert segments[1] == Segment("Roads", None, "paragraph\ntable cell",
                                  references=("content/b.md",))
    assert all(s.references == ("content/b.md",) for s in segments)


def test_a_definition_title_across_lines_becomes_one_line() -> None:
    body = '[ref]:\n  https://x.org\n  "Long\n  title"\n\nSee [ref].\n'
    assert _msgids(body) == ['See [ref](https://x.org "Long title").']


# -- the segmenting parser: inline content parsed only where segmenting reads it ----

TRICKY = """\
![A lone image](/img/a.png "Its title")

Text with ![an inline image](/b.png) and a [link][ref] and *emphasis*.

[ref]: https://example.org "Ref title"

- [ ] a task
- [x] a done task
- [not a task] but brackets
- ![an image in a list](/c.png)

Footnote here[^1] and another[^two].

[^two]: The second, defined first.
[^1]: The first.
[^unused]: Nobody refers to this one.

> [ ] not a task in a quote
> ![quoted image](/d.png)

| a | ![b](/e.png) |
|---|---|
| [^1] | c |

<div>Raw <b>html</b> block</div>
"""


def _units(parser: object, body: str) -> list[tuple[object, ...]]:
    from locflow.segment import body_units

    env: dict[str, object] = {}
    tokens = parser.parse(body, env)  # type: ignore[attr-defined]
    return [(u.segment, u.line, u.part, u.verbatim) for u in body_units(tokens, env)]


def test_the_segmenting_parser_gives_the_units_a_full_parse_gives() -> None:
    from locflow.segment import _segmenting_parser, markdown_parser

    full = _units(markdown_parser(), TRICKY)
    assert _units(_segmenting_parser(), TRICKY) == full
    msgids = [unit[0].msgid for unit in full]  # type: ignore[attr-defined]
    assert "A lone image" in msgids and "Its title" in msgids  # children were read
    assert "a task" in msgids and "[ ] a task" not in msgids  # the task rule ran
    assert "Nobody refers to this one." not in msgids  # as the full parse drops it
    assert "The first." in msgids and "The second, defined first." in msgids


def test_the_segmenting_parser_agrees_on_the_markdown_installed_packages_ship() -> None:
    from locflow.segment import _segmenting_parser, markdown_parser

    from .e2e.test_roundtrip_docs import _documents

    documents = _documents(limit=None)  # every one: a parse is cheap
    assert len(documents) >= 20
    for name, body in documents.items():
        assert _units(_segmenting_parser(), body) == _units(markdown_parser(), body), name


# -- issue 17: raw HTML that never ends ----------------------------------------------

def test_html_that_never_ends_is_segmented_as_html_reads_it() -> None:
    """An unclosed comment hides the rest of its block, a tag without ``>`` is dropped
    with it (the page closes them there: a typo must not hide the article); a marked
    section is a comment up to ``>`` (``<![foo[`` raised AssertionError: a traceback
    from `sync`)."""
    assert _msgids("<div>Shown <!-- hidden <b>text</b>\n\nNext.\n") == ["Shown", "Next."]
    assert _msgids('<div>Shown <a title="never closed>\n\nNext.\n') == ["Shown", "Next."]
    assert _msgids("<div>A <![foo[ x ]]> B</div>\n") == ["A", "B"]
    assert _msgids("<div>A <![CDATA[x]]> B</div>\n") == ["A", "B"]


def test_segmenting_html_is_linear_in_unclosed_constructs() -> None:
    """Issue 17: 100 kB of `<!--` made `sync` take 13.9 s (html.parser searched the rest
    of the input for each one); `<a ` repeated, or `<b>` before a text, took minutes."""
    from collections.abc import Callable

    from tests.test_large_inputs import assert_linear

    for unit in ("<!--", "<a ", "</a", "<?", "<a b='>'", "<![CDATA[x>", "<b>", "</b>"):
        def work(n: int, unit: str = unit) -> Callable[[], object]:
            data = f"---\ntitle: T\n---\n\n<div>{unit * (n // len(unit))}text\n".encode()
            return lambda: segment_article(parse_article(data, Path("big.md")))

        assert_linear(work, 20_000)


def test_corrections_are_segments_after_the_body_with_stable_contexts() -> None:
    one = "corrections:\n  - date: 2024-11-06\n    text: An earlier version said 12 days.\n"
    first = _segments("The strike ended.\n", "title: Strike\n" + one)
    kind = "correction printed for readers under the article (2024-11-06)"
    assert first == [
        Segment("Strike", "title", "title"),
        Segment("The strike ended.", None, "paragraph"),
        Segment("An earlier version said 12 days.", "correction 2024-11-06", kind),
    ]
    # corrections added later: the first keeps its msgctxt; a second on one date is counted
    more = (one + "  - date: 2024-11-08\n    text: The union is the UAW.\n"
            "  - date: 2024-11-06\n    text: |\n      It began on a\n      Monday.\n")
    later = _segments("The strike ended.\n", "title: Strike\n" + more)
    assert later[:3] == first
    assert [(s.context, s.msgid) for s in later[3:]] == [
        ("correction 2024-11-08", "The union is the UAW."),
        ("correction 2024-11-06 (2)", "It began on a Monday."),
    ]
