"""The check registry's catalog side (locflow.checks): state checks by ``require``, content
checks on translated entries and drafts, plural forms, overrides, the report's counts."""

from __future__ import annotations

from locflow.catalog import pofile
from locflow.checks import (
    CHECKS,
    CheckContext,
    Problem,
    Report,
    basic_state,
    blocking_problems,
    check_catalog,
    check_entry,
    entry_problems,
    ignored_checks,
    run_checks,
)
from locflow.model import Finding, ReviewState, Severity
from locflow.provenance import Provenance, source_hash
from locflow.review import approve, entry_state

HEADER = 'msgid ""\nmsgstr ""\n"Language: es\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'


def catalog(*entries: str) -> pofile.Catalog:
    return pofile.parse("\n".join([HEADER, *entries]).encode())


def checks_of(findings: list[Finding]) -> list[tuple[str, str]]:
    return [(f.msgid, f.check) for f in findings]


def test_the_language_of_a_locale() -> None:
    assert [CheckContext(x).language for x in ("zh_Hans", "zh-Hant", "ES", "pt_BR")] == [
        "zh", "zh", "es", "pt"]


def test_basic_state_reads_gettexts_marks() -> None:
    cat = catalog('msgid "a"\nmsgstr ""\n', '#, fuzzy\nmsgid "b"\nmsgstr "B"\n',
                  'msgid "c"\nmsgstr "C"\n',
                  'msgid "d"\nmsgid_plural "ds"\nmsgstr[0] ""\nmsgstr[1] "Ds"\n',
                  'msgid "e"\nmsgid_plural "es"\nmsgstr[0] "E"\nmsgstr[1] ""\n')
    assert [basic_state(x) for x in cat.entries] == [
        ReviewState.UNTRANSLATED, ReviewState.FUZZY, ReviewState.TRANSLATED,
        ReviewState.UNTRANSLATED, ReviewState.TRANSLATED]


def test_state_findings_follow_require_and_skip_content_checks() -> None:
    cat = catalog('msgid "12 votes"\nmsgstr ""\n',
                  '#, fuzzy\nmsgid "13 votes"\nmsgstr "31 votos"\n',
                  'msgid "14 votes"\nmsgstr "41 votos"\n',
                  'msgid "15 votes"\nmsgstr "15 votos"\n',
                  '#~ msgid "16 votes"\n#~ msgstr "61 votos"\n')
    assert checks_of(check_catalog(cat, "es.po")) == [
        ("12 votes", "untranslated"), ("13 votes", "fuzzy"), ("14 votes", "numbers")]
    assert checks_of(check_catalog(cat, "es.po", require="approved")) == [
        ("12 votes", "untranslated"), ("13 votes", "fuzzy"), ("14 votes", "unapproved"),
        ("14 votes", "numbers"), ("15 votes", "unapproved")]


def test_a_finding_says_where_it_is() -> None:
    cat = catalog('msgctxt "menu"\nmsgid "12 votes"\nmsgstr "13 votos"\n')
    (finding,) = check_catalog(cat, "locales/es/vote.po", article="vote")
    assert finding == Finding("numbers", Severity.ERROR, "13 in the translation; the source "
                              "says 12", "locales/es/vote.po", 7, "12 votes", "menu", "es",
                              "vote")
    (finding,) = check_catalog(cat, "vote.po", locale="zh_Hans", strict=True)
    assert (finding.locale, finding.article, finding.severity) == ("zh_Hans", None,
                                                                  Severity.ERROR)


def test_a_merge_conflict_is_the_only_finding_of_its_entry() -> None:
    cat = catalog('# locflow-conflict: "31 votos"\n#, fuzzy\nmsgid "13 votes"\n'
                  'msgstr "13 votos"\n', 'msgid "14 votes"\nmsgstr "14 votos"\n')
    findings = check_catalog(cat, "es.po")
    assert checks_of(findings) == [("13 votes", "conflict")]
    assert findings[0].severity is Severity.ERROR and "locflow-conflict" in findings[0].message


def test_a_machine_draft_is_content_checked_too() -> None:
    draft = Provenance("mt", "libre", "2026-11-29", source_hash(None, "12 votes")).comment()
    cat = catalog(f'# {draft}\n#, fuzzy\nmsgid "12 votes"\nmsgstr "21 votos"\n',
                  '#, fuzzy\nmsgid "13 votes"\nmsgstr "31 votos"\n')
    assert checks_of(check_catalog(cat, "es.po")) == [
        ("12 votes", "fuzzy"), ("12 votes", "numbers"), ("13 votes", "fuzzy")]


def test_rejected_entries_fail_with_the_state_of_review() -> None:
    cat = catalog('msgid "12 votes"\nmsgstr "21 votos"\n')
    findings = check_catalog(cat, "es.po", state_of=lambda entry: ReviewState.REJECTED)
    assert [(f.check, f.message) for f in findings] == [
        ("rejected", "a reviewer rejected this translation")]


def test_plural_forms_are_checked_against_their_source_once_per_problem() -> None:
    cat = catalog('msgid "One vote in 2024"\nmsgid_plural "%d votes in 2024"\n'
                  'msgstr[0] "Un voto en 2025"\nmsgstr[1] "%d votos en 2025"\n'
                  'msgstr[2] "%d votos en 2024"\n')
    assert entry_problems(cat.entries[0], "es") == [
        Problem("numbers", Severity.ERROR, "2025 in the translation; the source says 2024")]


def test_the_singular_form_is_checked_against_msgid_and_the_others_against_msgid_plural(
) -> None:
    plural = 'msgid "{name} voted once"\nmsgid_plural "{name} voted {count} times"\n'
    cat = catalog(plural + 'msgstr[0] "{name} votó una vez"\n'
                  'msgstr[1] "{name} votó {count} veces"\n')
    assert entry_problems(cat.entries[0], "es") == []
    swapped = catalog(plural + 'msgstr[0] "{name} votó {count} veces"\n'
                      'msgstr[1] "{name} votó una vez"\n')
    assert [p.message for p in entry_problems(swapped.entries[0], "es")] == [
        "the translation has a placeholder {count} the source does not",
        "the placeholder {count} is missing from the translation"]


def test_an_approval_with_override_silences_those_checks_only() -> None:
    cat = catalog('msgid "12 votes in total."\nmsgstr "13 votos en total"\n')
    entry = cat.entries[0]
    assert {p.check for p in entry_problems(entry, "es")} == {"numbers", "punctuation"}
    approve(entry, "ed", "2026-11-29", override=["numbers"])
    assert str(entry_state(entry)) == "approved"
    assert [p.check for p in entry_problems(entry, "es")] == ["punctuation"]
    assert blocking_problems(entry, "es") == []
    entry.msgstr = "14 votos en total"  # the approval is stale: nothing is overridden
    assert [p.check for p in blocking_problems(entry, "es")] == ["numbers"]


def test_ignore_comments_cannot_silence_state_checks_but_all_silences_content() -> None:
    assert ignored_checks("locflow-ignore: fuzzy, untranslated, all") == {"all"}
    ctx = CheckContext("es", comments="locflow-ignore: all")
    assert check_entry("12 people", "13 personas", ctx) == []
    cat = catalog('# locflow-ignore: untranslated, numbers\nmsgid "12 votes"\nmsgstr ""\n')
    assert checks_of(check_catalog(cat, "es.po")) == [("12 votes", "untranslated")]


def test_check_entry_runs_only_the_checks_asked_for() -> None:
    ctx = CheckContext("es")
    assert check_entry("12 people.", "13 personas", ctx, checks=["punctuation"]) == [
        Problem("punctuation", Severity.WARNING,
                "the source ends with “.”; the translation should end with “.”")]
    assert check_entry("12 people.", "13 personas", ctx, checks=["untranslated"]) == []
    assert CHECKS["untranslated"].is_state and not CHECKS["numbers"].is_state


def test_run_checks_counts_files_entries_and_findings() -> None:
    es = catalog('msgid "12 votes"\nmsgstr "13 votos"\n', 'msgid "Hello"\nmsgstr "Hola  hola"\n',
                 '#~ msgid "Old"\n#~ msgstr "Viejo"\n')
    bare = pofile.parse(b'msgid "a"\nmsgstr ""\n')
    asked: list[str | None] = []

    def extra_for(language: str | None) -> dict[str, object]:
        asked.append(language)
        return {}

    report = run_checks([(es, "es.po", None, "vote"), (bare, "fr.po", "fr", None)],
                        extra_for=extra_for)
    assert asked == ["es", "fr"]
    assert (report.files_checked, report.files, report.entries_checked) == (
        2, ["es.po", "fr.po"], 3)
    assert (report.errors, report.warnings, report.failed) == (2, 1, True)
    assert report.summary() == {
        "errors": 2, "warnings": 1,
        "by_check": {"numbers": 1, "untranslated": 1, "whitespace": 1},
        "files_checked": 2, "files": ["es.po", "fr.po"], "entries_checked": 3,
        "suppressed_by_baseline": 0,
    }
    assert not Report(findings=[f for f in report.findings
                                if f.severity is Severity.WARNING]).failed


def test_one_error_fails_the_run_and_warnings_stay_warnings_unless_strict() -> None:
    cat = catalog('msgid "Hello"\nmsgstr "Hola  hola"\n', 'msgid "12 votes"\nmsgstr "13 votos"\n')
    findings = check_catalog(cat, "es.po")
    assert [(f.check, f.severity) for f in findings] == [
        ("whitespace", Severity.WARNING), ("numbers", Severity.ERROR)]
    assert Report(findings=findings).failed and not Report(findings=findings[:1]).failed


def test_register_adds_a_check_and_gives_the_function_back() -> None:
    from locflow.checks import register

    def shouting(source: str, translation: str, ctx: CheckContext) -> list[str]:
        return ["shouting"] if translation.isupper() else []

    try:
        assert register("shouting", Severity.WARNING, "no capitals only")(shouting) is shouting
        assert check_entry("Hello", "HOLA", CheckContext("es"), checks=["shouting"]) == [
            Problem("shouting", Severity.WARNING, "shouting")]
    finally:
        del CHECKS["shouting"]
