"""End to end: ``check`` writes its report as the catalogs are checked, holds a bounded
number of findings, and still writes the bytes a sort of every finding gave.

The catalogs of an article are checked together while a report lists them locale by
locale: results that come before their turn wait on disk. Whatever the order of the
work (one process, the pool, the cache), the report is :mod:`tests.checks.reference_report`
of every finding.
"""

from __future__ import annotations

import gc
import io
import json
from collections import Counter
from pathlib import Path

import pytest

from locflow.checks.report import FORMATS, writer
from locflow.model import Finding, Severity
from locflow.parallel import JOBS_ENV
from tests.checks.reference_report import reference
from tests.conftest import Invoke
from tests.e2e.test_fast_paths import translate_some, write_articles


@pytest.fixture
def newsroom(locflow: Invoke, project: Path) -> Path:
    """50 articles (100 catalogs, and 2 of the site: seven tasks of 16), partly
    translated: many findings."""
    write_articles(project, 48)
    locflow("sync", ok=True)
    translate_some(project)
    return project


def test_the_report_is_written_while_catalogs_are_checked_and_findings_are_not_kept(
    locflow: Invoke, newsroom: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before, every finding was held until the last catalog was checked (about 1 KB
    each: 423-500 MB at 10,000 articles), and the report written after that."""
    import locflow.checks as checks

    monkeypatch.setenv(JOBS_ENV, "1")  # (checked in this process: seen by the hook below)
    real = checks.check_catalog
    report = tmp_path / "report.json"
    written: list[int] = []
    live: list[int] = []

    def alive() -> int:
        return sum(type(o) is Finding for o in gc.get_objects())

    def watched(*args: object, **kwargs: object) -> list[Finding]:
        found = real(*args, **kwargs)  # type: ignore[arg-type]
        written.append(report.stat().st_size if report.exists() else 0)
        live.append(alive())
        return found

    monkeypatch.setattr(checks, "check_catalog", watched)
    before = alive()  # (other tests' constants)
    result = locflow("check", "--format", "json", "-o", str(report))
    assert result.exit_code == 1, result.output
    findings = json.loads(report.read_text(encoding="utf-8"))["findings"]
    assert len(written) == 102
    assert len(findings) > 300
    assert written[-1] > 0 and written[len(written) // 2] > 0  # long before the end
    # a catalog's findings or two at a time (the one checked, the one written), never all
    most = max(Counter(f["path"] for f in findings).values())
    assert 3 * most < len(findings) / 4
    assert max(live) - before <= 3 * most, (max(live), before, most, len(findings))


def _rendered(locflow: Invoke, fmt: str) -> str:
    result = locflow("check", "--format", fmt)
    assert result.exit_code == 1, result.output
    return result.stdout


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_every_format_is_the_rendering_of_every_finding_sorted(
    locflow: Invoke, newsroom: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    from locflow import pipeline
    from locflow.checks import run_checks
    from locflow.config import Project
    from locflow.glossary import load as load_glossary
    from locflow.review import entry_state

    monkeypatch.setenv(JOBS_ENV, jobs)
    project = Project.load(newsroom)
    refs = pipeline.project_catalogs(project)
    kept = pipeline.check(refs, project=project)
    summary = kept.summary()
    # the findings are those of the checks run catalog by catalog, none lost or doubled
    from locflow.catalog import pofile
    plain = run_checks([(pofile.load(ref.path), ref.label, ref.locale, ref.article)
                        for ref in refs], state_of=entry_state,
                       extra_for=lambda language: {"glossary": load_glossary(project,
                                                                             str(language))})
    assert Counter(kept.findings) == Counter(plain.findings)
    assert summary == plain.summary() | {"files": summary["files"]}
    for fmt in FORMATS:
        (newsroom / ".locflow" / "check-cache.json").unlink(missing_ok=True)
        cold = _rendered(locflow, fmt)
        warm = _rendered(locflow, fmt)  # from the cache
        expected = reference(kept.findings, summary, fmt)
        assert cold == expected, fmt
        assert warm == expected, fmt


def _po(path: Path, language: str | None, msgids: list[str]) -> None:
    header = f'"Language: {language}\\n"\n' if language else ""
    entries = "".join(f'\nmsgid "{m}"\nmsgstr ""\n' for m in msgids)
    path.write_text(f'msgid ""\nmsgstr ""\n{header}'
                    f'"Content-Type: text/plain; charset=UTF-8\\n"\n{entries}', encoding="utf-8")


def test_a_file_given_twice_and_findings_about_no_catalog_are_where_a_sort_put_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A catalog named twice is listed once, where it last is; the findings about no
    catalog (``locflow.toml``) rank after as many catalogs as there are names: with one
    named twice, among the catalogs (by path when ranked alike)."""
    from locflow.config import Editor
    from locflow.pipeline import VerifyApprovals, check, file_catalogs
    from locflow.pipeline.checking import check_report

    monkeypatch.chdir(tmp_path)
    _po(tmp_path / "a.po", "es", ["One", "Two"])
    _po(tmp_path / "b.po", None, ["Three"])  # no language: a language warning too
    _po(tmp_path / "c.po", "es", ["Four"])
    refs = file_catalogs(["a.po", "b.po", "a.po", "c.po", "b.po"])
    notes = tuple(Finding("trust-from-working-tree", Severity.WARNING, "read here", path, 1, "")
                  for path in ("locflow.toml", "0.toml", "b.po", "locflow.toml"))
    verify = VerifyApprovals((Editor("Ana Ruiz", "ana@paper.example"),), notes=notes)
    kept = check(refs, verify_approvals=verify)
    assert len(kept.findings) == 2 * 2 + 2 * 2 + 1 + len(notes)
    for fmt in FORMATS:
        out = io.StringIO()
        report = writer(fmt, out)
        tally = check_report(refs, report.catalog, verify_approvals=verify)
        report.close(tally.summary())
        assert tally.summary() == kept.summary()
        assert out.getvalue() == reference(kept.findings, kept.summary(), fmt), fmt


def test_a_report_file_is_opened_when_its_first_text_is_ready(
    locflow: Invoke, newsroom: Path, tmp_path: Path
) -> None:
    """A run that fails before any catalog is checked leaves the last report as it was;
    a report with nothing in it is still a file."""
    report = tmp_path / "report.txt"
    report.write_text("the last report", encoding="utf-8")
    broken = tmp_path / "baseline.json"
    broken.write_text("{", encoding="utf-8")
    result = locflow("check", "--baseline", str(broken), "-o", str(report))
    assert result.exit_code == 2 and "not a locflow baseline" in result.stderr
    assert report.read_text(encoding="utf-8") == "the last report"
    clean = tmp_path / "clean.po"
    _po(clean, "es", [])
    empty = tmp_path / "empty.log"
    result = locflow("check", str(clean), "--format", "github", "-o", str(empty))
    assert result.exit_code == 0, result.output
    assert empty.read_bytes() == b""
    assert "0 errors, 0 warnings: report written to" in result.stderr
