"""Fixtures for the build tests: a small project, synced, with catalogs to fill."""

from __future__ import annotations

from pathlib import Path

import pytest

from locflow import pipeline
from locflow.config import Project

from .build_helpers import fill_project


@pytest.fixture
def synced(project: Path) -> Path:
    """The shared two-article project after `locflow sync` (catalogs exist, nothing translated)."""
    pipeline.sync(Project.load(project))
    return project


@pytest.fixture
def approved(synced: Path) -> Path:
    """The synced project with every catalog translated and approved."""
    fill_project(synced, "approved")
    return synced


def load(root: Path) -> Project:
    return Project.load(root)
