"""Test helpers for the review desk: a real server on 127.0.0.1, projects in given states."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from locflow.catalog import pofile
from locflow.config import Project
from locflow.provenance import Provenance, set_provenance, source_hash
from locflow.review import approve, reject
from tests.conftest import VOTE_ES

SEED_SLUG = "kim-jong-un-troops-russia-beijing-concern"
GLOSSARY_ES = """term,translation,kind,note
Kim Jong-un,Kim Jong-un,do-not-translate,
Zhao Tong,Zhao Tong,do-not-translate,
Pyongyang,Pionyang,translate,RAE spelling
Beijing,Pekín,translate,
Carnegie Endowment for International Peace,Fundación Carnegie para la Paz Internacional,translate,
Asian NATO,OTAN asiática,translate,
"""


@contextmanager
def running_desk(root: Path, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve the desk for the project in *root* with uvicorn on a free port; yield its URL."""
    import uvicorn

    from locflow.serve import create_app, desk_url, listen

    sock = listen(host, 0)
    port = sock.getsockname()[1]
    app = create_app(Project.load(root), host=host, port=port)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the desk did not start"
        time.sleep(0.01)
    try:
        yield desk_url(host, port).rstrip("/")
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def entries(path: Path) -> list[pofile.Entry]:
    return [e for e in pofile.load(path).active() if e.msgid]


def newsroom(root: Path) -> None:
    """The example project as an editor finds it one morning: a revised summary awaiting
    review, a paragraph whose source changed, one rejected, a machine draft, a memory
    match, a stray double space; the Chinese version half reviewed; a Spanish glossary
    (the one the example ships, else a small one)."""
    es = root / "locales" / "es" / "articles" / f"{SEED_SLUG}.po"
    with pofile.edit(es) as catalog:
        body = [e for e in catalog.active() if e.msgid]
        # 1: the translator revised the summary after it was approved: awaiting review
        body[1].msgstr = body[1].msgstr.replace("tomó por sorpresa a", "sorprendió a")
        # 2: the source changed since it was translated (what sync does: fuzzy, old source kept)
        body[2].previous_msgid = body[2].msgid.replace(
            "Recently, the news", "Last week, the report").replace(
            "widespread attention", "attention")
        body[2].flags.insert(0, "fuzzy")
        # 3: translated again, with a stray double space (a finding of the checks)
        body[3].msgstr = body[3].msgstr.replace("Zhao Tong, director", "Zhao Tong,  director")
        # 4: sent back by an editor
        reject(body[4], "desk-editor", "2024-11-05",
               "«contención» is too weak here: Beijing showed restraint, say «moderación»")
        # 5: a machine draft, not reviewed yet
        set_provenance(body[5], Provenance("mt", "libre", "2024-11-05",
                                           source_hash(None, body[5].msgid)))
        body[5].flags.insert(0, "fuzzy")
        # 6: a memory match a translator finished: awaiting review
        set_provenance(body[6], Provenance("memory", "nk-russia-talks", "2024-11-04",
                                           source_hash(None, body[6].msgid), 87))
        body[6].msgstr = body[6].msgstr.replace("apuntó, además,", "señaló además")
    zh = root / "locales" / "zh_Hans" / "articles" / f"{SEED_SLUG}.po"
    with pofile.edit(zh) as catalog:
        body = [e for e in catalog.active() if e.msgid]
        for entry in body[5:8]:
            entry.msgstr = entry.msgstr.rstrip("。") + "。"
            entry.tcomment = "\n".join(line for line in (entry.tcomment or "").split("\n")
                                       if not line.startswith("locflow-approved:"))
    if not (root / "glossary" / "es.csv").exists():  # the example ships one
        (root / "glossary").mkdir(exist_ok=True)
        (root / "glossary" / "es.csv").write_text(GLOSSARY_ES, encoding="utf-8")


def approved_everywhere(path: Path) -> None:
    """Approve every translated entry of the catalog at *path* (test set-up)."""
    with pofile.edit(path) as catalog:
        for entry in catalog.active():
            approve(entry, "desk-editor", "2024-11-05")


LIVING_ES = VOTE_ES
CORRECTED = "The city council voted 8-1 on Tuesday to approve the budget."
REWORDED = "The mayor called the plan **fair and overdue**."


def living(root: Path) -> Path:
    """The small test project (``tests/conftest.py``) synced, translated into Spanish and
    approved; then its English corrected after publication (2024-11-06): a vote count
    (7-2 → 8-1: a correction draft) and a sentence reworded (outdated), synced again.
    Returns ``es/vote.po``: title and summary approved, then the correction draft, the
    roads paragraph approved, the reworded sentence fuzzy with its earlier approval."""
    from locflow import pipeline

    pipeline.sync(Project.load(root))
    for slug in ("vote", "storm"):
        with pofile.edit(root / "locales" / "es" / "articles" / f"{slug}.po") as catalog:
            for entry in catalog.active():
                entry.msgstr = LIVING_ES[entry.msgid]
    project = Project.load(root)
    pipeline.review_approve(pipeline.project_catalogs(project, ["es"]), "desk-editor",
                            "2024-11-05")
    article = root / "content" / "vote.md"
    text = article.read_text("utf-8")
    for old, new in (("voted 7-2 on Tuesday", "voted 8-1 on Tuesday"),
                     ("The mayor said the plan was **fair**.", REWORDED),
                     ("date: 2024-11-04", "date: 2024-11-04\nupdated: 2024-11-06")):
        assert old in text
        text = text.replace(old, new)
    article.write_text(text, encoding="utf-8")
    pipeline.sync(Project.load(root))
    return root / "locales" / "es" / "articles" / "vote.po"
