"""locflow.catalog.pofile against 176 real PO files (python-docs-es, python-docs-zh-cn,
gnome-user-docs, pretalx) in ``<repo>/../shared/corpus``.

* every file round-trips byte for byte through parse() and dump();
* format_entry() of every entry, ignoring its raw text, equals what ``msgcat --no-wrap``
  writes for it;
* translated / fuzzy / untranslated / obsolete counts equal msgfmt's (reference-stats.tsv).

Parsing and dumping the whole corpus takes about a second, msgcat about two: not marked slow.
"""

from __future__ import annotations

import copy
import csv
import functools
import shutil
import subprocess
from pathlib import Path

import pytest

from locflow.catalog import pofile
from locflow.catalog.pofile import Catalog, Entry

CORPUS = (Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus").resolve()
FILES = sorted(p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*.po")) \
    if CORPUS.is_dir() else []

pytestmark = pytest.mark.skipif(not FILES, reason=f"PO corpus not found at {CORPUS}")


@functools.cache
def parsed(name: str) -> Catalog:
    path = CORPUS / name
    return pofile.parse(path.read_bytes(), path)


def test_corpus_is_complete() -> None:
    assert len(FILES) == 176


@pytest.mark.parametrize("name", FILES)
def test_roundtrip_is_byte_identical(name: str) -> None:
    data = (CORPUS / name).read_bytes()
    assert pofile.dump(parsed(name)) == data


def _counts(catalog: Catalog) -> dict[str, int]:
    # msgfmt --statistics: empty msgstr (msgstr[0] for plurals) is untranslated even when
    # flagged fuzzy; header and obsolete entries are not counted.
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0,
              "obsolete": len(catalog.obsolete_entries())}
    for entry in catalog.active():
        first = entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr
        if not first:
            counts["untranslated"] += 1
        elif "fuzzy" in entry.flags:
            counts["fuzzy"] += 1
        else:
            counts["translated"] += 1
    return counts


def _reference_stats() -> dict[str, dict[str, int]]:
    with open(CORPUS / "reference-stats.tsv", encoding="utf-8", newline="") as f:
        return {row["path"]: {k: int(row[k]) for k in
                              ("translated", "fuzzy", "untranslated", "obsolete")}
                for row in csv.DictReader(f, delimiter="\t")}


def test_counts_match_msgfmt_statistics() -> None:
    reference = _reference_stats()
    assert sorted(reference) == FILES
    mismatches = {name: (_counts(parsed(name)), reference[name]) for name in FILES
                  if _counts(parsed(name)) != reference[name]}
    assert mismatches == {}


def _comparable(entry: Entry, theirs: Entry) -> Entry:
    """*entry* with msgcat's known, accepted flag changes applied.

    msgcat drops ``fuzzy`` from an entry whose msgstr is empty, drops flags it does not
    know and puts the rest in its own order. format_entry keeps flags as given (other
    modules rely on them), so when msgcat's flags are a subset of ours, compare with
    msgcat's. (No corpus entry needs this with gettext 0.21, but other versions may.)
    """
    fresh = copy.copy(entry)
    fresh._raw = None
    if theirs.flags != entry.flags and set(theirs.flags) <= set(entry.flags):
        fresh.flags = list(theirs.flags)
    return fresh


@pytest.mark.skipif(shutil.which("msgcat") is None, reason="msgcat (GNU gettext) not on PATH")
def test_format_entry_matches_msgcat_no_wrap() -> None:
    """Every entry formatted from its fields alone equals msgcat --no-wrap's text for it.

    msgcat also moves obsolete entries to the end and drops trailing comments, so entries
    are matched by (obsolete, msgctxt, msgid), and its output is split into entries with
    our own parser (each entry's raw lines).
    """
    checked = 0
    mismatches: list[str] = []
    for name in FILES:
        result = subprocess.run(["msgcat", "--no-wrap", str(CORPUS / name)],
                                capture_output=True, check=True)
        theirs = pofile.parse(result.stdout)
        by_key = {(e.obsolete, e.key): e for e in theirs.entries}
        if theirs.header is not None:
            by_key[(False, theirs.header.key)] = theirs.header
        ours = parsed(name)
        for entry in ([ours.header] if ours.header else []) + ours.entries:
            other = by_key.get((entry.obsolete, entry.key))
            if other is None:
                mismatches.append(f"{name}:{entry.line}: not in msgcat output")
                continue
            assert other._raw is not None
            checked += 1
            if pofile.format_entry(_comparable(entry, other)) != "\n".join(other._raw):
                mismatches.append(f"{name}:{entry.line}")
    assert mismatches == []
    assert checked > 30_000
