"""The package's layering: each I/O library has one home and imports point down.

::

    cli
    serve
    pipeline
    publish
    checks | memory | approvals
    catalog
    review | provenance | content | segment | glossary | mt
    config | sentences
    locales | paths
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
    "review": 3,
    "provenance": 3,
    "sentences": 2,
    "content": 3,
    "segment": 3,
    "glossary": 3,
    "mt": 3,
    "catalog": 4,
    "checks": 5,
    "memory": 5,
    "approvals": 5,
    "publish": 6,  # the publishing gate runs the content checks
    "pipeline": 7,
    "serve": 8,
    "cli": 9,
    "__main__": 10,
}


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def runtime_imports(path: Path) -> list[str]:
    """Absolute names of what *path* imports at run time (TYPE_CHECKING blocks left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    names: list[str] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                for stmt in child.orelse:
                    visit(stmt)
                continue
            if isinstance(child, ast.Import):
                names.extend(alias.name for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package[: len(package) - child.level + 1]
                    prefix = ".".join([*base, child.module] if child.module else base)
                    names.append(prefix)
                    names.extend(f"{prefix}.{alias.name}" for alias in child.names)
                else:
                    names.append(child.module or "")
            visit(child)

    visit(tree)
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
