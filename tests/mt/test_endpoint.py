"""Where an engine's requests go, and whether the environment's keys go with them."""

from __future__ import annotations

import pytest

from locflow.errors import ConfigError
from locflow.mt import EngineOptions
from locflow.mt.endpoint import Endpoint, check_url, endpoint, is_loopback

KEY = {"LIBRE_API_KEY": "k"}
NOTE = ("note: LIBRE_API_KEY not sent: the server's URL comes from the repository ([mt] url "
        "in locflow.toml); give it in LOCFLOW_MT_URL or --url to send it")


@pytest.mark.parametrize(("host", "loopback"), [
    ("localhost", True), ("LocalHost", True), ("127.0.0.1", True), ("127.8.9.10", True),
    ("::1", True), ("localhost.example.org", False), ("128.0.0.1", False),
    ("192.0.2.1", False), ("::2", False), ("", False), ("example.org", False),
])
def test_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


@pytest.mark.parametrize(("url", "origin", "env", "expected"), [
    # the engine's public endpoint: keys go (the environment chose the engine's key)
    (None, "repository", KEY, Endpoint(None, True)),
    # the repository's URL: never a key, and a note saying so
    ("http://127.0.0.1:5000/", "repository", KEY,
     Endpoint("http://127.0.0.1:5000/", False, ("LIBRE_API_KEY",), NOTE)),
    ("https://mt.example.org/", "repository", KEY,
     Endpoint("https://mt.example.org/", False, ("LIBRE_API_KEY",), NOTE)),
    ("http://192.0.2.1/", "repository", KEY,
     Endpoint("http://192.0.2.1/", False, ("LIBRE_API_KEY",), NOTE)),
    # no key to send: nothing withheld, nothing to say
    ("http://192.0.2.1/", "repository", {}, Endpoint("http://192.0.2.1/", False)),
    ("http://192.0.2.1/", "cli", {"LIBRE_API_KEY": ""}, Endpoint("http://192.0.2.1/", False)),
    # the environment's own side: keys go, to https or to this machine over http
    ("https://mt.example.org/", "env", KEY, Endpoint("https://mt.example.org/", True)),
    ("HTTPS://mt.example.org/", "cli", KEY, Endpoint("HTTPS://mt.example.org/", True)),
    ("http://localhost:5000/", "cli", KEY, Endpoint("http://localhost:5000/", True)),
    ("http://[::1]:5000/", "env", KEY, Endpoint("http://[::1]:5000/", True)),
])
def test_who_gets_the_key(url: str | None, origin: str, env: dict[str, str],
                          expected: Endpoint) -> None:
    provider = "libre" if url else "google"
    options = EngineOptions(provider, url=url, url_origin=origin)  # type: ignore[arg-type]
    assert endpoint(options, env) == expected


@pytest.mark.parametrize(("url", "origin"), [
    ("http://192.0.2.1:5000/", "cli"), ("HTTP://192.0.2.1/", "env"),
    ("http://mt.example.org/", "env"), ("http://127.0.0.1.example.org/", "cli"),
])
def test_a_key_never_travels_over_plain_http_to_another_machine(url: str, origin: str) -> None:
    where = {"cli": "--url", "env": "LOCFLOW_MT_URL"}[origin]
    options = EngineOptions("libre", url=url, url_origin=origin)  # type: ignore[arg-type]
    with pytest.raises(ConfigError) as caught:
        endpoint(options, KEY)
    assert caught.value.message == (
        f"{where}: LIBRE_API_KEY is not sent over plain http to another machine: use "
        "https://, or unset the key")


def test_the_engines_url_rules() -> None:
    with pytest.raises(ConfigError, match=r"^mymemory takes no URL"):
        endpoint(EngineOptions("mymemory", url="https://x.org/", url_origin="cli"), {})
    with pytest.raises(ConfigError, match=r"^libre needs the server's URL: --url, "
                                          r"LOCFLOW_MT_URL or \[mt\] url$"):
        endpoint(EngineOptions("libre"), {})
    with pytest.raises(ConfigError, match=r"^unknown MT provider 'bing'"):
        endpoint(EngineOptions("bing"), {})
    with pytest.raises(ConfigError, match=r"^deepl needs the environment variable DEEPL_API_KEY"):
        endpoint(EngineOptions("deepl"), {"DEEPL_API_KEY": ""})
    with pytest.raises(ConfigError, match=r"^baidu needs the environment variable BAIDU_APPKEY"):
        endpoint(EngineOptions("baidu"), {"BAIDU_APPID": "i"})
    assert endpoint(EngineOptions("deepl"), {"DEEPL_API_KEY": "k"}) == Endpoint(None, True)


def test_a_required_key_and_a_repository_url_cannot_meet(monkeypatch: pytest.MonkeyPatch) -> None:
    """No engine takes both today (only libre takes a URL, and its key is optional); if
    one did, a repository URL would be an error, not a request without its key."""
    from locflow.mt import engines

    spec = engines.EngineSpec("selfhosted", env=(("SELFHOSTED_KEY", True),), takes_url=True)
    monkeypatch.setitem(engines.ENGINES, "selfhosted", spec)
    options = EngineOptions("selfhosted", url="https://mt.example.org/")
    with pytest.raises(ConfigError, match=r"^selfhosted: SELFHOSTED_KEY is not sent to a URL "
                                          r"from locflow.toml; give the URL in LOCFLOW_MT_URL"):
        endpoint(options, {"SELFHOSTED_KEY": "k"})
    assert endpoint(EngineOptions("selfhosted", url="https://mt.example.org/", url_origin="env"),
                    {"SELFHOSTED_KEY": "k"}).send_keys


@pytest.mark.parametrize(("url", "why"), [
    ("127.0.0.1:33331", "not an http:// or https:// URL (give the scheme: http://HOST:PORT/)"),
    ("localhost:5000", "not an http:// or https:// URL"),
    ("//127.0.0.1:5000/", "not an http:// or https:// URL"),
    ("file:///etc/passwd", "not an http:// or https:// URL"),
    ("http://", "the URL names no host"),
    ("http://:80/", "the URL names no host"),
    ("http://127.0.0.1:x/", "the URL's port is not a number from 1 to 65535"),
    ("http://127.0.0.1:65536/", "the URL's port is not a number from 1 to 65535"),
    ("http://127.0.0.1:0/", "the URL's port is not a number from 1 to 65535"),
    ("http://k@127.0.0.1/", "the URL carries a user or password; keys come from environment "
                            "variables only"),
    ("http://:s3cret@127.0.0.1/", "the URL carries a user or password"),
    ("http://127.0.0.1/?api_key=s3cret", "the URL has a query or fragment (give the server's "
                                         "base URL)"),
    ("http://127.0.0.1/#x", "the URL has a query or fragment"),
    ("http://127.0.0.1/?", "the URL has a query or fragment"),
    ("http://127.0.0.1/#", "the URL has a query or fragment"),
    ("http://127.0.0.1/ ", "the URL holds spaces or control characters"),
    ("http://127.0.0.1/\x1b[2J", "the URL holds spaces or control characters"),
    ("http://127.0.0.1\n/", "the URL holds spaces or control characters"),
])
def test_bad_urls_are_refused_naming_where_they_came_from(url: str, why: str) -> None:
    for origin, where in (("cli", "--url"), ("env", "LOCFLOW_MT_URL"),
                          ("repository", "[mt] url in locflow.toml")):
        with pytest.raises(ConfigError) as caught:
            check_url(url, origin)  # type: ignore[arg-type]
        assert caught.value.message.startswith(f"{where}: {why}")
        assert "s3cret" not in caught.value.message and "\x1b" not in caught.value.message
        with pytest.raises(ConfigError):  # and endpoint() checks it, key or not
            endpoint(EngineOptions("libre", url=url, url_origin=origin), {})  # type: ignore[arg-type]


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:5000/", "https://mt.example.org", "http://[::1]:1/translate/",
    "HTTP://LOCALHOST:65535/x/y/", "http://127.0.0.1:1",
])
def test_good_urls_pass(url: str) -> None:
    assert check_url(url, "cli") == url
