"""Machine translation: drafts for translators, never final text.

A :class:`Translator` turns one text into another for a fixed language pair
and raises only :class:`~locflow.errors.ServiceError` (:class:`TransientError`
for what may succeed when tried again: 429, 5xx, timeouts, refused
connections). :mod:`locflow.mt.deep` adapts deep-translator's engines to it;
:mod:`locflow.mt.run` adds what deep-translator lacks (retries with backoff,
a bounded pool); :mod:`locflow.mt.cache` remembers every answer;
:mod:`locflow.mt.mask` keeps URLs, code, tags and glossary terms away from the
engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

from ..errors import ServiceError
from .engines import ENGINES, EngineSpec

__all__ = ["ENGINES", "AnswerRefused", "EngineOptions", "EngineSpec", "TransientError",
           "Translator", "UrlOrigin", "longest_answer"]

#: Where an engine's URL came from: the command line or the environment (the person or
#: the CI job running locflow), or the repository (locflow.toml: whoever wrote the branch).
UrlOrigin = Literal["cli", "env", "repository"]


class TransientError(ServiceError):
    """A failure worth retrying: rate limit (429), server error (5xx), timeout, connection."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class AnswerRefused(ServiceError):
    """An answer locflow will not use (far longer than its source): that text gets no
    draft and the run goes on; nothing of the answer is kept."""


def longest_answer(length: int) -> int:
    """The longest answer (characters) accepted for a text of *length* characters.

    Twenty times the source, and at least 1,000: English to Spanish grows a text by
    about a third, Chinese to Spanish about four times (a character is a word), a
    two-word label may come back as a sentence; ten megabytes for a paragraph is an
    engine gone wrong (or a hostile server), not a translation. (10 characters: 1,000;
    2,000 characters, libre's longest request: 40,000.)
    """
    return max(1000, 20 * length)


class Translator(Protocol):
    """One engine for one language pair."""

    @property
    def name(self) -> str:
        """The engine's name, as provenance comments and errors show it."""
        ...

    @property
    def cache_key(self) -> str:
        """What the MT cache keys answers by: engine, server and language pair."""
        ...

    @property
    def max_chars(self) -> int:
        """The longest text one request may carry."""
        ...

    def translate(self, text: str) -> str:
        """The engine's translation of *text*; raises :class:`ServiceError` only."""
        ...


@dataclass(frozen=True)
class EngineOptions:
    """How to reach an engine: from ``[mt]`` in locflow.toml and the command line."""

    provider: str
    url: str | None = None
    # Who chose *url* (:mod:`locflow.mt.endpoint` decides from it whether keys go there).
    # Unknown is untrusted: a URL gets the environment's keys only from "cli" or "env".
    url_origin: UrlOrigin = "repository"
    timeout: float = 30.0  # seconds for a whole request: connecting, sending, the answer
    codes: dict[str, str] = field(default_factory=dict)  # locale -> engine code overrides
    max_chars: int | None = None  # None: the engine's own limit
    region: str | None = None  # Microsoft
    free_api: bool = True  # DeepL's free endpoint
