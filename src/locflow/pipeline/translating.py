"""The ``translate`` stage: machine translation drafts for untranslated entries,
written into their catalogs as they arrive.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..catalog import pofile
from ..catalog.pofile import Key
from ..config import Project
from ..errors import CatalogError, LocflowError, ServiceError
from ..glossary import Glossary
from ..locales import validate_locale
from ..model import ReviewState
from ..review import entry_state, today
from .catalogs import CatalogRef

if TYPE_CHECKING:
    from ..mt import EngineOptions, Translator
    from ..mt.cache import MTCache
    from ..mt.drafts import DraftBatch
    from ..mt.run import RetryPolicy


@dataclass
class TranslateResult:
    """What ``translate`` did (or, with ``dry_run``, would do)."""

    engine: str
    entries: int = 0  # untranslated entries chosen for a draft
    drafted: int = 0  # drafts written into catalogs
    pieces: int = 0  # texts the entries were masked and split into (deduplicated)
    cached: int = 0  # of those, answered by the MT cache
    requests: int = 0  # of those, sent to the engine (or to be sent)
    characters: int = 0  # characters sent (or to be sent)
    structure_changed: int = 0  # drafts whose links/code/tags did not come back intact
    refused: int = 0  # entries left untranslated: the engine's answer was absurdly long
    refusal: str = ""  # the first such refusal, one line
    skipped: int = 0  # entries that changed meanwhile, plural entries
    catalogs_written: list[str] = field(default_factory=list)


TranslatorFactory = Callable[["EngineOptions", str, str], "Translator"]


def _deep_translator(options: EngineOptions, source: str, target: str) -> Translator:
    from ..mt.deep import DeepTranslator

    return DeepTranslator(options, source, target)


def translate(
    project: Project,
    refs: Sequence[CatalogRef],
    options: EngineOptions,
    *,
    limit: int | None = None,
    dry_run: bool = False,
    concurrency: int = 4,
    policy: RetryPolicy | None = None,
    cache: MTCache | None = None,
    progress: Callable[[int, int], None] | None = None,
    factory: TranslatorFactory = _deep_translator,
    flush_every: int = 20,
) -> TranslateResult:
    """Draft every untranslated entry of *refs* with a machine translation engine.

    Only ``untranslated`` entries are touched: each gets the engine's text as
    ``#, fuzzy`` with a ``# locflow-draft: mt ENGINE DATE (srchash)`` comment
    (``; structure-changed`` when a link, code span or tag did not come back).
    What must not be translated is masked first (:mod:`locflow.mt.mask`, with the
    locale's glossary); long texts are split at sentence ends; every answer is
    kept in the MT *cache* (default ``.locflow/mt-cache.sqlite3``), which is
    asked first (:mod:`locflow.mt.drafts`). Language pairs are checked
    (:class:`ConfigError`, exit 2) before any request.

    Drafts are written as they arrive, every *flush_every* entries per catalog,
    each write locked and atomic, and an entry a human filled in meanwhile is left
    alone. If the engine fails for good or the user presses Ctrl-C, the drafts
    made so far are written and :class:`ServiceError` (exit 3) says so. An answer
    far longer than its source (:func:`locflow.mt.longest_answer`) is refused: that
    entry stays untranslated, counted in ``refused``, and the run goes on.
    *progress* is called with (entries done, entries to do).
    """
    from ..mt.cache import MTCache
    from ..mt.drafts import DraftBatch

    own_cache = cache is None
    if cache is None:
        if dry_run and not project.mt_cache_path.exists():
            cache = MTCache(":memory:")
        else:
            cache = MTCache(project.mt_cache_path)
    try:
        batch: DraftBatch[tuple[CatalogRef, Key]] = DraftBatch(
            cache, project.config.source_locale)
        skipped = _add_untranslated(project, refs, options, factory, batch, limit)
        batch.plan()
        requests = batch.requests
        result = TranslateResult(options.provider, entries=len(batch), skipped=skipped,
                                 pieces=batch.pieces, cached=batch.cached,
                                 requests=len(requests),
                                 characters=sum(len(text) for _, text in requests))
        if not dry_run:
            _draft(batch, refs, options.provider, result, concurrency=concurrency,
                   policy=policy, progress=progress, flush_every=flush_every)
        return result
    finally:
        if own_cache:
            cache.close()


def _add_untranslated(project: Project, refs: Sequence[CatalogRef], options: EngineOptions,
                      factory: TranslatorFactory, batch: DraftBatch[tuple[CatalogRef, Key]],
                      limit: int | None) -> int:
    """Add each untranslated entry of *refs* to *batch* (up to *limit*); returns how many
    were skipped (plural entries: one engine text per form is wrong, they need a human)."""
    from ..glossary import load as load_glossary

    source_locale = project.config.source_locale
    translators: dict[str, tuple[Translator, Glossary]] = {}
    skipped = 0
    for ref in refs:
        catalog = pofile.load(ref.path)
        found = ref.locale or catalog.language
        if not found:
            raise CatalogError("no Language header: cannot tell the target language",
                               path=ref.label)
        locale = validate_locale(found)
        if locale not in translators:
            translators[locale] = (factory(options, source_locale, locale),
                                   load_glossary(project, locale))
        translator, glossary = translators[locale]
        keep, render = glossary.keep(), glossary.render()
        for entry in catalog.active():
            if entry_state(entry) is not ReviewState.UNTRANSLATED or not entry.msgid:
                continue
            if entry.msgid_plural:
                skipped += 1
                continue
            if limit is not None and len(batch) >= limit:
                break
            batch.add((ref, entry.key), entry.msgid, translator, locale.split("_")[0],
                      keep=keep, render=render, flags=entry.flags)
    return skipped


def _draft(batch: DraftBatch[tuple[CatalogRef, Key]], refs: Sequence[CatalogRef],
           engine: str, result: TranslateResult, *, concurrency: int,
           policy: RetryPolicy | None, progress: Callable[[int, int], None] | None,
           flush_every: int) -> None:
    """Run *batch*, writing drafts into their catalogs a few at a time as they arrive."""
    tickets = batch.tickets()
    # before any request: a read-only catalog refuses the run, and a killed run's
    # temporaries go
    for path in sorted({ref.path for ref, _ in tickets}):
        pofile.check_writable(path)
        pofile.remove_stale_temporaries(path.parent, names={path.name})
    drafts = _Drafts(engine, result, batch.cache)
    open_jobs: dict[Path, int] = {}
    for ref, _ in tickets:
        open_jobs[ref.path] = open_jobs.get(ref.path, 0) + 1
    done = 0

    def finished(ref: CatalogRef, waiting: int) -> None:
        nonlocal done
        open_jobs[ref.path] -= 1
        done += 1
        if progress is not None:
            progress(done, len(tickets))
        if open_jobs[ref.path] == 0 or waiting >= flush_every:
            drafts.flush(ref.path)

    def on_draft(ticket: tuple[CatalogRef, Key], text: str, intact: bool) -> None:
        ref, key = ticket
        finished(ref, drafts.ready(ref, key, text, intact))

    def on_refused(ticket: tuple[CatalogRef, Key], error: ServiceError) -> None:
        result.refused += 1
        result.refusal = result.refusal or error.message
        finished(ticket[0], 0)

    try:
        batch.run(on_draft, concurrency=concurrency, policy=policy, on_refused=on_refused)
    except (LocflowError, KeyboardInterrupt) as exc:
        drafts.flush_all()
        left = result.entries - result.drafted
        saved = (f"{result.drafted} draft{'s' * (result.drafted != 1)} saved, "
                 f"{left} entr{'ies' if left != 1 else 'y'} left untranslated")
        if isinstance(exc, KeyboardInterrupt):
            raise ServiceError(f"{engine}: interrupted; {saved}") from None
        exc.message = f"{exc.message}; {saved}"
        raise
    finally:
        # answers arrive in any order; report catalogs in the order they were asked for
        order = {ref.label: i for i, ref in enumerate(refs)}
        result.catalogs_written.sort(key=order.__getitem__)


class _Drafts:
    """Drafts waiting to be written, by catalog; each flush is one locked, atomic write."""

    def __init__(self, engine: str, result: TranslateResult, cache: MTCache) -> None:
        self.engine = engine
        self.result = result
        self.cache = cache
        self.date = today()
        self.waiting: dict[Path, list[tuple[Key, str, bool]]] = {}
        self.labels: dict[Path, str] = {}

    def ready(self, ref: CatalogRef, key: Key, text: str, intact: bool) -> int:
        """Keep a draft for its catalog; returns how many wait for it now."""
        self.labels[ref.path] = ref.label
        waiting = self.waiting.setdefault(ref.path, [])
        waiting.append((key, text, intact))
        return len(waiting)

    def flush_all(self) -> None:
        for path in list(self.waiting):
            self.flush(path)

    def flush(self, path: Path) -> None:
        from ..provenance import Provenance, draft_hash, set_provenance, source_hash

        drafts = self.waiting.pop(path, [])
        if not drafts:
            return
        result = self.result
        written = 0
        with pofile.edit(path) as catalog:
            index = catalog.index()
            for key, text, intact in drafts:
                entry = index.get(key)
                if (entry is None or entry.obsolete or entry.msgid_plural
                        or entry_state(entry) is not ReviewState.UNTRANSLATED):
                    result.skipped += 1  # a human got there first
                    continue
                entry.msgstr = text
                if "fuzzy" not in entry.flags:
                    entry.flags.insert(0, "fuzzy")
                notes = (() if intact else ("structure-changed",)) + (f"draft {draft_hash(text)}",)
                set_provenance(entry, Provenance(
                    "mt", self.engine, self.date,
                    source_hash(entry.msgctxt, entry.msgid, entry.msgid_plural), notes=notes,
                ))
                written += 1
                result.structure_changed += not intact
        result.drafted += written
        label = self.labels[path]
        if written and label not in result.catalogs_written:
            result.catalogs_written.append(label)
        self.cache.commit()
