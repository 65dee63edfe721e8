"""Retries with backoff and jitter, Retry-After, the bounded pool."""

from __future__ import annotations

import threading
import time

import pytest

from locflow.errors import ServiceError
from locflow.mt import TransientError
from locflow.mt.run import RetryPolicy, Throttle, translate_all, with_retries


class Flaky:
    """Fails *failures* times, then answers; counts calls and the most in flight."""

    name = cache_key = "flaky"
    max_chars = 100

    def __init__(self, failures: int = 0, retry_after: float | None = None,
                 delay: float = 0.0) -> None:
        self.failures, self.retry_after, self.delay = failures, retry_after, delay
        self.calls: list[float] = []
        self.lock = threading.Lock()
        self.active = self.peak = 0

    def translate(self, text: str) -> str:
        with self.lock:
            self.calls.append(time.monotonic())
            failing = len(self.calls) <= self.failures
            self.active += 1
            self.peak = max(self.peak, self.active)
        try:
            time.sleep(self.delay)
            if failing:
                raise TransientError("flaky: HTTP 503 from the server",
                                     retry_after=self.retry_after)
            return text.upper()
        finally:
            with self.lock:
                self.active -= 1


def run_one(translator: Flaky, policy: RetryPolicy, rng: float = 1.0) -> str:
    stop = threading.Event()
    return with_retries(translator, "hi", policy, Throttle(stop), stop, rng=lambda: rng)


def test_transient_failures_are_retried_with_exponential_backoff() -> None:
    flaky = Flaky(failures=3)
    assert run_one(flaky, RetryPolicy(retries=3, backoff=0.02)) == "HI"
    gaps = [b - a for a, b in zip(flaky.calls, flaky.calls[1:], strict=False)]
    assert gaps[0] >= 0.02 and gaps[1] >= 0.04 and gaps[2] >= 0.08


def test_jitter_scales_the_wait() -> None:
    flaky = Flaky(failures=1)
    run_one(flaky, RetryPolicy(retries=1, backoff=10.0), rng=0.0)  # full jitter: 0 s
    assert flaky.calls[1] - flaky.calls[0] < 1


def test_retry_after_is_honoured_and_too_long_a_wait_fails() -> None:
    flaky = Flaky(failures=1, retry_after=0.3)
    run_one(flaky, RetryPolicy(retries=1, backoff=0.0))
    assert flaky.calls[1] - flaky.calls[0] >= 0.29
    with pytest.raises(ServiceError, match="asks to wait 600 s"):
        run_one(Flaky(failures=1, retry_after=600), RetryPolicy(retries=3))


def test_giving_up_says_how_often_it_tried() -> None:
    with pytest.raises(ServiceError, match=r"503 from the server \(gave up after 3 attempts\)"):
        run_one(Flaky(failures=99), RetryPolicy(retries=2, backoff=0.0))


def test_pool_is_bounded_and_answers_come_back_to_the_caller() -> None:
    flaky = Flaky(delay=0.05)
    answers: dict[int, str] = {}
    caller = threading.get_ident()
    threads = set()

    def on_answer(index: int, text: str) -> None:
        threads.add(threading.get_ident())
        answers[index] = text

    translate_all([(flaky, f"t{i}") for i in range(12)], on_answer, concurrency=3)
    assert answers == {i: f"T{i}" for i in range(12)}
    assert flaky.peak == 3 and threads == {caller}


def test_a_failure_for_good_stops_the_pool() -> None:
    flaky = Flaky(failures=10**6, delay=0.01)
    started = time.monotonic()
    with pytest.raises(ServiceError):
        translate_all([(flaky, f"t{i}") for i in range(200)], lambda i, t: None,
                      concurrency=2, policy=RetryPolicy(retries=1, backoff=0.0))
    time.sleep(0.1)
    calls = len(flaky.calls)
    time.sleep(0.1)
    assert len(flaky.calls) == calls < 20  # queued texts were cancelled
    assert time.monotonic() - started < 5


def test_a_refused_answer_fails_its_text_only() -> None:
    from locflow.mt import AnswerRefused

    class Picky(Flaky):
        def translate(self, text: str) -> str:
            if text == "t3":
                raise AnswerRefused("picky: far too long")
            return super().translate(text)

    answers: dict[int, str] = {}
    refused: list[tuple[int, str]] = []
    translate_all([(Picky(), f"t{i}") for i in range(6)], answers.__setitem__, concurrency=2,
                  on_refused=lambda index, error: refused.append((index, error.message)))
    assert answers == {i: f"T{i}" for i in range(6) if i != 3}
    assert refused == [(3, "picky: far too long")]
    with pytest.raises(AnswerRefused):  # nobody to tell: it stops the run
        translate_all([(Picky(), "t3")], answers.__setitem__)
