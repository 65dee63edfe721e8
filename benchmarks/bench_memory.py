"""Translation memory: lookup speed at 10k and 100k segments, and sentence-level leverage.

    python benchmarks/bench_memory.py [--sizes 10000 100000] [--queries 300] [--lookup-only]

1. **Lookup.** A memory of N generated segments (1-4 sentences of Zipf-distributed
   words, as natural text is) is indexed in one transaction, as a refresh does; then
   the lookups a sync and the review desk make are timed, each kind --queries times:
   a paragraph with about one word in eight replaced (a fuzzy match at 75 %), a new
   paragraph (most of a sync's lookups find nothing), one edited sentence (sentence
   pre-fill), and a paragraph with two words in eight replaced looked up from 50 %, five
   results (``locflow memory search``, the desk). Reported: index build time, exact
   lookup, and per kind and overall the p50, p95 and p99 of each lookup's wall time
   (and of its CPU time: on a busy machine the steadier figure), and recall against a
   full rapidfuzz scan over every segment for --recall lookups of each kind (the best
   score the scan finds, the index finds too).
2. **Leverage.** A generated news desk: 200 translated and approved articles, then
   100 new ones. Articles share sentences (background, boilerplate, quotes), often
   lightly edited, and rarely a whole paragraph; some translators merge two
   sentences (no alignment). Reported: the share of the new articles' source text
   the memory pre-fills with whole-paragraph matching only, and with sentence
   matching added.
3. **Sync.** A project of those 200 approved articles (one target locale): the
   time ``locflow sync`` takes to add one new article with memory pre-fill (the
   first time the index is built from every catalog; then it is only brought up
   to date) and without.
4. **Real translations** (when the shared corpus is there): how many translated
   multi-sentence entries of real projects have as many sentences in the
   translation as in the source, i.e. give sentence memories; and the leverage
   when every other block of 50 entries is the memory and the rest is new.
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import tempfile
import time
from pathlib import Path

from _corpus import CORPUS
from rapidfuzz import fuzz, process

from locflow.catalog.pofile import Entry
from locflow.memory.formats import Pair, units_of
from locflow.memory.prefill import PrefillSettings, prefill_entry
from locflow.memory.store import MemoryStore, Origin, Unit
from locflow.provenance import provenance
from locflow.sentences import split_sentences


class Words:
    """Zipf-distributed made-up words: a few very common, most rare, like real prose."""

    def __init__(self, rng: random.Random, size: int = 30_000) -> None:
        self.rng = rng
        letters = "abcdefghijklmnoprstuvwy"
        self.vocabulary = [
            "".join(rng.choice(letters) for _ in range(rng.randint(2, 9))) for _ in range(size)
        ]
        self.cumulative = list(itertools.accumulate(1 / (k + 1) ** 1.07 for k in range(size)))

    def sentence(self) -> str:
        n = self.rng.randint(6, 26)
        words = self.rng.choices(self.vocabulary, cum_weights=self.cumulative, k=n)
        return " ".join(words).capitalize() + "."

    def edit(self, text: str) -> str:
        words = text.rstrip(".").split()
        for _ in range(max(1, len(words) // 8)):
            words[self.rng.randrange(len(words))] = self.rng.choice(self.vocabulary[:5000])
        return " ".join(words).capitalize() + "."


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def lookup_queries(rng: random.Random, words: Words, texts: list[str],
                   queries: int) -> dict[str, tuple[float, int, list[str]]]:
    """The lookups a sync and the review desk make, by kind: (threshold, limit, texts)."""
    sentences = [s for t in rng.sample(texts, queries) for s in split_sentences(t, "en")[:1]]
    return {
        # a paragraph edited since it was translated: a fuzzy whole-entry match
        "edited": (75.0, 1, [words.edit(t) for t in rng.sample(texts, queries)]),
        # a new paragraph: most lookups of a sync find nothing
        "new": (75.0, 1, [" ".join(words.sentence() for _ in range(rng.randint(1, 4)))
                          for _ in range(queries)]),
        # one sentence of an edited paragraph (sentence pre-fill), among whole texts
        "sentence": (75.0, 1, [words.edit(s) for s in sentences]),
        # `locflow memory search` and the desk: similar texts from 50 %, five of them
        "similar 50%": (50.0, 5, [words.edit(words.edit(t)) for t in rng.sample(texts, queries)]),
    }


def bench_lookup(size: int, queries: int, folder: Path, recall_queries: int = 100) -> str:
    """Index *size* segments; time *queries* lookups of each kind (wall and CPU per lookup:
    p50, p95, p99) and compare the best match of *recall_queries* of each with a full scan
    over every segment (the scan's best score, the index finds too)."""
    rng = random.Random(size)
    words = Words(rng)
    texts = sorted(
        {" ".join(words.sentence() for _ in range(rng.randint(1, 4))) for _ in range(size)}
    )
    store = MemoryStore(folder / f"memory-{size}.sqlite3")
    start = time.perf_counter()
    with store.batch():
        for i in range(0, len(texts), 5000):
            batch = texts[i : i + 5000]
            store.replace(
                Origin(f"file-{i}.po", "catalog", f"article-{i}", 0, 0, str(i)),
                [Unit(t, t[::-1], "es", approved=True) for t in batch],
            )
    build = time.perf_counter() - start

    exact_times = []
    for text in rng.sample(texts, queries):
        start = time.perf_counter()
        store.exact(text, "es")
        exact_times.append(time.perf_counter() - start)

    ms = 1000
    lines = [f"{len(texts):>7,} segments: index built in {build:.1f} s; "
             f"exact median {statistics.median(exact_times) * ms:.2f} ms"]
    every: list[float] = []
    every_cpu: list[float] = []
    hits = total = 0
    for kind, (threshold, limit, asked) in lookup_queries(rng, words, texts, queries).items():
        wall: list[float] = []
        cpu: list[float] = []
        found = []
        for query in asked:
            start, clock = time.perf_counter(), time.process_time()
            found.append(store.search(query, "es", min_score=threshold, limit=limit))
            wall.append(time.perf_counter() - start)
            cpu.append(time.process_time() - clock)
        every += wall
        every_cpu += cpu
        scan: list[float] = []
        kind_hits = kind_total = 0
        for query, matches in list(zip(asked, found, strict=True))[:recall_queries]:
            start = time.perf_counter()
            best = process.extractOne(query, texts, scorer=fuzz.ratio, score_cutoff=threshold)
            scan.append(time.perf_counter() - start)
            if best is None:
                continue
            kind_total += 1
            want = 100.0 if best[0] == query else min(best[1], 99.9)
            kind_hits += bool(matches) and matches[0].score >= want - 0.01
        hits, total = hits + kind_hits, total + kind_total
        lines.append(
            f"  {kind:<12} p50 {statistics.median(wall) * ms:5.2f} ms  "
            f"p95 {percentile(wall, 0.95) * ms:5.2f} ms  p99 {percentile(wall, 0.99) * ms:5.2f} ms"
            f"  (CPU p50 {statistics.median(cpu) * ms:4.2f}, p99 {percentile(cpu, 0.99) * ms:4.2f}"
            f" ms)  full scan {statistics.median(scan) * ms:6.1f} ms  "
            f"recall {kind_hits}/{kind_total}")
    store.close()
    lines.append(
        f"  {'every lookup':<12} p50 {statistics.median(every) * ms:5.2f} ms  "
        f"p95 {percentile(every, 0.95) * ms:5.2f} ms  p99 {percentile(every, 0.99) * ms:5.2f} ms"
        f"  (CPU p50 {statistics.median(every_cpu) * ms:4.2f}, "
        f"p99 {percentile(every_cpu, 0.99) * ms:4.2f} ms)  recall {hits}/{total}")
    text = "\n".join(lines)
    print(text, flush=True)
    return text


def news_desk(rng: random.Random, words: Words, articles: int) -> list[list[str]]:
    """Articles as lists of paragraphs that share sentences the way news copy does."""
    background = [words.sentence() for _ in range(400)]  # recurring background and quotes
    boilerplate = [words.sentence() for _ in range(20)]  # agency lines, disclaimers
    paragraphs_seen: list[str] = []
    out = []
    for _ in range(articles):
        body = []
        for _ in range(rng.randint(8, 14)):
            if paragraphs_seen and rng.random() < 0.03:
                body.append(rng.choice(paragraphs_seen))  # a whole paragraph again
                continue
            sentences = []
            for _ in range(rng.randint(1, 4)):
                draw = rng.random()
                if draw < 0.03:
                    sentences.append(rng.choice(boilerplate))
                elif draw < 0.18:
                    sentence = rng.choice(background)
                    sentences.append(words.edit(sentence) if rng.random() < 0.3 else sentence)
                else:
                    sentences.append(words.sentence())
            body.append(" ".join(sentences))
        paragraphs_seen += body
        out.append(body)
    return out


def translate(paragraph: str, rng: random.Random) -> str:
    """A pseudo-translation with the source's sentence boundaries (a translator sometimes
    merges two sentences, which leaves the paragraph unaligned)."""
    sentences = [" ".join(w[::-1] for w in s.rstrip(".").split()).capitalize() + "."
                 for s in split_sentences(paragraph, "en")]
    if len(sentences) > 1 and rng.random() < 0.1:
        sentences[0:2] = [sentences[0].rstrip(".") + ", " + sentences[1].lower()]
    return " ".join(sentences)


def bench_leverage() -> None:
    rng = random.Random(8)
    words = Words(rng)
    desk = news_desk(rng, words, 300)
    old, new = desk[:200], desk[200:]
    store = MemoryStore(":memory:")
    for n, body in enumerate(old):
        pairs = [Pair(p, translate(p, rng), "es", True, None, 0) for p in body]
        store.replace(
            Origin(f"a{n}.po", "catalog", f"a{n}", 0, 0, str(n)),
            units_of(pairs, "en", sentences_of_all=False),
        )
    paragraphs = [p for body in new for p in body]
    for label, sentences in (("whole paragraphs only", False), ("with sentences", True)):
        start = time.perf_counter()
        filled, share = coverage(store, paragraphs, "es", sentences)
        print(
            f"{label:<22} {filled:>5}/{len(paragraphs)} paragraphs pre-filled, "
            f"{share:5.1f}% of the source text  ({time.perf_counter() - start:.1f} s)"
        )


def bench_sync() -> None:
    from locflow.catalog import pofile
    from locflow.config import Project
    from locflow.pipeline import sync
    from locflow.review import approve

    rng = random.Random(8)
    words = Words(rng)
    desk = news_desk(rng, words, 203)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "content").mkdir()
        (root / "locflow.toml").write_text('[project]\ntarget_locales = ["es"]\n')

        def write(n: int) -> None:
            body = "\n\n".join(desk[n])
            (root / "content" / f"a{n:03d}.md").write_text(
                f"---\ntitle: Article {n}\ndate: 2024-11-04\n---\n\n{body}\n"
            )

        for n in range(200):
            write(n)
        project = Project.load(root)
        sync(project, memory=False)
        for path in sorted((root / "locales/es/articles").glob("*.po")):
            with pofile.edit(path) as catalog:
                for entry in catalog.active():
                    entry.msgstr = translate(entry.msgid, rng)
                    approve(entry, "bench", "2024-11-05")
        for n, label in (
            (200, "with memory, index built from 200 catalogs"),
            (201, "with memory, index brought up to date"),
            (202, "without memory"),
        ):
            write(n)
            start = time.perf_counter()
            result = sync(project, only=[f"a{n:03d}"], memory=n != 202)
            elapsed = time.perf_counter() - start
            filled = sum(c.memory.total for c in result.catalogs if c.memory)
            print(f"sync of one new article, {label:<44} {elapsed:5.2f} s ({filled} pre-filled)")


def coverage(
    store: MemoryStore, entries: list[str], locale: str, sentences: bool
) -> tuple[int, float]:
    """Entries pre-filled and the share of their source text the memory covered."""
    settings = PrefillSettings(sentences=sentences)
    covered = 0
    filled = 0
    for paragraph in entries:
        entry = Entry(msgid=paragraph, msgstr="")
        kind = prefill_entry(entry, store, locale, settings, "2024-11-05")
        if kind is None:
            continue
        filled += 1
        if kind != "sentences":
            covered += len(paragraph)
            continue
        found = provenance(entry)
        assert found is not None
        numbers, _, _ = found.notes[0].removeprefix("sentences ").partition("/")
        parts = split_sentences(paragraph, "en")
        covered += sum(len(parts[int(i) - 1]) for i in numbers.split(","))
    return filled, 100 * covered / max(1, sum(len(p) for p in entries))


def bench_real() -> None:
    from locflow.catalog import pofile
    from locflow.errors import CatalogError

    groups = [
        ("python-docs-es", "es"),
        ("python-docs-zh-cn", "zh_Hans"),
        ("gnome-user-docs/gnome-help/es", "es"),
        ("gnome-user-docs/gnome-help/zh_CN", "zh_Hans"),
    ]
    for group, locale in groups:
        multi = agree = 0
        pairs: list[tuple[str, str]] = []
        for path in sorted((CORPUS / group).rglob("*.po")):
            try:
                catalog = pofile.load(path)
            except CatalogError:
                continue
            for entry in catalog.active():
                if entry.msgid_plural or not entry.msgstr or "fuzzy" in entry.flags:
                    continue
                pairs.append((entry.msgid, entry.msgstr))
                count = len(split_sentences(entry.msgid, "en"))
                if count > 1:
                    multi += 1
                    agree += len(split_sentences(entry.msgstr, locale)) == count
        if not multi:
            continue
        store = MemoryStore(":memory:")
        old = [
            Pair(s, t, locale, True, None, 0) for i, (s, t) in enumerate(pairs) if i // 50 % 2 == 0
        ]
        new = [s for i, (s, _) in enumerate(pairs) if i // 50 % 2 == 1]
        store.replace(
            Origin("old", "catalog", "old", 0, 0, ""), units_of(old, "en", sentences_of_all=False)
        )
        whole = coverage(store, new, locale, False)
        both = coverage(store, new, locale, True)
        print(
            f"{group:<34} aligned {agree:>5}/{multi} ({100 * agree / multi:.0f}%); "
            f"pre-filled {whole[1]:4.1f}% of the text with paragraphs, "
            f"{both[1]:4.1f}% with sentences"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=300, help="lookups of each kind")
    parser.add_argument("--recall", type=int, default=100,
                        help="lookups of each kind compared with a full scan")
    parser.add_argument("--lookup-only", action="store_true")
    args = parser.parse_args()
    print("== lookup (wall time per lookup; recall against a full scan)")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            bench_lookup(size, args.queries, Path(tmp), args.recall)
    if args.lookup_only:
        return
    print("\n== leverage: 200 approved articles, 100 new ones")
    bench_leverage()
    print("\n== sync: one new article in a project of 200 approved articles")
    bench_sync()
    if CORPUS.is_dir():
        print("\n== real translations: alignment, leverage (half the entries as memory)")
        bench_real()


if __name__ == "__main__":
    main()
