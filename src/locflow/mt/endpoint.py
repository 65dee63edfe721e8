"""Where an engine's requests go, and whether the environment's keys go with them (pure).

The repository is untrusted: CI runs locflow on branches and forks, with keys in its
environment. So the one who sets the key decides where it may go:

* an engine's own public endpoint (Google, DeepL, Microsoft, Baidu: deep-translator's
  fixed URLs), or a URL from the same side as the key: the command line (``--url``) or
  the environment (``LOCFLOW_MT_URL``), gets the keys;
* a URL from the repository (``[mt] url`` in locflow.toml) gets none: the texts go
  there (they are the repository's own), the keys do not, and :attr:`Endpoint.notice`
  says so once;
* never over plain ``http://`` to another machine: a key from the environment with such
  a URL from the command line or the environment is refused (:class:`ConfigError`,
  exit 2) before any request; ``http://`` is fine to ``localhost`` and loopback
  addresses (a LibreTranslate on this machine or in a sidecar's port).

Every URL is checked before any request, wherever it came from: ``http``/``https``, a
host, a valid port, no user or password (keys come from environment variables only),
no query or fragment. Messages name where the URL came from, never the URL itself (it
may carry a secret, or be a file's bytes).

:func:`endpoint` is the one place this is decided; :class:`~locflow.mt.deep.DeepTranslator`
applies it to every engine it builds and ``locflow translate``/``pipeline`` call it
first, to stop at once on a bad URL and to print the notice.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..errors import ConfigError
from . import EngineOptions, UrlOrigin
from .engines import ENGINES

#: The environment variable that gives a server's URL with the environment's authority.
URL_VARIABLE = "LOCFLOW_MT_URL"

_WHERE: dict[str, str] = {
    "cli": "--url",
    "env": URL_VARIABLE,
    "repository": "[mt] url in locflow.toml",
}


@dataclass(frozen=True)
class Endpoint:
    """Where requests go and what goes with them."""

    url: str | None  # None: the engine's public endpoint
    send_keys: bool  # the environment's keys (LIBRE_API_KEY…) go with the requests
    withheld: tuple[str, ...] = ()  # variables set in the environment but not sent
    notice: str | None = None  # one line for stderr, when keys are withheld


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1): this machine."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(url: str, origin: UrlOrigin) -> str:
    """*url* if an engine may be sent to it; :class:`ConfigError` (exit 2) otherwise."""
    where = _WHERE[origin]
    if any(c.isspace() or not c.isprintable() for c in url):
        raise ConfigError(f"{where}: the URL holds spaces or control characters")
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise ConfigError(f"{where}: not an http:// or https:// URL "
                          "(give the scheme: http://HOST:PORT/)")
    if not parts.hostname:
        raise ConfigError(f"{where}: the URL names no host")
    try:
        parts.port  # noqa: B018  (raises on a port out of range or not a number)
    except ValueError:
        raise ConfigError(f"{where}: the URL's port is not a number from 1 to 65535") from None
    if parts.port == 0:
        raise ConfigError(f"{where}: the URL's port is not a number from 1 to 65535")
    if "@" in parts.netloc:
        raise ConfigError(f"{where}: the URL carries a user or password; keys come from "
                          "environment variables only")
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        raise ConfigError(f"{where}: the URL has a query or fragment (give the server's "
                          "base URL)")
    return url


def endpoint(options: EngineOptions, environ: Mapping[str, str]) -> Endpoint:
    """Where *options*' engine sends requests, and whether the keys in *environ* go too.

    Raises :class:`ConfigError` (exit 2) for an engine that needs a URL and has none
    (or takes none and has one), a URL :func:`check_url` refuses, a missing required
    key, and a key that would travel over plain http to another machine.
    """
    spec = ENGINES.get(options.provider)
    if spec is None:
        known = ", ".join(ENGINES)
        raise ConfigError(f"unknown MT provider {options.provider!r} (known: {known})")
    url, origin = options.url, options.url_origin
    if url is not None and not spec.takes_url:
        raise ConfigError(f"{spec.name} takes no URL (only libre does)")
    if spec.takes_url and not url:
        raise ConfigError(f"{spec.name} needs the server's URL: --url, {URL_VARIABLE} "
                          "or [mt] url")
    present = tuple(name for name, _ in spec.env if environ.get(name))
    required = [name for name, needed in spec.env if needed]
    missing = [name for name in required if name not in present]
    if missing:
        raise ConfigError(f"{spec.name} needs the environment variable {missing[0]}")
    if url is None:
        return Endpoint(None, send_keys=True)
    check_url(url, origin)
    if not present:
        return Endpoint(url, send_keys=False)
    names = " and ".join(present)
    if origin == "repository":
        if required:
            raise ConfigError(f"{spec.name}: {names} is not sent to a URL from locflow.toml; "
                              f"give the URL in {URL_VARIABLE} or --url")
        return Endpoint(url, send_keys=False, withheld=present, notice=(
            f"note: {names} not sent: the server's URL comes from the repository "
            f"([mt] url in locflow.toml); give it in {URL_VARIABLE} or --url to send it"))
    parts = urlsplit(url)
    if parts.scheme.lower() == "http" and not is_loopback(parts.hostname or ""):
        raise ConfigError(f"{_WHERE[origin]}: {names} is not sent over plain http to "
                          "another machine: use https://, or unset the key")
    return Endpoint(url, send_keys=True)
