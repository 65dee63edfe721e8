"""Content checks other than numbers, the registry and suppression comments."""

from __future__ import annotations

import pytest

from locflow.checks import CHECKS, CheckContext, check_entry, ignored_checks
from locflow.checks import content as c
from locflow.model import Severity

ES, ZH = CheckContext("es"), CheckContext("zh_Hans")


def test_registry_ids_and_severities() -> None:
    errors = {"numbers", "urls", "markup", "placeholders", "unsafe-html", "glossary",
              "untranslated", "fuzzy", "rejected", "unapproved", "conflict",
              "forged-approval"}
    warnings = {"whitespace", "punctuation", "same-as-source", "length", "language"}
    assert set(CHECKS) == errors | warnings
    assert {k for k, v in CHECKS.items() if v.severity is Severity.WARNING} == warnings
    assert {k for k, v in CHECKS.items() if v.is_state} == {
        "untranslated", "fuzzy", "rejected", "unapproved", "conflict", "forged-approval",
        "language"}  # of the catalog: no content function either


@pytest.mark.parametrize(("source", "translation", "fires"), [
    ("See https://example.com/a?b=1.", "Véase https://example.com/a?b=1.", False),
    ("See https://example.com/a.", "详见 https://example.com/a。", False),
    ("Write to news@example.com", "Escriba a news@example.com", False),
    ("See https://example.com/a.", "Véase https://example.com/b.", True),
    ("Write to news@example.com", "Escriba a noticias@example.com", True),
])
def test_urls(source: str, translation: str, fires: bool) -> None:
    assert bool(c.urls(source, translation, ES)) is fires


@pytest.mark.parametrize(("source", "translation", "fires"), [
    ("Read [the report](https://x.org/r).", "Lea [el informe](https://x.org/r).", False),
    ("![Kim](kim.jpg) in **Beijing**", "![Kim](kim.jpg) en **Pekín**", False),
    ("Call `run()` now", "Llame a `run()` ahora", False),
    ("Use :func:`os.walk` and ``x = 1``", "Use :func:`os.walk` y ``x = 1``", False),
    (":ref:`Logging <logging-howto>`", ":ref:`Registro <logging-howto>`", False),
    (":term:`bytes-like object`", ":term:`objeto tipo bytes <bytes-like object>`", False),
    ("A :dfn:`stream` is", "Un :dfn:`flujo` es", False),  # prose role
    ("Click <gui>Apply</gui>.", "Pulse <gui>Aplicar</gui>.", False),
    ("The <link xref='a'>bar</link>", "La <link xref='a'>barra</link>", False),
    ("Pass *args and **kwargs", "Pase *args y **kwargs", False),
    ("A <b>bold</b> move<br>", "Un paso <b>audaz</b><br>", False),
    ("Read [the report](https://x.org/r).", "Lea [el informe](https://x.org/s).", True),
    ("![Kim](kim.jpg)", "Kim", True),
    ("Call `run()` now", "Llame a `ejecutar()` ahora", True),
    ("Use ``x = 1``", "Use x = 1", True),
    ("In **Beijing**", "En **Pekín*", True),
    ("Click <gui>Apply</gui>.", "Pulse Aplicar.", True),
    ("A <b>bold <i>move</i></b>", "Un <b>paso <i>audaz</b></i>", True),
    ("The <link xref='a'>bar</link>", "La <link xref='b'>barra</link>", True),
])
def test_markup(source: str, translation: str, fires: bool) -> None:
    assert bool(c.markup(source, translation, ES)) is fires, c.markup(source, translation, ES)


@pytest.mark.parametrize(("source", "translation", "flags", "fires"), [
    ("%(count)d in %(dir)s", "%(dir)s contiene %(count)d", ("python-format",), False),
    ("%s of %d", "%s de %d", ("c-format",), False),
    ("100%% done", "100%% hecho", ("python-format",), False),
    ("{name} invites you", "{name} te invita", ("python-brace-format",), False),
    ("{name} invites you", "{name} te invita", (), False),
    ("Hello {name}", "你好 {name}", (), False),
    ("%(count)d files", "%(cuenta)d archivos", ("python-format",), True),
    ("%s of %d", "%d de %s", ("c-format",), True),
    ("{name} invites you", "{nombre} te invita", ("python-brace-format",), True),
    ("{name} invites you", "te invita", (), True),
    ("%(name)s wrote", "escribió", (), True),
    # issue 7: what would break rendering of a python-format interface string
    ("Done 100%%", "Hecho (100%):", ("python-format",), True),
    ("%(n)s articles", "%(n)s artículos %d", ("python-format",), True),
    ("%(n)s articles", "%(x)s artículos", ("python-format",), True),
    ("Done 100%%", "Hecho %s", ("python-format",), True),
    ("Current location:", "Ubicación (100%):", (), False),  # not a format string
])
def test_placeholders(source: str, translation: str, flags: tuple[str, ...], fires: bool) -> None:
    ctx = CheckContext("es", flags=flags)
    assert bool(c.placeholders(source, translation, ctx)) is fires


@pytest.mark.parametrize(("source", "translation", "fires"), [
    ("A <b>bold</b> move", "Un paso <b>audaz</b>", False),
    ("<a href='https://x.org'>x</a>", "<a href='https://x.org'>x</a>", False),
    ("<script>x()</script>", "<script>x()</script>", False),  # the source's own: not added
    ("Text", "Texto <script>alert(1)</script>", True),
    ("A <b>bold</b> move", "Un <b onclick='steal()'>paso</b>", True),
    ("<a href='https://x.org'>x</a>", "<a href='javascript:alert(1)'>x</a>", True),
    ("Text", "Texto <style>body{display:none}</style>", True),
    ("Use ``<script>``", "Use ``<script>``", False),  # code, not HTML
    ("Read [this](https://x.org)", "Lea [esto](javascript:alert(1))", True),
    ("Read [this](https://x.org)", "Lea [esto]( JavaScript:alert(1))", True),
    ("![a](a.png)", "![a](data:text/html;base64,PHNjcmlwdD4=)", True),
    ("![a](a.png)", "![a](data:image/png;base64,AAAA)", False),
])
def test_unsafe_html(source: str, translation: str, fires: bool) -> None:
    assert bool(c.unsafe_html(source, translation, ES)) is fires


@pytest.mark.parametrize(("source", "translation", "ctx", "fires"), [
    ("Hello world", "Hola mundo", ES, False),
    ("Hello world ", "你好世界", ZH, False),  # no trailing space after Chinese
    ("Hello\n", "Hola\n", ES, False),
    (" Hello", "Hola", ES, True),
    ("Hello\n", "Hola", ES, True),
    ("Hello world", "Hola  mundo", ES, True),
])
def test_whitespace(source: str, translation: str, ctx: CheckContext, fires: bool) -> None:
    assert bool(c.whitespace(source, translation, ctx)) is fires


@pytest.mark.parametrize(("source", "translation", "ctx", "fires"), [
    ("Troops moved.", "部队调动了。", ZH, False),
    ("Why?", "为什么？", ZH, False),
    ("Look!", "看！", ZH, False),
    ("Edit the file setup.py.", "编辑文件 setup.py.", ZH, False),  # ends in ASCII: ok
    ("Why?", "¿Por qué?", ES, False),
    ("Look!", "¡Mira!", ES, False),
    ("Run ``ask('quit?')``", "运行 ``ask('quit?')``", ZH, False),  # ends in code
    ("Troops moved.", "部队调动了", ZH, True),
    ("Troops moved.", "部队调动了.", ZH, True),  # Chinese prose wants the full-width 。
    ("Why?", "为什么?", ZH, True),
    ("Why?", "Por qué?", ES, True),
    ("Look!", "Mira!", ES, True),
    ("Why? He asked", "¿Por qué. Preguntó", ES, True),
    ("Troops moved.", "Las tropas se movieron", ES, True),
])
def test_punctuation(source: str, translation: str, ctx: CheckContext, fires: bool) -> None:
    assert bool(c.punctuation(source, translation, ctx)) is fires


@pytest.mark.parametrize(("source", "fires"), [
    ("Troops moved to the border", True),
    ("Zhao Tong", False),  # a name
    ("Python", False),  # one word
    ("https://example.com/", False),
    ("2024", False),
    (">>> print('hello world')", False),  # code
    ("``os.walk()``", False),
])
def test_same_as_source(source: str, fires: bool) -> None:
    assert bool(c.same_as_source(source, source, ES)) is fires
    assert c.same_as_source(source, source + " x", ES) == []


LONG = "North Korea sent troops to Russia, which surprised Beijing a great deal."


@pytest.mark.parametrize(("translation", "ctx", "fires"), [
    ("朝鲜向俄罗斯派兵，这让北京大为吃惊。", ZH, False),
    ("Corea del Norte envió tropas a Rusia, lo que sorprendió mucho a Pekín.", ES, False),
    ("朝鲜派兵。", ZH, True),
    ("Corea.", ES, True),
    ("Corea del Norte envió tropas a Rusia, " * 5, ES, True),
])
def test_length(translation: str, ctx: CheckContext, fires: bool) -> None:
    assert bool(c.length(LONG, translation, ctx)) is fires


def test_length_ignores_short_sources() -> None:
    assert c.length("Home", "Página de inicio de este sitio web", ES) == []


def test_ignore_comment_suppresses_named_checks() -> None:
    assert ignored_checks("note\nlocflow-ignore: numbers, urls") == {"numbers", "urls"}
    ctx = CheckContext("es", comments="locflow-ignore: numbers")
    assert check_entry("12 people", "13 personas", ctx) == []
    assert [p.check for p in check_entry("12 people", "13 personas", ES)] == ["numbers"]


def test_strict_makes_warnings_errors() -> None:
    (problem,) = check_entry("Troops moved.", "Las tropas se movieron", ES)
    assert problem.check == "punctuation" and problem.severity is Severity.WARNING
    (problem,) = check_entry("Troops moved.", "Las tropas se movieron", ES, strict=True)
    assert problem.severity is Severity.ERROR


@pytest.mark.parametrize(("source", "translation", "fires"), [
    # a translated label finds no definition: the page shows "[Nodo.js][]" literally
    ("Install [Node.js][] first.", "Instale [Nodo.js][] primero.", True),
    ("Install [Node.js] first.", "Instale [Nodo.js] primero.", True),
    ("See [the docs][docs].", "Vea [la documentación][documentación].", True),
    ("Install [Node.js][] first.", "Instale [Node.js][] primero.", False),
    ("Install [Node.js] first.", "Instale primero [node.js].", False),  # labels ignore case
    ("See [the docs][docs].", "Vea [la documentación][docs].", False),
    ("Plain text.", "Texto [sic].", False),  # brackets in prose are no reference
    # footnotes
    ("A claim[^1].", "Una afirmación.", True),
    ("A claim[^1].", "Una afirmación[^2].", True),
    ("A claim[^1].", "Una afirmación[^1].", False),
])
def test_markup_catches_broken_references_and_footnotes(
        source: str, translation: str, fires: bool) -> None:
    assert bool(c.markup(source, translation, ES)) is fires, c.markup(source, translation, ES)
