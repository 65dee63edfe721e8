"""Send texts to an engine the way a careful client does: retries, backoff, a bounded pool.

* A :class:`~locflow.mt.TransientError` (429, 5xx, timeout, refused connection)
  is retried up to ``retries`` times, waiting ``backoff * 2**attempt`` seconds
  (capped at ``max_backoff``) with full jitter, or what the server's
  ``Retry-After`` asks, if that is longer. A 429 holds back *every* worker
  until the time the server named, so a pool does not hammer a server that
  asked it to slow down.
* Requests go through a pool of ``concurrency`` threads. Answers come back to
  the calling thread, in completion order, through ``on_answer``: the caller
  owns every side effect (cache, catalogs), so nothing here needs a lock but
  the throttle.
* The first failure that retries cannot cure stops the pool: queued texts are
  cancelled, workers in a backoff wake up and give up, and the error reaches
  the caller, which saves what it has. So does Ctrl-C. An
  :class:`~locflow.mt.AnswerRefused` (an absurd answer) fails only its own text,
  through ``on_refused``; the others go on.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

from ..errors import ServiceError
from . import AnswerRefused, TransientError, Translator


@dataclass(frozen=True)
class RetryPolicy:
    retries: int = 4  # attempts after the first
    backoff: float = 1.0  # seconds before the first retry (doubling each time)
    max_backoff: float = 60.0
    max_retry_after: float = 300.0  # a server asking for a longer wait is a failure


class _Stopped(Exception):
    """The run is over (another worker failed, or Ctrl-C): give up quietly."""


class Throttle:
    """A time before which no worker sends a request (set by 429 answers)."""

    def __init__(self, stop: threading.Event, clock: Callable[[], float] = time.monotonic
                 ) -> None:
        self._lock = threading.Lock()
        self._not_before = 0.0
        self._stop = stop
        self._clock = clock

    def hold(self, seconds: float) -> None:
        with self._lock:
            self._not_before = max(self._not_before, self._clock() + seconds)

    def wait(self) -> None:
        while True:
            with self._lock:
                delay = self._not_before - self._clock()
            if delay <= 0:
                return
            if self._stop.wait(delay):
                raise _Stopped


def with_retries(
    translator: Translator,
    text: str,
    policy: RetryPolicy,
    throttle: Throttle,
    stop: threading.Event,
    rng: Callable[[], float] = random.random,
) -> str:
    """*translator*'s answer for *text*, retrying transient failures per *policy*."""
    attempt = 0
    while True:
        if stop.is_set():
            raise _Stopped
        throttle.wait()
        try:
            return translator.translate(text)
        except TransientError as exc:
            if attempt >= policy.retries:
                tries = attempt + 1
                raise ServiceError(
                    f"{exc.message} (gave up after {tries} attempt{'s' * (tries != 1)})"
                ) from None
            delay = rng() * min(policy.max_backoff, policy.backoff * 2**attempt)
            if exc.retry_after is not None:
                if exc.retry_after > policy.max_retry_after:
                    raise ServiceError(
                        f"{exc.message}; the server asks to wait {exc.retry_after:.0f} s"
                    ) from None
                throttle.hold(exc.retry_after)
                delay = max(delay, exc.retry_after)
            attempt += 1
            if stop.wait(delay):
                raise _Stopped from None


def translate_all(
    work: Sequence[tuple[Translator, str]],
    on_answer: Callable[[int, str], None],
    *,
    concurrency: int = 4,
    policy: RetryPolicy | None = None,
    on_refused: Callable[[int, ServiceError], None] | None = None,
) -> None:
    """Translate every ``(translator, text)`` of *work*; call ``on_answer(index,
    translation)`` for each, in the calling thread, as answers arrive, or
    ``on_refused(index, error)`` for a text whose answer was refused
    (:class:`~locflow.mt.AnswerRefused`; without *on_refused* that error stops the run).

    Raises the first :class:`ServiceError` retries could not cure (or
    ``KeyboardInterrupt``) after stopping the pool; answers already handed to
    *on_answer* stay handed.
    """
    if not work:
        return
    policy = policy or RetryPolicy()
    stop = threading.Event()
    throttle = Throttle(stop)
    pool = ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="locflow-mt")
    pending: dict[Future[str], int] = {}
    try:
        for index, (translator, text) in enumerate(work):
            future = pool.submit(with_retries, translator, text, policy, throttle, stop)
            pending[future] = index
        while pending:
            # a timeout, so Ctrl-C is seen promptly whatever the platform
            done, _ = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
            for future in done:
                index = pending.pop(future)
                try:
                    answer = future.result()
                except AnswerRefused as exc:
                    if on_refused is None:
                        raise
                    on_refused(index, exc)
                    continue
                on_answer(index, answer)
    finally:
        stop.set()
        # Workers in a request finish it (bounded by the timeout); none starts another.
        pool.shutdown(wait=False, cancel_futures=True)
