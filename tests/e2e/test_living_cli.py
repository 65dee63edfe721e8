"""Living articles through the CLI: an English correction travels to the translations
(correction drafts, approved in one step) instead of taking them offline."""

from __future__ import annotations

from pathlib import Path

import pytest

from locflow.catalog import pofile
from locflow.provenance import provenance
from locflow.review import entry_state, previous_approval
from tests.conftest import VOTE_ES, VOTE_ZH, Invoke, translate

ES, ZH = VOTE_ES, VOTE_ZH


@pytest.fixture
def approved(locflow: Invoke, project: Path) -> Path:
    """The project synced, translated and approved in es and zh_Hans."""
    locflow("sync", "--article", "vote", "--article", "storm", ok=True)
    for locale, texts in (("es", ES), ("zh_Hans", ZH)):
        for slug in ("vote", "storm"):
            translate(project / f"locales/{locale}/articles/{slug}.po", texts)
    locflow("review", "approve", "--all", "--by", "desk-editor", ok=True)
    return project


def edit_article(project: Path, old: str, new: str) -> None:
    path = project / "content/vote.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def entry_of(path: Path, msgid: str) -> pofile.Entry:
    [found] = [e for e in pofile.load(path).active() if e.msgid == msgid]
    return found


def test_a_number_only_change_gives_correction_drafts_in_es_and_zh(
        locflow: Invoke, approved: Path) -> None:
    edit_article(approved, "voted 7-2 on Tuesday", "voted 8-1 on Tuesday")
    edit_article(approved, "Roads will get $4.2 million", "Roads will get $4.6 million")
    locflow("sync", ok=True)
    new = "The city council voted 8-1 on Tuesday to approve the budget."
    es = entry_of(approved / "locales/es/articles/vote.po", new)
    assert es.msgstr == "El concejo municipal votó 8 a 1 el martes para aprobar el presupuesto."
    assert entry_state(es).value == "fuzzy"
    draft = provenance(es)
    assert draft is not None and draft.kind == "correction" and draft.origin == "7→8+2→1"
    # the approved text stays on record, verifiable
    before = previous_approval(es)
    assert before is not None and before.msgstr.startswith("El concejo municipal votó 7 a 2")
    zh = entry_of(approved / "locales/zh_Hans/articles/vote.po", new)
    assert zh.msgstr == "市议会以八比一投票批准了预算。"  # Chinese numerals, corrected
    roads = "Roads will get $4.6 million, the largest share."
    assert entry_of(approved / "locales/es/articles/vote.po", roads).msgstr == (
        "Las carreteras recibirán 4,6 millones de dólares, la mayor parte.")  # decimal comma
    # zh wrote 4.2 million as 420万: not recognisable as 4.2, so nothing is guessed
    zh_roads = entry_of(approved / "locales/zh_Hans/articles/vote.po", roads)
    assert zh_roads.msgstr == ZH["Roads will get $4.2 million, the largest share."]
    assert provenance(zh_roads) is None and entry_state(zh_roads).value == "fuzzy"
    # a second sync changes no byte
    files = {p: p.read_bytes() for p in (approved / "locales").rglob("*.po")}
    locflow("sync", ok=True)
    assert {p: p.read_bytes() for p in files} == files


def test_a_change_in_wording_gives_no_correction(locflow: Invoke, approved: Path) -> None:
    edit_article(approved, "voted 7-2 on Tuesday", "voted 8-1 on Wednesday")
    locflow("sync", ok=True)
    es = entry_of(approved / "locales/es/articles/vote.po",
                  "The city council voted 8-1 on Wednesday to approve the budget.")
    assert es.msgstr == ES["The city council voted 7-2 on Tuesday to approve the budget."]
    assert provenance(es) is None and entry_state(es).value == "fuzzy"


def test_corrections_are_approved_in_one_step(locflow: Invoke, approved: Path) -> None:
    edit_article(approved, "voted 7-2 on Tuesday", "voted 8-1 on Tuesday")
    locflow("sync", ok=True)
    path = approved / "locales/es/articles/vote.po"
    new = "The city council voted 8-1 on Tuesday to approve the budget."
    # without --corrections a draft stays a draft
    locflow("review", "approve", str(path), "--by", "desk-editor")
    assert entry_state(entry_of(path, new)).value == "fuzzy"
    result = locflow("review", "approve", str(path), "--corrections", "--by", "desk-editor",
                     ok=True)
    assert result.stdout.startswith("approved 1 entry,")
    entry = entry_of(path, new)
    assert entry_state(entry).value == "approved"
    assert entry.previous_msgid is None and "locflow-previous" not in entry.tcomment


def test_a_correction_draft_a_translator_changed_is_not_approved_as_a_correction(
        locflow: Invoke, approved: Path) -> None:
    edit_article(approved, "voted 7-2 on Tuesday", "voted 8-1 on Tuesday")
    locflow("sync", ok=True)
    path = approved / "locales/es/articles/vote.po"
    new = "The city council voted 8-1 on Tuesday to approve the budget."
    with pofile.edit(path) as catalog:
        [entry] = [e for e in catalog.active() if e.msgid == new]
        entry.msgstr = "El concejo votó 8 a 1 el martes."  # still fuzzy, text changed
    locflow("review", "approve", str(path), "--corrections", "--by", "desk-editor")
    assert entry_state(entry_of(path, new)).value == "fuzzy"


def test_status_and_check_show_how_far_a_translation_is_behind(
        locflow: Invoke, approved: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    edit_article(approved, "voted 7-2 on Tuesday", "voted 8-1 on Wednesday")
    edit_article(approved, "date: 2024-11-04", "date: 2024-11-04\nupdated: 2024-11-06")
    locflow("sync", ok=True)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1731283200")  # 2024-11-11
    text = locflow("status", ok=True).stdout
    assert "outdated" in text.splitlines()[0]
    assert ("locales/es/articles/vote.po: 1 entry outdated; English updated 2024-11-06, "
            "5 days ago") in text
    data = json.loads(locflow("status", "--format", "json", ok=True).stdout)
    rows = {(b["locale"], b["article"]): b for b in data["behind"]}
    assert rows[("es", "vote")]["outdated"] == 1 and rows[("es", "vote")]["days_behind"] == 5
    by_path = {c["path"]: c for c in data["catalogs"]}
    assert by_path["locales/es/articles/vote.po"]["outdated"] == 1
    assert by_path["locales/es/articles/storm.po"]["outdated"] == 0
    # CI: more than 3 days behind fails; 7 is allowed
    failed = locflow("check", "--max-behind", "3", "--format", "json")
    assert failed.exit_code == 1
    found = [f for f in json.loads(failed.stdout)["findings"] if f["check"] == "behind"]
    assert {f["locale"] for f in found} == {"es", "zh_Hans"}
    assert "updated 5 days ago" in found[0]["message"]
    allowed = locflow("check", "--max-behind", "7", "--format", "json")
    assert not [f for f in json.loads(allowed.stdout)["findings"] if f["check"] == "behind"]


def page(project: Path, tag: str, slug: str = "vote") -> str:
    return (project / "dist" / tag / slug / "index.html").read_text("utf-8")


def article_json(project: Path, tag: str, slug: str = "vote") -> dict[str, object]:
    import json

    data = json.loads((project / "dist" / tag / slug / "article.json").read_text("utf-8"))
    assert isinstance(data, dict)
    return data


def test_a_corrected_article_keeps_its_translations_published_and_says_so(
        locflow: Invoke, approved: Path) -> None:
    from bs4 import BeautifulSoup

    locflow("build", ok=True)
    assert article_json(approved, "es")["outdated"] == 0
    # the English is corrected (a figure), a sentence reworded, a paragraph added
    edit_article(approved, "Roads will get $4.2 million", "Roads will get $4.6 million")
    edit_article(approved, "The mayor said the plan was **fair**.",
                 "The mayor called the plan **fair and overdue**.\n\nWork starts in May.")
    edit_article(approved, "date: 2024-11-04", "date: 2024-11-04\nupdated: 2024-11-06")
    locflow("sync", ok=True)
    result = locflow("build", ok=True)
    assert "removed" not in result.stdout.replace("0 removed", "")
    soup = BeautifulSoup(page(approved, "es"), "html.parser")
    notice = soup.select_one(".outdated-notice")
    assert notice is not None and "updated on" in notice.get_text()  # (site.po: English)
    outdated = [span.get_text() for span in soup.select("span.outdated")]
    # the reworded sentence: the Spanish approved for the earlier English, marked
    assert "El alcalde dijo que el plan era justo." in outdated
    # the correction: its draft is not approved yet, so the approved text shows, marked
    assert "Las carreteras recibirán 4,2 millones de dólares, la mayor parte." in outdated
    # the new paragraph: in English, marked as such
    english = [s for s in soup.select("span.untranslated") if s.get("lang") == "en"]
    assert [s.get_text() for s in english] == ["Work starts in May."]
    data = article_json(approved, "es")
    assert (data["outdated"], data["follows"], data["updated"]) == (3, "earlier", "2024-11-06")
    sitemap = (approved / "dist/sitemap.xml").read_text("utf-8")
    assert "<lastmod>2024-11-06</lastmod>" in sitemap
    # the zh page too; the unchanged storm article is not behind
    assert article_json(approved, "zh-Hans")["outdated"] == 3
    assert article_json(approved, "es", "storm")["outdated"] == 0
    # the editor approves the correction, a translator the rest, the editor approves: current
    locflow("review", "approve", "--all", "--corrections", "--by", "desk-editor", ok=True)
    for locale in ("es", "zh_Hans"):
        path = approved / f"locales/{locale}/articles/vote.po"
        with pofile.edit(path) as catalog:
            for entry in catalog.active():
                if entry_state(entry).value != "approved":
                    entry.msgstr = f"[{locale}] {entry.msgid}"
                    if "fuzzy" in entry.flags:
                        entry.flags.remove("fuzzy")
    locflow("review", "approve", "--all", "--by", "desk-editor", ok=True)
    locflow("build", ok=True)
    data = article_json(approved, "es")
    assert (data["outdated"], data["follows"]) == (0, "current")
    soup = BeautifulSoup(page(approved, "es"), "html.parser")
    assert soup.select(".outdated-notice") == [] and soup.select("span.outdated") == []
    assert "4,6 millones" in soup.get_text()


def test_hold_takes_a_behind_page_down_and_source_shows_the_english(
        locflow: Invoke, approved: Path) -> None:
    locflow("build", ok=True)
    edit_article(approved, "The mayor said the plan was **fair**.",
                 "The mayor called the plan **fair and overdue**.")
    locflow("sync", ok=True)
    config = approved / "locflow.toml"
    base = config.read_text("utf-8")
    config.write_text(base + '\n[build]\noutdated = "source"\n', encoding="utf-8")
    locflow("build", ok=True)
    html = page(approved, "es")
    assert "El alcalde dijo" not in html and "fair and overdue" in html
    config.write_text(base + '\n[build]\noutdated = "hold"\n', encoding="utf-8")
    result = locflow("build", ok=True)
    assert not (approved / "dist/es/vote").exists()
    assert "es/vote/index.html" in result.stdout or "held back" in result.stdout


def test_a_hand_edited_outdated_record_is_never_published(locflow: Invoke, approved: Path) -> None:
    locflow("build", ok=True)
    edit_article(approved, "The mayor said the plan was **fair**.",
                 "The mayor called the plan **fair and overdue**.")
    locflow("sync", ok=True)
    path = approved / "locales/es/articles/vote.po"
    text = path.read_text("utf-8")
    assert "el plan era **justo**" in text
    path.write_text(text.replace('"msgstr": "El alcalde dijo que el plan era **justo**."',
                                 '"msgstr": "El alcalde dijo que el plan era un robo."'),
                    encoding="utf-8")
    locflow("build", ok=True)
    html = page(approved, "es")
    assert "robo" not in html and "justo" not in html
    assert "fair and overdue" in html  # the English, marked


CORRECTION = "An earlier version said the vote was 6-3."
CORRECTION_ES = "Una versión anterior decía que la votación fue 6 a 3."


def test_a_correction_is_translated_gated_and_printed_for_readers(
        locflow: Invoke, approved: Path) -> None:
    """Issue 18.4: a correction added to a published article goes through sync, review,
    check and the gate; each page prints it after the body with a localized date, in English
    and said so where its translation is not approved; a later correction leaves the first
    one's entry as it was."""
    import json

    from bs4 import BeautifulSoup

    locflow("build", ok=True)
    edit_article(approved, "date: 2024-11-04", "date: 2024-11-04\nupdated: 2024-11-06\n"
                 f"corrections:\n  - date: 2024-11-06\n    text: {CORRECTION}")
    locflow("sync", ok=True)
    es_po, zh_po = (approved / f"locales/{loc}/articles/vote.po" for loc in ("es", "zh_Hans"))
    for path in (es_po, zh_po, approved / "locales/templates/articles/vote.pot"):
        entry = entry_of(path, CORRECTION)
        assert entry.msgctxt == "correction 2024-11-06"
        assert entry.comment == "correction printed for readers under the article (2024-11-06)"
    with pofile.edit(es_po) as catalog:
        [entry] = [e for e in catalog.active() if e.msgid == CORRECTION]
        entry.msgstr = CORRECTION_ES
    locflow("review", "approve", "--locale", "es", "--by", "desk-editor", ok=True)
    # check sees the zh entry as any other
    failed = locflow("check", "--require", "approved", "--locale", "zh_Hans", "--format",
                     "json")
    assert failed.exit_code == 1
    [finding] = [f for f in json.loads(failed.stdout)["findings"] if f["article"] == "vote"]
    assert (finding["msgctxt"], finding["msgid"]) == ("correction 2024-11-06", CORRECTION)
    locflow("build", ok=True)

    es = BeautifulSoup(page(approved, "es"), "html.parser")
    [item] = es.select("section.corrections .correction")
    assert item.select_one(".correction-text").get_text() == CORRECTION_ES
    time = item.select_one(".correction-date time")
    assert time is not None and time["datetime"] == "2024-11-06"
    assert time.get_text() == "6 de noviembre de 2024"
    assert es.select(".outdated-notice") == []  # the Spanish is current
    updated = es.select_one(".release .updated time")
    assert updated is not None and updated.get_text() == "6 de noviembre de 2024"
    # zh: the page stays published, the correction in English, marked, with the note
    zh = BeautifulSoup(page(approved, "zh-Hans"), "html.parser")
    [item] = zh.select("section.corrections .correction")
    english = item.select_one(".correction-text span.untranslated")
    assert english is not None and english["lang"] == "en"
    assert english.get_text() == CORRECTION
    assert item.select_one(".untranslated-note").get_text() == "not yet translated"
    assert item.select_one("time").get_text() == "2024年11月6日"
    assert article_json(approved, "es")["corrections"] == [
        {"date": "2024-11-06", "text": CORRECTION_ES, "text_html": CORRECTION_ES,
         "translated": True, "outdated": False}]
    assert article_json(approved, "zh-Hans")["corrections"] == [
        {"date": "2024-11-06", "text": CORRECTION, "text_html": CORRECTION,
         "translated": False, "outdated": False}]

    # a second correction, later: the first keeps its context, translation and approval
    before = entry_of(es_po, CORRECTION)
    second = "The budget is for 2025."
    edit_article(approved, f"    text: {CORRECTION}",
                 f"    text: {CORRECTION}\n  - date: 2024-11-08\n    text: {second}")
    locflow("sync", ok=True)
    after = entry_of(es_po, CORRECTION)
    assert (after.msgctxt, after.msgstr, after.tcomment) == (
        before.msgctxt, before.msgstr, before.tcomment)
    assert entry_state(after).value == "approved"
    assert entry_of(es_po, second).msgctxt == "correction 2024-11-08"
    locflow("build", ok=True)
    es = BeautifulSoup(page(approved, "es"), "html.parser")
    texts = [i.get_text() for i in es.select("section.corrections .correction-text")]
    assert texts == [CORRECTION_ES, f"{second} not yet translated"]


def test_a_malformed_correction_stops_sync_naming_the_file_and_line(
        locflow: Invoke, project: Path) -> None:
    edit_article(project, "date: 2024-11-04",
                 "date: 2024-11-04\ncorrections:\n  - date: 2024-11-06\n    txt: oops")
    result = locflow("sync")
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("Error: ") and line.endswith(
        "content/vote.md:6: correction 1: unknown field 'txt' "
        "(a correction has 'date' and 'text')")
