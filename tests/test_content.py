from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from locflow.content import parse_article, read_articles
from locflow.errors import ContentError

ARTICLE = b"""---
title: "Vote on the budget"
date: 2024-11-04
summary: The council voted 7-2.
---

The council met on **Tuesday**.
"""


def test_parse_article_reads_front_matter_and_body() -> None:
    article = parse_article(ARTICLE, Path("content/vote.md"))
    assert article.slug == "vote"
    assert article.title == "Vote on the budget"
    assert article.date == dt.date(2024, 11, 4)
    assert article.summary == "The council voted 7-2."
    assert article.body.strip() == "The council met on **Tuesday**."
    assert article.body_line == 6


def test_slug_from_front_matter_wins() -> None:
    data = ARTICLE.replace(b"date:", b"slug: budget-vote\ndate:")
    assert parse_article(data, Path("x/Some File.md")).slug == "budget-vote"


@pytest.mark.parametrize(
    ("data", "name", "message", "line"),
    [
        (b"no front matter\n", "a.md", "missing front matter", 1),
        (b"---\ntitle: x\n", "a.md", "not closed", 1),
        (b"---\ntitle: [unclosed\n---\n", "a.md", "invalid YAML", 2),
        (b"---\n- a list\n---\n", "a.md", "mapping", 2),
        (b"---\ndate: 2024-01-01\n---\n", "a.md", "no 'title'", 1),
        (b"---\ntitle: T\n---\n\xff\xfe bad\n", "a.md", "not UTF-8", 4),
        (b"---\ntitle: T\n---\n", "Bad Name.md", "unsafe slug", 1),
        (b"---\ntitle: T\nslug: ../../etc\n---\n", "a.md", "unsafe slug", 1),
        (b"---\ntitle: T\ndate: soon\n---\n", "a.md", "ISO date", 1),
    ],
)
def test_bad_articles_name_file_and_line(data: bytes, name: str, message: str, line: int) -> None:
    with pytest.raises(ContentError) as info:
        parse_article(data, Path("content") / name)
    assert message in info.value.message
    assert info.value.line == line
    assert str(info.value).startswith(f"content/{name}:{line}: ")


def test_duplicate_slugs_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "vote.md").write_bytes(ARTICLE)
    (tmp_path / "vote.md").write_bytes(ARTICLE)
    with pytest.raises(ContentError, match="duplicate slug 'vote'"):
        read_articles(tmp_path)


def test_translatable_fields_must_be_text() -> None:
    data = b"---\ntitle: T\nsummary: [a, b]\n---\n"
    with pytest.raises(ContentError, match="'summary' must be text"):
        parse_article(data, Path("a.md"), ["title", "summary"])


CORRECTED = b"""---
title: Strike ends
date: 2024-11-04
updated: 2024-11-06
corrections:
  - date: 2024-11-05
    text: "  An earlier version said the strike lasted 12 days.  "
  - {date: '2024-11-06', text: It lasted 13 days.}
---

The strike ended.
"""


def test_corrections_and_updated_are_read_in_order() -> None:
    from locflow.content import Correction

    article = parse_article(CORRECTED, Path("content/strike.md"))
    assert article.corrections == (
        Correction(dt.date(2024, 11, 5), "An earlier version said the strike lasted 12 days."),
        Correction(dt.date(2024, 11, 6), "It lasted 13 days."),
    )
    assert article.updated == dt.date(2024, 11, 6)
    assert parse_article(ARTICLE, Path("content/vote.md")).corrections == ()
    empty = ARTICLE.replace(b"date:", b"corrections:\ndate:")  # `corrections:` with nothing
    assert parse_article(empty, Path("content/vote.md")).corrections == ()


@pytest.mark.parametrize(
    ("front", "message", "line"),
    [
        ("corrections: An earlier version erred.", "'corrections' must be a list", 3),
        ("corrections:\n  - An earlier version erred.", "correction 1 must be a mapping", 4),
        ("corrections:\n  - date: 2024-11-05\n    text: ok\n  - text: no date",
         "correction 2 has no date", 6),
        ("corrections:\n  - date: soon\n    text: x", "correction 1: date 'soon' is not an ISO", 4),
        ("corrections:\n  - date: 2024-11-05", "correction 1 has no text", 4),
        ("corrections:\n  - date: 2024-11-05\n    text: '  '",
         "correction 1: 'text' must be non-empty text", 5),
        ("corrections:\n  - date: 2024-11-05\n    text: [a, b]",
         "correction 1: 'text' must be non-empty text", 5),
        ("corrections:\n  - date: 2024-11-05\n    text: x\n    by: desk",
         "correction 1: unknown field 'by'", 6),
        ("corrections:\n  - date: 2024-11-05\n    text: x\n\n  - [2024-11-06, y]",
         "correction 2 must be a mapping", 7),
        ("updated: next week", "updated 'next week' is not an ISO date", 3),
    ],
)
def test_bad_corrections_name_the_file_and_line(front: str, message: str, line: int) -> None:
    data = f"---\ntitle: T\n{front}\n---\nBody.\n".encode()
    with pytest.raises(ContentError) as info:
        parse_article(data, Path("content/a.md"))
    assert message in info.value.message
    assert str(info.value).startswith(f"content/a.md:{line}: ")
    assert "\n" not in str(info.value)
