"""The desk over HTTP, against a real uvicorn server: pages, decisions, conflicts, security."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import httpx
import pytest

from locflow.catalog import pofile
from locflow.config import Project
from locflow.model import ReviewState
from locflow.review import entry_state, rejection, text_hash
from tests.serve.desk_helpers import csrf_token, entries

REVIEW = "/review/es/vote"


def named(client: httpx.Client, name: str = "desk-editor") -> None:
    """Give the desk a reviewer name, as the form at the top of every page does."""
    token = csrf_token(client.get("/").text)
    response = client.post("/reviewer", data={"csrf": token, "name": name, "back": "/"})
    assert response.status_code == 303, response.text


def form_of(page: str, action: str, index: int) -> dict[str, object]:
    """The fields of entry *index*'s form posting to *action* (as a browser would send them)."""
    section = re.search(rf'<section class="entry[^"]*" id="e{index}".*?</section>', page, re.S)
    assert section, f"no entry {index}"
    form = re.search(rf'<form method="post" action="[^"]*/{action}".*?</form>', section.group(0),
                     re.S)
    assert form, f"no {action} form on entry {index}"
    fields: dict[str, object] = {}
    for name, value in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">',
                                  form.group(0)):
        value = html.unescape(value)
        if name in fields:
            previous = fields[name]
            fields[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            fields[name] = value
    return fields


def state_of(path: Path, index: int) -> ReviewState:
    return entry_state(entries(path)[index])


# -- pages ---------------------------------------------------------------------------


def test_dashboard_lists_catalogs_most_urgent_first(desk: httpx.Client) -> None:
    page = desk.get("/").text
    links = re.findall(r'<td class="article"><a href="(/review/[^"]+)"', page)
    # es/vote has a rejected and a fuzzy entry; storm is untranslated; zh_Hans/vote untranslated
    assert links[0] == "/review/es/vote"
    assert set(links) == {f"/review/{loc}/{slug}" for loc in ("es", "zh_Hans")
                          for slug in ("vote", "storm", "site")}
    assert "Who is reviewing?" in page


def test_dashboard_filters_by_state_and_locale(desk: httpx.Client) -> None:
    rejected = desk.get("/", params={"state": "rejected"}).text
    assert re.findall(r'<td class="article"><a href="(/review/[^"]+)"', rejected) == [REVIEW]
    spanish = desk.get("/", params={"locale": "es"}).text
    assert "/review/zh_Hans/" not in spanish and "/review/es/storm" in spanish
    # unknown values are ignored, not reflected
    odd = desk.get("/", params={"state": "<b>x</b>", "locale": "xx"})
    assert odd.status_code == 200 and "<b>x</b>" not in odd.text


def test_review_page_shows_entries_in_document_order(desk: httpx.Client, vote_es: Path
                                                     ) -> None:
    page = desk.get(REVIEW).text
    positions = [page.index(html.escape(e.msgid, quote=False)) for e in entries(vote_es)
                 if e.msgid != entries(vote_es)[3].msgid]  # the fuzzy one shows as a diff
    assert positions == sorted(positions)
    states = re.findall(r'<section class="entry s-(\w+)"', page)
    assert states == ["approved", "translated", "translated", "fuzzy", "rejected"]


def test_review_page_shows_what_an_editor_needs(desk: httpx.Client) -> None:
    page = desk.get(REVIEW).text
    # fuzzy: a word diff from the old source to the new
    assert "<del>0</del><ins>2</ins>" in page
    # the checks, inline: the wrong vote count
    entry2 = re.search(r'id="e2".*?</section>', page, re.S)
    assert entry2 and "numbers" in entry2.group(0) and "unsafe-html" in entry2.group(0)
    # provenance of the machine draft, made for the old source
    assert "machine translation · libre" in page and "for an older source" in page
    # the rejection and its reason
    assert "say «equitativo»" in page
    # glossary terms highlighted in the source, described by the entry's list of terms (a
    # tooltip on hover), the renderings marked as Spanish; the forbidden rendering flagged
    mark = re.search(r'<mark class="term source" aria-describedby="(e\d+-term-\d+)">council'
                     r'<span class="tip" lang="en" aria-hidden="true"><span lang="en">council'
                     r'</span>: → <span lang="es">consejo</span></span></mark>', page)
    assert mark, "no highlighted term"
    assert (f'<li class="term-translate" id="{mark.group(1)}"><b lang="en">council</b> '
            '→ <span lang="es">consejo</span></li>') in page
    assert 'never: <span lang="es">alcaldesa</span> (the mayor is a man)' in page
    # the preview and the gate's decision
    assert 'src="/preview/es/vote"' in page and "holds it back" in page


def test_translator_text_is_escaped(desk: httpx.Client) -> None:
    page = desk.get(REVIEW).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # the only scripts are files of the desk; no inline event handlers
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/desk.js" defer>']
    assert not re.search(r"<[^>]+\son\w+=", page)


def test_pages_carry_a_strict_content_security_policy(desk: httpx.Client) -> None:
    for url in ("/", REVIEW, "/static/desk.js"):
        response = desk.get(url)
        csp = response.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src 'self'" in csp
        assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert response.headers["x-content-type-options"] == "nosniff"
    preview = desk.get("/preview/es/vote")
    csp = preview.headers["content-security-policy"]
    assert "sandbox" in csp and "script-src" not in csp and "'sha256-" in csp
    assert "frame-ancestors 'self'" in csp


def test_preview_is_the_page_build_writes(desk_project: Path, desk: httpx.Client) -> None:
    from locflow.publish import build_site
    from tests.publish.build_helpers import fake, fill

    fill(desk_project / "locales" / "zh_Hans" / "articles" / "vote.po", fake("zh_Hans"))
    build_site(Project.load(desk_project))
    built = (desk_project / "dist" / "zh-Hans" / "vote" / "index.html").read_text("utf-8")
    assert desk.get("/preview/zh_Hans/vote").text == built
    # a version held back is previewed with the unpublishable text in the source language
    held = desk.get("/preview/es/vote").text
    assert 'class="untranslated"' in held and "El consejo aprueba el presupuesto" in held
    drafts = desk.get("/preview/es/vote", params={"preview": "translated"}).text
    assert "7-2 a favor" in drafts and "7-2 a favor" not in held


# -- decisions -----------------------------------------------------------------------


def test_approve_one_entry(desk: httpx.Client, vote_es: Path) -> None:
    named(desk)
    fields = form_of(desk.get(REVIEW).text, "approve", 1)
    response = desk.post(f"{REVIEW}/approve", data=fields)
    assert response.status_code == 303
    assert response.headers["location"] == f"{REVIEW}?done=approved#e2"
    entry = entries(vote_es)[1]
    assert entry_state(entry) is ReviewState.APPROVED
    assert f"locflow-approved: 2024-11-05 desk-editor ({text_hash(entry)})" in entry.tcomment
    assert "Approved." in desk.get(response.headers["location"]).text


@pytest.mark.parametrize("value", ["9" * 5000, "²", "1²", "١٢", "-1", "1e9", " 2", ""])
def test_a_huge_or_malformed_next_field_is_ignored(desk: httpx.Client, vote_es: Path,
                                                   value: str) -> None:
    """Issue 17: a huge number in `next` (int() refuses over 4,300 digits) answered 500;
    so did `²`, which str.isdigit() accepts. The decision is made; no anchor."""
    named(desk)
    fields = {**form_of(desk.get(REVIEW).text, "approve", 1), "next": value}
    response = desk.post(f"{REVIEW}/approve", data=fields)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"{REVIEW}?done=approved"
    assert entry_state(entries(vote_es)[1]) is ReviewState.APPROVED


def test_a_decision_needs_a_reviewer_name(desk: httpx.Client, vote_es: Path) -> None:
    before = vote_es.read_bytes()
    fields = form_of(desk.get(REVIEW).text, "approve", 1)
    response = desk.post(f"{REVIEW}/approve", data=fields)
    assert response.status_code == 400 and "your name" in response.text
    assert vote_es.read_bytes() == before


def test_reviewer_name_is_kept_in_a_cookie(desk: httpx.Client) -> None:
    token = csrf_token(desk.get("/").text)
    response = desk.post("/reviewer", data={"csrf": token, "name": "Ana López",
                                            "back": REVIEW})
    assert response.status_code == 303 and response.headers["location"] == \
        f"{REVIEW}?done=named"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    assert "Reviewing as <strong" in desk.get(REVIEW).text and "Ana López" in desk.get("/").text
    bad = desk.post("/reviewer", data={"csrf": token, "name": "a: b", "back": "/"})
    assert bad.status_code == 400
    elsewhere = desk.post("/reviewer", data={"csrf": token, "name": "x",
                                             "back": "//evil.example/"})
    assert elsewhere.headers["location"] == "/?done=named"


def test_approve_all_approves_every_translated_entry(desk: httpx.Client, vote_es: Path
                                                     ) -> None:
    named(desk)
    page = desk.get(REVIEW).text
    token = csrf_token(page)
    listed = re.search(r'name="entries" value="([^"]*)"', page)
    assert listed
    response = desk.post(f"{REVIEW}/approve-all",
                         data={"csrf": token, "entries": html.unescape(listed.group(1))})
    # entry 2 changes a number (7-3 for 7-2): the gate keeps it from being approved
    assert response.status_code == 303
    assert "n=1&skipped=1" in response.headers["location"]
    assert [state_of(vote_es, i).value for i in range(5)] == [
        "approved", "approved", "translated", "fuzzy", "rejected"]


def test_reject_with_a_reason(desk: httpx.Client, vote_es: Path) -> None:
    named(desk, "Ana López")
    fields = form_of(desk.get(REVIEW).text, "reject", 2)
    response = desk.post(f"{REVIEW}/reject", data={**fields, "reason": "the vote was 7-2"})
    assert response.status_code == 303
    entry = entries(vote_es)[2]
    assert entry_state(entry) is ReviewState.REJECTED
    found = rejection(entry)
    assert found is not None and (found.reviewer, found.reason) == ("Ana López",
                                                                    "the vote was 7-2")
    empty = desk.post(f"{REVIEW}/reject", data={**form_of(desk.get(REVIEW).text, "reject", 1),
                                                "reason": "  "})
    assert empty.status_code == 400 and state_of(vote_es, 1) is ReviewState.TRANSLATED


def test_edit_a_translation(desk: httpx.Client, vote_es: Path) -> None:
    fields = form_of(desk.get(REVIEW).text, "edit", 3)
    text = "Las carreteras recibirán 4,2 millones de dólares, la mayor parte."
    response = desk.post(f"{REVIEW}/edit", data={**fields, "msgstr": text})
    assert response.status_code == 303 and response.headers["location"].endswith("#e3")
    entry = entries(vote_es)[3]
    assert entry.msgstr == text and "fuzzy" not in entry.flags
    assert entry_state(entry) is ReviewState.TRANSLATED
    assert entry.previous_msgid is None  # msgmerge keeps #| only on fuzzy entries
    assert "locflow-draft: mt libre" in entry.tcomment  # where the draft came from stays
    # written like every locflow write: what msgcat --no-wrap writes
    data = vote_es.read_bytes()
    assert pofile.dump(pofile.parse(data)) == data


# -- no lost update ---------------------------------------------------------------------


def test_a_changed_entry_answers_409_and_shows_both_versions(desk: httpx.Client,
                                                             vote_es: Path) -> None:
    named(desk)
    page = desk.get(REVIEW).text
    # meanwhile a translator saves the entry in Poedit
    with pofile.edit(vote_es) as catalog:
        [e for e in catalog.active() if e.msgid][1].msgstr = "Texto nuevo del traductor."
    before = vote_es.read_bytes()
    response = desk.post(f"{REVIEW}/approve", data=form_of(page, "approve", 1))
    assert response.status_code == 409
    assert vote_es.read_bytes() == before
    assert "Texto nuevo del traductor." in response.text
    assert "El consejo votó 7-2 a favor de un plan de $4.2 millones." in response.text
    mine = "Mi versión, que no debe perderse."
    edit = desk.post(f"{REVIEW}/edit", data={**form_of(page, "edit", 1), "msgstr": mine})
    assert edit.status_code == 409 and mine in edit.text
    assert vote_es.read_bytes() == before
    # having seen both, the editor may put their text in the file, knowingly
    again = re.search(r'<form method="post" action="[^"]*/edit" class="resubmit">.*?</form>',
                      edit.text, re.S)
    assert again
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">',
                             again.group(0)))
    fields = {k: html.unescape(v) for k, v in fields.items()}
    replaced = desk.post(f"{REVIEW}/edit", data={**fields, "msgstr": mine})
    assert replaced.status_code == 303 and entries(vote_es)[1].msgstr == mine
    before = vote_es.read_bytes()
    bulk = re.search(r'name="entries" value="([^"]*)"', page)
    assert bulk
    everything = desk.post(f"{REVIEW}/approve-all", data={
        "csrf": csrf_token(page), "entries": html.unescape(bulk.group(1))})
    assert everything.status_code == 409 and vote_es.read_bytes() == before


def test_a_decision_on_a_state_that_changed_is_refused(desk: httpx.Client, vote_es: Path
                                                       ) -> None:
    named(desk)
    page = desk.get(REVIEW).text
    # another editor rejects entry 1 (same text, new state): an edit must not clear that unseen
    with pofile.edit(vote_es) as catalog:
        from locflow.review import reject

        reject([e for e in catalog.active() if e.msgid][1], "other", "2024-11-05", "no")
    before = vote_es.read_bytes()
    response = desk.post(f"{REVIEW}/edit", data={**form_of(page, "edit", 1), "msgstr": "x"})
    assert response.status_code == 409 and vote_es.read_bytes() == before


def test_an_entry_gone_answers_409(desk: httpx.Client, vote_es: Path) -> None:
    named(desk)
    fields = form_of(desk.get(REVIEW).text, "approve", 1)
    fields["key"] = json.dumps(["summary", "a summary that is no longer there"])
    response = desk.post(f"{REVIEW}/approve", data=fields)
    assert response.status_code == 409 and "The entry is gone" in response.text


# -- security ---------------------------------------------------------------------------


def test_a_post_without_the_token_changes_nothing(desk: httpx.Client, vote_es: Path) -> None:
    named(desk)
    before = vote_es.read_bytes()
    fields = form_of(desk.get(REVIEW).text, "approve", 1)
    for token in (None, "", "guessed"):
        data = {k: v for k, v in fields.items() if k != "csrf"}
        if token is not None:
            data["csrf"] = token
        assert desk.post(f"{REVIEW}/approve", data=data).status_code == 403
    assert vote_es.read_bytes() == before


def test_a_cross_site_form_post_changes_nothing(desk: httpx.Client, vote_es: Path) -> None:
    named(desk)
    before = vote_es.read_bytes()
    fields = form_of(desk.get(REVIEW).text, "approve", 1)
    # what an evil page's auto-submitting form sends: the browser adds the cookie
    # (if SameSite did not stop it) and its Origin; it cannot read the desk's token
    forged = {k: v for k, v in fields.items() if k != "csrf"}
    for headers in ({"origin": "http://evil.example"}, {"origin": "null"},
                    {"sec-fetch-site": "cross-site"}):
        for data in (forged, fields):
            response = desk.post(f"{REVIEW}/approve", data=data, headers=headers)
            assert response.status_code == 403, headers
    text_plain = desk.post(f"{REVIEW}/approve", content="csrf=x&key=y",
                           headers={"content-type": "text/plain",
                                    "origin": "http://evil.example"})
    assert text_plain.status_code == 403
    assert vote_es.read_bytes() == before
    assert state_of(vote_es, 1) is ReviewState.TRANSLATED


def test_host_header_check_against_dns_rebinding(desk: httpx.Client) -> None:
    port = httpx.URL(str(desk.base_url)).port
    assert desk.get("/", headers={"host": f"localhost:{port}"}).status_code == 200
    for host in (f"evil.example:{port}", "evil.example", f"127.0.0.1:{port + 1}",
                 f"localhost.evil.example:{port}", ""):
        assert desk.get("/", headers={"host": host}).status_code == 400, host


@pytest.mark.parametrize("url", [
    "/review/es/..%2F..%2Flocflow.toml", "/review/es/..", "/review/fr/vote",
    "/review/es/nothing", "/review/es%2F..%2Ftemplates/vote", "/preview/es/storm%2F..%2Fvote",
    "/static/..%2F__init__.py", "/static/../app.py",
])
def test_only_the_projects_catalogs_are_reachable(desk: httpx.Client, url: str) -> None:
    response = desk.get(url)
    assert response.status_code == 404
    assert "import" not in response.text


def test_a_catalog_linked_from_outside_the_project_is_refused(desk_project: Path,
                                                              tmp_path: Path) -> None:
    from tests.serve.desk_helpers import running_desk

    outside = tmp_path / "outside.po"
    outside.write_bytes((desk_project / "locales" / "es" / "articles" / "vote.po").read_bytes())
    (desk_project / "locales" / "es" / "articles" / "leak.po").symlink_to(outside)
    with running_desk(desk_project) as url:
        assert httpx.get(f"{url}/review/es/leak").status_code == 404
        assert httpx.get(f"{url}/review/es/vote").status_code == 200


def test_approving_a_draft_changes_nothing_and_says_why(desk: httpx.Client, vote_es: Path
                                                        ) -> None:
    named(desk)
    before = vote_es.read_bytes()
    response = desk.post(f"{REVIEW}/approve", data=form_of(desk.get(REVIEW).text, "approve", 3))
    assert response.status_code == 303 and "done=not-approved" in response.headers["location"]
    assert vote_es.read_bytes() == before
    assert "only translated entries" in desk.get(response.headers["location"]).text


def test_a_broken_catalog_is_reported_not_a_crash(desk: httpx.Client, desk_project: Path
                                                   ) -> None:
    broken = desk_project / "locales" / "es" / "articles" / "storm.po"
    broken.write_text('msgid "unterminated\n', encoding="utf-8")
    dashboard = desk.get("/")
    assert dashboard.status_code == 200 and "storm.po:1" in dashboard.text
    page = desk.get("/review/es/storm")
    assert page.status_code == 400 and "storm.po:1" in page.text
    assert "Traceback" not in page.text


def test_simultaneous_decisions_lose_nothing(desk: httpx.Client, vote_es: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    named(desk)
    page = desk.get(REVIEW).text
    posts = [(f"{REVIEW}/approve", form_of(page, "approve", 1)),
             (f"{REVIEW}/reject", {**form_of(page, "reject", 2), "reason": "7-2, not 7-3"}),
             (f"{REVIEW}/edit", {**form_of(page, "edit", 3), "msgstr": "4,2 millones."})]
    cookies = dict(desk.cookies)

    def send(post: tuple[str, dict[str, object]]) -> int:
        with httpx.Client(base_url=str(desk.base_url), cookies=cookies, timeout=20) as client:
            return client.post(post[0], data=post[1]).status_code

    with ThreadPoolExecutor(3) as pool:
        assert list(pool.map(send, posts)) == [303, 303, 303]
    assert [state_of(vote_es, i).value for i in range(5)] == [
        "approved", "approved", "rejected", "translated", "rejected"]
