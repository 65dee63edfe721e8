"""What the desk's pages say to assistive technology and to an editor who lost their way:
error pages with a title, a language and a way back; a conflict page that labels its
fields, marks its languages and shows what differs; language names and glossary
renderings marked with their language; filters that wait for the editor."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from locflow.catalog import pofile
from tests.serve.desk_helpers import csrf_token
from tests.serve.test_app import REVIEW, form_of, named


def title(page: str) -> str:
    found = re.search(r"<title>([^<]*)</title>", page)
    assert found, "no title"
    return found.group(1)


def back_links(page: str) -> list[str]:
    return re.findall(r'<a class="btn[^"]*" href="([^"]*)">Back to the review page', page)


@pytest.mark.parametrize(("method", "url", "status", "heading"), [
    ("GET", "/no/such/page", 404, "Not found"),
    ("GET", "/review/es/no-such-article", 404, "Not found"),
    ("GET", "/static/no-such-file.css", 404, "Not found"),
    ("GET", f"{REVIEW}/approve", 405, "Not a page to open"),
])
def test_an_error_is_a_page_of_the_desk(desk: httpx.Client, method: str, url: str,
                                        status: int, heading: str) -> None:
    response = desk.request(method, url)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in response.headers["content-security-policy"]
    page = response.text
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    assert title(page) == f"{heading} ({status}) · locflow desk"
    assert f"<h1>{heading}</h1>" in page and 'href="/">Back to the desk</a>' in page
    if status == 405:
        assert response.headers["allow"]


def test_a_stale_form_links_back_to_the_review_page(desk: httpx.Client) -> None:
    named(desk)
    fields = {**form_of(desk.get(REVIEW).text, "approve", 1), "csrf": "from-an-earlier-run"}
    response = desk.post(f"{REVIEW}/approve", data=fields)
    assert response.status_code == 403
    assert title(response.text) == "Not done: the form is out of date (403) · locflow desk"
    assert back_links(response.text) == [f"{REVIEW}#e1"]
    # naming oneself there comes back to the review page, not to the form's address
    assert '<input type="hidden" name="back" value="/review/es/vote">' in response.text


@pytest.mark.parametrize("back", ["//evil.example/x", "https://evil.example/", "javascript:x",
                                  "/\\evil.example", ""])
def test_a_stale_name_form_never_links_out_of_the_desk(desk: httpx.Client, back: str) -> None:
    response = desk.post("/reviewer", data={"csrf": "stale", "name": "x", "back": back})
    assert response.status_code == 403
    assert back_links(response.text) == [] and "evil" not in response.text
    assert 'href="/">Back to the desk</a>' in response.text


def test_a_stale_name_form_links_back_to_its_page(desk: httpx.Client) -> None:
    response = desk.post("/reviewer", data={"csrf": "stale", "name": "x",
                                            "back": "/review/es/vote"})
    assert back_links(response.text) == ["/review/es/vote"]


def test_a_stale_form_of_an_unknown_catalog_links_nowhere_but_the_desk(desk: httpx.Client
                                                                        ) -> None:
    response = desk.post("/review/es/no-such-article/approve", data={"csrf": "stale"})
    assert response.status_code == 404 and back_links(response.text) == []


def test_the_conflict_page_labels_marks_languages_and_shows_the_difference(
        desk: httpx.Client, vote_es: Path) -> None:
    named(desk)
    page = desk.get(REVIEW).text
    with pofile.edit(vote_es) as catalog:
        [e for e in catalog.active() if e.msgid][1].msgstr = \
            "El consejo votó 7-2 a favor de un plan de $4.5 millones."
    mine = "El consejo votó 7 a 2 a favor de un plan de $4.2 millones."
    edit = desk.post(f"{REVIEW}/edit", data={**form_of(page, "edit", 1), "msgstr": mine})
    assert edit.status_code == 409
    text = edit.text
    label = re.search(r'<label for="(mine-0)">Your translation \(<span lang="es">español'
                      r'</span>\)</label>\s*<textarea id="mine-0" name="msgstr" rows="4" '
                      r'required lang="es">', text)
    assert label, "the textarea has no label"
    assert '<p class="text" lang="es">El consejo votó 7-2 a favor de un plan de $4.5' in text
    assert re.search(r'<p class="source" lang="en">The council voted 7-2', text)
    diff = re.search(r'<p class="text diff" lang="es">(.*?)</p>', text, re.S)
    assert diff, "no word diff"
    # the file's words struck through, the edit's underlined, the rest as it is
    assert re.findall(r"<del>([^<]*)</del>", diff.group(1)) == ["-", "5"]
    assert re.findall(r"<ins>([^<]*)</ins>", diff.group(1)) == [" a ", "2"]
    assert "a favor de un plan de $4." in diff.group(1)
    # a decision on changed text: what was seen against what the file says now
    approve = desk.post(f"{REVIEW}/approve", data=form_of(page, "approve", 1))
    assert approve.status_code == 409
    assert "What you saw against the file now" in approve.text
    assert re.findall(r"<ins>([^<]*)</ins>", approve.text.split("word by word</h2>")[1]) \
        == ["changed meanwhile", "5"]
    assert "<textarea" not in approve.text


def test_language_names_and_renderings_carry_their_language(desk: httpx.Client) -> None:
    dashboard = desk.get("/").text
    assert '<span lang="zh-Hans">中文 (简体)</span> <code>zh_Hans</code>' in dashboard
    assert '<option value="zh_Hans" lang="zh-Hans">中文 (简体) (zh_Hans)</option>' in dashboard
    review = desk.get(REVIEW).text
    assert '<span lang="es">español</span>' in review.split("</nav>")[0]
    assert 'Translation · <span lang="es">español</span>' in review
    assert '<b lang="en">council</b> → <span lang="es">consejo</span>' in review


def test_dashboard_filters_wait_for_the_editor(desk: httpx.Client) -> None:
    page = desk.get("/").text
    assert "autosubmit" not in page
    form = re.search(r'<form class="filters".*?</form>', page, re.S)
    assert form and '<button class="btn" type="submit">Apply filters</button>' in form.group(0)
    # the progress bar in words; states in the bar told apart by pattern, not hue alone
    assert re.search(r'role="img" aria-label="1 approved, 2 awaiting review, 1 fuzzy, '
                     r'1 rejected \(of 5\)"', page)
    assert 'id="fill-translated"' in page and 'id="fill-rejected"' in page


def test_review_page_offers_the_shortcut_switch_and_a_live_region(desk: httpx.Client) -> None:
    page = desk.get(REVIEW).text  # no reviewer named: nothing can be decided yet
    assert '<input type="checkbox" id="shortcuts-on" checked> Keyboard shortcuts' in page
    assert '<p class="key-status" id="key-status" role="status" aria-live="polite"></p>' in page
    rejects = re.findall(r'<summary class="btn[^"]*"[^>]*>Reject…</summary>', page)
    assert rejects and all('aria-disabled="true"' in r for r in rejects)
    named(desk)
    page = desk.get(REVIEW).text
    assert csrf_token(page)
    untranslated = re.findall(r'<summary class="btn disabled" aria-disabled="true"', page)
    assert len(untranslated) == page.count('class="badge s-untranslated"')


def test_a_failure_of_the_desk_is_a_page_too(desk_project: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    from locflow.config import Project
    from locflow.serve import create_app, views

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(views, "catalog_rows", broken)
    app = create_app(Project.load(desk_project), host="127.0.0.1", port=8765)

    async def get() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport,
                                     base_url="http://127.0.0.1:8765") as client:
            return await client.get("/")

    response = asyncio.run(get())
    assert response.status_code == 500
    assert title(response.text) == "The desk failed (500) · locflow desk"
    assert "a bug" not in response.text and "Traceback" not in response.text
