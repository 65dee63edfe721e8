"""Derived locales: conversion with glossary pins, and the overrides catalog's rules."""

from __future__ import annotations

import pytest

from locflow.catalog import pofile
from locflow.config import DerivedLocale
from locflow.derived import (
    OverrideStats,
    convert,
    entry_converter,
    glossary_pins,
    open_for_correction,
    overrides_in,
    recorded_hash,
    refresh_overrides,
)
from locflow.glossary import Glossary, parse
from locflow.review import approve, entry_state

pytest.importorskip("opencc")

ZH_HANT = DerivedLocale("zh_Hant", "zh_Hans", "s2twp")
SOURCE = "North Korea sent software engineers."
BASE = "朝鲜派出了软件工程师。"


def glossaries() -> tuple[Glossary, Glossary]:
    base = parse("term,translation,kind\nNorth Korea,朝鲜,translate\n", "zh_Hans")
    own = parse("term,translation,kind\nNorth Korea,北韓,translate\n", "zh_Hant")
    return base, own


def test_conversion_uses_taiwan_vocabulary() -> None:
    assert convert("软件信息网络", "s2twp") == "軟體資訊網路"
    assert convert("软件信息网络", "s2hk") == "軟件信息網絡"
    assert convert("", "s2twp") == ""


def test_the_glossary_pins_a_rendering_conversion_would_change() -> None:
    base, own = glossaries()
    pins = glossary_pins(SOURCE, base, own)
    assert pins == (("朝鲜", "北韓"),)
    assert convert(BASE, "s2twp", pins) == "北韓派出了軟體工程師。"
    assert convert(BASE, "s2twp") == "朝鮮派出了軟體工程師。"
    # a term the English does not contain pins nothing
    assert glossary_pins("South Korea", base, own) == ()
    assert glossary_pins(SOURCE, base, Glossary("zh_Hant")) == ()


def test_pins_are_linear_on_long_text() -> None:
    base, own = glossaries()
    text = "朝鲜" * 50_000
    assert convert(text, "s2twp", glossary_pins(SOURCE, base, own)) == "北韓" * 50_000


def catalogs(base_text: str = BASE) -> tuple[pofile.Catalog, pofile.Catalog]:
    template = pofile.new_catalog({"Content-Type": "text/plain; charset=UTF-8"})
    template.entries = [pofile.Entry(msgid=SOURCE, occurrences=[("content/a.md", "")]),
                        pofile.Entry(msgid="Untranslated.")]
    base = pofile.new_catalog({"Content-Type": "text/plain; charset=UTF-8"})
    entry = pofile.Entry(msgid=SOURCE, msgstr=base_text)
    approve(entry, "ed", "2026-12-01")
    base.entries = [entry, pofile.Entry(msgid="Untranslated.")]
    return template, base


def run() -> object:
    return entry_converter(ZH_HANT, *glossaries())


def test_open_then_sync_keeps_only_what_the_editor_changed() -> None:
    template, base = catalogs()
    own = pofile.new_catalog({"Content-Type": "text/plain; charset=UTF-8"})
    assert open_for_correction(own, template, base, run()) == 1  # the untranslated: none
    [opened] = own.entries
    assert opened.msgstr == "北韓派出了軟體工程師。"
    assert "conversion: 北韓派出了軟體工程師。" in opened.comment
    assert refresh_overrides(own, template, base, run()).dropped == 1
    assert own.entries == []

    open_for_correction(own, template, base, run())
    own.entries[0].msgstr = "北韓派出了軟體工程人員。"
    stats = refresh_overrides(own, template, base, run())
    assert (stats.kept, stats.dropped, stats.stale) == (1, 0, 0)
    assert entry_state(own.entries[0]).value == "translated"
    # opening again adds nothing over an override
    assert open_for_correction(own, template, base, run()) == 0


def test_an_override_goes_stale_when_the_base_translation_changes() -> None:
    template, base = catalogs()
    own = pofile.new_catalog({"Content-Type": "text/plain; charset=UTF-8"})
    open_for_correction(own, template, base, run())
    own.entries[0].msgstr = "北韓派出了軟體工程人員。"
    refresh_overrides(own, template, base, run())
    approve(own.entries[0], "ed", "2026-12-02")
    assert overrides_in(own, base.index(), run()) == (1, 0)
    before = recorded_hash(own.entries[0])

    _, changed = catalogs("朝鲜派出了许多软件工程师。")
    stats = refresh_overrides(own, template, changed, run())
    assert stats == OverrideStats(stale=1)
    entry = own.entries[0]
    assert "fuzzy" in entry.flags and entry_state(entry).value == "fuzzy"
    assert "locflow-approved" not in (entry.tcomment or "")
    assert entry.msgstr == "北韓派出了軟體工程人員。"  # the editor's text is kept
    assert recorded_hash(entry) != before
    assert "conversion: 北韓派出了許多軟體工程師。" in entry.comment
    assert overrides_in(own, changed.index(), run()) == (1, 1)
    # the editor checks it and clears fuzzy: current again, until approved
    entry.flags.remove("fuzzy")
    assert refresh_overrides(own, template, changed, run()) == OverrideStats(kept=1)
    assert overrides_in(own, changed.index(), run()) == (1, 0)


def test_an_override_whose_english_is_gone_becomes_obsolete() -> None:
    template, base = catalogs()
    own = pofile.new_catalog({"Content-Type": "text/plain; charset=UTF-8"})
    own.entries = [pofile.Entry(msgid="Gone.", msgstr="舊文")]
    assert refresh_overrides(own, template, base, run()).obsolete == 1
    assert own.entries[0].obsolete and own.entries[0].msgstr == "舊文"


def test_an_override_written_by_hand_corrects_todays_conversion() -> None:
    template, base = catalogs()
    own = pofile.new_catalog({"Content-Type": "text/plain; charset=UTF-8"})
    own.entries = [pofile.Entry(msgid=SOURCE, msgstr="北韓派出工程師。")]
    assert refresh_overrides(own, template, base, run()) == OverrideStats(kept=1)
    assert recorded_hash(own.entries[0]) is not None
    assert overrides_in(own, base.index(), run()) == (1, 0)


def test_the_opencc_version_is_the_installed_one() -> None:
    from importlib.metadata import version

    from locflow.derived import opencc_version

    assert opencc_version() == version("opencc")


def test_only_translate_terms_pin_and_the_longest_rendering_wins() -> None:
    base = parse("term,translation,kind\nNorth Korea,朝鲜,translate\n"
                 "Korean Peninsula,朝鲜半岛,translate\nSeoul,首尔,forbidden\n", "zh_Hans")
    own = parse("term,translation,kind\nNorth Korea,北韓,translate\n"
                "Korean Peninsula,朝鮮半島,translate\nSeoul,漢城,forbidden\n", "zh_Hant")
    source = "North Korea, the Korean Peninsula and Seoul."
    pins = glossary_pins(source, base, own)
    assert pins == (("朝鲜半岛", "朝鮮半島"), ("朝鲜", "北韓"))  # longest first; no forbidden
    text = "据报道，朝鲜在朝鲜半岛附近试射导弹，首尔表示关切。"
    assert convert(text, "s2twp", pins) == "據報道，北韓在朝鮮半島附近試射導彈，首爾表示關切。"
    empty = parse("term,translation,kind\nNorth Korea, | ,translate\n", "zh_Hant")
    assert glossary_pins(source, base, empty) == ()


def test_comments_and_plural_forms_are_kept() -> None:
    from locflow.derived import base_forms, forms, is_current_override

    template, base = catalogs()
    template.entries[0].comment = "paragraph"
    template.entries.append(pofile.Entry(msgid="%(n)s school", msgid_plural="%(n)s schools"))
    plural = pofile.Entry(msgid="%(n)s school", msgid_plural="%(n)s schools",
                          msgstr_plural={0: "%(n)s所软件学校"})
    approve(plural, "ed", "2026-12-01")
    base.entries.append(plural)
    own = pofile.new_catalog({"Content-Type": "text/plain; charset=UTF-8"})
    assert open_for_correction(own, template, base, run()) == 2
    single, many = own.active()
    assert single.comment.split("\n")[0] == "paragraph"
    assert forms(many) == ["%(n)s所軟體學校"]
    many.msgstr_plural = {0: "%(n)s所電腦學校"}
    single.tcomment += "\nchecked with the Taipei desk"
    single.msgstr = "北韓派出了軟體工程人員。"
    assert refresh_overrides(own, template, base, run()) == OverrideStats(kept=2)
    assert "checked with the Taipei desk" in single.tcomment
    assert is_current_override(single, ["北韓派出了軟體工程師。"])
    assert not is_current_override(single, ["北韓派出了許多軟體工程師。"])
    assert not is_current_override(single, None)
    gone = pofile.Entry(msgid=SOURCE, msgstr=BASE)
    approve(gone, "ed", "2026-12-01")
    assert base_forms(gone) == [BASE]
    gone.obsolete = True
    assert base_forms(gone) is None and base_forms(None) is None


def test_sync_keeps_order_places_and_obsolete_entries() -> None:
    template, base = catalogs()
    second = pofile.Entry(msgid="Second.", msgstr="第二个软件。")
    approve(second, "ed", "2026-12-01")
    base.entries.append(second)
    template.entries.append(pofile.Entry(msgid="Second.", occurrences=[("content/a.md", "")]))
    own = pofile.new_catalog({"Content-Type": "text/plain; charset=UTF-8"})
    # written by hand, out of order, with an old place; one equal to the conversion
    old = pofile.Entry(msgid="Gone.", msgstr="舊文")
    old.obsolete = True
    own.entries = [pofile.Entry(msgid="Second.", msgstr="第二個電腦。", tcomment="keep me"),
                   pofile.Entry(msgid=SOURCE, msgstr="北韓派出了軟體工程師。"),
                   old]
    stats = refresh_overrides(own, template, base, run())
    assert (stats.kept, stats.dropped) == (1, 1)
    [kept, obsolete] = own.entries
    assert kept.msgid == "Second." and obsolete is old and old.obsolete
    assert kept.occurrences == [("content/a.md", "")]
    # the base text changes: stale, its comment kept
    base.entries[-1].msgstr = "第三个软件。"
    approve(base.entries[-1], "ed", "2026-12-02")
    assert refresh_overrides(own, template, base, run()).stale == 1
    assert kept.tcomment.split("\n")[0] == "keep me"


def test_a_conversion_opened_then_left_alone_goes_even_if_the_base_changed() -> None:
    template, base = catalogs()
    template.entries.insert(0, pofile.Entry(msgid="Second."))
    second = pofile.Entry(msgid="Second.", msgstr="第二个软件。")
    approve(second, "ed", "2026-12-01")
    base.entries.append(second)
    own = pofile.new_catalog({"Content-Type": "text/plain; charset=UTF-8"})
    open_for_correction(own, template, base, run())
    assert [e.msgid for e in own.active()] == ["Second.", SOURCE]  # the template's order
    assert all(recorded_hash(e) for e in own.active())
    _, changed = catalogs("朝鲜派出了许多软件工程师。")
    changed.entries.append(second)
    # nobody touched the opened conversions: they go, though today's conversion differs
    assert refresh_overrides(own, template, changed, run()).dropped == 2
