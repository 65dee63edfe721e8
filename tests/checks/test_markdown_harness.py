"""Issue 19, "compare structure, not characters": held-out real Markdown, broken and not.

The entries come from Markdown this repository does not hold (what the installed
packages ship; see :mod:`tests.checks.markdown_harness`). Every breakage that changes
what the reader gets must be an error, and no correct translation may raise one. The
suite runs a seeded sample; ``LOCFLOW_HARNESS_FULL=1`` runs every entry, and
``python -m tests.checks.markdown_harness`` prints the full-size figures.
"""

from __future__ import annotations

import os

import pytest

from tests.checks import markdown_harness as harness

FULL = os.environ.get("LOCFLOW_HARNESS_FULL") == "1"
PER_DOCUMENT = None if FULL else 3  # entries of each document: a few seconds in all


@pytest.fixture(scope="module")
def documents() -> list[harness.Document]:
    found = harness.package_documents()
    if not found:
        pytest.skip("no Markdown among the installed packages")
    return found


def _failures(tally: harness.Tally) -> str:
    lines = [tally.report()]
    lines += [f"MISSED {kind} [{where}]: {msgid!r} → {text!r}"
              for kind, msgid, text, where in tally.missed[:10]]
    lines += [f"FALSE ERROR {kind}: {message}: {msgid!r} → {text!r}"
              for kind, msgid, text, message in tally.false_errors[:10]]
    return "\n".join(lines)


def test_real_markdown_broken_is_an_error_and_translated_is_not(
        documents: list[harness.Document]) -> None:
    tally = harness.run(documents, per_document=PER_DOCUMENT)
    # the sample is no sample of nothing: every kind of entry the issue names is there
    assert tally.entries >= 50, tally.report()
    for kind in ("`](` dropped", "link `)` dropped", "`**` dropped", "backtick dropped",
                 "URL changed", "code span dropped"):
        assert tally.breakages[kind] > 0, (kind, tally.report())
    assert {"identity", "pseudo-translation", "words reordered"} <= set(tally.correct)
    assert not tally.missed and not tally.false_errors, _failures(tally)


def test_commonmark_spec_examples(documents: list[harness.Document]) -> None:
    spec = harness.spec_path()
    if spec is None:
        pytest.skip("no CommonMark spec (spec.txt) among the installed packages, and the "
                    "suite downloads nothing")
    tally = harness.run(harness.spec_documents(spec), per_document=PER_DOCUMENT)
    assert not tally.missed and not tally.false_errors, _failures(tally)


def test_the_harness_sees_misses_and_false_errors(
        documents: list[harness.Document], monkeypatch: pytest.MonkeyPatch) -> None:
    """The harness can fail: with checks that find nothing every breakage is missed, and
    with checks that always complain every correct variant is a false error."""
    sample = documents[:5]
    monkeypatch.setattr(harness, "errors", lambda source, translation: [])
    blind = harness.run(sample, per_document=2)
    assert len(blind.missed) == sum(blind.breakages.values()) > 0
    monkeypatch.setattr(harness, "errors", lambda source, translation: ["markup: x"])
    fussy = harness.run(sample, per_document=2)
    assert len(fussy.false_errors) == sum(fussy.correct.values()) > 0


def test_the_issue_examples() -> None:
    """The breakages the issue quotes, and the correct translations it says were refused."""
    buffer = "[`Buffer`](https://nodejs.org/api/buffer.html)"
    assert harness.errors(f"See {buffer}.", "Vea [`Buffer`https://nodejs.org/api/buffer.html).")
    assert harness.errors("[Python](https://www.python.org/) (version 3.6) is required.",
                          "Se necesita [Python](https://www.python.org/ (versión 3.6).")
    assert harness.errors("**`@node-core/utils`** runs it.", "**`@node-core/utils` lo ejecuta.")
    fastapi = "[FastAPI](https://fastapi.tiangolo.com)"
    assert not harness.errors(f"{fastapi}'s little sibling", f"el hermano pequeño de {fastapi}")
    assert not harness.errors("a list of 2.000 strings", "una lista de 2.000 cadenas")
    assert not harness.errors("Listen on `192.168.1.74`.", "Escuche en `192.168.1.74`.")
    assert not harness.errors("Use `:tada:` for a release", "Use `:tada:` para una versión")
    assert not harness.errors("Escape it: \\`", "Escápelo: \\`")
    assert not harness.errors("Write ``` `` a`b `` ``` here", "Escriba ``` `` a`b `` ``` aquí")
