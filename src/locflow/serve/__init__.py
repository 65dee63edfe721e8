"""``locflow serve``: the editors' review desk, a local web app over the project's files.

No database and no accounts: the desk reads and writes the same PO files as the
command line and every PO editor, through the same library functions
(:mod:`locflow.pipeline`). :func:`create_app` builds the ASGI application
(:mod:`.app`); :func:`run` serves it with uvicorn.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..errors import InputError

if TYPE_CHECKING:
    from ..config import Project
    from .app import ASGIApp

__all__ = ["create_app", "desk_url", "is_loopback", "listen", "run"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def is_loopback(host: str) -> bool:
    """Whether *host* is this machine only (``127.0.0.1``, ``::1``, ``localhost``)."""
    from .app import is_loopback as check

    return check(host)


def create_app(project: Project, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
               token: str | None = None) -> ASGIApp:
    """The desk for *project*, answering requests addressed to *host*:*port*."""
    from .app import create_app as make

    return make(project, host=host, port=port, token=token)


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to *host*:*port* (port 0: any free one); a clear error if it cannot be."""
    try:
        infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM,
                                   flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise InputError(f"cannot listen on {host!r}: {exc.strerror}") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise InputError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return sock


def desk_url(host: str, port: int) -> str:
    """The address to open in a browser."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else "::1" if host == "::" else host
    return f"http://[{shown}]:{port}/" if ":" in shown else f"http://{shown}:{port}/"


def run(project: Project, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *,
        open_browser: bool = False, echo: Callable[[str], None] = print) -> None:
    """Serve the desk until interrupted (Ctrl-C)."""
    import uvicorn

    sock = listen(host, port)
    port = sock.getsockname()[1]
    app = create_app(project, host=host, port=port)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                            server_header=False, date_header=False)
    server = uvicorn.Server(config)
    url = desk_url(host, port)
    echo(f"review desk for {project.root}: {url}  (Ctrl-C to stop)")
    if open_browser:
        threading.Thread(target=_open_when_started, args=(server, url), daemon=True).start()
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()


def _open_when_started(server: object, url: str) -> None:
    import time
    import webbrowser

    for _ in range(100):
        if getattr(server, "started", False):
            webbrowser.open(url)
            return
        time.sleep(0.05)
