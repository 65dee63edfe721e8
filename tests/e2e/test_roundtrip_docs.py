"""Round trip on real Markdown nobody here wrote: the documentation installed packages ship.

The ``*.md`` files and Markdown package descriptions (``METADATA``) of the test
interpreter's site-packages (and its base interpreter's) become articles; then,
through the CLI, ``sync``, an identity translation (msgstr = msgid), ``review
approve`` and ``build``; the "translation" of every entry is a marker followed
by its source, so that a unit not put back shows. Every published Spanish page
must show one marker per unit and otherwise exactly the text of the English page
(text nodes, ``alt`` and ``title``), and the English page exactly the text
markdown-it renders from the source, unsanitized, but for the content of
elements a page never shows (``<script>``, ``<iframe>``...). So no text is lost
by segmentation, by putting translations back, or by the sanitizer.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import sys
import sysconfig
from html.parser import HTMLParser
from pathlib import Path

import pytest

from locflow.catalog import pofile
from locflow.segment import body_units, markdown_parser, parse_body
from locflow.segment.htmlblocks import HIDDEN_CONTENT

from ..conftest import Invoke

MAX_DOCUMENTS = 60
MIN_DOCUMENTS = 20
MARK = "\u27e6"  # ⟦: in no document


def marked(msgid: str) -> str:
    """The test's translation: the marker, then the source (markup and all) unchanged."""
    return MARK + msgid


def _roots() -> list[Path]:
    paths = {sysconfig.get_paths()["purelib"],
             sysconfig.get_paths(vars={"base": sys.base_prefix,
                                       "platbase": sys.base_prefix})["purelib"]}
    return sorted(Path(p) for p in paths if Path(p).is_dir())


def _documents(limit: int | None = MAX_DOCUMENTS) -> dict[str, str]:
    docs: dict[str, str] = {}
    for root in _roots():
        for path in sorted(root.rglob("*.md")):
            docs[path.relative_to(root).as_posix()] = path.read_text("utf-8", errors="replace")
        for path in sorted(root.glob("*.dist-info/METADATA")):
            if path.parent.name.startswith("locflow-"):
                continue  # ours
            head, _, body = path.read_text("utf-8", errors="replace").partition("\n\n")
            if "text/markdown" in head and body.strip():
                docs[path.relative_to(root).as_posix()] = body
    # a deterministic sample, spread over packages
    chosen = sorted(docs, key=lambda name: hashlib.sha256(name.encode()).hexdigest())
    return {name: docs[name] for name in sorted(chosen[:limit])}


def _slug(name: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[-50:].strip("-")
    return f"{base}-{hashlib.sha256(name.encode()).hexdigest()[:6]}"


class _Text(HTMLParser):
    """Visible text: text nodes outside hidden elements, and alt/title values."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def _attributes(self, attrs: list[tuple[str, str | None]]) -> None:
        if not self.hidden:
            self.parts += [f" {v} " for k, v in attrs if k in ("alt", "title") and v]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._attributes(attrs)
        if tag in HIDDEN_CONTENT:
            self.hidden += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._attributes(attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN_CONTENT and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible_words(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts).split()


def _difference(expected: list[str], got: list[str]) -> str:
    return "\n".join(list(difflib.unified_diff(expected, got, lineterm="", n=2))[:15])


@pytest.mark.slow
def test_identity_translation_of_package_docs_loses_no_text(
        project: Path, locflow: Invoke) -> None:
    documents = _documents()
    if len(documents) < MIN_DOCUMENTS:
        pytest.skip(f"only {len(documents)} Markdown documents in site-packages")
    for path in (project / "content").iterdir():
        path.unlink()
    (project / "locflow.toml").write_text('[project]\ntarget_locales = ["es"]\n', "utf-8")
    slugs = {}
    for name, body in documents.items():
        slugs[_slug(name)] = name
        (project / "content" / f"{_slug(name)}.md").write_text(
            f"---\ntitle: {_slug(name)}\n---\n{body}", encoding="utf-8")

    locflow("sync", ok=True)
    entries = 0
    for path in sorted((project / "locales" / "es" / "articles").glob("*.po")):
        with pofile.edit(path) as catalog:
            for entry in catalog.active():
                entry.msgstr = marked(entry.msgid) if entry.msgctxt is None else entry.msgid
                entries += 1
    locflow("review", "approve", "--locale", "es", "--all", ok=True)
    built = locflow("build", ok=True)
    assert ", 0 held back" in built.stdout
    assert entries > 20 * len(documents)

    md = markdown_parser()
    for slug, name in sorted(slugs.items()):
        def body(tag: str, slug: str = slug) -> str:
            html = (project / "dist" / tag / slug / "index.html").read_text("utf-8")
            return html.split('<div class="body">', 1)[1].rsplit("</article>", 1)[0]

        source = (project / "content" / f"{slug}.md").read_text("utf-8").split("---\n", 2)[2]
        env: dict[str, object] = {}
        # (a unit that needs no translation, a number or a URL, is not extracted)
        units = [u for u in body_units(parse_body(source, env), env) if u.extracted]
        english, spanish = visible_words(body("en")), " ".join(visible_words(body("es")))
        assert spanish.count(MARK) == len(units), name
        unmarked = spanish.replace(MARK, "").split()
        assert unmarked == english, f"{name}:\n{_difference(english, unmarked)}"
        reference = visible_words(md.render(source))
        assert english == reference, f"{name}:\n{_difference(reference, english)}"
