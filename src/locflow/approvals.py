"""Who approved: checking each approval against git history (``check --verify-approvals``).

An approval comment (``# locflow-approved: DATE NAME (hash)``) has no secret in it:
anyone who can edit a catalog can write one. What a file cannot forge by itself is
who committed it. For each approved entry, ``git blame`` names the commit that last
wrote its approval line; the approval is *verified* when that commit's author is a
listed editor (``[review] editors``) under the name the approval records:

* an editor ``"Name <e-mail>"`` matches a commit whose author e-mail is that
  address (case-insensitive); an editor ``"Name"`` one whose author name is Name;
* the approval must record that editor's ``Name``;
* with ``require_signed``, the commit must also carry a good signature (git's
  ``%G?`` is ``G``) whose signer (``%GS``) is that editor's e-mail or name.

Author identities are read raw (``%an``/``%ae``): a committed ``.mailmap`` cannot
rename an author into an editor. Moved lines keep their commit (``blame -M``), so a
sync that reorders entries does not void approvals. A line not committed yet, or
committed by anyone else, is a ``forged-approval`` finding.

It proves who *committed* an approval as git records it. It cannot tell who typed
it: an author name and e-mail are whatever the committer's git config says, unless
the git host verifies them or commits are signed (``require_signed``). Whoever can
push as an editor, or rewrite the history CI sees, can still approve.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .config import Editor
from .errors import InputError
from .model import Finding, ReviewState, Severity
from .review import approval, entry_state

if TYPE_CHECKING:
    import polib

__all__ = ["Commit", "blame_lines", "commits", "judge", "verify_catalog"]

CHECK = "forged-approval"
UNCOMMITTED = "0" * 40
_HEADER = re.compile(rb"^([0-9a-f]{40}) \d+ (\d+)(?: \d+)?$")
_APPROVAL_LINE = re.compile(rb"^#\s?locflow-approved:")
_TIMEOUT = 120  # seconds for one git command; a huge history is slow, not stuck


@dataclass(frozen=True)
class Commit:
    """What the check needs of a commit: its raw author and its signature."""

    sha: str
    author_name: str
    author_email: str
    signature: str = "N"  # git's %G?: G good, B bad, U unknown validity, N none, ...
    signer: str = ""  # git's %GS

    @property
    def author(self) -> str:
        return f"{self.author_name} <{self.author_email}>"


def _git(
    folder: Path, *args: str, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", "-C", str(folder), "--no-pager", *args],
            input=stdin, capture_output=True, check=False, timeout=_TIMEOUT,
        )
    except FileNotFoundError:
        raise InputError("--verify-approvals needs git, which is not installed") from None
    except subprocess.TimeoutExpired:
        raise InputError(f"git {args[0]} took longer than {_TIMEOUT} s", path=folder) from None


def _repository_of(path: Path) -> Path:
    """The folder to run git in for *path*; InputError if it is in no usable repository."""
    folder = path.resolve().parent
    inside = _git(folder, "rev-parse", "--is-inside-work-tree", "--is-shallow-repository")
    answers = inside.stdout.decode("ascii", "replace").split()
    if inside.returncode != 0 or answers[:1] != ["true"]:
        raise InputError("not in a git repository: --verify-approvals reads git history",
                         path=path)
    if answers[1:2] == ["true"]:
        # a shallow clone attributes every older line to its oldest commit
        raise InputError("the repository is a shallow clone: fetch the whole history "
                         "(actions/checkout: fetch-depth: 0)", path=path)
    return folder


def blame_lines(path: Path) -> list[tuple[str, bytes]]:
    """``(commit, line)`` for each line of *path* as it is on disk (1-based: index + 1).

    Lines not committed yet have the commit ``"0" * 40``; so has every line of a file
    git does not track.
    """
    path = path.resolve()  # a link's target is what git tracks
    folder = _repository_of(path)
    # An empty --ignore-revs-file clears the list: a repository's blame.ignoreRevsFile
    # cannot hide who wrote a line.
    result = _git(folder, "blame", "--porcelain", "-M", "--ignore-revs-file=", "--no-textconv",
                  "--", path.name)
    if result.returncode != 0:
        data = path.read_bytes()
        return [(UNCOMMITTED, line) for line in data.split(b"\n")]
    lines: list[tuple[str, bytes]] = []
    commit = None
    for raw in result.stdout.split(b"\n"):
        if commit is None:
            header = _HEADER.match(raw)
            if header:
                commit = header.group(1).decode("ascii")
        elif raw.startswith(b"\t"):  # the line itself ends a record
            lines.append((commit, raw[1:].rstrip(b"\r")))
            commit = None
    return lines


def commits(path: Path, shas: Iterable[str], signatures: bool) -> dict[str, Commit]:
    """The commits *shas* of the repository holding *path* (no mailmap applied)."""
    wanted = sorted(set(shas) - {UNCOMMITTED})
    if not wanted:
        return {}
    fields = "%H%x00%an%x00%ae" + ("%x00%G?%x00%GS" if signatures else "")
    result = _git(_repository_of(path), "-c", "log.showSignature=false",
                  "log", "--no-walk=unsorted", "--no-mailmap", "-z",
                  f"--format={fields}", "--stdin", stdin="\n".join(wanted).encode())
    if result.returncode != 0:
        raise InputError("git log could not read the commits of its approvals", path=path)
    width = 5 if signatures else 3
    values = result.stdout.decode("utf-8", "replace").split("\x00")
    found: dict[str, Commit] = {}
    for i in range(0, len(values) - width + 1, width):
        record = [v.strip("\n") for v in values[i:i + width]]
        found[record[0]] = Commit(*record)
    return found


def judge(reviewer: str, commit: Commit | None, editors: Sequence[Editor],
          require_signed: bool) -> str | None:
    """Why an approval recorded under *reviewer* and written by *commit* is not verified.

    ``None`` when it is. *commit* is None for a line not committed yet.

    >>> ana = Editor("Ana Ruiz", "ana@paper.example")
    >>> judge("Ana Ruiz", Commit("c0ffee", "Ana", "ANA@paper.example"), [ana], False) is None
    True
    >>> judge("Ana Ruiz", Commit("c0ffee", "Ana Ruiz", "bob@paper.example"), [ana], False)
    'approval by Ana Ruiz committed by Ana Ruiz <bob@paper.example> (c0ffee), who is not Ana Ruiz'
    """
    named = [e for e in editors if e.name == reviewer]
    if not named:
        return f"approval by {reviewer}, who is not a listed editor ([review] editors)"
    if commit is None:
        return f"approval by {reviewer} is not committed: it cannot be verified"

    def is_author(editor: Editor) -> bool:
        if editor.email is not None:
            return commit.author_email.casefold() == editor.email.casefold()
        return commit.author_name == editor.name

    editor = next((e for e in named if is_author(e)), None)
    short = commit.sha[:12]
    if editor is None:
        return (f"approval by {reviewer} committed by {commit.author} ({short}), "
                f"who is not {reviewer}")
    if require_signed:
        signer = commit.signer.casefold()
        by_editor = signer in (editor.name.casefold(), (editor.email or "").casefold()) or (
            editor.email is not None and f"<{editor.email.casefold()}>" in signer)
        if commit.signature != "G" or not by_editor:
            how = "not signed" if commit.signature == "N" else (
                f"signed by {commit.signer or 'an unknown key'} ({commit.signature})")
            return (f"approval by {reviewer} in commit {short}, which is {how}: "
                    f"a good signature by {reviewer} is required")
    return None


def _approval_line(lines: Sequence[tuple[str, bytes]], entry: polib.POEntry) -> int | None:
    """The 0-based index in *lines* of the approval comment that counts for *entry*.

    The comments of an entry sit right above its ``msgctxt``/``msgid``; the last
    approval comment there is the one :func:`locflow.review.approval` reads.
    """
    index = int(getattr(entry, "line", 0)) - 2  # the line above the msgid
    while 0 <= index < len(lines):
        text = lines[index][1]
        if _APPROVAL_LINE.match(text):
            return index
        if not text.startswith((b"#", b"msgctxt", b'"')):
            return None
        index -= 1
    return None


def verify_catalog(
    path: Path,
    catalog: Iterable[polib.POEntry],
    label: str,
    locale: str | None,
    article: str | None,
    editors: Sequence[Editor],
    require_signed: bool = False,
) -> list[Finding]:
    """A ``forged-approval`` error for each approval of *catalog* git does not vouch for.

    Only approvals that count (the entry's state is approved) are checked: a stale
    one approves nothing. *catalog* must be the file at *path* as it is on disk.
    """
    approved = [e for e in catalog if not e.obsolete and entry_state(e) is ReviewState.APPROVED]
    if not approved:
        return []
    lines = blame_lines(path)
    known = commits(path, (sha for sha, _ in lines), require_signed)
    findings = []
    for entry in approved:
        found = approval(entry)
        assert found is not None  # approved entries have one
        index = _approval_line(lines, entry)
        sha = lines[index][0] if index is not None else UNCOMMITTED
        problem = judge(found.reviewer, known.get(sha), editors, require_signed)
        if problem is not None:
            findings.append(Finding(
                CHECK, Severity.ERROR, problem, label,
                index + 1 if index is not None else int(getattr(entry, "line", 0)),
                entry.msgid, entry.msgctxt, locale, article,
            ))
    return findings
