"""Time `git merge` of two branches that each touched every catalog, with and without
`locflow merge-driver`.

    python benchmarks/bench_merge.py [--articles 1000] [--paragraphs 12]

A generated project (one target locale, so one catalog per article) is synced, fully
translated and committed. Then, in every catalog:
- branch `weblate`: a translator edits one entry and the header is rewritten
  (PO-Revision-Date, Last-Translator, X-Generator), as Weblate commits;
- branch `main`: an editor approves every entry, and another translator edits another
  entry with its own header update.
Both branches are merged twice: by git alone (line merge) and with the driver
configured as `locflow init --git` does. Reported: wall time, conflicted files, and the
review states after the merge.
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_sync import generate, translate_everything  # type: ignore[import-not-found]

from locflow.catalog import pofile
from locflow.catalog.merge3 import merge3
from locflow.config import Project
from locflow.pipeline import project_catalogs, review_approve, status, sync


def git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(root.parent), "GIT_CONFIG_NOSYSTEM": "1"}
    done = subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True,
                          check=False)
    if check and done.returncode:
        raise SystemExit(done.stderr)
    return done


def commit(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def touch_every_catalog(root: Path, index: int, date: str, translator: str,
                        generator: str) -> None:
    for path in sorted((root / "locales").glob("*/articles/*.po")):
        with pofile.edit(path) as catalog:
            entry = catalog.active()[index]
            entry.msgstr = f"{translator}: {entry.msgid}"
            catalog.set_metadata("PO-Revision-Date", date)
            catalog.set_metadata("Last-Translator", translator)
            catalog.set_metadata("X-Generator", generator)


def merge(root: Path, label: str) -> None:
    git(root, "checkout", "-q", "-f", "main")
    git(root, "reset", "-q", "--hard", "main-before")
    start = time.perf_counter()
    done = git(root, "merge", "--no-edit", "weblate", check=False)
    elapsed = time.perf_counter() - start
    conflicted = git(root, "diff", "--name-only", "--diff-filter=U").stdout.split()
    print(f"{label:<44} {elapsed:8.2f} s   exit {done.returncode}   "
          f"conflicted files: {len(conflicted)}")
    if not conflicted:
        counts = [row.counts for row in status(project_catalogs(Project.load(root)))]
        total = {name: sum(getattr(c, name) for c in counts)
                 for name in ("approved", "translated", "fuzzy", "conflicts")}
        print(f"{'':<44} states after the merge: {total}")
    git(root, "merge", "--abort", check=False)


def in_process(root: Path) -> None:
    """The same merges without a process per file: what the merge itself costs."""
    base = git(root, "merge-base", "main-before", "weblate").stdout.strip()
    paths = git(root, "diff", "--name-only", base, "weblate", "--", "*.po").stdout.split()
    versions = [
        [git(root, "show", f"{rev}:{path}").stdout.encode() for rev in (base, "main-before",
                                                                          "weblate")]
        for path in paths
    ]
    start = time.perf_counter()
    for old, ours, theirs in versions:
        merged = merge3(pofile.parse(old), pofile.parse(ours), pofile.parse(theirs))
        pofile.dump(merged.catalog)
    elapsed = time.perf_counter() - start
    print(f"{f'the same {len(paths)} merges in one process':<44} {elapsed:8.2f} s "
          "(parse 3 versions, merge, dump)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--paragraphs", type=int, default=12)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        generate(root, args.articles, args.paragraphs)
        toml = root / "locflow.toml"
        toml.write_text(toml.read_text() + 'target_locales = ["es"]\n')
        git(root, "init", "-q", "-b", "main")
        git(root, "config", "user.name", "Bench")
        git(root, "config", "user.email", "bench@example.com")
        sync(Project.load(root))
        translate_everything(root)
        commit(root, "base")

        git(root, "checkout", "-q", "-b", "weblate")
        touch_every_catalog(root, 2, "2024-11-07 08:30+0000", "Weblate <wl@example.com>",
                            "Weblate 5.14")
        commit(root, "weblate")
        git(root, "checkout", "-q", "main")
        refs = project_catalogs(Project.load(root))
        review_approve(refs, "desk-editor", "2024-11-05")
        touch_every_catalog(root, 6, "2024-11-06 09:00+0000", "Ana <ana@example.com>",
                            "Poedit 3.2.2")
        commit(root, "main")
        git(root, "tag", "main-before")
        print(f"{args.articles} catalogs touched on both branches "
              f"({args.paragraphs} paragraphs + title + summary each)")

        merge(root, "git merge, line merge (no driver)")
        (root / ".gitattributes").write_text("*.po merge=locflow\n*.pot merge=locflow\n")
        git(root, "add", ".gitattributes")
        git(root, "commit", "-q", "--amend", "--no-edit")
        git(root, "tag", "-f", "main-before")
        driver = f"{shlex.quote(sys.executable)} -m locflow merge-driver %O %A %B %P"
        git(root, "config", "merge.locflow.driver", driver)
        merge(root, "git merge with locflow merge-driver")

        in_process(root)
        one = sorted((root / "locales").glob("es/articles/*.po"))[0]
        start = time.perf_counter()
        for _ in range(20):
            subprocess.run([sys.executable, "-m", "locflow", "merge-driver", str(one), str(one),
                            str(one)], check=True)
        print(f"{'one merge-driver process (no-op merge)':<44} "
              f"{(time.perf_counter() - start) / 20 * 1000:8.0f} ms")


if __name__ == "__main__":
    main()
