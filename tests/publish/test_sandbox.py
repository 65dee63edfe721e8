"""Bounds on project templates (issue 17): time, sizes, range(), recursion."""

from __future__ import annotations

import gettext
import time
from pathlib import Path

import pytest

from locflow.config import Project
from locflow.publish import sandbox
from locflow.publish.interface import make_environment
from locflow.publish.sandbox import TemplateLimit, percent_widths


def render(project: Path, source: str, **context: object) -> str:
    (project / "templates").mkdir(exist_ok=True)
    (project / "templates" / "t.html").write_text(source, encoding="utf-8")
    env = make_environment(Project.load(project), gettext.NullTranslations())
    return sandbox.render(env.get_template("t.html"), dict(context))


def test_ordinary_templates_render_as_before(project: Path) -> None:
    source = ("{% for i in range(3) %}{{ loop.index }}{{ '-' ~ i }}{% else %}none{% endfor %}"
              "|{{ 'ab' * 2 }}|{{ 'x'|center(5) }}|{{ '%05.1f' % 3.14159 }}"
              "|{{ '{:,}'.format(12345678) }}|{{ [1, 2]|join(', ') }}|{{ 2 ** 10 }}"
              "|{{ 'a b'|replace(' ', '_') }}|{{ items|length }}")
    assert render(project, source, items=[1, 2]) == (
        "1-02-13-2|abab|  x  |003.1|12,345,678|1, 2|1024|a_b|2")


@pytest.mark.parametrize(("source", "words"), [
    ("{% for i in range(10001) %}{% endfor %}", "a range over 10,000 items"),
    ("{{ range(2**70) }}", "a range over 10,000 items"),
    ("{{ 'x' * 10000001 }}", "a value over 10,000,000"),
    ("{{ [1] * 10000001 }}", "a value over 10,000,000"),
    ("{{ 'x'.ljust(10001) }}", "a number over 10,000"),
    ("{{ 'x'|center(10001) }}", "a number over 10,000"),
    ("{{ [1]|batch(10001, 0)|list }}", "a number over 10,000"),
    ("{{ '%10000001s' % 1 }}", "a value over 10,000,000"),
    ("{{ '%*s' % (10001, 1) }}", "a number over 10,000"),
    ("{{ '%10000001s'|format(1) }}", "a value over 10,000,000"),
    ("{{ '{:10000001}'.format(1) }}", "a value over 10,000,000"),
    ("{{ '{:{w}}'.format(1, w=10001) }}", "a number over 10,000"),
    ("{{ ('x' * 5000000).replace('x', 'yyy') }}", "a value over 10,000,000"),
    ("{{ ('x' * 5000000)|replace('x', 'yyy') }}", "a value over 10,000,000"),
    ("{{ ('\\n' * 5000)|indent(10001) }}", "a number over 10,000"),
    ("{{ ('\\n' * 5000000)|indent(3) }}", "a value over 10,000,000"),
    ("{{ ('x' * 4000000)|wordwrap(2, true, 'abcd') }}", "a value over 10,000,000"),
    ("{{ ('\\t' * 5000000).expandtabs(8) }}", "a value over 10,000,000"),
    ("{{ range(10000)|join('x' * 2000) }}", "a value over 10,000,000"),
    ("{{ ('x' * 2000).join(range(10000)|map('string')) }}", "a value over 10,000,000"),
    ("{{ 3 ** 100000 }}", "a number over 100,000 bits"),
    ("{{ (2 ** 60000) * (2 ** 60000) }}", "a number over 100,000 bits"),
    ("{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}"
     "{% endfor %}", "a value over 10,000,000"),
    ("{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}"
     "{% endfor %}", "a value over 10,000,000"),
    ("{% for i in range(3000) %}{{ 'x' * 9999 }}{% endfor %}", "renders over 20,000,000"),
    ("{{ (1).to_bytes(10001, 'big') }}", "a number over 10,000"),
])
def test_a_template_cannot_make_anything_huge(project: Path, source: str, words: str) -> None:
    with pytest.raises(TemplateLimit, match=words.replace("*", r"\*")):
        render(project, source)


def test_a_template_stops_when_its_time_is_up(project: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox, "RENDER_SECONDS", 0.2)
    for source in ["{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}"
                   "{% endfor %}",
                   "{% set s = 'x' * 100000 %}{% for a in s %}{% for b in s %}{% endfor %}"
                   "{% endfor %}",
                   "{% macro f(n) %}{% for i in range(10) %}{{ f(n) if n else '' }}{% endfor %}"
                   "{% endmacro %}{{ f(1) }}"]:
        start = time.monotonic()
        with pytest.raises((TemplateLimit, RecursionError)):
            render(project, source)
        assert time.monotonic() - start < 3


def test_lipsum_is_not_offered(project: Path) -> None:
    import jinja2

    with pytest.raises(jinja2.UndefinedError):
        render(project, "{{ lipsum(10000) }}")


def test_a_template_over_a_megabyte_is_refused(project: Path) -> None:
    with pytest.raises(TemplateLimit, match="over 1,000,000 bytes"):
        render(project, "x" * 1_000_001)


def test_percent_widths() -> None:
    assert percent_widths("%(n)-20s and %.3f of %*d, 100%%") == (23, True)
    assert percent_widths("plain %s") == (0, False)
    assert percent_widths("%(n)99999999999999999999s")[0] >= 10**12
