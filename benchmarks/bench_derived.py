"""What a derived locale (zh_Hant converted from zh_Hans with OpenCC) costs a build.

A generated project (``run.generate``) whose Chinese translations are replaced by real
Simplified Chinese (the example's approved paragraphs, rotated), built from nothing and
again unchanged, without and with ``[derived] zh_Hant = { from = "zh_Hans", convert =
"s2twp" }``. Not part of the test suite.

    .venv/bin/python benchmarks/bench_derived.py --articles 1000
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import LOCFLOW, generate, measure

REPO = Path(__file__).resolve().parents[1]
DERIVED = '\n[derived]\nzh_Hant = { from = "zh_Hans", convert = "s2twp" }\n'


def chinese_texts() -> list[str]:
    from locflow.catalog import pofile

    catalog = pofile.load(REPO / "locales/zh_Hans/articles/"
                          "kim-jong-un-troops-russia-beijing-concern.po")
    return [e.msgstr for e in catalog.active() if len(e.msgstr) > 40]


def chinese(root: Path) -> int:
    """Every zh_Hans translation replaced by real Chinese; returns the characters."""
    from locflow.catalog import pofile
    from locflow.review import approve, entry_state

    texts = chinese_texts()
    plans = []
    characters = 0
    for n, path in enumerate(sorted((root / "locales/zh_Hans/articles").glob("*.po"))):
        before = path.read_bytes()
        catalog = pofile.parse(before, path)
        for m, entry in enumerate(catalog.active()):
            if not entry.msgstr:
                continue
            approved = entry_state(entry).value == "approved"
            entry.msgstr = texts[(n + m) % len(texts)]
            # (another paragraph's text: its numbers and links are not this one's)
            entry.tcomment = "locflow-ignore: all"
            characters += len(entry.msgstr)
            if approved:
                approve(entry, "bench-editor", "2024-11-05")
        plans.append(pofile.PlannedWrite(path, before, pofile.dump(catalog)))
    pofile.commit(plans)
    return characters


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        generate(root, args.articles)
        characters = chinese(root)
        print(f"{args.articles} articles, {characters:,} characters of zh_Hans text")
        for label, extra in (("without [derived]", ""), ("with zh_Hant (s2twp)", DERIVED)):
            config = root / "locflow.toml"
            text = config.read_text(encoding="utf-8").split("\n[derived]")[0]
            config.write_text(text + extra, encoding="utf-8")
            shutil.rmtree(root / "dist", ignore_errors=True)
            full, rss = measure([*LOCFLOW, "-C", str(root), "build"])
            again, _ = measure([*LOCFLOW, "-C", str(root), "build"])
            pages = len(list((root / "dist").glob("*/*/index.html")))
            print(f"{label}: build {full:.2f} s ({pages} pages, peak {rss / 1024:.0f} MB), "
                  f"nothing changed {again:.2f} s")


if __name__ == "__main__":
    main()
