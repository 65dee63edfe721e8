"""Time ``locflow build`` on a generated 1,000-article project: a full build against a
no-op rebuild (nothing changed) and a rebuild after one catalog changed.

Usage: python benchmarks/bench_build.py [--articles N] [--repeat N] [--keep DIR]

The project is made through the library: articles are written to content/,
``pipeline.sync`` creates the catalogs, and every entry of zh_Hans and es
(articles and site strings) gets a synthetic translation approved with
``review.approve``, so every version passes the default publishing gate.
Each figure is the best of N runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

WORDS = [
    "council", "budget", "road", "school", "storm", "river", "market", "mayor",
    "vote", "plan", "city", "court", "report", "minister", "trade", "energy",
    "price", "health", "water", "rail", "police", "harbour", "festival", "museum",
]


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def article(rng: random.Random, index: int) -> str:
    date = dt.date(2024, 1, 1) + dt.timedelta(days=index % 365)
    paragraphs = [" ".join(sentence(rng, rng.randint(8, 20)) for _ in range(rng.randint(2, 5)))
                  for _ in range(rng.randint(5, 10))]
    paragraphs.insert(2, f"The **{rng.choice(WORDS)}** report is [online](https://example.com/r/{index}).")
    return (f"---\ntitle: \"{sentence(rng, 6)[:-1]} {index}\"\ndate: {date.isoformat()}\n"
            f"summary: \"{sentence(rng, 18)}\"\n---\n\n" + "\n\n".join(paragraphs) + "\n")


def make_project(root: Path, count: int) -> None:
    from locflow import pipeline
    from locflow.catalog import pofile
    from locflow.config import Project
    from locflow.review import approve

    rng = random.Random(4)
    (root / "content").mkdir(parents=True)
    (root / "locflow.toml").write_text(
        '[project]\nname = "Bench Gazette"\ntarget_locales = ["zh_Hans", "es"]\n', "utf-8")
    for i in range(count):
        (root / "content" / f"article-{i:04d}.md").write_text(article(rng, i), "utf-8")
    pipeline.sync(Project.load(root))
    for locale in ("zh_Hans", "es"):
        for path in sorted((root / "locales" / locale).rglob("*.po")):
            with pofile.edit(path) as catalog:
                for entry in catalog.active():
                    if not entry.msgid:
                        continue
                    if entry.msgid_plural:
                        entry.msgstr_plural = {0: f"[{locale}] {entry.msgid}",
                                               1: f"[{locale}] {entry.msgid_plural}"}
                    else:
                        entry.msgstr = f"[{locale}] {entry.msgid}"
                    approve(entry, "bench", "2024-11-05")


def timed(action: object) -> float:
    start = time.perf_counter()
    action()  # type: ignore[operator]
    return time.perf_counter() - start


def main() -> None:
    from locflow.catalog import pofile
    from locflow.config import Project
    from locflow.publish import build_site
    from locflow.review import approve

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="make the project here and keep it")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="locflow-bench-"))
    root = args.keep.resolve() if args.keep else tmp / "project"
    try:
        print(f"making a {args.articles}-article project (zh_Hans, es; all approved) ...",
              flush=True)
        setup = timed(lambda: make_project(root, args.articles))
        print(f"  setup {setup:.1f} s")
        project = Project.load(root)

        full, noop, one = [], [], []
        result = None
        for _ in range(args.repeat):
            shutil.rmtree(root / "dist", ignore_errors=True)
            full.append(timed(lambda: build_site(project)))
            noop.append(timed(lambda: build_site(project)))
            # one catalog changes: one bundle (plus the locale index, sitemap, manifest)
            path = root / "locales" / "es" / "articles" / "article-0007.po"
            with pofile.edit(path) as catalog:
                entry = next(e for e in catalog.active() if e.msgctxt is None)
                entry.msgstr += " (editado)"
                approve(entry, "bench", "2024-11-06")

            def rebuild() -> None:
                nonlocal result
                result = build_site(project)

            one.append(timed(rebuild))
        assert result is not None
        bundles = len(result.bundles)
        print(f"bundles: {bundles} ({args.articles} articles x 3 locales), "
              f"held back: {len(result.held_back)}")
        print(f"full build      {min(full):7.2f} s  ({1000 * min(full) / bundles:.2f} ms/bundle)")
        print(f"no-op rebuild   {min(noop):7.2f} s  ({100 * min(noop) / min(full):.1f}% of full)")
        print(f"one catalog     {min(one):7.2f} s  (rendered {len(result.rendered)} bundle(s))")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
