"""No tracebacks, the right exit code (issue 7): every malformed input is one line
naming the file, exit 2 (or 1 with a finding); a fuzz run over PO files, front matter,
locflow.toml and baselines never crashes and never hangs."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from locflow.catalog import pofile
from locflow.checks.report import filter_baseline, write_baseline
from locflow.config import CONFIG_FILE, Project
from locflow.content import parse_article
from locflow.errors import LocflowError
from locflow.model import Finding, Severity
from locflow.segment import segment_article
from tests.conftest import VOTE, Invoke

from .test_sync_review_cli import translate_all


def po_with_charset(charset: str) -> bytes:
    return (b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=' + charset.encode()
            + b'\\n"\n\nmsgid "a"\nmsgstr "b"\n')


@pytest.mark.parametrize("charset", ["rot13", "base64", "hex", "zlib", "uu", "bz2", "unknown",
                                     "utf-16", "idna", "unicode_escape", "punycode"])
def test_a_charset_that_is_not_a_po_charset_is_one_line_exit_2(
    locflow: Invoke, tmp_path: Path, charset: str
) -> None:
    path = tmp_path / "x.po"
    path.write_bytes(po_with_charset(charset))
    for command in (["check"], ["status"]):
        result = locflow(*command, str(path), root=tmp_path)
        assert result.exit_code == 2, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert "x.po:3: " in result.stderr and "charset" in result.stderr


@pytest.mark.parametrize("date", ["2024-13-04", "2024-02-30", "0000-01-01",
                                  "2024-01-01 25:00:00", "2024-01-01T10:00:00+99:00"])
def test_an_impossible_date_is_one_line_exit_2(locflow: Invoke, project: Path, date: str) -> None:
    (project / "content" / "bad.md").write_text(f"---\ntitle: X\ndate: {date}\n---\n\nText.\n",
                                                encoding="utf-8")
    for command in ("sync", "build"):
        result = locflow(command)
        assert result.exit_code == 2
        assert "content/bad.md:3: invalid YAML front matter: invalid date or time" in result.stderr


def test_deep_nesting_is_one_line_exit_2(locflow: Invoke, project: Path) -> None:
    deep = "[" * 3_000 + "]" * 3_000
    (project / "content" / "deep.md").write_text(f"---\ntitle: X\nx: {deep}\n---\n\nT.\n",
                                                 encoding="utf-8")
    result = locflow("sync")
    assert result.exit_code == 2 and "nested too deeply" in result.stderr
    (project / "content" / "deep.md").unlink()

    config = project / CONFIG_FILE
    original = config.read_text(encoding="utf-8")
    config.write_text(original + f"\n[build]\nout = {deep}\n", encoding="utf-8")
    result = locflow("status")
    assert result.exit_code == 2 and "locflow.toml" in result.stderr
    config.write_text(original, encoding="utf-8")

    locflow("sync", ok=True)
    baseline = project / "baseline.json"
    baseline.write_text(deep, encoding="utf-8")
    result = locflow("check", "--baseline", str(baseline))
    assert result.exit_code == 2 and "not a locflow baseline" in result.stderr

    locflow("build", ok=True)
    (project / "dist" / "manifest.json").write_text(deep, encoding="utf-8")
    locflow("build", ok=True)  # a broken previous manifest: a full build


def test_percent_signs_in_approved_interface_strings(locflow: Invoke, project: Path) -> None:
    """`Ubicación (100%):`, `%d`, `%(x)s`, `%s`: build publishes, check reports the one
    that is a format string."""
    locflow("sync", ok=True)
    for path in sorted((project / "locales" / "es").rglob("*.po")):
        translate_all(path, "ES")
    site = project / "locales" / "es" / "LC_MESSAGES" / "site.po"
    mapping = {"Current location:": "Ubicación (100%):", "Home": "Inicio %d",
               "News Headlines": "Titulares %(x)s", "Release time:": "Hora %s"}
    with pofile.edit(site) as catalog:
        for entry in catalog.active():
            if entry.msgid in mapping:
                entry.msgstr = mapping[entry.msgid]
            elif entry.msgid_plural:
                entry.msgstr_plural = {0: "%(number)s artículo (100%)", 1: "%d artículos"}
    result = locflow("check", "--locale", "es", "--article", "site")
    assert result.exit_code == 1
    assert "[placeholders]" in result.stdout and "'%)'" in result.stdout
    assert "Ubicación" not in result.stdout  # not a format string: no finding
    # approved anyway (--force records the override): the build must still not crash
    locflow("review", "approve", "--locale", "es", "--force", ok=True)
    result = locflow("build")
    assert result.exit_code == 0, result.stderr
    page = (project / "dist" / "es" / "vote" / "index.html").read_text(encoding="utf-8")
    assert "Ubicación (100%):" in page and "Hora %s" in page
    index = (project / "dist" / "es" / "index.html").read_text(encoding="utf-8")
    assert "2 articles" in index  # the broken plural gave way to the source text


# --- fuzz ---------------------------------------------------------------------------

TOKENS = [b"msgid ", b"msgstr ", b"msgstr[1] ", b"msgid_plural ", b"msgctxt ", b'"', b"\\",
          b"\\x", b"#~ ", b"#| ", b"#, fuzzy", b"\n", b"\r\n", b"%", b"\x00", b"\xff\xfe",
          b"charset=", b"rot13", b"# locflow-approved: 2024-11-05 ed (0000)", b"\t", b"\\n",
          b"---", b": ", b"[", b"{", b"- ", b"!!python/object", b"&a ", b"*a", b"2024-13-04",
          b"= ", b"true", b"1e999", b"'''", b'"""', b"nplurals=99999999;", b"plural=n%0;"]


def mutate(data: bytes, rng: random.Random) -> bytes:
    choice = rng.randrange(5)
    if choice == 0 and data:  # truncated
        return data[: rng.randrange(len(data))]
    if choice == 1 and data:  # bytes flipped
        out = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            out[rng.randrange(len(out))] = rng.randrange(256)
        return bytes(out)
    if choice == 2:  # tokens inserted
        out = bytearray(data)
        for _ in range(rng.randint(1, 6)):
            at = rng.randrange(len(out) + 1)
            out[at:at] = rng.choice(TOKENS)
        return bytes(out)
    if choice == 3 and data:  # lines shuffled or repeated
        lines = data.split(b"\n")
        i = rng.randrange(len(lines))
        lines.insert(rng.randrange(len(lines) + 1), lines[i])
        if rng.random() < 0.5:
            rng.shuffle(lines)
        return b"\n".join(lines)
    return bytes(rng.randrange(256) for _ in range(rng.randint(0, 200)))  # random


def fuzz(seed_inputs: list[bytes], rounds: int, call: Callable[[bytes], object],
         allowed: tuple[type[BaseException], ...], seed: int) -> int:
    """Feed *rounds* mutants to *call*; only *allowed* errors, each in well under a second."""
    rng = random.Random(seed)
    failures = 0
    for _ in range(rounds):
        data = mutate(rng.choice(seed_inputs), rng)
        start = time.perf_counter()
        try:
            call(data)
        except allowed:
            failures += 1
        except Exception as exc:  # pragma: no cover - the assertion shows the input
            raise AssertionError(f"{type(exc).__name__}: {exc} on input {data!r}") from exc
        assert time.perf_counter() - start < 1.0, f"slow on {data!r}"
    return failures


def sample_catalog(locflow: Invoke, project: Path) -> list[bytes]:
    locflow("sync", ok=True)
    es = project / "locales" / "es" / "articles" / "vote.po"
    translate_all(es)
    locflow("review", "approve", "--all", ok=True)
    return [es.read_bytes(), (project / "locales" / "templates" / "site.pot").read_bytes(),
            po_with_charset("ISO-8859-1")]


def test_fuzz_po_files(locflow: Invoke, project: Path) -> None:
    def parse_and_use(data: bytes) -> None:
        catalog = pofile.parse(data, "fuzz.po")
        pofile.dump(catalog)
        catalog.metadata()
        from locflow.review import count_states

        count_states(catalog.entries)

    rejected = fuzz(sample_catalog(locflow, project), 1500, parse_and_use, (LocflowError,), 7)
    assert 100 < rejected < 1500  # both kinds were exercised


def test_fuzz_front_matter_and_config(project: Path) -> None:
    article = VOTE.encode()

    def read(data: bytes) -> None:
        segment_article(parse_article(data, Path("content/fuzz.md"), ("title", "summary")),
                        ("title", "summary"))

    assert fuzz([article], 800, read, (LocflowError,), 11) > 50

    config = project / CONFIG_FILE
    full = (project.parent / "full.toml")
    from locflow.config import DEFAULT_CONFIG_TEXT

    full.write_text(DEFAULT_CONFIG_TEXT, encoding="utf-8")

    def load(data: bytes) -> None:
        config.write_bytes(data)
        Project.load(project)

    assert fuzz([config.read_bytes(), full.read_bytes()], 400, load, (LocflowError,), 13) > 50


def test_fuzz_baselines() -> None:
    finding = Finding("numbers", Severity.ERROR, "the number 7 is missing",
                      "locales/es/articles/vote.po", 7, "7-2 vote", None, "es", "vote")
    text = write_baseline([finding]).encode()

    def use(data: bytes) -> None:
        filter_baseline([finding], data.decode("utf-8", "replace"))

    assert fuzz([text], 600, use, (ValueError,), 17) > 50


def test_fuzz_through_the_cli(locflow: Invoke, project: Path) -> None:
    """Mutated catalogs, articles and settings in a real project: exit 0, 1 or 2, one line."""
    catalogs = sample_catalog(locflow, project)
    es = project / "locales" / "es" / "articles" / "vote.po"
    article = project / "content" / "vote.md"
    config = project / CONFIG_FILE
    originals = {p: p.read_bytes() for p in (es, article, config)}
    rng = random.Random(23)
    codes = set()
    for round_ in range(24):
        target = (es, article, config)[round_ % 3]
        seeds = catalogs if target is es else [originals[target]]
        target.write_bytes(mutate(rng.choice(seeds), rng))
        command = ("check", "status", "sync", "build", "review approve --all")[round_ % 5]
        result = locflow(*command.split())
        assert result.exit_code in (0, 1, 2), (command, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            command, repr(result.exception))
        if result.exit_code == 2:
            assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
        codes.add(result.exit_code)
        for path, data in originals.items():
            path.write_bytes(data)
    assert 2 in codes


@pytest.mark.parametrize("width", ["%(number)-99999999999s", "%(number)99999999s",
                                   "%(number).99999999s", "%(number)101s"])
def test_a_huge_field_width_in_an_approved_interface_string(
        locflow: Invoke, project: Path, width: str) -> None:
    """Issue 17: with `--force`, `%(number)-99999999999s` in site.po crashed `build`
    (MemoryError) and `%(number)99999999s` wrote a 100 MB page. A width or precision
    over 100 leaves the translation out: the source text, and a warning naming it."""
    locflow("sync", ok=True)
    for path in sorted((project / "locales" / "es").rglob("*.po")):
        translate_all(path, "ES")
    site = project / "locales" / "es" / "LC_MESSAGES" / "site.po"
    with pofile.edit(site) as catalog:
        for entry in catalog.active():
            if entry.msgid_plural:
                entry.msgstr_plural = {0: f"{width} artículo", 1: f"{width} artículos"}
    locflow("review", "approve", "--locale", "es", "--force", ok=True)
    line = next(e.line for e in pofile.load(site).active() if e.msgid_plural)
    result = locflow("build")
    assert result.exit_code == 0, result.stderr
    assert (f"warning: locales/es/LC_MESSAGES/site.po:{line}: the translation of "
            "'%(number)s article' has a field width or precision over 100; the source text "
            "is shown") in result.stderr
    index = project / "dist" / "es" / "index.html"
    assert index.stat().st_size < 20_000
    assert "2 articles" in index.read_text(encoding="utf-8")


def test_an_interface_string_s_own_huge_width_is_a_template_error(
        locflow: Invoke, project: Path) -> None:
    (project / "templates").mkdir()
    (project / "templates" / "index.html").write_text(
        "{{ _('%(n)99999999s items', n=1) }}", encoding="utf-8")
    locflow("sync", ok=True)
    result = locflow("build")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert result.stderr.startswith("Error: templates/index.html:1: template error: an "
                                     "interface string has a field width or precision over 100")
