"""Derived locales through the CLI: zh_Hant published from the approved zh_Hans text,
converted with OpenCC, corrected by an editor's overrides (issue 21)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from locflow.catalog import pofile
from locflow.review import entry_state
from tests.conftest import VOTE_ES, VOTE_ZH, Invoke, translate

pytest.importorskip("opencc")

DERIVED = '\n[derived]\nzh_Hant = { from = "zh_Hans", convert = "s2twp" }\n'
ZH = {**VOTE_ZH, "Schools were closed on Monday.": "学校周一停课，软件系统关闭。"}
HANT = "locales/zh_Hant/articles/storm.po"
PAGE = "dist/zh-Hant/storm/index.html"


@pytest.fixture
def derived(locflow: Invoke, project: Path) -> Path:
    """es and zh_Hans translated and approved; zh_Hant derived from zh_Hans."""
    with (project / "locflow.toml").open("a", encoding="utf-8") as file:
        file.write(DERIVED)
    locflow("sync", ok=True)
    for locale, texts in (("es", VOTE_ES), ("zh_Hans", ZH)):
        for slug in ("vote", "storm"):
            translate(project / f"locales/{locale}/articles/{slug}.po", texts)
    locflow("review", "approve", "--all", "--by", "desk-editor", ok=True)
    return project


def page(project: Path, path: str = PAGE) -> str:
    return (project / path).read_text(encoding="utf-8")


def test_a_derived_page_is_the_base_text_converted(locflow: Invoke, derived: Path) -> None:
    locflow("build", ok=True)
    html = page(derived)
    assert '<html lang="zh-Hant"' in html
    assert "學校週一停課，軟體系統關閉。" in html  # Taiwan vocabulary: 軟體, not 軟件
    assert "风暴" not in html and "風暴導致學校停課" in html
    for tag in ("en", "zh-Hans", "es", "zh-Hant"):
        assert f'hreflang="{tag}"' in html
    assert "中文 (繁體)" in page(derived, "dist/es/storm/index.html")
    data = json.loads(page(derived, "dist/zh-Hant/storm/article.json"))
    assert data["review"]["converted_from"] == "zh_Hans"
    assert data["review"]["overridden"] == 0
    sitemap = page(derived, "dist/sitemap.xml")
    assert "/zh-Hant/storm/" in sitemap
    assert not (derived / "locales/zh_Hant").exists()  # nothing to translate, no catalog


def test_an_override_corrects_a_conversion_and_goes_stale(locflow: Invoke,
                                                          derived: Path) -> None:
    opened = locflow("derive", "--article", "storm", ok=True)
    assert "locales/zh_Hant/articles/storm.po: 2 conversions to correct" in opened.output
    with pofile.edit(derived / HANT) as catalog:
        [entry] = [e for e in catalog.active() if e.msgid == "Schools were closed on Monday."]
        entry.msgstr = "學校週一停課，電腦系統關閉。"
    synced = locflow("sync", ok=True)
    assert "(1 kept, 1 dropped: same as the conversion)" in synced.output
    assert [e.msgid for e in pofile.load(derived / HANT).active()] == [
        "Schools were closed on Monday."]
    # an override is reviewed like any translation: until approved, conversion shows
    locflow("build", ok=True)
    assert "軟體系統" in page(derived)
    locflow("review", "approve", "--locale", "zh_Hant", "--by", "desk-editor", ok=True)
    built = locflow("build", ok=True)
    assert "電腦系統" in page(derived) and "軟體系統" not in page(derived)
    assert "zh-Hant/storm" in built.output or "1 rendered" in built.output
    status = locflow("status", ok=True).output
    assert "zh_Hant from zh_Hans (s2twp): 1 override, 0 stale" in status
    checked = locflow("check", "--article", "storm")
    assert checked.exit_code == 0, checked.output

    # the Chinese translator changes the base text: the override no longer corrects it
    translate(derived / "locales/zh_Hans/articles/storm.po",
              {**ZH, "Schools were closed on Monday.": "学校周一停课，软件系统全部关闭。"})
    locflow("review", "approve", "--locale", "zh_Hans", "--by", "desk-editor", ok=True)
    synced = locflow("sync", ok=True)
    assert "1 stale: the conversion changed, now fuzzy" in synced.output
    [entry] = pofile.load(derived / HANT).active()
    assert entry_state(entry).value == "fuzzy"
    assert entry.msgstr == "學校週一停課，電腦系統關閉。"  # the editor's text is kept
    assert "conversion: 學校週一停課，軟體系統全部關閉。" in entry.comment
    status = locflow("status", ok=True).output
    assert "1 override, 1 stale" in status and "1 stale override" in status
    checked = locflow("check", "--article", "storm")
    assert checked.exit_code == 1 and "fuzzy" in checked.output
    # the page follows the new base translation, converted, meanwhile
    locflow("build", ok=True)
    assert "軟體系統全部關閉" in page(derived)


def test_the_glossary_pins_a_derived_rendering(locflow: Invoke, derived: Path) -> None:
    glossary = derived / "glossary"
    glossary.mkdir()
    (glossary / "zh_Hans.csv").write_text("term,translation,kind\nSchools,学校,translate\n",
                                          encoding="utf-8")
    (glossary / "zh_Hant.csv").write_text("term,translation,kind\nSchools,校園,translate\n",
                                          encoding="utf-8")
    locflow("build", ok=True)
    assert "校園週一停課" in page(derived)


def test_derived_settings_and_commands_refuse_mistakes(locflow: Invoke, project: Path) -> None:
    with (project / "locflow.toml").open("a", encoding="utf-8") as file:
        file.write('\n[derived]\nzh_Hant = { from = "ja", convert = "s2twp" }\n')
    result = locflow("sync")
    assert result.exit_code == 2
    assert "locflow.toml:6: [derived] zh_Hant: from = 'ja' is not one of target_locales" in (
        result.output + result.stderr)
    text = (project / "locflow.toml").read_text(encoding="utf-8")
    (project / "locflow.toml").write_text(text.replace('"ja"', '"zh_Hans"'), encoding="utf-8")
    locflow("sync", ok=True)
    result = locflow("derive", "--locale", "es", "--article", "storm")
    assert result.exit_code == 2 and "'es' is not a derived locale" in result.stderr
    result = locflow("derive", "--article", "nope")
    assert result.exit_code == 2 and "no template for 'nope'" in result.stderr


def test_interface_strings_are_converted_too(locflow: Invoke, derived: Path) -> None:
    site = derived / "locales/zh_Hans/LC_MESSAGES/site.po"
    catalog = pofile.load(site)
    if not catalog.active():
        pytest.skip("the default templates have no interface strings")
    with pofile.edit(site) as editing:
        for entry in editing.active():
            if entry.msgid_plural:
                entry.msgstr_plural = {0: "软件 %(n)s"}
            else:
                entry.msgstr = "软件信息"
    locflow("review", "approve", "--locale", "zh_Hans", "--article", "site",
            "--by", "desk-editor", "--force", ok=True)
    locflow("build", ok=True)
    assert "軟體資訊" in page(derived)
    assert "软件信息" in page(derived, "dist/zh-Hans/storm/index.html")
    # an editor corrects one interface string of zh_Hant: that one only
    locflow("derive", "--article", "site", ok=True)
    hant = derived / "locales/zh_Hant/LC_MESSAGES/site.po"
    with pofile.edit(hant) as editing:
        first = next(e for e in editing.active() if not e.msgid_plural)
        first.msgstr = "電腦資訊"
    assert "1 kept" in locflow("sync", ok=True).output
    locflow("review", "approve", "--locale", "zh_Hant", "--article", "site",
            "--by", "desk-editor", "--force", ok=True)
    locflow("build", ok=True)
    assert "電腦資訊" in page(derived) and "軟體資訊" in page(derived)


def test_a_derived_locale_is_not_machine_translated(locflow: Invoke, derived: Path) -> None:
    locflow("derive", "--article", "storm", ok=True)
    result = locflow("translate", "--provider", "libre", "--url", "http://127.0.0.1:9/",
                     "--locale", "zh_Hant")
    assert result.exit_code == 2
    assert "zh_Hant is converted from zh_Hans at build, not translated" in result.stderr


def test_a_derived_page_is_rebuilt_only_when_its_inputs_change(locflow: Invoke,
                                                                derived: Path) -> None:
    locflow("build", ok=True)
    again = locflow("build", ok=True)
    assert "0 files written" in again.output + again.stderr
    locflow("derive", "--article", "storm", ok=True)
    with pofile.edit(derived / HANT) as catalog:
        catalog.active()[0].msgstr = "暴風雨導致學校停課"
    locflow("sync", ok=True)
    locflow("review", "approve", "--locale", "zh_Hant", "--by", "desk-editor", ok=True)
    before = {p: p.read_bytes() for p in (derived / "dist").rglob("*.html")}
    locflow("build", ok=True)
    changed = {p.relative_to(derived / "dist").as_posix() for p, data in before.items()
               if p.read_bytes() != data}
    assert "zh-Hant/storm/index.html" in changed
    assert not [name for name in changed if name.startswith(("zh-Hans/", "es/", "en/"))]
    assert "暴風雨導致學校停課" in page(derived)


def test_derive_creates_no_catalog_with_nothing_to_correct(locflow: Invoke, project: Path) -> None:
    with (project / "locflow.toml").open("a", encoding="utf-8") as file:
        file.write(DERIVED)
    locflow("sync", ok=True)
    result = locflow("derive", "--article", "storm", ok=True)
    assert "storm: nothing to correct yet" in result.output
    assert not (project / HANT).exists()
