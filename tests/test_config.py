from __future__ import annotations

from pathlib import Path

import pytest

from locflow.config import DEFAULT_CONFIG_TEXT, Config, Project, write_default_config
from locflow.errors import ConfigError


def test_defaults_without_config_file(tmp_path: Path) -> None:
    project = Project.load(tmp_path)
    assert project.config == Config()
    assert project.article_catalog("es", "vote") == tmp_path / "locales/es/articles/vote.po"
    assert project.site_catalog("zh_Hans") == tmp_path / "locales/zh_Hans/LC_MESSAGES/site.po"


def test_default_config_text_parses_to_the_defaults(tmp_path: Path) -> None:
    write_default_config(tmp_path)
    assert (tmp_path / "locflow.toml").read_text() == DEFAULT_CONFIG_TEXT
    loaded = Project.load(tmp_path).config
    assert loaded.target_locales == Config().target_locales
    assert loaded.fuzzy_threshold == 0.6
    assert (loaded.memory_prefill, loaded.memory_exact, loaded.memory_threshold) == (
        True, "translated", 0.75)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[project]\ntarget_locales = ["xx"]\n', "unknown locale 'xx'"),
        ("[project\n", "invalid TOML"),
        ("[merge]\nfuzzy_threshold = 2\n", "between 0 and 1"),
        ('[build]\npublish = "maybe"\n', "publish: must be"),
        ("[nope]\n", "unknown section [nope]"),
        ('[project]\nsource_locale = "es"\ntarget_locales = ["es"]\n', "also a target"),
        ('[mt]\napi_key = "x"\n', "unknown key api_key in [mt]"),
        ("[mt]\nconcurrency = 0\n", "concurrency: must be at least 1"),
        ("[mt]\nconcurrency = true\n", "concurrency: must be a whole number, not a boolean"),
        ('[mt]\ntimeout = "soon"\n', "timeout: must be a number, not text"),
        ('[mt.codes]\nzh_Hans = 1\n', "[mt] codes: zh_Hans: must be text, not a number"),
        ('[mt.codes]\nzh_hans = "zh"\n', "locale 'zh_hans' is spelled 'zh_Hans'"),
        ('[build]\nembeds = ["http://player.example/"]\n', "not an https:// prefix"),
        ('[build]\nembeds = ["https://player.example"]\n', "not an https:// prefix"),
        ("[build]\nembeds = \"https://player.example/\"\n", "embeds: must be a list"),
        ("[memory]\ntreshold = 0.8\n", "unknown key treshold in [memory] (did you mean "
         "'threshold'?)"),
        ("[memory]\nthreshold = 80\n", "[memory] threshold: must be between 0 and 1"),
        ('[memory]\nexact = "approved"\n', '[memory] exact: must be "translated" or "fuzzy"'),
        ('[memory]\nprefill = "yes"\n', "prefill: must be true or false, not text"),
    ],
)
def test_bad_config_names_the_file(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "locflow.toml").write_text(text)
    with pytest.raises(ConfigError) as info:
        Project.load(tmp_path)
    assert message in str(info.value)
    assert "locflow.toml" in str(info.value)


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        # issue 7: a typo was silently ignored and the defaults used
        ('[project]\ntarget_locale = ["es"]\n', "unknown key target_locale in [project] "
         "(did you mean 'target_locales'?)", 2),
        ('[project]\nname = "x"\nout = "public"\n', "unknown key out in [project] "
         "('out' belongs in [build])", 3),
        ("[projet]\n", "unknown section [projet] (did you mean 'project'?)", 1),
        ('target_locales = ["es"]\n', "'target_locales' belongs in the [project] section", 1),
        # booleans are not numbers
        ("[merge]\nfuzzy_threshold = true\n", "fuzzy_threshold: must be a number, not a boolean",
         2),
        ("[build]\nmin_percent = false\n", "must be a number, not a boolean", 2),
        ("[build]\nmin_percent = nan\n", "must be between 0 and 100", 2),
        ("[merge]\nfuzzy_threshold = 0\n", "between 0 and 1 (not 0 itself)", 2),
        ('[segmentation]\nfields = "title"\n', "fields: must be a list of texts", 2),
        # one locale, one spelling
        ('[project]\ntarget_locales = ["zh_hans"]\n', "locale 'zh_hans' is spelled 'zh_Hans'", 2),
        ('[project]\nsource_locale = "EN"\n', "locale 'EN' is spelled 'en'", 2),
        ('[project]\ntarget_locales = ["es", "es"]\n', "lists a locale twice", 2),
        ('[project]\ntarget_locales = ["zh-Hans", "zh_Hans"]\n', "lists a locale twice", 2),
        ('[build]\nout = "a\\u0000b"\n', "control character", 2),
        ("[build]\nout = 3\n", "out: must be text, not a number", 2),
        # the repository's [build] out stays inside the project (only --out may leave it)
        ('[build]\nout = "../published"\n', "out: must be inside the project", 2),
        ('[build]\nout = "/srv/www"\n', "out: must be inside the project", 2),
        ('[build]\nout = "dist/../.."\n', "out: must be inside the project", 2),
    ],
)
def test_settings_are_checked_against_the_schema(
    tmp_path: Path, text: str, message: str, line: int
) -> None:
    (tmp_path / "locflow.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        Project.load(tmp_path)
    assert message in info.value.message
    assert info.value.line == line


def test_every_default_is_valid_and_the_default_file_parses(tmp_path: Path) -> None:
    from locflow.config import DEFAULT_CONFIG_TEXT, SCHEMA, validate_settings

    for section, keys in SCHEMA.items():
        for key, spec in keys.items():
            value = list(spec.default) if isinstance(spec.default, tuple) else spec.default
            assert spec.kind(value) == spec.default, (section, key)
    (tmp_path / "locflow.toml").write_text(DEFAULT_CONFIG_TEXT, encoding="utf-8")
    project = Project.load(tmp_path)
    assert project.config.settings == validate_settings({})
    assert project.config == Config()
    assert project.config.target_locales == ("zh_Hans", "es")


def test_hyphenated_locales_are_accepted_and_normalised(tmp_path: Path) -> None:
    (tmp_path / "locflow.toml").write_text('[project]\ntarget_locales = ["zh-Hans", "pt-BR"]\n',
                                           encoding="utf-8")
    assert Project.load(tmp_path).config.target_locales == ("zh_Hans", "pt_BR")


def test_embeds_are_https_prefixes(tmp_path: Path) -> None:
    (tmp_path / "locflow.toml").write_text(
        '[build]\nembeds = ["https://www.youtube-nocookie.com/embed/"]\n')
    assert Project.load(tmp_path).config.embeds == ("https://www.youtube-nocookie.com/embed/",)
    assert Config().embeds == ()


def test_mt_section(tmp_path: Path) -> None:
    (tmp_path / "locflow.toml").write_text(
        '[mt]\nprovider = "libre"\nurl = "http://localhost:5000/"\nconcurrency = 8\n'
        '[mt.codes]\nzh_Hans = "zh-Hans"\n'
    )
    mt = Project.load(tmp_path).config.mt
    assert (mt.provider, mt.url, mt.concurrency, mt.codes) == (
        "libre", "http://localhost:5000/", 8, {"zh_Hans": "zh-Hans"})
    assert Config().mt.provider is None  # no provider, no machine translation


def test_init_keeps_locflow_caches_out_of_git(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("/dist/")
    write_default_config(tmp_path)
    assert (tmp_path / ".gitignore").read_text() == (
        "/dist/\n# locflow: caches and temporary files (rebuilt as needed)\n.locflow/\n.*.tmp\n")
    assert write_default_config(tmp_path) == []  # said once


# -- issue 17: what a pull request may not configure or plant --------------------------


@pytest.mark.parametrize("url", [
    "javascript:alert(document.domain)//",
    "JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox",
    "ftp://example.com/",
    "//example.com/",
    "/site/",
    "https:///path/",
    "https://",
    "https://exa mple.com/",
    'https://example.com/"onmouseover="x',
    "https://example.com/<script>",
    "https://example.com/\\x",
    "https://example.com/\x7f",
    "https://example.com/?q=1",
    "https://example.com/#top",
    "https://[::1/",
])
def test_base_url_is_an_http_or_https_address(tmp_path: Path, url: str) -> None:
    import json

    (tmp_path / "locflow.toml").write_text(
        f"[build]\nbase_url = {json.dumps(url)}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        Project.load(tmp_path)
    text = str(info.value)
    assert text.startswith(f"{tmp_path / 'locflow.toml'}:2: [build] base_url: must be ")
    assert "\n" not in text and "</script>" not in text  # a short excerpt at most


@pytest.mark.parametrize("url, kept", [
    ("https://example.com/", "https://example.com/"),
    ("http://localhost:8000/news", "http://localhost:8000/news/"),
    ("HTTPS://Example.COM/es/", "HTTPS://Example.COM/es/"),
    ("https://[::1]:8443/", "https://[::1]:8443/"),
])
def test_http_and_https_base_urls_are_kept(tmp_path: Path, url: str, kept: str) -> None:
    (tmp_path / "locflow.toml").write_text(f'[build]\nbase_url = "{url}"\n', encoding="utf-8")
    assert Project.load(tmp_path).config.base_url == kept


def test_base_url_must_be_text(tmp_path: Path) -> None:
    (tmp_path / "locflow.toml").write_text("[build]\nbase_url = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="base_url: must be text"):
        Project.load(tmp_path)


@pytest.mark.parametrize("name", ["memory.sqlite3", "memory.sqlite3-wal", "memory.sqlite3-shm",
                                  "memory.sqlite3-journal"])
def test_a_cache_file_that_is_a_link_is_refused_even_inside(tmp_path: Path, name: str) -> None:
    from locflow.errors import PathError

    (tmp_path / ".locflow").mkdir()
    (tmp_path / ".locflow" / "other").write_bytes(b"")
    (tmp_path / ".locflow" / name).symlink_to("other")
    project = Project.load(tmp_path)
    with pytest.raises(PathError) as info:
        project.cache_file("memory.sqlite3", "translation memory index")
    assert str(info.value) == (f".locflow/{name}: translation memory index is a symbolic "
                               "link; refusing to use it")
    assert project.cache_file("sync-cache.json") == tmp_path / ".locflow" / "sync-cache.json"


def test_cache_files_are_plain_names_in_a_real_cache_folder(tmp_path: Path) -> None:
    from locflow.errors import PathError

    project = Project.load(tmp_path)
    assert project.mt_cache_path == tmp_path / ".locflow" / "mt-cache.sqlite3"
    for bad in ("../locflow.toml", "a/b", ""):
        with pytest.raises(PathError):
            project.cache_file(bad)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / ".locflow").symlink_to("elsewhere")
    with pytest.raises(PathError, match="top folder is a symbolic link"):
        project.mt_cache_path  # noqa: B018
    (tmp_path / ".locflow").unlink()
    (tmp_path / ".locflow").mkdir()
    (tmp_path / ".locflow" / "mt-cache.sqlite3-wal").symlink_to("/tmp/x")
    with pytest.raises(PathError, match="MT cache is a symbolic link"):
        project.mt_cache_path  # noqa: B018


@pytest.mark.parametrize(("table", "message"), [
    ('zh_Hant = { from = "zh_Hans", convert = "s2x" }', '[derived] zh_Hant: must be "s2t" or'),
    ('zh_Hant = { from = "ja", convert = "s2t" }', "is not one of target_locales"),
    ('es = { from = "zh_Hans", convert = "s2t" }', "'es' is already a locale of the project"),
    ('zh_Hant = { from = "zh_Hans" }', 'must be { from = "LOCALE", convert = "CONVERSION" }'),
    ('zh_hant = { from = "zh_Hans", convert = "s2t" }', "zh_Hant"),
])
def test_derived_locales_are_checked(tmp_path: Path, table: str, message: str) -> None:
    from locflow.errors import ConfigError

    (tmp_path / "locflow.toml").write_text(
        f'[project]\ntarget_locales = ["zh_Hans", "es"]\n\n[derived]\n{table}\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        Project.load(tmp_path)
    assert message in str(caught.value)
    assert ":5" in str(caught.value)  # the line of the locale at fault


def test_a_derived_locale_is_read(tmp_path: Path) -> None:
    from locflow.config import DerivedLocale

    (tmp_path / "locflow.toml").write_text(
        '[derived]\nzh_Hant = { from = "zh_Hans", convert = "s2twp" }\n', encoding="utf-8")
    assert Project.load(tmp_path).config.derived == (DerivedLocale("zh_Hant", "zh_Hans", "s2twp"),)
