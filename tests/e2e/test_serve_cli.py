"""`locflow serve` from the command line: it listens, serves the desk, warns off loopback."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from locflow import pipeline
from locflow.config import Project


@contextmanager
def serving(root: Path, *args: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """Run `locflow -C root serve ARGS` until the block ends; yield the URL it printed."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with subprocess.Popen([sys.executable, "-m", "locflow", "-C", str(root), "serve", *args],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          env=env) as process:
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            found = re.search(r"http://\S+/", line)
            assert found, line
            yield found.group(0), process
        finally:
            process.terminate()
            process.communicate(timeout=10)


def test_serve_listens_on_loopback_and_serves_the_desk(project: Path) -> None:
    pipeline.sync(Project.load(project))
    with serving(project, "--port", "0") as (url, _):
        assert url.startswith("http://127.0.0.1:")
        page = httpx.get(url, timeout=20)
        assert page.status_code == 200 and "/review/es/vote" in page.text


def test_serve_on_another_host_warns(project: Path) -> None:
    with serving(project, "--host", "0.0.0.0", "--port", "0") as (url, process):
        port = url.rsplit(":", 1)[1].strip("/")
        assert httpx.get(f"http://127.0.0.1:{port}/", timeout=20).status_code == 200
        assert process.stderr is not None
        err = process.stderr.readline()
    assert "warning: listening on 0.0.0.0, not on loopback" in err


def test_a_port_in_use_is_a_clear_error(project: Path, locflow: object) -> None:
    from click.testing import CliRunner

    from locflow.cli import cli

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["-C", str(project), "serve", "--port", str(port)])
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.output
