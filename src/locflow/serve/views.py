"""What the desk's pages show, computed from the project's files (no web framework here).

The dashboard lists every catalog (article × locale) with its states, most
urgent first, and the published translations behind their English article
(:func:`locflow.pipeline.behind`); the review page lists a catalog's entries in
document order with everything an editor needs to decide on each: state, the old
source of a fuzzy entry as a word diff, check findings, where a draft came from,
glossary terms, the text approved for an earlier English (what a living page shows)
and a correction draft beside it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .. import pipeline
from ..errors import InputError, LocflowError, PathError
from ..locales import bcp47_tag, display_name
from ..model import Finding, ReviewState
from ..review import StateCounts

if TYPE_CHECKING:
    from ..catalog.pofile import Catalog, Entry
    from ..config import Project
    from ..glossary import Glossary
    from ..provenance import Provenance
    from ..review import Approval, PreviousApproval, Rejection

STATES = tuple(state.value for state in ReviewState)
Key = tuple[str | None, str]


# -- dashboard -------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogRow:
    """One article × locale on the dashboard."""

    slug: str
    title: str
    locale: str
    locale_name: str
    label: str  # the catalog's path relative to the project
    counts: StateCounts
    error: str = ""  # the catalog cannot be read
    ref: pipeline.CatalogRef | None = field(default=None, compare=False)

    @property
    def lang(self) -> str:
        """The BCP 47 tag of the catalog's language (what its name is written in)."""
        return bcp47_tag(self.locale) if self.locale else ""

    @property
    def attention(self) -> int:
        """0: rejected or fuzzy entries; 1: translated, awaiting review; 2: untranslated
        (translators' turn); 3: nothing to do."""
        c = self.counts
        if self.error or c.rejected or c.fuzzy:
            return 0
        if c.translated:
            return 1
        return 2 if c.untranslated else 3

    def bar(self) -> list[tuple[str, float, int]]:
        """(state, percent, count) of each state present, for the progress bar."""
        total = self.counts.total
        return [(state, 100.0 * getattr(self.counts, state) / total, getattr(self.counts, state))
                for state in ("approved", "translated", "fuzzy", "rejected", "untranslated")
                if total and getattr(self.counts, state)]

    def bar_label(self) -> str:
        """What the progress bar shows, in words (its accessible name)."""
        words = {"translated": "awaiting review"}
        parts = [f"{n} {words.get(state, state)}" for state, _, n in self.bar()]
        return f"{', '.join(parts) or 'no entries'} (of {self.counts.total})"


def article_titles(project: Project) -> dict[str, str]:
    """Slug → title of the project's articles (slugs alone if the articles cannot be read)."""
    from ..content import read_articles

    try:
        articles = read_articles(project.content_dir, project.config.fields)
    except LocflowError:
        return {}
    titles = {}
    for article in articles:
        title = article.meta.get("title")
        titles[article.slug] = " ".join(title.split()) if isinstance(title, str) else article.slug
    return titles


def catalog_rows(project: Project, *, locale: str = "") -> list[CatalogRow]:
    """The project's catalogs (of *locale*, if given), most urgent first."""
    titles = article_titles(project)
    refs = pipeline.project_catalogs(project, [locale] if locale else [])
    rows = []
    for ref in refs:
        slug = ref.article or ""
        title = "Interface strings" if slug == pipeline.SITE else titles.get(slug, slug)
        code = ref.locale or ""
        try:
            counts = pipeline.status([ref])[0].counts
            error = ""
        except LocflowError as exc:
            counts, error = StateCounts(), str(exc)
        rows.append(CatalogRow(slug, title, code, display_name(code), ref.label, counts, error,
                               ref))
    rows.sort(key=lambda r: (r.attention, -r.counts.rejected, -r.counts.fuzzy,
                             -r.counts.translated, r.slug == pipeline.SITE, r.title, r.locale))
    return rows


def with_state(rows: Sequence[CatalogRow], state: str) -> list[CatalogRow]:
    """The *rows* with entries in *state* (or that cannot be read); all without one."""
    return [r for r in rows if not state or r.error or r.counts.as_dict().get(state)]


def dashboard(project: Project, *, state: str = "", locale: str = "") -> list[CatalogRow]:
    """The project's catalogs, most urgent first; *state* keeps those with entries in that
    state, *locale* those of that locale."""
    return with_state(catalog_rows(project, locale=locale), state)


@dataclass(frozen=True)
class DerivedRow:
    """A derived locale on the dashboard: what it is converted from, its overrides."""

    locale: str
    locale_name: str
    lang: str
    base_name: str
    convert: str
    overrides: int
    stale: tuple[tuple[CatalogRow, int], ...]  # catalogs with stale overrides, and how many


def derived_rows(project: Project, rows: Sequence[CatalogRow]) -> list[DerivedRow]:
    """The derived locales (``[derived]``), with their overrides counted as ``status``
    counts them; [] when the catalogs cannot be read (the table names the problem)."""
    if not project.config.derived:
        return []
    by_label = {r.label: r for r in rows if r.ref is not None and not r.error}
    try:
        found = pipeline.derived_status(project, [r.ref for r in by_label.values()
                                                  if r.ref is not None])
    except LocflowError:
        return []
    return [DerivedRow(item.locale, display_name(item.locale), bcp47_tag(item.locale),
                       display_name(item.base), item.convert, item.overrides,
                       tuple((by_label[label], n) for label, n in item.stale))
            for item in found]


@dataclass(frozen=True)
class BehindRow:
    """A published translation behind its English article, as the dashboard lists it."""

    row: CatalogRow
    outdated: int  # entries the live page shows from an earlier English version
    updated: dt.date | None  # when the English article last changed
    days: int | None  # since then
    corrections: int  # correction drafts ready to approve in one step

    def live(self, mode: str) -> str:
        """What the published page shows, under ``[build] outdated`` = *mode*."""
        entries = f"{self.outdated} entr{'y' if self.outdated == 1 else 'ies'}"
        if mode == "hold":
            return "nothing: held back until it is approved again"
        if mode == "source":
            return f"the translation, with {entries} in English"
        return f"the translation approved for the earlier English, {entries} marked outdated"


def behind_rows(project: Project, rows: Sequence[CatalogRow], today: dt.date
                ) -> list[BehindRow]:
    """The catalogs among *rows* whose published translation is behind its English
    article, most urgent first: :func:`locflow.pipeline.behind` decides which and in
    what order (as ``status`` and ``check --max-behind``). None when the articles cannot
    be read (the catalogs' table still shows; ``locflow check`` names the problem)."""
    by_label = {r.label: r for r in rows if r.ref is not None and not r.error}
    try:
        late = pipeline.behind(project, [(r.ref, r.locale, r.counts.outdated)
                                         for r in by_label.values() if r.ref is not None], today)
    except LocflowError:
        return []
    return [BehindRow(by_label[item.ref.label], item.outdated, item.updated, item.days,
                      _corrections_in(item.ref.path)) for item in late]


def _corrections_in(path: Path) -> int:
    """How many correction drafts the catalog at *path* holds (0 if it cannot be read)."""
    from ..catalog import pofile

    try:
        catalog = pofile.load(path)
    except LocflowError:
        return 0
    return sum(pipeline.is_correction_draft(e) for e in catalog.active())


def totals(rows: Sequence[CatalogRow]) -> dict[str, int]:
    """Entries per state over *rows*."""
    return {state: sum(getattr(r.counts, state) for r in rows) for state in STATES}


# -- word diff ---------------------------------------------------------------------

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")  # one class per alternative: linear
# Chinese has no spaces: each character a token, Latin words and numbers whole
_CHARACTER = re.compile(r"\s+|[A-Za-z0-9_]+|.", re.S)
_MAX_DIFF_TOKENS = 4000


def word_diff(old: str, new: str, tokens: re.Pattern[str] = _TOKEN
              ) -> list[tuple[str, str]]:
    """``(op, text)`` pieces turning *old* into *new* word by word; op is ``equal``,
    ``delete`` or ``insert``.

    >>> word_diff("voted 7-2 on Tuesday", "voted 8-1 on Wednesday")
    [('equal', 'voted '), ('delete', '7'), ('insert', '8'), ('equal', '-'), \
('delete', '2'), ('insert', '1'), ('equal', ' on '), ('delete', 'Tuesday'), \
('insert', 'Wednesday')]
    """
    a, b = tokens.findall(old), tokens.findall(new)
    if len(a) + len(b) > _MAX_DIFF_TOKENS:  # SequenceMatcher is quadratic; show all as changed
        return [("delete", old), ("insert", new)]
    pieces: list[tuple[str, str]] = []

    def add(op: str, text: str) -> None:
        if not text:
            return
        if pieces and pieces[-1][0] == op:
            pieces[-1] = (op, pieces[-1][1] + text)
        else:
            pieces.append((op, text))

    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("equal", "".join(a[i1:i2]))
        else:
            add("delete", "".join(a[i1:i2]))
            add("insert", "".join(b[j1:j2]))
    return pieces


# -- glossary ----------------------------------------------------------------------

@dataclass(frozen=True)
class Term:
    """One glossary row: ``term`` in the source; ``translation`` its approved rendering
    (``translate``), or a rendering never to use (``forbidden``)."""

    term: str
    translation: str
    kind: str  # translate | do-not-translate | forbidden
    note: str = ""

    @property
    def renderings(self) -> list[str]:
        """The renderings of the term (several are separated by ``|``)."""
        return [r.strip() for r in self.translation.split("|") if r.strip()]

    def hint(self) -> str:
        """What the highlight's tooltip says."""
        renderings = " | ".join(self.renderings)
        if self.kind == "do-not-translate":
            text = "keep as is"
        elif self.kind == "forbidden":
            text = f"never: {renderings}"
        else:
            text = f"→ {renderings}"
        return f"{text} ({self.note})" if self.note else text


def glossary(project: Project, locale: str) -> tuple[list[Term], str, Glossary | None]:
    """The terms of the project's ``glossary/<locale>.csv``, a problem to show (a bad
    row, a link out of the project) and the glossary for the checks. No glossary file:
    no terms, no problem."""
    from ..glossary import load

    try:
        loaded = load(project, locale)
    except LocflowError as exc:
        return [], str(exc), None
    terms = [Term(t.term, t.translation, t.kind, t.note) for t in loaded.terms]
    return terms, "", loaded


@dataclass(frozen=True)
class Piece:
    """A run of text, with the glossary term it is an occurrence of (if any)."""

    text: str
    term: Term | None = None
    role: str = ""  # "source", "expected", "forbidden"


def _spaced(char: str) -> bool:
    """A letter or digit of a script that separates words with spaces (not CJK)."""
    code = ord(char)
    cjk = (0x3040 <= code <= 0x30FF or 0x3400 <= code <= 0x4DBF or 0x4E00 <= code <= 0x9FFF
           or 0xF900 <= code <= 0xFAFF or 0xAC00 <= code <= 0xD7AF or code >= 0x20000)
    return char.isalnum() and not cjk


def _occurrences(text: str, needle: str) -> list[int]:
    """Start offsets of *needle* in *text*, ignoring case, at word boundaries where the
    script has them ("Kim" is not in "Kimberly"; 金正恩 is in 朝鲜领导人金正恩说).

    >>> _occurrences("Kim Jong-un met Kimberly; KIM smiled", "Kim")
    [0, 26]
    """
    if not needle:
        return []
    hay, pin = text.lower(), needle.lower()
    if len(hay) != len(text) or len(pin) != len(needle):  # offsets would drift (İ → i̇)
        hay, pin = text, needle
    found, start = [], hay.find(pin)
    while start >= 0:
        end = start + len(pin)
        clash_before = start > 0 and _spaced(needle[0]) and _spaced(text[start - 1])
        clash_after = end < len(text) and _spaced(needle[-1]) and _spaced(text[end])
        if not (clash_before or clash_after):
            found.append(start)
        start = hay.find(pin, start + 1)
    return found


def highlight(text: str, wanted: Sequence[tuple[str, Term, str]]) -> list[Piece]:
    """*text* split into pieces, marking every occurrence of the needles of *wanted*
    (``(needle, term, role)``), leftmost and then longest first, never overlapping."""
    spans: list[tuple[int, int, Term, str]] = []
    for needle, term, role in wanted:
        spans += [(s, s + len(needle), term, role) for s in _occurrences(text, needle)]
    spans.sort(key=lambda span: (span[0], -(span[1] - span[0])))
    pieces: list[Piece] = []
    at = 0
    for start, end, term, role in spans:
        if start < at:
            continue
        if start > at:
            pieces.append(Piece(text[at:start]))
        pieces.append(Piece(text[start:end], term, role))
        at = end
    if at < len(text):
        pieces.append(Piece(text[at:]))
    return pieces


def source_terms(text: str, terms: Sequence[Term]) -> list[Term]:
    """The glossary terms that occur in a source text."""
    return [t for t in terms if _occurrences(text, t.term)]


def target_needles(found: Sequence[Term]) -> list[tuple[str, Term, str]]:
    """What to mark in the translation of a source holding the terms *found* (several
    renderings of a term are separated by ``|``)."""
    needles = []
    for term in found:
        renderings = term.renderings
        if term.kind == "do-not-translate":
            needles.append((term.term, term, "expected"))
        elif term.kind == "forbidden":
            needles += [(r, term, "forbidden") for r in renderings]
        else:
            needles += [(r, term, "expected") for r in renderings]
    return needles


# -- review page -------------------------------------------------------------------


@dataclass
class EntryView:
    """One entry of the review page."""

    index: int
    anchor: str
    key: Key
    line: int
    kind: str  # what the block is: "title", "paragraph", ... (the #. comment)
    msgid: str
    msgid_plural: str | None
    msgstrs: list[str]
    state: ReviewState
    text_hash: str
    source: list[Piece]
    targets: list[list[Piece]]
    diff: list[tuple[str, str]] | None = None  # fuzzy: the old source → the new one
    findings: list[Finding] = field(default_factory=list)
    provenance: Provenance | None = None
    provenance_current: bool = True  # the draft was made from today's source
    approval: Approval | None = None
    rejection: Rejection | None = None
    comments: list[str] = field(default_factory=list)  # other translator comments
    terms: list[Term] = field(default_factory=list)
    # the text approved for an earlier source: what a living page shows, marked outdated
    previous: PreviousApproval | None = None
    correction: str = ""  # a correction draft: the numbers it changes ("12→13, 4.5→4.7")
    # a correction: the approved text → the corrected draft, word by word
    correction_diff: list[tuple[str, str]] | None = None
    # a derived locale's override: the conversion as it is now → the editor's text
    conversion_diff: list[tuple[str, str]] | None = None

    @property
    def key_json(self) -> str:
        return json.dumps(list(self.key), ensure_ascii=False)

    @property
    def errors(self) -> int:
        return sum(f.severity.value == "error" for f in self.findings)


def entry_key(value: str) -> Key:
    """The ``(msgctxt, msgid)`` a form field holds (JSON ``[msgctxt, msgid]``)."""
    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = None
    if (isinstance(parsed, list) and len(parsed) == 2 and isinstance(parsed[1], str)
            and (parsed[0] is None or isinstance(parsed[0], str))):
        return (parsed[0], parsed[1])
    raise InputError("malformed entry key in the form")


def parse_json_list(value: str) -> list[object]:
    """A JSON list a form field holds."""
    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = None
    if not isinstance(parsed, list):
        raise InputError("malformed list in the form")
    return parsed


def _kind(entry: Entry) -> str:
    comment = str(entry.comment or "")
    if entry.msgctxt and not comment:
        return str(entry.msgctxt)
    return comment.split("\n")[0]


def _msgstrs(entry: Entry) -> list[str]:
    if entry.msgid_plural:
        forms = len(entry.msgstr_plural) or 2
        return [entry.msgstr_plural.get(n, "") for n in range(forms)]
    return [entry.msgstr]


def entry_view(index: int, entry: Entry, findings: Sequence[Finding], terms: Sequence[Term]
               ) -> EntryView:
    from ..derived import CONVERSION_NOTE, CONVERTED_PREFIX
    from ..provenance import PREFIX, source_hash, text_provenance
    from ..review import (
        APPROVED_PREFIX,
        PREVIOUS_PREFIX,
        REJECTED_PREFIX,
        approval,
        entry_state,
        rejection,
    )
    from ..review import text_hash as hash_of

    state = entry_state(entry)
    found = source_terms(entry.msgid, terms)
    draft = text_provenance(entry)  # none once a person changed the drafted text
    others = [line for line in (entry.tcomment or "").split("\n")
              if line.strip() and not line.startswith((PREFIX, APPROVED_PREFIX, REJECTED_PREFIX,
                                                       PREVIOUS_PREFIX, CONVERTED_PREFIX))]
    view = EntryView(
        index=index,
        anchor=f"e{index}",
        key=entry.key,
        line=entry.line,
        kind=_kind(entry),
        msgid=entry.msgid,
        msgid_plural=entry.msgid_plural,
        msgstrs=_msgstrs(entry),
        state=state,
        text_hash=hash_of(entry),
        source=highlight(entry.msgid, [(t.term, t, "source") for t in found]),
        targets=[highlight(text, target_needles(found)) for text in _msgstrs(entry)],
        findings=list(findings),
        provenance=draft,
        provenance_current=draft is None or draft.source_hash == source_hash(
            entry.msgctxt, entry.msgid, entry.msgid_plural),
        approval=approval(entry) if state is ReviewState.APPROVED else None,
        rejection=rejection(entry) if state is ReviewState.REJECTED else None,
        comments=others,
        terms=found,
    )
    if state in (ReviewState.FUZZY, ReviewState.REJECTED) and entry.previous_msgid is not None \
            and entry.previous_msgid != entry.msgid:
        view.diff = word_diff(entry.previous_msgid, entry.msgid)
    if state is not ReviewState.APPROVED:
        _living(view, entry, draft)
    converted = [line[len(CONVERSION_NOTE):].strip() for line in (entry.comment or "").split("\n")
                 if line.startswith(CONVERSION_NOTE)]
    if converted and not entry.msgid_plural:
        view.conversion_diff = word_diff(converted[0], entry.msgstr, _CHARACTER)
    return view


def _living(view: EntryView, entry: Entry, draft: Provenance | None) -> None:
    """What *view* shows of a living article: the text approved for an earlier source
    (the published page shows it, marked outdated), the English change, and a
    correction draft as the approved text corrected, word by word."""
    from ..review import previous_approval

    view.previous = previous_approval(entry)
    if view.previous is None:
        return
    if view.diff is None and view.previous.msgid != entry.msgid:
        view.diff = word_diff(view.previous.msgid, entry.msgid)
    if draft is not None and pipeline.is_correction_draft(entry):
        view.correction = draft.origin.replace("+", ", ")
        view.correction_diff = word_diff(view.previous.msgstr, entry.msgstr)


@dataclass
class ReviewPage:
    """A catalog as the review page shows it."""

    ref: pipeline.CatalogRef
    title: str
    locale_name: str
    entries: list[EntryView]
    counts: StateCounts
    glossary_terms: int
    glossary_problem: str
    lang: str  # BCP 47 tag of the translation
    source_lang: str
    source_name: str
    outdated_mode: str = "previous"  # [build] outdated: what a page behind its English shows

    @property
    def translated(self) -> list[EntryView]:
        """Entries awaiting review (what "approve all" approves)."""
        return [e for e in self.entries if e.state is ReviewState.TRANSLATED]

    @property
    def corrections(self) -> list[EntryView]:
        """Correction drafts (what "approve all corrections" approves)."""
        return [e for e in self.entries if e.correction]

    @staticmethod
    def _seen_json(entries: Sequence[EntryView]) -> str:
        return json.dumps([[*e.key, e.text_hash] for e in entries], ensure_ascii=False)

    @property
    def approve_all_json(self) -> str:
        return self._seen_json(self.translated)

    @property
    def corrections_json(self) -> str:
        return self._seen_json(self.corrections)


def find_catalog(project: Project, locale: str, slug: str) -> pipeline.CatalogRef | None:
    """The catalog of *slug* (or ``site``) in a configured *locale*, if it exists inside
    the project; None for anything else (unknown names, paths, symlinks out)."""
    derived = [d.locale for d in project.config.derived]
    if locale not in project.config.target_locales and locale not in derived:
        return None
    try:
        refs = [ref for ref in pipeline.project_catalogs(project, [locale], [slug])
                if ref.article == slug]
    except PathError:  # a link out of the project (or of locales/)
        return None
    if len(refs) != 1:
        return None
    real = refs[0].path.resolve()
    if not real.is_file() or not real.is_relative_to(project.root.resolve()):
        return None
    return refs[0]


def findings_by_key(catalog: Catalog, ref: pipeline.CatalogRef,
                    glossary: Glossary | None = None) -> dict[Key, list[Finding]]:
    """Content-check findings of each entry (state findings are the state badge's job),
    the ``glossary`` check's included when there is a glossary."""
    from ..checks import CHECKS, check_catalog
    from ..review import entry_state

    out: dict[Key, list[Finding]] = {}
    extra = {"glossary": glossary} if glossary is not None else {}
    for finding in check_catalog(catalog, ref.label, ref.locale, ref.article,
                                  state_of=entry_state, extra=extra):
        check = CHECKS.get(finding.check)
        if check is not None and check.is_state:
            continue
        out.setdefault((finding.msgctxt, finding.msgid), []).append(finding)
    return out


def review_page(project: Project, ref: pipeline.CatalogRef) -> ReviewPage:
    """Everything the review page shows of catalog *ref*."""
    from ..catalog import pofile
    from ..review import count_states

    catalog = pofile.load(ref.path)
    locale = ref.locale or catalog.language or ""
    terms, problem, loaded = glossary(project, locale) if locale else ([], "", None)
    findings = findings_by_key(catalog, ref, loaded)
    entries = [entry_view(i, entry, findings.get(entry.key, ()), terms)
               for i, entry in enumerate(e for e in catalog.active() if e.msgid)]
    slug = ref.article or ""
    title = ("Interface strings" if slug == pipeline.SITE
             else article_titles(project).get(slug, slug))
    source = project.config.source_locale
    return ReviewPage(ref, title, display_name(locale), entries, count_states(catalog.entries),
                      len(terms), problem, bcp47_tag(locale) if locale else "",
                      bcp47_tag(source), display_name(source), project.config.outdated)


def conflict_diffs(action: str, yours: Sequence[str], now: EntryView
                   ) -> list[list[tuple[str, str]]]:
    """What differs, word by word, between the editor's version of an entry and the
    file's (one diff a form): an edit against the file (``delete``: only in the file,
    ``insert``: only in the edit); a decision's text as seen against the file now
    (``delete``: only in what was seen, ``insert``: what changed meanwhile)."""
    if action == "edit":
        return [word_diff(theirs, mine) for mine, theirs in zip(yours, now.msgstrs,
                                                                 strict=False)]
    return [word_diff(seen, theirs) for seen, theirs in zip(yours, now.msgstrs, strict=False)]


def current_entry(path: Path, key: Key) -> EntryView | None:
    """The entry *key* as the file holds it now (for a conflict), or None if it is gone."""
    from ..catalog import pofile

    try:
        catalog = pofile.load(path)
    except LocflowError:
        return None
    entry = catalog.index().get(key)
    return entry_view(0, entry, (), ()) if entry is not None else None
