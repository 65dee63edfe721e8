"""Baselines written catalog by catalog and read record by record say what the whole-file
code said: the same bytes, the same findings suppressed, the same errors."""

from __future__ import annotations

import json
import random
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from locflow.checks import baseline as baseline_module
from locflow.checks.baseline import Baseline, BaselineWriter, fingerprint, write_baseline
from locflow.model import Finding, Severity


def whole_file_baseline(findings: Sequence[Finding]) -> str:
    """``write_baseline`` before it streamed."""
    records = sorted(
        ({"fingerprint": fingerprint(f), "path": f.path, "check": f.check,
          "msgid": f.msgid[:80], "message": f.message} for f in findings),
        key=lambda r: (r["path"], r["check"], r["fingerprint"]),
    )
    return json.dumps({"version": 1, "findings": records}, ensure_ascii=False, indent=2,
                      sort_keys=True) + "\n"


def whole_file_filter(findings: Sequence[Finding], text: str, protected: frozenset[str]
                      ) -> tuple[list[Finding], int]:
    """``filter_baseline`` before it streamed (a Counter of every record's fingerprint)."""
    known = Counter(r["fingerprint"] for r in json.loads(text)["findings"])
    new, suppressed = [], 0
    for f in findings:
        fp = fingerprint(f)
        if known[fp] > 0 and f.check not in protected and f.check != "conflict":
            known[fp] -= 1
            suppressed += 1
        else:
            new.append(f)
    return new, suppressed


# (no lone surrogate: a baseline holding one cannot be written as UTF-8 at all)
text = st.text(st.sampled_from(["a", "b", " ", "\n", "\t", "\x1e", "\x00", "é", '"', "\\",
                                "千"]), max_size=6)
finding = st.builds(
    Finding, st.sampled_from(["numbers", "urls", "fuzzy", "conflict", "forged-approval"]),
    st.just(Severity.ERROR), st.sampled_from(["m1", "m2", "ñ"]),
    st.sampled_from(["es/a.po", "es/b.po", "zh/a.po", "a\x1e.po"]), st.integers(0, 9), text,
    st.none() | st.sampled_from(["ctx", ""]), st.just("es"), st.just(None))


@settings(max_examples=200, deadline=None)
@given(st.lists(finding, max_size=12), st.lists(st.integers(0, 12), max_size=4))
def test_a_baseline_written_catalog_by_catalog_is_the_whole_file(
    findings: list[Finding], cuts: list[int]
) -> None:
    expected = whole_file_baseline(findings)
    assert write_baseline(findings) == expected
    # in runs, as check gives them: one path at a time, any order, a path twice
    runs = [findings[a:b] for a, b in zip([0, *sorted(cuts)], [*sorted(cuts), len(findings)],
                                           strict=True)]
    writer = BaselineWriter()
    for run in reversed(runs):
        writer.add(run)
    out: list[str] = []
    writer.write(type("Out", (), {"write": lambda self, t: out.append(t)})())
    writer.close()
    assert "".join(out) == expected
    assert writer.count == len(findings)


@contextmanager
def chunks_of(size: int) -> Iterator[None]:
    """Read the file *size* characters at a time: every value crosses a boundary."""
    saved = baseline_module._Scanner.CHUNK
    baseline_module._Scanner.CHUNK = size
    try:
        yield
    finally:
        baseline_module._Scanner.CHUNK = saved


def variant(text: str, rng: random.Random) -> str:
    """The same baseline as someone's tool may have rewritten it: other spacing, key
    order, more keys."""
    data = json.loads(text)
    for record in data["findings"]:
        if rng.random() < 0.3:
            record["note"] = {"x": [1, 2.5e3, None, True]}
    if rng.random() < 0.5:
        data = {"tool": "x" * rng.randint(0, 9), **data, "n": 12345678901234567890}
    return json.dumps(data, ensure_ascii=rng.random() < 0.5,
                      indent=rng.choice([None, 0, 1, 4, "\t"]),
                      separators=rng.choice([None, (",", ":"), (" , ", " : ")]),
                      sort_keys=rng.random() < 0.5) + rng.choice(["", "\n", " \r\n\t"])


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(finding, max_size=8), st.lists(finding, max_size=8), st.randoms(),
       st.integers(1, 40), st.booleans())
def test_a_baseline_read_record_by_record_suppresses_what_the_whole_file_did(
    tmp_path: Path, known: list[Finding], extra: list[Finding], rng: random.Random,
    chunk: int, approved: bool
) -> None:
    from locflow.checks import baseline_protected

    protected = baseline_protected("approved" if approved else "translated")
    findings = [*known, *extra, *known[:2]]  # (a second copy of a known one is new)
    rng.shuffle(findings)
    file = tmp_path / "baseline.json"
    for content in (write_baseline(known), variant(write_baseline(known), rng)):
        file.write_text(content, encoding="utf-8", newline="")
        with chunks_of(chunk):
            assert Baseline.read(file).filter(findings, protected) == whole_file_filter(
                findings, content, protected)


BAD = [
    "{", "", " ", "[1, 2]", '{"version": 1}', '{"findings": [1]}',
    '{"findings": [{"path": "a.po"}]}', '{"findings": [], "n": ' + "1" * 5000 + "}",
    "[" * 100_000 + "]" * 100_000, '{"findings": [{"fingerprint": [1]}]}',
    '{"findings": [{"fingerprint": "a"},]}', '{"findings": [{"fingerprint": "a"}],}',
    '{"findings": [{"fingerprint": "a"} {"fingerprint": "b"}]}', '{"findings": {}}',
    '{"findings": "abc"}', '{"findings": 3}', '{"findings": [], "findings": [1]}',
    '{"findings": [{"fingerprint": "a"}]} x', '\ufeff{"findings": []}', '{"findings": []}}',
    '{"findings": [], 1: 2}', '{"findings": [{"fingerprint": NaN}]}', "null",
    '{"findings": [{"fingerprint": "' + "a" * 32 + '"}]',
]


def outcome(read: Callable[[], Baseline]) -> object:
    try:
        found = read()
    except (OSError, ValueError) as exc:
        return type(exc), str(exc)
    finding = Finding("numbers", Severity.ERROR, "m", "p", 1, "x")
    return found.filter([finding] * 2)


@pytest.mark.parametrize("content", BAD)
def test_anything_else_is_read_as_it_was(tmp_path: Path, content: str) -> None:
    file = tmp_path / "baseline.json"
    file.write_text(content, encoding="utf-8")
    with chunks_of(3):
        streamed = outcome(lambda: Baseline.read(file))
    assert streamed == outcome(lambda: Baseline.from_text(file.read_text(encoding="utf-8")))


def test_a_file_that_is_not_utf8_or_not_there_fails_as_reading_it_whole_did(
    tmp_path: Path
) -> None:
    file = tmp_path / "baseline.json"
    file.write_bytes(b'{"findings": [{"fingerprint": "\xff"}]}')
    assert outcome(lambda: Baseline.read(file)) == outcome(
        lambda: Baseline.from_text(file.read_text(encoding="utf-8")))
    missing = tmp_path / "missing.json"
    assert outcome(lambda: Baseline.read(missing)) == outcome(
        lambda: Baseline.from_text(missing.read_text(encoding="utf-8")))


def test_a_large_baseline_is_read_in_a_fraction_of_its_size(tmp_path: Path) -> None:
    """30,000 records (8 MB): parsed whole they took several times the file's size; now
    about 20 bytes a fingerprint (and a list of them while they are sorted)."""
    file = tmp_path / "baseline.json"
    findings = (Finding("numbers", Severity.ERROR, f"{i} in the translation; the source says "
                        f"{i + 1}", f"locales/es/articles/article-{i // 30:05d}.po", i,
                        f"The council said {i} people came.") for i in range(30_000))
    writer = BaselineWriter()
    writer.add(findings)
    with file.open("w", encoding="utf-8") as out:
        writer.write(out)
    writer.close()
    size = file.stat().st_size
    assert size > 8_000_000
    tracemalloc.start()
    try:
        with chunks_of(1 << 16):
            known = Baseline.read(file)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < size / 3, f"{peak / 1e6:.1f} MB to read {size / 1e6:.1f} MB"
    last = Finding("numbers", Severity.ERROR, "29999 in the translation; the source says "
                   "30000", "locales/es/articles/article-00999.po", 1,
                   "The council said 29999 people came.")
    assert known.filter([last, last]) == ([last], 1)
