"""The machine translation engines locflow can use, and their locale codes (pure data).

Nothing here imports deep-translator: the CLI validates ``--provider`` and the
pipeline maps locales to engine codes before any engine is built, so that a pair
an engine lacks is an error (exit 2) before any request.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field


@dataclass(frozen=True)
class EngineSpec:
    """What locflow knows about one engine of deep-translator."""

    name: str
    # environment variables holding its credentials: (variable, required)
    env: tuple[tuple[str, bool], ...] = ()
    # longest text one request may carry (characters); longer texts are split
    max_chars: int = 5000
    # locale -> engine code where the generic rule (language[-REGION]) does not apply
    codes: dict[str, str] = field(default_factory=dict)
    takes_url: bool = False


ENGINES: dict[str, EngineSpec] = {
    spec.name: spec
    for spec in (
        EngineSpec(
            "google",
            max_chars=4999,  # Google refuses 5,000 characters and more
            codes={"zh_Hans": "zh-CN", "zh_Hant": "zh-TW", "zh": "zh-CN", "he": "iw"},
        ),
        EngineSpec(
            "mymemory",
            max_chars=499,
            codes={
                "en": "en-GB",  # MyMemory takes only regional English
                "es": "es-ES",
                "zh_Hans": "zh-CN",
                "zh_Hant": "zh-TW",
                "zh": "zh-CN",
                "pt": "pt-PT",
                "fr": "fr-FR",
                "de": "de-DE",
                "it": "it-IT",
            },
        ),
        EngineSpec(
            "libre",
            env=(("LIBRE_API_KEY", False),),
            # the text travels in the query string: keep URLs a server accepts
            max_chars=2000,
            # deep-translator validates "zh"; newer servers say "zh-Hans" ([mt.codes])
            codes={"zh_Hans": "zh", "zh_Hant": "zt"},
            takes_url=True,
        ),
        EngineSpec(
            "deepl",
            env=(("DEEPL_API_KEY", True),),
            max_chars=30000,
            codes={"zh_Hans": "zh", "zh_Hant": "zh", "pt_BR": "pt", "en_US": "en"},
        ),
        EngineSpec(
            "microsoft",
            env=(("MICROSOFT_API_KEY", True),),
            max_chars=10000,
            codes={"zh_Hans": "zh-Hans", "zh_Hant": "zh-Hant", "zh": "zh-Hans", "pt_PT": "pt-pt"},
        ),
        EngineSpec(
            "baidu",
            env=(("BAIDU_APPID", True), ("BAIDU_APPKEY", True)),
            max_chars=2000,
            codes={
                "zh_Hans": "zh", "zh": "zh", "zh_Hant": "cht", "es": "spa", "fr": "fra",
                "ja": "jp", "ko": "kor", "ar": "ara", "bg": "bul", "da": "dan", "et": "est",
                "fi": "fin", "ro": "rom", "sl": "slo", "sv": "swe", "vi": "vie",
            },
        ),
    )
}

# Microsoft's list comes from a request when deep-translator builds the engine;
# this copy of its public language list lets locflow refuse a pair offline.
MICROSOFT_CODES = frozenset(
    "af am ar as az ba bg bn bo bs ca cs cy da de dv el en es et eu fa fi fil fj fo fr fr-ca "
    "ga gl gu he hi hr hsb ht hu hy id ikt is it iu ja ka kk km kmr kn ko ku ky lo lt lv lzh "
    "mg mi mk ml mn-cyrl mn-mong mr ms mt mww my nb ne nl or otq pa pl prs ps pt pt-pt ro ru "
    "sk sl sm so sq sr-cyrl sr-latn sv sw ta te th ti tk tlh-latn to tr tt ty ug uk ur uz vi "
    "yua yue zh-hans zh-hant zu".split()
)


def candidates(locale: str) -> list[str]:
    """Engine codes that could stand for a Babel locale, most specific first.

    >>> candidates("pt_BR")
    ['pt-BR', 'pt_BR', 'pt']
    >>> candidates("zh_Hans")
    ['zh-Hans', 'zh_Hans', 'zh']
    """
    parts = locale.split("_")
    out = []
    if len(parts) > 1:
        out += ["-".join(parts), locale]
    out.append(parts[0])
    return out


def engine_code(spec: EngineSpec, locale: str, supported: Collection[str],
                overrides: dict[str, str] | None = None) -> str | None:
    """The code *spec*'s engine uses for *locale*, or None if it has none.

    *overrides* (``[mt.codes]`` in locflow.toml) are taken as they are, for
    servers that know more than deep-translator's list (``zh-Hans`` on a new
    LibreTranslate). Otherwise the engine's own exceptions come first, then
    ``language-REGION`` and the bare language, as the engine spells them.

    >>> engine_code(ENGINES["google"], "zh_Hans", {"zh-CN", "es"})
    'zh-CN'
    >>> engine_code(ENGINES["libre"], "es", {"zh", "es"})
    'es'
    >>> engine_code(ENGINES["libre"], "tlh", {"zh", "es"}) is None
    True
    """
    if overrides and locale in overrides:
        return overrides[locale]
    by_lower = {code.lower(): code for code in supported}
    wanted = []
    if locale in spec.codes:
        wanted.append(spec.codes[locale])
    wanted += candidates(locale)
    language = locale.split("_")[0]
    if language in spec.codes and language != locale:
        wanted.append(spec.codes[language])
    for code in wanted:
        if code.lower() in by_lower:
            return by_lower[code.lower()]
    return None
