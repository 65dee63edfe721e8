"""MT throughput through deep-translator against a local LibreTranslate-compatible server
that takes 50 ms per request: sequential against concurrent, and a re-run from the cache.

    python benchmarks/bench_mt.py [--paragraphs 120] [--latency 0.05]

One generated article (a title and N paragraphs of 3-6 sentences) is synced, then
drafted into one locale by `locflow.pipeline.translate` (masking, splitting, retries,
pool, cache, atomic catalog writes: what `locflow translate` runs) with 1, 2, 4, 8 and
16 requests in flight, each time into a fresh catalog with an empty MT cache. Last,
a run with a warm cache.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path

from locflow.config import Project
from locflow.mt import EngineOptions
from locflow.mt.cache import MTCache
from locflow.mt.run import RetryPolicy
from locflow.pipeline import project_catalogs, sync, translate

REPO = Path(__file__).resolve().parents[1]

WORDS = (
    "council budget vote mayor roads schools police storm market election minister "
    "government report analysis troops economy border trade talks summit court"
).split()


def article(paragraphs: int, rng: random.Random) -> str:
    body = []
    for _ in range(paragraphs):
        sentences = [
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 16))).capitalize()
            + f" in {rng.randint(1990, 2030)}."
            for _ in range(rng.randint(3, 6))
        ]
        body.append(" ".join(sentences))
    return "---\ntitle: Benchmark\ndate: 2024-11-04\n---\n\n" + "\n\n".join(body) + "\n"


def serve(latency: float, pipe: Connection) -> None:
    """The test suite's LibreTranslate double, in its own process (its own GIL)."""
    sys.path.insert(0, str(REPO))
    from tests.mt.libre_server import LibreServer

    server = LibreServer()
    server.behaviour.delay = latency
    pipe.send(server.url)
    pipe.recv()  # until told to stop
    server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--paragraphs", type=int, default=120)
    parser.add_argument("--latency", type=float, default=0.05)
    args = parser.parse_args()
    parent, child = multiprocessing.Pipe()
    process = multiprocessing.Process(target=serve, args=(args.latency, child), daemon=True)
    process.start()
    url = parent.recv()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "content").mkdir()
        (root / "content" / "bench.md").write_text(
            article(args.paragraphs, random.Random(8)), encoding="utf-8")
        (root / "locflow.toml").write_text('[project]\ntarget_locales = ["es"]\n')
        project = Project.load(root)
        options = EngineOptions("libre", url=url, timeout=10)
        catalog = project.article_catalog("es", "bench")
        print(f"{args.paragraphs + 1} entries, {args.latency * 1000:.0f} ms per request")
        print(f"{'in flight':>9}  {'seconds':>8}  {'requests/s':>10}  {'speed-up':>8}")
        baseline = None
        for concurrency in (1, 2, 4, 8, 16):
            catalog.unlink(missing_ok=True)
            sync(project)
            refs = [r for r in project_catalogs(project) if r.article == "bench"]
            cache = MTCache(":memory:")
            started = time.perf_counter()
            result = translate(project, refs, options, concurrency=concurrency, cache=cache,
                               policy=RetryPolicy(retries=0))
            seconds = time.perf_counter() - started
            baseline = baseline or seconds
            print(f"{concurrency:>9}  {seconds:>8.2f}  {result.requests / seconds:>10.1f}  "
                  f"{baseline / seconds:>7.1f}x")
        catalog.unlink()
        sync(project)
        started = time.perf_counter()
        result = translate(project, refs, options, concurrency=4, cache=cache)
        print(f"warm cache: {result.drafted} drafts, {result.requests} requests, "
              f"{time.perf_counter() - started:.2f} s")
    parent.send("stop")
    process.join(5)
    parent.send("stop")
    process.join(5)


if __name__ == "__main__":
    main()
