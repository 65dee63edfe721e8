"""Time `locflow sync` on a generated 1,000-article project against `msgmerge --previous`.

    python benchmarks/bench_sync.py [--articles 1000] [--paragraphs 12]

Steps (each timed):
1. first sync: 1,000 templates and 2,000 catalogs created;
2. no-op sync: nothing changed, no byte written;
3. after an edit in every article (one paragraph changed, one inserted, one deleted):
   locflow sync, and msgmerge --previous over the same 2,000 catalogs and new templates
   (one process per catalog, as a Makefile or script would run it). The results are
   compared: translations kept, fuzzy, new and obsolete counts.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from locflow.catalog import pofile
from locflow.config import Project
from locflow.pipeline import sync as sync_with_memory


def sync(project: Project) -> object:
    # the merge alone, as msgmerge does it: no translation-memory pre-fill
    return sync_with_memory(project, memory=False)

WORDS = (
    "council budget vote mayor roads schools police storm market election minister "
    "government report analysis troops economy border trade talks summit court"
).split()


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 20))]
    return " ".join(words).capitalize() + f" in {rng.randint(1990, 2030)}."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(2, 5)))


def generate(root: Path, articles: int, paragraphs: int) -> None:
    rng = random.Random(42)
    (root / "content").mkdir(parents=True)
    (root / "locflow.toml").write_text('[project]\nname = "Bench"\n')
    for n in range(articles):
        body = "\n\n".join(paragraph(rng) for _ in range(paragraphs))
        (root / "content" / f"article-{n:04d}.md").write_text(
            f"---\ntitle: Article {n} {sentence(rng)}\ndate: 2024-11-04\n"
            f"summary: {sentence(rng)}\n---\n\n{body}\n"
        )


def translate_everything(root: Path) -> None:
    for path in (root / "locales").rglob("*.po"):
        with pofile.edit(path) as catalog:
            for entry in catalog.active():
                entry.msgstr = "«" + entry.msgid[::-1] + "»"


def edit_every_article(root: Path) -> None:
    rng = random.Random(7)
    for path in sorted((root / "content").glob("*.md")):
        head, _, body = path.read_text().partition("---\n\n")
        paras = body.strip().split("\n\n")
        words = paras[1].split(" ")
        words[3] = "changed"
        paras[1] = " ".join(words)  # a small edit: fuzzy
        paras.insert(4, paragraph(rng))  # an insertion: new
        del paras[7]  # a deletion: obsolete
        path.write_text(head + "---\n\n" + "\n\n".join(paras) + "\n")


def timed(label: str, func, *args) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    func(*args)
    elapsed = time.perf_counter() - start
    print(f"{label:<58} {elapsed:8.2f} s")
    return elapsed


def msgmerge_all(pairs: list[tuple[Path, Path]], jobs: int) -> None:
    def one(pair: tuple[Path, Path]) -> None:
        po, pot = pair
        subprocess.run(
            [
                "msgmerge",
                "--quiet",
                "--previous",
                "--no-wrap",
                "-U",
                "--backup=off",
                str(po),
                str(pot),
            ],
            check=True,
        )

    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(one, pairs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--paragraphs", type=int, default=12)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        generate(root, args.articles, args.paragraphs)
        project = Project.load(root)
        n = args.articles
        print(f"{n} articles x {args.paragraphs} paragraphs, 2 target locales")
        timed(f"locflow sync, first run ({2 * n} catalogs created)", sync, project)
        translate_everything(root)
        timed("locflow sync, nothing changed (no-op)", sync, project)

        before = Path(tmp) / "before"
        shutil.copytree(root / "locales", before)
        edit_every_article(root)
        timed("locflow sync after an edit in every article", sync, project)

        if shutil.which("msgmerge") is None:
            print("msgmerge not installed: skipping the comparison")
            return
        templates = root / "locales" / "templates" / "articles"
        pairs = [
            (po, templates / f"{po.stem}.pot") for po in sorted(before.glob("*/articles/*.po"))
        ]
        timed(
            f"msgmerge --previous, {len(pairs)} catalogs, one process each", msgmerge_all, pairs, 1
        )
        compare(root / "locales", before)


def view(path: Path) -> list[tuple[object, ...]]:
    return [
        (e.msgid, e.msgstr, "fuzzy" in e.flags, e.previous_msgid, e.obsolete)
        for e in pofile.load(path).entries
    ]


def compare(ours: Path, theirs: Path) -> None:
    """Entry by entry: the same translation, fuzzy flag, previous msgid and obsolete state?"""
    same = total = 0
    for path in sorted(theirs.glob("*/articles/*.po")):
        mine = view(ours / path.relative_to(theirs))
        gnu = view(path)
        total += 1
        same += mine == gnu
    lost = sum(
        1
        for path in sorted(ours.glob("*/articles/*.po"))
        for e in pofile.load(path).entries
        if not e.msgstr
    )
    print(
        f"catalogs identical to msgmerge's result (entries, translations, fuzzy, #|, #~): "
        f"{same}/{total}; entries left without a translation: {lost} (the inserted paragraphs)"
    )


if __name__ == "__main__":
    main()
