"""kill -9 at random moments: every catalog and bundle file is afterwards the old or the
new version, never a mix or a truncation, and a re-run completes.

Each command is first run to completion on a copy of the project, which gives the "new"
version of every file; then it is started on the project itself and killed after a
random delay within its running time, again and again.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from locflow.catalog import pofile
from tests.publish.build_helpers import fill_project

ROUNDS = 6
ENV = {**os.environ, "LOCFLOW_REVIEWER": "desk-editor", "SOURCE_DATE_EPOCH": "1730764800"}


def article(n: int, variant: str = "") -> str:
    paras = "\n\n".join(f"Paragraph {i} of article {n} says {variant}{i * n} things happened."
                        for i in range(12))
    return f"---\ntitle: Article {n}\ndate: 2024-11-04\nsummary: Summary {n}.\n---\n\n{paras}\n"


def command(root: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "locflow", "-C", str(root), *args]


def snapshot(root: Path, folder: str) -> dict[str, bytes]:
    base = root / folder
    return {str(p.relative_to(base)): p.read_bytes() for p in sorted(base.rglob("*"))
            if p.is_file() and not p.name.endswith(".tmp") and ".locflow" not in p.parts}


def run_to_completion(root: Path, *args: str) -> float:
    start = time.perf_counter()
    done = subprocess.run(command(root, *args), env=ENV, capture_output=True, check=False)
    assert done.returncode == 0, done.stderr.decode()
    return time.perf_counter() - start


def kill_at_random(root: Path, args: tuple[str, ...], duration: float,
                   rng: random.Random) -> bool:
    """Start the command, kill -9 it after a random delay; True if it was still running."""
    proc = subprocess.Popen(command(root, *args), env=ENV, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(rng.uniform(0.0, 0.7 * duration))  # most kills land mid-run
    running = proc.poll() is None
    if running:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    return running


def assert_old_or_new(now: dict[str, bytes], old: dict[str, bytes], new: dict[str, bytes],
                      folder: str) -> None:
    for name, data in now.items():
        assert data in (old.get(name), new.get(name)), f"{folder}/{name} is neither version"
        if name.endswith((".po", ".pot")):
            pofile.parse(data, name)  # parseable, not truncated


@pytest.fixture
def big_project(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    for n in range(40):
        (root / "content" / f"article-{n:02d}.md").write_text(article(n))
    (root / "locflow.toml").write_text(
        '[project]\nname = "Crash"\ntarget_locales = ["zh_Hans", "es"]\n')
    subprocess.run(command(root, "sync"), env=ENV, check=True, capture_output=True)
    fill_project(root, "translated")
    return root


@pytest.mark.parametrize("args", [("sync",), ("review", "approve", "--all")])
def test_killed_catalog_writers_leave_old_or_new_catalogs(
    big_project: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    root = big_project
    if args == ("sync",):  # something for sync to do: every article edited
        for n in range(40):
            (root / "content" / f"article-{n:02d}.md").write_text(article(n, "new "))
    old = snapshot(root, "locales")
    reference, pristine = tmp_path / "reference", tmp_path / "pristine"
    shutil.copytree(root, reference)
    shutil.copytree(root / "locales", pristine)
    duration = run_to_completion(reference, *args)
    new = snapshot(reference, "locales")
    assert new != old
    rng = random.Random(20241104)
    killed = 0
    for _ in range(ROUNDS):
        # (what an interrupted sync already finished, it does not redo: every round does it
        # all, so that every kill can land mid-run)
        shutil.rmtree(root / ".locflow", ignore_errors=True)
        interrupted = kill_at_random(root, args, duration, rng)
        killed += interrupted
        assert_old_or_new(snapshot(root, "locales"), old, new, "locales")
        if not interrupted:  # it finished first (a slow reference run): the whole job again
            shutil.rmtree(root / "locales")
            shutil.copytree(pristine, root / "locales")
    assert killed, "no run was interrupted"
    run_to_completion(root, *args)
    assert snapshot(root, "locales") == new


def test_killed_build_leaves_whole_files_and_rebuilds(big_project: Path, tmp_path: Path) -> None:
    root = big_project
    fill_project(root, "approved")
    reference = tmp_path / "reference"
    shutil.copytree(root, reference)
    duration = run_to_completion(reference, "build")
    new = snapshot(reference, "dist")
    rng = random.Random(7)
    killed = 0
    for _ in range(ROUNDS):
        killed += kill_at_random(root, ("build",), duration, rng)
        if (root / "dist").exists():
            assert_old_or_new(snapshot(root, "dist"), {}, new, "dist")
    assert killed, "no run was interrupted"
    run_to_completion(root, "build")
    assert snapshot(root, "dist") == new


def test_concurrent_sync_and_approve_lose_no_update(big_project: Path) -> None:
    """sync and review approve on the same catalogs at once: both effects survive."""
    from locflow.model import ReviewState
    from locflow.review import entry_state

    root = big_project
    unchanged = set(range(0, 40, 2))
    for n in range(1, 40, 2):  # odd articles change: their entries become fuzzy
        (root / "content" / f"article-{n:02d}.md").write_text(article(n, "new "))
    procs = [subprocess.Popen(command(root, *args), env=ENV, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
             for args in (("sync",), ("review", "approve", "--all"))]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    for locale in ("zh_Hans", "es"):
        for n in range(40):
            catalog = pofile.load(root / "locales" / locale / "articles" / f"article-{n:02d}.po")
            states = {entry_state(e) for e in catalog.active()}
            if n in unchanged:  # whatever ran first, approve's decisions are all there
                assert states == {ReviewState.APPROVED}, (locale, n, states)
            else:  # sync's merge is there: changed paragraphs are drafts, never approved
                assert ReviewState.FUZZY in states, (locale, n, states)
                assert all("new " in e.msgid for e in catalog.active()
                           if entry_state(e) is ReviewState.FUZZY)


def test_killed_translate_leaves_whole_drafts_and_reruns(tmp_path: Path) -> None:
    """kill -9 of ``translate`` while the engine answers: every entry is untranslated or a
    complete draft (the one an uninterrupted run makes), and a re-run finishes the job."""
    from tests.e2e.test_translate_cli import configure
    from tests.mt.libre_server import LibreServer

    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    for n in range(6):
        (root / "content" / f"article-{n:02d}.md").write_text(article(n))
    (root / "locflow.toml").write_text(
        '[project]\nname = "Crash"\ntarget_locales = ["zh_Hans", "es"]\n')
    subprocess.run(command(root, "sync"), env=ENV, check=True, capture_output=True)
    server = LibreServer()
    server.behaviour.delay = 0.01  # slow enough for a kill to land between two flushes
    try:
        configure(root, server.url, concurrency=2, timeout=10)
        old = snapshot(root, "locales")
        reference = tmp_path / "reference"
        shutil.copytree(root, reference)
        args = ("translate",)
        duration = run_to_completion(reference, *args)
        new = snapshot(reference, "locales")
        drafts = {name: {e.key: e for e in pofile.parse(data, name).active()}
                  for name, data in new.items() if name.endswith(".po")}
        assert any(entry.msgstr for catalog in drafts.values() for entry in catalog.values())
        rng = random.Random(11)
        killed = 0
        for _ in range(ROUNDS):
            killed += kill_at_random(root, args, duration, rng)
            for name, data in snapshot(root, "locales").items():
                if not name.endswith(".po"):
                    assert data == old[name], name
                    continue
                before = {e.key: e for e in pofile.parse(old[name], name).active()}
                for entry in pofile.parse(data, name).active():  # parseable, not truncated
                    done, untouched = drafts[name][entry.key], before[entry.key]
                    view = (entry.msgstr, entry.flags, entry.tcomment)
                    assert view in ((done.msgstr, done.flags, done.tcomment),
                                    (untouched.msgstr, untouched.flags, untouched.tcomment)), (
                        name, entry.msgid, view)
        assert killed, "no run was interrupted"
        run_to_completion(root, *args)
        assert snapshot(root, "locales") == new
    finally:
        server.stop()


def test_desk_and_cli_writing_the_same_catalogs_lose_no_update(
    big_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Editors approve at the desk while ``review reject`` and ``sync`` run from the shell
    on the same catalogs: every decision and the merge are all there afterwards."""
    import threading

    import httpx

    from locflow.model import ReviewState
    from locflow.review import entry_state
    from tests.serve.desk_helpers import running_desk
    from tests.serve.test_app import form_of, named

    root = big_project
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1730764800")
    articles = range(0, 40, 3)
    for n in range(1, 40, 2):  # sync's part: one paragraph of every odd article changes
        path = root / "content" / f"article-{n:02d}.md"
        path.write_text(path.read_text().replace(f"Paragraph 8 of article {n} says",
                                                 f"Paragraph 8 of article {n} now says"))
    cli_errors: list[str] = []

    def shell() -> None:
        for args in (("review", "reject", "-l", "es", "--all", "--msgid", "Paragraph 5 of",
                      "--reason", "check the figure"), ("sync",)):
            done = subprocess.run(command(root, *args), env=ENV, capture_output=True,
                                  check=False)
            if done.returncode:
                cli_errors.append(done.stderr.decode())

    approved: list[tuple[int, str]] = []
    with running_desk(root) as url, httpx.Client(base_url=url, timeout=60) as desk:
        named(desk)
        worker = threading.Thread(target=shell)
        worker.start()
        for n in articles:  # the desk's part: paragraphs 0 to 2 (entries 2 to 4) in Spanish
            page_url = f"/review/es/article-{n:02d}"
            for index in (2, 3, 4):
                fields = form_of(desk.get(page_url).text, "approve", index)
                response = desk.post(f"{page_url}/approve", data=fields)
                assert response.status_code == 303, response.text
                assert "done=approved" in response.headers["location"]
                approved.append((n, f"Paragraph {index - 2} of article {n} says"))
        worker.join(120)
    assert not worker.is_alive() and not cli_errors, cli_errors
    assert len(approved) == 3 * len(articles)
    for n in range(40):
        catalog = pofile.load(root / "locales" / "es" / "articles" / f"article-{n:02d}.po")
        states = {e.msgid.split(" things")[0]: entry_state(e) for e in catalog.active()
                  if e.msgid}
        for paragraph in range(12):
            state = states.get(f"Paragraph {paragraph} of article {n} says "
                               f"{paragraph * n}" if paragraph != 8 or n % 2 == 0 else
                               f"Paragraph 8 of article {n} now says {8 * n}")
            if paragraph == 5:
                expected = ReviewState.REJECTED  # review reject's decision
            elif paragraph == 8 and n % 2:
                expected = ReviewState.FUZZY  # sync's merge: a changed source
            elif paragraph < 3 and n in articles:
                expected = ReviewState.APPROVED  # the desk's decision
            else:
                expected = ReviewState.TRANSLATED
            assert state is expected, (n, paragraph, state)


# -- issue 17: a killed sync's workers die with it; a held lock is waited for, then named --


def _stat_fields(pid: int) -> list[bytes] | None:
    """Fields of /proc/PID/stat after the command: state, ppid, pgrp, session, ..."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as file:
            return file.read().rsplit(b")", 1)[1].split()
    except OSError:
        return None


def live_processes(*, parent: int | None = None, session: int | None = None) -> set[int]:
    """Processes (not zombies) whose parent or session is the one given."""
    found = set()
    for entry in os.listdir("/proc"):
        fields = _stat_fields(int(entry)) if entry.isdigit() else None
        if fields is None or fields[0] == b"Z":
            continue
        if (parent is not None and int(fields[1]) == parent) or (
                session is not None and int(fields[3]) == session):
            found.add(int(entry))
    return found


def alive(pid: int) -> bool:
    fields = _stat_fields(pid)
    return fields is not None and fields[0] != b"Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_killed_syncs_workers_die_with_it_and_the_next_sync_runs(big_project: Path) -> None:
    """kill -9 of a sync left its pool's workers running: they held the catalog folders'
    locks (inherited from the parent), and the next sync or review waited forever."""
    root = big_project
    for n in range(40):  # work for every worker: every article changed
        (root / "content" / f"article-{n:02d}.md").write_text(article(n, "new "))
    env = {**ENV, "LOCFLOW_JOBS": "2"}
    proc = subprocess.Popen(command(root, "sync"), env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        workers: set[int] = set()
        deadline = time.monotonic() + 60
        while not workers and proc.poll() is None and time.monotonic() < deadline:
            workers = live_processes(parent=proc.pid)
            time.sleep(0.002)
        assert workers, "the sync ended before its pool started"
        os.kill(proc.pid, signal.SIGKILL)  # the parent only, as the OOM killer or CI would
        proc.wait()
        gone_by = time.monotonic() + 5
        while any(alive(pid) for pid in workers) and time.monotonic() < gone_by:
            time.sleep(0.05)
        assert not [pid for pid in workers if alive(pid)], "workers outlived their sync"
        assert not live_processes(session=proc.pid)
        done = subprocess.run(command(root, "sync"), env=env, capture_output=True,
                              timeout=120, check=False)
        assert done.returncode == 0, done.stderr.decode()
        catalog = pofile.load(root / "locales" / "es" / "articles" / "article-03.po")
        assert any("new " in entry.msgid for entry in catalog.active())
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


HOLD = """
import sys, time
from locflow.catalog.storage import locked
with locked(sys.argv[1]):
    print("held", flush=True)
    time.sleep(120)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/locks")
@pytest.mark.parametrize("args", [("review", "approve", "--all"), ("sync",)])
def test_a_lock_held_too_long_is_an_error_naming_its_holder(
    big_project: Path, args: tuple[str, ...]
) -> None:
    """A catalog folder another process keeps locked is waited for a bounded time
    (LOCFLOW_LOCK_WAIT), then the command stops, naming the folder and the holder."""
    root = big_project
    if args == ("sync",):
        (root / "content" / "article-03.md").write_text(article(3, "new "))
    folder = root / "locales" / "es" / "articles"
    holder = subprocess.Popen(  # (its command line reads "... locflow sync" to the kernel)
        [sys.executable, "-c", HOLD, str(folder / "x.po"), "locflow", "sync"],
        stdout=subprocess.PIPE, env=ENV)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
        before = snapshot(root, "locales")
        start = time.monotonic()
        done = subprocess.run(command(root, *args), env={**ENV, "LOCFLOW_LOCK_WAIT": "1.5"},
                              capture_output=True, text=True, timeout=60, check=False,
                              cwd=root)
        took = time.monotonic() - start
        assert done.returncode == 2, done.stderr
        [line] = done.stderr.splitlines()
        assert line.startswith(f"Error: locales/es/articles: is locked by pid {holder.pid} "
                               "(locflow sync, started 20"), line
        assert line.endswith("); gave up after waiting 1.5 s"), line
        assert 1.5 <= took < 30
        assert snapshot(root, "locales") == before  # nothing written
    finally:
        holder.kill()
        holder.communicate()
    again = subprocess.run(command(root, *args), env=ENV, capture_output=True, text=True,
                           timeout=120, check=False)
    assert again.returncode == 0, again.stderr
