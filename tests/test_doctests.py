"""The examples in docstrings are true."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "locflow.approvals",
    "locflow.publish.feeds",
    "locflow.publish.render",
    "locflow.publish.search",
    "locflow.publish.site",
    "locflow.publish.structured",
    "locflow.checks",
    "locflow.checks.numbers",
    "locflow.checks.addresses",
    "locflow.checks.structure",
    "locflow.config",
    "locflow.corrections",
    "locflow.errors",
    "locflow.escaping",
    "locflow.cli._text",
    "locflow.glossary",
    "locflow.locales",
    "locflow.sentences",
    "locflow.memory.index",
    "locflow.mt.deep",
    "locflow.mt.engines",
    "locflow.mt.mask",
    "locflow.mt.split",
    "locflow.provenance",
    "locflow.review",
    "locflow.segment",
    "locflow.segment.htmlblocks",
    "locflow.segment.htmltokens",
    "locflow.segment.safehtml",
    "locflow.serve.views",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


def test_every_module_with_examples_is_listed() -> None:
    from pathlib import Path

    src = Path(importlib.import_module("locflow").__file__ or "").parent
    with_examples = {
        "locflow." + ".".join(p.relative_to(src).with_suffix("").parts).removesuffix(".__init__")
        for p in src.rglob("*.py")
        if ">>> " in p.read_text(encoding="utf-8")
    }
    assert with_examples == set(MODULES)
