"""Mutation testing of locflow's logic: would the tests notice a bug?

    nice -n 10 python tools/mutation.py [MODULE …] [--jobs 1] [--lines 40-90]
                                        [--json FILE] [--retest FILE] [--survivors N]

Each mutant is the module with one small change: a comparison or boolean operator
flipped, an arithmetic operator swapped, a number changed, True/False swapped, a
``not`` dropped, or one statement deleted. The module's tests run against every
mutant in a scratch copy of the repository; a mutant is *killed* when they fail (or
hang), and it *survives* when they pass. The score is killed / all. Not part of the
CI test run (minutes per module).

MODULE is a path under src/locflow (default: review.py, catalog/merge.py,
catalog/merge3.py, checks/numbers.py). Which tests run for a module is in TESTS
below: its fast unit tests, not the end-to-end suite, so a module takes minutes.
Changes that cannot alter behaviour are not mutated: docstrings, ``__all__``,
``TYPE_CHECKING`` blocks, ``__main__`` guards, decorators (``frozen=True``: mypy
notices that one).

To save the interpreter and pytest start-up per mutant, the runner imports pytest
and the third-party libraries once and forks a child per mutant; the child imports
locflow from the scratch copy holding the mutant and runs pytest in-process. After
adding tests, ``--retest FILE`` (a ``--json`` file of an earlier run) runs only that
run's survivors again, for each module whose source has not changed since.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import copy
import hashlib
import importlib
import json
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"

# module (relative to src/locflow) -> pytest arguments: the fast unit tests that own it,
# quickest first (pytest stops at the first failure). The timing tests of numbers are
# left out: seconds each, and a mutant rarely makes a regex super-linear.
_NOT_TIMING = ["-k", "not time_grows"]
TESTS: dict[str, list[str]] = {
    "review.py": ["tests/test_review.py", "tests/catalog/test_merge.py"],
    "catalog/merge.py": ["tests/catalog/test_merge.py", "tests/catalog/test_properties.py"],
    "catalog/merge3.py": ["tests/catalog/test_merge3.py"],
    "catalog/pofile.py": ["tests/catalog/test_pofile.py", "tests/catalog/test_properties.py"],
    "catalog/reader.py": ["tests/catalog/test_reader.py", "tests/catalog/test_reader_fast.py",
                          "tests/catalog/test_pofile.py",
                          "tests/catalog/test_corpus_fidelity.py",
                          "tests/catalog/test_properties.py"],
    "catalog/writer.py": ["tests/catalog/test_writer.py", "tests/catalog/test_pofile.py",
                          "tests/catalog/test_corpus_fidelity.py",
                          "tests/catalog/test_properties.py"],
    "catalog/storage.py": ["tests/catalog/test_storage.py", "tests/catalog/test_pofile.py"],
    "catalog/driver.py": ["tests/catalog/test_driver.py"],
    "catalog/entry.py": ["tests/catalog/test_entry.py", "tests/catalog/test_pofile.py",
                         "tests/catalog/test_properties.py"],
    "checks/numbers.py": ["tests/checks/test_numbers.py", *_NOT_TIMING],
    "checks/content.py": ["tests/checks/test_content_checks.py"],
    "checks/__init__.py": ["tests/checks/test_catalog_checks.py", "tests/checks/test_baseline.py",
                           "tests/checks/test_content_checks.py", "tests/checks/test_report.py"],
    "checks/report.py": ["tests/checks/test_report.py", "tests/checks/test_baseline.py"],
    "filecache.py": ["tests/test_filecache.py"],
    "parallel.py": ["tests/test_parallel.py"],
    "publish/gate.py": ["tests/publish/test_gate.py"],
    "approvals.py": ["tests/test_approvals.py"],
    "trust.py": ["tests/test_trust.py"],
    "paths.py": ["tests/test_paths.py"],
    "mt/mask.py": ["tests/mt/test_mask.py"],
    "derived.py": ["tests/test_derived.py"],
    "publish/converted.py": ["tests/e2e/test_derived_cli.py"],
}
DEFAULT = ["review.py", "catalog/merge.py", "catalog/merge3.py", "checks/numbers.py"]
TIMEOUT = 60  # seconds per mutant; a hang counts as killed
# imported once in the parent, so that each forked child only imports locflow (not
# hypothesis: a pytest plugin, it must be imported by pytest to be assertion-rewritten)
_PRELOAD = ("pytest", "polib", "rapidfuzz", "rapidfuzz.process", "babel",
            "babel.numbers", "markdown_it", "yaml", "click", "click.testing", "jinja2", "nh3")

_FLIPS: dict[type, type] = {
    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Lt: ast.GtE, ast.GtE: ast.Lt,
    ast.Gt: ast.LtE, ast.LtE: ast.Gt, ast.In: ast.NotIn, ast.NotIn: ast.In,
    ast.Is: ast.IsNot, ast.IsNot: ast.Is, ast.And: ast.Or, ast.Or: ast.And,
    ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.FloorDiv, ast.FloorDiv: ast.Mult,
    ast.Div: ast.Mult,
}


@dataclass(frozen=True)
class Mutant:
    module: str
    index: int  # position of the node in ast.walk order
    line: int
    change: str


def _skipped_lines(tree: ast.Module) -> set[int]:
    """Lines where a change means nothing to behaviour: docstrings, ``__all__``,
    ``TYPE_CHECKING`` imports, the ``__main__`` guard, decorators."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and any(
            word in ast.unparse(node.test) for word in ("TYPE_CHECKING", "__main__")
        ):
            skip.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and "__all__" in ast.unparse(node):
            skip.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
        # decorators declare (``@dataclass(frozen=True)``): mypy, not a test, notices a change
        for decorator in getattr(node, "decorator_list", ()):
            skip.update(range(decorator.lineno, (decorator.end_lineno or decorator.lineno) + 1))
        body = getattr(node, "body", None)
        if (isinstance(body, list) and body and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)):
            first = body[0]
            skip.update(range(first.lineno, (first.end_lineno or first.lineno) + 1))
    return skip


def mutations(
    tree: ast.Module, lines: tuple[int, int] | None = None
) -> Iterator[tuple[int, ast.AST, str]]:
    """(walk index, node, description) of every mutation point (within *lines*, if given)."""
    skip = _skipped_lines(tree)
    for index, node in enumerate(ast.walk(tree)):
        line = getattr(node, "lineno", 0)
        if line in skip or (lines is not None and not lines[0] <= line <= lines[1]):
            continue
        if isinstance(node, ast.Compare):
            for op in node.ops:
                if type(op) in _FLIPS:
                    yield index, node, f"{type(op).__name__} -> {_FLIPS[type(op)].__name__}"
                    break
        elif isinstance(node, (ast.BoolOp, ast.BinOp)) and type(node.op) in _FLIPS:
            yield index, node, f"{type(node.op).__name__} -> {_FLIPS[type(node.op)].__name__}"
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            yield index, node, "drop not"
        elif isinstance(node, ast.Constant) and type(node.value) in (int, float, bool):
            yield index, node, f"constant {node.value!r} changed"
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.Expr, ast.Return, ast.Raise,
                               ast.Continue, ast.Break)) and not isinstance(
                                   getattr(node, "value", None), ast.Constant):
            yield index, node, f"delete {type(node).__name__.lower()} statement"


def apply(tree: ast.Module, index: int) -> ast.Module:
    """A copy of *tree* with the mutation at walk position *index* applied."""
    mutated = copy.deepcopy(tree)
    node = list(ast.walk(mutated))[index]
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            if type(op) in _FLIPS:
                node.ops[i] = _FLIPS[type(op)]()
                break
    elif isinstance(node, (ast.BoolOp, ast.BinOp)):
        node.op = _FLIPS[type(node.op)]()
    elif isinstance(node, ast.UnaryOp):
        _replace(mutated, node, node.operand)
    elif isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool):
            node.value = not value
        elif isinstance(value, (int, float)):
            node.value = value + 1 if value != 1 else 0
    else:
        _replace(mutated, node, ast.Pass())
    return ast.fix_missing_locations(mutated)


def _replace(tree: ast.AST, old: ast.AST, new: ast.AST) -> None:
    for parent in ast.walk(tree):
        for name, value in ast.iter_fields(parent):
            if value is old:
                setattr(parent, name, new)
                return
            if isinstance(value, list) and any(item is old for item in value):
                setattr(parent, name, [new if item is old else item for item in value])
                return


def _preload() -> None:
    for name in _PRELOAD:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    if any(name == "locflow" or name.startswith("locflow.") for name in sys.modules):
        sys.exit("locflow was imported before forking: the mutants would not be loaded")


def _child(workdir: Path, tests: list[str]) -> None:
    """In the forked child: run *tests* against the copy in *workdir*; never returns."""
    code = 3
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.chdir(workdir)
        sys.path.insert(0, str(workdir / "src"))
        sys.path.insert(0, str(workdir))
        os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
        sys.dont_write_bytecode = True
        import pytest

        code = int(pytest.main(["-x", "-q", "-p", "no:cacheprovider",
                                "-W", "ignore::DeprecationWarning", *tests]))
        import locflow

        if not Path(locflow.__file__).resolve().is_relative_to(workdir.resolve()):
            code = 4  # the mutant was not what ran
    finally:
        os._exit(code)


def run_tests(workdir: Path, tests: list[str]) -> bool:
    """True when the tests pass (the mutant survives); a child past TIMEOUT is killed."""
    pid = os.fork()
    if pid == 0:
        _child(workdir, tests)
    deadline = time.monotonic() + TIMEOUT
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return False
        time.sleep(0.02)
    code = os.waitstatus_to_exitcode(status)
    if code == 4:
        sys.exit(f"{workdir}: the tests imported locflow from elsewhere")
    return code == 0


def scratch_copy(parent: Path, n: int) -> Path:
    target = parent / f"work{n}"
    shutil.copytree(REPO, target, ignore=shutil.ignore_patterns(
        ".git", ".venv", "dist", "__pycache__", ".mypy_cache", ".ruff_cache", "*.egg-info"))
    return target


def score_module(
    module: str, copies: list[Path], lines: tuple[int, int] | None = None,
    only: set[int] | None = None,
) -> tuple[list[Mutant], list[Mutant]]:
    """Every mutant of *module* (on *lines*, if given) and the ones that survived its tests.

    With *only* (walk indexes), just those mutants run; the others count as killed.
    """
    tests = TESTS.get(module)
    if tests is None:
        sys.exit(f"no tests listed for {module} in TESTS")
    source = (SRC / "locflow" / module).read_text()
    tree = ast.parse(source)
    if not run_tests(copies[0], tests):
        sys.exit(f"the tests of {module} fail without any mutant")
    mutants = [Mutant(module, i, getattr(n, "lineno", 0), what)
               for i, n, what in mutations(tree, lines)]
    free = list(copies)

    def survives(mutant: Mutant) -> bool:
        workdir = free.pop()
        target = workdir / "src" / "locflow" / module
        try:
            target.write_text(ast.unparse(apply(tree, mutant.index)))
            return run_tests(workdir, tests)
        finally:
            target.write_text(source)
            free.append(workdir)

    chosen = [m for m in mutants if only is None or m.index in only]
    with ThreadPoolExecutor(len(copies)) as pool:
        alive = list(pool.map(survives, chosen))
    return mutants, [m for m, a in zip(chosen, alive, strict=True) if a]


def source_digest(module: str) -> str:
    return hashlib.sha256((SRC / "locflow" / module).read_bytes()).hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("modules", nargs="*", default=DEFAULT)
    parser.add_argument("--jobs", type=int, default=1, help="mutants tested at once")
    parser.add_argument("--lines", help="only mutate lines FIRST-LAST (e.g. 120-180)")
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--retest", type=Path, help="a --json file of an earlier run: only its "
                        "survivors run again, for modules whose source is unchanged since")
    parser.add_argument("--survivors", type=int, default=20, help="how many to list per module")
    args = parser.parse_args()
    earlier = json.loads(args.retest.read_text()) if args.retest else {}
    lines = None
    if args.lines:
        first, _, last = args.lines.partition("-")
        lines = (int(first), int(last or first))
    _preload()
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        copies = [scratch_copy(Path(tmp), n) for n in range(args.jobs)]
        for module in args.modules:
            started = time.monotonic()
            before = earlier.get(module)
            only = None
            if before is not None and before.get("source") == source_digest(module):
                only = {m["index"] for m in before["survivors"]}
            mutants, survived = score_module(module, copies, lines, only)
            score = 100 * (1 - len(survived) / len(mutants)) if mutants else 100.0
            print(f"{module}: {len(mutants)} mutants, {len(mutants) - len(survived)} killed, "
                  f"score {score:.1f} % ({time.monotonic() - started:.0f} s)", flush=True)
            text = (SRC / "locflow" / module).read_text().splitlines()
            for mutant in sorted(survived, key=lambda m: m.line)[: args.survivors]:
                print(f"  survived: line {mutant.line}: {mutant.change}: "
                      f"{text[mutant.line - 1].strip()[:70]}")
            results[module] = {"mutants": len(mutants), "killed": len(mutants) - len(survived),
                               "score": round(score, 1), "source": source_digest(module),
                               "survivors": [asdict(m) for m in survived]}
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
