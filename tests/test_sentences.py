"""Sentence splitting and alignment for the sentence-level memory."""

from __future__ import annotations

import pytest

from locflow.sentences import align, join_sentences, split_sentences


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ("One. Two! Three? Four", "en", ["One.", "Two!", "Three?", "Four"]),
        ("Mr. Kim met Dr. Lee in Washington, D.C. on Monday.", "en",
         ["Mr. Kim met Dr. Lee in Washington, D.C. on Monday."]),
        ("J. R. Smith spoke. He left.", "en", ["J. R. Smith spoke.", "He left."]),
        ("Prices rose 4.5% in 2024. Wages did not.", "en",
         ["Prices rose 4.5% in 2024.", "Wages did not."]),
        ('"It is fair," she said. "We agree." Then silence.', "en",
         ['"It is fair," she said.', '"We agree."', "Then silence."]),
        ("It was **done.** Next came *more*. Run `a. B` now.", "en",
         ["It was **done.**", "Next came *more*.", "Run `a. B` now."]),
        ("See [the report](https://example.com/a.b). It is long.", "en",
         ["See [the report](https://example.com/a.b).", "It is long."]),
        ("the end. lower case goes on", "en", ["the end. lower case goes on"]),
        ("Check ink levels. <b>Inkblot</b> helps.", "en",
         ["Check ink levels.", "<b>Inkblot</b> helps."]),
        ("¿Vendrá? ¡Claro! Lo dijo el Sr. Pérez en EE.UU. ayer.", "es",
         ["¿Vendrá?", "¡Claro!", "Lo dijo el Sr. Pérez en EE.UU. ayer."]),
        ("Dijo: ¿vendrás? y se fue.", "es", ["Dijo: ¿vendrás? y se fue."]),
        ("他来了。她走了！为什么？", "zh_Hans", ["他来了。", "她走了！", "为什么？"]),
        ("赵通说：“这是错的。”他离开了。", "zh_Hans", ["赵通说：“这是错的。”", "他离开了。"]),
        ("版本3.5发布了。很好", "zh_Hans", ["版本3.5发布了。", "很好"]),
        ("", "en", []),
    ],
)
def test_split_sentences(text: str, locale: str, expected: list[str]) -> None:
    assert split_sentences(text, locale) == expected


def test_split_is_linear_on_hostile_text() -> None:
    import time

    text = ". " * 50_000 + "a" * 50_000 + "`" * 10_001
    start = time.perf_counter()
    split_sentences(text, "en")
    split_sentences("。" * 100_000, "zh_Hans")
    assert time.perf_counter() - start < 2


def test_align_pairs_sentences_when_counts_agree() -> None:
    source = "Roads will get $4.2 million. The mayor said the plan was fair."
    zh = "道路将获得420万美元。市长说该计划是公平的。"
    es = "Las carreteras recibirán 4,2 millones de dólares. El alcalde dijo que el plan era justo."
    assert align(source, zh, "en", "zh_Hans") == [
        ("Roads will get $4.2 million.", "道路将获得420万美元。"),
        ("The mayor said the plan was fair.", "市长说该计划是公平的。"),
    ]
    assert align(source, es, "en", "es") == [
        ("Roads will get $4.2 million.", "Las carreteras recibirán 4,2 millones de dólares."),
        ("The mayor said the plan was fair.", "El alcalde dijo que el plan era justo."),
    ]


def test_align_refuses_what_it_cannot_pair() -> None:
    # the translator merged two sentences: no safe pairing
    assert align("He came. She left.", "他来了，她走了。", "en", "zh_Hans") is None
    # one sentence: the whole entry is its own memory
    assert align("He came.", "他来了。", "en", "zh_Hans") is None


def test_join_sentences() -> None:
    assert join_sentences(["他来了。", "她走了。"], "zh_Hans") == "他来了。她走了。"
    mixed = join_sentences(["Heavy rain fell.", "她走了。"], "zh_Hans")
    assert mixed == "Heavy rain fell. 她走了。"
    assert join_sentences(["Llegó.", "¿Y?"], "es") == "Llegó. ¿Y?"
