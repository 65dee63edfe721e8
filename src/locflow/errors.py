"""The exceptions locflow raises, and the exit status each one maps to.

::

    LocflowError              base; exit 2 unless a subclass says otherwise
    ├── InputError            bad content, config or arguments (exit 2)
    │   ├── PathError         a path that leaves the project (a symlink) or is not allowed
    │   ├── ConfigError       locflow.toml or a locale identifier
    │   ├── ContentError      an article: front matter, encoding, slug
    │   └── CatalogError      a PO/POT file that cannot be parsed or written
    ├── ChecksFailed          ``locflow check`` found error-level findings (exit 1)
    ├── ConflictError         an entry changed since it was shown; nothing was written
    └── ServiceError          an external service (an MT engine) failed for good (exit 3)

The library raises only these; the CLI catches :class:`LocflowError` once and
exits with :attr:`LocflowError.exit_code`.

Messages name the file, the line and the kind of problem. They never quote a
file beyond :func:`excerpt` (a short, escaped piece): a repository can point a
catalog at ``/proc/self/environ``, and CI logs are public.
"""

from __future__ import annotations

from pathlib import Path


class LocflowError(Exception):
    """Base class of every error locflow reports to a user."""

    exit_code = 2

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        if self.path is None:
            return self.message
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


class InputError(LocflowError):
    """Something the user gave us is malformed: content, config, catalogs, arguments."""


class PathError(InputError):
    """A path resolves outside the project (a symbolic link), or may not be used."""


class ConfigError(InputError):
    """``locflow.toml`` is invalid, or a locale identifier is unknown."""


class ContentError(InputError):
    """A source article cannot be read: encoding, front matter, slug."""


class CatalogError(InputError):
    """A PO or POT file cannot be parsed, or cannot be written safely."""


class ChecksFailed(LocflowError):
    """Checks found at least one error-level finding."""

    exit_code = 1


class ConflictError(LocflowError):
    """A catalog entry changed between reading and writing (another editor, a PO editor,
    a ``git pull``): the decision was made on text that is no longer there, so nothing was
    written. ``keys`` are the ``(msgctxt, msgid)`` of the entries that changed."""

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None,
                 keys: tuple[tuple[str | None, str], ...] = ()):
        super().__init__(message, path=path, line=line)
        self.keys = keys


class ServiceError(LocflowError):
    """An external service (a machine translation engine) failed for good."""

    exit_code = 3


#: The most characters of a file an error message quotes.
EXCERPT_LIMIT = 24


def excerpt(text: str, limit: int = EXCERPT_LIMIT) -> str:
    """*text* quoted for an error message: at most *limit* characters, escaped.

    >>> excerpt("msgstrr")
    "'msgstrr'"
    >>> excerpt("MY_TOKEN=s3cret OTHER=x", 10)
    "'MY_TOKEN=s'…"
    """
    if len(text) > limit:
        return repr(text[:limit]) + "…"
    return repr(text)
