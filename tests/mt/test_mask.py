"""Masking what MT must not touch, and restoring it."""

from __future__ import annotations

import time

import pytest

from locflow.mt.mask import Restored, mask, restore


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


# -- issue 17: regressions ---------------------------------------------------------------


@pytest.mark.parametrize(("source", "sent", "spans"), [
    # "](x)" without "[" is prose; what it holds is protected all the same
    ("see ](x) here", "see ](x) here", ()),
    ("see ](http://example.org/a) here", "see ]([X0X]) here", ("http://example.org/a",)),
    ("a ](`x = 1`) b", "a ]([X0X]) b", ("`x = 1`",)),
    ("a ](\nb) c", "a ]([X0X]b) c", ("\n",)),
    ("a ](x[X0X]) b", "a ](x[X0X]) b", ("[X0X]",)),  # a literal placeholder: no collision
    ("](a](x)b) c", "](a](x)b) c", ()),  # a "close" inside one is no link either
    ("Lo ![X0X] y", "Lo ![X0X] y", ("[X0X]",)),  # "!" and a literal placeholder: no image
    ("![X0X](a.png)", "![X0X](a.png)", ("[X0X]",)),
])
def test_an_unpaired_close_is_prose_around_protected_spans(
        source: str, sent: str, spans: tuple[str, ...]) -> None:
    masked = mask(source)
    assert (masked.text, masked.spans) == (sent, spans)
    assert restore(masked, masked.text) == restore(masked, f" {masked.text} ")
    assert restore(masked, masked.text).text == source and restore(masked, sent).intact


@pytest.mark.parametrize(("source", "options", "sent", "spans"), [
    # a term that overlaps a URL, an e-mail address, code or a link is not prose: the
    # span is masked whole, the term not at all
    ("NATO https://x.org", {"keep": ["NATO https"]}, "NATO [X0X]", ("https://x.org",)),
    ("ask news@nato.int now", {"keep": ["ask news"]}, "ask [X0X] now", ("news@nato.int",)),
    ("ask news@nato.int now", {"render": {"int now": "ahora"}}, "ask [X0X] now",
     ("news@nato.int",)),
    ("see https://example.org/NATO/x now", {"render": {"NATO": "OTAN"}}, "see [X0X] now",
     ("https://example.org/NATO/x",)),
    ("a [b](u) c", {"render": {"b](u) c": "Z"}}, "a [X0X]b[X1X] c", ("[", "](u)")),
    ("a `x` b", {"keep": ["a `x"]}, "a [X0X] b", ("`x`",)),
    ("run `NATO` now", {"keep": ["NATO"]}, "run [X0X] now", ("`NATO`",)),
    # a term beside a span, touching it, is prose
    ("NATO`x`", {"keep": ["NATO"]}, "[X0X][X1X]", ("NATO", "`x`")),
    ("`x`NATO", {"render": {"nato": "OTAN"}}, "[X0X][X1X]", ("`x`", "OTAN")),
    ("[NATO](u)", {"render": {"nato": "OTAN"}}, "[X0X][X1X][X2X]", ("[", "OTAN", "](u)")),
    # spans that overlap become one: no part of either reaches the engine
    ("%(x)s@y.org", {"flags": ["python-format"]}, "[X0X]", ("%(x)s@y.org",)),
    ("see %(x)s@y.org and %d", {"flags": ["python-format"]}, "see [X0X] and [X1X]",
     ("%(x)s@y.org", "%d")),
    ("a [b](%(x)s)", {"flags": ["python-format"]}, "a [X0X]b[X1X]", ("[", "](%(x)s)")),
    ("a {b[0]}](u)", {"flags": ["python-brace-format"]}, "a [X0X][X1X]", ("{b[0]}", "](u)")),
])
def test_terms_and_spans_never_overlap(source: str, options: dict[str, object], sent: str,
                                       spans: tuple[str, ...]) -> None:
    masked = mask(source, **options)  # type: ignore[arg-type]
    assert (masked.text, masked.spans) == (sent, spans)
    back = restore(masked, masked.text)
    assert back.intact
    if "render" not in options:
        assert back.text == source


def test_spans_merge_in_order_whatever_order_they_were_found() -> None:
    from locflow.mt.mask import _merged

    assert _merged([]) == []
    assert _merged([(4, 9), (0, 5), (6, 7), (9, 10)]) == [(0, 9), (9, 10)]
    assert _merged([(0, 9), (2, 3)]) == [(0, 9)]
    assert _merged([(0, 3), (2, 9), (8, 12)]) == [(0, 12)]
    assert _merged([(3, 4), (0, 1)]) == [(0, 1), (3, 4)]


@pytest.mark.parametrize(("source", "sent", "answer", "draft"), [
    ("line one\n", "line one", "UNO", "UNO\n"),
    ("line one\n\n", "line one", "UNO", "UNO\n\n"),
    ("\nline one", "line one", "UNO", "\nUNO"),
    ("  two spaces  ", "two spaces", "DOS", "  DOS  "),
    (" \n", "", "", " \n"),
    ("\t[a](u)\n", "[X0X]a[X1X]", "[X0X]A[X1X]", "\t[A](u)\n"),
])
def test_restore_keeps_the_sources_whitespace_at_the_ends(
        source: str, sent: str, answer: str, draft: str) -> None:
    masked = mask(source)
    assert masked.text == sent  # not sent: an engine drops it anyway
    assert restore(masked, answer) == Restored(draft, True)
    assert restore(masked, f"\n {answer} \n") == Restored(draft, True)  # the engine's: gone
    assert restore(masked, sent) == Restored(source, True)


def test_a_dropped_newline_is_not_intact() -> None:
    masked = mask("one\ntwo\n")
    assert masked.text == "one[X0X]two"
    assert restore(masked, "UNO DOS") == Restored("UNO DOS\n", False)
    assert restore(masked, "UNO[X0X]DOS").text == "UNO\nDOS\n"


def test_an_invented_placeholder_stays_as_the_engine_wrote_it() -> None:
    masked = mask("[a](u) b")
    # one dropped and one invented in its place: the count matches, the draft is not intact
    assert restore(masked, "[X7X]A[X1X] B") == Restored("[X7X]A](u) B", False)
    assert restore(masked, "[X0X]A[X1X] [ X7 X ]") == Restored("[A](u) [ X7 X ]", False)
