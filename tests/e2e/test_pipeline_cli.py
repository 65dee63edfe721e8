"""`locflow pipeline` on the bundled example: every stage, offline, and no byte changed."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.conftest import Invoke

if TYPE_CHECKING:
    from tests.mt.libre_server import LibreServer

SEED = "kim-jong-un-troops-russia-beijing-concern"


def snapshot(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted((root / "locales").rglob("*")) if p.is_file()}


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a network connection fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the pipeline tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_pipeline_on_the_example_is_offline_and_byte_stable(
    locflow: Invoke, example_project: Path, no_network: None
) -> None:
    before = snapshot(example_project)
    result = locflow("pipeline", ok=True, root=example_project)
    out = result.stdout
    for heading in ("== sync", "== status", "== check (--require approved)", "== build"):
        assert heading in out
    assert "sync: 1 article, 4 catalogs, 0 changed" in out
    assert "0 errors, 0 warnings in 58 entries of 5 files" in out
    assert "zh_Hant from zh_Hans (s2twp): 2 overrides, 0 stale" in out
    assert "build: 4 bundles in dist" in out and "0 held back" in out
    assert snapshot(example_project) == before
    for tag in ("en", "zh-Hans", "es", "zh-Hant"):
        assert (example_project / "dist" / tag / SEED / "index.html").is_file()
    # and again: nothing to do
    again = locflow("pipeline", ok=True, root=example_project).stdout
    assert "0 files written" in again


def test_the_example_is_fully_approved(locflow: Invoke, example_project: Path) -> None:
    rows = json.loads(locflow("status", "--format", "json", ok=True, root=example_project).stdout)[
        "catalogs"
    ]
    assert {(r["locale"], r["article"]) for r in rows} == {
        ("zh_Hans", SEED),
        ("es", SEED),
        ("zh_Hans", "site"),
        ("es", "site"),
        ("zh_Hant", SEED),  # the editor's corrections of the conversion
    }
    assert all(r["approved"] == r["total"] > 0 for r in rows)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext not installed")
def test_the_example_passes_gnu_msgfmt(example_project: Path) -> None:
    for path in sorted((example_project / "locales").rglob("*.po")):
        result = subprocess.run(
            ["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr


def test_pipeline_fails_when_something_is_not_approved(
    locflow: Invoke, example_project: Path
) -> None:
    es = example_project / "locales" / "es" / "articles" / f"{SEED}.po"
    text = es.read_text(encoding="utf-8").replace("de Pekín:", "de Beijing:", 1)
    es.write_text(text, encoding="utf-8")
    result = locflow("pipeline", root=example_project)
    assert result.exit_code == 1
    assert "[unapproved]" in result.stdout
    assert "[glossary]" in result.stdout  # glossary/es.csv: Beijing = Pekín
    assert "es/" + SEED in result.stdout  # held back from the build, with the reason
    assert "Error: 2 errors found by the check stage" in result.stderr


def test_pipeline_sends_the_ci_key_only_to_a_url_the_environment_chose(
    locflow: Invoke, project: Path, libre: LibreServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 17: `[mt] url` in a branch's locflow.toml got `LIBRE_API_KEY=… locflow
    pipeline`'s key, over plain http."""
    secret = "sk-ci-pipeline-5ecret"
    monkeypatch.setenv("LIBRE_API_KEY", secret)
    monkeypatch.delenv("LOCFLOW_MT_URL", raising=False)
    with (project / "locflow.toml").open("a", encoding="utf-8") as f:
        f.write(f'\n[mt]\nprovider = "libre"\nurl = "{libre.url}"\ntimeout = 2\nretries = 0\n')
    result = locflow("pipeline")
    assert "== translate (libre)" in result.stdout and libre.requests
    assert all("api_key" not in r for r in libre.requests)
    notes = [line for line in result.stderr.splitlines() if "LIBRE_API_KEY" in line]
    assert len(notes) == 1 and notes[0].startswith("note: LIBRE_API_KEY not sent: ")
    assert secret not in result.output
    # the CI names the server itself: then the key goes with the texts
    libre.behaviour.requests.clear()
    for path in (project / "locales").rglob("*.po"):
        path.unlink()
    (project / ".locflow" / "mt-cache.sqlite3").unlink()  # or it answers everything
    monkeypatch.setenv("LOCFLOW_MT_URL", libre.url)
    again = locflow("pipeline")
    assert libre.requests and all(r.get("api_key") == secret for r in libre.requests)
    assert "not sent" not in again.stderr and secret not in again.output


def test_the_example_publishes_traditional_chinese_with_taiwan_vocabulary(
        locflow: Invoke, example_project: Path) -> None:
    """Issue 21: zh-Hant converted from the approved zh_Hans text (s2twp), the glossary's
    北韓 pinned, an editor's two overrides applied; every page lists four languages."""
    locflow("build", ok=True, root=example_project)
    page = (example_project / "dist" / "zh-Hant" / SEED / "index.html").read_text("utf-8")
    assert '<html lang="zh-Hant"' in page
    assert "北韓" in page and "朝鮮" not in page  # glossary/zh_Hant.csv, not the conversion
    assert "中俄關係" in page and "中俄關系" not in page  # the overrides
    assert "克制" in page and "剋制" not in page
    assert "支援" in page  # Taiwan vocabulary: 支持 → 支援
    for tag in ("en", "zh-Hans", "es"):
        other = (example_project / "dist" / tag / SEED / "index.html").read_text("utf-8")
        assert 'hreflang="zh-Hant"' in other and "中文 (繁體)" in other

