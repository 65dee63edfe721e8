"""The package's layering: each I/O library has one home and imports point down.

::

    cli
    serve
    pipeline
    publish | corrections
    checks | memory | approvals | derived
    catalog
    review | trust | provenance | content | segment | glossary | mt
    config | sentences
    locales | paths | default_config
    model | errors | escaping | parallel | filecache

A module imports only from its own area or a lower row; areas on one row never
import each other.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "locflow"

# third-party library -> the only places that may import it
HOMES = {
    "click": ("cli",),
    "polib": ("catalog",),
    "jinja2": ("publish", "serve"),
    "markupsafe": ("publish", "serve"),
    "starlette": ("serve",),
    "uvicorn": ("serve",),
    "markdown_it": ("segment", "publish"),
    "mdit_py_plugins": ("segment",),
    "nh3": ("publish", "checks"),
    "rapidfuzz": ("catalog", "memory"),
    "yaml": ("content",),
    "deep_translator": ("mt",),
    "requests": ("mt",),
    "sqlite3": ("mt", "memory"),
    "opencc": ("derived",),
}
RANK = {
    "errors": 0,
    "parallel": 0,  # process pool with ordered results (stdlib only)
    "filecache": 0,  # results kept against file stamps in .locflow/ (stdlib only)
    "model": 0,
    "escaping": 0,
    "locales": 1,
    "paths": 1,
    "config": 2,
    "default_config": 1,  # the commented locflow.toml `init` writes (text only)
    "derived": 5,  # derived locales (zh_Hant from zh_Hans): OpenCC conversion, overrides
    "review": 3,
    "provenance": 3,
    "sentences": 2,
    "content": 3,
    "segment": 3,
    "glossary": 3,
    "mt": 3,
    "trust": 3,  # [review] settings read from the base ref; git run safely
    "catalog": 4,
    "checks": 5,
    "memory": 5,
    "approvals": 5,
    "corrections": 6,  # a change of numbers carried into translations (reads checks.numbers)
    "publish": 6,  # the publishing gate runs the content checks
    "pipeline": 7,
    "serve": 8,
    "cli": 9,
    "__main__": 10,
}


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_statements(path: Path) -> list[tuple[str | None, list[str]]]:
    """The run-time imports of *path* (TYPE_CHECKING blocks left out, imports inside
    functions kept): ``(None, names)`` for ``import names``, ``(module, names)`` for
    ``from module import names`` with a relative module made absolute."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found: list[tuple[str | None, list[str]]] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                for stmt in child.orelse:
                    visit(stmt)
                continue
            if isinstance(child, ast.Import):
                found.append((None, [alias.name for alias in child.names]))
            elif isinstance(child, ast.ImportFrom):
                base = package[: len(package) - child.level + 1] if child.level else []
                module = ".".join([*base, child.module] if child.module else base)
                found.append((module, [alias.name for alias in child.names]))
            visit(child)

    visit(tree)
    return found


def runtime_imports(path: Path) -> list[str]:
    """Absolute names of what *path* imports at run time (TYPE_CHECKING blocks left out)."""
    names: list[str] = []
    for module, imported in import_statements(path):
        if module is None:
            names.extend(imported)
        else:
            names.append(module)
            if module.startswith("locflow"):  # (a relative import: its names may be modules)
                names.extend(f"{module}.{name}" for name in imported)
    return names


MODULES = sorted(p for p in SRC.rglob("*.py"))


def area(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_imports_respect_the_layers(path: Path) -> None:
    module = module_name(path)
    here = area(module)
    for name in runtime_imports(path):
        top = name.split(".")[0]
        if top in HOMES:
            assert here in HOMES[top], f"{module} imports {top}; only {HOMES[top]} may"
        if not name.startswith("locflow."):
            continue
        target = area(name)
        if target == here or not here:
            continue
        assert RANK[target] < RANK[here], f"{module} ({here}) may not import {name} ({target})"


def test_every_area_has_a_rank() -> None:
    assert {area(module_name(p)) for p in MODULES} - {""} <= set(RANK)


# Inside the pipeline: each stage is a room of its own. Stages never import each other;
# what several share lives in the small modules below them. Inside the sync stage, the
# driver (run) sits on the steps, which sit on the records.
PIPELINE_RANK = {
    "catalogs": 0, "results": 0, "spooled": 0, "behind": 1,
    "syncing": 2, "counting": 2, "reviewing": 2, "checking": 2, "translating": 2,
    "gitsetup": 2,
}
SYNC_RANK = {"records": 0, "memory": 1, "kept": 2, "plan": 2, "overrides": 3, "run": 4}


def _room(module: str, depth: int) -> str | None:
    parts = module.split(".")
    return parts[depth] if len(parts) > depth else None


@pytest.mark.parametrize("path", [p for p in MODULES if module_name(p).startswith(
    "locflow.pipeline.")], ids=lambda p: module_name(p))
def test_pipeline_stages_do_not_import_each_other(path: Path) -> None:
    module = module_name(path)
    for ranks, depth, within in ((PIPELINE_RANK, 2, "locflow.pipeline."),
                                 (SYNC_RANK, 3, "locflow.pipeline.syncing.")):
        here = _room(module, depth)
        if not module.startswith(within) or here is None:
            continue
        for name in runtime_imports(path):
            target = _room(name, depth)
            if not name.startswith(within) or target is None or target == here:
                continue
            assert target in ranks, f"{name}: a module of {within} without a rank"
            assert ranks[target] < ranks[here], f"{module} may not import {name}"


def _module_graph() -> dict[str, set[str]]:
    """Which module imports which, at run time (lazy imports inside functions too):
    ``from pkg import name`` is an arrow to ``pkg.name`` when that is a module, else to
    ``pkg``."""
    modules = {module_name(p): p for p in MODULES}
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        targets: set[str] = set()
        for imported_from, names in import_statements(path):
            for name in names:
                full = name if imported_from is None else f"{imported_from}.{name}"
                if full in modules:
                    targets.add(full)
                elif imported_from in modules:
                    targets.add(imported_from)
        graph[module] = targets - {module}
    return graph


def test_no_module_imports_itself_through_others() -> None:
    """The structure drawing has no circle: no module reaches itself by imports."""
    graph = _module_graph()
    circles = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                circles.append(" → ".join([*path[path.index(target):], target]))
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not circles, circles


def test_no_module_is_a_hall() -> None:
    """No module over 700 lines, no function over 80 (the reader's hot loop excepted)."""
    long_functions = []
    for path in MODULES:
        text = path.read_text(encoding="utf-8")
        assert text.count("\n") <= 700, f"{module_name(path)}: {text.count(chr(10))} lines"
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > 80 and "# one function:" not in text.splitlines()[node.lineno - 2]:
                    long_functions.append(f"{module_name(path)}.{node.name}: {length} lines")
    assert not long_functions, long_functions
