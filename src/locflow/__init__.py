"""locflow: Markdown articles → gettext PO catalogs → reviewed, localized pages.

The library behind the ``locflow`` command. Each pipeline stage is a module:

==========================  ===============================================
:mod:`locflow.content`      read articles (Markdown + YAML front matter)
:mod:`locflow.segment`      articles → translatable segments (pure)
:mod:`locflow.catalog`      PO files (:mod:`~locflow.catalog.pofile`) and the
                            msgmerge-style merge (:mod:`~locflow.catalog.merge`)
:mod:`locflow.review`       review states, approve / reject (pure)
:mod:`locflow.glossary`     glossary/<locale>.csv: terms and their renderings
:mod:`locflow.mt`           machine translation drafts (deep-translator, cache)
:mod:`locflow.memory`       translation memory: index, search, import, pre-fill
:mod:`locflow.checks`       quality checks and report formats (pure)
:mod:`locflow.publish`        localized HTML bundles
:mod:`locflow.pipeline`     the stages with their file I/O, as the CLI runs them
==========================  ===============================================

Names are loaded on first use, so ``import locflow`` (and ``locflow --help``)
stays instant.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .catalog.merge import MergeStats, merge
    from .catalog.pofile import Catalog, Entry
    from .checks import Report, check_catalog, check_entry
    from .config import Config, Project
    from .content import Article, read_articles
    from .errors import (
        CatalogError,
        ChecksFailed,
        ConfigError,
        ContentError,
        InputError,
        LocflowError,
        PathError,
        ServiceError,
    )
    from .glossary import Glossary
    from .memory import MemoryStore, import_memory, search_memory
    from .model import Finding, ReviewState, Segment, Severity
    from .mt import EngineOptions, Translator
    from .pipeline import (
        check,
        review_approve,
        review_list,
        review_reject,
        status,
        sync,
        translate,
    )
    from .publish import BuildResult, build_site
    from .review import approve, entry_state, reject
    from .segment import segment_article

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    "Article": "content",
    "read_articles": "content",
    "BuildResult": "publish",
    "build_site": "publish",
    "Catalog": "catalog.pofile",
    "Entry": "catalog.pofile",
    "MergeStats": "catalog.merge",
    "merge": "catalog.merge",
    "Report": "checks",
    "check_catalog": "checks",
    "check_entry": "checks",
    "Config": "config",
    "Project": "config",
    "CatalogError": "errors",
    "ChecksFailed": "errors",
    "ConfigError": "errors",
    "ContentError": "errors",
    "InputError": "errors",
    "LocflowError": "errors",
    "PathError": "errors",
    "ServiceError": "errors",
    "Finding": "model",
    "ReviewState": "model",
    "Segment": "model",
    "Severity": "model",
    "check": "pipeline",
    "review_approve": "pipeline",
    "review_list": "pipeline",
    "review_reject": "pipeline",
    "status": "pipeline",
    "sync": "pipeline",
    "translate": "pipeline",
    "Glossary": "glossary",
    "MemoryStore": "memory",
    "import_memory": "memory",
    "search_memory": "memory",
    "EngineOptions": "mt",
    "Translator": "mt",
    "approve": "review",
    "entry_state": "review",
    "reject": "review",
    "segment_article": "segment",
}

__all__ = [
    "Article",
    "BuildResult",
    "Catalog",
    "CatalogError",
    "ChecksFailed",
    "Config",
    "ConfigError",
    "ContentError",
    "EngineOptions",
    "Entry",
    "Finding",
    "Glossary",
    "InputError",
    "LocflowError",
    "MemoryStore",
    "MergeStats",
    "PathError",
    "Project",
    "Report",
    "ReviewState",
    "Segment",
    "ServiceError",
    "Severity",
    "Translator",
    "approve",
    "build_site",
    "check",
    "check_catalog",
    "check_entry",
    "entry_state",
    "import_memory",
    "merge",
    "read_articles",
    "reject",
    "review_approve",
    "review_list",
    "review_reject",
    "search_memory",
    "segment_article",
    "status",
    "sync",
    "translate",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'locflow' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
