"""build_site on a small project: bundles, gate, determinism, incremental builds, cleanup."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from locflow import pipeline
from locflow.catalog import pofile
from locflow.config import Project
from locflow.errors import CatalogError, ConfigError
from locflow.publish import build_site

from .build_helpers import fake, fill, fill_project

SLUGS = ("storm", "vote")


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def mtimes(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_mtime_ns
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_nothing_approved_builds_only_the_source_and_reports_why(synced: Path) -> None:
    result = build_site(Project.load(synced))
    dist = synced / "dist"
    assert sorted(b.tag for b in result.bundles) == ["en", "en"]
    assert (dist / "en" / "vote" / "index.html").is_file()
    assert not (dist / "zh-Hans").exists() and not (dist / "es").exists()
    reasons = {(h.tag, h.article): h.reason for h in result.held_back}
    assert reasons[("zh-Hans", "vote")] == "nothing approved yet (5 untranslated)"
    manifest = json.loads((dist / "manifest.json").read_text("utf-8"))
    assert [(h["locale"], h["article"]) for h in manifest["held_back"]] == [
        ("es", "storm"), ("zh-Hans", "storm"), ("es", "vote"), ("zh-Hans", "vote")]
    assert manifest["held_back"][0]["reason"].startswith("nothing approved yet")


def test_translated_but_unreviewed_is_held_back_by_default(synced: Path) -> None:
    fill_project(synced, "translated")
    result = build_site(Project.load(synced))
    assert {b.tag for b in result.bundles} == {"en"}
    assert all("awaiting review" in h.reason for h in result.held_back)


def test_fuzzy_is_never_published_even_with_translated_policy(synced: Path) -> None:
    (synced / "locflow.toml").write_text(
        '[project]\nname = "Test Gazette"\ntarget_locales = ["zh_Hans", "es"]\n'
        '[build]\npublish = "translated"\n', encoding="utf-8")
    fill_project(synced, "translated", locales=("es",))
    fill_project(synced, "fuzzy", locales=("zh_Hans",))
    result = build_site(Project.load(synced))
    assert {b.tag for b in result.bundles} == {"en", "es"}
    assert all(h.tag == "zh-Hans" and "fuzzy" in h.reason for h in result.held_back)


def test_approved_project_page(approved: Path) -> None:
    result = build_site(Project.load(approved))
    assert result.held_back == []
    assert sorted((b.tag, b.article) for b in result.bundles) == sorted(
        (t, s) for t in ("en", "zh-Hans", "es") for s in SLUGS)
    html = (approved / "dist" / "zh-Hans" / "vote" / "index.html").read_text("utf-8")
    assert '<html lang="zh-Hans" dir="ltr">' in html
    assert "<h1>[zh_Hans] Council approves the budget</h1>" in html
    assert "[zh_Hans] Current location:" in html and "[zh_Hans] Release time:" in html
    assert '<time datetime="2024-11-04">2024年11月4日</time>' in html
    assert "<p>[zh_Hans] The mayor said the plan was <strong>fair</strong>.</p>" in html
    assert '<link rel="canonical" href="https://example.com/zh-Hans/vote/">' in html
    for tag in ("en", "zh-Hans", "es"):
        url = f"https://example.com/{tag}/vote/"
        assert f'<link rel="alternate" hreflang="{tag}" href="{url}">' in html
    assert '<link rel="alternate" hreflang="x-default" href="https://example.com/en/vote/">' in html
    assert ('<meta name="description" content="[zh_Hans] The council voted 7-2 for a $4.2 '
            'million plan.">') in html
    assert '<meta property="og:locale" content="zh_CN">' in html
    assert '<meta property="og:title" content="[zh_Hans] Council approves the budget">' in html
    for href, name in (("../../en/vote/", "English"), ("../../zh-Hans/vote/", "中文 (简体)"),
                       ("../../es/vote/", "español")):
        assert f'href="{href}"' in html and f">{name}</a>" in html
    assert 'aria-current="page">中文 (简体)</a>' in html
    es = (approved / "dist" / "es" / "vote" / "index.html").read_text("utf-8")
    assert "4 de noviembre de 2024" in es
    en = (approved / "dist" / "en" / "vote" / "index.html").read_text("utf-8")
    assert "November 4, 2024" in en and "Current location:" in en


def test_article_json(approved: Path) -> None:
    build_site(Project.load(approved))
    data = json.loads((approved / "dist" / "es" / "vote" / "article.json").read_text("utf-8"))
    assert data["title"] == "[es] Council approves the budget"
    assert data["locale"] == "es" and data["date"] == "2024-11-04"
    assert data["url"] == "https://example.com/es/vote/"
    assert [a["locale"] for a in data["alternates"]] == ["en", "zh-Hans", "es"]
    catalog = approved / "locales" / "es" / "articles" / "vote.po"
    assert data["translation_hash"] == hashlib.sha256(catalog.read_bytes()).hexdigest()
    source = approved / "content" / "vote.md"
    assert data["source_hash"] == hashlib.sha256(source.read_bytes()).hexdigest()
    assert data["review"]["states"] == {"approved": 5} and data["review"]["percent"] == 100.0


def test_locale_index_is_newest_first(approved: Path) -> None:
    build_site(Project.load(approved))
    html = (approved / "dist" / "zh-Hans" / "index.html").read_text("utf-8")
    assert html.index('href="storm/"') < html.index('href="vote/"')  # 11-05 before 11-04
    assert "2024年11月5日" in html
    assert "[zh_Hans] %(count)s articles" not in html  # the placeholder is filled


def test_sitemap_lists_every_page_with_alternates(approved: Path) -> None:
    build_site(Project.load(approved))
    root = ElementTree.parse(approved / "dist" / "sitemap.xml").getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = {u.findtext("s:loc", namespaces=ns): u for u in root.findall("s:url", ns)}
    assert len(urls) == 3 + 6
    vote = urls["https://example.com/zh-Hans/vote/"]
    links = {link.get("hreflang"): link.get("href") for link in vote.findall("x:link", ns)}
    site = "https://example.com/"
    assert links == {"en": f"{site}en/vote/", "zh-Hans": f"{site}zh-Hans/vote/",
                     "es": f"{site}es/vote/", "x-default": f"{site}en/vote/"}
    assert vote.findtext("s:lastmod", namespaces=ns) == "2024-11-04"


def test_manifest_hashes_match_the_files(approved: Path) -> None:
    build_site(Project.load(approved))
    dist = approved / "dist"
    raw = (dist / "manifest.json").read_text("utf-8")
    manifest = json.loads(raw)
    assert list(manifest) == sorted(manifest)
    assert all(list(b) == sorted(b) for b in manifest["bundles"])
    assert raw.count("\n") > len(manifest["bundles"])  # one line per bundle at least
    files = {name: sha for b in manifest["bundles"] for name, sha in b["files"].items()}
    files.update(manifest["pages"])
    # 6 bundles of 2 files; each locale's index page and 2 feeds; 2 sitemaps, robots.txt
    assert len(files) == 6 * 2 + 3 * 3 + 3
    for name, sha in files.items():
        assert hashlib.sha256((dist / name).read_bytes()).hexdigest() == sha
    bundle = next(b for b in manifest["bundles"] if (b["article"], b["locale"]) == ("vote", "es"))
    assert set(bundle["inputs"]) == {"format", "source", "catalog", "gate", "site_strings",
                                     "templates", "settings", "alternates"}


def test_build_is_deterministic(approved: Path, tmp_path: Path) -> None:
    build_site(Project.load(approved), archive=True)
    copy = tmp_path / "elsewhere" / "other-name"
    shutil.copytree(approved, copy, ignore=shutil.ignore_patterns("dist"))
    build_site(Project.load(copy), archive=True)
    assert tree(approved / "dist") == tree(copy / "dist")
    build_site(Project.load(copy), out=tmp_path / "fresh", archive=True)
    assert tree(tmp_path / "fresh") == tree(copy / "dist")


def test_no_op_rebuild_rewrites_nothing(approved: Path) -> None:
    project = Project.load(approved)
    build_site(project, archive=True)
    before = mtimes(approved / "dist")
    result = build_site(project, archive=True)
    assert result.written == [] and result.removed == []
    assert result.rendered == [] and len(result.unchanged) == 6
    assert mtimes(approved / "dist") == before


def test_changed_catalog_rebuilds_only_its_bundle(approved: Path) -> None:
    project = Project.load(approved)
    build_site(project)
    fill(approved / "locales" / "es" / "articles" / "storm.po", lambda t: f"[es2] {t}")
    result = build_site(project)
    assert [(b.tag, b.article) for b in result.rendered] == [("es", "storm")]
    # the locale's pages that show its titles change with it: index, feeds, news sitemap
    assert result.written == ["es/atom.xml", "es/feed.xml", "es/index.html",
                              "es/storm/article.json", "es/storm/index.html", "manifest.json",
                              "sitemap-news.xml"]


def test_template_change_rebuilds_everything(approved: Path) -> None:
    project = Project.load(approved)
    build_site(project)
    (approved / "templates").mkdir()
    base = (Path(__import__("locflow.publish", fromlist=["x"]).__file__).parent / "templates" /
            "base.html").read_text("utf-8")
    (approved / "templates" / "base.html").write_text(
        base.replace("<footer>", "<footer>\n<p>{% trans %}Thanks for reading{% endtrans %}</p>"),
        encoding="utf-8")
    result = build_site(project)
    assert len(result.rendered) == 6
    assert "Thanks for reading" in (approved / "dist" / "es" / "vote" / "index.html").read_text()


def test_unpublished_version_is_removed_and_alternates_updated(approved: Path) -> None:
    project = Project.load(approved)
    build_site(project)
    dist = approved / "dist"
    assert (dist / "zh-Hans" / "vote" / "index.html").exists()
    path = approved / "locales" / "zh_Hans" / "articles" / "vote.po"
    fill(path, lambda t: f"[zh draft] {t}", "fuzzy", only=lambda e: e.msgctxt is None)
    result = build_site(project)
    assert not (dist / "zh-Hans" / "vote").exists()
    assert "zh-Hans/vote/index.html" in result.removed
    assert ("zh-Hans", "vote") in {(h.tag, h.article) for h in result.held_back}
    en = (dist / "en" / "vote" / "index.html").read_text("utf-8")
    assert "zh-Hans/vote" not in en and "es/vote" in en
    assert {(b.tag, b.article) for b in result.rendered} == {("en", "vote"), ("es", "vote")}
    assert (dist / "zh-Hans" / "storm" / "index.html").exists()


def test_deleted_article_bundles_are_removed(approved: Path) -> None:
    project = Project.load(approved)
    build_site(project, archive=True)
    (approved / "content" / "storm.md").unlink()
    result = build_site(project, archive=True)
    dist = approved / "dist"
    for tag in ("en", "zh-Hans", "es"):
        assert not (dist / tag / "storm").exists()
        assert f"{tag}/storm/index.html" in result.removed
        assert 'href="storm/"' not in (dist / tag / "index.html").read_text("utf-8")
    assert "storm" not in (dist / "sitemap.xml").read_text("utf-8")
    with zipfile.ZipFile(dist / "archives" / "es.zip") as archive:
        assert archive.namelist() == ["atom.xml", "feed.xml", "index.html", "vote/article.json",
                                      "vote/index.html"]


def test_stray_bundle_without_manifest_is_removed(approved: Path) -> None:
    project = Project.load(approved)
    build_site(project)
    dist = approved / "dist"
    (dist / "manifest.json").unlink()
    stray = dist / "es" / "gone"
    stray.mkdir()
    (stray / "index.html").write_text("old", encoding="utf-8")
    (stray / "article.json").write_text("{}", encoding="utf-8")
    keep = dist / "es" / "notes.txt"
    keep.write_text("user file", encoding="utf-8")
    build_site(project)
    assert not stray.exists() and keep.exists()


def test_min_percent_publishes_with_marked_fallback(synced: Path) -> None:
    (synced / "locflow.toml").write_text(
        '[project]\nname = "Test Gazette"\ntarget_locales = ["zh_Hans", "es"]\n'
        '[build]\nmin_percent = 60\n', encoding="utf-8")
    fill_project(synced, "approved", locales=("zh_Hans",))
    fill(synced / "locales" / "zh_Hans" / "articles" / "vote.po", fake("zh_Hans"), "untranslated",
         only=lambda e: e.msgid.startswith("Roads"))
    result = build_site(Project.load(synced))
    vote = next(b for b in result.bundles if (b.tag, b.article) == ("zh-Hans", "vote"))
    assert vote.review is not None and vote.review["fallbacks"] == 1
    html = (synced / "dist" / "zh-Hans" / "vote" / "index.html").read_text("utf-8")
    assert ('<span class="untranslated" lang="en">Roads will get $4.2 million, the largest share.'
            '</span> <small class="untranslated-note" lang="zh-Hans">[zh_Hans] not yet translated'
            '</small>') in html
    assert "[zh_Hans] The city council voted 7-2" in html


def test_translator_markup_is_escaped_on_the_page(approved: Path) -> None:
    # the checks would hold this text back; an editor's override lets it through,
    # and the page must still be safe
    path = approved / "locales" / "es" / "articles" / "vote.po"
    fill(path, lambda t: '<script>alert(1)</script> [x](javascript:alert(1)) '
                         '<img src=x onerror="alert(1)">',
         only=lambda e: e.msgid.startswith("The mayor"), override=("all",))
    fill(path, lambda t: '"><script>alert(2)</script>', only=lambda e: e.msgctxt == "title",
         override=("all",))
    build_site(Project.load(approved))
    html = (approved / "dist" / "es" / "vote" / "index.html").read_text("utf-8")
    assert "<script>" not in html and 'href="javascript:' not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<title>&#34;&gt;&lt;script&gt;alert(2)" in html


def test_site_strings_fuzzy_are_not_used(approved: Path) -> None:
    site = approved / "locales" / "es" / "LC_MESSAGES" / "site.po"
    fill(site, lambda t: f"[borrador] {t}", "fuzzy", only=lambda e: e.msgid == "Release time:")
    result = build_site(Project.load(approved))
    html = (approved / "dist" / "es" / "vote" / "index.html").read_text("utf-8")
    assert "[borrador]" not in html and "Release time:" in html
    assert result.site_strings["es"]["published"] == result.site_strings["es"]["entries"] - 1


def test_out_must_not_hold_the_project(approved: Path) -> None:
    project = Project.load(approved)
    for out in (approved, approved / "content", approved / "locales" / "x", approved.parent):
        with pytest.raises(ConfigError):
            build_site(project, out=out)


def test_archives_are_deterministic(approved: Path, tmp_path: Path) -> None:
    project = Project.load(approved)
    result = build_site(project, archive=True)
    assert result.archives == ["archives/en.zip", "archives/es.zip", "archives/zh-Hans.zip"]
    first = (approved / "dist" / "archives" / "zh-Hans.zip").read_bytes()
    build_site(project, out=tmp_path / "again", archive=True)
    assert (tmp_path / "again" / "archives" / "zh-Hans.zip").read_bytes() == first
    with zipfile.ZipFile(approved / "dist" / "archives" / "zh-Hans.zip") as archive:
        infos = archive.infolist()
        assert [i.filename for i in infos] == sorted(i.filename for i in infos)
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.read("vote/index.html") == (
            approved / "dist" / "zh-Hans" / "vote" / "index.html").read_bytes()
    # a build without --archive removes the now-stale archives
    result = build_site(project)
    assert "archives/es.zip" in result.removed
    assert not (approved / "dist" / "archives").exists()


def test_an_unreadable_catalog_stops_the_build_and_removes_no_page(approved: Path) -> None:
    """Issue 7: a broken catalog used to hold its version back, deleting the live page."""
    build_site(Project.load(approved))
    dist = approved / "dist"
    before = {p: p.read_bytes() for p in dist.rglob("*") if p.is_file()}
    assert dist / "es" / "vote" / "index.html" in before
    (approved / "locales" / "es" / "articles" / "vote.po").write_bytes(b'msgid "unterminated\n')
    with pytest.raises(CatalogError) as caught:
        build_site(Project.load(approved))
    assert caught.value.line == 1 and caught.value.path is not None
    assert caught.value.path.endswith("locales/es/articles/vote.po")
    assert {p: p.read_bytes() for p in dist.rglob("*") if p.is_file()} == before


def test_sync_after_build_still_sees_no_translations_lost(approved: Path) -> None:
    build_site(Project.load(approved))
    before = pofile.load(approved / "locales" / "es" / "articles" / "vote.po")
    pipeline.sync(Project.load(approved))
    after = pofile.load(approved / "locales" / "es" / "articles" / "vote.po")
    assert [e.msgstr for e in before.active()] == [e.msgstr for e in after.active()]


def test_interface_translation_is_escaped_once_on_index_pages(approved: Path) -> None:
    site = approved / "locales" / "es" / "LC_MESSAGES" / "site.po"
    fill(site, lambda t: "Noticias & <titulares>", only=lambda e: e.msgid == "News Headlines",
         override=("all",))  # the markup check holds it back unless an editor overrides it
    build_site(Project.load(approved))
    html = (approved / "dist" / "es" / "index.html").read_text("utf-8")
    assert "<title>Noticias &amp; &lt;titulares&gt; · Test Gazette</title>" in html
    assert "<h1>Noticias &amp; &lt;titulares&gt;</h1>" in html


def test_dropped_locale_is_removed(approved: Path) -> None:
    project = Project.load(approved)
    build_site(project)
    (approved / "locflow.toml").write_text(
        '[project]\nname = "Test Gazette"\ntarget_locales = ["zh_Hans"]\n', encoding="utf-8")
    result = build_site(Project.load(approved))
    assert not (approved / "dist" / "es").exists()
    assert "es/index.html" in result.removed
    assert "es/vote" not in (approved / "dist" / "en" / "vote" / "index.html").read_text("utf-8")


def test_a_tampered_manifest_cannot_put_other_files_into_archives(approved: Path) -> None:
    """Issue 7 (sibling): a reused manifest record named files outside the bundle."""
    project = Project.load(approved)
    build_site(project)
    manifest_path = approved / "dist" / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    secret = approved.parent / "secret.txt"
    secret.write_text("TOKEN=s3cret", encoding="utf-8")
    for record in manifest["bundles"]:
        record["files"]["../../secret.txt"] = "0" * 64
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    build_site(project, archive=True)
    for archive in (approved / "dist" / "archives").iterdir():
        with zipfile.ZipFile(archive) as opened:
            assert all(b"s3cret" not in opened.read(name) for name in opened.namelist())


def test_an_impossible_plural_expression_is_an_input_error(approved: Path) -> None:
    site = approved / "locales" / "es" / "LC_MESSAGES" / "site.po"
    text = site.read_text(encoding="utf-8")
    site.write_text(text.replace("plural=(n != 1);", "plural=(n != 1 +;"), encoding="utf-8")
    with pytest.raises(CatalogError, match="invalid Plural-Forms"):
        build_site(Project.load(approved))
    site.write_text(text.replace("plural=(n != 1);", "plural=n%0;"), encoding="utf-8")
    build_site(Project.load(approved))  # n%0 divides by zero when used: the source text


def test_breadcrumb_section_comes_from_front_matter_translated(project: Path) -> None:
    vote = project / "content" / "vote.md"
    vote.write_text(vote.read_text("utf-8").replace("date: 2024-11-04\n",
                                                    "date: 2024-11-04\nsection: Politics\n"),
                    encoding="utf-8")
    pipeline.sync(Project.load(project))
    pot = (project / "locales/templates/articles/vote.pot").read_text("utf-8")
    assert '#. section\n#: content/vote.md\nmsgctxt "section"\nmsgid "Politics"' in pot
    fill_project(project, "approved")
    build_site(Project.load(project))

    def crumb(tag: str, slug: str) -> str:
        html = (project / "dist" / tag / slug / "index.html").read_text("utf-8")
        return html.split('<nav class="breadcrumb"', 1)[1].split("</nav>", 1)[0]

    # issue 20: one link, Home; the section is text (there is no page of its own to link)
    assert crumb("en", "vote").count("<a ") == 1
    assert '<a href="../">Home</a>' in crumb("en", "vote")
    assert '<span class="section">Politics</span>' in crumb("en", "vote")
    assert '<span class="section">[es] Politics</span>' in crumb("es", "vote")
    # without a section, the site's default, translated through site.po
    assert '<span class="section">News Headlines</span>' in crumb("en", "storm")
    assert '<span class="section">[es] News Headlines</span>' in crumb("es", "storm")


def test_section_not_configured_for_translation_shows_marked_as_source(project: Path) -> None:
    vote = project / "content" / "vote.md"
    vote.write_text(vote.read_text("utf-8").replace("date: 2024-11-04\n",
                                                    "date: 2024-11-04\nsection: Politics\n"),
                    encoding="utf-8")
    (project / "locflow.toml").write_text(
        '[project]\nname = "Test Gazette"\ntarget_locales = ["es"]\n'
        '[segmentation]\nfields = ["title", "summary"]\n', encoding="utf-8")
    pipeline.sync(Project.load(project))
    fill_project(project, "approved", locales=("es",))
    build_site(Project.load(project))
    html = (project / "dist" / "es" / "vote" / "index.html").read_text("utf-8")
    assert ('<span class="section"><span class="untranslated" lang="en">Politics</span></span>'
            in html)


def test_approved_text_failing_an_error_check_is_never_published(approved: Path) -> None:
    # issue 11: an approved "7-2" turned into "8-1", a changed link target
    path = approved / "locales" / "es" / "articles" / "vote.po"
    fill(path, lambda t: t.replace("7-2", "8-1"), only=lambda e: "7-2" in e.msgid)
    result = build_site(Project.load(approved))
    held = {(h.article, h.tag): h for h in result.held_back}
    assert ("vote", "es") in held
    reason = held[("vote", "es")].reason
    assert "2 failing error-level checks (numbers; see `locflow check`)" in reason
    assert not (approved / "dist" / "es" / "vote").exists()
    manifest = json.loads((approved / "dist" / "manifest.json").read_text("utf-8"))
    [record] = [r for r in manifest["held_back"] if (r["article"], r["locale"]) == ("vote", "es")]
    assert record["reason"] == reason
    assert record["review"]["failing_checks"] == {"entries": 2, "checks": {"numbers": 2}}
    # silenced where everyone sees it: published again
    with pofile.edit(path) as catalog:
        for entry in catalog.active():
            if "7-2" in entry.msgid:
                entry.tcomment = "locflow-ignore: numbers\n" + entry.tcomment
    result = build_site(Project.load(approved))
    assert ("vote", "es") not in {(h.article, h.tag) for h in result.held_back}
    assert "8-1" in (approved / "dist" / "es" / "vote" / "index.html").read_text("utf-8")


def test_failing_entry_falls_back_to_the_source_below_100_percent(synced: Path) -> None:
    (synced / "locflow.toml").write_text(
        (synced / "locflow.toml").read_text("utf-8") + "\n[build]\nmin_percent = 50\n", "utf-8")
    fill_project(synced, "approved")
    path = synced / "locales" / "es" / "articles" / "vote.po"
    fill(path, lambda t: t.replace("$4.2 million", "$5 million"),
         only=lambda e: e.msgid.startswith("Roads"))
    build_site(Project.load(synced))
    html = (synced / "dist" / "es" / "vote" / "index.html").read_text("utf-8")
    assert "$5 million" not in html and "Roads will get $4.2 million" in html


def test_site_string_with_a_broken_placeholder_is_not_used(approved: Path) -> None:
    site = approved / "locales" / "es" / "LC_MESSAGES" / "site.po"
    catalog = pofile.load(site)
    formatted = [e for e in catalog.active() if any(f.endswith("-format") for f in e.flags)]
    assert formatted, "the site templates have a formatted string"
    target = formatted[0]
    fill(site, lambda t: "[roto] sin marcador", only=lambda e: e.msgid == target.msgid)
    result = build_site(Project.load(approved))
    assert result.site_strings["es"]["published"] == result.site_strings["es"]["entries"] - 1
    assert "[roto]" not in (approved / "dist" / "es" / "index.html").read_text("utf-8")


def test_a_build_that_fails_late_leaves_no_page_and_no_temporary(
    approved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rendered pages go to temporaries as they come; a failure after them (here the
    sitemap's) removes them all: the output is as it was."""
    from locflow.errors import InputError
    from locflow.publish import outputs

    build_site(Project.load(approved))
    dist = approved / "dist"
    before = tree(dist)
    storm = approved / "content" / "storm.md"
    storm.write_text(storm.read_text("utf-8") + "\nOne more paragraph.\n", "utf-8")

    def fail(*args: object) -> bytes:
        raise InputError("the sitemap cannot be made")

    monkeypatch.setattr(outputs, "render_sitemap", fail)
    with pytest.raises(InputError):
        build_site(Project.load(approved))
    assert tree(dist) == before  # no temporary, no half-written page
    monkeypatch.undo()
    result = build_site(Project.load(approved))
    assert "en/storm/index.html" in result.written


def test_article_json_gives_title_and_summary_as_text_and_escaped(approved: Path) -> None:
    """Issue 17: article.json carries the title and summary as written (a consumer must
    escape them); title_html and summary_html are the same text, HTML-escaped."""
    source = approved / "content" / "vote.md"
    source.write_text(source.read_text("utf-8").replace(
        "title: Council approves the budget",
        "title: 'Council <script>alert(1)</script> & \"budget\"'").replace(
        "summary: The council voted 7-2 for a $4.2 million plan.",
        "summary: A <b>bold</b> plan"), encoding="utf-8")
    build_site(Project.load(approved))
    data = json.loads((approved / "dist" / "en" / "vote" / "article.json").read_text("utf-8"))
    assert data["title"] == 'Council <script>alert(1)</script> & "budget"'
    assert data["title_html"] == ("Council &lt;script&gt;alert(1)&lt;/script&gt; &amp; "
                                  "&#34;budget&#34;")
    assert data["summary"] == "A <b>bold</b> plan"
    assert data["summary_html"] == "A &lt;b&gt;bold&lt;/b&gt; plan"
    html = (approved / "dist" / "en" / "vote" / "index.html").read_text("utf-8")
    assert "<script>" not in html
