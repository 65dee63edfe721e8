"""The object every command gets: the project directory, loaded on first use."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from ..config import Project


class AppContext:
    def __init__(self, directory: Path):
        self.directory = directory
        self._project: Project | None = None

    @property
    def project(self) -> Project:
        """The project the directory is in (found upwards, like git); exit 2 if none."""
        if self._project is None:
            from ..config import Project, find_project_root

            self._project = Project.load(find_project_root(self.directory))
        return self._project

    @property
    def project_if_any(self) -> Project | None:
        """The project, or None outside one: for commands given bare PO files, which
        work anywhere (a broken ``locflow.toml`` is still an error)."""
        if self._project is None:
            from ..config import Project, find_project_root
            from ..errors import ConfigError

            try:
                root = find_project_root(self.directory)
            except ConfigError:
                return None
            self._project = Project.load(root)
        return self._project


pass_app = click.make_pass_decorator(AppContext)
