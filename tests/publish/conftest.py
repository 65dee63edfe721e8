"""Fixtures for the build tests: a small project, synced, with catalogs to fill."""

from __future__ import annotations

from pathlib import Path

import pytest

from locflow import pipeline
from locflow.config import Project


@pytest.fixture
def synced(project: Path) -> Path:
    """The shared two-article project after `locflow sync` (catalogs exist, nothing translated)."""
    pipeline.sync(Project.load(project))
    return project


def load(root: Path) -> Project:
    return Project.load(root)
