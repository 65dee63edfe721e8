"""The progress bar of `locflow translate`: on a terminal only."""

from __future__ import annotations

import io
import sys

import pytest

from locflow.cli.translate import _Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    bar = _Progress()
    for done in (1, 2, 4):
        bar(done, 4)
    bar.close()
    assert "translating" in terminal.getvalue() and "100%" in terminal.getvalue()


def test_no_progress_bar_in_a_pipe(monkeypatch: pytest.MonkeyPatch) -> None:
    pipe = io.StringIO()
    monkeypatch.setattr(sys, "stderr", pipe)
    bar = _Progress()
    bar(1, 2)
    bar.close()
    assert pipe.getvalue() == ""
