"""deep-translator behind the :class:`~locflow.mt.Translator` protocol: the only module
that imports it.

deep-translator has no safety net, so this adapter adds one:

* **A deadline on every call.** Its engines call ``requests.get``/``requests.post``
  through the ``requests`` name of their own module and pass no timeout. Each
  engine module's ``requests`` is replaced (once, at import) by :class:`_Requests`,
  which forwards everything to the real module but runs each request in a worker
  thread of its own and waits for it until the call's deadline (``timeout`` seconds
  for the whole call: connecting, sending and the answer, however slowly a server
  drips it; ``requests``' own timeout only bounds each read). Past the deadline the
  request's sockets are shut down and the call fails as a timeout. The answer is read
  at most so far (:func:`answer_bytes`: a bound from the text's length), so a server
  cannot fill the memory. The shim records, per thread, the HTTP response or
  transport error of the request in flight. Nothing outside deep-translator's engine
  modules is affected.
* **Keys only where the environment sends them.** :func:`locflow.mt.endpoint.endpoint`
  decides whether the environment's keys go to the engine's URL (not to one the
  repository chose, never over plain http to another machine); the engine is built
  accordingly.
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

import contextlib
import email.utils
import math
import os
import socket
import threading
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
import requests.adapters
from deep_translator import baidu, deepl, exceptions, google, libre, microsoft, mymemory
from deep_translator import constants as dt_constants
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from ..errors import ConfigError, LocflowError, ServiceError
from . import AnswerRefused, EngineOptions, TransientError, longest_answer
from .endpoint import endpoint
from .engines import ENGINES, MICROSOFT_CODES, EngineSpec, engine_code

# -- the requests shim ------------------------------------------------------------


# Bytes of one HTTP answer: at most 1 MiB for a page (Google's), a JSON list (Microsoft's
# languages); a translation's JSON may add 12 bytes a character (an emoji escaped as
# two \uXXXX) up to the longest answer accepted.
_MAX_BYTES = 1 << 20


def answer_bytes(length: int) -> int:
    """The most bytes read of the answer to a text of *length* characters."""
    return _MAX_BYTES + 12 * longest_answer(length)


@dataclass
class _Call:
    """What the shim saw of the request(s) one ``translate`` call made."""

    timeout: float
    response: Any = None  # requests.Response
    transport_error: BaseException | None = None
    deadline: float | None = None  # time.monotonic() the call must end by
    max_bytes: int = _MAX_BYTES  # of one answer
    answer_too_long: bool = False


_local = threading.local()  # .call: the _Call of this thread's translate call
_watch = threading.local()  # .flight: the _Flight a request worker thread runs


class _TooLong(Exception):
    """The answer goes on past its bound."""


class _Flight:
    """One request, run in a worker thread of its own so the caller can stop waiting."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.response: Any = None
        self.error: BaseException | None = None
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.aborted = False

    def watch(self, sock: socket.socket) -> None:
        with self.lock:
            self.sockets.append(sock)
            if not self.aborted:
                return
        self._shut(sock)

    def abort(self) -> None:
        """Make the worker's blocked reads and writes fail now."""
        with self.lock:
            self.aborted = True
            sockets = list(self.sockets)
        for sock in sockets:
            self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):  # closed already, or never connected
            sock.shutdown(socket.SHUT_RDWR)

    def run(self, real: Any, method: str, url: str, kwargs: dict[str, Any],
            max_bytes: int) -> None:
        _watch.flight = self
        try:
            with real.Session() as session:
                for prefix in ("http://", "https://"):
                    session.mount(prefix, _Adapter())
                response = session.request(method, url, stream=True, **kwargs)
                try:
                    chunks, size = [], 0
                    for chunk in response.iter_content(65536):
                        size += len(chunk)
                        if size > max_bytes:
                            raise _TooLong
                        chunks.append(chunk)
                finally:
                    response.close()
                response._content = b"".join(chunks)
                self.response = response
        except BaseException as exc:  # handed to the caller, who raises it
            self.error = exc
        finally:
            _watch.flight = None
            self.done.set()


def _watched(sock: socket.socket) -> socket.socket:
    flight: _Flight | None = getattr(_watch, "flight", None)
    if flight is not None:
        flight.watch(sock)
    return sock


class _WatchedHTTPConnection(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        return _watched(super()._new_conn())


class _WatchedHTTPSConnection(HTTPSConnection):
    def _new_conn(self) -> socket.socket:
        return _watched(super()._new_conn())

    def connect(self) -> None:
        super().connect()
        if self.sock is not None:
            _watched(self.sock)  # the TLS socket that wraps the one above


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class _Adapter(requests.adapters.HTTPAdapter):
    """requests' adapter whose connections tell the running :class:`_Flight` their sockets."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {  # urllib3's documented override
            "http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}


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
        if call is None:
            call = _Call(30.0)
        deadline = call.deadline or time.monotonic() + call.timeout
        left = deadline - time.monotonic()
        kwargs.pop("stream", None)
        kwargs["timeout"] = max(0.001, min(call.timeout, left))  # connect, and each read
        flight = _Flight()
        error: BaseException | None
        if left <= 0:
            error = requests.exceptions.ReadTimeout("deadline")
        else:
            worker = threading.Thread(target=flight.run, name="locflow-mt-request",
                                      args=(self._real, method, url, kwargs, call.max_bytes),
                                      daemon=True)
            worker.start()
            if flight.done.wait(left):
                error = flight.error
            else:  # past the deadline: the worker ends as its sockets shut down
                flight.abort()
                error = requests.exceptions.ReadTimeout("deadline")
        if isinstance(error, _TooLong):
            call.answer_too_long = True
            raise error
        if error is not None:
            if isinstance(error, self._real.RequestException):
                call.transport_error = error
            raise error
        call.response = flight.response
        return flight.response


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


def classify(exc: BaseException, call: _Call, engine: str, env: Collection[str] = (),
             withheld: Collection[str] = ()) -> LocflowError:
    """The :class:`ServiceError` an exception raised inside deep-translator stands for.

    *env* names the engine's key variables; *withheld* those set but not sent
    (:mod:`locflow.mt.endpoint`), which a refusal of the credentials then names.
    """
    if isinstance(exc, _TooLong) or call.answer_too_long:
        return AnswerRefused(f"{engine}: the answer is over {call.max_bytes:,} bytes, "
                             "far longer than the text sent (refused)")
    transport = call.transport_error if call.transport_error is not None else exc
    if isinstance(transport, (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
                              requests.exceptions.InvalidSchema)):
        return ConfigError(f"{engine}: the server's URL is not valid "
                           "(give http://HOST:PORT/ or https://…)")
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
    if (kind == "auth" or status in (401, 403)) and withheld:
        return ServiceError(f"{engine}: the server refused a request without a key; "
                            f"{' and '.join(withheld)} is not sent to a URL from locflow.toml "
                            "(give the URL in LOCFLOW_MT_URL or --url)")
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
        # where requests go, and whether the environment's keys go with them: decided there
        self.endpoint = endpoint(options, os.environ)
        self.source, self.target = language_pair(options, source, target)
        self._env = [name for name, _ in self.spec.env]
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
        send = self.endpoint.send_keys

        def env(variable: str) -> str | None:
            return os.environ.get(variable) if send else None

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

    def _guarded(self, action: Callable[[], Any], max_bytes: int = _MAX_BYTES) -> Any:
        timeout = self.options.timeout
        call = _Call(timeout, deadline=time.monotonic() + timeout, max_bytes=max_bytes)
        _local.call = call
        try:
            return action()
        except Exception as exc:
            error = classify(exc, call, self.name, self._env, self.endpoint.withheld)
            error.message = redact(error.message, self._secrets)
            raise error from None
        finally:
            _local.call = None

    def translate(self, text: str) -> str:
        engine = getattr(self._local, "engine", None)
        if engine is None:
            engine = self._local.engine = self._guarded(self._build)
        result = self._guarded(lambda: engine.translate(text), answer_bytes(len(text)))
        if not isinstance(result, str) or (text.strip() and not result.strip()):
            raise ServiceError(f"{self.name}: returned no translation")
        return result
