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

<div>raw html is never extracted</div>

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
        Segment("12", None, "table cell"),
        Segment("Line one\nline two.", None, "paragraph"),
    ]


def test_non_translatable_front_matter_is_not_extracted() -> None:
    assert [s.msgid for s in _segments("", "title: T\nauthor: Ann\ndate: 2024-01-01")] == ["T"]


def test_normalize_inline_joins_soft_breaks() -> None:
    assert normalize_inline("a\n  b\nc  \nd") == "a b c\nd"
