"""Real Markdown, translated correctly and broken the ways translators break it (issue 19).

The entries come from Markdown nobody here wrote: the ``.md`` files the installed
packages ship, the Markdown descriptions in their metadata (their READMEs), and the
CommonMark spec's examples when a package ships the spec. Each document is cut into
entries by locflow's own segmenter, and every entry whose rendering has structure
(a link, an image, code, emphasis, an inline tag, a footnote reference) is

- translated correctly: as it is (identity), pseudo-translated (every word of its
  prose changed, the words glued to a link or a code span too), its words reordered,
  a word glued to a link replaced by one before it, a link moved to the start; and
- broken as careless translators do: a link's ``](`` or its ``)`` dropped, a space put
  in ``](``, a ``**``, ``*``, ``_`` or backtick dropped, a URL changed, an image or a
  code span dropped, a code span translated, a tag's ``>`` or a closing tag dropped,
  a footnote reference dropped.

The oracle is what the reader gets: the entry rendered by the build
(:func:`locflow.publish.render.render_body`), reduced to its structure (every element
with its ancestors and its attributes but ``alt`` and ``title``, the text of its code
elements, the Markdown delimiters its text shows). A correct variant must render with
the identity's structure (one that does not is no correct variant and is dropped),
and must raise no error; a breakage that changes the structure must raise one, and
one that changes nothing (a ``)`` whose loss Markdown reads the same) is counted as
no breakage. Run ``python -m tests.checks.markdown_harness`` for the full-size figures.
"""

from __future__ import annotations

import random
import re
import sys
import sysconfig
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from importlib import metadata
from pathlib import Path

from markdown_it.token import Token

from locflow.checks import CheckContext, check_entry
from locflow.model import Severity
from locflow.publish.render import render_body
from locflow.segment import body_units, markdown_parser, parse_body, to_markdown_inline

SEED = 19
CONTEXT = CheckContext("es")
_DELIMITERS = ("**", "*", "`", "](", "~~")  # what a reader sees when a construct broke
_PSEUDO = str.maketrans("aeiounAEIOUN", "áéíóúñÁÉÍÓÚÑ")


# --- the documents -------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    name: str
    markdown: str


def site_packages() -> Path:
    """The installed packages of the interpreter running the tests (the venv in CI)."""
    return Path(sysconfig.get_paths()["purelib"])


def package_documents(root: Path | None = None) -> list[Document]:
    """The ``.md`` files of the packages installed in *root* (default: this
    interpreter's) and the Markdown descriptions (READMEs) in their metadata, in a
    stable order."""
    found: list[Document] = []
    root = root or site_packages()
    for path in sorted(root.rglob("*.md")):
        try:
            found.append(Document(str(path.relative_to(root)), path.read_text("utf-8")))
        except (OSError, UnicodeDecodeError):
            continue
    distributions = metadata.distributions(path=[str(root)])
    for dist in sorted(distributions, key=lambda d: d.metadata["Name"] or ""):
        meta = dist.metadata
        kind = (meta.get_all("Description-Content-Type") or [""])[0]
        if "markdown" not in kind.lower() or meta["Name"].lower() == "locflow":
            continue  # (locflow's own README is this repository's: not held out)
        # the description is the body of the METADATA file, after its headers
        _, _, description = (dist.read_text("METADATA") or "").partition("\n\n")
        if description.strip():
            found.append(Document(f"{meta['Name']} (README)", description))
    return found


_EXAMPLE_RE = re.compile(r"^`{32} example[^\n]*\n(.*?)^\.\n", re.S | re.M)


def spec_path() -> Path | None:
    """The CommonMark spec (``spec.txt``) if an installed package ships it."""
    for name in ("spec.txt", "commonmark_spec.txt"):
        for path in sorted(site_packages().rglob(name)):
            if "example" in path.read_text("utf-8", errors="replace")[:200_000]:
                return path
    return None


def spec_documents(path: Path) -> list[Document]:
    """One document per example of the CommonMark spec (→ stands for a tab)."""
    text = path.read_text("utf-8")
    return [Document(f"spec example {n}", m.group(1).replace("→", "\t"))
            for n, m in enumerate(_EXAMPLE_RE.finditer(text), 1)]


# --- what the reader gets ------------------------------------------------------------


# an element as a reader gets it: (its ancestors, its tag, its attributes)
Element = tuple[tuple[str, ...], str, tuple[tuple[str, str], ...]]


class _Structure(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.elements: Counter[Element] = Counter()
        self.code: Counter[str] = Counter()
        self.shown: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        kept = tuple(sorted((k, v or "") for k, v in attrs if k not in ("alt", "title")))
        self.elements[(tuple(self.open), tag, kept)] += 1
        if tag not in ("br", "img", "input", "hr"):
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            while self.open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if "code" in self.open:
            self.code[data] += 1
            return
        for delimiter in _DELIMITERS:
            self.shown[delimiter] += data.count(delimiter)


@dataclass(frozen=True)
class Structure:
    """A rendering reduced to what a broken construct changes."""

    elements: frozenset[tuple[Element, int]]  # each element with its count
    code: frozenset[tuple[str, int]]
    shown: Counter[str]  # delimiters shown as text

    def broken_from(self, reference: Structure) -> bool:
        """Whether this rendering lost structure *reference* has: other elements or
        code, or more delimiters shown as text. (Fewer is a change of the text, as
        when a translator leaves out a literal ``*``.)"""
        return (self.elements != reference.elements or self.code != reference.code
                or bool(self.shown - reference.shown))


def structure(html: str) -> Structure:
    parser = _Structure()
    parser.feed(html)
    parser.close()
    return Structure(frozenset(parser.elements.items()), frozenset(parser.code.items()),
                     parser.shown)


@dataclass(frozen=True)
class Entry:
    document: str
    msgid: str
    page: str  # a one-paragraph document whose only text unit is the entry

    def rendered(self, text: str) -> Structure:
        return structure(render_body(self.page, {(None, self.msgid): text}).html)


def _footnote_labels(env: dict[str, object]) -> list[str]:
    notes = env.get("footnotes")
    refs = notes.get("refs", {}) if isinstance(notes, dict) else {}
    return [label[1:] for label in refs]


def entries(document: Document) -> Iterator[Entry]:
    """The inline entries of *document* (paragraphs, headings, items, cells) that have
    structure and render alone as they render in their document."""
    env: dict[str, object] = {}
    units = list(body_units(parse_body(document.markdown, env), env))
    labels = _footnote_labels(env)
    for unit in units:
        msgid = unit.segment.msgid
        if unit.part != "inline" or not msgid.strip():
            continue
        notes = "".join(f"\n\n[^{label}]: Note." for label in labels if f"[^{label}]" in msgid)
        page = (msgid if unit.verbatim else to_markdown_inline(msgid)) + notes + "\n"
        page_units = [u for u in body_units(parse_body(page, {}), {}) if u.part == "inline"]
        if not page_units or page_units[0].segment.msgid != msgid:
            continue  # (a heading that reads as a list item once alone)
        entry = Entry(document.name, msgid, page)
        rendered = entry.rendered(msgid)
        if rendered.code or any(element[1] != "p" for element, _ in rendered.elements):
            yield entry


# --- correct translations ------------------------------------------------------------


def _prose_spans(msgid: str) -> list[tuple[int, int]]:
    """Where the prose of *msgid* is: its text tokens, found in order (an approximate
    place is fine: a variant whose structure changes is dropped)."""
    md = markdown_parser()
    tokens: list[Token] = []
    md.inline.parse(to_markdown_inline(msgid), md, {}, tokens)
    spans, cursor, autolink = [], 0, False
    for token in tokens:
        if token.type == "link_open":
            autolink = token.markup == "autolink"
        elif token.type == "link_close":
            autolink = False
        elif token.type == "text" and token.content.strip() and not autolink:
            at = msgid.find(token.content, cursor)
            if at >= 0:
                spans.append((at, at + len(token.content)))
                cursor = at + len(token.content)
    return spans


def _rewrite_prose(msgid: str, words: Callable[[list[str]], list[str]]) -> str:
    out, position = [], 0
    for start, end in _prose_spans(msgid):
        span = msgid[start:end]
        lead = span[:len(span) - len(span.lstrip())]
        trail = span[len(span.rstrip()):]
        out += [msgid[position:start], lead, " ".join(words(span.split())), trail]
        position = end
    return "".join(out) + msgid[position:]


def _pseudo_word(word: str) -> str:
    core = word.strip(".,;:!?()\"'")
    if core.isalpha() and core.isascii():
        return word.replace(core, core.translate(_PSEUDO) + "ë")
    return word


def _link_spans(msgid: str) -> list[tuple[int, int]]:
    """(start, end) of each inline link ``[text](target)`` of *msgid*, images included
    (their ``!``), found by bracket counting."""
    spans = []
    for middle in (m.start() for m in re.finditer(re.escape("]("), msgid)):
        depth, start = 0, -1
        for i in range(middle, -1, -1):
            depth += {"]": 1, "[": -1}.get(msgid[i], 0)
            if depth == 0:
                start = i
                break
        depth, end = 0, -1
        for i in range(middle + 1, len(msgid)):
            depth += {"(": 1, ")": -1}.get(msgid[i], 0)
            if depth == 0:
                end = i + 1
                break
        if start >= 0 and end > 0:
            start -= start > 0 and msgid[start - 1] == "!"
            spans.append((start, end))
    return spans


def correct_variants(msgid: str) -> Iterator[tuple[str, str]]:
    """(kind, translation) of correct translations of *msgid*."""
    yield "identity", msgid
    yield "pseudo-translation", _rewrite_prose(msgid, lambda ws: [_pseudo_word(w) for w in ws])
    yield "words reordered", _rewrite_prose(msgid, lambda ws: ws[::-1])
    for start, end in _link_spans(msgid)[:2]:
        glued = re.match(r"[^\s\[\]()<>`*_]+", msgid[end:])
        if glued:  # "[FastAPI](…)'s little sibling" → "… de [FastAPI](…) little sibling"
            yield ("glued word changed",
                   msgid[:start] + "de " + msgid[start:end] + msgid[end + glued.end():])
        rest = (msgid[:start].rstrip() + " " + msgid[end:].lstrip()).strip()
        if rest:
            yield "link moved", msgid[start:end] + " " + rest


# --- breakages -----------------------------------------------------------------------


def _without(text: str, start: int, end: int) -> str:
    return text[:start] + text[end:]


def _runs(msgid: str, pattern: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(pattern, msgid)]


def _code_spans(msgid: str) -> list[tuple[int, int]]:
    spans, i = [], 0
    for m in re.finditer(r"`+", msgid):
        if m.start() < i:
            continue
        close = re.compile(r"(?<!`)" + m.group() + r"(?!`)").search(msgid, m.end())
        if close:
            spans.append((m.start(), close.end()))
            i = close.end()
    return spans


def breakages(msgid: str) -> Iterator[tuple[str, list[str]]]:
    """(kind, candidate broken translations) for each kind of breakage *msgid* allows."""
    links = [(s, e) for s, e in _link_spans(msgid) if msgid[s] == "["]
    images = [(s, e) for s, e in _link_spans(msgid) if msgid[s] == "!"]
    middles = _runs(msgid, re.escape("]("))
    yield "`](` dropped", [_without(msgid, s, e) for s, e in middles]
    yield "link `)` dropped", [_without(msgid, e - 1, e) for _, e in links]
    yield "space in `](`", [msgid[:s + 1] + " " + msgid[s + 1:] for s, _ in middles]
    yield "`**` dropped", [_without(msgid, s, e) for s, e in _runs(msgid, r"(?<!\*)\*\*(?!\*)")]
    yield "`*` dropped", [_without(msgid, s, e) for s, e in _runs(msgid, r"(?<!\*)\*(?!\*)")]
    yield "`_` dropped", [_without(msgid, s, e) for s, e in _runs(msgid, r"(?<!_)_(?!_)")]
    yield "backtick dropped", [_without(msgid, e - 1, e) for s, e in _code_spans(msgid)]
    yield "URL changed", [msgid[:e - 1] + "x" + msgid[e - 1:] for _, e in links]
    yield "image dropped", [_without(msgid, s, e) for s, e in images]
    yield "code span dropped", [_without(msgid, s, e) for s, e in _code_spans(msgid)]
    yield "code translated", [msgid[:s] + msgid[s:e].translate(_PSEUDO) + msgid[e:]
                              for s, e in _code_spans(msgid)]
    tags = _runs(msgid, r"<[A-Za-z][^<>]*>")
    yield "tag `>` dropped", [_without(msgid, e - 1, e) for _, e in tags]
    yield "closing tag dropped", [_without(msgid, s, e) for s, e in
                                  _runs(msgid, r"</[A-Za-z][^<>]*>")]
    yield "footnote dropped", [_without(msgid, s, e) for s, e in _runs(msgid, r"\[\^[^\]\s]+\]")]
    # and a few more a careless translator makes
    yield "link `[` dropped", [_without(msgid, s, s + 1) for s, _ in links]
    yield "image `!` dropped", [_without(msgid, s, s + 1) for s, _ in images]
    yield "space after `**`", [msgid[:e] + " " + msgid[e:] for _, e in
                               _runs(msgid, r"(?<![*\w])\*\*(?=\w)")]
    yield "tag attribute changed", [msgid[:e - 1] + "x" + msgid[e - 1:] for _, e in
                                    _runs(msgid, r"(?<=[\s<])(?:href|src|class|id)=\"[^\"<>]*\"")]
    yield "footnote label changed", [msgid[:e - 1] + "x" + msgid[e - 1:] for _, e in
                                     _runs(msgid, r"\[\^[^\]\s]+\]")]


# --- the run -------------------------------------------------------------------------


@dataclass
class Tally:
    documents: int = 0
    entries: int = 0
    correct: Counter[str] = field(default_factory=Counter)
    breakages: Counter[str] = field(default_factory=Counter)
    no_change: Counter[str] = field(default_factory=Counter)  # "breakages" Markdown ignores
    missed: list[tuple[str, str, str, str]] = field(default_factory=list)
    false_errors: list[tuple[str, str, str, str]] = field(default_factory=list)

    def report(self) -> str:
        lines = [f"documents {self.documents}, entries with structure {self.entries}",
                 f"correct variants {sum(self.correct.values())} "
                 f"({', '.join(f'{k} {v}' for k, v in sorted(self.correct.items()))}): "
                 f"{len(self.false_errors)} raised an error",
                 f"breakages {sum(self.breakages.values())}, missed {len(self.missed)}; "
                 f"changed nothing a reader sees {sum(self.no_change.values())}"]
        missed = Counter(kind for kind, *_ in self.missed)
        lines += [f"  {kind}: {n} (missed {missed[kind]})"
                  for kind, n in sorted(self.breakages.items())]
        return "\n".join(lines)


def errors(source: str, translation: str) -> list[str]:
    return [f"{p.check}: {p.message}" for p in check_entry(source, translation, CONTEXT)
            if p.severity is Severity.ERROR]


def run(documents: list[Document], *, per_document: int | None = None,
        seed: int = SEED) -> Tally:
    """Check every entry of *documents* (at most *per_document* of each, chosen with a
    seeded RNG) against its correct variants and one breakage of each kind."""
    rng = random.Random(seed)
    tally = Tally(documents=len(documents))
    for document in documents:
        found = list(entries(document))
        if per_document is not None and len(found) > per_document:
            found = rng.sample(found, per_document)
        for entry in found:
            tally.entries += 1
            _check_entry(entry, rng, tally)
    return tally


def _check_entry(entry: Entry, rng: random.Random, tally: Tally) -> None:
    msgid = entry.msgid
    reference = entry.rendered(msgid)
    for kind, text in correct_variants(msgid):
        if kind != "identity" and (text == msgid or entry.rendered(text).broken_from(reference)):
            continue  # no change, or not a correct translation after all
        tally.correct[kind] += 1
        found = errors(msgid, text)
        if found:
            tally.false_errors.append((kind, msgid, text, found[0]))
    for kind, candidates in breakages(msgid):
        if not candidates:
            continue
        broken = rng.choice(candidates)
        if broken == msgid or not entry.rendered(broken).broken_from(reference):
            tally.no_change[kind] += 1
            continue
        tally.breakages[kind] += 1
        if not errors(msgid, broken):
            tally.missed.append((kind, msgid, broken, entry.document))


def main() -> None:
    """``python -m tests.checks.markdown_harness [--root SITE_PACKAGES] [--seed N]``: the
    full-size run (every entry of every document), its figures, the first misses."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, help="another site-packages folder to read")
    parser.add_argument("--seed", type=int, default=SEED)
    options = parser.parse_args()
    documents = package_documents(options.root)
    spec = spec_path()
    if spec is not None:
        documents += spec_documents(spec)
    else:
        print("no CommonMark spec among the installed packages: its examples are left out")
    tally = run(documents, seed=options.seed)
    print(tally.report())
    for kind, msgid, text, where in tally.missed[:20]:
        print(f"MISSED {kind} [{where}]\n  {msgid!r}\n  {text!r}")
    for kind, msgid, text, message in tally.false_errors[:20]:
        print(f"FALSE {kind}: {message}\n  {msgid!r}\n  {text!r}")
    sys.exit(1 if tally.missed or tally.false_errors else 0)


if __name__ == "__main__":
    main()
