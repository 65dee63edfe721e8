"""Baselines: fingerprints ignore line numbers; only new findings remain."""

from __future__ import annotations

import dataclasses
import json

import pytest

from locflow.checks.report import filter_baseline, fingerprint, write_baseline
from locflow.model import Finding, Severity

OLD = Finding("numbers", Severity.ERROR, "13 in the translation; the source says 12",
              "es/a.po", 12, "12 people", None, "es")
NEW = Finding("urls", Severity.ERROR, "the link https://x.org is missing or changed",
              "es/a.po", 40, "See https://x.org", None, "es")


def test_fingerprint_ignores_line_numbers() -> None:
    assert fingerprint(OLD) == fingerprint(dataclasses.replace(OLD, line=99))
    assert fingerprint(OLD) != fingerprint(dataclasses.replace(OLD, msgctxt="title"))


def test_baseline_is_stable_json() -> None:
    text = write_baseline([NEW, OLD])
    assert text == write_baseline([OLD, NEW])
    data = json.loads(text)
    assert data["version"] == 1 and len(data["findings"]) == 2


def test_filter_keeps_only_new_findings() -> None:
    baseline = write_baseline([OLD])
    moved = dataclasses.replace(OLD, line=15)
    new, suppressed = filter_baseline([moved, NEW], baseline)
    assert new == [NEW] and suppressed == 1


def test_a_second_copy_of_a_known_finding_is_new() -> None:
    new, suppressed = filter_baseline([OLD, OLD], write_baseline([OLD]))
    assert new == [OLD] and suppressed == 1


def test_bad_baseline() -> None:
    with pytest.raises(ValueError, match="not a locflow baseline"):
        filter_baseline([OLD], "[1, 2]")


def test_protected_checks_are_never_suppressed() -> None:
    from locflow.checks import baseline_protected

    state = Finding("fuzzy", Severity.ERROR, "the translation is marked fuzzy", "es.po", 3,
                    "Vote")
    forged = Finding("forged-approval", Severity.ERROR, "approval by X", "es.po", 3, "Vote")
    baseline = write_baseline([OLD, state, forged])
    new, suppressed = filter_baseline([OLD, state, forged], baseline,
                                      baseline_protected("approved"))
    assert (new, suppressed) == ([state, forged], 1)
    new, suppressed = filter_baseline([OLD, state, forged], baseline,
                                      baseline_protected("translated"))
    assert (new, suppressed) == ([forged], 2)


def test_fingerprints_stay_what_committed_baselines_hold() -> None:
    # A changed formula would turn every baselined finding of every project into a new one.
    assert fingerprint(OLD) == "2f1a0338cfba147c7bbffeafc6a0b2a2"
    assert fingerprint(dataclasses.replace(OLD, msgctxt="")) == fingerprint(OLD)
    replace = dataclasses.replace
    identity = [replace(OLD, path="fr/a.po"), replace(OLD, msgid="12 persons"),
                replace(OLD, check="urls"), replace(OLD, message="12 is missing")]
    assert len({fingerprint(f) for f in [OLD, *identity]}) == 5
    elsewhere = replace(OLD, severity=Severity.WARNING, locale="fr", article="x", line=99)
    assert fingerprint(elsewhere) == fingerprint(OLD)
    # The parts are separated: the same characters split differently are another finding.
    assert (fingerprint(dataclasses.replace(OLD, msgctxt="a", msgid="b"))
            != fingerprint(dataclasses.replace(OLD, msgctxt="", msgid="ab")))
    # A lone surrogate (a broken catalog) still has a fingerprint.
    assert len(fingerprint(dataclasses.replace(OLD, msgid="\ud800"))) == 32


def test_baseline_exact() -> None:
    long = dataclasses.replace(NEW, msgid="ñ" * 100, path="de/a.po")
    assert write_baseline([long, NEW, OLD]) == (
        '{\n  "findings": [\n'
        '    {\n'
        '      "check": "urls",\n'
        f'      "fingerprint": "{fingerprint(long)}",\n'
        '      "message": "the link https://x.org is missing or changed",\n'
        f'      "msgid": "{"ñ" * 80}",\n'
        '      "path": "de/a.po"\n'
        '    },\n'
        '    {\n'
        '      "check": "numbers",\n'
        '      "fingerprint": "2f1a0338cfba147c7bbffeafc6a0b2a2",\n'
        '      "message": "13 in the translation; the source says 12",\n'
        '      "msgid": "12 people",\n'
        '      "path": "es/a.po"\n'
        '    },\n'
        '    {\n'
        '      "check": "urls",\n'
        '      "fingerprint": "b900a11e0da140216ad49afa116b5084",\n'
        '      "message": "the link https://x.org is missing or changed",\n'
        '      "msgid": "See https://x.org",\n'
        '      "path": "es/a.po"\n'
        '    }\n'
        '  ],\n  "version": 1\n}\n'
    )
    assert write_baseline([]) == '{\n  "findings": [],\n  "version": 1\n}\n'


def test_records_of_one_check_in_one_file_are_ordered_by_fingerprint() -> None:
    a, b = OLD, dataclasses.replace(OLD, message="14 in the translation")
    order = sorted([fingerprint(a), fingerprint(b)])
    for findings in ([a, b], [b, a]):
        records = json.loads(write_baseline(findings))["findings"]
        assert [r["fingerprint"] for r in records] == order


def test_an_empty_baseline_suppresses_nothing() -> None:
    assert filter_baseline([OLD, NEW], write_baseline([])) == ([OLD, NEW], 0)
    assert filter_baseline([], write_baseline([OLD])) == ([], 0)


def test_conflicts_are_never_suppressed() -> None:
    conflict = Finding("conflict", Severity.ERROR, "two translations", "es/a.po", 3, "Vote")
    baseline = write_baseline([conflict, OLD])
    assert filter_baseline([conflict, OLD], baseline) == ([conflict], 1)


@pytest.mark.parametrize(("text", "why"), [
    ("{", "not a locflow baseline: Expecting property name"),
    ('{"version": 1}', "not a locflow baseline: 'findings'"),
    ('{"findings": [1]}', "not a locflow baseline: 'int' object is not subscriptable"),
    ('{"findings": [{"path": "a.po"}]}', "not a locflow baseline: 'fingerprint'"),
    ('{"findings": [], "n": ' + "1" * 5000 + "}", "not a locflow baseline: Exceeds the limit"),
    ("[" * 100_000 + "]" * 100_000, "not a locflow baseline: nested too deeply"),
])
def test_bad_baselines_say_why(text: str, why: str) -> None:
    with pytest.raises(ValueError) as info:
        filter_baseline([OLD], text)
    assert str(info.value).startswith(why)
    assert info.value.__suppress_context__
