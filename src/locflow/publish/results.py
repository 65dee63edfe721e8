"""What a build reports: the bundles it published, the versions it held back, the files
it changed (plain data, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Bundle:
    """One published locale version of an article."""

    article: str  # slug
    locale: str  # Babel identifier (zh_Hans)
    tag: str  # BCP 47 tag, the folder name (zh-Hans)
    url: str
    files: dict[str, str]  # path relative to out → SHA-256
    rendered: bool  # False: inputs unchanged, not rendered again
    review: dict[str, Any] | None  # the gate's summary; None for the source language


@dataclass(frozen=True)
class HeldBack:
    """A locale version of an article that is not published, and why."""

    article: str
    locale: str
    tag: str
    reason: str
    review: dict[str, Any] | None


@dataclass
class BuildResult:
    """What a build did."""

    out: Path
    bundles: list[Bundle] = field(default_factory=list)
    held_back: list[HeldBack] = field(default_factory=list)
    written: list[str] = field(default_factory=list)  # files whose bytes changed (relative to out)
    removed: list[str] = field(default_factory=list)  # files removed (relative to out)
    archives: list[str] = field(default_factory=list)
    site_strings: dict[str, dict[str, Any]] = field(default_factory=dict)  # tag → summary
    warnings: list[str] = field(default_factory=list)  # "file:line: ..." (raw HTML removed)

    @property
    def rendered(self) -> list[Bundle]:
        return [b for b in self.bundles if b.rendered]

    @property
    def unchanged(self) -> list[Bundle]:
        return [b for b in self.bundles if not b.rendered]
