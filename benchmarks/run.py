"""locflow against GNU gettext and Translate Toolkit on generated newsroom projects.

    python benchmarks/run.py [--sizes 100,1000] [--rounds 3] [--markdown docs/benchmarks.md]

For each size N, a seeded project of N news-like articles is generated (12-20 paragraphs,
zh_Hans and es catalogs with a mix of states: untranslated, fuzzy, translated, approved),
then each command is timed side by side with its peer, as a separate process (median
of --rounds runs; peak RSS of the process tree):

| locflow                         | peer                                                  |
|---------------------------------|-------------------------------------------------------|
| sync after 10 % of paragraphs    | `msgmerge --previous` over every catalog, one process |
| changed                         | each (how a Makefile runs it)                         |
| sync with nothing changed       | –                                                     |
| status                          | `msgfmt --statistics` loop; `pocount`                 |
| check                           | `pofilter` (one run per language)                     |
| build (full, then no-op)        | –                                                     |
| `--help`                        | –                                                     |

Translations carried over by the sync are counted and compared with msgmerge's result.
Not part of the test suite: it takes minutes (at 10,000 articles, about an hour).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
BIN = Path(sys.executable).parent
LOCFLOW = [str(BIN / "locflow")] if (BIN / "locflow").exists() else [sys.executable, "-m",
                                                                       "locflow"]
LOCALES = ("zh_Hans", "es")

# A news desk's vocabulary: sentences that read like agency copy, with the numbers,
# names and quotes the checks look at.
SUBJECTS = ["The council", "The ministry", "Officials in Seoul", "The central bank",
            "Analysts at the institute", "The defence minister", "Local police",
            "The opposition party", "A spokesperson for the company", "Investors"]
VERBS = ["said on Tuesday that", "warned that", "confirmed that", "denied reports that",
         "announced that", "told reporters that", "estimated that"]
CLAUSES = ["{n} people were evacuated from the coastal towns",
           "the budget would rise by {p}% next year",
           "talks would resume in {city} on {day}",
           "the vote passed {a}-{b} after a long debate",
           "exports fell to ${m} million in the third quarter",
           "the storm had damaged more than {n} homes",
           "the agreement covered {n} companies and {k} ministries",
           "troops had been moved closer to the border",
           "the report would be published in {year}"]
CITIES = ["Beijing", "Madrid", "Pyongyang", "Moscow", "Brussels", "Washington", "Seoul"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def sentence(rng: random.Random) -> str:
    clause = rng.choice(CLAUSES).format(
        n=rng.randint(2, 5000), p=round(rng.uniform(0.5, 12), 1), city=rng.choice(CITIES),
        day=rng.choice(DAYS), a=rng.randint(5, 9), b=rng.randint(0, 4),
        m=round(rng.uniform(1, 900), 1), k=rng.randint(2, 12), year=rng.randint(2025, 2030))
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {clause}."


def paragraph(rng: random.Random) -> str:
    text = " ".join(sentence(rng) for _ in range(rng.randint(1, 4)))
    if rng.random() < 0.15:
        text += f" More at [the report](https://example.org/r/{rng.randint(1, 10**6)})."
    if rng.random() < 0.1:
        text = f"**{text}**"
    return text


def article(rng: random.Random, n: int) -> str:
    paras = []
    for i in range(rng.randint(12, 20)):
        if i and i % 6 == 0:
            paras.append(f"## {sentence(rng)[:-1]}")
        else:
            paras.append(paragraph(rng))
    return (f"---\ntitle: \"{sentence(rng)[:-1]}\"\ndate: 2024-{rng.randint(1, 12):02d}-"
            f"{rng.randint(1, 28):02d}\nsummary: \"{sentence(rng)}\"\n---\n\n"
            + "\n\n".join(paras) + "\n")


def fake_translation(msgid: str, locale: str) -> str:
    """A translation that keeps numbers, links and markup, as a careful translator would."""
    words = msgid.split(" ")
    return ("【" if locale == "zh_Hans" else "«") + " ".join(reversed(words)) + (
        "】" if locale == "zh_Hans" else "»")


def generate(root: Path, articles: int) -> None:
    """A project as a team's working copy has it: synced, translated in part, synced again
    (the memory's index and the sync's record in .locflow/)."""
    from locflow.catalog import pofile
    from locflow.review import approve

    rng = random.Random(20241104)
    (root / "content").mkdir(parents=True)
    (root / "locflow.toml").write_text(
        '[project]\nname = "Bench"\nsource_locale = "en"\n'
        'target_locales = ["zh_Hans", "es"]\n\n[build]\npublish = "approved"\n'
        "min_percent = 50\n")
    for n in range(articles):
        (root / "content" / f"article-{n:05d}.md").write_text(article(rng, n))
    run([*LOCFLOW, "-C", str(root), "sync"])
    plans = []
    for path in sorted((root / "locales").glob("*/articles/*.po")):
        locale = path.parts[-3]
        before = path.read_bytes()
        catalog = pofile.parse(before, path)
        for entry in catalog.active():
            roll = rng.random()
            if roll < 0.15:
                continue  # untranslated
            entry.msgstr = fake_translation(entry.msgid, locale)
            if roll < 0.25:
                entry.flags.append("fuzzy")
            elif roll < 0.75:
                approve(entry, "bench-editor", "2024-11-05")
        plans.append(pofile.PlannedWrite(path, before, pofile.dump(catalog)))
    pofile.commit(plans)
    run([*LOCFLOW, "-C", str(root), "sync"])


def edit_paragraphs(root: Path, share: float) -> int:
    """Change *share* of all paragraphs: a word replaced (fuzzy), some rewritten (new)."""
    rng = random.Random(7)
    changed = 0
    for path in sorted((root / "content").glob("*.md")):
        head, sep, body = path.read_text().partition("---\n\n")
        paras = body.strip().split("\n\n")
        for i, para in enumerate(paras):
            if para.startswith("#") or rng.random() >= share:
                continue
            changed += 1
            if rng.random() < 0.7:
                words = para.split(" ")
                words[min(3, len(words) - 1)] = "reportedly"
                paras[i] = " ".join(words)
            else:
                paras[i] = paragraph(rng)
        path.write_text(head + sep + "\n\n".join(paras) + "\n")
    return changed


def run(argv: Sequence[str], cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(list(argv), cwd=cwd, capture_output=True,
                          check=False)


_MEASURE = ("import resource, subprocess, sys, time\n"
            "t = time.perf_counter()\n"
            "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
            "print(time.perf_counter() - t, "
            "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")


def measure(argv: Sequence[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one command, in a fresh process."""
    out = subprocess.run([sys.executable, "-c", _MEASURE, *argv], capture_output=True,
                         text=True, check=True).stdout.split()
    return float(out[0]), int(out[1])


@dataclass
class Row:
    what: str
    times: list[float] = field(default_factory=list)
    rss: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.times) if self.times else float("nan")


def timed(row: Row, func: Callable[[], tuple[float, int]], rounds: int,
          prepare: Callable[[], None] | None = None) -> Row:
    for _ in range(rounds):
        if prepare:
            prepare()
        seconds, rss = func()
        row.times.append(seconds)
        row.rss = max(row.rss, rss)
    return row


def msgmerge_loop(root: Path) -> tuple[float, int]:
    pairs = [(po, root / "locales" / "templates" / "articles" / f"{po.stem}.pot")
             for po in sorted((root / "locales").glob("*/articles/*.po"))]
    start = time.perf_counter()
    with ThreadPoolExecutor(1) as pool:  # one process at a time, like `make` without -j
        list(pool.map(lambda pair: run(["msgmerge", "--quiet", "--previous", "--no-wrap", "-U",
                                        "--backup=off", str(pair[0]), str(pair[1])]), pairs))
    return time.perf_counter() - start, 0


def msgfmt_loop(root: Path) -> tuple[float, int]:
    start = time.perf_counter()
    for po in sorted((root / "locales").glob("*/articles/*.po")):
        run(["msgfmt", "--statistics", "-o", os.devnull, str(po)])
    return time.perf_counter() - start, 0


def pofilter_all(root: Path, out: Path) -> tuple[float, int]:
    total, rss = 0.0, 0
    for locale in LOCALES:
        shutil.rmtree(out, ignore_errors=True)
        seconds, peak = measure([str(BIN / "pofilter"), f"--language={locale}", "-i",
                                 str(root / "locales" / locale), "-o", str(out)])
        total, rss = total + seconds, max(rss, peak)
    return total, rss


def kept_translations(locales_dir: Path) -> int:
    from locflow.catalog import pofile

    return sum(1 for po in locales_dir.glob("*/articles/*.po")
               for e in pofile.load(po).active() if e.msgstr)


def bench_size(n: int, rounds: int, tmp: Path, keep: bool = False
               ) -> list[tuple[str, Row, Row | None]]:
    base = tmp / f"n{n}"
    root = base / "project"
    print(f"== {n} articles: generating", file=sys.stderr, flush=True)
    generate(root, n)
    pristine = base / "pristine"
    shutil.copytree(root, pristine)
    changed = edit_paragraphs(pristine, 0.10)  # the edited sources, kept aside
    shutil.copytree(root / "locales", base / "before-locales")
    shutil.copytree(root / ".locflow", base / "before-state")
    rows: list[tuple[str, Row, Row | None]] = []

    def reset(state: bool = True) -> Callable[[], None]:
        def restore() -> None:
            # the working copy before the edit: catalogs, and .locflow/ as the last sync
            # left it (state=False: a fresh clone, no .locflow/ at all)
            for folder in ("locales", ".locflow"):
                shutil.rmtree(root / folder, ignore_errors=True)
            shutil.copytree(base / "before-locales", root / "locales")
            if state:
                shutil.copytree(base / "before-state", root / ".locflow")
            shutil.copytree(pristine / "content", root / "content", dirs_exist_ok=True)
        return restore

    def sync() -> tuple[float, int]:
        return measure([*LOCFLOW, "-C", str(root), "sync"])

    print(f"== {n} articles: sync", file=sys.stderr, flush=True)
    fresh = timed(Row("sync in a fresh clone"), sync, rounds, reset(state=False))
    ours = timed(Row("sync after 10 % of paragraphs changed"), sync, rounds, reset())
    ours_kept = kept_translations(root / "locales")
    theirs = timed(Row("msgmerge --previous, one process per catalog"),
                   lambda: msgmerge_loop(root), rounds, reset_for_msgmerge(root, pristine))
    theirs_kept = kept_translations(root / "locales")
    print(f"   {changed} paragraphs changed; translations kept: locflow {ours_kept}, "
          f"msgmerge {theirs_kept}", file=sys.stderr)
    rows.append((f"sync, 10 % edited (kept {ours_kept:,} vs {theirs_kept:,})", ours, theirs))
    rows.append(("sync, 10 % edited, fresh clone (no .locflow/)", fresh, theirs))
    reset()()
    run([*LOCFLOW, "-C", str(root), "sync"])
    rows.append(("sync, nothing changed", timed(Row("no-op sync"), sync, rounds), None))

    def forget() -> None:  # cold runs: nothing kept in .locflow/ from an earlier run
        for kept in (root / ".locflow").glob("*-cache.json"):
            kept.unlink()

    print(f"== {n} articles: status, check", file=sys.stderr, flush=True)
    status = timed(Row("status"), lambda: measure([*LOCFLOW, "-C", str(root), "status"]), rounds,
                   forget)
    pocount = timed(Row("pocount"), lambda: measure([str(BIN / "pocount"),
                                                     str(root / "locales")]), rounds)
    rows.append(("status (cold) vs msgfmt --statistics loop", status,
                 timed(Row("msgfmt"), lambda: msgfmt_loop(root), 1)))
    rows.append(("status (cold) vs pocount", status, pocount))
    rows.append(("status (nothing changed) vs pocount", timed(
        Row("status"), lambda: measure([*LOCFLOW, "-C", str(root), "status"]), rounds), pocount))
    pofilter = timed(Row("pofilter"), lambda: pofilter_all(root, base / "pofilter-out"), rounds)
    rows.append(("check (cold) vs pofilter", timed(
        Row("check"), lambda: measure([*LOCFLOW, "-C", str(root), "check"]), rounds, forget),
        pofilter))
    rows.append(("check (nothing changed) vs pofilter", timed(
        Row("check"), lambda: measure([*LOCFLOW, "-C", str(root), "check"]), rounds), pofilter))

    def clean_dist() -> None:
        shutil.rmtree(root / "dist", ignore_errors=True)

    print(f"== {n} articles: build", file=sys.stderr, flush=True)
    rows.append(("build, full", timed(
        Row("build"), lambda: measure([*LOCFLOW, "-C", str(root), "build"]), rounds, clean_dist),
        None))
    rows.append(("build, nothing changed", timed(
        Row("build no-op"), lambda: measure([*LOCFLOW, "-C", str(root), "build"]), rounds), None))
    if not keep:
        shutil.rmtree(base)
    return rows


def reset_for_msgmerge(root: Path, pristine: Path) -> Callable[[], None]:
    """Same starting point as locflow's: the old catalogs and the new templates."""
    def reset() -> None:
        shutil.rmtree(root / "locales")
        shutil.rmtree(root / ".locflow", ignore_errors=True)  # (msgmerge has no state)
        shutil.copytree(pristine.parent / "before-locales", root / "locales")
        shutil.copytree(pristine / "content", root / "content", dirs_exist_ok=True)
        # msgmerge needs the new templates: let locflow write only those (no catalogs).
        templates = root / "locales" / "templates"
        scratch = pristine.parent / "templates-only"
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.copytree(root, scratch, ignore=shutil.ignore_patterns("*.po"))
        run([*LOCFLOW, "-C", str(scratch), "sync"])
        shutil.rmtree(templates)
        shutil.copytree(scratch / "locales" / "templates", templates)
    return reset


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100,1000")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rounds-large", type=int, default=1,
                        help="rounds for sizes of 5,000 articles and more")
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    parser.add_argument("--memory-sizes", default="10000,100000",
                        help="memory lookup over this many segments ('' to skip)")
    parser.add_argument("--tmp", type=Path, help="work here (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the generated projects (in --tmp) to measure again")
    args = parser.parse_args()
    # as installed: byte-compiled (PYTHONDONTWRITEBYTECODE would recompile every run)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "src")],
                   capture_output=True, check=False)
    help_row = timed(Row("--help"), lambda: measure([*LOCFLOW, "--help"]), 5)
    lines = [f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
             f"{platform.python_version()}, {platform.system()} {platform.release()}; "
             f"medians of {args.rounds} runs ({args.rounds_large} at 5,000 articles and more); "
             "peak RSS of the locflow process.", "",
             "| articles | command | locflow | peak RSS | peer | ratio |",
             "|---:|---|---:|---:|---:|---:|",
             f"| – | `--help` | {help_row.median:.3f} s | {help_row.rss // 1024} MB | – | – |"]
    with contextlib.ExitStack() as stack:
        if args.keep and args.tmp:
            tmp = str(args.tmp)
        else:
            tmp = stack.enter_context(tempfile.TemporaryDirectory(dir=args.tmp))
        for n in (int(s) for s in args.sizes.split(",") if s):
            rounds = args.rounds if n < 5000 else args.rounds_large
            for what, ours, peer in bench_size(n, rounds, Path(tmp), args.keep):
                ratio = f"{ours.median / peer.median:.2f}" if peer else "–"
                peer_cell = f"{peer.median:.2f} s" if peer else "–"
                lines.append(f"| {n:,} | {what} | {ours.median:.2f} s | {ours.rss // 1024} MB "
                             f"| {peer_cell} | {ratio} |")
                print(lines[-1], flush=True)
        memory = [int(s) for s in args.memory_sizes.split(",") if s]
        if memory:
            sys.path.insert(0, str(REPO / "benchmarks"))
            from bench_memory import bench_lookup

            lines += ["", "Translation memory lookup (`benchmarks/bench_memory.py`):", ""]
            lines += [f"    {bench_lookup(size, 300, Path(tmp))}" for size in memory]
    table = "\n".join(lines) + "\n"
    print(table)
    if args.markdown:
        args.markdown.write_text(table)


if __name__ == "__main__":
    main()
