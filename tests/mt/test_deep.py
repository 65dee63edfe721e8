"""The deep-translator adapter: every exception mapped, locale codes, the timeout shim."""

from __future__ import annotations

import inspect
import threading
import time

import pytest
import requests
from deep_translator import exceptions

from locflow.errors import ConfigError, ServiceError
from locflow.mt import EngineOptions, TransientError
from locflow.mt.deep import ERROR_KINDS, DeepTranslator, _Call, classify, language_pair
from locflow.mt.engines import ENGINES
from tests.mt.libre_server import LibreServer


def deep_translator_exceptions() -> set[type[BaseException]]:
    return {
        obj for _, obj in inspect.getmembers(exceptions, inspect.isclass)
        if issubclass(obj, BaseException) and obj.__module__ == exceptions.__name__
    }


def test_every_deep_translator_exception_is_mapped() -> None:
    assert deep_translator_exceptions() == set(ERROR_KINDS)


@pytest.mark.parametrize("exc_type", sorted(deep_translator_exceptions(), key=str))
def test_each_exception_becomes_one_locflow_error(exc_type: type[BaseException]) -> None:
    args = {
        "NotValidLength": ("x", 0, 5), "ServerException": (500,), "ApiKeyException": ("K",),
        "AuthorizationException": ("secret-key",), "MicrosoftAPIerror": ("secret-key",),
        "BaiduAPIerror": ("m",), "TooManyRequests": (), "RequestError": (), "BaseError": ("v", "m"),
    }.get(exc_type.__name__, ("v",) if issubclass(exc_type, exceptions.BaseError) else ())
    exc = exc_type(*args)
    error = classify(exc, _Call(5.0), "libre", ["LIBRE_API_KEY"])
    assert isinstance(error, ServiceError | ConfigError)
    assert error.message.startswith("libre: ") and "secret-key" not in error.message
    assert isinstance(error, TransientError) == (ERROR_KINDS[exc_type] == "retry")


def test_http_status_decides_over_the_exception() -> None:
    response = requests.Response()
    response.status_code, response.headers["Retry-After"] = 429, "7"
    error = classify(exceptions.ServerException(429), _Call(5.0, response=response), "libre")
    assert isinstance(error, TransientError) and error.retry_after == 7.0
    response.status_code = 400
    error = classify(exceptions.ServerException(400), _Call(5.0, response=response), "libre")
    assert type(error) is ServiceError and error.message == "libre: HTTP 400 from the server"


def test_transport_errors_are_transient() -> None:
    assert isinstance(classify(requests.exceptions.ReadTimeout(), _Call(2.0), "g"),
                      TransientError)
    # Microsoft swallows the transport error and crashes later: the shim saw it
    seen = _Call(2.0, transport_error=requests.exceptions.ConnectionError())
    error = classify(AttributeError("'NoneType' object has no attribute 'json'"), seen, "microsoft")
    assert isinstance(error, TransientError) and "cannot connect" in error.message


@pytest.mark.parametrize(("provider", "locale", "code"), [
    ("google", "zh_Hans", "zh-CN"), ("google", "es", "es"), ("google", "pt_BR", "pt"),
    ("mymemory", "zh_Hans", "zh-CN"), ("mymemory", "en", "en-GB"), ("mymemory", "es", "es-ES"),
    ("libre", "zh_Hans", "zh"), ("deepl", "zh_Hans", "zh"), ("microsoft", "zh_Hans", "zh-hans"),
    ("baidu", "zh_Hans", "zh"), ("baidu", "es", "spa"),
])
def test_locale_codes_per_engine(provider: str, locale: str, code: str) -> None:
    assert language_pair(EngineOptions(provider), "en", locale)[1] == code


def test_override_and_unsupported_pair() -> None:
    assert language_pair(EngineOptions("libre", codes={"zh_Hans": "zh-Hans"}), "en",
                         "zh_Hans") == ("en", "zh-Hans")
    with pytest.raises(ConfigError, match="libre cannot translate en → cy"):
        language_pair(EngineOptions("libre"), "en", "cy")


def test_every_engine_can_be_described() -> None:
    assert {"google", "mymemory", "libre", "deepl", "microsoft", "baidu"} <= set(ENGINES)


def test_missing_key_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DEEPL_API_KEY", raising=False)
    with pytest.raises(ConfigError, match="DEEPL_API_KEY"):
        DeepTranslator(EngineOptions("deepl"), "en", "es")


def test_override_code_reaches_the_server(libre: LibreServer) -> None:
    options = EngineOptions("libre", url=libre.url, codes={"zh_Hans": "zh-Hans"})
    assert DeepTranslator(options, "en", "zh_Hans").translate("Hi") == "ZH-HANS: HI"
    assert libre.requests[0]["target"] == "zh-Hans"


def test_each_request_has_a_timeout(libre: LibreServer) -> None:
    libre.behaviour.delay = 2.0
    translator = DeepTranslator(EngineOptions("libre", url=libre.url, timeout=0.2), "en", "es")
    started = time.monotonic()
    with pytest.raises(TransientError, match=r"no answer within 0.2 s"):
        translator.translate("Hello")
    assert time.monotonic() - started < 1.5


def test_the_timeout_bounds_the_whole_call_not_each_read(libre: LibreServer) -> None:
    """Issue 17: requests' timeout is per read; a server dripping its answer held a call
    for minutes. Now the call ends at its deadline, and its socket is shut down."""
    libre.behaviour.mode, libre.behaviour.delay, libre.behaviour.size = "drip", 0.02, 500
    translator = DeepTranslator(EngineOptions("libre", url=libre.url, timeout=0.3), "en", "es")
    started = time.monotonic()
    with pytest.raises(TransientError, match=r"^libre: no answer within 0.3 s \(timeout\)$"):
        translator.translate("Hello")
    assert time.monotonic() - started < 1.5  # the answer alone would take 10 s
    # the request's worker gave up too: its socket was shut down, the server saw it go
    deadline = time.monotonic() + 3
    while any(t.name == "locflow-mt-request" for t in threading.enumerate()):
        assert time.monotonic() < deadline
        time.sleep(0.02)
    # a dripped answer that arrives within the deadline is an answer
    libre.behaviour.size, libre.behaviour.delay = 0, 0.001
    fast = DeepTranslator(EngineOptions("libre", url=libre.url, timeout=5), "en", "es")
    assert fast.translate("Hello") == "ES: HELLO"


def test_an_answer_over_its_byte_bound_is_refused_while_read(libre: LibreServer) -> None:
    from locflow.mt import AnswerRefused
    from locflow.mt.deep import answer_bytes

    assert answer_bytes(10) == (1 << 20) + 12 * 1000
    assert answer_bytes(2000) == (1 << 20) + 12 * 40000
    libre.behaviour.mode, libre.behaviour.size = "huge", 3_000_000
    translator = DeepTranslator(EngineOptions("libre", url=libre.url, timeout=5), "en", "es")
    with pytest.raises(AnswerRefused, match=r"^libre: the answer is over 1,060,576 bytes, far "
                                            r"longer than the text sent \(refused\)$"):
        translator.translate("Hello")
    libre.behaviour.size = 20_000  # within the bytes; drafts.py judges its characters
    assert len(translator.translate("Hello")) > 20_000


def test_a_repository_url_gets_no_key(libre: LibreServer, monkeypatch: pytest.MonkeyPatch
                                      ) -> None:
    monkeypatch.setenv("LIBRE_API_KEY", "sk-secret")
    from_repo = DeepTranslator(EngineOptions("libre", url=libre.url), "en", "es")
    from_cli = DeepTranslator(EngineOptions("libre", url=libre.url, url_origin="cli"), "en",
                              "es")
    assert from_repo.translate("One") == "ES: ONE" and from_cli.translate("Two") == "ES: TWO"
    assert [r.get("api_key") for r in libre.requests] == [None, "sk-secret"]


@pytest.mark.parametrize("exc", [requests.exceptions.InvalidSchema("No connection adapters"),
                                 requests.exceptions.MissingSchema("x"),
                                 requests.exceptions.InvalidURL("x")])
def test_an_invalid_url_is_a_config_error_not_a_retry(exc: Exception) -> None:
    error = classify(exc, _Call(5.0, transport_error=exc), "libre")
    assert type(error) is ConfigError
    assert error.message == "libre: the server's URL is not valid (give http://HOST:PORT/ or " \
        "https://…)"
