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
        ('[build]\npublish = "maybe"\n', "publish must be"),
        ("[nope]\n", "unknown section [nope]"),
        ('[project]\nsource_locale = "es"\ntarget_locales = ["es"]\n', "also a target"),
        ('[build]\nembeds = ["http://player.example/"]\n', "not an https:// prefix"),
        ('[build]\nembeds = ["https://player.example"]\n', "not an https:// prefix"),
        ("[build]\nembeds = \"https://player.example/\"\n", "embeds must be a list"),
        ('[mt]\napi_key = "x"\n', "unknown key 'api_key' in [mt]"),
        ("[mt]\nconcurrency = 0\n", "concurrency must be at least 1"),
        ('[mt]\ntimeout = "soon"\n', "timeout must be a int or float"),
        ('[mt.codes]\nzh_Hans = 1\n', "[mt.codes] zh_Hans must be a str"),
        ("[memory]\ntreshold = 0.8\n", "unknown key 'treshold' in [memory]"),
        ("[memory]\nthreshold = 80\n", "[memory] threshold must be between 0 and 1"),
        ('[memory]\nexact = "approved"\n', '[memory] exact must be "translated" or "fuzzy"'),
        ('[memory]\nprefill = "yes"\n', "prefill must be a bool"),
    ],
)
def test_bad_config_names_the_file(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "locflow.toml").write_text(text)
    with pytest.raises(ConfigError) as info:
        Project.load(tmp_path)
    assert message in str(info.value)
    assert "locflow.toml" in str(info.value)


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
        "/dist/\n# locflow's caches (rebuilt or re-fetched as needed)\n.locflow/\n")
    assert write_default_config(tmp_path) == []  # said once
