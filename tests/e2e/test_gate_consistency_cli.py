"""Issue 19: one gate. For every error-level content check, an entry it fails on is
reported by ``check``, refused by ``review approve``, not published by ``build``, and the
desk does not say ``build`` publishes it."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from locflow.catalog import pofile
from locflow.model import ReviewState
from locflow.review import approve, entry_state
from tests.conftest import Invoke
from tests.serve.desk_helpers import running_desk

GLOSSARY = "term,translation,kind,note\nmayor,alcaldesa,forbidden,the mayor is a man\n"

# check id: (source paragraph, a translation that check fails on, a marker of that text)
CASES = {
    "numbers": ("The council voted 7-2 on Tuesday.", "El concejo votó 8-1 el martes.", "8-1"),
    "urls": ("See https://example.org/report today.", "Vea https://example.net/otro hoy.",
             "example.net/otro"),
    "markup": ("Run the `make` command now.", "Ejecute la orden make ahora.", "orden make"),
    "placeholders": ("Dear {name}, the plan is ready.",
                     "Estimado {nombre}, el plan está listo.", "nombre"),
    "unsafe-html": ("The plan passed on Tuesday.",
                    "El plan pasó el martes <script>alert(1)</script>.", "alert(1)"),
    "glossary": ("The mayor spoke on Tuesday.", "La alcaldesa habló el martes.", "alcaldesa"),
}


def gate_project(root: Path, source: str) -> None:
    (root / "content").mkdir(parents=True)
    (root / "content" / "gate.md").write_text(
        f"---\ntitle: Gate\ndate: 2024-11-04\n---\n\n{source}\n", encoding="utf-8")
    (root / "locflow.toml").write_text(
        '[project]\nname = "Gate Gazette"\ntarget_locales = ["es"]\n', encoding="utf-8")
    (root / "glossary").mkdir()
    (root / "glossary" / "es.csv").write_text(GLOSSARY, encoding="utf-8")


def bad_entry(path: Path, source: str) -> pofile.Entry:
    [entry] = [e for e in pofile.load(path).active() if e.msgid == source]
    return entry


@pytest.mark.parametrize("check_id", sorted(CASES))
def test_check_approve_build_and_desk_agree(
    check_id: str, locflow: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, bad, marker = CASES[check_id]
    root = tmp_path / check_id
    gate_project(root, source)
    locflow("sync", ok=True, root=root)
    es = root / "locales" / "es" / "articles" / "gate.po"
    with pofile.edit(es) as catalog:
        for entry in catalog.active():
            entry.msgstr = bad if entry.msgid == source else "Puerta"
    # check: the error is reported
    checked = locflow("check", "--locale", "es", "--article", "gate", root=root)
    assert checked.exit_code == 1, checked.output
    assert f"[{check_id}]" in checked.output, checked.output
    # review approve: refused, the entry stays translated (the title is approved)
    approved = locflow("review", "approve", "--locale", "es", "--article", "gate", root=root)
    assert approved.exit_code == 1, approved.output + approved.stderr
    assert check_id in approved.stderr
    assert entry_state(bad_entry(es, source)) is ReviewState.TRANSLATED
    # an approval made before the gate knew better (a glossary added since, a hand edit)
    with pofile.edit(es) as catalog:
        for entry in catalog.active():
            if entry.msgid == source:
                approve(entry, "desk-editor", "2024-11-05")
    # build: the text is not published
    locflow("build", root=root)
    out = root / "dist"
    assert out.is_dir()
    for file in out.rglob("*"):
        if file.is_file() and file.suffix in (".html", ".json", ".xml", ".txt"):
            assert marker not in file.read_text("utf-8", errors="replace"), file
    # the desk: does not say build publishes this version
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1730764800")
    with running_desk(root) as url, httpx.Client(base_url=url, timeout=20) as client:
        page = client.get("/review/es/gate")
    assert page.status_code == 200
    assert "publishes this version" not in page.text
    assert "holds it back" in page.text
