"""``locflow serve``: the editors' review desk in a browser."""

from __future__ import annotations

import click

from ._context import AppContext, pass_app


@click.command()
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback lets others on the network "
                   "change your catalogs.")
@click.option("--open", "open_browser", is_flag=True, help="Open the desk in a web browser.")
@pass_app
def serve(app: AppContext, port: int, host: str, open_browser: bool) -> None:
    """Open the review desk: read, approve, reject and edit translations in a browser.

    The desk works on the project's PO files, like the command line and any PO
    editor; decisions are recorded under the name you give it, as with
    `review --by`. It listens on this machine only unless --host says otherwise.

    Example: locflow serve --open
    """
    from ..serve import is_loopback, run

    project = app.project
    if not is_loopback(host):
        click.echo(f"warning: listening on {host}, not on loopback: anyone who can reach this "
                   f"machine on port {port} can read and change the catalogs (no accounts, "
                   "no TLS)", err=True)
    run(project, host, port, open_browser=open_browser, echo=click.echo)  # until Ctrl-C
