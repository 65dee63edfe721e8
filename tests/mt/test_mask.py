"""Masking what MT must not touch, and restoring it."""

from __future__ import annotations

import time

import pytest

from locflow.mt.mask import mask, restore


@pytest.mark.parametrize(("source", "sent"), [
    ("See [the report](https://x.org/a_(b) \"T\").", "See [X0X]the report[X1X]."),
    ("![A map](map.png) of Pyongyang", "[X0X]A map[X1X] of Pyongyang"),
    ("Run `pip install` or ``a`b``.", "Run [X0X] or [X1X]."),
    ("A <b>bold</b> move<br/>", "A [X0X]bold[X1X] move[X2X]"),
    ("Mail news@example.com or see www.example.com/x", "Mail [X0X] or see [X1X]"),
    ("At <https://example.org> now", "At [X0X] now"),
    ("line one\nline two", "line one[X0X]line two"),
    ("[sic] and ](not a link)", "[sic] and ](not a link)"),
    ("Literal [X3X] in the source", "Literal [X0X] in the source"),
])
def test_masked_text(source: str, sent: str) -> None:
    masked = mask(source)
    assert masked.text == sent
    assert restore(masked, masked.text).text == source.strip()


def test_placeholders_follow_the_format_flags() -> None:
    assert mask("5% of %(count)d items").text == "5% of %(count)d items"
    assert mask("5% of %(count)d items", flags=["python-format"]).text == "5[X0X]f [X1X] items"
    assert mask("{n} items, {{x}}", flags=["python-brace-format"]).text == (
        "[X0X] items, [X1X]x[X2X]")


def test_glossary_terms_case_insensitive_whole_words_longest_first() -> None:
    masked = mask("asian nato and NATO, not NATOs", keep=["NATO"],
                  render={"Asian NATO": "OTAN asiática"})
    assert masked.text == "[X0X] and [X1X], not NATOs"
    assert masked.spans == ("OTAN asiática", "NATO")
    assert restore(masked, "[X0X] y [X1X]").text == "OTAN asiática y NATO"


def test_restore_tolerates_engine_spacing_and_flags_changes() -> None:
    masked = mask("[a](u) b")
    assert restore(masked, "[ X0X ]A[X 1 X] B") == restore(masked, "[X0X]A[X1X] B")
    assert restore(masked, "[X0X]A B").intact is False  # dropped
    assert restore(masked, "[X0X]A[X1X][X1X]").intact is False  # repeated
    assert restore(masked, "[X0X]A[X1X] [X7X]").intact is False  # invented


def test_masking_is_linear_on_hostile_text() -> None:
    hostile = ["](" + " " * 50_000, "[" * 50_000, "<a " * 20_000, "a." * 30_000 + "@",
               "`" * 50_000, "](<" + "x" * 50_000, "http://" + "a(" * 20_000]
    for text in hostile:
        started = time.perf_counter()
        mask(text, keep=["NATO", "Asian NATO"])
        assert time.perf_counter() - started < 0.5, text[:10]
