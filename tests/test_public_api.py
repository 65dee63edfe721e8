from __future__ import annotations

import subprocess
import sys

import locflow


def test_every_exported_name_resolves() -> None:
    for name in locflow.__all__:
        assert getattr(locflow, name) is not None, name


def test_importing_locflow_and_help_stay_light() -> None:
    """`locflow --help` must not import the heavy modules (Babel data, Jinja2, rapidfuzz...)."""
    code = (
        "import sys; from locflow.cli import cli; "
        "heavy = [m for m in ('babel', 'jinja2', 'rapidfuzz', 'markdown_it', 'nh3', 'polib', "
        "'yaml', 'deep_translator') if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_all_lists_exactly_the_lazy_exports() -> None:
    assert sorted(locflow.__all__) == sorted(locflow._EXPORTS)
