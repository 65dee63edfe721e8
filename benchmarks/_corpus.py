"""Shared helpers for the benchmark scripts: the corpus, its groups and their languages."""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("LOCFLOW_CORPUS", REPO.parent / "shared" / "corpus"))
sys.path.insert(0, str(REPO / "src"))

# pofilter takes one --language per run, so the corpus is run in groups.
GROUPS: list[tuple[str, str]] = [
    ("python-docs-es", "es"),
    ("python-docs-zh-cn", "zh_CN"),
    ("gnome-user-docs/gnome-help/es", "es"),
    ("gnome-user-docs/gnome-help/zh_CN", "zh_CN"),
    ("pretalx/src/pretalx/locale/es", "es"),
    ("pretalx/src/pretalx/locale/zh_Hans", "zh_Hans"),
]


def po_files() -> list[tuple[Path, str]]:
    """Every PO file of the corpus with its group's locale."""
    out = []
    for group, locale in GROUPS:
        out += [(p, locale) for p in sorted((CORPUS / group).rglob("*.po"))]
    return out
