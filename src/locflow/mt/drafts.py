"""Drafts for many texts at once: masked, split, deduplicated, asked of the cache first,
the rest sent to the engines, and each text's draft handed back once all its pieces
have answers.

The caller owns the texts' files: it adds each text with a *ticket* (anything that tells
it where the draft goes) and receives ``(ticket, draft, intact)`` through ``on_draft``,
in the calling thread, as drafts complete. Every answer is put in the MT cache as it
arrives, so an interrupted run asks nothing twice.

An answer longer than :func:`~locflow.mt.longest_answer` allows for its piece (or one
the engine adapter refused while reading it) is no answer: it is neither cached nor
used, the texts waiting for it go to ``on_refused`` (once each) and get no draft, and
the run goes on. A cached answer over the bound is asked again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from ..errors import ServiceError
from . import AnswerRefused, Translator, longest_answer
from .cache import MTCache
from .mask import Masked, mask, restore
from .run import RetryPolicy, translate_all
from .split import join, split

Ticket = TypeVar("Ticket")
Piece = tuple[str, str]  # (translator cache key, masked text piece)


@dataclass
class _Job(Generic[Ticket]):
    """One text on its way to a draft."""

    ticket: Ticket
    language: str  # the target language's ISO code (how pieces are joined)
    masked: Masked
    pieces: list[Piece]
    remaining: int = 0  # pieces still waiting for an answer
    refused: bool = False  # a piece's answer was refused: no draft


class DraftBatch(Generic[Ticket]):
    """Texts to draft, planned before any request (:meth:`add`, then :meth:`plan`)."""

    def __init__(self, cache: MTCache, source_locale: str) -> None:
        self.cache = cache
        self.source_locale = source_locale
        self._jobs: list[_Job[Ticket]] = []
        self._translators: dict[str, Translator] = {}
        self._answers: dict[Piece, str] = {}
        self._missing: list[Piece] = []

    def add(self, ticket: Ticket, text: str, translator: Translator, language: str, *,
            keep: Sequence[str] = (), render: dict[str, str] | None = None,
            flags: Sequence[str] = ()) -> None:
        """Draft *text* with *translator* (into *language*, an ISO code), keeping *keep*
        terms and giving *render* terms their glossary rendering (see :func:`mask`)."""
        self._translators[translator.cache_key] = translator
        masked = mask(text, keep=keep, render=render, flags=flags)
        pieces = [(translator.cache_key, piece)
                  for piece in split(masked.text, translator.max_chars, self.source_locale)]
        self._jobs.append(_Job(ticket, language, masked, pieces))

    def __len__(self) -> int:
        return len(self._jobs)

    def tickets(self) -> list[Ticket]:
        """Every text's ticket, in the order added."""
        return [job.ticket for job in self._jobs]

    @property
    def pieces(self) -> int:
        """Distinct texts the engines are asked (or the cache answers)."""
        return len(self._answers) + len(self._missing)

    @property
    def cached(self) -> int:
        return len(self._answers)

    @property
    def requests(self) -> list[Piece]:
        """What is left for the engines after :meth:`plan`."""
        return list(self._missing)

    def plan(self) -> None:
        """Ask the cache for every distinct piece: what it lacks becomes a request."""
        unique = list(dict.fromkeys(piece for job in self._jobs for piece in job.pieces))
        by_engine: dict[str, list[str]] = {}
        for engine_key, text in unique:
            by_engine.setdefault(engine_key, []).append(text)
        for engine_key, texts in by_engine.items():
            for text, answer in self.cache.get_many(engine_key, texts).items():
                if _acceptable(text, answer):
                    self._answers[(engine_key, text)] = answer
        self._missing = [piece for piece in unique if piece not in self._answers]

    def run(self, on_draft: Callable[[Ticket, str, bool], None], *, concurrency: int = 4,
            policy: RetryPolicy | None = None,
            on_refused: Callable[[Ticket, ServiceError], None] | None = None) -> None:
        """Hand every draft to *on_draft* (ticket, text, intact): those the cache answered
        first, in the order added, then the others as their last piece's answer arrives.
        A text whose piece got a refused answer goes to *on_refused* (ticket, error)
        instead, once; without *on_refused*, the error stops the run.

        Raises what :func:`translate_all` raises (the engine failing for good, Ctrl-C);
        drafts handed over before that stay handed over.
        """
        answers, missing = self._answers, self._missing
        waiting: dict[Piece, list[_Job[Ticket]]] = {}
        for job in self._jobs:
            job.remaining = sum(1 for piece in job.pieces if piece not in answers)
            for piece in job.pieces:
                if piece not in answers:
                    waiting.setdefault(piece, []).append(job)

        def finished(job: _Job[Ticket]) -> None:
            restored = restore(job.masked, join([answers[p] for p in job.pieces], job.language))
            on_draft(job.ticket, restored.text, restored.intact)

        for job in self._jobs:
            if job.remaining == 0:
                finished(job)

        def refused(index: int, error: ServiceError) -> None:
            if on_refused is None:
                raise error
            for job in waiting.pop(missing[index], []):
                if not job.refused:
                    job.refused = True
                    on_refused(job.ticket, error)

        def on_answer(index: int, answer: str) -> None:
            piece = missing[index]
            if not _acceptable(piece[1], answer):
                engine = self._translators[piece[0]].name
                limit = longest_answer(len(piece[1]))
                return refused(index, AnswerRefused(
                    f"{engine}: an answer of {len(answer):,} characters for "
                    f"{len(piece[1]):,} sent (more than {limit:,}: refused)"))
            answers[piece] = answer
            self.cache.put(piece[0], piece[1], answer)
            for job in waiting.pop(piece, []):
                job.remaining -= 1
                if job.remaining == 0 and not job.refused:
                    finished(job)
            return None

        translate_all([(self._translators[key], text) for key, text in missing], on_answer,
                      concurrency=concurrency, policy=policy or RetryPolicy(),
                      on_refused=refused)


def _acceptable(sent: str, answer: str) -> bool:
    """False for an answer far longer than what was sent (:func:`longest_answer`)."""
    return len(answer) <= longest_answer(len(sent))
