"""The ``translate`` stage: machine translation drafts for untranslated entries,
written into their catalogs as they arrive.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..catalog import pofile
from ..config import Project
from ..errors import (
    CatalogError,
    LocflowError,
    ServiceError,
)
from ..glossary import Glossary
from ..locales import validate_locale
from ..model import ReviewState
from ..review import (
    entry_state,
    today,
)
from .catalogs import CatalogRef

if TYPE_CHECKING:
    from ..mt import EngineOptions, Translator
    from ..mt.cache import MTCache
    from ..mt.mask import Masked
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
    skipped: int = 0  # entries that changed meanwhile, plural entries
    catalogs_written: list[str] = field(default_factory=list)


@dataclass
class _Job:
    """One untranslated entry on its way to a draft."""

    ref: CatalogRef
    language: str
    key: tuple[str | None, str]
    masked: Masked
    pieces: list[tuple[str, str]]  # (translator cache key, masked text piece)
    remaining: int = 0


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
    asked first. Language pairs are checked (:class:`ConfigError`, exit 2) before
    any request.

    Drafts are written as they arrive, every *flush_every* entries per catalog,
    each write locked and atomic, and an entry a human filled in meanwhile is left
    alone. If the engine fails for good or the user presses Ctrl-C, the drafts
    made so far are written and :class:`ServiceError` (exit 3) says so.
    *progress* is called with (entries done, entries to do).
    """
    from ..glossary import load as load_glossary_for
    from ..mt.cache import MTCache
    from ..mt.mask import mask, restore
    from ..mt.run import RetryPolicy, translate_all
    from ..mt.split import join, split
    from ..provenance import Provenance, set_provenance, source_hash

    source_locale = project.config.source_locale
    translators: dict[str, Translator] = {}
    glossaries: dict[str, Glossary] = {}
    jobs: list[_Job] = []
    skipped = 0
    for ref in refs:
        catalog = pofile.load(ref.path)
        found = ref.locale or catalog.language
        if not found:
            raise CatalogError("no Language header: cannot tell the target language",
                               path=ref.label)
        locale = validate_locale(found)
        if locale not in translators:
            translators[locale] = factory(options, source_locale, locale)
            glossaries[locale] = load_glossary_for(project, locale)
        translator, glossary = translators[locale], glossaries[locale]
        keep, render = glossary.keep(), glossary.render()
        for entry in catalog.active():
            if entry_state(entry) is not ReviewState.UNTRANSLATED or not entry.msgid:
                continue
            if entry.msgid_plural:
                skipped += 1  # plural forms need a human: one engine text per form is wrong
                continue
            if limit is not None and len(jobs) >= limit:
                break
            masked = mask(entry.msgid, keep=keep, render=render, flags=entry.flags)
            pieces = [(translator.cache_key, p)
                      for p in split(masked.text, translator.max_chars, source_locale)]
            jobs.append(_Job(ref, locale.split("_")[0], entry.key, masked, pieces))

    result = TranslateResult(options.provider, entries=len(jobs), skipped=skipped)
    answers: dict[tuple[str, str], str] = {}
    unique = list(dict.fromkeys(piece for job in jobs for piece in job.pieces))
    result.pieces = len(unique)
    own_cache = cache is None
    if cache is None:
        if dry_run and not project.mt_cache_path.exists():
            cache = MTCache(":memory:")
        else:
            cache = MTCache(project.mt_cache_path)
    try:
        by_engine: dict[str, list[str]] = {}
        for engine_key, text in unique:
            by_engine.setdefault(engine_key, []).append(text)
        for engine_key, texts in by_engine.items():
            for text, answer in cache.get_many(engine_key, texts).items():
                answers[(engine_key, text)] = answer
        missing = [piece for piece in unique if piece not in answers]
        result.cached = len(unique) - len(missing)
        result.requests = len(missing)
        result.characters = sum(len(text) for _, text in missing)
        if dry_run:
            return result
        # before any request: a read-only catalog refuses the run, and a killed run's
        # temporaries go
        for path in sorted({job.ref.path for job in jobs}):
            pofile.check_writable(path)
            pofile.remove_stale_temporaries(path.parent, names={path.name})

        translator_of = {t.cache_key: t for t in translators.values()}
        waiting: dict[tuple[str, str], list[_Job]] = {}
        for job in jobs:
            job.remaining = sum(1 for piece in job.pieces if piece not in answers)
            for piece in job.pieces:
                if piece not in answers:
                    waiting.setdefault(piece, []).append(job)
        open_jobs: dict[Path, int] = {}
        for job in jobs:
            open_jobs[job.ref.path] = open_jobs.get(job.ref.path, 0) + 1
        ready: dict[Path, list[tuple[_Job, str, bool]]] = {}
        refs_by_path = {job.ref.path: job.ref for job in jobs}
        date = today()
        done = 0

        def flush(path: Path) -> None:
            drafts = ready.pop(path, [])
            if not drafts:
                return
            written = 0
            with pofile.edit(path) as catalog:
                index = catalog.index()
                for job, text, intact in drafts:
                    entry = index.get(job.key)
                    if (entry is None or entry.obsolete or entry.msgid_plural
                            or entry_state(entry) is not ReviewState.UNTRANSLATED):
                        result.skipped += 1  # a human got there first
                        continue
                    entry.msgstr = text
                    if "fuzzy" not in entry.flags:
                        entry.flags.insert(0, "fuzzy")
                    notes = () if intact else ("structure-changed",)
                    set_provenance(entry, Provenance(
                        "mt", options.provider, date,
                        source_hash(entry.msgctxt, entry.msgid, entry.msgid_plural), notes=notes,
                    ))
                    written += 1
                    result.structure_changed += not intact
            result.drafted += written
            label = refs_by_path[path].label
            if written and label not in result.catalogs_written:
                result.catalogs_written.append(label)
            cache.commit()

        def finished(job: _Job) -> None:
            nonlocal done
            restored = restore(job.masked, join([answers[p] for p in job.pieces], job.language))
            path = job.ref.path
            ready.setdefault(path, []).append((job, restored.text, restored.intact))
            open_jobs[path] -= 1
            done += 1
            if progress is not None:
                progress(done, len(jobs))
            if open_jobs[path] == 0 or len(ready[path]) >= flush_every:
                flush(path)

        for job in jobs:
            if job.remaining == 0:
                finished(job)

        def on_answer(index: int, answer: str) -> None:
            piece = missing[index]
            answers[piece] = answer
            cache.put(piece[0], piece[1], answer)
            for job in waiting.pop(piece, []):
                job.remaining -= 1
                if job.remaining == 0:
                    finished(job)

        try:
            translate_all(
                [(translator_of[key], text) for key, text in missing],
                on_answer,
                concurrency=concurrency,
                policy=policy or RetryPolicy(),
            )
        except (LocflowError, KeyboardInterrupt) as exc:
            for path in list(ready):
                flush(path)
            left = result.entries - result.drafted
            saved = (f"{result.drafted} draft{'s' * (result.drafted != 1)} saved, "
                     f"{left} entr{'ies' if left != 1 else 'y'} left untranslated")
            if isinstance(exc, KeyboardInterrupt):
                raise ServiceError(f"{options.provider}: interrupted; {saved}") from None
            exc.message = f"{exc.message}; {saved}"
            raise
        finally:
            # answers arrive in any order; report catalogs in the order they were asked for
            order = {ref.label: i for i, ref in enumerate(refs)}
            result.catalogs_written.sort(key=order.__getitem__)
        return result
    finally:
        if own_cache:
            cache.close()
