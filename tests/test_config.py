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
