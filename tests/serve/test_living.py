"""Living articles at the desk: correction drafts shown and approved as corrections, the
text a page behind its English shows, and the dashboard's list of translations behind."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from locflow import pipeline
from locflow.catalog import pofile
from locflow.config import Project
from locflow.model import ReviewState
from locflow.provenance import Provenance, draft_hash, set_provenance, source_hash
from locflow.review import approval, entry_state, previous_approval, reject
from locflow.serve import views
from tests.serve.desk_helpers import CORRECTED, csrf_token, entries, living, running_desk
from tests.serve.test_app import form_of, named

REVIEW = "/review/es/vote"
WAS = "El concejo municipal votó 7 a 2 el martes para aprobar el presupuesto."
NOW = "El concejo municipal votó 8 a 1 el martes para aprobar el presupuesto."
JUSTO = "El alcalde dijo que el plan era **justo**."


@pytest.fixture
def living_es(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``es/vote.po`` of a project whose English was corrected after approval (entry 2:
    a correction draft 7-2 → 8-1; entry 4: reworded, outdated); today is 2024-11-11."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1730764800")  # approved and synced 2024-11-05
    path = living(project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1731283200")  # reviewed 2024-11-11
    return path


@pytest.fixture
def desk(project: Path, living_es: Path) -> Iterator[httpx.Client]:
    with running_desk(project) as url, httpx.Client(base_url=url, timeout=20) as client:
        yield client


def section(page: str, index: int) -> str:
    found = re.search(rf'<section class="entry[^"]*" id="e{index}".*?</section>', page, re.S)
    assert found, f"no entry {index}"
    return found.group(0)


# -- the review page -----------------------------------------------------------------


def test_a_correction_draft_shows_as_a_correction(desk: httpx.Client) -> None:
    named(desk)
    entry = section(desk.get(REVIEW).text, 2)
    assert 'class="entry s-fuzzy correction"' in entry
    assert "correction: 7→8, 2→1" in entry
    # the English change, word by word
    assert "English corrected" in entry
    assert "The city council voted <del>7</del><ins>8</ins>-<del>2</del><ins>1</ins>" in entry
    # the approved text beside the corrected draft, the change highlighted in each
    pair = re.search(r'<div class="correction-pair">.*?</div>\s*</div>', entry, re.S)
    assert pair
    was, now = re.findall(r'<p class="text" lang="es">(.*?)</p>', pair.group(0))
    assert was == "El concejo municipal votó <del>7</del> a <del>2</del> el martes para " \
                  "aprobar el presupuesto."
    assert now == "El concejo municipal votó <ins>8</ins> a <ins>1</ins> el martes para " \
                  "aprobar el presupuesto."
    assert "<b>Published now</b>, marked outdated" in pair.group(0)
    assert "approved for the earlier English by desk-editor · 2024-11-05" in pair.group(0)
    # one button takes and approves the draft; the plain approval is not offered
    assert re.search(r'action="/review/es/vote/approve-correction" class="approve-form">.*?'
                     r'<button class="btn ok" type="submit" title="[^"]*">Approve correction',
                     entry, re.S)
    assert 'action="/review/es/vote/approve"' not in entry


def test_an_outdated_entry_shows_what_the_published_page_shows(desk: httpx.Client) -> None:
    page = desk.get(REVIEW).text
    assert '<span class="chip s-outdated"><b>2</b> behind the English</span>' in page
    entry = section(page, 4)
    assert "correction:" not in entry and "Approve correction" not in entry
    shown = re.search(r'<div class="published-now">(.*?)</div>', entry, re.S)
    assert shown and "<b>Published now</b>, marked outdated" in shown.group(1)
    assert html.escape(JUSTO, quote=False) in shown.group(1)
    assert "<textarea" not in shown.group(1) and "<form" not in shown.group(1)  # read-only
    assert "locflow-previous" not in entry  # the record itself is not shown as a note
    # entries approved for today's English show no earlier text
    assert 'class="published-now"' not in section(desk.get(REVIEW).text, 3)


def test_what_the_page_shows_follows_the_outdated_setting(project: Path, living_es: Path
                                                          ) -> None:
    config = project / "locflow.toml"
    config.write_text(config.read_text("utf-8") + '\n[build]\noutdated = "source"\n',
                      encoding="utf-8")
    loaded = Project.load(project)
    ref = views.find_catalog(loaded, "es", "vote")
    assert ref is not None
    page = views.review_page(loaded, ref)
    assert page.outdated_mode == "source"
    assert [e.index for e in page.corrections] == [2]
    assert page.entries[4].previous is not None and page.entries[4].previous.msgstr == JUSTO
    with running_desk(project) as url:
        text = httpx.get(url + REVIEW).text
    assert "the page shows the English here" in section(text, 4)
    assert "Published now" not in text


# -- approving a correction -------------------------------------------------------------


def test_approve_correction_in_one_step(desk: httpx.Client, living_es: Path) -> None:
    named(desk)
    fields = form_of(desk.get(REVIEW).text, "approve-correction", 2)
    response = desk.post(f"{REVIEW}/approve-correction", data=fields)
    assert response.status_code == 303
    assert response.headers["location"] == f"{REVIEW}?done=approved-correction#e3"
    entry = entries(living_es)[2]
    assert (entry.msgid, entry.msgstr) == (CORRECTED, NOW)
    assert entry_state(entry) is ReviewState.APPROVED and "fuzzy" not in entry.flags
    found = approval(entry)
    assert found is not None and (found.reviewer, found.date) == ("desk-editor", "2024-11-11")
    assert entry.previous_msgid is None and "locflow-previous" not in entry.tcomment
    assert "Correction approved." in desk.get(response.headers["location"]).text
    # the outdated entry next to it is untouched
    assert previous_approval(entries(living_es)[4]) is not None


def test_a_correction_changed_meanwhile_answers_409(desk: httpx.Client, living_es: Path
                                                    ) -> None:
    named(desk)
    page = desk.get(REVIEW).text
    with pofile.edit(living_es) as catalog:  # a translator rewrites the draft, still fuzzy
        [e for e in catalog.active() if e.msgid][2].msgstr = "El concejo votó 8 a 1."
    before = living_es.read_bytes()
    response = desk.post(f"{REVIEW}/approve-correction",
                         data=form_of(page, "approve-correction", 2))
    assert response.status_code == 409 and "El concejo votó 8 a 1." in response.text
    assert living_es.read_bytes() == before
    # another editor rejected the draft (same text, another state): refused too
    page = desk.get(REVIEW).text
    with pofile.edit(living_es) as catalog:
        reject([e for e in catalog.active() if e.msgid][2], "other", "2024-11-11", "no")
    before = living_es.read_bytes()
    response = desk.post(f"{REVIEW}/approve-correction", data={
        **form_of(page, "approve", 2), "state": "fuzzy"})
    assert response.status_code == 409 and living_es.read_bytes() == before


def test_a_correction_a_check_refuses_is_not_taken(desk: httpx.Client, living_es: Path
                                                   ) -> None:
    """The draft is only taken when its approval passes: a refused one stays a draft."""
    with pofile.edit(living_es) as catalog:  # a draft that drops the link of its source
        entry = [e for e in catalog.active() if e.msgid][2]
        entry.msgid = "The council [voted 8-1](https://example.com/vote) on Tuesday."
        set_provenance(entry, Provenance("correction", "7→8+2→1", "2024-11-05",
                                         source_hash(None, entry.msgid),
                                         notes=(f"draft {draft_hash(entry.msgstr)}",)))
    named(desk)
    page = desk.get(REVIEW).text
    assert "correction: 7→8, 2→1" in section(page, 2)
    before = living_es.read_bytes()
    response = desk.post(f"{REVIEW}/approve-correction",
                         data=form_of(page, "approve-correction", 2))
    assert response.status_code == 303 and "done=blocked" in response.headers["location"]
    assert living_es.read_bytes() == before
    # an entry that is no correction draft is not approved as one either
    response = desk.post(f"{REVIEW}/approve-correction", data=form_of(page, "approve", 4))
    assert response.status_code == 303 and "done=not-correction" in response.headers["location"]
    assert living_es.read_bytes() == before
    assert "no longer a correction draft" in desk.get(response.headers["location"]).text


def test_approve_all_leaves_corrections_to_their_own_button(desk: httpx.Client,
                                                            living_es: Path) -> None:
    with pofile.edit(living_es) as catalog:  # a translator rewords entry 4: awaiting review
        entry = [e for e in catalog.active() if e.msgid][4]
        entry.msgstr, entry.flags = "El alcalde dijo que el plan era **justo y tardío**.", []
    named(desk)
    page = desk.get(REVIEW).text
    token = csrf_token(page)
    listed = re.findall(r'<form class="approve-all[^"]*" method="post" action="[^"]*/'
                        r'(approve-all|approve-corrections)">.*?name="entries" value="([^"]*)"',
                        page, re.S)
    assert [name for name, _ in listed] == ["approve-all", "approve-corrections"]
    assert "Approve all corrections (1)" in page
    response = desk.post(f"{REVIEW}/approve-all",
                         data={"csrf": token, "entries": html.unescape(listed[0][1])})
    assert "n=1&skipped=0" in response.headers["location"]
    assert [entry_state(e).value for e in entries(living_es)] == [
        "approved", "approved", "fuzzy", "approved", "approved"]
    response = desk.post(f"{REVIEW}/approve-corrections",
                         data={"csrf": token, "entries": html.unescape(listed[1][1])})
    assert response.status_code == 303 and "n=1&skipped=0" in response.headers["location"]
    assert "Approved 1 correction." in desk.get(response.headers["location"]).text
    body = entries(living_es)
    assert [entry_state(e).value for e in body] == ["approved"] * 5
    assert body[2].msgstr == NOW
    assert "Approve all corrections" not in desk.get(REVIEW).text


# -- the dashboard -------------------------------------------------------------------------


def test_dashboard_lists_what_is_live_and_how_far_behind(project: Path, living_es: Path
                                                        ) -> None:
    storm = project / "content" / "storm.md"  # also behind, updated more recently
    storm.write_text(storm.read_text("utf-8").replace(
        "date: 2024-11-05", "date: 2024-11-05\nupdated: 2024-11-10").replace(
        "closed on Monday", "closed on Monday and Tuesday"), encoding="utf-8")
    loaded = Project.load(project)
    pipeline.sync(loaded)
    today = dt.date(2024, 11, 11)
    rows = views.catalog_rows(loaded)
    late = views.behind_rows(loaded, rows, today)
    # the order and figures are pipeline.behind's (as status and check --max-behind)
    expected = pipeline.behind(loaded, [(r.ref, r.locale, r.counts.outdated) for r in rows
                                        if r.ref is not None], today)
    assert [(b.row.label, b.outdated, b.updated, b.days) for b in late] == [
        (b.ref.label, b.outdated, b.updated, b.days) for b in expected]
    assert [(b.row.label, b.outdated, b.days, b.corrections) for b in late] == [
        ("locales/es/articles/vote.po", 2, 5, 1), ("locales/es/articles/storm.po", 1, 1, 0)]
    with running_desk(project) as url:
        page = httpx.get(url + "/").text
        spanish_only = httpx.get(url + "/", params={"locale": "zh_Hans"}).text
    table = re.search(r'<section class="behind".*?</section>', page, re.S)
    assert table and "<h2 id=\"behind-title\">Behind the English</h2>" in table.group(0)
    headers = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', table.group(0))
    assert headers == ["Article", "Language", "Live page shows", "Outdated entries",
                       "English updated", "Days behind", "Corrections to approve"]
    body = re.findall(r"<tr>(.*?)</tr>", table.group(0).split("<tbody>")[1], re.S)
    assert [re.findall(r'href="([^"]+)"', row)[0] for row in body] == [
        "/review/es/vote", "/review/es/storm"]
    first = re.sub(r"<[^>]+>", " ", body[0])
    assert "approved for the earlier English, 2 entries marked outdated" in first
    assert "2024-11-06" in first and "5 days" in first
    assert re.findall(r'<td class="num[^"]*"[^>]*>(\w+)</td>', body[0]) == ["2", "1"]
    assert "none" in re.sub(r"<[^>]+>", " ", body[1])
    assert 'class="behind"' not in spanish_only  # the language filter applies
