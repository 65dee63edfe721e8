"""The deep-translator adapter: every exception mapped, locale codes, the timeout shim."""

from __future__ import annotations

import inspect
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
