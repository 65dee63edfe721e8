from __future__ import annotations

import pytest

from locflow.errors import ConfigError
from locflow.locales import bcp47_tag, display_name, plural_forms, validate_locale


def test_gettext_plural_forms_not_cldr() -> None:
    assert plural_forms("es") == "nplurals=2; plural=(n != 1);"
    assert plural_forms("zh_Hans") == "nplurals=1; plural=0;"
    assert plural_forms("pt_BR") == "nplurals=2; plural=(n > 1);"


def test_locale_validation() -> None:
    assert validate_locale("zh-Hans") == "zh_Hans"
    with pytest.raises(ConfigError, match="unknown locale 'xx_YY'"):
        validate_locale("xx_YY")


def test_tags_and_names() -> None:
    assert bcp47_tag("zh_Hans") == "zh-Hans"
    assert display_name("es") == "español"
    assert display_name("zh_Hans").startswith("中文")
