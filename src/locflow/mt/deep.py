"""deep-translator behind the :class:`~locflow.mt.Translator` protocol: the only module
that imports it.

deep-translator has no safety net, so this adapter adds one:

* **A timeout on every request.** Its engines call ``requests.get``/``requests.post``
  through the ``requests`` name of their own module and pass no timeout. Each
  engine module's ``requests`` is replaced (once, at import) by :class:`_Requests`,
  which forwards everything to the real module but adds ``timeout=`` and
  records, per thread, the HTTP response or transport error of the request in
  flight. Nothing outside deep-translator's engine modules is affected.
* **One error type.** Its exceptions share no base class, some engines let
  ``requests``' errors out, Microsoft's crashes with ``AttributeError`` after a
  refused connection. :func:`classify` turns all of them into
  :class:`~locflow.errors.ServiceError` (:class:`~locflow.mt.TransientError` for
  429, 5xx, timeouts and connection failures, with the server's ``Retry-After``),
  using the recorded status where deep-translator threw it away.
  :data:`ERROR_KINDS` maps every exception class of ``deep_translator.exceptions``;
  a test keeps it complete.
* **No secrets in messages.** Messages are written here, never copied from an
  exception (``requests`` puts the URL, which carries LibreTranslate's key, in
  its own), and every message goes through :func:`redact` as well.
"""

from __future__ import annotations

import email.utils
import math
import os
import threading
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from deep_translator import baidu, deepl, exceptions, google, libre, microsoft, mymemory
from deep_translator import constants as dt_constants

from ..errors import ConfigError, LocflowError, ServiceError
from . import EngineOptions, TransientError
from .engines import ENGINES, MICROSOFT_CODES, EngineSpec, engine_code

# -- the requests shim ------------------------------------------------------------


@dataclass
class _Call:
    """What the shim saw of the request(s) one ``translate`` call made."""

    timeout: float
    response: Any = None  # requests.Response
    transport_error: BaseException | None = None


_local = threading.local()


class _Requests:
    """Stands in for the ``requests`` module inside deep-translator's engine modules."""

    def __init__(self, real: Any) -> None:
        self._real = real

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def get(self, url: str, **kwargs: Any) -> Any:
        return self._request("GET", url, kwargs)

    def post(self, url: str, **kwargs: Any) -> Any:
        return self._request("POST", url, kwargs)

    def _request(self, method: str, url: str, kwargs: dict[str, Any]) -> Any:
        call: _Call | None = getattr(_local, "call", None)
        timeout = call.timeout if call is not None else 30.0
        kwargs.setdefault("timeout", timeout)
        try:
            response = self._real.request(method, url, **kwargs)
        except self._real.RequestException as exc:
            if call is not None:
                call.transport_error = exc
            raise
        if call is not None:
            call.response = response
        return response


_ENGINE_MODULES = (google, mymemory, libre, deepl, microsoft, baidu)
_shim = _Requests(requests)
for _module in _ENGINE_MODULES:
    _module.requests = _shim


# -- errors -----------------------------------------------------------------------

# How each deep-translator exception is treated when no HTTP status tells more:
# "retry" (may succeed later), "fail" (the engine refuses), "config" (our setup).
ERROR_KINDS: dict[type[BaseException], str] = {
    exceptions.BaseError: "fail",
    exceptions.LanguageNotSupportedException: "config",
    exceptions.InvalidSourceOrTargetLanguage: "config",
    exceptions.ApiKeyException: "config",
    exceptions.NotValidPayload: "fail",
    exceptions.NotValidLength: "fail",
    exceptions.TranslationNotFound: "fail",
    exceptions.ElementNotFoundInGetRequest: "fail",
    exceptions.RequestError: "retry",
    exceptions.TooManyRequests: "retry",
    exceptions.ServerException: "retry",  # its status decides; without one, retry
    exceptions.AuthorizationException: "auth",
    exceptions.MicrosoftAPIerror: "fail",
    exceptions.BaiduAPIerror: "fail",
}

_WHAT = {
    exceptions.NotValidPayload: "refused the text as invalid",
    exceptions.NotValidLength: "refused the text's length",
    exceptions.TranslationNotFound: "returned no translation",
    exceptions.ElementNotFoundInGetRequest: "returned a page without a translation",
    exceptions.RequestError: "request failed",
    exceptions.TooManyRequests: "too many requests (rate limited)",
    exceptions.ServerException: "server error",
    exceptions.MicrosoftAPIerror: "API error",
    exceptions.BaiduAPIerror: "API error",
}


def redact(message: str, secrets: Collection[str]) -> str:
    """*message* with every secret replaced by ``***``.

    >>> redact("key abc123 refused", ["abc123"])
    'key *** refused'
    """
    for secret in secrets:
        if secret:
            message = message.replace(secret, "***")
    return message


def retry_after(value: str | None, now: Callable[[], float] = time.time) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait (a number or an HTTP date).

    >>> retry_after("3")
    3.0
    >>> retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=lambda: 1445412470.0)
    10.0
    >>> retry_after("soon") is None
    True
    """
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        seconds = when.timestamp() - now()
    if math.isnan(seconds) or math.isinf(seconds):
        return None
    return max(0.0, seconds)


def _where(url: str | None) -> str:
    if not url:
        return "the server"
    parts = urlsplit(url)
    return parts.hostname + (f":{parts.port}" if parts.port else "") if parts.hostname else "?"


def classify(exc: BaseException, call: _Call, engine: str, env: Collection[str] = ()
             ) -> LocflowError:
    """The :class:`ServiceError` an exception raised inside deep-translator stands for."""
    transport = call.transport_error if call.transport_error is not None else exc
    if isinstance(transport, requests.exceptions.Timeout):
        return TransientError(f"{engine}: no answer within {call.timeout:g} s (timeout)")
    if isinstance(transport, requests.exceptions.ConnectionError):
        request = getattr(transport, "request", None)
        return TransientError(
            f"{engine}: cannot connect to {_where(getattr(request, 'url', None))}"
        )
    if isinstance(transport, requests.exceptions.RequestException):
        return TransientError(f"{engine}: request failed ({type(transport).__name__})")
    response = call.response
    status = getattr(response, "status_code", None)
    if isinstance(status, int) and (status == 429 or status >= 500):
        headers = getattr(response, "headers", {}) or {}
        return TransientError(
            f"{engine}: HTTP {status} from the server",
            retry_after=retry_after(headers.get("Retry-After")),
        )
    kind = next((ERROR_KINDS[k] for k in type(exc).__mro__ if k in ERROR_KINDS), None)
    keys = " or ".join(env) or "the key"
    if kind == "auth" or status in (401, 403):
        return ServiceError(f"{engine}: the service refused the credentials (check {keys})")
    if kind == "config":
        return ConfigError(f"{engine}: {type(exc).__name__}: check [mt] in locflow.toml")
    what = next((w for k, w in _WHAT.items() if isinstance(exc, k)), None)
    if status is not None and not 200 <= status < 300:
        return ServiceError(f"{engine}: HTTP {status} from the server")
    if kind == "retry":
        return TransientError(f"{engine}: {what}")
    if what is not None:
        return ServiceError(f"{engine}: {what}")
    if isinstance(exc, ValueError):  # requests' JSONDecodeError and kin
        return ServiceError(f"{engine}: unreadable answer from the server")
    return ServiceError(f"{engine}: unexpected failure ({type(exc).__name__})")


# -- languages --------------------------------------------------------------------


def supported_codes(provider: str) -> Collection[str]:
    """The language codes deep-translator knows for *provider* (offline)."""
    tables: dict[str, Collection[str]] = {
        "google": dt_constants.GOOGLE_LANGUAGES_TO_CODES.values(),
        "mymemory": dt_constants.MY_MEMORY_LANGUAGES_TO_CODES.values(),
        "libre": dt_constants.LIBRE_LANGUAGES_TO_CODES.values(),
        "deepl": dt_constants.DEEPL_LANGUAGE_TO_CODE.values(),
        "baidu": dt_constants.BAIDU_LANGUAGE_TO_CODE.values(),
        "microsoft": MICROSOFT_CODES,
    }
    return set(tables[provider])


def language_pair(options: EngineOptions, source: str, target: str) -> tuple[str, str]:
    """The engine's codes for *source* → *target*; :class:`ConfigError` if it lacks one."""
    spec = _spec(options.provider)
    supported = supported_codes(spec.name)
    codes = []
    for locale in (source, target):
        code = engine_code(spec, locale, supported, options.codes)
        if code is None:
            raise ConfigError(
                f"{spec.name} cannot translate {source} → {target}: it has no code for "
                f"{locale} (map one in [mt.codes] in locflow.toml if the server has it)"
            )
        codes.append(code)
    return codes[0], codes[1]


def _spec(provider: str) -> EngineSpec:
    try:
        return ENGINES[provider]
    except KeyError:
        known = ", ".join(ENGINES)
        raise ConfigError(f"unknown MT provider {provider!r} (known: {known})") from None


# -- the adapter ------------------------------------------------------------------


class DeepTranslator:
    """One deep-translator engine for one language pair; thread-safe.

    deep-translator's engine objects keep per-request state in attributes
    (Google's ``_url_params``), so each thread builds its own.
    """

    def __init__(self, options: EngineOptions, source: str, target: str) -> None:
        self.spec = _spec(options.provider)
        self.options = options
        if options.url is not None and not self.spec.takes_url:
            raise ConfigError(f"{self.spec.name} takes no URL (only libre does)")
        if self.spec.takes_url and not options.url:
            raise ConfigError(f"{self.spec.name} needs the server's URL: --url or [mt] url")
        self.source, self.target = language_pair(options, source, target)
        self._env = [name for name, _ in self.spec.env]
        missing = [name for name, needed in self.spec.env if needed and not os.environ.get(name)]
        if missing:
            raise ConfigError(f"{self.spec.name} needs the environment variable {missing[0]}")
        self._secrets = [os.environ.get(name, "") for name in self._env]
        self._local = threading.local()

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def cache_key(self) -> str:
        where = ""
        if self.options.url:
            parts = urlsplit(self.options.url)  # never the userinfo part
            where = "@" + (parts.hostname or "") + (f":{parts.port}" if parts.port else "")
            where += parts.path.rstrip("/")
        return f"{self.spec.name}{where}:{self.source}:{self.target}"

    @property
    def max_chars(self) -> int:
        return self.options.max_chars or self.spec.max_chars

    def _build(self) -> Any:
        name = self.spec.name
        env = os.environ.get
        # "auto" passes deep-translator's validation for every engine; the codes we
        # chose (possibly a [mt.codes] override it does not list) are set after.
        if name == "google":
            engine = google.GoogleTranslator(source="auto", target="auto")
        elif name == "mymemory":
            engine = mymemory.MyMemoryTranslator(source="auto", target="auto")
        elif name == "libre":
            url = self.options.url or ""
            engine = libre.LibreTranslator(
                source="auto", target="auto", api_key=env("LIBRE_API_KEY") or "unused",
                custom_url=url if url.endswith("/") else url + "/",
            )
            if not env("LIBRE_API_KEY"):
                engine.api_key = None  # a server without keys gets none
        elif name == "deepl":
            engine = deepl.DeeplTranslator(
                source="auto", target="auto", api_key=env("DEEPL_API_KEY"),
                use_free_api=self.options.free_api,
            )
        elif name == "microsoft":
            engine = microsoft.MicrosoftTranslator(
                source="auto", target="auto", api_key=env("MICROSOFT_API_KEY"),
                region=self.options.region,
            )
        else:
            engine = baidu.BaiduTranslator(
                source="auto", target="auto", appid=env("BAIDU_APPID"), appkey=env("BAIDU_APPKEY"),
            )
        engine.source, engine.target = self.source, self.target
        return engine

    def _guarded(self, action: Callable[[], Any]) -> Any:
        call = _Call(self.options.timeout)
        _local.call = call
        try:
            return action()
        except Exception as exc:
            error = classify(exc, call, self.name, self._env)
            error.message = redact(error.message, self._secrets)
            raise error from None
        finally:
            _local.call = None

    def translate(self, text: str) -> str:
        engine = getattr(self._local, "engine", None)
        if engine is None:
            engine = self._local.engine = self._guarded(self._build)
        result = self._guarded(lambda: engine.translate(text))
        if not isinstance(result, str) or (text.strip() and not result.strip()):
            raise ServiceError(f"{self.name}: returned no translation")
        return result
