"""`locflow translate` end to end: the CLI, deep-translator's LibreTranslator, and a
LibreTranslate-compatible server on 127.0.0.1 that answers, rate-limits, dies or stalls."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest

from locflow.catalog import pofile
from locflow.provenance import draft_hash, provenance
from locflow.review import entry_state
from tests.conftest import Invoke
from tests.mt.libre_server import LibreServer, fake_translation

LINKED = """---
title: Aid for Pyongyang
date: 2024-11-06
---

Read [the Carnegie report](https://carnegieendowment.org/r?id=1) on `aid_total` now.

Zhao Tong met <abbr>NATO</abbr> staff.
"""


def configure(project: Path, url: str, **mt: object) -> None:
    settings = {"provider": "libre", "url": url, "timeout": 2, "retries": 2, "backoff": 0.01}
    settings.update(mt)
    lines = [f"{k} = {json.dumps(v)}" for k, v in settings.items()]
    path = project / "locflow.toml"
    text = path.read_text(encoding="utf-8").partition("\n[mt]\n")[0]  # [mt] comes last
    path.write_text(text + "\n[mt]\n" + "\n".join(lines) + "\n", encoding="utf-8")


def entries(path: Path) -> list[pofile.Entry]:
    return pofile.load(path).active()


def po(project: Path, locale: str, slug: str) -> Path:
    return project / "locales" / locale / "articles" / f"{slug}.po"


def test_translate_reports_catalogs_in_their_order_whatever_order_answers_arrive(
    locflow: Invoke, project: Path, libre: LibreServer
) -> None:
    configure(project, libre.url, concurrency=8)
    locflow("sync", ok=True)
    libre.behaviour.mode = "jitter"
    result = locflow("translate", ok=True)
    finished = [r["q"] for r in libre.requests]
    assert result.stdout.splitlines() == [  # the project's order: locales as configured
        "drafted locales/zh_Hans/articles/storm.po",
        "drafted locales/zh_Hans/articles/vote.po",
        "drafted locales/zh_Hans/LC_MESSAGES/site.po",
        "drafted locales/es/articles/storm.po",
        "drafted locales/es/articles/vote.po",
        "drafted locales/es/LC_MESSAGES/site.po",
    ], finished


def test_translate_drafts_untranslated_entries_as_fuzzy_with_provenance(
    locflow: Invoke, project: Path, libre: LibreServer
) -> None:
    configure(project, libre.url)
    locflow("sync", ok=True)
    result = locflow("translate", "--locale", "es", ok=True)
    assert result.stdout.splitlines() == [
        "drafted locales/es/articles/storm.po",
        "drafted locales/es/articles/vote.po",
        "drafted locales/es/LC_MESSAGES/site.po",
    ]
    site = pofile.load(project / "locales" / "es" / "LC_MESSAGES" / "site.po").active()
    drafts = 5 + 2 + len(site) - 1
    plural = "s" if drafts != 1 else ""
    assert (f"translate: {drafts} draft{plural} with libre (0 texts from the MT cache, "
            f"{drafts} request{plural})") in result.stderr
    assert "skipped 1 entry (plural" in result.stderr  # plural forms need a human
    for entry in entries(po(project, "es", "vote")):
        assert entry.msgstr == fake_translation(entry.msgid, "es")
        assert "fuzzy" in entry.flags
        assert str(entry_state(entry)) == "fuzzy"
        found = provenance(entry)
        assert found is not None and found.kind == "mt" and found.origin == "libre"
        assert found.date == "2024-11-05" and found.notes == (f"draft {draft_hash(entry.msgstr)}",)
    assert all(not e.msgstr for e in entries(po(project, "zh_Hans", "vote")))  # not asked
    assert {r["target"] for r in libre.requests} == {"es"} and "api_key" not in libre.requests[0]
    # status and check count drafts as fuzzy, never as translated
    status = json.loads(locflow("status", "--locale", "es", "--format", "json").stdout)
    vote = next(r for r in status["catalogs"] if r["article"] == "vote")
    assert vote["fuzzy"] == 5 and vote["translated"] == 0
    assert "[fuzzy]" in locflow("check", "--locale", "es").stdout


def test_rerun_costs_no_request_and_changes_nothing(
    locflow: Invoke, project: Path, libre: LibreServer
) -> None:
    configure(project, libre.url)
    locflow("sync", ok=True)
    locflow("translate", "--locale", "zh_Hans", "--article", "vote", ok=True)
    sent = len(libre.requests)
    before = po(project, "zh_Hans", "vote").read_bytes()
    again = locflow("translate", "--locale", "zh_Hans", "--article", "vote", ok=True)
    assert len(libre.requests) == sent  # drafts are fuzzy now: nothing left to translate
    assert po(project, "zh_Hans", "vote").read_bytes() == before
    assert "0 drafts" in again.stderr
    # a fresh catalog (the drafts thrown away) is drafted from the MT cache alone
    po(project, "zh_Hans", "vote").unlink()
    locflow("sync", ok=True)
    from_cache = locflow("translate", "--locale", "zh_Hans", "--article", "vote", ok=True)
    assert len(libre.requests) == sent
    assert "(5 texts from the MT cache, 0 requests)" in from_cache.stderr
    assert po(project, "zh_Hans", "vote").read_bytes() == before
    assert (project / ".locflow" / "mt-cache.sqlite3").is_file()


def test_human_work_is_never_replaced(locflow: Invoke, project: Path, libre: LibreServer) -> None:
    configure(project, libre.url)
    locflow("sync", ok=True)
    path = po(project, "es", "vote")
    catalog = pofile.load(path)
    first, second = catalog.active()[0], catalog.active()[1]
    first.msgstr = "El concejo aprueba el presupuesto"
    second.msgstr = "Borrador humano"
    second.flags.insert(0, "fuzzy")
    pofile.save_atomic(path, pofile.dump(catalog))
    locflow("translate", "--locale", "es", "--article", "vote", ok=True)
    after = entries(path)
    assert after[0].msgstr == "El concejo aprueba el presupuesto" and not provenance(after[0])
    assert after[1].msgstr == "Borrador humano" and not provenance(after[1])
    assert all(provenance(e) for e in after[2:])
    assert len(libre.requests) == len(after) - 2


def test_masking_keeps_links_code_tags_and_glossary_terms(
    locflow: Invoke, project: Path, libre: LibreServer
) -> None:
    (project / "content" / "aid.md").write_text(LINKED, encoding="utf-8")
    (project / "glossary").mkdir()
    (project / "glossary" / "es.csv").write_text(
        "term,translation,kind,note\nZhao Tong,,do-not-translate,\nPyongyang,Pionyang,translate,\n"
        "NATO,OTAN,translate,\n", encoding="utf-8")
    configure(project, libre.url)
    locflow("sync", ok=True)
    locflow("translate", "--locale", "es", "--article", "aid", ok=True)
    drafts = {e.msgid: e.msgstr for e in entries(po(project, "es", "aid"))}
    assert drafts["Aid for Pyongyang"] == "ES: AID FOR Pionyang"
    assert drafts[
        "Read [the Carnegie report](https://carnegieendowment.org/r?id=1) on `aid_total` now."
    ] == "ES: READ [THE CARNEGIE REPORT](https://carnegieendowment.org/r?id=1) ON `aid_total` NOW."
    assert drafts["Zhao Tong met <abbr>NATO</abbr> staff."] == (
        "ES: Zhao Tong MET <abbr>OTAN</abbr> STAFF.")
    sent = " ".join(r["q"] for r in libre.requests)
    assert "carnegieendowment" not in sent and "aid_total" not in sent and "Zhao" not in sent
    # the drafts pass the content checks: only their state is reported
    report = json.loads(locflow("check", "--locale", "es", "--article", "aid",
                                "--format", "json").stdout)
    assert {f["check"] for f in report["findings"]} == {"fuzzy"}


def test_lost_link_is_flagged_in_provenance_and_by_check(
    locflow: Invoke, project: Path, libre: LibreServer
) -> None:
    (project / "content" / "aid.md").write_text(LINKED, encoding="utf-8")
    configure(project, libre.url)
    libre.behaviour.mode = "drop-placeholders"  # the engine loses the link's closing part
    locflow("sync", ok=True)
    result = locflow("translate", "--locale", "es", "--article", "aid", ok=True)
    assert "lost a link, code span or tag" in result.stderr
    by_msgid = {e.msgid: e for e in entries(po(project, "es", "aid"))}
    linked = by_msgid[
        "Read [the Carnegie report](https://carnegieendowment.org/r?id=1) on `aid_total` now."]
    found = provenance(linked)
    assert found is not None and found.notes == ("structure-changed",
                                                 f"draft {draft_hash(linked.msgstr)}")
    report = json.loads(locflow("check", "--locale", "es", "--article", "aid",
                                "--format", "json").stdout)
    checks = {(f["msgid"], f["check"]) for f in report["findings"]}
    # the link's target is gone: urls reports it (markup leaves URL targets to urls)
    assert (linked.msgid, "urls") in checks
    assert ("Zhao Tong met <abbr>NATO</abbr> staff.", "markup") in checks  # a lost tag


def test_429_with_retry_after_is_waited_out(
    locflow: Invoke, project: Path, libre: LibreServer
) -> None:
    configure(project, libre.url, retries=3, concurrency=2)
    libre.behaviour.mode, libre.behaviour.limit = "429", 2
    locflow("sync", ok=True)
    started = time.monotonic()
    result = locflow("translate", "--locale", "es", "--article", "storm", ok=True)
    assert "2 drafts" in result.stderr
    statuses = libre.behaviour.times
    # after the 429s, no request went out before the second the server asked for
    assert statuses[2] - statuses[0] >= 0.95
    assert time.monotonic() - started < 10


def test_429_for_good_exits_3_and_saves_nothing_broken(
    locflow: Invoke, project: Path, libre: LibreServer
) -> None:
    configure(project, libre.url, retries=1)
    libre.behaviour.mode, libre.behaviour.limit, libre.behaviour.retry_after = "429", 99, "0"
    locflow("sync", ok=True)
    before = po(project, "es", "storm").read_bytes()
    result = locflow("translate", "--locale", "es", "--article", "storm")
    assert result.exit_code == 3
    assert result.stderr.strip().splitlines() == [
        "Error: libre: HTTP 429 from the server (gave up after 2 attempts); "
        "0 drafts saved, 2 entries left untranslated"]
    assert po(project, "es", "storm").read_bytes() == before


def test_server_dying_part_way_keeps_the_drafts_made(
    locflow: Invoke, project: Path, libre: LibreServer
) -> None:
    configure(project, libre.url, concurrency=1)
    libre.behaviour.mode, libre.behaviour.limit = "die-after", 3
    locflow("sync", ok=True)
    result = locflow("translate", "--locale", "es", "--article", "vote")
    assert result.exit_code == 3, result.output
    line = result.stderr.strip()
    assert "\n" not in line and "Traceback" not in result.output
    assert line.startswith("Error: libre: ") and "3 drafts saved, 2 entries left" in line
    catalog = pofile.load(po(project, "es", "vote"))  # parses: still a valid catalog
    assert sum(bool(provenance(e)) for e in catalog.active()) == 3
    # the next run, with the server back, drafts only the rest
    back = LibreServer()
    try:
        result = locflow("translate", "--locale", "es", "--article", "vote", "--url", back.url,
                         ok=True)
        assert len(back.requests) == 2
    finally:
        back.stop()


def test_a_slow_server_times_out(locflow: Invoke, project: Path, libre: LibreServer) -> None:
    configure(project, libre.url, timeout=0.3, retries=1)
    libre.behaviour.mode, libre.behaviour.delay = "slow", 3.0
    locflow("sync", ok=True)
    started = time.monotonic()
    result = locflow("translate", "--locale", "es", "--article", "storm", "--concurrency", "1")
    elapsed = time.monotonic() - started
    assert result.exit_code == 3
    assert "Error: libre: no answer within 0.3 s (timeout) (gave up after 2 attempts)" in (
        result.stderr)
    assert elapsed < 2.5  # two attempts of 0.3 s, not two of 3 s


def test_refused_key_exits_3_and_the_key_is_nowhere(
    locflow: Invoke, project: Path, libre: LibreServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "sk-test-5ecret-c0de"
    monkeypatch.setenv("LIBRE_API_KEY", secret)
    configure(project, libre.url)
    locflow("sync", ok=True)
    # with the key, a draft run: the key goes to the server, and nowhere else (the URL
    # comes from the command line: the key goes only where the environment's side says)
    ok = locflow("translate", "--locale", "es", "--article", "vote", "--url", libre.url,
                 ok=True)
    assert libre.requests[0]["api_key"] == secret
    libre.behaviour.mode = "403"
    po(project, "es", "storm").unlink()
    locflow("sync", ok=True)
    monkeypatch.setenv("LOCFLOW_MT_URL", libre.url)
    refused = locflow("translate", "--locale", "es", "--article", "storm")
    assert refused.exit_code == 3
    assert "libre: the service refused the credentials (check LIBRE_API_KEY)" in refused.stderr
    # a dead server: requests' own message would carry the URL with the key in it
    libre.stop()
    dead = locflow("translate", "--locale", "es", "--article", "storm")
    assert dead.exit_code == 3 and "cannot connect to 127.0.0.1" in dead.stderr
    texts = [ok.output, refused.output, dead.output]
    texts += [p.read_text(encoding="utf-8") for p in project.rglob("*") if p.is_file()
              and p.suffix in (".po", ".pot", ".toml", ".md")]
    with sqlite3.connect(project / ".locflow" / "mt-cache.sqlite3") as db:
        texts += [" ".join(map(str, row)) for row in db.execute("SELECT * FROM mt_cache")]
    raw = b"".join(p.read_bytes() for p in (project / ".locflow").rglob("*") if p.is_file())
    assert all(secret not in text for text in texts)
    assert secret.encode() not in raw


def test_unsupported_pair_is_refused_before_any_request(
    locflow: Invoke, project: Path, libre: LibreServer
) -> None:
    configure(project, libre.url)
    locflow("sync", ok=True)
    result = locflow("translate", "--provider", "libre", "--locale", "es")  # [mt] url applies
    assert result.exit_code == 0
    result = locflow("translate", "--provider", "mymemory", "--url", libre.url)
    assert result.exit_code == 2 and "mymemory takes no URL (only libre does)" in result.stderr
    libre.behaviour.requests.clear()
    path = po(project, "es", "vote")
    catalog = pofile.load(path)
    catalog.set_metadata("Language", "cy")  # Welsh: not in deep-translator's list for libre
    pofile.save_atomic(path, pofile.dump(catalog))
    result = locflow("translate", str(path))
    assert result.exit_code == 2
    assert "libre cannot translate en → cy: it has no code for cy" in result.stderr
    assert libre.requests == []


def test_dry_run_sends_and_writes_nothing(
    locflow: Invoke, project: Path, libre: LibreServer
) -> None:
    configure(project, libre.url)
    locflow("sync", ok=True)
    before = {p: p.read_bytes() for p in (project / "locales").rglob("*.po")}
    result = locflow("translate", "--dry-run", "--limit", "3", "--article", "vote", ok=True)
    assert "would draft 3 entries with libre: 3 texts, 0 in the MT cache, 3 requests" in (
        result.stdout)
    # (sync may have made the translation memory's index there; the MT cache it must not)
    assert libre.requests == [] and not (project / ".locflow" / "mt-cache.sqlite3").exists()
    assert {p: p.read_bytes() for p in (project / "locales").rglob("*.po")} == before


def test_limit_and_missing_provider(locflow: Invoke, project: Path, libre: LibreServer) -> None:
    locflow("sync", ok=True)
    missing = locflow("translate")
    assert missing.exit_code == 2 and "no MT provider" in missing.stderr
    result = locflow("translate", "--provider", "libre", "--url", libre.url, "--limit", "2",
                     "--locale", "es", "--article", "vote", ok=True)
    assert "2 drafts" in result.stderr and len(libre.requests) == 2


def test_pipeline_drafts_only_with_a_provider(
    locflow: Invoke, project: Path, libre: LibreServer
) -> None:
    assert "== translate" not in locflow("pipeline").stdout
    configure(project, libre.url)
    result = locflow("pipeline")
    assert "== translate (libre)" in result.stdout and libre.requests
    assert "[fuzzy]" in result.stdout


def test_ctrl_c_saves_the_drafts_made_and_exits_3(
    locflow: Invoke, project: Path, libre: LibreServer
) -> None:
    import os
    import signal
    import subprocess
    import sys

    configure(project, libre.url, concurrency=1)
    libre.behaviour.delay = 0.25
    locflow("sync", ok=True)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1730764800"}
    process = subprocess.Popen(
        [sys.executable, "-m", "locflow", "-C", str(project), "translate", "--locale", "es"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        # a test run started in the background (CI, `cmd &`) ignores SIGINT, and Python
        # keeps an inherited "ignore": give the child the terminal's default, as Ctrl-C has
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 20
    while len(libre.requests) < 4 and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=20)
    assert process.returncode == 3, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: libre: interrupted; ")
    saved = int(lines[0].split("interrupted; ")[1].split(" draft")[0])
    assert saved >= 3
    drafts = 0
    for path in (project / "locales" / "es").rglob("*.po"):
        drafts += sum(bool(provenance(e)) for e in pofile.load(path).active())  # all parse
    assert drafts == saved


def test_long_paragraphs_are_split_at_sentence_ends(
    locflow: Invoke, project: Path, libre: LibreServer
) -> None:
    long = " ".join(f"Sentence {n} of the long paragraph is here." for n in range(12))
    (project / "content" / "long.md").write_text(
        f"---\ntitle: Long\ndate: 2024-11-06\n---\n\n{long}\n", encoding="utf-8")
    configure(project, libre.url, max_chars=100)
    locflow("sync", ok=True)
    locflow("translate", "--locale", "es", "--article", "long", ok=True)
    sent = sorted((r["q"] for r in libre.requests if r["q"] != "Long"), key=long.index)
    assert len(sent) > 4 and all(len(q) <= 100 and q.endswith(".") for q in sent)
    draft = next(e for e in entries(po(project, "es", "long")) if e.msgid == long)
    assert draft.msgstr == " ".join(fake_translation(q, "es") for q in sent)


def test_a_read_only_catalog_stops_translate_before_any_request(
    locflow: Invoke, project: Path, libre: LibreServer
) -> None:
    """Issue 7 (sibling): respect a catalog's write permission, before paying for MT."""
    configure(project, libre.url)
    locflow("sync", ok=True)
    vote = po(project, "es", "vote")
    vote.chmod(0o444)
    before = vote.read_bytes()
    result = locflow("translate", "--locale", "es")
    assert result.exit_code == 2
    assert "read-only" in result.stderr and "vote.po" in result.stderr
    assert libre.requests == [] and vote.read_bytes() == before


# -- issue 17: a pull request cannot change who is trusted ------------------------------

SECRET = "sk-ci-0nly-5ecret"


@pytest.fixture
def ci_key(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """The CI's environment: a LibreTranslate key, and no URL of its own yet."""
    monkeypatch.setenv("LIBRE_API_KEY", SECRET)
    monkeypatch.delenv("LOCFLOW_MT_URL", raising=False)
    return monkeypatch


@pytest.fixture
def no_remote_connections(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Any connection to an address but 127.0.0.1 fails the test, before it is made."""
    import socket

    tried: list[object] = []
    connect = socket.socket.connect

    def guarded(sock: socket.socket, address: object) -> None:
        if not (isinstance(address, tuple) and address[0] == "127.0.0.1"):
            tried.append(address)
            raise AssertionError(f"a connection to {address!r}")
        connect(sock, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded)
    return tried


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    return lines[0]


def test_a_key_never_goes_to_a_url_the_repository_chose(
    locflow: Invoke, project: Path, libre: LibreServer, ci_key: pytest.MonkeyPatch
) -> None:
    """Issue 17: `[mt] url` in the branch's locflow.toml got the CI's LIBRE_API_KEY."""
    configure(project, libre.url)
    locflow("sync", ok=True)
    result = locflow("translate", "--locale", "es", "--article", "storm", ok=True)
    assert len(libre.requests) == 2
    assert all("api_key" not in r for r in libre.requests)  # the texts, not the key
    notes = [line for line in result.stderr.splitlines() if "LIBRE_API_KEY" in line]
    assert notes == ["note: LIBRE_API_KEY not sent: the server's URL comes from the repository "
                     "([mt] url in locflow.toml); give it in LOCFLOW_MT_URL or --url to send it"]
    assert SECRET not in result.output
    # a server that wants the key says so, and the message says why it did not get it
    libre.behaviour.mode = "403"
    po(project, "es", "vote").unlink()
    locflow("sync", ok=True)
    refused = locflow("translate", "--locale", "es", "--article", "vote")
    assert refused.exit_code == 3
    note, error = refused.stderr.strip().splitlines()
    assert note == notes[0]
    assert error.startswith("Error: libre: the server refused a request without a key; "
                            "LIBRE_API_KEY is not sent to a URL from locflow.toml")
    assert SECRET not in refused.output


@pytest.mark.parametrize("how", ["env", "cli", "cli-over-env"])
def test_a_key_goes_to_a_url_from_the_environment_or_the_command_line(
    locflow: Invoke, project: Path, libre: LibreServer, ci_key: pytest.MonkeyPatch, how: str
) -> None:
    configure(project, "http://127.0.0.1:9/")  # the branch's choice: overridden
    locflow("sync", ok=True)
    args = ["translate", "--locale", "es", "--article", "storm"]
    if how == "env":
        ci_key.setenv("LOCFLOW_MT_URL", libre.url)
    else:
        args += ["--url", libre.url]
    if how == "cli-over-env":
        ci_key.setenv("LOCFLOW_MT_URL", "http://127.0.0.1:9/")
    result = locflow(*args, ok=True)
    assert [r["api_key"] for r in libre.requests] == [SECRET, SECRET]
    assert "not sent" not in result.stderr and SECRET not in result.output


@pytest.mark.parametrize("how", ["env", "cli"])
def test_a_key_is_never_sent_over_plain_http_to_another_machine(
    locflow: Invoke, project: Path, libre: LibreServer, ci_key: pytest.MonkeyPatch,
    no_remote_connections: list[object], how: str
) -> None:
    configure(project, libre.url)
    locflow("sync", ok=True)
    remote = "http://192.0.2.1:5000/"  # TEST-NET-1: never contacted (refused before)
    if how == "env":
        ci_key.setenv("LOCFLOW_MT_URL", remote)
        result = locflow("translate", "--locale", "es")
        where = "LOCFLOW_MT_URL"
    else:
        result = locflow("translate", "--locale", "es", "--url", remote)
        where = "--url"
    assert result.exit_code == 2
    assert one_line(result.stderr) == (
        f"Error: {where}: LIBRE_API_KEY is not sent over plain http to another machine: "
        "use https://, or unset the key")
    assert libre.requests == [] and no_remote_connections == []
    assert SECRET not in result.output and "192.0.2.1" not in result.output
    # with no key to protect, or a repository URL (which gets no key), nothing is refused:
    # a dry run tells what a run would do, and sends nothing
    dry = locflow("translate", "--locale", "es", "--url", "http://localhost:9/", "--dry-run",
                  ok=True)
    assert "would draft" in dry.stdout
    configure(project, remote)
    ci_key.delenv("LOCFLOW_MT_URL", raising=False)
    dry = locflow("translate", "--locale", "es", "--dry-run", ok=True)
    assert "note: LIBRE_API_KEY not sent" in dry.stderr and no_remote_connections == []


@pytest.mark.parametrize(("url", "where", "why"), [
    ("127.0.0.1:33331", "--url", "not an http:// or https:// URL"),
    ("localhost:5000", "--url", "not an http:// or https:// URL"),
    ("ftp://127.0.0.1/", "--url", "not an http:// or https:// URL"),
    ("http:///translate", "--url", "the URL names no host"),
    ("http://127.0.0.1:99999/", "--url", "port is not a number from 1 to 65535"),
    ("http://127.0.0.1:0/", "--url", "port is not a number from 1 to 65535"),
    ("http://ci:pa55word@127.0.0.1:1/", "--url", "carries a user or password"),
    ("http://127.0.0.1:1/?key=k", "--url", "has a query or fragment"),
    ("http://127.0.0.1:1/ x", "--url", "spaces or control characters"),
    ("127.0.0.1:33331", "LOCFLOW_MT_URL", "not an http:// or https:// URL"),
    ("127.0.0.1:33331", "[mt] url in locflow.toml", "not an http:// or https:// URL"),
])
def test_a_bad_url_is_an_error_at_once(
    locflow: Invoke, project: Path, monkeypatch: pytest.MonkeyPatch,
    no_remote_connections: list[object], url: str, where: str, why: str
) -> None:
    """Issue 17: `--url 127.0.0.1:33331` retried for 11.6 s, then said `InvalidSchema`."""
    monkeypatch.delenv("LOCFLOW_MT_URL", raising=False)
    configure(project, "http://127.0.0.1:9/", retries=4, backoff=1.0)
    locflow("sync", ok=True)
    args = ["translate", "--locale", "es"]
    if where == "--url":
        args += ["--url", url]
    elif where == "LOCFLOW_MT_URL":
        monkeypatch.setenv("LOCFLOW_MT_URL", url)
    else:
        configure(project, url)
    started = time.monotonic()
    result = locflow(*args)
    assert result.exit_code == 2, result.output
    line = one_line(result.stderr)
    assert line.startswith(f"Error: {where}: ") and why in line
    assert "pa55word" not in line and "key=k" not in line
    assert time.monotonic() - started < 2 and no_remote_connections == []


def test_the_timeout_bounds_a_whole_request_however_slowly_the_answer_drips(
    locflow: Invoke, project: Path, libre: LibreServer
) -> None:
    """Issue 17: a server answering a byte a second held `timeout = 3` past 180 s."""
    configure(project, libre.url, timeout=0.5, retries=1, backoff=0.01)
    # a byte every 50 ms: each read is quick, the answer takes 20 s
    libre.behaviour.mode, libre.behaviour.delay, libre.behaviour.size = "drip", 0.05, 300
    locflow("sync", ok=True)
    started = time.monotonic()
    result = locflow("translate", "--locale", "es", "--article", "storm", "--concurrency", "1")
    elapsed = time.monotonic() - started
    assert result.exit_code == 3, result.output
    assert one_line(result.stderr) == (
        "Error: libre: no answer within 0.5 s (timeout) (gave up after 2 attempts); "
        "0 drafts saved, 2 entries left untranslated")
    assert elapsed < 0.5 * 2 + 2  # two attempts of 0.5 s, and some slack
    # the two attempts of the first text; the next text may already be on its way when
    # the first gives up (the pool stops then: never more)
    assert 2 <= len(libre.requests) <= 3


@pytest.mark.parametrize("size", [10_000_000, 5_000])
def test_an_absurdly_long_answer_is_refused_not_stored(
    locflow: Invoke, project: Path, libre: LibreServer, size: int
) -> None:
    """Issue 17: 10 MB answers became drafts (a 70 MB catalog). 10 MB: refused while it is
    read; 5,000 characters for a title: refused by the bound (20 times the text sent)."""
    configure(project, libre.url)
    locflow("sync", ok=True)
    before = po(project, "es", "storm").read_bytes()
    libre.behaviour.mode, libre.behaviour.size = "huge", size
    result = locflow("translate", "--locale", "es", "--article", "storm", ok=True)
    warning = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warning) == 1 and warning[0].startswith(
        "warning: 2 entries left untranslated, the engine's answer refused (libre: ")
    assert "0 drafts" in result.stderr and len(result.stderr) < 1000
    assert po(project, "es", "storm").read_bytes() == before  # nothing stored
    with sqlite3.connect(project / ".locflow" / "mt-cache.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM mt_cache").fetchone() == (0,)
    # the next run asks again, and a sane answer is a draft
    libre.behaviour.mode = "answer"
    again = locflow("translate", "--locale", "es", "--article", "storm", ok=True)
    assert "2 drafts" in again.stderr and "warning" not in again.stderr
    assert all(e.msgstr == fake_translation(e.msgid, "es")
               for e in entries(po(project, "es", "storm")))


def test_a_machine_draft_a_person_changed_is_no_longer_called_machine_translation(
    locflow: Invoke, project: Path, libre: LibreServer
) -> None:
    """Issue 19: the `mt` provenance stayed on text a translator or an editor rewrote."""
    from locflow import pipeline
    from locflow.review import text_hash

    configure(project, libre.url)
    locflow("sync", ok=True)
    locflow("translate", "--locale", "es", "--article", "vote", ok=True)
    path = po(project, "es", "vote")

    def drafts() -> dict[str, object]:
        rows = json.loads(locflow("review", "list", str(path), "--format", "json",
                                  ok=True).stdout)
        return {row["msgid"]: row["draft"] for row in rows["entries"]}

    roads, mayor = "Roads will get $4.2 million, the largest share.", \
        "The mayor said the plan was **fair**."
    assert str(drafts()[roads]).startswith("mt libre 2024-11-05 (")
    assert "draft " not in str(drafts()[roads])  # the hash of the text is not for people
    before = path.read_bytes()
    locflow("sync", ok=True)
    assert path.read_bytes() == before  # byte-stable: sync rewrites no draft
    with pofile.edit(path) as catalog:  # a translator rewrites one draft (in Poedit)
        entry = next(e for e in catalog.active() if e.msgid == roads)
        entry.msgstr = "Las carreteras recibirán 4,2 millones de dólares."
        entry.flags.remove("fuzzy")
    entry = next(e for e in entries(path) if e.msgid == mayor)
    pipeline.edit_entry(path, entry.key, text_hash(entry),  # an editor, in the desk
                        ["El alcalde dijo que el plan era **justo**."])
    listed = drafts()
    assert listed[roads] is None and listed[mayor] is None
    assert str(listed["The council voted 7-2 for a $4.2 million plan."]).startswith("mt libre")
