"""Locale identifiers: validation with Babel, BCP 47 tags, gettext plural forms."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import PurePath

from .errors import ConfigError, excerpt

# gettext's own table (gettext-tools/src/plural-table.c), which msginit uses and
# gettext tools expect. Babel's CLDR-derived rules differ (es has 3 forms there).
_GETTEXT_PLURALS: dict[str, str] = {
    **dict.fromkeys(
        ["ja", "vi", "ko", "zh", "th", "id", "ms", "lo", "my", "km"],
        "nplurals=1; plural=0;",
    ),
    **dict.fromkeys(
        [
            "en",
            "de",
            "nl",
            "sv",
            "da",
            "no",
            "nb",
            "nn",
            "fo",
            "es",
            "pt",
            "it",
            "bg",
            "el",
            "fi",
            "et",
            "he",
            "eo",
            "hu",
            "tr",
            "ca",
            "gl",
            "eu",
            "af",
            "sq",
            "hi",
            "bn",
            "ta",
            "te",
            "ur",
            "sw",
        ],
        "nplurals=2; plural=(n != 1);",
    ),
    "pt_BR": "nplurals=2; plural=(n > 1);",
    "fr": "nplurals=2; plural=(n > 1);",
    "lv": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2);",
    "ga": "nplurals=3; plural=n==1 ? 0 : n==2 ? 1 : 2;",
    "ro": "nplurals=3; plural=n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2;",
    "lt": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : "
    "n%10>=2 && (n%100<10 || n%100>=20) ? 1 : 2);",
    **dict.fromkeys(
        ["ru", "uk", "be", "sr", "hr", "bs"],
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : "
        "n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    ),
    **dict.fromkeys(["cs", "sk"], "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;"),
    "pl": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "sl": "nplurals=4; plural=(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3);",
    "ar": "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : "
    "n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5;",
}


@lru_cache(maxsize=64)
def validate_locale(identifier: str) -> str:
    """The canonical spelling of *identifier* if Babel knows it; :class:`ConfigError` if not.

    ``zh-Hans``, ``zh_hans`` and ``ZH_HANS`` are one locale: the POSIX form with
    CLDR's casing (language lower, script title, territory upper) is returned, so
    a locale never gets two sets of folders.

    >>> validate_locale("zh-Hans")
    'zh_Hans'
    >>> validate_locale("pt_br")
    'pt_BR'
    """
    from babel import Locale, UnknownLocaleError
    from babel.core import get_locale_identifier, parse_locale

    normalized = identifier.replace("-", "_")
    try:
        canonical = get_locale_identifier(parse_locale(normalized))
        Locale.parse(canonical)
    except (UnknownLocaleError, ValueError, TypeError):
        raise ConfigError(
            f"unknown locale {excerpt(identifier)} (expected e.g. 'es', 'zh_Hans')"
        ) from None
    return canonical


def canonical_spelling(identifier: str) -> str:
    """*identifier* checked to be spelled canonically (``-`` for ``_`` is fine); a
    :class:`ConfigError` suggests the spelling otherwise.

    >>> canonical_spelling("es")
    'es'
    """
    canonical = validate_locale(identifier)
    if canonical != identifier.replace("-", "_"):
        raise ConfigError(f"locale {excerpt(identifier)} is spelled {canonical!r}")
    return canonical


_LOCALE_NAME_RE = re.compile(r"[a-z]{2,3}(?:[_-][A-Za-z0-9]{2,8}){0,2}")
_CATALOG_FOLDERS = frozenset({"locales", "locale", "i18n", "translations", "po"})


def _as_locale(name: str) -> str | None:
    if not _LOCALE_NAME_RE.fullmatch(name):
        return None
    try:
        return validate_locale(name)
    except ConfigError:
        return None


def locale_from_path(path: str | PurePath) -> str | None:
    """The locale a catalog's path names, in the layouts gettext projects use.

    For a catalog whose header names no language: ``<locale>/LC_MESSAGES/x.po``,
    ``locales/<locale>/…/x.po`` (also ``locale``, ``i18n``, ``translations``,
    ``po``), ``po/<locale>.po`` and ``<locale>/<locale>.po``. Anything else
    names no locale: ``library/os.po`` is not Ossetian.

    >>> locale_from_path("locales/es/articles/vote.po")
    'es'
    >>> locale_from_path("docs/library/os.po") is None
    True
    """
    pure = PurePath(path)
    folders = [p.name for p in pure.parents][:4]
    for index, name in enumerate(folders[:-1]):
        above = folders[index + 1]
        if name == "LC_MESSAGES" or above.lower() in _CATALOG_FOLDERS:
            found = _as_locale(above if name == "LC_MESSAGES" else name)
            if found:
                return found
    if folders and (folders[0].lower() in _CATALOG_FOLDERS or folders[0] == pure.stem):
        return _as_locale(pure.stem)
    return None


def bcp47_tag(identifier: str) -> str:
    """The BCP 47 language tag used in URLs and ``<html lang>``.

    >>> bcp47_tag("zh_Hans")
    'zh-Hans'
    """
    return identifier.replace("_", "-")


def language(identifier: str) -> str:
    """The bare language code. ``language("zh_Hans") == "zh"``."""
    return identifier.replace("-", "_").split("_", 1)[0]


def plural_forms(identifier: str) -> str:
    """The ``Plural-Forms`` header value gettext tools use for *identifier*.

    >>> plural_forms("es")
    'nplurals=2; plural=(n != 1);'
    >>> plural_forms("zh_Hans")
    'nplurals=1; plural=0;'
    """
    normalized = identifier.replace("-", "_")
    for key in (normalized, language(normalized)):
        if key in _GETTEXT_PLURALS:
            return _GETTEXT_PLURALS[key]
    from babel.messages.plurals import get_plural

    return get_plural(normalized).plural_forms


def display_name(identifier: str) -> str:
    """The locale's name in its own language, as a language switcher shows it.

    >>> display_name("es")
    'español'
    """
    from babel import Locale

    return str(Locale.parse(identifier.replace("-", "_")).get_display_name() or identifier)


def _normalized_tag(tag: str) -> str:
    """``EN-us`` → ``en_US``, ``zh-hans-cn`` → ``zh_Hans_CN`` (the case Babel expects)."""
    parts = tag.strip().replace("-", "_").split("_")
    out = [parts[0].lower()]
    for part in parts[1:]:
        out.append(part.title() if len(part) == 4 else part.upper())
    return "_".join(out)


def matching_locale(tag: str, candidates: Sequence[str]) -> str | None:
    """The locale of *candidates* that language tag *tag* (from another tool) means.

    A regional variant matches its language (``es-MX`` → ``es``); a script must
    agree where both say or imply one (``zh-CN`` is Simplified, ``zh-TW``
    Traditional); a candidate with a territory wants the same territory.

    >>> matching_locale("zh-CN", ["zh_Hant", "zh_Hans", "es"])
    'zh_Hans'
    >>> matching_locale("ES-es", ["zh_Hans", "es"])
    'es'
    >>> matching_locale("zh-TW", ["zh_Hans"]) is None
    True
    """
    from babel import Locale, UnknownLocaleError

    def parse(identifier: str) -> Locale | None:
        try:
            return Locale.parse(_normalized_tag(identifier))
        except (UnknownLocaleError, ValueError, TypeError):
            return None

    given = parse(tag)
    if given is None:
        return None
    for candidate in candidates:
        wanted = parse(candidate)
        if wanted is None or wanted.language != given.language:
            continue
        if wanted.script and given.script and wanted.script != given.script:
            continue
        if wanted.territory and wanted.territory != given.territory:
            continue
        return candidate
    return None
