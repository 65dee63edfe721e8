"""Issue 19 end to end: a link whose ``](`` a translator dropped fails ``check`` and is not
approved; the same text translated correctly, its words and link moved, passes both."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from locflow.catalog import pofile
from tests.conftest import Invoke, translate

BUFFER = """---
title: Buffers in Node.js
date: 2024-11-06
---

The [`Buffer`](https://nodejs.org/api/buffer.html) class is a global, so **`require`** is
not needed.

A list of 2.000 bytes takes 2 ms to copy.
"""
LINK = "[`Buffer`](https://nodejs.org/api/buffer.html)"
CORRECT = {
    "Buffers in Node.js": "Los búferes de Node.js",
    f"The {LINK} class is a global, so **`require`** is not needed.":
        f"No hace falta **`require`**: la clase {LINK} es global.",
    "A list of 2.000 bytes takes 2 ms to copy.":
        "Copiar una lista de 2.000 bytes lleva 2 ms.",
}
BROKEN = ("No hace falta **`require`**: la clase [`Buffer`https://nodejs.org/api/buffer.html) "
          "es global.")




@pytest.fixture
def buffer_es(locflow: Invoke, project: Path) -> Path:
    (project / "content" / "buffer.md").write_text(BUFFER, encoding="utf-8")
    locflow("sync", ok=True)
    path = project / "locales/es/articles/buffer.po"
    assert {e.msgid for e in pofile.load(path).active()} == set(CORRECT)
    return path


def test_a_dropped_link_middle_fails_check_and_approval(locflow: Invoke, buffer_es: Path) -> None:
    msgid = next(m for m in CORRECT if LINK in m)
    translate(buffer_es, {**CORRECT, msgid: BROKEN})
    result = locflow("check", "--locale", "es", "--article", "buffer", "--format", "json")
    assert result.exit_code == 1, result.stdout + result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert [(f["check"], f["message"]) for f in findings] == [
        ("markup", "the link to https://nodejs.org/api/buffer.html is gone: its `](` is missing")]
    result = locflow("review", "approve", "--locale", "es", "--article", "buffer")
    assert result.exit_code == 1
    assert result.stdout.startswith("approved 2 entries, skipped 1 (1 failing checks)")
    assert "markup: the link to https://nodejs.org/api/buffer.html is gone" in result.stderr
    [entry] = [e for e in pofile.load(buffer_es).active() if e.msgid == msgid]
    assert "locflow-approved" not in (entry.tcomment or "")


def test_a_correct_reordered_translation_passes_check_and_approval(
        locflow: Invoke, buffer_es: Path) -> None:
    translate(buffer_es, CORRECT)
    result = locflow("check", "--locale", "es", "--article", "buffer")
    assert result.exit_code == 0, result.stdout + result.stderr
    result = locflow("review", "approve", "--locale", "es", "--article", "buffer", ok=True)
    assert result.stdout.startswith("approved 3 entries")
    result = locflow("check", "--locale", "es", "--article", "buffer", "--require", "approved")
    assert result.exit_code == 0, result.stdout + result.stderr
