"""Interface strings: extraction from the effective templates, compilation, overrides."""

from __future__ import annotations

from pathlib import Path

from locflow.config import Project
from locflow.publish.interface import (
    PACKAGE_TEMPLATES,
    compile_mo,
    effective_templates,
    make_environment,
    site_segments,
    site_strings,
)

from .build_helpers import fill


def test_package_templates_strings(project: Path) -> None:
    segments = {s.msgid: s for s in site_segments(Project.load(project))}
    for msgid in ("Current location:", "Home", "News Headlines", "Release time:",
                  "not yet translated", "XML Map"):
        assert msgid in segments
        assert segments[msgid].context is None and segments[msgid].kind == "interface"
        assert segments[msgid].flags == ()
    assert segments["Release time:"].references == ("templates/article.html:20",)
    assert "templates/index.html:5" in segments["News Headlines"].references
    plural = segments["%(number)s article"]
    assert plural.msgid_plural == "%(number)s articles"
    assert plural.flags == ("python-format",)


def test_project_templates_override_per_file_and_add_strings(project: Path) -> None:
    (project / "templates").mkdir()
    (project / "templates" / "article.html").write_text(
        '{% extends "base.html" %}{% block main %}\n'
        '<p>{{ pgettext("masthead", "Home") }}</p>\n'
        '<p>{% trans name=page.site_name %}Welcome to {{ name }}{% endtrans %}</p>\n'
        "{{ article.body(_('not yet translated')) }}{% endblock %}\n", encoding="utf-8")
    (project / "templates" / "notes.txt").write_text("ignored", encoding="utf-8")
    loaded = Project.load(project)
    templates = effective_templates(loaded)
    assert templates["article.html"].parent == project / "templates"
    assert templates["base.html"].parent == PACKAGE_TEMPLATES
    assert "notes.txt" not in templates
    segments = {(s.context, s.msgid): s for s in site_segments(loaded)}
    assert segments[("masthead", "Home")].references == ("templates/article.html:2",)
    welcome = segments[(None, "Welcome to %(name)s")]
    assert welcome.flags == ("python-format",)
    assert (None, "Release time:") not in segments  # only the package's article.html had it
    assert (None, "Home") in segments  # still used by index.html


def test_compiled_translations_in_templates(project: Path) -> None:
    import io

    from babel.support import Translations

    mo = compile_mo([
        {"id": "Home", "str": "Inicio", "ctx": None},
        {"id": "Home", "str": "Portada", "ctx": "masthead"},
        {"id": ["%(count)s article", "%(count)s articles"],
         "str": ["%(count)s artículo", "%(count)s artículos"], "ctx": None},
    ], "es", "nplurals=2; plural=(n != 1);")
    assert compile_mo([], "es", "") == compile_mo([], "es", "")  # no clock in the bytes
    translations = Translations(io.BytesIO(mo))
    (project / "templates").mkdir()
    (project / "templates" / "t.html").write_text(
        "{{ _('Home') }}|{{ pgettext('masthead', 'Home') }}|"
        "{% trans count=n %}{{ count }} article{% pluralize %}{{ count }} articles{% endtrans %}",
        encoding="utf-8")
    env = make_environment(Project.load(project), translations)
    out = [env.get_template("t.html").render(n=n) for n in (1, 3)]
    assert out == ["Inicio|Portada|1 artículo", "Inicio|Portada|3 artículos"]


def test_translated_interface_strings_are_escaped(synced: Path) -> None:
    from locflow.publish.gate import Policy

    site = synced / "locales" / "es" / "LC_MESSAGES" / "site.po"
    # the checks hold this back unless an editor overrides them; escaping must hold even then
    fill(site, lambda t: '<script>alert("x")</script> & co', "approved", override=("all",))
    strings = site_strings(Project.load(synced), "es", Policy())
    assert strings.publishable == strings.total
    (synced / "templates").mkdir()
    (synced / "templates" / "t.html").write_text(
        '<a title="{{ _(\'Home\') }}">{% trans %}Home{% endtrans %}</a>', encoding="utf-8")
    env = make_environment(Project.load(synced), strings.translations)
    html = env.get_template("t.html").render()
    assert "<script>" not in html
    assert html == ('<a title="&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co">'
                    "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co</a>")


PERCENT_TRANSLATIONS = {
    "Current location:": "Ubicación (100%):",  # was ValueError
    "Home": "Inicio %d",  # was TypeError
    "News Headlines": "Titulares %(x)s",  # was KeyError
    "Release time:": "Hora %s",  # rendered as "Hora {}"
}


def test_translator_percent_signs_never_break_a_page(synced: Path) -> None:
    """Issue 7: build crashed on an approved interface translation containing "%"."""
    from locflow.publish import build_site

    site = synced / "locales" / "es" / "LC_MESSAGES" / "site.po"
    fill(site, lambda text: PERCENT_TRANSLATIONS.get(text, f"ES {text}"))
    fill(site, lambda text: "%(number)s artículo %d", only=lambda e: bool(e.msgid_plural))
    for path in (synced / "locales" / "es" / "articles").glob("*.po"):
        fill(path, lambda text: f"ES {text}")
    build_site(Project.load(synced))
    page = (synced / "dist" / "es" / "vote" / "index.html").read_text(encoding="utf-8")
    index = (synced / "dist" / "es" / "index.html").read_text(encoding="utf-8")
    # not format strings: the translation as the translator wrote it
    assert "Ubicación (100%):" in page and "Inicio %d" in page and "Hora %s" in page
    # a placeholder the source lacks is an error-level finding: held back, the source shown
    assert "Titulares %(x)s" not in index and "News Headlines" in index
    # a format string whose translation does not format: the source text instead
    assert "2 articles" in index


def test_interface_format_flags_follow_percent_signs(project: Path) -> None:
    (project / "templates").mkdir()
    (project / "templates" / "extra.html").write_text(
        "{% trans %}Done 100%{% endtrans %}|{{ _('Plain') }}", encoding="utf-8")
    segments = {s.msgid: s for s in site_segments(Project.load(project))}
    assert segments["Done 100%%"].flags == ("python-format",)
    assert segments["Plain"].flags == ()


def test_templates_run_in_a_sandbox(project: Path) -> None:
    import gettext

    import jinja2.exceptions

    (project / "templates").mkdir()
    (project / "templates" / "evil.html").write_text(
        "{{ cycler.__init__.__globals__.os.popen('echo pwned').read() }}", encoding="utf-8")
    env = make_environment(Project.load(project), gettext.NullTranslations())
    try:
        out = env.get_template("evil.html").render()
    except jinja2.exceptions.SecurityError:
        out = "refused"
    assert "pwned" not in out


def test_a_translation_with_a_huge_field_width_is_left_out(synced: Path) -> None:
    """Issue 17: `%(number)-99999999999s` (MemoryError) or `%(number)99999999s` (a 100 MB
    page) in an approved site.po: the translation is left out with a warning naming it."""
    from locflow.catalog import pofile
    from locflow.publish.gate import Policy
    from locflow.publish.interface import widest_field

    site = synced / "locales" / "es" / "LC_MESSAGES" / "site.po"
    fill(site, lambda text: f"ES {text}", "approved")
    fill(site, lambda text: text.replace("%(number)s", "%(number)-99999999999s"), "approved",
         only=lambda e: bool(e.msgid_plural), override=("all",))
    line = next(e.line for e in pofile.load(site).active() if e.msgid_plural)
    strings = site_strings(Project.load(synced), "es", Policy())
    assert strings.publishable == strings.total - 1
    assert strings.warnings == (
        f"locales/es/LC_MESSAGES/site.po:{line}: the translation of '%(number)s article' has a "
        "field width or precision over 100; the source text is shown",)
    assert strings.translations.ngettext("%(number)s article", "%(number)s articles", 2) == (
        "%(number)s articles")
    assert (widest_field("%(a)100s %.100f 100%%"), widest_field("%(a)101s"),
            widest_field("%.101f"), widest_field("%%101s")) == (100, 101, 101, 0)


def test_a_huge_width_never_reaches_formatting(synced: Path) -> None:
    """The gettext callables refuse a wide field too (a translation given to them some
    other way gives way to the source; the template's own string is an error)."""
    import io

    from babel.support import Translations

    from locflow.publish.sandbox import TemplateLimit

    mo = compile_mo([{"id": "%(n)s items", "str": "%(n)99999999s cosas", "ctx": None}],
                    "es", "")
    (synced / "templates").mkdir()
    (synced / "templates" / "t.html").write_text(
        "{{ _('%(n)s items', n=3) }}|{{ _('%(n)s wide%(m)101s', n=1, m=2) }}",
        encoding="utf-8")
    env = make_environment(Project.load(synced), Translations(io.BytesIO(mo)))
    (synced / "templates" / "u.html").write_text("{{ _('%(n)s items', n=3) }}",
                                                 encoding="utf-8")
    assert env.get_template("u.html").render() == "3 items"
    try:
        env.get_template("t.html").render()
    except TemplateLimit as exc:
        assert "field width or precision over 100" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("not refused")
