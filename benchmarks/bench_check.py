"""Time ``locflow check`` over the whole shared corpus against ``pofilter`` on the same files.

Usage: python benchmarks/bench_check.py [--repeat N]

locflow is timed in-process (parse every catalog with locflow's parser, run every
check, render JSON); pofilter runs as it would in CI, one process per corpus
group (it takes one --language per run), with its default tests. Best of N runs.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from _corpus import CORPUS, GROUPS, po_files


def run_locflow() -> tuple[float, int, int]:
    from locflow.catalog import pofile
    from locflow.checks import run_checks
    from locflow.checks.report import render
    from locflow.review import entry_state

    start = time.perf_counter()
    files = po_files()
    catalogs = ((pofile.load(p), str(p.relative_to(CORPUS)), loc, None) for p, loc in files)
    report = run_checks(catalogs, state_of=entry_state)
    render(report.findings, report.summary(), "json")
    return time.perf_counter() - start, report.entries_checked, len(report.findings)


def run_pofilter() -> float:
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        for group, locale in GROUPS:
            Path(out, group).parent.mkdir(parents=True, exist_ok=True)
            subprocess.run(
                ["pofilter", f"--language={locale}", "--progress=none", "-i",
                 str(CORPUS / group), "-o", f"{out}/{group}"],
                check=True, capture_output=True,
            )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    n_files = len(po_files())
    size = sum(p.stat().st_size for p, _ in po_files()) / 1e6
    print(f"corpus: {n_files} PO files, {size:.1f} MB")
    results = [run_locflow() for _ in range(args.repeat)]
    best = min(r[0] for r in results)
    _, entries, findings = results[0]
    print(f"locflow check: {best:.2f} s best of {args.repeat} "
          f"({entries} active entries, {findings} findings, {entries / best:,.0f} entries/s)")
    if shutil.which("pofilter") is None:
        print("pofilter: not installed (pip install translate-toolkit)")
        return
    pof = min(run_pofilter() for _ in range(args.repeat))
    print(f"pofilter (default tests): {pof:.2f} s best of {args.repeat}")
    print(f"ratio pofilter/locflow: {pof / best:.1f}x")


if __name__ == "__main__":
    main()
