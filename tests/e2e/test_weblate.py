"""What docs/weblate.md promises, on the example: a Weblate commit as locflow sees it."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.conftest import Invoke

SEED = "kim-jong-un-troops-russia-beijing-concern"


def wrap_po_string(keyword: str, text: str, width: int = 77) -> str:
    """The way Weblate (and msgcat) write a long string with wrapping on: an empty first
    line, then pieces that break after spaces."""
    pieces, line = [], ""
    for word in re.findall(r"\S+\s*", text):
        if line and len(line) + len(word) + 2 > width:
            pieces.append(line)
            line = ""
        line += word
    pieces.append(line)
    return f'{keyword} ""\n' + "".join(f'"{p}"\n' for p in pieces)


def weblate_commit(po: Path) -> None:
    """One translator edit saved in Weblate 5.14 with line wrapping left on."""
    text = po.read_text("utf-8")
    text = text.replace('"PO-Revision-Date: 2024-11-05 09:00+0000\\n"',
                        '"PO-Revision-Date: 2024-11-06 10:12+0000\\n"')
    text = text.replace('"Last-Translator: Peaceful Earth Spanish desk\\n"',
                        '"Last-Translator: Ana <ana@example.com>\\n"')
    text = text.replace('"Language-Team: Peaceful Earth Spanish desk\\n"',
                        '"Language-Team: Spanish <https://weblate.example.com/languages/es/>\\n"')
    text = text.replace('"Plural-Forms: nplurals=2; plural=(n != 1);\\n"',
                        '"Plural-Forms: nplurals=2; plural=n != 1;\\n"\n'
                        '"X-Generator: Weblate 5.14\\n"')
    old = re.search(r'msgctxt "summary"\nmsgid "[^\n]*"\n(msgstr "([^\n]*)"\n)', text)
    assert old is not None
    edited = old.group(2).replace("tomó por sorpresa a Pekín", "sorprendió a Pekín")
    text = text.replace(old.group(1), wrap_po_string("msgstr", edited))
    po.write_text(text, "utf-8")


def test_a_weblate_commit_keeps_its_bytes_and_makes_only_the_edit_stale(
    locflow: Invoke, example_project: Path
) -> None:
    es = example_project / "locales" / "es" / "articles" / f"{SEED}.po"
    weblate_commit(es)
    after_weblate = es.read_bytes()
    # the header and the wrapped entry are Weblate's: sync leaves them alone
    assert locflow("sync", "--check", root=example_project).exit_code == 0
    locflow("sync", ok=True, root=example_project)
    assert es.read_bytes() == after_weblate
    rows = json.loads(locflow("review", "list", str(es), "--format", "json",
                              ok=True, root=example_project).stdout)["entries"]
    states = {(r["msgctxt"] or "body"): r["state"] for r in rows if r["msgctxt"]}
    # the edit: stale approval
    assert states == {"title": "approved", "summary": "translated", "section": "approved"}
    assert sum(r["state"] == "approved" for r in rows) == len(rows) - 1
    # approving the edit in locflow: only that entry's comment changes
    locflow("review", "approve", str(es), "--msgid", "North Korea's dispatch", ok=True,
            root=example_project)
    changed = [line for line in es.read_text("utf-8").splitlines()
               if line not in after_weblate.decode("utf-8").splitlines()]
    assert len(changed) == 1 and changed[0].startswith("# locflow-approved: 2024-11-05 ")
