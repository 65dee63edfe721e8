"""Mutation testing of locflow's logic: would the tests notice a bug?

    python tools/mutation.py [MODULE …] [--jobs 2] [--json FILE] [--survivors N]

Each mutant is the module with one small change: a comparison or boolean operator
flipped, an arithmetic operator swapped, a number changed, True/False swapped, a
``not`` dropped, or one statement deleted. The module's tests run against every
mutant in a scratch copy of the repository; a mutant is *killed* when they fail (or
hang), and it *survives* when they pass. The score is killed / all. Not part of the
CI test run (minutes per module).

MODULE is a path under src/ (default: review.py, catalog/merge.py, checks/numbers.py
and the other modules of review, catalog and checks). Which tests run for a module is
in TESTS below.
"""

from __future__ import annotations

import argparse
import ast
import copy
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"

# module (relative to src/locflow) -> the tests that own it
TESTS: dict[str, list[str]] = {
    "review.py": ["tests/test_review.py", "tests/e2e/test_sync_review_cli.py"],
    "catalog/merge.py": ["tests/catalog/test_merge.py", "tests/catalog/test_properties.py"],
    "catalog/pofile.py": ["tests/catalog/test_pofile.py", "tests/catalog/test_properties.py"],
    "checks/numbers.py": ["tests/checks/test_numbers.py"],
    "checks/content.py": ["tests/checks/test_content_checks.py"],
    "checks/__init__.py": ["tests/checks"],
    "checks/report.py": ["tests/checks/test_report.py"],
}
DEFAULT = ["review.py", "catalog/merge.py", "checks/numbers.py"]
TIMEOUT = 120  # seconds per mutant; a hang counts as killed

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
    """Lines where a change means nothing to behaviour: docstrings, annotations-only code."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
        body = getattr(node, "body", None)
        if (isinstance(body, list) and body and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)):
            first = body[0]
            skip.update(range(first.lineno, (first.end_lineno or first.lineno) + 1))
    return skip


def mutations(tree: ast.Module) -> Iterator[tuple[int, ast.AST, str]]:
    """(walk index, node, description) of every mutation point."""
    skip = _skipped_lines(tree)
    for index, node in enumerate(ast.walk(tree)):
        line = getattr(node, "lineno", 0)
        if line in skip:
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
        node.value = (not value) if isinstance(value, bool) else (value + 1 if value != 1 else 0)
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


def run_tests(workdir: Path, tests: list[str]) -> bool:
    """True when the tests pass (the mutant survives)."""
    env = {**os.environ, "PYTHONPATH": str(workdir / "src"), "PYTHONDONTWRITEBYTECODE": "1"}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
             "-W", "ignore::DeprecationWarning", *tests],
            cwd=workdir, env=env, capture_output=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        return False
    return done.returncode == 0


def scratch_copy(parent: Path, n: int) -> Path:
    target = parent / f"work{n}"
    shutil.copytree(REPO, target, ignore=shutil.ignore_patterns(
        ".git", ".venv", "dist", "__pycache__", ".mypy_cache", ".ruff_cache", "*.egg-info"))
    return target


def score_module(module: str, copies: list[Path]) -> tuple[list[Mutant], list[Mutant]]:
    """Every mutant of *module* and the ones that survived its tests."""
    tests = TESTS.get(module)
    if tests is None:
        sys.exit(f"no tests listed for {module} in TESTS")
    source = (SRC / "locflow" / module).read_text()
    tree = ast.parse(source)
    if not run_tests(copies[0], tests):
        sys.exit(f"the tests of {module} fail without any mutant")
    mutants = [Mutant(module, i, getattr(n, "lineno", 0), what) for i, n, what in mutations(tree)]
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

    with ThreadPoolExecutor(len(copies)) as pool:
        alive = list(pool.map(survives, mutants))
    return mutants, [m for m, a in zip(mutants, alive, strict=True) if a]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("modules", nargs="*", default=DEFAULT)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--survivors", type=int, default=20, help="how many to list per module")
    args = parser.parse_args()
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        copies = [scratch_copy(Path(tmp), n) for n in range(args.jobs)]
        for module in args.modules:
            mutants, survived = score_module(module, copies)
            score = 100 * (1 - len(survived) / len(mutants)) if mutants else 100.0
            print(f"{module}: {len(mutants)} mutants, {len(mutants) - len(survived)} killed, "
                  f"score {score:.1f} %", flush=True)
            for mutant in survived[: args.survivors]:
                print(f"  survived: line {mutant.line}: {mutant.change}")
            results[module] = {"mutants": len(mutants), "killed": len(mutants) - len(survived),
                               "score": round(score, 1),
                               "survivors": [asdict(m) for m in survived]}
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
