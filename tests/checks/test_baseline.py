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
