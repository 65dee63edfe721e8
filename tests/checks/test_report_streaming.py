"""Reports written catalog by catalog are, byte for byte, what the whole-list code wrote.

:mod:`tests.checks.reference_report` is the pre-streaming rendering (one sorted list,
JUnit built as an ElementTree): every format of the streamed writers must give its
bytes, whatever the paths, messages, order of the catalogs or duplicates in it.
"""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from locflow.checks.report import (
    FORMATS,
    in_catalog_order,
    render,
    summarize,
    writer,
)
from locflow.model import Finding, Severity
from tests.checks.reference_report import reference

# characters every format escapes one way or another: markup, separators of GitHub's
# properties, controls (raw CR, tab, ESC, NUL), a lone surrogate, non-ASCII, a quote
TRICKY = ["a", "b", " ", ",", ":", "&", "<", ">", '"', "'", "%", "\t", "\n", "\r", "\x1b",
          "\x00", "\x85", "\u2028", "\ud800", "é", "千", "\\", "#", "?"]
text = st.lists(st.sampled_from(TRICKY), max_size=8).map("".join)
paths = st.sampled_from(["es/a.po", "es/b,c:d.po", "zh/a.po", "x&<y>\".po", "t\tab\r.po",
                         "locflow.toml", "é\x1b.po"])
finding = st.builds(
    Finding, st.sampled_from(["numbers", "markup", "untranslated", "fuzzy", "made-up",
                              "language", "forged-approval"]),
    st.sampled_from(list(Severity)), text, paths, st.integers(0, 12),
    st.one_of(text, st.text(max_size=70)), st.none() | text, st.none() | text,
    st.none() | text)


@st.composite
def reports(draw: st.DrawFn) -> tuple[list[Finding], dict[str, object]]:
    findings = draw(st.lists(finding, max_size=12))
    summary = summarize(findings, draw(st.integers(0, 9)), draw(st.integers(0, 99)))
    if draw(st.booleans()):  # the catalogs checked: some with findings, some clean, twice
        summary["files"] = draw(st.lists(paths, max_size=6))
    if draw(st.booleans()):
        summary["suppressed_by_baseline"] = draw(st.integers(0, 3))
    return findings, summary


@settings(max_examples=300, deadline=None)
@given(reports(), st.sampled_from([*FORMATS, "colour"]))
def test_every_format_gives_the_bytes_of_the_whole_list_rendering(
    report: tuple[list[Finding], dict[str, object]], fmt: str
) -> None:
    findings, summary = report
    colour = fmt == "colour"
    fmt = "text" if colour else fmt
    assert render(findings, summary, fmt, colour=colour) == reference(
        findings, summary, fmt, colour)


@settings(max_examples=100, deadline=None)
@given(reports(), st.sampled_from(FORMATS))
def test_catalogs_given_one_by_one_in_report_order_give_the_same_bytes(
    report: tuple[list[Finding], dict[str, object]], fmt: str
) -> None:
    """What ``check`` does: each catalog once, in the order checked (a catalog listed
    twice: where it last is), its findings in catalog order, clean ones included."""
    findings, summary = report
    files = [str(path) for path in summary.get("files", [])]  # type: ignore[attr-defined]
    # as a sort of the whole list ranks them: where last listed; a path no catalog has
    # at the number of catalogs (with one listed twice, that is not after them all)
    rank = {path: index for index, path in enumerate(files)}
    order = sorted({*files, *(f.path for f in findings)},
                   key=lambda path: (rank.get(path, len(rank)), path))
    out = io.StringIO()
    report_writer = writer(fmt, out)
    for path in order:
        mine = [f for f in findings if f.path == path]
        report_writer.catalog(path, in_catalog_order(mine))  # (equal ones keep their order)
    report_writer.close(summary)
    assert out.getvalue() == reference(findings, summary, fmt)
    assert report_writer.written == len(findings)


FIRST = Finding("numbers", Severity.ERROR, "13 in the translation; the source says 12",
                "es/a.po", 12, "12 people", None, "es", "kim")


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_a_catalog_is_written_as_soon_as_it_is_given(fmt: str) -> None:
    out = io.StringIO()
    report_writer = writer(fmt, out)
    report_writer.catalog("es/a.po", [FIRST])
    assert "13 in the translation" in out.getvalue()  # before the summary is known
    report_writer.catalog("es/b.po", [])
    report_writer.close(summarize([FIRST], 2, 10) | {"files": ["es/a.po", "es/b.po"]})
    if fmt in ("json", "sarif"):
        json.loads(out.getvalue())


def test_junit_keeps_its_suites_on_disk_until_the_totals_are_known() -> None:
    out = io.StringIO()
    report_writer = writer("junit", out)
    report_writer.catalog("es/a.po", [FIRST] * 3)
    assert out.getvalue() == ""  # (the root's totals come first)
    report_writer.catalog("es/b.po", [])
    report_writer.close({"files": ["es/b.po", "es/a.po"]})
    text = out.getvalue()
    assert text.index('name="es/b.po"') < text.index('name="es/a.po"')  # as files lists them
    assert '<testsuites name="locflow check" tests="4" failures="3">' in text


def test_nothing_is_written_before_the_first_catalog() -> None:
    """(A report file opened on first write is untouched by a run failing before it.)"""
    for fmt in FORMATS:
        out = io.StringIO()
        writer(fmt, out).release()
        assert out.getvalue() == "", fmt


def test_an_unknown_format_is_refused_before_anything_is_written() -> None:
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        writer("xml", io.StringIO())


scalars = (st.none() | st.booleans() | st.integers() | text | st.text(max_size=5)
           | st.floats(allow_nan=False))
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(text, inner, max_size=3), max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_the_fast_indented_json_is_json_text(value: object) -> None:
    from locflow.checks.streaming import report_json
    from locflow.escaping import json_text

    assert report_json(value) == json_text(value)
