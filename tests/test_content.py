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
