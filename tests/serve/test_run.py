"""Starting the desk: the address it prints, the browser it opens, the socket it binds."""

from __future__ import annotations

import socket
import types

import pytest

from locflow import serve
from locflow.errors import InputError


def test_desk_url() -> None:
    assert serve.desk_url("127.0.0.1", 8765) == "http://127.0.0.1:8765/"
    assert serve.desk_url("0.0.0.0", 80) == "http://127.0.0.1:80/"
    assert serve.desk_url("::1", 9000) == "http://[::1]:9000/"


def test_open_waits_for_the_server(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", opened.append)
    server = types.SimpleNamespace(started=True)
    serve._open_when_started(server, "http://127.0.0.1:1/")
    assert opened == ["http://127.0.0.1:1/"]


def test_listen_refuses_a_taken_port() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        with pytest.raises(InputError, match="cannot listen"):
            serve.listen("127.0.0.1", taken.getsockname()[1])
    sock = serve.listen("127.0.0.1", 0)
    try:
        assert sock.getsockname()[1] > 0
    finally:
        sock.close()
