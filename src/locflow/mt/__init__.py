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
from typing import Protocol

from ..errors import ServiceError
from .engines import ENGINES, EngineSpec

__all__ = ["ENGINES", "EngineOptions", "EngineSpec", "TransientError", "Translator"]


class TransientError(ServiceError):
    """A failure worth retrying: rate limit (429), server error (5xx), timeout, connection."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


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
    timeout: float = 30.0  # seconds per request (connect, then each read)
    codes: dict[str, str] = field(default_factory=dict)  # locale -> engine code overrides
    max_chars: int | None = None  # None: the engine's own limit
    region: str | None = None  # Microsoft
    free_api: bool = True  # DeepL's free endpoint
