"""Checks stay fast on hostile text: 100 kB inputs built to make a regex backtrack.

Issue 7: the HTML-tag pattern of the markup check took 3 s on ``"<a"`` followed by
1,000 spaces and 96 s with 2,000. Every pattern applied to translator text must be
linear. Each input below targets one pattern (or a quadratic loop around one); a
quadratic pattern needs minutes on 100 kB, a linear one milliseconds, so the bound
(2 s of CPU time, not wall-clock time, as the machine may be busy) is generous.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from locflow import provenance, review
from locflow.catalog import pofile
from locflow.checks import CHECKS, CheckContext, ignored_checks
from locflow.segment import normalize_inline
from tests.conftest import Invoke

SIZE = 100_000
LIMIT = 2.0  # seconds of CPU time per check on one input


def _fill(prefix: str, unit: str, suffix: str = "") -> str:
    return prefix + unit * ((SIZE - len(prefix) - len(suffix)) // len(unit)) + suffix


HOSTILE = {
    "tag: <a and spaces (issue 7)": _fill("<a", " ", "x"),
    "tag: unclosed attributes": _fill("<a ", "x=", ""),
    "tag: many opening tags": _fill("", "<a b='"),
    "tag: long name": _fill("<", "a"),
    "attribute: long name": _fill("<a ", "b", ">"),
    "handlers": _fill("", "<a onclick=x>"),
    "link: brackets": _fill("", "["),
    "link: open label": _fill("[", "a"),
    "link: spaces in destination": _fill("[a](x", " "),
    "link: spaces before a script URL": _fill("[a](", " ", "<x"),
    "role: colons": _fill("", ":a"),
    "role: long name": _fill(":", "a", "`"),
    "literal: unclosed": _fill("``", "a"),
    "backticks": _fill("", "`"),
    "printf: open names": _fill("", "%("),
    "printf: zero flags": _fill("%(a)", "0"),
    "printf: zeros": _fill("%", "0", "!"),
    "printf: digits": _fill("%", "1"),
    "braces": _fill("", "{"),
    "e-mail: percent signs": _fill("", "%", "@"),
    "e-mail: dotted domain": _fill("x@", "a.", "1"),
    "e-mail and URLs": _fill("", "a@b.cc http://x.org "),
    "url: closing parentheses": _fill("http://x.org/", ")"),
    "url: www": _fill("www.", "a"),
    "emphasis": _fill("", "*"),
    "numbers: list": _fill("", "1,", "a1"),
    "numbers: many": _fill("", "1 "),
    "numbers: distinct": " ".join(str(n) for n in range(20_000))[:SIZE],
    "numbers: identifiers": _fill("", "a1"),
    "numbers: scales": _fill("", "1 million "),
    "spaces": _fill("", " ", "x"),
    "spanish marks": _fill("", "¿"),
    "chinese numerals": _fill("", "十二"),
    "code-like": _fill("f(", ")", "x"),
    "lines": _fill("", "a  \n"),
    # issue 19: the structural checks parse with markdown-it, which must stay linear too
    "strong: runs": _fill("", "**a "),
    "strong: unclosed": _fill("", "**"),
    "brackets: nested": "[" * (SIZE // 2) + "]" * (SIZE // 2),
    "brackets: images": _fill("", "!["),
    "brackets: link middles": _fill("", "]("),
    "brackets: reference labels": _fill("", "[x]["),
    "footnotes: open": _fill("", "[^"),
    "footnotes: one label": _fill("", "[^", "a]"),
    "backticks: alternating runs": _fill("", "`a``"),
    "emphasis: mixed": _fill("", "*a _b "),
    "underscores: around punctuation": _fill("", "_._ "),
    "autolinks": _fill("", "<http://a"),
    "html: open tags": _fill("", "<b x='1'>"),
}
CONTEXTS = [CheckContext("es", ("c-format",)), CheckContext("zh_Hans"),
            CheckContext("es", ("python-brace-format",))]
SOURCE = "See 1, 2,000 and <a href='x'>y</a> [l](u) `c` %s {a} a@b.cc http://x.y ¿ok?"


def _cpu_seconds(call: Callable[[], object]) -> float:
    start = time.process_time()
    call()
    return time.process_time() - start


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_every_content_check_is_linear(text: str) -> None:
    slow = {}
    for check in CHECKS.values():
        if check.function is None:
            continue
        function = check.function
        for ctx in CONTEXTS:
            for source, translation in ((text, text), (SOURCE, text), (text, SOURCE)):
                took = _cpu_seconds(lambda: function(source, translation, ctx))  # noqa: B023
                if took > LIMIT:
                    slow[check.id] = round(took, 1)
    assert not slow, f"checks slower than {LIMIT} s on 100 kB: {slow}"


class _Entry:
    """What the review and provenance parsers read of an entry."""

    def __init__(self, comment: str) -> None:
        self.tcomment, self.msgctxt, self.msgid, self.msgid_plural = comment, None, "a", None
        self.msgstr, self.msgstr_plural, self.flags = "b", {}, ["fuzzy"]


@pytest.mark.parametrize("text", [
    _fill("locflow-approved: 2024-01-01 ", " (", ""),
    _fill("locflow-approved: 2024-01-01 x (aaaaaaaaaaaa)", " ", "x"),
    _fill("locflow-rejected: 2024-01-01 ", "a", ""),
    _fill("locflow-draft: mt x 2024-01-01 (aaaaaaaaaaaa); ", ";", ""),
    _fill("locflow-draft: memory ", "1", ""),
    _fill("locflow-ignore:", " ", ""),
    _fill("locflow-ignore: ", "a,", "\n"),
    _fill("", "locflow-ignore:"),
    _fill("", "  ", "x"),
], ids=["approved-parens", "approved-spaces", "rejected", "draft-notes", "draft-score",
        "ignore-spaces", "ignore-list", "ignore-repeated", "spaces"])
def test_review_and_provenance_parsers_are_linear(text: str) -> None:
    entry = _Entry(text + "\n" + text)
    for parse in (review.approval, review.rejection, review.entry_state, provenance.provenance,
                  lambda e: ignored_checks(e.tcomment), lambda e: normalize_inline(e.tcomment)):
        took = _cpu_seconds(lambda: parse(entry))  # noqa: B023
        assert took < LIMIT, f"{parse} took {took:.1f} s"


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_masking_for_machine_translation_is_linear(text: str) -> None:
    from locflow.mt.mask import mask, restore

    for flags in ((), ("c-format",), ("python-brace-format",)):
        took = _cpu_seconds(lambda: restore(mask(text, keep=("a", "x"), flags=flags), text))  # noqa: B023
        assert took < LIMIT, f"{flags}: {took:.1f} s"


def test_interface_placeholder_pattern_is_linear() -> None:
    from locflow.publish.interface import _flags

    for text in (_fill("%(a)", "0"), _fill("%", "0"), _fill("", "%(a)")):
        assert _cpu_seconds(lambda: _flags(text)) < LIMIT  # noqa: B023


def test_check_cli_on_the_issue_reproduction(locflow: Invoke, project: Path) -> None:
    """`msgstr "<a" + 2,000 spaces + "x"` took 96 s; 20,000 spaces now take no time."""
    locflow("sync", ok=True)
    path = project / "locales/es/articles/storm.po"
    with pofile.edit(path) as catalog:
        first, second = catalog.active()
        first.msgstr = "<a" + " " * 20_000 + "x"  # as in the issue: no tag at all
        second.msgstr = "<a" + " " * 20_000 + "x>"  # the same, closed: a tag
    start = time.process_time()
    result = locflow("check", str(path), "--format", "json")
    assert time.process_time() - start < LIMIT
    assert result.exit_code == 1
    findings = json.loads(result.stdout)["findings"]
    assert [f["message"] for f in findings if f["check"] == "markup"] == [
        "tags the source does not have: <a>"]


@pytest.mark.parametrize("unit", ["[", "![", "](", "[x][", "[^", "`a``", "**a ", "*a _b ",
                                  "<a ", "<http://a", "[a](", "_._ "])
def test_the_structural_reading_is_linear_up_to_its_bound(unit: str) -> None:
    """Issue 19: markup, urls and numbers parse both texts with markdown-it, which costs up
    to ~25 µs a character on bracket runs and was quadratic on footnote references
    ("[^[^[^…": 24 s for 20 kB) until their labels were read first. A text as long as
    the parser takes is checked in well under the limit; a longer one is not parsed."""
    from locflow.checks.skeleton import MAX_PARSED, skeleton

    text = unit * (MAX_PARSED // len(unit))
    footnoted = text[:-4] + "[^a]"  # one well-formed label: the footnote rule is on
    for hostile in (text, footnoted):
        took = _cpu_seconds(lambda: skeleton(hostile))  # noqa: B023
        assert took < LIMIT, f"{took:.1f} s"
        for check in ("markup", "urls", "numbers"):
            function = CHECKS[check].function
            assert function is not None
            took = _cpu_seconds(lambda: function(SOURCE, hostile, CONTEXTS[0]))  # noqa: B023
            assert took < LIMIT, f"{check}: {took:.1f} s"


def test_a_translation_too_long_to_parse_is_an_error() -> None:
    """Unparsed, a translation would hide the markup it breaks: it is an error of its own
    (and a source that long, which no real catalog has, is read as plain text)."""
    from locflow.checks import content
    from locflow.checks.skeleton import MAX_PARSED

    long = "[a](https://x.org) " + "a" * MAX_PARSED
    assert content.markup("[a](https://x.org)", long, CONTEXTS[0]) == [
        f"the translation is too long to compare its markup with the source's: "
        f"{len(long):,} characters (at most {MAX_PARSED:,})"]
    assert content.markup(long, long, CONTEXTS[0]) == []


def test_many_tags_with_other_attributes_stay_linear() -> None:
    """Each of thousands of tags whose attribute changed is looked up, not compared with
    every tag of its name."""
    markup = CHECKS["markup"].function
    assert markup is not None
    source, translation = "<b x='1'>" * 3_000, "<b x='2'>" * 3_000
    took = _cpu_seconds(lambda: markup(source, translation, CONTEXTS[0]))
    assert took < LIMIT, f"{took:.1f} s"
