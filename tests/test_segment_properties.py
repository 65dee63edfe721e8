"""Property tests (hypothesis): segmenting generated Markdown, translating the segments and
rebuilding the page keeps its structure and its text.

The documents mix what news articles hold: headings, paragraphs with emphasis, code and
links, lists, quotes and code blocks. Segmenting then "translating" each segment with
itself must give back the page the source renders to, byte for byte (nothing lost, nothing
moved); translating with a marker in front of each segment must keep every tag, in order,
and put the marker in the page once per segment.
"""

from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from locflow.publish.render import render_body
from locflow.segment import body_units, parse_body

WORDS = ["council", "vote", "budget", "roads", "Madrid", "7-2", "4.2%", "$12", "said",
         "on", "the", "Tuesday", "“quoted”", "don't", "über", "北京", "a&b"]

word = st.sampled_from(WORDS)
plain = st.lists(word, min_size=1, max_size=6).map(" ".join)
inline_piece = st.one_of(
    plain,
    plain.map(lambda t: f"*{t}*"),
    plain.map(lambda t: f"**{t}**"),
    plain.map(lambda t: f"`{t}`"),
    st.tuples(plain, st.sampled_from(["https://example.org/a", "/local/page", "#part"]))
    .map(lambda p: f"[{p[0]}]({p[1]})"),
)
inline = st.lists(inline_piece, min_size=1, max_size=5).map(" ".join)
block = st.one_of(
    inline,
    st.tuples(st.integers(1, 3), inline).map(lambda p: "#" * p[0] + " " + p[1]),
    st.lists(inline, min_size=1, max_size=3).map(lambda items: "\n".join(f"- {i}" for i in items)),
    st.lists(inline, min_size=1, max_size=3).map(
        lambda items: "\n".join(f"{n}. {i}" for n, i in enumerate(items, 1))),
    inline.map(lambda t: f"> {t}"),
    plain.map(lambda t: f"```\n{t}\n```"),
)
document = st.lists(block, min_size=1, max_size=6).map(lambda blocks: "\n\n".join(blocks) + "\n")

PROPERTIES = settings(max_examples=150, deadline=None,
                      suppress_health_check=[HealthCheck.too_slow])


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(f"<{tag} {sorted(attrs)}>")

    def handle_endtag(self, tag: str) -> None:
        self.tags.append(f"</{tag}>")


def tags(html: str) -> list[str]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def segments(markdown: str) -> list[str]:
    env: dict[str, object] = {}
    return [unit.segment.msgid for unit in body_units(parse_body(markdown, env), env)
            if unit.extracted]  # (a number, a URL, code: not extracted)


@PROPERTIES
@given(document)
def test_each_segment_translated_as_itself_gives_back_the_page(markdown: str) -> None:
    msgids = segments(markdown)  # (none for a document of code blocks only)
    source = render_body(markdown).html
    rebuilt = render_body(markdown, {(None, msgid): msgid for msgid in msgids})
    assert rebuilt.fallbacks == 0
    assert rebuilt.html == source


@PROPERTIES
@given(document)
def test_translations_keep_every_tag_in_its_place(markdown: str) -> None:
    msgids = segments(markdown)
    source = render_body(markdown).html
    rebuilt = render_body(markdown, {(None, msgid): f"QQ {msgid}" for msgid in msgids})
    assert tags(rebuilt.html) == tags(source)
    assert rebuilt.html.count("QQ ") == len(msgids)  # each segment, wherever it is


# what the segmenting parser parses lazily: images, task markers, footnotes
rich_block = st.one_of(
    block,
    st.tuples(plain, plain).map(lambda p: f'![{p[0]}](/i.png "{p[1]}")'),
    st.tuples(inline, plain).map(lambda p: f"{p[0]} ![{p[1]}](/j.png)"),
    st.lists(st.tuples(st.sampled_from(["[ ] ", "[x] ", "[X] ", "", "[y] "]), inline),
             min_size=1, max_size=3)
    .map(lambda items: "\n".join(f"- {mark}{text}" for mark, text in items)),
    st.tuples(inline, st.sampled_from(["1", "2", "note"])).map(lambda p: f"{p[0]}[^{p[1]}]"),
    st.tuples(st.sampled_from(["1", "2", "note"]), inline).map(lambda p: f"[^{p[0]}]: {p[1]}"),
    st.tuples(inline, st.sampled_from(["1", "note"]), inline)  # a reference and its note
    .map(lambda p: f"{p[0]}[^{p[1]}]\n\n[^{p[1]}]: {p[2]}"),
)
rich_document = st.lists(rich_block, min_size=1, max_size=8).map(
    lambda blocks: "\n\n".join(blocks) + "\n")


@PROPERTIES
@given(rich_document)
def test_the_segmenting_parser_finds_the_units_a_full_parse_finds(markdown: str) -> None:
    from locflow.segment import _segmenting_parser, markdown_parser

    def units(parser: object) -> list[tuple[object, ...]]:
        env: dict[str, object] = {}
        tokens = parser.parse(markdown, env)  # type: ignore[attr-defined]
        return [(u.segment, u.line, u.part, u.verbatim) for u in body_units(tokens, env)]

    assert units(_segmenting_parser()) == units(markdown_parser())
