"""Who may approve, read where the branch under review cannot change it; and git, run safely.

``check --verify-approvals`` accepts an approval only from a listed editor (``[review]
editors``, ``require_signed`` of ``locflow.toml``). Read from the working tree, that list is
whatever the pull request under review says: a branch could add its author as an editor
and approve its own change. With ``check --base REF`` the two settings are read from
``locflow.toml`` as committed at REF, the branch the pull request merges into
(:func:`settings_at`), and each difference of the working tree from it is a
``trust-settings-changed`` error (:func:`changes`), so reviewers see that the pull
request changes who is trusted. Without ``--base`` a ``trust-from-working-tree`` warning
says where the list came from.

:func:`git` is how locflow asks git about trust (approvals, the base ref): an argument
list (no shell), a timeout, and errors of its own words (never git's output, which may
quote the repository).
"""

from __future__ import annotations

import os
import re
import subprocess
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .config import CONFIG_FILE, Editor, line_of, validate_settings
from .errors import ConfigError, InputError, excerpt
from .model import Finding, Severity

__all__ = ["CHANGED", "FROM_WORKING_TREE", "ReviewSettings", "changes", "check_ref", "git",
           "settings_at", "working_tree_note"]

CHANGED = "trust-settings-changed"
FROM_WORKING_TREE = "trust-from-working-tree"
TIMEOUT = 120.0  # seconds for one git command; a huge history is slow, not stuck
# A revision as CI names a base branch: origin/main, refs/remotes/origin/main, a commit,
# HEAD~1. Never an option (a leading "-"), never "REV:path" (":"), no spaces or controls.
_REF = re.compile(r"[A-Za-z0-9_@][A-Za-z0-9_@./{}^~+-]{0,254}")
_SHA = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


def git(folder: Path, *args: str, stdin: bytes | None = None,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """``git -C folder ARGS`` with *stdin*: an argument list, never a shell, at most
    :data:`TIMEOUT` seconds. InputError (exit 2) when git is missing or too slow."""
    try:
        return subprocess.run(
            ["git", "-C", str(folder), "--no-pager", *args],
            input=stdin, capture_output=True, check=False, timeout=TIMEOUT,
            env={**os.environ, **env} if env else None,
        )
    except FileNotFoundError:
        raise InputError("git is not installed: verifying approvals reads git history") from None
    except subprocess.TimeoutExpired:
        raise InputError(f"git {args[0]} took longer than {TIMEOUT:g} s", path=folder) from None


@dataclass(frozen=True)
class ReviewSettings:
    """Who may approve: ``[review] editors`` and ``require_signed``, and where they were read
    (``origin/main:locflow.toml``, or ``locflow.toml`` of the working tree)."""

    editors: tuple[Editor, ...]
    require_signed: bool
    source: str


def check_ref(ref: str) -> str:
    """*ref* when it can only name a revision (``origin/main``, a commit, ``HEAD~1``);
    InputError otherwise: never an option (``--output=…``), a path (``REV:file``) or a
    range."""
    if not _REF.fullmatch(ref) or ".." in ref:
        raise InputError(f"--base: {excerpt(ref)} is not a git revision (origin/main, a commit)")
    return ref


def _commit_of(root: Path, ref: str) -> str:
    """The commit *ref* names in the repository holding *root*; InputError if none, or if
    the name is ambiguous (a tag ``origin/main`` would shadow the remote branch)."""
    inside = git(root, "rev-parse", "--is-inside-work-tree")
    if inside.returncode != 0 or inside.stdout.strip() != b"true":
        raise InputError("not in a git repository: --base reads locflow.toml from git",
                         path=root)
    found = git(root, "-c", "core.warnAmbiguousRefs=true", "rev-parse", "--verify",
                "--end-of-options", f"{ref}^{{commit}}", env={"LC_ALL": "C", "LANGUAGE": ""})
    sha = found.stdout.decode("ascii", "replace").strip()
    if not _SHA.fullmatch(sha):  # (git prints nothing when it finds none)
        raise InputError(f"--base: no commit {ref} in this repository (fetch it first, "
                         f"e.g. git fetch origin main)")
    if b"ambiguous" in found.stderr:
        raise InputError(f"--base: {ref} is ambiguous (a tag or branch of that name too): "
                         "give its full name, e.g. refs/remotes/origin/main")
    return sha


def settings_at(root: Path, ref: str) -> ReviewSettings:
    """``[review] editors`` and ``require_signed`` of ``locflow.toml`` as committed at *ref*
    (the project in *root*, which may be a folder of the repository).

    InputError/ConfigError (exit 2) when *ref* is no commit, has no ``locflow.toml``, or
    its ``[review]`` section is invalid.
    """
    sha = _commit_of(root, check_ref(ref))
    label = f"{ref}:{CONFIG_FILE}"
    blob = git(root, "cat-file", "blob", f"{sha}:./{CONFIG_FILE}")
    if blob.returncode != 0:
        raise ConfigError(f"{ref} has no {CONFIG_FILE} (git cat-file): --base needs the "
                          "[review] editors committed there", path=label)
    try:
        text = blob.stdout.decode("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        raise ConfigError("not UTF-8 text", path=label) from None
    except tomllib.TOMLDecodeError as exc:  # "(at line N, column M)", no file content
        raise ConfigError(f"invalid TOML: {exc}", path=label) from None
    except RecursionError:
        raise ConfigError("invalid TOML: nested too deeply", path=label) from None
    # only [review]: the rest of the base's settings is not read
    review = validate_settings({"review": data["review"]} if "review" in data else {},
                               Path(label), text)["review"]
    return ReviewSettings(review["editors"], review["require_signed"], label)


def _quoted(editor: Editor) -> str:
    return excerpt(str(editor), 80)


def changes(base: ReviewSettings, current: ReviewSettings, path: str,
            text: str | None) -> list[Finding]:
    """A ``trust-settings-changed`` error for each way *current* (the working tree's
    ``locflow.toml`` at *path*, its *text* for line numbers) differs from *base*."""
    def line(key: str) -> int:
        return line_of(text, "review", key) or line_of(text, "review") or 1

    where = base.source
    found = []
    for editor in current.editors:
        if editor not in base.editors:
            found.append((line("editors"), f"[review] editors adds {_quoted(editor)}, which "
                          f"{where} does not list: approvals are verified against {where}"))
    for editor in base.editors:
        if editor not in current.editors:
            found.append((line("editors"), f"[review] editors drops {_quoted(editor)}, "
                          f"whom {where} lists: approvals are verified against {where}"))
    if current.require_signed != base.require_signed:
        found.append((line("require_signed"),
                      f"[review] require_signed is {str(current.require_signed).lower()} here "
                      f"and {str(base.require_signed).lower()} in {where}, which applies"))
    return [Finding(CHANGED, Severity.ERROR, message, path, number, "")
            for number, message in found]


def working_tree_note(path: str, text: str | None, strict: bool = False) -> Finding:
    """The warning that the editor list was read from the working tree (no ``--base``)."""
    return Finding(
        FROM_WORKING_TREE, Severity.ERROR if strict else Severity.WARNING,
        "the editor list ([review] editors, require_signed) was read from the working tree, "
        "which the branch under review can change: pass --base REF (the branch it merges "
        "into) to read it from there",
        path, line_of(text, "review") or 1, "",
    )
