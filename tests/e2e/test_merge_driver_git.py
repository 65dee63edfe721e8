"""`locflow merge-driver` under real `git merge` runs, one repository per scenario.

Each test builds a project in a git repository set up by `locflow init --git`, commits a
base, changes the catalogs on two branches the way translators, editors, `locflow sync`
and Weblate do, merges, and checks the merged file, the states `locflow status` reports
and git's exit status.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from locflow.catalog import pofile
from locflow.review import entry_state
from tests.conftest import Invoke

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")

ES = "locales/es/articles/vote.po"
P1 = "The city council voted 7-2"
P2 = "Roads will get"
P3 = "The mayor said"


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "HOME": str(repo.parent),  # no personal git config
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_DATE": "2024-11-05T10:00:00Z",
        "GIT_COMMITTER_DATE": "2024-11-05T10:00:00Z",
    }
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env=env,
                          check=False)
    if check:
        assert done.returncode == 0, done.stdout + done.stderr
    return done


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture
def repo(project: Path, locflow: Invoke) -> Path:
    """The test project as a git repository with the driver enabled, catalogs synced."""
    git(project, "init", "-q", "-b", "main")
    git(project, "config", "user.name", "Test")
    git(project, "config", "user.email", "test@example.com")
    git(project, "config", "commit.gpgsign", "false")
    result = locflow("init", "--git", ok=True)
    assert "merge-driver %O %A %B %P" in result.stdout
    assert "*.po merge=locflow" in (project / ".gitattributes").read_text()
    assert "*.pot merge=locflow" in (project / ".gitattributes").read_text()
    assert git(project, "check-attr", "merge", ES).stdout.strip() == f"{ES}: merge: locflow"
    locflow("sync", ok=True)
    commit(project, "base")
    return project


Edit = Callable[[pofile.Catalog], None]


def edit(repo: Path, change: Edit, path: str = ES) -> None:
    with pofile.edit(repo / path) as catalog:
        change(catalog)


def entry(catalog: pofile.Catalog, start: str) -> pofile.Entry:
    return next(e for e in catalog.entries if e.msgid.startswith(start))


def translate(**texts: str) -> Edit:
    """Set the translation of the entries whose msgid starts with each P-constant's text."""

    def change(catalog: pofile.Catalog) -> None:
        for start, text in texts.items():
            found = entry(catalog, globals()[start])
            found.msgstr = text
            if "fuzzy" in found.flags:
                found.flags.remove("fuzzy")

    return change


def translate_everything(catalog: pofile.Catalog) -> None:
    for e in catalog.active():
        e.msgstr = e.msgstr or f"ES: {e.msgid}"


def set_header(**fields: str) -> Edit:
    def change(catalog: pofile.Catalog) -> None:
        for name, value in fields.items():
            catalog.set_metadata(name.replace("_", "-"), value)

    return change


def branches(repo: Path, theirs: Callable[[], None], ours: Callable[[], None]) -> None:
    """Make a `feature` branch with *theirs*, then *ours* on main (checked out at the end)."""
    git(repo, "checkout", "-q", "-b", "feature")
    theirs()
    commit(repo, "feature")
    git(repo, "checkout", "-q", "main")
    ours()
    commit(repo, "main")


def merge(repo: Path) -> subprocess.CompletedProcess[str]:
    return git(repo, "merge", "--no-edit", "feature", check=False)


def status(locflow: Invoke, repo: Path, path: str = ES) -> dict[str, object]:
    result = locflow("status", "--format", "json", str(repo / path), ok=True)
    [row] = json.loads(result.stdout)["catalogs"]
    return dict(row)


def line_merge_conflicts(repo: Path, path: str = ES) -> int:
    """How many conflicts git's own line merge finds for *path* (main vs feature)."""
    base = git(repo, "merge-base", "main", "feature").stdout.strip()
    files = []
    for rev in ("main", base, "feature"):
        target = repo.parent / f"line-merge-{len(files)}.po"
        target.write_text(git(repo, "show", f"{rev}:{path}").stdout, encoding="utf-8")
        files.append(str(target))
    return git(repo, "merge-file", "-p", *files, check=False).returncode


def states(repo: Path, path: str = ES) -> dict[str, str]:
    catalog = pofile.load(repo / path)
    return {e.msgid[:14]: str(entry_state(e)) for e in catalog.active()}


def test_header_only_changes_merge_to_the_newest_revision(repo: Path, locflow: Invoke) -> None:
    edit(repo, translate_everything)
    commit(repo, "translated")
    branches(
        repo,
        lambda: edit(repo, lambda c: (
            set_header(PO_Revision_Date="2024-11-06 12:00+0000",
                       Last_Translator="Bea <bea@example.com>",
                       X_Generator="Poedit 3.2.2")(c),
            translate(P1="El concejo votó 7 a 2 el martes.")(c),
        )),
        lambda: edit(repo, lambda c: (
            set_header(PO_Revision_Date="2024-11-05 09:00+0000",
                       Last_Translator="Ana <ana@example.com>",
                       X_Generator="Weblate 5.14")(c),
            translate(P3="El alcalde dijo que el plan era **justo**.")(c),
        )),
    )
    assert line_merge_conflicts(repo) > 0  # what git does without the driver
    done = merge(repo)
    assert done.returncode == 0, done.stdout + done.stderr
    catalog = pofile.load(repo / ES)
    meta = catalog.metadata()
    assert meta["PO-Revision-Date"] == "2024-11-06 12:00+0000"
    assert meta["Last-Translator"] == "Bea <bea@example.com>"
    assert meta["X-Generator"] == "Poedit 3.2.2"  # both changed it: the newest revision's
    assert entry(catalog, P1).msgstr == "El concejo votó 7 a 2 el martes."
    assert entry(catalog, P3).msgstr == "El alcalde dijo que el plan era **justo**."
    assert "<<<<<<<" not in (repo / ES).read_text()
    row = status(locflow, repo)
    assert (row["translated"], row["conflicts"]) == (5, 0)
    assert git(repo, "status", "--porcelain").stdout == ""


def test_entries_added_on_both_sides_are_all_kept_once(repo: Path, locflow: Invoke) -> None:
    def add(*msgids: str) -> Edit:
        def change(catalog: pofile.Catalog) -> None:
            at = catalog.entries.index(entry(catalog, P1)) + 1
            for offset, msgid in enumerate(msgids):
                catalog.entries.insert(at + offset, pofile.Entry(msgid=msgid, msgstr=f"ES {msgid}"))

        return change

    branches(repo, lambda: edit(repo, add("From the feature.", "Added by both.")),
             lambda: edit(repo, add("From main.", "Added by both.")))
    assert line_merge_conflicts(repo) > 0
    done = merge(repo)
    assert done.returncode == 0, done.stderr
    msgids = [e.msgid for e in pofile.load(repo / ES).active()]
    assert msgids.count("Added by both.") == 1
    # main's order, the feature's own entry right after its neighbour there
    start = msgids.index(next(m for m in msgids if m.startswith(P1)))
    assert msgids[start + 1:start + 4] == ["From the feature.", "From main.", "Added by both."]
    row = status(locflow, repo)
    assert (row["total"], row["translated"], row["untranslated"]) == (8, 3, 5)


def test_an_edit_beats_an_approval_or_rejection_of_the_old_text(
    repo: Path, locflow: Invoke
) -> None:
    edit(repo, translate_everything)
    commit(repo, "translated")
    es = str(repo / ES)
    branches(
        repo,
        # a translator improves two entries
        lambda: edit(repo, translate(P1="El concejo aprobó el presupuesto por 7 a 2.",
                                     P2="Las carreteras recibirán 4,2 millones de dólares.")),
        # meanwhile an editor approves everything on main, then rejects P2
        lambda: (
            locflow("review", "approve", es, ok=True),
            locflow("review", "reject", "--msgid", P2, "--reason", "check the number", es,
                    ok=True),
        ),
    )
    done = merge(repo)
    assert done.returncode == 0, done.stderr
    catalog = pofile.load(repo / ES)
    p1, p2, p3 = entry(catalog, P1), entry(catalog, P2), entry(catalog, P3)
    assert p1.msgstr == "El concejo aprobó el presupuesto por 7 a 2."
    assert "locflow-approved" not in p1.tcomment  # the approval was of the old text
    assert p2.msgstr == "Las carreteras recibirán 4,2 millones de dólares."
    assert "fuzzy" not in p2.flags and "locflow-rejected" not in p2.tcomment
    assert "locflow-approved" in p3.tcomment
    assert states(repo)[P3[:14]] == "approved"
    row = status(locflow, repo)
    assert (row["approved"], row["translated"], row["rejected"], row["fuzzy"]) == (3, 2, 0, 0)


@pytest.mark.parametrize("into", ["main", "feature"])
def test_changed_source_meets_new_translation_as_fuzzy(
    repo: Path, locflow: Invoke, into: str
) -> None:
    new_p1 = "The city council voted 8-1 on Wednesday to approve the budget."
    article = repo / "content/vote.md"

    def change_source() -> None:
        text = article.read_text(encoding="utf-8")
        article.write_text(text.replace("The city council voted 7-2 on Tuesday to approve the "
                                        "budget.", new_p1), encoding="utf-8")
        locflow("sync", ok=True)

    branches(repo, lambda: edit(repo, translate(P1="El concejo votó 7 a 2 el martes.")),
             change_source)
    if into == "feature":  # the translator's branch takes main in: the same result
        git(repo, "checkout", "-q", "feature")
        done = git(repo, "merge", "--no-edit", "main", check=False)
    else:
        done = merge(repo)
    assert done.returncode == 0, done.stderr
    catalog = pofile.load(repo / ES)
    moved = entry(catalog, "The city council voted 8-1")
    assert moved.msgstr == "El concejo votó 7 a 2 el martes."
    assert "fuzzy" in moved.flags  # never an unflagged translation of another text
    assert moved.previous_msgid == "The city council voted 7-2 on Tuesday to approve the budget."
    assert not [e for e in catalog.entries if e.msgid.startswith(P1)]
    row = status(locflow, repo)
    assert (row["fuzzy"], row["translated"], row["obsolete"]) == (1, 0, 0)
    # the merged catalog is what sync would make of it: nothing left to do
    assert locflow("sync", "--check").exit_code == 0


def test_two_translations_of_one_entry_are_a_conflict_in_a_valid_file(
    repo: Path, locflow: Invoke
) -> None:
    def ignore_everything(catalog: pofile.Catalog) -> None:
        entry(catalog, P1).tcomment = "locflow-ignore: conflict, fuzzy, all"

    edit(repo, ignore_everything)
    commit(repo, "an ignore comment")
    branches(
        repo,
        lambda: edit(repo, translate(P1="El concejo votó 7 a 2 el martes.",
                                     P2="Las carreteras: 4,2 millones.",
                                     P3="El alcalde lo llamó **justo**.")),
        lambda: edit(repo, translate(P1="El ayuntamiento aprobó \"por 7-2\"\nel presupuesto.",
                                     P3="El alcalde dijo que era **justo**.")),
    )
    done = merge(repo)
    assert done.returncode == 1  # git reports the conflict
    assert "CONFLICT" in done.stdout
    assert f"{ES}:" in done.stderr and "conflict" in done.stderr
    text = (repo / ES).read_text(encoding="utf-8")
    assert "<<<<<<<" not in text and ">>>>>>>" not in text
    catalog = pofile.load(repo / ES)  # a valid catalog
    p1 = entry(catalog, P1)
    assert p1.msgstr == "El ayuntamiento aprobó \"por 7-2\"\nel presupuesto."  # ours
    assert "fuzzy" in p1.flags
    assert '# locflow-conflict: "El concejo votó 7 a 2 el martes."' in text
    assert entry(catalog, P2).msgstr == "Las carreteras: 4,2 millones."  # merged cleanly
    if shutil.which("msgfmt"):
        subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(repo / ES)], check=True)

    row = status(locflow, repo)
    assert (row["conflicts"], row["fuzzy"], row["translated"]) == (2, 2, 1)
    table = locflow("status", str(repo / ES), ok=True).stdout
    assert table.splitlines()[0].split()[-1] == "conflicts"
    checked = locflow("check", "--format", "json", str(repo / ES))
    assert checked.exit_code == 1
    findings = json.loads(checked.stdout)["findings"]
    assert [f["check"] for f in findings if f["msgid"].startswith(P1)] == ["conflict"]
    assert [f["check"] for f in findings if f["msgid"].startswith(P3)] == ["conflict"]
    listed = locflow("review", "list", str(repo / ES), ok=True).stdout
    assert "conflict, other version: El concejo votó 7 a 2 el martes." in listed

    # resolving with the command: take the other branch's text
    resolved = locflow("review", "resolve", "--take", "other", "--msgid", P3, str(repo / ES),
                       ok=True)
    assert resolved.stdout.startswith("resolved 1 entry")
    p3 = entry(pofile.load(repo / ES), P3)
    assert p3.msgstr == "El alcalde lo llamó **justo**." and "fuzzy" not in p3.flags
    assert "locflow-conflict" not in p3.tcomment
    # resolving by hand: choose the text, delete the comment, clear fuzzy; commit the merge
    def resolve(catalog: pofile.Catalog) -> None:
        p1 = entry(catalog, P1)
        p1.msgstr = "El concejo votó 7 a 2 el martes."
        p1.flags.remove("fuzzy")
        p1.tcomment = "\n".join(line for line in p1.tcomment.split("\n")
                                if not line.startswith("locflow-conflict:"))

    edit(repo, resolve)
    commit(repo, "merged")
    assert status(locflow, repo)["conflicts"] == 0
    assert "conflict" not in json.loads(
        locflow("check", "--format", "json", str(repo / ES)).stdout)["summary"]["by_check"]


def test_deleted_on_one_side_edited_on_the_other_keeps_the_work(
    repo: Path, locflow: Invoke
) -> None:
    article = repo / "content/vote.md"

    def remove_paragraph() -> None:
        text = article.read_text(encoding="utf-8")
        article.write_text(text.replace("Roads will get $4.2 million, the largest share.\n\n", ""),
                           encoding="utf-8")
        locflow("sync", ok=True)  # P2 was untranslated: msgmerge-style sync drops it

    branches(repo, lambda: edit(repo, translate(P2="Las carreteras recibirán 4,2 millones.")),
             remove_paragraph)
    assert not [e for e in pofile.load(repo / ES).entries if e.msgid.startswith(P2)]
    done = merge(repo)
    assert done.returncode == 0, done.stderr
    catalog = pofile.load(repo / ES)
    kept = entry(catalog, P2)
    assert kept.obsolete and kept.msgstr == "Las carreteras recibirán 4,2 millones."
    assert status(locflow, repo)["obsolete"] == 1
    assert locflow("sync", "--check").exit_code == 0


def test_obsolete_entry_revived_on_one_side_survives_a_cleanup_on_the_other(
    repo: Path, locflow: Invoke
) -> None:
    article = repo / "content/vote.md"
    original = article.read_text(encoding="utf-8")
    edit(repo, translate_everything)
    locflow("review", "approve", str(repo / ES), ok=True)
    article.write_text(original.replace("The mayor said the plan was **fair**.\n", ""),
                       encoding="utf-8")
    locflow("sync", ok=True)
    assert entry(pofile.load(repo / ES), P3).obsolete
    commit(repo, "paragraph removed, its translation obsolete")

    def clean_up() -> None:  # msgattrib --no-obsolete, and a translation fix
        def change(catalog: pofile.Catalog) -> None:
            catalog.entries = [e for e in catalog.entries if not e.obsolete]
            translate(P1="El concejo votó 7 a 2.")(catalog)

        edit(repo, change)

    def restore() -> None:  # the paragraph comes back
        article.write_text(original, encoding="utf-8")
        locflow("sync", ok=True)

    branches(repo, clean_up, restore)
    done = merge(repo)
    assert done.returncode == 0, done.stderr
    catalog = pofile.load(repo / ES)
    revived = entry(catalog, P3)
    assert not revived.obsolete and revived.msgstr == f"ES: {revived.msgid}"
    assert entry(catalog, P1).msgstr == "El concejo votó 7 a 2."
    assert [e.msgid for e in catalog.active()][-1] == revived.msgid  # the article's order
    row = status(locflow, repo)
    assert (row["approved"], row["translated"], row["obsolete"]) == (4, 1, 0)


def wrap_like_weblate(path: Path) -> None:
    """Rewrite *path* wrapped at 77 columns, as Weblate saves with line wrapping on."""
    import polib

    catalog = polib.pofile(str(path), wrapwidth=77)
    catalog.metadata["X-Generator"] = "Weblate 5.14"
    catalog.metadata["PO-Revision-Date"] = "2024-11-07 08:30+0000"
    catalog.metadata["Last-Translator"] = "Weblate Translator <wt@example.com>"
    for e in catalog:
        if e.msgid.startswith(P2):
            e.msgstr = ("Las carreteras recibirán 4,2 millones de dólares, la mayor parte del "
                        "presupuesto de la ciudad este año.")
    catalog.save()


def test_weblate_wrapped_file_merges_with_an_unwrapped_one(repo: Path, locflow: Invoke) -> None:
    edit(repo, translate_everything)
    commit(repo, "translated")
    es = repo / ES
    branches(
        repo,
        lambda: wrap_like_weblate(es),
        lambda: (edit(repo, translate(P1="El concejo votó 7 a 2 el martes para aprobar el "
                                         "presupuesto de la ciudad, tras un largo debate.")),
                 locflow("review", "approve", "--msgid", P3, str(es), ok=True)),
    )
    assert git(repo, "show", f"feature:{ES}").stdout.count('msgstr ""\n"') >= 2  # wrapped
    ours_before = es.read_bytes()
    done = merge(repo)
    assert done.returncode == 0, done.stderr
    catalog = pofile.load(es)
    assert entry(catalog, P2).msgstr.startswith("Las carreteras recibirán 4,2 millones")
    assert entry(catalog, P1).msgstr.endswith("tras un largo debate.")
    assert catalog.metadata()["Last-Translator"] == "Weblate Translator <wt@example.com>"
    assert states(repo)[P3[:14]] == "approved"
    # written as locflow writes: no wrapped lines; untouched entries keep main's bytes
    merged = es.read_bytes()
    assert b'msgstr ""\n"' not in merged.split(b"\n\n", 1)[1]
    p3_block = next(b for b in ours_before.split(b"\n\n") if P3.encode() in b)
    assert p3_block in merged
    if shutil.which("msgcat"):
        canonical = subprocess.run(["msgcat", "--no-wrap", str(es)], capture_output=True,
                                   check=True).stdout
        assert canonical == merged


def test_an_unparseable_version_falls_back_to_gits_line_merge(repo: Path) -> None:
    def break_it() -> None:
        text = (repo / ES).read_text(encoding="utf-8")
        (repo / ES).write_text(text.replace('msgstr ""', 'msgstr "oops', 1), encoding="utf-8")

    branches(repo, break_it, lambda: edit(repo, translate(P3="El alcalde dijo.")))
    done = merge(repo)
    assert done.returncode == 1
    assert f"Error: {ES}:" in done.stderr
    assert "unterminated string (in their version; merged line by line instead)" in done.stderr
    assert "Traceback" not in done.stderr
    merged = (repo / ES).read_text(encoding="utf-8")  # what git alone makes of it
    assert 'msgstr "oops' in merged and 'msgstr "El alcalde dijo."' in merged
    assert git(repo, "diff", "--name-only", "--diff-filter=U").stdout.split() == [ES]


def test_init_marks_catalogs_and_explains_the_git_config_step(
    locflow: Invoke, tmp_path: Path
) -> None:
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    (fresh / ".gitattributes").write_text("*.png binary", encoding="utf-8")
    result = locflow("init", ok=True, root=fresh)
    assert f"updated {fresh / '.gitattributes'}" in result.stdout
    assert "locflow init --git" in result.stderr
    attributes = (fresh / ".gitattributes").read_text(encoding="utf-8")
    assert attributes.startswith("*.png binary\n#") and attributes.endswith(
        "*.po merge=locflow\n*.pot merge=locflow\n")
    assert locflow("init", ok=True, root=fresh).stdout == ""
    outside = locflow("init", "--git", root=fresh)  # not a git repository
    assert outside.exit_code == 2
    assert "cannot set git config (is the project in a git repository?)" in outside.stderr
