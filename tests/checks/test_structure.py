"""Issue 19: markup and urls compare what the reader gets, and say what broke."""

from __future__ import annotations

import pytest

from locflow.checks import CheckContext, check_entry
from locflow.checks.skeleton import reader_text, skeleton
from locflow.checks.structure import markup_differences
from locflow.model import Severity

ES = CheckContext("es")
BUFFER = "https://nodejs.org/api/buffer.html"


def errors(source: str, translation: str) -> list[str]:
    return [f"{p.check}: {p.message}" for p in check_entry(source, translation, ES)
            if p.severity is Severity.ERROR]


@pytest.mark.parametrize(("source", "translation", "message"), [
    # links: what of its syntax the translation lost, when the address is still there
    (f"The [`Buffer`]({BUFFER}) class", f"La clase [`Buffer`{BUFFER})",
     f"the link to {BUFFER} is gone: its `](` is missing"),
    ("[Python](https://www.python.org/) (version 3.6) is needed",
     "Se necesita [Python](https://www.python.org/ (versión 3.6).",
     "the link to https://www.python.org/ is gone: its closing `)` is missing"),
    ("See [the docs](https://x.org/docs).", "Vea [la documentación] (https://x.org/docs).",
     "the link to https://x.org/docs is gone: `]` and `(` must touch, without a space"),
    ("See [the docs](https://x.org/docs).", "Vea la documentación](https://x.org/docs).",
     "the link to https://x.org/docs is gone: its text is not between `[` and `]`"),
    ("A map: ![Kim](kim.jpg)", "Un mapa: [Kim](kim.jpg)",
     "the image kim.jpg became a link: its `!` is missing"),
    ("Go to <https://x.org>.", "Vaya a https://x.org.",
     "the link to https://x.org is gone: keep the address between < and >"),
    # delimiters a reader sees: where, and which way they failed
    ("**`@node-core/utils`** runs it", "**`@node-core/utils` lo ejecuta",
     "`**` opened before “`@node-core/utils`” is never closed"),
    ("Call `run()` now", "Llame a `run() ahora",
     "a backtick (`) opened before “run()” is never closed"),
    ("See *this* now", "Vea esto* ahora",
     "`*` after “esto” closes nothing: the one that should open it is missing or does not "
     "touch the word after it"),
    ("**Note:** x", "** Nota: ** x",
     "`**` before “Nota:” is next to a space, so it marks nothing: it must touch the word it "
     "marks"),
    ("The plan was **fair**.", "计划很**“公平”**。",
     "`**` before ““公平”**。” cannot open there: before a punctuation mark it needs a space "
     "or a punctuation mark in front of it (move it, or the punctuation, to the other side)"),
    # tags as the build tells them apart: one with other attributes is shown as text
    ('A <a href="/a">link</a>', 'Un <a href="/b">enlace</a>',
     'the tag attribute href="/a" is missing or changed in the translation'),
    ('<gui style="menuitem">Open</gui>', "<gui>Abrir</gui>",
     'the tag attribute style="menuitem" is missing or changed in the translation'),
])
def test_what_broke_is_said(source: str, translation: str, message: str) -> None:
    assert markup_differences(source, translation) == [message]


@pytest.mark.parametrize(("source", "translation"), [
    # the correct translations that the pattern checks refused
    ("[FastAPI](https://fastapi.tiangolo.com)'s little sibling",
     "el hermano pequeño de [FastAPI](https://fastapi.tiangolo.com)"),
    ("a list of 2.000 strings", "una lista de 2.000 cadenas"),
    ("Listen on `192.168.1.74`.", "Escuche en `192.168.1.74`."),
    ("Use `:sparkles:` for features and `:bug:` for fixes",
     "Use `:bug:` para arreglos y `:sparkles:` para novedades"),
    ("Escape it with \\` here", "Escápelo con \\` aquí"),
    ("Write ``` `` a`b `` ``` here", "Escriba ``` `` a`b `` ``` aquí"),
    ("The prefix goes in [brackets].", "El prefijo va entre [corchetes]."),
    # moved, reordered, dropped emphasis (style), Chinese without italics
    ("See [the docs](https://x.org) and `run()`.",
     "`run()`: vea [la documentación](https://x.org)."),
    ("It is *very* fast", "Es muy rápido"),
    ("The plan was **fair**.", "计划很**公平**。"),
    # a number written in the prose may go into code
    ("Returns ``1`` if it works and 0 otherwise.", "Retorna ``1`` si funciona y ``0`` si no."),
    # reStructuredText: roles, hyperlinks (their names translated), prose roles
    (":ref:`Logging <logging-howto>`", ":ref:`Registro <logging-howto>`"),
    ("See `the guide <https://x.org/g>`_ and `part 2 <https://x.org/2>`__.",
     "Vea `la guía <https://x.org/g>`_ y `parte 2 <https://x.org/2>`__."),
    ("in the `Python Developer's Guide`_.", "en la `Guía del desarrollador`_."),
    (":dfn:`package data`", ":dfn:`paquetes de datos <package data>`"),
    # snake_case, __init__, Mallard's media placeholders, a star between spaces
    ("Call __init__ on my_object", "Llame a __init__ en my_object <_:media-1/>"),
    ("Compute 2 × 3.", "Calcula 2 * 3."),
])
def test_correct_translations_pass(source: str, translation: str) -> None:
    assert errors(source, translation) == []


@pytest.mark.parametrize(("source", "translation"), [
    # a Markdown "_emphasis_" ending in a code span is no rST hyperlink: its code counts
    ("_Run the linter with `--info`_", "_Ejecute el linter con `--información`_"),
    ("_Run the linter with `--info`_", "Ejecute el linter con `--info`_"),
    ("See `the guide <https://x.org/g>`_.", "Vea `la guía <https://x.org/h>`_."),
    ("A claim[^1].", "Una afirmación[^2]."),
    ("A <b>bold <i>move</i></b>", "Un <b>paso <i>audaz</b></i>"),
])
def test_breakages_are_errors(source: str, translation: str) -> None:
    assert errors(source, translation) != []


def test_messages_quote_translator_text_bounded_and_escaped() -> None:
    code = "`" + "x\x1b[2J" * 100 + "`"
    [message] = markup_differences(f"Run {code} now", "Ejecute ahora")
    assert "\x1b" not in message and "\\x1b" in message
    assert len(message) < 200  # 40 characters quoted (each escape up to 6), not 600


def test_the_reader_text_leaves_out_code_targets_and_tags() -> None:
    text = "Port `8080` of [host 12](https://x.org/34) <b title='56'>78</b> <https://y.org/9>"
    assert reader_text(text).split() == ["Port", "of", "host", "12", "78"]
    assert "8080" in reader_text(text, code=True)
    assert [t.url for t in skeleton(text).targets] == ["https://x.org/34", "https://y.org/9"]
