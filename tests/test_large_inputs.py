"""Large inputs: 100,000 entries in one catalog, a 1 MB paragraph, a 50 MB catalog.
Nothing is quadratic; memory stays within a small multiple of the input.

Each test times the same work at size n and 4n (best of three, in CPU time, so a busy machine does
not decide) and requires the cost to grow less than 10x: linear work grows 4x,
quadratic work 16x. These are growth assertions, not speed targets; the speed figures
live in benchmarks/run.py.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from locflow.catalog import pofile
from locflow.checks import CheckContext, check_entry
from locflow.content import parse_article
from locflow.review import count_states
from locflow.segment import segment_article

GROWTH_LIMIT = 10.0


def best_of_three(func: Callable[[], object]) -> float:
    times = []
    for _ in range(3):
        start = time.process_time()
        func()
        times.append(time.process_time() - start)
    return min(times)


def assert_linear(work: Callable[[int], Callable[[], object]], n: int) -> None:
    small, large = best_of_three(work(n)), best_of_three(work(4 * n))
    assert large < GROWTH_LIMIT * max(small, 1e-3), f"{small:.3f}s -> {large:.3f}s for 4x input"


def catalog_bytes(entries: int) -> bytes:
    header = ('msgid ""\nmsgstr ""\n"Language: es\\n"\n'
              '"Content-Type: text/plain; charset=UTF-8\\n"\n\n')
    body = "".join(
        f'#. paragraph\nmsgid "Paragraph {i} says {i * 7} people came."\n'
        f'msgstr "El párrafo {i} dice que vinieron {i * 7} personas."\n\n'
        for i in range(entries))
    return (header + body).encode()


def test_a_catalog_of_100000_entries_parses_counts_and_writes_in_linear_time() -> None:
    data = catalog_bytes(100_000)
    catalog = pofile.parse(data, "big.po")
    assert len(catalog.entries) == 100_000
    assert count_states(catalog.active()).translated == 100_000
    assert pofile.dump(catalog) == data

    def work(n: int) -> Callable[[], object]:
        blob = catalog_bytes(n)
        return lambda: pofile.dump(pofile.parse(blob, "big.po"))

    assert_linear(work, 4_000)


def test_one_changed_entry_in_a_big_catalog_is_written_alone() -> None:
    catalog = pofile.parse(catalog_bytes(20_000), "big.po")
    catalog.entries[10_000].msgstr = "cambiado"
    out = pofile.dump(catalog).decode()
    assert out.count('msgstr "cambiado"') == 1


def paragraph(size: int) -> str:
    sentence = "The council voted 7-2 on Tuesday to spend $4.2 million on [roads](https://x.org). "
    return (sentence * (size // len(sentence) + 1))[:size].strip()


def test_a_one_megabyte_paragraph_segments_and_checks_in_linear_time(tmp_path: Path) -> None:
    text = paragraph(1_000_000)
    article = parse_article(
        f"---\ntitle: Big\ndate: 2024-11-04\n---\n\n{text}\n".encode(), tmp_path / "big.md")
    segments = segment_article(article)
    assert sum(len(s.msgid) for s in segments) >= len(text) - 10
    ctx = CheckContext("es")

    def work(n: int) -> Callable[[], object]:
        source = paragraph(n)
        return lambda: check_entry(source, source.replace("voted", "votó"), ctx)

    assert_linear(work, 50_000)

    def segmenting(n: int) -> Callable[[], object]:
        data = f"---\ntitle: Big\ndate: 2024-11-04\n---\n\n{paragraph(n)}\n".encode()
        return lambda: segment_article(parse_article(data, tmp_path / "big.md"))

    assert_linear(segmenting, 50_000)


def test_a_50_megabyte_catalog_is_counted_in_bounded_memory(tmp_path: Path) -> None:
    """``locflow status`` on a 50 MB catalog (110,000 entries of 450 bytes), in a process of
    its own: it finishes, counts every entry, and its peak memory stays within a small
    multiple of the file (the catalog is held once, not copied per stage)."""
    import os
    import subprocess
    import sys

    pad = "x" * 200
    path = tmp_path / "big.po"
    with path.open("w", encoding="utf-8") as out:
        out.write('msgid ""\nmsgstr ""\n"Language: es\\n"\n'
                  '"Content-Type: text/plain; charset=UTF-8\\n"\n\n')
        for i in range(110_000):
            out.write(f'#. paragraph\nmsgid "Paragraph {i} says {i * 7} people came. {pad}"\n'
                      f'msgstr "El párrafo {i} dice que vinieron {i * 7} personas. {pad}"\n\n')
    size = path.stat().st_size
    assert size > 50_000_000
    # os.wait4 reports this child's own peak: RUSAGE_CHILDREN is the largest of every child
    # this test process ever reaped (a browser or server from an earlier test included).
    # The child is started by a small Python process, which reports it: Linux keeps the peak
    # of the memory a process had before exec, and a child started straight from this
    # test process (hundreds of MB after the suite's earlier tests) would report that.
    probe = ("import os, subprocess, sys; child = subprocess.Popen(sys.argv[2:]); "
             "_, status, usage = os.wait4(child.pid, 0); open(sys.argv[1], 'w').write("
             "f'{os.waitstatus_to_exitcode(status)} {usage.ru_maxrss}')")
    out_path, err_path = tmp_path / "status.json", tmp_path / "status.err"
    report = tmp_path / "peak.txt"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        subprocess.run([sys.executable, "-c", probe, str(report), sys.executable, "-m", "locflow",
                        "status", "--format", "json", str(path)], stdout=out, stderr=err,
                       env={**os.environ, "LOCFLOW_JOBS": "1"}, check=True)
    returncode, maxrss = (int(n) for n in report.read_text(encoding="utf-8").split())
    assert returncode == 0, err_path.read_text(encoding="utf-8")
    assert '"translated": 110000' in out_path.read_text(encoding="utf-8")
    peak = maxrss * 1024  # KiB on Linux
    assert peak < 12 * size, f"{peak / 1e6:.0f} MB for a {size / 1e6:.0f} MB catalog"


def test_a_translation_of_footnote_openers_renders_in_linear_time() -> None:
    """The footnote plugin read from every ``[^`` to the next stop: a translation of
    ``[^[^[^…`` (16 kB) took 13 s to build. Found by the structure checks' work (issue 19)."""
    from locflow.publish.render import render_body

    article = "Text[^1].\n\n[^1]: A note.\n"

    def work(unit: str) -> Callable[[int], Callable[[], object]]:
        def sized(n: int) -> Callable[[], object]:
            text = unit * n
            return lambda: render_body(article, {(None, "Text[^1]."): text})
        return sized

    for unit in ("[^", "[^1", "[^ab"):
        assert_linear(work(unit), 2_000)
    shown = render_body(article, {(None, "Text[^1]."): "Texto[^1] y [^otra]."}).html
    assert 'href="#fn1"' in shown and "[^otra]" in shown  # references still work
